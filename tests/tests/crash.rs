//! Power-cut test: citizens take numbers and counters call them over HTTP while `kioskd` is
//! killed with SIGKILL several times and restarted on the same database. Afterwards every
//! acknowledged ticket exists with its number, no number was issued twice for a service and
//! day, and no ticket was called by two counters.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use e2e::workers::{called_twice, check_database, duplicate_numbers, officer, paced_citizen};
use e2e::{free_port, write_test_config, Client, Kioskd};

const EXE: &str = env!("CARGO_BIN_EXE_kioskd-e2e");

#[test]
fn acknowledged_tickets_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_test_config(dir.path(), port, 999);
    let data = dir.path().join("data");
    let mut server = Kioskd::start(EXE, &config, &data, port);
    let base = server.base.clone();

    let stop = Arc::new(AtomicBool::new(false));
    let issued = Arc::new(Mutex::new(Vec::new()));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut threads = Vec::new();
    for i in 0..4 {
        let services = [vec!["A", "B"], vec!["B", "C"], vec!["C", "A"], vec!["A"]][i].clone();
        let (b, s, o) = (base.clone(), stop.clone(), issued.clone());
        // 4 citizens at ~50 tickets/s each at most: well under 999 per service over the test.
        threads.push(std::thread::spawn(move || paced_citizen(b, services, s, 700, Duration::from_millis(20), o)));
    }
    for n in 1..=3 {
        let (b, s, c) = (base.clone(), stop.clone(), calls.clone());
        threads.push(std::thread::spawn(move || officer(b, n, s, false, c)));
    }

    let mut before = 0;
    for round in 0..5 {
        std::thread::sleep(Duration::from_millis(400 + 150 * round));
        server.kill_9();
        let now = issued.lock().unwrap().len();
        assert!(now > before, "round {round}: no ticket was acknowledged between two crashes");
        before = now;
        server = Kioskd::start(EXE, &config, &data, port);
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }

    let issued = issued.lock().unwrap().clone();
    let calls = calls.lock().unwrap().clone();
    assert!(issued.len() > 50, "too few tickets to mean anything: {}", issued.len());
    assert!(!calls.is_empty());

    let client = Client::new();
    for t in &issued {
        let (status, v) = client.get(&format!("{base}/api/v1/tickets/{}", t.id)).unwrap();
        assert_eq!(status, 200, "acknowledged ticket {} ({}) is gone after the crashes", t.number, t.id);
        assert_eq!(v["number"], t.number.as_str());
        assert!(t.number.starts_with(&t.service));
    }
    assert!(duplicate_numbers(&issued).is_empty(), "numbers issued twice: {:?}", duplicate_numbers(&issued));
    assert!(called_twice(&calls).is_empty(), "tickets called twice: {:?}", called_twice(&calls));

    let status = server.terminate();
    assert!(status.success(), "kioskd did not stop cleanly on SIGTERM: {status}");
    let db = check_database(&data.join("kiosk.sqlite3"));
    assert_eq!(db["duplicate_numbers"], 0, "{db}");
    assert_eq!(db["numbering_gaps"], 0, "{db}");
    assert_eq!(db["called_twice"], 0, "{db}");
    assert!(db["tickets"].as_i64().unwrap() >= issued.len() as i64, "{db}");
    eprintln!("crash test: {} acknowledged tickets, {} calls, 5 kills; database {db}", issued.len(), calls.len());
}
