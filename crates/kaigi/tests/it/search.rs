//! One search over everything: no false negatives against a substring scan, only what the
//! reader may open, the index following every change on every instance, and the CLI contract.

use kaigi_core::search::{Filters, Kind, fold};
use kaigi_db::{Actor, meetings};
use kaigi_web::{AppState, Config};

use crate::support::*;

/// The plain substring scan the index must agree with.
fn scan(docs: &[kaigi_core::search::Document], query: &str) -> Vec<String> {
    let q = fold(query);
    let mut ids: Vec<String> = docs
        .iter()
        .filter(|d| fold(&d.title).contains(&q) || fold(&d.body).contains(&q))
        .map(|d| d.id.clone())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn every_document_containing_the_query_is_found_and_nothing_else() {
    let app = TestApp::with_demo().await;
    let docs = kaigi_db::search::documents(&app.db).await.unwrap();
    for kind in [Kind::Minutes, Kind::Proposal, Kind::Person, Kind::ActionItem] {
        assert!(docs.iter().any(|d| d.kind == kind), "the demo has {kind:?} documents");
    }
    let (index, _) = kaigi_db::search::build(&app.db).await.unwrap();
    let queries = [
        "マルチステークホルダー",
        "勉強会",
        "APrIGF 2025",
        "WSIS+20",
        "ｽﾃｰｸﾎﾙﾀﾞｰ",
        "ユース",
        "wsis",
        "議",
        "存在しない言葉",
    ];
    for q in queries {
        let mut found: Vec<String> =
            index.search(q, &Filters::default(), |_| true).iter().map(|h| h.document.id.clone()).collect();
        found.sort();
        let expected = scan(&docs, q);
        assert_eq!(found, expected, "{q}");
        if q == "存在しない言葉" {
            assert!(found.is_empty());
        } else {
            assert!(!found.is_empty(), "{q} is in the demo");
        }
    }
    // Every two-character window of a few real titles finds its document.
    for d in docs.iter().step_by(97) {
        let chars: Vec<char> = d.title.chars().collect();
        for w in chars.windows(2).step_by(3) {
            let q: String = w.iter().collect();
            if q.trim().chars().count() < 2 {
                continue;
            }
            let hits = index.search(&q, &Filters::default(), |_| true);
            assert!(hits.iter().any(|h| h.document.id == d.id), "{q:?} should find {}", d.title);
            assert!(hits.first().is_some_and(|h| h.in_title), "title matches come first for {q:?}");
        }
    }
}

#[tokio::test]
async fn readers_only_find_what_they_may_open() {
    let app = TestApp::with_demo().await;
    // Draft minutes and people: members of the committee and the secretariat, not the public.
    let mut public = app.client();
    let answer = public.get("/api/v1/search?q=%E5%AE%BF%E9%A1%8C").await; // 宿題
    assert_eq!(answer.status, 200);
    let hits = answer.json()["hits"].as_array().unwrap().clone();
    assert!(hits.iter().all(|h| h["url"].as_str().unwrap().starts_with("/minutes/")), "{hits:?}");
    let mut member = app.signed_in(COMMITTEE_MEMBER).await;
    let inside = member.get("/api/v1/search?q=%E5%AE%BF%E9%A1%8C").await.json();
    assert!(inside["total"].as_u64().unwrap() > hits.len() as u64, "a member sees the drafts and action items too");
    let q = "/api/v1/search?q=%E8%B3%87%E6%96%99%E6%A1%88%E3%81%AE%E4%BD%9C%E6%88%90"; // 資料案の作成
    let actions = member.get(q).await.json();
    assert!(actions["hits"].as_array().unwrap().iter().any(|h| h["kind"] == "action_item"), "{actions}");
    let outside = public.get(q).await.json();
    assert!(outside["hits"].as_array().unwrap().iter().all(|h| h["kind"] == "minutes"), "{outside}");
    // Proposals belong to the edition's secretariat.
    let mut participant = app.signed_in(PARTICIPANT).await;
    let p = participant.get("/api/v1/search?q=WSIS%2B20").await.json();
    assert!(p["hits"].as_array().unwrap().iter().all(|h| h["kind"] != "proposal"), "{p}");
    let mut secretariat = app.signed_in(SECRETARIAT).await;
    let s = secretariat.get("/api/v1/search?q=WSIS%2B20&kind=proposal").await.json();
    assert!(s["total"].as_u64().unwrap() > 0);
    let url = s["hits"][0]["url"].as_str().unwrap().to_owned();
    let page = secretariat.get(&url).await;
    assert_eq!(page.status, 200, "the hit's link opens: {url}");
    assert!(page.body.contains("WSIS+20"));
    // The page highlights the match and escapes everything else.
    let html = secretariat.get("/search?q=WSIS%2B20&kind=proposal").await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("<mark>WSIS+20</mark>"), "{}", &html.body[..500.min(html.body.len())]);
    let bad = secretariat.get("/api/v1/search?q=x&kind=planet").await;
    assert_eq!(bad.status, 422);
    let bad = secretariat.get("/search?q=x&from=tomorrow").await;
    assert_eq!(bad.status, 422);
}

#[tokio::test]
async fn the_index_follows_every_change_on_every_instance() {
    let app = TestApp::with_demo().await;
    // A second instance on the same database, as behind a load balancer.
    let other = AppState::new(app.db.clone(), Config::local(0)).await.unwrap();
    let first = AppState::new(app.db.clone(), Config::local(0)).await.unwrap();
    let word = "量子暗号勉強会キックオフ";
    for state in [&first, &other] {
        let index = state.search.index(&state.db).await.unwrap();
        assert!(index.search(word, &Filters::default(), |_| true).is_empty());
    }
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let meeting = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let item = meetings::agenda(&app.db, meeting).await.unwrap()[0].id;
    let revision =
        kaigi_db::minutes::revisions(&app.db, item).await.unwrap().iter().map(|r| r.revision).max().unwrap_or(0);
    kaigi_db::minutes::save_minutes(
        &app.db,
        &Actor::system("test"),
        item,
        revision,
        &format!("- {word}を開催することとした。"),
    )
    .await
    .unwrap()
    .unwrap();
    for state in [&first, &other] {
        let index = state.search.index(&state.db).await.unwrap();
        let hits = index.search(word, &Filters::default(), |_| true);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].document.id, item.to_string());
        assert!(hits[0].document.url.contains(&format!("#item-{item}")));
    }
}

#[test]
fn kaigi_search_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| kaigi_on(db, args);
    let (code, _, stderr) = run(&["demo", "--no-serve"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(&["search", "勉強会", "--json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["total"].as_u64().unwrap() as usize, out["hits"].as_array().unwrap().len());
    let hit = &out["hits"][0];
    assert_eq!(hit["kind"], "minutes");
    for key in ["id", "title", "snippet", "url"] {
        assert!(hit[key].is_string(), "{key} in {hit}");
    }
    assert!(hit["snippet"].as_str().unwrap().contains("勉強会"));
    assert!(hit["url"].as_str().unwrap().starts_with('/'));
    let (_, stdout, _) = run(&["search", "ぜったいにないことば", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap(),
        serde_json::json!({"total": 0, "hits": []})
    );
    let (_, stdout, _) = run(&["search", "WSIS+20", "--json", "--kind", "minutes", "--limit", "1"]);
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(out["total"].as_u64().unwrap() >= 1);
    assert_eq!(out["hits"].as_array().unwrap().len(), 1);
    assert_eq!(out["hits"][0]["kind"], "minutes");
    let (code, _, stderr) = run(&["search", "--reindex"]);
    assert_eq!(code, Some(0));
    assert!(stderr.contains("indexed"), "{stderr}");
    let (code, _, stderr) = run(&["search", "x", "--kind", "planet"]);
    assert_ne!(code, Some(0));
    assert!(stderr.contains("--kind"), "{stderr}");
}

#[tokio::test]
async fn every_write_to_a_searched_table_moves_the_fingerprint_exactly_once() {
    let app = TestApp::spawn().await;
    let changes = |print: String| print.split('|').next().unwrap().parse::<i64>().unwrap();
    let mut last = changes(kaigi_db::search::fingerprint(&app.db).await.unwrap());
    for n in 0..40 {
        let mut tx = app.db.begin().await.unwrap();
        kaigi_db::directory::create_organisation(
            &mut tx,
            &kaigi_db::Actor::system("t"),
            &format!("組織 {n}"),
            None,
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let now = changes(kaigi_db::search::fingerprint(&app.db).await.unwrap());
        assert_eq!(now, last + 1, "write {n} counted once, whichever counter it drew");
        last = now;
    }
    // A write that is rolled back leaves no trace.
    let mut tx = app.db.begin().await.unwrap();
    kaigi_db::directory::create_organisation(&mut tx, &kaigi_db::Actor::system("t"), "取り消し", None, None)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(changes(kaigi_db::search::fingerprint(&app.db).await.unwrap()), last);
}
