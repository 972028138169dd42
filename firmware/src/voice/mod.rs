//! Voice announcements of calls, fully offline: "chime — Xin mời số thứ tự A, không hai mươi
//! lăm, đến quầy số ba", said twice. `reading` knows how Vietnamese numbers are read, `bank`
//! holds the pre-rendered clips, and [`announcement`] strings them together. Whoever plays the
//! clips (the hall display page) plays one announcement after the other, never overlapping.

pub mod bank;
pub mod reading;

pub use bank::Clip;
pub use reading::{ticket_reading, NotATicketNumber};

/// What to play for one call, and the same words written for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// "Xin mời số thứ tự A, không hai mươi lăm, đến quầy số ba."
    pub text: String,
    /// Chime, then the sentence twice with a pause between.
    pub clips: Vec<Clip>,
}

/// Why a call cannot be announced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnnouncementError {
    #[error(transparent)]
    Number(#[from] NotATicketNumber),
    #[error("counter {0} cannot be read aloud: counters are numbered 1–9999")]
    Counter(u32),
}

fn clips_of<'a>(words: &'a [&'static str]) -> impl Iterator<Item = Clip> + 'a {
    // Every word `reading` produces has a clip; the bank's tests hold that true.
    words.iter().map(|w| bank::by_word(w).unwrap_or_else(|| panic!("no clip says {w:?}")))
}

/// The announcement of ticket `number` called to counter `counter`.
pub fn announcement(number: &str, counter: u32) -> Result<Announcement, AnnouncementError> {
    let ticket = ticket_reading(number)?;
    let counter_words = match u16::try_from(counter) {
        Ok(n @ 1..=reading::MAX_NUMBER) => reading::number_words(n),
        _ => return Err(AnnouncementError::Counter(counter)),
    };
    let mut sentence = vec![bank::INVITE];
    sentence.extend(clips_of(&[ticket.letter]));
    sentence.push(bank::PAUSE);
    sentence.extend(clips_of(&ticket.digits));
    sentence.push(bank::PAUSE);
    sentence.push(bank::TO_COUNTER);
    sentence.extend(clips_of(&counter_words));

    let mut clips = vec![bank::CHIME, bank::PAUSE];
    clips.extend(sentence.iter().copied());
    clips.extend([bank::PAUSE, bank::PAUSE, bank::PAUSE]);
    clips.extend(sentence);
    let text = format!("Xin mời số thứ tự {}, đến quầy số {}.", ticket.text(), counter_words.join(" "));
    Ok(Announcement { text, clips })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spoken(a: &Announcement) -> Vec<&'static str> {
        a.clips.iter().map(|c| if c.text.is_empty() { c.slug } else { c.text }).collect()
    }

    #[test]
    fn chime_then_the_sentence_twice() {
        let a = announcement("A025", 3).unwrap();
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
        let a = announcement("B105", 12).unwrap();
        assert_eq!(a.text, "Xin mời số thứ tự Bê, một trăm lẻ năm, đến quầy số mười hai.");
        assert_eq!(spoken(&a)[spoken(&a).len() - 2..], ["mười", "hai"]);
        assert_eq!(announcement("C021", 21).unwrap().text, "Xin mời số thứ tự Xê, không hai mươi mốt, đến quầy số hai mươi mốt.");
    }

    #[test]
    fn every_letter_and_number_has_its_clips() {
        for letter in 'A'..='Z' {
            assert!(announcement(&format!("{letter}001"), 1).is_ok(), "{letter}");
        }
        for n in 0..=reading::MAX_NUMBER {
            let number = format!("A{n:03}");
            let a = announcement(&number, u32::from(n).max(1)).unwrap();
            assert!(a.clips.len() > 10, "{number}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(matches!(announcement("a025", 3), Err(AnnouncementError::Number(_))));
        assert_eq!(announcement("A025", 0), Err(AnnouncementError::Counter(0)));
        assert_eq!(announcement("A025", 10_000), Err(AnnouncementError::Counter(10_000)));
    }
}
