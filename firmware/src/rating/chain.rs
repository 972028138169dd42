//! The hash chain of ratings (`docs/sync-protocol.md`): each rating's hash covers the previous
//! hash and the rating's exact JSON bytes, and is signed by the kiosk. Verifying walks the chain
//! from the first link; the first broken link is named.

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::key::{hex, unhex};

pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One rating as hashed, signed and sent (field order is the canonical order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub seq: i64,
    pub kiosk_id: String,
    pub agency_code: String,
    pub ticket_id: Option<String>,
    pub ticket_number: Option<String>,
    pub dossier_code: Option<String>,
    pub level: String,
    pub official: super::Official,
    pub reasons: Vec<String>,
    pub counter: Option<u32>,
    pub officer: Option<String>,
    pub service: Option<String>,
    pub procedure: Option<String>,
    pub rated_at: String,
}

impl Record {
    /// The exact bytes that are hashed and sent.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a record always serialises")
    }
}

/// A stored link of the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub id: String,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub signature: String,
    pub record_json: String,
}

/// SHA-256(prev_hash ‖ "\n" ‖ record_json).
pub fn link_hash(prev_hash: &str, record_json: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(record_json.as_bytes());
    h.finalize().into()
}

pub fn link_hash_hex(prev_hash: &str, record_json: &str) -> String {
    hex(&link_hash(prev_hash, record_json))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("rating #{seq}: expected sequence number {expected}")]
    Gap { seq: i64, expected: i64 },
    #[error("rating #{seq}: it does not follow the previous rating (prev_hash differs)")]
    Broken { seq: i64 },
    #[error("rating #{seq}: its content does not match its hash (altered)")]
    Altered { seq: i64 },
    #[error("rating #{seq}: the signature does not verify")]
    BadSignature { seq: i64 },
    #[error("rating #{seq}: the record does not match its id or sequence number")]
    Mismatch { seq: i64 },
    #[error("rating #{seq}: the stored column {column} ({stored}) differs from the signed record ({signed}): the figures were edited")]
    Column { seq: i64, column: &'static str, stored: String, signed: String },
    #[error("rating #{seq}: stored without its signed record, or the other way round")]
    Unpaired { seq: i64 },
}

/// The columns stored beside each link that the centre's figures and CSV export read: they must
/// say what the signed record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub seq: i64,
    pub ticket_id: Option<String>,
    pub dossier_code: Option<String>,
    pub official: String,
    pub counter: Option<u32>,
    pub service: Option<String>,
    pub procedure: Option<String>,
    /// Unix milliseconds.
    pub rated_at_ms: i64,
}

/// Check every stored column against the signed record of its link (after [`verify_chain`]);
/// the first difference is named.
pub fn verify_columns(links: &[Link], columns: &[Columns]) -> Result<(), ChainError> {
    if links.len() != columns.len() {
        let seq = links.iter().zip(columns).find(|(l, c)| l.seq != c.seq).map_or(links.len().min(columns.len()) as i64 + 1, |(l, _)| l.seq);
        return Err(ChainError::Unpaired { seq });
    }
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "null".into());
    for (l, c) in links.iter().zip(columns) {
        if l.seq != c.seq {
            return Err(ChainError::Unpaired { seq: l.seq });
        }
        let r: Record = serde_json::from_str(&l.record_json).map_err(|_| ChainError::Mismatch { seq: l.seq })?;
        let official = serde_json::to_value(r.official).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let rated_at = chrono::DateTime::parse_from_rfc3339(&r.rated_at).map(|t| t.timestamp()).ok();
        let checks: [(&'static str, String, String); 7] = [
            ("official", c.official.clone(), official),
            ("ticket_id", show(&c.ticket_id), show(&r.ticket_id)),
            ("dossier_code", show(&c.dossier_code), show(&r.dossier_code)),
            ("counter", show(&c.counter.map(|n| n.to_string())), show(&r.counter.map(|n| n.to_string()))),
            ("service", show(&c.service), show(&r.service)),
            ("procedure", show(&c.procedure), show(&r.procedure)),
            ("rated_at", c.rated_at_ms.div_euclid(1000).to_string(), show(&rated_at.map(|t| t.to_string()))),
        ];
        for (column, stored, signed) in checks {
            if stored != signed {
                return Err(ChainError::Column { seq: l.seq, column, stored, signed });
            }
        }
    }
    Ok(())
}

/// Check a whole chain, oldest first.
pub fn verify_chain(links: &[Link], key: &VerifyingKey) -> Result<(), ChainError> {
    let mut prev = ZERO_HASH.to_string();
    for (i, l) in links.iter().enumerate() {
        let expected = i as i64 + 1;
        if l.seq != expected {
            return Err(ChainError::Gap { seq: l.seq, expected });
        }
        if l.prev_hash != prev {
            return Err(ChainError::Broken { seq: l.seq });
        }
        let hash = link_hash(&l.prev_hash, &l.record_json);
        if hex(&hash) != l.hash {
            return Err(ChainError::Altered { seq: l.seq });
        }
        let sig = unhex(&l.signature).and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok()).map(|b| Signature::from_bytes(&b));
        if sig.is_none_or(|s| key.verify(&hash, &s).is_err()) {
            return Err(ChainError::BadSignature { seq: l.seq });
        }
        match serde_json::from_str::<Record>(&l.record_json) {
            Ok(r) if r.id == l.id && r.seq == l.seq => {}
            _ => return Err(ChainError::Mismatch { seq: l.seq }),
        }
        prev = l.hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rating::{DeviceKey, Official};

    fn record(seq: i64) -> Record {
        Record {
            id: format!("id-{seq}"),
            seq,
            kiosk_id: "k1".into(),
            agency_code: "000.00.17.H41".into(),
            ticket_id: Some(format!("t-{seq}")),
            ticket_number: Some(format!("A{seq:03}")),
            dossier_code: None,
            level: "hai_long".into(),
            official: Official::HaiLong,
            reasons: vec![],
            counter: Some(3),
            officer: Some("Trần Thị Bình".into()),
            service: Some("A".into()),
            procedure: None,
            rated_at: "2026-03-05T08:40:12+07:00".into(),
        }
    }

    fn chain(key: &DeviceKey, n: i64) -> Vec<Link> {
        let mut prev = ZERO_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let r = record(seq);
                let json = r.to_json();
                let hash = link_hash(&prev, &json);
                let link = Link { id: r.id, seq, prev_hash: prev.clone(), hash: hex(&hash), signature: key.sign(&hash), record_json: json };
                prev = link.hash.clone();
                link
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies_and_edits_are_caught() {
        let key = DeviceKey::from_seed(&[7; 32]);
        let links = chain(&key, 5);
        assert_eq!(verify_chain(&links, &key.public()), Ok(()));

        let mut edited = links.clone();
        edited[2].record_json =
            edited[2].record_json.replace("hai_long\",\"official\":\"hai_long", "rat_hai_long\",\"official\":\"rat_hai_long");
        assert_eq!(verify_chain(&edited, &key.public()), Err(ChainError::Altered { seq: 3 }));

        let mut removed = links.clone();
        removed.remove(1);
        assert_eq!(verify_chain(&removed, &key.public()), Err(ChainError::Gap { seq: 3, expected: 2 }));

        let other = DeviceKey::from_seed(&[8; 32]);
        assert_eq!(verify_chain(&links, &other.public()), Err(ChainError::BadSignature { seq: 1 }));
    }

    fn columns(links: &[Link]) -> Vec<Columns> {
        links
            .iter()
            .map(|l| {
                let r: Record = serde_json::from_str(&l.record_json).unwrap();
                Columns {
                    seq: l.seq,
                    ticket_id: r.ticket_id,
                    dossier_code: r.dossier_code,
                    official: "hai_long".into(),
                    counter: r.counter,
                    service: r.service,
                    procedure: r.procedure,
                    rated_at_ms: chrono::DateTime::parse_from_rfc3339(&r.rated_at).unwrap().timestamp_millis() + 345,
                }
            })
            .collect()
    }

    #[test]
    fn every_column_the_figures_read_is_checked_against_the_record() {
        let key = DeviceKey::from_seed(&[7; 32]);
        let links = chain(&key, 3);
        let good = columns(&links);
        assert_eq!(verify_columns(&links, &good), Ok(()));
        type Edit = (&'static str, fn(&mut Columns));
        let edits: [Edit; 7] = [
            ("official", |c| c.official = "rat_hai_long".into()),
            ("ticket_id", |c| c.ticket_id = Some("t-9".into())),
            ("dossier_code", |c| c.dossier_code = Some("X".into())),
            ("counter", |c| c.counter = Some(4)),
            ("service", |c| c.service = Some("B".into())),
            ("procedure", |c| c.procedure = Some("1.001193".into())),
            ("rated_at", |c| c.rated_at_ms += 86_400_000),
        ];
        for (name, edit) in edits {
            let mut edited = good.clone();
            edit(&mut edited[1]);
            match verify_columns(&links, &edited) {
                Err(ChainError::Column { seq: 2, column, .. }) => assert_eq!(column, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(verify_columns(&links, &good[..2]), Err(ChainError::Unpaired { seq: 3 }));
    }
}
