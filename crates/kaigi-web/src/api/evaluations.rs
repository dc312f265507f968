//! An evaluator's own evaluation through the API: the proposal as the evaluation page shows it,
//! the rubric, their marks, and others' evaluations only once their own is submitted. The same
//! route need as the page: assigned and not conflicted as the directory stands now (a conflict
//! that appears later closes the proposal at once: 403).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use kaigi_core::evaluation::Marks;
use kaigi_db::{calls, evaluation};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApiError, at_most, not_negative};
use crate::AppState;
use crate::auth::{Ctx, InProposal};
use crate::error::AppError;

#[derive(Debug, Serialize, JsonSchema)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub name_ja: Option<String>,
    /// Its share of the weighted score (0–1); 0 for a criterion that does not count.
    pub share: f64,
    /// Scored and shown, but not part of the weighted score.
    pub counted: bool,
    pub comment_required: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProposalToEvaluate {
    pub id: Uuid,
    pub title: String,
    pub session_type: String,
    pub description: String,
    pub policy_questions: String,
    pub format: String,
    pub hybrid_plan: String,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EvaluationState {
    /// Nothing saved yet.
    None,
    Draft,
    Submitted,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OtherEvaluation {
    pub evaluator: String,
    pub scores: BTreeMap<String, i64>,
    pub comments: BTreeMap<String, String>,
    /// The weighted score on the rubric's scale.
    pub weighted: Option<f64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MyEvaluation {
    pub proposal: ProposalToEvaluate,
    pub scale_min: i64,
    pub scale_max: i64,
    pub criteria: Vec<Criterion>,
    pub state: EvaluationState,
    /// Send it back when saving (0 before the first save).
    pub version: i64,
    pub scores: BTreeMap<String, i64>,
    pub comments: BTreeMap<String, String>,
    pub weighted: Option<f64>,
    /// Others' submitted evaluations, shown only once one's own is submitted.
    pub others: Vec<OtherEvaluation>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Assigned {
    pub proposal: Uuid,
    pub call: Uuid,
    pub title: String,
    pub session_type: String,
    pub state: EvaluationState,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MyEvaluations {
    pub evaluations: Vec<Assigned>,
}

/// The evaluator's worklist, as their evaluations page lists it: a pair that became a
/// conflict of interest after assignment is not on it.
pub async fn list_my_evaluations(State(state): State<AppState>, ctx: Ctx) -> Result<Json<MyEvaluations>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let evaluations = evaluation::assignments_of_user(&state.db, user)
        .await?
        .into_iter()
        .map(|a| Assigned {
            proposal: a.proposal_id,
            call: a.call_id,
            title: a.title,
            session_type: a.session_type,
            state: EvaluationState::of(a.state.as_deref()),
        })
        .collect();
    Ok(Json(MyEvaluations { evaluations }))
}

impl EvaluationState {
    fn of(stored: Option<&str>) -> Self {
        match stored {
            Some("submitted") => EvaluationState::Submitted,
            Some(_) => EvaluationState::Draft,
            None => EvaluationState::None,
        }
    }
}

pub async fn get_evaluation(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
) -> Result<Json<MyEvaluation>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let call = p.call_id.ok_or(AppError::NotFound)?;
    let mine = evaluation::evaluation(&state.db, p.id, user).await?;
    let rubric = match &mine {
        Some(e) => calls::rubric_revision(&state.db, e.rubric_id).await?.ok_or(AppError::NotFound)?,
        None => calls::rubric_for(&state.db, call, &p.fields.session_type).await?,
    };
    let rubric = rubric.rubric;
    let shares: BTreeMap<String, f64> = rubric.shares().into_iter().collect();
    let marks = mine.as_ref().map(|e| e.marks.clone()).unwrap_or_default();
    let submitted = mine.as_ref().is_some_and(|e| e.state == "submitted");
    let others = if submitted {
        evaluation::submitted_for(&state.db, p.id)
            .await?
            .into_iter()
            .filter(|(_, e)| e.user_id != user)
            .map(|(name, e)| OtherEvaluation {
                evaluator: name,
                weighted: rubric.weighted(&e.marks),
                scores: e.marks.scores,
                comments: e.marks.comments,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(MyEvaluation {
        criteria: rubric
            .criteria
            .iter()
            .map(|c| Criterion {
                id: c.id.clone(),
                name: c.name.clone(),
                name_ja: c.name_ja.clone(),
                share: shares.get(&c.id).copied().unwrap_or(0.0),
                counted: c.counted,
                comment_required: c.comment_required,
            })
            .collect(),
        scale_min: rubric.scale_min,
        scale_max: rubric.scale_max,
        state: EvaluationState::of(mine.as_ref().map(|e| e.state.as_str())),
        version: mine.as_ref().map_or(0, |e| e.version),
        weighted: rubric.weighted(&marks),
        scores: marks.scores,
        comments: marks.comments,
        others,
        proposal: ProposalToEvaluate {
            id: p.id,
            title: p.fields.title.clone(),
            session_type: p.fields.session_type.clone(),
            description: p.fields.description.clone(),
            policy_questions: p.fields.policy_questions.clone(),
            format: p.fields.format.clone(),
            hybrid_plan: p.fields.hybrid_plan.clone(),
        },
    }))
}

/// Scores and comments by criterion id; a draft may lack some, a submission needs them all.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationWrite {
    /// The version read (0 before the first save); 409 if it moved since.
    #[schemars(range(min = 0))]
    pub version: i64,
    #[serde(default)]
    pub scores: BTreeMap<String, i64>,
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
    /// Submit: final, then others' evaluations become visible. Otherwise a draft.
    #[serde(default)]
    pub submit: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EvaluationSaved {
    pub state: EvaluationState,
    pub version: i64,
}

pub async fn save_evaluation(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    super::Body(write): super::Body<EvaluationWrite>,
) -> Result<Json<EvaluationSaved>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    not_negative("version", write.version)?;
    for comment in write.comments.values() {
        at_most("comments", comment, 10_000)?;
    }
    let entries = write.comments.len() + write.scores.len();
    if entries > 200 {
        return Err(
            AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range("scores", entries, 0, 200)]).into()
        );
    }
    let marks = Marks {
        scores: write.scores,
        comments: write
            .comments
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_owned()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    };
    let saved = evaluation::save(&state.db, &ctx.actor(), &p, user, write.version, &marks, write.submit).await?;
    Ok(Json(EvaluationSaved { state: EvaluationState::of(Some(&saved.state)), version: saved.version }))
}

/// Why the caller cannot evaluate the proposal (a colleague among its people, a past
/// co-author, …).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictDeclaration {
    #[schemars(length(min = 1, max = 2000), regex(pattern = r"\S"))]
    pub reason: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ConflictDeclared {
    /// The proposal is off the caller's list from now on (the API answers 403 for it).
    pub declared: bool,
    /// Whether someone else took the place (false: the secretariat sees the gap on the progress page).
    pub replaced: bool,
}

/// Declares a conflict of interest as the evaluation page does: the caller's draft and
/// assignment go, the reason is kept for the secretariat, and another evaluator takes the place
/// where one can; 409 error-evaluation-submitted once the caller submitted.
pub async fn declare_conflict(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    super::Body(declaration): super::Body<ConflictDeclaration>,
) -> Result<Json<ConflictDeclared>, ApiError> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    at_most("reason", &declaration.reason, evaluation::CONFLICT_REASON_MAX)?;
    let call = calls::call(&state.db, p.call_id.ok_or(AppError::NotFound)?).await?.ok_or(AppError::NotFound)?;
    let replacement =
        evaluation::declare_conflict(&state.db, &ctx.actor(), &call, p.id, user, &declaration.reason).await?;
    Ok(Json(ConflictDeclared { declared: true, replaced: replacement.is_some() }))
}
