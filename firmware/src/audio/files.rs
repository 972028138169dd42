//! The files sink: each announcement becomes `<n>-<label>.wav` (and `.txt` with what it says)
//! in a directory, numbered on from the highest number already there, like the virtual
//! printer's receipts. Tests listen to the kiosk this way, and so does a machine with no sound
//! device. Only the newest [`KEEP`] announcements are kept, so a kiosk left on files does not
//! fill its card.

use std::path::{Path, PathBuf};

use super::{AudioError, AudioSink, Sound};

/// How many announcements the directory keeps.
pub const KEEP: u32 = 1000;

pub struct FilesSink {
    dir: PathBuf,
    next: Option<u32>,
}

impl FilesSink {
    pub fn new(dir: impl Into<PathBuf>) -> FilesSink {
        FilesSink { dir: dir.into(), next: None }
    }

    fn write(&mut self, sound: &Sound) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let n = match self.next {
            Some(n) => n,
            None => next_free_number(&self.dir)?,
        };
        self.next = Some(n + 1);
        let label: String = sound.label.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let stem = self.dir.join(format!("{n:04}-{label}"));
        let spec = hound::WavSpec { channels: 1, sample_rate: sound.rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut wav = hound::WavWriter::create(stem.with_extension("wav"), spec).map_err(std::io::Error::other)?;
        let mut samples = wav.get_i16_writer(sound.samples.len() as u32);
        for s in &sound.samples {
            samples.write_sample(*s);
        }
        samples.flush().map_err(std::io::Error::other)?;
        wav.finalize().map_err(std::io::Error::other)?;
        std::fs::write(stem.with_extension("txt"), format!("{}\n", sound.text))?;
        if n > KEEP {
            forget(&self.dir, n - KEEP)?;
        }
        Ok(())
    }
}

impl AudioSink for FilesSink {
    fn play(&mut self, sound: &Sound) -> Result<(), AudioError> {
        self.write(sound).map_err(|source| AudioError::File { path: self.dir.display().to_string(), source })
    }
}

/// The number of a file `<n>-….wav`.
fn number_of(name: &str) -> Option<u32> {
    name.split('-').next().and_then(|s| s.parse::<u32>().ok())
}

/// One past the highest number already in `dir`, so a restart never overwrites an announcement.
fn next_free_number(dir: &Path) -> std::io::Result<u32> {
    let mut max = 0;
    for entry in std::fs::read_dir(dir)? {
        if let Some(n) = entry?.file_name().to_str().and_then(number_of) {
            max = max.max(n);
        }
    }
    Ok(max + 1)
}

/// Delete announcement `n` (both files).
fn forget(dir: &Path, n: u32) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_str().and_then(number_of) == Some(n) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sound(label: &str, samples: Vec<i16>) -> Sound {
        Sound { label: label.into(), text: format!("nói {label}"), rate: 22_050, samples }
    }

    #[test]
    fn each_sound_is_a_wav_and_its_text_numbered_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = FilesSink::new(dir.path());
        sink.play(&sound("A001", vec![1, -2, 3])).unwrap();
        sink.play(&sound("../B002", vec![4])).unwrap();
        let wav = hound::WavReader::open(dir.path().join("0001-A001.wav")).unwrap();
        assert_eq!((wav.spec().channels, wav.spec().sample_rate, wav.spec().bits_per_sample), (1, 22_050, 16));
        assert_eq!(wav.into_samples::<i16>().map(Result::unwrap).collect::<Vec<_>>(), [1, -2, 3]);
        assert_eq!(std::fs::read_to_string(dir.path().join("0001-A001.txt")).unwrap(), "nói A001\n");
        assert!(dir.path().join("0002-B002.wav").exists(), "a label never leaves the directory");
        // After a restart the numbering goes on.
        let mut again = FilesSink::new(dir.path());
        again.play(&sound("C003", vec![])).unwrap();
        assert!(dir.path().join("0003-C003.wav").exists());
    }

    #[test]
    fn only_the_newest_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = FilesSink::new(dir.path());
        sink.next = Some(KEEP);
        sink.play(&sound("A001", vec![1])).unwrap();
        sink.play(&sound("A002", vec![1])).unwrap();
        assert!(dir.path().join(format!("{KEEP:04}-A001.wav")).exists());
        sink.next = Some(2 * KEEP);
        sink.play(&sound("A003", vec![1])).unwrap();
        assert!(!dir.path().join(format!("{KEEP:04}-A001.wav")).exists(), "{KEEP} announcements later it is gone");
        assert!(!dir.path().join(format!("{KEEP:04}-A001.txt")).exists());
        assert!(dir.path().join(format!("{:04}-A002.wav", KEEP + 1)).exists());
    }
}
