//! Signing in and out, the language switch, invitations and password resets.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use fluent_bundle::FluentValue;
use kaigi_db::accounts;
use serde::Deserialize;
use uuid::Uuid;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, LANG_COOKIE, cookie, cookie_names, safe_next};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    next: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn show_login(ctx: Ctx, Query(q): Query<LoginQuery>) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "login-title");
    let notice = match q.done.as_deref() {
        Some("password-reset") => Some(page.t("reset-done")),
        Some("signed-out-everywhere") => Some(page.t("account-signed-out-everywhere")),
        _ => None,
    };
    render(&LoginPage { next: safe_next(q.next.as_deref()), email: String::new(), error: None, notice, page })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Rate limited per account and per client address, in the database (so every instance counts).
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email_key = account_limit_key(&form.email);
    let address_key = format!("ip:{}", ctx.client);
    // Every attempt is counted before the password is looked at, so concurrent guesses on any
    // number of instances cannot all slip under the limit.
    let by_account = accounts::take(&state.db, &email_key, accounts::LOGIN_PER_ACCOUNT).await?;
    let by_address = accounts::take(&state.db, &address_key, accounts::LOGIN_PER_ADDRESS).await?;
    let locked = !(by_account.allowed && by_address.allowed);
    let page = Page::titled(&ctx, "login-title");
    let refuse = |page: Page, status: StatusCode, key: &str| -> AppResult<Response> {
        let error = Some(page.t(key));
        let body = render(&LoginPage {
            next: safe_next(form.next.as_deref()),
            email: form.email.clone(),
            error,
            notice: None,
            page,
        })?;
        Ok((status, body).into_response())
    };
    if locked {
        return refuse(page, StatusCode::TOO_MANY_REQUESTS, "login-locked");
    }
    let user = accounts::find_user_by_email(&state.db, &form.email).await?.filter(|u| u.active);
    let password = form.password.clone();
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    // Verify against a real hash even for unknown accounts, so timing does not tell who exists.
    let ok = state
        .with_password_hashing(move || match stored {
            Some(hash) => accounts::verify_password(&password, &hash),
            None => {
                let _ = accounts::verify_password(&password, DUMMY_HASH);
                false
            }
        })
        .await?;
    if ok {
        accounts::forgive(&state.db, by_account).await?;
        accounts::forgive(&state.db, by_address).await?;
    }
    let Some(user) = user.filter(|_| ok) else {
        return refuse(page, StatusCode::UNPROCESSABLE_ENTITY, "login-failed");
    };
    let token = accounts::create_session(&state.db, user.id).await?;
    let names = cookie_names(&state.config);
    // A fresh CSRF cookie at sign-in: a token planted before cannot be reused after.
    let (csrf_value, _) = accounts::new_token();
    let jar = jar.add(cookie(&state.config, names.session, token, accounts::SESSION_LIFETIME)).add(cookie(
        &state.config,
        names.csrf,
        csrf_value,
        time::Duration::days(365),
    ));
    Ok((jar, Redirect::to(&safe_next(form.next.as_deref()))).into_response())
}

/// The rate-limit key of wrong passwords for one account, wherever a password is checked.
fn account_limit_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

/// An Argon2id hash of a random string, verified against when the account does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0JnYdxl1eP5TBqDzsHaNrdUbSFnfXTpkmWFoMMtr8ZE";

pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> AppResult<Response> {
    let names = cookie_names(&state.config);
    if let Some(c) = jar.get(names.session) {
        accounts::delete_session(&state.db, c.value()).await?;
    }
    let jar = jar.add(cookie(&state.config, names.session, String::new(), time::Duration::ZERO));
    Ok((jar, Redirect::to("/")).into_response())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

pub async fn switch_language(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let lang = Lang::parse(&form.lang).ok_or_else(|| AppError::not_a_choice("lang", &form.lang))?;
    if let Some(user) = ctx.user_id() {
        let mut tx = state.db.begin().await?;
        accounts::set_language(&mut tx, &ctx.actor(), user, lang.code()).await?;
        tx.commit().await?;
    }
    let mut c = cookie(&state.config, LANG_COOKIE, lang.code().to_owned(), time::Duration::days(365));
    c.set_http_only(false);
    Ok((jar.add(c), Redirect::to(&safe_next(form.next.as_deref()))).into_response())
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Page,
    email: String,
    roles: Vec<(String, String)>,
    actions: Vec<super::meetings::ActionView>,
    /// (link, label) of the roundtable tables the user reports for.
    tables: Vec<(String, String)>,
    tokens: Vec<TokenView>,
    /// A token just made: (name, the secret), shown this once.
    new_token: Option<(String, String)>,
    /// Why a token was not made.
    error: Option<String>,
    display_name: String,
    /// en, ja, or empty (as the browser asks).
    language: String,
    notice: Option<String>,
    profile_error: Option<String>,
    password_error: Option<String>,
    min_password: usize,
}

pub struct TokenView {
    pub id: String,
    pub name: String,
    pub scope: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    /// "active", "expired" or "revoked", in words.
    pub state: String,
    pub usable: bool,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    /// What was just saved: profile, password or sessions.
    saved: Option<String>,
}

pub async fn show_account(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<AccountQuery>,
) -> AppResult<Html<String>> {
    let notice = match query.saved.as_deref() {
        Some("profile") => Some(i18n::t(ctx.lang, "account-saved-profile")),
        Some("password") => Some(i18n::t(ctx.lang, "account-saved-password")),
        _ => None,
    };
    account_page(&state, &ctx, None, Said { notice, ..Said::default() }).await
}

/// What the account page says above its forms after a request.
#[derive(Default)]
struct Said {
    notice: Option<String>,
    token_error: Option<String>,
    profile_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Deserialize)]
pub struct ProfileForm {
    display_name: String,
    language: String,
}

/// The name the account is shown by, and the language of its pages and letters.
pub async fn save_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let Some(lang) = Lang::parse(form.language.trim()) else {
        return Err(AppError::not_a_choice("language", &form.language));
    };
    let mut tx = state.db.begin().await?;
    let saved = match accounts::set_display_name(&mut tx, &ctx.actor(), user, &form.display_name).await {
        Ok(_) => accounts::set_language(&mut tx, &ctx.actor(), user, lang.code()).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to("/me?saved=profile").into_response())
        }
        Err(e) if e.is_refusal() => {
            let said = Said { profile_error: Some(AppError::from(e).message(ctx.lang)), ..Said::default() };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, account_page(&state, &ctx, None, said).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordChangeForm {
    current: String,
    password: String,
    password_again: String,
}

/// A new password, given the current one. Every session ends, this browser gets a new one:
/// whoever had the old password is signed out everywhere.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<PasswordChangeForm>,
) -> AppResult<Response> {
    let user = ctx.user.clone().ok_or(AppError::Unauthenticated)?;
    let page = Page::titled(&ctx, "account-title");
    let refuse = |message: String, status: StatusCode| {
        let (state, ctx) = (&state, &ctx);
        async move {
            let said = Said { password_error: Some(message), ..Said::default() };
            Ok::<_, AppError>((status, account_page(state, ctx, None, said).await?).into_response())
        }
    };
    // Counted as a sign-in with this address: the form must not be a way round the limit.
    let attempt = accounts::take(&state.db, &account_limit_key(&user.email), accounts::LOGIN_PER_ACCOUNT).await?;
    if !attempt.allowed {
        return refuse(page.t("login-locked"), StatusCode::TOO_MANY_REQUESTS).await;
    }
    let (current, stored) = (form.current.clone(), user.password_hash.clone());
    let ok = state
        .with_password_hashing(move || stored.is_some_and(|hash| accounts::verify_password(&current, &hash)))
        .await?;
    if !ok {
        return refuse(page.t("account-password-wrong"), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    accounts::forgive(&state.db, attempt).await?;
    if let Some(problem) = password_problem(&page, &form.password, &form.password_again) {
        return refuse(problem, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let hash = hash_in_background(&state, form.password).await?;
    let mut tx = state.db.begin().await?;
    accounts::set_password(&mut tx, &ctx.actor(), user.id, &hash).await?;
    tx.commit().await?;
    let token = accounts::create_session(&state.db, user.id).await?;
    let names = cookie_names(&state.config);
    let jar = jar.add(cookie(&state.config, names.session, token, accounts::SESSION_LIFETIME));
    Ok((jar, Redirect::to("/me?saved=password")).into_response())
}

/// Signs the account out everywhere, this browser included.
pub async fn end_sessions(State(state): State<AppState>, ctx: Ctx, jar: CookieJar) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    accounts::end_sessions(&state.db, &ctx.actor(), user).await?;
    let names = cookie_names(&state.config);
    let jar = jar.add(cookie(&state.config, names.session, String::new(), time::Duration::ZERO));
    Ok((jar, Redirect::to("/login?done=signed-out-everywhere")).into_response())
}

/// The current edition's page of the signed-in person's own: their agenda or registration.
pub async fn my_edition_page(state: &AppState, page: &str) -> AppResult<Response> {
    let today = time::OffsetDateTime::now_utc().date();
    let edition = kaigi_db::editions::current_edition(&state.db, today).await?.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/editions/{}/{page}", edition.slug)).into_response())
}

pub async fn my_agenda(State(state): State<AppState>) -> AppResult<Response> {
    my_edition_page(&state, "agenda").await
}

pub async fn my_registration(State(state): State<AppState>) -> AppResult<Response> {
    my_edition_page(&state, "registration").await
}

#[derive(Deserialize)]
pub struct TokenForm {
    pub name: String,
    pub scope: String,
    pub days: String,
}

/// Makes a personal API token; the page shows it this once.
pub async fn create_token(State(state): State<AppState>, ctx: Ctx, Form(form): Form<TokenForm>) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let scope: kaigi_core::access::TokenScope =
        form.scope.parse().map_err(|_| AppError::not_a_choice("scope", &form.scope))?;
    let days: i64 = form.days.trim().parse().map_err(|_| AppError::not_a_number("days", &form.days))?;
    let (status, html) = match kaigi_db::tokens::create(&state.db, &ctx.actor(), user, &form.name, scope, days).await {
        Ok((token, secret)) => {
            (StatusCode::OK, account_page(&state, &ctx, Some((token.name, secret)), Said::default()).await?)
        }
        Err(e) if e.is_refusal() => {
            let said = Said { token_error: Some(AppError::from(e).message(ctx.lang)), ..Said::default() };
            (StatusCode::UNPROCESSABLE_ENTITY, account_page(&state, &ctx, None, said).await?)
        }
        Err(e) => return Err(e.into()),
    };
    // The secret is in this page: no cache may keep it.
    Ok((status, [(axum::http::header::CACHE_CONTROL, "no-store")], html).into_response())
}

#[derive(Deserialize)]
pub struct RevokeForm {
    pub token: String,
}

/// Revokes one of the signed-in user's own tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RevokeForm>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let token = Uuid::parse_str(form.token.trim()).map_err(|_| AppError::form_tampered("token"))?;
    kaigi_db::tokens::revoke(&state.db, &ctx.actor(), user, token).await?;
    Ok(Redirect::to("/me#tokens").into_response())
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    new_token: Option<(String, String)>,
    said: Said,
) -> AppResult<Html<String>> {
    let ctx = ctx.clone();
    let user = ctx.user.clone().ok_or(AppError::Unauthenticated)?;
    let page = Page::titled(&ctx, "account-title");
    let editions = kaigi_db::editions::list_editions(&state.db).await?;
    let committees = kaigi_db::editions::list_committees(&state.db).await?;
    let roles = ctx
        .principal
        .grants
        .iter()
        .map(|g| {
            let scope = match &g.scope {
                kaigi_core::access::Scope::Global => page.t("scope-global"),
                kaigi_core::access::Scope::Edition(id) => {
                    editions.iter().find(|e| e.id.to_string() == *id).map(|e| e.name.clone()).unwrap_or_default()
                }
                kaigi_core::access::Scope::Committee(id) => {
                    committees.iter().find(|c| c.id.to_string() == *id).map(|c| c.name.clone()).unwrap_or_default()
                }
            };
            (vocab(ctx.lang, "role", Some(g.role.code())), scope)
        })
        .collect();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let actions = match user.person_id {
        Some(person) => kaigi_db::meetings::action_items_of_person(&state.db, person)
            .await?
            .into_iter()
            .map(|a| super::meetings::action_view(&ctx, a, &today))
            .collect(),
        None => Vec::new(),
    };
    let mut tables = Vec::new();
    for (roundtable, round, table) in kaigi_db::roundtables::tables_reported_by(&state.db, user.id).await? {
        if let Some(rt) = kaigi_db::roundtables::get(&state.db, roundtable).await? {
            tables.push((
                format!("/roundtables/{roundtable}/rounds/{round}/tables/{table}/report"),
                format!(
                    "{} · {} {round} · {} {table}",
                    page.pick(&rt.name, &rt.name_ja),
                    page.t("roundtable-round"),
                    page.t("roundtable-table")
                ),
            ));
        }
    }
    let now = kaigi_db::now();
    let when = |at: time::OffsetDateTime| format!("{} UTC", super::format_time(&page, at, "UTC"));
    let tokens = kaigi_db::tokens::of_user(&state.db, user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id.to_string(),
            state: page.t(match (t.revoked_at, t.usable(now)) {
                (Some(_), _) => "token-revoked",
                (None, false) => "token-expired",
                (None, true) => "token-active",
            }),
            usable: t.usable(now),
            scope: vocab(ctx.lang, "token-scope", Some(&t.scope)),
            created: when(t.created_at),
            expires: when(t.expires_at),
            last_used: t.last_used_at.map(when).unwrap_or_else(|| "—".into()),
            name: t.name,
        })
        .collect();
    render(&AccountPage {
        page,
        email: user.email,
        display_name: user.display_name,
        language: user.language.unwrap_or_default(),
        roles,
        actions,
        tables,
        tokens,
        new_token,
        error: said.token_error,
        notice: said.notice,
        profile_error: said.profile_error,
        password_error: said.password_error,
        min_password: accounts::MIN_PASSWORD_CHARS,
    })
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    page: Page,
    token: String,
    email: String,
    role: String,
    error: Option<String>,
    existing: Existing,
}

/// Whether the invitation's address has an account already, and whether the visitor is it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Existing {
    None,
    SignInFirst,
    SignedInAsIt,
}

async fn existing_account(state: &AppState, ctx: &Ctx, email: &str) -> AppResult<(Existing, Option<Uuid>)> {
    Ok(match accounts::find_user_by_email(&state.db, email).await? {
        None => (Existing::None, None),
        Some(user) if ctx.user_id() == Some(user.id) => (Existing::SignedInAsIt, Some(user.id)),
        Some(user) => (Existing::SignInFirst, Some(user.id)),
    })
}

pub async fn show_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    let invitation =
        accounts::find_invitation(&state.db, &token).await?.filter(|i| i.is_open()).ok_or(AppError::NotFound)?;
    let (existing, _) = existing_account(&state, &ctx, &invitation.email).await?;
    let page = Page::titled(&ctx, "invitation-title");
    let role = vocab(ctx.lang, "role", Some(&invitation.role));
    render(&InvitationPage { page, token, email: invitation.email, role, error: None, existing })
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<NewAccountForm>,
) -> AppResult<Response> {
    let invitation =
        accounts::find_invitation(&state.db, &token).await?.filter(|i| i.is_open()).ok_or(AppError::NotFound)?;
    // An invitation to an address that has an account adds the role to that account, and only
    // for someone signed in as it: the link alone never signs anybody in.
    match existing_account(&state, &ctx, &invitation.email).await? {
        (Existing::SignedInAsIt, Some(user)) => {
            accounts::accept_invitation_as(&state.db, &token, user).await?;
            return Ok(Redirect::to("/me").into_response());
        }
        (Existing::SignInFirst, _) => {
            let page = Page::titled(&ctx, "invitation-title");
            let role = vocab(ctx.lang, "role", Some(&invitation.role));
            let error = Some(page.t("invitation-existing-sign-in"));
            let existing = Existing::SignInFirst;
            let body = render(&InvitationPage { page, token, email: invitation.email, role, error, existing })?;
            return Ok((StatusCode::FORBIDDEN, body).into_response());
        }
        _ => {}
    }
    let page = Page::titled(&ctx, "invitation-title");
    let problem = password_problem(&page, &form.password, &form.password_again)
        .or_else(|| form.display_name.trim().is_empty().then(|| page.t("invitation-name-required")));
    if let Some(error) = problem {
        let role = vocab(ctx.lang, "role", Some(&invitation.role));
        let existing = Existing::None;
        let body =
            render(&InvitationPage { page, token, email: invitation.email, role, error: Some(error), existing })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let hash = hash_in_background(&state, form.password).await?;
    let user = accounts::accept_invitation(&state.db, &token, &form.display_name, &hash).await?;
    let session = accounts::create_session(&state.db, user).await?;
    let names = cookie_names(&state.config);
    let jar = jar.add(cookie(&state.config, names.session, session, accounts::SESSION_LIFETIME));
    Ok((jar, Redirect::to("/me")).into_response())
}

fn password_problem(page: &Page, password: &str, again: &str) -> Option<String> {
    if password != again {
        return Some(page.t("password-mismatch"));
    }
    if password.chars().count() < accounts::MIN_PASSWORD_CHARS {
        return Some(i18n::t_args(
            page.lang,
            "password-too-short",
            &[("min", FluentValue::from(accounts::MIN_PASSWORD_CHARS))],
        ));
    }
    None
}

async fn hash_in_background(state: &AppState, password: String) -> AppResult<String> {
    state.with_password_hashing(move || accounts::hash_password(&password)).await?.map_err(AppError::from)
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    page: Page,
    sent: bool,
}

pub async fn show_forgot_password(ctx: Ctx) -> AppResult<Html<String>> {
    render(&ForgotPage { page: Page::titled(&ctx, "forgot-title"), sent: false })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// Answers the same whether or not the account exists; the link goes through the outbox.
pub async fn request_password_reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ForgotForm>,
) -> AppResult<Html<String>> {
    if !accounts::take(&state.db, &format!("reset:{}", ctx.client), accounts::RESET_PER_ADDRESS).await?.allowed {
        return Err(AppError::TooManyRequests);
    }
    let user = accounts::find_user_by_email(&state.db, &form.email).await?.filter(|u| u.active);
    // Per account, quietly: the answer stays the same, so it tells nobody the account exists.
    let user = match user {
        Some(u)
            if accounts::take(&state.db, &format!("reset-account:{}", u.id), accounts::RESET_PER_ACCOUNT)
                .await?
                .allowed =>
        {
            Some(u)
        }
        _ => None,
    };
    if let Some(user) = user {
        let lang = user.language.as_deref().and_then(Lang::parse).unwrap_or(ctx.lang);
        let mut tx = state.db.begin().await?;
        let token = accounts::create_password_reset(&mut tx, user.id).await?;
        let link = format!("{}/password/reset/{token}", state.config.public_url);
        let body =
            i18n::t_args(lang, "mail-reset-body", &[("name", user.display_name.clone().into()), ("link", link.into())]);
        kaigi_db::outbox::enqueue(&mut tx, &user.email, &i18n::t(lang, "mail-reset-subject"), &body).await?;
        tx.commit().await?;
    }
    render(&ForgotPage { page: Page::titled(&ctx, "forgot-title"), sent: true })
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    page: Page,
    token: String,
    error: Option<String>,
}

pub async fn show_password_reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    accounts::password_reset_user(&state.db, &token).await?.ok_or(AppError::NotFound)?;
    render(&ResetPage { page: Page::titled(&ctx, "reset-title"), token, error: None })
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
    password_again: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    accounts::password_reset_user(&state.db, &token).await?.ok_or(AppError::NotFound)?;
    let page = Page::titled(&ctx, "reset-title");
    if let Some(error) = password_problem(&page, &form.password, &form.password_again) {
        let body = render(&ResetPage { page, token, error: Some(error) })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let hash = hash_in_background(&state, form.password).await?;
    accounts::use_password_reset(&state.db, &token, &hash).await?;
    Ok(Redirect::to("/login?done=password-reset").into_response())
}
