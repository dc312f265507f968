//! An edition's setup (days, rooms, tracks, themes) read and stored as one document, and new
//! editions. Storing is one transaction with a version check: a setup saved from an outdated
//! copy is refused, and a day, room, track or theme still in use is never removed.

use crate::Run;
use std::collections::{BTreeMap, HashMap};

use kaigi_core::problem::Problem;
use kaigi_core::setup::{EditionSetup, SetupDay, SetupLabel, SetupRoom, format_spans, parse_spans};
use kaigi_core::timetable::Span;
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::{Actor, Db, DbError, DbResult, OnUnique, Tx, audit, new_id, now, on_db, on_tx};

#[derive(sqlx::FromRow)]
struct DayRow {
    label: String,
    day: Date,
    starts_at: String,
    ends_at: String,
    breaks: String,
}

#[derive(sqlx::FromRow)]
struct RoomRow {
    id: Uuid,
    name: String,
    capacity: i64,
    features: String,
}

#[derive(sqlx::FromRow)]
struct AvailabilityRow {
    room_id: Uuid,
    day: Date,
    starts_at: String,
    ends_at: String,
}

fn date(text: &str) -> DbResult<Date> {
    Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| DbError::not_a_date("date", text))
}

/// The edition's setup as stored, at its current version.
pub async fn load(db: &Db, edition: Uuid) -> DbResult<EditionSetup> {
    let version = on_db!(db, pool => sqlx::query_scalar::<_, i64>("select setup_version from editions where id = $1")
        .bind(edition).fetch_optional(pool).await)?
    .ok_or(DbError::NotFound("edition"))?;
    let days: Vec<DayRow> = on_db!(db, pool => sqlx::query_as(
        "select label, day, starts_at, ends_at, breaks from edition_days where edition_id = $1 order by day")
        .bind(edition).fetch_all(pool).await)?;
    let rooms: Vec<RoomRow> = on_db!(db, pool => sqlx::query_as(
        "select id, name, capacity, features from rooms where edition_id = $1 order by position, name")
        .bind(edition).fetch_all(pool).await)?;
    let availability: Vec<AvailabilityRow> = on_db!(db, pool => sqlx::query_as(
        "select a.room_id, a.day, a.starts_at, a.ends_at from room_availability a join rooms r on r.id = a.room_id
         where r.edition_id = $1 order by a.day, a.starts_at")
        .bind(edition).fetch_all(pool).await)?;
    let mut available: HashMap<Uuid, BTreeMap<String, Vec<Span>>> = HashMap::new();
    for a in availability {
        available
            .entry(a.room_id)
            .or_default()
            .entry(a.day.to_string())
            .or_default()
            .push(Span { start: a.starts_at, end: a.ends_at });
    }
    let label = |l: crate::editions::Label| SetupLabel { id: Some(l.id.to_string()), name: l.name, name_ja: l.name_ja };
    Ok(EditionSetup {
        version: Some(version),
        days: days
            .into_iter()
            .map(|d| SetupDay {
                date: d.day.to_string(),
                label: d.label,
                start: d.starts_at,
                end: d.ends_at,
                // Stored by this module only, after a check; unreadable text cannot occur.
                breaks: parse_spans(&d.breaks).unwrap_or_default(),
            })
            .collect(),
        rooms: rooms
            .into_iter()
            .map(|r| SetupRoom {
                id: Some(r.id.to_string()),
                available: available.remove(&r.id),
                name: r.name,
                capacity: r.capacity,
                features: r.features.split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned).collect(),
            })
            .collect(),
        tracks: crate::editions::tracks(db, edition).await?.into_iter().map(label).collect(),
        themes: crate::editions::themes(db, edition).await?.into_iter().map(label).collect(),
    })
}

/// Pairs each wanted item with the stored one it is (by id, else by name), in order.
fn match_stored<'a>(
    what: &str,
    wanted: impl Iterator<Item = (Option<&'a str>, &'a str)>,
    stored: &[(Uuid, String)],
) -> DbResult<Vec<Option<Uuid>>> {
    let mut taken = Vec::new();
    let mut matched = Vec::new();
    let wanted: Vec<_> = wanted.collect();
    // Ids first, so a renamed item keeps its id even when a new one takes its old name.
    for (i, (id, _)) in wanted.iter().enumerate() {
        if let Some(id) = id {
            let found = stored.iter().find(|(s, _)| s.to_string() == *id);
            let Some((found, _)) = found else {
                return Err(DbError::refused(
                    "error-unknown-id",
                    format!("{what}[{i}].id: {id} is not one of this edition's {what}"),
                )
                .with("field", format!("{what}[{i}].id"))
                .with("value", id));
            };
            taken.push(*found);
        }
    }
    for (id, name) in &wanted {
        let found = match id {
            Some(id) => stored.iter().find(|(s, _)| s.to_string() == *id).map(|(s, _)| *s),
            None => {
                let key = name.trim().to_lowercase();
                let found =
                    stored.iter().find(|(s, n)| !taken.contains(s) && n.trim().to_lowercase() == key).map(|(s, _)| *s);
                taken.extend(found);
                found
            }
        };
        matched.push(found);
    }
    Ok(matched)
}

async fn count(tx: &mut Tx, sql: &'static str, id: Uuid) -> DbResult<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(c).await)?)
}

/// Stores a setup: one transaction, refused if the setup changed since `setup.version` (or
/// since it was read, without one), and refused if it would remove something in use. Returns
/// the new setup version.
pub async fn store(db: &Db, actor: &Actor, edition: Uuid, setup: &EditionSetup) -> DbResult<i64> {
    let before = load(db, edition).await?;
    // A copy read before someone else's save is refused first: its other problems may be theirs.
    if setup.version.is_some() && setup.version != before.version {
        return Err(DbError::Conflict { entity: "the edition's setup" });
    }
    setup.check().map_err(|errors| {
        // The English keeps the document's path ("rooms[2].capacity") for the command line.
        // The path goes with each problem too, for a program to point at ("path" in the API).
        DbError::Refused(
            errors
                .into_iter()
                .map(|e| {
                    let english = e.to_string();
                    Problem { english, ..e.problem.with("path", &e.path) }
                })
                .collect(),
        )
    })?;
    let expected = setup.version.or(before.version).unwrap_or(0);
    let mut tx = db.begin().await?;
    let now = now();
    let claimed = on_tx!(&mut tx, c => sqlx::query(
        "update editions set setup_version = setup_version + 1, schedule_version = schedule_version + 1, updated_at = $3
         where id = $1 and setup_version = $2")
        .bind(edition).bind(expected).bind(now).rows(c).await)?;
    if claimed == 0 || before.version != Some(expected) {
        return Err(DbError::Conflict { entity: "the edition's setup" });
    }

    // Days, known by their date.
    for old in &before.days {
        if setup.days.iter().any(|d| d.date == old.date) {
            continue;
        }
        let day = date(&old.date)?;
        let placed = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(
            "select count(*) from programme_sessions where edition_id = $1 and day = $2")
            .bind(edition).bind(day).fetch_one(c).await)?;
        if placed > 0 {
            return Err(DbError::refused(
                "error-setup-day-in-use",
                format!("days: {} ({}) has {placed} sessions placed on it; move them first", old.date, old.label),
            )
            .with("day", &old.label)
            .with("count", placed));
        }
        on_tx!(&mut tx, c => sqlx::query("delete from edition_days where edition_id = $1 and day = $2")
            .bind(edition).bind(day).rows(c).await)?;
    }
    for d in &setup.days {
        let day = date(&d.date)?;
        let breaks = format_spans(&d.breaks).replace('–', "-");
        let updated = on_tx!(&mut tx, c => sqlx::query(
            "update edition_days set label = $3, starts_at = $4, ends_at = $5, breaks = $6, updated_at = $7
             where edition_id = $1 and day = $2")
            .bind(edition).bind(day).bind(d.label.trim()).bind(&d.start).bind(&d.end).bind(&breaks).bind(now)
            .rows(c).await)?;
        if updated == 0 {
            on_tx!(&mut tx, c => sqlx::query(
                "insert into edition_days (id, edition_id, label, day, starts_at, ends_at, breaks, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
                .bind(new_id()).bind(edition).bind(d.label.trim()).bind(day).bind(&d.start).bind(&d.end).bind(&breaks).bind(now)
                .rows(c).await)?;
        }
    }
    if let (Some(first), Some(last)) =
        (setup.days.iter().map(|d| &d.date).min(), setup.days.iter().map(|d| &d.date).max())
    {
        let (first, last) = (date(first)?, date(last)?);
        on_tx!(&mut tx, c => sqlx::query("update editions set starts_on = $2, ends_on = $3 where id = $1")
            .bind(edition).bind(first).bind(last).rows(c).await)?;
    }

    // Rooms, with their availability written anew.
    let stored = ids_and_names(before.rooms.iter().map(|r| (&r.id, &r.name)));
    let matched = match_stored("rooms", setup.rooms.iter().map(|r| (r.id.as_deref(), r.name.as_str())), &stored)?;
    on_tx!(&mut tx, c => sqlx::query(
        "delete from room_availability where room_id in (select id from rooms where edition_id = $1)")
        .bind(edition).rows(c).await)?;
    for (id, name) in &stored {
        if matched.contains(&Some(*id)) {
            continue;
        }
        let placed = count(&mut tx, "select count(*) from programme_sessions where room_id = $1", *id).await?;
        if placed > 0 {
            return Err(DbError::refused(
                "error-setup-room-in-use",
                format!("rooms: {name} has {placed} sessions placed in it; move them first"),
            )
            .with("room", name)
            .with("count", placed));
        }
        on_tx!(&mut tx, c => sqlx::query("delete from rooms where id = $1").bind(*id).rows(c).await)?;
    }
    for (position, (room, id)) in setup.rooms.iter().zip(&matched).enumerate() {
        let features = room.features.join(",");
        let id = match id {
            Some(id) => {
                on_tx!(&mut tx, c => sqlx::query(
                    "update rooms set name = $2, capacity = $3, features = $4, position = $5, updated_at = $6 where id = $1")
                    .bind(*id).bind(room.name.trim()).bind(room.capacity).bind(&features).bind(position as i64).bind(now)
                    .rows(c).await)?;
                *id
            }
            None => {
                let id = new_id();
                on_tx!(&mut tx, c => sqlx::query(
                    "insert into rooms (id, edition_id, name, capacity, features, position, created_at, updated_at)
                     values ($1, $2, $3, $4, $5, $6, $7, $7)")
                    .bind(id).bind(edition).bind(room.name.trim()).bind(room.capacity).bind(&features).bind(position as i64).bind(now)
                    .rows(c).await)?;
                id
            }
        };
        for (day, spans) in room.available.iter().flatten() {
            let day = date(day)?;
            for span in spans {
                on_tx!(&mut tx, c => sqlx::query(
                    "insert into room_availability (id, room_id, day, starts_at, ends_at, created_at, updated_at)
                     values ($1, $2, $3, $4, $5, $6, $6)")
                    .bind(new_id()).bind(id).bind(day).bind(&span.start).bind(&span.end).bind(now)
                    .rows(c).await)?;
            }
        }
    }

    store_labels(&mut tx, edition, Labels::Tracks, &before.tracks, &setup.tracks).await?;
    store_labels(&mut tx, edition, Labels::Themes, &before.themes, &setup.themes).await?;
    let after = EditionSetup { version: Some(expected + 1), ..setup.clone() };
    audit::record(&mut tx, actor, "edition_setup", &edition.to_string(), "update", Some(&before), Some(&after)).await?;
    tx.commit().await?;
    Ok(expected + 1)
}

fn ids_and_names<'a>(items: impl Iterator<Item = (&'a Option<String>, &'a String)>) -> Vec<(Uuid, String)> {
    items.filter_map(|(id, name)| Some((Uuid::parse_str(id.as_deref()?).ok()?, name.clone()))).collect()
}

#[derive(Clone, Copy)]
enum Labels {
    Tracks,
    Themes,
}

async fn store_labels(
    tx: &mut Tx,
    edition: Uuid,
    kind: Labels,
    before: &[SetupLabel],
    wanted: &[SetupLabel],
) -> DbResult<()> {
    let (what, used, delete, update, insert) = match kind {
        Labels::Tracks => (
            "tracks",
            "select (select count(*) from proposals where track_id = $1) + (select count(*) from programme_sessions where track_id = $1)",
            "delete from tracks where id = $1",
            "update tracks set name = $2, name_ja = $3, position = $4, updated_at = $5 where id = $1",
            "insert into tracks (id, edition_id, name, name_ja, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)",
        ),
        Labels::Themes => (
            "themes",
            "select (select count(*) from proposals where theme_id = $1) + (select count(*) from programme_sessions where theme_id = $1)",
            "delete from themes where id = $1",
            "update themes set name = $2, name_ja = $3, position = $4, updated_at = $5 where id = $1",
            "insert into themes (id, edition_id, name, name_ja, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)",
        ),
    };
    let stored = ids_and_names(before.iter().map(|l| (&l.id, &l.name)));
    let matched = match_stored(what, wanted.iter().map(|l| (l.id.as_deref(), l.name.as_str())), &stored)?;
    let now = now();
    for (id, name) in &stored {
        if matched.contains(&Some(*id)) {
            continue;
        }
        let uses = count(tx, used, *id).await?;
        if uses > 0 {
            return Err(DbError::refused(
                "error-setup-label-in-use",
                format!("{what}: {name} is used by {uses} proposals or sessions; it cannot be removed"),
            )
            .with("name", name)
            .with("count", uses));
        }
        on_tx!(&mut *tx, c => sqlx::query(delete).bind(*id).rows(c).await)?;
    }
    for (position, (label, id)) in wanted.iter().zip(&matched).enumerate() {
        let name_ja = label.name_ja.as_deref().map(str::trim).filter(|n| !n.is_empty());
        match id {
            Some(id) => on_tx!(&mut *tx, c => sqlx::query(update)
                .bind(*id).bind(label.name.trim()).bind(name_ja).bind(position as i64).bind(now)
                .rows(c).await)?,
            None => on_tx!(&mut *tx, c => sqlx::query(insert)
                .bind(new_id()).bind(edition).bind(label.name.trim()).bind(name_ja).bind(position as i64).bind(now)
                .rows(c).await)?,
        };
    }
    Ok(())
}

/// A new edition's identity; its days come from its dates (09:00–18:00 each) and are then
/// set up like any other.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NewEdition {
    pub slug: String,
    pub name: String,
    pub name_ja: Option<String>,
    pub timezone: String,
    pub venue: Option<String>,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// Creates an edition with one day per date, refusing a taken slug, an unknown time zone or
/// dates in the wrong order.
pub async fn create_edition(db: &Db, actor: &Actor, new: &NewEdition) -> DbResult<Uuid> {
    let slug = new.slug.trim();
    if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(DbError::refused(
            "error-slug",
            format!("slug: {slug:?} must be lower-case letters, digits and hyphens"),
        )
        .with("value", slug));
    }
    if new.name.trim().is_empty() {
        return Err(DbError::empty("name"));
    }
    if jiff::tz::TimeZone::get(new.timezone.trim()).is_err() {
        return Err(DbError::refused(
            "error-timezone",
            format!("timezone: {:?} is not a known time zone (e.g. Asia/Tokyo)", new.timezone),
        )
        .with("value", &new.timezone));
    }
    if new.ends_on < new.starts_on {
        return Err(DbError::ends_before_start("ends_on"));
    }
    if (new.ends_on - new.starts_on).whole_days() > 60 {
        return Err(DbError::refused("error-edition-too-long", "ends_on: an edition lasts at most 60 days"));
    }
    let exists = || {
        DbError::refused("error-edition-exists", format!("slug: an edition {slug:?} exists already")).with("slug", slug)
    };
    if crate::editions::edition_by_slug(db, slug).await?.is_some() {
        return Err(exists());
    }
    let mut tx = db.begin().await?;
    let now = now();
    let id = new_id();
    let name_ja = new.name_ja.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let venue = new.venue.as_deref().map(str::trim).filter(|n| !n.is_empty());
    on_tx!(&mut tx, c => sqlx::query(
        "insert into editions (id, slug, name, name_ja, timezone, venue, starts_on, ends_on, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(id).bind(slug).bind(new.name.trim()).bind(name_ja).bind(new.timezone.trim()).bind(venue)
        .bind(new.starts_on).bind(new.ends_on).bind(now).rows(c).await)
    .on_unique(exists)?;
    for n in 0..=(new.ends_on - new.starts_on).whole_days() {
        let day = new.starts_on + time::Duration::days(n);
        on_tx!(&mut tx, c => sqlx::query(
            "insert into edition_days (id, edition_id, label, day, starts_at, ends_at, breaks, created_at, updated_at)
             values ($1, $2, $3, $4, '09:00', '18:00', '', $5, $5)")
            .bind(new_id()).bind(id).bind(format!("Day {}", n + 1)).bind(day).bind(now)
            .rows(c).await)?;
    }
    audit::record(&mut tx, actor, "edition", &id.to_string(), "create", audit::NOTHING, Some(new)).await?;
    tx.commit().await?;
    Ok(id)
}
