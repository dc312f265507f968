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

/// A schema as both backends can state it: per table, its columns (name, type class, not null,
/// default), primary key, indexes (name, unique, columns) and foreign keys.
#[derive(Debug, Default, PartialEq, Eq)]
struct TableShape {
    columns: Vec<(String, &'static str, bool, Option<String>)>,
    primary_key: Vec<String>,
    /// Named indexes from the migrations (unique or not); constraints' own indexes are in
    /// `unique` by their columns, since each backend names those its own way.
    indexes: std::collections::BTreeSet<(String, bool, Vec<String>)>,
    unique: std::collections::BTreeSet<Vec<String>>,
    foreign_keys: std::collections::BTreeSet<(Vec<String>, String, Vec<String>, String)>,
}

/// A foreign key as Postgres lists it: table, name, columns, target table, its columns, delete rule.
type PgForeignKey = (String, String, Vec<String>, String, Vec<String>, String);

/// The type a column holds, under the mapping the twin migrations use.
fn type_class(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "blob" | "uuid" | "bytea" => "bytes",
        "integer" | "bigint" | "boolean" | "int8" | "int4" | "bool" => "integer",
        "text" | "timestamptz" | "timestamp with time zone" | "date" => "text",
        "real" | "double precision" | "float8" => "real",
        _ => "other",
    }
}

/// A default as a value: `false` and `0` are the same default, quotes and casts go.
fn default_value(raw: Option<String>) -> Option<String> {
    let raw = raw?;
    let value = raw.split("::").next().unwrap_or_default().trim().trim_matches('\'').to_ascii_lowercase();
    Some(match value.as_str() {
        "false" => "0".into(),
        "true" => "1".into(),
        _ => value,
    })
}

async fn sqlite_shape(pool: &sqlx::SqlitePool) -> BTreeMap<String, TableShape> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut shapes = BTreeMap::new();
    for table in tables {
        let mut shape = TableShape::default();
        let columns: Vec<(String, String, i64, Option<String>, i64)> =
            sqlx::query_as("select name, type, \"notnull\", dflt_value, pk from pragma_table_info($1) order by cid")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut key: Vec<(i64, String)> = Vec::new();
        for (name, declared, not_null, default, pk) in columns {
            if pk > 0 {
                key.push((pk, name.clone()));
            }
            // A primary key is never null, whether or not the table says so.
            shape.columns.push((name, type_class(&declared), not_null == 1 || pk > 0, default_value(default)));
        }
        key.sort();
        shape.primary_key = key.into_iter().map(|(_, n)| n).collect();
        let indexes: Vec<(String, i64, String)> =
            sqlx::query_as("select name, \"unique\", origin from pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            let columns: Vec<String> = sqlx::query_scalar("select name from pragma_index_info($1) order by seqno")
                .bind(&index)
                .fetch_all(pool)
                .await
                .unwrap();
            match origin.as_str() {
                "pk" => {}
                "u" => {
                    shape.unique.insert(columns);
                }
                _ => {
                    if unique == 1 {
                        shape.unique.insert(columns.clone());
                    }
                    shape.indexes.insert((index, unique == 1, columns));
                }
            }
        }
        let keys: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
            "select id, \"table\", \"from\", \"to\", on_delete from pragma_foreign_key_list($1) order by id, seq",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>, String)> = BTreeMap::new();
        for (id, target, from, to, on_delete) in keys {
            let entry =
                by_id.entry(id).or_insert_with(|| (Vec::new(), target, Vec::new(), on_delete.to_ascii_lowercase()));
            entry.0.push(from);
            entry.2.push(to.unwrap_or_else(|| "id".into()));
        }
        shape.foreign_keys = by_id.into_values().collect();
        shapes.insert(table, shape);
    }
    shapes
}

async fn postgres_shape(pool: &sqlx::PgPool) -> BTreeMap<String, TableShape> {
    let columns: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "select table_name::text, column_name::text, data_type::text, is_nullable::text, column_default::text
         from information_schema.columns where table_schema = current_schema() and table_name not like '_sqlx%'
         order by table_name, ordinal_position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut shapes: BTreeMap<String, TableShape> = BTreeMap::new();
    for (table, name, declared, nullable, default) in columns {
        shapes.entry(table).or_default().columns.push((
            name,
            type_class(&declared),
            nullable == "NO",
            default_value(default),
        ));
    }
    // Indexes with their columns in order, and whether they back a constraint.
    let indexes: Vec<(String, String, bool, bool, Vec<String>, bool)> = sqlx::query_as(
        "select t.relname::text, i.relname::text, x.indisunique, x.indisprimary,
                array(select a.attname::text from unnest(x.indkey) with ordinality k(attnum, n)
                      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n),
                exists (select 1 from pg_constraint c where c.conindid = i.oid)
         from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
         join pg_namespace s on s.oid = t.relnamespace
         where s.nspname = current_schema() and t.relname not like '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, index, unique, primary, columns, constraint) in indexes {
        let shape = shapes.entry(table).or_default();
        if primary {
            shape.primary_key = columns;
        } else if constraint {
            shape.unique.insert(columns);
        } else {
            if unique {
                shape.unique.insert(columns.clone());
            }
            shape.indexes.insert((index, unique, columns));
        }
    }
    let keys: Vec<PgForeignKey> = sqlx::query_as(
        "select t.relname::text, c.conname::text,
                array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, n)
                      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.n),
                r.relname::text,
                array(select a.attname::text from unnest(c.confkey) with ordinality k(attnum, n)
                      join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.n),
                case c.confdeltype when 'c' then 'cascade' when 'n' then 'set null' when 'r' then 'restrict'
                                   when 'd' then 'set default' else 'no action' end
         from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class r on r.oid = c.confrelid
         join pg_namespace s on s.oid = t.relnamespace
         where c.contype = 'f' and s.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, _, from, target, to, on_delete) in keys {
        shapes.entry(table).or_default().foreign_keys.insert((from, target, to, on_delete));
    }
    shapes
}

/// The twin migrations leave the same schema on both backends: columns with their types (under
/// the mapping uuid ↔ blob, boolean ↔ integer, timestamptz ↔ text), nullability and defaults,
/// primary keys, indexes, unique constraints and foreign keys with their delete rules. Runs
/// whole where the run has PostgreSQL; on SQLite alone it checks what one schema can say.
#[tokio::test]
async fn both_backends_end_with_the_same_schema_after_their_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(dir.path().join("shape.db").to_str().unwrap()).await.unwrap();
    sqlite.migrate().await.unwrap();
    let Db::Sqlite(pool) = &sqlite else { unreachable!("a file path opens SQLite") };
    let sqlite_shape = sqlite_shape(pool).await;
    for (table, shape) in &sqlite_shape {
        assert!(!shape.primary_key.is_empty(), "{table} has no primary key");
        for (_, target, _, _) in &shape.foreign_keys {
            assert!(sqlite_shape.contains_key(target), "{table} refers to a table {target} that does not exist");
        }
        assert!(shape.columns.iter().all(|(_, class, _, _)| *class != "other"), "{table}: a type outside the mapping");
    }
    // The reading saw the schema, not an empty one.
    let count = |f: fn(&TableShape) -> usize| sqlite_shape.values().map(f).sum::<usize>();
    assert!(count(|s| s.foreign_keys.len()) >= 50 && count(|s| s.indexes.len()) >= 20, "{sqlite_shape:#?}");
    let (db, _dir) = fresh_db().await;
    if let Db::Postgres(pool) = &db {
        let postgres_shape = postgres_shape(pool).await;
        assert_eq!(
            sqlite_shape.keys().collect::<Vec<_>>(),
            postgres_shape.keys().collect::<Vec<_>>(),
            "the same tables"
        );
        for (table, shape) in &sqlite_shape {
            assert_eq!(shape, &postgres_shape[table], "table {table}: SQLite (left) and PostgreSQL (right) differ");
        }
    }
}
