//! An announcement sentence as a centre words it (`[voice] sentence`, `[voice.kiosk] sentence`):
//! text with the placeholders `{number}` ("A, không hai mươi lăm") and `{counter}` ("quầy số
//! ba"). A sentence is checked once, when the configuration is read: every word it says must
//! be in the clip bank, so an announcement can always be spoken, and a sentence that cannot be
//! is refused with the word that has no clip. Commas and full stops are spoken as pauses.

use super::bank::{self, Clip};
use super::reading::TicketReading;

/// A placeholder of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The ticket number read aloud: "A, không hai mươi lăm".
    Number,
    /// The counter read aloud with its word: "quầy số ba".
    Counter,
}

impl Slot {
    fn name(self) -> &'static str {
        match self {
            Slot::Number => "{number}",
            Slot::Counter => "{counter}",
        }
    }
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a sentence cannot be an announcement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("a \"{{\" is not closed: write the placeholders as {{number}} and {{counter}}")]
    Unclosed,
    #[error("unknown placeholder {{{name}}}: this sentence may use {allowed}")]
    Unknown { name: String, allowed: String },
    #[error("{0} is missing: the sentence must say it")]
    Missing(Slot),
    #[error("{0} cannot be said here: nothing is known about it when this sentence is spoken")]
    NotHere(Slot),
    #[error("{0} is written twice")]
    Twice(Slot),
    #[error("write \"{{counter}}\" alone (e.g. \"đến {{counter}}\"): it is read \"quầy số ba\" by itself, so \"{before} {{counter}}\" would say it twice")]
    CounterDoubled { before: String },
    #[error(
        "{0}: a sentence may only use the recorded words (see `[voice]` in README.md); \
         add the word to firmware/assets/voice/clips.tsv and run render.sh, or reword"
    )]
    Unsaid(bank::Unsaid),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Slot(Slot),
}

/// A checked announcement sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

/// A word to say, or a pause (a comma, a full stop, or the comma after a ticket's letter).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Pause,
}

/// Words and pauses of written text: punctuation other than a hyphen inside a word is a pause.
fn tokens(text: &str, out: &mut Vec<Token>) {
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word).to_lowercase()));
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() || (c == '-' && !word.is_empty()) {
            word.push(c);
        } else if c.is_whitespace() {
            flush(&mut word, out);
        } else {
            flush(&mut word, out);
            out.push(Token::Pause);
        }
    }
    flush(&mut word, out);
}

/// The clips of a run of tokens: each run of words between pauses said by the fewest clips,
/// one pause for any number of pause marks, none at either end.
fn clips_of(tokens: &[Token]) -> Result<Vec<Clip>, bank::Unsaid> {
    let mut clips = Vec::new();
    for run in tokens.split(|t| *t == Token::Pause) {
        let words: Vec<String> = run.iter().filter_map(|t| if let Token::Word(w) = t { Some(w.clone()) } else { None }).collect();
        if words.is_empty() {
            continue;
        }
        if !clips.is_empty() {
            clips.push(bank::PAUSE);
        }
        clips.extend(bank::clips_for(&words)?);
    }
    Ok(clips)
}

impl Template {
    /// Read and check a sentence that must say each of `slots` once and nothing else.
    pub fn parse(source: &str, slots: &[Slot]) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').ok_or(TemplateError::Unclosed)? + open;
            let name = rest[open + 1..close].trim();
            let slot = match name {
                "number" => Slot::Number,
                "counter" => Slot::Counter,
                _ => {
                    let allowed = slots.iter().map(|s| s.name()).collect::<Vec<_>>().join(" and ");
                    return Err(TemplateError::Unknown { name: name.to_string(), allowed });
                }
            };
            if !slots.contains(&slot) {
                return Err(TemplateError::NotHere(slot));
            }
            if parts.contains(&Part::Slot(slot)) {
                return Err(TemplateError::Twice(slot));
            }
            if slot == Slot::Counter {
                if let Some(Part::Text(before)) = parts.last() {
                    let words = bank::words_of(before);
                    if let Some(last) = words.last().filter(|w| *w == "quầy" || *w == "số") {
                        let before = if last == "số" && words.len() > 1 { words[words.len() - 2..].join(" ") } else { last.clone() };
                        return Err(TemplateError::CounterDoubled { before });
                    }
                }
            }
            parts.push(Part::Slot(slot));
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err(TemplateError::Unclosed);
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        for slot in slots {
            if !parts.contains(&Part::Slot(*slot)) {
                return Err(TemplateError::Missing(*slot));
            }
        }
        // Each piece of text must be sayable on its own; then any number and counter can be
        // said between them, since every word of a number has its own clip.
        for part in &parts {
            if let Part::Text(text) = part {
                let mut t = Vec::new();
                tokens(text, &mut t);
                clips_of(&t).map_err(TemplateError::Unsaid)?;
            }
        }
        Ok(Template { parts })
    }

    /// The sentence for `number` (and the words of the counter's number, if it has `{counter}`):
    /// the text people read, and the clips that say it.
    pub(super) fn fill(&self, number: &TicketReading, counter: &[&'static str]) -> (String, Vec<Clip>) {
        let mut text = String::new();
        let mut said = Vec::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => {
                    text.push_str(t);
                    tokens(t, &mut said);
                }
                Part::Slot(Slot::Number) => {
                    text.push_str(&number.text());
                    said.extend(bank::words_of(number.letter).into_iter().map(Token::Word));
                    said.push(Token::Pause);
                    said.extend(number.digits.iter().map(|w| Token::Word(w.to_string())));
                }
                Part::Slot(Slot::Counter) => {
                    text.push_str("quầy số ");
                    text.push_str(&counter.join(" "));
                    said.extend(["quầy", "số"].into_iter().chain(counter.iter().copied()).map(|w| Token::Word(w.to_string())));
                }
            }
        }
        // Checked by `parse`: each text alone can be said, and so can every word of a number.
        let clips = clips_of(&said).unwrap_or_else(|u| panic!("a checked sentence cannot say {:?}", u.word));
        (text.trim().to_string(), clips)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::reading::{ticket_reading, ZeroTens};

    const CALL: &[Slot] = &[Slot::Number, Slot::Counter];

    fn said(clips: &[Clip]) -> String {
        clips.iter().map(|c| if c.text.is_empty() { "|" } else { c.text }).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_centre_s_own_wording() {
        let t = Template::parse("Mời công dân có số thứ tự {number} đến {counter}", CALL).unwrap();
        let (text, clips) = t.fill(&ticket_reading("A105", ZeroTens::Linh).unwrap(), &["ba"]);
        assert_eq!(text, "Mời công dân có số thứ tự A, một trăm linh năm đến quầy số ba");
        assert_eq!(said(&clips), "mời công dân có số thứ tự a | một trăm linh năm đến quầy số ba");
    }

    #[test]
    fn punctuation_is_a_pause_and_phrases_are_preferred() {
        let t = Template::parse("Xin mời số thứ tự {number}, đến {counter}.", CALL).unwrap();
        let (text, clips) = t.fill(&ticket_reading("A025", ZeroTens::Le).unwrap(), &["mười", "hai"]);
        assert_eq!(text, "Xin mời số thứ tự A, không hai mươi lăm, đến quầy số mười hai.");
        let slugs: Vec<&str> = clips.iter().map(|c| c.slug).collect();
        assert_eq!(
            slugs,
            ["invite", "letter-a", "pause", "digit-0", "digit-2", "tens", "unit-5-lam", "pause", "to-counter", "ten", "digit-2"],
            "one pause per comma, none at the end, \"đến quầy số\" as one clip"
        );
    }

    #[test]
    fn the_word_without_a_clip_is_named() {
        let e = Template::parse("Mời công dân hỏi số {number} đến {counter}", CALL).unwrap_err();
        assert!(matches!(&e, TemplateError::Unsaid(u) if u.word == "hỏi"), "{e:?}");
        assert!(e.to_string().starts_with("no voice clip says \"hỏi\": a sentence may only use the recorded words"), "{e}");
        let e = Template::parse("Mời số {number}, xin mời {counter} 3", CALL).unwrap_err();
        assert!(matches!(&e, TemplateError::Unsaid(u) if u.word == "3"), "{e:?}");
    }

    #[test]
    fn placeholders_are_checked() {
        assert_eq!(Template::parse("Mời số {number}", CALL), Err(TemplateError::Missing(Slot::Counter)));
        assert_eq!(Template::parse("Mời {counter}", CALL), Err(TemplateError::Missing(Slot::Number)));
        assert_eq!(Template::parse("Mời {number} {number} {counter}", CALL), Err(TemplateError::Twice(Slot::Number)));
        assert_eq!(Template::parse("Mời {number} đến {counter", CALL), Err(TemplateError::Unclosed));
        assert_eq!(Template::parse("Mời {number} đến counter}", CALL), Err(TemplateError::Unclosed));
        assert!(matches!(Template::parse("Mời {so} {number} {counter}", CALL), Err(TemplateError::Unknown { name, .. }) if name == "so"));
        assert_eq!(Template::parse("Số {number} đến {counter}", &[Slot::Number]), Err(TemplateError::NotHere(Slot::Counter)));
        assert_eq!(
            Template::parse("Mời số {number} đến quầy số {counter}", CALL),
            Err(TemplateError::CounterDoubled { before: "quầy số".into() })
        );
        assert_eq!(
            Template::parse("Mời số {number} đến quầy {counter}", CALL),
            Err(TemplateError::CounterDoubled { before: "quầy".into() })
        );
    }

    /// Whatever number is filled in, a checked sentence can be said (its words join with the
    /// number's words without needing a clip that is not there).
    #[test]
    fn a_checked_sentence_says_every_number() {
        let t = Template::parse("Số của quý khách là {number}. Mời quý khách chờ gọi số tại khu vực chờ.", &[Slot::Number]).unwrap();
        for letter in ['A', 'L', 'W', 'Y'] {
            for n in (0..=9999).step_by(7) {
                let (text, clips) = t.fill(&ticket_reading(&format!("{letter}{n:03}"), ZeroTens::Linh).unwrap(), &[]);
                assert!(text.starts_with("Số của quý khách là "), "{text}");
                assert_eq!(clips[0].slug, "ticket-is", "{text}");
                assert_eq!(clips.last().unwrap().slug, "please-wait", "{text}");
            }
        }
    }
}
