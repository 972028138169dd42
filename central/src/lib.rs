//! `central`: the province's reference receiver of satisfaction ratings (`docs/sync-protocol.md`).
//!
//! Kiosks push their hash-chained, signed ratings; `central` checks every link, stores each rating
//! exactly once (SQLite, or PostgreSQL for a province) and shows per-centre satisfaction. It is
//! also the peer of the kiosk's push tests.

pub mod api;
pub mod chain;
pub mod cli;
pub mod config;
pub mod intake;
pub mod ratings;
pub mod server;
pub mod store;
pub mod verify;

pub use config::Config;
pub use store::Store;
