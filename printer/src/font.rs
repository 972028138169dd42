//! The shipped Noto Sans faces (OFL, full Vietnamese coverage, precomposed glyphs for all 146
//! letter forms), rasterised once per size into 1-bit glyph masks and drawn through
//! embedded-graphics. Line boxes are measured on the tallest stacked capitals (Ế Ầ Ố…) and the
//! deepest dots below, so marks above the font's ascent are never clipped.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

static REGULAR_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

/// Letters whose ink reaches highest or lowest: they size every line box.
const TALLEST: &str = "ẾỀỂỄỆẤẦẨẪẬẮẰẲẴẶỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰÁÀẢÃẠÝỶỸỲỴĐÉÍÓÚ";
const DEEPEST: &str = "gjpqyỵỴạẠặẶậẬệỆịỊọỌộỘợỢụỤựỰ,";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// One glyph at one size: its inked dots relative to the pen position on the baseline.
#[derive(Debug)]
pub struct GlyphMask {
    pub dots: Vec<(i16, i16)>,
    pub advance: f32,
    /// Highest inked row above the baseline (positive up); 0 when blank.
    pub top: i32,
    /// Lowest inked row below the baseline (positive down); 0 when blank.
    pub bottom: i32,
}

/// Vertical extent of a line of text at one size, in dots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineBox {
    /// From the top of the box to the baseline.
    pub above: u32,
    /// From the baseline to the bottom of the box.
    pub below: u32,
}

impl LineBox {
    pub fn height(&self) -> u32 {
        self.above + self.below
    }
}

/// A font size: em width and height in dots (printer fonts stretch them separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Em {
    pub x: u16,
    pub y: u16,
}

impl Em {
    pub fn square(px: u16) -> Em {
        Em { x: px, y: px }
    }
}

fn faces() -> &'static (FontRef<'static>, FontRef<'static>) {
    static FACES: OnceLock<(FontRef<'static>, FontRef<'static>)> = OnceLock::new();
    FACES.get_or_init(|| {
        (
            FontRef::try_from_slice(REGULAR_TTF).expect("bundled NotoSans-Regular.ttf is valid"),
            FontRef::try_from_slice(BOLD_TTF).expect("bundled NotoSans-Bold.ttf is valid"),
        )
    })
}

fn face(weight: Weight) -> &'static FontRef<'static> {
    match weight {
        Weight::Regular => &faces().0,
        Weight::Bold => &faces().1,
    }
}

/// Whether the bundled faces have a real glyph (not .notdef) for `c`.
pub fn has_glyph(c: char) -> bool {
    face(Weight::Regular).glyph_id(c).0 != 0 && face(Weight::Bold).glyph_id(c).0 != 0
}

/// What a glyph's pixels are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Raster {
    /// Dots of the paper: the outline inked from 30 % coverage, which keeps thin strokes and marks.
    Dots,
    /// 2 × 1 dot cells ([`GlyphCache::shape_in_cells`]): the outline inked dot by dot from 65 %
    /// coverage, then each cell inked where either of its dots is. No mark loses its ink, and
    /// strokes grow by at most a dot (from a 30 % raster the marks merged with the hats under
    /// them; rasterised at half the width, the grave of `Ầ` was two cells in a column).
    /// `odd`: the glyph's pen on an odd dot.
    Cells { odd: bool },
}

impl Raster {
    /// The coverage from which a dot of the outline is inked.
    fn threshold(self) -> f32 {
        match self {
            Raster::Dots => 0.3,
            Raster::Cells { .. } => 0.65,
        }
    }
}

/// Glyph masks and line boxes, computed once per (weight, size) and reused across jobs.
#[derive(Default)]
pub struct GlyphCache {
    glyphs: HashMap<(Weight, Em, char, Raster), Arc<GlyphMask>>,
    boxes: HashMap<(Weight, Em), LineBox>,
}

impl GlyphCache {
    pub fn new() -> GlyphCache {
        GlyphCache::default()
    }

    pub fn glyph(&mut self, weight: Weight, em: Em, c: char) -> Arc<GlyphMask> {
        self.glyph_in(weight, em, c, Raster::Dots)
    }

    /// A glyph in 2 × 1 dot cells, as [`Self::shape_in_cells`] draws it with the pen on an even
    /// dot: its pixels are cells.
    pub fn glyph_in_cells(&mut self, weight: Weight, em: Em, c: char) -> Arc<GlyphMask> {
        self.glyph_in(weight, em, c, Raster::Cells { odd: false })
    }

    fn glyph_in(&mut self, weight: Weight, em: Em, c: char, raster: Raster) -> Arc<GlyphMask> {
        let c = if has_glyph(c) || c.is_whitespace() { c } else { '?' };
        if let Some(g) = self.glyphs.get(&(weight, em, c, raster)) {
            return g.clone();
        }
        let g = Arc::new(match raster {
            Raster::Dots => rasterise(weight, em, c, raster.threshold()),
            Raster::Cells { odd } => in_cells(&rasterise(weight, em, c, raster.threshold()), odd),
        });
        self.glyphs.insert((weight, em, c, raster), g.clone());
        g
    }

    pub fn line_box(&mut self, weight: Weight, em: Em) -> LineBox {
        if let Some(b) = self.boxes.get(&(weight, em)) {
            return *b;
        }
        let scaled = face(weight).as_scaled(scale(weight, em));
        let mut above = scaled.ascent().ceil() as i32;
        let mut below = (-scaled.descent()).ceil() as i32;
        for c in TALLEST.chars() {
            above = above.max(self.glyph(weight, em, c).top + 1);
        }
        for c in DEEPEST.chars() {
            below = below.max(self.glyph(weight, em, c).bottom + 1);
        }
        let b = LineBox { above: above as u32, below: below as u32 };
        self.boxes.insert((weight, em), b);
        b
    }

    /// Lays out `text` as one line starting at pen position 0.
    pub fn shape(&mut self, text: &str, weight: Weight, em: Em) -> ShapedText {
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0.0f32;
        for c in text.chars() {
            let g = self.glyph(weight, em, c);
            glyphs.push((pen.round() as i32, g.clone()));
            pen += g.advance;
        }
        ShapedText { glyphs, width: pen.ceil() as u32, origin: Point::zero(), color: BinaryColor::On }
    }

    /// Lays out `text` as one line of 2 × 1 dot cells starting at pen position 0, for text of
    /// `em` on paper: each glyph placed to the dot as [`Self::shape`] places it, then every cell
    /// inked that holds an inked dot. Widths and positions are in cells.
    pub fn shape_in_cells(&mut self, text: &str, weight: Weight, em: Em) -> ShapedText {
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0.0f32;
        for c in text.chars() {
            let dot = pen.round() as i32;
            let g = self.glyph_in(weight, em, c, Raster::Cells { odd: dot % 2 == 1 });
            pen += 2.0 * g.advance;
            glyphs.push((dot.div_euclid(2), g));
        }
        ShapedText { glyphs, width: (pen / 2.0).ceil() as u32, origin: Point::zero(), color: BinaryColor::On }
    }

    pub fn measure(&mut self, text: &str, weight: Weight, em: Em) -> u32 {
        let mut pen = 0.0f32;
        for c in text.chars() {
            pen += self.glyph(weight, em, c).advance;
        }
        pen.ceil() as u32
    }
}

fn scale(weight: Weight, em: Em) -> PxScale {
    let f = face(weight);
    let units = f.units_per_em().unwrap_or(1000.0);
    let k = f.height_unscaled() / units;
    PxScale { x: em.x as f32 * k, y: em.y as f32 * k }
}

fn rasterise(weight: Weight, em: Em, c: char, threshold: f32) -> GlyphMask {
    let font = face(weight);
    let s = scale(weight, em);
    let scaled = font.as_scaled(s);
    let id = font.glyph_id(c);
    let advance = scaled.h_advance(id);
    let mut dots = Vec::new();
    let (mut top, mut bottom) = (0, 0);
    if let Some(outline) = font.outline_glyph(id.with_scale_and_position(s, ab_glyph::point(0.0, 0.0))) {
        let b = outline.px_bounds();
        outline.draw(|x, y, coverage| {
            if coverage >= threshold {
                let (dx, dy) = (b.min.x as i32 + x as i32, b.min.y as i32 + y as i32);
                top = top.max(-dy);
                bottom = bottom.max(dy + 1);
                dots.push((dx as i16, dy as i16));
            }
        });
    }
    GlyphMask { dots, advance, top, bottom }
}

/// `glyph` in 2 × 1 cells, its pen on an odd dot or an even one: the cell of each inked dot.
fn in_cells(glyph: &GlyphMask, odd: bool) -> GlyphMask {
    let mut dots: Vec<(i16, i16)> = glyph.dots.iter().map(|&(x, y)| ((x + i16::from(odd)).div_euclid(2), y)).collect();
    dots.sort_unstable();
    dots.dedup();
    GlyphMask { dots, advance: glyph.advance / 2.0, top: glyph.top, bottom: glyph.bottom }
}

/// A line of glyphs ready to draw; `origin` is the pen position on the baseline.
#[derive(Debug, Clone)]
pub struct ShapedText {
    glyphs: Vec<(i32, Arc<GlyphMask>)>,
    pub width: u32,
    pub origin: Point,
    pub color: BinaryColor,
}

impl ShapedText {
    pub fn at(mut self, origin: Point) -> ShapedText {
        self.origin = origin;
        self
    }

    pub fn with_color(mut self, color: BinaryColor) -> ShapedText {
        self.color = color;
        self
    }
}

impl Drawable for ShapedText {
    type Color = BinaryColor;
    type Output = ();

    fn draw<D: DrawTarget<Color = BinaryColor>>(&self, target: &mut D) -> Result<(), D::Error> {
        let color = self.color;
        let origin = self.origin;
        target.draw_iter(self.glyphs.iter().flat_map(move |(x, g)| {
            g.dots.iter().map(move |&(dx, dy)| Pixel(Point::new(origin.x + x + dx as i32, origin.y + dy as i32), color))
        }))
    }
}
