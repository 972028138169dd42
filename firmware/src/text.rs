//! Vietnamese text at the boundary, in one place: every string that enters the service is
//! normalised to NFC, so "hòa" typed on a phone (decomposed) and "hòa" from the config
//! (precomposed) are the same bytes in the database, in the journal and on paper; and every
//! text that goes into a page is HTML-escaped by the one escaper here.

/// The NFC form of `s` (with the look-alike Icelandic "Ð" read as the Vietnamese "Đ"): the
/// catalogue's normalisation, so a search and a stored name never disagree.
pub use catalogue::nfc;

/// The characters that are markup in HTML, with what stands for them.
const ENTITIES: [(char, &str); 5] = [('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;"), ('"', "&quot;"), ('\'', "&#39;")];

/// `s` with the five characters that are markup in HTML (`& < > " '`) escaped.
pub fn escape_html(s: &str) -> String {
    s.chars().fold(String::with_capacity(s.len()), |mut out, c| {
        match ENTITIES.iter().find(|(markup, _)| *markup == c) {
            Some((_, entity)) => out.push_str(entity),
            None => out.push(c),
        }
        out
    })
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

    #[test]
    fn escapes_markup() {
        assert_eq!(escape_html(r#"<b>"Hòa" & 'Phú'</b>"#), "&lt;b&gt;&quot;Hòa&quot; &amp; &#39;Phú&#39;&lt;/b&gt;");
    }
}
