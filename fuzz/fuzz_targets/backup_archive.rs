#![cfg_attr(not(test), no_main)]
//! A backup archive from disk: parse and check must answer, never panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(archive) = kaigi_db::backup::parse(text)
    {
        let _ = kaigi_db::backup::check(&archive);
    }
});
