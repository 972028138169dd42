//! The Pi's sound through ALSA (cargo feature `alsa`; Debian's libasound2-dev to build). The
//! device is opened for each announcement and drained before it is closed: a USB speaker
//! plugged in later is found, a pulled one costs one announcement, and `play` returns only when
//! the last sample has been heard. "default" (or any `plughw:` device) converts the rate and
//! channels; a raw `hw:` device that refuses 22 050 Hz gets the sound resampled here.

use alsa::pcm::{Access, Format, HwParams, PCM};
use alsa::{Direction, ValueOr};

use super::{AudioError, AudioSink, Sound};

pub struct AlsaSink {
    device: String,
}

impl AlsaSink {
    pub fn new(device: &str) -> AlsaSink {
        AlsaSink { device: device.to_string() }
    }

    fn error(&self, what: &str, e: alsa::Error) -> AudioError {
        AudioError::Device { device: self.device.clone(), message: format!("{what}: {e}") }
    }
}

/// `samples` at `from` Hz as `to` Hz, by linear interpolation (speech; no need for better).
fn resample(samples: &[i16], from: u32, to: u32) -> Vec<i16> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let n = (samples.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    (0..n)
        .map(|i| {
            let x = i as f64 * f64::from(from) / f64::from(to);
            let (j, frac) = (x.floor() as usize, x.fract());
            let a = f64::from(samples[j.min(samples.len() - 1)]);
            let b = f64::from(samples[(j + 1).min(samples.len() - 1)]);
            (a + (b - a) * frac).round() as i16
        })
        .collect()
}

impl AudioSink for AlsaSink {
    fn play(&mut self, sound: &Sound) -> Result<(), AudioError> {
        self.play_until(sound, &|| false).map(|_| ())
    }

    /// Written a twentieth of a second at a time, `stop` asked between writes: stopped, the
    /// device drops what it holds at once (the guide's old words end mid-word, as they should).
    fn play_until(&mut self, sound: &Sound, stop: &dyn Fn() -> bool) -> Result<bool, AudioError> {
        let pcm = PCM::new(&self.device, Direction::Playback, false).map_err(|e| self.error("open", e))?;
        let (rate, channels) = {
            let hw = HwParams::any(&pcm).map_err(|e| self.error("hardware parameters", e))?;
            hw.set_access(Access::RWInterleaved).map_err(|e| self.error("interleaved access", e))?;
            hw.set_format(Format::s16()).map_err(|e| self.error("16-bit samples", e))?;
            hw.set_channels_near(1).map_err(|e| self.error("channels", e))?;
            hw.set_rate(sound.rate, ValueOr::Nearest).map_err(|e| self.error("rate", e))?;
            pcm.hw_params(&hw).map_err(|e| self.error("hardware parameters", e))?;
            let current = pcm.hw_params_current().map_err(|e| self.error("hardware parameters", e))?;
            (
                current.get_rate().map_err(|e| self.error("rate", e))?,
                current.get_channels().map_err(|e| self.error("channels", e))? as usize,
            )
        };
        let mono = resample(&sound.samples, sound.rate, rate);
        // A device that only plays stereo gets each sample on every channel.
        let frames: Vec<i16> = if channels <= 1 { mono } else { mono.iter().flat_map(|s| std::iter::repeat_n(*s, channels)).collect() };
        let io = pcm.io_i16().map_err(|e| self.error("writer", e))?;
        let step = (rate as usize / 20).max(1) * channels.max(1);
        let mut at = 0;
        while at < frames.len() {
            if stop() {
                pcm.drop().map_err(|e| self.error("stop", e))?;
                return Ok(false);
            }
            match io.writei(&frames[at..(at + step).min(frames.len())]) {
                Ok(written) => at += written * channels.max(1),
                // An underrun (the thread was late): recover and go on where it stopped.
                Err(e) => pcm.try_recover(e, true).map_err(|e| self.error("write", e))?,
            }
        }
        pcm.drain().map_err(|e| self.error("drain", e))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_keeps_the_length_in_time() {
        let s: Vec<i16> = (0..22_050).map(|i| (i % 100) as i16).collect();
        assert_eq!(resample(&s, 22_050, 48_000).len(), 48_000);
        assert_eq!(resample(&s, 22_050, 22_050), s);
        let up = resample(&[0, 100], 1, 2);
        assert_eq!(up, [0, 50, 100, 100]);
    }

    fn beep() -> Sound {
        let samples = (0..11_025).map(|i| ((i as f64 * 0.1).sin() * 3000.0) as i16).collect();
        Sound { label: "A001".into(), text: String::new(), rate: 22_050, samples }
    }

    #[test]
    fn a_sound_asked_to_stop_is_cut_off() {
        let device = std::env::var("KIOSK_ALSA_DEVICE").unwrap_or_else(|_| "null".into());
        let writes = std::cell::Cell::new(0);
        let played = AlsaSink::new(&device)
            .play_until(&beep(), &|| {
                writes.set(writes.get() + 1);
                writes.get() > 2
            })
            .unwrap();
        assert!(!played, "stopped after two writes of a 10-write sound");
        assert_eq!(writes.get(), 3);
    }

    #[test]
    fn a_missing_device_is_an_error_not_a_panic() {
        let e = AlsaSink::new("hw:97,0").play(&beep()).unwrap_err().to_string();
        assert!(e.contains("hw:97,0") && e.contains("open"), "{e}");
    }

    /// The whole path (open, parameters, writes, drain) on ALSA's "null" device, which every
    /// alsa-lib defines; `KIOSK_ALSA_DEVICE=plughw:CARD=Headphones` plays it on a real card.
    #[test]
    fn a_device_takes_a_whole_sound() {
        let device = std::env::var("KIOSK_ALSA_DEVICE").unwrap_or_else(|_| "null".into());
        AlsaSink::new(&device).play(&beep()).unwrap_or_else(|e| panic!("{e}"));
    }
}
