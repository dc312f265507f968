//! Who evaluates what, through the API: a call's evaluators and assigned pairs (with the pairs
//! a conflict of interest now forbids), the exact assignment solved around what must stay
//! (preview), applying it, overrides by hand, progress and reminders. The same storage calls,
//! solver, checks and audit as the assignment and progress pages; the path check has found the
//! call inside the edition already.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_core::assignment::{ProposalAssignment, Solution};
use kaigi_db::{calls, evaluation};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApiError, count_between};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;

async fn call_of(state: &AppState, call: Uuid) -> Result<calls::Call, ApiError> {
    Ok(calls::call(&state.db, call).await?.ok_or(AppError::NotFound)?)
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PoolEvaluator {
    /// The evaluator's account.
    pub id: Uuid,
    pub name: String,
    /// The most proposals they take; null: an even share of the work.
    pub capacity: Option<i64>,
    /// Proposals assigned to them now.
    pub assigned: usize,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Pair {
    pub proposal: Uuid,
    pub evaluator: Uuid,
    /// Put there (or kept) by hand: every re-run keeps it.
    pub fixed: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ConflictedPair {
    pub proposal: Uuid,
    pub evaluator: Uuid,
    /// conflict-on-the-proposal, conflict-same-organisation or conflict-declared
    pub code: String,
    /// Why, in the language asked for.
    pub message: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Assignment {
    pub call: Uuid,
    pub evaluators: Vec<PoolEvaluator>,
    /// Every assigned pair, by proposal.
    pub pairs: Vec<Pair>,
    /// Assigned pairs a conflict of interest now forbids: reassign them (an override with
    /// action reassign).
    pub conflicted: Vec<ConflictedPair>,
}

pub async fn get_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<Assignment>, ApiError> {
    let call = call_of(&state, call).await?;
    let pairs = evaluation::assignments(&state.db, call.id).await?;
    let mut load: HashMap<Uuid, usize> = HashMap::new();
    for pair in &pairs {
        *load.entry(pair.user_id).or_default() += 1;
    }
    let conflicted = evaluation::conflicted_assignments(&state.db, &call)
        .await?
        .into_iter()
        .map(|(pair, conflict)| ConflictedPair {
            proposal: pair.proposal_id,
            evaluator: pair.user_id,
            code: conflict.key().to_owned(),
            message: AppError::from(evaluation::conflict_refusal(&conflict)).message(ctx.lang),
        })
        .collect();
    Ok(Json(Assignment {
        call: call.id,
        evaluators: evaluation::evaluators(&state.db, call.id)
            .await?
            .into_iter()
            .map(|e| PoolEvaluator {
                assigned: load.get(&e.user_id).copied().unwrap_or(0),
                id: e.user_id,
                name: e.display_name,
                capacity: e.capacity,
            })
            .collect(),
        pairs: pairs
            .into_iter()
            .map(|a| Pair { proposal: a.proposal_id, evaluator: a.user_id, fixed: a.fixed })
            .collect(),
        conflicted,
    }))
}

/// The evaluators of one proposal.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalEvaluators {
    pub proposal: Uuid,
    #[schemars(length(max = 50))]
    pub evaluators: Vec<Uuid>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Preview {
    /// The solver's objective (the sum of the pairs' affinities; higher is better).
    pub objective: f64,
    /// Every evaluated proposal with the evaluators it would have; send it back to apply it.
    pub assignments: Vec<ProposalEvaluators>,
    /// Pairs applying it would add and remove.
    pub added: usize,
    pub removed: usize,
}

/// Solves the assignment exactly around what must stay (pairs fixed by hand or with an
/// evaluation begun) without storing anything; 409 error-assignment-unsolved when no
/// assignment meets the rules (too few evaluators for the conflicts and capacities).
pub async fn preview(
    State(state): State<AppState>,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<Preview>, ApiError> {
    let call = call_of(&state, call).await?;
    let solution = evaluation::solve(&state.db, &call).await?;
    let covered: HashSet<&str> = solution.assignments.iter().map(|a| a.proposal.as_str()).collect();
    let now: HashSet<(String, String)> = evaluation::assignments(&state.db, call.id)
        .await?
        .into_iter()
        .map(|a| (a.proposal_id.to_string(), a.user_id.to_string()))
        .filter(|(p, _)| covered.contains(p.as_str()))
        .collect();
    let next: HashSet<(String, String)> = solution
        .assignments
        .iter()
        .flat_map(|a| a.evaluators.iter().map(|e| (a.proposal.clone(), e.clone())))
        .collect();
    let assignments = solution
        .assignments
        .iter()
        .map(|a| {
            Ok(ProposalEvaluators {
                proposal: Uuid::parse_str(&a.proposal)?,
                evaluators: a.evaluators.iter().map(|e| Uuid::parse_str(e)).collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<_, uuid::Error>>()
        .map_err(|e| AppError::Internal(format!("the solver named an object that is not a uuid: {e}")))?;
    Ok(Json(Preview {
        objective: solution.objective,
        assignments,
        added: next.difference(&now).count(),
        removed: now.difference(&next).count(),
    }))
}

/// An assignment to store: usually a preview as it came, or edited by a program.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentWrite {
    #[schemars(length(max = 5000))]
    pub assignments: Vec<ProposalEvaluators>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Applied {
    pub added: usize,
    pub removed: usize,
    pub kept: usize,
}

/// Stores an assignment in one transaction, for the proposals it names (others keep theirs);
/// 409 error-assignment-stale when it names a proposal not evaluated in this call, someone
/// outside the pool, a conflicted pair, or leaves out a pair that must stay; 409 error-conflict
/// when an evaluation began meanwhile on a pair it removes.
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
    super::Body(write): super::Body<AssignmentWrite>,
) -> Result<Json<Applied>, ApiError> {
    count_between("assignments", write.assignments.len(), 0, 5000)?;
    for a in &write.assignments {
        count_between("evaluators", a.evaluators.len(), 0, 50)?;
    }
    let call = call_of(&state, call).await?;
    let solution = Solution {
        assignments: write
            .assignments
            .iter()
            .map(|a| ProposalAssignment {
                proposal: a.proposal.to_string(),
                evaluators: a.evaluators.iter().map(Uuid::to_string).collect(),
            })
            .collect(),
        objective: 0.0,
    };
    // Only this call's proposals and evaluators, and no conflicted pair, may be applied.
    if let Some(reason) = evaluation::problem(&state.db, &call).await?.refuse(&solution) {
        return Err(AppError::refused("error-assignment-stale").with("detail", reason).into());
    }
    let applied = evaluation::apply(&state.db, &ctx.actor(), call.id, &solution).await?;
    Ok(Json(Applied { added: applied.added, removed: applied.removed, kept: applied.kept }))
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OverrideAction {
    /// Put the evaluator on the proposal; every re-run keeps the pair.
    Assign,
    /// Take them off (with any draft); no re-run gives it to them again.
    Remove,
    /// Take them off and give the place to someone else at once.
    Reassign,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub proposal: Uuid,
    /// An evaluator of the call (their account).
    pub evaluator: Uuid,
    pub action: OverrideAction,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Overridden {
    /// After a reassignment: who took the place (null when nobody could).
    pub replacement: Option<Uuid>,
}

/// A change by hand; 404 for a proposal of another call or someone outside the pool, 409 when a
/// conflict of interest forbids the pair.
pub async fn override_pair(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
    super::Body(change): super::Body<Override>,
) -> Result<Json<Overridden>, ApiError> {
    let call = call_of(&state, call).await?;
    let proposal = kaigi_db::proposals::proposal(&state.db, change.proposal)
        .await?
        .filter(|p| p.call_id == Some(call.id))
        .ok_or(AppError::NotFound)?;
    if !evaluation::evaluators(&state.db, call.id).await?.iter().any(|e| e.user_id == change.evaluator) {
        return Err(AppError::refused("error-not-an-evaluator").into());
    }
    let actor = ctx.actor();
    let replacement = match change.action {
        OverrideAction::Reassign => {
            evaluation::reassign(&state.db, &actor, &call, proposal.id, change.evaluator).await?
        }
        OverrideAction::Assign | OverrideAction::Remove => {
            let assign = matches!(change.action, OverrideAction::Assign);
            evaluation::override_pair(&state.db, &actor, &call, proposal.id, change.evaluator, assign).await?;
            None
        }
    };
    Ok(Json(Overridden { replacement }))
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProgressState {
    /// Nothing begun.
    None,
    Partial,
    Complete,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EvaluatorProgress {
    pub evaluator: Uuid,
    pub name: String,
    pub assigned: i64,
    pub submitted: i64,
    pub drafts: i64,
    pub state: ProgressState,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Progress {
    pub call: Uuid,
    /// Submitted evaluations as a percentage of those assigned; null before any is assigned.
    pub completion: Option<f64>,
    /// The same figure for the previous edition's call, to compare.
    pub previous_completion: Option<f64>,
    pub evaluators: Vec<EvaluatorProgress>,
}

pub async fn progress(
    State(state): State<AppState>,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<Json<Progress>, ApiError> {
    let call = call_of(&state, call).await?;
    let progress = evaluation::progress(&state.db, call.id).await?;
    Ok(Json(Progress {
        call: call.id,
        completion: evaluation::completion(&progress),
        previous_completion: evaluation::previous_completion(&state.db, &call).await?,
        evaluators: progress
            .into_iter()
            .map(|p| EvaluatorProgress {
                state: match p.state() {
                    "complete" => ProgressState::Complete,
                    "none" => ProgressState::None,
                    _ => ProgressState::Partial,
                },
                evaluator: p.user_id,
                name: p.display_name,
                assigned: p.assigned,
                submitted: p.submitted,
                drafts: p.drafts,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Reminded {
    /// Evaluators written to (those with evaluations still to submit).
    pub sent: usize,
}

/// Writes to every evaluator with evaluations still to submit (202: letters through the outbox);
/// three rounds a day per call at most (429 after that).
pub async fn remind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, call)): Path<(String, Uuid)>,
) -> Result<(StatusCode, Json<Reminded>), ApiError> {
    let call = call_of(&state, call).await?;
    let sent = crate::pages::assignment::send_reminders(&state, &ctx, &call).await?;
    Ok((StatusCode::ACCEPTED, Json(Reminded { sent })))
}
