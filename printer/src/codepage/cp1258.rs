//! Windows-1258 for printers whose Vietnamese page is CP1258. The page holds only 42 of the 146
//! letter forms precomposed; the other 104 go out as base letter + combining tone byte
//! (ệ = `EA F2`), as GNU iconv does. `encoding_rs` supplies the byte table but does not decompose,
//! so the split is done here.

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::char::{compose, decompose_canonical};
use unicode_normalization::UnicodeNormalization;

/// The five tone marks, which CP1258 sends as separate bytes.
const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

fn table() -> &'static HashMap<char, u8> {
    static TABLE: OnceLock<HashMap<char, u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80..=0xFFu8)
            .filter_map(|b| {
                let byte = [b];
                let (text, _, bad) = encoding_rs::WINDOWS_1258.decode(&byte);
                let c = text.chars().next()?;
                (!bad && c != '\u{FFFD}').then_some((c, b))
            })
            .collect()
    })
}

/// Bytes for `text`, and how many characters had no CP1258 form (sent as `?`).
pub fn encode(text: &str) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(text.len());
    let mut replaced = 0;
    for c in text.nfc() {
        if !encode_char(c, &mut out) {
            match super::ascii_fallback(c) {
                Some(b) => out.push(b),
                None => {
                    out.push(b'?');
                    replaced += 1;
                }
            }
        }
    }
    (out, replaced)
}

fn encode_char(c: char, out: &mut Vec<u8>) -> bool {
    if c.is_ascii() {
        out.push(c as u8);
        return true;
    }
    if let Some(b) = table().get(&c) {
        out.push(*b);
        return true;
    }
    // Split off the tone mark and recompose the rest: ệ → ê + dot below.
    let mut parts = vec![];
    decompose_canonical(c, |p| parts.push(p));
    let (tones, rest): (Vec<char>, Vec<char>) = parts.into_iter().partition(|p| TONE_MARKS.contains(p));
    let Some(base) = rest.iter().skip(1).try_fold(rest[0], |acc, m| compose(acc, *m)) else { return false };
    let base_byte = if base.is_ascii() { Some(base as u8) } else { table().get(&base).copied() };
    let tone_bytes: Option<Vec<u8>> = tones.iter().map(|t| table().get(t).copied()).collect();
    match (base_byte, tone_bytes) {
        (Some(b), Some(t)) if !tones.is_empty() => {
            out.push(b);
            out.extend(t);
            true
        }
        _ => false,
    }
}

/// Text back from CP1258 bytes, recomposed to NFC (used by the virtual printer).
pub fn decode(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_bytes_iconv_gives_in_the_research_notes() {
        let (bytes, replaced) = encode("Số người đang chờ trước bạn: 7");
        assert_eq!(replaced, 0);
        let expected = [
            0x53, 0xf4, 0xec, 0x20, 0x6e, 0x67, 0xfd, 0xf5, 0xcc, 0x69, 0x20, 0xf0, 0x61, 0x6e, 0x67, 0x20, 0x63, 0x68, 0xf5, 0xcc, 0x20,
            0x74, 0x72, 0xfd, 0xf5, 0xec, 0x63, 0x20, 0x62, 0x61, 0xf2, 0x6e, 0x3a, 0x20, 0x37,
        ];
        assert_eq!(bytes, expected);
        assert_eq!(encode("ệ ả ì").0, [0xEA, 0xF2, 0x20, 0x61, 0xD2, 0x20, 0x69, 0xCC]);
    }

    #[test]
    fn unknown_characters_are_counted() {
        let (bytes, replaced) = encode("số 5 ★");
        assert_eq!(replaced, 1);
        assert_eq!(*bytes.last().unwrap(), b'?');
    }
}
