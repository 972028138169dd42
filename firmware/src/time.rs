//! Time at the site, in one place. The service works with `DateTime<FixedOffset>` in the site's
//! offset (`[centre] time_zone`, UTC+07:00 in Vietnam) everywhere inside; these helpers turn
//! instants into the few strings the outside sees: the local day key that numbering and the
//! journal use, RFC 3339 in JSON, and the Vietnamese wording printed on paper and pages.

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone};

/// The local calendar day of an instant as stored (`2026-03-05`): numbering restarts with it.
pub fn day_key(at: DateTime<FixedOffset>) -> String {
    crate::queue::service_day(at).format("%Y-%m-%d").to_string()
}

/// The instant `ms` (unix milliseconds, as stored) in the site's offset.
pub fn from_millis(offset: FixedOffset, ms: i64) -> DateTime<FixedOffset> {
    offset.timestamp_millis_opt(ms).single().unwrap_or_else(|| offset.timestamp_millis_opt(0).unwrap())
}

/// RFC 3339 to the second, with the site's offset (`2026-03-05T08:12:31+07:00`): times in JSON.
pub fn rfc3339(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// "08:12 ngày 05/03/2026": a time as tickets, checklists and the citizen's pages write it.
pub fn clock_and_date(at: DateTime<FixedOffset>) -> String {
    at.format("%H:%M ngày %d/%m/%Y").to_string()
}

/// "08 giờ 37 phút, ngày 20 tháng 11 năm 2025": a time as the receipt slip (Mẫu 01) writes it.
/// As in every administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): days below 10 and
/// the months 1 and 2 take a leading zero, the other months none ("ngày 09 tháng 3", "tháng 02").
pub fn slip_time(at: DateTime<FixedOffset>) -> String {
    use chrono::Datelike;
    let month = if at.month() <= 2 { format!("{:02}", at.month()) } else { at.month().to_string() };
    format!("{}, ngày {} tháng {month} năm {}", at.format("%H giờ %M phút"), at.format("%d"), at.year())
}

/// Serde for a time in JSON: [`rfc3339`] out, any RFC 3339 in.
pub mod json {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
    }

    /// The same for an optional time (`null` when absent).
    pub mod option {
        use chrono::{DateTime, FixedOffset};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(at: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => s.serialize_str(&crate::time::rfc3339(*at)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            match Option::<String>::deserialize(d)? {
                Some(text) => DateTime::parse_from_rfc3339(&text).map(Some).map_err(serde::de::Error::custom),
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vn(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(y, m, d, h, min, s).unwrap()
    }

    #[test]
    fn the_strings_the_outside_sees() {
        let at = vn(2025, 11, 20, 8, 37, 5);
        assert_eq!(rfc3339(at), "2025-11-20T08:37:05+07:00");
        assert_eq!(clock_and_date(at), "08:37 ngày 20/11/2025");
        assert_eq!(slip_time(at), "08 giờ 37 phút, ngày 20 tháng 11 năm 2025");
        assert_eq!(slip_time(vn(2026, 3, 9, 9, 0, 0)), "09 giờ 00 phút, ngày 09 tháng 3 năm 2026");
        assert_eq!(slip_time(vn(2026, 2, 5, 14, 5, 0)), "14 giờ 05 phút, ngày 05 tháng 02 năm 2026");
        assert_eq!(slip_time(vn(2026, 1, 31, 7, 30, 0)), "07 giờ 30 phút, ngày 31 tháng 01 năm 2026");
        assert_eq!(day_key(at), "2025-11-20");
        // 23:30 on the 20th in Hà Nội is still the 20th, though it is 16:30 UTC.
        assert_eq!(day_key(vn(2025, 11, 20, 23, 30, 0)), "2025-11-20");
        assert_eq!(from_millis(*at.offset(), at.timestamp_millis()), at);
    }
}
