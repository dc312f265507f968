//! Roundtable seating: every invitee gets a seat, pinned seats are kept, and tables mix
//! stakeholder groups and regions. The score (lower is better) counts, per table, the pairs
//! sharing a group and the pairs sharing a region, weighted.
//!
//! A greedy start (pinned people first, then the most constrained groups) is improved by
//! moves and swaps until nothing improves or the time is up. A lower bound that spreads each
//! group and each region as evenly as the tables allow says how far from optimal a seating can
//! be at most; the search stops early when it reaches it.

use crate::budget::{Budget, Clock};
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::rng::SplitMix64;

#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub tables: Vec<Table>,
    pub people: Vec<Person>,
    #[serde(default)]
    pub weights: Option<Weights>,
    /// Pairs of people who sat together before (an earlier round): seating them together
    /// again costs `weights.same_table_again` per pair, so a second round meets new people.
    #[serde(default)]
    pub met: Vec<[String; 2]>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Table {
    pub id: String,
    pub seats: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Person {
    pub id: String,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub pinned_table: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Weights {
    #[serde(default = "default_same_group")]
    pub same_group: f64,
    #[serde(default = "default_same_region")]
    pub same_region: f64,
    #[serde(default = "default_same_table_again")]
    pub same_table_again: f64,
}

fn default_same_table_again() -> f64 {
    5.0
}

fn default_same_group() -> f64 {
    10.0
}

fn default_same_region() -> f64 {
    1.0
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            same_group: default_same_group(),
            same_region: default_same_region(),
            same_table_again: default_same_table_again(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableSeating {
    pub table: String,
    pub people: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Seating {
    pub seating: Vec<TableSeating>,
    pub unseated: Vec<String>,
    pub score: f64,
    /// No seating can score below this.
    pub lower_bound: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SeatError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Infeasible(String),
}

/// Pairs among `n` people.
fn pairs(n: usize) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

struct Model {
    weights: Weights,
    seats: Vec<usize>,
    group: Vec<Option<usize>>,
    region: Vec<Option<usize>>,
    pinned: Vec<Option<usize>>,
    groups: usize,
    regions: usize,
    /// For each person, the people they met before.
    met: Vec<Vec<usize>>,
}

fn intern(values: impl Iterator<Item = Option<String>>) -> (Vec<Option<usize>>, usize) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let ids = values
        .map(|v| {
            v.map(|v| {
                let next = index.len();
                *index.entry(v).or_insert(next)
            })
        })
        .collect();
    (ids, index.len())
}

fn model(instance: &Instance) -> Result<Model, SeatError> {
    let mut table_index = HashMap::new();
    for (i, t) in instance.tables.iter().enumerate() {
        if table_index.insert(t.id.as_str(), i).is_some() {
            return Err(SeatError::Invalid(format!("tables[{i}].id: {:?} appears twice", t.id)));
        }
    }
    let mut seen = HashMap::new();
    for (i, p) in instance.people.iter().enumerate() {
        if seen.insert(p.id.as_str(), i).is_some() {
            return Err(SeatError::Invalid(format!("people[{i}].id: {:?} appears twice", p.id)));
        }
    }
    let pinned = instance
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| match &p.pinned_table {
            Some(t) => table_index
                .get(t.as_str())
                .copied()
                .map(Some)
                .ok_or_else(|| SeatError::Invalid(format!("people[{i}].pinned_table: no table {t:?}"))),
            None => Ok(None),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let weights = instance.weights.unwrap_or_default();
    if !weights.same_group.is_finite() || !weights.same_region.is_finite() || !weights.same_table_again.is_finite() {
        return Err(SeatError::Invalid("weights: not finite numbers".into()));
    }
    let mut met = vec![Vec::new(); instance.people.len()];
    for (i, [a, b]) in instance.met.iter().enumerate() {
        let find = |id: &String| {
            seen.get(id.as_str()).copied().ok_or_else(|| SeatError::Invalid(format!("met[{i}]: no person {id:?}")))
        };
        let (a, b) = (find(a)?, find(b)?);
        if a != b && !met[a].contains(&b) {
            met[a].push(b);
            met[b].push(a);
        }
    }
    let (group, groups) = intern(instance.people.iter().map(|p| p.group.clone()));
    let (region, regions) = intern(instance.people.iter().map(|p| p.region.clone()));
    Ok(Model {
        weights,
        seats: instance.tables.iter().map(|t| t.seats).collect(),
        group,
        region,
        pinned,
        groups,
        regions,
        met,
    })
}

/// The score of a seating, counted from scratch.
pub fn score(instance: &Instance, seating: &[TableSeating]) -> f64 {
    let weights = instance.weights.unwrap_or_default();
    let by_id: HashMap<&str, &Person> = instance.people.iter().map(|p| (p.id.as_str(), p)).collect();
    let table_of: HashMap<&str, usize> =
        seating.iter().enumerate().flat_map(|(t, s)| s.people.iter().map(move |id| (id.as_str(), t))).collect();
    let mut pairs_met: Vec<(&str, &str)> = instance
        .met
        .iter()
        .filter(|[a, b]| a != b)
        .map(|[a, b]| if a < b { (a.as_str(), b.as_str()) } else { (b.as_str(), a.as_str()) })
        .collect();
    pairs_met.sort();
    pairs_met.dedup();
    let mut total = weights.same_table_again
        * pairs_met.iter().filter(|(a, b)| table_of.get(a).is_some_and(|t| table_of.get(b) == Some(t))).count() as f64;
    for table in seating {
        let mut groups: HashMap<&str, usize> = HashMap::new();
        let mut regions: HashMap<&str, usize> = HashMap::new();
        for id in &table.people {
            if let Some(p) = by_id.get(id.as_str()) {
                if let Some(g) = &p.group {
                    *groups.entry(g).or_default() += 1;
                }
                if let Some(r) = &p.region {
                    *regions.entry(r).or_default() += 1;
                }
            }
        }
        total += weights.same_group * groups.values().map(|&n| pairs(n)).sum::<f64>();
        total += weights.same_region * regions.values().map(|&n| pairs(n)).sum::<f64>();
    }
    total
}

/// Spreading `count` people over tables of these sizes as evenly as the seats allow: the
/// fewest same-kind pairs there can be.
fn spread_bound(count: usize, seats: &[usize]) -> f64 {
    let mut at = vec![0usize; seats.len()];
    for _ in 0..count {
        // Put the next one where it adds the fewest pairs and there is room.
        match (0..seats.len()).filter(|&t| at[t] < seats[t]).min_by_key(|&t| at[t]) {
            Some(t) => at[t] += 1,
            None => break,
        }
    }
    at.iter().map(|&n| pairs(n)).sum()
}

fn lower_bound(m: &Model) -> f64 {
    let mut group_sizes = vec![0usize; m.groups];
    for g in m.group.iter().flatten() {
        group_sizes[*g] += 1;
    }
    let mut region_sizes = vec![0usize; m.regions];
    for r in m.region.iter().flatten() {
        region_sizes[*r] += 1;
    }
    m.weights.same_group * group_sizes.iter().map(|&c| spread_bound(c, &m.seats)).sum::<f64>()
        + m.weights.same_region * region_sizes.iter().map(|&c| spread_bound(c, &m.seats)).sum::<f64>()
}

struct State<'a> {
    m: &'a Model,
    table_of: Vec<usize>,
    size: Vec<usize>,
    /// group_count[t * groups + g]
    group_count: Vec<usize>,
    region_count: Vec<usize>,
}

impl State<'_> {
    /// The change in score if person `p` joins table `t` (counts exclude p).
    fn join_cost(&self, p: usize, t: usize) -> f64 {
        let m = self.m;
        let g = m.group[p].map_or(0.0, |g| self.group_count[t * m.groups + g] as f64);
        let r = m.region[p].map_or(0.0, |r| self.region_count[t * m.regions + r] as f64);
        let again = m.met[p].iter().filter(|&&q| self.table_of[q] == t).count() as f64;
        m.weights.same_group * g + m.weights.same_region * r + m.weights.same_table_again * again
    }

    fn add(&mut self, p: usize, t: usize) {
        let m = self.m;
        self.table_of[p] = t;
        self.size[t] += 1;
        if let Some(g) = m.group[p] {
            self.group_count[t * m.groups + g] += 1;
        }
        if let Some(r) = m.region[p] {
            self.region_count[t * m.regions + r] += 1;
        }
    }

    fn remove(&mut self, p: usize) {
        let m = self.m;
        let t = self.table_of[p];
        self.size[t] -= 1;
        if let Some(g) = m.group[p] {
            self.group_count[t * m.groups + g] -= 1;
        }
        if let Some(r) = m.region[p] {
            self.region_count[t * m.regions + r] -= 1;
        }
        self.table_of[p] = usize::MAX;
    }

    fn total(&self) -> f64 {
        let m = self.m;
        let g: f64 = self.group_count.iter().map(|&n| pairs(n)).sum();
        let r: f64 = self.region_count.iter().map(|&n| pairs(n)).sum();
        let again = (0..m.met.len())
            .flat_map(|p| m.met[p].iter().map(move |&q| (p, q)))
            .filter(|&(p, q)| p < q && self.table_of[p] == self.table_of[q] && self.table_of[p] != usize::MAX)
            .count() as f64;
        m.weights.same_group * g + m.weights.same_region * r + m.weights.same_table_again * again
    }
}

/// Seats everyone, searching for at most `budget` (a step is one sweep of swaps for one person).
pub fn solve(instance: &Instance, budget: impl Into<Budget>) -> Result<Seating, SeatError> {
    let m = model(instance)?;
    let n_t = instance.tables.len();
    let n_p = instance.people.len();
    let seats: usize = m.seats.iter().sum();
    if seats < n_p {
        return Err(SeatError::Infeasible(format!("{n_p} people but {seats} seats: {} seat(s) short", n_p - seats)));
    }
    let mut pinned_at = vec![0usize; n_t];
    for t in m.pinned.iter().flatten() {
        pinned_at[*t] += 1;
    }
    for (t, &n) in pinned_at.iter().enumerate() {
        if n > m.seats[t] {
            return Err(SeatError::Infeasible(format!(
                "table {:?} has {} seats but {n} people are pinned to it",
                instance.tables[t].id, m.seats[t]
            )));
        }
    }
    let lower_bound = lower_bound(&m);
    let mut clock = Clock::start(budget);
    let mut state = State {
        m: &m,
        table_of: vec![usize::MAX; n_p],
        size: vec![0; n_t],
        group_count: vec![0; n_t * m.groups.max(1)],
        region_count: vec![0; n_t * m.regions.max(1)],
    };
    // Pinned first; then people of the largest groups, each where they add least.
    for p in 0..n_p {
        if let Some(t) = m.pinned[p] {
            state.add(p, t);
        }
    }
    let mut group_sizes = vec![0usize; m.groups];
    for g in m.group.iter().flatten() {
        group_sizes[*g] += 1;
    }
    let mut order: Vec<usize> = (0..n_p).filter(|&p| m.pinned[p].is_none()).collect();
    order.sort_by_key(|&p| std::cmp::Reverse(m.group[p].map_or(0, |g| group_sizes[g])));
    for &p in &order {
        let t = (0..n_t)
            .filter(|&t| state.size[t] < m.seats[t])
            .min_by(|&a, &b| {
                state.join_cost(p, a).total_cmp(&state.join_cost(p, b)).then(state.size[a].cmp(&state.size[b]))
            })
            .ok_or_else(|| SeatError::Infeasible("no seat left".into()))?;
        state.add(p, t);
    }

    // Local search: move one person to a table with room, or swap two people at different
    // tables, whenever it lowers the score; pinned people stay.
    let movable: Vec<usize> = (0..n_p).filter(|&p| m.pinned[p].is_none()).collect();
    let mut rng = SplitMix64::new(0x5ea7);
    let mut current = state.total();
    let mut best = (current, state.table_of.clone());
    let mut stale = 0usize;
    while !clock.is_spent() && best.0 > lower_bound + 1e-9 && !movable.is_empty() {
        let mut improved = false;
        for &p in &movable {
            let from = state.table_of[p];
            let leave = {
                state.remove(p);
                let c = state.join_cost(p, from);
                state.add(p, from);
                c
            };
            for t in 0..n_t {
                if t != from && state.size[t] < m.seats[t] {
                    let delta = state.join_cost(p, t) - leave;
                    if delta < -1e-12 {
                        state.remove(p);
                        state.add(p, t);
                        current += delta;
                        improved = true;
                        break;
                    }
                }
            }
        }
        for i in 0..movable.len() {
            for j in (i + 1)..movable.len() {
                let (p, q) = (movable[i], movable[j]);
                let (tp, tq) = (state.table_of[p], state.table_of[q]);
                if tp == tq {
                    continue;
                }
                let before = current;
                state.remove(p);
                state.remove(q);
                let delta = {
                    // Cost of p at tq and q at tp, minus cost of p at tp and q at tq.
                    let old = state.join_cost(p, tp) + state.join_cost(q, tq);
                    let new = state.join_cost(p, tq) + state.join_cost(q, tp);
                    new - old
                };
                if delta < -1e-12 {
                    state.add(p, tq);
                    state.add(q, tp);
                    current = before + delta;
                    improved = true;
                } else {
                    state.add(p, tp);
                    state.add(q, tq);
                }
            }
            clock.step();
            if clock.is_spent() {
                break;
            }
        }
        if current < best.0 - 1e-12 {
            best = (current, state.table_of.clone());
            stale = 0;
        }
        if !improved {
            // A local optimum: shake a few unpinned people and search again.
            stale += 1;
            if stale > 50 {
                break;
            }
            for _ in 0..(movable.len() / 10).max(2) {
                let p = movable[rng.below(movable.len())];
                let q = movable[rng.below(movable.len())];
                let (tp, tq) = (state.table_of[p], state.table_of[q]);
                if tp != tq {
                    state.remove(p);
                    state.remove(q);
                    state.add(p, tq);
                    state.add(q, tp);
                }
            }
            current = state.total();
        }
    }
    let table_of = best.1;
    let mut seating: Vec<TableSeating> =
        instance.tables.iter().map(|t| TableSeating { table: t.id.clone(), people: Vec::new() }).collect();
    for (p, &t) in table_of.iter().enumerate() {
        seating[t].people.push(instance.people[p].id.clone());
    }
    let score = score(instance, &seating);
    Ok(Seating { seating, unseated: Vec::new(), score, lower_bound })
}
