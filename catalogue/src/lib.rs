//! The procedure catalogue (thủ tục hành chính, TTHC): what a citizen can look up at the kiosk
//! before queueing, so that they bring a complete dossier the first time. It loads and checks the
//! catalogue files of `config/catalog/`, searches them the way citizens type Vietnamese, prints a
//! document checklist and serves `/api/v1/procedures`.
//!
//! ```no_run
//! # use catalogue::{Catalog, Outcome};
//! let catalog = Catalog::load_dir("config/catalog").expect("catalogue");
//! let found = catalog.search("dang ky khai sinh", None, 10);
//! assert_eq!(found.results[0].code, "1.001193");
//! // Citizens' own words: the vocabulary (config/catalog/vocabulary.toml) knows them.
//! let found = catalog.search("bố tôi vừa mất cần làm thủ tục gì", None, 10);
//! assert_eq!(found.results[0].code, "1.000656");
//! // Nothing matched: the screen offers the fields instead of an empty list.
//! let found = catalog.search("cho tôi hỏi", None, 10);
//! assert_eq!(found.outcome, Outcome::NoMatch);
//! assert_eq!(found.fields.len(), catalog.fields().len());
//! ```

pub mod bundle;
mod checklist;
mod collate;
mod fold;
mod index;
mod load;
mod model;
mod query;
mod search;
#[doc(hidden)]
pub mod testing;
mod validate;
mod vocabulary;

use std::collections::HashMap;
use std::path::Path;

pub use bundle::{Bundle, BundleError, CatalogueFile, VerifiedBundle};
pub use checklist::{Checklist, ChecklistChannel, ChecklistDocument, ChecklistVariant, CODE_PENDING};
pub use collate::sort_key;
pub use fold::{field_code, fold, nfc};
pub use load::{CatalogError, LoadError};
pub use model::{
    Applicant, Channel, ChannelKind, CutoffTime, Document, Fee, FeeAmount, Field, Level, OnlineLevel, Procedure, TimeLimit, TimeLimitError,
    TimeUnit, Unconfirmed, Variant, VariantChannel,
};
pub use search::{Outcome, SearchResults, Understanding};
pub use vocabulary::{Vocabulary, VOCABULARY_FILE};

use index::Index;
use load::Located;

/// A checked, indexed catalogue. Immutable: reload to change it.
pub struct Catalog {
    procedures: Vec<Procedure>,
    /// Fields in Vietnamese alphabetical order of name.
    fields: Vec<Field>,
    by_code: HashMap<String, u32>,
    /// Codes lower-cased without '.', '-', '_' ("1001193"), for codes typed loosely.
    by_loose_code: HashMap<String, u32>,
    index: Index,
    /// What citizens' words mean (`config/catalog/vocabulary.toml`).
    vocabulary: Vocabulary,
}

impl Catalog {
    /// Loads every catalogue file of `dir` (`*.toml`, `*.json`, not `*.schema.json` nor
    /// `vocabulary.toml`) and the directory's vocabulary (`vocabulary.toml`; without one, the
    /// shipped vocabulary). Every problem in every file is reported, each with file, line, entry
    /// and what to fix.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Catalog, CatalogError> {
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        for file in load::catalogue_files(dir.as_ref())? {
            entries.extend(load::read_file(&file, &mut errors));
        }
        let vocabulary_file = dir.as_ref().join(VOCABULARY_FILE);
        let vocabulary = if vocabulary_file.exists() {
            match Vocabulary::load_file(&vocabulary_file) {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.extend(e.errors);
                    None
                }
            }
        } else {
            None
        };
        let catalog = Self::checked(entries, errors)?;
        Ok(match vocabulary {
            Some(v) => catalog.with_vocabulary(v),
            None => catalog,
        })
    }

    /// Loads one catalogue file, e.g. a province's export of 2,000 procedures as JSON.
    pub fn load_file(path: impl AsRef<Path>) -> Result<Catalog, CatalogError> {
        let mut errors = Vec::new();
        let entries = load::read_file(path.as_ref(), &mut errors);
        Self::checked(entries, errors)
    }

    /// Loads catalogue files held in memory (a verified [`Bundle`]'s), with exactly the checks and
    /// located errors of [`Catalog::load_dir`]; errors name each file by its `name`. A
    /// `vocabulary.toml` among them replaces the shipped vocabulary, as in a directory.
    pub fn load_files(files: &[CatalogueFile]) -> Result<Catalog, CatalogError> {
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        if !files.iter().any(|f| load::is_catalogue_file_name(&f.name)) {
            errors.push(LoadError {
                file: "<bundle>".into(),
                line: None,
                entry: None,
                code: None,
                message: "no catalogue files (*.toml or *.json) found: add at least one".into(),
            });
        }
        for file in files.iter().filter(|f| load::is_catalogue_file_name(&f.name)) {
            entries.extend(load::read_text(&file.name, &file.text, file.name.ends_with(".json"), &mut errors));
        }
        let vocabulary = match files.iter().find(|f| f.name == VOCABULARY_FILE).map(|f| Vocabulary::parse(&f.text, &f.name)) {
            Some(Ok(v)) => Some(v),
            Some(Err(e)) => {
                errors.extend(e.errors);
                None
            }
            None => None,
        };
        let catalog = Self::checked(entries, errors)?;
        Ok(match vocabulary {
            Some(v) => catalog.with_vocabulary(v),
            None => catalog,
        })
    }

    /// Builds a catalogue from records made in code, with the same checks as loading.
    pub fn from_procedures(procedures: Vec<Procedure>) -> Result<Catalog, CatalogError> {
        let entries = procedures
            .into_iter()
            .enumerate()
            .map(|(entry, procedure)| Located { procedure, file: "<memory>".into(), entry, line: None })
            .collect();
        Self::checked(entries, Vec::new())
    }

    fn checked(entries: Vec<Located>, errors: Vec<LoadError>) -> Result<Catalog, CatalogError> {
        let procedures = load::check(entries, errors)?;
        let mut fields: Vec<Field> = Vec::new();
        for p in &procedures {
            let code = field_code(&p.field);
            match fields.iter_mut().find(|f| f.code == code) {
                Some(f) => f.count += 1,
                None => fields.push(Field { code, name: p.field.clone(), count: 1 }),
            }
        }
        fields.sort_by_key(|f| sort_key(&f.name));
        let field_codes: Vec<String> = fields.iter().map(|f| f.code.clone()).collect();
        let index = Index::build(&procedures, &field_codes);
        let mut by_code = HashMap::with_capacity(procedures.len());
        let mut by_loose_code = HashMap::with_capacity(procedures.len());
        for (i, p) in procedures.iter().enumerate() {
            by_code.insert(p.code.clone(), i as u32);
            by_loose_code.entry(loose_code(&p.code)).or_insert(i as u32);
        }
        Ok(Catalog { procedures, fields, by_code, by_loose_code, index, vocabulary: Vocabulary::shipped() })
    }

    /// The same catalogue understanding citizens' words with `vocabulary` instead.
    pub fn with_vocabulary(mut self, vocabulary: Vocabulary) -> Catalog {
        self.vocabulary = vocabulary;
        self
    }

    /// What citizens' words mean for this catalogue's search.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// All procedures, in file order.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    pub fn len(&self) -> usize {
        self.procedures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procedures.is_empty()
    }

    /// The fields with their procedure counts, in Vietnamese alphabetical order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field with this code or name (diacritics and case do not matter).
    pub fn field(&self, code_or_name: &str) -> Option<&Field> {
        let code = field_code(code_or_name);
        self.fields.iter().find(|f| f.code == code)
    }

    /// The procedure with this code; also accepts it without the dot ("1001193") or in any case.
    pub fn get(&self, code: &str) -> Option<&Procedure> {
        let code = code.trim();
        self.by_code.get(code).or_else(|| self.by_loose_code.get(&loose_code(code))).map(|&i| &self.procedures[i as usize])
    }
}

fn loose_code(code: &str) -> String {
    code.chars().filter(|c| !matches!(c, '.' | '-' | '_')).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use testing::sample;

    #[test]
    fn codes_are_found_loosely_and_fields_counted() {
        let mut b = sample("1.004222", "Đăng ký thường trú");
        b.field = "Cư trú".into();
        let c = Catalog::from_procedures(vec![sample("1.001193", "Đăng ký khai sinh"), b, sample("LT-001", "Liên thông")]).unwrap();
        assert_eq!(c.get("1.001193").unwrap().name, "Đăng ký khai sinh");
        assert_eq!(c.get(" 1001193 ").unwrap().name, "Đăng ký khai sinh");
        assert_eq!(c.get("lt001").unwrap().code, "LT-001");
        assert!(c.get("1.00119").is_none());
        let fields: Vec<(&str, usize)> = c.fields().iter().map(|f| (f.code.as_str(), f.count)).collect();
        assert_eq!(fields, [("cu-tru", 1), ("ho-tich", 2)]);
        assert_eq!(c.field("Hộ Tịch").unwrap().name, "Hộ tịch");
    }

    #[test]
    fn from_procedures_rejects_duplicates() {
        let err = Catalog::from_procedures(vec![sample("1.001193", "A"), sample("1.001193", "B")]).err().unwrap();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].entry, Some(1));
        assert!(err.to_string().contains("<memory>: procedure #2 (1.001193): duplicate code"), "{err}");
    }

    #[test]
    fn the_sample_catalogue_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
        let c = Catalog::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.len() >= 80, "{} procedures", c.len());
        assert!(c.procedures().iter().any(|p| p.level == Level::Province));
        assert!(c.procedures().iter().any(|p| p.level == Level::Commune));
    }
}
