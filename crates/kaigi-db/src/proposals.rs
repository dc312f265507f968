//! Proposals written by organisers for a call: drafts, revisions, submission and withdrawal
//! until the deadline, and the people on them (from the directory or invited by email,
//! confirming through a link).

use crate::Run;
use std::collections::BTreeMap;

use kaigi_core::calls::ProposalFields;
use kaigi_core::directory::PersonName;
use kaigi_core::i18n::{self, Lang};
use kaigi_core::problem::Problem;
use kaigi_core::programme::ProposalStatus;
use kaigi_core::screening::{Outcome, Part, Participant, Rule};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, NOTHING};
use crate::calls::{Call, call, json_error};
use crate::{Actor, Db, DbError, DbResult, Tx, accounts, new_id, now, on_db, on_tx, outbox};

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
    pub screening: Option<Vec<Outcome>>,
    pub decision: Option<String>,
    pub conditions: Vec<Rule>,
    pub merged_into: Option<Uuid>,
    pub decided_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

/// What the secretariat narrows a call's proposals to, on the call page and in the API.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    /// Part of the title, folded (full/half width, katakana/hiragana, case) as search folds.
    pub text: Option<String>,
    /// A status code.
    pub status: Option<String>,
    /// A session type code.
    pub session_type: Option<String>,
}

impl ProposalFilter {
    pub fn is_empty(&self) -> bool {
        self.text.is_none() && self.status.is_none() && self.session_type.is_none()
    }

    /// The proposals that match, in the order given.
    pub fn apply(&self, proposals: Vec<Proposal>) -> Vec<Proposal> {
        let text = self.text.as_deref().map(kaigi_core::search::fold);
        proposals
            .into_iter()
            .filter(|p| self.status.as_deref().is_none_or(|s| p.status == s))
            .filter(|p| self.session_type.as_deref().is_none_or(|t| p.fields.session_type == t))
            .filter(|p| text.as_deref().is_none_or(|t| kaigi_core::search::fold(&p.fields.title).contains(t)))
            .collect()
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

/// The proposal as this transaction sees it (a decision reads and writes it in one).
pub async fn proposal_in(tx: &mut Tx, id: Uuid) -> DbResult<Option<Proposal>> {
    let sql = format!("select {PROPOSAL_COLUMNS} from proposals where id = $1");
    let row: Option<ProposalRecord> =
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
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

pub(crate) fn theme_id(fields: &ProposalFields) -> DbResult<Option<Uuid>> {
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
        return Err(DbError::refused("error-call-not-open", "the call is not open"));
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
        return Err(DbError::refused("error-proposal-decided", "the proposal has been decided"));
    }
    if !conditional && !call.is_open(now()) {
        return Err(DbError::refused(
            "error-call-closed",
            format!("the call closed at {}; the proposal can no longer change", call.closes_at),
        ));
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
    if to == ProposalStatus::Submitted {
        let data = serde_json::json!({"proposal": {
            "id": id, "call": before.call_id, "title": before.fields.title,
            "session_type": before.fields.session_type, "version": version + 1,
        }});
        crate::webhooks::emit(&mut tx, Some(before.edition_id), kaigi_core::webhooks::Event::ProposalSubmitted, &data)
            .await?;
    }
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
        return Err(DbError::refused(
            "error-proposal-person-twice",
            format!("{email} is already a {} of this proposal", invitee.part.code()),
        )
        .with("email", email.clone()));
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
                return Err(DbError::refused(
                    "error-proposal-last-organiser",
                    "a proposal keeps at least one organiser",
                ));
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
