//! The assignment solver against brute force (tiny instances) and against an independent
//! exact formulation (a plain min-cost flow with Bellman–Ford on the full graph).

#![expect(clippy::unwrap_used, reason = "tests stop at the first unexpected error")]

use kaigi_core::assignment::{AssignError, Instance, prepare, solve, solve_around};
use proptest::prelude::*;

fn instance(json: serde_json::Value) -> Instance {
    serde_json::from_value(json).unwrap()
}

/// Checks every rule and returns the objective recomputed from the assignment.
fn check(inst: &Instance, sol: &kaigi_core::assignment::Solution) -> f64 {
    let prep = prepare(inst).unwrap();
    let n_e = prep.n_e;
    let mut load = vec![0usize; n_e];
    let mut objective = 0.0;
    assert_eq!(sol.assignments.len(), inst.proposals.len());
    for (p, a) in sol.assignments.iter().enumerate() {
        assert_eq!(a.proposal, inst.proposals[p].id);
        assert_eq!(a.evaluators.len(), inst.per_proposal, "{} gets exactly k", a.proposal);
        let mut seen = std::collections::HashSet::new();
        for id in &a.evaluators {
            let e = inst.evaluators.iter().position(|x| &x.id == id).unwrap();
            assert!(seen.insert(e), "distinct evaluators");
            assert!(prep.eligible[p * n_e + e], "no conflict of interest");
            load[e] += 1;
            objective += prep.affinity[p * n_e + e];
        }
    }
    for (used, capacity) in load.iter().zip(&prep.capacity) {
        assert!(used <= capacity, "capacity");
    }
    assert!((objective - sol.objective).abs() < 1e-9, "the reported objective is the sum");
    objective
}

/// Every way of giving each proposal k evaluators (tiny instances only).
fn brute_force(inst: &Instance) -> Option<f64> {
    let prep = prepare(inst).unwrap();
    let (n_e, n_p, k) = (prep.n_e, prep.n_p, prep.k);
    let subsets: Vec<Vec<usize>> = (0u32..(1 << n_e))
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (0..n_e).filter(|e| m & (1 << e) != 0).collect())
        .collect();
    fn go(
        p: usize,
        prep: &kaigi_core::assignment::Prepared,
        subsets: &[Vec<usize>],
        load: &mut Vec<usize>,
        acc: f64,
        best: &mut Option<f64>,
    ) {
        if p == prep.n_p {
            if best.is_none_or(|b| acc > b) {
                *best = Some(acc);
            }
            return;
        }
        for s in subsets {
            if s.iter().all(|&e| prep.eligible[p * prep.n_e + e] && load[e] < prep.capacity[e]) {
                for &e in s {
                    load[e] += 1;
                }
                let gain: f64 = s.iter().map(|&e| prep.affinity[p * prep.n_e + e]).sum();
                go(p + 1, prep, subsets, load, acc + gain, best);
                for &e in s {
                    load[e] -= 1;
                }
            }
        }
    }
    let mut best = None;
    let _ = n_p;
    go(0, &prep, &subsets, &mut vec![0; n_e], 0.0, &mut best);
    best
}

/// Brute force over assignments that keep every fixed pair and use no excluded one.
fn brute_force_around(inst: &Instance, fixed: &[(usize, usize)], excluded: &[(usize, usize)]) -> Option<f64> {
    let prep = prepare(inst).unwrap();
    let (n_e, k) = (prep.n_e, prep.k);
    let subsets: Vec<Vec<usize>> = (0u32..(1 << n_e))
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| (0..n_e).filter(|e| m & (1 << e) != 0).collect())
        .collect();
    let mut best: Option<f64> = None;
    let mut stack = vec![(0usize, vec![0usize; n_e], 0.0f64)];
    while let Some((p, load, acc)) = stack.pop() {
        if p == prep.n_p {
            best = Some(best.map_or(acc, |b: f64| b.max(acc)));
            continue;
        }
        for s in &subsets {
            let keeps = fixed.iter().filter(|(_, q)| *q == p).all(|(e, _)| s.contains(e));
            let avoids = !excluded.iter().any(|(e, q)| *q == p && s.contains(e));
            if keeps && avoids && s.iter().all(|&e| prep.eligible[p * n_e + e] && load[e] < prep.capacity[e]) {
                let mut load = load.clone();
                s.iter().for_each(|&e| load[e] += 1);
                let gain: f64 = s.iter().map(|&e| prep.affinity[p * n_e + e]).sum();
                stack.push((p + 1, load, acc + gain));
            }
        }
    }
    best
}

/// A textbook min-cost flow: Bellman–Ford shortest paths on the whole residual graph.
fn reference_optimum(inst: &Instance) -> Option<f64> {
    let prep = prepare(inst).unwrap();
    let (n_e, n_p, k) = (prep.n_e, prep.n_p, prep.k);
    let (s, t) = (n_p + n_e, n_p + n_e + 1);
    let n = n_p + n_e + 2;
    let mut to = Vec::new();
    let mut cap = Vec::new();
    let mut cost = Vec::new();
    let mut adj = vec![Vec::new(); n];
    let mut add = |u: usize, v: usize, c: i64, w: f64, adj: &mut Vec<Vec<usize>>| {
        adj[u].push(to.len());
        to.push(v);
        cap.push(c);
        cost.push(w);
        adj[v].push(to.len());
        to.push(u);
        cap.push(0);
        cost.push(-w);
    };
    for p in 0..n_p {
        add(s, p, k as i64, 0.0, &mut adj);
        for e in 0..n_e {
            if prep.eligible[p * n_e + e] {
                add(p, n_p + e, 1, -prep.affinity[p * n_e + e], &mut adj);
            }
        }
    }
    for e in 0..n_e {
        add(n_p + e, t, prep.capacity[e] as i64, 0.0, &mut adj);
    }
    let mut flow = 0;
    let mut total = 0.0;
    while flow < n_p * k {
        let mut dist = vec![f64::INFINITY; n];
        let mut prev = vec![usize::MAX; n];
        dist[s] = 0.0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if dist[u].is_finite() {
                    for &edge in &adj[u] {
                        if cap[edge] > 0 && dist[u] + cost[edge] < dist[to[edge]] - 1e-12 {
                            dist[to[edge]] = dist[u] + cost[edge];
                            prev[to[edge]] = edge;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if !dist[t].is_finite() {
            return None;
        }
        let mut v = t;
        while v != s {
            let edge = prev[v];
            cap[edge] -= 1;
            cap[edge ^ 1] += 1;
            v = to[edge ^ 1];
        }
        total += dist[t];
        flow += 1;
    }
    Some(-total)
}

fn random_instance(seed: u64, n_p: usize, n_e: usize, k: usize, orgs: usize, scored: bool) -> Instance {
    let mut rng = kaigi_core::rng::SplitMix64::new(seed);
    let themes = ["ai", "access", "rights", "security", "climate"];
    let evaluators: Vec<serde_json::Value> = (0..n_e)
        .map(|e| {
            let t1 = themes[rng.below(themes.len())];
            let t2 = themes[rng.below(themes.len())];
            let mut ev = serde_json::json!({"id": format!("e{e}"), "organisation": format!("o{}", rng.below(orgs)), "themes": [t1, t2]});
            if rng.chance(0.5) {
                ev["capacity"] = serde_json::json!(rng.below(2 * n_p * k / n_e.max(1) + 2));
            }
            ev
        })
        .collect();
    let proposals: Vec<serde_json::Value> = (0..n_p)
        .map(|p| serde_json::json!({"id": format!("p{p}"), "organisations": [format!("o{}", rng.below(orgs)), format!("o{}", rng.below(orgs))], "theme": themes[rng.below(themes.len())]}))
        .collect();
    let mut affinity = Vec::new();
    if scored {
        for _ in 0..(n_p * n_e / 3) {
            affinity.push(serde_json::json!({"evaluator": format!("e{}", rng.below(n_e)), "proposal": format!("p{}", rng.below(n_p)), "score": (rng.below(1000) as f64) / 100.0}));
        }
    }
    instance(
        serde_json::json!({"per_proposal": k, "evaluators": evaluators, "proposals": proposals, "affinity": affinity}),
    )
}

#[test]
fn the_contract_example_shape() {
    let inst = instance(serde_json::json!({
        "per_proposal": 2,
        "evaluators": [
            {"id": "e1", "organisation": "o1", "capacity": 2, "themes": ["ai", "access"]},
            {"id": "e2", "organisation": "o2", "themes": ["ai"]},
            {"id": "e3", "organisation": "o3"}
        ],
        "proposals": [{"id": "p1", "organisations": ["o2", "o7"], "theme": "ai"}, {"id": "p2", "theme": "access"}],
        "affinity": [{"evaluator": "e3", "proposal": "p1", "score": 0.8}]
    }));
    let sol = solve(&inst).unwrap();
    assert_eq!(sol.assignments[0].evaluators, ["e1", "e3"], "e2 is conflicted with p1");
    assert!((check(&inst, &sol) - sol.objective).abs() < 1e-12);
    // p1: e1 (theme ai) 1 + e3 0.8; p2: e1 (access) 1 + e2 or e3 0.
    assert!((sol.objective - 2.8).abs() < 1e-12, "{}", sol.objective);
}

#[test]
fn infeasible_instances_say_why() {
    let lacking = instance(
        serde_json::json!({"per_proposal": 2, "evaluators": [{"id": "e1", "organisation": "o1"}, {"id": "e2", "organisation": "o2"}], "proposals": [{"id": "p1", "organisations": ["o1"]}]}),
    );
    let AssignError::Infeasible(why) = solve(&lacking).unwrap_err() else { panic!() };
    assert!(why.contains("\"p1\"") && why.contains("only 1"), "{why}");
    let short = instance(
        serde_json::json!({"per_proposal": 1, "evaluators": [{"id": "e1", "capacity": 1}], "proposals": [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}]}),
    );
    let AssignError::Infeasible(why) = solve(&short).unwrap_err() else { panic!() };
    assert!(why.contains("short by 2"), "{why}");
    // Enough in total and for each proposal, but not together (Hall's condition fails).
    let hall = instance(serde_json::json!({"per_proposal": 1,
        "evaluators": [{"id": "a", "organisation": "x", "capacity": 1}, {"id": "b", "organisation": "y", "capacity": 5}],
        "proposals": [{"id": "p1", "organisations": ["y"]}, {"id": "p2", "organisations": ["y"]}]}));
    let AssignError::Infeasible(why) = solve(&hall).unwrap_err() else { panic!() };
    assert!(why.contains("stay short"), "{why}");
    let unknown = instance(
        serde_json::json!({"per_proposal": 1, "evaluators": [{"id": "e1"}], "proposals": [{"id": "p1"}], "affinity": [{"evaluator": "e9", "proposal": "p1", "score": 1}]}),
    );
    assert!(matches!(solve(&unknown), Err(AssignError::Invalid(m)) if m.contains("affinity[0].evaluator")));
}

#[test]
fn medium_instances_match_the_reference_formulation() {
    let mut solved = 0;
    for seed in 0..40 {
        let inst = random_instance(seed, 40, 9, 3, 5, seed % 2 == 0);
        match (solve(&inst), reference_optimum(&inst)) {
            (Ok(sol), Some(best)) => {
                let got = check(&inst, &sol);
                assert!((got - best).abs() < 1e-6, "seed {seed}: {got} vs optimum {best}");
                solved += 1;
            }
            (Err(AssignError::Infeasible(_)), None) => {}
            (got, best) => panic!("seed {seed}: solver {got:?} but reference {best:?}"),
        }
    }
    assert!(solved >= 20, "most random medium instances are feasible ({solved} of 40 were)");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn tiny_instances_match_brute_force(seed in any::<u64>(), n_p in 1usize..5, n_e in 2usize..6, k in 1usize..3, orgs in 2usize..5, scored in any::<bool>()) {
        prop_assume!(k <= n_e);
        let inst = random_instance(seed, n_p, n_e, k, orgs, scored);
        match (solve(&inst), brute_force(&inst)) {
            (Ok(sol), Some(best)) => {
                let got = check(&inst, &sol);
                prop_assert!((got - best).abs() < 1e-9, "{got} vs brute force {best}");
            }
            (Err(AssignError::Infeasible(_)), None) => {}
            (got, best) => prop_assert!(false, "solver {:?} but brute force {:?}", got, best),
        }
    }

    #[test]
    fn kept_and_excluded_pairs_match_brute_force(seed in any::<u64>(), n_p in 1usize..4, n_e in 2usize..6, k in 1usize..3) {
        prop_assume!(k <= n_e);
        let inst = random_instance(seed, n_p, n_e, k, 4, true);
        let mut rng = kaigi_core::rng::SplitMix64::new(seed ^ 0x5eed);
        let mut fixed: Vec<(usize, usize)> = Vec::new();
        for p in 0..n_p {
            if rng.chance(0.5) {
                fixed.push((rng.below(n_e), p));
            }
        }
        let excluded: Vec<(usize, usize)> = (0..2).map(|_| (rng.below(n_e), rng.below(n_p))).filter(|x| !fixed.contains(x)).collect();
        let ids = |pairs: &[(usize, usize)]| pairs.iter().map(|&(e, p)| (format!("e{e}"), format!("p{p}"))).collect::<Vec<_>>();
        match (solve_around(&inst, &ids(&fixed), &ids(&excluded)), brute_force_around(&inst, &fixed, &excluded)) {
            (Ok(sol), Some(best)) => {
                let got = check(&inst, &sol);
                prop_assert!((got - best).abs() < 1e-9, "{got} vs brute force {best}");
                for (e, p) in ids(&fixed) {
                    let a = sol.assignments.iter().find(|a| a.proposal == p).unwrap();
                    prop_assert!(a.evaluators.contains(&e), "{e} keeps {p}");
                }
                for (e, p) in ids(&excluded) {
                    let a = sol.assignments.iter().find(|a| a.proposal == p).unwrap();
                    prop_assert!(!a.evaluators.contains(&e), "{e} never gets {p}");
                }
            }
            (Err(AssignError::Infeasible(_)), None) => {}
            (got, best) => prop_assert!(false, "solver {:?} but brute force {:?}", got, best),
        }
    }

    #[test]
    fn random_instances_are_feasible_or_reported(seed in any::<u64>(), n_p in 1usize..60, n_e in 1usize..12, k in 1usize..4) {
        let inst = random_instance(seed, n_p, n_e, k, 6, true);
        match solve(&inst) {
            Ok(sol) => { check(&inst, &sol); }
            Err(AssignError::Infeasible(why)) => prop_assert!(reference_optimum(&inst).is_none(), "reported infeasible ({why}) but a solution exists"),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}

#[test]
fn optional_fields_may_be_missing_or_null_and_extra_fields_are_ignored() {
    let inst = instance(serde_json::json!({
        "per_proposal": 1, "note": "from the secretariat",
        "evaluators": [{"id": "e1", "organisation": null, "capacity": null, "themes": null, "name": "Aoki"}],
        "proposals": [{"id": "p1", "organisations": null, "theme": null}, {"id": "p2"}],
        "affinity": null
    }));
    let sol = solve(&inst).unwrap();
    assert_eq!(sol.assignments.len(), 2);
    assert_eq!(sol.objective, 0.0);
    let none = instance(serde_json::json!({"per_proposal": 3, "evaluators": [], "proposals": []}));
    assert_eq!(solve(&none).unwrap().assignments.len(), 0);
    let negative = instance(
        serde_json::json!({"per_proposal": 1, "evaluators": [{"id": "a"}, {"id": "b"}], "proposals": [{"id": "p"}],
        "affinity": [{"evaluator": "a", "proposal": "p", "score": -2.0}, {"evaluator": "b", "proposal": "p", "score": -1.0}]}),
    );
    let sol = solve(&negative).unwrap();
    assert_eq!(sol.assignments[0].evaluators, ["b"]);
    assert_eq!(sol.objective, -1.0);
}
