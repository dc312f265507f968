//! Committees' meetings through the API: a meeting with its agenda, minutes, attendance,
//! action items and decisions; writing an item's minutes on the revision read (a stale write is
//! a 409 that carries the current text); action items, decisions and the minutes' state. The
//! same storage calls, permission checks and audit as the meeting page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_db::meetings;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApiError, at_most, not_negative};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;

/// A standing committee, as the public list shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Committee {
    pub id: Uuid,
    pub name: String,
    pub name_en: Option<String>,
    /// Whether the caller may open its meetings (a member, or an administrator).
    pub member: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CommitteeList {
    pub committees: Vec<Committee>,
}

pub async fn list_committees(State(state): State<AppState>, ctx: Ctx) -> Result<Json<CommitteeList>, ApiError> {
    let committees = kaigi_db::editions::list_committees(&state.db)
        .await?
        .into_iter()
        .map(|c| Committee {
            member: ctx.can(&kaigi_core::access::Permission::CommitteeInside(c.id.to_string())),
            id: c.id,
            name: c.name,
            name_en: c.name_en,
        })
        .collect();
    Ok(Json(CommitteeList { committees }))
}

/// A meeting as a committee's list shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingSummary {
    pub id: Uuid,
    pub series: String,
    pub number: i64,
    /// YYYY-MM-DD
    pub held_on: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingList {
    pub committee: Uuid,
    pub meetings: Vec<MeetingSummary>,
}

/// Where the minutes are in their life: draft → circulated → approved (→ published).
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MinutesStateName {
    Draft,
    Circulated,
    Approved,
}

/// How a meeting is held.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VenueKind {
    Onsite,
    Online,
    Hybrid,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Meeting {
    pub id: Uuid,
    pub committee: Uuid,
    pub series: String,
    pub number: i64,
    /// YYYY-MM-DD
    pub held_on: String,
    /// HH:MM in the meeting's time zone
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub venue_kind: VenueKind,
    pub venue_text: Option<String>,
    pub chair: Option<String>,
    pub minute_taker: Option<String>,
    pub minutes_state: MinutesStateName,
    /// Approved minutes the public can read.
    pub published: bool,
    /// The meeting's details' version, for optimistic concurrency.
    pub version: i64,
    pub items: Vec<AgendaItem>,
    /// In gojūon order (敬称略), as the minutes list them.
    pub attendance: Vec<Attendee>,
    /// Decided at this meeting.
    pub action_items: Vec<ActionItem>,
    pub decisions: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AgendaItem {
    pub id: Uuid,
    /// As numbered in the agenda: "5", "5.1"
    pub number: String,
    pub title: String,
    /// The item's time box in minutes.
    pub timebox_min: Option<i64>,
    pub reached: bool,
    pub recurring: bool,
    /// The minutes' newest revision (0 before the first); send it back when writing.
    pub revision: i64,
    /// The minutes of this item, Markdown.
    pub body: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Attendee {
    pub person: Option<Uuid>,
    pub name: String,
    pub affiliation: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ActionItem {
    pub id: Uuid,
    pub text: String,
    pub owners: Vec<String>,
    /// YYYY-MM-DD, or YYYY-MM for "within the month"
    pub due: Option<String>,
    pub status: ActionStatus,
    /// Send it back when changing the status.
    pub version: i64,
}

fn date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn action_item(a: meetings::ActionItem) -> ActionItem {
    ActionItem {
        owners: a.owner_names(),
        id: a.id,
        text: a.text,
        due: a.due,
        status: match a.status.as_str() {
            "done" => ActionStatus::Done,
            "dropped" => ActionStatus::Dropped,
            _ => ActionStatus::Open,
        },
        version: a.version,
    }
}

pub async fn list_meetings(
    State(state): State<AppState>,
    Path(committee): Path<Uuid>,
) -> Result<Json<MeetingList>, ApiError> {
    let meetings = meetings::of_committee(&state.db, committee)
        .await?
        .into_iter()
        .map(|m| MeetingSummary { id: m.id, series: m.series_name, number: m.number, held_on: date(m.held_on) })
        .collect();
    Ok(Json(MeetingList { committee, meetings }))
}

pub async fn get_meeting(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<Meeting>, ApiError> {
    let db = &state.db;
    let m = meetings::meeting(db, id).await?.ok_or(AppError::NotFound)?;
    let state_name = match m.minutes_state.as_str() {
        "circulated" => MinutesStateName::Circulated,
        "approved" => MinutesStateName::Approved,
        _ => MinutesStateName::Draft,
    };
    let venue_kind = match m.venue_kind.as_str() {
        "online" => VenueKind::Online,
        "hybrid" => VenueKind::Hybrid,
        _ => VenueKind::Onsite,
    };
    Ok(Json(Meeting {
        id: m.id,
        committee: m.committee_id,
        series: m.series_name,
        number: m.number,
        held_on: date(m.held_on),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        timezone: m.timezone,
        venue_kind,
        venue_text: m.venue_text,
        chair: m.chair,
        minute_taker: m.minute_taker,
        minutes_state: state_name,
        published: m.published,
        version: m.version,
        items: meetings::agenda(db, id)
            .await?
            .into_iter()
            .map(|i| AgendaItem {
                id: i.id,
                number: i.number,
                title: i.title,
                timebox_min: i.timebox_min,
                reached: i.reached,
                recurring: i.recurring,
                revision: i.revision,
                body: i.body,
            })
            .collect(),
        attendance: meetings::attendance(db, id)
            .await?
            .into_iter()
            .map(|a| Attendee { person: a.person_id, name: a.name(), affiliation: a.affiliation })
            .collect(),
        action_items: meetings::action_items_from(db, id).await?.into_iter().map(action_item).collect(),
        decisions: meetings::decisions(db, id).await?,
    }))
}

/// An item's minutes written on the revision read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesWrite {
    /// The revision the text was written on (`revision` of the item as read).
    #[schemars(range(min = 0))]
    pub revision: i64,
    /// The item's minutes, Markdown; at most 200,000 characters.
    #[schemars(length(max = 200000))]
    pub body: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MinutesSaved {
    /// The revision now stored (unchanged when the text was the same).
    pub revision: i64,
}

/// The largest minutes of one item the API takes (an archive's longest item is a few pages).
const MINUTES_BODY_LIMIT: usize = 200_000;

pub async fn write_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    // The route's scope check has found the item inside the meeting already.
    Path((_, item)): Path<(Uuid, Uuid)>,
    super::Body(write): super::Body<MinutesWrite>,
) -> Result<Json<MinutesSaved>, ApiError> {
    at_most("body", &write.body, MINUTES_BODY_LIMIT)?;
    not_negative("revision", write.revision)?;
    let body = write.body.replace("\r\n", "\n");
    match kaigi_db::minutes::save_minutes(&state.db, &ctx.actor(), item, write.revision, &body).await? {
        Ok(revision) => Ok(Json(MinutesSaved { revision })),
        Err(conflict) => Err(ApiError::conflict_with(serde_json::json!({
            "current_revision": conflict.current_revision,
            "current_body": conflict.current_body,
        }))),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActionItem {
    /// What is to be done.
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub text: String,
    /// Who does it, by name as the minutes write them.
    #[serde(default)]
    #[schemars(length(max = 20), inner(length(max = 200)))]
    pub owners: Vec<String>,
    /// YYYY-MM-DD, or YYYY-MM for "within the month"; left out or null when there is none.
    #[serde(default)]
    #[schemars(schema_with = "due_schema")]
    pub due: Option<String>,
}

fn due_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "null"],
        "description": "YYYY-MM-DD, or YYYY-MM for \"within the month\"",
        "anyOf": [{"format": "date"}, {"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}],
    })
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Created {
    pub id: Uuid,
}

pub async fn add_action_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Body(new): super::Body<NewActionItem>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    at_most("text", &new.text, 2000)?;
    super::count_between("owners", new.owners.len(), 0, 20)?;
    for owner in &new.owners {
        at_most("owners", owner, 200)?;
    }
    let owners: Vec<(Option<Uuid>, String)> = new
        .owners
        .iter()
        .map(|o| kaigi_core::directory::normalize_spaces(o))
        .filter(|o| !o.is_empty())
        .map(|o| (None, o))
        .collect();
    let due = new.due.as_deref();
    let mut tx = state.db.begin().await?;
    let id = meetings::add_action_item(&mut tx, &ctx.actor(), meeting, &new.text, &owners, due).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionStatusChange {
    pub status: ActionStatus,
    /// The action item's version as read; 409 if someone changed it since.
    #[schemars(range(min = 0))]
    pub version: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Changed {
    pub ok: bool,
}

pub async fn set_action_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((meeting, action)): Path<(Uuid, Uuid)>,
    super::Body(change): super::Body<ActionStatusChange>,
) -> Result<Json<Changed>, ApiError> {
    let status = match change.status {
        ActionStatus::Open => "open",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    };
    not_negative("version", change.version)?;
    let mut tx = state.db.begin().await?;
    meetings::set_action_item_status(&mut tx, &ctx.actor(), action, change.version, status, Some(meeting)).await?;
    tx.commit().await?;
    Ok(Json(Changed { ok: true }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    /// The decision's wording.
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub text: String,
    /// The agenda item it was taken under (an item of this meeting).
    pub item: Option<Uuid>,
}

pub async fn add_decision(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Body(new): super::Body<NewDecision>,
) -> Result<(StatusCode, Json<Changed>), ApiError> {
    at_most("text", &new.text, 2000)?;
    // An agenda item named in the body is one of this meeting's, or not found.
    if let Some(item) = new.item
        && !meetings::agenda(&state.db, meeting).await?.iter().any(|i| i.id == item)
    {
        return Err(AppError::NotFound.into());
    }
    let mut tx = state.db.begin().await?;
    meetings::add_decision(&mut tx, &ctx.actor(), meeting, new.item, &new.text).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Changed { ok: true })))
}

/// A step of the minutes, named by `to`; reopening approved minutes says why.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "to", rename_all = "lowercase", deny_unknown_fields)]
pub enum MinutesStateChange {
    // Braces, not unit variants: serde refuses unknown fields only in a struct variant.
    Circulate {},
    Recall {},
    Approve {},
    Publish {},
    Unpublish {},
    Reopen {
        /// Why approved minutes are reopened; kept with the minutes' history.
        #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
        reason: String,
    },
}

pub async fn change_minutes_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Tagged(change): super::Tagged<MinutesStateChange>,
) -> Result<Json<Changed>, ApiError> {
    use kaigi_core::minutes::MinutesStep;
    let (step, reason) = match &change {
        MinutesStateChange::Circulate {} => (MinutesStep::Circulate, None),
        MinutesStateChange::Recall {} => (MinutesStep::Recall, None),
        MinutesStateChange::Approve {} => (MinutesStep::Approve, None),
        MinutesStateChange::Publish {} => (MinutesStep::Publish, None),
        MinutesStateChange::Unpublish {} => (MinutesStep::Unpublish, None),
        MinutesStateChange::Reopen { reason } => {
            at_most("reason", reason, 2000)?;
            (MinutesStep::Reopen, Some(reason.as_str()))
        }
    };
    let m = meetings::meeting(&state.db, meeting).await?.ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    kaigi_db::minutes::change_state(&mut tx, &ctx.actor(), &m, step, reason).await?;
    tx.commit().await?;
    Ok(Json(Changed { ok: true }))
}
