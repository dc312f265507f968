//! Roundtables: the secretariat sets one up (tables, seats, rounds, report themes), invites
//! people from the directory (pinning hosts to their table), lets kaigi seat everyone, changes
//! rapporteurs, prints the seating chart and reads the reports by theme; a table's rapporteur
//! files its report.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::roundtable::{Theme, seed_themes};
use kaigi_db::roundtables::{self, Roundtable, RoundtableInput};
use uuid::Uuid;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};

/// How long kaigi searches for a better seating, per round.
const SEATING_BUDGET: std::time::Duration = std::time::Duration::from_millis(800);

/// A roundtable of the edition the permission check resolved.
async fn roundtable_of(state: &AppState, edition: &kaigi_db::editions::Edition, id: Uuid) -> AppResult<Roundtable> {
    roundtables::get(&state.db, id).await?.filter(|r| r.edition_id == edition.id).ok_or(AppError::NotFound)
}

fn theme_label(page: &Page, theme: &Theme) -> String {
    page.pick(&theme.name, &theme.name_ja).to_owned()
}

pub struct RoundtableLine {
    pub id: Uuid,
    pub name: String,
    pub shape: String,
}

#[derive(Template)]
#[template(path = "roundtables.html")]
struct RoundtablesPage {
    page: Page,
    slug: String,
    lines: Vec<RoundtableLine>,
    default_themes: String,
}

fn themes_text(themes: &[Theme]) -> String {
    themes
        .iter()
        .map(|t| match &t.name_ja {
            Some(ja) => format!("{} | {ja}", t.name),
            None => t.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub async fn list_roundtables(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "roundtables-title");
    let mut lines = Vec::new();
    for rt in roundtables::of_edition(&state.db, edition.id).await? {
        let invited = roundtables::invitees(&state.db, rt.id).await?.len();
        lines.push(RoundtableLine {
            id: rt.id,
            name: page.pick(&rt.name, &rt.name_ja).to_owned(),
            shape: format!(
                "{} × {} · {} {} · {invited} {}",
                rt.tables,
                rt.seats,
                rt.rounds,
                page.t("roundtable-rounds"),
                page.t("roundtable-invited")
            ),
        });
    }
    render(&RoundtablesPage { lines, default_themes: themes_text(&seed_themes()), slug, page })
}

#[derive(serde::Deserialize)]
pub struct RoundtableForm {
    name: String,
    #[serde(default)]
    name_ja: String,
    tables: String,
    seats: String,
    rounds: String,
    themes: String,
}

fn number(field: &'static str, value: &str) -> AppResult<i64> {
    value.trim().parse().map_err(|_| AppError::not_a_number(field, value.trim()))
}

/// "English | 日本語" per line.
fn parse_themes(text: &str) -> Vec<Theme> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((en, ja)) => {
                Theme { name: en.trim().to_owned(), name_ja: Some(ja.trim().to_owned()).filter(|s| !s.is_empty()) }
            }
            None => Theme { name: l.to_owned(), name_ja: None },
        })
        .collect()
}

pub async fn create_roundtable(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<RoundtableForm>,
) -> AppResult<Response> {
    let input = RoundtableInput {
        name: form.name,
        name_ja: Some(form.name_ja),
        tables: number("tables", &form.tables)?,
        seats: number("seats", &form.seats)?,
        rounds: number("rounds", &form.rounds)?,
        themes: parse_themes(&form.themes),
    };
    let id = roundtables::create(&state.db, &ctx.actor(), edition.id, &input).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/roundtables/{id}")).into_response())
}

pub struct InviteeLine {
    pub id: Uuid,
    pub name: String,
    pub group: String,
    pub region: String,
    pub pinned: String,
}

pub struct SeatView {
    pub id: Uuid,
    pub name: String,
    pub group: String,
    pub region: String,
    pub rapporteur: bool,
}

pub struct TableView {
    pub number: i64,
    pub people: Vec<SeatView>,
    pub groups: usize,
    pub regions: usize,
    pub report_theme: String,
}

pub struct RoundView {
    pub number: i64,
    pub tables: Vec<TableView>,
}

pub struct ThemeReports {
    pub theme: String,
    pub reports: Vec<(i64, i64, String)>,
}

#[derive(Template)]
#[template(path = "roundtable.html")]
struct RoundtablePage {
    page: Page,
    slug: String,
    id: Uuid,
    name: String,
    tables: i64,
    seats: i64,
    rounds_count: i64,
    version: i64,
    themes: Vec<String>,
    invitees: Vec<InviteeLine>,
    rounds: Vec<RoundView>,
    by_theme: Vec<ThemeReports>,
    printable: bool,
}

async fn rounds_view(state: &AppState, page: &Page, rt: &Roundtable) -> AppResult<(Vec<RoundView>, Vec<ThemeReports>)> {
    let seats = roundtables::seats(&state.db, rt.id).await?;
    let reports = roundtables::reports(&state.db, rt.id).await?;
    let mut rounds: BTreeMap<i64, BTreeMap<i64, Vec<&roundtables::Seat>>> = BTreeMap::new();
    for s in &seats {
        rounds.entry(s.round).or_default().entry(s.table_number).or_default().push(s);
    }
    let label =
        |t: &str| rt.themes.iter().find(|x| x.name == t).map(|x| theme_label(page, x)).unwrap_or_else(|| t.to_owned());
    let view = rounds
        .into_iter()
        .map(|(round, tables)| RoundView {
            number: round,
            tables: tables
                .into_iter()
                .map(|(number, people)| {
                    let mut groups: Vec<&str> = people.iter().filter_map(|p| p.stakeholder_group.as_deref()).collect();
                    groups.sort();
                    groups.dedup();
                    let mut regions: Vec<&str> = people.iter().filter_map(|p| p.un_region.as_deref()).collect();
                    regions.sort();
                    regions.dedup();
                    TableView {
                        number,
                        groups: groups.len(),
                        regions: regions.len(),
                        report_theme: reports
                            .iter()
                            .find(|r| r.round == round && r.table_number == number)
                            .map(|r| label(&r.theme))
                            .unwrap_or_default(),
                        people: people
                            .iter()
                            .map(|p| SeatView {
                                id: p.person_id,
                                name: p.display_name.clone(),
                                group: vocab(page.lang, "group", p.stakeholder_group.as_deref()),
                                region: vocab(page.lang, "region", p.un_region.as_deref()),
                                rapporteur: p.rapporteur,
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let by_theme = rt
        .themes
        .iter()
        .map(|t| ThemeReports {
            theme: theme_label(page, t),
            reports: reports
                .iter()
                .filter(|r| r.theme == t.name)
                .map(|r| (r.round, r.table_number, r.body.clone()))
                .collect(),
        })
        .collect();
    Ok((view, by_theme))
}

async fn roundtable_page(
    state: &AppState,
    ctx: &Ctx,
    edition: &kaigi_db::editions::Edition,
    id: Uuid,
    printable: bool,
) -> AppResult<Html<String>> {
    let slug = edition.slug.as_str();
    let rt = roundtable_of(state, edition, id).await?;
    let page = Page::new(ctx, rt.name.clone());
    let invitees = roundtables::invitees(&state.db, rt.id)
        .await?
        .into_iter()
        .map(|i| InviteeLine {
            id: i.person_id,
            name: i.display_name,
            group: vocab(page.lang, "group", i.stakeholder_group.as_deref()),
            region: vocab(page.lang, "region", i.un_region.as_deref()),
            pinned: i.pinned_table.map(|t| t.to_string()).unwrap_or_default(),
        })
        .collect();
    let (rounds, by_theme) = rounds_view(state, &page, &rt).await?;
    render(&RoundtablePage {
        name: page.pick(&rt.name, &rt.name_ja).to_owned(),
        slug: slug.to_owned(),
        id: rt.id,
        tables: rt.tables,
        seats: rt.seats,
        rounds_count: rt.rounds,
        version: rt.version,
        themes: rt.themes.iter().map(|t| theme_label(&page, t)).collect(),
        invitees,
        rounds,
        by_theme,
        printable,
        page,
    })
}

pub async fn show_roundtable(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, Uuid)>,
) -> AppResult<Html<String>> {
    roundtable_page(&state, &ctx, &edition, id, false).await
}

/// The seating chart on its own, laid out for paper.
pub async fn seating_chart(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((_, id)): Path<(String, Uuid)>,
) -> AppResult<Html<String>> {
    roundtable_page(&state, &ctx, &edition, id, true).await
}

#[derive(serde::Deserialize)]
pub struct InviteForm {
    people: String,
}

/// One invitee per line: an email address or a name as in the directory, optionally
/// "| table" to pin them. Every line must find exactly one person, or nothing is stored.
pub async fn add_invitees(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, Uuid)>,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let rt = roundtable_of(&state, &edition, id).await?;
    let people = roundtables::resolve_list(&state.db, &form.people).await?;
    roundtables::invite_many(&state.db, &ctx.actor(), &rt, &people).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/roundtables/{id}#invitees")).into_response())
}

#[derive(serde::Deserialize)]
pub struct InviteeForm {
    #[serde(default)]
    pinned_table: String,
    #[serde(default)]
    remove: Option<String>,
}

pub async fn change_invitee(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id, person)): Path<(String, Uuid, Uuid)>,
    Form(form): Form<InviteeForm>,
) -> AppResult<Response> {
    let rt = roundtable_of(&state, &edition, id).await?;
    if form.remove.is_some() {
        roundtables::uninvite(&state.db, &ctx.actor(), rt.id, person).await?;
    } else {
        let pinned = match form.pinned_table.trim() {
            "" => None,
            t => Some(number("pinned_table", t)?),
        };
        roundtables::invite(&state.db, &ctx.actor(), &rt, person, pinned).await?;
    }
    Ok(Redirect::to(&format!("/editions/{slug}/roundtables/{id}#invitees")).into_response())
}

#[derive(serde::Deserialize)]
pub struct SeatForm {
    version: String,
}

pub async fn seat(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, Uuid)>,
    Form(form): Form<SeatForm>,
) -> AppResult<Response> {
    let rt = roundtable_of(&state, &edition, id).await?;
    roundtables::seat(&state.db, &ctx.actor(), rt.id, number("version", &form.version)?, SEATING_BUDGET).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/roundtables/{id}#seating")).into_response())
}

#[derive(serde::Deserialize)]
pub struct RapporteurForm {
    round: String,
    table: String,
    person: Uuid,
}

pub async fn set_rapporteur(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path((slug, id)): Path<(String, Uuid)>,
    Form(form): Form<RapporteurForm>,
) -> AppResult<Response> {
    let rt = roundtable_of(&state, &edition, id).await?;
    let (round, table) = (number("round", &form.round)?, number("table", &form.table)?);
    roundtables::set_rapporteur(&state.db, &ctx.actor(), rt.id, round, table, form.person).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/roundtables/{id}#round-{round}")).into_response())
}

#[derive(Template)]
#[template(path = "table_report.html")]
struct ReportPage {
    page: Page,
    path: String,
    roundtable: String,
    round: i64,
    table: i64,
    people: Vec<String>,
    themes: Vec<(String, String, bool)>,
    body: String,
    version: i64,
}

pub async fn show_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, round, table)): Path<(Uuid, i64, i64)>,
) -> AppResult<Html<String>> {
    let rt = roundtables::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let page = Page::titled(&ctx, "report-title");
    let people = roundtables::seats(&state.db, id)
        .await?
        .into_iter()
        .filter(|s| s.round == round && s.table_number == table)
        .map(|s| s.display_name)
        .collect();
    let existing =
        roundtables::reports(&state.db, id).await?.into_iter().find(|r| r.round == round && r.table_number == table);
    let chosen = existing.as_ref().map(|r| r.theme.clone()).unwrap_or_default();
    render(&ReportPage {
        path: format!("/roundtables/{id}/rounds/{round}/tables/{table}/report"),
        roundtable: page.pick(&rt.name, &rt.name_ja).to_owned(),
        round,
        table,
        people,
        themes: rt.themes.iter().map(|t| (t.name.clone(), theme_label(&page, t), t.name == chosen)).collect(),
        body: existing.as_ref().map(|r| r.body.clone()).unwrap_or_default(),
        version: existing.map_or(0, |r| r.version),
        page,
    })
}

#[derive(serde::Deserialize)]
pub struct ReportForm {
    theme: String,
    body: String,
    version: String,
}

pub async fn save_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, round, table)): Path<(Uuid, i64, i64)>,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    let rt = roundtables::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let version = number("version", &form.version)?;
    roundtables::save_report(&state.db, &ctx.actor(), &rt, round, table, &form.theme, &form.body, version).await?;
    Ok(Redirect::to(&format!("/roundtables/{id}/rounds/{round}/tables/{table}/report")).into_response())
}
