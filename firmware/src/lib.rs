//! The kiosk service of a one-stop public-administration centre: queue, storage, HTTP API.
//!
//! `Service` is the library's front door; `kioskd` (and the `kiosk` app) are thin binaries
//! around it, started through `server`. See `ARCHITECTURE.md` at the repository root for the
//! map and the rules between the layers (kept true by `tests/architecture.rs`).

pub mod api;
pub mod audio;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod devices;
pub mod dossier;
pub mod events;
pub mod identity;
pub mod messages;
pub mod notice;
pub mod printing;
pub mod queue;
pub mod rating;
pub mod server;
pub mod service;
pub mod store;
pub mod sync;
pub mod systemd;
pub mod text;
pub mod time;
pub mod voice;
pub mod web;

pub use config::Config;
pub use service::{Service, ServiceError};
