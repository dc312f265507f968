//! kaigi — one binary for multistakeholder forums. The command line lives here so that tests
//! and the benchmark harness (`kaigi-bench`) can call it as a library.

pub mod calls;
pub mod cli;
pub mod participation;
pub mod roundtables;
pub mod terminal;
