//! Roundtables: invitees, seatings over rounds (kaigi_core::roundtable), rapporteurs, and the
//! tables' reports filed under themes, with optimistic concurrency on reports.

use crate::Run;
use std::time::Duration;

use kaigi_core::roundtable::{Invitee as CoreInvitee, Theme, plan};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Actor, NOTHING};
use crate::{Db, DbError, DbResult, new_id, now, on_db, on_tx};

#[derive(Debug, Clone, Serialize)]
pub struct Roundtable {
    pub id: Uuid,
    pub edition_id: Uuid,
    pub name: String,
    pub name_ja: Option<String>,
    pub tables: i64,
    pub seats: i64,
    pub rounds: i64,
    pub themes: Vec<Theme>,
    pub version: i64,
}

type RoundtableRow = (Uuid, Uuid, String, Option<String>, i64, i64, i64, String, i64);

fn from_row((id, edition_id, name, name_ja, tables, seats, rounds, themes, version): RoundtableRow) -> Roundtable {
    Roundtable {
        id,
        edition_id,
        name,
        name_ja,
        tables,
        seats,
        rounds,
        themes: serde_json::from_str(&themes).unwrap_or_default(),
        version,
    }
}

const COLUMNS: &str = "select id, edition_id, name, name_ja, tables, seats, rounds, themes, version from roundtables";

pub async fn of_edition(db: &Db, edition: Uuid) -> DbResult<Vec<Roundtable>> {
    let sql = format!("{COLUMNS} where edition_id = $1 order by created_at, id");
    let rows: Vec<RoundtableRow> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(edition).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub async fn get(db: &Db, id: Uuid) -> DbResult<Option<Roundtable>> {
    let sql = format!("{COLUMNS} where id = $1");
    let row: Option<RoundtableRow> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?;
    Ok(row.map(from_row))
}

/// The most report themes a roundtable has.
pub const THEMES_MAX: usize = 50;
/// The most people one invitation adds.
pub const INVITE_MAX: usize = 2000;

#[derive(Debug, Clone, Serialize)]
pub struct RoundtableInput {
    pub name: String,
    pub name_ja: Option<String>,
    pub tables: i64,
    pub seats: i64,
    pub rounds: i64,
    pub themes: Vec<Theme>,
}

impl RoundtableInput {
    fn check(&self) -> DbResult<()> {
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(DbError::length("name", self.name.chars().count(), 1, 200));
        }
        if !(1..=500).contains(&self.tables) {
            return Err(DbError::out_of_range("tables", self.tables, 1, 500));
        }
        if !(1..=100).contains(&self.seats) {
            return Err(DbError::out_of_range("seats", self.seats, 1, 100));
        }
        if !(1..=5).contains(&self.rounds) {
            return Err(DbError::out_of_range("rounds", self.rounds, 1, 5));
        }
        if self.name_ja.as_ref().is_some_and(|n| n.chars().count() > 200) {
            return Err(DbError::length("name_ja", self.name_ja.as_ref().map_or(0, |n| n.chars().count()), 0, 200));
        }
        if self.themes.is_empty() || self.themes.iter().any(|t| t.name.trim().is_empty()) {
            return Err(DbError::refused("error-roundtable-themes", "themes: at least one theme, each with a name"));
        }
        if self.themes.len() > THEMES_MAX {
            return Err(DbError::out_of_range("themes", self.themes.len(), 1, THEMES_MAX as i64));
        }
        for theme in &self.themes {
            let longest = theme.name.chars().count().max(theme.name_ja.as_ref().map_or(0, |n| n.chars().count()));
            if longest > 200 {
                return Err(DbError::length("themes", longest, 1, 200));
            }
        }
        Ok(())
    }
}

pub async fn create(db: &Db, actor: &Actor, edition: Uuid, input: &RoundtableInput) -> DbResult<Uuid> {
    input.check()?;
    let mut tx = db.begin().await?;
    let id = new_id();
    let themes = serde_json::to_string(&input.themes).map_err(|e| DbError::Internal(e.to_string()))?;
    on_tx!(&mut tx, c => sqlx::query(
        "insert into roundtables (id, edition_id, name, name_ja, tables, seats, rounds, themes, version, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)")
        .bind(id).bind(edition).bind(input.name.trim()).bind(input.name_ja.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(input.tables).bind(input.seats).bind(input.rounds).bind(themes).bind(now())
        .rows(c).await)?;
    audit::record(&mut tx, actor, "roundtable", &id.to_string(), "create", NOTHING, Some(input)).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invitee {
    pub person_id: Uuid,
    pub display_name: String,
    pub stakeholder_group: Option<String>,
    pub un_region: Option<String>,
    pub pinned_table: Option<i64>,
}

/// The invitees in gojūon order.
pub async fn invitees(db: &Db, roundtable: Uuid) -> DbResult<Vec<Invitee>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Invitee>(
        "select i.person_id, p.display_name, p.stakeholder_group, p.un_region, i.pinned_table
         from roundtable_invitees i join people p on p.id = i.person_id
         where i.roundtable_id = $1 order by p.sort_key, p.id")
        .bind(roundtable).fetch_all(pool).await)?)
}

/// Invites a person, or changes their pinned table (None: seated by kaigi).
pub async fn invite(
    db: &Db,
    actor: &Actor,
    roundtable: &Roundtable,
    person: Uuid,
    pinned: Option<i64>,
) -> DbResult<()> {
    invite_many(db, actor, roundtable, &[(person, pinned)]).await
}

/// Invites several people in one transaction: all of them or, on any error, none.
pub async fn invite_many(
    db: &Db,
    actor: &Actor,
    roundtable: &Roundtable,
    people: &[(Uuid, Option<i64>)],
) -> DbResult<()> {
    if people.len() > INVITE_MAX {
        return Err(DbError::out_of_range("invitees", people.len(), 1, INVITE_MAX as i64));
    }
    let mut tx = db.begin().await?;
    let now = now();
    for &(person, pinned) in people {
        if let Some(t) = pinned
            && !(1..=roundtable.tables).contains(&t)
        {
            return Err(DbError::out_of_range("pinned_table", t, 1, roundtable.tables));
        }
        // A person of the directory as it stands: not one merged into another.
        let listed: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "select count(*) from people where id = $1 and merged_into is null")
            .bind(person).fetch_one(c).await)?;
        if listed == 0 {
            return Err(DbError::refused(
                "error-person-unknown",
                format!("invitees: no person {person} in the directory"),
            )
            .with("person", person));
        }
        on_tx!(&mut tx, c => sqlx::query(
            "insert into roundtable_invitees (id, roundtable_id, person_id, pinned_table, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $5)
             on conflict (roundtable_id, person_id) do update set pinned_table = excluded.pinned_table, updated_at = excluded.updated_at")
            .bind(new_id()).bind(roundtable.id).bind(person).bind(pinned).bind(now).rows(c).await)?;
        if let Some(t) = pinned {
            let there: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
                "select count(*) from roundtable_invitees where roundtable_id = $1 and pinned_table = $2")
                .bind(roundtable.id).bind(t).fetch_one(c).await)?;
            if there > roundtable.seats {
                return Err(DbError::refused(
                    "error-roundtable-pinned-over",
                    format!("pinned_table: more people are pinned to table {t} than its {} seats", roundtable.seats),
                )
                .with("table", t)
                .with("seats", roundtable.seats));
            }
        }
    }
    audit::record(&mut tx, actor, "roundtable", &roundtable.id.to_string(), "invite", NOTHING, Some(&people)).await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation list: one invitee per line, an email address or a name as in the directory,
/// optionally "| table" to pin them. Every line must find exactly one person.
pub async fn resolve_list(db: &Db, text: &str) -> DbResult<Vec<(Uuid, Option<i64>)>> {
    let mut people = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (who, pinned) = match line.rsplit_once('|') {
            Some((who, table)) => {
                let table = table.trim().parse::<i64>().map_err(|_| {
                    DbError::refused(
                        "error-invite-table",
                        format!("line {}: expected a table number after '|', got {:?}", n + 1, table.trim()),
                    )
                    .with("line", n + 1)
                    .with("value", table.trim())
                })?;
                (who.trim(), Some(table))
            }
            None => (line, None),
        };
        let found = find_people(db, who).await?;
        match found.as_slice() {
            [(person, _)] => people.push((*person, pinned)),
            [] => {
                return Err(DbError::refused(
                    "error-invite-nobody",
                    format!("line {}: nobody in the directory is {who:?}", n + 1),
                )
                .with("line", n + 1)
                .with("who", who));
            }
            _ => {
                return Err(DbError::refused(
                    "error-invite-ambiguous",
                    format!("line {}: {} people are called {who:?}; use their email address", n + 1, found.len()),
                )
                .with("line", n + 1)
                .with("who", who)
                .with("count", found.len()));
            }
        }
    }
    Ok(people)
}

/// People in the directory written as on an invitation list: an email address, or a name as
/// the person writes it.
pub async fn find_people(db: &Db, written: &str) -> DbResult<Vec<(Uuid, String)>> {
    let written = kaigi_core::directory::normalize_spaces(written);
    let email = written.to_lowercase();
    Ok(on_db!(db, pool => sqlx::query_as(
        "select p.id, p.display_name from people p left join users u on u.person_id = p.id
         where p.merged_into is null and (lower(p.email) = $1 or lower(u.email) = $1 or p.display_name = $2 or p.romanized = $2)
         group by p.id, p.display_name order by p.display_name")
        .bind(&email).bind(&written).fetch_all(pool).await)?)
}

/// Takes an invitation back; refused once the person is seated (seat again first).
pub async fn uninvite(db: &Db, actor: &Actor, roundtable: Uuid, person: Uuid) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let seated: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
        "select count(*) from roundtable_seats where roundtable_id = $1 and person_id = $2")
        .bind(roundtable).bind(person).fetch_one(c).await)?;
    if seated > 0 {
        return Err(DbError::refused(
            "error-uninvite-seated",
            "invitee: this person is in the seating; clear the seating before removing them",
        ));
    }
    on_tx!(&mut tx, c => sqlx::query("delete from roundtable_invitees where roundtable_id = $1 and person_id = $2")
        .bind(roundtable).bind(person).rows(c).await)?;
    audit::record(&mut tx, actor, "roundtable", &roundtable.to_string(), "uninvite", NOTHING, Some(&person)).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Seat {
    pub round: i64,
    pub table_number: i64,
    pub person_id: Uuid,
    pub display_name: String,
    pub stakeholder_group: Option<String>,
    pub un_region: Option<String>,
    pub rapporteur: bool,
}

pub async fn seats(db: &Db, roundtable: Uuid) -> DbResult<Vec<Seat>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Seat>(
        "select s.round, s.table_number, s.person_id, p.display_name, p.stakeholder_group, p.un_region, s.rapporteur
         from roundtable_seats s join people p on p.id = s.person_id
         where s.roundtable_id = $1 order by s.round, s.table_number, s.rapporteur desc, p.sort_key")
        .bind(roundtable).fetch_all(pool).await)?)
}

async fn reports_filed(tx: &mut crate::Tx, roundtable: Uuid) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("select count(*) from roundtable_reports where roundtable_id = $1")
        .bind(roundtable).fetch_one(c).await)?)
}

/// What seating did: per round, its score and the pairs who met again.
#[derive(Debug, Clone, Serialize)]
pub struct Seated {
    pub rounds: Vec<(f64, usize)>,
}

/// Seats every invitee in every round and stores the seating in one transaction against the
/// roundtable's version; refused once a table has filed its report (its people would change).
pub async fn seat(
    db: &Db,
    actor: &Actor,
    roundtable: Uuid,
    expected_version: i64,
    budget: Duration,
) -> DbResult<Seated> {
    let rt = get(db, roundtable).await?.ok_or(DbError::NotFound("roundtable"))?;
    let people = invitees(db, roundtable).await?;
    let core: Vec<CoreInvitee> = people
        .iter()
        .map(|i| CoreInvitee {
            id: i.person_id.to_string(),
            group: i.stakeholder_group.clone(),
            region: i.un_region.clone(),
            pinned_table: i.pinned_table.and_then(|t| usize::try_from(t).ok()),
        })
        .collect();
    let (tables, seats, rounds) = (rt.tables as usize, rt.seats as usize, rt.rounds as usize);
    let planned = crate::solver(move || plan(&core, tables, seats, rounds, budget))
        .await?
        .map_err(|e| DbError::refused("error-seating-unsolved", format!("seating: {e}")).with("detail", e))?;
    let mut tx = db.begin().await?;
    if reports_filed(&mut tx, roundtable).await? > 0 {
        return Err(DbError::refused(
            "error-seating-frozen",
            "seating: tables have filed reports; the seating can no longer change",
        ));
    }
    let bumped = on_tx!(&mut tx, c => sqlx::query(
        "update roundtables set version = version + 1, updated_at = $1 where id = $2 and version = $3")
        .bind(now()).bind(roundtable).bind(expected_version).rows(c).await)?;
    if bumped == 0 {
        return Err(DbError::Conflict { entity: "roundtable" });
    }
    on_tx!(&mut tx, c => sqlx::query("delete from roundtable_seats where roundtable_id = $1").bind(roundtable)
        .rows(c).await)?;
    let now = now();
    for (r, round) in planned.iter().enumerate() {
        for (t, people) in round.tables.iter().enumerate() {
            for id in people {
                let person = Uuid::parse_str(id).map_err(|e| DbError::Internal(e.to_string()))?;
                let rapporteur = round.rapporteurs[t].as_deref() == Some(id.as_str());
                on_tx!(&mut tx, c => sqlx::query(
                    "insert into roundtable_seats (id, roundtable_id, round, table_number, person_id, rapporteur, created_at, updated_at)
                     values ($1, $2, $3, $4, $5, $6, $7, $7)")
                    .bind(new_id()).bind(roundtable).bind(r as i64 + 1).bind(t as i64 + 1).bind(person).bind(rapporteur)
                    .bind(now).rows(c).await)?;
            }
        }
    }
    let seated = Seated { rounds: planned.iter().map(|r| (r.score, r.repeated_pairs)).collect() };
    audit::record(&mut tx, actor, "roundtable", &roundtable.to_string(), "seat", NOTHING, Some(&seated)).await?;
    tx.commit().await?;
    Ok(seated)
}

/// Makes a person at a table its rapporteur for that round.
pub async fn set_rapporteur(
    db: &Db,
    actor: &Actor,
    roundtable: Uuid,
    round: i64,
    table: i64,
    person: Uuid,
) -> DbResult<()> {
    let mut tx = db.begin().await?;
    let there: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
        "select count(*) from roundtable_seats where roundtable_id = $1 and round = $2 and table_number = $3 and person_id = $4")
        .bind(roundtable).bind(round).bind(table).bind(person).fetch_one(c).await)?;
    if there == 0 {
        return Err(DbError::refused(
            "error-rapporteur-not-seated",
            format!("rapporteur: this person does not sit at table {table} in round {round}"),
        )
        .with("table", table)
        .with("round", round));
    }
    on_tx!(&mut tx, c => sqlx::query(
        "update roundtable_seats set rapporteur = (person_id = $4), updated_at = $5
         where roundtable_id = $1 and round = $2 and table_number = $3")
        .bind(roundtable).bind(round).bind(table).bind(person).bind(now()).rows(c).await)?;
    audit::record(
        &mut tx,
        actor,
        "roundtable",
        &roundtable.to_string(),
        "rapporteur",
        NOTHING,
        Some(&(round, table, person)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a user is the rapporteur of a table.
pub async fn is_rapporteur(db: &Db, user: Uuid, roundtable: Uuid, round: i64, table: i64) -> DbResult<bool> {
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(
        "select count(*) from roundtable_seats s join users u on u.person_id = s.person_id
         where u.id = $1 and s.roundtable_id = $2 and s.round = $3 and s.table_number = $4 and s.rapporteur = true")
        .bind(user).bind(roundtable).bind(round).bind(table).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// The tables a user reports for: (roundtable, round, table).
pub async fn tables_reported_by(db: &Db, user: Uuid) -> DbResult<Vec<(Uuid, i64, i64)>> {
    Ok(on_db!(db, pool => sqlx::query_as(
        "select s.roundtable_id, s.round, s.table_number from roundtable_seats s join users u on u.person_id = s.person_id
         where u.id = $1 and s.rapporteur = true order by s.round, s.table_number")
        .bind(user).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub round: i64,
    pub table_number: i64,
    pub theme: String,
    pub body: String,
    pub version: i64,
    pub updated_at: OffsetDateTime,
}

pub async fn reports(db: &Db, roundtable: Uuid) -> DbResult<Vec<Report>> {
    Ok(on_db!(db, pool => sqlx::query_as::<_, Report>(
        "select round, table_number, theme, body, version, updated_at from roundtable_reports
         where roundtable_id = $1 order by round, table_number")
        .bind(roundtable).fetch_all(pool).await)?)
}

/// Files or changes a table's report. `expected_version` is 0 for a first report; a report
/// changed by someone else in between is refused, never overwritten.
#[expect(clippy::too_many_arguments, reason = "one report's fields")]
pub async fn save_report(
    db: &Db,
    actor: &Actor,
    roundtable: &Roundtable,
    round: i64,
    table: i64,
    theme: &str,
    body: &str,
    expected_version: i64,
) -> DbResult<i64> {
    if !roundtable.themes.iter().any(|t| t.name == theme) {
        return Err(DbError::refused(
            "error-field-choice",
            format!("theme: {theme:?} is not one of this roundtable's themes"),
        )
        .with("field", "theme")
        .with("value", theme));
    }
    if body.trim().is_empty() || body.chars().count() > 20_000 {
        return Err(DbError::length("body", body.chars().count(), 1, 20_000));
    }
    if !(1..=roundtable.rounds).contains(&round) || !(1..=roundtable.tables).contains(&table) {
        return Err(DbError::NotFound("table"));
    }
    let mut tx = db.begin().await?;
    let now = now();
    let changed = if expected_version == 0 {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into roundtable_reports (id, roundtable_id, round, table_number, theme, body, author_user_id, version, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) on conflict (roundtable_id, round, table_number) do nothing")
            .bind(new_id()).bind(roundtable.id).bind(round).bind(table).bind(theme).bind(body.trim()).bind(actor.user_id)
            .bind(now).rows(c).await)?
    } else {
        on_tx!(&mut tx, c => sqlx::query(
            "update roundtable_reports set theme = $1, body = $2, author_user_id = $3, version = version + 1, updated_at = $4
             where roundtable_id = $5 and round = $6 and table_number = $7 and version = $8")
            .bind(theme).bind(body.trim()).bind(actor.user_id).bind(now).bind(roundtable.id).bind(round).bind(table)
            .bind(expected_version).rows(c).await)?
    };
    if changed == 0 {
        return Err(DbError::Conflict { entity: "report" });
    }
    audit::record(
        &mut tx,
        actor,
        "roundtable_report",
        &format!("{}/{round}/{table}", roundtable.id),
        "save",
        NOTHING,
        Some(&theme),
    )
    .await?;
    tx.commit().await?;
    Ok(expected_version + 1)
}
