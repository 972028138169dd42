//! Hall-display fan-out: 50 clients follow `/api/v1/events` over real HTTP from a real server
//! while counters call 10 numbers a second for 20 s, as a big centre's displays and counter
//! pages would. Every client must receive every event (the bench fails otherwise); it prints
//! the latency from a counter sending `call-next` to each client reading the `ticket_called`
//! event — the HTTP request, the durable SQLite commit, the publish and the SSE write included.
//!
//! Run: `cargo bench -p firmware --bench sse_fanout` (the database goes under `target/`).

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use firmware::clock::ManualClock;
use firmware::Config;
use serde_json::Value;

const CLIENTS: usize = 50;
const CALLS_PER_SECOND: u32 = 10;
const SECONDS: u32 = 20;
const CALLS: usize = (CALLS_PER_SECOND * SECONDS) as usize;
/// The counters of the shipped configuration that serve service A.
const COUNTERS: [u32; 3] = [1, 2, 6];

/// What one subscriber saw: every event's id, and when each call arrived.
struct Received {
    seqs: BTreeSet<i64>,
    calls: Vec<(String, Instant)>,
}

fn subscribe(base: &str, ready: &Barrier) -> Received {
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(120))).build().into();
    let resp = agent.get(&format!("{base}/api/v1/events")).call().expect("subscribe");
    ready.wait();
    let mut lines = BufReader::new(resp.into_body().into_reader()).lines();
    let mut got = Received { seqs: BTreeSet::new(), calls: Vec::new() };
    let (mut id, mut name, mut data) = (None, String::new(), String::new());
    while got.calls.len() < CALLS {
        let line = lines.next().expect("the stream ended early").expect("read the stream");
        if let Some(v) = line.strip_prefix("id:") {
            id = v.trim().parse::<i64>().ok();
        } else if let Some(v) = line.strip_prefix("event:") {
            name = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data:") {
            data = v.trim().to_string();
        } else if line.is_empty() && !name.is_empty() {
            let at = Instant::now();
            assert_ne!(name, "lagged", "a subscriber fell behind and skipped events");
            if let Some(seq) = id.take() {
                got.seqs.insert(seq);
            }
            if name == "ticket_called" {
                let v: Value = serde_json::from_str(&data).unwrap();
                got.calls.push((v["number"].as_str().unwrap().to_string(), at));
            }
            name.clear();
        }
    }
    got
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let (service, base) = rt.block_on(async {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
        let mut config = Config::load(&path).unwrap();
        config.data_dir = dir.path().to_path_buf();
        config.printer = None;
        config.services.iter_mut().for_each(|s| s.daily_cap = 999);
        // Monday 09:00 in Hà Nội: every service dispenses.
        let at = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let service = firmware::server::start(config, Arc::new(ManualClock::new(at))).await.unwrap();
        for _ in 0..CALLS {
            service.issue("A", None).await.unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(firmware::server::serve(service.clone(), listener, std::future::pending()));
        (service, base)
    });
    let tokens: HashMap<u32, String> =
        COUNTERS.iter().map(|&n| (n, rt.block_on(service.login("bench", n, &n.to_string().repeat(4), None)).unwrap())).collect();
    let first_seq = rt.block_on(service.events_since(0, 100_000)).unwrap().last().map_or(0, |e| e.seq);

    let ready = Arc::new(Barrier::new(CLIENTS + 1));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (base, ready) = (base.clone(), ready.clone());
            std::thread::spawn(move || subscribe(&base, &ready))
        })
        .collect();
    ready.wait();
    std::thread::sleep(Duration::from_millis(200));

    // The counters: 10 calls a second, each counter finishing its citizen before the next call.
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let post = |counter: u32, action: &str| {
        let mut resp = agent
            .post(&format!("{base}/api/v1/counters/{counter}/{action}"))
            .header("Authorization", &format!("Bearer {}", tokens[&counter]))
            .send_empty()
            .unwrap_or_else(|e| panic!("{action} at counter {counter}: {e}"));
        resp.body_mut().read_json::<Value>().unwrap()
    };
    let mut sent: HashMap<String, Instant> = HashMap::new();
    let mut busy: HashMap<u32, bool> = HashMap::new();
    let period = Duration::from_secs(1) / CALLS_PER_SECOND;
    let start = Instant::now();
    for i in 0..CALLS {
        let due = start + period * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let counter = COUNTERS[i % COUNTERS.len()];
        if busy.insert(counter, true) == Some(true) {
            post(counter, "finish");
        }
        let t0 = Instant::now();
        let called = post(counter, "call-next");
        sent.insert(called["ticket"]["number"].as_str().unwrap().to_string(), t0);
    }
    let wall = start.elapsed();

    let expected: BTreeSet<i64> = rt.block_on(service.events_since(first_seq, 100_000)).unwrap().iter().map(|e| e.seq).collect();
    let mut latencies = Vec::with_capacity(CALLS * CLIENTS);
    for (i, client) in clients.into_iter().enumerate() {
        let got = client.join().expect("a subscriber failed");
        assert_eq!(got.seqs, expected, "client {i} did not receive every event");
        for (number, at) in got.calls {
            latencies.push(at.duration_since(sent[&number]));
        }
    }
    latencies.sort();
    println!(
        "{CLIENTS} subscribers, {CALLS} calls in {:.1} s ({} events each, all received by all): \
         call→receipt p50={:.2} ms  p99={:.2} ms  max={:.2} ms  (n={})",
        wall.as_secs_f64(),
        expected.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap()),
        latencies.len()
    );
}
