//! How a letter addresses the citizen: by their own title, "Ông" or "Bà", chosen by the officer
//! at reception (or when the late notice is written). A letter never says "Ông/Bà" after it
//! has named the person.

use serde::{Deserialize, Serialize};

/// The applicant's title (danh xưng).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Title {
    #[serde(rename = "Ông")]
    Ong,
    #[serde(rename = "Bà")]
    Ba,
}

/// A title that is neither "Ông" nor "Bà".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("title {0:?} is not \"Ông\" or \"Bà\"")]
pub struct UnknownTitle(pub String);

impl Title {
    /// "Ông" or "Bà", as printed before the name and alone in the letter's sentences.
    pub fn text(self) -> &'static str {
        match self {
            Title::Ong => "Ông",
            Title::Ba => "Bà",
        }
    }

    /// Reads "Ông"/"Bà" in any case, with or without diacritics ("ong", "BA"); NFC or not.
    pub fn parse(typed: &str) -> Result<Title, UnknownTitle> {
        use unicode_normalization::UnicodeNormalization;
        let folded: String = typed.trim().nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).flat_map(char::to_lowercase).collect();
        match folded.as_str() {
            "ong" => Ok(Title::Ong),
            "ba" => Ok(Title::Ba),
            _ => Err(UnknownTitle(typed.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_read_loosely_and_printed_exactly() {
        for typed in ["Ông", "ông", "ONG", " ong ", "O\u{302}ng"] {
            assert_eq!(Title::parse(typed), Ok(Title::Ong), "{typed:?}");
        }
        for typed in ["Bà", "ba", "BÀ"] {
            assert_eq!(Title::parse(typed), Ok(Title::Ba), "{typed:?}");
        }
        for typed in ["Ông/Bà", "", "Anh", "Bác"] {
            assert!(Title::parse(typed).is_err(), "{typed:?}");
        }
        assert_eq!((Title::Ong.text(), Title::Ba.text()), ("Ông", "Bà"));
        assert_eq!(serde_json::to_string(&Title::Ba).unwrap(), "\"Bà\"");
    }
}
