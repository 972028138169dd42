//! Printing for the kiosk: documents in, ESC/POS bytes and printer status out. Vietnamese is
//! rendered with a shipped font to a 1-bit raster by default (identical on every printer), with
//! TCVN-3 and CP1258 text modes as per-profile options, and a virtual printer for development.
//! Knows nothing of queues or HTTP.

pub mod bitmap;
pub mod codepage;
pub mod config;
pub mod document;
pub mod encode;
pub mod error;
pub mod font;
pub mod layout;
pub mod printer;
pub mod profile;
pub mod qr;
pub mod render;
pub mod status;
pub mod transport;
pub mod virtual_printer;

pub use bitmap::Bitmap;
pub use config::{PrinterConfig, Settings, TransportSpec};
pub use document::{Checklist, Document, DocumentItem, DossierReceipt, LateNotice, LateNoticeWording, QueueTicket, SelfTest};
pub use encode::EncodedJob;
pub use error::PrintError;
pub use printer::{JobOutcome, Printer};
pub use profile::{Profile, TextMode, PROFILES};
pub use status::{PrinterState, PrinterStatus};
pub use virtual_printer::{Faults, Printout, VirtualPrinter};
