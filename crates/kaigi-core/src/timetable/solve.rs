//! The timetabler: a best-fit construction (most constrained sessions first, each where it adds
//! the least cost and wastes the least room time), then simulated annealing over moves and
//! swaps. Hard violations cost far more than any soft score, so the search first empties them and
//! then trades soft costs, and the best timetable seen is returned. Every delta is computed
//! locally (the room's day, the session's speakers, its theme, its track), and the final report
//! is recounted from scratch by [`super::evaluate`].

use std::time::Duration;

use super::{Instance, Problem, Slot, Solution, TimetableError, solution_from_slots};
use crate::budget::{Budget, Clock};
use crate::rng::SplitMix64;

pub fn solve(instance: &Instance, budget: impl Into<Budget>) -> Result<Solution, TimetableError> {
    let problem = Problem::new(instance)?;
    let (slots, _) = search(&problem, budget, 0x7AB1_E202);
    Ok(solution_from_slots(&problem, &slots))
}

/// How the search went, for benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// When the best timetable first had no hard violation.
    pub feasible_after: Option<Duration>,
    pub iterations: u64,
}

/// The best slots found within the budget (None = unplaced); a step is one move or swap tried.
pub fn search(p: &Problem, budget: impl Into<Budget>, seed: u64) -> (Vec<Option<Slot>>, Stats) {
    search_from(p, &[], 0.0, budget, seed)
}

/// A minimal-change re-solve: starts from `current` (the timetable as it is) and charges
/// `move_weight` for every session that leaves its current slot, so sessions not involved in a
/// problem stay put. The reported scores never include this charge.
pub fn search_from(
    p: &Problem,
    current: &[Option<Slot>],
    move_weight: f64,
    budget: impl Into<Budget>,
    seed: u64,
) -> (Vec<Option<Slot>>, Stats) {
    let mut clock = Clock::start(budget);
    let mut state = State::new(p);
    if current.len() == p.sessions.len() {
        state.anchor = current.to_vec();
        state.move_weight = move_weight.max(0.0);
        for (s, slot) in current.iter().enumerate() {
            if let Some(at) = *slot
                && at.room < p.rooms.len()
                && at.day < p.days.len()
            {
                state.insert(s, at);
            }
        }
    }
    state.construct();
    let mut rng = SplitMix64::new(seed);
    let mut best = state.slots.clone();
    let mut best_cost = state.cost;
    let mut stats = Stats::default();
    if best_cost < state.hard {
        stats.feasible_after = Some(clock.elapsed());
    }
    if p.sessions.is_empty() || state.candidates.iter().all(|c| c.is_empty()) {
        return (best, stats);
    }
    let max_weight = p.weights.heaviest();
    let t_start = (max_weight * 2.0).max(1.0);
    let t_end = 0.01 * t_start.min(1.0);
    let mut temperature = t_start;
    while best_cost > 0.0 {
        // The clock is read every 128 moves: reading it costs more than a move.
        if clock.steps().is_multiple_of(128) {
            if clock.is_spent() {
                break;
            }
            temperature = t_start * (t_end / t_start).powf(clock.spent_fraction());
        }
        clock.step();
        let before = state.cost;
        let undo = if rng.chance(0.7) { state.try_move(&mut rng) } else { state.try_swap(&mut rng) };
        let Some(undo) = undo else { continue };
        let delta = state.cost - before;
        let accept = delta <= 1e-9 || {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            u < (-delta / temperature).exp()
        };
        if !accept {
            state.revert(undo);
            continue;
        }
        if state.cost < best_cost - 1e-9 {
            best_cost = state.cost;
            best.clone_from(&state.slots);
            if stats.feasible_after.is_none() && best_cost < state.hard {
                stats.feasible_after = Some(clock.elapsed());
            }
        }
    }
    stats.iterations = clock.steps();
    (best, stats)
}

/// What to put back when a move is rejected.
struct Undo {
    moved: [(usize, Option<Slot>); 2],
    count: usize,
}

struct State<'a> {
    p: &'a Problem,
    /// Cost of one hard violation: more than any soft change a single move can make.
    hard: f64,
    slots: Vec<Option<Slot>>,
    cost: f64,
    /// Sessions in each room on each day (index room × days + day).
    occupants: Vec<Vec<usize>>,
    /// Free stretches of each room on each day: inside availability, the day, and between breaks.
    segments: Vec<Vec<(i64, i64)>>,
    /// Room-days each session may use without a unary violation (or all, if there are none).
    candidates: Vec<Vec<usize>>,
    sharing_person: Vec<Vec<usize>>,
    same_theme: Vec<Vec<usize>>,
    mains: Vec<usize>,
    track_day: Vec<Vec<i64>>,
    track_room: Vec<Vec<i64>>,
    track_rooms_used: Vec<i64>,
    /// Where each session was before a minimal-change re-solve, and what leaving it costs.
    anchor: Vec<Option<Slot>>,
    move_weight: f64,
}

impl<'a> State<'a> {
    fn new(p: &'a Problem) -> Self {
        let (days, rooms) = (p.days.len(), p.rooms.len());
        let mut segments = vec![Vec::new(); rooms * days];
        for r in 0..rooms {
            for d in 0..days {
                let day = &p.days[d];
                let windows = match &p.rooms[r].available[d] {
                    None => vec![(day.start, day.end)],
                    Some(list) => list.iter().map(|&(a, b)| (a.max(day.start), b.min(day.end))).collect(),
                };
                let mut out = Vec::new();
                for (a, b) in windows {
                    let mut pieces = vec![(a, b)];
                    for &(x, y) in &day.breaks {
                        pieces = pieces
                            .into_iter()
                            .flat_map(|(a, b)| {
                                if y <= a || x >= b || x >= y {
                                    vec![(a, b)]
                                } else {
                                    [(a, x), (y, b)].into_iter().filter(|(a, b)| a < b).collect()
                                }
                            })
                            .collect();
                    }
                    out.extend(pieces.into_iter().filter(|(a, b)| a < b));
                }
                out.sort_unstable();
                segments[r * days + d] = out;
            }
        }
        let n = p.sessions.len();
        let mut by_person: Vec<Vec<usize>> = Vec::new();
        for (s, session) in p.sessions.iter().enumerate() {
            for &person in &session.people {
                if by_person.len() <= person {
                    by_person.resize(person + 1, Vec::new());
                }
                by_person[person].push(s);
            }
        }
        let mut sharing_person = vec![Vec::new(); n];
        for list in &by_person {
            for &s in list {
                sharing_person[s].extend(list.iter().copied().filter(|&t| t != s));
            }
        }
        for list in &mut sharing_person {
            list.sort_unstable();
            list.dedup();
        }
        let themes = p.sessions.iter().filter_map(|s| s.theme).max().map_or(0, |m| m + 1);
        let mut theme_members = vec![Vec::new(); themes];
        for (s, session) in p.sessions.iter().enumerate() {
            if let Some(t) = session.theme {
                theme_members[t].push(s);
            }
        }
        let same_theme = p
            .sessions
            .iter()
            .enumerate()
            .map(|(s, x)| {
                x.theme.map_or(Vec::new(), |t| theme_members[t].iter().copied().filter(|&o| o != s).collect())
            })
            .collect();
        let mains = (0..n).filter(|&s| p.sessions[s].main).collect();
        let tracks = p.track_count();
        let max_weight = p.weights.heaviest().max(1.0);
        let mut state = Self {
            p,
            // Above any total soft score, so "cost below one hard" means no hard violation.
            hard: max_weight * ((n * n) as f64 + 4.0 * n as f64 + 1000.0),
            slots: vec![None; n],
            cost: 0.0,
            occupants: vec![Vec::new(); rooms * days],
            segments,
            candidates: Vec::new(),
            sharing_person,
            same_theme,
            mains,
            track_day: vec![vec![0; days]; tracks],
            track_room: vec![vec![0; rooms]; tracks],
            track_rooms_used: vec![0; tracks],
            anchor: vec![None; n],
            move_weight: 0.0,
        };
        state.cost = state.hard * n as f64;
        state.candidates = (0..n).map(|s| state.room_days_for(s)).collect();
        state
    }

    fn days(&self) -> usize {
        self.p.days.len()
    }

    fn room_days_for(&self, s: usize) -> Vec<usize> {
        let session = &self.p.sessions[s];
        let all: Vec<usize> = (0..self.p.rooms.len() * self.days()).collect();
        let clean: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&rd| {
                let (r, d) = (rd / self.days(), rd % self.days());
                let room = &self.p.rooms[r];
                room.capacity >= session.audience
                    && session.needs.iter().all(|n| room.features.contains(n))
                    && session.days.as_ref().is_none_or(|m| m[d])
                    && session.pin_room.is_none_or(|x| x == r)
                    && session.pin_day.is_none_or(|x| x == d)
                    && !self.valid_starts(s, rd).is_empty()
            })
            .collect();
        if !clean.is_empty() {
            return clean;
        }
        // Nothing is clean: keep the pinned room and day if any, and let the cost decide.
        all.into_iter()
            .filter(|&rd| {
                session.pin_room.is_none_or(|x| x == rd / self.days())
                    && session.pin_day.is_none_or(|x| x == rd % self.days())
            })
            .collect()
    }

    /// Grid-aligned starts at which the session fits wholly inside one free stretch.
    fn valid_starts(&self, s: usize, rd: usize) -> Vec<i64> {
        let session = &self.p.sessions[s];
        let day = &self.p.days[rd % self.days()];
        let grid = self.p.grid;
        if let Some(t) = session.pin_start {
            let fits = self.segments[rd].iter().any(|&(a, b)| t >= a && t + session.minutes <= b);
            return if fits && (t - day.start).rem_euclid(grid) == 0 { vec![t] } else { Vec::new() };
        }
        let mut out = Vec::new();
        for &(a, b) in &self.segments[rd] {
            let mut t = day.start + (a - day.start).div_euclid(grid) * grid;
            if t < a {
                t += grid;
            }
            while t + session.minutes <= b {
                out.push(t);
                t += grid;
            }
        }
        out
    }

    fn align_up(&self, rd: usize, t: i64) -> i64 {
        let start = self.p.days[rd % self.days()].start;
        let g = self.p.grid;
        start + (t - start + g - 1).div_euclid(g) * g
    }

    /// Starts that pack tightly: the beginning of each free stretch and the end of each session
    /// already there (any valid start if neither works).
    fn packing_starts(&self, s: usize, rd: usize) -> Vec<i64> {
        let session = &self.p.sessions[s];
        if let Some(t) = session.pin_start {
            return vec![t];
        }
        let mut points: Vec<i64> = self.segments[rd].iter().map(|&(a, _)| self.align_up(rd, a)).collect();
        for &o in &self.occupants[rd] {
            if o != s
                && let Some(x) = self.slots[o]
            {
                points.push(self.align_up(rd, x.start + self.p.sessions[o].minutes));
            }
        }
        points.sort_unstable();
        points.dedup();
        let fits = |t: i64| self.segments[rd].iter().any(|&(a, b)| t >= a && t + session.minutes <= b);
        let out: Vec<i64> = points.into_iter().filter(|&t| fits(t)).collect();
        if out.is_empty() {
            let first = self.segments[rd].first().map_or(self.p.days[rd % self.days()].start, |&(a, _)| a);
            return vec![self.align_up(rd, first)];
        }
        out
    }

    fn slot(&self, rd: usize, start: i64) -> Slot {
        Slot { room: rd / self.days(), day: rd % self.days(), start }
    }

    /// Cost of session s at `at` against everything else placed (excluding its track terms).
    fn local_cost(&self, s: usize, at: Slot) -> f64 {
        let p = self.p;
        let w = &p.weights;
        let session = &p.sessions[s];
        let mut cost = self.hard * p.unary(s, at).total() as f64;
        if self.move_weight > 0.0 && self.anchor[s].is_some_and(|a| a != at) {
            cost += self.move_weight;
        }
        if let Some(pref) = &session.preferred
            && !pref[at.day]
        {
            cost += w.preferred_day;
        }
        let (a, b) = (at.start, at.start + session.minutes);
        let overlaps = |t: usize| -> bool {
            match self.slots[t] {
                Some(x) if t != s && x.day == at.day => x.start < b && a < x.start + p.sessions[t].minutes,
                _ => false,
            }
        };
        for &t in &self.occupants[at.room * self.days() + at.day] {
            if overlaps(t) {
                cost += self.hard;
            }
        }
        for &t in &self.sharing_person[s] {
            if overlaps(t) {
                cost += self.hard;
            }
        }
        for &t in &self.same_theme[s] {
            if overlaps(t) {
                cost += w.theme_parallel;
            }
        }
        if session.main {
            for &t in &self.mains {
                if overlaps(t) {
                    cost += w.main_parallel;
                }
            }
        }
        cost
    }

    fn track_cost(&self, k: usize) -> f64 {
        let row = &self.track_day[k];
        let spread = row.iter().max().unwrap_or(&0) - row.iter().min().unwrap_or(&0);
        self.p.weights.track_day_spread * spread as f64
            + self.p.weights.track_rooms * (self.track_rooms_used[k] - 1).max(0) as f64
    }

    fn bump_track(&mut self, s: usize, at: Slot, by: i64) -> f64 {
        let Some(k) = self.p.sessions[s].track else { return 0.0 };
        let before = self.track_cost(k);
        self.track_day[k][at.day] += by;
        let room = &mut self.track_room[k][at.room];
        let was_used = *room > 0;
        *room += by;
        match (was_used, *room > 0) {
            (false, true) => self.track_rooms_used[k] += 1,
            (true, false) => self.track_rooms_used[k] -= 1,
            _ => {}
        }
        self.track_cost(k) - before
    }

    fn remove(&mut self, s: usize) {
        let Some(at) = self.slots[s] else { return };
        let local = self.local_cost(s, at);
        let rd = at.room * self.days() + at.day;
        if let Some(i) = self.occupants[rd].iter().position(|&o| o == s) {
            self.occupants[rd].swap_remove(i);
        }
        self.slots[s] = None;
        let track = self.bump_track(s, at, -1);
        self.cost += self.hard - local + track;
    }

    fn insert(&mut self, s: usize, at: Slot) {
        debug_assert!(self.slots[s].is_none());
        let local = self.local_cost(s, at);
        let rd = at.room * self.days() + at.day;
        self.occupants[rd].push(s);
        self.slots[s] = Some(at);
        let track = self.bump_track(s, at, 1);
        self.cost += local + track - self.hard;
    }

    fn place(&mut self, s: usize, to: Option<Slot>) {
        self.remove(s);
        if let Some(at) = to {
            self.insert(s, at);
        }
    }

    /// What inserting s at `at` would add, without doing it.
    fn insert_delta(&mut self, s: usize, at: Slot) -> f64 {
        let local = self.local_cost(s, at);
        let track = if self.p.sessions[s].track.is_some() {
            let d = self.bump_track(s, at, 1);
            self.bump_track(s, at, -1);
            d
        } else {
            0.0
        };
        local + track - self.hard
    }

    fn construct(&mut self) {
        let p = self.p;
        let mut order: Vec<usize> = (0..p.sessions.len()).collect();
        let pins = |s: usize| {
            let x = &p.sessions[s];
            x.pin_room.is_some() as u8 + x.pin_day.is_some() as u8 + x.pin_start.is_some() as u8
        };
        order.sort_by_key(|&s| {
            let x = &p.sessions[s];
            (
                std::cmp::Reverse(pins(s)),
                std::cmp::Reverse(x.people.len().min(3)),
                self.candidates[s].len(),
                std::cmp::Reverse(x.minutes),
                s,
            )
        });
        for s in order {
            if self.slots[s].is_some() {
                continue;
            }
            let mut best: Option<(f64, i64, Slot)> = None;
            for i in 0..self.candidates[s].len() {
                let rd = self.candidates[s][i];
                let used: i64 = self.occupants[rd].iter().map(|&o| p.sessions[o].minutes).sum();
                let free: i64 = self.segments[rd].iter().map(|&(a, b)| b - a).sum::<i64>() - used;
                for t in self.packing_starts(s, rd) {
                    let at = self.slot(rd, t);
                    let delta = self.insert_delta(s, at);
                    let better = match best {
                        None => true,
                        Some((c, f, _)) => delta < c - 1e-9 || (delta <= c + 1e-9 && free < f),
                    };
                    if better {
                        best = Some((delta, free, at));
                    }
                }
            }
            if let Some((delta, _, at)) = best
                && delta < 0.0
            {
                self.insert(s, at);
            }
        }
    }

    /// A session in trouble, if a few random picks find one; else any session.
    fn pick_session(&self, rng: &mut SplitMix64) -> usize {
        let n = self.p.sessions.len();
        for _ in 0..6 {
            let s = rng.below(n);
            match self.slots[s] {
                None => return s,
                Some(at) if self.local_cost(s, at) >= self.hard => return s,
                _ => {}
            }
        }
        rng.below(n)
    }

    fn try_move(&mut self, rng: &mut SplitMix64) -> Option<Undo> {
        let s = self.pick_session(rng);
        if self.candidates[s].is_empty() {
            return None;
        }
        let rd = *rng.pick(&self.candidates[s]);
        let start = if rng.chance(0.5) {
            *rng.pick(&self.packing_starts(s, rd))
        } else {
            let starts = self.valid_starts(s, rd);
            if starts.is_empty() { *rng.pick(&self.packing_starts(s, rd)) } else { *rng.pick(&starts) }
        };
        let to = Some(self.slot(rd, start));
        let from = self.slots[s];
        if from == to {
            return None;
        }
        self.place(s, to);
        Some(Undo { moved: [(s, from), (s, from)], count: 1 })
    }

    fn try_swap(&mut self, rng: &mut SplitMix64) -> Option<Undo> {
        let s = self.pick_session(rng);
        let t = rng.below(self.p.sessions.len());
        let (a, b) = (self.slots[s], self.slots[t]);
        if s == t || a == b {
            return None;
        }
        let rd = |x: Option<Slot>| x.map(|x| x.room * self.days() + x.day);
        let allowed = |who: usize, x: Option<Slot>| rd(x).is_none_or(|rd| self.candidates[who].contains(&rd));
        if !allowed(s, b) || !allowed(t, a) {
            return None;
        }
        // Keep starts valid when lengths differ: the later one starts where the pair's first ended.
        let (mut to_s, mut to_t) = (b, a);
        if let (Some(x), Some(y)) = (a, b)
            && x.room == y.room
            && x.day == y.day
        {
            let (first, second) = if x.start <= y.start { (s, t) } else { (t, s) };
            let begin = x.start.min(y.start);
            let second_start = self.align_up(rd(a).unwrap_or(0), begin + self.p.sessions[second].minutes);
            let (fs, ss) = (Slot { start: begin, ..x }, Slot { start: second_start, ..x });
            if first == s {
                to_t = Some(fs);
                to_s = Some(ss);
            } else {
                to_s = Some(fs);
                to_t = Some(ss);
            }
        }
        self.remove(s);
        self.remove(t);
        if let Some(x) = to_s {
            self.insert(s, x);
        }
        if let Some(x) = to_t {
            self.insert(t, x);
        }
        Some(Undo { moved: [(s, a), (t, b)], count: 2 })
    }

    fn revert(&mut self, undo: Undo) {
        for &(s, _) in &undo.moved[..undo.count] {
            self.remove(s);
        }
        for &(s, at) in &undo.moved[..undo.count] {
            if let Some(at) = at {
                self.insert(s, at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timetable::evaluate;

    fn instance(json: serde_json::Value) -> Problem {
        Problem::new(&serde_json::from_value(json).expect("instance")).expect("valid")
    }

    #[test]
    fn incremental_cost_matches_a_recount() {
        let p = instance(serde_json::json!({
            "grid_minutes": 30,
            "days": [{"id": "d1", "start": "09:00", "end": "12:00"}, {"id": "d2", "start": "09:00", "end": "12:00"}],
            "rooms": [{"id": "a"}, {"id": "b", "available": {"d1": [{"start": "09:00", "end": "11:00"}]}}],
            "sessions": [
                {"id": "s1", "minutes": 60, "people": ["x"], "theme": "ai", "track": "t"},
                {"id": "s2", "minutes": 60, "people": ["x"], "theme": "ai", "track": "t", "preferred_days": ["d2"]},
                {"id": "s3", "minutes": 90, "kind": "main", "track": "u"},
                {"id": "s4", "minutes": 30, "kind": "main", "people": ["y"]}
            ]
        }));
        let mut state = State::new(&p);
        let mut rng = SplitMix64::new(3);
        state.construct();
        for _ in 0..2000 {
            let before = state.slots.clone();
            let undo = if rng.chance(0.5) { state.try_move(&mut rng) } else { state.try_swap(&mut rng) };
            let e = evaluate(&p, &state.slots);
            let expected = state.hard * e.hard.total() as f64 + e.score;
            assert!((state.cost - expected).abs() < 1e-6, "{} vs {expected}", state.cost);
            if let Some(undo) = undo
                && rng.chance(0.5)
            {
                state.revert(undo);
                assert_eq!(state.slots, before);
            }
        }
    }
}
