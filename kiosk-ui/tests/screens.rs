//! Every screen, both orientations, both languages, rendered headlessly with the software
//! renderer — the same code as `render-screens`, so CI checks the committed screenshots can
//! still be made. Set KIOSK_SCREENS_DIR to keep the PNGs.

use kiosk_ui::headless::Screen;
use kiosk_ui::tour::{render_all, MODES, ORIENTATIONS, SCREENS};

#[test]
fn every_screen_renders_in_both_orientations_and_languages() {
    let temp = tempfile::tempdir().unwrap();
    let out = std::env::var_os("KIOSK_SCREENS_DIR").map_or_else(|| temp.path().to_path_buf(), Into::into);
    let mut screen = Screen::install(1080, 1920).unwrap();
    let files = render_all(&out, &mut screen).unwrap();
    // Each visit, plus the printer-failure ticket, per orientation, language and mode.
    assert_eq!(files.len(), ORIENTATIONS.len() * 2 * MODES.len() * (SCREENS.len() + 1));
    for f in &files {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(f).unwrap()));
        let info = decoder.read_info().unwrap().info().clone();
        let name = f.file_name().unwrap().to_string_lossy();
        let expected = if name.contains("portrait") { (1080, 1920) } else { (1920, 1080) };
        assert_eq!((info.width, info.height), expected, "{name}");
    }
    // Different screens look different (nothing rendered blank or stuck on one screen).
    let home = std::fs::read(out.join("kiosk-portrait-vi-home.png")).unwrap();
    let ticket = std::fs::read(out.join("kiosk-portrait-vi-ticket.png")).unwrap();
    let english = std::fs::read(out.join("kiosk-portrait-en-home.png")).unwrap();
    assert_ne!(home, ticket);
    assert_ne!(home, english);
}
