//! The `credman` command line: parse, run, map the outcome to an exit code. Everything it does
//! is a call into the `credman` library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
