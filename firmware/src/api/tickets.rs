//! Public routes: health, services, tickets and the queue overview — what the kiosk screen, the
//! hall display and a citizen's phone read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{ApiJson, ApiPath};
use crate::service::ClockCheck;
use crate::text::nfc;
use crate::Service;

pub async fn healthz(State(service): State<Service>) -> impl IntoResponse {
    let db_ok = service.database_ok().await;
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let time = crate::time::rfc3339;
    let now = time(service.now());
    let clock = match service.clock_check().await {
        ClockCheck::Ok => json!({"state": "ok", "now": now}),
        ClockCheck::Behind { last_event_at } => json!({"state": "behind", "now": now, "last_event_at": time(last_event_at)}),
    };
    let fine = db_ok && clock["state"] == "ok";
    let catalogue = service.catalog();
    (
        status,
        Json(json!({
            "status": if fine { "ok" } else { "degraded" },
            "db": if db_ok { "ok" } else { "error" },
            "printer": {"state": service.printer_state()},
            "clock": clock,
            "catalogue": {"version": catalogue.version, "source": catalogue.source.as_str()},
        })),
    )
}

pub async fn services(State(service): State<Service>) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(service.services().await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    service: String,
    #[serde(default)]
    priority: Option<String>,
}

pub async fn issue(State(service): State<Service>, ApiJson(body): ApiJson<IssueBody>) -> Result<impl IntoResponse, ApiError> {
    let code = nfc(body.service.trim());
    let priority = body.priority.as_deref().map(|p| nfc(p.trim())).filter(|p| !p.is_empty());
    let ticket = service.issue(&code, priority.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(ticket)))
}

pub async fn ticket(State(service): State<Service>, ApiPath(id): ApiPath<String>) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(service.ticket(&id).await?))
}

pub async fn cancel(State(service): State<Service>, ApiPath(id): ApiPath<String>) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(json!({"ticket": service.cancel(&id).await?})))
}

pub async fn queue(State(service): State<Service>) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(service.queue().await?))
}

pub async fn figures_today(State(service): State<Service>) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(service.figures_today().await?))
}
