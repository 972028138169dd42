//! The appointment date (ngày hẹn trả) printed on the receipt slip: a promise the state makes
//! in writing, so it must follow the published rules exactly.
//!
//! The algorithm is the one used in production in Thanh Hóa (domain.md §6):
//! 1. Move the receipt into office hours: before opening → opening; in the lunch break → the
//!    afternoon opening; after closing or on a day off → the next working day's opening. The
//!    receipt time is taken to the whole minute first (the slip prints minutes).
//! 2. Per-procedure cut-off ([`Cutoff`], usually 15:00, Luật Hộ tịch Điều 5, NĐ 23/2015,
//!    NĐ 63/2024 Điều 7): a same-day procedure received after it is returned at the end of the
//!    next working day; for a counted limit with `counting_starts_next_day` (the child bundle),
//!    counting starts at the next working day's opening.
//! 3. Hour limits: whole multiples of `hours_per_working_day` (8) are whole working days, the
//!    rest is walked through office hours skipping lunch and nights.
//! 4. Whole days: working days count only working days; calendar days count every day, and a
//!    result on a weekend or holiday moves to the opening of the next working day.
//!
//! Time of day of the due date: the receipt's (normalised) clock time on the due day, as in
//! Thanh Hóa; a same-day limit is due at the close of the day (17:00). One exception, made so
//! the slip reads as a person counts days: a result exactly at a day's opening is the same
//! working moment as the close of the previous working day and is printed that way, so a
//! dossier received before opening on Monday with 3 working days is due Wednesday 17:00, not
//! Thursday 07:30. A clock time the due day does not have (a shorter Friday) is moved to the
//! nearest office time of that same day. All of this keeps the due date non-decreasing in the
//! receipt time.

use super::vietnam_offset;
use super::working::WorkingCalendar;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

/// A procedure's legal processing time. A zero-length limit is treated as [`TimeLimit::SameDay`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeLimit {
    /// "N ngày làm việc".
    WorkingDays(u32),
    /// "N ngày": every day counts.
    CalendarDays(u32),
    /// "N giờ" of office time.
    Hours(u32),
    /// "Ngay trong ngày".
    SameDay,
}

/// A per-procedure receipt cut-off, e.g. `{ at = "15:00", counting_starts_next_day = true }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cutoff {
    /// Receipts strictly after this clock time are late for the day.
    #[serde(with = "hh_mm")]
    pub at: NaiveTime,
    /// For working-day, calendar-day and hour limits: a late receipt starts counting at the next
    /// working day. A same-day limit always honours the cut-off.
    #[serde(default)]
    pub counting_starts_next_day: bool,
}

/// The computed appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appointment {
    /// When the result is due, at UTC+07:00.
    pub due_at: DateTime<FixedOffset>,
    /// The limit in working days, for a working-day limit.
    pub working_days: Option<u32>,
    /// How the date was reached, in Vietnamese then English.
    pub rule: String,
}

/// Computes the appointment for a dossier received at `received_at` (any offset).
pub fn due_at(cal: &WorkingCalendar, received_at: DateTime<FixedOffset>, limit: TimeLimit, cutoff: Option<Cutoff>) -> Appointment {
    let local = received_at.with_timezone(&vietnam_offset()).naive_local();
    let local = local.with_second(0).and_then(|t| t.with_nanosecond(0)).expect("minute start exists");
    let limit = match limit {
        TimeLimit::WorkingDays(0) | TimeLimit::CalendarDays(0) | TimeLimit::Hours(0) => TimeLimit::SameDay,
        other => other,
    };
    let mut rule = Rule::default();
    let mut start = normalise(cal, local);
    if start != local {
        rule.push(
            format!("nhận ngoài giờ làm việc, tính từ {}", show(start)),
            format!("received outside office hours, counted from {}", show(start)),
        );
    }
    let late = cutoff.filter(|c| start.time() > c.at);
    if limit != TimeLimit::SameDay {
        if let Some(c) = late.filter(|c| c.counting_starts_next_day) {
            let day = cal.next_working_day(start.date());
            start = day.and_time(opening(cal, day));
            rule.push(
                format!("nhận sau {}, tính từ ngày làm việc tiếp theo", hhmm(c.at)),
                format!("received after {}, counting starts the next working day", hhmm(c.at)),
            );
        }
    }

    let due = match limit {
        TimeLimit::SameDay => {
            let day = match late {
                Some(c) => {
                    rule.push(
                        format!("nhận sau {} nên trả trong ngày làm việc tiếp theo", hhmm(c.at)),
                        format!("received after {}, returned the next working day", hhmm(c.at)),
                    );
                    cal.next_working_day(start.date())
                }
                None => start.date(),
            };
            rule.lead("trả kết quả trong ngày làm việc", "returned within the working day");
            day.and_time(closing(cal, day))
        }
        TimeLimit::WorkingDays(n) => {
            rule.lead(
                &format!("{n:02} ngày làm việc, không tính thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết"),
                &format!("{n} working days, weekends and holidays excluded"),
            );
            at_opening_as_previous_close(cal, add_working_days(cal, start, n))
        }
        TimeLimit::Hours(h) => {
            let per_day = cal.config().hours_per_working_day;
            rule.lead(
                &format!(
                    "{h} giờ làm việc ({per_day} giờ = 1 ngày làm việc), \
                     không tính giờ nghỉ trưa, ngoài giờ, ngày nghỉ"
                ),
                &format!(
                    "{h} working hours ({per_day} h = 1 working day), \
                     lunch, nights and days off excluded"
                ),
            );
            let walked = add_office_minutes(cal, start, i64::from(h % per_day) * 60);
            at_opening_as_previous_close(cal, add_working_days(cal, walked, h / per_day))
        }
        TimeLimit::CalendarDays(n) => {
            rule.lead(&format!("{n:02} ngày (tính cả ngày nghỉ)"), &format!("{n} calendar days, days off included"));
            let (due, moved) = add_calendar_days(cal, start, n);
            if moved {
                rule.push(
                    "hạn rơi vào ngày nghỉ nên chuyển sang ngày làm việc tiếp theo".into(),
                    "the deadline fell on a day off and moves to the next working day".into(),
                );
            }
            due
        }
    };

    Appointment {
        due_at: vietnam_offset().from_local_datetime(&due).single().expect("fixed offset"),
        working_days: match limit {
            TimeLimit::WorkingDays(n) => Some(n),
            _ => None,
        },
        rule: rule.render(),
    }
}

/// Step 1: the first office moment at or after `at`.
fn normalise(cal: &WorkingCalendar, at: NaiveDateTime) -> NaiveDateTime {
    let date = at.date();
    for s in cal.sessions(date) {
        if at.time() < s.start {
            return date.and_time(s.start);
        }
        if at.time() < s.end {
            return at;
        }
    }
    let next = cal.next_working_day(date);
    next.and_time(opening(cal, next))
}

/// Walks `minutes` of office time forward from the office moment `from`.
fn add_office_minutes(cal: &WorkingCalendar, from: NaiveDateTime, minutes: i64) -> NaiveDateTime {
    let (mut date, mut time, mut left) = (from.date(), from.time(), minutes);
    if left == 0 {
        return from;
    }
    loop {
        for s in cal.sessions(date).iter().filter(|s| s.end > time) {
            let begin = time.max(s.start);
            let available = (s.end - begin).num_minutes();
            if left <= available {
                return date.and_time(begin + chrono::Duration::minutes(left));
            }
            left -= available;
        }
        date = cal.next_working_day(date);
        time = NaiveTime::MIN;
    }
}

/// The same clock time `n` working days later, kept within that day's office hours.
fn add_working_days(cal: &WorkingCalendar, from: NaiveDateTime, n: u32) -> NaiveDateTime {
    let day = cal.add_working_days(from.date(), n);
    day.and_time(snap(cal, day, from.time()))
}

/// Every day counts; see the module comment for the time of day.
fn add_calendar_days(cal: &WorkingCalendar, from: NaiveDateTime, n: u32) -> (NaiveDateTime, bool) {
    let target = from.date() + Days::new(u64::from(n));
    let day_before = target - Days::new(1);
    if from.time() == opening(cal, from.date()) && cal.is_working_day(day_before) {
        (day_before.and_time(closing(cal, day_before)), false)
    } else if cal.is_working_day(target) {
        (target.and_time(snap(cal, target, from.time())), false)
    } else {
        let day = cal.next_working_day(target);
        (day.and_time(opening(cal, day)), true)
    }
}

/// A result at a day's opening is shown as the previous working day's close.
fn at_opening_as_previous_close(cal: &WorkingCalendar, at: NaiveDateTime) -> NaiveDateTime {
    if at.time() == opening(cal, at.date()) {
        let day = cal.previous_working_day(at.date());
        day.and_time(closing(cal, day))
    } else {
        at
    }
}

/// `time` moved to the nearest office time of working day `day` (forward within the day,
/// but no later than its close).
fn snap(cal: &WorkingCalendar, day: NaiveDate, time: NaiveTime) -> NaiveTime {
    for s in cal.sessions(day) {
        if time < s.start {
            return s.start;
        }
        if time <= s.end {
            return time;
        }
    }
    closing(cal, day)
}

fn opening(cal: &WorkingCalendar, day: NaiveDate) -> NaiveTime {
    cal.sessions(day).first().expect("a working day has office hours").start
}

fn closing(cal: &WorkingCalendar, day: NaiveDate) -> NaiveTime {
    cal.sessions(day).last().expect("a working day has office hours").end
}

fn hhmm(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

fn show(at: NaiveDateTime) -> String {
    at.format("%H:%M %d/%m/%Y").to_string()
}

/// The explanation, built as parallel Vietnamese and English fragments.
#[derive(Default)]
struct Rule {
    vi: Vec<String>,
    en: Vec<String>,
}

impl Rule {
    fn lead(&mut self, vi: &str, en: &str) {
        self.vi.insert(0, vi.to_owned());
        self.en.insert(0, en.to_owned());
    }

    fn push(&mut self, vi: String, en: String) {
        self.vi.push(vi);
        self.en.push(en);
    }

    fn render(&self) -> String {
        format!("{} / {}", self.vi.join("; "), self.en.join("; "))
    }
}

/// `"15:00"` in configuration.
mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map_err(|_| serde::de::Error::custom(format!("expected a time like \"15:00\", found {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{CalendarConfig, OverrideTable};
    use proptest::prelude::*;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new(CalendarConfig::default(), OverrideTable::default()).unwrap()
    }

    /// A receipt in Vietnam's time, `"2025-11-20 08:37"`.
    fn at(text: &str) -> DateTime<FixedOffset> {
        let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        vietnam_offset().from_local_datetime(&naive).unwrap()
    }

    fn due(received: &str, limit: TimeLimit, cutoff: Option<Cutoff>) -> String {
        due_at(&cal(), at(received), limit, cutoff).due_at.format("%Y-%m-%d %H:%M %a").to_string()
    }

    const CUTOFF_15: Cutoff = Cutoff { at: NaiveTime::from_hms_opt(15, 0, 0).unwrap(), counting_starts_next_day: false };
    const BUNDLE_15: Cutoff = Cutoff { at: NaiveTime::from_hms_opt(15, 0, 0).unwrap(), counting_starts_next_day: true };

    #[test]
    fn working_days_keep_the_receipt_clock_time() {
        let a = due_at(&cal(), at("2025-11-20 08:37"), TimeLimit::WorkingDays(3), None);
        assert_eq!(a.due_at.to_rfc3339(), "2025-11-25T08:37:00+07:00");
        assert_eq!(a.working_days, Some(3));
        assert_eq!(
            a.rule,
            "03 ngày làm việc, không tính thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết / 3 working days, weekends and holidays excluded"
        );
    }

    #[test]
    fn receipt_in_another_offset_is_converted() {
        let utc = DateTime::parse_from_rfc3339("2025-11-20T01:37:00+00:00").unwrap();
        let a = due_at(&cal(), utc, TimeLimit::WorkingDays(1), None);
        assert_eq!(a.due_at.to_rfc3339(), "2025-11-21T08:37:00+07:00");
    }

    #[test]
    fn same_day_around_the_15_00_cutoff() {
        assert_eq!(due("2025-11-20 14:59", TimeLimit::SameDay, Some(CUTOFF_15)), "2025-11-20 17:00 Thu");
        assert_eq!(due("2025-11-20 15:00", TimeLimit::SameDay, Some(CUTOFF_15)), "2025-11-20 17:00 Thu");
        assert_eq!(due("2025-11-20 15:01", TimeLimit::SameDay, Some(CUTOFF_15)), "2025-11-21 17:00 Fri");
        // Friday after 15:00 → Monday.
        let a = due_at(&cal(), at("2025-11-21 15:30"), TimeLimit::SameDay, Some(CUTOFF_15));
        assert_eq!(a.due_at.to_rfc3339(), "2025-11-24T17:00:00+07:00");
        assert_eq!(a.working_days, None);
        assert_eq!(
            a.rule,
            "trả kết quả trong ngày làm việc; nhận sau 15:00 nên trả trong ngày làm việc tiếp theo / \
             returned within the working day; received after 15:00, returned the next working day"
        );
        // Without a cut-off a late receipt is still due the same day.
        assert_eq!(due("2025-11-20 16:45", TimeLimit::SameDay, None), "2025-11-20 17:00 Thu");
        // After closing: the next working morning is before the cut-off.
        assert_eq!(due("2025-11-20 17:30", TimeLimit::SameDay, Some(CUTOFF_15)), "2025-11-21 17:00 Fri");
    }

    #[test]
    fn bundle_counting_starts_the_next_working_day_after_15_00() {
        // Child bundle (NĐ 63/2024): 3 working days.
        assert_eq!(due("2025-11-17 14:30", TimeLimit::WorkingDays(3), Some(BUNDLE_15)), "2025-11-20 14:30 Thu");
        let a = due_at(&cal(), at("2025-11-17 15:30"), TimeLimit::WorkingDays(3), Some(BUNDLE_15));
        assert_eq!(a.due_at.format("%Y-%m-%d %H:%M %a").to_string(), "2025-11-20 17:00 Thu");
        assert!(a.rule.contains("received after 15:00, counting starts the next working day"), "{}", a.rule);
        // Without the flag the cut-off does not touch a counted limit.
        assert_eq!(due("2025-11-17 15:30", TimeLimit::WorkingDays(3), Some(CUTOFF_15)), "2025-11-20 15:30 Thu");
    }

    #[test]
    fn receipts_outside_office_hours() {
        // Before opening: the whole day counts.
        let a = due_at(&cal(), at("2025-11-17 07:00"), TimeLimit::WorkingDays(3), None);
        assert_eq!(a.due_at.format("%Y-%m-%d %H:%M %a").to_string(), "2025-11-19 17:00 Wed");
        assert!(a.rule.contains("received outside office hours, counted from 07:30 17/11/2025"), "{}", a.rule);
        // After closing: counting starts the next morning.
        assert_eq!(due("2025-11-17 17:20", TimeLimit::WorkingDays(3), None), "2025-11-20 17:00 Thu");
        // Saturday-morning reception counts from Monday.
        assert_eq!(due("2025-11-22 09:00", TimeLimit::WorkingDays(1), None), "2025-11-24 17:00 Mon");
    }

    #[test]
    fn lunch_break() {
        // Received in the lunch break: counted from 13:30.
        assert_eq!(due("2025-11-20 12:10", TimeLimit::WorkingDays(2), None), "2025-11-24 13:30 Mon");
        assert_eq!(due("2025-11-20 12:10", TimeLimit::Hours(2), None), "2025-11-20 15:30 Thu");
        // Hours run across lunch.
        assert_eq!(due("2025-11-20 10:30", TimeLimit::Hours(2), None), "2025-11-20 14:30 Thu");
        assert_eq!(due("2025-11-20 11:00", TimeLimit::Hours(4), None), "2025-11-20 17:00 Thu");
        // Ending exactly at the start of lunch stays there.
        assert_eq!(due("2025-11-20 09:30", TimeLimit::Hours(2), None), "2025-11-20 11:30 Thu");
    }

    #[test]
    fn friday_afternoon() {
        assert_eq!(due("2025-11-21 16:00", TimeLimit::WorkingDays(1), None), "2025-11-24 16:00 Mon");
        assert_eq!(due("2025-11-21 16:00", TimeLimit::Hours(4), None), "2025-11-24 10:30 Mon");
        assert_eq!(due("2025-11-21 15:00", TimeLimit::Hours(2), None), "2025-11-21 17:00 Fri");
        assert_eq!(due("2025-11-21 16:00", TimeLimit::Hours(12), None), "2025-11-25 10:30 Tue");
        assert_eq!(due("2025-11-21 16:00", TimeLimit::Hours(16), None), "2025-11-25 16:00 Tue");
        assert_eq!(due("2025-11-21 17:05", TimeLimit::WorkingDays(2), None), "2025-11-25 17:00 Tue");
    }

    #[test]
    fn days_before_tet() {
        // Tết Bính Ngọ: 16–20/2/2026 off.
        assert_eq!(due("2026-02-12 10:00", TimeLimit::WorkingDays(3), None), "2026-02-24 10:00 Tue");
        assert_eq!(due("2026-02-13 15:30", TimeLimit::SameDay, Some(CUTOFF_15)), "2026-02-23 17:00 Mon");
        assert_eq!(due("2026-02-13 09:00", TimeLimit::Hours(8), None), "2026-02-23 09:00 Mon");
        // Tết Ất Tỵ: 27/1 (nghỉ bù) – 31/1/2025 off.
        assert_eq!(due("2025-01-24 14:00", TimeLimit::WorkingDays(1), None), "2025-02-03 14:00 Mon");
        // Calendar days run through Tết.
        assert_eq!(due("2026-02-12 10:00", TimeLimit::CalendarDays(10), None), "2026-02-23 07:30 Mon");
    }

    #[test]
    fn calendar_days_landing_on_a_holiday_move_to_the_next_working_day() {
        // 20/4/2026 + 10 days = Thu 30/4 (Ngày Chiến thắng), 1/5 and the weekend → Mon 4/5.
        let a = due_at(&cal(), at("2026-04-20 09:00"), TimeLimit::CalendarDays(10), None);
        assert_eq!(a.due_at.format("%Y-%m-%d %H:%M %a").to_string(), "2026-05-04 07:30 Mon");
        assert_eq!(a.working_days, None);
        assert!(a.rule.ends_with("the deadline fell on a day off and moves to the next working day"), "{}", a.rule);
        // Landing on a working day keeps the clock time.
        assert_eq!(due("2026-04-20 09:00", TimeLimit::CalendarDays(9), None), "2026-04-29 09:00 Wed");
        // Received before opening: the receipt day is day 1.
        assert_eq!(due("2026-04-20 07:00", TimeLimit::CalendarDays(3), None), "2026-04-22 17:00 Wed");
        // Giỗ Tổ on Sunday 26/4 and its Monday: 16/4 + 10 days → Tue 28/4.
        assert_eq!(due("2026-04-16 10:00", TimeLimit::CalendarDays(10), None), "2026-04-28 07:30 Tue");
    }

    #[test]
    fn shorter_friday_hours_clamp_the_clock_time() {
        let mut config = CalendarConfig::default();
        config.office_hours.fri = vec!["07:30-11:30".to_owned().try_into().unwrap(), "13:30-16:30".to_owned().try_into().unwrap()];
        let cal = WorkingCalendar::new(config, OverrideTable::default()).unwrap();
        let a = due_at(&cal, at("2025-11-20 16:45"), TimeLimit::WorkingDays(1), None);
        assert_eq!(a.due_at.format("%a %H:%M").to_string(), "Fri 16:30");
        let a = due_at(&cal, at("2025-11-21 16:45"), TimeLimit::SameDay, None);
        assert_eq!(a.due_at.format("%a %d %H:%M").to_string(), "Mon 24 17:00");
    }

    #[test]
    fn worked_saturday_counts() {
        let mut table = OverrideTable::default();
        table
            .add_file("2024.toml", "[[day_off]]\ndate = 2024-04-29\nreason = \"a\"\n[[working_day]]\ndate = 2024-05-04\nreason = \"b\"\n")
            .unwrap();
        let cal = WorkingCalendar::new(CalendarConfig::default(), table).unwrap();
        let a = due_at(&cal, at("2024-05-03 10:00"), TimeLimit::WorkingDays(1), None);
        assert_eq!(a.due_at.format("%Y-%m-%d %H:%M %a").to_string(), "2024-05-04 10:00 Sat");
        let a = due_at(&cal, at("2024-04-26 10:00"), TimeLimit::WorkingDays(1), None);
        assert_eq!(a.due_at.format("%Y-%m-%d %H:%M %a").to_string(), "2024-05-02 10:00 Thu");
    }

    #[test]
    fn zero_limit_is_same_day_and_config_parses() {
        assert_eq!(due("2025-11-20 09:00", TimeLimit::WorkingDays(0), None), "2025-11-20 17:00 Thu");
        let limit: TimeLimit = serde_json::from_str(r#"{"working_days": 5}"#).unwrap();
        assert_eq!(limit, TimeLimit::WorkingDays(5));
        let limit: TimeLimit = serde_json::from_str(r#""same_day""#).unwrap();
        assert_eq!(limit, TimeLimit::SameDay);
        let cutoff: Cutoff = toml::from_str("at = \"15:00\"\ncounting_starts_next_day = true\n").unwrap();
        assert_eq!(cutoff, BUNDLE_15);
        assert!(toml::from_str::<Cutoff>("at = \"3pm\"\n").unwrap_err().message().contains("15:00"));
    }

    fn limit_strategy() -> impl Strategy<Value = TimeLimit> {
        prop_oneof![
            (0u32..40).prop_map(TimeLimit::WorkingDays),
            (0u32..60).prop_map(TimeLimit::CalendarDays),
            (0u32..100).prop_map(TimeLimit::Hours),
            Just(TimeLimit::SameDay),
        ]
    }

    fn cutoff_strategy() -> impl Strategy<Value = Option<Cutoff>> {
        prop_oneof![Just(None), Just(Some(CUTOFF_15)), Just(Some(BUNDLE_15))]
    }

    /// Minutes since 2024-01-01 00:00 (+07:00), across five years with a worked Saturday.
    fn receipt(minutes: i64) -> DateTime<FixedOffset> {
        at("2024-01-01 00:00") + chrono::Duration::minutes(minutes)
    }

    fn cal_with_swaps() -> &'static WorkingCalendar {
        static CAL: std::sync::OnceLock<WorkingCalendar> = std::sync::OnceLock::new();
        CAL.get_or_init(|| {
            let mut table = OverrideTable::default();
            table
                .add_file(
                    "2024.toml",
                    "[[day_off]]\ndate = 2024-04-29\nreason = \"a\"\n[[working_day]]\ndate = 2024-05-04\nreason = \"b\"\n",
                )
                .unwrap();
            WorkingCalendar::new(CalendarConfig::default(), table).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn due_date_is_a_working_day_in_office_hours(
            minutes in 0i64..5 * 366 * 24 * 60, limit in limit_strategy(), cutoff in cutoff_strategy()
        ) {
            let cal = cal_with_swaps();
            let received = receipt(minutes);
            let due = due_at(cal, received, limit, cutoff).due_at.naive_local();
            prop_assert!(cal.is_working_day(due.date()), "{received} {limit:?} → {due}");
            prop_assert!(cal.sessions(due.date()).iter().any(|s| s.start <= due.time() && due.time() <= s.end));
            prop_assert!(due >= received.naive_local().with_second(0).unwrap() || limit == TimeLimit::SameDay);
        }

        #[test]
        fn due_date_never_moves_earlier_when_received_later(
            minutes in 0i64..5 * 366 * 24 * 60, later in 0i64..4 * 24 * 60,
            limit in limit_strategy(), cutoff in cutoff_strategy()
        ) {
            let cal = cal_with_swaps();
            let first = due_at(cal, receipt(minutes), limit, cutoff).due_at;
            let second = due_at(cal, receipt(minutes + later), limit, cutoff).due_at;
            prop_assert!(first <= second, "{limit:?} {cutoff:?}: {} → {first}, +{later} min → {second}", receipt(minutes));
        }
    }
}
