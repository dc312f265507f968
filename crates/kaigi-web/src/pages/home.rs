//! The home page, the health check and the stylesheet.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use kaigi_core::access::Permission;

use super::{Page, render};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppResult;

pub struct EditionCard {
    pub slug: String,
    pub name: String,
    pub dates: String,
    pub venue: String,
    pub proposals: i64,
    pub can_manage: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    editions: Vec<EditionCard>,
    committees: Vec<(String, String, bool)>,
    people: Option<i64>,
}

pub async fn show_home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "home-title");
    let mut editions = Vec::new();
    for edition in kaigi_db::editions::list_editions(&state.db).await? {
        let proposals = kaigi_db::editions::proposal_counts(&state.db, edition.id).await?.iter().map(|c| c.count).sum();
        editions.push(EditionCard {
            dates: format!("{} – {}", page.date(&edition.starts_on), page.date(&edition.ends_on)),
            name: page.pick(&edition.name, &edition.name_ja).to_owned(),
            venue: edition.venue.clone().unwrap_or_default(),
            can_manage: ctx.can(&Permission::ManageEdition(edition.id.to_string())),
            slug: edition.slug,
            proposals,
        });
    }
    let committees = kaigi_db::editions::list_committees(&state.db)
        .await?
        .into_iter()
        .map(|c| {
            let inside = ctx.can(&Permission::CommitteeInside(c.id.to_string()));
            (c.id.to_string(), page.committee_name(&c.name, &c.name_en).to_owned(), inside)
        })
        .collect();
    let people = if ctx.can(&Permission::ViewDirectory) {
        Some(kaigi_db::directory::count_people(&state.db).await?)
    } else {
        None
    };
    render(&HomePage { page, editions, committees, people })
}

/// Answers 200 when the database answers, so a load balancer can route around a broken instance.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match kaigi_db::editions::list_committees(&state.db).await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/kaigi.js"),
    )
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/kaigi.css"),
    )
}
