//! Setting up a call through the API, as the call page does: opening a call, its settings
//! (session types, sub-themes, questions, screening rules, evaluators per proposal), new
//! revisions of its rubrics, the evaluator pool with each one's capacity and expertise, and the
//! deadline screening with every proposal's outcomes. The edition's secretariat only; the path
//! check has found the call inside the edition already.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_core::calls::CallSettings;
use kaigi_core::evaluation::Rubric;
use kaigi_core::programme::SessionType;
use kaigi_core::screening::Outcome;
use kaigi_db::calls::{self, Call, CallInput};
use kaigi_db::{evaluation, proposals, screening};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ApiError, at_most, within};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppError;

/// A revision of one of the call's rubrics.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RubricView {
    /// The session type it is for; null: the general rubric, for every type without its own.
    pub session_type: Option<SessionType>,
    /// Send it back as `based_on` with the next revision.
    pub revision: i64,
    /// Set once evaluation started on this revision: it can no longer change.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub locked_at: Option<OffsetDateTime>,
    pub rubric: Rubric,
}

/// An evaluator in the call's pool.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EvaluatorView {
    /// The account (as `/api/v1/me` names it).
    pub user: Uuid,
    pub name: String,
    pub email: String,
    /// The most proposals to give them; null: an even share.
    pub capacity: Option<i64>,
    /// Theme ids of the edition they know best (the assignment prefers these).
    pub themes: Vec<Uuid>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CallDetail {
    pub id: Uuid,
    pub name: String,
    pub name_ja: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub opens_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub closes_at: OffsetDateTime,
    /// Organisers may write and submit now.
    pub open: bool,
    /// When the deadline screening last ran.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub screened_at: Option<OffsetDateTime>,
    /// The share of evaluations (per cent) a comparable call had done at this point, shown
    /// beside the progress.
    pub reference_completion: Option<i64>,
    pub settings: CallSettings,
    /// Send it back with the next change of the call.
    pub version: i64,
    /// The latest revision of each rubric, the general one first.
    pub rubrics: Vec<RubricView>,
    /// By e-mail address.
    pub evaluators: Vec<EvaluatorView>,
    /// Proposals sent to the call, whatever their status.
    pub proposals: usize,
}

fn evaluator_view(e: evaluation::Evaluator) -> EvaluatorView {
    EvaluatorView {
        user: e.user_id,
        name: e.display_name,
        email: e.email,
        capacity: e.capacity,
        themes: e.themes.split(',').filter_map(|t| Uuid::parse_str(t).ok()).collect(),
    }
}

async fn detail(state: &AppState, call: Call) -> Result<CallDetail, ApiError> {
    let rubrics = calls::rubrics(&state.db, call.id)
        .await?
        .into_iter()
        .map(|r| RubricView {
            session_type: r.session_type.parse().ok(),
            revision: r.revision,
            locked_at: r.locked_at,
            rubric: r.rubric,
        })
        .collect();
    let evaluators = evaluation::evaluators(&state.db, call.id).await?.into_iter().map(evaluator_view).collect();
    let proposals = proposals::proposals_of_call(&state.db, call.id).await?.len();
    Ok(CallDetail {
        open: call.is_open(kaigi_db::now()),
        id: call.id,
        name: call.name,
        name_ja: call.name_ja,
        opens_at: call.opens_at,
        closes_at: call.closes_at,
        screened_at: call.screened_at,
        reference_completion: call.reference_completion,
        settings: call.settings,
        version: call.version,
        rubrics,
        evaluators,
        proposals,
    })
}

async fn load(state: &AppState, id: Uuid) -> Result<Call, ApiError> {
    Ok(calls::call(&state.db, id).await?.ok_or(AppError::NotFound)?)
}

pub async fn get_call(
    State(state): State<AppState>,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<CallDetail>, ApiError> {
    let call = load(&state, call).await?;
    Ok(Json(detail(&state, call).await?))
}

/// A new call. Without settings it starts as the IGF's call for workshops; its first rubric
/// is the IGF's workshop rubric.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCall {
    #[schemars(length(min = 1, max = 300))]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = 300))]
    pub name_ja: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub opens_at: OffsetDateTime,
    /// After opens_at.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub closes_at: OffsetDateTime,
    #[serde(default)]
    pub settings: Option<CallSettings>,
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub reference_completion: Option<i64>,
}

/// The call's settings as a whole, on the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallWrite {
    /// The version read; 409 error-conflict if the call changed since.
    #[schemars(range(min = 0))]
    pub version: i64,
    #[schemars(length(min = 1, max = 300))]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = 300))]
    pub name_ja: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub opens_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub closes_at: OffsetDateTime,
    pub settings: CallSettings,
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub reference_completion: Option<i64>,
}

fn names(name: &str, name_ja: Option<&str>) -> Result<(), ApiError> {
    at_most("name", name, 300)?;
    at_most("name_ja", name_ja.unwrap_or_default(), 300)
}

pub async fn create_call(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(new): super::Body<NewCall>,
) -> Result<(StatusCode, Json<CallDetail>), ApiError> {
    names(&new.name, new.name_ja.as_deref())?;
    let input = CallInput {
        name: new.name,
        name_ja: new.name_ja,
        opens_at: new.opens_at,
        closes_at: new.closes_at,
        settings: new.settings.unwrap_or_else(CallSettings::igf_defaults),
        reference_completion: new.reference_completion,
    };
    let id = calls::create_call(&state.db, &ctx.actor(), edition.id, &input).await?;
    let call = load(&state, id).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, call).await?)))
}

pub async fn save_call(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
    super::Body(write): super::Body<CallWrite>,
) -> Result<Json<CallDetail>, ApiError> {
    within("version", write.version, 0, i64::MAX)?;
    names(&write.name, write.name_ja.as_deref())?;
    let input = CallInput {
        name: write.name,
        name_ja: write.name_ja,
        opens_at: write.opens_at,
        closes_at: write.closes_at,
        settings: write.settings,
        reference_completion: write.reference_completion,
    };
    calls::update_call(&state.db, &ctx.actor(), call, write.version, &input).await?;
    let call = load(&state, call).await?;
    Ok(Json(detail(&state, call).await?))
}

/// A new revision of one rubric.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricWrite {
    /// The session type it is for; null or absent: the general rubric.
    #[serde(default)]
    pub session_type: Option<SessionType>,
    /// The revision read (null for a type's first rubric); 409 error-conflict if another
    /// revision was saved since.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub based_on: Option<i64>,
    pub rubric: Rubric,
}

/// Saves the next revision of a rubric; 409 error-rubric-locked once evaluation started on it.
pub async fn save_rubric(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
    super::Body(write): super::Body<RubricWrite>,
) -> Result<Json<RubricView>, ApiError> {
    if let Some(based_on) = write.based_on {
        within("based_on", based_on, 0, i64::MAX)?;
    }
    let session_type = write.session_type.map(SessionType::code).unwrap_or_default();
    calls::save_rubric(&state.db, &ctx.actor(), call, session_type, write.based_on, &write.rubric).await?;
    let saved = calls::rubrics(&state.db, call)
        .await?
        .into_iter()
        .find(|r| r.session_type == session_type)
        .ok_or_else(|| AppError::Internal("the rubric just saved is gone".into()))?;
    Ok(Json(RubricView {
        session_type: write.session_type,
        revision: saved.revision,
        locked_at: saved.locked_at,
        rubric: saved.rubric,
    }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EvaluatorPool {
    pub evaluators: Vec<EvaluatorView>,
}

pub async fn list_evaluators(
    State(state): State<AppState>,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<EvaluatorPool>, ApiError> {
    let evaluators = evaluation::evaluators(&state.db, call).await?.into_iter().map(evaluator_view).collect();
    Ok(Json(EvaluatorPool { evaluators }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Enlisted {
    /// Evaluators of the edition added now (those listed already are kept as they are).
    pub added: usize,
    pub evaluators: Vec<EvaluatorView>,
}

/// Adds every account with the evaluator role for the edition who is not in the pool yet.
pub async fn enlist_evaluators(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<Enlisted>, ApiError> {
    let call = load(&state, call).await?;
    let added = evaluation::enlist_edition_evaluators(&state.db, &ctx.actor(), &call).await?;
    let evaluators = evaluation::evaluators(&state.db, call.id).await?.into_iter().map(evaluator_view).collect();
    Ok(Json(Enlisted { added, evaluators }))
}

/// One evaluator's capacity and expertise.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluatorWrite {
    /// The most proposals to give them; null or absent: an even share.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10000))]
    pub capacity: Option<i64>,
    /// Theme ids of the edition.
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub themes: Vec<Uuid>,
}

/// Sets the capacity and expertise of an evaluator in the call's pool (the path check answers
/// 404 for anyone else).
pub async fn set_evaluator(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call, user)): Path<(String, Uuid, Uuid)>,
    super::Body(write): super::Body<EvaluatorWrite>,
) -> Result<Json<EvaluatorView>, ApiError> {
    super::count_between("themes", write.themes.len(), 0, 200)?;
    let call = load(&state, call).await?;
    evaluation::set_evaluator(&state.db, &ctx.actor(), &call, user, write.capacity, &write.themes).await?;
    let view = evaluation::evaluators(&state.db, call.id)
        .await?
        .into_iter()
        .find(|e| e.user_id == user)
        .map(evaluator_view)
        .ok_or_else(|| AppError::Internal("the evaluator just saved is gone".into()))?;
    Ok(Json(view))
}

/// A proposal with its stored screening outcomes.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScreenedProposal {
    pub id: Uuid,
    pub title: String,
    pub session_type: String,
    /// Whether every rule held; null: not screened (a draft, or screened before it was sent).
    pub passed: Option<bool>,
    /// Each rule of the call for its type: found against needed, and the people concerned.
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ScreeningResults {
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub screened_at: Option<OffsetDateTime>,
    pub screened: usize,
    pub failed: usize,
    /// Every proposal of the call, oldest first.
    pub proposals: Vec<ScreenedProposal>,
}

async fn results(state: &AppState, call: Uuid) -> Result<ScreeningResults, ApiError> {
    let call = load(state, call).await?;
    let proposals: Vec<ScreenedProposal> = proposals::proposals_of_call(&state.db, call.id)
        .await?
        .into_iter()
        .map(|p| ScreenedProposal {
            passed: p.screening.as_deref().map(kaigi_core::screening::all_pass),
            outcomes: p.screening.unwrap_or_default(),
            id: p.id,
            title: p.fields.title,
            session_type: p.fields.session_type,
        })
        .collect();
    Ok(ScreeningResults {
        screened_at: call.screened_at,
        screened: proposals.iter().filter(|p| p.passed.is_some()).count(),
        failed: proposals.iter().filter(|p| p.passed == Some(false)).count(),
        proposals,
    })
}

pub async fn screening_results(
    State(state): State<AppState>,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<ScreeningResults>, ApiError> {
    Ok(Json(results(&state, call).await?))
}

/// Runs the deadline screening on every submitted proposal (409 error-screening-before-deadline
/// while the call is open) and answers the outcomes.
pub async fn screen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<ScreeningResults>, ApiError> {
    let found = load(&state, call).await?;
    screening::screen_at_deadline(&state.db, &ctx.actor(), &found).await?;
    Ok(Json(results(&state, call).await?))
}
