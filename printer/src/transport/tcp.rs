//! Network printers on a raw TCP port (9100): connect, write and read each bounded by the job's
//! deadline.

use super::{ask_status, is_missing, remaining, send_all, Link, StatusReplies, Transport};
use crate::error::PrintError;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct TcpTransport {
    address: String,
    timeout_ms: u64,
}

impl TcpTransport {
    pub fn new(address: String, timeout_ms: u64) -> TcpTransport {
        TcpTransport { address, timeout_ms }
    }

    fn connect(&self, deadline: Instant) -> Result<TcpLink, PrintError> {
        let missing = |source| PrintError::DeviceMissing { device: self.address.clone(), source };
        let addrs = self.address.to_socket_addrs().map_err(missing)?;
        let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
        for addr in addrs {
            let left = remaining(deadline);
            if left.is_zero() {
                return Err(PrintError::Timeout { timeout_ms: self.timeout_ms, bytes_sent: 0 });
            }
            match TcpStream::connect_timeout(&addr, left) {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    return Ok(TcpLink { stream });
                }
                Err(e) => last = e,
            }
        }
        if is_missing(&last) {
            Err(missing(last))
        } else {
            Err(PrintError::io(format!("connecting to {}", self.address), last))
        }
    }
}

impl Transport for TcpTransport {
    fn send(&mut self, _kind: &str, bytes: &[u8], deadline: Instant) -> Result<Option<PathBuf>, PrintError> {
        let mut link = self.connect(deadline)?;
        send_all(&mut link, bytes, deadline, self.timeout_ms, &self.address)?;
        Ok(None)
    }

    fn query_status(&mut self, deadline: Instant) -> Result<StatusReplies, PrintError> {
        let mut link = self.connect(deadline)?;
        ask_status(&mut link, deadline, self.timeout_ms, &self.address)
    }
}

struct TcpLink {
    stream: TcpStream,
}

/// A socket timeout of zero means "block forever": never pass one.
fn at_least_1ms(d: Duration) -> Duration {
    d.max(Duration::from_millis(1))
}

impl Link for TcpLink {
    fn write_some(&mut self, bytes: &[u8], deadline: Instant) -> std::io::Result<usize> {
        if Instant::now() >= deadline {
            return Ok(0);
        }
        self.stream.set_write_timeout(Some(at_least_1ms(remaining(deadline))))?;
        self.stream.write(bytes)
    }

    fn read_byte(&mut self, deadline: Instant) -> std::io::Result<Option<u8>> {
        if Instant::now() >= deadline {
            return Ok(None);
        }
        self.stream.set_read_timeout(Some(at_least_1ms(remaining(deadline))))?;
        let mut b = [0u8];
        match self.stream.read(&mut b)? {
            1 => Ok(Some(b[0])),
            _ => Ok(None),
        }
    }

    fn drain(&mut self) {
        if self.stream.set_nonblocking(true).is_ok() {
            let mut buf = [0u8; 64];
            while matches!(self.stream.read(&mut buf), Ok(n) if n > 0) {}
            let _ = self.stream.set_nonblocking(false);
        }
    }
}
