//! TCVN-3 (the "ABC"/VN3 font encoding, not glibc's TCVN5712-1) for Epson pages 30 and 31: one
//! byte per letter, lower-case toned letters on one page and upper-case ones at the same byte
//! values on the other, so mixed text switches pages with `ESC t`. Tables follow
//! escpos-printer-db's TCVN-3-1 / TCVN-3-2, with its U+00D0 (Ð) corrected to U+0110 (Đ).

/// Lower-case letters on the first page.
const LOWER: &[(char, u8)] = &[
    ('ă', 0xA8),
    ('â', 0xA9),
    ('ê', 0xAA),
    ('ô', 0xAB),
    ('ơ', 0xAC),
    ('ư', 0xAD),
    ('đ', 0xAE),
    ('à', 0xB5),
    ('ả', 0xB6),
    ('ã', 0xB7),
    ('á', 0xB8),
    ('ạ', 0xB9),
    ('ằ', 0xBB),
    ('ẳ', 0xBC),
    ('ẵ', 0xBD),
    ('ắ', 0xBE),
    ('ặ', 0xC6),
    ('ầ', 0xC7),
    ('ẩ', 0xC8),
    ('ẫ', 0xC9),
    ('ấ', 0xCA),
    ('ậ', 0xCB),
    ('è', 0xCC),
    ('ẻ', 0xCE),
    ('ẽ', 0xCF),
    ('é', 0xD0),
    ('ẹ', 0xD1),
    ('ề', 0xD2),
    ('ể', 0xD3),
    ('ễ', 0xD4),
    ('ế', 0xD5),
    ('ệ', 0xD6),
    ('ì', 0xD7),
    ('ỉ', 0xD8),
    ('ĩ', 0xDC),
    ('í', 0xDD),
    ('ị', 0xDE),
    ('ò', 0xDF),
    ('ỏ', 0xE1),
    ('õ', 0xE2),
    ('ó', 0xE3),
    ('ọ', 0xE4),
    ('ồ', 0xE5),
    ('ổ', 0xE6),
    ('ỗ', 0xE7),
    ('ố', 0xE8),
    ('ộ', 0xE9),
    ('ờ', 0xEA),
    ('ở', 0xEB),
    ('ỡ', 0xEC),
    ('ớ', 0xED),
    ('ợ', 0xEE),
    ('ù', 0xEF),
    ('ủ', 0xF1),
    ('ũ', 0xF2),
    ('ú', 0xF3),
    ('ụ', 0xF4),
    ('ừ', 0xF5),
    ('ử', 0xF6),
    ('ữ', 0xF7),
    ('ứ', 0xF8),
    ('ự', 0xF9),
    ('ỳ', 0xFA),
    ('ỷ', 0xFB),
    ('ỹ', 0xFC),
    ('ý', 0xFD),
    ('ỵ', 0xFE),
];

/// Upper-case letters on the second page: Ă Â Đ keep their base-table bytes, Ê Ô Ơ Ư and every
/// toned capital sit where the lower-case letter sits on the first page.
const UPPER_BASE: &[(char, u8)] = &[('Ă', 0xA1), ('Â', 0xA2), ('Đ', 0xA7)];

fn upper_byte(c: char) -> Option<u8> {
    if let Some((_, b)) = UPPER_BASE.iter().find(|(u, _)| *u == c) {
        return Some(*b);
    }
    let mut lower = c.to_lowercase();
    let l = lower.next()?;
    if lower.next().is_some() || l == c || matches!(l, 'ă' | 'â' | 'đ') {
        return None;
    }
    LOWER.iter().find(|(x, _)| *x == l).map(|(_, b)| *b)
}

fn upper_char(b: u8) -> Option<char> {
    if let Some((c, _)) = UPPER_BASE.iter().find(|(_, x)| *x == b) {
        return Some(*c);
    }
    let (l, _) = LOWER.iter().find(|(_, x)| *x == b)?;
    if matches!(l, 'ă' | 'â' | 'đ') {
        return None;
    }
    l.to_uppercase().next()
}

/// Encodes text for a printer with TCVN-3 on `ESC t lower` / `ESC t upper`, remembering the
/// selected page across calls so a job switches only when it must.
pub struct Tcvn3Encoder {
    pub lower_page: u8,
    pub upper_page: u8,
    current: Option<u8>,
}

impl Tcvn3Encoder {
    pub fn new(lower_page: u8, upper_page: u8) -> Tcvn3Encoder {
        Tcvn3Encoder { lower_page, upper_page, current: None }
    }

    /// Appends the bytes (with any page switches) for NFC `text`; returns how many characters
    /// had no TCVN-3 form and went out as `?`.
    pub fn encode_into(&mut self, text: &str, out: &mut Vec<u8>) -> usize {
        let mut replaced = 0;
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else if let Some((_, b)) = LOWER.iter().find(|(x, _)| *x == c) {
                self.select(self.lower_page, out);
                out.push(*b);
            } else if let Some(b) = upper_byte(c) {
                self.select(self.upper_page, out);
                out.push(b);
            } else if let Some(b) = super::ascii_fallback(c) {
                out.push(b);
            } else {
                out.push(b'?');
                replaced += 1;
            }
        }
        replaced
    }

    fn select(&mut self, page: u8, out: &mut Vec<u8>) {
        if self.current != Some(page) {
            out.extend([0x1B, b't', page]);
            self.current = Some(page);
        }
    }
}

/// One byte of a TCVN-3 page back to its letter (used by the virtual printer).
pub fn decode_byte(b: u8, upper_page: bool) -> char {
    if b.is_ascii() {
        return b as char;
    }
    let c = if upper_page { upper_char(b) } else { LOWER.iter().find(|(_, x)| *x == b).map(|(c, _)| *c) };
    c.unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(text: &str) -> Vec<u8> {
        let mut out = vec![];
        assert_eq!(Tcvn3Encoder::new(30, 31).encode_into(text, &mut out), 0);
        out
    }

    #[test]
    fn matches_the_bytes_in_the_research_notes() {
        assert_eq!(
            enc("Số người đang chờ: 7"),
            [
                0x53, 0x1b, 0x74, 0x1e, 0xe8, 0x20, 0x6e, 0x67, 0xad, 0xea, 0x69, 0x20, 0xae, 0x61, 0x6e, 0x67, 0x20, 0x63, 0x68, 0xea,
                0x3a, 0x20, 0x37
            ]
        );
        assert_eq!(enc("QUẦY SỐ 5"), [0x51, 0x55, 0x1b, 0x74, 0x1f, 0xc7, 0x59, 0x20, 0x53, 0xe8, 0x20, 0x35]);
    }

    #[test]
    fn page_is_selected_once_while_it_stays_the_same() {
        let out = enc("ồ ố ộ Ồ Ố");
        let switches = out.windows(2).filter(|w| w == &[0x1b, b't']).count();
        assert_eq!(switches, 2);
    }
}
