//! The Vietnamese lunar calendar (âm lịch), needed because Tết Nguyên đán and Giỗ Tổ Hùng Vương
//! are legal holidays fixed by lunar dates.
//!
//! This is Hồ Ngọc Đức's algorithm (astronomical new moons and solar terms after Jean Meeus,
//! "Astronomical Algorithms") evaluated at UTC+07:00. The Chinese calendar runs the same rules at
//! UTC+08:00, and a new moon close to midnight then falls on a different day, so the two
//! calendars disagree in some years (Tết 1985: 21 Jan in Vietnam, 20 Feb in China; Tết 2007:
//! 17 Feb in Vietnam, 18 Feb in China). Never take Vietnamese holiday dates from a Chinese
//! calendar library.
//!
//! Gregorian dates are proleptic (chrono's), which is exact for every date this service meets.

use chrono::{Datelike, NaiveDate};
use std::f64::consts::PI;

/// Vietnam's time zone, in hours east of UTC, at which new moons and solar terms are dated.
const TIME_ZONE_HOURS: f64 = 7.0;
/// Julian day number of 1900-01-01 12:00 TT (origin of the new-moon count k).
const EPOCH_1900: f64 = 2_415_021.076_998_695;
/// Mean synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// `NaiveDate::num_days_from_ce()` plus this is the Julian day number.
const JDN_OF_CE_DAY_ZERO: i64 = 1_721_425;

/// A date of the Vietnamese lunar calendar. `year` is the Gregorian year in which the lunar year
/// starts (Tết Bính Ngọ, mùng 1 tháng Giêng 2026, is `LunarDate { year: 2026, month: 1, day: 1, .. }`);
/// `leap_month` marks the repeated (nhuận) month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub leap_month: bool,
}

impl LunarDate {
    /// The lunar date of a Gregorian date.
    pub fn from_solar(date: NaiveDate) -> LunarDate {
        let day_number = jdn(date);
        // The mean new moon only approximates the true one (by up to about a day at UTC+7):
        // step back until the month holding `date` is found.
        let mut k = ((day_number as f64 - EPOCH_1900) / SYNODIC_MONTH).floor() as i64 + 1;
        while new_moon_day(k) > day_number {
            k -= 1;
        }
        let month_start = new_moon_day(k);
        let year = date.year();
        let mut a11 = lunar_month_11(year);
        let mut b11 = a11;
        let mut lunar_year;
        if a11 >= month_start {
            lunar_year = year;
            a11 = lunar_month_11(year - 1);
        } else {
            lunar_year = year + 1;
            b11 = lunar_month_11(year + 1);
        }
        let day = (day_number - month_start + 1) as u8;
        let diff = (month_start - a11) / 29;
        let mut leap_month = false;
        let mut month = diff + 11;
        if b11 - a11 > 365 {
            let leap_diff = leap_month_offset(a11);
            if diff >= leap_diff {
                month = diff + 10;
                leap_month = diff == leap_diff;
            }
        }
        if month > 12 {
            month -= 12;
        }
        if month >= 11 && diff < 4 {
            lunar_year -= 1;
        }
        LunarDate { year: lunar_year, month: month as u8, day, leap_month }
    }

    /// The Gregorian date of this lunar date; `None` when it does not exist (a leap flag on a
    /// month that is not repeated that year, day 30 of a 29-day month, month outside 1..=12).
    pub fn to_solar(self) -> Option<NaiveDate> {
        if !(1..=12).contains(&self.month) || !(1..=30).contains(&self.day) {
            return None;
        }
        let month = i64::from(self.month);
        let (a11, b11) = if month < 11 {
            (lunar_month_11(self.year - 1), lunar_month_11(self.year))
        } else {
            (lunar_month_11(self.year), lunar_month_11(self.year + 1))
        };
        let k = (0.5 + (a11 as f64 - EPOCH_1900) / SYNODIC_MONTH).floor() as i64;
        let mut off = (month - 11).rem_euclid(12);
        if b11 - a11 > 365 {
            let leap_off = leap_month_offset(a11);
            let leap_month = (leap_off - 2).rem_euclid(12);
            if self.leap_month && month != leap_month {
                return None;
            }
            if self.leap_month || off >= leap_off {
                off += 1;
            }
        } else if self.leap_month {
            return None;
        }
        let month_start = new_moon_day(k + off);
        let date = from_jdn(month_start + i64::from(self.day) - 1);
        // Reject day 30 of a 29-day month instead of silently returning next month's day 1.
        (LunarDate::from_solar(date) == self).then_some(date)
    }
}

/// Mùng 1 tháng Giêng (lunar New Year's Day) of the lunar year starting in Gregorian `year`.
pub fn tet(year: i32) -> NaiveDate {
    LunarDate { year, month: 1, day: 1, leap_month: false }.to_solar().expect("month 1 day 1 exists in every lunar year")
}

fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE_DAY_ZERO
}

fn from_jdn(jdn: i64) -> NaiveDate {
    let ce = i32::try_from(jdn - JDN_OF_CE_DAY_ZERO).expect("lunar date within chrono's range");
    NaiveDate::from_num_days_from_ce_opt(ce).expect("lunar date within chrono's range")
}

/// Julian date (TT) of the k-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Julian day number of the local (UTC+7) day holding the k-th new moon.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE_HOURS / 24.0).floor() as i64
}

/// Sun's apparent longitude in radians, normalised to [0, 2π), at Julian date `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the 12 major solar-term sectors (0..=11, 30° each) the sun is in at the start of the
/// local day `day_number`.
fn sun_sector(day_number: i64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - TIME_ZONE_HOURS / 24.0) / PI * 6.0).floor() as i64
}

/// Julian day number of the start of lunar month 11 (the month holding the winter solstice)
/// that begins in Gregorian `year`.
fn lunar_month_11(year: i32) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year");
    let off = jdn(dec31) as f64 - 2_415_021.0;
    let k = (off / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// In a 13-month lunar year starting at month 11 `a11`, the offset of the first month without a
/// major solar term (that month is the leap month).
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - EPOCH_1900) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_dates_of_recent_and_coming_years() {
        let known = [
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            (2028, d(2028, 1, 26)),
        ];
        for (year, date) in known {
            assert_eq!(tet(year), date, "Tết {year}");
        }
    }

    #[test]
    fn vietnamese_calendar_differs_from_chinese_in_1985_and_2007() {
        // China: 20 Feb 1985 and 18 Feb 2007.
        assert_eq!(tet(1985), d(1985, 1, 21));
        assert_eq!(tet(2007), d(2007, 2, 17));
    }

    #[test]
    fn gio_to_hung_vuong_dates() {
        let gio_to = |year| LunarDate { year, month: 3, day: 10, leap_month: false }.to_solar();
        assert_eq!(gio_to(2025), Some(d(2025, 4, 7)));
        assert_eq!(gio_to(2026), Some(d(2026, 4, 26)));
        assert_eq!(gio_to(2027), Some(d(2027, 4, 16)));
    }

    #[test]
    fn solar_to_lunar_examples() {
        assert_eq!(
            LunarDate::from_solar(d(2025, 1, 28)),
            LunarDate { year: 2024, month: 12, day: 29, leap_month: false },
            "2025 Tết eve is 29 tháng Chạp Giáp Thìn"
        );
        // 2023 repeats month 2, 2025 repeats month 6.
        assert_eq!(LunarDate::from_solar(d(2023, 3, 22)), LunarDate { year: 2023, month: 2, day: 1, leap_month: true });
        assert_eq!(LunarDate::from_solar(d(2025, 7, 25)), LunarDate { year: 2025, month: 6, day: 1, leap_month: true });
    }

    #[test]
    fn nonexistent_lunar_dates_are_rejected() {
        assert_eq!(LunarDate { year: 2026, month: 6, day: 1, leap_month: true }.to_solar(), None);
        assert_eq!(LunarDate { year: 2026, month: 13, day: 1, leap_month: false }.to_solar(), None);
        // Month 12 of Giáp Thìn (2024) has 29 days.
        assert_eq!(LunarDate { year: 2024, month: 12, day: 30, leap_month: false }.to_solar(), None);
    }

    #[test]
    fn round_trip_every_day_1950_to_2100() {
        let mut date = d(1950, 1, 1);
        while date <= d(2100, 12, 31) {
            let lunar = LunarDate::from_solar(date);
            assert_eq!(lunar.to_solar(), Some(date), "{date} -> {lunar:?}");
            date = date.succ_opt().unwrap();
        }
    }
}
