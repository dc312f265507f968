//! Date polls for the next meeting, answered by members signed in or through a personal link;
//! the committee's calendar (meetings and deadlines) as iCalendar.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::calendar::{self, CalendarEvent, When};
use kaigi_core::polls::{Tally, best_slot};
use kaigi_db::{meetings, polls};
use uuid::Uuid;

use super::{Page, render};
use crate::AppState;
use crate::auth::{Ctx, form_urlencoded_pairs};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Lang};

pub struct SlotView {
    pub id: String,
    pub label: String,
    pub yes: usize,
    pub ifneed: usize,
    pub no: usize,
    /// The key person cannot come: the slot is out whatever the others say.
    pub blocked: bool,
    pub best: bool,
}

pub struct MemberRow {
    pub name: String,
    pub key: bool,
    pub cells: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "poll.html")]
struct PollPage {
    page: Page,
    id: String,
    title: String,
    open: bool,
    chosen_meeting: Option<String>,
    slots: Vec<SlotView>,
    rows: Vec<MemberRow>,
    members: Vec<(String, String)>,
    key_person: String,
    my_answers: Option<Vec<(String, String, String)>>,
}

fn symbol(answer: Option<&str>) -> &'static str {
    match answer {
        Some("yes") => "○",
        Some("ifneed") => "△",
        Some("no") => "×",
        _ => "—",
    }
}

async fn load(state: &AppState, id: Uuid) -> AppResult<polls::Poll> {
    polls::poll(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// What `person` answered for `slot`, if anything.
pub(crate) fn answer_of(answers: &[polls::Answer], person: Uuid, slot: Uuid) -> Option<&str> {
    answers.iter().find(|a| a.person_id == person && a.slot_id == slot).map(|a| a.answer.as_str())
}

/// Each slot's tally (in the order of `slots`) and the best slot's index: the page and the API
/// show the same board.
pub(crate) fn tally(
    poll: &polls::Poll,
    slots: &[polls::Slot],
    answers: &[polls::Answer],
) -> (Vec<Tally>, Option<usize>) {
    let tallies: Vec<Tally> = slots
        .iter()
        .map(|s| {
            Tally::of(
                answers.iter().filter(|a| a.slot_id == s.id).map(|a| a.answer.as_str()),
                poll.key_person_id.and_then(|k| answer_of(answers, k, s.id)),
            )
        })
        .collect();
    let best = best_slot(&tallies);
    (tallies, best)
}

fn slot_label(page: &Page, slot: &polls::Slot) -> String {
    format!("{} {}–{}", page.date(&slot.day), slot.starts_at, slot.ends_at)
}

pub async fn show_poll(State(state): State<AppState>, ctx: Ctx, Path(id): Path<Uuid>) -> AppResult<Html<String>> {
    let poll = load(&state, id).await?;
    let page = Page::new(&ctx, poll.title.clone());
    let slots = polls::slots(&state.db, id).await?;
    let answers = polls::answers(&state.db, id).await?;
    let members = meetings::members(&state.db, poll.committee_id).await?;
    let answer_of = |person: Uuid, slot: Uuid| answer_of(&answers, person, slot);
    let (tallies, best) = tally(&poll, &slots, &answers);
    let views: Vec<SlotView> = slots
        .iter()
        .zip(&tallies)
        .enumerate()
        .map(|(i, (s, tally))| SlotView {
            id: s.id.to_string(),
            label: slot_label(&page, s),
            yes: tally.yes,
            ifneed: tally.ifneed,
            no: tally.no,
            blocked: tally.blocked,
            best: best == Some(i),
        })
        .collect();
    let rows = members
        .iter()
        .map(|(person, name)| MemberRow {
            name: name.clone(),
            key: poll.key_person_id == Some(*person),
            cells: slots.iter().map(|s| symbol(answer_of(*person, s.id))).collect(),
        })
        .collect();
    let me = ctx.user.as_ref().and_then(|u| u.person_id).filter(|p| members.iter().any(|(m, _)| m == p));
    let my_answers = me.map(|person| {
        slots
            .iter()
            .map(|s| (s.id.to_string(), slot_label(&page, s), answer_of(person, s.id).unwrap_or("").to_owned()))
            .collect()
    });
    render(&PollPage {
        id: id.to_string(),
        title: poll.title.clone(),
        open: poll.status == "open",
        chosen_meeting: poll.created_meeting_id.map(|m| m.to_string()),
        slots: views,
        rows,
        key_person: poll.key_person_id.map(|k| k.to_string()).unwrap_or_default(),
        members: members.into_iter().map(|(p, n)| (p.to_string(), n)).collect(),
        my_answers,
        page,
    })
}

/// Answers come as `answer-<slot id>=yes|ifneed|no` fields.
fn answers_from(body: &[u8]) -> AppResult<Vec<(Uuid, String)>> {
    form_urlencoded_pairs(body)
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("answer-")?.to_owned(), v)))
        .filter(|(_, v)| !v.is_empty())
        .map(|(slot, v)| Ok((Uuid::parse_str(&slot).map_err(|_| AppError::form_tampered("slot"))?, v)))
        .collect()
}

pub async fn answer_as_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let poll = load(&state, id).await?;
    let person = ctx.user.as_ref().and_then(|u| u.person_id).ok_or(AppError::Forbidden)?;
    if !meetings::members(&state.db, poll.committee_id).await?.iter().any(|(p, _)| *p == person) {
        return Err(AppError::Forbidden);
    }
    polls::answer(&state.db, &ctx.actor(), id, person, &answers_from(&body)?).await?;
    Ok(Redirect::to(&format!("/polls/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "poll_answer.html")]
struct PersonalPage {
    page: Page,
    token: String,
    title: String,
    name: String,
    open: bool,
    saved: bool,
    slots: Vec<(String, String, String)>,
}

async fn personal(state: &AppState, ctx: &Ctx, token: &str, saved: bool) -> AppResult<Html<String>> {
    let (poll_id, person) = polls::invitee_by_token(&state.db, token).await?.ok_or(AppError::NotFound)?;
    let poll = load(state, poll_id).await?;
    let page = Page::new(ctx, poll.title.clone());
    let answers = polls::answers(&state.db, poll_id).await?;
    let name = kaigi_db::directory::get_person(&state.db, person).await?.map(|p| p.display_name).unwrap_or_default();
    let slots = polls::slots(&state.db, poll_id)
        .await?
        .iter()
        .map(|s| {
            let answer = answers
                .iter()
                .find(|a| a.person_id == person && a.slot_id == s.id)
                .map(|a| a.answer.clone())
                .unwrap_or_default();
            (s.id.to_string(), slot_label(&page, s), answer)
        })
        .collect();
    render(&PersonalPage {
        token: token.to_owned(),
        title: poll.title,
        name,
        open: poll.status == "open",
        saved,
        slots,
        page,
    })
}

pub async fn show_personal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> AppResult<Html<String>> {
    personal(&state, &ctx, &token, false).await
}

/// Answers through the personal link, without signing in: the link is the credential.
pub async fn answer_personal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Html<String>> {
    let (poll, person) = polls::invitee_by_token(&state.db, &token).await?.ok_or(AppError::NotFound)?;
    let actor = kaigi_db::Actor::system(&format!("poll-link:{person}"));
    polls::answer(&state.db, &actor, poll, person, &answers_from(&body)?).await?;
    personal(&state, &ctx, &token, true).await
}

#[derive(serde::Deserialize)]
pub struct KeyPersonForm {
    #[serde(default)]
    person: String,
}

pub async fn set_key_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<KeyPersonForm>,
) -> AppResult<Response> {
    let poll = load(&state, id).await?;
    let person = match form.person.trim() {
        "" => None,
        p => Some(Uuid::parse_str(p).map_err(|_| AppError::form_tampered("person"))?),
    };
    let mut tx = state.db.begin().await?;
    polls::set_key_person(&mut tx, &ctx.actor(), &poll, person).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/polls/{id}")).into_response())
}

#[derive(serde::Deserialize)]
pub struct SlotForm {
    day: String,
    starts_at: String,
    ends_at: String,
}

pub async fn add_slot(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<SlotForm>,
) -> AppResult<Response> {
    load(&state, id).await?;
    let day = super::form_date("day", &form.day)?;
    let mut tx = state.db.begin().await?;
    polls::add_slot(&mut tx, &ctx.actor(), id, day, form.starts_at.trim(), form.ends_at.trim()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/polls/{id}")).into_response())
}

/// Sends every member who has none yet their personal link, through the outbox.
pub async fn invite(State(state): State<AppState>, ctx: Ctx, Path(id): Path<Uuid>) -> AppResult<Response> {
    let poll = load(&state, id).await?;
    send_invitations(&state, &ctx, &poll).await?;
    Ok(Redirect::to(&format!("/polls/{id}")).into_response())
}

/// Members who got a personal link just now: with a letter, and without an address to send it to.
pub(crate) struct Invited {
    pub sent: usize,
    pub without_email: usize,
}

/// A personal link for every member who has none yet, each sent by letter through the outbox
/// in the same transaction (a link nobody was told about is never made).
pub(crate) async fn send_invitations(state: &AppState, ctx: &Ctx, poll: &polls::Poll) -> AppResult<Invited> {
    let mut invited = Invited { sent: 0, without_email: 0 };
    let mut tx = state.db.begin().await?;
    for (_, name, email, token) in polls::invite_members(&mut tx, &ctx.actor(), poll).await? {
        let Some(email) = email else {
            invited.without_email += 1;
            continue;
        };
        let link = format!("{}/polls/answer/{token}", state.config.public_url);
        let args = [("name", name), ("title", poll.title.clone()), ("link", link)];
        kaigi_db::outbox::enqueue_letter(&mut tx, &email, "poll", &args).await?;
        invited.sent += 1;
    }
    tx.commit().await?;
    Ok(invited)
}

#[derive(serde::Deserialize)]
pub struct ChooseForm {
    slot: Uuid,
}

pub async fn choose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<ChooseForm>,
) -> AppResult<Response> {
    let poll = load(&state, id).await?;
    let meeting = polls::choose_slot(&state.db, &ctx.actor(), id, form.slot).await?;
    announce_meeting(&state, &poll, meeting).await?;
    Ok(Redirect::to(&format!("/meetings/{meeting}")).into_response())
}

/// Tells every member with an email address of the meeting a poll chose, with the calendar
/// invitation's address.
pub(crate) async fn announce_meeting(state: &AppState, poll: &polls::Poll, meeting: Uuid) -> AppResult<()> {
    if let Some(m) = meetings::meeting(&state.db, meeting).await? {
        let when =
            |lang| format!("{} {}–{} ({})", i18n::format_date(lang, m.held_on), m.starts_at, m.ends_at, m.timezone);
        let title = |lang| {
            i18n::t_args(
                lang,
                "meeting-numbered",
                &[("series", m.series_name.clone().into()), ("number", m.number.into())],
            )
        };
        let page = format!("{}/meetings/{meeting}", state.config.public_url);
        let args = [
            ("title_en", title(Lang::En)),
            ("title_ja", title(Lang::Ja)),
            ("when_en", when(Lang::En)),
            ("when_ja", when(Lang::Ja)),
            ("link", page.clone()),
            ("ics", format!("{page}/invitation.ics")),
        ];
        let mut tx = state.db.begin().await?;
        for (person, _) in meetings::members(&state.db, poll.committee_id).await? {
            if let Some(email) = kaigi_db::directory::get_person(&state.db, person).await?.and_then(|p| p.email) {
                kaigi_db::outbox::enqueue_letter(&mut tx, &email, "meeting", &args).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Opens a date poll for the meeting after this one.
pub async fn open_poll(State(state): State<AppState>, ctx: Ctx, Path(meeting): Path<Uuid>) -> AppResult<Response> {
    let m = meetings::meeting(&state.db, meeting).await?.ok_or(AppError::NotFound)?;
    if let Some(existing) = polls::poll_drafted_at(&state.db, meeting).await? {
        return Ok(Redirect::to(&format!("/polls/{}", existing.id)).into_response());
    }
    let mut tx = state.db.begin().await?;
    let id = polls::create_poll(&mut tx, &ctx.actor(), &m).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/polls/{id}")).into_response())
}

fn meeting_event(state: &AppState, m: &meetings::Meeting) -> CalendarEvent {
    CalendarEvent {
        uid: format!("meeting-{}@kaigi", m.id),
        summary: format!("{} 第 {} 回", m.series_name, m.number),
        description: m.venue_link.clone().unwrap_or_default(),
        location: m.venue_text.clone().unwrap_or_default(),
        url: Some(format!("{}/meetings/{}", state.config.public_url, m.id)),
        when: When::Timed {
            date: m.held_on,
            start: m.starts_at.clone(),
            end: m.ends_at.clone(),
            timezone: m.timezone.clone(),
        },
    }
}

fn ics_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.ics\"")),
        ],
        body,
    )
        .into_response()
}

/// One meeting as an invitation to add to a calendar.
pub async fn meeting_ics(State(state): State<AppState>, Path(meeting): Path<Uuid>) -> AppResult<Response> {
    let m = meetings::meeting(&state.db, meeting).await?.ok_or(AppError::NotFound)?;
    let ics = calendar::to_ical(&m.series_name, &[meeting_event(&state, &m)])
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(ics_response(&format!("meeting-{}", m.number), ics))
}

/// The committee's meetings and the deadlines it tracks.
pub async fn committee_ics(State(state): State<AppState>, Path(committee): Path<Uuid>) -> AppResult<Response> {
    let c = kaigi_db::editions::committee(&state.db, committee).await?.ok_or(AppError::NotFound)?;
    let mut events = Vec::new();
    for row in meetings::of_committee(&state.db, committee).await? {
        if let Some(m) = meetings::meeting(&state.db, row.id).await? {
            events.push(meeting_event(&state, &m));
        }
    }
    for d in polls::deadlines_of_committee(&state.db, committee).await? {
        events.push(CalendarEvent {
            uid: format!("deadline-{}@kaigi", d.id),
            summary: d.title,
            description: d.kind,
            location: String::new(),
            url: d.url,
            when: When::AllDay(d.due_on),
        });
    }
    let ics = calendar::to_ical(&c.name, &events).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(ics_response("committee", ics))
}

#[derive(serde::Deserialize)]
pub struct DeadlineForm {
    title: String,
    kind: String,
    due_on: String,
    #[serde(default)]
    url: String,
}

pub async fn add_deadline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(committee): Path<Uuid>,
    Form(form): Form<DeadlineForm>,
) -> AppResult<Response> {
    let series =
        meetings::series_of_committee(&state.db, committee).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let due = super::form_date("due_on", &form.due_on)?;
    let url = Some(form.url.trim()).filter(|u| !u.is_empty());
    let mut tx = state.db.begin().await?;
    polls::add_deadline(&mut tx, &ctx.actor(), series.id, &form.title, &form.kind, due, url).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/committees/{committee}#deadlines")).into_response())
}
