//! The main journeys in headless Chromium against the real server (`kaigi demo`), driven through
//! Debian's chromium-driver: place a session in the timetable and find it on the public schedule,
//! star it and download the agenda's iCalendar, write minutes and see an action item carried to
//! the next meeting, and search for a Japanese word and land on the right page. Every page
//! visited is checked for labelled form controls and a language, and photographed into
//! target/browser/ to be looked at.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const PASSWORD: &str = kaigi_core::demo::DEMO_PASSWORD;

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for(port: u16, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "{what} did not start on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chromedriver() -> String {
    for candidate in ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"] {
        if std::path::Path::new(candidate).exists() {
            return candidate.to_owned();
        }
    }
    panic!("chromium-driver is not installed (.ci/run installs Debian's chromium and chromium-driver)");
}

struct Browser {
    client: Client,
    base: String,
    shots: PathBuf,
    _server: Process,
    _driver: Process,
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Browser {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("kaigi.db");
        let port = free_port();
        let server = Command::new(env!("CARGO_BIN_EXE_kaigi"))
            .args(["--db", db.to_str().expect("utf-8"), "demo", "--port", &port.to_string()])
            .env_remove("KAIGI_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start kaigi demo");
        let mut server = Process(server);
        // The demo says where it is once the forum is filled in; only then is it ready.
        let stdout = server.0.stdout.take().expect("stdout");
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
        let ready = lines.by_ref().map_while(Result::ok).any(|l| l.contains(&format!("127.0.0.1:{port}")));
        assert!(ready, "kaigi demo never said it was serving");
        std::thread::spawn(move || lines.for_each(drop));
        wait_for(port, "kaigi");
        let driver_port = free_port();
        let driver = Process(
            Command::new(chromedriver())
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        );
        wait_for(driver_port, "chromedriver");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1280,1000", "--lang=ja"],
                   "prefs": {"intl.accept_languages": "ja"}}),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a Chromium session");
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../browser");
        std::fs::create_dir_all(&shots).expect("screenshot directory");
        Self {
            client,
            base: format!("http://127.0.0.1:{port}"),
            shots,
            _server: server,
            _driver: driver,
            _dir: dir,
            db,
        }
    }

    async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.expect("navigate");
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!("{css} not found on {}: {e}", self.path().await),
        }
    }

    /// The page's text; read in one script so that no element can go stale between two calls.
    async fn text(&self) -> String {
        let started = Instant::now();
        loop {
            match self.client.execute("return document.body.innerText;", vec![]).await {
                Ok(serde_json::Value::String(text)) => return text,
                other => assert!(started.elapsed() < Duration::from_secs(10), "no page text: {other:?}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks a control that loads another page and waits for that page, so that nothing is
    /// read from the old one while it is being replaced.
    async fn click_through(&self, css: &str, what: &str) {
        self.client.execute("window.kaigiOldPage = true;", vec![]).await.expect("mark the page");
        self.find(css).await.click().await.expect(what);
        self.new_page(what).await;
    }

    async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
    }

    /// A screenshot to look at, and the basic accessibility every page must have.
    async fn check(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write screenshot");
        let unlabelled = self
            .client
            .execute(
                "return [...document.querySelectorAll('input, select, textarea')]
                   .filter(e => !['hidden', 'submit', 'button'].includes(e.type))
                   .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                   .map(e => e.outerHTML.slice(0, 120));",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(unlabelled, json!([]), "{name}: form controls without a label");
        let lang = self.client.execute("return document.documentElement.lang;", vec![]).await.expect("script");
        assert!(lang.as_str().is_some_and(|l| !l.is_empty()), "{name}: the page says its language");
    }

    async fn sign_in(&self, email: &str) {
        self.open("/login").await;
        self.find("#email").await.send_keys(email).await.expect("type");
        self.find("#password").await.send_keys(PASSWORD).await.expect("type");
        self.click_through("form[action='/login'] button[type=submit]", "sign in").await;
        self.find("form[action='/logout']").await;
    }

    async fn sign_out(&self) {
        self.click_through("form[action='/logout'] button", "sign out").await;
        self.find("a[href='/login']").await;
    }

    /// Waits until the page marked with `window.kaigiOldPage` has been replaced by a new one.
    async fn new_page(&self, after: &str) {
        let started = Instant::now();
        loop {
            let old = self.client.execute("return window.kaigiOldPage === true;", vec![]).await;
            if matches!(old, Ok(serde_json::Value::Bool(false))) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "the page did not change after {after}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sets a form field's value through the DOM (date inputs type differently per locale).
    async fn set(&self, css: &str, value: &str) {
        self.client
            .execute("document.querySelector(arguments[0]).value = arguments[1];", vec![json!(css), json!(value)])
            .await
            .expect("set value");
    }
}

/// A 90-minute stretch in one of the big halls with nothing else in it (main sessions have no
/// speakers, so only the room can clash).
async fn free_hall_slot(db: &std::path::Path) -> (i64, String, String, String, String) {
    let db = kaigi_db::Db::connect(db.to_str().expect("utf-8")).await.expect("open the demo database");
    let edition = kaigi_db::editions::edition_by_slug(&db, "igf-2026").await.expect("query").expect("demo edition");
    let sessions = kaigi_db::programme::sessions(&db, edition.id).await.expect("sessions");
    let main = sessions.iter().find(|s| s.kind == "main").expect("a main session");
    let rooms = kaigi_db::editions::rooms(&db, edition.id).await.expect("rooms");
    for day in kaigi_db::editions::days(&db, edition.id).await.expect("days").iter().skip(1) {
        for room in rooms.iter().filter(|r| r.features.contains("interpretation")) {
            for start in [9 * 60, 10 * 60 + 30, 14 * 60, 15 * 60 + 30, 17 * 60] {
                let clashes = sessions.iter().any(|s| {
                    s.id != main.id
                        && s.room_id == Some(room.id)
                        && s.day == Some(day.day)
                        && s.starts_at
                            .as_deref()
                            .and_then(kaigi_core::timetable::parse_clock)
                            .is_some_and(|t| t < start + main.minutes && start < t + s.minutes)
                });
                if !clashes {
                    db.close().await;
                    return (
                        main.number,
                        main.title.clone(),
                        room.name.clone(),
                        day.day.to_string(),
                        kaigi_core::timetable::format_clock(start),
                    );
                }
            }
        }
    }
    panic!("no free hall slot in the demo")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_journeys_work_in_a_real_browser() {
    let b = Browser::start().await;

    // The secretariat places a main session in a free slot of a hall, keyboard-style: the form.
    let (number, title, room, day, start) = free_hall_slot(&b.db).await;
    b.sign_in("edition-secretariat@kaigi.example").await;
    b.open(&format!("/editions/igf-2026/timetable?day={day}")).await;
    b.check("timetable").await;
    b.find("#move-session").await.select_by_value(&number.to_string()).await.expect("choose the session");
    b.find("#move-room").await.select_by_label(&room).await.expect("choose the room");
    b.find("#move-day").await.select_by_value(&day).await.expect("choose the day");
    b.find("#move-start").await.send_keys(&start).await.expect("type the start");
    b.click_through("#place-form button[type=submit]", "place").await;
    b.find("form[action$='/timetable/move'].inline").await; // the undo button appears
    let page = b.text().await;
    assert!(page.contains(&format!("#{number}")), "the grid shows the session");
    assert!(page.contains("重複なし") || page.contains("No clashes"), "and no clash was made: {page}");
    b.check("timetable-after-move").await;
    // Drag and drop does the same through the same form (HTML5 drag events, as a mouse would).
    let target = b
        .client
        .execute(
            "window.kaigiOldPage = true;
             const from = document.querySelector(`td[data-session='${arguments[0]}']`);
             const to = [...document.querySelectorAll(`td.slot-cell[data-room='${from.dataset.room}']`)].pop();
             const data = new DataTransfer();
             from.dispatchEvent(new DragEvent('dragstart', {dataTransfer: data, bubbles: true}));
             to.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
             to.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
             return to.dataset.time;",
            vec![json!(number.to_string())],
        )
        .await
        .expect("drag and drop");
    let dropped_at = target.as_str().expect("a time").to_owned();
    b.new_page("the drop").await;
    b.find("form[action$='/timetable/move'].inline").await;
    let placed = {
        let db = kaigi_db::Db::connect(b.db.to_str().expect("utf-8")).await.expect("db");
        let edition = kaigi_db::editions::edition_by_slug(&db, "igf-2026").await.expect("q").expect("edition");
        let s =
            kaigi_db::programme::sessions(&db, edition.id).await.expect("q").into_iter().find(|s| s.number == number);
        db.close().await;
        s.expect("session").starts_at
    };
    assert_eq!(placed.as_deref(), Some(dropped_at.as_str()), "the drop moved it");
    // Undo puts it back where the form placed it.
    b.click_through("form[action$='/timetable/move'].inline button", "undo").await;
    b.sign_out().await;

    // It is on the public schedule of that day, at that time, in that room.
    b.open(&format!("/editions/igf-2026/schedule?day={day}")).await;
    b.check("schedule").await;
    let card = b.find(&format!("a[href='/editions/igf-2026/sessions/{number}']")).await;
    let card_text = card.find(Locator::XPath("..")).await.expect("card").text().await.expect("text");
    assert!(card_text.contains(&start) && card_text.contains(&room), "{card_text}");
    assert_eq!(card.text().await.expect("title"), title);

    // A participant stars it and downloads their agenda as iCalendar.
    b.sign_in("participant@kaigi.example").await;
    b.open(&format!("/editions/igf-2026/sessions/{number}")).await;
    b.check("session").await;
    b.click_through("form[action$='/star'] button", "star").await;
    let pressed = b.find("form[action$='/star'] button").await.attr("aria-pressed").await.expect("attr");
    assert_eq!(pressed.as_deref(), Some("true"));
    b.open("/editions/igf-2026/agenda").await;
    b.check("agenda").await;
    assert!(b.text().await.contains(&title));
    let ics = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector(\"a[href$='agenda.ics']\").href).then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .expect("download the iCalendar");
    let ics = ics.as_str().expect("text");
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    let calendar: icalendar::Calendar = ics.parse().expect("a real iCalendar");
    assert_eq!(calendar.components.len(), 1);
    b.sign_out().await;

    // A committee member writes minutes, records an action item, and sees it carried into the
    // next meeting's progress check.
    let committee = {
        let db = kaigi_db::Db::connect(b.db.to_str().expect("utf-8")).await.expect("db");
        let id = kaigi_db::demo::first_committee(&db).await.expect("query").expect("committee");
        db.close().await;
        id
    };
    b.sign_in("chair@kaigi.example").await;
    b.open(&format!("/committees/{committee}")).await;
    b.check("committee").await;
    b.click_through("a[href^='/meetings/']", "open the latest meeting").await;
    let meeting = b.path().await;
    b.check("meeting").await;
    b.find("section.minutes-item details summary").await.click().await.expect("open the editor");
    let editor = b.find("section.minutes-item details textarea").await;
    editor.clear().await.expect("clear");
    editor.send_keys("- ブラウザから議事を記録した。\n- 次回までに勉強会の案内を準備する。").await.expect("type");
    b.click_through("section.minutes-item details button[type=submit]", "save").await;
    assert!(b.text().await.contains("ブラウザから議事を記録した"));
    let action = "ブラウザテストの宿題：勉強会の案内を送る";
    b.client
        .execute("document.querySelectorAll('details').forEach(d => d.open = true);", vec![])
        .await
        .expect("open the forms");
    b.find("#action-text").await.send_keys(action).await.expect("type");
    b.find("#action-owner-name").await.send_keys("鈴木").await.expect("type");
    b.click_through("form[action$='/action-items'] button[type=submit]", "add").await;
    assert!(b.text().await.contains(action), "the action item is listed at {meeting}");
    b.open(&format!("/committees/{committee}/meetings/new")).await;
    b.check("meeting-new").await;
    b.set("#held_on", "2027-01-20").await;
    b.find("#starts_at").await.send_keys("18:30").await.expect("type");
    b.find("#ends_at").await.send_keys("20:00").await.expect("type");
    b.click_through("form[action$='/meetings'] button[type=submit]", "create").await;
    let carried = b.find("#action-items").await.text().await.expect("text");
    assert!(carried.contains(action), "carried into the next meeting: {carried}");
    b.check("meeting-next").await;

    // Search for a Japanese word from the header box and land on the page that has it.
    let q = b.find("#header-q").await;
    q.send_keys("勉強会の案内").await.expect("type");
    b.client.execute("window.kaigiOldPage = true;", vec![]).await.expect("mark the page");
    q.send_keys("\u{E007}").await.expect("enter");
    b.new_page("search").await;
    b.find("ol.search-hits").await;
    b.check("search").await;
    b.click_through("ol.search-hits li a", "open the first hit").await;
    let landed = b.path().await;
    assert!(landed.starts_with("/meetings/"), "{landed}");
    assert!(b.text().await.contains("勉強会の案内"), "the page has the word");
    b.check("search-landed").await;

    b.client.close().await.expect("close the browser");
}
