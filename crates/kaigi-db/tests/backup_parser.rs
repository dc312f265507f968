//! The backup parser takes files from outside: whatever it is given, it answers with an
//! archive or an error, never a panic.

use kaigi_db::backup;
use proptest::prelude::*;

const VALID: &str = r#"{"format":"kaigi-backup","format_version":1,"schema_version":1,"tables":[{"name":"settings","columns":["key","value","created_at","updated_at"],"rows":[["server_secret","abc","2026-01-01T00:00:00Z","2026-01-01T00:00:00Z"]]}]}"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC{0,200}") {
        let _ = backup::parse(&input).map(|a| backup::check(&a));
    }

    #[test]
    fn every_truncation_of_a_valid_archive_is_refused(cut in 0..VALID.len()) {
        prop_assume!(VALID.is_char_boundary(cut));
        prop_assert!(backup::parse(&VALID[..cut]).is_err());
    }

    #[test]
    fn a_mutated_archive_parses_or_is_refused(position in 0..VALID.len(), byte in any::<u8>()) {
        let mut bytes = VALID.as_bytes().to_vec();
        bytes[position] = byte;
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = backup::parse(&text).map(|a| backup::check(&a));
        }
    }
}

#[test]
fn the_valid_sample_passes() {
    let archive = backup::parse(VALID).expect("valid");
    assert!(backup::check(&archive).is_ok());
}
