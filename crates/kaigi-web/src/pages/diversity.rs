//! Who is on stage: speakers by stakeholder group, region and gender for the edition, each day
//! and each track, as stacked bars, and the sessions whose panel does not mix.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use kaigi_db::programme;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppResult, html_escape};

const PALETTE: [&str; 8] = ["#1f5fa8", "#e07b00", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"];

/// One stacked bar per row, the same category colours in every row, with a legend. Labels are
/// escaped here because the markup is inserted unescaped.
pub fn stacked_bars(rows: &[(String, Vec<(String, i64)>)], categories: &[String]) -> String {
    stacked_bars_in(rows, categories, &PALETTE)
}

/// [`stacked_bars`] in colours of the caller's choosing, one per category in order.
pub fn stacked_bars_in(rows: &[(String, Vec<(String, i64)>)], categories: &[String], palette: &[&str]) -> String {
    let row_height = 26;
    let label_width = 240;
    let bar_width = 420.0;
    let legend = 24 * categories.len().div_ceil(2);
    let height = rows.len() * row_height + legend + 12;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        w = label_width + 460
    );
    let colour = |c: &str| palette[categories.iter().position(|x| x == c).unwrap_or(0) % palette.len()];
    for (i, (label, parts)) in rows.iter().enumerate() {
        let y = i * row_height + 4;
        let total: i64 = parts.iter().map(|(_, n)| n).sum();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#1d2433\">{}</text>",
            label_width - 8,
            y + 14,
            html_escape(label)
        ));
        let mut x = label_width as f64;
        for (category, n) in parts {
            if *n == 0 || total == 0 {
                continue;
            }
            let w = *n as f64 / total as f64 * bar_width;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\"><title>{}: {n} ({:.0}%)</title></rect>",
                colour(category),
                html_escape(category),
                *n as f64 * 100.0 / total as f64
            ));
            x += w;
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#555\">{total}</text>",
            label_width as f64 + bar_width + 6.0,
            y + 14
        ));
    }
    let top = rows.len() * row_height + 10;
    for (i, c) in categories.iter().enumerate() {
        let (x, y) = (label_width / 4 + (i % 2) * 320, top + (i / 2) * 24);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1d2433\">{}</text>",
            colour(c),
            x + 20,
            y + 12,
            html_escape(c)
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub struct Chart {
    pub title: String,
    pub svg: String,
}

pub struct PanelRow {
    pub number: i64,
    pub title: String,
    pub speakers: usize,
    pub groups: usize,
    pub regions: usize,
    pub women: usize,
}

#[derive(Template)]
#[template(path = "diversity.html")]
struct DiversityPage {
    page: Page,
    slug: String,
    speakers: usize,
    charts: Vec<Chart>,
    panels: Vec<PanelRow>,
}

pub async fn show_diversity(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(_): Path<String>,
) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "diversity-title");
    let sessions = programme::sessions(&state.db, edition.id).await?;
    let people = programme::people(&state.db, edition.id).await?;
    let by_session: HashMap<_, _> = sessions.iter().map(|s| (s.id, s)).collect();
    let unknown = page.t("diversity-unknown");
    let label = |prefix: &str, code: &Option<String>| match code {
        Some(c) if !c.is_empty() => vocab(ctx.lang, prefix, Some(c)),
        _ => unknown.clone(),
    };
    let gender = |g: &Option<String>| match g.as_deref() {
        Some("woman") => page.t("diversity-women"),
        Some("man") => page.t("diversity-men"),
        Some(_) => page.t("diversity-other-gender"),
        None => unknown.clone(),
    };
    // Each person counts once per session they speak in.
    type Dim<'a> = (&'a str, Box<dyn Fn(&kaigi_db::programme::SessionPerson) -> String + 'a>);
    let dims: Vec<Dim> = vec![
        ("diversity-by-group", Box::new(|p| label("group", &p.stakeholder_group))),
        ("diversity-by-region", Box::new(|p| label("region", &p.un_region))),
        ("diversity-by-gender", Box::new(|p| gender(&p.gender))),
    ];
    let mut charts = Vec::new();
    for (title, key) in &dims {
        let mut rows: BTreeMap<(u8, String), BTreeMap<String, i64>> = BTreeMap::new();
        let mut categories = BTreeSet::new();
        for p in &people {
            let Some(s) = by_session.get(&p.session_id) else { continue };
            let category = key(p);
            categories.insert(category.clone());
            let mut add = |row: (u8, String)| *rows.entry(row).or_default().entry(category.clone()).or_default() += 1;
            add((0, page.t("diversity-edition")));
            if let Some(d) = s.day {
                add((1, page.date(&d)));
            }
            if let Some(t) = &s.track {
                add((2, t.clone()));
            }
        }
        let categories: Vec<String> = categories.into_iter().collect();
        let rows: Vec<(String, Vec<(String, i64)>)> = rows
            .into_iter()
            .map(|((_, label), counts)| {
                (label, categories.iter().map(|c| (c.clone(), counts.get(c).copied().unwrap_or(0))).collect())
            })
            .collect();
        charts.push(Chart { title: page.t(title), svg: stacked_bars(&rows, &categories) });
    }
    let mut panels: Vec<PanelRow> = sessions
        .iter()
        .map(|s| {
            let on: Vec<_> = people.iter().filter(|p| p.session_id == s.id).collect();
            let distinct = |f: &dyn Fn(&&kaigi_db::programme::SessionPerson) -> Option<String>| {
                on.iter().filter_map(f).collect::<BTreeSet<_>>().len()
            };
            PanelRow {
                number: s.number,
                title: s.title.clone(),
                speakers: on.len(),
                groups: distinct(&|p| p.stakeholder_group.clone()),
                regions: distinct(&|p| p.un_region.clone()),
                women: on.iter().filter(|p| p.gender.as_deref() == Some("woman")).count(),
            }
        })
        // Panels of three or more that do not mix: one group, one region, or no women.
        .filter(|r| r.speakers >= 3 && (r.groups < 2 || r.regions < 2 || r.women == 0))
        .collect();
    panels.sort_by_key(|r| (r.groups, r.regions, r.women, r.number));
    drop(dims);
    render(&DiversityPage { speakers: people.len(), charts, panels, slug: edition.slug, page })
}
