//! The kiosk's code scanner (issue 19): a citizen holds their CCCD / Căn cước card under it and
//! the kiosk reads the card's QR. Cheap USB scanners talk in one of two ways, and both work:
//!
//! - **Keyboard (HID) mode**: the scanner types the code as keystrokes and presses Enter. The
//!   window sees every key first (`app.slint`'s capture) and hands it to a [`KeyBurst`], which
//!   tells a scanner's burst — a character every few milliseconds — from a person typing on the
//!   search field, on any screen. Once a burst holds a `|` (which no citizen types) the rest of
//!   it is kept from the screen's field.
//! - **Serial (CDC-ACM) mode**: the scanner is a serial port (`/dev/ttyACM0`, better its
//!   `/dev/serial/by-id/…` name) and sends each code as a line. [`watch_serial`] reads it on a
//!   thread and opens it again when the scanner is unplugged and plugged back.
//!
//! What a scanned text means (a card, or not) is the take-a-number glue's business; the text
//! itself is held in memory only until the number is taken (docs/PRIVACY.md).

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a key did to the burst being watched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Burst {
    /// Not a scan, or not yet known to be one: the key goes on to the screen.
    Typing,
    /// A scanner's burst that is not finished: the key is kept from the screen.
    Scanning,
    /// A scanner finished a code (the text without its Enter).
    Scanned(String),
}

/// Tells a scanner's keystrokes from a person's. Scanners in keyboard mode send a character
/// every 1–15 ms; a quick typist needs 80 ms or more between two keys, and a person on the
/// on-screen keyboard far more. A burst is a scan when its characters came at most [`Self::GAP`]
/// apart, it is at least [`Self::MIN_LEN`] long, holds a `|` (the card's field separator) and
/// ends with Enter.
#[derive(Debug, Default)]
pub struct KeyBurst {
    text: String,
    last: Option<Instant>,
}

impl KeyBurst {
    /// The longest pause inside a scanner's burst.
    pub const GAP: Duration = Duration::from_millis(50);
    /// A card's QR is longer: 12 digits, six `|` and a date already make 26 characters.
    pub const MIN_LEN: usize = 20;
    /// How many fast characters before a `|` make a burst a scanner's.
    pub const FAST_BEFORE_BAR: usize = 8;
    /// Longer than any card's QR (about 150 bytes): what comes after is not kept.
    pub const MAX_LEN: usize = 1024;

    pub fn new() -> KeyBurst {
        KeyBurst::default()
    }

    /// A key pressed at `at`, as the window gives it (`"\n"` for Enter; other special keys are
    /// characters of Unicode's private use area, which no code contains).
    pub fn key(&mut self, key: &str, at: Instant) -> Burst {
        if self.last.is_some_and(|last| at.saturating_duration_since(last) > Self::GAP) {
            self.text.clear();
        }
        self.last = Some(at);
        if key == "\n" || key == "\r" {
            let text = std::mem::take(&mut self.text);
            return if text.chars().count() >= Self::MIN_LEN && text.contains('|') { Burst::Scanned(text) } else { Burst::Typing };
        }
        if key.chars().any(|c| c.is_control() || ('\u{e000}'..='\u{f8ff}').contains(&c)) {
            // Arrows, Tab, Backspace…: a person at a keyboard.
            self.text.clear();
            return Burst::Typing;
        }
        if self.text.len() + key.len() <= Self::MAX_LEN {
            self.text.push_str(key);
        }
        // A bar after a few fast characters: a scanner (a card's comes after 12 digits). A bar
        // typed alone goes to the field like any key.
        if self.text.len() > Self::FAST_BEFORE_BAR && self.text.contains('|') {
            Burst::Scanning
        } else {
            Burst::Typing
        }
    }

    /// Forget the burst (the screen changed under it).
    pub fn clear(&mut self) {
        self.text.clear();
        self.last = None;
    }
}

/// Read codes from a scanner in serial mode at `path`, one per line (CR, LF or both), and give
/// each to `on_code` on this function's thread. Runs until `on_code` returns false. When the
/// port cannot be opened or goes away (unplugged) it says so once and tries again every
/// `retry`.
pub fn watch_serial(
    path: PathBuf,
    retry: Duration,
    mut on_code: impl FnMut(String) -> bool + Send + 'static,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("scanner".into())
        .spawn(move || {
            let mut reported = false;
            loop {
                // CDC-ACM ignores the speed; 9600 8N1 is what scanners in serial mode default to.
                let opened = serialport::new(path.to_string_lossy(), 9600).timeout(Duration::from_millis(500)).open_native();
                let mut port = match opened {
                    Ok(p) => {
                        tracing::info!(port = %path.display(), "code scanner connected");
                        reported = false;
                        p
                    }
                    Err(e) => {
                        if !reported {
                            tracing::warn!(port = %path.display(), error = %e, "code scanner not connected; trying again");
                            reported = true;
                        }
                        std::thread::sleep(retry);
                        continue;
                    }
                };
                let mut line = Vec::new();
                let mut buf = [0u8; 256];
                loop {
                    match port.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            for &b in &buf[..n] {
                                if b == b'\r' || b == b'\n' {
                                    if !line.is_empty() {
                                        let code = String::from_utf8_lossy(&line).into_owned();
                                        line.clear();
                                        if !on_code(code) {
                                            return;
                                        }
                                    }
                                } else if line.len() < KeyBurst::MAX_LEN {
                                    line.push(b);
                                }
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                            // A code never pauses half-way for half a second: what came is noise.
                            line.clear();
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            tracing::warn!(port = %path.display(), error = %e, "code scanner disconnected; trying again");
                            reported = true;
                            break;
                        }
                    }
                }
                std::thread::sleep(retry);
            }
        })
        .expect("spawn the scanner thread")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "001090012345|123456789|Nguyen Van A|01011950|Nam|So 1 Ha Noi|01012021";

    fn type_all(burst: &mut KeyBurst, text: &str, start: Instant, every: Duration) -> Vec<Burst> {
        text.chars().enumerate().map(|(i, c)| burst.key(&c.to_string(), start + every * i as u32)).collect()
    }

    #[test]
    fn a_scanners_burst_is_a_scan_and_is_kept_from_the_screen_after_its_first_bar() {
        let mut burst = KeyBurst::new();
        let start = Instant::now();
        let keys = type_all(&mut burst, &format!("{CARD}\n"), start, Duration::from_millis(4));
        let (last, typed) = keys.split_last().unwrap();
        assert_eq!(*last, Burst::Scanned(CARD.to_string()));
        // The 12 digits reach the screen (nothing tells them from typing yet), then nothing.
        assert!(typed[..12].iter().all(|k| *k == Burst::Typing));
        assert!(typed[12..].iter().all(|k| *k == Burst::Scanning));
    }

    #[test]
    fn a_person_typing_the_same_text_is_not_a_scan() {
        let mut burst = KeyBurst::new();
        let keys = type_all(&mut burst, &format!("{CARD}\n"), Instant::now(), Duration::from_millis(90));
        assert!(keys.iter().all(|k| *k == Burst::Typing), "{keys:?}");
    }

    #[test]
    fn a_pause_inside_a_burst_starts_it_again() {
        let mut burst = KeyBurst::new();
        let start = Instant::now();
        type_all(&mut burst, "123|abc", start, Duration::from_millis(3));
        // Half a second later, a fast burst without a bar and shorter than a card: not a scan.
        let later = start + Duration::from_millis(500);
        let keys = type_all(&mut burst, "hộ kinh doanh\n", later, Duration::from_millis(3));
        assert_eq!(*keys.last().unwrap(), Burst::Typing);
    }

    #[test]
    fn short_codes_and_special_keys_are_not_scans() {
        let mut burst = KeyBurst::new();
        let start = Instant::now();
        let keys = type_all(&mut burst, "1|2\n", start, Duration::from_millis(3));
        assert_eq!(*keys.last().unwrap(), Burst::Typing);
        let later = start + Duration::from_millis(100);
        type_all(&mut burst, &CARD[..30], later, Duration::from_millis(3));
        // An arrow key (Slint's private-use character) in the middle: what came before is gone.
        assert_eq!(burst.key("\u{f702}", later + Duration::from_millis(91)), Burst::Typing);
        let rest = type_all(&mut burst, "1|2\n", later + Duration::from_millis(92), Duration::from_millis(3));
        assert_eq!(*rest.last().unwrap(), Burst::Typing);
    }

    #[test]
    fn the_burst_is_bounded() {
        let mut burst = KeyBurst::new();
        let long = "9|".repeat(2000);
        let keys = type_all(&mut burst, &format!("{long}\n"), Instant::now(), Duration::from_micros(100));
        match keys.last().unwrap() {
            Burst::Scanned(text) => assert_eq!(text.len(), KeyBurst::MAX_LEN),
            other => panic!("{other:?}"),
        }
    }
}
