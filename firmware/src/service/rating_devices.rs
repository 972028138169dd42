//! Enrolled rating devices: a rating tablet or the second kiosk beside a counter may rate a
//! ticket by its printed number (the citizen in front of it just finished), which nobody else
//! on the network may. The manager enrols one (`kioskd enroll-device NAME`, or `/admin`), which
//! prints its bearer token once; it is known by the token's hash only, listed on `/admin` and
//! revocable.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::{Service, ServiceError};
use crate::auth;
use crate::store::devices;
use crate::time;

/// A device as `/admin` lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RatingDevice {
    pub name: String,
    #[serde(with = "time::json")]
    pub enrolled_at: DateTime<FixedOffset>,
    #[serde(with = "time::json::option")]
    pub revoked_at: Option<DateTime<FixedOffset>>,
    #[serde(with = "time::json::option")]
    pub last_used_at: Option<DateTime<FixedOffset>>,
}

impl Service {
    /// The live enrolled device whose bearer token is `token`.
    pub async fn rating_device(&self, token: Option<&str>) -> Result<Option<String>, ServiceError> {
        let Some(token) = token else { return Ok(None) };
        let hash = auth::token_hash(token);
        Ok(self.store().read(move |conn| devices::live_by_token(conn, &hash)).await?)
    }

    /// Every device ever enrolled.
    pub async fn rating_devices(&self) -> Result<Vec<RatingDevice>, ServiceError> {
        let rows = self.store().read(devices::all).await?;
        let at = |ms: i64| time::from_millis(self.config().centre.offset, ms);
        Ok(rows
            .into_iter()
            .map(|d| RatingDevice {
                name: d.name,
                enrolled_at: at(d.enrolled_at),
                revoked_at: d.revoked_at.map(at),
                last_used_at: d.last_used_at.map(at),
            })
            .collect())
    }

    /// Revoke the device `name`; whether a live one had that name.
    pub async fn revoke_rating_device(&self, name: &str) -> Result<bool, ServiceError> {
        let (name, now) = (name.trim().to_string(), self.now().timestamp_millis());
        Ok(self.store().write(move |tx| devices::revoke(tx, &name, now)).await?)
    }
}

/// Enrol a device in the database at `db` (beside a running kioskd or not): its token, shown
/// once, or `None` when a live device already has that name.
pub fn enroll_beside(db: &std::path::Path, name: &str, now_ms: i64) -> Result<Option<String>, crate::store::StoreError> {
    let token = auth::new_token();
    let hash = auth::token_hash(&token);
    let enrolled = crate::store::write_beside(db, |tx| devices::enroll(tx, name, &hash, now_ms))?;
    Ok(enrolled.then_some(token))
}

/// Revoke a device in the database at `db`; whether a live one had that name.
pub fn revoke_beside(db: &std::path::Path, name: &str, now_ms: i64) -> Result<bool, crate::store::StoreError> {
    crate::store::write_beside(db, |tx| devices::revoke(tx, name, now_ms))
}
