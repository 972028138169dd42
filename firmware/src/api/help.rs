//! Help in the hall: the kiosk's "Cần hỗ trợ" button asks (`POST /api/v1/help`, public like the
//! kiosk's other routes, one open request per place however often it is pressed); the officers
//! read the open requests and answer one with their counter's token (`GET
//! /api/v1/counters/{n}/help`, `POST /api/v1/counters/{n}/help/{id}/acknowledge`). The requests
//! themselves are staff events: they never go on the anonymous stream.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;

use super::error::ApiError;
use super::extract::{bearer, ApiPath};
use crate::events::HelpFrom;
use crate::Service;

/// The touchscreen asks for help: 201 with the new request, or 200 with the one still open.
pub async fn request(State(service): State<Service>) -> Result<impl IntoResponse, ApiError> {
    let before = service.open_help_requests().await?.into_iter().any(|r| r.from == HelpFrom::Kiosk);
    let request = service.request_help(HelpFrom::Kiosk).await?;
    Ok((if before { StatusCode::OK } else { StatusCode::CREATED }, Json(request)))
}

/// Today's open help requests, for the officer at counter `n`.
pub async fn open(
    State(service): State<Service>,
    ApiPath(counter): ApiPath<u32>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    service.authorize(bearer(&headers), counter)?;
    Ok(Json(json!({"open": service.open_help_requests().await?})))
}

/// The officer at counter `n` answers request `id`: they are on their way.
pub async fn acknowledge(
    State(service): State<Service>,
    ApiPath((counter, id)): ApiPath<(u32, i64)>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    service.authorize(bearer(&headers), counter)?;
    Ok(Json(service.acknowledge_help(counter, id).await?))
}
