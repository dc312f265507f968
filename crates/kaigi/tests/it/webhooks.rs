//! Webhooks: registered on a page or through the API, written with the change they tell of,
//! delivered signed to a real receiver on loopback, retried, logged, paused and removed.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use kaigi_core::access::TokenScope;
use kaigi_db::Actor;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::*;

/// What a receiver got: the kaigi-* headers and the body.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
}

/// A web server on loopback that keeps every request and answers the status it is told to.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    answer: Arc<AtomicU16>,
}

impl Receiver {
    async fn start() -> Self {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let answer = Arc::new(AtomicU16::new(200));
        let (kept, status) = (got.clone(), answer.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let (kept, status) = (kept.clone(), status.clone());
                async move {
                    kept.lock().unwrap().push(Received { headers, body });
                    (StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap(), "thanks")
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, got, answer }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The demo forum on a server that may call loopback (where the test's receiver is).
async fn app_calling_loopback() -> TestApp {
    let config = kaigi_web::Config {
        solver_budget: Some(kaigi_core::budget::Budget::Steps(50_000)),
        webhook_private_targets: true,
        ..kaigi_web::Config::local(0)
    };
    let app = TestApp::spawn_with(config).await;
    kaigi_db::demo::seed(&app.db, &kaigi_core::demo::generate(2026)).await.unwrap();
    app
}

async fn write_token(app: &TestApp, email: &str) -> String {
    let user = kaigi_db::accounts::find_user_by_email(&app.db, email).await.unwrap().unwrap().id;
    kaigi_db::tokens::create(&app.db, &Actor::system("test"), user, "hooks", TokenScope::Write, 1).await.unwrap().1
}

async fn submitted_proposals(app: &TestApp) -> Vec<String> {
    let desk = write_token(app, SECRETARIAT).await;
    let calls = with_token(app, "GET", "/api/v1/editions/igf-2026/calls", &desk, None).await.json();
    let call = calls["calls"][0]["id"].as_str().unwrap().to_owned();
    let page = with_token(
        app,
        "GET",
        &format!("/api/v1/editions/igf-2026/calls/{call}/proposals?status=submitted&limit=10"),
        &desk,
        None,
    )
    .await
    .json();
    page["proposals"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
}

/// Makes every waiting delivery due now (as if its wait had passed).
async fn make_due(app: &TestApp) {
    let past = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    kaigi_db::on_db!(&app.db, pool => sqlx::query("update webhook_deliveries set next_attempt_at = $1 where delivered_at is null")
        .bind(past).execute(pool).await.map(|_| ()))
    .unwrap();
}

async fn deliveries(app: &TestApp, token: &str, webhook: &str) -> Value {
    let path = format!("/api/v1/editions/igf-2026/webhooks/{webhook}/deliveries");
    let answer = with_token(app, "GET", &path, token, None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()
}

#[tokio::test]
async fn a_decision_reaches_the_receiver_signed_and_a_failed_delivery_is_tried_again() {
    let app = app_calling_loopback().await;
    let receiver = Receiver::start().await;
    let desk = write_token(&app, SECRETARIAT).await;
    let secret = "a-shared-secret-of-the-receiver";
    let made = with_token_json(
        &app,
        "POST",
        "/api/v1/editions/igf-2026/webhooks",
        &desk,
        json!({"url": receiver.url, "events": ["decision.made", "proposal.submitted", "decision.made"], "secret": secret}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json();
    assert_eq!(made["secret"], secret);
    assert_eq!(made["webhook"]["events"], json!(["proposal.submitted", "decision.made"]), "once each, in list order");
    let webhook = made["webhook"]["id"].as_str().unwrap().to_owned();
    let listed = with_token(&app, "GET", "/api/v1/editions/igf-2026/webhooks", &desk, None).await;
    assert!(!listed.body.contains(secret), "the secret is answered once only");

    // A refused bulk decision is rolled back with everything in it: nobody is told.
    let proposals = submitted_proposals(&app).await;
    let stranger = Uuid::now_v7();
    let refused = with_token_json(
        &app,
        "POST",
        "/api/v1/editions/igf-2026/decisions",
        &desk,
        json!({"decisions": [{"proposal": proposals[0], "decision": {"verdict": "reject"}},
                             {"proposal": stranger, "decision": {"verdict": "reject"}}]}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 0);

    // The receiver is down: the delivery is kept, with the status it answered, for later.
    receiver.answer.store(503, Ordering::SeqCst);
    let decided = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/editions/igf-2026/proposals/{}/decision", proposals[0]),
        &desk,
        json!({"verdict": "reject", "note": "定員のため"}),
    )
    .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 1);
    let first = receiver.received();
    assert_eq!(first.len(), 1);
    let request = &first[0];
    assert_eq!(header(request, "kaigi-event"), "decision.made");
    assert_eq!(header(request, "content-type"), "application/json");
    let timestamp: i64 = header(request, "kaigi-timestamp").parse().unwrap();
    assert!((time::OffsetDateTime::now_utc().unix_timestamp() - timestamp).abs() < 60);
    let signature = header(request, "kaigi-signature");
    assert!(kaigi_core::webhooks::verify(secret, timestamp, request.body.as_bytes(), signature), "{signature}");
    assert!(!kaigi_core::webhooks::verify("another secret entirely", timestamp, request.body.as_bytes(), signature));
    assert!(!kaigi_core::webhooks::verify(secret, timestamp + 1, request.body.as_bytes(), signature));
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["event"], "decision.made");
    assert_eq!(body["id"], header(request, "kaigi-delivery"));
    assert_eq!(body["data"]["proposal"]["id"], proposals[0].as_str());
    assert_eq!(
        (body["data"]["verdict"].as_str(), body["data"]["proposal"]["status"].as_str()),
        (Some("reject"), Some("rejected"))
    );
    let log = deliveries(&app, &desk, &webhook).await;
    assert_eq!(log["total"], 1);
    let entry = &log["deliveries"][0];
    assert_eq!(
        (entry["state"].as_str(), entry["attempts"].as_i64(), entry["last_status"].as_i64()),
        (Some("waiting"), Some(1), Some(503))
    );
    assert!(entry["last_error"].as_str().unwrap().contains("503"), "{entry}");
    assert!(entry["next_attempt_at"].is_string());
    // Not due yet: nothing goes out.
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 0);

    // Its time comes and the receiver is back: the same delivery, the same body, delivered.
    receiver.answer.store(204, Ordering::SeqCst);
    make_due(&app).await;
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 1);
    let second = receiver.received();
    assert_eq!(second.len(), 2);
    assert_eq!(header(&second[1], "kaigi-delivery"), header(request, "kaigi-delivery"));
    assert_eq!(second[1].body, request.body);
    let entry = deliveries(&app, &desk, &webhook).await["deliveries"][0].clone();
    assert_eq!(
        (entry["state"].as_str(), entry["attempts"].as_i64(), entry["last_status"].as_i64()),
        (Some("delivered"), Some(2), Some(204))
    );
    assert!(entry["last_error"].is_null() && entry["next_attempt_at"].is_null());

    // A ping on request; a redelivery of what was delivered.
    let pinged =
        with_token(&app, "POST", &format!("/api/v1/editions/igf-2026/webhooks/{webhook}/ping"), &desk, None).await;
    assert_eq!(pinged.status, StatusCode::ACCEPTED, "{}", pinged.body);
    let delivered = entry["id"].as_str().unwrap();
    let again = format!("/api/v1/editions/igf-2026/webhooks/{webhook}/deliveries/{delivered}/redeliver");
    assert_eq!(with_token(&app, "POST", &again, &desk, None).await.status, StatusCode::ACCEPTED);
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 2);
    let events: Vec<String> = receiver.received().iter().map(|r| header(r, "kaigi-event").to_owned()).collect();
    assert_eq!(events.len(), 4);
    assert!(events.contains(&"ping".to_owned()));

    // Paused, it hears nothing; resumed, it hears the next decision.
    let active = format!("/api/v1/editions/igf-2026/webhooks/{webhook}/active");
    let paused = with_token_json(&app, "PUT", &active, &desk, json!({"active": false})).await;
    assert_eq!((paused.status, paused.json()["active"].as_bool()), (StatusCode::OK, Some(false)));
    let decide = |proposal: &str| format!("/api/v1/editions/igf-2026/proposals/{proposal}/decision");
    assert_eq!(
        with_token_json(&app, "POST", &decide(&proposals[1]), &desk, json!({"verdict": "reject"})).await.status,
        StatusCode::OK
    );
    assert_eq!(deliveries(&app, &desk, &webhook).await["total"], 2, "nothing queued while paused");
    with_token_json(&app, "PUT", &active, &desk, json!({"active": true})).await;
    assert_eq!(
        with_token_json(&app, "POST", &decide(&proposals[2]), &desk, json!({"verdict": "reject"})).await.status,
        StatusCode::OK
    );
    assert_eq!(deliveries(&app, &desk, &webhook).await["total"], 3);

    // Removed: gone, with its log.
    let path = format!("/api/v1/editions/igf-2026/webhooks/{webhook}");
    assert_eq!(with_token(&app, "DELETE", &path, &desk, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(with_token(&app, "DELETE", &path, &desk, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from webhook_deliveries").await, 0);
}

#[tokio::test]
async fn a_site_webhook_hears_every_edition_and_stays_out_of_an_editions_paths() {
    let app = app_calling_loopback().await;
    let receiver = Receiver::start().await;
    let mut admin = app.signed_in(ADMIN).await;
    let made = admin
        .post_form(
            "/admin/webhooks",
            &[("url", &receiver.url), ("event", "decision.made"), ("event", "minutes.published")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.headers.get("cache-control").unwrap(), "no-store", "the page shows the secret");
    let secret = made.body.split("id=\"new-secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert_eq!(secret.len(), 64, "a secret made by kaigi: {secret}");
    let site_hook: String =
        kaigi_db::on_db!(&app.db, pool => sqlx::query_scalar::<_, Uuid>("select id from webhooks").fetch_one(pool).await)
            .unwrap()
            .to_string();
    // An edition's secretariat may not reach it under the edition's paths.
    let desk = write_token(&app, SECRETARIAT).await;
    for (method, path) in [
        ("GET", format!("/api/v1/editions/igf-2026/webhooks/{site_hook}/deliveries")),
        ("POST", format!("/api/v1/editions/igf-2026/webhooks/{site_hook}/ping")),
        ("DELETE", format!("/api/v1/editions/igf-2026/webhooks/{site_hook}")),
    ] {
        let answer = with_token(&app, method, &path, &desk, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method} {path}: {}", answer.body);
    }
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    assert_eq!(
        secretariat.get(&format!("/editions/igf-2026/webhooks/{site_hook}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(secretariat.get(&format!("/admin/webhooks/{site_hook}")).await.status, StatusCode::FORBIDDEN);

    // An edition's decision reaches the site's webhook.
    let proposal = submitted_proposals(&app).await.remove(0);
    let decided = with_token_json(
        &app,
        "POST",
        &format!("/api/v1/editions/igf-2026/proposals/{proposal}/decision"),
        &desk,
        json!({"verdict": "reject"}),
    )
    .await;
    assert_eq!(decided.status, StatusCode::OK);
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 1);
    let got = receiver.received();
    let timestamp: i64 = header(&got[0], "kaigi-timestamp").parse().unwrap();
    assert!(kaigi_core::webhooks::verify(
        &secret,
        timestamp,
        got[0].body.as_bytes(),
        header(&got[0], "kaigi-signature")
    ));

    // The page shows the delivery; removing needs the box ticked.
    let page = admin.get(&format!("/admin/webhooks/{site_hook}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("decision.made") && page.body.contains("200"), "{}", page.body);
    let unticked = admin.post_form(&format!("/admin/webhooks/{site_hook}"), &[("action", "delete")]).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed =
        admin.post_form(&format!("/admin/webhooks/{site_hook}"), &[("action", "delete"), ("confirm", "yes")]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from webhooks").await, 0);
}

#[tokio::test]
async fn addresses_of_this_machine_or_a_private_network_are_refused_by_default() {
    let app = TestApp::with_demo().await;
    let desk = write_token(&app, SECRETARIAT).await;
    let create = |url: &str, events: Value| json!({"url": url, "events": events});
    for (url, code) in [
        ("http://127.0.0.1:8080/hook", "error-webhook-url-private"),
        ("http://localhost/hook", "error-webhook-url-private"),
        ("http://169.254.169.254/latest/meta-data", "error-webhook-url-private"),
        ("http://[::1]/hook", "error-webhook-url-private"),
        ("http://10.0.0.7/hook", "error-webhook-url-private"),
        ("http://0/hook", "error-webhook-url-private"),
        ("ftp://example.org/hook", "error-webhook-url-scheme"),
        ("https://user:pass@example.org/hook", "error-webhook-url-credentials"),
        ("not a url", "error-webhook-url"),
    ] {
        let answer = with_token_json(
            &app,
            "POST",
            "/api/v1/editions/igf-2026/webhooks",
            &desk,
            create(url, json!(["decision.made"])),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {}", answer.body);
        assert_eq!(answer.json()["error"]["code"], code, "{url}");
    }
    // Minutes belong to committees: an edition's webhook cannot listen to them.
    for (events, code) in [
        (json!(["minutes.published"]), "error-webhook-event"),
        (json!(["ping"]), "error-webhook-event"),
        (json!([]), "error-field-range"),
    ] {
        let answer = with_token_json(
            &app,
            "POST",
            "/api/v1/editions/igf-2026/webhooks",
            &desk,
            create("https://example.org/h", events),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
        assert_eq!(answer.json()["error"]["code"], code);
    }
    let short = with_token_json(
        &app,
        "POST",
        "/api/v1/editions/igf-2026/webhooks",
        &desk,
        json!({"url": "https://example.org/h", "events": ["decision.made"], "secret": "short"}),
    )
    .await;
    assert_eq!(short.json()["error"]["code"], "error-webhook-secret");
    assert_eq!(app.count("select count(*) from webhooks").await, 0, "nothing refused was stored");

    // The page keeps what was typed and says why, in the reader's language.
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    secretariat.accept_language = Some("ja".into());
    let page = secretariat
        .post_form("/editions/igf-2026/webhooks", &[("url", "http://192.168.1.10/hook"), ("event", "decision.made")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("value=\"http://192.168.1.10/hook\""));
    assert!(page.body.contains("社内・予約済みのネットワーク"), "{}", page.body);
    let checked = forms_of(&page.body).into_iter().find(|f| f.action == "/editions/igf-2026/webhooks").unwrap();
    assert_eq!(checked.value("event"), Some("decision.made"), "the ticked event stays ticked");

    // A webhook stored while private targets were allowed is not called once they are not.
    let target = kaigi_core::webhooks::check_url("http://127.0.0.1:9/hook", true).unwrap();
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let stored = kaigi_db::webhooks::create(
        &app.db,
        &Actor::system("test"),
        Some(edition.id),
        &target,
        &[kaigi_core::webhooks::Event::DecisionMade],
        "0123456789abcdef0123",
    )
    .await
    .unwrap();
    kaigi_db::webhooks::ping(&app.db, &Actor::system("test"), Some(edition.id), stored.id).await.unwrap();
    assert_eq!(kaigi_web::webhooks::deliver_due(&app.state).await.unwrap(), 1);
    let entry = deliveries(&app, &desk, &stored.id.to_string()).await["deliveries"][0].clone();
    assert_eq!(entry["state"], "waiting");
    assert!(entry["last_status"].is_null());
    assert!(entry["last_error"].as_str().unwrap().contains("private"), "{entry}");
}
