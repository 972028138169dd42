//! Dossiers (hồ sơ) accepted at the counter: the code printed on the receipt slip and typed
//! back on the public lookup, the national status codes, and the rules for late dossiers.
//! Pure logic; storage, HTTP and printing call into it.

pub mod code;
pub mod schedule;
pub mod status;
pub mod title;

pub use code::{AgencyFormat, CodePattern, DateFormat, DossierCode, DossierCodeScheme, MalformedCode};
pub use schedule::{is_due_soon, latest_notice_day, Reschedule, RescheduleRefused, Schedule, Timeliness};
pub use status::{DossierStatus, TransitionRefused, UnknownStatus};
pub use title::{Title, UnknownTitle};
