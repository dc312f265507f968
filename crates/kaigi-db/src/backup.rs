//! Whole-database backup and restore as one JSON archive. The archive is the same whichever
//! database wrote it, so a SQLite deployment can move to PostgreSQL and back; a restore is
//! one transaction.

use crate::Run;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::schema::{Kind, TABLES, Table};
use crate::{Db, DbError, on_db, on_tx};

pub const FORMAT: &str = "kaigi-backup";
pub const FORMAT_VERSION: i64 = 1;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Archive {
    pub format: String,
    pub format_version: i64,
    pub schema_version: i64,
    pub tables: Vec<TableRows>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct TableRows {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("not a kaigi backup: {0}")]
    NotABackup(String),
    #[error(
        "the backup is from a newer kaigi (format {found}, this kaigi reads up to {supported}); upgrade kaigi first"
    )]
    NewerFormat { found: i64, supported: i64 },
    #[error(
        "the backup's schema version is {found} but this kaigi's is {supported}; restore it with the kaigi version that wrote it{hint}"
    )]
    SchemaMismatch { found: i64, supported: i64, hint: &'static str },
    #[error("table {table}, row {row}, column {column}: {reason}")]
    BadValue { table: String, row: usize, column: String, reason: String },
    #[error("table {table}: {reason}")]
    BadTable { table: String, reason: String },
    #[error(
        "the database already holds data; restore into an empty database, or pass --replace to delete everything in it first"
    )]
    NotEmpty,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Db(e.into())
    }
}

macro_rules! read_value {
    ($row:expr, $i:expr, $kind:expr) => {{
        let row = $row;
        let i = $i;
        match $kind {
            Kind::Uuid => row.try_get::<Option<Uuid>, _>(i)?.map(|v| Value::String(v.to_string())),
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::String),
            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
            Kind::Bool => row.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
            Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(|b| Value::String(STANDARD.encode(b))),
            Kind::Timestamp => row
                .try_get::<Option<OffsetDateTime>, _>(i)?
                .map(|t| Value::String(t.format(&Rfc3339).unwrap_or_default())),
            Kind::Date => row.try_get::<Option<Date>, _>(i)?.map(|d| Value::String(d.to_string())),
        }
        .unwrap_or(Value::Null)
    }};
}

/// Reads every table into an archive.
pub async fn dump(db: &Db) -> Result<Archive, BackupError> {
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
        let sql = format!("select {} from {} order by {}", columns.join(", "), table.name, table.order_by);
        let rows = on_db!(db, pool => {
            let fetched = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(fetched.len());
            for row in &fetched {
                let mut values = Vec::with_capacity(columns.len());
                for (i, (_, kind)) in table.columns.iter().enumerate() {
                    values.push(read_value!(row, i, *kind));
                }
                out.push(values);
            }
            out
        });
        tables.push(TableRows {
            name: table.name.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
        });
    }
    Ok(Archive { format: FORMAT.into(), format_version: FORMAT_VERSION, schema_version: Db::schema_version(), tables })
}

/// A value decoded from the archive, ready to bind.
enum Typed {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
    Timestamp(Option<OffsetDateTime>),
    Date(Option<Date>),
}

fn decode(kind: Kind, value: &Value) -> Result<Typed, String> {
    let text = || value.as_str().ok_or_else(|| format!("expected a string, found {value}"));
    if value.is_null() {
        return Ok(match kind {
            Kind::Uuid => Typed::Uuid(None),
            Kind::Text => Typed::Text(None),
            Kind::Int => Typed::Int(None),
            Kind::Bool => Typed::Bool(None),
            Kind::Bytes => Typed::Bytes(None),
            Kind::Timestamp => Typed::Timestamp(None),
            Kind::Date => Typed::Date(None),
        });
    }
    Ok(match kind {
        Kind::Uuid => Typed::Uuid(Some(Uuid::parse_str(text()?).map_err(|e| format!("not a UUID: {e}"))?)),
        Kind::Text => Typed::Text(Some(text()?.to_owned())),
        Kind::Int => Typed::Int(Some(value.as_i64().ok_or_else(|| format!("expected an integer, found {value}"))?)),
        Kind::Bool => {
            Typed::Bool(Some(value.as_bool().ok_or_else(|| format!("expected true or false, found {value}"))?))
        }
        Kind::Bytes => Typed::Bytes(Some(STANDARD.decode(text()?).map_err(|e| format!("not base64: {e}"))?)),
        Kind::Timestamp => Typed::Timestamp(Some(
            OffsetDateTime::parse(text()?, &Rfc3339).map_err(|e| format!("not an RFC 3339 time: {e}"))?,
        )),
        Kind::Date => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            Typed::Date(Some(Date::parse(text()?, &format).map_err(|e| format!("not a date: {e}"))?))
        }
    })
}

macro_rules! bind_typed {
    ($query:expr, $typed:expr) => {
        match $typed {
            Typed::Uuid(v) => $query.bind(v),
            Typed::Text(v) => $query.bind(v),
            Typed::Int(v) => $query.bind(v),
            Typed::Bool(v) => $query.bind(v),
            Typed::Bytes(v) => $query.bind(v),
            Typed::Timestamp(v) => $query.bind(v),
            Typed::Date(v) => $query.bind(v),
        }
    };
}

/// Checks an archive against this kaigi before anything is touched.
pub fn check(archive: &Archive) -> Result<(), BackupError> {
    if archive.format != FORMAT {
        return Err(BackupError::NotABackup(format!("format is {:?}, expected {FORMAT:?}", archive.format)));
    }
    if archive.format_version > FORMAT_VERSION {
        return Err(BackupError::NewerFormat { found: archive.format_version, supported: FORMAT_VERSION });
    }
    let ours = Db::schema_version();
    if archive.schema_version != ours {
        let hint = if archive.schema_version > ours { " or a newer one" } else { ", then upgrade" };
        return Err(BackupError::SchemaMismatch { found: archive.schema_version, supported: ours, hint });
    }
    for rows in &archive.tables {
        let table = crate::schema::table(&rows.name)
            .ok_or_else(|| BackupError::BadTable { table: rows.name.clone(), reason: "unknown table".into() })?;
        let expected: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
        if rows.columns != expected {
            return Err(BackupError::BadTable {
                table: rows.name.clone(),
                reason: format!("columns are {:?}, expected {:?}", rows.columns, expected),
            });
        }
        for (r, row) in rows.rows.iter().enumerate() {
            if row.len() != expected.len() {
                return Err(BackupError::BadTable {
                    table: rows.name.clone(),
                    reason: format!("row {} has {} values, expected {}", r + 1, row.len(), expected.len()),
                });
            }
        }
    }
    Ok(())
}

/// Restores an archive in one transaction: either every row is stored or nothing changes.
/// Refuses a database that holds data unless `replace` is set.
pub async fn restore(db: &Db, archive: &Archive, replace: bool) -> Result<(), BackupError> {
    check(archive)?;
    let mut tx = db.begin().await?;
    let mut existing = 0i64;
    for table in TABLES {
        let sql = format!("select count(*) from {}", table.name);
        existing += on_tx!(&mut tx, c => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(c).await)?;
    }
    if existing > 0 {
        if !replace {
            return Err(BackupError::NotEmpty);
        }
        for table in TABLES.iter().rev() {
            let sql = format!("delete from {}", table.name);
            on_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql)).rows(c).await)?;
        }
    }
    for table in TABLES {
        let Some(rows) = archive.tables.iter().find(|t| t.name == table.name) else {
            continue;
        };
        insert_rows(&mut tx, table, rows).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_rows(tx: &mut crate::Tx, table: &Table, rows: &TableRows) -> Result<(), BackupError> {
    let width = table.columns.len();
    // Both databases accept tens of thousands of parameters per statement; stay well below.
    let per_statement = (30_000 / width).max(1);
    for (chunk_index, chunk) in rows.rows.chunks(per_statement).enumerate() {
        let mut typed = Vec::with_capacity(chunk.len() * width);
        for (r, row) in chunk.iter().enumerate() {
            for ((column, kind), value) in table.columns.iter().zip(row) {
                typed.push(decode(*kind, value).map_err(|reason| BackupError::BadValue {
                    table: table.name.to_owned(),
                    row: chunk_index * per_statement + r + 1,
                    column: (*column).to_owned(),
                    reason,
                })?);
            }
        }
        let mut sql = format!(
            "insert into {} ({}) values ",
            table.name,
            table.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
        );
        let mut n = 0;
        for r in 0..chunk.len() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..width {
                n += 1;
                sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        on_tx!(tx, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for value in typed.drain(..) {
                query = bind_typed!(query, value);
            }
            query.rows(c).await
        })
        .map_err(|e| BackupError::BadTable { table: table.name.to_owned(), reason: e.to_string() })?;
    }
    Ok(())
}

/// Reads an archive from JSON text, naming the line and column of a syntax error.
pub fn parse(text: &str) -> Result<Archive, BackupError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            BackupError::NotABackup(format!(
                "the file ends early (truncated?) at line {}, column {}",
                e.line(),
                e.column()
            ))
        } else {
            BackupError::NotABackup(format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()))
        }
    })?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BackupError::NotABackup("no \"format\": \"kaigi-backup\" field".into()));
    }
    if let Some(found) = value.get("format_version").and_then(Value::as_i64)
        && found > FORMAT_VERSION
    {
        return Err(BackupError::NewerFormat { found, supported: FORMAT_VERSION });
    }
    serde_json::from_value(value).map_err(|e| BackupError::NotABackup(e.to_string()))
}

#[cfg(test)]
mod parser_properties;
