//! Trust, checked on a real `kioskd` process as an operator and a stranger meet it: the shipped
//! configuration (the README's development PINs) is refused without `--dev`; a rating device
//! enrolled from the command line while kioskd runs rates by number where nobody else may; an
//! edited `official` column fails `verify-ratings`; a logged-out token is dead; the anonymous
//! event stream carries no dossier code; every page carries its CSP.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use e2e::{free_port, write_test_config, Client, Kioskd};
use serde_json::json;

const EXE: &str = env!("CARGO_BIN_EXE_kioskd-e2e");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn the_shipped_configuration_is_refused_without_dev() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = repo().join("config/kiosk.toml");
    let out = Command::new(EXE)
        .arg("--config")
        .arg(&shipped)
        .arg("--data")
        .arg(dir.path())
        .arg("--listen")
        .arg(format!("127.0.0.1:{}", free_port()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for holder in ["Quầy số 01", "Quầy số 06", "the manager"] {
        assert!(err.contains(holder), "{holder}: {err}");
    }
    assert!(err.contains("--dev") && err.contains("hash-pin"), "{err}");
    assert!(!dir.path().join("kiosk.sqlite3").exists(), "nothing is started");
}

/// A raw GET, reading for a while: the head and whatever body came.
fn raw_get(port: u16, path: &str, within: Duration) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut reader = BufReader::new(stream);
    let mut text = String::new();
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => text.push_str(&line),
            Err(_) => {}
        }
    }
    text
}

#[test]
fn a_real_kioskd_keeps_ratings_and_sessions_honest() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_test_config(dir.path(), port, 50);
    let data = dir.path().join("data");
    let server = Kioskd::start(EXE, &config, &data, port);
    let base = server.base.clone();
    let c = Client::new();

    // A citizen's ticket, called and finished at counter 1.
    let (_, t) = c.post(&format!("{base}/api/v1/tickets"), None, Some(&json!({"service": "A"}))).unwrap();
    let (_, login) = c.post(&format!("{base}/api/v1/counters/1/login"), None, Some(&json!({"pin": "1111"}))).unwrap();
    let token = login["token"].as_str().unwrap().to_string();
    let (s, called) = c.post(&format!("{base}/api/v1/counters/1/call-next"), Some(&token), None).unwrap();
    assert_eq!(s, 200, "{called}");
    assert!(called["ticket"].get("id").is_none(), "{called}");
    c.post(&format!("{base}/api/v1/counters/1/finish"), Some(&token), None).unwrap();

    // By its number, from a stranger: refused. From a device enrolled on the command line
    // while kioskd runs: accepted.
    let (s, v) = c.post(&format!("{base}/api/v1/ratings"), None, Some(&json!({"ticket_number": "A001", "level": "hai_long"}))).unwrap();
    assert_eq!((s, v["error"]["code"].as_str()), (403, Some("device_not_enrolled")), "{v}");
    let out = Command::new(EXE).arg("--config").arg(&config).arg("--data").arg(&data).args(["enroll-device", "tablet 1"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let device = String::from_utf8(out.stdout).unwrap().lines().next().unwrap().trim().to_string();
    assert_eq!(device.len(), 64, "{device}");
    let (s, v) = c
        .post(&format!("{base}/api/v1/ratings"), Some(&device), Some(&json!({"ticket_number": "A001", "level": "khong_hai_long"})))
        .unwrap();
    assert_eq!(s, 201, "{v}");
    // The ticket's own id (its QR) is the citizen's proof; this one is already rated.
    let (s, _) = c.post(&format!("{base}/api/v1/ratings"), None, Some(&json!({"ticket_id": t["id"], "level": "hai_long"}))).unwrap();
    assert_eq!(s, 409);

    // Log out: the token is dead.
    let (s, _) = c.post(&format!("{base}/api/v1/counters/1/logout"), Some(&token), None).unwrap();
    assert_eq!(s, 204);
    let (s, _) = c.post(&format!("{base}/api/v1/counters/1/call-next"), Some(&token), None).unwrap();
    assert_eq!(s, 401);

    // A dossier is received; its code never reaches the anonymous stream.
    let (_, login) = c.post(&format!("{base}/api/v1/counters/2/login"), None, Some(&json!({"pin": "2222"}))).unwrap();
    let staff = login["token"].as_str().unwrap();
    let (s, d) = c
        .post(&format!("{base}/api/v1/dossiers"), Some(staff), Some(&json!({"procedure": "2.000815", "applicant_name": "Phạm Thị Lan"})))
        .unwrap();
    assert_eq!(s, 201, "{d}");
    let stream = raw_get(port, "/api/v1/events?since=0", Duration::from_secs(2));
    assert!(stream.contains("ticket_done"), "{stream}");
    assert!(!stream.contains(d["code"].as_str().unwrap()) && !stream.contains("rating_recorded"), "{stream}");
    // Every page a phone or an officer opens carries the CSP.
    for page in ["/admin".to_string(), format!("/t/{}", t["id"].as_str().unwrap()), format!("/d/{}", d["code"].as_str().unwrap())] {
        let head = raw_get(port, &page, Duration::from_millis(600)).to_lowercase();
        assert!(head.contains("content-security-policy: default-src 'self'") && head.contains("frame-ancestors 'none'"), "{page}: {head}");
    }
    drop(server);

    // Someone turns the "not satisfied" into "very satisfied" in the column the figures read.
    let verify = || Command::new(EXE).arg("--config").arg(&config).arg("--data").arg(&data).arg("verify-ratings").output().unwrap();
    assert!(verify().status.success());
    let db = rusqlite::Connection::open(data.join("kiosk.sqlite3")).unwrap();
    db.execute("UPDATE ratings SET official = 'rat_hai_long'", []).unwrap();
    let out = verify();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rating #1") && err.contains("official"), "{err}");
}
