//! The very same `central` entry point, built in this package so the end-to-end tests can start
//! the receiver (`CARGO_BIN_EXE_central-e2e`).

fn main() -> std::process::ExitCode {
    central::cli::main()
}
