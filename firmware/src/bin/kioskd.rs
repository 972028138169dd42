//! `kioskd`: the kiosk service without a screen — for a server, a second site, or tests.

fn main() -> std::process::ExitCode {
    firmware::cli::main()
}
