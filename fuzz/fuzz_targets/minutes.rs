#![cfg_attr(not(test), no_main)]
//! Minutes from an archive: the parser answers with a document or "not minutes", never a panic,
//! what it reads renders back to text that parses again, and the cut-off check reads it too.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(doc) = kaigi_core::minutes::parse(text)
    {
        // The check for cut-off files reads the same text; it must not panic either.
        let _ = kaigi_core::minutes::truncation_signs(text, &doc);
        let rendered = kaigi_core::minutes::render_markdown(&doc);
        let _ = kaigi_core::minutes::parse(&rendered);
    }
});
