//! Signing in and out, CSRF, rate limiting, invitations, password resets, cookies.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn sign_in_reaches_the_admin_area_and_sign_out_ends_the_session() {
    let app = TestApp::with_demo().await;
    let mut client = app.client();
    assert_eq!(client.get("/admin").await.location(), Some("/login?next=/admin"));
    let answer = client
        .post_form("/login", &[("email", ADMIN), ("password", kaigi_core::demo::DEMO_PASSWORD), ("next", "/admin")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/admin"));
    let cookie = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("kaigi_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let admin = client.get("/admin").await;
    assert_eq!(admin.status, StatusCode::OK);
    assert!(admin.body.contains("/admin/audit"));
    client.post_form("/logout", &[]).await;
    assert_eq!(client.get("/admin").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_lock_the_account() {
    let app = TestApp::with_demo().await;
    let mut client = app.client();
    for _ in 0..kaigi_db::accounts::LOGIN_FAILURES_ALLOWED {
        let answer = client.login(ADMIN, "not-the-password").await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("role=\"alert\""));
    }
    // Even the right password is refused now, from any client: the count is in the database.
    let mut other = app.client();
    let answer = other.login(ADMIN, kaigi_core::demo::DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    // Other accounts are not affected.
    let answer = other.login(SECRETARIAT, kaigi_core::demo::DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = TestApp::with_demo().await;
    let mut client = app.signed_in(ADMIN).await;
    let before = kaigi_db::directory::count_people(&app.db).await.unwrap();
    let fields = [("display_name", "偽 物"), ("reading", "にせ もの")];
    assert_eq!(client.post_raw("/people", &fields).await.status, StatusCode::FORBIDDEN);
    let mut forged = vec![("csrf", "forged-token-forged-token-forged-token")];
    forged.extend_from_slice(&fields);
    assert_eq!(client.post_raw("/people", &forged).await.status, StatusCode::FORBIDDEN);
    // A token from another browser does not work either.
    let mut stranger = app.client();
    let foreign = stranger.csrf().await;
    let mut foreign_fields = vec![("csrf", foreign.as_str())];
    foreign_fields.extend_from_slice(&fields);
    assert_eq!(client.post_raw("/people", &foreign_fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(kaigi_db::directory::count_people(&app.db).await.unwrap(), before);
    // With the right token it goes through.
    assert_eq!(client.post_form("/people", &fields).await.status, StatusCode::SEE_OTHER);
    assert_eq!(kaigi_db::directory::count_people(&app.db).await.unwrap(), before + 1);
}

fn link_in(body: &str, prefix: &str) -> String {
    let at = body.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in {body}"));
    body[at..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn an_invitation_creates_an_account_with_its_role() {
    let app = TestApp::with_demo().await;
    let mut admin = app.signed_in(ADMIN).await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let scope = format!("edition:{}", edition.id);
    let answer = admin
        .post_form(
            "/admin/invitations",
            &[("email", "New.Member@Example.org"), ("role", "secretariat"), ("scope", &scope), ("lang", "ja")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let mail = &kaigi_db::outbox::list(&app.db, 1).await.unwrap()[0];
    assert_eq!(mail.to_address, "New.Member@Example.org");
    assert!(mail.subject.contains("招待"), "{}", mail.subject);
    let path = link_in(&mail.body, "http://127.0.0.1:0/invitations/").replace("http://127.0.0.1:0", "");

    let mut newcomer = app.client();
    assert_eq!(newcomer.get(&path).await.status, StatusCode::OK);
    let short = newcomer
        .post_form(&path, &[("display_name", "新人 太郎"), ("password", "short"), ("password_again", "short")])
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = newcomer
        .post_form(
            &path,
            &[
                ("display_name", "新人 太郎"),
                ("password", "a long enough password"),
                ("password_again", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(newcomer.get("/editions/igf-2026/manage").await.status, StatusCode::OK);
    // The link works once.
    assert_eq!(app.client().get(&path).await.status, StatusCode::NOT_FOUND);
    // A role that does not fit the scope is refused.
    let wrong = admin
        .post_form("/admin/invitations", &[("email", "x@example.org"), ("role", "admin"), ("scope", &scope)])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_password_reset_goes_through_the_outbox_and_ends_old_sessions() {
    let app = TestApp::with_demo().await;
    let mut old_session = app.signed_in(PARTICIPANT).await;
    assert_eq!(old_session.get("/me").await.status, StatusCode::OK);
    let mut client = app.client();
    let unknown = client.post_form("/password/forgot", &[("email", "nobody@example.org")]).await;
    let known = client.post_form("/password/forgot", &[("email", PARTICIPANT)]).await;
    assert_eq!(unknown.status, StatusCode::OK);
    // The answer does not reveal whether the account exists.
    assert_eq!(
        unknown.body.replace(&unknown_csrf(&unknown.body), ""),
        known.body.replace(&unknown_csrf(&known.body), "")
    );
    let mails = kaigi_db::outbox::list(&app.db, 10).await.unwrap();
    assert_eq!(mails.len(), 1);
    let path = link_in(&mails[0].body, "http://127.0.0.1:0/password/reset/").replace("http://127.0.0.1:0", "");
    let mismatch =
        client.post_form(&path, &[("password", "new password 123"), ("password_again", "other password 123")]).await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done =
        client.post_form(&path, &[("password", "new password 123"), ("password_again", "new password 123")]).await;
    assert_eq!(done.location(), Some("/login?done=password-reset"));
    assert_eq!(old_session.get("/me").await.status, StatusCode::SEE_OTHER, "the old session ended");
    assert_eq!(
        client.login(PARTICIPANT, kaigi_core::demo::DEMO_PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(client.login(PARTICIPANT, "new password 123").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.client().get(&path).await.status, StatusCode::NOT_FOUND, "a reset link works once");
}

fn unknown_csrf(body: &str) -> String {
    extract_csrf(body).unwrap_or_default()
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    let app = TestApp::with_demo().await;
    let user = kaigi_db::accounts::find_user_by_email(&app.db, ADMIN).await.unwrap().unwrap();
    let hash = user.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(kaigi_db::accounts::verify_password(kaigi_core::demo::DEMO_PASSWORD, &hash));
    assert!(!kaigi_db::accounts::verify_password("wrong", &hash));
}

#[tokio::test]
async fn the_language_follows_the_switch_then_the_browser() {
    let app = TestApp::with_demo().await;
    let mut client = app.client();
    client.accept_language = Some("ja,en;q=0.5".into());
    assert!(client.get("/").await.body.contains("<html lang=\"ja\">"));
    client.accept_language = Some("en-GB".into());
    assert!(client.get("/").await.body.contains("<html lang=\"en\">"));
    client.post_form("/language", &[("lang", "ja"), ("next", "/")]).await;
    let page = client.get("/").await;
    assert!(page.body.contains("<html lang=\"ja\">") && page.body.contains("フォーラムと委員会"));
    // A signed-in user's choice is stored with the account.
    let mut user = app.signed_in(COMMITTEE_MEMBER).await;
    user.post_form("/language", &[("lang", "ja"), ("next", "/")]).await;
    let mut again = app.signed_in(COMMITTEE_MEMBER).await;
    again.accept_language = Some("en".into());
    assert!(again.get("/").await.body.contains("<html lang=\"ja\">"));
}

#[tokio::test]
async fn secure_deployments_mark_cookies_secure() {
    let (db, _dir) = fresh_db().await;
    let config = kaigi_web::Config {
        public_url: "https://kaigi.example.org".into(),
        secure_cookies: true,
        ..kaigi_web::Config::local(0)
    };
    let state = kaigi_web::AppState::new(db, config).await.unwrap();
    let router = kaigi_web::router(state);
    use tower::ServiceExt;
    let response =
        router.oneshot(axum::http::Request::get("/login").body(axum::body::Body::empty()).unwrap()).await.unwrap();
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-kaigi_csrf=") && cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
}

#[tokio::test]
async fn housekeeping_removes_only_what_has_expired() {
    let app = TestApp::with_demo().await;
    let mut live = app.signed_in(ADMIN).await;
    let user = kaigi_db::accounts::find_user_by_email(&app.db, SECRETARIAT).await.unwrap().unwrap();
    let token = kaigi_db::accounts::create_session(&app.db, user.id).await.unwrap();
    kaigi_db::on_db!(&app.db, pool => sqlx::query("update web_sessions set expires_at = $1 where user_id = $2")
        .bind(kaigi_db::now() - time::Duration::hours(1)).bind(user.id).execute(pool).await.map(|_| ()))
    .unwrap();
    assert_eq!(kaigi_db::accounts::remove_expired(&app.db).await.unwrap(), 1);
    assert!(kaigi_db::accounts::session_user(&app.db, &token).await.unwrap().is_none());
    assert_eq!(live.get("/me").await.status, StatusCode::OK, "live sessions stay");
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::spawn().await;
    let answer = app.client().get("/login").await;
    assert_eq!(answer.headers["x-content-type-options"], "nosniff");
    assert_eq!(answer.headers["x-frame-options"], "DENY");
    assert!(answer.headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
}

/// Issue 17: the account page manages the account — name, language, password, sessions — and
/// the header's menu under the name leads to the person's own pages.
#[tokio::test]
async fn a_person_manages_their_account_and_finds_their_own_pages() {
    use axum::http::StatusCode;
    let app = TestApp::with_demo().await;
    let mut here = app.signed_in(PARTICIPANT).await;
    let mut elsewhere = app.signed_in(PARTICIPANT).await;
    let me = here.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    for own in ["/agenda", "/registration", "/proposals", "/me#actions"] {
        assert!(me.body.contains(&format!("href=\"{own}\"")), "the menu leads to {own}");
    }
    assert_eq!(here.get("/agenda").await.location(), Some("/editions/igf-2026/agenda"));
    assert_eq!(here.get("/registration").await.location(), Some("/editions/igf-2026/registration"));

    // Name and language.
    let saved = here.post_form("/me/profile", &[("display_name", "  参加 太郎 "), ("language", "en")]).await;
    assert_eq!(saved.location(), Some("/me?saved=profile"));
    let page = here.get("/me?saved=profile").await;
    assert!(page.body.contains("参加 太郎") && page.body.contains("Saved."), "shown in English now, with the new name");
    let empty = here.post_form("/me/profile", &[("display_name", "   "), ("language", "ja")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(here.get("/me").await.body.contains("参加 太郎"), "a refused form changes nothing");

    // The password: the current one first; then every other session ends, this one goes on.
    let password = kaigi_core::demo::DEMO_PASSWORD;
    let wrong = here
        .post_form(
            "/me/password",
            &[("current", "not it at all"), ("password", "a brand new one"), ("password_again", "a brand new one")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(elsewhere.get("/me").await.status, StatusCode::OK, "nothing changed");
    let changed = here
        .post_form(
            "/me/password",
            &[("current", password), ("password", "a brand new one"), ("password_again", "a brand new one")],
        )
        .await;
    assert_eq!(changed.location(), Some("/me?saved=password"), "{}", changed.body);
    assert_eq!(here.get("/me").await.status, StatusCode::OK, "this browser stays signed in");
    assert_eq!(elsewhere.get("/me").await.status, StatusCode::SEE_OTHER, "the other one is signed out");
    let mut again = app.client();
    assert_eq!(again.login(PARTICIPANT, password).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.login(PARTICIPANT, "a brand new one").await.status, StatusCode::SEE_OTHER);

    // Signing out everywhere ends both.
    assert_eq!(here.post_form("/me/sessions/end", &[]).await.location(), Some("/login?done=signed-out-everywhere"));
    assert_eq!(here.get("/me").await.status, StatusCode::SEE_OTHER);
    assert_eq!(again.get("/me").await.status, StatusCode::SEE_OTHER);
}
