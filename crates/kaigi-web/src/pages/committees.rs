//! Standing committees: the public list, and the inside view for members.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use kaigi_core::access::Permission;
use uuid::Uuid;

use super::{Page, render, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};

pub struct CommitteeRow {
    pub id: String,
    pub name: String,
    pub can_open: bool,
}

#[derive(Template)]
#[template(path = "committees.html")]
struct CommitteesPage {
    page: Page,
    committees: Vec<CommitteeRow>,
}

pub async fn list_committees(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let page = Page::titled(&ctx, "nav-committees");
    let committees = kaigi_db::editions::list_committees(&state.db)
        .await?
        .into_iter()
        .map(|c| CommitteeRow {
            can_open: ctx.can(&Permission::CommitteeInside(c.id.to_string())),
            name: page.committee_name(&c.name, &c.name_en).to_owned(),
            id: c.id.to_string(),
        })
        .collect();
    render(&CommitteesPage { page, committees })
}

fn page_date(lang: crate::i18n::Lang, d: time::Date) -> String {
    crate::i18n::format_date(lang, d)
}

pub struct MeetingRow {
    pub id: String,
    pub title: String,
    pub date: String,
    pub hours: String,
    pub venue: String,
}

pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub reading: String,
}

#[derive(Template)]
#[template(path = "committee.html")]
struct CommitteePage {
    page: Page,
    meetings: Vec<MeetingRow>,
    members: Vec<MemberRow>,
    can_view_people: bool,
    id: String,
    actions: Vec<super::meetings::ActionView>,
    decisions: Vec<(String, String, String)>,
    deadlines: Vec<(String, String, String, Option<String>)>,
    polls: Vec<(String, String)>,
}

pub async fn show_committee(State(state): State<AppState>, ctx: Ctx, Path(id): Path<Uuid>) -> AppResult<Html<String>> {
    let committee = kaigi_db::editions::committee(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let page = Page::new(&ctx, String::new());
    let name = page.committee_name(&committee.name, &committee.name_en).to_owned();
    let meetings = kaigi_db::editions::meetings_of_committee(&state.db, id)
        .await?
        .into_iter()
        .map(|m| MeetingRow {
            id: m.id.to_string(),
            title: crate::i18n::t_args(
                ctx.lang,
                "meeting-numbered",
                &[("series", m.series_name.clone().into()), ("number", m.number.into())],
            ),
            date: page.date(&m.held_on),
            hours: format!("{}–{}", m.starts_at, m.ends_at),
            venue: format!("{} {}", vocab(ctx.lang, "venue", Some(&m.venue_kind)), m.venue_text.unwrap_or_default()),
        })
        .collect();
    let members = kaigi_db::editions::committee_members(&state.db, id)
        .await?
        .into_iter()
        .map(|p| MemberRow { id: p.id.to_string(), name: p.display_name, reading: p.reading.unwrap_or_default() })
        .collect();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut actions: Vec<super::meetings::ActionView> = kaigi_db::meetings::action_items_of_committee(&state.db, id)
        .await?
        .into_iter()
        .map(|a| super::meetings::action_view(&ctx, a, &today))
        .collect();
    // Open ones first, overdue at the top.
    actions.sort_by_key(|a| (a.status != "open", !a.overdue));
    let decisions = kaigi_db::meetings::decisions_of_committee(&state.db, id)
        .await?
        .into_iter()
        .map(|d| (d.meeting_id.to_string(), format!("{} ({})", d.number, page.date(&d.held_on)), d.text))
        .collect();
    let page = Page { title: name, ..page };
    render(&CommitteePage {
        page,
        meetings,
        members,
        can_view_people: ctx.can(&Permission::ViewDirectory),
        id: id.to_string(),
        actions,
        decisions,
        deadlines: kaigi_db::polls::deadlines_of_committee(&state.db, id)
            .await?
            .into_iter()
            .map(|d| (page_date(ctx.lang, d.due_on), d.title, vocab(ctx.lang, "deadline-kind", Some(&d.kind)), d.url))
            .collect(),
        polls: kaigi_db::polls::open_polls(&state.db, id)
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.title))
            .collect(),
    })
}
