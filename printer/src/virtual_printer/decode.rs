//! Prints an ESC/POS stream onto a virtual roll: raster bands are copied dot for dot, text in
//! the printer's code page is decoded back to Unicode and drawn with our font at Font A size,
//! native QR codes are drawn from their stored data. The result is the PNG and text a
//! developer looks at, and what tests compare.

use super::commands::{next, Command};
use crate::bitmap::Bitmap;
use crate::codepage::{cp1258, tcvn3};
use crate::encode::text::CELL_WIDTH;
use crate::font::{Em, Weight};
use crate::layout::Align;
use crate::profile::Profile;
use crate::qr::{QrSymbol, QUIET_MODULES};
use crate::render::{Page, Renderer};
use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::prelude::{Drawable, Point};
use unicode_normalization::UnicodeNormalization;

/// Default line pitch (1/6 inch at 203 dpi) and Font A em, in dots.
const LINE_PITCH: u32 = 34;
const FONT_A_EM: u16 = 22;

/// What came out of the printer.
#[derive(Debug, Clone)]
pub struct Printout {
    pub image: Bitmap,
    /// Text printed in text mode, one line per printed line.
    pub text: String,
    pub cut: bool,
    /// Bytes we could not interpret, with their offsets.
    pub unknown: Vec<String>,
}

struct State {
    align: Align,
    bold: bool,
    reverse: bool,
    size: (u8, u8),
    page: Option<u8>,
    line: Vec<(String, Weight)>,
    qr_data: Vec<u8>,
    qr_module: u32,
}

/// Decodes and "prints" `bytes` on paper of `width` dots, with the code pages of `profile`.
pub fn print(bytes: &[u8], width: u32, profile: &Profile, renderer: &mut Renderer) -> Printout {
    let mut page = Page::new(width);
    page.margin = 0;
    let mut out = Printout { image: Bitmap::new(width, 0), text: String::new(), cut: false, unknown: vec![] };
    let mut st =
        State { align: Align::Left, bold: false, reverse: false, size: (1, 1), page: None, line: vec![], qr_data: vec![], qr_module: 3 };
    let mut i = 0;
    while i < bytes.len() {
        let Some((cmd, len)) = next(&bytes[i..]) else {
            out.unknown.push(format!("truncated command at {i}"));
            break;
        };
        match cmd {
            Command::Init => {
                flush_line(&mut st, &mut page, &mut out, renderer, false);
                st.align = Align::Left;
                st.bold = false;
                st.reverse = false;
                st.size = (1, 1);
                st.page = None;
            }
            Command::LineFeed => flush_line(&mut st, &mut page, &mut out, renderer, true),
            Command::Text(t) => {
                let text = decode_text(t, st.page, profile);
                let weight = if st.bold { Weight::Bold } else { Weight::Regular };
                match st.line.last_mut() {
                    Some((s, w)) if *w == weight => s.push_str(&text),
                    _ => st.line.push((text, weight)),
                }
            }
            Command::Align(n) => st.align = if n == 1 { Align::Centre } else { Align::Left },
            Command::Bold(b) => st.bold = b,
            Command::Reverse(r) => st.reverse = r,
            Command::Size(n) => st.size = ((n >> 4) + 1, (n & 0x0F) + 1),
            Command::CodePage(p) => st.page = Some(p),
            Command::CancelKanji | Command::StatusQuery(_) => {}
            Command::FeedLines(n) => {
                flush_line(&mut st, &mut page, &mut out, renderer, false);
                page.y += n as u32 * LINE_PITCH;
            }
            Command::FeedDots(n) => {
                flush_line(&mut st, &mut page, &mut out, renderer, false);
                page.y += n as u32;
            }
            Command::Cut => {
                flush_line(&mut st, &mut page, &mut out, renderer, false);
                out.cut = true;
            }
            Command::Raster { scale, bytes_per_row, rows, data } => {
                flush_line(&mut st, &mut page, &mut out, renderer, false);
                print_raster(&mut page, st.align, scale, bytes_per_row, rows, data);
            }
            Command::Qr { function, params } => match function {
                67 => st.qr_module = params.first().copied().unwrap_or(3) as u32,
                80 => st.qr_data = params.get(1..).unwrap_or_default().to_vec(),
                81 => print_qr(&st, &mut page, &mut out),
                65 if params.first() != Some(&50) => out.unknown.push(format!("QR model {:?} at {i}", params.first())),
                65 | 69 => {}
                f => out.unknown.push(format!("QR function {f} at {i}")),
            },
            Command::Unknown(b) => out.unknown.push(format!("byte 0x{b:02X} at {i}")),
        }
        i += len;
    }
    flush_line(&mut st, &mut page, &mut out, renderer, false);
    page.bitmap.grow_to(page.y);
    out.image = page.bitmap;
    out
}

fn decode_text(bytes: &[u8], page: Option<u8>, profile: &Profile) -> String {
    let tcvn = profile.tcvn3_pages;
    match page {
        Some(p) if tcvn.is_some_and(|(lower, upper)| p == lower || p == upper) => {
            let upper = tcvn.is_some_and(|(_, u)| u == p);
            bytes.iter().map(|b| tcvn3::decode_byte(*b, upper)).collect()
        }
        Some(p) if profile.cp1258_page == Some(p) => cp1258::decode(bytes),
        _ => bytes.iter().map(|b| if b.is_ascii() { *b as char } else { '\u{FFFD}' }).collect(),
    }
}

fn flush_line(st: &mut State, page: &mut Page, out: &mut Printout, renderer: &mut Renderer, feed_if_empty: bool) {
    if st.line.is_empty() {
        if feed_if_empty {
            page.y += LINE_PITCH * st.size.1 as u32;
            out.text.push('\n');
        }
        return;
    }
    let pieces: Vec<(String, Weight)> = std::mem::take(&mut st.line).into_iter().map(|(s, w)| (s.nfc().collect(), w)).collect();
    let text: String = pieces.iter().map(|(s, _)| s.as_str()).collect();
    out.text.push_str(&text);
    out.text.push('\n');
    // Printer fonts are monospaced: one 12-dot cell per character, times the width multiplier.
    let em = Em { x: FONT_A_EM * 3 / 4 * st.size.0 as u16, y: FONT_A_EM * st.size.1 as u16 };
    let cell = CELL_WIDTH * st.size.0 as u32;
    let line_box = renderer.line_box(em);
    let height = line_box.height().max(LINE_PITCH * st.size.1 as u32);
    let chars: Vec<(char, Weight)> = pieces.iter().flat_map(|(s, w)| s.chars().map(move |c| (c, *w))).collect();
    let width = chars.len() as u32 * cell;
    let left = match st.align {
        Align::Centre => page.bitmap.width().saturating_sub(width) / 2,
        Align::Left => 0,
    };
    page.bitmap.grow_to(page.y + height);
    let color = if st.reverse {
        for y in page.y..page.y + height {
            for x in left..(left + width).min(page.bitmap.width()) {
                page.bitmap.set(x, y, true);
            }
        }
        BinaryColor::Off
    } else {
        BinaryColor::On
    };
    let baseline = (page.y + line_box.above) as i32;
    for (i, (c, weight)) in chars.into_iter().enumerate() {
        let glyph = renderer.glyphs().shape(&c.to_string(), weight, em);
        let x = (left + i as u32 * cell) as i32 + (cell as i32 - glyph.width as i32) / 2;
        let _ = glyph.at(Point::new(x, baseline)).with_color(color).draw(&mut page.bitmap);
    }
    page.y += height;
}

/// A `GS v 0` band as a printer prints it: each data dot `scale` dots wide and high, the band
/// justified in dots (centred: half the white on each side) and cut at the paper's edge.
fn print_raster(page: &mut Page, align: Align, scale: (u8, u8), bytes_per_row: usize, rows: usize, data: &[u8]) {
    let (sx, sy) = (scale.0 as u32, scale.1 as u32);
    let printed = bytes_per_row as u32 * 8 * sx;
    let left = match align {
        Align::Centre => page.bitmap.width().saturating_sub(printed) / 2,
        Align::Left => 0,
    };
    page.bitmap.grow_to(page.y + rows as u32 * sy);
    if (sx, sy) == (1, 1) && left % 8 == 0 {
        page.bitmap.blit_rows(left as usize / 8, page.y, bytes_per_row, data);
    } else {
        for (r, row) in data.chunks_exact(bytes_per_row.max(1)).enumerate() {
            for x in (0..bytes_per_row as u32 * 8).filter(|x| row[*x as usize / 8] & (0x80 >> (x % 8)) != 0) {
                for (dx, dy) in (0..sx).flat_map(|dx| (0..sy).map(move |dy| (dx, dy))) {
                    page.bitmap.set(left + x * sx + dx, page.y + r as u32 * sy + dy, true);
                }
            }
        }
    }
    page.y += rows as u32 * sy;
}

/// `GS ( k` function 181 as Epson's printers do it: the symbol alone, no quiet zone ("the user
/// must secure the quiet zone"), justified like text, and the paper moved on by its height.
fn print_qr(st: &State, page: &mut Page, out: &mut Printout) {
    let data = String::from_utf8_lossy(&st.qr_data);
    match QrSymbol::new(&data) {
        Ok(symbol) => {
            let module = st.qr_module;
            let symbol_dots = symbol.size * module;
            let x = match st.align {
                Align::Centre => page.bitmap.width().saturating_sub(symbol_dots) / 2,
                Align::Left => 0,
            };
            page.bitmap.grow_to(page.y + symbol_dots);
            // `draw` takes the corner of the quiet zone, which lies outside what is printed.
            let quiet = (QUIET_MODULES * module) as i32;
            symbol.draw(&mut page.bitmap, Point::new(x as i32 - quiet, page.y as i32 - quiet), module);
            page.y += symbol_dots;
        }
        Err(e) => out.unknown.push(format!("QR not printable: {e}")),
    }
}
