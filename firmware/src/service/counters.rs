//! A counter's work on its queue: call the next citizen (only the services it serves, by the
//! ordering rule), recall, start serving, finish, mark no-show, or send the ticket to another
//! service's queue. Each is one transaction with its journal event.

use chrono::{DateTime, FixedOffset};

use super::tickets::{view, TicketView};
use super::{journal, notices, Place, Service, ServiceError};
use crate::config::Config;
use crate::events::{AtCounter, Event, Journaled, Recalled, Transferred};
use crate::queue::{self, Action, Candidate, QueueError, TicketStatus, TransferPosition};
use crate::store::tickets::{self, Ticket};
use crate::store::{self, Conn};
use crate::time::day_key;

fn require_counter(config: &Config, counter: u32) -> Result<(), QueueError> {
    config.counter(counter).map(|_| ()).ok_or(QueueError::UnknownCounter(counter))
}

fn at_counter(config: &Config, t: &Ticket, counter: u32, now: DateTime<FixedOffset>) -> AtCounter {
    AtCounter { number: t.number.clone(), service: t.service.clone(), counter, counter_name: config.counter_name(counter), at: now }
}

fn record(tx: &Conn, event: Event, t: &Ticket, counter: u32, now: DateTime<FixedOffset>) -> Result<Journaled, store::StoreError> {
    journal(tx, event, Place { day: &t.day, at: now, ticket_id: Some(&t.id), counter: Some(counter) })
}

/// Call the next citizen for `counter`, inside the writer's transaction.
fn call_next_in(
    tx: &Conn,
    config: &Config,
    now: DateTime<FixedOffset>,
    counter: u32,
    officer: Option<&str>,
) -> Result<Option<(Ticket, Journaled)>, ServiceError> {
    require_counter(config, counter)?;
    let day = day_key(now);
    if let Some(current) = tickets::current_of(tx, &day, counter)? {
        return Err(QueueError::TicketInProgress { number: current.number }.into());
    }
    let services = &config.counter(counter).expect("checked").services;
    let queued = tickets::queued_in(tx, &day, services)?;
    let candidates: Vec<Candidate> = queued.iter().map(|t| Candidate { priority: t.priority.is_some(), queue_pos: t.queue_pos }).collect();
    let streak = tickets::normal_streak(tx, counter)?;
    let Some(i) = queue::choose_next(&candidates, config.queue.ordering, streak) else {
        return Ok(None);
    };
    let mut t = queued[i].clone();
    t.status = queue::apply(t.status, Action::Call)?;
    let at = now.timestamp_millis();
    tickets::set_called(tx, &t.id, counter, at, officer)?;
    tickets::set_normal_streak(tx, counter, if t.priority.is_some() { 0 } else { streak + 1 })?;
    t.counter = Some(counter);
    t.called_at = Some(at);
    let event = record(tx, Event::TicketCalled(at_counter(config, &t, counter, now)), &t, counter, now)?;
    // SMS notices, committed with the call: this ticket's "called", and "approaching" for those
    // who moved up.
    notices::on_called(tx, config, now, &t, counter)?;
    notices::after_queue_change(tx, config, now)?;
    Ok(Some((t, event)))
}

/// Act on the counter's current ticket, inside the writer's transaction.
fn act_in(
    tx: &Conn,
    config: &Config,
    now: DateTime<FixedOffset>,
    counter: u32,
    action: Action,
) -> Result<(Ticket, Journaled), ServiceError> {
    require_counter(config, counter)?;
    let day = day_key(now);
    let mut t = tickets::current_of(tx, &day, counter)?.ok_or(QueueError::NoCurrentTicket)?;
    t.status = queue::apply(t.status, action)?;
    let at = now.timestamp_millis();
    match action {
        Action::Recall => {
            tickets::add_recall(tx, &t.id)?;
            t.recalls += 1;
        }
        Action::StartServing => {
            tickets::set_serving(tx, &t.id, at)?;
            t.serving_at = Some(at);
        }
        Action::Finish | Action::NoShow => {
            tickets::set_finished(tx, &t.id, t.status, at)?;
            t.finished_at = Some(at);
        }
        Action::Call | Action::Transfer | Action::Cancel => unreachable!("not a counter action on the current ticket"),
    }
    let call = at_counter(config, &t, counter, now);
    let event = match action {
        Action::Recall => Event::TicketRecalled(Recalled { call, recalls: t.recalls }),
        Action::StartServing => Event::TicketServing(call),
        Action::Finish => Event::TicketDone(call),
        _ => Event::TicketNoShow(call),
    };
    let event = record(tx, event, &t, counter, now)?;
    Ok((t, event))
}

/// Send the counter's current ticket to another service's queue; it keeps its number.
fn transfer_in(
    tx: &Conn,
    config: &Config,
    now: DateTime<FixedOffset>,
    counter: u32,
    to_service: &str,
    position: Option<TransferPosition>,
) -> Result<(Ticket, Journaled), ServiceError> {
    require_counter(config, counter)?;
    config.service(to_service).ok_or_else(|| QueueError::UnknownService(to_service.to_string()))?;
    let day = day_key(now);
    let mut t = tickets::current_of(tx, &day, counter)?.ok_or(QueueError::NoCurrentTicket)?;
    if t.service == to_service {
        return Err(QueueError::SameService(to_service.to_string()).into());
    }
    t.status = queue::apply(t.status, Action::Transfer)?;
    debug_assert_eq!(t.status, TicketStatus::Transferred);
    let order = store::journal::last_seq(tx)? + 1;
    let pos = queue::queue_position(order, position.unwrap_or(config.queue.transfer_position));
    let from = std::mem::replace(&mut t.service, to_service.to_string());
    tickets::set_transferred(tx, &t.id, to_service, pos)?;
    t.queue_pos = pos;
    t.counter = None;
    t.called_at = None;
    t.serving_at = None;
    t.transfers += 1;
    let event = Transferred { call: at_counter(config, &t, counter, now), from, to: to_service.to_string() };
    let event = record(tx, Event::TicketTransferred(event), &t, counter, now)?;
    // The ticket waits again in another queue, perhaps close to its turn.
    notices::after_queue_change(tx, config, now)?;
    Ok((t, event))
}

impl Service {
    pub async fn call_next(&self, counter: u32, officer: Option<String>) -> Result<Option<TicketView>, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let called = self.store().write(move |tx| call_next_in(tx, &config, now, counter, officer.as_deref())).await?;
        self.notices_queued();
        Ok(called.map(|(t, event)| {
            self.publish(event);
            view(self.config(), &t, None, None)
        }))
    }

    /// Recall, start serving, finish or no-show on the counter's current ticket.
    pub async fn act(&self, counter: u32, action: Action) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let (t, event) = self.store().write(move |tx| act_in(tx, &config, now, counter, action)).await?;
        self.publish(event);
        Ok(view(self.config(), &t, None, None))
    }

    pub async fn transfer(&self, counter: u32, to: &str, position: Option<TransferPosition>) -> Result<TicketView, ServiceError> {
        let config = self.inner.config.clone();
        let now = self.now();
        let to = to.to_string();
        let (t, event) = self.store().write(move |tx| transfer_in(tx, &config, now, counter, &to, position)).await?;
        self.publish(event);
        self.notices_queued();
        self.ticket(&t.id).await
    }

    /// The ticket this counter finished last today, for a rating button beside the counter.
    pub async fn last_finished_ticket(&self, counter: u32) -> Result<Option<String>, ServiceError> {
        let day = day_key(self.now());
        Ok(self.store().read(move |conn| tickets::last_finished_at(conn, &day, counter)).await?)
    }
}
