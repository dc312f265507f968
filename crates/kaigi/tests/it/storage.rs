//! Storage: both schemas agree, the backup table list matches the live schema, and backups
//! round-trip exactly — on one backend and from SQLite to whichever backend the run uses.

use std::collections::BTreeMap;

use kaigi_db::Db;
use kaigi_db::backup::{self, BackupError};

use crate::support::*;

fn tables_in(sql: &str) -> BTreeMap<String, Vec<String>> {
    let mut tables = BTreeMap::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in sql.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("alter table ") {
            let (table, column) = rest.split_once(" add column ").expect("alter table … add column …");
            tables.insert(format!("{table} +{}", column.split_whitespace().next().unwrap()), Vec::new());
        } else if let Some(rest) = line.strip_prefix("create table ") {
            current = Some((rest.trim_end_matches(" (").to_owned(), Vec::new()));
        } else if line.starts_with(");") {
            if let Some((name, columns)) = current.take() {
                tables.insert(name, columns);
            }
        } else if let Some((_, columns)) = current.as_mut()
            && let Some(column) = line.split_whitespace().next()
        {
            columns.push(column.to_owned());
        }
    }
    tables
}

#[test]
fn sqlite_and_postgres_migrations_define_the_same_tables_and_columns() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../kaigi-db/migrations");
    let mut files: Vec<_> =
        std::fs::read_dir(format!("{dir}/sqlite")).unwrap().map(|e| e.unwrap().file_name()).collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let sqlite = std::fs::read_to_string(format!("{dir}/sqlite/{}", file.to_string_lossy())).unwrap();
        let postgres = std::fs::read_to_string(format!("{dir}/postgres/{}", file.to_string_lossy()))
            .unwrap_or_else(|_| panic!("{} has no PostgreSQL twin", file.to_string_lossy()));
        assert_eq!(tables_in(&sqlite), tables_in(&postgres), "{}", file.to_string_lossy());
    }
}

#[tokio::test]
async fn the_backup_table_list_matches_the_live_schema() {
    let (db, _dir) = fresh_db().await;
    let live: Vec<(String, String)> = match &db {
        Db::Sqlite(pool) => sqlx::query_as(
            "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p
             where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like '_sqlx%' order by m.name, p.cid",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Db::Postgres(pool) => sqlx::query_as(
            "select table_name::text, column_name::text from information_schema.columns
             where table_schema = current_schema() and table_name not like '_sqlx%' order by table_name, ordinal_position",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    let mut live_tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (table, column) in live {
        if !kaigi_db::schema::NOT_BACKED_UP.contains(&table.as_str()) {
            live_tables.entry(table).or_default().push(column);
        }
    }
    let registry: BTreeMap<String, Vec<String>> = kaigi_db::schema::TABLES
        .iter()
        .map(|t| (t.name.to_owned(), t.columns.iter().map(|(c, _)| (*c).to_owned()).collect()))
        .collect();
    assert_eq!(live_tables, registry);
}

#[tokio::test]
async fn a_backup_restores_exactly_and_moves_from_sqlite_to_this_backend() {
    // The source is always SQLite; the target is this run's backend (SQLite or PostgreSQL).
    let dir = tempfile::tempdir().unwrap();
    let source = Db::connect(dir.path().join("source.db").to_str().unwrap()).await.unwrap();
    source.migrate().await.unwrap();
    kaigi_db::demo::seed(&source, &kaigi_core::demo::generate(7)).await.unwrap();
    let archive = backup::dump(&source).await.unwrap();
    let text = serde_json::to_string(&archive).unwrap();

    let (target, _target_dir) = fresh_db().await;
    backup::restore(&target, &backup::parse(&text).unwrap(), false).await.unwrap();
    let again = backup::dump(&target).await.unwrap();
    assert_eq!(again, archive, "the restored database dumps to the same archive");
    let people: usize = archive.tables.iter().find(|t| t.name == "people").unwrap().rows.len();
    assert_eq!(people, 600);

    // People still sort in gojūon order after the move.
    let first = kaigi_db::directory::list_people(&target, None, 3, 0).await.unwrap();
    let first_source = kaigi_db::directory::list_people(&source, None, 3, 0).await.unwrap();
    assert_eq!(first, first_source);
}

#[tokio::test]
async fn a_restore_never_overwrites_data_unless_told_and_is_all_or_nothing() {
    let app = TestApp::with_demo().await;
    let archive = backup::dump(&app.db).await.unwrap();
    let err = backup::restore(&app.db, &archive, false).await.unwrap_err();
    assert!(matches!(err, BackupError::NotEmpty), "{err}");
    // --replace swaps everything in one go.
    backup::restore(&app.db, &archive, true).await.unwrap();
    assert_eq!(backup::dump(&app.db).await.unwrap(), archive);

    // An archive whose last table points at rows that do not exist fails late; nothing stays.
    let (empty, _dir) = fresh_db().await;
    let mut broken = backup::dump(&app.db).await.unwrap();
    let meetings = broken.tables.iter_mut().find(|t| t.name == "meetings").unwrap();
    meetings.rows[0][1] = serde_json::json!(uuid::Uuid::now_v7().to_string());
    let err = backup::restore(&empty, &broken, false).await.unwrap_err();
    assert!(err.to_string().contains("meetings"), "{err}");
    assert!(kaigi_db::demo::is_empty(&empty).await.unwrap(), "a failed restore leaves nothing behind");

    // A value of the wrong type names table, row and column.
    let mut bad_value = backup::dump(&app.db).await.unwrap();
    bad_value.tables.iter_mut().find(|t| t.name == "rooms").unwrap().rows[2][3] = serde_json::json!("many");
    let err = backup::restore(&empty, &bad_value, false).await.unwrap_err();
    assert_eq!(err.to_string(), "table rooms, row 3, column capacity: expected an integer, found \"many\"");
    assert!(kaigi_db::demo::is_empty(&empty).await.unwrap());
}

#[test]
fn truncated_foreign_and_newer_archives_are_refused_with_a_reason() {
    let err = backup::parse(
        r#"{"format": "kaigi-backup", "format_version": 1, "schema_version": 1, "tables": [{"name": "sett"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("ends early"), "{err}");
    let err = backup::parse(r#"{"hello": "world"}"#).unwrap_err();
    assert!(err.to_string().contains("not a kaigi backup"), "{err}");
    let err = backup::parse(r#"{"format": "kaigi-backup", "format_version": 99, "schema_version": 1, "tables": []}"#)
        .unwrap_err();
    assert!(matches!(err, BackupError::NewerFormat { found: 99, .. }), "{err}");
    let newer_schema =
        backup::parse(r#"{"format": "kaigi-backup", "format_version": 1, "schema_version": 999999, "tables": []}"#)
            .unwrap();
    assert!(matches!(backup::check(&newer_schema), Err(BackupError::SchemaMismatch { .. })));
}
