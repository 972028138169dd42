//! A backup taken while citizens keep taking numbers restores to a database that opens and holds
//! every ticket acknowledged before the backup began; a restore refuses to run under a live kioskd.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use e2e::workers::paced_citizen;
use e2e::{free_port, write_test_config, Client, Kioskd};

const EXE: &str = env!("CARGO_BIN_EXE_kioskd-e2e");

#[test]
fn a_backup_under_load_restores_every_acknowledged_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_test_config(dir.path(), port, 999);
    let data = dir.path().join("data");
    let server = Kioskd::start(EXE, &config, &data, port);

    let stop = Arc::new(AtomicBool::new(false));
    let issued = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (b, s, o) = (server.base.clone(), stop.clone(), issued.clone());
            std::thread::spawn(move || paced_citizen(b, vec!["A", "B", "C"], s, 100_000, Duration::from_millis(5), o))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let before: Vec<_> = issued.lock().unwrap().clone();
    let backup = dir.path().join("kiosk-backup.sqlite3");
    let out = Command::new(EXE)
        .args(["--config", config.to_str().unwrap(), "--data", data.to_str().unwrap(), "backup"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    assert!(before.len() > 20, "load before the backup: {}", before.len());
    assert!(issued.lock().unwrap().len() > before.len(), "tickets kept coming during the backup");

    // Restoring over a running kioskd is refused.
    let out = Command::new(EXE)
        .args(["--config", config.to_str().unwrap(), "--data", data.to_str().unwrap(), "restore"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("stop it first"), "{}", String::from_utf8_lossy(&out.stderr));
    drop(server);

    // Restore into a fresh data directory and start there.
    let fresh = dir.path().join("fresh");
    let out = Command::new(EXE)
        .args(["--config", config.to_str().unwrap(), "--data", fresh.to_str().unwrap(), "restore"])
        .arg(&backup)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let port = free_port();
    let server = Kioskd::start(EXE, &config, &fresh, port);
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    for t in &before {
        let (status, v) = client.get(&format!("{base}/api/v1/tickets/{}", t.id)).unwrap();
        assert_eq!(status, 200, "ticket {} acknowledged before the backup is missing", t.number);
        assert_eq!(v["number"], t.number.as_str());
    }
    drop(server);
}
