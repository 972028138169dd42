//! The service's lifecycle in one place: start the service with its background tasks (the
//! printer thread, the journaling of the printer's state, the push to the central service, the
//! heartbeats and the catalogue poll), serve the API and the pages, roll the queue over at local
//! midnight, and on SIGTERM or Ctrl-C stop accepting, end the event streams, let requests in
//! flight finish (their transactions commit), and return. Each task gets a narrow handle, never the whole service's insides.
//! The counter hardware is wired in `devices` (started by `cli` when configured).

pub mod devices;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Config;
use crate::printing::PrinterTask;
use crate::service::StartError;
use crate::Service;

/// Open the service and start its background tasks: the printer thread (if a printer is
/// configured; the virtual one keeps its receipts under the data directory), the journaling of
/// the printer's state changes, and the push of ratings, the heartbeats and (with a province
/// key) the catalogue poll, if `[central]` is configured.
pub async fn start(config: Config, clock: Arc<dyn Clock>) -> Result<Service, StartError> {
    let (state_tx, mut state_rx) = tokio::sync::mpsc::unbounded_channel();
    let printer = match &config.printer {
        Some(cfg) => {
            let mut cfg = cfg.clone();
            if cfg.virtual_dir.is_none() {
                cfg.virtual_dir = Some(config.data_dir.join("receipts"));
            }
            Some(PrinterTask::start(&cfg, state_tx)?)
        }
        None => None,
    };
    let central = config.central.clone();
    let notify = config.notify.clone();
    let data_dir = config.data_dir.clone();
    let service = Service::open(config, clock, printer).await?;
    // Printer state changes become `printer_status` events (journaled, then published); the
    // task holds the service weakly, so it ends with it.
    let weak = service.downgrade();
    tokio::spawn(async move {
        while let Some(state) = state_rx.recv().await {
            let Some(service) = weak.upgrade() else { return };
            if let Err(e) = service.record_printer_state(state).await {
                tracing::warn!(error = %e, "could not journal the printer state");
            }
        }
    });
    // SMS / Zalo notices from their outbox; never on the request path.
    if let Some(notify) = notify {
        tokio::spawn(crate::sync::notices::run(service.notice_outbox(), notify, data_dir.clone()));
    }
    if let Some(central) = central {
        tokio::spawn(crate::sync::run(service.ratings_outbox(), central.clone(), data_dir.clone()));
        // Heartbeats, and the catalogue poll when a province key is configured; heartbeat
        // answers name the newest catalogue published, which the poll hears at once.
        let (announce, announced) = tokio::sync::watch::channel(0);
        tokio::spawn(crate::sync::heartbeat::run(service.fleet_report(announce), central.clone(), data_dir.clone()));
        if central.catalogue_key().is_some() {
            tokio::spawn(crate::sync::catalogue_poll::run(service.catalogue_handle(announced), central, data_dir));
        }
    }
    Ok(service)
}

/// Every route: the API and the pages, each HTML page with the same security headers.
pub fn app(service: Service) -> Router {
    crate::api::router(service.clone(), &crate::web::asset_names())
        .merge(crate::web::router(service))
        .fallback(crate::api::not_found)
        .method_not_allowed_fallback(crate::api::method_not_allowed)
        .layer(axum::middleware::map_response(crate::web::security_headers))
}

/// Serve `service` on `listener` until `shutdown` resolves.
pub async fn serve(
    service: Service,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(service.clone());
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
