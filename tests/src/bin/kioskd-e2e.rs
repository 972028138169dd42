//! The very same `kioskd` entry point, built inside this package so the end-to-end tests can
//! find its path (`CARGO_BIN_EXE_kioskd-e2e`), start it, kill it and start it again. With
//! `KIOSK_E2E_START` (RFC 3339) its clock starts at that instant and runs at real speed, so the
//! tests run on a fixed working day whatever the real date (a holiday closes the queue).

fn main() -> std::process::ExitCode {
    let start = std::env::var("KIOSK_E2E_START")
        .ok()
        .map(|s| chrono::DateTime::parse_from_rfc3339(&s).unwrap_or_else(|e| panic!("KIOSK_E2E_START {s:?}: {e}")));
    firmware::cli::main_with_clock(start)
}
