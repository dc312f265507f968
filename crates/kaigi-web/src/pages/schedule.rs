//! The public schedule: one day at a time as a list by start time (readable on a phone),
//! session pages with speakers, and the programme as frab XML/JSON, iCalendar and CSV.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaigi_db::programme;
use serde::Deserialize;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};

async fn edition(state: &AppState, slug: &str) -> AppResult<kaigi_db::editions::Edition> {
    kaigi_db::editions::edition_by_slug(&state.db, slug).await?.ok_or(AppError::NotFound)
}

pub struct SlotView {
    pub time: String,
    pub sessions: Vec<SessionCard>,
}

pub struct SessionCard {
    pub number: i64,
    pub title: String,
    pub kind: String,
    pub room: String,
    pub hours: String,
    pub theme: String,
    pub track: String,
}

pub struct DayTab {
    pub date: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage {
    page: Page,
    slug: String,
    timezone: String,
    version: i64,
    days: Vec<DayTab>,
    slots: Vec<SlotView>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    pub day: Option<String>,
}

pub async fn show_schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<DayQuery>,
) -> AppResult<Html<String>> {
    let edition = edition(&state, &slug).await?;
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.t("schedule-title"));
    let page = Page { title, ..page };
    let days = kaigi_db::editions::days(&state.db, edition.id).await?;
    let chosen = q
        .day
        .as_deref()
        .and_then(|d| days.iter().find(|x| x.day.to_string() == d))
        .or_else(|| days.first())
        .map(|d| d.day);
    let sessions = programme::sessions(&state.db, edition.id).await?;
    let mut by_time: BTreeMap<String, Vec<SessionCard>> = BTreeMap::new();
    for s in sessions.iter().filter(|s| s.day.is_some() && s.day == chosen) {
        let start = s.starts_at.clone().unwrap_or_default();
        let end = kaigi_core::timetable::parse_clock(&start)
            .map(|t| kaigi_core::timetable::format_clock(t + s.minutes))
            .unwrap_or_default();
        by_time.entry(start.clone()).or_default().push(SessionCard {
            number: s.number,
            title: s.title.clone(),
            kind: vocab(ctx.lang, "session-type", Some(&s.kind)),
            room: s.room.clone().unwrap_or_default(),
            hours: format!("{start}–{end}"),
            theme: s.theme.as_ref().map(|t| page.pick(t, &s.theme_ja).to_owned()).unwrap_or_default(),
            track: s.track.clone().unwrap_or_default(),
        });
    }
    render(&SchedulePage {
        days: days
            .iter()
            .map(|d| DayTab {
                date: d.day.to_string(),
                label: format!("{} · {}", d.label, page.date(&d.day)),
                current: Some(d.day) == chosen,
            })
            .collect(),
        slots: by_time.into_iter().map(|(time, sessions)| SlotView { time, sessions }).collect(),
        version: programme::schedule_version(&state.db, edition.id).await?,
        timezone: edition.timezone.clone(),
        slug: edition.slug,
        page,
    })
}

pub struct PersonLine {
    pub name: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    page: Page,
    slug: String,
    kind: String,
    when: String,
    room: String,
    theme: String,
    track: String,
    description: String,
    people: Vec<PersonLine>,
}

pub async fn show_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    let edition = edition(&state, &slug).await?;
    let sessions = programme::sessions(&state.db, edition.id).await?;
    let s = sessions.into_iter().find(|s| s.number == number).ok_or(AppError::NotFound)?;
    let people = programme::people(&state.db, edition.id)
        .await?
        .into_iter()
        .filter(|p| p.session_id == s.id)
        .map(|p| PersonLine { name: p.display_name, role: vocab(ctx.lang, "participation", Some(&p.role)) })
        .collect();
    let page = Page::new(&ctx, s.title.clone());
    let when = match (&s.day, &s.starts_at) {
        (Some(d), Some(t)) => {
            let end = kaigi_core::timetable::parse_clock(t)
                .map(|x| kaigi_core::timetable::format_clock(x + s.minutes))
                .unwrap_or_default();
            format!("{} {t}–{end} ({})", page.date(d), edition.timezone)
        }
        _ => page.t("schedule-unplaced"),
    };
    render(&SessionPage {
        kind: vocab(ctx.lang, "session-type", Some(&s.kind)),
        when,
        room: s.room.clone().unwrap_or_else(|| "—".into()),
        theme: s.theme.as_ref().map(|t| page.pick(t, &s.theme_ja).to_owned()).unwrap_or_else(|| "—".into()),
        track: s.track.clone().unwrap_or_else(|| "—".into()),
        description: s.description.clone(),
        people,
        slug: edition.slug,
        page,
    })
}

fn file(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=60")], body).into_response()
}

/// schedule.xml, schedule.json, schedule.ics and schedule.csv.
pub async fn export(State(state): State<AppState>, Path((slug, name)): Path<(String, String)>) -> AppResult<Response> {
    let edition = edition(&state, &slug).await?;
    let export = programme::export(&state.db, &edition, &state.config.public_url).await?;
    Ok(match name.as_str() {
        "schedule.xml" => file("application/xml; charset=utf-8", kaigi_core::frab::write_xml(&export)),
        "schedule.json" => file(
            "application/json",
            serde_json::to_string(&kaigi_core::frab::write_json(&export))
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        "schedule.ics" => file(
            "text/calendar; charset=utf-8",
            kaigi_core::calendar::to_ical(&edition.name, &programme::calendar_events(&export))
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        "schedule.csv" => file("text/csv; charset=utf-8", programme::csv(&export)),
        _ => return Err(AppError::NotFound),
    })
}
