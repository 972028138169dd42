//! Satisfaction ratings that count once and cannot be altered unnoticed. A rating belongs to one
//! finished ticket or one dossier; its raw answer is kept and mapped to the official three
//! levels by configuration; each rating is a link of a hash chain signed with the kiosk's key,
//! so the province can verify every rating it receives and any edit in the database shows.

pub mod chain;
pub mod key;
pub mod scale;

pub use chain::{verify_chain, verify_columns, ChainError, Columns, Link, Record, ZERO_HASH};
pub use key::DeviceKey;
pub use scale::{Level, Official, RatingScale, Reason};
