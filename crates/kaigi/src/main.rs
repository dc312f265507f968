//! The `kaigi` binary: a thin command line over the library crates.

use std::process::ExitCode;

fn main() -> ExitCode {
    kaigi::cli::main()
}
