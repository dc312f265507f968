//! Date polls for the next meeting: candidate slots, each member's answer (yes / if need be /
//! no) also through a personal link, one key person whose availability decides, and picking
//! the slot, which creates the next meeting with the draft agenda.

use crate::Run;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::accounts::{new_token, token_hash};
use crate::audit::{self, Actor, NOTHING};
use crate::meetings::{self, NewMeeting};
use crate::{Db, DbError, DbResult, Tx, new_id, now, on_db, on_tx};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Poll {
    pub id: Uuid,
    pub series_id: Uuid,
    pub committee_id: Uuid,
    pub drafted_at_meeting_id: Option<Uuid>,
    pub title: String,
    pub key_person_id: Option<Uuid>,
    pub status: String,
    pub chosen_slot_id: Option<Uuid>,
    pub created_meeting_id: Option<Uuid>,
}

const POLL_COLUMNS: &str =
    "p.id, p.series_id, s.committee_id, p.drafted_at_meeting_id, p.title, p.key_person_id, p.status,
    p.chosen_slot_id, p.created_meeting_id";

pub async fn poll(db: &Db, id: Uuid) -> DbResult<Option<Poll>> {
    let sql =
        format!("select {POLL_COLUMNS} from date_polls p join meeting_series s on s.id = p.series_id where p.id = $1");
    Ok(on_db!(db, pool => sqlx::query_as::<_, Poll>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?)
}

pub async fn poll_drafted_at(db: &Db, meeting: Uuid) -> DbResult<Option<Poll>> {
    let sql = format!(
        "select {POLL_COLUMNS} from date_polls p join meeting_series s on s.id = p.series_id where p.drafted_at_meeting_id = $1 order by p.id desc limit 1"
    );
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Poll>(sqlx::AssertSqlSafe(sql)).bind(meeting).fetch_optional(pool).await)?,
    )
}

/// Open polls of a committee, newest first.
pub async fn open_polls(db: &Db, committee: Uuid) -> DbResult<Vec<Poll>> {
    let sql = format!(
        "select {POLL_COLUMNS} from date_polls p join meeting_series s on s.id = p.series_id where s.committee_id = $1 and p.status = 'open' order by p.id desc"
    );
    Ok(on_db!(db, pool => sqlx::query_as::<_, Poll>(sqlx::AssertSqlSafe(sql)).bind(committee).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Slot {
    pub id: Uuid,
    pub day: Date,
    pub starts_at: String,
    pub ends_at: String,
}

pub async fn slots(db: &Db, poll: Uuid) -> DbResult<Vec<Slot>> {
    let sql =
        "select id, day, starts_at, ends_at from date_poll_slots where poll_id = $1 order by day, starts_at, position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Slot>(sql).bind(poll).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Answer {
    pub slot_id: Uuid,
    pub person_id: Uuid,
    pub answer: String,
}

pub async fn answers(db: &Db, poll: Uuid) -> DbResult<Vec<Answer>> {
    let sql = "select a.slot_id, a.person_id, a.answer from date_poll_answers a join date_poll_slots s on s.id = a.slot_id where s.poll_id = $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Answer>(sql).bind(poll).fetch_all(pool).await)?)
}

pub fn check_answer(answer: &str) -> DbResult<()> {
    if matches!(answer, "yes" | "ifneed" | "no") {
        Ok(())
    } else {
        Err(DbError::refused("error-field-choice", format!("answer: {answer:?} is not yes, ifneed or no"))
            .with("field", "answer")
            .with("value", answer))
    }
}

/// Records a member's answers for the slots they sent (others stay as they were).
pub async fn answer(db: &Db, actor: &Actor, poll: Uuid, person: Uuid, given: &[(Uuid, String)]) -> DbResult<()> {
    let open = self::poll(db, poll).await?.ok_or(DbError::NotFound("date poll"))?;
    if open.status != "open" {
        return Err(DbError::refused("error-poll-closed", "the date poll is closed"));
    }
    let known: Vec<Uuid> = slots(db, poll).await?.into_iter().map(|s| s.id).collect();
    let mut tx = db.begin().await?;
    let now = now();
    for (slot, answer) in given {
        check_answer(answer)?;
        if !known.contains(slot) {
            return Err(
                DbError::refused("error-poll-slot-unknown", "slot: not a date of this poll").with("value", slot)
            );
        }
        on_tx!(&mut tx, c => sqlx::query(
            "insert into date_poll_answers (id, slot_id, person_id, answer, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)
             on conflict (slot_id, person_id) do update set answer = excluded.answer, updated_at = excluded.updated_at")
            .bind(new_id()).bind(slot).bind(person).bind(answer).bind(now).rows(c).await)?;
    }
    let after = serde_json::json!({"person": person, "answers": given.iter().map(|(s, a)| (s.to_string(), a)).collect::<Vec<_>>()});
    audit::record(&mut tx, actor, "date-poll", &poll.to_string(), "answer", NOTHING, Some(&after)).await?;
    tx.commit().await
}

/// More slots than anyone answers: a poll is a few weeks' evenings, not a calendar.
pub const MAX_SLOTS: i64 = 60;

pub async fn add_slot(
    tx: &mut Tx,
    actor: &Actor,
    poll: Uuid,
    day: Date,
    starts_at: &str,
    ends_at: &str,
) -> DbResult<Uuid> {
    for (field, value) in [("start", starts_at), ("end", ends_at)] {
        // Digits only: u8's parser would also take "+1".
        let digits = |t: &str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
        let ok = value.len() == 5
            && value.split_once(':').is_some_and(|(h, m)| {
                digits(h) && digits(m) && h.parse::<u8>().is_ok_and(|h| h < 48) && m.parse::<u8>().is_ok_and(|m| m < 60)
            });
        if !ok {
            return Err(DbError::not_a_time(field, value));
        }
    }
    if ends_at <= starts_at {
        return Err(DbError::ends_before_start("end"));
    }
    let (status, timezone) = on_tx!(tx, c => sqlx::query_as::<_, (String, Option<String>)>(
        "select p.status, m.timezone from date_polls p left join meetings m on m.id = p.drafted_at_meeting_id where p.id = $1")
        .bind(poll).fetch_optional(c).await)?
    .ok_or(DbError::NotFound("date poll"))?;
    if status != "open" {
        return Err(DbError::refused("error-poll-closed", "the date poll is closed"));
    }
    // A date already past where the committee meets is no candidate (archives import theirs
    // directly): today in the time zone of the meeting that opened the poll, else Tokyo's.
    let zone = jiff::tz::TimeZone::get(timezone.as_deref().unwrap_or("Asia/Tokyo")).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = zone.to_datetime(jiff::Timestamp::now()).date();
    let month = time::Month::try_from(today.month() as u8).map_err(|e| DbError::Internal(e.to_string()))?;
    let today = Date::from_calendar_date(i32::from(today.year()), month, today.day() as u8)
        .map_err(|e| DbError::Internal(e.to_string()))?;
    if day < today {
        return Err(DbError::refused("error-poll-slot-past", format!("day: {day} is already past"))
            .with("field", "day")
            .with("value", day));
    }
    let count = on_tx!(tx, c => sqlx::query_scalar::<_, i64>("select count(*) from date_poll_slots where poll_id = $1").bind(poll).fetch_one(c).await)?;
    if count >= MAX_SLOTS {
        return Err(DbError::refused("error-poll-slots", "a date poll has at most 60 slots").with("max", MAX_SLOTS));
    }
    let id = new_id();
    on_tx!(tx, c => sqlx::query(
        "insert into date_poll_slots (id, poll_id, day, starts_at, ends_at, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(id).bind(poll).bind(day).bind(starts_at).bind(ends_at).bind(count).bind(now()).rows(c).await)?;
    let after = serde_json::json!({"day": day.to_string(), "starts_at": starts_at, "ends_at": ends_at});
    audit::record(tx, actor, "date-poll", &poll.to_string(), "add-slot", NOTHING, Some(&after)).await?;
    Ok(id)
}

/// Opens a poll for the meeting after `meeting`.
pub async fn create_poll(tx: &mut Tx, actor: &Actor, meeting: &meetings::Meeting) -> DbResult<Uuid> {
    let id = new_id();
    on_tx!(tx, c => sqlx::query(
        "insert into date_polls (id, series_id, drafted_at_meeting_id, title, starts_at, ends_at, status, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, 'open', $7, $7)")
        .bind(id).bind(meeting.series_id).bind(meeting.id).bind(format!("第 {} 回会合の日程", meeting.number + 1))
        .bind(&meeting.starts_at).bind(&meeting.ends_at).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "date-poll", &id.to_string(), "create", NOTHING, Some(&meeting.id)).await?;
    Ok(id)
}

/// Names the member whose "no" rules a slot out (None: nobody). Someone outside the committee
/// cannot be its key person.
pub async fn set_key_person(tx: &mut Tx, actor: &Actor, poll: &Poll, person: Option<Uuid>) -> DbResult<()> {
    if let Some(person) = person {
        let member = on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
            "select count(*) from committee_members where committee_id = $1 and person_id = $2")
            .bind(poll.committee_id).bind(person).fetch_one(c).await)?;
        if member == 0 {
            return Err(DbError::refused("error-poll-not-member", "person: not a member of the committee")
                .with("value", person));
        }
    }
    on_tx!(tx, c => sqlx::query("update date_polls set key_person_id = $2, updated_at = $3 where id = $1")
        .bind(poll.id).bind(person).bind(now()).rows(c).await)?;
    audit::record(tx, actor, "date-poll", &poll.id.to_string(), "key-person", NOTHING, Some(&person)).await
}

/// A personal link for each member (so they can answer without signing in), created once.
/// Returns the members who got a new link, with the token to send them.
pub async fn invite_members(
    tx: &mut Tx,
    actor: &Actor,
    poll: &Poll,
) -> DbResult<Vec<(Uuid, String, Option<String>, String)>> {
    let members = on_tx!(tx, c => sqlx::query_as::<_, (Uuid, String, Option<String>)>(
        "select p.id, p.display_name, p.email from committee_members m join people p on p.id = m.person_id
         where m.committee_id = $1 and p.merged_into is null
         and not exists (select 1 from date_poll_invitees i where i.poll_id = $2 and i.person_id = p.id) order by p.sort_key")
        .bind(poll.committee_id).bind(poll.id).fetch_all(c).await)?;
    let now = now();
    let mut invited = Vec::new();
    for (person, name, email) in members {
        let (token, hash) = new_token();
        on_tx!(tx, c => sqlx::query(
            "insert into date_poll_invitees (id, poll_id, person_id, token_hash, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(new_id()).bind(poll.id).bind(person).bind(&hash).bind(now).rows(c).await)?;
        invited.push((person, name, email, token));
    }
    audit::record(tx, actor, "date-poll", &poll.id.to_string(), "invite", NOTHING, Some(&invited.len())).await?;
    Ok(invited)
}

/// The poll and person a personal link belongs to.
pub async fn invitee_by_token(db: &Db, token: &str) -> DbResult<Option<(Uuid, Uuid)>> {
    let sql = "select poll_id, person_id from date_poll_invitees where token_hash = $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, (Uuid, Uuid)>(sql).bind(token_hash(token)).fetch_optional(pool).await)?)
}

/// Picks a slot: the next meeting is created on it (its agenda from the draft agenda and what
/// the series carries forward) and the poll closes.
pub async fn choose_slot(db: &Db, actor: &Actor, poll: Uuid, slot: Uuid) -> DbResult<Uuid> {
    let p = self::poll(db, poll).await?.ok_or(DbError::NotFound("date poll"))?;
    if p.status != "open" {
        return Err(DbError::refused("error-poll-closed", "the date poll is closed already"));
    }
    let chosen = slots(db, poll).await?.into_iter().find(|s| s.id == slot).ok_or_else(|| {
        DbError::refused("error-poll-slot-unknown", "slot: not a date of this poll").with("value", slot)
    })?;
    let drafted = match p.drafted_at_meeting_id {
        Some(m) => meetings::meeting(db, m).await?,
        None => None,
    };
    let next_number =
        on_db!(db, pool => sqlx::query_scalar::<_, Option<i64>>("select max(number) from meetings where series_id = $1")
        .bind(p.series_id).fetch_one(pool).await)?
        .unwrap_or(0) + 1;
    let new = NewMeeting {
        number: next_number,
        held_on: chosen.day,
        starts_at: chosen.starts_at.clone(),
        ends_at: chosen.ends_at.clone(),
        timezone: drafted.as_ref().map_or_else(|| "Asia/Tokyo".into(), |m| m.timezone.clone()),
        venue_kind: drafted.as_ref().map_or_else(|| "online".into(), |m| m.venue_kind.clone()),
        venue_text: drafted.as_ref().and_then(|m| m.venue_text.clone()).unwrap_or_default(),
        venue_link: drafted.as_ref().and_then(|m| m.venue_link.clone()),
        chair: drafted.as_ref().and_then(|m| m.chair.clone()),
        minute_taker: None,
    };
    let hosts = match &drafted {
        Some(m) => meetings::hosts(db, m.id).await?,
        None => Vec::new(),
    };
    let mut tx = db.begin().await?;
    let closed = on_tx!(&mut tx, c => sqlx::query("update date_polls set status = 'closed', chosen_slot_id = $2, updated_at = $3 where id = $1 and status = 'open'")
        .bind(poll).bind(slot).bind(now()).rows(c).await)?;
    if closed == 0 {
        return Err(DbError::refused("error-poll-closed", "the date poll is closed already"));
    }
    let meeting = meetings::create_meeting(&mut tx, actor, p.series_id, &new).await?;
    // The hosts of the meeting that opened the poll host the next one too, until changed.
    for (position, host) in hosts.iter().enumerate() {
        on_tx!(&mut tx, c => sqlx::query(
            "insert into meeting_hosts (id, meeting_id, name, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(new_id()).bind(meeting).bind(host).bind(position as i64).bind(now()).rows(c).await)?;
    }
    on_tx!(&mut tx, c => sqlx::query("update date_polls set created_meeting_id = $2 where id = $1")
        .bind(poll).bind(meeting).rows(c).await)?;
    audit::record(&mut tx, actor, "date-poll", &poll.to_string(), "choose", NOTHING, Some(&slot)).await?;
    tx.commit().await?;
    Ok(meeting)
}

// --- external deadlines -----------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Deadline {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub due_on: Date,
    pub url: Option<String>,
}

/// A deadline the committee tracks: a consultation (意見募集), a survey (アンケート), other.
pub async fn add_deadline(
    tx: &mut Tx,
    actor: &Actor,
    series: Uuid,
    title: &str,
    kind: &str,
    due_on: Date,
    url: Option<&str>,
) -> DbResult<Uuid> {
    let title = kaigi_core::directory::normalize_spaces(title);
    if title.is_empty() {
        return Err(DbError::empty("title"));
    }
    if !matches!(kind, "consultation" | "survey" | "other") {
        return Err(DbError::refused(
            "error-field-choice",
            format!("kind: {kind:?} is not consultation, survey or other"),
        )
        .with("field", "kind")
        .with("value", kind));
    }
    if url.is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
        return Err(DbError::not_a_link("url"));
    }
    let id = new_id();
    on_tx!(tx, c => sqlx::query(
        "insert into external_deadlines (id, series_id, title, kind, due_on, url, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(id).bind(series).bind(&title).bind(kind).bind(due_on).bind(url).bind(now()).rows(c).await)?;
    let after = serde_json::json!({"title": title, "kind": kind, "due_on": due_on.to_string(), "url": url});
    audit::record(tx, actor, "deadline", &id.to_string(), "create", NOTHING, Some(&after)).await?;
    Ok(id)
}

pub async fn deadlines_of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<Deadline>> {
    let sql = "select d.id, d.title, d.kind, d.due_on, d.url from external_deadlines d join meeting_series s on s.id = d.series_id
               where s.committee_id = $1 order by d.due_on";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Deadline>(sql).bind(committee).fetch_all(pool).await)?)
}

/// The committee a poll belongs to (for the permission check).
pub async fn committee_of(db: &Db, poll: Uuid) -> DbResult<Option<Uuid>> {
    Ok(self::poll(db, poll).await?.map(|p| p.committee_id))
}
