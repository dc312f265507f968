//! Who is on stage: speakers by stakeholder group, region and gender for the edition, each day
//! and each track, as stacked bars, and the sessions whose panel does not mix.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use kaigi_db::programme;

use super::charts::stacked_bars;
use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppResult;

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
                add((2, page.pick(t, &s.track_ja).to_owned()));
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
