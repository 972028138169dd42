//! From layout blocks to the bytes of one job, in the configured text mode.

pub mod commands;
pub mod raster;
mod stream;
pub mod text;

use crate::bitmap::Bitmap;
use crate::error::PrintError;
use crate::layout::{Align, Block};
use crate::profile::{Profile, TextMode};
use crate::qr::QUIET_MODULES;
use crate::render::{PlacedQr, QrPlacement, Renderer};
use raster::RasterForms;

/// A job ready for a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedJob {
    pub bytes: Vec<u8>,
    /// Characters the code page could not hold (always 0 in raster mode).
    pub replaced: usize,
}

/// Raster mode: the page as cropped `GS v 0` bands and feeds, then a cut.
pub fn raster_job(bitmap: &Bitmap, profile: &Profile) -> Result<EncodedJob, PrintError> {
    raster_page_job(bitmap, &[], profile)
}

/// Raster mode for a page whose QR codes the printer draws itself where it can
/// (`profile.native_qr`; the page rendered with [`QrPlacement::Native`]): the rows of each QR
/// become its `GS ( k` command — about a hundred bytes instead of one to two thousand — and
/// the rest is raster as in [`raster_job`].
pub fn raster_page_job(bitmap: &Bitmap, qrs: &[PlacedQr], profile: &Profile) -> Result<EncodedJob, PrintError> {
    let mut stream = stream::JobStream::new()?;
    let mut bands = Vec::with_capacity(bitmap.bytes_per_row() * bitmap.height() as usize / 4);
    let forms = RasterForms::of(profile);
    // ESC @ has just left the printer left-justified.
    let mut align = Some(Align::Left);
    let mut y = 0;
    if profile.native_qr {
        for qr in qrs {
            // The printer prints the symbol alone ("the user must secure the quiet zone"): the
            // white rows above and below it go as feeds with the rest.
            let quiet = QUIET_MODULES * qr.module;
            raster::append_rows(&mut bands, bitmap, y..qr.top + quiet, forms, &mut align);
            if align != Some(Align::Centre) {
                bands.extend(commands::justify(Align::Centre));
                align = Some(Align::Centre);
            }
            bands.extend(commands::qr_model2(&qr.data, qr.module as u8));
            y = qr.top + qr.side - quiet;
        }
    }
    raster::append_rows(&mut bands, bitmap, y..bitmap.height(), forms, &mut align);
    stream.raw(&bands)?;
    Ok(EncodedJob { bytes: stream.finish()?, replaced: 0 })
}

/// Encodes `blocks` for this profile and mode (rendering them first in raster mode).
pub fn encode_blocks(
    renderer: &mut Renderer,
    blocks: &[Block],
    profile: &Profile,
    width: u32,
    mode: TextMode,
) -> Result<EncodedJob, PrintError> {
    match mode {
        TextMode::Raster => {
            let page = renderer.render_page(blocks, width, qr_placement(profile))?;
            raster_page_job(&page.bitmap, &page.qrs, profile)
        }
        _ => {
            let job = text::encode(blocks, profile, width, mode)?;
            Ok(EncodedJob { bytes: job.bytes, replaced: job.replaced })
        }
    }
}

/// Who draws QR codes in raster mode on this printer.
pub fn qr_placement(profile: &Profile) -> QrPlacement {
    if profile.native_qr {
        QrPlacement::Native
    } else {
        QrPlacement::Raster
    }
}
