//! Participation figures in published versions. The secretariat sees the live count of
//! registrations; the public sees the figures as last published (page, CSV, API), so numbers
//! in a press release do not move under the reader and nothing is public before it is
//! published. Each publication keeps all counts; small groups are hidden when shown.

use kaigi_core::participation::{Figures, tally};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Actor, Db, DbError, DbResult, OnUnique, Run, audit, new_id, now, on_db, on_tx, registration};

#[derive(Debug, Clone, Serialize)]
pub struct PublishedFigures {
    pub number: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub published_by: String,
    pub figures: Figures,
}

/// The live figures and the token that names them: the publish form carries the token of the
/// figures the secretariat reviewed, and publishing refuses if the count has moved since.
pub async fn live(db: &Db, edition: Uuid) -> DbResult<(Figures, String)> {
    let figures = tally(&registration::participants(db, edition).await?);
    let token = token(&figures)?;
    Ok((figures, token))
}

fn token(figures: &Figures) -> DbResult<String> {
    let json = serde_json::to_string(figures).map_err(|e| DbError::Internal(format!("figures: {e}")))?;
    Ok(format!("{:016x}", kaigi_core::fingerprint::fnv1a(json.as_bytes())))
}

/// The latest published figures of an edition; none before the first publication.
pub async fn latest(db: &Db, edition: Uuid) -> DbResult<Option<PublishedFigures>> {
    let row: Option<(i64, OffsetDateTime, String, String)> = on_db!(db, pool => sqlx::query_as(
        "select number, created_at, published_by, figures from statistics_versions
         where edition_id = $1 order by number desc limit 1")
        .bind(edition).fetch_optional(pool).await)?;
    row.map(|(number, published_at, published_by, figures)| {
        let figures = serde_json::from_str(&figures)
            .map_err(|e| DbError::Internal(format!("statistics version {number}: figures unreadable ({e})")))?;
        Ok(PublishedFigures { number, published_at, published_by, figures })
    })
    .transpose()
}

/// Publishes the live figures as the next version. `seen` is the token of the figures the
/// secretariat reviewed (none from the CLI, which publishes what is there).
pub async fn publish(db: &Db, actor: &Actor, edition: Uuid, seen: Option<&str>) -> DbResult<PublishedFigures> {
    let (figures, now_token) = live(db, edition).await?;
    if seen.is_some_and(|s| s != now_token) {
        return Err(DbError::Conflict { entity: "the participation figures" });
    }
    if figures.total == 0 {
        return Err(DbError::refused("error-publish-statistics-empty", "no confirmed registration to count yet"));
    }
    let json = serde_json::to_string(&figures).map_err(|e| DbError::Internal(format!("figures: {e}")))?;
    let mut tx = db.begin().await?;
    tx.serialize_on(&format!("publish-statistics:{edition}")).await?;
    let previous: Option<(i64, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "select number, figures from statistics_versions where edition_id = $1 order by number desc limit 1")
        .bind(edition).fetch_optional(c).await)?;
    if previous.as_ref().is_some_and(|(_, before)| *before == json) {
        return Err(DbError::refused("error-publish-unchanged", "nothing changed since the published version"));
    }
    let number = previous.map_or(1, |(n, _)| n + 1);
    let published_at = now();
    on_tx!(&mut tx, c => sqlx::query(
        "insert into statistics_versions (id, edition_id, number, published_by, figures, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)")
        .bind(new_id()).bind(edition).bind(number).bind(&actor.label).bind(&json).bind(published_at)
        .rows(c).await)
    .on_unique(|| DbError::Conflict { entity: "the participation figures" })?;
    let summary = serde_json::json!({"number": number, "total": figures.total});
    audit::record(&mut tx, actor, "edition", &edition.to_string(), "publish-statistics", None::<&()>, Some(&summary))
        .await?;
    tx.commit().await?;
    Ok(PublishedFigures { number, published_at, published_by: actor.label.clone(), figures })
}
