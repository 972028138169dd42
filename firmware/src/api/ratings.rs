//! Rating routes: the configured scale, a citizen's rating, and the outbox state for staff.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{bearer, ApiJson};
use crate::service::{Answer, Rater};
use crate::Service;

pub async fn levels(State(service): State<Service>) -> impl IntoResponse {
    let scale = &service.config().ratings;
    Json(json!(scale
        .levels
        .iter()
        .map(|l| json!({"code": l.code, "label_vi": l.label_vi, "label_en": l.label_en, "official": l.official, "asks_reason": l.asks_reason}))
        .collect::<Vec<_>>()))
}

pub async fn reasons(State(service): State<Service>) -> impl IntoResponse {
    Json(json!(service.config().ratings.reasons))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    #[serde(default)]
    ticket_id: Option<String>,
    #[serde(default)]
    ticket_number: Option<String>,
    #[serde(default)]
    dossier_code: Option<String>,
    /// The secret of the dossier's receipt slip (the `k` of its QR link).
    #[serde(default)]
    dossier_key: Option<String>,
    level: String,
    #[serde(default)]
    reasons: Vec<String>,
}

/// A rating over HTTP: by the ticket's id or the dossier slip's secret from anyone; by the
/// printed number or the dossier code alone only from an enrolled rating device (its token).
pub async fn rate(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<RatingBody>,
) -> Result<impl IntoResponse, ApiError> {
    let by = match service.rating_device(bearer(&headers)).await? {
        Some(name) => Rater::Device(name),
        None => Rater::Network,
    };
    let id = service
        .rate(Answer {
            ticket_id: b.ticket_id,
            ticket_number: b.ticket_number,
            dossier_code: b.dossier_code,
            dossier_key: b.dossier_key,
            level: b.level,
            reasons: b.reasons,
            by,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

pub async fn sync(State(service): State<Service>, headers: HeaderMap) -> Result<impl IntoResponse, ApiError> {
    service.staff(bearer(&headers))?;
    Ok(Json(service.sync_state().await?))
}
