//! The statutory public holidays of Vietnam (Bộ luật Lao động 2019, Điều 112), generated for any
//! year so that no one has to type in next year's Tết before the first appointment slip of
//! January is printed.
//!
//! | Holiday | Days |
//! |---|---|
//! | Tết Dương lịch | 1/1 |
//! | Tết Nguyên đán | the last day of the lunar year (29 or 30 Tết) and mùng 1–4 (mùng 4 since 2013) |
//! | Giỗ Tổ Hùng Vương | 10/3 lunar (since 2007) |
//! | Ngày Chiến thắng | 30/4 |
//! | Ngày Quốc tế Lao động | 1/5 |
//! | Quốc khánh | 2/9 and, since 2021, one adjacent day (1/9 or 3/9, see [`national_day_adjacent`]) |
//! | Ngày Văn hóa Việt Nam | 24/11, since 2026 |
//!
//! Compensatory days (nghỉ bù, Điều 111 khoản 3): a holiday on Saturday or Sunday gives the next
//! working day off. For Tết the Government has placed them around the break since 2014: a Tết day
//! on Saturday is compensated on the last working day before the break, one on Sunday on the first
//! working day after it (this gives the public-sector breaks of 2021, 2023, 2024 and 2025 as
//! remembered, e.g. 25/1–2/2/2025; not checked against the announcements themselves).
//! The Prime Minister still fixes the exact Tết and Quốc khánh days every year and announces
//! swaps; those go in the override table ([`super::overrides`]), not here.

use super::lunar::{tet, LunarDate};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeSet;

/// Why a day is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A day named by Điều 112.
    Statutory,
    /// Nghỉ bù for a statutory day that fell on a weekend.
    Compensatory,
    /// A day off from the override table (a government swap or a local decision).
    Override,
    /// A day inside a holiday break of the override table that is not itself a holiday: the
    /// weekends and bridge days of the break.
    Break,
}

/// One day off, with its Vietnamese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub kind: HolidayKind,
}

/// The statutory holidays and compensatory days of Gregorian `year`, sorted by date.
pub fn statutory_holidays(year: i32) -> Vec<Holiday> {
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holiday date exists");
    let statutory = |date: NaiveDate, name: &str| Holiday { date, name: name.to_owned(), kind: HolidayKind::Statutory };

    // Tết: the last day of the old lunar year, then mùng 1..=4.
    let new_year = tet(year);
    let eve = new_year - Days::new(1);
    let eve_name = format!("Tết Nguyên đán ({} Tết)", LunarDate::from_solar(eve).day);
    let last_tet_day = if year >= 2013 { 4 } else { 3 };
    let mut tet_days = vec![statutory(eve, &eve_name)];
    for n in 1..=last_tet_day {
        tet_days.push(statutory(new_year + Days::new(n - 1), &format!("Tết Nguyên đán (mùng {n})")));
    }

    let mut others = vec![statutory(date(1, 1), "Tết Dương lịch")];
    if year >= 2007 {
        let gio_to = LunarDate { year, month: 3, day: 10, leap_month: false }.to_solar().expect("10/3 exists in every lunar year");
        others.push(statutory(gio_to, "Giỗ Tổ Hùng Vương"));
    }
    others.push(statutory(date(4, 30), "Ngày Chiến thắng"));
    others.push(statutory(date(5, 1), "Ngày Quốc tế Lao động"));
    others.push(statutory(date(9, 2), "Quốc khánh"));
    if year >= 2021 {
        others.push(statutory(national_day_adjacent(year), "Quốc khánh (ngày liền kề)"));
    }
    if year >= 2026 {
        others.push(statutory(date(11, 24), "Ngày Văn hóa Việt Nam"));
    }
    others.sort_by_key(|h| h.date);

    let mut taken: BTreeSet<NaiveDate> = tet_days.iter().chain(&others).map(|h| h.date).collect();
    let mut compensatory = Vec::new();
    let mut give = |date: NaiveDate, name: &str, taken: &mut BTreeSet<NaiveDate>| {
        taken.insert(date);
        compensatory.push(Holiday { date, name: format!("Nghỉ bù {name}"), kind: HolidayKind::Compensatory });
    };
    for day in &tet_days {
        let replacement = match day.date.weekday() {
            Weekday::Sat => Some(free_weekday(eve, &taken, Direction::Before)),
            Weekday::Sun => Some(free_weekday(tet_days.last().unwrap().date, &taken, Direction::After)),
            _ => None,
        };
        if let Some(date) = replacement {
            let label = format!("{} {:02}/{:02}", day.name, day.date.day(), day.date.month());
            give(date, &label, &mut taken);
        }
    }
    for day in &others {
        if is_weekend(day.date) {
            let date = free_weekday(day.date, &taken, Direction::After);
            let label = format!("{} {:02}/{:02}", day.name, day.date.day(), day.date.month());
            give(date, &label, &mut taken);
        }
    }

    let mut all: Vec<Holiday> = tet_days.into_iter().chain(others).chain(compensatory).collect();
    all.sort_by_key(|h| h.date);
    all
}

/// The day added to Quốc khánh 2/9 (rule since 2021, as the Government has applied it: the
/// adjacent day that makes the longest break with the weekend): 2/9 on Monday or Thursday →
/// 3/9; on Sunday → Monday 3/9; on Tuesday, Wednesday, Friday or Saturday → 1/9.
pub fn national_day_adjacent(year: i32) -> NaiveDate {
    let sep2 = NaiveDate::from_ymd_opt(year, 9, 2).expect("2/9 exists");
    match sep2.weekday() {
        Weekday::Mon | Weekday::Thu | Weekday::Sun => sep2 + Days::new(1),
        Weekday::Tue | Weekday::Wed | Weekday::Fri | Weekday::Sat => sep2 - Days::new(1),
    }
}

/// The weekly rest days of public-sector staff.
fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

enum Direction {
    Before,
    After,
}

/// The nearest weekday strictly before/after `from` that is not already a day off.
fn free_weekday(from: NaiveDate, taken: &BTreeSet<NaiveDate>, direction: Direction) -> NaiveDate {
    let mut date = from;
    loop {
        date = match direction {
            Direction::Before => date - Days::new(1),
            Direction::After => date + Days::new(1),
        };
        if !is_weekend(date) && !taken.contains(&date) {
            return date;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn days_off(year: i32) -> Vec<NaiveDate> {
        statutory_holidays(year).into_iter().map(|h| h.date).collect()
    }

    #[test]
    fn tet_2025_is_29_tet_to_mung_4_with_saturday_moved_before() {
        let h = statutory_holidays(2025);
        let tet: Vec<_> = h.iter().filter(|h| h.kind == HolidayKind::Statutory && h.name.starts_with("Tết Nguyên đán")).collect();
        assert_eq!(tet[0].date, d(2025, 1, 28));
        assert_eq!(tet[0].name, "Tết Nguyên đán (29 Tết)");
        assert_eq!(tet[1].date, d(2025, 1, 29));
        assert_eq!(tet[1].name, "Tết Nguyên đán (mùng 1)");
        // Mùng 4 (Sat 1/2) → Monday 27/1: the public-sector break was 25/1–2/2.
        let bu = h.iter().find(|h| h.kind == HolidayKind::Compensatory).unwrap();
        assert_eq!(bu.date, d(2025, 1, 27));
        assert_eq!(bu.name, "Nghỉ bù Tết Nguyên đán (mùng 4) 01/02");
    }

    #[test]
    fn tet_2026_is_16_to_20_february() {
        let off = days_off(2026);
        for day in 16..=20 {
            assert!(off.contains(&d(2026, 2, day)), "{day}/2/2026");
        }
        assert!(!off.contains(&d(2026, 2, 23)));
        assert!(!off.contains(&d(2026, 2, 13)));
    }

    #[test]
    fn tet_2027_weekend_days_are_compensated_around_the_break() {
        let off = days_off(2027);
        // Eve Fri 5/2, mùng 1 Sat 6/2 → Thu 4/2, mùng 2 Sun 7/2 → Wed 10/2.
        for day in 4..=10 {
            assert!(off.contains(&d(2027, 2, day)), "{day}/2/2027");
        }
        assert!(!off.contains(&d(2027, 2, 11)));
    }

    #[test]
    fn past_tet_breaks_match_the_governments_schedules() {
        let off = days_off(2024);
        for day in 8..=14 {
            assert!(off.contains(&d(2024, 2, day)), "{day}/2/2024");
        }
        let off = days_off(2023);
        for day in 20..=26 {
            assert!(off.contains(&d(2023, 1, day)), "{day}/1/2023");
        }
    }

    #[test]
    fn gio_to_2026_on_sunday_gives_monday_off() {
        let h = statutory_holidays(2026);
        assert!(h.iter().any(|h| h.date == d(2026, 4, 26) && h.name == "Giỗ Tổ Hùng Vương"));
        let bu = h.iter().find(|h| h.date == d(2026, 4, 27)).unwrap();
        assert_eq!(bu.kind, HolidayKind::Compensatory);
        assert_eq!(bu.name, "Nghỉ bù Giỗ Tổ Hùng Vương 26/04");
    }

    #[test]
    fn new_year_on_sunday_gives_monday_off() {
        assert!(days_off(2023).contains(&d(2023, 1, 2)));
    }

    #[test]
    fn weekend_pair_30_4_and_1_5_gives_two_days() {
        // 2022: Sat 30/4, Sun 1/5 → Mon 2/5 and Tue 3/5.
        let off = days_off(2022);
        assert!(off.contains(&d(2022, 5, 2)) && off.contains(&d(2022, 5, 3)));
        assert!(!off.contains(&d(2022, 5, 4)));
    }

    #[test]
    fn national_day_and_its_adjacent_day() {
        assert_eq!(national_day_adjacent(2021), d(2021, 9, 3)); // Thu
        assert_eq!(national_day_adjacent(2022), d(2022, 9, 1)); // Fri
        assert_eq!(national_day_adjacent(2024), d(2024, 9, 3)); // Mon
        assert_eq!(national_day_adjacent(2025), d(2025, 9, 1)); // Tue
        assert_eq!(national_day_adjacent(2026), d(2026, 9, 1)); // Wed
                                                                // 2023: Fri 1/9, Sat 2/9 → compensated Mon 4/9.
        let off = days_off(2023);
        assert!(off.contains(&d(2023, 9, 1)) && off.contains(&d(2023, 9, 4)));
        assert!(!days_off(2020).contains(&d(2020, 9, 1)) && !days_off(2020).contains(&d(2020, 9, 3)));
    }

    #[test]
    fn culture_day_from_2026() {
        assert!(days_off(2026).contains(&d(2026, 11, 24)));
        assert!(!days_off(2025).contains(&d(2025, 11, 24)));
    }

    #[test]
    fn eleven_statutory_days_from_2021_and_twelve_from_2026() {
        let count = |y| statutory_holidays(y).iter().filter(|h| h.kind == HolidayKind::Statutory).count();
        assert_eq!(count(2025), 11);
        assert_eq!(count(2026), 12);
        for year in 1990..2200 {
            let h = statutory_holidays(year);
            let dates: BTreeSet<_> = h.iter().map(|h| h.date).collect();
            assert_eq!(dates.len(), h.len(), "no day counted twice in {year}");
            assert!(h.iter().all(|h| h.date.year() == year));
            assert!(h.iter().filter(|h| h.kind == HolidayKind::Compensatory).all(|h| !is_weekend(h.date)));
        }
    }
}
