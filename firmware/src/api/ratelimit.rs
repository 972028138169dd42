//! One kiosk (or one script) asking for tickets too fast gets 429: a token bucket per client
//! address, refilled at the configured tickets per minute.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

#[derive(Clone)]
pub struct IssueLimiter {
    per_minute: f64,
    buckets: Arc<Mutex<HashMap<IpAddr, (f64, Instant)>>>,
}

impl IssueLimiter {
    pub fn new(per_minute: u32) -> IssueLimiter {
        IssueLimiter { per_minute: per_minute as f64, buckets: Arc::default() }
    }

    /// Take one token for `client`; `false` when its bucket is empty.
    pub fn allow(&self, client: IpAddr) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap();
        if buckets.len() > 10_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs() < 120);
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_minute / 60.0).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

pub async fn limit_issue(State(limiter): State<IssueLimiter>, req: Request, next: Next) -> Response {
    let client = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(ip) = client {
        if !limiter.allow(ip) {
            return ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "tickets are being requested too fast from this kiosk; wait a few seconds",
            )
            .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_beyond_the_rate_is_refused() {
        let l = IssueLimiter::new(3);
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        assert!(l.allow(ip) && l.allow(ip) && l.allow(ip));
        assert!(!l.allow(ip));
        assert!(l.allow("10.0.0.8".parse().unwrap()));
    }
}
