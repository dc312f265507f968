//! The secretariat's side of a call for proposals: opening and configuring calls (session
//! types, sub-themes, questions, screening rules, evaluators per proposal), versioned rubrics,
//! the evaluator pool, the deadline screening, the exact assignment (preview, apply, manual
//! overrides), progress with reminders, aggregated results with a cut-off, similar proposals,
//! and decisions.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use kaigi_core::calls::{CallSettings, Question};
use kaigi_core::evaluation::{Criterion, Normalisation, Rubric, Settings};
use kaigi_core::programme::SessionType;
use kaigi_core::screening::{Outcome, Rule};
use kaigi_db::calls::{self, Call, CallInput, Decision, Verdict};
use kaigi_db::evaluation;

use uuid::Uuid;

use super::forms::{Fields, field, has};
use super::timezone::{local_input, local_time, parse_local};
use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, t_args};

/// A screening outcome in the reader's language.
pub fn outcome_text(lang: Lang, o: &Outcome) -> String {
    let args = [
        ("found", FluentValue::from(o.found as i64)),
        ("needed", FluentValue::from(o.needed as i64)),
        ("names", FluentValue::from(o.names.join(", "))),
    ];
    let text = t_args(lang, &format!("rule-{}", o.rule.code()), &args);
    if o.names.is_empty() { text } else { format!("{text} — {}", o.names.join(", ")) }
}

/// An evaluation's scores in the rubric's order, each criterion named in the reader's language.
pub fn marks_text(page: &Page, rubric: &Rubric, marks: &kaigi_core::evaluation::Marks) -> String {
    rubric
        .criteria
        .iter()
        .filter_map(|c| Some(format!("{} {}", page.pick(&c.name, &c.name_ja), marks.scores.get(&c.id)?)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A rule's name with its number, in the reader's language.
pub fn rule_text(lang: Lang, rule: &Rule) -> String {
    t_args(lang, &format!("rule-name-{}", rule.code()), &[("n", FluentValue::from(rule.needed() as i64))])
}

/// The call in the path, which must be of the edition in the path.
async fn call_of(state: &AppState, edition: Uuid, id: &str) -> AppResult<Call> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    calls::call(&state.db, id).await?.filter(|c| c.edition_id == edition).ok_or(AppError::NotFound)
}

pub struct CallRow {
    pub id: String,
    pub name: String,
    pub opens: String,
    pub closes: String,
    pub open: bool,
    pub proposals: usize,
}

#[derive(Template)]
#[template(path = "calls.html")]
struct CallsPage {
    page: Page,
    slug: String,
    timezone: String,
    calls: Vec<CallRow>,
}

pub async fn list_calls(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(_): Path<String>,
) -> AppResult<Html<String>> {
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.t("calls-title"));
    let mut rows = Vec::new();
    for c in calls::calls_of_edition(&state.db, edition.id).await? {
        rows.push(CallRow {
            id: c.id.to_string(),
            name: page.pick(&c.name, &c.name_ja).to_owned(),
            opens: local_time(c.opens_at, &edition.timezone),
            closes: local_time(c.closes_at, &edition.timezone),
            open: c.is_open(kaigi_db::now()),
            proposals: calls::proposals_of_call(&state.db, c.id).await?.len(),
        });
    }
    render(&CallsPage { page: Page { title, ..page }, slug: edition.slug, timezone: edition.timezone, calls: rows })
}

pub async fn create_call(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let input = CallInput {
        name: field(&fields, "name").to_owned(),
        name_ja: Some(field(&fields, "name_ja").to_owned()),
        opens_at: parse_local("opens_at", field(&fields, "opens_at"), &edition.timezone)?,
        closes_at: parse_local("closes_at", field(&fields, "closes_at"), &edition.timezone)?,
        settings: CallSettings::igf_defaults(),
        reference_completion: None,
    };
    let id = calls::create_call(&state.db, &ctx.actor(), edition.id, &input).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}")).into_response())
}

pub struct RuleForm {
    pub code: &'static str,
    pub label: String,
    pub on: bool,
    /// The rule's number, where it has one.
    pub n: Option<usize>,
}

pub struct CriterionForm {
    pub id: String,
    pub name: String,
    pub name_ja: String,
    pub weight: String,
    pub counted: bool,
    pub comment: bool,
}

pub struct RubricForm {
    pub session_type: String,
    pub label: String,
    pub revision: i64,
    pub locked: Option<String>,
    pub criteria: Vec<CriterionForm>,
    pub scale_min: i64,
    pub scale_max: i64,
}

pub struct EvaluatorRow {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub capacity: String,
    pub themes: String,
}

pub struct ProposalLine {
    pub id: String,
    pub title: String,
    pub session_type: String,
    pub status: String,
    pub screening: String,
    pub decision: String,
}

#[derive(Template)]
#[template(path = "call.html")]
struct CallPage {
    page: Page,
    slug: String,
    call_id: String,
    version: i64,
    name: String,
    name_ja: String,
    opens_at: String,
    closes_at: String,
    timezone: String,
    open: bool,
    screened: Option<String>,
    per_proposal: usize,
    conflict_months: u32,
    reference_completion: String,
    /// (code, label, accepted, screened, evaluated by the committee)
    types: Vec<(String, String, bool, bool, bool)>,
    rules: Vec<RuleForm>,
    questions: String,
    sub_themes: String,
    rubrics: Vec<RubricForm>,
    rubric_types: Vec<(String, String)>,
    evaluators: Vec<EvaluatorRow>,
    proposals: Vec<ProposalLine>,
    counts: Vec<(String, usize)>,
}

/// The rules chosen in a form: `rule-CODE` checked, `n-CODE` its number.
pub fn rules_from(fields: &Fields, prefix: &str) -> AppResult<Vec<Rule>> {
    let mut rules = Vec::new();
    for kind in Rule::ALL {
        if !has(fields, &format!("{prefix}rule-{}", kind.code())) {
            continue;
        }
        if kind.takes_number() {
            let text = field(fields, &format!("{prefix}n-{}", kind.code()));
            let n: usize = text.parse().map_err(|_| AppError::not_a_number("rule-number", text))?;
            rules.push(kind.with_number(n));
        } else {
            rules.push(kind);
        }
    }
    Ok(rules)
}

pub fn rule_forms(lang: Lang, chosen: &[Rule]) -> Vec<RuleForm> {
    Rule::ALL
        .into_iter()
        .map(|kind| {
            let current = chosen.iter().find(|r| r.code() == kind.code());
            RuleForm {
                code: kind.code(),
                label: crate::i18n::t(lang, &format!("rule-kind-{}", kind.code())),
                on: current.is_some(),
                n: kind.takes_number().then(|| current.unwrap_or(&kind).needed()),
            }
        })
        .collect()
}

fn questions_text(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|q| {
            let mut parts = vec![q.id.clone(), q.label.clone(), q.label_ja.clone().unwrap_or_default()];
            if q.required {
                parts.push("required".into());
            }
            parts.join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "id | label | 日本語 | required", one question a line.
fn parse_questions(text: &str) -> AppResult<Vec<Question>> {
    let mut questions = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        if parts.len() < 2 || parts[0].is_empty() || parts[1].is_empty() {
            return Err(AppError::refused("error-questions-line").with("line", n + 1));
        }
        questions.push(Question {
            id: parts[0].to_owned(),
            label: parts[1].to_owned(),
            label_ja: parts.get(2).filter(|s| !s.is_empty()).map(|s| (*s).to_owned()),
            required: parts.get(3).is_some_and(|s| s.eq_ignore_ascii_case("required") || *s == "必須"),
        });
    }
    Ok(questions)
}

pub async fn show_call(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let page = Page::new(&ctx, String::new());
    let lang = ctx.lang;
    let themes = kaigi_db::editions::themes(&state.db, edition.id).await?;
    let theme_name: HashMap<String, String> =
        themes.iter().map(|t| (t.id.to_string(), page.pick(&t.name, &t.name_ja).to_owned())).collect();
    let sub_themes = call
        .settings
        .sub_themes
        .iter()
        .map(|(t, subs)| format!("{}: {}", theme_name.get(t).cloned().unwrap_or_else(|| t.clone()), subs.join("; ")))
        .collect::<Vec<_>>()
        .join("\n");
    let rubrics = calls::rubrics(&state.db, call.id)
        .await?
        .into_iter()
        .map(|r| {
            let mut criteria: Vec<CriterionForm> = r
                .rubric
                .criteria
                .iter()
                .map(|c| CriterionForm {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    name_ja: c.name_ja.clone().unwrap_or_default(),
                    weight: kaigi_core::timetable::number(c.weight).to_string(),
                    counted: c.counted,
                    comment: c.comment_required,
                })
                .collect();
            for _ in 0..2 {
                criteria.push(CriterionForm {
                    id: String::new(),
                    name: String::new(),
                    name_ja: String::new(),
                    weight: String::new(),
                    counted: true,
                    comment: false,
                });
            }
            RubricForm {
                label: if r.session_type.is_empty() {
                    page.t("rubric-general")
                } else {
                    vocab(lang, "session-type", Some(&r.session_type))
                },
                session_type: r.session_type,
                revision: r.revision,
                locked: r.locked_at.map(|at| local_time(at, &edition.timezone)),
                criteria,
                scale_min: r.rubric.scale_min,
                scale_max: r.rubric.scale_max,
            }
        })
        .collect();
    let evaluators = evaluation::evaluators(&state.db, call.id)
        .await?
        .into_iter()
        .map(|e| EvaluatorRow {
            user_id: e.user_id.to_string(),
            name: e.display_name,
            email: e.email,
            capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            themes: e.themes.split(',').filter_map(|t| theme_name.get(t).cloned()).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let proposals_of_call = calls::proposals_of_call(&state.db, call.id).await?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &proposals_of_call {
        *counts.entry(vocab(lang, "status", Some(&p.status))).or_default() += 1;
    }
    let proposals = proposals_of_call
        .iter()
        .map(|p| ProposalLine {
            id: p.id.to_string(),
            title: p.fields.title.clone(),
            session_type: vocab(lang, "session-type", Some(&p.fields.session_type)),
            status: vocab(lang, "status", Some(&p.status)),
            screening: match &p.screening {
                None => String::new(),
                Some(s) if s.iter().all(|o| o.passed) => page.t("screening-passed"),
                Some(s) => format!("{} {}", page.t("screening-failed"), s.iter().filter(|o| !o.passed).count()),
            },
            decision: p.decision.as_deref().map(|d| vocab(lang, "verdict", Some(d))).unwrap_or_default(),
        })
        .collect();
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.pick(&call.name, &call.name_ja));
    render(&CallPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        version: call.version,
        name: call.name.clone(),
        name_ja: call.name_ja.clone().unwrap_or_default(),
        opens_at: local_input(call.opens_at, &edition.timezone),
        closes_at: local_input(call.closes_at, &edition.timezone),
        timezone: edition.timezone.clone(),
        open: call.is_open(kaigi_db::now()),
        screened: call.screened_at.map(|at| local_time(at, &edition.timezone)),
        per_proposal: call.settings.per_proposal,
        conflict_months: call.settings.conflict_months,
        reference_completion: call.reference_completion.map(|c| c.to_string()).unwrap_or_default(),
        types: SessionType::ALL
            .iter()
            .map(|t| {
                (
                    t.code().to_owned(),
                    vocab(lang, "session-type", Some(t.code())),
                    call.settings.session_types.contains(t),
                    call.settings.screened_types.contains(t),
                    call.settings.evaluated_types.contains(t),
                )
            })
            .collect(),
        rules: rule_forms(lang, &call.settings.rules),
        questions: questions_text(&call.settings.questions),
        sub_themes,
        rubrics,
        rubric_types: SessionType::ALL
            .iter()
            .map(|t| (t.code().to_owned(), vocab(lang, "session-type", Some(t.code()))))
            .collect(),
        evaluators,
        proposals,
        counts: counts.into_iter().collect(),
        page: Page { title, ..page },
    })
}

pub async fn save_call(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    let version: i64 = field(&fields, "version").parse().map_err(|_| AppError::form_tampered("version"))?;
    let themes = kaigi_db::editions::themes(&state.db, edition.id).await?;
    let mut sub_themes = BTreeMap::new();
    for (n, line) in field(&fields, "sub_themes").lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let (theme, subs) = line
            .split_once([':', '：'])
            .ok_or_else(|| AppError::refused("error-sub-themes-line").with("line", n + 1))?;
        let theme =
            themes.iter().find(|t| t.name == theme.trim() || t.name_ja.as_deref() == Some(theme.trim())).ok_or_else(
                || AppError::refused("error-sub-themes-theme").with("line", n + 1).with("theme", theme.trim()),
            )?;
        let subs: Vec<String> =
            subs.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        sub_themes.insert(theme.id.to_string(), subs);
    }
    let per_proposal = field(&fields, "per_proposal");
    let reference = field(&fields, "reference_completion");
    let settings = CallSettings {
        session_types: SessionType::ALL
            .iter()
            .copied()
            .filter(|t| has(&fields, &format!("type-{}", t.code())))
            .collect(),
        screened_types: SessionType::ALL
            .iter()
            .copied()
            .filter(|t| has(&fields, &format!("screened-{}", t.code())))
            .collect(),
        evaluated_types: SessionType::ALL
            .iter()
            .copied()
            .filter(|t| has(&fields, &format!("evaluated-{}", t.code())))
            .collect(),
        sub_themes,
        questions: parse_questions(field(&fields, "questions"))?,
        rules: rules_from(&fields, "")?,
        per_proposal: per_proposal.parse().map_err(|_| AppError::not_a_number("per_proposal", per_proposal))?,
        conflict_months: match field(&fields, "conflict_months").trim() {
            // A form from before the field existed keeps the default.
            "" => 12,
            months => months.parse().map_err(|_| AppError::not_a_number("conflict_months", months))?,
        },
    };
    let input = CallInput {
        name: field(&fields, "name").to_owned(),
        name_ja: Some(field(&fields, "name_ja").to_owned()),
        opens_at: parse_local("opens_at", field(&fields, "opens_at"), &edition.timezone)?,
        closes_at: parse_local("closes_at", field(&fields, "closes_at"), &edition.timezone)?,
        settings,
        reference_completion: if reference.is_empty() {
            None
        } else {
            Some(reference.parse().map_err(|_| AppError::not_a_number("reference_completion", reference))?)
        },
    };
    calls::update_call(&state.db, &ctx.actor(), call.id, version, &input).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}")).into_response())
}

pub async fn save_rubric(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    let number = |name: &'static str| -> AppResult<i64> {
        let text = field(&fields, name);
        text.parse().map_err(|_| AppError::not_a_number(name, text))
    };
    let mut criteria = Vec::new();
    for i in 0..64 {
        let id = field(&fields, &format!("c{i}-id"));
        let name = field(&fields, &format!("c{i}-name"));
        if id.is_empty() && name.is_empty() {
            continue;
        }
        let weight_text = field(&fields, &format!("c{i}-weight"));
        let counted = has(&fields, &format!("c{i}-counted"));
        let weight: f64 = if weight_text.is_empty() && !counted {
            0.0
        } else {
            weight_text.parse().map_err(|_| {
                AppError::refused("error-criterion-weight-number").with("line", i + 1).with("value", weight_text)
            })?
        };
        criteria.push(Criterion {
            id: if id.is_empty() { format!("c{}", i + 1) } else { id.to_owned() },
            name: name.to_owned(),
            name_ja: Some(field(&fields, &format!("c{i}-name_ja")).to_owned()).filter(|s| !s.is_empty()),
            weight,
            counted,
            comment_required: has(&fields, &format!("c{i}-comment")),
        });
    }
    let rubric = Rubric { scale_min: number("scale_min")?, scale_max: number("scale_max")?, criteria };
    let session_type = field(&fields, "session_type");
    if !session_type.is_empty() && session_type.parse::<SessionType>().is_err() {
        return Err(AppError::not_a_choice("session_type", session_type));
    }
    let based_on = field(&fields, "revision").parse().ok();
    calls::save_rubric(&state.db, &ctx.actor(), call.id, session_type, based_on, &rubric).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}#rubrics")).into_response())
}

pub async fn screen(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    calls::screen_at_deadline(&state.db, &ctx.actor(), &call).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}#proposals")).into_response())
}

pub async fn save_evaluators(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let call = call_of(&state, edition.id, &id).await?;
    if has(&fields, "enlist") {
        evaluation::enlist_edition_evaluators(&state.db, &ctx.actor(), &call).await?;
    } else {
        let user = Uuid::parse_str(field(&fields, "user")).map_err(|_| AppError::form_tampered("user"))?;
        let capacity = field(&fields, "capacity");
        let capacity = if capacity.is_empty() {
            None
        } else {
            Some(capacity.parse().map_err(|_| AppError::not_a_number("capacity", capacity))?)
        };
        let themes: Vec<Uuid> =
            fields.iter().filter(|(k, _)| k == "theme").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect();
        evaluation::set_evaluator(&state.db, &ctx.actor(), call.id, user, capacity, &themes).await?;
    }
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}#evaluators")).into_response())
}

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
        let title = calls::proposal(&state.db, pair.proposal_id).await?.map(|p| p.fields.title).unwrap_or_default();
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
    let p =
        calls::proposal(&state.db, proposal).await?.filter(|p| p.call_id == Some(call.id)).ok_or(AppError::NotFound)?;
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
    let sent = evaluation::remind(&state.db, &ctx.actor(), &call, &state.config.public_url).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}/progress?reminded={sent}")).into_response())
}

pub struct ResultRow {
    pub proposal_id: String,
    pub title: String,
    pub session_type: String,
    pub theme: String,
    pub rank: usize,
    pub rank_in_theme: usize,
    pub evaluations: usize,
    pub raw: String,
    pub normalised: String,
    pub adjusted: String,
    pub spread: String,
    pub disagreement: bool,
    pub within: bool,
    pub moved_in: bool,
}

pub struct CriterionRow {
    pub name: String,
    pub mean: String,
    pub spread: String,
    pub correlation: String,
    pub indistinct: bool,
    pub counted: bool,
}

#[derive(Template)]
#[template(path = "call_results.html")]
struct ResultsPage {
    page: Page,
    slug: String,
    call_id: String,
    zscore: bool,
    disagreement: String,
    slots: Vec<(String, String, String)>,
    bonuses: Vec<(String, String, String)>,
    cutoffs: Vec<(String, String)>,
    rows: Vec<ResultRow>,
    criteria: Vec<CriterionRow>,
    evaluators: Vec<(String, usize, String, String, bool)>,
    chart: String,
    evaluations: usize,
}

pub async fn show_results(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<Fields>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let page = Page::new(&ctx, String::new());
    let lang = ctx.lang;
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("results-title"));
    let (entries, scored) = evaluation::scored(&state.db, &call).await?;
    let general = calls::rubric_for(&state.db, call.id, "").await?;
    let number =
        |name: &str, default: f64| field(&query, name).parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(default);
    let mut slots = BTreeMap::new();
    for t in &call.settings.session_types {
        if let Ok(n) = field(&query, &format!("slots-{}", t.code())).parse::<usize>() {
            slots.insert(t.code().to_owned(), n);
        }
    }
    let regions = kaigi_core::directory::UnRegion::ALL;
    let mut region_bonus = BTreeMap::new();
    for r in regions {
        let v = number(&format!("bonus-{}", r.code()), 0.0);
        if v != 0.0 {
            region_bonus.insert(r.code().to_owned(), v);
        }
    }
    let zscore = field(&query, "normalisation") != "none";
    let settings = Settings {
        normalisation: if zscore { Normalisation::ZScore } else { Normalisation::None },
        disagreement: number("disagreement", 1.0),
        slots: slots.clone(),
        region_bonus: region_bonus.clone(),
        scale_min: general.rubric.scale_min as f64,
        scale_max: general.rubric.scale_max as f64,
    };
    let aggregate = kaigi_core::evaluation::aggregate(&entries, &scored, &settings);
    let proposals: HashMap<String, calls::Proposal> =
        evaluation::evaluated_proposals(&state.db, &call).await?.into_iter().map(|p| (p.id.to_string(), p)).collect();
    let themes: HashMap<String, String> = kaigi_db::editions::themes(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), page.pick(&t.name, &t.name_ja).to_owned()))
        .collect();
    let users: HashMap<String, String> = evaluation::evaluators(&state.db, call.id)
        .await?
        .into_iter()
        .map(|e| (e.user_id.to_string(), e.display_name))
        .collect();
    let f2 = |v: f64| format!("{v:.2}");
    // Scores in half-point bins: where the cut-off falls is seen at a glance.
    let mut bins: BTreeMap<i64, i64> = BTreeMap::new();
    for r in aggregate.ranked.iter().filter(|r| r.evaluations > 0) {
        *bins.entry((r.adjusted * 2.0).floor() as i64).or_default() += 1;
    }
    let chart_bars: Vec<(String, i64)> =
        bins.iter().rev().map(|(b, n)| (format!("{:.1}–{:.1}", *b as f64 / 2.0, (*b + 1) as f64 / 2.0), *n)).collect();
    render(&ResultsPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        zscore,
        disagreement: f2(settings.disagreement),
        slots: call
            .settings
            .session_types
            .iter()
            .filter(|t| call.settings.is_evaluated(t.code()))
            .map(|t| {
                (
                    t.code().to_owned(),
                    vocab(lang, "session-type", Some(t.code())),
                    slots.get(t.code()).map(|n| n.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        bonuses: regions
            .iter()
            .map(|r| {
                (
                    r.code().to_owned(),
                    vocab(lang, "region", Some(r.code())),
                    region_bonus.get(r.code()).map(|v| v.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        cutoffs: aggregate
            .cutoffs
            .iter()
            .map(|(t, v)| (vocab(lang, "session-type", Some(t)), format!("{v:.3}")))
            .collect(),
        rows: aggregate
            .ranked
            .iter()
            .map(|r| ResultRow {
                proposal_id: r.proposal.clone(),
                title: proposals.get(&r.proposal).map(|p| p.fields.title.clone()).unwrap_or_default(),
                session_type: vocab(lang, "session-type", Some(&r.session_type)),
                theme: r.theme.as_ref().and_then(|t| themes.get(t).cloned()).unwrap_or_default(),
                rank: r.rank_in_type,
                rank_in_theme: r.rank_in_theme,
                evaluations: r.evaluations,
                raw: f2(r.raw),
                normalised: f2(r.normalised),
                adjusted: f2(r.adjusted),
                spread: f2(r.spread),
                disagreement: r.disagreement,
                within: r.within_slots,
                moved_in: r.within_slots && !r.within_without_bonus,
            })
            .collect(),
        criteria: aggregate
            .criteria
            .iter()
            .map(|c| {
                let known = general.rubric.criteria.iter().find(|x| x.id == c.id);
                CriterionRow {
                    name: known.map_or_else(|| c.id.clone(), |k| page.pick(&k.name, &k.name_ja).to_owned()),
                    mean: f2(c.mean),
                    spread: f2(c.spread),
                    correlation: c.correlation.map(f2).unwrap_or_else(|| "—".into()),
                    indistinct: c.indistinct,
                    counted: known.is_none_or(|k| k.counted),
                }
            })
            .collect(),
        evaluators: aggregate
            .evaluators
            .iter()
            .map(|e| {
                (
                    users.get(&e.evaluator).cloned().unwrap_or_default(),
                    e.evaluations,
                    f2(e.mean),
                    f2(e.spread),
                    e.normalised,
                )
            })
            .collect(),
        chart: super::charts::bar_chart(&chart_bars),
        evaluations: scored.len(),
        page: Page { title, ..page },
    })
}

pub struct PairView {
    pub score: String,
    pub a_id: String,
    pub a_title: String,
    pub a_text: String,
    pub b_id: String,
    pub b_title: String,
    pub b_text: String,
}

#[derive(Template)]
#[template(path = "call_similar.html")]
struct SimilarPage {
    page: Page,
    slug: String,
    call_id: String,
    pairs: Vec<PairView>,
    threshold: String,
}

/// A text with its shared passages marked; everything is escaped here, the marks added after.
fn marked(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut ranges: Vec<_> = ranges.to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&crate::error::html_escape(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&crate::error::html_escape(&text[r.start..r.end]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&crate::error::html_escape(&text[at..]));
    out
}

pub async fn show_similar(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<Fields>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("similar-title"));
    let threshold = field(&query, "threshold").parse::<f64>().ok().filter(|t| (0.05..=1.0).contains(t)).unwrap_or(0.5);
    let proposals: Vec<calls::Proposal> = calls::proposals_of_call(&state.db, call.id)
        .await?
        .into_iter()
        .filter(|p| p.status != "withdrawn" && p.merged_into.is_none())
        .collect();
    let texts: Vec<String> =
        proposals.iter().map(|p| format!("{}\n{}", p.fields.title, p.fields.description)).collect();
    let pairs = kaigi_core::similarity::similar_pairs(&texts, threshold, 50)
        .into_iter()
        .map(|pair| {
            let (a, b) = (&proposals[pair.a], &proposals[pair.b]);
            let passages = kaigi_core::similarity::shared_passages(&a.fields.description, &b.fields.description, 8);
            PairView {
                score: format!("{:.0}%", pair.score * 100.0),
                a_id: a.id.to_string(),
                a_title: a.fields.title.clone(),
                a_text: marked(&a.fields.description, &passages.iter().map(|p| p.a.clone()).collect::<Vec<_>>()),
                b_id: b.id.to_string(),
                b_title: b.fields.title.clone(),
                b_text: marked(&b.fields.description, &passages.iter().map(|p| p.b.clone()).collect::<Vec<_>>()),
            }
        })
        .collect();
    render(&SimilarPage {
        slug: edition.slug.clone(),
        call_id: call.id.to_string(),
        pairs,
        threshold: format!("{threshold:.2}"),
        page: Page { title, ..page },
    })
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let proposal =
        calls::proposal(&state.db, id).await?.filter(|p| p.edition_id == edition.id).ok_or(AppError::NotFound)?;
    let verdict = Verdict::parse(field(&fields, "verdict"))
        .ok_or_else(|| AppError::not_a_choice("verdict", field(&fields, "verdict")))?;
    let decision = Decision {
        verdict,
        conditions: if verdict == Verdict::AcceptOnCondition { rules_from(&fields, "cond-")? } else { Vec::new() },
        merge_with: fields.iter().filter(|(k, _)| k == "merge").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect(),
        note: field(&fields, "note").to_owned(),
    };
    calls::decide(&state.db, &ctx.actor(), proposal.id, &decision, &state.config.public_url).await?;
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
    let p = calls::proposal(&state.db, id).await?.filter(|p| p.edition_id == edition.id).ok_or(AppError::NotFound)?;
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
        (Some(stored), _) => (true, stored.iter().map(|o| (o.passed, outcome_text(lang, &o.clone().into()))).collect()),
        (None, Some(call)) => (
            false,
            calls::screen(&state.db, call, id).await?.iter().map(|o| (o.passed, outcome_text(lang, o))).collect(),
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
        Some(c) => calls::proposals_of_call(&state.db, c.id)
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
        people: calls::people(&state.db, id)
            .await?
            .into_iter()
            .map(|x| {
                let facts = [
                    vocab(lang, "group", x.stakeholder_group.as_deref()),
                    vocab(lang, "region", x.un_region.as_deref()),
                    x.gender.clone().unwrap_or_else(|| "—".into()),
                ]
                .join(" · ");
                let mode = page.t(if x.onsite { "venue-onsite" } else { "venue-online" });
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
        conditions: calls::condition_state(&state.db, &p)
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
