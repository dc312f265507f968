//! The audit log: every change to stored data records who, when and what (before and after),
//! in the same transaction as the change itself.

use crate::Run;
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, DbResult, Tx, new_id, now, on_db, on_tx};

/// Who made a change: a signed-in user, or kaigi itself acting for the CLI or the demo.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub label: String,
}

impl Actor {
    pub fn user(id: Uuid, email: &str) -> Self {
        Self { user_id: Some(id), label: email.to_owned() }
    }

    pub fn system(label: &str) -> Self {
        Self { user_id: None, label: label.to_owned() }
    }
}

/// Records one change. `before`/`after` are the entity as it was and as it is now.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> DbResult<()> {
    let before = before.map(|v| serde_json::to_string(v).unwrap_or_default());
    let after = after.map(|v| serde_json::to_string(v).unwrap_or_default());
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into audit_log (id, actor_user_id, actor_label, entity, entity_id, action, before_json, after_json, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(new_id()).bind(actor.user_id).bind(&actor.label).bind(entity).bind(entity_id).bind(action)
        .bind(before).bind(after).bind(now)
        .rows(c).await)?;
    Ok(())
}

/// No value, for a creation (nothing before) or a deletion (nothing after).
pub const NOTHING: Option<&Value> = None;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    pub actor_label: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: OffsetDateTime,
}

/// The newest entries first, optionally for one entity.
pub async fn list(db: &Db, entity: Option<&str>, limit: i64) -> DbResult<Vec<AuditEntry>> {
    let sql = "select id, actor_label, entity, entity_id, action, before_json, after_json, created_at
               from audit_log where ($1 is null or entity = $1) order by id desc limit $2";
    Ok(on_db!(db, pool => sqlx::query_as::<_, AuditEntry>(sql).bind(entity).bind(limit).fetch_all(pool).await)?)
}
