//! Dossiers in SQL: the code's daily sequence allocated inside the writer's transaction (so two
//! counters accepting at the same instant never share a code), status changes, the one
//! rescheduling, and the public lookup by the code's compact form. The applicant's name is
//! stored for the receipt and staff lists only; the journal and the public lookup never carry it.

use super::{exec, row};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::StoreError;

/// A dossier as stored (times in unix milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct DossierRow {
    pub code: String,
    pub compact: String,
    pub agency: String,
    pub day: String,
    pub seq: u32,
    pub procedure: String,
    pub channel: String,
    pub applicant_name: String,
    pub received_at: i64,
    pub due_at: i64,
    pub working_days: Option<u32>,
    pub rule: String,
    pub status: u8,
    pub status_at: i64,
    pub new_due_at: Option<i64>,
    pub reschedule_reason: Option<String>,
    pub rescheduled_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub counter: Option<u32>,
    pub officer: Option<String>,
    pub printed: Option<bool>,
    /// The time-limit case chosen at reception (a catalogue variant code), if any.
    pub variant: Option<String>,
    /// "Ông" or "Bà", when the officer recorded it.
    pub applicant_title: Option<String>,
}

const COLUMNS: &str = "code, compact, agency, day, seq, procedure, channel, applicant_name, received_at, due_at, \
    working_days, rule, status, status_at, new_due_at, reschedule_reason, rescheduled_at, finished_at, counter, officer, printed, \
    variant, applicant_title";

fn from_row(r: &Row) -> rusqlite::Result<DossierRow> {
    Ok(DossierRow {
        code: r.get(0)?,
        compact: r.get(1)?,
        agency: r.get(2)?,
        day: r.get(3)?,
        seq: r.get(4)?,
        procedure: r.get(5)?,
        channel: r.get(6)?,
        applicant_name: r.get(7)?,
        received_at: r.get(8)?,
        due_at: r.get(9)?,
        working_days: r.get(10)?,
        rule: r.get(11)?,
        status: r.get(12)?,
        status_at: r.get(13)?,
        new_due_at: r.get(14)?,
        reschedule_reason: r.get(15)?,
        rescheduled_at: r.get(16)?,
        finished_at: r.get(17)?,
        counter: r.get(18)?,
        officer: r.get(19)?,
        printed: r.get(20)?,
        variant: r.get(21)?,
        applicant_title: r.get(22)?,
    })
}

/// The next sequence number of `agency` on `day` (1 for the day's first dossier).
pub fn next_sequence(tx: &Connection, agency: &str, day: &str) -> Result<u32, StoreError> {
    let last: Option<u32> = row(tx, "SELECT MAX(seq) FROM dossiers WHERE agency = ?1 AND day = ?2", params![agency, day], |r| r.get(0))?;
    Ok(last.unwrap_or(0) + 1)
}

/// Insert a new dossier.
pub fn insert(tx: &Connection, d: &DossierRow) -> Result<(), StoreError> {
    exec(tx,
        &format!("INSERT INTO dossiers ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"),
        params![
            d.code, d.compact, d.agency, d.day, d.seq, d.procedure, d.channel, d.applicant_name, d.received_at, d.due_at,
            d.working_days, d.rule, d.status, d.status_at, d.new_due_at, d.reschedule_reason, d.rescheduled_at,
            d.finished_at, d.counter, d.officer, d.printed, d.variant, d.applicant_title
        ],
    )?;
    Ok(())
}

pub fn get_by_compact(conn: &Connection, compact: &str) -> Result<Option<DossierRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM dossiers WHERE compact = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([compact], from_row).optional()?)
}

/// Record a new status (and when the dossier finished, for timeliness); returns the code.
pub fn set_status(tx: &Connection, compact: &str, status: u8, at_ms: i64, finished: bool) -> Result<String, StoreError> {
    exec(
        tx,
        "UPDATE dossiers SET status = ?2, status_at = ?3,
                finished_at = CASE WHEN ?4 THEN COALESCE(finished_at, ?3) ELSE finished_at END
          WHERE compact = ?1",
        params![compact, status, at_ms, finished],
    )?;
    Ok(row(tx, "SELECT code FROM dossiers WHERE compact = ?1", [compact], |r| r.get(0))?)
}

/// The one rescheduling: new date, reason and how the notice addressed the applicant; returns
/// the code.
pub fn reschedule(tx: &Connection, compact: &str, new_due: i64, reason: &str, title: &str, at_ms: i64) -> Result<String, StoreError> {
    exec(
        tx,
        "UPDATE dossiers SET new_due_at = ?2, reschedule_reason = ?3, rescheduled_at = ?4, applicant_title = ?5
          WHERE compact = ?1 AND new_due_at IS NULL",
        params![compact, new_due, reason, at_ms, title],
    )?;
    Ok(row(tx, "SELECT code FROM dossiers WHERE compact = ?1", [compact], |r| r.get(0))?)
}

pub fn set_printed(tx: &Connection, compact: &str, printed: bool) -> Result<(), StoreError> {
    exec(tx, "UPDATE dossiers SET printed = ?2 WHERE compact = ?1", params![compact, printed])?;
    Ok(())
}

/// Dossiers not yet finished (status below 9), oldest due first.
pub fn open_dossiers(conn: &Connection) -> Result<Vec<DossierRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM dossiers WHERE status NOT IN (3, 7, 8, 9, 10) ORDER BY COALESCE(new_due_at, due_at)");
    let rows = conn.prepare_cached(&sql)?.query_map([], from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Keep the hash of the secret printed in the dossier's receipt slip QR.
pub fn set_key(tx: &Connection, compact: &str, key_sha256: &str) -> Result<(), StoreError> {
    exec(tx, "INSERT OR REPLACE INTO dossier_keys (compact, key_sha256) VALUES (?1, ?2)", params![compact, key_sha256])?;
    Ok(())
}

/// The hash of the dossier's slip secret, if it has one.
pub fn key(conn: &Connection, compact: &str) -> Result<Option<String>, StoreError> {
    Ok(row(conn, "SELECT key_sha256 FROM dossier_keys WHERE compact = ?1", [compact], |r| r.get(0)).optional()?)
}
