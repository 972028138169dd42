//! Voice announcements, fully offline. A call in the hall: "chime — Xin mời số thứ tự A, không
//! hai mươi lăm, đến quầy số ba", said twice; a ticket at the kiosk: "Số của quý khách là A,
//! không không năm. Mời quý khách chờ gọi số tại khu vực chờ.", said once. `reading` knows how
//! Vietnamese numbers are read (with "lẻ" or "linh"), `sentence` holds a centre's wording,
//! `bank` the pre-rendered clips, and [`Voice`] strings them together. Whoever plays the clips
//! (the hall display page, the kiosk's speaker in `crate::audio`) plays one announcement after
//! the other, never overlapping.

pub mod bank;
pub mod reading;
pub mod sentence;

pub use bank::Clip;
pub use reading::{ticket_reading, NotATicketNumber, ZeroTens};
pub use sentence::{Slot, Template, TemplateError};

/// What to play for one announcement, and the same words written for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// "Xin mời số thứ tự A, không hai mươi lăm, đến quầy số ba."
    pub text: String,
    /// The clips in order (for a call: chime, then the sentence twice with a pause between).
    pub clips: Vec<Clip>,
}

/// Why a number cannot be announced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnouncementError {
    #[error(transparent)]
    Number(#[from] NotATicketNumber),
    #[error("counter {0} cannot be read aloud: counters are numbered 1–9999")]
    Counter(u32),
}

/// The hall's call as shipped.
pub const DEFAULT_CALL: &str = "Xin mời số thứ tự {number}, đến {counter}.";
/// The kiosk's words to the citizen who just took a number, as shipped.
pub const DEFAULT_TICKET: &str = "Số của quý khách là {number}. Mời quý khách chờ gọi số tại khu vực chờ.";

/// How a centre's announcements are worded (`[voice]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    pub zero_tens: ZeroTens,
    /// The hall's call: `{number}` and `{counter}`.
    pub call: Template,
    /// The kiosk's words on issuing a ticket: `{number}`.
    pub ticket: Template,
}

impl Default for Voice {
    fn default() -> Voice {
        Voice {
            zero_tens: ZeroTens::Le,
            call: Template::parse(DEFAULT_CALL, Voice::CALL_SLOTS).expect("the shipped call is sayable"),
            ticket: Template::parse(DEFAULT_TICKET, Voice::TICKET_SLOTS).expect("the shipped ticket sentence is sayable"),
        }
    }
}

impl Voice {
    /// What the hall's call must say.
    pub const CALL_SLOTS: &'static [Slot] = &[Slot::Number, Slot::Counter];
    /// What the kiosk's ticket sentence must say.
    pub const TICKET_SLOTS: &'static [Slot] = &[Slot::Number];

    /// The announcement of ticket `number` called to counter `counter`: chime, then the
    /// sentence twice.
    pub fn call(&self, number: &str, counter: u32) -> Result<Announcement, AnnouncementError> {
        let ticket = ticket_reading(number, self.zero_tens)?;
        let counter_words = match u16::try_from(counter) {
            Ok(n @ 1..=reading::MAX_NUMBER) => reading::number_words(n, self.zero_tens),
            _ => return Err(AnnouncementError::Counter(counter)),
        };
        let (text, sentence) = self.call.fill(&ticket, &counter_words);
        let mut clips = vec![bank::CHIME, bank::PAUSE];
        clips.extend(sentence.iter().copied());
        clips.extend([bank::PAUSE, bank::PAUSE, bank::PAUSE]);
        clips.extend(sentence);
        Ok(Announcement { text, clips })
    }

    /// What the kiosk says to the citizen who just took ticket `number`, once.
    pub fn ticket(&self, number: &str) -> Result<Announcement, AnnouncementError> {
        let reading = ticket_reading(number, self.zero_tens)?;
        let (text, clips) = self.ticket.fill(&reading, &[]);
        Ok(Announcement { text, clips })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spoken(a: &Announcement) -> Vec<&'static str> {
        a.clips.iter().map(|c| if c.text.is_empty() { c.slug } else { c.text }).collect()
    }

    fn voice(zero_tens: ZeroTens, call: &str) -> Voice {
        Voice { zero_tens, call: Template::parse(call, Voice::CALL_SLOTS).unwrap(), ..Voice::default() }
    }

    #[test]
    fn chime_then_the_sentence_twice() {
        let a = Voice::default().call("A025", 3).unwrap();
        assert_eq!(a.text, "Xin mời số thứ tự A, không hai mươi lăm, đến quầy số ba.");
        let sentence = ["Xin mời số thứ tự", "a", "pause", "không", "hai", "mươi", "lăm", "pause", "đến quầy số", "ba"];
        let mut expected = vec!["chime", "pause"];
        expected.extend(sentence);
        expected.extend(["pause", "pause", "pause"]);
        expected.extend(sentence);
        assert_eq!(spoken(&a), expected);
    }

    #[test]
    fn counters_are_read_as_numbers() {
        let a = Voice::default().call("B105", 12).unwrap();
        assert_eq!(a.text, "Xin mời số thứ tự Bê, một trăm lẻ năm, đến quầy số mười hai.");
        assert_eq!(spoken(&a)[spoken(&a).len() - 2..], ["mười", "hai"]);
        assert_eq!(Voice::default().call("C021", 21).unwrap().text, "Xin mời số thứ tự Xê, không hai mươi mốt, đến quầy số hai mươi mốt.");
    }

    /// Issue 15: a northern centre with its own wording.
    #[test]
    fn linh_and_a_centre_s_sentence() {
        let v = voice(ZeroTens::Linh, "Mời công dân có số thứ tự {number} đến {counter}");
        let a = v.call("A105", 3).unwrap();
        assert_eq!(a.text, "Mời công dân có số thứ tự A, một trăm linh năm đến quầy số ba");
        let once = ["mời", "công dân", "có", "số thứ tự", "a", "pause", "một", "trăm", "linh", "năm", "đến quầy số", "ba"];
        assert_eq!(spoken(&a)[2..2 + once.len()], once);
        assert!(!spoken(&a).contains(&"lẻ"));
        assert!(!spoken(&a).contains(&"Xin mời số thứ tự"));
    }

    #[test]
    fn the_kiosk_says_the_number_and_where_to_wait_once() {
        let a = Voice::default().ticket("A005").unwrap();
        assert_eq!(a.text, "Số của quý khách là A, không không năm. Mời quý khách chờ gọi số tại khu vực chờ.");
        assert_eq!(
            spoken(&a),
            ["Số của quý khách là", "a", "pause", "không", "không", "năm", "pause", "Mời quý khách chờ gọi số tại khu vực chờ"]
        );
        let north = Voice { zero_tens: ZeroTens::Linh, ..Voice::default() };
        assert_eq!(
            north.ticket("E101").unwrap().text,
            "Số của quý khách là E, một trăm linh một. Mời quý khách chờ gọi số tại khu vực chờ."
        );
    }

    #[test]
    fn every_letter_and_number_has_its_clips() {
        for v in [Voice::default(), Voice { zero_tens: ZeroTens::Linh, ..Voice::default() }] {
            for letter in 'A'..='Z' {
                assert!(v.call(&format!("{letter}001"), 1).is_ok(), "{letter}");
            }
            for n in 0..=reading::MAX_NUMBER {
                let number = format!("A{n:03}");
                let a = v.call(&number, u32::from(n).max(1)).unwrap();
                assert!(a.clips.len() > 10, "{number}");
                assert!(v.ticket(&number).unwrap().clips.len() >= 4, "{number}");
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let v = Voice::default();
        assert!(matches!(v.call("a025", 3), Err(AnnouncementError::Number(_))));
        assert!(matches!(v.ticket("A02555"), Err(AnnouncementError::Number(_))));
        assert_eq!(v.call("A025", 0), Err(AnnouncementError::Counter(0)));
        assert_eq!(v.call("A025", 10_000), Err(AnnouncementError::Counter(10_000)));
    }
}
