//! Reading multipart uploads with a limit per field, enforced while the bytes arrive: a file
//! over its limit is refused before the rest of it is read, and long before it is parsed.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;

use crate::error::{AppError, AppResult};

/// Small form fields sent beside a file (a title, a series name, a checkbox).
pub const FIELD_LIMIT: usize = 64 * 1024;

/// One field of an upload, read whole.
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// The field as text, refusing bytes that are not UTF-8 (files: say where it broke).
    pub fn text(&self) -> AppResult<&str> {
        std::str::from_utf8(&self.bytes)
            .map_err(|e| AppError::refused("error-not-utf8-at").with("byte", e.valid_up_to()))
    }
}

/// Every field of the upload; the fields named in `large` (the file, or the same text pasted)
/// may hold up to `large_limit` bytes, every other field up to [`FIELD_LIMIT`].
pub async fn read_all(multipart: &mut Multipart, large: &[&str], large_limit: usize) -> AppResult<Vec<Part>> {
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        let limit = if field.name().is_some_and(|n| large.contains(&n)) { large_limit } else { FIELD_LIMIT };
        parts.push(read_field(field, limit).await?);
    }
    Ok(parts)
}

async fn read_field(mut field: Field<'_>, limit: usize) -> AppResult<Part> {
    let name = field.name().unwrap_or_default().to_owned();
    let file_name = field.file_name().map(str::to_owned);
    let content_type = field.content_type().map(str::to_owned);
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(upload_error)? {
        if bytes.len() + chunk.len() > limit {
            return Err(AppError::FileTooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Part { name, file_name, content_type, bytes })
}

/// A broken or oversized upload says which.
pub fn upload_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::refused("error-upload").with("detail", e)
    }
}
