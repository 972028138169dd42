//! Tickets: issue one (committed, then announced, then printed), follow one from a phone,
//! give one up, and the picture of the queues the kiosk screen and the hall display show.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{journal, paper, Place, Service, ServiceError};
use crate::calendar::DayKind;
use crate::config::Config;
use crate::events::{Event, Journaled, TicketCancelled, TicketIssued};
use crate::identity::{IdentityCard, PersonKey};
use crate::queue::{self, Action, QueueError, TicketStatus};
use crate::store::people;
use crate::store::tickets::{self, NewTicket, Ticket};
use crate::store::{self, Conn, StoreError};
use crate::text::nfc;
use crate::time::{self, day_key};

/// A ticket as the API shows it (and as a second kiosk reads it back).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TicketView {
    pub id: String,
    pub number: String,
    pub service: String,
    pub service_name: String,
    pub priority: Option<String>,
    pub status: TicketStatus,
    #[serde(with = "time::json")]
    pub issued_at: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ahead: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "time::json::option")]
    pub called_at: Option<DateTime<FixedOffset>>,
    pub recalls: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<bool>,
}

/// One service on the kiosk's home screen (and as a second kiosk reads it back).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServiceStatus {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub open: bool,
    pub waiting: u32,
    pub estimated_wait_minutes: u32,
    /// Names of the counters serving it, as the kiosk lists them.
    pub counters: Vec<String>,
    /// While open: when the current dispensing window ends (a kiosk warns near it).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "time::json::option")]
    pub closes_at: Option<DateTime<FixedOffset>>,
    /// While closed: when dispensing opens next (today later, or a later working day), if within
    /// a month.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "time::json::option")]
    pub opens_at: Option<DateTime<FixedOffset>>,
    /// Why the centre is closed all day today (a holiday, a day given off, a holiday break).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_today: Option<String>,
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

/// The hall display's picture of the queue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueueOverview {
    pub services: Vec<QueueService>,
    pub counters: Vec<CounterNow>,
    /// The site's time (RFC 3339, site offset): a hall TV's own clock is often wrong or in UTC.
    #[serde(with = "time::json")]
    pub now: DateTime<FixedOffset>,
}

/// What issuing committed: the ticket, its place in the queue, the event to publish.
pub(super) struct Issued {
    pub ticket: Ticket,
    pub ahead: u32,
    pub estimated_wait_minutes: u32,
    pub event: Journaled,
}

/// The ticket as the API shows it.
pub(super) fn view(config: &Config, t: &Ticket, ahead: Option<u32>, estimated: Option<u32>) -> TicketView {
    let offset = config.centre.offset;
    TicketView {
        id: t.id.clone(),
        number: t.number.clone(),
        service: t.service.clone(),
        service_name: config.service(&t.service).map(|s| s.name_vi.clone()).unwrap_or_default(),
        priority: t.priority.clone(),
        status: t.status,
        issued_at: time::from_millis(offset, t.issued_at),
        ahead,
        estimated_wait_minutes: estimated,
        counter: t.counter,
        counter_name: t.counter.and_then(|n| config.counter(n)).map(|c| c.name.clone()),
        called_at: t.called_at.map(|ms| time::from_millis(offset, ms)),
        recalls: t.recalls,
        printed: t.printed,
    }
}

/// Estimated minutes for someone with `ahead` people before them in `service`'s queue on `day`.
pub(super) fn estimate(conn: &Conn, config: &Config, service: &str, day: &str, ahead: u32) -> Result<u32, StoreError> {
    let secs = tickets::recent_service_secs(conn, day, service)?.unwrap_or(config.queue.default_service_minutes as f64 * 60.0);
    let counters = config.counters_serving(service).len() as u32;
    Ok(queue::estimate_wait_minutes(ahead, secs, counters))
}

/// People waiting in `service`'s queue on `day`, and the wait of whoever comes next.
fn waiting_in(conn: &Conn, config: &Config, day: &str, service: &str) -> Result<(u32, u32), StoreError> {
    let waiting = tickets::waiting_count(conn, day, service)?;
    Ok((waiting, estimate(conn, config, service, day, waiting)?))
}

/// Issue a ticket for `service` at `now`, inside the writer's transaction.
/// `weekday` is whose windows today follows (`None`: closed all day; see [`Service::schedule`]);
/// `kiosk` the enrolled kiosk that dispenses and prints it (`None`: this service's own).
pub(super) fn issue_in(
    tx: &Conn,
    config: &Config,
    now: DateTime<FixedOffset>,
    weekday: Option<Weekday>,
    service: &str,
    priority: Option<&str>,
    dispenser: Dispenser<'_>,
) -> Result<Issued, ServiceError> {
    let def = config.service(service).ok_or_else(|| QueueError::UnknownService(service.to_string()))?;
    if let Some(p) = priority {
        config.priority(p).ok_or_else(|| QueueError::UnknownPriority(p.to_string()))?;
    }
    if !queue::is_dispensing(config.windows_for(def), &|_| weekday, now) {
        return Err(QueueError::ServiceClosed { service: service.to_string() }.into());
    }
    let day = day_key(now);
    let (last, issued) = tickets::issued_so_far(tx, &day, service)?;
    let seq = queue::next_sequence(last, issued, def.first_number, def.daily_cap)?;
    let number = queue::format_number(service, seq);
    let id = uuid::Uuid::new_v4().to_string();
    // Queue position: issue order across the whole day (the journal grows monotonically).
    let queue_pos = store::journal::last_seq(tx)? + 1;
    let printed = match dispenser {
        Dispenser::Unprinted => Some(false),
        Dispenser::Printer | Dispenser::Kiosk(_) => None,
    };
    let new = NewTicket {
        id: &id,
        day: &day,
        prefix: service,
        seq,
        number: &number,
        priority,
        queue_pos,
        issued_at: now.timestamp_millis(),
        printed,
    };
    tickets::insert(tx, &new)?;
    if let Dispenser::Kiosk(kiosk) = dispenser {
        tickets::set_kiosk(tx, &id, kiosk)?;
    }
    let ticket = tickets::get(tx, &id)?.ok_or(QueueError::UnknownTicket)?;
    // The new ticket has the day's highest queue position (the journal's next number), so every
    // other ticket queued for the service is ahead of it: one count, no pass comparing positions.
    let waiting = tickets::waiting_count(tx, &day, service)?;
    let ahead = waiting.saturating_sub(1);
    let estimated_wait_minutes = estimate(tx, config, &ticket.service, &day, ahead)?;
    let event = Event::TicketIssued(TicketIssued { number, service: service.to_string(), priority: priority.is_some(), waiting, at: now });
    let event = journal(tx, event, Place { day: &day, at: now, ticket_id: Some(&id), counter: None })?;
    Ok(Issued { ticket, ahead, estimated_wait_minutes, event })
}

/// Who puts a new ticket on paper, which decides what its print outcome is at the commit.
#[derive(Debug, Clone, Copy)]
pub(super) enum Dispenser<'a> {
    /// This service's printer: the outcome is written when the printer answers.
    Printer,
    /// No printer here: not printed, known before the commit, so written with the ticket.
    Unprinted,
    /// An enrolled kiosk with its own printer, which reports the outcome.
    Kiosk(&'a str),
}

/// A citizen's identity card, scanned at a kiosk when taking a number (issue 19).
#[derive(Debug, Clone, Default)]
pub struct CardScan {
    /// The card's QR text, as the scanner read it.
    pub qr: String,
    /// The holder, aged 60 or more, would rather not take the elderly priority.
    pub decline_priority: bool,
}

impl Service {
    /// The priority a ticket gets and the day's key of its holder's card, if one was scanned:
    /// the card is read here and dropped; only its key goes on.
    pub(super) fn read_card(
        &self,
        now: DateTime<FixedOffset>,
        priority: Option<&str>,
        card: Option<&CardScan>,
    ) -> Result<(Option<String>, Option<PersonKey>), ServiceError> {
        let Some(scan) = card else { return Ok((priority.map(str::to_string), None)) };
        let card = IdentityCard::parse(&nfc(&scan.qr))?;
        let person = card.person_key(&self.inner.identity_secret, &day_key(now));
        let by_age =
            self.config().identity.elderly_priority.clone().filter(|_| !scan.decline_priority && card.is_elderly_on(now.date_naive()));
        Ok((priority.map(str::to_string).or(by_age), Some(person)))
    }

    /// Issue a ticket inside the writer's transaction, counted against its holder's caps when a
    /// card was scanned (the count and the ticket commit together: two kiosks cannot both pass).
    pub(super) async fn issue_committed(
        &self,
        now: DateTime<FixedOffset>,
        service: &str,
        priority: Option<String>,
        person: Option<PersonKey>,
        kiosk: Option<&str>,
    ) -> Result<Issued, ServiceError> {
        let config = self.inner.config.clone();
        let weekday = self.schedule(now.date_naive());
        let (service, kiosk) = (service.to_string(), kiosk.map(str::to_string));
        let has_printer = self.inner.printer.is_some();
        self.store()
            .write(move |tx| {
                let day = day_key(now);
                if let Some(person) = &person {
                    let (in_service, today) = people::taken(tx, &day, &person.0, &service)?;
                    config.identity.caps.check(in_service, today)?;
                }
                let dispenser = match kiosk.as_deref() {
                    Some(kiosk) => Dispenser::Kiosk(kiosk),
                    None if has_printer => Dispenser::Printer,
                    None => Dispenser::Unprinted,
                };
                let issued = issue_in(tx, &config, now, weekday, &service, priority.as_deref(), dispenser)?;
                if let Some(person) = &person {
                    people::record(tx, &day, &person.0, &service)?;
                }
                Ok(issued)
            })
            .await
    }

    /// Issue a ticket: committed first, then announced, then printed. `printed` tells the truth.
    pub async fn issue(&self, service: &str, priority: Option<&str>) -> Result<TicketView, ServiceError> {
        self.issue_scanned(service, priority, None).await
    }

    /// [`Service::issue`] for a citizen who scanned their identity card: at most the configured
    /// numbers per person (409 `person_cap_reached`), the elderly priority from 60 unless declined.
    pub async fn issue_scanned(&self, service: &str, priority: Option<&str>, card: Option<&CardScan>) -> Result<TicketView, ServiceError> {
        let now = self.now();
        let (priority, person) = self.read_card(now, priority, card)?;
        let issued = self.issue_committed(now, service, priority, person, None).await?;
        self.publish(issued.event);
        let mut view = view(self.config(), &issued.ticket, Some(issued.ahead), Some(issued.estimated_wait_minutes));
        // No printer: "not printed" went in with the ticket (`Dispenser::Unprinted`).
        let Some(printer) = &self.inner.printer else {
            view.printed = Some(false);
            return Ok(view);
        };
        let printed = match printer.print(printer::Document::QueueTicket(paper::queue_ticket(self.config(), &view))).await {
            Ok(_) => true,
            Err(e) => {
                tracing::warn!(ticket = %view.number, error = %e, "ticket not printed; the kiosk shows the number");
                false
            }
        };
        let id = view.id.clone();
        // The ticket is already safe; a failure to record the print outcome must not undo it. The
        // outcome costs no fsync of its own: it is on the disk with the next commit or when the
        // writer is idle (`store::Store::write_soon`), so one ticket costs one fsync.
        if let Err(e) = self.store().write_soon(move |tx| tickets::set_printed(tx, &id, printed)).await {
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
            .store()
            .read(move |conn| {
                let Some(t) = tickets::get(conn, &id)? else { return Ok(None) };
                if t.status.is_queued() {
                    let ahead = tickets::ahead_of(conn, &t)?;
                    let est = estimate(conn, &config, &t.service, &t.day, ahead)?;
                    Ok(Some((t, Some(ahead), Some(est))))
                } else {
                    Ok(Some((t, None, None)))
                }
            })
            .await?
            .ok_or(QueueError::UnknownTicket)?;
        Ok(view(self.config(), &t, ahead, est))
    }

    /// The citizen holding the ticket gives it up while it still waits.
    pub async fn cancel(&self, id: &str) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let id = id.to_string();
        let (t, event) = self
            .store()
            .write(move |tx| {
                let mut t = tickets::get(tx, &id)?.ok_or(QueueError::UnknownTicket)?;
                t.status = queue::apply(t.status, Action::Cancel)?;
                let at = now.timestamp_millis();
                tickets::set_finished(tx, &t.id, TicketStatus::Cancelled, at)?;
                t.finished_at = Some(at);
                let event = Event::TicketCancelled(TicketCancelled { number: t.number.clone(), service: t.service.clone(), at: now });
                let event = journal(tx, event, Place { day: &t.day, at: now, ticket_id: Some(&t.id), counter: None })?;
                // Those behind it moved up: perhaps close enough for their SMS notice.
                super::notices::after_queue_change(tx, &config, now)?;
                Ok::<_, ServiceError>((t, event))
            })
            .await?;
        self.publish(event);
        self.notices_queued();
        Ok(view(self.config(), &t, None, None))
    }

    /// Whose dispensing windows `date` follows: none on a holiday, a day given off or any day of
    /// a holiday break (its Saturdays included); a weekday's on a make-up Saturday (làm bù);
    /// its own otherwise.
    pub fn schedule(&self, date: NaiveDate) -> Option<Weekday> {
        match self.inner.calendar.day_kind(date) {
            DayKind::Closed(_) => None,
            DayKind::MakeUp => Some(Weekday::Mon),
            DayKind::Working | DayKind::Rest => Some(date.weekday()),
        }
    }

    /// Each service with whether it dispenses now, people waiting and the estimated wait.
    pub async fn services(&self) -> Result<Vec<ServiceStatus>, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let closed_today = self.inner.calendar.holiday(now.date_naive()).map(|h| h.name);
        let service = self.clone();
        let schedule = move |date: NaiveDate| service.schedule(date);
        Ok(self
            .store()
            .read(move |conn| {
                let day = day_key(now);
                let mut out = Vec::new();
                for s in &config.services {
                    let (waiting, estimated_wait_minutes) = waiting_in(conn, &config, &day, &s.code)?;
                    let windows = config.windows_for(s);
                    let window = schedule(now.date_naive()).and_then(|weekday| queue::open_window(windows, weekday, now.time()));
                    out.push(ServiceStatus {
                        code: s.code.clone(),
                        name: s.name_vi.clone(),
                        name_en: s.name_en.clone(),
                        open: window.is_some(),
                        waiting,
                        estimated_wait_minutes,
                        counters: config.counter_names_serving(&s.code),
                        closes_at: window.and_then(|w| now.date_naive().and_time(w.end).and_local_timezone(*now.offset()).single()),
                        opens_at: if window.is_some() { None } else { queue::next_opening(windows, &schedule, now) },
                        closed_today: closed_today.clone(),
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
            .store()
            .read(move |conn| {
                let day = day_key(now);
                let mut services = Vec::new();
                for s in &config.services {
                    let (waiting, estimated_wait_minutes) = waiting_in(conn, &config, &day, &s.code)?;
                    services.push(QueueService { code: s.code.clone(), waiting, estimated_wait_minutes });
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
                Ok(QueueOverview { services, counters, now })
            })
            .await?)
    }

    /// Cancel tickets left queued on earlier days; run at start and after each midnight.
    pub async fn close_past_days(&self) -> Result<usize, StoreError> {
        let now = self.now();
        let today = day_key(now);
        let horizon = day_key(now - chrono::Duration::days(crate::notice::DOSSIER_NUMBER_DAYS));
        let closed = self
            .store()
            .write(move |tx| {
                // Yesterday's card keys, phone numbers and notices go with yesterday; a dossier's
                // number waits for its result, at most DOSSIER_NUMBER_DAYS (docs/PRIVACY.md).
                people::forget_before(tx, &today)?;
                crate::store::notices::forget_before(tx, &today, &horizon)?;
                tickets::close_past_days(tx, &today, now.timestamp_millis())
            })
            .await?;
        // No copy of what was deleted stays in the write-ahead log.
        if !self.store().checkpoint().await? {
            tracing::warn!("the database log could not be emptied at the rollover; it will be at the next checkpoint");
        }
        Ok(closed)
    }

    /// The id of today's ticket with this number (the latest, if it was issued twice across a
    /// restart of numbering — it cannot be within one day).
    pub async fn todays_ticket_id(&self, number: &str) -> Result<Option<String>, ServiceError> {
        let number = nfc(number.trim()).to_uppercase();
        let day = day_key(self.now());
        Ok(self.store().read(move |conn| tickets::id_by_number(conn, &day, &number)).await?)
    }
}
