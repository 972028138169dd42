//! Staff identity: a counter's PIN login and the manager's login for `/admin` (argon2, throttled
//! per client address before any PIN is verified), checking a bearer token on each staff action,
//! and logging out. Sessions and the throttle are written down before a token is handed out or
//! a PIN verified, and taken back at start, so a restart logs nobody out and forgets no guess.

use super::{Service, ServiceError};
use crate::auth::{self, AuthError, Failures, Session, StoredSession};
use crate::queue::QueueError;
use crate::store::sessions::{self, FailureRow, SessionRow};
use crate::store::StoreError;

/// Failures older than this are not taken back at start (the longest lock is 5 minutes).
const REMEMBER_FAILURES_MS: i64 = 3_600_000;

fn to_row(s: StoredSession) -> SessionRow {
    SessionRow { token_sha256: s.token_sha256, counter: s.counter, officer: s.officer, expires_at_ms: s.expires_at_ms }
}

fn from_row(s: SessionRow) -> StoredSession {
    StoredSession { token_sha256: s.token_sha256, counter: s.counter, officer: s.officer, expires_at_ms: s.expires_at_ms }
}

impl Service {
    /// Take back the sessions still valid on disk and the wrong-PIN throttle (at start).
    pub(super) async fn restore_sessions(&self) -> Result<(), StoreError> {
        let now_ms = auth::unix_ms();
        let (live, failures) = self
            .store()
            .read(move |conn| Ok((sessions::live(conn, now_ms)?, sessions::recent_failures(conn, now_ms - REMEMBER_FAILURES_MS)?)))
            .await?;
        self.inner.sessions.restore(now_ms, live.into_iter().map(from_row));
        self.inner.sessions.restore_failures(failures.into_iter().map(|f| Failures {
            client: f.client,
            counter: f.counter,
            count: f.failures,
            locked_until_ms: f.locked_until_ms,
        }));
        Ok(())
    }

    /// Check `pin` against `hash` for `client` at `counter` (0: the manager): throttled before
    /// argon2 runs, the attempt written down first (durably: a restart must not clear a
    /// lockout); forgotten on disk by [`Service::open_session`]'s commit on success.
    async fn check_pin(&self, client: &str, counter: u32, pin: &str, hash: &str) -> Result<(), ServiceError> {
        let attempt = self.inner.sessions.begin_attempt(client, counter, auth::unix_ms()).inspect_err(|_| {
            tracing::info!(counter, client, "login refused before any PIN check: too many wrong PINs from this address");
        })?;
        let row = FailureRow { client: attempt.client, counter, failures: attempt.count, locked_until_ms: attempt.locked_until_ms };
        self.store().write(move |tx| sessions::put_failures(tx, &row)).await?;
        if !self.inner.verifier.verify(pin, hash).await? {
            tracing::warn!(counter, client, "wrong PIN");
            return Err(AuthError::BadPin.into());
        }
        self.inner.sessions.succeeded(client, counter);
        Ok(())
    }

    /// Log in at a counter with its PIN from `client` (its IP address); returns a bearer token
    /// for that counter only.
    pub async fn login(&self, client: &str, counter: u32, pin: &str, officer: Option<&str>) -> Result<String, ServiceError> {
        let def = self.inner.config.counter(counter).ok_or(QueueError::UnknownCounter(counter))?;
        let hash = def.pin_hash.clone();
        self.check_pin(client, counter, pin, &hash).await?;
        tracing::info!(counter, "counter logged in");
        let officer = officer.map(|o| crate::text::nfc(o.trim())).filter(|o| !o.is_empty());
        self.open_session(client, counter, officer).await
    }

    /// How many PINs were verified with argon2 since start (throttled attempts are not).
    pub fn pin_verifications(&self) -> u64 {
        self.inner.verifier.verified()
    }

    /// Open a session for `client`, whose PIN was right, and write it down before handing out
    /// its token; the client's wrong attempts are forgotten in the same commit (one fsync).
    async fn open_session(&self, client: &str, counter: u32, officer: Option<String>) -> Result<String, ServiceError> {
        let (token, stored) = self.inner.sessions.open(counter, officer);
        let row = to_row(stored);
        let client = client.to_string();
        self.store()
            .write(move |tx| {
                sessions::clear_failures(tx, &client, counter)?;
                sessions::insert(tx, &row, auth::unix_ms())
            })
            .await?;
        Ok(token)
    }

    /// End the session of `token` at once, in memory and on disk.
    async fn close_session(&self, token: &str) -> Result<(), ServiceError> {
        let hash = self.inner.sessions.close(token);
        self.store().write(move |tx| sessions::delete(tx, &hash)).await?;
        Ok(())
    }

    /// Check a bearer token for a staff action at `counter`.
    pub fn authorize(&self, token: Option<&str>, counter: u32) -> Result<Session, ServiceError> {
        self.inner.config.counter(counter).ok_or(QueueError::UnknownCounter(counter))?;
        Ok(self.inner.sessions.authorize(token, counter)?)
    }

    /// Log out of `counter`: the token is dead at once, also after a restart.
    pub async fn logout(&self, token: Option<&str>, counter: u32) -> Result<(), ServiceError> {
        self.authorize(token, counter)?;
        self.close_session(token.expect("authorized")).await
    }

    /// Log in as the centre manager (for `/admin`); the session is counter 0.
    pub async fn manager_login(&self, client: &str, pin: &str) -> Result<String, ServiceError> {
        let hash = self.inner.config.manager_pin_hash.clone().ok_or(AuthError::BadPin)?;
        self.check_pin(client, 0, pin, &hash).await?;
        self.open_session(client, 0, Some("Quản lý".into())).await
    }

    /// Check a manager token.
    pub fn manager(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        Ok(self.inner.sessions.authorize(token, 0)?)
    }

    /// The manager logs out.
    pub async fn manager_logout(&self, token: Option<&str>) -> Result<(), ServiceError> {
        self.manager(token)?;
        self.close_session(token.expect("authorized")).await
    }

    /// The session of a staff token, at whichever counter it was opened.
    pub fn staff(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        Ok(self.inner.sessions.session(token)?)
    }
}
