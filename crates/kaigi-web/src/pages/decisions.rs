//! The secretariat's decision on a proposal, and the proposal page it is taken from.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_db::calls;
use kaigi_db::decisions::{self, Decision, Verdict};
use kaigi_db::evaluation;
use kaigi_db::proposals;
use uuid::Uuid;

use super::calls::{RuleForm, marks_text, outcome_text, rule_forms, rules_from};
use super::forms::{Fields, field};
use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let proposal =
        proposals::proposal(&state.db, id).await?.filter(|p| p.edition_id == edition.id).ok_or(AppError::NotFound)?;
    let verdict = Verdict::parse(field(&fields, "verdict"))
        .ok_or_else(|| AppError::not_a_choice("verdict", field(&fields, "verdict")))?;
    let decision = Decision {
        verdict,
        conditions: if verdict == Verdict::AcceptOnCondition { rules_from(&fields, "cond-")? } else { Vec::new() },
        merge_with: fields.iter().filter(|(k, _)| k == "merge").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect(),
        note: field(&fields, "note").to_owned(),
    };
    decisions::decide(&state.db, &ctx.actor(), proposal.id, &decision, &state.config.public_url).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/proposals/{id}")).into_response())
}

pub struct EvaluationView {
    pub name: String,
    pub state: String,
    pub total: String,
    pub scores: String,
    pub comments: Vec<String>,
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalPage {
    page: Page,
    slug: String,
    id: String,
    call_id: String,
    session_type: String,
    theme: String,
    status: String,
    decision: Option<String>,
    merged_into: Option<String>,
    fields: Vec<(String, String)>,
    people: Vec<(String, String, String, String, bool)>,
    screening_stored: bool,
    screening: Vec<(bool, String)>,
    conditions: Vec<(bool, String)>,
    evaluations: Vec<EvaluationView>,
    rules: Vec<RuleForm>,
    merge_candidates: Vec<(String, String)>,
    decidable: bool,
}

/// One proposal as the secretariat reads it: content, people, screening, every evaluation,
/// and the decision form.
pub async fn show_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let p =
        proposals::proposal(&state.db, id).await?.filter(|p| p.edition_id == edition.id).ok_or(AppError::NotFound)?;
    let page = Page::new(&ctx, p.fields.title.clone());
    let lang = ctx.lang;
    let theme = match &p.fields.theme {
        Some(t) => kaigi_db::editions::themes(&state.db, edition.id)
            .await?
            .into_iter()
            .find(|x| x.id.to_string() == *t)
            .map(|x| page.pick(&x.name, &x.name_ja).to_owned())
            .unwrap_or_default(),
        None => "—".into(),
    };
    let call = match p.call_id {
        Some(c) => calls::call(&state.db, c).await?,
        None => None,
    };
    let (screening_stored, screening) = match (&p.screening, &call) {
        (Some(stored), _) => (true, stored.iter().map(|o| (o.passed, outcome_text(lang, o))).collect()),
        (None, Some(call)) => (
            false,
            kaigi_db::screening::screen(&state.db, call, id)
                .await?
                .iter()
                .map(|o| (o.passed, outcome_text(lang, o)))
                .collect(),
        ),
        (None, None) => (false, Vec::new()),
    };
    let evaluations = match &call {
        Some(_) => {
            let mut all = Vec::new();
            for (name, e) in evaluation::submitted_for(&state.db, id).await? {
                let r = calls::rubric_revision(&state.db, e.rubric_id).await?.ok_or(AppError::NotFound)?;
                all.push(EvaluationView {
                    name,
                    state: page.t("evaluation-state-submitted"),
                    total: r.rubric.weighted(&e.marks).map(|t| format!("{t:.2}")).unwrap_or_default(),
                    scores: marks_text(&page, &r.rubric, &e.marks),
                    comments: e.marks.comments.values().cloned().collect(),
                });
            }
            all
        }
        None => Vec::new(),
    };
    let merge_candidates = match &call {
        Some(c) => proposals::proposals_of_call(&state.db, c.id)
            .await?
            .into_iter()
            .filter(|o| o.id != id && o.status == "submitted")
            .map(|o| (o.id.to_string(), o.fields.title))
            .collect(),
        None => Vec::new(),
    };
    let label = |f: &str| page.t(&format!("proposal-field-{f}"));
    let fields = [
        ("description", &p.fields.description),
        ("policy_questions", &p.fields.policy_questions),
        ("format", &p.fields.format),
        ("hybrid_plan", &p.fields.hybrid_plan),
        ("links", &p.fields.links),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (label(k), v.clone()))
    .collect();
    render(&ProposalPage {
        slug: edition.slug.clone(),
        id: id.to_string(),
        call_id: p.call_id.map(|c| c.to_string()).unwrap_or_default(),
        session_type: vocab(lang, "session-type", Some(&p.fields.session_type)),
        theme,
        status: vocab(lang, "status", Some(&p.status)),
        decision: p.decision.as_deref().map(|d| vocab(lang, "verdict", Some(d))),
        merged_into: p.merged_into.map(|m| m.to_string()),
        fields,
        people: proposals::people(&state.db, id)
            .await?
            .into_iter()
            .map(|x| {
                let facts = [
                    vocab(lang, "group", x.stakeholder_group.as_deref()),
                    vocab(lang, "region", x.un_region.as_deref()),
                    x.gender.clone().unwrap_or_else(|| "—".into()),
                ]
                .join(" · ");
                let mode = page.t(if x.onsite { "attend-onsite" } else { "attend-online" });
                (
                    x.person_id.to_string(),
                    x.display_name,
                    vocab(lang, "participation", Some(&x.role)),
                    format!("{mode} · {facts}"),
                    x.confirmed,
                )
            })
            .collect(),
        screening_stored,
        screening,
        conditions: decisions::condition_state(&state.db, &p)
            .await?
            .iter()
            .map(|o| (o.passed, outcome_text(lang, o)))
            .collect(),
        evaluations,
        rules: rule_forms(lang, &p.conditions),
        merge_candidates,
        decidable: call.is_some()
            && matches!(p.status.as_str(), "submitted" | "accepted" | "rejected")
            && p.merged_into.is_none(),
        page,
    })
}
