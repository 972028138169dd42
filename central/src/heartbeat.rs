//! A kiosk's heartbeat as `docs/sync-protocol.md` ("Heartbeats") defines it: the envelope, the
//! signed `heartbeat_json`, and the checks that need no database — signature by the kiosk's
//! device key, shape and ranges of every field. Pure: the push route and the tests use it as is.

use chrono::DateTime;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The protocol version that introduced heartbeats.
pub const PROTOCOL: u32 = 2;
/// Largest heartbeat body.
pub const MAX_BODY: usize = 64 * 1024;
/// What is hashed before `heartbeat_json`, so a heartbeat signature never passes as another kind.
const PREFIX: &str = "heartbeat\n";
/// Longest free text (centre name, service name, version).
const MAX_TEXT: usize = 200;
/// Longest state word (`printer`, `clock.state`, `trigger`, `catalogue.source`).
const MAX_WORD: usize = 32;
const MAX_SERVICES: usize = 64;
const MAX_WINDOWS: usize = 64;

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub protocol: u32,
    pub kiosk_id: String,
    pub public_key: String,
    pub heartbeat_json: String,
    pub signature: String,
}

/// What `heartbeat_json` holds. Unknown fields are ignored (a newer kiosk may add some); the
/// string itself is stored, so nothing is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub kiosk_id: String,
    pub seq: i64,
    pub sent_at: String,
    pub trigger: String,
    pub interval_seconds: u32,
    pub centre: Centre,
    pub software_version: String,
    pub catalogue: CatalogueState,
    pub uptime_seconds: u64,
    pub printer: String,
    pub clock: ClockState,
    pub disk_free_bytes: u64,
    pub database_bytes: u64,
    pub waiting: Vec<Waiting>,
    pub tickets_today: u64,
    pub outbox: Outbox,
    #[serde(default)]
    pub dispensing_windows: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centre {
    pub name: String,
    pub agency_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueState {
    pub version: u64,
    pub source: String,
    #[serde(default)]
    pub refused: Option<Refused>,
}

/// The last catalogue bundle the kiosk refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub version: Option<u64>,
    pub reason: String,
    pub message: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockState {
    pub state: String,
    #[serde(default)]
    pub last_event_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub service: String,
    pub name: String,
    pub waiting: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub pending: u64,
    pub oldest_age_seconds: Option<u64>,
}

/// Why a heartbeat was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeartbeatError {
    #[error("{0}")]
    Malformed(String),
    #[error("the signature does not verify with the kiosk's public key")]
    BadSignature,
}

/// `SHA-256("heartbeat\n" || heartbeat_json)`: the 32 bytes the kiosk signs.
pub fn heartbeat_hash(heartbeat_json: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(PREFIX.as_bytes());
    h.update(heartbeat_json.as_bytes());
    h.finalize().into()
}

/// A heartbeat that holds on its own, with the hex of its hash (what a resend is known by).
#[derive(Debug, Clone)]
pub struct Checked {
    pub heartbeat: Heartbeat,
    pub heartbeat_json: String,
    pub hash: String,
    pub signature: String,
}

/// Check a heartbeat of `kiosk_id`, signed by `key`: protocol, signature, shape and ranges.
pub fn check(envelope: Envelope, key: &VerifyingKey, kiosk_id: &str) -> Result<Checked, HeartbeatError> {
    let malformed = HeartbeatError::Malformed;
    if envelope.protocol != PROTOCOL {
        return Err(malformed(format!("protocol {} is not spoken here: heartbeats are protocol {PROTOCOL}", envelope.protocol)));
    }
    let hash = heartbeat_hash(&envelope.heartbeat_json);
    let signature: [u8; 64] = hex::decode(&envelope.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| malformed("signature is not 128 hex characters".into()))?;
    if key.verify_strict(&hash, &Signature::from_bytes(&signature)).is_err() {
        return Err(HeartbeatError::BadSignature);
    }
    let heartbeat: Heartbeat =
        serde_json::from_str(&envelope.heartbeat_json).map_err(|e| malformed(format!("heartbeat_json is not a heartbeat: {e}")))?;
    if heartbeat.kiosk_id != kiosk_id {
        return Err(malformed(format!("heartbeat_json names kiosk {}, the request kiosk {kiosk_id}", heartbeat.kiosk_id)));
    }
    if let Some(problem) = heartbeat.problem() {
        return Err(malformed(format!("heartbeat_json: {problem}")));
    }
    Ok(Checked { heartbeat, heartbeat_json: envelope.heartbeat_json, hash: hex::encode(hash), signature: envelope.signature })
}

fn is_time(t: &str) -> bool {
    DateTime::parse_from_rfc3339(t).is_ok()
}

fn is_word(w: &str) -> bool {
    !w.is_empty() && w.len() <= MAX_WORD && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn is_text(t: &str) -> bool {
    !t.trim().is_empty() && t.chars().count() <= MAX_TEXT && !t.chars().any(char::is_control)
}

impl Heartbeat {
    /// The first field out of range, named as the protocol names it.
    pub fn problem(&self) -> Option<String> {
        let checks: [(bool, &str); 14] = [
            (self.seq >= 1, "seq starts at 1"),
            (is_time(&self.sent_at), "sent_at is not an RFC 3339 time"),
            (is_word(&self.trigger), "trigger is a word of lowercase letters, digits and _"),
            ((1..=86_400).contains(&self.interval_seconds), "interval_seconds is 1…86400"),
            (is_text(&self.centre.name), "centre.name is empty, too long or has control characters"),
            (is_text(&self.centre.agency_code), "centre.agency_code is empty, too long or has control characters"),
            (is_text(&self.software_version), "software_version is empty, too long or has control characters"),
            (is_word(&self.catalogue.source), "catalogue.source is a word of lowercase letters, digits and _"),
            (is_word(&self.printer), "printer is a word of lowercase letters, digits and _"),
            (is_word(&self.clock.state), "clock.state is a word of lowercase letters, digits and _"),
            (self.clock.last_event_at.as_deref().is_none_or(is_time), "clock.last_event_at is not an RFC 3339 time"),
            (self.waiting.len() <= MAX_SERVICES, "waiting lists at most 64 services"),
            (self.dispensing_windows.len() <= MAX_WINDOWS, "dispensing_windows lists at most 64 windows"),
            (
                self.outbox.pending > 0 || self.outbox.oldest_age_seconds.is_none(),
                "outbox.oldest_age_seconds is null when nothing is pending",
            ),
        ];
        if let Some((_, problem)) = checks.iter().find(|(ok, _)| !ok) {
            return Some(problem.to_string());
        }
        for (i, w) in self.waiting.iter().enumerate() {
            if !is_text(&w.service) || !is_text(&w.name) {
                return Some(format!("waiting[{i}]: service and name are non-empty texts of at most {MAX_TEXT} characters"));
            }
        }
        for (i, (from, to)) in self.dispensing_windows.iter().enumerate() {
            match (DateTime::parse_from_rfc3339(from), DateTime::parse_from_rfc3339(to)) {
                (Ok(f), Ok(t)) if f < t => {}
                _ => return Some(format!("dispensing_windows[{i}] is not [from, to] with two RFC 3339 times, from before to")),
            }
        }
        if let Some(r) = &self.catalogue.refused {
            if !is_word(&r.reason) || !is_time(&r.at) || r.message.chars().count() > 2000 {
                return Some("catalogue.refused has a reason word, a message (at most 2000 characters) and an RFC 3339 time `at`".into());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};
    use serde_json::json;

    pub fn sample() -> serde_json::Value {
        json!({
            "kiosk_id": "K1", "seq": 7, "sent_at": "2026-03-05T08:40:12+07:00", "trigger": "interval",
            "interval_seconds": 60,
            "centre": {"name": "Trung tâm Phục vụ hành chính công xã Hòa Phú", "agency_code": "000.00.17.H41"},
            "software_version": "0.2.0",
            "catalogue": {"version": 3, "source": "central", "refused": null},
            "uptime_seconds": 3600, "printer": "paper_low",
            "clock": {"state": "ok", "last_event_at": null},
            "disk_free_bytes": 1_000_000_000u64, "database_bytes": 4_000_000,
            "waiting": [{"service": "A", "name": "Hộ tịch – Chứng thực", "waiting": 3}],
            "tickets_today": 87,
            "outbox": {"pending": 0, "oldest_age_seconds": null},
            "dispensing_windows": [["2026-03-05T07:00:00+07:00", "2026-03-05T11:15:00+07:00"]],
            "a_field_of_a_newer_kiosk": true,
        })
    }

    fn envelope(key: &SigningKey, heartbeat_json: &str) -> Envelope {
        Envelope {
            protocol: 2,
            kiosk_id: "K1".into(),
            public_key: hex::encode(key.verifying_key().as_bytes()),
            heartbeat_json: heartbeat_json.into(),
            signature: hex::encode(key.sign(&heartbeat_hash(heartbeat_json)).to_bytes()),
        }
    }

    #[test]
    fn a_signed_heartbeat_passes_and_unknown_fields_are_ignored() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let text = sample().to_string();
        let checked = check(envelope(&key, &text), &key.verifying_key(), "K1").unwrap();
        assert_eq!(checked.heartbeat.seq, 7);
        assert_eq!(checked.heartbeat.printer, "paper_low");
        assert_eq!(checked.heartbeat_json, text, "stored as signed");
        assert_eq!(checked.hash, hex::encode(heartbeat_hash(&text)));
    }

    #[test]
    fn a_changed_byte_another_key_or_another_kiosk_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let text = sample().to_string();
        let mut altered = envelope(&key, &text);
        altered.heartbeat_json = text.replace("paper_low", "ready____");
        assert_eq!(check(altered, &key.verifying_key(), "K1").unwrap_err(), HeartbeatError::BadSignature);
        let other = SigningKey::from_bytes(&[8; 32]);
        assert_eq!(check(envelope(&key, &text), &other.verifying_key(), "K1").unwrap_err(), HeartbeatError::BadSignature);
        assert!(
            matches!(check(envelope(&key, &text), &key.verifying_key(), "K2"), Err(HeartbeatError::Malformed(m)) if m.contains("names kiosk K1"))
        );
        let mut old = envelope(&key, &text);
        old.protocol = 1;
        assert!(matches!(check(old, &key.verifying_key(), "K1"), Err(HeartbeatError::Malformed(m)) if m.contains("protocol 1")));
    }

    #[test]
    fn each_field_out_of_range_is_named() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let cases: [(&str, serde_json::Value, &str); 8] = [
            ("/seq", json!(0), "seq starts at 1"),
            ("/sent_at", json!("yesterday"), "sent_at"),
            ("/printer", json!("Paper Out"), "printer"),
            ("/interval_seconds", json!(0), "interval_seconds"),
            ("/centre/name", json!("  "), "centre.name"),
            ("/outbox/oldest_age_seconds", json!(60), "outbox.oldest_age_seconds"),
            ("/dispensing_windows/0/1", json!("2026-03-05T06:00:00+07:00"), "dispensing_windows[0]"),
            ("/disk_free_bytes", json!(-1), "expected u64"),
        ];
        for (pointer, value, named) in cases {
            let mut hb = sample();
            *hb.pointer_mut(pointer).unwrap() = value;
            let text = hb.to_string();
            match check(envelope(&key, &text), &key.verifying_key(), "K1") {
                Err(HeartbeatError::Malformed(m)) => assert!(m.contains(named), "{pointer}: {m}"),
                other => panic!("{pointer}: {other:?}"),
            }
        }
        let mut hb = sample();
        hb.as_object_mut().unwrap().remove("printer");
        let text = hb.to_string();
        assert!(
            matches!(check(envelope(&key, &text), &key.verifying_key(), "K1"), Err(HeartbeatError::Malformed(m)) if m.contains("printer"))
        );
    }

    /// The vector printed in `docs/sync-protocol.md` (the hash checked with `sha256sum`).
    #[test]
    fn the_documented_test_vector_holds() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let hash = heartbeat_hash(r#"{"kiosk_id":"K1","seq":1}"#);
        assert_eq!(hex::encode(hash), "272bda2a3f179f5ad79954c8f357c475dfbb6819e3ee25e393e1392e296086a6");
        assert_eq!(
            hex::encode(key.sign(&hash).to_bytes()),
            "f0ce3b68f63849f482e767cdd2900b1f8ad169c0648352fe2ff6503cc0af42220d7145a98b246c16019539e8ef75d0fdb40b3d4cbd7d706762925649e8474608"
        );
    }
}
