//! What the screens need from the kiosk service, as one small trait. The main kiosk runs the
//! service in its own process ([`crate::local::LocalBackend`]); a second kiosk talks to the main
//! one over HTTP ([`crate::remote::RemoteBackend`]). The glue never knows which.
//!
//! The values have the JSON shape of the HTTP API, so the local side converts through the same
//! shape the remote side reads: both kiosks show exactly the same thing.

use chrono::{DateTime, FixedOffset};
use firmware::events::Event;
use serde::Deserialize;

pub use catalogue::Procedure;

/// A refusal or failure, with the API's error code ("service_closed", "unknown_dossier"…).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

impl Failure {
    pub fn new(code: &str, message: impl Into<String>) -> Failure {
        Failure { code: code.to_string(), message: message.into() }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

pub type Result<T> = std::result::Result<T, Failure>;

/// A service (queue) on the take-a-number screen: the API's own view of it.
pub use firmware::service::ServiceStatus as QueueService;

/// A ticket just issued: the API's own view of it.
pub use firmware::service::TicketView as Ticket;

/// One line of a procedure search.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Found {
    pub results: Vec<ProcedureSummary>,
    pub total: usize,
}

/// A lĩnh vực to browse.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Field {
    pub code: String,
    pub name: String,
    pub count: usize,
}

/// The public view of a dossier: never the applicant.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Dossier {
    pub code: String,
    pub procedure_name: String,
    pub status_text: String,
    pub received_at: DateTime<FixedOffset>,
    pub due_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub new_due_at: Option<DateTime<FixedOffset>>,
    /// "early", "on_time", "late"; none while in progress.
    #[serde(default)]
    pub timeliness: Option<String>,
}

/// A configured choice with its two labels: a priority category or a rating reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
    pub asks_reason: bool,
}

/// What does not change while the kiosk runs: from the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskInfo {
    pub centre_name: String,
    /// The centre's UTC offset, for the clock on screen.
    pub offset: chrono::FixedOffset,
    /// Where phones on the hall Wi-Fi reach the main kiosk (QR codes).
    pub public_url: String,
    pub priorities: Vec<Choice>,
    pub levels: Vec<Level>,
    pub reasons: Vec<Choice>,
}

impl Default for KioskInfo {
    /// Nothing known yet: Vietnam's offset, no categories, no scale.
    fn default() -> KioskInfo {
        KioskInfo {
            centre_name: String::new(),
            offset: firmware::calendar::vietnam_offset(),
            public_url: String::new(),
            priorities: Vec::new(),
            levels: Vec::new(),
            reasons: Vec::new(),
        }
    }
}

impl KioskInfo {
    pub fn from_config(config: &firmware::Config) -> KioskInfo {
        let r = &config.ratings;
        KioskInfo {
            centre_name: config.centre.name.clone(),
            offset: config.centre.offset,
            public_url: config.centre.public_url.clone(),
            priorities: config
                .priorities
                .iter()
                .map(|p| Choice { code: p.code.clone(), label_vi: p.name_vi.clone(), label_en: p.name_en.clone() })
                .collect(),
            levels: r
                .levels
                .iter()
                .map(|l| Level {
                    code: l.code.clone(),
                    label_vi: l.label_vi.clone(),
                    label_en: l.label_en.clone(),
                    asks_reason: l.asks_reason,
                })
                .collect(),
            reasons: r
                .reasons
                .iter()
                .map(|x| Choice { code: x.code.clone(), label_vi: x.label_vi.clone(), label_en: x.label_en.clone() })
                .collect(),
        }
    }
}

/// A ticket an officer just finished at a counter: the counter-side screen asks for a rating.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub number: String,
    pub counter: u32,
    pub counter_name: String,
}

/// The kiosk service as the screens use it. Calls block; the glue runs them off the UI thread.
pub trait Backend: Send + Sync + 'static {
    fn info(&self) -> &KioskInfo;
    /// The centre's time now (the service's clock, so tests can fix it).
    fn now(&self) -> chrono::DateTime<chrono::FixedOffset>;
    fn services(&self) -> Result<Vec<QueueService>>;
    /// Take a number; `priority` is a category code.
    fn issue(&self, service: &str, priority: Option<&str>) -> Result<Ticket>;
    fn fields(&self) -> Result<Vec<Field>>;
    /// Search the catalogue; an empty query with a field browses the field.
    fn search(&self, query: &str, field: Option<&str>, limit: usize) -> Result<Found>;
    fn procedure(&self, code: &str) -> Result<Procedure>;
    /// Print the procedure's document checklist; whether it printed.
    fn print_checklist(&self, code: &str) -> Result<bool>;
    fn dossier(&self, typed_code: &str) -> Result<Dossier>;
    /// Rate today's ticket `number` (as the citizen reads it from the ticket).
    fn rate(&self, number: &str, level: &str, reasons: &[String]) -> Result<()>;
    /// Call `on_finished` (from another thread) for every ticket finished at `counter`.
    fn watch_finished(&self, counter: u32, on_finished: Box<dyn Fn(Finished) + Send>);
    /// What this kiosk says to the citizen who just took `number`, worded by the service's
    /// `[voice]` (so a second kiosk says what the main one would).
    fn ticket_announcement(&self, number: &str) -> Result<firmware::voice::Announcement>;
}

/// The ticket a `ticket_done` event says `counter` finished.
pub fn finished_at(event: &Event, counter: u32) -> Option<Finished> {
    match event {
        Event::TicketDone(done) if done.counter == counter => {
            Some(Finished { number: done.number.clone(), counter, counter_name: done.counter_name.clone() })
        }
        _ => None,
    }
}
