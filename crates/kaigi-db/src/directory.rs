//! People and organisations: stored in gojūon order, edited with optimistic concurrency,
//! merged when a person was entered twice.

use crate::Run;
use kaigi_core::collation::gojuon_sort_key;
use kaigi_core::directory::{Country, PersonName, StakeholderGroup, UnRegion};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Actor, NOTHING};
use crate::{Db, DbError, DbResult, Tx, new_id, now, on_db, on_tx};

#[derive(Debug, Clone, sqlx::FromRow, Serialize, PartialEq)]
pub struct Person {
    pub id: Uuid,
    pub display_name: String,
    pub reading: Option<String>,
    pub romanized: Option<String>,
    pub email: Option<String>,
    pub stakeholder_group: Option<String>,
    pub un_region: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub youth: bool,
    pub merged_into: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const PERSON_COLUMNS: &str = "id, display_name, reading, romanized, email, stakeholder_group, un_region, country, gender, youth, merged_into, version, updated_at";

/// The longest gender as a person describes it, an organisation's name and an affiliation's
/// title, in characters.
pub const GENDER_MAX: usize = 50;
pub const ORGANISATION_MAX: usize = 200;
pub const TITLE_MAX: usize = 200;

/// A person as entered, already parsed into domain values.
#[derive(Debug, Clone)]
pub struct PersonInput {
    pub name: PersonName,
    pub email: Option<String>,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub un_region: Option<UnRegion>,
    pub country: Option<Country>,
    pub gender: Option<String>,
    pub youth: bool,
}

impl PersonInput {
    pub fn named(name: PersonName) -> Self {
        Self { name, email: None, stakeholder_group: None, un_region: None, country: None, gender: None, youth: false }
    }

    /// What the name's own parsing does not bound.
    fn check(&self) -> DbResult<()> {
        let gender = self.gender.as_deref().unwrap_or_default().chars().count();
        if gender > GENDER_MAX {
            return Err(DbError::length("gender", gender, 0, GENDER_MAX));
        }
        Ok(())
    }

    fn sort_key(&self) -> Vec<u8> {
        gojuon_sort_key(self.name.sort_reading().as_deref(), &self.name.display)
    }
}

pub async fn create_person(tx: &mut Tx, actor: &Actor, input: &PersonInput) -> DbResult<Uuid> {
    input.check()?;
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into people (id, display_name, reading, romanized, sort_key, email, stakeholder_group, un_region, country, gender, youth, version, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)")
        .bind(id).bind(&input.name.display).bind(&input.name.reading).bind(&input.name.romanized)
        .bind(input.sort_key()).bind(&input.email).bind(input.stakeholder_group.map(|g| g.code()))
        .bind(input.un_region.map(|r| r.code())).bind(input.country.as_ref().map(|c| c.as_str()))
        .bind(&input.gender).bind(input.youth).bind(now)
        .rows(c).await)?;
    let after = person_in(tx, id).await?;
    audit::record(tx, actor, "person", &id.to_string(), "create", NOTHING, after.as_ref()).await?;
    Ok(id)
}

/// Saves an edit made on `expected_version`; refuses with [`DbError::Conflict`] when someone
/// saved in between, so nobody's change is silently overwritten.
pub async fn update_person(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    input: &PersonInput,
) -> DbResult<()> {
    input.check()?;
    let before = person_in(tx, id).await?.ok_or(DbError::NotFound("person"))?;
    let changed = on_tx!(tx, c => sqlx::query(
        "update people set display_name = $3, reading = $4, romanized = $5, sort_key = $6, email = $7, stakeholder_group = $8,
         un_region = $9, country = $10, gender = $11, youth = $12, version = version + 1, updated_at = $13
         where id = $1 and version = $2")
        .bind(id).bind(expected_version).bind(&input.name.display).bind(&input.name.reading).bind(&input.name.romanized)
        .bind(input.sort_key()).bind(&input.email).bind(input.stakeholder_group.map(|g| g.code()))
        .bind(input.un_region.map(|r| r.code())).bind(input.country.as_ref().map(|c| c.as_str()))
        .bind(&input.gender).bind(input.youth).bind(now())
        .rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "person" });
    }
    let after = person_in(tx, id).await?;
    audit::record(tx, actor, "person", &id.to_string(), "update", Some(&before), after.as_ref()).await
}

async fn person_in(tx: &mut Tx, id: Uuid) -> DbResult<Option<Person>> {
    let sql = format!("select {PERSON_COLUMNS} from people where id = $1");
    Ok(on_tx!(tx, c => sqlx::query_as::<_, Person>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?)
}

pub async fn get_person(db: &Db, id: Uuid) -> DbResult<Option<Person>> {
    let sql = format!("select {PERSON_COLUMNS} from people where id = $1");
    Ok(on_db!(db, pool => sqlx::query_as::<_, Person>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?)
}

/// People in gojūon order (五十音順) by reading, merged duplicates left out. `filter` matches
/// the name as written, the reading or the romanisation.
pub async fn list_people(db: &Db, filter: Option<&str>, limit: i64, offset: i64) -> DbResult<Vec<Person>> {
    let pattern = filter.map(|f| format!("%{}%", f.trim().to_lowercase().replace('%', "\\%").replace('_', "\\_")));
    let sql = format!(
        "select {PERSON_COLUMNS} from people where merged_into is null
         and ($1 is null or lower(display_name) like $1 escape '\\' or lower(coalesce(reading, '')) like $1 escape '\\'
              or lower(coalesce(romanized, '')) like $1 escape '\\')
         order by sort_key, id limit $2 offset $3"
    );
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Person>(sqlx::AssertSqlSafe(sql.clone())).bind(&pattern).bind(limit).bind(offset).fetch_all(pool).await)?,
    )
}

pub async fn count_people(db: &Db) -> DbResult<i64> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, i64>("select count(*) from people where merged_into is null").fetch_one(pool).await)?,
    )
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub stakeholder_group: Option<String>,
    pub country: Option<String>,
}

pub async fn create_organisation(
    tx: &mut Tx,
    actor: &Actor,
    name: &str,
    group: Option<StakeholderGroup>,
    country: Option<&Country>,
) -> DbResult<Uuid> {
    let name = kaigi_core::directory::normalize_spaces(name);
    if name.is_empty() {
        return Err(DbError::empty("organisation_name"));
    }
    if name.chars().count() > ORGANISATION_MAX {
        return Err(DbError::length("organisation_name", name.chars().count(), 1, ORGANISATION_MAX));
    }
    let id = new_id();
    let now = now();
    let inserted = on_tx!(tx, c => sqlx::query(
        "insert into organisations (id, name, stakeholder_group, country, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)
         on conflict (name) do nothing")
        .bind(id).bind(&name).bind(group.map(|g| g.code())).bind(country.map(|c| c.as_str())).bind(now)
        .rows(c).await)?;
    if inserted == 0 {
        return Err(DbError::refused(
            "error-organisation-exists",
            format!("organisation name: {name:?} exists already"),
        )
        .with("name", &name));
    }
    let org = Organisation {
        id,
        name,
        stakeholder_group: group.map(|g| g.code().to_owned()),
        country: country.map(|c| c.as_str().to_owned()),
    };
    audit::record(tx, actor, "organisation", &id.to_string(), "create", NOTHING, Some(&org)).await?;
    Ok(id)
}

pub async fn list_organisations(db: &Db) -> DbResult<Vec<Organisation>> {
    let sql = "select id, name, stakeholder_group, country from organisations order by name";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Organisation>(sql).fetch_all(pool).await)?)
}

/// One period of a person's affiliation.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Affiliation {
    pub id: Uuid,
    pub person_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub title: Option<String>,
    #[serde(with = "crate::iso_date::option")]
    pub since: Option<Date>,
    #[serde(with = "crate::iso_date::option")]
    pub until: Option<Date>,
}

pub async fn add_affiliation(
    tx: &mut Tx,
    actor: &Actor,
    person: Uuid,
    organisation: Uuid,
    title: Option<&str>,
    since: Option<Date>,
    until: Option<Date>,
) -> DbResult<Uuid> {
    if let (Some(since), Some(until)) = (since, until)
        && until < since
    {
        return Err(DbError::ends_before_start("until"));
    }
    if let Some(title) = title.filter(|t| t.chars().count() > TITLE_MAX) {
        return Err(DbError::length("title", title.chars().count(), 0, TITLE_MAX));
    }
    let known = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from organisations where id = $1")
        .bind(organisation).fetch_one(c).await)?;
    if known == 0 {
        return Err(DbError::refused(
            "error-organisation-unknown",
            format!("organisation: no organisation {organisation}"),
        )
        .with("organisation", organisation));
    }
    let live = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from people where id = $1 and merged_into is null")
        .bind(person).fetch_one(c).await)?;
    if live == 0 {
        return Err(DbError::refused("error-person-unknown", format!("person: no person {person} in the directory"))
            .with("person", person));
    }
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into affiliations (id, person_id, organisation_id, title, since, until, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(id).bind(person).bind(organisation).bind(title).bind(since).bind(until).bind(now)
        .rows(c).await)?;
    let after = serde_json::json!({"person": person, "organisation": organisation, "title": title, "since": since, "until": until});
    audit::record(tx, actor, "affiliation", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

/// A person's affiliations, current ones (no end date) first, then the most recent.
pub async fn affiliations(db: &Db, person: Uuid) -> DbResult<Vec<Affiliation>> {
    let sql = "select a.id, a.person_id, a.organisation_id, o.name as organisation_name, a.title, a.since, a.until
               from affiliations a join organisations o on o.id = a.organisation_id
               where a.person_id = $1 order by (a.until is null) desc, a.until desc, a.since desc";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Affiliation>(sql).bind(person).fetch_all(pool).await)?)
}

/// The tables whose rows point at a person, moved over on a merge.
const PERSON_REFERENCES: &[(&str, &str)] = &[
    ("affiliations", "person_id"),
    ("users", "person_id"),
    ("proposal_people", "person_id"),
    ("committee_members", "person_id"),
];

/// Who is merging: an administrator may merge people linked to accounts; anyone else with
/// directory rights only people without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeBy {
    Administrator,
    DirectoryManager,
}

/// Merges `duplicate` into `keep`: everything that pointed at the duplicate points at the
/// kept person, the duplicate stays (marked merged) so old links still resolve, and the audit
/// log records both records as they were. An account follows its person, so a merge can widen
/// what an account reaches (the duplicate's account gains the kept person's proposals and
/// committees, and the kept person's account the duplicate's): when either person has an
/// account, only an administrator may merge.
pub async fn merge_people(tx: &mut Tx, actor: &Actor, duplicate: Uuid, keep: Uuid, by: MergeBy) -> DbResult<()> {
    if duplicate == keep {
        return Err(DbError::refused("error-merge-self", "merge: a person cannot be merged into themselves"));
    }
    let dup = person_in(tx, duplicate).await?.ok_or(DbError::NotFound("person"))?;
    let kept = person_in(tx, keep).await?.ok_or(DbError::NotFound("person"))?;
    if dup.merged_into.is_some() || kept.merged_into.is_some() {
        return Err(DbError::refused(
            "error-merge-merged",
            "merge: one of the two was already merged into someone else",
        ));
    }
    let accounts = on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
        "select count(*) from users where person_id = $1 or person_id = $2")
        .bind(duplicate).bind(keep).fetch_one(c).await)?;
    if accounts > 0 && by != MergeBy::Administrator {
        return Err(DbError::refused(
            "error-merge-accounts",
            "merge: a person with an account is merged only by an administrator",
        ));
    }
    let now = now();
    // Rows that would collide on a unique key (same proposal and role, same committee) are
    // already represented by the kept person.
    on_tx!(tx, c => sqlx::query(
        "delete from proposal_people where person_id = $1 and exists (select 1 from proposal_people k
         where k.person_id = $2 and k.proposal_id = proposal_people.proposal_id and k.role = proposal_people.role)")
        .bind(duplicate).bind(keep).rows(c).await)?;
    on_tx!(tx, c => sqlx::query(
        "delete from committee_members where person_id = $1 and exists (select 1 from committee_members k
         where k.person_id = $2 and k.committee_id = committee_members.committee_id)")
        .bind(duplicate).bind(keep).rows(c).await)?;
    for (table, column) in PERSON_REFERENCES {
        let sql = format!("update {table} set {column} = $2, updated_at = $3 where {column} = $1");
        on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(duplicate).bind(keep).bind(now).rows(c).await)?;
    }
    on_tx!(tx, c => sqlx::query("update people set merged_into = $2, version = version + 1, updated_at = $3 where id = $1")
        .bind(duplicate).bind(keep).bind(now).rows(c).await)?;
    let after = serde_json::json!({"merged_into": keep, "kept": kept});
    audit::record(tx, actor, "person", &duplicate.to_string(), "merge", Some(&dup), Some(&after)).await
}

/// The person a (possibly merged) id stands for now.
pub async fn resolve_person(db: &Db, id: Uuid) -> DbResult<Option<Person>> {
    let mut current = get_person(db, id).await?;
    for _ in 0..8 {
        match current.as_ref().and_then(|p| p.merged_into) {
            Some(next) => current = get_person(db, next).await?,
            None => break,
        }
    }
    Ok(current)
}
