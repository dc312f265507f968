//! TestApp: a fresh database per test, the real router, and a cookie-keeping client that
//! talks to it in-process.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kaigi_db::Db;
use kaigi_web::{AppState, Config};
use tower::ServiceExt;

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    /// What the handlers share, for work the server does beside requests (webhook deliveries).
    pub state: AppState,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh, migrated database: a temporary SQLite file, or a new schema in the PostgreSQL
/// database named by KAIGI_TEST_DATABASE_URL.
pub async fn fresh_db() -> (Db, Option<tempfile::TempDir>) {
    match std::env::var("KAIGI_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin = Db::connect_postgres(&url, None).await.expect("PostgreSQL for tests");
            if let Db::Postgres(pool) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("create schema {schema}")))
                    .execute(pool)
                    .await
                    .expect("create schema");
            }
            admin.close().await;
            let db = Db::connect_postgres(&url, Some(&schema)).await.expect("connect to test schema");
            db.migrate().await.expect("migrate");
            (db, None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("kaigi.db");
            let db = Db::connect(path.to_str().expect("utf-8 path")).await.expect("open SQLite");
            db.migrate().await.expect("migrate");
            (db, Some(dir))
        }
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        let (db, dir) = fresh_db().await;
        // Solvers on pages count steps, not milliseconds: the same answer however loaded the
        // machine (a wall-clock preview once moved five sessions for one clash under load).
        let config = Config { solver_budget: Some(kaigi_core::budget::Budget::Steps(50_000)), ..Config::local(0) };
        let state = AppState::new(db.clone(), config).await.expect("state");
        Self { router: kaigi_web::router(state.clone()), state, db, _dir: dir }
    }

    /// With a configuration of its own (e.g. behind a trusted proxy).
    pub async fn spawn_with(config: Config) -> Self {
        let (db, dir) = fresh_db().await;
        let state = AppState::new(db.clone(), config).await.expect("state");
        Self { router: kaigi_web::router(state.clone()), state, db, _dir: dir }
    }

    /// With the demo forum loaded.
    pub async fn with_demo() -> Self {
        let app = Self::spawn().await;
        let forum = kaigi_core::demo::generate(2026);
        kaigi_db::demo::seed(&app.db, &forum).await.expect("seed demo");
        app
    }

    /// The one number a `select count(*) …` answers.
    pub async fn count(&self, sql: &'static str) -> i64 {
        kaigi_db::on_db!(&self.db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).expect(sql)
    }

    pub fn client(&self) -> Client {
        Client { router: self.router.clone(), cookies: HashMap::new(), accept_language: None }
    }

    /// A client signed in with a demo account.
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut client = self.client();
        let response = client.login(email, kaigi_core::demo::DEMO_PASSWORD).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "login as {email}: {}", response.body);
        client
    }
}

pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub accept_language: Option<String>,
}

#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as it came, for files that are not text (a PDF).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Client {
    /// A client of another router: a second instance on the same database.
    pub fn new(router: Router) -> Self {
        Client { router, cookies: HashMap::new(), accept_language: None }
    }

    pub async fn send(&mut self, request: Request<Body>) -> Answer {
        let mut request = request;
        if !self.cookies.is_empty() {
            let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            request.headers_mut().insert(header::COOKIE, cookie.parse().expect("cookie header"));
        }
        if let Some(lang) = &self.accept_language {
            request.headers_mut().insert(header::ACCEPT_LANGUAGE, lang.parse().expect("header"));
        }
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().expect("ascii cookie");
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024).await.expect("body");
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    /// The CSRF token the server puts in this client's forms.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/login").await;
        extract_csrf(&page.body).expect("a csrf field on /login")
    }

    /// Posts a form with this client's valid CSRF token.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &token)];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Sends a form with this client's valid CSRF token by any method (PUT routes of the API
    /// take a session and its token as POST routes do).
    pub async fn send_form(&mut self, method: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
        if method == "POST" {
            return self.post_form(path, fields).await;
        }
        let token = self.csrf().await;
        let body = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-csrf-token", token)
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Posts a multipart form (the CSRF token in the query string, as the pages send it):
    /// `(name, file name, content)` per field.
    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Answer {
        let token = self.csrf().await;
        let boundary = "kaigi-test-boundary-7f3a";
        let mut body: Vec<u8> = Vec::new();
        for (name, file, content) in fields {
            let disposition = match file {
                Some(f) => {
                    format!("form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream")
                }
                None => format!("form-data; name=\"{name}\""),
            };
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let separator = if path.contains('?') { '&' } else { '?' };
        let request = Request::post(format!("{path}{separator}csrf={}", encode(&token)))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Answer {
        self.post_form("/login", &[("email", email), ("password", password)]).await
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

pub fn encode(s: &str) -> String {
    kaigi_web::auth::form_urlencoded_component(s).replace('/', "%2F")
}

/// The demo accounts, one per role the route table distinguishes.
pub const ADMIN: &str = "secretariat@kaigi.example";
pub const SECRETARIAT: &str = "edition-secretariat@kaigi.example";
pub const EVALUATOR: &str = "evaluator01@kaigi.example";
pub const ORGANISER: &str = "organiser@kaigi.example";
pub const COMMITTEE_MEMBER: &str = "chair@kaigi.example";
pub const PARTICIPANT: &str = "participant@kaigi.example";

/// Runs the kaigi binary on the SQLite file `db`: exit code, stdout, stderr.
pub fn kaigi_on(db: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kaigi"))
        .args(["--db", db])
        .args(args)
        .env_remove("KAIGI_DATABASE_URL")
        .env("RUST_LOG", "off")
        .output()
        .expect("run kaigi");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// One `<form>` of a page, with the fields a browser would send if the user pressed its
/// first submit button without typing anything.
#[derive(Debug, Clone)]
pub struct PageForm {
    /// The action without its query string (multipart forms carry the CSRF token there).
    pub action: String,
    pub multipart: bool,
    pub fields: Vec<(String, String)>,
    /// Submit buttons with a name: pressing one sends its value.
    pub buttons: Vec<(String, String)>,
    /// Every value a radio button, checkbox or select offers, by field name.
    pub choices: Vec<(String, String)>,
}

impl PageForm {
    /// Sets a field as a user would type or choose it: replaces the value the page gave it.
    pub fn set(&mut self, name: &str, value: &str) {
        self.fields.retain(|(n, _)| n != name);
        self.fields.push((name.to_owned(), value.to_owned()));
    }

    /// The first non-empty value the form offers for a field (a user's first choice).
    pub fn first_choice(&self, name: &str) -> Option<&str> {
        self.choices.iter().find(|(n, v)| n == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The forms of a page kaigi rendered. Deliberately narrow: it reads the markup kaigi's own
/// templates write (quoted attributes, escaped text), which is all the tests need of it.
pub fn forms_of(html: &str) -> Vec<PageForm> {
    let mut forms = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<form") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let attributes = attributes_of(&after[5..open_end]);
        let end = after.find("</form>").unwrap_or(after.len());
        let inner = &after[open_end + 1..end];
        let get = |name: &str| attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        if get("method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
            let action = get("action").unwrap_or_default();
            let mut form = PageForm {
                action: action.split('?').next().unwrap_or_default().to_owned(),
                multipart: get("enctype").is_some_and(|e| e == "multipart/form-data"),
                fields: Vec::new(),
                buttons: Vec::new(),
                choices: Vec::new(),
            };
            read_fields(inner, &mut form);
            forms.push(form);
        }
        rest = &after[end.min(after.len())..];
        if end == after.len() {
            break;
        }
    }
    forms
}

fn read_fields(inner: &str, form: &mut PageForm) {
    let PageForm { fields, buttons, choices, .. } = form;
    let mut at = 0;
    while let Some(offset) = inner[at..].find('<') {
        let tag_start = at + offset;
        let tag = &inner[tag_start..];
        let Some(close) = tag.find('>') else { break };
        let name_end = tag[1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(close, |i| i + 1);
        let element = tag[1..name_end].to_ascii_lowercase();
        let attributes = attributes_of(&tag[name_end..close]);
        let get = |name: &str| attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let has = |name: &str| attributes.iter().any(|(n, _)| n == name);
        at = tag_start + close + 1;
        let Some(name) = get("name") else { continue };
        if has("disabled") {
            continue;
        }
        match element.as_str() {
            "input" => {
                let kind = get("type").unwrap_or_else(|| "text".into()).to_ascii_lowercase();
                match kind.as_str() {
                    "submit" => buttons.push((name, get("value").unwrap_or_default())),
                    "button" | "reset" | "image" | "file" => {}
                    "checkbox" | "radio" => {
                        choices.push((name.clone(), get("value").unwrap_or_else(|| "on".into())));
                        if has("checked") {
                            fields.push((name, get("value").unwrap_or_else(|| "on".into())));
                        }
                    }
                    _ => fields.push((name, get("value").unwrap_or_default())),
                }
            }
            "textarea" => {
                let end = inner[at..].find("</textarea>").map_or(inner.len(), |i| at + i);
                let text = &inner[at..end];
                // A browser drops the newline right after the opening tag.
                let text = text.strip_prefix("\r\n").or_else(|| text.strip_prefix('\n')).unwrap_or(text);
                fields.push((name, unescape(text)));
                at = end;
            }
            "select" => {
                let end = inner[at..].find("</select>").map_or(inner.len(), |i| at + i);
                let options: Vec<(String, bool)> = inner[at..end]
                    .split("<option")
                    .skip(1)
                    .map(|o| {
                        let open = &o[..o.find('>').unwrap_or(o.len())];
                        let attrs = attributes_of(open);
                        let text = o[open.len()..].trim_start_matches('>');
                        let text = text.split('<').next().unwrap_or_default().trim();
                        let value =
                            attrs.iter().find(|(n, _)| n == "value").map_or_else(|| unescape(text), |(_, v)| v.clone());
                        (value, attrs.iter().any(|(n, _)| n == "selected"))
                    })
                    .collect();
                choices.extend(options.iter().map(|(v, _)| (name.clone(), v.clone())));
                let multiple = has("multiple");
                let chosen: Vec<&(String, bool)> = options.iter().filter(|(_, s)| *s).collect();
                if multiple {
                    fields.extend(chosen.iter().map(|(v, _)| (name.clone(), v.clone())));
                } else if let Some((value, _)) = chosen.first().copied().or(options.first()) {
                    fields.push((name, value.clone()));
                }
                at = end;
            }
            "button" if get("type").is_none_or(|t| t.eq_ignore_ascii_case("submit")) => {
                buttons.push((name, get("value").unwrap_or_default()));
            }
            _ => {}
        }
    }
}

/// `name="value"` pairs of a tag; a bare attribute (`checked`) has an empty value.
fn attributes_of(tag: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut rest = tag.trim_start();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace() || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        if let Some(after) = rest.strip_prefix('=') {
            let quote = after.chars().next().unwrap_or('"');
            let (value, tail) = if quote == '"' || quote == '\'' {
                let body = &after[1..];
                let end = body.find(quote).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or_default())
            } else {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            attributes.push((name, unescape(value)));
            rest = tail;
        } else if !name.is_empty() {
            attributes.push((name, String::new()));
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    attributes
}

/// Undoes the escaping kaigi's templates apply (named and numeric character references).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(semi) = tail.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A GET (or another method) with a bearer token and nothing else: no cookie, no CSRF token.
pub async fn with_token(app: &TestApp, method: &str, path: &str, token: &str, lang: Option<&str>) -> Answer {
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    if let Some(lang) = lang {
        request.headers_mut().insert("accept-language", lang.parse().unwrap());
    }
    app.client().send(request).await
}

/// A request with a bearer token and a JSON body.
pub async fn with_token_json(app: &TestApp, method: &str, path: &str, token: &str, body: serde_json::Value) -> Answer {
    let request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    app.client().send(request).await
}

/// What a reader sees of a page: its text outside tags, scripts and styles (attribute values,
/// such as a form's hidden placements, are not shown).
pub fn visible_text(html: &str) -> String {
    let mut source = html.to_owned();
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        while let Some(at) = source.find(open) {
            let end = source[at..].find(close).map_or(source.len(), |e| at + e + close.len());
            source.replace_range(at..end, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in source.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}
