//! A 1-bit page as the printer sees it (1 = black dot, rows packed MSB first, the layout of
//! `GS v 0`), drawable through embedded-graphics and convertible to and from PNG.

use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::prelude::*;
use std::io::Write;

/// A page of dots, `width` a multiple of 8, growing downwards as it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Bitmap {
        assert!(width.is_multiple_of(8), "bitmap width must be a multiple of 8 dots");
        Bitmap { width, height, data: vec![0; (width / 8 * height) as usize] }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn bytes_per_row(&self) -> usize {
        (self.width / 8) as usize
    }

    /// Packed rows `start..end`, ready for `GS v 0`.
    pub fn rows(&self, start: u32, end: u32) -> &[u8] {
        let bpr = self.bytes_per_row();
        &self.data[start as usize * bpr..end as usize * bpr]
    }

    pub fn row_is_blank(&self, y: u32) -> bool {
        self.rows(y, y + 1).iter().all(|b| *b == 0)
    }

    /// Makes the page at least `height` rows tall.
    pub fn grow_to(&mut self, height: u32) {
        if height > self.height {
            self.height = height;
            self.data.resize((self.width / 8 * height) as usize, 0);
        }
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.data[(y * self.width / 8 + x / 8) as usize] & (0x80 >> (x % 8)) != 0
    }

    pub fn set(&mut self, x: u32, y: u32, black: bool) {
        if x >= self.width || y >= self.height {
            return;
        }
        let i = (y * self.width / 8 + x / 8) as usize;
        let m = 0x80 >> (x % 8);
        if black {
            self.data[i] |= m;
        } else {
            self.data[i] &= !m;
        }
    }

    /// Copies packed rows (`bytes_per_row` wide) with their top-left corner at (`x_byte`*8, `y`).
    pub fn blit_rows(&mut self, x_byte: usize, y: u32, bytes_per_row: usize, rows: &[u8]) {
        let n = (rows.len() / bytes_per_row.max(1)) as u32;
        self.grow_to(y + n);
        let bpr = self.bytes_per_row();
        for r in 0..n as usize {
            for c in 0..bytes_per_row {
                if x_byte + c < bpr {
                    self.data[(y as usize + r) * bpr + x_byte + c] |= rows[r * bytes_per_row + c];
                }
            }
        }
    }

    pub fn ink(&self) -> usize {
        self.data.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// Drops blank rows at the bottom.
    pub fn trim_bottom(&mut self) {
        while self.height > 0 && self.row_is_blank(self.height - 1) {
            self.height -= 1;
        }
        self.data.truncate((self.width / 8 * self.height) as usize);
    }

    /// A 1-bit greyscale PNG (white paper, black ink).
    pub fn write_png(&self, out: impl Write) -> Result<(), png::EncodingError> {
        let mut enc = png::Encoder::new(out, self.width, self.height.max(1));
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        // Fast deflate: these PNGs are the virtual printer's paper and the hall display's frames,
        // one per job or call; the default compression took two of the ~5 ms a ticket printed on
        // the virtual printer took (docs/PERFORMANCE.md). Readers compare pixels, not bytes.
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header()?;
        let mut inverted: Vec<u8> = self.data.iter().map(|b| !b).collect();
        if self.height == 0 {
            inverted = vec![0xFF; self.bytes_per_row()];
        }
        w.write_image_data(&inverted)?;
        w.finish()
    }

    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_png(&mut out).expect("writing a PNG to memory cannot fail");
        out
    }

    /// Reads a PNG written by [`Bitmap::write_png`] (any greyscale or RGB PNG: dark = ink).
    pub fn read_png(bytes: &[u8]) -> Result<Bitmap, png::DecodingError> {
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = dec.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buf)?;
        let channels = info.color_type.samples();
        let mut bitmap = Bitmap::new(info.width.next_multiple_of(8), info.height);
        for y in 0..info.height {
            for x in 0..info.width {
                let i = (y as usize * info.line_size) + x as usize * channels;
                bitmap.set(x, y, buf[i] < 128);
            }
        }
        Ok(bitmap)
    }
}

impl OriginDimensions for Bitmap {
    fn size(&self) -> Size {
        Size::new(self.width, self.height)
    }
}

impl DrawTarget for Bitmap {
    type Color = BinaryColor;
    type Error = core::convert::Infallible;

    fn draw_iter<I>(&mut self, pixels: I) -> Result<(), Self::Error>
    where
        I: IntoIterator<Item = Pixel<Self::Color>>,
    {
        for Pixel(p, color) in pixels {
            if p.x >= 0 && p.y >= 0 {
                self.set(p.x as u32, p.y as u32, color.is_on());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_graphics::primitives::{PrimitiveStyle, Rectangle};

    #[test]
    fn png_round_trip_keeps_every_dot() {
        let mut b = Bitmap::new(16, 5);
        Rectangle::new(Point::new(3, 1), Size::new(7, 3)).into_styled(PrimitiveStyle::with_fill(BinaryColor::On)).draw(&mut b).unwrap();
        assert_eq!(b.ink(), 21);
        assert!(b.get(3, 1) && b.get(9, 3) && !b.get(10, 3) && !b.get(2, 1));
        let back = Bitmap::read_png(&b.to_png()).unwrap();
        assert_eq!(back, b);
    }

    #[test]
    fn trim_bottom_drops_only_blank_rows() {
        let mut b = Bitmap::new(8, 10);
        b.set(0, 4, true);
        b.trim_bottom();
        assert_eq!(b.height(), 5);
    }
}
