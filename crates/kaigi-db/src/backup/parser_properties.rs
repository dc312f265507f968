//! The backup parser takes files from outside: whatever it is given, it answers with an
//! archive or an error, never a panic.

use crate::backup;
use proptest::prelude::*;

/// A small valid archive for this build's schema version.
fn valid() -> String {
    format!(
        r#"{{"format":"kaigi-backup","format_version":1,"schema_version":{},"tables":[{{"name":"settings","columns":["key","value","created_at","updated_at"],"rows":[["server_secret","abc","2026-01-01T00:00:00Z","2026-01-01T00:00:00Z"]]}}]}}"#,
        crate::Db::schema_version()
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC{0,200}") {
        let _ = backup::parse(&input).map(|a| backup::check(&a));
    }

    #[test]
    fn every_truncation_of_a_valid_archive_is_refused(cut in 0usize..200) {
        let valid = valid();
        let cut = cut.min(valid.len() - 1);
        prop_assert!(backup::parse(&valid[..cut]).is_err());
    }

    #[test]
    fn a_mutated_archive_parses_or_is_refused(position in 0usize..200, byte in any::<u8>()) {
        let mut bytes = valid().into_bytes();
        let position = position.min(bytes.len() - 1);
        bytes[position] = byte;
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = backup::parse(&text).map(|a| backup::check(&a));
        }
    }
}

#[test]
fn the_valid_sample_passes() {
    let archive = backup::parse(&valid()).expect("valid");
    assert!(backup::check(&archive).is_ok());
}
