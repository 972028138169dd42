//! State changes as one typed [`Event`]. An event is published only after the transaction that
//! journaled it committed — a hall display never shows a call the database does not have.
//! Subscribers (SSE clients, the devices, the sync task, the UI) each get their own receiver; a
//! slow one that falls behind skips ahead rather than slowing the queue.
//!
//! On the wire an event is its name (the SSE `event:` field, the journal's `kind` column) and
//! its body as JSON (the SSE `data:` field, the journal's `data` column): `Event` is
//! serde-tagged so that both come from the one enum, and [`NAMES`] is the list the web pages
//! subscribe to.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};

use crate::rating::Official;

/// Every change the kiosk announces, one variant per kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", content = "data", rename_all = "snake_case")]
pub enum Event {
    TicketIssued(TicketIssued),
    TicketCalled(AtCounter),
    TicketRecalled(Recalled),
    TicketServing(AtCounter),
    TicketDone(AtCounter),
    TicketNoShow(AtCounter),
    TicketTransferred(Transferred),
    TicketCancelled(TicketCancelled),
    DossierReceived(DossierReceived),
    DossierStatus(DossierStatusSet),
    DossierRescheduled(DossierRescheduled),
    RatingRecorded(RatingRecorded),
    HelpRequested(HelpRequested),
    PrinterStatus(PrinterStatus),
    HelpAcknowledged(HelpAcknowledged),
}

/// The names of every kind of event, as SSE and the journal write them.
pub const NAMES: [&str; 15] = [
    "ticket_issued",
    "ticket_called",
    "ticket_recalled",
    "ticket_serving",
    "ticket_done",
    "ticket_no_show",
    "ticket_transferred",
    "ticket_cancelled",
    "dossier_received",
    "dossier_status",
    "dossier_rescheduled",
    "rating_recorded",
    "help_requested",
    "printer_status",
    "help_acknowledged",
];

/// Who may hear of an event. The anonymous stream (`GET /api/v1/events`, anyone on the hall's
/// Wi-Fi) carries only [`Audience::Public`] events; that filter is [`Event::is_public`], used
/// for the live stream and the replay alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: the queue as the hall sees it.
    Public,
    /// Staff only (a staff token on the stream, authenticated routes): dossiers, ratings, a
    /// citizen asking for help at the kiosk.
    Staff,
}

/// The name SSE gives a stream that skipped events (not a change, so not an [`Event`]).
pub const LAGGED: &str = "lagged";

/// A ticket was issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketIssued {
    pub number: String,
    pub service: String,
    /// Whether it is a priority ticket (the category is never published).
    pub priority: bool,
    /// People waiting in the service's queue, this ticket included.
    pub waiting: u32,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

/// A counter did something to its current ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtCounter {
    pub number: String,
    /// The queue the ticket is in (after a transfer: the new one).
    pub service: String,
    pub counter: u32,
    pub counter_name: String,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recalled {
    #[serde(flatten)]
    pub call: AtCounter,
    pub recalls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transferred {
    #[serde(flatten)]
    pub call: AtCounter,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketCancelled {
    pub number: String,
    pub service: String,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

/// A dossier was received (never the applicant's name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierReceived {
    pub code: String,
    pub procedure: String,
    pub channel: String,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierStatusSet {
    pub code: String,
    pub status: u8,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierRescheduled {
    pub code: String,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingRecorded {
    pub ticket_number: Option<String>,
    pub counter: Option<u32>,
    pub official: Official,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

/// A citizen asked for help: at the touchscreen ("Cần hỗ trợ") or with the hall's help button.
/// Staff only: it never goes on the anonymous stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpRequested {
    /// Where it was asked (journals written before the kiosk had its button say "button").
    #[serde(default)]
    pub from: HelpFrom,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

/// Where a citizen asked for help.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpFrom {
    /// The "Cần hỗ trợ" button on the kiosk's touchscreen.
    Kiosk,
    /// A GPIO help button in the hall (`[devices]`, `press = "help"`).
    #[default]
    Button,
}

/// An officer at a counter answered a help request: they are on their way. Staff only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HelpAcknowledged {
    /// The journal number of the `help_requested` event answered.
    pub request: i64,
    pub counter: u32,
    pub counter_name: String,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrinterStatus {
    /// The printer's state by its API name (`"paper_out"`).
    pub state: String,
    /// Whose printer: an enrolled kiosk's name; none for this service's own printer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk: Option<String>,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
}

impl Event {
    /// The event's name on the wire (`"ticket_called"`).
    pub fn name(&self) -> &'static str {
        match self {
            Event::TicketIssued(_) => "ticket_issued",
            Event::TicketCalled(_) => "ticket_called",
            Event::TicketRecalled(_) => "ticket_recalled",
            Event::TicketServing(_) => "ticket_serving",
            Event::TicketDone(_) => "ticket_done",
            Event::TicketNoShow(_) => "ticket_no_show",
            Event::TicketTransferred(_) => "ticket_transferred",
            Event::TicketCancelled(_) => "ticket_cancelled",
            Event::DossierReceived(_) => "dossier_received",
            Event::DossierStatus(_) => "dossier_status",
            Event::DossierRescheduled(_) => "dossier_rescheduled",
            Event::RatingRecorded(_) => "rating_recorded",
            Event::HelpRequested(_) => "help_requested",
            Event::PrinterStatus(_) => "printer_status",
            Event::HelpAcknowledged(_) => "help_acknowledged",
        }
    }

    /// Who may hear of this event. Every kind is listed: a new one must be placed.
    pub fn audience(&self) -> Audience {
        match self {
            Event::TicketIssued(_)
            | Event::TicketCalled(_)
            | Event::TicketRecalled(_)
            | Event::TicketServing(_)
            | Event::TicketDone(_)
            | Event::TicketNoShow(_)
            | Event::TicketTransferred(_)
            | Event::TicketCancelled(_)
            | Event::PrinterStatus(_) => Audience::Public,
            // Dossier codes (sequential, each a citizen's file), ratings per counter (officers'
            // grades) and a citizen asking for help are for staff only.
            Event::DossierReceived(_)
            | Event::DossierStatus(_)
            | Event::DossierRescheduled(_)
            | Event::RatingRecorded(_)
            | Event::HelpRequested(_)
            | Event::HelpAcknowledged(_) => Audience::Staff,
        }
    }

    /// Whether the anonymous stream may carry this event: the one filter of that stream.
    pub fn is_public(&self) -> bool {
        self.audience() == Audience::Public
    }

    /// The event's body on the wire, as JSON text (keys in order, as the journal keeps it).
    pub fn data_json(&self) -> String {
        let mut tagged = serde_json::to_value(self).expect("events serialise");
        tagged["data"].take().to_string()
    }

    /// An event back from its name and JSON body (the journal, an SSE stream).
    pub fn from_wire(name: &str, data: &str) -> Result<Event, serde_json::Error> {
        let data: serde_json::Value = serde_json::from_str(data)?;
        serde_json::from_value(serde_json::json!({"name": name, "data": data}))
    }

    /// The counter this event happened at, for events of a counter's current ticket.
    pub fn at_counter(&self) -> Option<&AtCounter> {
        match self {
            Event::TicketCalled(c) | Event::TicketServing(c) | Event::TicketDone(c) | Event::TicketNoShow(c) => Some(c),
            Event::TicketRecalled(r) => Some(&r.call),
            Event::TicketTransferred(t) => Some(&t.call),
            _ => None,
        }
    }
}

/// An event with its place in the journal: what is published and replayed.
#[derive(Debug, Clone, PartialEq)]
pub struct Journaled {
    pub seq: i64,
    pub event: Event,
}

/// The fan-out point for events.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Journaled>,
    closing: watch::Sender<bool>,
}

impl EventBus {
    pub fn new() -> EventBus {
        EventBus { tx: broadcast::channel(1024).0, closing: watch::channel(false).0 }
    }

    pub fn publish(&self, event: Journaled) {
        // No subscriber is not an error: the journal keeps the event.
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Journaled> {
        self.tx.subscribe()
    }

    /// Tell long-lived listeners (SSE streams) to finish: the service is shutting down.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once [`EventBus::close`] was called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<FixedOffset> {
        FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 5, 0).unwrap()
    }

    fn call() -> AtCounter {
        AtCounter { number: "A025".into(), service: "A".into(), counter: 3, counter_name: "Quầy số 03".into(), at: at() }
    }

    fn one_of_each() -> Vec<Event> {
        vec![
            Event::TicketIssued(TicketIssued { number: "A025".into(), service: "A".into(), priority: false, waiting: 4, at: at() }),
            Event::TicketCalled(call()),
            Event::TicketRecalled(Recalled { call: call(), recalls: 1 }),
            Event::TicketServing(call()),
            Event::TicketDone(call()),
            Event::TicketNoShow(call()),
            Event::TicketTransferred(Transferred { call: call(), from: "A".into(), to: "B".into() }),
            Event::TicketCancelled(TicketCancelled { number: "A025".into(), service: "A".into(), at: at() }),
            Event::DossierReceived(DossierReceived { code: "X".into(), procedure: "1.001193".into(), channel: "direct".into(), at: at() }),
            Event::DossierStatus(DossierStatusSet { code: "X".into(), status: 4, at: at() }),
            Event::DossierRescheduled(DossierRescheduled { code: "X".into(), at: at() }),
            Event::RatingRecorded(RatingRecorded { ticket_number: None, counter: Some(1), official: Official::HaiLong, at: at() }),
            Event::HelpRequested(HelpRequested { from: HelpFrom::Kiosk, at: at() }),
            Event::PrinterStatus(PrinterStatus { state: "paper_out".into(), kiosk: None, at: at() }),
            Event::HelpAcknowledged(HelpAcknowledged { request: 41, counter: 3, counter_name: "Quầy số 03".into(), at: at() }),
        ]
    }

    #[test]
    fn every_kind_has_its_listed_name_and_comes_back_from_the_wire() {
        let events = one_of_each();
        assert_eq!(events.len(), NAMES.len());
        for (e, name) in events.iter().zip(NAMES) {
            assert_eq!(e.name(), name);
            assert_eq!(serde_json::to_value(e).unwrap()["name"], name, "serde's tag and name() agree");
            assert_eq!(Event::from_wire(e.name(), &e.data_json()).unwrap(), *e);
        }
    }

    #[test]
    fn dossiers_ratings_and_help_are_for_staff_only() {
        let staff: Vec<&str> = one_of_each().iter().filter(|e| !e.is_public()).map(Event::name).collect();
        assert_eq!(
            staff,
            ["dossier_received", "dossier_status", "dossier_rescheduled", "rating_recorded", "help_requested", "help_acknowledged"]
        );
    }

    /// A help request journaled before it said where it came from was the hall's button.
    #[test]
    fn an_old_help_request_reads_as_the_button() {
        let e = Event::from_wire("help_requested", r#"{"at":"2026-03-02T09:05:00+07:00"}"#).unwrap();
        assert_eq!(e, Event::HelpRequested(HelpRequested { from: HelpFrom::Button, at: at() }));
    }

    #[test]
    fn the_wire_format_is_the_journal_format() {
        // Keys in alphabetical order, times to the second in the site's offset: as journaled.
        let e = Event::TicketTransferred(Transferred { call: call(), from: "A".into(), to: "B".into() });
        assert_eq!(
            e.data_json(),
            r#"{"at":"2026-03-02T09:05:00+07:00","counter":3,"counter_name":"Quầy số 03","from":"A","number":"A025","service":"A","to":"B"}"#
        );
        let r = Event::RatingRecorded(RatingRecorded { ticket_number: None, counter: None, official: Official::RatHaiLong, at: at() });
        assert_eq!(r.data_json(), r#"{"at":"2026-03-02T09:05:00+07:00","counter":null,"official":"rat_hai_long","ticket_number":null}"#);
    }
}
