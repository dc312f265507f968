//! The organisers' side of a call through the API: their proposals, a new one in an open call,
//! its text saved on the version read (every save a revision) and submitted in the same
//! request if they like, its status moved, people added. The same rules as the proposal page:
//! the organisers (or the edition's secretariat) only, while the call is open or the proposal
//! was accepted on condition.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_core::calls::ProposalFields;
use kaigi_core::programme::SessionType;
use kaigi_core::screening::Part;
use kaigi_db::calls;
use kaigi_db::proposals::{self, Invitee};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApiError, Tagged, not_negative};
use crate::AppState;
use crate::auth::{Ctx, InProposal};
use crate::error::AppError;

fn session_type_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes: Vec<&str> = SessionType::ALL.iter().map(|t| t.code()).collect();
    schemars::json_schema!({"type": "string", "enum": codes, "description": "One of the session types the call takes"})
}

fn status_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes: Vec<&str> = kaigi_core::programme::ProposalStatus::ALL.iter().map(|s| s.code()).collect();
    schemars::json_schema!({"type": "string", "enum": codes})
}

/// A proposal's text as an organiser writes it (people are added on their own).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalText {
    #[schemars(length(min = 1, max = 20000), regex(pattern = r"\S"))]
    pub title: String,
    #[schemars(schema_with = "session_type_schema")]
    pub session_type: String,
    /// The theme's id (a theme of the edition).
    #[serde(default)]
    pub theme: Option<Uuid>,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub sub_theme: String,
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub description: String,
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub policy_questions: String,
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub format: String,
    #[serde(default)]
    #[schemars(range(min = 0, max = 100000))]
    pub expected_audience: Option<i64>,
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub hybrid_plan: String,
    #[serde(default)]
    #[schemars(length(max = 20000))]
    pub links: String,
    /// Answers to the call's own questions, by the question's id.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

impl ProposalText {
    fn fields(&self) -> Result<ProposalFields, ApiError> {
        if self.answers.len() > 100 {
            super::count_between("answers", self.answers.len(), 0, 100)?;
        }
        Ok(ProposalFields {
            title: self.title.trim().to_owned(),
            session_type: self.session_type.clone(),
            theme: self.theme.map(|t| t.to_string()),
            sub_theme: self.sub_theme.clone(),
            description: self.description.clone(),
            policy_questions: self.policy_questions.clone(),
            format: self.format.clone(),
            expected_audience: self.expected_audience,
            hybrid_plan: self.hybrid_plan.clone(),
            links: self.links.clone(),
            answers: self.answers.clone(),
        })
    }

    fn of(fields: &ProposalFields) -> Self {
        ProposalText {
            title: fields.title.clone(),
            session_type: fields.session_type.clone(),
            theme: fields.theme.as_deref().and_then(|t| Uuid::parse_str(t).ok()),
            sub_theme: fields.sub_theme.clone(),
            description: fields.description.clone(),
            policy_questions: fields.policy_questions.clone(),
            format: fields.format.clone(),
            expected_audience: fields.expected_audience,
            hybrid_plan: fields.hybrid_plan.clone(),
            links: fields.links.clone(),
            answers: fields.answers.clone(),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MyProposal {
    pub id: Uuid,
    pub call: Option<Uuid>,
    pub title: String,
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    /// The decision taken, when there is one.
    pub decision: Option<String>,
    pub version: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MyProposals {
    pub proposals: Vec<MyProposal>,
}

/// The caller's own proposals (as organiser or owner), the newest first.
pub async fn list_my_proposals(State(state): State<AppState>, ctx: Ctx) -> Result<Json<MyProposals>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let proposals = proposals::proposals_of_user(&state.db, user)
        .await?
        .into_iter()
        .map(|p| MyProposal {
            id: p.id,
            call: p.call_id,
            title: p.fields.title,
            status: p.status,
            decision: p.decision,
            version: p.version,
        })
        .collect();
    Ok(Json(MyProposals { proposals }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProposal {
    pub fields: ProposalText,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Saved {
    pub id: Uuid,
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    /// The version to send with the next write.
    pub version: i64,
}

async fn saved(state: &AppState, id: Uuid) -> Result<Saved, ApiError> {
    let p = proposals::proposal(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Saved { id: p.id, status: p.status, version: p.version })
}

/// A new draft in an open call, with the caller as its organiser (201).
pub async fn create_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(call): Path<Uuid>,
    super::Body(new): super::Body<NewProposal>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let call = calls::call(&state.db, call).await?.ok_or(AppError::NotFound)?;
    let fields = new.fields.fields()?;
    let id = proposals::create_proposal(&state.db, &ctx.actor(), user, &call, &fields).await?;
    Ok((StatusCode::CREATED, Json(saved(&state, id).await?)))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonOnProposal {
    /// The entry's id on this proposal.
    pub id: Uuid,
    pub person: Uuid,
    pub name: String,
    /// organiser, co-organiser, moderator or speaker.
    pub part: String,
    pub onsite: bool,
    /// Whether they confirmed (by the link in their letter, or by adding themselves).
    pub confirmed: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProposalDetail {
    pub id: Uuid,
    pub call: Option<Uuid>,
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    pub decision: Option<String>,
    pub version: i64,
    pub fields: ProposalText,
    /// What must still be filled in before it can be submitted (field names; `answers.<id>`
    /// for a question of the call).
    pub missing: Vec<String>,
    pub people: Vec<PersonOnProposal>,
}

pub async fn get_proposal(
    State(state): State<AppState>,
    InProposal(p): InProposal,
) -> Result<Json<ProposalDetail>, ApiError> {
    let call = match p.call_id {
        Some(call) => calls::call(&state.db, call).await?,
        None => None,
    };
    let missing = call.map(|c| p.fields.missing(&c.settings)).unwrap_or_default();
    let people = proposals::people(&state.db, p.id)
        .await?
        .into_iter()
        .map(|e| PersonOnProposal {
            id: e.id,
            person: e.person_id,
            name: e.display_name,
            part: e.role,
            onsite: e.onsite,
            confirmed: e.confirmed,
        })
        .collect();
    Ok(Json(ProposalDetail {
        id: p.id,
        call: p.call_id,
        status: p.status,
        decision: p.decision,
        version: p.version,
        fields: ProposalText::of(&p.fields),
        missing,
        people,
    }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalWrite {
    /// The version read; 409 error-conflict if it moved since.
    #[schemars(range(min = 0))]
    pub version: i64,
    pub fields: ProposalText,
    /// Submit it too, once saved (every field the call asks for must then be filled in).
    #[serde(default)]
    pub submit: bool,
}

/// Saves the text on the version read, and submits it if asked: the text is kept even when the
/// submission is refused.
pub async fn save_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    super::Body(write): super::Body<ProposalWrite>,
) -> Result<Json<Saved>, ApiError> {
    not_negative("version", write.version)?;
    let fields = write.fields.fields()?;
    proposals::update_proposal(&state.db, &ctx.actor(), p.id, write.version, &fields).await?;
    if write.submit {
        let now = saved(&state, p.id).await?;
        proposals::set_status(&state.db, &ctx.actor(), p.id, now.version, "submitted").await?;
    }
    Ok(Json(saved(&state, p.id).await?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusTo {
    Draft,
    Submitted,
    Withdrawn,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub to: StatusTo,
    /// The version read; 409 error-conflict if it moved since.
    #[schemars(range(min = 0))]
    pub version: i64,
}

/// Submits, withdraws or takes back to draft, as the proposal page's buttons do.
pub async fn change_status(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    Tagged(change): Tagged<StatusChange>,
) -> Result<Json<Saved>, ApiError> {
    not_negative("version", change.version)?;
    let to = match change.to {
        StatusTo::Draft => "draft",
        StatusTo::Submitted => "submitted",
        StatusTo::Withdrawn => "withdrawn",
    };
    proposals::set_status(&state.db, &ctx.actor(), p.id, change.version, to).await?;
    Ok(Json(saved(&state, p.id).await?))
}

fn part_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "enum": ["organiser", "co-organiser", "moderator", "speaker"]})
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    /// They get a letter with a link to confirm (unless it is the caller's own address).
    #[schemars(length(min = 5, max = 254), regex(pattern = kaigi_core::directory::EMAIL_PATTERN))]
    pub email: String,
    #[schemars(schema_with = "part_schema")]
    pub part: String,
    #[serde(default = "onsite_by_default")]
    pub onsite: bool,
}

fn onsite_by_default() -> bool {
    true
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonAdded {
    /// The person in the directory (found by the address, or new).
    pub person: Uuid,
    /// Whether the directory had no one with this address before.
    pub created: bool,
    /// Whether a letter asks them to confirm.
    pub asked_to_confirm: bool,
}

/// Adds someone to the proposal (201), as the proposal page does: found in the directory by
/// their address or added to it, and asked to confirm by letter; a few dozen an hour per account.
pub async fn add_person(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    super::Body(new): super::Body<NewPerson>,
) -> Result<(StatusCode, Json<PersonAdded>), ApiError> {
    let part = Part::parse(&new.part).ok_or_else(|| AppError::not_a_choice("part", &new.part))?;
    super::at_most("name", &new.name, 200)?;
    // As the document's pattern says, untrimmed: a pasted address with a trailing space is
    // the client's mistake to see, not ours to mend silently.
    if !kaigi_core::directory::is_email(&new.email) {
        return Err(AppError::refused("error-email").with("value", &new.email).into());
    }
    crate::pages::proposals::may_add_people(&state, &ctx).await?;
    let invitee = Invitee { name: new.name.trim().to_owned(), email: new.email.clone(), part, onsite: new.onsite };
    let added = proposals::add_person(&state.db, &ctx.actor(), p.id, &invitee, &state.config.public_url).await?;
    Ok((
        StatusCode::CREATED,
        Json(PersonAdded {
            person: added.person,
            created: added.created,
            asked_to_confirm: added.confirm_link.is_some(),
        }),
    ))
}
