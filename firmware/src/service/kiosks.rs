//! The centre's other kiosks: a second kiosk with its own printer, enrolled by the manager
//! (`kioskd enroll-device NAME`, the same enrolment as a rating device), takes numbers from this
//! service but prints them on its own paper. Its ticket is recorded as dispensed by it and not
//! printed here; the answer carries the ticket's paper (the layout this service would print), and
//! the kiosk reports back whether it printed. It reports its printer's state too, which is
//! journaled and published per kiosk name so `/counter`'s printer banner names the kiosk.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::tickets::{view, CardScan, TicketView};
use super::{journal, paper, Place, Service, ServiceError};
use crate::auth::AuthError;
use crate::events::{Event, PrinterStatus};
use crate::queue::QueueError;
use crate::store::tickets;
use crate::time::{self, day_key};

/// A kiosk that has not reported its printer for this long shows as unreachable on `/counter`.
pub const REPORT_STALE_SECS: i64 = 90;

/// A ticket issued for a kiosk that prints it itself: the ticket, and the paper to print.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KioskTicket {
    #[serde(flatten)]
    pub ticket: TicketView,
    /// The enrolled kiosk that dispenses it.
    pub kiosk: String,
    /// Exactly what this service would have printed (number, service, people ahead, estimate,
    /// the QR link to follow it).
    pub paper: printer::QueueTicket,
}

/// Another kiosk's printer, as it last reported it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KioskPrinter {
    /// The kiosk's enrolled name.
    pub kiosk: String,
    /// The printer's state by its API name (`"paper_out"`).
    pub state: String,
    #[serde(with = "time::json")]
    pub at: DateTime<FixedOffset>,
    /// No report for [`REPORT_STALE_SECS`]: the kiosk is off, or cannot reach this service.
    pub stale: bool,
}

/// The last printer report of each kiosk (in memory: every kiosk reports again within a minute).
#[derive(Default)]
pub(super) struct KioskPrinters(Mutex<BTreeMap<String, (String, DateTime<FixedOffset>)>>);

impl Service {
    /// The enrolled kiosk whose bearer token is `token`: `unauthenticated` without a token,
    /// `device_not_enrolled` with one no live device holds.
    pub async fn enrolled_kiosk(&self, token: Option<&str>) -> Result<String, ServiceError> {
        if token.is_none_or(str::is_empty) {
            return Err(AuthError::Unauthenticated.into());
        }
        self.rating_device(token).await?.ok_or_else(|| AuthError::NotADevice.into())
    }

    /// Issue a ticket dispensed by the enrolled kiosk `kiosk`, which prints it on its own printer:
    /// committed and announced like any ticket, never printed here (`printed` stays unknown until
    /// the kiosk reports, [`Service::record_kiosk_print`]).
    pub async fn issue_for_kiosk(
        &self,
        kiosk: &str,
        service: &str,
        priority: Option<&str>,
        card: Option<&CardScan>,
    ) -> Result<KioskTicket, ServiceError> {
        let now = self.now();
        let (priority, person) = self.read_card(now, priority, card)?;
        let issued = self.issue_committed(now, service, priority, person, Some(kiosk)).await?;
        self.publish(issued.event);
        let ticket = view(self.config(), &issued.ticket, Some(issued.ahead), Some(issued.estimated_wait_minutes));
        let paper = paper::queue_ticket(self.config(), &ticket);
        Ok(KioskTicket { ticket, kiosk: kiosk.to_string(), paper })
    }

    /// The print outcome `kiosk` reports for a ticket it dispensed. Another kiosk's ticket (or
    /// this service's own) is `unknown_ticket`: a kiosk cannot rewrite what others printed. Like
    /// this service's own print outcomes it is written without an fsync of its own
    /// (`store::Store::write_soon`).
    pub async fn record_kiosk_print(&self, kiosk: &str, ticket_id: &str, printed: bool) -> Result<TicketView, ServiceError> {
        let (kiosk, id) = (kiosk.to_string(), ticket_id.to_string());
        let ticket = self
            .store()
            .write_soon(move |tx| {
                if !tickets::set_printed_by(tx, &id, &kiosk, printed)? {
                    return Err(ServiceError::from(QueueError::UnknownTicket));
                }
                Ok(tickets::get(tx, &id)?.ok_or(QueueError::UnknownTicket)?)
            })
            .await?;
        if !printed {
            tracing::warn!(ticket = %ticket.number, "a kiosk reports its ticket not printed; it shows the number on screen");
        }
        Ok(view(self.config(), &ticket, None, None))
    }

    /// A procedure's checklist as this service would print it, for a kiosk that prints its own.
    pub fn checklist_paper(&self, code: &str) -> Result<printer::Checklist, ServiceError> {
        Ok(paper::checklist(self.config(), &self.procedure(code)?, self.now()))
    }

    /// `kiosk` reports its printer's state (`state`: an API name, `"paper_out"`): a change is
    /// journaled and published as `printer_status` with the kiosk's name; every report is kept.
    pub async fn record_kiosk_printer(&self, kiosk: &str, state: &str) -> Result<(), ServiceError> {
        let now = self.now();
        let changed = {
            let mut all = self.inner.kiosk_printers.0.lock().unwrap_or_else(|e| e.into_inner());
            let before = all.insert(kiosk.to_string(), (state.to_string(), now));
            before.is_none_or(|(s, at)| s != state || (now - at).num_seconds() > REPORT_STALE_SECS)
        };
        if changed {
            let event = Event::PrinterStatus(PrinterStatus { state: state.to_string(), kiosk: Some(kiosk.to_string()), at: now });
            let event = self
                .store()
                .write(move |tx| journal(tx, event, Place { day: &day_key(now), at: now, ticket_id: None, counter: None }))
                .await?;
            self.publish(event);
        }
        Ok(())
    }

    /// The other kiosks' printers, by name, as last reported.
    pub fn kiosk_printers(&self) -> Vec<KioskPrinter> {
        let now = self.now();
        let all = self.inner.kiosk_printers.0.lock().unwrap_or_else(|e| e.into_inner());
        all.iter()
            .map(|(kiosk, (state, at))| KioskPrinter {
                kiosk: kiosk.clone(),
                state: state.clone(),
                at: *at,
                stale: (now - *at).num_seconds() > REPORT_STALE_SECS,
            })
            .collect()
    }
}
