//! The centre manager's routes behind the manager's PIN: login, the figures as JSON and the CSV
//! export (the `/admin` page that draws them is in `crate::web`).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{bearer, ApiJson, ApiPath, ApiQuery, ClientAddr};
use crate::Service;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pin: String,
}

pub async fn login(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(json!({"token": service.manager_login(&client, &b.pin).await?})))
}

pub async fn logout(State(service): State<Service>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    service.manager_logout(bearer(&headers)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The enrolled rating devices (`kioskd enroll-device NAME` enrols one).
pub async fn devices(State(service): State<Service>, headers: HeaderMap) -> Result<impl IntoResponse, ApiError> {
    service.manager(bearer(&headers))?;
    Ok(Json(json!({"devices": service.rating_devices().await?})))
}

/// Revoke an enrolled rating device: its token no longer rates by number.
pub async fn revoke_device(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    service.manager(bearer(&headers))?;
    if service.revoke_rating_device(&name).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(StatusCode::NOT_FOUND, "unknown_device", format!("no enrolled device is named {name:?}")))
    }
}

#[derive(Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// The days asked for, checked: YYYY-MM-DD, from ≤ to, at most a year.
fn days(service: &Service, r: Range) -> Result<(String, String), ApiError> {
    let today = service.now().date_naive();
    let parse = |name: &str, v: Option<String>| -> Result<NaiveDate, ApiError> {
        match v {
            None => Ok(today),
            Some(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", format!("{name} {v:?} must be a date YYYY-MM-DD"))),
        }
    };
    let (from, to) = (parse("from", r.from)?, parse("to", r.to)?);
    if from > to || (to - from).num_days() > 366 {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_query", "from must be on or before to, at most a year apart"));
    }
    Ok((from.to_string(), to.to_string()))
}

pub async fn figures(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiQuery(r): ApiQuery<Range>,
) -> Result<impl IntoResponse, ApiError> {
    service.manager(bearer(&headers))?;
    let (from, to) = days(&service, r)?;
    Ok(Json(service.figures(from, to).await?))
}

pub async fn export(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiQuery(r): ApiQuery<Range>,
) -> Result<impl IntoResponse, ApiError> {
    service.manager(bearer(&headers))?;
    let (from, to) = days(&service, r)?;
    let csv = service.tickets_csv(from.clone(), to.clone()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"tickets-{from}-{to}.csv\"")),
        ],
        csv,
    ))
}
