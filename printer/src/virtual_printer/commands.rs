//! Splits an ESC/POS byte stream into commands: the subset a receipt printer needs (and that we
//! send). Anything else is reported as unknown, so tests can insist that our streams are clean.

/// One command and the bytes it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command<'a> {
    Init,
    LineFeed,
    /// A run of printable bytes in the current code page.
    Text(&'a [u8]),
    Align(u8),
    Bold(bool),
    Reverse(bool),
    /// `GS !`: width multiplier in the high nibble, height in the low, both minus one.
    Size(u8),
    CodePage(u8),
    CancelKanji,
    FeedLines(u8),
    FeedDots(u8),
    Cut,
    /// `GS v 0`: `scale` is (horizontal, vertical) dots printed per data dot, from m.
    Raster {
        scale: (u8, u8),
        bytes_per_row: usize,
        rows: usize,
        data: &'a [u8],
    },
    /// `GS ( k` with cn = 49: function number and its parameters.
    Qr {
        function: u8,
        params: &'a [u8],
    },
    StatusQuery(u8),
    Unknown(u8),
}

/// The next command at the start of `bytes` and its length, or `None` if it is incomplete.
pub fn next(bytes: &[u8]) -> Option<(Command<'_>, usize)> {
    let b0 = *bytes.first()?;
    let at = |i: usize| bytes.get(i).copied();
    let cmd = match b0 {
        0x0A => (Command::LineFeed, 1),
        0x1B => match at(1)? {
            b'@' => (Command::Init, 2),
            b'a' => (Command::Align(at(2)? % 48), 3),
            b'E' => (Command::Bold(at(2)? & 1 == 1), 3),
            b't' => (Command::CodePage(at(2)?), 3),
            b'd' => (Command::FeedLines(at(2)?), 3),
            b'J' => (Command::FeedDots(at(2)?), 3),
            _ => (Command::Unknown(b0), 1),
        },
        0x1C => match at(1)? {
            b'.' => (Command::CancelKanji, 2),
            _ => (Command::Unknown(b0), 1),
        },
        0x1D => match at(1)? {
            b'!' => (Command::Size(at(2)?), 3),
            b'B' => (Command::Reverse(at(2)? & 1 == 1), 3),
            b'V' => match at(2)? {
                65 | 66 => {
                    at(3)?;
                    (Command::Cut, 4)
                }
                0 | 1 | 48 | 49 => (Command::Cut, 3),
                _ => (Command::Unknown(b0), 1),
            },
            b'v' => {
                if at(2)? != b'0' {
                    return Some((Command::Unknown(b0), 1));
                }
                let m = at(3)?;
                if !matches!(m, 0..=3 | 48..=51) {
                    return Some((Command::Unknown(b0), 1));
                }
                let scale = (1 + (m & 1), 1 + ((m >> 1) & 1));
                let header = bytes.get(4..8)?;
                let bytes_per_row = u16::from_le_bytes([header[0], header[1]]) as usize;
                let rows = u16::from_le_bytes([header[2], header[3]]) as usize;
                let data = bytes.get(8..8 + bytes_per_row * rows)?;
                (Command::Raster { scale, bytes_per_row, rows, data }, 8 + data.len())
            }
            b'(' => {
                if at(2)? != b'k' {
                    return Some((Command::Unknown(b0), 1));
                }
                let len = u16::from_le_bytes([at(3)?, at(4)?]) as usize;
                let body = bytes.get(5..5 + len)?;
                if len < 2 || body[0] != 49 {
                    return Some((Command::Unknown(b0), 1));
                }
                (Command::Qr { function: body[1], params: &body[2..] }, 5 + len)
            }
            _ => (Command::Unknown(b0), 1),
        },
        0x10 => match (at(1)?, at(2)?) {
            (0x04, n @ 1..=4) => (Command::StatusQuery(n), 3),
            _ => (Command::Unknown(b0), 1),
        },
        b if b >= 0x20 => {
            let len = bytes.iter().take_while(|b| **b >= 0x20).count();
            (Command::Text(&bytes[..len]), len)
        }
        _ => (Command::Unknown(b0), 1),
    };
    Some(cmd)
}

/// Length of the first complete job (through its cut), if the stream holds one yet.
pub fn job_length(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        let (cmd, len) = next(&bytes[i..])?;
        i += len;
        if cmd == Command::Cut {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_commands_wait_for_more_bytes() {
        assert_eq!(next(&[0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0xff]), None);
        assert!(next(&[0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0xff, 0x00]).is_some());
        assert_eq!(job_length(&[0x1b, 0x40, b'A', 0x1d, b'V', 65]), None);
        assert_eq!(job_length(&[0x1b, 0x40, b'A', 0x1d, b'V', 65, 0, 0x1b]), Some(7));
    }

    #[test]
    fn raster_data_is_not_mistaken_for_status_queries() {
        // Image bytes may contain 10 04 01; inside GS v 0 they are data.
        let stream = [0x1d, 0x76, 0x30, 0x00, 0x03, 0x00, 0x01, 0x00, 0x10, 0x04, 0x01];
        let (cmd, len) = next(&stream).unwrap();
        assert_eq!(len, stream.len());
        assert!(matches!(cmd, Command::Raster { rows: 1, bytes_per_row: 3, scale: (1, 1), .. }));
    }

    #[test]
    fn raster_density_gives_the_scale() {
        for (m, scale) in [(0, (1, 1)), (1, (2, 1)), (2, (1, 2)), (3, (2, 2)), (51, (2, 2))] {
            let band = [0x1d, 0x76, 0x30, m, 0x01, 0x00, 0x01, 0x00, 0xff];
            let (cmd, _) = next(&band).unwrap();
            assert!(matches!(cmd, Command::Raster { scale: s, .. } if s == scale), "m = {m}");
        }
        assert_eq!(next(&[0x1d, 0x76, 0x30, 7, 0x01, 0x00, 0x01, 0x00, 0xff]).unwrap().0, Command::Unknown(0x1d));
    }
}
