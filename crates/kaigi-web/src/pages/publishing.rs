//! Publishing the programme in versions: the secretariat reviews what changed in the draft
//! since the published version, writes a note and publishes; everyone reads the changes from
//! version to version as a page and as JSON.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::publishing::{Change, Programme, Slot, counts};
use kaigi_db::publishing::{self, Note, Version};
use serde::Deserialize;

use super::{Page, edition_by_slug, render};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};

/// One change in the reader's words.
pub struct ChangeLine {
    pub code: &'static str,
    pub number: i64,
    pub text: String,
}

/// Where and when, as a reader scans for it: "Day 1 · 15 Dec 10:00–11:00, Room 2".
fn place(lang: Lang, programme: &Programme, slot: &Slot) -> String {
    let label =
        programme.days.iter().find(|d| d.day == slot.day).map(|d| i18n::day_name(lang, &d.label)).unwrap_or_default();
    let end = kaigi_core::timetable::parse_clock(&slot.starts_at)
        .map(|t| kaigi_core::timetable::format_clock(t + slot.minutes))
        .unwrap_or_default();
    let separator = if lang == Lang::Ja { "、" } else { ", " };
    let day = time::Date::parse(&slot.day, time::macros::format_description!("[year]-[month]-[day]"))
        .map_or_else(|_| slot.day.clone(), |d| i18n::format_date(lang, d));
    format!("{label} {day} {}–{end}{separator}{}", slot.starts_at, slot.room).trim().to_owned()
}

pub fn describe(lang: Lang, programme: &Programme, changes: &[Change]) -> Vec<ChangeLine> {
    let t = |key: &str, args: &[(&str, String)]| {
        let values: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
            args.iter().map(|(k, v)| (*k, fluent_bundle::FluentValue::from(v.as_str()))).collect();
        i18n::t_args(lang, key, &values)
    };
    changes
        .iter()
        .map(|c| {
            let number = c.number();
            let text = match c {
                Change::Added { title, slot, .. } => {
                    t("change-added", &[("title", title.clone()), ("where", place(lang, programme, slot))])
                }
                Change::Cancelled { title, .. } => t("change-cancelled", &[("title", title.clone())]),
                Change::Restored { title, slot, .. } => {
                    t("change-restored", &[("title", title.clone()), ("where", place(lang, programme, slot))])
                }
                Change::Moved { title, from, to, .. } => t(
                    "change-moved",
                    &[
                        ("title", title.clone()),
                        ("from", place(lang, programme, from)),
                        ("to", place(lang, programme, to)),
                    ],
                ),
                Change::Renamed { from, to, .. } => t("change-renamed", &[("from", from.clone()), ("to", to.clone())]),
                Change::People { title, added, removed, .. } => {
                    let names = added.iter().map(|n| format!("+ {n}")).chain(removed.iter().map(|n| format!("− {n}")));
                    let separator = if lang == Lang::Ja { "、" } else { ", " };
                    t(
                        "change-people",
                        &[("title", title.clone()), ("names", names.collect::<Vec<_>>().join(separator))],
                    )
                }
            };
            ChangeLine { code: c.code(), number, text }
        })
        .collect()
}

/// "3 added · 1 cancelled" in the reader's language.
pub fn summary(lang: Lang, changes: &[Change]) -> String {
    let parts: Vec<String> = counts(changes)
        .into_iter()
        .map(|(code, n)| {
            let count = fluent_bundle::FluentValue::from(n as i64);
            i18n::t_args(lang, &format!("changes-count-{code}"), &[("count", count)])
        })
        .collect();
    if parts.is_empty() { i18n::t(lang, "changes-none") } else { parts.join(" · ") }
}

#[derive(Template)]
#[template(path = "publish.html")]
struct PublishPage {
    page: Page,
    slug: String,
    next: i64,
    draft_version: i64,
    summary: String,
    changes: Vec<ChangeLine>,
    /// Nothing changed since the published version.
    unchanged: bool,
    error: Option<String>,
}

/// What publishing now would change, with the form to publish it.
pub async fn show_publish(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    publish_page(&state, &ctx, &edition, &slug, None).await
}

async fn publish_page(
    state: &AppState,
    ctx: &Ctx,
    edition: &kaigi_db::editions::Edition,
    slug: &str,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let preview = publishing::preview(&state.db, edition.id).await?;
    let page = Page::titled(ctx, "publish-title");
    render(&PublishPage {
        summary: summary(ctx.lang, &preview.changes),
        changes: describe(ctx.lang, &preview.programme, &preview.changes),
        unchanged: preview.changes.is_empty(),
        next: preview.next,
        draft_version: preview.draft_version,
        slug: slug.to_owned(),
        error,
        page,
    })
}

#[derive(Deserialize)]
pub struct PublishForm {
    draft_version: i64,
    #[serde(default)]
    note: String,
    #[serde(default)]
    note_ja: String,
}

/// Publishes the draft as reviewed: if it changed meanwhile, the page shows the new changes.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<PublishForm>,
) -> AppResult<Response> {
    let note = Note { en: form.note, ja: form.note_ja };
    match publishing::publish(&state.db, &ctx.actor(), edition.id, Some(form.draft_version), &note).await {
        Ok(version) => Ok(Redirect::to(&format!("/editions/{slug}/changes#v{}", version.number)).into_response()),
        Err(e) if e.is_refusal() => {
            let error = AppError::from(e).message(ctx.lang);
            let mut response = publish_page(&state, &ctx, &edition, &slug, Some(error)).await?.into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct VersionView {
    pub number: i64,
    pub when: String,
    pub note: String,
    pub summary: String,
    pub changes: Vec<ChangeLine>,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    page: Page,
    slug: String,
    edition: String,
    versions: Vec<VersionView>,
}

/// Every published version with what it changed, the newest first (public).
pub async fn show_changes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let found = super::schedule::public(&state, &slug, None).await?;
    let (key, hit) = found.kept(&state, &ctx, &headers);
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let super::schedule::Public { edition, latest, .. } = found;
    let programme = latest.map(|p| p.programme).unwrap_or_default();
    let page = Page::titled(&ctx, "changes-title");
    let versions = publishing::versions(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|v| VersionView {
            number: v.number,
            when: super::timezone::local_time(v.published_at, &edition.timezone),
            note: if ctx.lang == Lang::Ja && !v.note_ja.is_empty() { v.note_ja.clone() } else { v.note.clone() },
            summary: summary(ctx.lang, &v.changes),
            changes: describe(ctx.lang, &programme, &v.changes),
        })
        .collect();
    let html = render(&ChangesPage {
        edition: page.pick(&edition.name, &edition.name_ja).to_owned(),
        slug: edition.slug,
        versions,
        page,
    })?;
    Ok(super::shared::finish(&state.pages, key, &headers, html))
}

/// The same as JSON, for apps and video teams: `{"edition", "versions": [{number,
/// published_at, note, note_ja, changes: [{change, number, …}]}]}`, the newest first.
pub async fn changes_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let edition = edition_by_slug(&state, &slug).await?;
    let versions: Vec<Version> = publishing::versions(&state.db, edition.id).await?;
    let versions: Vec<serde_json::Value> = versions
        .into_iter()
        .map(|v| {
            serde_json::json!({
                "number": v.number,
                "published_at": v.published_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "note": v.note,
                "note_ja": v.note_ja,
                "changes": v.changes,
            })
        })
        .collect();
    let body = serde_json::json!({"edition": edition.slug, "versions": versions});
    Ok(super::shared::shared(&headers, "application/json", body.to_string()))
}
