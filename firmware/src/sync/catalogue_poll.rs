//! Fetching the province's catalogue (`docs/sync-protocol.md`, "Catalogue bundles"): every
//! `catalogue_poll_seconds` (plus up to 10 % jitter), and soon after a heartbeat answer names a
//! newer published version, the kiosk asks central for the newest bundle with the ETag of the
//! last one it downloaded; "304 Not Modified" costs nothing. A new bundle is handed to the
//! service, which checks it (signature with the configured province key, files, version,
//! catalogue rules) and swaps it in or refuses it — this task only fetches.
//!
//! Like every call to central, a failure only delays: the kiosk keeps serving the catalogue it
//! has, and polls again at the next interval.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;
use tokio::time::Instant;

use super::CentralConfig;

/// A receiver without the bundle route (protocol 1) is asked again after this.
const NOT_SPOKEN_PAUSE: Duration = Duration::from_secs(3600);
/// After a heartbeat answer names a newer catalogue, poll this soon.
const SOON: Duration = Duration::from_secs(1);

/// What became of a downloaded bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// Checked and in use from now on.
    Installed { version: u64 },
    /// The very bundle already in use.
    Unchanged,
    /// Refused, nothing changed: the protocol's `reason` and why.
    Refused { reason: &'static str, message: String },
}

/// The catalogue as the poll task needs it; the service gives the task this narrow handle.
pub trait Catalogue: Send + Sync + 'static {
    /// The version in use (0 for the files shipped with the kiosk).
    fn version(&self) -> u64;
    /// The ETag of the bundle in use, if it came from central.
    fn etag(&self) -> Option<String>;
    /// Check `body` and install it, or refuse it.
    fn install(&self, body: Vec<u8>) -> impl Future<Output = Installed> + Send;
    /// The newest version central says it published (from heartbeat answers).
    fn announced(&self) -> watch::Receiver<u64>;
    /// Resolves when the service shuts down.
    fn closed(&self) -> impl Future<Output = ()> + Send;
}

/// How one poll ended.
#[derive(Debug, PartialEq)]
enum Fetched {
    /// A bundle and its ETag.
    Bundle {
        body: Vec<u8>,
        etag: Option<String>,
    },
    /// 304, or 404 `no_catalogue`: nothing new.
    Nothing,
    /// A protocol-1 receiver.
    NotSpoken,
    Failed(String),
}

fn fetch(agent: &ureq::Agent, url: &str, token: &str, etag: Option<&str>) -> Fetched {
    let mut req =
        agent.get(&format!("{}/api/v1/catalogue/bundle", url.trim_end_matches('/'))).header("Authorization", &format!("Bearer {token}"));
    if let Some(tag) = etag {
        req = req.header("If-None-Match", tag);
    }
    let mut resp = match req.call() {
        Ok(r) => r,
        Err(e) => return Fetched::Failed(format!("cannot reach the central service: {e}")),
    };
    let status = resp.status().as_u16();
    let etag = resp.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_string);
    // A bigger answer than a bundle may be is an error here, never read into memory whole.
    let body = resp.body_mut().with_config().limit(catalogue::bundle::MAX_BYTES as u64).read_to_vec();
    let body = match body {
        Ok(b) => b,
        Err(e) => return Fetched::Failed(format!("the answer was cut off ({status}): {e}")),
    };
    match status {
        200 => Fetched::Bundle { body, etag },
        304 => Fetched::Nothing,
        404 => {
            let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if v["error"]["code"] == "no_catalogue" {
                Fetched::Nothing
            } else {
                Fetched::NotSpoken
            }
        }
        s => Fetched::Failed(format!("{s}: {}", String::from_utf8_lossy(&body).chars().take(300).collect::<String>())),
    }
}

/// Poll until the service shuts down; the credential is looked for under `data_dir`.
pub async fn run(catalogue: impl Catalogue, cfg: CentralConfig, data_dir: PathBuf) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(cfg.timeout_secs.max(60))))
        .build()
        .into();
    let interval = Duration::from_secs(cfg.catalogue_poll_seconds.max(1));
    let mut announced = catalogue.announced();
    let closed = catalogue.closed();
    tokio::pin!(closed);
    // The ETag of the last bundle downloaded, accepted or refused: a refused bundle is not
    // downloaded again until central publishes another one.
    let mut etag = catalogue.etag();
    let mut next = Instant::now();
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(next) => {}
            changed = announced.changed() => {
                if changed.is_err() {
                    return;
                }
                let version = *announced.borrow_and_update();
                if version > catalogue.version() {
                    tracing::info!(version, "central announces a newer catalogue");
                    next = next.min(Instant::now() + SOON);
                }
                continue;
            }
            _ = &mut closed => return,
        }
        next = Instant::now() + super::heartbeat::spread(interval, 0.1);
        let token = match super::credential(&data_dir, &cfg) {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "catalogue not polled");
                continue;
            }
        };
        let (a, url, tag) = (agent.clone(), cfg.url.clone(), etag.clone());
        let fetched = tokio::task::spawn_blocking(move || fetch(&a, &url, &token, tag.as_deref()))
            .await
            .unwrap_or_else(|e| Fetched::Failed(e.to_string()));
        match fetched {
            Fetched::Bundle { body, etag: tag } => {
                etag = tag;
                // The service logs what it installed or refused, and why.
                if catalogue.install(body).await == Installed::Unchanged {
                    tracing::debug!("the catalogue bundle in use is still the newest");
                }
            }
            Fetched::Nothing => tracing::debug!("no new catalogue"),
            Fetched::NotSpoken => {
                tracing::warn!("the central service has no catalogue route (protocol 1); asking again in an hour");
                next = Instant::now() + NOT_SPOKEN_PAUSE;
            }
            Fetched::Failed(e) => tracing::warn!(error = %e, "catalogue poll failed; the catalogue in use stays"),
        }
    }
}
