//! Ratings in SQL: the chain's next link is computed and signed inside the writer's
//! transaction (one writer, so the chain never forks), the rating and its outbox entry are
//! written together, and the sync task reads batches from the outbox and removes what the
//! central service acknowledged.

use super::{exec, row};
use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;
use crate::rating::{Columns, Link, ZERO_HASH};

/// Where the chain ends: the last sequence number and its hash.
pub fn chain_head(conn: &Connection) -> Result<(i64, String), StoreError> {
    Ok(row(conn, "SELECT seq, hash FROM ratings ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, ZERO_HASH.to_string())))
}

pub fn rated_ticket(conn: &Connection, ticket_id: &str) -> Result<bool, StoreError> {
    Ok(row(conn, "SELECT EXISTS (SELECT 1 FROM ratings WHERE ticket_id = ?1)", [ticket_id], |r| r.get(0))?)
}

pub fn rated_dossier(conn: &Connection, code: &str) -> Result<bool, StoreError> {
    Ok(row(conn, "SELECT EXISTS (SELECT 1 FROM ratings WHERE dossier_code = ?1)", [code], |r| r.get(0))?)
}

/// What is stored beside the link, for the centre's own figures.
pub struct Indexed<'a> {
    pub ticket_id: Option<&'a str>,
    pub dossier_code: Option<&'a str>,
    pub official: &'a str,
    pub counter: Option<u32>,
    pub service: Option<&'a str>,
    pub procedure: Option<&'a str>,
    pub rated_at: i64,
}

/// Append a link and queue it for the central service.
pub fn append(tx: &Connection, link: &Link, ix: &Indexed) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO ratings (seq, id, ticket_id, dossier_code, official, counter, service, procedure, rated_at,
                              prev_hash, hash, signature, record_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            link.seq,
            link.id,
            ix.ticket_id,
            ix.dossier_code,
            ix.official,
            ix.counter,
            ix.service,
            ix.procedure,
            ix.rated_at,
            link.prev_hash,
            link.hash,
            link.signature,
            link.record_json
        ],
    )?;
    exec(tx, "INSERT INTO outbox (rating_seq, queued_at) VALUES (?1, ?2)", params![link.seq, ix.rated_at])?;
    Ok(())
}

fn links(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Link>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(p, |r| {
        Ok(Link { seq: r.get(0)?, id: r.get(1)?, prev_hash: r.get(2)?, hash: r.get(3)?, signature: r.get(4)?, record_json: r.get(5)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The whole chain, oldest first.
pub fn all_links(conn: &Connection) -> Result<Vec<Link>, StoreError> {
    links(conn, "SELECT seq, id, prev_hash, hash, signature, record_json FROM ratings ORDER BY seq", [])
}

/// The indexed columns of every rating, in chain order (what `verify-ratings` compares).
pub fn all_columns(conn: &Connection) -> Result<Vec<Columns>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT seq, ticket_id, dossier_code, official, counter, service, procedure, rated_at FROM ratings ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok(Columns {
            seq: r.get(0)?,
            ticket_id: r.get(1)?,
            dossier_code: r.get(2)?,
            official: r.get(3)?,
            counter: r.get(4)?,
            service: r.get(5)?,
            procedure: r.get(6)?,
            rated_at_ms: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Links of the chain from `from_seq` on, whether or not still in the outbox: what the central
/// service asks for when it lost ratings it had acknowledged (restored from a backup).
pub fn chain_from(conn: &Connection, from_seq: i64, limit: usize) -> Result<Vec<Link>, StoreError> {
    links(
        conn,
        "SELECT seq, id, prev_hash, hash, signature, record_json FROM ratings WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
        params![from_seq, limit as i64],
    )
}

/// The oldest ratings still waiting for the central service, from `from_seq` on.
pub fn pending(conn: &Connection, from_seq: i64, limit: usize) -> Result<Vec<Link>, StoreError> {
    links(
        conn,
        "SELECT r.seq, r.id, r.prev_hash, r.hash, r.signature, r.record_json
           FROM outbox o JOIN ratings r ON r.seq = o.rating_seq WHERE r.seq >= ?1 ORDER BY r.seq LIMIT ?2",
        params![from_seq, limit as i64],
    )
}

pub fn pending_count(conn: &Connection) -> Result<u32, StoreError> {
    Ok(row(conn, "SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?)
}

/// When the oldest rating still waiting was queued (unix milliseconds), if any waits.
pub fn oldest_pending_at(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(row(conn, "SELECT MIN(queued_at) FROM outbox", [], |r| r.get(0))?)
}

/// Remove acknowledged ratings from the outbox and record the success.
pub fn acknowledge(tx: &Connection, ids: &[String], at_ms: i64) -> Result<usize, StoreError> {
    let mut n = 0;
    for id in ids {
        n += exec(tx, "DELETE FROM outbox WHERE rating_seq = (SELECT seq FROM ratings WHERE id = ?1)", [id])?;
    }
    exec(
        tx,
        "INSERT INTO sync_state (id, last_success_at, last_error, failures) VALUES (1, ?1, NULL, 0)
         ON CONFLICT (id) DO UPDATE SET last_success_at = excluded.last_success_at, last_error = NULL, failures = 0",
        [at_ms],
    )?;
    Ok(n)
}

/// Record a failed push.
pub fn record_failure(tx: &Connection, error: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO sync_state (id, last_error, failures) VALUES (1, ?1, 1)
         ON CONFLICT (id) DO UPDATE SET last_error = excluded.last_error, failures = failures + 1",
        [error],
    )?;
    Ok(())
}

/// (last success, last error, consecutive failures).
pub fn sync_state(conn: &Connection) -> Result<(Option<i64>, Option<String>, u32), StoreError> {
    Ok(row(conn, "SELECT last_success_at, last_error, failures FROM sync_state WHERE id = 1", [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .optional()?
    .unwrap_or((None, None, 0)))
}
