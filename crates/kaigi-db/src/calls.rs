//! Calls for proposals: calls and their versioned rubrics, and screening, live and at the
//! deadline. The proposals sent to a call are in `proposals`, the decisions on them in
//! `decisions`.

use crate::Run;

use kaigi_core::calls::CallSettings;
use kaigi_core::evaluation::Rubric;
use kaigi_core::problem::Problem;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, NOTHING};
use crate::{Actor, Db, DbError, DbResult, Tx, new_id, now, on_db, on_tx};

pub(crate) fn json_error(what: &str, e: serde_json::Error) -> DbError {
    DbError::Internal(format!("{what}: stored JSON is unreadable ({e})"))
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct CallRecord {
    id: Uuid,
    edition_id: Uuid,
    name: String,
    name_ja: Option<String>,
    opens_at: OffsetDateTime,
    closes_at: OffsetDateTime,
    settings: String,
    reference_completion: Option<i64>,
    screened_at: Option<OffsetDateTime>,
    version: i64,
}

/// A call as the pages and the CLI read it.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub id: Uuid,
    pub edition_id: Uuid,
    pub name: String,
    pub name_ja: Option<String>,
    pub opens_at: OffsetDateTime,
    pub closes_at: OffsetDateTime,
    pub settings: CallSettings,
    pub reference_completion: Option<i64>,
    pub screened_at: Option<OffsetDateTime>,
    pub version: i64,
}

impl Call {
    /// Organisers may write and submit now.
    pub fn is_open(&self, at: OffsetDateTime) -> bool {
        self.opens_at <= at && at < self.closes_at
    }
}

impl TryFrom<CallRecord> for Call {
    type Error = DbError;
    fn try_from(r: CallRecord) -> DbResult<Self> {
        Ok(Call {
            settings: serde_json::from_str(&r.settings).map_err(|e| json_error("call settings", e))?,
            id: r.id,
            edition_id: r.edition_id,
            name: r.name,
            name_ja: r.name_ja,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            reference_completion: r.reference_completion,
            screened_at: r.screened_at,
            version: r.version,
        })
    }
}

const CALL_COLUMNS: &str =
    "id, edition_id, name, name_ja, opens_at, closes_at, settings, reference_completion, screened_at, version";

pub async fn calls_of_edition(db: &Db, edition: Uuid) -> DbResult<Vec<Call>> {
    let sql = format!("select {CALL_COLUMNS} from calls where edition_id = $1 order by opens_at, name");
    let rows: Vec<CallRecord> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(edition).fetch_all(pool).await)?;
    rows.into_iter().map(Call::try_from).collect()
}

pub async fn call(db: &Db, id: Uuid) -> DbResult<Option<Call>> {
    let sql = format!("select {CALL_COLUMNS} from calls where id = $1");
    let row: Option<CallRecord> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?;
    row.map(Call::try_from).transpose()
}

/// What the secretariat sets on a call.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallInput {
    pub name: String,
    pub name_ja: Option<String>,
    pub opens_at: OffsetDateTime,
    pub closes_at: OffsetDateTime,
    pub settings: CallSettings,
    pub reference_completion: Option<i64>,
}

fn check_call(input: &CallInput) -> DbResult<()> {
    let mut errors = Vec::new();
    if input.name.trim().is_empty() {
        errors.push(Problem::new("error-field-empty", "name: a name is needed").with("field", "name"));
    }
    if input.closes_at <= input.opens_at {
        errors.push(
            Problem::new("error-field-end-before-start", "closes_at: the call closes before it opens")
                .with("field", "closes_at"),
        );
    }
    if let Some(c) = input.reference_completion.filter(|c| !(0..=100).contains(c)) {
        errors.push(Problem::out_of_range("reference_completion", c, 0, 100));
    }
    if let Err(e) = input.settings.check() {
        errors.extend(e);
    }
    if errors.is_empty() { Ok(()) } else { Err(errors.into()) }
}

/// Sub-themes are filed under the edition's own themes (by id).
async fn check_sub_themes(db: &Db, edition: Uuid, settings: &CallSettings) -> DbResult<()> {
    let themes = crate::editions::themes(db, edition).await?;
    if let Some(stray) = settings.sub_themes.keys().find(|t| !themes.iter().any(|theme| theme.id.to_string() == **t)) {
        return Err(DbError::refused(
            "error-sub-themes-theme-id",
            format!("sub_themes: {stray} is not a theme of this edition"),
        )
        .with("theme", stray));
    }
    Ok(())
}

/// Opens a call with the IGF's workshop rubric as its first rubric revision.
pub async fn create_call(db: &Db, actor: &Actor, edition: Uuid, input: &CallInput) -> DbResult<Uuid> {
    check_call(input)?;
    check_sub_themes(db, edition, &input.settings).await?;
    let mut tx = db.begin().await?;
    let id = new_id();
    let now = now();
    let settings = serde_json::to_string(&input.settings).map_err(|e| json_error("call settings", e))?;
    on_tx!(&mut tx, c => sqlx::query(
        "insert into calls (id, edition_id, name, name_ja, opens_at, closes_at, settings, reference_completion, version, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)")
        .bind(id).bind(edition).bind(input.name.trim()).bind(input.name_ja.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(input.opens_at).bind(input.closes_at).bind(&settings).bind(input.reference_completion).bind(now)
        .rows(c).await)?;
    insert_rubric(&mut tx, id, "", 1, &Rubric::igf_workshop()).await?;
    audit::record(&mut tx, actor, "call", &id.to_string(), "create", NOTHING, Some(input)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the call's settings made on `version`.
pub async fn update_call(db: &Db, actor: &Actor, id: Uuid, version: i64, input: &CallInput) -> DbResult<()> {
    check_call(input)?;
    let before = call(db, id).await?.ok_or(DbError::NotFound("call"))?;
    check_sub_themes(db, before.edition_id, &input.settings).await?;
    let mut tx = db.begin().await?;
    let settings = serde_json::to_string(&input.settings).map_err(|e| json_error("call settings", e))?;
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "update calls set name = $3, name_ja = $4, opens_at = $5, closes_at = $6, settings = $7, reference_completion = $8,
         version = version + 1, updated_at = $9 where id = $1 and version = $2")
        .bind(id).bind(version).bind(input.name.trim()).bind(input.name_ja.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(input.opens_at).bind(input.closes_at).bind(&settings).bind(input.reference_completion).bind(now())
        .rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "the call" });
    }
    audit::record(&mut tx, actor, "call", &id.to_string(), "update", Some(&before), Some(input)).await?;
    tx.commit().await
}

async fn insert_rubric(tx: &mut Tx, call: Uuid, session_type: &str, revision: i64, rubric: &Rubric) -> DbResult<Uuid> {
    let id = new_id();
    let body = serde_json::to_string(rubric).map_err(|e| json_error("rubric", e))?;
    on_tx!(tx, c => sqlx::query(
        "insert into rubrics (id, call_id, session_type, revision, body, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
        .bind(id).bind(call).bind(session_type).bind(revision).bind(&body).bind(now())
        .rows(c).await)?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct RubricRecord {
    id: Uuid,
    session_type: String,
    revision: i64,
    body: String,
    locked_at: Option<OffsetDateTime>,
}

/// One revision of a rubric.
#[derive(Debug, Clone, Serialize)]
pub struct RubricRevision {
    pub id: Uuid,
    /// Empty: every session type without a rubric of its own.
    pub session_type: String,
    pub revision: i64,
    pub rubric: Rubric,
    pub locked_at: Option<OffsetDateTime>,
}

impl TryFrom<RubricRecord> for RubricRevision {
    type Error = DbError;
    fn try_from(r: RubricRecord) -> DbResult<Self> {
        Ok(RubricRevision {
            rubric: serde_json::from_str(&r.body).map_err(|e| json_error("rubric", e))?,
            id: r.id,
            session_type: r.session_type,
            revision: r.revision,
            locked_at: r.locked_at,
        })
    }
}

/// The latest revision of each of the call's rubrics (the general one first).
pub async fn rubrics(db: &Db, call: Uuid) -> DbResult<Vec<RubricRevision>> {
    let rows: Vec<RubricRecord> = on_db!(db, pool => sqlx::query_as(
        "select r.id, r.session_type, r.revision, r.body, r.locked_at from rubrics r
         where r.call_id = $1 and r.revision = (select max(x.revision) from rubrics x where x.call_id = r.call_id and x.session_type = r.session_type)
         order by r.session_type")
        .bind(call).fetch_all(pool).await)?;
    rows.into_iter().map(RubricRevision::try_from).collect()
}

/// The rubric a proposal of this type is evaluated with: its own, else the call's general one.
pub async fn rubric_for(db: &Db, call: Uuid, session_type: &str) -> DbResult<RubricRevision> {
    let all = rubrics(db, call).await?;
    let pick =
        all.iter().find(|r| r.session_type == session_type).or_else(|| all.iter().find(|r| r.session_type.is_empty()));
    pick.cloned().ok_or(DbError::NotFound("rubric"))
}

pub async fn rubric_revision(db: &Db, id: Uuid) -> DbResult<Option<RubricRevision>> {
    let row: Option<RubricRecord> = on_db!(db, pool => sqlx::query_as(
        "select id, session_type, revision, body, locked_at from rubrics where id = $1").bind(id).fetch_optional(pool).await)?;
    row.map(RubricRevision::try_from).transpose()
}

/// Stores a new revision of the rubric for `session_type` (empty: the general one). Refused
/// once evaluation has started on the current revision (it is locked), and when `based_on`
/// is not the latest revision.
pub async fn save_rubric(
    db: &Db,
    actor: &Actor,
    call: Uuid,
    session_type: &str,
    based_on: Option<i64>,
    rubric: &Rubric,
) -> DbResult<i64> {
    rubric.check()?;
    let current = rubrics(db, call).await?.into_iter().find(|r| r.session_type == session_type);
    if let Some(current) = &current {
        if let Some(locked) = current.locked_at {
            return Err(DbError::refused(
                "error-rubric-locked",
                format!(
                    "the rubric is locked: evaluation started with revision {} on {}",
                    current.revision,
                    locked.date()
                ),
            )
            .with("revision", current.revision)
            .with("date", locked.date()));
        }
        if based_on.is_some_and(|b| b != current.revision) {
            return Err(DbError::Conflict { entity: "the rubric" });
        }
    }
    let revision = current.as_ref().map_or(1, |c| c.revision + 1);
    let mut tx = db.begin().await?;
    let id = insert_rubric(&mut tx, call, session_type, revision, rubric).await?;
    audit::record(
        &mut tx,
        actor,
        "rubric",
        &id.to_string(),
        "create",
        current.as_ref().map(|c| &c.rubric),
        Some(rubric),
    )
    .await?;
    tx.commit().await?;
    Ok(revision)
}
