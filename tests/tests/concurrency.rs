//! Twenty citizens take numbers while six counters call at the same time: no number twice, no
//! ticket lost, no ticket called twice, and every ticket is called exactly once in the end.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use e2e::workers::{called_twice, check_database, citizen, duplicate_numbers, officer};
use e2e::{free_port, write_test_config, Client, Kioskd};

const EXE: &str = env!("CARGO_BIN_EXE_kioskd-e2e");

#[test]
fn twenty_clients_and_six_counters() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_test_config(dir.path(), port, 999);
    let data = dir.path().join("data");
    let server = Kioskd::start(EXE, &config, &data, port);
    let base = server.base.clone();

    let stop = Arc::new(AtomicBool::new(false));
    let issued = Arc::new(Mutex::new(Vec::new()));
    let calls = Arc::new(Mutex::new(Vec::new()));
    let citizens: Vec<_> = (0..20)
        .map(|i| {
            let services = [vec!["A"], vec!["B"], vec!["C"], vec!["A", "B", "C"]][i % 4].clone();
            let (b, s, o) = (base.clone(), stop.clone(), issued.clone());
            std::thread::spawn(move || citizen(b, services, s, 30, o))
        })
        .collect();
    let officers: Vec<_> = (1..=6)
        .map(|n| {
            let (b, s, c) = (base.clone(), stop.clone(), calls.clone());
            std::thread::spawn(move || officer(b, n, s, true, c))
        })
        .collect();
    for t in citizens {
        t.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed); // officers drain the queues, then stop
    for t in officers {
        t.join().unwrap();
    }

    let issued = issued.lock().unwrap().clone();
    let calls = calls.lock().unwrap().clone();
    assert_eq!(issued.len(), 600, "every request was acknowledged");
    assert!(duplicate_numbers(&issued).is_empty(), "numbers issued twice: {:?}", duplicate_numbers(&issued));
    assert!(called_twice(&calls).is_empty(), "tickets called twice: {:?}", called_twice(&calls));
    let issued_ids: HashSet<_> = issued.iter().map(|t| t.key()).collect();
    let called_ids: HashSet<_> = calls.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(issued_ids, called_ids, "every ticket is called exactly once, none invented");
    for per_service in ["A", "B", "C"] {
        let mut numbers: Vec<_> = issued.iter().filter(|t| t.service == per_service).map(|t| t.number.clone()).collect();
        numbers.sort();
        let expected: Vec<_> = (1..=numbers.len()).map(|i| format!("{per_service}{i:03}")).collect();
        assert_eq!(numbers, expected, "service {per_service} numbered without gaps");
    }
    let (_, q) = Client::new().get(&format!("{base}/api/v1/queue")).unwrap();
    assert!(q["services"].as_array().unwrap().iter().all(|s| s["waiting"] == 0), "{q}");
    // each counter called only services it serves (A: 1,2,5,6; B: 2,3,6; C: 4,5,6)
    let number_of: std::collections::HashMap<_, _> = issued.iter().map(|t| (t.key(), t.service.clone())).collect();
    for (id, counter) in &calls {
        let s = &number_of[id];
        let serves = match counter {
            1 => "A",
            2 => "AB",
            3 => "B",
            4 => "C",
            5 => "CA",
            _ => "ABC",
        };
        assert!(serves.contains(s.as_str()), "counter {counter} called a {s} ticket");
    }
    drop(server);
    let db = check_database(&data.join("kiosk.sqlite3"));
    assert_eq!(db["tickets"], 600, "{db}");
    assert_eq!(db["duplicate_numbers"], 0, "{db}");
    assert_eq!(db["called_twice"], 0, "{db}");
}
