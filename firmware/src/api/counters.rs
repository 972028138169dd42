//! Staff routes at a counter: log in with the PIN, then call, recall, serve, finish, mark
//! no-show or transfer — each only with that counter's own token.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{bearer, ApiJson, ApiPath, ClientAddr};
use crate::queue::{Action, TransferPosition};
use crate::text::nfc;
use crate::Service;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pin: String,
    /// The officer's name, recorded with the calls and dossiers of this session (optional).
    #[serde(default)]
    officer: Option<String>,
}

pub async fn login(
    State(service): State<Service>,
    ClientAddr(client): ClientAddr,
    ApiPath(counter): ApiPath<u32>,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<impl IntoResponse, ApiError> {
    let token = service.login(&client, counter, &body.pin, body.officer.as_deref()).await?;
    Ok(Json(json!({"token": token, "counter": counter})))
}

/// End the session on the server: the token is dead at once, also after a restart.
pub async fn logout(State(service): State<Service>, ApiPath(counter): ApiPath<u32>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    service.logout(bearer(&headers), counter).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A ticket as a counter sees it: without its id, the secret that lets its holder rate it (an
/// officer must not be able to rate their own service).
fn staff_view(ticket: &crate::service::TicketView) -> serde_json::Value {
    let mut v = json!(ticket);
    if let Some(o) = v.as_object_mut() {
        o.remove("id");
    }
    v
}

pub async fn call_next(State(service): State<Service>, ApiPath(counter): ApiPath<u32>, headers: HeaderMap) -> Result<Response, ApiError> {
    let session = service.authorize(bearer(&headers), counter)?;
    Ok(match service.call_next(counter, session.officer).await? {
        Some(ticket) => Json(json!({"ticket": staff_view(&ticket)})).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

async fn act(service: Service, counter: u32, headers: HeaderMap, action: Action) -> Result<Response, ApiError> {
    service.authorize(bearer(&headers), counter)?;
    let ticket = service.act(counter, action).await?;
    Ok(Json(json!({"ticket": staff_view(&ticket)})).into_response())
}

pub async fn recall(State(s): State<Service>, ApiPath(n): ApiPath<u32>, h: HeaderMap) -> Result<Response, ApiError> {
    act(s, n, h, Action::Recall).await
}

pub async fn start(State(s): State<Service>, ApiPath(n): ApiPath<u32>, h: HeaderMap) -> Result<Response, ApiError> {
    act(s, n, h, Action::StartServing).await
}

pub async fn no_show(State(s): State<Service>, ApiPath(n): ApiPath<u32>, h: HeaderMap) -> Result<Response, ApiError> {
    act(s, n, h, Action::NoShow).await
}

pub async fn finish(State(s): State<Service>, ApiPath(n): ApiPath<u32>, h: HeaderMap) -> Result<Response, ApiError> {
    act(s, n, h, Action::Finish).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    service: String,
    #[serde(default)]
    position: Option<TransferPosition>,
}

pub async fn transfer(
    State(service): State<Service>,
    ApiPath(counter): ApiPath<u32>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<TransferBody>,
) -> Result<Response, ApiError> {
    service.authorize(bearer(&headers), counter)?;
    let ticket = service.transfer(counter, &nfc(body.service.trim()), body.position).await?;
    Ok(Json(json!({"ticket": staff_view(&ticket)})).into_response())
}
