//! The append-only journal: every change to a ticket is written as an event in the same
//! transaction as the change. SSE clients that reconnect replay it, and the day's figures are
//! computed from it rather than kept as counters that could drift.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::StoreError;
use crate::events::Event;

/// Append an event; returns it with its journal sequence number.
pub fn append(
    tx: &Connection,
    at_ms: i64,
    day: &str,
    name: &'static str,
    ticket_id: Option<&str>,
    counter: Option<u32>,
    data: serde_json::Value,
) -> Result<Event, StoreError> {
    tx.execute(
        "INSERT INTO journal (at, day, kind, ticket_id, counter, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at_ms, day, name, ticket_id, counter, data.to_string()],
    )?;
    Ok(Event { seq: tx.last_insert_rowid(), name: name.to_string(), data })
}

/// Events after `seq` (oldest first, at most `limit`), for a client that reconnects.
pub fn since(conn: &Connection, seq: i64, limit: usize) -> Result<Vec<Event>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT seq, kind, data FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(params![seq, limit as i64], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, name, data) = row?;
        let data = serde_json::from_str(&data).map_err(|e| StoreError(format!("journal entry {seq} is not JSON: {e}")))?;
        out.push(Event { seq, name, data });
    }
    Ok(out)
}

/// The newest journal sequence number (0 for an empty journal).
pub fn last_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT MAX(seq) FROM journal", [], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten().unwrap_or(0))
}

/// The latest time any event was recorded (unix ms), if any: what the clock check compares with.
pub fn latest_at(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.query_row("SELECT MAX(at) FROM journal", [], |r| r.get(0))?)
}

/// The day's figures, derived from the journal.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DayFigures {
    pub day: String,
    pub issued: u32,
    pub called: u32,
    pub recalled: u32,
    pub done: u32,
    pub no_show: u32,
    pub transferred: u32,
    pub cancelled: u32,
    /// Mean minutes from issue to first call, over tickets called today.
    pub average_wait_minutes: Option<f64>,
    /// Mean minutes from call to finish, over tickets finished today.
    pub average_service_minutes: Option<f64>,
}

pub fn day_figures(conn: &Connection, day: &str) -> Result<DayFigures, StoreError> {
    let mut f = DayFigures { day: day.to_string(), ..Default::default() };
    let mut stmt = conn.prepare_cached("SELECT kind, COUNT(*) FROM journal WHERE day = ?1 GROUP BY kind")?;
    let rows = stmt.query_map([day], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
    for row in rows {
        let (kind, n) = row?;
        match kind.as_str() {
            "ticket_issued" => f.issued = n,
            "ticket_called" => f.called = n,
            "ticket_recalled" => f.recalled = n,
            "ticket_done" => f.done = n,
            "ticket_no_show" => f.no_show = n,
            "ticket_transferred" => f.transferred = n,
            "ticket_cancelled" => f.cancelled = n,
            _ => {}
        }
    }
    // Waiting time: first call of each ticket minus its issue event.
    f.average_wait_minutes = conn.query_row(
        "SELECT AVG(c.at - i.at) / 60000.0 FROM journal i
           JOIN (SELECT ticket_id, MIN(at) AS at FROM journal WHERE day = ?1 AND kind = 'ticket_called' GROUP BY ticket_id) c
             ON c.ticket_id = i.ticket_id
          WHERE i.day = ?1 AND i.kind = 'ticket_issued'",
        [day],
        |r| r.get::<_, Option<f64>>(0),
    )?;
    // Service time: finish minus the last call before it.
    f.average_service_minutes = conn.query_row(
        "SELECT AVG(d.at - (SELECT MAX(c.at) FROM journal c
                             WHERE c.ticket_id = d.ticket_id AND c.kind = 'ticket_called' AND c.at <= d.at)) / 60000.0
           FROM journal d WHERE d.day = ?1 AND d.kind = 'ticket_done'",
        [day],
        |r| r.get::<_, Option<f64>>(0),
    )?;
    Ok(f)
}
