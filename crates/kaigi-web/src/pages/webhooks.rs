//! Webhooks on pages: an edition's secretariat (or, for the whole site, an administrator)
//! registers the address of another system for chosen events, sees what became of every
//! delivery, tries a receiver out with a ping, redelivers, pauses and removes.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kaigi_core::webhooks::{self as rules, Event};
use kaigi_db::editions::Edition;
use kaigi_db::webhooks as store;
use uuid::Uuid;

use super::forms::{Fields, field, has};
use super::{Page, render};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};
use crate::i18n;

/// Whose webhooks a page shows: an edition's, or the site's (every event, administrators).
pub enum Owner {
    Edition(Edition),
    Site,
}

impl Owner {
    fn id(&self) -> Option<Uuid> {
        match self {
            Owner::Edition(e) => Some(e.id),
            Owner::Site => None,
        }
    }

    fn base(&self) -> String {
        match self {
            Owner::Edition(e) => format!("/editions/{}/webhooks", e.slug),
            Owner::Site => "/admin/webhooks".into(),
        }
    }

    fn site_wide(&self) -> bool {
        matches!(self, Owner::Site)
    }

    fn events(&self) -> Vec<Event> {
        Event::SUBSCRIBABLE.into_iter().filter(|e| self.site_wide() || e.of_an_edition()).collect()
    }
}

pub struct EventChoice {
    pub name: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct WebhookRow {
    pub href: String,
    pub url: String,
    /// The address as the list shows it: a long one is cut, the whole in its title.
    pub url_shown: String,
    pub events: String,
    pub active: bool,
    pub delivered: i64,
    pub waiting: i64,
    pub given_up: i64,
}

#[derive(Template)]
#[template(path = "webhooks.html")]
pub struct WebhooksPage {
    pub page: Page,
    pub back: String,
    pub back_label: String,
    pub action: String,
    pub rows: Vec<WebhookRow>,
    pub choices: Vec<EventChoice>,
    pub url: String,
    pub error: Option<String>,
    /// The secret of the webhook just made, shown this once.
    pub new_secret: Option<String>,
    pub private_targets: bool,
}

/// At most `keep` characters of a text, with an ellipsis when cut.
fn event_label(page: &Page, event: Event) -> String {
    page.t(&format!("webhook-event-{}", event.name().replace('.', "-")))
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    owner: &Owner,
    typed: Option<(&str, Vec<Event>)>,
    error: Option<String>,
    new_secret: Option<String>,
) -> AppResult<Response> {
    let page = Page::titled(ctx, "webhooks-title");
    let tallies = store::tallies(&state.db, owner.id()).await?;
    let rows = store::list(&state.db, owner.id())
        .await?
        .into_iter()
        .map(|w| {
            let tally = tallies.get(&w.id).cloned().unwrap_or_default();
            WebhookRow {
                href: format!("{}/{}", owner.base(), w.id),
                events: w.events().into_iter().map(|e| event_label(&page, e)).collect::<Vec<_>>().join(" · "),
                url_shown: kaigi_core::webhooks::shorten(&w.url, 80),
                url: w.url,
                active: w.active,
                delivered: tally.delivered,
                waiting: tally.waiting,
                given_up: tally.given_up,
            }
        })
        .collect();
    let (url, chosen) = typed.unwrap_or(("", Vec::new()));
    let choices = owner
        .events()
        .into_iter()
        .map(|e| EventChoice { name: e.name(), label: event_label(&page, e), checked: chosen.contains(&e) })
        .collect();
    let (back, back_label) = match owner {
        Owner::Edition(e) => (format!("/editions/{}/manage", e.slug), page.pick(&e.name, &e.name_ja).to_owned()),
        Owner::Site => ("/admin".into(), page.t("nav-admin")),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let secret_shown = new_secret.is_some();
    let html = render(&WebhooksPage {
        page,
        back,
        back_label,
        action: owner.base(),
        rows,
        choices,
        url: url.to_owned(),
        error,
        new_secret,
        private_targets: state.config.webhook_private_targets,
    })?;
    let mut response = (status, html).into_response();
    if secret_shown {
        // The secret is in this page: no cache may keep it.
        response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

async fn create(state: &AppState, ctx: &Ctx, owner: &Owner, fields: &Fields) -> AppResult<Response> {
    let url = field(fields, "url");
    let names: Vec<&str> = fields.iter().filter(|(k, _)| k == "event").map(|(_, v)| v.as_str()).collect();
    let typed_events: Vec<Event> = names.iter().filter_map(|n| Event::parse(n)).collect();
    let secret = field(fields, "secret");
    let made = async {
        let target = rules::check_url(&rules::as_typed(url), state.config.webhook_private_targets)
            .map_err(kaigi_db::DbError::from)?;
        let events = rules::choose_events(names.iter().copied(), owner.site_wide()).map_err(kaigi_db::DbError::from)?;
        let secret = if secret.is_empty() { crate::api::webhooks::new_secret() } else { secret.to_owned() };
        store::create(&state.db, &ctx.actor(), owner.id(), &target, &events, &secret).await?;
        Ok::<_, kaigi_db::DbError>(secret)
    }
    .await;
    match made {
        Ok(secret) => list_page(state, ctx, owner, None, None, Some(secret)).await,
        Err(e) if e.is_refusal() => {
            let error = AppError::from(e).message(ctx.lang);
            list_page(state, ctx, owner, Some((url, typed_events)), Some(error), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct DeliveryRow {
    pub id: String,
    pub at: String,
    pub event: String,
    pub state: &'static str,
    pub state_label: String,
    pub attempts: i64,
    pub status: String,
    pub error: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "webhook.html")]
pub struct WebhookPage {
    pub page: Page,
    pub back: String,
    pub action: String,
    pub url: String,
    pub events: String,
    pub active: bool,
    pub rows: Vec<DeliveryRow>,
    pub total: i64,
    pub shown: String,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub notice: Option<String>,
}

const PER_PAGE: i64 = 50;

async fn show(
    state: &AppState,
    ctx: &Ctx,
    owner: &Owner,
    id: Uuid,
    offset: i64,
    notice: Option<&str>,
) -> AppResult<Response> {
    let webhook = store::get(&state.db, owner.id(), id).await?;
    let page = Page::new(ctx, format!("{} — {}", i18n::t(ctx.lang, "webhooks-title"), webhook.url));
    let offset = offset.clamp(0, super::MAX_OFFSET);
    let (deliveries, total) = store::deliveries(&state.db, id, PER_PAGE, offset).await?;
    let rows = deliveries
        .into_iter()
        .map(|d| {
            let state = d.state();
            let state_label = match state {
                "waiting" => format!(
                    "{} ({} {})",
                    page.t("webhook-state-waiting"),
                    page.t("webhook-next-try"),
                    i18n::format_timestamp(ctx.lang, d.next_attempt_at)
                ),
                other => page.t(&format!("webhook-state-{other}")),
            };
            let body = serde_json::from_str::<serde_json::Value>(&d.body)
                .and_then(|v| serde_json::to_string_pretty(&v))
                .unwrap_or(d.body.clone());
            DeliveryRow {
                id: d.id.to_string(),
                at: i18n::format_timestamp(ctx.lang, d.created_at),
                event: Event::parse(&d.event).map_or(d.event.clone(), |e| event_label(&page, e)),
                state,
                state_label,
                attempts: d.attempts,
                status: d.last_status.map(|s| s.to_string()).unwrap_or_default(),
                error: d.last_error.unwrap_or_default(),
                body,
            }
        })
        .collect::<Vec<_>>();
    let base = format!("{}/{}", owner.base(), id);
    let shown = if rows.is_empty() {
        String::new()
    } else {
        format!("{}–{} / {total}", offset + 1, offset + rows.len() as i64)
    };
    let html = render(&WebhookPage {
        back: owner.base(),
        action: base.clone(),
        url: webhook.url.clone(),
        events: webhook.events().into_iter().map(|e| event_label(&page, e)).collect::<Vec<_>>().join(" · "),
        active: webhook.active,
        newer: (offset > 0).then(|| format!("{base}?offset={}", (offset - PER_PAGE).max(0))),
        older: (offset + PER_PAGE < total).then(|| format!("{base}?offset={}", offset + PER_PAGE)),
        rows,
        total,
        shown,
        notice: notice.map(|key| page.t(key)),
        page,
    })?;
    Ok(html.into_response())
}

/// One of the webhook page's buttons.
async fn act(state: &AppState, ctx: &Ctx, owner: &Owner, id: Uuid, fields: &Fields) -> AppResult<Response> {
    let base = format!("{}/{}", owner.base(), id);
    let actor = ctx.actor();
    let done = match field(fields, "action") {
        "ping" => {
            store::ping(&state.db, &actor, owner.id(), id).await?;
            "pinged"
        }
        "pause" => {
            store::set_active(&state.db, &actor, owner.id(), id, false).await?;
            "paused"
        }
        "resume" => {
            store::set_active(&state.db, &actor, owner.id(), id, true).await?;
            "resumed"
        }
        "redeliver" => {
            let delivery =
                Uuid::parse_str(field(fields, "delivery")).map_err(|_| AppError::form_tampered("delivery"))?;
            store::redeliver(&state.db, &actor, owner.id(), id, delivery).await?;
            "redelivered"
        }
        "delete" => {
            if !has(fields, "confirm") {
                return Err(AppError::refused("error-webhook-confirm"));
            }
            store::delete(&state.db, &actor, owner.id(), id).await?;
            return Ok(Redirect::to(&owner.base()).into_response());
        }
        other => return Err(AppError::not_a_choice("action", other)),
    };
    Ok(Redirect::to(&format!("{base}?done={done}")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct WebhookQuery {
    pub offset: Option<i64>,
    pub done: Option<String>,
}

/// A webhook's id from the path; anything else is not found.
fn id_of(text: &str) -> AppResult<Uuid> {
    Uuid::parse_str(text).map_err(|_| AppError::NotFound)
}

fn notice_key(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "pinged" => Some("webhook-done-pinged"),
        "paused" => Some("webhook-done-paused"),
        "resumed" => Some("webhook-done-resumed"),
        "redelivered" => Some("webhook-done-redelivered"),
        _ => None,
    }
}

pub async fn show_edition_webhooks(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
) -> AppResult<Response> {
    list_page(&state, &ctx, &Owner::Edition(edition), None, None, None).await
}

pub async fn create_edition_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    axum::Form(fields): axum::Form<Fields>,
) -> AppResult<Response> {
    create(&state, &ctx, &Owner::Edition(edition), &fields).await
}

pub async fn show_edition_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<WebhookQuery>,
) -> AppResult<Response> {
    let notice = notice_key(query.done.as_deref());
    show(&state, &ctx, &Owner::Edition(edition), id_of(&id)?, query.offset.unwrap_or(0), notice).await
}

pub async fn act_on_edition_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, String)>,
    axum::Form(fields): axum::Form<Fields>,
) -> AppResult<Response> {
    act(&state, &ctx, &Owner::Edition(edition), id_of(&id)?, &fields).await
}

pub async fn show_site_webhooks(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    list_page(&state, &ctx, &Owner::Site, None, None, None).await
}

pub async fn create_site_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(fields): axum::Form<Fields>,
) -> AppResult<Response> {
    create(&state, &ctx, &Owner::Site, &fields).await
}

pub async fn show_site_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<WebhookQuery>,
) -> AppResult<Response> {
    let notice = notice_key(query.done.as_deref());
    show(&state, &ctx, &Owner::Site, id_of(&id)?, query.offset.unwrap_or(0), notice).await
}

pub async fn act_on_site_webhook(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Fields>,
) -> AppResult<Response> {
    act(&state, &ctx, &Owner::Site, id_of(&id)?, &fields).await
}
