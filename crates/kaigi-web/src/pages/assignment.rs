//! Who evaluates what: the exact assignment of a call (preview, apply, manual overrides and
//! one-click reassignment of conflicted pairs), and progress with reminders.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_db::{evaluation, proposals};
use uuid::Uuid;

use super::calls::call_of;
use super::forms::{Fields, field};
use super::{Page, render};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};

pub struct AssignmentLine {
    pub proposal_id: String,
    pub title: String,
    pub current: String,
    pub proposed: String,
    pub changed: bool,
}

#[derive(Template)]
#[template(path = "call_assignment.html")]
struct AssignmentPage {
    page: Page,
    slug: String,
    call_id: String,
    problem: Option<String>,
    lines: Vec<AssignmentLine>,
    changed: usize,
    objective: String,
    solution: String,
    loads: String,
    proposals: Vec<(String, String)>,
    evaluators: Vec<(String, String)>,
    fixed: usize,
    excluded: usize,
    flagged: Vec<FlaggedPair>,
}

/// An assigned pair the conflict rule now forbids, for the secretariat to reassign.
pub struct FlaggedPair {
    pub proposal_id: String,
    pub title: String,
    pub evaluator_id: String,
    pub name: String,
    pub why: String,
}

pub async fn show_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("assignment-title"));
    let pool = evaluation::evaluators(&state.db, call.id).await?;
    let names: HashMap<String, String> = pool.iter().map(|e| (e.user_id.to_string(), e.display_name.clone())).collect();
    let problem = evaluation::problem(&state.db, &call).await?;
    let proposals = evaluation::evaluated_proposals(&state.db, &call).await?;
    let mut current: HashMap<String, Vec<String>> = HashMap::new();
    for a in evaluation::assignments(&state.db, call.id).await? {
        current.entry(a.proposal_id.to_string()).or_default().push(a.user_id.to_string());
    }
    let (problem, solved) = kaigi_db::solver(move || {
        let solved = problem.solve();
        (problem, solved)
    })
    .await?;
    let mut flagged = Vec::new();
    for (pair, conflict) in evaluation::conflicted_assignments(&state.db, &call).await? {
        let title = proposals::proposal(&state.db, pair.proposal_id).await?.map(|p| p.fields.title).unwrap_or_default();
        let why = AppError::from(evaluation::conflict_refusal(&conflict)).message(ctx.lang);
        flagged.push(FlaggedPair {
            proposal_id: pair.proposal_id.to_string(),
            title,
            evaluator_id: pair.user_id.to_string(),
            name: names.get(&pair.user_id.to_string()).cloned().unwrap_or_default(),
            why,
        });
    }
    let name_list = |ids: &[String]| {
        let mut v: Vec<String> = ids.iter().map(|i| names.get(i).cloned().unwrap_or_else(|| i.clone())).collect();
        v.sort();
        v.join(", ")
    };
    let (lines, objective, solution, problem_text, loads) = match &solved {
        Ok(s) => {
            let mut load: BTreeMap<String, i64> = BTreeMap::new();
            let lines: Vec<AssignmentLine> = s
                .assignments
                .iter()
                .map(|a| {
                    for e in &a.evaluators {
                        *load.entry(names.get(e).cloned().unwrap_or_default()).or_default() += 1;
                    }
                    let mut now = current.get(&a.proposal).cloned().unwrap_or_default();
                    now.sort();
                    let mut next = a.evaluators.clone();
                    next.sort();
                    AssignmentLine {
                        title: proposals
                            .iter()
                            .find(|p| p.id.to_string() == a.proposal)
                            .map(|p| p.fields.title.clone())
                            .unwrap_or_default(),
                        proposal_id: a.proposal.clone(),
                        current: name_list(&now),
                        proposed: name_list(&next),
                        changed: now != next,
                    }
                })
                .collect();
            let bars: Vec<(String, i64)> = load.into_iter().collect();
            (
                lines,
                format!("{:.1}", s.objective),
                serde_json::to_string(s).map_err(|e| AppError::Internal(e.to_string()))?,
                None,
                super::charts::bar_chart(&bars),
            )
        }
        Err(e) => {
            let said = AppError::refused("error-assignment-unsolved").with("detail", e).message(ctx.lang);
            (Vec::new(), String::new(), String::new(), Some(said), String::new())
        }
    };
    render(&AssignmentPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        changed: lines.iter().filter(|l| l.changed).count(),
        problem: problem_text,
        lines,
        objective,
        solution,
        loads,
        proposals: proposals.iter().map(|p| (p.id.to_string(), p.fields.title.clone())).collect(),
        evaluators: pool.iter().map(|e| (e.user_id.to_string(), e.display_name.clone())).collect(),
        fixed: problem.fixed.len(),
        excluded: problem.excluded.len(),
        flagged,
        page: Page { title, ..page },
    })
}

pub async fn apply_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    let solution: kaigi_core::assignment::Solution =
        serde_json::from_str(field(&fields, "solution")).map_err(|_| AppError::form_tampered("solution"))?;
    // Only this call's proposals and evaluators, and no conflicted pair, may be applied.
    if let Some(reason) = evaluation::problem(&state.db, &call).await?.refuse(&solution) {
        return Err(AppError::refused("error-assignment-stale").with("detail", reason));
    }
    evaluation::apply(&state.db, &ctx.actor(), call.id, &solution).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}/progress")).into_response())
}

pub async fn override_assignment(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    let proposal = Uuid::parse_str(field(&fields, "proposal")).map_err(|_| AppError::form_tampered("proposal"))?;
    let user = Uuid::parse_str(field(&fields, "evaluator")).map_err(|_| AppError::form_tampered("evaluator"))?;
    let p = proposals::proposal(&state.db, proposal)
        .await?
        .filter(|p| p.call_id == Some(call.id))
        .ok_or(AppError::NotFound)?;
    if !evaluation::evaluators(&state.db, call.id).await?.iter().any(|e| e.user_id == user) {
        return Err(AppError::refused("error-not-an-evaluator"));
    }
    match field(&fields, "action") {
        "reassign" => {
            evaluation::reassign(&state.db, &ctx.actor(), &call, p.id, user).await?;
        }
        action => {
            evaluation::override_pair(&state.db, &ctx.actor(), &call, p.id, user, action != "remove").await?;
        }
    }
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}/assignment")).into_response())
}

pub struct ProgressRow {
    pub name: String,
    pub assigned: i64,
    pub submitted: i64,
    pub drafts: i64,
    pub state: String,
    pub state_code: &'static str,
}

#[derive(Template)]
#[template(path = "call_progress.html")]
struct ProgressPage {
    page: Page,
    slug: String,
    call_id: String,
    completion: String,
    previous: String,
    evaluators: usize,
    none: usize,
    partial: usize,
    complete: usize,
    chart: String,
    rows: Vec<ProgressRow>,
}

pub async fn show_progress(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("progress-title"));
    let progress = evaluation::progress(&state.db, call.id).await?;
    let count = |s: &str| progress.iter().filter(|p| p.state() == s).count();
    let percent = |v: Option<f64>| v.map(|v| format!("{v:.0}%")).unwrap_or_else(|| "—".into());
    let categories = vec![page.t("progress-submitted"), page.t("progress-drafts"), page.t("progress-not-started")];
    let bar = |name: String, p: &[&evaluation::EvaluatorProgress]| {
        let submitted: i64 = p.iter().map(|x| x.submitted.min(x.assigned)).sum();
        let drafts: i64 = p.iter().map(|x| x.drafts.min(x.assigned - x.submitted.min(x.assigned))).sum();
        let assigned: i64 = p.iter().map(|x| x.assigned).sum();
        (
            name,
            vec![
                (categories[0].clone(), submitted),
                (categories[1].clone(), drafts),
                (categories[2].clone(), (assigned - submitted - drafts).max(0)),
            ],
        )
    };
    let mut bars = vec![bar(page.t("progress-overall"), &progress.iter().collect::<Vec<_>>())];
    bars.extend(progress.iter().map(|p| bar(p.display_name.clone(), &[p])));
    render(&ProgressPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        completion: percent(evaluation::completion(&progress)),
        previous: percent(evaluation::previous_completion(&state.db, &call).await?),
        evaluators: progress.len(),
        none: count("none"),
        partial: count("partial"),
        complete: count("complete"),
        // Submitted in green, drafts in amber, not started in grey.
        chart: super::charts::stacked_bars_in(&bars, &categories, &["#2e8b57", "#e0a100", "#b8bec9"]),
        rows: progress
            .iter()
            .map(|p| ProgressRow {
                name: p.display_name.clone(),
                assigned: p.assigned,
                submitted: p.submitted,
                drafts: p.drafts,
                state: page.t(&format!("progress-state-{}", p.state())),
                state_code: p.state(),
            })
            .collect(),
        page: Page { title, ..page },
    })
}

pub async fn remind(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    let sent = send_reminders(&state, &ctx, &call).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}/progress?reminded={sent}")).into_response())
}

/// Reminds every evaluator with work left, a few rounds a day per call at most (whoever sends
/// them, from the page or the API); returns how many were written to.
pub(crate) async fn send_reminders(state: &AppState, ctx: &Ctx, call: &kaigi_db::calls::Call) -> AppResult<usize> {
    let key = format!("evaluation-reminders:{}", call.id);
    if !kaigi_db::accounts::take(&state.db, &key, kaigi_db::accounts::REMINDERS_PER_CALL).await?.allowed {
        return Err(AppError::TooManyRequests);
    }
    Ok(evaluation::remind(&state.db, &ctx.actor(), call, &state.config.public_url).await?)
}
