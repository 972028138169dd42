//! `kiosk render-home --out PNG`: draw the home screen with the software renderer into a PNG
//! and exit, with no display, GPU or input device. It proves that an installed `kiosk` binary
//! draws (fonts, renderer, the configured centre) — over SSH on a kiosk, or under qemu-user when
//! the arm64 package is checked on a PC. With `--server URL` the screen is drawn from a running
//! kioskd, as the touchscreen unit shows it; without, from the configuration file alone, on a
//! throwaway data directory with no printer and no central, so the live kiosk is never touched.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use firmware::clock::SystemClock;
use firmware::Service;
use kiosk_ui::backend::Backend;
use kiosk_ui::glue::{Kiosk, Runner};
use kiosk_ui::headless::Screen;
use kiosk_ui::local::LocalBackend;
use kiosk_ui::remote::RemoteBackend;
use slint::ComponentHandle;

#[derive(clap::Args)]
pub struct Options {
    /// The PNG file to write.
    #[arg(long)]
    out: PathBuf,
    /// Screen size in pixels, WIDTHxHEIGHT (the kiosk is portrait 1080x1920; any size works).
    #[arg(long, default_value = "1080x1920", value_parser = parse_size)]
    size: (u32, u32),
    /// Draw the English screen instead of the Vietnamese one.
    #[arg(long)]
    english: bool,
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text.split_once(['x', 'X']).ok_or("expected WIDTHxHEIGHT, e.g. 1080x1920")?;
    let parse = |n: &str| n.trim().parse::<u32>().ok().filter(|n| (200..=8192).contains(n));
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("{text}: width and height are whole numbers from 200 to 8192")),
    }
}

/// Draw the home screen to `options.out`; what was written, or why not.
pub fn run(config: &Path, server: Option<&str>, options: &Options) -> Result<String, String> {
    let (width, height) = options.size;
    // The headless platform first: no windowing backend is ever asked for a window.
    let mut screen = Screen::install(width, height).map_err(|e| format!("cannot set up the software renderer: {e}"))?;
    let scratch = std::env::temp_dir().join(format!("kiosk-render-home-{}", std::process::id()));
    let result = match server {
        Some(url) => {
            let info = RemoteBackend::info_from_server(url).map_err(|e| format!("cannot reach the kiosk service at {url}: {e}"))?;
            draw(Arc::new(RemoteBackend::new(url, info)), &mut screen, options)
        }
        None => {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().map_err(|e| e.to_string())?;
            let mut config = firmware::Config::load(config).map_err(|e| e.to_string().trim().to_string())?;
            config.data_dir = scratch.clone();
            config.printer = None;
            config.central = None;
            let clock = Arc::new(SystemClock { offset: config.centre.offset });
            let service = runtime.block_on(Service::open(config, clock, None)).map_err(|e| format!("cannot open the service: {e}"))?;
            let drawn = draw(Arc::new(LocalBackend::new(service, runtime.handle().clone())), &mut screen, options);
            runtime.shutdown_background();
            drawn
        }
    };
    let _ = std::fs::remove_dir_all(&scratch);
    result.map(|()| format!("{}: home screen, {width}x{height}", options.out.display()))
}

fn draw(backend: Arc<dyn Backend>, screen: &mut Screen, options: &Options) -> Result<(), String> {
    let kiosk = Kiosk::new(backend, Runner::Inline).map_err(|e| e.to_string())?;
    kiosk.app.show().map_err(|e| e.to_string())?;
    kiosk.api().set_english(options.english);
    kiosk.api().invoke_go("home".into());
    // What Home says about the hour (before opening, closing soon) changes with the time, like
    // the clock: left out, so that a drawing made at any hour is the committed home screen.
    kiosk.api().set_notice("".into());
    kiosk.api().set_notice_en("".into());
    screen.save_png(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    kiosk.app.hide().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1080x1920"), Ok((1080, 1920)));
        assert_eq!(parse_size("1920X1080"), Ok((1920, 1080)));
        assert!(parse_size("1080").is_err());
        assert!(parse_size("0x1920").is_err());
        assert!(parse_size("1080x99999").is_err());
    }
}
