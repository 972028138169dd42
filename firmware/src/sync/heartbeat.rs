//! Heartbeats to the province's central service (`docs/sync-protocol.md`, "Heartbeats"): how
//! this kiosk is — versions, printer, clock, disk, queue, outbox — signed with the device key
//! and POSTed over the same credential as the ratings. At start, every `heartbeat_seconds` (plus
//! up to 10 % jitter), and at once when the printer's or the clock's state changes or a
//! catalogue bundle was installed or refused.
//!
//! Offline-first like the ratings, and lighter: nothing is queued. A heartbeat that cannot be
//! sent is dropped; the next one is built fresh from the state at that moment. The task owns
//! its own HTTP calls (on the blocking pool, with a timeout), so tickets, printing, the screen
//! and the rating push never wait for it.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use super::CentralConfig;

/// The protocol version that introduced heartbeats.
pub const PROTOCOL: u32 = 2;
/// What is hashed before `heartbeat_json`, so a heartbeat signature never passes as another kind.
const PREFIX: &str = "heartbeat\n";
/// How often the printer, clock and catalogue are looked at for a change.
const WATCH: Duration = Duration::from_secs(1);
/// First retry of a state-change heartbeat that could not be sent; doubles up to the interval.
const FIRST_RETRY: Duration = Duration::from_secs(5);
/// A receiver without the heartbeat route (protocol 1) is asked again after this.
const NOT_SPOKEN_PAUSE: Duration = Duration::from_secs(3600);

/// `SHA-256("heartbeat\n" || heartbeat_json)`: the 32 bytes the device key signs.
pub fn heartbeat_hash(heartbeat_json: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(PREFIX.as_bytes());
    h.update(heartbeat_json.as_bytes());
    h.finalize().into()
}

/// Why a heartbeat is sent (`trigger`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Start,
    Interval,
    Printer,
    Clock,
    Catalogue,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Start => "start",
            Trigger::Interval => "interval",
            Trigger::Printer => "printer",
            Trigger::Clock => "clock",
            Trigger::Catalogue => "catalogue",
        }
    }

    /// A change of state, worth retrying soon when it could not be told.
    fn is_change(self) -> bool {
        matches!(self, Trigger::Printer | Trigger::Clock | Trigger::Catalogue)
    }
}

/// What makes a heartbeat go at once when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conditions {
    /// The printer's state word (`ready`, `paper_out`…).
    pub printer: String,
    /// The clock's state word (`ok`, `behind`).
    pub clock: String,
    /// The catalogue in use and the last refusal, as any text that changes with them.
    pub catalogue: String,
}

impl Conditions {
    /// What changed from `before` to `self`, the printer first.
    fn changed_since(&self, before: &Conditions) -> Option<Trigger> {
        if self.printer != before.printer {
            Some(Trigger::Printer)
        } else if self.clock != before.clock {
            Some(Trigger::Clock)
        } else if self.catalogue != before.catalogue {
            Some(Trigger::Catalogue)
        } else {
            None
        }
    }
}

/// The kiosk's state, as the heartbeat's fields other than its envelope (`kiosk_id`, `seq`,
/// `trigger`, `interval_seconds`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub sent_at: String,
    pub centre: Centre,
    pub software_version: String,
    pub catalogue: CatalogueState,
    pub uptime_seconds: u64,
    pub printer: String,
    pub clock: ClockState,
    pub disk_free_bytes: u64,
    pub database_bytes: u64,
    pub waiting: Vec<Waiting>,
    pub tickets_today: u64,
    pub outbox: OutboxState,
    pub dispensing_windows: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centre {
    pub name: String,
    pub agency_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueState {
    pub version: u64,
    pub source: String,
    pub refused: Option<Refused>,
}

/// The last catalogue bundle refused since one was installed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub version: Option<u64>,
    pub reason: String,
    pub message: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockState {
    pub state: String,
    pub last_event_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub service: String,
    pub name: String,
    pub waiting: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxState {
    pub pending: u64,
    pub oldest_age_seconds: Option<u64>,
}

/// `heartbeat_json`, in the protocol's field order.
#[derive(Serialize)]
struct Heartbeat<'a> {
    kiosk_id: &'a str,
    seq: i64,
    sent_at: &'a str,
    trigger: &'static str,
    interval_seconds: u64,
    centre: &'a Centre,
    software_version: &'a str,
    catalogue: &'a CatalogueState,
    uptime_seconds: u64,
    printer: &'a str,
    clock: &'a ClockState,
    disk_free_bytes: u64,
    database_bytes: u64,
    waiting: &'a [Waiting],
    tickets_today: u64,
    outbox: &'a OutboxState,
    dispensing_windows: &'a [(String, String)],
}

/// The request body of `POST /api/v1/push/heartbeat`.
#[derive(Debug, Serialize)]
pub struct Envelope {
    pub protocol: u32,
    pub kiosk_id: String,
    pub public_key: String,
    pub heartbeat_json: String,
    pub signature: String,
}

/// The kiosk as the heartbeat task needs it; the service gives the task this narrow handle.
pub trait Reporter: Send + Sync + 'static {
    fn kiosk_id(&self) -> String;
    /// The hex public key of the device key.
    fn public_key(&self) -> String;
    /// Ed25519 over `hash` with the device key, hex.
    fn sign(&self, hash: &[u8; 32]) -> String;
    /// The next heartbeat sequence number, recorded as used (kept across restarts).
    fn next_seq(&self) -> impl Future<Output = Result<i64, String>> + Send;
    /// Central holds `last_seq`: the next number is `last_seq + 1`.
    fn continue_after(&self, last_seq: i64) -> impl Future<Output = Result<(), String>> + Send;
    /// The printer's, the clock's and the catalogue's state now (looked at every second).
    fn conditions(&self) -> impl Future<Output = Conditions> + Send;
    /// Everything a heartbeat reports, now.
    fn state(&self) -> impl Future<Output = Result<State, String>> + Send;
    /// Central says catalogue `version` is the newest published.
    fn catalogue_published(&self, version: u64);
    /// Resolves when the service shuts down.
    fn closed(&self) -> impl Future<Output = ()> + Send;
}

/// Sign `state` as heartbeat `seq`.
pub fn envelope(reporter: &impl Reporter, seq: i64, trigger: Trigger, interval_seconds: u64, state: &State) -> Envelope {
    let kiosk_id = reporter.kiosk_id();
    let heartbeat = Heartbeat {
        kiosk_id: &kiosk_id,
        seq,
        sent_at: &state.sent_at,
        trigger: trigger.as_str(),
        interval_seconds,
        centre: &state.centre,
        software_version: &state.software_version,
        catalogue: &state.catalogue,
        uptime_seconds: state.uptime_seconds,
        printer: &state.printer,
        clock: &state.clock,
        disk_free_bytes: state.disk_free_bytes,
        database_bytes: state.database_bytes,
        waiting: &state.waiting,
        tickets_today: state.tickets_today,
        outbox: &state.outbox,
        dispensing_windows: &state.dispensing_windows,
    };
    let heartbeat_json = serde_json::to_string(&heartbeat).expect("a heartbeat serialises");
    let signature = reporter.sign(&heartbeat_hash(&heartbeat_json));
    Envelope { protocol: PROTOCOL, kiosk_id, public_key: reporter.public_key(), heartbeat_json, signature }
}

/// How central answered.
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// Stored (or a resend of the stored one); the newest catalogue published, if any.
    Taken { catalogue_version: Option<u64> },
    /// Central holds a heartbeat with `last_seq`: continue after it.
    Stale { last_seq: i64 },
    /// A protocol-1 receiver: no heartbeat route.
    NotSpoken,
    /// Refused for good (credential, signature, shape): a bug or a misconfiguration to look at.
    Refused(String),
    /// Not reached, 5xx, a timeout: try again later.
    Failed(String),
}

/// What an answer means, by status and body.
pub fn classify(status: u16, body: &str) -> Answer {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let code = v["error"]["code"].as_str().unwrap_or_default();
    let short = || body.chars().take(300).collect::<String>();
    match status {
        200 => match v["last_seq"].as_i64() {
            Some(_) => Answer::Taken { catalogue_version: v["catalogue_version"].as_u64() },
            None => Answer::Failed(format!("unreadable answer: {}", short())),
        },
        409 if code == "stale_heartbeat" => match v["error"]["last_seq"].as_i64() {
            Some(last_seq) => Answer::Stale { last_seq },
            None => Answer::Refused(format!("409: {}", short())),
        },
        404 => Answer::NotSpoken,
        s if s >= 500 => Answer::Failed(format!("{s}: {}", short())),
        s => Answer::Refused(format!("{s}: {}", short())),
    }
}

fn post(agent: &ureq::Agent, url: &str, token: &str, body: &Envelope) -> Answer {
    let resp = agent
        .post(&format!("{}/api/v1/push/heartbeat", url.trim_end_matches('/')))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body);
    let mut resp = match resp {
        Ok(r) => r,
        Err(e) => return Answer::Failed(format!("cannot reach the central service: {e}")),
    };
    let status = resp.status().as_u16();
    match resp.body_mut().read_to_string() {
        Ok(text) => classify(status, &text),
        Err(e) => Answer::Failed(format!("the answer was cut off ({status}): {e}")),
    }
}

/// `d` plus up to `share` of it, at random: kiosks that booted together spread out.
pub(super) fn spread(d: Duration, share: f64) -> Duration {
    let r = uuid::Uuid::new_v4().as_u128() as u64 % 1000;
    d + d.mul_f64(share * r as f64 / 1000.0)
}

/// Build, sign and send one heartbeat; what central answered.
async fn send(reporter: &impl Reporter, agent: &ureq::Agent, cfg: &CentralConfig, data_dir: &std::path::Path, trigger: Trigger) -> Answer {
    let token = match super::credential(data_dir, cfg) {
        Ok(t) => t,
        Err(e) => return Answer::Failed(e),
    };
    let state = match reporter.state().await {
        Ok(s) => s,
        Err(e) => return Answer::Failed(format!("cannot read the kiosk's state: {e}")),
    };
    let seq = match reporter.next_seq().await {
        Ok(s) => s,
        Err(e) => return Answer::Failed(format!("cannot number the heartbeat: {e}")),
    };
    let body = envelope(reporter, seq, trigger, cfg.heartbeat_seconds, &state);
    let (agent, url) = (agent.clone(), cfg.url.clone());
    tokio::task::spawn_blocking(move || post(&agent, &url, &token, &body)).await.unwrap_or_else(|e| Answer::Failed(e.to_string()))
}

/// Send heartbeats until the service shuts down; the credential is looked for under `data_dir`.
pub async fn run(reporter: impl Reporter, cfg: CentralConfig, data_dir: PathBuf) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(cfg.timeout_secs)))
        .build()
        .into();
    let interval = Duration::from_secs(cfg.heartbeat_seconds.max(1));
    let closed = reporter.closed();
    tokio::pin!(closed);
    let mut known = reporter.conditions().await;
    let mut trigger = Trigger::Start;
    let mut next_tick = Instant::now();
    // A state change not told yet: retried soon, then less and less often.
    let mut retry: Option<(Trigger, Instant, Duration)> = None;
    let mut paused_until: Option<Instant> = None;
    loop {
        if paused_until.is_some_and(|p| Instant::now() < p) {
            // A protocol-1 receiver: nothing to send until it is asked again.
        } else {
            paused_until = None;
            let mut answer = send(&reporter, &agent, &cfg, &data_dir, trigger).await;
            if let Answer::Stale { last_seq } = answer {
                tracing::info!(last_seq, "central holds a newer heartbeat; continuing after it");
                match reporter.continue_after(last_seq).await {
                    Ok(()) => answer = send(&reporter, &agent, &cfg, &data_dir, trigger).await,
                    Err(e) => answer = Answer::Failed(e),
                }
            }
            match answer {
                Answer::Taken { catalogue_version } => {
                    tracing::debug!(trigger = trigger.as_str(), "heartbeat taken");
                    retry = None;
                    if let Some(v) = catalogue_version {
                        reporter.catalogue_published(v);
                    }
                }
                Answer::NotSpoken => {
                    tracing::warn!("the central service has no heartbeat route (protocol 1); asking again in an hour");
                    paused_until = Some(Instant::now() + NOT_SPOKEN_PAUSE);
                    retry = None;
                }
                Answer::Stale { last_seq } => tracing::warn!(last_seq, "heartbeat refused twice as stale"),
                Answer::Refused(e) => tracing::error!(error = %e, "heartbeat refused by the central service: staff must look"),
                Answer::Failed(e) => {
                    tracing::warn!(error = %e, trigger = trigger.as_str(), "heartbeat not sent");
                    if trigger.is_change() || retry.is_some() {
                        let (t, delay) = match retry {
                            Some((t, _, delay)) => (t, (delay * 2).min(interval)),
                            None => (trigger, FIRST_RETRY.min(interval)),
                        };
                        retry = Some((t, Instant::now() + delay, delay));
                    }
                }
            }
        }
        if matches!(trigger, Trigger::Start | Trigger::Interval) {
            next_tick = Instant::now() + spread(interval, 0.1);
        }
        // Wait for the next tick, a change, or a retry that is due.
        trigger = loop {
            let retry_at = retry.map(|(_, at, _)| at);
            tokio::select! {
                _ = tokio::time::sleep_until(next_tick) => break Trigger::Interval,
                _ = tokio::time::sleep_until(retry_at.unwrap_or(next_tick)), if retry_at.is_some() => {
                    break retry.map(|(t, _, _)| t).unwrap_or(Trigger::Interval);
                }
                _ = tokio::time::sleep(WATCH) => {
                    let now = reporter.conditions().await;
                    if let Some(changed) = now.changed_since(&known) {
                        known = now;
                        retry = None;
                        break changed;
                    }
                }
                _ = &mut closed => return,
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rating::DeviceKey;
    use ed25519_dalek::{Signature, Verifier};

    struct Fixed(DeviceKey);

    impl Reporter for Fixed {
        fn kiosk_id(&self) -> String {
            "H41-HOAPHU-K1".into()
        }
        fn public_key(&self) -> String {
            self.0.public_hex()
        }
        fn sign(&self, hash: &[u8; 32]) -> String {
            self.0.sign(hash)
        }
        async fn next_seq(&self) -> Result<i64, String> {
            Ok(1)
        }
        async fn continue_after(&self, _: i64) -> Result<(), String> {
            Ok(())
        }
        async fn conditions(&self) -> Conditions {
            Conditions { printer: "ready".into(), clock: "ok".into(), catalogue: "0".into() }
        }
        async fn state(&self) -> Result<State, String> {
            Ok(sample())
        }
        fn catalogue_published(&self, _: u64) {}
        async fn closed(&self) {}
    }

    fn sample() -> State {
        State {
            sent_at: "2026-03-05T08:40:12+07:00".into(),
            centre: Centre { name: "Trung tâm Phục vụ hành chính công xã Hòa Phú".into(), agency_code: "000.00.17.H41".into() },
            software_version: "0.1.0".into(),
            catalogue: CatalogueState { version: 12, source: "central".into(), refused: None },
            uptime_seconds: 86400,
            printer: "paper_low".into(),
            clock: ClockState { state: "ok".into(), last_event_at: None },
            disk_free_bytes: 12_884_901_888,
            database_bytes: 48_234_496,
            waiting: vec![Waiting { service: "A".into(), name: "Hộ tịch – Chứng thực".into(), waiting: 3 }],
            tickets_today: 87,
            outbox: OutboxState { pending: 0, oldest_age_seconds: None },
            dispensing_windows: vec![("2026-03-05T07:00:00+07:00".into(), "2026-03-05T11:15:00+07:00".into())],
        }
    }

    #[test]
    fn the_heartbeat_is_the_protocols_shape_signed_over_its_exact_bytes() {
        let reporter = Fixed(DeviceKey::from_seed(&[7; 32]));
        let env = envelope(&reporter, 1042, Trigger::Printer, 60, &sample());
        assert_eq!(env.protocol, 2);
        assert_eq!(env.kiosk_id, "H41-HOAPHU-K1");
        assert_eq!(env.public_key, "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c");
        let v: Value = serde_json::from_str(&env.heartbeat_json).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        // serde_json's map is ordered by key; the protocol's required fields are all there.
        for field in [
            "kiosk_id",
            "seq",
            "sent_at",
            "trigger",
            "interval_seconds",
            "centre",
            "software_version",
            "catalogue",
            "uptime_seconds",
            "printer",
            "clock",
            "disk_free_bytes",
            "database_bytes",
            "waiting",
            "tickets_today",
            "outbox",
            "dispensing_windows",
        ] {
            assert!(keys.contains(&field), "{field} missing from {}", env.heartbeat_json);
        }
        assert_eq!(v["seq"], 1042);
        assert_eq!(v["trigger"], "printer");
        assert_eq!(v["catalogue"], serde_json::json!({"version": 12, "source": "central", "refused": null}));
        assert_eq!(v["outbox"]["oldest_age_seconds"], Value::Null);
        assert!(env.heartbeat_json.starts_with(r#"{"kiosk_id":"H41-HOAPHU-K1","seq":1042,"sent_at":"#), "{}", env.heartbeat_json);
        // The signature covers "heartbeat\n" + the exact bytes, and nothing else verifies.
        let sig = Signature::from_slice(&crate::rating::key::unhex(&env.signature).unwrap()).unwrap();
        let key = reporter.0.public();
        assert!(key.verify(&heartbeat_hash(&env.heartbeat_json), &sig).is_ok());
        assert!(key.verify(&heartbeat_hash(&env.heartbeat_json.replace("paper_low", "ready")), &sig).is_err());
        let mut rating_style = Sha256::new();
        rating_style.update(env.heartbeat_json.as_bytes());
        let bare: [u8; 32] = rating_style.finalize().into();
        assert!(key.verify(&bare, &sig).is_err(), "the prefix is part of what is signed");
    }

    /// The vector printed in `docs/sync-protocol.md`, as `central` checks it.
    #[test]
    fn the_documented_test_vector_holds() {
        let key = DeviceKey::from_seed(&[7; 32]);
        let hash = heartbeat_hash(r#"{"kiosk_id":"K1","seq":1}"#);
        assert_eq!(crate::rating::key::hex(&hash), "272bda2a3f179f5ad79954c8f357c475dfbb6819e3ee25e393e1392e296086a6");
        assert_eq!(
            key.sign(&hash),
            "f0ce3b68f63849f482e767cdd2900b1f8ad169c0648352fe2ff6503cc0af42220d7145a98b246c16019539e8ef75d0fdb40b3d4cbd7d706762925649e8474608"
        );
    }

    #[test]
    fn answers_are_read_as_the_protocol_says() {
        assert_eq!(classify(200, r#"{"applied":true,"last_seq":3,"catalogue_version":12}"#), Answer::Taken { catalogue_version: Some(12) });
        assert_eq!(classify(200, r#"{"applied":false,"last_seq":3,"catalogue_version":null}"#), Answer::Taken { catalogue_version: None });
        assert_eq!(classify(409, r#"{"error":{"code":"stale_heartbeat","message":"…","last_seq":41}}"#), Answer::Stale { last_seq: 41 });
        assert_eq!(classify(404, r#"{"error":{"code":"not_found","message":"no route"}}"#), Answer::NotSpoken);
        assert!(matches!(classify(401, r#"{"error":{"code":"bad_credential"}}"#), Answer::Refused(_)));
        assert!(matches!(classify(422, r#"{"error":{"code":"malformed"}}"#), Answer::Refused(_)));
        assert!(matches!(classify(503, ""), Answer::Failed(_)));
        assert!(matches!(classify(200, "<html>"), Answer::Failed(_)));
    }

    #[test]
    fn the_printer_change_comes_first() {
        let base = Conditions { printer: "ready".into(), clock: "ok".into(), catalogue: "0".into() };
        assert_eq!(base.changed_since(&base), None);
        let all = Conditions { printer: "paper_out".into(), clock: "behind".into(), catalogue: "1".into() };
        assert_eq!(all.changed_since(&base), Some(Trigger::Printer));
        let clock_and_catalogue = Conditions { clock: "behind".into(), catalogue: "1".into(), ..base.clone() };
        assert_eq!(clock_and_catalogue.changed_since(&base), Some(Trigger::Clock));
        let catalogue = Conditions { catalogue: "1".into(), ..base.clone() };
        assert_eq!(catalogue.changed_since(&base), Some(Trigger::Catalogue));
    }
}
