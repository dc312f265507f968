#![cfg_attr(not(test), no_main)]
//! Names from forms and imports: parsing, romaji readings and sort keys must never panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (display, reading) = text.split_once('\n').unwrap_or((text, ""));
        if let Ok(name) = kaigi_core::directory::PersonName::parse(display, Some(reading), None) {
            let reading = name.sort_reading();
            let _ = kaigi_core::collation::gojuon_sort_key(reading.as_deref(), &name.display);
        }
        let _ = kaigi_core::collation::romaji_to_hiragana(text);
    }
});
