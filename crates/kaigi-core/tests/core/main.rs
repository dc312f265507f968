//! kaigi-core's tests beyond its unit tests, in one binary (one link instead of one per file):
//! the solvers against exact references, the parsers on real files and on generated input,
//! and property tests of the round trips.

mod assignment;
mod conflict;
mod directory;
mod evaluation;
mod frab;
mod grid;
mod minutes;
mod participation;
mod properties;
mod publishing;
mod search;
mod seating;
mod timetable;
mod webhooks;
