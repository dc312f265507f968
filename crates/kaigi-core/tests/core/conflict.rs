//! Conflicts of interest: for random directories, affiliations and proposals, the assignment —
//! automatic, around kept pairs and overrides filtered as storage filters them — never yields
//! a pair the rule forbids, and the rule only ever grows with more facts.

use kaigi_core::assignment::{self, Instance};
use kaigi_core::conflict::{OnProposal, Person, Rule, Spell};
use proptest::prelude::*;
use time::macros::date;

const TODAY: time::Date = date!(2026 - 12 - 06);
const PARTS: [&str; 4] = ["organiser", "co-organiser", "speaker", "moderator"];

#[derive(Debug, Clone)]
struct World {
    people: Vec<Person>,
    /// Person index per evaluator (None: an evaluator without a directory entry).
    evaluators: Vec<Option<usize>>,
    /// (person index, part) per proposal.
    proposals: Vec<Vec<(usize, usize)>>,
    declared: Vec<(usize, usize)>,
    lookback: u32,
    kept: Vec<(usize, usize)>,
}

fn spell() -> impl Strategy<Value = Spell> {
    (0..4usize, proptest::option::of(-2000i64..400), proptest::option::of(-2000i64..400)).prop_map(
        |(o, since, until)| {
            let day = |d: i64| TODAY + time::Duration::days(d);
            let (since, until) = match (since, until) {
                (Some(a), Some(b)) if b < a => (Some(day(b)), Some(day(a))),
                (a, b) => (a.map(day), b.map(day)),
            };
            Spell { organisation: format!("org{o}"), since, until }
        },
    )
}

fn world() -> impl Strategy<Value = World> {
    (3..10usize, 2..6usize, 1..6usize, 0..30u32).prop_flat_map(|(n_people, n_eval, n_prop, lookback)| {
        (
            proptest::collection::vec(proptest::collection::vec(spell(), 0..3), n_people),
            proptest::collection::vec(proptest::option::of(0..n_people), n_eval),
            proptest::collection::vec(proptest::collection::vec((0..n_people, 0..4usize), 1..4), n_prop),
            proptest::collection::vec((0..n_eval, 0..n_prop), 0..4),
            proptest::collection::vec((0..n_eval, 0..n_prop), 0..6),
        )
            .prop_map(move |(spells, evaluators, proposals, declared, kept)| World {
                people: spells
                    .into_iter()
                    .enumerate()
                    .map(|(i, spells)| Person { id: format!("p{i}"), spells })
                    .collect(),
                evaluators,
                proposals,
                declared,
                lookback,
                kept,
            })
    })
}

impl World {
    fn rule(&self) -> Rule {
        Rule { today: TODAY, lookback_months: self.lookback }
    }

    fn evaluator(&self, e: usize) -> Person {
        self.evaluators[e].map(|i| self.people[i].clone()).unwrap_or_default()
    }

    fn on(&self, p: usize) -> Vec<OnProposal> {
        self.proposals[p]
            .iter()
            .map(|&(i, part)| OnProposal { person: self.people[i].clone(), part: PARTS[part].into() })
            .collect()
    }

    fn conflicted(&self, e: usize, p: usize) -> bool {
        let declared = self.declared.contains(&(e, p)).then_some("declared");
        self.rule().conflict(&self.evaluator(e), &self.on(p), declared).is_some()
    }

    fn instance(&self) -> Instance {
        Instance {
            per_proposal: 1,
            evaluators: (0..self.evaluators.len())
                .map(|e| assignment::Evaluator {
                    id: format!("e{e}"),
                    organisation: None,
                    capacity: None,
                    themes: vec![],
                })
                .collect(),
            proposals: (0..self.proposals.len())
                .map(|p| assignment::Proposal { id: format!("q{p}"), organisations: vec![], theme: None })
                .collect(),
            affinity: vec![],
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_assignment_path_yields_a_forbidden_pair(w in world()) {
        let pairs = |list: &[(usize, usize)]| -> Vec<(String, String)> {
            list.iter().map(|&(e, p)| (format!("e{e}"), format!("q{p}"))).collect()
        };
        let mut excluded = Vec::new();
        for e in 0..w.evaluators.len() {
            for p in 0..w.proposals.len() {
                if w.conflicted(e, p) {
                    excluded.push((e, p));
                }
            }
        }
        // Kept pairs and overrides that became conflicts are dropped, as storage drops them.
        let kept: Vec<(usize, usize)> = w.kept.iter().copied().filter(|&(e, p)| !w.conflicted(e, p)).collect();
        let mut kept_unique = kept.clone();
        kept_unique.sort_unstable_by_key(|&(_, p)| p);
        kept_unique.dedup_by_key(|(_, p)| *p);
        for fixed in [Vec::new(), kept_unique] {
            if let Ok(solution) = assignment::solve_around(&w.instance(), &pairs(&fixed), &pairs(&excluded)) {
                for a in &solution.assignments {
                    let p: usize = a.proposal[1..].parse().unwrap();
                    for e in &a.evaluators {
                        let e: usize = e[1..].parse().unwrap();
                        prop_assert!(!w.conflicted(e, p), "e{e} got q{p} although the rule forbids it");
                    }
                }
            }
        }
    }

    #[test]
    fn more_facts_never_lift_a_conflict(w in world(), extra in spell(), who in 0..10usize) {
        let before: Vec<bool> = (0..w.evaluators.len())
            .flat_map(|e| (0..w.proposals.len()).map(move |p| (e, p)))
            .map(|(e, p)| w.conflicted(e, p))
            .collect();
        let mut more = w.clone();
        let i = who % more.people.len();
        more.people[i].spells.push(extra);
        let after: Vec<bool> = (0..w.evaluators.len())
            .flat_map(|e| (0..w.proposals.len()).map(move |p| (e, p)))
            .map(|(e, p)| more.conflicted(e, p))
            .collect();
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(!b || *a, "an added affiliation lifted a conflict");
        }
    }

    #[test]
    fn people_on_a_proposal_and_declarations_always_conflict(w in world()) {
        for (p, on) in w.proposals.iter().enumerate() {
            for (e, person) in w.evaluators.iter().enumerate() {
                if person.is_some_and(|i| on.iter().any(|&(j, _)| i == j)) {
                    prop_assert!(w.conflicted(e, p));
                }
            }
        }
        for &(e, p) in &w.declared {
            prop_assert!(w.conflicted(e, p));
        }
    }
}
