//! An edition's webhooks through the API: register a receiver for chosen events, list them
//! with what became of their deliveries, read a webhook's delivery log, send a test ping,
//! redeliver, pause and remove. The edition's secretariat only; the path check has found the
//! webhook (and the delivery) inside the edition already.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kaigi_core::webhooks::{self as rules, Event};
use kaigi_db::webhooks as store;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::ApiError;
use crate::AppState;
use crate::auth::{Ctx, InEdition};

/// The events an edition's webhook may listen to.
fn edition_events_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = Event::SUBSCRIBABLE.iter().filter(|e| e.of_an_edition()).map(|e| e.name()).collect();
    schemars::json_schema!({
        "type": "array",
        "minItems": 1,
        "maxItems": 20,
        "items": {"type": "string", "enum": names},
        "description": "The events to deliver; the same event twice counts once",
    })
}

fn event_list_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = Event::SUBSCRIBABLE.iter().map(|e| e.name()).collect();
    schemars::json_schema!({"type": "array", "items": {"type": "string", "enum": names}})
}

fn url_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    // What the server takes, said so that a client (or a fuzzer) can make one: an http(s)
    // address of a named host. Addresses of this machine or a private network are refused
    // unless the server allows them (KAIGI_WEBHOOK_PRIVATE_TARGETS).
    schemars::json_schema!({
        "type": "string",
        "format": "uri",
        "maxLength": 2000,
        "pattern": "^https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+(?!localhost(?![a-z]))[a-z]{2,}(:[1-9][0-9]{0,3})?(/([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$",
        "description": "An http or https URI (RFC 3986: ASCII, percent-encoded); no user name or password in it",
    })
}

fn secret_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "null"],
        "minLength": 16,
        "maxLength": 200,
        "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
        "description": "Signs every delivery; left out, kaigi makes one (64 hex digits) and answers it once",
    })
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    #[schemars(schema_with = "url_schema")]
    pub url: String,
    #[schemars(schema_with = "edition_events_schema")]
    pub events: Vec<String>,
    #[serde(default)]
    #[schemars(schema_with = "secret_schema")]
    pub secret: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub url: String,
    #[schemars(schema_with = "event_list_schema")]
    pub events: Vec<&'static str>,
    /// Off: nothing is queued for it and what waits is not sent.
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub created_at: OffsetDateTime,
    pub delivered: i64,
    pub waiting: i64,
    /// Deliveries that failed every try.
    pub given_up: i64,
}

fn view(webhook: store::Webhook, tally: Option<&store::Tally>) -> WebhookView {
    let tally = tally.cloned().unwrap_or_default();
    WebhookView {
        events: webhook.events().into_iter().map(Event::name).collect(),
        id: webhook.id,
        url: webhook.url,
        active: webhook.active,
        created_at: webhook.created_at,
        delivered: tally.delivered,
        waiting: tally.waiting,
        given_up: tally.given_up,
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CreatedWebhook {
    pub webhook: WebhookView,
    /// The secret that signs deliveries; answered only here.
    pub secret: String,
}

pub async fn list_webhooks(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
) -> Result<Json<WebhookList>, ApiError> {
    let tallies = store::tallies(&state.db, Some(edition.id)).await?;
    let webhooks = store::list(&state.db, Some(edition.id))
        .await?
        .into_iter()
        .map(|w| view(w.clone(), tallies.get(&w.id)))
        .collect();
    Ok(Json(WebhookList { webhooks }))
}

/// A new secret: 32 random bytes as hex.
pub(crate) fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    rules::secret_from(&bytes)
}

pub async fn create_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(new): super::Body<NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    super::at_most("url", &new.url, rules::MAX_URL)?;
    super::count_between("events", new.events.len(), 1, 20)?;
    let target = rules::check_url(&new.url, state.config.webhook_private_targets).map_err(kaigi_db::DbError::from)?;
    let events = rules::choose_events(new.events.iter().map(String::as_str), false).map_err(kaigi_db::DbError::from)?;
    let secret = new.secret.unwrap_or_else(new_secret);
    let webhook = store::create(&state.db, &ctx.actor(), Some(edition.id), &target, &events, &secret).await?;
    Ok((StatusCode::CREATED, Json(CreatedWebhook { webhook: view(webhook, None), secret })))
}

pub async fn delete_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, webhook)): Path<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    store::delete(&state.db, &ctx.actor(), Some(edition.id), webhook).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveChange {
    pub active: bool,
}

pub async fn set_active(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, webhook)): Path<(String, Uuid)>,
    super::Body(change): super::Body<ActiveChange>,
) -> Result<Json<WebhookView>, ApiError> {
    let webhook = store::set_active(&state.db, &ctx.actor(), Some(edition.id), webhook, change.active).await?;
    let tallies = store::tallies(&state.db, Some(edition.id)).await?;
    let tally = tallies.get(&webhook.id).cloned();
    Ok(Json(view(webhook, tally.as_ref())))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Queued {
    /// The delivery was queued; the receiver gets it within seconds.
    pub queued: bool,
}

pub async fn ping(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, webhook)): Path<(String, Uuid)>,
) -> Result<(StatusCode, Json<Queued>), ApiError> {
    store::ping(&state.db, &ctx.actor(), Some(edition.id), webhook).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { queued: true })))
}

pub async fn redeliver(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, webhook, delivery)): Path<(String, Uuid, Uuid)>,
) -> Result<(StatusCode, Json<Queued>), ApiError> {
    store::redeliver(&state.db, &ctx.actor(), Some(edition.id), webhook, delivery).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { queued: true })))
}

fn delivery_state_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({"type": "string", "enum": ["delivered", "waiting", "given-up"]})
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    pub event: String,
    #[schemars(schema_with = "delivery_state_schema")]
    pub state: &'static str,
    /// Tries so far.
    pub attempts: i64,
    /// The receiver's last HTTP status; null when it could not be reached.
    pub last_status: Option<i32>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub delivered_at: Option<OffsetDateTime>,
    /// When it is tried next, while it waits.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>", extend("format" = "date-time"))]
    pub next_attempt_at: Option<OffsetDateTime>,
    /// The body as sent (the same on every try).
    pub body: serde_json::Value,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DeliveryPage {
    pub total: u64,
    pub limit: u32,
    pub offset: u32,
    /// The newest first.
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Deserialize)]
pub struct Paging {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub fn delivery_view(d: store::Delivery) -> DeliveryView {
    let state = d.state();
    DeliveryView {
        id: d.id,
        event: d.event,
        state,
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error,
        created_at: d.created_at,
        delivered_at: d.delivered_at,
        next_attempt_at: (state == "waiting").then_some(d.next_attempt_at),
        body: serde_json::from_str(&d.body).unwrap_or(serde_json::Value::Null),
    }
}

pub async fn list_deliveries(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Path((_, webhook)): Path<(String, Uuid)>,
    Query(paging): Query<Paging>,
) -> Result<Json<DeliveryPage>, ApiError> {
    let (limit, offset) = crate::pages::paging(paging.limit, paging.offset, 50, 500)?;
    store::get(&state.db, Some(edition.id), webhook).await?;
    let (rows, total) = store::deliveries(&state.db, webhook, limit, offset).await?;
    Ok(Json(DeliveryPage {
        total: total.max(0) as u64,
        limit: limit as u32,
        offset: offset as u32,
        deliveries: rows.into_iter().map(delivery_view).collect(),
    }))
}
