//! `GET /api/v1/fleet` (admin token): every registered kiosk with its latest heartbeat, whether
//! it is online, and its alerts, most urgent first; `?alert=CODE` keeps the kiosks with that
//! alert.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::error::ApiError;
use super::App;
use crate::store::StoreError;
use crate::{alerts, bundles, fleet};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetQuery {
    alert: Option<String>,
}

pub async fn fleet(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: Result<Query<FleetQuery>, QueryRejection>,
) -> Result<Json<fleet::View>, ApiError> {
    app.require_admin(&headers)?;
    let Query(q) = query.map_err(|e| ApiError::bad_query(e.body_text()))?;
    let only = q.alert.filter(|a| !a.is_empty());
    if let Some(code) = &only {
        if !alerts::ALERTS.iter().any(|(c, _)| c == code) {
            let known: Vec<&str> = alerts::ALERTS.iter().map(|(c, _)| *c).collect();
            return Err(ApiError::bad_query(format!("alert={code:?} is not an alert; one of {}", known.join(", "))));
        }
    }
    let (rows, latest) = app.store.read(|sql| -> Result<_, StoreError> { Ok((fleet::statuses(sql)?, bundles::latest(sql)?)) }).await?;
    let catalogue = latest.and_then(|l| {
        let published = DateTime::parse_from_rfc3339(&l.published_at).ok()?.with_timezone(&Utc);
        Some((u64::try_from(l.version).ok()?, published))
    });
    Ok(Json(fleet::view(&app.config.kiosks, &rows, catalogue, &app.config.fleet, Utc::now(), only.as_deref())))
}
