//! The backend of a second kiosk: the main kiosk's HTTP API (`kioskd` or another `kiosk`),
//! with the same JSON the local backend reshapes to. Static things (centre name, priority
//! categories, rating scale) come from this kiosk's own copy of the configuration.

use std::io::BufRead;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::backend::{
    Backend, Choice, Dossier, Failure, Field, Finished, Found, KioskInfo, Level, Procedure, QueueService, Result, Ticket,
};

pub struct RemoteBackend {
    base: String,
    agent: ureq::Agent,
    info: KioskInfo,
    /// The bearer token of this kiosk as an enrolled rating device (`kioskd enroll-device`):
    /// without it the main kiosk refuses ratings by ticket number (403 `device_not_enrolled`).
    device_token: Option<String>,
}

/// Path segments and query values are sent percent-encoded (codes may hold spaces or '/').
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl RemoteBackend {
    /// What a second kiosk without its own configuration file can learn from the server: the
    /// rating scale. No centre name and no priority question (the API does not publish them).
    pub fn info_from_server(server: &str) -> Result<KioskInfo> {
        let probe = RemoteBackend::new(server, KioskInfo::default());
        let levels: Vec<Value> = probe.get("/api/v1/ratings/levels")?;
        let reasons: Vec<Value> = probe.get("/api/v1/ratings/reasons")?;
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        Ok(KioskInfo {
            public_url: probe.base.clone(),
            levels: levels
                .iter()
                .map(|l| Level {
                    code: text(l, "code"),
                    label_vi: text(l, "label_vi"),
                    label_en: text(l, "label_en"),
                    official: text(l, "official"),
                    asks_reason: l["asks_reason"] == true,
                })
                .collect(),
            reasons: reasons
                .iter()
                .map(|r| Choice { code: text(r, "code"), label_vi: text(r, "label_vi"), label_en: text(r, "label_en") })
                .collect(),
            ..KioskInfo::default()
        })
    }

    pub fn new(server: &str, info: KioskInfo) -> RemoteBackend {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(10))).build().into();
        RemoteBackend { base: server.trim_end_matches('/').to_string(), agent, info, device_token: None }
    }

    /// Rate as the enrolled rating device holding `token`.
    pub fn with_device_token(mut self, token: Option<String>) -> RemoteBackend {
        self.device_token = token.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        self
    }

    fn read<T: DeserializeOwned>(resp: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<T> {
        let mut resp = resp.map_err(|e| Failure::new("unreachable", e.to_string()))?;
        let status = resp.status().as_u16();
        let body: Value = resp.body_mut().read_json().map_err(|e| Failure::new("unreachable", e.to_string()))?;
        if status >= 400 {
            let e = &body["error"];
            return Err(Failure::new(e["code"].as_str().unwrap_or("error"), e["message"].as_str().unwrap_or_default()));
        }
        serde_json::from_value(body).map_err(|e| Failure::new("internal", e.to_string()))
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        Self::read(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    fn post<T: DeserializeOwned>(&self, path: &str, body: Value) -> Result<T> {
        Self::read(self.agent.post(&format!("{}{path}", self.base)).send_json(&body))
    }
}

impl Backend for RemoteBackend {
    fn info(&self) -> &KioskInfo {
        &self.info
    }

    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::Utc::now().with_timezone(&self.info.offset)
    }

    fn services(&self) -> Result<Vec<QueueService>> {
        self.get("/api/v1/services")
    }

    fn issue(&self, service: &str, priority: Option<&str>) -> Result<Ticket> {
        self.post("/api/v1/tickets", json!({"service": service, "priority": priority}))
    }

    fn fields(&self) -> Result<Vec<Field>> {
        self.get("/api/v1/procedures/fields")
    }

    fn search(&self, query: &str, field: Option<&str>, limit: usize) -> Result<Found> {
        let mut path = format!("/api/v1/procedures?q={}&limit={limit}", encode(query));
        if let Some(f) = field {
            path.push_str(&format!("&field={}", encode(f)));
        }
        self.get(&path)
    }

    fn procedure(&self, code: &str) -> Result<Procedure> {
        let mut record: Value = self.get(&format!("/api/v1/procedures/{}", encode(code)))?;
        // The API adds the field's code and the public code (derived from `unconfirmed`) to the
        // record; the catalogue type derives them itself.
        if let Some(o) = record.as_object_mut() {
            o.remove("field_code");
            o.remove("public_code");
        }
        serde_json::from_value(record).map_err(|e| Failure::new("internal", e.to_string()))
    }

    fn print_checklist(&self, code: &str) -> Result<bool> {
        // Printed on the main kiosk's printer: the second kiosk has none of its own.
        let answer: Value = self.post(&format!("/api/v1/procedures/{}/print-checklist", encode(code)), json!({}))?;
        Ok(answer["printed"].as_bool() == Some(true))
    }

    fn dossier(&self, typed_code: &str) -> Result<Dossier> {
        self.get(&format!("/api/v1/dossiers/{}", encode(typed_code.trim())))
    }

    fn rate(&self, number: &str, level: &str, reasons: &[String]) -> Result<()> {
        let mut req = self.agent.post(&format!("{}/api/v1/ratings", self.base));
        if let Some(token) = &self.device_token {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        let _: Value = Self::read(req.send_json(json!({"ticket_number": number, "level": level, "reasons": reasons})))?;
        Ok(())
    }

    fn ticket_announcement(&self, number: &str) -> Result<firmware::voice::Announcement> {
        // The main kiosk words it; the clips are played from this kiosk's own copy of the bank.
        let answer: Value = self.get(&format!("/api/v1/announcements/{}/kiosk", encode(number)))?;
        let clips = answer["clips"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|url| {
                let url = url.as_str().unwrap_or_default();
                let slug = url.strip_prefix("/voice/").and_then(|f| f.strip_suffix(".wav")).unwrap_or(url);
                firmware::voice::bank::by_slug(slug)
                    .ok_or_else(|| Failure::new("unknown_clip", format!("this kiosk has no voice clip {url:?}")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(firmware::voice::Announcement { text: answer["text"].as_str().unwrap_or_default().to_string(), clips })
    }

    fn request_help(&self) -> Result<()> {
        let _: Value = self.post("/api/v1/help", json!({}))?;
        Ok(())
    }

    fn watch_finished(&self, counter: u32, on_finished: Box<dyn Fn(Finished) + Send>) {
        let url = format!("{}/api/v1/events", self.base);
        // A stream has no overall deadline; reconnect after any break.
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        std::thread::spawn(move || loop {
            if let Ok(resp) = agent.get(&url).call() {
                let mut name = String::new();
                for line in std::io::BufReader::new(resp.into_body().into_reader()).lines() {
                    let Ok(line) = line else { break };
                    if let Some(n) = line.strip_prefix("event:") {
                        name = n.trim().to_string();
                    } else if let Some(data) = line.strip_prefix("data:") {
                        // Names this kiosk does not know (a newer server, `lagged`) are skipped.
                        if let Ok(event) = firmware::events::Event::from_wire(&name, data.trim()) {
                            if let Some(f) = crate::backend::finished_at(&event, counter) {
                                on_finished(f);
                            }
                        }
                    }
                }
            }
            std::thread::sleep(Duration::from_secs(3));
        });
    }
}
