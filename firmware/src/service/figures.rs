//! Figures: the day's counts for the counter page, derived from the journal (never kept as
//! counters that could drift), and the manager's figures and CSV export over a range of days.

use serde::Serialize;

use super::{Service, ServiceError};
use crate::events::NAMES;
use crate::store::{figures, journal};
use crate::time::day_key;

/// The day's figures, derived from the journal.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DayFigures {
    pub day: String,
    pub issued: u32,
    pub called: u32,
    pub recalled: u32,
    pub done: u32,
    pub no_show: u32,
    pub transferred: u32,
    pub cancelled: u32,
    /// Mean minutes from issue to first call, over tickets called today.
    pub average_wait_minutes: Option<f64>,
    /// Mean minutes from call to finish, over tickets finished today.
    pub average_service_minutes: Option<f64>,
}

/// The journal kinds the figures count, by their event names.
const ISSUED: &str = NAMES[0];
const CALLED: &str = NAMES[1];
const RECALLED: &str = NAMES[2];
const DONE: &str = NAMES[4];
const NO_SHOW: &str = NAMES[5];
const TRANSFERRED: &str = NAMES[6];
const CANCELLED: &str = NAMES[7];

impl Service {
    /// Today's figures, derived from the journal.
    pub async fn figures_today(&self) -> Result<DayFigures, ServiceError> {
        let day = day_key(self.now());
        Ok(self
            .store()
            .read(move |conn| {
                let mut f = DayFigures { day: day.clone(), ..Default::default() };
                for (kind, n) in journal::kind_counts(conn, &day)? {
                    let slot = match kind.as_str() {
                        ISSUED => &mut f.issued,
                        CALLED => &mut f.called,
                        RECALLED => &mut f.recalled,
                        DONE => &mut f.done,
                        NO_SHOW => &mut f.no_show,
                        TRANSFERRED => &mut f.transferred,
                        CANCELLED => &mut f.cancelled,
                        _ => continue,
                    };
                    *slot = n;
                }
                // Waiting time: first call of each ticket minus its issue event.
                f.average_wait_minutes = journal::mean_minutes_to_first(conn, &day, ISSUED, CALLED)?;
                // Service time: finish minus the last call before it.
                f.average_service_minutes = journal::mean_minutes_from_last(conn, &day, CALLED, DONE)?;
                Ok(f)
            })
            .await?)
    }

    /// The manager's figures for the local days `from`..=`to` (YYYY-MM-DD).
    pub async fn figures(&self, from: String, to: String) -> Result<figures::Figures, ServiceError> {
        let offset = self.inner.config.centre.offset.local_minus_utc();
        Ok(self.store().read(move |c| figures::figures(c, &from, &to, offset)).await?)
    }

    /// Tickets of the local days `from`..=`to` as CSV.
    pub async fn tickets_csv(&self, from: String, to: String) -> Result<String, ServiceError> {
        let offset = self.inner.config.centre.offset.local_minus_utc();
        Ok(self.store().read(move |c| figures::tickets_csv(c, &from, &to, offset)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counted_kinds_are_the_ticket_events() {
        assert_eq!(
            [ISSUED, CALLED, RECALLED, DONE, NO_SHOW, TRANSFERRED, CANCELLED],
            [
                "ticket_issued",
                "ticket_called",
                "ticket_recalled",
                "ticket_done",
                "ticket_no_show",
                "ticket_transferred",
                "ticket_cancelled"
            ]
        );
    }
}
