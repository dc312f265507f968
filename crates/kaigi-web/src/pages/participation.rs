//! Participation statistics: the secretariat's full figures for an edition beside other
//! editions (kaigi's own and past ones imported from CSV), the public's figures with small
//! groups hidden, both as tables, SVG charts and CSV.

use askama::Template;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::participation::{Dimension, Figures, NOT_STATED, SMALL_GROUP, Shown, parse_aggregates, suppress};
use kaigi_db::registration::{self, EditionFigures};
use kaigi_db::statistics;

use super::charts::stacked_bars;
use super::{Page, edition_by_slug, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};

/// The dimensions shown, in the order forums report them.
const SHOWN: [Dimension; 8] = [
    Dimension::StakeholderGroup,
    Dimension::Region,
    Dimension::Country,
    Dimension::Gender,
    Dimension::Attendance,
    Dimension::FirstTime,
    Dimension::Youth,
    Dimension::Category,
];

/// The most countries a chart shows before "other".
const CHART_COUNTRIES: usize = 12;

fn category_label(lang: Lang, dimension: Dimension, category: &str, names: &[registration::Category]) -> String {
    if category == NOT_STATED {
        return i18n::t(lang, "participation-not-stated");
    }
    match dimension {
        Dimension::StakeholderGroup => vocab(lang, "group", Some(category)),
        Dimension::Region => vocab(lang, "region", Some(category)),
        Dimension::Country => category.to_owned(),
        Dimension::Gender => vocab(lang, "gender", Some(category)),
        Dimension::Attendance => vocab(lang, "attendance", Some(category)),
        Dimension::FirstTime | Dimension::Youth => vocab(lang, "answer", Some(category)),
        Dimension::Category => names
            .iter()
            .find(|c| c.code == category)
            .map(
                |c| if lang == Lang::Ja { c.name_ja.clone().unwrap_or_else(|| c.name.clone()) } else { c.name.clone() },
            )
            .unwrap_or_else(|| category.to_owned()),
    }
}

pub struct Column {
    pub key: String,
    pub name: String,
    pub total: String,
    pub imported: bool,
    pub compared: bool,
}

pub struct Row {
    pub label: String,
    /// One cell per column: the count and its share of the total.
    pub cells: Vec<String>,
}

pub struct Section {
    pub title: String,
    pub chart: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    page: Page,
    slug: String,
    public: bool,
    admin: bool,
    threshold: u64,
    columns: Vec<Column>,
    choices: Vec<Column>,
    sections: Vec<Section>,
    headline: Vec<(String, String)>,
    query: String,
    /// The published figures shown to the public: version and when; none before the first.
    published: Option<(i64, String)>,
    /// The secretariat's view: the token of the live figures, for the publish form.
    publish_token: String,
    /// The secretariat's view: the live total beside the published one.
    published_total: Option<String>,
    error: Option<String>,
}

fn cell(shown: Shown, total: u64) -> String {
    match shown {
        Shown::Hidden => format!("< {SMALL_GROUP}"),
        Shown::Exact(n) if total > 0 => {
            format!("{} ({:.1}%)", i18n::format_number(n as i64), n as f64 * 100.0 / total as f64)
        }
        Shown::Exact(n) => i18n::format_number(n as i64),
    }
}

/// An edition's own figures, taken from every edition's (which leaves out editions nobody has
/// registered for: their figures are all zero) rather than counted a second time.
fn own_figures(all: &[EditionFigures], slug: &str) -> Figures {
    all.iter().find(|e| !e.imported && e.key == slug).map(|e| e.figures.clone()).unwrap_or_default()
}

/// The editions the secretariat compares with, from `?compare=key&compare=key`; all by default.
fn compared(query: &Option<String>, all: &[EditionFigures], own: &str) -> Vec<String> {
    let pairs = crate::auth::form_urlencoded_pairs(query.as_deref().unwrap_or("").as_bytes());
    let picked: Vec<&str> = pairs.iter().filter(|(k, _)| k == "compare").map(|(_, v)| v.as_str()).collect();
    // The form sends shown=1, so unticking every box compares with nothing.
    let asked = pairs.iter().any(|(k, _)| k == "compare" || k == "shown");
    all.iter().filter(|e| e.key != own && (!asked || picked.contains(&e.key.as_str()))).map(|e| e.key.clone()).collect()
}

fn sections(
    lang: Lang,
    editions: &[(String, Figures)],
    hide_small: bool,
    names: &[registration::Category],
) -> Vec<Section> {
    SHOWN
        .iter()
        .map(|&dimension| {
            let shown: Vec<std::collections::BTreeMap<String, Shown>> = editions
                .iter()
                .map(|(_, f)| {
                    if hide_small {
                        suppress(f, SMALL_GROUP).remove(&dimension).unwrap_or_default()
                    } else {
                        f.by.get(&dimension)
                            .map(|m| m.iter().map(|(c, n)| (c.clone(), Shown::Exact(*n))).collect())
                            .unwrap_or_default()
                    }
                })
                .collect();
            // Categories by their size in the first edition, then the others'.
            let mut categories: Vec<String> = shown.iter().flat_map(|m| m.keys().cloned()).collect();
            categories.sort();
            categories.dedup();
            let size = |c: &String| editions.iter().map(|(_, f)| f.count(dimension, c)).collect::<Vec<_>>();
            categories.sort_by(|a, b| size(b).cmp(&size(a)).then(a.cmp(b)));
            let rows = categories
                .iter()
                .map(|c| Row {
                    label: category_label(lang, dimension, c, names),
                    cells: shown
                        .iter()
                        .zip(editions)
                        .map(|(m, (_, f))| m.get(c).map(|s| cell(*s, f.total)).unwrap_or_else(|| "—".into()))
                        .collect(),
                })
                .collect();
            // The chart: one bar per edition, each category's share; hidden counts are left out.
            let chart_categories: Vec<String> = if dimension == Dimension::Country && categories.len() > CHART_COUNTRIES
            {
                let mut top: Vec<String> = categories.iter().take(CHART_COUNTRIES).cloned().collect();
                top.push(i18n::t(lang, "participation-other"));
                top
            } else {
                categories.clone()
            };
            let labels: Vec<String> = chart_categories
                .iter()
                .map(|c| if categories.contains(c) { category_label(lang, dimension, c, names) } else { c.clone() })
                .collect();
            let bars: Vec<(String, Vec<(String, i64)>)> = editions
                .iter()
                .zip(&shown)
                .map(|((name, _), m)| {
                    let mut parts: Vec<(String, i64)> = Vec::new();
                    let mut other = 0i64;
                    for (c, s) in m {
                        let Shown::Exact(n) = s else { continue };
                        match chart_categories.iter().position(|x| x == c) {
                            Some(i) => parts.push((labels[i].clone(), *n as i64)),
                            None => other += *n as i64,
                        }
                    }
                    if other > 0 {
                        parts.push((labels.last().cloned().unwrap_or_default(), other));
                    }
                    parts.sort_by_key(|(l, _)| labels.iter().position(|x| x == l));
                    (name.clone(), parts)
                })
                // Past editions' reports often leave a figure out: no empty bar for them.
                .filter(|(_, parts)| !parts.is_empty())
                .collect();
            // One edition: a bar per category reads better than one stacked bar, and stays
            // legible on a phone.
            let chart = match bars.as_slice() {
                [(_, parts)] if editions.len() == 1 => category_bars(parts),
                _ => stacked_bars(&bars, &labels),
            };
            Section { title: i18n::t(lang, &format!("dimension-{}", dimension.code())), chart, rows }
        })
        .collect()
}

/// Horizontal bars, one per category, scaled to the largest; narrow enough for a phone.
fn category_bars(parts: &[(String, i64)]) -> String {
    let (label_width, bar_width, row) = (150.0, 230.0, 24usize);
    let max = parts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let total: i64 = parts.iter().map(|(_, n)| n).sum();
    let height = parts.len() * row + 6;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 440 {height}\" width=\"440\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (label, n)) in parts.iter().enumerate() {
        let y = i * row + 3;
        let w = *n as f64 / max * bar_width;
        let share = if total > 0 { *n as f64 * 100.0 / total as f64 } else { 0.0 };
        svg.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1d2433\">{}</text>\
             <rect x=\"{label_width:.0}\" y=\"{y}\" width=\"{w:.1}\" height=\"17\" fill=\"#1f5fa8\"><title>{}: {n}</title></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"#555\">{share:.0}%</text>",
            label_width - 6.0,
            y + 13,
            crate::error::html_escape(label),
            crate::error::html_escape(label),
            label_width + w + 4.0,
            y + 13
        ));
    }
    svg.push_str("</svg>");
    svg
}

async fn statistics_page(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    query: Option<String>,
    public: bool,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let edition = edition_by_slug(state, slug).await?;
    let page = Page::titled(ctx, if public { "participation-title" } else { "statistics-title" });
    let names = registration::categories(&state.db, edition.id).await?;
    let latest = statistics::latest(&state.db, edition.id).await?;
    let published = latest.as_ref().map(|p| (p.number, super::timezone::local_time(p.published_at, &edition.timezone)));
    let mut publish_token = String::new();
    let (own, all) = if public {
        // The public sees the figures as published, never the live count.
        (latest.as_ref().map(|p| p.figures.clone()).unwrap_or_default(), Vec::new())
    } else {
        publish_token = statistics::live(&state.db, edition.id).await?.1;
        let all = registration::all_figures(&state.db).await?;
        (own_figures(&all, &edition.slug), all)
    };
    let keys = compared(&query, &all, &edition.slug);
    let own_name = page.pick(&edition.name, &edition.name_ja).to_owned();
    let mut editions: Vec<(String, Figures)> = vec![(own_name.clone(), own.clone())];
    let mut columns = vec![Column {
        key: edition.slug.clone(),
        name: own_name,
        total: i18n::format_number(own.total as i64),
        imported: false,
        compared: true,
    }];
    let choices: Vec<Column> = all
        .iter()
        .filter(|e| e.key != edition.slug)
        .map(|e| Column {
            key: e.key.clone(),
            name: page.pick(&e.name, &e.name_ja).to_owned(),
            total: i18n::format_number(e.figures.total as i64),
            imported: e.imported,
            compared: keys.contains(&e.key),
        })
        .collect();
    for e in all.iter().filter(|e| keys.contains(&e.key)) {
        let name = page.pick(&e.name, &e.name_ja).to_owned();
        editions.push((name.clone(), e.figures.clone()));
        columns.push(Column {
            key: e.key.clone(),
            name,
            total: i18n::format_number(e.figures.total as i64),
            imported: e.imported,
            compared: true,
        });
    }
    let countries = own.by.get(&Dimension::Country).map_or(0, |m| m.keys().filter(|c| *c != NOT_STATED).count());
    let mut headline = vec![
        (page.t("participation-total"), i18n::format_number(own.total as i64)),
        (page.t("participation-countries"), i18n::format_number(countries as i64)),
        (page.t("attendance-onsite"), i18n::format_number(own.count(Dimension::Attendance, "onsite") as i64)),
        (page.t("attendance-online"), i18n::format_number(own.count(Dimension::Attendance, "online") as i64)),
    ];
    if public {
        // Counting countries can single someone out as well: say only whether there are many.
        if countries > 0 && countries < SMALL_GROUP as usize {
            headline[1].1 = format!("< {SMALL_GROUP}");
        }
    } else {
        headline.push((
            page.t("participation-first-time"),
            i18n::format_number(own.count(Dimension::FirstTime, "yes") as i64),
        ));
    }
    render(&StatisticsPage {
        sections: if public && latest.is_none() { Vec::new() } else { sections(ctx.lang, &editions, public, &names) },
        published_total: latest.as_ref().map(|p| i18n::format_number(p.figures.total as i64)),
        published,
        publish_token,
        error,
        admin: ctx.can(&kaigi_core::access::Permission::AdministerSite),
        threshold: SMALL_GROUP,
        slug: slug.to_owned(),
        public,
        columns,
        choices,
        headline,
        query: query.filter(|q| !q.is_empty()).map(|q| format!("?{q}")).unwrap_or_default(),
        page,
    })
}

pub async fn show_statistics(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> AppResult<Html<String>> {
    statistics_page(&state, &ctx, &slug, query, false, None).await
}

#[derive(serde::Deserialize)]
pub struct PublishForm {
    /// The token of the figures the secretariat reviewed (statistics::live).
    pub figures: String,
}

/// Publishes the live figures for the public (the secretariat, after reviewing them).
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<PublishForm>,
) -> AppResult<Response> {
    match statistics::publish(&state.db, &ctx.actor(), edition.id, Some(form.figures.trim())).await {
        Ok(_) => Ok(Redirect::to(&format!("/editions/{slug}/participation")).into_response()),
        Err(e) if e.is_refusal() => {
            let error = AppError::from(e).message(ctx.lang);
            let mut response = statistics_page(&state, &ctx, &slug, None, false, Some(error)).await?.into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show_public(State(state): State<AppState>, ctx: Ctx, Path(slug): Path<String>) -> AppResult<Html<String>> {
    statistics_page(&state, &ctx, &slug, None, true, None).await
}

fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

/// This edition's figures and the compared ones, in the format `kaigi stats import` reads.
pub async fn statistics_csv(
    State(state): State<AppState>,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let all = registration::all_figures(&state.db).await?;
    let keys = compared(&query, &all, &edition.slug);
    let own = own_figures(&all, &edition.slug);
    let mut editions = vec![(edition.slug.clone(), edition.name.clone(), own)];
    editions.extend(all.into_iter().filter(|e| keys.contains(&e.key)).map(|e| (e.key, e.name, e.figures)));
    Ok(csv_response(&format!("{slug}-participation.csv"), kaigi_core::participation::to_csv(&editions)))
}

/// The published figures as CSV (404 before the first publication): hidden counts say so
/// instead of a number.
pub async fn public_csv(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let edition = edition_by_slug(&state, &slug).await?;
    let own = statistics::latest(&state.db, edition.id).await?.ok_or(AppError::NotFound)?.figures;
    let mut csv = kaigi_core::spreadsheet::Csv::new();
    csv.row(["edition", "dimension", "category", "count"]);
    csv.row([edition.slug.as_str(), "total", "all", &own.total.to_string()]);
    for (dimension, counts) in suppress(&own, SMALL_GROUP) {
        for (category, shown) in counts {
            let count = match shown {
                Shown::Exact(n) => n.to_string(),
                Shown::Hidden => format!("fewer than {SMALL_GROUP}"),
            };
            csv.row([edition.slug.as_str(), dimension.code(), &category, &count]);
        }
    }
    Ok(csv_response(&format!("{slug}-participation-public.csv"), csv.finish()))
}

/// Published figures are a few thousand lines at most.
const FIGURES_LIMIT: usize = 2 * 1024 * 1024;

/// Past editions' figures from a CSV upload, all or nothing.
pub async fn import_figures(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut text = String::new();
    let mut replace = false;
    for part in super::upload::read_all(&mut multipart, &["file"], FIGURES_LIMIT).await? {
        match part.name.as_str() {
            "file" if !part.bytes.is_empty() => {
                text = String::from_utf8(part.bytes).map_err(|_| AppError::refused("import-not-utf8"))?;
            }
            "replace" => replace = true,
            _ => {}
        }
    }
    let rows = parse_aggregates(&text).map_err(|e| {
        AppError::refused("error-figures-csv").with("line", e.line).with("column", e.field).with("detail", e.message)
    })?;
    registration::import_aggregates(&state.db, &ctx.actor(), &rows, replace).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/statistics")).into_response())
}
