//! Where a line may break and where it does, the same for raster and text mode (only the
//! measure differs: dots or character cells).
//!
//! - A number stays with its word: no break between "Quầy số" and "06", "khoảng" and "15", and
//!   none between "15" and "phút" unless the glued run cannot fit a line (a long date then
//!   breaks as "ngày 19 | tháng 11 | năm 2025"). Lists still break after their commas
//!   ("01, 02, 06") and labels after their colon. A no-break space (U+00A0) glues words by hand.
//! - A dash never starts a line (it may end one).
//! - Centred text (titles) is balanced: as many lines as greedy wrapping needs, each as short as
//!   that allows, so "PHIẾU XIN LỖI VÀ HẸN LẠI" never leaves "LẠI" alone.
//! - Left-aligned text never ends with one short word alone when the line above can give it
//!   company.
//! - What cannot fit at all (a long URL or code) breaks between words, then anywhere.

use super::Span;

/// Text of one weight: a word is one or more of them (a span may end inside a word).
type Piece = (String, bool);

/// Wraps `spans` into lines of at most `max` by `measure(text, bold)`; lines are spans again
/// (one per run of the same weight), no-break spaces printed as spaces, no trailing space.
pub fn wrap_spans(spans: &[Span], max: u32, balance: bool, measure: &mut dyn FnMut(&str, bool) -> u32) -> Vec<Vec<Span>> {
    let words = words(spans);
    let texts: Vec<String> = words.iter().map(|w| w.iter().map(|(t, _)| t.as_str()).collect()).collect();
    let mut width = |pieces: &[Piece], trim: bool| -> u32 {
        let last = pieces.len().saturating_sub(1);
        let mut sum = 0;
        for (i, (text, bold)) in pieces.iter().enumerate() {
            let text = if trim && i == last { text.trim_end_matches(' ') } else { text };
            sum += if text.contains('\u{a0}') { measure(&text.replace('\u{a0}', " "), *bold) } else { measure(text, *bold) };
        }
        sum
    };
    // Glued words make a unit; a unit too long for the line falls apart at its weak glue, then
    // into words, a word too long into characters.
    let glue: Vec<Glue> = texts.windows(2).map(|w| glue_between(&w[0], &w[1])).collect();
    // Words `range` cut wherever the glue is weaker than `keep`.
    let runs = |range: std::ops::Range<usize>, keep: Glue| {
        let mut out = vec![];
        let mut start = range.start;
        for k in range.clone() {
            if k + 1 == range.end || glue[k] < keep {
                out.push(start..k + 1);
                start = k + 1;
            }
        }
        out
    };
    let mut units: Vec<(Vec<Piece>, Unit)> = vec![];
    for glued in runs(0..words.len(), Glue::Weak) {
        let (pieces, unit) = measured(&words, glued.clone(), &mut width);
        if unit.width <= max {
            units.push((pieces, unit));
            continue;
        }
        for strong in runs(glued, Glue::Strong) {
            let (pieces, unit) = measured(&words, strong.clone(), &mut width);
            if unit.width <= max {
                units.push((pieces, unit));
                continue;
            }
            for word in strong {
                let (pieces, unit) = measured(&words, word..word + 1, &mut width);
                if unit.width <= max {
                    units.push((pieces, unit));
                    continue;
                }
                for (c, bold) in pieces.iter().flat_map(|(t, bold)| t.chars().map(move |c| (c, *bold))) {
                    let piece = vec![(c.to_string(), bold)];
                    let unit = Unit { width: width(&piece, true), full: width(&piece, false) };
                    units.push((piece, unit));
                }
            }
        }
    }
    let bounds: Vec<Unit> = units.iter().map(|u| u.1).collect();
    let starts = break_lines(&bounds, max, balance);
    let mut lines = vec![];
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(units.len());
        let mut line: Vec<Span> = vec![];
        for (text, bold) in units[start..end].iter().flat_map(|u| u.0.iter()) {
            let text = text.replace('\u{a0}', " ");
            match line.last_mut() {
                Some(s) if s.bold == *bold => s.text.push_str(&text),
                _ => line.push(Span { text, bold: *bold }),
            }
        }
        while let Some(last) = line.last_mut() {
            last.text.truncate(last.text.trim_end_matches(' ').len());
            if !last.text.is_empty() {
                break;
            }
            line.pop();
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Words `range` as one unit, measured.
fn measured(words: &[Vec<Piece>], range: std::ops::Range<usize>, width: &mut dyn FnMut(&[Piece], bool) -> u32) -> (Vec<Piece>, Unit) {
    let pieces: Vec<Piece> = words[range].concat();
    let unit = Unit { width: width(&pieces, true), full: width(&pieces, false) };
    (pieces, unit)
}

/// The words of `spans`, each with the spaces after it, split only at ' ' (so U+00A0 glues).
fn words(spans: &[Span]) -> Vec<Vec<Piece>> {
    let mut words: Vec<Vec<Piece>> = vec![];
    let mut open = false;
    for span in spans {
        for part in span.text.split_inclusive(' ') {
            match words.last_mut() {
                Some(word) if open => word.push((part.to_string(), span.bold)),
                _ => words.push(vec![(part.to_string(), span.bold)]),
            }
            open = !part.ends_with(' ');
        }
    }
    words
}

/// A glued run of words that breaks only at its end: `width` without the trailing space, `full`
/// with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub width: u32,
    pub full: u32,
}

/// How firmly two neighbouring words hold together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Glue {
    /// A line may break between them.
    None,
    /// Together, unless their run cannot fit a line ("15 phút").
    Weak,
    /// Never apart ("số 06", a no-break space, a dash).
    Strong,
}

/// The glue between `prev` (with its trailing space) and `next`.
pub fn glue_between(prev: &str, next: &str) -> Glue {
    let prev = prev.trim_end_matches(' ');
    let ends_list_item = prev.ends_with([',', ';', ':', '–', '—']);
    let is_number = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    if prev.ends_with('\u{a0}') || next.starts_with(['–', '—']) || (is_number(next) && !ends_list_item) {
        Glue::Strong
    } else if is_number(prev) && prev.ends_with(|c: char| c.is_ascii_digit()) {
        Glue::Weak
    } else {
        Glue::None
    }
}

/// The first unit of each line, for units laid out in `max` (dots or cells).
pub fn break_lines(units: &[Unit], max: u32, balance: bool) -> Vec<usize> {
    let starts = greedy(units, max);
    if balance && starts.len() > 1 {
        // The narrowest measure that still needs no more lines.
        let widest = units.iter().map(|u| u.width).max().unwrap_or(0);
        let (mut lo, mut hi) = (widest, max);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if greedy(units, mid).len() <= starts.len() {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return greedy(units, lo);
    }
    avoid_orphan(units, starts, max)
}

fn greedy(units: &[Unit], max: u32) -> Vec<usize> {
    let mut starts = vec![0];
    let mut used = 0;
    for (i, u) in units.iter().enumerate() {
        if used > 0 && used + u.width > max {
            starts.push(i);
            used = 0;
        }
        used += u.full;
    }
    starts
}

/// Moves the last unit of the line before a short lone last unit (under a third of the line)
/// down, if both then fit.
fn avoid_orphan(units: &[Unit], mut starts: Vec<usize>, max: u32) -> Vec<usize> {
    let n = starts.len();
    if n >= 2 {
        let (prev, last) = (starts[n - 2], starts[n - 1]);
        let lone = last + 1 == units.len() && units[last].width * 3 < max;
        if lone && last - prev >= 2 && units[last - 1].full + units[last].width <= max {
            starts[n - 1] = last - 1;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(words: &[&str]) -> Vec<Unit> {
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let width = w.chars().count() as u32;
                Unit { width, full: width + u32::from(i + 1 < words.len()) }
            })
            .collect()
    }

    fn lines(words: &[&str], max: u32, balance: bool) -> Vec<String> {
        let starts = break_lines(&units(words), max, balance);
        let mut out = vec![];
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(words.len());
            out.push(words[s..end].join(" "));
        }
        out
    }

    #[test]
    fn numbers_stay_with_their_words_and_lists_break_after_commas() {
        use Glue::*;
        for (prev, next, glue) in [
            ("số ", "06", Strong),
            ("khoảng ", "15", Strong),
            ("ngày ", "05/03/2026", Strong),
            ("ký ", "– 1", Strong),
            ("1.\u{a0}", "Tờ", Strong),
            ("15 ", "phút", Weak),
            ("19 ", "tháng", Weak),
            ("01, ", "02,", None),
            ("vụ: ", "01,", None),
            ("phút, ", "ngày", None),
            ("ký – ", "1", None),
            ("Tờ ", "khai", None),
            ("sơ: ", "000.00.17.H41-251120-0001", None),
        ] {
            assert_eq!(glue_between(prev, next), glue, "{prev:?} {next:?}");
        }
    }

    #[test]
    fn titles_are_balanced_instead_of_leaving_a_word_alone() {
        let title = ["PHIẾU", "XIN", "LỖI", "VÀ", "HẸN", "LẠI"];
        // Greedy wrapping would leave "LẠI" alone; left-aligned text takes "HẸN" down with it.
        assert_eq!(lines(&title, 20, false), vec!["PHIẾU XIN LỖI VÀ", "HẸN LẠI"]);
        assert_eq!(lines(&title, 20, true), vec!["PHIẾU XIN LỖI", "VÀ HẸN LẠI"]);
    }

    #[test]
    fn a_lone_last_word_gets_company_from_the_line_above() {
        let text = ["sau", "15", "giờ", "trả", "vào", "ngày", "làm", "việc", "tiếp", "theo"];
        let l = lines(&text, 37, false);
        assert_eq!(l, vec!["sau 15 giờ trả vào ngày làm việc", "tiếp theo"]);
        // A line of one long word above cannot give one away; a long last unit is no orphan.
        assert_eq!(lines(&["abcdefghij", "k"], 10, false), vec!["abcdefghij", "k"]);
        assert_eq!(lines(&["ab", "cd", "efghijklmn"], 15, false), vec!["ab cd", "efghijklmn"]);
    }

    fn wrap_chars(spans: &[Span], max: u32, balance: bool) -> Vec<String> {
        wrap_spans(spans, max, balance, &mut |t, _| t.chars().count() as u32)
            .into_iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn spans_wrap_as_one_text_keeping_weights_and_no_break_spaces() {
        let spans =
            [Span { text: "2.\u{a0}Giấy chứng sinh".into(), bold: false }, Span { text: "\u{a0}– 1\u{a0}bản chính".into(), bold: true }];
        let lines = wrap_spans(&spans, 22, false, &mut |t, _| t.chars().count() as u32);
        let text: Vec<String> = lines.iter().map(|l| l.iter().map(|s| s.text.as_str()).collect()).collect();
        assert_eq!(text, vec!["2. Giấy chứng sinh –", "1 bản chính"], "the count stays whole, the dash ends the line");
        assert_eq!(lines[0], vec![Span { text: "2. Giấy chứng sinh".into(), bold: false }, Span { text: " –".into(), bold: true }]);
        assert!(lines[1][0].bold);
        // Too long for any line: a URL breaks anywhere, and every line still fits.
        let url = [Span { text: "Mã: https://dichvucong.example.gov.vn/tra-cuu?ma=000".into(), bold: false }];
        for l in wrap_chars(&url, 16, false) {
            assert!(l.chars().count() <= 16, "{l}");
        }
    }

    #[test]
    fn a_date_too_long_for_a_line_breaks_after_its_numbers() {
        let date = [Span { text: "16 giờ 00 phút, ngày 19 tháng 11 năm 2025".into(), bold: true }];
        assert_eq!(wrap_chars(&date, 22, false), vec!["16 giờ 00 phút,", "ngày 19 tháng 11", "năm 2025"]);
        assert_eq!(wrap_chars(&date, 26, false), vec!["16 giờ 00 phút,", "ngày 19 tháng 11 năm 2025"]);
    }

    #[test]
    fn every_line_fits_its_measure() {
        let text = ["Thời", "gian", "giải", "quyết", "theo", "quy", "định:", "Trong", "ngày;", "sau", "15", "giờ"];
        for balance in [false, true] {
            for max in 8..40 {
                for l in lines(&text, max, balance) {
                    assert!(l.chars().count() as u32 <= max, "{l:?} > {max}");
                }
            }
        }
    }
}
