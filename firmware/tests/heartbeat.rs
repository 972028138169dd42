//! The heartbeat task against a receiver that answers as scripted (`docs/sync-protocol.md`,
//! "Heartbeats"): what a heartbeat says about the kiosk, signed over its exact bytes; a
//! `stale_heartbeat` answer makes the kiosk continue after central's seq at once; a clock set
//! back is told at once with trigger `clock`; a protocol-1 receiver (404) is left alone.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use firmware::sync::heartbeat::heartbeat_hash;
use firmware::sync::CentralConfig;
use serde_json::{json, Value};

mod common;
use common::*;

/// A receiver that records every heartbeat and answers from a script (then 200).
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<Value>>>,
    script: Arc<Mutex<VecDeque<(u16, Value)>>>,
}

async fn take(State(r): State<Receiver>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    r.seen.lock().unwrap().push(body.clone());
    let scripted = r.script.lock().unwrap().pop_front();
    let (status, answer) = scripted.unwrap_or_else(|| {
        let hb: Value = serde_json::from_str(body["heartbeat_json"].as_str().unwrap()).unwrap();
        (200, json!({"applied": true, "last_seq": hb["seq"], "catalogue_version": null}))
    });
    (StatusCode::from_u16(status).unwrap(), Json(answer))
}

impl Receiver {
    async fn start(script: Vec<(u16, Value)>) -> (Receiver, String) {
        let r = Receiver { script: Arc::new(Mutex::new(script.into())), ..Default::default() };
        let app = Router::new().route("/api/v1/push/heartbeat", post(take)).with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (r, url)
    }

    /// The heartbeats received, each checked against the kiosk's key and opened.
    fn heartbeats(&self, key: &VerifyingKey) -> Vec<Value> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|body| {
                assert_eq!(body["protocol"], 2);
                let text = body["heartbeat_json"].as_str().unwrap();
                let sig = hex_bytes(body["signature"].as_str().unwrap());
                let sig = Signature::from_slice(&sig).unwrap();
                key.verify(&heartbeat_hash(text), &sig).expect("signed by the device key over the exact bytes");
                serde_json::from_str(text).unwrap()
            })
            .collect()
    }

    async fn wait_for(&self, key: &VerifyingKey, what: &str, secs: u64, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let seen = self.heartbeats(key);
            if done(&seen) {
                return seen;
            }
            assert!(Instant::now() < deadline, "waited {secs} s for {what}; received {seen:#?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The shipped kiosk reporting to `url` every `seconds`.
async fn kiosk_reporting(url: &str, seconds: u64) -> (Kiosk, VerifyingKey, tempfile::TempDir) {
    let secrets = tempfile::tempdir().unwrap();
    let credential = secrets.path().join("central.credential");
    std::fs::write(&credential, "test-token\n").unwrap();
    let central: CentralConfig = toml::from_str(&format!(
        "url = \"{url}\"\ncredential_file = \"{}\"\ntimeout_secs = 2\nheartbeat_seconds = {seconds}\n",
        credential.display()
    ))
    .unwrap();
    let k = kiosk_with(|c| c.central = Some(central)).await;
    let key = VerifyingKey::from_bytes(&hex_bytes(&k.service.sync_state().await.unwrap().public_key).try_into().unwrap()).unwrap();
    (k, key, secrets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_tell_the_kiosks_state_and_continue_after_a_stale_seq() {
    // Central already holds seq 41 (the kiosk's database was restored from a backup).
    let stale = json!({"error": {"code": "stale_heartbeat", "message": "…", "last_seq": 41}});
    let (receiver, url) = Receiver::start(vec![(409, stale)]).await;
    let (k, key, _secrets) = kiosk_reporting(&url, 1).await;
    let seen = receiver.wait_for(&key, "the stale one and its fresh successor", 5, |s| s.len() >= 2).await;
    assert_eq!((seen[0]["seq"].as_i64(), seen[0]["trigger"].as_str()), (Some(1), Some("start")));
    assert_eq!((seen[1]["seq"].as_i64(), seen[1]["trigger"].as_str()), (Some(42), Some("start")), "sent again at once after 41");

    let hb = &seen[1];
    assert_eq!(hb["kiosk_id"], k.service.config().ratings.kiosk_id);
    assert_eq!(hb["interval_seconds"], 1);
    assert_eq!(hb["sent_at"], "2026-03-02T09:00:00+07:00", "the kiosk's clock");
    assert_eq!(hb["centre"]["name"], k.service.config().centre.name);
    assert_eq!(hb["centre"]["agency_code"], k.service.config().centre.agency_code);
    assert_eq!(hb["software_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(hb["catalogue"], json!({"version": 0, "source": "local", "refused": null}));
    assert_eq!(hb["printer"], "ready", "the shipped virtual printer");
    assert_eq!(hb["clock"], json!({"state": "ok", "last_event_at": null}));
    assert!(hb["disk_free_bytes"].as_u64().unwrap() > 0);
    assert!(hb["database_bytes"].as_u64().unwrap() > 0);
    assert_eq!(hb["waiting"].as_array().unwrap().len(), k.service.config().services.len());
    assert_eq!(hb["waiting"][0], json!({"service": "A", "name": k.service.config().services[0].name_vi, "waiting": 0}));
    assert_eq!(hb["tickets_today"], 0);
    assert_eq!(hb["outbox"], json!({"pending": 0, "oldest_age_seconds": null}));
    // Monday 2 March 2026 at 09:00: the morning window in progress comes first, the centre's
    // 07:00–11:15 merged with service F's own 07:00–11:30 (returning results), then the afternoon.
    let windows = hb["dispensing_windows"].as_array().unwrap();
    assert_eq!(windows[0], json!(["2026-03-02T07:00:00+07:00", "2026-03-02T11:30:00+07:00"]));
    assert_eq!(windows[1], json!(["2026-03-02T13:15:00+07:00", "2026-03-02T17:00:00+07:00"]));
    assert!(windows.len() >= 10 && windows.len() <= 64, "a week of windows: {windows:?}");

    // Two citizens take a number; the next heartbeats say so, numbered on from 42.
    k.issue("A").await;
    k.issue("A").await;
    let seen = receiver.wait_for(&key, "a heartbeat with the two tickets", 5, |s| s.last().is_some_and(|h| h["tickets_today"] == 2)).await;
    let last = seen.last().unwrap();
    assert_eq!(last["waiting"][0]["waiting"], 2);
    assert_eq!(last["trigger"], "interval");
    let seqs: Vec<i64> = seen[1..].iter().map(|h| h["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (42..42 + seqs.len() as i64).collect::<Vec<_>>(), "one more each time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_set_back_is_told_at_once() {
    let (receiver, url) = Receiver::start(Vec::new()).await;
    // A heartbeat an hour: anything sent after the first is a state change.
    let (k, key, _secrets) = kiosk_reporting(&url, 3600).await;
    receiver.wait_for(&key, "the start heartbeat", 5, |s| s.len() == 1).await;
    k.issue("A").await; // an event at 09:00
    k.clock.set(vn(2026, 3, 2, 8, 0)); // the Pi rebooted without network and believes it is 08:00
    let seen = receiver.wait_for(&key, "a clock heartbeat", 5, |s| s.len() == 2).await;
    assert_eq!(seen[1]["trigger"], "clock");
    assert_eq!(seen[1]["clock"], json!({"state": "behind", "last_event_at": "2026-03-02T09:00:00+07:00"}));
    k.clock.set(vn(2026, 3, 2, 9, 5)); // NTP set it right
    let seen = receiver.wait_for(&key, "the clock ok again", 5, |s| s.len() == 3).await;
    assert_eq!((seen[2]["trigger"].as_str(), seen[2]["clock"]["state"].as_str()), (Some("clock"), Some("ok")));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.heartbeats(&key).len(), 3, "nothing else changed, nothing else sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_without_heartbeats_is_left_alone() {
    let not_found = json!({"error": {"code": "not_found", "message": "no route /api/v1/push/heartbeat"}});
    let (receiver, url) = Receiver::start(vec![(404, not_found.clone()), (404, not_found)]).await;
    let (_k, key, _secrets) = kiosk_reporting(&url, 1).await;
    receiver.wait_for(&key, "the first heartbeat", 5, |s| s.len() == 1).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(receiver.heartbeats(&key).len(), 1, "a protocol-1 receiver is asked again in an hour, not every second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_that_could_not_be_told_is_retried_soon() {
    let ok = json!({"applied": true, "last_seq": 1, "catalogue_version": null});
    let (receiver, url) = Receiver::start(vec![(200, ok), (503, json!({"error": {"code": "storage_unavailable"}}))]).await;
    let (k, key, _secrets) = kiosk_reporting(&url, 3600).await;
    receiver.wait_for(&key, "the start heartbeat", 5, |s| s.len() == 1).await;
    k.issue("A").await;
    k.clock.set(vn(2026, 3, 2, 8, 0));
    receiver.wait_for(&key, "the clock heartbeat, answered 503", 5, |s| s.len() == 2).await;
    // Not at the next tick an hour away: 5 s later, the same news with a new seq.
    let seen = receiver.wait_for(&key, "the retry", 10, |s| s.len() == 3).await;
    assert_eq!((seen[2]["trigger"].as_str(), seen[2]["clock"]["state"].as_str()), (Some("clock"), Some("behind")));
    assert_eq!(seen[2]["seq"].as_i64(), seen[1]["seq"].as_i64().map(|s| s + 1));
}
