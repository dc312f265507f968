#![cfg_attr(not(test), no_main)]
//! Search text from users: folding and snippets never panic, and the index agrees with a scan.

use kaigi_core::access::Permission;
use kaigi_core::search::{Document, Filters, Index, Kind, fold};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (body, query) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    let doc = Document {
        kind: Kind::Minutes,
        id: "0".into(),
        title: String::new(),
        body: body.into(),
        url: "/".into(),
        edition: None,
        series: None,
        date: None,
        access: Permission::Public,
    };
    let index = Index::new([doc]);
    let found = !index.search(query, &Filters::default(), |_| true).is_empty();
    let q = fold(query);
    assert_eq!(found, !q.is_empty() && fold(body).contains(&q));
});
