//! `kiosk render-home`, the command an installer runs over SSH (and the package's smoke test
//! under qemu) to see that the installed app draws: run as a process on the shipped
//! configuration, its PNG must be the home screen of docs/screens — only the clock in the
//! header may differ — in both orientations and in English.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// Width, height and RGB pixels of a PNG.
fn pixels(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let step = info.color_type.samples();
    let rgb = buf[..info.buffer_size()].chunks(step).map(|p| [p[0], p[1], p[2]]).collect();
    (info.width, info.height, rgb)
}

/// Render with `kiosk render-home ARGS` and compare with the committed screenshot `golden`.
fn renders_like(args: &[&str], golden: &str) {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("home.png");
    let status = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("--config")
        .arg(repo("config/kiosk.toml"))
        .arg("render-home")
        .arg("--out")
        .arg(&out)
        .args(args)
        .env("TMPDIR", temp.path())
        .status()
        .unwrap();
    assert!(status.success(), "kiosk render-home {args:?} failed");
    let (w, h, drawn) = pixels(&out);
    let (gw, gh, reference) = pixels(&repo(golden));
    assert_eq!((w, h), (gw, gh), "{golden}");
    let different = drawn.iter().zip(&reference).filter(|(a, b)| a != b).count() as f64 / drawn.len() as f64;
    assert!(different < 0.02, "{:.1}% of the pixels differ from {golden}", different * 100.0);
    // Its scratch data directory is gone: it never leaves a database behind.
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 1, "only home.png is left");
}

#[test]
fn draws_the_home_screen_portrait() {
    renders_like(&[], "docs/screens/kiosk-portrait-vi-home.png");
}

#[test]
fn draws_the_home_screen_landscape_in_english() {
    renders_like(&["--size", "1920x1080", "--english"], "docs/screens/kiosk-landscape-en-home.png");
}

#[test]
fn a_wrong_size_is_refused() {
    let status = Command::new(env!("CARGO_BIN_EXE_kiosk")).args(["render-home", "--out", "/dev/null", "--size", "big"]).status().unwrap();
    assert!(!status.success());
}
