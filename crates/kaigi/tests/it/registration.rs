//! Registration and participation: a participant registers in the browser's forms, gets a
//! confirmation and a badge, is checked in once; places are never overbooked however many
//! register at once; statistics count what they should and the public page hides small groups;
//! past figures import all or nothing.

use std::sync::Arc;

use axum::http::StatusCode;
use kaigi_core::participation::{Attendance, Dimension, parse_aggregates, tally};
use kaigi_db::Actor;
use kaigi_db::registration::{self, CategoryInput, CheckIn, RegistrationInput};

use crate::support::*;

fn onsite(category: &str) -> RegistrationInput {
    RegistrationInput {
        category: category.into(),
        attendance: Attendance::Onsite,
        stakeholder_group: None,
        un_region: None,
        country: None,
        gender: None,
        youth: false,
        first_time: false,
        consent: true,
    }
}

/// The demo participant's registration form, as they fill it in.
const REGISTRATION: &[(&str, &str)] = &[
    ("category", "delegate"),
    ("attendance", "onsite"),
    ("stakeholder_group", "civil-society"),
    ("un_region", "asia-pacific"),
    ("country", "jp"),
    ("gender", "女性"),
    ("first_time", "1"),
    ("consent", "1"),
];

#[tokio::test]
async fn a_participant_registers_gets_a_badge_and_is_checked_in_once() {
    let app = TestApp::with_demo().await;
    let mut participant = app.signed_in(PARTICIPANT).await;
    let page = participant.get("/editions/igf-2026/registration").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"delegate\""), "the demo's categories are offered");

    let answer = participant.post_form("/editions/igf-2026/registration", REGISTRATION).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = participant.get("/editions/igf-2026/registration").await;
    assert!(page.body.contains("id=\"registered\""), "{}", page.body);

    // The directory now knows what the participant stated.
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let user = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
    let mine = registration::registration_of(&app.db, edition.id, user.id).await.unwrap().unwrap();
    let person = kaigi_db::directory::get_person(&app.db, mine.person_id).await.unwrap().unwrap();
    assert_eq!(person.country.as_deref(), Some("JP"));
    assert_eq!(person.stakeholder_group.as_deref(), Some("civil-society"));

    // A confirmation in both languages, with the link to the badge.
    let outbox = kaigi_db::outbox::list(&app.db, 50).await.unwrap();
    let mail = outbox.iter().find(|m| m.to_address == PARTICIPANT).expect("a confirmation is queued");
    assert!(mail.body.contains("/editions/igf-2026/registration") && mail.body.contains("参加登録"), "{}", mail.body);
    assert!(mail.body.contains("Your registration for"), "no language chosen: both: {}", mail.body);
    // Once the participant has chosen a language, letters come in that language alone.
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::accounts::set_language(&mut tx, &kaigi_db::Actor::system("test"), user.id, "en").await.unwrap();
    tx.commit().await.unwrap();
    let changed = participant.post_form("/editions/igf-2026/registration", REGISTRATION).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let outbox = kaigi_db::outbox::list(&app.db, 50).await.unwrap();
    let mail = outbox.iter().find(|m| m.to_address == PARTICIPANT).expect("a notice of the change");
    assert!(mail.subject.starts_with("Registration: "), "{}", mail.subject);
    assert!(mail.body.contains("is changed: ") && mail.body.contains(", onsite."), "{}", mail.body);
    assert!(!mail.body.contains("参加登録"), "English only: {}", mail.body);

    // The badge carries the code and a QR code that opens the check-in page.
    let badge = participant.get("/editions/igf-2026/badge").await;
    assert_eq!(badge.status, StatusCode::OK);
    assert!(badge.body.contains(&mine.badge_code) && badge.body.contains("<svg"), "{}", badge.body);

    // The participant cannot check themselves in; the secretariat can, once.
    let refused = participant.post_form("/editions/igf-2026/check-in", &[("code", &mine.badge_code)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut desk = app.signed_in(SECRETARIAT).await;
    let scanned = desk.get(&format!("/editions/igf-2026/check-in/{}", mine.badge_code)).await;
    assert!(scanned.body.contains(&person.display_name), "the QR code's page names the person");
    let first = desk.post_form("/editions/igf-2026/check-in", &[("code", &mine.badge_code.to_lowercase())]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("notice ok"), "{}", first.body);
    let second = desk.post_form("/editions/igf-2026/check-in", &[("code", &mine.badge_code)]).await;
    assert!(second.body.contains("notice warn"), "a second scan says when they were checked in: {}", second.body);
    let unknown = desk.post_form("/editions/igf-2026/check-in", &[("code", "NOPE")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The list for the venue: headed in the reader's language, marked UTF-8 for spreadsheets.
    desk.accept_language = Some("ja".into());
    let list = desk.get("/editions/igf-2026/registrations.csv").await;
    assert!(
        list.body.starts_with("\u{feff}氏名,メールアドレス,参加区分,参加方法,状態,バッジコード,"),
        "{}",
        &list.body[..80]
    );
    let row = list.body.lines().find(|l| l.contains(PARTICIPANT)).expect("the participant is listed");
    assert!(row.contains(&mine.badge_code) && row.contains(",onsite,confirmed,"), "{row}");
    desk.accept_language = None;

    // Cancelling gives the onsite place back, and the badge no longer checks in.
    let before = registration::categories(&app.db, edition.id).await.unwrap();
    let taken = |cs: &[registration::Category]| cs.iter().find(|c| c.code == "delegate").unwrap().onsite_taken;
    participant.post_form("/editions/igf-2026/registration/cancel", &[]).await;
    let after = registration::categories(&app.db, edition.id).await.unwrap();
    assert_eq!(taken(&after), taken(&before) - 1);
    let actor = Actor::system("test");
    assert!(matches!(
        registration::check_in(&app.db, &actor, edition.id, &mine.badge_code).await.unwrap(),
        CheckIn::Cancelled(_)
    ));
    let badge = participant.get("/editions/igf-2026/badge").await;
    assert_eq!(badge.location(), Some("/editions/igf-2026/registration"), "no badge once cancelled");
}

#[tokio::test]
async fn concurrent_registrations_never_overbook_a_category() {
    let (db, _dir) = fresh_db().await;
    let actor = Actor::system("test");
    let new = kaigi_db::setup::NewEdition {
        slug: "rush".into(),
        name: "Rush".into(),
        name_ja: None,
        timezone: "Asia/Tokyo".into(),
        venue: None,
        starts_on: time::macros::date!(2027 - 01 - 10),
        ends_on: time::macros::date!(2027 - 01 - 11),
    };
    let id = kaigi_db::setup::create_edition(&db, &actor, &new).await.unwrap();
    let edition = Arc::new(kaigi_db::editions::edition_by_id(&db, id).await.unwrap().unwrap());
    let places = 17;
    let category = CategoryInput {
        code: "delegate".into(),
        name: "Delegate".into(),
        name_ja: None,
        onsite_capacity: Some(places),
    };
    registration::save_category(&db, &actor, id, &category).await.unwrap();
    let users = kaigi_db::demo::bulk_accounts(&db, "rush", 60).await.unwrap();
    let mut tasks = Vec::new();
    for user in users.clone() {
        let (db, edition) = (db.clone(), edition.clone());
        tasks.push(tokio::spawn(async move {
            registration::register(&db, &Actor::system("test"), &edition, user, &onsite("delegate"), "http://x").await
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(e) if e.key() == Some("error-onsite-full") => {
                assert!(e.to_string().contains("no onsite places"), "{e}")
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(accepted, places);
    let cats = registration::categories(&db, id).await.unwrap();
    assert_eq!(cats[0].onsite_taken, places);
    assert_eq!(registration::participants(&db, id).await.unwrap().len() as i64, places);

    // The capacity cannot go below the places taken; a cancellation frees one for the next.
    let lower = CategoryInput { onsite_capacity: Some(places - 1), ..category.clone() };
    assert!(registration::save_category(&db, &actor, id, &lower).await.is_err());
    let holders = registration::registrations(&db, id).await.unwrap();
    let holder = holders[0].user_id;
    registration::cancel(&db, &actor, &edition, holder).await.unwrap();
    let refused = users.iter().copied().find(|u| !holders.iter().any(|r| r.user_id == *u)).unwrap();
    registration::register(&db, &actor, &edition, refused, &onsite("delegate"), "http://x").await.unwrap();
    assert_eq!(registration::categories(&db, id).await.unwrap()[0].onsite_taken, places);
    let full = registration::register(&db, &actor, &edition, holder, &onsite("delegate"), "http://x").await;
    assert!(full.is_err(), "the place went to someone else");
}

#[tokio::test]
async fn session_places_are_never_overbooked_and_need_a_registration() {
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let sessions = kaigi_db::programme::sessions(&app.db, edition.id).await.unwrap();
    let session = sessions[5].id;
    let actor = Actor::system("test");
    registration::set_signup_capacity(&app.db, &actor, session, Some(3)).await.unwrap();
    let registered = registration::registrations(&app.db, edition.id).await.unwrap();
    let mut tasks = Vec::new();
    for r in registered.iter().filter(|r| r.confirmed()).take(12) {
        let (db, user) = (app.db.clone(), r.user_id);
        tasks.push(tokio::spawn(async move { registration::sign_up(&db, session, user).await }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 3);
    assert_eq!(registration::signup_places(&app.db, session).await.unwrap(), Some((3, 3)));
    // Someone not registered is told to register first.
    let user = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
    let err = registration::sign_up(&app.db, session, user.id).await.unwrap_err();
    assert!(err.to_string().contains("register"), "{err}");
    // The session page shows the places to the signed-in participant.
    let number = sessions[5].number;
    let mut client = app.signed_in(PARTICIPANT).await;
    let page = client.get(&format!("/editions/igf-2026/sessions/{number}")).await;
    assert!(page.body.contains("id=\"signup\""), "{}", page.body);
}

#[tokio::test]
async fn statistics_count_consent_and_the_public_page_hides_small_groups() {
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let people = registration::participants(&app.db, edition.id).await.unwrap();
    let figures = tally(&people);
    assert!(figures.total > 300, "the demo has registrations: {}", figures.total);
    let without_consent = people.iter().filter(|p| !p.consent).count() as u64;
    assert!(without_consent > 0);
    assert!(figures.count(Dimension::StakeholderGroup, "not-stated") >= without_consent);

    // Secretariat: full figures beside the imported past editions, and CSV that reads back.
    let mut desk = app.signed_in(SECRETARIAT).await;
    let page = desk.get("/editions/igf-2026/statistics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("IGF 2023 Kyoto (demo figures)") && page.body.contains("<svg"), "{}", page.body);
    let csv = desk.get("/editions/igf-2026/statistics.csv?shown=1&compare=igf-2024").await;
    let rows = parse_aggregates(&csv.body).unwrap();
    assert!(rows.iter().any(|r| r.edition == "igf-2026" && r.dimension.is_none() && r.count == figures.total));
    assert!(rows.iter().any(|r| r.edition == "igf-2024"));
    assert!(!rows.iter().any(|r| r.edition == "igf-2023"), "only the compared editions");

    // Public: the figures as published (the demo published them before its last
    // registrations), never the live count, until the secretariat publishes again.
    let mut public = app.client();
    let published = kaigi_db::statistics::latest(&app.db, edition.id).await.unwrap().expect("the demo publishes");
    assert!(published.figures.total < figures.total, "registrations came in after the publication");
    let api = public.get("/api/v1/editions/igf-2026/participation").await.json();
    assert_eq!(api["total"].as_u64(), Some(published.figures.total));
    assert_eq!(api["version"].as_i64(), Some(published.number));
    let page = desk.get("/editions/igf-2026/statistics").await;
    let form = forms_of(&page.body).into_iter().find(|f| f.action.ends_with("/statistics/publish")).unwrap();
    let seen = form.value("figures").unwrap().to_owned();
    // A registration between review and publishing: the reviewed figures are no longer the
    // live ones, and nothing is published.
    let late = kaigi_db::demo::bulk_accounts(&app.db, "late", 1).await.unwrap()[0];
    let input = registration::RegistrationInput {
        category: "delegate".into(),
        attendance: kaigi_core::participation::Attendance::Online,
        stakeholder_group: None,
        un_region: None,
        country: None,
        gender: None,
        youth: false,
        first_time: true,
        consent: true,
    };
    registration::register(&app.db, &Actor::system("test"), &edition, late, &input, "http://kaigi.test").await.unwrap();
    let stale = desk.post_form("/editions/igf-2026/statistics/publish", &[("figures", &seen)]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
    assert!(stale.body.contains("role=\"alert\""), "the refusal is said on the page");
    let api = public.get("/api/v1/editions/igf-2026/participation").await.json();
    assert_eq!(api["total"].as_u64(), Some(published.figures.total), "nothing was published");
    let fresh = forms_of(&stale.body).into_iter().find(|f| f.action.ends_with("/statistics/publish")).unwrap();
    let done =
        desk.post_form("/editions/igf-2026/statistics/publish", &[("figures", fresh.value("figures").unwrap())]).await;
    assert_eq!(done.location(), Some("/editions/igf-2026/participation"), "{}", done.body);
    let now = tally(&registration::participants(&app.db, edition.id).await.unwrap());
    let api = public.get("/api/v1/editions/igf-2026/participation").await.json();
    assert_eq!(api["total"].as_u64(), Some(now.total));
    assert_eq!(api["version"].as_i64(), Some(published.number + 1));
    // The public search finds the published figures, by a group's name in either language.
    for q in ["participants", "市民社会", "Civil society"] {
        let found = public.get(&format!("/api/v1/search?q={}&kind=statistics", encode(q))).await.json();
        let urls: Vec<&str> = found["hits"].as_array().unwrap().iter().filter_map(|h| h["url"].as_str()).collect();
        assert_eq!(urls, ["/editions/igf-2026/participation"], "{q}: {found}");
    }
    // No count between 1 and 4 appears; the threshold is stated.
    let page = public.get("/editions/igf-2026/participation").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt; 5") || page.body.contains("&#60; 5"), "small groups are hidden");
    assert_eq!(api["threshold"].as_u64(), Some(5));
    let mut hidden = 0;
    for (_, counts) in api["by"].as_object().unwrap() {
        for (_, n) in counts.as_object().unwrap() {
            match n.as_u64() {
                Some(n) => assert!(n == 0 || n >= 5, "{n}"),
                None => hidden += 1,
            }
        }
    }
    assert!(hidden > 0, "some small groups are hidden in the API too");
    let csv = public.get("/editions/igf-2026/participation.csv").await;
    for line in csv.body.lines().skip(1) {
        let count = line.rsplit(',').next().unwrap();
        if let Ok(n) = count.parse::<u64>() {
            assert!(n == 0 || n >= 5 || line.contains(",total,"), "{line}");
        } else {
            assert_eq!(count, "fewer than 5", "{line}");
        }
    }
}

#[tokio::test]
async fn past_figures_import_all_or_nothing_and_never_overwrite_silently() {
    let app = TestApp::with_demo().await;
    let actor = Actor::system("test");
    let good = "edition,name,dimension,category,count\n\
                igf-2019,IGF 2019 Berlin,total,all,3679\n\
                igf-2019,IGF 2019 Berlin,stakeholder-group,civil-society,1000\n";
    let rows = parse_aggregates(good).unwrap();
    registration::import_aggregates(&app.db, &actor, &rows, false).await.unwrap();
    let again = registration::import_aggregates(&app.db, &actor, &rows, false).await.unwrap_err();
    assert!(again.to_string().contains("replace"), "{again}");
    // A file naming a kaigi edition is refused whole: igf-2018 is not stored either.
    let mixed =
        "edition,name,dimension,category,count\nigf-2018,IGF 2018 Paris,total,all,3000\nigf-2026,Ours,total,all,1\n";
    let err =
        registration::import_aggregates(&app.db, &actor, &parse_aggregates(mixed).unwrap(), true).await.unwrap_err();
    assert!(err.to_string().contains("igf-2026"), "{err}");
    let stored = registration::imported_figures(&app.db).await.unwrap();
    assert!(stored.iter().all(|e| e.key != "igf-2018"));
    assert_eq!(stored.iter().find(|e| e.key == "igf-2019").unwrap().figures.total, 3679);

    // Through the page: only an administrator may upload, and a bad file says where.
    let mut admin = app.signed_in(ADMIN).await;
    let csrf = admin.csrf().await;
    let bad = "edition,name,dimension,category,count\nigf-2017,IGF 2017 Geneva,region,asia,12\n";
    let boundary = "kaigi-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\nContent-Type: text/csv\r\n\r\n{bad}\r\n--{boundary}--\r\n"
    );
    let request = axum::http::Request::post(format!("/editions/igf-2026/statistics/import?csrf={}", encode(&csrf)))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(body))
        .unwrap();
    let answer = admin.send(request).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("line 2, column “category”"), "{}", answer.body);
    assert!(answer.body.contains("2 行目「category」列"), "{}", answer.body);
}

#[test]
fn the_cli_registers_lists_checks_in_and_shows_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| kaigi_on(db, args);
    let (code, _, stderr) = run(&["demo", "--no-serve"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) =
        run(&["registration", "category", "igf-2026", "--code", "press", "--name", "Press", "--capacity", "31"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (_, stdout, _) = run(&["registration", "categories", "igf-2026"]);
    assert!(stdout.lines().any(|l| l.starts_with("press\t") && l.contains("of 31")), "{stdout}");
    let (code, stdout, stderr) = run(&[
        "registration",
        "add",
        "igf-2026",
        "--email",
        PARTICIPANT,
        "--category",
        "press",
        "--country",
        "jp",
        "--consent",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let badge = stdout.trim().rsplit(' ').next().unwrap().to_uppercase();
    let (_, csv, _) = run(&["registration", "list", "igf-2026", "--csv"]);
    assert!(
        csv.lines().any(|l| l.contains(PARTICIPANT) && l.contains(&badge) && l.contains(",press,onsite,confirmed,")),
        "{csv}"
    );
    let (code, stdout, _) = run(&["registration", "check-in", "igf-2026", &badge]);
    assert_eq!((code, stdout.starts_with("checked in")), (Some(0), true), "{stdout}");
    let (_, stdout, _) = run(&["registration", "check-in", "igf-2026", &badge]);
    assert!(stdout.starts_with("already checked in"), "{stdout}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "edition,name,dimension,category,count\nigf-2019,IGF 2019,total,all,many\n").unwrap();
    let (code, _, stderr) = run(&["stats", "import", bad.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("line 2, count"), "{stderr}");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "edition,name,dimension,category,count\nigf-2019,IGF 2019,total,all,3679\n").unwrap();
    let (code, _, stderr) = run(&["stats", "import", good.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, csv, stderr) = run(&["stats", "show", "igf-2026", "--compare", "igf-2019", "--csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    let rows = parse_aggregates(&csv).unwrap();
    assert!(rows.iter().any(|r| r.edition == "igf-2019" && r.count == 3679));
    assert!(
        rows.iter()
            .any(|r| r.edition == "igf-2026" && r.dimension == Some(Dimension::Category) && r.category == "press")
    );
    // The public sees the figures the demo published before the last registrations, then
    // those published now; publishing the same figures again is refused.
    let (code, before, stderr) = run(&["stats", "show", "igf-2026", "--public"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(before.lines().next().unwrap().contains("version 1 published"), "{before}");
    let (code, stdout, stderr) = run(&["stats", "publish", "igf-2026"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("as version 2:"), "{stdout}");
    let (code, _, stderr) = run(&["stats", "publish", "igf-2026"]);
    assert_ne!(code, Some(0), "the same figures again are refused");
    assert!(stderr.contains("nothing changed"), "{stderr}");
    let (_, public, _) = run(&["stats", "show", "igf-2026", "--public"]);
    assert!(public.lines().next().unwrap().contains("version 2 published"), "{public}");
    let total = |text: &str| text.split(" — ").nth(1).and_then(|t| t.split(' ').next()).unwrap().to_owned();
    assert!(total(&public).parse::<u64>().unwrap() > total(&before).parse::<u64>().unwrap(), "{before}\n{public}");
    for line in public.lines().skip(1) {
        let n = line.rsplit('\t').next().unwrap();
        assert!(n == "<5" || n.parse::<u64>().is_ok_and(|n| n == 0 || n >= 5), "{line}");
    }
}

#[tokio::test]
async fn someone_without_an_account_signs_up_then_registers() {
    let app = TestApp::with_demo().await;
    let mut visitor = app.client();
    let page = visitor.get("/editions/igf-2026").await;
    assert!(page.body.contains("/editions/igf-2026/signup"), "the edition page offers a sign-up");
    let sent = visitor.post_form("/editions/igf-2026/signup", &[("email", "New.Comer@Example.org")]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let outbox = kaigi_db::outbox::list(&app.db, 5).await.unwrap();
    let mail = outbox.iter().find(|m| m.to_address == "new.comer@example.org").expect("a link is sent");
    let link = mail.body.split_whitespace().find(|w| w.contains("/invitations/")).unwrap();
    let path = &link[link.find("/invitations/").unwrap()..];
    // The existing invitation flow creates the account, as a participant of this edition.
    let form = visitor.get(path).await;
    assert_eq!(form.status, StatusCode::OK);
    let created = visitor
        .post_form(
            path,
            &[
                ("display_name", "New Comer"),
                ("password", "a long enough passphrase"),
                ("password_again", "a long enough passphrase"),
            ],
        )
        .await;
    assert!(created.status.is_redirection(), "{} {}", created.status, created.body);
    let user = kaigi_db::accounts::find_user_by_email(&app.db, "new.comer@example.org").await.unwrap().unwrap();
    let grants = kaigi_db::accounts::grants_of(&app.db, user.id).await.unwrap();
    assert!(grants.iter().any(|g| g.role == kaigi_core::access::Role::Participant), "{grants:?}");
    let mut newcomer = app.client();
    newcomer.login("new.comer@example.org", "a long enough passphrase").await;
    let registered = newcomer
        .post_form(
            "/editions/igf-2026/registration",
            &[("category", "youth"), ("attendance", "online"), ("consent", "1")],
        )
        .await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.body);
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let mine = registration::registration_of(&app.db, edition.id, user.id).await.unwrap().unwrap();
    assert!(mine.confirmed() && mine.attendance == "online" && mine.category_code == "youth");

    // An address that has an account gets a reminder, not a second account; the answer is the same.
    let again = app.client().post_form("/editions/igf-2026/signup", &[("email", PARTICIPANT)]).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body.contains("notice"), sent.body.contains("notice"));
    let reminder = &kaigi_db::outbox::list(&app.db, 1).await.unwrap()[0];
    assert_eq!(reminder.to_address, PARTICIPANT);
    assert!(
        reminder.body.contains("/password/forgot") && !reminder.body.contains("/invitations/"),
        "{}",
        reminder.body
    );

    // One address cannot flood the outbox.
    let mut flood = app.client();
    let mut last = StatusCode::OK;
    for i in 0..8 {
        last =
            flood.post_form("/editions/igf-2026/signup", &[("email", &format!("flood{i}@example.org"))]).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// The registrations of the demo, filtered and paged through the API and on the page: the
/// pages of a filter add up to its total, in a stable order, and every row fits the filter.
#[tokio::test]
async fn the_secretariat_filters_and_pages_registrations_and_checks_in_through_the_api() {
    use serde_json::{Value, json};
    let app = TestApp::with_demo().await;
    let desk = {
        let user = kaigi_db::accounts::find_user_by_email(&app.db, SECRETARIAT).await.unwrap().unwrap().id;
        let scope = kaigi_core::access::TokenScope::Write;
        kaigi_db::tokens::create(&app.db, &Actor::system("t"), user, "desk", scope, 1).await.unwrap().1
    };
    let get = |path: String| {
        let (app, desk) = (&app, desk.clone());
        async move {
            let answer = with_token(app, "GET", &path, &desk, None).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
            answer.json()
        }
    };
    let base = "/api/v1/editions/igf-2026/registrations";
    let everyone = get(format!("{base}?limit=1000")).await;
    let total = everyone["total"].as_u64().unwrap();
    assert!(total > 400, "the demo registers most of the directory: {total}");
    let rows = everyone["registrations"].as_array().unwrap();
    assert_eq!(rows.len() as u64, total);
    let ids = |v: &Value| -> Vec<String> {
        v["registrations"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    let first = get(format!("{base}?limit=7")).await;
    let second = get(format!("{base}?limit=7&offset=7")).await;
    assert_eq!([ids(&first), ids(&second)].concat(), ids(&everyone)[..14].to_vec(), "pages in a stable order");

    // Each filter keeps exactly the rows that fit it.
    let onsite = get(format!("{base}?attendance=onsite&status=confirmed&limit=1000")).await;
    let expected = rows.iter().filter(|r| r["attendance"] == "onsite" && r["status"] == "confirmed").count();
    assert_eq!(onsite["total"].as_u64().unwrap() as usize, expected);
    let press = get(format!("{base}?category=press&limit=1000")).await;
    assert!(press["registrations"].as_array().unwrap().iter().all(|r| r["category"] == "press"));
    let someone = &rows[rows.len() / 2];
    let name = someone["name"].as_str().unwrap();
    let part: String = name.chars().take(2).collect();
    let by_name = get(format!("{base}?q={}&limit=1000", encode(&part))).await;
    let found = by_name["registrations"].as_array().unwrap();
    assert!(found.iter().any(|r| r["id"] == someone["id"]), "{part} finds {name}");
    assert!(found.len() < rows.len(), "a name narrows the list");
    let badge = someone["badge"].as_str().unwrap();
    let by_badge = get(format!("{base}?q={}", badge.to_lowercase())).await;
    assert_eq!(ids(&by_badge), vec![someone["id"].as_str().unwrap().to_owned()]);
    // `%` and `_` are letters to look for, not wildcards.
    assert_eq!(get(format!("{base}?q=%25")).await["total"], 0);
    assert_eq!(get(format!("{base}?q=_")).await["total"], 0);
    for bad in ["attendance=somewhere", "status=maybe", "checked_in=perhaps", "limit=0", "offset=-1"] {
        let answer = with_token(&app, "GET", &format!("{base}?{bad}"), &desk, None).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", answer.body);
    }

    // The check-in desk's app: once, then "already"; an unknown badge is not found.
    let check_in = |badge: &str| {
        let (app, desk, badge) = (&app, desk.clone(), badge.to_owned());
        async move {
            with_token_json(app, "POST", "/api/v1/editions/igf-2026/check-in", &desk, json!({"badge": badge})).await
        }
    };
    let confirmed = rows.iter().find(|r| r["status"] == "confirmed" && r["checked_in_at"].is_null()).unwrap();
    let code = confirmed["badge"].as_str().unwrap();
    let done = check_in(code).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["outcome"], "checked-in");
    assert!(done.json()["registration"]["checked_in_at"].is_string());
    assert_eq!(check_in(code).await.json()["outcome"], "already");
    let unknown = check_in("NO-SUCH-BADGE").await;
    assert_eq!(
        (unknown.status, unknown.json()["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("error-badge-unknown"))
    );
    let checked = get(format!("{base}?checked_in=true&limit=1000")).await;
    assert!(ids(&checked).contains(&confirmed["id"].as_str().unwrap().to_owned()));
    let categories = get("/api/v1/editions/igf-2026/registration-categories".to_owned()).await;
    assert_eq!(categories["checked_in"], checked["total"]);
    assert_eq!(
        categories["confirmed"].as_u64().unwrap() as usize,
        rows.iter().filter(|r| r["status"] == "confirmed").count()
    );
    assert!(
        categories["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "delegate" && c["onsite_capacity"] == 400)
    );

    // The page: the same filter, a hundred a page, the filter kept in the links between pages.
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    secretariat.accept_language = Some("en".into());
    let page = secretariat.get("/editions/igf-2026/registrations").await;
    assert_eq!(page.status, StatusCode::OK);
    let list = page.body.split("id=\"list\"").nth(1).unwrap();
    assert_eq!(list.matches("<tr").count() - 1, 100, "a hundred rows and the heading");
    assert!(page.body.contains(&format!("1–100 / {total}")), "the count is shown");
    let filtered = secretariat.get("/editions/igf-2026/registrations?attendance=online&status=confirmed").await;
    let shown = visible_text(&filtered.body);
    let online = rows.iter().filter(|r| r["attendance"] == "online" && r["status"] == "confirmed").count();
    assert!(shown.contains(&format!("/ {online}")), "{online} online: {shown}");
    if online > 100 {
        let links = filtered.body.replace("&#38;", "&").replace("&amp;", "&");
        assert!(
            links.contains("?attendance=online&status=confirmed&offset=100#list"),
            "the next page keeps the filter"
        );
    }
    let nobody =
        secretariat.get("/editions/igf-2026/registrations?q=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84").await;
    assert!(visible_text(&nobody.body).contains("Nobody registered matches this filter."));
}

/// Issue 16: the secretariat's registration set-up and figures through the API.
#[tokio::test]
async fn categories_sign_up_places_and_figures_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let desk_user = kaigi_db::accounts::find_user_by_email(&app.db, SECRETARIAT).await.unwrap().unwrap().id;
    let (_, desk) = kaigi_db::tokens::create(&app.db, &actor, desk_user, "desk", TokenScope::Write, 1).await.unwrap();
    let base = "/api/v1/editions/igf-2026";

    // A category added, then changed; a code that is not one refused; capacity never below taken.
    let interpreters = json!({"name": "Interpreters", "name_ja": "通訳", "onsite_capacity": 40});
    let added =
        with_token_json(&app, "PUT", &format!("{base}/registration-categories/interpreters"), &desk, interpreters)
            .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert_eq!((added.json()["name_ja"].clone(), added.json()["onsite_left"].clone()), (json!("通訳"), json!(40)));
    let renamed = json!({"name": "Interpretation team", "onsite_capacity": 50});
    let changed =
        with_token_json(&app, "PUT", &format!("{base}/registration-categories/interpreters"), &desk, renamed).await;
    assert_eq!(
        (changed.json()["name"].clone(), changed.json()["onsite_capacity"].clone()),
        (json!("Interpretation team"), json!(50))
    );
    let bad =
        with_token_json(&app, "PUT", &format!("{base}/registration-categories/Bad_Code"), &desk, json!({"name": "x"}))
            .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["error"]["code"], "error-category-code");
    let list = with_token(&app, "GET", &format!("{base}/registration-categories"), &desk, None).await.json();
    let taken = list["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["onsite_taken"].as_i64().unwrap() > 0)
        .unwrap()
        .clone();
    let below = json!({"name": taken["name"], "onsite_capacity": 0});
    let refused = with_token_json(
        &app,
        "PUT",
        &format!("{base}/registration-categories/{}", taken["code"].as_str().unwrap()),
        &desk,
        below,
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-capacity-below-taken");

    // Sign-up places for a session, opened and closed again while nobody has signed up.
    let places = format!("{base}/sessions/1/signup-capacity");
    let opened = with_token_json(&app, "PUT", &places, &desk, json!({"capacity": 30})).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!((opened.json()["capacity"].clone(), opened.json()["taken"].clone()), (json!(30), json!(0)));
    assert_eq!(with_token_json(&app, "PUT", &places, &desk, json!({"capacity": null})).await.status, StatusCode::OK);
    assert_eq!(
        with_token_json(&app, "PUT", &format!("{base}/sessions/99999/signup-capacity"), &desk, json!({"capacity": 5}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The figures as reviewed are published; figures that moved or did not change are not.
    let live = with_token(&app, "GET", &format!("{base}/statistics"), &desk, None).await.json();
    assert!(live["total"].as_u64().unwrap() > 0);
    let moved =
        with_token_json(&app, "POST", &format!("{base}/statistics/publish"), &desk, json!({"figures": "0000"})).await;
    assert_eq!(moved.status, StatusCode::CONFLICT, "{}", moved.body);
    let published = with_token_json(
        &app,
        "POST",
        &format!("{base}/statistics/publish"),
        &desk,
        json!({"figures": live["figures"]}),
    )
    .await;
    assert_eq!(published.status, StatusCode::CREATED, "{}", published.body);
    let version = published.json()["version"].clone();
    let public = app.client().get(&format!("{base}/participation")).await.json();
    assert_eq!((public["version"].clone(), public["total"].clone()), (version, live["total"].clone()));
    let again = with_token_json(
        &app,
        "POST",
        &format!("{base}/statistics/publish"),
        &desk,
        json!({"figures": live["figures"]}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "error-publish-unchanged");
}
