#![cfg_attr(not(test), no_main)]
//! `kaigi edition setup --file` and the setup page's fields: a setup file or typed spans and
//! availability are read or refused with their place, never a panic; what reads back the same.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(setup) = serde_json::from_slice::<kaigi_core::setup::EditionSetup>(data) {
        let _ = setup.check();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(spans) = kaigi_core::setup::parse_spans(text) {
            let again = kaigi_core::setup::parse_spans(&kaigi_core::setup::format_spans(&spans));
            assert_eq!(again.as_ref(), Ok(&spans));
        }
        let _ = kaigi_core::setup::parse_availability(text);
    }
});
