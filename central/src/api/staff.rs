//! What the province's staff read: the stored ratings (behind the admin token), the satisfaction
//! of each centre, and per centre, service and month (JSON and CSV). Time bounds are RFC 3339
//! times or dates, a date meaning the whole day in Vietnam (UTC+7).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{NaiveDate, TimeZone};
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::App;
use crate::chain::{utc_text, vietnam, Official};
use crate::ratings::{self, CentreFigures, Filter};
use crate::{fleet, satisfaction};

const DEFAULT_LIMIT: i64 = 1000;
const MAX_LIMIT: i64 = 10_000;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingsQuery {
    centre: Option<String>,
    kiosk: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/v1/ratings?centre=&kiosk=&from=&to=&limit=&offset=`, oldest first.
pub async fn list(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: Result<Query<RatingsQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    app.require_admin(&headers)?;
    let Query(q) = query.map_err(|e| ApiError::bad_query(e.body_text()))?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = q.offset.unwrap_or(0);
    if !(1..=MAX_LIMIT).contains(&limit) || offset < 0 {
        return Err(ApiError::bad_query(format!("limit is 1…{MAX_LIMIT} and offset at least 0")));
    }
    let filter = Filter {
        centre: q.centre.filter(|s| !s.is_empty()),
        kiosk: q.kiosk.filter(|s| !s.is_empty()),
        from: bound("from", q.from.as_deref(), false)?,
        to: bound("to", q.to.as_deref(), true)?,
    };
    let rows = app.store.read(move |sql| ratings::list(sql, &filter, limit, offset)).await?;
    let ratings: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            let record: Value = serde_json::from_str(&r.record_json).unwrap_or(Value::Null);
            json!({
                "id": r.id, "kiosk_id": r.kiosk_id, "seq": r.seq, "agency_code": r.agency_code,
                "official": r.official, "rated_at": r.rated_at, "received_at": r.received_at,
                "prev_hash": r.prev_hash, "hash": r.hash, "signature": r.signature, "public_key": r.public_key,
                "record_json": r.record_json, "record": record,
            })
        })
        .collect();
    Ok(Json(json!({"count": ratings.len(), "limit": limit, "offset": offset, "ratings": ratings})))
}

/// `GET /api/v1/centres?from=&to=`: counts per official level and % satisfied, per centre.
pub async fn centres(State(app): State<Arc<App>>, query: Result<Query<PeriodQuery>, QueryRejection>) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_query(e.body_text()))?;
    let figures = figures(&app, &q).await?;
    Ok(Json(json!({ "centres": figures })))
}

pub async fn figures(app: &App, q: &PeriodQuery) -> Result<Vec<CentreFigures>, ApiError> {
    let filter = Filter { from: bound("from", q.from.as_deref(), false)?, to: bound("to", q.to.as_deref(), true)?, ..Filter::default() };
    Ok(app.store.read(move |sql| ratings::centre_figures(sql, &filter)).await?)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionQuery {
    centre: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

async fn satisfaction_rows(app: &App, q: SatisfactionQuery) -> Result<Vec<satisfaction::Row>, ApiError> {
    let filter = Filter {
        centre: q.centre.filter(|s| !s.is_empty()),
        from: bound("from", q.from.as_deref(), false)?,
        to: bound("to", q.to.as_deref(), true)?,
        ..Filter::default()
    };
    Ok(app
        .store
        .read(move |sql| {
            let mut rows = satisfaction::rows(sql, &filter)?;
            let (centres, services) = fleet::names(&fleet::statuses(sql)?);
            satisfaction::name(&mut rows, &centres, &services);
            Ok(rows)
        })
        .await?)
}

/// `GET /api/v1/satisfaction?centre=&from=&to=`: per centre, service and month, the three levels.
pub async fn satisfaction(
    State(app): State<Arc<App>>,
    query: Result<Query<SatisfactionQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_query(e.body_text()))?;
    let rows = satisfaction_rows(&app, q).await?;
    let levels: Vec<Value> = Official::ALL.iter().map(|l| json!({"code": l.code(), "label": l.label()})).collect();
    Ok(Json(json!({"levels": levels, "rows": rows})))
}

/// `GET /api/v1/satisfaction.csv?centre=&from=&to=`: the same rows for a spreadsheet.
pub async fn satisfaction_csv(
    State(app): State<Arc<App>>,
    query: Result<Query<SatisfactionQuery>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad_query(e.body_text()))?;
    let name = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| s.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', ""))
            .unwrap_or_else(|| "all".into())
    };
    let filename = format!("hai-long-{}-{}.csv", name(&q.from), name(&q.to));
    let rows = satisfaction_rows(&app, q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        satisfaction::csv(&rows),
    ))
}

/// A query time as stored UTC text; a date is the start of that day in Vietnam, or for `to`
/// the start of the next (so `to` includes the day it names).
fn bound(name: &str, value: Option<&str>, end: bool) -> Result<Option<String>, ApiError> {
    let Some(value) = value.filter(|v| !v.is_empty()) else { return Ok(None) };
    if let Ok(t) = utc_text(value) {
        return Ok(Some(t));
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_query(format!("{name}={value:?}: use a date (2026-03-05) or an RFC 3339 time")))?;
    let date = if end { date.succ_opt().unwrap_or(date) } else { date };
    let start = vietnam().from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight")).single().expect("fixed offset");
    Ok(Some(utc_text(&start.to_rfc3339()).expect("own output")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_a_whole_day_in_vietnam() {
        assert_eq!(bound("from", Some("2026-03-05"), false).unwrap().unwrap(), "2026-03-04T17:00:00.000Z");
        assert_eq!(bound("to", Some("2026-03-05"), true).unwrap().unwrap(), "2026-03-05T17:00:00.000Z");
        assert_eq!(bound("to", Some("2026-03-05T08:00:00+07:00"), true).unwrap().unwrap(), "2026-03-05T01:00:00.000Z");
        assert!(bound("from", Some("hôm qua"), false).is_err());
        assert_eq!(bound("from", Some(""), false).unwrap(), None);
    }
}
