//! Standing meetings: reading a meeting with its agenda and attendance, building the next one
//! in the browser, agenda items, materials, decisions and the action items that carry forward.
//! The minutes themselves (import, revisions, states, the export document) are in `minutes`.

use crate::Run;
use kaigi_core::collation::gojuon_sort_key;
use kaigi_core::directory::{PersonName, normalize_spaces};
use kaigi_core::minutes::MinutesState;
use kaigi_core::timetable::parse_clock;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::audit::{self, Actor, NOTHING};

use crate::{Db, DbError, DbResult, OnUnique, Tx, new_id, now, on_db, on_tx};

// --- reading a meeting ------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Meeting {
    pub id: Uuid,
    pub series_id: Uuid,
    pub series_name: String,
    pub committee_id: Uuid,
    pub number: i64,
    pub held_on: Date,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub venue_kind: String,
    pub venue_text: Option<String>,
    pub venue_link: Option<String>,
    pub chair: Option<String>,
    pub minute_taker: Option<String>,
    pub stated_count: Option<i64>,
    pub minutes_state: String,
    pub published: bool,
    pub version: i64,
}

pub async fn meeting(db: &Db, id: Uuid) -> DbResult<Option<Meeting>> {
    let sql = "select m.id, m.series_id, s.name as series_name, s.committee_id, m.number, m.held_on, m.starts_at, m.ends_at,
               m.timezone, m.venue_kind, m.venue_text, m.venue_link, m.chair, m.minute_taker, m.stated_count, m.minutes_state,
               m.published, m.version
               from meetings m join meeting_series s on s.id = m.series_id where m.id = $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Meeting>(sql).bind(id).fetch_optional(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AgendaItem {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub timebox_min: Option<i64>,
    pub presenter: Option<String>,
    pub recurring: bool,
    pub reached: bool,
    /// The newest revision of the minutes of this item.
    pub revision: i64,
    pub body: String,
}

pub async fn agenda(db: &Db, meeting: Uuid) -> DbResult<Vec<AgendaItem>> {
    let sql = "select a.id, a.number, a.title, a.timebox_min, a.presenter, a.recurring, a.reached,
               coalesce(r.revision, 0) as revision, coalesce(r.body, '') as body
               from agenda_items a
               left join minutes_revisions r on r.agenda_item_id = a.id
                 and r.revision = (select max(x.revision) from minutes_revisions x where x.agenda_item_id = a.id)
               where a.meeting_id = $1 order by a.position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, AgendaItem>(sql).bind(meeting).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Attendee {
    pub person_id: Option<Uuid>,
    pub family: String,
    pub given: String,
    pub affiliation: String,
    pub reading: Option<String>,
    pub romanized: Option<String>,
}

impl Attendee {
    pub fn name(&self) -> String {
        normalize_spaces(&format!("{} {}", self.family, self.given))
    }
}

/// Attendance in gojūon order by reading (敬称略), as the minutes list it. When the directory
/// does not know everyone's reading (names imported from an archive), the order the minutes
/// gave is kept: it was gojūon order already, and kanji alone cannot be put in that order.
pub async fn attendance(db: &Db, meeting: Uuid) -> DbResult<Vec<Attendee>> {
    let sql = "select a.person_id, a.family, a.given, a.affiliation, p.reading, p.romanized
               from meeting_attendance a left join people p on p.id = a.person_id where a.meeting_id = $1 order by a.position";
    let rows = on_db!(db, pool => sqlx::query_as::<_, Attendee>(sql).bind(meeting).fetch_all(pool).await)?;
    let mut keyed: Vec<(Option<Vec<u8>>, Attendee)> = rows
        .into_iter()
        .map(|a| {
            let name = PersonName { display: a.name(), reading: a.reading.clone(), romanized: a.romanized.clone() };
            let key = name.sort_reading().map(|r| gojuon_sort_key(Some(&r), &name.display));
            (key, a)
        })
        .collect();
    if keyed.iter().all(|(key, _)| key.is_some()) {
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(keyed.into_iter().map(|(_, a)| a).collect())
}

pub async fn hosts(db: &Db, meeting: Uuid) -> DbResult<Vec<String>> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, String>("select name from meeting_hosts where meeting_id = $1 order by position").bind(meeting).fetch_all(pool).await)?,
    )
}

pub async fn materials(db: &Db, meeting: Uuid) -> DbResult<Vec<String>> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, String>("select title from meeting_materials where meeting_id = $1 order by position").bind(meeting).fetch_all(pool).await)?,
    )
}

pub async fn decisions(db: &Db, meeting: Uuid) -> DbResult<Vec<String>> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, String>("select text from decisions where meeting_id = $1 order by position").bind(meeting).fetch_all(pool).await)?,
    )
}

pub async fn draft_agenda(db: &Db, meeting: Uuid) -> DbResult<Vec<String>> {
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, String>("select title from draft_agenda_items where meeting_id = $1 order by position").bind(meeting).fetch_all(pool).await)?,
    )
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ActionItem {
    pub id: Uuid,
    pub text: String,
    pub due: Option<String>,
    pub status: String,
    pub owners: String,
    pub origin_meeting_id: Uuid,
    pub origin_number: i64,
    pub version: i64,
}

impl ActionItem {
    /// The owners one by one (stored joined by "、").
    pub fn owner_names(&self) -> Vec<String> {
        self.owners.split('、').filter(|o| !o.is_empty()).map(str::to_owned).collect()
    }
}

/// Action items decided at this meeting.
pub async fn action_items_from(db: &Db, meeting: Uuid) -> DbResult<Vec<ActionItem>> {
    action_items_where(db, "ai.origin_meeting_id = $1", meeting).await
}

/// What the meeting's "宿題の進捗確認" shows: items of the series decided at earlier meetings
/// that are still open, or that were closed at this meeting.
pub async fn carried_action_items(db: &Db, meeting: Uuid) -> DbResult<Vec<ActionItem>> {
    action_items_where(
        db,
        "ai.series_id = (select series_id from meetings where id = $1)
         and m.held_on < (select held_on from meetings where id = $1)
         and (ai.status = 'open' or ai.closed_at_meeting_id = $1)",
        meeting,
    )
    .await
}

async fn action_items_where(db: &Db, condition: &str, id: Uuid) -> DbResult<Vec<ActionItem>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        text: String,
        due: Option<String>,
        status: String,
        origin_meeting_id: Uuid,
        origin_number: i64,
        version: i64,
    }
    let sql = format!(
        "select ai.id, ai.text, ai.due, ai.status, ai.origin_meeting_id, m.number as origin_number, ai.version
         from action_items ai join meetings m on m.id = ai.origin_meeting_id where {condition} order by m.held_on, ai.id"
    );
    let rows = on_db!(db, pool => sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(pool).await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let owners = on_db!(db, pool => sqlx::query_scalar::<_, String>("select name from action_item_owners where action_item_id = $1 order by position")
            .bind(r.id).fetch_all(pool).await)?;
        out.push(ActionItem {
            id: r.id,
            text: r.text,
            due: r.due,
            status: r.status,
            owners: owners.join("、"),
            origin_meeting_id: r.origin_meeting_id,
            origin_number: r.origin_number,
            version: r.version,
        });
    }
    Ok(out)
}

/// Closes or reopens an action item, recording the meeting where it happened.
pub async fn set_action_item_status(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    expected_version: i64,
    status: &str,
    at_meeting: Option<Uuid>,
) -> DbResult<()> {
    if !matches!(status, "open" | "done" | "dropped") {
        return Err(DbError::refused("error-field-choice", format!("status: {status:?} is not open, done or dropped"))
            .with("field", "status")
            .with("value", status));
    }
    let closed_at = if status == "open" { None } else { at_meeting };
    // The item must belong to the series of the meeting it is changed at.
    if let Some(meeting) = at_meeting {
        let same_series = on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
            "select count(*) from action_items a join meetings m on m.series_id = a.series_id where a.id = $1 and m.id = $2")
            .bind(id).bind(meeting).fetch_one(c).await)?;
        if same_series == 0 {
            return Err(DbError::NotFound("action item"));
        }
    }
    let changed = on_tx!(tx, c => sqlx::query(
        "update action_items set status = $3, closed_at_meeting_id = $4, version = version + 1, updated_at = $5 where id = $1 and version = $2")
        .bind(id).bind(expected_version).bind(status).bind(closed_at).bind(now()).rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "action item" });
    }
    audit::record(tx, actor, "action-item", &id.to_string(), "set-status", NOTHING, Some(&status)).await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SeriesMeeting {
    pub id: Uuid,
    pub series_name: String,
    pub number: i64,
    pub held_on: Date,
}

/// Refuses an edit of approved minutes. The meeting's row is written, so on PostgreSQL the
/// state cannot change under the edit before it commits (SQLite has one writer anyway).
pub(crate) async fn open_for_edits(tx: &mut Tx, meeting: Uuid) -> DbResult<()> {
    let state = on_tx!(tx, c => sqlx::query_scalar::<_, String>(
        "update meetings set updated_at = updated_at where id = $1 returning minutes_state")
        .bind(meeting).fetch_optional(c).await)?
    .ok_or(DbError::NotFound("meeting"))?;
    if state.parse::<MinutesState>()?.accepts_edits() {
        Ok(())
    } else {
        Err(DbError::refused("minutes-approved-locked", "approved minutes are not edited; reopen them first"))
    }
}

/// The meeting an agenda item belongs to.
pub(crate) async fn meeting_of_item(tx: &mut Tx, item: Uuid) -> DbResult<Uuid> {
    on_tx!(tx, c => sqlx::query_scalar::<_, Uuid>("select meeting_id from agenda_items where id = $1").bind(item).fetch_optional(c).await)?
        .ok_or(DbError::NotFound("agenda item"))
}

pub async fn committee_of(db: &Db, meeting: Uuid) -> DbResult<Option<Uuid>> {
    let sql = "select s.committee_id from meetings m join meeting_series s on s.id = m.series_id where m.id = $1";
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, Uuid>(sql).bind(meeting).fetch_optional(pool).await)?)
}

/// Meetings of a committee's series, the newest first.
pub async fn of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<SeriesMeeting>> {
    let sql = "select m.id, s.name as series_name, m.number, m.held_on from meetings m join meeting_series s on s.id = m.series_id
               where s.committee_id = $1 order by m.held_on desc, m.number desc";
    Ok(on_db!(db, pool => sqlx::query_as::<_, SeriesMeeting>(sql).bind(committee).fetch_all(pool).await)?)
}

/// A committee's meetings whose minutes are published, the newest first (for the public).
pub async fn published_of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<SeriesMeeting>> {
    let sql = "select m.id, s.name as series_name, m.number, m.held_on from meetings m join meeting_series s on s.id = m.series_id
               where s.committee_id = $1 and m.published order by m.held_on desc, m.number desc";
    Ok(on_db!(db, pool => sqlx::query_as::<_, SeriesMeeting>(sql).bind(committee).fetch_all(pool).await)?)
}

// --- building a meeting in the browser -------------------------------------------------

/// A new meeting as entered.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub number: i64,
    pub held_on: Date,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub venue_kind: String,
    pub venue_text: String,
    pub venue_link: Option<String>,
    pub chair: Option<String>,
    pub minute_taker: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Series {
    pub id: Uuid,
    pub name: String,
}

pub async fn series_of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<Series>> {
    let sql = "select id, name from meeting_series where committee_id = $1 order by name";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Series>(sql).bind(committee).fetch_all(pool).await)?)
}

/// A meeting's times and venue kind, as both creating and editing a meeting require them.
fn check_slot(starts_at: &str, ends_at: &str, venue_kind: &str) -> DbResult<()> {
    check_hhmm("start", starts_at)?;
    check_hhmm("end", ends_at)?;
    if parse_clock(ends_at) <= parse_clock(starts_at) {
        return Err(DbError::ends_before_start("end"));
    }
    if !matches!(venue_kind, "onsite" | "online" | "hybrid") {
        return Err(DbError::refused(
            "error-field-choice",
            format!("venue: {venue_kind:?} is not onsite, online or hybrid"),
        )
        .with("field", "venue")
        .with("value", venue_kind));
    }
    Ok(())
}

/// The longest texts of a meeting's details, in characters.
pub const VENUE_MAX: usize = 500;
pub const LINK_MAX: usize = 2000;
pub const NAME_MAX: usize = 200;
pub const HOSTS_MAX: usize = 20;
/// The longest agenda item title.
pub const TITLE_MAX: usize = 500;

/// What a meeting's details say beside its times: a time zone that exists, texts of a
/// reasonable length, a bounded list of hosts.
fn check_texts(
    timezone: &str,
    venue_text: &str,
    venue_link: Option<&str>,
    names: &[(&'static str, Option<&str>)],
    hosts: &[String],
) -> DbResult<()> {
    if jiff::tz::TimeZone::get(timezone).is_err() {
        return Err(DbError::refused(
            "error-timezone",
            format!("timezone: {timezone:?} is not a time zone such as Asia/Tokyo"),
        )
        .with("value", timezone));
    }
    let long = |field: &'static str, text: &str, max: usize| {
        let count = text.chars().count();
        if count > max { Err(DbError::length(field, count, 0, max)) } else { Ok(()) }
    };
    long("venue", venue_text, VENUE_MAX)?;
    long("venue_link", venue_link.unwrap_or_default(), LINK_MAX)?;
    for (field, name) in names {
        long(field, name.unwrap_or_default(), NAME_MAX)?;
    }
    if hosts.len() > HOSTS_MAX {
        return Err(DbError::out_of_range("hosts", hosts.len(), 0, HOSTS_MAX as i64));
    }
    for host in hosts {
        long("hosts", host, NAME_MAX)?;
    }
    Ok(())
}

fn check_hhmm(field: &'static str, value: &str) -> DbResult<()> {
    match parse_clock(value) {
        Some(m) if value.len() == 5 && (0..48 * 60).contains(&m) => Ok(()),
        _ => Err(DbError::not_a_time(field, value)),
    }
}

/// Creates the next meeting of a series. Its agenda starts from what the series carries
/// forward: the draft agenda kept with the previous meeting, the previous meeting's topics
/// marked recurring or not reached, and a "宿題の進捗確認" item while action items are open.
pub async fn create_meeting(tx: &mut Tx, actor: &Actor, series: Uuid, new: &NewMeeting) -> DbResult<Uuid> {
    check_slot(&new.starts_at, &new.ends_at, &new.venue_kind)?;
    check_texts(
        &new.timezone,
        &new.venue_text,
        new.venue_link.as_deref(),
        &[("chair", new.chair.as_deref()), ("minute_taker", new.minute_taker.as_deref())],
        &[],
    )?;
    if !(1..=100_000).contains(&new.number) {
        return Err(DbError::out_of_range("number", new.number, 1, 100_000));
    }
    let taken = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from meetings where series_id = $1 and number = $2")
        .bind(series).bind(new.number).fetch_one(c).await)?;
    let number_taken = || {
        DbError::refused(
            "error-meeting-number-taken",
            format!("number: meeting {} exists already in this series", new.number),
        )
        .with("number", new.number)
    };
    if taken > 0 {
        return Err(number_taken());
    }
    let previous = on_tx!(tx, c => sqlx::query_scalar::<_, Uuid>(
        "select id from meetings where series_id = $1 and held_on <= $2 order by held_on desc, number desc limit 1")
        .bind(series).bind(new.held_on).fetch_optional(c).await)?;
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into meetings (id, series_id, number, held_on, starts_at, ends_at, timezone, venue_kind, venue_text, venue_link,
         chair, minute_taker, minutes_state, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $13)")
        .bind(id).bind(series).bind(new.number).bind(new.held_on).bind(&new.starts_at).bind(&new.ends_at).bind(&new.timezone)
        .bind(&new.venue_kind).bind(&new.venue_text).bind(&new.venue_link).bind(&new.chair).bind(&new.minute_taker).bind(now)
        .rows(c).await).on_unique(number_taken)?;

    let mut titles: Vec<(String, Option<i64>, bool)> = vec![("開会".into(), Some(5), false)];
    let open_actions = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from action_items where series_id = $1 and status = 'open'")
        .bind(series).fetch_one(c).await)?;
    if open_actions > 0 {
        titles.push(("宿題の進捗確認".into(), Some(10), false));
    }
    if let Some(previous) = previous {
        let drafted = on_tx!(tx, c => sqlx::query_scalar::<_, String>("select title from draft_agenda_items where meeting_id = $1 order by position")
            .bind(previous).fetch_all(c).await)?;
        titles.extend(drafted.into_iter().map(|t| (t, None, false)));
        let carried = on_tx!(tx, c => sqlx::query_as::<_, (String, Option<i64>, bool)>(
            "select title, timebox_min, recurring from agenda_items where meeting_id = $1 and (recurring or not reached) order by position")
            .bind(previous).fetch_all(c).await)?;
        for (title, timebox, recurring) in carried {
            if !titles.iter().any(|(t, _, _)| *t == title) {
                titles.push((title, timebox, recurring));
            }
        }
    }
    for (position, (title, timebox, recurring)) in titles.iter().enumerate() {
        on_tx!(tx, c => sqlx::query(
            "insert into agenda_items (id, meeting_id, number, title, timebox_min, recurring, position, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
            .bind(new_id()).bind(id).bind((position + 1).to_string()).bind(title).bind(timebox).bind(recurring)
            .bind(position as i64).bind(now).rows(c).await)?;
    }
    let after = serde_json::json!({"series": series, "number": new.number, "held_on": new.held_on.to_string(), "agenda": titles.len()});
    audit::record(tx, actor, "meeting", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

/// Adds an agenda item at the end (its number is the next whole number unless given).
pub async fn add_agenda_item(
    tx: &mut Tx,
    actor: &Actor,
    meeting: Uuid,
    number: Option<&str>,
    title: &str,
    timebox: Option<i64>,
    presenter: Option<&str>,
) -> DbResult<Uuid> {
    let title = normalize_spaces(title);
    if title.is_empty() {
        return Err(DbError::empty("title"));
    }
    if title.chars().count() > TITLE_MAX {
        return Err(DbError::length("title", title.chars().count(), 1, TITLE_MAX));
    }
    if presenter.is_some_and(|p| p.chars().count() > NAME_MAX) {
        return Err(DbError::length("presenter", presenter.unwrap_or_default().chars().count(), 0, NAME_MAX));
    }
    if number.is_some_and(|n| n.len() > 20) {
        return Err(DbError::length("number", number.unwrap_or_default().len(), 0, 20));
    }
    if let Some(t) = timebox.filter(|t| !(1..=600).contains(t)) {
        return Err(DbError::out_of_range("timebox", t, 1, 600));
    }
    open_for_edits(tx, meeting).await?;
    let count = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from agenda_items where meeting_id = $1").bind(meeting).fetch_one(c).await)?;
    let whole = on_tx!(tx, c => sqlx::query_scalar::<_, String>("select number from agenda_items where meeting_id = $1").bind(meeting).fetch_all(c).await)?
        .iter()
        .filter_map(|n| n.split('.').next()?.parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    let number = match number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) if n.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) => n.to_owned(),
        Some(n) => {
            return Err(
                DbError::refused("error-agenda-number", format!("number: {n:?} is not like 5 or 5.1")).with("value", n)
            );
        }
        None => (whole + 1).to_string(),
    };
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into agenda_items (id, meeting_id, number, title, timebox_min, presenter, position, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
        .bind(id).bind(meeting).bind(&number).bind(&title).bind(timebox).bind(presenter).bind(count).bind(now)
        .rows(c).await)?;
    let after = serde_json::json!({"number": number, "title": title, "timebox_min": timebox, "presenter": presenter});
    audit::record(tx, actor, "agenda-item", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

/// Marks an item reached or not, recurring or not (both carry it to the next meeting).
pub async fn set_item_flags(tx: &mut Tx, actor: &Actor, item: Uuid, reached: bool, recurring: bool) -> DbResult<()> {
    let meeting = meeting_of_item(tx, item).await?;
    open_for_edits(tx, meeting).await?;
    let changed = on_tx!(tx, c => sqlx::query("update agenda_items set reached = $2, recurring = $3, updated_at = $4 where id = $1")
        .bind(item).bind(reached).bind(recurring).bind(now()).rows(c).await)?;
    if changed == 0 {
        return Err(DbError::NotFound("agenda item"));
    }
    let after = serde_json::json!({"reached": reached, "recurring": recurring});
    audit::record(tx, actor, "agenda-item", &item.to_string(), "flags", NOTHING, Some(&after)).await
}

/// Records a person's attendance with the affiliation they have today.
pub async fn add_attendee(tx: &mut Tx, actor: &Actor, meeting: Uuid, person: Uuid) -> DbResult<()> {
    #[derive(sqlx::FromRow)]
    struct Row {
        display_name: String,
        organisation: Option<String>,
    }
    open_for_edits(tx, meeting).await?;
    let row = on_tx!(tx, c => sqlx::query_as::<_, Row>(
        "select p.display_name, (select o.name from affiliations a join organisations o on o.id = a.organisation_id
          where a.person_id = p.id and a.until is null order by a.since desc limit 1) as organisation
         from people p where p.id = $1 and p.merged_into is null")
        .bind(person).fetch_optional(c).await)?
    .ok_or(DbError::NotFound("person"))?;
    let already = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from meeting_attendance where meeting_id = $1 and person_id = $2")
        .bind(meeting).bind(person).fetch_one(c).await)?;
    if already > 0 {
        return Ok(());
    }
    let count = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from meeting_attendance where meeting_id = $1").bind(meeting).fetch_one(c).await)?;
    let (family, given) = row
        .display_name
        .split_once(' ')
        .map_or((row.display_name.clone(), String::new()), |(f, g)| (f.to_owned(), g.to_owned()));
    on_tx!(tx, c => sqlx::query(
        "insert into meeting_attendance (id, meeting_id, person_id, family, given, affiliation, position, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
        .bind(new_id()).bind(meeting).bind(person).bind(&family).bind(&given).bind(row.organisation.clone().unwrap_or_default())
        .bind(count).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "meeting", &meeting.to_string(), "attend", NOTHING, Some(&person)).await
}

/// The largest material kaigi stores in the database.
pub const MATERIAL_LIMIT: usize = 10 * 1024 * 1024;

/// A material: a link, or an uploaded file kept in the database (so every instance serves it).
pub async fn add_material(
    tx: &mut Tx,
    actor: &Actor,
    meeting: Uuid,
    title: &str,
    url: Option<&str>,
    file: Option<(&str, &str, &[u8])>,
) -> DbResult<Uuid> {
    let title = normalize_spaces(title);
    if title.is_empty() {
        return Err(DbError::empty("title"));
    }
    if let Some(url) = url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(DbError::not_a_link("url"));
    }
    if let Some((_, _, bytes)) = file
        && bytes.len() > MATERIAL_LIMIT
    {
        let mib = MATERIAL_LIMIT / 1024 / 1024;
        return Err(DbError::refused("error-file-too-large", format!("file: larger than {mib} MiB")).with("mib", mib));
    }
    open_for_edits(tx, meeting).await?;
    let count = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from meeting_materials where meeting_id = $1").bind(meeting).fetch_one(c).await)?;
    let id = new_id();
    on_tx!(tx, c => sqlx::query(
        "insert into meeting_materials (id, meeting_id, title, url, file_name, content_type, content, position, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(id).bind(meeting).bind(&title).bind(url).bind(file.map(|f| f.0)).bind(file.map(|f| f.1)).bind(file.map(|f| f.2.to_vec()))
        .bind(count).bind(now()).rows(c).await)?;
    let after =
        serde_json::json!({"title": title, "url": url, "file": file.map(|f| f.0), "bytes": file.map(|f| f.2.len())});
    audit::record(tx, actor, "material", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Material {
    pub id: Uuid,
    pub title: String,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

pub async fn material_list(db: &Db, meeting: Uuid) -> DbResult<Vec<Material>> {
    let sql =
        "select id, title, url, file_name, content_type from meeting_materials where meeting_id = $1 order by position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Material>(sql).bind(meeting).fetch_all(pool).await)?)
}

pub async fn material_content(db: &Db, meeting: Uuid, material: Uuid) -> DbResult<Option<(String, String, Vec<u8>)>> {
    let sql = "select file_name, content_type, content from meeting_materials where meeting_id = $1 and id = $2 and content is not null";
    let row = on_db!(db, pool => sqlx::query_as::<_, (Option<String>, Option<String>, Option<Vec<u8>>)>(sql).bind(meeting).bind(material).fetch_optional(pool).await)?;
    Ok(row.and_then(|(name, kind, content)| {
        Some((
            name.unwrap_or_else(|| "material".into()),
            kind.unwrap_or_else(|| "application/octet-stream".into()),
            content?,
        ))
    }))
}

/// A new action item with owners from the directory (or names as written) and a due date
/// of day ("2026-03-20") or month ("2026-04") precision.
pub async fn add_action_item(
    tx: &mut Tx,
    actor: &Actor,
    meeting: Uuid,
    text: &str,
    owners: &[(Option<Uuid>, String)],
    due: Option<&str>,
) -> DbResult<Uuid> {
    let text = normalize_spaces(text);
    if text.is_empty() {
        return Err(DbError::refused("error-action-item-text", "text: say what is to be done"));
    }
    if let Some(due) = due {
        let day = time::macros::format_description!("[year]-[month]-[day]");
        // Exactly the digits of YYYY-MM or YYYY-MM-DD: the parser alone would take a sign.
        let shape = due.len() == 7 || due.len() == 10;
        let digits =
            due.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        let month_ok = due.len() == 7 && Date::parse(&format!("{due}-01"), &day).is_ok();
        if !(shape && digits) || (!month_ok && Date::parse(due, &day).is_err()) {
            return Err(DbError::refused("error-due", format!("due: expected YYYY-MM-DD or YYYY-MM, got {due:?}"))
                .with("value", due));
        }
    }
    open_for_edits(tx, meeting).await?;
    let series = on_tx!(tx, c => sqlx::query_scalar::<_, Uuid>("select series_id from meetings where id = $1").bind(meeting).fetch_optional(c).await)?
        .ok_or(DbError::NotFound("meeting"))?;
    let id = new_id();
    let now = now();
    on_tx!(tx, c => sqlx::query(
        "insert into action_items (id, series_id, origin_meeting_id, text, due, status, created_at, updated_at) values ($1, $2, $3, $4, $5, 'open', $6, $6)")
        .bind(id).bind(series).bind(meeting).bind(&text).bind(due).bind(now).rows(c).await)?;
    for (position, (person, name)) in owners.iter().enumerate() {
        on_tx!(tx, c => sqlx::query(
            "insert into action_item_owners (id, action_item_id, person_id, name, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(new_id()).bind(id).bind(person).bind(name).bind(position as i64).bind(now).rows(c).await)?;
    }
    let after =
        serde_json::json!({"text": text, "due": due, "owners": owners.iter().map(|o| &o.1).collect::<Vec<_>>()});
    audit::record(tx, actor, "action-item", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

pub async fn add_decision(tx: &mut Tx, actor: &Actor, meeting: Uuid, item: Option<Uuid>, text: &str) -> DbResult<()> {
    let text = normalize_spaces(text);
    if text.is_empty() {
        return Err(DbError::refused("error-decision-text", "text: a decision needs its wording"));
    }
    open_for_edits(tx, meeting).await?;
    if let Some(item) = item {
        let of_meeting = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from agenda_items where id = $1 and meeting_id = $2")
            .bind(item).bind(meeting).fetch_one(c).await)?;
        if of_meeting == 0 {
            return Err(DbError::refused("error-field-choice", "item: not an agenda item of this meeting")
                .with("field", "item")
                .with("value", item));
        }
    }
    let count = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from decisions where meeting_id = $1").bind(meeting).fetch_one(c).await)?;
    on_tx!(tx, c => sqlx::query(
        "insert into decisions (id, meeting_id, agenda_item_id, text, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
        .bind(new_id()).bind(meeting).bind(item).bind(&text).bind(count).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "meeting", &meeting.to_string(), "decide", NOTHING, Some(&text)).await
}

/// A decision with the meeting it was taken at, for the list per series.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SeriesDecision {
    pub meeting_id: Uuid,
    pub number: i64,
    pub held_on: Date,
    pub text: String,
}

pub async fn decisions_of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<SeriesDecision>> {
    let sql = "select m.id as meeting_id, m.number, m.held_on, d.text from decisions d join meetings m on m.id = d.meeting_id
               join meeting_series s on s.id = m.series_id where s.committee_id = $1 order by m.held_on desc, d.position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, SeriesDecision>(sql).bind(committee).fetch_all(pool).await)?)
}

/// Every action item of a committee's series, open ones first, for the committee and
/// per-person lists.
pub async fn action_items_of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<ActionItem>> {
    action_items_where(db, "ai.series_id in (select id from meeting_series where committee_id = $1)", committee).await
}

/// The committee members, to choose attendees and owners from.
pub async fn members(db: &Db, committee: Uuid) -> DbResult<Vec<(Uuid, String)>> {
    let sql = "select p.id, p.display_name from committee_members m join people p on p.id = m.person_id
               where m.committee_id = $1 and p.merged_into is null order by p.sort_key";
    Ok(on_db!(db, pool => sqlx::query_as::<_, (Uuid, String)>(sql).bind(committee).fetch_all(pool).await)?)
}

/// Action items a person owns, across committees.
pub async fn action_items_of_person(db: &Db, person: Uuid) -> DbResult<Vec<ActionItem>> {
    action_items_where(db, "ai.id in (select action_item_id from action_item_owners where person_id = $1)", person)
        .await
}

/// The details of a meeting as edited on its page.
#[derive(Debug, Clone)]
pub struct MeetingDetails {
    pub held_on: Date,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub venue_kind: String,
    pub venue_text: String,
    pub venue_link: Option<String>,
    pub chair: Option<String>,
    pub minute_taker: Option<String>,
    pub hosts: Vec<String>,
}

/// Saves edited details made on `expected_version`; refuses when someone saved in between.
pub async fn update_details(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &Meeting,
    expected_version: i64,
    d: &MeetingDetails,
) -> DbResult<()> {
    check_slot(&d.starts_at, &d.ends_at, &d.venue_kind)?;
    check_texts(
        &d.timezone,
        &d.venue_text,
        d.venue_link.as_deref(),
        &[("chair", d.chair.as_deref()), ("minute_taker", d.minute_taker.as_deref())],
        &d.hosts,
    )?;
    open_for_edits(tx, meeting.id).await?;
    let now = now();
    let changed = on_tx!(tx, c => sqlx::query(
        "update meetings set held_on = $3, starts_at = $4, ends_at = $5, timezone = $6, venue_kind = $7, venue_text = $8, venue_link = $9,
         chair = $10, minute_taker = $11, version = version + 1, updated_at = $12 where id = $1 and version = $2")
        .bind(meeting.id).bind(expected_version).bind(d.held_on).bind(&d.starts_at).bind(&d.ends_at).bind(&d.timezone)
        .bind(&d.venue_kind).bind(&d.venue_text).bind(&d.venue_link).bind(&d.chair).bind(&d.minute_taker).bind(now)
        .rows(c).await)?;
    if changed == 0 {
        return Err(DbError::Conflict { entity: "meeting" });
    }
    on_tx!(tx, c => sqlx::query("delete from meeting_hosts where meeting_id = $1").bind(meeting.id).rows(c).await)?;
    for (position, host) in d.hosts.iter().enumerate() {
        on_tx!(tx, c => sqlx::query("insert into meeting_hosts (id, meeting_id, name, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(new_id()).bind(meeting.id).bind(host).bind(position as i64).bind(now).rows(c).await)?;
    }
    let after = serde_json::json!({"held_on": d.held_on.to_string(), "starts_at": d.starts_at, "ends_at": d.ends_at, "timezone": d.timezone,
        "venue_kind": d.venue_kind, "venue_text": d.venue_text, "chair": d.chair, "minute_taker": d.minute_taker, "hosts": d.hosts});
    audit::record(tx, actor, "meeting", &meeting.id.to_string(), "update", Some(meeting), Some(&after)).await
}

/// Adds a topic to the next meeting's draft agenda (次回アジェンダ（たたき台）), kept with this meeting.
pub async fn add_draft_agenda_item(tx: &mut Tx, actor: &Actor, meeting: Uuid, title: &str) -> DbResult<()> {
    let title = normalize_spaces(title);
    if title.is_empty() {
        return Err(DbError::empty("title"));
    }
    if title.chars().count() > TITLE_MAX {
        return Err(DbError::length("title", title.chars().count(), 1, TITLE_MAX));
    }
    open_for_edits(tx, meeting).await?;
    let count = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from draft_agenda_items where meeting_id = $1").bind(meeting).fetch_one(c).await)?;
    on_tx!(tx, c => sqlx::query(
        "insert into draft_agenda_items (id, meeting_id, title, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
        .bind(new_id()).bind(meeting).bind(&title).bind(count).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "meeting", &meeting.to_string(), "draft-agenda", NOTHING, Some(&title)).await
}
