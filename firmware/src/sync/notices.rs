//! Sending SMS / Zalo notices (issue 19) from the durable outbox: a task reads the notices due,
//! posts each to the configured gateway — a generic HTTP webhook (URL, headers, JSON body
//! template) that fits the common SMS-brandname APIs, or Zalo ZNS (template id and data) — with
//! a timeout and the notice's idempotency key (the `Idempotency-Key` header, and `{idempotency_key}`
//! in the body), and records the outcome. 2xx: sent. 4xx other than 408 and 429: refused for
//! good. Anything else (5xx, timeout, a connection dropped before the answer): tried again,
//! 5 s doubling to 10 min with jitter, until the day ends (the rollover deletes the day's
//! notices). The same key goes with every attempt, so a gateway that deduplicates sends one SMS.
//!
//! Never on the request path: issuing and calling only write a row; a dead or hanging gateway
//! delays notices, never the queue. The task sees the outbox through the narrow [`NoticeOutbox`]
//! the service gives it. Nothing it logs holds a phone number or a notice's text.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::notice::{self, Encoding, NoticeKind, Templates};

/// `[notify]`: where and how notices go.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyConfig {
    pub gateway: Gateway,
    /// The gateway's URL (Zalo: "https://business.openapi.zalo.me/message/template").
    pub url: String,
    /// The approaching notice goes when this many people or fewer are ahead (default 3).
    pub ahead: u32,
    /// Longest one attempt may take.
    pub timeout: Duration,
    /// Plain GSM-7 without diacritics (160 characters; default) or Unicode (70).
    pub encoding: Encoding,
    /// The three texts, with their placeholders.
    pub texts: Templates,
    /// The file holding the gateway's secret (API key, Zalo access token), relative to the data
    /// directory (default "notify.secret"); read at each attempt, never logged.
    pub secret_file: PathBuf,
    /// First retry delay; doubles up to `max_retry`.
    pub first_retry: Duration,
    pub max_retry: Duration,
}

/// The two kinds of gateway.
#[derive(Debug, Clone, PartialEq)]
pub enum Gateway {
    /// A generic HTTP webhook: `headers` (values may say `{secret}` and `{idempotency_key}`) and a
    /// JSON `body` whose strings may say `{phone}`, `{text}`, `{idempotency_key}`, `{kind}`. A
    /// `body` that is one string is JSON text written as a template (`[notify] body = '{"to":
    /// "{phone}"}'`): the values go in JSON-escaped.
    Webhook { headers: Vec<(String, String)>, body: Value },
    /// Zalo ZNS: a pre-approved template per notice; the access token is the secret.
    Zalo { templates: Vec<(NoticeKind, ZaloTemplate)> },
}

/// A Zalo ZNS template: its id and its parameters, each filled from the notice's placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct ZaloTemplate {
    pub template_id: String,
    pub data: Vec<(String, String)>,
}

/// Placeholders of a webhook body and of header values.
pub const BODY_PLACEHOLDERS: &[&str] = &["phone", "text", "idempotency_key", "kind"];
pub const HEADER_PLACEHOLDERS: &[&str] = &["secret", "idempotency_key"];

/// What `[notify]` gives a setting it does not name.
pub const DEFAULT_AHEAD: u32 = 3;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_FIRST_RETRY: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_RETRY: Duration = Duration::from_secs(600);
pub const DEFAULT_SECRET_FILE: &str = "notify.secret";

impl NotifyConfig {
    /// A webhook gateway at `url` taking `body`, no headers, every other setting at its default:
    /// what `[notify]` with `gateway = "webhook"`, `url` and `body` alone reads as.
    pub fn webhook(url: &str, body: Value) -> NotifyConfig {
        NotifyConfig {
            gateway: Gateway::Webhook { headers: Vec::new(), body },
            url: url.to_string(),
            ahead: DEFAULT_AHEAD,
            timeout: DEFAULT_TIMEOUT,
            encoding: Encoding::Unaccented,
            texts: Templates::default(),
            secret_file: DEFAULT_SECRET_FILE.into(),
            first_retry: DEFAULT_FIRST_RETRY,
            max_retry: DEFAULT_MAX_RETRY,
        }
    }

    /// Where the secret is, under `data_dir`.
    pub fn secret_path(&self, data_dir: &Path) -> PathBuf {
        if self.secret_file.is_absolute() {
            self.secret_file.clone()
        } else {
            data_dir.join(&self.secret_file)
        }
    }

    /// Whether sending needs the secret file.
    fn needs_secret(&self) -> bool {
        match &self.gateway {
            Gateway::Zalo { .. } => true,
            Gateway::Webhook { headers, .. } => headers.iter().any(|(_, v)| v.contains("{secret}")),
        }
    }
}

/// A notice to send, as the outbox gives it.
#[derive(Clone)]
pub struct Outgoing {
    pub id: i64,
    pub key: String,
    pub kind: NoticeKind,
    /// `84…`.
    pub phone: String,
    pub text: String,
    /// The placeholders' values (Zalo template data).
    pub values: Vec<(String, String)>,
}

/// The outbox as the sender needs it; the service gives the task this narrow handle.
pub trait NoticeOutbox: Send + Sync + 'static {
    /// Today's notices still to send, oldest first.
    fn pending(&self, limit: usize) -> impl Future<Output = Result<Vec<Outgoing>, String>> + Send;
    /// The gateway took it.
    fn sent(&self, id: i64) -> impl Future<Output = ()> + Send;
    /// The gateway refused it for good.
    fn failed(&self, id: i64, error: String) -> impl Future<Output = ()> + Send;
    /// One attempt failed; it will be tried again.
    fn attempt_failed(&self, id: i64, error: String) -> impl Future<Output = ()> + Send;
    /// Resolves when a new notice is queued.
    fn new_notice(&self) -> impl Future<Output = ()> + Send;
    /// Resolves when the service shuts down.
    fn closed(&self) -> impl Future<Output = ()> + Send;
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Sent,
    /// Refused for good (a 4xx other than 408/429, a Zalo error that will not go away).
    Refused(String),
    /// Worth trying again.
    Retry(String),
}

/// The request for `n`: URL, headers, JSON body. `Err`: cannot be built (a missing secret).
fn request(cfg: &NotifyConfig, secret: Option<&str>, n: &Outgoing) -> Result<(Vec<(String, String)>, Value), String> {
    let mut headers = vec![("Idempotency-Key".to_string(), n.key.clone())];
    match &cfg.gateway {
        Gateway::Webhook { headers: configured, body } => {
            for (name, value) in configured {
                let v = notice::fill(value, &|p| match p {
                    "secret" => secret.map(str::to_string),
                    "idempotency_key" => Some(n.key.clone()),
                    _ => None,
                })
                .map_err(|p| format!("header {name}: no value for {{{p}}}"))?;
                headers.push((name.clone(), v));
            }
            let fill = |s: &str| {
                notice::fill(s, &|p| match p {
                    "phone" => Some(n.phone.clone()),
                    "text" => Some(n.text.clone()),
                    "idempotency_key" => Some(n.key.clone()),
                    "kind" => Some(n.kind.as_str().to_string()),
                    _ => None,
                })
                .unwrap_or_else(|_| s.to_string())
            };
            let body = match body {
                Value::String(template) => {
                    let escaped = |s: String| {
                        let quoted = Value::String(s).to_string();
                        quoted[1..quoted.len() - 1].to_string()
                    };
                    let text = notice::fill(template, &|p| match p {
                        "phone" => Some(escaped(n.phone.clone())),
                        "text" => Some(escaped(n.text.clone())),
                        "idempotency_key" => Some(escaped(n.key.clone())),
                        "kind" => Some(n.kind.as_str().to_string()),
                        _ => None,
                    })
                    .map_err(|p| format!("the body says {{{p}}}"))?;
                    serde_json::from_str(&text).map_err(|e| format!("the body template does not give JSON: {e}"))?
                }
                other => fill_strings(other, &fill),
            };
            Ok((headers, body))
        }
        Gateway::Zalo { templates } => {
            let token = secret.ok_or("no Zalo access token")?;
            headers.push(("access_token".into(), token.to_string()));
            let t = templates.iter().find(|(k, _)| *k == n.kind).map(|(_, t)| t).ok_or("no Zalo template for this notice")?;
            let data: Map<String, Value> = t
                .data
                .iter()
                .map(|(param, template)| {
                    let v = notice::fill(template, &|p| n.values.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone()))
                        .unwrap_or_else(|_| template.clone());
                    (param.clone(), Value::String(v))
                })
                .collect();
            Ok((headers, json!({"phone": n.phone, "template_id": t.template_id, "template_data": data, "tracking_id": n.key})))
        }
    }
}

/// Every string of `v` with its placeholders filled.
fn fill_strings(v: &Value, fill: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(fill(s)),
        Value::Array(items) => Value::Array(items.iter().map(|i| fill_strings(i, fill)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), fill_strings(v, fill))).collect()),
        other => other.clone(),
    }
}

/// One attempt, blocking (run off the runtime).
fn post(agent: &ureq::Agent, cfg: &NotifyConfig, headers: &[(String, String)], body: &Value) -> Outcome {
    let mut req = agent.post(&cfg.url);
    for (name, value) in headers {
        req = req.header(name.as_str(), value.as_str());
    }
    let mut resp = match req.send_json(body) {
        Ok(r) => r,
        // Unreachable, timed out, or the connection dropped before the answer: the gateway may
        // have sent it; the same key goes again.
        Err(e) => return Outcome::Retry(format!("no answer from the gateway: {}", error_kind(&e))),
    };
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    match status {
        200..=299 => match &cfg.gateway {
            // Zalo answers 200 with {"error": 0} on success and a negative code otherwise.
            Gateway::Zalo { .. } => match serde_json::from_str::<Value>(&text).ok().and_then(|v| v["error"].as_i64()) {
                Some(0) => Outcome::Sent,
                Some(code) => Outcome::Retry(format!("Zalo error {code}")),
                None => Outcome::Retry("Zalo gave an unreadable answer".into()),
            },
            Gateway::Webhook { .. } => Outcome::Sent,
        },
        408 | 429 => Outcome::Retry(format!("the gateway answered {status}")),
        400..=499 => Outcome::Refused(format!("the gateway refused the notice ({status})")),
        _ => Outcome::Retry(format!("the gateway answered {status}")),
    }
}

/// What went wrong, without the URL's query or anything the request carried.
fn error_kind(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::Io(io) => format!("connection: {}", io.kind()),
        ureq::Error::ConnectionFailed => "cannot connect".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        // Never the error's own words: they may hold the URL, and a provider's key may be in it.
        _ => "the request could not be made".into(),
    }
}

fn jitter(d: Duration) -> Duration {
    let r = uuid::Uuid::new_v4().as_u128() as u64 % 1000;
    d + d.mul_f64(r as f64 / 4000.0) // up to +25 %
}

fn read_secret(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .map_err(|e| format!("cannot read the gateway's secret {}: {}", path.display(), e.kind()))
}

/// Send until the service shuts down; the secret file is looked for under `data_dir`.
pub async fn run(outbox: impl NoticeOutbox, cfg: NotifyConfig, data_dir: PathBuf) {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(cfg.timeout)).max_redirects(0).build().into();
    // When each notice that failed may be tried again, and its current delay (kept in memory: a
    // restart tries every pending notice at once, then backs off again).
    let mut retry: HashMap<i64, (Instant, Duration)> = HashMap::new();
    let closed = outbox.closed();
    tokio::pin!(closed);
    loop {
        let pending = match outbox.pending(64).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the notices' outbox");
                Vec::new()
            }
        };
        retry.retain(|id, _| pending.iter().any(|n| n.id == *id));
        let now = Instant::now();
        let due: Vec<Outgoing> = pending.into_iter().filter(|n| retry.get(&n.id).is_none_or(|(at, _)| *at <= now)).collect();
        let secret = if cfg.needs_secret() && !due.is_empty() { Some(read_secret(&cfg.secret_path(&data_dir))) } else { None };
        for n in due {
            let built = match &secret {
                Some(Err(e)) => Err(e.clone()),
                Some(Ok(s)) => request(&cfg, Some(s), &n),
                None => request(&cfg, None, &n),
            };
            let outcome = match built {
                Err(e) => Outcome::Retry(e),
                Ok((headers, body)) => {
                    let (agent, cfg) = (agent.clone(), cfg.clone());
                    tokio::task::spawn_blocking(move || post(&agent, &cfg, &headers, &body))
                        .await
                        .unwrap_or_else(|e| Outcome::Retry(e.to_string()))
                }
            };
            match outcome {
                Outcome::Sent => {
                    tracing::info!(notice = n.id, kind = n.kind.as_str(), "notice sent");
                    retry.remove(&n.id);
                    outbox.sent(n.id).await;
                }
                Outcome::Refused(e) => {
                    tracing::warn!(notice = n.id, kind = n.kind.as_str(), error = %e, "notice refused by the gateway; not retried");
                    retry.remove(&n.id);
                    outbox.failed(n.id, e).await;
                }
                Outcome::Retry(e) => {
                    let delay = retry.get(&n.id).map_or(cfg.first_retry, |(_, d)| (*d * 2).min(cfg.max_retry));
                    tracing::warn!(notice = n.id, kind = n.kind.as_str(), error = %e, retry_in_ms = delay.as_millis() as u64, "notice not sent yet");
                    retry.insert(n.id, (Instant::now() + jitter(delay), delay));
                    outbox.attempt_failed(n.id, e).await;
                }
            }
        }
        // Sleep until the next retry is due, a new notice is queued, or a minute passes.
        let next = retry.values().map(|(at, _)| *at).min();
        let wait = next.map_or(Duration::from_secs(60), |at| at.saturating_duration_since(Instant::now()).min(Duration::from_secs(60)));
        if wait.is_zero() {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {},
            _ = outbox.new_notice() => {},
            _ = &mut closed => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing() -> Outgoing {
        Outgoing {
            id: 1,
            key: "k-1".into(),
            kind: NoticeKind::Approaching,
            phone: "84912345678".into(),
            text: "So A012 \"sap\" den luot".into(),
            values: vec![("number".into(), "A012".into()), ("ahead".into(), "3".into())],
        }
    }

    fn config(gateway: Gateway) -> NotifyConfig {
        NotifyConfig { gateway, timeout: Duration::from_secs(5), ..NotifyConfig::webhook("http://127.0.0.1:1/sms", Value::Null) }
    }

    #[test]
    fn a_webhook_body_is_filled_as_json_and_carries_the_key() {
        let body =
            json!({"to": "{phone}", "message": "{text}", "ref": "{idempotency_key}", "brandname": "UBND", "n": 1, "list": ["{kind}"]});
        let cfg = config(Gateway::Webhook { headers: vec![("Authorization".into(), "Bearer {secret}".into())], body });
        let (headers, body) = request(&cfg, Some("s3cret"), &outgoing()).unwrap();
        assert!(headers.contains(&("Idempotency-Key".into(), "k-1".into())));
        assert!(headers.contains(&("Authorization".into(), "Bearer s3cret".into())));
        assert_eq!(
            body,
            json!({"to": "84912345678", "message": "So A012 \"sap\" den luot", "ref": "k-1", "brandname": "UBND", "n": 1, "list": ["approaching"]})
        );
        assert!(request(&cfg, None, &outgoing()).is_err(), "a header that needs the secret waits for it");
    }

    #[test]
    fn a_body_written_as_json_text_gets_its_values_escaped() {
        let body = Value::String(r#"{"to": "{phone}", "sms": "{text}", "ref": "{idempotency_key}"}"#.into());
        let cfg = config(Gateway::Webhook { headers: vec![], body });
        let (_, body) = request(&cfg, None, &outgoing()).unwrap();
        assert_eq!(body, json!({"to": "84912345678", "sms": "So A012 \"sap\" den luot", "ref": "k-1"}));
    }

    #[test]
    fn a_zalo_request_names_the_template_and_its_data() {
        let t = ZaloTemplate {
            template_id: "231231".into(),
            data: vec![("so_phieu".into(), "{number}".into()), ("con".into(), "{ahead} người".into())],
        };
        let cfg = config(Gateway::Zalo { templates: vec![(NoticeKind::Approaching, t)] });
        let (headers, body) = request(&cfg, Some("tok"), &outgoing()).unwrap();
        assert!(headers.contains(&("access_token".into(), "tok".into())));
        assert_eq!(
            body,
            json!({"phone": "84912345678", "template_id": "231231", "template_data": {"so_phieu": "A012", "con": "3 người"}, "tracking_id": "k-1"})
        );
        let mut called = outgoing();
        called.kind = NoticeKind::Called;
        assert!(request(&cfg, Some("tok"), &called).is_err());
    }
}
