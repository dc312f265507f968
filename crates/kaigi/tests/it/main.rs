//! kaigi's integration tests: one binary, run against SQLite by default and against
//! PostgreSQL when KAIGI_TEST_DATABASE_URL is set (each test in its own schema).

#![expect(clippy::unwrap_used, reason = "a test should stop at the first unexpected error")]

mod accounts;
mod api;
mod calls;
mod cli;
mod directory;
mod meetings;
mod polls;
mod programme;
mod publishing;
mod registration;
mod roundtables;
mod routes;
mod search;
mod setup;
mod storage;
mod support;
mod trust;
mod webhooks;
