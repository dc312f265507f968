//! Every route × every role: allowed or refused, exactly as this table says. The table is
//! written out by hand, independent of the router's own, and must list every route.

use axum::http::{Method, StatusCode};

use std::collections::HashMap;

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
    ("POST", "/editions/{edition}/timetable/publish", "AS"),
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
    let entry = kaigi_db::calls::people(&app.db, theirs.id).await.unwrap()[0].id.to_string();
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
    HashMap::from([
        ("edition", "igf-2026".to_owned()),
        ("proposal", theirs.id.to_string()),
        ("call", call_id.to_string()),
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
        ("table", seat.table_number.to_string()),
    ])
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
                && *method == "POST"
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
        kaigi_db::meetings::import(&app.db, &actor, &doc, &Default::default()).await.unwrap().meeting_id.unwrap();
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
    let proposal = kaigi_db::calls::create_proposal(&app.db, &actor, owner, &call, &fields).await.unwrap();
    let entry = kaigi_db::calls::people(&app.db, proposal).await.unwrap()[0].id;
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
    HashMap::from([
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
                    client.post_form(&url, &[]).await
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
        // Values that are not objects (numbers, file names, tokens) or are checked by the
        // permission itself (the rapporteur's round and table).
        let objects: Vec<&str> = params
            .iter()
            .copied()
            .filter(|p| !matches!(*p, "number" | "file" | "token" | "code" | "round" | "table"))
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
