//! Standing meetings: importing the sample minutes, exporting them back, minutes revisions
//! with no lost update, action items carried forward, states and publishing.

use axum::http::StatusCode;
use kaigi_db::{Actor, meetings};

use crate::support::*;

fn sample() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/minutes-sample-ja.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("the sample minutes at {path}: {e}"))
}

#[tokio::test]
async fn the_sample_imports_once_and_exports_back_in_the_same_layout() {
    let app = TestApp::spawn().await;
    let doc = kaigi_core::minutes::parse(&sample()).unwrap();
    let actor = Actor::system("test");
    let preview = kaigi_db::minutes::preview_import(&app.db, &actor, &doc, &Default::default()).await.unwrap();
    assert_eq!(preview.created.len(), 11);
    assert!(kaigi_db::demo::is_empty(&app.db).await.unwrap(), "a preview stores nothing");

    let report = kaigi_db::minutes::import(&app.db, &actor, &doc, &Default::default()).await.unwrap();
    assert_eq!((report.items, report.action_items, report.decisions), (11, 3, 1));
    let id = report.meeting_id.unwrap();
    let again = kaigi_db::minutes::import(&app.db, &actor, &doc, &Default::default()).await.unwrap_err();
    assert!(again.to_string().contains("exists already"), "{again}");

    // Exported and parsed again, the meeting comes back the same.
    let exported = kaigi_core::minutes::render_markdown(&kaigi_db::minutes::document(&app.db, id).await.unwrap());
    let back = kaigi_core::minutes::parse(&exported).unwrap();
    assert_eq!(back.series, doc.series);
    assert_eq!(
        (back.number, back.date.clone(), back.start.clone(), back.end.clone()),
        (doc.number, doc.date.clone(), doc.start.clone(), doc.end.clone())
    );
    assert_eq!(back.venue, doc.venue);
    assert_eq!(back.hosts, doc.hosts);
    assert_eq!(back.participants, doc.participants, "gojūon order, column by column");
    assert_eq!(back.items, doc.items);
    assert_eq!(back.action_items, doc.action_items);
    assert_eq!(back.decisions, doc.decisions);
    assert_eq!(back.next_meeting, doc.next_meeting);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);

    // The next meeting's candidates became an open date poll, the draft agenda is kept.
    assert_eq!(meetings::draft_agenda(&app.db, id).await.unwrap().len(), 3);
    // People were added to the directory and a second import matches them.
    let mut second = doc.clone();
    second.number = Some(13);
    second.date = Some("2026-03-30".into());
    let report = kaigi_db::minutes::import(&app.db, &actor, &second, &Default::default()).await.unwrap();
    assert_eq!((report.matched.len(), report.created.len()), (11, 0));
    let carried = meetings::carried_action_items(&app.db, report.meeting_id.unwrap()).await.unwrap();
    assert_eq!(carried.len(), 3, "the open action items of meeting 12 carry forward to meeting 13");
    assert_eq!(carried[0].owners, "川口");
}

#[tokio::test]
async fn two_people_saving_the_same_item_never_lose_text() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let meeting = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let item = meetings::agenda(&app.db, meeting).await.unwrap()[3].clone();
    let mut alice = app.signed_in(COMMITTEE_MEMBER).await;
    let mut bob = app.signed_in(ADMIN).await;
    let url = format!("/meetings/{meeting}/items/{}/minutes", item.id);
    let base = item.revision.to_string();
    let a = alice.post_form(&url, &[("body", "アリスの追記"), ("revision", &base)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let b = bob.post_form(&url, &[("body", "ボブの追記"), ("revision", &base)]).await;
    assert_eq!(b.status, StatusCode::CONFLICT);
    assert!(b.body.contains("アリスの追記") && b.body.contains("ボブの追記"), "both texts are shown");
    let history = kaigi_db::minutes::revisions(&app.db, item.id).await.unwrap();
    assert_eq!(history[0].body, "アリスの追記");
    assert_eq!(history.len() as i64, item.revision + 1);
    // Bob merges on top of the current revision: both texts are in it.
    let merged = format!("{}\nアリスの追記\nボブの追記", item.body);
    let current = history[0].revision.to_string();
    assert_eq!(bob.post_form(&url, &[("body", &merged), ("revision", &current)]).await.status, StatusCode::SEE_OTHER);
    let page = bob
        .get(&format!("/meetings/{meeting}/items/{}/history?from={}&to={}", item.id, item.revision, item.revision + 2))
        .await;
    assert!(page.body.contains("ボブの追記"), "the diff shows the change");
}

#[tokio::test]
async fn concurrent_saves_from_many_clients_keep_every_revision() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let meeting = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let item = meetings::agenda(&app.db, meeting).await.unwrap()[0].clone();
    let mut tasks = Vec::new();
    for n in 0..8 {
        let db = app.db.clone();
        let base = item.revision;
        tasks.push(tokio::spawn(async move {
            kaigi_db::minutes::save_minutes(&db, &Actor::system("test"), item.id, base, &format!("版 {n}"))
                .await
                .unwrap()
        }));
    }
    let mut saved = 0;
    for task in tasks {
        if task.await.unwrap().is_ok() {
            saved += 1;
        }
    }
    assert_eq!(saved, 1, "exactly one save on the same revision wins; the others get the conflict");
    assert_eq!(kaigi_db::minutes::revisions(&app.db, item.id).await.unwrap().len() as i64, item.revision + 1);
}

#[tokio::test]
async fn minutes_move_through_their_states_and_only_published_ones_are_public() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let all = meetings::of_committee(&app.db, committee).await.unwrap();
    let (latest, earlier) = (all[0].id, all[1].id);
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    // The latest meeting has no later one to approve its minutes at.
    chair.post_form(&format!("/meetings/{latest}/state"), &[("to", "circulated")]).await;
    let refused = chair.post_form(&format!("/meetings/{latest}/state"), &[("to", "approved")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The one before is circulated: approve (at the latest meeting), then publish.
    assert_eq!(app.client().get(&format!("/minutes/{earlier}")).await.status, StatusCode::NOT_FOUND);
    chair.post_form(&format!("/meetings/{earlier}/state"), &[("to", "approved")]).await;
    let item = meetings::agenda(&app.db, earlier).await.unwrap()[0].clone();
    let locked = chair
        .post_form(
            &format!("/meetings/{earlier}/items/{}/minutes", item.id),
            &[("body", "x"), ("revision", &item.revision.to_string())],
        )
        .await;
    assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY, "approved minutes are not edited");
    chair.post_form(&format!("/meetings/{earlier}/state"), &[("to", "published")]).await;
    // An anonymous visitor finds them from the home page, through the committee's page.
    let mut visitor = app.client();
    let home = visitor.get("/").await.body;
    let committee_page = format!("/committees/{committee}/minutes");
    assert!(home.contains(&format!("href=\"{committee_page}\"")), "the home page links the committee");
    let listed = visitor.get(&committee_page).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains(&format!("href=\"/minutes/{earlier}\"")), "published minutes are listed");
    assert!(!listed.body.contains(&format!("/minutes/{latest}")), "unpublished ones are not");
    let public = visitor.get(&format!("/minutes/{earlier}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("宿題の進捗確認"));
    assert!(public.body.contains("class=\"breadcrumb\"") && public.body.contains(&committee_page), "a way back");
    assert!(public.body.contains("/static/kaigi.css"), "styled like every page");
    // Members see the meeting; others do not.
    assert_eq!(app.signed_in(EVALUATOR).await.get(&format!("/meetings/{latest}")).await.status, StatusCode::FORBIDDEN);
    let page = chair.get(&format!("/meetings/{latest}")).await;
    assert!(page.body.contains("期限超過") || page.body.contains("overdue"), "overdue action items are highlighted");
}

#[tokio::test]
async fn closing_an_action_item_removes_it_from_later_meetings() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let all = meetings::of_committee(&app.db, committee).await.unwrap();
    let latest = all[0].id;
    let open: Vec<_> = meetings::carried_action_items(&app.db, latest)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.status == "open")
        .collect();
    assert!(!open.is_empty());
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let target = &open[0];
    let url = format!("/meetings/{latest}/action-items/{}/status", target.id);
    let done = chair.post_form(&url, &[("status", "done"), ("version", &target.version.to_string())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let stale = chair.post_form(&url, &[("status", "open"), ("version", &target.version.to_string())]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "a change based on an old version is refused");
    let after = meetings::carried_action_items(&app.db, latest).await.unwrap();
    assert_eq!(after.iter().find(|a| a.id == target.id).unwrap().status, "done", "shown as closed at this meeting");
}

#[tokio::test]
async fn minutes_upload_previews_then_stores() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let csrf = chair.csrf().await;
    let upload = |confirm: bool| {
        let boundary = "kaigi-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.md\"\r\nContent-Type: text/markdown\r\n\r\n{}\r\n",
            sample()
        );
        if confirm {
            body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"confirm\"\r\n\r\n1\r\n"));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        axum::http::Request::post(format!("/committees/{committee}/import?csrf={}", encode(&csrf)))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let preview = chair.send(upload(false)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("政府からの報告"));
    assert!(kaigi_db::minutes::find(&app.db, "IGF 2026 に向けたユース参画推進チーム", 12).await.unwrap().is_none());
    let stored = chair.send(upload(true)).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    assert!(kaigi_db::minutes::find(&app.db, "IGF 2026 に向けたユース参画推進チーム", 12).await.unwrap().is_some());
    // Not minutes at all: a clear error, nothing stored.
    let boundary = "b";
    let junk = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello world\r\n--{boundary}--\r\n"
    );
    let request = axum::http::Request::post(format!("/committees/{committee}/import?csrf={}", encode(&csrf)))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(axum::body::Body::from(junk))
        .unwrap();
    let refused = chair.send(request).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("This does not read as minutes: found neither a meeting date"), "{}", refused.body);
}

#[tokio::test]
async fn a_new_meeting_starts_from_what_the_series_carries_forward() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let latest = meetings::of_committee(&app.db, committee).await.unwrap()[0].clone();
    let series = meetings::series_of_committee(&app.db, committee).await.unwrap()[0].id;
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    // A topic of the latest meeting was not reached: it comes back.
    let item = meetings::agenda(&app.db, latest.id).await.unwrap()[3].clone();
    chair.post_form(&format!("/meetings/{}/items/{}/flags", latest.id, item.id), &[("recurring", "on")]).await;
    let bad = chair
        .post_form(
            &format!("/committees/{committee}/meetings"),
            &[
                ("series", &series.to_string()),
                ("number", "59"),
                ("held_on", "2026-12-07"),
                ("starts_at", "20:00"),
                ("ends_at", "18:30"),
                ("venue_kind", "online"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "ending before starting is refused");
    let created = chair
        .post_form(
            &format!("/committees/{committee}/meetings"),
            &[
                ("series", &series.to_string()),
                ("number", "59"),
                ("held_on", "2026-12-07"),
                ("starts_at", "18:30"),
                ("ends_at", "20:00"),
                ("venue_kind", "online"),
                ("venue_text", "Zoom"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id = kaigi_db::minutes::find(&app.db, &latest.series_name, 59).await.unwrap().unwrap();
    let titles: Vec<String> = meetings::agenda(&app.db, id).await.unwrap().into_iter().map(|i| i.title).collect();
    assert_eq!(titles[0], "開会");
    assert_eq!(titles[1], "宿題の進捗確認", "open action items bring the progress check");
    for drafted in meetings::draft_agenda(&app.db, latest.id).await.unwrap() {
        assert!(titles.contains(&drafted), "the draft agenda of meeting 58 ({drafted}) is on the agenda: {titles:?}");
    }
    assert!(titles.contains(&item.title), "the recurring topic comes back");
    assert!(!meetings::carried_action_items(&app.db, id).await.unwrap().is_empty());

    // Building it up: an agenda item with a time box, an attendee, a material, an action item, a decision.
    chair.post_form(&format!("/meetings/{id}/items"), &[("title", "予算について"), ("timebox", "120")]).await;
    let page = chair.get(&format!("/meetings/{id}")).await;
    assert!(page.body.contains("予算について"));
    assert!(page.body.contains("notice warn"), "the time boxes overflow the 90-minute slot and the page says so");
    let members = meetings::members(&app.db, committee).await.unwrap();
    chair.post_form(&format!("/meetings/{id}/attendance"), &[("person", &members[0].0.to_string())]).await;
    assert_eq!(meetings::attendance(&app.db, id).await.unwrap().len(), 1);
    let owner = members[1].0.to_string();
    let no_text = chair.post_form(&format!("/meetings/{id}/action-items"), &[("text", " "), ("owner", &owner)]).await;
    assert_eq!(no_text.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_due = chair
        .post_form(&format!("/meetings/{id}/action-items"), &[("text", "会場予約"), ("owner", &owner), ("due", "来週")])
        .await;
    assert_eq!(bad_due.status, StatusCode::UNPROCESSABLE_ENTITY);
    chair
        .post_form(
            &format!("/meetings/{id}/action-items"),
            &[("text", "会場予約"), ("owner", &owner), ("due", "2027-01")],
        )
        .await;
    let decided = meetings::action_items_from(&app.db, id).await.unwrap();
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0].due.as_deref(), Some("2027-01"));
    chair.post_form(&format!("/meetings/{id}/decisions"), &[("text", "予算案を承認する")]).await;
    chair.post_form(&format!("/meetings/{id}/draft-agenda"), &[("title", "会場の決定")]).await;
    assert_eq!(meetings::draft_agenda(&app.db, id).await.unwrap(), ["会場の決定"]);
    assert_eq!(meetings::decisions(&app.db, id).await.unwrap(), ["予算案を承認する"]);
    let committee_page = chair.get(&format!("/committees/{committee}")).await;
    assert!(committee_page.body.contains("予算案を承認する") && committee_page.body.contains("会場予約"));
}

#[tokio::test]
async fn materials_upload_within_the_limit_and_download_back() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let meeting = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let csrf = chair.csrf().await;
    let upload = |content: Vec<u8>| {
        let boundary = "m";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n資料 3：予算表\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"budget.csv\"\r\nContent-Type: text/csv\r\n\r\n").into_bytes();
        body.extend(content);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        axum::http::Request::post(format!("/meetings/{meeting}/materials?csrf={}", encode(&csrf)))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    assert_eq!(chair.send(upload(b"item,yen\nvenue,50000\n".to_vec())).await.status, StatusCode::SEE_OTHER);
    let material = meetings::material_list(&app.db, meeting)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.title == "資料 3：予算表")
        .unwrap();
    let download = chair.get(&format!("/meetings/{meeting}/materials/{}", material.id)).await;
    assert_eq!(download.body, "item,yen\nvenue,50000\n");
    assert!(download.headers["content-disposition"].to_str().unwrap().contains("budget.csv"));
    let too_big = chair.send(upload(vec![b'x'; kaigi_db::meetings::MATERIAL_LIMIT + 100 * 1024])).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_big.body);
    assert_eq!(
        meetings::material_list(&app.db, meeting).await.unwrap().iter().filter(|m| m.title == "資料 3：予算表").count(),
        1
    );
}

/// The text of a PDF as `pdftotext` (Debian's poppler-utils, installed by .ci/run) reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("minutes.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) reads the PDF; .ci/run installs it");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn minutes_come_out_as_a_pdf_in_the_conventional_layout() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    // The latest meeting: its minutes are still a draft in the demo.
    let meeting =
        meetings::of_committee(&app.db, committee).await.unwrap().into_iter().max_by_key(|m| m.held_on).unwrap().id;
    // Minutes written in kaigi: Markdown in an item, a decision and an action item recorded
    // apart from the text.
    let item = meetings::agenda(&app.db, meeting).await.unwrap()[0].id;
    let actor = kaigi_db::audit::Actor::system("test");
    let based_on = kaigi_db::minutes::revisions(&app.db, item).await.unwrap().first().map_or(0, |r| r.revision);
    kaigi_db::minutes::save_minutes(
        &app.db,
        &actor,
        item,
        based_on,
        "- **重要**：会場を確認\n  - 定員は `30` 名 #set\n",
    )
    .await
    .unwrap()
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    meetings::add_decision(&mut tx, &actor, meeting, None, "報告会は 12 月に開催する").await.unwrap();
    tx.commit().await.unwrap();
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let answer = chair.get(&format!("/meetings/{meeting}/minutes.pdf")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.headers["content-type"], "application/pdf");
    assert!(answer.body.starts_with("%PDF-"));
    let text = pdf_text(&answer.bytes);
    // Participants in the order the document lists them (gojūon), the left column read first.
    let document = kaigi_db::minutes::document(&app.db, meeting).await.unwrap();
    assert!(document.participants.len() >= 4, "the demo meeting has participants");
    let mut from = 0;
    for p in &document.participants {
        let at = text[from..].find(&p.family).map(|i| i + from);
        assert!(at.is_some(), "{} {} after byte {from} of:\n{text}", p.family, p.given);
        from = at.unwrap_or(from);
    }
    // Markdown is typeset, not printed: no ** or leading "- ".
    assert!(text.contains("重要") && !text.contains("**"), "{text}");
    assert!(text.contains("#set"), "markup characters are shown as text: {text}");
    assert!(text.contains("決定事項") && text.contains("報告会は 12 月に開催する"), "{text}");
    assert!(text.trim_end().ends_with("以上") || text.contains("以上"), "{text}");
    // The same source for the Markdown export: the participants as a Markdown table.
    let markdown = chair.get(&format!("/meetings/{meeting}/minutes.md")).await;
    assert!(markdown.body.contains("| 姓 | 名 | ご所属 | 姓 | 名 | ご所属 |"), "{}", markdown.body);
    assert!(markdown.body.contains("報告会は 12 月に開催する"), "{}", markdown.body);
    assert!(!markdown.body.contains('\t'), "no tab-separated rows: {}", markdown.body);
}

#[tokio::test]
async fn meeting_details_are_edited_without_overwriting_a_newer_edit() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    let id = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let m = meetings::meeting(&app.db, id).await.unwrap().unwrap();
    let version = m.version.to_string();
    let held_on = m.held_on.to_string();
    let fields = |venue: &'static str, tz: &'static str| {
        vec![
            ("version", version.clone()),
            ("held_on", held_on.clone()),
            ("starts_at", "19:00".to_owned()),
            ("ends_at", "20:30".to_owned()),
            ("timezone", tz.to_owned()),
            ("venue_kind", "onsite".to_owned()),
            ("venue_text", venue.to_owned()),
            ("hosts", "一般社団法人サンプルネットワーク協会\n総務省".to_owned()),
        ]
    };
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let post = |f: Vec<(&'static str, String)>| f;
    let bad_tz: Vec<(&str, String)> = post(fields("会議室 A", "Tokyo"));
    let bad: Vec<(&str, &str)> = bad_tz.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        chair.post_form(&format!("/meetings/{id}/details"), &bad).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let first = fields("会議室 A", "Asia/Tokyo");
    let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(chair.post_form(&format!("/meetings/{id}/details"), &first).await.status, StatusCode::SEE_OTHER);
    let stale = fields("会議室 B", "Asia/Tokyo");
    let stale: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        chair.post_form(&format!("/meetings/{id}/details"), &stale).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let saved = meetings::meeting(&app.db, id).await.unwrap().unwrap();
    assert_eq!((saved.venue_text.as_deref(), saved.starts_at.as_str()), (Some("会議室 A"), "19:00"));
    assert_eq!(meetings::hosts(&app.db, id).await.unwrap(), ["一般社団法人サンプルネットワーク協会", "総務省"]);
}

#[tokio::test]
async fn a_member_cannot_reach_another_committees_action_items_through_their_own_meeting() {
    let app = TestApp::with_demo().await;
    let committee = kaigi_db::demo::first_committee(&app.db).await.unwrap().unwrap();
    // A second committee, from the sample minutes.
    let doc = kaigi_core::minutes::parse(&sample()).unwrap();
    let other = kaigi_db::minutes::import(&app.db, &Actor::system("test"), &doc, &Default::default())
        .await
        .unwrap()
        .meeting_id
        .unwrap();
    let foreign = meetings::action_items_from(&app.db, other).await.unwrap()[0].clone();
    let foreign_item = meetings::agenda(&app.db, other).await.unwrap()[0].id;
    let own = meetings::of_committee(&app.db, committee).await.unwrap()[0].id;
    let mut chair = app.signed_in(COMMITTEE_MEMBER).await;
    let answer = chair
        .post_form(
            &format!("/meetings/{own}/action-items/{}/status", foreign.id),
            &[("status", "done"), ("version", &foreign.version.to_string())],
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(meetings::action_items_from(&app.db, other).await.unwrap()[0].status, "open");
    let decision = chair
        .post_form(&format!("/meetings/{own}/decisions"), &[("text", "x"), ("item", &foreign_item.to_string())])
        .await;
    assert_eq!(decision.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(chair.get(&format!("/meetings/{other}")).await.status, StatusCode::FORBIDDEN);
}

/// Two secretaries importing the same minutes at once (a double click, two tabs): one import
/// stores the meeting, every other is refused in words, and the series exists once.
#[tokio::test]
async fn the_same_minutes_imported_at_once_are_stored_once() {
    let app = TestApp::spawn().await;
    let doc = kaigi_core::minutes::parse(&sample()).unwrap();
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let (db, doc) = (app.db.clone(), doc.clone());
            tokio::spawn(async move {
                kaigi_db::minutes::import(&db, &Actor::system("test"), &doc, &Default::default()).await
            })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => stored += 1,
            Err(e) => assert_eq!(e.key(), Some("error-minutes-meeting-exists"), "{e}"),
        }
    }
    assert_eq!(stored, 1);
    let series = app.count("select count(*) from meeting_series").await;
    assert_eq!(series, 1, "one series, however many imports raced");
}
