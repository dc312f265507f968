//! The directory's writes through the API, for secretariats importing speaker lists and keeping
//! people up to date: a person created or edited on the version read, an affiliation added,
//! a duplicate merged; organisations listed and created; people read a page at a time or one
//! with their affiliations. The same parsing, checks and audit as the directory pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kaigi_core::directory::{Country, StakeholderGroup, UnRegion};
use kaigi_db::directory;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ApiError, at_most, not_negative};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::pages::directory::{PersonText, person_input};

/// A person's fields, as the person form has them.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonFields {
    /// As the person writes it, in any script: "藤井 健太", "Carol Roach".
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub display_name: String,
    /// The reading in kana, for gojūon order ("ふじい けんた").
    #[serde(default)]
    #[schemars(length(max = 200), regex(pattern = kaigi_core::directory::READING_PATTERN))]
    pub reading: Option<String>,
    /// For readers of Latin script ("Fujii Kenta").
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub romanized: Option<String>,
    #[serde(default)]
    #[schemars(length(min = 5, max = 254), regex(pattern = kaigi_core::directory::EMAIL_PATTERN))]
    pub email: Option<String>,
    #[serde(default)]
    pub stakeholder_group: Option<StakeholderGroup>,
    #[serde(default)]
    pub un_region: Option<UnRegion>,
    /// ISO 3166 alpha-2 ("JP").
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z]{2}$"))]
    pub country: Option<String>,
    /// As the person describes it.
    #[serde(default)]
    #[schemars(length(max = 50))]
    pub gender: Option<String>,
    #[serde(default)]
    pub youth: bool,
}

fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl PersonFields {
    fn input(&self) -> Result<directory::PersonInput, ApiError> {
        at_most("display_name", &self.display_name, 200)?;
        at_most("reading", self.reading.as_deref().unwrap_or_default(), 200)?;
        at_most("romanized", self.romanized.as_deref().unwrap_or_default(), 200)?;
        at_most("email", self.email.as_deref().unwrap_or_default(), 254)?;
        at_most("gender", self.gender.as_deref().unwrap_or_default(), directory::GENDER_MAX)?;
        if let Some(email) = &self.email
            && !kaigi_core::directory::is_email(email)
        {
            return Err(AppError::from(
                kaigi_db::DbError::refused("error-email", "email: not an email address").with("value", email),
            )
            .into());
        }
        if let Some(country) = &self.country
            && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(
                AppError::from(kaigi_core::directory::DirectoryError::Country { found: country.clone() }).into()
            );
        }
        Ok(person_input(&PersonText {
            display_name: &self.display_name,
            reading: blank(&self.reading),
            romanized: blank(&self.romanized),
            email: self.email.as_deref(),
            stakeholder_group: self.stakeholder_group.map(StakeholderGroup::code),
            un_region: self.un_region.map(UnRegion::code),
            country: blank(&self.country),
            gender: blank(&self.gender),
            youth: self.youth,
        })?)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub person: PersonFields,
    /// Their organisation today, recorded as an affiliation since today.
    #[serde(default)]
    pub organisation: Option<Uuid>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonSaved {
    pub id: Uuid,
    /// Send it back with the next change.
    pub version: i64,
}

async fn saved(state: &AppState, id: Uuid) -> Result<PersonSaved, ApiError> {
    let person = directory::get_person(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(PersonSaved { id, version: person.version })
}

/// Adds a person (201), with their organisation today if named (404 error-organisation-unknown
/// for one not in the directory).
pub async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    super::Body(new): super::Body<NewPerson>,
) -> Result<(StatusCode, Json<PersonSaved>), ApiError> {
    let input = new.person.input()?;
    let mut tx = state.db.begin().await?;
    let id = directory::create_person(&mut tx, &ctx.actor(), &input).await?;
    if let Some(organisation) = new.organisation {
        let today = kaigi_db::now().date();
        directory::add_affiliation(&mut tx, &ctx.actor(), id, organisation, None, Some(today), None).await?;
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(saved(&state, id).await?)))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonWrite {
    /// The version read; 409 error-conflict if someone saved since (nothing is overwritten).
    #[schemars(range(min = 0))]
    pub version: i64,
    pub person: PersonFields,
}

/// Saves the whole person on the version read.
pub async fn update_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    super::Body(write): super::Body<PersonWrite>,
) -> Result<Json<PersonSaved>, ApiError> {
    not_negative("version", write.version)?;
    let input = write.person.input()?;
    let mut tx = state.db.begin().await?;
    directory::update_person(&mut tx, &ctx.actor(), id, write.version, &input).await?;
    tx.commit().await?;
    Ok(Json(saved(&state, id).await?))
}

fn date_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": ["string", "null"], "format": "date"})
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAffiliation {
    pub organisation: Uuid,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub title: Option<String>,
    /// YYYY-MM-DD; null or absent when not known.
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub since: Option<String>,
    /// YYYY-MM-DD, not before since; null or absent while it lasts.
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub until: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Created {
    pub id: Uuid,
}

/// Records a period of a person's affiliation (201).
pub async fn add_affiliation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(person): Path<Uuid>,
    super::Body(new): super::Body<NewAffiliation>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    at_most("title", new.title.as_deref().unwrap_or_default(), directory::TITLE_MAX)?;
    let date = |field: &'static str, text: &Option<String>| {
        text.as_deref().map(|t| crate::pages::form_date(field, t)).transpose()
    };
    let (since, until) = (date("since", &new.since)?, date("until", &new.until)?);
    let mut tx = state.db.begin().await?;
    let id =
        directory::add_affiliation(&mut tx, &ctx.actor(), person, new.organisation, blank(&new.title), since, until)
            .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    /// The record to keep: everything that named the person in the path names it from now on.
    pub into: Uuid,
}

/// Merges the person in the path into another (a duplicate entered twice); only an
/// administrator merges people with accounts (403 error-merge-accounts otherwise).
pub async fn merge_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(duplicate): Path<Uuid>,
    super::Body(merge): super::Body<Merge>,
) -> Result<Json<PersonSaved>, ApiError> {
    let by =
        if ctx.principal.is_admin() { directory::MergeBy::Administrator } else { directory::MergeBy::DirectoryManager };
    let mut tx = state.db.begin().await?;
    directory::merge_people(&mut tx, &ctx.actor(), duplicate, merge.into, by).await?;
    tx.commit().await?;
    Ok(Json(saved(&state, merge.into).await?))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OrganisationView {
    pub id: Uuid,
    pub name: String,
    pub stakeholder_group: Option<StakeholderGroup>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OrganisationList {
    /// By name.
    pub organisations: Vec<OrganisationView>,
}

pub async fn list_organisations(State(state): State<AppState>) -> Result<Json<OrganisationList>, ApiError> {
    let organisations = directory::list_organisations(&state.db)
        .await?
        .into_iter()
        .map(|o| OrganisationView {
            stakeholder_group: o.stakeholder_group.as_deref().and_then(|g| g.parse().ok()),
            id: o.id,
            name: o.name,
            country: o.country,
        })
        .collect();
    Ok(Json(OrganisationList { organisations }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default)]
    pub stakeholder_group: Option<StakeholderGroup>,
    /// ISO 3166 alpha-2 ("JP").
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z]{2}$"))]
    pub country: Option<String>,
}

/// Adds an organisation (201); 409 error-organisation-exists for a name taken.
pub async fn create_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    super::Body(new): super::Body<NewOrganisation>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    at_most("name", &new.name, directory::ORGANISATION_MAX)?;
    let country = match &new.country {
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(Country::parse(c).map_err(AppError::from)?)
        }
        Some(c) => {
            return Err(AppError::from(kaigi_core::directory::DirectoryError::Country { found: c.clone() }).into());
        }
        None => None,
    };
    let mut tx = state.db.begin().await?;
    let id = directory::create_organisation(&mut tx, &ctx.actor(), &new.name, new.stakeholder_group, country.as_ref())
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A person of the directory.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonView {
    pub id: Uuid,
    pub display_name: String,
    pub reading: Option<String>,
    pub romanized: Option<String>,
    pub email: Option<String>,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub un_region: Option<UnRegion>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub gender: Option<String>,
    pub youth: bool,
    /// The record this one was merged into (a duplicate); everything it named names that one.
    pub merged_into: Option<Uuid>,
    /// Send it back with the next change.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub updated_at: time::OffsetDateTime,
}

impl From<directory::Person> for PersonView {
    fn from(p: directory::Person) -> Self {
        PersonView {
            stakeholder_group: p.stakeholder_group.as_deref().and_then(|g| g.parse().ok()),
            un_region: p.un_region.as_deref().and_then(|r| r.parse().ok()),
            id: p.id,
            display_name: p.display_name,
            reading: p.reading,
            romanized: p.romanized,
            email: p.email,
            country: p.country,
            gender: p.gender,
            youth: p.youth,
            merged_into: p.merged_into,
            version: p.version,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PeopleQuery {
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PeoplePage {
    /// In gojūon order by reading (merged duplicates left out).
    pub people: Vec<PersonView>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list_people(
    State(state): State<AppState>,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<PeoplePage>, ApiError> {
    let (limit, offset) = crate::pages::paging(q.limit, q.offset, 100, 1000)?;
    let filter = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let people =
        directory::list_people(&state.db, filter, limit, offset).await?.into_iter().map(PersonView::from).collect();
    Ok(Json(PeoplePage { people, limit, offset }))
}

/// A period of a person's affiliation.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AffiliationView {
    pub id: Uuid,
    pub person_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub title: Option<String>,
    /// YYYY-MM-DD
    #[serde(with = "kaigi_db::iso_date::option")]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub since: Option<time::Date>,
    /// YYYY-MM-DD; null while it lasts.
    #[serde(with = "kaigi_db::iso_date::option")]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub until: Option<time::Date>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonDetail {
    pub person: PersonView,
    /// Current ones first, then the most recent.
    pub affiliations: Vec<AffiliationView>,
}

pub async fn get_person(State(state): State<AppState>, Path(id): Path<Uuid>) -> Result<Json<PersonDetail>, ApiError> {
    let person = directory::get_person(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let affiliations = directory::affiliations(&state.db, id)
        .await?
        .into_iter()
        .map(|a| AffiliationView {
            since: a.since,
            until: a.until,
            id: a.id,
            person_id: a.person_id,
            organisation_id: a.organisation_id,
            organisation_name: a.organisation_name,
            title: a.title,
        })
        .collect();
    Ok(Json(PersonDetail { person: person.into(), affiliations }))
}
