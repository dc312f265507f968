//! Aggregation, similarity and screening on generated inputs: rankings are permutations, the
//! slots are filled exactly, normalisation keeps each evaluator's own order, and shared
//! passages always point at text that reads the same in both proposals.

use std::collections::BTreeMap;

use kaigi_core::evaluation::{Entry, Normalisation, Scored, Settings, aggregate};
use kaigi_core::search::fold;
use kaigi_core::setup::{format_spans, parse_spans};
use kaigi_core::similarity::{shared_passages, similar_pairs};
use proptest::prelude::*;

fn generated(seed: u64, n_p: usize, n_e: usize, per: usize) -> (Vec<Entry>, Vec<Scored>) {
    let mut rng = kaigi_core::rng::SplitMix64::new(seed);
    let types = ["workshop", "open-forum"];
    let regions = ["african", "asia-pacific", "weog"];
    let entries: Vec<Entry> = (0..n_p)
        .map(|p| Entry {
            proposal: format!("p{p}"),
            session_type: types[rng.below(2)].into(),
            theme: Some(format!("t{}", rng.below(3))),
            region: Some(regions[rng.below(3)].into()),
        })
        .collect();
    let mut scored = Vec::new();
    for p in 0..n_p {
        for k in 0..per.min(n_e) {
            if rng.chance(0.8) {
                scored.push(Scored {
                    proposal: format!("p{p}"),
                    evaluator: format!("e{}", (p + k) % n_e),
                    total: 1.0 + (rng.below(401) as f64) / 100.0,
                    criteria: BTreeMap::from([("c".to_owned(), 1.0 + rng.below(5) as f64)]),
                });
            }
        }
    }
    (entries, scored)
}

fn settings(normalisation: Normalisation, slots: usize, bonus: f64) -> Settings {
    Settings {
        normalisation,
        disagreement: 1.0,
        slots: BTreeMap::from([("workshop".to_owned(), slots), ("open-forum".to_owned(), slots / 2)]),
        region_bonus: BTreeMap::from([("african".to_owned(), bonus)]),
        scale_min: 1.0,
        scale_max: 5.0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn rankings_are_permutations_and_slots_fill_exactly(seed in any::<u64>(), n_p in 1usize..40, n_e in 1usize..8, slots in 0usize..20, bonus in 0.0f64..1.0, z in any::<bool>()) {
        let (entries, scored) = generated(seed, n_p, n_e, 3);
        let s = settings(if z { Normalisation::ZScore } else { Normalisation::None }, slots, bonus);
        let a = aggregate(&entries, &scored, &s);
        prop_assert_eq!(a.ranked.len(), entries.len());
        for t in ["workshop", "open-forum"] {
            let mut ranks: Vec<usize> = a.ranked.iter().filter(|r| r.session_type == t).map(|r| r.rank_in_type).collect();
            ranks.sort_unstable();
            prop_assert_eq!(ranks, (1..=a.ranked.iter().filter(|r| r.session_type == t).count()).collect::<Vec<_>>());
            let evaluated = a.ranked.iter().filter(|r| r.session_type == t && r.evaluations > 0).count();
            let within = a.ranked.iter().filter(|r| r.session_type == t && r.within_slots).count();
            prop_assert_eq!(within, evaluated.min(s.slots[t]));
            // Everything within the slots scores at least the cut-off, everything evaluated outside at most.
            if let Some(cut) = a.cutoffs.get(t) {
                for r in a.ranked.iter().filter(|r| r.session_type == t && r.evaluations > 0) {
                    if r.within_slots { prop_assert!(r.adjusted >= *cut - 1e-12); } else { prop_assert!(r.adjusted <= *cut + 1e-12); }
                }
            }
        }
        if !z {
            for r in &a.ranked {
                prop_assert!((r.raw - r.normalised).abs() < 1e-9);
            }
        }
        for c in &a.criteria {
            prop_assert!(c.correlation.is_none_or(|r| (-1.0..=1.0).contains(&r)));
        }
    }

    #[test]
    fn normalisation_keeps_each_evaluators_order(seed in any::<u64>(), n_p in 3usize..30) {
        // One evaluator per proposal: the normalised mean is that evaluator's normalised score.
        let (entries, scored) = generated(seed, n_p, 2, 1);
        let a = aggregate(&entries, &scored, &settings(Normalisation::ZScore, 5, 0.0));
        let score = |p: &str| a.ranked.iter().find(|r| r.proposal == p).unwrap().normalised;
        for x in &scored {
            for y in scored.iter().filter(|y| y.evaluator == x.evaluator) {
                if x.total < y.total {
                    prop_assert!(score(&x.proposal) <= score(&y.proposal) + 1e-9);
                }
            }
        }
    }

    #[test]
    fn shared_passages_read_the_same_in_both(a in "[a-zあ-んア-ン ]{0,60}", b in "[a-zあ-んア-ン ]{0,60}", min in 2usize..8) {
        for p in shared_passages(&a, &b, min) {
            prop_assert!(a.is_char_boundary(p.a.start) && a.is_char_boundary(p.a.end));
            prop_assert!(b.is_char_boundary(p.b.start) && b.is_char_boundary(p.b.end));
            prop_assert_eq!(fold(&a[p.a.clone()]), fold(&b[p.b.clone()]));
            prop_assert!(fold(&a[p.a]).chars().count() >= min);
        }
    }

    #[test]
    fn similarity_is_symmetric_and_bounded(texts in proptest::collection::vec("[a-z ]{0,30}|[あ-ん]{0,12}", 2..8)) {
        let pairs = similar_pairs(&texts, 0.0, 100);
        let mut reversed = texts.clone();
        reversed.reverse();
        let back = similar_pairs(&reversed, 0.0, 100);
        let n = texts.len();
        for p in &pairs {
            prop_assert!(p.a < p.b && (0.0..=1.0).contains(&p.score));
            let q = back.iter().find(|q| (q.a, q.b) == (n - 1 - p.b, n - 1 - p.a));
            prop_assert!(q.is_some_and(|q| (q.score - p.score).abs() < 1e-9), "{:?} vs {:?}", p, q);
        }
    }

    #[test]
    fn spans_read_back_as_written(spans in proptest::collection::vec((0i64..1400, 1i64..240), 0..6)) {
        let text: Vec<String> = spans.iter().map(|(s, len)| format!("{}-{}", kaigi_core::timetable::format_clock(*s), kaigi_core::timetable::format_clock(s + len))).collect();
        let parsed = parse_spans(&text.join(", ")).unwrap();
        prop_assert_eq!(parsed.len(), spans.len());
        prop_assert_eq!(parse_spans(&format_spans(&parsed)).unwrap(), parsed);
    }
}
