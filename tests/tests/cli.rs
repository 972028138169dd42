//! The `kioskd` command line as an operator meets it: a bad configuration stops it with the
//! file, line and fix; `hash-pin` prints a hash the configuration accepts; SIGTERM stops it
//! cleanly even while a hall display holds an event stream open.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use e2e::{free_port, write_test_config, Kioskd};

const EXE: &str = env!("CARGO_BIN_EXE_kioskd-e2e");

#[test]
fn a_bad_configuration_refuses_to_start_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_test_config(dir.path(), free_port(), 10);
    let text = std::fs::read_to_string(&good).unwrap().replace("code = \"B\"", "code = \"b1\"");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, text).unwrap();
    let out = Command::new(EXE).arg("--config").arg(&bad).arg("--data").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = std::fs::read_to_string(&bad).unwrap().lines().position(|l| l.contains("\"b1\"")).unwrap() + 1;
    assert!(err.contains(&format!("bad.toml:{line}: service code \"b1\"")), "{err}");
    assert!(err.contains("unknown service \"B\""), "counters serving B are reported too: {err}");
    assert!(err.contains("not starting"), "{err}");
    assert!(!dir.path().join("kiosk.sqlite3").exists(), "nothing is created on a bad file");
}

#[test]
fn hash_pin_prints_what_the_configuration_accepts() {
    let out = Command::new(EXE).args(["hash-pin", "4821"]).output().unwrap();
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap();
    assert!(firmware::auth::verify_pin("4821", hash.trim()));
    let out = Command::new(EXE).args(["hash-pin", "12"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "too short a PIN is refused");
}

#[test]
fn sigterm_stops_cleanly_with_an_event_stream_open() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_test_config(dir.path(), port, 10);
    let server = Kioskd::start(EXE, &config, &dir.path().join("data"), port);

    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");

    let started = Instant::now();
    let exit = server.terminate();
    assert!(exit.success(), "{exit}");
    assert!(started.elapsed() < Duration::from_secs(5), "shutdown took {:?}", started.elapsed());
}
