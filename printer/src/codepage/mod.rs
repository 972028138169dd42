//! Vietnamese in printer fonts: the two code pages a printer profile may offer for text mode.
//! Both encoders take NFC text and count what they had to replace, so a caller can tell when
//! text mode would lose letters.

pub mod cp1258;
pub mod tcvn3;

/// Fallbacks for typographic characters that a code page lacks.
fn ascii_fallback(c: char) -> Option<u8> {
    match c {
        '–' | '—' | '‐' => Some(b'-'),
        '“' | '”' | '„' => Some(b'"'),
        '‘' | '’' => Some(b'\''),
        '…' => Some(b'.'),
        '\u{a0}' => Some(b' '),
        _ => None,
    }
}
