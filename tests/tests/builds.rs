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
