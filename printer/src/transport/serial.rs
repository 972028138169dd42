//! RS-232 and USB-serial printers (`/dev/ttyUSB0`), through the `serialport` crate (built without
//! libudev) in raw 8N1 at the configured baud rate. Mind the size of raster jobs on slow links.

use super::{ask_status, is_missing, remaining, send_all, Link, StatusReplies, Transport};
use crate::error::PrintError;
use serialport::{ClearBuffer, SerialPort};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct SerialTransport {
    path: String,
    baud: u32,
    timeout_ms: u64,
}

impl SerialTransport {
    pub fn new(path: String, baud: u32, timeout_ms: u64) -> SerialTransport {
        SerialTransport { path, baud, timeout_ms }
    }

    fn open(&self) -> Result<SerialLink, PrintError> {
        let port = serialport::new(&self.path, self.baud).timeout(Duration::from_millis(50)).open().map_err(|e| {
            let source = std::io::Error::from(e);
            if is_missing(&source) {
                PrintError::DeviceMissing { device: self.path.clone(), source }
            } else {
                PrintError::io(format!("opening {}", self.path), source)
            }
        })?;
        Ok(SerialLink { port })
    }
}

impl Transport for SerialTransport {
    fn send(&mut self, _kind: &str, bytes: &[u8], deadline: Instant) -> Result<Option<PathBuf>, PrintError> {
        let mut link = self.open()?;
        send_all(&mut link, bytes, deadline, self.timeout_ms, &self.path)?;
        // Closing a tty may discard what is still queued: wait for it to drain, within the deadline.
        while link.port.bytes_to_write().unwrap_or(0) > 0 {
            if Instant::now() >= deadline {
                return Err(PrintError::Timeout { timeout_ms: self.timeout_ms, bytes_sent: bytes.len() });
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(None)
    }

    fn query_status(&mut self, deadline: Instant) -> Result<StatusReplies, PrintError> {
        let mut link = self.open()?;
        ask_status(&mut link, deadline, self.timeout_ms, &self.path)
    }
}

struct SerialLink {
    port: Box<dyn SerialPort>,
}

impl Link for SerialLink {
    fn write_some(&mut self, bytes: &[u8], deadline: Instant) -> std::io::Result<usize> {
        if Instant::now() >= deadline {
            return Ok(0);
        }
        self.port.set_timeout(remaining(deadline).max(Duration::from_millis(1)))?;
        self.port.write(bytes)
    }

    fn read_byte(&mut self, deadline: Instant) -> std::io::Result<Option<u8>> {
        if Instant::now() >= deadline {
            return Ok(None);
        }
        self.port.set_timeout(remaining(deadline).max(Duration::from_millis(1)))?;
        let mut b = [0u8];
        match self.port.read(&mut b)? {
            1 => Ok(Some(b[0])),
            _ => Ok(None),
        }
    }

    fn drain(&mut self) {
        let _ = self.port.clear(ClearBuffer::Input);
    }
}
