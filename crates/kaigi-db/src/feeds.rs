//! Calendar feeds: a person's agenda of one edition at a secret URL that calendar apps fetch
//! without cookies. Only the token's hash is kept; a new feed ends the old URL.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::{new_token, token_hash};
use crate::audit::{self, Actor, NOTHING};
use crate::{Db, DbResult, Run, new_id, now, on_db, on_tx};

/// Makes the person's feed of the edition, ending any earlier one; returns the token for the
/// URL (shown once).
pub async fn create(db: &Db, actor: &Actor, user: Uuid, edition: Uuid) -> DbResult<String> {
    let (token, hash) = new_token();
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query("delete from calendar_feeds where user_id = $1 and edition_id = $2")
        .bind(user).bind(edition).rows(c).await)?;
    on_tx!(&mut tx, c => sqlx::query(
        "insert into calendar_feeds (id, user_id, edition_id, token_hash, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
        .bind(new_id()).bind(user).bind(edition).bind(&hash).bind(now()).rows(c).await)?;
    audit::record(&mut tx, actor, "calendar-feed", &edition.to_string(), "create", NOTHING, NOTHING).await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends the person's feed of the edition (its URL answers 404 from now on).
pub async fn stop(db: &Db, actor: &Actor, user: Uuid, edition: Uuid) -> DbResult<()> {
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query("delete from calendar_feeds where user_id = $1 and edition_id = $2")
        .bind(user).bind(edition).rows(c).await)?;
    audit::record(&mut tx, actor, "calendar-feed", &edition.to_string(), "stop", NOTHING, NOTHING).await?;
    tx.commit().await
}

/// When the person's feed of the edition was made, if there is one.
pub async fn made_at(db: &Db, user: Uuid, edition: Uuid) -> DbResult<Option<OffsetDateTime>> {
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, OffsetDateTime>(
        "select created_at from calendar_feeds where user_id = $1 and edition_id = $2")
        .bind(user).bind(edition).fetch_optional(pool).await)?)
}

/// Whose feed of which edition a token opens: (user, edition).
pub async fn find(db: &Db, token: &str) -> DbResult<Option<(Uuid, Uuid)>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, (Uuid, Uuid)>(
        "select f.user_id, f.edition_id from calendar_feeds f join users u on u.id = f.user_id
         where f.token_hash = $1 and u.active")
        .bind(token_hash(token)).fetch_optional(pool).await)?)
}
