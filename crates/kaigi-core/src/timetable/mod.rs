//! Automatic timetabling: sessions into rooms, days and start times.
//!
//! An [`Instance`] is the JSON contract of `kaigi schedule solve`; [`Problem`] is the same
//! instance checked and turned into indices and minutes; [`check`] recounts every hard and soft
//! violation of a set of placements exactly as the contract defines them, so the solver's
//! report is always what its placements give.

mod exact;
pub mod generate;
mod solve;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Deserializer, Serialize};

pub use exact::exhaustive;
pub use solve::{Stats, search, search_from, solve};

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Instance {
    pub grid_minutes: i64,
    pub days: Vec<Day>,
    pub rooms: Vec<Room>,
    pub sessions: Vec<Session>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Weights>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Day {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub start: String,
    pub end: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub breaks: Vec<Span>,
}

/// An interval of a day, HH:MM to HH:MM at the venue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Span {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Room {
    pub id: String,
    /// Absent: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole_option")]
    pub capacity: Option<f64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub features: Vec<String>,
    /// Absent: the whole day, every day. Present: only the listed days and intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<BTreeMap<String, Vec<Span>>>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Session {
    pub id: String,
    pub minutes: i64,
    #[serde(default, deserialize_with = "null_as_zero", serialize_with = "whole")]
    pub audience: f64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub people: Vec<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub track: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<String>>,
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
    pub preferred_days: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<Pinned>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Pinned {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
pub struct Weights {
    #[serde(default = "w_theme")]
    pub theme_parallel: f64,
    #[serde(default = "w_main")]
    pub main_parallel: f64,
    #[serde(default = "w_spread")]
    pub track_day_spread: f64,
    #[serde(default = "w_rooms")]
    pub track_rooms: f64,
    #[serde(default = "w_preferred")]
    pub preferred_day: f64,
}

fn w_theme() -> f64 {
    10.0
}
fn w_main() -> f64 {
    100.0
}
fn w_spread() -> f64 {
    5.0
}
fn w_rooms() -> f64 {
    1.0
}
fn w_preferred() -> f64 {
    3.0
}

impl Weights {
    /// The largest weight (in absolute value), 0 when all are 0.
    pub fn heaviest(&self) -> f64 {
        [self.theme_parallel, self.main_parallel, self.track_day_spread, self.track_rooms, self.preferred_day]
            .into_iter()
            .fold(0.0f64, |a, w| a.max(w.abs()))
    }
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            theme_parallel: w_theme(),
            main_parallel: w_main(),
            track_day_spread: w_spread(),
            track_rooms: w_rooms(),
            preferred_day: w_preferred(),
        }
    }
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Whole numbers are written as integers (`"capacity": 0`, not `0.0`).
fn whole<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 9.0e15 { s.serialize_i64(*x as i64) } else { s.serialize_f64(*x) }
}

fn whole_option<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => whole(x, s),
        None => s.serialize_none(),
    }
}

fn null_as_zero<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(0.0))
}

/// One session's place in the timetable, as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub session: String,
    pub room: String,
    pub day: String,
    pub start: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftCounts {
    pub theme_parallel: u64,
    pub main_parallel: u64,
    pub track_day_spread: u64,
    pub track_rooms: u64,
    pub preferred_day: u64,
}

impl SoftCounts {
    pub fn score(&self, w: &Weights) -> f64 {
        w.theme_parallel * self.theme_parallel as f64
            + w.main_parallel * self.main_parallel as f64
            + w.track_day_spread * self.track_day_spread as f64
            + w.track_rooms * self.track_rooms as f64
            + w.preferred_day * self.preferred_day as f64
    }
}

/// Every hard violation, by kind, so the solver can explain what is left in words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HardCounts {
    pub unplaced: u64,
    pub off_grid: u64,
    pub outside_availability: u64,
    pub over_break: u64,
    pub room_clash: u64,
    pub person_clash: u64,
    pub capacity: u64,
    pub missing_features: u64,
    pub day_not_allowed: u64,
    pub pin_ignored: u64,
}

impl HardCounts {
    pub fn total(&self) -> u64 {
        self.unplaced
            + self.off_grid
            + self.outside_availability
            + self.over_break
            + self.room_clash
            + self.person_clash
            + self.capacity
            + self.missing_features
            + self.day_not_allowed
            + self.pin_ignored
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub hard: HardCounts,
    pub soft: SoftCounts,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub placements: Vec<Placement>,
    pub unplaced: Vec<String>,
    pub evaluation: Evaluation,
    /// Sentences naming each remaining soft (and hard) violation.
    pub explanations: Vec<String>,
}

impl Solution {
    /// The contract's JSON: placements, unplaced, hard_violations, soft, score.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "placements": self.placements,
            "unplaced": self.unplaced,
            "hard_violations": self.evaluation.hard.total(),
            "soft": self.evaluation.soft,
            "score": number(self.evaluation.score),
        })
    }
}

/// Whole numbers print as integers ("score": 72), as the contract shows.
pub fn number(x: f64) -> serde_json::Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 { serde_json::json!(x as i64) } else { serde_json::json!(x) }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimetableError {
    #[error("{0}")]
    Invalid(String),
}

/// "HH:MM" (HH may pass 23) as minutes from the day's midnight; ":SS" is tolerated.
pub fn parse_clock(text: &str) -> Option<i64> {
    let mut parts = text.trim().split(':');
    let h = parts.next()?;
    let m = parts.next()?;
    let s = parts.next();
    if parts.next().is_some() || h.is_empty() || m.len() != 2 {
        return None;
    }
    if !h.bytes().all(|b| b.is_ascii_digit()) || !m.bytes().all(|b| b.is_ascii_digit()) || h.len() > 3 {
        return None;
    }
    if let Some(s) = s
        && (s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60).then_some(h * 60 + m)
}

pub fn format_clock(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes.div_euclid(60), minutes.rem_euclid(60))
}

/// The instance in indices and minutes.
#[derive(Debug, Clone)]
pub struct Problem {
    pub grid: i64,
    pub weights: Weights,
    pub days: Vec<PDay>,
    pub rooms: Vec<PRoom>,
    pub sessions: Vec<PSession>,
}

#[derive(Debug, Clone)]
pub struct PDay {
    pub id: String,
    pub start: i64,
    pub end: i64,
    pub breaks: Vec<(i64, i64)>,
}

#[derive(Debug, Clone)]
pub struct PRoom {
    pub id: String,
    pub capacity: f64,
    pub features: HashSet<String>,
    /// Per day: None = the whole day; Some(intervals) = only these (empty: not that day).
    pub available: Vec<Option<Vec<(i64, i64)>>>,
}

#[derive(Debug, Clone)]
pub struct PSession {
    pub id: String,
    pub minutes: i64,
    pub audience: f64,
    pub people: Vec<usize>,
    pub main: bool,
    pub track: Option<usize>,
    pub theme: Option<usize>,
    pub needs: Vec<String>,
    pub days: Option<Vec<bool>>,
    pub preferred: Option<Vec<bool>>,
    pub pin_room: Option<usize>,
    pub pin_day: Option<usize>,
    pub pin_start: Option<i64>,
}

/// Where a session is: room, day, start (minutes from the day's midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    pub room: usize,
    pub day: usize,
    pub start: i64,
}

impl Problem {
    pub fn new(instance: &Instance) -> Result<Self, TimetableError> {
        let bad = |m: String| TimetableError::Invalid(m);
        if instance.grid_minutes <= 0 {
            return Err(bad(format!("grid_minutes: {} is not a positive number of minutes", instance.grid_minutes)));
        }
        let clock = |v: &str, at: String| parse_clock(v).ok_or_else(|| bad(format!("{at}: {v:?} is not HH:MM")));
        let span = |s: &Span, at: String| -> Result<(i64, i64), TimetableError> {
            let a = clock(&s.start, format!("{at}.start"))?;
            let b = clock(&s.end, format!("{at}.end"))?;
            if b < a {
                return Err(bad(format!("{at}: ends ({}) before it starts ({})", s.end, s.start)));
            }
            Ok((a, b))
        };
        let mut day_index = HashMap::new();
        let mut days = Vec::with_capacity(instance.days.len());
        for (i, d) in instance.days.iter().enumerate() {
            if day_index.insert(d.id.clone(), i).is_some() {
                return Err(bad(format!("days[{i}].id: {:?} appears twice", d.id)));
            }
            let (start, end) = span(&Span { start: d.start.clone(), end: d.end.clone() }, format!("days[{i}]"))?;
            let breaks = d
                .breaks
                .iter()
                .enumerate()
                .map(|(j, b)| span(b, format!("days[{i}].breaks[{j}]")))
                .collect::<Result<Vec<_>, _>>()?;
            days.push(PDay { id: d.id.clone(), start, end, breaks });
        }
        let day_of =
            |id: &str, at: String| day_index.get(id).copied().ok_or_else(|| bad(format!("{at}: no day {id:?}")));
        let mut room_index = HashMap::new();
        let mut rooms = Vec::with_capacity(instance.rooms.len());
        for (i, r) in instance.rooms.iter().enumerate() {
            if room_index.insert(r.id.clone(), i).is_some() {
                return Err(bad(format!("rooms[{i}].id: {:?} appears twice", r.id)));
            }
            let capacity = match r.capacity {
                Some(c) if !c.is_finite() => return Err(bad(format!("rooms[{i}].capacity: not a number"))),
                Some(c) => c,
                None => f64::INFINITY,
            };
            let available = match &r.available {
                None => vec![None; days.len()],
                Some(map) => {
                    let mut per_day = vec![Some(Vec::new()); days.len()];
                    for (day, spans) in map {
                        let d = day_of(day, format!("rooms[{i}].available"))?;
                        let list = spans
                            .iter()
                            .enumerate()
                            .map(|(j, s)| span(s, format!("rooms[{i}].available.{day}[{j}]")))
                            .collect::<Result<Vec<_>, _>>()?;
                        per_day[d] = Some(list);
                    }
                    per_day
                }
            };
            rooms.push(PRoom { id: r.id.clone(), capacity, features: r.features.iter().cloned().collect(), available });
        }
        let mut people = HashMap::new();
        let mut tracks = HashMap::new();
        let mut themes = HashMap::new();
        let mut seen = HashSet::new();
        let mut sessions = Vec::with_capacity(instance.sessions.len());
        for (i, s) in instance.sessions.iter().enumerate() {
            if !seen.insert(s.id.as_str()) {
                return Err(bad(format!("sessions[{i}].id: {:?} appears twice", s.id)));
            }
            if s.minutes < 0 {
                return Err(bad(format!("sessions[{i}].minutes: {} is negative", s.minutes)));
            }
            if !s.audience.is_finite() {
                return Err(bad(format!("sessions[{i}].audience: not a number")));
            }
            let mut ps: Vec<usize> = s
                .people
                .iter()
                .map(|p| {
                    let n = people.len();
                    *people.entry(p.clone()).or_insert(n)
                })
                .collect();
            ps.sort_unstable();
            ps.dedup();
            let mask = |list: &[String], field: &str| -> Result<Vec<bool>, TimetableError> {
                let mut m = vec![false; days.len()];
                for (j, d) in list.iter().enumerate() {
                    m[day_of(d, format!("sessions[{i}].{field}[{j}]"))?] = true;
                }
                Ok(m)
            };
            let allowed = match &s.days {
                Some(list) if !list.is_empty() => Some(mask(list, "days")?),
                _ => None,
            };
            let preferred =
                if s.preferred_days.is_empty() { None } else { Some(mask(&s.preferred_days, "preferred_days")?) };
            let pin = s.pinned.clone().unwrap_or_default();
            let pin_room = match &pin.room {
                Some(r) => Some(
                    room_index
                        .get(r)
                        .copied()
                        .ok_or_else(|| bad(format!("sessions[{i}].pinned.room: no room {r:?}")))?,
                ),
                None => None,
            };
            let pin_day = match &pin.day {
                Some(d) => Some(day_of(d, format!("sessions[{i}].pinned.day"))?),
                None => None,
            };
            let pin_start = match &pin.start {
                Some(t) => Some(clock(t, format!("sessions[{i}].pinned.start"))?),
                None => None,
            };
            let intern = |map: &mut HashMap<String, usize>, v: &Option<String>| {
                v.as_ref().map(|v| {
                    let n = map.len();
                    *map.entry(v.clone()).or_insert(n)
                })
            };
            sessions.push(PSession {
                id: s.id.clone(),
                minutes: s.minutes,
                audience: s.audience,
                people: ps,
                main: s.kind.as_deref() == Some("main"),
                track: intern(&mut tracks, &s.track),
                theme: intern(&mut themes, &s.theme),
                needs: s.needs.clone(),
                days: allowed,
                preferred,
                pin_room,
                pin_day,
                pin_start,
            });
        }
        let weights = instance.weights.unwrap_or_default();
        let w = [weights.theme_parallel, weights.main_parallel, weights.track_day_spread, weights.track_rooms];
        if !w.iter().chain([&weights.preferred_day]).all(|x| x.is_finite()) {
            return Err(bad("weights: not finite numbers".into()));
        }
        Ok(Self { grid: instance.grid_minutes, weights, days, rooms, sessions })
    }

    pub fn track_count(&self) -> usize {
        self.sessions.iter().filter_map(|s| s.track).max().map_or(0, |m| m + 1)
    }

    /// Hard violations that depend on this session alone.
    pub fn unary(&self, s: usize, at: Slot) -> UnaryCounts {
        let session = &self.sessions[s];
        let day = &self.days[at.day];
        let room = &self.rooms[at.room];
        let (a, b) = (at.start, at.start + session.minutes);
        let mut u = UnaryCounts::default();
        if (a - day.start).rem_euclid(self.grid) != 0 {
            u.off_grid = 1;
        }
        let in_day = a >= day.start && b <= day.end;
        let in_room = match &room.available[at.day] {
            None => true,
            Some(list) => list.iter().any(|&(x, y)| a >= x && b <= y),
        };
        if !(in_day && in_room) {
            u.outside = 1;
        }
        if day.breaks.iter().any(|&(x, y)| a < y && x < b) {
            u.over_break = 1;
        }
        if room.capacity < session.audience {
            u.capacity = 1;
        }
        if !session.needs.iter().all(|n| room.features.contains(n)) {
            u.features = 1;
        }
        if let Some(m) = &session.days
            && !m[at.day]
        {
            u.day = 1;
        }
        u.pin = [
            session.pin_room.is_some_and(|r| r != at.room),
            session.pin_day.is_some_and(|d| d != at.day),
            session.pin_start.is_some_and(|t| t != at.start),
        ]
        .iter()
        .filter(|&&x| x)
        .count() as u64;
        u
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnaryCounts {
    pub off_grid: u64,
    pub outside: u64,
    pub over_break: u64,
    pub capacity: u64,
    pub features: u64,
    pub day: u64,
    pub pin: u64,
}

impl UnaryCounts {
    pub fn total(&self) -> u64 {
        self.off_grid + self.outside + self.over_break + self.capacity + self.features + self.day + self.pin
    }
}

fn overlaps(p: &Problem, s: usize, a: Slot, t: usize, b: Slot) -> bool {
    a.day == b.day && a.start < b.start + p.sessions[t].minutes && b.start < a.start + p.sessions[s].minutes
}

/// Recounts everything the contract defines for these slots (None = unplaced).
pub fn evaluate(p: &Problem, slots: &[Option<Slot>]) -> Evaluation {
    let mut hard = HardCounts::default();
    let mut soft = SoftCounts::default();
    let mut by_day: Vec<Vec<usize>> = vec![Vec::new(); p.days.len()];
    for (s, slot) in slots.iter().enumerate() {
        match slot {
            None => hard.unplaced += 1,
            Some(at) => {
                let u = p.unary(s, *at);
                hard.off_grid += u.off_grid;
                hard.outside_availability += u.outside;
                hard.over_break += u.over_break;
                hard.capacity += u.capacity;
                hard.missing_features += u.features;
                hard.day_not_allowed += u.day;
                hard.pin_ignored += u.pin;
                by_day[at.day].push(s);
                if let Some(pref) = &p.sessions[s].preferred
                    && !pref[at.day]
                {
                    soft.preferred_day += 1;
                }
            }
        }
    }
    for list in &by_day {
        let mut sorted = list.clone();
        sorted.sort_by_key(|&s| slots[s].map(|x| x.start));
        // Sweep: only sessions that start before this one ends can overlap it.
        for (i, &s) in sorted.iter().enumerate() {
            let a = slots[s].expect("placed");
            for &t in &sorted[i + 1..] {
                let b = slots[t].expect("placed");
                if b.start >= a.start + p.sessions[s].minutes {
                    break;
                }
                if !overlaps(p, s, a, t, b) {
                    continue;
                }
                let (x, y) = (&p.sessions[s], &p.sessions[t]);
                if a.room == b.room {
                    hard.room_clash += 1;
                }
                if shares_person(&x.people, &y.people) {
                    hard.person_clash += 1;
                }
                if x.theme.is_some() && x.theme == y.theme {
                    soft.theme_parallel += 1;
                }
                if x.main && y.main {
                    soft.main_parallel += 1;
                }
            }
        }
    }
    let tracks = p.track_count();
    let mut per_day = vec![vec![0u64; p.days.len()]; tracks];
    let mut rooms: Vec<HashSet<usize>> = vec![HashSet::new(); tracks];
    for (s, slot) in slots.iter().enumerate() {
        if let (Some(at), Some(k)) = (slot, p.sessions[s].track) {
            per_day[k][at.day] += 1;
            rooms[k].insert(at.room);
        }
    }
    for k in 0..tracks {
        let (max, min) = (per_day[k].iter().max(), per_day[k].iter().min());
        if let (Some(max), Some(min)) = (max, min) {
            soft.track_day_spread += max - min;
        }
        soft.track_rooms += (rooms[k].len() as u64).saturating_sub(1);
    }
    let score = soft.score(&p.weights);
    Evaluation { hard, soft, score }
}

fn shares_person(a: &[usize], b: &[usize]) -> bool {
    // Both sorted.
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    false
}

/// Reads placements back into slots (for checking a schedule someone else made).
pub fn slots_from_placements(p: &Problem, placements: &[Placement]) -> Result<Vec<Option<Slot>>, TimetableError> {
    let bad = |m: String| TimetableError::Invalid(m);
    let session: HashMap<&str, usize> = p.sessions.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let room: HashMap<&str, usize> = p.rooms.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let day: HashMap<&str, usize> = p.days.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut slots = vec![None; p.sessions.len()];
    for (i, pl) in placements.iter().enumerate() {
        let s = *session
            .get(pl.session.as_str())
            .ok_or_else(|| bad(format!("placements[{i}]: no session {:?}", pl.session)))?;
        let r = *room.get(pl.room.as_str()).ok_or_else(|| bad(format!("placements[{i}]: no room {:?}", pl.room)))?;
        let d = *day.get(pl.day.as_str()).ok_or_else(|| bad(format!("placements[{i}]: no day {:?}", pl.day)))?;
        let t =
            parse_clock(&pl.start).ok_or_else(|| bad(format!("placements[{i}].start: {:?} is not HH:MM", pl.start)))?;
        if slots[s].replace(Slot { room: r, day: d, start: t }).is_some() {
            return Err(bad(format!("placements[{i}]: session {:?} placed twice", pl.session)));
        }
    }
    Ok(slots)
}

/// The solution in the contract's shape, with its exact evaluation and explanations.
pub fn solution_from_slots(p: &Problem, slots: &[Option<Slot>]) -> Solution {
    let mut placements = Vec::new();
    let mut unplaced = Vec::new();
    for (s, slot) in slots.iter().enumerate() {
        match slot {
            Some(at) => placements.push(Placement {
                session: p.sessions[s].id.clone(),
                room: p.rooms[at.room].id.clone(),
                day: p.days[at.day].id.clone(),
                start: format_clock(at.start),
            }),
            None => unplaced.push(p.sessions[s].id.clone()),
        }
    }
    let evaluation = evaluate(p, slots);
    let explanations = explain(p, slots);
    Solution { placements, unplaced, evaluation, explanations }
}

/// One remaining violation, with the sessions (indices), room and day it concerns, so each
/// reader's language can say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Unplaced {
        session: usize,
    },
    /// A hard rule this session breaks where it is; `rules` names them (off-grid, outside,
    /// over-break, capacity, features, day, pin).
    Misplaced {
        session: usize,
        at: Slot,
        rules: Vec<&'static str>,
    },
    NotPreferredDay {
        session: usize,
        day: usize,
    },
    RoomClash {
        a: usize,
        b: usize,
        room: usize,
    },
    PersonClash {
        a: usize,
        b: usize,
    },
    ThemeParallel {
        a: usize,
        b: usize,
    },
    MainParallel {
        a: usize,
        b: usize,
    },
    TrackSpread {
        imbalance: u64,
    },
    TrackRooms {
        extra: u64,
    },
}

impl Finding {
    pub fn is_hard(&self) -> bool {
        matches!(
            self,
            Finding::Unplaced { .. }
                | Finding::Misplaced { .. }
                | Finding::RoomClash { .. }
                | Finding::PersonClash { .. }
        )
    }

    /// The sessions it concerns.
    pub fn sessions(&self) -> Vec<usize> {
        match self {
            Finding::Unplaced { session }
            | Finding::Misplaced { session, .. }
            | Finding::NotPreferredDay { session, .. } => {
                vec![*session]
            }
            Finding::RoomClash { a, b, .. }
            | Finding::PersonClash { a, b }
            | Finding::ThemeParallel { a, b }
            | Finding::MainParallel { a, b } => vec![*a, *b],
            Finding::TrackSpread { .. } | Finding::TrackRooms { .. } => Vec::new(),
        }
    }
}

/// Every remaining violation, hard ones first in the order sessions were given.
pub fn findings(p: &Problem, slots: &[Option<Slot>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (s, slot) in slots.iter().enumerate() {
        let Some(x) = *slot else {
            out.push(Finding::Unplaced { session: s });
            continue;
        };
        let u = p.unary(s, x);
        let rules: Vec<&'static str> = [
            (u.off_grid, "off-grid"),
            (u.outside, "outside"),
            (u.over_break, "over-break"),
            (u.capacity, "capacity"),
            (u.features, "features"),
            (u.day, "day"),
            (u.pin, "pin"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, r)| r)
        .collect();
        if !rules.is_empty() {
            out.push(Finding::Misplaced { session: s, at: x, rules });
        }
        if let Some(pref) = &p.sessions[s].preferred
            && !pref[x.day]
        {
            out.push(Finding::NotPreferredDay { session: s, day: x.day });
        }
    }
    for s in 0..slots.len() {
        for t in s + 1..slots.len() {
            let (Some(a), Some(b)) = (slots[s], slots[t]) else { continue };
            if !overlaps(p, s, a, t, b) {
                continue;
            }
            let (x, y) = (&p.sessions[s], &p.sessions[t]);
            if a.room == b.room {
                out.push(Finding::RoomClash { a: s, b: t, room: a.room });
            }
            if shares_person(&x.people, &y.people) {
                out.push(Finding::PersonClash { a: s, b: t });
            }
            if x.theme.is_some() && x.theme == y.theme {
                out.push(Finding::ThemeParallel { a: s, b: t });
            }
            if x.main && y.main {
                out.push(Finding::MainParallel { a: s, b: t });
            }
        }
    }
    let e = evaluate(p, slots);
    if e.soft.track_day_spread > 0 {
        out.push(Finding::TrackSpread { imbalance: e.soft.track_day_spread });
    }
    if e.soft.track_rooms > 0 {
        out.push(Finding::TrackRooms { extra: e.soft.track_rooms });
    }
    out
}

/// Every remaining violation in words (English, for the command line), naming the sessions,
/// rooms and days involved.
pub fn explain(p: &Problem, slots: &[Option<Slot>]) -> Vec<String> {
    let name = |s: usize| &p.sessions[s].id;
    let at = |x: Slot, s: usize| {
        format!(
            "{} {}–{} in {}",
            p.days[x.day].id,
            format_clock(x.start),
            format_clock(x.start + p.sessions[s].minutes),
            p.rooms[x.room].id
        )
    };
    findings(p, slots)
        .into_iter()
        .map(|f| match f {
            Finding::Unplaced { session } => format!("{} could not be placed anywhere", name(session)),
            Finding::Misplaced { session, at: x, rules } => {
                let why: Vec<String> = rules
                    .iter()
                    .map(|r| match *r {
                        "off-grid" => "starts off the grid".to_string(),
                        "outside" => "is not wholly inside the room's available hours".to_string(),
                        "over-break" => "runs into a break".to_string(),
                        "capacity" => format!(
                            "expects {} people but the room holds {}",
                            p.sessions[session].audience, p.rooms[x.room].capacity
                        ),
                        "features" => format!("needs {} which the room lacks", p.sessions[session].needs.join(", ")),
                        "day" => "is on a day it may not use".to_string(),
                        _ => "is not where it was pinned".to_string(),
                    })
                    .collect();
                format!("{} ({}) {}", name(session), at(x, session), why.join("; "))
            }
            Finding::NotPreferredDay { session, day } => {
                format!("{} is on {}, not on one of its preferred days", name(session), p.days[day].id)
            }
            Finding::RoomClash { a, b, room } => format!("{} and {} overlap in {}", name(a), name(b), p.rooms[room].id),
            Finding::PersonClash { a, b } => format!("{} and {} overlap and share a speaker", name(a), name(b)),
            Finding::ThemeParallel { a, b } => {
                format!("{} and {} share a theme and run at the same time", name(a), name(b))
            }
            Finding::MainParallel { a, b } => format!("main sessions {} and {} run at the same time", name(a), name(b)),
            Finding::TrackSpread { imbalance } => {
                format!("tracks are unevenly spread over the days (imbalance {imbalance})")
            }
            Finding::TrackRooms { extra } => format!("tracks use {extra} more rooms than one each"),
        })
        .collect()
}
