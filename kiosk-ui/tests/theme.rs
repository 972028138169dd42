//! The theme reaches every pixel and every text is readable (issue 18.3): no `.slint` file but
//! `ui/components/theme.slint` writes a colour, and every pair of text and background colour the
//! screens use meets WCAG 2.1 AA (4.5:1) in the normal palette and AAA (7:1) in "Chữ to", read
//! from the compiled `Theme` global with the mode switched as the kiosk's button switches it.

use std::path::{Path, PathBuf};

use kiosk_ui::{Api, App, Theme};
use slint::{Color, ComponentHandle};

/// Relative luminance of an sRGB colour (WCAG 2.1, §1.4.3).
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every (text, what it is written on) pair the screens use, by their names in the theme.
fn pairs(t: &Theme) -> Vec<(&'static str, Color, &'static str, Color)> {
    let mut p = vec![];
    let grounds = [("background", t.get_background()), ("surface", t.get_surface())];
    let inks = [
        ("ink", t.get_ink()),
        ("muted", t.get_muted()),
        ("primary", t.get_primary()),
        ("accent", t.get_accent()),
        ("good", t.get_good()),
        ("purple", t.get_purple()),
        ("warn", t.get_warn()),
    ];
    for (i, ic) in inks {
        for (g, gc) in grounds {
            p.push((i, ic, g, gc));
        }
    }
    for (f, fc) in [
        ("primary", t.get_primary()),
        ("accent", t.get_accent()),
        ("good", t.get_good()),
        ("purple", t.get_purple()),
        ("warn", t.get_warn()),
    ] {
        p.push(("primary-ink", t.get_primary_ink(), f, fc));
    }
    p.push(("good", t.get_good(), "good-soft", t.get_good_soft()));
    p.push(("primary", t.get_primary(), "primary-soft", t.get_primary_soft()));
    p.push(("warn", t.get_warn(), "warn-soft", t.get_warn_soft()));
    p.push(("ink", t.get_ink(), "key-edit", t.get_key_edit()));
    p.push(("ink", t.get_ink(), "key-tone", t.get_key_tone()));
    p.push(("disabled-ink", t.get_disabled_ink(), "disabled", t.get_disabled()));
    p.push(("ink-on-bar", t.get_ink_on_bar(), "bar", t.get_bar()));
    p
}

#[test]
fn every_text_colour_meets_wcag_aa_and_aaa_in_large_text_mode() {
    i_slint_backend_testing::init_no_event_loop();
    let app = App::new().unwrap();
    let mut failures = vec![];
    for (low_vision, floor) in [(false, 4.5), (true, 7.0)] {
        app.global::<Api>().set_low_vision(low_vision);
        let theme = app.global::<Theme>();
        assert_eq!(theme.get_scale(), if low_vision { 1.5 } else { 1.0 }, "the mode did not reach the theme");
        for (ink, ic, ground, gc) in pairs(&theme) {
            let ratio = contrast(ic, gc);
            if ratio < floor {
                failures.push(format!("low_vision={low_vision}: {ink} on {ground} is {ratio:.2}:1 (< {floor}:1)"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The high-contrast palette is not the normal one.
    app.global::<Api>().set_low_vision(false);
    let normal = app.global::<Theme>().get_background();
    app.global::<Api>().set_low_vision(true);
    assert_ne!(normal, app.global::<Theme>().get_background());
}

#[test]
fn the_rating_faces_stand_out_from_their_features() {
    i_slint_backend_testing::init_no_event_loop();
    let app = App::new().unwrap();
    let t = app.global::<Theme>();
    // Graphical objects: WCAG 2.1 §1.4.11, 3:1.
    for face in [t.get_face_1(), t.get_face_2(), t.get_face_3(), t.get_face_4()] {
        assert!(contrast(t.get_face_ink(), face) >= 3.0, "{face:?} against its features");
    }
}

fn slint_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            slint_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "slint") {
            out.push(path);
        }
    }
}

/// A colour literal: `#` and 3, 4, 6 or 8 hex digits, `rgb(`/`rgba(`/`hsv(`, or a named colour.
fn colour_literals(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = vec![];
    let bytes = code.as_bytes();
    for (i, _) in code.match_indices('#') {
        let hex = bytes[i + 1..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if [3, 4, 6, 8].contains(&hex) {
            found.push(code[i..i + 1 + hex].to_string());
        }
    }
    for word in code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '(')) {
        if ["rgb(", "rgba(", "hsv("].iter().any(|f| word.starts_with(f))
            || ["white", "black", "red", "green", "blue", "yellow", "gray", "grey", "orange"].contains(&word)
            || word.starts_with("Colors.")
        {
            found.push(word.to_string());
        }
    }
    found
}

#[test]
fn no_screen_writes_a_colour_of_its_own() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut files = vec![];
    slint_files(&ui, &mut files);
    assert!(files.len() > 5, "no .slint files under {}", ui.display());
    let mut found = vec![];
    for file in &files {
        if file.ends_with("components/theme.slint") {
            continue;
        }
        for (n, line) in std::fs::read_to_string(file).unwrap().lines().enumerate() {
            for literal in colour_literals(line) {
                found.push(format!("{}:{}: {literal}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "colours outside the theme:\n{}", found.join("\n"));
    // The check itself sees a colour.
    assert_eq!(colour_literals("background: #b3261e; // #fff"), vec!["#b3261e"]);
    assert_eq!(colour_literals("color: white;"), vec!["white"]);
}

/// Every font size is one of the theme's or scaled by it, so "Chữ to" reaches every text. The
/// exceptions pass a size through (`root.font-size`, whose default is checked here too) or are
/// the ticket number, sized to the screen in each mode.
#[test]
fn every_font_size_follows_the_large_text_mode() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut files = vec![];
    slint_files(&ui, &mut files);
    let mut fixed = vec![];
    for file in &files {
        for (n, line) in std::fs::read_to_string(file).unwrap().lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let Some(at) = code.find("font-size") else { continue };
            let value = &code[at..];
            if !value.trim_start_matches("font-size").trim_start().starts_with(':') {
                continue; // a use of the property, not a setting
            }
            let scaled = ["Theme.scale", "Theme.body", "Theme.small", "Theme.title", "root.font-size", "number-size"]
                .iter()
                .any(|ok| value.contains(ok));
            if !scaled {
                fixed.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(fixed.is_empty(), "font sizes that ignore \"Chữ to\":\n{}", fixed.join("\n"));
}
