#![cfg_attr(not(test), no_main)]
//! What a call reads from outside: call settings, rubrics and marks, `kaigi aggregate` input
//! and `kaigi similar` texts. Every input is read or refused, never a panic.

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(settings) = serde_json::from_slice::<kaigi_core::calls::CallSettings>(data) {
        let _ = settings.check();
    }
    if let Ok(rubric) = serde_json::from_slice::<kaigi_core::evaluation::Rubric>(data)
        && rubric.check().is_ok()
    {
        let marks = kaigi_core::evaluation::Marks {
            scores: rubric.criteria.iter().map(|c| (c.id.clone(), rubric.scale_min)).collect(),
            comments: BTreeMap::new(),
        };
        let _ = rubric.weighted(&marks);
        let _ = rubric.problems(&marks);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let half = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i);
        let (a, b) = text.split_at(half);
        for p in kaigi_core::similarity::shared_passages(a, b, 4) {
            let _ = (&a[p.a], &b[p.b]);
        }
        let _ = kaigi_core::similarity::similar_pairs(&[a.to_owned(), b.to_owned(), text.to_owned()], 0.1, 10);
    }
});
