//! Ticket commands and queries in SQL. Each command runs inside the writer's transaction, asks
//! the rules in [`crate::queue`] what to do, writes the change and its journal event together,
//! and returns the events to publish after the commit.

use chrono::{DateTime, FixedOffset, TimeZone};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::json;

use super::journal;
use super::StoreError;
use crate::config::{Config, TransferPosition};
use crate::events::Event;
use crate::queue::{self, Action, Candidate, QueueError, TicketStatus};

/// A queue position below every issued ticket: transfers to the front sort before new tickets,
/// in the order they were transferred.
const FRONT: i64 = -1_000_000_000_000;

/// A failed ticket command: the rules refused, or the disk did.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for TicketError {
    fn from(e: rusqlite::Error) -> Self {
        TicketError::Store(e.into())
    }
}

/// A ticket as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: String,
    pub day: String,
    pub number: String,
    pub issued_service: String,
    pub service: String,
    pub priority: Option<String>,
    pub status: TicketStatus,
    pub queue_pos: i64,
    pub counter: Option<u32>,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    pub serving_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub recalls: u32,
    pub transfers: u32,
    pub printed: Option<bool>,
}

const COLUMNS: &str = "id, day, number, prefix, service, priority, status, queue_pos, counter, issued_at, \
                       called_at, serving_at, finished_at, recalls, transfers, printed";

fn from_row(r: &Row) -> rusqlite::Result<Ticket> {
    let status: String = r.get(6)?;
    Ok(Ticket {
        id: r.get(0)?,
        day: r.get(1)?,
        number: r.get(2)?,
        issued_service: r.get(3)?,
        service: r.get(4)?,
        priority: r.get(5)?,
        status: TicketStatus::parse(&status).unwrap_or(TicketStatus::Cancelled),
        queue_pos: r.get(7)?,
        counter: r.get(8)?,
        issued_at: r.get(9)?,
        called_at: r.get(10)?,
        serving_at: r.get(11)?,
        finished_at: r.get(12)?,
        recalls: r.get(13)?,
        transfers: r.get(14)?,
        printed: r.get(15)?,
    })
}

/// Local day key of an instant.
pub fn day_key(at: DateTime<FixedOffset>) -> String {
    queue::service_day(at).format("%Y-%m-%d").to_string()
}

/// RFC 3339 in the site's offset, as the API returns times.
pub fn rfc3339(ms: i64, offset: FixedOffset) -> String {
    offset.timestamp_millis_opt(ms).single().map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)).unwrap_or_default()
}

/// What issuing returns: the committed ticket and its place in the queue.
#[derive(Debug, Clone)]
pub struct Issued {
    pub ticket: Ticket,
    pub ahead: u32,
    pub estimated_wait_minutes: u32,
    pub event: Event,
}

/// Issue a ticket for `service` at `now`.
pub fn issue(
    tx: &Connection,
    config: &Config,
    now: DateTime<FixedOffset>,
    service: &str,
    priority: Option<&str>,
) -> Result<Issued, TicketError> {
    let def = config.service(service).ok_or_else(|| QueueError::UnknownService(service.to_string()))?;
    if let Some(p) = priority {
        config.priority(p).ok_or_else(|| QueueError::UnknownPriority(p.to_string()))?;
    }
    if !queue::is_dispensing(config.windows_for(def), now) {
        return Err(QueueError::ServiceClosed { service: service.to_string() }.into());
    }
    let day = day_key(now);
    let (last, issued): (Option<u32>, u32) =
        tx.query_row("SELECT MAX(seq), COUNT(*) FROM tickets WHERE day = ?1 AND prefix = ?2", params![day, service], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let seq = queue::next_sequence(last, issued, def.first_number, def.daily_cap)?;
    let number = queue::format_number(service, seq);
    let id = uuid::Uuid::new_v4().to_string();
    let at = now.timestamp_millis();
    // Queue position: issue order across the whole day (the journal grows monotonically).
    let pos = journal::last_seq(tx)? + 1;
    tx.execute(
        "INSERT INTO tickets (id, day, prefix, seq, number, service, priority, status, queue_pos, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6, 'waiting', ?7, ?8)",
        params![id, day, service, seq, number, priority, pos, at],
    )?;
    let ticket = get(tx, &id)?.ok_or(QueueError::UnknownTicket)?;
    let ahead = ahead_of(tx, &ticket)?;
    let estimated_wait_minutes = estimate(tx, config, &ticket.service, &day, ahead)?;
    let waiting = waiting_count(tx, &day, service)?;
    let event = journal::append(
        tx,
        at,
        &day,
        "ticket_issued",
        Some(&id),
        None,
        json!({"number": number, "service": service, "priority": priority.is_some(), "waiting": waiting, "at": rfc3339(at, config.centre.offset)}),
    )?;
    Ok(Issued { ticket, ahead, estimated_wait_minutes, event })
}

/// The ticket with this id.
pub fn get(conn: &Connection, id: &str) -> Result<Option<Ticket>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], from_row).optional()?)
}

/// The counter's current ticket (called or being served) today.
pub fn current_of(conn: &Connection, day: &str, counter: u32) -> Result<Option<Ticket>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets WHERE day = ?1 AND counter = ?2 AND status IN ('called', 'serving')
         ORDER BY called_at DESC LIMIT 1"
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![day, counter], from_row).optional()?)
}

/// How many queued tickets of the same queue would be called before this one.
pub fn ahead_of(conn: &Connection, t: &Ticket) -> Result<u32, StoreError> {
    if !t.status.is_queued() {
        return Ok(0);
    }
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE day = ?1 AND service = ?2 AND status IN ('waiting', 'transferred')
           AND queue_pos < ?3",
        params![t.day, t.service, t.queue_pos],
        |r| r.get(0),
    )?)
}

pub fn waiting_count(conn: &Connection, day: &str, service: &str) -> Result<u32, StoreError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE day = ?1 AND service = ?2 AND status IN ('waiting', 'transferred')",
        params![day, service],
        |r| r.get(0),
    )?)
}

/// Mean service seconds of the last 20 tickets finished today in this queue.
pub fn recent_service_secs(conn: &Connection, day: &str, service: &str) -> Result<Option<f64>, StoreError> {
    Ok(conn.query_row(
        "SELECT AVG(d) / 1000.0 FROM (SELECT finished_at - called_at AS d FROM tickets
           WHERE day = ?1 AND service = ?2 AND status = 'done' AND called_at IS NOT NULL
           ORDER BY finished_at DESC LIMIT 20)",
        params![day, service],
        |r| r.get(0),
    )?)
}

/// Estimated minutes for someone with `ahead` people before them in `service`'s queue.
pub fn estimate(conn: &Connection, config: &Config, service: &str, day: &str, ahead: u32) -> Result<u32, StoreError> {
    let secs = recent_service_secs(conn, day, service)?.unwrap_or(config.queue.default_service_minutes as f64 * 60.0);
    let counters = config.counters_serving(service).len() as u32;
    Ok(queue::estimate_wait_minutes(ahead, secs, counters))
}

fn counter_name(config: &Config, counter: u32) -> String {
    config.counter(counter).map(|c| c.name.clone()).unwrap_or_else(|| format!("Quầy số {counter:02}"))
}

fn counter_event(
    tx: &Connection,
    config: &Config,
    name: &'static str,
    t: &Ticket,
    counter: u32,
    at: i64,
    extra: serde_json::Value,
) -> Result<Event, StoreError> {
    let mut data = json!({
        "number": t.number,
        "service": t.service,
        "counter": counter,
        "counter_name": counter_name(config, counter),
        "at": rfc3339(at, config.centre.offset),
    });
    if let (Some(d), Some(e)) = (data.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    journal::append(tx, at, &t.day, name, Some(&t.id), Some(counter), data)
}

fn require_counter(config: &Config, counter: u32) -> Result<(), QueueError> {
    config.counter(counter).map(|_| ()).ok_or(QueueError::UnknownCounter(counter))
}

/// Call the next citizen for `counter`: only the services it serves, by the ordering rule.
pub fn call_next(
    tx: &Connection,
    config: &Config,
    now: DateTime<FixedOffset>,
    counter: u32,
    officer: Option<&str>,
) -> Result<Option<(Ticket, Event)>, TicketError> {
    require_counter(config, counter)?;
    let day = day_key(now);
    if let Some(current) = current_of(tx, &day, counter)? {
        return Err(QueueError::TicketInProgress { number: current.number }.into());
    }
    let services = &config.counter(counter).expect("checked").services;
    let placeholders = vec!["?"; services.len()].join(",");
    let sql = format!(
        "SELECT {COLUMNS} FROM tickets WHERE day = ? AND status IN ('waiting', 'transferred') AND service IN ({placeholders})
         ORDER BY queue_pos"
    );
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&day];
    args.extend(services.iter().map(|s| s as &dyn rusqlite::ToSql));
    let queued: Vec<Ticket> = tx.prepare_cached(&sql)?.query_map(args.as_slice(), from_row)?.collect::<Result<_, _>>()?;
    let candidates: Vec<Candidate> = queued.iter().map(|t| Candidate { priority: t.priority.is_some(), queue_pos: t.queue_pos }).collect();
    let streak: u32 =
        tx.query_row("SELECT normal_streak FROM counter_state WHERE counter = ?1", [counter], |r| r.get(0)).optional()?.unwrap_or(0);
    let Some(i) = queue::choose_next(&candidates, config.queue.ordering, streak) else {
        return Ok(None);
    };
    let mut t = queued[i].clone();
    t.status = queue::apply(t.status, Action::Call)?;
    let at = now.timestamp_millis();
    tx.execute(
        "UPDATE tickets SET status = 'called', counter = ?2, called_at = ?3, officer = ?4 WHERE id = ?1",
        params![t.id, counter, at, officer],
    )?;
    let new_streak = if t.priority.is_some() { 0 } else { streak + 1 };
    tx.execute(
        "INSERT INTO counter_state (counter, normal_streak) VALUES (?1, ?2)
         ON CONFLICT (counter) DO UPDATE SET normal_streak = excluded.normal_streak",
        params![counter, new_streak],
    )?;
    t.counter = Some(counter);
    t.called_at = Some(at);
    let event = counter_event(tx, config, "ticket_called", &t, counter, at, json!({}))?;
    Ok(Some((t, event)))
}

/// Act on the counter's current ticket.
pub fn act(
    tx: &Connection,
    config: &Config,
    now: DateTime<FixedOffset>,
    counter: u32,
    action: Action,
) -> Result<(Ticket, Event), TicketError> {
    require_counter(config, counter)?;
    let day = day_key(now);
    let mut t = current_of(tx, &day, counter)?.ok_or(QueueError::NoCurrentTicket)?;
    t.status = queue::apply(t.status, action)?;
    let at = now.timestamp_millis();
    let name = match action {
        Action::Recall => {
            tx.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = ?1", [&t.id])?;
            t.recalls += 1;
            "ticket_recalled"
        }
        Action::StartServing => {
            tx.execute("UPDATE tickets SET status = 'serving', serving_at = ?2 WHERE id = ?1", params![t.id, at])?;
            t.serving_at = Some(at);
            "ticket_serving"
        }
        Action::Finish => {
            tx.execute("UPDATE tickets SET status = 'done', finished_at = ?2 WHERE id = ?1", params![t.id, at])?;
            t.finished_at = Some(at);
            "ticket_done"
        }
        Action::NoShow => {
            tx.execute("UPDATE tickets SET status = 'no_show', finished_at = ?2 WHERE id = ?1", params![t.id, at])?;
            t.finished_at = Some(at);
            "ticket_no_show"
        }
        Action::Call | Action::Transfer | Action::Cancel => unreachable!("not a counter action on the current ticket"),
    };
    let extra = if action == Action::Recall { json!({"recalls": t.recalls}) } else { json!({}) };
    let event = counter_event(tx, config, name, &t, counter, at, extra)?;
    Ok((t, event))
}

/// Send the counter's current ticket to another service's queue; it keeps its number.
pub fn transfer(
    tx: &Connection,
    config: &Config,
    now: DateTime<FixedOffset>,
    counter: u32,
    to_service: &str,
    position: Option<TransferPosition>,
) -> Result<(Ticket, Event), TicketError> {
    require_counter(config, counter)?;
    config.service(to_service).ok_or_else(|| QueueError::UnknownService(to_service.to_string()))?;
    let day = day_key(now);
    let mut t = current_of(tx, &day, counter)?.ok_or(QueueError::NoCurrentTicket)?;
    if t.service == to_service {
        return Err(QueueError::SameService(to_service.to_string()).into());
    }
    t.status = queue::apply(t.status, Action::Transfer)?;
    let at = now.timestamp_millis();
    let next_seq = journal::last_seq(tx)? + 1;
    let pos = match position.unwrap_or(config.queue.transfer_position) {
        TransferPosition::Front => FRONT + next_seq,
        TransferPosition::Back => next_seq,
    };
    let from = std::mem::replace(&mut t.service, to_service.to_string());
    tx.execute(
        "UPDATE tickets SET status = 'transferred', service = ?2, queue_pos = ?3, counter = NULL,
                called_at = NULL, serving_at = NULL, transfers = transfers + 1 WHERE id = ?1",
        params![t.id, to_service, pos],
    )?;
    t.queue_pos = pos;
    t.counter = None;
    t.called_at = None;
    t.serving_at = None;
    t.transfers += 1;
    let event = counter_event(tx, config, "ticket_transferred", &t, counter, at, json!({"from": from, "to": to_service}))?;
    Ok((t, event))
}

/// A citizen gives up a ticket that is still queued.
pub fn cancel(tx: &Connection, config: &Config, now: DateTime<FixedOffset>, id: &str) -> Result<(Ticket, Event), TicketError> {
    let mut t = get(tx, id)?.ok_or(QueueError::UnknownTicket)?;
    t.status = queue::apply(t.status, Action::Cancel)?;
    let at = now.timestamp_millis();
    tx.execute("UPDATE tickets SET status = 'cancelled', finished_at = ?2 WHERE id = ?1", params![t.id, at])?;
    t.finished_at = Some(at);
    let event = journal::append(
        tx,
        at,
        &t.day,
        "ticket_cancelled",
        Some(&t.id),
        None,
        json!({"number": t.number, "service": t.service, "at": rfc3339(at, config.centre.offset)}),
    )?;
    Ok((t, event))
}

/// Record whether the ticket's print job succeeded.
pub fn set_printed(tx: &Connection, id: &str, printed: bool) -> Result<(), StoreError> {
    tx.execute("UPDATE tickets SET printed = ?2 WHERE id = ?1", params![id, printed])?;
    Ok(())
}

/// Tickets of days before `today` that never reached a counter end cancelled: numbers restart
/// every day, so yesterday's A025 must not be called today.
pub fn close_past_days(tx: &Connection, today: &str, now_ms: i64) -> Result<usize, StoreError> {
    Ok(tx.execute(
        "UPDATE tickets SET status = 'cancelled', finished_at = ?2
          WHERE day < ?1 AND status IN ('waiting', 'transferred', 'called', 'serving')",
        params![today, now_ms],
    )?)
}

/// The current ticket number of each counter today.
pub fn counters_current(conn: &Connection, day: &str) -> Result<Vec<(u32, String)>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT counter, number FROM tickets WHERE day = ?1 AND status IN ('called', 'serving') AND counter IS NOT NULL")?;
    let rows = stmt.query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
