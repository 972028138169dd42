//! Per-client rate limits on the public routes that cost something: tickets (a kiosk asking too
//! fast), printing a checklist (the paper roll), looking dossiers up (codes are sequential: no
//! walking through them) and rating. A generic cell-rate limiter per client address from the
//! `governor` crate; over the limit is 429 with `Retry-After`.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::ApiError;

/// Clients remembered before the idle ones are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// One limit, per client address.
#[derive(Clone)]
pub struct ClientLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// What is refused, said in the 429's message ("checklists are printed").
    what: &'static str,
}

impl ClientLimiter {
    /// `per_minute` requests a minute per client, `burst` of them at once.
    pub fn new(per_minute: u32, burst: u32, what: &'static str) -> ClientLimiter {
        let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least 1");
        let burst = NonZeroU32::new(burst.max(1)).expect("at least 1");
        ClientLimiter { limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst))), what }
    }

    /// Take one request of `client`; `Err(seconds to wait)` when over the limit.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > MAX_CLIENTS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + 1
        })
    }
}

/// The middleware: 429 for a client over the route's limit.
pub async fn limit(State(limiter): State<ClientLimiter>, req: Request, next: Next) -> Response {
    let client = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(ip) = client {
        if let Err(retry_after) = limiter.check(ip) {
            let mut resp = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("{} too fast from this address; wait {retry_after} s", limiter.what),
            )
            .into_response();
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            return resp;
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_beyond_the_rate_is_refused_per_client() {
        let l = ClientLimiter::new(3, 3, "tickets are requested");
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        assert!(l.check(ip).is_ok() && l.check(ip).is_ok() && l.check(ip).is_ok());
        let wait = l.check(ip).unwrap_err();
        assert!((1..=21).contains(&wait), "{wait}");
        assert!(l.check("10.0.0.8".parse().unwrap()).is_ok());
    }
}
