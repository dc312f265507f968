//! The directory's address rule: the API's JSON Schema pattern and the check it documents say
//! the same, so a client that validates against the document is never refused (and a client
//! that does not is never let through with something the document forbids).

use kaigi_core::directory::{EMAIL_MAX, EMAIL_PATTERN, is_email};
use proptest::prelude::*;

fn pattern() -> regex::Regex {
    regex::Regex::new(EMAIL_PATTERN).expect("the pattern compiles")
}

fn by_document(re: &regex::Regex, text: &str) -> bool {
    re.is_match(text) && text.chars().count() <= EMAIL_MAX
}

#[test]
fn ordinary_addresses_pass_and_broken_ones_do_not() {
    let re = pattern();
    for good in ["a@b.jp", "secretariat@igf.example", "山田@例え.日本", "x+tag@sub.domain.org", "a@b..c"] {
        assert!(is_email(good), "{good}");
        assert!(by_document(&re, good), "{good}");
    }
    for bad in [
        "",
        "@b.jp",
        "a@",
        "a@b",
        "a@.b",
        "a@b.",
        "a b@c.d",
        "a@b@c.d",
        "<a@b.c>",
        "a@b.c\n",
        " a@b.c",
        "¡@\u{7f}",
        "a\u{3000}@b.c",
        "a@b\u{a0}.c",
        "a\u{85}@b.c",
    ] {
        assert!(!is_email(bad), "{bad:?}");
        assert!(!by_document(&re, bad), "{bad:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_pattern_and_the_check_agree(text in "([a-z.@<> ]|\\PC|\\pC|\\s){0,12}") {
        prop_assert_eq!(is_email(&text), by_document(&pattern(), &text), "{:?}", text);
    }

    #[test]
    fn the_pattern_and_the_check_agree_near_addresses(
        local in "[a-z\\u{a0}\\u{3000}\\u{85}\\x00-\\x20.<>@]{0,4}",
        domain in "[a-z\\u{a0}\\u{2028}\\u{7f}.<>@]{0,5}",
    ) {
        let text = format!("{local}@{domain}");
        prop_assert_eq!(is_email(&text), by_document(&pattern(), &text), "{:?}", text);
    }
}

/// The document's pattern for a reading and the server's check agree on every character of
/// the Basic Multilingual Plane and beyond it: a reading the document allows is stored, one
/// it forbids is refused.
#[test]
fn the_reading_pattern_is_the_readings_check() {
    use kaigi_core::directory::{PersonName, READING_PATTERN};
    let re = regex::Regex::new(READING_PATTERN).expect("the pattern compiles");
    for c in (0..0x3_0000u32).filter_map(char::from_u32) {
        let text = format!("か{c}な");
        let stored = PersonName::parse("名前", Some(&text), None).is_ok();
        assert_eq!(re.is_match(&text), stored, "U+{:04X}", c as u32);
    }
    assert!(re.is_match("ふじい　けんた"));
    assert!(!re.is_match("fujii"));
}
