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
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
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
