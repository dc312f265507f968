//! Roundtables in the browser's forms: the secretariat creates one, invites from the directory
//! (all lines or none), pins hosts, seats everyone over two rounds; a rapporteur files the
//! table's report under a theme; a stale save and a re-seating after reports are refused.

use axum::http::StatusCode;
use kaigi_db::roundtables;

use crate::support::*;

#[tokio::test]
async fn the_secretariat_seats_a_roundtable_and_rapporteurs_report_by_theme() {
    let app = TestApp::with_demo().await;
    let mut desk = app.signed_in(SECRETARIAT).await;
    let created = desk
        .post_form(
            "/editions/igf-2026/roundtables",
            &[
                ("name", "Youth roundtable"),
                ("name_ja", "ユース・ラウンドテーブル"),
                ("tables", "3"),
                ("seats", "4"),
                ("rounds", "2"),
                ("themes", "Standards | 標準化\nAI agents | AIエージェント"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page_url = created.location().unwrap().to_owned();
    let id = uuid::Uuid::parse_str(page_url.rsplit('/').next().unwrap()).unwrap();

    // Invitees by email or name; one unknown line stores nothing.
    let people = kaigi_db::directory::list_people(&app.db, None, 12, 0).await.unwrap();
    let mut lines: Vec<String> = people.iter().map(|p| p.email.clone().unwrap()).collect();
    lines[0] = format!("{} | 2", lines[0]);
    let mut with_unknown = lines.clone();
    with_unknown.push("Nobody Atall".into());
    let refused = desk.post_form(&format!("{page_url}/invitees"), &[("people", &with_unknown.join("\n"))]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Line 13: nobody in the directory is “Nobody Atall”"), "{}", refused.body);
    assert!(refused.body.contains("13 行目：名簿に「Nobody Atall」はいません"), "{}", refused.body);
    assert!(roundtables::invitees(&app.db, id).await.unwrap().is_empty(), "all lines or none");
    let invited = desk.post_form(&format!("{page_url}/invitees"), &[("people", &lines.join("\n"))]).await;
    assert_eq!(invited.status, StatusCode::SEE_OTHER, "{}", invited.body);
    assert_eq!(roundtables::invitees(&app.db, id).await.unwrap().len(), 12);

    // Seating: everyone once per round, the host at table 2 both times.
    let rt = roundtables::get(&app.db, id).await.unwrap().unwrap();
    let seated = desk.post_form(&format!("{page_url}/seat"), &[("version", &rt.version.to_string())]).await;
    assert_eq!(seated.status, StatusCode::SEE_OTHER, "{}", seated.body);
    let seats = roundtables::seats(&app.db, id).await.unwrap();
    assert_eq!(seats.len(), 24);
    for round in [1, 2] {
        let host = seats.iter().find(|s| s.round == round && s.person_id == people[0].id).unwrap();
        assert_eq!(host.table_number, 2);
        for table in 1..=3 {
            let at: Vec<_> = seats.iter().filter(|s| s.round == round && s.table_number == table).collect();
            assert_eq!(at.len(), 4);
            assert_eq!(at.iter().filter(|s| s.rapporteur).count(), 1, "one rapporteur per table");
        }
    }
    // The stale form (old version) is refused rather than seating twice.
    let stale = desk.post_form(&format!("{page_url}/seat"), &[("version", &rt.version.to_string())]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    let chart = desk.get(&format!("{page_url}/chart")).await;
    assert_eq!(chart.status, StatusCode::OK);
    assert!(chart.body.contains(&people[0].display_name) && chart.body.contains("seating-table"));

    // The secretariat changes a table's rapporteur; the demo participant (not at this
    // roundtable) cannot open the table's report.
    let table = seats.iter().find(|s| s.round == 1).unwrap().table_number;
    let someone = seats.iter().find(|s| s.round == 1 && s.table_number == table).unwrap().person_id;
    let changed = desk
        .post_form(
            &format!("{page_url}/rapporteur"),
            &[("round", "1"), ("table", &table.to_string()), ("person", &someone.to_string())],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let report_url = format!("/roundtables/{id}/rounds/1/tables/{table}/report");
    let mut rapporteur = app.signed_in(PARTICIPANT).await;
    assert_eq!(rapporteur.get(&report_url).await.status, StatusCode::FORBIDDEN, "not this table's rapporteur");
    // The secretariat files the report for the table; a second save from the same old form is refused.
    let first = desk
        .post_form(
            &report_url,
            &[("theme", "Standards"), ("body", "Plain-language summaries, please."), ("version", "0")],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let stale = desk.post_form(&report_url, &[("theme", "AI agents"), ("body", "Other text"), ("version", "0")]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = desk.post_form(&report_url, &[("theme", "Cooking"), ("body", "x"), ("version", "1")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = desk.get(&page_url).await;
    assert!(page.body.contains("Plain-language summaries, please."));
    // Reports filed: the seating is kept as it is.
    let rt = roundtables::get(&app.db, id).await.unwrap().unwrap();
    let reseat = desk.post_form(&format!("{page_url}/seat"), &[("version", &rt.version.to_string())]).await;
    assert_eq!(reseat.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(roundtables::seats(&app.db, id).await.unwrap().len(), 24);
}

#[tokio::test]
async fn the_demo_roundtable_is_seated_like_the_seed_and_its_rapporteur_can_report() {
    let app = TestApp::with_demo().await;
    let edition = kaigi_db::editions::edition_by_slug(&app.db, "igf-2026").await.unwrap().unwrap();
    let rt = roundtables::of_edition(&app.db, edition.id).await.unwrap().remove(0);
    let seats = roundtables::seats(&app.db, rt.id).await.unwrap();
    assert_eq!(seats.len(), 280, "140 invitees in each of two rounds");
    let mut first_round_pairs = std::collections::HashSet::new();
    for table in 1..=20 {
        let at: Vec<_> =
            seats.iter().filter(|s| s.round == 1 && s.table_number == table).map(|s| s.person_id).collect();
        for a in &at {
            for b in &at {
                if a < b {
                    first_round_pairs.insert((*a, *b));
                }
            }
        }
        let groups: std::collections::HashSet<_> = seats
            .iter()
            .filter(|s| s.round == 1 && s.table_number == table)
            .filter_map(|s| s.stakeholder_group.clone())
            .collect();
        assert!(groups.len() >= 4, "table {table} mixes groups: {groups:?}");
    }
    let again = (1..=20)
        .map(|table| {
            let at: Vec<_> =
                seats.iter().filter(|s| s.round == 2 && s.table_number == table).map(|s| s.person_id).collect();
            at.iter()
                .flat_map(|a| at.iter().map(move |b| (*a, *b)))
                .filter(|p| p.0 < p.1 && first_round_pairs.contains(p))
                .count()
        })
        .sum::<usize>();
    assert!(again * 10 < first_round_pairs.len(), "{again} of {} pairs meet again", first_round_pairs.len());

    // The demo participant, made rapporteur, finds the table on their account page and reports.
    let participant = kaigi_db::accounts::find_user_by_email(&app.db, PARTICIPANT).await.unwrap().unwrap();
    let person = participant.person_id.unwrap();
    let seat = seats.iter().find(|s| s.round == 2 && s.person_id == person).unwrap();
    roundtables::set_rapporteur(&app.db, &kaigi_db::Actor::system("test"), rt.id, 2, seat.table_number, person)
        .await
        .unwrap();
    let mut client = app.signed_in(PARTICIPANT).await;
    let me = client.get("/me").await;
    let url = format!("/roundtables/{}/rounds/2/tables/{}/report", rt.id, seat.table_number);
    assert!(me.body.contains(&url), "{}", me.body);
    let saved = client
        .post_form(&url, &[("theme", "AI agents"), ("body", "Agents need audit trails."), ("version", "0")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let reports = roundtables::reports(&app.db, rt.id).await.unwrap();
    assert!(reports.iter().any(|r| r.round == 2 && r.theme == "AI agents"));
}

#[test]
fn the_cli_creates_invites_seats_and_prints_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| kaigi_on(db, args);
    assert_eq!(run(&["demo", "--no-serve"]).0, Some(0));
    let (code, stdout, stderr) = run(&[
        "roundtable",
        "create",
        "igf-2026",
        "--name",
        "Breakout",
        "--tables",
        "2",
        "--seats",
        "3",
        "--rounds",
        "2",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let id = stdout.trim().to_owned();
    let list = dir.path().join("invitees.txt");
    let emails: Vec<String> = (0..6).map(|i| format!("person{i:03}@example.org")).collect();
    std::fs::write(&list, format!("{} | 1\n{}\nNo Such Person\n", emails[0], emails[1..].join("\n"))).unwrap();
    let (code, _, stderr) = run(&["roundtable", "invite", &id, "--file", list.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("line 7"), "{stderr}");
    std::fs::write(&list, format!("{} | 1\n{}\n", emails[0], emails[1..].join("\n"))).unwrap();
    let (code, stdout, stderr) = run(&["roundtable", "invite", &id, "--file", list.to_str().unwrap()]);
    assert_eq!((code, stdout.trim()), (Some(0), "invited 6"), "{stderr}");
    let (code, stdout, stderr) = run(&["roundtable", "seat", &id, "--seconds", "0.2"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("round 2:"), "{stdout}");
    let (_, chart, _) = run(&["roundtable", "chart", &id]);
    let rows: Vec<Vec<&str>> = chart.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 12, "{chart}");
    assert_eq!(rows.iter().filter(|r| r[2].starts_with('*')).count(), 4, "a rapporteur per table and round");
    let (code, reports, _) = run(&["roundtable", "reports", &id]);
    assert_eq!(code, Some(0));
    assert!(reports.starts_with("# AI and socio-economic impact"), "{reports}");
}

/// Issue 16: the same roundtable work through the API — set up, invite all or none, pin a host,
/// seat on the version read, change a rapporteur, and the rapporteur's report on its version.
#[tokio::test]
async fn a_roundtable_is_run_through_the_api() {
    use kaigi_core::access::TokenScope;
    use serde_json::json;
    let app = TestApp::with_demo().await;
    let actor = kaigi_db::Actor::system("test");
    let account = |email: &'static str| {
        let db = app.db.clone();
        async move { kaigi_db::accounts::find_user_by_email(&db, email).await.unwrap().unwrap() }
    };
    let desk_user = account(SECRETARIAT).await;
    let (_, desk) = kaigi_db::tokens::create(&app.db, &actor, desk_user.id, "rt", TokenScope::Write, 1).await.unwrap();
    let base = "/api/v1/editions/igf-2026/roundtables";
    let new = json!({"name": "Youth roundtable", "tables": 2, "seats": 4, "rounds": 2,
        "themes": [{"name": "Standards", "name_ja": "標準化"}, {"name": "AI agents"}]});
    let created = with_token_json(&app, "POST", base, &desk, new).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let listed = with_token(&app, "GET", base, &desk, None).await.json();
    assert!(listed["roundtables"].as_array().unwrap().iter().any(|r| r["id"] == id.as_str()));
    let too_many = json!({"name": "x", "tables": 0, "seats": 4, "rounds": 1});
    assert_eq!(with_token_json(&app, "POST", base, &desk, too_many).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Invited all or none: one person of nowhere stores nobody.
    let people = kaigi_db::directory::list_people(&app.db, None, 8, 0).await.unwrap();
    let mut invitees: Vec<serde_json::Value> = people.iter().map(|p| json!({"person": p.id})).collect();
    invitees[0]["pinned_table"] = json!(2);
    let mut stray = invitees.clone();
    stray.push(json!({"person": uuid::Uuid::now_v7()}));
    let one = format!("{base}/{id}");
    let refused = with_token_json(&app, "POST", &format!("{one}/invitees"), &desk, json!({"invitees": stray})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "error-person-unknown");
    assert!(roundtables::invitees(&app.db, id.parse().unwrap()).await.unwrap().is_empty(), "nobody was stored");
    let invited = with_token_json(&app, "POST", &format!("{one}/invitees"), &desk, json!({"invitees": invitees})).await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let detail = invited.json();
    assert_eq!(detail["invitees"].as_array().unwrap().len(), 8);
    let host = people[0].id.to_string();
    let pinned = detail["invitees"].as_array().unwrap().iter().find(|i| i["person"] == host.as_str()).unwrap();
    assert_eq!(pinned["pinned_table"], 2);
    // Unpinned, then pinned again; someone not invited is not found on the list.
    let pin_path = format!("{one}/invitees/{host}");
    let unpinned = with_token_json(&app, "PUT", &pin_path, &desk, json!({"pinned_table": null})).await.json();
    assert!(unpinned["invitees"].as_array().unwrap().iter().all(|i| i["pinned_table"].is_null()));
    with_token_json(&app, "PUT", &pin_path, &desk, json!({"pinned_table": 2})).await;
    let others = kaigi_db::directory::list_people(&app.db, None, 20, 0).await.unwrap();
    let outsider = others.iter().find(|p| !people.iter().any(|q| q.id == p.id)).unwrap().id;
    let missing =
        with_token_json(&app, "PUT", &format!("{one}/invitees/{outsider}"), &desk, json!({"pinned_table": 1})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Seated on the version read; a stale version changes nothing.
    let version = with_token(&app, "GET", &one, &desk, None).await.json()["version"].clone();
    let seated = with_token_json(&app, "POST", &format!("{one}/seating"), &desk, json!({"version": version})).await;
    assert_eq!(seated.status, StatusCode::OK, "{}", seated.body);
    let seated = seated.json();
    assert_eq!(seated["seating"].as_array().unwrap().len(), 2, "two rounds");
    for round in seated["seating"].as_array().unwrap() {
        let count: usize =
            round["tables"].as_array().unwrap().iter().map(|t| t["people"].as_array().unwrap().len()).sum();
        assert_eq!(count, 8, "everyone sits in every round");
        let table_two = round["tables"].as_array().unwrap().iter().find(|t| t["table"] == 2).unwrap();
        assert!(
            table_two["people"].as_array().unwrap().iter().any(|p| p["person"] == host.as_str()),
            "the host's table"
        );
    }
    let stale = with_token_json(&app, "POST", &format!("{one}/seating"), &desk, json!({"version": version})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);

    // The host made rapporteur of table 2 in round 1; someone at another table cannot be.
    let rapporteur = format!("{one}/rounds/1/tables/2/rapporteur");
    let made = with_token_json(&app, "PUT", &rapporteur, &desk, json!({"person": host})).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let round_one = &made.json()["seating"][0]["tables"];
    let elsewhere =
        round_one.as_array().unwrap().iter().find(|t| t["table"] == 1).unwrap()["people"][0]["person"].clone();
    let refused = with_token_json(&app, "PUT", &rapporteur, &desk, json!({"person": elsewhere})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);

    // The report: filed on version 0, changed on the version read, refused on a stale one, and
    // under one of the roundtable's themes only.
    let report = format!("/api/v1/roundtables/{id}/rounds/1/tables/2/report");
    let form = with_token(&app, "GET", &report, &desk, None).await.json();
    assert_eq!(form["report"], serde_json::Value::Null);
    assert_eq!(form["people"].as_array().unwrap().len(), 4);
    let first = json!({"theme": "Standards", "body": "標準化の議論", "version": 0});
    let filed = with_token_json(&app, "PUT", &report, &desk, first.clone()).await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    assert_eq!(filed.json()["report"]["version"], 1);
    assert_eq!(with_token_json(&app, "PUT", &report, &desk, first).await.status, StatusCode::CONFLICT);
    let off_theme = json!({"theme": "Weather", "body": "x", "version": 1});
    assert_eq!(with_token_json(&app, "PUT", &report, &desk, off_theme).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Reports filed: the seating is frozen.
    let version = with_token(&app, "GET", &one, &desk, None).await.json()["version"].clone();
    let frozen = with_token_json(&app, "POST", &format!("{one}/seating"), &desk, json!({"version": version})).await;
    assert_eq!(frozen.json()["error"]["code"], "error-seating-frozen", "{}", frozen.body);
    let detail = with_token(&app, "GET", &one, &desk, None).await.json();
    assert_eq!(detail["reports"][0]["body"], "標準化の議論");

    // Another edition's secretariat, an evaluator or a participant who reports no table: refused.
    let participant = account(PARTICIPANT).await;
    let (_, theirs) =
        kaigi_db::tokens::create(&app.db, &actor, participant.id, "rt", TokenScope::Write, 1).await.unwrap();
    assert_eq!(with_token(&app, "GET", &one, &theirs, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(with_token(&app, "GET", &report, &theirs, None).await.status, StatusCode::FORBIDDEN);
}
