//! Public routes: health, services, tickets and the queue overview — what the kiosk screen, the
//! hall display and a citizen's phone read.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{bearer, ApiJson, ApiPath};
use crate::service::{CardScan, ClockCheck};
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
            "kiosks": service.kiosk_printers(),
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
    /// The calling kiosk prints the ticket on its own printer (an enrolled kiosk's token).
    #[serde(default)]
    prints_itself: bool,
    /// The QR text of the citizen's CCCD / Căn cước card, as a scanner read it (issue 19).
    #[serde(default)]
    identity_qr: Option<String>,
    /// With `identity_qr`: a holder aged 60 or more declines the elderly priority.
    #[serde(default)]
    decline_priority: bool,
}

/// Take a number. Printed on this service's printer, unless an enrolled kiosk with its own
/// printer asks (`prints_itself`): then the answer carries the paper and nothing prints here.
pub async fn issue(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<IssueBody>,
) -> Result<axum::response::Response, ApiError> {
    let code = nfc(body.service.trim());
    let priority = body.priority.as_deref().map(|p| nfc(p.trim())).filter(|p| !p.is_empty());
    let card = body.identity_qr.map(|qr| CardScan { qr, decline_priority: body.decline_priority });
    if body.prints_itself {
        let kiosk = service.enrolled_kiosk(bearer(&headers)).await?;
        let ticket = service.issue_for_kiosk(&kiosk, &code, priority.as_deref(), card.as_ref()).await?;
        return Ok((StatusCode::CREATED, Json(ticket)).into_response());
    }
    let ticket = service.issue_scanned(&code, priority.as_deref(), card.as_ref()).await?;
    Ok((StatusCode::CREATED, Json(ticket)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedBody {
    printed: bool,
}

/// An enrolled kiosk reports whether it printed a ticket it dispensed.
pub async fn printed(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PrintedBody>,
) -> Result<impl IntoResponse, ApiError> {
    let kiosk = service.enrolled_kiosk(bearer(&headers)).await?;
    Ok(Json(json!({"ticket": service.record_kiosk_print(&kiosk, &id, body.printed).await?})))
}

/// A printer state as a kiosk reports it.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ReportedState {
    Ready,
    PaperNearEnd,
    PaperOut,
    CoverOpen,
    Offline,
    Unknown,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterBody {
    state: ReportedState,
}

/// An enrolled kiosk reports its own printer's state (at each change and every half minute).
pub async fn kiosk_printer(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PrinterBody>,
) -> Result<impl IntoResponse, ApiError> {
    let kiosk = service.enrolled_kiosk(bearer(&headers)).await?;
    let state = match body.state {
        ReportedState::Ready => printer::PrinterState::Ready,
        ReportedState::PaperNearEnd => printer::PrinterState::PaperNearEnd,
        ReportedState::PaperOut => printer::PrinterState::PaperOut,
        ReportedState::CoverOpen => printer::PrinterState::CoverOpen,
        ReportedState::Offline => printer::PrinterState::Offline,
        ReportedState::Unknown => printer::PrinterState::Unknown,
    };
    service.record_kiosk_printer(&kiosk, crate::printing::state_name(state)).await?;
    Ok(Json(json!({"kiosk": kiosk, "state": crate::printing::state_name(state)})))
}

/// What a second kiosk needs of the centre to draw its screens: name, the link printed in QR
/// codes, the priority categories, the priority a scanned card of someone aged 60 or more gets,
/// whether (and when) it texts citizens (public: all of it is on the kiosk's screen).
pub async fn centre(State(service): State<Service>) -> impl IntoResponse {
    let config = service.config();
    Json(json!({
        "name": config.centre.name,
        "public_url": config.centre.public_url,
        "utc_offset_seconds": config.centre.offset.local_minus_utc(),
        "priorities": config.priorities.iter().map(|p| json!({"code": p.code, "name_vi": p.name_vi, "name_en": p.name_en})).collect::<Vec<_>>(),
        "notices": service.notices_enabled(),
        "notify_ahead": config.notify.as_ref().map(|n| n.ahead),
        "elderly_priority": config.identity.elderly_priority,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyBody {
    phone: String,
}

/// The ticket's holder (by its secret id) leaves a mobile number for SMS notices: when it is
/// nearly their turn, and when they are called.
pub async fn notify(
    State(service): State<Service>,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NotifyBody>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(service.subscribe_notices(&id, &body.phone).await?)))
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
