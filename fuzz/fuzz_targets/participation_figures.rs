//! Past editions' figures come from CSV files people export from spreadsheets: any bytes must
//! give figures or a located error, never a panic, and what is read must write back the same.
#![cfg_attr(not(test), no_main)]

use kaigi_core::participation::{figures_from_rows, parse_aggregates, to_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rows) = parse_aggregates(text) {
        let again = parse_aggregates(&to_csv(&figures_from_rows(&rows))).expect("written figures read back");
        assert_eq!(again.len(), rows.len());
    }
});
