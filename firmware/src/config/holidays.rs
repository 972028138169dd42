//! Reading the holiday override files (`[data] holidays`, `config/holidays/*.toml`): the
//! calendar parses and checks their text; this reads the directory, in name order, so the
//! calendar itself stays free of files.

use std::path::Path;

use crate::calendar::{OverrideError, OverrideTable};

/// Every `*.toml` file of `dir`, in name order, as one table. A missing directory is an empty
/// table (a site with no announcements to add).
pub fn load_overrides(dir: &Path) -> Result<OverrideTable, OverrideError> {
    let io = |path: &Path, source| OverrideError::Io { path: path.to_owned(), source };
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OverrideTable::default()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in listing {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            files.push(path);
        }
    }
    files.sort();
    let mut table = OverrideTable::default();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        table.add_file(&path.display().to_string(), &text)?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::OverrideKind;

    #[test]
    fn missing_directory_is_an_empty_table() {
        assert_eq!(load_overrides(Path::new("/nonexistent/holidays")).unwrap().iter().count(), 0);
    }

    #[test]
    fn the_shipped_directory_loads_and_errors_name_the_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/holidays");
        let table = load_overrides(&dir).unwrap();
        assert!(table.iter().any(|o| o.kind == OverrideKind::WorkingDay && o.source.contains("2026.toml")));
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("2030.toml"), "[[day_off]]\ndate = \"30/4/2030\"\nreason = \"x\"\n").unwrap();
        let err = load_overrides(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("2030.toml:2: expected a date"), "{err}");
    }
}
