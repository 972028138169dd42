//! The kiosk speaks (issue 18): when it issues a ticket it says the number and where to wait
//! through its own speaker — "Số của quý khách là A, không không năm. Mời quý khách chờ gọi số
//! tại khu vực chờ." The words come from the service ([`Backend::ticket_announcement`], the
//! centre's `[voice]`), the sound from `firmware::audio` (clip bank, playback thread, ALSA or
//! files) with this kiosk's own `[voice.kiosk]` settings: on or off, volume, quiet hours.

use std::path::Path;
use std::sync::Arc;

use firmware::audio::{Said, Speaker, SpeakerSettings};
use firmware::clock::Clock;

use crate::backend::Backend;

/// This kiosk's speaker as configured; files go under `data_dir`.
pub fn speaker(settings: &SpeakerSettings, data_dir: &Path, clock: Arc<dyn Clock>) -> Speaker {
    Speaker::start(settings.clone(), settings.output.open(data_dir), clock)
}

/// Say the ticket just issued; never fails the issue (a number it cannot say stays on screen).
pub(crate) fn say_ticket(backend: &dyn Backend, speaker: &Speaker, number: &str) -> Option<Said> {
    if !speaker.settings().enabled {
        return Some(Said::Disabled);
    }
    match backend.ticket_announcement(number) {
        Ok(announcement) => Some(speaker.say(number, &announcement)),
        Err(e) => {
            tracing::warn!(number, error = %e, "the ticket's announcement is not available");
            None
        }
    }
}
