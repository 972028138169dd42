//! The server's lifecycle in one place: bind, serve the API, roll the queue over at local
//! midnight, and on SIGTERM or Ctrl-C stop accepting, end the event streams, let requests in
//! flight finish (their transactions commit), and return.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::Service;

/// Serve `service` on `listener` until `shutdown` resolves.
pub async fn serve(
    service: Service,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = crate::api::router(service.clone());
    let rollover = tokio::spawn(midnight_rollover(service.clone()));
    let events = service.events().clone();
    let result = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; finishing requests in flight");
            events.close();
        })
        .await;
    rollover.abort();
    result
}

/// Resolves on SIGTERM (systemd, `kill`) or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Once a minute, check whether the local day changed; if so, yesterday's leftovers end.
async fn midnight_rollover(service: Service) {
    let mut day = service.now().date_naive();
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let today = service.now().date_naive();
        if today != day {
            match service.close_past_days().await {
                Ok(n) => tracing::info!(%today, cancelled = n, "new day: numbering restarts"),
                Err(e) => tracing::error!(error = %e, "could not close yesterday's tickets"),
            }
            day = today;
        }
    }
}
