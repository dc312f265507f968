//! Forum editions (days, rooms, tracks, themes) and standing committees, as read by the pages.

use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::{Db, DbResult, on_db};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Edition {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub name_ja: Option<String>,
    pub timezone: String,
    pub venue: Option<String>,
    #[serde(with = "crate::iso_date")]
    pub starts_on: Date,
    #[serde(with = "crate::iso_date")]
    pub ends_on: Date,
}

const EDITION_COLUMNS: &str = "id, slug, name, name_ja, timezone, venue, starts_on, ends_on";

/// Editions, the latest first.
pub async fn list_editions(db: &Db) -> DbResult<Vec<Edition>> {
    let sql = format!("select {EDITION_COLUMNS} from editions order by starts_on desc, slug");
    Ok(on_db!(db, pool => sqlx::query_as::<_, Edition>(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await)?)
}

/// The edition a participant means by "the forum" today: the next or running one (the
/// soonest not yet over), else the latest.
pub async fn current_edition(db: &Db, today: Date) -> DbResult<Option<Edition>> {
    let editions = list_editions(db).await?;
    let coming = editions.iter().filter(|e| e.ends_on >= today).min_by_key(|e| e.starts_on).cloned();
    Ok(coming.or_else(|| editions.into_iter().next()))
}

pub async fn edition_by_slug(db: &Db, slug: &str) -> DbResult<Option<Edition>> {
    let sql = format!("select {EDITION_COLUMNS} from editions where slug = $1");
    Ok(
        on_db!(db, pool => sqlx::query_as::<_, Edition>(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(pool).await)?,
    )
}

pub async fn edition_by_id(db: &Db, id: Uuid) -> DbResult<Option<Edition>> {
    let sql = format!("select {EDITION_COLUMNS} from editions where id = $1");
    Ok(on_db!(db, pool => sqlx::query_as::<_, Edition>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EditionDay {
    pub label: String,
    #[serde(with = "crate::iso_date")]
    pub day: Date,
    pub starts_at: String,
    pub ends_at: String,
    /// "13:00-14:00,16:00-16:15" (see `kaigi_core::setup::parse_spans`).
    pub breaks: String,
}

pub async fn days(db: &Db, edition: Uuid) -> DbResult<Vec<EditionDay>> {
    let sql = "select label, day, starts_at, ends_at, breaks from edition_days where edition_id = $1 order by day";
    Ok(on_db!(db, pool => sqlx::query_as::<_, EditionDay>(sql).bind(edition).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Room {
    pub id: Uuid,
    pub name: String,
    pub capacity: i64,
    pub features: String,
}

pub async fn rooms(db: &Db, edition: Uuid) -> DbResult<Vec<Room>> {
    let sql = "select id, name, capacity, features from rooms where edition_id = $1 order by position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Room>(sql).bind(edition).fetch_all(pool).await)?)
}

/// A track or a theme: a name in English and, where given, in Japanese.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Label {
    pub id: Uuid,
    pub name: String,
    pub name_ja: Option<String>,
}

pub async fn tracks(db: &Db, edition: Uuid) -> DbResult<Vec<Label>> {
    let sql = "select id, name, name_ja from tracks where edition_id = $1 order by position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Label>(sql).bind(edition).fetch_all(pool).await)?)
}

pub async fn themes(db: &Db, edition: Uuid) -> DbResult<Vec<Label>> {
    let sql = "select id, name, name_ja from themes where edition_id = $1 order by position";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Label>(sql).bind(edition).fetch_all(pool).await)?)
}

/// How many proposals an edition has, per session type and status.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ProposalCount {
    pub session_type: String,
    pub status: String,
    pub count: i64,
}

pub async fn proposal_counts(db: &Db, edition: Uuid) -> DbResult<Vec<ProposalCount>> {
    let sql = "select session_type, status, count(*) as count from proposals where edition_id = $1
               group by session_type, status order by session_type, status";
    Ok(on_db!(db, pool => sqlx::query_as::<_, ProposalCount>(sql).bind(edition).fetch_all(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Committee {
    pub id: Uuid,
    pub name: String,
    pub name_en: Option<String>,
}

pub async fn list_committees(db: &Db) -> DbResult<Vec<Committee>> {
    let sql = "select id, name, name_en from committees order by name";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Committee>(sql).fetch_all(pool).await)?)
}

pub async fn committee(db: &Db, id: Uuid) -> DbResult<Option<Committee>> {
    let sql = "select id, name, name_en from committees where id = $1";
    Ok(on_db!(db, pool => sqlx::query_as::<_, Committee>(sql).bind(id).fetch_optional(pool).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MeetingSummary {
    pub id: Uuid,
    pub series_name: String,
    pub number: i64,
    #[serde(with = "crate::iso_date")]
    pub held_on: Date,
    pub starts_at: String,
    pub ends_at: String,
    pub venue_kind: String,
    pub venue_text: Option<String>,
}

pub async fn meetings_of_committee(db: &Db, committee: Uuid) -> DbResult<Vec<MeetingSummary>> {
    let sql =
        "select m.id, s.name as series_name, m.number, m.held_on, m.starts_at, m.ends_at, m.venue_kind, m.venue_text
               from meetings m join meeting_series s on s.id = m.series_id where s.committee_id = $1
               order by m.held_on desc, m.number desc";
    Ok(on_db!(db, pool => sqlx::query_as::<_, MeetingSummary>(sql).bind(committee).fetch_all(pool).await)?)
}

/// The committee members in gojūon order.
pub async fn committee_members(db: &Db, committee: Uuid) -> DbResult<Vec<crate::directory::Person>> {
    let sql = "select p.id, p.display_name, p.reading, p.romanized, p.email, p.stakeholder_group, p.un_region, p.country,
               p.gender, p.youth, p.merged_into, p.version, p.updated_at
               from committee_members m join people p on p.id = m.person_id where m.committee_id = $1 order by p.sort_key";
    Ok(on_db!(db, pool => sqlx::query_as::<_, crate::directory::Person>(sql).bind(committee).fetch_all(pool).await)?)
}
