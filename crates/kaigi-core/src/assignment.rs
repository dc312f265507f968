//! Evaluator assignment: every proposal gets exactly `per_proposal` distinct evaluators, no
//! evaluator sees a proposal from their own organisation, nobody exceeds their capacity, and the
//! total affinity is as large as it can be.
//!
//! The problem is a min-cost flow (source → proposal → evaluator → sink), solved exactly by
//! successive shortest paths with potentials. Every augmenting path alternates proposals and
//! evaluators, so the search runs on a small graph over the evaluators only: the edge e → e'
//! stands for moving the best proposal from e to e', kept up to date as assignments change.
//! With 100 evaluators a search is a dense Dijkstra over 100 nodes, whatever the number of
//! proposals.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use serde::{Deserialize, Serialize};

/// Fields other than these are ignored, and optional lists may also be `null`.
#[derive(Debug, Clone, Deserialize)]
pub struct Instance {
    pub per_proposal: usize,
    pub evaluators: Vec<Evaluator>,
    pub proposals: Vec<Proposal>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub affinity: Vec<Affinity>,
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, Deserialize)]
pub struct Evaluator {
    pub id: String,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub capacity: Option<usize>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Proposal {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub organisations: Vec<String>,
    #[serde(default)]
    pub theme: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Affinity {
    pub evaluator: String,
    pub proposal: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Solution {
    pub assignments: Vec<ProposalAssignment>,
    pub objective: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProposalAssignment {
    pub proposal: String,
    pub evaluators: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    /// The input does not describe an instance (CLI exit 2).
    #[error("{0}")]
    Invalid(String),
    /// No assignment meets the rules (CLI exit 3).
    #[error("{0}")]
    Infeasible(String),
}

/// The instance in numbers: who may evaluate what, and what each pair is worth.
pub struct Prepared {
    pub k: usize,
    pub n_e: usize,
    pub n_p: usize,
    /// eligible[p * n_e + e]
    pub eligible: Vec<bool>,
    /// affinity[p * n_e + e]
    pub affinity: Vec<f64>,
    pub capacity: Vec<usize>,
    /// How many more evaluators each proposal needs (k, less any fixed in advance).
    pub need: Vec<usize>,
}

/// Checks the instance and computes eligibility, affinities and capacities.
pub fn prepare(instance: &Instance) -> Result<Prepared, AssignError> {
    let n_e = instance.evaluators.len();
    let n_p = instance.proposals.len();
    let k = instance.per_proposal;
    let mut evaluator_index = HashMap::new();
    for (i, e) in instance.evaluators.iter().enumerate() {
        if evaluator_index.insert(e.id.as_str(), i).is_some() {
            return Err(AssignError::Invalid(format!("evaluators[{i}].id: {:?} appears twice", e.id)));
        }
    }
    let mut proposal_index = HashMap::new();
    for (i, p) in instance.proposals.iter().enumerate() {
        if proposal_index.insert(p.id.as_str(), i).is_some() {
            return Err(AssignError::Invalid(format!("proposals[{i}].id: {:?} appears twice", p.id)));
        }
    }
    let default_capacity = if n_e == 0 { 0 } else { (n_p * k).div_ceil(n_e) };
    let capacity: Vec<usize> = instance.evaluators.iter().map(|e| e.capacity.unwrap_or(default_capacity)).collect();
    let mut eligible = vec![false; n_p * n_e];
    let mut affinity = vec![0.0; n_p * n_e];
    for (p, proposal) in instance.proposals.iter().enumerate() {
        for (e, evaluator) in instance.evaluators.iter().enumerate() {
            let conflicted = evaluator.organisation.as_ref().is_some_and(|o| proposal.organisations.contains(o));
            eligible[p * n_e + e] = !conflicted;
            let theme_match = proposal.theme.as_ref().is_some_and(|t| evaluator.themes.contains(t));
            affinity[p * n_e + e] = if theme_match { 1.0 } else { 0.0 };
        }
    }
    // A listed score replaces the theme rule for its pair (the last listing wins).
    for (i, a) in instance.affinity.iter().enumerate() {
        let e = *evaluator_index
            .get(a.evaluator.as_str())
            .ok_or_else(|| AssignError::Invalid(format!("affinity[{i}].evaluator: no evaluator {:?}", a.evaluator)))?;
        let p = *proposal_index
            .get(a.proposal.as_str())
            .ok_or_else(|| AssignError::Invalid(format!("affinity[{i}].proposal: no proposal {:?}", a.proposal)))?;
        if !a.score.is_finite() {
            return Err(AssignError::Invalid(format!("affinity[{i}].score: not a finite number")));
        }
        affinity[p * n_e + e] = a.score;
    }
    Ok(Prepared { k, n_e, n_p, eligible, affinity, capacity, need: vec![k; n_p] })
}

/// Reasons an instance cannot be solved that show before solving.
fn obvious_infeasibility(instance: &Instance, prep: &Prepared) -> Option<String> {
    let Prepared { n_e, n_p, .. } = *prep;
    for (p, proposal) in instance.proposals.iter().enumerate() {
        let k = prep.need[p];
        let available = (0..n_e).filter(|&e| prep.eligible[p * n_e + e] && prep.capacity[e] > 0).count();
        if available < k {
            return Some(format!(
                "proposal {:?} has only {available} evaluator(s) without a conflict of interest (and with capacity); it needs {k}",
                proposal.id
            ));
        }
    }
    let total: usize = prep.capacity.iter().sum();
    let needed: usize = prep.need.iter().sum();
    if total < needed {
        return Some(format!(
            "the evaluators' total capacity is {total} but {n_p} proposals × {} need {needed}: short by {}",
            prep.k,
            needed - total
        ));
    }
    None
}

#[derive(PartialEq)]
struct Candidate {
    score: f64,
    proposal: usize,
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then_with(|| other.proposal.cmp(&self.proposal))
    }
}

/// Solves the instance exactly.
pub fn solve(instance: &Instance) -> Result<Solution, AssignError> {
    let prep = prepare(instance)?;
    if let Some(reason) = obvious_infeasibility(instance, &prep) {
        return Err(AssignError::Infeasible(reason));
    }
    let chosen = solve_prepared(&prep).map_err(|unfilled| {
        let names: Vec<&str> = unfilled.iter().take(10).map(|&p| instance.proposals[p].id.as_str()).collect();
        AssignError::Infeasible(format!(
            "no assignment gives every proposal {} evaluators within the capacities and conflicts: {} proposal(s) stay short, e.g. {}",
            prep.k,
            unfilled.len(),
            names.join(", ")
        ))
    })?;
    let mut objective = 0.0;
    let assignments = chosen
        .iter()
        .enumerate()
        .map(|(p, evaluators)| {
            let mut evaluators = evaluators.clone();
            evaluators.sort_unstable();
            objective += evaluators.iter().map(|&e| prep.affinity[p * prep.n_e + e]).sum::<f64>();
            ProposalAssignment {
                proposal: instance.proposals[p].id.clone(),
                evaluators: evaluators.iter().map(|&e| instance.evaluators[e].id.clone()).collect(),
            }
        })
        .collect();
    Ok(Solution { assignments, objective })
}

/// Solves with some pairs decided in advance: `fixed` (evaluator, proposal) pairs are kept —
/// manual overrides, or the assignments that stay when only some proposals are reassigned —
/// and `excluded` pairs are never chosen (conflicts an evaluator declared). Everything else is
/// assigned exactly optimally around them, so the result is optimal among the assignments
/// that keep the fixed pairs.
pub fn solve_around(
    instance: &Instance,
    fixed: &[(String, String)],
    excluded: &[(String, String)],
) -> Result<Solution, AssignError> {
    let mut prep = prepare(instance)?;
    let n_e = prep.n_e;
    let evaluator: HashMap<&str, usize> =
        instance.evaluators.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let proposal: HashMap<&str, usize> =
        instance.proposals.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let find = |what: &str, e: &str, p: &str| -> Result<(usize, usize), AssignError> {
        match (evaluator.get(e), proposal.get(p)) {
            (Some(&e), Some(&p)) => Ok((e, p)),
            _ => {
                Err(AssignError::Invalid(format!("{what} pair ({e:?}, {p:?}) names an unknown evaluator or proposal")))
            }
        }
    };
    for (e, p) in excluded {
        let (e, p) = find("excluded", e, p)?;
        prep.eligible[p * n_e + e] = false;
    }
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); prep.n_p];
    for (e_id, p_id) in fixed {
        let (e, p) = find("fixed", e_id, p_id)?;
        if held[p].contains(&e) {
            continue;
        }
        if !prep.eligible[p * n_e + e] {
            return Err(AssignError::Infeasible(format!(
                "{e_id:?} cannot keep {p_id:?}: a conflict of interest (organisation or declared)"
            )));
        }
        if prep.need[p] == 0 {
            return Err(AssignError::Infeasible(format!("{p_id:?} has more fixed evaluators than {}", prep.k)));
        }
        if prep.capacity[e] == 0 {
            return Err(AssignError::Infeasible(format!("{e_id:?} is over capacity with the fixed assignments")));
        }
        prep.eligible[p * n_e + e] = false;
        prep.need[p] -= 1;
        prep.capacity[e] -= 1;
        held[p].push(e);
    }
    if let Some(reason) = obvious_infeasibility(instance, &prep) {
        return Err(AssignError::Infeasible(reason));
    }
    let chosen = solve_prepared(&prep).map_err(|unfilled| {
        let names: Vec<&str> = unfilled.iter().take(10).map(|&p| instance.proposals[p].id.as_str()).collect();
        AssignError::Infeasible(format!(
            "{} proposal(s) cannot get {} evaluators, e.g. {}",
            unfilled.len(),
            prep.k,
            names.join(", ")
        ))
    })?;
    let mut objective = 0.0;
    let assignments = chosen
        .into_iter()
        .zip(held)
        .enumerate()
        .map(|(p, (mut evaluators, kept))| {
            evaluators.extend(kept);
            evaluators.sort_unstable();
            objective += evaluators.iter().map(|&e| prep.affinity[p * n_e + e]).sum::<f64>();
            ProposalAssignment {
                proposal: instance.proposals[p].id.clone(),
                evaluators: evaluators.iter().map(|&e| instance.evaluators[e].id.clone()).collect(),
            }
        })
        .collect();
    Ok(Solution { assignments, objective })
}

/// The evaluators chosen for each proposal, or the proposals that could not be filled.
pub fn solve_prepared(prep: &Prepared) -> Result<Vec<Vec<usize>>, Vec<usize>> {
    let Prepared { k, n_e, n_p, .. } = *prep;
    let need = &prep.need;
    let idx = |p: usize, e: usize| p * n_e + e;
    let a = |p: usize, e: usize| prep.affinity[idx(p, e)];
    let mut assigned = vec![false; n_p * n_e];
    let mut count = vec![0usize; n_p];
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); n_e];
    let mut load = vec![0usize; n_e];

    // Candidates for a new assignment, best first, cleaned lazily.
    let mut entries: Vec<BinaryHeap<Candidate>> = (0..n_e)
        .map(|e| {
            (0..n_p).filter(|&p| prep.eligible[idx(p, e)]).map(|p| Candidate { score: a(p, e), proposal: p }).collect()
        })
        .collect();

    // Potentials make every reduced cost non-negative. Costs are negated affinities; at the
    // start the only edges are source → proposal → evaluator → sink.
    let mut pi = vec![0.0f64; n_e];
    for (e, p_e) in pi.iter_mut().enumerate() {
        *p_e = entries[e].peek().map_or(0.0, |c| -c.score);
    }
    let mut pi_sink = pi.iter().copied().fold(0.0f64, f64::min);

    // moves[e][e'] = (cost, proposal): the cheapest proposal e holds that e' could take. Kept up
    // to date event by event: a proposal joining or leaving an evaluator changes only that
    // evaluator's row and column, and a full rescan is needed only where the best one left.
    const NONE: usize = usize::MAX;
    let mut moves = Moves { n_e, cost: vec![f64::INFINITY; n_e * n_e], via: vec![NONE; n_e * n_e] };
    let total: usize = need.iter().sum();
    let mut dist = vec![f64::INFINITY; n_e];
    let mut prev = vec![NONE; n_e];
    let mut done = vec![false; n_e];
    let mut entry_via = vec![NONE; n_e];
    for _ in 0..total {
        // Source edges: the best unfilled proposal each evaluator could take.
        for e in 0..n_e {
            entry_via[e] = NONE;
            while let Some(top) = entries[e].peek() {
                let p = top.proposal;
                if count[p] >= need[p] || assigned[idx(p, e)] {
                    entries[e].pop();
                } else {
                    entry_via[e] = p;
                    break;
                }
            }
            dist[e] = if entry_via[e] == NONE { f64::INFINITY } else { (-a(entry_via[e], e) - pi[e]).max(0.0) };
            prev[e] = NONE;
            done[e] = false;
        }
        // Dense Dijkstra over the evaluators, then to the sink.
        let mut sink = (f64::INFINITY, NONE);
        loop {
            let mut u = NONE;
            let mut best = f64::INFINITY;
            for e in 0..n_e {
                if !done[e] && dist[e] < best {
                    best = dist[e];
                    u = e;
                }
            }
            if u == NONE || best >= sink.0 {
                break;
            }
            done[u] = true;
            if load[u] < prep.capacity[u] {
                let d = best + (pi[u] - pi_sink).max(0.0);
                if d < sink.0 {
                    sink = (d, u);
                }
            }
            for v in 0..n_e {
                let c = moves.cost[u * n_e + v];
                if !done[v] && c.is_finite() {
                    let d = best + (c + pi[u] - pi[v]).max(0.0);
                    if d < dist[v] {
                        dist[v] = d;
                        prev[v] = u;
                    }
                }
            }
        }
        let (sink_dist, last) = sink;
        if last == NONE {
            return Err((0..n_p).filter(|&p| count[p] < need[p]).collect());
        }
        // Walk back to the first evaluator, then apply the moves from the front.
        let mut path = vec![last];
        while prev[*path.last().unwrap_or(&last)] != NONE {
            let p = prev[*path.last().unwrap_or(&last)];
            path.push(p);
        }
        path.reverse();
        let first = path[0];
        let start = entry_via[first];
        // The path's moves are read before any is applied: applying one changes the others.
        let steps: Vec<(usize, usize, usize)> =
            path.windows(2).map(|pair| (pair[0], pair[1], moves.via[pair[0] * n_e + pair[1]])).collect();
        moves.join(prep, start, first, &mut assigned, &mut held);
        count[start] += 1;
        for (from, to, p) in steps {
            moves.leave(prep, p, from, &mut assigned, &mut held);
            moves.join(prep, p, to, &mut assigned, &mut held);
            if count[p] < need[p] {
                // p may come back to `from` later as a new assignment.
                entries[from].push(Candidate { score: a(p, from), proposal: p });
            }
        }
        load[last] += 1;

        // New potentials (capped at the sink's distance) keep reduced costs non-negative.
        for e in 0..n_e {
            pi[e] += dist[e].min(sink_dist);
        }
        pi_sink += sink_dist;
    }
    let mut chosen = vec![Vec::with_capacity(k); n_p];
    for (e, proposals) in held.iter().enumerate() {
        for &p in proposals {
            chosen[p].push(e);
        }
    }
    Ok(chosen)
}

/// The cheapest move of a held proposal between each ordered pair of evaluators.
struct Moves {
    n_e: usize,
    cost: Vec<f64>,
    via: Vec<usize>,
}

impl Moves {
    /// Rescans what `from` holds for the cheapest proposal `to` could take over.
    fn rescan(&mut self, prep: &Prepared, from: usize, to: usize, held: &[Vec<usize>], assigned: &[bool]) {
        let n_e = self.n_e;
        let mut best = (f64::INFINITY, usize::MAX);
        if from != to {
            for &p in &held[from] {
                if prep.eligible[p * n_e + to] && !assigned[p * n_e + to] {
                    let c = prep.affinity[p * n_e + from] - prep.affinity[p * n_e + to];
                    if c < best.0 {
                        best = (c, p);
                    }
                }
            }
        }
        self.cost[from * n_e + to] = best.0;
        self.via[from * n_e + to] = best.1;
    }

    /// `from` holds p: p becomes a candidate for moving to `to`, if `to` may take it.
    fn offer(&mut self, prep: &Prepared, p: usize, from: usize, to: usize, assigned: &[bool]) {
        let n_e = self.n_e;
        if from != to && prep.eligible[p * n_e + to] && !assigned[p * n_e + to] {
            let c = prep.affinity[p * n_e + from] - prep.affinity[p * n_e + to];
            if c < self.cost[from * n_e + to] {
                self.cost[from * n_e + to] = c;
                self.via[from * n_e + to] = p;
            }
        }
    }

    /// Evaluator e takes proposal p.
    fn join(&mut self, prep: &Prepared, p: usize, e: usize, assigned: &mut [bool], held: &mut [Vec<usize>]) {
        let n_e = self.n_e;
        assigned[p * n_e + e] = true;
        held[e].push(p);
        for to in 0..n_e {
            self.offer(prep, p, e, to, assigned);
        }
        // Other holders of p can no longer move it to e.
        for x in 0..n_e {
            if x != e && assigned[p * n_e + x] && self.via[x * n_e + e] == p {
                self.rescan(prep, x, e, held, assigned);
            }
        }
    }

    /// Evaluator e gives proposal p up.
    fn leave(&mut self, prep: &Prepared, p: usize, e: usize, assigned: &mut [bool], held: &mut [Vec<usize>]) {
        let n_e = self.n_e;
        assigned[p * n_e + e] = false;
        if let Some(pos) = held[e].iter().position(|&x| x == p) {
            held[e].swap_remove(pos);
        }
        for to in 0..n_e {
            if self.via[e * n_e + to] == p {
                self.rescan(prep, e, to, held, assigned);
            }
        }
        // Other holders of p may now move it to e.
        for x in 0..n_e {
            if assigned[p * n_e + x] {
                self.offer(prep, p, x, e, assigned);
            }
        }
    }
}
