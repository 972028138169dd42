//! A province on one `central`: 1,000 simulated kiosks (one process, one task each) send a
//! heartbeat every 60 s and push their ratings as a busy day brings them, to a release build of
//! `central` on a real PostgreSQL server (fsync on) that this benchmark starts. Halfway through,
//! central is killed with SIGKILL and started again; the kiosks retry as the protocol says, and
//! at the end every rating generated must be stored exactly once (chains verified) and every
//! kiosk's last heartbeat must be the one stored.
//!
//! Then the same central is driven flat out (many clients back to back, heartbeats and one-rating
//! pushes alternating) for its capacity, and the very rows it stored are inserted again straight
//! into PostgreSQL over one connection, one transaction each — central's single writer does the
//! same — for the floor its throughput is compared with.
//!
//!     cargo bench -p central --bench fleet
//!
//! Knobs (environment): FLEET_KIOSKS (1000), FLEET_SECONDS (240, the simulated day's length),
//! FLEET_RATING_SECONDS (60: mean time between two ratings at one kiosk), FLEET_FLAT_SECONDS (20),
//! FLEET_FLAT_CLIENTS (64).

#[path = "../tests/common/pg.rs"]
mod pg;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Method, Request};
use ed25519_dalek::{Signer, SigningKey};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HEARTBEAT_SECONDS: u64 = 60;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A tiny deterministic generator (xorshift64*): no dependency, the same run every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Exponential with mean `mean` (a Poisson process's gaps).
    fn exp(&mut self, mean: f64) -> Duration {
        Duration::from_secs_f64(-mean * (1.0 - self.unit()).ln())
    }
}

/// One simulated kiosk: what a real one keeps (key, credential, chain, outbox, heartbeat seq).
struct SimKiosk {
    id: String,
    token: String,
    agency_code: String,
    key: SigningKey,
    public_key: String,
    seq: i64,
    last_hash: String,
    heartbeat_seq: i64,
    outbox: Vec<Value>,
    generated: u64,
    printer: &'static str,
}

impl SimKiosk {
    fn new(i: usize) -> SimKiosk {
        let seed: [u8; 32] = Sha256::digest(format!("fleet-bench-kiosk-{i}")).into();
        let key = SigningKey::from_bytes(&seed);
        SimKiosk {
            id: format!("H41-K{i:04}"),
            token: hex::encode(Sha256::digest(format!("token-{i}"))),
            agency_code: format!("000.00.{:02}.H41", i / 2 % 100),
            public_key: hex::encode(key.verifying_key().as_bytes()),
            key,
            seq: 0,
            last_hash: ZERO_HASH.into(),
            heartbeat_seq: 0,
            outbox: Vec::new(),
            generated: 0,
            printer: "ready",
        }
    }

    /// A new rating in the outbox, chained and signed as the protocol says.
    fn rate(&mut self, rng: &mut Rng) {
        let seq = self.seq + 1;
        let id = uuid::Uuid::new_v4().to_string();
        let official = ["rat_hai_long", "hai_long", "hai_long", "khong_hai_long"][(rng.next() % 4) as usize];
        let service = ["A", "B", "C"][(rng.next() % 3) as usize];
        let counter = 1 + rng.next() % 6;
        let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
        let record = json!({
            "id": id, "seq": seq, "kiosk_id": self.id, "agency_code": self.agency_code,
            "ticket_id": uuid::Uuid::new_v4().to_string(), "ticket_number": format!("A{:03}", seq % 1000), "dossier_code": null,
            "level": official, "official": official, "reasons": [],
            "counter": counter, "officer": "Trần Thị Bình", "service": service,
            "procedure": "1.001193", "rated_at": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        })
        .to_string();
        let mut h = Sha256::new();
        h.update(self.last_hash.as_bytes());
        h.update(b"\n");
        h.update(record.as_bytes());
        let hash: [u8; 32] = h.finalize().into();
        let hash_hex = hex::encode(hash);
        self.outbox.push(json!({
            "id": id, "seq": seq, "prev_hash": self.last_hash, "hash": hash_hex,
            "signature": hex::encode(self.key.sign(&hash).to_bytes()), "record_json": record,
        }));
        self.seq = seq;
        self.last_hash = hash_hex;
        self.generated += 1;
    }

    fn batch(&self) -> Value {
        let n = self.outbox.len().min(500);
        json!({"protocol": 1, "kiosk_id": self.id, "public_key": self.public_key, "ratings": &self.outbox[..n]})
    }

    /// The next heartbeat, signed.
    fn heartbeat(&mut self) -> Value {
        self.heartbeat_seq += 1;
        let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
        let time = |t: chrono::DateTime<chrono::FixedOffset>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let text = json!({
            "kiosk_id": self.id, "seq": self.heartbeat_seq, "sent_at": time(now), "trigger": "interval",
            "interval_seconds": HEARTBEAT_SECONDS,
            "centre": {"name": format!("Trung tâm Phục vụ hành chính công {}", self.agency_code), "agency_code": self.agency_code},
            "software_version": "0.2.0", "catalogue": {"version": 3, "source": "central", "refused": null},
            "uptime_seconds": 3600 + self.heartbeat_seq * 60, "printer": self.printer,
            "clock": {"state": "ok", "last_event_at": null},
            "disk_free_bytes": 12_000_000_000u64, "database_bytes": 48_000_000,
            "waiting": [{"service": "A", "name": "Hộ tịch – Chứng thực", "waiting": 3}, {"service": "B", "name": "Cư trú", "waiting": 1},
                        {"service": "C", "name": "Đất đai – Xây dựng", "waiting": 0}],
            "tickets_today": self.generated, "outbox": {"pending": self.outbox.len(), "oldest_age_seconds": if self.outbox.is_empty() { None } else { Some(1) }},
            "dispensing_windows": [[time(now - chrono::Duration::hours(1)), time(now + chrono::Duration::hours(3))]],
        })
        .to_string();
        let mut h = Sha256::new();
        h.update(b"heartbeat\n");
        h.update(text.as_bytes());
        let hash: [u8; 32] = h.finalize().into();
        json!({"protocol": 2, "kiosk_id": self.id, "public_key": self.public_key, "heartbeat_json": text,
               "signature": hex::encode(self.key.sign(&hash).to_bytes())})
    }
}

/// Latencies (µs) of successful requests, and failed attempts, per kind.
#[derive(Default)]
struct Stats {
    heartbeat: Vec<u32>,
    ratings: Vec<u32>,
    failed: u64,
}

impl Stats {
    fn record(&mut self, heartbeat: bool, took: Duration) {
        let micros = took.as_micros().min(u32::MAX as u128) as u32;
        if heartbeat {
            self.heartbeat.push(micros)
        } else {
            self.ratings.push(micros)
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
}

fn summary(mut v: Vec<u32>) -> String {
    v.sort_unstable();
    format!("{} ok, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms", v.len(), percentile(&v, 0.5), percentile(&v, 0.99), percentile(&v, 1.0))
}

type Http = Client<HttpConnector, Full<Bytes>>;

/// The parameters of central's heartbeat upsert (`fleet::APPLY`) but `received_at`: kiosk id,
/// seq, hash, signature, public key, heartbeat_json, agency code, centre name, printer, clock.
type UpsertParams = (String, i64, String, String, String, String, String, String, String, String);

/// POST `body` with `token`; the status and the answer, or an error.
async fn post(http: &Http, base: &str, path: &str, token: &str, body: &Value) -> Result<(u16, Value), String> {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("{base}{path}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let fut = async {
        let resp = http.request(req).await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let bytes = resp.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    };
    tokio::time::timeout(Duration::from_secs(20), fut).await.map_err(|_| "timeout".to_string())?
}

/// Push the outbox once; true when it was acknowledged.
async fn push_outbox(k: &Arc<Mutex<SimKiosk>>, http: &Http, base: &str, stats: &Mutex<Stats>) -> bool {
    let (token, body) = {
        let k = k.lock().unwrap();
        (k.token.clone(), k.batch())
    };
    let start = Instant::now();
    match post(http, base, "/api/v1/push/ratings", &token, &body).await {
        Ok((200, answer)) => {
            stats.lock().unwrap().record(false, start.elapsed());
            let acked: Vec<&str> = answer["acknowledged"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
            k.lock().unwrap().outbox.retain(|l| !acked.contains(&l["id"].as_str().unwrap()));
            true
        }
        Ok((status, answer)) if status < 500 => panic!("a rating push was refused: {status} {answer}"),
        _ => {
            stats.lock().unwrap().failed += 1;
            false
        }
    }
}

/// Send a heartbeat; true when central answered 200.
async fn send_heartbeat(k: &Arc<Mutex<SimKiosk>>, http: &Http, base: &str, stats: &Mutex<Stats>) -> bool {
    let (token, body) = {
        let mut k = k.lock().unwrap();
        (k.token.clone(), k.heartbeat())
    };
    let start = Instant::now();
    match post(http, base, "/api/v1/push/heartbeat", &token, &body).await {
        Ok((200, _)) => {
            stats.lock().unwrap().record(true, start.elapsed());
            true
        }
        Ok((status, answer)) if status < 500 => panic!("a heartbeat was refused: {status} {answer}"),
        _ => {
            stats.lock().unwrap().failed += 1;
            false
        }
    }
}

/// One kiosk's day: heartbeats every 60 s (first at a random offset), ratings as a Poisson
/// process, the outbox pushed at once and retried with backoff (1 s doubling to 8 s, jitter).
async fn kiosk_day(
    k: Arc<Mutex<SimKiosk>>,
    http: Http,
    base: String,
    stats: Arc<Mutex<Stats>>,
    until: Instant,
    rating_mean: f64,
    seed: u64,
) {
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    let mut next_heartbeat = start + Duration::from_secs_f64(rng.unit() * HEARTBEAT_SECONDS as f64);
    let mut next_rating = start + rng.exp(rating_mean);
    let mut retry_at: Option<Instant> = None;
    let mut backoff = Duration::from_secs(1);
    loop {
        let wake = [Some(next_heartbeat), Some(next_rating), retry_at].into_iter().flatten().min().unwrap();
        if wake >= until {
            break;
        }
        tokio::time::sleep_until(wake.into()).await;
        let now = Instant::now();
        if now >= next_rating {
            k.lock().unwrap().rate(&mut rng);
            next_rating = now + rng.exp(rating_mean);
            retry_at = Some(now);
        }
        if now >= next_heartbeat {
            send_heartbeat(&k, &http, &base, &stats).await;
            next_heartbeat += Duration::from_secs(HEARTBEAT_SECONDS);
        }
        if retry_at.is_some_and(|t| now >= t) {
            if push_outbox(&k, &http, &base, &stats).await {
                backoff = Duration::from_secs(1);
                retry_at = if k.lock().unwrap().outbox.is_empty() { None } else { Some(Instant::now()) };
            } else {
                retry_at = Some(Instant::now() + backoff + backoff.mul_f64(rng.unit() / 2.0));
                backoff = (backoff * 2).min(Duration::from_secs(8));
            }
        }
    }
}

/// A `central` child process on `listen`, and the address it listens on.
fn start_central(config: &std::path::Path, listen: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_central"))
        .args(["--config", config.to_str().unwrap(), "--listen", listen])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start central");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let addr = first.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("central said {first:?}")).to_string();
    (child, addr)
}

/// Resident memory of a process, from /proc: (current, peak) in MiB.
fn memory(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
    };
    Some((kb("VmRSS:")?, kb("VmHWM:")?))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n = env("FLEET_KIOSKS", 1000) as usize;
    let day = Duration::from_secs(env("FLEET_SECONDS", 240));
    let rating_mean = env("FLEET_RATING_SECONDS", 60) as f64;
    let flat = Duration::from_secs(env("FLEET_FLAT_SECONDS", 20));
    let flat_clients = (env("FLEET_FLAT_CLIENTS", 64) as usize).min(n);

    let Some(server) = pg::Server::start(true) else {
        eprintln!("SKIPPED: PostgreSQL is not installed (apt-get install postgresql)");
        return;
    };
    server.create_database("province");
    let url = server.url("province");
    let kiosks: Vec<SimKiosk> = (0..n).map(SimKiosk::new).collect();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("central.toml");
    let mut file = std::fs::File::create(&config).unwrap();
    writeln!(file, "database = \"{url}\"\nadmin_token_sha256 = \"{}\"", hex::encode(Sha256::digest("bench-admin"))).unwrap();
    for k in &kiosks {
        writeln!(
            file,
            "[[kiosk]]\nid = \"{}\"\ncredential_sha256 = \"{}\"\npublic_key = \"{}\"",
            k.id,
            hex::encode(Sha256::digest(&k.token)),
            k.public_key
        )
        .unwrap();
    }
    drop(file);

    println!("# fleet bench: {n} kiosks on {}", server.version().split(',').next().unwrap_or(""));
    println!(
        "simulated day: {} s; a heartbeat every {HEARTBEAT_SECONDS} s per kiosk; a rating every {rating_mean} s per kiosk on average (Poisson); central SIGKILLed at {} s, back 2 s later",
        day.as_secs(),
        day.as_secs() / 2
    );
    let (child, addr) = start_central(&config, "127.0.0.1:0");
    let base = format!("http://{addr}");
    let child = Arc::new(Mutex::new(child));
    let pid = Arc::new(AtomicU32::new(child.lock().unwrap().id()));

    // Central's memory, sampled every 500 ms.
    let peak_rss = Arc::new(AtomicU64::new(0));
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (pid, peak_rss, sampling) = (pid.clone(), peak_rss.clone(), sampling.clone());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                if let Some((rss, _)) = memory(pid.load(Ordering::Relaxed)) {
                    peak_rss.fetch_max((rss * 10.0) as u64, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let http: Http = Client::builder(hyper_util::rt::TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(90)).build_http();
    let kiosks: Vec<Arc<Mutex<SimKiosk>>> = kiosks.into_iter().map(|k| Arc::new(Mutex::new(k))).collect();
    let stats = Arc::new(Mutex::new(Stats::default()));

    // --- the simulated day, with a crash in the middle -------------------------------------
    let started = Instant::now();
    let until = started + day;
    let rss_before_kill = runtime.block_on(async {
        let mut tasks = Vec::new();
        for (i, k) in kiosks.iter().enumerate() {
            tasks.push(tokio::spawn(kiosk_day(
                k.clone(),
                http.clone(),
                base.clone(),
                stats.clone(),
                until,
                rating_mean,
                i as u64 * 7919 + 1,
            )));
        }
        tokio::time::sleep(day / 2).await;
        let rss = memory(pid.load(Ordering::Relaxed));
        // Killed, and back two seconds later (systemd's RestartSec): kiosks meet a closed port.
        let killed_at = started.elapsed();
        {
            let mut c = child.lock().unwrap();
            Command::new("kill").args(["-KILL", &c.id().to_string()]).status().unwrap();
            c.wait().unwrap();
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        {
            let (new, _) = start_central(&config, &addr);
            pid.store(new.id(), Ordering::Relaxed);
            *child.lock().unwrap() = new;
        }
        println!(
            "central killed (SIGKILL) at {:.1} s and listening again at {:.1} s",
            killed_at.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        for t in tasks {
            t.await.unwrap();
        }
        rss
    });
    let day_stats = std::mem::take(&mut *stats.lock().unwrap());
    let rss_end = memory(pid.load(Ordering::Relaxed));

    // Drain: what is left in outboxes goes now; then every kiosk's closing heartbeat.
    runtime.block_on(async {
        let deadline = Instant::now() + Duration::from_secs(120);
        for k in &kiosks {
            while !k.lock().unwrap().outbox.is_empty() {
                assert!(Instant::now() < deadline, "outboxes did not drain");
                if !push_outbox(k, &http, &base, &stats).await {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            assert!(send_heartbeat(k, &http, &base, &stats).await, "closing heartbeat");
        }
    });

    // --- nothing lost ----------------------------------------------------------------------
    let mut db = pg::client(&url);
    let generated: u64 = kiosks.iter().map(|k| k.lock().unwrap().generated).sum();
    let stored: i64 = db.query_one("SELECT COUNT(*) FROM ratings", &[]).unwrap().get(0);
    let distinct: i64 = db.query_one("SELECT COUNT(DISTINCT id) FROM ratings", &[]).unwrap().get(0);
    let tails: HashMap<String, i64> =
        db.query("SELECT kiosk_id, MAX(seq) FROM ratings GROUP BY kiosk_id", &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect();
    let beats: HashMap<String, i64> =
        db.query("SELECT kiosk_id, seq FROM kiosk_status", &[]).unwrap().iter().map(|r| (r.get(0), r.get(1))).collect();
    for k in &kiosks {
        let k = k.lock().unwrap();
        assert_eq!(tails.get(&k.id).copied().unwrap_or(0), k.seq, "{}: stored chain tail", k.id);
        assert_eq!(beats.get(&k.id).copied(), Some(k.heartbeat_seq), "{}: latest heartbeat", k.id);
    }
    assert_eq!((stored, distinct), (generated as i64, generated as i64), "every rating stored exactly once");
    let verify = Command::new(env!("CARGO_BIN_EXE_central")).args(["verify", "--config", config.to_str().unwrap()]).output().unwrap();
    let verified = String::from_utf8_lossy(&verify.stdout).trim().to_string();
    assert!(verify.status.success(), "{verified}");
    assert!(day_stats.failed > 0, "no request met the restart: the crash was not exercised");

    let heartbeats = day_stats.heartbeat.len();
    let pushes = day_stats.ratings.len();
    println!("\n## the day");
    println!("heartbeats: {}", summary(day_stats.heartbeat));
    println!("rating pushes: {}", summary(day_stats.ratings));
    println!("failed attempts around the crash (connection refused or reset), retried by the kiosks: {}", day_stats.failed);
    println!(
        "offered load: {:.1} requests/s ({heartbeats} heartbeats + {pushes} pushes in {} s)",
        (heartbeats + pushes) as f64 / day.as_secs_f64(),
        day.as_secs()
    );
    println!("nothing lost: {generated} ratings generated, {stored} stored, {distinct} distinct; every chain tail and every kiosk's last heartbeat as sent; `central verify`: {verified}");
    let mib = |m: Option<(f64, f64)>| m.map_or("?".into(), |(rss, hwm)| format!("RSS {rss:.1} MiB (peak {hwm:.1} MiB)"));
    println!("central's memory: before the kill {}; at the end of the day (restarted process) {}", mib(rss_before_kill), mib(rss_end));
    println!("highest RSS sampled over the day: {:.1} MiB", peak_rss.load(Ordering::Relaxed) as f64 / 10.0);

    // --- capacity: flat out -------------------------------------------------------------------
    let flat_started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let flat_stats = Arc::new(Mutex::new(Stats::default()));
    let heartbeat_rows: Arc<Mutex<Vec<(String, Value)>>> = Arc::new(Mutex::new(Vec::new()));
    let took = runtime.block_on(async {
        let stop = Instant::now() + flat;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..flat_clients {
            let (kiosks, http, base, stats, rows) =
                (kiosks.clone(), http.clone(), base.clone(), flat_stats.clone(), heartbeat_rows.clone());
            tasks.push(tokio::spawn(async move {
                let mut rng = Rng(c as u64 * 104_729 + 3);
                // Each client has its own kiosks, as each kiosk sends one request at a time.
                let mine: Vec<usize> = (c..kiosks.len()).step_by(flat_clients).collect();
                let mut i = 0;
                let mut heartbeat = c % 2 == 0;
                while Instant::now() < stop {
                    let k = &kiosks[mine[i % mine.len()]];
                    if heartbeat {
                        let (token, body) = {
                            let mut k = k.lock().unwrap();
                            (k.token.clone(), k.heartbeat())
                        };
                        let t = Instant::now();
                        let (status, answer) = post(&http, &base, "/api/v1/push/heartbeat", &token, &body).await.unwrap();
                        assert_eq!(status, 200, "{answer}");
                        stats.lock().unwrap().record(true, t.elapsed());
                        rows.lock().unwrap().push((k.lock().unwrap().id.clone(), body));
                    } else {
                        k.lock().unwrap().rate(&mut rng);
                        let (token, body) = {
                            let k = k.lock().unwrap();
                            (k.token.clone(), k.batch())
                        };
                        let t = Instant::now();
                        let (status, answer) = post(&http, &base, "/api/v1/push/ratings", &token, &body).await.unwrap();
                        assert_eq!(status, 200, "{answer}");
                        stats.lock().unwrap().record(false, t.elapsed());
                        k.lock().unwrap().outbox.clear();
                    }
                    heartbeat = !heartbeat;
                    i += 1;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        start.elapsed()
    });
    let flat_stats = std::mem::take(&mut *flat_stats.lock().unwrap());
    let (fh, fr) = (flat_stats.heartbeat.len(), flat_stats.ratings.len());
    let mut all: Vec<u32> = flat_stats.heartbeat.iter().chain(&flat_stats.ratings).copied().collect();
    all.sort_unstable();
    let central_rate = (fh + fr) as f64 / took.as_secs_f64();
    let flat_rss = memory(pid.load(Ordering::Relaxed));
    println!("\n## capacity: {flat_clients} clients back to back for {:.1} s", took.as_secs_f64());
    println!("heartbeats: {}", summary(flat_stats.heartbeat));
    println!("one-rating pushes: {}", summary(flat_stats.ratings));
    println!(
        "central: {central_rate:.0} requests/s (each a verified, durable write), p99 {:.1} ms; memory {}",
        percentile(&all, 0.99),
        mib(flat_rss)
    );

    // --- the floor: the same rows straight into PostgreSQL ----------------------------------------
    db.batch_execute(
        "CREATE TABLE ratings_raw (LIKE ratings INCLUDING ALL); CREATE TABLE kiosk_status_raw (LIKE kiosk_status INCLUDING ALL)",
    )
    .unwrap();
    let columns = "kiosk_id, seq, id, prev_hash, hash, signature, public_key, record_json, agency_code, official, rated_at, received_at, service, rated_month";
    let rating_rows = db.query(&format!("SELECT {columns} FROM ratings WHERE received_at >= $1"), &[&flat_started_at]).unwrap();
    let insert_rating = db
        .prepare(&format!("INSERT INTO ratings_raw ({columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"))
        .unwrap();
    let apply = db.prepare(&central::fleet::APPLY.replace("kiosk_status", "kiosk_status_raw")).unwrap();
    let heartbeat_rows = std::mem::take(&mut *heartbeat_rows.lock().unwrap());
    let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let heartbeat_params: Vec<UpsertParams> = heartbeat_rows
        .iter()
        .map(|(id, body)| {
            let text = body["heartbeat_json"].as_str().unwrap();
            let hb: Value = serde_json::from_str(text).unwrap();
            let mut h = Sha256::new();
            h.update(b"heartbeat\n");
            h.update(text.as_bytes());
            (
                id.clone(),
                hb["seq"].as_i64().unwrap(),
                hex::encode(h.finalize()),
                body["signature"].as_str().unwrap().to_string(),
                body["public_key"].as_str().unwrap().to_string(),
                text.to_string(),
                hb["centre"]["agency_code"].as_str().unwrap().to_string(),
                hb["centre"]["name"].as_str().unwrap().to_string(),
                hb["printer"].as_str().unwrap().to_string(),
                hb["clock"]["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let start = Instant::now();
    let (mut r, mut h) = (rating_rows.iter(), heartbeat_params.iter());
    let mut raw_rows = 0;
    loop {
        let mut any = false;
        if let Some(row) = h.next() {
            let mut txn = db.transaction().unwrap();
            txn.execute(&apply, &[&row.0, &row.1, &row.2, &row.3, &row.4, &row.5, &received_at, &row.6, &row.7, &row.8, &row.9]).unwrap();
            txn.commit().unwrap();
            any = true;
            raw_rows += 1;
        }
        if let Some(row) = r.next() {
            let values: Vec<Box<dyn postgres::types::ToSql + Sync>> = (0..14)
                .map(|i| -> Box<dyn postgres::types::ToSql + Sync> {
                    if i == 1 {
                        Box::new(row.get::<_, i64>(i))
                    } else {
                        Box::new(row.get::<_, String>(i))
                    }
                })
                .collect();
            let params: Vec<&(dyn postgres::types::ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
            let mut txn = db.transaction().unwrap();
            txn.execute(&insert_rating, &params).unwrap();
            txn.commit().unwrap();
            any = true;
            raw_rows += 1;
        }
        if !any {
            break;
        }
    }
    let raw_took = start.elapsed();
    let raw_rate = raw_rows as f64 / raw_took.as_secs_f64();
    println!(
        "\n## floor: the same {} rating rows and {} heartbeat upserts straight into PostgreSQL",
        rating_rows.len(),
        heartbeat_params.len()
    );
    println!(
        "one connection, one transaction per row (as central's single writer): {raw_rows} rows in {:.2} s = {raw_rate:.0} rows/s",
        raw_took.as_secs_f64()
    );
    println!("ratio central / raw PostgreSQL: {:.2}", central_rate / raw_rate);

    sampling.store(false, Ordering::Relaxed);
    sampler.join().unwrap();
    let mut c = child.lock().unwrap();
    let _ = c.kill();
    let _ = c.wait();
}
