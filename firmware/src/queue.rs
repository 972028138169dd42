//! The queue's rules as plain values: numbering, dispensing windows, the ticket state machine,
//! who is called next, and the estimated wait. No SQL, no HTTP, no clock of its own — the
//! store feeds it rows and the current time, so every rule is unit-testable at any instant
//! (midnight in UTC+7, the 11:15 cut-off) without waiting for it.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// How waiting citizens are ordered when a counter calls the next number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ordering {
    /// Any waiting priority citizen is called before any normal one.
    Strict,
    /// After `normal` normal citizens, one priority citizen (if any waits).
    Interleave { normal: u32 },
}

/// Where a transferred ticket goes in its new queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferPosition {
    Front,
    Back,
}

/// A time range `[start, end)` within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Ticket-dispensing windows for each weekday (index 0 = Monday).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DispensingWindows {
    pub days: [Vec<TimeWindow>; 7],
}

impl DispensingWindows {
    pub fn for_weekday(&self, day: Weekday) -> &[TimeWindow] {
        &self.days[day.num_days_from_monday() as usize]
    }
}

/// A queue position below every issued ticket: transfers to the front sort before new tickets,
/// in the order they were transferred.
const FRONT: i64 = -1_000_000_000_000;

/// The queue position of a ticket entering a queue as the `order`-th change of the day
/// (positions follow the journal, which only grows): at the back, or at the front.
pub fn queue_position(order: i64, position: TransferPosition) -> i64 {
    match position {
        TransferPosition::Front => FRONT + order,
        TransferPosition::Back => order,
    }
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Called,
    Serving,
    Done,
    NoShow,
    Cancelled,
    /// Moved to another service's queue; waits there with its number unchanged.
    Transferred,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Waiting => "waiting",
            TicketStatus::Called => "called",
            TicketStatus::Serving => "serving",
            TicketStatus::Done => "done",
            TicketStatus::NoShow => "no_show",
            TicketStatus::Cancelled => "cancelled",
            TicketStatus::Transferred => "transferred",
        }
    }

    pub fn parse(s: &str) -> Option<TicketStatus> {
        Some(match s {
            "waiting" => TicketStatus::Waiting,
            "called" => TicketStatus::Called,
            "serving" => TicketStatus::Serving,
            "done" => TicketStatus::Done,
            "no_show" => TicketStatus::NoShow,
            "cancelled" => TicketStatus::Cancelled,
            "transferred" => TicketStatus::Transferred,
            _ => return None,
        })
    }

    /// In a queue, waiting to be called (a transferred ticket waits in its new queue).
    pub fn is_queued(self) -> bool {
        matches!(self, TicketStatus::Waiting | TicketStatus::Transferred)
    }

    /// At a counter: the counter's current ticket.
    pub fn is_at_counter(self) -> bool {
        matches!(self, TicketStatus::Called | TicketStatus::Serving)
    }
}

/// What a counter or a citizen does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Call,
    Recall,
    StartServing,
    Finish,
    NoShow,
    Transfer,
    Cancel,
}

/// The state machine: `waiting → called → serving → done | no_show | cancelled | transferred`.
pub fn apply(status: TicketStatus, action: Action) -> Result<TicketStatus, QueueError> {
    use Action as A;
    use TicketStatus as S;
    let next = match (status, action) {
        (S::Waiting | S::Transferred, A::Call) => S::Called,
        (S::Called, A::Recall) => S::Called,
        (S::Called, A::StartServing) => S::Serving,
        (S::Called | S::Serving, A::Finish) => S::Done,
        (S::Called, A::NoShow) => S::NoShow,
        (S::Called | S::Serving, A::Transfer) => S::Transferred,
        (S::Waiting | S::Transferred, A::Cancel) => S::Cancelled,
        (from, action) => return Err(QueueError::InvalidTransition { from, action }),
    };
    Ok(next)
}

/// The printed number: prefix and three digits (`A025`).
pub fn format_number(prefix: &str, seq: u32) -> String {
    format!("{prefix}{seq:03}")
}

/// The next sequence number of a service on a day, or why none can be issued.
///
/// `last` is the highest number issued for the service that day (`None` at the day's first
/// ticket); `issued` is how many were issued.
pub fn next_sequence(last: Option<u32>, issued: u32, first: u32, cap: u32) -> Result<u32, QueueError> {
    if issued >= cap {
        return Err(QueueError::DailyLimitReached { cap });
    }
    let next = last.map_or(first, |l| l + 1);
    if next > 999 {
        return Err(QueueError::DailyLimitReached { cap });
    }
    Ok(next)
}

/// The local calendar day a ticket belongs to: numbering restarts at local midnight.
pub fn service_day(at: DateTime<FixedOffset>) -> NaiveDate {
    at.date_naive()
}

/// Whose dispensing windows a date follows: the calendar decides (a day off or a day inside a
/// holiday break follows none; a make-up Saturday follows a weekday's).
pub type Schedule<'a> = &'a dyn Fn(NaiveDate) -> Option<Weekday>;

/// The window open at local time `t` on a day that follows `weekday`'s windows, if any.
pub fn open_window(windows: &DispensingWindows, weekday: Weekday, t: NaiveTime) -> Option<TimeWindow> {
    windows.for_weekday(weekday).iter().copied().find(|w| w.start <= t && t < w.end)
}

/// Whether tickets may be dispensed at `at` (local time), on a day that follows `schedule`.
pub fn is_dispensing(windows: &DispensingWindows, schedule: Schedule, at: DateTime<FixedOffset>) -> bool {
    schedule(at.date_naive()).is_some_and(|weekday| open_window(windows, weekday, at.time()).is_some())
}

/// How far ahead [`next_opening`] looks: past the longest holiday break.
const OPENING_HORIZON_DAYS: u64 = 31;

/// The next instant after `at` (or `at` itself) when dispensing opens, within a month.
pub fn next_opening(windows: &DispensingWindows, schedule: Schedule, at: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let offset = *at.offset();
    (0..=OPENING_HORIZON_DAYS).find_map(|n| {
        let date = at.date_naive().checked_add_days(chrono::Days::new(n))?;
        let weekday = schedule(date)?;
        let start = windows.for_weekday(weekday).iter().map(|w| w.start).filter(|&start| n > 0 || start >= at.time()).min()?;
        date.and_time(start).and_local_timezone(offset).single()
    })
}

/// Every dispensing window from `at` over the next `days` days (one in progress included), as
/// local instants: the windows of every set in `sets` merged per day (a centre's and its
/// services' own), days that follow no windows (`schedule`) left out.
pub fn windows_ahead(
    sets: &[&DispensingWindows],
    schedule: Schedule,
    at: DateTime<FixedOffset>,
    days: u64,
) -> Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let offset = *at.offset();
    let mut out = Vec::new();
    for n in 0..days {
        let Some(date) = at.date_naive().checked_add_days(chrono::Days::new(n)) else { break };
        let Some(weekday) = schedule(date) else { continue };
        let mut day: Vec<TimeWindow> = sets.iter().flat_map(|w| w.for_weekday(weekday).iter().copied()).collect();
        day.sort_by_key(|w| w.start);
        let mut merged: Vec<TimeWindow> = Vec::new();
        for w in day {
            match merged.last_mut() {
                Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
                _ => merged.push(w),
            }
        }
        for w in merged {
            let local = |t: NaiveTime| date.and_time(t).and_local_timezone(offset).single();
            if let (Some(from), Some(to)) = (local(w.start), local(w.end)) {
                if to > at {
                    out.push((from, to));
                }
            }
        }
    }
    out
}

/// A queued ticket as the caller sees it when choosing the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub priority: bool,
    /// Lower is called first; transfers to the front get positions below every issued ticket.
    pub queue_pos: i64,
}

/// Which queued ticket a counter calls next: oldest first, priority citizens by the rule.
///
/// `normal_streak` is how many normal citizens this counter called since its last priority one.
pub fn choose_next(candidates: &[Candidate], ordering: Ordering, normal_streak: u32) -> Option<usize> {
    let oldest = |priority: bool| {
        candidates.iter().enumerate().filter(|(_, c)| c.priority == priority).min_by_key(|(_, c)| c.queue_pos).map(|(i, _)| i)
    };
    let (priority, normal) = (oldest(true), oldest(false));
    match (priority, normal) {
        (None, n) => n,
        (p, None) => p,
        (Some(p), Some(n)) => {
            // A transferred ticket sent to the front of the queue goes before anyone new.
            let front_n = candidates[n].queue_pos < 0;
            let front_p = candidates[p].queue_pos < 0;
            if front_n && !front_p {
                return Some(n);
            }
            match ordering {
                Ordering::Strict => Some(p),
                Ordering::Interleave { normal } if normal_streak >= normal => Some(p),
                Ordering::Interleave { .. } => Some(n),
            }
        }
    }
}

/// Estimated minutes until a citizen with `ahead` people before them is called, when
/// `counters` counters serve the queue and a transaction takes `avg_service_secs` on average.
pub fn estimate_wait_minutes(ahead: u32, avg_service_secs: f64, counters: u32) -> u32 {
    if ahead == 0 {
        return 0;
    }
    let counters = counters.max(1) as f64;
    ((ahead as f64) * avg_service_secs / counters / 60.0).ceil() as u32
}

/// Everything the queue can refuse, with the code the API reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    #[error("unknown service {0:?}")]
    UnknownService(String),
    #[error("service {service} is not dispensing tickets now")]
    ServiceClosed { service: String },
    #[error("the daily limit of {cap} tickets for this service has been reached")]
    DailyLimitReached { cap: u32 },
    #[error("unknown priority category {0:?}")]
    UnknownPriority(String),
    #[error("unknown ticket")]
    UnknownTicket,
    #[error("unknown counter {0}")]
    UnknownCounter(u32),
    #[error("counter has no current ticket")]
    NoCurrentTicket,
    #[error("counter still has ticket {number}: finish it, mark it no-show or transfer it first")]
    TicketInProgress { number: String },
    #[error("a {} ticket cannot be {}", from.as_str(), action_past(*action))]
    InvalidTransition { from: TicketStatus, action: Action },
    #[error("ticket is already in service {0}")]
    SameService(String),
}

fn action_past(a: Action) -> &'static str {
    match a {
        Action::Call => "called",
        Action::Recall => "recalled",
        Action::StartServing => "served",
        Action::Finish => "finished",
        Action::NoShow => "marked no-show",
        Action::Transfer => "transferred",
        Action::Cancel => "cancelled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn numbers_have_three_digits() {
        assert_eq!(format_number("A", 1), "A001");
        assert_eq!(format_number("B", 25), "B025");
        assert_eq!(format_number("F", 999), "F999");
    }

    #[test]
    fn numbering_starts_at_first_and_stops_at_the_cap() {
        assert_eq!(next_sequence(None, 0, 1, 300), Ok(1));
        assert_eq!(next_sequence(Some(1), 1, 1, 300), Ok(2));
        assert_eq!(next_sequence(None, 0, 100, 300), Ok(100));
        assert_eq!(next_sequence(Some(3), 3, 1, 3), Err(QueueError::DailyLimitReached { cap: 3 }));
        assert_eq!(next_sequence(Some(999), 5, 995, 300), Err(QueueError::DailyLimitReached { cap: 300 }));
    }

    #[test]
    fn the_day_turns_at_local_midnight_not_utc() {
        // 23:59 on 5 March in Hà Nội is 16:59 UTC; one minute later it is the 6th locally.
        let before = vn(2026, 3, 5, 23, 59);
        let after = before + chrono::Duration::minutes(1);
        assert_eq!(service_day(before), NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
        assert_eq!(service_day(after), NaiveDate::from_ymd_opt(2026, 3, 6).unwrap());
        // 06:30 local on the 6th is still the 5th in UTC: it belongs to the 6th.
        let early = vn(2026, 3, 6, 6, 30);
        assert_eq!(early.naive_utc().date(), NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
        assert_eq!(service_day(early), NaiveDate::from_ymd_opt(2026, 3, 6).unwrap());
    }

    fn windows() -> DispensingWindows {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let mut w = DispensingWindows::default();
        for day in 0..5 {
            w.days[day] = vec![TimeWindow { start: t(7, 0), end: t(11, 15) }, TimeWindow { start: t(13, 15), end: t(16, 30) }];
        }
        w.days[5] = vec![TimeWindow { start: t(7, 30), end: t(11, 0) }];
        w
    }

    /// Every day follows its own weekday.
    fn ordinary(date: NaiveDate) -> Option<Weekday> {
        use chrono::Datelike;
        Some(date.weekday())
    }

    #[test]
    fn windows_are_half_open_and_per_weekday() {
        let w = windows();
        // 2026-03-02 is a Monday, 2026-03-07 a Saturday, 2026-03-08 a Sunday.
        assert!(!is_dispensing(&w, &ordinary, vn(2026, 3, 2, 6, 59)));
        assert!(is_dispensing(&w, &ordinary, vn(2026, 3, 2, 7, 0)));
        assert!(is_dispensing(&w, &ordinary, vn(2026, 3, 2, 11, 14)));
        assert!(!is_dispensing(&w, &ordinary, vn(2026, 3, 2, 11, 15)));
        assert!(!is_dispensing(&w, &ordinary, vn(2026, 3, 2, 12, 0)));
        assert!(is_dispensing(&w, &ordinary, vn(2026, 3, 2, 13, 15)));
        assert!(is_dispensing(&w, &ordinary, vn(2026, 3, 7, 9, 0)));
        assert!(!is_dispensing(&w, &ordinary, vn(2026, 3, 7, 14, 0)));
        assert!(!is_dispensing(&w, &ordinary, vn(2026, 3, 8, 9, 0)));
    }

    #[test]
    fn the_schedule_closes_days_and_lends_weekday_windows() {
        let w = windows();
        let closed_7th = |d: NaiveDate| (d != NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()).then(|| ordinary(d)).flatten();
        assert!(!is_dispensing(&w, &closed_7th, vn(2026, 3, 7, 9, 0)), "a Saturday inside a break");
        let make_up_7th = |d: NaiveDate| if d == NaiveDate::from_ymd_opt(2026, 3, 7).unwrap() { Some(Weekday::Mon) } else { ordinary(d) };
        assert!(is_dispensing(&w, &make_up_7th, vn(2026, 3, 7, 14, 0)), "a make-up Saturday has the afternoon window");
        assert!(!is_dispensing(&w, &ordinary, vn(2026, 3, 7, 14, 0)));
    }

    #[test]
    fn next_opening_skips_closed_days() {
        let w = windows();
        assert_eq!(next_opening(&w, &ordinary, vn(2026, 3, 2, 6, 50)), Some(vn(2026, 3, 2, 7, 0)));
        assert_eq!(next_opening(&w, &ordinary, vn(2026, 3, 2, 12, 0)), Some(vn(2026, 3, 2, 13, 15)));
        assert_eq!(next_opening(&w, &ordinary, vn(2026, 3, 2, 17, 0)), Some(vn(2026, 3, 3, 7, 0)));
        assert_eq!(next_opening(&w, &ordinary, vn(2026, 3, 7, 12, 0)), Some(vn(2026, 3, 9, 7, 0)), "Saturday afternoon → Monday");
        let break_to_10th = |d: NaiveDate| (d > NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()).then(|| ordinary(d)).flatten();
        assert_eq!(next_opening(&w, &break_to_10th, vn(2026, 3, 2, 6, 50)), Some(vn(2026, 3, 11, 7, 0)));
        assert_eq!(next_opening(&w, &|_| None, vn(2026, 3, 2, 6, 50)), None);
    }

    #[test]
    fn windows_ahead_merge_the_services_and_skip_closed_days() {
        let w = windows();
        // Service C also dispenses 11:00–12:00 on weekdays: it overlaps the morning window.
        let mut c = DispensingWindows::default();
        for d in 0..5 {
            c.days[d] =
                vec![TimeWindow { start: NaiveTime::from_hms_opt(11, 0, 0).unwrap(), end: NaiveTime::from_hms_opt(12, 0, 0).unwrap() }];
        }
        // Monday 2 March 2026, 09:00, the 3rd closed (a holiday): three days ahead.
        let closed_3rd = |d: NaiveDate| (d != NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).then(|| ordinary(d)).flatten();
        let ahead = windows_ahead(&[&w, &c], &closed_3rd, vn(2026, 3, 2, 9, 0), 3);
        assert_eq!(
            ahead,
            vec![
                (vn(2026, 3, 2, 7, 0), vn(2026, 3, 2, 12, 0)),
                (vn(2026, 3, 2, 13, 15), vn(2026, 3, 2, 16, 30)),
                (vn(2026, 3, 4, 7, 0), vn(2026, 3, 4, 12, 0)),
                (vn(2026, 3, 4, 13, 15), vn(2026, 3, 4, 16, 30)),
            ],
            "the window in progress included, the holiday left out"
        );
        // In the afternoon the morning is over.
        assert_eq!(windows_ahead(&[&w], &ordinary, vn(2026, 3, 2, 14, 0), 1), vec![(vn(2026, 3, 2, 13, 15), vn(2026, 3, 2, 16, 30))]);
    }

    fn c(priority: bool, pos: i64) -> Candidate {
        Candidate { priority, queue_pos: pos }
    }

    #[test]
    fn oldest_first_without_priority() {
        let q = [c(false, 5), c(false, 2), c(false, 9)];
        assert_eq!(choose_next(&q, Ordering::Strict, 0), Some(1));
        assert_eq!(choose_next(&[], Ordering::Strict, 0), None);
    }

    #[test]
    fn strict_priority_goes_first() {
        let q = [c(false, 1), c(true, 7)];
        assert_eq!(choose_next(&q, Ordering::Strict, 0), Some(1));
    }

    #[test]
    fn interleave_serves_n_normal_then_one_priority() {
        let rule = Ordering::Interleave { normal: 2 };
        let q = [c(false, 1), c(true, 2)];
        assert_eq!(choose_next(&q, rule, 0), Some(0));
        assert_eq!(choose_next(&q, rule, 1), Some(0));
        assert_eq!(choose_next(&q, rule, 2), Some(1));
        // with nobody normal waiting, the priority citizen does not wait for the streak
        assert_eq!(choose_next(&[c(true, 9)], rule, 0), Some(0));
    }

    #[test]
    fn a_transfer_to_the_front_beats_new_priority_tickets() {
        let q = [c(true, 3), c(false, -1_000_000_000 + 40)];
        assert_eq!(choose_next(&q, Ordering::Strict, 0), Some(1));
    }

    #[test]
    fn state_machine() {
        use Action::{Call, Cancel, Finish, Recall, StartServing, Transfer};
        use TicketStatus::{Called, Cancelled, Done, Serving, Transferred, Waiting};
        assert_eq!(apply(Waiting, Call), Ok(Called));
        assert_eq!(apply(Called, Recall), Ok(Called));
        assert_eq!(apply(Called, StartServing), Ok(Serving));
        assert_eq!(apply(Serving, Finish), Ok(Done));
        assert_eq!(apply(Called, Finish), Ok(Done));
        assert_eq!(apply(Called, Action::NoShow), Ok(TicketStatus::NoShow));
        assert_eq!(apply(Serving, Transfer), Ok(Transferred));
        assert_eq!(apply(Transferred, Call), Ok(Called));
        assert_eq!(apply(Waiting, Cancel), Ok(Cancelled));
        assert!(apply(Done, Call).is_err());
        assert!(apply(Serving, Action::NoShow).is_err());
        assert!(apply(Serving, Recall).is_err());
        assert!(apply(Cancelled, Cancel).is_err());
        let e = apply(Done, Finish).unwrap_err();
        assert_eq!(e.to_string(), "a done ticket cannot be finished");
    }

    #[test]
    fn transfers_to_the_front_go_before_every_issued_ticket() {
        let front = queue_position(900, TransferPosition::Front);
        assert!(front < 1 && front < queue_position(901, TransferPosition::Front));
        assert_eq!(queue_position(900, TransferPosition::Back), 900);
    }

    #[test]
    fn wait_estimate() {
        assert_eq!(estimate_wait_minutes(0, 300.0, 2), 0);
        assert_eq!(estimate_wait_minutes(4, 300.0, 2), 10);
        assert_eq!(estimate_wait_minutes(1, 90.0, 3), 1);
        assert_eq!(estimate_wait_minutes(3, 360.0, 0), 18);
    }
}
