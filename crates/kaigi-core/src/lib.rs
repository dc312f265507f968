//! kaigi's domain: the words and rules of a multistakeholder forum, as plain data and pure
//! functions. Nothing here touches a database, a socket or a file, so every rule can be tested
//! on its own and every solver and parser can run from the CLI on files.

pub mod access;
pub mod assignment;
pub mod budget;
pub mod calendar;
pub mod calls;
pub mod collation;
pub mod conflict;
pub mod decisions;
pub mod demo;
pub mod directory;
pub mod evaluation;
pub mod fingerprint;
pub mod frab;
pub mod grid;
pub mod i18n;
pub mod minutes;
pub mod participation;
pub mod polls;
pub mod problem;
pub mod programme;
pub mod publishing;
pub mod rng;
pub mod roundtable;
pub mod screening;
pub mod search;
pub mod seating;
pub mod setup;
pub mod similarity;
pub mod spreadsheet;
pub mod timetable;
pub mod webhooks;
