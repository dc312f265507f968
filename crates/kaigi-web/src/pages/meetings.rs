//! A standing meeting: agenda with time boxes, minutes per item with revisions and safe
//! concurrent editing, action items carried forward, decisions, state, exports and import.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::access::Permission;
use kaigi_core::minutes::MinutesDocument;
use kaigi_db::meetings;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use serde::Deserialize;
use uuid::Uuid;

use super::{Page, render, upload, vocab};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult, html_escape};
use crate::i18n;

/// Minutes are Markdown written by committee members: rendered with raw HTML escaped (only
/// `<sup>`, `</sup>` and `<br>` pass, as footnote marks need them) and links limited to
/// http(s), mailto and in-page anchors.
pub fn markdown_to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => match raw.trim() {
            "<sup>" | "</sup>" | "<br>" | "<br/>" | "<br />" => Event::InlineHtml(raw),
            _ => Event::Text(raw),
        },
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest = dest_url.to_ascii_lowercase();
            let safe = dest.starts_with("http://")
                || dest.starts_with("https://")
                || dest.starts_with("mailto:")
                || dest.starts_with('#')
                || dest.starts_with('/');
            let dest_url = if safe { dest_url } else { CowStr::from("#") };
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            // Images would load from anywhere; show their address as a link instead.
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::End(pulldown_cmark::TagEnd::Image) => Event::End(pulldown_cmark::TagEnd::Link),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The minutes as a standalone HTML document (export, print).
/// The minutes' body as HTML (the conventional layout, the participants as a table).
pub fn minutes_html_fragment(doc: &MinutesDocument) -> String {
    let markdown = kaigi_core::minutes::render_markdown(doc);
    markdown_to_safe_html(&markdown)
}

pub fn minutes_html_document(doc: &MinutesDocument) -> String {
    let title =
        html_escape(&format!("{}第 {} 回会合", doc.series.clone().unwrap_or_default(), doc.number.unwrap_or_default()));
    format!(
        "<!doctype html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:\"IPAexGothic\",\"Noto Sans CJK JP\",sans-serif;max-width:48rem;margin:2rem auto;line-height:1.7}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.2rem .5rem}}</style></head><body>\n{}</body></html>\n",
        minutes_html_fragment(doc)
    )
}

async fn load_meeting(state: &AppState, id: Uuid) -> AppResult<meetings::Meeting> {
    meetings::meeting(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub struct ItemView {
    pub id: String,
    /// When the item starts and ends if the time boxes are kept ("18:40–18:50").
    pub clock: String,
    pub reached: bool,
    pub recurring: bool,
    pub number: String,
    pub title: String,
    pub timebox: String,
    pub revision: i64,
    pub body: String,
    pub html: String,
    pub is_progress: bool,
}

pub struct DetailsView {
    pub version: i64,
    pub held_on: String,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    pub venue_kind: String,
    pub venue_text: String,
    pub venue_link: String,
    pub chair: String,
    pub minute_taker: String,
    pub hosts: String,
}

pub struct MaterialView {
    pub title: String,
    /// Empty for a material known only by its title (imported minutes).
    pub href: String,
}

pub struct ActionView {
    pub id: String,
    pub text: String,
    pub owners: String,
    pub due: String,
    pub status: String,
    pub status_label: String,
    pub origin: String,
    pub overdue: bool,
    pub version: i64,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    page: Page,
    id: String,
    committee: String,
    when: String,
    venue: String,
    hosts: Vec<String>,
    /// The two-column participant table, read column by column.
    rows: Vec<[String; 4]>,
    participant_count: usize,
    count_note: String,
    chair: String,
    minute_taker: String,
    materials: Vec<MaterialView>,
    items: Vec<ItemView>,
    planned: i64,
    slot: i64,
    overflow: bool,
    carried: Vec<ActionView>,
    decided: Vec<ActionView>,
    decisions: Vec<String>,
    draft_agenda: Vec<String>,
    state: String,
    state_label: String,
    published: bool,
    can_edit: bool,
    details: DetailsView,
    members: Vec<(String, String)>,
    poll: Option<String>,
}

fn minutes_of(hhmm: &str) -> i64 {
    hhmm.split_once(':').and_then(|(h, m)| Some(h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)).unwrap_or(0)
}

pub(crate) fn action_view(ctx: &Ctx, a: meetings::ActionItem, today: &str) -> ActionView {
    let overdue = a.status == "open" && a.due.as_deref().is_some_and(|d| d < today && !today.starts_with(d));
    ActionView {
        id: a.id.to_string(),
        status_label: vocab(ctx.lang, "action-status", Some(&a.status)),
        origin: i18n::t_args(ctx.lang, "action-origin", &[("number", a.origin_number.into())]),
        text: a.text,
        owners: a.owners,
        due: a.due.unwrap_or_default(),
        status: a.status,
        overdue,
        version: a.version,
    }
}

pub async fn show_meeting(State(state): State<AppState>, ctx: Ctx, Path(id): Path<Uuid>) -> AppResult<Html<String>> {
    let m = load_meeting(&state, id).await?;
    let page = Page::new(
        &ctx,
        i18n::t_args(
            ctx.lang,
            "meeting-numbered",
            &[("series", m.series_name.clone().into()), ("number", m.number.into())],
        ),
    );
    let attendance = meetings::attendance(&state.db, id).await?;
    let rows = attendance.len().div_ceil(2);
    let cells: Vec<(String, String)> = attendance.iter().map(|a| (a.name(), a.affiliation.clone())).collect();
    let (left, right) = cells.split_at(rows.min(cells.len()));
    let table: Vec<[String; 4]> = left
        .iter()
        .enumerate()
        .map(|(i, (name, affiliation))| {
            let (rn, ra) = right.get(i).cloned().unwrap_or_default();
            [name.clone(), affiliation.clone(), rn, ra]
        })
        .collect();
    let count_note = match m.stated_count {
        Some(n) if n != attendance.len() as i64 && !attendance.is_empty() => i18n::t_args(
            ctx.lang,
            "meeting-count-mismatch",
            &[("stated", n.into()), ("listed", (attendance.len() as i64).into())],
        ),
        _ => String::new(),
    };
    let agenda = meetings::agenda(&state.db, id).await?;
    let planned: i64 = agenda.iter().filter_map(|i| i.timebox_min).sum();
    let slot = minutes_of(&m.ends_at) - minutes_of(&m.starts_at);
    let mut running = minutes_of(&m.starts_at);
    let items = agenda
        .into_iter()
        .map(|i| ItemView {
            clock: match i.timebox_min {
                Some(t) => {
                    let (from, to) = (running, running + t);
                    running = to;
                    format!("{:02}:{:02}–{:02}:{:02}", from / 60, from % 60, to / 60, to % 60)
                }
                None => String::new(),
            },
            id: i.id.to_string(),
            is_progress: i.title.contains("宿題") && i.title.contains("進捗"),
            reached: i.reached,
            recurring: i.recurring,
            timebox: i
                .timebox_min
                .map(|t| i18n::t_args(ctx.lang, "minutes-count", &[("n", t.into())]))
                .unwrap_or_default(),
            html: markdown_to_safe_html(&i.body),
            number: i.number,
            title: i.title,
            revision: i.revision,
            body: i.body,
        })
        .collect();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let carried = meetings::carried_action_items(&state.db, id)
        .await?
        .into_iter()
        .map(|a| action_view(&ctx, a, &today))
        .collect();
    let decided =
        meetings::action_items_from(&state.db, id).await?.into_iter().map(|a| action_view(&ctx, a, &today)).collect();
    render(&MeetingPage {
        id: id.to_string(),
        committee: m.committee_id.to_string(),
        when: format!("{} {}–{} ({})", page.date(&m.held_on), m.starts_at, m.ends_at, m.timezone),
        venue: format!(
            "{} {}",
            vocab(ctx.lang, "venue", Some(&m.venue_kind)),
            m.venue_text.clone().unwrap_or_default()
        ),
        hosts: meetings::hosts(&state.db, id).await?,
        rows: table,
        participant_count: attendance.len(),
        count_note,
        chair: m.chair.clone().unwrap_or_default(),
        minute_taker: m.minute_taker.clone().unwrap_or_default(),
        materials: meetings::material_list(&state.db, id)
            .await?
            .into_iter()
            .map(|m| MaterialView {
                href: match (&m.url, &m.file_name) {
                    (Some(url), _) => url.clone(),
                    (None, Some(_)) => format!("/meetings/{id}/materials/{}", m.id),
                    (None, None) => String::new(),
                },
                title: m.title,
            })
            .collect(),
        members: meetings::members(&state.db, m.committee_id)
            .await?
            .into_iter()
            .map(|(p, n)| (p.to_string(), n))
            .collect(),
        poll: kaigi_db::polls::poll_drafted_at(&state.db, id).await?.map(|p| p.id.to_string()),
        details: DetailsView {
            version: m.version,
            held_on: m.held_on.to_string(),
            starts_at: m.starts_at.clone(),
            ends_at: m.ends_at.clone(),
            timezone: m.timezone.clone(),
            venue_kind: m.venue_kind.clone(),
            venue_text: m.venue_text.clone().unwrap_or_default(),
            venue_link: m.venue_link.clone().unwrap_or_default(),
            chair: m.chair.clone().unwrap_or_default(),
            minute_taker: m.minute_taker.clone().unwrap_or_default(),
            hosts: meetings::hosts(&state.db, id).await?.join("\n"),
        },
        items,
        planned,
        slot,
        overflow: slot > 0 && planned > slot,
        carried,
        decided,
        decisions: meetings::decisions(&state.db, id).await?,
        draft_agenda: meetings::draft_agenda(&state.db, id).await?,
        state_label: vocab(ctx.lang, "minutes-state", Some(&m.minutes_state)),
        state: m.minutes_state,
        published: m.published,
        can_edit: ctx.can(&Permission::CommitteeInside(m.committee_id.to_string())),
        page,
    })
}

#[derive(Deserialize)]
pub struct MinutesForm {
    body: String,
    revision: i64,
}

#[derive(Template)]
#[template(path = "minutes_conflict.html")]
struct ConflictPage {
    page: Page,
    meeting: String,
    item: String,
    mine: String,
    theirs: String,
    current_revision: i64,
}

pub async fn save_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((meeting, item)): Path<(Uuid, Uuid)>,
    Form(form): Form<MinutesForm>,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    if !meetings::agenda(&state.db, meeting).await?.iter().any(|i| i.id == item) {
        return Err(AppError::NotFound);
    }
    let body = form.body.replace("\r\n", "\n");
    match kaigi_db::minutes::save_minutes(&state.db, &ctx.actor(), item, form.revision, &body).await? {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{meeting}#item-{item}")).into_response()),
        Err(conflict) => {
            let page = Page::titled(&ctx, "minutes-conflict-title");
            let body = render(&ConflictPage {
                page,
                meeting: meeting.to_string(),
                item: item.to_string(),
                mine: body,
                theirs: conflict.current_body,
                current_revision: conflict.current_revision,
            })?;
            Ok((StatusCode::CONFLICT, body).into_response())
        }
    }
}

pub struct RevisionView {
    pub revision: i64,
    pub author: String,
    pub at: String,
}

pub struct DiffLine {
    pub sign: &'static str,
    pub class: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "minutes_history.html")]
struct HistoryPage {
    page: Page,
    meeting: String,
    item: String,
    title: String,
    revisions: Vec<RevisionView>,
    from: i64,
    to: i64,
    diff: Vec<DiffLine>,
    shown: String,
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    from: Option<i64>,
    to: Option<i64>,
}

pub async fn minutes_history(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((meeting, item)): Path<(Uuid, Uuid)>,
    axum::extract::Query(q): axum::extract::Query<HistoryQuery>,
) -> AppResult<Html<String>> {
    load_meeting(&state, meeting).await?;
    let agenda_item =
        meetings::agenda(&state.db, meeting).await?.into_iter().find(|i| i.id == item).ok_or(AppError::NotFound)?;
    let revisions = kaigi_db::minutes::revisions(&state.db, item).await?;
    let newest = revisions.first().map_or(0, |r| r.revision);
    let to = q.to.unwrap_or(newest);
    let from = q.from.unwrap_or((to - 1).max(0));
    let text_of = |n: i64| revisions.iter().find(|r| r.revision == n).map(|r| r.body.clone()).unwrap_or_default();
    let (old, new) = (text_of(from), text_of(to));
    let diff = similar::TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .map(|change| {
            let (sign, class) = match change.tag() {
                similar::ChangeTag::Delete => ("−", "removed"),
                similar::ChangeTag::Insert => ("+", "added"),
                similar::ChangeTag::Equal => (" ", "same"),
            };
            DiffLine { sign, class, text: change.value().trim_end_matches('\n').to_owned() }
        })
        .collect();
    render(&HistoryPage {
        page: Page::titled(&ctx, "minutes-history"),
        meeting: meeting.to_string(),
        item: item.to_string(),
        title: format!("{}. {}", agenda_item.number, agenda_item.title),
        revisions: revisions
            .iter()
            .map(|r| RevisionView {
                revision: r.revision,
                author: r.author_label.clone(),
                at: i18n::format_timestamp(ctx.lang, r.created_at),
            })
            .collect(),
        from,
        to,
        diff,
        shown: new,
    })
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    version: i64,
}

pub async fn set_action_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((meeting, action)): Path<(Uuid, Uuid)>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    let mut tx = state.db.begin().await?;
    meetings::set_action_item_status(&mut tx, &ctx.actor(), action, form.version, &form.status, Some(meeting)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}#action-items")).into_response())
}

#[derive(Deserialize)]
pub struct StateForm {
    to: String,
    reason: Option<String>,
}

/// draft → circulated → approved (recorded at the next meeting of the series); approved
/// minutes can be published.
pub async fn change_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<StateForm>,
) -> AppResult<Response> {
    let m = load_meeting(&state, meeting).await?;
    let step =
        form.to.parse::<kaigi_core::minutes::MinutesStep>().map_err(|_| AppError::not_a_choice("to", &form.to))?;
    let mut tx = state.db.begin().await?;
    kaigi_db::minutes::change_state(&mut tx, &ctx.actor(), &m, step, form.reason.as_deref()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
}

pub async fn export_markdown(State(state): State<AppState>, Path(meeting): Path<Uuid>) -> AppResult<Response> {
    let doc = kaigi_db::minutes::document(&state.db, meeting).await?;
    let name = format!("minutes-{}.md", doc.number.unwrap_or_default());
    Ok((
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        kaigi_core::minutes::render_markdown(&doc),
    )
        .into_response())
}

pub async fn export_pdf(State(state): State<AppState>, Path(meeting): Path<Uuid>) -> AppResult<Response> {
    let doc = kaigi_db::minutes::document(&state.db, meeting).await?;
    let name = format!("minutes-{}.pdf", doc.number.unwrap_or_default());
    // Typesetting is CPU work: keep it off the request threads.
    let pdf = tokio::task::spawn_blocking(move || crate::pdf::minutes_pdf(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| match e {
            crate::pdf::PdfError::NoFont(e) => AppError::NoPdfFont(e.to_string()),
            crate::pdf::PdfError::Typeset(e) => AppError::Internal(e),
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        ],
        pdf,
    )
        .into_response())
}

pub async fn export_html(State(state): State<AppState>, Path(meeting): Path<Uuid>) -> AppResult<Response> {
    let doc = kaigi_db::minutes::document(&state.db, meeting).await?;
    Ok(Html(minutes_html_document(&doc)).into_response())
}

#[derive(Template)]
#[template(path = "minutes_public.html")]
struct PublicMinutesPage {
    page: Page,
    committee_id: String,
    committee: String,
    /// The minutes as HTML made from their Markdown by `markdown_to_safe_html` (raw HTML in
    /// the text is escaped there), so the template shows it as it is.
    body: String,
}

/// Published minutes, for the public: on a page like every other, with the way back to the
/// committee's published minutes.
pub async fn public_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
) -> AppResult<Html<String>> {
    let m = load_meeting(&state, meeting).await?;
    if !m.published {
        return Err(AppError::NotFound);
    }
    let doc = kaigi_db::minutes::document(&state.db, meeting).await?;
    let committee_id = meetings::committee_of(&state.db, meeting).await?.ok_or(AppError::NotFound)?;
    let committee = kaigi_db::editions::committee(&state.db, committee_id).await?.ok_or(AppError::NotFound)?;
    let page = Page::new(
        &ctx,
        format!("{}第 {} 回会合", doc.series.clone().unwrap_or_default(), doc.number.unwrap_or_default()),
    );
    render(&PublicMinutesPage {
        committee_id: committee_id.to_string(),
        committee: page.committee_name(&committee.name, &committee.name_en).to_owned(),
        body: minutes_html_fragment(&doc),
        page,
    })
}

pub struct PublishedMeeting {
    pub id: String,
    pub title: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "committee_public.html")]
struct PublicCommitteePage {
    page: Page,
    meetings: Vec<PublishedMeeting>,
}

/// A committee's published minutes, for everyone.
pub async fn public_committee(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(committee): Path<Uuid>,
) -> AppResult<Html<String>> {
    let c = kaigi_db::editions::committee(&state.db, committee).await?.ok_or(AppError::NotFound)?;
    let page = Page::new(&ctx, String::new());
    let page = Page { title: page.committee_name(&c.name, &c.name_en).to_owned(), ..page };
    let meetings = meetings::published_of_committee(&state.db, committee)
        .await?
        .into_iter()
        .map(|m| PublishedMeeting {
            id: m.id.to_string(),
            title: format!("{} 第 {} 回", m.series_name, m.number),
            date: page.date(&m.held_on),
        })
        .collect();
    render(&PublicCommitteePage { meetings, page })
}

#[derive(Template)]
#[template(path = "minutes_import.html")]
struct ImportPage {
    page: Page,
    committee: String,
    text: String,
    series: String,
    error: Option<String>,
    preview: Option<kaigi_db::minutes::ImportReport>,
    document: Option<MinutesDocument>,
}

/// The largest minutes file accepted for import.
pub const IMPORT_LIMIT: usize = 2 * 1024 * 1024;

pub async fn show_import(ctx: Ctx, Path(committee): Path<Uuid>) -> AppResult<Html<String>> {
    render(&ImportPage {
        page: Page::titled(&ctx, "import-title"),
        committee: committee.to_string(),
        text: String::new(),
        series: String::new(),
        error: None,
        preview: None,
        document: None,
    })
}

/// Reads the upload (a file or pasted text) and either previews it — the import is run in a
/// transaction that is then rolled back, so the preview shows exactly what would be stored —
/// or, with `confirm`, stores it.
pub async fn import_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(committee): Path<Uuid>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut text = String::new();
    let mut series = String::new();
    let mut confirm = false;
    for part in upload::read_all(&mut multipart, &["file", "text"], IMPORT_LIMIT).await? {
        match part.name.as_str() {
            "file" if !part.bytes.is_empty() => {
                text = String::from_utf8(part.bytes).map_err(|_| AppError::refused("import-not-utf8"))?;
            }
            "text" if text.is_empty() => text = String::from_utf8_lossy(&part.bytes).into_owned(),
            "series" => series = String::from_utf8_lossy(&part.bytes).trim().to_owned(),
            "confirm" => confirm = true,
            _ => {}
        }
    }
    if text.len() > IMPORT_LIMIT {
        return Err(AppError::FileTooLarge { limit: IMPORT_LIMIT });
    }
    let page = Page::titled(&ctx, "import-title");
    let committee_id = committee.to_string();
    let document = match kaigi_core::minutes::parse(&text) {
        Ok(doc) => doc,
        Err(e) => {
            let body = render(&ImportPage {
                page,
                committee: committee_id,
                text,
                series,
                error: Some(AppError::refused("error-not-minutes").with("detail", e.0).message(ctx.lang)),
                preview: None,
                document: None,
            })?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    // Whatever the file or the form names, the meeting lands in this page's committee.
    let target = kaigi_db::minutes::ImportTarget {
        series: Some(series.as_str()).filter(|s| !s.is_empty()),
        committee: Some(committee),
        truncation: kaigi_core::minutes::truncation_signs(&text, &document),
    };
    let outcome = if confirm {
        kaigi_db::minutes::import(&state.db, &ctx.actor(), &document, &target).await
    } else {
        kaigi_db::minutes::preview_import(&state.db, &ctx.actor(), &document, &target).await
    };
    match outcome {
        Ok(report) if confirm => {
            let id = report.meeting_id.ok_or(AppError::Internal("import stored no meeting".into()))?;
            Ok(Redirect::to(&format!("/meetings/{id}")).into_response())
        }
        Ok(report) => render(&ImportPage {
            page,
            committee: committee_id,
            text,
            series,
            error: None,
            preview: Some(report),
            document: Some(document),
        })
        .map(IntoResponse::into_response),
        Err(e) if e.is_refusal() => {
            let body = render(&ImportPage {
                page,
                committee: committee_id,
                text,
                series,
                error: Some(AppError::from(e).message(ctx.lang)),
                preview: None,
                document: Some(document),
            })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_never_reach_the_page() {
        let html = markdown_to_safe_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> a<sup>1</sup>",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<sup>1</sup>"), "{html}");
    }

    #[test]
    fn the_html_export_has_a_real_participant_table() {
        let doc = kaigi_core::minutes::parse("# 会第 1 回会合\n\n開催日時： 2026 年 1 月 5 日(月)10:00-11:00\n\n参加者\n\n姓\t名\tご所属\t姓\t名\tご所属\n青木\t真理\tA\t森\t由美\tB\n\n## 1. 開会\n\n- 挨拶\n").unwrap();
        let html = minutes_html_document(&doc);
        assert!(html.contains("<table>") && html.contains("<td>青木</td>"), "{html}");
    }
}

// --- building a meeting ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "meeting_new.html")]
struct NewMeetingPage {
    page: Page,
    committee: String,
    series: Vec<(String, String)>,
    next_number: i64,
    error: Option<String>,
}

pub async fn new_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(committee): Path<Uuid>,
) -> AppResult<Html<String>> {
    let series = meetings::series_of_committee(&state.db, committee).await?;
    let next_number =
        meetings::of_committee(&state.db, committee).await?.iter().map(|m| m.number).max().unwrap_or(0) + 1;
    render(&NewMeetingPage {
        page: Page::titled(&ctx, "meeting-new"),
        committee: committee.to_string(),
        series: series.into_iter().map(|s| (s.id.to_string(), s.name)).collect(),
        next_number,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct NewMeetingForm {
    series: Uuid,
    number: i64,
    held_on: String,
    starts_at: String,
    ends_at: String,
    #[serde(default)]
    timezone: String,
    venue_kind: String,
    #[serde(default)]
    venue_text: String,
    #[serde(default)]
    venue_link: String,
    #[serde(default)]
    chair: String,
    #[serde(default)]
    minute_taker: String,
}

fn some_text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn create_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(committee): Path<Uuid>,
    Form(form): Form<NewMeetingForm>,
) -> AppResult<Response> {
    if !meetings::series_of_committee(&state.db, committee).await?.iter().any(|s| s.id == form.series) {
        return Err(AppError::form_tampered("series"));
    }
    let new = meetings::NewMeeting {
        number: form.number,
        held_on: super::form_date("held_on", &form.held_on)?,
        starts_at: form.starts_at.trim().to_owned(),
        ends_at: form.ends_at.trim().to_owned(),
        timezone: some_text(&form.timezone).unwrap_or_else(|| "Asia/Tokyo".into()),
        venue_kind: form.venue_kind,
        venue_text: form.venue_text.trim().to_owned(),
        venue_link: some_text(&form.venue_link),
        chair: some_text(&form.chair),
        minute_taker: some_text(&form.minute_taker),
    };
    let mut tx = state.db.begin().await?;
    let id = meetings::create_meeting(&mut tx, &ctx.actor(), form.series, &new).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    number: String,
    title: String,
    #[serde(default)]
    timebox: String,
    #[serde(default)]
    presenter: String,
}

fn optional_number(field: &'static str, value: &str) -> AppResult<Option<i64>> {
    some_text(value).map(|v| v.parse::<i64>().map_err(|_| AppError::not_a_number(field, &v))).transpose()
}

pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<ItemForm>,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    let timebox = optional_number("timebox", &form.timebox)?;
    let mut tx = state.db.begin().await?;
    meetings::add_agenda_item(
        &mut tx,
        &ctx.actor(),
        meeting,
        Some(&form.number),
        &form.title,
        timebox,
        some_text(&form.presenter).as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
}

#[derive(Deserialize)]
pub struct FlagsForm {
    #[serde(default)]
    reached: Option<String>,
    #[serde(default)]
    recurring: Option<String>,
}

pub async fn item_flags(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((meeting, item)): Path<(Uuid, Uuid)>,
    Form(form): Form<FlagsForm>,
) -> AppResult<Response> {
    if !meetings::agenda(&state.db, meeting).await?.iter().any(|i| i.id == item) {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    meetings::set_item_flags(&mut tx, &ctx.actor(), item, form.reached.is_some(), form.recurring.is_some()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}#item-{item}")).into_response())
}

#[derive(Deserialize)]
pub struct AttendeeForm {
    person: Uuid,
}

pub async fn add_attendee(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<AttendeeForm>,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    let mut tx = state.db.begin().await?;
    meetings::add_attendee(&mut tx, &ctx.actor(), meeting, form.person).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
}

/// A link, or an upload (multipart; the CSRF token comes in the query string).
pub async fn add_material(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    let (mut title, mut url, mut file) = (String::new(), String::new(), None);
    for part in upload::read_all(&mut multipart, &["file"], meetings::MATERIAL_LIMIT).await? {
        match part.name.as_str() {
            "title" => title = String::from_utf8_lossy(&part.bytes).into_owned(),
            "url" => url = String::from_utf8_lossy(&part.bytes).trim().to_owned(),
            "file" if !part.bytes.is_empty() => {
                let content_type = part.content_type.unwrap_or_else(|| "application/octet-stream".into());
                file = Some((part.file_name.unwrap_or_else(|| "material".into()), content_type, part.bytes))
            }
            _ => {}
        }
    }
    if title.trim().is_empty()
        && let Some((name, _, _)) = &file
    {
        title = name.clone();
    }
    let mut tx = state.db.begin().await?;
    let upload = file.as_ref().map(|(n, t, b)| (n.as_str(), t.as_str(), b.as_ref()));
    meetings::add_material(&mut tx, &ctx.actor(), meeting, &title, some_text(&url).as_deref(), upload).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
}

pub async fn download_material(
    State(state): State<AppState>,
    Path((meeting, material)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    let (name, kind, bytes) =
        meetings::material_content(&state.db, meeting, material).await?.ok_or(AppError::NotFound)?;
    let safe_name: String = name.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
    Ok((
        [
            (header::CONTENT_TYPE, kind),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe_name}\"")),
            (header::HeaderName::from_static("x-content-type-options"), "nosniff".into()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ActionForm {
    text: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    due: String,
}

pub async fn add_action_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let m = load_meeting(&state, meeting).await?;
    let mut owners = Vec::new();
    if let Some(id) = some_text(&form.owner) {
        let id = Uuid::parse_str(&id).map_err(|_| AppError::form_tampered("owner"))?;
        let members = meetings::members(&state.db, m.committee_id).await?;
        let (_, name) = members.into_iter().find(|(p, _)| *p == id).ok_or(AppError::form_tampered("owner"))?;
        owners.push((Some(id), name.split(' ').next().unwrap_or(&name).to_owned()));
    }
    if let Some(name) = some_text(&form.owner_name) {
        owners.push((None, name));
    }
    let mut tx = state.db.begin().await?;
    meetings::add_action_item(&mut tx, &ctx.actor(), meeting, &form.text, &owners, some_text(&form.due).as_deref())
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}#action-items")).into_response())
}

#[derive(Deserialize)]
pub struct DecisionForm {
    text: String,
    #[serde(default)]
    item: String,
}

pub async fn add_decision(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    let item = some_text(&form.item).and_then(|i| Uuid::parse_str(&i).ok());
    let mut tx = state.db.begin().await?;
    meetings::add_decision(&mut tx, &ctx.actor(), meeting, item, &form.text).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
}

#[derive(Deserialize)]
pub struct DetailsForm {
    version: i64,
    held_on: String,
    starts_at: String,
    ends_at: String,
    timezone: String,
    venue_kind: String,
    #[serde(default)]
    venue_text: String,
    #[serde(default)]
    venue_link: String,
    #[serde(default)]
    chair: String,
    #[serde(default)]
    minute_taker: String,
    /// One host per line.
    #[serde(default)]
    hosts: String,
}

pub async fn update_details(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<DetailsForm>,
) -> AppResult<Response> {
    let m = load_meeting(&state, meeting).await?;
    let details = meetings::MeetingDetails {
        held_on: super::form_date("held_on", &form.held_on)?,
        starts_at: form.starts_at.trim().to_owned(),
        ends_at: form.ends_at.trim().to_owned(),
        timezone: form.timezone.trim().to_owned(),
        venue_kind: form.venue_kind,
        venue_text: form.venue_text.trim().to_owned(),
        venue_link: some_text(&form.venue_link),
        chair: some_text(&form.chair),
        minute_taker: some_text(&form.minute_taker),
        hosts: form.hosts.lines().map(str::trim).filter(|h| !h.is_empty()).map(str::to_owned).collect(),
    };
    let mut tx = state.db.begin().await?;
    match meetings::update_details(&mut tx, &ctx.actor(), &m, form.version, &details).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
        }
        Err(kaigi_db::DbError::Conflict { .. }) => Err(AppError::refused("meeting-conflict")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DraftForm {
    title: String,
}

pub async fn add_draft_agenda_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(meeting): Path<Uuid>,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    load_meeting(&state, meeting).await?;
    let mut tx = state.db.begin().await?;
    meetings::add_draft_agenda_item(&mut tx, &ctx.actor(), meeting, &form.title).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}#draft-agenda")).into_response())
}
