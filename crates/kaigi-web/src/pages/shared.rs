//! Pages that are the same for every anonymous reader (the published programme, its exports
//! and changelog): sent without a cookie, with an `ETag` for conditional GETs (a match answers
//! 304 without a body) and `Cache-Control: public, no-cache`, so a cache or CDN in front of
//! several instances may keep them but asks again each time — it can never serve a version
//! older than the latest published one once that publication has committed.
//!
//! Each instance also keeps what it rendered for anonymous readers, keyed by everything the
//! page shows (path and query, language, the published version number, the edition's names):
//! a published version never changes, so a page is rendered once per version and language.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::auth::Ctx;

/// A rendered body with its validator.
#[derive(Clone)]
pub struct Rendered {
    pub content_type: &'static str,
    pub body: Bytes,
    pub etag: String,
}

impl Rendered {
    pub fn new(content_type: &'static str, body: String) -> Self {
        let etag = etag(body.as_bytes());
        Rendered { content_type, body: Bytes::from(body), etag }
    }

    /// The response, or 304 when the reader already holds this body.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let held = request
            .get_all(IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == self.etag || t == "*");
        let headers = [
            (CACHE_CONTROL, "public, no-cache".to_owned()),
            (ETAG, self.etag.clone()),
            (VARY, "Accept-Language, Cookie".to_owned()),
        ];
        if held {
            (StatusCode::NOT_MODIFIED, headers).into_response()
        } else {
            (headers, [(CONTENT_TYPE, self.content_type)], self.body.clone()).into_response()
        }
    }
}

/// `body` as a shared response, or 304 when the reader already has it.
pub fn shared(request: &HeaderMap, content_type: &'static str, body: String) -> Response {
    Rendered::new(content_type, body).respond(request)
}

/// Finishes a page that may be kept: with `key` (an anonymous reader), the rendered page is
/// kept under it and sent as shared; without, it is a personal page.
pub fn finish(cache: &PageCache, key: Option<String>, request: &HeaderMap, html: Html<String>) -> Response {
    match key {
        Some(key) => {
            let rendered = Rendered::new("text/html; charset=utf-8", html.0);
            cache.put(key, rendered.clone());
            rendered.respond(request)
        }
        None => html.into_response(),
    }
}

/// The key of a page an anonymous reader gets: everything it shows besides the published
/// version's contents. `None` when the reader is signed in (their pages are their own).
pub fn key(ctx: &Ctx, version: i64, edition: &kaigi_db::editions::Edition) -> Option<String> {
    ctx.user_id().is_none().then(|| {
        format!(
            "{}|{}|v{version}|{}|{:?}|{}",
            ctx.path,
            ctx.lang.code(),
            edition.name,
            edition.name_ja,
            edition.timezone
        )
    })
}

/// What this instance rendered for anonymous readers. Keys name everything a page shows, so
/// an entry is never stale, only unused; past a bound the whole map is dropped.
#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<Mutex<HashMap<String, Rendered>>>,
}

const PAGE_CACHE_ENTRIES: usize = 4096;

impl PageCache {
    pub fn get(&self, key: &str) -> Option<Rendered> {
        self.inner.lock().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: String, rendered: Rendered) {
        if let Ok(mut map) = self.inner.lock() {
            if map.len() >= PAGE_CACHE_ENTRIES {
                map.clear();
            }
            map.insert(key, rendered);
        }
    }
}

/// A strong validator of the bytes, the same on every instance and every build.
fn etag(bytes: &[u8]) -> String {
    format!("\"{:016x}\"", kaigi_core::fingerprint::fnv1a(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_copy_is_not_sent_again() {
        let fresh = shared(&HeaderMap::new(), "text/plain", "version 3".into());
        assert_eq!(fresh.status(), StatusCode::OK);
        let tag = fresh.headers().get(ETAG).cloned().unwrap_or_else(|| panic!("an ETag"));
        let mut request = HeaderMap::new();
        request.insert(IF_NONE_MATCH, tag.clone());
        assert_eq!(shared(&request, "text/plain", "version 3".into()).status(), StatusCode::NOT_MODIFIED);
        // A weak form of the same tag, among others, matches too; another version does not.
        let weak = format!("\"x\", W/{}", tag.to_str().unwrap_or_default());
        request.insert(IF_NONE_MATCH, weak.parse().unwrap_or_else(|_| panic!("a header value")));
        assert_eq!(shared(&request, "text/plain", "version 3".into()).status(), StatusCode::NOT_MODIFIED);
        assert_eq!(shared(&request, "text/plain", "version 4".into()).status(), StatusCode::OK);
    }
}
