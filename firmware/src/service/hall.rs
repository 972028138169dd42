//! What happens in the hall besides the queue: a citizen presses the help button, and the
//! printer's state changes. Both are journaled and published like any other event, so staff
//! pages and displays hear of them (and a display that reconnects replays them).

use super::{journal, Place, Service, ServiceError};
use crate::events::{Event, HelpRequested, PrinterStatus};
use crate::printing;
use crate::store::StoreError;
use crate::time::day_key;

impl Service {
    /// A citizen pressed the hall's help button: staff see `help_requested`.
    pub async fn request_help(&self) -> Result<(), ServiceError> {
        let now = self.now();
        let event = self
            .store()
            .write(move |tx| {
                journal(
                    tx,
                    Event::HelpRequested(HelpRequested { at: now }),
                    Place { day: &day_key(now), at: now, ticket_id: None, counter: None },
                )
            })
            .await?;
        self.publish(event);
        Ok(())
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
