//! From layout blocks to the bytes of one job, in the configured text mode.

pub mod commands;
pub mod raster;
mod stream;
pub mod text;

use crate::bitmap::Bitmap;
use crate::error::PrintError;
use crate::layout::{Align, Block};
use crate::profile::{Profile, TextMode};
use crate::render::Renderer;
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
    let mut stream = stream::JobStream::new()?;
    let mut bands = Vec::with_capacity(bitmap.bytes_per_row() * bitmap.height() as usize / 4);
    // ESC @ has just left the printer left-justified.
    raster::append_bitmap(&mut bands, bitmap, RasterForms::of(profile), &mut Some(Align::Left));
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
        TextMode::Raster => raster_job(&renderer.render(blocks, width)?, profile),
        _ => {
            let job = text::encode(blocks, profile, width, mode)?;
            Ok(EncodedJob { bytes: job.bytes, replaced: job.replaced })
        }
    }
}
