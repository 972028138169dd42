//! Every error code the API can answer with has words for people in the one table
//! (`src/messages.json`): the codes are read from the source itself — the match of
//! `ServiceError::code` and every `ApiError::new(…, "code", …)` of the HTTP edge — so a new
//! code without Vietnamese words fails here, not in front of an officer.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals made only of `a-z` and `_` (an error code's shape) in `text`.
fn codes_in(text: &str) -> Vec<String> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.len() > 2 && s.contains('_') && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_owned)
        .collect()
}

/// The code given to each `ApiError::new(` / `bad_request(` call: the first code-shaped literal
/// within its arguments.
fn api_error_codes(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for opener in ["ApiError::new(", "bad_request("] {
        for (at, _) in source.match_indices(opener) {
            let rest = &source[at + opener.len()..];
            let args = &rest[..rest.len().min(240)];
            if let Some(code) = codes_in(args).into_iter().next() {
                out.push(code);
            }
        }
    }
    out
}

/// The codes of `ServiceError::code`: every `=> "…"` arm of that function.
fn service_error_codes(source: &str) -> Vec<String> {
    let start = source.find("pub fn code(&self)").expect("ServiceError::code");
    let body = &source[start..];
    let end = body.find("\n    }\n").expect("end of ServiceError::code");
    body[..end].lines().filter_map(|l| l.split("=> \"").nth(1)).filter_map(|l| l.split('"').next()).map(str::to_owned).collect()
}

#[test]
fn every_error_code_the_api_returns_has_words_in_both_languages() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut codes: BTreeSet<String> =
        service_error_codes(&std::fs::read_to_string(src.join("service/error.rs")).unwrap()).into_iter().collect();
    assert!(codes.len() >= 30, "read only {codes:?} from ServiceError::code");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        // Test modules assert on codes; they return none.
        let text = text.split("#[cfg(test)]").next().unwrap();
        codes.extend(api_error_codes(text));
    }
    for expected in ["service_closed", "unknown_variant", "missing_title", "bad_limit", "unknown_field", "not_found", "too_many_requests"] {
        assert!(codes.contains(expected), "the scan missed {expected}: {codes:?}");
    }
    let missing: Vec<&String> = codes.iter().filter(|c| firmware::messages::message(c).is_none()).collect();
    assert!(missing.is_empty(), "no words in src/messages.json for {missing:?}");
    for code in &codes {
        let w = firmware::messages::message(code).unwrap();
        // Vietnamese words are Vietnamese: at least one letter with a diacritic, and NFC.
        assert!(!w.vi.is_ascii(), "{code}: {:?} does not read as Vietnamese", w.vi);
        assert_eq!(firmware::text::nfc(w.vi), w.vi, "{code}: not NFC");
        assert!(w.vi.ends_with('.') || w.vi.ends_with('!'), "{code}: {:?} is not a sentence", w.vi);
        assert!(!w.en.is_empty(), "{code}");
    }
}

#[test]
fn the_scanner_finds_codes_in_both_shapes() {
    let source = r#"
        ApiError::new(StatusCode::BAD_REQUEST, "bad_query", format!("x"))
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
            format!("field \"{f}\" is not in the catalogue"),
        )
        bad_request("bad_limit", format!("limit"))
    "#;
    assert_eq!(api_error_codes(source), ["bad_query", "unknown_field", "bad_limit"]);
}
