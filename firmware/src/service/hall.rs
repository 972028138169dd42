//! What happens in the hall besides the queue: a citizen asks for help (the kiosk's "Cần hỗ
//! trợ" button, or a GPIO help button), an officer answers it, and the printer's state changes.
//! Each is journaled and published like any other event. Help is for staff only
//! ([`Audience::Staff`](crate::events::Audience)): the anonymous stream never carries it, the
//! counters read the open requests through their authenticated routes.
//!
//! Anyone on the hall's Wi-Fi can ask for help, so a request is journaled only when no request
//! from the same place is still open: pressing the button ten times (or a script calling the
//! route a thousand times) raises one alert, until an officer answers it.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{journal, Place, Service, ServiceError};
use crate::events::{Event, HelpAcknowledged, HelpFrom, HelpRequested, PrinterStatus};
use crate::printing;
use crate::queue::QueueError;
use crate::store::journal as entries;
use crate::store::{Conn, StoreError};
use crate::time::day_key;

/// A help request of today, as the counters see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelpRequest {
    /// Its journal number: what an officer acknowledges.
    pub id: i64,
    pub from: HelpFrom,
    #[serde(with = "crate::time::json")]
    pub at: DateTime<FixedOffset>,
    /// The counter whose officer answered it, once answered.
    pub acknowledged_by: Option<String>,
}

/// Why a help request cannot be acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelpError {
    #[error("no help request {0} today")]
    UnknownRequest(i64),
}

const REQUESTED: &str = "help_requested";
const ACKNOWLEDGED: &str = "help_acknowledged";

/// Today's help requests, oldest first, each with who answered it.
fn requests_of(tx: &Conn, day: &str) -> Result<Vec<HelpRequest>, StoreError> {
    let mut out: Vec<HelpRequest> = Vec::new();
    for e in entries::of_kinds(tx, day, &[REQUESTED, ACKNOWLEDGED])? {
        match Event::from_wire(&e.kind, &e.data) {
            Ok(Event::HelpRequested(r)) => out.push(HelpRequest { id: e.seq, from: r.from, at: r.at, acknowledged_by: None }),
            Ok(Event::HelpAcknowledged(a)) => {
                if let Some(r) = out.iter_mut().find(|r| r.id == a.request && r.acknowledged_by.is_none()) {
                    r.acknowledged_by = Some(a.counter_name);
                }
            }
            Ok(_) => {}
            Err(err) => return Err(StoreError(format!("journal entry {} ({}) is not a known event: {err}", e.seq, e.kind))),
        }
    }
    Ok(out)
}

impl Service {
    /// A citizen asks for help `from` the kiosk or a hall button: staff see `help_requested`.
    /// While a request from the same place is open, that one is returned and nothing new is
    /// raised.
    pub async fn request_help(&self, from: HelpFrom) -> Result<HelpRequest, ServiceError> {
        // A flood of presses reads, and never queues on the one writer that issues tickets.
        if let Some(open) = self.open_help_requests().await?.into_iter().find(|r| r.from == from) {
            return Ok(open);
        }
        let now = self.now();
        let (request, event) = self
            .store()
            .write(move |tx| {
                let day = day_key(now);
                if let Some(open) = requests_of(tx, &day)?.into_iter().find(|r| r.from == from && r.acknowledged_by.is_none()) {
                    return Ok::<_, StoreError>((open, None));
                }
                let event = journal(
                    tx,
                    Event::HelpRequested(HelpRequested { from, at: now }),
                    Place { day: &day, at: now, ticket_id: None, counter: None },
                )?;
                Ok((HelpRequest { id: event.seq, from, at: now, acknowledged_by: None }, Some(event)))
            })
            .await?;
        if let Some(event) = event {
            tracing::info!(id = request.id, ?from, "a citizen asks for help");
            self.publish(event);
        }
        Ok(request)
    }

    /// Today's help requests no officer has answered yet, oldest first.
    pub async fn open_help_requests(&self) -> Result<Vec<HelpRequest>, ServiceError> {
        let day = day_key(self.now());
        let all = self.store().read(move |conn| requests_of(conn, &day)).await?;
        Ok(all.into_iter().filter(|r| r.acknowledged_by.is_none()).collect())
    }

    /// The officer at `counter` answers help request `id` (they are on their way). Answering one
    /// already answered changes nothing and says who did.
    pub async fn acknowledge_help(&self, counter: u32, id: i64) -> Result<HelpRequest, ServiceError> {
        let now = self.now();
        let counter_name = self.config().counter(counter).ok_or(QueueError::UnknownCounter(counter))?.name.clone();
        let (request, event) = self
            .store()
            .write(move |tx| {
                let day = day_key(now);
                let Some(mut request) = requests_of(tx, &day)?.into_iter().find(|r| r.id == id) else {
                    return Err(ServiceError::Help(HelpError::UnknownRequest(id)));
                };
                if request.acknowledged_by.is_some() {
                    return Ok((request, None));
                }
                let answer = HelpAcknowledged { request: id, counter, counter_name: counter_name.clone(), at: now };
                let event =
                    journal(tx, Event::HelpAcknowledged(answer), Place { day: &day, at: now, ticket_id: None, counter: Some(counter) })?;
                request.acknowledged_by = Some(counter_name);
                Ok((request, Some(event)))
            })
            .await?;
        if let Some(event) = event {
            self.publish(event);
        }
        Ok(request)
    }

    /// The printer's state changed: journal and publish `printer_status`.
    pub async fn record_printer_state(&self, state: printer::PrinterState) -> Result<(), StoreError> {
        let now = self.now();
        let event = Event::PrinterStatus(PrinterStatus { state: printing::state_name(state).to_string(), kiosk: None, at: now });
        let event =
            self.store().write(move |tx| journal(tx, event, Place { day: &day_key(now), at: now, ticket_id: None, counter: None })).await?;
        self.publish(event);
        Ok(())
    }
}
