//! The small display at a counter (a 128×64 SSD1306 OLED on SPI) showing "Quầy 3" and the number
//! being served. Drawn with embedded-graphics and the printer's Vietnamese font into a 1-bit
//! frame; the simulator saves the same frame as PNG, the Pi sends it over SPI.

use std::path::PathBuf;

use embedded_graphics::prelude::*;
use printer::font::{Em, GlyphCache, Weight};
use printer::Bitmap;

use super::DeviceError;

pub const WIDTH: u32 = 128;
pub const HEIGHT: u32 = 64;

/// Draw the counter's frame: its name on top, the current number (or a dash) large below.
pub fn frame(counter_label: &str, number: Option<&str>) -> Bitmap {
    let mut fonts = GlyphCache::new();
    let mut bitmap = Bitmap::new(WIDTH, HEIGHT);
    let mut line = |text: &str, weight: Weight, max_px: u16, top: i32, bitmap: &mut Bitmap| -> i32 {
        // The largest size that fits the width.
        let mut px = max_px;
        while px > 8 && fonts.measure(text, weight, Em::square(px)) > WIDTH - 4 {
            px -= 1;
        }
        let em = Em::square(px);
        let lb = fonts.line_box(weight, em);
        let width = fonts.measure(text, weight, em);
        let x = (WIDTH.saturating_sub(width) / 2) as i32;
        let _ = fonts.shape(text, weight, em).at(Point::new(x, top + lb.above as i32)).draw(bitmap);
        top + lb.height() as i32
    };
    let below = line(counter_label, Weight::Bold, 16, 0, &mut bitmap);
    line(number.unwrap_or("—"), Weight::Bold, 40, below, &mut bitmap);
    bitmap
}

/// The frame in SSD1306 page order: 8 pages of 128 columns, one byte per column, LSB on top.
pub fn ssd1306_pages(frame: &Bitmap) -> Vec<u8> {
    let mut out = Vec::with_capacity((WIDTH * HEIGHT / 8) as usize);
    for page in 0..HEIGHT / 8 {
        for x in 0..WIDTH {
            let mut byte = 0u8;
            for bit in 0..8 {
                if frame.get(x, page * 8 + bit) {
                    byte |= 1 << bit;
                }
            }
            out.push(byte);
        }
    }
    out
}

/// Where frames go.
pub trait DisplaySink: Send {
    fn show(&mut self, frame: &Bitmap) -> Result<(), DeviceError>;
}

/// The simulator: each frame replaces a PNG file.
pub struct PngDisplay {
    pub path: PathBuf,
}

impl DisplaySink for PngDisplay {
    fn show(&mut self, frame: &Bitmap) -> Result<(), DeviceError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| DeviceError(e.to_string()))?;
        }
        std::fs::write(&self.path, frame.to_png()).map_err(|e| DeviceError(format!("{}: {e}", self.path.display())))
    }
}

/// An SSD1306 on the Pi's SPI bus, with data/command and reset pins.
#[cfg(feature = "rpi")]
pub struct Ssd1306 {
    spi: rppal::spi::Spi,
    dc: rppal::gpio::OutputPin,
}

#[cfg(feature = "rpi")]
impl Ssd1306 {
    pub fn open(bus: u8, chip_select: u8, dc_pin: u8, reset_pin: u8) -> Result<Ssd1306, DeviceError> {
        use rppal::spi::{Bus, Mode, SlaveSelect, Spi};
        let err = |e: &dyn std::fmt::Display| DeviceError(format!("counter display: {e}"));
        let bus = match bus {
            0 => Bus::Spi0,
            1 => Bus::Spi1,
            _ => return Err(DeviceError("counter display: spi_bus must be 0 or 1".into())),
        };
        let ss = match chip_select {
            0 => SlaveSelect::Ss0,
            1 => SlaveSelect::Ss1,
            _ => return Err(DeviceError("counter display: chip_select must be 0 or 1".into())),
        };
        let spi = Spi::new(bus, ss, 8_000_000, Mode::Mode0).map_err(|e| err(&e))?;
        let gpio = rppal::gpio::Gpio::new().map_err(|e| err(&e))?;
        let dc = gpio.get(dc_pin).map_err(|e| err(&e))?.into_output_low();
        let mut reset = gpio.get(reset_pin).map_err(|e| err(&e))?.into_output_high();
        reset.set_low();
        std::thread::sleep(std::time::Duration::from_millis(10));
        reset.set_high();
        let mut d = Ssd1306 { spi, dc };
        // Power-up sequence from the SSD1306 datasheet: 128×64, horizontal addressing, charge pump on.
        d.command(&[
            0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8, 0xDA, 0x12, 0x81, 0xCF, 0xD9, 0xF1, 0xDB,
            0x40, 0xA4, 0xA6, 0xAF,
        ])?;
        Ok(d)
    }

    fn command(&mut self, bytes: &[u8]) -> Result<(), DeviceError> {
        self.dc.set_low();
        self.spi.write(bytes).map(|_| ()).map_err(|e| DeviceError(format!("counter display: {e}")))
    }
}

#[cfg(feature = "rpi")]
impl DisplaySink for Ssd1306 {
    fn show(&mut self, frame: &Bitmap) -> Result<(), DeviceError> {
        self.command(&[0x21, 0, 127, 0x22, 0, 7])?;
        self.dc.set_high();
        self.spi.write(&ssd1306_pages(frame)).map(|_| ()).map_err(|e| DeviceError(format!("counter display: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_shows_counter_and_number_with_marks_inside() {
        let f = frame("Quầy 3", Some("A025"));
        assert_eq!((f.width(), f.height()), (WIDTH, HEIGHT));
        // Ink in the top band (the name, with the mark of ầ) and in the lower band (the number).
        let ink = |y0: u32, y1: u32| (y0..y1).map(|y| (0..WIDTH).filter(|&x| f.get(x, y)).count()).sum::<usize>();
        assert!(ink(0, 3) == 0, "nothing clipped at the top edge");
        assert!(ink(0, 22) > 50);
        assert!(ink(24, 64) > 200);
        let other = frame("Quầy 3", Some("A026"));
        assert_ne!(f.to_png(), other.to_png(), "the number is drawn");
        assert_eq!(ssd1306_pages(&f).len(), 1024);
    }
}
