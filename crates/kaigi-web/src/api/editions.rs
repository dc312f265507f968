//! Forum editions as the public reads them: the list, one edition with its days, rooms, tracks
//! and themes, and the speakers of its published programme.

use axum::Json;
use axum::extract::{Path, State};
use kaigi_db::editions;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use super::ApiError;
use crate::AppState;
use crate::error::AppError;

#[derive(Debug, Serialize, JsonSchema)]
pub struct EditionView {
    pub id: Uuid,
    /// In every address of the edition ("igf-2026").
    pub slug: String,
    pub name: String,
    pub name_ja: Option<String>,
    /// IANA ("Asia/Tokyo"): every time of the edition is in it.
    pub timezone: String,
    pub venue: Option<String>,
    /// YYYY-MM-DD
    #[serde(with = "kaigi_db::iso_date")]
    #[schemars(with = "String", extend("format" = "date"))]
    pub starts_on: time::Date,
    #[serde(with = "kaigi_db::iso_date")]
    #[schemars(with = "String", extend("format" = "date"))]
    pub ends_on: time::Date,
}

impl From<editions::Edition> for EditionView {
    fn from(e: editions::Edition) -> Self {
        EditionView {
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            id: e.id,
            slug: e.slug,
            name: e.name,
            name_ja: e.name_ja,
            timezone: e.timezone,
            venue: e.venue,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EditionList {
    /// The latest first.
    pub editions: Vec<EditionView>,
}

pub async fn list_editions(State(state): State<AppState>) -> Result<Json<EditionList>, ApiError> {
    let editions = editions::list_editions(&state.db).await?.into_iter().map(EditionView::from).collect();
    Ok(Json(EditionList { editions }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DayView {
    pub label: String,
    /// YYYY-MM-DD
    #[serde(with = "kaigi_db::iso_date")]
    #[schemars(with = "String", extend("format" = "date"))]
    pub day: time::Date,
    /// HH:MM
    pub starts_at: String,
    pub ends_at: String,
    /// Breaks as HH:MM-HH:MM, comma-separated.
    pub breaks: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoomView {
    pub id: Uuid,
    pub name: String,
    pub capacity: i64,
    /// Equipment, comma-separated.
    pub features: String,
}

/// A track or a theme, named in English and, where given, in Japanese.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LabelView {
    pub id: Uuid,
    pub name: String,
    pub name_ja: Option<String>,
}

fn labels(labels: Vec<editions::Label>) -> Vec<LabelView> {
    labels.into_iter().map(|l| LabelView { id: l.id, name: l.name, name_ja: l.name_ja }).collect()
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct EditionDetail {
    pub edition: EditionView,
    pub days: Vec<DayView>,
    /// In the edition's order.
    pub rooms: Vec<RoomView>,
    pub tracks: Vec<LabelView>,
    pub themes: Vec<LabelView>,
}

pub async fn get_edition(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<EditionDetail>, ApiError> {
    let db = &state.db;
    let edition = editions::edition_by_slug(db, &slug).await?.ok_or(AppError::NotFound)?;
    let days = editions::days(db, edition.id)
        .await?
        .into_iter()
        .map(|d| DayView { day: d.day, label: d.label, starts_at: d.starts_at, ends_at: d.ends_at, breaks: d.breaks })
        .collect();
    let rooms = editions::rooms(db, edition.id)
        .await?
        .into_iter()
        .map(|r| RoomView { id: r.id, name: r.name, capacity: r.capacity, features: r.features })
        .collect();
    Ok(Json(EditionDetail {
        tracks: labels(editions::tracks(db, edition.id).await?),
        themes: labels(editions::themes(db, edition.id).await?),
        edition: edition.into(),
        days,
        rooms,
    }))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Speaker {
    /// The person's id in the published programme.
    pub id: String,
    pub name: String,
    /// The numbers of their sessions that take place.
    pub sessions: Vec<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SpeakerList {
    pub edition: String,
    /// The published version they are read from.
    pub version: i64,
    /// In gojūon order.
    pub speakers: Vec<Speaker>,
}

pub async fn list_speakers(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<SpeakerList>, ApiError> {
    let crate::pages::schedule::Public { edition, latest, .. } =
        crate::pages::schedule::public(&state, &slug, None).await?;
    let published = latest.ok_or(AppError::NotFound)?;
    let programme = &published.programme;
    let speakers = programme
        .speakers()
        .into_iter()
        .map(|(p, _)| Speaker {
            sessions: programme.sessions_of(&p.id).filter(|s| !s.cancelled).map(|s| s.number).collect(),
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .collect();
    Ok(Json(SpeakerList { edition: edition.slug, version: published.version.number, speakers }))
}
