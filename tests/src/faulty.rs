//! A proxy that misbehaves on purpose between a kiosk and the central receiver: it can be down,
//! answer 500, hang, cut the answer in the middle, lose the answer after the receiver stored the
//! batch, or answer slowly — the failures a province's network and servers really produce.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Fault {
    /// Forward faithfully.
    None = 0,
    /// Close every connection at once, as a crashed server.
    Down = 1,
    /// Answer 500 without forwarding.
    ServerError = 2,
    /// Read the request and never answer.
    Hang = 3,
    /// Forward, then send only the start of the answer and close.
    CutAnswer = 4,
    /// Forward (the receiver stores the batch), then close without answering.
    LoseAnswer = 5,
    /// Forward and answer after a delay shorter than the kiosk's timeout.
    Slow = 6,
}

/// A counter for each fault mode, indexed by `Fault as usize`.
type Visits = Arc<[AtomicUsize; Fault::Slow as usize + 1]>;

/// A request that reached the proxy: its request line (`POST /api/v1/push/heartbeat HTTP/1.1`)
/// and its body.
#[derive(Debug, Clone)]
pub struct Request {
    pub line: String,
    pub body: Vec<u8>,
}

type Log = Arc<Mutex<Vec<Request>>>;

pub struct FaultyProxy {
    pub port: u16,
    fault: Arc<AtomicU8>,
    /// Connections seen in each fault mode, whatever became of them.
    seen: Visits,
    /// Every request read, whatever the fault.
    log: Log,
}

impl FaultyProxy {
    pub fn start(upstream_port: u16) -> FaultyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let fault = Arc::new(AtomicU8::new(Fault::None as u8));
        let seen: Visits = Arc::new(Default::default());
        let log: Log = Arc::default();
        let (f, r, l) = (fault.clone(), seen.clone(), log.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (f, r, l) = (f.clone(), r.clone(), l.clone());
                std::thread::spawn(move || handle(conn, upstream_port, f, r, l));
            }
        });
        FaultyProxy { port, fault, seen, log }
    }

    /// Every request read so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    /// How many times the kiosk came while `fault` was on.
    pub fn seen(&self, fault: Fault) -> usize {
        self.seen[fault as usize].load(Ordering::SeqCst)
    }

    pub fn set(&self, fault: Fault) {
        self.fault.store(fault as u8, Ordering::SeqCst);
    }
}

fn read_request(conn: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len: usize =
                head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))).unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = conn.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            // One request per connection: ask the receiver to close after answering.
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let kept: Vec<&str> = head.lines().filter(|l| !l.to_lowercase().starts_with("connection:")).collect();
            let mut out = kept.join("\r\n").into_bytes();
            out.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
            out.extend_from_slice(&buf[end + 4..]);
            return Some(out);
        }
    }
}

fn forward(request: &[u8], upstream_port: u16) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(("127.0.0.1", upstream_port)).ok()?;
    up.write_all(request).ok()?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer).ok()?;
    Some(answer)
}

fn handle(mut conn: TcpStream, upstream_port: u16, fault: Arc<AtomicU8>, seen: Visits, log: Log) {
    let mode = fault.load(Ordering::SeqCst);
    seen[mode as usize].fetch_add(1, Ordering::SeqCst);
    if mode == Fault::Down as u8 {
        return;
    }
    let Some(request) = read_request(&mut conn) else { return };
    if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
        let line = String::from_utf8_lossy(&request[..end]).lines().next().unwrap_or_default().to_string();
        log.lock().unwrap().push(Request { line, body: request[end + 4..].to_vec() });
    }
    match mode {
        m if m == Fault::ServerError as u8 => {
            let _ = conn.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops\n");
        }
        m if m == Fault::Hang as u8 => std::thread::sleep(Duration::from_secs(30)),
        m if m == Fault::CutAnswer as u8 => {
            if let Some(answer) = forward(&request, upstream_port) {
                let _ = conn.write_all(&answer[..answer.len().min(40)]);
            }
        }
        m if m == Fault::LoseAnswer as u8 => {
            let _ = forward(&request, upstream_port);
        }
        m => {
            if m == Fault::Slow as u8 {
                std::thread::sleep(Duration::from_millis(700));
            }
            if let Some(answer) = forward(&request, upstream_port) {
                let _ = conn.write_all(&answer);
            }
        }
    }
}
