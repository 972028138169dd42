//! `POST /api/v1/push/ratings`: who is pushing (credential, kiosk id, key), then the batch's
//! links on their own, then the batch against the stored chain in one write transaction.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::App;
use crate::intake::{self, Batch};

pub async fn push(State(app): State<Arc<App>>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Json<Value>, ApiError> {
    let kiosk = app.kiosk(&headers)?;
    let body = body.map_err(|e| ApiError::new(e.status(), "malformed", e.body_text()))?;
    let batch: Batch = serde_json::from_slice(&body).map_err(|e| {
        let status = if e.is_data() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
        ApiError::new(status, "malformed", format!("the body is not a rating batch: {e}"))
    })?;
    if batch.kiosk_id != kiosk.id {
        return Err(ApiError::bad_credential(format!("this credential belongs to kiosk {}, not {}", kiosk.id, batch.kiosk_id)));
    }
    let public_key = kiosk.public_key_hex();
    if !batch.public_key.eq_ignore_ascii_case(&public_key) {
        return Err(ApiError::bad_credential(format!("public_key {} is not the key registered for kiosk {}", batch.public_key, kiosk.id)));
    }
    // Up to 500 signature checks: off the async threads.
    let key = kiosk.public_key;
    let checked = tokio::task::spawn_blocking(move || intake::check(batch, &key))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .inspect_err(|e| tracing::warn!(kiosk = %kiosk.id, error = %e, "batch refused"))?;
    let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let kiosk_id = kiosk.id.clone();
    let accepted = app
        .store
        .write(move |sql| intake::store(sql, &kiosk_id, &public_key, checked, &received_at))
        .await
        .inspect_err(|e| tracing::warn!(kiosk = %kiosk.id, error = %e, "batch refused"))?;
    tracing::info!(kiosk = %kiosk.id, stored = accepted.stored, resent = accepted.acknowledged.len() - accepted.stored, last_seq = accepted.last_seq, "batch acknowledged");
    Ok(Json(json!({"acknowledged": accepted.acknowledged, "last_seq": accepted.last_seq})))
}
