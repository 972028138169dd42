//! The working calendar of a one-stop centre: the Vietnamese lunar calendar, the statutory
//! holidays it drives, the editable override table, office hours, and the appointment date
//! (ngày hẹn trả) printed on every receipt slip. Pure logic: no storage, no HTTP; the only
//! I/O is reading `config/holidays/*.toml`.
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
pub use overrides::{Override, OverrideError, OverrideKind, OverrideTable};
pub use working::{CalendarConfig, CalendarConfigError, OfficeHours, Session, WorkingCalendar};

use chrono::FixedOffset;

/// Vietnam's offset, UTC+07:00.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}
