//! The SQL of the `ratings` table, written once for both engines: the chain's tail, inserting
//! a checked rating, the staff listing, per-centre figures and the pages `verify` walks.

use serde::Serialize;

use crate::chain::{Official, Record};
use crate::store::{Row, Sql, StoreError, Value};

const COLUMNS: &str =
    "kiosk_id, seq, id, prev_hash, hash, signature, public_key, record_json, agency_code, official, rated_at, received_at, service, rated_month";

/// A stored rating: the link as the kiosk signed it, the key it was signed with, and the
/// columns derived from the record for filtering (`rated_at` in UTC; `service` empty when the
/// record names none; `rated_month` in Vietnam).
#[derive(Debug, Clone)]
pub struct StoredRating {
    pub kiosk_id: String,
    pub seq: i64,
    pub id: String,
    pub prev_hash: String,
    pub hash: String,
    pub signature: String,
    pub public_key: String,
    pub record_json: String,
    pub agency_code: String,
    pub official: String,
    pub rated_at: String,
    pub received_at: String,
    pub service: String,
    pub rated_month: String,
}

impl StoredRating {
    fn from_row(row: &Row) -> Result<StoredRating, StoreError> {
        Ok(StoredRating {
            kiosk_id: row.text(0)?,
            seq: row.int(1)?,
            id: row.text(2)?,
            prev_hash: row.text(3)?,
            hash: row.text(4)?,
            signature: row.text(5)?,
            public_key: row.text(6)?,
            record_json: row.text(7)?,
            agency_code: row.text(8)?,
            official: row.text(9)?,
            rated_at: row.text(10)?,
            received_at: row.text(11)?,
            service: row.text(12)?,
            rated_month: row.text(13)?,
        })
    }
}

/// `(seq, hash)` of the kiosk's last stored rating.
pub fn chain_tail(sql: &mut dyn Sql, kiosk_id: &str) -> Result<Option<(i64, String)>, StoreError> {
    let rows = sql.query("SELECT seq, hash FROM ratings WHERE kiosk_id = $1 ORDER BY seq DESC LIMIT 1", &[kiosk_id.into()])?;
    rows.first().map(|r| Ok((r.int(0)?, r.text(1)?))).transpose()
}

/// The hash stored for rating `id`, if it is stored.
pub fn hash_of(sql: &mut dyn Sql, id: &str) -> Result<Option<String>, StoreError> {
    let rows = sql.query("SELECT hash FROM ratings WHERE id = $1", &[id.into()])?;
    rows.first().map(|r| r.text(0)).transpose()
}

pub fn insert(sql: &mut dyn Sql, r: &StoredRating) -> Result<(), StoreError> {
    let params: Vec<Value> = vec![
        r.kiosk_id.as_str().into(),
        r.seq.into(),
        r.id.as_str().into(),
        r.prev_hash.as_str().into(),
        r.hash.as_str().into(),
        r.signature.as_str().into(),
        r.public_key.as_str().into(),
        r.record_json.as_str().into(),
        r.agency_code.as_str().into(),
        r.official.as_str().into(),
        r.rated_at.as_str().into(),
        r.received_at.as_str().into(),
        r.service.as_str().into(),
        r.rated_month.as_str().into(),
    ];
    sql.execute(&format!("INSERT INTO ratings ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"), &params)?;
    Ok(())
}

/// Which ratings a staff query wants; times are UTC text as stored (`chain::utc_text`).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub centre: Option<String>,
    pub kiosk: Option<String>,
    /// Inclusive.
    pub from: Option<String>,
    /// Exclusive.
    pub to: Option<String>,
}

impl Filter {
    /// ` WHERE …` with numbered parameters, and the parameters.
    pub(crate) fn clause(&self) -> (String, Vec<Value>) {
        let mut conditions = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        for (column, op, value) in [
            ("agency_code", "=", &self.centre),
            ("kiosk_id", "=", &self.kiosk),
            ("rated_at", ">=", &self.from),
            ("rated_at", "<", &self.to),
        ] {
            if let Some(v) = value {
                params.push(v.as_str().into());
                conditions.push(format!("{column} {op} ${}", params.len()));
            }
        }
        if conditions.is_empty() {
            (String::new(), params)
        } else {
            (format!(" WHERE {}", conditions.join(" AND ")), params)
        }
    }
}

/// Stored ratings matching `filter`, oldest first.
pub fn list(sql: &mut dyn Sql, filter: &Filter, limit: i64, offset: i64) -> Result<Vec<StoredRating>, StoreError> {
    let (clause, mut params) = filter.clause();
    let n = params.len();
    params.push(limit.into());
    params.push(offset.into());
    let rows = sql.query(
        &format!("SELECT {COLUMNS} FROM ratings{clause} ORDER BY rated_at, kiosk_id, seq LIMIT ${} OFFSET ${}", n + 1, n + 2),
        &params,
    )?;
    rows.iter().map(StoredRating::from_row).collect()
}

/// The satisfaction of one centre (agency code): counts per official level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CentreFigures {
    pub agency_code: String,
    pub total: i64,
    pub rat_hai_long: i64,
    pub hai_long: i64,
    pub khong_hai_long: i64,
    /// (Rất hài lòng + Hài lòng) / total, in percent with one decimal.
    pub satisfied_percent: f64,
}

impl CentreFigures {
    pub fn count(&self, level: Official) -> i64 {
        match level {
            Official::RatHaiLong => self.rat_hai_long,
            Official::HaiLong => self.hai_long,
            Official::KhongHaiLong => self.khong_hai_long,
        }
    }
}

/// Figures per centre over the ratings matching `filter`, by agency code.
pub fn centre_figures(sql: &mut dyn Sql, filter: &Filter) -> Result<Vec<CentreFigures>, StoreError> {
    let (clause, params) = filter.clause();
    let rows = sql.query(
        &format!("SELECT agency_code, official, COUNT(*) FROM ratings{clause} GROUP BY agency_code, official ORDER BY agency_code"),
        &params,
    )?;
    let mut centres: Vec<CentreFigures> = Vec::new();
    for row in &rows {
        let code = row.text(0)?;
        if centres.last().is_none_or(|c| c.agency_code != code) {
            centres.push(CentreFigures {
                agency_code: code,
                total: 0,
                rat_hai_long: 0,
                hai_long: 0,
                khong_hai_long: 0,
                satisfied_percent: 0.0,
            });
        }
        let centre = centres.last_mut().expect("just pushed");
        let n = row.int(2)?;
        match Official::from_code(&row.text(1)?) {
            Some(Official::RatHaiLong) => centre.rat_hai_long += n,
            Some(Official::HaiLong) => centre.hai_long += n,
            Some(Official::KhongHaiLong) => centre.khong_hai_long += n,
            None => return Err(StoreError(format!("unknown official level stored: {:?}", row.text(1)?))),
        }
        centre.total += n;
    }
    for c in &mut centres {
        c.satisfied_percent = ((c.rat_hai_long + c.hai_long) as f64 * 1000.0 / c.total as f64).round() / 10.0;
    }
    Ok(centres)
}

/// Every kiosk that has stored ratings.
pub fn kiosks(sql: &mut dyn Sql) -> Result<Vec<String>, StoreError> {
    sql.query("SELECT DISTINCT kiosk_id FROM ratings ORDER BY kiosk_id", &[])?.iter().map(|r| r.text(0)).collect()
}

/// Up to `limit` ratings of `kiosk_id` after `after_seq`, in chain order.
pub fn chain_page(sql: &mut dyn Sql, kiosk_id: &str, after_seq: i64, limit: i64) -> Result<Vec<StoredRating>, StoreError> {
    let rows = sql.query(
        &format!("SELECT {COLUMNS} FROM ratings WHERE kiosk_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"),
        &[kiosk_id.into(), after_seq.into(), limit.into()],
    )?;
    rows.iter().map(StoredRating::from_row).collect()
}

/// Copy `service` and `rated_month` out of the signed record of every rating stored before
/// those columns existed (schema migration 2), a page at a time.
pub fn fill_service_and_month(sql: &mut dyn Sql) -> Result<(), StoreError> {
    loop {
        let rows =
            sql.query("SELECT kiosk_id, seq, record_json FROM ratings WHERE rated_month = '' ORDER BY kiosk_id, seq LIMIT 1000", &[])?;
        if rows.is_empty() {
            return Ok(());
        }
        for row in &rows {
            let (kiosk_id, seq, record_json) = (row.text(0)?, row.int(1)?, row.text(2)?);
            let bad = |e: String| StoreError(format!("rating {kiosk_id} seq {seq}: {e}"));
            let record: Record = serde_json::from_str(&record_json).map_err(|e| bad(e.to_string()))?;
            let month = record.rated_month().map_err(bad)?;
            sql.execute(
                "UPDATE ratings SET service = $1, rated_month = $2 WHERE kiosk_id = $3 AND seq = $4",
                &[record.service_code().into(), month.into(), kiosk_id.as_str().into(), seq.into()],
            )?;
        }
    }
}
