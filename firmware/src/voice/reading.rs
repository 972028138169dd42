//! How a Vietnamese caller reads numbers aloud (domain brief §3, §10): 15 "mười lăm", 21 "hai
//! mươi mốt", 24 "hai mươi tư", 105 "một trăm lẻ năm" in the south and "một trăm linh năm" in the
//! north ([`ZeroTens`]), letters by their Vietnamese names, and a ticket like A025 as "A, không
//! hai mươi lăm". Pure functions: words out, no audio.

/// The words of the digits 0–9 read on their own.
const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// Vietnamese names of the letters A–Z as a caller spells them (D is "đê", as callers say it so
/// that it is not heard as "giê"; F, J, W and Z are the names used for foreign letters).
const LETTERS: [&str; 26] = [
    "a", "bê", "xê", "đê", "e", "ép", "giê", "hát", "i", "gi", "ca", "e-lờ", "em-mờ", "en-nờ", "o", "pê", "quy", "e-rờ", "ét-xì", "tê",
    "u", "vê", "vê kép", "ích-xì", "i dài", "dét",
];

/// How an empty tens place before a units digit is read (105, 2009): "lẻ" in the south,
/// "linh" in the north. A centre chooses in `[voice] zero_tens`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ZeroTens {
    /// "một trăm lẻ năm"
    #[default]
    Le,
    /// "một trăm linh năm"
    Linh,
}

impl ZeroTens {
    /// The word itself.
    pub fn word(self) -> &'static str {
        match self {
            ZeroTens::Le => "lẻ",
            ZeroTens::Linh => "linh",
        }
    }

    /// The setting as a centre writes it: "lẻ" (also "le") or "linh".
    pub fn from_setting(s: &str) -> Option<ZeroTens> {
        match s.trim() {
            "lẻ" | "le" => Some(ZeroTens::Le),
            "linh" => Some(ZeroTens::Linh),
            _ => None,
        }
    }
}

/// The largest number [`number_words`] reads.
pub const MAX_NUMBER: u16 = 9999;

/// A ticket number that is not a capital letter followed by 1–4 digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a ticket number: expected a capital letter and up to four digits, e.g. A025")]
pub struct NotATicketNumber(pub String);

/// The Vietnamese name of a capital letter A–Z.
pub fn letter_name(letter: char) -> Option<&'static str> {
    letter.is_ascii_uppercase().then(|| LETTERS[(letter as u8 - b'A') as usize])
}

/// `n` (0–9999) read as a number: 1005 → "một nghìn không trăm lẻ năm" (or "linh").
///
/// # Panics
/// If `n` is above [`MAX_NUMBER`]; ticket numbers have at most four digits.
pub fn number_words(n: u16, zero_tens: ZeroTens) -> Vec<&'static str> {
    assert!(n <= MAX_NUMBER, "{n} is above {MAX_NUMBER}");
    if n == 0 {
        return vec![DIGITS[0]];
    }
    let mut words = Vec::new();
    let (thousands, rest) = (n / 1000, n % 1000);
    if thousands > 0 {
        words.extend([DIGITS[thousands as usize], "nghìn"]);
    }
    if rest > 0 {
        hundreds(&mut words, rest, thousands > 0, zero_tens);
    }
    words
}

/// 1–999; after thousands an empty hundreds place is still said ("không trăm").
fn hundreds(words: &mut Vec<&'static str>, n: u16, after_thousands: bool, zero_tens: ZeroTens) {
    let (h, rest) = (n / 100, n % 100);
    let said_hundreds = h > 0 || after_thousands;
    if said_hundreds {
        words.extend([DIGITS[h as usize], "trăm"]);
    }
    match rest {
        0 => {}
        1..=9 if said_hundreds => words.extend([zero_tens.word(), DIGITS[rest as usize]]),
        _ => tens(words, rest),
    }
}

/// 1–99: "mười" for ten, "mươi" after a tens digit; 5 after tens is "lăm", 1 and 4 after 20 are
/// "mốt" and "tư".
fn tens(words: &mut Vec<&'static str>, n: u16) {
    let (t, u) = (n / 10, (n % 10) as usize);
    match t {
        0 => words.push(DIGITS[u]),
        1 => {
            words.push("mười");
            match u {
                0 => {}
                5 => words.push("lăm"),
                _ => words.push(DIGITS[u]),
            }
        }
        _ => {
            words.extend([DIGITS[t as usize], "mươi"]);
            match u {
                0 => {}
                1 => words.push("mốt"),
                4 => words.push("tư"),
                5 => words.push("lăm"),
                _ => words.push(DIGITS[u]),
            }
        }
    }
}

/// The digits of a ticket number read as a caller does: each leading zero is "không", the rest
/// is read as a number — "025" → "không hai mươi lăm", "001" → "không không một",
/// "105" → "một trăm lẻ năm".
pub fn digits_words(digits: &str, zero_tens: ZeroTens) -> Vec<&'static str> {
    let significant = digits.trim_start_matches('0');
    let zeros = digits.len() - significant.len();
    let mut words = vec![DIGITS[0]; zeros];
    if !significant.is_empty() {
        words.extend(number_words(significant.parse().expect("checked digits"), zero_tens));
    }
    words
}

/// A ticket number spoken: the letter's name, then its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketReading {
    pub letter: &'static str,
    pub digits: Vec<&'static str>,
}

impl TicketReading {
    /// How it is written for people: "A, không hai mươi lăm".
    pub fn text(&self) -> String {
        let mut letter = self.letter.chars();
        let first = letter.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        format!("{first}{}, {}", letter.as_str(), self.digits.join(" "))
    }
}

/// Read a ticket number (`A025`) aloud.
pub fn ticket_reading(number: &str, zero_tens: ZeroTens) -> Result<TicketReading, NotATicketNumber> {
    let bad = || NotATicketNumber(number.to_string());
    let mut chars = number.chars();
    let letter = chars.next().and_then(letter_name).ok_or_else(bad)?;
    let digits = chars.as_str();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    Ok(TicketReading { letter, digits: digits_words(digits, zero_tens) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(n: u16) -> String {
        number_words(n, ZeroTens::Le).join(" ")
    }

    fn ticket(number: &str) -> Result<TicketReading, NotATicketNumber> {
        ticket_reading(number, ZeroTens::Le)
    }

    #[test]
    fn the_domain_examples() {
        assert_eq!(read(15), "mười lăm");
        assert_eq!(read(21), "hai mươi mốt");
        assert_eq!(read(24), "hai mươi tư");
        assert_eq!(read(105), "một trăm lẻ năm");
        assert_eq!(ticket("A025").unwrap().text(), "A, không hai mươi lăm");
    }

    #[test]
    fn units_tens_and_their_special_forms() {
        let expected = [
            (0, "không"),
            (1, "một"),
            (4, "bốn"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (20, "hai mươi"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (44, "bốn mươi tư"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
        ];
        for (n, text) in expected {
            assert_eq!(read(n), text, "{n}");
        }
    }

    #[test]
    fn hundreds_and_thousands() {
        let expected = [
            (100, "một trăm"),
            (101, "một trăm lẻ một"),
            (104, "một trăm lẻ bốn"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (121, "một trăm hai mươi mốt"),
            (999, "chín trăm chín mươi chín"),
            (1000, "một nghìn"),
            (1005, "một nghìn không trăm lẻ năm"),
            (1010, "một nghìn không trăm mười"),
            (1100, "một nghìn một trăm"),
            (2024, "hai nghìn không trăm hai mươi tư"),
            (9999, "chín nghìn chín trăm chín mươi chín"),
        ];
        for (n, text) in expected {
            assert_eq!(read(n), text, "{n}");
        }
    }

    /// Rules that must hold for every number 0–9999, checked against the digits themselves.
    #[test]
    fn every_number_up_to_9999_follows_the_rules() {
        for n in 0..=MAX_NUMBER {
            let words = number_words(n, ZeroTens::Le);
            let text = words.join(" ");
            let (th, h, t, u) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
            assert!(!words.is_empty(), "{n}");
            assert_eq!(text.contains("nghìn"), th > 0, "{n}: {text}");
            assert_eq!(text.contains("trăm"), h > 0 || (th > 0 && n % 1000 > 0), "{n}: {text}");
            assert_eq!(words.contains(&"lẻ"), n >= 100 && t == 0 && u > 0, "{n}: {text}");
            assert_eq!(words.contains(&"mười"), t == 1, "{n}: {text}");
            assert_eq!(words.contains(&"mươi"), t >= 2, "{n}: {text}");
            assert_eq!(words.last() == Some(&"mốt"), t >= 2 && u == 1, "{n}: {text}");
            assert_eq!(words.last() == Some(&"tư"), t >= 2 && u == 4, "{n}: {text}");
            assert_eq!(words.last() == Some(&"lăm"), t >= 1 && u == 5, "{n}: {text}");
            assert_eq!(words.contains(&"không"), n == 0 || (th > 0 && h == 0 && n % 1000 > 0), "{n}: {text}");
            // The last word names the units digit unless it is 0 (or 1/4/5 renamed above).
            if u > 0 && !(t >= 1 && u == 5) && !(t >= 2 && (u == 1 || u == 4)) {
                assert_eq!(*words.last().unwrap(), DIGITS[u as usize], "{n}: {text}");
            }
            assert!(words.windows(2).all(|w| w[0] != w[1]), "{n}: a doubled word in {text}");
        }
    }

    #[test]
    fn ticket_codes() {
        let expected = [
            ("A001", "A, không không một"),
            ("B105", "Bê, một trăm lẻ năm"),
            ("C021", "Xê, không hai mươi mốt"),
            ("D015", "Đê, không mười lăm"),
            ("A025", "A, không hai mươi lăm"),
            ("E100", "E, một trăm"),
            ("F010", "Ép, không mười"),
            ("B000", "Bê, không không không"),
            ("A1024", "A, một nghìn không trăm hai mươi tư"),
        ];
        for (number, text) in expected {
            assert_eq!(ticket(number).unwrap().text(), text, "{number}");
        }
    }

    #[test]
    fn letters_have_vietnamese_names() {
        let names: String = ('A'..='E').map(|c| letter_name(c).unwrap()).collect::<Vec<_>>().join(", ");
        assert_eq!(names, "a, bê, xê, đê, e");
        assert_eq!(letter_name('W'), Some("vê kép"));
        assert_eq!(letter_name('a'), None);
        assert_eq!(letter_name('Đ'), None);
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in ["", "A", "025", "a025", "AA25", "A02B", "A12345", "Đ001", "A-025", " A025"] {
            assert_eq!(ticket(bad), Err(NotATicketNumber(bad.to_string())), "{bad:?}");
        }
    }

    /// The north says "linh" exactly where the south says "lẻ", and nothing else changes.
    #[test]
    fn linh_replaces_le_and_nothing_else() {
        assert_eq!(number_words(105, ZeroTens::Linh).join(" "), "một trăm linh năm");
        assert_eq!(number_words(2009, ZeroTens::Linh).join(" "), "hai nghìn không trăm linh chín");
        assert_eq!(ticket_reading("A105", ZeroTens::Linh).unwrap().text(), "A, một trăm linh năm");
        assert_eq!(ticket_reading("B005", ZeroTens::Linh).unwrap().text(), "Bê, không không năm");
        for n in 0..=MAX_NUMBER {
            let south = number_words(n, ZeroTens::Le);
            let north = number_words(n, ZeroTens::Linh);
            let swapped: Vec<&str> = south.iter().map(|w| if *w == "lẻ" { "linh" } else { w }).collect();
            assert_eq!(north, swapped, "{n}");
        }
    }

    #[test]
    fn the_setting_as_written() {
        assert_eq!(ZeroTens::from_setting("lẻ"), Some(ZeroTens::Le));
        assert_eq!(ZeroTens::from_setting("le"), Some(ZeroTens::Le));
        assert_eq!(ZeroTens::from_setting("linh"), Some(ZeroTens::Linh));
        assert_eq!(ZeroTens::from_setting("lee"), None);
    }
}
