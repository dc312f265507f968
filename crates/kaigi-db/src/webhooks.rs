//! Webhooks (migration 0013): who is told of which events, and the deliveries waiting to go
//! out. A delivery is written in the transaction of the change it tells of ([`emit`]), so it
//! exists exactly when the change does; any instance may then claim it and send it (the web
//! layer's delivery loop), and a failed one waits longer each time before the next try.

use kaigi_core::webhooks::{self as rules, Event, MAX_ATTEMPTS, Target};
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{Actor, Db, DbError, DbResult, Run, Tx, audit, new_id, now, on_db, on_tx};

/// How many webhooks one edition (or the site) may have: enough for every receiver a forum
/// runs, few enough that one event cannot fan out into a flood.
pub const MAX_PER_OWNER: i64 = 20;

/// How long a claimed delivery is left to its instance before another may try it (an instance
/// that stops mid-delivery must not hold it for ever).
const LEASE: Duration = Duration::seconds(60);

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Webhook {
    pub id: Uuid,
    pub edition_id: Option<Uuid>,
    pub url: String,
    /// Event names separated by spaces ([`Webhook::events`]).
    #[serde(skip)]
    pub events: String,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Webhook {
    pub fn events(&self) -> Vec<Event> {
        rules::parse_events(&self.events)
    }
}

/// What became of a webhook's deliveries, for its line in a list.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub delivered: i64,
    pub waiting: i64,
    pub given_up: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Delivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event: String,
    #[serde(skip)]
    pub body: String,
    pub attempts: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub next_attempt_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl Delivery {
    /// `delivered`, `waiting` or `given-up`.
    pub fn state(&self) -> &'static str {
        if self.delivered_at.is_some() {
            "delivered"
        } else if self.attempts >= MAX_ATTEMPTS {
            "given-up"
        } else {
            "waiting"
        }
    }
}

/// A delivery that is due, with what sending it needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub id: Uuid,
    pub event: String,
    pub body: String,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
}

const COLUMNS: &str = "id, edition_id, url, events, active, created_at, updated_at";

/// Whose webhooks: an edition's, or the site's (those without an edition).
fn owned_by(edition: Option<Uuid>) -> &'static str {
    match edition {
        Some(_) => "edition_id = $1",
        None => "(edition_id is null and $1 is null)",
    }
}

/// Registers a webhook for `edition` (or for the whole site); the secret signs its deliveries.
pub async fn create(
    db: &Db,
    actor: &Actor,
    edition: Option<Uuid>,
    target: &Target,
    events: &[Event],
    secret: &str,
) -> DbResult<Webhook> {
    rules::check_secret(secret)?;
    let mut tx = db.begin().await?;
    let sql = format!("select count(*) from webhooks where {}", owned_by(edition));
    let count = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.as_str())).bind(edition).fetch_one(c).await)?;
    if count >= MAX_PER_OWNER {
        return Err(DbError::refused(
            "error-webhook-many",
            format!("at most {MAX_PER_OWNER} webhooks; remove one before adding another"),
        )
        .with("max", MAX_PER_OWNER));
    }
    let now = now();
    let webhook = Webhook {
        id: new_id(),
        edition_id: edition,
        url: target.url.clone(),
        events: rules::events_text(events),
        active: true,
        created_at: now,
        updated_at: now,
    };
    on_tx!(&mut tx, c => sqlx::query(
        "insert into webhooks (id, edition_id, url, secret, events, active, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
        .bind(webhook.id).bind(edition).bind(&webhook.url).bind(secret).bind(&webhook.events).bind(true)
        .bind(actor.user_id).bind(now).rows(c).await)?;
    let summary = serde_json::json!({"url": webhook.url, "events": webhook.events});
    audit::record(&mut tx, actor, "webhook", &webhook.id.to_string(), "create", None::<&()>, Some(&summary)).await?;
    tx.commit().await?;
    Ok(webhook)
}

/// An edition's webhooks (or the site's), oldest first.
pub async fn list(db: &Db, edition: Option<Uuid>) -> DbResult<Vec<Webhook>> {
    let sql = format!("select {COLUMNS} from webhooks where {} order by created_at, id", owned_by(edition));
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Webhook>(sqlx::AssertSqlSafe(sql.as_str())).bind(edition).fetch_all(pool).await)?,
    )
}

/// One webhook, only if it is the edition's (or the site's): an id from elsewhere is not found.
pub async fn get(db: &Db, edition: Option<Uuid>, id: Uuid) -> DbResult<Webhook> {
    let sql = format!("select {COLUMNS} from webhooks where {} and id = $2", owned_by(edition));
    on_db!(db, pool => sqlx::query_as::<_, Webhook>(sqlx::AssertSqlSafe(sql.as_str())).bind(edition).bind(id).fetch_optional(pool).await)?
        .ok_or(DbError::NotFound("webhook"))
}

/// What became of each webhook's deliveries.
pub async fn tallies(db: &Db, edition: Option<Uuid>) -> DbResult<std::collections::HashMap<Uuid, Tally>> {
    let sql = format!(
        "select d.webhook_id,
                sum(case when d.delivered_at is not null then 1 else 0 end),
                sum(case when d.delivered_at is null and d.attempts < $2 then 1 else 0 end),
                sum(case when d.delivered_at is null and d.attempts >= $2 then 1 else 0 end)
         from webhook_deliveries d join webhooks w on w.id = d.webhook_id
         where {} group by d.webhook_id",
        owned_by(edition).replace("edition_id", "w.edition_id")
    );
    let rows: Vec<(Uuid, i64, i64, i64)> = on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(edition).bind(MAX_ATTEMPTS).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, delivered, waiting, given_up)| (id, Tally { delivered, waiting, given_up }))
        .collect())
}

/// Turns a webhook on or off; while off, its deliveries wait and none are added.
pub async fn set_active(db: &Db, actor: &Actor, edition: Option<Uuid>, id: Uuid, active: bool) -> DbResult<Webhook> {
    let before = get(db, edition, id).await?;
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query("update webhooks set active = $2, updated_at = $3 where id = $1")
        .bind(id).bind(active).bind(now()).rows(c).await)?;
    let action = if active { "activate" } else { "deactivate" };
    audit::record(&mut tx, actor, "webhook", &id.to_string(), action, Some(&before.active), Some(&active)).await?;
    tx.commit().await?;
    get(db, edition, id).await
}

/// Removes a webhook and its delivery log.
pub async fn delete(db: &Db, actor: &Actor, edition: Option<Uuid>, id: Uuid) -> DbResult<()> {
    let before = get(db, edition, id).await?;
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query("delete from webhook_deliveries where webhook_id = $1").bind(id).rows(c).await)?;
    on_tx!(&mut tx, c => sqlx::query("delete from webhooks where id = $1").bind(id).rows(c).await)?;
    let summary = serde_json::json!({"url": before.url, "events": before.events});
    audit::record(&mut tx, actor, "webhook", &id.to_string(), "delete", Some(&summary), None::<&()>).await?;
    tx.commit().await?;
    Ok(())
}

/// The body every receiver gets: which delivery, what happened, when, in which edition, and
/// the event's own data.
fn body(delivery: Uuid, event: Event, edition: Option<Uuid>, at: OffsetDateTime, data: &serde_json::Value) -> String {
    let at = at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    serde_json::json!({"id": delivery, "event": event.name(), "occurred_at": at, "edition": edition, "data": data})
        .to_string()
}

async fn insert_delivery(
    tx: &mut Tx,
    id: Uuid,
    webhook: Uuid,
    event: Event,
    body: &str,
    now: OffsetDateTime,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "insert into webhook_deliveries (id, webhook_id, event, body, attempts, next_attempt_at, created_at, updated_at)
         values ($1, $2, $3, $4, 0, $5, $5, $5)")
        .bind(id).bind(webhook).bind(event.name()).bind(body).bind(now).rows(c).await)?;
    Ok(())
}

/// Queues `event` for every active webhook that listens to it: the edition's and the site's.
/// Called inside the transaction of the change, so a change that is rolled back tells no one.
pub async fn emit(tx: &mut Tx, edition: Option<Uuid>, event: Event, data: &serde_json::Value) -> DbResult<usize> {
    let hooks: Vec<(Uuid, String)> = match edition.filter(|_| event.of_an_edition()) {
        Some(edition) => on_tx!(tx, c => sqlx::query_as(
            "select id, events from webhooks where active = $2 and (edition_id = $1 or edition_id is null)")
            .bind(edition).bind(true).fetch_all(c).await)?,
        None => on_tx!(tx, c => sqlx::query_as(
            "select id, events from webhooks where active = $1 and edition_id is null")
            .bind(true).fetch_all(c).await)?,
    };
    let now = now();
    let mut queued = 0;
    for (webhook, events) in hooks {
        if rules::parse_events(&events).contains(&event) {
            let id = new_id();
            insert_delivery(tx, id, webhook, event, &body(id, event, edition, now, data), now).await?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues a `ping` to one webhook, to try its receiver out.
pub async fn ping(db: &Db, actor: &Actor, edition: Option<Uuid>, id: Uuid) -> DbResult<()> {
    let webhook = get(db, edition, id).await?;
    let mut tx = db.begin().await?;
    let now = now();
    let data = serde_json::json!({"webhook": webhook.id, "url": webhook.url});
    let delivery = new_id();
    insert_delivery(&mut tx, delivery, webhook.id, Event::Ping, &body(delivery, Event::Ping, edition, now, &data), now)
        .await?;
    audit::record(&mut tx, actor, "webhook", &id.to_string(), "ping", None::<&()>, None::<&()>).await?;
    tx.commit().await?;
    Ok(())
}

/// A webhook's deliveries, newest first, and how many there are in all.
pub async fn deliveries(db: &Db, webhook: Uuid, limit: i64, offset: i64) -> DbResult<(Vec<Delivery>, i64)> {
    let sql = "select id, webhook_id, event, body, attempts, next_attempt_at, delivered_at, last_status, last_error, created_at
               from webhook_deliveries where webhook_id = $1 order by created_at desc, id desc limit $2 offset $3";
    let rows = on_db!(db, pool => sqlx::query_as::<_, Delivery>(sql).bind(webhook).bind(limit).bind(offset).fetch_all(pool).await)?;
    let total = on_db!(db, pool => sqlx::query_scalar::<_, i64>("select count(*) from webhook_deliveries where webhook_id = $1")
        .bind(webhook).fetch_one(pool).await)?;
    Ok((rows, total))
}

/// Sends a delivery again at once (after the receiver was mended), with a fresh count of tries.
pub async fn redeliver(db: &Db, actor: &Actor, edition: Option<Uuid>, webhook: Uuid, delivery: Uuid) -> DbResult<()> {
    get(db, edition, webhook).await?;
    let mut tx = db.begin().await?;
    let done = on_tx!(&mut tx, c => sqlx::query(
        "update webhook_deliveries set attempts = 0, next_attempt_at = $3, delivered_at = null, updated_at = $3
         where id = $1 and webhook_id = $2")
        .bind(delivery).bind(webhook).bind(now()).rows(c).await)?;
    if done == 0 {
        return Err(DbError::NotFound("delivery"));
    }
    audit::record(&mut tx, actor, "webhook", &webhook.to_string(), "redeliver", None::<&()>, Some(&delivery)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deliveries whose time has come, of active webhooks, oldest first.
pub async fn due(db: &Db, limit: i64) -> DbResult<Vec<Due>> {
    let sql = "select d.id, d.event, d.body, d.attempts, w.url, w.secret
               from webhook_deliveries d join webhooks w on w.id = d.webhook_id
               where d.delivered_at is null and d.attempts < $1 and d.next_attempt_at <= $2 and w.active = $3
               order by d.next_attempt_at, d.id limit $4";
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Due>(sql).bind(MAX_ATTEMPTS).bind(now()).bind(true).bind(limit).fetch_all(pool).await)?,
    )
}

/// Claims a due delivery for this instance: false when another instance claimed it first.
/// The claim counts as a try and holds the delivery for a minute.
pub async fn claim(db: &Db, id: Uuid, attempts_seen: i64) -> DbResult<bool> {
    let now = now();
    let sql = "update webhook_deliveries set attempts = attempts + 1, next_attempt_at = $3, updated_at = $4
               where id = $1 and attempts = $2 and delivered_at is null";
    let done =
        on_db!(db, pool => sqlx::query(sql).bind(id).bind(attempts_seen).bind(now + LEASE).bind(now).rows(pool).await)?;
    Ok(done == 1)
}

/// What the receiver answered to a claimed delivery: its status (none when it could not be
/// reached) and, on failure, why; a failure waits before the next try.
pub async fn record_attempt(
    db: &Db,
    id: Uuid,
    attempts: i64,
    status: Option<u16>,
    error: Option<&str>,
) -> DbResult<()> {
    let now = now();
    let delivered = error.is_none();
    let next = match rules::retry_after(attempts) {
        Some(wait) if !delivered => now + Duration::try_from(wait).unwrap_or(Duration::HOUR),
        _ => now,
    };
    let sql = "update webhook_deliveries set delivered_at = $2, last_status = $3, last_error = $4, next_attempt_at = $5, updated_at = $6
               where id = $1";
    on_db!(db, pool => sqlx::query(sql)
        .bind(id).bind(delivered.then_some(now)).bind(status.map(i32::from)).bind(error).bind(next).bind(now)
        .rows(pool).await)?;
    Ok(())
}
