//! Editing Vietnamese with the on-screen keyboard. Elderly citizens do better with direct keys
//! (ă â đ ê ô ơ ư) and tone keys that mark the last syllable than with Telex, so the tone keys
//! place the mark where Vietnamese writes it; the letter keys also understand Telex
//! (aa → â, dd → đ, w → ư, s/f/r/x/j → tones, z → no tone) for those who know it.
//! All text stays in NFC: one precomposed character per letter.

/// The five tone marks, numbered as the keyboard's tone keys send them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    None = 0,
    Sac = 1,
    Huyen = 2,
    Hoi = 3,
    Nga = 4,
    Nang = 5,
}

impl Tone {
    pub fn from_key(n: i32) -> Option<Tone> {
        Some(match n {
            0 => Tone::None,
            1 => Tone::Sac,
            2 => Tone::Huyen,
            3 => Tone::Hoi,
            4 => Tone::Nga,
            5 => Tone::Nang,
            _ => return None,
        })
    }

    fn telex(key: char) -> Option<Tone> {
        Some(match key.to_ascii_lowercase() {
            's' => Tone::Sac,
            'f' => Tone::Huyen,
            'r' => Tone::Hoi,
            'x' => Tone::Nga,
            'j' => Tone::Nang,
            'z' => Tone::None,
            _ => return None,
        })
    }
}

/// Each vowel with its five tones, in `Tone` order.
const VOWELS: [&str; 24] = [
    "aáàảãạ",
    "ăắằẳẵặ",
    "âấầẩẫậ",
    "eéèẻẽẹ",
    "êếềểễệ",
    "iíìỉĩị",
    "oóòỏõọ",
    "ôốồổỗộ",
    "ơớờởỡợ",
    "uúùủũụ",
    "ưứừửữự",
    "yýỳỷỹỵ",
    "AÁÀẢÃẠ",
    "ĂẮẰẲẴẶ",
    "ÂẤẦẨẪẬ",
    "EÉÈẺẼẸ",
    "ÊẾỀỂỄỆ",
    "IÍÌỈĨỊ",
    "OÓÒỎÕỌ",
    "ÔỐỒỔỖỘ",
    "ƠỚỜỞỠỢ",
    "UÚÙỦŨỤ",
    "ƯỨỪỬỮỰ",
    "YÝỲỶỸỴ",
];

/// A vowel as (row of `VOWELS`, tone); `None` for anything else.
fn vowel(c: char) -> Option<(usize, usize)> {
    VOWELS.iter().enumerate().find_map(|(row, forms)| forms.chars().position(|f| f == c).map(|tone| (row, tone)))
}

fn form(row: usize, tone: usize) -> char {
    VOWELS[row].chars().nth(tone).expect("six forms per vowel")
}

/// The vowel without its tone mark.
fn base(c: char) -> char {
    vowel(c).map_or(c, |(row, _)| form(row, 0))
}

fn tone_of(c: char) -> usize {
    vowel(c).map_or(0, |(_, t)| t)
}

fn with_tone(c: char, tone: usize) -> char {
    vowel(c).map_or(c, |(row, _)| form(row, tone))
}

/// Where the last word starts (after the last space).
fn last_word_start(chars: &[char]) -> usize {
    chars.iter().rposition(|c| c.is_whitespace()).map_or(0, |i| i + 1)
}

/// The index (in `word`) of the vowel that carries the syllable's tone, if it has a vowel.
fn tone_position(word: &[char]) -> Option<usize> {
    let lower: Vec<char> = word.iter().map(|&c| base(c).to_lowercase().next().unwrap_or(c)).collect();
    let is_vowel = |c: char| "aăâeêioôơuưy".contains(c);
    let mut first = lower.iter().position(|&c| is_vowel(c))?;
    // "qu" and "gi" before another vowel: the u / i belongs to the consonant.
    let next_is_vowel = lower.get(first + 1).is_some_and(|&c| is_vowel(c));
    if next_is_vowel && first == 1 && matches!((lower[0], lower[1]), ('q', 'u') | ('g', 'i')) {
        first += 1;
    }
    let end = (first..lower.len()).find(|&i| !is_vowel(lower[i])).unwrap_or(lower.len());
    let cluster = first..end;
    if let Some(i) = cluster.clone().rev().find(|&i| "ăâêôơư".contains(lower[i])) {
        return Some(i);
    }
    Some(match (cluster.len(), end < lower.len()) {
        (1, _) => first,
        (_, true) => end - 1,
        (2, false) => first,
        _ => first + 1,
    })
}

/// Put `tone` on the last syllable of `text` (pressing the tone it already has removes it).
pub fn apply_tone(text: &str, tone: Tone) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let start = last_word_start(&chars);
    let Some(at) = tone_position(&chars[start..]).map(|i| start + i) else {
        return text.to_string();
    };
    let tone = if tone_of(chars[at]) == tone as usize { 0 } else { tone as usize };
    for c in &mut chars[start..] {
        *c = with_tone(*c, 0);
    }
    chars[at] = with_tone(chars[at], tone);
    chars.into_iter().collect()
}

/// Type `key` at the end of `text`. With `telex`, letter pairs and tone letters are converted.
pub fn type_key(text: &str, key: &str, telex: bool) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut keys = key.chars();
    let (Some(k), None) = (keys.next(), keys.next()) else {
        return format!("{text}{key}");
    };
    if telex && k.is_ascii_alphabetic() {
        if let Some(converted) = telex_key(&mut chars, k) {
            return converted;
        }
    }
    chars.push(k);
    chars.into_iter().collect()
}

/// Telex conversion of `k` typed after `chars`; `None` when `k` is just a letter here.
fn telex_key(chars: &mut Vec<char>, k: char) -> Option<String> {
    let start = last_word_start(chars);
    let lower = k.to_ascii_lowercase();
    let last = chars.last().copied();
    let hatted = |c: char| match base(c) {
        'a' => Some('â'),
        'e' => Some('ê'),
        'o' => Some('ô'),
        'd' => Some('đ'),
        'A' => Some('Â'),
        'E' => Some('Ê'),
        'O' => Some('Ô'),
        'D' => Some('Đ'),
        _ => None,
    };
    // aa → â, ee → ê, oo → ô, dd → đ
    if let Some(prev) = last.filter(|&p| chars.len() > start && base(p).to_ascii_lowercase() == lower) {
        if let Some(h) = hatted(prev) {
            let n = chars.len() - 1;
            chars[n] = with_tone(h, tone_of(prev));
            return Some(chars.iter().collect());
        }
    }
    if lower == 'w' {
        let word = &chars[start..];
        let bases: Vec<char> = word.iter().map(|&c| base(c).to_ascii_lowercase()).collect();
        // uo → ươ, otherwise the last a / o / u gets its breve or horn; alone, w is ư.
        if let Some(i) = bases.windows(2).rposition(|p| p == ['u', 'o']) {
            for j in [start + i, start + i + 1] {
                chars[j] = horn(chars[j]);
            }
        } else if let Some(i) = bases.iter().rposition(|c| matches!(c, 'a' | 'o' | 'u')) {
            chars[start + i] = horn(chars[start + i]);
        } else {
            chars.push(if k.is_ascii_uppercase() { 'Ư' } else { 'ư' });
        }
        return Some(chars.iter().collect());
    }
    let tone = Tone::telex(k)?;
    let word = &chars[start..];
    let at = tone_position(word)?;
    let text: String = chars.iter().collect();
    match tone {
        Tone::None if word.iter().all(|&c| tone_of(c) == 0) => None,
        Tone::None => Some(strip_tones_of_last_word(&text)),
        // Pressed twice: the letter was meant (Unikey's "ss" → "s").
        t if tone_of(word[at]) == t as usize => Some(format!("{}{k}", apply_tone(&text, t))),
        t => Some(apply_tone(&text, t)),
    }
}

fn strip_tones_of_last_word(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let start = last_word_start(&chars);
    for c in &mut chars[start..] {
        *c = with_tone(*c, 0);
    }
    chars.into_iter().collect()
}

/// a → ă, o → ơ, u → ư, keeping the tone.
fn horn(c: char) -> char {
    let t = tone_of(c);
    let h = match base(c) {
        'a' => 'ă',
        'o' => 'ơ',
        'u' => 'ư',
        'A' => 'Ă',
        'O' => 'Ơ',
        'U' => 'Ư',
        other => other,
    };
    with_tone(h, t)
}

/// Remove the last character.
pub fn backspace(text: &str) -> String {
    let mut s = text.to_string();
    s.pop();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &str) -> String {
        keys.chars().fold(String::new(), |t, k| type_key(&t, &k.to_string(), true))
    }

    #[test]
    fn tone_keys_mark_the_last_syllable() {
        assert_eq!(apply_tone("dang", Tone::Huyen), "dàng");
        assert_eq!(apply_tone("đăng ky", Tone::Sac), "đăng ký");
        assert_eq!(apply_tone("khai", Tone::Sac), "khái");
        assert_eq!(apply_tone("người", Tone::Huyen), "ngươi");
        assert_eq!(apply_tone("nguơi", Tone::Huyen), "nguời");
        assert_eq!(apply_tone("thương", Tone::Nga), "thưỡng");
        assert_eq!(apply_tone("hoang", Tone::Huyen), "hoàng");
        assert_eq!(apply_tone("tiêng", Tone::Sac), "tiếng");
        assert_eq!(apply_tone("quy", Tone::Sac), "quý");
        assert_eq!(apply_tone("gia", Tone::Huyen), "già");
        assert_eq!(apply_tone("ngoai", Tone::Huyen), "ngoài");
        assert_eq!(apply_tone("ho tich", Tone::Nang), "ho tịch");
    }

    #[test]
    fn a_second_press_changes_or_removes_the_tone() {
        assert_eq!(apply_tone("ký", Tone::Hoi), "kỷ");
        assert_eq!(apply_tone("ký", Tone::Sac), "ky");
        assert_eq!(apply_tone("khai sinh ", Tone::Sac), "khai sinh ");
        assert_eq!(apply_tone("123", Tone::Sac), "123");
    }

    #[test]
    fn telex_converts_pairs_and_tone_letters() {
        assert_eq!(typed("ddawng kys khai sinh"), "đăng ký khai sinh");
        assert_eq!(typed("hoj tichj"), "họ tịch");
        assert_eq!(typed("tieengs vieetj"), "tiếng việt");
        assert_eq!(typed("nguwowif"), "người");
        assert_eq!(typed("w"), "ư");
        assert_eq!(typed("chuwngs thuwcj"), "chứng thực");
        assert_eq!(typed("kyss"), "kys");
        assert_eq!(typed("kysz"), "ky");
    }

    #[test]
    fn plain_unaccented_typing_is_left_alone() {
        assert_eq!(typed("dang ky khai sinh"), "dang ky khai sinh");
        assert_eq!(typed("so ho khau"), "so ho khau");
        assert_eq!(type_key("A0", "2", false), "A02");
        assert_eq!(type_key("H4", "s", false), "H4s");
        assert_eq!(backspace("đăng ký"), "đăng k");
    }
}
