//! Late dossiers: the due-soon warning, the one-time rescheduling with an apology, and the
//! early / on-time / late classification reported to the province (QĐ 766). The rules, from
//! NĐ 61/2018 and its successors as applied by the provinces (e.g. Lai Châu QĐ 88/2025): the
//! agency must apologise in writing at the latest one working day before the due date, giving
//! the reason and a new date; the date can be moved at most once; statistics use the original
//! date.

use crate::calendar::{vietnam_offset, WorkingCalendar};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// Trước hạn / đúng hạn / quá hạn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Finished on a day before the due date.
    Early,
    /// Finished on the due date, not after the due time.
    OnTime,
    /// Finished after the due time.
    Late,
}

/// A dossier's due date and its one possible rescheduling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The date printed on the receipt slip; statistics are always against it.
    pub original_due: DateTime<FixedOffset>,
    pub rescheduled: Option<Reschedule>,
}

/// The one rescheduling (hẹn lại) a dossier may have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reschedule {
    pub new_due: DateTime<FixedOffset>,
    /// Why the dossier is late, printed on the apology (Mẫu 04).
    pub reason: String,
    pub noticed_at: DateTime<FixedOffset>,
}

/// Why a rescheduling is refused; `Display` is Vietnamese / English for staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RescheduleRefused {
    #[error("hồ sơ đã được hẹn lại một lần (sang {}), không được hẹn lại lần nữa / the dossier was already rescheduled once (to {}) and cannot be again", day(.0), day(.0))]
    AlreadyRescheduled(DateTime<FixedOffset>),
    #[error("phải thông báo chậm nhất ngày {} (01 ngày làm việc trước hạn) / the notice was due by {} (one working day before the due date)", .0.format("%d/%m/%Y"), .0.format("%d/%m/%Y"))]
    NoticeTooLate(NaiveDate),
    #[error("ngày hẹn mới phải sau ngày hẹn cũ / the new date must be after the current one")]
    NotLater,
    #[error("ngày hẹn mới {} là ngày nghỉ / the new date {} is not a working day", .0.format("%d/%m/%Y"), .0.format("%d/%m/%Y"))]
    NotWorkingDay(NaiveDate),
    #[error("phải ghi rõ lý do quá hạn / the reason for the delay is required")]
    NoReason,
}

fn day(at: &DateTime<FixedOffset>) -> String {
    at.with_timezone(&vietnam_offset()).format("%d/%m/%Y").to_string()
}

fn local_date(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&vietnam_offset()).date_naive()
}

impl Timeliness {
    /// Classifies a dossier finished at `finished_at` against `due_at` (days in Vietnam's time).
    pub fn classify(due_at: DateTime<FixedOffset>, finished_at: DateTime<FixedOffset>) -> Timeliness {
        if finished_at > due_at {
            Timeliness::Late
        } else if local_date(finished_at) < local_date(due_at) {
            Timeliness::Early
        } else {
            Timeliness::OnTime
        }
    }

    /// The Vietnamese label.
    pub fn text(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
        }
    }
}

/// The last day on which the apology for a dossier due at `due_at` may be given: the working
/// day before the due date.
pub fn latest_notice_day(cal: &WorkingCalendar, due_at: DateTime<FixedOffset>) -> NaiveDate {
    cal.previous_working_day(local_date(due_at))
}

/// Whether an unfinished dossier belongs on the staff's due-soon list at `now`: not yet late,
/// and due within `working_days_ahead` working days (1 leaves a working day for the notice).
pub fn is_due_soon(cal: &WorkingCalendar, due_at: DateTime<FixedOffset>, now: DateTime<FixedOffset>, working_days_ahead: u32) -> bool {
    let horizon = cal.add_working_days(cal.working_day_on_or_after(local_date(now)), working_days_ahead);
    now <= due_at && local_date(due_at) <= horizon
}

impl Schedule {
    pub fn new(original_due: DateTime<FixedOffset>) -> Schedule {
        Schedule { original_due, rescheduled: None }
    }

    /// The date the citizen is now promised.
    pub fn current_due(&self) -> DateTime<FixedOffset> {
        self.rescheduled.as_ref().map_or(self.original_due, |r| r.new_due)
    }

    /// Moves the due date once, if the notice comes in time.
    pub fn reschedule(
        &self,
        cal: &WorkingCalendar,
        new_due: DateTime<FixedOffset>,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Schedule, RescheduleRefused> {
        if let Some(done) = &self.rescheduled {
            return Err(RescheduleRefused::AlreadyRescheduled(done.new_due));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RescheduleRefused::NoReason);
        }
        let deadline = latest_notice_day(cal, self.original_due);
        if local_date(now) > deadline {
            return Err(RescheduleRefused::NoticeTooLate(deadline));
        }
        if new_due <= self.original_due {
            return Err(RescheduleRefused::NotLater);
        }
        if !cal.is_working_day(local_date(new_due)) {
            return Err(RescheduleRefused::NotWorkingDay(local_date(new_due)));
        }
        Ok(Schedule {
            original_due: self.original_due,
            rescheduled: Some(Reschedule { new_due, reason: reason.to_owned(), noticed_at: now }),
        })
    }

    /// Early / on time / late against the original date (QĐ 766 statistics).
    pub fn timeliness(&self, finished_at: DateTime<FixedOffset>) -> Timeliness {
        Timeliness::classify(self.original_due, finished_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{CalendarConfig, OverrideTable};

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new(CalendarConfig::default(), OverrideTable::default()).unwrap()
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("{text}:00+07:00")).unwrap()
    }

    #[test]
    fn classification() {
        let due = at("2025-11-25T17:00");
        assert_eq!(Timeliness::classify(due, at("2025-11-24T16:00")), Timeliness::Early);
        assert_eq!(Timeliness::classify(due, at("2025-11-25T08:00")), Timeliness::OnTime);
        assert_eq!(Timeliness::classify(due, at("2025-11-25T17:00")), Timeliness::OnTime);
        assert_eq!(Timeliness::classify(due, at("2025-11-25T17:01")), Timeliness::Late);
        // Compared in Vietnam's time even when given in UTC.
        let utc = DateTime::parse_from_rfc3339("2025-11-24T18:00:00+00:00").unwrap(); // 25/11 01:00 +07
        assert_eq!(Timeliness::classify(due, utc), Timeliness::OnTime);
        assert_eq!(Timeliness::Late.text(), "Quá hạn");
        assert_eq!(serde_json::to_string(&Timeliness::OnTime).unwrap(), "\"on_time\"");
    }

    #[test]
    fn reschedule_once_with_notice_a_working_day_ahead() {
        let cal = cal();
        // Due Monday 24/11/2025; the notice may come until Friday 21/11.
        let schedule = Schedule::new(at("2025-11-24T10:00"));
        assert_eq!(latest_notice_day(&cal, schedule.original_due), NaiveDate::from_ymd_opt(2025, 11, 21).unwrap());

        let late = schedule.reschedule(&cal, at("2025-11-27T10:00"), "Chờ xác minh", at("2025-11-22T09:00"));
        assert_eq!(late, Err(RescheduleRefused::NoticeTooLate(NaiveDate::from_ymd_opt(2025, 11, 21).unwrap())));
        assert_eq!(
            late.unwrap_err().to_string(),
            "phải thông báo chậm nhất ngày 21/11/2025 (01 ngày làm việc trước hạn) / the notice was due by 21/11/2025 (one working day before the due date)"
        );

        let moved = schedule.reschedule(&cal, at("2025-11-27T10:00"), " Chờ kết quả xác minh ", at("2025-11-21T16:00")).unwrap();
        assert_eq!(moved.current_due(), at("2025-11-27T10:00"));
        assert_eq!(moved.rescheduled.as_ref().unwrap().reason, "Chờ kết quả xác minh");
        // Statistics keep the original date.
        assert_eq!(moved.timeliness(at("2025-11-26T10:00")), Timeliness::Late);

        let again = moved.reschedule(&cal, at("2025-12-01T10:00"), "x", at("2025-11-21T16:30"));
        assert_eq!(again, Err(RescheduleRefused::AlreadyRescheduled(at("2025-11-27T10:00"))));
        assert!(again.unwrap_err().to_string().contains("cannot be again"));
    }

    #[test]
    fn reschedule_checks_the_new_date_and_reason() {
        let cal = cal();
        let schedule = Schedule::new(at("2025-11-24T10:00"));
        let now = at("2025-11-20T09:00");
        assert_eq!(schedule.reschedule(&cal, at("2025-11-27T10:00"), "  ", now), Err(RescheduleRefused::NoReason));
        assert_eq!(schedule.reschedule(&cal, at("2025-11-24T09:00"), "x", now), Err(RescheduleRefused::NotLater));
        assert_eq!(
            schedule.reschedule(&cal, at("2025-11-29T10:00"), "x", now),
            Err(RescheduleRefused::NotWorkingDay(NaiveDate::from_ymd_opt(2025, 11, 29).unwrap()))
        );
    }

    #[test]
    fn due_soon_list() {
        let cal = cal();
        let due = at("2025-11-24T10:00"); // Monday
        assert!(!is_due_soon(&cal, due, at("2025-11-20T09:00"), 1)); // Thursday
        assert!(is_due_soon(&cal, due, at("2025-11-21T09:00"), 1)); // Friday: last day for a notice
        assert!(is_due_soon(&cal, due, at("2025-11-22T09:00"), 1)); // Saturday counts as Monday
        assert!(is_due_soon(&cal, due, at("2025-11-24T09:59"), 1));
        assert!(!is_due_soon(&cal, due, at("2025-11-24T10:01"), 1), "overdue is another list");
        assert!(is_due_soon(&cal, due, at("2025-11-20T09:00"), 2));
    }
}
