//! `POST /api/v1/push/heartbeat`: who is reporting (credential, kiosk id, key), the signed
//! heartbeat on its own, then — in one write transaction — stored as the kiosk's latest state if
//! it is newer than the stored one.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::App;
use crate::fleet::{self, Applied};
use crate::heartbeat::{self, Envelope};
use crate::{bundles, store::StoreError};

pub async fn heartbeat(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let kiosk = app.kiosk(&headers)?;
    let body = body.map_err(|e| ApiError::new(e.status(), "malformed", e.body_text()))?;
    let envelope: Envelope = serde_json::from_slice(&body).map_err(|e| {
        let status = if e.is_data() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::BAD_REQUEST };
        ApiError::new(status, "malformed", format!("the body is not a heartbeat: {e}"))
    })?;
    if envelope.kiosk_id != kiosk.id {
        return Err(ApiError::bad_credential(format!("this credential belongs to kiosk {}, not {}", kiosk.id, envelope.kiosk_id)));
    }
    let public_key = kiosk.public_key_hex();
    if !envelope.public_key.eq_ignore_ascii_case(&public_key) {
        return Err(ApiError::bad_credential(format!(
            "public_key {} is not the key registered for kiosk {}",
            envelope.public_key, kiosk.id
        )));
    }
    let checked = heartbeat::check(envelope, &kiosk.public_key, &kiosk.id)
        .inspect_err(|e| tracing::warn!(kiosk = %kiosk.id, error = %e, "heartbeat refused"))?;
    let seq = checked.heartbeat.seq;
    let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let kiosk_id = kiosk.id.clone();
    let (applied, latest) = app
        .store
        .write(move |sql| -> Result<_, StoreError> {
            let applied = fleet::apply(sql, &kiosk_id, &public_key, &checked, &received_at)?;
            Ok((applied, bundles::latest(sql)?.map(|l| l.version)))
        })
        .await?;
    match applied {
        Applied::Stored | Applied::Resent => {
            tracing::debug!(kiosk = %kiosk.id, seq, resent = applied == Applied::Resent, "heartbeat");
            Ok(Json(json!({"applied": applied == Applied::Stored, "last_seq": seq, "catalogue_version": latest})))
        }
        Applied::Stale { last_seq } => {
            tracing::info!(kiosk = %kiosk.id, seq, last_seq, "stale heartbeat refused");
            let message = format!("a heartbeat with seq {last_seq} is stored; this one has seq {seq}: continue from seq {}", last_seq + 1);
            Err(ApiError { last_seq: Some(last_seq), ..ApiError::new(StatusCode::CONFLICT, "stale_heartbeat", message) })
        }
    }
}
