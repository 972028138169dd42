//! The use cases: `Service` is the kiosk's one entry point for every command and query. The HTTP
//! API, the touchscreen UI, the devices and the tests all go through it. Each command validates
//! its input, runs one transaction through the store (the rules from the domain modules, the
//! SQL from `crate::store`), writes its typed event to the journal in that same transaction,
//! and publishes the event only after the commit — never the other way round.
//!
//! One module per capability: `tickets` (issue, follow, cancel, the hall's picture), `counters`
//! (call, recall, serve, finish, transfer), `staff` (PIN logins, sessions, logout), `rating_devices` (enrolled rating devices), `dossiers`
//! (receive, look up, status, reschedule), `ratings` (rate, the outbox towards the province),
//! `notices` (SMS / Zalo notices: subscriptions and the outbox), `figures` (the day's and the manager's figures), `hall` (help requests and their answers, printer state), `kiosks`
//! (the centre's other kiosks that print their own tickets),
//! `paper` (what each printed document says), `live_catalogue` (the catalogue in use and
//! signed bundles from the province) and `health` (what heartbeats report).

mod counters;
pub mod dossiers;
mod error;
mod figures;
mod hall;
pub mod health;
pub mod kiosks;
pub mod live_catalogue;
pub mod notices;
mod paper;
mod rating_devices;
pub mod ratings;
mod staff;
pub mod tickets;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::auth::{PinVerifier, Sessions};
use crate::calendar::WorkingCalendar;
use crate::clock::Clock;
use crate::config::Config;
use crate::events::{Event, EventBus, Journaled};
use crate::printing::{self, PrinterTask};
use crate::rating::DeviceKey;
use crate::store::journal::{self, NewEntry};
use crate::store::{Conn, Store, StoreError};

pub use dossiers::{PublicDossier, Received, Reception, ReceptionError, StaffDossier};
pub use error::{ServiceError, StartError};
pub use figures::DayFigures;
pub use hall::{HelpError, HelpRequest};
pub use health::FleetReport;
pub use kiosks::{KioskPrinter, KioskTicket};
pub use live_catalogue::{CatalogueHandle, CatalogueInUse, LiveCatalogue, Refusal, Source};
pub use notices::{NoticeError, NoticeOutboxHandle, NoticeSubscription};
pub use rating_devices::{enroll_beside as enroll_device_beside, revoke_beside as revoke_device_beside, RatingDevice};
pub use ratings::{Answer, Rater, RatingError, RatingsOutbox, SyncState};
pub use tickets::{CardScan, CounterNow, QueueOverview, QueueService, ServiceStatus, TicketView};

/// What `Service::clock_check` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockCheck {
    Ok,
    /// The clock says a time before the last recorded event.
    Behind {
        last_event_at: DateTime<FixedOffset>,
    },
}

struct Inner {
    config: Arc<Config>,
    catalogue: Arc<LiveCatalogue>,
    calendar: Arc<WorkingCalendar>,
    device_key: Arc<DeviceKey>,
    /// The site's secret for identity cards' per-day keys (`<data>/identity.secret`).
    identity_secret: crate::identity::IdentitySecret,
    sync_wakeup: tokio::sync::Notify,
    /// Wakes the notices' sender when a notice is queued (an `Arc`: the sender waits on it
    /// without keeping the service alive).
    notice_wakeup: Arc<tokio::sync::Notify>,
    clock: Arc<dyn Clock>,
    store: Store,
    events: EventBus,
    sessions: Sessions,
    verifier: PinVerifier,
    printer: Option<PrinterTask>,
    kiosk_printers: kiosks::KioskPrinters,
}

/// The kiosk service. Cheap to clone; all clones share one store and one event bus.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

/// A service that may be gone: what background tasks hold, so they never keep it alive.
#[derive(Clone)]
pub struct WeakService(std::sync::Weak<Inner>);

impl WeakService {
    pub fn upgrade(&self) -> Option<Service> {
        self.0.upgrade().map(|inner| Service { inner })
    }
}

impl Service {
    /// Open the database under the configured data directory, load the catalogue, the calendar
    /// and the device key, and get ready to serve. `printer` is the printer task's handle, if
    /// this kiosk has a printer (started by `server::start`, which owns the lifecycle).
    pub async fn open(config: Config, clock: Arc<dyn Clock>, printer: Option<PrinterTask>) -> Result<Service, StartError> {
        let catalogue = Arc::new(LiveCatalogue::open(&config)?);
        let overrides = crate::config::load_overrides(&config.holidays_dir).map_err(|e| StartError::Holidays(e.to_string()))?;
        let calendar = Arc::new(WorkingCalendar::new(config.calendar.clone(), overrides).map_err(|e| StartError::Holidays(e.to_string()))?);
        let store = Store::open(&config.database_path())?;
        let device_key = Arc::new(DeviceKey::load_or_create(&config.data_dir.join("device.key")).map_err(StartError::DeviceKey)?);
        let identity_secret =
            crate::store::identity_secret::load_or_create(&config.data_dir.join("identity.secret")).map_err(StartError::IdentitySecret)?;
        let service = Service {
            inner: Arc::new(Inner {
                config: Arc::new(config),
                catalogue,
                calendar,
                device_key,
                identity_secret,
                sync_wakeup: tokio::sync::Notify::new(),
                notice_wakeup: Arc::new(tokio::sync::Notify::new()),
                clock,
                store,
                events: EventBus::new(),
                sessions: Sessions::default(),
                verifier: PinVerifier::default(),
                printer,
                kiosk_printers: Default::default(),
            }),
        };
        if let ClockCheck::Behind { last_event_at } = service.clock_check().await {
            tracing::error!(
                now = %service.now(),
                last_event_at = %last_event_at,
                "the system clock is behind the last recorded event: set the time (RTC or NTP, see docs/DEPLOY.md); numbers and dates depend on it"
            );
        }
        service.restore_sessions().await?;
        service.close_past_days().await?;
        Ok(service)
    }

    /// Where the database of `config` lives.
    pub fn database_path(config: &Config) -> std::path::PathBuf {
        config.database_path()
    }

    /// A handle that does not keep the service alive.
    pub fn downgrade(&self) -> WeakService {
        WeakService(Arc::downgrade(&self.inner))
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn calendar(&self) -> &Arc<WorkingCalendar> {
        &self.inner.calendar
    }

    /// The site's time now, in the site's offset.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.inner.clock.now().with_timezone(&self.inner.config.centre.offset)
    }

    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    fn store(&self) -> &Store {
        &self.inner.store
    }

    fn publish(&self, event: Journaled) {
        self.inner.events.publish(event);
    }

    /// Print a document on this kiosk's printer; `Err` says why it did not print.
    async fn print(&self, document: printer::Document) -> Result<printer::JobOutcome, String> {
        match &self.inner.printer {
            Some(p) => p.print(document).await,
            None => Err("this kiosk has no printer configured".into()),
        }
    }

    /// The printer's last known state; `"offline"` when this kiosk has no printer configured.
    pub fn printer_state(&self) -> &'static str {
        self.inner.printer.as_ref().map_or("offline", |p| printing::state_name(p.state()))
    }

    /// Journal events after `seq`, for a client catching up.
    pub async fn events_since(&self, seq: i64, limit: usize) -> Result<Vec<Journaled>, ServiceError> {
        let entries = self.store().read(move |conn| journal::since(conn, seq, limit)).await?;
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let event = Event::from_wire(&e.kind, &e.data)
                .map_err(|err| StoreError(format!("journal entry {} ({}) is not a known event: {err}", e.seq, e.kind)))?;
            out.push(Journaled { seq: e.seq, event });
        }
        Ok(out)
    }

    /// Whether the clock can be trusted: a Raspberry Pi has no battery clock, and one that booted
    /// without network may believe it is still yesterday. Its time must not be before the last
    /// event this kiosk recorded (a minute of slack for a clock being corrected by NTP).
    pub async fn clock_check(&self) -> ClockCheck {
        let now = self.now();
        let last = self.store().read(journal::latest_at).await.unwrap_or(None);
        match last {
            Some(at) if at > now.timestamp_millis() + 60_000 => {
                ClockCheck::Behind { last_event_at: crate::time::from_millis(*now.offset(), at) }
            }
            _ => ClockCheck::Ok,
        }
    }

    /// `(journal_mode, synchronous)` of the connection every command writes through.
    pub async fn store_durability(&self) -> Result<(String, i64), StoreError> {
        self.store().writer_durability().await
    }

    /// Whether the database answers.
    pub async fn database_ok(&self) -> bool {
        self.store().read(crate::store::ping).await.is_ok()
    }
}

/// Where and when an event happened: its journal entry's columns.
struct Place<'a> {
    day: &'a str,
    at: DateTime<FixedOffset>,
    ticket_id: Option<&'a str>,
    counter: Option<u32>,
}

/// Write `event` to the journal inside the caller's transaction; what to publish after the commit.
fn journal(tx: &Conn, event: Event, place: Place) -> Result<Journaled, StoreError> {
    let data = event.data_json();
    let entry = NewEntry {
        at_ms: place.at.timestamp_millis(),
        day: place.day,
        kind: event.name(),
        ticket_id: place.ticket_id,
        counter: place.counter,
        data: &data,
    };
    let seq = journal::append(tx, &entry)?;
    Ok(Journaled { seq, event })
}
