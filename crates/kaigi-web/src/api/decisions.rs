//! The secretariat's side of a call through the API: its calls, their proposals (paginated,
//! filtered as the pages filter them) and decisions, one at a time or many in one transaction.
//! Every route needs the edition's secretariat; the path check has found the call or the
//! proposal inside the edition already.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kaigi_core::decisions::Verdict;
use kaigi_core::programme::ProposalStatus;
use kaigi_core::screening::Rule;
use kaigi_db::decisions::{self as decide, Decision};
use kaigi_db::{calls, proposals};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ApiError, Tagged, at_most, count_between};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppError;

#[derive(Debug, Serialize, JsonSchema)]
pub struct CallSummary {
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
    /// The session types the call takes.
    pub session_types: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CallList {
    pub calls: Vec<CallSummary>,
}

pub async fn list_calls(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
) -> Result<Json<CallList>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let calls = calls::calls_of_edition(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|c| CallSummary {
            open: c.is_open(now),
            session_types: c.settings.session_types.iter().map(|t| t.code().to_owned()).collect(),
            id: c.id,
            name: c.name,
            name_ja: c.name_ja,
            opens_at: c.opens_at,
            closes_at: c.closes_at,
        })
        .collect();
    Ok(Json(CallList { calls }))
}

fn status_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes: Vec<&str> = ProposalStatus::ALL.iter().map(|s| s.code()).collect();
    schemars::json_schema!({"type": "string", "enum": codes})
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProposalSummary {
    pub id: Uuid,
    pub title: String,
    pub session_type: String,
    /// The theme's id, when the proposal names one.
    pub theme: Option<String>,
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    /// The decision taken, when there is one.
    pub decision: Option<Verdict>,
    /// The proposal this one was merged into.
    pub merged_into: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub submitted_at: Option<OffsetDateTime>,
    pub version: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProposalPage {
    /// How many proposals match the filter, over every page.
    pub total: u64,
    pub limit: u32,
    pub offset: u32,
    /// Oldest first (by creation, then id), so that pages do not shift while reading.
    pub proposals: Vec<ProposalSummary>,
}

#[derive(Debug, Deserialize)]
pub struct ProposalFilter {
    /// Part of the title.
    pub q: Option<String>,
    pub status: Option<String>,
    pub session_type: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// The filter a query asks for (the call page's and the API's): a status that is not one is
/// refused, empty values are no filter.
pub fn filter_of(
    q: Option<&str>,
    status: Option<&str>,
    session_type: Option<&str>,
) -> Result<proposals::ProposalFilter, AppError> {
    let given = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    if let Some(text) = q
        && text.chars().count() > 200
    {
        return Err(AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(
            "q",
            text.chars().count(),
            0,
            200,
        )]));
    }
    let status = given(status);
    if let Some(status) = &status
        && status.parse::<ProposalStatus>().is_err()
    {
        return Err(AppError::not_a_choice("status", status));
    }
    Ok(proposals::ProposalFilter { text: given(q), status, session_type: given(session_type) })
}

pub async fn list_proposals(
    State(state): State<AppState>,
    Path((_, call)): Path<(String, Uuid)>,
    Query(filter): Query<ProposalFilter>,
) -> Result<Json<ProposalPage>, ApiError> {
    let limit = filter.limit.unwrap_or(100);
    let offset = filter.offset.unwrap_or(0);
    if !(1..=500).contains(&limit) {
        return Err(AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range("limit", limit, 1, 500)]).into());
    }
    if offset > 1_000_000 {
        return Err(AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(
            "offset", offset, 0, 1_000_000,
        )])
        .into());
    }
    let wanted = filter_of(filter.q.as_deref(), filter.status.as_deref(), filter.session_type.as_deref())?;
    let matching: Vec<ProposalSummary> = wanted
        .apply(proposals::proposals_of_call(&state.db, call).await?)
        .into_iter()
        .map(|p| ProposalSummary {
            decision: p.decision.as_deref().and_then(Verdict::parse),
            id: p.id,
            title: p.fields.title,
            session_type: p.fields.session_type,
            theme: p.fields.theme,
            status: p.status,
            merged_into: p.merged_into,
            submitted_at: p.submitted_at,
            version: p.version,
        })
        .collect();
    let total = matching.len() as u64;
    let proposals = matching.into_iter().skip(offset as usize).take(limit as usize).collect();
    Ok(Json(ProposalPage { total, limit, offset, proposals }))
}

/// A decision on one proposal. Each verdict carries what it needs: conditions for an
/// acceptance on condition, the proposals to merge into this one for a merge.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DecisionWrite {
    Accept {
        /// To the organisers, in the letter that tells them.
        #[serde(default)]
        #[schemars(length(max = 2000))]
        note: String,
    },
    AcceptOnCondition {
        /// What the organisers must still meet (screening rules).
        #[schemars(length(min = 1, max = 20))]
        conditions: Vec<Rule>,
        #[serde(default)]
        #[schemars(length(max = 2000))]
        note: String,
    },
    Merge {
        /// Proposals of the same call, accepted as one session with this one.
        #[schemars(length(min = 1, max = 50))]
        merge_with: Vec<Uuid>,
        #[serde(default)]
        #[schemars(length(max = 2000))]
        note: String,
    },
    Reject {
        #[serde(default)]
        #[schemars(length(max = 2000))]
        note: String,
    },
}

impl DecisionWrite {
    fn into_decision(self) -> Result<Decision, ApiError> {
        let (verdict, conditions, merge_with, note) = match self {
            DecisionWrite::Accept { note } => (Verdict::Accept, Vec::new(), Vec::new(), note),
            DecisionWrite::AcceptOnCondition { conditions, note } => {
                (Verdict::AcceptOnCondition, conditions, Vec::new(), note)
            }
            DecisionWrite::Merge { merge_with, note } => (Verdict::Merge, Vec::new(), merge_with, note),
            DecisionWrite::Reject { note } => (Verdict::Reject, Vec::new(), Vec::new(), note),
        };
        at_most("note", &note, 2000)?;
        // None at all is the decision rules' to refuse, in their words.
        count_between("conditions", conditions.len(), 0, 20)?;
        count_between("merge_with", merge_with.len(), 0, 50)?;
        Ok(Decision { verdict, conditions, merge_with, note })
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Decided {
    /// How many proposals were decided.
    pub decided: usize,
}

pub async fn decide_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, proposal)): Path<(String, Uuid)>,
    Tagged(write): Tagged<DecisionWrite>,
) -> Result<Json<Decided>, ApiError> {
    let decision = write.into_decision()?;
    let decided =
        decide::decide_all(&state.db, &ctx.actor(), edition.id, &[(proposal, decision)], &state.config.public_url)
            .await
            .map_err(single)?;
    Ok(Json(Decided { decided }))
}

/// One proposal's refusal, said without the list position a bulk decision gives it.
fn single(e: kaigi_db::DbError) -> ApiError {
    match e {
        kaigi_db::DbError::Refused(mut problems) => {
            for p in &mut problems {
                p.args.retain(|(name, _)| *name != "position");
            }
            kaigi_db::DbError::Refused(problems).into()
        }
        other => other.into(),
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkEntry {
    pub proposal: Uuid,
    pub decision: DecisionWrite,
}

/// Many decisions, taken together or not at all.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkDecisions {
    #[schemars(length(min = 1, max = 1000))]
    pub decisions: Vec<BulkEntry>,
}

pub async fn decide_many(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Tagged(bulk): Tagged<BulkDecisions>,
) -> Result<(StatusCode, Json<Decided>), ApiError> {
    count_between("decisions", bulk.decisions.len(), 1, 1000)?;
    let mut decisions = Vec::with_capacity(bulk.decisions.len());
    for entry in bulk.decisions {
        decisions.push((entry.proposal, entry.decision.into_decision()?));
    }
    let decided = decide::decide_all(&state.db, &ctx.actor(), edition.id, &decisions, &state.config.public_url).await?;
    Ok((StatusCode::OK, Json(Decided { decided })))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RankedProposal {
    pub proposal: Uuid,
    pub title: String,
    pub session_type: String,
    /// The theme's id, when the proposal names one.
    pub theme: Option<String>,
    /// Submitted evaluations; one is too thin to decide on without reading it.
    pub evaluations: u32,
    /// The mean of the evaluators' weighted scores, on the rubric's scale.
    pub raw: f64,
    /// After each evaluator's mean and spread are evened out (z-scores mapped back onto the
    /// scores' overall mean and spread, so it may pass the scale's ends); `raw` when asked for
    /// `normalisation=none` or the evaluator scored fewer than three proposals.
    pub normalised: f64,
    /// What is ranked: the normalised score, plus a regional bonus the results page may set.
    pub adjusted: f64,
    /// The standard deviation of the evaluators' raw scores.
    pub spread: f64,
    /// The evaluators disagree (spread of a point or more on the scale).
    pub disagreement: bool,
    /// 1 = best among the proposals of its session type.
    pub rank_in_type: u32,
    pub rank_in_theme: u32,
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    pub decision: Option<Verdict>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Results {
    pub scale_min: i64,
    pub scale_max: i64,
    /// Submitted evaluations counted.
    pub evaluations: u32,
    /// Best first within each session type, as the results page ranks them.
    pub ranking: Vec<RankedProposal>,
}

#[derive(Debug, Deserialize)]
pub struct ResultsQuery {
    pub normalisation: Option<String>,
}

/// The call's ranking as the results page computes it (without its slots and bonuses).
pub async fn call_results(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Path((_, call)): Path<(String, Uuid)>,
    Query(query): Query<ResultsQuery>,
) -> Result<Json<Results>, ApiError> {
    use kaigi_core::evaluation::{Normalisation, Settings};
    let normalisation = match query.normalisation.as_deref() {
        None | Some("zscore") => Normalisation::ZScore,
        Some("none") => Normalisation::None,
        Some(other) => return Err(AppError::not_a_choice("normalisation", other).into()),
    };
    let call = calls::call(&state.db, call).await?.filter(|c| c.edition_id == edition.id).ok_or(AppError::NotFound)?;
    let settings = Settings { normalisation, disagreement: 1.0, ..Settings::default() };
    let kaigi_db::evaluation::Ranking { aggregate, proposals, rubric, evaluations } =
        kaigi_db::evaluation::ranking(&state.db, &call, settings).await?;
    let ranked = aggregate.ranked;
    let ranking = ranked
        .into_iter()
        .filter_map(|r| {
            let p = proposals.get(&r.proposal)?;
            Some(RankedProposal {
                proposal: p.id,
                title: p.fields.title.clone(),
                session_type: r.session_type,
                theme: r.theme,
                evaluations: r.evaluations as u32,
                raw: r.raw,
                normalised: r.normalised,
                adjusted: r.adjusted,
                spread: r.spread,
                disagreement: r.disagreement,
                rank_in_type: r.rank_in_type as u32,
                rank_in_theme: r.rank_in_theme as u32,
                status: p.status.clone(),
                decision: p.decision.as_deref().and_then(Verdict::parse),
            })
        })
        .collect();
    Ok(Json(Results {
        scale_min: rubric.rubric.scale_min,
        scale_max: rubric.rubric.scale_max,
        evaluations: evaluations as u32,
        ranking,
    }))
}
