//! Dossier routes: the appointment preview, receiving a dossier at a counter (staff), the
//! public lookup by code (no personal data), status updates, the one rescheduling, the due-soon
//! list and the import hook for the province's system.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{bearer, ApiJson, ApiPath, ApiQuery};
use crate::dossier::Title;
use crate::service::{Reception, ReceptionError};
use crate::Service;

/// An RFC 3339 time; a time written without an offset (`2026-03-05T08:12`) is the site's
/// local time, as a clerk would mean it.
fn parse_time(service: &Service, field: &str, value: Option<&str>) -> Result<Option<DateTime<FixedOffset>>, ApiError> {
    let Some(v) = value else { return Ok(None) };
    let t = v.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(Some(at));
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok());
    match local.and_then(|n| n.and_local_timezone(*service.now().offset()).single()) {
        Some(at) => Ok(Some(at)),
        None => Err(ApiError::from(crate::ServiceError::from(ReceptionError::BadTime(format!(
            "{field} {v:?} is not an RFC 3339 time; write e.g. \"2026-03-05T08:12:31+07:00\""
        ))))),
    }
}

fn default_channel() -> String {
    "direct".into()
}

/// "Ông" / "Bà" (any case, with or without diacritics); an empty text is none.
fn parse_title(value: Option<&str>) -> Result<Option<Title>, ApiError> {
    match value.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Title::parse(t).map(Some).map_err(|e| ApiError::from(crate::ServiceError::from(ReceptionError::UnknownTitle(e)))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewBody {
    procedure: String,
    #[serde(default)]
    received_at: Option<String>,
    #[serde(default = "default_channel")]
    channel: String,
    /// A time-limit case of the procedure ("xac_minh"); none: the channel's own limit.
    #[serde(default)]
    variant: Option<String>,
}

pub async fn preview(State(service): State<Service>, ApiJson(b): ApiJson<PreviewBody>) -> Result<impl IntoResponse, ApiError> {
    let at = parse_time(&service, "received_at", b.received_at.as_deref())?;
    let a = service.preview_appointment(&b.procedure, at, &b.channel, b.variant.as_deref())?;
    Ok(Json(json!({
        "due_at": crate::time::rfc3339(a.due_at),
        "working_days": a.working_days,
        "rule": a.rule,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveBody {
    procedure: String,
    #[serde(default)]
    received_at: Option<String>,
    #[serde(default = "default_channel")]
    channel: String,
    applicant_name: String,
    /// "Ông" or "Bà": how the slip and any late notice address the applicant.
    #[serde(default)]
    applicant_title: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    sets: Option<u32>,
    /// The applicant's mobile number for the SMS when the result is ready (kept until the day's end).
    #[serde(default)]
    phone: Option<String>,
}

pub async fn receive(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<ReceiveBody>,
) -> Result<impl IntoResponse, ApiError> {
    let session = service.staff(bearer(&headers))?;
    let received_at = parse_time(&service, "received_at", b.received_at.as_deref())?;
    let r = Reception {
        procedure: b.procedure,
        received_at,
        channel: b.channel,
        variant: b.variant,
        applicant_name: b.applicant_name,
        applicant_title: parse_title(b.applicant_title.as_deref())?,
        sets: b.sets.unwrap_or(1),
    };
    let received = service.receive_dossier_notifying(session.counter, session.officer, r, b.phone.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(received)))
}

pub async fn lookup(State(service): State<Service>, ApiPath(code): ApiPath<String>) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(service.lookup_dossier(&code).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    status: u8,
}

pub async fn set_status(
    State(service): State<Service>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<impl IntoResponse, ApiError> {
    service.staff(bearer(&headers))?;
    Ok(Json(service.set_dossier_status(&code, b.status, false).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RescheduleBody {
    new_due_at: String,
    reason: String,
    /// "Ông" or "Bà"; needed unless it was given at reception.
    #[serde(default)]
    addressee_title: Option<String>,
}

pub async fn reschedule(
    State(service): State<Service>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<RescheduleBody>,
) -> Result<impl IntoResponse, ApiError> {
    service.staff(bearer(&headers))?;
    let new_due = parse_time(&service, "new_due_at", Some(&b.new_due_at))?.expect("given");
    let title = parse_title(b.addressee_title.as_deref())?;
    let (dossier, printed) = service.reschedule_dossier(&code, new_due, &b.reason, title).await?;
    Ok(Json(json!({"dossier": dossier, "printed": printed})))
}

#[derive(Deserialize)]
pub struct DueSoonQuery {
    working_days: Option<u32>,
}

pub async fn due_soon(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<DueSoonQuery>,
) -> Result<impl IntoResponse, ApiError> {
    service.staff(bearer(&headers))?;
    Ok(Json(json!({"dossiers": service.dossiers_due_soon(q.working_days.unwrap_or(1).min(30)).await?})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    updates: Vec<ImportItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportItem {
    code: String,
    status: u8,
}

/// Status updates from the province's system: authoritative, so any status is accepted — which
/// is why only the manager's token may send them (a counter officer follows the transitions).
/// Each item succeeds or fails on its own; the answer lists both.
pub async fn import(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiJson(b): ApiJson<ImportBody>,
) -> Result<impl IntoResponse, ApiError> {
    service.manager(bearer(&headers))?;
    let mut results = Vec::new();
    for item in b.updates {
        match service.set_dossier_status(&item.code, item.status, true).await {
            Ok(d) => results.push(json!({"code": d.code, "status": d.status})),
            Err(e) => {
                let e = ApiError::from(e);
                results.push(json!({"code": item.code, "error": {"code": e.code, "message": e.message}}));
            }
        }
    }
    Ok(Json(json!({"results": results})))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ChecklistBody {
    /// The calling kiosk prints it on its own printer (an enrolled kiosk's token).
    #[serde(default)]
    prints_itself: bool,
}

/// Print a procedure's document checklist on this kiosk's printer (the kiosk's "In danh mục
/// giấy tờ"); for an enrolled kiosk that prints itself (`prints_itself`), the paper instead.
pub async fn print_checklist(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let body: ChecklistBody = if body.iter().all(u8::is_ascii_whitespace) {
        ChecklistBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| match e.is_data() {
            true => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", format!("the body: {e}")),
            false => ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not JSON: {e}")),
        })?
    };
    if body.prints_itself {
        service.enrolled_kiosk(bearer(&headers)).await?;
        return Ok(Json(json!({"printed": null, "paper": service.checklist_paper(&code)?})));
    }
    Ok(Json(json!({"printed": service.print_checklist(&code).await?})))
}
