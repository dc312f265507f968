//! kaigi — one binary for multistakeholder forums. The command line lives here so that tests
//! and benchmarks can call it as a library.

pub mod bench;
pub mod calls;
pub mod cli;
pub mod participation;
pub mod roundtables;
pub mod terminal;
