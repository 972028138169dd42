//! The voice over HTTP: `GET /api/v1/announcements/{number}?counter=3` says which clips to play
//! for a call (and the sentence as text, for a caption); `GET /api/v1/announcements/{number}/kiosk`
//! what a kiosk says to the citizen who just took that number; both follow `[voice]`.
//! `GET /voice/{clip}.wav` serves a clip from the embedded bank. The display page plays the
//! calls through one queue; a second kiosk plays its words from its own copy of the bank.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::api::ApiError;
use crate::queue::QueueError;
use crate::service::ServiceError;
use crate::voice::{bank, Announcement, AnnouncementError};
use crate::Service;

#[derive(Deserialize)]
pub struct CounterQuery {
    counter: u32,
}

pub async fn announcement(
    State(service): State<Service>,
    Path(number): Path<String>,
    query: Result<Query<CounterQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(CounterQuery { counter }) = query.map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_query", format!("give the counter as ?counter=<number>: {}", e.body_text()))
    })?;
    if service.config().counter(counter).is_none() {
        return Err(ServiceError::Queue(QueueError::UnknownCounter(counter)).into());
    }
    let a = service.config().voice.call(&number, counter).map_err(refusal)?;
    Ok(Json(json!({"number": number, "counter": counter, "text": a.text, "clips": urls(&a)})).into_response())
}

/// What the kiosk says when it issues `number` (`[voice.kiosk] sentence`).
pub async fn kiosk_announcement(State(service): State<Service>, Path(number): Path<String>) -> Result<Response, ApiError> {
    let a = service.config().voice.ticket(&number).map_err(refusal)?;
    Ok(Json(json!({"number": number, "text": a.text, "clips": urls(&a)})).into_response())
}

fn urls(a: &Announcement) -> Vec<String> {
    a.clips.iter().map(|c| format!("/voice/{}.wav", c.slug)).collect()
}

fn refusal(e: AnnouncementError) -> ApiError {
    match e {
        AnnouncementError::Number(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "malformed_number", e.to_string()),
        AnnouncementError::Counter(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unreadable_counter", e.to_string()),
    }
}

pub async fn clip(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".wav").and_then(bank::by_slug) {
        Some(c) => ([(header::CONTENT_TYPE, "audio/wav"), (header::CACHE_CONTROL, "public, max-age=86400")], c.wav).into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "unknown_clip", format!("no voice clip {file:?}")).into_response(),
    }
}
