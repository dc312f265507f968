//! Participation figures: files of past figures read back what was written, any text gives
//! figures or a located error, and public figures never show a small group or one that the
//! total would give away.

use std::collections::BTreeMap;

use kaigi_core::directory::{StakeholderGroup, UnRegion};
use kaigi_core::participation::{
    Attendance, Dimension, Figures, Participant, SMALL_GROUP, Shown, figures_from_rows, parse_aggregates, suppress,
    tally, to_csv,
};
use proptest::prelude::*;

fn participant() -> impl Strategy<Value = Participant> {
    (
        prop::sample::select(vec!["delegate", "press", "youth", "speaker"]),
        any::<bool>(),
        prop::option::of(prop::sample::select(StakeholderGroup::ALL.to_vec())),
        prop::option::of(prop::sample::select(UnRegion::ALL.to_vec())),
        prop::option::of(prop::sample::select(vec!["JP", "BR", "KE", "DE", "US"])),
        prop::option::of(prop::sample::select(vec!["woman", "男性", "non-binary", ""])),
        any::<(bool, bool, bool)>(),
    )
        .prop_map(|(category, online, group, region, country, gender, (youth, first_time, consent))| Participant {
            category: category.into(),
            attendance: if online { Attendance::Online } else { Attendance::Onsite },
            stakeholder_group: group.map(|g| g.code().into()),
            region: region.map(|r| r.code().into()),
            country: country.map(Into::into),
            gender: gender.map(Into::into),
            youth,
            first_time,
            consent,
        })
}

proptest! {
    #[test]
    fn every_dimension_adds_up_to_the_total(people in prop::collection::vec(participant(), 0..200)) {
        let figures = tally(&people);
        for counts in figures.by.values() {
            prop_assert_eq!(counts.values().sum::<u64>(), figures.total);
        }
    }

    #[test]
    fn tallied_figures_read_back_from_csv(
        editions in prop::collection::vec(prop::collection::vec(participant(), 0..60), 1..4)
    ) {
        let figures: Vec<(String, String, Figures)> = editions
            .iter()
            .enumerate()
            .map(|(i, people)| (format!("igf-{}", 2020 + i), format!("IGF {}, \"quoted\" 会議", 2020 + i), tally(people)))
            .collect();
        let rows = parse_aggregates(&to_csv(&figures)).unwrap();
        prop_assert_eq!(figures_from_rows(&rows), figures);
    }

    #[test]
    fn any_text_gives_figures_or_a_located_error(text in "(edition,name,dimension,category,count\n)?([a-z0-9,\" \\-]{0,30}\n){0,6}") {
        match parse_aggregates(&text) {
            Ok(rows) => prop_assert!(!rows.is_empty()),
            Err(e) => prop_assert!(!e.message.is_empty() && e.line <= text.lines().count() as u64 + 1, "{e}"),
        }
    }

    #[test]
    fn public_figures_hide_small_groups_and_what_would_give_them_away(
        counts in prop::collection::btree_map("[a-f]", 0u64..40, 1..6)
    ) {
        let figures = Figures {
            total: counts.values().sum(),
            by: BTreeMap::from([(Dimension::Country, counts.clone())]),
        };
        let shown = &suppress(&figures, SMALL_GROUP)[&Dimension::Country];
        let nonzero = counts.values().filter(|n| **n > 0).count();
        let hidden = shown.values().filter(|s| **s == Shown::Hidden).count();
        for (category, n) in &counts {
            if let Shown::Exact(shown_n) = shown[category] {
                prop_assert_eq!(shown_n, *n);
                prop_assert!(*n == 0 || *n >= SMALL_GROUP, "{} shown as {}", category, n);
            }
        }
        prop_assert!(hidden != 1 || nonzero == 1, "a single hidden count is the total minus the others: {:?}", shown);
    }
}
