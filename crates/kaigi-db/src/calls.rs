//! Calls for proposals: calls and their versioned rubrics, proposals written by organisers
//! (drafts, revisions, submission and withdrawal until the deadline), the people on them
//! (from the directory or invited by email, confirming through a link), screening live and at
//! the deadline, and the secretariat's decisions with their notifications.

use crate::Run;
use std::collections::{BTreeMap, HashMap};

use kaigi_core::calls::{CallSettings, ProposalFields};
use kaigi_core::directory::PersonName;
use kaigi_core::evaluation::Rubric;
use kaigi_core::i18n::{self, Lang};
use kaigi_core::problem::Problem;
use kaigi_core::programme::ProposalStatus;
use kaigi_core::screening::{self, CallContext, Outcome, Part, Participant, Rule};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, NOTHING};
use crate::{Actor, Db, DbError, DbResult, Tx, accounts, new_id, now, on_db, on_tx, outbox};

fn json_error(what: &str, e: serde_json::Error) -> DbError {
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

/// Opens a call with the IGF's workshop rubric as its first rubric revision.
pub async fn create_call(db: &Db, actor: &Actor, edition: Uuid, input: &CallInput) -> DbResult<Uuid> {
    check_call(input)?;
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

// ---------------------------------------------------------------------------------------------
// Proposals

#[derive(Debug, Clone, sqlx::FromRow)]
struct ProposalRecord {
    id: Uuid,
    edition_id: Uuid,
    call_id: Option<Uuid>,
    owner_user_id: Option<Uuid>,
    title: String,
    session_type: String,
    theme_id: Option<Uuid>,
    description: String,
    status: String,
    fields: String,
    version: i64,
    submitted_at: Option<OffsetDateTime>,
    screening: Option<String>,
    decision: Option<String>,
    conditions: Option<String>,
    merged_into: Option<Uuid>,
    decided_at: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
}

const PROPOSAL_COLUMNS: &str =
    "id, edition_id, call_id, owner_user_id, title, session_type, theme_id, description, status, fields, version,
     submitted_at, screening, decision, conditions, merged_into, decided_at, updated_at";

/// A proposal with everything but its people.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub id: Uuid,
    pub edition_id: Uuid,
    pub call_id: Option<Uuid>,
    pub owner_user_id: Option<Uuid>,
    pub fields: ProposalFields,
    pub status: String,
    pub version: i64,
    pub submitted_at: Option<OffsetDateTime>,
    /// The screening outcomes stored at the deadline.
    pub screening: Option<Vec<StoredOutcome>>,
    pub decision: Option<String>,
    pub conditions: Vec<Rule>,
    pub merged_into: Option<Uuid>,
    pub decided_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// A screening outcome as stored at the deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredOutcome {
    pub rule: Rule,
    pub passed: bool,
    pub found: usize,
    pub needed: usize,
    pub names: Vec<String>,
}

impl From<&Outcome> for StoredOutcome {
    fn from(o: &Outcome) -> Self {
        StoredOutcome {
            rule: o.rule.clone(),
            passed: o.passed,
            found: o.found,
            needed: o.needed,
            names: o.names.clone(),
        }
    }
}

impl From<StoredOutcome> for Outcome {
    fn from(o: StoredOutcome) -> Self {
        Outcome { rule: o.rule, passed: o.passed, found: o.found, needed: o.needed, names: o.names }
    }
}

/// The part of [`ProposalFields`] kept in the `fields` column.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ExtraFields {
    #[serde(default)]
    sub_theme: String,
    #[serde(default)]
    policy_questions: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    expected_audience: Option<i64>,
    #[serde(default)]
    hybrid_plan: String,
    #[serde(default)]
    links: String,
    #[serde(default)]
    answers: BTreeMap<String, String>,
}

impl TryFrom<ProposalRecord> for Proposal {
    type Error = DbError;
    fn try_from(r: ProposalRecord) -> DbResult<Self> {
        let extra: ExtraFields = serde_json::from_str(&r.fields).map_err(|e| json_error("proposal fields", e))?;
        Ok(Proposal {
            fields: ProposalFields {
                title: r.title,
                session_type: r.session_type,
                theme: r.theme_id.map(|t| t.to_string()),
                sub_theme: extra.sub_theme,
                description: r.description,
                policy_questions: extra.policy_questions,
                format: extra.format,
                expected_audience: extra.expected_audience,
                hybrid_plan: extra.hybrid_plan,
                links: extra.links,
                answers: extra.answers,
            },
            screening: r
                .screening
                .map(|s| serde_json::from_str(&s).map_err(|e| json_error("screening", e)))
                .transpose()?,
            conditions: r
                .conditions
                .map(|s| serde_json::from_str(&s).map_err(|e| json_error("conditions", e)))
                .transpose()?
                .unwrap_or_default(),
            id: r.id,
            edition_id: r.edition_id,
            call_id: r.call_id,
            owner_user_id: r.owner_user_id,
            status: r.status,
            version: r.version,
            submitted_at: r.submitted_at,
            decision: r.decision,
            merged_into: r.merged_into,
            decided_at: r.decided_at,
            updated_at: r.updated_at,
        })
    }
}

fn extra_of(fields: &ProposalFields) -> DbResult<String> {
    serde_json::to_string(&ExtraFields {
        sub_theme: fields.sub_theme.trim().to_owned(),
        policy_questions: fields.policy_questions.clone(),
        format: fields.format.clone(),
        expected_audience: fields.expected_audience,
        hybrid_plan: fields.hybrid_plan.clone(),
        links: fields.links.clone(),
        answers: fields
            .answers
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    })
    .map_err(|e| json_error("proposal fields", e))
}

pub async fn proposal(db: &Db, id: Uuid) -> DbResult<Option<Proposal>> {
    let sql = format!("select {PROPOSAL_COLUMNS} from proposals where id = $1");
    let row: Option<ProposalRecord> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?;
    row.map(Proposal::try_from).transpose()
}

/// The call's proposals, oldest first.
pub async fn proposals_of_call(db: &Db, call: Uuid) -> DbResult<Vec<Proposal>> {
    let sql = format!("select {PROPOSAL_COLUMNS} from proposals where call_id = $1 order by created_at, id");
    let rows: Vec<ProposalRecord> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(call).fetch_all(pool).await)?;
    rows.into_iter().map(Proposal::try_from).collect()
}

/// The proposals a user owns or organises (through their person), newest first.
pub async fn proposals_of_user(db: &Db, user: Uuid) -> DbResult<Vec<Proposal>> {
    let sql = format!(
        "select {PROPOSAL_COLUMNS} from proposals where owner_user_id = $1 or id in (
           select pp.proposal_id from proposal_people pp join users u on u.person_id = pp.person_id
           where u.id = $1 and pp.role in ('organiser', 'co-organiser'))
         order by updated_at desc"
    );
    let rows: Vec<ProposalRecord> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user).fetch_all(pool).await)?;
    rows.into_iter().map(Proposal::try_from).collect()
}

/// May this user edit the proposal (its owner, or an organiser or co-organiser on it)?
pub async fn organises(db: &Db, user: Uuid, proposal: Uuid) -> DbResult<bool> {
    let n = on_db!(db, pool => sqlx::query_scalar::<_, i64>(
        "select count(*) from proposals p where p.id = $2 and (p.owner_user_id = $1 or exists (
           select 1 from proposal_people pp join users u on u.person_id = pp.person_id
           where pp.proposal_id = p.id and u.id = $1 and pp.role in ('organiser', 'co-organiser')))")
        .bind(user).bind(proposal).fetch_one(pool).await)?;
    Ok(n > 0)
}

async fn snapshot(tx: &mut Tx, actor: &Actor, proposal: Uuid) -> DbResult<()> {
    let sql = format!("select {PROPOSAL_COLUMNS} from proposals where id = $1");
    let row: ProposalRecord =
        on_tx!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(proposal).fetch_one(c).await)?;
    let version = row.version;
    let current = Proposal::try_from(row)?;
    let body = serde_json::to_string(&current.fields).map_err(|e| json_error("revision", e))?;
    on_tx!(&mut *tx, c => sqlx::query(
        "insert into proposal_revisions (id, proposal_id, revision, snapshot, actor_label, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)")
        .bind(new_id()).bind(proposal).bind(version).bind(&body).bind(&actor.label).bind(now())
        .rows(c).await)?;
    Ok(())
}

/// The user's person in the directory, created from their account when they have none.
async fn person_of_user(tx: &mut Tx, actor: &Actor, user: Uuid) -> DbResult<Uuid> {
    let row: (String, String, Option<Uuid>) = on_tx!(&mut *tx, c => sqlx::query_as(
        "select email, display_name, person_id from users where id = $1").bind(user).fetch_one(c).await)?;
    if let Some(person) = row.2 {
        return Ok(person);
    }
    let name = PersonName::parse(&row.1, None, None)?;
    let mut input = crate::directory::PersonInput::named(name);
    input.email = Some(row.0);
    let person = crate::directory::create_person(tx, actor, &input).await?;
    on_tx!(&mut *tx, c => sqlx::query("update users set person_id = $2 where id = $1").bind(user).bind(person)
        .rows(c).await)?;
    Ok(person)
}

fn check_fields(call: &Call, fields: &ProposalFields) -> DbResult<()> {
    let errors = fields.invalid(&call.settings);
    if errors.is_empty() { Ok(()) } else { Err(errors.into()) }
}

fn theme_id(fields: &ProposalFields) -> DbResult<Option<Uuid>> {
    fields
        .theme
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(|t| {
            Uuid::parse_str(t).map_err(|_| {
                DbError::refused("error-field-choice", format!("theme: {t:?} is not a theme"))
                    .with("field", "theme")
                    .with("value", t)
            })
        })
        .transpose()
}

/// Starts a draft proposal in an open call; its writer is its owner and first organiser.
pub async fn create_proposal(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    call: &Call,
    fields: &ProposalFields,
) -> DbResult<Uuid> {
    if !call.is_open(now()) {
        return Err(DbError::Refused {
            key: "error-call-not-open",
            args: Vec::new(),
            english: "the call is not open".into(),
        });
    }
    check_fields(call, fields)?;
    let extra = extra_of(fields)?;
    let theme = theme_id(fields)?;
    let mut tx = db.begin().await?;
    let id = new_id();
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into proposals (id, edition_id, call_id, owner_user_id, title, session_type, theme_id, description, status, fields, version, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, 1, $10, $10)")
        .bind(id).bind(call.edition_id).bind(call.id).bind(user).bind(fields.title.trim()).bind(&fields.session_type)
        .bind(theme).bind(&fields.description).bind(&extra).bind(now)
        .rows(c).await)?;
    let person = person_of_user(&mut tx, actor, user).await?;
    on_tx!(&mut tx, c => sqlx::query(
        "insert into proposal_people (id, proposal_id, person_id, role, onsite, confirmed, position, created_at, updated_at)
         values ($1, $2, $3, 'organiser', true, true, 0, $4, $4)")
        .bind(new_id()).bind(id).bind(person).bind(now).rows(c).await)?;
    audit::record(&mut tx, actor, "proposal", &id.to_string(), "create", NOTHING, Some(fields)).await?;
    snapshot(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit made on `version`, while the call is open; every save is a revision.
pub async fn update_proposal(db: &Db, actor: &Actor, id: Uuid, version: i64, fields: &ProposalFields) -> DbResult<()> {
    let before = proposal(db, id).await?.ok_or(DbError::NotFound("proposal"))?;
    let call = editable_call(db, &before).await?;
    check_fields(&call, fields)?;
    if before.status == "submitted" {
        let missing = fields.missing(&call.settings);
        if !missing.is_empty() {
            return Err(DbError::refused(
                "error-proposal-incomplete",
                format!("a submitted proposal needs: {}", missing.join(", ")),
            )
            .with("fields", missing.join(", ")));
        }
    }
    let extra = extra_of(fields)?;
    let theme = theme_id(fields)?;
    let mut tx = db.begin().await?;
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "update proposals set title = $3, session_type = $4, theme_id = $5, description = $6, fields = $7,
         version = version + 1, updated_at = $8 where id = $1 and version = $2")
        .bind(id).bind(version).bind(fields.title.trim()).bind(&fields.session_type).bind(theme).bind(&fields.description)
        .bind(&extra).bind(now()).rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "the proposal" });
    }
    audit::record(&mut tx, actor, "proposal", &id.to_string(), "update", Some(&before.fields), Some(fields)).await?;
    snapshot(&mut tx, actor, id).await?;
    tx.commit().await
}

async fn editable_call(db: &Db, p: &Proposal) -> DbResult<Call> {
    let call_id = p.call_id.ok_or_else(|| DbError::Internal("this proposal belongs to no call".into()))?;
    let call = call(db, call_id).await?.ok_or(DbError::NotFound("call"))?;
    // Accepted on condition: the organisers fix what the conditions ask, after the deadline too.
    let conditional = p.decision.as_deref() == Some("accept-on-condition");
    if p.decision.is_some() && !conditional {
        return Err(DbError::Refused {
            key: "error-proposal-decided",
            args: Vec::new(),
            english: "the proposal has been decided".into(),
        });
    }
    if !conditional && !call.is_open(now()) {
        return Err(DbError::Refused {
            key: "error-call-closed",
            args: Vec::new(),
            english: format!("the call closed at {}; the proposal can no longer change", call.closes_at),
        });
    }
    Ok(call)
}

/// Moves a proposal between draft, submitted and withdrawn (made on `version`).
pub async fn set_status(db: &Db, actor: &Actor, id: Uuid, version: i64, status: &str) -> DbResult<()> {
    let before = proposal(db, id).await?.ok_or(DbError::NotFound("proposal"))?;
    let call = editable_call(db, &before).await?;
    let from: ProposalStatus = before
        .status
        .parse()
        .map_err(|_| DbError::Internal(format!("proposal {id}: stored status {:?}", before.status)))?;
    let to: ProposalStatus = status.parse().map_err(|_| {
        DbError::from(
            Problem::new("error-field-choice", format!("status: {status:?} is not a status"))
                .with("field", "status")
                .with("value", status),
        )
    })?;
    from.can_become(to)?;
    if to == ProposalStatus::Submitted {
        let missing = before.fields.missing(&call.settings);
        if !missing.is_empty() {
            return Err(DbError::refused(
                "error-proposal-incomplete",
                format!("still to fill in before submitting: {}", missing.join(", ")),
            )
            .with("fields", missing.join(", ")));
        }
    }
    let mut tx = db.begin().await?;
    let now = now();
    let submitted_at = (status == "submitted").then_some(now);
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "update proposals set status = $3, submitted_at = $4, version = version + 1, updated_at = $5 where id = $1 and version = $2")
        .bind(id).bind(version).bind(status).bind(submitted_at).bind(now).rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "the proposal" });
    }
    audit::record(&mut tx, actor, "proposal", &id.to_string(), status, Some(&before.status), Some(&status)).await?;
    tx.commit().await
}

/// Earlier versions of a proposal's fields, newest first.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Revision {
    pub revision: i64,
    pub snapshot: String,
    pub actor_label: String,
    pub created_at: OffsetDateTime,
}

pub async fn revisions(db: &Db, proposal: Uuid) -> DbResult<Vec<Revision>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Revision>(
        "select revision, snapshot, actor_label, created_at from proposal_revisions where proposal_id = $1 order by revision desc")
        .bind(proposal).fetch_all(pool).await)?)
}

// ---------------------------------------------------------------------------------------------
// People on a proposal

/// A person on a proposal, with what the directory knows of them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProposalPerson {
    pub id: Uuid,
    pub person_id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
    pub onsite: bool,
    pub confirmed: bool,
    pub stakeholder_group: Option<String>,
    pub un_region: Option<String>,
    pub gender: Option<String>,
}

pub async fn people(db: &Db, proposal: Uuid) -> DbResult<Vec<ProposalPerson>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, ProposalPerson>(
        "select pp.id, pp.person_id, pe.display_name, pe.email, pp.role, pp.onsite, pp.confirmed, pe.stakeholder_group, pe.un_region, pe.gender
         from proposal_people pp join people pe on pe.id = pp.person_id where pp.proposal_id = $1 order by pp.position, pp.created_at")
        .bind(proposal).fetch_all(pool).await)?)
}

/// The people as the screening rules see them.
pub fn participants(people: &[ProposalPerson]) -> Vec<Participant> {
    people
        .iter()
        .filter_map(|p| {
            Some(Participant {
                person: p.person_id.to_string(),
                name: p.display_name.clone(),
                part: Part::parse(&p.role)?,
                onsite: p.onsite,
                confirmed: p.confirmed,
                gender: p.gender.clone(),
                group: p.stakeholder_group.clone(),
                region: p.un_region.clone(),
            })
        })
        .collect()
}

/// Someone an organiser adds: found in the directory by email, or added to it and invited.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invitee {
    pub name: String,
    pub email: String,
    pub part: Part,
    pub onsite: bool,
}

/// What adding a person did: the link they confirm through (already queued in the outbox).
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub person: Uuid,
    pub created: bool,
    pub confirm_link: Option<String>,
}

/// Adds a person to a proposal (while the call is open). People other than the organiser
/// themselves confirm through a link sent to them.
pub async fn add_person(
    db: &Db,
    actor: &Actor,
    proposal_id: Uuid,
    invitee: &Invitee,
    base_url: &str,
) -> DbResult<Added> {
    let p = proposal(db, proposal_id).await?.ok_or(DbError::NotFound("proposal"))?;
    editable_call(db, &p).await?;
    let email = accounts::normalize_email(&invitee.email)?;
    let existing: Option<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select id from people where lower(email) = $1 and merged_into is null order by created_at limit 1")
        .bind(&email).fetch_optional(pool).await)?;
    let mut tx = db.begin().await?;
    let (person, created) = match existing {
        Some(id) => (id, false),
        None => {
            let name = PersonName::parse(invitee.name.trim(), None, None)?;
            let mut input = crate::directory::PersonInput::named(name);
            input.email = Some(email.clone());
            (crate::directory::create_person(&mut tx, actor, &input).await?, true)
        }
    };
    let taken = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(
        "select count(*) from proposal_people where proposal_id = $1 and person_id = $2 and role = $3")
        .bind(proposal_id).bind(person).bind(invitee.part.code()).fetch_one(c).await)?;
    if taken > 0 {
        return Err(DbError::Refused {
            key: "error-proposal-person-twice",
            args: vec![("email", email.clone())],
            english: format!("{email} is already a {} of this proposal", invitee.part.code()),
        });
    }
    let is_actor = actor.user_id.is_some()
        && on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>("select count(*) from users where id = $1 and person_id = $2")
            .bind(actor.user_id).bind(person).fetch_one(c).await)?
            > 0;
    let (token, hash) = accounts::new_token();
    let position = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(
        "select count(*) from proposal_people where proposal_id = $1").bind(proposal_id).fetch_one(c).await)?;
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into proposal_people (id, proposal_id, person_id, role, onsite, confirmed, position, confirm_token_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(new_id()).bind(proposal_id).bind(person).bind(invitee.part.code()).bind(invitee.onsite).bind(is_actor)
        .bind(position).bind((!is_actor).then_some(&hash)).bind(now).rows(c).await)?;
    let link = (!is_actor).then(|| format!("{}/proposals/confirm/{token}", base_url.trim_end_matches('/')));
    if let Some(link) = &link {
        let part = format!("participation-{}", invitee.part.code());
        let args = [
            ("name", invitee.name.trim().to_owned()),
            ("part_en", i18n::t(Lang::En, &part)),
            ("part_ja", i18n::t(Lang::Ja, &part)),
            ("title", p.fields.title.clone()),
            ("link", link.clone()),
        ];
        outbox::enqueue_letter(&mut tx, &email, "proposal-confirm", &args).await?;
    }
    audit::record(&mut tx, actor, "proposal_person", &proposal_id.to_string(), "add", NOTHING, Some(invitee)).await?;
    bump(&mut tx, proposal_id).await?;
    tx.commit().await?;
    Ok(Added { person, created, confirm_link: link })
}

/// A change to the people is a change to the proposal (its version moves, so a stale form
/// elsewhere notices).
async fn bump(tx: &mut Tx, proposal: Uuid) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("update proposals set version = version + 1, updated_at = $2 where id = $1")
        .bind(proposal).bind(now()).rows(c).await)?;
    Ok(())
}

/// Removes a person from a proposal, or changes whether they take part onsite.
pub async fn change_person(
    db: &Db,
    actor: &Actor,
    proposal_id: Uuid,
    entry: Uuid,
    remove: bool,
    onsite: bool,
) -> DbResult<()> {
    let p = proposal(db, proposal_id).await?.ok_or(DbError::NotFound("proposal"))?;
    editable_call(db, &p).await?;
    let mut tx = db.begin().await?;
    let before: Option<(String, bool)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select role, onsite from proposal_people where id = $1 and proposal_id = $2").bind(entry).bind(proposal_id).fetch_optional(c).await)?;
    let Some(before) = before else { return Err(DbError::NotFound("person on the proposal")) };
    if remove {
        if before.0 == "organiser" {
            let organisers = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(
                "select count(*) from proposal_people where proposal_id = $1 and role = 'organiser'").bind(proposal_id).fetch_one(c).await)?;
            if organisers <= 1 {
                return Err(DbError::Refused {
                    key: "error-proposal-last-organiser",
                    args: Vec::new(),
                    english: "a proposal keeps at least one organiser".into(),
                });
            }
        }
        on_tx!(&mut tx, c => sqlx::query("delete from proposal_people where id = $1").bind(entry).rows(c).await)?;
    } else {
        on_tx!(&mut tx, c => sqlx::query("update proposal_people set onsite = $2, updated_at = $3 where id = $1")
            .bind(entry).bind(onsite).bind(now()).rows(c).await)?;
    }
    audit::record(
        &mut tx,
        actor,
        "proposal_person",
        &entry.to_string(),
        if remove { "remove" } else { "update" },
        Some(&before),
        Some(&onsite),
    )
    .await?;
    bump(&mut tx, proposal_id).await?;
    tx.commit().await
}

/// What a confirmation link is about.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Confirmation {
    pub entry: Uuid,
    pub proposal_id: Uuid,
    pub title: String,
    pub display_name: String,
    pub role: String,
    pub confirmed: bool,
}

pub async fn confirmation(db: &Db, token: &str) -> DbResult<Option<Confirmation>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Confirmation>(
        "select pp.id as entry, pp.proposal_id, p.title, pe.display_name, pp.role, pp.confirmed from proposal_people pp
         join proposals p on p.id = pp.proposal_id join people pe on pe.id = pp.person_id where pp.confirm_token_hash = $1")
        .bind(accounts::token_hash(token)).fetch_optional(pool).await)?)
}

/// The invited person answers: confirmed takes part; declined is removed from the proposal.
pub async fn answer_confirmation(db: &Db, token: &str, accept: bool) -> DbResult<Confirmation> {
    let found = confirmation(db, token).await?.ok_or(DbError::NotFound("confirmation link"))?;
    let mut tx = db.begin().await?;
    let actor = Actor::system(&format!("confirmation by {}", found.display_name));
    if accept {
        on_tx!(&mut tx, c => sqlx::query("update proposal_people set confirmed = true, updated_at = $2 where id = $1")
            .bind(found.entry).bind(now()).rows(c).await)?;
    } else {
        on_tx!(&mut tx, c => sqlx::query("delete from proposal_people where id = $1").bind(found.entry).rows(c).await)?;
    }
    audit::record(
        &mut tx,
        &actor,
        "proposal_person",
        &found.entry.to_string(),
        if accept { "confirm" } else { "decline" },
        NOTHING,
        Some(&found),
    )
    .await?;
    bump(&mut tx, found.proposal_id).await?;
    tx.commit().await?;
    Ok(found)
}

// ---------------------------------------------------------------------------------------------
// Screening

/// What the rules need to know about the whole call: who speaks how often, who is on the
/// programme committee (the call's evaluators), and who owes last edition's session report.
pub async fn call_context(db: &Db, call: &Call) -> DbResult<CallContext> {
    let rows: Vec<(Uuid, Uuid, String)> = on_db!(db, pool => sqlx::query_as(
        "select pp.proposal_id, pp.person_id, pp.role from proposal_people pp join proposals p on p.id = pp.proposal_id
         where p.call_id = $1 and p.status in ('draft', 'submitted', 'accepted')")
        .bind(call.id).fetch_all(pool).await)?;
    let mut context = CallContext::default();
    let mut on_stage: HashMap<Uuid, Vec<Participant>> = HashMap::new();
    for (proposal, person, role) in rows {
        if let Some(part) = Part::parse(&role) {
            on_stage.entry(proposal).or_default().push(Participant {
                person: person.to_string(),
                name: String::new(),
                part,
                onsite: false,
                confirmed: false,
                gender: None,
                group: None,
                region: None,
            });
        }
    }
    context.count_speaking(on_stage.values().map(Vec::as_slice));
    let committee: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select u.person_id from call_evaluators ce join users u on u.id = ce.user_id where ce.call_id = $1 and u.person_id is not null")
        .bind(call.id).fetch_all(pool).await)?;
    context.committee = committee.into_iter().map(|p| p.to_string()).collect();
    // The previous edition: the latest one that started before this one.
    let missing: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select distinct sp.person_id from programme_session_people sp join programme_sessions s on s.id = sp.session_id
         where sp.role in ('organiser', 'co-organiser') and s.report is null and s.edition_id = (
           select e.id from editions e where e.starts_on < (select starts_on from editions where id = $1)
           order by e.starts_on desc limit 1)")
        .bind(call.edition_id).fetch_all(pool).await)?;
    context.missing_reports = missing.into_iter().map(|p| p.to_string()).collect();
    Ok(context)
}

/// The call's rules checked against a proposal as it is now.
pub async fn screen(db: &Db, call: &Call, proposal: Uuid) -> DbResult<Vec<Outcome>> {
    let context = call_context(db, call).await?;
    let people = participants(&people(db, proposal).await?);
    let session_type: String = on_db!(db, pool => sqlx::query_scalar("select session_type from proposals where id = $1")
        .bind(proposal).fetch_one(pool).await)?;
    Ok(screening::check(call.settings.rules_for(&session_type), &people, &context))
}

/// The deadline screening: every submitted proposal's outcomes are stored, once the call has
/// closed. Returns (screened, failed).
pub async fn screen_at_deadline(db: &Db, actor: &Actor, call: &Call) -> DbResult<(usize, usize)> {
    if call.is_open(now()) || call.opens_at > now() {
        return Err(DbError::refused(
            "error-screening-before-deadline",
            format!("the call closes at {}; screening runs after the deadline", call.closes_at),
        ));
    }
    let context = call_context(db, call).await?;
    let proposals = proposals_of_call(db, call.id).await?;
    let mut tx = db.begin().await?;
    let (mut screened, mut failed) = (0, 0);
    for p in proposals.iter().filter(|p| p.status == "submitted") {
        let outcomes = screening::check(
            call.settings.rules_for(&p.fields.session_type),
            &participants(&people(db, p.id).await?),
            &context,
        );
        let stored: Vec<StoredOutcome> = outcomes.iter().map(StoredOutcome::from).collect();
        let body = serde_json::to_string(&stored).map_err(|e| json_error("screening", e))?;
        on_tx!(&mut tx, c => sqlx::query("update proposals set screening = $2 where id = $1")
            .bind(p.id).bind(&body).rows(c).await)?;
        screened += 1;
        if !screening::all_pass(&outcomes) {
            failed += 1;
        }
    }
    on_tx!(&mut tx, c => sqlx::query("update calls set screened_at = $2 where id = $1").bind(call.id).bind(now())
        .rows(c).await)?;
    audit::record(&mut tx, actor, "call", &call.id.to_string(), "screen", NOTHING, Some(&(screened, failed))).await?;
    tx.commit().await?;
    Ok((screened, failed))
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Accept,
    AcceptOnCondition,
    Merge,
    Reject,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::AcceptOnCondition => "accept-on-condition",
            Verdict::Merge => "merge",
            Verdict::Reject => "reject",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Verdict::Accept, Verdict::AcceptOnCondition, Verdict::Merge, Verdict::Reject]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

/// A decision on a proposal: conditions for an acceptance on condition, the proposals merged
/// into this one for a merge, and a note to the organisers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Decision {
    pub verdict: Verdict,
    #[serde(default)]
    pub conditions: Vec<Rule>,
    #[serde(default)]
    pub merge_with: Vec<Uuid>,
    #[serde(default)]
    pub note: String,
}

/// The organisers' email addresses.
async fn organiser_emails(tx: &mut Tx, proposal: Uuid) -> DbResult<Vec<String>> {
    let emails: Vec<String> = on_tx!(tx, c => sqlx::query_scalar(
        "select distinct email from (
           select u.email from proposals p join users u on u.id = p.owner_user_id where p.id = $1
           union select pe.email from proposal_people pp join people pe on pe.id = pp.person_id
           where pp.proposal_id = $1 and pp.role in ('organiser', 'co-organiser') and pe.email is not null) x")
        .bind(proposal).fetch_all(c).await)?;
    Ok(emails)
}

/// Records a decision and tells every organiser concerned through the outbox.
pub async fn decide(db: &Db, actor: &Actor, proposal_id: Uuid, decision: &Decision, base_url: &str) -> DbResult<()> {
    let p = proposal(db, proposal_id).await?.ok_or(DbError::NotFound("proposal"))?;
    if !p.status.parse::<ProposalStatus>().is_ok_and(ProposalStatus::may_be_decided) {
        return Err(DbError::refused("error-decide-status", format!("a {} proposal cannot be decided", p.status))
            .with("status", &p.status));
    }
    if p.merged_into.is_some() {
        return Err(DbError::refused(
            "error-decide-merged",
            "this proposal was merged into another one; decide that one",
        ));
    }
    match decision.verdict {
        Verdict::AcceptOnCondition if decision.conditions.is_empty() => {
            return Err(DbError::refused(
                "error-decide-no-conditions",
                "conditions: an acceptance on condition needs at least one condition",
            ));
        }
        Verdict::Merge if decision.merge_with.is_empty() => {
            return Err(DbError::refused(
                "error-decide-nothing-to-merge",
                "merge_with: choose the proposals to merge into this one",
            ));
        }
        _ => {}
    }
    let mut merged = Vec::new();
    for other in &decision.merge_with {
        let o = proposal(db, *other).await?.ok_or(DbError::NotFound("proposal to merge"))?;
        if o.call_id != p.call_id || o.id == p.id || o.status != "submitted" {
            return Err(DbError::refused(
                "error-decide-cannot-merge",
                format!("{:?} cannot be merged into this proposal", o.fields.title),
            )
            .with("title", &o.fields.title));
        }
        merged.push(o);
    }
    let in_programme: Option<i64> = on_db!(db, pool => sqlx::query_scalar(
        "select number from programme_sessions where proposal_id = $1").bind(proposal_id).fetch_optional(pool).await)?;
    if decision.verdict == Verdict::Reject
        && let Some(number) = in_programme
    {
        return Err(DbError::refused(
            "error-decide-in-programme",
            format!("the proposal is in the programme as session #{number}; remove it from the timetable first"),
        )
        .with("number", number));
    }
    let status = if decision.verdict == Verdict::Reject { "rejected" } else { "accepted" };
    let conditions = (!decision.conditions.is_empty())
        .then(|| serde_json::to_string(&decision.conditions))
        .transpose()
        .map_err(|e| json_error("conditions", e))?;
    let mut tx = db.begin().await?;
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "update proposals set decision = $2, status = $3, conditions = $4, decided_at = $5, version = version + 1, updated_at = $5 where id = $1")
        .bind(proposal_id).bind(decision.verdict.code()).bind(status).bind(&conditions).bind(now)
        .rows(c).await)?;
    for o in &merged {
        on_tx!(&mut tx, c => sqlx::query(
            "update proposals set decision = 'merge', status = 'accepted', merged_into = $2, decided_at = $3, version = version + 1, updated_at = $3 where id = $1")
            .bind(o.id).bind(proposal_id).bind(now).rows(c).await)?;
    }
    // An accepted proposal enters the programme as an unplaced session with everyone on it
    // (a merge brings the people of every proposal merged in).
    if status == "accepted" && in_programme.is_none() {
        let mut people = Vec::new();
        for source in std::iter::once(&p).chain(&merged) {
            let rows: Vec<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
                "select person_id, role from proposal_people where proposal_id = $1 order by position").bind(source.id).fetch_all(c).await)?;
            for row in rows {
                if !people.contains(&row) {
                    people.push(row);
                }
            }
        }
        let session = crate::programme::NewSession {
            proposal_id: Some(proposal_id),
            title: p.fields.title.clone(),
            kind: p.fields.session_type.clone(),
            description: p.fields.description.clone(),
            minutes: kaigi_core::programme::default_minutes(&p.fields.session_type),
            audience: p.fields.expected_audience.unwrap_or(50),
            needs: vec!["hybrid".into()],
            track_id: None,
            theme_id: theme_id(&p.fields)?,
            pinned_at: None,
            people,
            // A decision is not a publication: the session waits for the secretariat.
            published: false,
        };
        crate::programme::create_session(&mut tx, actor, p.edition_id, &session).await?;
    }
    let link = format!("{}/proposals/{proposal_id}", base_url.trim_end_matches('/'));
    let verdict = match decision.verdict {
        Verdict::Accept => "accept",
        Verdict::AcceptOnCondition => "condition",
        Verdict::Merge => "merge",
        Verdict::Reject => "reject",
    };
    let conditions = |lang| {
        let names: Vec<String> =
            decision.conditions.iter().map(|r| i18n::t(lang, &format!("rule-kind-{}", r.code()))).collect();
        names.join(if lang == Lang::Ja { "、" } else { "; " })
    };
    let merged_titles = merged.iter().map(|o| o.fields.title.as_str()).collect::<Vec<_>>().join("; ");
    for target in std::iter::once(&p).chain(&merged) {
        for email in organiser_emails(&mut tx, target.id).await? {
            let args = [
                ("title", target.fields.title.clone()),
                ("verdict", verdict.to_owned()),
                ("conditions_en", conditions(Lang::En)),
                ("conditions_ja", conditions(Lang::Ja)),
                ("merged", merged_titles.clone()),
                ("link", link.clone()),
                ("note", decision.note.trim().to_owned()),
            ];
            outbox::enqueue_letter(&mut tx, &email, "decision", &args).await?;
        }
    }
    audit::record(&mut tx, actor, "proposal", &proposal_id.to_string(), "decide", Some(&p.decision), Some(decision))
        .await?;
    tx.commit().await
}

/// The conditions of an acceptance on condition, checked against the proposal as it is now.
pub async fn condition_state(db: &Db, p: &Proposal) -> DbResult<Vec<Outcome>> {
    if p.conditions.is_empty() {
        return Ok(Vec::new());
    }
    let call_id = p.call_id.ok_or(DbError::NotFound("call"))?;
    let call = call(db, call_id).await?.ok_or(DbError::NotFound("call"))?;
    let context = call_context(db, &call).await?;
    Ok(screening::check(&p.conditions, &participants(&people(db, p.id).await?), &context))
}
