//! kaigi's storage: one interface over SQLite (the embedded default) and PostgreSQL (for
//! several instances behind a load balancer). Queries are written once as plain SQL with `$n`
//! placeholders and run against whichever pool is inside [`Db`]; where the dialects differ,
//! an explicit per-backend branch says so.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod calls;
pub mod decisions;
pub mod demo;
pub mod directory;
pub mod editions;
pub mod evaluation;
pub mod feeds;
pub mod meetings;
pub mod minutes;
pub mod outbox;
pub mod polls;
pub mod programme;
pub mod proposals;
pub mod publishing;
pub mod registration;
pub mod roundtables;
mod run;
pub mod schema;
pub mod scope;
pub mod screening;
pub mod search;
pub mod setup;
pub mod statistics;
pub mod tokens;
pub mod webhooks;

pub use audit::Actor;

/// Runs a solver on a blocking thread, so the async workers keep answering requests while it
/// searches. Every solver kaigi starts (assignment, timetable, seating) starts here.
pub async fn solver<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> DbResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| DbError::Internal(format!("solver thread: {e}")))
}
pub use run::Run;

/// Runs the same expression against whichever pool the [`Db`] holds; the expression is
/// type-checked once per backend.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs the same expression against the connection inside a [`Tx`].
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// A connection pool to one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either database.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Waits until no other transaction holds `name`, and holds it until this one ends: for a
    /// find-or-create that no unique index covers, so two at once make one row, not two.
    /// SQLite's write transactions already run one at a time (`BEGIN IMMEDIATE`).
    pub async fn serialize_on(&mut self, name: &str) -> DbResult<()> {
        if let Tx::Postgres(t) = self {
            // The same 64 bits for the same name on every instance and every build.
            let key = kaigi_core::fingerprint::fnv1a(name.as_bytes());
            sqlx::query("select pg_advisory_xact_lock($1)").bind(key as i64).execute(&mut **t).await?;
        }
        Ok(())
    }
}

pub type DbResult<T> = Result<T, DbError>;

// Dates as ISO 8601 in JSON ("2026-12-14"), not `time`'s default of (year, ordinal day):
// `#[serde(with = "crate::iso_date")]`, or `crate::iso_date::option`. Instants use
// `time::serde::rfc3339`.
time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot connect to PostgreSQL at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("{path} is not an SQLite database")]
    NotSqlite { path: String },
    #[error("cannot open SQLite database {path}: {reason}")]
    SqliteOpen { path: String, reason: String },
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Someone else saved first: the caller shows both versions instead of overwriting.
    #[error("{entity} was changed by someone else since you opened it")]
    Conflict { entity: &'static str },
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A fault on kaigi's side (stored data unreadable, a solver thread lost): never the
    /// user's doing, so pages answer 500 and the log keeps the detail.
    #[error("internal: {0}")]
    Internal(String),
    /// What a person asked for is refused: every problem at once, each a message key with its
    /// arguments (shown in the reader's language) and the same words in English for logs and
    /// the command line.
    #[error("{}", kaigi_core::problem::english(.0))]
    Refused(Vec<kaigi_core::problem::Problem>),
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    /// A unique constraint that fires means someone else's row arrived first (two saves at
    /// once, between a check and its insert): a refusal the person can act on, not a fault.
    /// Where the statement knows better words, [`OnUnique::on_unique`] gives them.
    fn from(e: sqlx::Error) -> Self {
        if is_unique_violation(&e) {
            return DbError::refused("error-exists", "this exists already; nothing was saved");
        }
        // PostgreSQL's text holds no U+0000 (SQLSTATE 22021): the sender's text is at fault,
        // not the server, so it is refused as any other unreadable value is.
        if matches!(&e, sqlx::Error::Database(d) if d.code().as_deref() == Some("22021")) {
            return DbError::refused("error-text-nul", "a text holds the character U+0000, which cannot be stored");
        }
        DbError::Sqlx(e)
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Says what a unique constraint means for one statement.
pub trait OnUnique<T> {
    /// `refusal` in place of a unique violation: the words the check before the statement
    /// says, for the case where another save slipped in between.
    fn on_unique(self, refusal: impl FnOnce() -> DbError) -> DbResult<T>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique(self, refusal: impl FnOnce() -> DbError) -> DbResult<T> {
        self.map_err(|e| if is_unique_violation(&e) { refusal() } else { DbError::Sqlx(e) })
    }
}

impl DbError {
    /// A refusal the reader gets in their language: `key` is the Fluent message (both locale
    /// files carry it), `english` the same words for logs and the command line. Arguments are
    /// added with [`DbError::with`]; an argument named `field` is shown as the field's label.
    pub fn refused(key: &'static str, english: impl Into<String>) -> Self {
        DbError::Refused(vec![kaigi_core::problem::Problem::new(key, english)])
    }

    /// Adds an argument to the last problem of a [`DbError::Refused`]; other errors are
    /// returned unchanged.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        if let DbError::Refused(problems) = &mut self
            && let Some(last) = problems.last_mut()
        {
            last.args.push((name, value.to_string()));
        }
        self
    }

    /// The first problem's message key, when this is a refusal.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            DbError::Refused(problems) => problems.first().map(|p| p.key),
            _ => None,
        }
    }

    /// A refusal of what a person asked for (as opposed to a fault): pages show it next to the
    /// form, with what was typed kept.
    pub fn is_refusal(&self) -> bool {
        matches!(self, DbError::Conflict { .. } | DbError::Refused(_))
    }

    /// `field` was left empty.
    pub fn empty(field: &'static str) -> Self {
        Self::refused("error-field-empty", format!("{field}: must not be empty")).with("field", field)
    }

    /// `field` is not a date written YYYY-MM-DD.
    pub fn not_a_date(field: &'static str, value: &str) -> Self {
        Self::refused("error-field-date", format!("{field}: expected a date as YYYY-MM-DD, got {value:?}"))
            .with("field", field)
            .with("value", value)
    }

    /// `field` is not a time written HH:MM.
    pub fn not_a_time(field: &'static str, value: &str) -> Self {
        Self::refused("error-field-time", format!("{field}: expected a time as HH:MM, got {value:?}"))
            .with("field", field)
            .with("value", value)
    }

    /// `field` must lie in `min..=max`.
    pub fn out_of_range(field: &'static str, value: impl ToString, min: i64, max: i64) -> Self {
        kaigi_core::problem::Problem::out_of_range(field, value, min, max).into()
    }

    /// `field`'s text must be `min..=max` characters long.
    pub fn length(field: &'static str, count: usize, min: usize, max: usize) -> Self {
        Self::refused("error-field-length", format!("{field}: must be {min} to {max} characters, found {count}"))
            .with("field", field)
            .with("value", count)
            .with("min", min)
            .with("max", max)
    }

    /// `field` must not be below zero.
    pub fn negative(field: &'static str, value: i64) -> Self {
        Self::refused("error-field-negative", format!("{field}: must not be negative, found {value}"))
            .with("field", field)
            .with("value", value)
    }

    /// `field` ends before it starts.
    pub fn ends_before_start(field: &'static str) -> Self {
        Self::refused("error-field-end-before-start", format!("{field}: the end must come after the start"))
            .with("field", field)
    }

    /// `field` takes only http(s) links.
    pub fn not_a_link(field: &'static str) -> Self {
        Self::refused("error-field-link", format!("{field}: only http(s) links")).with("field", field)
    }
}

impl From<kaigi_core::directory::DirectoryError> for DbError {
    fn from(e: kaigi_core::directory::DirectoryError) -> Self {
        use kaigi_core::directory::DirectoryError as E;
        let english = e.to_string();
        match e {
            E::Empty { field } => DbError::refused("error-field-empty", english).with("field", field),
            E::TooLong { field, max } => {
                DbError::refused("error-field-too-long", english).with("field", field).with("max", max)
            }
            E::ReadingNotKana { found } => DbError::refused("error-reading-not-kana", english).with("found", found),
            E::Country { found } => DbError::refused("error-country-code", english).with("value", found),
            E::Code(code) => code.into(),
        }
    }
}

impl From<kaigi_core::problem::Problem> for DbError {
    fn from(p: kaigi_core::problem::Problem) -> Self {
        DbError::Refused(vec![p])
    }
}

impl From<Vec<kaigi_core::problem::Problem>> for DbError {
    fn from(problems: Vec<kaigi_core::problem::Problem>) -> Self {
        DbError::Refused(problems)
    }
}

impl From<kaigi_core::directory::UnknownCode> for DbError {
    fn from(e: kaigi_core::directory::UnknownCode) -> Self {
        DbError::refused("error-unknown-code", e.to_string()).with("field", e.vocabulary).with("value", e.code)
    }
}

/// The default embedded database, next to where kaigi is started.
pub const DEFAULT_DATABASE: &str = "./kaigi.db";

impl Db {
    /// Opens a database from a URL: `postgres://…` or `postgresql://…` for PostgreSQL,
    /// `sqlite://PATH`, `sqlite:PATH` or a plain file path for SQLite (created if missing).
    pub async fn connect(url: &str) -> DbResult<Self> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::connect_postgres(url, None).await;
        }
        let path = if let Some(rest) = url.strip_prefix("sqlite://") {
            rest
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            rest
        } else if let Some((scheme, _)) = url.split_once("://") {
            return Err(DbError::BadUrl {
                url: url.to_owned(),
                reason: format!("unsupported scheme {scheme:?}; use postgres://… or a SQLite file path"),
            });
        } else {
            url
        };
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            return Err(DbError::BadUrl { url: url.to_owned(), reason: "no file path given".into() });
        }
        Self::connect_sqlite(Path::new(path)).await
    }

    /// Opens PostgreSQL, optionally confined to one schema (tests give each their own).
    pub async fn connect_postgres(url: &str, schema: Option<&str>) -> DbResult<Self> {
        let mut options =
            PgConnectOptions::from_str(url).map_err(|e| DbError::BadUrl { url: redact(url), reason: e.to_string() })?;
        if let Some(schema) = schema {
            options = options.options([("search_path", schema)]);
        }
        let target = format!("{}:{}", options.get_host(), options.get_port());
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|e| DbError::Unreachable { target, reason: e.to_string() })?;
        Ok(Db::Postgres(pool))
    }

    async fn connect_sqlite(path: &Path) -> DbResult<Self> {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(DbError::SqliteOpen { path: shown, reason: "it is a directory".into() });
        }
        if let Ok(bytes) = std::fs::read(path).map(|b| b.into_iter().take(16).collect::<Vec<u8>>())
            && !bytes.is_empty()
            && bytes != b"SQLite format 3\0"
        {
            return Err(DbError::NotSqlite { path: shown });
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| DbError::SqliteOpen { path: shown, reason: e.to_string() })?;
        Ok(Db::Sqlite(pool))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Applies the pending migrations of this backend.
    pub async fn migrate(&self) -> DbResult<()> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// The version of the newest migration this build knows.
    pub fn schema_version() -> i64 {
        sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (BEGIN
    /// IMMEDIATE), so two writers queue instead of failing on a lock upgrade.
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Hides a password in a database URL before it is shown.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The current time at the precision both databases keep (microseconds), so that a backup
/// taken on one restores identically on the other.
pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// A new time-ordered id.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(redact("postgres://kaigi:secret@db:5432/kaigi"), "postgres://kaigi:***@db:5432/kaigi");
        assert_eq!(redact("postgres://db/kaigi"), "postgres://db/kaigi");
    }

    #[tokio::test]
    async fn unsupported_schemes_and_non_sqlite_files_are_refused() {
        let err = Db::connect("mysql://localhost/x").await.unwrap_err();
        assert!(err.to_string().contains("unsupported scheme"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "hello, this is not a database").unwrap();
        let err = Db::connect(file.to_str().unwrap()).await.unwrap_err();
        assert!(matches!(err, DbError::NotSqlite { .. }), "{err}");
    }
}
