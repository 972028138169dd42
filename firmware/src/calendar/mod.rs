//! The working calendar of a one-stop centre: the Vietnamese lunar calendar, the statutory
//! holidays it drives, the editable override table, office hours, and the appointment date
//! (ngày hẹn trả) printed on every receipt slip. Pure logic: no storage, no HTTP, no files (the
//! override files are read by `config::holidays` and parsed here).
//!
//! Vietnam keeps one time zone, UTC+07:00, with no daylight saving, so a fixed offset is exact.

pub mod appointment;
pub mod holidays;
pub mod lunar;
pub mod overrides;
pub mod working;

pub use appointment::{due_at, Appointment, Cutoff, TimeLimit};
pub use holidays::{statutory_holidays, Holiday, HolidayKind};
pub use lunar::{tet, LunarDate};
pub use overrides::{Break, Override, OverrideError, OverrideKind, OverrideTable};
pub use working::{CalendarConfig, CalendarConfigError, DayKind, OfficeHours, Session, WorkingCalendar};

use chrono::FixedOffset;

/// Vietnam's offset, UTC+07:00.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// Timings for `docs/PERFORMANCE.md`:
/// `cargo test -p firmware --release calendar::timing -- --ignored --nocapture`.
#[cfg(test)]
mod timing {
    use super::*;
    use crate::dossier::DossierCodeScheme;
    use chrono::{DateTime, Duration};
    use std::hint::black_box;
    use std::time::Instant;

    #[test]
    #[ignore = "timing, run in release"]
    fn timing() {
        let t = Instant::now();
        let overrides = overrides::tests::shipped();
        let cal = WorkingCalendar::new(CalendarConfig::default(), overrides).unwrap();
        println!("WorkingCalendar::new: {:?}", t.elapsed());

        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+07:00").unwrap();
        let limits =
            [TimeLimit::WorkingDays(3), TimeLimit::WorkingDays(30), TimeLimit::CalendarDays(15), TimeLimit::Hours(12), TimeLimit::SameDay];
        let n = 200_000u32;
        let t = Instant::now();
        for i in 0..n {
            let at = start + Duration::minutes(i64::from(i) * 7);
            black_box(due_at(&cal, at, limits[i as usize % limits.len()], None));
        }
        println!("due_at: {:?} per call", t.elapsed() / n);

        let t = Instant::now();
        for year in 1900..2200 {
            black_box(statutory_holidays(year));
        }
        println!("statutory_holidays: {:?} per year", t.elapsed() / 300);

        let scheme = DossierCodeScheme::default();
        let t = Instant::now();
        for _ in 0..n {
            black_box(scheme.parse("https://kiosk.local/tra-cuu?ma=000.00.15.h41-230101-0001").unwrap());
        }
        println!("DossierCodeScheme::parse (QR URL): {:?} per call", t.elapsed() / n);
    }
}
