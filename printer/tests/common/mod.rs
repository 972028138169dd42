//! Helpers shared by the integration tests: fixture documents, printers on the virtual device
//! and QR decoding.
#![allow(dead_code)]

pub mod fixtures;

use printer::{Bitmap, Printer, PrinterConfig};
use std::path::Path;

pub fn config(transport: &str, dir: &Path) -> PrinterConfig {
    PrinterConfig {
        transport: transport.into(),
        profile: None,
        width_dots: None,
        text_mode: None,
        timeout_ms: Some(1000),
        virtual_dir: Some(dir.to_path_buf()),
    }
}

pub fn virtual_printer(dir: &Path, profile: Option<&str>, width: Option<u32>, mode: Option<&str>) -> Printer {
    let mut cfg = config("virtual", dir);
    cfg.profile = profile.map(String::from);
    cfg.width_dots = width;
    cfg.text_mode = mode.map(String::from);
    Printer::open(&cfg).expect("valid config")
}

/// Every QR code found on the page, decoded.
pub fn decode_qr(page: &Bitmap) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(page.width() as usize, page.height() as usize, |x, y| {
        if page.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect()
}

/// Rows `start..end` of the page's tallest run of rows that all hold ink (the first if several
/// are as tall).
pub fn tallest_inked_run(page: &Bitmap) -> std::ops::Range<u32> {
    let (mut best, mut start) = (0..0, 0);
    for y in 0..=page.height() {
        if y == page.height() || page.row_is_blank(y) {
            if y - start > best.end - best.start {
                best = start..y;
            }
            start = y + 1;
        }
    }
    best
}
