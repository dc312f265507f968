//! Every route × every role: allowed or refused, exactly as this table says. The table is
//! written out by hand, independent of the router's own, and must list every route.

use axum::http::{Method, StatusCode};

use std::collections::HashMap;

use crate::support::*;

/// Roles: P public, A admin, S secretariat of the demo edition, E evaluator, O organiser,
/// C committee member, R registered participant.
const ROLES: [(char, Option<&str>); 7] = [
    ('P', None),
    ('A', Some(ADMIN)),
    ('S', Some(SECRETARIAT)),
    ('E', Some(EVALUATOR)),
    ('O', Some(ORGANISER)),
    ('C', Some(COMMITTEE_MEMBER)),
    ('R', Some(PARTICIPANT)),
];

const MATRIX: &[(&str, &str, &str)] = &[
    ("GET", "/", "PASEOCR"),
    ("GET", "/healthz", "PASEOCR"),
    ("GET", "/static/kaigi.css", "PASEOCR"),
    ("GET", "/static/kaigi.js", "PASEOCR"),
    ("POST", "/language", "PASEOCR"),
    ("GET", "/login", "PASEOCR"),
    ("POST", "/login", "PASEOCR"),
    ("POST", "/logout", "ASEOCR"),
    ("GET", "/me", "ASEOCR"),
    ("POST", "/me/tokens", "ASEOCR"),
    ("POST", "/me/tokens/revoke", "ASEOCR"),
    ("POST", "/me/profile", "ASEOCR"),
    ("POST", "/me/password", "ASEOCR"),
    ("POST", "/me/sessions/end", "ASEOCR"),
    ("GET", "/agenda", "ASEOCR"),
    ("GET", "/registration", "ASEOCR"),
    ("GET", "/invitations/{token}", "PASEOCR"),
    ("POST", "/invitations/{token}", "PASEOCR"),
    ("GET", "/password/forgot", "PASEOCR"),
    ("POST", "/password/forgot", "PASEOCR"),
    ("GET", "/password/reset/{token}", "PASEOCR"),
    ("POST", "/password/reset/{token}", "PASEOCR"),
    ("GET", "/editions/{edition}", "PASEOCR"),
    ("GET", "/editions/{edition}/schedule", "PASEOCR"),
    ("GET", "/editions/{edition}/sessions/{number}", "PASEOCR"),
    ("GET", "/editions/{edition}/export/{file}", "PASEOCR"),
    ("GET", "/editions/{edition}/speakers", "PASEOCR"),
    ("GET", "/editions/{edition}/speakers/{speaker}", "PASEOCR"),
    ("GET", "/editions/{edition}/changes", "PASEOCR"),
    ("GET", "/editions/{edition}/changes.json", "PASEOCR"),
    ("POST", "/editions/{edition}/sessions/{number}/star", "ASEOCR"),
    ("GET", "/editions/{edition}/agenda", "ASEOCR"),
    ("GET", "/editions/{edition}/agenda.ics", "ASEOCR"),
    ("POST", "/editions/{edition}/agenda/feed", "ASEOCR"),
    ("GET", "/feeds/{token}/agenda.ics", "PASEOCR"),
    ("GET", "/editions/{edition}/manage", "AS"),
    ("GET", "/editions/{edition}/signup", "PASEOCR"),
    ("POST", "/editions/{edition}/signup", "PASEOCR"),
    ("GET", "/editions/{edition}/registration", "ASEOCR"),
    ("POST", "/editions/{edition}/registration", "ASEOCR"),
    ("POST", "/editions/{edition}/registration/cancel", "ASEOCR"),
    ("GET", "/editions/{edition}/badge", "ASEOCR"),
    ("POST", "/editions/{edition}/sessions/{number}/signup", "ASEOCR"),
    ("GET", "/editions/{edition}/registrations", "AS"),
    ("GET", "/editions/{edition}/registrations.csv", "AS"),
    ("POST", "/editions/{edition}/registrations/categories", "AS"),
    ("POST", "/editions/{edition}/registrations/signups", "AS"),
    ("GET", "/editions/{edition}/check-in", "AS"),
    ("POST", "/editions/{edition}/check-in", "AS"),
    ("GET", "/editions/{edition}/check-in/{code}", "AS"),
    ("GET", "/editions/{edition}/statistics", "AS"),
    ("GET", "/editions/{edition}/statistics.csv", "AS"),
    ("POST", "/editions/{edition}/statistics/import", "A"),
    ("POST", "/editions/{edition}/statistics/publish", "AS"),
    ("GET", "/editions/{edition}/participation", "PASEOCR"),
    ("GET", "/editions/{edition}/participation.csv", "PASEOCR"),
    ("GET", "/editions/{edition}/roundtables", "AS"),
    ("POST", "/editions/{edition}/roundtables", "AS"),
    ("GET", "/editions/{edition}/roundtables/{roundtable}", "AS"),
    ("GET", "/editions/{edition}/roundtables/{roundtable}/chart", "AS"),
    ("POST", "/editions/{edition}/roundtables/{roundtable}/invitees", "AS"),
    ("POST", "/editions/{edition}/roundtables/{roundtable}/invitees/{person}", "AS"),
    ("POST", "/editions/{edition}/roundtables/{roundtable}/seat", "AS"),
    ("POST", "/editions/{edition}/roundtables/{roundtable}/rapporteur", "AS"),
    ("GET", "/roundtables/{roundtable}/rounds/{round}/tables/{table}/report", "ASR"),
    ("POST", "/roundtables/{roundtable}/rounds/{round}/tables/{table}/report", "ASR"),
    ("GET", "/editions/{edition}/setup", "AS"),
    ("POST", "/editions/{edition}/setup", "AS"),
    ("GET", "/editions/{edition}/setup.json", "AS"),
    ("GET", "/editions/{edition}/timetable", "AS"),
    ("GET", "/editions/{edition}/diversity", "AS"),
    ("POST", "/editions/{edition}/timetable/move", "AS"),
    ("POST", "/editions/{edition}/timetable/sessions", "AS"),
    ("POST", "/editions/{edition}/timetable/solve", "AS"),
    ("POST", "/editions/{edition}/timetable/apply", "AS"),
    ("GET", "/editions/{edition}/programme/publish", "AS"),
    ("POST", "/editions/{edition}/programme/publish", "AS"),
    ("GET", "/editions/{edition}/webhooks", "AS"),
    ("POST", "/editions/{edition}/webhooks", "AS"),
    ("GET", "/editions/{edition}/webhooks/{webhook}", "AS"),
    ("POST", "/editions/{edition}/webhooks/{webhook}", "AS"),
    ("GET", "/editions/{edition}/proposals/{proposal}", "AS"),
    ("POST", "/editions/{edition}/proposals/{proposal}/decision", "AS"),
    ("GET", "/editions/{edition}/calls", "AS"),
    ("POST", "/editions/{edition}/calls", "AS"),
    ("GET", "/editions/{edition}/calls/{call}", "AS"),
    ("POST", "/editions/{edition}/calls/{call}", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/rubric", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/screen", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/evaluators", "AS"),
    ("GET", "/editions/{edition}/calls/{call}/assignment", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/assignment", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/assignment/override", "AS"),
    ("GET", "/editions/{edition}/calls/{call}/progress", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/remind", "AS"),
    ("GET", "/editions/{edition}/calls/{call}/results", "AS"),
    ("POST", "/editions/{edition}/calls/{call}/decisions", "AS"),
    ("GET", "/editions/{edition}/calls/{call}/similar", "AS"),
    ("GET", "/calls/{call}", "PASEOCR"),
    ("GET", "/calls/{call}/propose", "ASEOCR"),
    ("POST", "/calls/{call}/proposals", "ASEOCR"),
    ("GET", "/proposals", "ASEOCR"),
    ("GET", "/proposals/{proposal}", "ASO"),
    ("POST", "/proposals/{proposal}", "ASO"),
    ("POST", "/proposals/{proposal}/check", "ASO"),
    ("POST", "/proposals/{proposal}/status", "ASO"),
    ("POST", "/proposals/{proposal}/people", "ASO"),
    ("POST", "/proposals/{proposal}/people/{entry}", "ASO"),
    ("GET", "/proposals/confirm/{token}", "PASEOCR"),
    ("POST", "/proposals/confirm/{token}", "PASEOCR"),
    ("GET", "/evaluations", "ASEOCR"),
    ("GET", "/evaluations/{proposal}", "E"),
    ("POST", "/evaluations/{proposal}", "E"),
    ("POST", "/evaluations/{proposal}/conflict", "E"),
    ("GET", "/search", "PASEOCR"),
    ("GET", "/committees", "PASEOCR"),
    ("GET", "/committees/{committee}", "AC"),
    ("GET", "/committees/{committee}/import", "AC"),
    ("POST", "/committees/{committee}/import", "AC"),
    ("GET", "/meetings/{meeting}", "AC"),
    ("POST", "/meetings/{meeting}/state", "AC"),
    ("POST", "/meetings/{meeting}/details", "AC"),
    ("POST", "/meetings/{meeting}/items/{item}/minutes", "AC"),
    ("GET", "/meetings/{meeting}/items/{item}/history", "AC"),
    ("POST", "/meetings/{meeting}/action-items/{action}/status", "AC"),
    ("GET", "/meetings/{meeting}/minutes.md", "AC"),
    ("GET", "/meetings/{meeting}/minutes.html", "AC"),
    ("GET", "/meetings/{meeting}/minutes.pdf", "AC"),
    ("GET", "/minutes/{meeting}", "PASEOCR"),
    ("GET", "/committees/{committee}/minutes", "PASEOCR"),
    ("GET", "/committees/{committee}/meetings/new", "AC"),
    ("POST", "/committees/{committee}/meetings", "AC"),
    ("POST", "/meetings/{meeting}/items", "AC"),
    ("POST", "/meetings/{meeting}/items/{item}/flags", "AC"),
    ("POST", "/meetings/{meeting}/attendance", "AC"),
    ("POST", "/meetings/{meeting}/materials", "AC"),
    ("GET", "/meetings/{meeting}/materials/{material}", "AC"),
    ("POST", "/meetings/{meeting}/action-items", "AC"),
    ("POST", "/meetings/{meeting}/decisions", "AC"),
    ("POST", "/meetings/{meeting}/draft-agenda", "AC"),
    ("POST", "/meetings/{meeting}/poll", "AC"),
    ("GET", "/meetings/{meeting}/invitation.ics", "AC"),
    ("GET", "/committees/{committee}/calendar.ics", "AC"),
    ("POST", "/committees/{committee}/deadlines", "AC"),
    ("GET", "/polls/{poll}", "AC"),
    ("POST", "/polls/{poll}/answers", "AC"),
    ("POST", "/polls/{poll}/key-person", "AC"),
    ("POST", "/polls/{poll}/slots", "AC"),
    ("POST", "/polls/{poll}/invite", "AC"),
    ("POST", "/polls/{poll}/choose", "AC"),
    ("GET", "/polls/answer/{token}", "PASEOCR"),
    ("POST", "/polls/answer/{token}", "PASEOCR"),
    ("GET", "/people", "ASC"),
    ("GET", "/people/new", "AS"),
    ("POST", "/people", "AS"),
    ("GET", "/people/{person}", "ASC"),
    ("GET", "/people/{person}/edit", "AS"),
    ("POST", "/people/{person}", "AS"),
    ("POST", "/people/{person}/affiliations", "AS"),
    ("POST", "/people/{person}/merge", "AS"),
    ("GET", "/organisations", "ASC"),
    ("POST", "/organisations", "AS"),
    ("GET", "/admin", "A"),
    ("GET", "/admin/audit", "A"),
    ("GET", "/admin/outbox", "A"),
    ("GET", "/admin/users", "A"),
    ("POST", "/admin/invitations", "A"),
    ("GET", "/admin/webhooks", "A"),
    ("POST", "/admin/webhooks", "A"),
    ("GET", "/admin/webhooks/{site_webhook}", "A"),
    ("POST", "/admin/webhooks/{site_webhook}", "A"),
    ("POST", "/admin/editions", "A"),
    ("GET", "/admin/import-schedule", "A"),
    ("POST", "/admin/import-schedule", "A"),
    ("GET", "/api", "PASEOCR"),
    ("GET", "/api/openapi.json", "PASEOCR"),
    ("GET", "/api/v1/editions", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}/participation", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}/programme", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}/programme/versions", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}/programme/preview", "AS"),
    ("POST", "/api/v1/editions/{edition}/programme/publish", "AS"),
    ("GET", "/api/v1/editions/{edition}/speakers", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}/calls", "AS"),
    ("POST", "/api/v1/editions/{edition}/calls", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}", "AS"),
    ("PUT", "/api/v1/editions/{edition}/calls/{call}", "AS"),
    ("PUT", "/api/v1/editions/{edition}/calls/{call}/rubric", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/evaluators", "AS"),
    ("POST", "/api/v1/editions/{edition}/calls/{call}/evaluators/enlist", "AS"),
    ("PUT", "/api/v1/editions/{edition}/calls/{call}/evaluators/{user}", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/screening", "AS"),
    ("POST", "/api/v1/editions/{edition}/calls/{call}/screening", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/proposals", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/results", "AS"),
    ("POST", "/api/v1/editions/{edition}/proposals/{proposal}/decision", "AS"),
    ("POST", "/api/v1/editions/{edition}/decisions", "AS"),
    ("GET", "/api/v1/editions/{edition}/setup", "AS"),
    ("PUT", "/api/v1/editions/{edition}/setup", "AS"),
    ("GET", "/api/v1/editions/{edition}/sessions", "AS"),
    ("POST", "/api/v1/editions/{edition}/sessions", "AS"),
    ("PUT", "/api/v1/editions/{edition}/sessions/{number}/place", "AS"),
    ("GET", "/api/v1/editions/{edition}/timetable/preview", "AS"),
    ("PUT", "/api/v1/editions/{edition}/timetable", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/assignment", "AS"),
    ("PUT", "/api/v1/editions/{edition}/calls/{call}/assignment", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/assignment/preview", "AS"),
    ("POST", "/api/v1/editions/{edition}/calls/{call}/assignment/overrides", "AS"),
    ("GET", "/api/v1/editions/{edition}/calls/{call}/progress", "AS"),
    ("POST", "/api/v1/editions/{edition}/calls/{call}/reminders", "AS"),
    ("GET", "/api/v1/editions/{edition}/registration-categories", "AS"),
    ("PUT", "/api/v1/editions/{edition}/registration-categories/{code}", "AS"),
    ("PUT", "/api/v1/editions/{edition}/sessions/{number}/signup-capacity", "AS"),
    ("GET", "/api/v1/editions/{edition}/statistics", "AS"),
    ("POST", "/api/v1/editions/{edition}/statistics/publish", "AS"),
    ("GET", "/api/v1/editions/{edition}/registrations", "AS"),
    ("POST", "/api/v1/editions/{edition}/check-in", "AS"),
    ("GET", "/api/v1/editions/{edition}/webhooks", "AS"),
    ("POST", "/api/v1/editions/{edition}/webhooks", "AS"),
    ("DELETE", "/api/v1/editions/{edition}/webhooks/{webhook}", "AS"),
    ("PUT", "/api/v1/editions/{edition}/webhooks/{webhook}/active", "AS"),
    ("POST", "/api/v1/editions/{edition}/webhooks/{webhook}/ping", "AS"),
    ("GET", "/api/v1/editions/{edition}/webhooks/{webhook}/deliveries", "AS"),
    ("POST", "/api/v1/editions/{edition}/webhooks/{webhook}/deliveries/{delivery}/redeliver", "AS"),
    ("GET", "/api/v1/editions/{edition}/roundtables", "AS"),
    ("POST", "/api/v1/editions/{edition}/roundtables", "AS"),
    ("GET", "/api/v1/editions/{edition}/roundtables/{roundtable}", "AS"),
    ("POST", "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees", "AS"),
    ("PUT", "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}", "AS"),
    ("DELETE", "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}", "AS"),
    ("POST", "/api/v1/editions/{edition}/roundtables/{roundtable}/seating", "AS"),
    ("PUT", "/api/v1/editions/{edition}/roundtables/{roundtable}/rounds/{round}/tables/{table}/rapporteur", "AS"),
    ("GET", "/api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report", "ASR"),
    ("PUT", "/api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report", "ASR"),
    ("GET", "/api/v1/editions/{edition}/agenda", "ASEOCR"),
    ("PUT", "/api/v1/editions/{edition}/agenda/{number}", "ASEOCR"),
    ("DELETE", "/api/v1/editions/{edition}/agenda/{number}", "ASEOCR"),
    ("POST", "/api/v1/editions/{edition}/agenda/feed", "ASEOCR"),
    ("DELETE", "/api/v1/editions/{edition}/agenda/feed", "ASEOCR"),
    ("GET", "/api/v1/me", "ASEOCR"),
    ("GET", "/api/v1/search", "PASEOCR"),
    ("GET", "/api/v1/people", "ASC"),
    ("POST", "/api/v1/people", "AS"),
    ("GET", "/api/v1/people/{person}", "ASC"),
    ("PUT", "/api/v1/people/{person}", "AS"),
    ("POST", "/api/v1/people/{person}/affiliations", "AS"),
    ("POST", "/api/v1/people/{person}/merge", "AS"),
    ("GET", "/api/v1/organisations", "ASC"),
    ("POST", "/api/v1/organisations", "AS"),
    ("GET", "/api/v1/proposals", "ASEOCR"),
    ("POST", "/api/v1/calls/{call}/proposals", "ASEOCR"),
    ("GET", "/api/v1/proposals/{proposal}", "ASO"),
    ("PUT", "/api/v1/proposals/{proposal}", "ASO"),
    ("POST", "/api/v1/proposals/{proposal}/status", "ASO"),
    ("POST", "/api/v1/proposals/{proposal}/people", "ASO"),
    ("GET", "/api/v1/evaluations", "ASEOCR"),
    ("GET", "/api/v1/evaluations/{proposal}", "E"),
    ("PUT", "/api/v1/evaluations/{proposal}", "E"),
    ("POST", "/api/v1/evaluations/{proposal}/conflict", "E"),
    ("GET", "/api/v1/committees", "PASEOCR"),
    ("GET", "/api/v1/committees/{committee}/meetings", "AC"),
    ("POST", "/api/v1/committees/{committee}/meetings", "AC"),
    ("GET", "/api/v1/meetings/{meeting}", "AC"),
    ("PUT", "/api/v1/meetings/{meeting}/details", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/items", "AC"),
    ("PUT", "/api/v1/meetings/{meeting}/items/{item}/flags", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/attendance", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/draft-agenda", "AC"),
    ("PUT", "/api/v1/meetings/{meeting}/items/{item}/minutes", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/action-items", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/action-items/{action}/status", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/decisions", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/state", "AC"),
    ("GET", "/api/v1/committees/{committee}/polls", "AC"),
    ("POST", "/api/v1/meetings/{meeting}/poll", "AC"),
    ("GET", "/api/v1/polls/{poll}", "AC"),
    ("PUT", "/api/v1/polls/{poll}/answers", "AC"),
    ("POST", "/api/v1/polls/{poll}/slots", "AC"),
    ("PUT", "/api/v1/polls/{poll}/key-person", "AC"),
    ("POST", "/api/v1/polls/{poll}/invitations", "AC"),
    ("POST", "/api/v1/polls/{poll}/choice", "AC"),
];

#[test]
fn the_matrix_lists_every_route_and_nothing_else() {
    let table: Vec<(String, String)> =
        kaigi_web::route_table().iter().map(|r| (r.method.to_string(), r.path.to_owned())).collect();
    for (method, path) in &table {
        assert!(
            MATRIX.iter().any(|(m, p, _)| m == method && p == path),
            "route {method} {path} is missing from the route × role matrix"
        );
    }
    for (method, path, _) in MATRIX {
        assert!(table.iter().any(|(m, p)| m == method && p == path), "{method} {path} is in the matrix but not served");
    }
}

/// Demo objects for every path parameter, legitimately reachable by the roles of the matrix.
async fn demo_objects(app: &TestApp) -> HashMap<&'static str, String> {
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap().to_string();
    let committee_id = uuid::Uuid::parse_str(&committee).unwrap();
    // The oldest demo meeting: its minutes are published, so the public page answers.
    let meeting_row = kaigi_db::meetings::of_committee(&app.db, committee_id).await.unwrap().pop().unwrap();
    let meeting = meeting_row.id.to_string();
    let item = kaigi_db::meetings::agenda(&app.db, meeting_row.id).await.unwrap()[0].id.to_string();
    let action = kaigi_db::meetings::action_items_from(&app.db, meeting_row.id).await.unwrap()[0].id.to_string();
    // A material with a file, so the download answers for those allowed to see it.
    let material = add_material_file(app, meeting_row.id).await.to_string();
    let poll = kaigi_db::polls::poll_drafted_at(&app.db, meeting_row.id).await.unwrap().unwrap().id.to_string();
    // The demo organiser's proposal, with evaluator01 put on it by hand.
    let organiser = kaigi_db::accounts::find_user_by_email(&app.db, ORGANISER).await.unwrap().unwrap();
    let theirs = kaigi_db::proposals::proposals_of_user(&app.db, organiser.id).await.unwrap().remove(0);
    let call_id = theirs.call_id.unwrap();
    let evaluator = kaigi_db::accounts::find_user_by_email(&app.db, EVALUATOR).await.unwrap().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::evaluation::add_evaluator(&mut tx, call_id, evaluator.id, None, "").await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into evaluator_assignments (id, call_id, proposal_id, user_id, fixed, created_at, updated_at)
         values ($1, $2, $3, $4, true, $5, $5) on conflict (proposal_id, user_id) do nothing")
        .bind(uuid::Uuid::now_v7()).bind(call_id).bind(theirs.id).bind(evaluator.id).bind(kaigi_db::now())
        .execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    let entry = kaigi_db::proposals::people(&app.db, theirs.id).await.unwrap()[0].id.to_string();
    // The demo roundtable, with the demo participant made rapporteur of their first-round table.
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let rt = kaigi_db::roundtables::of_edition(&app.db, edition.id).await.unwrap().remove(0);
    let participant = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
    let seat = kaigi_db::roundtables::seats(&app.db, rt.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.round == 1 && s.person_id == participant.person_id.unwrap())
        .expect("the demo participant is seated at the demo roundtable");
    kaigi_db::roundtables::set_rapporteur(
        &app.db,
        &kaigi_db::Actor::system("test"),
        rt.id,
        1,
        seat.table_number,
        seat.person_id,
    )
    .await
    .unwrap();
    let badge = kaigi_db::registration::registrations(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.confirmed())
        .expect("the demo has registrations")
        .badge_code;
    let published = kaigi_db::publishing::latest(&app.db, edition.id).await.unwrap().expect("the demo publishes");
    let speaker = published.programme.speakers()[0].0.id.clone();
    let (webhook, delivery) = webhook_with_delivery(app, Some(edition.id)).await;
    let (site_webhook, _) = webhook_with_delivery(app, None).await;
    HashMap::from([
        ("webhook", webhook),
        ("delivery", delivery),
        ("site_webhook", site_webhook),
        ("edition", "igf-2026".to_owned()),
        ("proposal", theirs.id.to_string()),
        ("call", call_id.to_string()),
        // An evaluator of that call.
        ("user", evaluator.id.to_string()),
        ("entry", entry),
        ("number", "1".to_owned()),
        ("file", "schedule.xml".to_owned()),
        ("committee", committee),
        // An invitee of the demo roundtable (the roundtable routes name one), and a person of
        // the directory for the directory's routes.
        ("person", participant.person_id.unwrap().to_string()),
        ("meeting", meeting),
        ("item", item),
        ("action", action),
        ("material", material),
        ("poll", poll),
        ("token", "no-such-token".to_owned()),
        ("code", badge),
        ("roundtable", rt.id.to_string()),
        ("round", "1".to_owned()),
        ("speaker", speaker),
        ("table", seat.table_number.to_string()),
    ])
}

/// A webhook of an edition (or of the site) with one delivery queued.
async fn webhook_with_delivery(app: &TestApp, edition: Option<uuid::Uuid>) -> (String, String) {
    let actor = kaigi_db::Actor::system("test");
    let target = kaigi_core::webhooks::check_url("https://receiver.example.org/kaigi", false).unwrap();
    let events = [kaigi_core::webhooks::Event::DecisionMade];
    let webhook = kaigi_db::webhooks::create(&app.db, &actor, edition, &target, &events, "a secret for the route test")
        .await
        .unwrap();
    kaigi_db::webhooks::ping(&app.db, &actor, edition, webhook.id).await.unwrap();
    let delivery = kaigi_db::webhooks::deliveries(&app.db, webhook.id, 1, 0).await.unwrap().0.remove(0);
    (webhook.id.to_string(), delivery.id.to_string())
}

/// A material with a file, written directly: approved minutes take no new materials.
async fn add_material_file(app: &TestApp, meeting: uuid::Uuid) -> uuid::Uuid {
    let id = uuid::Uuid::now_v7();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into meeting_materials (id, meeting_id, title, url, file_name, content_type, content, position, created_at, updated_at)
         values ($1, $2, '資料 3', null, 'a.txt', 'text/plain', $3, 9, $4, $4)")
        .bind(id).bind(meeting).bind(b"hello".to_vec()).bind(kaigi_db::now()).execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn fill(path: &str, objects: &HashMap<&'static str, String>) -> String {
    let mut url = path.to_owned();
    for (name, value) in objects {
        url = url.replace(&format!("{{{name}}}"), value);
    }
    url
}

fn refused(answer: &Answer) -> bool {
    matches!(answer.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        || answer.location().is_some_and(|l| l.starts_with("/login?next="))
}

#[tokio::test]
async fn every_route_allows_exactly_the_roles_it_should() {
    let app = TestApp::with_demo().await;
    let objects = demo_objects(&app).await;
    let fill = |path: &str| fill(path, &objects);
    let mut failures = Vec::new();
    for (letter, account) in ROLES {
        let sign_in = || async {
            match account {
                Some(email) => app.signed_in(email).await,
                None => app.client(),
            }
        };
        let mut shared = sign_in().await;
        for (method, path, allowed) in MATRIX {
            // Signing out ends the session: that one gets a client of its own.
            let mut own;
            let client = if ["/logout", "/me/sessions/end"].contains(path) {
                own = sign_in().await;
                &mut own
            } else {
                &mut shared
            };
            // A removal removes: each role removes a webhook of its own, so the routes after it
            // still find theirs.
            // The demo invitee is seated, so taking the invitation back is refused (409) and
            // removes nothing.
            // Taking a star or a feed of one's own away leaves nothing another route needs.
            let url = if *method == Method::DELETE.as_str()
                && (path.ends_with("/invitees/{person}") || path.contains("/agenda/"))
            {
                fill(path)
            } else if *method == Method::DELETE.as_str() {
                assert!(path.ends_with("/webhooks/{webhook}"), "DELETE {path}: give it an object of its own to remove");
                let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().map(|e| e.id);
                let (fresh, _) = webhook_with_delivery(&app, edition).await;
                fill(&path.replace("{webhook}", &fresh))
            } else {
                fill(path)
            };
            let answer = if *method == Method::GET.as_str() {
                client.get(&url).await
            } else {
                // Empty forms: allowed requests fail validation (422) or redirect; nothing changes.
                client.send_form(method, &url, &[]).await
            };
            // Signing out everywhere ends the shared session too: the role signs in again.
            if *path == "/me/sessions/end" && account.is_some() {
                shared = sign_in().await;
            }
            let refused = refused(&answer);
            let should_allow = allowed.contains(letter);
            if refused == should_allow {
                failures.push(format!(
                    "{letter} {method} {url}: got {} (expected {})",
                    answer.status,
                    if should_allow { "allowed" } else { "refused" }
                ));
            }
            // A page a role may open answers: never "not found", a refusal of the request or an
            // error (a POST with an empty form is refused as incomplete, which is fine).
            if should_allow
                && *method == "GET"
                && !path.contains("{token}")
                && !(answer.status.is_success() || answer.status.is_redirection())
            {
                failures.push(format!("{letter} GET {url}: got {} for a page the role may open", answer.status));
            }
            // A form a role may send is read: an empty one may be refused as incomplete (422),
            // but the target exists (no 404) and nothing breaks (no 5xx).
            if should_allow
                && *method != "GET"
                && !path.contains("{token}")
                && (answer.status == StatusCode::NOT_FOUND || answer.status.is_server_error())
            {
                failures.push(format!("{letter} POST {url}: got {} for a form the role may send", answer.status));
            }
            if !should_allow && account.is_none() && *method == "GET" && !path.starts_with("/api/") {
                assert_eq!(answer.status, StatusCode::SEE_OTHER, "the public is sent to sign in for {url}");
            }
        }
    }
    assert!(failures.is_empty(), "route × role mismatches:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn a_secretariat_of_another_edition_is_refused() {
    let app = TestApp::with_demo().await;
    // A second edition whose secretariat is nobody we sign in as.
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into editions (id, slug, name, timezone, starts_on, ends_on, created_at, updated_at) values ($1, 'other', 'Other', 'UTC', $2, $2, $3, $3)")
        .bind(uuid::Uuid::now_v7()).bind(time::OffsetDateTime::now_utc().date()).bind(kaigi_db::now()).execute(c).await.map(|_| ())).unwrap();
    tx.commit().await.unwrap();
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    assert_eq!(secretariat.get("/editions/igf-2026/manage").await.status, StatusCode::OK);
    assert_eq!(secretariat.get("/editions/other/manage").await.status, StatusCode::FORBIDDEN);
    assert_eq!(secretariat.get("/editions/missing/manage").await.status, StatusCode::NOT_FOUND);
}

/// Objects of another scope: a second committee (from the sample minutes) with its meeting,
/// item, action item, material and date poll, and a second edition with its own call,
/// proposal (by someone else), entry and roundtable.
async fn foreign_objects(app: &TestApp) -> HashMap<&'static str, String> {
    let actor = kaigi_db::Actor::system("test");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/minutes-sample-ja.md");
    let doc = kaigi_core::minutes::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let meeting =
        kaigi_db::minutes::import(&app.db, &actor, &doc, &Default::default()).await.unwrap().meeting_id.unwrap();
    let committee = kaigi_db::meetings::committee_of(&app.db, meeting).await.unwrap().unwrap();
    let item = kaigi_db::meetings::agenda(&app.db, meeting).await.unwrap()[0].id;
    let action = kaigi_db::meetings::action_items_from(&app.db, meeting).await.unwrap()[0].id;
    let material = add_material_file(app, meeting).await;
    let poll = kaigi_db::polls::poll_drafted_at(&app.db, meeting).await.unwrap().unwrap().id;

    let edition = uuid::Uuid::now_v7();
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into editions (id, slug, name, timezone, starts_on, ends_on, created_at, updated_at) values ($1, 'other', 'Other', 'UTC', $2, $2, $3, $3)")
        .bind(edition).bind(time::OffsetDateTime::now_utc().date()).bind(kaigi_db::now()).execute(c).await.map(|_| ())).unwrap();
    let owner =
        kaigi_db::accounts::create_user(&mut tx, &actor, "someone-else@example.org", "Someone Else", None, None)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let now = kaigi_db::now();
    let input = kaigi_db::calls::CallInput {
        name: "Other call".into(),
        name_ja: None,
        opens_at: now - time::Duration::days(1),
        closes_at: now + time::Duration::days(30),
        settings: kaigi_core::calls::CallSettings::igf_defaults(),
        reference_completion: None,
    };
    let call_id = kaigi_db::calls::create_call(&app.db, &actor, edition, &input).await.unwrap();
    let call = kaigi_db::calls::call(&app.db, call_id).await.unwrap().unwrap();
    let fields = kaigi_core::calls::ProposalFields {
        title: "Someone else's proposal".into(),
        session_type: "workshop".into(),
        ..Default::default()
    };
    let proposal = kaigi_db::proposals::create_proposal(&app.db, &actor, owner, &call, &fields).await.unwrap();
    let entry = kaigi_db::proposals::people(&app.db, proposal).await.unwrap()[0].id;
    let roundtable = kaigi_db::roundtables::create(
        &app.db,
        &actor,
        edition,
        &kaigi_db::roundtables::RoundtableInput {
            name: "Other roundtable".into(),
            name_ja: None,
            tables: 2,
            seats: 4,
            rounds: 1,
            themes: kaigi_core::roundtable::seed_themes(),
        },
    )
    .await
    .unwrap();
    let stranger = kaigi_db::directory::list_people(&app.db, None, 600, 0).await.unwrap().pop().unwrap().id;
    let (webhook, delivery) = webhook_with_delivery(app, Some(edition)).await;
    // An account outside every call's pool.
    let outsider = kaigi_db::accounts::find_user_by_email(&app.db, ORGANISER).await.unwrap().unwrap().id;
    HashMap::from([
        ("webhook", webhook),
        ("delivery", delivery),
        ("user", outsider.to_string()),
        ("committee", committee.to_string()),
        ("meeting", meeting.to_string()),
        ("item", item.to_string()),
        ("action", action.to_string()),
        ("material", material.to_string()),
        ("poll", poll.to_string()),
        ("edition", "other".to_owned()),
        ("call", call_id.to_string()),
        ("proposal", proposal.to_string()),
        ("entry", entry.to_string()),
        ("roundtable", roundtable.to_string()),
        ("person", stranger.to_string()),
    ])
}

/// The parameter a route's permission is resolved from: swapping it asks for another scope,
/// which an administrator may legitimately reach.
fn scope_parameter(need: kaigi_web::Need) -> Option<&'static str> {
    use kaigi_web::Need::*;
    match need {
        ManageEdition => Some("edition"),
        CommitteeInside => Some("committee"),
        MeetingInside => Some("meeting"),
        PollInside => Some("poll"),
        OrganiseProposal | EvaluateProposal => Some("proposal"),
        ReportTable => Some("roundtable"),
        Public | SignedIn | ViewDirectory | ManageDirectory | AdministerSite => None,
    }
}

#[tokio::test]
async fn objects_of_another_scope_are_refused_on_every_scoped_route() {
    let app = TestApp::with_demo().await;
    let own = demo_objects(&app).await;
    let foreign = foreign_objects(&app).await;
    let accounts = [
        ('A', ADMIN),
        ('S', SECRETARIAT),
        ('E', EVALUATOR),
        ('O', ORGANISER),
        ('C', COMMITTEE_MEMBER),
        ('R', PARTICIPANT),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for route in kaigi_web::route_table() {
        let Some(scope) = scope_parameter(route.need) else { continue };
        if route.path == "/logout" {
            continue;
        }
        let allowed = MATRIX.iter().find(|(m, p, _)| *m == route.method.as_str() && *p == route.path).unwrap().2;
        for (letter, email) in accounts {
            if !allowed.contains(letter) {
                continue;
            }
            let mut client = app.signed_in(email).await;
            for (param, value) in &foreign {
                if !route.path.contains(&format!("{{{param}}}")) || (letter == 'A' && *param == scope) {
                    continue;
                }
                let mut objects = own.clone();
                objects.insert(param, value.clone());
                let url = fill(route.path, &objects);
                let answer = if route.method == axum::http::Method::GET {
                    client.get(&url).await
                } else {
                    client.send_form(route.method.as_str(), &url, &[]).await
                };
                checked += 1;
                if !(refused(&answer) || answer.status == StatusCode::NOT_FOUND) {
                    failures
                        .push(format!("{letter} {} {url} ({param} of another scope): {}", route.method, answer.status));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} cases");
    assert!(failures.is_empty(), "reached objects of another scope:\n{}", failures.join("\n"));
}

#[test]
fn every_pair_of_objects_a_path_names_is_checked() {
    let pairs: Vec<(&str, &str)> = kaigi_db::scope::checked_pairs().collect();
    for route in kaigi_web::route_table() {
        let params: Vec<&str> =
            route.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        // Values that are not objects (numbers, file names, tokens), are checked by the
        // permission itself (the rapporteur's round and table), or are only looked up in the
        // edition's published programme (a speaker: their page exists only there).
        let objects: Vec<&str> = params
            .iter()
            .copied()
            .filter(|p| !matches!(*p, "number" | "file" | "token" | "code" | "round" | "table" | "speaker"))
            .collect();
        for window in objects.windows(2) {
            assert!(
                pairs.contains(&(window[0], window[1])),
                "{} {}: {{{}}} inside {{{}}} is not checked by kaigi_db::scope",
                route.method,
                route.path,
                window[1],
                window[0]
            );
        }
    }
}

/// How a user sends each form in the legitimate case: the page that shows it, which of the
/// page's forms for that route (`pick`: fields it carries), and what they type or choose.
/// Listed in the order one person could send them all on one forum.
struct Legitimate {
    route: &'static str,
    page: &'static str,
    pick: &'static [(&'static str, &'static str)],
    typed: &'static [(&'static str, &'static str)],
}

const fn legit(
    route: &'static str,
    page: &'static str,
    pick: &'static [(&'static str, &'static str)],
    typed: &'static [(&'static str, &'static str)],
) -> Legitimate {
    Legitimate { route, page, pick, typed }
}

/// A page given as `POST <route>` is the answer to sending that route's legitimate form; a
/// typed `*` picks the first choice the form offers, `@name` uploads a file; a picked `!` is
/// a field the form must not have.
const LEGITIMATE: &[Legitimate] = &[
    legit("/language", "/", &[], &[]),
    legit("/login", "/login", &[], &[("email", "{login_email}"), ("password", "{password}")]),
    legit(
        "/invitations/{token}",
        "/invitations/{invitation}",
        &[],
        &[
            ("display_name", "招待 花子"),
            ("password", "a long enough password"),
            ("password_again", "a long enough password"),
        ],
    ),
    legit("/password/forgot", "/password/forgot", &[], &[("email", "{reset_email}")]),
    legit("/me/tokens", "/me", &[], &[("name", "Our web site"), ("scope", "*"), ("days", "30")]),
    legit(
        "/editions/{edition}/webhooks",
        "/editions/{edition}/webhooks",
        &[],
        &[("url", "https://www.example.org/kaigi-events"), ("event", "*")],
    ),
    legit(
        "/editions/{edition}/webhooks/{webhook}",
        "/editions/{edition}/webhooks/{webhook}",
        &[("action", "ping")],
        &[],
    ),
    legit("/admin/webhooks", "/admin/webhooks", &[], &[("url", "https://crm.example.org/hooks"), ("event", "*")]),
    legit("/admin/webhooks/{site_webhook}", "/admin/webhooks/{site_webhook}", &[("action", "ping")], &[]),
    // The token just made has its revoke button on the account page.
    legit("/me/tokens/revoke", "/me", &[], &[]),
    legit(
        "/password/reset/{token}",
        "/password/reset/{reset}",
        &[],
        &[("password", "new password 123"), ("password_again", "new password 123")],
    ),
    legit("/editions/{edition}/sessions/{number}/star", "/editions/{edition}/sessions/{number}", &[], &[]),
    legit("/editions/{edition}/signup", "/editions/{edition}/signup", &[], &[("email", "{signup_email}")]),
    legit(
        "/editions/{edition}/registration",
        "/editions/{edition}/registration",
        &[],
        &[("category", "*"), ("consent", "on")],
    ),
    legit("/editions/{edition}/sessions/{number}/signup", "/editions/{edition}/sessions/{number}", &[], &[]),
    legit("/editions/{edition}/registration/cancel", "/editions/{edition}/registration", &[], &[]),
    legit(
        "/editions/{edition}/registrations/categories",
        "/editions/{edition}/registrations",
        &[],
        &[("code", "press"), ("name", "Press"), ("name_ja", "報道"), ("onsite_capacity", "40")],
    ),
    legit(
        "/editions/{edition}/registrations/signups",
        "/editions/{edition}/registrations",
        &[],
        &[("number", "{number}"), ("capacity", "30")],
    ),
    legit("/editions/{edition}/check-in", "/editions/{edition}/check-in", &[], &[("code", "{code}")]),
    legit("/editions/{edition}/statistics/import", "/editions/{edition}/statistics", &[], &[("file", "@figures")]),
    legit("/editions/{edition}/statistics/publish", "/editions/{edition}/statistics", &[], &[]),
    legit(
        "/editions/{edition}/roundtables",
        "/editions/{edition}/roundtables",
        &[],
        &[("name", "Second dialogue"), ("tables", "2"), ("seats", "4"), ("rounds", "2"), ("themes", "AI\nData")],
    ),
    legit(
        "/editions/{edition}/roundtables/{roundtable}/invitees",
        "/editions/{edition}/roundtables/{roundtable}",
        &[],
        &[("people", "重複 太郎")],
    ),
    legit(
        "/editions/{edition}/roundtables/{roundtable}/invitees/{person}",
        "/editions/{edition}/roundtables/{roundtable}",
        &[],
        &[],
    ),
    legit(
        "/editions/{edition}/roundtables/{roundtable}/seat",
        "/editions/{edition}/roundtables/{unseated_roundtable}",
        &[],
        &[],
    ),
    legit(
        "/editions/{edition}/roundtables/{roundtable}/rapporteur",
        "/editions/{edition}/roundtables/{roundtable}",
        &[],
        &[],
    ),
    legit(
        "/roundtables/{roundtable}/rounds/{round}/tables/{table}/report",
        "/roundtables/{roundtable}/rounds/{round}/tables/{table}/report",
        &[],
        &[("theme", "*"), ("body", "話し合いの要点")],
    ),
    legit(
        "/editions/{edition}/setup",
        "/editions/{edition}/setup",
        &[("part", "track"), ("key", "!")],
        &[("name", "New track"), ("name_ja", "新トラック")],
    ),
    legit(
        "/editions/{edition}/timetable/sessions",
        "/editions/{edition}/timetable",
        &[],
        &[("title", "Open forum"), ("minutes", "60")],
    ),
    legit("/editions/{edition}/timetable/move", "/editions/{edition}/timetable", &[], &[]),
    legit("/editions/{edition}/timetable/solve", "/editions/{edition}/timetable", &[], &[]),
    legit("/editions/{edition}/timetable/apply", "POST /editions/{edition}/timetable/solve", &[], &[]),
    legit("/editions/{edition}/programme/publish", "/editions/{edition}/programme/publish", &[], &[]),
    legit(
        "/editions/{edition}/calls",
        "/editions/{edition}/calls",
        &[],
        &[("name", "Call for town halls"), ("opens_at", "2026-01-05T09:00"), ("closes_at", "2026-02-01T23:59")],
    ),
    legit("/editions/{edition}/calls/{call}", "/editions/{edition}/calls/{call}", &[], &[]),
    // Before evaluations start, while the rubric may still change.
    legit("/editions/{edition}/calls/{call}/rubric", "/editions/{edition}/calls/{open_call}", &[], &[]),
    legit("/editions/{edition}/calls/{call}/screen", "/editions/{edition}/calls/{call}", &[], &[]),
    legit("/editions/{edition}/calls/{call}/evaluators", "/editions/{edition}/calls/{call}", &[], &[]),
    legit("/editions/{edition}/calls/{call}/assignment", "/editions/{edition}/calls/{call}/assignment", &[], &[]),
    legit(
        "/editions/{edition}/calls/{call}/assignment/override",
        "/editions/{edition}/calls/{call}/assignment",
        &[],
        &[],
    ),
    legit("/editions/{edition}/calls/{call}/remind", "/editions/{edition}/calls/{call}/progress", &[], &[]),
    legit(
        "/editions/{edition}/calls/{call}/decisions",
        "/editions/{edition}/calls/{call}/results",
        &[],
        &[("proposal", "{proposal}")],
    ),
    legit(
        "/calls/{call}/proposals",
        "/calls/{open_call}/propose",
        &[],
        &[("title", "AI と若者"), ("session_type", "workshop"), ("description", "")],
    ),
    // "Save", the form's first button (unnamed), rather than "Save and submit" (then=submit).
    legit("/proposals/{proposal}", "/proposals/{draft}", &[], &[("then", "")]),
    legit("/proposals/{proposal}/check", "/proposals/{draft}", &[], &[]),
    legit(
        "/proposals/{proposal}/people",
        "/proposals/{draft}",
        &[],
        &[("name", "Ada Lovelace"), ("email", "ada@example.org"), ("part", "speaker"), ("mode", "online")],
    ),
    legit("/proposals/{proposal}/people/{entry}", "/proposals/{draft}", &[], &[]),
    legit("/proposals/confirm/{token}", "/proposals/confirm/{confirmation}", &[], &[("answer", "yes")]),
    legit("/proposals/{proposal}/status", "/proposals/{draft}", &[], &[("status", "withdrawn")]),
    legit("/evaluations/{proposal}", "/evaluations/{proposal}", &[], &[]),
    legit("/evaluations/{proposal}/conflict", "/evaluations/{proposal}", &[], &[("reason", "提案者の顧問をしている")]),
    legit(
        "/editions/{edition}/proposals/{proposal}/decision",
        "/editions/{edition}/proposals/{proposal}",
        &[],
        &[("verdict", "*")],
    ),
    legit("/committees/{committee}/import", "/committees/{committee}/import", &[], &[("file", "@minutes")]),
    legit("/meetings/{meeting}/details", "/meetings/{meeting}", &[], &[]),
    legit("/meetings/{meeting}/items/{item}/minutes", "/meetings/{meeting}", &[], &[("body", "議論の記録")]),
    legit("/meetings/{meeting}/action-items/{action}/status", "/meetings/{meeting}", &[], &[]),
    legit("/meetings/{meeting}/items", "/meetings/{meeting}", &[], &[("title", "予算について"), ("timebox", "10")]),
    legit("/meetings/{meeting}/items/{item}/flags", "/meetings/{meeting}", &[], &[("recurring", "on")]),
    legit("/meetings/{meeting}/attendance", "/meetings/{meeting}", &[], &[]),
    legit("/meetings/{meeting}/materials", "/meetings/{meeting}", &[], &[("title", "資料 1"), ("file", "@material")]),
    legit("/meetings/{meeting}/action-items", "/meetings/{meeting}", &[], &[("text", "会場予約"), ("due", "2027-01")]),
    legit("/meetings/{meeting}/decisions", "/meetings/{meeting}", &[], &[("text", "予算案を承認する")]),
    legit("/meetings/{meeting}/draft-agenda", "/meetings/{meeting}", &[], &[("title", "会場の決定")]),
    // The demo's latest meeting has its poll: a new meeting takes one.
    legit("/meetings/{meeting}/poll", "POST /committees/{committee}/meetings", &[], &[]),
    legit("/meetings/{meeting}/state", "/meetings/{meeting}", &[], &[]),
    legit(
        "/committees/{committee}/meetings",
        "/committees/{committee}/meetings/new",
        &[],
        &[("held_on", "2027-01-20"), ("starts_at", "19:00"), ("ends_at", "21:00")],
    ),
    legit(
        "/committees/{committee}/deadlines",
        "/committees/{committee}",
        &[],
        &[("title", "報告書の提出"), ("due_on", "2027-02-01")],
    ),
    legit("/polls/{poll}/key-person", "/polls/{poll}", &[], &[("person", "*")]),
    legit(
        "/polls/{poll}/slots",
        "/polls/{poll}",
        &[],
        &[("day", "2027-03-01"), ("starts_at", "10:00"), ("ends_at", "11:00")],
    ),
    legit("/polls/{poll}/answers", "/polls/{poll}", &[], &[]),
    legit("/polls/{poll}/invite", "/polls/{poll}", &[], &[]),
    legit("/polls/answer/{token}", "/polls/answer/{poll_token}", &[], &[]),
    legit("/polls/{poll}/choose", "/polls/{poll}", &[], &[]),
    legit("/people", "/people/new", &[], &[("display_name", "新規 登録")]),
    legit("/people/{person}", "/people/{person}/edit", &[], &[]),
    legit(
        "/people/{person}/affiliations",
        "/people/{person}",
        &[],
        &[("organisation", "*"), ("title", "部長"), ("since", "2024-04-01")],
    ),
    // People without accounts: merging an account holder needs an administrator.
    legit("/people/{person}/merge", "/people/{duplicate}", &[], &[("into", "{original}")]),
    legit("/organisations", "/organisations", &[], &[("name", "新しい団体")]),
    legit(
        "/admin/invitations",
        "/admin/users",
        &[],
        &[("email", "new.member@example.org"), ("role", "secretariat"), ("scope", "edition:{edition_id}")],
    ),
    legit(
        "/admin/editions",
        "/admin",
        &[],
        &[("slug", "igf-2027"), ("name", "IGF 2027"), ("starts_on", "2027-06-01"), ("ends_on", "2027-06-04")],
    ),
    legit("/admin/import-schedule", "/admin/import-schedule", &[], &[("file", "@schedule"), ("edition", "copy-2026")]),
    legit("/logout", "/", &[], &[]),
    legit("/editions/{edition}/agenda/feed", "/editions/{edition}/agenda", &[("action", "!")], &[]),
    legit("/me/profile", "/me", &[], &[("display_name", "名前 変えた"), ("language", "*")]),
    // Last: they change the password (to the same, so that signing in still works) and end
    // every session.
    legit(
        "/me/password",
        "/me",
        &[],
        &[("current", "{password}"), ("password", "{password}"), ("password_again", "{password}")],
    ),
    legit("/me/sessions/end", "/me", &[], &[]),
];

#[test]
fn every_form_has_its_legitimate_case() {
    // The API's writes take JSON, not forms: tests/it/api.rs drives them.
    for (method, path, _) in MATRIX.iter().filter(|(m, p, _)| *m == "POST" && !p.starts_with("/api/")) {
        assert!(
            LEGITIMATE.iter().any(|l| l.route == *path),
            "POST {method} {path} has no legitimate case: add how a user sends it"
        );
    }
}

/// Does a form's action match a route pattern (each `{…}` one path segment)?
fn action_matches(route: &str, action: &str) -> bool {
    let (route, action): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), action.split('/').collect());
    route.len() == action.len()
        && route.iter().zip(&action).all(|(r, a)| (r.starts_with('{') && !a.is_empty()) || r == a)
}

/// What the legitimate cases need beyond the demo: links that were sent to someone, a
/// meeting still in draft, a duplicate in the directory.
async fn legitimate_objects(app: &TestApp, letter: char) -> HashMap<&'static str, String> {
    let mut objects = demo_objects(app).await;
    let actor = kaigi_db::Actor::system("test");
    let committee = uuid::Uuid::parse_str(&objects["committee"]).unwrap();
    let latest = kaigi_db::meetings::of_committee(&app.db, committee).await.unwrap().remove(0);
    objects.insert("meeting", latest.id.to_string());
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    objects.insert("edition_id", edition.id.to_string());
    let grant = kaigi_core::access::Grant {
        role: kaigi_core::access::Role::Evaluator,
        scope: kaigi_core::access::Scope::Edition(edition.id.to_string()),
    };
    let someone = kaigi_db::accounts::find_user_by_email(&app.db, "evaluator02@kaigi.example").await.unwrap().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let invitation =
        kaigi_db::accounts::create_invitation(&mut tx, &actor, &format!("invited-{letter}@example.org"), &grant)
            .await
            .unwrap();
    let reset = kaigi_db::accounts::create_password_reset(&mut tx, someone.id).await.unwrap();
    let original = kaigi_db::directory::create_person(
        &mut tx,
        &actor,
        &kaigi_db::directory::PersonInput::named(
            kaigi_core::directory::PersonName::parse("原本 次郎", None, None).unwrap(),
        ),
    )
    .await
    .unwrap();
    let duplicate = kaigi_db::directory::create_person(
        &mut tx,
        &actor,
        &kaigi_db::directory::PersonInput::named(
            kaigi_core::directory::PersonName::parse("重複 太郎", None, None).unwrap(),
        ),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // An open call with a draft of the organiser's, which they may still edit.
    let now = kaigi_db::now();
    let input = kaigi_db::calls::CallInput {
        name: "Call for lightning talks".into(),
        name_ja: None,
        opens_at: now - time::Duration::days(1),
        closes_at: now + time::Duration::days(30),
        settings: kaigi_core::calls::CallSettings::igf_defaults(),
        reference_completion: None,
    };
    let open_call = kaigi_db::calls::create_call(&app.db, &actor, edition.id, &input).await.unwrap();
    let call = kaigi_db::calls::call(&app.db, open_call).await.unwrap().unwrap();
    let organiser = kaigi_db::accounts::find_user_by_email(&app.db, ORGANISER).await.unwrap().unwrap();
    let fields = kaigi_core::calls::ProposalFields {
        title: "若者とインターネット".into(),
        session_type: "workshop".into(),
        ..Default::default()
    };
    let draft = kaigi_db::proposals::create_proposal(&app.db, &actor, organiser.id, &call, &fields).await.unwrap();
    objects.insert("open_call", open_call.to_string());
    objects.insert("draft", draft.to_string());
    let added = kaigi_db::proposals::add_person(
        &app.db,
        &actor,
        draft,
        &kaigi_db::proposals::Invitee {
            name: "Grace Hopper".into(),
            email: "grace@example.org".into(),
            part: kaigi_core::screening::Part::Speaker,
            onsite: false,
        },
        "http://localhost",
    )
    .await
    .unwrap();
    let confirmation = added.confirm_link.unwrap().rsplit('/').next().unwrap().to_owned();
    // A poll still open, on a meeting before the latest (which takes the poll-create form).
    let earlier = kaigi_db::meetings::of_committee(&app.db, committee).await.unwrap().remove(1);
    let earlier = kaigi_db::meetings::meeting(&app.db, earlier.id).await.unwrap().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let open_poll = kaigi_db::polls::create_poll(&mut tx, &actor, &earlier).await.unwrap();
    tx.commit().await.unwrap();
    let open_poll = kaigi_db::polls::poll(&app.db, open_poll).await.unwrap().unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let poll_token = kaigi_db::polls::invite_members(&mut tx, &actor, &open_poll).await.unwrap().remove(0).3;
    tx.commit().await.unwrap();
    objects.insert("poll", open_poll.id.to_string());
    // A roundtable with invitees and no reports yet, so it may still be seated.
    let demo_roundtable = uuid::Uuid::parse_str(&objects["roundtable"]).unwrap();
    let unseated = kaigi_db::roundtables::create(
        &app.db,
        &actor,
        edition.id,
        &kaigi_db::roundtables::RoundtableInput {
            name: "Youth dialogue".into(),
            name_ja: None,
            tables: 2,
            seats: 4,
            rounds: 2,
            themes: vec![kaigi_core::roundtable::Theme { name: "AI".into(), name_ja: None }],
        },
    )
    .await
    .unwrap();
    let invitees: Vec<(uuid::Uuid, Option<i64>)> = kaigi_db::roundtables::invitees(&app.db, demo_roundtable)
        .await
        .unwrap()
        .iter()
        .take(6)
        .map(|i| (i.person_id, None))
        .collect();
    let unseated_roundtable = kaigi_db::roundtables::get(&app.db, unseated).await.unwrap().unwrap();
    kaigi_db::roundtables::invite_many(&app.db, &actor, &unseated_roundtable, &invitees).await.unwrap();
    objects.insert("unseated_roundtable", unseated.to_string());
    // The session the legitimate cases sign up for takes sign-ups.
    let number: i64 = objects["number"].parse().unwrap();
    let session = kaigi_db::programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.number == number)
        .unwrap();
    kaigi_db::registration::set_signup_capacity(&app.db, &actor, session.id, Some(50)).await.unwrap();
    objects.extend([
        ("invitation", invitation),
        ("reset", reset),
        ("confirmation", confirmation),
        ("poll_token", poll_token),
        ("duplicate", duplicate.to_string()),
        ("original", original.to_string()),
        ("login_email", PARTICIPANT.to_owned()),
        ("password", kaigi_core::demo::DEMO_PASSWORD.to_owned()),
        ("reset_email", "evaluator03@kaigi.example".to_owned()),
        ("signup_email", format!("newcomer-{letter}@example.org")),
        ("invitee_email", "roundtable.guest@example.org".to_owned()),
    ]);
    objects
}

/// Files a user would upload to the forms that take one.
async fn upload(name: &str, client: &mut Client) -> (String, Vec<u8>) {
    match name {
        "@figures" => (
            "figures.csv".into(),
            b"edition,name,dimension,category,count\nigf-2019,IGF 2019 Berlin,total,all,3679\n".to_vec(),
        ),
        "@minutes" => {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/minutes-sample-ja.md");
            ("minutes.md".into(), std::fs::read(path).unwrap())
        }
        "@material" => ("agenda.txt".into(), "議事次第".as_bytes().to_vec()),
        "@schedule" => {
            let export = client.get("/editions/igf-2026/export/schedule.json").await;
            assert_eq!(export.status, StatusCode::OK, "the demo's schedule exports");
            ("schedule.json".into(), export.body.into_bytes())
        }
        other => panic!("no upload named {other}"),
    }
}

/// Sends the legitimate form of `route` as the client's user would, from its page.
fn send_legitimately<'a>(
    client: &'a mut Client,
    route: &'a str,
    objects: &'a HashMap<&'static str, String>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Answer, String>> + Send + 'a>> {
    Box::pin(async move {
        let case = LEGITIMATE.iter().find(|l| l.route == route).expect("listed");
        let page = match case.page.strip_prefix("POST ") {
            Some(earlier) => {
                let answer = send_legitimately(client, earlier, objects).await?;
                match answer.location().map(str::to_owned) {
                    Some(next) => client.get(&next).await,
                    None => answer,
                }
            }
            None => client.get(&fill(case.page, objects)).await,
        };
        if !page.status.is_success() {
            return Err(format!("its page {} answered {}", fill(case.page, objects), page.status));
        }
        // The live check of a proposal sends the proposal's own form.
        let form_route = if route == "/proposals/{proposal}/check" { "/proposals/{proposal}" } else { route };
        let Some(mut form) = forms_of(&page.body).into_iter().find(|f| {
            action_matches(form_route, &f.action)
                && case.pick.iter().all(|(n, v)| if *v == "!" { f.value(n).is_none() } else { f.value(n) == Some(*v) })
        }) else {
            return Err(format!("no form for it on {}", fill(case.page, objects)));
        };
        let mut files = Vec::new();
        // The user presses the form's first named button, unless they chose another.
        if let Some((name, value)) = form.buttons.first().cloned()
            && !case.typed.iter().any(|(n, _)| *n == name)
        {
            form.set(&name, &value);
        }
        for (name, value) in case.typed {
            if *value == "*" {
                let Some(choice) = form.first_choice(name).map(str::to_owned) else {
                    return Err(format!("the form offers no choice for {name}"));
                };
                form.set(name, &choice);
            } else if value.starts_with('@') {
                files.push((name.to_string(), upload(value, client).await));
            } else {
                form.set(name, &fill(value, objects));
            }
        }
        let action =
            if route == "/proposals/{proposal}/check" { format!("{}/check", form.action) } else { form.action };
        let answer = if form.multipart {
            let mut parts: Vec<(&str, Option<&str>, &[u8])> =
                form.fields.iter().map(|(n, v)| (n.as_str(), None, v.as_bytes())).collect();
            parts
                .extend(files.iter().map(|(n, (file, content))| (n.as_str(), Some(file.as_str()), content.as_slice())));
            client.post_multipart(&action, &parts).await
        } else {
            let fields: Vec<(&str, &str)> = form.fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            client.post_raw(&action, &fields).await
        };
        Ok(answer)
    })
}

#[tokio::test]
async fn every_form_a_role_may_send_succeeds_in_the_legitimate_case() {
    let mut failures = Vec::new();
    for (letter, account) in ROLES {
        // A forum of its own per role: one role's changes never decide another's case.
        let app = TestApp::with_demo().await;
        let objects = legitimate_objects(&app, letter).await;
        let sign_in = || async {
            match account {
                Some(email) => app.signed_in(email).await,
                None => app.client(),
            }
        };
        let mut shared = sign_in().await;
        for case in LEGITIMATE {
            let allowed = MATRIX.iter().find(|(m, p, _)| *m == "POST" && *p == case.route).expect("in the matrix").2;
            if !allowed.contains(letter) {
                continue;
            }
            // Forms that change who is signed in get a client of their own.
            let changes_session = [
                "/login",
                "/logout",
                "/invitations/{token}",
                "/password/reset/{token}",
                "/me/password",
                "/me/sessions/end",
            ]
            .contains(&case.route);
            let mut own;
            let client = if changes_session {
                own = sign_in().await;
                &mut own
            } else {
                &mut shared
            };
            match send_legitimately(client, case.route, &objects).await {
                Err(why) => failures.push(format!("{letter} POST {}: {why}", case.route)),
                Ok(answer) if !(answer.status.is_success() || answer.status.is_redirection()) => {
                    // The English half of an error page says why; otherwise the body's start.
                    let body: String = match answer.body.split_once("<p lang=\"en\">") {
                        Some((_, why)) => why.split("</p>").next().unwrap_or_default().to_owned(),
                        None => answer.body.chars().take(300).collect(),
                    };
                    failures.push(format!("{letter} POST {}: got {}: {body}", case.route, answer.status))
                }
                Ok(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "legitimate forms refused:\n{}", failures.join("\n"));
}

/// Every page of the matrix, as each role that may open it, in Japanese and in English: no
/// message key (a Fluent id shown instead of its words) and no internal id in what the reader
/// sees. Exports, the API and pages whose content is ids (the audit log) are left out.
#[tokio::test]
async fn no_page_shows_a_message_key_or_an_internal_id() {
    use kaigi_core::i18n::{Lang, keys};
    let app = TestApp::with_demo().await;
    let objects = demo_objects(&app).await;
    let message_keys: std::collections::BTreeSet<String> =
        keys(Lang::En).into_iter().chain(keys(Lang::Ja)).filter(|k| k.contains('-')).collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (letter, account) in ROLES {
        let mut client = match account {
            Some(email) => app.signed_in(email).await,
            None => app.client(),
        };
        for lang in ["ja", "en"] {
            client.post_form("/language", &[("lang", lang), ("next", "/")]).await;
            for (method, path, allowed) in MATRIX {
                let skip = *method != "GET"
                    || !allowed.contains(letter)
                    || path.starts_with("/api/")
                    // The API's reference documents its error codes, which are message keys.
                    || *path == "/api"
                    || path.contains("{token}")
                    || path.starts_with("/static/")
                    || path.starts_with("/admin/audit")
                    // A webhook's delivery log shows each body as sent, ids and all.
                    || path.contains("/webhooks/{")
                    || path.contains("/export/")
                    || [".ics", ".csv", ".json", ".md", ".pdf", ".html", "/materials/{material}", "/healthz"]
                        .iter()
                        .any(|end| path.ends_with(end));
                if skip {
                    continue;
                }
                let url = fill(path, &objects);
                let answer = client.get(&url).await;
                if !answer.status.is_success() {
                    continue;
                }
                checked += 1;
                let shown = visible_text(&answer.body);
                for word in shown.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
                    if word.len() > 5 && message_keys.contains(word) {
                        failures.push(format!("{letter} {lang} {url}: the message key {word:?} is shown"));
                    }
                    let uuid = word.len() == 36 && word.matches('-').count() == 4;
                    if uuid && word.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
                        failures.push(format!("{letter} {lang} {url}: the id {word} is shown"));
                    }
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(checked > 100, "only {checked} pages were read");
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}
