//! The directory: people in gojūon order, their affiliations over time, organisations, and
//! merging duplicates. Edits carry the version they were made on, so two secretariat members
//! editing the same person never overwrite each other unseen.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::access::Permission;
use kaigi_core::directory::{Country, PersonName, StakeholderGroup, UnRegion};
use kaigi_db::DbError;
use kaigi_db::directory::{self, Person, PersonInput};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;

const PAGE_SIZE: i64 = 50;

pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub reading: String,
    pub group: String,
    pub region: String,
    pub country: String,
}

fn person_row(lang: Lang, p: &Person) -> PersonRow {
    PersonRow {
        id: p.id.to_string(),
        name: p.display_name.clone(),
        reading: p.reading.clone().unwrap_or_default(),
        group: vocab(lang, "group", p.stakeholder_group.as_deref()),
        region: vocab(lang, "region", p.un_region.as_deref()),
        country: p.country.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    page: Page,
    q: String,
    people: Vec<PersonRow>,
    page_number: i64,
    has_next: bool,
    can_manage: bool,
}

#[derive(Deserialize)]
pub struct PeopleQuery {
    q: Option<String>,
    page: Option<i64>,
}

pub async fn list_people(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<PeopleQuery>,
) -> AppResult<Html<String>> {
    let page_number = query.page.unwrap_or(1).max(1);
    let q = query.q.unwrap_or_default();
    let filter = Some(q.trim()).filter(|s| !s.is_empty());
    let mut people = directory::list_people(&state.db, filter, PAGE_SIZE + 1, (page_number - 1) * PAGE_SIZE).await?;
    let has_next = people.len() as i64 > PAGE_SIZE;
    people.truncate(PAGE_SIZE as usize);
    render(&PeoplePage {
        people: people.iter().map(|p| person_row(ctx.lang, p)).collect(),
        page: Page::titled(&ctx, "nav-people"),
        can_manage: ctx.can(&Permission::ManageDirectory),
        q,
        page_number,
        has_next,
    })
}

pub struct AffiliationRow {
    pub organisation: String,
    pub title: String,
    pub period: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    page: Page,
    person: PersonRow,
    romanized: String,
    email: String,
    gender: String,
    youth: bool,
    merged_into: Option<String>,
    affiliations: Vec<AffiliationRow>,
    organisations: Vec<(String, String)>,
    merge_candidates: Vec<PersonRow>,
    can_manage: bool,
}

pub async fn show_person(State(state): State<AppState>, ctx: Ctx, Path(id): Path<Uuid>) -> AppResult<Html<String>> {
    let person = directory::get_person(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let page = Page::new(&ctx, person.display_name.clone());
    let affiliations = directory::affiliations(&state.db, id)
        .await?
        .into_iter()
        .map(|a| AffiliationRow {
            organisation: a.organisation_name,
            title: a.title.unwrap_or_default(),
            period: format!(
                "{} – {}",
                a.since.map(|d| page.date(&d)).unwrap_or_default(),
                a.until.map(|d| page.date(&d)).unwrap_or_else(|| page.t("affiliation-present"))
            ),
            current: a.until.is_none(),
        })
        .collect();
    let can_manage = ctx.can(&Permission::ManageDirectory);
    let (organisations, merge_candidates) = if can_manage && person.merged_into.is_none() {
        let organisations =
            directory::list_organisations(&state.db).await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
        // Likely duplicates: the same family name as written or as read.
        let family = person.display_name.split(' ').next().unwrap_or(&person.display_name).to_owned();
        let candidates = directory::list_people(&state.db, Some(&family), 20, 0)
            .await?
            .iter()
            .filter(|p| p.id != person.id)
            .map(|p| person_row(ctx.lang, p))
            .collect();
        (organisations, candidates)
    } else {
        (Vec::new(), Vec::new())
    };
    render(&PersonPage {
        romanized: person.romanized.clone().unwrap_or_default(),
        email: person.email.clone().unwrap_or_default(),
        gender: person.gender.clone().unwrap_or_default(),
        youth: person.youth,
        merged_into: person.merged_into.map(|m| m.to_string()),
        person: person_row(ctx.lang, &person),
        affiliations,
        organisations,
        merge_candidates,
        can_manage,
        page,
    })
}

/// The person form as sent; every field is text so a bad value can be shown back.
#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    display_name: String,
    #[serde(default)]
    reading: String,
    #[serde(default)]
    romanized: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    stakeholder_group: String,
    #[serde(default)]
    un_region: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    youth: Option<String>,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    version: i64,
}

fn blank_to_none(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

impl PersonForm {
    fn from_person(p: &Person) -> Self {
        Self {
            display_name: p.display_name.clone(),
            reading: p.reading.clone().unwrap_or_default(),
            romanized: p.romanized.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            stakeholder_group: p.stakeholder_group.clone().unwrap_or_default(),
            un_region: p.un_region.clone().unwrap_or_default(),
            country: p.country.clone().unwrap_or_default(),
            gender: p.gender.clone().unwrap_or_default(),
            youth: p.youth.then(|| "on".to_owned()),
            organisation: String::new(),
            version: p.version,
        }
    }

    /// Parses into domain values, or says which field is wrong and why.
    fn parse(&self, lang: Lang) -> Result<PersonInput, String> {
        person_input(&PersonText {
            display_name: &self.display_name,
            reading: blank_to_none(&self.reading),
            romanized: blank_to_none(&self.romanized),
            email: blank_to_none(&self.email),
            stakeholder_group: blank_to_none(&self.stakeholder_group),
            un_region: blank_to_none(&self.un_region),
            country: blank_to_none(&self.country),
            gender: blank_to_none(&self.gender),
            youth: self.youth.is_some(),
        })
        .map_err(|e| e.message(lang))
    }
}

/// A person as written in the form or sent to the API, blanks already left out.
pub struct PersonText<'a> {
    pub display_name: &'a str,
    pub reading: Option<&'a str>,
    pub romanized: Option<&'a str>,
    pub email: Option<&'a str>,
    pub stakeholder_group: Option<&'a str>,
    pub un_region: Option<&'a str>,
    pub country: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub youth: bool,
}

/// The person in domain values (the page's and the API's), or the first field that is wrong.
pub fn person_input(text: &PersonText) -> AppResult<PersonInput> {
    let name = PersonName::parse(text.display_name, text.reading, text.romanized)?;
    let email = text.email.map(kaigi_db::accounts::normalize_email).transpose()?;
    Ok(PersonInput {
        name,
        email,
        stakeholder_group: text.stakeholder_group.map(str::parse::<StakeholderGroup>).transpose()?,
        un_region: text.un_region.map(str::parse::<UnRegion>).transpose()?,
        country: text.country.map(Country::parse).transpose()?,
        gender: text.gender.map(str::to_owned),
        youth: text.youth,
    })
}

pub struct Choice {
    pub code: String,
    pub label: String,
}

fn choices(lang: Lang, prefix: &str, codes: impl Iterator<Item = &'static str>) -> Vec<Choice> {
    codes.map(|code| Choice { code: code.to_owned(), label: vocab(lang, prefix, Some(code)) }).collect()
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    page: Page,
    action: String,
    form: PersonForm,
    error: Option<String>,
    /// Someone else's save, shown beside the user's own when they collided.
    theirs: Option<PersonForm>,
    groups: Vec<Choice>,
    regions: Vec<Choice>,
    organisations: Vec<(String, String)>,
    is_new: bool,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    action: String,
    form: PersonForm,
    error: Option<String>,
    theirs: Option<PersonForm>,
    is_new: bool,
) -> AppResult<Html<String>> {
    let page = Page::titled(ctx, if is_new { "person-new" } else { "person-edit" });
    let organisations = if is_new {
        directory::list_organisations(&state.db).await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect()
    } else {
        Vec::new()
    };
    render(&PersonFormPage {
        groups: choices(ctx.lang, "group", StakeholderGroup::ALL.iter().map(|g| g.code())),
        regions: choices(ctx.lang, "region", UnRegion::ALL.iter().map(|r| r.code())),
        page,
        action,
        form,
        error,
        theirs,
        organisations,
        is_new,
    })
}

pub async fn new_person(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    form_page(&state, &ctx, "/people".into(), PersonForm::default(), None, None, true).await
}

pub async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let input = match form.parse(ctx.lang) {
        Ok(input) => input,
        Err(error) => {
            let page = form_page(&state, &ctx, "/people".into(), form, Some(error), None, true).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let organisation = blank_to_none(&form.organisation)
        .map(Uuid::parse_str)
        .transpose()
        .map_err(|_| AppError::form_tampered("organisation"))?;
    let mut tx = state.db.begin().await?;
    let id = directory::create_person(&mut tx, &ctx.actor(), &input).await?;
    if let Some(org) = organisation {
        let today = time::OffsetDateTime::now_utc().date();
        directory::add_affiliation(&mut tx, &ctx.actor(), id, org, None, Some(today), None).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

pub async fn edit_person(State(state): State<AppState>, ctx: Ctx, Path(id): Path<Uuid>) -> AppResult<Html<String>> {
    let person = directory::get_person(&state.db, id).await?.ok_or(AppError::NotFound)?;
    form_page(&state, &ctx, format!("/people/{id}"), PersonForm::from_person(&person), None, None, false).await
}

pub async fn update_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<PersonForm>,
) -> AppResult<Response> {
    let action = format!("/people/{id}");
    let input = match form.parse(ctx.lang) {
        Ok(input) => input,
        Err(error) => {
            let page = form_page(&state, &ctx, action, form, Some(error), None, false).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    match directory::update_person(&mut tx, &ctx.actor(), id, form.version, &input).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&action).into_response())
        }
        Err(DbError::Conflict { .. }) => {
            drop(tx);
            // Show both: the user's text stays in the form, now based on the current version.
            let current = directory::get_person(&state.db, id).await?.ok_or(AppError::NotFound)?;
            let theirs = PersonForm::from_person(&current);
            let mine = PersonForm { version: current.version, ..form };
            let error = Some(crate::i18n::t(ctx.lang, "conflict-person"));
            let page = form_page(&state, &ctx, action, mine, error, Some(theirs), false).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AffiliationForm {
    organisation: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
}

fn parse_date(field: &'static str, value: &str) -> AppResult<Option<Date>> {
    blank_to_none(value).map(|v| super::form_date(field, v)).transpose()
}

pub async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<AffiliationForm>,
) -> AppResult<Response> {
    directory::get_person(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let organisation = Uuid::parse_str(form.organisation.trim())
        .map_err(|_| AppError::not_a_choice("organisation", &form.organisation))?;
    let since = parse_date("since", &form.since)?;
    let until = parse_date("until", &form.until)?;
    let mut tx = state.db.begin().await?;
    directory::add_affiliation(&mut tx, &ctx.actor(), id, organisation, blank_to_none(&form.title), since, until)
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct MergeForm {
    into: String,
}

pub async fn merge_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<MergeForm>,
) -> AppResult<Response> {
    let keep = Uuid::parse_str(form.into.trim()).map_err(|_| AppError::refused("error-merge-choose"))?;
    let mut tx = state.db.begin().await?;
    let by =
        if ctx.principal.is_admin() { directory::MergeBy::Administrator } else { directory::MergeBy::DirectoryManager };
    directory::merge_people(&mut tx, &ctx.actor(), id, keep, by).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/people/{keep}")).into_response())
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    page: Page,
    organisations: Vec<(String, String, String)>,
    groups: Vec<Choice>,
    can_manage: bool,
}

pub async fn list_organisations(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let organisations = directory::list_organisations(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.name, vocab(ctx.lang, "group", o.stakeholder_group.as_deref()), o.country.unwrap_or_default()))
        .collect();
    render(&OrganisationsPage {
        page: Page::titled(&ctx, "nav-organisations"),
        organisations,
        groups: choices(ctx.lang, "group", StakeholderGroup::ALL.iter().map(|g| g.code())),
        can_manage: ctx.can(&Permission::ManageDirectory),
    })
}

#[derive(Deserialize)]
pub struct OrganisationForm {
    name: String,
    #[serde(default)]
    stakeholder_group: String,
    #[serde(default)]
    country: String,
}

pub async fn create_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OrganisationForm>,
) -> AppResult<Response> {
    let group = blank_to_none(&form.stakeholder_group).map(str::parse::<StakeholderGroup>).transpose()?;
    let country = blank_to_none(&form.country).map(Country::parse).transpose()?;
    let mut tx = state.db.begin().await?;
    directory::create_organisation(&mut tx, &ctx.actor(), &form.name, group, country.as_ref()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisations").into_response())
}
