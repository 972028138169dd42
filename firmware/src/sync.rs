//! The push of ratings to the province's central service (`docs/sync-protocol.md`). A task reads
//! the oldest batch from the outbox, POSTs it with the kiosk's credential, and removes what was
//! acknowledged. Failures — network down, 5xx, timeouts, a receiver that crashed after storing —
//! only delay: the outbox is in the database, the ratings' ids make resending harmless, and the
//! retries back off exponentially (1 s to 5 min by default) with jitter so a hundred kiosks do not hammer a recovering server.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::rating::Link;

pub mod catalogue_poll;
pub mod heartbeat;
pub mod notices;

const BATCH: usize = 500;

/// Where and how to push (`[central]` in the configuration).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CentralConfig {
    /// Base URL of the receiver, e.g. "https://tthc.example.gov.vn".
    pub url: String,
    /// File holding the kiosk's bearer credential, relative to the data directory
    /// (default "central.credential"); the environment variable `KIOSK_CENTRAL_TOKEN` wins.
    #[serde(default)]
    pub credential_file: Option<std::path::PathBuf>,
    /// Longest one push may take.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// First retry delay; doubles up to `max_retry_ms`.
    #[serde(default = "default_backoff")]
    pub first_retry_ms: u64,
    /// Longest delay between retries (default 5 minutes).
    #[serde(default = "default_max_backoff")]
    pub max_retry_ms: u64,
    /// Seconds between two heartbeats (default 60; `heartbeat::run`).
    #[serde(default = "default_heartbeat")]
    pub heartbeat_seconds: u64,
    /// Seconds between two polls for a new catalogue bundle (default 300; `catalogue_poll::run`).
    #[serde(default = "default_catalogue_poll")]
    pub catalogue_poll_seconds: u64,
    /// The province's public key (64 hex digits) that signs catalogue bundles; absent: this kiosk
    /// keeps the catalogue shipped with it and does not poll.
    #[serde(default)]
    pub catalogue_public_key: Option<String>,
}

/// Longest heartbeat or poll interval: a day (the protocol's `interval_seconds` range).
const MAX_INTERVAL: u64 = 86_400;

impl CentralConfig {
    /// What is wrong with the section: the key at fault and what to fix.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            out.push(("url", format!("[central]: url {:?} must start with https:// (or http:// on a test LAN)", self.url)));
        }
        for (key, value) in [("heartbeat_seconds", self.heartbeat_seconds), ("catalogue_poll_seconds", self.catalogue_poll_seconds)] {
            if !(1..=MAX_INTERVAL).contains(&value) {
                out.push((key, format!("[central]: {key} = {value} must be from 1 to {MAX_INTERVAL} (a day)")));
            }
        }
        if let Some(text) = &self.catalogue_public_key {
            if let Err(e) = parse_public_key(text) {
                out.push(("catalogue_public_key", format!("[central]: catalogue_public_key {e}")));
            }
        }
        out
    }

    /// The province key that must have signed a catalogue bundle, when one is configured.
    pub fn catalogue_key(&self) -> Option<ed25519_dalek::VerifyingKey> {
        self.catalogue_public_key.as_deref().and_then(|k| parse_public_key(k).ok())
    }
}

fn parse_public_key(text: &str) -> Result<ed25519_dalek::VerifyingKey, String> {
    let bytes: [u8; 32] = crate::rating::key::unhex(text.trim())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("{text:?} is not 64 hexadecimal digits: paste what `central new-province-key` printed"))?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| format!("{text:?} is not an Ed25519 public key"))
}

/// The outbox as the push needs it: the ratings waiting, in chain order, and where to note
/// what the central service acknowledged. The service gives the task this narrow handle.
pub trait Outbox: Send + Sync + 'static {
    /// This kiosk's identity towards the central service.
    fn kiosk_id(&self) -> String;
    /// The hex public key that verifies this kiosk's signatures.
    fn public_key(&self) -> String;
    /// The oldest waiting ratings, from `from_seq` on.
    fn pending(&self, from_seq: i64, limit: usize) -> impl Future<Output = Result<Vec<Link>, String>> + Send;
    /// The chain from `from_seq` on, acknowledged or not: what a receiver that lost ratings
    /// (restored from a backup) asks to be sent again.
    fn chain_from(&self, from_seq: i64, limit: usize) -> impl Future<Output = Result<Vec<Link>, String>> + Send;
    /// Remove what was acknowledged; how many were.
    fn acknowledge(&self, ids: Vec<String>) -> impl Future<Output = Result<usize, String>> + Send;
    /// Note a failed push.
    fn record_failure(&self, error: String) -> impl Future<Output = ()> + Send;
    /// Resolves when a new rating waits.
    fn new_rating(&self) -> impl Future<Output = ()> + Send;
    /// Resolves when the service shuts down.
    fn closed(&self) -> impl Future<Output = ()> + Send;
}

fn default_timeout() -> u64 {
    20
}

fn default_backoff() -> u64 {
    1000
}

fn default_max_backoff() -> u64 {
    300_000
}

fn default_heartbeat() -> u64 {
    60
}

fn default_catalogue_poll() -> u64 {
    300
}

/// How one push ended.
#[derive(Debug, PartialEq)]
enum Outcome {
    Acknowledged(Vec<String>),
    /// The receiver wants the chain resent from this sequence number.
    ResendFrom(i64),
    Failed(String),
}

#[derive(Deserialize)]
struct Ack {
    acknowledged: Vec<String>,
}

fn push(agent: &ureq::Agent, url: &str, token: &str, body: &Value) -> Outcome {
    let resp = agent
        .post(&format!("{}/api/v1/push/ratings", url.trim_end_matches('/')))
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body);
    let mut resp = match resp {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(format!("cannot reach the central service: {e}")),
    };
    let status = resp.status().as_u16();
    let text = match resp.body_mut().read_to_string() {
        Ok(t) => t,
        Err(e) => return Outcome::Failed(format!("the answer was cut off ({status}): {e}")),
    };
    match status {
        200 => match serde_json::from_str::<Ack>(&text) {
            Ok(ack) => Outcome::Acknowledged(ack.acknowledged),
            Err(e) => Outcome::Failed(format!("unreadable acknowledgement: {e}")),
        },
        409 => {
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match (v["error"]["code"].as_str(), v["error"]["expected_seq"].as_i64()) {
                (Some("chain_gap"), Some(seq)) => Outcome::ResendFrom(seq),
                _ => Outcome::Failed(format!("409: {text}")),
            }
        }
        _ => Outcome::Failed(format!("{status}: {}", text.chars().take(300).collect::<String>())),
    }
}

fn credential(data_dir: &Path, cfg: &CentralConfig) -> Result<String, String> {
    if let Ok(t) = std::env::var("KIOSK_CENTRAL_TOKEN") {
        return Ok(t.trim().to_string());
    }
    let file = cfg.credential_file.clone().unwrap_or_else(|| "central.credential".into());
    let path = if file.is_absolute() { file } else { data_dir.join(file) };
    std::fs::read_to_string(&path)
        .map(|t| t.trim().to_string())
        .map_err(|e| format!("no central credential: set KIOSK_CENTRAL_TOKEN or write it to {} ({e})", path.display()))
}

fn jitter(d: Duration) -> Duration {
    let r = uuid::Uuid::new_v4().as_u128() as u64 % 1000;
    d + d.mul_f64(r as f64 / 2000.0) // up to +50 %
}

/// Push until the service shuts down; the credential file is looked for under `data_dir`.
pub async fn run(outbox: impl Outbox, cfg: CentralConfig, data_dir: PathBuf) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(cfg.timeout_secs)))
        .build()
        .into();
    let first = Duration::from_millis(cfg.first_retry_ms.max(10));
    let max_backoff = Duration::from_millis(cfg.max_retry_ms.max(cfg.first_retry_ms));
    let mut backoff = first;
    // `Some(seq)`: the receiver asked for the chain from `seq`, read from the ratings table (it
    // may have been acknowledged and left the outbox long ago).
    let mut resend_from: Option<i64> = None;
    let closed = outbox.closed();
    tokio::pin!(closed);
    loop {
        let read = match resend_from {
            Some(seq) => outbox.chain_from(seq, BATCH).await,
            None => outbox.pending(0, BATCH).await,
        };
        let batch: Vec<Link> = match read {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the outbox");
                Vec::new()
            }
        };
        let outcome = if batch.is_empty() {
            Outcome::Acknowledged(Vec::new())
        } else {
            match credential(&data_dir, &cfg) {
                Err(e) => Outcome::Failed(e),
                Ok(token) => {
                    let body = json!({
                        "protocol": 1,
                        "kiosk_id": outbox.kiosk_id(),
                        "public_key": outbox.public_key(),
                        "ratings": batch,
                    });
                    let (agent, url) = (agent.clone(), cfg.url.clone());
                    tokio::task::spawn_blocking(move || push(&agent, &url, &token, &body))
                        .await
                        .unwrap_or_else(|e| Outcome::Failed(e.to_string()))
                }
            }
        };
        let wait = match outcome {
            Outcome::Acknowledged(ids) if batch.is_empty() && ids.is_empty() => None,
            Outcome::Acknowledged(ids) => {
                let n = ids.len();
                match outbox.acknowledge(ids).await {
                    Ok(_) => tracing::info!(acknowledged = n, "ratings delivered to the central service"),
                    Err(e) => tracing::error!(error = %e, "cannot record the acknowledgement"),
                }
                backoff = first;
                resend_from = None;
                Some(Duration::ZERO)
            }
            // Asked again for what was just resent (or for what this kiosk does not have): no
            // progress, so wait as after a failure instead of resending at once forever.
            Outcome::ResendFrom(seq) if resend_from == Some(seq) || (batch.is_empty() && resend_from.is_some()) => {
                let e = format!("the central service asks again for the chain from #{seq}, already resent");
                tracing::warn!(seq, retry_in_ms = backoff.as_millis() as u64, "{e}");
                outbox.record_failure(e).await;
                let wait = jitter(backoff);
                backoff = (backoff * 2).min(max_backoff);
                resend_from = Some(seq);
                Some(wait)
            }
            Outcome::ResendFrom(seq) => {
                tracing::warn!(seq, "the central service asks to resend from an earlier rating");
                resend_from = Some(seq);
                Some(Duration::ZERO)
            }
            Outcome::Failed(e) => {
                tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "rating push failed");
                outbox.record_failure(e).await;
                let wait = jitter(backoff);
                backoff = (backoff * 2).min(max_backoff);
                Some(wait)
            }
        };
        match wait {
            Some(d) if d.is_zero() => continue,
            // Wait for the backoff, or (when idle) for a new rating, checking now and then anyway.
            Some(d) => tokio::select! {
                _ = tokio::time::sleep(d) => {},
                _ = &mut closed => return,
            },
            None => tokio::select! {
                _ = outbox.new_rating() => {},
                _ = tokio::time::sleep(Duration::from_secs(60)) => {},
                _ = &mut closed => return,
            },
        }
    }
}
