//! The draft programme through the API, as the timetable editor works on it: the sessions with
//! their places, sessions the committee adds itself, a move (or pin) on the version read, the
//! timetabler's solution previewed and the whole timetable stored. Nothing here is public: the
//! public programme changes only when a version is published.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kaigi_core::timetable::Placement;
use kaigi_db::programme::{self, SessionRow};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ApiError, at_most, count_between};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppError;
use crate::pages::timetable::{DraftSolve, OwnSession, create_own_session, placement_of, solve_draft};

/// Where a session is: a room of the edition, a day, a start at the venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub room: Uuid,
    /// YYYY-MM-DD
    #[schemars(schema_with = "day_schema")]
    pub day: String,
    /// HH:MM at the venue
    #[schemars(schema_with = "clock_schema")]
    pub start: String,
}

fn day_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "format": "date"})
}

fn clock_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"})
}

/// HH:MM on a 24-hour clock, exactly as the document's pattern says.
fn is_clock(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && text[..2].parse::<u8>().is_ok_and(|h| h < 24 && bytes[..2].iter().all(u8::is_ascii_digit))
        && text[3..].parse::<u8>().is_ok_and(|m| m < 60 && bytes[3..].iter().all(u8::is_ascii_digit))
}

impl Place {
    fn of(placement: &Placement) -> Option<Place> {
        Some(Place {
            room: Uuid::parse_str(&placement.room).ok()?,
            day: placement.day.clone(),
            start: placement.start.clone(),
        })
    }

    fn checked(&self) -> Result<(Uuid, time::Date, String), ApiError> {
        let day = crate::pages::form_date("day", &self.day)?;
        if !is_clock(&self.start) {
            return Err(AppError::from(kaigi_db::DbError::not_a_time("start", &self.start)).into());
        }
        Ok((self.room, day, self.start.clone()))
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DraftSession {
    pub id: Uuid,
    pub number: i64,
    pub title: String,
    /// workshop, main, ceremony, open-forum, …
    pub kind: String,
    pub minutes: i64,
    /// Expected audience (0: not known).
    pub audience: i64,
    /// hybrid, interpretation, …
    pub needs: Vec<String>,
    pub track: Option<String>,
    pub theme: Option<String>,
    /// The proposal it came from, if any.
    pub proposal: Option<Uuid>,
    /// Null while unplaced.
    pub place: Option<Place>,
    pub room_name: Option<String>,
    /// Kept where it is by every solve.
    pub pinned: bool,
    /// Send it back when moving the session; 409 if it moved since.
    pub version: i64,
    /// On the public programme (as last published).
    pub published: bool,
}

fn draft_session(s: SessionRow) -> DraftSession {
    DraftSession {
        place: placement_of(&s).as_ref().and_then(Place::of),
        id: s.id,
        number: s.number,
        title: s.title,
        kind: s.kind,
        minutes: s.minutes,
        audience: s.audience,
        needs: s.needs.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect(),
        track: s.track,
        theme: s.theme,
        proposal: s.proposal_id,
        room_name: s.room,
        pinned: s.pinned,
        version: s.version,
        published: s.published,
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SessionFilter {
    /// true: only placed sessions; false: only those still to place.
    pub placed: Option<bool>,
    /// One kind of session, e.g. workshop.
    pub kind: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SessionPage {
    /// Sessions matching the filter, on every page.
    pub total: usize,
    pub limit: i64,
    pub offset: i64,
    /// Placed sessions by day, time and room; then the unplaced by number.
    pub sessions: Vec<DraftSession>,
}

pub async fn list_sessions(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Query(filter): Query<SessionFilter>,
) -> Result<Json<SessionPage>, ApiError> {
    let limit = filter.limit.unwrap_or(100);
    let offset = filter.offset.unwrap_or(0);
    super::within("limit", limit, 1, 500)?;
    super::within("offset", offset, 0, 1_000_000)?;
    if let Some(kind) = &filter.kind {
        at_most("kind", kind, 40)?;
    }
    let kind = filter.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    let matching: Vec<SessionRow> = programme::sessions(&state.db, edition.id)
        .await?
        .into_iter()
        .filter(|s| filter.placed.is_none_or(|placed| placed == s.room_id.is_some()))
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .collect();
    let total = matching.len();
    let sessions = matching.into_iter().skip(offset as usize).take(limit as usize).map(draft_session).collect();
    Ok(Json(SessionPage { total, limit, offset, sessions }))
}

/// Kinds of session the committee creates itself (proposals bring the others).
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OwnKind {
    Main,
    Ceremony,
    OpenForum,
    TownHall,
    LaunchAward,
}

impl OwnKind {
    pub const ALL: [OwnKind; 5] =
        [OwnKind::Main, OwnKind::Ceremony, OwnKind::OpenForum, OwnKind::TownHall, OwnKind::LaunchAward];

    /// The kind a code names (the editor's form sends codes).
    pub fn parse(code: &str) -> Option<OwnKind> {
        OwnKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            OwnKind::Main => "main",
            OwnKind::Ceremony => "ceremony",
            OwnKind::OpenForum => "open-forum",
            OwnKind::TownHall => "town-hall",
            OwnKind::LaunchAward => "launch-award",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Need {
    Hybrid,
    Interpretation,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    #[schemars(length(min = 1, max = 300), regex(pattern = r"\S"))]
    pub title: String,
    pub kind: OwnKind,
    #[schemars(range(min = 5, max = 600))]
    pub minutes: i64,
    /// Expected audience; 0 or left out: not known.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1_000_000))]
    pub audience: i64,
    /// A theme of the edition.
    #[serde(default)]
    pub theme: Option<Uuid>,
    /// A track of the edition.
    #[serde(default)]
    pub track: Option<Uuid>,
    #[serde(default)]
    #[schemars(length(max = 2))]
    pub needs: Vec<Need>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SessionCreated {
    pub id: Uuid,
    pub number: i64,
}

/// A session the committee creates itself (a main session, a ceremony), unplaced (201); a theme
/// or track of another edition is a 404.
pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(new): super::Body<NewSession>,
) -> Result<(StatusCode, Json<SessionCreated>), ApiError> {
    at_most("title", &new.title, 300)?;
    let title = kaigi_core::directory::normalize_spaces(&new.title);
    if title.is_empty() {
        return Err(AppError::from(kaigi_db::DbError::empty("title")).into());
    }
    super::within("minutes", new.minutes, 5, 600)?;
    super::within("audience", new.audience, 0, 1_000_000)?;
    count_between("needs", new.needs.len(), 0, 2)?;
    let mut needs = Vec::new();
    for (need, code) in [(Need::Hybrid, "hybrid"), (Need::Interpretation, "interpretation")] {
        if new.needs.contains(&need) {
            needs.push(code.to_owned());
        }
    }
    let own = OwnSession {
        title,
        kind: new.kind.code(),
        minutes: new.minutes,
        audience: new.audience,
        needs,
        theme: new.theme,
        track: new.track,
    };
    // A theme or track named in the body that is not this edition's: not found here.
    let (id, number) = create_own_session(&state, &ctx, edition.id, own).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(SessionCreated { id, number })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// The session's version as read; 409 if it moved since.
    #[schemars(range(min = 0))]
    pub version: i64,
    /// Where to; null takes it out of the timetable.
    pub place: Option<Place>,
    /// Keep it there through every solve (only a placed session is pinned).
    #[serde(default)]
    pub pinned: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Moved {
    pub session: DraftSession,
    /// The draft timetable's version after the move.
    pub schedule_version: i64,
}

/// Moves (or pins, or unplaces) one session of the draft; 409 error-conflict when it changed
/// since the version read, 404 for a room of another edition.
pub async fn move_session(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, number)): Path<(String, i64)>,
    super::Body(change): super::Body<Move>,
) -> Result<Json<Moved>, ApiError> {
    super::not_negative("version", change.version)?;
    let sessions = programme::sessions(&state.db, edition.id).await?;
    let session = sessions.iter().find(|s| s.number == number).ok_or(AppError::NotFound)?;
    let to = change.place.as_ref().map(Place::checked).transpose()?;
    let schedule_version =
        programme::move_session(&state.db, &ctx.actor(), edition.id, session.id, change.version, to, change.pinned)
            .await?;
    let moved = programme::session(&state.db, edition.id, session.id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(Moved { session: draft_session(moved), schedule_version }))
}

#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SolveMode {
    /// Fix what is wrong and move as little as possible.
    #[default]
    Minimal,
    /// Place every unpinned session again.
    Fresh,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SolveQuery {
    pub mode: Option<SolveMode>,
}

/// A session the solution places elsewhere than the draft.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SessionMove {
    pub session: Uuid,
    pub number: i64,
    /// Null: unplaced in the draft.
    pub from: Option<Place>,
    pub to: Place,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionPlace {
    pub session: Uuid,
    pub place: Place,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SolvePreview {
    /// When the draft was read; send it back to apply (409 if a session moved since).
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub as_of: OffsetDateTime,
    /// Hard violations (clashes, rooms too small, outside hours, unplaced) before and after.
    pub hard_before: u64,
    pub hard_after: u64,
    /// The soft score (lower is better) before and after.
    pub score_before: f64,
    pub score_after: f64,
    pub moves: Vec<SessionMove>,
    /// Every placed session of the solution: the timetable to store.
    pub placements: Vec<SessionPlace>,
    /// What is left, one sentence each (in English, naming sessions and rooms by id).
    pub explanations: Vec<String>,
}

/// Runs the timetabler on the draft (pinned sessions stay) and says what would move; stores
/// nothing.
pub async fn preview(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Query(query): Query<SolveQuery>,
) -> Result<Json<SolvePreview>, ApiError> {
    let fresh = matches!(query.mode.unwrap_or_default(), SolveMode::Fresh);
    let DraftSolve { as_of, sessions, before, solution, .. } = solve_draft(&state, edition.id, fresh).await?;
    let placements: Vec<SessionPlace> = solution
        .placements
        .iter()
        .filter_map(|p| Some(SessionPlace { session: Uuid::parse_str(&p.session).ok()?, place: Place::of(p)? }))
        .collect();
    let moves = sessions
        .iter()
        .filter_map(|s| {
            let to = solution.placements.iter().find(|p| p.session == s.id.to_string())?;
            let from = placement_of(s);
            (from.as_ref() != Some(to)).then(|| {
                Some(SessionMove {
                    session: s.id,
                    number: s.number,
                    from: from.as_ref().and_then(Place::of),
                    to: Place::of(to)?,
                })
            })?
        })
        .collect();
    Ok(Json(SolvePreview {
        as_of,
        hard_before: before.hard.total(),
        hard_after: solution.evaluation.hard.total(),
        score_before: before.score,
        score_after: solution.evaluation.score,
        moves,
        placements,
        explanations: solution.explanations,
    }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimetableWrite {
    /// Every session to be placed, where. Unpinned sessions left out are taken out of the
    /// timetable; pinned ones stay where they are.
    #[schemars(length(max = 5000))]
    pub placements: Vec<SessionPlace>,
    /// The preview's as_of: 409 error-conflict if a session it moves changed since.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub as_of: OffsetDateTime,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TimetableStored {
    pub moved: usize,
    pub unplaced: usize,
    pub schedule_version: i64,
}

/// Stores the whole draft timetable in one transaction (a preview's placements as they came, or
/// a program's own); 404 for a session or room of another edition, 409 error-conflict when a
/// session it moves changed since as_of.
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(write): super::Body<TimetableWrite>,
) -> Result<Json<TimetableStored>, ApiError> {
    count_between("placements", write.placements.len(), 0, 5000)?;
    let mut placements = Vec::with_capacity(write.placements.len());
    for p in &write.placements {
        let (room, day, start) = p.place.checked()?;
        placements.push(Placement {
            session: p.session.to_string(),
            room: room.to_string(),
            day: day.to_string(),
            start,
        });
    }
    let applied = programme::apply(&state.db, &ctx.actor(), edition.id, &placements, Some(write.as_of)).await?;
    Ok(Json(TimetableStored {
        moved: applied.moved,
        unplaced: applied.unplaced,
        schedule_version: applied.schedule_version,
    }))
}
