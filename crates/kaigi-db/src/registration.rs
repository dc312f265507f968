//! Registration (PRODUCT.md §5): categories with onsite places, registrations with a badge and
//! check-in, sign-up for sessions with limited places, and the figures participation statistics
//! are made of, including past editions' published figures.
//!
//! Places are counted in a column changed only by `update … set taken = taken + 1 where taken <
//! capacity`: on PostgreSQL the row lock makes concurrent updates wait and re-check the
//! condition, on SQLite writers take turns, so no number of simultaneous requests overbooks.

use crate::Run;
use kaigi_core::directory::{Country, StakeholderGroup, UnRegion};
use kaigi_core::participation::{AggregateRow, Attendance, Figures, Participant, figures_from_rows};
use rand::Rng;
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Actor, NOTHING};
use crate::editions::Edition;
use crate::{Db, DbError, DbResult, Tx, new_id, now, on_db, on_tx, outbox};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Category {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub name_ja: Option<String>,
    pub onsite_capacity: Option<i64>,
    pub onsite_taken: i64,
    /// Confirmed online registrations.
    pub online: i64,
    pub position: i64,
}

impl Category {
    pub fn onsite_left(&self) -> Option<i64> {
        self.onsite_capacity.map(|c| (c - self.onsite_taken).max(0))
    }
}

/// The categories of an edition in their order, with places taken.
pub async fn categories(db: &Db, edition: Uuid) -> DbResult<Vec<Category>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Category>(
        "select c.id, c.code, c.name, c.name_ja, c.onsite_capacity, c.onsite_taken,
                (select count(*) from registrations r where r.category_id = c.id and r.status = 'confirmed' and r.attendance = 'online') as online,
                c.position
         from registration_categories c where c.edition_id = $1 order by c.position, c.code")
        .bind(edition).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryInput {
    pub code: String,
    pub name: String,
    pub name_ja: Option<String>,
    pub onsite_capacity: Option<i64>,
}

impl CategoryInput {
    fn check(&self) -> DbResult<()> {
        let code_ok = !self.code.is_empty()
            && self.code.len() <= 40
            && self.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !code_ok {
            return Err(DbError::refused(
                "error-category-code",
                format!("code: use lower-case letters, digits and '-' (up to 40), found {:?}", self.code),
            )
            .with("value", &self.code));
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 100 {
            return Err(DbError::length("name", self.name.chars().count(), 1, 100));
        }
        if let Some(c) = self.onsite_capacity
            && c < 0
        {
            return Err(DbError::negative("onsite_capacity", c));
        }
        Ok(())
    }
}

/// Adds a category, or changes the one with the same code. Capacity cannot go below the
/// places already taken: those people hold confirmations.
pub async fn save_category(db: &Db, actor: &Actor, edition: Uuid, input: &CategoryInput) -> DbResult<Uuid> {
    input.check()?;
    let mut tx = db.begin().await?;
    let existing: Option<(Uuid, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select id, onsite_taken from registration_categories where edition_id = $1 and code = $2")
        .bind(edition).bind(&input.code).fetch_optional(c).await)?;
    let now = now();
    let id = match existing {
        Some((id, taken)) => {
            if let Some(cap) = input.onsite_capacity
                && cap < taken
            {
                return Err(DbError::refused(
                    "error-capacity-below-taken",
                    format!(
                        "onsite_capacity: {taken} onsite places of {:?} are already taken; the capacity cannot be {cap}",
                        input.code
                    ),
                )
                .with("taken", taken)
                .with("capacity", cap));
            }
            on_tx!(&mut tx, c => sqlx::query(
                "update registration_categories set name = $1, name_ja = $2, onsite_capacity = $3, updated_at = $4 where id = $5")
                .bind(input.name.trim()).bind(input.name_ja.as_deref().map(str::trim).filter(|s| !s.is_empty()))
                .bind(input.onsite_capacity).bind(now).bind(id).rows(c).await)?;
            id
        }
        None => {
            let position: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
                "select count(*) from registration_categories where edition_id = $1").bind(edition).fetch_one(c).await)?;
            let id = new_id();
            on_tx!(&mut tx, c => sqlx::query(
                "insert into registration_categories (id, edition_id, code, name, name_ja, onsite_capacity, onsite_taken, position, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, 0, $7, $8, $8)")
                .bind(id).bind(edition).bind(&input.code).bind(input.name.trim())
                .bind(input.name_ja.as_deref().map(str::trim).filter(|s| !s.is_empty()))
                .bind(input.onsite_capacity).bind(position).bind(now).rows(c).await)?;
            id
        }
    };
    audit::record(&mut tx, actor, "registration_category", &id.to_string(), "save", NOTHING, Some(input)).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a participant states when registering.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationInput {
    pub category: String,
    pub attendance: Attendance,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub un_region: Option<UnRegion>,
    pub country: Option<Country>,
    pub gender: Option<String>,
    pub youth: bool,
    pub first_time: bool,
    pub consent: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Registration {
    pub id: Uuid,
    pub edition_id: Uuid,
    pub user_id: Uuid,
    pub person_id: Uuid,
    pub category_code: String,
    pub category_name: String,
    pub category_name_ja: Option<String>,
    pub attendance: String,
    pub first_time: bool,
    pub consent: bool,
    pub status: String,
    pub badge_code: String,
    pub checked_in_at: Option<OffsetDateTime>,
    pub display_name: String,
    pub email: String,
    pub version: i64,
}

impl Registration {
    pub fn confirmed(&self) -> bool {
        self.status == "confirmed"
    }
}

const REGISTRATION_SELECT: &str =
    "select r.id, r.edition_id, r.user_id, r.person_id, c.code as category_code, c.name as category_name,
        c.name_ja as category_name_ja, r.attendance, r.first_time, r.consent, r.status, r.badge_code, r.checked_in_at,
        p.display_name, u.email, r.version
     from registrations r join registration_categories c on c.id = r.category_id
     join people p on p.id = r.person_id join users u on u.id = r.user_id";

/// A user's registration for an edition, confirmed or cancelled.
pub async fn registration_of(db: &Db, edition: Uuid, user: Uuid) -> DbResult<Option<Registration>> {
    let sql = format!("{REGISTRATION_SELECT} where r.edition_id = $1 and r.user_id = $2");
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Registration>(sqlx::AssertSqlSafe(sql)).bind(edition).bind(user).fetch_optional(pool).await)?,
    )
}

/// Everyone registered for an edition, in gojūon order of their names.
pub async fn registrations(db: &Db, edition: Uuid) -> DbResult<Vec<Registration>> {
    let sql = format!("{REGISTRATION_SELECT} where r.edition_id = $1 order by p.sort_key, r.id");
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Registration>(sqlx::AssertSqlSafe(sql)).bind(edition).fetch_all(pool).await)?,
    )
}

/// What a list of registrations is narrowed to: the registrations page's filter and the API's
/// query, the same words for both.
#[derive(Debug, Clone, Default)]
pub struct RegistrationFilter {
    /// Part of a name, its reading or romanisation, or of an email address; or a badge code.
    pub text: Option<String>,
    /// A category code.
    pub category: Option<String>,
    pub attendance: Option<Attendance>,
    /// `confirmed` or `cancelled`.
    pub cancelled: Option<bool>,
    pub checked_in: Option<bool>,
}

/// The registrations the filter keeps, a page at a time in gojūon order of the names, and how
/// many it keeps in all.
pub async fn find_registrations(
    db: &Db,
    edition: Uuid,
    filter: &RegistrationFilter,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<Registration>, i64)> {
    // The text is matched as written, `%` and `_` included.
    let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let pattern = text.map(|t| {
        let escaped = t.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let badge = text.map(|t| t.to_uppercase());
    let status = filter.cancelled.map(|c| if c { "cancelled" } else { "confirmed" });
    let attendance = filter.attendance.map(|a| a.code());
    let conditions = "r.edition_id = $1
        and ($2 is null or lower(p.display_name) like $2 escape '\\' or lower(coalesce(p.reading, '')) like $2 escape '\\'
             or lower(coalesce(p.romanized, '')) like $2 escape '\\' or lower(u.email) like $2 escape '\\' or upper(r.badge_code) = $3)
        and ($4 is null or c.code = $4)
        and ($5 is null or r.attendance = $5)
        and ($6 is null or r.status = $6)
        and ($7 is null or (r.checked_in_at is not null) = $7)";
    let sql = format!("{REGISTRATION_SELECT} where {conditions} order by p.sort_key, r.id limit $8 offset $9");
    let rows = on_db!(db, pool => sqlx::query_as::<_, Registration>(sqlx::AssertSqlSafe(sql))
        .bind(edition).bind(&pattern).bind(&badge).bind(&filter.category).bind(attendance).bind(status).bind(filter.checked_in)
        .bind(limit).bind(offset).fetch_all(pool).await)?;
    let count = format!(
        "select count(*) from registrations r join registration_categories c on c.id = r.category_id
         join people p on p.id = r.person_id join users u on u.id = r.user_id where {conditions}"
    );
    let total = on_db!(db, pool => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count))
        .bind(edition).bind(&pattern).bind(&badge).bind(&filter.category).bind(attendance).bind(status).bind(filter.checked_in)
        .fetch_one(pool).await)?;
    Ok((rows, total))
}

/// An edition's registrations counted: confirmed, of those onsite, and checked in.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub confirmed: i64,
    pub onsite: i64,
    pub checked_in: i64,
}

pub async fn counts(db: &Db, edition: Uuid) -> DbResult<Counts> {
    let (confirmed, onsite, checked_in): (i64, i64, i64) = on_db!(db, pool => sqlx::query_as(
        "select count(*), coalesce(sum(case when attendance = 'onsite' then 1 else 0 end), 0),
                coalesce(sum(case when checked_in_at is not null then 1 else 0 end), 0)
         from registrations where edition_id = $1 and status = 'confirmed'")
        .bind(edition).fetch_one(pool).await)?;
    Ok(Counts { confirmed, onsite, checked_in })
}

/// Registrations as CSV, for badges printed elsewhere or the venue's list.
/// The registrations CSV's columns, as codes (the command line's heading).
pub const REGISTRATION_COLUMNS: [&str; 7] =
    ["name", "email", "category", "attendance", "status", "badge", "checked_in_at"];

/// Every registration under a heading of [`REGISTRATION_COLUMNS`] in whatever words the reader
/// wants.
pub fn registrations_csv(heading: [&str; 7], rows: &[Registration]) -> String {
    let mut csv = kaigi_core::spreadsheet::Csv::new();
    let mut write = |fields: [&str; 7]| csv.row(fields);
    write(heading);
    for r in rows {
        let checked = r.checked_in_at.map(|t| t.to_string()).unwrap_or_default();
        write([&r.display_name, &r.email, &r.category_code, &r.attendance, &r.status, &r.badge_code, &checked]);
    }
    csv.finish()
}

/// The registration a badge belongs to, in an edition.
pub async fn registration_by_badge(db: &Db, edition: Uuid, code: &str) -> DbResult<Option<Registration>> {
    let sql = format!("{REGISTRATION_SELECT} where r.edition_id = $1 and r.badge_code = $2");
    let code = code.trim().to_ascii_uppercase();
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Registration>(sqlx::AssertSqlSafe(sql)).bind(edition).bind(&code).fetch_optional(pool).await)?,
    )
}

/// What registering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    New,
    Changed,
}

/// Takes one onsite place in a category, or says that none is left.
async fn take_place(tx: &mut Tx, category: Uuid, name: &str) -> DbResult<()> {
    let taken = on_tx!(tx, c => sqlx::query(
        "update registration_categories set onsite_taken = onsite_taken + 1
         where id = $1 and (onsite_capacity is null or onsite_taken < onsite_capacity)")
        .bind(category).rows(c).await)?;
    if taken == 0 {
        return Err(DbError::refused(
            "error-onsite-full",
            format!("category: no onsite places are left in {name:?}; you can still attend online"),
        )
        .with("category", name.to_owned()));
    }
    Ok(())
}

async fn release_place(tx: &mut Tx, category: Uuid) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "update registration_categories set onsite_taken = onsite_taken - 1 where id = $1 and onsite_taken > 0")
        .bind(category).rows(c).await)?;
    Ok(())
}

/// A badge code people can read out or type: ten characters without 0/O or 1/I.
fn badge_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..10).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Registers a user for an edition, or changes their registration: in one transaction the
/// onsite place is taken (or refused), the old one given back, the directory fields saved on
/// the person and a confirmation queued.
pub async fn register(
    db: &Db,
    actor: &Actor,
    edition: &Edition,
    user: Uuid,
    input: &RegistrationInput,
    base_url: &str,
) -> DbResult<Registered> {
    register_with(db, actor, edition, user, input, Some(base_url)).await
}

/// [`register`], with the confirmation left out when `base_url` is None (demo data).
pub(crate) async fn register_with(
    db: &Db,
    actor: &Actor,
    edition: &Edition,
    user: Uuid,
    input: &RegistrationInput,
    base_url: Option<&str>,
) -> DbResult<Registered> {
    if let Some(g) = &input.gender
        && g.chars().count() > 60
    {
        return Err(kaigi_core::directory::DirectoryError::TooLong { field: "gender", max: 60 }.into());
    }
    let mut tx = db.begin().await?;
    let category: Option<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select id, name from registration_categories where edition_id = $1 and code = $2")
        .bind(edition.id).bind(&input.category).fetch_optional(c).await)?;
    let Some((category_id, category_name)) = category else {
        return Err(DbError::refused(
            "error-no-category",
            format!("category: {:?} is not a category of this edition", input.category),
        )
        .with("category", input.category.clone()));
    };
    let account: Option<(String, String, Option<Uuid>)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select email, display_name, person_id from users where id = $1").bind(user).fetch_optional(c).await)?;
    let Some((email, display_name, person)) = account else { return Err(DbError::NotFound("user")) };
    let person = match person {
        Some(p) => {
            on_tx!(&mut tx, c => sqlx::query(
                "update people set stakeholder_group = $1, un_region = $2, country = $3, gender = $4, youth = $5,
                        version = version + 1, updated_at = $6 where id = $7")
                .bind(input.stakeholder_group.map(|g| g.code())).bind(input.un_region.map(|r| r.code()))
                .bind(input.country.as_ref().map(|c| c.as_str())).bind(input.gender.as_deref().map(str::trim).filter(|g| !g.is_empty()))
                .bind(input.youth).bind(now()).bind(p).rows(c).await)?;
            p
        }
        None => {
            let name = kaigi_core::directory::PersonName::parse(&display_name, None, None)?;
            let person = crate::directory::PersonInput {
                name,
                email: Some(email.clone()),
                stakeholder_group: input.stakeholder_group,
                un_region: input.un_region,
                country: input.country.clone(),
                gender: input.gender.clone().filter(|g| !g.trim().is_empty()),
                youth: input.youth,
            };
            let id = crate::directory::create_person(&mut tx, actor, &person).await?;
            on_tx!(&mut tx, c => sqlx::query("update users set person_id = $1 where id = $2").bind(id).bind(user).rows(c).await)?;
            id
        }
    };
    let existing: Option<(Uuid, Uuid, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select id, category_id, attendance, status from registrations where edition_id = $1 and user_id = $2")
        .bind(edition.id).bind(user).fetch_optional(c).await)?;
    let onsite = input.attendance == Attendance::Onsite;
    let held = existing
        .as_ref()
        .filter(|(_, _, attendance, status)| status == "confirmed" && attendance == "onsite")
        .map(|(_, category, _, _)| *category);
    let now = now();
    let (id, outcome) = match &existing {
        Some((id, _, _, status)) => {
            on_tx!(&mut tx, c => sqlx::query(
                "update registrations set category_id = $1, attendance = $2, first_time = $3, consent = $4, status = 'confirmed',
                        person_id = $5, version = version + 1, updated_at = $6 where id = $7")
                .bind(category_id).bind(input.attendance.code()).bind(input.first_time).bind(input.consent)
                .bind(person).bind(now).bind(id).rows(c).await)?;
            (*id, if status == "confirmed" { Registered::Changed } else { Registered::New })
        }
        None => {
            let id = new_id();
            on_tx!(&mut tx, c => sqlx::query(
                "insert into registrations (id, edition_id, user_id, person_id, category_id, attendance, first_time, consent, status,
                        badge_code, version, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, 'confirmed', $9, 1, $10, $10)")
                .bind(id).bind(edition.id).bind(user).bind(person).bind(category_id).bind(input.attendance.code())
                .bind(input.first_time).bind(input.consent).bind(badge_code()).bind(now).rows(c).await)?;
            (id, Registered::New)
        }
    };
    if let Some(base_url) = base_url {
        confirm(&mut tx, edition, &email, &display_name, &category_name, onsite, outcome, base_url).await?;
    }
    audit::record(&mut tx, actor, "registration", &id.to_string(), "register", NOTHING, Some(input)).await?;
    let data = serde_json::json!({"registration": {
        "id": id, "person": person, "name": display_name, "email": email, "category": input.category,
        "attendance": input.attendance.code(), "changed": outcome == Registered::Changed,
    }});
    crate::webhooks::emit(&mut tx, Some(edition.id), kaigi_core::webhooks::Event::RegistrationConfirmed, &data).await?;
    // Places last: the category's row stays locked (PostgreSQL) only from here to the commit,
    // so a rush of registrations queues on it as briefly as possible.
    if onsite && held != Some(category_id) {
        take_place(&mut tx, category_id, &category_name).await?;
    }
    if let Some(old) = held
        && !(onsite && old == category_id)
    {
        release_place(&mut tx, old).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

#[expect(clippy::too_many_arguments, reason = "the parts of one email")]
async fn confirm(
    tx: &mut Tx,
    edition: &Edition,
    email: &str,
    display_name: &str,
    category_name: &str,
    onsite: bool,
    outcome: Registered,
    base_url: &str,
) -> DbResult<()> {
    let link = format!("{}/editions/{}/registration", base_url.trim_end_matches('/'), edition.slug);
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    let args = [
        ("name", display_name.to_owned()),
        ("edition", edition.name.clone()),
        ("edition_ja", edition.name_ja.clone().unwrap_or_else(|| edition.name.clone())),
        ("changed", yes_no(outcome != Registered::New)),
        ("category", category_name.to_owned()),
        ("onsite", yes_no(onsite)),
        ("link", link),
    ];
    outbox::enqueue_letter(tx, email, "registration", &args).await?;
    Ok(())
}

/// Cancels a registration: its onsite place and its session places go back, and a notice is
/// queued. Cancelling twice changes nothing.
pub async fn cancel(db: &Db, actor: &Actor, edition: &Edition, user: Uuid) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let existing: Option<(Uuid, Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select id, category_id, attendance from registrations where edition_id = $1 and user_id = $2 and status = 'confirmed'")
        .bind(edition.id).bind(user).fetch_optional(c).await)?;
    let Some((id, category, attendance)) = existing else { return Ok(false) };
    if attendance == "onsite" {
        release_place(&mut tx, category).await?;
    }
    let signups: Vec<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(
        "select s.session_id from session_signups s join programme_sessions p on p.id = s.session_id
         where s.user_id = $1 and p.edition_id = $2").bind(user).bind(edition.id).fetch_all(c).await)?;
    for session in signups {
        drop_signup(&mut tx, session, user).await?;
    }
    on_tx!(&mut tx, c => sqlx::query(
        "update registrations set status = 'cancelled', version = version + 1, updated_at = $1 where id = $2")
        .bind(now()).bind(id).rows(c).await)?;
    let email: String = on_tx!(&mut tx, c => sqlx::query_scalar("select email from users where id = $1").bind(user).fetch_one(c).await)?;
    let args = [
        ("edition", edition.name.clone()),
        ("edition_ja", edition.name_ja.clone().unwrap_or_else(|| edition.name.clone())),
    ];
    outbox::enqueue_letter(&mut tx, &email, "registration-cancelled", &args).await?;
    audit::record(&mut tx, actor, "registration", &id.to_string(), "cancel", NOTHING, NOTHING).await?;
    let data = serde_json::json!({"registration": {"id": id, "email": email}});
    crate::webhooks::emit(&mut tx, Some(edition.id), kaigi_core::webhooks::Event::RegistrationCancelled, &data).await?;
    tx.commit().await?;
    Ok(true)
}

/// What a check-in found.
#[derive(Debug, Clone)]
pub enum CheckIn {
    /// Checked in now.
    Done(Registration),
    /// Checked in before, at that time.
    Already(Registration),
    /// The badge belongs to a cancelled registration.
    Cancelled(Registration),
}

/// Checks in the holder of a badge. Two desks scanning the same badge at once check in once.
pub async fn check_in(db: &Db, actor: &Actor, edition: Uuid, code: &str) -> DbResult<CheckIn> {
    let Some(found) = registration_by_badge(db, edition, code).await? else {
        return Err(DbError::refused(
            "error-badge-unknown",
            format!("badge: no registration of this edition has the code {:?}", code.trim()),
        )
        .with("code", code.trim()));
    };
    if !found.confirmed() {
        return Ok(CheckIn::Cancelled(found));
    }
    let mut tx = db.begin().await?;
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "update registrations set checked_in_at = $1, updated_at = $1 where id = $2 and checked_in_at is null and status = 'confirmed'")
        .bind(now()).bind(found.id).rows(c).await)?;
    if changed == 1 {
        audit::record(&mut tx, actor, "registration", &found.id.to_string(), "check-in", NOTHING, NOTHING).await?;
    }
    tx.commit().await?;
    let now = registration_of(db, edition, found.user_id).await?.ok_or(DbError::NotFound("registration"))?;
    Ok(if changed == 1 { CheckIn::Done(now) } else { CheckIn::Already(now) })
}

/// The confirmed registrations of an edition, as statistics count them.
pub async fn participants(db: &Db, edition: Uuid) -> DbResult<Vec<Participant>> {
    type Row = (String, String, Option<String>, Option<String>, Option<String>, Option<String>, bool, bool, bool);
    let rows: Vec<Row> = on_db!(db, pool => sqlx::query_as(
        "select c.code, r.attendance, p.stakeholder_group, p.un_region, p.country, p.gender, p.youth, r.first_time, r.consent
         from registrations r join registration_categories c on c.id = r.category_id join people p on p.id = r.person_id
         where r.edition_id = $1 and r.status = 'confirmed'")
        .bind(edition).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(category, attendance, group, region, country, gender, youth, first_time, consent)| Participant {
            category,
            attendance: attendance.parse().unwrap_or(Attendance::Online),
            stakeholder_group: group,
            region,
            country,
            gender,
            youth,
            first_time,
            consent,
        })
        .collect())
}

/// One edition's figures, with what names it.
#[derive(Debug, Clone, Serialize)]
pub struct EditionFigures {
    /// The edition's slug, or the key of imported figures.
    pub key: String,
    pub name: String,
    pub name_ja: Option<String>,
    /// True for figures imported from a file, false for kaigi's own registrations.
    pub imported: bool,
    pub figures: Figures,
}

/// Every edition kaigi has figures for: its own editions with registrations (newest first),
/// then the imported ones in key order, newest first by key.
pub async fn all_figures(db: &Db) -> DbResult<Vec<EditionFigures>> {
    let mut out = Vec::new();
    for edition in crate::editions::list_editions(db).await? {
        let people = participants(db, edition.id).await?;
        if people.is_empty() {
            continue;
        }
        out.push(EditionFigures {
            key: edition.slug,
            name: edition.name,
            name_ja: edition.name_ja,
            imported: false,
            figures: kaigi_core::participation::tally(&people),
        });
    }
    let mut imported = imported_figures(db).await?;
    imported.sort_by(|a, b| b.key.cmp(&a.key));
    out.extend(imported);
    Ok(out)
}

/// Past editions' figures as imported.
pub async fn imported_figures(db: &Db) -> DbResult<Vec<EditionFigures>> {
    let rows: Vec<(String, String, String, String, i64)> = on_db!(db, pool => sqlx::query_as(
        "select edition_key, edition_name, dimension, category, count from participation_aggregates
         order by edition_key, dimension, category").fetch_all(pool).await)?;
    let rows: Vec<AggregateRow> = rows
        .into_iter()
        .map(|(edition, name, dimension, category, count)| AggregateRow {
            edition,
            name,
            dimension: dimension.parse().ok(),
            category,
            count: count.max(0) as u64,
        })
        .collect();
    Ok(figures_from_rows(&rows)
        .into_iter()
        .map(|(key, name, figures)| EditionFigures { key, name, name_ja: None, imported: true, figures })
        .collect())
}

/// What an import of past figures did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AggregateImport {
    pub editions: Vec<String>,
    pub rows: usize,
    pub replaced: Vec<String>,
}

/// Stores past editions' figures in one transaction. An edition that already has imported
/// figures is refused unless `replace` is set, and then its old figures are replaced whole;
/// a key that is one of kaigi's own editions is always refused (its figures are live).
pub async fn import_aggregates(
    db: &Db,
    actor: &Actor,
    rows: &[AggregateRow],
    replace: bool,
) -> DbResult<AggregateImport> {
    let mut editions: Vec<String> = rows.iter().map(|r| r.edition.clone()).collect();
    editions.dedup();
    editions.sort();
    editions.dedup();
    let mut tx = db.begin().await?;
    let mut replaced = Vec::new();
    for key in &editions {
        let own: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("select count(*) from editions where slug = $1")
            .bind(key).fetch_one(c).await)?;
        if own > 0 {
            return Err(DbError::refused(
                "error-figures-live-edition",
                format!("edition: {key:?} is an edition kaigi runs; its figures come from its registrations"),
            )
            .with("edition", key));
        }
        let stored: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("select count(*) from participation_aggregates where edition_key = $1")
            .bind(key).fetch_one(c).await)?;
        if stored > 0 {
            if !replace {
                return Err(DbError::refused(
                    "error-figures-exist",
                    format!("edition: {key:?} already has imported figures; import with replace to overwrite them"),
                )
                .with("edition", key));
            }
            on_tx!(&mut tx, c => sqlx::query("delete from participation_aggregates where edition_key = $1").bind(key).rows(c).await)?;
            replaced.push(key.clone());
        }
    }
    let now = now();
    for row in rows {
        let count = i64::try_from(row.count).map_err(|_| DbError::out_of_range("count", row.count, 0, i64::MAX))?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into participation_aggregates (id, edition_key, edition_name, dimension, category, count, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(new_id()).bind(&row.edition).bind(&row.name).bind(row.dimension.map_or("total", |d| d.code()))
            .bind(&row.category).bind(count).bind(now).rows(c).await)?;
    }
    let summary = AggregateImport { editions, rows: rows.len(), replaced };
    audit::record(&mut tx, actor, "participation_aggregates", "import", "import", NOTHING, Some(&summary)).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Sets how many people may sign up for a session (None: no sign-up). Never below the places
/// already taken.
pub async fn set_signup_capacity(db: &Db, actor: &Actor, session: Uuid, capacity: Option<i64>) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let taken: Option<i64> = on_tx!(&mut tx, c => sqlx::query_scalar("select signup_taken from programme_sessions where id = $1")
        .bind(session).fetch_optional(c).await)?;
    let Some(taken) = taken else { return Err(DbError::NotFound("session")) };
    if let Some(cap) = capacity
        && cap < taken.max(0)
    {
        return Err(DbError::refused(
            "error-capacity-below-taken",
            format!("signup_capacity: {taken} people have signed up; the capacity cannot be {cap}"),
        )
        .with("taken", taken)
        .with("capacity", cap));
    }
    if capacity.is_none() && taken > 0 {
        return Err(DbError::refused(
            "error-signup-keep",
            format!("signup_capacity: {taken} people have signed up; sign-up cannot be removed"),
        )
        .with("taken", taken));
    }
    on_tx!(&mut tx, c => sqlx::query("update programme_sessions set signup_capacity = $1, updated_at = $2 where id = $3")
        .bind(capacity).bind(now()).bind(session).rows(c).await)?;
    audit::record(
        &mut tx,
        actor,
        "programme_session",
        &session.to_string(),
        "signup-capacity",
        NOTHING,
        Some(&capacity),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A session's sign-up places: (capacity, taken), None when it has no sign-up.
pub async fn signup_places(db: &Db, session: Uuid) -> DbResult<Option<(i64, i64)>> {
    let row: Option<(Option<i64>, i64)> = on_db!(db, pool => sqlx::query_as(
        "select signup_capacity, signup_taken from programme_sessions where id = $1").bind(session).fetch_optional(pool).await)?;
    Ok(row.and_then(|(cap, taken)| cap.map(|cap| (cap, taken))))
}

/// Whether a user has signed up for a session.
pub async fn signed_up(db: &Db, session: Uuid, user: Uuid) -> DbResult<bool> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar("select count(*) from session_signups where session_id = $1 and user_id = $2")
        .bind(session).bind(user).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// Signs a registered user up for a session with places, and puts it in their agenda.
pub async fn sign_up(db: &Db, session: Uuid, user: Uuid) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let registered: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
        "select count(*) from registrations r join programme_sessions s on s.edition_id = r.edition_id
         where s.id = $1 and r.user_id = $2 and r.status = 'confirmed'").bind(session).bind(user).fetch_one(c).await)?;
    if registered == 0 {
        return Err(DbError::refused("error-signup-register-first", "sign-up: register for the edition first"));
    }
    let already: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
        "select count(*) from session_signups where session_id = $1 and user_id = $2").bind(session).bind(user).fetch_one(c).await)?;
    if already > 0 {
        return Ok(());
    }
    let taken = on_tx!(&mut tx, c => sqlx::query(
        "update programme_sessions set signup_taken = signup_taken + 1
         where id = $1 and signup_capacity is not null and signup_taken < signup_capacity")
        .bind(session).rows(c).await)?;
    if taken == 0 {
        return Err(DbError::refused("error-signup-full", "sign-up: this session is full or has no sign-up"));
    }
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into session_signups (id, session_id, user_id, created_at, updated_at) values ($1, $2, $3, $4, $4)")
        .bind(new_id()).bind(session).bind(user).bind(now).rows(c).await)?;
    on_tx!(&mut tx, c => sqlx::query(
        "insert into agenda_stars (id, user_id, session_id, created_at, updated_at) values ($1, $2, $3, $4, $4)
         on conflict (user_id, session_id) do nothing")
        .bind(new_id()).bind(user).bind(session).bind(now).rows(c).await)?;
    tx.commit().await?;
    Ok(())
}

async fn drop_signup(tx: &mut Tx, session: Uuid, user: Uuid) -> DbResult<bool> {
    let removed = on_tx!(tx, c => sqlx::query("delete from session_signups where session_id = $1 and user_id = $2")
        .bind(session).bind(user).rows(c).await)?;
    if removed > 0 {
        on_tx!(tx, c => sqlx::query(
            "update programme_sessions set signup_taken = signup_taken - 1 where id = $1 and signup_taken > 0")
            .bind(session).rows(c).await)?;
    }
    Ok(removed > 0)
}

/// Gives a session place back.
pub async fn withdraw_signup(db: &Db, session: Uuid, user: Uuid) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let removed = drop_signup(&mut tx, session, user).await?;
    tx.commit().await?;
    Ok(removed)
}
