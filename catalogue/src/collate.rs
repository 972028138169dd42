//! Vietnamese alphabetical order for browsing lists (fields, procedures of a field). Byte order
//! puts Đ after Z and scatters accented letters; this key follows the alphabet
//! a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with tones as a secondary
//! difference (ngang < huyền < hỏi < ngã < sắc < nặng, as in CLDR "vi").

use unicode_normalization::char::decompose_canonical;

const ALPHABET: &[&str] = &[
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u",
    "ư", "v", "w", "x", "y", "z",
];

/// A key whose byte-wise order is Vietnamese alphabetical order.
pub fn sort_key(text: &str) -> Vec<u32> {
    let mut primary = Vec::with_capacity(text.len());
    let mut tones = Vec::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let (letter, tone) = split_tone(c);
        primary.push(rank(letter));
        tones.push(tone);
    }
    primary.push(0);
    primary.extend(tones);
    primary
}

/// The letter without its tone (keeping ă â ê ô ơ ư đ) and the tone rank.
fn split_tone(c: char) -> (char, u32) {
    let mut base = None;
    let mut shape = None;
    let mut tone = 0;
    decompose_canonical(c, |part| match part {
        '\u{0300}' => tone = 1,
        '\u{0309}' => tone = 2,
        '\u{0303}' => tone = 3,
        '\u{0301}' => tone = 4,
        '\u{0323}' => tone = 5,
        '\u{0306}' | '\u{0302}' | '\u{031B}' => shape = Some(part),
        other => base = base.or(Some(other)),
    });
    let base = base.unwrap_or(c);
    let letter = match (base, shape) {
        ('a', Some('\u{0306}')) => 'ă',
        ('a', Some('\u{0302}')) => 'â',
        ('e', Some('\u{0302}')) => 'ê',
        ('o', Some('\u{0302}')) => 'ô',
        ('o', Some('\u{031B}')) => 'ơ',
        ('u', Some('\u{031B}')) => 'ư',
        (base, _) => base,
    };
    (letter, tone)
}

fn rank(letter: char) -> u32 {
    let mut buf = [0u8; 4];
    let s: &str = letter.encode_utf8(&mut buf);
    match ALPHABET.iter().position(|l| *l == s) {
        Some(i) => 100 + i as u32,
        None if letter.is_ascii_digit() => 50 + letter as u32 - '0' as u32,
        None if letter.is_whitespace() => 1,
        None => 1000 + letter as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by_key(|s| sort_key(s));
        v
    }

    #[test]
    fn follows_the_vietnamese_alphabet() {
        assert_eq!(sorted(&["Đất đai", "Xây dựng", "Dân tộc", "Cư trú"]), ["Cư trú", "Dân tộc", "Đất đai", "Xây dựng"]);
        assert_eq!(sorted(&["ơ", "o", "ô"]), ["o", "ô", "ơ"]);
        assert_eq!(sorted(&["ư", "v", "u"]), ["u", "ư", "v"]);
    }

    #[test]
    fn tones_are_secondary() {
        assert_eq!(sorted(&["má", "mà", "mạ", "ma", "mả", "mã", "mb"]), ["ma", "mà", "mả", "mã", "má", "mạ", "mb"]);
    }
}
