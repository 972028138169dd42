//! The very same `kioskd` entry point, built inside this package so the end-to-end tests can
//! find its path (`CARGO_BIN_EXE_kioskd-e2e`), start it, kill it and start it again.

fn main() -> std::process::ExitCode {
    firmware::cli::main()
}
