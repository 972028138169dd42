//! Ratings reach the central receiver exactly once through every failure between them: the
//! receiver down, answering 500, hanging, cutting its answer, losing its answer after storing
//! the batch, answering slowly, acknowledging and then being killed — and the kiosk killed with
//! SIGKILL in the middle of a push. After recovery the receiver holds every rating once and its
//! chain verifies.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use e2e::faulty::{Fault, FaultyProxy};
use e2e::{free_port, write_test_config_with, Client, Kioskd};
use serde_json::json;

const KIOSKD: &str = env!("CARGO_BIN_EXE_kioskd-e2e");
const CENTRAL: &str = env!("CARGO_BIN_EXE_central-e2e");
const TOKEN: &str = "test-credential-7f3a";

struct Central(Child);

impl Drop for Central {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_central(db: &str, kiosk: &str, public_key: &str, port: u16) -> Central {
    let mut child = Command::new(CENTRAL)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--db", db, "--kiosk", &format!("{kiosk}:{TOKEN}:{public_key}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let listening: u16 = line.trim().rsplit(':').next().unwrap().parse().unwrap_or_else(|_| panic!("central said {line:?}"));
    assert_eq!(listening, port);
    Central(child)
}

fn pending(client: &Client, base: &str, token: &str) -> serde_json::Value {
    let (s, v) = client.get_with_token(&format!("{base}/api/v1/sync"), token).unwrap();
    assert_eq!(s, 200, "{v}");
    v
}

fn login(client: &Client, base: &str) -> String {
    let (s, v) = client.post(&format!("{base}/api/v1/counters/1/login"), None, Some(&json!({"pin": "1111"}))).unwrap();
    assert_eq!(s, 200, "{v}");
    v["token"].as_str().unwrap().to_string()
}

/// A citizen is served at counter 1 and rates the service; returns the rating's id.
fn served_and_rated(client: &Client, base: &str, token: &str, level: &str) -> String {
    let (s, t) = client.post(&format!("{base}/api/v1/tickets"), None, Some(&json!({"service": "A"}))).unwrap();
    assert_eq!(s, 201, "{t}");
    let (s, v) = client.post(&format!("{base}/api/v1/counters/1/call-next"), Some(token), None).unwrap();
    assert_eq!(s, 200, "{v}");
    let (s, v) = client.post(&format!("{base}/api/v1/counters/1/finish"), Some(token), None).unwrap();
    assert_eq!(s, 200, "{v}");
    let (s, v) = client.post(&format!("{base}/api/v1/ratings"), None, Some(&json!({"ticket_id": t["id"], "level": level}))).unwrap();
    assert_eq!(s, 201, "{v}");
    v["id"].as_str().unwrap().to_string()
}

#[test]
fn every_rating_arrives_exactly_once_through_faults_and_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The kiosk's key exists before its first start, so the province can register it.
    let key = firmware::rating::DeviceKey::load_or_create(&data.join("device.key")).unwrap();
    let central_db = format!("sqlite:{}", dir.path().join("central.sqlite3").display());
    let central_port = free_port();
    let mut central = start_central(&central_db, "TEST-K1", &key.public_hex(), central_port);
    let proxy = FaultyProxy::start(central_port);

    let port = free_port();
    let extra = format!(
        "\n[ratings]\nkiosk_id = \"TEST-K1\"\nwindow_minutes = 60\n\n[central]\nurl = \"http://127.0.0.1:{}\"\ntimeout_secs = 2\nfirst_retry_ms = 50\nmax_retry_ms = 800\n",
        proxy.port
    );
    let config = write_test_config_with(dir.path(), port, 999, &extra);
    let env = [("KIOSK_CENTRAL_TOKEN", TOKEN)];
    let mut kiosk = Kioskd::start_with_env(KIOSKD, &config, &data, port, &env);
    let base = kiosk.base.clone();
    let client = Client::new();
    let mut token = login(&client, &base);

    let levels = ["rat_hai_long", "hai_long", "khong_hai_long"];
    let mut created = Vec::new();
    for (round, fault) in
        [Fault::Down, Fault::ServerError, Fault::Hang, Fault::CutAnswer, Fault::LoseAnswer, Fault::Slow].into_iter().enumerate()
    {
        proxy.set(fault);
        for i in 0..4 {
            created.push(served_and_rated(&client, &base, &token, levels[(round + i) % 3]));
        }
        // Long enough for the kiosk to come at least once in every mode: a hung push costs its
        // 2 s timeout, then at most 0.8 s of backoff (+50 % jitter).
        std::thread::sleep(Duration::from_millis(2500));
        if fault == Fault::LoseAnswer {
            // The power goes while the kiosk is pushing.
            kiosk.kill_9();
            kiosk = Kioskd::start_with_env(KIOSKD, &config, &data, port, &env);
            token = login(&client, &base);
        }
    }
    for fault in [Fault::Down, Fault::ServerError, Fault::Hang, Fault::CutAnswer, Fault::LoseAnswer, Fault::Slow] {
        assert!(proxy.seen(fault) > 0, "the kiosk never pushed while the receiver was {fault:?}");
    }

    proxy.set(Fault::None);
    // The receiver acknowledges a batch and is killed right after; then killed again while the
    // kiosk is pushing. What it acknowledged must still be there when it comes back.
    for round in 0..2 {
        for i in 0..4 {
            created.push(served_and_rated(&client, &base, &token, levels[(round + i) % 3]));
        }
        if round == 0 {
            let deadline = Instant::now() + Duration::from_secs(30);
            while pending(&client, &base, &token)["pending"] != 0 {
                assert!(Instant::now() < deadline, "the outbox did not drain before the receiver crash");
                std::thread::sleep(Duration::from_millis(20));
            }
        } else {
            std::thread::sleep(Duration::from_millis(30));
        }
        drop(central); // SIGKILL
        central = start_central(&central_db, "TEST-K1", &key.public_hex(), central_port);
    }

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v = pending(&client, &base, &token);
        if v["pending"] == 0 {
            assert_eq!(v["last_error"], serde_json::Value::Null, "{v}");
            break;
        }
        assert!(Instant::now() < deadline, "the outbox did not drain: {v}");
        std::thread::sleep(Duration::from_millis(200));
    }

    // The receiver holds every rating once, and its chain verifies.
    let conn = rusqlite::Connection::open(dir.path().join("central.sqlite3")).unwrap();
    let stored: Vec<String> =
        conn.prepare("SELECT id FROM ratings ORDER BY seq").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(stored.len(), created.len(), "exactly once");
    assert_eq!(stored.iter().collect::<HashSet<_>>(), created.iter().collect::<HashSet<_>>());
    let out = Command::new(CENTRAL).args(["verify", "--db", &central_db]).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    drop(kiosk);
    drop(central);
}
