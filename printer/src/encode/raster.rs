//! Raster mode: the rendered page as `GS v 0` bands, in as few bytes as the printer needs to put
//! exactly the same dots on paper (serial printers take ~1 ms per 11 bytes at 115 200 baud).
//! - Blank rows are never sent: each run of them is an `ESC J` feed.
//! - A band is cropped to its ink. Left-justified, it keeps the bytes from the paper's left edge
//!   to its last inked byte; centred (`ESC a 1`), it drops as many white bytes on the right as on
//!   the left, so the printer's centring puts every dot back where it was.
//! - Rows drawn in 2 × 2 dot cells (the QR code, the ticket number) go at quadruple density
//!   (`GS v 0` with m = 3): a quarter of the bytes for the same dots.
//! - Where one band ends and the next begins is chosen per run of inked rows by dynamic
//!   programming: 8 header bytes (3 more to change the justification) against the width saved.
//!   Rows with the same extent (a QR module's six rows, a 2 × 2 pair) are never split apart,
//!   which keeps the search small.

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
    /// `GS v 0` with m = 3 prints each data dot as 2 × 2 dots.
    pub quadruple: bool,
    /// Printed rows per band at most; cheap firmware stalls on tall blocks.
    pub band_rows: u32,
}

impl RasterForms {
    pub fn of(profile: &Profile) -> RasterForms {
        RasterForms { centred: profile.centred_raster, quadruple: profile.quadruple_raster, band_rows: profile.band_rows.max(2) }
    }
}

/// Bytes `left..right` of a row hold all its ink.
#[derive(Debug, Clone, Copy)]
struct Extent {
    left: usize,
    right: usize,
}

/// Consecutive inked rows with the same extent, all 2 × 2 pairs or none: a band never needs
/// to end inside one.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    extent: Extent,
    doubled: bool,
}

/// Rows `start..end`, printed bytes `x0..x0 + width` of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Band {
    start: u32,
    end: u32,
    align: Align,
    x0: usize,
    width: usize,
    quadruple: bool,
}

impl Band {
    fn data_len(&self) -> usize {
        let rows = (self.end - self.start) as usize;
        if self.quadruple {
            rows / 2 * self.width / 2
        } else {
            rows * self.width
        }
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

/// The inked rows `rows` as groups. Rows 2k and 2k + 1 are a 2 × 2 pair when they are equal
/// and every dot in them is doubled horizontally (dots 2i and 2i + 1 alike).
fn groups(bitmap: &Bitmap, extents: &[Option<Extent>], rows: std::ops::Range<usize>, forms: RasterForms) -> Vec<Group> {
    let doubled = |y: usize| {
        if !forms.quadruple || y % 2 == 1 || y + 1 >= rows.end {
            return false;
        }
        let (a, b) = (bitmap.rows(y as u32, y as u32 + 1), bitmap.rows(y as u32 + 1, y as u32 + 2));
        a == b && a.iter().all(|&byte| (byte & 0xAA) >> 1 == byte & 0x55)
    };
    let mut out: Vec<Group> = vec![];
    let mut y = rows.start;
    while y < rows.end {
        let extent = extents[y].expect("a run holds inked rows only");
        let pair = doubled(y);
        let len = if pair { 2 } else { 1 };
        match out.last_mut() {
            Some(g)
                if g.extent.left == extent.left
                    && g.extent.right == extent.right
                    && g.doubled == pair
                    && g.end - g.start + len <= forms.band_rows as usize =>
            {
                g.end += len
            }
            _ => out.push(Group { start: y, end: y + len, extent, doubled: pair }),
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
        let (mut left, mut right, mut quadruple) = (usize::MAX, 0, forms.quadruple);
        for j in i + 1..=n {
            let g = groups[j - 1];
            if g.end - start > forms.band_rows as usize {
                break;
            }
            left = left.min(g.extent.left);
            right = right.max(g.extent.right);
            quadruple &= g.doubled;
            let k = left.min(page_width - right);
            let band = |align, x0, width, quadruple| Band { start: start as u32, end: g.end as u32, align, x0, width, quadruple };
            let mut candidates = [None; 4];
            candidates[0] = Some(band(Align::Left, 0, right, false));
            if forms.centred {
                candidates[1] = Some(band(Align::Centre, k, page_width - 2 * k, false));
            }
            if quadruple {
                let even = right.next_multiple_of(2);
                if even <= page_width {
                    candidates[2] = Some(band(Align::Left, 0, even, true));
                }
                if forms.centred && (page_width - 2 * k).is_multiple_of(2) {
                    candidates[3] = Some(band(Align::Centre, k, page_width - 2 * k, true));
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

/// Bits 7, 5, 3, 1 of a byte as a nibble: one data dot per 2 × 2 printed cell.
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
    let rows = band.end - band.start;
    let (data_width, data_rows) = if band.quadruple { (band.width / 2, rows / 2) } else { (band.width, rows) };
    out.reserve(HEADER + band.data_len());
    out.extend(raster_header(band.quadruple, data_width as u16, data_rows as u16));
    let span = band.x0..band.x0 + band.width;
    if band.quadruple {
        for y in (band.start..band.end).step_by(2) {
            let row = &bitmap.rows(y, y + 1)[span.clone()];
            out.extend(row.chunks_exact(2).map(|p| SQUEEZE[p[0] as usize] << 4 | SQUEEZE[p[1] as usize]));
        }
    } else {
        for y in band.start..band.end {
            out.extend_from_slice(&bitmap.rows(y, y + 1)[span.clone()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: RasterForms = RasterForms { centred: true, quadruple: true, band_rows: 128 };

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
        assert!(!encode(&b, RasterForms { quadruple: false, ..ALL }).windows(4).any(|w| w == [0x1d, b'v', b'0', 3]));
    }

    #[test]
    fn without_centring_bands_stay_left_justified() {
        let mut b = Bitmap::new(64, 4);
        b.set(40, 1, true);
        let out = encode(&b, RasterForms { centred: false, quadruple: false, band_rows: 128 });
        assert!(!out.windows(2).any(|w| w == [0x1b, b'a']));
        assert_eq!(&out[3..11], &[0x1d, b'v', b'0', 0, 6, 0, 1, 0], "bytes 0..6 from the left edge");
    }
}
