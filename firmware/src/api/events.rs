//! `GET /api/v1/events`: server-sent events for hall displays and counter pages. A client that
//! reconnects with `Last-Event-ID` (or `?since=`) first gets what it missed from the journal,
//! then live events — a display that lost Wi-Fi for a minute still shows every call.
//!
//! Anonymous clients get the public events only ([`crate::events::Event::is_public`]: the
//! queue and the printer); a staff bearer token gets every event: dossiers, ratings and help
//! requests from the kiosk too.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::error::ApiError;
use super::extract::{bearer, ApiQuery};
use crate::events::{Journaled, LAGGED};
use crate::Service;

#[derive(Deserialize)]
pub struct Since {
    since: Option<i64>,
}

fn to_sse(e: &Journaled) -> SseEvent {
    SseEvent::default().id(e.seq.to_string()).event(e.event.name()).data(e.event.data_json())
}

pub async fn events(
    State(service): State<Service>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<Since>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let staff = service.staff(bearer(&headers)).is_ok();
    let shown = move |e: &Journaled| staff || e.event.is_public();
    let header = match headers.get("last-event-id") {
        None => None,
        Some(v) => Some(v.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_header", "Last-Event-ID must be the number of the last event received")
        })?),
    };
    if q.since.is_some_and(|n| n < 0) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_query", "since must be the number of an event, 0 or more"));
    }
    let last_id = header.or(q.since);
    // Subscribe before reading the journal so nothing falls between the two.
    let live = service.events().subscribe();
    let mut missed = match last_id {
        Some(seq) => service.events_since(seq, 1000).await?,
        None => Vec::new(),
    };
    let last_read = missed.last().map(|e| e.seq);
    missed.retain(shown);
    // Live events the replay already carried are skipped; no other. Commands committed together
    // (the store's group commit) are answered at once, and their use cases may publish in either
    // order: a lower number arriving after a higher one is still sent, never dropped.
    let replayed = last_read.unwrap_or(last_id.unwrap_or(0));
    let replay = stream::iter(missed.iter().map(to_sse).map(Ok).collect::<Vec<_>>());
    let live = stream::unfold(live, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(e) if e.seq <= replayed || !shown(&e) => continue,
                Ok(e) => return Some((Ok(to_sse(&e)), rx)),
                // A slow client skipped events; tell it so it can refetch /api/v1/queue.
                Err(RecvError::Lagged(n)) => {
                    let ev = SseEvent::default().event(LAGGED).data(format!("{{\"skipped\":{n}}}"));
                    return Some((Ok(ev), rx));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream = replay.chain(live).take_until(service.events().closed());
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
