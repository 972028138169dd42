//! Notices in SQL: who asked to be told (a ticket's or a dossier's phone number, for the day) and
//! the durable outbox of notices to send. A notice is queued in the same transaction as the
//! change that triggers it, at most once per kind and subscription (a column per kind); the
//! sender task (`sync::notices`) reads the outbox. Phone numbers leave a row as soon as its
//! notice is sent or given up, and every row of a past day is deleted at the rollover
//! (docs/PRIVACY.md; `secure_delete` overwrites them).

use rusqlite::{params, Connection, OptionalExtension};

use super::{exec, StoreError};

/// What a subscription is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// A ticket, by its (secret) id.
    Ticket(&'a str),
    /// A dossier, by its compact code.
    Dossier(&'a str),
}

/// Subscribe `phone` (normalised, `84…`) to the notices of `subject` on `day`; a second
/// subscription replaces the phone but keeps what was already queued (one notice of each kind).
pub fn subscribe(tx: &Connection, day: &str, subject: Subject, phone: &str) -> Result<(), StoreError> {
    let (ticket, dossier) = match subject {
        Subject::Ticket(t) => (Some(t), None),
        Subject::Dossier(d) => (None, Some(d)),
    };
    let updated =
        exec(tx, "UPDATE notice_subscriptions SET phone = ?3 WHERE ticket_id IS ?1 AND dossier IS ?2", params![ticket, dossier, phone])?;
    if updated == 0 {
        exec(
            tx,
            "INSERT INTO notice_subscriptions (day, ticket_id, dossier, phone) VALUES (?1, ?2, ?3, ?4)",
            params![day, ticket, dossier, phone],
        )?;
    }
    Ok(())
}

/// A subscription whose notice of one kind is not queued yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsent {
    pub id: i64,
    pub phone: String,
    /// The ticket's id (ticket subscriptions).
    pub ticket_id: Option<String>,
}

/// Which column records that a notice of `kind` was queued.
fn column(kind: &str) -> Result<&'static str, StoreError> {
    match kind {
        "approaching" => Ok("approaching_queued"),
        "called" => Ok("called_queued"),
        "result_ready" => Ok("result_queued"),
        other => Err(StoreError(format!("unknown notice kind {other:?}"))),
    }
}

/// The subscription of `subject` still waiting for its `kind` notice.
pub fn unsent_for(conn: &Connection, subject: Subject, kind: &str) -> Result<Option<Unsent>, StoreError> {
    let (key, value) = match subject {
        Subject::Ticket(t) => ("ticket_id", t),
        Subject::Dossier(d) => ("dossier", d),
    };
    let sql = format!("SELECT id, phone, ticket_id FROM notice_subscriptions WHERE {key} = ?1 AND {} = 0", column(kind)?);
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([value], |r| Ok(Unsent { id: r.get(0)?, phone: r.get(1)?, ticket_id: r.get(2)? }))
        .optional()?)
}

/// Ticket subscriptions of `day` whose ticket still waits and whose approaching notice is not
/// queued yet.
pub fn waiting_unwarned(conn: &Connection, day: &str) -> Result<Vec<Unsent>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.phone, s.ticket_id FROM notice_subscriptions s JOIN tickets t ON t.id = s.ticket_id
          WHERE s.day = ?1 AND s.approaching_queued = 0 AND t.status IN ('waiting', 'transferred')",
    )?;
    let rows = stmt.query_map([day], |r| Ok(Unsent { id: r.get(0)?, phone: r.get(1)?, ticket_id: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A notice to queue.
pub struct NewNotice<'a> {
    pub subscription: i64,
    pub key: &'a str,
    pub day: &'a str,
    pub kind: &'a str,
    pub phone: &'a str,
    pub text: &'a str,
    /// The placeholders' values, JSON (for a Zalo template's data).
    pub values: &'a str,
    pub at: i64,
}

/// Queue a notice and record that its kind is queued for the subscription.
pub fn enqueue(tx: &Connection, n: &NewNotice) -> Result<(), StoreError> {
    let sql = format!("UPDATE notice_subscriptions SET {} = 1 WHERE id = ?1", column(n.kind)?);
    exec(tx, &sql, [n.subscription])?;
    exec(
        tx,
        "INSERT INTO notice_outbox (idempotency_key, day, kind, phone, text, vals, queued_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')",
        params![n.key, n.day, n.kind, n.phone, n.text, n.values, n.at],
    )?;
    Ok(())
}

/// A notice waiting to be sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: i64,
    pub key: String,
    pub kind: String,
    pub phone: String,
    pub text: String,
    pub values: String,
    pub attempts: u32,
}

/// The oldest notices still to send: `day`'s, and a dossier's result-ready notice of an earlier
/// day (a ticket's notice means nothing the next day).
pub fn pending(conn: &Connection, day: &str, limit: usize) -> Result<Vec<Pending>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, idempotency_key, kind, phone, text, vals, attempts FROM notice_outbox
          WHERE state = 'pending' AND (day = ?1 OR kind = 'result_ready') ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![day, limit as i64], |r| {
        Ok(Pending {
            id: r.get(0)?,
            key: r.get(1)?,
            kind: r.get(2)?,
            phone: r.get(3)?,
            text: r.get(4)?,
            values: r.get(5)?,
            attempts: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The gateway took the notice: the row keeps no phone number.
pub fn sent(tx: &Connection, id: i64, at: i64) -> Result<(), StoreError> {
    exec(tx, "UPDATE notice_outbox SET state = 'sent', phone = '', sent_at = ?2, attempts = attempts + 1 WHERE id = ?1", params![id, at])?;
    Ok(())
}

/// The gateway refused the notice for good: given up, no phone number kept.
pub fn failed(tx: &Connection, id: i64, error: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE notice_outbox SET state = 'failed', phone = '', last_error = ?2, attempts = attempts + 1 WHERE id = ?1",
        params![id, error],
    )?;
    Ok(())
}

/// One more failed attempt; the notice stays to send.
pub fn attempt_failed(tx: &Connection, id: i64, error: &str) -> Result<(), StoreError> {
    exec(tx, "UPDATE notice_outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1", params![id, error])?;
    Ok(())
}

/// Forget what the days before `today` left: every ticket's subscription and notice; a
/// dossier's number once its result-ready notice is queued, once the result is handed over
/// (status 10), or once it was left before `horizon` (a dossier that never reached status 9);
/// notices sent or given up. A dossier's result-ready notice still to send stays (until
/// `horizon`), so that a result ready days later is still told.
pub fn forget_before(tx: &Connection, today: &str, horizon: &str) -> Result<usize, StoreError> {
    let subscriptions = exec(
        tx,
        "DELETE FROM notice_subscriptions WHERE day < ?1 AND (
             ticket_id IS NOT NULL OR result_queued = 1 OR day < ?2
             OR NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.compact = notice_subscriptions.dossier AND d.status < 10))",
        params![today, horizon],
    )?;
    let notices = exec(
        tx,
        "DELETE FROM notice_outbox WHERE day < ?1 AND (kind <> 'result_ready' OR state <> 'pending' OR day < ?2)",
        params![today, horizon],
    )?;
    Ok(subscriptions + notices)
}
