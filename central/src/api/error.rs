//! Every failure leaves the API as `{"error": {"code", "message"}}` (plus `expected_seq` for a
//! chain gap, `last_seq` for a stale heartbeat), with the status the protocol's answer tables
//! give the kiosk. Push and heartbeat errors map to codes here and nowhere else.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::chain::LinkError;
use crate::heartbeat::HeartbeatError;
use crate::intake::PushError;
use crate::store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub expected_seq: Option<i64>,
    pub last_seq: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), expected_seq: None, last_seq: None }
    }

    pub fn bad_credential(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "bad_credential", message)
    }

    pub fn bad_query(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_query", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(seq) = self.expected_seq {
            error["expected_seq"] = seq.into();
        }
        if let Some(seq) = self.last_seq {
            error["last_seq"] = seq.into();
        }
        let mut resp = (self.status, Json(json!({ "error": error }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert("www-authenticate", "Bearer".parse().expect("valid header"));
        }
        resp
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        tracing::error!(error = %e, "storage failure");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable", "the database is unavailable; try again")
    }
}

impl From<PushError> for ApiError {
    fn from(e: PushError) -> ApiError {
        use StatusCode as S;
        let message = e.to_string();
        match e {
            PushError::Malformed(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "malformed", message),
            PushError::BadLink { source, .. } => match source {
                LinkError::Malformed(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "malformed", message),
                LinkError::BadHash => ApiError::new(S::UNPROCESSABLE_ENTITY, "bad_hash", message),
                LinkError::BadSignature => ApiError::new(S::UNPROCESSABLE_ENTITY, "bad_signature", message),
            },
            PushError::ChainGap { expected_seq, .. } => {
                ApiError { expected_seq: Some(expected_seq), ..ApiError::new(S::CONFLICT, "chain_gap", message) }
            }
            PushError::ChainConflict(_) => ApiError::new(S::CONFLICT, "chain_conflict", message),
            PushError::Store(s) => s.into(),
        }
    }
}

impl From<HeartbeatError> for ApiError {
    fn from(e: HeartbeatError) -> ApiError {
        let message = e.to_string();
        match e {
            HeartbeatError::Malformed(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "malformed", message),
            HeartbeatError::BadSignature => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_signature", message),
        }
    }
}
