//! The search results page: one box in the header, filters by kind, edition, series and date,
//! and snippets with the match highlighted. Only what the reader may open is ever listed.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use kaigi_core::search::{Filters, Hit, Kind};
use serde::Deserialize;

use super::{Page, render};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub edition: Option<String>,
    pub series: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl SearchQuery {
    pub fn filters(&self) -> Result<Filters, AppError> {
        let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let kinds = match nonempty(&self.kind) {
            None => Vec::new(),
            Some(k) => vec![Kind::parse(&k).ok_or_else(|| AppError::not_a_choice("kind", &k))?],
        };
        for (name, value) in [("from", &self.from), ("until", &self.until)] {
            if let Some(v) = nonempty(value) {
                crate::pages::form_date(name, &v)?;
            }
        }
        Ok(Filters {
            kinds,
            edition: nonempty(&self.edition),
            series: nonempty(&self.series),
            from: nonempty(&self.from),
            until: nonempty(&self.until),
        })
    }
}

/// The hits this reader may see, with the total before paging.
pub async fn run(state: &AppState, ctx: &Ctx, query: &SearchQuery) -> AppResult<(usize, Vec<HitView>)> {
    // Everything is checked, even with nothing to find.
    let filters = query.filters()?;
    let (limit, offset) = super::paging(query.limit, query.offset, 50, 500)?;
    let text = query.q.as_deref().unwrap_or("").trim();
    if text.is_empty() {
        return Ok((0, Vec::new()));
    }
    let index = state.search.index(&state.db).await?;
    let hits = index.search(text, &filters, |need| ctx.can(need));
    let total = hits.len();
    let (limit, offset) = (limit as usize, (offset as usize).min(total));
    Ok((total, hits.iter().skip(offset).take(limit).map(HitView::from).collect()))
}

pub struct HitView {
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub url: String,
    pub date: String,
    pub before: String,
    pub hit: String,
    pub after: String,
}

impl From<&Hit<'_>> for HitView {
    fn from(h: &Hit<'_>) -> Self {
        let snippet = h.snippet();
        Self {
            kind: h.document.kind.as_str(),
            id: h.document.id.clone(),
            title: h.document.title.clone(),
            url: h.document.url.clone(),
            date: h.document.date.clone().unwrap_or_default(),
            before: snippet.before,
            hit: snippet.hit,
            after: snippet.after,
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    q: String,
    kind: String,
    from: String,
    until: String,
    kinds: Vec<&'static str>,
    found: String,
    hits: Vec<HitView>,
}

pub async fn show_search(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<SearchQuery>,
) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "search-title");
    let (total, hits) = run(&state, &ctx, &query).await?;
    render(&SearchPage {
        page,
        q: query.q.clone().unwrap_or_default(),
        kind: query.kind.clone().unwrap_or_default(),
        from: query.from.clone().unwrap_or_default(),
        until: query.until.clone().unwrap_or_default(),
        kinds: Kind::ALL.iter().map(|k| k.as_str()).collect(),
        found: crate::i18n::t_args(ctx.lang, "search-found", &[("count", (total as i64).into())]),
        hits,
    })
}
