//! The working calendar of one office: which days count toward a time limit and the office
//! hours within them. Appointment dates, due-soon lists and the rescheduling notice deadline
//! all ask it whether a day is a working day.
//!
//! A day is a working day when the override table says so (a worked Saturday), or else when
//! its weekday has office hours, it is not a generated holiday or compensatory day, it is not
//! inside a holiday break, and the override table does not give it off. Office hours here are the hours that *count*:
//! Saturday-morning reception, where a site has it, is a dispensing-hours matter for the queue
//! and does not make Saturday a counting day.

use super::holidays::{statutory_holidays, Holiday, HolidayKind};
use super::overrides::{OverrideKind, OverrideTable};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::RangeInclusive;

/// One opening period of a day, written `"07:30-11:30"` in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Session {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// Office hours per weekday; a weekday with no session is not a working day. The gap between
/// two sessions is the lunch break. Omitted weekdays keep their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfficeHours {
    pub mon: Vec<Session>,
    pub tue: Vec<Session>,
    pub wed: Vec<Session>,
    pub thu: Vec<Session>,
    pub fri: Vec<Session>,
    pub sat: Vec<Session>,
    pub sun: Vec<Session>,
}

/// The `[calendar]` configuration section.
///
/// ```toml
/// [calendar]
/// hours_per_working_day = 8
/// [calendar.office_hours]
/// fri = ["07:30-11:30", "13:30-16:30"]   # other weekdays keep 07:30-11:30, 13:30-17:00
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    pub office_hours: OfficeHours,
    /// Working hours that make one working day when an hour limit is converted (8 by law).
    pub hours_per_working_day: u32,
}

/// A configuration that cannot describe a working week.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar.{0}")]
pub struct CalendarConfigError(String);

/// What kind of day a date is for the office, as the queue needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary working day.
    Working,
    /// A Saturday or Sunday worked as a weekday (làm bù): weekday hours and dispensing windows.
    MakeUp,
    /// A weekly rest day: no counting hours, though a centre may still dispense on Saturday
    /// mornings.
    Rest,
    /// A holiday, a compensatory day, a day given off, or any day inside a holiday break: closed,
    /// no tickets.
    Closed(Holiday),
}

/// Years whose holidays are generated once when the calendar is built; others are generated
/// on each query.
const PRECOMPUTED_YEARS: RangeInclusive<i32> = 2000..=2100;

/// The calendar an appointment is computed against.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    config: CalendarConfig,
    overrides: OverrideTable,
    holidays: BTreeMap<NaiveDate, Holiday>,
}

impl Default for OfficeHours {
    fn default() -> Self {
        let day = vec![Session::new(hm(7, 30), hm(11, 30)), Session::new(hm(13, 30), hm(17, 0))];
        OfficeHours { mon: day.clone(), tue: day.clone(), wed: day.clone(), thu: day.clone(), fri: day, sat: Vec::new(), sun: Vec::new() }
    }
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig { office_hours: OfficeHours::default(), hours_per_working_day: 8 }
    }
}

impl OfficeHours {
    /// The sessions of `weekday`.
    pub fn of(&self, weekday: Weekday) -> &[Session] {
        match weekday {
            Weekday::Mon => &self.mon,
            Weekday::Tue => &self.tue,
            Weekday::Wed => &self.wed,
            Weekday::Thu => &self.thu,
            Weekday::Fri => &self.fri,
            Weekday::Sat => &self.sat,
            Weekday::Sun => &self.sun,
        }
    }
}

impl Session {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Session {
        Session { start, end }
    }
}

impl fmt::Display for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

impl From<Session> for String {
    fn from(session: Session) -> String {
        session.to_string()
    }
}

impl TryFrom<String> for Session {
    type Error = String;
    fn try_from(text: String) -> Result<Session, String> {
        let bad = || format!("expected office hours like \"07:30-11:30\", found {text:?}");
        let normalised = text.replace(['–', '—'], "-");
        let (start, end) = normalised.split_once('-').ok_or_else(bad)?;
        let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
        let session = Session::new(time(start)?, time(end)?);
        if session.start >= session.end {
            return Err(format!("office hours {text:?} end before they start"));
        }
        Ok(session)
    }
}

impl WorkingCalendar {
    /// Checks the configuration and generates the holidays.
    pub fn new(config: CalendarConfig, overrides: OverrideTable) -> Result<Self, CalendarConfigError> {
        if config.hours_per_working_day == 0 {
            return Err(CalendarConfigError("hours_per_working_day must be at least 1".into()));
        }
        let week = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        for weekday in week {
            let sessions = config.office_hours.of(weekday);
            for pair in sessions.windows(2) {
                if pair[1].start < pair[0].end {
                    return Err(CalendarConfigError(format!(
                        "office_hours.{}: sessions {} and {} overlap or are out of order",
                        weekday_key(weekday),
                        pair[0],
                        pair[1]
                    )));
                }
            }
            for s in sessions {
                if s.start >= s.end {
                    return Err(CalendarConfigError(format!("office_hours.{}: {s} ends before it starts", weekday_key(weekday))));
                }
            }
        }
        if week.iter().all(|&w| config.office_hours.of(w).is_empty()) {
            return Err(CalendarConfigError("office_hours: no weekday has office hours".into()));
        }
        let holidays = PRECOMPUTED_YEARS.flat_map(statutory_holidays).map(|h| (h.date, h)).collect();
        Ok(WorkingCalendar { config, overrides, holidays })
    }

    pub fn config(&self) -> &CalendarConfig {
        &self.config
    }

    pub fn overrides(&self) -> &OverrideTable {
        &self.overrides
    }

    /// Whether `date` counts toward a working-day limit.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.overrides.get(date).map(|o| o.kind) {
            Some(OverrideKind::WorkingDay) => true,
            Some(OverrideKind::DayOff) => false,
            None => {
                !self.config.office_hours.of(date.weekday()).is_empty()
                    && !self.is_generated_holiday(date)
                    && self.overrides.break_on(date).is_none()
            }
        }
    }

    /// Why the office is closed on `date`, if it is: a holiday, a compensatory day, a day given
    /// off, or any day of a holiday break (its Saturdays and Sundays included). A weekly rest
    /// day outside a break is not a closure: see [`WorkingCalendar::day_kind`].
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        match self.overrides.get(date) {
            Some(o) if o.kind == OverrideKind::WorkingDay => None,
            Some(o) => Some(Holiday { date, name: o.reason.clone(), kind: HolidayKind::Override }),
            None => self
                .generated_holiday(date)
                .or_else(|| self.overrides.break_on(date).map(|b| Holiday { date, name: b.reason.clone(), kind: HolidayKind::Break })),
        }
    }

    /// What `date` is for the queue: closed (holiday or break), a make-up weekend day worked
    /// with weekday hours, a weekly rest day, or an ordinary working day.
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        if let Some(h) = self.holiday(date) {
            return DayKind::Closed(h);
        }
        let worked = self.overrides.get(date).is_some_and(|o| o.kind == OverrideKind::WorkingDay);
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        match (worked, weekend) {
            (true, true) => DayKind::MakeUp,
            _ if self.is_working_day(date) => DayKind::Working,
            _ => DayKind::Rest,
        }
    }

    /// Every closed day of `year` in date order (holidays, compensatory days, days given off and
    /// the days of holiday breaks), after the override table is applied.
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        let mut out: Vec<Holiday> = statutory_holidays(year).into_iter().filter(|h| self.overrides.get(h.date).is_none()).collect();
        out.extend(self.overrides.iter().filter(|o| o.kind == OverrideKind::DayOff && o.date.year() == year).map(|o| Holiday {
            date: o.date,
            name: o.reason.clone(),
            kind: HolidayKind::Override,
        }));
        for b in self.overrides.breaks() {
            for date in b.from.iter_days().take_while(|d| *d <= b.to).filter(|d| d.year() == year) {
                if !out.iter().any(|h| h.date == date) {
                    out.push(Holiday { date, name: b.reason.clone(), kind: HolidayKind::Break });
                }
            }
        }
        out.sort_by_key(|h| h.date);
        out
    }

    /// The office sessions of `date`: empty on a day off; a worked day whose weekday has no
    /// hours of its own (a worked Saturday) keeps the hours of the first weekday that has them.
    pub fn sessions(&self, date: NaiveDate) -> &[Session] {
        if !self.is_working_day(date) {
            return &[];
        }
        let own = self.config.office_hours.of(date.weekday());
        if !own.is_empty() {
            return own;
        }
        let hours = &self.config.office_hours;
        [&hours.mon, &hours.tue, &hours.wed, &hours.thu, &hours.fri, &hours.sat, &hours.sun]
            .into_iter()
            .find(|s| !s.is_empty())
            .expect("validated: some weekday has office hours")
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        self.working_day_on_or_after(date + Days::new(1))
    }

    /// `date` itself when it is a working day, else the next one.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut date = date;
        while !self.is_working_day(date) {
            date = date + Days::new(1);
        }
        date
    }

    /// The last working day strictly before `date`.
    pub fn previous_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut date = date - Days::new(1);
        while !self.is_working_day(date) {
            date = date - Days::new(1);
        }
        date
    }

    /// The working day `n` working days after `date` (`date` itself not counted).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(date, |d, _| self.next_working_day(d))
    }

    /// Working days in `from..to` (`from` counted, `to` not).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().take_while(|d| *d < to).filter(|d| self.is_working_day(*d)).count() as u32
    }

    fn is_generated_holiday(&self, date: NaiveDate) -> bool {
        if PRECOMPUTED_YEARS.contains(&date.year()) {
            self.holidays.contains_key(&date)
        } else {
            statutory_holidays(date.year()).iter().any(|h| h.date == date)
        }
    }

    fn generated_holiday(&self, date: NaiveDate) -> Option<Holiday> {
        if PRECOMPUTED_YEARS.contains(&date.year()) {
            self.holidays.get(&date).cloned()
        } else {
            statutory_holidays(date.year()).into_iter().find(|h| h.date == date)
        }
    }
}

fn weekday_key(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// `hh:mm` as a time; the arguments are compile-time constants.
pub(crate) fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("valid clock time")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn calendar_with(overrides: &str) -> WorkingCalendar {
        let mut table = OverrideTable::default();
        table.add_file("test.toml", overrides).unwrap();
        WorkingCalendar::new(CalendarConfig::default(), table).unwrap()
    }

    #[test]
    fn default_week_is_monday_to_friday_with_lunch() {
        let cal = calendar_with("");
        assert!(cal.is_working_day(d(2025, 11, 20))); // Thu
        assert!(!cal.is_working_day(d(2025, 11, 22))); // Sat
        assert!(!cal.is_working_day(d(2025, 11, 23))); // Sun
        assert_eq!(cal.sessions(d(2025, 11, 20)).iter().map(|s| s.to_string()).collect::<Vec<_>>(), ["07:30-11:30", "13:30-17:00"]);
        assert!(cal.sessions(d(2025, 11, 22)).is_empty());
    }

    #[test]
    fn holiday_on_sunday_gives_monday_off() {
        let cal = calendar_with("");
        assert!(!cal.is_working_day(d(2026, 4, 26)));
        assert!(!cal.is_working_day(d(2026, 4, 27)));
        assert!(cal.is_working_day(d(2026, 4, 28)));
        assert_eq!(cal.holiday(d(2026, 4, 27)).unwrap().kind, HolidayKind::Compensatory);
        assert_eq!(cal.next_working_day(d(2026, 4, 24)), d(2026, 4, 28));
    }

    #[test]
    fn worked_saturday_override_counts_with_standard_hours() {
        // Công văn 2450/VPCP-KGVX: 2024 Mon 29/4 off, Sat 4/5 worked.
        let cal = calendar_with(
            "[[day_off]]\ndate = 2024-04-29\nreason = \"Nghỉ hoán đổi\"\n\
             [[working_day]]\ndate = 2024-05-04\nreason = \"Làm bù cho 29/4\"\n",
        );
        assert!(!cal.is_working_day(d(2024, 4, 29)));
        assert_eq!(cal.holiday(d(2024, 4, 29)).unwrap().name, "Nghỉ hoán đổi");
        assert!(cal.is_working_day(d(2024, 5, 4)));
        assert_eq!(cal.sessions(d(2024, 5, 4)).len(), 2);
        assert_eq!(cal.next_working_day(d(2024, 4, 26)), d(2024, 5, 2));
        assert_eq!(cal.next_working_day(d(2024, 5, 3)), d(2024, 5, 4));
        assert_eq!(cal.add_working_days(d(2024, 5, 3), 2), d(2024, 5, 6));
        let h = cal.holidays(2024);
        assert!(h.iter().any(|h| h.date == d(2024, 4, 29) && h.kind == HolidayKind::Override));
    }

    #[test]
    fn override_can_work_a_generated_holiday() {
        let cal = calendar_with("[[working_day]]\ndate = 2027-02-10\nreason = \"x\"\n");
        assert!(cal.is_working_day(d(2027, 2, 10)));
        assert!(cal.holiday(d(2027, 2, 10)).is_none());
        assert!(!cal.holidays(2027).iter().any(|h| h.date == d(2027, 2, 10)));
    }

    #[test]
    fn counting_helpers() {
        let cal = calendar_with("");
        assert_eq!(cal.previous_working_day(d(2026, 2, 23)), d(2026, 2, 13));
        assert_eq!(cal.working_day_on_or_after(d(2026, 2, 14)), d(2026, 2, 23));
        assert_eq!(cal.working_day_on_or_after(d(2026, 2, 13)), d(2026, 2, 13));
        assert_eq!(cal.add_working_days(d(2026, 2, 12), 3), d(2026, 2, 24));
        assert_eq!(cal.working_days_between(d(2026, 2, 9), d(2026, 2, 28)), 10);
        assert!(!cal.is_working_day(d(2150, 1, 1)), "years outside the precomputed range work");
    }

    #[test]
    fn config_from_toml_with_partial_week() {
        let config: CalendarConfig =
            toml::from_str("hours_per_working_day = 8\n[office_hours]\nfri = [\"07:00-11:30\", \"13:00 – 16:30\"]\n").unwrap();
        assert_eq!(config.office_hours.fri[1].to_string(), "13:00-16:30");
        assert_eq!(config.office_hours.mon, OfficeHours::default().mon);
        assert!(config.office_hours.sat.is_empty());
        WorkingCalendar::new(config, OverrideTable::default()).unwrap();
    }

    #[test]
    fn bad_configs_are_explained() {
        let err = toml::from_str::<CalendarConfig>("[office_hours]\nmon = [\"7h30-11h30\"]\n").unwrap_err();
        assert!(err.message().contains("expected office hours like"), "{err}");
        let err = toml::from_str::<CalendarConfig>("[office_hours]\nmon = [\"11:30-07:30\"]\n").unwrap_err();
        assert!(err.message().contains("end before they start"), "{err}");

        let mut config = CalendarConfig::default();
        config.office_hours.tue = vec![Session::new(hm(13, 0), hm(17, 0)), Session::new(hm(7, 0), hm(11, 0))];
        let err = WorkingCalendar::new(config, OverrideTable::default()).unwrap_err();
        assert_eq!(err.to_string(), "calendar.office_hours.tue: sessions 13:00-17:00 and 07:00-11:00 overlap or are out of order");
        let config = CalendarConfig { hours_per_working_day: 0, ..CalendarConfig::default() };
        assert!(WorkingCalendar::new(config, OverrideTable::default()).is_err());
        let empty: CalendarConfig = toml::from_str("[office_hours]\nmon = []\ntue = []\nwed = []\nthu = []\nfri = []\n").unwrap();
        assert!(WorkingCalendar::new(empty, OverrideTable::default()).is_err());
    }

    /// The override tables shipped in `config/holidays/`.
    fn shipped() -> WorkingCalendar {
        WorkingCalendar::new(CalendarConfig::default(), crate::calendar::overrides::tests::shipped()).unwrap()
    }

    fn closed_by(cal: &WorkingCalendar, date: NaiveDate) -> Option<HolidayKind> {
        match cal.day_kind(date) {
            DayKind::Closed(h) => Some(h.kind),
            _ => None,
        }
    }

    #[test]
    fn tet_2026_break_closes_its_saturdays_but_not_the_next() {
        let cal = shipped();
        // Nghỉ 14/2 (thứ Bảy) – 22/2/2026 (Chủ nhật); lễ 16/2–20/2.
        assert_eq!(closed_by(&cal, d(2026, 2, 14)), Some(HolidayKind::Break));
        assert_eq!(closed_by(&cal, d(2026, 2, 17)), Some(HolidayKind::Statutory));
        assert_eq!(closed_by(&cal, d(2026, 2, 21)), Some(HolidayKind::Break), "Saturday inside the break");
        assert_eq!(closed_by(&cal, d(2026, 2, 22)), Some(HolidayKind::Break));
        assert_eq!(cal.day_kind(d(2026, 2, 13)), DayKind::Working);
        assert_eq!(cal.day_kind(d(2026, 2, 23)), DayKind::Working);
        assert_eq!(cal.day_kind(d(2026, 2, 28)), DayKind::Rest, "the Saturday after the break is an ordinary Saturday");
        assert_eq!(cal.day_kind(d(2026, 2, 7)), DayKind::Rest, "the Saturday before it too");
        assert_eq!(cal.next_working_day(d(2026, 2, 13)), d(2026, 2, 23));
        assert_eq!(cal.holidays(2026).iter().filter(|h| (d(2026, 2, 14)..=d(2026, 2, 22)).contains(&h.date)).count(), 9);
    }

    #[test]
    fn new_year_2026_swap_makes_a_make_up_saturday() {
        let cal = shipped();
        assert_eq!(closed_by(&cal, d(2026, 1, 1)), Some(HolidayKind::Statutory));
        assert_eq!(closed_by(&cal, d(2026, 1, 2)), Some(HolidayKind::Override));
        assert_eq!(closed_by(&cal, d(2026, 1, 3)), Some(HolidayKind::Break));
        assert_eq!(cal.day_kind(d(2026, 1, 10)), DayKind::MakeUp);
        assert!(cal.is_working_day(d(2026, 1, 10)));
        assert_eq!(cal.sessions(d(2026, 1, 10)), cal.sessions(d(2026, 1, 12)), "weekday hours on the make-up Saturday");
        assert_eq!(cal.day_kind(d(2026, 1, 17)), DayKind::Rest);
    }

    #[test]
    fn april_may_and_september_2026() {
        let cal = shipped();
        // Giỗ Tổ (Sunday 26/4, compensated Monday 27/4), then 30/4–3/5.
        assert_eq!(closed_by(&cal, d(2026, 4, 25)), Some(HolidayKind::Break));
        assert_eq!(closed_by(&cal, d(2026, 4, 27)), Some(HolidayKind::Compensatory));
        assert_eq!(cal.day_kind(d(2026, 4, 28)), DayKind::Working);
        assert_eq!(closed_by(&cal, d(2026, 4, 30)), Some(HolidayKind::Statutory));
        assert_eq!(closed_by(&cal, d(2026, 5, 2)), Some(HolidayKind::Break), "Saturday 2/5 inside 30/4–3/5");
        assert_eq!(cal.day_kind(d(2026, 5, 4)), DayKind::Working);
        assert_eq!(cal.day_kind(d(2026, 5, 9)), DayKind::Rest);
        // Quốc khánh: 1/9 and 2/9 (Tuesday, Wednesday); the weekend after is ordinary.
        assert_eq!(cal.day_kind(d(2026, 8, 31)), DayKind::Working);
        assert_eq!(closed_by(&cal, d(2026, 9, 1)), Some(HolidayKind::Statutory));
        assert_eq!(closed_by(&cal, d(2026, 9, 2)), Some(HolidayKind::Statutory));
        assert_eq!(cal.day_kind(d(2026, 9, 5)), DayKind::Rest);
        assert_eq!(cal.add_working_days(d(2026, 8, 31), 1), d(2026, 9, 3));
    }

    #[test]
    fn tet_2027_and_2025() {
        let cal = shipped();
        assert_eq!(closed_by(&cal, d(2027, 2, 4)), Some(HolidayKind::Compensatory));
        assert_eq!(closed_by(&cal, d(2027, 2, 6)), Some(HolidayKind::Statutory), "mùng 1 on a Saturday");
        assert_eq!(closed_by(&cal, d(2027, 2, 10)), Some(HolidayKind::Compensatory));
        assert_eq!(cal.day_kind(d(2027, 2, 11)), DayKind::Working);
        assert_eq!(cal.day_kind(d(2027, 2, 13)), DayKind::Rest);
        assert_eq!(cal.day_kind(d(2027, 1, 30)), DayKind::Rest);
        // 2025: 25/1–2/2, and 30/4–4/5 with Friday 2/5 swapped for Saturday 26/4.
        assert_eq!(closed_by(&cal, d(2025, 1, 25)), Some(HolidayKind::Break));
        assert_eq!(closed_by(&cal, d(2025, 2, 2)), Some(HolidayKind::Break));
        assert_eq!(cal.day_kind(d(2025, 4, 26)), DayKind::MakeUp);
        assert_eq!(closed_by(&cal, d(2025, 5, 2)), Some(HolidayKind::Override));
        assert_eq!(closed_by(&cal, d(2025, 5, 3)), Some(HolidayKind::Break));
    }

    #[test]
    fn a_break_in_a_test_table_closes_only_its_days() {
        let cal = calendar_with("[[break]]\nfrom = 2030-03-08\nto = 2030-03-10\nreason = \"Nghỉ địa phương\"\n");
        assert_eq!(closed_by(&cal, d(2030, 3, 8)), Some(HolidayKind::Break));
        assert_eq!(cal.holiday(d(2030, 3, 9)).unwrap().name, "Nghỉ địa phương");
        assert!(!cal.is_working_day(d(2030, 3, 8)));
        assert_eq!(cal.day_kind(d(2030, 3, 11)), DayKind::Working);
        assert_eq!(cal.day_kind(d(2030, 3, 16)), DayKind::Rest);
    }
}
