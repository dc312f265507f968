//! An edition's setup through the API: the same document the setup page edits and `kaigi
//! setup` reads and writes (days with hours and breaks, rooms with seats, equipment and
//! availability, tracks and themes), stored whole on the version read.

use axum::Json;
use axum::extract::State;
use kaigi_core::setup::EditionSetup;
use kaigi_db::setup as stored;
use schemars::JsonSchema;
use serde::Serialize;

use super::ApiError;
use crate::AppState;
use crate::auth::{Ctx, InEdition};

pub async fn get_setup(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
) -> Result<Json<EditionSetup>, ApiError> {
    Ok(Json(stored::load(&state.db, edition.id).await?))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SetupStored {
    /// The setup's version now: send it with the next change.
    pub version: i64,
}

/// Stores the whole setup in one transaction. With `version`, refused (409 error-conflict) if
/// the setup changed since it was read; refused (422) with every problem and where it is
/// ("rooms[2].capacity") when the timetabler could not use it; 409 error-setup-…-in-use when it
/// removes a day, room, track or theme something is placed on or filed under.
pub async fn put_setup(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    super::Body(setup): super::Body<EditionSetup>,
) -> Result<Json<SetupStored>, ApiError> {
    super::count_between("days", setup.days.len(), 0, 60)?;
    super::count_between("rooms", setup.rooms.len(), 0, 500)?;
    super::count_between("tracks", setup.tracks.len(), 0, 200)?;
    super::count_between("themes", setup.themes.len(), 0, 200)?;
    let version = stored::store(&state.db, &ctx.actor(), edition.id, &setup).await?;
    Ok(Json(SetupStored { version }))
}
