//! `render-screens [DIR]`: draw every kiosk screen — portrait and landscape, Vietnamese and
//! English — to PNG files in DIR (default `docs/screens`), with no display and no GPU.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args_os().nth(1).map_or_else(|| PathBuf::from("docs/screens"), PathBuf::from);
    let result = kiosk_ui::headless::Screen::install(1080, 1920)
        .map_err(|e| e.to_string())
        .and_then(|mut screen| kiosk_ui::tour::render_all(&out, &mut screen));
    match result {
        Ok(files) => {
            println!("{} screens written to {}", files.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("render-screens: {e}");
            ExitCode::FAILURE
        }
    }
}
