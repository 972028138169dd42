//! QR codes for the public pages a slip links to: always Model 2 (the `qrcode` crate makes only
//! Model 2; the escpos crate's native default is Model 1), error correction M, modules of at
//! least 5 dots and the 4-module quiet zone kept white.

use crate::bitmap::Bitmap;
use crate::error::PrintError;
use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{PrimitiveStyle, Rectangle};
use qrcode::{Color, EcLevel, QrCode};

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
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
            .map_err(|e| PrintError::Layout(format!("QR of \"{data}\": {e}")))?;
        let size = code.width() as u32;
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
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

    /// Draws the symbol with its quiet zone's top-left corner at `corner`.
    pub fn draw(&self, target: &mut Bitmap, corner: Point, module: u32) {
        let fill = PrimitiveStyle::with_fill(BinaryColor::On);
        let origin = corner + Point::new(1, 1) * (QUIET_MODULES * module) as i32;
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && self.is_dark(x, y) {
                    x += 1;
                }
                let top_left = origin + Point::new((start * module) as i32, (y * module) as i32);
                let _ = Rectangle::new(top_left, Size::new((x - start) * module, module)).into_styled(fill).draw(target);
            }
        }
    }
}
