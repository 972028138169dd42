//! Accepting a pushed batch (`POST /api/v1/push/ratings`). Each link is first checked on its own
//! (hash, signature, record); then, in one transaction on the writer, the batch is laid against
//! the kiosk's stored chain: known ids are acknowledged again, new ones must continue the chain.
//! A batch is stored entirely or not at all.

use ed25519_dalek::VerifyingKey;
use serde::Deserialize;

use crate::chain::{self, Link, LinkError, Record, ZERO_HASH};
use crate::ratings::{self, StoredRating};
use crate::store::{Sql, StoreError};

/// The protocol version of a rating batch: its shape has not changed since protocol 1, so a
/// kiosk's batches say 1 whatever else it speaks (and a protocol-1 receiver still takes them).
pub const PROTOCOL: u32 = 1;
/// Most ratings in one batch.
pub const MAX_BATCH: usize = 500;

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub protocol: u32,
    pub kiosk_id: String,
    pub public_key: String,
    pub ratings: Vec<Link>,
}

/// Why a batch was refused; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("{0}")]
    Malformed(String),
    #[error("rating seq {seq} (id {id}): {source}")]
    BadLink { seq: i64, id: String, source: LinkError },
    #[error("kiosk {kiosk_id} has stored up to seq {}; this batch starts at seq {first_seq}: resend from seq {expected_seq}", expected_seq - 1)]
    ChainGap { kiosk_id: String, first_seq: i64, expected_seq: i64 },
    #[error("{0}")]
    ChainConflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A link that holds on its own, with its record.
pub struct Checked {
    link: Link,
    record: Record,
}

/// What the receiver answers once the batch committed.
#[derive(Debug)]
pub struct Accepted {
    /// Every id of the batch, newly stored or already stored.
    pub acknowledged: Vec<String>,
    /// How many were stored now (the rest were resends).
    pub stored: usize,
    /// The kiosk's highest stored seq.
    pub last_seq: i64,
}

/// The checks that need no database: shape of the batch, then each link (hash, signature, record).
pub fn check(batch: Batch, key: &VerifyingKey) -> Result<Vec<Checked>, PushError> {
    if batch.protocol != PROTOCOL {
        return Err(PushError::Malformed(format!(
            "protocol {}: a rating batch is protocol {PROTOCOL} (heartbeats are protocol 2)",
            batch.protocol
        )));
    }
    if batch.ratings.len() > MAX_BATCH {
        return Err(PushError::Malformed(format!("{} ratings in one batch; at most {MAX_BATCH}", batch.ratings.len())));
    }
    if let Some(first) = batch.ratings.first() {
        for (i, link) in batch.ratings.iter().enumerate() {
            if link.seq != first.seq + i as i64 {
                return Err(PushError::Malformed(format!(
                    "ratings must be in seq order and consecutive: position {i} has seq {} after seq {}",
                    link.seq,
                    first.seq + i as i64 - 1
                )));
            }
        }
    }
    batch
        .ratings
        .into_iter()
        .map(|link| match chain::check_link(key, &batch.kiosk_id, &link) {
            Ok(record) => Ok(Checked { link, record }),
            Err(source) => Err(PushError::BadLink { seq: link.seq, id: link.id, source }),
        })
        .collect()
}

/// Lay checked links against the stored chain of `kiosk_id` and store the new ones; run inside
/// the writer's transaction, so an error leaves nothing stored.
pub fn store(sql: &mut dyn Sql, kiosk_id: &str, public_key: &str, batch: Vec<Checked>, received_at: &str) -> Result<Accepted, PushError> {
    let mut tail = ratings::chain_tail(sql, kiosk_id)?;
    let mut accepted = Accepted { acknowledged: Vec::with_capacity(batch.len()), stored: 0, last_seq: 0 };
    for Checked { link, record } in batch {
        if let Some(stored_hash) = ratings::hash_of(sql, &link.id)? {
            if stored_hash != link.hash {
                return Err(PushError::ChainConflict(format!(
                    "rating {} is already stored with another hash: a stored rating is never overwritten; staff must look",
                    link.id
                )));
            }
            accepted.acknowledged.push(link.id);
            continue;
        }
        let (last_seq, last_hash) = match &tail {
            Some((seq, hash)) => (*seq, hash.as_str()),
            None => (0, ZERO_HASH),
        };
        if link.seq <= last_seq {
            return Err(PushError::ChainConflict(format!(
                "kiosk {kiosk_id} already has a different rating at seq {} (this one is {}): never overwritten; staff must look",
                link.seq, link.id
            )));
        }
        if link.seq > last_seq + 1 {
            return Err(PushError::ChainGap { kiosk_id: kiosk_id.to_string(), first_seq: link.seq, expected_seq: last_seq + 1 });
        }
        if link.prev_hash != last_hash {
            return Err(PushError::ChainConflict(format!(
                "rating seq {} (id {}) does not follow the stored rating seq {last_seq}: its prev_hash differs; staff must look",
                link.seq, link.id
            )));
        }
        let rated_at = record.rated_at_utc().map_err(PushError::Malformed)?;
        let rated_month = record.rated_month().map_err(PushError::Malformed)?;
        let service = record.service_code();
        ratings::insert(
            sql,
            &StoredRating {
                kiosk_id: kiosk_id.to_string(),
                seq: link.seq,
                id: link.id.clone(),
                prev_hash: link.prev_hash,
                hash: link.hash.clone(),
                signature: link.signature,
                public_key: public_key.to_string(),
                record_json: link.record_json,
                agency_code: record.agency_code,
                official: record.official.code().to_string(),
                rated_at,
                received_at: received_at.to_string(),
                service,
                rated_month,
            },
        )?;
        tail = Some((link.seq, link.hash));
        accepted.acknowledged.push(link.id);
        accepted.stored += 1;
    }
    accepted.last_seq = tail.map_or(0, |(seq, _)| seq);
    Ok(accepted)
}
