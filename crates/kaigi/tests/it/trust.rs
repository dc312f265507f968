//! Trust: each test replays an attack found against the demo and checks the defence, named
//! after what it protects. The route × role matrix with objects of other scopes is in
//! `routes.rs`.

use axum::http::StatusCode;
use kaigi_db::{Actor, calls, evaluation, meetings, proposals};
use uuid::Uuid;

use crate::support::*;

fn sample() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/minutes-sample-ja.md");
    std::fs::read_to_string(path).unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> kaigi_db::accounts::User {
    kaigi_db::accounts::find_user_by_email(&app.db, email).await.unwrap().unwrap()
}

async fn main_call(app: &TestApp) -> calls::Call {
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let mut all = calls::calls_of_edition(&app.db, edition.id).await.unwrap();
    all.sort_by_key(|c| c.opens_at);
    all.remove(0)
}

/// Puts `person` in the same organisation as the first organiser of `proposal` (creating
/// one for the organiser if they have none).
async fn share_organisation(app: &TestApp, person: Uuid, proposal: Uuid) {
    let organiser =
        proposals::people(&app.db, proposal).await.unwrap().into_iter().find(|p| p.role == "organiser").unwrap();
    let existing: Option<Uuid> = kaigi_db::on_db!(&app.db, pool => sqlx::query_scalar(
        "select organisation_id from affiliations where person_id = $1 and until is null limit 1")
        .bind(organiser.person_id).fetch_optional(pool).await)
    .unwrap();
    let actor = Actor::system("test");
    let mut tx = app.db.begin().await.unwrap();
    let organisation = match existing {
        Some(o) => o,
        None => {
            let o = kaigi_db::directory::create_organisation(&mut tx, &actor, "共有の組織", None, None).await.unwrap();
            kaigi_db::directory::add_affiliation(&mut tx, &actor, organiser.person_id, o, None, None, None)
                .await
                .unwrap();
            o
        }
    };
    kaigi_db::directory::add_affiliation(&mut tx, &actor, person, organisation, None, None, None).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn minutes_imported_from_a_committee_page_land_in_that_committee() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    // Another committee already holds the sample's series.
    let doc = kaigi_core::minutes::parse(&sample()).unwrap();
    let other = kaigi_db::minutes::import(&app.db, &Actor::system("test"), &doc, &Default::default()).await.unwrap();
    let committees_before = app.count("select count(*) from committees").await;
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let path = format!("/committees/{committee}/import");
    let file = sample();
    // The preview says nothing about the other committee's meeting 12 …
    let preview = chair.post_multipart(&path, &[("file", Some("m.md"), file.as_bytes())]).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(!preview.body.contains("exists already") && !preview.body.contains("既に"), "{}", preview.body);
    // … and storing it, even naming another series, creates nothing outside this committee.
    let stored = chair
        .post_multipart(
            &path,
            &[("file", Some("m.md"), file.as_bytes()), ("series", None, b"Brand new series"), ("confirm", None, b"1")],
        )
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let id = Uuid::parse_str(stored.location().unwrap().trim_start_matches("/meetings/")).unwrap();
    let meeting = meetings::meeting(&app.db, id).await.unwrap().unwrap();
    assert_eq!(meeting.committee_id, committee);
    assert_ne!(Some(id), other.meeting_id);
    assert_eq!(app.count("select count(*) from committees").await, committees_before, "no committee was created");
}

#[tokio::test]
async fn minutes_that_look_cut_off_import_as_a_draft_with_warnings() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let text = sample();
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines[..lines.len() / 3].join("\n");
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let stored = chair
        .post_multipart(
            &format!("/committees/{committee}/import"),
            &[("file", Some("cut.md"), cut.as_bytes()), ("confirm", None, b"1")],
        )
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let id = Uuid::parse_str(stored.location().unwrap().trim_start_matches("/meetings/")).unwrap();
    let meeting = meetings::meeting(&app.db, id).await.unwrap().unwrap();
    assert_eq!(meeting.minutes_state, "draft", "never silently approved");
    // The whole file imports as approved, and the signs are named in the report.
    let signs = kaigi_core::minutes::truncation_signs(&cut, &kaigi_core::minutes::parse(&cut).unwrap());
    assert!(signs.iter().any(|s| s.contains("以上")), "{signs:?}");
    assert!(kaigi_core::minutes::truncation_signs(&text, &kaigi_core::minutes::parse(&text).unwrap()).is_empty());
}

#[tokio::test]
async fn an_oversized_minutes_file_is_refused_before_it_is_read() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let mut big = sample();
    while big.len() < 5_000_000 {
        big.push_str("\n- 追記の行です。追記の行です。追記の行です。");
    }
    let meetings_before = app.count("select count(*) from meetings").await;
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let answer = chair
        .post_multipart(
            &format!("/committees/{committee}/import"),
            &[("file", Some("big.md"), big.as_bytes()), ("confirm", None, b"1")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.body);
    assert!(answer.body.contains("2 MiB"), "says the limit: {}", answer.body);
    assert_eq!(app.count("select count(*) from meetings").await, meetings_before);
}

#[tokio::test]
async fn long_minutes_pasted_or_carried_from_the_preview_import_within_the_limit() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    // Over the 64 KiB of an ordinary field, under the 2 MiB of the import.
    let text = sample();
    let (body, end) = text.rsplit_once("以上").unwrap();
    let long = format!("{body}{}以上{end}", "- 長い議論の記録です。発言者ごとに要点を残します。\n".repeat(2000));
    assert!(long.len() > 100_000 && long.len() < 2 * 1024 * 1024);
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let stored = chair
        .post_multipart(
            &format!("/committees/{committee}/import"),
            &[("text", None, long.as_bytes()), ("confirm", None, b"1")],
        )
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
}

#[tokio::test]
async fn approved_minutes_change_only_through_their_states() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let all = meetings::of_committee(&app.db, committee).await.unwrap();
    let oldest = all.last().unwrap().id;
    assert_eq!(meetings::meeting(&app.db, oldest).await.unwrap().unwrap().minutes_state, "approved");
    let item = meetings::agenda(&app.db, oldest).await.unwrap()[0].id;
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let decisions = meetings::decisions(&app.db, oldest).await.unwrap().len();
    for (path, fields) in [
        (format!("/meetings/{oldest}/items"), vec![("title", "後から足した議題")]),
        (format!("/meetings/{oldest}/decisions"), vec![("text", "後から足した決定")]),
        (format!("/meetings/{oldest}/draft-agenda"), vec![("title", "後から")]),
        (format!("/meetings/{oldest}/items/{item}/minutes"), vec![("body", "書き換え"), ("revision", "1")]),
    ] {
        let answer = chair.post_form(&path, &fields).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {}", answer.body);
    }
    let material = chair.post_multipart(&format!("/meetings/{oldest}/materials"), &[("title", None, b"x")]).await;
    assert_eq!(material.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", material.body);
    assert_eq!(meetings::decisions(&app.db, oldest).await.unwrap().len(), decisions);
    // Reopening needs a reason, is recorded, and takes the minutes off the public page.
    let refused = chair.post_form(&format!("/meetings/{oldest}/state"), &[("to", "reopened")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reopened =
        chair.post_form(&format!("/meetings/{oldest}/state"), &[("to", "reopened"), ("reason", "誤字の訂正")]).await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.body);
    let m = meetings::meeting(&app.db, oldest).await.unwrap().unwrap();
    assert_eq!((m.minutes_state.as_str(), m.published), ("draft", false));
    assert_eq!(app.client().get(&format!("/minutes/{oldest}")).await.status, StatusCode::NOT_FOUND);
    let added = chair.post_form(&format!("/meetings/{oldest}/decisions"), &[("text", "訂正後の決定")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let audit = kaigi_db::audit::list(&app.db, Some("meeting"), 1000).await.unwrap();
    assert!(audit.iter().any(
        |e| e.entity_id == oldest.to_string() && e.after_json.as_deref().is_some_and(|a| a.contains("誤字の訂正"))
    ));
}

#[tokio::test]
async fn a_secretariat_override_never_gives_an_evaluator_a_conflicted_proposal() {
    let app = TestApp::with_demo().await;
    let call = main_call(&app).await;
    let evaluator = user_id(&app, EVALUATOR).await;
    let proposals = evaluation::evaluated_proposals(&app.db, &call).await.unwrap();
    let assigned: std::collections::HashSet<Uuid> = evaluation::assignments(&app.db, call.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.user_id == evaluator.id)
        .map(|a| a.proposal_id)
        .collect();
    let target = proposals.iter().find(|p| !assigned.contains(&p.id)).unwrap();
    share_organisation(&app, evaluator.person_id.unwrap(), target.id).await;
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let path = format!("/editions/igf-2026/calls/{}/assignment/override", call.id);
    let (proposal, user) = (target.id.to_string(), evaluator.id.to_string());
    // "Remove" a pair that was never assigned, then "assign": still refused.
    let removed =
        secretariat.post_form(&path, &[("proposal", &proposal), ("evaluator", &user), ("action", "remove")]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let assigned =
        secretariat.post_form(&path, &[("proposal", &proposal), ("evaluator", &user), ("action", "add")]).await;
    assert_eq!(assigned.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", assigned.body);
    assert!(!evaluation::is_assigned(&app.db, target.id, evaluator.id).await.unwrap());
    // A proposal outside the evaluated set is checked all the same.
    let outside = proposals::proposals_of_call(&app.db, call.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| !proposals.iter().any(|q| q.id == p.id) && p.merged_into.is_none())
        .unwrap();
    share_organisation(&app, evaluator.person_id.unwrap(), outside.id).await;
    let answer = secretariat
        .post_form(
            &path,
            &[("proposal", &outside.id.to_string()), ("evaluator", &evaluator.id.to_string()), ("action", "add")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert!(!evaluation::is_assigned(&app.db, outside.id, evaluator.id).await.unwrap());
}

#[tokio::test]
async fn a_conflict_that_appears_after_assignment_closes_the_proposal_at_once() {
    let app = TestApp::with_demo().await;
    let call = main_call(&app).await;
    let evaluator = user_id(&app, EVALUATOR).await;
    let mine = evaluation::assignments_of_user(&app.db, evaluator.id).await.unwrap();
    let target = mine.iter().find(|a| a.call_id == call.id).unwrap().proposal_id;
    let mut e = app.signed_in(EVALUATOR).await;
    assert_eq!(e.get(&format!("/evaluations/{target}")).await.status, StatusCode::OK);
    // The evaluator moves to the organiser's organisation.
    share_organisation(&app, evaluator.person_id.unwrap(), target).await;
    assert_eq!(e.get(&format!("/evaluations/{target}")).await.status, StatusCode::FORBIDDEN);
    let saved = e.post_form(&format!("/evaluations/{target}"), &[("version", "0")]).await;
    assert_eq!(saved.status, StatusCode::FORBIDDEN);
    assert!(!e.get("/evaluations").await.body.contains(&target.to_string()), "gone from their list");
    // The secretariat sees the pair flagged with the reason and reassigns it in one click.
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let page = secretariat.get(&format!("/editions/igf-2026/calls/{}/assignment", call.id)).await;
    assert!(page.body.contains("value=\"reassign\""), "flagged with a reassign button");
    assert!(page.body.contains("shares an organisation") || page.body.contains("所属組織が同じ"));
    let done = secretariat
        .post_form(
            &format!("/editions/igf-2026/calls/{}/assignment/override", call.id),
            &[("proposal", &target.to_string()), ("evaluator", &evaluator.id.to_string()), ("action", "reassign")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let now: Vec<Uuid> = evaluation::assignments(&app.db, call.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.proposal_id == target)
        .map(|a| a.user_id)
        .collect();
    assert!(!now.contains(&evaluator.id));
    assert_eq!(now.len(), call.settings.per_proposal, "someone else took the place");
}

#[tokio::test]
async fn an_evaluator_who_speaks_on_a_proposal_may_not_evaluate_it() {
    let app = TestApp::with_demo().await;
    let evaluator = user_id(&app, EVALUATOR).await;
    let target = evaluation::assignments_of_user(&app.db, evaluator.id).await.unwrap()[0].proposal_id;
    let mut e = app.signed_in(EVALUATOR).await;
    assert_eq!(e.get(&format!("/evaluations/{target}")).await.status, StatusCode::OK);
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into proposal_people (id, proposal_id, person_id, role, onsite, confirmed, position, created_at, updated_at)
         values ($1, $2, $3, 'moderator', true, true, 99, $4, $4)")
        .bind(Uuid::now_v7()).bind(target).bind(evaluator.person_id.unwrap()).bind(kaigi_db::now())
        .execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(e.get(&format!("/evaluations/{target}")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn merging_people_who_hold_accounts_needs_an_administrator() {
    let app = TestApp::with_demo().await;
    let mine = user_id(&app, SECRETARIAT).await.person_id.unwrap();
    let theirs = user_id(&app, ORGANISER).await.person_id.unwrap();
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let answer = secretariat.post_form(&format!("/people/{mine}/merge"), &[("into", &theirs.to_string())]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
    assert_eq!(user_id(&app, SECRETARIAT).await.person_id, Some(mine), "the account still points at its own person");
    // An administrator may, and it is in the audit log.
    let mut admin = app.signed_in(ADMIN).await;
    let merged = admin.post_form(&format!("/people/{mine}/merge"), &[("into", &theirs.to_string())]).await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    let audit = kaigi_db::audit::list(&app.db, Some("person"), 1000).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "merge" && e.entity_id == mine.to_string()));
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_checked_at_most_the_limit() {
    let app = TestApp::with_demo().await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let mut client = app.client();
        client.csrf().await;
        tasks.push(tokio::spawn(async move { client.login(PARTICIPANT, "wrong password 123").await.status }));
    }
    let mut checked = 0;
    let mut locked = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => locked += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert!(checked <= kaigi_db::accounts::LOGIN_FAILURES_ALLOWED, "{checked} checked");
    assert_eq!(checked + locked, 50);
    // The right password is locked out too until the window passes.
    let mut late = app.client();
    assert_eq!(late.login(PARTICIPANT, kaigi_core::demo::DEMO_PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_proxy_the_client_cannot_choose_its_address_nor_reset_its_count() {
    let mut config = kaigi_web::Config::local(0);
    config.trust_proxy = true;
    let app = TestApp::spawn_with(config).await;
    let forum = kaigi_core::demo::generate(2026);
    kaigi_db::demo::seed(&app.db, &forum).await.unwrap();
    let per_address = kaigi_db::accounts::LOGIN_PER_ADDRESS.allowed;
    let attempt = |n: i64, email: String, password: &'static str| {
        let mut client = app.client();
        async move {
            let token = client.csrf().await;
            let body = format!("csrf={}&email={}&password={}", encode(&token), encode(&email), encode(password));
            let request = axum::http::Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-forwarded-for", format!("10.9.{}.{}, 198.51.100.7", n / 200, n % 200))
                .body(axum::body::Body::from(body))
                .unwrap();
            client.send(request).await.status
        }
    };
    // Failures spread over many accounts, from one address with a new made-up hop each time.
    for n in 0..per_address - 1 {
        assert_eq!(attempt(n, format!("nobody{n}@example.org"), "wrong password 123").await, 422);
    }
    // Signing in to one's own account from there does not wipe the count.
    assert_eq!(attempt(900, PARTICIPANT.to_owned(), kaigi_core::demo::DEMO_PASSWORD).await, StatusCode::SEE_OTHER);
    assert_eq!(attempt(901, "last@example.org".into(), "wrong password 123").await, 422);
    assert_eq!(attempt(902, "more@example.org".into(), "wrong password 123").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sign_in_never_sends_anyone_off_the_site() {
    let app = TestApp::with_demo().await;
    for next in ["/\t/evil.example/", "//evil.example", "/\\evil.example", "https://evil.example", "/\n/evil.example"] {
        let mut client = app.client();
        let token = client.csrf().await;
        let answer = client
            .post_raw(
                "/login",
                &[("csrf", &token), ("email", ADMIN), ("password", kaigi_core::demo::DEMO_PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.location(), Some("/"), "{next:?}");
    }
    let page = app.client().get("/login?next=/%09/evil.example/").await;
    assert!(page.body.contains("name=\"next\" value=\"/\""), "the form does not carry it either");
}

#[tokio::test]
async fn search_forgets_unpublished_minutes_whatever_the_clock_says() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let mut published = None;
    for m in meetings::of_committee(&app.db, committee).await.unwrap() {
        if meetings::meeting(&app.db, m.id).await.unwrap().unwrap().published {
            published = Some(m.id);
        }
    }
    let meeting = published.expect("the demo publishes one meeting's minutes");
    let item = meetings::agenda(&app.db, meeting).await.unwrap()[0].clone();
    let word = item.title.chars().take(4).collect::<String>();
    let url = format!("/api/v1/search?q={}", encode(&word));
    let found = |body: &str| body.contains(&format!("/minutes/{meeting}"));
    assert!(found(&app.client().get(&url).await.body), "published minutes are found by the public");
    // Unpublished by a write whose time stamp is in the past (a clock behind, a restore).
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("update meetings set published = false, updated_at = $2 where id = $1")
        .bind(meeting).bind(kaigi_db::now() - time::Duration::days(400)).execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    assert!(!found(&app.client().get(&url).await.body), "gone at once from public search");
}

#[tokio::test]
async fn adding_someone_by_address_reveals_nothing_from_the_directory() {
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let mut all = calls::calls_of_edition(&app.db, edition.id).await.unwrap();
    all.sort_by_key(|c| c.opens_at);
    let late = all.pop().unwrap();
    let known = kaigi_db::directory::list_people(&app.db, None, 600, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.email.is_some() && p.stakeholder_group.is_some())
        .unwrap();
    let mut participant = app.signed_in(PARTICIPANT).await;
    let created = participant
        .post_form(
            &format!("/calls/{}/proposals", late.id),
            &[("title", "名簿を探る提案"), ("session_type", "lightning-talk"), ("description", "")],
        )
        .await;
    let location = created.location().unwrap().to_owned();
    let added = participant
        .post_form(
            &format!("{location}/people"),
            &[("name", "Someone"), ("email", known.email.as_deref().unwrap()), ("part", "speaker"), ("mode", "online")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = participant.get(&location).await;
    if let Some(at) = page.body.find(&known.display_name) {
        panic!("the directory's name is shown: …{}…", &page.body[at.saturating_sub(300)..at + 100]);
    }
    // Typing addresses is throttled: each one may send a letter.
    let limit = kaigi_db::accounts::PEOPLE_BY_EMAIL_PER_ACCOUNT.allowed;
    let mut last = StatusCode::OK;
    for n in 1..=limit {
        let email = format!("probe{n}@example.org");
        last = participant
            .post_form(
                &format!("{location}/people"),
                &[("name", "Probe"), ("email", &email), ("part", "speaker"), ("mode", "online")],
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_decision_does_not_publish_its_session() {
    let app = TestApp::with_demo().await;
    let call = main_call(&app).await;
    let p = proposals::proposals_of_call(&app.db, call.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.status == "submitted" && p.merged_into.is_none())
        .unwrap();
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let decided = secretariat
        .post_form(
            &format!("/editions/igf-2026/proposals/{}/decision", p.id),
            &[("verdict", "accept-on-condition"), ("cond-rule-min-regions", "on"), ("cond-n-min-regions", "2")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let session = kaigi_db::programme::sessions(&app.db, edition.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.proposal_id == Some(p.id))
        .unwrap();
    assert!(!session.published);
    let public = format!("/editions/igf-2026/sessions/{}", session.number);
    assert_eq!(app.client().get(&public).await.status, StatusCode::NOT_FOUND);
    for file in ["schedule.json", "schedule.xml", "schedule.ics", "schedule.csv"] {
        let export = app.client().get(&format!("/editions/igf-2026/export/{file}")).await;
        assert!(!export.body.contains(&p.fields.title), "{file} leaks the unpublished session");
    }
    assert_eq!(secretariat.get(&public).await.status, StatusCode::OK, "the secretariat previews it");
    // Placed in the draft, it is still not public: only publishing makes it so.
    kaigi_db::programme::solve_and_apply(
        &app.db,
        &Actor::system("test"),
        edition.id,
        std::time::Duration::from_secs(2),
    )
    .await
    .unwrap();
    assert_eq!(app.client().get(&public).await.status, StatusCode::NOT_FOUND, "placed is not published");
    let review = secretariat.get("/editions/igf-2026/programme/publish").await;
    assert!(review.body.contains(&p.fields.title), "the review lists the new session");
    let form = forms_of(&review.body).into_iter().find(|f| f.action.ends_with("/programme/publish")).unwrap();
    let seen = form.value("draft_version").unwrap().to_owned();
    let published = secretariat
        .post_form("/editions/igf-2026/programme/publish", &[("draft_version", &seen), ("note", "New session")])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    assert_eq!(app.client().get(&public).await.status, StatusCode::OK);
    let export = app.client().get("/editions/igf-2026/export/schedule.json").await;
    assert!(export.body.contains(&p.fields.title), "the exports follow at once");
    // The same review form sent again is stale: nothing is published twice.
    let again = secretariat
        .post_form("/editions/igf-2026/programme/publish", &[("draft_version", &seen), ("note", "Again")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn spreadsheets_never_run_a_name_from_a_csv() {
    let app = TestApp::with_demo().await;
    let participant = user_id(&app, PARTICIPANT).await;
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("update people set display_name = $2 where id = $1")
        .bind(participant.person_id.unwrap()).bind("=HYPERLINK(\"http://evil.example\",\"x\")").execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    let mut p = app.signed_in(PARTICIPANT).await;
    let categories = kaigi_db::registration::categories(
        &app.db,
        kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap().id,
    )
    .await
    .unwrap();
    let registered = p
        .post_form(
            "/editions/igf-2026/registration",
            &[("category", &categories[0].code), ("attendance", "online"), ("consent", "on")],
        )
        .await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.body);
    let csv = app.signed_in(SECRETARIAT).await.get("/editions/igf-2026/registrations.csv").await;
    assert!(csv.body.contains("'=HYPERLINK"), "neutralised");
    assert!(!csv.body.lines().any(|l| l.starts_with("=") || l.contains(",=")), "no cell starts a formula");
}

#[tokio::test]
async fn an_invitation_to_an_existing_account_signs_nobody_in() {
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let grant = kaigi_core::access::Grant {
        role: kaigi_core::access::Role::Evaluator,
        scope: kaigi_core::access::Scope::Edition(edition.id.to_string()),
    };
    let mut tx = app.db.begin().await.unwrap();
    let token = kaigi_db::accounts::create_invitation(&mut tx, &Actor::system("t"), PARTICIPANT, &grant).await.unwrap();
    tx.commit().await.unwrap();
    let mut stranger = app.client();
    let answer = stranger
        .post_form(
            &format!("/invitations/{token}"),
            &[("display_name", "Mallory"), ("password", "anything-at-all"), ("password_again", "anything-at-all")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(stranger.get("/me").await.status, StatusCode::SEE_OTHER, "not signed in");
    let participant = user_id(&app, PARTICIPANT).await;
    assert!(!kaigi_db::accounts::grants_of(&app.db, participant.id).await.unwrap().contains(&grant));
    // Signed in as that account, the role is added.
    let mut owner = app.signed_in(PARTICIPANT).await;
    let accepted = owner.post_form(&format!("/invitations/{token}"), &[]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert!(kaigi_db::accounts::grants_of(&app.db, participant.id).await.unwrap().contains(&grant));
}

#[tokio::test]
async fn password_reset_requests_are_throttled() {
    let app = TestApp::with_demo().await;
    let mut client = app.client();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(client.post_form("/password/forgot", &[("email", PARTICIPANT)]).await.status);
    }
    let allowed = kaigi_db::accounts::RESET_PER_ADDRESS.allowed as usize;
    assert!(statuses[..allowed].iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    assert!(statuses[allowed..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    let letters = kaigi_db::outbox::list(&app.db, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.to_address == PARTICIPANT && m.body.contains("/password/reset/"))
        .count();
    assert_eq!(letters as i64, kaigi_db::accounts::RESET_PER_ACCOUNT.allowed, "at most a few links per account");
}

#[tokio::test]
async fn a_timetable_move_refuses_a_room_of_another_edition() {
    let app = TestApp::with_demo().await;
    // Another edition with a room of its own.
    let mut tx = app.db.begin().await.unwrap();
    let other = Uuid::now_v7();
    let room = Uuid::now_v7();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into editions (id, slug, name, timezone, starts_on, ends_on, created_at, updated_at) values ($1, 'other', 'Other', 'UTC', $2, $2, $3, $3)")
        .bind(other).bind(time::OffsetDateTime::now_utc().date()).bind(kaigi_db::now()).execute(c).await.map(|_| ())).unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query(
        "insert into rooms (id, edition_id, name, capacity, features, position, created_at, updated_at) values ($1, $2, 'Elsewhere', 10, '', 0, $3, $3)")
        .bind(room).bind(other).bind(kaigi_db::now()).execute(c).await.map(|_| ())).unwrap();
    tx.commit().await.unwrap();
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let session = kaigi_db::programme::sessions(&app.db, edition.id).await.unwrap().remove(0);
    let day = kaigi_db::editions::days(&app.db, edition.id).await.unwrap()[1].day;
    let moved = kaigi_db::programme::move_session(
        &app.db,
        &Actor::system("t"),
        edition.id,
        session.id,
        session.version,
        Some((room, day, "10:00".into())),
        false,
    )
    .await;
    assert!(moved.is_err(), "a room of another edition is refused");
    let after = kaigi_db::programme::session(&app.db, edition.id, session.id).await.unwrap().unwrap();
    assert_eq!(after.room_id, session.room_id);
}

#[tokio::test]
async fn an_evaluator_evaluates_through_the_api_until_a_conflict_closes_the_proposal() {
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let call = main_call(&app).await;
    let evaluator = user_id(&app, EVALUATOR).await;
    let (_, token) =
        kaigi_db::tokens::create(&app.db, &Actor::system("test"), evaluator.id, "app", TokenScope::Write, 30)
            .await
            .unwrap();
    // The worklist through the API is the evaluations page's list.
    let list = with_token(&app, "GET", "/api/v1/evaluations", &token, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let listed = |list: &serde_json::Value| -> Vec<Uuid> {
        list["evaluations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["call"] == call.id.to_string())
            .map(|a| a["proposal"].as_str().unwrap().parse().unwrap())
            .collect()
    };
    let assigned = listed(&list.json());
    let mine = evaluation::assignments_of_user(&app.db, evaluator.id).await.unwrap();
    assert_eq!(assigned, mine.iter().filter(|a| a.call_id == call.id).map(|a| a.proposal_id).collect::<Vec<_>>());
    let (target, second) = (assigned[0], assigned[1]);
    let path = format!("/api/v1/evaluations/{target}");
    let read = with_token(&app, "GET", &path, &token, None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let form = read.json();
    assert!(form["others"].as_array().unwrap().is_empty(), "nobody else's marks before one's own");
    let criteria: Vec<String> =
        form["criteria"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    let version = form["version"].as_i64().unwrap();
    let first = criteria[0].clone();
    // A draft with one score is saved; writing on the old version again is a 409.
    let draft =
        with_token_json(&app, "PUT", &path, &token, json!({"version": version, "scores": {first.clone(): 4}})).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert_eq!(draft.json()["state"], "draft");
    let list = with_token(&app, "GET", "/api/v1/evaluations", &token, None).await.json();
    let entry = list["evaluations"].as_array().unwrap().iter().find(|a| a["proposal"] == target.to_string()).unwrap();
    assert_eq!(entry["state"], "draft");
    let stale =
        with_token_json(&app, "PUT", &path, &token, json!({"version": version, "scores": {first.clone(): 2}})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.json()["error"]["code"], "error-conflict");
    let off_scale =
        with_token_json(&app, "PUT", &path, &token, json!({"version": version + 1, "scores": {first.clone(): 99}}))
            .await;
    assert_eq!(off_scale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", off_scale.body);
    assert_eq!(with_token(&app, "GET", &path, &token, None).await.json()["scores"][&first], 4);
    // A proposal not assigned to them is refused, as on the page.
    let unassigned = kaigi_db::proposals::proposals_of_call(&app.db, call.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .find(|id| !assigned.contains(id))
        .unwrap();
    let refused = with_token(&app, "GET", &format!("/api/v1/evaluations/{unassigned}"), &token, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    // A conflict that appears now closes the proposal at once, for the API as for the page.
    share_organisation(&app, evaluator.person_id.unwrap(), target).await;
    let conflicted = with_token(&app, "GET", &path, &token, None).await;
    assert_eq!(conflicted.status, StatusCode::FORBIDDEN, "{}", conflicted.body);
    assert_eq!(conflicted.json()["error"]["code"], "forbidden");
    let now = listed(&with_token(&app, "GET", "/api/v1/evaluations", &token, None).await.json());
    assert!(!now.contains(&target) && now.contains(&second), "the conflicted proposal leaves the worklist");
    let write = with_token_json(&app, "PUT", &path, &token, json!({"version": version + 1, "submit": true})).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    let other = with_token(&app, "GET", &format!("/api/v1/evaluations/{second}"), &token, None).await;
    assert_eq!(other.status, StatusCode::OK, "their other proposals stay open");
}
