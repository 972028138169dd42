//! Reading catalogue files (TOML or JSON, one format described in `config/catalog/README.md`)
//! and checking them, so that an editor gets every mistake at once, each with the file, line,
//! entry and what to fix, instead of a kiosk that starts with a half-read catalogue.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use super::fold::{field_code, nfc};
use super::model::Procedure;
use super::validate::problems;

/// One problem found while loading: where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file, or `<memory>` for [`Catalog::from_procedures`](super::Catalog::from_procedures).
    pub file: String,
    /// 1-based line of the entry (or of the syntax error), when known.
    pub line: Option<usize>,
    /// 0-based position of the entry in its file's `procedure` list.
    pub entry: Option<usize>,
    /// The entry's code, when it could be read.
    pub code: Option<String>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(entry) = self.entry {
            write!(f, ": procedure #{}", entry + 1)?;
        }
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems found in a catalogue; the catalogue is not usable until they are fixed.
#[derive(Debug, thiserror::Error)]
pub struct CatalogError {
    pub errors: Vec<LoadError>,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the procedure catalogue has {} error(s):", self.errors.len())?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

/// A record and where it came from, kept until all cross-record checks are done.
pub(super) struct Located {
    pub procedure: Procedure,
    pub file: String,
    pub entry: usize,
    pub line: Option<usize>,
}

impl Located {
    fn error(&self, message: String) -> LoadError {
        LoadError {
            file: self.file.clone(),
            line: self.line,
            entry: Some(self.entry),
            code: Some(self.procedure.code.clone()).filter(|c| !c.is_empty()),
            message,
        }
    }
}

/// Whether a file of that name holds catalogue entries: `*.toml` and `*.json`, not
/// `*.schema.json` nor the vocabulary.
pub(super) fn is_catalogue_file_name(name: &str) -> bool {
    (name.ends_with(".toml") || name.ends_with(".json")) && !name.ends_with(".schema.json") && name != super::VOCABULARY_FILE
}

/// The catalogue files of `dir`: every `*.toml` and `*.json` except `*.schema.json` and the
/// vocabulary, by name.
pub(super) fn catalogue_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, CatalogError> {
    let fail = |message: String| CatalogError {
        errors: vec![LoadError { file: dir.display().to_string(), line: None, entry: None, code: None, message }],
    };
    let listing = std::fs::read_dir(dir).map_err(|e| fail(format!("cannot list the catalogue directory: {e}")))?;
    let mut files: Vec<_> = listing
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_catalogue_file_name(p.file_name().and_then(|n| n.to_str()).unwrap_or("")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(fail("no catalogue files (*.toml or *.json) found: add at least one".into()));
    }
    Ok(files)
}

/// Parses one file; syntax and shape errors go to `errors`, readable entries are returned.
pub(super) fn read_file(path: &Path, errors: &mut Vec<LoadError>) -> Vec<Located> {
    let file = path.display().to_string();
    let fail = |line: Option<usize>, message: String| LoadError { file: file.clone(), line, entry: None, code: None, message };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            errors.push(fail(None, format!("cannot read the file (it must be UTF-8): {e}")));
            return Vec::new();
        }
    };
    let is_json = path.extension().is_some_and(|e| e == "json");
    read_text(&file, &text, is_json, errors)
}

/// Parses the text of one catalogue file named `file` (a path, or a name inside a bundle).
pub(super) fn read_text(file: &str, text: &str, is_json: bool, errors: &mut Vec<LoadError>) -> Vec<Located> {
    let file = file.to_string();
    let fail = |line: Option<usize>, message: String| LoadError { file: file.clone(), line, entry: None, code: None, message };
    let entries = if is_json { json_entries(text) } else { toml_entries(text) };
    match entries {
        Ok(entries) => entries
            .into_iter()
            .enumerate()
            .filter_map(|(entry, (raw, line))| match raw {
                Ok(procedure) => Some(Located { procedure, file: file.clone(), entry, line }),
                Err((code, message)) => {
                    errors.push(LoadError { file: file.clone(), line, entry: Some(entry), code, message });
                    None
                }
            })
            .collect(),
        Err((line, message)) => {
            errors.push(fail(line, message));
            Vec::new()
        }
    }
}

/// A parsed entry, or its code (if readable) and why it could not be read; with its line.
type RawEntry = (Result<Procedure, (Option<String>, String)>, Option<usize>);

fn toml_entries(text: &str) -> Result<Vec<RawEntry>, (Option<usize>, String)> {
    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| line_at(text, s.start));
        (line, format!("TOML syntax: {}", e.message().trim()))
    })?;
    let list = take_procedures(table.remove("procedure"), table.keys().map(String::as_str))?;
    let toml::Value::Array(list) = list else {
        return Err((None, "`procedure` must be a list of tables: write each entry under [[procedure]]".into()));
    };
    let headers = header_lines(text);
    Ok(list
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let code = value.get("code").and_then(|c| c.as_str()).map(str::to_owned);
            let line = headers.get(i).copied();
            (value.try_into::<Procedure>().map_err(|e| (code, e.message().trim().to_owned())), line)
        })
        .collect())
}

fn json_entries(text: &str) -> Result<Vec<RawEntry>, (Option<usize>, String)> {
    let mut root: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| (Some(e.line()), format!("JSON syntax: {e}")))?;
    let list = take_procedures(root.remove("procedure"), root.keys().map(String::as_str))?;
    let serde_json::Value::Array(list) = list else {
        return Err((None, "`procedure` must be an array of objects".into()));
    };
    let mut lines = LineFinder { text, at: 0, line: 1 };
    Ok(list
        .into_iter()
        .map(|value| {
            let code = value.get("code").and_then(|c| c.as_str()).map(str::to_owned);
            let line = code.as_deref().and_then(|c| lines.next(&format!("\"{c}\"")));
            (serde_json::from_value::<Procedure>(value).map_err(|e| (code, e.to_string())), line)
        })
        .collect())
}

/// The `procedure` list of a file whose other top-level keys are `others`.
fn take_procedures<'a, V>(list: Option<V>, mut others: impl Iterator<Item = &'a str>) -> Result<V, (Option<usize>, String)> {
    if let Some(key) = others.next() {
        return Err((None, format!("unknown top-level key `{key}`: a catalogue file holds only `procedure` entries")));
    }
    list.ok_or((None, "no `procedure` entries: add [[procedure]] tables (TOML) or a \"procedure\" array (JSON)".into()))
}

fn line_at(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Lines of successive needles in a text, found in one pass (entries come in file order).
struct LineFinder<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl LineFinder<'_> {
    fn next(&mut self, needle: &str) -> Option<usize> {
        let found = self.at + self.text[self.at..].find(needle)?;
        self.line += self.text.as_bytes()[self.at..found].iter().filter(|&&b| b == b'\n').count();
        self.at = found;
        Some(self.line)
    }
}

/// Lines of the `[[procedure]]` headers, in order.
fn header_lines(text: &str) -> Vec<usize> {
    text.lines().enumerate().filter(|(_, l)| l.trim_start().starts_with("[[procedure]]")).map(|(i, _)| i + 1).collect()
}

/// NFC-normalises every text, checks every record and the catalogue as a whole.
pub(super) fn check(entries: Vec<Located>, mut errors: Vec<LoadError>) -> Result<Vec<Procedure>, CatalogError> {
    let mut entries = entries;
    for e in &mut entries {
        normalise(&mut e.procedure);
        errors.extend(problems(&e.procedure).into_iter().map(|m| e.error(m)));
    }
    let mut first_by_code: HashMap<&str, &Located> = HashMap::new();
    let mut first_by_field: HashMap<String, &Located> = HashMap::new();
    for e in &entries {
        let p = &e.procedure;
        if let Some(first) = first_by_code.get(p.code.as_str()) {
            errors.push(e.error(format!(
                "duplicate code: already used by \"{}\" ({}{}, procedure #{}); codes must be unique",
                first.procedure.name,
                first.file,
                first.line.map(|l| format!(":{l}")).unwrap_or_default(),
                first.entry + 1
            )));
        } else {
            first_by_code.insert(&p.code, e);
        }
        match first_by_field.get(&field_code(&p.field)) {
            Some(first) if first.procedure.field != p.field => errors.push(e.error(format!(
                "field \"{}\" is spelled \"{}\" in {} ({}): use one spelling",
                p.field, first.procedure.field, first.procedure.code, first.file
            ))),
            Some(_) => {}
            None => {
                first_by_field.insert(field_code(&p.field), e);
            }
        }
    }
    if errors.is_empty() {
        Ok(entries.into_iter().map(|e| e.procedure).collect())
    } else {
        errors.sort_by(|a, b| (&a.file, a.entry, a.line).cmp(&(&b.file, b.entry, b.line)));
        Err(CatalogError { errors })
    }
}

fn normalise(p: &mut Procedure) {
    let fix = |s: &mut String| *s = nfc(s.trim());
    let fix_all = |v: &mut Vec<String>| v.iter_mut().for_each(fix);
    fix(&mut p.code);
    fix(&mut p.name);
    fix(&mut p.field);
    fix(&mut p.agency);
    fix(&mut p.service);
    fix(&mut p.result);
    fix_all(&mut p.steps);
    fix_all(&mut p.conditions);
    fix_all(&mut p.legal_basis);
    fix_all(&mut p.keywords);
    p.notes.iter_mut().for_each(fix);
    for c in &mut p.channels {
        fix(&mut c.time_limit.text);
        fix(&mut c.fee.text);
        c.fee.amounts.iter_mut().for_each(|a| fix(&mut a.label));
        c.note.iter_mut().for_each(fix);
    }
    for v in &mut p.variants {
        fix(&mut v.code);
        fix(&mut v.label);
        v.time_limit.iter_mut().for_each(|t| fix(&mut t.text));
        v.channels.iter_mut().for_each(|c| fix(&mut c.time_limit.text));
    }
    for d in &mut p.documents {
        fix(&mut d.name);
        d.form.iter_mut().for_each(fix);
        d.case.iter_mut().for_each(fix);
        d.note.iter_mut().for_each(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("catalog-load-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const GOOD: &str = r#"
[[procedure]]
code = "1.001193"
name = "Đăng ký khai sinh"
field = "Hộ tịch"
level = "commune"
agency = "UBND cấp xã"
applicants = ["individual"]
service = "A"
online_level = "toan_trinh"
same_day_cutoff = "15:00"
steps = ["Nộp hồ sơ"]
documents = [{ name = "Tờ khai đăng ký khai sinh", originals = 1 }]
result = "Giấy khai sinh"
legal_basis = ["Luật Hộ tịch 2014"]
channels = [
  { kind = "direct", time_limit = { kind = "same_day", text = "Ngay trong ngày" }, fee = { text = "Miễn lệ phí", amounts = [{ vnd = 0, label = "đúng hạn" }] } },
  { kind = "online", time_limit = { kind = "same_day", text = "Ngay trong ngày" }, fee = { text = "Miễn lệ phí" } },
]
"#;

    #[test]
    fn reads_a_good_toml_file() {
        let dir = temp_dir("good");
        std::fs::write(dir.join("a.toml"), GOOD).unwrap();
        let mut errors = Vec::new();
        let entries = read_file(&dir.join("a.toml"), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].line, Some(2));
        let procedures = check(entries, errors).unwrap();
        assert_eq!(procedures[0].same_day_cutoff.unwrap().to_string(), "15:00");
    }

    #[test]
    fn every_bad_entry_is_reported_with_file_line_and_code() {
        let dir = temp_dir("bad");
        let bad_type = GOOD.replace("level = \"commune\"", "level = \"district\"");
        let district = GOOD.replace("UBND cấp xã", "UBND cấp huyện").replace("1.001193", "1.000894");
        std::fs::write(dir.join("a.toml"), format!("{GOOD}{bad_type}{district}{GOOD}")).unwrap();
        let mut errors = Vec::new();
        let entries = read_file(&dir.join("a.toml"), &mut errors);
        let err = check(entries, errors).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.errors.len(), 3, "{text}");
        let unknown_level = &err.errors[0];
        assert_eq!((unknown_level.entry, unknown_level.line), (Some(1), Some(21)));
        assert!(unknown_level.message.contains("district"), "{text}");
        assert!(text.contains("a.toml:40: procedure #3 (1.000894)"), "{text}");
        assert!(text.contains("abolished on 1/7/2025"), "{text}");
        assert!(text.contains("procedure #4 (1.001193): duplicate code"), "{text}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let dir = temp_dir("syntax");
        std::fs::write(dir.join("a.toml"), "[[procedure]]\ncode = \"1.0\nname = 1\n").unwrap();
        std::fs::write(dir.join("b.json"), "{\n \"procedure\": [\n  {\"code\": }\n]}").unwrap();
        let mut errors = Vec::new();
        read_file(&dir.join("a.toml"), &mut errors);
        read_file(&dir.join("b.json"), &mut errors);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, Some(2));
        assert!(errors[0].message.starts_with("TOML syntax"));
        assert_eq!(errors[1].line, Some(3));
    }

    #[test]
    fn field_spellings_must_agree() {
        let dir = temp_dir("field");
        let other = GOOD.replace("1.001193", "1.000894").replace("\"Hộ tịch\"", "\"Hộ Tịch\"");
        std::fs::write(dir.join("a.toml"), format!("{GOOD}{other}")).unwrap();
        let mut errors = Vec::new();
        let entries = read_file(&dir.join("a.toml"), &mut errors);
        let err = check(entries, errors).unwrap_err();
        assert!(err.errors[0].message.contains("use one spelling"), "{err}");
    }

    #[test]
    fn schema_and_other_files_are_not_catalogue_files() {
        let dir = temp_dir("files");
        for name in ["b.toml", "a.json", "catalog.schema.json", "README.md", "vocabulary.toml"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let names: Vec<_> = catalogue_files(&dir).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["a.json", "b.toml"]);
    }
}
