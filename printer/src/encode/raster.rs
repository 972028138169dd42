//! Raster mode: the rendered page as `GS v 0` bands, in as few bytes as the printer needs to put
//! exactly the same dots on paper (serial printers take ~1 ms per 11 bytes at 115 200 baud).
//! - Blank rows are never sent: each run of them is an `ESC J` feed.
//! - A band is cropped to its ink. Left-justified, it keeps the bytes from the paper's left edge
//!   to its last inked byte; centred (`ESC a 1`), it drops as many white bytes on the right as on
//!   the left, so the printer's centring puts every dot back where it was.
//! - Rows drawn in 2 × 2 dot cells (the QR code, the ticket number) go at quadruple density
//!   (`GS v 0` with m = 3): a quarter of the bytes for the same dots. Rows drawn in 2 × 1 cells
//!   (bold text, see `crate::render::Grain`) go double-width (m = 1): half the bytes.
//! - Where one band ends and the next begins is chosen per run of inked rows by dynamic
//!   programming: 8 header bytes (3 more to change the justification) against the width saved.
//!   Rows with the same extent and scale (a QR module's six rows, a 2 × 2 pair) are never split
//!   apart, which keeps the search small.

use super::commands::{feed_dots, justify, raster_header};
use crate::bitmap::Bitmap;
use crate::layout::Align;
use crate::profile::Profile;

const HEADER: usize = 8;
const JUSTIFY: usize = 3;

/// The raster forms a printer understands beyond whole-width, left-justified `GS v 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RasterForms {
    /// `ESC a 1` centres raster bands, as it centres text.
    pub centred: bool,
    /// `GS v 0` with m = 1 prints each data dot as 2 × 1 dots, with m = 3 as 2 × 2.
    pub scaled: bool,
    /// Printed rows per band at most; cheap firmware stalls on tall blocks.
    pub band_rows: u32,
}

impl RasterForms {
    pub fn of(profile: &Profile) -> RasterForms {
        RasterForms { centred: profile.centred_raster, scaled: profile.scaled_raster, band_rows: profile.band_rows.max(2) }
    }
}

/// Bytes `left..right` of a row hold all its ink.
#[derive(Debug, Clone, Copy)]
struct Extent {
    left: usize,
    right: usize,
}

/// Printed dots per data dot of a band (`GS v 0`'s m). Ordered: rows that can go at one scale
/// can go at every smaller one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scale {
    /// m = 0: every dot sent.
    Normal,
    /// m = 1: each data dot printed 2 dots wide, for rows whose dots come in pairs (2i, 2i + 1).
    Wide,
    /// m = 3: each data dot printed 2 × 2, for two equal rows of pairs from an even row.
    Quadruple,
}

impl Scale {
    fn m(self) -> u8 {
        match self {
            Scale::Normal => 0,
            Scale::Wide => 1,
            Scale::Quadruple => 3,
        }
    }
}

/// Consecutive inked rows with the same extent and the same largest scale (2 × 2 pairs, rows
/// of pairs, or neither): a band never needs to end inside one.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    extent: Extent,
    scale: Scale,
}

/// Rows `start..end`, printed bytes `x0..x0 + width` of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Band {
    start: u32,
    end: u32,
    align: Align,
    x0: usize,
    width: usize,
    scale: Scale,
}

impl Band {
    /// Data bytes per row and data rows.
    fn data_size(&self) -> (usize, usize) {
        let rows = (self.end - self.start) as usize;
        match self.scale {
            Scale::Normal => (self.width, rows),
            Scale::Wide => (self.width / 2, rows),
            Scale::Quadruple => (self.width / 2, rows / 2),
        }
    }

    fn data_len(&self) -> usize {
        let (width, rows) = self.data_size();
        width * rows
    }
}

/// Appends `bitmap` to `out`: feeds for blank rows, cropped bands for the rest. `align` is the
/// printer's justification before (`None` when unknown) and after.
pub fn append_bitmap(out: &mut Vec<u8>, bitmap: &Bitmap, forms: RasterForms, align: &mut Option<Align>) {
    append_rows(out, bitmap, 0..bitmap.height(), forms, align);
}

/// [`append_bitmap`] for rows `rows` of `bitmap` only (a 2 × 2 pair never straddles its ends).
pub fn append_rows(out: &mut Vec<u8>, bitmap: &Bitmap, rows: std::ops::Range<u32>, forms: RasterForms, align: &mut Option<Align>) {
    let extents: Vec<Option<Extent>> = (0..rows.end).map(|y| if y < rows.start { None } else { extent(bitmap.rows(y, y + 1)) }).collect();
    let width = bitmap.bytes_per_row();
    let mut y = rows.start as usize;
    while y < extents.len() {
        let run = extents[y..].iter().take_while(|e| e.is_none() == extents[y].is_none()).count();
        if extents[y].is_none() {
            let mut left = run;
            while left > 0 {
                let n = left.min(255);
                out.extend(feed_dots(n as u8));
                left -= n;
            }
        } else {
            let groups = groups(bitmap, &extents, y..y + run, forms);
            for band in plan(&groups, width, forms, *align) {
                if *align != Some(band.align) {
                    out.extend(justify(band.align));
                    *align = Some(band.align);
                }
                write_band(out, bitmap, &band);
            }
        }
        y += run;
    }
}

fn extent(row: &[u8]) -> Option<Extent> {
    let left = row.iter().position(|b| *b != 0)?;
    let right = row.iter().rposition(|b| *b != 0)? + 1;
    Some(Extent { left, right })
}

/// The inked rows `rows` as groups. A row is wide when every dot in it is doubled horizontally
/// (dots 2i and 2i + 1 alike); rows 2k and 2k + 1 are a 2 × 2 pair when they are wide and equal.
fn groups(bitmap: &Bitmap, extents: &[Option<Extent>], rows: std::ops::Range<usize>, forms: RasterForms) -> Vec<Group> {
    let row = |y: usize| bitmap.rows(y as u32, y as u32 + 1);
    let wide = |y: usize| forms.scaled && row(y).iter().all(|&byte| (byte & 0xAA) >> 1 == byte & 0x55);
    let mut out: Vec<Group> = vec![];
    let mut y = rows.start;
    while y < rows.end {
        let extent = extents[y].expect("a run holds inked rows only");
        let (scale, len) = match wide(y) {
            true if y.is_multiple_of(2) && y + 1 < rows.end && row(y) == row(y + 1) => (Scale::Quadruple, 2),
            true => (Scale::Wide, 1),
            false => (Scale::Normal, 1),
        };
        match out.last_mut() {
            Some(g)
                if g.extent.left == extent.left
                    && g.extent.right == extent.right
                    && g.scale == scale
                    && g.end - g.start + len <= forms.band_rows as usize =>
            {
                g.end += len
            }
            _ => out.push(Group { start: y, end: y + len, extent, scale }),
        }
        y += len;
    }
    out
}

/// The cheapest bands for `groups` (one run of inked rows), the printer justified as `align`
/// before them: dynamic programming over where bands end and how each is justified and scaled.
fn plan(groups: &[Group], page_width: usize, forms: RasterForms, align: Option<Align>) -> Vec<Band> {
    const STATES: [Align; 2] = [Align::Left, Align::Centre];
    let n = groups.len();
    // cost[i][s]: bytes for groups ..i, the printer left justified as STATES[s].
    let mut cost = vec![[usize::MAX; 2]; n + 1];
    let mut from: Vec<[Option<(usize, usize, Band)>; 2]> = vec![[None; 2]; n + 1];
    let justify_cost = |before: Option<Align>, after: Align| if before == Some(after) { 0 } else { JUSTIFY };
    for i in 0..n {
        // (bytes so far, justification, its state index), at most two.
        let mut before = [(0, align, usize::MAX); 2];
        let mut states = 1;
        if i > 0 {
            states = 0;
            for (s, state) in STATES.iter().enumerate() {
                if cost[i][s] != usize::MAX {
                    before[states] = (cost[i][s], Some(*state), s);
                    states += 1;
                }
            }
        }
        let start = groups[i].start;
        let (mut left, mut right) = (usize::MAX, 0);
        let mut scale = if forms.scaled { Scale::Quadruple } else { Scale::Normal };
        for j in i + 1..=n {
            let g = groups[j - 1];
            if g.end - start > forms.band_rows as usize {
                break;
            }
            left = left.min(g.extent.left);
            right = right.max(g.extent.right);
            scale = scale.min(g.scale);
            let k = left.min(page_width - right);
            let band = |align, x0, width, scale| Band { start: start as u32, end: g.end as u32, align, x0, width, scale };
            // Left-justified and centred, at each scale these rows allow; a scaled band's data
            // byte covers two bytes of the page, so its width must be even.
            let mut candidates = [None; 6];
            for (slot, at) in [Scale::Normal, Scale::Wide, Scale::Quadruple].into_iter().enumerate() {
                if at > scale {
                    break;
                }
                let width = if at == Scale::Normal { right } else { right.next_multiple_of(2) };
                if width <= page_width {
                    candidates[2 * slot] = Some(band(Align::Left, 0, width, at));
                }
                if forms.centred && (at == Scale::Normal || (page_width - 2 * k).is_multiple_of(2)) {
                    candidates[2 * slot + 1] = Some(band(Align::Centre, k, page_width - 2 * k, at));
                }
            }
            for band in candidates.into_iter().flatten() {
                let t = usize::from(band.align == Align::Centre);
                for &(base, state, s) in &before[..states] {
                    let c = base + justify_cost(state, band.align) + HEADER + band.data_len();
                    if c < cost[j][t] {
                        cost[j][t] = c;
                        from[j][t] = Some((i, s, band));
                    }
                }
            }
        }
    }
    let mut t = if cost[n][0] <= cost[n][1] { 0 } else { 1 };
    let mut bands = vec![];
    let mut j = n;
    while j > 0 {
        let (i, s, band) = from[j][t].expect("every group is reachable by a left-justified band");
        bands.push(band);
        j = i;
        t = s;
    }
    bands.reverse();
    bands
}

/// Bits 7, 5, 3, 1 of a byte as a nibble: one data dot per 2 × 1 or 2 × 2 printed cell.
const SQUEEZE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (((b >> 7) & 1) << 3 | ((b >> 5) & 1) << 2 | ((b >> 3) & 1) << 1 | ((b >> 1) & 1)) as u8;
        b += 1;
    }
    table
};

fn write_band(out: &mut Vec<u8>, bitmap: &Bitmap, band: &Band) {
    let (data_width, data_rows) = band.data_size();
    out.reserve(HEADER + band.data_len());
    out.extend(raster_header(band.scale.m(), data_width as u16, data_rows as u16));
    let span = band.x0..band.x0 + band.width;
    // Every row, or every second row of 2 × 2 pairs.
    let step = if band.scale == Scale::Quadruple { 2 } else { 1 };
    for y in (band.start..band.end).step_by(step) {
        let row = &bitmap.rows(y, y + 1)[span.clone()];
        match band.scale {
            Scale::Normal => out.extend_from_slice(row),
            Scale::Wide | Scale::Quadruple => out.extend(row.chunks_exact(2).map(|p| SQUEEZE[p[0] as usize] << 4 | SQUEEZE[p[1] as usize])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: RasterForms = RasterForms { centred: true, scaled: true, band_rows: 128 };

    fn encode(bitmap: &Bitmap, forms: RasterForms) -> Vec<u8> {
        let mut out = vec![];
        append_bitmap(&mut out, bitmap, forms, &mut Some(Align::Left));
        out
    }

    #[test]
    fn squeeze_keeps_one_dot_of_each_pair() {
        assert_eq!(SQUEEZE[0b1100_0011], 0b1001);
        assert_eq!(SQUEEZE[0xFF], 0x0F);
        assert_eq!(SQUEEZE[0b0011_1100], 0b0110);
    }

    #[test]
    fn blank_rows_are_feeds_and_a_centred_mark_is_cropped_on_both_sides() {
        let mut b = Bitmap::new(64, 290);
        for y in 280..290 {
            b.set(30, y, true);
        }
        let out = encode(&b, ALL);
        // 280 blank rows: feeds of 255 and 25, then ESC a 1 and a one-byte-wide band.
        assert_eq!(&out[..6], &[0x1b, b'J', 255, 0x1b, b'J', 25]);
        assert_eq!(&out[6..9], &[0x1b, b'a', 1]);
        assert_eq!(&out[9..17], &[0x1d, b'v', b'0', 0, 2, 0, 10, 0]);
        assert_eq!(out.len(), 17 + 2 * 10);
    }

    #[test]
    fn doubled_dots_go_at_quadruple_density_and_others_do_not() {
        let mut b = Bitmap::new(64, 40);
        for y in 10..30 {
            for x in 16..48 {
                b.set(x, y, (x / 2 + y / 2) % 2 == 0);
            }
        }
        let out = encode(&b, ALL);
        let header = out.windows(4).position(|w| w == [0x1d, b'v', b'0', 3]).expect("a quadruple band");
        assert_eq!(&out[header + 4..header + 8], &[2, 0, 10, 0], "2 data bytes × 10 rows");
        // The same pattern one dot off the 2 × 2 grid cannot be doubled.
        let mut odd = Bitmap::new(64, 40);
        for y in 11..31 {
            for x in 16..48 {
                odd.set(x, y, (x / 2 + (y - 1) / 2) % 2 == 0);
            }
        }
        assert!(!encode(&odd, ALL).windows(4).any(|w| w == [0x1d, b'v', b'0', 3]));
        assert!(!encode(&b, RasterForms { scaled: false, ..ALL }).windows(4).any(|w| w == [0x1d, b'v', b'0', 3]));
    }

    #[test]
    fn rows_of_dot_pairs_go_double_width_in_half_the_bytes() {
        // Every row different (no 2 × 2 pairs), every dot doubled across: m = 1.
        let mut b = Bitmap::new(64, 20);
        for y in 0..20 {
            for x in 16..48 {
                b.set(x, y, (x / 2 + y) % 3 == 0);
            }
        }
        let out = encode(&b, ALL);
        let header = out.windows(4).position(|w| w == [0x1d, b'v', b'0', 1]).expect("a double-width band");
        assert_eq!(&out[header + 4..header + 8], &[2, 0, 20, 0], "2 data bytes × 20 rows");
        assert!(out.len() < 8 + 20 * 4, "half the bytes of the 4-byte-wide band ({} bytes)", out.len());
        // One dot off the pairs, or a printer without scaled raster: normal density.
        let mut odd = Bitmap::new(64, 20);
        for y in 0..20 {
            for x in 17..49 {
                odd.set(x, y, ((x - 1) / 2 + y) % 3 == 0);
            }
        }
        let scaled = |out: &[u8]| out.windows(4).any(|w| w == [0x1d, b'v', b'0', 1] || w == [0x1d, b'v', b'0', 3]);
        assert!(!scaled(&encode(&odd, ALL)));
        assert!(!scaled(&encode(&b, RasterForms { scaled: false, ..ALL })));
    }

    #[test]
    fn without_centring_bands_stay_left_justified() {
        let mut b = Bitmap::new(64, 4);
        b.set(40, 1, true);
        let out = encode(&b, RasterForms { centred: false, scaled: false, band_rows: 128 });
        assert!(!out.windows(2).any(|w| w == [0x1b, b'a']));
        assert_eq!(&out[3..11], &[0x1d, b'v', b'0', 0, 6, 0, 1, 0], "bytes 0..6 from the left edge");
    }
}
