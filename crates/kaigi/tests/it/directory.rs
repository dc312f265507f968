//! The directory: gojūon order, optimistic concurrency, merging duplicates, affiliations.

use axum::http::StatusCode;
use kaigi_core::directory::PersonName;
use kaigi_db::directory::{self, PersonInput};
use kaigi_db::{Actor, DbError};

use crate::support::*;

/// The participants of the sample minutes, as the minute-taker typed them.
const SAMPLE: &[(&str, Option<&str>)] = &[
    ("藤井 健太", Some("ふじい けんた")),
    ("Nakano Ren", None),
    ("森 由美", Some("もり ゆみ")),
    ("青木 真理", Some("あおき まり")),
    ("西村 一郎", Some("にしむら いちろう")),
    ("上田 浩二", Some("うえだ こうじ")),
    ("Ito Sakura", None),
    ("野口 陽菜", Some("のぐち ひな")),
    ("大森 智子", Some("おおもり ともこ")),
    ("川口 直人", Some("かわぐち なおと")),
    ("佐々木 翔", Some("ささき しょう")),
];

async fn add(app: &TestApp, name: &str, reading: Option<&str>) -> uuid::Uuid {
    let mut tx = app.db.begin().await.unwrap();
    let input = PersonInput::named(PersonName::parse(name, reading, None).unwrap());
    let id = directory::create_person(&mut tx, &Actor::system("test"), &input).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn people_are_listed_in_gojuon_order_with_romanised_names_placed_by_reading() {
    let app = TestApp::spawn().await;
    add(&app, "Carol Roach", None).await;
    for (name, reading) in SAMPLE {
        add(&app, name, *reading).await;
    }
    let listed: Vec<String> =
        directory::list_people(&app.db, None, 100, 0).await.unwrap().into_iter().map(|p| p.display_name).collect();
    // The order of the sample's table, read column by column; a name with no reading last.
    assert_eq!(
        listed,
        [
            "青木 真理",
            "Ito Sakura",
            "上田 浩二",
            "大森 智子",
            "川口 直人",
            "佐々木 翔",
            "Nakano Ren",
            "西村 一郎",
            "野口 陽菜",
            "藤井 健太",
            "森 由美",
            "Carol Roach",
        ]
    );
}

#[tokio::test]
async fn an_edit_on_an_outdated_version_is_refused_not_overwritten() {
    let app = TestApp::spawn().await;
    let id = add(&app, "山田 太郎", Some("やまだ たろう")).await;
    let actor = Actor::system("test");
    let first = PersonInput {
        email: Some("taro@example.org".into()),
        ..PersonInput::named(PersonName::parse("山田 太郎", Some("やまだ たろう"), None).unwrap())
    };
    let second = PersonInput {
        gender: Some("man".into()),
        ..PersonInput::named(PersonName::parse("山田 太朗", Some("やまだ たろう"), None).unwrap())
    };
    let mut tx = app.db.begin().await.unwrap();
    directory::update_person(&mut tx, &actor, id, 1, &first).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let err = directory::update_person(&mut tx, &actor, id, 1, &second).await.unwrap_err();
    assert!(matches!(err, DbError::Conflict { .. }), "{err}");
    drop(tx);
    let stored = directory::get_person(&app.db, id).await.unwrap().unwrap();
    assert_eq!(stored.email.as_deref(), Some("taro@example.org"));
    assert_eq!(stored.display_name, "山田 太郎");
    assert_eq!(stored.version, 2);
}

#[tokio::test]
async fn the_edit_page_shows_both_versions_on_a_conflict() {
    let app = TestApp::with_demo().await;
    let person = directory::list_people(&app.db, None, 1, 0).await.unwrap().remove(0);
    let mut alice = app.signed_in(ADMIN).await;
    let mut bob = app.signed_in(SECRETARIAT).await;
    let version = person.version.to_string();
    let saved = alice
        .post_form(&format!("/people/{}", person.id), &[("display_name", "最初 の変更"), ("version", &version)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let clash = bob
        .post_form(&format!("/people/{}", person.id), &[("display_name", "二番目 の変更"), ("version", &version)])
        .await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert!(clash.body.contains("最初 の変更") && clash.body.contains("二番目 の変更"), "both texts are shown");
    let stored = directory::get_person(&app.db, person.id).await.unwrap().unwrap();
    assert_eq!(stored.display_name, "最初 の変更");
    // Saving again from the conflict page (now on the current version) goes through.
    let current = stored.version.to_string();
    let resolved = bob
        .post_form(&format!("/people/{}", person.id), &[("display_name", "二番目 の変更"), ("version", &current)])
        .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn merging_moves_everything_to_the_kept_person_and_is_audited() {
    let app = TestApp::with_demo().await;
    let people = directory::list_people(&app.db, None, 600, 0).await.unwrap();
    let (dup, keep) = (&people[10], &people[11]);
    let dup_affiliations = directory::affiliations(&app.db, dup.id).await.unwrap().len();
    let keep_affiliations = directory::affiliations(&app.db, keep.id).await.unwrap().len();
    let mut admin = app.signed_in(ADMIN).await;
    let answer = admin.post_form(&format!("/people/{}/merge", dup.id), &[("into", &keep.id.to_string())]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(directory::affiliations(&app.db, keep.id).await.unwrap().len(), dup_affiliations + keep_affiliations);
    assert!(directory::affiliations(&app.db, dup.id).await.unwrap().is_empty());
    let resolved = directory::resolve_person(&app.db, dup.id).await.unwrap().unwrap();
    assert_eq!(resolved.id, keep.id);
    assert!(!directory::list_people(&app.db, None, 600, 0).await.unwrap().iter().any(|p| p.id == dup.id));
    let audit = kaigi_db::audit::list(&app.db, Some("person"), 5).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "merge" && e.entity_id == dup.id.to_string() && e.before_json.is_some()));
    // Merging into itself or twice is refused.
    let again = admin.post_form(&format!("/people/{}/merge", dup.id), &[("into", &keep.id.to_string())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn affiliations_keep_their_history() {
    let app = TestApp::with_demo().await;
    let person = add(&app, "移籍 する人", Some("いせき するひと")).await;
    let orgs = directory::list_organisations(&app.db).await.unwrap();
    let mut admin = app.signed_in(ADMIN).await;
    let url = format!("/people/{person}/affiliations");
    let old = orgs[0].id.to_string();
    let new = orgs[1].id.to_string();
    admin.post_form(&url, &[("organisation", &old), ("since", "2020-04-01"), ("until", "2024-03-31")]).await;
    admin.post_form(&url, &[("organisation", &new), ("since", "2024-04-01"), ("title", "部長")]).await;
    let bad = admin.post_form(&url, &[("organisation", &new), ("since", "2024-04-01"), ("until", "2023-01-01")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_date = admin.post_form(&url, &[("organisation", &new), ("since", "4月1日")]).await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The error names the field as the form labels it, in both languages.
    assert!(bad_date.body.contains("From: “4月1日” is not a date"), "{}", bad_date.body);
    assert!(bad_date.body.contains("開始：「4月1日」は日付として読めません"), "{}", bad_date.body);
    let history = directory::affiliations(&app.db, person).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].organisation_id, orgs[1].id, "the current affiliation comes first");
    let page = admin.get(&format!("/people/{person}")).await;
    assert!(page.body.contains(&orgs[0].name) && page.body.contains("部長"));
}

#[tokio::test]
async fn a_person_form_with_a_bad_field_says_which() {
    let app = TestApp::with_demo().await;
    let mut admin = app.signed_in(ADMIN).await;
    let answer = admin.post_form("/people", &[("display_name", "読み 違い"), ("reading", "yomi")]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("reading"), "{}", answer.body);
    let answer = admin.post_form("/people", &[("display_name", "国 違い"), ("country", "Japan")]).await;
    assert!(answer.body.contains("country"));
    // Markup in a name is shown as text, never run.
    let ok = admin.post_form("/people", &[("display_name", "<script>alert(1)</script>")]).await;
    let page = admin.get(ok.location().unwrap()).await;
    assert!(!page.body.contains("<script>alert(1)</script>") && page.body.contains("&#60;script&#62;alert(1)"));
}

/// Issue 16: a secretariat keeps the directory through the API as on its pages — people added
/// (with their organisation today) and edited on the version read, affiliations recorded, a
/// duplicate merged, organisations listed and added — with the pages' refusals.
#[tokio::test]
async fn the_directory_is_kept_through_the_api() {
    use axum::http::StatusCode;
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let token = |email: &'static str| {
        let (db, actor) = (app.db.clone(), actor.clone());
        async move {
            let user = kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id;
            kaigi_db::tokens::create(&db, &actor, user, "directory", TokenScope::Write, 1).await.unwrap().1
        }
    };
    let desk = token(SECRETARIAT).await;

    let organisation = with_token_json(
        &app,
        "POST",
        "/api/v1/organisations",
        &desk,
        json!({"name": "一般社団法人 日本ネットワークインフォメーションセンター", "stakeholder_group": "technical-community", "country": "jp"}),
    )
    .await;
    assert_eq!(organisation.status, StatusCode::CREATED, "{}", organisation.body);
    let org = organisation.json()["id"].as_str().unwrap().to_owned();
    let twice = json!({"name": "一般社団法人 日本ネットワークインフォメーションセンター"});
    assert_eq!(with_token_json(&app, "POST", "/api/v1/organisations", &desk, twice).await.status, StatusCode::CONFLICT);
    let listed = with_token(&app, "GET", "/api/v1/organisations", &desk, None).await.json();
    let found = listed["organisations"].as_array().unwrap().iter().find(|o| o["id"] == org.as_str()).unwrap();
    assert_eq!(
        (found["country"].clone(), found["stakeholder_group"].clone()),
        (json!("JP"), json!("technical-community"))
    );

    let person = json!({"display_name": "藤井 健太", "reading": "ふじい けんた", "romanized": "Fujii Kenta",
        "email": "Kenta.Fujii@Example.JP", "stakeholder_group": "technical-community", "un_region": "asia-pacific",
        "country": "JP", "gender": "male"});
    let created =
        with_token_json(&app, "POST", "/api/v1/people", &desk, json!({"person": person, "organisation": org})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id: uuid::Uuid = created.json()["id"].as_str().unwrap().parse().unwrap();
    let stored = directory::get_person(&app.db, id).await.unwrap().unwrap();
    assert_eq!(
        (stored.email.as_deref(), stored.reading.as_deref()),
        (Some("kenta.fujii@example.jp"), Some("ふじい けんた"))
    );
    let affiliations = directory::affiliations(&app.db, id).await.unwrap();
    assert_eq!(affiliations.len(), 1);
    assert_eq!(affiliations[0].organisation_id.to_string(), org);

    // Refused as the form refuses: a reading not in kana, an address without a domain.
    let mut bad = person.clone();
    bad["reading"] = json!("fujii");
    let refused = with_token_json(&app, "POST", "/api/v1/people", &desk, json!({"person": bad})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let mut bad = person.clone();
    bad["email"] = json!("kenta@localhost");
    let refused = with_token_json(&app, "POST", "/api/v1/people", &desk, json!({"person": bad})).await;
    assert_eq!(refused.json()["error"]["code"], "error-email", "{}", refused.body);
    let nowhere = json!({"person": person, "organisation": uuid::Uuid::now_v7()});
    let refused = with_token_json(&app, "POST", "/api/v1/people", &desk, nowhere).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-organisation-unknown");

    // Edited on the version read; the same version twice is a 409 and keeps the first edit.
    let path = format!("/api/v1/people/{id}");
    let mut edited = person.clone();
    edited["display_name"] = json!("藤井 健太郎");
    edited["reading"] = json!("ふじい けんたろう");
    let write = json!({"version": stored.version, "person": edited});
    let saved = with_token_json(&app, "PUT", &path, &desk, write.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["version"], stored.version + 1);
    let mut other = write.clone();
    other["person"]["display_name"] = json!("別の 名前");
    assert_eq!(with_token_json(&app, "PUT", &path, &desk, other).await.status, StatusCode::CONFLICT);
    assert_eq!(directory::get_person(&app.db, id).await.unwrap().unwrap().display_name, "藤井 健太郎");

    // An earlier affiliation; one that ends before it starts is refused.
    let affiliation = json!({"organisation": org, "title": "研究員", "since": "2019-04-01", "until": "2022-03-31"});
    let added = with_token_json(&app, "POST", &format!("{path}/affiliations"), &desk, affiliation).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let backwards = json!({"organisation": org, "since": "2022-04-01", "until": "2020-03-31"});
    let refused = with_token_json(&app, "POST", &format!("{path}/affiliations"), &desk, backwards).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(directory::affiliations(&app.db, id).await.unwrap().len(), 2);

    // A duplicate entered twice is merged into this one: its affiliations follow.
    let duplicate = with_token_json(
        &app,
        "POST",
        "/api/v1/people",
        &desk,
        json!({"person": {"display_name": "Kenta Fujii"}, "organisation": org}),
    )
    .await
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let merged =
        with_token_json(&app, "POST", &format!("/api/v1/people/{duplicate}/merge"), &desk, json!({"into": id})).await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    assert_eq!(directory::affiliations(&app.db, id).await.unwrap().len(), 3);
    let again =
        with_token_json(&app, "POST", &format!("/api/v1/people/{duplicate}/merge"), &desk, json!({"into": id})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // Reading the directory is not keeping it: a committee member reads, and writes nothing.
    let member = token(COMMITTEE_MEMBER).await;
    assert_eq!(with_token(&app, "GET", "/api/v1/organisations", &member, None).await.status, StatusCode::OK);
    let theirs =
        with_token_json(&app, "POST", "/api/v1/people", &member, json!({"person": {"display_name": "X"}})).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
}
