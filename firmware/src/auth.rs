//! Staff login at a counter: PINs are kept only as argon2 hashes, a login gives a bearer token
//! bound to one counter, and repeated wrong PINs slow the guesser down. Sessions are kept by the
//! SHA-256 of their token, here and on disk (`store::sessions`), so they outlive a restart.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// How long a counter session lasts: a working day with margin.
const SESSION_TTL: Duration = Duration::from_secs(14 * 3600);
/// Wrong PINs allowed before the counter's login is locked for a while.
const FREE_ATTEMPTS: u32 = 3;

/// The hash to paste into `pin_hash` in the configuration.
pub fn hash_pin(pin: &str) -> String {
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes()).expect("16 bytes is a valid salt");
    Argon2::default().hash_password(pin.as_bytes(), &salt).expect("argon2 with default parameters").to_string()
}

/// Whether `pin` matches `hash` (a malformed hash matches nothing).
pub fn verify_pin(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("wrong PIN for this counter")]
    BadPin,
    #[error("too many wrong PINs; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("missing or unknown token: log in at the counter first")]
    Unauthenticated,
    #[error("this token belongs to counter {token_counter}, not counter {counter}")]
    WrongCounter { token_counter: u32, counter: u32 },
}

struct Failures {
    count: u32,
    locked_until: Option<Instant>,
}

/// A logged-in officer at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub counter: u32,
    /// The officer's name as typed at login, recorded with calls and dossiers (optional).
    pub officer: Option<String>,
    expires_at_ms: i64,
}

/// A session as it is written to the database: the token's hash, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub token_sha256: String,
    pub counter: u32,
    pub officer: Option<String>,
    pub expires_at_ms: i64,
}

/// Milliseconds since the Unix epoch by the system clock (sessions live in real time).
pub fn unix_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn token_sha256(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Live counter sessions (by token hash) and login throttling.
#[derive(Default)]
pub struct Sessions {
    tokens: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<u32, Failures>>,
}

impl Sessions {
    /// Refuse early when the counter is locked after wrong PINs.
    pub fn check_not_locked(&self, counter: u32) -> Result<(), AuthError> {
        let failures = self.failures.lock().unwrap();
        if let Some(until) = failures.get(&counter).and_then(|f| f.locked_until) {
            let now = Instant::now();
            if until > now {
                return Err(AuthError::TooManyAttempts { retry_after_secs: (until - now).as_secs() + 1 });
            }
        }
        Ok(())
    }

    /// Record a wrong PIN; from the fourth on, lock for 2, 4, 8 … seconds (at most 5 minutes).
    pub fn record_failure(&self, counter: u32) {
        let mut failures = self.failures.lock().unwrap();
        let f = failures.entry(counter).or_insert(Failures { count: 0, locked_until: None });
        f.count += 1;
        if f.count >= FREE_ATTEMPTS {
            let secs = 1u64 << (f.count - FREE_ATTEMPTS + 1).min(8);
            f.locked_until = Some(Instant::now() + Duration::from_secs(secs.min(300)));
        }
    }

    /// A successful login: forget failures and open a session. Returns the token and what to
    /// write to the database.
    pub fn open(&self, counter: u32, officer: Option<String>) -> (String, StoredSession) {
        self.failures.lock().unwrap().remove(&counter);
        let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        let now = unix_ms();
        let stored =
            StoredSession { token_sha256: token_sha256(&token), counter, officer, expires_at_ms: now + SESSION_TTL.as_millis() as i64 };
        self.restore(now, [stored.clone()]);
        (token, stored)
    }

    /// Take back sessions read from the database (and forget the expired ones).
    pub fn restore(&self, now_ms: i64, sessions: impl IntoIterator<Item = StoredSession>) {
        let mut tokens = self.tokens.lock().unwrap();
        tokens.retain(|_, s| s.expires_at_ms > now_ms);
        for s in sessions {
            tokens.insert(s.token_sha256, Session { counter: s.counter, officer: s.officer, expires_at_ms: s.expires_at_ms });
        }
    }

    /// The live session of a token, whatever its counter.
    pub fn session(&self, token: Option<&str>) -> Result<Session, AuthError> {
        let token = token.ok_or(AuthError::Unauthenticated)?;
        match self.tokens.lock().unwrap().get(&token_sha256(token)) {
            Some(s) if s.expires_at_ms > unix_ms() => Ok(s.clone()),
            _ => Err(AuthError::Unauthenticated),
        }
    }

    /// The token must exist, be fresh, and belong to `counter`.
    pub fn authorize(&self, token: Option<&str>, counter: u32) -> Result<Session, AuthError> {
        let s = self.session(token)?;
        if s.counter == counter {
            Ok(s)
        } else {
            Err(AuthError::WrongCounter { token_counter: s.counter, counter })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_hashed_and_verified() {
        let h = hash_pin("1234");
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("1234"));
        assert!(verify_pin("1234", &h));
        assert!(!verify_pin("1235", &h));
        assert!(!verify_pin("1234", "not a hash"));
    }

    #[test]
    fn tokens_bind_to_one_counter() {
        let s = Sessions::default();
        let (t, stored) = s.open(3, Some("Lê Thị Hoa".into()));
        assert!(!stored.token_sha256.contains(&t) && stored.token_sha256.len() == 64, "only a hash is stored");
        assert_eq!(s.authorize(Some(&t), 3).unwrap().officer.as_deref(), Some("Lê Thị Hoa"));
        assert_eq!(s.authorize(Some(&t), 4), Err(AuthError::WrongCounter { token_counter: 3, counter: 4 }));
        assert_eq!(s.authorize(Some("nope"), 3), Err(AuthError::Unauthenticated));
        assert_eq!(s.authorize(None, 3), Err(AuthError::Unauthenticated));

        // What was stored lets a restarted service take the token back; an expired one does not.
        let restarted = Sessions::default();
        let now = unix_ms();
        restarted
            .restore(now, [stored, StoredSession { token_sha256: token_sha256("old"), counter: 1, officer: None, expires_at_ms: now - 1 }]);
        assert_eq!(restarted.authorize(Some(&t), 3).unwrap().officer.as_deref(), Some("Lê Thị Hoa"));
        assert_eq!(restarted.authorize(Some("old"), 1), Err(AuthError::Unauthenticated));
    }

    #[test]
    fn repeated_failures_lock_the_counter() {
        let s = Sessions::default();
        s.record_failure(1);
        s.record_failure(1);
        assert!(s.check_not_locked(1).is_ok());
        s.record_failure(1);
        assert!(matches!(s.check_not_locked(1), Err(AuthError::TooManyAttempts { .. })));
        assert!(s.check_not_locked(2).is_ok());
    }
}
