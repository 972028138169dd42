//! The layering of ARCHITECTURE.md, checked on the sources themselves: this test reads every
//! `.rs` file of `firmware/src` (and of `kiosk-ui/src`, `catalogue/`, `printer/`) and fails,
//! naming the file and line, when a rule is broken:
//!
//! - HTTP (`axum`) only in `api/`, `web/` and `server/`;
//! - SQL (`rusqlite`, and SQL statements in string literals) only in `store/` (and `backup.rs`,
//!   which copies the database file with SQLite's online backup);
//! - domain modules (`queue`, `calendar`, `dossier`, `rating`, `voice`) use no configuration,
//!   events, store or use cases, no file system and no clock;
//! - the store knows no configuration, events, sessions (`auth`) or use cases;
//! - no import circle between the top-level modules of `firmware`;
//! - `catalogue` and `printer` depend on no axum, rusqlite or firmware;
//! - `kiosk-ui` never reaches into `firmware::api`.
//!
//! Code under `#[cfg(test)]` (at the end of a file, by the project's habit) is not checked: a
//! test may build what it needs. Each rule is proven able to fail by the unit tests at the end,
//! on small inline sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its path relative to its crate's `src/` ("store/tickets.rs") and its text.
struct Source {
    path: String,
    text: String,
}

/// A broken rule, where it is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    rule: &'static str,
    found: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {} (found `{}`)", self.file, self.line, self.rule, self.found)
    }
}

/// Modules whose code is pure domain logic: values in, values out.
const DOMAIN: &[&str] = &["queue", "calendar", "dossier", "rating", "voice", "identity", "notice"];

/// Known exceptions, each with why, to be emptied: (file, forbidden text).
const ALLOWED: &[(&str, &str)] = &[];

impl Source {
    /// The top-level module the file belongs to ("store" for "store/tickets.rs").
    fn module(&self) -> &str {
        let first = self.path.split('/').next().unwrap_or_default();
        first.strip_suffix(".rs").unwrap_or(first)
    }

    fn in_module(&self, modules: &[&str]) -> bool {
        modules.contains(&self.module())
    }

    /// The text the rules look at: everything before the first `#[cfg(test)]`.
    fn checked(&self) -> &str {
        match self.text.find("#[cfg(test)]") {
            Some(i) => &self.text[..i],
            None => &self.text,
        }
    }

    fn line_of(&self, index: usize) -> usize {
        self.text[..index].bytes().filter(|&b| b == b'\n').count() + 1
    }

    /// Every place where `needle` appears in code (not in comments), as violations of `rule`.
    fn find(&self, needle: &str, rule: &'static str) -> Vec<Violation> {
        if ALLOWED.contains(&(self.path.as_str(), needle)) {
            return Vec::new();
        }
        let code = code_only(self.checked());
        code.match_indices(needle)
            .filter(|(i, _)| !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            .map(|(i, _)| Violation { file: self.path.clone(), line: self.line_of(i), rule, found: needle.to_string() })
            .collect()
    }
}

/// `text` with comments and string contents blanked out (same length, same lines), so that a
/// word in a doc comment or a message is not taken for code.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (kind, piece) in lex(text) {
        match kind {
            Piece::Code => out.push_str(piece),
            // A blanked character keeps its byte length, so indices and lines stay the same.
            Piece::Comment | Piece::Str => {
                for c in piece.chars() {
                    if c == '\n' {
                        out.push('\n');
                    } else {
                        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
                    }
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Code,
    Comment,
    Str,
}

/// Split Rust source into code, comments and string literals (enough of Rust's lexer for this:
/// line and block comments, "…" with escapes, raw strings r#"…"#, byte strings, and char
/// literals told apart from lifetimes).
fn lex(text: &str) -> Vec<(Piece, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut start) = (0, 0);
    fn push<'t>(out: &mut Vec<(Piece, &'t str)>, text: &'t str, kind: Piece, from: usize, to: usize) {
        if to > from {
            out.push((kind, &text[from..to]));
        }
    }
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            push(&mut out, text, Piece::Code, start, i);
            let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
            push(&mut out, text, Piece::Comment, i, end);
            (i, start) = (end, end);
        } else if rest.starts_with(b"/*") {
            push(&mut out, text, Piece::Code, start, i);
            let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            push(&mut out, text, Piece::Comment, i, end);
            (i, start) = (end, end);
        } else if let Some((open, hashes)) = raw_string_start(rest) {
            push(&mut out, text, Piece::Code, start, i);
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + open;
            let end = text[body..].find(&close).map_or(b.len(), |n| body + n + close.len());
            push(&mut out, text, Piece::Str, i, end);
            (i, start) = (end, end);
        } else if b[i] == b'"' || (b[i] == b'b' && rest.get(1) == Some(&b'"') && !ident_before(b, i)) {
            push(&mut out, text, Piece::Code, start, i);
            let mut j = i + if b[i] == b'b' { 2 } else { 1 };
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            push(&mut out, text, Piece::Str, i, end);
            (i, start) = (end, end);
        } else if b[i] == b'\'' {
            // 'x', '\n', '\u{..}' are chars; 'a (no closing quote right after) is a lifetime.
            let len = if rest.get(1) == Some(&b'\\') {
                text.get(i + 3..).and_then(|t| t.find('\'')).map(|n| n + 4)
            } else {
                text[i + 1..].chars().next().and_then(|c| (text[i + 1 + c.len_utf8()..].starts_with('\'')).then_some(c.len_utf8() + 2))
            };
            match len {
                Some(len) => {
                    push(&mut out, text, Piece::Code, start, i);
                    push(&mut out, text, Piece::Str, i, i + len);
                    i += len;
                    start = i;
                }
                None => i += 1,
            }
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    push(&mut out, text, Piece::Code, start, b.len());
    out
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// `r"`, `r#"`, `br##"`…: the length of the opening and the number of `#`.
fn raw_string_start(rest: &[u8]) -> Option<(usize, usize)> {
    let skip = if rest.starts_with(b"br") {
        2
    } else if rest.starts_with(b"r") {
        1
    } else {
        return None;
    };
    let hashes = rest[skip..].iter().take_while(|&&c| c == b'#').count();
    (rest.get(skip + hashes) == Some(&b'"')).then_some((skip + hashes + 1, hashes))
}

// --- the rules -----------------------------------------------------------------------------------

fn http_only_in_api_web_server(s: &Source) -> Vec<Violation> {
    if s.in_module(&["api", "web", "server"]) {
        return Vec::new();
    }
    let rule = "axum (HTTP) outside api/, web/ and server/";
    [s.find("use axum", rule), s.find("axum::", rule)].concat()
}

fn sql_only_in_store(s: &Source) -> Vec<Violation> {
    if s.in_module(&["store", "backup"]) {
        return Vec::new();
    }
    let mut out = s.find("rusqlite", "rusqlite outside store/ (and backup.rs)");
    for (kind, piece, at) in pieces(s) {
        if kind == Piece::Str && is_sql(piece) {
            let found: String = piece.chars().take(60).collect();
            out.push(Violation { file: s.path.clone(), line: s.line_of(at), rule: "SQL in a string literal outside store/", found });
        }
    }
    out
}

/// The string literals of the checked part of `s`, with where they start.
fn pieces(s: &Source) -> Vec<(Piece, &str, usize)> {
    let checked = s.checked();
    lex(checked).into_iter().map(|(k, p)| (k, p, p.as_ptr() as usize - checked.as_ptr() as usize)).collect()
}

/// Whether a string literal reads like an SQL statement (upper-case keywords, as we write SQL).
fn is_sql(literal: &str) -> bool {
    let words: Vec<&str> = literal.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    let has = |w: &str| words.contains(&w);
    let followed = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    (has("SELECT") && (has("FROM") || literal.trim_start_matches(['"', 'r', '#', ' ', '\n']).starts_with("SELECT ")))
        || followed("INSERT", "INTO")
        || followed("DELETE", "FROM")
        || (has("UPDATE") && has("SET"))
        || followed("CREATE", "TABLE")
        || followed("CREATE", "INDEX")
        || followed("ALTER", "TABLE")
        || has("PRAGMA")
}

fn domain_is_pure(s: &Source) -> Vec<Violation> {
    if !s.in_module(DOMAIN) {
        return Vec::new();
    }
    let rule = "a domain module (queue, calendar, dossier, rating, voice) reaches above itself or outside (config, events, store, use cases, files, clock)";
    [
        "crate::config",
        "crate::Config",
        "crate::events",
        "crate::store",
        "crate::service",
        "crate::Service",
        "std::fs",
        "SystemTime",
        "Utc::now",
    ]
    .iter()
    .flat_map(|needle| s.find(needle, rule))
    .collect()
}

fn store_is_persistence_only(s: &Source) -> Vec<Violation> {
    if !s.in_module(&["store"]) {
        return Vec::new();
    }
    let rule = "store/ knows configuration, events, sessions (auth) or use cases";
    ["crate::config", "crate::Config", "crate::events", "crate::auth", "crate::service", "crate::Service"]
        .iter()
        .flat_map(|needle| s.find(needle, rule))
        .collect()
}

/// `use crate::…` and `crate::…` paths of each top-level module, with where each first appears.
fn module_edges(sources: &[Source], root_exports: &BTreeMap<String, String>) -> BTreeMap<String, BTreeMap<String, (String, usize)>> {
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module().to_string()).collect();
    let mut edges: BTreeMap<String, BTreeMap<String, (String, usize)>> = BTreeMap::new();
    for s in sources {
        let from = s.module().to_string();
        if from == "lib" || from == "bin" {
            continue;
        }
        let code = code_only(s.checked());
        for (i, _) in code.match_indices("crate::") {
            let after = &code[i + "crate::".len()..];
            // `crate::{a, b::c}` names several modules at once.
            let names: Vec<&str> = if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end].split(',').map(|p| p.trim().split("::").next().unwrap_or_default()).collect()
            } else {
                vec![after.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default()]
            };
            for name in names {
                let to = root_exports.get(name).cloned().unwrap_or_else(|| name.to_string());
                if to != from && modules.contains(&to) {
                    edges.entry(from.clone()).or_default().entry(to).or_insert((s.path.clone(), s.line_of(i)));
                }
            }
        }
    }
    edges
}

fn no_module_circles(sources: &[Source], root_exports: &BTreeMap<String, String>) -> Vec<Violation> {
    let edges = module_edges(sources, root_exports);
    let mut out = Vec::new();
    let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    // A circle through `start`: a path from one of its targets back to it.
    for start in edges.keys() {
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in edges.get(&at).map(|e| e.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                if next == *start {
                    let members: BTreeSet<String> = path.iter().cloned().collect();
                    if reported.insert(members) {
                        let (file, line) = edges[start][&path.get(1).cloned().unwrap_or_else(|| start.clone())].clone();
                        let mut circle = path.clone();
                        circle.push(start.clone());
                        out.push(Violation { file, line, rule: "import circle between modules", found: circle.join(" → ") });
                    }
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next, p));
                }
            }
        }
    }
    out
}

/// What the crate root re-exports (`pub use service::{Service, ServiceError};`): name → module.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else { continue };
        let rest = rest.trim_end_matches(';');
        let Some((module, names)) = rest.split_once("::") else { continue };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            out.insert(name.trim().to_string(), module.to_string());
        }
    }
    out
}

/// A crate that must stay independent: no axum, rusqlite or firmware in its dependencies or code.
fn independent_crate(name: &str, manifest: &str, sources: &[Source]) -> Vec<Violation> {
    let rule = "catalogue and printer depend on no axum, rusqlite or firmware";
    let mut out = Vec::new();
    let mut section = String::new();
    for (i, line) in manifest.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let normal = section == "[dependencies]" || section.starts_with("[target") || section.starts_with("[dependencies.");
        for dep in ["axum", "rusqlite", "firmware"] {
            if normal
                && (line.starts_with(&format!("{dep} "))
                    || line.starts_with(&format!("{dep}="))
                    || section == format!("[dependencies.{dep}]"))
            {
                out.push(Violation { file: format!("{name}/Cargo.toml"), line: i + 1, rule, found: line.to_string() });
            }
        }
    }
    for s in sources {
        for needle in ["axum::", "use axum", "rusqlite", "firmware::"] {
            out.extend(s.find(needle, rule).into_iter().map(|v| Violation { file: format!("{name}/src/{}", v.file), ..v }));
        }
    }
    out
}

fn kiosk_ui_stays_off_the_api(sources: &[Source]) -> Vec<Violation> {
    let rule = "kiosk-ui uses firmware::api (error codes and words come from firmware::service and firmware::messages)";
    sources
        .iter()
        .flat_map(|s| s.find("firmware::api", rule))
        .map(|v| Violation { file: format!("kiosk-ui/src/{}", v.file), ..v })
        .collect()
}

/// Every rule over the sources of firmware.
fn firmware_violations(sources: &[Source], lib: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    for s in sources {
        out.extend(http_only_in_api_web_server(s));
        out.extend(sql_only_in_store(s));
        out.extend(domain_is_pure(s));
        out.extend(store_is_persistence_only(s));
    }
    out.extend(no_module_circles(sources, &root_exports(lib)));
    out
}

// --- reading the tree ----------------------------------------------------------------------------

fn read_sources(src: &Path) -> Vec<Source> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<Source>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push(Source { path: rel, text: std::fs::read_to_string(&path).unwrap() });
            }
        }
    }
    let mut out = Vec::new();
    walk(src, src, &mut out);
    out
}

/// The workspace whose sources are checked: this one, or another checkout named by
/// `ARCHITECTURE_ROOT` (to see what the rules say of an older commit).
fn workspace() -> PathBuf {
    std::env::var_os("ARCHITECTURE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf())
}

fn report(violations: &[Violation]) -> String {
    violations.iter().map(|v| format!("  {v}\n")).collect()
}

#[test]
fn firmware_keeps_its_layers() {
    let src = workspace().join("firmware/src");
    let sources = read_sources(&src);
    assert!(sources.len() > 50, "the sources were not found under {}", src.display());
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let violations = firmware_violations(&sources, &lib);
    assert!(violations.is_empty(), "the layering of ARCHITECTURE.md is broken:\n{}", report(&violations));
}

#[test]
fn firmware_modules_import_each_other_one_way() {
    // The graph the circle check walks, so a change that empties it (and so checks nothing) shows.
    let src = workspace().join("firmware/src");
    let sources = read_sources(&src);
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let edges = module_edges(&sources, &root_exports(&lib));
    let uses = |a: &str, b: &str| edges.get(a).is_some_and(|e| e.contains_key(b));
    assert!(uses("service", "store") && uses("api", "service") && uses("server", "api") && uses("server", "web"));
    assert!(!uses("store", "service") && !uses("queue", "config") && !uses("api", "web"));
}

#[test]
fn catalogue_and_printer_stand_alone() {
    let mut violations = Vec::new();
    for name in ["catalogue", "printer"] {
        let dir = workspace().join(name);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        violations.extend(independent_crate(name, &manifest, &read_sources(&dir.join("src"))));
    }
    assert!(violations.is_empty(), "{}", report(&violations));
}

#[test]
fn kiosk_ui_uses_no_api_internals() {
    let violations = kiosk_ui_stays_off_the_api(&read_sources(&workspace().join("kiosk-ui/src")));
    assert!(violations.is_empty(), "{}", report(&violations));
}

// --- each rule can fail ------------------------------------------------------------------------

fn src(path: &str, text: &str) -> Source {
    Source { path: path.into(), text: text.into() }
}

fn lines(v: &[Violation]) -> Vec<(String, usize)> {
    v.iter().map(|v| (v.file.clone(), v.line)).collect()
}

#[test]
fn axum_outside_the_http_modules_is_caught() {
    let s = src("service/tickets.rs", "//! doc\nuse axum::Json;\nfn f() -> axum::http::StatusCode { todo!() }\n");
    assert_eq!(
        lines(&http_only_in_api_web_server(&s)),
        [("service/tickets.rs".into(), 2), ("service/tickets.rs".into(), 2), ("service/tickets.rs".into(), 3)]
    );
    assert!(http_only_in_api_web_server(&src("api/tickets.rs", "use axum::Json;")).is_empty());
    assert!(http_only_in_api_web_server(&src("server/mod.rs", "use axum::Router;")).is_empty());
    // Words in comments and strings are not code.
    assert!(http_only_in_api_web_server(&src("queue.rs", "// axum::Json is not used here\nconst A: &str = \"axum::x\";")).is_empty());
}

#[test]
fn sql_outside_the_store_is_caught() {
    let s = src(
        "service/ratings.rs",
        "fn f(c: &Conn) {\n    c.query_row(\n        \"SELECT officer FROM tickets WHERE id = ?1\", [], |r| r.get(0));\n}\n",
    );
    let v = sql_only_in_store(&s);
    assert_eq!(lines(&v), [("service/ratings.rs".into(), 3)], "{v:?}");
    assert_eq!(lines(&sql_only_in_store(&src("cli.rs", "\nlet c = rusqlite::Connection::open(p);"))), [("cli.rs".into(), 2)]);
    let raw = src("service/x.rs", "const Q: &str = r#\"\n  INSERT INTO journal (a) VALUES (1)\"#;");
    assert_eq!(sql_only_in_store(&raw).len(), 1);
    assert_eq!(sql_only_in_store(&src("service/mod.rs", "conn.query_row(\"SELECT 1\", [], |r| r.get(0))")).len(), 1);
    assert!(sql_only_in_store(&src("store/tickets.rs", "use rusqlite::Connection;\nconst Q: &str = \"SELECT 1 FROM t\";")).is_empty());
    // Vietnamese, English and lower-case words are not SQL.
    assert!(sql_only_in_store(&src("web/pages.rs", "const T: &str = \"Select a service from the list\";")).is_empty());
}

#[test]
fn an_impure_domain_module_is_caught() {
    let s = src(
        "queue.rs",
        "use crate::config::{DispensingWindows, Ordering};\nfn now() { let _ = chrono::Utc::now(); }\nfn f() { std::fs::read(\"x\"); }\n#[cfg(test)]\nmod tests { use crate::config::Config; }\n",
    );
    assert_eq!(lines(&domain_is_pure(&s)), [("queue.rs".into(), 1), ("queue.rs".into(), 3), ("queue.rs".into(), 2)]);
    assert_eq!(domain_is_pure(&src("rating/key.rs", "fn load(p: &Path) { std::fs::read(p); }")).len(), 1);
    assert_eq!(domain_is_pure(&src("dossier/x.rs", "use crate::events::Event;")).len(), 1);
    // Non-domain modules pass.
    assert!(domain_is_pure(&src("service/mod.rs", "use crate::config::Config;")).is_empty());
}

#[test]
fn a_store_that_knows_too_much_is_caught() {
    let s = src("store/sessions.rs", "use super::StoreError;\nuse crate::auth::StoredSession;\nuse crate::events::Event;\n");
    assert_eq!(lines(&store_is_persistence_only(&s)), [("store/sessions.rs".into(), 3), ("store/sessions.rs".into(), 2)]);
    assert!(store_is_persistence_only(&src("store/tickets.rs", "use crate::queue::TicketStatus;")).is_empty());
}

#[test]
fn an_import_circle_is_caught() {
    let sources = [
        src("config/mod.rs", "use crate::devices::DevicesConfig;\n"),
        src("devices/mod.rs", "\nuse crate::Service;\n"),
        src("service/mod.rs", "use crate::{config::Config, store};\n"),
        src("store/mod.rs", "use crate::queue::TicketStatus;\n"),
        src("queue.rs", "\n"),
        src("lib.rs", "pub use service::{Service, ServiceError};\n"),
    ];
    let exports = root_exports("pub mod config;\npub use config::Config;\npub use service::{Service, ServiceError};\n");
    let v = no_module_circles(&sources, &exports);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].found.contains("config") && v[0].found.contains("devices") && v[0].found.contains("service"), "{}", v[0]);
    // Without the edge back, no circle.
    let mut acyclic = sources;
    acyclic[1] = src("devices/mod.rs", "use crate::queue::Action;\n");
    assert!(no_module_circles(&acyclic, &exports).is_empty());
}

#[test]
fn a_dependent_catalogue_or_printer_is_caught() {
    let manifest = "[package]\nname = \"printer\"\n\n[dependencies]\nserde = \"1\"\nrusqlite = { workspace = true }\n\n[dev-dependencies]\nfirmware = { path = \"../firmware\" }\n";
    let v = independent_crate("printer", manifest, &[src("lib.rs", "use firmware::Service;\n")]);
    assert_eq!(lines(&v), [("printer/Cargo.toml".into(), 6), ("printer/src/lib.rs".into(), 1)], "{v:?}");
}

#[test]
fn kiosk_ui_reaching_into_the_api_is_caught() {
    let v = kiosk_ui_stays_off_the_api(&[src("local.rs", "\nlet api = firmware::api::ApiError::from(e);\n")]);
    assert_eq!(lines(&v), [("kiosk-ui/src/local.rs".into(), 2)]);
}
