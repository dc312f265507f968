//! Exhaustive search over every clean placement (no unary violation), with pruning on room and
//! speaker clashes: the exact optimum for instances small enough, to measure the timetabler by.

use super::{Problem, Slot, evaluate};

/// The best timetable without hard violations, or None when no such timetable exists (or the
/// search would visit more than `limit` partial timetables).
pub fn exhaustive(p: &Problem, limit: u64) -> Option<(Vec<Option<Slot>>, f64)> {
    let options: Vec<Vec<Slot>> = (0..p.sessions.len())
        .map(|s| {
            let mut out = Vec::new();
            for room in 0..p.rooms.len() {
                for day in 0..p.days.len() {
                    let d = &p.days[day];
                    let mut t = d.start;
                    while t + p.sessions[s].minutes <= d.end {
                        let at = Slot { room, day, start: t };
                        if p.unary(s, at).total() == 0 {
                            out.push(at);
                        }
                        t += p.grid;
                    }
                }
            }
            out
        })
        .collect();
    let mut search = Search { p, options, slots: vec![None; p.sessions.len()], best: None, visited: 0, limit };
    search.go(0);
    if search.visited > limit {
        return None;
    }
    search.best
}

struct Search<'a> {
    p: &'a Problem,
    options: Vec<Vec<Slot>>,
    slots: Vec<Option<Slot>>,
    best: Option<(Vec<Option<Slot>>, f64)>,
    visited: u64,
    limit: u64,
}

impl Search<'_> {
    fn go(&mut self, s: usize) {
        self.visited += 1;
        if self.visited > self.limit {
            return;
        }
        if s == self.slots.len() {
            let e = evaluate(self.p, &self.slots);
            if e.hard.total() == 0 && self.best.as_ref().is_none_or(|(_, b)| e.score < *b) {
                self.best = Some((self.slots.clone(), e.score));
            }
            return;
        }
        for i in 0..self.options[s].len() {
            let at = self.options[s][i];
            let clash = (0..s).any(|t| {
                let b = self.slots[t].expect("placed before");
                let overlap = at.day == b.day
                    && at.start < b.start + self.p.sessions[t].minutes
                    && b.start < at.start + self.p.sessions[s].minutes;
                overlap
                    && (at.room == b.room
                        || self.p.sessions[s].people.iter().any(|x| self.p.sessions[t].people.contains(x)))
            });
            if clash {
                continue;
            }
            self.slots[s] = Some(at);
            self.go(s + 1);
            self.slots[s] = None;
        }
    }
}
