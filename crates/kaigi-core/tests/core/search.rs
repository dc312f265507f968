//! The search index against a plain substring scan: same documents for any query.

use kaigi_core::access::Permission;
use kaigi_core::search::{Document, Filters, Index, Kind, fold};
use proptest::prelude::*;

fn doc(i: usize, title: String, body: String) -> Document {
    Document {
        kind: Kind::Minutes,
        id: i.to_string(),
        title,
        body,
        url: format!("/{i}"),
        edition: None,
        series: None,
        date: None,
        access: Permission::Public,
    }
}

/// Text mixing kanji, both kana, full- and half-width Latin, digits and spaces.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "会", "議", "勉", "強", "マ", "ル", "チ", "ま", "る", "ち", "ー", "A", "Ｂ", "c", "ｄ", "2", "０", " ",
            "　", "+", "ｶ", "ﾞ", "ガ", "が", "W", "S", "I",
        ]),
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_index_finds_exactly_what_a_scan_finds(
        docs in prop::collection::vec((text(), text()), 1..30),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..6, 1usize..6), 1..8),
        random in prop::collection::vec(text(), 1..4),
    ) {
        let documents: Vec<Document> = docs.iter().enumerate().map(|(i, (t, b))| doc(i, t.clone(), b.clone())).collect();
        let index = Index::new(documents.clone());
        // Queries cut from the documents themselves, and random ones.
        let mut queries: Vec<String> = picks.iter().map(|(which, from, len)| {
            let (t, b) = &docs[which.index(docs.len())];
            let chars: Vec<char> = format!("{t}{b}").chars().collect();
            let start = (*from).min(chars.len());
            chars[start..(start + len).min(chars.len())].iter().collect()
        }).collect();
        queries.extend(random);
        for q in queries {
            let folded = fold(&q);
            let mut expected: Vec<String> = documents.iter()
                .filter(|d| !folded.is_empty() && (fold(&d.title).contains(&folded) || fold(&d.body).contains(&folded)))
                .map(|d| d.id.clone()).collect();
            expected.sort();
            let mut found: Vec<String> = index.search(&q, &Filters::default(), |_| true).iter().map(|h| h.document.id.clone()).collect();
            found.sort();
            prop_assert_eq!(found, expected, "query {:?}", q);
        }
    }

    #[test]
    fn snippets_never_panic_and_contain_the_hit(body in "\\PC{0,120}", at in 0usize..120, len in 1usize..5) {
        let chars: Vec<char> = body.chars().collect();
        let start = at.min(chars.len());
        let q: String = chars[start..(start + len).min(chars.len())].iter().collect();
        let index = Index::new([doc(0, String::new(), body.clone())]);
        for hit in index.search(&q, &Filters::default(), |_| true) {
            let snippet = hit.snippet();
            prop_assert!(!snippet.hit.is_empty());
            prop_assert!(fold(&snippet.hit).contains(&fold(&q)) || fold(&q).contains(&fold(&snippet.hit)),
                "{:?} for {:?}", snippet, q);
        }
    }
}
