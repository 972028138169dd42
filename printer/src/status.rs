//! Real-time status (`DLE EOT n`, n = 1..4) parsed into a typed status. Each reply byte has the
//! fixed pattern `0xx1xx10`; a byte that does not is treated as no answer, not as a fault.

use serde::Serialize;

/// What staff and the queue service need to know about the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrinterState {
    Ready,
    /// Prints, but the roll will run out soon: warn staff.
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    /// Offline for another reason (error, feed button held, device unplugged).
    Offline,
    /// The printer did not answer (one-way link, file output, or too slow).
    Unknown,
}

impl PrinterState {
    /// Whether a job may be sent. `Unknown` may: one-way printers never answer.
    pub fn accepts_jobs(self) -> bool {
        matches!(self, PrinterState::Ready | PrinterState::PaperNearEnd | PrinterState::Unknown)
    }
}

/// The four real-time status requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusQuery {
    Printer = 1,
    OfflineCause = 2,
    ErrorCause = 3,
    RollPaper = 4,
}

impl StatusQuery {
    pub const ALL: [StatusQuery; 4] = [StatusQuery::Printer, StatusQuery::OfflineCause, StatusQuery::ErrorCause, StatusQuery::RollPaper];

    /// `DLE EOT n`: three bytes. (The escpos crate appends a stray NUL, so we send our own.)
    pub fn request(self) -> [u8; 3] {
        [0x10, 0x04, self as u8]
    }

    pub fn from_n(n: u8) -> Option<StatusQuery> {
        StatusQuery::ALL.into_iter().find(|q| *q as u8 == n)
    }
}

/// A reply byte is valid when bits 1 and 4 are set and bits 0 and 7 are clear.
pub fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

/// The flags decoded from the four replies; `None` where a query went unanswered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrinterStatus {
    pub answered: bool,
    pub offline: bool,
    pub cover_open: bool,
    pub paper_out: bool,
    pub paper_near_end: bool,
    pub error: bool,
}

impl PrinterStatus {
    /// Decodes the replies to `DLE EOT 1..4`, in that order.
    pub fn from_replies(replies: [Option<u8>; 4]) -> PrinterStatus {
        let [printer, offline, error, paper] = replies.map(|r| r.filter(|b| is_status_byte(*b)));
        let bit = |b: Option<u8>, mask: u8| b.is_some_and(|b| b & mask != 0);
        PrinterStatus {
            answered: replies.iter().any(|r| r.is_some_and(is_status_byte)),
            offline: bit(printer, 0x08),
            cover_open: bit(offline, 0x04),
            paper_out: bit(offline, 0x20) || bit(paper, 0x60),
            paper_near_end: bit(paper, 0x0C),
            error: bit(offline, 0x40) || bit(error, 0x68),
        }
    }

    /// The most urgent condition wins: cover, paper, other offline causes, then near end.
    pub fn state(&self) -> PrinterState {
        if !self.answered {
            PrinterState::Unknown
        } else if self.cover_open {
            PrinterState::CoverOpen
        } else if self.paper_out {
            PrinterState::PaperOut
        } else if self.offline || self.error {
            PrinterState::Offline
        } else if self.paper_near_end {
            PrinterState::PaperNearEnd
        } else {
            PrinterState::Ready
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_printer_is_ready() {
        let s = PrinterStatus::from_replies([Some(0x12); 4]);
        assert_eq!(s.state(), PrinterState::Ready);
    }

    #[test]
    fn replies_measured_on_an_emulator_decode() {
        // escpos-notes §4.1: paper out n1 0x1A, n2 0x32, n4 0x7E; cover open n1 0x1A n2 0x16.
        let paper_out = PrinterStatus::from_replies([Some(0x1A), Some(0x32), Some(0x12), Some(0x7E)]);
        assert!(paper_out.offline && paper_out.paper_out);
        assert_eq!(paper_out.state(), PrinterState::PaperOut);
        let cover = PrinterStatus::from_replies([Some(0x1A), Some(0x16), Some(0x12), Some(0x12)]);
        assert_eq!(cover.state(), PrinterState::CoverOpen);
        let near = PrinterStatus::from_replies([Some(0x12), Some(0x12), Some(0x12), Some(0x1E)]);
        assert_eq!(near.state(), PrinterState::PaperNearEnd);
        let offline = PrinterStatus::from_replies([Some(0x1A), Some(0x12), Some(0x12), Some(0x12)]);
        assert_eq!(offline.state(), PrinterState::Offline);
    }

    #[test]
    fn silence_or_garbage_is_unknown_not_a_fault() {
        assert_eq!(PrinterStatus::from_replies([None; 4]).state(), PrinterState::Unknown);
        // 0xFF breaks the fixed bits: it is not a status byte, so it must not read as "paper out".
        assert_eq!(PrinterStatus::from_replies([Some(0xFF); 4]).state(), PrinterState::Unknown);
    }

    #[test]
    fn requests_are_three_bytes_without_the_crates_stray_nul() {
        assert_eq!(StatusQuery::RollPaper.request(), [0x10, 0x04, 0x04]);
        assert_eq!(StatusQuery::from_n(2), Some(StatusQuery::OfflineCause));
        assert_eq!(StatusQuery::from_n(9), None);
    }
}
