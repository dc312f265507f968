//! The programme of an edition: sessions, their people and places, the timetabling instance
//! they make, and applying a solved timetable (one transaction, versions checked, audited).

use crate::Run;
use std::collections::HashMap;

use kaigi_core::timetable::{self, Instance, Placement};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Actor, Db, DbError, DbResult, OnUnique, Tx, audit, new_id, now, on_db, on_tx};

#[derive(Debug, Clone, sqlx::FromRow, Serialize, PartialEq)]
pub struct SessionRow {
    pub id: Uuid,
    pub number: i64,
    pub proposal_id: Option<Uuid>,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub minutes: i64,
    pub audience: i64,
    pub needs: String,
    pub track: Option<String>,
    pub track_ja: Option<String>,
    pub theme: Option<String>,
    pub theme_ja: Option<String>,
    pub room_id: Option<Uuid>,
    pub room: Option<String>,
    pub day: Option<Date>,
    pub starts_at: Option<String>,
    pub pinned: bool,
    pub version: i64,
    pub updated_at: OffsetDateTime,
    /// On the public schedule, its pages and exports (see [`publish`]).
    pub published: bool,
}

const SESSION_SELECT: &str = "select s.id, s.number, s.proposal_id, s.title, s.kind, s.description, s.minutes, s.audience,
        s.needs, t.name as track, t.name_ja as track_ja, th.name as theme, th.name_ja as theme_ja, s.room_id, r.name as room, s.day, s.starts_at,
        s.pinned, s.version, s.updated_at, s.published
    from programme_sessions s left join tracks t on t.id = s.track_id left join themes th on th.id = s.theme_id
    left join rooms r on r.id = s.room_id";

/// An edition's sessions: placed ones by day, time and room; then the unplaced.
pub async fn sessions(db: &Db, edition: Uuid) -> DbResult<Vec<SessionRow>> {
    let sql = format!(
        "{SESSION_SELECT} where s.edition_id = $1
         order by s.day is null, s.day, s.starts_at, r.position, s.number"
    );
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(edition).fetch_all(pool).await)?,
    )
}

pub async fn session(db: &Db, edition: Uuid, id: Uuid) -> DbResult<Option<SessionRow>> {
    let sql = format!("{SESSION_SELECT} where s.edition_id = $1 and s.id = $2");
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, SessionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(edition).bind(id).fetch_optional(pool).await)?,
    )
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize, PartialEq)]
pub struct SessionPerson {
    pub session_id: Uuid,
    pub person_id: Uuid,
    pub display_name: String,
    pub role: String,
    pub stakeholder_group: Option<String>,
    pub un_region: Option<String>,
    pub gender: Option<String>,
}

/// Everyone on an edition's sessions, in each session's order.
pub async fn people(db: &Db, edition: Uuid) -> DbResult<Vec<SessionPerson>> {
    let sql = "select sp.session_id, sp.person_id, p.display_name, sp.role, p.stakeholder_group, p.un_region, p.gender
               from programme_session_people sp join programme_sessions s on s.id = sp.session_id
               join people p on p.id = sp.person_id where s.edition_id = $1 order by sp.session_id, sp.position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, SessionPerson>(sql).bind(edition).fetch_all(pool).await)?)
}

/// A session to create (from a proposal or directly: main sessions, ceremonies).
#[derive(Debug, Clone, Serialize)]
pub struct NewSession {
    pub proposal_id: Option<Uuid>,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub minutes: i64,
    pub audience: i64,
    pub needs: Vec<String>,
    pub track_id: Option<Uuid>,
    pub theme_id: Option<Uuid>,
    /// Room, day and start, when the session is placed by hand (pinned).
    pub pinned_at: Option<(Uuid, Date, String)>,
    pub people: Vec<(Uuid, String)>,
}

pub async fn create_session(tx: &mut Tx, actor: &Actor, edition: Uuid, new: &NewSession) -> DbResult<Uuid> {
    let id = new_id();
    let now = now();
    let number: i64 = on_tx!(&mut *tx, c => sqlx::query_scalar::<_, i64>(
        "select coalesce(max(number), 0) + 1 from programme_sessions where edition_id = $1")
        .bind(edition).fetch_one(c).await)?;
    let (room, day, start) = match &new.pinned_at {
        Some((r, d, s)) => (Some(*r), Some(*d), Some(s.clone())),
        None => (None, None, None),
    };
    on_tx!(&mut *tx, c => sqlx::query(
        "insert into programme_sessions (id, edition_id, proposal_id, number, title, kind, description, minutes, audience, needs,
            track_id, theme_id, room_id, day, starts_at, pinned, version, created_at, updated_at, published)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17, $18)")
        .bind(id).bind(edition).bind(new.proposal_id).bind(number).bind(&new.title).bind(&new.kind).bind(&new.description)
        .bind(new.minutes).bind(new.audience).bind(new.needs.join(",")).bind(new.track_id).bind(new.theme_id)
        .bind(room).bind(day).bind(start).bind(new.pinned_at.is_some()).bind(now).bind(false)
        .rows(c).await)?;
    for (position, (person, role)) in new.people.iter().enumerate() {
        on_tx!(&mut *tx, c => sqlx::query(
            "insert into programme_session_people (id, session_id, person_id, role, position, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(new_id()).bind(id).bind(person).bind(role).bind(position as i64).bind(now)
            .rows(c).await)?;
    }
    audit::record(tx, actor, "programme_session", &id.to_string(), "create", None::<&()>, Some(new)).await?;
    bump_schedule_version(tx, edition).await?;
    Ok(id)
}

/// The edition as a timetabling instance: ids are the database's (days by date), placed
/// pinned sessions are pinned, and Day 0 events may only use the first day.
pub async fn instance(db: &Db, edition: Uuid) -> DbResult<Instance> {
    let setup = crate::setup::load(db, edition).await?;
    let sessions = sessions(db, edition).await?;
    let mut people: HashMap<Uuid, Vec<String>> = HashMap::new();
    for p in self::people(db, edition).await? {
        people.entry(p.session_id).or_default().push(p.person_id.to_string());
    }
    let first_day = setup.days.first().map(|d| d.date.clone());
    let split = |s: &str| s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    Ok(Instance {
        grid_minutes: 15,
        days: setup
            .days
            .into_iter()
            .map(|d| timetable::Day {
                id: d.date.clone(),
                date: Some(d.date),
                start: d.start,
                end: d.end,
                breaks: d.breaks,
            })
            .collect(),
        rooms: setup
            .rooms
            .into_iter()
            .map(|r| timetable::Room {
                id: r.id.unwrap_or_default(),
                capacity: Some(r.capacity as f64),
                features: r.features,
                available: r.available,
            })
            .collect(),
        sessions: sessions
            .iter()
            .map(|s| {
                let placed = match (&s.room_id, &s.day, &s.starts_at) {
                    (Some(r), Some(d), Some(t)) if s.pinned => Some(timetable::Pinned {
                        room: Some(r.to_string()),
                        day: Some(d.to_string()),
                        start: Some(t.clone()),
                    }),
                    _ => None,
                };
                timetable::Session {
                    id: s.id.to_string(),
                    minutes: s.minutes,
                    audience: s.audience as f64,
                    people: people.remove(&s.id).unwrap_or_default(),
                    kind: Some(s.kind.clone()),
                    track: s.track.clone(),
                    theme: s.theme.clone(),
                    needs: split(&s.needs),
                    days: (s.kind == "day-zero").then(|| first_day.clone().into_iter().collect()),
                    preferred_days: Vec::new(),
                    pinned: placed,
                }
            })
            .collect(),
        weights: None,
    })
}

/// What applying a timetable changed.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Applied {
    pub moved: usize,
    pub unplaced: usize,
    pub schedule_version: i64,
}

/// Stores a solved timetable in one transaction: sessions whose place changed get a new
/// version (and an audit entry); if any of them changed since `as_of` the whole apply is refused.
pub async fn apply(
    db: &Db,
    actor: &Actor,
    edition: Uuid,
    placements: &[Placement],
    as_of: Option<OffsetDateTime>,
) -> DbResult<Applied> {
    let current = sessions(db, edition).await?;
    let by_id: HashMap<String, &SessionRow> = current.iter().map(|s| (s.id.to_string(), s)).collect();
    // Placements come back from a page or a program: only this edition's rooms, real times.
    let rooms: std::collections::HashSet<Uuid> =
        crate::editions::rooms(db, edition).await?.into_iter().map(|r| r.id).collect();
    let mut tx = db.begin().await?;
    let now = now();
    let mut applied = Applied::default();
    let mut placed = std::collections::HashSet::new();
    for p in placements {
        let Some(s) = by_id.get(&p.session) else {
            return Err(DbError::refused(
                "error-session-unknown",
                format!("placements: {} is not a session of this edition", p.session),
            )
            .with("value", &p.session));
        };
        placed.insert(s.id);
        let room = Uuid::parse_str(&p.room).ok().filter(|r| rooms.contains(r)).ok_or_else(|| {
            DbError::refused("error-room-unknown", format!("room: {:?} is not a room of this edition", p.room))
                .with("value", &p.room)
        })?;
        let day: Date = Date::parse(&p.day, time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| DbError::not_a_date("day", &p.day))?;
        if timetable::parse_clock(&p.start).is_none() {
            return Err(DbError::not_a_time("start", &p.start));
        }
        if s.room_id == Some(room) && s.day == Some(day) && s.starts_at.as_deref() == Some(p.start.as_str()) {
            continue;
        }
        if as_of.is_some_and(|t| s.updated_at > t) {
            return Err(DbError::Conflict { entity: "a session in this timetable" });
        }
        let changed = on_tx!(&mut tx, c => sqlx::query(
            "update programme_sessions set room_id = $3, day = $4, starts_at = $5, version = version + 1, updated_at = $6
             where id = $1 and version = $2")
            .bind(s.id).bind(s.version).bind(room).bind(day).bind(&p.start).bind(now)
            .rows(c).await)?;
        if changed != 1 {
            return Err(DbError::Conflict { entity: "a session in this timetable" });
        }
        audit::record(
            &mut tx,
            actor,
            "programme_session",
            &s.id.to_string(),
            "place",
            Some(&(&s.room_id, &s.day, &s.starts_at)),
            Some(p),
        )
        .await?;
        applied.moved += 1;
    }
    for s in current.iter().filter(|s| !placed.contains(&s.id) && s.room_id.is_some() && !s.pinned) {
        on_tx!(&mut tx, c => sqlx::query(
            "update programme_sessions set room_id = null, day = null, starts_at = null, version = version + 1, updated_at = $2 where id = $1")
            .bind(s.id).bind(now).rows(c).await)?;
        applied.unplaced += 1;
    }
    applied.schedule_version = bump_schedule_version(&mut tx, edition).await?;
    tx.commit().await?;
    Ok(applied)
}

async fn bump_schedule_version(tx: &mut Tx, edition: Uuid) -> DbResult<i64> {
    on_tx!(&mut *tx, c => sqlx::query("update editions set schedule_version = schedule_version + 1, updated_at = $2 where id = $1")
        .bind(edition).bind(now()).rows(c).await)?;
    Ok(on_tx!(&mut *tx, c => sqlx::query_scalar::<_, i64>("select schedule_version from editions where id = $1")
        .bind(edition).fetch_one(c).await)?)
}

pub async fn schedule_version(db: &Db, edition: Uuid) -> DbResult<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, i64>("select schedule_version from editions where id = $1")
        .bind(edition).fetch_one(pool).await)?)
}

/// Solves the edition's timetable (pinned sessions stay) and stores it.
pub async fn solve_and_apply(
    db: &Db,
    actor: &Actor,
    edition: Uuid,
    budget: impl Into<kaigi_core::budget::Budget>,
) -> DbResult<(Applied, timetable::Solution)> {
    let budget = budget.into();
    let started = now();
    let instance = instance(db, edition).await?;
    let solution = crate::solver(move || timetable::solve(&instance, budget))
        .await?
        .map_err(|e| DbError::refused("error-timetable-unsolved", e.to_string()).with("detail", e))?;
    let applied = apply(db, actor, edition, &solution.placements, Some(started)).await?;
    Ok((applied, solution))
}

/// The placed programme as calendar events (each session's guid is its UID).
pub fn calendar_events(export: &kaigi_core::frab::Export) -> Vec<kaigi_core::calendar::CalendarEvent> {
    let mut out = Vec::new();
    for d in &export.days {
        for (room, _, events) in &d.rooms {
            for e in events {
                out.push(kaigi_core::calendar::CalendarEvent {
                    uid: format!("{}@kaigi", e.guid),
                    summary: e.title.clone(),
                    description: e.abstract_text.clone(),
                    location: room.clone(),
                    url: Some(e.url.clone()),
                    when: kaigi_core::calendar::When::Timed {
                        date: d.date,
                        start: timetable::format_clock(e.start),
                        end: timetable::format_clock(e.start + e.minutes),
                        timezone: export.time_zone.clone(),
                    },
                });
            }
        }
    }
    out
}

/// One row per placed session: the spreadsheet the secretariat still wants.
pub fn csv(export: &kaigi_core::frab::Export) -> String {
    let mut csv = kaigi_core::spreadsheet::Csv::new();
    csv.row(["guid", "number", "date", "start", "end", "room", "title", "type", "track", "people", "url"]);
    for d in &export.days {
        for (room, _, events) in &d.rooms {
            for e in events {
                let people = e.persons.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("; ");
                let row = [
                    e.guid.clone(),
                    e.id.to_string(),
                    d.date.to_string(),
                    timetable::format_clock(e.start),
                    timetable::format_clock(e.start + e.minutes),
                    room.clone(),
                    e.title.clone(),
                    e.kind.clone(),
                    e.track.clone().unwrap_or_default(),
                    people,
                    e.url.clone(),
                ];
                csv.row(row);
            }
        }
    }
    csv.finish()
}

/// Places (or unplaces) one session by hand, if nobody changed it since `version`.
pub async fn move_session(
    db: &Db,
    actor: &Actor,
    edition: Uuid,
    id: Uuid,
    version: i64,
    to: Option<(Uuid, Date, String)>,
    pinned: bool,
) -> DbResult<i64> {
    let before = session(db, edition, id).await?.ok_or(DbError::NotFound("session"))?;
    if let Some((_, _, start)) = &to
        && timetable::parse_clock(start).is_none()
    {
        return Err(DbError::not_a_time("start", start));
    }
    let mut tx = db.begin().await?;
    let (room, day, start) = match &to {
        Some((r, d, s)) => (Some(*r), Some(*d), Some(s.clone())),
        None => (None, None, None),
    };
    // A room id from the form is only taken if it is a room of this edition.
    if let Some(room) = room {
        let ours = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(
            "select count(*) from rooms where id = $1 and edition_id = $2").bind(room).bind(edition).fetch_one(c).await)?;
        if ours == 0 {
            return Err(DbError::refused("error-room-unknown", "room: not a room of this edition").with("value", room));
        }
    }
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "update programme_sessions set room_id = $3, day = $4, starts_at = $5, pinned = $6, version = version + 1, updated_at = $7
         where id = $1 and version = $2")
        .bind(id).bind(version).bind(room).bind(day).bind(&start).bind(pinned && to.is_some()).bind(now())
        .rows(c).await)?;
    if changed != 1 {
        return Err(DbError::Conflict { entity: "this session" });
    }
    audit::record(
        &mut tx,
        actor,
        "programme_session",
        &id.to_string(),
        "move",
        Some(&(&before.room_id, &before.day, &before.starts_at, before.pinned)),
        Some(&(room, day, &start, pinned)),
    )
    .await?;
    let version = bump_schedule_version(&mut tx, edition).await?;
    tx.commit().await?;
    Ok(version)
}

/// Stars or unstars a session in a user's personal agenda; returns whether it is now starred.
pub async fn toggle_star(db: &Db, user: Uuid, session: Uuid) -> DbResult<bool> {
    let mut tx = db.begin().await?;
    let removed = on_tx!(&mut tx, c => sqlx::query("delete from agenda_stars where user_id = $1 and session_id = $2")
        .bind(user).bind(session).rows(c).await)?;
    if removed == 0 {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into agenda_stars (id, user_id, session_id, created_at, updated_at) values ($1, $2, $3, $4, $4)
             on conflict (user_id, session_id) do nothing")
            .bind(new_id()).bind(user).bind(session).bind(now()).rows(c).await)?;
    }
    tx.commit().await?;
    Ok(removed == 0)
}

/// Puts a session on a user's agenda or takes it off; doing it twice changes nothing.
pub async fn set_star(db: &Db, user: Uuid, session: Uuid, starred: bool) -> DbResult<()> {
    if starred {
        on_db!(db, pool => sqlx::query(
            "insert into agenda_stars (id, user_id, session_id, created_at, updated_at) values ($1, $2, $3, $4, $4)
             on conflict (user_id, session_id) do nothing")
            .bind(new_id()).bind(user).bind(session).bind(now()).rows(pool).await)?;
    } else {
        on_db!(db, pool => sqlx::query("delete from agenda_stars where user_id = $1 and session_id = $2")
            .bind(user).bind(session).rows(pool).await)?;
    }
    Ok(())
}

/// The sessions a user starred in one edition.
pub async fn starred(db: &Db, user: Uuid, edition: Uuid) -> DbResult<Vec<Uuid>> {
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, Uuid>(
        "select a.session_id from agenda_stars a join programme_sessions s on s.id = a.session_id
         where a.user_id = $1 and s.edition_id = $2")
        .bind(user).bind(edition).fetch_all(pool).await)?)
}

/// What importing a published schedule did, and what was odd in the file.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ImportReport {
    pub edition: String,
    pub days: usize,
    pub rooms: usize,
    pub tracks: usize,
    pub sessions: usize,
    pub people_matched: usize,
    pub people_created: usize,
    pub notes: Vec<String>,
}

/// Stores a published schedule (frab XML/JSON or iCalendar, already read) as the draft of a new edition with
/// its days, rooms, tracks, placed sessions and people, in one transaction: all or nothing.
/// People are matched to the directory by their name as written; the others are created.
pub async fn import_schedule(
    db: &Db,
    actor: &Actor,
    schedule: &kaigi_core::frab::Schedule,
    slug: &str,
) -> DbResult<ImportReport> {
    use kaigi_core::directory::PersonName;
    if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(DbError::refused(
            "error-slug",
            format!("edition {slug:?}: use lower-case letters, digits and '-'"),
        )
        .with("value", slug));
    }
    let exists = || {
        DbError::refused("error-edition-exists", format!("edition {slug:?} exists already; nothing was imported"))
            .with("slug", slug)
    };
    if crate::editions::edition_by_slug(db, slug).await?.is_some() {
        return Err(exists());
    }
    let days: Vec<&kaigi_core::frab::Day> = schedule.days.iter().filter(|d| !d.events.is_empty()).collect();
    let date = |d: &str| Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok();
    let dates: Vec<Date> = days.iter().filter_map(|d| date(&d.date)).collect();
    let (Some(first), Some(last)) = (dates.iter().min().copied(), dates.iter().max().copied()) else {
        return Err(DbError::refused("error-schedule-empty", "the file has no events to import"));
    };
    let mut report = ImportReport { edition: slug.to_owned(), notes: schedule.notes.clone(), ..Default::default() };
    let existing: Vec<(Uuid, String)> = on_db!(db, pool => sqlx::query_as(
        "select id, display_name from people where merged_into is null").fetch_all(pool).await)?;
    let mut people: HashMap<String, Uuid> = existing.into_iter().map(|(id, n)| (n, id)).collect();
    let timezone = schedule.conference.time_zone_name.clone().filter(|z| jiff::tz::TimeZone::get(z).is_ok());
    let title = if schedule.conference.title.is_empty() { slug.to_owned() } else { schedule.conference.title.clone() };
    let mut tx = db.begin().await?;
    let now = now();
    let edition = new_id();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into editions (id, slug, name, timezone, starts_on, ends_on, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(edition).bind(slug).bind(&title).bind(timezone.as_deref().unwrap_or("UTC")).bind(first).bind(last).bind(now)
        .rows(c).await).on_unique(exists)?;
    let mut rooms: HashMap<String, Uuid> = HashMap::new();
    let mut tracks: HashMap<String, Uuid> = HashMap::new();
    for (i, d) in days.iter().enumerate() {
        let Some(day) = date(&d.date) else { continue };
        let start = d.events.iter().map(|e| e.start).min().unwrap_or(0);
        let end = d.events.iter().map(|e| e.start + e.minutes).max().unwrap_or(start);
        on_tx!(&mut tx, c => sqlx::query(
            "insert into edition_days (id, edition_id, label, day, starts_at, ends_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(new_id()).bind(edition).bind(format!("Day {}", i + 1)).bind(day)
            .bind(timetable::format_clock(start)).bind(timetable::format_clock(end)).bind(now)
            .rows(c).await)?;
        report.days += 1;
        for e in &d.events {
            if !rooms.contains_key(&e.room) {
                let id = new_id();
                on_tx!(&mut tx, c => sqlx::query(
                    "insert into rooms (id, edition_id, name, capacity, features, position, created_at, updated_at) values ($1, $2, $3, 0, '', $4, $5, $5)")
                    .bind(id).bind(edition).bind(&e.room).bind(rooms.len() as i64).bind(now)
                    .rows(c).await)?;
                rooms.insert(e.room.clone(), id);
            }
            let track = match &e.track {
                Some(t) if !tracks.contains_key(t) => {
                    let id = new_id();
                    on_tx!(&mut tx, c => sqlx::query(
                        "insert into tracks (id, edition_id, name, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
                        .bind(id).bind(edition).bind(t).bind(tracks.len() as i64).bind(now)
                        .rows(c).await)?;
                    tracks.insert(t.clone(), id);
                    Some(id)
                }
                Some(t) => tracks.get(t).copied(),
                None => None,
            };
            let mut on_stage = Vec::new();
            for p in &e.persons {
                let name = p.name.trim();
                if name.is_empty() {
                    continue;
                }
                let id = match people.get(name) {
                    Some(id) => {
                        report.people_matched += 1;
                        *id
                    }
                    None => {
                        let Ok(parsed) = PersonName::parse(name, None, None) else {
                            report
                                .notes
                                .push(format!("{}: speaker {name:?} is not a readable name; left out", e.title));
                            continue;
                        };
                        let input = crate::directory::PersonInput {
                            name: parsed,
                            email: None,
                            stakeholder_group: None,
                            un_region: None,
                            country: None,
                            gender: None,
                            youth: false,
                        };
                        let id = crate::directory::create_person(&mut tx, actor, &input).await?;
                        people.insert(name.to_owned(), id);
                        report.people_created += 1;
                        id
                    }
                };
                if !on_stage.iter().any(|(x, _)| *x == id) {
                    on_stage.push((id, "speaker".to_owned()));
                }
            }
            let session = NewSession {
                proposal_id: None,
                title: if e.title.is_empty() { "(untitled)".into() } else { e.title.clone() },
                kind: e.kind.clone().unwrap_or_else(|| "talk".into()).to_lowercase(),
                description: if e.abstract_text.is_empty() { e.description.clone() } else { e.abstract_text.clone() },
                minutes: e.minutes,
                audience: 0,
                needs: Vec::new(),
                track_id: track,
                theme_id: None,
                pinned_at: Some((rooms[&e.room], day, timetable::format_clock(e.start))),
                people: on_stage,
            };
            create_session(&mut tx, actor, edition, &session).await?;
            report.sessions += 1;
        }
    }
    // Published placements are where the sessions are, not pins the timetabler must keep.
    on_tx!(&mut tx, c => sqlx::query("update programme_sessions set pinned = false where edition_id = $1")
        .bind(edition).rows(c).await)?;
    report.rooms = rooms.len();
    report.tracks = tracks.len();
    audit::record(&mut tx, actor, "edition", &edition.to_string(), "import-schedule", None::<&()>, Some(&report))
        .await?;
    bump_schedule_version(&mut tx, edition).await?;
    tx.commit().await?;
    Ok(report)
}
