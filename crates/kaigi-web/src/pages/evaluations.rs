//! The evaluators' side: their assigned proposals (never a conflicted one) with their own
//! progress, the rubric form (drafts, then a submission), declaring a conflict of interest, and
//! the other evaluations of a proposal — only once their own is submitted.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::evaluation::Marks;
use kaigi_db::{calls, evaluation, proposals};

use super::forms::{Fields, field};
use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InProposal};
use crate::error::{AppError, AppResult};

pub struct MineRow {
    pub proposal_id: String,
    pub title: String,
    pub session_type: String,
    pub state: String,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "evaluations.html")]
struct ListPage {
    page: Page,
    rows: Vec<MineRow>,
    assigned: usize,
    submitted: usize,
    drafts: usize,
    percent: String,
}

pub async fn my_evaluations(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let page = Page::titled(&ctx, "evaluations-title");
    let mine = evaluation::assignments_of_user(&state.db, user).await?;
    let submitted = mine.iter().filter(|m| m.state.as_deref() == Some("submitted")).count();
    let drafts = mine.iter().filter(|m| m.state.as_deref() == Some("draft")).count();
    render(&ListPage {
        assigned: mine.len(),
        submitted,
        drafts,
        percent: if mine.is_empty() {
            "—".into()
        } else {
            format!("{:.0}%", 100.0 * submitted as f64 / mine.len() as f64)
        },
        rows: mine
            .into_iter()
            .map(|m| MineRow {
                proposal_id: m.proposal_id.to_string(),
                title: m.title,
                session_type: vocab(ctx.lang, "session-type", Some(&m.session_type)),
                done: m.state.as_deref() == Some("submitted"),
                state: page.t(&format!("evaluation-state-{}", m.state.as_deref().unwrap_or("none"))),
            })
            .collect(),
        page,
    })
}

pub struct CriterionInput {
    pub id: String,
    pub name: String,
    pub weight: String,
    pub counted: bool,
    pub comment_required: bool,
    /// Each score on the scale, and whether it is the one chosen.
    pub choices: Vec<(i64, bool)>,
    pub comment: String,
}

pub struct OtherEvaluation {
    pub name: String,
    pub total: String,
    pub scores: String,
    pub comments: Vec<String>,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    page: Page,
    proposal_id: String,
    session_type: String,
    theme: String,
    description: String,
    policy_questions: String,
    format: String,
    hybrid_plan: String,
    people: Vec<(String, String, String)>,
    criteria: Vec<CriterionInput>,
    version: i64,
    submitted: bool,
    total: String,
    others: Vec<OtherEvaluation>,
    problem: Option<String>,
    /// What the last save did ("draft" or "submitted"), said once after it.
    saved: Option<String>,
    /// The next proposal on the evaluator's list not yet submitted, and how many are left.
    next: Option<(String, String)>,
    left: usize,
}

async fn evaluation_page(
    state: &AppState,
    ctx: &Ctx,
    p: &proposals::Proposal,
    problem: Option<String>,
    typed: Option<&Marks>,
    saved: Option<&str>,
) -> AppResult<Html<String>> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let id = p.id;
    // The list as the evaluator sees it: the next one after this not yet submitted, from the
    // top again past the end.
    let list = evaluation::assignments_of_user(&state.db, user).await?;
    let open: Vec<&evaluation::MyAssignment> =
        list.iter().filter(|m| m.state.as_deref() != Some("submitted") && m.proposal_id != id).collect();
    let here = list.iter().position(|m| m.proposal_id == id).unwrap_or(0);
    let next = open
        .iter()
        .find(|m| list.iter().position(|x| x.proposal_id == m.proposal_id).is_some_and(|at| at > here))
        .or_else(|| open.first())
        .map(|m| (m.proposal_id.to_string(), m.title.clone()));
    let left = open.len();
    let call_id = p.call_id.ok_or(AppError::NotFound)?;
    let mine = evaluation::evaluation(&state.db, id, user).await?;
    let rubric = match &mine {
        Some(e) => calls::rubric_revision(&state.db, e.rubric_id).await?.ok_or(AppError::NotFound)?,
        None => calls::rubric_for(&state.db, call_id, &p.fields.session_type).await?,
    };
    let page = Page::new(ctx, p.fields.title.clone());
    let lang = ctx.lang;
    let marks = typed.cloned().or_else(|| mine.as_ref().map(|e| e.marks.clone())).unwrap_or_default();
    let submitted = mine.as_ref().is_some_and(|e| e.state == "submitted");
    let shares: BTreeMap<String, f64> = rubric.rubric.shares().into_iter().collect();
    // Others' evaluations only after one's own is in: nobody is swayed before deciding.
    let others = if submitted {
        evaluation::submitted_for(&state.db, id)
            .await?
            .into_iter()
            .filter(|(_, e)| e.user_id != user)
            .map(|(name, e)| OtherEvaluation {
                name,
                total: rubric.rubric.weighted(&e.marks).map(|t| format!("{t:.2}")).unwrap_or_default(),
                scores: super::calls::marks_text(&page, &rubric.rubric, &e.marks),
                comments: e.marks.comments.values().filter(|c| !c.trim().is_empty()).cloned().collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let theme = match &p.fields.theme {
        Some(t) => kaigi_db::editions::themes(&state.db, p.edition_id)
            .await?
            .into_iter()
            .find(|x| x.id.to_string() == *t)
            .map(|x| page.pick(&x.name, &x.name_ja).to_owned())
            .unwrap_or_default(),
        None => String::new(),
    };
    render(&EvaluationPage {
        proposal_id: id.to_string(),
        session_type: vocab(lang, "session-type", Some(&p.fields.session_type)),
        theme,
        description: p.fields.description.clone(),
        policy_questions: p.fields.policy_questions.clone(),
        format: p.fields.format.clone(),
        hybrid_plan: p.fields.hybrid_plan.clone(),
        people: proposals::people(&state.db, id)
            .await?
            .into_iter()
            .map(|x| {
                let mode = page.t(if x.onsite { "attend-onsite" } else { "attend-online" });
                (x.display_name, vocab(lang, "participation", Some(&x.role)), mode)
            })
            .collect(),
        criteria: rubric
            .rubric
            .criteria
            .iter()
            .map(|c| CriterionInput {
                id: c.id.clone(),
                name: page.pick(&c.name, &c.name_ja).to_owned(),
                weight: shares.get(&c.id).map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_default(),
                counted: c.counted,
                comment_required: c.comment_required,
                choices: (rubric.rubric.scale_min..=rubric.rubric.scale_max)
                    .map(|v| (v, marks.scores.get(&c.id) == Some(&v)))
                    .collect(),
                comment: marks.comments.get(&c.id).cloned().unwrap_or_default(),
            })
            .collect(),
        version: mine.as_ref().map_or(0, |e| e.version),
        submitted,
        total: rubric.rubric.weighted(&marks).map(|t| format!("{t:.2}")).unwrap_or_else(|| "—".into()),
        others,
        problem,
        saved: saved.map(|s| page.t(&format!("evaluation-saved-{s}"))),
        next,
        left,
        page,
    })
}

pub async fn show_evaluation(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    axum::extract::Query(query): axum::extract::Query<Fields>,
) -> AppResult<Html<String>> {
    let saved = match field(&query, "saved") {
        "draft" => Some("draft"),
        "submitted" => Some("submitted"),
        _ => None,
    };
    evaluation_page(&state, &ctx, &p, None, None, saved).await
}

pub async fn save_evaluation(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let id = p.id;
    let mut marks = Marks::default();
    for (k, v) in &form {
        if let Some(criterion) = k.strip_prefix("score-") {
            let v = v.trim();
            if !v.is_empty() {
                let score = v.parse().map_err(|_| AppError::refused("error-score-not-number").with("value", v))?;
                marks.scores.insert(criterion.to_owned(), score);
            }
        } else if let Some(criterion) = k.strip_prefix("comment-")
            && !v.trim().is_empty()
        {
            marks.comments.insert(criterion.to_owned(), v.trim().to_owned());
        }
    }
    let version: i64 = field(&form, "version").trim().parse().map_err(|_| AppError::form_tampered("version"))?;
    let submit = field(&form, "submit") == "1";
    match evaluation::save(&state.db, &ctx.actor(), &p, user, version, &marks, submit).await {
        Ok(_) => {
            let saved = if submit { "submitted" } else { "draft" };
            Ok(Redirect::to(&format!("/evaluations/{id}?saved={saved}")).into_response())
        }
        // What was typed stays on the page with the reason.
        Err(e) if e.is_refusal() => {
            let page = evaluation_page(&state, &ctx, &p, Some(AppError::from(e).message(ctx.lang)), Some(&marks), None)
                .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn declare_conflict(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let id = p.id;
    let call = calls::call(&state.db, p.call_id.ok_or(AppError::NotFound)?).await?.ok_or(AppError::NotFound)?;
    evaluation::declare_conflict(&state.db, &ctx.actor(), &call, id, user, field(&form, "reason")).await?;
    Ok(Redirect::to("/evaluations").into_response())
}
