//! An SMS gateway on loopback for the tests of text messages (issue 19): a real HTTP server that
//! answers 200 to every request and keeps each JSON body, in order.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Start the gateway; its URL (a `[notify] url`) and what it has received so far.
pub fn recording_gateway() -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_ok() {
                kept.lock().unwrap().push(serde_json::from_slice(&body).unwrap_or(Value::Null));
            }
            let _ =
                stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        }
    });
    (url, bodies)
}

/// What `received` holds once the first body came (within `within`, else the test fails) and
/// `settle` more went by, so that a second, unwanted body would be there too.
pub fn after_first(received: &Mutex<Vec<Value>>, within: Duration, settle: Duration) -> Vec<Value> {
    let deadline = Instant::now() + within;
    while received.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "no text reached the gateway");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(settle);
    received.lock().unwrap().clone()
}
