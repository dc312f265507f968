//! Every route × every role: allowed or refused, exactly as this table says. The table is
//! written out by hand, independent of the router's own, and must list every route.

use axum::http::{Method, StatusCode};

use crate::support::*;

/// Roles: P public, A admin, S secretariat of the demo edition, E evaluator, O organiser,
/// C committee member, R registered participant.
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
    ("POST", "/editions/{edition}/sessions/{number}/star", "ASEOCR"),
    ("GET", "/editions/{edition}/agenda", "ASEOCR"),
    ("GET", "/editions/{edition}/agenda.ics", "ASEOCR"),
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
    ("GET", "/evaluations/{proposal}", "AE"),
    ("POST", "/evaluations/{proposal}", "AE"),
    ("POST", "/evaluations/{proposal}/conflict", "AE"),
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
    ("POST", "/admin/editions", "A"),
    ("GET", "/admin/import-schedule", "A"),
    ("POST", "/admin/import-schedule", "A"),
    ("GET", "/api/openapi.json", "PASEOCR"),
    ("GET", "/api/v1/editions", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}", "PASEOCR"),
    ("GET", "/api/v1/editions/{edition}/participation", "PASEOCR"),
    ("GET", "/api/v1/me", "ASEOCR"),
    ("GET", "/api/v1/search", "PASEOCR"),
    ("GET", "/api/v1/people", "ASC"),
    ("GET", "/api/v1/people/{person}", "ASC"),
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

#[tokio::test]
async fn every_route_allows_exactly_the_roles_it_should() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap().to_string();
    let person = kaigi_db::directory::list_people(&app.db, None, 1, 0).await.unwrap()[0].id.to_string();
    let committee_id = uuid::Uuid::parse_str(&committee).unwrap();
    // The oldest demo meeting: its minutes are published, so the public page answers.
    let meeting_row = kaigi_db::meetings::of_committee(&app.db, committee_id).await.unwrap().pop().unwrap();
    let meeting = meeting_row.id.to_string();
    let item = kaigi_db::meetings::agenda(&app.db, meeting_row.id).await.unwrap()[0].id.to_string();
    let action = kaigi_db::meetings::action_items_from(&app.db, meeting_row.id).await.unwrap()[0].id.to_string();
    // A material with a file, so the download answers for those allowed to see it.
    let material = {
        let mut tx = app.db.begin().await.unwrap();
        let id = kaigi_db::meetings::add_material(
            &mut tx,
            &kaigi_db::Actor::system("test"),
            meeting_row.id,
            "資料 3",
            None,
            Some(("a.txt", "text/plain", b"hello")),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id.to_string()
    };
    let poll = kaigi_db::polls::poll_drafted_at(&app.db, meeting_row.id).await.unwrap().unwrap().id.to_string();
    // The demo organiser's proposal, with evaluator01 put on it by hand.
    let organiser = kaigi_db::accounts::find_user_by_email(&app.db, ORGANISER).await.unwrap().unwrap();
    let theirs = kaigi_db::calls::proposals_of_user(&app.db, organiser.id).await.unwrap().remove(0);
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
    let proposal = theirs.id.to_string();
    let call = call_id.to_string();
    let entry = kaigi_db::calls::people(&app.db, theirs.id).await.unwrap()[0].id.to_string();
    // The demo roundtable, with the demo participant made rapporteur of their first-round table.
    let (roundtable, table) = {
        let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
        let rt = kaigi_db::roundtables::of_edition(&app.db, edition.id).await.unwrap().remove(0);
        let participant = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
        let person = participant.person_id.unwrap();
        let seat = kaigi_db::roundtables::seats(&app.db, rt.id)
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.round == 1 && s.person_id == person)
            .expect("the demo participant is seated at the demo roundtable");
        kaigi_db::roundtables::set_rapporteur(
            &app.db,
            &kaigi_db::Actor::system("test"),
            rt.id,
            1,
            seat.table_number,
            person,
        )
        .await
        .unwrap();
        (rt.id.to_string(), seat.table_number.to_string())
    };
    let fill = |path: &str| {
        path.replace("{edition}", "igf-2026")
            .replace("{proposal}", &proposal)
            .replace("{call}", &call)
            .replace("{entry}", &entry)
            .replace("{number}", "1")
            .replace("{file}", "schedule.xml")
            .replace("{committee}", &committee)
            .replace("{person}", &person)
            .replace("{meeting}", &meeting)
            .replace("{item}", &item)
            .replace("{action}", &action)
            .replace("{material}", &material)
            .replace("{poll}", &poll)
            .replace("{token}", "no-such-token")
            .replace("{code}", "NOSUCHCODE")
            .replace("{roundtable}", &roundtable)
            .replace("{round}", "1")
            .replace("{table}", &table)
    };
    let roles: [(char, Option<&str>); 7] = [
        ('P', None),
        ('A', Some(ADMIN)),
        ('S', Some(SECRETARIAT)),
        ('E', Some(EVALUATOR)),
        ('O', Some(ORGANISER)),
        ('C', Some(COMMITTEE_MEMBER)),
        ('R', Some(PARTICIPANT)),
    ];
    let mut failures = Vec::new();
    for (letter, account) in roles {
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
            let client = if *path == "/logout" {
                own = sign_in().await;
                &mut own
            } else {
                &mut shared
            };
            let url = fill(path);
            let answer = if *method == Method::GET.as_str() {
                client.get(&url).await
            } else {
                // Empty forms: allowed requests fail validation (422) or redirect; nothing changes.
                client.post_form(&url, &[]).await
            };
            let refused = matches!(answer.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                || answer.location().is_some_and(|l| l.starts_with("/login?next="));
            let should_allow = allowed.contains(letter);
            if refused == should_allow {
                failures.push(format!(
                    "{letter} {method} {url}: got {} (expected {})",
                    answer.status,
                    if should_allow { "allowed" } else { "refused" }
                ));
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
