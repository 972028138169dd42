//! The backend of a second kiosk: the main kiosk's HTTP API (`kioskd` or another `kiosk`),
//! with the same JSON the local backend reshapes to. Static things (centre name, priority
//! categories, rating scale) come from this kiosk's own copy of the configuration, or from the
//! main service. With a printer of its own (`crate::station`) it prints what it dispenses
//! itself, as the enrolled kiosk its token names, and reports each outcome back.

use std::io::BufRead;
use std::sync::RwLock;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::backend::{
    Backend, CardScan, Choice, Dossier, Failure, Field, Finished, Found, KioskInfo, Level, NoticeSubscription, Procedure, QueueService,
    Result, Ticket,
};

pub struct RemoteBackend {
    base: String,
    agent: ureq::Agent,
    /// Asks whether the main service is there: a short deadline.
    probe: ureq::Agent,
    info: RwLock<KioskInfo>,
    /// This kiosk's own printer (with a device token): the main service prints nothing for it.
    own_printer: Option<crate::station::OwnPrinter>,
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
    /// What a second kiosk without the centre's configuration file learns from the server: the
    /// centre's name, link and priority categories (`/api/v1/centre`; an older server has none)
    /// and the rating scale.
    pub fn info_from_server(server: &str) -> Result<KioskInfo> {
        let probe = RemoteBackend::new(server, KioskInfo::default());
        let levels: Vec<Value> = probe.get("/api/v1/ratings/levels")?;
        let reasons: Vec<Value> = probe.get("/api/v1/ratings/reasons")?;
        let centre: Value = match probe.get("/api/v1/centre") {
            Ok(c) => c,
            Err(e) if e.code == "not_found" => Value::Null,
            Err(e) => return Err(e),
        };
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let offset = centre["utc_offset_seconds"].as_i64().and_then(|s| chrono::FixedOffset::east_opt(s as i32));
        Ok(KioskInfo {
            centre_name: text(&centre, "name"),
            offset: offset.unwrap_or_else(firmware::calendar::vietnam_offset),
            public_url: centre["public_url"].as_str().map(str::to_string).unwrap_or_else(|| probe.base.clone()),
            priorities: centre["priorities"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Choice { code: text(p, "code"), label_vi: text(p, "name_vi"), label_en: text(p, "name_en") })
                .collect(),
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
            elderly_priority: centre["elderly_priority"].as_str().map(str::to_string),
            notify_ahead: centre["notify_ahead"].as_u64().filter(|_| centre["notices"] == true).map(|n| n as u32),

            // The screens' waits and the reading of numbers: this kiosk's defaults.
            ..KioskInfo::default()
        })
    }

    pub fn new(server: &str, info: KioskInfo) -> RemoteBackend {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(10))).build().into();
        let probe = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(3))).build().into();
        RemoteBackend {
            base: server.trim_end_matches('/').to_string(),
            agent,
            probe,
            info: RwLock::new(info),
            own_printer: None,
            device_token: None,
        }
    }

    /// Print what this kiosk dispenses on `printer` (needs the device token: the main service
    /// then prints nothing for it).
    pub fn with_own_printer(mut self, printer: crate::station::OwnPrinter) -> RemoteBackend {
        self.own_printer = Some(printer);
        self
    }

    pub fn own_printer(&self) -> Option<&crate::station::OwnPrinter> {
        self.own_printer.as_ref().filter(|_| self.device_token.is_some())
    }

    /// Whether the main service answers and its database with it.
    pub fn ping(&self) -> bool {
        self.probe.get(&format!("{}/healthz", self.base)).call().is_ok_and(|r| r.status() == 200)
    }

    /// Learn the centre again from the main service (it may have changed while away).
    pub fn refresh_info(&self) -> Result<()> {
        let mut fresh = RemoteBackend::info_from_server(&self.base)?;
        let mut info = self.info.write().unwrap_or_else(|e| e.into_inner());
        // Keep what this kiosk's own copy of the configuration said where the server is silent.
        if fresh.centre_name.is_empty() {
            fresh.centre_name = info.centre_name.clone();
        }
        *info = fresh;
        Ok(())
    }

    /// Tell the main service this kiosk's printer state (shown on `/counter` by kiosk name).
    pub fn report_printer(&self, state: printer::PrinterState) -> Result<()> {
        let _: Value = self.post_as_kiosk("/api/v1/kiosks/printer", json!({"state": firmware::printing::state_name(state)}))?;
        Ok(())
    }

    /// POST as the enrolled kiosk this kiosk's token names.
    fn post_as_kiosk<T: DeserializeOwned>(&self, path: &str, body: Value) -> Result<T> {
        let mut req = self.agent.post(&format!("{}{path}", self.base));
        if let Some(token) = &self.device_token {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        Self::read(req.send_json(&body))
    }

    /// Report a ticket's print outcome; retried in the background a few times if the main
    /// service does not take it now (the ticket is already in the citizen's hand, or on screen).
    fn report_printed(&self, id: &str, printed: bool) {
        let path = format!("/api/v1/tickets/{}/printed", encode(id));
        let first: Result<Value> = self.post_as_kiosk(&path, json!({"printed": printed}));
        let Err(e) = first else { return };
        tracing::warn!(ticket = %id, error = %e, "could not report the print outcome; retrying");
        let url = format!("{}{path}", self.base);
        let (agent, token) = (self.agent.clone(), self.device_token.clone().unwrap_or_default());
        std::thread::spawn(move || {
            for wait in [2, 5, 15, 60] {
                std::thread::sleep(Duration::from_secs(wait));
                let sent = agent.post(&url).header("Authorization", &format!("Bearer {token}")).send_json(json!({"printed": printed}));
                if sent.is_ok_and(|r| r.status().is_success()) {
                    return;
                }
            }
            tracing::error!(url, "the print outcome could not be reported");
        });
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
    fn info(&self) -> KioskInfo {
        self.info.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        let offset = self.info.read().unwrap_or_else(|e| e.into_inner()).offset;
        chrono::Utc::now().with_timezone(&offset)
    }

    fn services(&self) -> Result<Vec<QueueService>> {
        self.get("/api/v1/services")
    }

    fn issue(&self, service: &str, priority: Option<&str>, card: Option<&CardScan>) -> Result<Ticket> {
        let mut body = json!({"service": service, "priority": priority});
        if let Some(card) = card {
            body["identity_qr"] = json!(card.qr);
            body["decline_priority"] = json!(card.decline_priority);
        }
        let Some(printer) = self.own_printer() else {
            // The main service prints it.
            return self.post("/api/v1/tickets", body);
        };
        body["prints_itself"] = json!(true);
        let issued: firmware::service::KioskTicket = self.post_as_kiosk("/api/v1/tickets", body)?;
        let printed = match printer.print(printer::Document::QueueTicket(issued.paper)) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(ticket = %issued.ticket.number, error = %e, "ticket not printed; this kiosk shows the number");
                false
            }
        };
        self.report_printed(&issued.ticket.id, printed);
        Ok(Ticket { printed: Some(printed), ..issued.ticket })
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
        let path = format!("/api/v1/procedures/{}/print-checklist", encode(code));
        let Some(printer) = self.own_printer() else {
            // Printed on the main kiosk's printer: this kiosk has none of its own.
            let answer: Value = self.post(&path, json!({}))?;
            return Ok(answer["printed"].as_bool() == Some(true));
        };
        let answer: Value = self.post_as_kiosk(&path, json!({"prints_itself": true}))?;
        let paper: printer::Checklist =
            serde_json::from_value(answer["paper"].clone()).map_err(|e| Failure::new("internal", e.to_string()))?;
        Ok(printer.print(printer::Document::Checklist(paper)).map_err(|e| tracing::warn!(error = %e, "checklist not printed")).is_ok())
    }

    fn dossier(&self, typed_code: &str) -> Result<Dossier> {
        self.get(&format!("/api/v1/dossiers/{}", encode(typed_code.trim())))
    }

    fn rate(&self, number: &str, level: &str, reasons: &[String]) -> Result<()> {
        let _: Value = self.post_as_kiosk("/api/v1/ratings", json!({"ticket_number": number, "level": level, "reasons": reasons}))?;
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

    fn subscribe_notices(&self, ticket_id: &str, phone: &str) -> Result<NoticeSubscription> {
        self.post(&format!("/api/v1/tickets/{}/notify", encode(ticket_id)), json!({"phone": phone}))
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
