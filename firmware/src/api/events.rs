//! `GET /api/v1/events`: server-sent events for hall displays and counter pages. A client that
//! reconnects with `Last-Event-ID` (or `?since=`) first gets what it missed from the journal,
//! then live events — a display that lost Wi-Fi for a minute still shows every call. The stream
//! is anonymous, so it carries public events only ([`Event::is_public`](crate::events::Event::is_public),
//! the one filter, for the replay and the live events alike): a help request never reaches it.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::error::ApiError;
use super::extract::ApiQuery;
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
    let last_id = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok()).or(q.since);
    // Subscribe before reading the journal so nothing falls between the two.
    let live = service.events().subscribe();
    let missed = match last_id {
        Some(seq) => service.events_since(seq, 1000).await?,
        None => Vec::new(),
    };
    let last_sent = missed.last().map(|e| e.seq).unwrap_or(last_id.unwrap_or(0));
    let replay = stream::iter(missed.iter().filter(|e| e.event.is_public()).map(to_sse).map(Ok).collect::<Vec<_>>());
    let live = stream::unfold((live, last_sent), |(mut rx, last_sent)| async move {
        loop {
            match rx.recv().await {
                Ok(e) if e.seq <= last_sent || !e.event.is_public() => continue,
                Ok(e) => return Some((Ok(to_sse(&e)), (rx, e.seq))),
                // A slow client skipped events; tell it so it can refetch /api/v1/queue.
                Err(RecvError::Lagged(n)) => {
                    let ev = SseEvent::default().event(LAGGED).data(format!("{{\"skipped\":{n}}}"));
                    return Some((Ok(ev), (rx, last_sent)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream = replay.chain(live).take_until(service.events().closed());
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
