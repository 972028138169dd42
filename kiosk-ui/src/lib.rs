//! The kiosk's touchscreen app: Slint screens (`ui/`), the glue that connects their one
//! `Api` global to the kiosk service (`glue`, and one module per screen in `screens/`), and the
//! two ways to reach that service (in process, or a main kiosk over HTTP). `src/main.rs` is the `kiosk` binary; `render-screens` draws every
//! screen to PNG without a display.

pub mod backend;
pub mod glue;
mod guide;
pub mod headless;
pub mod local;
pub mod qr;
pub mod remote;
pub mod scanner;
mod screens;
pub mod speech;
pub mod station;
pub mod tour;
pub mod vietnamese;

slint::include_modules!();
