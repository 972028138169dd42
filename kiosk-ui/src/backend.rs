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

/// Where a ticket's text messages go: the number masked, and when they are sent.
pub use firmware::service::NoticeSubscription;

/// A citizen's identity card as the scanner read it, with their choice on the elderly priority.
pub use firmware::service::CardScan;

/// One line of a procedure search.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ProcedureSummary {
    /// The catalogue's key (also a local placeholder such as `CXN.301`).
    pub code: String,
    /// The code to show as "Mã thủ tục"; none while `code` is a placeholder.
    #[serde(default)]
    pub public_code: Option<String>,
    pub name: String,
    pub field: String,
}

/// A search's answer, as `GET /api/v1/procedures` gives it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Found {
    pub results: Vec<ProcedureSummary>,
    pub total: usize,
    /// "browse", "found", "partial" or "no_match".
    #[serde(default = "found")]
    pub outcome: String,
    /// Words typed that matched nothing.
    #[serde(default)]
    pub unmatched: Vec<String>,
    /// With "no_match": every field, to offer instead of an empty list.
    #[serde(default)]
    pub fields: Vec<Field>,
}

fn found() -> String {
    "found".into()
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
    /// The status in English (an older main kiosk sends none: the Vietnamese text is shown).
    #[serde(default)]
    pub status_text_en: Option<String>,
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
    /// The official level it counts as ("rat_hai_long", "hai_long", "khong_hai_long"): its face
    /// smiles or frowns by it, so "Bình thường" counted as "Hài lòng" never frowns.
    pub official: String,
    pub asks_reason: bool,
}

impl Level {
    /// How much each button's face smiles (1 widely … -1 frowning): the official level's band
    /// (very satisfied 1 → 0.7, satisfied 0.6 → 0.15, not satisfied -0.6 → -1), spread over the
    /// buttons that count as it, in the scale's order.
    pub fn moods(levels: &[Level]) -> Vec<f32> {
        let band = |official: &str| match official {
            "rat_hai_long" => (1.0, 0.7),
            "khong_hai_long" => (-0.6, -1.0),
            _ => (0.6, 0.15),
        };
        levels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let same: Vec<usize> = (0..levels.len()).filter(|&j| levels[j].official == l.official).collect();
                let rank = same.iter().position(|&j| j == i).unwrap_or(0) as f32;
                let (high, low) = band(&l.official);
                if same.len() < 2 {
                    high
                } else {
                    high + (low - high) * rank / (same.len() - 1) as f32
                }
            })
            .collect()
    }
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
    /// How the screens wait for a citizen (`[touchscreen]`).
    pub touchscreen: firmware::config::Touchscreen,
    /// "lẻ" or "linh", as the centre reads numbers (`[voice] zero_tens`): the audio guide says
    /// a ticket number as the speaker does.
    pub zero_tens: firmware::voice::ZeroTens,
    /// The priority a scanned card's holder aged 60 or more gets (`[identity]
    /// elderly_priority`); none when the centre gives none by age.
    pub elderly_priority: Option<String>,
    /// With text messages on (`[notify]`): at how many people ahead a citizen is told; `None`:
    /// the centre sends none.
    pub notify_ahead: Option<u32>,
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
            touchscreen: Default::default(),
            zero_tens: firmware::voice::ZeroTens::Le,
            elderly_priority: None,
            notify_ahead: None,
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
                    official: serde_json::to_value(l.official).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                    asks_reason: l.asks_reason,
                })
                .collect(),
            reasons: r
                .reasons
                .iter()
                .map(|x| Choice { code: x.code.clone(), label_vi: x.label_vi.clone(), label_en: x.label_en.clone() })
                .collect(),
            touchscreen: config.touchscreen,
            zero_tens: config.voice.zero_tens,
            elderly_priority: config.identity.elderly_priority.clone(),
            notify_ahead: config.notify.as_ref().map(|n| n.ahead),
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
    /// The centre as this kiosk knows it now (a second kiosk learns it again when the main
    /// service comes back).
    fn info(&self) -> KioskInfo;
    /// The centre's time now (the service's clock, so tests can fix it).
    fn now(&self) -> chrono::DateTime<chrono::FixedOffset>;
    fn services(&self) -> Result<Vec<QueueService>>;
    /// Take a number; `priority` is a category code; `card` the citizen's identity card read by
    /// this kiosk's scanner (at most the centre's numbers per person; the elderly priority from
    /// 60 unless declined).
    fn issue(&self, service: &str, priority: Option<&str>, card: Option<&CardScan>) -> Result<Ticket>;
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
    /// A citizen at this kiosk asks for help ("Cần hỗ trợ"): staff see it on /counter.
    fn request_help(&self) -> Result<()>;
    /// Text `phone` when the ticket `ticket_id` (its own id) comes near and when it is called.
    fn subscribe_notices(&self, ticket_id: &str, phone: &str) -> Result<NoticeSubscription>;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn level(code: &str, official: &str) -> Level {
        Level { code: code.into(), label_vi: code.into(), label_en: code.into(), official: official.into(), asks_reason: false }
    }

    #[test]
    fn a_neutral_button_counted_as_satisfied_never_frowns() {
        let scale =
            [level("rat", "rat_hai_long"), level("hai", "hai_long"), level("binh_thuong", "hai_long"), level("khong", "khong_hai_long")];
        let moods = Level::moods(&scale);
        assert_eq!(moods.len(), 4);
        assert!(moods.windows(2).all(|w| w[0] > w[1]), "happiest first: {moods:?}");
        assert!(moods[2] > 0.0, "Bình thường counts as Hài lòng: it smiles a little, {moods:?}");
        assert!(moods[3] < 0.0);
        // The official three levels alone: a wide smile, a smile, a frown.
        let official = Level::moods(&[level("a", "rat_hai_long"), level("b", "hai_long"), level("c", "khong_hai_long")]);
        assert_eq!(official, [1.0, 0.6, -0.6]);
    }
}
