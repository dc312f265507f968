//! The public schedule: one day at a time as a list by start time (readable on a phone),
//! session pages with speakers, the programme as frab XML/JSON, iCalendar and CSV, and the
//! changes from version to version. Everything here shows the latest published version
//! (kaigi_db::publishing), never the draft the secretariat is editing.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaigi_core::access::Permission;
use kaigi_core::publishing::{Programme, PublishedSession};
use kaigi_db::programme;
use kaigi_db::publishing::{self, Published};
use serde::Deserialize;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};

pub struct SlotView {
    pub time: String,
    pub sessions: Vec<SessionCard>,
}

pub struct SessionCard {
    pub number: i64,
    pub title: String,
    pub kind: String,
    pub room: String,
    /// The day as the reader writes dates (a speaker's page spans days).
    pub day: String,
    pub hours: String,
    pub theme: String,
    pub track: String,
    /// Speakers and moderators, by name.
    pub people: String,
    pub cancelled: bool,
    /// In the signed-in reader's agenda.
    pub starred: bool,
}

/// The day × room grid (kaigi_core::grid) with its cards: rooms with their number of table
/// columns; rows by start time, each cell a session spanning rows or an empty cell.
pub struct GridView {
    pub columns: Vec<(String, usize)>,
    pub rows: Vec<(String, Vec<GridCellView>)>,
}

/// A session spanning rows, or an empty cell (one row).
pub type GridCellView = (Option<SessionCard>, usize);

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
    /// The published version shown: its number and when it was published; none before the
    /// first publication.
    version: Option<(i64, String)>,
    days: Vec<DayTab>,
    slots: Vec<SlotView>,
    grid: GridView,
    /// (selected, value, label)
    room_options: Vec<(bool, String, String)>,
    track_options: Vec<(bool, String, String)>,
    theme_options: Vec<(bool, String, String)>,
    /// The current filters, kept when switching days.
    filter_query: String,
    /// The same filters for the iCalendar link.
    ical_query: String,
    signed_in: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    pub day: Option<String>,
    pub room: Option<String>,
    pub track: Option<String>,
    pub theme: Option<String>,
}

/// A subset of the programme: one room, one track, one person's sessions, or one session
/// (its "add to calendar" link).
#[derive(Debug, Default, Deserialize)]
pub struct ExportFilter {
    pub room: Option<String>,
    pub track: Option<String>,
    pub person: Option<String>,
    pub session: Option<i64>,
}

impl ExportFilter {
    fn apply(&self, export: &mut kaigi_core::frab::Export) {
        let keep = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned);
        let (room, track, person) = (keep(&self.room), keep(&self.track), keep(&self.person));
        for day in &mut export.days {
            day.rooms.retain(|(name, _, _)| room.as_ref().is_none_or(|r| r == name));
            for (_, _, events) in &mut day.rooms {
                events.retain(|e| {
                    self.session.is_none_or(|n| e.id == n)
                        && track.as_ref().is_none_or(|t| e.track.as_ref() == Some(t))
                        && person.as_ref().is_none_or(|p| e.persons.iter().any(|(guid, _)| guid == p))
                });
            }
            day.rooms.retain(|(_, _, events)| !events.is_empty());
        }
    }
}

/// An edition and the latest published version of its programme (an empty one before the
/// first), with one query to the database (see `publishing::public_edition`).
pub(crate) struct Public {
    pub edition: kaigi_db::editions::Edition,
    pub programme: std::sync::Arc<Programme>,
    pub latest: Option<Published>,
    /// A session page's places (capacity, taken).
    pub places: Option<(i64, i64)>,
}

impl Public {
    /// The key an anonymous reader's copy of a page of this version is kept under (none for a
    /// signed-in reader), and the response from that copy when this instance has it.
    pub(crate) fn kept(
        &self,
        state: &AppState,
        ctx: &Ctx,
        request: &axum::http::HeaderMap,
    ) -> (Option<String>, Option<Response>) {
        let key = super::shared::key(ctx, self.latest.as_ref().map_or(0, |p| p.version.number), &self.edition);
        let hit = key.as_deref().and_then(|k| state.pages.get(k)).map(|hit| hit.respond(request));
        (key, hit)
    }
}

pub(crate) async fn public(state: &AppState, slug: &str, session: Option<i64>) -> AppResult<Public> {
    let found = publishing::public_edition(&state.db, slug, session).await?.ok_or(AppError::NotFound)?;
    let latest = state.published.version(&state.db, found.edition.id, found.latest).await?;
    let programme = latest.as_ref().map(|p| p.programme.clone()).unwrap_or_default();
    Ok(Public { edition: found.edition, programme, latest, places: found.places })
}

fn parse_day(day: &str) -> Option<time::Date> {
    time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn hours(s: &PublishedSession) -> String {
    let start = &s.slot.starts_at;
    let end = kaigi_core::timetable::parse_clock(start)
        .map(|t| kaigi_core::timetable::format_clock(t + s.slot.minutes))
        .unwrap_or_default();
    format!("{start}–{end}")
}

/// A session as the schedule and a speaker's page list it.
fn card(page: &Page, s: &PublishedSession) -> SessionCard {
    SessionCard {
        number: s.number,
        title: s.title.clone(),
        kind: vocab(page.lang, "session-type", Some(&s.kind)),
        room: s.slot.room.clone(),
        day: parse_day(&s.slot.day).map(|d| page.date(&d)).unwrap_or_default(),
        hours: hours(s),
        theme: s.theme.as_ref().map(|t| page.pick(t, &s.theme_ja).to_owned()).unwrap_or_default(),
        track: s.track.as_ref().map(|t| page.pick(t, &s.track_ja).to_owned()).unwrap_or_default(),
        people: s
            .people
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(if page.lang == kaigi_core::i18n::Lang::Ja { "、" } else { ", " }),
        cancelled: s.cancelled,
        starred: false,
    }
}

pub async fn show_schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<DayQuery>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let found = public(&state, &slug, None).await?;
    let (key, hit) = found.kept(&state, &ctx, &headers);
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let Public { edition, programme, latest, .. } = found;
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.t("schedule-title"));
    let page = Page { title, ..page };
    let chosen = q
        .day
        .as_deref()
        .and_then(|d| programme.days.iter().find(|x| x.day == d))
        .or_else(|| programme.days.first())
        .map(|d| d.day.clone());
    let mut by_time: BTreeMap<String, Vec<SessionCard>> = BTreeMap::new();
    let wanted = |v: &Option<String>| v.as_deref().filter(|x| !x.is_empty()).map(str::to_owned);
    let (room, track, theme) = (wanted(&q.room), wanted(&q.track), wanted(&q.theme));
    // Rooms in the secretariat's order (not "Room 1, 10, 11, 2"), those with sessions only.
    let rooms_seen: Vec<String> = programme
        .rooms
        .iter()
        .filter(|r| programme.sessions.iter().any(|s| s.slot.room_id == r.id))
        .map(|r| r.name.clone())
        .collect();
    // Tracks and themes are filtered by their stored name and shown in the reader's language.
    let tracks_seen: std::collections::BTreeMap<String, String> = programme
        .sessions
        .iter()
        .filter_map(|s| Some((s.track.clone()?, page.pick(s.track.as_deref()?, &s.track_ja).to_owned())))
        .collect();
    let themes_seen: std::collections::BTreeMap<String, String> = programme
        .sessions
        .iter()
        .filter_map(|s| Some((s.theme.clone()?, page.pick(s.theme.as_deref()?, &s.theme_ja).to_owned())))
        .collect();
    let shown: Vec<&PublishedSession> = programme
        .sessions
        .iter()
        .filter(|s| {
            Some(&s.slot.day) == chosen.as_ref()
                && room.as_ref().is_none_or(|r| &s.slot.room == r)
                && track.as_ref().is_none_or(|t| s.track.as_ref() == Some(t))
                && theme.as_ref().is_none_or(|t| s.theme.as_ref() == Some(t))
        })
        .collect();
    // A signed-in reader sees their stars (their page is their own, never cached).
    let starred: std::collections::HashSet<String> = match ctx.user_id() {
        Some(user) => programme::starred(&state.db, user, edition.id).await?.iter().map(|id| id.to_string()).collect(),
        None => Default::default(),
    };
    let card_of = |s: &PublishedSession| SessionCard { starred: starred.contains(&s.id), ..card(&page, s) };
    for s in &shown {
        by_time.entry(s.slot.starts_at.clone()).or_default().push(card_of(s));
    }
    let grid = kaigi_core::grid::day_grid(&shown, &rooms_seen);
    let grid = GridView {
        columns: grid.columns.into_iter().map(|c| (c.room, c.lanes)).collect(),
        rows: grid
            .rows
            .into_iter()
            .map(|r| {
                let cells = r
                    .cells
                    .into_iter()
                    .map(|c| match c {
                        kaigi_core::grid::GridCell::Session { index, rows } => (Some(card_of(shown[index])), rows),
                        kaigi_core::grid::GridCell::Empty => (None, 1),
                    })
                    .collect();
                (r.starts_at, cells)
            })
            .collect(),
    };
    let options = |all: Vec<(String, String)>, current: &Option<String>| {
        all.into_iter().map(|(v, label)| (current.as_ref() == Some(&v), v, label)).collect::<Vec<_>>()
    };
    let query = |k: &str, v: &Option<String>| {
        v.as_ref().map(|v| format!("&{k}={}", crate::auth::form_urlencoded_component(v))).unwrap_or_default()
    };
    let filter_query = format!("{}{}{}", query("room", &room), query("track", &track), query("theme", &theme));
    let html = render(&SchedulePage {
        room_options: options(rooms_seen.into_iter().map(|r| (r.clone(), r)).collect(), &room),
        track_options: options(tracks_seen.into_iter().collect(), &track),
        theme_options: options(themes_seen.into_iter().collect(), &theme),
        ical_query: format!("{}{}", query("room", &room), query("track", &track)).replacen('&', "?", 1),
        signed_in: ctx.user_id().is_some(),
        filter_query,
        days: programme
            .days
            .iter()
            .map(|d| DayTab {
                date: d.day.clone(),
                label: match parse_day(&d.day) {
                    Some(date) => format!("{} · {}", crate::i18n::day_name(ctx.lang, &d.label), page.date(&date)),
                    None => crate::i18n::day_name(ctx.lang, &d.label),
                },
                current: Some(&d.day) == chosen.as_ref(),
            })
            .collect(),
        slots: by_time.into_iter().map(|(time, sessions)| SlotView { time, sessions }).collect(),
        grid,
        version: latest
            .map(|p| (p.version.number, super::timezone::local_time(p.version.published_at, &edition.timezone))),
        timezone: edition.timezone.clone(),
        slug: edition.slug,
        page,
    })?;
    Ok(super::shared::finish(&state.pages, key, &headers, html))
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
    /// Cancelled in the published version: shown so, not removed.
    cancelled: bool,
    /// Only in the draft (the secretariat's view); the public does not see it yet.
    draft: bool,
    /// Start and end as RFC 3339 instants, for the reader's own time (kaigi.js).
    instants: Option<(String, String)>,
    timezone: String,
}

pub async fn show_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let Public { edition, programme, latest, places: signup } = public(&state, &slug, Some(number)).await?;
    // The public version of the session; the secretariat also sees a session that is only in
    // the draft (marked so). Everyone else gets "not found", as for a number that does not exist.
    let (s, draft) = match programme.by_number(number) {
        Some(s) => (s.clone(), false),
        None if ctx.can(&Permission::ManageEdition(edition.id.to_string())) => {
            (draft_session(&state, edition.id, number).await?.ok_or(AppError::NotFound)?, true)
        }
        None => return Err(AppError::NotFound),
    };
    let id = uuid::Uuid::parse_str(&s.id).map_err(|e| AppError::Internal(format!("session id {}: {e}", s.id)))?;
    // Besides the version, an anonymous reader's page shows only the places left.
    let version = latest.as_ref().map_or(0, |p| p.version.number);
    let key = super::shared::key(&ctx, version, &edition).filter(|_| !draft).map(|k| format!("{k}|{signup:?}"));
    if let Some(hit) = key.as_deref().and_then(|k| state.pages.get(k)) {
        return Ok(hit.respond(&headers));
    }
    let people = s
        .people
        .iter()
        .map(|p| PersonLine {
            id: p.id.clone(),
            name: p.name.clone(),
            role: vocab(ctx.lang, "participation", Some(&p.role)),
        })
        .collect();
    let page = Page::new(&ctx, s.title.clone());
    let when = match parse_day(&s.slot.day) {
        Some(day) => format!("{} {} ({})", page.date(&day), hours(&s), edition.timezone),
        None => page.t("schedule-unplaced"),
    };
    let starred = match ctx.user_id() {
        Some(user) => programme::starred(&state.db, user, edition.id).await?.contains(&id),
        None => false,
    };
    let signed_up = match (ctx.user_id(), signup) {
        (Some(user), Some(_)) => kaigi_db::registration::signed_up(&state.db, id, user).await?,
        _ => false,
    };
    let html = render(&SessionPage {
        signup: if s.cancelled { None } else { signup },
        signed_up,
        number: s.number,
        signed_in: ctx.user_id().is_some(),
        starred,
        kind: vocab(ctx.lang, "session-type", Some(&s.kind)),
        when,
        room: if s.slot.room.is_empty() { "—".into() } else { s.slot.room.clone() },
        theme: s.theme.as_ref().map(|t| page.pick(t, &s.theme_ja).to_owned()).unwrap_or_else(|| "—".into()),
        track: s.track.as_ref().map(|t| page.pick(t, &s.track_ja).to_owned()).unwrap_or_else(|| "—".into()),
        description: s.description.clone(),
        people,
        cancelled: s.cancelled,
        draft,
        instants: super::timezone::instant(&s.slot.day, &s.slot.starts_at, 0, &edition.timezone)
            .zip(super::timezone::instant(&s.slot.day, &s.slot.starts_at, s.slot.minutes, &edition.timezone)),
        timezone: edition.timezone.clone(),
        slug: edition.slug,
        page,
    })?;
    Ok(super::shared::finish(&state.pages, key, &headers, html))
}

#[derive(Template)]
#[template(path = "speakers.html")]
struct SpeakersPage {
    page: Page,
    slug: String,
    edition: String,
    published: bool,
    /// (id, name, number of sessions), in gojūon order.
    speakers: Vec<(String, String, usize)>,
}

/// Everyone on the published programme, in gojūon order, each a link to their page (public).
pub async fn show_speakers(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let found = public(&state, &slug, None).await?;
    let (key, hit) = found.kept(&state, &ctx, &headers);
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let Public { edition, programme, latest, .. } = found;
    let page = Page::titled(&ctx, "speakers-title");
    let html = render(&SpeakersPage {
        speakers: programme.speakers().into_iter().map(|(p, n)| (p.id.clone(), p.name.clone(), n)).collect(),
        published: latest.is_some(),
        edition: page.pick(&edition.name, &edition.name_ja).to_owned(),
        slug: edition.slug,
        page,
    })?;
    Ok(super::shared::finish(&state.pages, key, &headers, html))
}

#[derive(Template)]
#[template(path = "speaker.html")]
struct SpeakerPage {
    page: Page,
    slug: String,
    id: String,
    timezone: String,
    sessions: Vec<SessionCard>,
}

/// One person's sessions in the published programme (public). Only someone on a published
/// session has a page: any other id, a directory entry included, is "not found", so the page
/// reveals nothing the programme does not.
pub async fn show_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, person)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let found = public(&state, &slug, None).await?;
    // Kept copies exist only of pages of someone on the programme: any other id is not found.
    let (key, hit) = found.kept(&state, &ctx, &headers);
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let Public { edition, programme, .. } = found;
    let name = programme
        .sessions_of(&person)
        .flat_map(|s| &s.people)
        .find(|p| p.id == person)
        .map(|p| p.name.clone())
        .ok_or(AppError::NotFound)?;
    let page = Page::new(&ctx, name);
    let sessions = programme.sessions_of(&person).map(|s| card(&page, s)).collect();
    let html = render(&SpeakerPage {
        id: person.clone(),
        timezone: edition.timezone.clone(),
        sessions,
        slug: edition.slug,
        page,
    })?;
    Ok(super::shared::finish(&state.pages, key, &headers, html))
}

/// A session of the draft as the session page shows it (for the secretariat).
async fn draft_session(state: &AppState, edition: uuid::Uuid, number: i64) -> AppResult<Option<PublishedSession>> {
    let Some(s) = programme::sessions(&state.db, edition).await?.into_iter().find(|s| s.number == number) else {
        return Ok(None);
    };
    let people = programme::people(&state.db, edition)
        .await?
        .into_iter()
        .filter(|p| p.session_id == s.id)
        .map(|p| kaigi_core::publishing::PublishedPerson {
            id: p.person_id.to_string(),
            name: p.display_name,
            role: p.role,
        })
        .collect();
    Ok(Some(PublishedSession {
        id: s.id.to_string(),
        number: s.number,
        title: s.title,
        kind: s.kind,
        description: s.description,
        track: s.track,
        track_ja: s.track_ja,
        theme: s.theme,
        theme_ja: s.theme_ja,
        slot: kaigi_core::publishing::Slot {
            day: s.day.map(|d| d.to_string()).unwrap_or_default(),
            starts_at: s.starts_at.unwrap_or_default(),
            minutes: s.minutes,
            room_id: s.room_id.map(|r| r.to_string()).unwrap_or_default(),
            room: s.room.unwrap_or_default(),
        },
        people,
        cancelled: false,
    }))
}

/// A file of one reader's own (their agenda): no shared cache may keep it.
fn own_file(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, no-cache")], body).into_response()
}

/// schedule.xml, schedule.json, schedule.ics and schedule.csv of the latest published version
/// (404 before the first publication).
pub async fn export(
    State(state): State<AppState>,
    Path((slug, name)): Path<(String, String)>,
    Query(filter): Query<ExportFilter>,
    headers: axum::http::HeaderMap,
) -> AppResult<Response> {
    let Public { edition, latest, .. } = public(&state, &slug, None).await?;
    let latest = latest.ok_or(AppError::NotFound)?;
    // A published version never changes: each file is made once per version and filter (the
    // same for every reader, signed in or not).
    let key = format!(
        "export|{}|v{}|{name}|{:?}|{:?}|{:?}|{:?}|{}|{}",
        edition.id,
        latest.version.number,
        filter.room,
        filter.track,
        filter.person,
        filter.session,
        edition.name,
        edition.timezone
    );
    if let Some(hit) = state.pages.get(&key) {
        return Ok(hit.respond(&headers));
    }
    let mut export = publishing::frab(&latest, &edition, &state.config.public_url);
    filter.apply(&mut export);
    let (kind, body) = render_export(&edition, &name, &export)?;
    let rendered = super::shared::Rendered::new(kind, body);
    state.pages.put(key, rendered.clone());
    Ok(rendered.respond(&headers))
}

fn render_export(
    edition: &kaigi_db::editions::Edition,
    name: &str,
    export: &kaigi_core::frab::Export,
) -> AppResult<(&'static str, String)> {
    let file = |kind: &'static str, body: String| (kind, body);
    Ok(match name {
        "schedule.xml" => file("application/xml; charset=utf-8", kaigi_core::frab::write_xml(export)),
        "schedule.json" => file(
            "application/json",
            serde_json::to_string(&kaigi_core::frab::write_json(export))
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        "schedule.ics" => file(
            "text/calendar; charset=utf-8",
            kaigi_core::calendar::to_ical(&edition.name, &programme::calendar_events(export))
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        "schedule.csv" => file("text/csv; charset=utf-8", programme::csv(export)),
        _ => return Err(AppError::NotFound),
    })
}

/// Stars or unstars a session in the signed-in user's agenda.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StarForm {
    /// "agenda": back to the agenda (un-starring there), else to the session's page.
    #[serde(default)]
    back: String,
}

pub async fn star(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
    axum::Form(form): axum::Form<StarForm>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let id = starrable_session(&state, &slug, number).await?;
    programme::toggle_star(&state.db, user, id).await?;
    let back = if form.back == "agenda" {
        format!("/editions/{slug}/agenda")
    } else {
        format!("/editions/{slug}/sessions/{number}")
    };
    Ok(axum::response::Redirect::to(&back).into_response())
}

pub struct AgendaLine {
    pub number: i64,
    pub title: String,
    pub when: String,
    pub room: String,
    /// The numbers of the other starred sessions at the same time.
    pub clashes: Vec<i64>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    page: Page,
    slug: String,
    lines: Vec<AgendaLine>,
    /// Starred sessions at the same time as another.
    clashing: usize,
    /// When the person's calendar feed was made, if there is one.
    feed: Option<String>,
    /// The feed's address, just made: shown this once.
    feed_url: Option<String>,
}

async fn my_export(
    state: &AppState,
    user: uuid::Uuid,
    slug: &str,
) -> AppResult<(kaigi_db::editions::Edition, kaigi_core::frab::Export)> {
    let Public { edition, latest, .. } = public(state, slug, None).await?;
    let starred = programme::starred(&state.db, user, edition.id).await?;
    let Some(latest) = latest else {
        let empty = kaigi_core::publishing::to_frab(
            &Programme::default(),
            &kaigi_core::publishing::FrabEdition {
                slug: &edition.slug,
                title: &edition.name,
                time_zone: &edition.timezone,
                base_url: &state.config.public_url,
                version: String::new(),
            },
        );
        return Ok((edition, empty));
    };
    let mut export = publishing::frab(&latest, &edition, &state.config.public_url);
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
    agenda_page(&state, &ctx, &slug, None).await
}

/// A session a person starred, as the published programme places it, with the other starred
/// sessions at the same time.
pub struct AgendaEntry {
    pub number: i64,
    pub title: String,
    pub date: time::Date,
    /// Minutes from the day's midnight.
    pub start: i64,
    pub end: i64,
    pub room: String,
    pub clashes: Vec<i64>,
}

/// A person's agenda for an edition (the page's and the API's): their starred sessions of the
/// latest published version, in time order, each with its clashes.
pub async fn agenda_entries(
    state: &AppState,
    user: uuid::Uuid,
    slug: &str,
) -> AppResult<(kaigi_db::editions::Edition, Vec<AgendaEntry>)> {
    let (edition, export) = my_export(state, user, slug).await?;
    let mut entries = Vec::new();
    for d in &export.days {
        for (room, _, events) in &d.rooms {
            for e in events {
                entries.push(AgendaEntry {
                    number: e.id,
                    title: e.title.clone(),
                    date: d.date,
                    start: e.start,
                    end: e.start + e.minutes,
                    room: room.clone(),
                    clashes: Vec::new(),
                });
            }
        }
    }
    entries.sort_by_key(|e| (e.date, e.start, e.end));
    let overlaps =
        kaigi_core::programme::overlaps(&entries.iter().map(|e| (e.date, e.start, e.end)).collect::<Vec<_>>());
    let numbers: Vec<i64> = entries.iter().map(|e| e.number).collect();
    for (entry, others) in entries.iter_mut().zip(overlaps) {
        entry.clashes = others.into_iter().map(|j| numbers[j]).collect();
    }
    Ok((edition, entries))
}

async fn agenda_page(state: &AppState, ctx: &Ctx, slug: &str, feed_url: Option<String>) -> AppResult<Html<String>> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let (edition, entries) = agenda_entries(state, user, slug).await?;
    let feed = kaigi_db::feeds::made_at(&state.db, user, edition.id)
        .await?
        .map(|at| super::timezone::local_time(at, &edition.timezone));
    let page = Page::titled(ctx, "agenda-title");
    let lines: Vec<AgendaLine> = entries
        .into_iter()
        .map(|e| AgendaLine {
            when: format!(
                "{} {}–{}",
                page.date(&e.date),
                kaigi_core::timetable::format_clock(e.start),
                kaigi_core::timetable::format_clock(e.end)
            ),
            number: e.number,
            title: e.title,
            room: e.room,
            clashes: e.clashes,
        })
        .collect();
    let clashing = lines.iter().filter(|l| !l.clashes.is_empty()).count();
    render(&AgendaPage { page, slug: edition.slug, lines, clashing, feed, feed_url })
}

/// A session of the latest published version a person may star: placed there and not cancelled.
pub async fn starrable_session(state: &AppState, slug: &str, number: i64) -> AppResult<uuid::Uuid> {
    let Public { programme, .. } = public(state, slug, None).await?;
    let s = programme.by_number(number).filter(|s| !s.cancelled).ok_or(AppError::NotFound)?;
    uuid::Uuid::parse_str(&s.id).map_err(|e| AppError::Internal(format!("session id {}: {e}", s.id)))
}

/// A calendar feed's address, from its token.
pub fn feed_url(state: &AppState, token: &str) -> String {
    format!("{}/feeds/{token}/agenda.ics", state.config.public_url.trim_end_matches('/'))
}

pub async fn my_agenda_ics(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    agenda_ics(&state, user, &slug).await
}

async fn agenda_ics(state: &AppState, user: uuid::Uuid, slug: &str) -> AppResult<Response> {
    let (edition, export) = my_export(state, user, slug).await?;
    let ics = kaigi_core::calendar::to_ical(&edition.name, &programme::calendar_events(&export))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(own_file("text/calendar; charset=utf-8", ics))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FeedForm {
    /// "stop" ends the feed; anything else makes a new one (ending the old address).
    #[serde(default)]
    action: String,
}

/// Makes (or remakes) the person's calendar feed of the edition, or stops it.
pub async fn set_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<FeedForm>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = super::edition_by_slug(&state, &slug).await?;
    if form.action == "stop" {
        kaigi_db::feeds::stop(&state.db, &ctx.actor(), user, edition.id).await?;
        return Ok(axum::response::Redirect::to(&format!("/editions/{slug}/agenda#feed")).into_response());
    }
    let token = kaigi_db::feeds::create(&state.db, &ctx.actor(), user, edition.id).await?;
    let url = feed_url(&state, &token);
    let page = agenda_page(&state, &ctx, &slug, Some(url)).await?;
    // The secret is in this page: no cache may keep it.
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

/// A calendar app's fetch of a person's agenda: no cookie, the address is the credential.
pub async fn feed_ics(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Response> {
    let (user, edition) = kaigi_db::feeds::find(&state.db, &token).await?.ok_or(AppError::NotFound)?;
    let edition = kaigi_db::editions::edition_by_id(&state.db, edition).await?.ok_or(AppError::NotFound)?;
    agenda_ics(&state, user, &edition.slug).await
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
        Ok(schedule) => match publishing::import_published(&state.db, &ctx.actor(), &schedule, &slug).await {
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
