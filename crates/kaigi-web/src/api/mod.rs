//! The JSON API under /api/v1 and its OpenAPI 3 document. Same data and the same permission
//! checks as the pages; errors are `{"error": {"code", "message"}}`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use kaigi_db::DbError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::need::{Need, RouteSpec};

pub mod agenda;
pub mod assignment;
pub mod calls;
pub mod decisions;
pub mod directory;
pub mod editions;
pub mod evaluations;
pub mod meetings;
pub mod polls;
pub mod proposals;
pub mod registrations;
pub mod roundtables;
pub mod setup;
pub mod timetable;
pub mod webhooks;

/// An error as the API says it: `{"error": {"code", "message", …}}`.
pub enum ApiError {
    App(AppError),
    /// A write made on an outdated read (409 `error-conflict`), with what is stored now in the
    /// error object, so a program can merge and write again without another read.
    Conflict(Value),
}

impl ApiError {
    pub fn conflict_with(current: Value) -> Self {
        ApiError::Conflict(current)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::App(e) => e.into_json(),
            ApiError::Conflict(current) => {
                let lang = crate::error::REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default();
                let mut error = json!({"code": "error-conflict", "message": crate::i18n::t(lang, "error-conflict")});
                if let (Some(error), Value::Object(current)) = (error.as_object_mut(), current) {
                    error.extend(current);
                }
                (axum::http::StatusCode::CONFLICT, Json(json!({ "error": error }))).into_response()
            }
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::App(e.into())
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// A JSON body read as the document describes it. JSON Schema counts `20584.0` as an integer
/// (a number with no fraction), and so do clients whose numbers are all floats; serde would
/// refuse it for an i64, so such numbers are read as the integers they are. A refusal names
/// the field (`decisions[5].decision.conditions[0].n: …`).
pub struct Body<T>(pub T);

/// Numbers without a fraction, written as floats, as the integers they are (within i64/u64).
fn integral_floats_as_integers(value: &mut Value) {
    match value {
        Value::Number(number) if number.is_f64() => {
            let float = number.as_f64().unwrap_or(f64::NAN);
            // 2^63 and 2^64: the first float past i64 and u64 (both exact in an f64).
            const I64_END: f64 = 9_223_372_036_854_775_808.0;
            const U64_END: f64 = 18_446_744_073_709_551_616.0;
            if float.fract() == 0.0 && (-I64_END..I64_END).contains(&float) {
                *value = Value::from(float as i64);
            } else if float.fract() == 0.0 && (0.0..U64_END).contains(&float) {
                *value = Value::from(float as u64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(members) => members.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// Plain text, as axum's own rejections: the API's error layer turns it into JSON.
fn refuse_body(why: String) -> Response {
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, why).into_response()
}

/// The body as JSON (axum's checks: a JSON content type, well-formed, within the body limit),
/// its integral floats made integers.
async fn json_value<S: Send + Sync>(req: axum::extract::Request, state: &S) -> Result<Value, Response> {
    use axum::extract::FromRequest;
    let Json(mut value) = Json::<Value>::from_request(req, state).await.map_err(IntoResponse::into_response)?;
    integral_floats_as_integers(&mut value);
    Ok(value)
}

/// The value as `T`, or why not, naming the field.
fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            format!("Failed to deserialize the JSON body into the target type: {inner}")
        } else {
            format!("Failed to deserialize the JSON body into the target type: {path}: {inner}")
        }
    })
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        typed(json_value(req, state).await?).map(Body).map_err(refuse_body)
    }
}

/// A JSON body with internally tagged enums (`{"verdict": "accept", …}`, `{"rule": …}`,
/// `{"to": …}`) whose tags must be strings: serde would also take a variant's index
/// (`"verdict": 0`), which the document does not allow and no reader would guess.
pub struct Tagged<T>(pub T);

const TAGS: &[&str] = &["verdict", "rule", "to"];

fn numeric_tag(value: &Value) -> Option<&'static str> {
    match value {
        Value::Object(members) => members.iter().find_map(|(name, v)| {
            TAGS.iter().find(|tag| **tag == name && !v.is_string()).copied().or_else(|| numeric_tag(v))
        }),
        Value::Array(items) => items.iter().find_map(numeric_tag),
        _ => None,
    }
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Tagged<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let value = json_value(req, state).await?;
        if let Some(tag) = numeric_tag(&value) {
            return Err(refuse_body(format!("{tag}: expected one of the names the document lists, not a number")));
        }
        typed(value).map(Tagged).map_err(refuse_body)
    }
}

/// A text of at most `max` characters, else refused with its length.
pub(crate) fn at_most(field: &'static str, text: &str, max: usize) -> Result<(), ApiError> {
    let length = text.chars().count();
    if length > max {
        return Err(
            AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(field, length, 0, max as i64)]).into()
        );
    }
    Ok(())
}

/// A list of `min..=max` entries, else refused with its length.
pub(crate) fn count_between(field: &'static str, count: usize, min: usize, max: usize) -> Result<(), ApiError> {
    if !(min..=max).contains(&count) {
        return Err(AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(
            field, count, min as i64, max as i64,
        )])
        .into());
    }
    Ok(())
}

/// A version or revision as read: never below zero (the document says so), else refused.
/// A number in `min..=max`, else refused with the range.
pub(crate) fn within(field: &'static str, value: i64, min: i64, max: i64) -> Result<(), ApiError> {
    if !(min..=max).contains(&value) {
        return Err(AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(field, value, min, max)]).into());
    }
    Ok(())
}

pub(crate) fn not_negative(field: &'static str, value: i64) -> Result<(), ApiError> {
    if value < 0 {
        return Err(
            AppError::Refused(vec![kaigi_core::problem::Problem::out_of_range(field, value, 0, i64::MAX)]).into()
        );
    }
    Ok(())
}

/// The edition's participation as last published: counts from 1 to 4 are null.
pub async fn get_participation(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult {
    use kaigi_core::participation::{SMALL_GROUP, Shown, suppress};
    let edition = kaigi_db::editions::edition_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    // The figures as the secretariat published them (404 before the first publication).
    let published = kaigi_db::statistics::latest(&state.db, edition.id).await?.ok_or(AppError::NotFound)?;
    let figures = published.figures;
    let by: serde_json::Map<String, Value> = suppress(&figures, SMALL_GROUP)
        .into_iter()
        .map(|(dimension, counts)| {
            let counts: serde_json::Map<String, Value> = counts
                .into_iter()
                .map(|(category, shown)| {
                    (
                        category,
                        match shown {
                            Shown::Exact(n) => json!(n),
                            Shown::Hidden => Value::Null,
                        },
                    )
                })
                .collect();
            (dimension.code().to_owned(), Value::Object(counts))
        })
        .collect();
    Ok(Json(json!({
        "edition": edition.slug,
        "version": published.number,
        "published_at": published.published_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "total": figures.total,
        "threshold": SMALL_GROUP,
        "by": by,
    })))
}

#[derive(Debug, Default, Deserialize)]
pub struct ProgrammeQuery {
    /// One day (YYYY-MM-DD).
    pub day: Option<String>,
    /// One room, by name.
    pub room: Option<String>,
    /// One person's sessions, by id.
    pub person: Option<String>,
}

/// The latest published version of an edition's programme, the same data as its frab exports
/// (404 before the first publication). Cancelled sessions are listed as such.
/// A published version: when, by whom, with what note, and what it changed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct VersionView {
    pub number: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub published_at: time::OffsetDateTime,
    pub published_by: String,
    pub note: String,
    pub note_ja: String,
    pub changes: Vec<kaigi_core::publishing::Change>,
}

impl From<kaigi_db::publishing::Version> for VersionView {
    fn from(v: kaigi_db::publishing::Version) -> Self {
        VersionView {
            number: v.number,
            published_at: v.published_at,
            published_by: v.published_by,
            note: v.note,
            note_ja: v.note_ja,
            changes: v.changes,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ProgrammeView {
    pub edition: String,
    pub timezone: String,
    pub version: VersionView,
    pub days: Vec<kaigi_core::publishing::PublishedDay>,
    pub rooms: Vec<kaigi_core::publishing::PublishedRoom>,
    /// By day, start, room order and number; cancelled sessions at their old place.
    pub sessions: Vec<kaigi_core::publishing::PublishedSession>,
}

pub async fn get_programme(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ProgrammeQuery>,
) -> Result<Json<ProgrammeView>, ApiError> {
    let crate::pages::schedule::Public { edition, latest, .. } =
        crate::pages::schedule::public(&state, &slug, None).await?;
    let published = latest.ok_or(AppError::NotFound)?;
    let wanted = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let (day, room, person) = (wanted(&q.day), wanted(&q.room), wanted(&q.person));
    let sessions = published
        .programme
        .sessions
        .iter()
        .filter(|s| {
            day.as_ref().is_none_or(|d| &s.slot.day == d)
                && room.as_ref().is_none_or(|r| &s.slot.room == r)
                && person.as_ref().is_none_or(|p| s.people.iter().any(|x| &x.id == p))
        })
        .cloned()
        .collect();
    Ok(Json(ProgrammeView {
        edition: edition.slug,
        timezone: edition.timezone,
        days: published.programme.days.clone(),
        rooms: published.programme.rooms.clone(),
        version: published.version.clone().into(),
        sessions,
    }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct VersionList {
    pub edition: String,
    /// The newest first.
    pub versions: Vec<VersionView>,
}

/// Every published version with what it changed, the newest first.
pub async fn list_versions(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<VersionList>, ApiError> {
    let edition = kaigi_db::editions::edition_by_slug(&state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let versions =
        kaigi_db::publishing::versions(&state.db, edition.id).await?.into_iter().map(VersionView::from).collect();
    Ok(Json(VersionList { edition: edition.slug, versions }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PublishPreview {
    pub edition: String,
    /// Send it back to publish: 409 if the draft changed since.
    pub draft_version: i64,
    /// The number the next version would get.
    pub next: i64,
    /// Sessions that would take place.
    pub sessions: usize,
    pub changes: Vec<kaigi_core::publishing::Change>,
}

/// What publishing now would change (the secretariat's review, as on the publish page).
pub async fn preview_programme(
    State(state): State<AppState>,
    crate::auth::InEdition(edition): crate::auth::InEdition,
) -> Result<Json<PublishPreview>, ApiError> {
    let preview = kaigi_db::publishing::preview(&state.db, edition.id).await?;
    Ok(Json(PublishPreview {
        edition: edition.slug,
        draft_version: preview.draft_version,
        next: preview.next,
        sessions: preview.programme.taking_place().count(),
        changes: preview.changes,
    }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The draft version reviewed (`draft_version` of the preview): publishing is refused with
    /// 409 if the draft changed since. Leave out to publish the draft as it is.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub draft_version: Option<i64>,
    /// What changed, for the changelog, in English and Japanese.
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub note: String,
    #[serde(default)]
    #[schemars(length(max = 2000))]
    pub note_ja: String,
}

/// Publishes the draft as the next version, as the publish page does.
pub async fn publish_programme(
    State(state): State<AppState>,
    ctx: Ctx,
    crate::auth::InEdition(edition): crate::auth::InEdition,
    Body(request): Body<PublishRequest>,
) -> Result<(axum::http::StatusCode, Json<Published>), ApiError> {
    if let Some(version) = request.draft_version {
        not_negative("draft_version", version)?;
    }
    at_most("note", &request.note, 2000)?;
    at_most("note_ja", &request.note_ja, 2000)?;
    let note = kaigi_db::publishing::Note { en: request.note, ja: request.note_ja };
    let version =
        kaigi_db::publishing::publish(&state.db, &ctx.actor(), edition.id, request.draft_version, &note).await?;
    Ok((axum::http::StatusCode::CREATED, Json(Published { edition: edition.slug, version: version.into() })))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Published {
    pub edition: String,
    pub version: VersionView,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Ja,
}

/// The signed-in account (the token's holder) and its roles.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// The language messages are written in (Accept-Language, else the account's choice).
    pub language: Language,
    pub roles: Vec<kaigi_core::access::Grant>,
}

pub async fn me(ctx: Ctx) -> Result<Json<Me>, ApiError> {
    let user = ctx.user.clone().ok_or(AppError::Unauthenticated)?;
    Ok(Json(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        language: if ctx.lang.code() == "ja" { Language::Ja } else { Language::En },
        roles: ctx.principal.grants.clone(),
    }))
}

fn hit_kind_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "enum": ["minutes", "proposal", "session", "person", "action_item", "statistics"]})
}

/// Where the query was found in a hit's text.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Highlight {
    pub before: String,
    pub hit: String,
    pub after: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchHit {
    #[schemars(schema_with = "hit_kind_schema")]
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// The page that shows it.
    pub url: String,
    /// YYYY-MM-DD, when it has a date.
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
    /// The text around the hit.
    pub snippet: String,
    pub highlight: Highlight,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchResults {
    /// Hits over every page.
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// The same search as the page, as JSON.
pub async fn search(
    State(state): State<AppState>,
    ctx: crate::auth::Ctx,
    Query(q): Query<crate::pages::search::SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let (total, hits) = crate::pages::search::run(&state, &ctx, &q).await?;
    let hits = hits
        .into_iter()
        .map(|h| SearchHit {
            snippet: format!("{}{}{}", h.before, h.hit, h.after),
            date: Some(h.date).filter(|d| !d.is_empty()),
            kind: h.kind,
            id: h.id,
            title: h.title,
            url: h.url,
            highlight: Highlight { before: h.before, hit: h.hit, after: h.after },
        })
        .collect();
    Ok(Json(SearchResults { total, hits }))
}

/// One operation of the OpenAPI document: its id, summary, success status and the schemas of
/// what it returns and (for writes) takes.
struct Operation {
    id: &'static str,
    summary: &'static str,
    status: u16,
    response: Value,
    request: Option<Value>,
    /// A create that answers 200 with what an earlier call made, instead of making it twice.
    finds_existing: bool,
}

/// The schema of a Rust type, its definition kept for `components/schemas`.
fn schema_of<T: schemars::JsonSchema>(types: &mut schemars::SchemaGenerator) -> Value {
    serde_json::to_value(types.subschema_for::<T>()).unwrap_or(Value::Null)
}

/// What each API route does, takes and returns, for the OpenAPI document. Operations built
/// from Rust types (`schema_of`) cannot drift from what the handlers serialise; the older ones
/// are still written out here by hand.
fn describe(method: &axum::http::Method, path: &str, types: &mut schemars::SchemaGenerator) -> Option<Operation> {
    use axum::http::Method;
    let op = |id, summary, status, response, request| {
        Some(Operation { id, summary, status, response, request, finds_existing: false })
    };
    match (method.clone(), path) {
        (Method::GET, "/api/v1/editions/{edition}/calls") => {
            return op(
                "listCalls",
                "The edition's calls for proposals, with when each is open and the session types it takes",
                200,
                schema_of::<decisions::CallList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/proposals") => {
            return op(
                "listProposals",
                "A call's proposals, oldest first, a page at a time with the total, filtered by status and session type",
                200,
                schema_of::<decisions::ProposalPage>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/results") => {
            return op(
                "getCallResults",
                "The call's submitted evaluations aggregated and ranked as the results page ranks them (normalised per evaluator unless normalisation=none), with each proposal's status and decision",
                200,
                schema_of::<decisions::Results>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/proposals/{proposal}/decision") => {
            return op(
                "decideProposal",
                "Decides one proposal as the proposal page does (the organisers are told by email; an acceptance puts an unplaced session in the programme); 409 when its status takes no decision or it changed meanwhile, 404 for a proposal to merge that is not in the edition",
                200,
                schema_of::<decisions::Decided>(types),
                Some(schema_of::<decisions::DecisionWrite>(types)),
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/decisions") => {
            return op(
                "decideProposals",
                "Decides many proposals in one transaction: all are taken or none; a refusal's problems say which entry (position, from 0) and which proposal (object)",
                200,
                schema_of::<decisions::Decided>(types),
                Some(schema_of::<decisions::BulkDecisions>(types)),
            );
        }
        (Method::GET, "/api/v1/proposals") => {
            return op(
                "listMyProposals",
                "The caller's own proposals (as their owner or an organiser), with status, decision and version",
                200,
                schema_of::<proposals::MyProposals>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/calls/{call}/proposals") => {
            return op(
                "createProposal",
                "A new draft in an open call with the caller as its organiser (201); 409 error-call-not-open when the call is not open; 422 for a session type the call does not take, an unknown question or theme",
                201,
                schema_of::<proposals::Saved>(types),
                Some(schema_of::<proposals::NewProposal>(types)),
            );
        }
        (Method::GET, "/api/v1/proposals/{proposal}") => {
            return op(
                "getProposal",
                "A proposal its organisers (or the edition's secretariat) may edit: its text, status, version, what is still missing before it can be submitted, and its people",
                200,
                schema_of::<proposals::ProposalDetail>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/proposals/{proposal}") => {
            return op(
                "saveProposal",
                "Saves the text on the version read (a revision each time) and submits it if asked; 409 error-conflict when its version moved, 409 error-call-closed or error-proposal-decided when it can no longer change, 422 error-proposal-incomplete when a submission lacks what the call asks for (the text is saved)",
                200,
                schema_of::<proposals::Saved>(types),
                Some(schema_of::<proposals::ProposalWrite>(types)),
            );
        }
        (Method::POST, "/api/v1/proposals/{proposal}/status") => {
            return op(
                "changeProposalStatus",
                "Submits, withdraws or takes a proposal back to draft on the version read; 409 when the status cannot go there, the call closed or the version moved",
                200,
                schema_of::<proposals::Saved>(types),
                Some(schema_of::<proposals::StatusChange>(types)),
            );
        }
        (Method::POST, "/api/v1/proposals/{proposal}/people") => {
            return op(
                "addPersonToProposal",
                "Adds an organiser, co-organiser, moderator or speaker (201): found in the directory by address or added to it, and asked by letter to confirm; 409 error-proposal-person-twice when they are on it in that role already; 429 past a few dozen an hour",
                201,
                schema_of::<proposals::PersonAdded>(types),
                Some(schema_of::<proposals::NewPerson>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/registration-categories") => {
            return op(
                "listRegistrationCategories",
                "The edition's registration categories with their onsite places (taken, left) and online registrations, and the edition's counts: confirmed, onsite, checked in",
                200,
                schema_of::<registrations::CategoryList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/registrations") => {
            return op(
                "listRegistrations",
                "The edition's registrations in gojūon order, a page at a time with the total, filtered as the registrations page filters them: q (part of a name, reading, romanisation or email, or a badge code), category, attendance, status, checked_in",
                200,
                schema_of::<registrations::RegistrationPage>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/check-in") => {
            return op(
                "checkIn",
                "Checks in the holder of a badge as the check-in desk does (once, however many desks scan it at once); 404 error-badge-unknown for a code no registration of the edition has",
                200,
                schema_of::<registrations::CheckedIn>(types),
                Some(schema_of::<registrations::CheckInWrite>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/webhooks") => {
            return op(
                "listWebhooks",
                "The edition's webhooks with what became of their deliveries (the secrets are never answered again)",
                200,
                schema_of::<webhooks::WebhookList>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/webhooks") => {
            return op(
                "createWebhook",
                "Registers a receiver for chosen events (201), answering its secret this once; every delivery is a POST of JSON signed in Kaigi-Signature (sha256= HMAC-SHA256 of \"{Kaigi-Timestamp}.{body}\"); 409 error-webhook-many at 20 webhooks",
                201,
                schema_of::<webhooks::CreatedWebhook>(types),
                Some(schema_of::<webhooks::NewWebhook>(types)),
            );
        }
        (Method::DELETE, "/api/v1/editions/{edition}/webhooks/{webhook}") => {
            return op("deleteWebhook", "Removes a webhook with its delivery log (204)", 204, Value::Null, None);
        }
        (Method::PUT, "/api/v1/editions/{edition}/webhooks/{webhook}/active") => {
            return op(
                "setWebhookActive",
                "Pauses a webhook (nothing is queued for it or sent) or resumes it",
                200,
                schema_of::<webhooks::WebhookView>(types),
                Some(schema_of::<webhooks::ActiveChange>(types)),
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/webhooks/{webhook}/ping") => {
            return op(
                "pingWebhook",
                "Queues a ping event to the webhook, to try the receiver out (202)",
                202,
                schema_of::<webhooks::Queued>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/webhooks/{webhook}/deliveries") => {
            return op(
                "listWebhookDeliveries",
                "A webhook's deliveries, the newest first, a page at a time with the total: state, tries, the receiver's last status and error, the body sent",
                200,
                schema_of::<webhooks::DeliveryPage>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/webhooks/{webhook}/deliveries/{delivery}/redeliver") => {
            return op(
                "redeliverWebhook",
                "Sends a delivery again, with a fresh count of tries (202)",
                202,
                schema_of::<webhooks::Queued>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/evaluations") => {
            return op(
                "listMyEvaluations",
                "The proposals the caller may evaluate now (assigned, no conflict of interest), with how far each evaluation is",
                200,
                schema_of::<evaluations::MyEvaluations>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/evaluations/{proposal}") => {
            return op(
                "getMyEvaluation",
                "The caller's evaluation of a proposal assigned to them: the proposal, the rubric, their marks, and others' evaluations once theirs is submitted; 403 when not assigned or conflicted",
                200,
                schema_of::<evaluations::MyEvaluation>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/evaluations/{proposal}/conflict") => {
            return op(
                "declareConflict",
                "Declares a conflict of interest with the proposal, with the reason: the caller's draft and assignment go and another evaluator takes the place where one can; 409 error-evaluation-submitted once submitted",
                200,
                schema_of::<evaluations::ConflictDeclared>(types),
                Some(schema_of::<evaluations::ConflictDeclaration>(types)),
            );
        }
        (Method::PUT, "/api/v1/evaluations/{proposal}") => {
            return op(
                "saveMyEvaluation",
                "Saves the caller's evaluation as a draft or submits it (every score and required comment then); 409 error-conflict when its version moved, 409 error-evaluation-submitted once submitted; 403 when not assigned or conflicted",
                200,
                schema_of::<evaluations::EvaluationSaved>(types),
                Some(schema_of::<evaluations::EvaluationWrite>(types)),
            );
        }
        (Method::GET, "/api/v1/committees") => {
            return op(
                "listCommittees",
                "Standing committees, with whether the caller may open their meetings",
                200,
                schema_of::<meetings::CommitteeList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/committees/{committee}/meetings") => {
            return op(
                "listMeetings",
                "A committee's meetings, the newest first, and its series (a new meeting is created in one)",
                200,
                schema_of::<meetings::MeetingList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/meetings/{meeting}") => {
            return op(
                "getMeeting",
                "A meeting with its agenda (each item's minutes and revision), attendance in gojūon order, action items and decisions",
                200,
                schema_of::<meetings::Meeting>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/committees/{committee}/meetings") => {
            return op(
                "createMeeting",
                "Creates a meeting in one of the committee's series (201); its agenda starts from what the series carries forward (the draft agenda, recurring and unreached topics, a review of open action items); 404 error-series-unknown for another committee's series, 409 error-meeting-number-taken, 422 when it ends before it starts",
                201,
                schema_of::<meetings::Meeting>(types),
                Some(schema_of::<meetings::NewMeeting>(types)),
            );
        }
        (Method::PUT, "/api/v1/meetings/{meeting}/details") => {
            return op(
                "saveMeetingDetails",
                "Stores the meeting's date, times, time zone, venue, chair, minute-taker and hosts on the version read; 409 error-conflict when someone saved since, 409 minutes-approved-locked once the minutes are approved",
                200,
                schema_of::<meetings::Meeting>(types),
                Some(schema_of::<meetings::DetailsWrite>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/items") => {
            return op(
                "addAgendaItem",
                "Adds an agenda item at the end (201), numbered as given or with the next whole number",
                201,
                schema_of::<meetings::Created>(types),
                Some(schema_of::<meetings::NewAgendaItem>(types)),
            );
        }
        (Method::PUT, "/api/v1/meetings/{meeting}/items/{item}/flags") => {
            return op(
                "setAgendaItemFlags",
                "Marks an item reached or not and recurring or not (either carries it to the next meeting's agenda)",
                200,
                schema_of::<meetings::Changed>(types),
                Some(schema_of::<meetings::ItemFlags>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/attendance") => {
            return op(
                "addAttendee",
                "Records a person of the directory as present (201), with the affiliation they have today",
                201,
                schema_of::<meetings::Changed>(types),
                Some(schema_of::<meetings::NewAttendee>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/draft-agenda") => {
            return op(
                "addDraftAgendaTopic",
                "Adds a topic to the next meeting's draft agenda (次回アジェンダ（たたき台）), kept with this meeting (201)",
                201,
                schema_of::<meetings::Changed>(types),
                Some(schema_of::<meetings::NewDraftTopic>(types)),
            );
        }
        (Method::PUT, "/api/v1/meetings/{meeting}/items/{item}/minutes") => {
            return op(
                "writeMinutes",
                "Writes an item's minutes on the revision read; 409 error-conflict with current_revision and current_body when someone wrote since (nothing is overwritten), 409 minutes-approved-locked once the minutes are approved",
                200,
                schema_of::<meetings::MinutesSaved>(types),
                Some(schema_of::<meetings::MinutesWrite>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/action-items") => {
            return op(
                "addActionItem",
                "Records an action item (宿題) decided at this meeting (201)",
                201,
                schema_of::<meetings::Created>(types),
                Some(schema_of::<meetings::NewActionItem>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/action-items/{action}/status") => {
            return op(
                "setActionItemStatus",
                "Marks an action item of this meeting's series done, dropped or open again, at this meeting; 409 if its version moved",
                200,
                schema_of::<meetings::Changed>(types),
                Some(schema_of::<meetings::ActionStatusChange>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/decisions") => {
            return op(
                "addDecision",
                "Records a decision taken at this meeting, optionally under one of its agenda items (201)",
                201,
                schema_of::<meetings::Changed>(types),
                Some(schema_of::<meetings::NewDecision>(types)),
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/state") => {
            return op(
                "changeMinutesState",
                "Moves the minutes: circulate, recall, approve (recorded at the next meeting), publish, unpublish, reopen (with a reason); 409 minutes-state-refused when the step is not possible now",
                200,
                schema_of::<meetings::Changed>(types),
                Some(schema_of::<meetings::MinutesStateChange>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/assignment") => {
            return op(
                "getAssignment",
                "Who evaluates what: the call's evaluators with their load, every assigned pair, and the pairs a conflict of interest now forbids",
                200,
                schema_of::<assignment::Assignment>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/assignment/preview") => {
            return op(
                "previewAssignment",
                "The exact assignment solved around what must stay, stored nowhere; 409 error-assignment-unsolved when none meets the rules",
                200,
                schema_of::<assignment::Preview>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/calls/{call}/assignment") => {
            return op(
                "applyAssignment",
                "Stores an assignment (a preview, or one a program made) for the proposals it names, in one transaction; 409 error-assignment-stale when it names a proposal or evaluator outside the call or a conflicted pair, 409 error-conflict when an evaluation began on a pair it removes",
                200,
                schema_of::<assignment::Applied>(types),
                Some(schema_of::<assignment::AssignmentWrite>(types)),
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/calls/{call}/assignment/overrides") => {
            return op(
                "overrideAssignment",
                "Puts an evaluator on a proposal (kept by every re-run), takes them off, or reassigns the place; 404 for a proposal of another call or someone outside the pool, 409 when a conflict of interest forbids the pair",
                200,
                schema_of::<assignment::Overridden>(types),
                Some(schema_of::<assignment::Override>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/progress") => {
            return op(
                "getEvaluationProgress",
                "Each evaluator's assigned, submitted and draft evaluations, and the call's completion beside the previous edition's",
                200,
                schema_of::<assignment::Progress>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/calls/{call}/reminders") => {
            return op(
                "remindEvaluators",
                "Writes to every evaluator with evaluations still to submit (202, through the outbox); three rounds a day per call at most",
                202,
                schema_of::<assignment::Reminded>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/calls") => {
            return op(
                "createCall",
                "Opens a call (201); without settings it starts as the IGF's call for workshops, with the IGF's workshop rubric; 422 when it closes before it opens or names a theme of another edition",
                201,
                schema_of::<calls::CallDetail>(types),
                Some(schema_of::<calls::NewCall>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}") => {
            return op(
                "getCall",
                "A call with its settings (session types, sub-themes, questions, screening rules, evaluators per proposal), the latest revision of each rubric and the evaluator pool",
                200,
                schema_of::<calls::CallDetail>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/calls/{call}") => {
            return op(
                "saveCall",
                "Stores the call's name, dates and settings on the version read; 409 error-conflict when it changed since",
                200,
                schema_of::<calls::CallDetail>(types),
                Some(schema_of::<calls::CallWrite>(types)),
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/calls/{call}/rubric") => {
            return op(
                "saveRubric",
                "Saves the next revision of the general rubric or of one session type's; 409 error-conflict when based_on is not the latest revision, 409 error-rubric-locked once evaluation started on it",
                200,
                schema_of::<calls::RubricView>(types),
                Some(schema_of::<calls::RubricWrite>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/evaluators") => {
            return op(
                "listCallEvaluators",
                "The call's evaluator pool with each one's capacity and expertise",
                200,
                schema_of::<calls::EvaluatorPool>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/calls/{call}/evaluators/enlist") => {
            return op(
                "enlistEvaluators",
                "Adds every account with the evaluator role for the edition that is not in the pool yet",
                200,
                schema_of::<calls::Enlisted>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/calls/{call}/evaluators/{user}") => {
            return op(
                "setCallEvaluator",
                "Sets the capacity (null: an even share) and expertise (theme ids of the edition) of an evaluator in the call's pool (404 for anyone else: enlist the edition's evaluators first)",
                200,
                schema_of::<calls::EvaluatorView>(types),
                Some(schema_of::<calls::EvaluatorWrite>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/calls/{call}/screening") => {
            return op(
                "getScreening",
                "Every proposal of the call with its stored screening outcomes (null passed: not screened)",
                200,
                schema_of::<calls::ScreeningResults>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/calls/{call}/screening") => {
            return op(
                "screenCall",
                "Runs the deadline screening on every submitted proposal and answers the outcomes; 409 error-screening-before-deadline while the call is open",
                200,
                schema_of::<calls::ScreeningResults>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/programme") => {
            return op(
                "getProgramme",
                "The latest published version of the programme (404 before the first publication): the same data as the frab exports; cancelled sessions are listed as cancelled. Filter with day, room or person.",
                200,
                schema_of::<ProgrammeView>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/programme/versions") => {
            return op(
                "listProgrammeVersions",
                "Every published version with its changes, the newest first",
                200,
                schema_of::<VersionList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/programme/preview") => {
            return op(
                "previewProgramme",
                "What publishing the draft now would change (the secretariat's review)",
                200,
                schema_of::<PublishPreview>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/programme/publish") => {
            return op(
                "publishProgramme",
                "Publishes the draft as the next version (201); 409 error-conflict when the draft changed since draft_version, 409 error-publish-unchanged when there is nothing to publish",
                201,
                schema_of::<Published>(types),
                Some(schema_of::<PublishRequest>(types)),
            );
        }
        (Method::GET, "/api/v1/editions") => {
            return op(
                "listEditions",
                "Forum editions, the latest first",
                200,
                schema_of::<editions::EditionList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}") => {
            return op(
                "getEdition",
                "One edition with its days, rooms, tracks and themes",
                200,
                schema_of::<editions::EditionDetail>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/speakers") => {
            return op(
                "listSpeakers",
                "Everyone on the published programme in gojūon order, with the numbers of their sessions",
                200,
                schema_of::<editions::SpeakerList>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/me") => {
            return op("getMe", "The signed-in account and its roles", 200, schema_of::<Me>(types), None);
        }
        (Method::GET, "/api/v1/people") => {
            return op(
                "listPeople",
                "People in gojūon order by reading (merged duplicates left out), a page at a time",
                200,
                schema_of::<directory::PeoplePage>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/people/{person}") => {
            return op(
                "getPerson",
                "One person with their affiliations over time",
                200,
                schema_of::<directory::PersonDetail>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/search") => {
            return op(
                "search",
                "Minutes, proposals, sessions, people and action items containing the query (only what the caller may open)",
                200,
                schema_of::<SearchResults>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/people") => {
            return op(
                "createPerson",
                "Adds a person to the directory (201), with their organisation today as an affiliation since today when named; 404 error-organisation-unknown",
                201,
                schema_of::<directory::PersonSaved>(types),
                Some(schema_of::<directory::NewPerson>(types)),
            );
        }
        (Method::PUT, "/api/v1/people/{person}") => {
            return op(
                "updatePerson",
                "Saves the whole person on the version read; 409 error-conflict when someone saved since (nothing is overwritten)",
                200,
                schema_of::<directory::PersonSaved>(types),
                Some(schema_of::<directory::PersonWrite>(types)),
            );
        }
        (Method::POST, "/api/v1/people/{person}/affiliations") => {
            return op(
                "addAffiliation",
                "Records a period of the person's affiliation (201); 404 error-organisation-unknown, 422 when it ends before it starts",
                201,
                schema_of::<directory::Created>(types),
                Some(schema_of::<directory::NewAffiliation>(types)),
            );
        }
        (Method::POST, "/api/v1/people/{person}/merge") => {
            return op(
                "mergePerson",
                "Merges this person (entered twice) into another, which everything that named this one names from now on; only an administrator merges people with accounts (422 error-merge-accounts), 409 error-merge-merged when either was merged already",
                200,
                schema_of::<directory::PersonSaved>(types),
                Some(schema_of::<directory::Merge>(types)),
            );
        }
        (Method::GET, "/api/v1/organisations") => {
            return op(
                "listOrganisations",
                "The directory's organisations by name",
                200,
                schema_of::<directory::OrganisationList>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/organisations") => {
            return op(
                "createOrganisation",
                "Adds an organisation (201); 409 error-organisation-exists for a name taken",
                201,
                schema_of::<directory::Created>(types),
                Some(schema_of::<directory::NewOrganisation>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/agenda") => {
            return op(
                "getMyAgenda",
                "The caller's own agenda: the sessions they starred in the published programme, in time order, each with the other starred sessions at the same time, and whether they have a calendar feed",
                200,
                schema_of::<agenda::Agenda>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/agenda/{number}") => {
            return op(
                "starSession",
                "Puts a session of the published programme on the caller's agenda (again: nothing changes); 404 for one not published or cancelled",
                200,
                schema_of::<agenda::Agenda>(types),
                None,
            );
        }
        (Method::DELETE, "/api/v1/editions/{edition}/agenda/{number}") => {
            return op(
                "unstarSession",
                "Takes a session off the caller's agenda",
                200,
                schema_of::<agenda::Agenda>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/agenda/feed") => {
            return op(
                "createAgendaFeed",
                "Makes the caller's private calendar feed for the edition (201) and answers its address this once; an earlier address stops working",
                201,
                schema_of::<agenda::Feed>(types),
                None,
            );
        }
        (Method::DELETE, "/api/v1/editions/{edition}/agenda/feed") => {
            return op(
                "stopAgendaFeed",
                "Ends the caller's calendar feed for the edition: its address answers 404 from now on",
                200,
                schema_of::<agenda::FeedStopped>(types),
                None,
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/roundtables") => {
            return op(
                "listRoundtables",
                "The edition's roundtables with their tables, seats, rounds and report themes",
                200,
                schema_of::<roundtables::RoundtableList>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/roundtables") => {
            return op(
                "createRoundtable",
                "Sets up a roundtable (201); without themes it takes the report themes of the ministerial roundtable",
                201,
                schema_of::<roundtables::RoundtableSummary>(types),
                Some(schema_of::<roundtables::NewRoundtable>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/roundtables/{roundtable}") => {
            return op(
                "getRoundtable",
                "A roundtable with its invitees in gojūon order, the seating of every round with each table's rapporteur, and the tables' reports",
                200,
                schema_of::<roundtables::RoundtableDetail>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees") => {
            return op(
                "inviteToRoundtable",
                "Invites people of the directory, or changes the tables they are pinned to, all or none: 404 error-person-unknown, 409 error-roundtable-pinned-over when a table would hold more than its seats",
                200,
                schema_of::<roundtables::RoundtableDetail>(types),
                Some(schema_of::<roundtables::Invitations>(types)),
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}") => {
            return op(
                "pinInvitee",
                "Pins an invitee to the table they host in every round, or unpins them (null)",
                200,
                schema_of::<roundtables::RoundtableDetail>(types),
                Some(schema_of::<roundtables::Pin>(types)),
            );
        }
        (Method::DELETE, "/api/v1/editions/{edition}/roundtables/{roundtable}/invitees/{person}") => {
            return op(
                "uninvite",
                "Takes an invitation back; 409 error-uninvite-seated once the person is in the seating",
                200,
                schema_of::<roundtables::RoundtableDetail>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/roundtables/{roundtable}/seating") => {
            return op(
                "seatRoundtable",
                "Seats every invitee in every round (stakeholder groups and regions mixed at each table, few pairs meeting twice) on the version read; 409 error-conflict when it changed since, 409 error-seating-frozen once a table filed its report",
                200,
                schema_of::<roundtables::RoundtableDetail>(types),
                Some(schema_of::<roundtables::SeatRequest>(types)),
            );
        }
        (
            Method::PUT,
            "/api/v1/editions/{edition}/roundtables/{roundtable}/rounds/{round}/tables/{table}/rapporteur",
        ) => {
            return op(
                "setRapporteur",
                "Makes someone seated at the table in that round its rapporteur; 404 error-rapporteur-not-seated otherwise",
                200,
                schema_of::<roundtables::RoundtableDetail>(types),
                Some(schema_of::<roundtables::Rapporteur>(types)),
            );
        }
        (Method::GET, "/api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report") => {
            return op(
                "getTableReport",
                "A table's report with the roundtable's themes and the people at the table (its rapporteur and the secretariat)",
                200,
                schema_of::<roundtables::ReportForm>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/roundtables/{roundtable}/rounds/{round}/tables/{table}/report") => {
            return op(
                "saveTableReport",
                "Files or changes the table's report on the version read (0 for the first); 409 error-conflict when someone saved since",
                200,
                schema_of::<roundtables::ReportForm>(types),
                Some(schema_of::<roundtables::ReportWrite>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/setup") => {
            return op(
                "getSetup",
                "The edition's setup as one document (as the setup page and `kaigi setup` read it): days with hours and breaks, rooms with seats, equipment and availability, tracks and themes, and its version",
                200,
                schema_of::<kaigi_core::setup::EditionSetup>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/setup") => {
            return op(
                "putSetup",
                "Stores the whole setup in one transaction; 409 error-conflict when it changed since version, 422 with every problem and where it is (rooms[2].capacity) when the timetabler could not use it, 409 error-setup-day-in-use / -room-in-use / -label-in-use when it removes something in use",
                200,
                schema_of::<setup::SetupStored>(types),
                Some(schema_of::<kaigi_core::setup::EditionSetup>(types)),
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/registration-categories/{code}") => {
            return op(
                "saveRegistrationCategory",
                "Adds the registration category with this code (lower-case letters, digits and -) or changes it; 409 error-capacity-below-taken when the onsite capacity is below the places taken",
                200,
                schema_of::<registrations::CategoryView>(types),
                Some(schema_of::<registrations::CategoryWrite>(types)),
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/sessions/{number}/signup-capacity") => {
            return op(
                "setSignupCapacity",
                "Opens, resizes or closes sign-up for a session; 409 error-capacity-below-taken or error-signup-keep once people signed up",
                200,
                schema_of::<registrations::SignupPlaces>(types),
                Some(schema_of::<registrations::SignupCapacity>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/statistics") => {
            return op(
                "getLiveFigures",
                "The live participation figures, exact (the secretariat's, not for print), with the token that names them and the latest publication",
                200,
                schema_of::<registrations::LiveFigures>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/statistics/publish") => {
            return op(
                "publishFigures",
                "Publishes the live figures reviewed as the next version (201); 409 error-conflict when registrations changed since, 409 error-publish-unchanged or error-publish-statistics-empty",
                201,
                schema_of::<registrations::FiguresVersion>(types),
                Some(schema_of::<registrations::PublishFigures>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/sessions") => {
            return op(
                "listDraftSessions",
                "The draft programme's sessions with their places, pins and versions (the secretariat's; the public reads the published programme)",
                200,
                schema_of::<timetable::SessionPage>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/editions/{edition}/sessions") => {
            return op(
                "createSession",
                "A session the committee creates itself (a main session, a ceremony), unplaced (201); a theme or track of another edition is a 404",
                201,
                schema_of::<timetable::SessionCreated>(types),
                Some(schema_of::<timetable::NewSession>(types)),
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/sessions/{number}/place") => {
            return op(
                "moveSession",
                "Moves, pins or unplaces one session of the draft on the version read; 409 error-conflict when it changed since, 404 error-room-unknown for a room of another edition",
                200,
                schema_of::<timetable::Moved>(types),
                Some(schema_of::<timetable::Move>(types)),
            );
        }
        (Method::GET, "/api/v1/editions/{edition}/timetable/preview") => {
            return op(
                "previewTimetable",
                "Runs the timetabler on the draft (pinned sessions stay) and says what would move, stored nowhere",
                200,
                schema_of::<timetable::SolvePreview>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/editions/{edition}/timetable") => {
            return op(
                "storeTimetable",
                "Stores the whole draft timetable in one transaction; unpinned sessions left out are unplaced; 404 error-session-unknown or error-room-unknown for another edition's, 409 error-conflict when a session it moves changed since as_of",
                200,
                schema_of::<timetable::TimetableStored>(types),
                Some(schema_of::<timetable::TimetableWrite>(types)),
            );
        }
        (Method::GET, "/api/v1/committees/{committee}/polls") => {
            return op(
                "listPolls",
                "The committee's open date polls (日程調整), newest first",
                200,
                schema_of::<polls::PollList>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/meetings/{meeting}/poll") => {
            return op(
                "openPoll",
                "Opens the date poll for the meeting after this one (201), or answers the one this meeting opened already (200, created false)",
                201,
                schema_of::<polls::PollOpened>(types),
                None,
            )
            .map(|o| Operation { finds_existing: true, ..o });
        }
        (Method::GET, "/api/v1/polls/{poll}") => {
            return op(
                "getPoll",
                "A date poll: its candidate dates with the ○△× counts, the best date, the key person and every member's answers",
                200,
                schema_of::<polls::Poll>(types),
                None,
            );
        }
        (Method::PUT, "/api/v1/polls/{poll}/answers") => {
            return op(
                "answerPoll",
                "Records the caller's own answers (members only: 403 otherwise); dates left out keep their answer; 409 error-poll-closed once a date was chosen, 404 error-poll-slot-unknown for a date of another poll",
                200,
                schema_of::<polls::Poll>(types),
                Some(schema_of::<polls::Answers>(types)),
            );
        }
        (Method::POST, "/api/v1/polls/{poll}/slots") => {
            return op(
                "addPollSlot",
                "Adds a candidate date (201); 409 error-poll-closed once a date was chosen, 409 error-poll-slots past 60 dates",
                201,
                schema_of::<polls::SlotAdded>(types),
                Some(schema_of::<polls::NewSlot>(types)),
            );
        }
        (Method::PUT, "/api/v1/polls/{poll}/key-person") => {
            return op(
                "setPollKeyPerson",
                "Names the member whose no rules a date out, or nobody (null); 404 error-poll-not-member for someone outside the committee",
                200,
                schema_of::<polls::Poll>(types),
                Some(schema_of::<polls::KeyPerson>(types)),
            );
        }
        (Method::POST, "/api/v1/polls/{poll}/invitations") => {
            return op(
                "invitePollMembers",
                "Sends every member not invited yet a personal link to answer without signing in (202: by letter, through the outbox)",
                202,
                schema_of::<polls::Invitations>(types),
                None,
            );
        }
        (Method::POST, "/api/v1/polls/{poll}/choice") => {
            return op(
                "choosePollSlot",
                "Chooses the date (201): the next meeting is created on it with the draft agenda, the poll closes and the members get the invitation; 409 error-poll-closed when chosen already, 404 error-poll-slot-unknown",
                201,
                schema_of::<polls::Chosen>(types),
                Some(schema_of::<polls::Choice>(types)),
            );
        }
        _ => {}
    }
    let (id, summary, response) = match path {
        "/api/openapi.json" => ("openapi", "This document", json!({"type": "object"})),
        "/api/v1/editions/{edition}/participation" => (
            "getParticipation",
            "Participants as the secretariat last published them (404 before the first publication), by stakeholder group, region, country, gender, attendance, first time, youth and category; counts of 1 to threshold - 1 (and any that would give one away) are null",
            json!({"type": "object", "required": ["edition", "version", "published_at", "total", "threshold", "by"], "properties": {
                "edition": {"type": "string"}, "version": {"type": "integer"}, "published_at": {"type": "string", "format": "date-time"},
                "total": {"type": "integer"}, "threshold": {"type": "integer"},
                "by": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}}}}}),
        ),

        _ => return None,
    };
    Some(Operation { id, summary, status: 200, response, request: None, finds_existing: false })
}

/// The OpenAPI 3.1 document of the API routes among `routes` (the route table).
pub fn openapi_document(routes: &[RouteSpec]) -> Value {
    // OpenAPI 3.1's schemas are JSON Schema 2020-12, so schemars' own draft is the document's.
    let mut types = schemars::generate::SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.definitions_path = "/components/schemas".into();
            settings.meta_schema = None;
        })
        .into_generator();
    let mut paths = serde_json::Map::new();
    for route in routes.iter().filter(|r| r.path.starts_with("/api/")) {
        let Some(Operation { id: operation_id, summary, status, response: schema, request, finds_existing }) =
            describe(&route.method, route.path, &mut types)
        else {
            continue;
        };
        let mut parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let schema = match name {
                    "person" | "committee" | "meeting" | "item" | "action" | "proposal" | "call" | "webhook"
                    | "delivery" | "poll" | "roundtable" | "user" => {
                        json!({"type": "string", "format": "uuid"})
                    }
                    "number" | "round" | "table" => json!({"type": "integer", "minimum": 1}),
                    "code" => json!({"type": "string", "pattern": "^[a-z0-9-]{1,40}$"}),
                    _ => json!({"type": "string"}),
                };
                json!({"name": name, "in": "path", "required": true, "schema": schema})
            })
            .collect();
        if route.path == "/api/v1/people" && route.method == axum::http::Method::GET {
            parameters.push(json!({"name": "q", "in": "query", "required": false, "schema": {"type": "string"}, "description": "Part of a name, reading or romanisation"}));
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}));
            parameters.push(json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}));
        }
        if route.path == "/api/v1/search" {
            let string = |name: &str, description: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": description});
            parameters.push(string("q", "The text to find (folded: full/half width, katakana/hiragana, case)"));
            parameters.push(json!({"name": "kind", "in": "query", "required": false, "description": "One kind; empty for every kind", "schema": {"type": "string", "enum": ["", "minutes", "proposal", "session", "person", "action_item", "statistics"]}}));
            parameters.push(string("edition", "An edition id"));
            parameters.push(string("series", "A meeting series id"));
            // A search form sends its empty date fields as "": the same as leaving them out.
            let date = json!({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}], "description": "YYYY-MM-DD, or empty"});
            parameters.push(json!({"name": "from", "in": "query", "required": false, "schema": date}));
            parameters.push(json!({"name": "until", "in": "query", "required": false, "schema": date}));
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 500}}));
            parameters.push(json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}));
        }
        if route.path == "/api/v1/editions/{edition}/calls/{call}/results" {
            parameters.push(json!({"name": "normalisation", "in": "query", "required": false, "schema": {"type": "string", "enum": ["zscore", "none"]}, "description": "Even out each evaluator's mean and spread (zscore, the default) or not"}));
        }
        if route.path == "/api/v1/editions/{edition}/calls/{call}/proposals" {
            // Empty is any status, as the call page's filter form sends it.
            let codes: Vec<&str> = std::iter::once("")
                .chain(kaigi_core::programme::ProposalStatus::ALL.iter().map(|s| s.code()))
                .collect();
            parameters.push(json!({"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 200}, "description": "Part of the title (folded: full/half width, katakana/hiragana, case)"}));
            parameters.push(json!({"name": "status", "in": "query", "required": false, "schema": {"type": "string", "enum": codes}, "description": "A status; empty for any"}));
            parameters.push(json!({"name": "session_type", "in": "query", "required": false, "schema": {"type": "string"}, "description": "A session type code, e.g. workshop"}));
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 500}}));
            parameters.push(json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}));
        }
        if route.path == "/api/v1/editions/{edition}/registrations" {
            let codes: Vec<&str> = kaigi_core::participation::Attendance::ALL.iter().map(|a| a.code()).collect();
            parameters.push(json!({"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 200}, "description": "Part of a name, its reading or romanisation, or of an email address; or a badge code"}));
            parameters.push(json!({"name": "category", "in": "query", "required": false, "schema": {"type": "string"}, "description": "A category code"}));
            parameters.push(json!({"name": "attendance", "in": "query", "required": false, "schema": {"type": "string", "enum": codes}}));
            parameters.push(json!({"name": "status", "in": "query", "required": false, "schema": {"type": "string", "enum": ["confirmed", "cancelled"]}}));
            parameters.push(json!({"name": "checked_in", "in": "query", "required": false, "schema": {"type": "string", "enum": ["true", "false"]}}));
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}));
            parameters.push(json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}));
        }
        if route.path == "/api/v1/editions/{edition}/sessions" && route.method == axum::http::Method::GET {
            parameters.push(json!({"name": "placed", "in": "query", "required": false, "schema": {"type": "boolean"}, "description": "true: placed sessions only; false: those still to place"}));
            parameters.push(json!({"name": "kind", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 40}, "description": "One kind of session, e.g. workshop"}));
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 500}}));
            parameters.push(json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}));
        }
        if route.path == "/api/v1/editions/{edition}/timetable/preview" {
            parameters.push(json!({"name": "mode", "in": "query", "required": false, "schema": {"type": "string", "enum": ["minimal", "fresh"]}, "description": "minimal (the default): fix what is wrong, moving as little as possible; fresh: place every unpinned session again"}));
        }
        if route.path == "/api/v1/editions/{edition}/webhooks/{webhook}/deliveries" {
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 500}}));
            parameters.push(json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000}}));
        }
        if route.path == "/api/v1/editions/{edition}/programme" {
            for (name, description) in [
                ("day", "One day (YYYY-MM-DD)"),
                ("room", "One room, by name"),
                ("person", "One person's sessions, by id"),
            ] {
                parameters.push(json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": description}));
            }
        }
        let error = json!({"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}});
        let ok = status.to_string();
        let success = match status {
            204 => json!({"description": "Done; nothing to answer"}),
            201 => json!({"description": "Created", "content": {"application/json": {"schema": schema}}}),
            202 => json!({"description": "Accepted: queued", "content": {"application/json": {"schema": schema}}}),
            _ => json!({"description": "OK", "content": {"application/json": {"schema": schema}}}),
        };
        // Creates, or finds what an earlier call created: both answers are documented.
        let found_instead = finds_existing
            .then(|| json!({"description": "Found: made by an earlier call", "content": {"application/json": {"schema": schema}}}));
        let mut responses = json!({
            ok.as_str(): success,
            "400": {"description": "A query string or body that cannot be read", "content": error},
            "404": {"description": "Not found", "content": error},
            "422": {"description": "Refused: a value out of range, not a date, not one of the choices; the error says which", "content": error},
            "429": {"description": "Too many requests from this token or address", "content": error},
        });
        if let Some(found) = found_instead {
            responses["200"] = found;
        }
        let mut operation = json!({
            "operationId": operation_id,
            "summary": summary,
            "parameters": parameters,
            "x-kaigi-permission": format!("{:?}", route.need),
        });
        if route.need != Need::Public {
            operation["security"] = json!([{"bearer": []}, {"session": []}]);
            responses["401"] = json!({"description": "Not signed in, or the API token is unknown, expired or revoked (code token-invalid)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
            responses["403"] = json!({"description": "Signed in without the role this needs", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
        }
        // Any write may meet a state that refuses it, with a body or without (screening before
        // the deadline, taking back the invitation of someone seated).
        if route.method != axum::http::Method::GET {
            responses["409"] = json!({"description": "Not in a state for this: changed by someone else since it was read (error-conflict), or a step its state does not take; read it again", "content": error});
        }
        if let Some(request) = request {
            operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": request}}});
            responses["415"] = json!({"description": "The body is not JSON", "content": error});
        }
        operation["responses"] = responses;
        let method = route.method.as_str().to_lowercase();
        paths.entry(route.path.to_owned()).or_insert_with(|| json!({}))[method] = operation;
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kaigi API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Everything the pages of kaigi do, for programs: editions and their setup, calls, proposals, evaluations, assignment, decisions, the draft and published programme, registrations, committees, meetings, minutes, date polls, roundtables, the directory, a participant's agenda, webhooks and search. Pages and API share one permission model. Programs send a personal API token (made on the account page or with `kaigi token create`) as `Authorization: Bearer <token>`; a token acts with its holder's roles, a read token only reads. Errors are {\"error\": {\"code\", \"message\"}} with the message in the Accept-Language asked for; dates are ISO 8601, instants RFC 3339.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token (kaigi_…)"},
                "session": {"type": "apiKey", "in": "cookie", "name": "kaigi_session"},
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "description": "Stable: the message's key (error-conflict, error-field-empty, …)"},
                    "message": {"type": "string", "description": "In the language Accept-Language asks for (English or Japanese)"},
                    "problems": {"type": "array", "description": "Every problem of a refused request", "items": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": ["string", "null"], "description": "The field concerned"},
                        "path": {"type": "string", "description": "Where in a document sent whole: rooms[2].capacity"},
                        "position": {"type": "integer", "minimum": 0, "description": "Which entry of a list, from 0"},
                        "object": {"type": ["string", "null"], "description": "That entry's object"}}}}}}}},
            }
        }
    });
    // The schemas of the operations built from Rust types, beside the hand-written ones.
    if let Some(schemas) = document["components"]["schemas"].as_object_mut() {
        schemas.extend(types.take_definitions(true));
    }
    bound_integers(&mut document);
    document
}

/// Gives every integer in the document the range the server reads it into: an unbounded
/// `integer` invites clients (and fuzzers) to send 10^22, which no i64 holds, and the answer
/// would be a refusal of a value the document allowed.
fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(object) => {
            let integer = match object.get("type") {
                Some(Value::String(kind)) => kind == "integer",
                Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "integer"),
                _ => false,
            };
            if integer {
                let format = object.get("format").and_then(Value::as_str).unwrap_or("int64").to_owned();
                let (min, max): (i64, u64) = match format.as_str() {
                    "int8" => (i8::MIN.into(), i8::MAX as u64),
                    "int16" => (i16::MIN.into(), i16::MAX as u64),
                    "int32" => (i32::MIN.into(), i32::MAX as u64),
                    "uint8" => (0, u8::MAX.into()),
                    "uint16" => (0, u16::MAX.into()),
                    "uint32" => (0, u32::MAX.into()),
                    "uint" | "uint64" => (0, u64::MAX),
                    _ => (i64::MIN, i64::MAX as u64),
                };
                object.entry("format").or_insert_with(|| json!(format));
                object.entry("minimum").or_insert_with(|| json!(min));
                object.entry("maximum").or_insert_with(|| json!(max));
            }
            object.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}
