//! Errors as the user sees them. 5xx details are logged, never shown; everything else says
//! what was wrong in words the user can act on. Pages answer in HTML, the API in JSON.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaigi_core::problem::Problem;
use kaigi_db::DbError;

use crate::i18n::{self, Lang};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("the form expired or came from another site")]
    Csrf,
    #[error("too many failed sign-ins; wait a few minutes")]
    TooManyAttempts,
    /// A throttled action (sign-up, password reset, invitations…) asked for too often.
    #[error("too many requests; wait a while")]
    TooManyRequests,
    /// What was sent is refused: every problem at once, each a message key with its
    /// arguments, said in the reader's language from the locale files.
    #[error("{}", english(.0))]
    Refused(Vec<Problem>),
    #[error("request body too large")]
    TooLarge,
    /// A file over the limit of its form, refused before it was read to the end.
    #[error("the file is larger than {limit} bytes")]
    FileTooLarge { limit: usize },
    #[error("internal error: {0}")]
    Internal(String),
    /// An API token that is unknown, expired or revoked (or an Authorization header that is
    /// not a bearer token).
    #[error("the API token is not valid")]
    TokenInvalid,
    /// A read-only API token sent with a request that writes.
    #[error("the API token may only read")]
    TokenReadOnly,
    /// The PDF minutes need a Japanese font this server does not have (the log and the
    /// start-up message say which were looked for).
    #[error("no Japanese font for PDF: {0}")]
    NoPdfFont(String),
}

tokio::task_local! {
    /// The language of the request being answered, for errors made far from it (the API's
    /// JSON errors say their message in the reader's language).
    pub static REQUEST_LANG: Lang;
}

pub type AppResult<T> = Result<T, AppError>;

/// Refusals that say the object is not in a state for this request (rather than that the
/// request is malformed): the API answers them 409 Conflict.
pub const STATE_CONFLICTS: &[&str] = &[
    "error-conflict",
    "error-publish-unchanged",
    "error-publish-empty",
    "minutes-state-refused",
    "minutes-approved-locked",
    "error-evaluation-submitted",
    "error-decide-status",
    "error-decide-merged",
    "error-decide-in-programme",
    "error-webhook-many",
    "error-call-not-open",
    "error-call-closed",
    "error-proposal-decided",
    "error-proposal-status",
    // Already on the proposal in that role: it exists, as a second POST of the same would find.
    "error-proposal-person-twice",
    "error-poll-closed",
    "error-poll-slots",
    // The call's pool, conflicts or assignment make the request impossible as things stand.
    "error-assignment-unsolved",
    "error-assignment-stale",
    "error-assign-declared-conflict",
    "conflict-on-the-proposal",
    "conflict-same-organisation",
    "conflict-declared",
    // Places already taken hold confirmations.
    "error-capacity-below-taken",
    "error-signup-keep",
    "error-publish-statistics-empty",
    // A setup that would remove what the programme or proposals use.
    "error-setup-day-in-use",
    "error-setup-room-in-use",
    "error-setup-label-in-use",
    "error-rubric-locked",
    "error-seating-frozen",
    "error-organisation-exists",
    "error-merge-merged",
    "error-uninvite-seated",
    "error-roundtable-pinned-over",
    // A meeting of that number exists already in the series.
    "error-meeting-number-taken",
    "error-screening-before-deadline",
];

/// Refusals that name an object (in a body) that does not exist where it is named: the API
/// answers them 404, as it does an object in the path, with the problem saying which.
pub const NOT_FOUND_KEYS: &[&str] = &[
    "error-decide-unknown",
    "error-badge-unknown",
    "error-poll-slot-unknown",
    "error-poll-not-member",
    "error-not-an-evaluator",
    "error-session-unknown",
    "error-room-unknown",
    "error-series-unknown",
    "error-person-unknown",
    "error-organisation-unknown",
    "error-rapporteur-not-seated",
];

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated | AppError::TokenInvalid => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf | AppError::TokenReadOnly => StatusCode::FORBIDDEN,
            AppError::TooManyAttempts | AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge | AppError::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::NoPdfFont(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// A stable code, so clients can translate or branch on it: a refusal's own message key
    /// (the first one's, when a form had several problems), else one per kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Refused(problems) if !problems.is_empty() => problems[0].key,
            AppError::NotFound => "not-found",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::TooManyAttempts => "too-many-attempts",
            AppError::TooManyRequests => "too-many-requests",
            AppError::Refused(_) => "bad-request",
            AppError::TooLarge | AppError::FileTooLarge { .. } => "too-large",
            AppError::Internal(_) => "internal",
            AppError::TokenInvalid => "token-invalid",
            AppError::TokenReadOnly => "token-read-only",
            AppError::NoPdfFont(_) => "pdf-font-missing",
        }
    }

    /// Both languages: an error can happen before the user's language is known.
    fn messages(&self) -> (String, String) {
        match self {
            AppError::NotFound => ("Not found.".into(), "見つかりません。".into()),
            AppError::Unauthenticated => ("Please sign in.".into(), "ログインしてください。".into()),
            AppError::Forbidden => {
                ("You do not have access to this page.".into(), "このページを見る権限がありません。".into())
            }
            AppError::Csrf => (
                "The form expired or was sent from another site. Reload the page and try again.".into(),
                "フォームの有効期限が切れたか、別のサイトから送信されました。ページを再読み込みしてやり直してください。".into(),
            ),
            AppError::TooManyAttempts => (
                "Too many failed sign-ins. Wait 15 minutes and try again.".into(),
                "ログインの失敗が続いたため、15 分ほど待ってから再度お試しください。".into(),
            ),
            AppError::TooManyRequests => (
                "This has been asked for too often. Wait an hour and try again.".into(),
                "短時間に繰り返し要求されました。1 時間ほど待ってから再度お試しください。".into(),
            ),
            AppError::Refused(problems) => {
                let all = |lang| problems.iter().map(|p| localize(lang, p.key, &p.args)).collect::<Vec<_>>().join(" ");
                (all(Lang::En), all(Lang::Ja))
            }
            AppError::TooLarge => ("The upload is too large.".into(), "アップロードが大きすぎます。".into()),
            AppError::FileTooLarge { limit } => {
                let mib = *limit as f64 / (1024.0 * 1024.0);
                let mib = if mib.fract() == 0.0 { format!("{mib:.0}") } else { format!("{mib:.1}") };
                let args = [("mib", mib)];
                (localize(Lang::En, "error-file-too-large", &args), localize(Lang::Ja, "error-file-too-large", &args))
            }
            AppError::Internal(_) => (
                "Something went wrong on our side; it has been logged.".into(),
                "サーバー側で問題が発生しました。記録済みです。".into(),
            ),
            AppError::TokenInvalid => (
                "The API token is unknown, expired or revoked. Send a valid one as \"Authorization: Bearer <token>\".".into(),
                "API トークンが無効です（不明・期限切れ・失効済み）。有効なトークンを「Authorization: Bearer <トークン>」で送ってください。".into(),
            ),
            AppError::TokenReadOnly => (
                "This API token may only read; make a token with the write scope to change anything.".into(),
                "この API トークンは読み取り専用です。変更には書き込みスコープのトークンを作成してください。".into(),
            ),
            AppError::NoPdfFont(_) => (
                "The PDF cannot be made: this server has no Japanese font. The Markdown and HTML exports work; \
                 the administrator can install Debian's fonts-ipaexfont or fonts-noto-cjk, or set KAIGI_PDF_FONT."
                    .into(),
                "日本語フォントがサーバーにないため PDF を作成できません。Markdown と HTML の書き出しは利用できます。\
                 管理者は fonts-ipaexfont または fonts-noto-cjk をインストールするか、KAIGI_PDF_FONT を設定してください。"
                    .into(),
            ),
        }
    }

    /// The message in one language, for pages that show a refusal next to the form.
    pub fn message(&self, lang: Lang) -> String {
        let (en, ja) = self.messages();
        match lang {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }

    /// A refusal by its Fluent key; arguments are added with [`AppError::with`]. Its English
    /// comes from the locale file when it is shown, once the arguments are known.
    pub fn refused(key: &'static str) -> Self {
        AppError::Refused(vec![Problem::new(key, String::new())])
    }

    /// A form value the page itself writes (a hidden field, a select's option) came back
    /// unreadable: the form was altered or is out of date.
    pub fn form_tampered(field: &'static str) -> Self {
        AppError::refused("error-form-value").with("field", field)
    }

    /// `field` should hold a whole number.
    pub fn not_a_number(field: &'static str, value: &str) -> Self {
        AppError::refused("error-field-number").with("field", field).with("value", value)
    }

    /// `field` should hold one of the values the form offers.
    pub fn not_a_choice(field: &'static str, value: &str) -> Self {
        AppError::refused("error-field-choice").with("field", field).with("value", value)
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        if let AppError::Refused(problems) = &mut self
            && let Some(last) = problems.last_mut()
        {
            last.args.push((name, value.to_string()));
        }
        self
    }

    fn log(&self) {
        match self {
            AppError::Internal(detail) => tracing::error!(%detail, "internal error"),
            AppError::NoPdfFont(detail) => tracing::error!(%detail, "PDF asked for without a Japanese font"),
            _ => {}
        }
    }

    /// The JSON form used by the API, its message in the request's language.
    pub fn into_json(self) -> Response {
        self.log();
        let lang = REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default();
        let message = self.message(lang);
        let mut error = serde_json::json!({"code": self.code(), "message": message});
        // Every problem of a form, each with its own code and words, and the field it concerns.
        if let AppError::Refused(problems) = &self {
            error["problems"] = problems
                .iter()
                .map(|p| {
                    let arg = |wanted: &str| p.args.iter().find(|(name, _)| *name == wanted).map(|(_, v)| v.clone());
                    let mut problem =
                        serde_json::json!({"code": p.key, "message": localize(lang, p.key, &p.args), "field": arg("field")});
                    // Where in a document sent whole (an edition's setup: "rooms[2].capacity").
                    if let Some(path) = arg("path") {
                        problem["path"] = path.into();
                    }
                    // In a list of many (bulk decisions): which entry, from 0, and its object.
                    if let Some(position) = arg("position").and_then(|v| v.parse::<u64>().ok()) {
                        problem["position"] = position.into();
                        problem["object"] = arg("proposal").into();
                    }
                    problem
                })
                .collect();
        }
        let body = serde_json::json!({ "error": error });
        // To a program, a write that the object's current state refuses is a 409 — someone
        // changed it since it was read, or it is not in a state that takes this step: read
        // again, then decide. (Pages answer 422 and show the form again with what is there now.)
        let status = match &self {
            AppError::Refused(problems) if problems.first().is_some_and(|p| STATE_CONFLICTS.contains(&p.key)) => {
                StatusCode::CONFLICT
            }
            AppError::Refused(problems) if problems.first().is_some_and(|p| NOT_FOUND_KEYS.contains(&p.key)) => {
                StatusCode::NOT_FOUND
            }
            _ => self.status(),
        };
        let mut response = (status, Json(body)).into_response();
        if matches!(self, AppError::TokenInvalid) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"kaigi\", error=\"invalid_token\""),
            );
        }
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let (en, ja) = self.messages();
        let status = self.status();
        let page = format!(
            "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{code} — kaigi</title><link rel=\"stylesheet\" href=\"/static/kaigi.css\"></head><body><main class=\"error-page\">\
             <h1>{code}</h1><p lang=\"ja\">{ja}</p><p lang=\"en\">{en}</p><p><a href=\"/\">kaigi</a></p></main></body></html>",
            code = status.as_u16(),
            ja = html_escape(&ja),
            en = html_escape(&en),
        );
        (status, Html(page)).into_response()
    }
}

/// A refusal's words in `lang`. An argument named `field` is a form field's code, shown by its
/// label (`label-…` in the locale files); one named `status` or `to` is a status code, shown by
/// its name (`status-…`). Codes without a label are shown as they are.
pub fn localize(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let label = |code: &str| {
        let key = format!("label-{}", code.replace('.', "-"));
        match code.strip_prefix("answers.") {
            _ if i18n::has(lang, &key) => i18n::t(lang, &key),
            // A call's own question, by its id.
            Some(question) => format!("{} ({question})", i18n::t(lang, "label-answers")),
            None => code.to_owned(),
        }
    };
    let shown: Vec<(&str, String)> = args
        .iter()
        .map(|(name, value)| {
            if *name == "fields" {
                let separator = if lang == Lang::Ja { "、" } else { ", " };
                return (*name, value.split(", ").map(label).collect::<Vec<_>>().join(separator));
            }
            let label_key = match *name {
                "field" => format!("label-{}", value.replace('.', "-")),
                "status" | "to" => format!("status-{value}"),
                _ => String::new(),
            };
            if i18n::has(lang, &label_key) { (*name, i18n::t(lang, &label_key)) } else { (*name, value.clone()) }
        })
        .collect();
    let values: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
        shown.iter().map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.as_str()))).collect();
    let text = i18n::t_args(lang, key, &values);
    // Where in a larger document (a day, a room, a line) comes first, as a reader scans for it.
    match args.iter().find(|(name, _)| *name == "where") {
        Some((_, place)) if lang == Lang::Ja => format!("{place}：{text}"),
        Some((_, place)) => format!("{place}: {text}"),
        None => text,
    }
}

/// Refusals in English for the log, from the locale file.
fn english(problems: &[Problem]) -> String {
    problems.iter().map(|p| localize(Lang::En, p.key, &p.args)).collect::<Vec<_>>().join(" ")
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl From<kaigi_core::directory::DirectoryError> for AppError {
    fn from(e: kaigi_core::directory::DirectoryError) -> Self {
        DbError::from(e).into()
    }
}

impl From<kaigi_core::directory::UnknownCode> for AppError {
    fn from(e: kaigi_core::directory::UnknownCode) -> Self {
        DbError::from(e).into()
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound(_) => AppError::NotFound,
            DbError::Refused(problems) => AppError::Refused(problems),
            DbError::Conflict { entity } => AppError::refused("error-conflict").with("entity", entity),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn json_of(error: AppError) -> (StatusCode, serde_json::Value) {
        let response = error.into_json();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        (status, serde_json::from_slice(&bytes).expect("json"))
    }

    #[tokio::test]
    async fn a_refusal_is_coded_by_its_message_key() {
        let (status, body) = json_of(DbError::empty("title").into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["code"], "error-field-empty");
        let problems = vec![
            Problem::new("error-field-empty", "title: must not be empty").with("field", "title"),
            Problem::out_of_range("minutes", 900, 15, 480),
        ];
        let (_, body) = json_of(AppError::Refused(problems)).await;
        assert_eq!(body["error"]["code"], "error-field-empty");
        assert_eq!(body["error"]["problems"][1]["field"], "minutes");
        assert_eq!(body["error"]["problems"].as_array().map(Vec::len), Some(2));
    }

    #[tokio::test]
    async fn an_internal_fault_is_a_500_that_tells_no_detail() {
        let (status, body) = json_of(DbError::Internal("stored JSON unreadable: secret detail".into()).into()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"]["code"], "internal");
        assert!(!body.to_string().contains("secret detail"));
        assert!(!DbError::Internal(String::new()).is_refusal());
    }
}
