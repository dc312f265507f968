//! An edition's public overview and its secretariat page.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use kaigi_core::access::Permission;
use kaigi_db::editions;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::AppResult;

pub struct DayRow {
    pub label: String,
    pub date: String,
    pub hours: String,
    pub breaks: String,
}

pub struct RoomRow {
    pub name: String,
    pub capacity: String,
    pub features: String,
}

#[derive(Template)]
#[template(path = "edition.html")]
struct EditionPage {
    page: Page,
    slug: String,
    name: String,
    dates: String,
    venue: String,
    timezone: String,
    days: Vec<DayRow>,
    rooms: Vec<RoomRow>,
    tracks: Vec<String>,
    themes: Vec<String>,
    can_manage: bool,
    /// (id, name, closes, open)
    calls: Vec<(String, String, String, bool)>,
}

use super::edition_by_slug as edition;

pub async fn show_edition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let edition = edition(&state, &slug).await?;
    let page = Page::new(&ctx, String::new());
    let name = page.pick(&edition.name, &edition.name_ja).to_owned();
    let days = editions::days(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|d| DayRow {
            date: page.date(&d.day),
            hours: format!("{}–{}", d.starts_at, d.ends_at),
            breaks: kaigi_core::setup::parse_spans(&d.breaks)
                .map(|b| kaigi_core::setup::format_spans(&b))
                .unwrap_or_default(),
            label: crate::i18n::day_name(page.lang, &d.label),
        })
        .collect();
    let rooms = editions::rooms(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|r| RoomRow {
            name: r.name,
            capacity: crate::i18n::format_number(r.capacity),
            features: r
                .features
                .split(',')
                .filter(|f| !f.is_empty())
                .map(|f| vocab(ctx.lang, "feature", Some(f)))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let tracks = editions::tracks(&state.db, edition.id)
        .await?
        .iter()
        .map(|t| page.pick(&t.name, &t.name_ja).to_owned())
        .collect();
    let themes = editions::themes(&state.db, edition.id)
        .await?
        .iter()
        .map(|t| page.pick(&t.name, &t.name_ja).to_owned())
        .collect();
    let now = kaigi_db::now();
    let calls = kaigi_db::calls::calls_of_edition(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|c| {
            let closes = super::timezone::local_time(c.closes_at, &edition.timezone);
            (c.id.to_string(), page.pick(&c.name, &c.name_ja).to_owned(), closes, c.is_open(now))
        })
        .collect();
    let page = Page { title: name.clone(), ..page };
    render(&EditionPage {
        dates: format!("{} – {}", page.date(&edition.starts_on), page.date(&edition.ends_on)),
        venue: edition.venue.clone().unwrap_or_default(),
        timezone: edition.timezone.clone(),
        can_manage: ctx.can(&Permission::ManageEdition(edition.id.to_string())),
        slug: edition.slug,
        name,
        days,
        rooms,
        tracks,
        themes,
        calls,
        page,
    })
}

pub struct TypeRow {
    pub label: String,
    pub submitted: i64,
    pub withdrawn: i64,
    pub other: i64,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "edition_manage.html")]
struct ManagePage {
    page: Page,
    slug: String,
    rows: Vec<TypeRow>,
    total: i64,
    chart: String,
}

pub async fn manage_edition(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
) -> AppResult<Html<String>> {
    let counts = editions::proposal_counts(&state.db, edition.id).await?;
    let mut rows: Vec<TypeRow> = Vec::new();
    for session_type in kaigi_core::programme::SessionType::ALL {
        let of = |status: &str| {
            counts
                .iter()
                .filter(|c| c.session_type == session_type.code() && c.status == status)
                .map(|c| c.count)
                .sum::<i64>()
        };
        let total: i64 = counts.iter().filter(|c| c.session_type == session_type.code()).map(|c| c.count).sum();
        if total == 0 {
            continue;
        }
        rows.push(TypeRow {
            label: vocab(ctx.lang, "session-type", Some(session_type.code())),
            submitted: of("submitted"),
            withdrawn: of("withdrawn"),
            other: total - of("submitted") - of("withdrawn"),
            total,
        });
    }
    let total = rows.iter().map(|r| r.total).sum();
    let chart = super::charts::bar_chart(&rows.iter().map(|r| (r.label.clone(), r.total)).collect::<Vec<_>>());
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.t("edition-manage"));
    let page = Page { title, ..page };
    render(&ManagePage { page, slug: edition.slug, rows, total, chart })
}

#[cfg(test)]
mod tests {
    #[test]
    fn chart_labels_are_escaped() {
        let svg = super::super::charts::bar_chart(&[("<script>".into(), 3), ("Workshop".into(), 6)]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("width=\"320\""), "the longest bar is full width");
    }
}
