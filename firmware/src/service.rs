//! `Service`: the kiosk's one entry point for every command and query. The HTTP API, the
//! touchscreen UI and the tests all go through it. It turns a request into one store
//! transaction, publishes the resulting events only after the commit, and hands print jobs to
//! the printer task — never the other way round.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::auth::{self, AuthError, Session, Sessions};
use crate::calendar::{OverrideTable, WorkingCalendar};
use crate::clock::Clock;
use crate::config::{Config, TransferPosition};
use crate::events::{Event, EventBus};
use crate::printing::{self, PrinterTask};
use crate::queue::{Action, QueueError, TicketStatus};
use crate::rating::DeviceKey;
use crate::store::journal::{self, DayFigures};
use crate::store::tickets::{self, day_key, rfc3339, Ticket, TicketError};
use crate::store::{self, Store, StoreError};
use catalogue::Catalog;

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Reception(#[from] crate::reception::ReceptionError),
    #[error(transparent)]
    Rating(#[from] crate::satisfaction::RatingError),
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("printer: {0}")]
    Printer(#[from] printer::PrintError),
    #[error("catalogue: {0}")]
    Catalog(#[from] catalogue::CatalogError),
    #[error("holidays: {0}")]
    Holidays(String),
    #[error("device key: {0}")]
    DeviceKey(std::io::Error),
}

impl From<TicketError> for ServiceError {
    fn from(e: TicketError) -> Self {
        match e {
            TicketError::Queue(q) => ServiceError::Queue(q),
            TicketError::Store(s) => ServiceError::Store(s),
        }
    }
}

/// A ticket as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TicketView {
    pub id: String,
    pub number: String,
    pub service: String,
    pub service_name: String,
    pub priority: Option<String>,
    pub status: TicketStatus,
    pub issued_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ahead: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_wait_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub called_at: Option<String>,
    pub recalls: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed: Option<bool>,
}

/// One service on the kiosk's home screen.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ServiceStatus {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub open: bool,
    pub waiting: u32,
    pub estimated_wait_minutes: u32,
    /// Names of the counters serving it, as printed on the ticket.
    pub counters: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueueService {
    pub code: String,
    pub waiting: u32,
    pub estimated_wait_minutes: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CounterNow {
    pub number: u32,
    pub name: String,
    pub current: Option<String>,
}

/// What `Service::clock_check` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockCheck {
    Ok,
    /// The clock says a time before the last recorded event.
    Behind {
        last_event_at: DateTime<FixedOffset>,
    },
}

/// The hall display's picture of the queue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueueOverview {
    pub services: Vec<QueueService>,
    pub counters: Vec<CounterNow>,
    /// The site's time (RFC 3339, site offset): a hall TV's own clock is often wrong or in UTC.
    pub now: String,
}

struct Inner {
    config: Arc<Config>,
    catalog: Arc<Catalog>,
    calendar: Arc<WorkingCalendar>,
    device_key: Arc<DeviceKey>,
    sync_wakeup: tokio::sync::Notify,
    clock: Arc<dyn Clock>,
    store: Store,
    events: EventBus,
    sessions: Sessions,
    printer: Option<PrinterTask>,
}

/// The kiosk service. Cheap to clone; all clones share one store and one event bus.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

impl Service {
    /// Open the database under the configured data directory and get ready to serve.
    /// Open the database under the configured data directory, start the printer (if one is
    /// configured) and get ready to serve.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<Service, StartError> {
        let catalog = Arc::new(Catalog::load_dir(&config.catalog_dir)?);
        let overrides = if config.holidays_dir.exists() {
            OverrideTable::load_dir(&config.holidays_dir).map_err(|e| StartError::Holidays(e.to_string()))?
        } else {
            OverrideTable::default()
        };
        let calendar = Arc::new(WorkingCalendar::new(config.calendar.clone(), overrides).map_err(|e| StartError::Holidays(e.to_string()))?);
        let store = Store::open(&Service::database_path(&config))?;
        let device_key = Arc::new(DeviceKey::load_or_create(&config.data_dir.join("device.key")).map_err(StartError::DeviceKey)?);
        let (state_tx, mut state_rx) = tokio::sync::mpsc::unbounded_channel();
        let printer = match &config.printer {
            Some(cfg) => {
                let mut cfg = cfg.clone();
                if cfg.virtual_dir.is_none() {
                    cfg.virtual_dir = Some(config.data_dir.join("receipts"));
                }
                Some(PrinterTask::start(&cfg, state_tx)?)
            }
            None => None,
        };
        let service = Service {
            inner: Arc::new(Inner {
                config: Arc::new(config),
                catalog,
                calendar,
                device_key,
                sync_wakeup: tokio::sync::Notify::new(),
                clock,
                store,
                events: EventBus::new(),
                sessions: Sessions::default(),
                printer,
            }),
        };
        if let ClockCheck::Behind { last_event_at } = service.clock_check().await {
            tracing::error!(
                now = %service.now(),
                last_event_at = %last_event_at,
                "the system clock is behind the last recorded event: set the time (RTC or NTP, see docs/DEPLOY.md); numbers and dates depend on it"
            );
        }
        let now_ms = auth::unix_ms();
        let sessions = service.inner.store.read(move |conn| store::sessions::live(conn, now_ms)).await?;
        service.inner.sessions.restore(now_ms, sessions);
        service.close_past_days().await?;
        if let Some(central) = service.config().central.clone() {
            tokio::spawn(crate::sync::run(service.clone(), central));
        }
        // Printer state changes become `printer_status` events (journaled, then published).
        let weak = Arc::downgrade(&service.inner);
        tokio::spawn(async move {
            while let Some(state) = state_rx.recv().await {
                let Some(inner) = weak.upgrade() else { return };
                let service = Service { inner };
                if let Err(e) = service.record_printer_state(state).await {
                    tracing::warn!(error = %e, "could not journal the printer state");
                }
            }
        });
        Ok(service)
    }

    async fn record_printer_state(&self, state: printer::PrinterState) -> Result<(), StoreError> {
        let now = self.now();
        let offset = self.inner.config.centre.offset;
        let event = self
            .inner
            .store
            .write(move |tx| {
                let at = now.timestamp_millis();
                let data = serde_json::json!({"state": printing::state_name(state), "at": rfc3339(at, offset)});
                journal::append(tx, at, &day_key(now), "printer_status", None, None, data)
            })
            .await?;
        self.publish(event);
        Ok(())
    }

    /// Print a document on this kiosk's printer; `Err` says why it did not print.
    pub async fn print(&self, document: printer::Document) -> Result<printer::JobOutcome, String> {
        match &self.inner.printer {
            Some(p) => p.print(document).await,
            None => Err("this kiosk has no printer configured".into()),
        }
    }

    pub fn database_path(config: &Config) -> PathBuf {
        config.data_dir.join("kiosk.sqlite3")
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn device_key(&self) -> &Arc<DeviceKey> {
        &self.inner.device_key
    }

    /// Tell the sync task a rating is waiting.
    pub(crate) fn wake_sync(&self) {
        self.inner.sync_wakeup.notify_one();
    }

    pub(crate) fn sync_wakeup(&self) -> &tokio::sync::Notify {
        &self.inner.sync_wakeup
    }

    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.inner.catalog
    }

    pub fn calendar(&self) -> &Arc<WorkingCalendar> {
        &self.inner.calendar
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.inner.clock.now()
    }

    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    fn publish(&self, event: Event) {
        self.inner.events.publish(event);
    }

    /// Cancel tickets left queued on earlier days; run at start and after each midnight.
    pub async fn close_past_days(&self) -> Result<usize, StoreError> {
        let now = self.now();
        let today = day_key(now);
        self.inner.store.write(move |tx| tickets::close_past_days(tx, &today, now.timestamp_millis())).await
    }

    fn view(&self, t: &Ticket, ahead: Option<u32>, estimated: Option<u32>) -> TicketView {
        let c = &self.inner.config;
        let offset = c.centre.offset;
        TicketView {
            id: t.id.clone(),
            number: t.number.clone(),
            service: t.service.clone(),
            service_name: c.service(&t.service).map(|s| s.name_vi.clone()).unwrap_or_default(),
            priority: t.priority.clone(),
            status: t.status,
            issued_at: rfc3339(t.issued_at, offset),
            ahead,
            estimated_wait_minutes: estimated,
            counter: t.counter,
            counter_name: t.counter.and_then(|n| c.counter(n)).map(|c| c.name.clone()),
            called_at: t.called_at.map(|ms| rfc3339(ms, offset)),
            recalls: t.recalls,
            printed: t.printed,
        }
    }

    /// Issue a ticket: committed first, then announced, then printed. `printed` tells the truth.
    pub async fn issue(&self, service: &str, priority: Option<&str>) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        if self.is_holiday(now) && config.service(service).is_some() {
            return Err(QueueError::ServiceClosed { service: service.to_string() }.into());
        }
        let (service, priority) = (service.to_string(), priority.map(str::to_string));
        let issued = self.inner.store.write(move |tx| tickets::issue(tx, &config, now, &service, priority.as_deref())).await?;
        self.publish(issued.event.clone());
        let mut view = self.view(&issued.ticket, Some(issued.ahead), Some(issued.estimated_wait_minutes));
        let printed = match &self.inner.printer {
            Some(p) => match p.print(printer::Document::QueueTicket(printing::queue_ticket(&self.inner.config, &view))).await {
                Ok(_) => true,
                Err(e) => {
                    tracing::warn!(ticket = %view.number, error = %e, "ticket not printed; the kiosk shows the number");
                    false
                }
            },
            None => false,
        };
        let id = view.id.clone();
        // The ticket is already safe; a failure to record the print outcome must not undo it.
        if let Err(e) = self.inner.store.write(move |tx| tickets::set_printed(tx, &id, printed)).await {
            tracing::warn!(error = %e, "could not record the print outcome");
        }
        view.printed = Some(printed);
        Ok(view)
    }

    /// A ticket by id, with its place in the queue while it waits.
    pub async fn ticket(&self, id: &str) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let id = id.to_string();
        let (t, ahead, est) = self
            .inner
            .store
            .read(move |conn| {
                let Some(t) = tickets::get(conn, &id)? else { return Ok(None) };
                if t.status.is_queued() {
                    let ahead = tickets::ahead_of(conn, &t)?;
                    let est = tickets::estimate(conn, &config, &t.service, &t.day, ahead)?;
                    Ok(Some((t, Some(ahead), Some(est))))
                } else {
                    Ok(Some((t, None, None)))
                }
            })
            .await?
            .ok_or(QueueError::UnknownTicket)?;
        Ok(self.view(&t, ahead, est))
    }

    /// Whether `at` falls on a public holiday or a compensatory day off: the centre is closed.
    pub fn is_holiday(&self, at: DateTime<FixedOffset>) -> bool {
        self.inner.calendar.holiday(at.date_naive()).is_some()
    }

    /// Each service with whether it dispenses now, people waiting and the estimated wait.
    pub async fn services(&self) -> Result<Vec<ServiceStatus>, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let holiday = self.is_holiday(now);
        Ok(self
            .inner
            .store
            .read(move |conn| {
                let day = day_key(now);
                let mut out = Vec::new();
                for s in &config.services {
                    let waiting = tickets::waiting_count(conn, &day, &s.code)?;
                    out.push(ServiceStatus {
                        code: s.code.clone(),
                        name: s.name_vi.clone(),
                        name_en: s.name_en.clone(),
                        open: !holiday && crate::queue::is_dispensing(config.windows_for(s), now),
                        waiting,
                        estimated_wait_minutes: tickets::estimate(conn, &config, &s.code, &day, waiting)?,
                        counters: config.counters.iter().filter(|c| c.services.contains(&s.code)).map(|c| c.name.clone()).collect(),
                    });
                }
                Ok(out)
            })
            .await?)
    }

    /// Waiting per service and the current number at each counter.
    pub async fn queue(&self) -> Result<QueueOverview, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        Ok(self
            .inner
            .store
            .read(move |conn| {
                let day = day_key(now);
                let mut services = Vec::new();
                for s in &config.services {
                    let waiting = tickets::waiting_count(conn, &day, &s.code)?;
                    let est = tickets::estimate(conn, &config, &s.code, &day, waiting)?;
                    services.push(QueueService { code: s.code.clone(), waiting, estimated_wait_minutes: est });
                }
                let current = tickets::counters_current(conn, &day)?;
                let counters = config
                    .counters
                    .iter()
                    .map(|c| CounterNow {
                        number: c.number,
                        name: c.name.clone(),
                        current: current.iter().find(|(n, _)| *n == c.number).map(|(_, num)| num.clone()),
                    })
                    .collect();
                Ok(QueueOverview { services, counters, now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false) })
            })
            .await?)
    }

    /// Today's figures, derived from the journal.
    pub async fn figures_today(&self) -> Result<DayFigures, ServiceError> {
        let day = day_key(self.now());
        Ok(self.inner.store.read(move |conn| journal::day_figures(conn, &day)).await?)
    }

    /// The manager's figures for the local days `from`..=`to` (YYYY-MM-DD).
    pub async fn figures(&self, from: String, to: String) -> Result<crate::store::figures::Figures, ServiceError> {
        let offset = self.inner.config.centre.offset.local_minus_utc();
        Ok(self.inner.store.read(move |c| crate::store::figures::figures(c, &from, &to, offset)).await?)
    }

    /// Tickets of the local days `from`..=`to` as CSV.
    pub async fn tickets_csv(&self, from: String, to: String) -> Result<String, ServiceError> {
        let offset = self.inner.config.centre.offset.local_minus_utc();
        Ok(self.inner.store.read(move |c| crate::store::figures::tickets_csv(c, &from, &to, offset)).await?)
    }

    /// Journal events after `seq`, for a client catching up.
    pub async fn events_since(&self, seq: i64, limit: usize) -> Result<Vec<Event>, ServiceError> {
        Ok(self.inner.store.read(move |conn| journal::since(conn, seq, limit)).await?)
    }

    /// Whether the database answers.
    /// Whether the clock can be trusted: a Raspberry Pi has no battery clock, and one that booted
    /// without network may believe it is still yesterday. Its time must not be before the last
    /// event this kiosk recorded (a minute of slack for a clock being corrected by NTP).
    pub async fn clock_check(&self) -> ClockCheck {
        let now = self.now();
        let last = self.inner.store.read(journal::latest_at).await.unwrap_or(None);
        match last {
            Some(at) if at > now.timestamp_millis() + 60_000 => {
                ClockCheck::Behind { last_event_at: DateTime::from_timestamp_millis(at).map_or(now, |t| t.with_timezone(now.offset())) }
            }
            _ => ClockCheck::Ok,
        }
    }

    pub async fn database_ok(&self) -> bool {
        self.inner.store.read(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await.is_ok()
    }

    /// The printer's last known state; `"offline"` when this kiosk has no printer configured.
    pub fn printer_state(&self) -> &'static str {
        self.inner.printer.as_ref().map_or("offline", |p| printing::state_name(p.state()))
    }

    // --- counters --------------------------------------------------------------------------

    /// Log in at a counter with its PIN; returns a bearer token for that counter only.
    pub async fn login(&self, counter: u32, pin: &str, officer: Option<&str>) -> Result<String, ServiceError> {
        let def = self.inner.config.counter(counter).ok_or(QueueError::UnknownCounter(counter))?;
        self.inner.sessions.check_not_locked(counter)?;
        let (pin, hash) = (pin.to_string(), def.pin_hash.clone());
        // argon2 is deliberately slow: keep it off the async workers.
        let ok = tokio::task::spawn_blocking(move || auth::verify_pin(&pin, &hash)).await.unwrap_or(false);
        if !ok {
            self.inner.sessions.record_failure(counter);
            tracing::warn!(counter, "wrong PIN at counter login");
            return Err(AuthError::BadPin.into());
        }
        tracing::info!(counter, "counter logged in");
        let officer = officer.map(|o| crate::text::nfc(o.trim())).filter(|o| !o.is_empty());
        self.open_session(counter, officer).await
    }

    /// Open a session and write it down before handing out its token.
    async fn open_session(&self, counter: u32, officer: Option<String>) -> Result<String, ServiceError> {
        let (token, stored) = self.inner.sessions.open(counter, officer);
        self.inner.store.write(move |tx| store::sessions::insert(tx, &stored, auth::unix_ms())).await?;
        Ok(token)
    }

    /// Check a bearer token for a staff action at `counter`.
    pub fn authorize(&self, token: Option<&str>, counter: u32) -> Result<Session, ServiceError> {
        self.inner.config.counter(counter).ok_or(QueueError::UnknownCounter(counter))?;
        Ok(self.inner.sessions.authorize(token, counter)?)
    }

    /// Log in as the centre manager (for `/admin`); the session is counter 0.
    pub async fn manager_login(&self, pin: &str) -> Result<String, ServiceError> {
        let hash = self.inner.config.manager_pin_hash.clone().ok_or(AuthError::BadPin)?;
        self.inner.sessions.check_not_locked(0)?;
        let pin = pin.to_string();
        let ok = tokio::task::spawn_blocking(move || auth::verify_pin(&pin, &hash)).await.unwrap_or(false);
        if !ok {
            self.inner.sessions.record_failure(0);
            tracing::warn!("wrong manager PIN");
            return Err(AuthError::BadPin.into());
        }
        self.open_session(0, Some("Quản lý".into())).await
    }

    /// Check a manager token.
    pub fn manager(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        Ok(self.inner.sessions.authorize(token, 0)?)
    }

    /// The session of a staff token, at whichever counter it was opened.
    pub fn staff(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        Ok(self.inner.sessions.session(token)?)
    }

    pub async fn call_next(&self, counter: u32, officer: Option<String>) -> Result<Option<TicketView>, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let called = self.inner.store.write(move |tx| tickets::call_next(tx, &config, now, counter, officer.as_deref())).await?;
        Ok(called.map(|(t, event)| {
            self.publish(event);
            self.view(&t, None, None)
        }))
    }

    /// Recall, start serving, finish or no-show on the counter's current ticket.
    pub async fn act(&self, counter: u32, action: Action) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let (t, event) = self.inner.store.write(move |tx| tickets::act(tx, &config, now, counter, action)).await?;
        self.publish(event);
        Ok(self.view(&t, None, None))
    }

    pub async fn transfer(&self, counter: u32, to: &str, position: Option<TransferPosition>) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let to = to.to_string();
        let (t, event) = self.inner.store.write(move |tx| tickets::transfer(tx, &config, now, counter, &to, position)).await?;
        self.publish(event);
        self.ticket(&t.id).await
    }

    /// The citizen holding the ticket gives it up while it still waits.
    pub async fn cancel(&self, id: &str) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let id = id.to_string();
        let (t, event) = self.inner.store.write(move |tx| tickets::cancel(tx, &config, now, &id)).await?;
        self.publish(event);
        Ok(self.view(&t, None, None))
    }
}
