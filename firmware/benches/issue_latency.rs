//! Durable issue latency: `Service::issue` on a real SQLite file (WAL, synchronous=FULL), each
//! ticket committed before it is acknowledged, as the HTTP route does it. Prints p50/p99/max and
//! throughput, sequential and with 20 concurrent callers.
//!
//! Run: `cargo bench -p firmware --bench issue_latency` (the database goes under `target/`, on
//! the same disk as the project, not on a tmpfs).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use firmware::clock::ManualClock;
use firmware::{Config, Service};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<Duration>, wall: Duration) {
    samples.sort();
    let n = samples.len();
    println!(
        "{label:<34} n={n:>5}  p50={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms  throughput={:>7.0} tickets/s",
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples[n - 1].as_secs_f64() * 1e3,
        n as f64 / wall.as_secs_f64()
    );
}

async fn fresh_service(dir: &Path) -> Service {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    let _ = std::fs::remove_dir_all(dir);
    config.data_dir = dir.to_path_buf();
    for s in &mut config.services {
        s.daily_cap = 999;
    }
    // Monday 09:00 in Hà Nội: every service dispenses.
    let at = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    firmware::server::start(config, Arc::new(ManualClock::new(at))).await.unwrap()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-issue");
    rt.block_on(async {
        // Sequential: one kiosk taking numbers back to back.
        let service = fresh_service(&dir).await;
        for _ in 0..50 {
            service.issue("B", None).await.unwrap(); // warm-up
        }
        let services = ["A", "C", "D", "E", "F"];
        let mut samples = Vec::new();
        let start = Instant::now();
        for i in 0..(5 * 900) {
            let t = Instant::now();
            service.issue(services[i % 5], None).await.unwrap();
            samples.push(t.elapsed());
        }
        report("sequential durable issue", samples, start.elapsed());
        drop(service);

        // Concurrent: 20 callers at once (kiosks, phones, a second kiosk).
        let service = fresh_service(&dir).await;
        let start = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let s = service.clone();
                tokio::spawn(async move {
                    let code = ["A", "B", "C", "D", "E", "F"][i % 6];
                    let mut out = Vec::new();
                    for _ in 0..100 {
                        let t = Instant::now();
                        s.issue(code, None).await.unwrap();
                        out.push(t.elapsed());
                    }
                    out
                })
            })
            .collect();
        let mut samples = Vec::new();
        for t in tasks {
            samples.extend(t.await.unwrap());
        }
        report("20 concurrent callers", samples, start.elapsed());
    });
    let _ = std::fs::remove_dir_all(&dir);
}
