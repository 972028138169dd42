//! `central`: the province's side of `docs/sync-protocol.md`.
//!
//! Kiosks push their hash-chained, signed ratings; `central` checks every link, stores each rating
//! exactly once (SQLite, or PostgreSQL for a province) and shows satisfaction per centre, service
//! and month. Kiosks also report their health in signed heartbeats (the fleet view and its alerts
//! for province IT) and fetch the catalogue of procedures the province publishes as signed
//! bundles. Stateless over its database, so a province runs several behind a reverse proxy.

pub mod alerts;
pub mod api;
pub mod bundles;
pub mod chain;
pub mod cli;
pub mod config;
pub mod fleet;
pub mod heartbeat;
pub mod intake;
pub mod ratings;
pub mod satisfaction;
pub mod server;
pub mod store;
pub mod verify;

pub use config::Config;
pub use store::Store;
