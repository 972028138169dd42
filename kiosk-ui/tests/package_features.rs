//! The Debian packages' kiosk draws through DRM/KMS only: `scripts/package` builds kiosk-ui
//! without its default `desktop` feature, so Slint's winit backend (X11, D-Bus, clipboard) is not
//! in the Pi's binary. This test asks cargo for the dependency tree of exactly that build, and of
//! the developer's default build (no compiling; cargo fetches what a fresh machine lacks), so
//! that a dependency or a feature that pulls winit back into the package shows up here.

use std::process::Command;

/// The features `scripts/package` builds the arm64 package with (keep in step with it).
const PACKAGE_FEATURES: &str = "kiosk-ui/linuxkms,kiosk-ui/alsa";

/// The packages in kiosk-ui's normal dependency tree for the Pi, with `extra` cargo arguments.
fn tree(extra: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--locked", "-p", "kiosk-ui", "-e", "normal", "--prefix", "none"])
        .args(["--target", "aarch64-unknown-linux-gnu"])
        .args(extra)
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("cargo tree prints UTF-8")
}

fn has(tree: &str, package: &str) -> bool {
    tree.lines().any(|l| l.split_whitespace().next() == Some(package))
}

#[test]
fn the_package_build_has_no_desktop_window() {
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/package")).expect("scripts/package");
    let builds: Vec<&str> = script.lines().filter(|l| l.contains("cargo build --release")).collect();
    assert_eq!(builds.len(), 2, "one build per architecture in scripts/package: {builds:?}");
    for build in builds {
        assert!(build.contains("--no-default-features"), "scripts/package builds with kiosk-ui's desktop window: {build}");
    }
    assert!(script.contains(PACKAGE_FEATURES), "scripts/package no longer builds with {PACKAGE_FEATURES}");

    let package = tree(&["--no-default-features", "--features", PACKAGE_FEATURES]);
    assert!(has(&package, "i-slint-backend-linuxkms"), "the package's kiosk has no DRM/KMS backend:\n{package}");
    for winit in ["i-slint-backend-winit", "winit", "x11rb", "zbus", "arboard"] {
        assert!(!has(&package, winit), "{winit} is in the package's kiosk again");
    }
    // The developer's build (default features) does have the window: the check above can fail.
    let desktop = tree(&[]);
    assert!(has(&desktop, "i-slint-backend-winit") && has(&desktop, "zbus"), "the desktop build lost its window:\n{desktop}");
}
