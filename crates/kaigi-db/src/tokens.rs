//! Personal API tokens (migration 0012). A token acts for its holder through the JSON API with
//! the holder's roles, limited to reading when its scope is `read`. Only its SHA-256 is stored:
//! the token itself is shown once, when it is made. Expired and revoked tokens are refused.

use kaigi_core::access::TokenScope;
use serde::Serialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::accounts::{self, SessionUser};
use crate::{Actor, Db, DbError, DbResult, Run, audit, new_id, now, on_db, on_tx};

/// Every token starts so, for secret scanners and for people reading a configuration file.
pub const PREFIX: &str = "kaigi_";
/// The longest a token lives: a year and a day.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub scope: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

impl ApiToken {
    pub fn usable(&self, at: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at > at
    }
}

/// Makes a token for `user`; returns it with the secret, which is not kept.
pub async fn create(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    name: &str,
    scope: TokenScope,
    days: i64,
) -> DbResult<(ApiToken, String)> {
    let name = name.trim();
    let count = name.chars().count();
    if count == 0 || count > 100 {
        return Err(DbError::length("name", count, 1, 100));
    }
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(DbError::refused("error-token-days", format!("days: from 1 to {MAX_DAYS}, not {days}"))
            .with("value", days)
            .with("max", MAX_DAYS));
    }
    let (secret, _) = accounts::new_token();
    let secret = format!("{PREFIX}{secret}");
    let now = now();
    let token = ApiToken {
        id: new_id(),
        name: name.to_owned(),
        scope: scope.code().to_owned(),
        created_at: now,
        expires_at: now + Duration::days(days),
        revoked_at: None,
        last_used_at: None,
    };
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, c => sqlx::query(
        "insert into api_tokens (id, user_id, name, token_hash, scope, expires_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(token.id).bind(user).bind(&token.name).bind(accounts::token_hash(&secret)).bind(&token.scope)
        .bind(token.expires_at).bind(now).rows(c).await)?;
    let summary = serde_json::json!({"token": token.id, "name": token.name, "scope": token.scope, "days": days});
    audit::record(&mut tx, actor, "user", &user.to_string(), "create-token", None::<&()>, Some(&summary)).await?;
    tx.commit().await?;
    Ok((token, secret))
}

/// A user's tokens, the newest first (revoked and expired ones too, so they can be told apart).
pub async fn of_user(db: &Db, user: Uuid) -> DbResult<Vec<ApiToken>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, ApiToken>(
        "select id, name, scope, created_at, expires_at, revoked_at, last_used_at from api_tokens
         where user_id = $1 order by created_at desc, id").bind(user).fetch_all(pool).await)?)
}

/// Revokes one of `user`'s tokens at once. Someone else's token is "not found".
pub async fn revoke(db: &Db, actor: &Actor, user: Uuid, token: Uuid) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let now = now();
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "update api_tokens set revoked_at = coalesce(revoked_at, $3), updated_at = $3 where id = $1 and user_id = $2")
        .bind(token).bind(user).bind(now).rows(c).await)?;
    if changed == 0 {
        return Err(DbError::NotFound("token"));
    }
    audit::record(&mut tx, actor, "user", &user.to_string(), "revoke-token", None::<&()>, Some(&token)).await?;
    tx.commit().await?;
    Ok(())
}

/// Who a token acts for, and what it may do; none when it is unknown, expired or revoked, or
/// its holder's account is closed.
pub async fn holder(db: &Db, secret: &str) -> DbResult<Option<(Uuid, SessionUser, TokenScope)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        user_id: Uuid,
        scope: String,
        expires_at: OffsetDateTime,
        revoked_at: Option<OffsetDateTime>,
        last_used_at: Option<OffsetDateTime>,
    }
    let row: Option<Row> = on_db!(db, pool => sqlx::query_as(
        "select id, user_id, scope, expires_at, revoked_at, last_used_at from api_tokens where token_hash = $1")
        .bind(accounts::token_hash(secret)).fetch_optional(pool).await)?;
    let now = now();
    let Some(Row { id, user_id, scope, expires_at, revoked_at, last_used_at }) = row else { return Ok(None) };
    if revoked_at.is_some() || expires_at <= now {
        return Ok(None);
    }
    let Ok(scope) = scope.parse::<TokenScope>() else { return Ok(None) };
    let Some(user) = accounts::get_user(db, user_id).await?.filter(|u| u.active) else { return Ok(None) };
    let grants = accounts::grants_of(db, user.id).await?;
    // When it was last used, to the minute: not a write on every request.
    if last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
        on_db!(db, pool => sqlx::query("update api_tokens set last_used_at = $2 where id = $1")
            .bind(id).bind(now).rows(pool).await)?;
    }
    Ok(Some((id, SessionUser { session_id: id, user, grants }, scope)))
}
