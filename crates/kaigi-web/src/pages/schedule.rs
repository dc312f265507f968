//! The public schedule: one day at a time as a list by start time (readable on a phone),
//! session pages with speakers, and the programme as frab XML/JSON, iCalendar and CSV.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaigi_core::access::Permission;
use kaigi_db::programme;
use serde::Deserialize;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};

use super::edition_by_slug as edition;

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
    room_options: Vec<(bool, String)>,
    track_options: Vec<(bool, String)>,
    theme_options: Vec<(bool, String)>,
    /// The current filters, kept when switching days.
    filter_query: String,
    /// The same filters for the iCalendar link.
    ical_query: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    pub day: Option<String>,
    pub room: Option<String>,
    pub track: Option<String>,
    pub theme: Option<String>,
}

/// A subset of the programme: one room, one track, or one person's sessions.
#[derive(Debug, Default, Deserialize)]
pub struct ExportFilter {
    pub room: Option<String>,
    pub track: Option<String>,
    pub person: Option<String>,
}

impl ExportFilter {
    fn apply(&self, export: &mut kaigi_core::frab::Export) {
        let keep = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned);
        let (room, track, person) = (keep(&self.room), keep(&self.track), keep(&self.person));
        for day in &mut export.days {
            day.rooms.retain(|(name, _, _)| room.as_ref().is_none_or(|r| r == name));
            for (_, _, events) in &mut day.rooms {
                events.retain(|e| {
                    track.as_ref().is_none_or(|t| e.track.as_ref() == Some(t))
                        && person.as_ref().is_none_or(|p| e.persons.iter().any(|(guid, _)| guid == p))
                });
            }
            day.rooms.retain(|(_, _, events)| !events.is_empty());
        }
    }
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
    let sessions = state.programme.sessions(&state.db, edition.id).await?;
    let mut by_time: BTreeMap<String, Vec<SessionCard>> = BTreeMap::new();
    let wanted = |v: &Option<String>| v.as_deref().filter(|x| !x.is_empty()).map(str::to_owned);
    let (room, track, theme) = (wanted(&q.room), wanted(&q.track), wanted(&q.theme));
    let rooms_seen: std::collections::BTreeSet<String> = sessions.iter().filter_map(|s| s.room.clone()).collect();
    let tracks_seen: std::collections::BTreeSet<String> = sessions.iter().filter_map(|s| s.track.clone()).collect();
    let themes_seen: std::collections::BTreeSet<String> = sessions.iter().filter_map(|s| s.theme.clone()).collect();
    for s in sessions.iter().filter(|s| {
        s.day.is_some()
            && s.day == chosen
            && room.as_ref().is_none_or(|r| s.room.as_ref() == Some(r))
            && track.as_ref().is_none_or(|t| s.track.as_ref() == Some(t))
            && theme.as_ref().is_none_or(|t| s.theme.as_ref() == Some(t))
    }) {
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
    let options = |all: std::collections::BTreeSet<String>, current: &Option<String>| {
        all.into_iter().map(|v| (current.as_ref() == Some(&v), v)).collect::<Vec<_>>()
    };
    let query = |k: &str, v: &Option<String>| {
        v.as_ref().map(|v| format!("&{k}={}", crate::auth::form_urlencoded_component(v))).unwrap_or_default()
    };
    let filter_query = format!("{}{}{}", query("room", &room), query("track", &track), query("theme", &theme));
    render(&SchedulePage {
        room_options: options(rooms_seen, &room),
        track_options: options(tracks_seen, &track),
        theme_options: options(themes_seen, &theme),
        ical_query: format!("{}{}", query("room", &room), query("track", &track)).replacen('&', "?", 1),
        filter_query,
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
    pub id: String,
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
    number: i64,
    signed_in: bool,
    starred: bool,
    /// (places, taken) for a session with sign-up.
    signup: Option<(i64, i64)>,
    signed_up: bool,
}

pub async fn show_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
) -> AppResult<Html<String>> {
    let edition = edition(&state, &slug).await?;
    let sessions = programme::sessions(&state.db, edition.id).await?;
    // Unpublished sessions are for the secretariat only; everyone else gets "not found", the
    // same as for a number that does not exist.
    let staff = ctx.can(&Permission::ManageEdition(edition.id.to_string()));
    let s = sessions.into_iter().find(|s| s.number == number && (s.published || staff)).ok_or(AppError::NotFound)?;
    let people = programme::people(&state.db, edition.id)
        .await?
        .into_iter()
        .filter(|p| p.session_id == s.id)
        .map(|p| PersonLine {
            id: p.person_id.to_string(),
            name: p.display_name,
            role: vocab(ctx.lang, "participation", Some(&p.role)),
        })
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
    let starred = match ctx.user_id() {
        Some(user) => programme::starred(&state.db, user, edition.id).await?.contains(&s.id),
        None => false,
    };
    let signup = kaigi_db::registration::signup_places(&state.db, s.id).await?;
    let signed_up = match (ctx.user_id(), signup) {
        (Some(user), Some(_)) => kaigi_db::registration::signed_up(&state.db, s.id, user).await?,
        _ => false,
    };
    render(&SessionPage {
        signup,
        signed_up,
        number: s.number,
        signed_in: ctx.user_id().is_some(),
        starred,
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
pub async fn export(
    State(state): State<AppState>,
    Path((slug, name)): Path<(String, String)>,
    Query(filter): Query<ExportFilter>,
) -> AppResult<Response> {
    let edition = edition(&state, &slug).await?;
    // Apps poll these files: a copy is kept while the schedule and the directory are unchanged.
    let key = format!("{}|{name}|{:?}|{:?}|{:?}", edition.id, filter.room, filter.track, filter.person);
    let print = programme::export_fingerprint(&state.db, edition.id).await?;
    if let Ok(cache) = state.exports.lock()
        && let Some((seen, kind, body)) = cache.get(&key)
        && *seen == print
    {
        return Ok(file(kind, body.as_str().to_owned()));
    }
    let response = render_export(&state, &edition, &name, &filter).await?;
    if let Ok(mut cache) = state.exports.lock() {
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, (print, response.0, std::sync::Arc::new(response.1.clone())));
    }
    Ok(file(response.0, response.1))
}

async fn render_export(
    state: &AppState,
    edition: &kaigi_db::editions::Edition,
    name: &str,
    filter: &ExportFilter,
) -> AppResult<(&'static str, String)> {
    let mut export = programme::export(&state.db, edition, &state.config.public_url).await?;
    filter.apply(&mut export);
    let file = |kind: &'static str, body: String| (kind, body);
    Ok(match name {
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

/// Stars or unstars a session in the signed-in user's agenda.
pub async fn star(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = edition(&state, &slug).await?;
    let sessions = programme::published_sessions(&state.db, edition.id).await?;
    let s = sessions.iter().find(|s| s.number == number).ok_or(AppError::NotFound)?;
    programme::toggle_star(&state.db, user, s.id).await?;
    Ok(axum::response::Redirect::to(&format!("/editions/{slug}/sessions/{number}")).into_response())
}

pub struct AgendaLine {
    pub number: i64,
    pub title: String,
    pub when: String,
    pub room: String,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    page: Page,
    slug: String,
    lines: Vec<AgendaLine>,
}

async fn my_export(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> AppResult<(kaigi_db::editions::Edition, kaigi_core::frab::Export)> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = edition(state, slug).await?;
    let starred = programme::starred(&state.db, user, edition.id).await?;
    let mut export = programme::export(&state.db, &edition, &state.config.public_url).await?;
    for day in &mut export.days {
        for (_, _, events) in &mut day.rooms {
            events.retain(|e| starred.iter().any(|s| s.to_string() == e.guid));
        }
        day.rooms.retain(|(_, _, events)| !events.is_empty());
    }
    Ok((edition, export))
}

/// The signed-in user's agenda for an edition.
pub async fn my_agenda(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Html<String>> {
    let (edition, export) = my_export(&state, &ctx, &slug).await?;
    let page = Page::titled(&ctx, "agenda-title");
    let mut lines = Vec::new();
    for d in &export.days {
        for (room, _, events) in &d.rooms {
            for e in events {
                lines.push((
                    (d.date, e.start),
                    AgendaLine {
                        number: e.id,
                        title: e.title.clone(),
                        when: format!(
                            "{} {}–{}",
                            page.date(&d.date),
                            kaigi_core::timetable::format_clock(e.start),
                            kaigi_core::timetable::format_clock(e.start + e.minutes)
                        ),
                        room: room.clone(),
                    },
                ));
            }
        }
    }
    lines.sort_by_key(|(k, _)| *k);
    render(&AgendaPage { page, slug: edition.slug, lines: lines.into_iter().map(|(_, l)| l).collect() })
}

pub async fn my_agenda_ics(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let (edition, export) = my_export(&state, &ctx, &slug).await?;
    let ics = kaigi_core::calendar::to_ical(&edition.name, &programme::calendar_events(&export))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(file("text/calendar; charset=utf-8", ics))
}

#[derive(Template)]
#[template(path = "schedule_import.html")]
struct ImportPage {
    page: Page,
    error: Option<String>,
    report: Option<kaigi_db::programme::ImportReport>,
    summary: String,
}

/// The form to import a published schedule as a new edition (administrators).
pub async fn show_import(ctx: Ctx) -> AppResult<Html<String>> {
    render(&ImportPage {
        page: Page::titled(&ctx, "schedule-import-title"),
        error: None,
        report: None,
        summary: String::new(),
    })
}

/// The largest schedule file read: a big conference's frab XML is a few MiB.
const SCHEDULE_LIMIT: usize = 8 * 1024 * 1024;

/// Stores an uploaded frab XML/JSON or iCalendar file as a new edition, all or nothing.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let (mut text, mut slug) = (String::new(), String::new());
    for part in super::upload::read_all(&mut multipart, &["file"], SCHEDULE_LIMIT).await? {
        match part.name.as_str() {
            "file" => text = part.text()?.to_owned(),
            "edition" => slug = String::from_utf8_lossy(&part.bytes).trim().to_owned(),
            _ => {}
        }
    }
    let page = Page::titled(&ctx, "schedule-import-title");
    let outcome = match kaigi_core::frab::parse(&text) {
        Err(e) => Err(AppError::refused("error-schedule-unreadable").with("detail", e).message(ctx.lang)),
        Ok(schedule) => match programme::import_schedule(&state.db, &ctx.actor(), &schedule, &slug).await {
            Err(e) if e.is_refusal() => Err(AppError::from(e).message(ctx.lang)),
            other => Ok(other?),
        },
    };
    Ok(match outcome {
        Ok(report) => {
            let n = |x: usize| fluent_bundle::FluentValue::from(x as i64);
            let summary = crate::i18n::t_args(
                ctx.lang,
                "schedule-import-counts",
                &[
                    ("sessions", n(report.sessions)),
                    ("rooms", n(report.rooms)),
                    ("days", n(report.days)),
                    ("created", n(report.people_created)),
                    ("matched", n(report.people_matched)),
                ],
            );
            render(&ImportPage { page, error: None, report: Some(report), summary })?.into_response()
        }
        Err(e) => {
            let body = render(&ImportPage { page, error: Some(e), report: None, summary: String::new() })?;
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
        }
    })
}
