//! The fleet: the SQL of `kiosk_status` (one row per kiosk: its latest heartbeat, and since when
//! its printer and clock are in their current state) and the fleet view made of those rows, the
//! registry and the alert rules.
//!
//! What is kept: only the latest heartbeat of each kiosk, verbatim with its signature, plus
//! `first_seen`, `printer_since` and `clock_since`. That is all the alerts need ("paper out since
//! 08:40", "offline since …"); a heartbeat history would grow by 1,000 rows a minute for a
//! province and tell IT nothing the latest one does not.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::alerts::{self, Alert, FleetFacts, Seen, Thresholds};
use crate::config::Registry;
use crate::heartbeat::{Checked, Heartbeat, Refused, Waiting};
use crate::store::{Sql, StoreError};

/// The one statement that takes a heartbeat: insert, or replace the stored one if its seq is
/// lower; `printer_since`/`clock_since` move only when the state changes. Parameters: kiosk id,
/// seq, hash, signature, public key, heartbeat_json, received_at, agency code, centre name,
/// printer, clock. (Public for the benchmark's raw PostgreSQL floor.)
pub const APPLY: &str = "INSERT INTO kiosk_status (kiosk_id, seq, hash, signature, public_key, heartbeat_json, received_at, first_seen,
                                   agency_code, centre_name, printer, printer_since, clock, clock_since)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $7, $11, $7)
         ON CONFLICT (kiosk_id) DO UPDATE SET
             seq = excluded.seq, hash = excluded.hash, signature = excluded.signature, public_key = excluded.public_key,
             heartbeat_json = excluded.heartbeat_json, received_at = excluded.received_at,
             agency_code = excluded.agency_code, centre_name = excluded.centre_name,
             printer = excluded.printer,
             printer_since = CASE WHEN kiosk_status.printer = excluded.printer THEN kiosk_status.printer_since ELSE excluded.printer_since END,
             clock = excluded.clock,
             clock_since = CASE WHEN kiosk_status.clock = excluded.clock THEN kiosk_status.clock_since ELSE excluded.clock_since END
         WHERE kiosk_status.seq < excluded.seq";

/// How a heartbeat was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Stored as the kiosk's latest state.
    Stored,
    /// The very heartbeat stored already (same seq, same hash): a resend.
    Resent,
    /// A heartbeat with this seq or a higher one is stored: `last_seq` is its seq.
    Stale { last_seq: i64 },
}

/// Store `checked` as `kiosk_id`'s latest heartbeat if its seq is higher than the stored one's.
/// One statement decides, so two `central` processes on one database cannot both win.
pub fn apply(sql: &mut dyn Sql, kiosk_id: &str, public_key: &str, checked: &Checked, received_at: &str) -> Result<Applied, StoreError> {
    let hb = &checked.heartbeat;
    let changed = sql.execute(
        APPLY,
        &[
            kiosk_id.into(),
            hb.seq.into(),
            checked.hash.as_str().into(),
            checked.signature.as_str().into(),
            public_key.into(),
            checked.heartbeat_json.as_str().into(),
            received_at.into(),
            catalogue::nfc(hb.centre.agency_code.trim()).into(),
            catalogue::nfc(hb.centre.name.trim()).into(),
            hb.printer.as_str().into(),
            hb.clock.state.as_str().into(),
        ],
    )?;
    if changed > 0 {
        return Ok(Applied::Stored);
    }
    let rows = sql.query("SELECT seq, hash FROM kiosk_status WHERE kiosk_id = $1", &[kiosk_id.into()])?;
    let row = rows.first().ok_or_else(|| StoreError(format!("kiosk_status of {kiosk_id} neither stored nor found")))?;
    let (last_seq, hash) = (row.int(0)?, row.text(1)?);
    Ok(if last_seq == hb.seq && hash == checked.hash { Applied::Resent } else { Applied::Stale { last_seq } })
}

/// A stored row.
#[derive(Debug, Clone)]
pub struct StatusRow {
    pub kiosk_id: String,
    pub seq: i64,
    pub heartbeat_json: String,
    pub received_at: String,
    pub first_seen: String,
    pub printer_since: String,
    pub clock_since: String,
}

/// Every kiosk's latest heartbeat.
pub fn statuses(sql: &mut dyn Sql) -> Result<Vec<StatusRow>, StoreError> {
    let rows = sql.query(
        "SELECT kiosk_id, seq, heartbeat_json, received_at, first_seen, printer_since, clock_since FROM kiosk_status ORDER BY kiosk_id",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(StatusRow {
                kiosk_id: r.text(0)?,
                seq: r.int(1)?,
                heartbeat_json: r.text(2)?,
                received_at: r.text(3)?,
                first_seen: r.text(4)?,
                printer_since: r.text(5)?,
                clock_since: r.text(6)?,
            })
        })
        .collect()
}

fn parse_utc(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc))
}

impl StatusRow {
    /// The row as the alert rules read it; `None` if the stored heartbeat no longer parses.
    pub fn seen(&self) -> Option<Seen> {
        Some(Seen {
            heartbeat: serde_json::from_str::<Heartbeat>(&self.heartbeat_json).ok()?,
            received_at: parse_utc(&self.received_at)?,
            printer_since: parse_utc(&self.printer_since)?,
            clock_since: parse_utc(&self.clock_since)?,
        })
    }
}

/// One kiosk in `GET /api/v1/fleet`. Fields are null for a kiosk that never sent a heartbeat.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub kiosk_id: String,
    pub centre_name: Option<String>,
    pub agency_code: Option<String>,
    pub last_seen: Option<String>,
    pub first_seen: Option<String>,
    pub online: bool,
    pub version: Option<String>,
    pub catalogue_version: Option<u64>,
    pub catalogue_source: Option<String>,
    pub catalogue_refused: Option<Refused>,
    pub printer: Option<String>,
    pub printer_since: Option<String>,
    pub clock: Option<String>,
    pub clock_offset_seconds: Option<i64>,
    pub disk_free_bytes: Option<u64>,
    pub database_bytes: Option<u64>,
    pub outbox_pending: Option<u64>,
    pub outbox_oldest_age_seconds: Option<u64>,
    pub waiting: Vec<Waiting>,
    pub tickets_today: Option<u64>,
    pub uptime_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u32>,
    pub heartbeat_seq: Option<i64>,
    pub alerts: Vec<Alert>,
}

/// An alert with the kiosk it belongs to, for the list of everything to look at.
#[derive(Debug, Clone, Serialize)]
pub struct KioskAlert {
    pub kiosk_id: String,
    pub centre_name: Option<String>,
    #[serde(flatten)]
    pub alert: Alert,
}

/// The whole fleet view.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub now: String,
    pub kiosks_registered: usize,
    pub online: usize,
    /// The version kiosks should run (`expected_version`, or the newest in the fleet).
    pub newest_version: Option<String>,
    /// The newest catalogue bundle published.
    pub catalogue_version: Option<u64>,
    /// Every alert, most urgent first.
    pub alerts: Vec<KioskAlert>,
    /// How many kiosks have each alert, in the order of `alert_codes`.
    pub alert_counts: Vec<AlertCount>,
    /// Every kiosk: those with alerts first (most urgent first), then by centre and id.
    pub kiosks: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertCount {
    pub code: &'static str,
    pub label: &'static str,
    pub kiosks: usize,
}

/// Build the view of every registered kiosk from the stored rows; with `only`, just the kiosks
/// that have that alert.
pub fn view(
    registry: &Registry,
    rows: &[StatusRow],
    catalogue: Option<(u64, DateTime<Utc>)>,
    limits: &Thresholds,
    now: DateTime<Utc>,
    only: Option<&str>,
) -> View {
    let by_id: HashMap<&str, &StatusRow> = rows.iter().map(|r| (r.kiosk_id.as_str(), r)).collect();
    let seen: HashMap<&str, Seen> = registry.ids().filter_map(|id| Some((id, by_id.get(id).and_then(|r| r.seen())?))).collect();
    let newest_version = limits
        .expected_version
        .clone()
        .or_else(|| seen.values().map(|s| s.heartbeat.software_version.clone()).max_by(|a, b| alerts::version_order(a, b)));
    let facts = FleetFacts { newest_version: newest_version.clone(), catalogue };
    let mut kiosks: Vec<Entry> = registry
        .ids()
        .map(|id| {
            let s = seen.get(id);
            let row = by_id.get(id);
            let verdict = alerts::assess(s, &facts, limits, now);
            let hb = s.map(|s| &s.heartbeat);
            Entry {
                kiosk_id: id.to_string(),
                centre_name: hb.map(|h| catalogue::nfc(h.centre.name.trim())),
                agency_code: hb.map(|h| h.centre.agency_code.trim().to_string()),
                last_seen: row.map(|r| r.received_at.clone()),
                first_seen: row.map(|r| r.first_seen.clone()),
                online: verdict.online,
                version: hb.map(|h| h.software_version.clone()),
                catalogue_version: hb.map(|h| h.catalogue.version),
                catalogue_source: hb.map(|h| h.catalogue.source.clone()),
                catalogue_refused: hb.and_then(|h| h.catalogue.refused.clone()),
                printer: hb.map(|h| h.printer.clone()),
                printer_since: row.map(|r| r.printer_since.clone()),
                clock: hb.map(|h| h.clock.state.clone()),
                clock_offset_seconds: verdict.clock_offset_seconds,
                disk_free_bytes: hb.map(|h| h.disk_free_bytes),
                database_bytes: hb.map(|h| h.database_bytes),
                outbox_pending: hb.map(|h| h.outbox.pending),
                outbox_oldest_age_seconds: hb.and_then(|h| h.outbox.oldest_age_seconds),
                waiting: hb.map(|h| h.waiting.clone()).unwrap_or_default(),
                tickets_today: hb.map(|h| h.tickets_today),
                uptime_seconds: hb.map(|h| h.uptime_seconds),
                heartbeat_seconds: hb.map(|h| h.interval_seconds),
                heartbeat_seq: row.map(|r| r.seq),
                alerts: verdict.alerts,
            }
        })
        .collect();
    let alert_counts = alerts::ALERTS
        .iter()
        .map(|(code, label)| AlertCount { code, label, kiosks: kiosks.iter().filter(|k| k.alerts.iter().any(|a| a.code == *code)).count() })
        .collect();
    let online = kiosks.iter().filter(|k| k.online).count();
    let kiosks_registered = kiosks.len();
    if let Some(code) = only {
        kiosks.retain(|k| k.alerts.iter().any(|a| a.code == code));
    }
    let urgency = |k: &Entry| k.alerts.first().map_or(alerts::ALERTS.len() + 1, |a| alerts::rank(a.code));
    kiosks.sort_by_cached_key(|k| (urgency(k), catalogue::sort_key(k.centre_name.as_deref().unwrap_or("")), k.kiosk_id.clone()));
    let mut all_alerts: Vec<KioskAlert> = kiosks
        .iter()
        .flat_map(|k| {
            k.alerts.iter().filter(|a| only.is_none_or(|code| a.code == code)).map(|a| KioskAlert {
                kiosk_id: k.kiosk_id.clone(),
                centre_name: k.centre_name.clone(),
                alert: a.clone(),
            })
        })
        .collect();
    all_alerts.sort_by_key(|a| alerts::rank(a.alert.code));
    View {
        now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        kiosks_registered,
        online,
        newest_version,
        catalogue_version: catalogue.map(|(v, _)| v),
        alerts: all_alerts,
        alert_counts,
        kiosks,
    }
}

/// Centre names by agency code, and service names by (agency code, service code), from the
/// latest heartbeats (the ratings carry only codes). The most recently received name wins.
pub fn names(rows: &[StatusRow]) -> (HashMap<String, String>, HashMap<(String, String), String>) {
    let mut sorted: Vec<&StatusRow> = rows.iter().collect();
    sorted.sort_by(|a, b| a.received_at.cmp(&b.received_at));
    let mut centres = HashMap::new();
    let mut services = HashMap::new();
    for row in sorted {
        let Ok(hb) = serde_json::from_str::<Heartbeat>(&row.heartbeat_json) else { continue };
        let code = hb.centre.agency_code.trim().to_string();
        for w in &hb.waiting {
            services.insert((code.clone(), w.service.clone()), catalogue::nfc(w.name.trim()));
        }
        centres.insert(code, catalogue::nfc(hb.centre.name.trim()));
    }
    (centres, services)
}
