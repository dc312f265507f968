//! Roundtables through the API, as the roundtable pages run them: set one up (tables, seats,
//! rounds, report themes), invite people of the directory (pinning hosts to their table), seat
//! everyone over the rounds, change a table's rapporteur, read the seating and the reports; a
//! table's rapporteur files its report. The same storage calls, checks and audit as the pages.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kaigi_core::directory::{StakeholderGroup, UnRegion};
use kaigi_core::roundtable::Theme;
use kaigi_db::roundtables::{self, Roundtable, RoundtableInput};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ApiError, at_most, count_between, not_negative};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;

/// How long kaigi searches for a better seating, per round (as the page).
const SEATING_BUDGET: std::time::Duration = std::time::Duration::from_millis(800);

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundtableSummary {
    pub id: Uuid,
    pub name: String,
    pub name_ja: Option<String>,
    pub tables: i64,
    /// Seats at each table.
    pub seats: i64,
    pub rounds: i64,
    /// The themes tables report under.
    pub themes: Vec<Theme>,
    /// Send it back to seat everyone.
    pub version: i64,
}

fn summary(r: Roundtable) -> RoundtableSummary {
    RoundtableSummary {
        id: r.id,
        name: r.name,
        name_ja: r.name_ja,
        tables: r.tables,
        seats: r.seats,
        rounds: r.rounds,
        themes: r.themes,
        version: r.version,
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundtableList {
    pub roundtables: Vec<RoundtableSummary>,
}

pub async fn list_roundtables(
    State(state): State<AppState>,
    crate::auth::InEdition(edition): crate::auth::InEdition,
) -> Result<Json<RoundtableList>, ApiError> {
    let roundtables = roundtables::of_edition(&state.db, edition.id).await?.into_iter().map(summary).collect();
    Ok(Json(RoundtableList { roundtables }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoundtable {
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub name_ja: Option<String>,
    #[schemars(range(min = 1, max = 500))]
    pub tables: i64,
    #[schemars(range(min = 1, max = 100))]
    pub seats: i64,
    #[schemars(range(min = 1, max = 5))]
    pub rounds: i64,
    /// Left out: the report themes of the seed's ministerial roundtable.
    #[serde(default)]
    #[schemars(length(min = 1, max = 50))]
    pub themes: Option<Vec<Theme>>,
}

/// Creates a roundtable (201).
pub async fn create_roundtable(
    State(state): State<AppState>,
    ctx: Ctx,
    crate::auth::InEdition(edition): crate::auth::InEdition,
    super::Body(new): super::Body<NewRoundtable>,
) -> Result<(StatusCode, Json<RoundtableSummary>), ApiError> {
    at_most("name", &new.name, 200)?;
    at_most("name_ja", new.name_ja.as_deref().unwrap_or_default(), 200)?;
    let themes = new.themes.unwrap_or_else(kaigi_core::roundtable::seed_themes);
    count_between("themes", themes.len(), 1, roundtables::THEMES_MAX)?;
    for theme in &themes {
        at_most("themes", &theme.name, 200)?;
        at_most("themes", theme.name_ja.as_deref().unwrap_or_default(), 200)?;
    }
    let input = RoundtableInput {
        name: new.name,
        name_ja: new.name_ja,
        tables: new.tables,
        seats: new.seats,
        rounds: new.rounds,
        themes,
    };
    let id = roundtables::create(&state.db, &ctx.actor(), edition.id, &input).await?;
    let created = roundtables::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(summary(created))))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct InviteeView {
    pub person: Uuid,
    pub name: String,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub un_region: Option<UnRegion>,
    /// The table they host, kept in every round; null: seated by kaigi.
    pub pinned_table: Option<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SeatedPerson {
    pub person: Uuid,
    pub name: String,
    pub stakeholder_group: Option<StakeholderGroup>,
    pub un_region: Option<UnRegion>,
    /// Writes the table's report for this round.
    pub rapporteur: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TableSeating {
    pub table: i64,
    /// The rapporteur first, then in gojūon order.
    pub people: Vec<SeatedPerson>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundSeating {
    pub round: i64,
    pub tables: Vec<TableSeating>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TableReport {
    pub round: i64,
    pub table: i64,
    /// The name of one of the roundtable's themes.
    pub theme: String,
    pub body: String,
    /// Send it back when changing the report.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundtableDetail {
    #[serde(flatten)]
    pub roundtable: RoundtableSummary,
    /// In gojūon order.
    pub invitees: Vec<InviteeView>,
    /// Empty until everyone is seated.
    pub seating: Vec<RoundSeating>,
    pub reports: Vec<TableReport>,
}

fn group(code: Option<&str>) -> Option<StakeholderGroup> {
    code.and_then(|c| c.parse().ok())
}

fn region(code: Option<&str>) -> Option<UnRegion> {
    code.and_then(|c| c.parse().ok())
}

async fn load(state: &AppState, id: Uuid) -> Result<Roundtable, ApiError> {
    Ok(roundtables::get(&state.db, id).await?.ok_or(AppError::NotFound)?)
}

async fn detail(state: &AppState, id: Uuid) -> Result<RoundtableDetail, ApiError> {
    let rt = load(state, id).await?;
    let invitees = roundtables::invitees(&state.db, id)
        .await?
        .into_iter()
        .map(|i| InviteeView {
            stakeholder_group: group(i.stakeholder_group.as_deref()),
            un_region: region(i.un_region.as_deref()),
            person: i.person_id,
            name: i.display_name,
            pinned_table: i.pinned_table,
        })
        .collect();
    let mut rounds: BTreeMap<i64, BTreeMap<i64, Vec<SeatedPerson>>> = BTreeMap::new();
    for s in roundtables::seats(&state.db, id).await? {
        rounds.entry(s.round).or_default().entry(s.table_number).or_default().push(SeatedPerson {
            stakeholder_group: group(s.stakeholder_group.as_deref()),
            un_region: region(s.un_region.as_deref()),
            person: s.person_id,
            name: s.display_name,
            rapporteur: s.rapporteur,
        });
    }
    let seating = rounds
        .into_iter()
        .map(|(round, tables)| RoundSeating {
            round,
            tables: tables.into_iter().map(|(table, people)| TableSeating { table, people }).collect(),
        })
        .collect();
    let reports = roundtables::reports(&state.db, id).await?.into_iter().map(report_view).collect();
    Ok(RoundtableDetail { roundtable: summary(rt), invitees, seating, reports })
}

fn report_view(r: roundtables::Report) -> TableReport {
    TableReport {
        round: r.round,
        table: r.table_number,
        theme: r.theme,
        body: r.body,
        version: r.version,
        updated_at: r.updated_at,
    }
}

pub async fn get_roundtable(
    State(state): State<AppState>,
    // The path check has found the roundtable inside the edition already.
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<Json<RoundtableDetail>, ApiError> {
    Ok(Json(detail(&state, id).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    /// A person of the directory.
    pub person: Uuid,
    /// The table they host in every round; null or absent: seated by kaigi.
    #[serde(default)]
    #[schemars(range(min = 1, max = 500))]
    pub pinned_table: Option<i64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invitations {
    /// Everyone is invited, or nobody: one unknown person (404 error-person-unknown) or a table
    /// past its seats (409 error-roundtable-pinned-over) stores none of them.
    #[schemars(length(min = 1, max = 2000))]
    pub invitees: Vec<Invitation>,
}

/// Invites people, or changes the tables they are pinned to.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    super::Body(invitations): super::Body<Invitations>,
) -> Result<Json<RoundtableDetail>, ApiError> {
    count_between("invitees", invitations.invitees.len(), 1, roundtables::INVITE_MAX)?;
    let rt = load(&state, id).await?;
    let people: Vec<(Uuid, Option<i64>)> = invitations.invitees.iter().map(|i| (i.person, i.pinned_table)).collect();
    roundtables::invite_many(&state.db, &ctx.actor(), &rt, &people).await?;
    Ok(Json(detail(&state, id).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// null or absent: seated by kaigi.
    #[serde(default)]
    #[schemars(range(min = 1, max = 500))]
    pub pinned_table: Option<i64>,
}

/// Pins an invitee to a table, or unpins them.
pub async fn pin_invitee(
    State(state): State<AppState>,
    ctx: Ctx,
    // The path check has found the person on the roundtable's list already.
    Path((_, id, person)): Path<(String, Uuid, Uuid)>,
    super::Body(pin): super::Body<Pin>,
) -> Result<Json<RoundtableDetail>, ApiError> {
    let rt = load(&state, id).await?;
    roundtables::invite(&state.db, &ctx.actor(), &rt, person, pin.pinned_table).await?;
    Ok(Json(detail(&state, id).await?))
}

/// Takes an invitation back; 409 error-uninvite-seated once the person is in the seating.
pub async fn uninvite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id, person)): Path<(String, Uuid, Uuid)>,
) -> Result<Json<RoundtableDetail>, ApiError> {
    roundtables::uninvite(&state.db, &ctx.actor(), id, person).await?;
    Ok(Json(detail(&state, id).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatRequest {
    /// The roundtable's version as read; 409 error-conflict if it changed since.
    #[schemars(range(min = 0))]
    pub version: i64,
}

/// Seats every invitee in every round (mixing stakeholder groups and regions, few repeated
/// pairs) and stores it; 409 error-seating-frozen once a table has filed its report.
pub async fn seat(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, Uuid)>,
    super::Body(request): super::Body<SeatRequest>,
) -> Result<Json<RoundtableDetail>, ApiError> {
    not_negative("version", request.version)?;
    roundtables::seat(&state.db, &ctx.actor(), id, request.version, SEATING_BUDGET).await?;
    Ok(Json(detail(&state, id).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rapporteur {
    /// Someone seated at that table in that round (409 error-rapporteur-not-seated otherwise).
    pub person: Uuid,
}

pub async fn set_rapporteur(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id, round, table)): Path<(String, Uuid, i64, i64)>,
    super::Body(rapporteur): super::Body<Rapporteur>,
) -> Result<Json<RoundtableDetail>, ApiError> {
    roundtables::set_rapporteur(&state.db, &ctx.actor(), id, round, table, rapporteur.person).await?;
    Ok(Json(detail(&state, id).await?))
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReportForm {
    pub round: i64,
    pub table: i64,
    /// The roundtable's themes, one of which the report is filed under.
    pub themes: Vec<Theme>,
    /// The people at the table in that round.
    pub people: Vec<String>,
    /// The report as filed; null before the first.
    pub report: Option<TableReport>,
}

/// A table's report, for its rapporteur (and the secretariat).
pub async fn get_report(
    State(state): State<AppState>,
    Path((id, round, table)): Path<(Uuid, i64, i64)>,
) -> Result<Json<ReportForm>, ApiError> {
    let rt = load(&state, id).await?;
    if !(1..=rt.rounds).contains(&round) || !(1..=rt.tables).contains(&table) {
        return Err(AppError::NotFound.into());
    }
    let people = roundtables::seats(&state.db, id)
        .await?
        .into_iter()
        .filter(|s| s.round == round && s.table_number == table)
        .map(|s| s.display_name)
        .collect();
    let report = roundtables::reports(&state.db, id)
        .await?
        .into_iter()
        .find(|r| r.round == round && r.table_number == table)
        .map(report_view);
    Ok(Json(ReportForm { round, table, themes: rt.themes, people, report }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportWrite {
    /// The name of one of the roundtable's themes.
    #[schemars(length(min = 1, max = 200))]
    pub theme: String,
    #[schemars(length(min = 1, max = 20000), regex(pattern = r"\S"))]
    pub body: String,
    /// The report's version as read, 0 for the first; 409 error-conflict if someone saved since.
    #[schemars(range(min = 0))]
    pub version: i64,
}

pub async fn save_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, round, table)): Path<(Uuid, i64, i64)>,
    super::Body(write): super::Body<ReportWrite>,
) -> Result<Json<ReportForm>, ApiError> {
    not_negative("version", write.version)?;
    at_most("theme", &write.theme, 200)?;
    at_most("body", &write.body, 20_000)?;
    let rt = load(&state, id).await?;
    roundtables::save_report(&state.db, &ctx.actor(), &rt, round, table, &write.theme, &write.body, write.version)
        .await?;
    get_report(State(state), Path((id, round, table))).await
}
