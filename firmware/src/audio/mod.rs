//! The kiosk's own speaker: announcements from the clip bank (`crate::voice`) played through
//! the platform's sound, one after the other. Hardware sits behind one small trait, like the
//! printer's transports:
//!
//! - [`Sound`] — one announcement as mono 16-bit PCM at the bank's 22 050 Hz, with its label
//!   and text; [`Sound::of`] joins an announcement's clips at a volume.
//! - [`AudioSink`] — plays a `Sound` to its end: [`FilesSink`] (one WAV per announcement in a
//!   directory, like the virtual printer's receipts; tests and machines without a sound
//!   device), [`NullSink`] (nothing), and `AlsaSink` (the Pi's sound, behind the `alsa` cargo
//!   feature).
//! - [`Speaker`] — the playback thread and its queue: [`Speaker::say`] returns at once; each
//!   announcement waits for the one being spoken (never cuts it off), none is said during
//!   quiet hours, and one that waited too long for its turn is dropped (its citizen has gone).
//!   [`Speaker::guide`] speaks the touchscreen's audio guide on the same thread: the newest
//!   guide words replace older ones at once, and give way to announcements.
//! - [`Synthesizer`] — text to sound, for what no clip bank can say (a procedure's name, its
//!   papers, its fee): [`Espeak`] runs Debian's `espeak-ng` on the kiosk, offline.

#[cfg(feature = "alsa")]
mod alsa;
mod espeak;
mod files;
mod speaker;

use std::path::Path;

#[cfg(feature = "alsa")]
pub use self::alsa::AlsaSink;
pub use espeak::Espeak;
pub use files::FilesSink;
pub use speaker::{Guidance, Said, Speaker};

use crate::queue::TimeWindow;
use crate::voice::{bank, Announcement};

/// One announcement ready to play: mono, 16-bit, [`bank::SAMPLE_RATE`] Hz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sound {
    /// A short name for files and logs ("A005").
    pub label: String,
    /// What it says, for people.
    pub text: String,
    pub rate: u32,
    pub samples: Vec<i16>,
}

impl Sound {
    /// The announcement's clips joined, at `volume` (0–100). Loudness is heard on a log scale,
    /// so the gain is `(volume / 100)²`: 50 is about 12 dB quieter than 100, not 6.
    pub fn of(label: &str, announcement: &Announcement, volume: u8) -> Sound {
        // The gain in 1/65 536ths: 65 536 at 100.
        let v = i64::from(volume.min(100));
        let gain = v * v * 65_536 / 10_000;
        let mut samples = Vec::new();
        for clip in &announcement.clips {
            // The bank's clips are checked WAVs (`voice::bank` tests); a broken one is skipped.
            match hound::WavReader::new(clip.wav) {
                Ok(mut reader) => {
                    samples.reserve(reader.len() as usize);
                    samples.extend(reader.samples::<i16>().map_while(Result::ok).map(|s| ((i64::from(s) * gain + 32_768) >> 16) as i16));
                }
                Err(e) => tracing::warn!(clip = clip.slug, error = %e, "unreadable voice clip"),
            }
        }
        Sound { label: label.to_string(), text: announcement.text.clone(), rate: bank::SAMPLE_RATE, samples }
    }

    /// The same sound at `volume` (0–100), on the same square law as [`Sound::of`].
    pub fn at_volume(mut self, volume: u8) -> Sound {
        let v = i64::from(volume.min(100));
        let gain = v * v * 65_536 / 10_000;
        for s in &mut self.samples {
            *s = ((i64::from(*s) * gain + 32_768) >> 16) as i16;
        }
        self
    }

    pub fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.samples.len() as f64 / f64::from(self.rate))
    }
}

/// Why a sound could not be played.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("sound device {device:?}: {message}")]
    Device { device: String, message: String },
    #[error("writing {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("speech synthesis: {0}")]
    Synthesis(String),
}

/// Where sound goes. `play` returns when the sound has been played to its end (or written), so
/// whoever calls it one sound after the other never overlaps two.
pub trait AudioSink: Send + 'static {
    fn play(&mut self, sound: &Sound) -> Result<(), AudioError>;

    /// Play `sound` unless `stop` says to stop before its end: whether it was played to its end.
    /// A sink that cannot stop midway plays it whole (files are written at once anyway).
    fn play_until(&mut self, sound: &Sound, stop: &dyn Fn() -> bool) -> Result<bool, AudioError> {
        if stop() {
            return Ok(false);
        }
        self.play(sound).map(|()| true)
    }
}

/// Text to speech, offline: what the audio guide says that no clip can (names, papers, fees).
pub trait Synthesizer: Send + Sync + 'static {
    /// `text` spoken in Vietnamese (or English), as a [`Sound`] labelled `label`.
    fn synthesize(&self, label: &str, text: &str, english: bool) -> Result<Sound, AudioError>;
}

/// Plays nothing (`output = "none"`).
pub struct NullSink;

impl AudioSink for NullSink {
    fn play(&mut self, _sound: &Sound) -> Result<(), AudioError> {
        Ok(())
    }
}

/// Where the kiosk's voice goes (`[voice.kiosk] output`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// One WAV per announcement under `<data>/announcements/` ("files", the default).
    Files,
    /// An ALSA device ("alsa" = "default", or "alsa:plughw:CARD=Headphones").
    Alsa { device: String },
    /// Nowhere ("none").
    Silent,
}

impl Output {
    /// The setting as written in the configuration.
    pub fn from_setting(s: &str) -> Option<Output> {
        match s.trim() {
            "files" => Some(Output::Files),
            "none" => Some(Output::Silent),
            "alsa" => Some(Output::Alsa { device: "default".into() }),
            s => s.strip_prefix("alsa:").filter(|d| !d.trim().is_empty()).map(|d| Output::Alsa { device: d.trim().to_string() }),
        }
    }

    /// The sink for this output; the files go under `data_dir`. A build without ALSA says so
    /// and writes files instead, so nothing is lost silently.
    pub fn open(&self, data_dir: &Path) -> Box<dyn AudioSink> {
        match self {
            Output::Files => Box::new(FilesSink::new(data_dir.join("announcements"))),
            Output::Silent => Box::new(NullSink),
            #[cfg(feature = "alsa")]
            Output::Alsa { device } => Box::new(AlsaSink::new(device)),
            #[cfg(not(feature = "alsa"))]
            Output::Alsa { device } => {
                tracing::error!(
                    device,
                    "this build has no ALSA (build with --features alsa): the kiosk's announcements go to files under {}",
                    data_dir.join("announcements").display()
                );
                Box::new(FilesSink::new(data_dir.join("announcements")))
            }
        }
    }
}

/// The kiosk's speaker as configured (`[voice.kiosk]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerSettings {
    pub enabled: bool,
    /// 0–100.
    pub volume: u8,
    /// Times of day when the kiosk stays silent (start included, end excluded).
    pub quiet_hours: Vec<TimeWindow>,
    pub output: Output,
}

impl Default for SpeakerSettings {
    fn default() -> SpeakerSettings {
        SpeakerSettings { enabled: true, volume: 80, quiet_hours: Vec::new(), output: Output::Files }
    }
}

impl SpeakerSettings {
    /// Whether `at` falls in the quiet hours.
    pub fn is_quiet(&self, at: chrono::NaiveTime) -> bool {
        self.quiet_hours.iter().any(|w| w.start <= at && at < w.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::Voice;

    #[test]
    fn a_sound_is_its_clips_joined() {
        let a = Voice::default().ticket("A005").unwrap();
        let full = Sound::of("A005", &a, 100);
        let expected: usize = a.clips.iter().map(|c| hound::WavReader::new(c.wav).unwrap().len() as usize).sum();
        assert_eq!(full.samples.len(), expected);
        assert_eq!(full.rate, 22_050);
        assert_eq!(full.text, a.text);
        assert!(full.duration().as_secs_f64() > 3.0, "{:?}", full.duration());
        // The first clip's first samples, unchanged at full volume.
        let first: Vec<i16> = hound::WavReader::new(a.clips[0].wav).unwrap().into_samples().map(Result::unwrap).take(100).collect();
        assert_eq!(full.samples[..100], first[..]);
    }

    #[test]
    fn volume_scales_on_a_square_law() {
        let a = Voice::default().ticket("A005").unwrap();
        let peak = |v: u8| Sound::of("A005", &a, v).samples.iter().map(|s| i32::from(*s).abs()).max().unwrap();
        let full = peak(100);
        assert!(full > 5000, "{full}");
        assert!((peak(50) - full / 4).abs() <= 1, "{} vs {}", peak(50), full / 4);
        assert_eq!(peak(0), 0);
        assert_eq!(peak(200), full, "above 100 is 100");
    }

    #[test]
    fn outputs_as_written() {
        assert_eq!(Output::from_setting("files"), Some(Output::Files));
        assert_eq!(Output::from_setting("none"), Some(Output::Silent));
        assert_eq!(Output::from_setting("alsa"), Some(Output::Alsa { device: "default".into() }));
        assert_eq!(Output::from_setting("alsa:plughw:CARD=Headphones"), Some(Output::Alsa { device: "plughw:CARD=Headphones".into() }));
        assert_eq!(Output::from_setting("alsa:"), None);
        assert_eq!(Output::from_setting("speaker"), None);
    }

    #[test]
    fn quiet_hours_include_the_start_and_exclude_the_end() {
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let s = SpeakerSettings { quiet_hours: vec![TimeWindow { start: t(12, 0), end: t(13, 0) }], ..SpeakerSettings::default() };
        assert!(!s.is_quiet(t(11, 59)));
        assert!(s.is_quiet(t(12, 0)));
        assert!(s.is_quiet(t(12, 59)));
        assert!(!s.is_quiet(t(13, 0)));
    }
}
