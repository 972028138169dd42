//! `kiosk`: the kiosk in one process. Today it runs the firmware service (queue, API, printer);
//! the touchscreen window joins it in the Slint issue. Same flags as `kioskd`.

fn main() -> std::process::ExitCode {
    firmware::cli::main()
}
