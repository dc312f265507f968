//! The binary on bad input: one clear error line, a non-zero exit, no panic.

use std::process::Command;

fn kaigi(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kaigi"))
        .args(args)
        .env_remove("KAIGI_DATABASE_URL")
        .env("RUST_LOG", "off")
        .output()
        .expect("run kaigi");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_one_error_line(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn a_malformed_database_url_is_one_clear_line() {
    let (code, _, stderr) = kaigi(&["--db", "mysql://localhost/kaigi", "migrate"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "unsupported scheme");
    let (code, _, stderr) = kaigi(&["--db", "postgres://user:secret@[bad/kaigi", "migrate"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "database URL");
    assert!(!stderr.contains("secret"), "the password is not printed: {stderr}");
}

#[test]
fn an_unreachable_postgres_is_one_clear_line() {
    // Port 9 (discard) on loopback: nothing listens there.
    let (code, _, stderr) = kaigi(&["--db", "postgres://kaigi@127.0.0.1:9/kaigi", "migrate"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "cannot connect to PostgreSQL at 127.0.0.1:9");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.db");
    std::fs::write(&file, "meeting notes, not a database").unwrap();
    let (code, _, stderr) = kaigi(&["--db", file.to_str().unwrap(), "migrate"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "is not an SQLite database");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "meeting notes, not a database");
}

#[test]
fn a_port_in_use_is_reported_before_anything_is_written() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kaigi.db");
    let (code, _, stderr) = kaigi(&["--db", db.to_str().unwrap(), "demo", "--port", &port]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, &format!("cannot listen on 127.0.0.1:{port}"));
}

#[test]
fn backup_and_restore_through_the_cli_and_a_truncated_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let db = db.to_str().unwrap();
    let (code, stdout, stderr) = kaigi(&["--db", db, "demo", "--no-serve"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("igf-2026"));
    let archive = dir.path().join("backup.json");
    let (code, stdout, _) = kaigi(&["--db", db, "backup", archive.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("rows"));

    let restored = dir.path().join("b.db");
    let (code, _, stderr) = kaigi(&["--db", restored.to_str().unwrap(), "restore", archive.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = kaigi(&["--db", restored.to_str().unwrap(), "restore", archive.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "already holds data");

    let text = std::fs::read_to_string(&archive).unwrap();
    let truncated = dir.path().join("truncated.json");
    // Cut at a character boundary: the archive holds Japanese text.
    let cut = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap();
    std::fs::write(&truncated, &text[..cut]).unwrap();
    let fresh = dir.path().join("c.db");
    let (code, _, stderr) = kaigi(&["--db", fresh.to_str().unwrap(), "restore", truncated.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "truncated");
    assert!(!fresh.exists(), "nothing is created for a bad archive");

    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, text.replacen("\"format_version\":1", "\"format_version\":7", 1)).unwrap();
    let (code, _, stderr) = kaigi(&["--db", fresh.to_str().unwrap(), "restore", newer.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "newer kaigi");
}

#[test]
fn user_add_creates_an_account_that_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("u.db");
    let db = db.to_str().unwrap();
    let (code, stdout, stderr) =
        kaigi(&["--db", db, "user", "add", "--email", "chair@example.org", "--name", "議長 花子"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("/password/reset/"), "{stdout}");
    let (code, _, stderr) =
        kaigi(&["--db", db, "user", "add", "--email", "x@example.org", "--name", "X", "--role", "evaluator"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "--edition");
    let (code, _, stderr) = kaigi(&["--db", db, "user", "add", "--email", "chair@example.org", "--name", "again"]);
    assert_eq!(code, 1);
    assert_one_error_line(&stderr, "exists already");
}

#[test]
fn assign_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("call.json");
    std::fs::write(
        &input,
        r#"{ "per_proposal": 2,
             "evaluators": [{"id": "e1", "organisation": "o1", "capacity": 2, "themes": ["ai"]},
                            {"id": "e2", "organisation": "o2"}, {"id": "e3", "organisation": "o3", "themes": ["access"]}],
             "proposals": [{"id": "p1", "organisations": ["o2", "o7"], "theme": "ai"}, {"id": "p2", "theme": "access"}],
             "affinity": [{"evaluator": "e3", "proposal": "p1", "score": 0.8}] }"#,
    )
    .unwrap();
    let (code, stdout, stderr) = kaigi(&["assign", "--input", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["assignments"][0]["proposal"], "p1");
    assert_eq!(out["assignments"][0]["evaluators"], serde_json::json!(["e1", "e3"]));
    assert!((out["objective"].as_f64().unwrap() - 2.8).abs() < 1e-9, "{stdout}");

    std::fs::write(&input, r#"{"per_proposal": 2, "evaluators": [{"id": "e1"}], "proposals": [{"id": "p1"}]}"#)
        .unwrap();
    let (code, _, stderr) = kaigi(&["assign", "--input", input.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(stderr.contains("p1") && stderr.contains("needs 2"), "{stderr}");

    std::fs::write(&input, "{\"per_proposal\": 2,\n \"evaluators\": [{\"id\": 5}]}").unwrap();
    let (code, _, stderr) = kaigi(&["assign", "--input", input.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("line 2"), "{stderr}");
    let (code, _, _) = kaigi(&["assign", "--input", "/nonexistent.json"]);
    assert_eq!(code, 2);
}

#[test]
fn seat_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("roundtable.json");
    std::fs::write(
        &input,
        r#"{ "tables": [{"id": "t01", "seats": 2}, {"id": "t02", "seats": 2}],
             "people": [{"id": "x001", "group": "government", "region": "asia-pacific", "pinned_table": "t01"},
                        {"id": "x002", "group": "government", "region": "african"},
                        {"id": "x003", "group": "industry", "region": "asia-pacific"},
                        {"id": "x004", "group": "academia", "region": "african"}] }"#,
    )
    .unwrap();
    let (code, stdout, stderr) = kaigi(&["seat", "--input", input.to_str().unwrap(), "--seconds", "0.2"]);
    assert_eq!(code, 0, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["unseated"], serde_json::json!([]));
    assert_eq!(out["score"], serde_json::json!(0), "an integer score for integer weights: {stdout}");
    assert!(out["seating"][0]["people"].as_array().unwrap().contains(&serde_json::json!("x001")));

    std::fs::write(
        &input,
        r#"{"tables": [{"id": "t01", "seats": 1}], "people": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}"#,
    )
    .unwrap();
    let (code, _, stderr) = kaigi(&["seat", "--input", input.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(stderr.contains("2 seat(s) short"), "{stderr}");
    std::fs::write(&input, "{\"tables\": [}").unwrap();
    let (code, _, _) = kaigi(&["seat", "--input", input.to_str().unwrap()]);
    assert_eq!(code, 2);
}

#[test]
fn schedule_solve_keeps_its_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("edition.json");
    std::fs::write(
        &input,
        r#"{ "grid_minutes": 15,
  "days": [{"id": "day1", "date": "2024-12-16", "start": "09:00", "end": "18:30", "breaks": [{"start": "12:30", "end": "13:30"}]},
           {"id": "day2", "date": "2024-12-17", "start": "09:00", "end": "18:30"}],
  "rooms": [{"id": "hall-1", "capacity": 1000, "features": ["hybrid", "interpretation"], "available": {"day1": [{"start": "09:00", "end": "12:30"}], "day2": [{"start": "09:00", "end": "18:30"}]}},
            {"id": "room-2", "capacity": 80}],
  "sessions": [{"id": "ws-101", "minutes": 90, "audience": 60, "people": ["p1", "p2"], "kind": "workshop", "track": "youth", "theme": "ai",
                "needs": ["hybrid"], "days": ["day1", "day2"], "preferred_days": ["day2"], "pinned": {"room": "hall-1", "day": "day1", "start": "10:00"}},
               {"id": "ws-102", "minutes": 60, "people": ["p1"], "theme": "ai", "track": "youth"},
               {"id": "main-1", "minutes": 90, "kind": "main", "audience": 500},
               {"id": "main-2", "minutes": 90, "kind": "main", "audience": 90}],
  "weights": {"theme_parallel": 10, "main_parallel": 100, "track_day_spread": 5, "track_rooms": 1, "preferred_day": 3} }"#,
    )
    .unwrap();
    let (code, stdout, stderr) = kaigi(&["schedule", "solve", "--input", input.to_str().unwrap(), "--seconds", "0.5"]);
    assert_eq!(code, 0, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["hard_violations"], 0, "{stdout}");
    assert_eq!(out["unplaced"], serde_json::json!([]));
    let pinned = out["placements"].as_array().unwrap().iter().find(|p| p["session"] == "ws-101").unwrap();
    assert_eq!(pinned, &serde_json::json!({"session": "ws-101", "room": "hall-1", "day": "day1", "start": "10:00"}));
    // The pinned workshop is on day 1 although it prefers day 2: one preferred_day, scored 3.
    assert_eq!(out["soft"]["preferred_day"], 1);
    assert_eq!(out["soft"]["main_parallel"], 0);
    assert!(out["score"].is_i64(), "an integer score for integer weights: {stdout}");
    assert!(stderr.contains("ws-101 is on day1, not on one of its preferred days"), "{stderr}");

    for (bad, place) in [
        ("{\"grid_minutes\": 15, \"days\": [", "line 1"),
        (
            r#"{"grid_minutes": 15, "days": [], "rooms": [], "sessions": [{"id": "a", "minutes": 30, "days": ["x"]}]}"#,
            "sessions[0].days[0]",
        ),
        (
            r#"{"grid_minutes": 15, "days": [{"id": "d", "start": "9", "end": "10:00"}], "rooms": [], "sessions": []}"#,
            "days[0].start",
        ),
    ] {
        std::fs::write(&input, bad).unwrap();
        let (code, _, stderr) = kaigi(&["schedule", "solve", "--input", input.to_str().unwrap()]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains(place), "{stderr} should name {place}");
    }
}

#[test]
fn schedule_from_frab_prints_an_instance_the_solver_reads() {
    let fosdem =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/import-samples/democon.pretalx.schedule.json");
    let (code, stdout, stderr) = kaigi(&["schedule", "from-frab", fosdem, "--check-published"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("published schedule:"), "{stderr}");
    let instance: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(instance["days"][0]["id"], "day1");
    assert!(instance["sessions"].as_array().unwrap().len() > 30);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("instance.json");
    std::fs::write(&file, &stdout).unwrap();
    let (code, stdout, stderr) = kaigi(&["schedule", "solve", "--input", file.to_str().unwrap(), "--seconds", "1"]);
    assert_eq!(code, 0, "{stderr}");
    let out: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["hard_violations"], 0, "{stdout}");

    let junk = dir.path().join("junk.xml");
    std::fs::write(&junk, "<schedule><day></schedule>").unwrap();
    let (code, _, stderr) = kaigi(&["schedule", "from-frab", junk.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("junk.xml") && stderr.contains("line 1"), "{stderr}");
}

#[test]
fn an_edition_is_created_and_set_up_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kaigi.db");
    let db = db.to_str().unwrap();
    let (code, out, err) = kaigi(&[
        "--db",
        db,
        "edition",
        "create",
        "--slug",
        "apr-2027",
        "--name",
        "APrIGF 2027",
        "--timezone",
        "Asia/Tokyo",
        "--from",
        "2027-08-01",
        "--to",
        "2027-08-03",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("apr-2027"));
    let (code, out, _) = kaigi(&["--db", db, "edition", "setup", "apr-2027"]);
    assert_eq!(code, 0);
    let mut setup: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(setup["days"].as_array().unwrap().len(), 3);
    setup["days"][0]["breaks"] = serde_json::json!([{"start": "12:30", "end": "13:30"}]);
    setup["rooms"] = serde_json::json!([{"name": "Hall", "capacity": 500, "features": ["interpretation"],
                                         "available": {"2027-08-02": [{"start": "09:00", "end": "12:00"}]}}]);
    setup["themes"] = serde_json::json!([{"name": "AI governance", "name_ja": "AI ガバナンス"}]);
    let file = dir.path().join("setup.json");
    std::fs::write(&file, setup.to_string()).unwrap();
    let (code, out, err) = kaigi(&["--db", db, "edition", "setup", "apr-2027", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("setup version 1"), "{out}");
    let (_, out, _) = kaigi(&["--db", db, "edition", "setup", "apr-2027"]);
    let stored: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stored["rooms"][0]["available"]["2027-08-02"][0]["end"], "12:00");
    assert_eq!(stored["themes"][0]["name_ja"], "AI ガバナンス");
    // The same file again carries version 0: someone (the first store) changed it since.
    let (code, _, err) = kaigi(&["--db", db, "edition", "setup", "apr-2027", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_error_line(&err, "changed by someone else");
    // A mistake is named with its place, and exit 2.
    setup["version"] = stored["version"].clone();
    setup["days"][1]["end"] = serde_json::json!("25:99");
    setup["rooms"][0]["capacity"] = serde_json::json!(-5);
    std::fs::write(&file, setup.to_string()).unwrap();
    let (code, _, err) = kaigi(&["--db", db, "edition", "setup", "apr-2027", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("days[1].start") && err.contains("rooms[0].capacity"), "{err}");
    assert!(!err.contains("panicked"));
    let (code, _, err) = kaigi(&[
        "--db",
        db,
        "edition",
        "create",
        "--slug",
        "Bad Slug",
        "--name",
        "x",
        "--timezone",
        "Mars/Base",
        "--from",
        "2027-08-01",
        "--to",
        "2027-08-03",
    ]);
    assert_eq!(code, 1);
    assert_one_error_line(&err, "slug");
}

#[test]
fn sigterm_lets_the_server_finish_and_exit_cleanly() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kaigi.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_kaigi"))
        .args(["--db", db.to_str().unwrap(), "serve", "--port", &port.to_string()])
        .env_remove("KAIGI_DATABASE_URL")
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let mut stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(_) if started.elapsed() < std::time::Duration::from_secs(60) => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            Err(e) => panic!("the server did not start: {e}"),
        }
    };
    // A request answered on a connection that stays open (keep-alive) …
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    // … then the service manager asks it to stop.
    let term = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(term.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "still running 20 s after SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a graceful stop, not killed by the signal: {status:?}");
}
