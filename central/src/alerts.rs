//! What province IT must look at, decided from a kiosk's latest heartbeat, the fleet around it
//! and the time now: offline during dispensing hours, printer out of paper or faulty, clock
//! wrong, disk low, ratings stuck in the outbox, software or catalogue behind, a refused
//! catalogue. Pure: the time and the thresholds are parameters, so every rule is tested with
//! fixed dates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::chain::vietnam;
use crate::heartbeat::Heartbeat;

/// Every alert, most urgent first, with the Vietnamese label the fleet page filters by.
pub const ALERTS: [(&str, &str); 11] = [
    ("offline", "Mất kết nối trong giờ tiếp nhận"),
    ("paper_out", "Máy in hết giấy"),
    ("printer", "Máy in lỗi"),
    ("clock", "Đồng hồ sai"),
    ("disk_low", "Sắp hết dung lượng đĩa"),
    ("outbox_backlog", "Đánh giá chưa gửi được"),
    ("catalogue_refused", "Từ chối danh mục thủ tục"),
    ("paper_low", "Máy in sắp hết giấy"),
    ("version_behind", "Phần mềm chưa cập nhật"),
    ("catalogue_behind", "Danh mục thủ tục chưa cập nhật"),
    ("never_seen", "Chưa từng kết nối"),
];

/// Position of `code` in [`ALERTS`]: lower is more urgent.
pub fn rank(code: &str) -> usize {
    ALERTS.iter().position(|(c, _)| *c == code).unwrap_or(ALERTS.len())
}

/// Where "fine" ends (`[fleet]` in central's configuration).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// A kiosk is offline after three of its heartbeat intervals plus this.
    pub offline_grace_seconds: i64,
    /// Less free disk than this is an alert (the kiosk's data directory).
    pub disk_low_bytes: u64,
    /// A rating waiting longer than this in a kiosk's outbox is an alert.
    pub outbox_backlog_minutes: i64,
    /// The kiosk's clock may differ from central's by this much.
    pub clock_tolerance_seconds: i64,
    /// A published catalogue not installed after this long is an alert.
    pub catalogue_grace_minutes: i64,
    /// The software version every kiosk should run; without it, the newest one in the fleet.
    pub expected_version: Option<String>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            offline_grace_seconds: 30,
            disk_low_bytes: 1024 * 1024 * 1024,
            outbox_backlog_minutes: 30,
            clock_tolerance_seconds: 120,
            catalogue_grace_minutes: 30,
            expected_version: None,
        }
    }
}

/// What the fleet as a whole says a kiosk should have.
#[derive(Debug, Clone, Default)]
pub struct FleetFacts {
    /// `expected_version`, or the newest version any kiosk runs.
    pub newest_version: Option<String>,
    /// The newest catalogue bundle published, and when.
    pub catalogue: Option<(u64, DateTime<Utc>)>,
}

/// A kiosk's latest heartbeat as stored, with the receiver's own times.
#[derive(Debug, Clone)]
pub struct Seen {
    pub heartbeat: Heartbeat,
    pub received_at: DateTime<Utc>,
    pub printer_since: DateTime<Utc>,
    pub clock_since: DateTime<Utc>,
}

/// One thing to look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub code: &'static str,
    /// In Vietnamese, for the page.
    pub message: String,
    /// Since when, when known (UTC).
    pub since: Option<String>,
}

/// The verdict on one kiosk.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub online: bool,
    /// `sent_at` minus the time central received it, in seconds (negative: the kiosk is behind).
    pub clock_offset_seconds: Option<i64>,
    pub alerts: Vec<Alert>,
}

fn utc_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `08:40 05/03/2026`, in Vietnam.
pub fn local_text(t: DateTime<Utc>) -> String {
    t.with_timezone(&vietnam()).format("%H:%M %d/%m/%Y").to_string()
}

fn parse(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc))
}

/// Software versions compared as numbers (`0.10.0` > `0.9.3`); a pre-release (`-rc1`) comes
/// before its release; build metadata (`+g1a2b`) is ignored.
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(v: &str) -> (Vec<u64>, bool) {
        let v = v.trim().trim_start_matches('v');
        let v = v.split('+').next().unwrap_or("");
        let (core, pre) = match v.split_once('-') {
            Some((core, _)) => (core, true),
            None => (v, false),
        };
        (core.split('.').map(|p| p.parse().unwrap_or(0)).collect(), !pre)
    }
    let (ka, kb) = (key(a), key(b));
    let len = ka.0.len().max(kb.0.len());
    let pad = |mut v: Vec<u64>| {
        v.resize(len, 0);
        v
    };
    (pad(ka.0), ka.1).cmp(&(pad(kb.0), kb.1))
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / 1_000_000)
}

fn duration_text(seconds: i64) -> String {
    let minutes = seconds.abs() / 60;
    match minutes {
        0 => format!("{} giây", seconds.abs()),
        m if m < 60 => format!("{m} phút"),
        m if m < 48 * 60 => format!("{} giờ {} phút", m / 60, m % 60),
        m => format!("{} ngày", m / (24 * 60)),
    }
}

/// Judge a kiosk: `seen` is its latest heartbeat, `None` if it never sent one.
pub fn assess(seen: Option<&Seen>, fleet: &FleetFacts, limits: &Thresholds, now: DateTime<Utc>) -> Assessment {
    let Some(seen) = seen else {
        let message = "Ki-ốt đã đăng ký nhưng chưa gửi tín hiệu nào".to_string();
        return Assessment { online: false, clock_offset_seconds: None, alerts: vec![Alert { code: "never_seen", message, since: None }] };
    };
    let hb = &seen.heartbeat;
    let mut alerts = Vec::new();
    let mut alert = |code: &'static str, message: String, since: Option<DateTime<Utc>>| {
        alerts.push(Alert { code, message, since: since.map(utc_text) });
    };

    let silence = (now - seen.received_at).num_seconds();
    let online = silence <= 3 * i64::from(hb.interval_seconds) + limits.offline_grace_seconds;
    if !online {
        let windows: Vec<(DateTime<Utc>, DateTime<Utc>)> =
            hb.dispensing_windows.iter().filter_map(|(from, to)| Some((parse(from)?, parse(to)?))).collect();
        let in_hours = windows.is_empty()
            || windows.iter().any(|(from, to)| *from <= now && now < *to)
            || windows.iter().map(|(_, to)| *to).max().is_some_and(|last| now >= last);
        if in_hours {
            let message = format!("Mất kết nối từ {} ({} không có tín hiệu)", local_text(seen.received_at), duration_text(silence));
            alert("offline", message, Some(seen.received_at));
        }
    }

    match hb.printer.as_str() {
        "ready" | "unknown" => {}
        "paper_out" => alert("paper_out", "Máy in hết giấy: không in được phiếu".into(), Some(seen.printer_since)),
        "paper_low" => alert("paper_low", "Máy in sắp hết giấy: thay cuộn giấy".into(), Some(seen.printer_since)),
        "cover_open" => alert("printer", "Máy in đang mở nắp".into(), Some(seen.printer_since)),
        "offline" => alert("printer", "Máy in mất kết nối hoặc chưa được cấu hình".into(), Some(seen.printer_since)),
        other => alert("printer", format!("Máy in báo trạng thái {other}"), Some(seen.printer_since)),
    }

    let clock_offset_seconds = parse(&hb.sent_at).map(|sent| (sent - seen.received_at).num_seconds());
    if hb.clock.state != "ok" {
        let last = hb.clock.last_event_at.as_deref().and_then(parse).map(local_text).unwrap_or_default();
        alert("clock", format!("Đồng hồ ki-ốt chậm hơn sự kiện cuối cùng đã ghi ({last})"), Some(seen.clock_since));
    } else if let Some(offset) = clock_offset_seconds.filter(|o| o.abs() > limits.clock_tolerance_seconds) {
        let which = if offset < 0 { "chậm" } else { "nhanh" };
        alert("clock", format!("Đồng hồ ki-ốt {which} {} so với máy chủ", duration_text(offset)), None);
    }

    if hb.disk_free_bytes < limits.disk_low_bytes {
        alert("disk_low", format!("Sắp hết dung lượng đĩa: còn {}", megabytes(hb.disk_free_bytes)), None);
    }

    if let Some(age) = hb.outbox.oldest_age_seconds.filter(|age| *age as i64 > limits.outbox_backlog_minutes * 60) {
        let message = format!("{} đánh giá chưa gửi được về tỉnh, cũ nhất đã {}", hb.outbox.pending, duration_text(age as i64));
        alert("outbox_backlog", message, None);
    }

    if let Some(refused) = &hb.catalogue.refused {
        let version = refused.version.map(|v| format!(" phiên bản {v}")).unwrap_or_default();
        let why = match refused.reason.as_str() {
            "bad_signature" => "chữ ký không hợp lệ",
            "invalid_content" => "nội dung không hợp lệ",
            "older_version" => "cũ hơn danh mục đang dùng",
            "malformed" => "không đọc được",
            _ => "lỗi khác",
        };
        alert("catalogue_refused", format!("Ki-ốt từ chối danh mục{version}: {why}"), parse(&refused.at));
    }

    if let Some(newest) = &fleet.newest_version {
        if version_order(&hb.software_version, newest).is_lt() {
            alert("version_behind", format!("Phiên bản {}, mới nhất là {newest}", hb.software_version), None);
        }
    }

    if let Some((latest, published_at)) = fleet.catalogue {
        let overdue = now - published_at > chrono::Duration::minutes(limits.catalogue_grace_minutes);
        if hb.catalogue.version < latest && overdue {
            let message = format!("Danh mục thủ tục phiên bản {}, tỉnh đã công bố phiên bản {latest}", hb.catalogue.version);
            alert("catalogue_behind", message, Some(published_at));
        }
    }

    alerts.sort_by_key(|a| rank(a.code));
    Assessment { online, clock_offset_seconds, alerts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        vietnam().with_ymd_and_hms(2026, 3, 5, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn seen(received: DateTime<Utc>) -> Seen {
        let mut hb: Heartbeat = serde_json::from_value(serde_json::json!({
            "kiosk_id": "K1", "seq": 7, "sent_at": received.to_rfc3339(), "trigger": "interval",
            "interval_seconds": 60,
            "centre": {"name": "Trung tâm xã Hòa Phú", "agency_code": "000.00.17.H41"},
            "software_version": "0.2.0",
            "catalogue": {"version": 3, "source": "central"},
            "uptime_seconds": 3600, "printer": "ready",
            "clock": {"state": "ok"},
            "disk_free_bytes": 8_000_000_000u64, "database_bytes": 4_000_000,
            "waiting": [], "tickets_today": 87,
            "outbox": {"pending": 0, "oldest_age_seconds": null},
        }))
        .unwrap();
        hb.dispensing_windows = vec![
            ("2026-03-05T07:00:00+07:00".into(), "2026-03-05T11:15:00+07:00".into()),
            ("2026-03-05T13:15:00+07:00".into(), "2026-03-05T16:30:00+07:00".into()),
            ("2026-03-06T07:00:00+07:00".into(), "2026-03-06T11:15:00+07:00".into()),
        ];
        Seen { heartbeat: hb, received_at: received, printer_since: received, clock_since: received }
    }

    fn codes(a: &Assessment) -> Vec<&'static str> {
        a.alerts.iter().map(|a| a.code).collect()
    }

    fn fleet() -> FleetFacts {
        FleetFacts { newest_version: Some("0.2.0".into()), catalogue: Some((3, at(7, 0))) }
    }

    #[test]
    fn a_healthy_kiosk_has_no_alert() {
        let a = assess(Some(&seen(at(9, 0))), &fleet(), &Thresholds::default(), at(9, 1));
        assert!(a.online);
        assert_eq!(codes(&a), Vec::<&str>::new());
        assert_eq!(a.clock_offset_seconds, Some(0));
    }

    #[test]
    fn offline_counts_only_during_dispensing_hours() {
        let s = seen(at(9, 0));
        let limits = Thresholds::default();
        // Three intervals and the grace: 3 min 30 s. At 9:03:20 still online.
        let a = assess(Some(&s), &fleet(), &limits, at(9, 3) + chrono::Duration::seconds(20));
        assert!(a.online);
        let a = assess(Some(&s), &fleet(), &limits, at(9, 4));
        assert_eq!((a.online, codes(&a)), (false, vec!["offline"]));
        assert!(a.alerts[0].message.contains("09:00 05/03/2026"), "{}", a.alerts[0].message);
        // Lunch break and the night: offline, but nobody is waiting for a ticket.
        for quiet in [at(12, 0), at(20, 0)] {
            let a = assess(Some(&s), &fleet(), &limits, quiet);
            assert_eq!((a.online, codes(&a)), (false, vec![]), "{quiet}");
        }
        // The afternoon window, and after the last window it announced: an alert again.
        assert_eq!(codes(&assess(Some(&s), &fleet(), &limits, at(14, 0))), ["offline"]);
        let next_week = at(9, 0) + chrono::Duration::days(7);
        assert_eq!(codes(&assess(Some(&s), &fleet(), &limits, next_week)), ["offline"]);
        // A kiosk that announced no window is expected at any time.
        let mut no_windows = s.clone();
        no_windows.heartbeat.dispensing_windows.clear();
        assert_eq!(codes(&assess(Some(&no_windows), &fleet(), &limits, at(20, 0))), ["offline"]);
    }

    #[test]
    fn printer_clock_disk_outbox_and_versions() {
        let limits = Thresholds::default();
        let mut s = seen(at(9, 0));
        s.heartbeat.printer = "paper_out".into();
        s.printer_since = at(8, 40);
        s.heartbeat.clock.state = "behind".into();
        s.heartbeat.clock.last_event_at = Some("2026-03-05T10:00:00+07:00".into());
        s.heartbeat.disk_free_bytes = 200_000_000;
        s.heartbeat.outbox = crate::heartbeat::Outbox { pending: 12, oldest_age_seconds: Some(2 * 3600) };
        s.heartbeat.software_version = "0.1.9".into();
        s.heartbeat.catalogue.version = 2;
        let a = assess(Some(&s), &fleet(), &limits, at(9, 1));
        assert_eq!(codes(&a), ["paper_out", "clock", "disk_low", "outbox_backlog", "version_behind", "catalogue_behind"]);
        assert_eq!(a.alerts[0].since.as_deref(), Some("2026-03-05T01:40:00Z"));
        assert!(a.alerts[2].message.contains("200 MB"), "{}", a.alerts[2].message);
        assert!(a.alerts[3].message.contains("12 đánh giá") && a.alerts[3].message.contains("2 giờ 0 phút"), "{}", a.alerts[3].message);

        // A clock that says "ok" but is 5 minutes behind central's.
        let mut s = seen(at(9, 0));
        s.heartbeat.sent_at = "2026-03-05T08:55:00+07:00".into();
        let a = assess(Some(&s), &fleet(), &limits, at(9, 1));
        assert_eq!((codes(&a), a.clock_offset_seconds), (vec!["clock"], Some(-300)));
        assert!(a.alerts[0].message.contains("chậm 5 phút"), "{}", a.alerts[0].message);
        // 90 s is within the tolerance.
        s.heartbeat.sent_at = "2026-03-05T08:58:30+07:00".into();
        assert_eq!(codes(&assess(Some(&s), &fleet(), &limits, at(9, 1))), Vec::<&str>::new());

        // A one-way printer that never answers is not a fault; a cover open is.
        let mut s = seen(at(9, 0));
        s.heartbeat.printer = "unknown".into();
        assert!(assess(Some(&s), &fleet(), &limits, at(9, 1)).alerts.is_empty());
        s.heartbeat.printer = "cover_open".into();
        assert_eq!(codes(&assess(Some(&s), &fleet(), &limits, at(9, 1))), ["printer"]);
    }

    #[test]
    fn a_catalogue_just_published_is_not_yet_behind() {
        let just_now = FleetFacts { newest_version: None, catalogue: Some((4, at(8, 50))) };
        assert!(assess(Some(&seen(at(9, 0))), &just_now, &Thresholds::default(), at(9, 1)).alerts.is_empty());
        // Thirty minutes after publication, a kiosk still on version 3 is behind.
        assert!(assess(Some(&seen(at(9, 19))), &just_now, &Thresholds::default(), at(9, 20)).alerts.is_empty());
        assert_eq!(codes(&assess(Some(&seen(at(9, 21))), &just_now, &Thresholds::default(), at(9, 22))), ["catalogue_behind"]);
    }

    #[test]
    fn a_refused_bundle_is_reported() {
        let mut s = seen(at(9, 0));
        s.heartbeat.catalogue.refused = Some(crate::heartbeat::Refused {
            version: Some(4),
            reason: "bad_signature".into(),
            message: "…".into(),
            at: "2026-03-05T08:59:00+07:00".into(),
        });
        let a = assess(Some(&s), &fleet(), &Thresholds::default(), at(9, 1));
        assert_eq!(codes(&a), ["catalogue_refused"]);
        assert!(a.alerts[0].message.contains("phiên bản 4: chữ ký không hợp lệ"), "{}", a.alerts[0].message);
    }

    #[test]
    fn a_kiosk_never_seen_is_named() {
        let a = assess(None, &fleet(), &Thresholds::default(), at(9, 0));
        assert_eq!((a.online, codes(&a)), (false, vec!["never_seen"]));
    }

    #[test]
    fn versions_compare_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(version_order("0.10.0", "0.9.3"), Greater);
        assert_eq!(version_order("0.2.0", "0.2"), Equal);
        assert_eq!(version_order("0.2.0-rc1", "0.2.0"), Less);
        assert_eq!(version_order("0.2.0+g1a2b", "0.2.0"), Equal);
        assert_eq!(version_order("v1.0.0", "0.99.0"), Greater);
    }
}
