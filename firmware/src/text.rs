//! Vietnamese text at the boundary: every string that enters the service is normalised to NFC,
//! so "hòa" typed on a phone (decomposed) and "hòa" from the config (precomposed) are the same
//! bytes in the database, in the journal and on paper.

use unicode_normalization::UnicodeNormalization;

/// The NFC form of `s`.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_input_becomes_precomposed() {
        let decomposed = "Ho\u{0300}a Phu\u{0301}"; // o + combining grave, u + combining acute
        assert_eq!(nfc(decomposed), "Hòa Phú");
        assert_eq!(nfc("Đăng ký"), "Đăng ký");
    }
}
