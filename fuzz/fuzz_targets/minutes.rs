#![no_main]
//! Minutes from an archive: the parser answers with a document or "not minutes", never a panic,
//! and what it reads renders back to text that parses again.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(doc) = kaigi_core::minutes::parse(text) {
            let rendered = kaigi_core::minutes::render_markdown(&doc);
            let _ = kaigi_core::minutes::parse(&rendered);
        }
    }
});
