//! The kernel's USB printer device (`/dev/usb/lp*`, usblp). usblp blocks a write forever while
//! the printer is out of paper, so the file is opened non-blocking and every write and read waits
//! with `poll` until the job's deadline.

use super::{ask_status, is_missing, send_all, Link, StatusReplies, Transport};
use crate::error::PrintError;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::PathBuf;
use std::time::Instant;

pub struct UsbTransport {
    path: PathBuf,
    timeout_ms: u64,
}

impl UsbTransport {
    pub fn new(path: PathBuf, timeout_ms: u64) -> UsbTransport {
        UsbTransport { path, timeout_ms }
    }

    fn open(&self) -> Result<DeviceFile, PrintError> {
        let file = OpenOptions::new().read(true).write(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(&self.path).map_err(
            |source| {
                let device = self.path.display().to_string();
                if is_missing(&source) {
                    PrintError::DeviceMissing { device, source }
                } else {
                    PrintError::io(format!("opening {device}"), source)
                }
            },
        )?;
        Ok(DeviceFile { file })
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }
}

impl Transport for UsbTransport {
    fn send(&mut self, _kind: &str, bytes: &[u8], deadline: Instant) -> Result<Option<PathBuf>, PrintError> {
        let mut dev = self.open()?;
        send_all(&mut dev, bytes, deadline, self.timeout_ms, &self.name())?;
        Ok(None)
    }

    fn query_status(&mut self, deadline: Instant) -> Result<StatusReplies, PrintError> {
        let mut dev = self.open()?;
        ask_status(&mut dev, deadline, self.timeout_ms, &self.name())
    }
}

/// A non-blocking device file.
struct DeviceFile {
    file: File,
}

impl DeviceFile {
    /// Waits until the file is ready for `events` or the deadline passes.
    fn wait(&self, events: libc::c_short, deadline: Instant) -> std::io::Result<bool> {
        let ms = super::remaining(deadline).as_millis().min(i32::MAX as u128) as i32;
        let mut fd = libc::pollfd { fd: self.file.as_raw_fd(), events, revents: 0 };
        // SAFETY: one valid pollfd for the duration of the call.
        let r = unsafe { libc::poll(&mut fd, 1, ms) };
        if r < 0 {
            let e = std::io::Error::last_os_error();
            return if e.kind() == ErrorKind::Interrupted { Ok(false) } else { Err(e) };
        }
        Ok(r > 0)
    }
}

impl Link for DeviceFile {
    fn write_some(&mut self, bytes: &[u8], deadline: Instant) -> std::io::Result<usize> {
        loop {
            match self.file.write(bytes) {
                Ok(n) => return Ok(n),
                // usblp refuses data while the printer is out of paper: wait, but not past the deadline.
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Ok(0);
                    }
                    self.wait(libc::POLLOUT, deadline)?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn read_byte(&mut self, deadline: Instant) -> std::io::Result<Option<u8>> {
        let mut b = [0u8];
        loop {
            match self.file.read(&mut b) {
                Ok(1) => return Ok(Some(b[0])),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                // usblp on a one-way interface refuses reads: treat as "no answer".
                Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::EIO)) => return Ok(None),
                Err(e) => return Err(e),
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            if !self.wait(libc::POLLIN, deadline)? {
                return Ok(None);
            }
        }
    }

    fn drain(&mut self) {
        let mut buf = [0u8; 64];
        while matches!(self.file.read(&mut buf), Ok(n) if n > 0) {}
    }
}
