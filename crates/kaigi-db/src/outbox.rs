//! The outbox: every email kaigi would send is stored first, visible to admins, and delivered
//! by whichever instance gets to it (so nothing is lost when SMTP is down or absent).

use crate::Run;
use fluent_bundle::FluentValue;
use kaigi_core::i18n::{self, Lang};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, DbResult, Tx, new_id, now, on_db, on_tx};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub sent_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
    pub attempts: i64,
    pub created_at: OffsetDateTime,
}

/// Queues a message in the caller's transaction: it exists exactly when the change that
/// caused it does.
pub async fn enqueue(tx: &mut Tx, to: &str, subject: &str, body: &str) -> DbResult<Uuid> {
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into outbox (id, to_address, subject, body, attempts, created_at, updated_at) values ($1, $2, $3, $4, 0, $5, $5)")
        .bind(id).bind(to).bind(subject).bind(body).bind(now).rows(c).await)?;
    Ok(id)
}

/// The language an address's account chose, if it has an account that chose one.
pub async fn language_of(tx: &mut Tx, email: &str) -> DbResult<Option<Lang>> {
    let chosen: Option<Option<String>> = on_tx!(tx, c => sqlx::query_scalar(
        "select language from users where lower(email) = lower($1)").bind(email.trim()).fetch_optional(c).await)?;
    Ok(chosen.flatten().as_deref().and_then(Lang::parse))
}

/// A letter in `lang` from the locale files (`mail-{name}-subject`, `mail-{name}-body`); in
/// both languages, Japanese first, when the reader's language is not known.
pub fn letter(lang: Option<Lang>, name: &str, args: &[(&str, String)]) -> (String, String) {
    let values: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, FluentValue::from(v.as_str()))).collect();
    let part = |lang, part: &str| i18n::t_args(lang, &format!("mail-{name}-{part}"), &values);
    match lang {
        Some(lang) => (part(lang, "subject"), part(lang, "body")),
        None => (
            format!("{} / {}", part(Lang::Ja, "subject"), part(Lang::En, "subject")),
            format!("{}\n\n----------\n\n{}", part(Lang::Ja, "body"), part(Lang::En, "body")),
        ),
    }
}

/// Queues a letter to `to` in the language their account chose (see [`letter`]).
pub async fn enqueue_letter(tx: &mut Tx, to: &str, name: &str, args: &[(&str, String)]) -> DbResult<Uuid> {
    let lang = language_of(tx, to).await?;
    let (subject, body) = letter(lang, name, args);
    enqueue(tx, to, &subject, &body).await
}

pub async fn list(db: &Db, limit: i64) -> DbResult<Vec<OutboxMessage>> {
    let sql = "select id, to_address, subject, body, sent_at, last_error, attempts, created_at from outbox order by id desc limit $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, OutboxMessage>(sql).bind(limit).fetch_all(pool).await)?)
}

/// Unsent messages, oldest first, that have not failed too often.
pub async fn pending(db: &Db, limit: i64) -> DbResult<Vec<OutboxMessage>> {
    let sql = "select id, to_address, subject, body, sent_at, last_error, attempts, created_at from outbox
               where sent_at is null and attempts < 5 order by id limit $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, OutboxMessage>(sql).bind(limit).fetch_all(pool).await)?)
}

/// Claims a message for sending; false when another instance already did.
pub async fn claim(db: &Db, id: Uuid, attempts_seen: i64) -> DbResult<bool> {
    let sql = "update outbox set attempts = attempts + 1, updated_at = $3 where id = $1 and attempts = $2 and sent_at is null";
    let done = on_db!(db, pool => sqlx::query(sql).bind(id).bind(attempts_seen).bind(now()).rows(pool).await)?;
    Ok(done == 1)
}

pub async fn mark_sent(db: &Db, id: Uuid) -> DbResult<()> {
    let now = now();
    on_db!(db, pool => sqlx::query("update outbox set sent_at = $2, last_error = null, updated_at = $2 where id = $1")
        .bind(id).bind(now).rows(pool).await)?;
    Ok(())
}

pub async fn mark_failed(db: &Db, id: Uuid, error: &str) -> DbResult<()> {
    on_db!(db, pool => sqlx::query("update outbox set last_error = $2, updated_at = $3 where id = $1")
        .bind(id).bind(error).bind(now()).rows(pool).await)?;
    Ok(())
}
