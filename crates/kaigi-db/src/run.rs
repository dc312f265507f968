//! The tail every write shares: run the statement, say how many rows it changed. A call site
//! inside [`crate::on_tx!`] or [`crate::on_db!`] reads the same on both backends.

use sqlx::postgres::PgQueryResult;
use sqlx::query::Query;
use sqlx::sqlite::SqliteQueryResult;
use sqlx::{Database, Executor, IntoArguments};

/// A backend's answer to a write.
pub trait Changed {
    fn changed(&self) -> u64;
}

impl Changed for SqliteQueryResult {
    fn changed(&self) -> u64 {
        self.rows_affected()
    }
}

impl Changed for PgQueryResult {
    fn changed(&self) -> u64 {
        self.rows_affected()
    }
}

pub trait Run<'q, DB: Database> {
    /// Runs the statement; the number of rows it inserted, updated or deleted.
    fn rows<'e, 'c: 'e, E>(self, executor: E) -> impl Future<Output = Result<u64, sqlx::Error>> + Send + 'e
    where
        'q: 'e,
        E: Executor<'c, Database = DB> + 'e;
}

impl<'q, DB, A> Run<'q, DB> for Query<'q, DB, A>
where
    DB: Database,
    DB::QueryResult: Changed,
    A: Send + 'q + IntoArguments<DB>,
{
    async fn rows<'e, 'c: 'e, E>(self, executor: E) -> Result<u64, sqlx::Error>
    where
        'q: 'e,
        E: Executor<'c, Database = DB> + 'e,
    {
        Ok(self.execute(executor).await?.changed())
    }
}
