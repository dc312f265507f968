//! The secretariat's timetable editor: a day × room grid, a move form (keyboard and screen
//! readers need nothing else; the grid links each session to it), pins, conflicts explained as
//! soon as they exist, undo of the last move, and the automatic solve shown as a diff before it
//! is applied.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use kaigi_core::timetable::{self, Placement};
use kaigi_db::programme::{self, SessionRow};
use serde::Deserialize;
use uuid::Uuid;

use super::{Page, form_date, render};
use crate::AppState;
use crate::auth::{Ctx, InEdition};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;

pub struct Cell {
    pub rowspan: i64,
    pub session: Option<(i64, String, bool, bool)>,
}

pub struct Row {
    pub time: String,
    pub cells: Vec<Option<Cell>>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "timetable.html")]
struct EditorPage {
    page: Page,
    slug: String,
    day: String,
    days: Vec<Choice>,
    /// (id, name) in column order.
    rooms: Vec<(String, String)>,
    rows: Vec<Row>,
    hard: u64,
    score: String,
    problems: Vec<String>,
    unplaced: Vec<(i64, String)>,
    sessions: Vec<Choice>,
    room_choices: Vec<Choice>,
    undo: Option<(String, String, String, String, String, bool)>,
    themes: Vec<Choice>,
    tracks: Vec<Choice>,
    /// What the draft changed since the published version ("3 added · 1 moved"); empty when
    /// the public sees the draft as it is.
    unpublished: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    pub day: Option<String>,
    pub session: Option<i64>,
    /// The last move's previous place, for undo: "room,day,start,pinned".
    pub undo: Option<String>,
}

/// The stored timetable checked by the timetabler's own rules: the evaluation, each finding in
/// the reader's language, and the numbers of sessions in a hard conflict.
async fn check(
    state: &AppState,
    ctx: &Ctx,
    edition: Uuid,
    sessions: &[SessionRow],
) -> AppResult<(timetable::Evaluation, Vec<String>, Vec<i64>)> {
    let instance = programme::instance(&state.db, edition).await?;
    let problem = timetable::Problem::new(&instance).map_err(|e| AppError::Internal(e.to_string()))?;
    let placements: Vec<Placement> = sessions.iter().filter_map(placement_of).collect();
    let slots =
        timetable::slots_from_placements(&problem, &placements).map_err(|e| AppError::Internal(e.to_string()))?;
    let words = Words::of(state, edition, ctx.lang, sessions).await?;
    let (lines, conflicted) = words.findings(&problem, &slots, false);
    Ok((timetable::evaluate(&problem, &slots), lines, conflicted))
}

/// How the timetabler's findings name things to a person: sessions by number and title, rooms
/// and days by their names, in the reader's language — never by internal ids.
struct Words<'a> {
    lang: Lang,
    sessions: HashMap<String, &'a SessionRow>,
    rooms: HashMap<String, String>,
    days: HashMap<String, String>,
}

impl<'a> Words<'a> {
    async fn of(state: &AppState, edition: Uuid, lang: Lang, sessions: &'a [SessionRow]) -> AppResult<Words<'a>> {
        let rooms = kaigi_db::editions::rooms(&state.db, edition)
            .await?
            .into_iter()
            .map(|r| (r.id.to_string(), r.name))
            .collect();
        let days = kaigi_db::editions::days(&state.db, edition)
            .await?
            .into_iter()
            .map(|d| {
                let name = crate::i18n::day_name(lang, &d.label);
                (d.day.to_string(), format!("{name} ({})", crate::i18n::format_day(lang, d.day)))
            })
            .collect();
        Ok(Words { lang, sessions: sessions.iter().map(|s| (s.id.to_string(), s)).collect(), rooms, days })
    }

    fn session(&self, problem: &timetable::Problem, i: usize) -> String {
        let id = &problem.sessions[i].id;
        self.sessions.get(id).map_or_else(|| id.clone(), |s| format!("#{} {}", s.number, s.title))
    }

    fn room(&self, id: &str) -> String {
        self.rooms.get(id).cloned().unwrap_or_default()
    }

    fn day(&self, id: &str) -> String {
        self.days.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// "Day 1 (Tue 15 Dec) 10:00 · Room 3": a place in the programme as a reader says it.
    fn place(&self, room: &str, day: &str, start: &str) -> String {
        format!("{} {start} · {}", self.day(day), self.room(room))
    }

    /// Each finding in words (unplaced sessions too when `unplaced`: the editor lists those
    /// apart), and the numbers of the sessions in a hard conflict.
    fn findings(
        &self,
        problem: &timetable::Problem,
        slots: &[Option<timetable::Slot>],
        unplaced: bool,
    ) -> (Vec<String>, Vec<i64>) {
        use crate::i18n::t_args;
        use fluent_bundle::FluentValue;
        let lang = self.lang;
        let name = |i: usize| self.session(problem, i);
        let number = |i: usize| self.sessions.get(&problem.sessions[i].id).map(|s| s.number);
        let room = |r: usize| self.room(&problem.rooms[r].id);
        let mut conflicted = Vec::new();
        let mut lines = Vec::new();
        for f in timetable::findings(problem, slots) {
            if f.is_hard() {
                conflicted.extend(f.sessions().into_iter().filter_map(number));
            }
            let s = |v: String| FluentValue::from(v);
            let line = match &f {
                timetable::Finding::Unplaced { .. } if !unplaced => continue,
                timetable::Finding::Unplaced { session } => {
                    t_args(lang, "timetable-f-unplaced", &[("a", s(name(*session)))])
                }
                timetable::Finding::Misplaced { session, at, rules } => {
                    let why: Vec<String> =
                        rules.iter().map(|r| crate::i18n::t(lang, &format!("timetable-rule-{r}"))).collect();
                    let when = format!(
                        "{} {} · {}",
                        self.day(&problem.days[at.day].id),
                        timetable::format_clock(at.start),
                        room(at.room)
                    );
                    let separator = if lang == Lang::Ja { "、" } else { ", " };
                    t_args(
                        lang,
                        "timetable-f-misplaced",
                        &[("a", s(name(*session))), ("when", s(when)), ("why", s(why.join(separator)))],
                    )
                }
                timetable::Finding::NotPreferredDay { session, day } => t_args(
                    lang,
                    "timetable-f-preferred",
                    &[("a", s(name(*session))), ("day", s(self.day(&problem.days[*day].id)))],
                ),
                timetable::Finding::RoomClash { a, b, room: r } => {
                    t_args(lang, "timetable-f-room", &[("a", s(name(*a))), ("b", s(name(*b))), ("room", s(room(*r)))])
                }
                timetable::Finding::PersonClash { a, b } => {
                    t_args(lang, "timetable-f-person", &[("a", s(name(*a))), ("b", s(name(*b)))])
                }
                timetable::Finding::ThemeParallel { a, b } => {
                    t_args(lang, "timetable-f-theme", &[("a", s(name(*a))), ("b", s(name(*b)))])
                }
                timetable::Finding::MainParallel { a, b } => {
                    t_args(lang, "timetable-f-main", &[("a", s(name(*a))), ("b", s(name(*b)))])
                }
                timetable::Finding::TrackSpread { imbalance } => {
                    t_args(lang, "timetable-f-spread", &[("n", FluentValue::from(*imbalance as i64))])
                }
                timetable::Finding::TrackRooms { extra } => {
                    t_args(lang, "timetable-f-rooms", &[("n", FluentValue::from(*extra as i64))])
                }
            };
            lines.push(line);
        }
        (lines, conflicted)
    }
}

pub(crate) fn placement_of(s: &SessionRow) -> Option<Placement> {
    Some(Placement {
        session: s.id.to_string(),
        room: s.room_id?.to_string(),
        day: s.day?.to_string(),
        start: s.starts_at.clone()?,
    })
}

pub async fn show_editor(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(_): Path<String>,
    Query(q): Query<EditorQuery>,
) -> AppResult<Html<String>> {
    let page = Page::new(&ctx, String::new());
    let title = format!("{} — {}", page.pick(&edition.name, &edition.name_ja), page.t("timetable-title"));
    let page = Page { title, ..page };
    let days = kaigi_db::editions::days(&state.db, edition.id).await?;
    let rooms = kaigi_db::editions::rooms(&state.db, edition.id).await?;
    let chosen = q.day.as_deref().and_then(|d| form_date("day", d).ok()).or_else(|| days.first().map(|d| d.day));
    let sessions = programme::sessions(&state.db, edition.id).await?;
    let (evaluation, problems, conflicted_numbers) = check(&state, &ctx, edition.id, &sessions).await?;
    let preview = kaigi_db::publishing::preview(&state.db, edition.id).await?;
    let unpublished =
        if preview.changes.is_empty() { String::new() } else { super::publishing::summary(ctx.lang, &preview.changes) };
    let day = days.iter().find(|d| Some(d.day) == chosen);
    let (start, end) = day.map_or((9 * 60, 18 * 60), |d| {
        (timetable::parse_clock(&d.starts_at).unwrap_or(540), timetable::parse_clock(&d.ends_at).unwrap_or(1080))
    });
    let step = 15;
    let slots = ((end - start) / step).max(0) as usize;
    let mut covered = vec![vec![false; rooms.len()]; slots];
    let mut rows: Vec<Row> =
        (0..slots).map(|i| Row { time: timetable::format_clock(start + i as i64 * step), cells: Vec::new() }).collect();
    let mut starts: HashMap<(usize, usize), &SessionRow> = HashMap::new();
    for s in sessions.iter().filter(|s| s.day.is_some() && s.day == chosen) {
        let (Some(room), Some(t)) = (s.room_id, s.starts_at.as_deref().and_then(timetable::parse_clock)) else {
            continue;
        };
        let Some(r) = rooms.iter().position(|x| x.id == room) else { continue };
        let i = ((t - start) / step).max(0) as usize;
        if i < slots {
            starts.entry((i, r)).or_insert(s);
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        for r in 0..rooms.len() {
            if covered[i][r] {
                row.cells.push(None);
                continue;
            }
            match starts.get(&(i, r)) {
                Some(s) => {
                    let span = ((s.minutes + step - 1) / step).max(1) as usize;
                    let span = span.min(slots - i);
                    for c in covered.iter_mut().skip(i).take(span) {
                        c[r] = true;
                    }
                    let conflicted = conflicted_numbers.contains(&s.number);
                    row.cells.push(Some(Cell {
                        rowspan: span as i64,
                        session: Some((s.number, s.title.clone(), s.pinned, conflicted)),
                    }));
                }
                None => row.cells.push(Some(Cell { rowspan: 1, session: None })),
            }
        }
    }
    let undo = q.undo.as_deref().and_then(|u| {
        let parts: Vec<&str> = u.split(',').collect();
        let number = q.session?;
        let s = sessions.iter().find(|s| s.number == number)?;
        Some((
            s.number.to_string(),
            parts.first()?.to_string(),
            parts.get(1)?.to_string(),
            parts.get(2)?.to_string(),
            s.version.to_string(),
            parts.get(3) == Some(&"1"),
        ))
    });
    render(&EditorPage {
        day: chosen.map(|d| d.to_string()).unwrap_or_default(),
        days: days
            .iter()
            .map(|d| Choice {
                value: d.day.to_string(),
                label: crate::i18n::day_name(ctx.lang, &d.label),
                selected: Some(d.day) == chosen,
            })
            .collect(),
        rooms: rooms.iter().map(|r| (r.id.to_string(), r.name.clone())).collect(),
        room_choices: rooms
            .iter()
            .map(|r| Choice { value: r.id.to_string(), label: r.name.clone(), selected: false })
            .collect(),
        rows,
        hard: evaluation.hard.total(),
        score: timetable::number(evaluation.score).to_string(),
        problems,
        unplaced: sessions.iter().filter(|s| s.room_id.is_none()).map(|s| (s.number, s.title.clone())).collect(),
        unpublished,
        sessions: sessions
            .iter()
            .map(|s| Choice {
                value: s.number.to_string(),
                label: format!("#{} {} ({}′)", s.number, s.title, s.minutes),
                selected: q.session == Some(s.number),
            })
            .collect(),
        undo,
        themes: kaigi_db::editions::themes(&state.db, edition.id)
            .await?
            .iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: page.pick(&t.name, &t.name_ja).to_owned(),
                selected: false,
            })
            .collect(),
        tracks: kaigi_db::editions::tracks(&state.db, edition.id)
            .await?
            .iter()
            .map(|t| Choice {
                value: t.id.to_string(),
                label: page.pick(&t.name, &t.name_ja).to_owned(),
                selected: false,
            })
            .collect(),
        slug: edition.slug,
        page,
    })
}

#[derive(Deserialize)]
pub struct MoveForm {
    session: i64,
    /// Empty: take the session out of the timetable.
    room: String,
    day: String,
    start: String,
    pinned: Option<String>,
    /// The version the editor saw; absent means "the current one" (the grid's own form).
    version: Option<i64>,
}

pub async fn move_session(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let sessions = programme::sessions(&state.db, edition.id).await?;
    let s = sessions.iter().find(|s| s.number == form.session).ok_or(AppError::NotFound)?;
    let to = if form.room.trim().is_empty() {
        None
    } else {
        let room = Uuid::parse_str(form.room.trim()).map_err(|_| AppError::not_a_choice("room", &form.room))?;
        let day = form_date("day", &form.day)?;
        let start = form.start.trim().to_owned();
        if timetable::parse_clock(&start).is_none() {
            return Err(kaigi_db::DbError::not_a_time("start", &start).into());
        }
        Some((room, day, start))
    };
    let undo = format!(
        "{},{},{},{}",
        s.room_id.map(|r| r.to_string()).unwrap_or_default(),
        s.day.map(|d| d.to_string()).unwrap_or_default(),
        s.starts_at.clone().unwrap_or_default(),
        if s.pinned { "1" } else { "0" }
    );
    let day = to.as_ref().map(|(_, d, _)| d.to_string()).or(s.day.map(|d| d.to_string())).unwrap_or_default();
    programme::move_session(
        &state.db,
        &ctx.actor(),
        edition.id,
        s.id,
        form.version.unwrap_or(s.version),
        to,
        form.pinned.is_some(),
    )
    .await?;
    let undo = crate::auth::form_urlencoded_component(&undo);
    Ok(Redirect::to(&format!("/editions/{slug}/timetable?day={day}&session={}&undo={undo}", s.number)).into_response())
}

pub struct MoveLine {
    pub number: i64,
    pub title: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "timetable_preview.html")]
struct PreviewPage {
    page: Page,
    slug: String,
    moves: Vec<MoveLine>,
    hard_before: u64,
    hard_after: u64,
    score_before: String,
    score_after: String,
    explanations: Vec<String>,
    /// How many findings beyond those shown.
    more_explanations: usize,
    placements: String,
    as_of: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SolveForm {
    /// "minimal" (default): fix what is wrong and move as little as possible; "fresh": place
    /// every unpinned session again.
    mode: Option<String>,
}

/// Solves the edition (pinned sessions stay) and shows what would move.
pub async fn preview_solve(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(_): Path<String>,
    Form(form): Form<SolveForm>,
) -> AppResult<Html<String>> {
    let DraftSolve { as_of, sessions, problem, before, solution } =
        solve_draft(&state, edition.id, form.mode.as_deref() == Some("fresh")).await?;
    let page = Page::titled(&ctx, "timetable-preview");
    let words = Words::of(&state, edition.id, ctx.lang, &sessions).await?;
    let mut moves = Vec::new();
    for p in &solution.placements {
        let Some(s) = sessions.iter().find(|s| s.id.to_string() == p.session) else { continue };
        let now = placement_of(s);
        if now.as_ref() == Some(p) {
            continue;
        }
        moves.push(MoveLine {
            number: s.number,
            title: s.title.clone(),
            from: now.map_or_else(|| page.t("schedule-unplaced"), |n| words.place(&n.room, &n.day, &n.start)),
            to: words.place(&p.room, &p.day, &p.start),
        });
    }
    // What is left after the solve, said as the editor says it (the solver's own explanations
    // are for the CLI's JSON: ids, in English).
    let after = timetable::slots_from_placements(&problem, &solution.placements)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (explanations, _) = words.findings(&problem, &after, true);
    render(&PreviewPage {
        moves,
        hard_before: before.hard.total(),
        hard_after: solution.evaluation.hard.total(),
        score_before: timetable::number(before.score).to_string(),
        score_after: timetable::number(solution.evaluation.score).to_string(),
        more_explanations: explanations.len().saturating_sub(30),
        explanations: explanations.into_iter().take(30).collect(),
        placements: serde_json::to_string(&solution.placements).map_err(|e| AppError::Internal(e.to_string()))?,
        as_of: as_of.unix_timestamp_nanos().to_string(),
        slug: edition.slug,
        page,
    })
}

/// The draft timetable solved (pinned sessions stay), as the preview page and the API show it.
pub(crate) struct DraftSolve {
    /// When the draft was read: applying refuses if a session moved since.
    pub as_of: time::OffsetDateTime,
    pub sessions: Vec<SessionRow>,
    pub problem: timetable::Problem,
    /// The draft as it stands.
    pub before: timetable::Evaluation,
    pub solution: timetable::Solution,
}

/// Solves the edition's draft: "minimal" (fresh false) fixes what is wrong and moves as little
/// as possible; fresh places every unpinned session again.
pub(crate) async fn solve_draft(state: &AppState, edition: Uuid, fresh: bool) -> AppResult<DraftSolve> {
    let as_of = kaigi_db::now();
    let sessions = programme::sessions(&state.db, edition).await?;
    let instance = programme::instance(&state.db, edition).await?;
    let problem = timetable::Problem::new(&instance).map_err(|e| AppError::Internal(e.to_string()))?;
    let current: Vec<Placement> = sessions.iter().filter_map(placement_of).collect();
    let current =
        timetable::slots_from_placements(&problem, &current).map_err(|e| AppError::Internal(e.to_string()))?;
    let before = timetable::evaluate(&problem, &current);
    // The solver runs on a blocking thread with its own copy.
    let for_solver = problem.clone();
    let budget = state.config.solver_budget;
    let solution = kaigi_db::solver(move || {
        let problem = for_solver;
        let budget = budget.unwrap_or(kaigi_core::budget::Budget::Time(std::time::Duration::from_millis(1500)));
        let (slots, _) = if fresh {
            timetable::search(&problem, budget, 7)
        } else {
            // Leaving a slot costs more than any soft gain, less than any clash.
            let heaviest = problem.weights.heaviest().max(1.0);
            timetable::search_from(&problem, &current, heaviest * 50.0, budget, 7)
        };
        timetable::solution_from_slots(&problem, &slots)
    })
    .await?;
    Ok(DraftSolve { as_of, sessions, problem, before, solution })
}

#[derive(Deserialize)]
pub struct ApplyForm {
    placements: String,
    as_of: String,
}

pub async fn apply_solve(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let placements: Vec<Placement> =
        serde_json::from_str(&form.placements).map_err(|_| AppError::form_tampered("placements"))?;
    let as_of = form
        .as_of
        .parse::<i128>()
        .ok()
        .and_then(|n| time::OffsetDateTime::from_unix_timestamp_nanos(n).ok())
        .ok_or_else(|| AppError::form_tampered("as_of"))?;
    programme::apply(&state.db, &ctx.actor(), edition.id, &placements, Some(as_of)).await?;
    Ok(Redirect::to(&format!("/editions/{slug}/timetable")).into_response())
}

#[derive(Deserialize)]
pub struct NewSessionForm {
    title: String,
    kind: String,
    minutes: String,
    audience: Option<String>,
    theme: Option<String>,
    track: Option<String>,
    hybrid: Option<String>,
    interpretation: Option<String>,
}

/// A session the committee creates itself (a main session, a ceremony): it starts unplaced.
pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    InEdition(edition): InEdition,
    Path(slug): Path<String>,
    Form(form): Form<NewSessionForm>,
) -> AppResult<Response> {
    let title = form.title.trim();
    if title.is_empty() {
        return Err(kaigi_db::DbError::empty("title").into());
    }
    let kind = form.kind.trim();
    let kind = crate::api::timetable::OwnKind::parse(kind).ok_or_else(|| AppError::not_a_choice("kind", kind))?;
    let minutes: i64 = form
        .minutes
        .trim()
        .parse()
        .ok()
        .filter(|m| (5..=600).contains(m))
        .ok_or_else(|| kaigi_db::DbError::out_of_range("minutes", form.minutes.trim(), 5, 600))?;
    let audience: i64 = match form.audience.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => 0,
        Some(a) => a.parse().ok().filter(|n| *n >= 0).ok_or_else(|| AppError::not_a_number("audience", a))?,
    };
    let pick = |v: &Option<String>, field: &'static str| -> AppResult<Option<Uuid>> {
        match v.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
            None => Ok(None),
            Some(x) => Uuid::parse_str(x).map(Some).map_err(|_| AppError::not_a_choice(field, x)),
        }
    };
    let theme = pick(&form.theme, "theme")?;
    let track = pick(&form.track, "track")?;
    let needs = [("hybrid", &form.hybrid), ("interpretation", &form.interpretation)]
        .into_iter()
        .filter(|(_, on)| on.is_some())
        .map(|(n, _)| n.to_owned())
        .collect();
    let own = OwnSession { title: title.to_owned(), kind: kind.code(), minutes, audience, needs, theme, track };
    // The form offers only this edition's themes and tracks: another is a tampered form.
    let (_, number) =
        create_own_session(&state, &ctx, edition.id, own).await?.ok_or(AppError::form_tampered("theme"))?;
    Ok(Redirect::to(&format!("/editions/{slug}/timetable?session={number}#move")).into_response())
}

/// A session the committee creates itself, as the editor's form and the API give it (checked
/// for what each can check on its own: the title said, the kind, minutes and audience in range).
pub(crate) struct OwnSession {
    pub title: String,
    pub kind: &'static str,
    pub minutes: i64,
    pub audience: i64,
    pub needs: Vec<String>,
    pub theme: Option<Uuid>,
    pub track: Option<Uuid>,
}

/// Stores the session unplaced and answers its id and number; None (nothing stored) when the
/// theme or track is not one of this edition's.
pub(crate) async fn create_own_session(
    state: &AppState,
    ctx: &Ctx,
    edition: Uuid,
    own: OwnSession,
) -> AppResult<Option<(Uuid, i64)>> {
    let themes = kaigi_db::editions::themes(&state.db, edition).await?;
    let tracks = kaigi_db::editions::tracks(&state.db, edition).await?;
    if own.theme.is_some_and(|t| !themes.iter().any(|x| x.id == t))
        || own.track.is_some_and(|t| !tracks.iter().any(|x| x.id == t))
    {
        return Ok(None);
    }
    let session = programme::NewSession {
        proposal_id: None,
        title: own.title,
        kind: own.kind.to_owned(),
        description: String::new(),
        minutes: own.minutes,
        audience: own.audience,
        needs: own.needs,
        track_id: own.track,
        theme_id: own.theme,
        pinned_at: None,
        people: Vec::new(),
    };
    let mut tx = state.db.begin().await?;
    let id = programme::create_session(&mut tx, &ctx.actor(), edition, &session).await?;
    tx.commit().await?;
    let number = programme::session(&state.db, edition, id).await?.map(|s| s.number).unwrap_or_default();
    Ok(Some((id, number)))
}
