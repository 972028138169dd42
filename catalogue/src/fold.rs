//! Vietnamese text folding: the one place that decides when two spellings are "the same word"
//! for search. Citizens type without diacritics, with old or new tone placement (hòa/hoà), in NFD
//! from some keyboards, with Telex keys left in ("dawng kys"), or with Ð (U+00D0) for Đ.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// NFC form, with the look-alike Ð/ð (U+00D0/U+00F0, Icelandic eth) replaced by Đ/đ.
pub fn nfc(text: &str) -> String {
    text.nfc()
        .map(|c| match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            c => c,
        })
        .collect()
}

/// Lower case, tones and vowel marks removed, đ → d. Any normalisation form gives the same
/// result, so "Hòa", "hoà" (NFC or NFD) and "HOA" all fold to "hoa". Punctuation is kept; use
/// [`words`] to split.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'đ' | 'Đ' | 'Ð' | 'ð' => out.push('d'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => decompose_canonical(c, |part| {
                if !is_combining_mark(part) {
                    out.extend(part.to_lowercase());
                }
            }),
        }
    }
    out
}

/// The words of a folded text: runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The code of a field name: folded words joined by dashes ("Đất đai" → "dat-dai").
/// Also used on a filter a citizen typed, so "Hộ tịch", "ho tich" and "ho-tich" all agree.
pub fn field_code(name: &str) -> String {
    words(&fold(name)).collect::<Vec<_>>().join("-")
}

/// The word a Telex user meant when the input method was off: tone keys (s f r x j z) and the
/// shape key w after a vowel are dropped, `dd`, `aa`, `ee`, `oo` become single letters, and a `w`
/// standing for ư becomes u. "dawng" → "dang", "kys" → "ky", "dduwowngf" → "duong".
/// `None` when nothing changes. Vietnamese syllables never end in s, f, r, x, j, z or w, so the
/// rule cannot spoil a real Vietnamese word.
pub fn telex_skeleton(word: &str) -> Option<String> {
    if !word.is_ascii() {
        return None;
    }
    let bytes = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut seen_vowel = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        match c {
            b'd' if next == Some(b'd') => {
                out.push('d');
                i += 2;
                continue;
            }
            b'a' | b'e' | b'o' if next == Some(c) => {
                out.push(c as char);
                seen_vowel = true;
                i += 2;
                continue;
            }
            b'w' => {
                if !seen_vowel {
                    out.push('u');
                    seen_vowel = true;
                }
                i += 1;
                continue;
            }
            b's' | b'f' | b'r' | b'x' | b'j' | b'z' if seen_vowel => {
                i += 1;
                continue;
            }
            _ => {}
        }
        seen_vowel |= matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
        out.push(c as char);
        i += 1;
    }
    (out != word && !out.is_empty()).then_some(out)
}

/// One spelling for words written two ways: a final `y` after consonants only is written `i`
/// ("ký"/"kí", "lý"/"lí", "công ty"/"công ti" all become `ki`, `li`, `ti`). Applied to folded
/// words of both the catalogue and the query. "quy", "thuy" keep their `y` (a vowel precedes).
pub fn spelling(word: &str) -> String {
    let bytes = word.as_bytes();
    let consonants_then_y = bytes.len() >= 2
        && bytes[bytes.len() - 1] == b'y'
        && bytes[..bytes.len() - 1].iter().all(|b| b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'));
    if consonants_then_y {
        format!("{}i", &word[..word.len() - 1])
    } else {
        word.to_owned()
    }
}

/// A procedure code reduced to its digits, when `text` looks like one ("1.001193", "1001193",
/// "001193", "1.0011"): digits and dots only, at least three digits.
pub fn code_digits(text: &str) -> Option<String> {
    if !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 3).then_some(digits)
}

/// True when `a` and `b` differ by one insertion, deletion, substitution or swap of two
/// neighbouring letters (optimal string alignment distance 1).
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => {
            let diffs: Vec<usize> = (0..short.len()).filter(|&i| short[i] != long[i]).collect();
            match diffs.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && short[*i] == long[*j] && short[*j] == long[*i],
                _ => false,
            }
        }
        1 => {
            let first = (0..short.len()).find(|&i| short[i] != long[i]).unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tones_marks_and_d() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("ĐĂNG KÝ THƯỜNG TRÚ"), "dang ky thuong tru");
        assert_eq!(fold("Ðăng ký"), "dang ky", "U+00D0 posing as Đ");
        assert_eq!(fold("hòa"), fold("hoà"));
        assert_eq!(fold("hòa"), "hoa");
        let nfd: String = "Chứng thực".nfd().collect();
        assert_ne!(nfd, "Chứng thực");
        assert_eq!(fold(&nfd), "chung thuc");
    }

    #[test]
    fn nfc_composes_and_fixes_eth() {
        let nfd: String = "Hộ tịch".nfd().collect();
        assert_eq!(nfc(&nfd), "Hộ tịch");
        assert_eq!(nfc("Ðất đai"), "Đất đai");
    }

    #[test]
    fn field_codes_agree_across_spellings() {
        assert_eq!(field_code("Hộ tịch"), "ho-tich");
        assert_eq!(field_code("ho tich"), "ho-tich");
        assert_eq!(field_code("HO-TICH"), "ho-tich");
        assert_eq!(field_code("Lao động – Thương binh và Xã hội"), "lao-dong-thuong-binh-va-xa-hoi");
    }

    #[test]
    fn telex_leftovers_are_stripped() {
        assert_eq!(telex_skeleton("dawng").as_deref(), Some("dang"));
        assert_eq!(telex_skeleton("kys").as_deref(), Some("ky"));
        assert_eq!(telex_skeleton("ddawngf").as_deref(), Some("dang"));
        assert_eq!(telex_skeleton("dduwowngf").as_deref(), Some("duong"));
        assert_eq!(telex_skeleton("hooj").as_deref(), Some("ho"));
        assert_eq!(telex_skeleton("tichj").as_deref(), Some("tich"));
        assert_eq!(telex_skeleton("nguyeenx").as_deref(), Some("nguyen"));
        assert_eq!(telex_skeleton("nhw").as_deref(), Some("nhu"));
        // Initial s, x, r and tr are consonants, not tone keys.
        assert_eq!(telex_skeleton("sinh"), None);
        assert_eq!(telex_skeleton("xac"), None);
        assert_eq!(telex_skeleton("tru"), None);
        assert_eq!(telex_skeleton("thuwowngf").as_deref(), Some("thuong"));
    }

    #[test]
    fn i_and_y_are_one_spelling() {
        assert_eq!(spelling("ky"), "ki");
        assert_eq!(spelling("ki"), "ki");
        assert_eq!(spelling("ly"), "li");
        assert_eq!(spelling("ty"), "ti");
        assert_eq!(spelling("quy"), "quy");
        assert_eq!(spelling("thuy"), "thuy");
        assert_eq!(spelling("y"), "y");
        assert_eq!(spelling("dang"), "dang");
    }

    #[test]
    fn codes_are_recognised_with_or_without_dot() {
        assert_eq!(code_digits("1.001193").as_deref(), Some("1001193"));
        assert_eq!(code_digits("1001193").as_deref(), Some("1001193"));
        assert_eq!(code_digits("1.00").as_deref(), Some("100"));
        assert_eq!(code_digits("12"), None);
        assert_eq!(code_digits("khai"), None);
    }

    #[test]
    fn one_edit_covers_the_four_typos() {
        assert!(one_edit_apart("thuong", "thuonh"), "substitution");
        assert!(one_edit_apart("thuong", "thong"), "deletion");
        assert!(one_edit_apart("sinh", "sinhh"), "insertion");
        assert!(one_edit_apart("dang", "dnag"), "swap");
        assert!(!one_edit_apart("dang", "dnga"));
        assert!(!one_edit_apart("khai", "khai"));
        assert!(!one_edit_apart("thuong", "thu"));
    }
}
