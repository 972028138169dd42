//! The QR code shown when the printer failed: it leads a phone to the ticket's live page
//! (`/t/{id}` on the main kiosk), so the citizen still has their number with them.

use qrcode::{Color, QrCode};
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// Modules are drawn this many pixels wide; the Image element scales it further.
const MODULE: usize = 8;
/// The quiet zone the QR standard asks for, in modules.
const QUIET: usize = 4;

/// `text` as a black-on-white QR code image, or `None` if it is too long for a QR code.
pub fn image(text: &str) -> Option<Image> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * MODULE;
    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(side as u32, side as u32);
    let pixels = buffer.make_mut_slice();
    for (i, px) in pixels.iter_mut().enumerate() {
        let (x, y) = ((i % side) / MODULE, (i / side) / MODULE);
        let dark =
            x >= QUIET && y >= QUIET && x < width + QUIET && y < width + QUIET && colors[(y - QUIET) * width + (x - QUIET)] == Color::Dark;
        let v = if dark { 0 } else { 255 };
        *px = Rgb8Pixel { r: v, g: v, b: v };
    }
    Some(Image::from_rgb8(buffer))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_ticket_url_becomes_a_square_image_with_a_quiet_zone() {
        let img = super::image("http://192.168.1.10:8080/t/0f8e2c1a-9a4b-4c1d-8e55-0a1b2c3d4e5f").unwrap();
        let size = img.size();
        assert_eq!(size.width, size.height);
        assert_eq!(size.width as usize % super::MODULE, 0);
        let buffer = img.to_rgb8().unwrap();
        assert_eq!(buffer.as_slice()[0].r, 255, "the corner is quiet zone");
        let at = |x: usize, y: usize| buffer.as_slice()[y * size.width as usize + x].r;
        let q = super::QUIET * super::MODULE;
        assert_eq!(at(q, q), 0, "the finder pattern starts after the quiet zone");
    }
}
