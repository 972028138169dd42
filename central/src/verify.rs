//! `central verify`: walk every stored chain again — continuity, hash, signature, and that the
//! columns used for figures (centre, level, time, service, month) still say what the signed record says — and name the first broken
//! link. This is how a rating altered in the database (by hand or by an intruder) is caught.

use crate::chain::{self, Link, ZERO_HASH};
use crate::config::Registry;
use crate::ratings::{self, StoredRating};
use crate::store::{Sql, StoreError};

/// Ratings read per query, so a province's millions of rows never sit in memory at once.
const PAGE: i64 = 1000;

/// Every chain holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Intact {
    pub ratings: u64,
    pub kiosks: usize,
}

/// The first link that does not hold.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("kiosk {kiosk_id}, seq {seq} (id {id}): {problem}")]
pub struct Broken {
    pub kiosk_id: String,
    pub seq: i64,
    pub id: String,
    pub problem: String,
}

/// Check every stored chain. With `registry`, a registered kiosk's ratings must also be signed
/// with its registered key (an intruder cannot re-sign with a key of their own).
pub fn verify(sql: &mut dyn Sql, registry: Option<&Registry>) -> Result<Result<Intact, Broken>, StoreError> {
    let kiosks = ratings::kiosks(sql)?;
    let mut count = 0;
    for kiosk_id in &kiosks {
        let registered = registry.and_then(|r| r.get(kiosk_id)).map(|k| k.public_key_hex());
        let (mut last_seq, mut last_hash) = (0, ZERO_HASH.to_string());
        loop {
            let page = ratings::chain_page(sql, kiosk_id, last_seq, PAGE)?;
            for row in &page {
                if let Err(problem) = check_row(row, last_seq, &last_hash, registered.as_deref()) {
                    return Ok(Err(Broken { kiosk_id: kiosk_id.clone(), seq: row.seq, id: row.id.clone(), problem }));
                }
                last_seq = row.seq;
                last_hash = row.hash.clone();
                count += 1;
            }
            if (page.len() as i64) < PAGE {
                break;
            }
        }
    }
    Ok(Ok(Intact { ratings: count, kiosks: kiosks.len() }))
}

fn check_row(row: &StoredRating, last_seq: i64, last_hash: &str, registered_key: Option<&str>) -> Result<(), String> {
    if row.seq != last_seq + 1 {
        return Err(format!("follows seq {last_seq}: ratings between are missing"));
    }
    if row.prev_hash != last_hash {
        return Err(format!("prev_hash does not equal the hash of seq {last_seq}: the chain was altered"));
    }
    if let Some(key) = registered_key {
        if !row.public_key.eq_ignore_ascii_case(key) {
            return Err(format!("signed with key {}, not the key registered for the kiosk", row.public_key));
        }
    }
    let key = chain::parse_public_key(&row.public_key).map_err(|e| format!("stored public key: {e}"))?;
    let link = Link {
        id: row.id.clone(),
        seq: row.seq,
        prev_hash: row.prev_hash.clone(),
        hash: row.hash.clone(),
        signature: row.signature.clone(),
        record_json: row.record_json.clone(),
    };
    let record = chain::check_link(&key, &row.kiosk_id, &link).map_err(|e| e.to_string())?;
    let rated_at = record.rated_at_utc()?;
    let rated_month = record.rated_month()?;
    for (column, stored, signed) in [
        ("agency_code", &row.agency_code, &record.agency_code),
        ("official", &row.official, &record.official.code().to_string()),
        ("rated_at", &row.rated_at, &rated_at),
        ("service", &row.service, &record.service_code()),
        ("rated_month", &row.rated_month, &rated_month),
    ] {
        if stored != signed {
            return Err(format!("column {column} is {stored:?} but the signed record says {signed:?}"));
        }
    }
    Ok(())
}
