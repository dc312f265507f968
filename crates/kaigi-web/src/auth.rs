//! Who is asking, and may they: server-side sessions, CSRF tokens, the language, and the one
//! permission check every route goes through ([`require`]).

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams, Request, State};
use axum::http::{HeaderValue, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use kaigi_core::access::{Permission, Principal, permits};
use kaigi_db::accounts::{self, User};
use sha2::Sha256;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::need::Need;
use crate::{AppState, Config};

/// The largest form body kaigi reads (uploads have their own, larger limit).
pub const FORM_LIMIT: usize = 1024 * 1024;

/// Everything a handler needs to know about the request's sender.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub principal: Principal,
    pub user: Option<User>,
    pub lang: Lang,
    /// The token every form of this page carries.
    pub csrf: String,
    /// The path and query of the request, for "back to where I was" links.
    pub path: String,
    /// The client's address, for rate limiting.
    pub client: String,
    /// Sent with a personal API token of this scope (not a browser session).
    pub token: Option<kaigi_core::access::TokenScope>,
}

impl Ctx {
    pub fn user_id(&self) -> Option<Uuid> {
        self.user.as_ref().map(|u| u.id)
    }

    /// The actor recorded in the audit log for changes made in this request.
    pub fn actor(&self) -> kaigi_db::Actor {
        match &self.user {
            Some(u) => kaigi_db::Actor::user(u.id, &u.email),
            None => kaigi_db::Actor::system("anonymous"),
        }
    }

    pub fn can(&self, permission: &Permission) -> bool {
        permits(&self.principal, permission)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or(AppError::Internal("request context missing".into()))
    }
}

pub struct CookieNames {
    pub session: &'static str,
    pub csrf: &'static str,
}

pub fn cookie_names(config: &Config) -> CookieNames {
    if config.secure_cookies {
        CookieNames { session: "__Host-kaigi_session", csrf: "__Host-kaigi_csrf" }
    } else {
        CookieNames { session: "kaigi_session", csrf: "kaigi_csrf" }
    }
}

pub const LANG_COOKIE: &str = "kaigi_lang";

/// A cookie with kaigi's flags: HttpOnly, SameSite=Lax, Path=/, Secure behind HTTPS.
pub fn cookie(config: &Config, name: &'static str, value: String, max_age: time::Duration) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(config.secure_cookies);
    c.set_max_age(max_age);
    c
}

fn csrf_token(secret: &[u8], cookie_value: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(b"hmac accepts keys of any length").expect("constant key")
    });
    mac.update(b"kaigi-csrf:");
    mac.update(cookie_value.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Builds the [`Ctx`] of every request and checks the CSRF token of every state-changing one.
pub async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let asked = header_lang(&req);
    let built = crate::error::REQUEST_LANG.scope(asked, build_context(&state, req)).await;
    match built {
        Ok((req, new_csrf_cookie)) => {
            let lang = req.extensions().get::<Ctx>().map_or(asked, |c| c.lang);
            let mut response = crate::error::REQUEST_LANG.scope(lang, next.run(req)).await;
            if api {
                response = crate::error::REQUEST_LANG.scope(lang, json_errors(response)).await;
            }
            // A page the handler marked public (the same for every anonymous reader) carries
            // no cookie, so a cache in front of kaigi may keep it.
            let shared = response
                .headers()
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("public"));
            if let Some(cookie) = new_csrf_cookie
                && !shared
                && let Ok(value) = HeaderValue::from_str(&cookie.to_string())
            {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(e) if api => crate::error::REQUEST_LANG.sync_scope(asked, || e.into_json()),
        Err(e) => e.into_response(),
    }
}

/// Every API error is `{"error": {"code", "message"}}`, also those made before a handler ran
/// (a query string or body the extractors could not read, a method the path does not have).
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if content_type.starts_with("application/json") || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let code = match status.as_u16() {
        400 | 422 => "bad-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        413 => "too-large",
        415 => "unsupported-media-type",
        429 => "too-many-requests",
        500..=599 => "internal",
        _ => "error",
    };
    // An extractor's rejection says in plain text what it could not read; otherwise the
    // words kaigi has for the status, in the reader's language.
    let lang = crate::error::REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default();
    let known = match status.as_u16() {
        401 => Some(AppError::Unauthenticated),
        403 => Some(AppError::Forbidden),
        404 => Some(AppError::NotFound),
        413 => Some(AppError::TooLarge),
        429 => Some(AppError::TooManyRequests),
        500..=599 => Some(AppError::Internal(String::new())),
        _ => None,
    };
    let message = match known {
        Some(error) => error.message(lang),
        None if content_type.starts_with("text/plain") && !text.is_empty() => text,
        None => status.canonical_reason().unwrap_or("error").to_owned(),
    };
    let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// The language a request asks for before anyone is known: its cookie, else Accept-Language.
fn header_lang(req: &Request) -> Lang {
    CookieJar::from_headers(req.headers())
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Requests per minute one API token may make, on all instances together.
const API_PER_TOKEN: accounts::Limit = accounts::Limit { allowed: 1200, window: time::Duration::minutes(1) };

/// A program with a personal API token: it acts for the token's holder with their roles,
/// without cookies — and so without a CSRF token, which guards what a browser sends on its
/// own; a token is never sent by a browser unasked.
async fn token_context(state: &AppState, req: Request) -> Result<(Request, Option<Cookie<'static>>), AppError> {
    let secret = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AppError::TokenInvalid)?;
    let (token, holder, scope) = kaigi_db::tokens::holder(&state.db, secret).await?.ok_or(AppError::TokenInvalid)?;
    if !accounts::take(&state.db, &format!("api-token:{token}"), API_PER_TOKEN).await?.allowed {
        return Err(AppError::TooManyRequests);
    }
    let lang = holder.user.language.as_deref().and_then(Lang::parse).unwrap_or_else(|| header_lang(&req));
    let client = client_address(&state.config, req.headers(), req.extensions().get::<ConnectInfo<SocketAddr>>());
    let path = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let principal = Principal { user_id: Some(holder.user.id.to_string()), grants: holder.grants };
    let mut req = req;
    req.extensions_mut().insert(Ctx {
        principal,
        user: Some(holder.user),
        lang,
        csrf: String::new(),
        path,
        client,
        token: Some(scope),
    });
    Ok((req, None))
}

async fn build_context(state: &AppState, req: Request) -> Result<(Request, Option<Cookie<'static>>), AppError> {
    if is_api(req.uri().path()) && req.headers().contains_key(header::AUTHORIZATION) {
        return token_context(state, req).await;
    }
    let names = cookie_names(&state.config);
    let jar = CookieJar::from_headers(req.headers());
    let session = match jar.get(names.session) {
        Some(c) => accounts::session_user(&state.db, c.value()).await?,
        None => None,
    };
    let (csrf_cookie_value, new_cookie) = match jar.get(names.csrf) {
        Some(c) if c.value().len() >= 32 => (c.value().to_owned(), None),
        _ => {
            let (value, _) = accounts::new_token();
            let c = cookie(&state.config, names.csrf, value.clone(), time::Duration::days(365));
            (value, Some(c))
        }
    };
    let csrf = csrf_token(&state.secret, &csrf_cookie_value);
    let lang = session
        .as_ref()
        .and_then(|s| s.user.language.as_deref().and_then(Lang::parse))
        .unwrap_or_else(|| header_lang(&req));
    let client = client_address(&state.config, req.headers(), req.extensions().get::<ConnectInfo<SocketAddr>>());
    let path = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let (principal, user) = match session {
        Some(s) => (Principal { user_id: Some(s.user.id.to_string()), grants: s.grants }, Some(s.user)),
        None => (Principal::public(), None),
    };

    let mut req = req;
    // A visitor without an account switching the display language changes nothing but a
    // cookie of their own: the public pages can then be served without a CSRF cookie, and
    // so be cached. Signed in, the language is saved on the account: checked as any form.
    let anonymous_language = user.is_none() && req.uri().path() == "/language";
    // Only methods some route takes can change anything; any other (TRACE, CONNECT, …) is
    // answered 405 by the router, not refused as a forged form.
    let changes_state = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if changes_state && !anonymous_language {
        // A brand-new cookie cannot have been used to make the form: the token cannot match.
        let (parts, body) = req.into_parts();
        let (sent, body) = sent_csrf_token(&parts, body).await?;
        let valid =
            new_cookie.is_none() && sent.is_some_and(|t| accounts::constant_time_eq(t.as_bytes(), csrf.as_bytes()));
        if !valid {
            return Err(AppError::Csrf);
        }
        req = Request::from_parts(parts, body);
    }
    req.extensions_mut().insert(Ctx { principal, user, lang, csrf, path, client, token: None });
    Ok((req, new_cookie))
}

/// Finds the token in the `X-CSRF-Token` header, the `csrf` field of a urlencoded form, or the
/// `csrf` query parameter (for multipart uploads), and gives the body back untouched.
async fn sent_csrf_token(parts: &Parts, body: Body) -> Result<(Option<String>, Body), AppError> {
    if let Some(token) = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Ok((Some(token.to_owned()), body));
    }
    let query_token = parts
        .uri
        .query()
        .and_then(|q| form_urlencoded_pairs(q.as_bytes()).into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((query_token, body));
    }
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| AppError::TooLarge)?;
    let token = form_urlencoded_pairs(&bytes).into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v).or(query_token);
    Ok((token, Body::from(bytes)))
}

/// Decodes `a=1&b=2` without pulling in another crate: `+` is a space, `%XX` a byte.
pub fn form_urlencoded_pairs(input: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &[u8]) -> String {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < s.len() => {
                    match std::str::from_utf8(&s[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    input
        .split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.iter().position(|b| *b == b'=') {
            Some(eq) => (decode(&pair[..eq]), decode(&pair[eq + 1..])),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// The per-route check: resolves the route's [`Need`] against the path and asks
/// [`permits`]. Anyone refused who is not signed in is sent to the sign-in page.
pub async fn require(
    State((state, need)): State<(AppState, Need)>,
    params: RawPathParams,
    req: Request,
    next: Next,
) -> Response {
    let api = is_api(req.uri().path());
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::Internal("request context missing".into()).into_response();
    };
    // A read token on a route that writes (checked here, where the route is known: a method the
    // path does not take is the router's 405).
    if let Some(scope) = ctx.token
        && !scope.allows(req.method().as_str())
    {
        return AppError::TokenReadOnly.into_json();
    }
    let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_owned());
    let user = ctx.user.as_ref().map(|u| u.id);
    let mut resolved = Resolved::default();
    let permission = match resolve(&state, need, user, &param, &mut resolved).await {
        Ok(p) => p,
        Err(e) if api => return e.into_json(),
        Err(e) => return e.into_response(),
    };
    if ctx.can(&permission) {
        // Every object the path names must lie inside the object it is named under (a call
        // in the edition, an item in the meeting): otherwise it does not exist here.
        return match kaigi_db::scope::path_is_contained(&state.db, &param).await {
            Ok(true) => {
                let mut req = req;
                req.extensions_mut().insert(resolved);
                next.run(req).await
            }
            Ok(false) if api => AppError::NotFound.into_json(),
            Ok(false) => AppError::NotFound.into_response(),
            Err(e) if api => AppError::from(e).into_json(),
            Err(e) => AppError::from(e).into_response(),
        };
    }
    let refusal = if ctx.principal.is_signed_in() { AppError::Forbidden } else { AppError::Unauthenticated };
    match refusal {
        _ if api => refusal.into_json(),
        AppError::Unauthenticated if req.method() == Method::GET => {
            let next = form_urlencoded_component(&ctx.path);
            Redirect::to(&format!("/login?next={next}")).into_response()
        }
        other => other.into_response(),
    }
}

/// The objects the permission check read from the path, handed to the handler so that it
/// never looks them up a second time (and never sees one the check did not see).
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    pub edition: Option<kaigi_db::editions::Edition>,
    pub proposal: Option<kaigi_db::proposals::Proposal>,
}

/// One object from what the permission check resolved; a route whose check resolves no such
/// object is a mistake in the route table, answered 500 (the route tests open every route).
fn taken<T>(parts: &Parts, pick: impl FnOnce(&Resolved) -> Option<T>, what: &str) -> Result<T, AppError> {
    parts
        .extensions
        .get::<Resolved>()
        .and_then(pick)
        .ok_or_else(|| AppError::Internal(format!("the permission of this route resolves no {what}")))
}

/// The edition in the path, as the permission check found it (routes that need to manage it).
pub struct InEdition(pub kaigi_db::editions::Edition);

impl<S: Send + Sync> FromRequestParts<S> for InEdition {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        taken(parts, |r| r.edition.clone(), "an edition").map(InEdition)
    }
}

/// The proposal in the path, as the permission check found it (organiser and evaluator routes).
pub struct InProposal(pub kaigi_db::proposals::Proposal);

impl<S: Send + Sync> FromRequestParts<S> for InProposal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        taken(parts, |r| r.proposal.clone(), "a proposal").map(InProposal)
    }
}

async fn resolve(
    state: &AppState,
    need: Need,
    user: Option<Uuid>,
    param: impl Fn(&str) -> Option<String>,
    resolved: &mut Resolved,
) -> Result<Permission, AppError> {
    Ok(match need {
        Need::Public => Permission::Public,
        Need::SignedIn => Permission::SignedIn,
        Need::ViewDirectory => Permission::ViewDirectory,
        Need::ManageDirectory => Permission::ManageDirectory,
        Need::AdministerSite => Permission::AdministerSite,
        Need::ManageEdition => {
            let slug = param("edition").ok_or(AppError::NotFound)?;
            let edition = kaigi_db::editions::edition_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
            let permission = Permission::ManageEdition(edition.id.to_string());
            resolved.edition = Some(edition);
            permission
        }
        Need::MeetingInside => {
            let id = param("meeting").and_then(|c| Uuid::parse_str(&c).ok()).ok_or(AppError::NotFound)?;
            let committee = kaigi_db::meetings::committee_of(&state.db, id).await?.ok_or(AppError::NotFound)?;
            Permission::CommitteeInside(committee.to_string())
        }
        Need::PollInside => {
            let id = param("poll").and_then(|c| Uuid::parse_str(&c).ok()).ok_or(AppError::NotFound)?;
            let committee = kaigi_db::polls::committee_of(&state.db, id).await?.ok_or(AppError::NotFound)?;
            Permission::CommitteeInside(committee.to_string())
        }
        Need::OrganiseProposal | Need::EvaluateProposal => {
            let id = param("proposal").and_then(|c| Uuid::parse_str(&c).ok()).ok_or(AppError::NotFound)?;
            let proposal = kaigi_db::proposals::proposal(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let edition = proposal.edition_id.to_string();
            let permission = match (need, user) {
                (Need::OrganiseProposal, Some(u)) => Permission::OrganiseProposal {
                    edition,
                    organiser: kaigi_db::proposals::organises(&state.db, u, id).await?,
                },
                (Need::OrganiseProposal, None) => Permission::OrganiseProposal { edition, organiser: false },
                (_, Some(u)) => Permission::EvaluateProposal {
                    edition,
                    // Assigned, and not conflicted as the directory stands now.
                    assigned: kaigi_db::evaluation::may_evaluate(&state.db, &proposal, u).await?,
                },
                (_, None) => Permission::EvaluateProposal { edition, assigned: false },
            };
            resolved.proposal = Some(proposal);
            permission
        }
        Need::ReportTable => {
            let id = param("roundtable").and_then(|c| Uuid::parse_str(&c).ok()).ok_or(AppError::NotFound)?;
            let roundtable = kaigi_db::roundtables::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let number = |name: &str| param(name).and_then(|v| v.parse::<i64>().ok()).ok_or(AppError::NotFound);
            let (round, table) = (number("round")?, number("table")?);
            let rapporteur = match user {
                Some(u) => kaigi_db::roundtables::is_rapporteur(&state.db, u, id, round, table).await?,
                None => false,
            };
            Permission::ReportTable { edition: roundtable.edition_id.to_string(), rapporteur }
        }
        Need::CommitteeInside => {
            let id = param("committee").and_then(|c| Uuid::parse_str(&c).ok()).ok_or(AppError::NotFound)?;
            kaigi_db::editions::committee(&state.db, id).await?.ok_or(AppError::NotFound)?;
            Permission::CommitteeInside(id.to_string())
        }
    })
}

/// Percent-encodes a value for a query string.
pub fn form_urlencoded_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only paths of this site are followed after sign-in, never another site: a single leading
/// `/` followed by a path. Browsers drop tabs and newlines from a URL and read `\\` as `/`,
/// so `/\t/evil.example` or `/\\evil.example` would leave the site: any control character,
/// white space or backslash refuses the whole value.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The client address for rate limiting: the socket's, or, when kaigi is told to trust its
/// load balancer, the last `X-Forwarded-For` entry — the one the load balancer itself
/// appended. Entries before it are whatever the client chose to send, so they are never used.
pub fn client_address(
    config: &Config,
    headers: &axum::http::HeaderMap,
    connect: Option<&ConnectInfo<SocketAddr>>,
) -> String {
    if config.trust_proxy {
        let appended = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .and_then(|v| v.parse::<std::net::IpAddr>().ok());
        if let Some(address) = appended {
            return address.to_string();
        }
    }
    connect.map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        let pairs = form_urlencoded_pairs(b"a=1&csrf=x%2By&name=%E8%97%A4+%E4%BA%95&empty");
        assert_eq!(pairs[1], ("csrf".into(), "x+y".into()));
        assert_eq!(pairs[2], ("name".into(), "藤 井".into()));
        assert_eq!(pairs[3], ("empty".into(), String::new()));
        assert_eq!(form_urlencoded_pairs(b"bad=%G1%")[0].1, "%G1%");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/people?q=1")), "/people?q=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        for attack in
            ["/\t/evil.example/", "/\n/evil.example", "/\\evil.example", "/\\/evil.example", "/ /evil", "/\u{3000}/x"]
        {
            assert_eq!(safe_next(Some(attack)), "/", "{attack:?}");
        }
    }

    #[test]
    fn the_client_is_the_address_the_proxy_saw() {
        let mut config = Config::local(0);
        let socket = ConnectInfo(SocketAddr::from(([10, 0, 0, 5], 4000)));
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(client_address(&config, &headers, Some(&socket)), "10.0.0.5", "not trusted: the socket");
        config.trust_proxy = true;
        assert_eq!(client_address(&config, &headers, Some(&socket)), "203.0.113.9", "the hop the proxy appended");
        headers.insert("x-forwarded-for", "not an address".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(client_address(&config, &headers, Some(&socket)), "10.0.0.5", "garbage: the socket");
    }

    #[test]
    fn csrf_tokens_depend_on_secret_and_cookie() {
        let a = csrf_token(b"secret-1", "cookie");
        assert_eq!(a, csrf_token(b"secret-1", "cookie"));
        assert_ne!(a, csrf_token(b"secret-2", "cookie"));
        assert_ne!(a, csrf_token(b"secret-1", "other"));
    }
}
