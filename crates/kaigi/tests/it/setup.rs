//! Edition setup: the secretariat edits days, breaks, rooms (with availability), tracks and
//! themes; the timetabler follows; nothing in use is removed and a stale save is refused.

use kaigi_core::setup::{SetupLabel, SetupRoom, parse_availability, parse_spans};
use kaigi_db::{Actor, DbError, setup};

use crate::support::*;

#[tokio::test]
async fn the_setup_is_stored_whole_and_the_timetabler_follows_it() {
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let actor = Actor::system("test");
    let before = setup::load(&app.db, edition.id).await.unwrap();
    assert_eq!(before.days.len(), 5);
    assert_eq!(before.days[1].breaks, parse_spans("13:00-14:00").unwrap(), "the demo keeps the lunch hour");

    // A new room available only on the second day's morning, a coffee break, a new track.
    let mut wanted = before.clone();
    let second = wanted.days[1].date.clone();
    wanted.days[1].breaks = parse_spans("10:30–10:45, 13:00–14:00").unwrap();
    wanted.rooms.push(SetupRoom {
        id: None,
        name: "Press Room".into(),
        capacity: 20,
        features: vec!["hybrid".into()],
        available: parse_availability(&format!("{second} 09:00–12:00")).unwrap(),
    });
    wanted.tracks.push(SetupLabel {
        id: None,
        name: "Local communities".into(),
        name_ja: Some("地域コミュニティ".into()),
    });
    let version = setup::store(&app.db, &actor, edition.id, &wanted).await.unwrap();
    assert_eq!(Some(version), before.version.map(|v| v + 1));
    let after = setup::load(&app.db, edition.id).await.unwrap();
    assert_eq!(after.days[1].breaks.len(), 2);
    let press = after.rooms.iter().find(|r| r.name == "Press Room").unwrap();
    assert_eq!(press.available, wanted.rooms.last().unwrap().available);
    assert_eq!(after.tracks.last().unwrap().name_ja.as_deref(), Some("地域コミュニティ"));

    let instance = kaigi_db::programme::instance(&app.db, edition.id).await.unwrap();
    let day = instance.days.iter().find(|d| d.id == second).unwrap();
    assert_eq!(day.breaks.len(), 2);
    let room = instance.rooms.iter().find(|r| Some(&r.id) == press.id.as_ref()).unwrap();
    assert_eq!(room.available.as_ref().map(|a| a.len()), Some(1));
    assert_eq!(room.capacity, Some(20.0));

    // The same copy again is stale now.
    let stale = setup::store(&app.db, &actor, edition.id, &wanted).await;
    assert!(matches!(stale, Err(DbError::Conflict { .. })), "{stale:?}");

    // A room with sessions in it stays; an unused one goes.
    let mut fewer = after.clone();
    let hall = fewer.rooms.remove(0);
    let refused = setup::store(&app.db, &actor, edition.id, &fewer).await.unwrap_err().to_string();
    assert!(refused.contains(&hall.name) && refused.contains("sessions placed"), "{refused}");
    let mut fewer = after.clone();
    fewer.rooms.retain(|r| r.name != "Press Room");
    fewer.tracks.retain(|t| t.name != "Local communities");
    setup::store(&app.db, &actor, edition.id, &fewer).await.unwrap();
    let now = setup::load(&app.db, edition.id).await.unwrap();
    assert!(now.rooms.iter().all(|r| r.name != "Press Room"));
    assert_eq!(now.tracks.len(), before.tracks.len());

    // A bad setup names where it is wrong and stores nothing.
    let mut bad = now.clone();
    bad.days[0].breaks = parse_spans("19:00-20:00").unwrap();
    let error = setup::store(&app.db, &actor, edition.id, &bad).await.unwrap_err().to_string();
    assert!(error.contains("days[0].breaks[0]"), "{error}");
    assert_eq!(setup::load(&app.db, edition.id).await.unwrap(), now);
}

#[tokio::test]
async fn the_secretariat_sets_up_an_edition_in_the_browser() {
    let app = TestApp::with_demo().await;
    let mut admin = app.signed_in(ADMIN).await;
    let created = admin
        .post_form(
            "/admin/editions",
            &[
                ("slug", "j-igf-2027"),
                ("name", "Japan IGF 2027"),
                ("name_ja", "日本 IGF 2027"),
                ("timezone", "Asia/Tokyo"),
                ("venue", "Tokyo"),
                ("starts_on", "2027-03-10"),
                ("ends_on", "2027-03-11"),
            ],
        )
        .await;
    assert_eq!(created.location(), Some("/editions/j-igf-2027/setup"), "{}", created.body);
    let again = admin
        .post_form(
            "/admin/editions",
            &[
                ("slug", "j-igf-2027"),
                ("name", "x"),
                ("timezone", "Asia/Tokyo"),
                ("starts_on", "2027-03-10"),
                ("ends_on", "2027-03-11"),
            ],
        )
        .await;
    assert!(again.body.contains("exists already"), "{}", again.body);

    let page = admin.get("/editions/j-igf-2027/setup").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("2027-03-10") && page.body.contains("Day 2"), "one day per date");
    let version = |body: &str| {
        let at = body.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
        body[at..].split('"').next().unwrap().to_owned()
    };
    let v = version(&page.body);
    let saved = admin
        .post_form(
            "/editions/j-igf-2027/setup",
            &[
                ("version", &v),
                ("part", "day"),
                ("key", "2027-03-10"),
                ("label", "1日目"),
                ("start", "10:00"),
                ("end", "17:30"),
                ("breaks", "１２：００〜１３：００"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let room = [("part", "room"), ("name", "大会議室"), ("capacity", "120"), ("feature_hybrid", "on")];
    let page = admin.get("/editions/j-igf-2027/setup").await;
    let v = version(&page.body);
    let mut fields = vec![("version", v.as_str())];
    fields.extend_from_slice(&room);
    assert_eq!(admin.post_form("/editions/j-igf-2027/setup", &fields).await.status, 303);
    // The form of a page opened before that save is refused, with the page shown again.
    let stale = admin.post_form("/editions/j-igf-2027/setup", &fields).await;
    assert_eq!(stale.status, 422);
    assert!(stale.body.contains("Someone else changed this after you opened it"), "{}", stale.body);
    let bad = admin
        .post_form(
            "/editions/j-igf-2027/setup",
            &[
                ("version", &version(&stale.body)),
                ("part", "day"),
                ("key", "2027-03-11"),
                ("label", "2日目"),
                ("start", "18:00"),
                ("end", "09:00"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("2日目: 18:00–09:00 ends before it starts."), "{}", bad.body);

    let json = admin.get("/editions/j-igf-2027/setup.json").await.json();
    assert_eq!(json["days"][0]["label"], "1日目");
    assert_eq!(json["days"][0]["breaks"][0]["start"], "12:00");
    assert_eq!(json["rooms"][0]["name"], "大会議室");
    assert_eq!(json["rooms"][0]["features"][0], "hybrid");
    let public = app.client().get("/editions/j-igf-2027").await;
    assert!(public.body.contains("大会議室") && public.body.contains("10:00–17:30"), "{}", public.body);
}

/// Issue 16: the setup document through the API, stored whole on the version read.
#[tokio::test]
async fn the_setup_is_read_and_stored_through_the_api_on_the_version_read() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let user = kaigi_db::accounts::find_user_by_email(&app.db, SECRETARIAT).await.unwrap().unwrap().id;
    let (_, desk) = kaigi_db::tokens::create(&app.db, &actor, user, "setup", TokenScope::Write, 1).await.unwrap();
    let path = "/api/v1/editions/igf-2026/setup";
    let read = with_token(&app, "GET", path, &desk, None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let mut setup = read.json();
    let version = setup["version"].as_i64().unwrap();
    let rooms = setup["rooms"].as_array().unwrap().len();
    setup["rooms"].as_array_mut().unwrap().push(json!({"name": "Press room", "capacity": 30, "features": ["hybrid"]}));
    let stored = with_token_json(&app, "PUT", path, &desk, setup.clone()).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert_eq!(stored.json()["version"], version + 1);
    let now = with_token(&app, "GET", path, &desk, None).await.json();
    assert_eq!(now["rooms"].as_array().unwrap().len(), rooms + 1);

    // The copy read before that store is stale now.
    let stale = with_token_json(&app, "PUT", path, &desk, setup).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    // A setup the timetabler could not use is refused, naming where.
    let mut broken = now.clone();
    broken["rooms"][0]["capacity"] = json!(-1);
    let refused = with_token_json(&app, "PUT", path, &desk, broken).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(refused.json()["error"]["problems"][0]["path"], "rooms[0].capacity", "{}", refused.body);
    // A day sessions are placed on stays.
    let mut fewer = now.clone();
    fewer["days"].as_array_mut().unwrap().remove(0);
    let in_use = with_token_json(&app, "PUT", path, &desk, fewer).await;
    assert_eq!(in_use.status, StatusCode::CONFLICT, "{}", in_use.body);
    assert_eq!(in_use.json()["error"]["code"], "error-setup-day-in-use");
    assert_eq!(with_token(&app, "GET", path, &desk, None).await.json(), now, "nothing of a refused setup is stored");
}
