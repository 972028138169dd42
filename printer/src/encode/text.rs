//! Text mode: the same layout blocks in the printer's own font (12 × 24 dots, Font A) with a
//! Vietnamese code page, for slow serial links where a raster ticket would take seconds. The big
//! number uses the printer's character magnification; QR goes native (`GS ( k`, Model 2) where
//! the profile says the printer has it, and as a raster band otherwise.

use super::commands::{feed_dots, qr_model2, select_page, CANCEL_KANJI, LF};
use super::raster::{append_bitmap, RasterForms};
use super::stream::JobStream;
use crate::bitmap::Bitmap;
use crate::codepage::{cp1258, tcvn3::Tcvn3Encoder};
use crate::error::PrintError;
use crate::layout::{Align, Block, Span, TextSize};
use crate::profile::{Profile, TextMode};
use crate::qr::{QrSymbol, QUIET_MODULES};
use embedded_graphics::prelude::Point;

/// Width of one Font A character cell in dots.
pub const CELL_WIDTH: u32 = 12;

/// Code-page text for one job.
enum TextEncoder {
    Tcvn3(Tcvn3Encoder),
    Cp1258,
}

impl TextEncoder {
    fn encode(&mut self, text: &str, out: &mut Vec<u8>) -> usize {
        match self {
            TextEncoder::Tcvn3(e) => e.encode_into(text, out),
            TextEncoder::Cp1258 => {
                let (bytes, replaced) = cp1258::encode(text);
                out.extend(bytes);
                replaced
            }
        }
    }
}

/// A text-mode job and how many characters the code page could not hold.
pub struct TextJob {
    pub bytes: Vec<u8>,
    pub replaced: usize,
}

pub fn encode(blocks: &[Block], profile: &Profile, width: u32, mode: TextMode) -> Result<TextJob, PrintError> {
    profile.check_text_mode(mode)?;
    let mut stream = JobStream::new()?;
    if profile.cancel_kanji {
        stream.raw(&CANCEL_KANJI)?;
    }
    let mut encoder = match mode {
        TextMode::Tcvn3 => {
            let (lower, upper) = profile.tcvn3_pages.unwrap_or((30, 31));
            TextEncoder::Tcvn3(Tcvn3Encoder::new(lower, upper))
        }
        _ => {
            stream.raw(&select_page(profile.cp1258_page.unwrap_or(52)))?;
            TextEncoder::Cp1258
        }
    };
    let columns = (width / CELL_WIDTH) as usize;
    let mut replaced = 0;
    for block in blocks {
        match block {
            Block::Paragraph { spans, size, align } => {
                let (w, h) = magnification(*size);
                stream.align(*align)?.size(w, h)?;
                for line in wrap(spans, columns / w as usize, *align) {
                    for span in line {
                        let mut bytes = vec![];
                        replaced += encoder.encode(&span.text, &mut bytes);
                        stream.bold(span.bold)?.raw(&bytes)?;
                    }
                    stream.raw(&[LF])?;
                }
                stream.bold(false)?.size(1, 1)?;
            }
            Block::Number(number) => {
                let m = (columns / number.chars().count().max(1)).clamp(1, 6) as u8;
                let mut bytes = vec![];
                replaced += encoder.encode(number, &mut bytes);
                bytes.push(LF);
                stream.align(Align::Centre)?.bold(true)?.size(m, m)?.raw(&bytes)?.size(1, 1)?.bold(false)?;
            }
            Block::Banner(text) => {
                let mut bytes = vec![b' '];
                replaced += encoder.encode(text, &mut bytes);
                bytes.extend([b' ', LF]);
                stream.align(Align::Centre)?.bold(true)?.reverse(true)?.raw(&bytes)?.reverse(false)?.bold(false)?;
            }
            Block::Rule => {
                let mut line = vec![b'-'; columns];
                line.push(LF);
                stream.align(Align::Left)?.raw(&line)?;
            }
            Block::Gap(dots) => {
                stream.raw(&feed_dots((*dots).min(255) as u8))?;
            }
            Block::Qr(url) => {
                let symbol = QrSymbol::new(url)?;
                let module = symbol.module_dots(width)?;
                if profile.native_qr {
                    // The printer prints the symbol alone: the quiet zone above and below is ours.
                    let quiet = feed_dots((QUIET_MODULES * module) as u8);
                    stream.raw(&quiet)?.align(Align::Centre)?.raw(&qr_model2(url, module as u8))?.raw(&quiet)?;
                } else {
                    let side = symbol.side_dots(module);
                    let mut band = Bitmap::new(width, side);
                    symbol.draw(&mut band, Point::new(((width - side) / 2) as i32, 0), module);
                    let mut bytes = vec![];
                    append_bitmap(&mut bytes, &band, RasterForms::of(profile), &mut None);
                    stream.raw(&bytes)?;
                }
            }
        }
    }
    Ok(TextJob { bytes: stream.finish()?, replaced })
}

/// `GS !` multipliers (width, height) for each text size.
pub fn magnification(size: TextSize) -> (u8, u8) {
    match size {
        TextSize::Small | TextSize::Body => (1, 1),
        TextSize::Large => (1, 2),
        TextSize::Title => (2, 2),
    }
}

/// Word wrap by character cells, by the rules of [`crate::layout::wrap`].
fn wrap(spans: &[Span], columns: usize, align: Align) -> Vec<Vec<Span>> {
    crate::layout::wrap::wrap_spans(spans, columns.max(1) as u32, align == Align::Centre, &mut |t, _| t.chars().count() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_the_columns_and_words_whole() {
        let spans = vec![
            Span { text: "Thời gian trả kết quả: ".into(), bold: false },
            Span { text: "08 giờ 37 phút, ngày 20 tháng 11 năm 2025".into(), bold: true },
        ];
        let lines = wrap(&spans, 32, Align::Left);
        for l in &lines {
            let n: usize = l.iter().map(|s| s.text.chars().count()).sum();
            assert!(n <= 32, "{l:?}");
        }
        let joined: Vec<String> = lines.iter().map(|l| l.iter().map(|s| s.text.as_str()).collect()).collect();
        assert_eq!(joined.join(" "), "Thời gian trả kết quả: 08 giờ 37 phút, ngày 20 tháng 11 năm 2025");
    }
}
