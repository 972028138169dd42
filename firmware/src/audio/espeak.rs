//! Speech synthesised on the kiosk, offline, by Debian's `espeak-ng` (`apt install espeak-ng`;
//! 1.51 on Debian 12 and Raspberry Pi OS bookworm): the audio guide's words. A procedure's name,
//! its papers, its fee and the centre's services cannot come from a bank of recorded words, so
//! the guide synthesises them — with the voice, the language and the speed the clip bank was
//! rendered with (`firmware/assets/voice/render.sh`: `vi`, 140 words a minute), so the kiosk
//! speaks with one voice. One process per sentence: a sentence of 15 words is synthesised in
//! about 40 ms on a PC, and a crash of the synthesiser costs a sentence, never the kiosk.
//!
//! The text goes in on stdin (never as an argument: a text starting with "-" is not an option),
//! the sound comes back on stdout as WAV, 22 050 Hz mono 16-bit — the clip bank's format.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::{AudioError, Sound, Synthesizer};
use crate::voice::bank::SAMPLE_RATE;

/// Words a minute: espeak's default 175 is fast for an elderly listener (as the clip bank).
pub const SPEED: u32 = 140;

/// `espeak-ng` as a [`Synthesizer`].
#[derive(Debug, Clone)]
pub struct Espeak {
    program: PathBuf,
}

impl Default for Espeak {
    fn default() -> Espeak {
        Espeak { program: PathBuf::from("espeak-ng") }
    }
}

impl Espeak {
    /// `espeak-ng` found on the `PATH`.
    pub fn new() -> Espeak {
        Espeak::default()
    }

    /// Another program speaking espeak-ng's command line (tests).
    pub fn with_program(program: impl Into<PathBuf>) -> Espeak {
        Espeak { program: program.into() }
    }

    /// Whether the program runs here (the guide says so on screen when it does not).
    pub fn available(&self) -> bool {
        Command::new(&self.program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
    }
}

/// The samples of espeak-ng's WAV on stdout. Streaming, it writes no real length in the header
/// (0x7ffff000): everything after the `data` chunk's header is the sound.
fn samples_of(wav: &[u8]) -> Result<Vec<i16>, String> {
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return Err("not a WAV".into());
    }
    let mut at = 12;
    while at + 8 <= wav.len() {
        let id = &wav[at..at + 4];
        let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().expect("4 bytes")) as usize;
        let body = at + 8;
        if id == b"fmt " {
            let fmt = wav.get(body..body + 16).ok_or("short fmt chunk")?;
            let channels = u16::from_le_bytes([fmt[2], fmt[3]]);
            let rate = u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]);
            let bits = u16::from_le_bytes([fmt[14], fmt[15]]);
            if (channels, rate, bits) != (1, SAMPLE_RATE, 16) {
                return Err(format!("{channels} channels at {rate} Hz, {bits} bits; expected mono {SAMPLE_RATE} Hz 16-bit"));
            }
        } else if id == b"data" {
            return Ok(wav[body..].chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect());
        }
        at = body + size + (size & 1);
    }
    Err("no data chunk".into())
}

impl Synthesizer for Espeak {
    fn synthesize(&self, label: &str, text: &str, english: bool) -> Result<Sound, AudioError> {
        let fail = |what: String| AudioError::Synthesis(format!("{}: {what}", self.program.display()));
        // Control characters mean nothing spoken; a newline would end the text early.
        let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let mut child = Command::new(&self.program)
            .args(["-v", if english { "en" } else { "vi" }, "-s", &SPEED.to_string(), "--stdin", "--stdout"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| fail(e.to_string()))?;
        let mut stdin = child.stdin.take().expect("piped");
        let input = text.clone().into_bytes();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let mut wav = Vec::new();
        child.stdout.take().expect("piped").read_to_end(&mut wav).map_err(|e| fail(e.to_string()))?;
        let _ = writer.join();
        let status = child.wait().map_err(|e| fail(e.to_string()))?;
        if !status.success() {
            return Err(fail(status.to_string()));
        }
        let samples = samples_of(&wav).map_err(fail)?;
        Ok(Sound { label: label.to_string(), text: text.trim().to_string(), rate: SAMPLE_RATE, samples })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_wav_is_read_to_its_end() {
        let mut wav = b"RIFF\x24\xf0\xff\x7fWAVEfmt \x10\0\0\0\x01\0\x01\0\x22\x56\0\0\x44\xac\0\0\x02\0\x10\0data\0\xf0\xff\x7f".to_vec();
        wav.extend([1, 0, 0xff, 0xff, 3, 0]);
        assert_eq!(samples_of(&wav).unwrap(), [1, -1, 3]);
        let stereo = String::from_utf8_lossy(&wav).replace("\x01\0\x01\0\x22", "\x01\0\x02\0\x22").into_bytes();
        assert!(samples_of(&stereo).is_err());
        assert!(samples_of(b"not a wav").is_err());
    }

    /// The real espeak-ng speaks Vietnamese; a missing program is an error, not a panic.
    #[test]
    fn espeak_ng_speaks_vietnamese_offline() {
        let missing = Espeak::with_program("/nonexistent/espeak-ng");
        assert!(!missing.available());
        assert!(matches!(missing.synthesize("t", "Xin chào", false), Err(AudioError::Synthesis(_))));
        let espeak = Espeak::new();
        if !espeak.available() {
            assert!(std::env::var_os("KIOSK_TESTS_REQUIRE_ALL").is_none(), "espeak-ng is not installed (apt install espeak-ng)");
            eprintln!("SKIPPED: espeak-ng is not installed");
            return;
        }
        let short = espeak.synthesize("t", "Thủ tục đăng ký khai sinh", false).unwrap();
        let long =
            espeak.synthesize("t", "Thủ tục đăng ký khai sinh. Lệ phí: miễn lệ phí. Thời hạn giải quyết: ngay trong ngày.", false).unwrap();
        assert_eq!(short.rate, SAMPLE_RATE);
        assert!(short.duration() > std::time::Duration::from_millis(800), "{:?}", short.duration());
        assert!(long.duration() > short.duration() * 2, "{:?} vs {:?}", long.duration(), short.duration());
        assert!(short.samples.iter().any(|s| s.unsigned_abs() > 3000), "it is not silence");
        let dashed = espeak.synthesize("t", "-v en --help", false).unwrap();
        assert!(dashed.duration() > std::time::Duration::from_millis(500), "a text starting with '-' is spoken, not obeyed");
    }
}
