//! The main journeys in headless Chromium against the real server (`kaigi demo`), driven through
//! Debian's chromium-driver: write a proposal in the open call, have a speaker confirm by link
//! and submit it; assign evaluators and evaluate it against the rubric; accept it; place it in
//! the timetable and find it on the public schedule; star it and download the agenda's
//! iCalendar; write minutes and see an action item carried to the next meeting; and search for a
//! Japanese word and land on the right page. Every page visited is checked for labelled form
//! controls, a language and text contrast (WCAG AA), and photographed into target/browser/ to be
//! looked at.

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

    /// The status the public gets for a path (a plain request outside the browser's session).
    async fn anonymous_status(&self, path: &str) -> u16 {
        let url = format!("{}{path}", self.base);
        let (host, rest) = url.trim_start_matches("http://").split_once('/').expect("a path");
        let mut stream = std::net::TcpStream::connect(host).expect("connect");
        use std::io::{Read, Write};
        write!(stream, "GET /{rest} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        answer.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status line")
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
        // WCAG AA contrast for text: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
        // The background is the nearest opaque one behind the element (images and gradients
        // are not judged).
        let low_contrast = self
            .client
            .execute(
                "const rgb = c => { const m = c.match(/[\\d.]+/g) || []; return m.map(Number); };
                 const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                                              return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
                 const background = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                                              if (c.length >= 3 && (c.length < 4 || c[3] >= 0.99)) return c; } return [255, 255, 255]; };
                 const out = [];
                 for (const e of document.querySelectorAll('body *')) {
                   const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                   if (!own || !e.getClientRects().length) continue;
                   const s = getComputedStyle(e);
                   if (s.visibility === 'hidden' || Number(s.opacity) < 0.1) continue;
                   const fg = rgb(s.color);
                   if (fg.length >= 4 && fg[3] < 0.99) continue;
                   const [a, b] = [lum(fg), lum(background(e))];
                   const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                   const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
                   const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
                   if (ratio < needed) out.push(`${ratio.toFixed(2)} < ${needed}: ${e.tagName.toLowerCase()}.${e.className} “${e.textContent.trim().slice(0, 40)}”`);
                 }
                 return out.slice(0, 10);",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(low_contrast, json!([]), "{name}: text below WCAG AA contrast");
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

/// A slot in one of the big halls where the session clashes with nothing: no other session in
/// the room then, and none of its people on stage elsewhere at the same time.
async fn free_hall_slot(db: &std::path::Path, number: i64) -> (String, String, String) {
    let db = kaigi_db::Db::connect(db.to_str().expect("utf-8")).await.expect("open the demo database");
    let edition = kaigi_db::editions::edition_by_slug(&db, "igf-2026").await.expect("query").expect("demo edition");
    let sessions = kaigi_db::programme::sessions(&db, edition.id).await.expect("sessions");
    let people = kaigi_db::programme::people(&db, edition.id).await.expect("people");
    let session = sessions.iter().find(|s| s.number == number).expect("the session");
    let on_stage = |id: uuid::Uuid| people.iter().filter(move |p| p.session_id == id).map(|p| p.person_id);
    let mine: Vec<uuid::Uuid> = on_stage(session.id).collect();
    let rooms = kaigi_db::editions::rooms(&db, edition.id).await.expect("rooms");
    for day in kaigi_db::editions::days(&db, edition.id).await.expect("days").iter().skip(1) {
        for room in rooms.iter().filter(|r| r.features.contains("interpretation")) {
            for start in [9 * 60, 10 * 60 + 30, 14 * 60, 15 * 60 + 30, 17 * 60] {
                let clashes = sessions.iter().any(|s| {
                    let overlaps = s.id != session.id
                        && s.day == Some(day.day)
                        && s.starts_at
                            .as_deref()
                            .and_then(kaigi_core::timetable::parse_clock)
                            .is_some_and(|t| t < start + session.minutes && start < t + s.minutes);
                    overlaps && (s.room_id == Some(room.id) || on_stage(s.id).any(|p| mine.contains(&p)))
                });
                if !clashes {
                    db.close().await;
                    return (room.name.clone(), day.day.to_string(), kaigi_core::timetable::format_clock(start));
                }
            }
        }
    }
    panic!("no free hall slot in the demo")
}

/// The late call of the demo, which is open.
async fn open_call(db: &std::path::Path) -> String {
    let db = kaigi_db::Db::connect(db.to_str().expect("utf-8")).await.expect("db");
    let edition = kaigi_db::editions::edition_by_slug(&db, "igf-2026").await.expect("q").expect("edition");
    let calls = kaigi_db::calls::calls_of_edition(&db, edition.id).await.expect("calls");
    let open = calls.into_iter().find(|c| c.is_open(kaigi_db::now())).expect("an open call");
    db.close().await;
    open.id.to_string()
}

/// The newest message in the outbox to this address (what the person would find in their mail).
async fn mail_to(db: &std::path::Path, address: &str) -> String {
    let db = kaigi_db::Db::connect(db.to_str().expect("utf-8")).await.expect("db");
    let message = kaigi_db::outbox::list(&db, 100).await.expect("outbox").into_iter().find(|m| m.to_address == address);
    db.close().await;
    message.expect("a message").body
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_journeys_work_in_a_real_browser() {
    let b = Browser::start().await;

    // An organiser writes a proposal in the open call, invites a speaker, and submits it.
    let call = open_call(&b.db).await;
    b.sign_in("participant@kaigi.example").await;
    b.open(&format!("/calls/{call}")).await;
    b.check("call").await;
    b.click_through(&format!("a[href='/calls/{call}/propose']"), "write a proposal").await;
    b.check("proposal-new").await;
    let title = "ブラウザから：若者と AI ガバナンス";
    b.find("#p-title").await.send_keys(title).await.expect("type");
    b.find("#p-type").await.select_by_value("lightning-talk").await.expect("choose the type");
    b.click_through("form[action$='/proposals'] button[type=submit]", "save the draft").await;
    let proposal = b.path().await;
    assert!(proposal.starts_with("/proposals/"), "{proposal}");
    b.find("#pp-name").await.send_keys("Grace Hopper").await.expect("type");
    b.find("#pp-email").await.send_keys("grace@example.org").await.expect("type");
    b.click_through("form[action$='/people'] button[type=submit]", "add the speaker").await;
    // The speaker confirms through the link in her mail.
    let mail = mail_to(&b.db, "grace@example.org").await;
    let link = mail.lines().find(|l| l.contains("/proposals/confirm/")).expect("a link").trim().to_owned();
    b.client.goto(&link).await.expect("open the link");
    b.check("confirm").await;
    b.click_through("button[name=answer][value=yes]", "confirm").await;
    b.open(&proposal).await;
    b.find("#p-theme").await.select_by_index(1).await.expect("choose a theme");
    b.find("#p-description").await.send_keys("若者の視点から AI ガバナンスを 10 分で語る。").await.expect("type");
    b.find("#p-policy").await.send_keys("Who speaks for young people in AI policy?").await.expect("type");
    b.find("#p-format").await.send_keys("A short talk and questions.").await.expect("type");
    b.find("#p-hybrid").await.send_keys("Online questions are read out by the moderator.").await.expect("type");
    // The check panel follows the form as it is filled in.
    let started = Instant::now();
    while !b.text().await.contains("Nothing is missing") && !b.text().await.contains("不足はありません") {
        assert!(started.elapsed() < Duration::from_secs(10), "the live check never said the form is complete");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.click_through("#proposal-form button[type=submit]", "save").await;
    b.check("proposal").await;
    b.click_through("button[name=status][value=submitted]", "submit").await;
    assert!(b.text().await.contains("提出済み") || b.text().await.contains("Submitted"));
    let proposal_id = proposal.trim_start_matches("/proposals/").to_owned();
    b.sign_out().await;

    // The secretariat applies the exact assignment of the call.
    b.sign_in("edition-secretariat@kaigi.example").await;
    b.open(&format!("/editions/igf-2026/calls/{call}/assignment")).await;
    b.check("assignment").await;
    b.click_through("form[action$='/assignment'] button[type=submit]", "apply the assignment").await;
    b.check("progress").await;
    b.sign_out().await;

    // An evaluator scores it against the rubric and submits.
    b.sign_in("evaluator01@kaigi.example").await;
    b.open("/evaluations").await;
    b.click_through(&format!("a[href='/evaluations/{proposal_id}']"), "open the proposal").await;
    let names = b
        .client
        .execute("return [...new Set([...document.querySelectorAll('input[type=radio]')].map(r => r.name))];", vec![])
        .await
        .expect("criteria");
    for name in names.as_array().expect("names") {
        let name = name.as_str().expect("a name");
        b.find(&format!("input[name='{name}'][value='4']")).await.click().await.expect("score 4");
    }
    b.find("#comment-notes").await.send_keys("具体的で良い。オンライン参加の工夫を。").await.expect("type");
    b.check("evaluation").await;
    b.click_through("button[name=submit][value='1']", "submit the evaluation").await;
    assert!(b.text().await.contains("提出済み") || b.text().await.contains("submitted"), "the evaluation is in");
    b.sign_out().await;

    // The secretariat accepts it: it enters the programme, and the organiser is told.
    b.sign_in("edition-secretariat@kaigi.example").await;
    b.open(&format!("/editions/igf-2026/proposals/{proposal_id}")).await;
    assert!(b.text().await.contains("オンライン参加の工夫"), "the secretariat reads the evaluation");
    b.find("input[name=verdict][value=accept]").await.click().await.expect("accept");
    b.check("decision").await;
    b.click_through("form[action$='/decision'] button[type=submit]", "record the decision").await;
    let number = {
        let db = kaigi_db::Db::connect(b.db.to_str().expect("utf-8")).await.expect("db");
        let edition = kaigi_db::editions::edition_by_slug(&db, "igf-2026").await.expect("q").expect("edition");
        let sessions = kaigi_db::programme::sessions(&db, edition.id).await.expect("q");
        db.close().await;
        let s = sessions.into_iter().find(|s| s.title == title).expect("the accepted proposal is a session");
        assert!(s.room_id.is_none());
        s.number
    };

    // The secretariat places it in a free slot of a hall, keyboard-style: the form.
    let (room, day, start) = free_hall_slot(&b.db, number).await;
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
    // Not public until the secretariat publishes the programme.
    let hidden = b.anonymous_status(&format!("/editions/igf-2026/sessions/{number}")).await;
    assert_eq!(hidden, 404, "an unpublished session is not public");
    // The secretariat reviews what the next version changes, then publishes it.
    b.click_through("a[href$='/programme/publish']", "review the changes").await;
    b.check("publish").await;
    assert!(b.text().await.contains(title), "the review lists the new session");
    b.click_through("form[action$='/programme/publish'] button[type=submit]", "publish").await;
    b.check("changes").await;
    assert!(b.text().await.contains(title), "the changelog names it");
    b.sign_out().await;

    // It is on the public schedule of that day, at that time, in that room.
    b.open(&format!("/editions/igf-2026/schedule?day={day}")).await;
    b.check("schedule").await;
    // A wide window shows the day × room grid: the session in its room's column, at its time.
    let card = b.find(&format!(".schedule-grid a[href='/editions/igf-2026/sessions/{number}']")).await;
    let cell = card.find(Locator::XPath("..")).await.expect("cell");
    let card_text = cell.text().await.expect("text");
    assert!(card_text.contains(&start), "{card_text}");
    assert_eq!(cell.attr("data-room").await.expect("attr").as_deref(), Some(room.as_str()));
    assert_eq!(card.text().await.expect("title"), title);
    // A phone gets the list, by start time, with the room on the card.
    b.client.set_window_size(390, 844).await.expect("a phone's window");
    b.open(&format!("/editions/igf-2026/schedule?day={day}")).await;
    b.check("schedule-phone").await;
    let card = b.find(&format!(".schedule-list a[href='/editions/igf-2026/sessions/{number}']")).await;
    let card_text = card.find(Locator::XPath("..")).await.expect("card").text().await.expect("text");
    assert!(card_text.contains(&start) && card_text.contains(&room), "{card_text}");
    let grid_shown = b
        .client
        .execute("return getComputedStyle(document.querySelector('.schedule-grid-wrap')).display;", vec![])
        .await
        .expect("script");
    assert_eq!(grid_shown, json!("none"), "no grid on a phone");
    b.client.set_window_size(1280, 1000).await.expect("a desktop window");

    // A participant stars it and downloads their agenda as iCalendar.
    b.sign_in("participant@kaigi.example").await;
    b.open(&format!("/editions/igf-2026/sessions/{number}")).await;
    b.check("session").await;
    b.click_through("form[action$='/star'] button", "star").await;
    let pressed = b.find("form[action$='/star'] button").await.attr("aria-pressed").await.expect("attr");
    assert_eq!(pressed.as_deref(), Some("true"));
    b.open("/editions/igf-2026/agenda").await;
    b.check("agenda").await;
    assert!(b.text().await.contains(title));
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

    // The participant registers onsite and opens their badge with its QR code.
    b.open("/editions/igf-2026/registration").await;
    b.check("registration").await;
    b.find("input[name=category][value=delegate]").await.click().await.expect("category");
    b.find("input[name=attendance][value=onsite]").await.click().await.expect("onsite");
    b.find("input[name=country]").await.clear().await.expect("clear");
    b.find("input[name=country]").await.send_keys("JP").await.expect("type");
    b.click_through("form[action$='/registration'] button[type=submit]", "register").await;
    b.find("#registered").await;
    b.click_through("#registered a[href$='/badge']", "badge").await;
    b.check("badge").await;
    b.find(".badge-qr svg").await;
    let code = b.find(".name-badge .badge-code code").await.text().await.expect("code");
    assert_eq!(code.len(), 10, "{code}");
    assert!(mail_to(&b.db, "participant@kaigi.example").await.contains("/editions/igf-2026/registration"));
    // The participant makes an API token for their own app: shown once, then only listed.
    b.open("/me").await;
    b.find("#tokens input[name=name]").await.clear().await.expect("clear");
    b.find("#tokens input[name=name]").await.send_keys("My agenda app").await.expect("type");
    b.click_through("form[action='/me/tokens'] button[type=submit]", "make a token").await;
    let token = b.find("#new-token").await.text().await.expect("text");
    assert!(token.starts_with("kaigi_"), "{token}");
    b.check("account-token").await;
    b.open("/me").await;
    let listed = b.find("#tokens").await.text().await.expect("text");
    assert!(listed.contains("My agenda app") && !listed.contains(&token), "{listed}");
    b.sign_out().await;

    // At the desk, the secretariat opens the badge's QR link and checks the participant in,
    // then looks at the statistics and prints the roundtable's seating chart.
    b.sign_in("edition-secretariat@kaigi.example").await;
    b.open(&format!("/editions/igf-2026/check-in/{code}")).await;
    b.check("check-in").await;
    b.click_through("form[action$='/check-in'] button[type=submit]", "check in").await;
    b.find(".notice.ok").await;
    b.open("/editions/igf-2026/statistics").await;
    b.find(".chart-wrap svg").await;
    b.check("statistics").await;
    b.open("/editions/igf-2026/roundtables").await;
    b.check("roundtables").await;
    b.click_through("a[href*='/roundtables/']", "open the roundtable").await;
    b.check("roundtable").await;
    b.click_through("a[href$='/chart']", "seating chart").await;
    let tables = b.client.find_all(Locator::Css(".seating-table")).await.expect("tables");
    assert_eq!(tables.len(), 40, "20 tables in each of two rounds");
    b.check("seating-chart").await;
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
    b.sign_out().await;

    // An anonymous visitor goes from home to a committee's published minutes ...
    b.open("/").await;
    b.click_through("a[href$='/minutes'][href^='/committees/']", "a committee's minutes").await;
    b.check("committee-public").await;
    b.click_through("a[href^='/minutes/']", "published minutes").await;
    b.check("minutes-public").await;
    assert!(b.path().await.starts_with("/minutes/"));
    assert!(b.find("h1").await.text().await.expect("text").chars().count() > 2, "the minutes have a title");
    // ... and from home to a session found by search, its speaker, and its calendar entry.
    let (wanted, wanted_number, speaker) = {
        let db = kaigi_db::Db::connect(b.db.to_str().expect("utf-8")).await.expect("db");
        let edition = kaigi_db::editions::edition_by_slug(&db, "igf-2026").await.expect("q").expect("edition");
        let latest = kaigi_db::publishing::latest(&db, edition.id).await.expect("q").expect("published");
        db.close().await;
        let s = latest.programme.taking_place().find(|s| !s.people.is_empty()).expect("a session with speakers");
        (s.title.clone(), s.number, s.people[0].name.clone())
    };
    b.open("/").await;
    let q = b.find("#header-q").await;
    q.send_keys(&wanted).await.expect("type");
    b.client.execute("window.kaigiOldPage = true;", vec![]).await.expect("mark the page");
    q.send_keys("\u{E007}").await.expect("enter");
    b.new_page("search").await;
    b.click_through(
        &format!("ol.search-hits a[href='/editions/igf-2026/sessions/{wanted_number}']"),
        "the session found",
    )
    .await;
    b.check("session-public").await;
    assert_eq!(b.find("h1").await.text().await.expect("text"), wanted);
    let ics = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector(\"a[href*='schedule.ics?session=']\").href).then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .expect("download the calendar entry");
    let calendar: icalendar::Calendar = ics.as_str().expect("text").parse().expect("a real iCalendar");
    assert_eq!(calendar.components.len(), 1, "the one session");
    let unfolded = ics.as_str().expect("text").replace("\r\n ", "");
    // iCalendar escapes , ; and \ in text: compare the title up to the first of them.
    let plain: String = wanted.chars().take_while(|c| !",;\\".contains(*c)).take(20).collect();
    assert!(unfolded.contains(&plain), "{unfolded}");
    b.click_through("a[href^='/editions/igf-2026/speakers/']", "a speaker").await;
    b.check("speaker").await;
    assert_eq!(b.find("h1").await.text().await.expect("text"), speaker);
    b.find(&format!("a[href='/editions/igf-2026/sessions/{wanted_number}']")).await;

    b.client.close().await.expect("close the browser");
}
