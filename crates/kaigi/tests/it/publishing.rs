//! Publishing the programme in versions: nothing of the draft is public before it is
//! published, publishing makes it public at once on every instance, and the changelog says
//! exactly what changed — on pages, in exports, in the public search and from the CLI.

use axum::http::StatusCode;
use kaigi_db::{Actor, programme, publishing};
use kaigi_web::{AppState, Config};

use crate::support::*;

async fn demo_edition(app: &TestApp) -> kaigi_db::editions::Edition {
    kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap()
}

/// Every anonymous way to read the programme, with what each answered.
async fn public_views(app: &TestApp, number: i64) -> Vec<(String, String)> {
    let mut visitor = app.client();
    let mut out = Vec::new();
    let mut paths: Vec<String> = ["schedule.xml", "schedule.json", "schedule.ics", "schedule.csv"]
        .iter()
        .map(|f| format!("/editions/igf-2026/export/{f}"))
        .collect();
    paths.push(format!("/editions/igf-2026/sessions/{number}"));
    paths.push("/editions/igf-2026/changes".into());
    paths.push("/editions/igf-2026/changes.json".into());
    paths.push("/search?q=draft+correction".into());
    paths.push("/api/v1/search?q=draft%20correction".into());
    let edition = demo_edition(app).await;
    for day in kaigi_db::editions::days(&app.db, edition.id).await.unwrap() {
        paths.push(format!("/editions/igf-2026/schedule?day={}", day.day));
    }
    for path in paths {
        let answer = visitor.get(&path).await;
        assert!(answer.status.is_success(), "{path}: {}", answer.status);
        out.push((path, answer.body));
    }
    out
}

#[tokio::test]
async fn nothing_of_the_draft_is_public_until_it_is_published_and_then_everywhere_at_once() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    // The demo's secretariat has a correction in the draft, not yet published.
    let corrected = programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.title.ends_with("a draft correction"))
        .expect("the demo's pending correction");
    for (path, body) in public_views(&app, corrected.number).await {
        assert!(!body.contains("a draft correction"), "{path} shows the draft");
    }
    // A second instance on the same database, with its caches warm.
    let other = kaigi_web::router(AppState::new(app.db.clone(), Config::local(0)).await.unwrap());
    let mut other_visitor = Client::new(other);
    let warm = other_visitor.get("/editions/igf-2026/export/schedule.json").await.body;
    assert!(!warm.contains("a draft correction"));

    // The secretariat reviews and publishes.
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let review = secretariat.get("/editions/igf-2026/programme/publish").await;
    assert!(review.body.contains("a draft correction"), "the review shows the change");
    let form = forms_of(&review.body).into_iter().find(|f| f.action.ends_with("/programme/publish")).unwrap();
    let seen = form.value("draft_version").unwrap().to_owned();
    let done = secretariat
        .post_form(
            "/editions/igf-2026/programme/publish",
            &[("draft_version", &seen), ("note", "A title corrected."), ("note_ja", "タイトルを修正しました。")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/editions/igf-2026/changes#v3"));

    // At once, on both instances, every view.
    for (path, body) in public_views(&app, corrected.number).await {
        if path.contains("/export/")
            || path.contains("/sessions/")
            || path.contains("/changes")
            || path.contains("search")
        {
            // iCalendar folds long lines (RFC 5545 §3.1): read it unfolded.
            let body = body.replace("\r\n ", "");
            assert!(body.contains("a draft correction"), "{path} does not show the published version");
        }
    }
    let fresh = other_visitor.get("/editions/igf-2026/export/schedule.json").await.body;
    assert!(fresh.contains("a draft correction"), "the other instance serves the new version");
    let json: serde_json::Value = serde_json::from_str(&fresh).unwrap();
    assert_eq!(json["schedule"]["version"], "igf-2026 v3 (1 renamed)");
    let changes = other_visitor.get("/editions/igf-2026/changes.json").await.json();
    assert_eq!(changes["versions"][0]["number"], 3);
    assert_eq!(changes["versions"][0]["note_ja"], "タイトルを修正しました。");
    assert_eq!(changes["versions"][0]["changes"].as_array().map(Vec::len), Some(1));
    assert_eq!(changes["versions"][0]["changes"][0]["change"], "renamed");
    assert_eq!(changes["versions"][0]["changes"][0]["number"], corrected.number);
    let page = app.client().get("/editions/igf-2026/changes").await.body;
    assert!(page.contains("A title corrected."), "the note is shown");
    // Publishing again with nothing changed is refused in words.
    let again = secretariat.get("/editions/igf-2026/programme/publish").await;
    assert!(
        forms_of(&again.body).iter().all(|f| !f.action.ends_with("/programme/publish")),
        "no form: nothing to publish"
    );
}

#[tokio::test]
async fn a_cancelled_session_stays_visible_as_cancelled() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    // The secretariat takes a session off the timetable and publishes.
    let s = programme::sessions(&app.db, edition.id).await.unwrap().into_iter().find(|s| !s.pinned).unwrap();
    programme::move_session(&app.db, &Actor::system("t"), edition.id, s.id, s.version, None, false).await.unwrap();
    let version =
        publishing::publish(&app.db, &Actor::system("t"), edition.id, None, &Default::default()).await.unwrap();
    assert!(version.changes.iter().any(|c| c.code() == "cancelled" && c.number() == s.number), "{:?}", version.changes);
    let latest = publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    let cancelled = latest.programme.by_number(s.number).unwrap().clone();
    assert!(cancelled.cancelled);
    let mut visitor = app.client();
    let page = visitor.get(&format!("/editions/igf-2026/sessions/{}", cancelled.number)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("This session has been cancelled."));
    let day = visitor.get(&format!("/editions/igf-2026/schedule?day={}", cancelled.slot.day)).await.body;
    assert!(day.contains(&format!("/sessions/{}\"", cancelled.number)), "still on its day, marked");
    assert!(day.contains("session-card cancelled"));
    // Not in the files apps import as sessions taking place; counted in their version.
    let json = visitor.get("/editions/igf-2026/export/schedule.json").await.body;
    assert!(!json.contains(&cancelled.id));
    assert!(json.contains("1 cancelled"));
    // A session taking place can be added to a calendar on its own; a cancelled one cannot.
    let taking_place = latest.programme.taking_place().next().unwrap();
    let page = visitor.get(&format!("/editions/igf-2026/sessions/{}", taking_place.number)).await.body;
    let link = format!("/editions/igf-2026/export/schedule.ics?session={}", taking_place.number);
    assert!(page.contains(&link));
    let one: icalendar::Calendar = visitor.get(&link).await.body.parse().unwrap();
    assert_eq!(one.components.len(), 1);
    // Nobody stars a cancelled session.
    let mut participant = app.signed_in(PARTICIPANT).await;
    let star = participant.post_form(&format!("/editions/igf-2026/sessions/{}/star", cancelled.number), &[]).await;
    assert_eq!(star.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stale_review_publishes_nothing() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let review = secretariat.get("/editions/igf-2026/programme/publish").await;
    let form = forms_of(&review.body).into_iter().find(|f| f.action.ends_with("/programme/publish")).unwrap();
    let seen = form.value("draft_version").unwrap().to_owned();
    // Someone moves a session after the review was opened.
    let s = programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.pinned && s.day.is_some())
        .unwrap();
    programme::move_session(&app.db, &Actor::system("t"), edition.id, s.id, s.version, None, false).await.unwrap();
    let stale = secretariat.post_form("/editions/igf-2026/programme/publish", &[("draft_version", &seen)]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("role=\"alert\""), "the refusal is said on the page");
    let fresh = forms_of(&stale.body).into_iter().find(|f| f.action.ends_with("/programme/publish")).unwrap();
    assert_ne!(fresh.value("draft_version"), Some(seen.as_str()), "the form now carries the draft as it is");
    assert_eq!(publishing::latest_number(&app.db, edition.id).await.unwrap(), 2, "nothing was published");
    assert!(stale.body.contains(&s.title), "the page shows the changes as they are now");
}

#[tokio::test]
async fn the_public_search_finds_published_sessions_and_no_draft() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let latest = publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    let mut visitor = app.client();
    // Every published session, by a word of its title: the longest English word, or a run of
    // Japanese between spaces and punctuation (Japanese titles have no spaces between words).
    let mut japanese = 0;
    for s in latest.programme.taking_place() {
        let word = s
            .title
            .split(|c: char| c.is_whitespace() || "、。：:「」『』（）()・,.?？!！".contains(c))
            .max_by_key(|w| w.chars().count())
            .unwrap();
        japanese += usize::from(!word.is_ascii());
        let found = visitor.get(&format!("/api/v1/search?q={}&kind=session&limit=500", encode(word))).await.json();
        let urls: Vec<&str> = found["hits"].as_array().unwrap().iter().filter_map(|r| r["url"].as_str()).collect();
        let url = format!("/editions/igf-2026/sessions/{}", s.number);
        assert!(urls.contains(&url.as_str()), "{word:?} does not find {url}: {found}");
    }
    assert!(japanese > 5, "Japanese titles were searched too ({japanese})");
    // Sessions only in the draft are not found.
    let draft = visitor.get("/api/v1/search?q=draft%20correction").await.json();
    assert_eq!(draft["hits"].as_array().map(Vec::len), Some(0), "{draft}");
}

#[tokio::test]
async fn the_cli_previews_publishes_and_lists_versions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kaigi.db");
    let db = db.to_str().unwrap();
    let (code, _, stderr) = kaigi_on(db, &["demo", "--no-serve"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = kaigi_on(db, &["edition", "publish", "igf-2026", "--dry-run"]);
    assert_eq!(code, Some(0), "{stderr}");
    let change: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(change["change"], "renamed");
    assert!(stderr.contains("version 3 would change: 1 renamed"), "{stderr}");
    let (code, _, stderr) = kaigi_on(db, &["edition", "publish", "igf-2026", "--note", "Corrected"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("published version 3"), "{stderr}");
    let (code, _, stderr) = kaigi_on(db, &["edition", "publish", "igf-2026"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("nothing changed"), "{stderr}");
    let (code, stdout, _) = kaigi_on(db, &["edition", "versions", "igf-2026"]);
    assert_eq!(code, Some(0));
    let versions: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        versions.as_array().map(|v| v.iter().map(|x| x["number"].as_i64().unwrap()).collect::<Vec<_>>()),
        Some(vec![3, 2, 1])
    );
    assert_eq!(versions[0]["note"], "Corrected");
}

#[tokio::test]
async fn public_pages_carry_no_cookie_and_answer_conditional_gets() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let paths = [
        "/editions/igf-2026/schedule?day=2026-12-15",
        "/editions/igf-2026/sessions/1",
        "/editions/igf-2026/changes",
        "/editions/igf-2026/changes.json",
        "/editions/igf-2026/export/schedule.json",
    ];
    let mut tags = Vec::new();
    for path in paths {
        let mut visitor = app.client();
        let first = visitor.get(path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert!(first.headers.get("set-cookie").is_none(), "{path} sets a cookie for an anonymous reader");
        assert_eq!(first.headers.get("cache-control").unwrap(), "public, no-cache", "{path}");
        let tag = first.headers.get("etag").expect("an ETag").clone();
        let request =
            axum::http::Request::get(path).header("if-none-match", tag.clone()).body(axum::body::Body::empty());
        let again = visitor.send(request.unwrap()).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        tags.push((path, tag));
    }
    // Signed in, pages are personal: never marked for shared caches.
    let mut participant = app.signed_in(PARTICIPANT).await;
    let own = participant.get("/editions/igf-2026/schedule?day=2026-12-15").await;
    assert!(own.headers.get("cache-control").is_none_or(|v| !v.to_str().unwrap().starts_with("public")));
    let agenda = participant.get("/editions/igf-2026/agenda.ics").await;
    assert_eq!(agenda.headers.get("cache-control").unwrap(), "private, no-cache", "one person's agenda is theirs");
    // A new version: every held copy is stale at once.
    let s = programme::sessions(&app.db, edition.id).await.unwrap().into_iter().find(|s| s.number == 1).unwrap();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("update programme_sessions set title = 'Opening, renamed', version = version + 1 where id = $1")
        .bind(s.id).execute(c).await.map(|_| ())).unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("update editions set schedule_version = schedule_version + 1 where id = $1")
        .bind(edition.id).execute(c).await.map(|_| ())).unwrap();
    tx.commit().await.unwrap();
    publishing::publish(&app.db, &Actor::system("t"), edition.id, None, &Default::default()).await.unwrap();
    for (path, tag) in tags {
        let request = axum::http::Request::get(path).header("if-none-match", tag).body(axum::body::Body::empty());
        let answer = app.client().send(request.unwrap()).await;
        assert_eq!(answer.status, StatusCode::OK, "{path} still says not modified");
    }
    // The language switch works for a visitor without any cookie (it sets only their own).
    let mut visitor = app.client();
    let switched = visitor.post_raw("/language", &[("lang", "en"), ("next", "/editions/igf-2026/schedule")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert!(visitor.get("/editions/igf-2026/schedule").await.body.contains("Schedule"));
}

/// A database from before versions: its public sessions become version 1 when kaigi starts,
/// once, however many instances start.
#[tokio::test]
async fn sessions_public_before_versions_become_version_one_at_start() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let public = programme::sessions(&app.db, edition.id).await.unwrap().into_iter().filter(|s| s.published).count();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("delete from programme_versions").execute(c).await.map(|_| ())).unwrap();
    tx.commit().await.unwrap();
    assert_eq!(publishing::latest_number(&app.db, edition.id).await.unwrap(), 0);
    let (a, b) =
        tokio::join!(AppState::new(app.db.clone(), Config::local(0)), AppState::new(app.db.clone(), Config::local(0)));
    a.unwrap();
    b.unwrap();
    let versions = publishing::versions(&app.db, edition.id).await.unwrap();
    assert_eq!(versions.len(), 1, "one version, however many instances started");
    let latest = publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    assert_eq!(latest.programme.taking_place().count(), public);
}

/// The session numbers a page links to.
fn linked_sessions(body: &str) -> std::collections::BTreeSet<i64> {
    body.split("/editions/igf-2026/sessions/")
        .skip(1)
        .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn speakers_have_public_pages_from_the_published_version_only() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let latest = publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    let speakers = latest.programme.speakers();
    assert!(speakers.len() > 50, "the demo programme has speakers: {}", speakers.len());
    let mut visitor = app.client();
    // The list: everyone once, in the order kaigi_core gives (gojūon by reading).
    let index = visitor.get("/editions/igf-2026/speakers").await;
    assert_eq!(index.status, StatusCode::OK);
    let positions: Vec<usize> = speakers
        .iter()
        .map(|(p, _)| {
            index
                .body
                .find(&format!("/editions/igf-2026/speakers/{}\"", p.id))
                .unwrap_or_else(|| panic!("{} is not listed", p.name))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "listed in order");
    // Each page lists exactly their sessions, and the session page links back.
    for (p, _) in speakers.iter().step_by(7) {
        let page = visitor.get(&format!("/editions/igf-2026/speakers/{}", p.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!("schedule.ics?person={}", p.id)), "their calendar");
        let expected: std::collections::BTreeSet<i64> = latest.programme.sessions_of(&p.id).map(|s| s.number).collect();
        assert_eq!(linked_sessions(&page.body), expected, "{}", p.name);
        let first = expected.first().unwrap();
        let session = visitor.get(&format!("/editions/igf-2026/sessions/{first}")).await;
        assert!(session.body.contains(&format!("/editions/igf-2026/speakers/{}", p.id)), "the session links them");
    }
    // Someone of the directory on no published session has no page; put on a session in the
    // draft, still none until the secretariat publishes.
    let people: Vec<uuid::Uuid> = kaigi_db::on_db!(&app.db, pool =>
        sqlx::query_scalar("select id from people where merged_into is null order by id").fetch_all(pool).await)
    .unwrap();
    let nobody = people.into_iter().find(|id| speakers.iter().all(|(p, _)| p.id != id.to_string())).unwrap();
    let path = format!("/editions/igf-2026/speakers/{nobody}");
    assert_eq!(visitor.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(visitor.get("/editions/igf-2026/speakers/not-a-uuid").await.status, StatusCode::NOT_FOUND);
    let session = latest.programme.taking_place().next().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into programme_session_people (id, session_id, person_id, role, position, created_at, updated_at)
         values ($1, $2, $3, 'speaker', 99, $4, $4)")
        .bind(uuid::Uuid::now_v7()).bind(uuid::Uuid::parse_str(&session.id).unwrap()).bind(nobody).bind(kaigi_db::now())
        .execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(visitor.get(&path).await.status, StatusCode::NOT_FOUND, "only in the draft");
    assert!(!visitor.get("/editions/igf-2026/speakers").await.body.contains(&path));
    publishing::publish(&app.db, &Actor::system("test"), edition.id, None, &publishing::Note::default()).await.unwrap();
    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "published");
    assert_eq!(linked_sessions(&page.body), [session.number].into());
    assert!(visitor.get("/editions/igf-2026/speakers").await.body.contains(&path));
    // The public search finds them by name, linking to that page.
    let name = page.body.split("<h1>").nth(1).and_then(|h| h.split("</h1>").next()).unwrap().to_owned();
    let found = visitor.get(&format!("/api/v1/search?q={}&kind=person", encode(&name))).await.json();
    let urls: Vec<&str> = found["hits"].as_array().unwrap().iter().filter_map(|r| r["url"].as_str()).collect();
    assert!(urls.contains(&path.as_str()), "{found}");
}

#[tokio::test]
async fn the_schedule_grid_shows_every_session_of_the_day_once_with_rooms_in_order() {
    let app = TestApp::with_demo().await;
    let edition = demo_edition(&app).await;
    let latest = publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    let mut visitor = app.client();
    for day in &latest.programme.days {
        let page = visitor.get(&format!("/editions/igf-2026/schedule?day={}", day.day)).await.body;
        let expected: std::collections::BTreeSet<i64> =
            latest.programme.sessions.iter().filter(|s| s.slot.day == day.day).map(|s| s.number).collect();
        if expected.is_empty() {
            continue;
        }
        let grid =
            page.split("<table class=\"schedule-grid\">").nth(1).expect("a grid").split("</table>").next().unwrap();
        let list = page.split("<div class=\"schedule-list\">").nth(1).expect("the list for phones");
        assert_eq!(linked_sessions(grid), expected, "the grid of {}", day.day);
        assert_eq!(linked_sessions(list), expected, "the list of {}", day.day);
        assert_eq!(grid.matches("class=\"grid-session").count(), expected.len(), "each once");
        // Room headings in the secretariat's order.
        let heads: Vec<usize> =
            latest.programme.rooms.iter().filter_map(|r| grid.find(&format!(">{}</th>", r.name))).collect();
        assert!(heads.len() > 1 && heads.windows(2).all(|w| w[0] < w[1]), "rooms in order on {}", day.day);
    }
}
