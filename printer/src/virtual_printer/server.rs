//! The virtual printer on the other end of a real link (a TCP socket or a pseudo-terminal), so
//! the USB, serial and TCP transports are tested against something that answers like a printer:
//! status queries between jobs, jobs split at their cut, slow reading, a roll that runs out.

use super::commands::job_length;
use super::{Faults, VirtualPrinter};
use crate::status::StatusQuery;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A running server; stops when dropped.
pub struct Server {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl VirtualPrinter {
    /// Serves TCP connections (like port 9100) one after another.
    pub fn serve_tcp(&self, listener: TcpListener) -> std::io::Result<Server> {
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (printer, flag) = (self.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = stream.set_nonblocking(false);
                        let _ = stream.set_read_timeout(Some(Duration::from_millis(20)));
                        serve_link(&printer, stream, &flag);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Ok(Server { stop, thread: Some(thread) })
    }

    /// Serves one bidirectional link, e.g. the master side of a pseudo-terminal whose slave
    /// path a transport opens as if it were `/dev/usb/lp0` or `/dev/ttyUSB0`.
    pub fn serve_stream<L: Read + Write + Send + 'static>(&self, link: L) -> Server {
        let stop = Arc::new(AtomicBool::new(false));
        let (printer, flag) = (self.clone(), stop.clone());
        let thread = std::thread::spawn(move || serve_link(&printer, link, &flag));
        Server { stop, thread: Some(thread) }
    }
}

fn serve_link<L: Read + Write>(printer: &VirtualPrinter, mut link: L, stop: &AtomicBool) {
    let mut pending: Vec<u8> = vec![];
    let mut buf = [0u8; 1024];
    while !stop.load(Ordering::SeqCst) {
        let faults = printer.faults();
        if faults.paper_out && !pending.is_empty() {
            // Out of paper mid-job: stop taking data, as a printer's full buffer does.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        }
        let n = match link.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted) => continue,
            Err(_) => return,
        };
        pending.extend_from_slice(&buf[..n]);
        if let Some(rate) = faults.bytes_per_second {
            std::thread::sleep(Duration::from_secs_f64(n as f64 / rate.max(1) as f64));
        }
        if let Some(left) = faults.paper_runs_out_after {
            let used = n.min(left);
            let runs_out = n >= left && pending.len() > 3;
            printer.set_faults(Faults {
                paper_runs_out_after: if runs_out { None } else { Some(left - used) },
                paper_out: runs_out || faults.paper_out,
                ..faults.clone()
            });
        }
        loop {
            if pending.len() >= 3 && pending[0] == 0x10 && pending[1] == 0x04 {
                if let Some(reply) = StatusQuery::from_n(pending[2]).and_then(|q| printer.status_reply(q)) {
                    let _ = link.write_all(&[reply]).and_then(|_| link.flush());
                }
                pending.drain(..3);
                continue;
            }
            match job_length(&pending) {
                Some(len) => {
                    let _ = printer.save_job("job", &pending[..len]);
                    pending.drain(..len);
                }
                None => break,
            }
        }
    }
}
