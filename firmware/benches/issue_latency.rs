//! Durable issue latency: `Service::issue` on a real SQLite file (WAL, synchronous=FULL), each
//! ticket committed before it is acknowledged, as the HTTP route does it. Prints p50/p99/max and
//! throughput, sequential and with 20 concurrent callers.
//!
//! Then, in the same run, the floor and the whole path side by side (issue 20), twice: the raw
//! SQLite floor (one row per transaction, WAL, `synchronous=FULL`, the same disk) and tickets
//! through `POST /api/v1/tickets` over loopback HTTP (a real server, keep-alive, no printer) —
//! from one client after another, then from 2, 4, 8 and 32 clients at once (each a blocking ureq
//! agent on a thread of its own, keep-alive) — and each rate's ratio to the round's floor.
//!
//! Run: `cargo bench -p firmware --bench issue_latency` (the database goes under `target/`, on
//! the same disk as the project, not on a tmpfs).
//!
//! Profiling: with `ISSUE_LATENCY_PROFILE=N` in the environment the binary only serves and
//! issues N tickets through HTTP from one client (after the 50 of the warm-up) and exits — for
//! `valgrind --tool=callgrind` (docs/PERFORMANCE.md): the instructions of two runs with
//! different N, subtracted, are the cost of a ticket, whatever the start-up costs. Add
//! `ISSUE_LATENCY_VIRTUAL_PRINTER=1` to print each ticket on the shipped configuration's virtual
//! printer (its files under `target/bench-issue/profile/receipts`) as a development kiosk does.

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

/// Durable commits a second on a bare SQLite file: one row per transaction, WAL, FULL.
fn raw_floor(dir: &Path, n: usize) -> Vec<Duration> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let conn = rusqlite::Connection::open(dir.join("floor.sqlite")).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, number TEXT NOT NULL, at INTEGER NOT NULL)").unwrap();
    let mut insert = conn.prepare("INSERT INTO t (number, at) VALUES (?1, ?2)").unwrap();
    (0..n)
        .map(|i| {
            let t = Instant::now();
            insert.execute(rusqlite::params![format!("A{:03}", i % 1000), i as i64]).unwrap();
            t.elapsed()
        })
        .collect()
}

/// Tickets through `POST /api/v1/tickets` over loopback, one client after another; `first`
/// picks the services in turn.
fn over_http(address: std::net::SocketAddr, n: usize, first: usize) -> Vec<Duration> {
    // Buffers sized for these small messages: ureq's default (128 KiB each way, zeroed for every
    // request) cost the in-process client more instructions than the whole SQL of a ticket.
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).input_buffer_size(16 * 1024).output_buffer_size(16 * 1024).build().into();
    let url = format!("http://{address}/api/v1/tickets");
    let services = ["A", "B", "C", "D", "E", "F"];
    (0..n)
        .map(|i| {
            let body = format!("{{\"service\":\"{}\"}}", services[(first + i) % 6]);
            let t = Instant::now();
            let mut resp = agent.post(&url).header("content-type", "application/json").send(&body).unwrap();
            // Read to the end: only then does ureq keep the connection for the next request (an
            // answer dropped unread closed it, and every ticket paid for a new connection).
            let answer = resp.body_mut().read_to_vec().unwrap();
            let took = t.elapsed();
            assert_eq!(resp.status().as_u16(), 201, "{}", String::from_utf8_lossy(&answer));
            took
        })
        .collect()
}

/// `clients` clients at once, each on a thread of its own with its own keep-alive connection,
/// `each` tickets each: every latency, and the wall time from the first request to the last
/// answer.
fn concurrent_http(address: std::net::SocketAddr, clients: usize, each: usize) -> (Vec<Duration>, Duration) {
    let start = std::sync::Barrier::new(clients + 1);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..clients)
            .map(|c| {
                let start = &start;
                scope.spawn(move || {
                    let _ = over_http(address, 2, c); // its connection, opened before the clock starts
                    start.wait();
                    over_http(address, each, c)
                })
            })
            .collect();
        start.wait();
        let t = Instant::now();
        let mut samples = Vec::with_capacity(clients * each);
        for thread in threads {
            samples.extend(thread.join().unwrap());
        }
        (samples, t.elapsed())
    })
}

/// A fresh kioskd-like server on loopback: its address and what stops it.
async fn serve(dir: &Path) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let service = fresh_service(dir).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = firmware::server::serve(service, listener, async {
            let _ = stopped.await;
        })
        .await;
    });
    (address, stop, server)
}

async fn fresh_service(dir: &Path) -> Service {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
    let mut config = Config::load(&path).unwrap();
    let _ = std::fs::remove_dir_all(dir);
    config.data_dir = dir.to_path_buf();
    for s in &mut config.services {
        s.daily_cap = 999;
    }
    // No printer (the figures are the queue's, not the paper's), unless asked for the shipped
    // configuration's virtual printer (`ISSUE_LATENCY_VIRTUAL_PRINTER=1`, with the profile mode).
    if std::env::var_os("ISSUE_LATENCY_VIRTUAL_PRINTER").is_none() {
        config.printer = None;
    }
    // No limit on one client.
    config.http.tickets_per_minute_per_client = 1_000_000;
    // Monday 09:00 in Hà Nội: every service dispenses.
    let at = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    firmware::server::start(config, Arc::new(ManualClock::new(at))).await.unwrap()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-issue");
    if let Some(n) = std::env::var("ISSUE_LATENCY_PROFILE").ok().and_then(|n| n.parse::<usize>().ok()) {
        rt.block_on(async {
            let (address, stop, server) = serve(&dir.join("profile")).await;
            let _ = tokio::task::spawn_blocking(move || over_http(address, 50, 0)).await.unwrap();
            let _ = tokio::task::spawn_blocking(move || over_http(address, n, 0)).await.unwrap();
            let _ = stop.send(());
            let _ = server.await;
        });
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
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
        drop(service);

        // The floor and the HTTP path in the same run, twice: one client, then 8 and 32 at once.
        for round in 1..=2 {
            let floor_dir = dir.join("floor");
            let start = Instant::now();
            let floor = raw_floor(&floor_dir, 3000);
            let floor_rate = floor.len() as f64 / start.elapsed().as_secs_f64();
            report(&format!("round {round}: raw SQLite FULL commit"), floor, start.elapsed());

            let (address, stop, server) = serve(&dir.join("http")).await;
            let _ = tokio::task::spawn_blocking(move || over_http(address, 50, 0)).await.unwrap(); // warm-up
            let start = Instant::now();
            let http = tokio::task::spawn_blocking(move || over_http(address, 2940, 0)).await.unwrap();
            let wall = start.elapsed();
            let http_rate = http.len() as f64 / wall.as_secs_f64();
            report(&format!("round {round}: POST /api/v1/tickets"), http, wall);
            println!("round {round}: ratio HTTP issue / raw floor = {:.2}", http_rate / floor_rate);
            let _ = stop.send(());
            let _ = server.await;

            for (clients, each) in [(2, 1440), (4, 720), (8, 360), (32, 90)] {
                let (address, stop, server) = serve(&dir.join("http")).await;
                let _ = tokio::task::spawn_blocking(move || over_http(address, 50, 0)).await.unwrap(); // warm-up
                let (http, wall) = tokio::task::spawn_blocking(move || concurrent_http(address, clients, each)).await.unwrap();
                let rate = http.len() as f64 / wall.as_secs_f64();
                report(&format!("round {round}: POST, {clients} clients at once"), http, wall);
                println!("round {round}: ratio HTTP issue ({clients} clients) / raw floor = {:.2}", rate / floor_rate);
                let _ = stop.send(());
                let _ = server.await;
            }
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}
