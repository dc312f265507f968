//! The seating solver: everyone seated once, pins and seats respected, the score honest, and
//! the result near the lower bound (and equal to brute force on tiny instances).

#![expect(clippy::unwrap_used, reason = "tests stop at the first unexpected error")]

use std::collections::HashSet;

use kaigi_core::budget::Budget;
use kaigi_core::seating::{Instance, SeatError, score, solve};
use proptest::prelude::*;

fn instance(json: serde_json::Value) -> Instance {
    serde_json::from_value(json).unwrap()
}

fn random(seed: u64, tables: usize, seats: usize, people: usize, pins: bool) -> Instance {
    let mut rng = kaigi_core::rng::SplitMix64::new(seed);
    let groups = ["government", "regulator", "un", "industry", "academia", "civil-society"];
    let regions =
        ["african", "asia-pacific", "eastern-european", "latin-american-caribbean", "western-european-others"];
    let tables: Vec<serde_json::Value> =
        (0..tables).map(|t| serde_json::json!({"id": format!("t{t:02}"), "seats": seats})).collect();
    let mut pinned_per_table = vec![0usize; tables.len()];
    let people: Vec<serde_json::Value> = (0..people)
        .map(|p| {
            let mut person = serde_json::json!({"id": format!("x{p:03}"), "group": groups[rng.below(groups.len())], "region": regions[rng.below(regions.len())]});
            if pins && rng.chance(0.1) {
                let t = rng.below(tables.len());
                if pinned_per_table[t] < seats {
                    pinned_per_table[t] += 1;
                    person["pinned_table"] = serde_json::json!(format!("t{t:02}"));
                }
            }
            person
        })
        .collect();
    instance(serde_json::json!({"tables": tables, "people": people}))
}

fn check(inst: &Instance, sol: &kaigi_core::seating::Seating) {
    let mut seen = HashSet::new();
    for (t, table) in sol.seating.iter().enumerate() {
        assert_eq!(table.table, inst.tables[t].id);
        assert!(table.people.len() <= inst.tables[t].seats, "no table over its seats");
        for id in &table.people {
            assert!(seen.insert(id.clone()), "{id} seated twice");
            let person = inst.people.iter().find(|p| &p.id == id).unwrap();
            if let Some(pin) = &person.pinned_table {
                assert_eq!(pin, &table.table, "{id} is pinned to {pin}");
            }
        }
    }
    assert_eq!(seen.len(), inst.people.len(), "everyone seated");
    assert!((score(inst, &sol.seating) - sol.score).abs() < 1e-9, "the reported score is what the seating gives");
    assert!(sol.score >= sol.lower_bound - 1e-9);
}

#[test]
fn the_seed_roundtable_is_mixed_within_a_few_percent_of_the_bound() {
    // About 140 people at 20 tables of 7 (the WSIS+20 ministerial roundtable).
    for seed in 0..5 {
        let inst = random(seed, 20, 7, 140, true);
        let sol = solve(&inst, Budget::Steps(20_000)).unwrap();
        check(&inst, &sol);
        let gap = (sol.score - sol.lower_bound) / sol.lower_bound.max(1.0);
        assert!(
            gap <= 0.05,
            "seed {seed}: score {} vs lower bound {} ({:.1}% above)",
            sol.score,
            sol.lower_bound,
            gap * 100.0
        );
    }
}

#[test]
fn impossible_seatings_say_why() {
    let short = instance(
        serde_json::json!({"tables": [{"id": "t1", "seats": 2}], "people": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}),
    );
    assert!(
        matches!(solve(&short, Budget::Steps(1_000)), Err(SeatError::Infeasible(m)) if m.contains("1 seat(s) short"))
    );
    let pinned = instance(serde_json::json!({"tables": [{"id": "t1", "seats": 1}, {"id": "t2", "seats": 5}],
        "people": [{"id": "a", "pinned_table": "t1"}, {"id": "b", "pinned_table": "t1"}]}));
    assert!(matches!(solve(&pinned, Budget::Steps(1_000)), Err(SeatError::Infeasible(m)) if m.contains("\"t1\"")));
    let unknown = instance(
        serde_json::json!({"tables": [{"id": "t1", "seats": 1}], "people": [{"id": "a", "pinned_table": "t9"}]}),
    );
    assert!(
        matches!(solve(&unknown, Budget::Steps(1_000)), Err(SeatError::Invalid(m)) if m.contains("people[0].pinned_table"))
    );
}

/// Every way to seat a tiny instance.
fn brute_force(inst: &Instance) -> f64 {
    let n = inst.people.len();
    let t = inst.tables.len();
    let mut best = f64::INFINITY;
    let mut assign = vec![0usize; n];
    loop {
        let mut sizes = vec![0usize; t];
        let mut ok = true;
        for (p, &table) in assign.iter().enumerate() {
            sizes[table] += 1;
            if let Some(pin) = &inst.people[p].pinned_table {
                ok &= &inst.tables[table].id == pin;
            }
        }
        ok &= sizes.iter().zip(&inst.tables).all(|(s, tb)| *s <= tb.seats);
        if ok {
            let seating: Vec<_> = (0..t)
                .map(|k| kaigi_core::seating::TableSeating {
                    table: inst.tables[k].id.clone(),
                    people: (0..n).filter(|&p| assign[p] == k).map(|p| inst.people[p].id.clone()).collect(),
                })
                .collect();
            best = best.min(score(inst, &seating));
        }
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            assign[i] += 1;
            if assign[i] < t {
                break;
            }
            assign[i] = 0;
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn seatings_are_feasible_and_honest(seed in any::<u64>(), tables in 1usize..8, seats in 1usize..9, people in 0usize..50, pins in any::<bool>()) {
        let inst = random(seed, tables, seats, people.min(tables * seats), pins);
        let sol = solve(&inst, Budget::Steps(2_000)).unwrap();
        check(&inst, &sol);
    }

    #[test]
    fn tiny_seatings_are_optimal(seed in any::<u64>(), tables in 1usize..4, seats in 1usize..4, people in 1usize..8) {
        let inst = random(seed, tables, seats, people.min(tables * seats), true);
        let sol = solve(&inst, Budget::Steps(10_000)).unwrap();
        check(&inst, &sol);
        prop_assert!((sol.score - brute_force(&inst)).abs() < 1e-9, "score {} vs optimum {}", sol.score, brute_force(&inst));
    }

    /// A later round: pairs who met before cost `same_table_again`; the score stays honest and
    /// tiny instances still reach the optimum.
    #[test]
    fn later_rounds_are_feasible_honest_and_optimal_when_tiny(seed in any::<u64>(), tables in 1usize..4, seats in 1usize..4, people in 1usize..8, met in prop::collection::vec((0usize..8, 0usize..8), 0..10)) {
        let mut inst = random(seed, tables, seats, people.min(tables * seats), true);
        let n = inst.people.len();
        inst.met = met.iter().filter(|(a, b)| *a < n && *b < n).map(|&(a, b)| [inst.people[a].id.clone(), inst.people[b].id.clone()]).collect();
        let sol = solve(&inst, Budget::Steps(10_000)).unwrap();
        check(&inst, &sol);
        prop_assert!((sol.score - brute_force(&inst)).abs() < 1e-9, "score {} vs optimum {}", sol.score, brute_force(&inst));
    }
}
