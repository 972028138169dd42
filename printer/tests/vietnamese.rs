//! All 146 Vietnamese letter forms (12 vowels × 6 tones × 2 cases, and đ Đ): each renders with
//! its marks inside the bitmap at every text size, bold in 2 × 1 dot cells too, the six tones
//! of a vowel all different, and both code-page encoders carry each one and give it back.

use printer::codepage::{cp1258, tcvn3};
use printer::font::{self, Em, GlyphCache, Weight};
use printer::layout::{Align, Block, TextSize};
use printer::render::{text_em, Grain, Renderer};

const VOWELS: [char; 12] = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
/// Combining grave, acute, hook above, tilde, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

fn nfc(s: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfc(s).collect()
}

/// A glyph's inked pixels.
type Dots = Vec<(i16, i16)>;

/// (letter, base vowel it is built on, tone if any)
fn letter_forms() -> Vec<(String, char, Option<char>)> {
    let mut forms = vec![];
    for upper in [false, true] {
        for v in VOWELS {
            let v = if upper { v.to_uppercase().next().unwrap() } else { v };
            forms.push((v.to_string(), v, None));
            for t in TONES {
                forms.push((nfc(&format!("{v}{t}")), v, Some(t)));
            }
        }
    }
    forms.push(("đ".into(), 'd', None));
    forms.push(("Đ".into(), 'D', None));
    forms
}

#[test]
fn there_are_146_distinct_precomposed_forms() {
    let forms = letter_forms();
    assert_eq!(forms.len(), 146);
    let set: std::collections::HashSet<&String> = forms.iter().map(|f| &f.0).collect();
    assert_eq!(set.len(), 146);
    assert!(forms.iter().all(|f| f.0.chars().count() == 1), "every form is one precomposed character");
}

#[test]
fn every_letter_form_renders_with_its_marks_inside_the_bitmap() {
    let mut renderer = Renderer::new();
    let mut glyphs = GlyphCache::new();
    for width in [576, 384] {
        for (size, bold) in
            [(TextSize::Small, false), (TextSize::Body, false), (TextSize::Body, true), (TextSize::Large, true), (TextSize::Title, true)]
        {
            let em = text_em(size, width);
            // Bold lines from body size at 576 dots up are drawn in 2 × 1 cells (`Grain::Wide`):
            // each pixel of the mask is two dots.
            let weight = if bold { Weight::Bold } else { Weight::Regular };
            let grain = Grain::of(bold, em);
            let mut glyph = |c| match grain {
                Grain::Fine => glyphs.glyph(weight, em, c),
                Grain::Wide => glyphs.glyph_in_cells(weight, em, c),
            };
            let line_box = renderer.line_box(em);
            let top = width / 36 / 2; // the page's top margin
            let mut tones_of: std::collections::HashMap<char, Vec<(String, Dots)>> = Default::default(); // by base vowel
            for (letter, base, tone) in letter_forms() {
                let c = letter.chars().next().unwrap();
                assert!(font::has_glyph(c), "no glyph for {letter}");
                let page = renderer.render(&[Block::text(letter.clone(), size, bold, Align::Left)], width).unwrap();
                let mask = glyph(c);
                let dots_per_pixel = if grain == Grain::Wide { 2 } else { 1 };
                assert_eq!(page.ink(), dots_per_pixel * mask.dots.len(), "{letter} {size:?}@{width}: dots clipped");
                let ink_rows: Vec<u32> = (0..page.height()).filter(|y| !page.row_is_blank(*y)).collect();
                let (first, last) = (ink_rows[0], *ink_rows.last().unwrap());
                assert!(first > top, "{letter} {size:?}@{width}: ink touches the top of its line box");
                assert!(last < top + line_box.height(), "{letter} {size:?}@{width}: ink below its line box");
                // The marks are really there: compare with the bare letter.
                // Lower-case i's dot sits where its tone goes: compare with dotless ı.
                let bare = glyph(if base == 'i' { 'ı' } else { base });
                // New ink beyond the bare letter's, below or above the baseline. (Vietnamese
                // fonts put the grave of Ầ beside the hat, so "higher" is not the test.)
                let base_dots: std::collections::HashSet<_> = bare.dots.iter().collect();
                let new_ink = |below: bool| mask.dots.iter().filter(|d| (d.1 > 0) == below && !base_dots.contains(d)).count();
                match tone {
                    Some('\u{323}') => assert!(new_ink(true) >= 3, "{letter}: no dot below"),
                    Some(_) => {
                        assert!(new_ink(false) >= 3, "{letter} {size:?}@{width}: no tone mark above ({})", new_ink(false));
                        assert!(mask.top >= bare.top, "{letter}: mark lower than the letter");
                    }
                    None if c != base => assert!(new_ink(false) >= 3, "{letter}: no hat, horn or bar"),
                    None => {}
                }
                let mut dots = mask.dots.clone();
                dots.sort();
                tones_of.entry(base).or_default().push((letter.clone(), dots));
            }
            // A grave and an acute are mirror images of a few dots: at half the resolution across
            // they must still not come out the same.
            for forms in tones_of.values() {
                for (i, (a, dots_a)) in forms.iter().enumerate() {
                    for (b, dots_b) in &forms[i + 1..] {
                        assert_ne!(dots_a, dots_b, "{a} and {b} look the same, {size:?} bold {bold}@{width}");
                    }
                }
            }
        }
    }
}

#[test]
fn stacked_capitals_get_headroom_above_the_font_ascent() {
    let mut glyphs = GlyphCache::new();
    let em = Em::square(36);
    let line_box = glyphs.line_box(Weight::Bold, em);
    for c in ['Ế', 'Ầ', 'Ố', 'Ẫ', 'Ỗ'] {
        assert!((glyphs.glyph(Weight::Bold, em, c).top as u32) < line_box.above, "{c}");
    }
}

#[test]
fn cp1258_carries_every_letter_form_as_iconv_does() {
    let mut two_byte_forms = 0;
    let mut all = String::new();
    for (letter, _, _) in letter_forms() {
        let (bytes, replaced) = cp1258::encode(&letter);
        assert_eq!(replaced, 0, "{letter}");
        assert_eq!(cp1258::decode(&bytes), letter);
        if bytes.len() == 2 {
            two_byte_forms += 1;
        }
        all.push_str(&letter);
    }
    // escpos-notes §2.2: 104 of the 146 forms need base + combining tone byte.
    assert_eq!(two_byte_forms, 104);
    // NFD input gives the same bytes.
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd(all.as_str()).collect();
    assert_eq!(cp1258::encode(&nfd).0, cp1258::encode(&all).0);
    // glibc iconv is the reference implementation, where installed.
    if let Ok(mut child) = std::process::Command::new("iconv")
        .args(["-f", "UTF-8", "-t", "CP1258"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(all.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(cp1258::encode(&all).0, out.stdout, "differs from iconv");
    }
}

#[test]
fn tcvn3_carries_every_letter_form_on_the_right_page() {
    let mut seen = std::collections::HashSet::new();
    for (letter, _, _) in letter_forms() {
        let c = letter.chars().next().unwrap();
        let mut bytes = vec![];
        assert_eq!(tcvn3::Tcvn3Encoder::new(30, 31).encode_into(&letter, &mut bytes), 0, "{letter}");
        let (page, byte) = match bytes.as_slice() {
            [b] if b.is_ascii() => (None, *b),
            [0x1b, b't', page, b] => (Some(*page), *b),
            other => panic!("{letter}: unexpected bytes {other:02X?}"),
        };
        if let Some(page) = page {
            assert_eq!(page, if c.is_uppercase() { 31 } else { 30 }, "{letter}");
            assert!(byte >= 0xA1, "{letter}");
        }
        assert_eq!(tcvn3::decode_byte(byte, page == Some(31)), c, "{letter} does not decode back");
        assert!(seen.insert((page, byte)), "{letter} shares its code with another letter");
    }
}
