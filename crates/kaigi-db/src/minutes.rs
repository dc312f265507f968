//! Minutes: importing them from an archive (preview, then one transaction), saving their text
//! in revisions (never overwriting a newer text), their states from draft to published, and
//! the document the Markdown, HTML and PDF exports are made from.

use crate::Run;
use kaigi_core::directory::{PersonName, normalize_spaces};
use kaigi_core::minutes::{self, MinutesDocument, MinutesState, MinutesStep};
use kaigi_core::timetable::{format_clock, parse_clock};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Actor, NOTHING};
use crate::directory::{self, PersonInput};
use crate::meetings::{Meeting, agenda, attendance, hosts, materials, meeting, meeting_of_item, open_for_edits};
use crate::{Db, DbError, DbResult, OnUnique, Tx, new_id, now, on_db, on_tx};

/// What an import did, for the preview and the CLI.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub meeting_id: Option<Uuid>,
    pub series: String,
    pub number: i64,
    /// Participants matched to someone already in the directory.
    pub matched: Vec<String>,
    /// Participants added to the directory.
    pub created: Vec<String>,
    /// Participants whose name fits several people: stored as written, not linked.
    pub ambiguous: Vec<String>,
    pub items: usize,
    pub action_items: usize,
    pub decisions: usize,
    pub warnings: Vec<String>,
    /// The minutes' state as stored: approved, or draft when the file looks cut off.
    pub state: String,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    id: Uuid,
    organisation: Option<String>,
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// Where imported minutes go.
#[derive(Debug, Clone, Default)]
pub struct ImportTarget<'a> {
    /// The series to store them under, instead of the one the minutes name.
    pub series: Option<&'a str>,
    /// Only this committee's series are found or created (an import from a committee's page:
    /// whatever the file says, nothing lands in another committee). Without it (the command
    /// line, run by whoever holds the database) a series of that name anywhere is used, and a
    /// new name creates a committee of the same name.
    pub committee: Option<Uuid>,
    /// Signs that the file is cut off ([`kaigi_core::minutes::truncation_signs`]): the meeting
    /// is stored as a draft to be checked, with these as warnings, never as approved.
    pub truncation: Vec<String>,
}

/// Finds the series by name, creating it if needed: in the committee given, or in a new
/// committee of the same name.
async fn series_for(tx: &mut Tx, actor: &Actor, name: &str, committee: Option<Uuid>) -> DbResult<Uuid> {
    let name = normalize_spaces(name);
    if name.is_empty() {
        return Err(DbError::refused(
            "error-minutes-no-series",
            "series: the minutes name no series; give one with --series",
        ));
    }
    tx.serialize_on(&format!("meeting-series:{name}")).await?;
    let found = match committee {
        Some(committee) => on_tx!(tx, c => sqlx::query_scalar::<_, Uuid>(
            "select id from meeting_series where name = $1 and committee_id = $2 order by created_at limit 1")
            .bind(&name).bind(committee).fetch_optional(c).await)?,
        None => on_tx!(tx, c => sqlx::query_scalar::<_, Uuid>(
            "select id from meeting_series where name = $1 order by created_at limit 1")
            .bind(&name).fetch_optional(c).await)?,
    };
    if let Some(id) = found {
        return Ok(id);
    }
    let now = now();
    let committee = match committee {
        Some(id) => id,
        None => {
            let id = new_id();
            on_tx!(tx, c => sqlx::query("insert into committees (id, name, created_at, updated_at) values ($1, $2, $3, $3)")
                .bind(id).bind(&name).bind(now).rows(c).await)?;
            id
        }
    };
    let series = new_id();
    on_tx!(tx, c => sqlx::query("insert into meeting_series (id, committee_id, name, created_at, updated_at) values ($1, $2, $3, $4, $4)")
        .bind(series).bind(committee).bind(&name).bind(now).rows(c).await)?;
    audit::record(tx, actor, "meeting-series", &series.to_string(), "create", NOTHING, Some(&name)).await?;
    Ok(series)
}

fn parse_date(field: &'static str, value: &str) -> DbResult<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value, &format).map_err(|_| DbError::not_a_date(field, value))
}

/// Stores parsed minutes as a meeting, in one transaction: all of it or nothing. People are
/// matched to the directory by name (and affiliation when the name fits several); new names
/// are added; ambiguous ones are kept as written and reported. An existing meeting with the
/// same number is never overwritten.
pub async fn import(
    db: &Db,
    actor: &Actor,
    doc: &MinutesDocument,
    target: &ImportTarget<'_>,
) -> DbResult<ImportReport> {
    run_import(db, actor, doc, target, true).await
}

/// Everything [`import`] would do, reported, then rolled back: the preview before storing.
pub async fn preview_import(
    db: &Db,
    actor: &Actor,
    doc: &MinutesDocument,
    target: &ImportTarget<'_>,
) -> DbResult<ImportReport> {
    let mut report = run_import(db, actor, doc, target, false).await?;
    report.meeting_id = None;
    Ok(report)
}

async fn run_import(
    db: &Db,
    actor: &Actor,
    doc: &MinutesDocument,
    target: &ImportTarget<'_>,
    store: bool,
) -> DbResult<ImportReport> {
    let series_name = target.series.map(str::to_owned).or_else(|| doc.series.clone()).unwrap_or_default();
    let number = doc.number.ok_or_else(|| {
        DbError::refused("error-minutes-no-number", "number: the minutes have no meeting number (第 N 回)")
    })?;
    let held_on = parse_date(
        "date",
        doc.date
            .as_deref()
            .ok_or_else(|| DbError::refused("error-minutes-no-date", "date: the minutes have no date (開催日時)"))?,
    )?;
    let mut report = ImportReport {
        series: normalize_spaces(&series_name),
        number,
        warnings: doc.warnings.iter().chain(&target.truncation).cloned().collect(),
        ..Default::default()
    };
    // Minutes that may be cut off wait as a draft for someone to compare with the original.
    let state = if target.truncation.is_empty() { MinutesState::Approved } else { MinutesState::Draft };

    let mut tx = db.begin().await?;
    let series = series_for(&mut tx, actor, &series_name, target.committee).await?;
    let exists = on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>("select count(*) from meetings where series_id = $1 and number = $2")
        .bind(series).bind(number).fetch_one(c).await)?;
    let taken = || {
        DbError::refused(
            "error-minutes-meeting-exists",
            format!("meeting {number} of {} exists already; nothing was imported", report.series),
        )
        .with("number", number)
        .with("series", &report.series)
    };
    if exists > 0 {
        return Err(taken());
    }
    let meeting = new_id();
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into meetings (id, series_id, number, held_on, starts_at, ends_at, venue_kind, venue_text, chair, minute_taker,
         stated_count, minutes_state, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $12, $12)")
        .bind(meeting).bind(series).bind(number).bind(held_on)
        .bind(doc.start.clone().unwrap_or_default()).bind(doc.end.clone().unwrap_or_default())
        .bind(doc.venue.kind.clone().unwrap_or_else(|| "onsite".into())).bind(&doc.venue.text)
        .bind(&doc.chair).bind(&doc.minute_taker).bind(doc.stated_count).bind(now).bind(state.code())
        .rows(c).await).on_unique(taken)?;
    report.meeting_id = Some(meeting);
    report.state = state.code().to_owned();

    for (position, host) in doc.hosts.iter().enumerate() {
        on_tx!(&mut tx, c => sqlx::query("insert into meeting_hosts (id, meeting_id, name, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(new_id()).bind(meeting).bind(host).bind(position as i64).bind(now).rows(c).await)?;
    }
    for (position, material) in doc.materials.iter().enumerate() {
        on_tx!(&mut tx, c => sqlx::query("insert into meeting_materials (id, meeting_id, title, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(new_id()).bind(meeting).bind(material).bind(position as i64).bind(now).rows(c).await)?;
    }

    let mut attendees: Vec<(String, Option<Uuid>)> = Vec::new();
    for (position, p) in doc.participants.iter().enumerate() {
        let written = normalize_spaces(&format!("{} {}", p.family, p.given));
        let person = match_person(&mut tx, actor, &written, &p.affiliation, &mut report).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into meeting_attendance (id, meeting_id, person_id, family, given, affiliation, position, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
            .bind(new_id()).bind(meeting).bind(person).bind(&p.family).bind(&p.given).bind(&p.affiliation)
            .bind(position as i64).bind(now).rows(c).await)?;
        attendees.push((p.family.clone(), person));
    }

    let mut item_ids = Vec::new();
    for (position, item) in doc.items.iter().enumerate() {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into agenda_items (id, meeting_id, number, title, timebox_min, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(id).bind(meeting).bind(&item.number).bind(&item.title).bind(item.timebox_min).bind(position as i64).bind(now)
            .rows(c).await)?;
        on_tx!(&mut tx, c => sqlx::query(
            "insert into minutes_revisions (id, agenda_item_id, revision, body, author_user_id, author_label, created_at, updated_at)
             values ($1, $2, 1, $3, $4, $5, $6, $6)")
            .bind(new_id()).bind(id).bind(&item.body).bind(actor.user_id).bind(&actor.label).bind(now)
            .rows(c).await)?;
        item_ids.push(id);
    }
    report.items = doc.items.len();

    let todo_item = doc.items.iter().position(|i| {
        let t = i.title.to_lowercase();
        (t.contains("todo") || t.contains("宿題")) && !t.contains("進捗")
    });
    for action in &doc.action_items {
        let id = new_id();
        on_tx!(&mut tx, c => sqlx::query(
            "insert into action_items (id, series_id, origin_meeting_id, origin_item_id, text, due, status, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, 'open', $7, $7)")
            .bind(id).bind(series).bind(meeting).bind(todo_item.map(|i| item_ids[i])).bind(&action.text).bind(&action.due).bind(now)
            .rows(c).await)?;
        for (position, owner) in action.owners.iter().enumerate() {
            // "川口" in a todo line is the attendee whose family name (or full name) it is.
            let person = attendees
                .iter()
                .filter(|(family, _)| compact(family) == compact(owner))
                .map(|(_, p)| *p)
                .collect::<Vec<_>>();
            let person = if person.len() == 1 { person[0] } else { None };
            on_tx!(&mut tx, c => sqlx::query(
                "insert into action_item_owners (id, action_item_id, person_id, name, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
                .bind(new_id()).bind(id).bind(person).bind(owner).bind(position as i64).bind(now)
                .rows(c).await)?;
        }
    }
    report.action_items = doc.action_items.len();

    for (position, decision) in doc.decisions.iter().enumerate() {
        let item = doc.items.iter().position(|i| i.body.contains(decision.as_str())).map(|i| item_ids[i]);
        on_tx!(&mut tx, c => sqlx::query(
            "insert into decisions (id, meeting_id, agenda_item_id, text, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(new_id()).bind(meeting).bind(item).bind(decision).bind(position as i64).bind(now)
            .rows(c).await)?;
    }
    report.decisions = doc.decisions.len();

    if let Some(next) = &doc.next_meeting {
        for (position, title) in next.draft_agenda.iter().enumerate() {
            on_tx!(&mut tx, c => sqlx::query(
                "insert into draft_agenda_items (id, meeting_id, title, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
                .bind(new_id()).bind(meeting).bind(title).bind(position as i64).bind(now)
                .rows(c).await)?;
        }
        if !next.candidates.is_empty() {
            let starts = next.start.clone().or_else(|| doc.start.clone()).unwrap_or_else(|| "10:00".into());
            let ends = doc
                .end
                .clone()
                .filter(|_| next.start.is_none() || next.start == doc.start)
                .unwrap_or_else(|| add_minutes(&starts, duration(doc)));
            let poll = new_id();
            on_tx!(&mut tx, c => sqlx::query(
                "insert into date_polls (id, series_id, drafted_at_meeting_id, title, starts_at, ends_at, status, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, 'open', $7, $7)")
                .bind(poll).bind(series).bind(meeting).bind(format!("第 {} 回会合の日程", number + 1)).bind(&starts).bind(&ends).bind(now)
                .rows(c).await)?;
            for (position, candidate) in next.candidates.iter().enumerate() {
                let day = parse_date("next_meeting.candidates", candidate)?;
                on_tx!(&mut tx, c => sqlx::query(
                    "insert into date_poll_slots (id, poll_id, day, starts_at, ends_at, position, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)")
                    .bind(new_id()).bind(poll).bind(day).bind(&starts).bind(&ends).bind(position as i64).bind(now)
                    .rows(c).await)?;
            }
        }
    }
    let summary = serde_json::json!({"series": report.series, "number": number, "items": report.items,
        "created_people": report.created, "ambiguous": report.ambiguous});
    audit::record(&mut tx, actor, "meeting", &meeting.to_string(), "import", NOTHING, Some(&summary)).await?;
    if store {
        tx.commit().await?;
    }
    // Without a commit the transaction is rolled back when it is dropped.
    Ok(report)
}

fn duration(doc: &MinutesDocument) -> i64 {
    match (doc.start.as_deref().and_then(parse_clock), doc.end.as_deref().and_then(parse_clock)) {
        (Some(s), Some(e)) if e > s => e - s,
        _ => 90,
    }
}

fn add_minutes(hhmm: &str, minutes: i64) -> String {
    format_clock(parse_clock(hhmm).unwrap_or(600) + minutes)
}

async fn match_person(
    tx: &mut Tx,
    actor: &Actor,
    written: &str,
    affiliation: &str,
    report: &mut ImportReport,
) -> DbResult<Option<Uuid>> {
    let key = compact(written);
    // Names are compared without spaces: "藤井健太" and "藤井 健太" are the same name.
    let sql = "select p.id, o.name as organisation from people p
               left join affiliations a on a.person_id = p.id and a.until is null
               left join organisations o on o.id = a.organisation_id
               where p.merged_into is null and replace(lower(p.display_name), ' ', '') = $1";
    let rows = on_tx!(tx, c => sqlx::query_as::<_, Candidate>(sql).bind(&key).fetch_all(c).await)?;
    let mut people: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    people.dedup();
    match people.len() {
        1 => {
            report.matched.push(written.to_owned());
            Ok(Some(people[0]))
        }
        0 => {
            let name = PersonName::parse(written, None, None)?;
            let id = directory::create_person(tx, actor, &PersonInput::named(name)).await?;
            if !affiliation.trim().is_empty() {
                let org = organisation_named(tx, actor, affiliation).await?;
                directory::add_affiliation(tx, actor, id, org, None, None, None).await?;
            }
            report.created.push(written.to_owned());
            Ok(Some(id))
        }
        _ => {
            let same_org: Vec<&Candidate> = rows
                .iter()
                .filter(|r| r.organisation.as_deref().is_some_and(|o| compact(o) == compact(affiliation)))
                .collect();
            if same_org.len() == 1 {
                report.matched.push(written.to_owned());
                Ok(Some(same_org[0].id))
            } else {
                report.ambiguous.push(format!("{written} ({affiliation}): {} people have this name", rows.len()));
                Ok(None)
            }
        }
    }
}

async fn organisation_named(tx: &mut Tx, actor: &Actor, name: &str) -> DbResult<Uuid> {
    let name = normalize_spaces(name);
    let found = on_tx!(tx, c => sqlx::query_scalar::<_, Uuid>("select id from organisations where name = $1").bind(&name).fetch_optional(c).await)?;
    match found {
        Some(id) => Ok(id),
        None => directory::create_organisation(tx, actor, &name, None, None).await,
    }
}

// --- minutes text -----------------------------------------------------------------------

/// The outcome of saving minutes based on a revision that is no longer the newest.
#[derive(Debug, Clone)]
pub struct MinutesConflict {
    pub current_revision: i64,
    pub current_body: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Revision {
    pub revision: i64,
    pub body: String,
    pub author_label: String,
    pub created_at: OffsetDateTime,
}

pub async fn revisions(db: &Db, item: Uuid) -> DbResult<Vec<Revision>> {
    let sql = "select revision, body, author_label, created_at from minutes_revisions where agenda_item_id = $1 order by revision desc";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Revision>(sql).bind(item).fetch_all(pool).await)?)
}

/// Saves a new revision of an item's minutes made on `based_on`. When someone saved in between,
/// nothing is written and both texts come back: no one's text is lost.
pub async fn save_minutes(
    db: &Db,
    actor: &Actor,
    item: Uuid,
    based_on: i64,
    body: &str,
) -> DbResult<Result<i64, MinutesConflict>> {
    let mut tx = db.begin().await?;
    let meeting = meeting_of_item(&mut tx, item).await?;
    open_for_edits(&mut tx, meeting).await?;
    let current = on_tx!(&mut tx, c => sqlx::query_as::<_, (i64, String)>(
        "select revision, body from minutes_revisions where agenda_item_id = $1 order by revision desc limit 1")
        .bind(item).fetch_optional(c).await)?;
    let (current_revision, current_body) = current.unwrap_or((0, String::new()));
    if current_revision != based_on {
        return Ok(Err(MinutesConflict { current_revision, current_body }));
    }
    if current_body == body {
        return Ok(Ok(current_revision));
    }
    let revision = current_revision + 1;
    let now = now();
    // The unique (item, revision) key makes two simultaneous saves on one revision impossible
    // even across instances: the second insert fails instead of overwriting.
    let inserted = on_tx!(&mut tx, c => sqlx::query(
        "insert into minutes_revisions (id, agenda_item_id, revision, body, author_user_id, author_label, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (agenda_item_id, revision) do nothing")
        .bind(new_id()).bind(item).bind(revision).bind(body).bind(actor.user_id).bind(&actor.label).bind(now)
        .rows(c).await)?;
    if inserted == 0 {
        drop(tx);
        let latest = revisions(db, item).await?.into_iter().next();
        return Ok(Err(MinutesConflict {
            current_revision: latest.as_ref().map_or(0, |r| r.revision),
            current_body: latest.map(|r| r.body).unwrap_or_default(),
        }));
    }
    let before = serde_json::json!({"revision": current_revision, "body": current_body});
    let after = serde_json::json!({"revision": revision, "body": body});
    audit::record(&mut tx, actor, "minutes", &item.to_string(), "save", Some(&before), Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(revision))
}

/// The meeting as a minutes document, for the Markdown, HTML and PDF exports.
pub async fn document(db: &Db, id: Uuid) -> DbResult<MinutesDocument> {
    let m = meeting(db, id).await?.ok_or(DbError::NotFound("meeting"))?;
    let items = agenda(db, id).await?;
    Ok(MinutesDocument {
        series: Some(m.series_name),
        number: Some(m.number),
        date: Some(format!("{:04}-{:02}-{:02}", m.held_on.year(), u8::from(m.held_on.month()), m.held_on.day())),
        start: Some(m.starts_at).filter(|s| !s.is_empty()),
        end: Some(m.ends_at).filter(|s| !s.is_empty()),
        venue: minutes::Venue { kind: Some(m.venue_kind), text: m.venue_text.unwrap_or_default() },
        hosts: hosts(db, id).await?,
        participants: attendance(db, id)
            .await?
            .into_iter()
            .map(|a| minutes::Participant { family: a.family, given: a.given, affiliation: a.affiliation })
            .collect(),
        stated_count: m.stated_count,
        chair: m.chair,
        minute_taker: m.minute_taker,
        materials: materials(db, id).await?,
        items: items
            .into_iter()
            .map(|i| minutes::AgendaItem { number: i.number, title: i.title, timebox_min: i.timebox_min, body: i.body })
            .collect(),
        action_items: crate::meetings::action_items_from(db, id)
            .await?
            .into_iter()
            .map(|a| minutes::ActionItem { owners: a.owner_names(), text: a.text, due: a.due })
            .collect(),
        decisions: crate::meetings::decisions(db, id).await?,
        ..MinutesDocument::default()
    })
}

/// The id of a meeting by series name and number, for the CLI.
pub async fn find(db: &Db, series: &str, number: i64) -> DbResult<Option<Uuid>> {
    let sql =
        "select m.id from meetings m join meeting_series s on s.id = m.series_id where s.name = $1 and m.number = $2";
    Ok(
        on_db!(db, pool => sqlx::query_scalar::<_, Uuid>(sql).bind(normalize_spaces(series)).bind(number).fetch_optional(pool).await)?,
    )
}

/// Moves minutes through draft → circulated → approved (recorded at the next meeting of the
/// series), publishes approved minutes, and reopens approved minutes for a correction (with a
/// reason, which the audit log keeps; reopened minutes leave the public page). The move is
/// decided by [`MinutesState::after`] and written only if nobody moved them meanwhile.
pub async fn change_state(
    tx: &mut Tx,
    actor: &Actor,
    meeting: &Meeting,
    step: MinutesStep,
    reason: Option<&str>,
) -> DbResult<()> {
    let now = now();
    let from: MinutesState = meeting.minutes_state.parse()?;
    let to = from.after(step, meeting.published)?;
    let reason = reason.map(normalize_spaces).filter(|r| !r.is_empty());
    if step == MinutesStep::Reopen && reason.is_none() {
        return Err(DbError::empty("reason"));
    }
    let sql = match step {
        MinutesStep::Circulate | MinutesStep::Recall => {
            "update meetings set minutes_state = $2, version = version + 1, updated_at = $3 where id = $1 and minutes_state = $4"
        }
        MinutesStep::Approve => {
            "update meetings set minutes_state = $2, approved_at = (select n.id from meetings n where n.series_id = meetings.series_id
             and n.held_on > meetings.held_on order by n.held_on limit 1), version = version + 1, updated_at = $3
             where id = $1 and minutes_state = $4
             and exists (select 1 from meetings n where n.series_id = meetings.series_id and n.held_on > meetings.held_on)"
        }
        MinutesStep::Publish => {
            "update meetings set published = true, version = version + 1, updated_at = $3
             where id = $1 and minutes_state = $4 and $2 = 'approved' and published = false"
        }
        MinutesStep::Unpublish => {
            "update meetings set published = false, version = version + 1, updated_at = $3
             where id = $1 and minutes_state = $4 and $2 = 'approved' and published = true"
        }
        MinutesStep::Reopen => {
            "update meetings set minutes_state = $2, published = false, approved_at = null, version = version + 1, updated_at = $3
             where id = $1 and minutes_state = $4"
        }
    };
    let changed = on_tx!(tx, c => sqlx::query(sql).bind(meeting.id).bind(to.code()).bind(now).bind(from.code())
        .rows(c).await)?;
    if changed == 0 {
        // Approval needs a later meeting to be recorded at; or someone moved them meanwhile.
        return Err(DbError::refused(
            "minutes-state-refused",
            format!("minutes of meeting {} cannot be {} now", meeting.number, step.code()),
        ));
    }
    if step == MinutesStep::Publish {
        let held_on = meeting.held_on.to_string();
        let data = serde_json::json!({"meeting": {
            "id": meeting.id, "committee": meeting.committee_id, "series": meeting.series_name,
            "number": meeting.number, "held_on": held_on,
        }});
        crate::webhooks::emit(tx, None, kaigi_core::webhooks::Event::MinutesPublished, &data).await?;
    }
    let after = serde_json::json!({"state": to.code(), "step": step.code(), "reason": reason});
    audit::record(
        tx,
        actor,
        "meeting",
        &meeting.id.to_string(),
        "minutes-state",
        Some(&meeting.minutes_state),
        Some(&after),
    )
    .await
}
