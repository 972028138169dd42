//! How bytes reach a printer. Every transport opens its device per job (an unplugged printer at
//! start-up is not an error), and every write and read has a deadline: a printer that is out of
//! paper or hung makes a job fail with a timeout, never hangs the caller.

mod file;
mod serial;
mod tcp;
mod usb;
mod virtual_link;

use crate::error::PrintError;
use crate::status::StatusQuery;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use file::FileTransport;
pub use serial::SerialTransport;
pub use tcp::TcpTransport;
pub use usb::UsbTransport;
pub use virtual_link::VirtualTransport;

/// How long one status query waits for its reply byte (within the job's deadline).
pub const STATUS_REPLY_WAIT: Duration = Duration::from_millis(300);

/// The replies to `DLE EOT 1..4`; `None` where the printer said nothing.
pub type StatusReplies = [Option<u8>; 4];

/// A way to send jobs to a printer and ask it for its status.
pub trait Transport: Send {
    /// Sends a whole job before `deadline`; returns where it was saved, if it was.
    fn send(&mut self, kind: &str, bytes: &[u8], deadline: Instant) -> Result<Option<PathBuf>, PrintError>;

    /// Asks `DLE EOT 1..4` before `deadline`.
    fn query_status(&mut self, deadline: Instant) -> Result<StatusReplies, PrintError>;
}

/// A bidirectional byte link with deadlines, shared by the device-file, serial and TCP transports.
trait Link {
    /// Writes some of `bytes` before `deadline`; `Ok(0)` means the deadline passed.
    fn write_some(&mut self, bytes: &[u8], deadline: Instant) -> std::io::Result<usize>;
    /// Reads one byte before `deadline`.
    fn read_byte(&mut self, deadline: Instant) -> std::io::Result<Option<u8>>;
    /// Discards stale input (a late reply to an earlier query).
    fn drain(&mut self);
}

/// Sends all of `bytes`, or fails with `Timeout` at the deadline.
fn send_all(link: &mut dyn Link, bytes: &[u8], deadline: Instant, timeout_ms: u64, what: &str) -> Result<(), PrintError> {
    let mut sent = 0;
    while sent < bytes.len() {
        if Instant::now() >= deadline {
            return Err(PrintError::Timeout { timeout_ms, bytes_sent: sent });
        }
        let end = (sent + 4096).min(bytes.len());
        match link.write_some(&bytes[sent..end], deadline) {
            Ok(0) => return Err(PrintError::Timeout { timeout_ms, bytes_sent: sent }),
            Ok(n) => sent += n,
            Err(e) if is_timeout(&e) => return Err(PrintError::Timeout { timeout_ms, bytes_sent: sent }),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(PrintError::io(format!("writing to {what}"), e)),
        }
    }
    Ok(())
}

/// Asks the four status queries; stops early when the printer does not answer the first.
fn ask_status(link: &mut dyn Link, deadline: Instant, timeout_ms: u64, what: &str) -> Result<StatusReplies, PrintError> {
    link.drain();
    let mut replies = [None; 4];
    for (i, query) in StatusQuery::ALL.into_iter().enumerate() {
        send_all(link, &query.request(), deadline, timeout_ms, what)?;
        let wait = deadline.min(Instant::now() + STATUS_REPLY_WAIT);
        replies[i] = match link.read_byte(wait) {
            Ok(b) => b,
            Err(e) if is_timeout(&e) => None,
            Err(e) => return Err(PrintError::io(format!("reading status from {what}"), e)),
        };
        if replies[i].is_none() {
            break;
        }
    }
    Ok(replies)
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
}

/// Whether an open error means "no such device" rather than a fault to report as I/O.
fn is_missing(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused | ErrorKind::TimedOut | ErrorKind::HostUnreachable)
        || matches!(e.raw_os_error(), Some(libc::ENODEV) | Some(libc::ENXIO) | Some(libc::EHOSTUNREACH))
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}
