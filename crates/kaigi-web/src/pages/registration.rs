//! Registration: a participant registers (or changes or cancels), sees their badge with its QR
//! code, signs up for sessions with places; the secretariat sets categories and places, lists
//! registrations, exports them and checks people in at the desk.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::directory::{Country, StakeholderGroup, UnRegion};
use kaigi_db::registration::{self, CategoryInput, CheckIn, Registration, RegistrationInput};

use super::{Page, edition_by_slug, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};

pub struct CategoryView {
    pub code: String,
    pub label: String,
    pub name: String,
    pub name_ja: String,
    pub capacity: String,
    pub taken: i64,
    pub online: i64,
    pub left: String,
    pub full: bool,
}

fn category_views(page: &Page, categories: &[registration::Category]) -> Vec<CategoryView> {
    categories
        .iter()
        .map(|c| CategoryView {
            code: c.code.clone(),
            label: page.pick(&c.name, &c.name_ja).to_owned(),
            name: c.name.clone(),
            name_ja: c.name_ja.clone().unwrap_or_default(),
            capacity: c.onsite_capacity.map(|n| n.to_string()).unwrap_or_default(),
            taken: c.onsite_taken,
            online: c.online,
            left: c.onsite_left().map(|n| n.to_string()).unwrap_or_else(|| "∞".into()),
            full: c.onsite_left() == Some(0),
        })
        .collect()
}

pub struct Choice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy + PartialEq>(
    page: &Page,
    all: &[T],
    code: fn(T) -> &'static str,
    prefix: &str,
    current: Option<T>,
) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            code: code(v).to_owned(),
            label: vocab(page.lang, prefix, Some(code(v))),
            selected: current == Some(v),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "registration.html")]
struct RegistrationPage {
    page: Page,
    slug: String,
    edition_name: String,
    registration: Option<Registration>,
    category_label: String,
    categories: Vec<CategoryView>,
    current_category: String,
    onsite: bool,
    groups: Vec<Choice>,
    regions: Vec<Choice>,
    country: String,
    gender: String,
    youth: bool,
    first_time: bool,
    consent: bool,
}

pub async fn show_registration(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = edition_by_slug(&state, &slug).await?;
    let page = Page::titled(&ctx, "registration-title");
    let categories = registration::categories(&state.db, edition.id).await?;
    let mine = registration::registration_of(&state.db, edition.id, user).await?;
    let person = match ctx.user.as_ref().and_then(|u| u.person_id) {
        Some(id) => kaigi_db::directory::get_person(&state.db, id).await?,
        None => None,
    };
    let group = person.as_ref().and_then(|p| p.stakeholder_group.as_deref()).and_then(|g| g.parse().ok());
    let region = person.as_ref().and_then(|p| p.un_region.as_deref()).and_then(|r| r.parse().ok());
    let category_label =
        mine.as_ref().map(|r| page.pick(&r.category_name, &r.category_name_ja).to_owned()).unwrap_or_default();
    render(&RegistrationPage {
        slug: edition.slug.clone(),
        edition_name: page.pick(&edition.name, &edition.name_ja).to_owned(),
        current_category: mine.as_ref().map(|r| r.category_code.clone()).unwrap_or_default(),
        onsite: mine.as_ref().is_none_or(|r| r.attendance == "onsite"),
        first_time: mine.as_ref().is_some_and(|r| r.first_time),
        consent: mine.as_ref().is_none_or(|r| r.consent),
        categories: category_views(&page, &categories),
        groups: choices(&page, StakeholderGroup::ALL, StakeholderGroup::code, "group", group),
        regions: choices(&page, UnRegion::ALL, UnRegion::code, "region", region),
        country: person.as_ref().and_then(|p| p.country.clone()).unwrap_or_default(),
        gender: person.as_ref().and_then(|p| p.gender.clone()).unwrap_or_default(),
        youth: person.as_ref().is_some_and(|p| p.youth),
        registration: mine,
        category_label,
        page,
    })
}

#[derive(serde::Deserialize)]
pub struct RegistrationForm {
    category: String,
    attendance: String,
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
    first_time: Option<String>,
    #[serde(default)]
    consent: Option<String>,
}

fn optional<T: std::str::FromStr>(field: &'static str, value: &str) -> AppResult<Option<T>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| AppError::not_a_choice(field, value))
}

impl RegistrationForm {
    fn input(&self) -> AppResult<RegistrationInput> {
        let country = match self.country.trim() {
            "" => None,
            c => Some(Country::parse(c)?),
        };
        Ok(RegistrationInput {
            category: self.category.trim().to_owned(),
            attendance: self.attendance.parse().map_err(|_| AppError::not_a_choice("attendance", &self.attendance))?,
            stakeholder_group: optional("stakeholder_group", &self.stakeholder_group)?,
            un_region: optional("un_region", &self.un_region)?,
            country,
            gender: Some(self.gender.trim().to_owned()).filter(|g| !g.is_empty()),
            youth: self.youth.is_some(),
            first_time: self.first_time.is_some(),
            consent: self.consent.is_some(),
        })
    }
}

pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<RegistrationForm>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = edition_by_slug(&state, &slug).await?;
    let input = form.input()?;
    registration::register(&state.db, &ctx.actor(), &edition, user, &input, &state.config.public_url).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/registration")).into_response())
}

pub async fn cancel(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = edition_by_slug(&state, &slug).await?;
    registration::cancel(&state.db, &ctx.actor(), &edition, user).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/registration")).into_response())
}

/// The address a badge's QR code opens: the check-in page for that badge.
fn check_in_url(state: &AppState, slug: &str, code: &str) -> String {
    format!("{}/editions/{slug}/check-in/{code}", state.config.public_url.trim_end_matches('/'))
}

/// A QR code as inline SVG markup.
pub fn qr_svg(text: &str) -> AppResult<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

#[derive(Template)]
#[template(path = "badge.html")]
struct BadgePage {
    page: Page,
    slug: String,
    edition_name: String,
    name: String,
    category: String,
    attendance: String,
    code: String,
    qr: String,
}

pub async fn show_badge(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let edition = edition_by_slug(&state, &slug).await?;
    // Not registered (or cancelled): the registration page is where a badge comes from.
    let Some(mine) = registration::registration_of(&state.db, edition.id, user).await?.filter(Registration::confirmed)
    else {
        return Ok(Redirect::to(&format!("/editions/{slug}/registration")).into_response());
    };
    let page = Page::titled(&ctx, "badge-title");
    Ok(render(&BadgePage {
        qr: qr_svg(&check_in_url(&state, &slug, &mine.badge_code))?,
        edition_name: page.pick(&edition.name, &edition.name_ja).to_owned(),
        category: page.pick(&mine.category_name, &mine.category_name_ja).to_owned(),
        attendance: vocab(page.lang, "attendance", Some(&mine.attendance)),
        name: mine.display_name,
        code: mine.badge_code,
        slug,
        page,
    })?
    .into_response())
}

pub async fn toggle_signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, number)): Path<(String, i64)>,
) -> AppResult<Response> {
    let user = ctx.user_id().ok_or(AppError::Unauthenticated)?;
    let session = session_id(&state, &slug, number, true).await?;
    if !registration::withdraw_signup(&state.db, session, user).await? {
        registration::sign_up(&state.db, session, user).await?;
    }
    Ok(Redirect::to(&format!("/editions/{slug}/sessions/{number}")).into_response())
}

/// A session by its number; participants reach only published ones.
async fn session_id(state: &AppState, slug: &str, number: i64, published_only: bool) -> AppResult<uuid::Uuid> {
    let edition = edition_by_slug(state, slug).await?;
    let sessions = kaigi_db::programme::sessions(&state.db, edition.id).await?;
    let found = sessions.iter().find(|s| s.number == number && (s.published || !published_only));
    Ok(found.ok_or(AppError::NotFound)?.id)
}

pub struct RegistrationLine {
    pub name: String,
    pub email: String,
    pub category: String,
    pub attendance: String,
    pub cancelled: bool,
    pub checked_in: String,
}

pub struct SignupLine {
    pub number: i64,
    pub title: String,
    pub capacity: i64,
    pub taken: i64,
}

/// One choice of a filter's select, with whether the list is filtered by it now.
pub struct FilterChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "registrations.html")]
struct RegistrationsPage {
    page: Page,
    slug: String,
    categories: Vec<CategoryView>,
    lines: Vec<RegistrationLine>,
    confirmed: i64,
    onsite: i64,
    checked_in: i64,
    signups: Vec<SignupLine>,
    /// The filter as the form shows it.
    q: String,
    category_choices: Vec<FilterChoice>,
    attendance_choices: Vec<FilterChoice>,
    status_choices: Vec<FilterChoice>,
    checked_in_choices: Vec<FilterChoice>,
    filtered: bool,
    /// "1–100 / 481", and links to the pages before and after, with the filter kept.
    shown: String,
    newer: Option<String>,
    older: Option<String>,
}

/// Registrations listed per page.
const PER_PAGE: i64 = 100;

pub async fn list_registrations(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<crate::api::registrations::RegistrationQuery>,
) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "registrations-title");
    let filter = crate::api::registrations::filter_of(&query)?;
    let offset = query.offset.unwrap_or(0).clamp(0, super::MAX_OFFSET);
    let categories = registration::categories(&state.db, edition.id).await?;
    let counts = registration::counts(&state.db, edition.id).await?;
    let (rows, total) = registration::find_registrations(&state.db, edition.id, &filter, PER_PAGE, offset).await?;
    let mut signups = Vec::new();
    for s in kaigi_db::programme::sessions(&state.db, edition.id).await? {
        if let Some((capacity, taken)) = registration::signup_places(&state.db, s.id).await? {
            signups.push(SignupLine { number: s.number, title: s.title.clone(), capacity, taken });
        }
    }
    let choices = |current: Option<&str>, options: Vec<(String, String)>| -> Vec<FilterChoice> {
        std::iter::once((String::new(), page.t("registrations-filter-any")))
            .chain(options)
            .map(|(value, label)| FilterChoice { selected: current.unwrap_or("") == value, value, label })
            .collect()
    };
    let category_choices = choices(
        filter.category.as_deref(),
        categories.iter().map(|c| (c.code.clone(), page.pick(&c.name, &c.name_ja).to_owned())).collect(),
    );
    let attendance_choices = choices(
        filter.attendance.map(|a| a.code()),
        kaigi_core::participation::Attendance::ALL
            .iter()
            .map(|a| (a.code().to_owned(), vocab(page.lang, "attendance", Some(a.code()))))
            .collect(),
    );
    let status_choices = choices(
        filter.cancelled.map(|c| if c { "cancelled" } else { "confirmed" }),
        vec![
            ("confirmed".into(), page.t("registrations-confirmed")),
            ("cancelled".into(), page.t("registrations-cancelled")),
        ],
    );
    let checked_in_choices = choices(
        filter.checked_in.map(|c| if c { "true" } else { "false" }),
        vec![
            ("true".into(), page.t("registrations-checked-in")),
            ("false".into(), page.t("registrations-not-checked-in")),
        ],
    );
    // The filter in the links to other pages of the list.
    let mut kept = Vec::new();
    for (name, value) in [
        ("q", filter.text.clone()),
        ("category", filter.category.clone()),
        ("attendance", filter.attendance.map(|a| a.code().to_owned())),
        ("status", filter.cancelled.map(|c| if c { "cancelled" } else { "confirmed" }.to_owned())),
        ("checked_in", filter.checked_in.map(|c| c.to_string())),
    ] {
        if let Some(value) = value {
            kept.push(format!("{name}={}", crate::auth::form_urlencoded_component(&value)));
        }
    }
    let link = |offset: i64| {
        let mut query = kept.clone();
        query.push(format!("offset={offset}"));
        format!("/editions/{slug}/registrations?{}#list", query.join("&"))
    };
    let shown = if rows.is_empty() {
        String::new()
    } else {
        format!("{}–{} / {total}", offset + 1, offset + rows.len() as i64)
    };
    render(&RegistrationsPage {
        confirmed: counts.confirmed,
        onsite: counts.onsite,
        checked_in: counts.checked_in,
        lines: rows
            .iter()
            .map(|r| RegistrationLine {
                name: r.display_name.clone(),
                email: r.email.clone(),
                category: page.pick(&r.category_name, &r.category_name_ja).to_owned(),
                attendance: vocab(page.lang, "attendance", Some(&r.attendance)),
                cancelled: !r.confirmed(),
                checked_in: r
                    .checked_in_at
                    .map(|t| super::format_time(&page, t, &edition.timezone))
                    .unwrap_or_default(),
            })
            .collect(),
        categories: category_views(&page, &categories),
        signups,
        q: filter.text.clone().unwrap_or_default(),
        filtered: filter.text.is_some()
            || filter.category.is_some()
            || filter.attendance.is_some()
            || filter.cancelled.is_some()
            || filter.checked_in.is_some(),
        category_choices,
        attendance_choices,
        status_choices,
        checked_in_choices,
        shown,
        newer: (offset > 0).then(|| link((offset - PER_PAGE).max(0))),
        older: (offset + PER_PAGE < total).then(|| link(offset + PER_PAGE)),
        slug,
        page,
    })
}

#[derive(serde::Deserialize)]
pub struct CategoryForm {
    code: String,
    name: String,
    #[serde(default)]
    name_ja: String,
    #[serde(default)]
    onsite_capacity: String,
}

pub async fn save_category(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<CategoryForm>,
) -> AppResult<Response> {
    let capacity = match form.onsite_capacity.trim() {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| AppError::not_a_number("onsite_capacity", n))?),
    };
    let input = CategoryInput {
        code: form.code.trim().to_lowercase(),
        name: form.name,
        name_ja: Some(form.name_ja),
        onsite_capacity: capacity,
    };
    registration::save_category(&state.db, &ctx.actor(), edition.id, &input).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/registrations#categories")).into_response())
}

#[derive(serde::Deserialize)]
pub struct SignupCapacityForm {
    number: i64,
    #[serde(default)]
    capacity: String,
}

pub async fn set_signup_capacity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<SignupCapacityForm>,
) -> AppResult<Response> {
    let session = session_id(&state, &slug, form.number, false).await?;
    let capacity = match form.capacity.trim() {
        "" => None,
        n => Some(
            n.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| AppError::not_a_number("signup_capacity", n))?,
        ),
    };
    registration::set_signup_capacity(&state.db, &ctx.actor(), session, capacity).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/registrations#signups")).into_response())
}

/// Every registration as CSV, for badges printed elsewhere or the venue's list.
/// The heading is in the reader's language, and the file starts with a byte-order mark so that
/// spreadsheet programs set to Japanese read it as UTF-8.
pub async fn export_registrations(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let heading =
        registration::REGISTRATION_COLUMNS.map(|c| crate::i18n::t(ctx.lang, &format!("registrations-column-{c}")));
    let heading = heading.each_ref().map(String::as_str);
    let rows = registration::registrations(&state.db, edition.id).await?;
    let body = format!("\u{feff}{}", registration::registrations_csv(heading, &rows));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{slug}-registrations.csv\"")),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "check_in.html")]
struct CheckInPage {
    page: Page,
    slug: String,
    /// What the last scan found: "done", "already", "cancelled", "confirm" or "".
    outcome: String,
    name: String,
    category: String,
    attendance: String,
    code: String,
    when: String,
    checked_in: usize,
    confirmed: usize,
}

async fn check_in_page(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    outcome: &str,
    found: Option<&Registration>,
) -> AppResult<Html<String>> {
    let edition = edition_by_slug(state, slug).await?;
    let page = Page::titled(ctx, "check-in-title");
    let all = registration::registrations(&state.db, edition.id).await?;
    let confirmed: Vec<&Registration> = all.iter().filter(|r| r.confirmed()).collect();
    render(&CheckInPage {
        outcome: outcome.to_owned(),
        name: found.map(|r| r.display_name.clone()).unwrap_or_default(),
        category: found.map(|r| page.pick(&r.category_name, &r.category_name_ja).to_owned()).unwrap_or_default(),
        attendance: found.map(|r| vocab(page.lang, "attendance", Some(&r.attendance))).unwrap_or_default(),
        code: found.map(|r| r.badge_code.clone()).unwrap_or_default(),
        when: found
            .and_then(|r| r.checked_in_at)
            .map(|t| super::format_time(&page, t, &edition.timezone))
            .unwrap_or_default(),
        checked_in: confirmed.iter().filter(|r| r.checked_in_at.is_some()).count(),
        confirmed: confirmed.len(),
        slug: slug.to_owned(),
        page,
    })
}

pub async fn show_check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    check_in_page(&state, &ctx, &slug, "", None).await
}

/// The page a badge's QR code opens: who it is, and a button to check them in.
pub async fn show_badge_check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, code)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let found = registration::registration_by_badge(&state.db, edition.id, &code).await?.ok_or(AppError::NotFound)?;
    let outcome = match (found.confirmed(), found.checked_in_at) {
        (false, _) => "cancelled",
        (true, Some(_)) => "already",
        (true, None) => "confirm",
    };
    check_in_page(&state, &ctx, &slug, outcome, Some(&found)).await
}

#[derive(serde::Deserialize)]
pub struct CheckInForm {
    code: String,
}

pub async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<CheckInForm>,
) -> AppResult<Html<String>> {
    let (outcome, found) = match registration::check_in(&state.db, &ctx.actor(), edition.id, &form.code).await? {
        CheckIn::Done(r) => ("done", r),
        CheckIn::Already(r) => ("already", r),
        CheckIn::Cancelled(r) => ("cancelled", r),
    };
    check_in_page(&state, &ctx, &slug, outcome, Some(&found)).await
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    page: Page,
    slug: String,
    edition_name: String,
    sent: bool,
}

/// Someone without an account starts here: they give an email address and get a link to
/// create their account (the invitation flow), then register.
pub async fn show_signup(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Html<String>> {
    let edition = edition_by_slug(&state, &slug).await?;
    let page = Page::titled(&ctx, "signup-title");
    render(&SignupPage { edition_name: page.pick(&edition.name, &edition.name_ja).to_owned(), slug, sent: false, page })
}

#[derive(serde::Deserialize)]
pub struct SignupForm {
    email: String,
}

/// Answers the same whether or not the address has an account (nobody learns who is
/// registered): a new address gets a link to create an account as a participant of this
/// edition, a known one a reminder with the sign-in and password-reset links.
pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<SignupForm>,
) -> AppResult<Html<String>> {
    let edition = edition_by_slug(&state, &slug).await?;
    use kaigi_db::accounts::{SIGNUP_PER_ADDRESS, SIGNUP_PER_EMAIL, take};
    if !take(&state.db, &format!("signup:{}", ctx.client), SIGNUP_PER_ADDRESS).await?.allowed {
        return Err(AppError::TooManyRequests);
    }
    let email = kaigi_db::accounts::normalize_email(&form.email)?;
    if !take(&state.db, &format!("signup-email:{email}"), SIGNUP_PER_EMAIL).await?.allowed {
        // The same answer as a letter sent: nobody learns anything about the address.
        let page = Page::titled(&ctx, "signup-title");
        let edition_name = page.pick(&edition.name, &edition.name_ja).to_owned();
        return render(&SignupPage { edition_name, slug, sent: true, page });
    }
    let base = state.config.public_url.trim_end_matches('/');
    let lang = ctx.lang;
    let name = crate::i18n::t(lang, "registration-title");
    let edition_name = match lang {
        crate::i18n::Lang::Ja => edition.name_ja.clone().unwrap_or_else(|| edition.name.clone()),
        crate::i18n::Lang::En => edition.name.clone(),
    };
    let mut tx = state.db.begin().await?;
    match kaigi_db::accounts::find_user_by_email(&state.db, &email).await? {
        Some(_) => {
            let body = crate::i18n::t_args(
                lang,
                "mail-signup-known-body",
                &[
                    ("edition", edition_name.clone().into()),
                    ("login", format!("{base}/login?next=/editions/{slug}/registration").into()),
                    ("reset", format!("{base}/password/forgot").into()),
                ],
            );
            kaigi_db::outbox::enqueue(&mut tx, &email, &format!("{name}: {edition_name}"), &body).await?;
        }
        None => {
            let grant = kaigi_core::access::Grant {
                role: kaigi_core::access::Role::Participant,
                scope: kaigi_core::access::Scope::Edition(edition.id.to_string()),
            };
            let actor = kaigi_db::Actor::system(&format!("signup:{}", ctx.client));
            let token = kaigi_db::accounts::create_invitation(&mut tx, &actor, &email, &grant).await?;
            let body = crate::i18n::t_args(
                lang,
                "mail-signup-body",
                &[
                    ("edition", edition_name.clone().into()),
                    ("link", format!("{base}/invitations/{token}").into()),
                    ("register", format!("{base}/editions/{slug}/registration").into()),
                ],
            );
            kaigi_db::outbox::enqueue(&mut tx, &email, &format!("{name}: {edition_name}"), &body).await?;
        }
    }
    tx.commit().await?;
    let page = Page::titled(&ctx, "signup-title");
    render(&SignupPage { edition_name: page.pick(&edition.name, &edition.name_ja).to_owned(), slug, sent: true, page })
}
