//! Staff identity: a counter's PIN login (argon2, throttled), the manager's login for `/admin`,
//! and checking a bearer token on each staff action. Sessions are written down before their
//! token is handed out, and taken back at start, so a restart logs nobody out.

use super::{Service, ServiceError};
use crate::auth::{self, AuthError, Session, StoredSession};
use crate::queue::QueueError;
use crate::store::sessions::{self, SessionRow};
use crate::store::StoreError;

fn to_row(s: StoredSession) -> SessionRow {
    SessionRow { token_sha256: s.token_sha256, counter: s.counter, officer: s.officer, expires_at_ms: s.expires_at_ms }
}

fn from_row(s: SessionRow) -> StoredSession {
    StoredSession { token_sha256: s.token_sha256, counter: s.counter, officer: s.officer, expires_at_ms: s.expires_at_ms }
}

impl Service {
    /// Take back the sessions still valid on disk (at start).
    pub(super) async fn restore_sessions(&self) -> Result<(), StoreError> {
        let now_ms = auth::unix_ms();
        let live = self.store().read(move |conn| sessions::live(conn, now_ms)).await?;
        self.inner.sessions.restore(now_ms, live.into_iter().map(from_row));
        Ok(())
    }

    /// Log in at a counter with its PIN; returns a bearer token for that counter only.
    pub async fn login(&self, counter: u32, pin: &str, officer: Option<&str>) -> Result<String, ServiceError> {
        let def = self.inner.config.counter(counter).ok_or(QueueError::UnknownCounter(counter))?;
        self.inner.sessions.check_not_locked(counter)?;
        let (pin, hash) = (pin.to_string(), def.pin_hash.clone());
        // argon2 is deliberately slow: keep it off the async workers.
        let ok = tokio::task::spawn_blocking(move || auth::verify_pin(&pin, &hash)).await.unwrap_or(false);
        if !ok {
            self.inner.sessions.record_failure(counter);
            tracing::warn!(counter, "wrong PIN at counter login");
            return Err(AuthError::BadPin.into());
        }
        tracing::info!(counter, "counter logged in");
        let officer = officer.map(|o| crate::text::nfc(o.trim())).filter(|o| !o.is_empty());
        self.open_session(counter, officer).await
    }

    /// Open a session and write it down before handing out its token.
    async fn open_session(&self, counter: u32, officer: Option<String>) -> Result<String, ServiceError> {
        let (token, stored) = self.inner.sessions.open(counter, officer);
        let row = to_row(stored);
        self.store().write(move |tx| sessions::insert(tx, &row, auth::unix_ms())).await?;
        Ok(token)
    }

    /// Check a bearer token for a staff action at `counter`.
    pub fn authorize(&self, token: Option<&str>, counter: u32) -> Result<Session, ServiceError> {
        self.inner.config.counter(counter).ok_or(QueueError::UnknownCounter(counter))?;
        Ok(self.inner.sessions.authorize(token, counter)?)
    }

    /// Log in as the centre manager (for `/admin`); the session is counter 0.
    pub async fn manager_login(&self, pin: &str) -> Result<String, ServiceError> {
        let hash = self.inner.config.manager_pin_hash.clone().ok_or(AuthError::BadPin)?;
        self.inner.sessions.check_not_locked(0)?;
        let pin = pin.to_string();
        let ok = tokio::task::spawn_blocking(move || auth::verify_pin(&pin, &hash)).await.unwrap_or(false);
        if !ok {
            self.inner.sessions.record_failure(0);
            tracing::warn!("wrong manager PIN");
            return Err(AuthError::BadPin.into());
        }
        self.open_session(0, Some("Quản lý".into())).await
    }

    /// Check a manager token.
    pub fn manager(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        Ok(self.inner.sessions.authorize(token, 0)?)
    }

    /// The session of a staff token, at whichever counter it was opened.
    pub fn staff(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        Ok(self.inner.sessions.session(token)?)
    }
}
