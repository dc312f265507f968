//! The programme in published versions (kaigi_core::publishing). The sessions tables are the
//! draft the secretariat edits; publishing freezes the draft's placed sessions as the next
//! version, with its changes since the one before, in one transaction. Public pages, exports
//! and the public search read only the latest version, so nothing of the draft reaches the
//! public before it is published, and every instance serves the version the database says is
//! the latest (`PublishedCache` keeps parsed versions, never decides which one is current).

use crate::Run;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kaigi_core::publishing::{
    self, Change, Programme, PublishedDay, PublishedPerson, PublishedRoom, PublishedSession, Slot,
};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::programme::{self, SessionRow};
use crate::{Actor, Db, DbError, DbResult, OnUnique, audit, editions, new_id, now, on_db, on_tx};

/// One published version, without its programme.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub number: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub published_by: String,
    pub note: String,
    pub note_ja: String,
    pub changes: Vec<Change>,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    number: i64,
    created_at: OffsetDateTime,
    published_by: String,
    note: String,
    note_ja: String,
    changes: String,
}

impl TryFrom<VersionRow> for Version {
    type Error = DbError;
    fn try_from(r: VersionRow) -> DbResult<Self> {
        let changes = serde_json::from_str(&r.changes)
            .map_err(|e| DbError::Internal(format!("programme version {}: changes unreadable ({e})", r.number)))?;
        Ok(Version {
            number: r.number,
            published_at: r.created_at,
            published_by: r.published_by,
            note: r.note,
            note_ja: r.note_ja,
            changes,
        })
    }
}

/// The latest version with its programme.
#[derive(Debug, Clone)]
pub struct Published {
    pub version: Version,
    pub programme: Arc<Programme>,
}

/// The number of the latest published version; 0 when nothing is published yet.
/// The number of the latest published version; 0 when nothing is published yet.
pub async fn latest_number(db: &Db, edition: Uuid) -> DbResult<i64> {
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, i64>(
        "select coalesce(max(number), 0) from programme_versions where edition_id = $1")
        .bind(edition).fetch_one(pool).await)?)
}

/// Version `number` with its programme.
pub async fn version(db: &Db, edition: Uuid, number: i64) -> DbResult<Option<Published>> {
    let row: Option<(i64, OffsetDateTime, String, String, String, String, String)> = on_db!(db, pool => sqlx::query_as(
        "select number, created_at, published_by, note, note_ja, changes, programme from programme_versions
         where edition_id = $1 and number = $2")
        .bind(edition).bind(number).fetch_optional(pool).await)?;
    let Some((number, created_at, published_by, note, note_ja, changes, programme)) = row else { return Ok(None) };
    let programme: Programme = serde_json::from_str(&programme)
        .map_err(|e| DbError::Internal(format!("programme version {number}: unreadable ({e})")))?;
    let version = VersionRow { number, created_at, published_by, note, note_ja, changes }.try_into()?;
    Ok(Some(Published { version, programme: Arc::new(programme) }))
}

/// Every published version, the newest first, with its changes.
pub async fn versions(db: &Db, edition: Uuid) -> DbResult<Vec<Version>> {
    let rows: Vec<VersionRow> = on_db!(db, pool => sqlx::query_as(
        "select number, created_at, published_by, note, note_ja, changes from programme_versions
         where edition_id = $1 order by number desc")
        .bind(edition).fetch_all(pool).await)?;
    rows.into_iter().map(Version::try_from).collect()
}

/// The latest version, or none before the first publication.
pub async fn latest(db: &Db, edition: Uuid) -> DbResult<Option<Published>> {
    match latest_number(db, edition).await? {
        0 => Ok(None),
        n => version(db, edition, n).await,
    }
}

/// The draft's placed sessions as a version would show them.
async fn draft_sessions(
    db: &Db,
    edition: Uuid,
) -> DbResult<(Vec<PublishedDay>, Vec<PublishedRoom>, Vec<PublishedSession>)> {
    let days = editions::days(db, edition)
        .await?
        .into_iter()
        .map(|d| PublishedDay { day: d.day.to_string(), label: d.label, starts_at: d.starts_at, ends_at: d.ends_at })
        .collect();
    let rooms = editions::rooms(db, edition)
        .await?
        .into_iter()
        .map(|r| PublishedRoom { id: r.id.to_string(), name: r.name })
        .collect();
    let mut people: HashMap<Uuid, Vec<PublishedPerson>> = HashMap::new();
    for p in programme::people(db, edition).await? {
        people.entry(p.session_id).or_default().push(PublishedPerson {
            id: p.person_id.to_string(),
            name: p.display_name,
            role: p.role,
        });
    }
    let sessions = programme::sessions(db, edition)
        .await?
        .into_iter()
        .filter_map(|s| {
            let slot = slot_of(&s)?;
            Some(PublishedSession {
                id: s.id.to_string(),
                number: s.number,
                title: s.title,
                kind: s.kind,
                description: s.description,
                track: s.track,
                track_ja: s.track_ja,
                theme: s.theme,
                theme_ja: s.theme_ja,
                slot,
                people: people.remove(&s.id).unwrap_or_default(),
                cancelled: false,
            })
        })
        .collect();
    Ok((days, rooms, sessions))
}

/// Where a placed session is; an unplaced one is not on the programme.
fn slot_of(s: &SessionRow) -> Option<Slot> {
    Some(Slot {
        day: s.day?.to_string(),
        starts_at: s.starts_at.clone()?,
        minutes: s.minutes,
        room_id: s.room_id?.to_string(),
        room: s.room.clone()?,
    })
}

/// What publishing now would make: the next number, the programme and its changes, and the
/// draft's version (the schedule version) they were read at.
#[derive(Debug, Clone)]
pub struct Preview {
    pub next: i64,
    pub draft_version: i64,
    pub programme: Programme,
    pub changes: Vec<Change>,
}

pub async fn preview(db: &Db, edition: Uuid) -> DbResult<Preview> {
    let draft_version = programme::schedule_version(db, edition).await?;
    let before = latest(db, edition).await?;
    let (days, rooms, sessions) = draft_sessions(db, edition).await?;
    let empty = Programme::default();
    let previous = before.as_ref().map_or(&empty, |p| p.programme.as_ref());
    let programme = previous.next(days, rooms, sessions);
    let changes = publishing::changes(previous, &programme);
    let next = before.map_or(1, |p| p.version.number + 1);
    Ok(Preview { next, draft_version, programme, changes })
}

/// What the secretariat writes with a version.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Note {
    pub en: String,
    pub ja: String,
}

/// Publishes the draft as the next version. `seen` is the draft version the secretariat
/// reviewed the changes at: if the draft or the published programme moved since, nothing is
/// published and they look again (a conflict), so what goes public is what they saw.
pub async fn publish(db: &Db, actor: &Actor, edition: Uuid, seen: Option<i64>, note: &Note) -> DbResult<Version> {
    let preview = preview(db, edition).await?;
    if seen.is_some_and(|v| v != preview.draft_version) {
        return Err(DbError::Conflict { entity: "the programme" });
    }
    if preview.programme.sessions.is_empty() {
        return Err(DbError::refused("error-publish-empty", "the programme has no placed session to publish"));
    }
    if preview.next > 1 && preview.changes.is_empty() {
        return Err(DbError::refused("error-publish-unchanged", "nothing changed since the published version"));
    }
    let note = Note { en: note.en.trim().to_owned(), ja: note.ja.trim().to_owned() };
    for (field, text) in [("note", &note.en), ("note_ja", &note.ja)] {
        let count = text.chars().count();
        if count > 2000 {
            return Err(DbError::length(field, count, 0, 2000));
        }
    }
    let programme =
        serde_json::to_string(&preview.programme).map_err(|e| DbError::Internal(format!("programme: {e}")))?;
    let changes = serde_json::to_string(&preview.changes).map_err(|e| DbError::Internal(format!("changes: {e}")))?;
    let mut tx = db.begin().await?;
    tx.serialize_on(&format!("publish-programme:{edition}")).await?;
    // Read again under the lock: another publication or edit since the preview means the
    // version would not be what was reviewed.
    let (draft_now, latest_now): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
        "select schedule_version, (select coalesce(max(number), 0) from programme_versions where edition_id = $1)
         from editions where id = $1")
        .bind(edition).fetch_one(c).await)?;
    if draft_now != preview.draft_version || latest_now + 1 != preview.next {
        return Err(DbError::Conflict { entity: "the programme" });
    }
    let now = now();
    let conflict = || DbError::Conflict { entity: "the programme" };
    on_tx!(&mut tx, c => sqlx::query(
        "insert into programme_versions (id, edition_id, number, published_by, note, note_ja, programme, changes, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(new_id()).bind(edition).bind(preview.next).bind(&actor.label).bind(&note.en).bind(&note.ja)
        .bind(&programme).bind(&changes).bind(now)
        .rows(c).await)
    .on_unique(conflict)?;
    // `published` marks the draft's sessions that are in the latest version, for the editor.
    on_tx!(&mut tx, c => sqlx::query("update programme_sessions set published = false where edition_id = $1 and published")
        .bind(edition).rows(c).await)?;
    for s in preview.programme.taking_place() {
        let id = Uuid::parse_str(&s.id).map_err(|e| DbError::Internal(format!("session id {}: {e}", s.id)))?;
        on_tx!(&mut tx, c => sqlx::query("update programme_sessions set published = true where id = $1")
            .bind(id).rows(c).await)?;
    }
    let summary = serde_json::json!({
        "number": preview.next,
        "changes": publishing::counts(&preview.changes),
        "note": note,
    });
    audit::record(&mut tx, actor, "edition", &edition.to_string(), "publish-programme", None::<&()>, Some(&summary))
        .await?;
    // Receivers learn the version and what changed; the programme itself is one request away
    // (GET /api/v1/editions/{edition}/programme), so a large one is not posted to each.
    crate::webhooks::emit(&mut tx, Some(edition), kaigi_core::webhooks::Event::ProgrammePublished, &summary).await?;
    tx.commit().await?;
    Ok(Version {
        number: preview.next,
        published_at: now,
        published_by: actor.label.clone(),
        note: note.en,
        note_ja: note.ja,
        changes: preview.changes,
    })
}

/// Stores a schedule published elsewhere (frab XML/JSON or iCalendar, already read) as a new
/// edition (`programme::import_schedule`, one transaction) and publishes it as the edition's
/// first version: it was public where it comes from.
pub async fn import_published(
    db: &Db,
    actor: &Actor,
    schedule: &kaigi_core::frab::Schedule,
    slug: &str,
) -> DbResult<programme::ImportReport> {
    let report = programme::import_schedule(db, actor, schedule, slug).await?;
    let edition = editions::edition_by_slug(db, slug).await?.ok_or(DbError::NotFound("edition"))?;
    let note = Note {
        en: format!("Imported from a published schedule ({} sessions).", report.sessions),
        ja: format!("公開済みのスケジュールから取り込み（{} セッション）。", report.sessions),
    };
    match publish(db, actor, edition.id, None, &note).await {
        Err(e) if e.key() == Some("error-publish-empty") => {}
        other => {
            other?;
        }
    }
    Ok(report)
}

/// Editions whose sessions were public before versions existed get their first version from
/// those sessions, once (run at start; with several instances starting at once, one wins and
/// the others find the version there).
pub async fn adopt_earlier_publications(db: &Db) -> DbResult<usize> {
    let editions: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select distinct s.edition_id from programme_sessions s
         where s.published and not exists (select 1 from programme_versions v where v.edition_id = s.edition_id)")
        .fetch_all(pool).await)?;
    let mut adopted = 0;
    for edition in editions {
        let actor = Actor::system("kaigi");
        let note = Note {
            en: "The programme as published before versions.".into(),
            ja: "版の導入前に公開されていたプログラム。".into(),
        };
        match publish_published_only(db, &actor, edition, &note).await {
            Ok(()) => adopted += 1,
            Err(DbError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(adopted)
}

/// Version 1 from the sessions that were public (not the whole draft).
async fn publish_published_only(db: &Db, actor: &Actor, edition: Uuid, note: &Note) -> DbResult<()> {
    let (days, rooms, sessions) = draft_sessions(db, edition).await?;
    let public: Vec<Uuid> = on_db!(db, pool => sqlx::query_scalar(
        "select id from programme_sessions where edition_id = $1 and published").bind(edition).fetch_all(pool).await)?;
    let sessions = sessions.into_iter().filter(|s| public.iter().any(|id| id.to_string() == s.id)).collect();
    let programme = Programme::default().next(days, rooms, sessions);
    let changes = publishing::changes(&Programme::default(), &programme);
    let programme = serde_json::to_string(&programme).map_err(|e| DbError::Internal(format!("programme: {e}")))?;
    let changes = serde_json::to_string(&changes).map_err(|e| DbError::Internal(format!("changes: {e}")))?;
    let mut tx = db.begin().await?;
    let now = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into programme_versions (id, edition_id, number, published_by, note, note_ja, programme, changes, created_at, updated_at)
         values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $8)")
        .bind(new_id()).bind(edition).bind(&actor.label).bind(&note.en).bind(&note.ja).bind(&programme).bind(&changes).bind(now)
        .rows(c).await)
    .on_unique(|| DbError::Conflict { entity: "the programme" })?;
    tx.commit().await
}

/// A published version as a frab schedule, with links under `base_url`.
pub fn frab(published: &Published, edition: &editions::Edition, base_url: &str) -> kaigi_core::frab::Export {
    let meta = publishing::FrabEdition {
        slug: &edition.slug,
        title: &edition.name,
        time_zone: &edition.timezone,
        base_url,
        version: publishing::frab_version(&edition.slug, published.version.number, &published.version.changes),
    };
    publishing::to_frab(&published.programme, &meta)
}

/// Parsed versions kept in memory. Which version is current is asked of the database on every
/// use (one indexed query), so an instance never serves a version older than the latest once a
/// publication has committed, however many instances there are.
#[derive(Clone, Default)]
pub struct PublishedCache {
    inner: Arc<Mutex<HashMap<Uuid, Published>>>,
}

/// What a public page needs to know before it can answer from a cache, read in one query (one
/// round trip to PostgreSQL per request): the edition, the number of its latest published
/// version (0 before the first) and, for a session page, the session's places (capacity,
/// taken), which change between versions.
#[derive(Debug, Clone)]
pub struct PublicEdition {
    pub edition: editions::Edition,
    pub latest: i64,
    pub places: Option<(i64, i64)>,
}

#[derive(sqlx::FromRow)]
struct PublicEditionRow {
    #[sqlx(flatten)]
    edition: editions::Edition,
    latest: i64,
    capacity: Option<i64>,
    taken: Option<i64>,
}

pub async fn public_edition(db: &Db, slug: &str, session: Option<i64>) -> DbResult<Option<PublicEdition>> {
    let sql = "select e.id, e.slug, e.name, e.name_ja, e.timezone, e.venue, e.starts_on, e.ends_on,
                (select coalesce(max(v.number), 0) from programme_versions v where v.edition_id = e.id) as latest,
                s.signup_capacity as capacity, s.signup_taken as taken
         from editions e left join programme_sessions s on s.edition_id = e.id and s.number = $2
         where e.slug = $1";
    let row: Option<PublicEditionRow> =
        on_db!(db, pool => sqlx::query_as(sql).bind(slug).bind(session).fetch_optional(pool).await)?;
    Ok(row.map(|r| PublicEdition {
        edition: r.edition,
        latest: r.latest,
        places: r.capacity.map(|cap| (cap, r.taken.unwrap_or(0))),
    }))
}

impl PublishedCache {
    pub async fn latest(&self, db: &Db, edition: Uuid) -> DbResult<Option<Published>> {
        let number = latest_number(db, edition).await?;
        self.version(db, edition, number).await
    }

    /// Version `number`, parsed once per instance (versions never change once published);
    /// none for 0. The caller has read `number` from the database in this request.
    pub async fn version(&self, db: &Db, edition: Uuid, number: i64) -> DbResult<Option<Published>> {
        if number == 0 {
            return Ok(None);
        }
        if let Ok(map) = self.inner.lock()
            && let Some(p) = map.get(&edition)
            && p.version.number == number
        {
            return Ok(Some(p.clone()));
        }
        let Some(published) = version(db, edition, number).await? else { return Ok(None) };
        if let Ok(mut map) = self.inner.lock() {
            map.insert(edition, published.clone());
        }
        Ok(Some(published))
    }
}
