//! The secretariat's side of a call for proposals: opening and configuring calls (session
//! types, sub-themes, questions, screening rules, evaluators per proposal), versioned rubrics,
//! the evaluator pool and the deadline screening. The assignment and progress are in
//! `assignment`, results and similar proposals in `results`, decisions in `decisions`.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use kaigi_core::calls::{CallSettings, Question};
use kaigi_core::evaluation::{Criterion, Rubric};
use kaigi_core::programme::SessionType;
use kaigi_core::screening::{Outcome, Rule};
use kaigi_db::calls::{self, Call, CallInput};
use kaigi_db::evaluation;
use kaigi_db::proposals;
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
pub(super) async fn call_of(state: &AppState, edition: Uuid, id: &str) -> AppResult<Call> {
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
            proposals: proposals::proposals_of_call(&state.db, c.id).await?.len(),
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
    /// Each theme of the edition: (id, name, chosen).
    pub theme_choices: Vec<(String, String, bool)>,
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
    /// A page of the proposals the filter keeps.
    proposals: Vec<ProposalLine>,
    counts: Vec<StatusCount>,
    /// Proposals of the call, whatever the filter.
    all: usize,
    /// "51–100 / 240", empty when nothing matches.
    shown: String,
    newer: Option<String>,
    older: Option<String>,
    filtered: bool,
    q: String,
    /// (code, label, selected); the first is "any".
    type_choices: Vec<(String, String, bool)>,
    status_choices: Vec<(String, String, bool)>,
}

/// A status of the call's proposals with how many have it, as a link to list them.
pub struct StatusCount {
    pub label: String,
    pub link: String,
    pub selected: bool,
    pub count: usize,
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

/// The call page's list of proposals: part of the title, a status, a type; a page of it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ProposalListQuery {
    q: Option<String>,
    status: Option<String>,
    session_type: Option<String>,
    offset: Option<i64>,
}

/// Proposals listed per page of the call page.
const PROPOSALS_PER_PAGE: i64 = 50;

pub async fn show_call(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    axum::extract::Query(list): axum::extract::Query<ProposalListQuery>,
) -> AppResult<Html<String>> {
    let call = call_of(&state, edition.id, &id).await?;
    let wanted =
        crate::api::decisions::filter_of(list.q.as_deref(), list.status.as_deref(), list.session_type.as_deref())?;
    let (_, offset) = super::paging(None, list.offset, PROPOSALS_PER_PAGE, PROPOSALS_PER_PAGE)?;
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
        .map(|e| {
            let chosen: Vec<&str> = e.themes.split(',').filter(|t| !t.is_empty()).collect();
            EvaluatorRow {
                user_id: e.user_id.to_string(),
                capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
                themes: chosen.iter().filter_map(|t| theme_name.get(*t).cloned()).collect::<Vec<_>>().join(", "),
                theme_choices: themes
                    .iter()
                    .map(|t| {
                        let id = t.id.to_string();
                        let on = chosen.contains(&id.as_str());
                        (id, page.pick(&t.name, &t.name_ja).to_owned(), on)
                    })
                    .collect(),
                name: e.display_name,
                email: e.email,
            }
        })
        .collect();
    let proposals_of_call = proposals::proposals_of_call(&state.db, call.id).await?;
    // Each status with its count, as a link that lists just those.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &proposals_of_call {
        *counts.entry(p.status.clone()).or_default() += 1;
    }
    let counts: Vec<StatusCount> = counts
        .into_iter()
        .map(|(code, n)| StatusCount {
            label: vocab(lang, "status", Some(&code)),
            link: format!("/editions/{}/calls/{}?status={code}#proposals", edition.slug, call.id),
            selected: wanted.status.as_deref() == Some(code.as_str()),
            count: n,
        })
        .collect();
    let all = proposals_of_call.len();
    let matching = wanted.apply(proposals_of_call);
    let total = matching.len() as i64;
    // The filter in the links to other pages of the list.
    let mut kept = Vec::new();
    for (name, value) in [("q", &wanted.text), ("status", &wanted.status), ("session_type", &wanted.session_type)] {
        if let Some(value) = value {
            kept.push(format!("{name}={}", crate::auth::form_urlencoded_component(value)));
        }
    }
    let link = |offset: i64| {
        let mut query = kept.clone();
        query.push(format!("offset={offset}"));
        format!("/editions/{}/calls/{}?{}#proposals", edition.slug, call.id, query.join("&"))
    };
    let newer = (offset > 0).then(|| link((offset - PROPOSALS_PER_PAGE).max(0)));
    let older = (offset + PROPOSALS_PER_PAGE < total).then(|| link(offset + PROPOSALS_PER_PAGE));
    let shown = if offset < total {
        format!("{}–{} / {total}", offset + 1, (offset + PROPOSALS_PER_PAGE).min(total))
    } else {
        String::new()
    };
    let type_choices: Vec<(String, String, bool)> =
        std::iter::once((String::new(), page.t("registrations-filter-any")))
            .chain(SessionType::ALL.iter().map(|t| (t.code().to_owned(), vocab(lang, "session-type", Some(t.code())))))
            .map(|(code, label)| {
                let selected = wanted.session_type.as_deref().unwrap_or("") == code;
                (code, label, selected)
            })
            .collect();
    let status_choices: Vec<(String, String, bool)> =
        std::iter::once((String::new(), page.t("registrations-filter-any")))
            .chain(
                kaigi_core::programme::ProposalStatus::ALL
                    .iter()
                    .map(|s| (s.code().to_owned(), vocab(lang, "status", Some(s.code())))),
            )
            .map(|(code, label)| {
                let selected = wanted.status.as_deref().unwrap_or("") == code;
                (code, label, selected)
            })
            .collect();
    let filtered = !wanted.is_empty();
    let q = wanted.text.clone().unwrap_or_default();
    let proposals = matching
        .iter()
        .skip(offset as usize)
        .take(PROPOSALS_PER_PAGE as usize)
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
        counts,
        all,
        shown,
        newer,
        older,
        filtered,
        q,
        type_choices,
        status_choices,
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
    kaigi_db::screening::screen_at_deadline(&state.db, &ctx.actor(), &call).await?;
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
        let themes = fields
            .iter()
            .filter(|(k, _)| k == "theme")
            .map(|(_, v)| Uuid::parse_str(v).map_err(|_| AppError::form_tampered("theme")))
            .collect::<AppResult<Vec<Uuid>>>()?;
        evaluation::set_evaluator(&state.db, &ctx.actor(), &call, user, capacity, &themes).await?;
    }
    Ok(Redirect::to(&format!("/editions/{slug}/calls/{id}#evaluators")).into_response())
}
