//! kaigi — one binary for multistakeholder forums. The command line lives here so that tests
//! can call it as a library.

/// Writes to stdout, as `print!` would, without panicking on a closed pipe.
macro_rules! out {
    ($($t:tt)*) => { $crate::terminal::emit(&format!($($t)*)) };
}

/// Writes a line to stdout, as `println!` would, without panicking on a closed pipe.
macro_rules! outln {
    ($($t:tt)*) => { $crate::terminal::emit(&format!("{}\n", format_args!($($t)*))) };
}

pub mod calls;
pub mod cli;
pub mod editions;
pub mod minutes;
pub mod participation;
pub mod roundtables;
pub mod terminal;
pub mod tokens;
