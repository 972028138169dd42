//! The citizens' vocabulary (`config/catalog/vocabulary.toml`): what the words people type mean
//! for the choice of a procedure, kept as data beside the catalogue. Two kinds of entries:
//!
//! - `[ignore]`: words that say nothing about which procedure is meant — filler ("làm", "xin"),
//!   pronouns, kinship words ("bố", "mẹ"), question words ("gì", "ở đâu"). They never make a
//!   procedure match on their own and never exclude one.
//! - `[[term]]`: everyday names and life events and what they mean in the catalogue's words
//!   ("giấy chứng tử", "bố … mất" → "khai tử"; "sổ đỏ" → "giấy chứng nhận quyền sử dụng đất").
//!
//! The file is checked like a catalogue file: every mistake at once, each with file and line.
//! A catalogue directory without its own `vocabulary.toml` uses the one shipped in
//! `config/catalog/` (compiled in), so a province's single JSON export is understood the same way.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::fold::{fold, nfc, spelling, telex_skeleton, words};
use super::load::{CatalogError, LoadError};

/// The vocabulary shipped with the catalogue (`config/catalog/vocabulary.toml`).
const SHIPPED: &str = include_str!("../../config/catalog/vocabulary.toml");
/// The file name of a catalogue directory's vocabulary.
pub const VOCABULARY_FILE: &str = "vocabulary.toml";
/// Longest phrase, in words: longer ones are sentences, which belong in tests, not here.
const MAX_PHRASE_WORDS: usize = 5;
/// Ignorable words that may stand between the words of a term ("bố tôi vừa mất" for "bố mất").
pub(crate) const MAX_GAP: usize = 2;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    ignore: HashMap<String, Vec<toml::Spanned<String>>>,
    #[serde(default)]
    term: Vec<TermEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermEntry {
    says: Vec<toml::Spanned<String>>,
    means: toml::Spanned<String>,
}

/// A phrase of the vocabulary, folded into search words ("sổ đỏ" → ["so", "do"]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    /// The catalogue's words it stands for; `None` for an ignorable phrase ("thủ tục").
    pub meaning: Option<Vec<String>>,
}

/// A checked vocabulary, ready for the search.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Ignorable single words by folded form, with the spellings listed (NFC, lower case): a
    /// word typed with diacritics is ignorable only in a listed spelling ("bố" yes, "bộ" no); a
    /// word typed without diacritics is ignorable when its folded form is listed.
    ignorable: HashMap<String, Vec<String>>,
    /// Phrases (terms and ignorable phrases) by their first word, longest first.
    phrases: HashMap<String, Vec<Phrase>>,
    terms: usize,
}

impl Vocabulary {
    /// The vocabulary shipped in `config/catalog/vocabulary.toml`.
    pub fn shipped() -> Vocabulary {
        Vocabulary::parse(SHIPPED, "config/catalog/vocabulary.toml").unwrap_or_else(|e| panic!("the shipped vocabulary is invalid: {e}"))
    }

    /// A vocabulary that knows no words: every typed word counts.
    pub fn empty() -> Vocabulary {
        Vocabulary::default()
    }

    /// Reads and checks a vocabulary file.
    pub fn load_file(path: impl AsRef<Path>) -> Result<Vocabulary, CatalogError> {
        let path = path.as_ref();
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| CatalogError {
            errors: vec![LoadError {
                file: label.clone(),
                line: None,
                entry: None,
                code: None,
                message: format!("cannot read the vocabulary: {e}"),
            }],
        })?;
        Vocabulary::parse(&text, &label)
    }

    /// Checks a vocabulary given as TOML text; `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Vocabulary, CatalogError> {
        let error = |line: Option<usize>, message: String| LoadError { file: file.to_owned(), line, entry: None, code: None, message };
        let parsed: File = toml::from_str(text).map_err(|e| CatalogError {
            errors: vec![error(e.span().map(|s| line_at(text, s.start)), format!("vocabulary: {}", e.message().trim()))],
        })?;
        let mut errors = Vec::new();
        let mut vocabulary = Vocabulary::default();
        // Where each folded phrase was first declared, to name both places of a duplicate.
        let mut declared: HashMap<Vec<String>, usize> = HashMap::new();
        let mut groups: Vec<(&String, &Vec<toml::Spanned<String>>)> = parsed.ignore.iter().collect();
        groups.sort_by_key(|(name, _)| name.as_str());
        for (group, entries) in groups {
            for entry in entries {
                let at = line_at(text, entry.span().start);
                let line = Some(at);
                let Some(folded) = phrase_words(entry.get_ref()) else {
                    errors.push(error(line, format!("ignore.{group}: \"{}\" has no letters: write a word", entry.get_ref())));
                    continue;
                };
                if folded.len() > MAX_PHRASE_WORDS {
                    errors.push(error(line, format!("ignore.{group}: \"{}\" is longer than {MAX_PHRASE_WORDS} words", entry.get_ref())));
                    continue;
                }
                // One word is ignored in the spelling listed ("làm" and "lắm" are two entries);
                // a phrase is matched folded, so two spellings of it are one entry.
                let spelled = nfc(entry.get_ref().trim()).to_lowercase();
                let key = if folded.len() == 1 { vec![spelled.clone()] } else { folded.clone() };
                if let Some(first) = declared.insert(key, at) {
                    errors.push(error(line, format!("ignore.{group}: \"{}\" is already listed on line {first}", entry.get_ref())));
                    continue;
                }
                if folded.len() == 1 {
                    vocabulary.ignorable.entry(folded[0].clone()).or_default().push(spelled);
                } else {
                    vocabulary.add_phrase(Phrase { words: folded, meaning: None });
                }
            }
        }
        for term in &parsed.term {
            let means_line = Some(line_at(text, term.means.span().start));
            let Some(meaning) = phrase_words(term.means.get_ref()) else {
                errors.push(error(means_line, "term: `means` is empty: write the catalogue's words for it".into()));
                continue;
            };
            if meaning.iter().all(|w| vocabulary.ignorable.contains_key(w)) {
                errors.push(error(
                    means_line,
                    format!("term: `means` \"{}\" has only ignored words: it would match nothing", term.means.get_ref()),
                ));
            }
            if term.says.is_empty() {
                errors.push(error(means_line, format!("term \"{}\": `says` is empty: list what citizens type", term.means.get_ref())));
            }
            for says in &term.says {
                let at = line_at(text, says.span().start);
                let line = Some(at);
                let Some(folded) = phrase_words(says.get_ref()) else {
                    errors.push(error(line, format!("term \"{}\": a `says` entry has no letters", term.means.get_ref())));
                    continue;
                };
                if folded.len() > MAX_PHRASE_WORDS {
                    errors.push(error(
                        line,
                        format!(
                            "term: \"{}\" is longer than {MAX_PHRASE_WORDS} words: keep phrases short, sentences belong in tests",
                            says.get_ref()
                        ),
                    ));
                    continue;
                }
                if folded == meaning {
                    errors.push(error(line, format!("term: \"{}\" says the same as it means: remove it", says.get_ref())));
                    continue;
                }
                if folded.len() == 1 && vocabulary.ignorable.contains_key(&folded[0]) {
                    errors.push(error(line, format!("term: \"{}\" is also an ignored word: keep it in one place", says.get_ref())));
                    continue;
                }
                if let Some(first) = declared.insert(folded.clone(), at) {
                    errors.push(error(
                        line,
                        format!("term: \"{}\" is already listed on line {first}: one meaning per phrase", says.get_ref()),
                    ));
                    continue;
                }
                vocabulary.add_phrase(Phrase { words: folded, meaning: Some(meaning.clone()) });
                vocabulary.terms += 1;
            }
        }
        for list in vocabulary.phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        if errors.is_empty() {
            Ok(vocabulary)
        } else {
            errors.sort_by_key(|e| e.line);
            Err(CatalogError { errors })
        }
    }

    fn add_phrase(&mut self, phrase: Phrase) {
        self.phrases.entry(phrase.words[0].clone()).or_default().push(phrase);
    }

    /// How many phrases citizens say that the vocabulary explains.
    pub fn terms(&self) -> usize {
        self.terms
    }

    /// True when a word, as typed (NFC, lower case) and folded, says nothing about the procedure.
    pub(crate) fn is_ignorable(&self, typed: &str, folded: &str, telex: Option<&str>) -> bool {
        let plain = typed.is_ascii();
        let listed = |key: &str| self.ignorable.get(key).is_some_and(|spellings| plain || spellings.iter().any(|s| s == typed));
        listed(folded) || (plain && telex.is_some_and(listed))
    }

    /// True when the folded word is listed as ignorable in any spelling (for completions).
    pub(crate) fn is_ignorable_word(&self, folded: &str) -> bool {
        self.ignorable.contains_key(folded)
    }

    /// Phrases starting with this folded word, longest first.
    pub(crate) fn phrases_from(&self, word: &str) -> &[Phrase] {
        self.phrases.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every word the vocabulary's terms mean, for checking it against a catalogue.
    pub fn meaning_words(&self) -> HashSet<String> {
        self.phrases.values().flatten().filter_map(|p| p.meaning.as_ref()).flatten().cloned().collect()
    }

    /// The terms' meanings that no procedure's name, keywords or result contains as a phrase:
    /// a typo in the vocabulary, or a catalogue without those procedures.
    pub fn unknown_meanings<'a>(&self, catalogue_texts: impl Iterator<Item = &'a str>) -> Vec<String> {
        let texts: Vec<String> =
            catalogue_texts.map(|t| format!(" {} ", words(&fold(t)).map(spelling).collect::<Vec<_>>().join(" "))).collect();
        let mut meanings: Vec<String> = self.phrases.values().flatten().filter_map(|p| p.meaning.as_ref()).map(|m| m.join(" ")).collect();
        meanings.sort();
        meanings.dedup();
        meanings.retain(|m| !texts.iter().any(|t| t.contains(&format!(" {m} "))));
        meanings
    }
}

/// A phrase as search words: folded, with the i/y spelling unified; `None` when it has none.
pub(crate) fn phrase_words(text: &str) -> Option<Vec<String>> {
    let folded: Vec<String> = words(&fold(text)).map(spelling).collect();
    (!folded.is_empty()).then_some(folded)
}

/// A typed word as a phrase word: its folded form and, for ASCII input, its Telex skeleton.
pub(crate) fn word_forms(folded: &str) -> (String, Option<String>) {
    (spelling(folded), telex_skeleton(folded).map(|t| spelling(&t)))
}

fn line_at(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_vocabulary_is_valid() {
        let v = Vocabulary::shipped();
        assert!(v.terms() >= 100, "{} terms", v.terms());
        assert!(v.is_ignorable("bố", "bo", None));
        assert!(v.is_ignorable("bo", "bo", None), "typed without diacritics");
        assert!(!v.is_ignorable("bộ", "bo", None), "bộ is not bố");
        assert!(!v.phrases_from("so").is_empty(), "sổ đỏ");
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let text = "[ignore]\nfiller = [\"làm\", \"xin\", \"làm\", \"!!\", \"lắm\"]\n\n[[term]]\nsays = [\"giấy chứng tử\"]\nmeans = \"khai tử\"\n\n[[term]]\nsays = [\"giấy chứng tử\", \"khai tử\", \"xin\"]\nmeans = \"xin làm\"\n";
        let err = Vocabulary::parse(text, "v.toml").unwrap_err();
        let messages: Vec<String> = err.errors.iter().map(|e| e.to_string()).collect();
        assert!(messages.iter().any(|m| m.starts_with("v.toml:2: ignore.filler: \"làm\" is already listed on line 2")), "{messages:#?}");
        assert!(messages.iter().any(|m| m.contains("\"!!\" has no letters")), "{messages:#?}");
        assert!(messages.iter().any(|m| m.starts_with("v.toml:9: term: \"giấy chứng tử\" is already listed on line 5")), "{messages:#?}");
        assert!(messages.iter().any(|m| m.starts_with("v.toml:10: term: `means` \"xin làm\" has only ignored words")), "{messages:#?}");
        assert!(messages.iter().any(|m| m.contains("\"xin\" is also an ignored word")), "{messages:#?}");
    }

    #[test]
    fn syntax_and_unknown_keys_are_located() {
        let err = Vocabulary::parse("[[term]]\nsays = [\"a\"]\nmeans = \"b\"\nwhy = 1\n", "v.toml").unwrap_err();
        assert!(err.to_string().contains("v.toml:4: vocabulary: unknown field `why`"), "{err}");
        let err = Vocabulary::parse("[ignore]\nfiller = [\"a\"\n", "v.toml").unwrap_err();
        assert_eq!(err.errors[0].line, Some(2), "{err}");
    }

    #[test]
    fn long_phrases_are_refused() {
        let err = Vocabulary::parse("[[term]]\nsays = [\"một hai ba bốn năm sáu\"]\nmeans = \"khai tử\"\n", "v.toml").unwrap_err();
        assert!(err.to_string().contains("longer than 5 words"), "{err}");
    }
}
