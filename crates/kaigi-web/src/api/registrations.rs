//! Registrations through the API, for mailing-list and CRM tools and the check-in desk's own
//! apps: the edition's categories with their places, its registrations filtered and paged as
//! the registrations page filters them, and checking a badge in. The edition's secretariat only.

use axum::Json;
use axum::extract::{Path, Query, State};
use kaigi_core::participation::Attendance;
use kaigi_db::registration::{self, CheckIn, Registration, RegistrationFilter};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::ApiError;
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppError;

#[derive(Debug, Serialize, JsonSchema)]
pub struct CategoryView {
    pub code: String,
    pub name: String,
    pub name_ja: Option<String>,
    /// Onsite places in all; null when there is no limit.
    pub onsite_capacity: Option<i64>,
    pub onsite_taken: i64,
    /// Onsite places left; null when there is no limit.
    pub onsite_left: Option<i64>,
    /// Confirmed online registrations.
    pub online: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CategoryList {
    pub categories: Vec<CategoryView>,
    /// Confirmed registrations, of those onsite, and of those checked in.
    pub confirmed: i64,
    pub onsite: i64,
    pub checked_in: i64,
}

pub async fn list_categories(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
) -> Result<Json<CategoryList>, ApiError> {
    let counts = registration::counts(&state.db, edition.id).await?;
    let categories = registration::categories(&state.db, edition.id).await?.into_iter().map(view_of).collect();
    Ok(Json(CategoryList {
        categories,
        confirmed: counts.confirmed,
        onsite: counts.onsite,
        checked_in: counts.checked_in,
    }))
}

fn attendance_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes: Vec<&str> = Attendance::ALL.iter().map(|a| a.code()).collect();
    schemars::json_schema!({"type": "string", "enum": codes})
}

fn status_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "enum": ["confirmed", "cancelled"]})
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RegistrationView {
    pub id: Uuid,
    pub person: Uuid,
    pub name: String,
    pub email: String,
    /// The category's code.
    pub category: String,
    #[schemars(schema_with = "attendance_schema")]
    pub attendance: String,
    #[schemars(schema_with = "status_schema")]
    pub status: String,
    /// The code on the badge (its QR code opens the check-in page).
    pub badge: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub checked_in_at: Option<OffsetDateTime>,
    pub first_time: bool,
    /// Counted in the published participation statistics.
    pub consent: bool,
    pub version: i64,
}

impl From<Registration> for RegistrationView {
    fn from(r: Registration) -> Self {
        RegistrationView {
            id: r.id,
            person: r.person_id,
            name: r.display_name,
            email: r.email,
            category: r.category_code,
            attendance: r.attendance,
            status: r.status,
            badge: r.badge_code,
            checked_in_at: r.checked_in_at,
            first_time: r.first_time,
            consent: r.consent,
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RegistrationPage {
    /// How many registrations the filter keeps, over every page.
    pub total: u64,
    pub limit: u32,
    pub offset: u32,
    /// In gojūon order of the names, then by id: pages do not shift while reading.
    pub registrations: Vec<RegistrationView>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegistrationQuery {
    pub q: Option<String>,
    pub category: Option<String>,
    pub attendance: Option<String>,
    pub status: Option<String>,
    pub checked_in: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The filter a query (or the page's form) asks for; a value that is none of the choices is
/// refused in words, never ignored.
pub fn filter_of(query: &RegistrationQuery) -> Result<RegistrationFilter, AppError> {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let attendance = match given(&query.attendance) {
        Some(code) => Some(code.parse::<Attendance>().map_err(|_| AppError::not_a_choice("attendance", &code))?),
        None => None,
    };
    let cancelled = match given(&query.status).as_deref() {
        None => None,
        Some("confirmed") => Some(false),
        Some("cancelled") => Some(true),
        Some(other) => return Err(AppError::not_a_choice("status", other)),
    };
    let checked_in = match given(&query.checked_in).as_deref() {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => return Err(AppError::not_a_choice("checked_in", other)),
    };
    if let Some(text) = &query.q
        && text.chars().count() > 200
    {
        return Err(AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(
            "q",
            text.chars().count(),
            0,
            200,
        )]));
    }
    Ok(RegistrationFilter {
        text: given(&query.q),
        category: given(&query.category),
        attendance,
        cancelled,
        checked_in,
    })
}

pub async fn list_registrations(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Query(query): Query<RegistrationQuery>,
) -> Result<Json<RegistrationPage>, ApiError> {
    let (limit, offset) = crate::pages::paging(query.limit, query.offset, 100, 1000)?;
    let filter = filter_of(&query)?;
    let (rows, total) = registration::find_registrations(&state.db, edition.id, &filter, limit, offset).await?;
    Ok(Json(RegistrationPage {
        total: total.max(0) as u64,
        limit: limit as u32,
        offset: offset as u32,
        registrations: rows.into_iter().map(RegistrationView::from).collect(),
    }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInWrite {
    /// The code on the badge, as printed or read from its QR code.
    #[schemars(length(min = 1, max = 40), regex(pattern = r"\S"))]
    pub badge: String,
}

fn outcome_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "enum": ["checked-in", "already", "cancelled"],
        "description": "checked-in: just now; already: earlier (checked_in_at says when); cancelled: the registration was cancelled, nobody is checked in",
    })
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CheckedIn {
    #[schemars(schema_with = "outcome_schema")]
    pub outcome: &'static str,
    pub registration: RegistrationView,
}

/// Checks in the holder of a badge, as the check-in desk's page does: two desks scanning the
/// same badge at once check in once; an unknown badge is a 404 `error-badge-unknown`.
pub async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(write): super::Body<CheckInWrite>,
) -> Result<Json<CheckedIn>, ApiError> {
    super::at_most("badge", &write.badge, 40)?;
    let (outcome, registration) =
        match registration::check_in(&state.db, &ctx.actor(), edition.id, &write.badge).await? {
            CheckIn::Done(r) => ("checked-in", r),
            CheckIn::Already(r) => ("already", r),
            CheckIn::Cancelled(r) => ("cancelled", r),
        };
    Ok(Json(CheckedIn { outcome, registration: registration.into() }))
}

fn view_of(c: registration::Category) -> CategoryView {
    CategoryView {
        onsite_left: c.onsite_left(),
        code: c.code,
        name: c.name,
        name_ja: c.name_ja,
        onsite_capacity: c.onsite_capacity,
        onsite_taken: c.onsite_taken,
        online: c.online,
    }
}

/// A category as written: its name in English (and Japanese), and its onsite places.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryWrite {
    #[schemars(length(min = 1, max = 100), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub name_ja: Option<String>,
    /// Onsite places in all; null or left out: no limit. Never below the places taken.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub onsite_capacity: Option<i64>,
}

/// Adds the category with this code or changes it (its registrations keep it); 409
/// error-capacity-below-taken when the capacity is below the places already taken.
pub async fn save_category(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, code)): Path<(String, String)>,
    super::Body(write): super::Body<CategoryWrite>,
) -> Result<Json<CategoryView>, ApiError> {
    super::at_most("name", &write.name, 100)?;
    if let Some(name_ja) = &write.name_ja {
        super::at_most("name_ja", name_ja, 100)?;
    }
    if let Some(capacity) = write.onsite_capacity {
        super::not_negative("onsite_capacity", capacity)?;
    }
    let input = registration::CategoryInput {
        code: code.clone(),
        name: write.name,
        name_ja: write.name_ja,
        onsite_capacity: write.onsite_capacity,
    };
    registration::save_category(&state.db, &ctx.actor(), edition.id, &input).await?;
    let saved = registration::categories(&state.db, edition.id)
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or(AppError::NotFound)?;
    Ok(Json(view_of(saved)))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupCapacity {
    /// Places for sign-up; null: the session takes no sign-ups (only while nobody signed up).
    #[schemars(range(min = 0))]
    pub capacity: Option<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SignupPlaces {
    pub number: i64,
    pub capacity: Option<i64>,
    /// People signed up.
    pub taken: i64,
}

/// Opens, resizes or closes sign-up for one session of the programme; 409
/// error-capacity-below-taken or error-signup-keep when people signed up already.
pub async fn set_signup_capacity(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, number)): Path<(String, i64)>,
    super::Body(write): super::Body<SignupCapacity>,
) -> Result<Json<SignupPlaces>, ApiError> {
    if let Some(capacity) = write.capacity {
        super::not_negative("capacity", capacity)?;
    }
    let session = kaigi_db::programme::sessions(&state.db, edition.id)
        .await?
        .into_iter()
        .find(|s| s.number == number)
        .ok_or(AppError::NotFound)?;
    registration::set_signup_capacity(&state.db, &ctx.actor(), session.id, write.capacity).await?;
    let places = registration::signup_places(&state.db, session.id).await?;
    Ok(Json(SignupPlaces { number, capacity: write.capacity, taken: places.map(|(_, taken)| taken).unwrap_or(0) }))
}

/// A publication of the figures.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FiguresVersion {
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub published_at: time::OffsetDateTime,
    pub total: u64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct LiveFigures {
    pub edition: String,
    /// Confirmed registrations now.
    pub total: u64,
    /// Counts by dimension (stakeholder_group, un_region, country, gender, attendance,
    /// first_time, youth, category) and category, exact: for the secretariat, not for print.
    pub by: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    /// Names these figures: send it to publish them (409 if the count moved since).
    pub figures: String,
    /// The latest publication, null before the first.
    pub published: Option<FiguresVersion>,
}

/// The live participation figures (the statistics page's), with the latest publication.
pub async fn live_figures(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
) -> Result<Json<LiveFigures>, ApiError> {
    let (figures, token) = kaigi_db::statistics::live(&state.db, edition.id).await?;
    let published = kaigi_db::statistics::latest(&state.db, edition.id).await?.map(|p| FiguresVersion {
        version: p.number,
        published_at: p.published_at,
        total: p.figures.total,
    });
    Ok(Json(LiveFigures {
        edition: edition.slug,
        total: figures.total,
        by: figures.by.into_iter().map(|(dimension, counts)| (dimension.code().to_owned(), counts)).collect(),
        figures: token,
        published,
    }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishFigures {
    /// The `figures` of the live figures reviewed.
    #[schemars(length(min = 1, max = 64))]
    pub figures: String,
}

/// Publishes the live figures as the next version, for the public page, CSV and API (201); 409
/// error-conflict when registrations changed since they were read, 409 error-publish-unchanged
/// or error-publish-statistics-empty when there is nothing new to publish.
pub async fn publish_figures(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(write): super::Body<PublishFigures>,
) -> Result<(axum::http::StatusCode, Json<FiguresVersion>), ApiError> {
    super::at_most("figures", &write.figures, 64)?;
    let published =
        kaigi_db::statistics::publish(&state.db, &ctx.actor(), edition.id, Some(write.figures.trim())).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(FiguresVersion {
            version: published.number,
            published_at: published.published_at,
            total: published.figures.total,
        }),
    ))
}
