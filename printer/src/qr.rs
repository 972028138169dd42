//! QR codes for the public pages a slip links to: always Model 2 (`fast_qr` makes only Model 2;
//! the escpos crate's native default is Model 1), error correction M, modules of at least 5 dots
//! and the 4-module quiet zone kept white. `fast_qr` encodes a ticket's URL in a fifth of the
//! time the `qrcode` crate took, which was most of a ticket's render.

use crate::bitmap::Bitmap;
use crate::error::PrintError;
use embedded_graphics::prelude::*;
use fast_qr::{QRBuilder, ECL};

/// White modules kept on every side of the symbol.
pub const QUIET_MODULES: u32 = 4;
/// Smallest module that phones read reliably from thermal paper.
pub const MIN_MODULE_DOTS: u32 = 5;

/// A QR symbol: `size` × `size` modules, row-major, `true` = dark.
#[derive(Debug, Clone)]
pub struct QrSymbol {
    pub size: u32,
    dark: Vec<bool>,
}

impl QrSymbol {
    pub fn new(data: &str) -> Result<QrSymbol, PrintError> {
        let code = QRBuilder::new(data.as_bytes()).ecl(ECL::M).build().map_err(|e| PrintError::Layout(format!("QR of \"{data}\": {e}")))?;
        let size = code.size as u32;
        let dark = code.data[..code.size * code.size].iter().map(|m| m.value()).collect();
        Ok(QrSymbol { size, dark })
    }

    pub fn is_dark(&self, x: u32, y: u32) -> bool {
        self.dark[(y * self.size + x) as usize]
    }

    /// Module size for this paper: 6 dots where the symbol fits (an even module is whole 2 × 2
    /// cells, sent at quadruple density), else 5; never under 5.
    pub fn module_dots(&self, paper_width: u32) -> Result<u32, PrintError> {
        let preferred = 6;
        let fits = paper_width / (self.size + 2 * QUIET_MODULES);
        let m = preferred.min(fits);
        if m < MIN_MODULE_DOTS {
            return Err(PrintError::Layout(format!(
                "a {}-module QR does not fit {paper_width} dots at {MIN_MODULE_DOTS} dots per module; shorten the URL",
                self.size
            )));
        }
        Ok(m)
    }

    /// Side of the symbol with its quiet zone, in dots.
    pub fn side_dots(&self, module: u32) -> u32 {
        (self.size + 2 * QUIET_MODULES) * module
    }

    /// Draws the symbol with its quiet zone's top-left corner at `corner`: each module row is
    /// packed once and copied `module` times (drawing dot by dot took most of a ticket's time).
    pub fn draw(&self, target: &mut Bitmap, corner: Point, module: u32) {
        let origin = corner + Point::new(1, 1) * (QUIET_MODULES * module) as i32;
        let (x0, y0) = (origin.x.max(0) as u32, origin.y.max(0) as u32);
        let bytes_per_row = target.bytes_per_row();
        let mut row = vec![0u8; bytes_per_row];
        for y in 0..self.size {
            row.fill(0);
            for x in (0..self.size).filter(|x| self.is_dark(*x, y)) {
                for dot in x0 + x * module..(x0 + (x + 1) * module).min(target.width()) {
                    row[dot as usize / 8] |= 0x80 >> (dot % 8);
                }
            }
            for r in 0..module {
                target.blit_rows(0, y0 + y * module + r, bytes_per_row, &row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawing_puts_each_module_where_it_belongs() {
        let symbol = QrSymbol::new("https://example.vn/t/1").unwrap();
        let mut page = Bitmap::new(400, 0);
        symbol.draw(&mut page, Point::new(10, 4), 6);
        let origin = (10 + 4 * 6, 4 + 4 * 6);
        for y in 0..symbol.size {
            for x in 0..symbol.size {
                for (dx, dy) in [(0, 0), (5, 5), (2, 3)] {
                    assert_eq!(page.get(origin.0 + x * 6 + dx, origin.1 + y * 6 + dy), symbol.is_dark(x, y), "module {x},{y}");
                }
            }
        }
        assert_eq!(page.ink(), (0..symbol.size * symbol.size).filter(|i| symbol.is_dark(i % symbol.size, i / symbol.size)).count() * 36);
    }
}
