//! Errors as the user sees them. 5xx details are logged, never shown; everything else says
//! what was wrong in words the user can act on. Pages answer in HTML, the API in JSON.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaigi_db::DbError;

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
    #[error("{0}")]
    BadRequest(String),
    /// A refusal with its words in both languages (a Fluent key and its arguments).
    #[error("{key}")]
    Localized { key: &'static str, args: Vec<(&'static str, String)> },
    #[error("request body too large")]
    TooLarge,
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) | AppError::Localized { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code per variant, so clients can translate or branch on it.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not-found",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::TooManyAttempts => "too-many-attempts",
            AppError::BadRequest(_) | AppError::Localized { .. } => "bad-request",
            AppError::TooLarge => "too-large",
            AppError::Internal(_) => "internal",
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
            // Checks written in the code's terms ("field: what is wrong") name the field in
            // English; the Japanese line says what happened around it.
            AppError::BadRequest(m) => (format!("This was not accepted. {m}"), format!("受け付けられませんでした。{m}")),
            AppError::Localized { key, args } => {
                let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
                    args.iter().map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.as_str()))).collect();
                (crate::i18n::t_args(crate::i18n::Lang::En, key, &args), crate::i18n::t_args(crate::i18n::Lang::Ja, key, &args))
            }
            AppError::TooLarge => ("The upload is too large.".into(), "アップロードが大きすぎます。".into()),
            AppError::Internal(_) => (
                "Something went wrong on our side; it has been logged.".into(),
                "サーバー側で問題が発生しました。記録済みです。".into(),
            ),
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }

    /// The JSON form used by the API.
    pub fn into_json(self) -> Response {
        self.log();
        let (en, _) = self.messages();
        let body = serde_json::json!({"error": {"code": self.code(), "message": en}});
        (self.status(), Json(body)).into_response()
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

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound(_) => AppError::NotFound,
            DbError::Invalid(m) => AppError::BadRequest(m),
            DbError::Refused { key, args, .. } => AppError::Localized { key, args },
            DbError::Conflict { entity } => {
                AppError::Localized { key: "error-conflict", args: vec![("entity", entity.to_owned())] }
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}
