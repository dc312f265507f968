//! The JSON API and its OpenAPI document.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn the_openapi_document_is_valid_openapi_3_1_and_lists_every_api_route() {
    let app = TestApp::spawn().await;
    let answer = app.client().get("/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let document = oas3::from_json(&answer.body).expect("deserialises as OpenAPI 3.1");
    assert!(document.openapi.starts_with("3.1"), "{}", document.openapi);
    // 3.0's `nullable` means nothing in 3.1: a null is one of the types.
    assert!(!answer.body.contains("\"nullable\""), "3.0's nullable in a 3.1 document");
    let paths = document.paths.as_ref().expect("paths");
    for route in kaigi_web::route_table().iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let item = paths.get(route.path).unwrap_or_else(|| panic!("{} is not documented", route.path));
        let operation = match route.method.as_str() {
            "GET" => item.get.as_ref(),
            "POST" => item.post.as_ref(),
            "PUT" => item.put.as_ref(),
            "DELETE" => item.delete.as_ref(),
            other => panic!("{other} {}: a method the document does not cover", route.path),
        };
        let operation = operation.unwrap_or_else(|| panic!("{} {} is not documented", route.method, route.path));
        // Its auth requirement: anything but a public route names the token and the session.
        let public = route.need == kaigi_web::need::Need::Public;
        assert_eq!(operation.security.is_empty(), public, "{} {}: security", route.method, route.path);
    }
    // And nothing is documented that is not served.
    let routes = kaigi_web::route_table();
    for path in paths.keys() {
        assert!(routes.iter().any(|r| r.path == path), "{path} is documented but not a route");
    }
    // Every $ref points at a schema that exists.
    let raw = answer.json();
    let schemas = raw["components"]["schemas"].as_object().unwrap();
    for reference in answer.body.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "dangling $ref to {name}");
    }
}

#[tokio::test]
async fn the_api_answers_json_and_checks_roles() {
    let app = TestApp::with_demo().await;
    let mut public = app.client();
    let editions = public.get("/api/v1/editions").await.json();
    assert_eq!(editions["editions"][0]["slug"], "igf-2026");
    let edition = public.get("/api/v1/editions/igf-2026").await.json();
    assert_eq!(edition["rooms"].as_array().unwrap().len(), 14);
    assert_eq!(edition["days"].as_array().unwrap().len(), 5);
    let missing = public.get("/api/v1/editions/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not-found");
    let refused = public.get("/api/v1/people").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["error"]["code"], "unauthenticated");
    let mut evaluator = app.signed_in(EVALUATOR).await;
    assert_eq!(evaluator.get("/api/v1/people").await.status, StatusCode::FORBIDDEN);
    assert_eq!(evaluator.get("/api/v1/me").await.json()["roles"][0]["role"], "evaluator");
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let people = secretariat.get("/api/v1/people?limit=5&q=%E4%BD%90").await.json();
    let people = people["people"].as_array().unwrap();
    assert!(!people.is_empty() && people.len() <= 5);
    assert!(people.iter().all(|p| p["display_name"].as_str().unwrap().contains('佐')));
    let id = people[0]["id"].as_str().unwrap();
    let person = secretariat.get(&format!("/api/v1/people/{id}")).await.json();
    assert!(!person["affiliations"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_home_page_shows_the_edition_and_health_answers() {
    let app = TestApp::with_demo().await;
    let mut client = app.client();
    client.accept_language = Some("en".into());
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Internet Governance Forum 2026"));
    assert!(home.body.contains("300"), "the proposal count is shown");
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(client.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tokens_act_for_their_holder_within_their_scope_until_revoked_or_expired() {
    use kaigi_core::access::TokenScope;
    use kaigi_db::tokens;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let user = |email: &'static str| {
        let db = app.db.clone();
        async move { kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id }
    };
    let secretariat = user(SECRETARIAT).await;
    let (_, read) = tokens::create(&app.db, &actor, secretariat, "site", TokenScope::Read, 30).await.unwrap();
    let (_, write) = tokens::create(&app.db, &actor, secretariat, "script", TokenScope::Write, 30).await.unwrap();
    let participant = user(PARTICIPANT).await;
    let (_, theirs) = tokens::create(&app.db, &actor, participant, "app", TokenScope::Read, 30).await.unwrap();
    assert!(read.starts_with("kaigi_") && read.len() > 40, "{read}");

    // The holder, with their roles, and no cookie set.
    let me = with_token(&app, "GET", "/api/v1/me", &read, None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["email"], SECRETARIAT);
    assert!(me.headers.get("set-cookie").is_none(), "a program gets no cookie");
    assert_eq!(with_token(&app, "GET", "/api/v1/people", &read, None).await.status, StatusCode::OK);
    let refused = with_token(&app, "GET", "/api/v1/people", &theirs, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a participant's token has a participant's roles");
    assert_eq!(refused.json()["error"]["code"], "forbidden");

    // A method the path does not take is a 405 for every token (the read-only refusal is for
    // routes that write: the_programme_is_read_and_published_through_the_api), and a write
    // token gets there past the CSRF check.
    for token in [&read, &write] {
        let answer = with_token(&app, "POST", "/api/v1/me", token, None).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{}", answer.body);
        assert_eq!(answer.json()["error"]["code"], "method-not-allowed");
    }

    // Unknown, malformed, revoked and expired tokens are refused alike, in the asked language.
    for bad in ["kaigi_not-a-token", ""] {
        let answer = with_token(&app, "GET", "/api/v1/me", bad, None).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{bad:?}");
        assert_eq!(answer.json()["error"]["code"], "token-invalid");
        assert!(answer.headers.get("www-authenticate").is_some());
    }
    let ja = with_token(&app, "GET", "/api/v1/me", "kaigi_nope", Some("ja")).await.json();
    assert!(ja["error"]["message"].as_str().unwrap().contains("トークン"), "{ja}");
    let listed = tokens::of_user(&app.db, secretariat).await.unwrap();
    let site = listed.iter().find(|t| t.name == "site").unwrap();
    tokens::revoke(&app.db, &actor, secretariat, site.id).await.unwrap();
    assert_eq!(with_token(&app, "GET", "/api/v1/me", &read, None).await.status, StatusCode::UNAUTHORIZED);
    // Someone else cannot revoke a token that is not theirs.
    let script = listed.iter().find(|t| t.name == "script").unwrap();
    assert!(tokens::revoke(&app.db, &actor, participant, script.id).await.is_err());
    assert_eq!(with_token(&app, "GET", "/api/v1/me", &write, None).await.status, StatusCode::OK);
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::on_tx!(&mut tx, c => sqlx::query("update api_tokens set expires_at = $2 where id = $1")
        .bind(script.id).bind(kaigi_db::now() - time::Duration::minutes(1)).execute(c).await.map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(with_token(&app, "GET", "/api/v1/me", &write, None).await.status, StatusCode::UNAUTHORIZED);

    // A token is never a way into the pages: there it is ignored, and the page wants a session.
    let page = with_token(&app, "GET", "/me", &theirs, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_account_page_makes_shows_once_and_revokes_tokens() {
    let app = TestApp::with_demo().await;
    let mut person = app.signed_in(PARTICIPANT).await;
    let made = person.post_form("/me/tokens", &[("name", "My app"), ("scope", "read"), ("days", "7")]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.headers.get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    let secret = made.body.split("id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(secret.starts_with("kaigi_"), "{secret}");
    assert_eq!(with_token(&app, "GET", "/api/v1/me", &secret, None).await.status, StatusCode::OK);
    let again = person.get("/me").await;
    assert!(again.body.contains("My app") && !again.body.contains(&secret), "listed, never shown again");
    let bad = person.post_form("/me/tokens", &[("name", "x"), ("scope", "read"), ("days", "400")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("role=\"alert\""));
    let form = forms_of(&again.body).into_iter().find(|f| f.action == "/me/tokens/revoke").unwrap();
    let revoked = person.post_form("/me/tokens/revoke", &[("token", form.value("token").unwrap())]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(with_token(&app, "GET", "/api/v1/me", &secret, None).await.status, StatusCode::UNAUTHORIZED);
    // Another person's token id is not found.
    let mut other = app.signed_in(ORGANISER).await;
    let refused = other.post_form("/me/tokens/revoke", &[("token", form.value("token").unwrap())]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[test]
fn the_cli_makes_a_token_printed_alone_on_the_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| kaigi_on(db, args);
    assert_eq!(run(&["demo", "--no-serve"]).0, Some(0));
    let (code, stdout, stderr) =
        run(&["token", "create", "--email", SECRETARIAT, "--name", "our site", "--scope", "write", "--days", "7"]);
    assert_eq!(code, Some(0), "{stderr}");
    let token = stdout.lines().last().unwrap().to_owned();
    assert!(token.starts_with("kaigi_") && !token.contains(' '), "{stdout}");
    let (_, listed, _) = run(&["token", "list", "--email", SECRETARIAT]);
    assert!(listed.contains("our site\twrite\t") && listed.contains("\tactive"), "{listed}");
    // The token works against the same database.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        let db = kaigi_db::Db::connect(db).await.unwrap();
        let router = kaigi_web::router(kaigi_web::AppState::new(db, kaigi_web::Config::local(0)).await.unwrap());
        let request = axum::http::Request::get("/api/v1/me")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        Client::new(router).send(request).await.status
    });
    assert_eq!(status, StatusCode::OK);
    let id = listed.split('\t').next().unwrap();
    assert_eq!(run(&["token", "revoke", "--email", SECRETARIAT, id]).0, Some(0));
    assert!(run(&["token", "list", "--email", SECRETARIAT]).1.contains("\trevoked"));
    // Bad input: exit 2 with what was wrong.
    let (code, _, stderr) = run(&["token", "create", "--email", SECRETARIAT, "--scope", "admin"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--scope"), "{stderr}");
    let (code, _, stderr) = run(&["token", "create", "--email", "nobody@example.org"]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = run(&["token", "create", "--email", SECRETARIAT, "--days", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
}

#[tokio::test]
async fn dates_are_iso_8601_and_instants_rfc_3339() {
    let app = TestApp::with_demo().await;
    let editions = app.client().get("/api/v1/editions").await.json();
    let date = time::macros::format_description!("[year]-[month]-[day]");
    for e in editions["editions"].as_array().unwrap() {
        for field in ["starts_on", "ends_on"] {
            let text = e[field].as_str().unwrap_or_else(|| panic!("{field} is not a string: {e}"));
            time::Date::parse(text, date).unwrap_or_else(|_| panic!("{field}: {text}"));
        }
    }
    let edition = app.client().get("/api/v1/editions/igf-2026").await.json();
    assert!(edition["days"][0]["day"].as_str().is_some_and(|d| time::Date::parse(d, date).is_ok()), "{edition}");
    let mut desk = app.signed_in(SECRETARIAT).await;
    let people = desk.get("/api/v1/people?limit=3").await.json();
    let id = people["people"][0]["id"].as_str().unwrap().to_owned();
    let person = desk.get(&format!("/api/v1/people/{id}")).await.json();
    let at = person["person"]["updated_at"].as_str().unwrap_or_else(|| panic!("{person}"));
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).unwrap();
}

#[tokio::test]
async fn every_api_error_is_json_and_a_method_a_path_lacks_is_405() {
    let app = TestApp::with_demo().await;
    let mut desk = app.signed_in(SECRETARIAT).await;
    // A query string the extractor cannot read.
    let bad = desk.get("/api/v1/people?limit=many").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "bad-request", "{}", bad.body);
    assert!(bad.json()["error"]["message"].as_str().is_some_and(|m| m.contains("limit")), "{}", bad.body);
    // TRACE and other methods no route takes: 405, never a CSRF refusal.
    for path in ["/api/v1/editions", "/editions/igf-2026/schedule"] {
        let request = axum::http::Request::builder().method("TRACE").uri(path).body(axum::body::Body::empty()).unwrap();
        let answer = app.client().send(request).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "TRACE {path}: {}", answer.body);
        if path.starts_with("/api/") {
            assert_eq!(answer.json()["error"]["code"], "method-not-allowed");
        }
    }
    // An API path that does not exist.
    let missing = app.client().get("/api/v1/nothing-here").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not-found");
}

#[tokio::test]
async fn the_programme_is_read_and_published_through_the_api() {
    use kaigi_core::access::TokenScope;
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let latest = kaigi_db::publishing::latest(&app.db, edition.id).await.unwrap().unwrap();
    let mut visitor = app.client();
    // Reading: the published version, the same sessions as the exports, filterable.
    let programme = visitor.get("/api/v1/editions/igf-2026/programme").await.json();
    assert_eq!(programme["version"]["number"], latest.version.number);
    assert_eq!(programme["sessions"].as_array().unwrap().len(), latest.programme.sessions.len());
    assert!(!programme.to_string().contains("a draft correction"), "nothing of the draft");
    let day = &latest.programme.days[1].day;
    let one_day = visitor.get(&format!("/api/v1/editions/igf-2026/programme?day={day}")).await.json();
    let sessions = one_day["sessions"].as_array().unwrap();
    assert!(!sessions.is_empty() && sessions.iter().all(|s| s["slot"]["day"] == day.as_str()));
    assert_eq!(
        sessions.len(),
        latest.programme.sessions.iter().filter(|s| &s.slot.day == day).count(),
        "exactly that day's"
    );
    let versions = visitor.get("/api/v1/editions/igf-2026/programme/versions").await.json();
    assert_eq!(versions["versions"].as_array().unwrap().len() as i64, latest.version.number);
    let speakers = visitor.get("/api/v1/editions/igf-2026/speakers").await.json();
    assert_eq!(speakers["speakers"].as_array().unwrap().len(), latest.programme.speakers().len());
    assert_eq!(visitor.get("/api/v1/editions/no-such/programme").await.status, StatusCode::NOT_FOUND);

    // Writing: the secretariat with a write token; others are refused.
    let actor = kaigi_db::Actor::system("test");
    let id = |email| {
        let db = app.db.clone();
        async move { kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id }
    };
    let desk = id(SECRETARIAT).await;
    let (_, write) = kaigi_db::tokens::create(&app.db, &actor, desk, "w", TokenScope::Write, 1).await.unwrap();
    let (_, read) = kaigi_db::tokens::create(&app.db, &actor, desk, "r", TokenScope::Read, 1).await.unwrap();
    let participant = id(PARTICIPANT).await;
    let (_, theirs) = kaigi_db::tokens::create(&app.db, &actor, participant, "p", TokenScope::Write, 1).await.unwrap();
    let publish = "/api/v1/editions/igf-2026/programme/publish";
    let read_only = with_token_json(&app, "POST", publish, &read, serde_json::json!({})).await;
    assert_eq!(
        (read_only.status, read_only.json()["error"]["code"].clone()),
        (StatusCode::FORBIDDEN, "token-read-only".into())
    );
    let not_theirs = with_token_json(&app, "POST", publish, &theirs, serde_json::json!({})).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let preview = with_token(&app, "GET", "/api/v1/editions/igf-2026/programme/preview", &write, None).await.json();
    let seen = preview["draft_version"].as_i64().unwrap();
    assert_eq!(preview["changes"].as_array().unwrap().len(), 1, "the demo's pending correction: {preview}");
    let stale = with_token_json(&app, "POST", publish, &write, serde_json::json!({"draft_version": seen - 1})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stale.json()["error"]["code"], "error-conflict");
    let unknown = with_token_json(&app, "POST", publish, &write, serde_json::json!({"draft": seen})).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused: {}", unknown.body);
    assert!(unknown.json()["error"]["code"].is_string());
    let done = with_token_json(
        &app,
        "POST",
        publish,
        &write,
        serde_json::json!({"draft_version": seen, "note": "Via the API"}),
    )
    .await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.body);
    assert_eq!(done.json()["version"]["number"], latest.version.number + 1);
    let again = with_token_json(&app, "POST", publish, &write, serde_json::json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "error-publish-unchanged");
    let now = visitor.get("/api/v1/editions/igf-2026/programme").await.json();
    assert!(now.to_string().contains("a draft correction"), "published at once");
    // A signed-in browser session must send its CSRF token, as any form.
    let mut browser = app.signed_in(SECRETARIAT).await;
    let request = axum::http::Request::post(publish)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    let forged = browser.send(request).await;
    assert_eq!((forged.status, forged.json()["error"]["code"].clone()), (StatusCode::FORBIDDEN, "csrf".into()));
}

#[tokio::test]
async fn a_committee_keeps_its_minutes_through_the_api_and_a_stale_write_is_a_409() {
    use kaigi_core::access::TokenScope;
    use kaigi_db::tokens;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let user = |email: &'static str| {
        let db = app.db.clone();
        async move { kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id }
    };
    let member = user(COMMITTEE_MEMBER).await;
    let (_, write) = tokens::create(&app.db, &actor, member, "minutes", TokenScope::Write, 30).await.unwrap();
    let (_, read) = tokens::create(&app.db, &actor, member, "reader", TokenScope::Read, 30).await.unwrap();
    let (_, outsider) =
        tokens::create(&app.db, &actor, user(PARTICIPANT).await, "app", TokenScope::Write, 30).await.unwrap();
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let committees = with_token(&app, "GET", "/api/v1/committees", &read, None).await.json();
    let listed =
        committees["committees"].as_array().unwrap().iter().find(|c| c["id"] == committee.to_string()).unwrap();
    assert_eq!(listed["member"], true);
    let theirs = with_token(&app, "GET", "/api/v1/committees", &outsider, None).await.json();
    assert!(theirs["committees"].as_array().unwrap().iter().all(|c| c["member"] == false));

    let list = with_token(&app, "GET", &format!("/api/v1/committees/{committee}/meetings"), &read, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let meetings = list.json()["meetings"].as_array().unwrap().clone();
    assert!(meetings.len() >= 2);
    assert!(meetings[0]["held_on"].as_str().unwrap() >= meetings[1]["held_on"].as_str().unwrap(), "newest first");
    let (latest, earlier) =
        (meetings[0]["id"].as_str().unwrap().to_owned(), meetings[1]["id"].as_str().unwrap().to_owned());
    let meeting = with_token(&app, "GET", &format!("/api/v1/meetings/{latest}"), &read, None).await.json();
    assert_eq!(meeting["minutes_state"], "draft");
    assert!(!meeting["attendance"].as_array().unwrap().is_empty());
    let item = meeting["items"][0].clone();
    let (item_id, revision) = (item["id"].as_str().unwrap().to_owned(), item["revision"].as_i64().unwrap());
    let minutes = format!("/api/v1/meetings/{latest}/items/{item_id}/minutes");

    // Someone outside the committee reads nothing; a read token writes nothing.
    let outside = with_token(&app, "GET", &format!("/api/v1/meetings/{latest}"), &outsider, None).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN, "{}", outside.body);
    let read_only = with_token_json(&app, "PUT", &minutes, &read, json!({"revision": revision, "body": "x"})).await;
    assert_eq!(read_only.status, StatusCode::FORBIDDEN);
    assert_eq!(read_only.json()["error"]["code"], "token-read-only");

    // A write on the revision read is stored; a second one on the same revision is a 409 that
    // carries what is stored now, and overwrites nothing.
    let first =
        with_token_json(&app, "PUT", &minutes, &write, json!({"revision": revision, "body": "- 会場を確認した"})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["revision"], revision + 1);
    let stale = with_token_json(&app, "PUT", &minutes, &write, json!({"revision": revision, "body": "- 別の文"})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let error = &stale.json()["error"];
    assert_eq!(error["code"], "error-conflict");
    assert_eq!(error["current_revision"], revision + 1);
    assert_eq!(error["current_body"], "- 会場を確認した");
    let again = with_token(&app, "GET", &format!("/api/v1/meetings/{latest}"), &read, None).await.json();
    assert_eq!(again["items"][0]["body"], "- 会場を確認した");
    // An item of another meeting is not found under this one; unknown fields are refused.
    let other_item = with_token(&app, "GET", &format!("/api/v1/meetings/{earlier}"), &read, None).await.json()["items"]
        [0]["id"]
        .clone();
    let elsewhere = with_token_json(
        &app,
        "PUT",
        &format!("/api/v1/meetings/{latest}/items/{}/minutes", other_item.as_str().unwrap()),
        &write,
        json!({"revision": 0, "body": "x"}),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let unknown =
        with_token_json(&app, "PUT", &minutes, &write, json!({"revision": 1, "body": "x", "force": true})).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);

    // Action items and decisions, then the minutes' state.
    let created = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/meetings/{latest}/action-items"),
        &write,
        json!({"text": "会場の下見", "owners": ["鈴木"], "due": "2026-11-20"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let bad_due = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/meetings/{latest}/action-items"),
        &write,
        json!({"text": "x", "due": "来週"}),
    )
    .await;
    assert_eq!(bad_due.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_due.json()["error"]["code"], "error-due");
    let decided = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/meetings/{latest}/decisions"),
        &write,
        json!({"text": "下見は 11 月中に行う", "item": item_id}),
    )
    .await;
    assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.body);
    let foreign_item = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/meetings/{latest}/decisions"),
        &write,
        json!({"text": "x", "item": other_item}),
    )
    .await;
    assert_eq!(foreign_item.status, StatusCode::NOT_FOUND, "an item of another meeting: {}", foreign_item.body);
    let meeting = with_token(&app, "GET", &format!("/api/v1/meetings/{latest}"), &read, None).await.json();
    let action =
        meeting["action_items"].as_array().unwrap().iter().find(|a| a["text"] == "会場の下見").unwrap().clone();
    assert_eq!(action["owners"], json!(["鈴木"]));
    assert_eq!(action["status"], "open");
    assert!(meeting["decisions"].as_array().unwrap().iter().any(|d| d == "下見は 11 月中に行う"));
    let status = format!("/api/v1/meetings/{latest}/action-items/{}/status", action["id"].as_str().unwrap());
    let version = action["version"].as_i64().unwrap();
    let done = with_token_json(&app, "POST", &status, &write, json!({"status": "done", "version": version})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let stale = with_token_json(&app, "POST", &status, &write, json!({"status": "open", "version": version})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let circulated =
        with_token_json(&app, "POST", &format!("/api/v1/meetings/{latest}/state"), &write, json!({"to": "circulate"}))
            .await;
    assert_eq!(circulated.status, StatusCode::OK, "{}", circulated.body);
    // Approval is recorded at the next meeting, which the latest does not have yet.
    let approve =
        with_token_json(&app, "POST", &format!("/api/v1/meetings/{latest}/state"), &write, json!({"to": "approve"}))
            .await;
    assert_eq!(approve.status, StatusCode::CONFLICT, "{}", approve.body);
    assert_eq!(approve.json()["error"]["code"], "minutes-state-refused");
    let audit = kaigi_db::audit::list(&app.db, Some("minutes"), 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "save" && e.entity_id == item_id), "the API's writes are audited");
}

/// What the document allows is taken, what it does not is refused with 422, never a 500: a
/// program written from the document (or a fuzzer reading it) meets no surprise refusals.
#[tokio::test]
async fn the_document_says_what_a_write_takes_and_the_server_takes_exactly_that() {
    use kaigi_core::access::TokenScope;
    use serde_json::{Value, json};
    let app = TestApp::with_demo().await;
    let document = app.client().get("/api/openapi.json").await.json();
    // Every integer has the range the server reads it into.
    fn integers<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
        match value {
            Value::Object(o) => {
                if o.get("type") == Some(&json!("integer")) {
                    found.push(value);
                }
                o.values().for_each(|v| integers(v, found));
            }
            Value::Array(a) => a.iter().for_each(|v| integers(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    integers(&document, &mut found);
    assert!(found.len() > 10);
    for integer in found {
        assert!(integer["minimum"].is_number() && integer["maximum"].is_number(), "unbounded: {integer}");
        assert!(integer["maximum"].as_f64().unwrap() <= 1.9e19);
    }
    let schemas = &document["components"]["schemas"];
    // Reopening needs a reason; the other steps take none.
    let steps = schemas["MinutesStateChange"]["oneOf"].as_array().expect("one schema a step");
    let reopen = steps.iter().find(|s| s["properties"]["to"].to_string().contains("reopen")).unwrap();
    assert!(reopen["required"].as_array().unwrap().contains(&json!("reason")));
    assert_eq!(schemas["MinutesWrite"]["properties"]["revision"]["minimum"], 0);
    assert_eq!(schemas["NewActionItem"]["properties"]["owners"]["maxItems"], 20);
    let required = schemas["NewActionItem"]["required"].as_array().unwrap();
    assert!(required.contains(&json!("text")) && !required.contains(&json!("due")), "{required:?}");

    let actor = kaigi_db::Actor::system("test");
    let member = kaigi_db::accounts::find_user_by_email(&app.db, COMMITTEE_MEMBER).await.unwrap().unwrap().id;
    let (_, write) = kaigi_db::tokens::create(&app.db, &actor, member, "w", TokenScope::Write, 1).await.unwrap();
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let meetings = with_token(&app, "GET", &format!("/api/v1/committees/{committee}/meetings"), &write, None).await;
    let latest = meetings.json()["meetings"][0]["id"].as_str().unwrap().to_owned();
    let add = |body: Value| {
        let path = format!("/api/v1/meetings/{latest}/action-items");
        let (app, write) = (&app, write.clone());
        async move { with_token_json(app, "POST", &path, &write, body).await }
    };
    // A month is a due date; a sign, a short month, spaces around are not.
    assert_eq!(add(json!({"text": "報告書の草案", "due": "2027-03"})).await.status, StatusCode::CREATED);
    assert_eq!(add(json!({"text": "報告書の草案", "due": null})).await.status, StatusCode::CREATED);
    for due in ["+2027-03-01", "2027-3-01", " 2027-03-01", "2027-13", "2027-02-30", ""] {
        let refused = add(json!({"text": "x", "due": due})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "due {due:?}");
        assert_eq!(refused.json()["error"]["code"], "error-due", "due {due:?}");
    }
    assert_eq!(add(json!({"text": " \u{3000} "})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let owners: Vec<String> = (0..21).map(|i| format!("担当{i}")).collect();
    assert_eq!(add(json!({"text": "x", "owners": owners})).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // U+0000 is stored as sent where the database holds it (SQLite), refused where it cannot
    // (PostgreSQL): never a server error.
    let nul = add(json!({"text": "会場\u{0}の下見"})).await;
    match app.db.backend() {
        "postgres" => {
            assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nul.body);
            assert_eq!(nul.json()["error"]["code"], "error-text-nul");
        }
        _ => assert_eq!(nul.status, StatusCode::CREATED, "{}", nul.body),
    }

    let state = format!("/api/v1/meetings/{latest}/state");
    let no_reason = with_token_json(&app, "POST", &state, &write, json!({"to": "reopen"})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_reason.body);
    let stray = with_token_json(&app, "POST", &state, &write, json!({"to": "circulate", "reason": "x"})).await;
    assert_eq!(stray.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stray.body);
    // A tag is a name, not a variant's index (serde alone would take 0 as "circulate").
    let index = with_token_json(&app, "POST", &state, &write, json!({"to": 0})).await;
    assert_eq!(index.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", index.body);
    assert_eq!(index.json()["error"]["code"], "bad-request");
    // A draft cannot be reopened: the state says no (409), the reason was fine.
    let draft = with_token_json(&app, "POST", &state, &write, json!({"to": "reopen", "reason": "誤字"})).await;
    assert_eq!(draft.status, StatusCode::CONFLICT, "{}", draft.body);

    let detail = with_token(&app, "GET", &format!("/api/v1/meetings/{latest}"), &write, None).await.json();
    let item = detail["items"][0]["id"].as_str().unwrap().to_owned();
    let below = with_token_json(
        &app,
        "PUT",
        &format!("/api/v1/meetings/{latest}/items/{item}/minutes"),
        &write,
        json!({"revision": -1, "body": "x"}),
    )
    .await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", below.body);
    assert_eq!(below.json()["error"]["code"], "error-field-range");
    let huge = with_token_json(
        &app,
        "PUT",
        &format!("/api/v1/meetings/{latest}/items/{item}/minutes"),
        &write,
        json!({"revision": i64::MAX, "body": "x"}),
    )
    .await;
    assert_eq!(
        huge.status,
        StatusCode::CONFLICT,
        "the largest revision the document allows is only stale: {}",
        huge.body
    );

    let desk = kaigi_db::accounts::find_user_by_email(&app.db, SECRETARIAT).await.unwrap().unwrap().id;
    let (_, desk) = kaigi_db::tokens::create(&app.db, &actor, desk, "d", TokenScope::Write, 1).await.unwrap();
    let publish = "/api/v1/editions/igf-2026/programme/publish";
    let negative = with_token_json(&app, "POST", publish, &desk, json!({"draft_version": -1})).await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", negative.body);
    assert_eq!(negative.json()["error"]["code"], "error-field-range");
}

/// The secretariat decides a call through the API: finds the proposals page by page, decides
/// many in one transaction (all or none, the refusal naming the entry), and one at a time.
#[tokio::test]
async fn the_secretariat_decides_proposals_through_the_api_all_or_none() {
    use kaigi_core::access::TokenScope;
    use serde_json::{Value, json};
    use uuid::Uuid;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let id = |email| {
        let db = app.db.clone();
        async move { kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap().id }
    };
    let (_, desk) =
        kaigi_db::tokens::create(&app.db, &actor, id(SECRETARIAT).await, "d", TokenScope::Write, 1).await.unwrap();
    let (_, organiser) =
        kaigi_db::tokens::create(&app.db, &actor, id(ORGANISER).await, "o", TokenScope::Write, 1).await.unwrap();
    let calls = with_token(&app, "GET", "/api/v1/editions/igf-2026/calls", &desk, None).await;
    assert_eq!(calls.status, StatusCode::OK, "{}", calls.body);
    let call = calls.json()["calls"][0]["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/editions/igf-2026/calls/{call}/proposals");
    let page = |query: String| {
        let (app, desk) = (&app, desk.clone());
        async move { with_token(app, "GET", &query, &desk, None).await.json() }
    };
    // Pages of a filtered list add up to the list, in a stable order.
    let all = page(format!("{base}?status=submitted&limit=500")).await;
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 12, "the demo has submitted proposals: {total}");
    let first = page(format!("{base}?status=submitted&limit=5")).await;
    let second = page(format!("{base}?status=submitted&limit=5&offset=5")).await;
    assert_eq!(first["total"], total);
    let ids = |v: &Value| -> Vec<String> {
        v["proposals"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
    };
    let both: Vec<String> = ids(&first).into_iter().chain(ids(&second)).collect();
    assert_eq!(both, ids(&all)[..10].to_vec());
    assert!(all["proposals"].as_array().unwrap().iter().all(|p| p["status"] == "submitted"));
    let bad = with_token(&app, "GET", &format!("{base}?status=maybe"), &desk, None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let chosen = ids(&all)[..3].to_vec();
    let status_of = |proposal: &str| {
        let db = app.db.clone();
        let proposal: Uuid = proposal.parse().unwrap();
        async move { kaigi_db::proposals::proposal(&db, proposal).await.unwrap().unwrap().status }
    };

    // One entry that is not a proposal of the edition: nothing at all is decided.
    let decide = "/api/v1/editions/igf-2026/decisions";
    let entries = vec![
        json!({"proposal": chosen[0], "decision": {"verdict": "accept", "note": "おめでとうございます"}}),
        json!({"proposal": chosen[1], "decision": {"verdict": "reject"}}),
        json!({"proposal": chosen[2], "decision": {"verdict": "accept-on-condition", "conditions": [{"rule": "gender-diverse"}]}}),
    ];
    let stranger = Uuid::now_v7().to_string();
    let mut with_stranger = entries.clone();
    with_stranger.push(json!({"proposal": stranger, "decision": {"verdict": "accept"}}));
    let refused = with_token_json(&app, "POST", decide, &desk, json!({"decisions": with_stranger})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    let problem = refused.json()["error"]["problems"][0].clone();
    assert_eq!((problem["code"].as_str(), problem["position"].as_u64()), (Some("error-decide-unknown"), Some(3)));
    assert_eq!(problem["object"], stranger.as_str());
    for p in &chosen {
        assert_eq!(status_of(p).await, "submitted", "all or none");
    }
    let twice =
        with_token_json(&app, "POST", decide, &desk, json!({"decisions": [entries[0].clone(), entries[0].clone()]}))
            .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", twice.body);
    assert_eq!(twice.json()["error"]["code"], "error-decide-twice");
    // Not the organiser's to decide.
    let theirs = with_token_json(&app, "POST", decide, &organiser, json!({"decisions": entries.clone()})).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);

    let letters_before = kaigi_db::outbox::pending(&app.db, 10_000).await.unwrap().len();
    let taken = with_token_json(&app, "POST", decide, &desk, json!({"decisions": entries.clone()})).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(taken.json()["decided"], 3);
    assert_eq!(status_of(&chosen[0]).await, "accepted");
    assert_eq!(status_of(&chosen[1]).await, "rejected");
    assert_eq!(status_of(&chosen[2]).await, "accepted");
    assert!(kaigi_db::outbox::pending(&app.db, 10_000).await.unwrap().len() > letters_before, "organisers are told");
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let sessions = kaigi_db::programme::sessions(&app.db, edition.id).await.unwrap();
    for accepted in [&chosen[0], &chosen[2]] {
        assert!(
            sessions.iter().any(|s| s.proposal_id.map(|p| p.to_string()).as_deref() == Some(accepted.as_str())),
            "an accepted proposal is an unplaced session"
        );
    }
    let listed = page(format!("{base}?status=accepted&limit=500")).await;
    let decided = listed["proposals"].as_array().unwrap().iter().find(|p| p["id"] == chosen[2].as_str()).unwrap();
    assert_eq!(decided["decision"], "accept-on-condition");

    // One at a time: the proposal page's decision; a merge names proposals of the edition.
    let one = format!("/api/v1/editions/igf-2026/proposals/{}/decision", chosen[1]);
    let unknown_merge =
        with_token_json(&app, "POST", &one, &desk, json!({"verdict": "merge", "merge_with": [stranger]})).await;
    assert_eq!(unknown_merge.status, StatusCode::NOT_FOUND, "{}", unknown_merge.body);
    for stray in [
        json!({"verdict": "accept-on-condition", "conditions": [{"rule": 0, "n": 1}]}),
        json!({"verdict": "accept-on-condition", "conditions": [{"rule": "gender-diverse", "n": 1}]}),
        json!({"verdict": "reject", "conditions": [{"rule": "gender-diverse"}]}),
        json!({"verdict": 3}),
    ] {
        let refused = with_token_json(&app, "POST", &one, &desk, stray.clone()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{stray}: {}", refused.body);
    }
    let no_conditions =
        with_token_json(&app, "POST", &one, &desk, json!({"verdict": "accept-on-condition", "conditions": []})).await;
    assert_eq!(no_conditions.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_conditions.body);
    let again = with_token_json(&app, "POST", &one, &desk, json!({"verdict": "accept"})).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(status_of(&chosen[1]).await, "accepted", "a decision may be taken again");
    // A proposal the programme holds is not rejected behind the timetable's back (409).
    let in_programme = format!("/api/v1/editions/igf-2026/proposals/{}/decision", chosen[0]);
    let reject = with_token_json(&app, "POST", &in_programme, &desk, json!({"verdict": "reject"})).await;
    assert_eq!(reject.status, StatusCode::CONFLICT, "{}", reject.body);
    assert_eq!(reject.json()["error"]["code"], "error-decide-in-programme");

    // The ranking a script decides from: the results page's, with what is decided.
    let results =
        with_token(&app, "GET", &format!("/api/v1/editions/igf-2026/calls/{call}/results"), &desk, None).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    let results = results.json();
    let ranking = results["ranking"].as_array().unwrap();
    assert!(ranking.len() > 50);
    let counted: u64 = ranking.iter().map(|r| r["evaluations"].as_u64().unwrap()).sum();
    assert!(counted > 0 && counted <= results["evaluations"].as_u64().unwrap());
    for pair in ranking.windows(2).filter(|w| w[0]["session_type"] == w[1]["session_type"]) {
        assert!(pair[0]["rank_in_type"].as_u64() < pair[1]["rank_in_type"].as_u64(), "best first");
        assert!(pair[0]["adjusted"].as_f64() >= pair[1]["adjusted"].as_f64());
    }
    for r in ranking {
        let decided = chosen.iter().any(|c| r["proposal"] == c.as_str());
        if decided {
            assert!(!r["decision"].is_null(), "{r}");
        }
        if r["status"] == "submitted" {
            assert!(r["decision"].is_null(), "{r}");
        }
    }
    let raw = with_token(
        &app,
        "GET",
        &format!("/api/v1/editions/igf-2026/calls/{call}/results?normalisation=none"),
        &desk,
        None,
    )
    .await
    .json();
    assert!(raw["ranking"].as_array().unwrap().iter().all(|r| r["raw"] == r["normalised"]), "none: raw as it is");
    let bad = with_token(
        &app,
        "GET",
        &format!("/api/v1/editions/igf-2026/calls/{call}/results?normalisation=x"),
        &desk,
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The reference page is the document, readable: every operation of the route table with
/// its permission, in both languages, without signing in and without a script from elsewhere.
#[tokio::test]
async fn the_api_reference_page_lists_every_operation_from_the_document() {
    let app = TestApp::spawn().await;
    let mut visitor = app.client();
    let document = visitor.get("/api/openapi.json").await.json();
    let page = visitor.get("/api").await;
    assert_eq!(page.status, StatusCode::OK);
    for (path, item) in document["paths"].as_object().unwrap().iter().filter(|(p, _)| p.starts_with("/api/v1/")) {
        for (method, op) in item.as_object().unwrap() {
            let anchor = format!("id=\"{}\"", op["operationId"].as_str().unwrap());
            assert!(page.body.contains(&anchor), "{method} {path} is not on the page");
        }
    }
    for name in document["components"]["schemas"].as_object().unwrap().keys() {
        assert!(page.body.contains(&format!("id=\"schema-{name}\"")), "schema {name}");
    }
    assert!(visible_text(&page.body).contains("ManageEdition"), "who may call each");
    assert!(!page.body.contains("<script src=\"http"), "nothing from a CDN");
    let mut reader = app.client();
    reader.post_form("/language", &[("lang", "ja"), ("next", "/")]).await;
    let japanese = reader.get("/api").await;
    assert!(visible_text(&japanese.body).contains("API リファレンス"));
}

#[tokio::test]
async fn a_whole_number_written_as_a_float_is_the_integer_it_is_and_a_refusal_names_the_field() {
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let chair = kaigi_db::accounts::find_user_by_email(&app.db, COMMITTEE_MEMBER).await.unwrap().unwrap().id;
    let (_, token) = kaigi_db::tokens::create(&app.db, &actor, chair, "floats", TokenScope::Write, 1).await.unwrap();
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let latest = kaigi_db::meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let item = kaigi_db::meetings::agenda(&app.db, latest).await.unwrap()[0].clone();
    let minutes = format!("/api/v1/meetings/{latest}/items/{}/minutes", item.id);
    // JSON Schema's integer: 3.0 is one, 3.5 is not.
    let half =
        with_token_json(&app, "PUT", &minutes, &token, json!({"revision": item.revision as f64 + 0.5, "body": "x"}))
            .await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", half.body);
    assert!(half.json()["error"]["message"].as_str().unwrap().contains("revision"), "{}", half.body);
    let whole = with_token_json(
        &app,
        "PUT",
        &minutes,
        &token,
        json!({"revision": item.revision as f64, "body": "- 浮動小数で送った版"}),
    )
    .await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
    assert_eq!(whole.json()["revision"], item.revision + 1);
}

/// Issue 16: a committee prepares its next meeting through the API as on the meeting pages:
/// created in one of its series with the agenda the series carries forward, details saved on
/// the version read (a stale write is a 409), items added and flagged, attendance and the next
/// meeting's draft agenda recorded; another committee's series and bad times are refused.
#[tokio::test]
async fn a_committee_prepares_a_meeting_through_the_api() {
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let member = kaigi_db::accounts::find_user_by_email(&app.db, COMMITTEE_MEMBER).await.unwrap().unwrap();
    let (_, token) =
        kaigi_db::tokens::create(&app.db, &actor, member.id, "meetings", TokenScope::Write, 30).await.unwrap();
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let list = with_token(&app, "GET", &format!("/api/v1/committees/{committee}/meetings"), &token, None).await.json();
    let series = list["series"][0]["id"].as_str().unwrap().to_owned();
    let highest = list["meetings"].as_array().unwrap().iter().map(|m| m["number"].as_i64().unwrap()).max().unwrap();
    let create = format!("/api/v1/committees/{committee}/meetings");
    let new = json!({"series": series, "held_on": "2027-02-10", "starts_at": "15:00", "ends_at": "17:00",
        "venue_kind": "hybrid", "venue_text": "東京 会議室A", "venue_link": "https://meet.example.org/x", "chair": "加藤 幹之"});
    let created = with_token_json(&app, "POST", &create, &token, new.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let meeting = created.json();
    assert_eq!(meeting["number"], highest + 1, "the next number");
    assert_eq!((meeting["timezone"].clone(), meeting["venue_kind"].clone()), (json!("Asia/Tokyo"), json!("hybrid")));
    assert_eq!(meeting["items"][0]["title"], "開会", "the agenda starts as the series carries it");
    let id = meeting["id"].as_str().unwrap().to_owned();
    let stored = kaigi_db::meetings::meeting(&app.db, id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!((stored.chair.as_deref(), stored.starts_at.as_str()), (Some("加藤 幹之"), "15:00"));

    // The same number twice, another committee's series, an end before the start, a zone of nowhere.
    let mut again = new.clone();
    again["number"] = meeting["number"].clone();
    assert_eq!(with_token_json(&app, "POST", &create, &token, again).await.status, StatusCode::CONFLICT);
    let mut stray = new.clone();
    stray["series"] = json!(uuid::Uuid::now_v7());
    let refused = with_token_json(&app, "POST", &create, &token, stray).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-series-unknown");
    let mut backwards = new.clone();
    backwards["ends_at"] = json!("14:00");
    assert_eq!(
        with_token_json(&app, "POST", &create, &token, backwards).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut nowhere = new.clone();
    nowhere["timezone"] = json!("Mars/Olympus");
    let refused = with_token_json(&app, "POST", &create, &token, nowhere).await;
    assert_eq!(refused.json()["error"]["code"], "error-timezone", "{}", refused.body);

    // Details on the version read; the second write on the same version is refused.
    let details = format!("/api/v1/meetings/{id}/details");
    let write = json!({"version": meeting["version"], "held_on": "2027-02-11", "starts_at": "16:00", "ends_at": "18:30",
        "timezone": "Asia/Tokyo", "venue_kind": "online", "venue_link": "https://meet.example.org/y",
        "hosts": ["総務省", "JPNIC"]});
    let saved = with_token_json(&app, "PUT", &details, &token, write.clone()).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let saved = saved.json();
    assert_eq!((saved["held_on"].clone(), saved["hosts"].clone()), (json!("2027-02-11"), json!(["総務省", "JPNIC"])));
    assert_eq!(saved["chair"], serde_json::Value::Null, "a chair left out is cleared, as on the page");
    let stale = with_token_json(&app, "PUT", &details, &token, write).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

    // Items, their flags, attendance and the next meeting's draft agenda.
    let items = format!("/api/v1/meetings/{id}/items");
    let item = json!({"title": "IGF 2027 の準備状況", "timebox_min": 20, "presenter": "事務局"});
    let added = with_token_json(&app, "POST", &items, &token, item).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let item_id = added.json()["id"].as_str().unwrap().to_owned();
    let sub = with_token_json(&app, "POST", &items, &token, json!({"number": "5.1", "title": "分科会"})).await;
    assert_eq!(sub.status, StatusCode::CREATED, "{}", sub.body);
    let bad = with_token_json(&app, "POST", &items, &token, json!({"number": "5.", "title": "x"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let flags = format!("/api/v1/meetings/{id}/items/{item_id}/flags");
    let flagged = with_token_json(&app, "PUT", &flags, &token, json!({"reached": false, "recurring": true})).await;
    assert_eq!(flagged.status, StatusCode::OK, "{}", flagged.body);
    let person = member.person_id.unwrap();
    let present =
        with_token_json(&app, "POST", &format!("/api/v1/meetings/{id}/attendance"), &token, json!({"person": person}))
            .await;
    assert_eq!(present.status, StatusCode::CREATED, "{}", present.body);
    let drafted = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/meetings/{id}/draft-agenda"),
        &token,
        json!({"title": "次回の論点"}),
    )
    .await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{}", drafted.body);
    let read = with_token(&app, "GET", &format!("/api/v1/meetings/{id}"), &token, None).await.json();
    let listed = read["items"].as_array().unwrap().iter().find(|i| i["id"] == item_id.as_str()).unwrap();
    assert_eq!((listed["recurring"].clone(), listed["presenter"].clone()), (json!(true), json!("事務局")));
    assert!(read["items"].as_array().unwrap().iter().any(|i| i["number"] == "5.1"));
    assert!(read["attendance"].as_array().unwrap().iter().any(|a| a["person"] == person.to_string()));
    assert_eq!(read["draft_agenda"], json!(["次回の論点"]));

    // An item of another meeting is not found here; someone outside the committee is refused.
    let other = list["meetings"][0]["id"].as_str().unwrap();
    let elsewhere = format!("/api/v1/meetings/{other}/items/{item_id}/flags");
    let refused = with_token_json(&app, "PUT", &elsewhere, &token, json!({"reached": true, "recurring": false})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let participant = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
    let (_, outsider) =
        kaigi_db::tokens::create(&app.db, &actor, participant.id, "x", TokenScope::Write, 30).await.unwrap();
    assert_eq!(with_token_json(&app, "POST", &create, &outsider, new).await.status, StatusCode::FORBIDDEN);
}
