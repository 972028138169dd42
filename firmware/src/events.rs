//! State changes as events. An event is published only after the transaction that journaled it
//! committed — a hall display never shows a call the database does not have. Subscribers (SSE
//! clients, the printer task, the voice announcer, the UI) each get their own receiver; a slow
//! one that falls behind skips ahead rather than slowing the queue.

use serde::Serialize;
use tokio::sync::{broadcast, watch};

/// One published change: the journal sequence number, the event name and its JSON body.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    pub seq: i64,
    pub name: String,
    pub data: serde_json::Value,
}

/// The fan-out point for events.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Event>,
    closing: watch::Sender<bool>,
}

impl EventBus {
    pub fn new() -> EventBus {
        EventBus { tx: broadcast::channel(1024).0, closing: watch::channel(false).0 }
    }

    pub fn publish(&self, event: Event) {
        // No subscriber is not an error: the journal keeps the event.
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// Tell long-lived listeners (SSE streams) to finish: the service is shutting down.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once [`EventBus::close`] was called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new()
    }
}
