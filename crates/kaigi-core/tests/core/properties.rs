//! Property tests for the directory's parsers and the gojūon order.

use kaigi_core::collation::{gojuon_sort_key, romaji_to_hiragana};
use kaigi_core::directory::PersonName;
use proptest::prelude::*;

fn is_hiragana_or_space(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | ' ')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn romaji_conversion_never_panics_and_yields_only_hiragana(input in "\\PC{0,40}") {
        if let Some(kana) = romaji_to_hiragana(&input) {
            prop_assert!(kana.chars().all(is_hiragana_or_space), "{kana:?}");
        }
    }

    #[test]
    fn romaji_made_of_syllables_always_converts(
        words in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![
            "ka", "shi", "tsu", "n", "ryo", "e", "mi", "to", "ha", "ji", "yu", "wa"]), 1..6), 1..4)
    ) {
        let text = words.iter().map(|w| w.concat()).collect::<Vec<_>>().join(" ");
        let kana = romaji_to_hiragana(&text);
        prop_assert!(kana.is_some(), "{text:?}");
        prop_assert_eq!(kana.unwrap().split(' ').count(), words.len());
    }

    #[test]
    fn names_with_a_reading_sort_before_names_without(
        reading in "[ぁ-ゖ]{1,10}", a in "\\PC{1,20}", b in "\\PC{1,20}"
    ) {
        prop_assert!(gojuon_sort_key(Some(&reading), &a) < gojuon_sort_key(None, &b));
    }

    #[test]
    fn the_reading_decides_before_the_written_name(
        r1 in "[ぁ-ゖ]{1,8}", r2 in "[ぁ-ゖ]{1,8}", n1 in "\\PC{1,10}", n2 in "\\PC{1,10}"
    ) {
        let (k1, k2) = (gojuon_sort_key(Some(&r1), &n1), gojuon_sort_key(Some(&r2), &n2));
        match kaigi_core::collation::compare_japanese(&r1, &r2) {
            std::cmp::Ordering::Less => prop_assert!(k1 < k2),
            std::cmp::Ordering::Greater => prop_assert!(k1 > k2),
            std::cmp::Ordering::Equal => {}
        }
    }

    #[test]
    fn person_names_parse_or_say_why(display in "\\PC{0,30}", reading in proptest::option::of("\\PC{0,15}")) {
        match PersonName::parse(&display, reading.as_deref(), None) {
            Ok(name) => {
                prop_assert!(!name.display.is_empty());
                prop_assert_eq!(name.display.trim(), name.display.as_str());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
