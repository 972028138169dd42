//! The append-only journal: every change is written as an entry (its kind, its JSON body) in the
//! same transaction as the change. SSE clients that reconnect replay it, and the day's figures
//! are computed from it rather than kept as counters that could drift. The store keeps entries
//! as text; what they mean is `crate::events`'s business.

use super::{exec, row};
use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;

/// An entry to append.
pub struct NewEntry<'a> {
    pub at_ms: i64,
    pub day: &'a str,
    pub kind: &'a str,
    pub ticket_id: Option<&'a str>,
    pub counter: Option<u32>,
    pub data: &'a str,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub seq: i64,
    pub kind: String,
    pub data: String,
}

/// Append an entry; returns its sequence number.
pub fn append(tx: &Connection, e: &NewEntry) -> Result<i64, StoreError> {
    exec(
        tx,
        "INSERT INTO journal (at, day, kind, ticket_id, counter, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![e.at_ms, e.day, e.kind, e.ticket_id, e.counter, e.data],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Entries after `seq` (oldest first, at most `limit`), for a client that reconnects.
pub fn since(conn: &Connection, seq: i64, limit: usize) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT seq, kind, data FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let rows = stmt.query_map(params![seq, limit as i64], |r| Ok(Entry { seq: r.get(0)?, kind: r.get(1)?, data: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The entries of `kinds` on `day`, oldest first.
pub fn of_kinds(conn: &Connection, day: &str, kinds: &[&str]) -> Result<Vec<Entry>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT seq, kind, data FROM journal WHERE day = ?1 AND kind IN (SELECT value FROM json_each(?2)) ORDER BY seq")?;
    let kinds = serde_json::to_string(kinds).map_err(|e| StoreError(e.to_string()))?;
    let rows = stmt.query_map(params![day, kinds], |r| Ok(Entry { seq: r.get(0)?, kind: r.get(1)?, data: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The newest journal sequence number (0 for an empty journal).
pub fn last_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(row(conn, "SELECT MAX(seq) FROM journal", [], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten().unwrap_or(0))
}

/// The latest time any entry was recorded (unix ms), if any: what the clock check compares with.
pub fn latest_at(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(row(conn, "SELECT MAX(at) FROM journal", [], |r| r.get(0))?)
}

/// How many entries of each kind `day` has.
pub fn kind_counts(conn: &Connection, day: &str) -> Result<Vec<(String, u32)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT kind, COUNT(*) FROM journal WHERE day = ?1 GROUP BY kind")?;
    let rows = stmt.query_map([day], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Mean minutes from each ticket's `start` entry to its first `end` entry on `day` (the wait:
/// issued → first called).
pub fn mean_minutes_to_first(conn: &Connection, day: &str, start: &str, end: &str) -> Result<Option<f64>, StoreError> {
    Ok(row(
        conn,
        "SELECT AVG(c.at - i.at) / 60000.0 FROM journal i
           JOIN (SELECT ticket_id, MIN(at) AS at FROM journal WHERE day = ?1 AND kind = ?3 GROUP BY ticket_id) c
             ON c.ticket_id = i.ticket_id
          WHERE i.day = ?1 AND i.kind = ?2",
        params![day, start, end],
        |r| r.get::<_, Option<f64>>(0),
    )?)
}

/// Mean minutes from the last `start` entry before each `end` entry of `day` (the service:
/// last called → done).
pub fn mean_minutes_from_last(conn: &Connection, day: &str, start: &str, end: &str) -> Result<Option<f64>, StoreError> {
    Ok(row(
        conn,
        "SELECT AVG(d.at - (SELECT MAX(c.at) FROM journal c
                             WHERE c.ticket_id = d.ticket_id AND c.kind = ?2 AND c.at <= d.at)) / 60000.0
           FROM journal d WHERE d.day = ?1 AND d.kind = ?3",
        params![day, start, end],
        |r| r.get::<_, Option<f64>>(0),
    )?)
}
