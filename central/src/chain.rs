//! One link of a kiosk's rating chain as `docs/sync-protocol.md` defines it: its hash, its
//! Ed25519 signature and the record inside. Pure functions, no HTTP and no SQL: the push route
//! and `central verify` check links with exactly the same code.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `prev_hash` of a kiosk's first rating.
pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A link as the kiosk sends it and as it is stored.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: String,
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub signature: String,
    pub record_json: String,
}

/// The official three levels every local scale maps onto (`shared/docs/domain.md` §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Official {
    RatHaiLong,
    HaiLong,
    KhongHaiLong,
}

impl Official {
    pub const ALL: [Official; 3] = [Official::RatHaiLong, Official::HaiLong, Official::KhongHaiLong];

    pub fn code(self) -> &'static str {
        match self {
            Official::RatHaiLong => "rat_hai_long",
            Official::HaiLong => "hai_long",
            Official::KhongHaiLong => "khong_hai_long",
        }
    }

    pub fn from_code(code: &str) -> Option<Official> {
        Official::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The label a citizen saw.
    pub fn label(self) -> &'static str {
        match self {
            Official::RatHaiLong => "Rất hài lòng",
            Official::HaiLong => "Hài lòng",
            Official::KhongHaiLong => "Không hài lòng",
        }
    }
}

/// The fields of `record_json` the receiver relies on; the rest is kept verbatim in the string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Record {
    pub id: String,
    pub seq: i64,
    pub kiosk_id: String,
    pub agency_code: String,
    pub level: String,
    pub official: Official,
    pub rated_at: String,
    /// The kiosk's service code (`A`), when the rating is about a ticket of a service.
    #[serde(default)]
    pub service: Option<String>,
}

impl Record {
    /// `rated_at` in UTC with milliseconds, so stored times order and compare as text.
    pub fn rated_at_utc(&self) -> Result<String, String> {
        utc_text(&self.rated_at).map_err(|e| format!("rated_at {:?} is not an RFC 3339 time: {e}", self.rated_at))
    }

    /// The month of `rated_at` in Vietnam (`2026-03`), what the province's figures group by.
    pub fn rated_month(&self) -> Result<String, String> {
        month_in_vietnam(&self.rated_at).map_err(|e| format!("rated_at {:?} is not an RFC 3339 time: {e}", self.rated_at))
    }

    /// The service column as stored: the code, or empty when the rating names none.
    pub fn service_code(&self) -> String {
        self.service.clone().unwrap_or_default()
    }
}

/// Vietnam's time zone (UTC+7, no daylight saving): where days and months of figures begin.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("a valid offset")
}

/// The month (`2026-03`) in Vietnam of an RFC 3339 time.
pub fn month_in_vietnam(time: &str) -> Result<String, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339(time)?.with_timezone(&vietnam()).format("%Y-%m").to_string())
}

/// An RFC 3339 time as UTC text with milliseconds (`2026-03-05T01:40:12.000Z`).
pub fn utc_text(time: &str) -> Result<String, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339(time)?.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// Why a link does not hold on its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("{0}")]
    Malformed(String),
    #[error("hash does not equal SHA-256(prev_hash \\n record_json): the record was altered")]
    BadHash,
    #[error("the signature does not verify with the kiosk's public key")]
    BadSignature,
}

/// `hash_n = SHA-256(prev_hash || "\n" || record_json)`, lowercase hex.
pub fn link_hash(prev_hash: &str, record_json: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(record_json.as_bytes());
    hex::encode(h.finalize())
}

/// A public key as the protocol writes it: 64 hex characters.
pub fn parse_public_key(hex_key: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] = decode_hex(hex_key).ok_or_else(|| "a public key is 64 hex characters".to_string())?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| "not a valid Ed25519 public key".to_string())
}

/// Check one link of `kiosk_id`'s chain on its own: formats, hash, signature, and that the record
/// inside names the same id, seq and kiosk. Whether it follows the stored chain is not its job.
pub fn check_link(key: &VerifyingKey, kiosk_id: &str, link: &Link) -> Result<Record, LinkError> {
    let malformed = |m: String| LinkError::Malformed(format!("rating seq {}: {m}", link.seq));
    if uuid::Uuid::parse_str(&link.id).is_err() {
        return Err(malformed(format!("id {:?} is not a UUID", link.id)));
    }
    if link.seq < 1 {
        return Err(malformed("seq starts at 1".into()));
    }
    for (name, value) in [("prev_hash", &link.prev_hash), ("hash", &link.hash)] {
        if !is_hash(value) {
            return Err(malformed(format!("{name} is not 64 lowercase hex characters")));
        }
    }
    if link_hash(&link.prev_hash, &link.record_json) != link.hash {
        return Err(LinkError::BadHash);
    }
    let hash: [u8; 32] = decode_hex(&link.hash).ok_or(LinkError::BadHash)?;
    let signature: [u8; 64] = decode_hex(&link.signature).ok_or_else(|| malformed("signature is not 128 hex characters".into()))?;
    if key.verify_strict(&hash, &Signature::from_bytes(&signature)).is_err() {
        return Err(LinkError::BadSignature);
    }
    let record: Record =
        serde_json::from_str(&link.record_json).map_err(|e| malformed(format!("record_json is not a rating record: {e}")))?;
    if record.id != link.id || record.seq != link.seq || record.kiosk_id != kiosk_id {
        return Err(malformed(format!(
            "record_json names id {}, seq {}, kiosk {}; the link says id {}, seq {}, kiosk {kiosk_id}",
            record.id, record.seq, record.kiosk_id, link.id, link.seq
        )));
    }
    record.rated_at_utc().map_err(malformed)?;
    Ok(record)
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn decode_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let bytes = hex::decode(s).ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn link(key: &SigningKey, prev_hash: &str, record_json: &str) -> Link {
        let hash = link_hash(prev_hash, record_json);
        let raw: [u8; 32] = hex::decode(&hash).unwrap().try_into().unwrap();
        Link {
            id: "6f1c2a3b-0000-4000-8000-000000000001".into(),
            seq: 1,
            prev_hash: prev_hash.into(),
            hash,
            signature: hex::encode(key.sign(&raw).to_bytes()),
            record_json: record_json.into(),
        }
    }

    const RECORD: &str = r#"{"id":"6f1c2a3b-0000-4000-8000-000000000001","seq":1,"kiosk_id":"K1","agency_code":"000.00.17.H41","level":"hai_long","official":"hai_long","reasons":[],"rated_at":"2026-03-05T08:40:12+07:00"}"#;

    #[test]
    fn months_are_counted_in_vietnam() {
        assert_eq!(month_in_vietnam("2026-03-31T17:00:00Z").unwrap(), "2026-04");
        assert_eq!(month_in_vietnam("2026-03-31T16:59:59Z").unwrap(), "2026-03");
        assert_eq!(month_in_vietnam("2026-04-01T06:59:59+07:00").unwrap(), "2026-04");
    }

    #[test]
    fn hash_is_sha256_of_prev_newline_record() {
        // SHA-256 of "0…0\n{}", computed independently with sha256sum.
        assert_eq!(link_hash(ZERO_HASH, "{}"), "5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e");
        assert_ne!(link_hash(ZERO_HASH, "{}"), link_hash(ZERO_HASH, "{} "));
    }

    #[test]
    fn a_good_link_passes_and_each_alteration_is_named() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let good = link(&key, ZERO_HASH, RECORD);
        let record = check_link(&key.verifying_key(), "K1", &good).unwrap();
        assert_eq!(record.official, Official::HaiLong);
        assert_eq!(record.rated_at_utc().unwrap(), "2026-03-05T01:40:12.000Z");

        let mut altered = good.clone();
        altered.record_json = RECORD.replace("\"hai_long\",\"reasons\"", "\"rat_hai_long\",\"reasons\"");
        assert_eq!(check_link(&key.verifying_key(), "K1", &altered), Err(LinkError::BadHash));

        let other = SigningKey::from_bytes(&[8; 32]);
        assert_eq!(check_link(&other.verifying_key(), "K1", &good), Err(LinkError::BadSignature));

        assert!(matches!(check_link(&key.verifying_key(), "K2", &good), Err(LinkError::Malformed(_))));
    }
}
