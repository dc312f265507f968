//! The programme: the demo's timetable has no hard violation, every export reads back with a
//! real parser, applying a stale timetable is refused, and the public pages show it.

use kaigi_db::{Actor, programme};

use crate::support::*;

async fn demo_edition(app: &TestApp) -> kaigi_db::editions::Edition {
    kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap()
}

#[tokio::test]
async fn the_demo_programme_is_placed_without_clashes_and_exports_read_back() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let sessions = programme::sessions(&app.db, edition.id).await.unwrap();
    assert!(sessions.len() > 90, "{}", sessions.len());
    assert!(sessions.iter().all(|s| s.room_id.is_some()), "every demo session is placed");
    let opening = sessions.iter().find(|s| s.kind == "ceremony").unwrap();
    assert!(opening.pinned && opening.starts_at.as_deref() == Some("09:00"));

    // The published timetable, checked by the solver's own rules through the frab export.
    let latest = kaigi_db::publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    assert_eq!(latest.version.number, 2);
    assert_eq!(latest.programme.taking_place().count(), sessions.len());
    let export = kaigi_db::publishing::frab(&latest, &edition, "https://forum.example");
    assert!(export.version.starts_with("igf-2026 v2 ("), "{}", export.version);
    let xml = kaigi_core::frab::write_xml(&export);
    let read = kaigi_core::frab::parse(&xml).unwrap();
    assert!(read.notes.is_empty(), "{:?}", read.notes);
    let events: usize = read.days.iter().map(|d| d.events.len()).sum();
    assert_eq!(events, sessions.len());
    let (instance, placements, _) = kaigi_core::frab::to_instance(&read);
    let problem = kaigi_core::timetable::Problem::new(&instance).unwrap();
    let slots = kaigi_core::timetable::slots_from_placements(&problem, &placements).unwrap();
    let e = kaigi_core::timetable::evaluate(&problem, &slots);
    assert_eq!(e.hard.total(), 0, "{e:?}");
    // The same from the stored instance, with capacities, features and breaks.
    let stored = programme::instance(&app.db, edition.id).await.unwrap();
    let problem = kaigi_core::timetable::Problem::new(&stored).unwrap();
    let placements: Vec<kaigi_core::timetable::Placement> = sessions
        .iter()
        .map(|s| kaigi_core::timetable::Placement {
            session: s.id.to_string(),
            room: s.room_id.unwrap().to_string(),
            day: s.day.unwrap().to_string(),
            start: s.starts_at.clone().unwrap(),
        })
        .collect();
    let slots = kaigi_core::timetable::slots_from_placements(&problem, &placements).unwrap();
    assert_eq!(kaigi_core::timetable::evaluate(&problem, &slots).hard.total(), 0);

    let json = kaigi_core::frab::write_json(&export);
    let again = kaigi_core::frab::parse(&json.to_string()).unwrap();
    assert_eq!(again.days.iter().map(|d| d.events.len()).sum::<usize>(), sessions.len());
    assert_eq!(json["schedule"]["conference"]["acronym"], "igf_2026");

    let ics = kaigi_core::calendar::to_ical(&edition.name, &programme::calendar_events(&export)).unwrap();
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    assert_eq!(calendar.components.len(), sessions.len());
    assert!(ics.contains(&format!("UID:{}@kaigi", opening.id)));

    let csv = programme::csv(&export);
    assert!(csv.starts_with("guid,number,date,start,end,room,title"));
    assert_eq!(csv.lines().count(), sessions.len() + 1);
}

#[tokio::test]
async fn a_timetable_solved_before_someone_moved_a_session_is_not_applied() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let before = kaigi_db::now();
    let instance = programme::instance(&app.db, edition.id).await.unwrap();
    let solution = kaigi_core::timetable::solve(&instance, std::time::Duration::from_millis(300)).unwrap();
    // Someone moves a session by hand meanwhile.
    let sessions = programme::sessions(&app.db, edition.id).await.unwrap();
    let moved = sessions.iter().find(|s| !s.pinned).unwrap();
    let mine = kaigi_core::timetable::Placement {
        session: moved.id.to_string(),
        room: moved.room_id.unwrap().to_string(),
        day: moved.day.unwrap().to_string(),
        start: "17:30".into(),
    };
    programme::apply(&app.db, &Actor::system("test"), edition.id, &[mine], None).await.unwrap();
    let version = programme::schedule_version(&app.db, edition.id).await.unwrap();
    let stale = solution.placements.iter().any(|p| p.session == moved.id.to_string() && p.start != "17:30");
    let result =
        programme::apply(&app.db, &Actor::system("test"), edition.id, &solution.placements, Some(before)).await;
    if stale {
        assert!(matches!(result, Err(kaigi_db::DbError::Conflict { .. })), "{result:?}");
        assert_eq!(programme::schedule_version(&app.db, edition.id).await.unwrap(), version, "nothing applied");
        let after = programme::session(&app.db, edition.id, moved.id).await.unwrap().unwrap();
        assert_eq!(after.starts_at.as_deref(), Some("17:30"), "the hand edit survives");
    }
}

#[tokio::test]
async fn the_public_schedule_and_its_files_answer() {
    let app = TestApp::with_demo().await;
    let mut visitor = app.client();
    let page = visitor.get("/editions/igf-2026/schedule?day=2026-12-15").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Opening ceremony"), "day 1 opens with the ceremony");
    assert!(page.body.contains("Asia/Tokyo"));
    let session = visitor.get("/editions/igf-2026/sessions/1").await;
    assert_eq!(session.status, 200);
    for (file, kind) in [
        ("schedule.xml", "application/xml"),
        ("schedule.json", "application/json"),
        ("schedule.ics", "text/calendar"),
        ("schedule.csv", "text/csv"),
    ] {
        let answer = visitor.get(&format!("/editions/igf-2026/export/{file}")).await;
        assert_eq!(answer.status, 200, "{file}");
        assert!(answer.headers.get("content-type").unwrap().to_str().unwrap().starts_with(kind), "{file}");
    }
    assert_eq!(visitor.get("/editions/igf-2026/export/schedule.pdf").await.status, 404);
    assert_eq!(visitor.get("/editions/igf-2026/sessions/99999").await.status, 404);
}

#[tokio::test]
async fn the_secretariat_moves_a_session_sees_the_clash_undoes_it_and_applies_a_solve() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let page = secretariat.get("/editions/igf-2026/timetable?day=2026-12-15").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No clashes"), "the demo starts clean");
    // Put a workshop-room session on top of the opening ceremony.
    let sessions = programme::sessions(&app.db, edition.id).await.unwrap();
    let opening = sessions.iter().find(|s| s.kind == "ceremony" && s.pinned).unwrap();
    let other = sessions.iter().find(|s| !s.pinned && s.kind != "ceremony").unwrap();
    let room = opening.room_id.unwrap().to_string();
    let number = other.number.to_string();
    let answer = secretariat
        .post_form(
            "/editions/igf-2026/timetable/move",
            &[("session", &number), ("room", &room), ("day", "2026-12-15"), ("start", "09:30")],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let next = answer.location().unwrap().to_owned();
    let page = secretariat.get(&next).await;
    assert!(page.body.contains("Hard violations"), "the clash is reported at once");
    assert!(page.body.contains(&format!("#{} ", other.number)) && page.body.contains("overlap in"), "and explained");
    assert!(page.body.contains("Undo the last move"));
    // Undo: the form on the page puts it back where it was.
    let undo = |field: &str| {
        let at = page.body.find(&format!("name=\"{field}\" value=\"")).unwrap() + field.len() + 15;
        page.body[at..].split('"').next().unwrap().to_owned()
    };
    let (room, day, start, version) = (undo("room"), undo("day"), undo("start"), undo("version"));
    assert_eq!(start, other.starts_at.clone().unwrap());
    let answer = secretariat
        .post_form(
            "/editions/igf-2026/timetable/move",
            &[("session", &number), ("room", &room), ("day", &day), ("start", &start), ("version", &version)],
        )
        .await;
    assert_eq!(answer.status, 303);
    let restored = programme::session(&app.db, edition.id, other.id).await.unwrap().unwrap();
    assert_eq!((restored.room_id, restored.starts_at.clone()), (other.room_id, other.starts_at.clone()));
    // A stale form (an old version) is refused rather than overwriting.
    let stale = secretariat
        .post_form(
            "/editions/igf-2026/timetable/move",
            &[("session", &number), ("room", &room), ("day", &day), ("start", "11:00"), ("version", &version)],
        )
        .await;
    assert_eq!(stale.status, 422);
    assert!(
        stale.body.contains("Someone else changed this") && stale.body.contains("他の人が変更しました"),
        "{}",
        stale.body
    );
    // With a clash again, the minimal-change solve fixes it by moving only a few sessions.
    let clash = secretariat
        .post_form(
            "/editions/igf-2026/timetable/move",
            &[
                ("session", &number),
                ("room", &opening.room_id.unwrap().to_string()),
                ("day", "2026-12-15"),
                ("start", "09:30"),
            ],
        )
        .await;
    assert_eq!(clash.status, 303);
    let minimal = secretariat.post_form("/editions/igf-2026/timetable/solve", &[("mode", "minimal")]).await;
    let moves = minimal.body.matches("<tr><td>#").count();
    assert!((1..=4).contains(&moves), "{moves} moves proposed to fix one clash");
    // In Japanese the preview names sessions, days and rooms as people do: no ids, no English.
    secretariat.post_form("/language", &[("lang", "ja"), ("next", "/")]).await;
    let japanese = secretariat.post_form("/editions/igf-2026/timetable/solve", &[("mode", "minimal")]).await;
    assert_eq!(japanese.status, 200);
    let shown = visible_text(&japanese.body);
    assert!(shown.contains("日目"), "days by their Japanese names: {shown}");
    for raw in ["Day ", "session-", "clash", "room-", "unplaced"] {
        assert!(!shown.contains(raw), "{raw:?} on the Japanese preview: {shown}");
    }
    let uuid = shown
        .split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .find(|w| w.len() == 36 && w.matches('-').count() == 4);
    assert!(uuid.is_none(), "an id on the page: {uuid:?}");
    secretariat.post_form("/language", &[("lang", "en"), ("next", "/")]).await;
    // The automatic solve is a preview first; applying it keeps the pins.
    let preview = secretariat.post_form("/editions/igf-2026/timetable/solve", &[]).await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("Apply these moves"));
    let field = |name: &str| {
        let at = preview.body.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        let raw = preview.body[at..].split('"').next().unwrap();
        raw.replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&#x22;", "\"")
            .replace("&amp;", "&")
            .replace("&#39;", "'")
    };
    let (placements, as_of) = (field("placements"), field("as_of"));
    let applied = secretariat
        .post_form("/editions/igf-2026/timetable/apply", &[("placements", &placements), ("as_of", &as_of)])
        .await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    let after = programme::session(&app.db, edition.id, opening.id).await.unwrap().unwrap();
    assert_eq!((after.room_id, after.starts_at.clone()), (opening.room_id, opening.starts_at.clone()), "pins stay");
    let page = secretariat.get("/editions/igf-2026/timetable").await;
    assert!(page.body.contains("No clashes"), "the solved timetable is clean");
}

#[tokio::test]
async fn a_participant_stars_a_session_and_downloads_their_agenda() {
    let app = TestApp::with_demo().await;
    let mut participant = app.signed_in(PARTICIPANT).await;
    let page = participant.get("/editions/igf-2026/sessions/3").await;
    assert!(page.body.contains("Add to my agenda"));
    let answer = participant.post_form("/editions/igf-2026/sessions/3/star", &[]).await;
    assert_eq!(answer.status, 303);
    let page = participant.get("/editions/igf-2026/sessions/3").await;
    assert!(page.body.contains("aria-pressed=\"true\""));
    let agenda = participant.get("/editions/igf-2026/agenda").await;
    assert_eq!(agenda.status, 200);
    assert!(agenda.body.contains("/editions/igf-2026/sessions/3"));
    let ics = participant.get("/editions/igf-2026/agenda.ics").await;
    let calendar: icalendar::Calendar = ics.body.parse().unwrap();
    assert_eq!(calendar.components.len(), 1, "only the starred session");
    // Starring again removes it; another user's agenda is their own.
    participant.post_form("/editions/igf-2026/sessions/3/star", &[]).await;
    let ics = participant.get("/editions/igf-2026/agenda.ics").await;
    assert_eq!(ics.body.parse::<icalendar::Calendar>().unwrap().components.len(), 0);
    // Without an account the star lives in the browser.
    let page = app.client().get("/editions/igf-2026/sessions/3").await;
    assert!(page.body.contains("local-star"));
}

fn shared(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../../shared/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[tokio::test]
async fn published_schedules_import_all_or_nothing_and_export_again() {
    let app = TestApp::spawn().await;
    let actor = Actor::system("test");
    // iCalendar: events without a room are named and left out; the rest become a placed edition.
    let ics = kaigi_core::frab::parse(&shared("import-samples/linux_conf_au_2020.ics")).unwrap();
    let report = kaigi_db::publishing::import_published(&app.db, &actor, &ics, "lca-2020").await.unwrap();
    assert_eq!(report.sessions, 245);
    assert_eq!(report.notes.len(), 17, "{:?}", report.notes);
    assert!(report.notes.iter().all(|n| n.contains("@lca2020.linux.org.au") && n.contains("LOCATION")));
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "lca-2020").await.unwrap().unwrap();
    assert_eq!(edition.timezone, "Australia/Brisbane");
    let sessions = programme::sessions(&app.db, edition.id).await.unwrap();
    assert_eq!(sessions.len(), 245);
    let welcome = sessions.iter().find(|s| s.title == "Wednesday Welcome").unwrap();
    assert_eq!(
        (welcome.day.unwrap().to_string().as_str(), welcome.starts_at.as_deref()),
        ("2020-01-15", Some("09:00"))
    );
    assert!(!welcome.pinned, "published places are not pins");
    // frab JSON, then its export read back with the same number of events.
    let json = kaigi_core::frab::parse(&shared("import-samples/camp2019.frab.schedule.json")).unwrap();
    let report = kaigi_db::publishing::import_published(&app.db, &actor, &json, "camp-2019").await.unwrap();
    assert_eq!((report.sessions, report.tracks), (79, 7));
    let camp = kaigi_db::editions::edition_by_slug(&app.db, "camp-2019").await.unwrap().unwrap();
    let latest =
        kaigi_db::publishing::latest(&app.db, camp.id).await.unwrap().expect("an imported schedule is published");
    let export = kaigi_db::publishing::frab(&latest, &camp, "https://example.org");
    let again = kaigi_core::frab::parse(&kaigi_core::frab::write_xml(&export)).unwrap();
    assert_eq!(again.days.iter().map(|d| d.events.len()).sum::<usize>(), 79);
    // The same slug twice: refused, and nothing of the second attempt is stored.
    let people_before = kaigi_db::directory::count_people(&app.db).await.unwrap();
    let err = kaigi_db::publishing::import_published(&app.db, &actor, &json, "camp-2019").await.unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    assert_eq!(kaigi_db::directory::count_people(&app.db).await.unwrap(), people_before);
    assert_eq!(programme::sessions(&app.db, camp.id).await.unwrap().len(), 79);
}

#[tokio::test]
async fn the_diversity_report_charts_who_is_on_stage() {
    let app = TestApp::with_demo().await;
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let page = secretariat.get("/editions/igf-2026/diversity").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("<svg class=\"chart\"").count(), 3, "group, region, gender");
    assert!(page.body.contains("Civil society") && page.body.contains("Asia-Pacific Group"));
    // The whole-edition row counts every person on every placed session.
    let edition = demo_edition(&app).await;
    let people = programme::people(&app.db, edition.id).await.unwrap().len();
    assert!(page.body.contains(&format!("({people})")), "{people}");
}

#[tokio::test]
async fn the_schedule_filters_by_room_track_and_person() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let sessions = programme::sessions(&app.db, edition.id).await.unwrap();
    let mut visitor = app.client();
    let page = visitor.get("/editions/igf-2026/schedule?day=2026-12-15&room=Main%20Hall%20A").await;
    assert_eq!(page.status, 200);
    let in_room = sessions.iter().filter(|s| {
        s.room.as_deref() == Some("Main Hall A") && s.day.map(|d| d.to_string()).as_deref() == Some("2026-12-15")
    });
    let elsewhere = sessions
        .iter()
        .find(|s| {
            s.room.as_deref() != Some("Main Hall A") && s.day.map(|d| d.to_string()).as_deref() == Some("2026-12-15")
        })
        .unwrap();
    for s in in_room {
        assert!(page.body.contains(&format!("/sessions/{}\"", s.number)), "{}", s.title);
    }
    assert!(!page.body.contains(&format!("/sessions/{}\"", elsewhere.number)));
    let ics = visitor.get("/editions/igf-2026/export/schedule.ics?room=Main%20Hall%20A").await;
    let calendar: icalendar::Calendar = ics.body.parse().unwrap();
    let expected = sessions.iter().filter(|s| s.room.as_deref() == Some("Main Hall A")).count();
    assert_eq!(calendar.components.len(), expected);
    // One person's sessions, for their own calendar.
    let people = programme::people(&app.db, edition.id).await.unwrap();
    let someone = people[0].person_id;
    let placed = |id| sessions.iter().any(|s| s.id == id && s.room_id.is_some());
    let theirs = people.iter().filter(|p| p.person_id == someone && placed(p.session_id)).count();
    let ics = visitor.get(&format!("/editions/igf-2026/export/schedule.ics?person={someone}")).await;
    assert_eq!(ics.body.parse::<icalendar::Calendar>().unwrap().components.len(), theirs);
}

/// Publishes the draft as the next version, as the secretariat does.
async fn publish(app: &TestApp, edition: uuid::Uuid) -> kaigi_db::publishing::Version {
    kaigi_db::publishing::publish(&app.db, &Actor::system("test"), edition, None, &Default::default()).await.unwrap()
}

#[tokio::test]
async fn a_cached_programme_follows_every_publication_made_by_another_instance() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let cache = kaigi_db::publishing::PublishedCache::default();
    let before = cache.latest(&app.db, edition.id).await.unwrap().unwrap();
    let again = cache.latest(&app.db, edition.id).await.unwrap().unwrap();
    assert!(std::sync::Arc::ptr_eq(&before.programme, &again.programme), "served from memory");
    let s = programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.pinned && s.day.is_some())
        .unwrap();
    // Another instance moves a session in the draft: the public version stays as it was…
    programme::move_session(
        &app.db,
        &Actor::system("other instance"),
        edition.id,
        s.id,
        s.version,
        Some((s.room_id.unwrap(), s.day.unwrap(), "17:15".into())),
        false,
    )
    .await
    .unwrap();
    let unchanged = cache.latest(&app.db, edition.id).await.unwrap().unwrap();
    assert_eq!(unchanged.version.number, before.version.number);
    let id = s.id.to_string();
    let was = before.programme.sessions.iter().find(|x| x.id == id).unwrap().slot.starts_at.clone();
    assert_eq!(unchanged.programme.sessions.iter().find(|x| x.id == id).unwrap().slot.starts_at, was);
    // …until it publishes: then this one serves the new version on its next read.
    let published = publish(&app, edition.id).await;
    assert!(
        published
            .changes
            .iter()
            .any(|c| matches!(c, kaigi_core::publishing::Change::Moved { number, .. } if *number == s.number))
    );
    let after = cache.latest(&app.db, edition.id).await.unwrap().unwrap();
    assert_eq!(after.version.number, published.number);
    assert_eq!(after.programme.sessions.iter().find(|x| x.id == id).unwrap().slot.starts_at, "17:15");
}

#[tokio::test]
async fn served_schedule_files_follow_every_publication() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let mut visitor = app.client();
    let first = visitor.get("/editions/igf-2026/export/schedule.csv").await.body;
    assert_eq!(first, visitor.get("/editions/igf-2026/export/schedule.csv").await.body);
    let s = programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.pinned && s.day.is_some())
        .unwrap();
    programme::move_session(
        &app.db,
        &Actor::system("t"),
        edition.id,
        s.id,
        s.version,
        Some((s.room_id.unwrap(), s.day.unwrap(), "17:45".into())),
        false,
    )
    .await
    .unwrap();
    let moved = |csv: &str| csv.lines().any(|l| l.starts_with(&s.id.to_string()) && l.contains(",17:45,"));
    assert!(!moved(&visitor.get("/editions/igf-2026/export/schedule.csv").await.body), "a draft move is not public");
    publish(&app, edition.id).await;
    let second = visitor.get("/editions/igf-2026/export/schedule.csv").await.body;
    assert!(moved(&second), "the move shows once published");
    // A speaker renamed in the directory is renamed in the files with the next version.
    let person = programme::people(&app.db, edition.id).await.unwrap()[0].clone();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("update people set display_name = 'Renamed Speaker', updated_at = $2 where id = $1")
        .bind(person.person_id).bind(kaigi_db::now()).execute(c).await.map(|_| ())).unwrap();
    tx.commit().await.unwrap();
    assert!(!visitor.get("/editions/igf-2026/export/schedule.csv").await.body.contains("Renamed Speaker"));
    publish(&app, edition.id).await;
    let third = visitor.get("/editions/igf-2026/export/schedule.csv").await.body;
    assert!(third.contains("Renamed Speaker"));
}

#[tokio::test]
async fn the_secretariat_creates_a_session_directly_and_places_it() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let bad = secretariat
        .post_form("/editions/igf-2026/timetable/sessions", &[("title", "x"), ("kind", "main"), ("minutes", "0")])
        .await;
    assert_eq!(bad.status, 422);
    let version = programme::schedule_version(&app.db, edition.id).await.unwrap();
    let created = secretariat
        .post_form(
            "/editions/igf-2026/timetable/sessions",
            &[
                ("title", "Main session: the future of the IGF"),
                ("kind", "main"),
                ("minutes", "90"),
                ("audience", "800"),
                ("interpretation", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let s = programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.title == "Main session: the future of the IGF")
        .unwrap();
    assert!(s.room_id.is_none() && s.needs == "interpretation" && s.audience == 800);
    assert!(programme::schedule_version(&app.db, edition.id).await.unwrap() > version, "apps see a new version");
    let page = secretariat.get(created.location().unwrap()).await;
    assert!(page.body.contains("Main session: the future of the IGF"), "listed among the unplaced");
}

#[tokio::test]
async fn an_administrator_imports_a_schedule_from_the_browser() {
    let app = TestApp::with_demo().await;
    let mut admin = app.signed_in(ADMIN).await;
    let csrf = admin.csrf().await;
    let upload = |file: &str, edition: &str| {
        let boundary = "kaigi-import-boundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.json\"\r\nContent-Type: application/json\r\n\r\n{file}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"edition\"\r\n\r\n{edition}\r\n--{boundary}--\r\n"
        );
        axum::http::Request::post(format!("/admin/import-schedule?csrf={}", encode(&csrf)))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let camp = shared("import-samples/camp2019.frab.schedule.json");
    let done = admin.send(upload(&camp, "camp-2019")).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("/editions/camp-2019/schedule"));
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "camp-2019").await.unwrap().unwrap();
    assert_eq!(programme::sessions(&app.db, edition.id).await.unwrap().len(), 79);
    let again = admin.send(upload(&camp, "camp-2019")).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("exists already"));
    let junk = admin.send(upload("not a schedule", "junk")).await;
    assert_eq!(junk.status, 422);
    assert!(kaigi_db::editions::edition_by_slug(&app.db, "junk").await.unwrap().is_none());
}

/// Issue 16: the draft programme through the API — sessions listed with their places, a session
/// the committee adds, a move on the version read, the timetabler previewed and the whole
/// timetable stored, a stale store refused; and none of it public until published.
#[tokio::test]
async fn the_secretariat_builds_the_draft_programme_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::{Value, json};
    let app = TestApp::with_demo().await;
    let actor = Actor::system("test");
    let token = |email: &'static str| {
        let (db, actor) = (app.db.clone(), actor.clone());
        async move {
            let user = kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id;
            kaigi_db::tokens::create(&db, &actor, user, "draft", TokenScope::Write, 1).await.unwrap().1
        }
    };
    let (desk, organiser) = (token(SECRETARIAT).await, token(ORGANISER).await);
    let base = "/api/v1/editions/igf-2026";
    let get = |path: String| {
        let (app, desk) = (&app, desk.clone());
        async move {
            let answer = with_token(app, "GET", &path, &desk, None).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
            answer.json()
        }
    };
    assert_eq!(
        with_token(&app, "GET", &format!("{base}/sessions"), &organiser, None).await.status,
        StatusCode::FORBIDDEN
    );
    let all = get(format!("{base}/sessions?limit=500")).await;
    let total = all["total"].as_u64().unwrap();
    let placed = get(format!("{base}/sessions?placed=true&limit=500")).await["total"].as_u64().unwrap();
    let unplaced = get(format!("{base}/sessions?placed=false&limit=500")).await["total"].as_u64().unwrap();
    assert_eq!(placed + unplaced, total);
    let second_page = get(format!("{base}/sessions?limit=5&offset=5")).await;
    assert_eq!(second_page["sessions"][0]["id"], all["sessions"][5]["id"]);

    // A session of the committee's own: unplaced, and not public.
    let new = json!({"title": "Main session: AI governance", "kind": "main", "minutes": 90, "needs": ["hybrid"]});
    let created = with_token_json(&app, "POST", &format!("{base}/sessions"), &desk, new).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let number = created.json()["number"].as_i64().unwrap();
    let elsewhere = json!({"title": "x", "kind": "main", "minutes": 60, "theme": uuid::Uuid::now_v7()});
    assert_eq!(
        with_token_json(&app, "POST", &format!("{base}/sessions"), &desk, elsewhere).await.status,
        StatusCode::NOT_FOUND
    );
    let find = |page: &Value, number: i64| {
        page["sessions"].as_array().unwrap().iter().find(|s| s["number"] == number).cloned()
    };
    let mine = find(&get(format!("{base}/sessions?placed=false&limit=500")).await, number).expect("listed unplaced");
    assert_eq!((mine["place"].clone(), mine["needs"].clone()), (Value::Null, json!(["hybrid"])));

    // Placed and pinned on the version read; a stale version and another edition's room refused.
    let edition = with_token(&app, "GET", base, &desk, None).await.json();
    let (room, day) = (edition["rooms"][0]["id"].clone(), edition["days"][0]["day"].clone());
    let place = format!("{base}/sessions/{number}/place");
    let to = json!({"room": room, "day": day, "start": "08:00"});
    let moved =
        with_token_json(&app, "PUT", &place, &desk, json!({"version": mine["version"], "place": to, "pinned": true}))
            .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        (moved.json()["session"]["place"].clone(), moved.json()["session"]["pinned"].clone()),
        (to.clone(), json!(true))
    );
    let stale = with_token_json(&app, "PUT", &place, &desk, json!({"version": mine["version"], "place": null})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let foreign = json!({"room": uuid::Uuid::now_v7(), "day": day, "start": "08:00"});
    let version = moved.json()["session"]["version"].clone();
    let refused = with_token_json(&app, "PUT", &place, &desk, json!({"version": version, "place": foreign})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-room-unknown");
    let late = json!({"version": version, "place": {"room": room, "day": day, "start": "25:00"}});
    assert_eq!(with_token_json(&app, "PUT", &place, &desk, late).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The timetabler's preview keeps the pin and stores nothing; storing it stores it.
    let preview = get(format!("{base}/timetable/preview")).await;
    let pinned_there = preview["placements"].as_array().unwrap().iter().find(|p| p["session"] == created.json()["id"]);
    assert_eq!(pinned_there.map(|p| p["place"].clone()), Some(to.clone()), "a pinned session stays");
    let write = json!({"placements": preview["placements"], "as_of": preview["as_of"]});
    let stored = with_token_json(&app, "PUT", &format!("{base}/timetable"), &desk, write.clone()).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    let after = get(format!("{base}/sessions?limit=500")).await;
    for p in preview["placements"].as_array().unwrap() {
        let s = after["sessions"].as_array().unwrap().iter().find(|s| s["id"] == p["session"]).unwrap();
        assert_eq!(s["place"], p["place"], "session {} stored as previewed", s["number"]);
    }

    // A session moved since the preview: storing the preview again is refused whole.
    let other =
        preview["placements"].as_array().unwrap().iter().find(|p| p["session"] != created.json()["id"]).unwrap();
    let other_number =
        after["sessions"].as_array().unwrap().iter().find(|s| s["id"] == other["session"]).unwrap()["number"]
            .as_i64()
            .unwrap();
    let other_version = find(&after, other_number).unwrap()["version"].clone();
    let away = with_token_json(
        &app,
        "PUT",
        &format!("{base}/sessions/{other_number}/place"),
        &desk,
        json!({"version": other_version, "place": null}),
    )
    .await;
    assert_eq!(away.status, StatusCode::OK, "{}", away.body);
    let again = with_token_json(&app, "PUT", &format!("{base}/timetable"), &desk, write).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(
        find(&get(format!("{base}/sessions?limit=500")).await, other_number).unwrap()["place"],
        Value::Null,
        "nothing of it stored"
    );

    // None of this is public until a version is published.
    let public = app.client().get(&format!("{base}/programme")).await;
    assert!(!public.body.contains("Main session: AI governance"), "the draft is not public");
}

/// Issue 17: the agenda says which starred sessions are at the same time, and a session comes
/// off it from the agenda itself.
#[tokio::test]
async fn the_agenda_warns_of_sessions_at_the_same_time_and_unstars_in_place() {
    let app = TestApp::with_demo().await;
    let (a, b) = parallel_sessions(&app).await;
    let mut participant = app.signed_in(PARTICIPANT).await;
    for n in [a.number, b.number] {
        participant.post_form(&format!("/editions/igf-2026/sessions/{n}/star"), &[]).await;
    }
    let agenda = participant.get("/editions/igf-2026/agenda").await;
    let text = visible_text(&agenda.body);
    assert!(text.contains("2 of your sessions are at the same time as another"), "{text}");
    assert!(agenda.body.contains(&format!("href=\"/editions/igf-2026/sessions/{}\">#{}", b.number, b.number)));

    // Taken off from the agenda, back on the agenda; the warning goes with it.
    let off =
        participant.post_form(&format!("/editions/igf-2026/sessions/{}/star", b.number), &[("back", "agenda")]).await;
    assert_eq!(off.location(), Some("/editions/igf-2026/agenda"));
    let agenda = participant.get("/editions/igf-2026/agenda").await;
    assert!(!agenda.body.contains(&format!("/editions/igf-2026/sessions/{}\"", b.number)));
    assert!(!visible_text(&agenda.body).contains("at the same time"));
}

/// Issue 17: a calendar app subscribes to a person's agenda at a private address, without
/// cookies; a new address ends the old one, and the feed can be stopped.
#[tokio::test]
async fn a_calendar_app_subscribes_to_the_agenda_without_cookies() {
    let app = TestApp::with_demo().await;
    let mut participant = app.signed_in(PARTICIPANT).await;
    participant.post_form("/editions/igf-2026/sessions/3/star", &[]).await;
    let made = participant.post_form("/editions/igf-2026/agenda/feed", &[]).await;
    assert_eq!(made.status, 200);
    assert_eq!(made.headers.get("cache-control").unwrap(), "no-store");
    let url = |body: &str| {
        let start = body.find("/feeds/").expect("the address is shown");
        body[start..].split('<').next().unwrap().to_owned()
    };
    let first = url(&made.body);
    // A fresh client: no cookie, as a calendar app fetches.
    let feed = app.client().get(&first).await;
    assert_eq!(feed.status, 200);
    let calendar: icalendar::Calendar = feed.body.parse().unwrap();
    assert_eq!(calendar.components.len(), 1, "the starred session");
    assert!(!participant.get("/editions/igf-2026/agenda").await.body.contains("/feeds/"), "shown once");

    let again = participant.post_form("/editions/igf-2026/agenda/feed", &[]).await;
    let second = url(&again.body);
    assert_ne!(first, second);
    assert_eq!(app.client().get(&first).await.status, 404, "a new address ends the old one");
    assert_eq!(app.client().get(&second).await.status, 200);
    participant.post_form("/editions/igf-2026/agenda/feed", &[("action", "stop")]).await;
    assert_eq!(app.client().get(&second).await.status, 404, "stopped");
}

/// Issue 16: a conference app keeps a participant's agenda through the API — starring is
/// idempotent, clashes are named, only published sessions can be starred, and the calendar
/// feed is made (its address answered once, uncached) and stopped; each caller sees only their own.
#[tokio::test]
async fn a_conference_app_keeps_the_agenda_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let token = |email: &'static str| {
        let (db, actor) = (app.db.clone(), actor.clone());
        async move {
            let user = kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id;
            kaigi_db::tokens::create(&db, &actor, user, "app", TokenScope::Write, 1).await.unwrap().1
        }
    };
    let (mine, theirs) = (token(PARTICIPANT).await, token(ORGANISER).await);
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let (a, b) = parallel_sessions(&app).await;
    let base = "/api/v1/editions/igf-2026/agenda";
    let empty = with_token(&app, "GET", base, &mine, None).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    let already = empty.json()["sessions"].as_array().unwrap().len();
    let theirs_before = with_token(&app, "GET", base, &theirs, None).await.json();
    for n in [a.number, b.number, a.number] {
        let starred = with_token(&app, "PUT", &format!("{base}/{n}"), &mine, None).await;
        assert_eq!(starred.status, StatusCode::OK, "{}", starred.body);
    }
    let agenda = with_token(&app, "GET", base, &mine, None).await.json();
    let sessions = agenda["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), already + 2, "starring twice stars once");
    let first = sessions.iter().find(|s| s["number"] == a.number).unwrap();
    assert!(first["clashes"].as_array().unwrap().iter().any(|c| c == b.number), "{first}");
    assert_eq!(first["starts_at"], a.starts_at.clone().unwrap());
    assert_eq!(agenda["time_zone"], edition.timezone);
    let times: Vec<(String, String)> = sessions
        .iter()
        .map(|s| (s["date"].as_str().unwrap().to_owned(), s["starts_at"].as_str().unwrap().to_owned()))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
    // Someone else's agenda is their own: what this caller starred is not on it.
    let other = with_token(&app, "GET", base, &theirs, None).await.json();
    assert_eq!(other["sessions"], theirs_before["sessions"]);

    // Un-starring, twice, takes it off once; a draft-only or unknown number is not found.
    for _ in 0..2 {
        assert_eq!(
            with_token(&app, "DELETE", &format!("{base}/{}", b.number), &mine, None).await.status,
            StatusCode::OK
        );
    }
    let agenda = with_token(&app, "GET", base, &mine, None).await.json();
    assert!(agenda["sessions"].as_array().unwrap().iter().all(|s| s["number"] != b.number));
    let draft_only = programme::sessions(&app.db, edition.id).await.unwrap().into_iter().find(|s| !s.published);
    if let Some(draft) = draft_only {
        let refused = with_token(&app, "PUT", &format!("{base}/{}", draft.number), &mine, None).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "a session not published cannot be starred");
    }
    assert_eq!(with_token(&app, "PUT", &format!("{base}/999999"), &mine, None).await.status, StatusCode::NOT_FOUND);

    // The feed: made (201, no-store), fetched without credentials, replaced, stopped.
    let made = with_token(&app, "POST", &format!("{base}/feed"), &mine, None).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.headers.get("cache-control").unwrap(), "no-store");
    let url = made.json()["url"].as_str().unwrap().to_owned();
    let path = &url[url.find("/feeds/").unwrap()..];
    let feed = app.client().get(path).await;
    assert_eq!(feed.status, 200);
    assert!(feed.body.contains("BEGIN:VEVENT"));
    assert!(with_token(&app, "GET", base, &mine, None).await.json()["feed_made_at"].is_string());
    let stopped = with_token(&app, "DELETE", &format!("{base}/feed"), &mine, None).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    assert_eq!(app.client().get(path).await.status, 404);
    assert!(with_token(&app, "GET", base, &mine, None).await.json()["feed_made_at"].is_null());
    // A read token reads the agenda but stars nothing.
    let participant = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
    let (_, reader) =
        kaigi_db::tokens::create(&app.db, &actor, participant.id, "r", TokenScope::Read, 1).await.unwrap();
    assert_eq!(with_token(&app, "GET", base, &reader, None).await.status, StatusCode::OK);
    assert_eq!(
        with_token(&app, "PUT", &format!("{base}/{}", a.number), &reader, None).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Two published sessions of the demo whose times intersect (in different rooms).
async fn parallel_sessions(app: &TestApp) -> (programme::SessionRow, programme::SessionRow) {
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let placed: Vec<_> = programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.published && s.day.is_some())
        .collect();
    let clock = |t: &Option<String>| kaigi_core::timetable::parse_clock(t.as_deref().unwrap()).unwrap();
    placed
        .iter()
        .flat_map(|a| placed.iter().map(move |b| (a, b)))
        .find(|(a, b)| {
            a.number < b.number
                && a.day == b.day
                && clock(&a.starts_at) < clock(&b.starts_at) + b.minutes
                && clock(&b.starts_at) < clock(&a.starts_at) + a.minutes
        })
        .map(|(a, b)| (a.clone(), b.clone()))
        .expect("the demo runs sessions in parallel")
}
