//! The ESC/POS commands we write ourselves because the escpos crate gets them wrong or lacks
//! them: `GS v 0` in cropped bands, at normal density, double width or quadruple density (the crate sends one
//! whole-width block, shrinks images and prepends CAN), QR Model 2 (its default is Model 1),
//! `ESC t` for TCVN-3 pages 30/31 (missing from its enum), `ESC J` dot feeds and `FS .`.

use crate::bitmap::Bitmap;
use crate::layout::Align;

pub const LF: u8 = 0x0A;
pub const ESC: u8 = 0x1B;
pub const GS: u8 = 0x1D;
pub const FS: u8 = 0x1C;

/// `FS .`: leave Kanji/GB18030 mode so 8-bit bytes print as single-byte characters.
pub const CANCEL_KANJI: [u8; 2] = [FS, b'.'];

/// `ESC t n`: select character code page `n`.
pub fn select_page(n: u8) -> [u8; 3] {
    [ESC, b't', n]
}

/// `ESC J n`: feed `n` dots (n ≤ 255).
pub fn feed_dots(n: u8) -> [u8; 3] {
    [ESC, b'J', n]
}

/// `ESC a n`: justification of the lines (and raster bands) that follow.
pub fn justify(align: Align) -> [u8; 3] {
    let n = match align {
        Align::Left => 0,
        Align::Centre => 1,
    };
    [ESC, b'a', n]
}

/// `GS v 0 m xL xH yL yH d…`: a raster band; `m` = 0 prints each data dot once, 1 as 2 × 1
/// dots (double width), 3 as 2 × 2 dots (quadruple density), so the data is `bytes_per_row` ×
/// `rows` whatever `m`.
pub fn raster_header(m: u8, bytes_per_row: u16, rows: u16) -> [u8; 8] {
    let [xl, xh] = bytes_per_row.to_le_bytes();
    let [yl, yh] = rows.to_le_bytes();
    [GS, b'v', b'0', m, xl, xh, yl, yh]
}

/// A whole-width `GS v 0` band (normal density) for rows `start..end` of `bitmap`.
pub fn raster_band(bitmap: &Bitmap, start: u32, end: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + bitmap.bytes_per_row() * (end - start) as usize);
    out.extend(raster_header(0, bitmap.bytes_per_row() as u16, (end - start) as u16));
    out.extend_from_slice(bitmap.rows(start, end));
    out
}

/// `GS ( k` function 165/167/169/180/181: a Model 2 QR, EC level M, `module` dots per module.
pub fn qr_model2(data: &str, module: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 40);
    let mut function = |fn_bytes: &[u8]| {
        let len = (fn_bytes.len() + 1) as u16;
        out.extend([GS, b'(', b'k']);
        out.extend(len.to_le_bytes());
        out.push(49);
        out.extend_from_slice(fn_bytes);
    };
    function(&[65, 50, 0]); // model 2
    function(&[67, module]); // module size
    function(&[69, 49]); // error correction M
    let mut store = vec![80, 48];
    store.extend_from_slice(data.as_bytes());
    function(&store);
    function(&[81, 48]); // print the stored symbol
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_model_2_with_the_bytes_from_the_research_notes() {
        let url = "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.15.H41-230101-0001";
        let bytes = qr_model2(url, 6);
        assert_eq!(&bytes[..9], &[0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
        assert_eq!(&bytes[9..16], &[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43]);
        // store: pL = 70 + 3 = 0x49
        assert_eq!(&bytes[25..33], &[0x1d, 0x28, 0x6b, 0x49, 0x00, 0x31, 0x50, 0x30]);
        // The notes' 114 bytes include the ESC a 1 before it.
        assert_eq!(bytes.len(), 111);
    }

    #[test]
    fn raster_band_header_counts_bytes_and_rows() {
        let b = Bitmap::new(576, 200);
        let band = raster_band(&b, 0, 128);
        assert_eq!(&band[..8], &[0x1d, 0x76, 0x30, 0x00, 0x48, 0x00, 0x80, 0x00]);
        assert_eq!(band.len(), 8 + 72 * 128);
    }
}
