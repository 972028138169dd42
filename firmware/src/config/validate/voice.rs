//! `[voice]` (how announcements are worded) and `[voice.kiosk]` (the kiosk's own speaker),
//! checked with their lines. A sentence is checked against the clip bank here, at start, so a
//! word nobody recorded is a configuration error naming the word, never a silent announcement.

use toml::Spanned;

use super::{parse_window, Validator};
use crate::audio::{Output, SpeakerSettings};
use crate::config::raw::{RawKioskVoice, RawVoice};
use crate::text::nfc;
use crate::voice::{Slot, Template, Voice, ZeroTens};

impl Validator<'_> {
    /// The wording and the kiosk's speaker; the shipped defaults for what is not written.
    pub(super) fn voice(&mut self, raw: Option<RawVoice>) -> (Voice, SpeakerSettings) {
        let mut voice = Voice::default();
        let mut speaker = SpeakerSettings::default();
        let Some(raw) = raw else { return (voice, speaker) };
        if let Some(z) = &raw.zero_tens {
            match ZeroTens::from_setting(&nfc(z.get_ref())) {
                Some(zero_tens) => voice.zero_tens = zero_tens,
                None => self.problem(
                    &z.span(),
                    format!(
                        "[voice] zero_tens {:?} is unknown; use \"lẻ\" (105: một trăm lẻ năm) or \"linh\" (một trăm linh năm)",
                        z.get_ref()
                    ),
                ),
            }
        }
        if let Some(t) = raw.sentence.as_ref().and_then(|s| self.sentence("[voice] sentence", s, Voice::CALL_SLOTS)) {
            voice.call = t;
        }
        if let Some(k) = raw.kiosk {
            self.kiosk_voice(k, &mut voice, &mut speaker);
        }
        (voice, speaker)
    }

    fn kiosk_voice(&mut self, k: RawKioskVoice, voice: &mut Voice, speaker: &mut SpeakerSettings) {
        if let Some(t) = k.sentence.as_ref().and_then(|s| self.sentence("[voice.kiosk] sentence", s, Voice::TICKET_SLOTS)) {
            voice.ticket = t;
        }
        speaker.enabled = k.enabled.unwrap_or(true);
        if let Some(v) = &k.volume {
            match u8::try_from(*v.get_ref()) {
                Ok(v @ 0..=100) => speaker.volume = v,
                _ => self.problem(&v.span(), format!("[voice.kiosk] volume {} must be between 0 and 100", v.get_ref())),
            }
        }
        if let Some(q) = &k.quiet_hours {
            let windows: Vec<&str> = match q.get_ref() {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(a) => a.iter().map(|v| v.as_str().unwrap_or("?")).collect(),
                _ => vec!["?"],
            };
            for w in windows {
                match parse_window(w) {
                    Some(window) => speaker.quiet_hours.push(window),
                    None => self.problem(
                        &q.span(),
                        format!("[voice.kiosk] quiet_hours {w:?} must look like \"12:00-13:00\" (or a list: [\"11:30-13:00\", \"16:30-17:00\"])"),
                    ),
                }
            }
        }
        if let Some(o) = &k.output {
            match Output::from_setting(o.get_ref()) {
                Some(output) => speaker.output = output,
                None => self.problem(
                    &o.span(),
                    format!(
                        "[voice.kiosk] output {:?} is unknown; use \"alsa\" (the default sound device), \"alsa:<device>\" \
                         (e.g. \"alsa:plughw:CARD=Headphones\"; `aplay -L` lists them), \"files\" or \"none\"",
                        o.get_ref()
                    ),
                ),
            }
        }
    }

    /// A sentence template, or its problem at its line.
    fn sentence(&mut self, key: &str, s: &Spanned<String>, slots: &[Slot]) -> Option<Template> {
        match Template::parse(&nfc(s.get_ref()), slots) {
            Ok(t) => Some(t),
            Err(e) => {
                self.problem(&s.span(), format!("{key} {:?}: {e}", s.get_ref()));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::audio::Output;
    use crate::Config;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

    /// A small valid centre, then `voice` (lines 1–20 are the centre).
    fn with(voice: &str) -> String {
        format!(
            r#"[centre]
name = "UBND xã Hòa Phú"
agency_code = "H41.17.12"
time_zone = "Asia/Ho_Chi_Minh"

[dispensing]
monday = ["07:00-11:15"]

[[service]]
code = "A"
name_vi = "Hộ tịch"
name_en = "Civil status"
daily_cap = 300

[[counter]]
number = 3
name = "Quầy số 03"
services = ["A"]
pin_hash = "{HASH}"

{voice}"#
        )
    }

    #[test]
    fn without_voice_the_shipped_wording() {
        let c = Config::parse(&with(""), Path::new("k.toml")).unwrap();
        assert_eq!(c.voice.call("A105", 3).unwrap().text, "Xin mời số thứ tự A, một trăm lẻ năm, đến quầy số ba.");
        assert!(c.kiosk_speaker.enabled);
        assert_eq!(c.kiosk_speaker.output, Output::Files);
    }

    /// Issue 15 as filed: a northern centre with its own sentence.
    #[test]
    fn linh_and_a_centre_s_own_sentences() {
        let text = with(
            r#"[voice]
zero_tens = "linh"
sentence = "Mời công dân có số thứ tự {number} đến {counter}"

[voice.kiosk]
enabled = true
volume = 65
quiet_hours = "12:00-13:00"
sentence = "Xin cảm ơn. Số của quý khách là {number}."
output = "alsa:plughw:CARD=Headphones"
"#,
        );
        let c = Config::parse(&text, Path::new("k.toml")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.voice.call("A105", 3).unwrap().text, "Mời công dân có số thứ tự A, một trăm linh năm đến quầy số ba");
        assert_eq!(c.voice.ticket("A105").unwrap().text, "Xin cảm ơn. Số của quý khách là A, một trăm linh năm.");
        let s = &c.kiosk_speaker;
        assert_eq!(s.volume, 65);
        assert!(s.is_quiet(chrono::NaiveTime::from_hms_opt(12, 30, 0).unwrap()));
        assert_eq!(s.output, Output::Alsa { device: "plughw:CARD=Headphones".into() });

        let list = with("[voice.kiosk]\nquiet_hours = [\"11:30-12:00\", \"16:45-17:00\"]\nenabled = false\n");
        let c = Config::parse(&list, Path::new("k.toml")).unwrap();
        assert_eq!(c.kiosk_speaker.quiet_hours.len(), 2);
        assert!(!c.kiosk_speaker.enabled);
    }

    #[test]
    fn every_problem_with_its_line_and_the_word_without_a_clip() {
        let text = with(
            r#"[voice]
zero_tens = "linhh"
sentence = "Mời công dân hỏi số {number} đến {counter}"

[voice.kiosk]
volume = 120
quiet_hours = ["12:00-11:00"]
sentence = "Số {number} đến {counter}"
output = "loa"
"#,
        );
        let err = Config::parse(&text, Path::new("config/kiosk.toml")).unwrap_err();
        let shown = err.to_string();
        let expect = [
            "config/kiosk.toml:22: [voice] zero_tens \"linhh\" is unknown; use \"lẻ\"",
            "config/kiosk.toml:23: [voice] sentence \"Mời công dân hỏi số {number} đến {counter}\": no voice clip says \"hỏi\"",
            "config/kiosk.toml:26: [voice.kiosk] volume 120 must be between 0 and 100",
            "config/kiosk.toml:27: [voice.kiosk] quiet_hours \"12:00-11:00\" must look like",
            "config/kiosk.toml:28: [voice.kiosk] sentence \"Số {number} đến {counter}\": {counter} cannot be said here",
            "config/kiosk.toml:29: [voice.kiosk] output \"loa\" is unknown",
        ];
        for e in expect {
            assert!(shown.contains(e), "missing {e:?} in:\n{shown}");
        }
        assert_eq!(err.problems.len(), expect.len(), "{shown}");
    }

    #[test]
    fn a_sentence_saying_the_counter_twice_is_refused() {
        let text = with("[voice]\nsentence = \"Xin mời số thứ tự {number} đến quầy số {counter}\"\n");
        let err = Config::parse(&text, Path::new("k.toml")).unwrap_err().to_string();
        assert!(err.contains("k.toml:22:") && err.contains("write \"{counter}\" alone"), "{err}");
    }

    #[test]
    fn unknown_keys_are_located() {
        let err = Config::parse(&with("[voice.kiosk]\nvolumne = 50\n"), Path::new("k.toml")).unwrap_err();
        assert_eq!(err.problems[0].line, Some(22), "{err}");
        assert!(err.problems[0].message.contains("volumne"), "{err}");
    }
}
