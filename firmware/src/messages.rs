//! What each refusal means to a person: the one table (`messages.json`) from the API's error
//! codes (`ServiceError::code`) to the words shown to citizens on the kiosk's screens and to
//! officers on the counter page, in Vietnamese and English. The kiosk app reads it through
//! [`message`]; the pages get the same table as `/assets/messages.js`. A code missing from the
//! table is shown as [`FALLBACK`] (and logged).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The table as written: `{"code": {"vi": "…", "en": "…"}, …}`.
pub const TABLE_JSON: &str = include_str!("messages.json");

/// The words for one error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Words {
    pub vi: &'static str,
    pub en: &'static str,
}

static TABLE: LazyLock<BTreeMap<&'static str, Words>> =
    LazyLock::new(|| serde_json::from_str(TABLE_JSON).expect("messages.json is a table of {\"vi\", \"en\"} by code"));

/// What to say when nothing better is known (a network failure, an unexpected code).
pub const FALLBACK: Words =
    Words { vi: "Hệ thống đang bận. Xin quý khách thử lại.", en: "The system is busy. Please try again." };

/// The words for `code`, if the table has them.
pub fn message(code: &str) -> Option<Words> {
    TABLE.get(code).copied()
}

/// Every code of the table with its words.
pub fn all() -> impl Iterator<Item = (&'static str, Words)> {
    TABLE.iter().map(|(code, words)| (*code, *words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_has_both_languages() {
        assert!(all().count() >= 15);
        for (code, w) in all() {
            assert!(!w.vi.is_empty() && !w.en.is_empty(), "{code}");
        }
        assert_eq!(message("bad_pin").map(|m| m.vi), Some("Sai mã PIN. Vui lòng nhập lại."));
        assert_eq!(message("service_closed").map(|m| m.en), Some("This service is not taking numbers now."));
        assert_eq!(message("no_such_code"), None);
    }
}
