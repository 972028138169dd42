//! The kiosk's health as the province sees it: what a heartbeat reports (`docs/sync-protocol.md`,
//! "Heartbeats") — versions, printer, clock, disk, database, queue, outbox, dispensing windows —
//! gathered from the service, and the heartbeats' sequence number kept in the database. The
//! heartbeat task (`crate::sync::heartbeat`) gets this as a narrow handle ([`FleetReport`]).

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use super::{ClockCheck, Service};
use crate::store::{heartbeat, ratings};
use crate::sync::heartbeat::{CatalogueState, Centre, ClockState, Conditions, OutboxState, Refused, State, Waiting};
use crate::text::nfc;
use crate::time::rfc3339;

/// The software version reported to the province.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// How far ahead the dispensing windows are announced.
const WINDOW_DAYS: u64 = 7;
/// The protocol's limits on lists.
const MAX_LIST: usize = 64;

/// The printer's state as the protocol words it (`paper_low` for a roll near its end).
fn printer_word(state: &str) -> &str {
    match state {
        "paper_near_end" => "paper_low",
        other => other,
    }
}

/// Free bytes for an unprivileged writer on the file system holding `dir`.
fn disk_free(dir: &std::path::Path) -> u64 {
    match rustix::fs::statvfs(dir) {
        Ok(s) => s.f_bavail.saturating_mul(s.f_frsize),
        Err(e) => {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot read the free disk space");
            0
        }
    }
}

/// The database file and its write-ahead log, in bytes.
fn database_size(db: &std::path::Path) -> u64 {
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    size(db) + size(std::path::Path::new(&wal))
}

impl Service {
    /// The heartbeat task's handle. `announced` carries the newest catalogue version central
    /// names in its answers to the catalogue task.
    pub fn fleet_report(&self, announced: tokio::sync::watch::Sender<u64>) -> FleetReport {
        FleetReport { service: self.clone(), started: Instant::now(), announced: Arc::new(announced) }
    }

    fn clock_state(check: ClockCheck) -> ClockState {
        match check {
            ClockCheck::Ok => ClockState { state: "ok".into(), last_event_at: None },
            ClockCheck::Behind { last_event_at } => ClockState { state: "behind".into(), last_event_at: Some(rfc3339(last_event_at)) },
        }
    }

    fn catalogue_state(&self) -> CatalogueState {
        let live = self.live_catalogue();
        let in_use = live.load();
        CatalogueState {
            version: in_use.version,
            source: in_use.source.as_str().into(),
            refused: live.refused().map(|r| Refused { version: r.version, reason: r.reason.into(), message: r.message, at: rfc3339(r.at) }),
        }
    }

    /// Everything a heartbeat reports, now; `started` is when the service started.
    pub async fn health(&self, started: Instant) -> Result<State, super::ServiceError> {
        let now = self.now();
        let config = self.config();
        let services = self.services().await?;
        let tickets_today = self.figures_today().await?.issued;
        let (pending, oldest) = self.store().read(|c| Ok((ratings::pending_count(c)?, ratings::oldest_pending_at(c)?))).await?;
        let clock = Self::clock_state(self.clock_check().await);
        let data_dir = config.data_dir.clone();
        let db = config.database_path();
        let (disk_free_bytes, database_bytes) =
            tokio::task::spawn_blocking(move || (disk_free(&data_dir), database_size(&db))).await.unwrap_or((0, 0));
        let mut sets = vec![&config.dispensing];
        sets.extend(config.services.iter().filter_map(|s| s.windows.as_ref()));
        let schedule = |date: NaiveDate| self.schedule(date);
        let windows = crate::queue::windows_ahead(&sets, &schedule, now, WINDOW_DAYS);
        Ok(State {
            sent_at: rfc3339(now),
            centre: Centre { name: nfc(config.centre.name.trim()), agency_code: nfc(config.centre.agency_code.trim()) },
            software_version: SOFTWARE_VERSION.into(),
            catalogue: self.catalogue_state(),
            uptime_seconds: started.elapsed().as_secs(),
            printer: printer_word(self.printer_state()).into(),
            clock,
            disk_free_bytes,
            database_bytes,
            waiting: services
                .into_iter()
                .take(MAX_LIST)
                .map(|s| Waiting { service: nfc(&s.code), name: nfc(s.name.trim()), waiting: s.waiting })
                .collect(),
            tickets_today: tickets_today as u64,
            outbox: OutboxState {
                pending: pending as u64,
                oldest_age_seconds: oldest.filter(|_| pending > 0).map(|at| ((now.timestamp_millis() - at).max(0) / 1000) as u64),
            },
            dispensing_windows: windows.into_iter().take(MAX_LIST).map(|(from, to)| (rfc3339(from), rfc3339(to))).collect(),
        })
    }
}

/// The narrow handle the heartbeat task gets.
#[derive(Clone)]
pub struct FleetReport {
    service: Service,
    started: Instant,
    announced: Arc<tokio::sync::watch::Sender<u64>>,
}

impl crate::sync::heartbeat::Reporter for FleetReport {
    fn kiosk_id(&self) -> String {
        self.service.config().ratings.kiosk_id.clone()
    }

    fn public_key(&self) -> String {
        self.service.inner.device_key.public_hex()
    }

    fn sign(&self, hash: &[u8; 32]) -> String {
        self.service.inner.device_key.sign(hash)
    }

    async fn next_seq(&self) -> Result<i64, String> {
        self.service.store().write(heartbeat::next_seq).await.map_err(|e: crate::store::StoreError| e.to_string())
    }

    async fn continue_after(&self, last_seq: i64) -> Result<(), String> {
        self.service
            .store()
            .write(move |tx| heartbeat::continue_after(tx, last_seq))
            .await
            .map_err(|e: crate::store::StoreError| e.to_string())
    }

    async fn conditions(&self) -> Conditions {
        let catalogue = self.service.catalogue_state();
        Conditions {
            printer: printer_word(self.service.printer_state()).into(),
            clock: Service::clock_state(self.service.clock_check().await).state,
            catalogue: format!("{} {:?}", catalogue.version, catalogue.refused.map(|r| (r.version, r.reason, r.at))),
        }
    }

    async fn state(&self) -> Result<State, String> {
        self.service.health(self.started).await.map_err(|e| e.to_string())
    }

    fn catalogue_published(&self, version: u64) {
        self.announced.send_if_modified(|v| std::mem::replace(v, version) != version);
    }

    async fn closed(&self) {
        self.service.events().closed().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_states_use_the_protocols_words() {
        assert_eq!(printer_word("paper_near_end"), "paper_low");
        for same in ["ready", "paper_out", "cover_open", "offline", "unknown"] {
            assert_eq!(printer_word(same), same);
        }
    }

    #[test]
    fn disk_and_database_sizes_are_read() {
        let dir = tempfile::tempdir().unwrap();
        assert!(disk_free(dir.path()) > 0);
        let db = dir.path().join("k.sqlite3");
        std::fs::write(&db, vec![0u8; 1000]).unwrap();
        std::fs::write(dir.path().join("k.sqlite3-wal"), vec![0u8; 24]).unwrap();
        assert_eq!(database_size(&db), 1024);
    }
}
