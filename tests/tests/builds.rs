//! What cargo builds, checked from its dependency trees (`cargo tree`, no compiling; cargo
//! fetches what a fresh machine lacks).
//!
//! The builds a developer runs share their compiled crates (issue 20, docs/PERFORMANCE.md
//! "Building"). Cargo compiles a crate once per feature set, so when `cargo test -p firmware` asks
//! for a dependency with other features than `cargo build --workspace` did, it compiles that
//! crate, everything above it and firmware again. `workspace-hack/` (cargo hakari, plus the few
//! lines it cannot work out) makes every build ask for the same features. These tests ask cargo
//! for the dependency trees (no compiling) so that a new dependency or feature that splits the
//! builds shows up here, not as minutes of recompiling.

use std::collections::BTreeSet;
use std::process::Command;

/// `cargo tree` with `args`, one line per package as `name version|features`, `prefix` as cargo's.
fn tree(prefix: &str, args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--locked", "--prefix", prefix, "-f", "{p}|{f}"])
        .args(args)
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("cargo tree prints UTF-8")
}

/// Whether `package` has a line of its own in `tree`.
fn has(tree: &str, package: &str) -> bool {
    tree.lines().any(|l| l.split_whitespace().next() == Some(package))
}

/// The distinct (package, features) lines of a tree; `(*)` marks a repeat.
fn packages_with_features(tree: &str) -> BTreeSet<String> {
    tree.lines().map(|l| l.trim_end_matches(" (*)").to_string()).filter(|l| !l.is_empty()).collect()
}

#[test]
fn one_members_build_asks_for_the_features_the_workspace_build_compiled() {
    let edges = ["-e", "normal,build,dev"];
    let workspace = packages_with_features(&tree("none", &[&["--workspace"][..], &edges].concat()));
    let members = ["firmware", "kiosk-ui", "printer", "catalogue", "central", "e2e"];
    let mut split = Vec::new();
    for member in members {
        let own = packages_with_features(&tree("none", &[&["-p", member][..], &edges].concat()));
        assert!(own.len() > 100, "{member}'s tree is too small to be real: {own:?}");
        for package in own.difference(&workspace) {
            split.push(format!("{member}: {package}"));
        }
    }
    assert!(
        split.is_empty(),
        "building one member alone compiles these again with other features than the workspace's \
         build (add them to workspace-hack/Cargo.toml, `cargo hakari generate`):\n{}",
        split.join("\n")
    );
}

#[test]
fn the_slint_build_script_compiles_no_renderer() {
    // kiosk-ui's build script compiles the screens with slint-build. Its default
    // `renderer-software` feature (glyphs and images pre-rendered at build time) would link image,
    // SVG and font decoders into the host's Slint compiler; the build embeds files and does not
    // use it. (The decoders themselves cannot be looked for under slint-build: the compiler is
    // shared with slint's macros and printed once, under them.)
    let kiosk_ui = tree("depth", &["-p", "kiosk-ui", "-e", "normal,build"]);
    let name = |l: &str| l.trim_start_matches(char::is_numeric).to_string();
    let depth = |l: &str| l[..l.len() - name(l).len()].parse::<usize>().expect("a depth prefix");
    let mut lines = kiosk_ui.lines().skip_while(|l| !name(l).starts_with("slint-build "));
    let head = lines.next().expect("kiosk-ui builds its screens with slint-build");
    let compiler = lines
        .take_while(|l| depth(l) > depth(head))
        .find(|l| name(l).starts_with("i-slint-compiler "))
        .expect("slint-build uses the Slint compiler");
    assert!(compiler.contains("rust"), "no features on the compiler's line, the check below would pass on anything: {compiler}");
    assert!(!compiler.contains("renderer-software"), "the build script's Slint compiler has the software renderer: {compiler}");
}

/// The features `scripts/package` builds the arm64 package with (keep in step with it).
const PACKAGE_FEATURES: &str = "kiosk-ui/linuxkms,kiosk-ui/alsa";

#[test]
fn the_package_build_has_no_desktop_window() {
    // The Debian packages' kiosk draws through DRM/KMS only: `scripts/package` builds kiosk-ui
    // without its default `desktop` feature, so Slint's winit backend (X11, D-Bus, clipboard) is
    // not in the Pi's binary. A dependency or a feature that pulls winit back in shows up here.
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/package")).expect("scripts/package");
    let builds: Vec<&str> = script.lines().filter(|l| l.contains("cargo build --release")).collect();
    assert_eq!(builds.len(), 2, "one build per architecture in scripts/package: {builds:?}");
    for build in builds {
        assert!(build.contains("--no-default-features"), "scripts/package builds with kiosk-ui's desktop window: {build}");
    }
    assert!(script.contains(PACKAGE_FEATURES), "scripts/package no longer builds with {PACKAGE_FEATURES}");

    let pi = ["-p", "kiosk-ui", "-e", "normal", "--target", "aarch64-unknown-linux-gnu"];
    let package = tree("none", &[&pi[..], &["--no-default-features", "--features", PACKAGE_FEATURES]].concat());
    assert!(has(&package, "i-slint-backend-linuxkms"), "the package's kiosk has no DRM/KMS backend:\n{package}");
    for winit in ["i-slint-backend-winit", "winit", "x11rb", "zbus", "arboard"] {
        assert!(!has(&package, winit), "{winit} is in the package's kiosk again");
    }
    // The developer's build (`desktop`) does have the window: the check above can fail.
    let desktop = tree("none", &[&pi[..], &["--features", "desktop"]].concat());
    assert!(has(&desktop, "i-slint-backend-winit") && has(&desktop, "zbus"), "the desktop build lost its window:\n{desktop}");
}

/// The packages of the desktop window (Slint's winit backend) and of the image and SVG decoders it
/// switches on in Slint's core: none of them is in a build without `desktop`.
const WINDOW_PACKAGES: [&str; 8] = ["i-slint-backend-winit", "winit", "x11rb", "zbus", "arboard", "image", "usvg", "resvg"];

#[test]
fn the_workspace_build_has_no_desktop_window_and_run_kiosk_compiles_firmware_once() {
    // `cargo build --release --workspace` compiles what ships and what the tests need; the
    // desktop window is a feature `scripts/run-kiosk` and `scripts/test-all` switch on
    // (docs/PERFORMANCE.md, "Building"). The window's packages were a fifth of a cold build.
    // Normal edges: what each build links, its proc macros and the syn under them included.
    let normal = ["-e", "normal"];
    let workspace = tree("none", &[&["--workspace"][..], &normal].concat());
    for package in WINDOW_PACKAGES {
        assert!(!has(&workspace, package), "{package} is in `cargo build --workspace` again");
    }
    let core = workspace.lines().find(|l| l.starts_with("i-slint-core ")).expect("Slint's core is in the workspace build");
    assert!(core.contains("|std") || core.contains(",std"), "no features on Slint's core line: {core}");
    assert!(!core.contains("image-decoders") && !core.contains("svg"), "Slint's core decodes images again: {core}");

    // `scripts/run-kiosk`'s build has the window, and differs from the workspace's only in
    // packages the firmware library does not use: firmware and its dependencies compile once.
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/run-kiosk")).expect("scripts/run-kiosk");
    assert!(script.contains("cargo run --release -p kiosk-ui --features desktop --bin kiosk"), "scripts/run-kiosk builds otherwise");
    let run_kiosk = tree("none", &[&["-p", "kiosk-ui", "--features", "desktop"][..], &normal].concat());
    for package in WINDOW_PACKAGES {
        assert!(has(&run_kiosk, package), "scripts/run-kiosk's build has no {package}: the check above would pass on anything");
    }
    // Each package of the firmware library's tree, by name and version, must come with the same
    // features in both builds.
    let firmware = tree("none", &[&["-p", "firmware"][..], &normal].concat());
    let name_version = |l: &str| l.split('|').next().unwrap_or("").split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    let shared: BTreeSet<String> = firmware.lines().map(name_version).collect();
    assert!(shared.len() > 100, "firmware's tree is too small to be real: {shared:?}");
    let workspace = packages_with_features(&workspace);
    let split: Vec<String> =
        packages_with_features(&run_kiosk).into_iter().filter(|l| shared.contains(&name_version(l)) && !workspace.contains(l)).collect();
    assert!(
        split.is_empty(),
        "scripts/run-kiosk's build compiles these of firmware's dependencies again, with other features:\n{}",
        split.join("\n")
    );
}

#[test]
fn syn_is_compiled_for_the_proc_macros_only() {
    // hakari listed syn 3 as a dependency of the target as well as of the host: a cold release
    // build compiled it twice, the second time at opt-level 3 for nothing (14.5 s). It is left out
    // of hakari's section (`.config/hakari.toml`) and listed by hand as a build dependency.
    let linked = tree("none", &["--workspace", "-e", "normal,no-proc-macro"]);
    assert!(has(&linked, "proc-macro2"), "the tree lost what it links, the check below would pass on anything:\n{linked}");
    let syn: Vec<&str> = linked.lines().filter(|l| l.starts_with("syn ")).collect();
    assert!(syn.is_empty(), "syn is linked into the workspace's programs again (so compiled twice): {syn:?}");
    let host = tree("none", &["-p", "workspace-hack", "-e", "build", "--depth", "1"]);
    assert!(
        host.lines().any(|l| l.starts_with("syn v3.") && l.contains("visit-mut")),
        "workspace-hack no longer unifies syn 3 for the proc macros:\n{host}"
    );
}
