//! Search documents read from the tables they describe, and the index each instance keeps.
//!
//! Nothing is stored twice: the documents are derived from minutes, proposals, people and
//! action items whenever the database says something changed. Each instance holds its own
//! index in memory, but before every query it asks the database for a fingerprint (change
//! counters kept by triggers, and a generation that `kaigi search --reindex` bumps) and
//! rebuilds when the fingerprint moved, so two instances behind one load balancer always
//! answer alike.

use crate::Run;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kaigi_core::access::Permission;
use kaigi_core::i18n::Lang;
use kaigi_core::search::{Document, Index, Kind};
use time::Date;
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::{Db, DbResult, on_db};

/// What the documents depend on, cheap to ask for before each query: the change counters that
/// triggers bump in the same transaction as every write to a table the index reads (migration
/// 0008), and the generation `kaigi search --reindex` moves. A reader sees a write's count only
/// once the write is committed, and reads the fingerprint before the documents, so an index is
/// never labelled newer than the data it was built from.
pub async fn fingerprint(db: &Db) -> DbResult<String> {
    let sql = "select cast((select coalesce(sum(changes), 0) from search_changes) as text) || '|'
               || coalesce((select value from settings where key = 'search_generation'), '0')";
    Ok(on_db!(db, pool => sqlx::query_scalar::<_, String>(sql).fetch_one(pool).await)?)
}

/// Asks every instance to rebuild its index on its next query.
pub async fn bump_generation(db: &Db) -> DbResult<()> {
    let now = time::OffsetDateTime::now_utc();
    let generation = now.unix_timestamp_nanos().to_string();
    on_db!(db, pool => sqlx::query(
        "insert into settings (key, value, created_at, updated_at) values ('search_generation', $1, $2, $2)
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at")
        .bind(&generation).bind(now).rows(pool).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MinutesRow {
    id: Uuid,
    number: String,
    title: String,
    meeting_id: Uuid,
    meeting_number: i64,
    held_on: Date,
    published: bool,
    series_id: Uuid,
    series_name: String,
    committee_id: Uuid,
    body: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: Uuid,
    display_name: String,
    reading: Option<String>,
    romanized: Option<String>,
    organisations: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: Uuid,
    title: String,
    description: String,
    session_type: String,
    edition_id: Uuid,
    slug: String,
    theme: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: Uuid,
    text: String,
    due: Option<String>,
    series_id: Uuid,
    series_name: String,
    committee_id: Uuid,
    origin_meeting_id: Uuid,
    held_on: Date,
    owners: Option<String>,
}

/// Every searchable document, read in one go.
pub async fn documents(db: &Db) -> DbResult<Vec<Document>> {
    let concat = |expr: &str| match db {
        Db::Sqlite(_) => format!("group_concat({expr}, '、')"),
        Db::Postgres(_) => format!("string_agg({expr}, '、')"),
    };
    let minutes_sql = "select a.id, a.number, a.title, m.id as meeting_id, m.number as meeting_number, m.held_on,
            m.published, s.id as series_id, s.name as series_name, s.committee_id,
            (select r.body from minutes_revisions r where r.agenda_item_id = a.id order by r.revision desc limit 1) as body
         from agenda_items a join meetings m on m.id = a.meeting_id join meeting_series s on s.id = m.series_id";
    let people_sql = format!(
        "select p.id, p.display_name, p.reading, p.romanized,
            (select {} from affiliations f join organisations o on o.id = f.organisation_id where f.person_id = p.id) as organisations
         from people p where p.merged_into is null",
        concat("o.name")
    );
    let proposals_sql = "select p.id, p.title, p.description, p.session_type, p.edition_id, e.slug,
            coalesce(t.name_ja, t.name) as theme
         from proposals p join editions e on e.id = p.edition_id left join themes t on t.id = p.theme_id";
    let actions_sql = format!(
        "select ai.id, ai.text, ai.due, ai.series_id, s.name as series_name, s.committee_id,
            ai.origin_meeting_id, m.held_on,
            (select {} from action_item_owners o where o.action_item_id = ai.id) as owners
         from action_items ai join meeting_series s on s.id = ai.series_id join meetings m on m.id = ai.origin_meeting_id",
        concat("o.name")
    );
    let minutes: Vec<MinutesRow> = on_db!(db, pool => sqlx::query_as(minutes_sql).fetch_all(pool).await)?;
    let people: Vec<PersonRow> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(people_sql.clone())).fetch_all(pool).await)?;
    let proposals: Vec<ProposalRow> = on_db!(db, pool => sqlx::query_as(proposals_sql).fetch_all(pool).await)?;
    let actions: Vec<ActionRow> =
        on_db!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(actions_sql.clone())).fetch_all(pool).await)?;
    // Sessions as the public sees them: the latest published version of each programme.
    let programmes: Vec<(Uuid, String, String)> = on_db!(db, pool => sqlx::query_as(
        "select v.edition_id, e.slug, v.programme from programme_versions v join editions e on e.id = v.edition_id
         where v.number = (select max(w.number) from programme_versions w where w.edition_id = v.edition_id)")
        .fetch_all(pool).await)?;
    // Participation figures as last published, per edition.
    let figures: Vec<(Uuid, String, String, Option<String>, String)> = on_db!(db, pool => sqlx::query_as(
        "select v.edition_id, e.slug, e.name, e.name_ja, v.figures from statistics_versions v join editions e on e.id = v.edition_id
         where v.number = (select max(w.number) from statistics_versions w where w.edition_id = v.edition_id)")
        .fetch_all(pool).await)?;
    let mut out = Vec::with_capacity(minutes.len() + people.len() + proposals.len() + actions.len());
    for (edition, slug, name, name_ja, figures) in figures {
        let figures: kaigi_core::participation::Figures = serde_json::from_str(&figures)
            .map_err(|e| crate::DbError::Internal(format!("figures of {slug}: unreadable ({e})")))?;
        out.push(Document {
            kind: Kind::Statistics,
            id: format!("statistics/{edition}"),
            title: format!("{name} — participation / {} — 参加者数", name_ja.as_deref().unwrap_or(&name)),
            body: statistics_words(&figures),
            url: format!("/editions/{slug}/participation"),
            edition: Some(edition.to_string()),
            series: None,
            date: None,
            access: Permission::Public,
        });
    }
    for m in minutes {
        let (url, access) = if m.published {
            (format!("/minutes/{}#item-{}", m.meeting_id, m.id), Permission::Public)
        } else {
            (
                format!("/meetings/{}#item-{}", m.meeting_id, m.id),
                Permission::CommitteeInside(m.committee_id.to_string()),
            )
        };
        let number = if m.number.is_empty() { String::new() } else { format!("{}. ", m.number) };
        out.push(Document {
            kind: Kind::Minutes,
            id: m.id.to_string(),
            title: format!("{number}{}", m.title),
            body: m.body.unwrap_or_default(),
            url,
            edition: None,
            series: Some(m.series_id.to_string()),
            date: Some(m.held_on.to_string()),
            access,
        });
        // The series and meeting name are context, not the title: a title match means the item.
        if let Some(d) = out.last_mut() {
            d.body = format!("{} 第{}回 — {}", m.series_name, m.meeting_number, d.body);
        }
    }
    for p in people {
        let body = [p.reading, p.romanized, p.organisations].into_iter().flatten().collect::<Vec<_>>().join(" / ");
        out.push(Document {
            kind: Kind::Person,
            id: p.id.to_string(),
            title: p.display_name,
            body,
            url: format!("/people/{}", p.id),
            edition: None,
            series: None,
            date: None,
            access: Permission::ViewDirectory,
        });
    }
    for p in proposals {
        let theme = p.theme.map(|t| format!(" · {t}")).unwrap_or_default();
        out.push(Document {
            kind: Kind::Proposal,
            id: p.id.to_string(),
            title: p.title,
            body: format!("{}{theme} — {}", p.session_type, p.description),
            url: format!("/editions/{}/proposals/{}", p.slug, p.id),
            edition: Some(p.edition_id.to_string()),
            series: None,
            date: None,
            access: Permission::ManageEdition(p.edition_id.to_string()),
        });
    }
    for (edition, slug, programme) in programmes {
        let programme: kaigi_core::publishing::Programme = serde_json::from_str(&programme)
            .map_err(|e| crate::DbError::Internal(format!("programme of {slug}: unreadable ({e})")))?;
        // Speakers are found by name, by the public too: their page lists their sessions.
        for (person, _) in programme.speakers() {
            let sessions = programme.sessions_of(&person.id).filter(|s| !s.cancelled);
            out.push(Document {
                kind: Kind::Person,
                id: format!("{edition}/{}", person.id),
                title: person.name.clone(),
                body: sessions.map(|s| s.title.as_str()).collect::<Vec<_>>().join(" / "),
                url: format!("/editions/{slug}/speakers/{}", person.id),
                edition: Some(edition.to_string()),
                series: None,
                date: None,
                access: Permission::Public,
            });
        }
        for s in programme.taking_place() {
            let people = s.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("、");
            // The session type in words (a snippet may show it), never its code.
            let kind = [Lang::En, Lang::Ja].map(|lang| {
                let key = format!("session-type-{}", s.kind);
                if kaigi_core::i18n::has(lang, &key) { kaigi_core::i18n::t(lang, &key) } else { s.kind.clone() }
            });
            let labels = [
                Some(kind[0].as_str()),
                Some(kind[1].as_str()),
                s.track.as_deref(),
                s.theme.as_deref(),
                s.theme_ja.as_deref(),
            ];
            let labels = labels.into_iter().flatten().collect::<Vec<_>>().join(" · ");
            out.push(Document {
                kind: Kind::Session,
                id: s.id.clone(),
                title: s.title.clone(),
                body: format!("{people} — {labels} — {}", s.description),
                url: format!("/editions/{slug}/sessions/{}", s.number),
                edition: Some(edition.to_string()),
                series: None,
                date: Some(s.slot.day.clone()),
                access: Permission::Public,
            });
        }
    }
    for a in actions {
        let owners = a.owners.unwrap_or_default();
        let due = a.due.map(|d| format!(" ({d})")).unwrap_or_default();
        out.push(Document {
            kind: Kind::ActionItem,
            id: a.id.to_string(),
            title: a.text,
            body: format!("{owners}{due} — {}", a.series_name),
            url: format!("/meetings/{}#action-items", a.origin_meeting_id),
            edition: None,
            series: Some(a.series_id.to_string()),
            date: Some(a.held_on.to_string()),
            access: Permission::CommitteeInside(a.committee_id.to_string()),
        });
    }
    Ok(out)
}

/// Published figures in words, in both languages, as the public page shows them: groups and
/// regions by name, small groups left out (kaigi_core::participation::suppress).
fn statistics_words(figures: &kaigi_core::participation::Figures) -> String {
    use kaigi_core::participation::{Dimension, SMALL_GROUP, Shown, suppress};
    let mut words = vec![format!("{} participants / 参加者 {} 人", figures.total, figures.total)];
    for (dimension, counts) in suppress(figures, SMALL_GROUP) {
        let prefix = match dimension {
            Dimension::StakeholderGroup => "group",
            Dimension::Region => "region",
            Dimension::Country => "",
            _ => continue,
        };
        for (category, shown) in counts {
            let Shown::Exact(n) = shown else { continue };
            if category == kaigi_core::participation::NOT_STATED {
                continue;
            }
            let key = format!("{prefix}-{category}");
            let label = match prefix {
                "" => category.clone(),
                _ if kaigi_core::i18n::has(Lang::En, &key) => {
                    format!("{} / {}", kaigi_core::i18n::t(Lang::En, &key), kaigi_core::i18n::t(Lang::Ja, &key))
                }
                _ => category.clone(),
            };
            words.push(format!("{label} {n}"));
        }
    }
    words.join(" · ")
}

/// The index an instance keeps, rebuilt when the database's fingerprint moves.
/// An index and the fingerprint of the data it was built from.
type Built = Option<(String, Arc<Index>)>;

#[derive(Clone, Default)]
pub struct SearchCache {
    inner: Arc<Mutex<Built>>,
}

impl SearchCache {
    /// The current index (rebuilt first if anything changed since the last query).
    pub async fn index(&self, db: &Db) -> DbResult<Arc<Index>> {
        let print = fingerprint(db).await?;
        let mut guard = self.inner.lock().await;
        if let Some((seen, index)) = guard.as_ref()
            && *seen == print
        {
            return Ok(index.clone());
        }
        let (index, _) = build(db).await?;
        let index = Arc::new(index);
        *guard = Some((print, index.clone()));
        Ok(index)
    }
}

/// Reads every document and indexes it; also says how long each part took.
pub async fn build(db: &Db) -> DbResult<(Index, (Duration, Duration))> {
    let started = Instant::now();
    let docs = documents(db).await?;
    let read = started.elapsed();
    let index = Index::new(docs);
    Ok((index, (read, started.elapsed() - read)))
}
