//! A participant's own agenda through the API, for conference apps: the sessions they starred
//! in the published programme (with clashes named), starring and un-starring, and the private
//! calendar feed. Anyone signed in, for themselves only: the account is the token's or the
//! session's, never one named in the request.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::Serialize;
use time::OffsetDateTime;

use super::ApiError;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::pages::schedule::{agenda_entries, feed_url, starrable_session};

#[derive(Debug, Serialize, JsonSchema)]
pub struct AgendaSession {
    pub number: i64,
    pub title: String,
    /// YYYY-MM-DD
    #[serde(with = "kaigi_db::iso_date")]
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: time::Date,
    /// HH:MM in the edition's time zone (past 24:00 after midnight)
    pub starts_at: String,
    pub ends_at: String,
    pub room: String,
    /// Numbers of the other starred sessions at the same time.
    pub clashes: Vec<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Agenda {
    pub edition: String,
    pub time_zone: String,
    /// In time order; sessions of the published programme only.
    pub sessions: Vec<AgendaSession>,
    /// When the caller's calendar feed was made; null when there is none.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub feed_made_at: Option<OffsetDateTime>,
}

async fn agenda(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Agenda, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let (edition, entries) = agenda_entries(state, user, slug).await?;
    let clock = kaigi_core::timetable::format_clock;
    let sessions = entries
        .into_iter()
        .map(|e| AgendaSession {
            date: e.date,
            starts_at: clock(e.start),
            ends_at: clock(e.end),
            number: e.number,
            title: e.title,
            room: e.room,
            clashes: e.clashes,
        })
        .collect();
    let feed_made_at = kaigi_db::feeds::made_at(&state.db, user, edition.id).await?;
    Ok(Agenda { edition: edition.slug, time_zone: edition.timezone, sessions, feed_made_at })
}

pub async fn get_agenda(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Json<Agenda>, ApiError> {
    Ok(Json(agenda(&state, &ctx, &slug).await?))
}

/// Stars a session of the published programme (404 for one not there or cancelled); starring
/// it again changes nothing.
pub async fn star(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
) -> Result<Json<Agenda>, ApiError> {
    set_star(&state, &ctx, &slug, number, true).await
}

pub async fn unstar(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
) -> Result<Json<Agenda>, ApiError> {
    set_star(&state, &ctx, &slug, number, false).await
}

/// Puts a published session on the caller's agenda or takes it off, and answers the agenda.
async fn set_star(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    number: i64,
    starred: bool,
) -> Result<Json<Agenda>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let session = starrable_session(state, slug, number).await?;
    kaigi_db::programme::set_star(&state.db, user, session, starred).await?;
    Ok(Json(agenda(state, ctx, slug).await?))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Feed {
    /// The private address a calendar app subscribes to (no sign-in): shown this once, kept
    /// only as a hash. A new one ends the old.
    pub url: String,
}

/// Makes the caller's calendar feed for the edition (201), ending any earlier one.
pub async fn create_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = crate::pages::edition_by_slug(&state, &slug).await?;
    let token = kaigi_db::feeds::create(&state.db, &ctx.actor(), user, edition.id).await?;
    let body = Json(Feed { url: feed_url(&state, &token) });
    // The answer holds a secret: no cache may keep it.
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], body).into_response())
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FeedStopped {
    pub ok: bool,
}

/// Ends the caller's calendar feed for the edition (its address answers 404 from now on).
pub async fn stop_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Json<FeedStopped>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = crate::pages::edition_by_slug(&state, &slug).await?;
    kaigi_db::feeds::stop(&state.db, &ctx.actor(), user, edition.id).await?;
    Ok(Json(FeedStopped { ok: true }))
}
