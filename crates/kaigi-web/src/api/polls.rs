//! Date polls through the API (日程調整): open one for the next meeting, add candidate dates,
//! answer ○△× as a member, name the key person, send the personal links, and choose the date,
//! which creates the meeting. The same storage calls, checks, letters and audit as the poll page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_db::{meetings, polls};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ApiError;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::pages::polls::{announce_meeting, answer_of, send_invitations, tally};

/// A member's answer for one candidate date: ○ yes, △ if need be, × no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PollAnswer {
    Yes,
    Ifneed,
    No,
}

impl PollAnswer {
    fn code(self) -> &'static str {
        match self {
            PollAnswer::Yes => "yes",
            PollAnswer::Ifneed => "ifneed",
            PollAnswer::No => "no",
        }
    }

    fn parse(code: &str) -> Option<PollAnswer> {
        [PollAnswer::Yes, PollAnswer::Ifneed, PollAnswer::No].into_iter().find(|a| a.code() == code)
    }
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PollStatus {
    /// Members answer; dates may be added.
    Open,
    /// A date was chosen and the meeting created.
    Closed,
}

/// A candidate date with what the members answered.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PollSlot {
    pub id: Uuid,
    /// YYYY-MM-DD
    pub day: String,
    /// HH:MM in the meeting's time zone
    pub starts_at: String,
    pub ends_at: String,
    pub yes: usize,
    pub ifneed: usize,
    pub no: usize,
    /// The key person answered no: the date is out whatever the others say.
    pub blocked: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SlotAnswer {
    pub slot: Uuid,
    pub answer: PollAnswer,
}

/// A member of the committee with the answers they gave (dates they left blank are absent).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PollMember {
    pub person: Uuid,
    pub name: String,
    pub key_person: bool,
    pub answers: Vec<SlotAnswer>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Poll {
    pub id: Uuid,
    pub committee: Uuid,
    pub title: String,
    pub status: PollStatus,
    /// The meeting the poll was opened at.
    pub drafted_at_meeting: Option<Uuid>,
    pub key_person: Option<Uuid>,
    /// Candidate dates, earliest first.
    pub slots: Vec<PollSlot>,
    /// The date most can come to ("if need be" counts half), not blocked by the key person;
    /// the earliest of equals; null while nobody can come.
    pub best_slot: Option<Uuid>,
    /// Once closed: the date chosen and the meeting created on it.
    pub chosen_slot: Option<Uuid>,
    pub meeting: Option<Uuid>,
    /// The committee's members in gojūon order.
    pub members: Vec<PollMember>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PollSummary {
    pub id: Uuid,
    pub title: String,
    pub drafted_at_meeting: Option<Uuid>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PollList {
    pub committee: Uuid,
    pub polls: Vec<PollSummary>,
}

fn date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

async fn load(state: &AppState, id: Uuid) -> Result<polls::Poll, ApiError> {
    Ok(polls::poll(&state.db, id).await?.ok_or(AppError::NotFound)?)
}

async fn board(state: &AppState, poll: polls::Poll) -> Result<Poll, ApiError> {
    let slots = polls::slots(&state.db, poll.id).await?;
    let answers = polls::answers(&state.db, poll.id).await?;
    let members = meetings::members(&state.db, poll.committee_id).await?;
    let (tallies, best) = tally(&poll, &slots, &answers);
    Ok(Poll {
        id: poll.id,
        committee: poll.committee_id,
        title: poll.title.clone(),
        status: if poll.status == "open" { PollStatus::Open } else { PollStatus::Closed },
        drafted_at_meeting: poll.drafted_at_meeting_id,
        key_person: poll.key_person_id,
        best_slot: best.map(|i| slots[i].id),
        chosen_slot: poll.chosen_slot_id,
        meeting: poll.created_meeting_id,
        members: members
            .iter()
            .map(|(person, name)| PollMember {
                person: *person,
                name: name.clone(),
                key_person: poll.key_person_id == Some(*person),
                answers: slots
                    .iter()
                    .filter_map(|s| {
                        let answer = PollAnswer::parse(answer_of(&answers, *person, s.id)?)?;
                        Some(SlotAnswer { slot: s.id, answer })
                    })
                    .collect(),
            })
            .collect(),
        slots: slots
            .iter()
            .zip(tallies)
            .map(|(s, t)| PollSlot {
                id: s.id,
                day: date(s.day),
                starts_at: s.starts_at.clone(),
                ends_at: s.ends_at.clone(),
                yes: t.yes,
                ifneed: t.ifneed,
                no: t.no,
                blocked: t.blocked,
            })
            .collect(),
    })
}

pub async fn list_polls(
    State(state): State<AppState>,
    Path(committee): Path<Uuid>,
) -> Result<Json<PollList>, ApiError> {
    let polls = polls::open_polls(&state.db, committee)
        .await?
        .into_iter()
        .map(|p| PollSummary { id: p.id, title: p.title, drafted_at_meeting: p.drafted_at_meeting_id })
        .collect();
    Ok(Json(PollList { committee, polls }))
}

pub async fn get_poll(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<Poll>, ApiError> {
    let poll = load(&state, id).await?;
    Ok(Json(board(&state, poll).await?))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PollOpened {
    pub id: Uuid,
    /// False when the meeting had opened its poll already: that one is answered.
    pub created: bool,
}

/// Opens the date poll for the meeting after this one, or answers the one it opened already.
pub async fn open_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
) -> Result<(StatusCode, Json<PollOpened>), ApiError> {
    let m = meetings::meeting(&state.db, meeting).await?.ok_or(AppError::NotFound)?;
    if let Some(existing) = polls::poll_drafted_at(&state.db, meeting).await? {
        return Ok((StatusCode::OK, Json(PollOpened { id: existing.id, created: false })));
    }
    let mut tx = state.db.begin().await?;
    let id = polls::create_poll(&mut tx, &ctx.actor(), &m).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(PollOpened { id, created: true })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GivenAnswer {
    pub slot: Uuid,
    pub answer: PollAnswer,
}

/// The caller's answers; dates left out keep what was answered before.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    #[schemars(length(min = 1, max = 60))]
    pub answers: Vec<GivenAnswer>,
}

/// Records the caller's own answers (a member of the committee; 403 for anyone else, the
/// administrator included: nobody answers for another member).
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    super::Body(given): super::Body<Answers>,
) -> Result<Json<Poll>, ApiError> {
    super::count_between("answers", given.answers.len(), 1, polls::MAX_SLOTS as usize)?;
    let poll = load(&state, id).await?;
    let person = ctx.user.as_ref().and_then(|u| u.person_id).ok_or(AppError::Forbidden)?;
    if !meetings::members(&state.db, poll.committee_id).await?.iter().any(|(p, _)| *p == person) {
        return Err(AppError::Forbidden.into());
    }
    let given: Vec<(Uuid, String)> = given.answers.iter().map(|a| (a.slot, a.answer.code().to_owned())).collect();
    polls::answer(&state.db, &ctx.actor(), id, person, &given).await?;
    Ok(Json(board(&state, load(&state, id).await?).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSlot {
    /// YYYY-MM-DD
    #[schemars(schema_with = "day_schema")]
    pub day: String,
    /// HH:MM in the meeting's time zone (up to 47:59 for a meeting past midnight)
    #[schemars(schema_with = "time_schema")]
    pub starts_at: String,
    /// HH:MM, after starts_at
    #[schemars(schema_with = "time_schema")]
    pub ends_at: String,
}

pub(super) fn day_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "format": "date"})
}

/// HH:MM, up to 47:59 for a meeting past midnight.
pub(super) fn time_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "pattern": "^([0-3][0-9]|4[0-7]):[0-5][0-9]$"})
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SlotAdded {
    pub id: Uuid,
}

/// Adds a candidate date (201); 409 error-poll-closed once a date was chosen, 409
/// error-poll-slots past 60 dates.
pub async fn add_slot(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    super::Body(new): super::Body<NewSlot>,
) -> Result<(StatusCode, Json<SlotAdded>), ApiError> {
    load(&state, id).await?;
    let day = crate::pages::form_date("day", &new.day)?;
    let mut tx = state.db.begin().await?;
    let slot = polls::add_slot(&mut tx, &ctx.actor(), id, day, &new.starts_at, &new.ends_at).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(SlotAdded { id: slot })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPerson {
    /// A member of the committee, or null for nobody.
    pub person: Option<Uuid>,
}

pub async fn set_key_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    super::Body(key): super::Body<KeyPerson>,
) -> Result<Json<Poll>, ApiError> {
    let poll = load(&state, id).await?;
    let mut tx = state.db.begin().await?;
    polls::set_key_person(&mut tx, &ctx.actor(), &poll, key.person).await?;
    tx.commit().await?;
    Ok(Json(board(&state, load(&state, id).await?).await?))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Invitations {
    /// Members sent their personal link just now.
    pub sent: usize,
    /// Members given a link but without an email address to send it to.
    pub without_email: usize,
}

/// Sends each member without one yet a personal link to answer without signing in (202: the
/// letters go out through the outbox); members invited before are not written to again.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
) -> Result<(StatusCode, Json<Invitations>), ApiError> {
    let poll = load(&state, id).await?;
    let invited = send_invitations(&state, &ctx, &poll).await?;
    Ok((StatusCode::ACCEPTED, Json(Invitations { sent: invited.sent, without_email: invited.without_email })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// One of the poll's candidate dates.
    pub slot: Uuid,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Chosen {
    /// The meeting created on the chosen date.
    pub meeting: Uuid,
}

/// Chooses the date (201): the next meeting is created on it with the draft agenda, the poll
/// closes and every member gets a letter with the calendar invitation; 409 error-poll-closed
/// when a date was chosen already.
pub async fn choose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    super::Body(choice): super::Body<Choice>,
) -> Result<(StatusCode, Json<Chosen>), ApiError> {
    let poll = load(&state, id).await?;
    let meeting = polls::choose_slot(&state.db, &ctx.actor(), id, choice.slot).await?;
    announce_meeting(&state, &poll, meeting).await?;
    Ok((StatusCode::CREATED, Json(Chosen { meeting })))
}
