//! Staff login at a counter: PINs are kept only as argon2 hashes, a login gives a bearer token
//! bound to one counter, and wrong PINs slow the guesser down. Sessions are kept by the SHA-256
//! of their token, here and on disk (`store::sessions`), so they outlive a restart; logging out
//! ends one on the server at once.
//!
//! Throttling is decided *before* a PIN is verified, per client address and counter: an
//! attempt is counted as a failure when it is let through (a success undoes it), so a few
//! hundred guesses sent in parallel cannot all pass the check, and a storm from one address
//! never locks out the officer signing in from another. At most [`PARALLEL_VERIFICATIONS`]
//! argon2 verifications (19 MiB each) run at once, whoever asks. The throttle's state is
//! written down too (`store::sessions`), so a restart does not give a guesser fresh attempts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// How long a counter session lasts: a working day with margin.
const SESSION_TTL: Duration = Duration::from_secs(14 * 3600);
/// Wrong PINs allowed from one address at one counter before its logins there are locked.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest lock after wrong PINs.
const MAX_LOCK_MS: i64 = 300_000;
/// A client whose last lock ended this long ago starts afresh.
const FORGET_AFTER_MS: i64 = 3_600_000;
/// Clients remembered at most; beyond, those no longer locked are forgotten first.
const MAX_CLIENTS: usize = 10_000;
/// argon2 verifications running at once (each holds 19 MiB for ~0.1 s on a Pi).
pub const PARALLEL_VERIFICATIONS: usize = 2;
/// How long a login waits for a verification slot before being told to retry.
const VERIFY_WAIT: Duration = Duration::from_secs(10);

/// The published development PINs (README): counters 1 to 6 and the manager.
pub const DEVELOPMENT_PINS: [&str; 7] = ["1111", "2222", "3333", "4444", "5555", "6666", "9999"];

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
    #[error("no enrolled device has this token: the manager enrols a kiosk with `kioskd enroll-device NAME`")]
    NotADevice,
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

/// Whether any of the published development PINs opens `hash`.
pub fn is_development_pin(hash: &str) -> bool {
    DEVELOPMENT_PINS.iter().any(|pin| verify_pin(pin, hash))
}

/// The wrong-PIN record of one client address at one counter (0: the manager), as written down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failures {
    pub client: String,
    pub counter: u32,
    /// Attempts let through and not (yet) followed by a success.
    pub count: u32,
    /// Unix milliseconds until which this client may not try this counter (0: not locked).
    pub locked_until_ms: i64,
}

/// Live counter sessions (by token hash) and login throttling.
#[derive(Default)]
pub struct Sessions {
    tokens: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<(String, u32), Failures>>,
}

impl Sessions {
    /// Let one attempt of `client` at `counter` through, or refuse it while locked. The attempt
    /// is counted as a failure now (in the same lock as the check), so parallel attempts see
    /// each other; [`Sessions::succeeded`] forgets them. Returns what to write down.
    pub fn begin_attempt(&self, client: &str, counter: u32, now_ms: i64) -> Result<Failures, AuthError> {
        let mut failures = self.failures.lock().unwrap();
        if failures.len() >= MAX_CLIENTS {
            failures.retain(|_, f| f.locked_until_ms > now_ms);
        }
        let f = failures.entry((client.to_string(), counter)).or_insert_with(|| Failures {
            client: client.to_string(),
            counter,
            count: 0,
            locked_until_ms: 0,
        });
        if f.locked_until_ms > now_ms {
            let secs = (f.locked_until_ms - now_ms + 999) / 1000;
            return Err(AuthError::TooManyAttempts { retry_after_secs: secs as u64 });
        }
        if f.count > 0 && f.locked_until_ms > 0 && now_ms - f.locked_until_ms > FORGET_AFTER_MS {
            f.count = 0;
        }
        f.count += 1;
        if f.count >= FREE_ATTEMPTS {
            let ms = 1000i64 << (f.count - FREE_ATTEMPTS + 1).min(9);
            f.locked_until_ms = now_ms + ms.min(MAX_LOCK_MS);
        }
        Ok(f.clone())
    }

    /// A right PIN: forget the client's failures at that counter.
    pub fn succeeded(&self, client: &str, counter: u32) {
        self.failures.lock().unwrap().remove(&(client.to_string(), counter));
    }

    /// Take back the throttle's state read from the database.
    pub fn restore_failures(&self, rows: impl IntoIterator<Item = Failures>) {
        let mut failures = self.failures.lock().unwrap();
        for f in rows {
            failures.insert((f.client.clone(), f.counter), f);
        }
    }

    /// A successful login: open a session. Returns the token and what to write to the database.
    pub fn open(&self, counter: u32, officer: Option<String>) -> (String, StoredSession) {
        let token = new_token();
        let now = unix_ms();
        let stored =
            StoredSession { token_sha256: token_sha256(&token), counter, officer, expires_at_ms: now + SESSION_TTL.as_millis() as i64 };
        self.restore(now, [stored.clone()]);
        (token, stored)
    }

    /// End the session of `token` at once; the hash to delete from the database.
    pub fn close(&self, token: &str) -> String {
        let hash = token_sha256(token);
        self.tokens.lock().unwrap().remove(&hash);
        hash
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

/// argon2 off the async workers, at most [`PARALLEL_VERIFICATIONS`] at once.
pub struct PinVerifier {
    slots: tokio::sync::Semaphore,
    verified: AtomicU64,
}

impl Default for PinVerifier {
    fn default() -> Self {
        PinVerifier { slots: tokio::sync::Semaphore::new(PARALLEL_VERIFICATIONS), verified: AtomicU64::new(0) }
    }
}

impl PinVerifier {
    /// Whether `pin` opens `hash`; `TooManyAttempts` when no slot freed up in time.
    pub async fn verify(&self, pin: &str, hash: &str) -> Result<bool, AuthError> {
        let busy = AuthError::TooManyAttempts { retry_after_secs: VERIFY_WAIT.as_secs() };
        let _slot = match tokio::time::timeout(VERIFY_WAIT, self.slots.acquire()).await {
            Ok(Ok(slot)) => slot,
            _ => return Err(busy),
        };
        self.verified.fetch_add(1, Ordering::Relaxed);
        let (pin, hash) = (pin.to_string(), hash.to_string());
        Ok(tokio::task::spawn_blocking(move || verify_pin(&pin, &hash)).await.unwrap_or(false))
    }

    /// How many PINs were verified since start.
    pub fn verified(&self) -> u64 {
        self.verified.load(Ordering::Relaxed)
    }
}

/// The SHA-256 of a device or session token, as stored.
pub fn token_hash(token: &str) -> String {
    token_sha256(token)
}

/// A new random bearer token (256 bits, hex).
pub fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
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
    fn attempts_are_counted_before_verification_per_client_and_counter() {
        let s = Sessions::default();
        let now = 1_000_000;
        // Parallel attempts see each other: only the free ones pass, whatever their outcome.
        let passed = (0..100).filter(|_| s.begin_attempt("10.0.0.9", 1, now).is_ok()).count();
        assert_eq!(passed, FREE_ATTEMPTS as usize);
        assert!(matches!(s.begin_attempt("10.0.0.9", 1, now + 500), Err(AuthError::TooManyAttempts { .. })));
        // Another address at the same counter, and the same address at another counter, are free.
        assert!(s.begin_attempt("10.0.0.10", 1, now).is_ok());
        assert!(s.begin_attempt("10.0.0.9", 2, now).is_ok());
        // After the lock, one more try; a success forgets the failures.
        let f = s.begin_attempt("10.0.0.9", 1, now + 2_001).unwrap();
        assert_eq!(f.count, FREE_ATTEMPTS + 1);
        assert!(f.locked_until_ms >= now + 2_001 + 4_000, "the lock doubles: {f:?}");
        s.succeeded("10.0.0.9", 1);
        assert_eq!(s.begin_attempt("10.0.0.9", 1, now + 2_002).unwrap().count, 1);
        // What was written down comes back after a restart.
        let restarted = Sessions::default();
        restarted.restore_failures([Failures { client: "10.0.0.7".into(), counter: 3, count: 5, locked_until_ms: now + 60_000 }]);
        assert!(matches!(restarted.begin_attempt("10.0.0.7", 3, now), Err(AuthError::TooManyAttempts { retry_after_secs: 60 })));
    }

    #[test]
    fn a_closed_session_is_dead() {
        let s = Sessions::default();
        let (t, stored) = s.open(2, None);
        assert!(s.authorize(Some(&t), 2).is_ok());
        assert_eq!(s.close(&t), stored.token_sha256);
        assert_eq!(s.authorize(Some(&t), 2), Err(AuthError::Unauthenticated));
    }

    #[test]
    fn development_pins_are_recognised() {
        assert!(is_development_pin(&hash_pin("4444")));
        assert!(is_development_pin(&hash_pin("9999")));
        assert!(!is_development_pin(&hash_pin("4821")));
    }
}
