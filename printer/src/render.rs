//! Turns layout blocks into a 1-bit page: word wrapping with the shipped font, the big number
//! fitted to the paper, rules, banners and QR codes, all drawn through embedded-graphics.
//!
//! Some of it is drawn coarser on purpose, in cells the raster encoder sends scaled up by the
//! printer (`GS v 0` m = 1 and 3): the number and the QR in 2 × 2 dot cells (a quarter of the
//! bytes), lines in bold from body size at 576 dots up in 2 × 1 cells ([`Grain::Wide`], half
//! the bytes). Regular text and smaller bold keep every dot: there the strokes and the marks
//! Vietnamese stacks over and under letters need the full resolution.

use crate::bitmap::Bitmap;
use crate::error::PrintError;
use crate::font::{Em, GlyphCache, LineBox, ShapedText, Weight};
use crate::layout::{wrap, Align, Block, Span, TextSize};
use crate::qr::QrSymbol;
use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{PrimitiveStyle, Rectangle};

/// Renders blocks; keeps its glyph cache between jobs so a ticket renders in well under 2 ms.
#[derive(Default)]
pub struct Renderer {
    glyphs: GlyphCache,
}

/// A piece of a wrapped line: text in one weight.
type Piece = (String, Weight);

impl Renderer {
    pub fn new() -> Renderer {
        Renderer::default()
    }

    pub fn glyphs(&mut self) -> &mut GlyphCache {
        &mut self.glyphs
    }

    /// Renders `blocks` on paper `width` dots wide (a multiple of 8), QR codes drawn for
    /// raster printing ([`QrPlacement::Raster`]).
    pub fn render(&mut self, blocks: &[Block], width: u32) -> Result<Bitmap, PrintError> {
        Ok(self.render_page(blocks, width, QrPlacement::Raster)?.bitmap)
    }

    /// Renders `blocks`, with each QR code where `qr` puts it; the page says where they are.
    pub fn render_page(&mut self, blocks: &[Block], width: u32, qr: QrPlacement) -> Result<RenderedPage, PrintError> {
        let mut page = Page { bitmap: Bitmap::new(width, 0), y: margin(width) / 2, margin: margin(width), qr, qrs: vec![] };
        for block in blocks {
            self.render_block(&mut page, block)?;
        }
        page.bitmap.trim_bottom();
        Ok(RenderedPage { bitmap: page.bitmap, qrs: page.qrs })
    }

    fn render_block(&mut self, page: &mut Page, block: &Block) -> Result<(), PrintError> {
        let width = page.bitmap.width();
        match block {
            Block::Paragraph { spans, size, align } => {
                let em = text_em(*size, width);
                let grain = Grain::of(spans.iter().all(|s| s.bold), em);
                for line in self.wrap(spans, em, page.text_width(), *align) {
                    self.draw_line(page, &line, em, grain, *align, BinaryColor::On);
                }
            }
            Block::Number(number) => self.draw_number(page, number),
            Block::Banner(text) => {
                let em = text_em(TextSize::Large, width);
                let line_box = self.line_box(em);
                let spans = [Span { text: text.clone(), bold: true }];
                let lines = self.wrap(&spans, em, page.text_width() - 2 * page.margin, Align::Centre);
                let band = Rectangle::new(
                    Point::new(page.margin as i32, page.y as i32),
                    Size::new(page.text_width(), line_box.height() * lines.len() as u32 + 8),
                );
                page.bitmap.grow_to(page.y + band.size.height);
                let _ = band.into_styled(PrimitiveStyle::with_fill(BinaryColor::On)).draw(&mut page.bitmap);
                page.y += 4;
                for line in lines {
                    self.draw_line(page, &line, em, Grain::of(true, em), Align::Centre, BinaryColor::Off);
                }
                page.y += 4;
            }
            Block::Rule => {
                // Two rows from an even row: one row of 2 × 2 cells, sent at quadruple density.
                page.y = (page.y + 8).next_multiple_of(2);
                page.bitmap.grow_to(page.y + 2);
                let rule = Rectangle::new(Point::new(page.margin as i32, page.y as i32), Size::new(page.text_width(), 2));
                let _ = rule.into_styled(PrimitiveStyle::with_fill(BinaryColor::On)).draw(&mut page.bitmap);
                page.y += 10;
            }
            Block::Gap(dots) => page.y += dots * width / 576,
            Block::Qr(url) => {
                let symbol = QrSymbol::new(url)?;
                let module = symbol.module_dots(width)?;
                let side = symbol.side_dots(module);
                page.y = page.y.next_multiple_of(2);
                page.bitmap.grow_to(page.y + side);
                let x = match page.qr {
                    // On even coordinates an even module is whole 2 × 2 cells: quadruple density.
                    QrPlacement::Raster => ((width - side) / 2) & !1,
                    // Where the printer's own centring puts it.
                    QrPlacement::Native => (width - side) / 2,
                };
                symbol.draw(&mut page.bitmap, Point::new(x as i32, page.y as i32), module);
                page.qrs.push(PlacedQr { top: page.y, side, module, data: url.clone() });
                page.y += side;
            }
        }
        Ok(())
    }

    /// The line box shared by both weights at this size, plus a little leading.
    pub fn line_box(&mut self, em: Em) -> LineBox {
        let r = self.glyphs.line_box(Weight::Regular, em);
        let b = self.glyphs.line_box(Weight::Bold, em);
        LineBox { above: r.above.max(b.above), below: r.below.max(b.below) + em.y as u32 / 8 }
    }

    /// Word wrap by the rules of [`crate::layout::wrap`]; centred text is balanced.
    pub fn wrap(&mut self, spans: &[Span], em: Em, max_width: u32, align: Align) -> Vec<Vec<Piece>> {
        let glyphs = &mut self.glyphs;
        let mut measure = |text: &str, bold: bool| glyphs.measure(text, weight(bold), em);
        wrap::wrap_spans(spans, max_width, align == Align::Centre, &mut measure)
            .into_iter()
            .map(|line| line.into_iter().map(|s| (s.text, weight(s.bold))).collect())
            .collect()
    }

    /// Draws one line of pieces, shaped at `em` and drawn in `grain`'s cells, at the page's
    /// current position and moves down by its line box.
    pub fn draw_line(&mut self, page: &mut Page, pieces: &[Piece], em: Em, grain: Grain, align: Align, color: BinaryColor) {
        let line_box = self.line_box(em);
        let last = pieces.len().saturating_sub(1);
        let shaped: Vec<ShapedText> = pieces
            .iter()
            .enumerate()
            .map(|(i, (text, weight))| {
                let text = if i == last { text.trim_end() } else { text.as_str() };
                match grain {
                    Grain::Fine => self.glyphs.shape(text, *weight, em),
                    Grain::Wide => self.glyphs.shape_in_cells(text, *weight, em),
                }
            })
            .collect();
        let cell = grain.across();
        let total: u32 = shaped.iter().map(|s| s.width).sum::<u32>() * cell;
        // A wide line starts on an even dot, so its 2 × 1 cells are the encoder's pairs.
        let left = match align {
            Align::Left => page.margin,
            Align::Centre => page.bitmap.width().saturating_sub(total) / 2,
        } / cell
            * cell;
        page.bitmap.grow_to(page.y + line_box.height());
        let baseline = (page.y + line_box.above) as i32;
        match grain {
            Grain::Fine => draw_pieces(shaped, Point::new(left as i32, baseline), color, &mut page.bitmap),
            Grain::Wide => {
                let mut cells = Cells::<2, 1> { page: &mut page.bitmap, origin: Point::new(left as i32, 0) };
                draw_pieces(shaped, Point::new(0, baseline), color, &mut cells)
            }
        }
        page.y += line_box.height();
    }

    /// The number, as large as the paper allows, drawn at half size in 2 × 2 dot cells on even
    /// coordinates: the same shape on paper, sent at quadruple density in a quarter of the bytes.
    fn draw_number(&mut self, page: &mut Page, number: &str) {
        let width = page.bitmap.width();
        let probe = Em::square(100);
        let at_probe = self.glyphs.measure(number, Weight::Bold, probe).max(1);
        let fit = (100 * page.text_width() * 9 / 10 / at_probe).min(width * 36 / 100);
        let half = Em::square((fit / 2) as u16);
        let shaped = self.glyphs.shape(number, Weight::Bold, half);
        let (mut above, mut below) = (0, 0);
        for c in number.chars() {
            let g = self.glyphs.glyph(Weight::Bold, half, c);
            above = above.max(g.top);
            below = below.max(g.bottom);
        }
        let (above, below) = (2 * above as u32 + 6, 2 * below as u32 + 6);
        page.y = page.y.next_multiple_of(2);
        page.bitmap.grow_to(page.y + above + below);
        let x = (width.saturating_sub(2 * shaped.width) / 2) & !1;
        let mut cells = Cells::<2, 2> { page: &mut page.bitmap, origin: Point::new(x as i32, (page.y + above) as i32) };
        let _ = shaped.draw(&mut cells);
        page.y += above + below;
    }
}

/// How finely a line of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// Every dot of the page.
    Fine,
    /// In 2 × 1 dot cells from an even dot, each cell inked where the text inks either of its
    /// dots: the same letters at half the horizontal resolution (101 dots per inch across, 203
    /// down), strokes up to a dot bolder, which the encoder sends double-width in half the bytes.
    /// For bold text from [`WIDE_FROM`] up.
    Wide,
}

/// The smallest em drawn [`Grain::Wide`], in dots: body text at 576 dots. Below it a mark
/// over a bold letter keeps too few cells of its own (`tests/vietnamese.rs`: each mark at least
/// three, the six tones of every vowel all different; `ắ` at 384 dots' 22-dot body fails).
pub const WIDE_FROM: u16 = 26;

impl Grain {
    /// How a line is drawn: wide when every piece of it is bold and its em at least [`WIDE_FROM`].
    pub fn of(bold: bool, em: Em) -> Grain {
        if bold && em.y >= WIDE_FROM {
            Grain::Wide
        } else {
            Grain::Fine
        }
    }

    /// Dots across per drawn pixel.
    fn across(self) -> u32 {
        match self {
            Grain::Fine => 1,
            Grain::Wide => 2,
        }
    }
}

/// Draws shaped pieces one after another, the first one's pen at `start` on the baseline.
fn draw_pieces<D: DrawTarget<Color = BinaryColor>>(shaped: Vec<ShapedText>, start: Point, color: BinaryColor, target: &mut D) {
    let mut x = start.x;
    for s in shaped {
        let w = s.width as i32;
        let _ = s.at(Point::new(x, start.y)).with_color(color).draw(target);
        x += w;
    }
}

/// Draws each pixel as a `W` × `H` cell of the page, from `origin` (a multiple of the cell).
struct Cells<'a, const W: u32, const H: u32> {
    page: &'a mut Bitmap,
    origin: Point,
}

impl<const W: u32, const H: u32> OriginDimensions for Cells<'_, W, H> {
    fn size(&self) -> Size {
        Size::new(self.page.width() / W, self.page.height() / H)
    }
}

impl<const W: u32, const H: u32> DrawTarget for Cells<'_, W, H> {
    type Color = BinaryColor;
    type Error = core::convert::Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<BinaryColor>>>(&mut self, pixels: I) -> Result<(), Self::Error> {
        for Pixel(p, color) in pixels {
            let at = self.origin + Point::new(p.x * W as i32, p.y * H as i32);
            if at.x >= 0 && at.y >= 0 {
                let (x, y) = (at.x as u32, at.y as u32);
                for dy in 0..H {
                    for dx in 0..W {
                        self.page.set(x + dx, y + dy, color.is_on());
                    }
                }
            }
        }
        Ok(())
    }
}

fn weight(bold: bool) -> Weight {
    if bold {
        Weight::Bold
    } else {
        Weight::Regular
    }
}

/// The page being drawn and the pen's vertical position.
pub struct Page {
    pub bitmap: Bitmap,
    pub y: u32,
    pub margin: u32,
    qr: QrPlacement,
    qrs: Vec<PlacedQr>,
}

/// Who draws a page's QR codes on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrPlacement {
    /// We do, in the raster: placed on the 2 × 2 grid, to go at quadruple density.
    Raster,
    /// The printer does (`GS ( k`), centred by `ESC a 1`: drawn where it will print, so the
    /// preview shows the paper.
    Native,
}

/// A QR code on a rendered page: rows `top..top + side` hold it (quiet zone included) and
/// nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedQr {
    pub top: u32,
    pub side: u32,
    pub module: u32,
    pub data: String,
}

/// A rendered page and where its QR codes are.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub bitmap: Bitmap,
    pub qrs: Vec<PlacedQr>,
}

impl Page {
    pub fn new(width: u32) -> Page {
        Page { bitmap: Bitmap::new(width, 0), y: 0, margin: margin(width), qr: QrPlacement::Raster, qrs: vec![] }
    }

    fn text_width(&self) -> u32 {
        self.bitmap.width() - 2 * self.margin
    }
}

fn margin(width: u32) -> u32 {
    width / 36
}

/// Em size in dots for a text size on this paper: 80 mm at 203 dpi is the reference; narrower
/// or coarser paper shrinks text, but never below 85 % so the elderly can still read it.
pub fn text_em(size: TextSize, width: u32) -> Em {
    let base = match size {
        TextSize::Small => 24,
        TextSize::Body => 26,
        TextSize::Large => 32,
        TextSize::Title => 36,
    };
    let scale = (width as f32 / 576.0).clamp(0.85, 1.0);
    Em::square((base as f32 * scale).round() as u16)
}
