//! The organisers' side of a call: the public call page, the proposal form (drafts, every
//! save a revision, submission and withdrawal until the deadline), the people on a proposal
//! (found in the directory by email or invited to confirm through a link), the screening rules
//! checked live while the form is filled in, and the decision with the state of its conditions.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::calls::ProposalFields;
use kaigi_core::screening::{Outcome, Part};
use kaigi_db::calls::{self, Call};
use kaigi_db::decisions;
use kaigi_db::proposals::{self, Invitee};
use serde::Serialize;
use uuid::Uuid;

use super::calls::{outcome_text, rule_text};
use super::forms::{Fields, raw_field as field};
use super::timezone::local_time;
use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InProposal};
use crate::error::{AppError, AppResult};

async fn call_by_id(state: &AppState, id: &str) -> AppResult<Call> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    calls::call(&state.db, id).await?.ok_or(AppError::NotFound)
}

async fn timezone_of(state: &AppState, edition: Uuid) -> AppResult<String> {
    let edition = kaigi_db::editions::edition_by_id(&state.db, edition).await?;
    Ok(edition.map_or_else(|| "UTC".into(), |e| e.timezone))
}

#[derive(Template)]
#[template(path = "call_public.html")]
struct CallPublicPage {
    page: Page,
    call_id: String,
    opens: String,
    closes: String,
    open: bool,
    signed_in: bool,
    types: Vec<String>,
    rules: Vec<String>,
    questions: Vec<String>,
}

pub async fn show_call(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<Html<String>> {
    let call = call_by_id(&state, &id).await?;
    let timezone = timezone_of(&state, call.edition_id).await?;
    let page = Page::new(&ctx, String::new());
    let title = page.pick(&call.name, &call.name_ja).to_owned();
    render(&CallPublicPage {
        call_id: call.id.to_string(),
        opens: local_time(call.opens_at, &timezone),
        closes: local_time(call.closes_at, &timezone),
        open: call.is_open(kaigi_db::now()),
        signed_in: ctx.user.is_some(),
        types: call.settings.session_types.iter().map(|t| vocab(ctx.lang, "session-type", Some(t.code()))).collect(),
        rules: call.settings.rules.iter().map(|r| rule_text(ctx.lang, r)).collect(),
        questions: call
            .settings
            .questions
            .iter()
            .map(|q| page.pick(&q.label, &q.label_ja).to_owned() + if q.required { " *" } else { "" })
            .collect(),
        page: Page { title, ..page },
    })
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct QuestionField {
    pub id: String,
    pub label: String,
    pub required: bool,
    pub answer: String,
}

/// What the proposal form shows, new or existing.
pub struct FormView {
    pub title: String,
    pub types: Vec<Choice>,
    pub themes: Vec<Choice>,
    pub sub_themes: Vec<Choice>,
    pub description: String,
    pub policy_questions: String,
    pub format: String,
    pub expected_audience: String,
    pub hybrid_plan: String,
    pub links: String,
    pub questions: Vec<QuestionField>,
}

async fn form_view(state: &AppState, page: &Page, call: &Call, fields: &ProposalFields) -> AppResult<FormView> {
    let themes = kaigi_db::editions::themes(&state.db, call.edition_id).await?;
    Ok(FormView {
        title: fields.title.clone(),
        types: call
            .settings
            .session_types
            .iter()
            .map(|t| Choice {
                value: t.code().to_owned(),
                label: vocab(page.lang, "session-type", Some(t.code())),
                selected: fields.session_type == t.code(),
            })
            .collect(),
        themes: themes
            .iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: page.pick(&t.name, &t.name_ja).to_owned(),
                selected: fields.theme.as_deref() == Some(&t.id.to_string()),
            })
            .collect(),
        sub_themes: call
            .settings
            .sub_themes
            .iter()
            .flat_map(|(theme, subs)| {
                let theme_name = themes
                    .iter()
                    .find(|t| t.id.to_string() == *theme)
                    .map(|t| page.pick(&t.name, &t.name_ja).to_owned())
                    .unwrap_or_default();
                subs.iter().map(move |s| Choice {
                    value: s.clone(),
                    label: format!("{theme_name} — {s}"),
                    selected: fields.sub_theme == *s,
                })
            })
            .collect(),
        description: fields.description.clone(),
        policy_questions: fields.policy_questions.clone(),
        format: fields.format.clone(),
        expected_audience: fields.expected_audience.map(|n| n.to_string()).unwrap_or_default(),
        hybrid_plan: fields.hybrid_plan.clone(),
        links: fields.links.clone(),
        questions: call
            .settings
            .questions
            .iter()
            .map(|q| QuestionField {
                id: q.id.clone(),
                label: page.pick(&q.label, &q.label_ja).to_owned(),
                required: q.required,
                answer: fields.answers.get(&q.id).cloned().unwrap_or_default(),
            })
            .collect(),
    })
}

/// The proposal fields of a posted form.
fn fields_from(call: &Call, form: &Fields) -> AppResult<ProposalFields> {
    let audience = field(form, "expected_audience").trim();
    Ok(ProposalFields {
        title: field(form, "title").trim().to_owned(),
        session_type: field(form, "session_type").to_owned(),
        theme: Some(field(form, "theme").to_owned()).filter(|t| !t.is_empty()),
        sub_theme: field(form, "sub_theme").to_owned(),
        description: field(form, "description").to_owned(),
        policy_questions: field(form, "policy_questions").to_owned(),
        format: field(form, "format").to_owned(),
        expected_audience: if audience.is_empty() {
            None
        } else {
            Some(audience.parse().map_err(|_| AppError::not_a_number("expected_audience", audience))?)
        },
        hybrid_plan: field(form, "hybrid_plan").to_owned(),
        links: field(form, "links").to_owned(),
        answers: call
            .settings
            .questions
            .iter()
            .map(|q| (q.id.clone(), field(form, &format!("answer-{}", q.id)).to_owned()))
            .filter(|(_, a)| !a.trim().is_empty())
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "proposal_new.html")]
struct NewProposalPage {
    page: Page,
    call_id: String,
    form: FormView,
}

pub async fn new_proposal(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let call = call_by_id(&state, &id).await?;
    // A call that is not open has nothing to write: its page says when it opens or closed.
    if !call.is_open(kaigi_db::now()) {
        return Ok(Redirect::to(&format!("/calls/{}", call.id)).into_response());
    }
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&call.name, &call.name_ja), page.t("proposal-new"));
    let start = ProposalFields { session_type: "workshop".into(), ..Default::default() };
    let form = form_view(&state, &page, &call, &start).await?;
    Ok(render(&NewProposalPage { call_id: call.id.to_string(), form, page: Page { title, ..page } })?.into_response())
}

pub async fn create_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let call = call_by_id(&state, &id).await?;
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let fields = fields_from(&call, &form)?;
    let proposal = proposals::create_proposal(&state.db, &ctx.actor(), user, &call, &fields).await?;
    Ok(Redirect::to(&format!("/proposals/{proposal}")).into_response())
}

pub struct MineRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub decision: String,
}

#[derive(Template)]
#[template(path = "proposals_mine.html")]
struct MinePage {
    page: Page,
    rows: Vec<MineRow>,
    open_calls: Vec<(String, String, String)>,
}

pub async fn my_proposals(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let page = Page::titled(&ctx, "proposals-mine");
    let rows = proposals::proposals_of_user(&state.db, user)
        .await?
        .into_iter()
        .map(|p| MineRow {
            id: p.id.to_string(),
            title: p.fields.title,
            status: vocab(ctx.lang, "status", Some(&p.status)),
            decision: p.decision.as_deref().map(|d| vocab(ctx.lang, "verdict", Some(d))).unwrap_or_default(),
        })
        .collect();
    let mut open_calls = Vec::new();
    for edition in kaigi_db::editions::list_editions(&state.db).await? {
        for c in calls::calls_of_edition(&state.db, edition.id).await? {
            if c.is_open(kaigi_db::now()) {
                open_calls.push((
                    c.id.to_string(),
                    page.pick(&c.name, &c.name_ja).to_owned(),
                    local_time(c.closes_at, &edition.timezone),
                ));
            }
        }
    }
    render(&MinePage { page, rows, open_calls })
}

pub struct PersonRow {
    pub entry: String,
    pub name: String,
    pub role: String,
    pub onsite: bool,
    pub confirmed: bool,
    pub facts: String,
}

#[derive(Template)]
#[template(path = "proposal_edit.html")]
struct EditPage {
    page: Page,
    id: String,
    call_id: String,
    version: i64,
    status: String,
    status_code: String,
    editable: bool,
    closes: String,
    form: FormView,
    people: Vec<PersonRow>,
    parts: Vec<(String, String)>,
    missing: Vec<String>,
    screening: Vec<(bool, String)>,
    decision: Option<String>,
    conditions: Vec<(bool, String)>,
    revisions: Vec<(i64, String, String)>,
    /// Why the last save or submission was refused, shown above the form kept as typed.
    problems: Vec<String>,
}

/// Someone added by email address is named by that address until they confirm: an organiser
/// without directory rights learns nothing from the directory by typing addresses.
fn masked(mut outcomes: Vec<Outcome>, people: &[proposals::ProposalPerson], sees_directory: bool) -> Vec<Outcome> {
    if sees_directory {
        return outcomes;
    }
    for o in &mut outcomes {
        for name in &mut o.names {
            if let Some(p) = people.iter().find(|p| !p.confirmed && p.display_name == *name) {
                *name = p.email.clone().unwrap_or_default();
            }
        }
    }
    outcomes
}

pub async fn show_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(p): InProposal,
) -> AppResult<Html<String>> {
    proposal_page(&state, &ctx, p, None, Vec::new()).await
}

/// The proposal page; `typed` is what the organiser sent when it was refused, shown in the
/// form instead of what is stored so that nothing they wrote is lost.
async fn proposal_page(
    state: &AppState,
    ctx: &Ctx,
    p: proposals::Proposal,
    typed: Option<ProposalFields>,
    problems: Vec<String>,
) -> AppResult<Html<String>> {
    let id = p.id;
    let shown = typed.unwrap_or_else(|| p.fields.clone());
    let call = calls::call(&state.db, p.call_id.ok_or(AppError::NotFound)?).await?.ok_or(AppError::NotFound)?;
    let timezone = timezone_of(state, call.edition_id).await?;
    let page = Page::new(ctx, p.fields.title.clone());
    let lang = ctx.lang;
    let people = proposals::people(&state.db, id).await?;
    let sees_directory = ctx.can(&kaigi_core::access::Permission::ViewDirectory);
    let outcomes = masked(kaigi_db::screening::screen(&state.db, &call, id).await?, &people, sees_directory);
    let conditions = masked(decisions::condition_state(&state.db, &p).await?, &people, sees_directory);
    let label = |f: &str| page.t(&format!("proposal-field-{}", f.split('.').next().unwrap_or(f)));
    let conditional = p.decision.as_deref() == Some("accept-on-condition");
    render(&EditPage {
        id: id.to_string(),
        call_id: call.id.to_string(),
        version: p.version,
        status: vocab(lang, "status", Some(&p.status)),
        status_code: p.status.clone(),
        editable: (call.is_open(kaigi_db::now()) && p.decision.is_none()) || conditional,
        closes: local_time(call.closes_at, &timezone),
        form: form_view(state, &page, &call, &shown).await?,
        people: people
            .iter()
            .map(|x| {
                let shown = x.confirmed || sees_directory;
                PersonRow {
                    entry: x.id.to_string(),
                    name: if shown { x.display_name.clone() } else { x.email.clone().unwrap_or_default() },
                    role: vocab(lang, "participation", Some(&x.role)),
                    onsite: x.onsite,
                    confirmed: x.confirmed,
                    facts: if shown {
                        [
                            vocab(lang, "group", x.stakeholder_group.as_deref()),
                            vocab(lang, "region", x.un_region.as_deref()),
                        ]
                        .join(" · ")
                    } else {
                        String::new()
                    },
                }
            })
            .collect(),
        parts: [Part::Speaker, Part::Moderator, Part::CoOrganiser]
            .iter()
            .map(|p| (p.code().to_owned(), vocab(lang, "participation", Some(p.code()))))
            .collect(),
        missing: shown.missing(&call.settings).iter().map(|f| label(f)).collect(),
        screening: outcomes.iter().map(|o| (o.passed, outcome_text(lang, o))).collect(),
        decision: p.decision.as_deref().map(|d| vocab(lang, "verdict", Some(d))),
        conditions: conditions.iter().map(|o| (o.passed, outcome_text(lang, o))).collect(),
        revisions: proposals::revisions(&state.db, id)
            .await?
            .into_iter()
            .map(|r| (r.revision, local_time(r.created_at, &timezone), r.actor_label))
            .collect(),
        problems,
        page,
    })
}

/// The proposal the permission check resolved, with its call.
async fn editable(state: &AppState, p: proposals::Proposal) -> AppResult<(proposals::Proposal, Call)> {
    let call = calls::call(&state.db, p.call_id.ok_or(AppError::NotFound)?).await?.ok_or(AppError::NotFound)?;
    Ok((p, call))
}

fn version_of(form: &Fields) -> AppResult<i64> {
    field(form, "version").trim().parse().map_err(|_| AppError::form_tampered("version"))
}

pub async fn save_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(proposal): InProposal,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let (p, call) = editable(&state, proposal).await?;
    let fields = fields_from(&call, &form)?;
    // "Save and submit" is one press: the text typed is saved first, then submitted.
    let submit = field(&form, "then") == "submit";
    let saved = async {
        proposals::update_proposal(&state.db, &ctx.actor(), p.id, version_of(&form)?, &fields).await?;
        if submit {
            let now = proposals::proposal(&state.db, p.id).await?.ok_or(AppError::NotFound)?;
            proposals::set_status(&state.db, &ctx.actor(), p.id, now.version, "submitted").await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/proposals/{id}")).into_response()),
        // Not a bare error page: the proposal again, with what was typed and why it was refused.
        Err(AppError::Refused(problems)) => {
            let now = proposals::proposal(&state.db, p.id).await?.ok_or(AppError::NotFound)?;
            let reasons = problems.iter().map(|p| crate::error::localize(ctx.lang, p.key, &p.args)).collect();
            let page = proposal_page(&state, &ctx, now, Some(fields), reasons).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Serialize)]
pub struct CheckAnswer {
    missing: Vec<String>,
    invalid: Vec<String>,
    screening: Vec<CheckLine>,
}

#[derive(Serialize)]
pub struct CheckLine {
    passed: bool,
    text: String,
}

/// The live check while the form is filled in: what is missing or malformed in the fields as
/// typed, and the screening rules against the people on the proposal.
pub async fn check_proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(proposal): InProposal,
    Path(_): Path<String>,
    Form(form): Form<Fields>,
) -> AppResult<Json<CheckAnswer>> {
    let (p, call) = editable(&state, proposal).await?;
    let fields = fields_from(&call, &form).unwrap_or_else(|_| p.fields.clone());
    let page = Page::new(&ctx, String::new());
    let people = proposals::people(&state.db, p.id).await?;
    let sees_directory = ctx.can(&kaigi_core::access::Permission::ViewDirectory);
    let outcomes = masked(kaigi_db::screening::screen(&state.db, &call, p.id).await?, &people, sees_directory);
    Ok(Json(CheckAnswer {
        missing: fields
            .missing(&call.settings)
            .iter()
            .map(|f| page.t(&format!("proposal-field-{}", f.split('.').next().unwrap_or(f))))
            .collect(),
        invalid: fields
            .invalid(&call.settings)
            .iter()
            .map(|p| crate::error::localize(ctx.lang, p.key, &p.args))
            .collect(),
        screening: outcomes.iter().map(|o| CheckLine { passed: o.passed, text: outcome_text(ctx.lang, o) }).collect(),
    }))
}

pub async fn set_status(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(proposal): InProposal,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let (p, _) = editable(&state, proposal).await?;
    let status = field(&form, "status");
    if !matches!(status, "draft" | "submitted" | "withdrawn") {
        return Err(AppError::not_a_choice("status", status));
    }
    proposals::set_status(&state.db, &ctx.actor(), p.id, version_of(&form)?, status).await?;
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

pub async fn add_person(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(proposal): InProposal,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let (p, _) = editable(&state, proposal).await?;
    let part = Part::parse(field(&form, "part")).ok_or_else(|| AppError::not_a_choice("part", field(&form, "part")))?;
    may_add_people(&state, &ctx).await?;
    let invitee = Invitee {
        name: field(&form, "name").trim().to_owned(),
        email: field(&form, "email").trim().to_owned(),
        part,
        onsite: field(&form, "mode") != "online",
    };
    proposals::add_person(&state.db, &ctx.actor(), p.id, &invitee, &state.config.public_url).await?;
    Ok(Redirect::to(&format!("/proposals/{id}#people")).into_response())
}

/// Each address added may get a letter: a few dozen an hour per account is plenty for real
/// work (the page and the API count together, across instances).
pub(crate) async fn may_add_people(state: &AppState, ctx: &Ctx) -> AppResult<()> {
    let key = format!("people-by-email:{}", ctx.user_id().map(|u| u.to_string()).unwrap_or_default());
    if !kaigi_db::accounts::take(&state.db, &key, kaigi_db::accounts::PEOPLE_BY_EMAIL_PER_ACCOUNT).await?.allowed {
        return Err(AppError::TooManyRequests);
    }
    Ok(())
}

pub async fn change_person(
    State(state): State<AppState>,
    ctx: Ctx,
    InProposal(proposal): InProposal,
    Path((id, entry)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> AppResult<Response> {
    let (p, _) = editable(&state, proposal).await?;
    let entry = Uuid::parse_str(&entry).map_err(|_| AppError::NotFound)?;
    let remove = field(&form, "action") == "remove";
    proposals::change_person(&state.db, &ctx.actor(), p.id, entry, remove, field(&form, "mode") != "online").await?;
    Ok(Redirect::to(&format!("/proposals/{id}#people")).into_response())
}

#[derive(Template)]
#[template(path = "proposal_confirm.html")]
struct ConfirmPage {
    page: Page,
    token: String,
    title: String,
    name: String,
    role: String,
    answered: Option<bool>,
}

pub async fn show_confirmation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    let found = proposals::confirmation(&state.db, &token).await?.ok_or(AppError::NotFound)?;
    let page = Page::titled(&ctx, "confirm-title");
    render(&ConfirmPage {
        role: vocab(ctx.lang, "participation", Some(&found.role)),
        answered: found.confirmed.then_some(true),
        title: found.title,
        name: found.display_name,
        token,
        page,
    })
}

pub async fn answer_confirmation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(form): Form<Fields>,
) -> AppResult<Html<String>> {
    let accept = field(&form, "answer") == "yes";
    let found = proposals::answer_confirmation(&state.db, &token, accept).await?;
    let page = Page::titled(&ctx, "confirm-title");
    render(&ConfirmPage {
        role: vocab(ctx.lang, "participation", Some(&found.role)),
        answered: Some(accept),
        title: found.title,
        name: found.display_name,
        token: String::new(),
        page,
    })
}
