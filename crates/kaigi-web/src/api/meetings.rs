//! Committees' meetings through the API: a meeting with its agenda, minutes, attendance,
//! action items and decisions; writing an item's minutes on the revision read (a stale write is
//! a 409 that carries the current text); action items, decisions and the minutes' state. The
//! same storage calls, permission checks and audit as the meeting page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_core::programme::VenueKind;
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

/// A series of meetings of the committee (a new meeting is created in one).
#[derive(Debug, Serialize, JsonSchema)]
pub struct SeriesRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingList {
    pub committee: Uuid,
    pub series: Vec<SeriesRef>,
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
    /// The online meeting's link.
    pub venue_link: Option<String>,
    pub chair: Option<String>,
    pub minute_taker: Option<String>,
    /// The hosts named on the invitation (主催), in order.
    pub hosts: Vec<String>,
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
    /// Topics for the next meeting (次回アジェンダ（たたき台）): its agenda starts with them.
    pub draft_agenda: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AgendaItem {
    pub id: Uuid,
    /// As numbered in the agenda: "5", "5.1"
    pub number: String,
    pub title: String,
    /// The item's time box in minutes.
    pub timebox_min: Option<i64>,
    /// Who presents it.
    pub presenter: Option<String>,
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
    let series = meetings::series_of_committee(&state.db, committee)
        .await?
        .into_iter()
        .map(|s| SeriesRef { id: s.id, name: s.name })
        .collect();
    Ok(Json(MeetingList { committee, series, meetings }))
}

pub async fn get_meeting(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(meeting_view(&state, id).await?))
}

async fn meeting_view(state: &AppState, id: Uuid) -> Result<Meeting, ApiError> {
    let db = &state.db;
    let m = meetings::meeting(db, id).await?.ok_or(AppError::NotFound)?;
    let state_name = match m.minutes_state.as_str() {
        "circulated" => MinutesStateName::Circulated,
        "approved" => MinutesStateName::Approved,
        _ => MinutesStateName::Draft,
    };
    let venue_kind = m.venue_kind.parse().unwrap_or(VenueKind::Onsite);
    Ok(Meeting {
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
        venue_link: m.venue_link,
        chair: m.chair,
        minute_taker: m.minute_taker,
        hosts: meetings::hosts(db, id).await?,
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
                presenter: i.presenter,
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
        draft_agenda: meetings::draft_agenda(db, id).await?,
    })
}

use super::polls::{day_schema, time_schema};

/// The texts of a meeting's details within their lengths as sent (before any trimming).
fn texts_within(
    venue_text: &str,
    venue_link: Option<&str>,
    chair: Option<&str>,
    minute_taker: Option<&str>,
) -> Result<(), ApiError> {
    at_most("venue_text", venue_text, meetings::VENUE_MAX)?;
    at_most("venue_link", venue_link.unwrap_or_default(), meetings::LINK_MAX)?;
    at_most("chair", chair.unwrap_or_default(), meetings::NAME_MAX)?;
    at_most("minute_taker", minute_taker.unwrap_or_default(), meetings::NAME_MAX)
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// A meeting of one of the committee's series.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    /// One of the committee's series (`series` of the meeting list).
    pub series: Uuid,
    /// Its number in the series; left out: the one after the committee's latest.
    #[serde(default)]
    #[schemars(range(min = 1, max = 100000))]
    pub number: Option<i64>,
    #[schemars(schema_with = "day_schema")]
    pub held_on: String,
    #[schemars(schema_with = "time_schema")]
    pub starts_at: String,
    /// After starts_at.
    #[schemars(schema_with = "time_schema")]
    pub ends_at: String,
    /// An IANA time zone; left out: Asia/Tokyo.
    #[serde(default)]
    #[schemars(length(max = 64))]
    pub timezone: Option<String>,
    pub venue_kind: VenueKind,
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub venue_text: String,
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub venue_link: Option<String>,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub chair: Option<String>,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub minute_taker: Option<String>,
}

/// Creates the meeting (201); its agenda starts from what the series carries forward (the draft
/// agenda, recurring and unreached topics, a review of open action items).
pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(committee): Path<Uuid>,
    super::Body(new): super::Body<NewMeeting>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    if !meetings::series_of_committee(&state.db, committee).await?.iter().any(|s| s.id == new.series) {
        return Err(AppError::refused("error-series-unknown").into());
    }
    at_most("timezone", new.timezone.as_deref().unwrap_or_default(), 64)?;
    texts_within(&new.venue_text, new.venue_link.as_deref(), new.chair.as_deref(), new.minute_taker.as_deref())?;
    let timezone = trimmed(new.timezone.as_deref()).unwrap_or_else(|| "Asia/Tokyo".into());
    let number = match new.number {
        Some(n) => n,
        None => meetings::of_committee(&state.db, committee).await?.iter().map(|m| m.number).max().unwrap_or(0) + 1,
    };
    let details = meetings::NewMeeting {
        number,
        held_on: crate::pages::form_date("held_on", &new.held_on)?,
        starts_at: new.starts_at,
        ends_at: new.ends_at,
        timezone,
        venue_kind: new.venue_kind.code().to_owned(),
        venue_text: new.venue_text.trim().to_owned(),
        venue_link: trimmed(new.venue_link.as_deref()),
        chair: trimmed(new.chair.as_deref()),
        minute_taker: trimmed(new.minute_taker.as_deref()),
    };
    let mut tx = state.db.begin().await?;
    let id = meetings::create_meeting(&mut tx, &ctx.actor(), new.series, &details).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(meeting_view(&state, id).await?)))
}

/// A meeting's date, times, venue and people, on the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailsWrite {
    /// The meeting's version as read; 409 error-conflict if someone saved since.
    #[schemars(range(min = 0))]
    pub version: i64,
    #[schemars(schema_with = "day_schema")]
    pub held_on: String,
    #[schemars(schema_with = "time_schema")]
    pub starts_at: String,
    #[schemars(schema_with = "time_schema")]
    pub ends_at: String,
    /// An IANA time zone (Asia/Tokyo).
    #[schemars(length(min = 1, max = 64))]
    pub timezone: String,
    pub venue_kind: VenueKind,
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub venue_text: String,
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub venue_link: Option<String>,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub chair: Option<String>,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub minute_taker: Option<String>,
    /// The hosts named on the invitation, in order.
    #[serde(default)]
    #[schemars(length(max = 20), inner(length(max = 200)))]
    pub hosts: Vec<String>,
}

pub async fn save_details(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Body(write): super::Body<DetailsWrite>,
) -> Result<Json<Meeting>, ApiError> {
    not_negative("version", write.version)?;
    at_most("timezone", &write.timezone, 64)?;
    texts_within(
        &write.venue_text,
        write.venue_link.as_deref(),
        write.chair.as_deref(),
        write.minute_taker.as_deref(),
    )?;
    super::count_between("hosts", write.hosts.len(), 0, meetings::HOSTS_MAX)?;
    for host in &write.hosts {
        at_most("hosts", host, meetings::NAME_MAX)?;
    }
    let m = meetings::meeting(&state.db, meeting).await?.ok_or(AppError::NotFound)?;
    let details = meetings::MeetingDetails {
        held_on: crate::pages::form_date("held_on", &write.held_on)?,
        starts_at: write.starts_at,
        ends_at: write.ends_at,
        timezone: write.timezone.trim().to_owned(),
        venue_kind: write.venue_kind.code().to_owned(),
        venue_text: write.venue_text.trim().to_owned(),
        venue_link: trimmed(write.venue_link.as_deref()),
        chair: trimmed(write.chair.as_deref()),
        minute_taker: trimmed(write.minute_taker.as_deref()),
        hosts: write.hosts.iter().filter_map(|h| trimmed(Some(h))).collect(),
    };
    let mut tx = state.db.begin().await?;
    meetings::update_details(&mut tx, &ctx.actor(), &m, write.version, &details).await?;
    tx.commit().await?;
    Ok(Json(meeting_view(&state, meeting).await?))
}

/// An agenda item added at the end.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgendaItem {
    /// "5" or "5.1"; left out: the next whole number.
    #[serde(default)]
    #[schemars(length(max = 20), regex(pattern = r"^[0-9]+(\.[0-9]+)*$"))]
    pub number: Option<String>,
    #[schemars(length(min = 1, max = 500), regex(pattern = r"\S"))]
    pub title: String,
    /// Minutes.
    #[serde(default)]
    #[schemars(range(min = 1, max = 600))]
    pub timebox_min: Option<i64>,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub presenter: Option<String>,
}

pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Body(new): super::Body<NewAgendaItem>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    at_most("title", &new.title, meetings::TITLE_MAX)?;
    at_most("presenter", new.presenter.as_deref().unwrap_or_default(), meetings::NAME_MAX)?;
    if let Some(number) = &new.number
        && (number.len() > 20 || !number.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    {
        return Err(AppError::refused("error-agenda-number").with("value", number).into());
    }
    let mut tx = state.db.begin().await?;
    let id = meetings::add_agenda_item(
        &mut tx,
        &ctx.actor(),
        meeting,
        new.number.as_deref(),
        &new.title,
        new.timebox_min,
        trimmed(new.presenter.as_deref()).as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Whether the meeting reached the item and whether it recurs: either carries it to the next
/// meeting's agenda.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemFlags {
    pub reached: bool,
    pub recurring: bool,
}

pub async fn set_item_flags(
    State(state): State<AppState>,
    ctx: Ctx,
    // The route's scope check has found the item inside the meeting already.
    Path((_, item)): Path<(Uuid, Uuid)>,
    super::Body(flags): super::Body<ItemFlags>,
) -> Result<Json<Changed>, ApiError> {
    let mut tx = state.db.begin().await?;
    meetings::set_item_flags(&mut tx, &ctx.actor(), item, flags.reached, flags.recurring).await?;
    tx.commit().await?;
    Ok(Json(Changed { ok: true }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAttendee {
    /// A person of the directory; their affiliation today is recorded with them.
    pub person: Uuid,
}

pub async fn add_attendee(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Body(new): super::Body<NewAttendee>,
) -> Result<(StatusCode, Json<Changed>), ApiError> {
    let mut tx = state.db.begin().await?;
    meetings::add_attendee(&mut tx, &ctx.actor(), meeting, new.person).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Changed { ok: true })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraftTopic {
    #[schemars(length(min = 1, max = 500), regex(pattern = r"\S"))]
    pub title: String,
}

pub async fn add_draft_topic(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    super::Body(new): super::Body<NewDraftTopic>,
) -> Result<(StatusCode, Json<Changed>), ApiError> {
    at_most("title", &new.title, 500)?;
    let mut tx = state.db.begin().await?;
    meetings::add_draft_agenda_item(&mut tx, &ctx.actor(), meeting, &new.title).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Changed { ok: true })))
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
