//! What a command can fail with, and the one code each failure has in the API's vocabulary
//! (`"service_closed"`, `"unknown_dossier"`…): the HTTP API answers with it, the kiosk's
//! screens and the counter page pick their message by it (`crate::messages`).

use crate::auth::AuthError;
use crate::identity::IdentityError;
use crate::queue::QueueError;
use crate::store::StoreError;

use super::dossiers::ReceptionError;
use super::hall::HelpError;
use super::notices::NoticeError;
use super::ratings::RatingError;

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Reception(#[from] ReceptionError),
    #[error(transparent)]
    Rating(#[from] RatingError),
    #[error(transparent)]
    Help(#[from] HelpError),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error(transparent)]
    Notice(#[from] NoticeError),
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("printer: {0}")]
    Printer(#[from] printer::PrintError),
    #[error("catalogue: {0}")]
    Catalog(#[from] catalogue::CatalogError),
    #[error("holidays: {0}")]
    Holidays(String),
    #[error("device key: {0}")]
    DeviceKey(std::io::Error),
    #[error("identity cards' secret (<data>/identity.secret): {0}")]
    IdentitySecret(std::io::Error),
}

impl ServiceError {
    /// The failure's code, as the API reports it.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Queue(q) => match q {
                QueueError::UnknownService(_) => "unknown_service",
                QueueError::ServiceClosed { .. } => "service_closed",
                QueueError::DailyLimitReached { .. } => "daily_limit_reached",
                QueueError::UnknownPriority(_) => "unknown_priority",
                QueueError::UnknownTicket => "unknown_ticket",
                QueueError::UnknownCounter(_) => "unknown_counter",
                QueueError::NoCurrentTicket => "no_current_ticket",
                QueueError::TicketInProgress { .. } => "ticket_in_progress",
                QueueError::InvalidTransition { .. } => "invalid_state",
                QueueError::SameService(_) => "same_service",
            },
            ServiceError::Auth(a) => match a {
                AuthError::BadPin => "bad_pin",
                AuthError::TooManyAttempts { .. } => "too_many_attempts",
                AuthError::Unauthenticated => "unauthenticated",
                AuthError::WrongCounter { .. } => "wrong_counter",
                AuthError::NotADevice => "device_not_enrolled",
            },
            ServiceError::Reception(r) => match r {
                ReceptionError::UnknownProcedure(_) => "unknown_procedure",
                ReceptionError::ChannelNotOffered { .. } => "channel_not_offered",
                ReceptionError::UnknownChannel(_) => "unknown_channel",
                ReceptionError::UnknownVariant { .. } => "unknown_variant",
                ReceptionError::UnknownTitle(_) => "unknown_title",
                ReceptionError::MissingTitle => "missing_title",
                ReceptionError::UnknownDossier(_) => "unknown_dossier",
                ReceptionError::Malformed(_) => "malformed_code",
                ReceptionError::MissingApplicant => "missing_applicant_name",
                ReceptionError::BadTime(_) => "invalid_time",
                ReceptionError::UnknownStatus(_) => "unknown_status",
                ReceptionError::StatusChangeRefused(_) => "status_change_refused",
                ReceptionError::RescheduleRefused(_) => "reschedule_refused",
            },
            ServiceError::Rating(r) => match r {
                RatingError::MissingSubject => "missing_subject",
                RatingError::UnknownLevel(_) => "unknown_level",
                RatingError::UnknownReason(_) => "unknown_reason",
                RatingError::UnknownTicket => "unknown_ticket",
                RatingError::UnknownDossier => "unknown_dossier",
                RatingError::AlreadyRated(_) => "already_rated",
                RatingError::NotFinished(_) => "not_finished",
                RatingError::WindowClosed(_) => "rating_window_closed",
                RatingError::DeviceNotEnrolled => "device_not_enrolled",
            },
            ServiceError::Help(HelpError::UnknownRequest(_)) => "unknown_help_request",
            ServiceError::Identity(IdentityError::NotACard(_)) => "not_an_identity_card",
            ServiceError::Identity(IdentityError::PersonCapReached { .. }) => "person_cap_reached",
            ServiceError::Notice(n) => match n {
                NoticeError::BadPhone(_) => "bad_phone",
                NoticeError::Off => "notices_off",
                NoticeError::TicketNotWaiting => "ticket_not_waiting",
            },
            ServiceError::Store(_) => "storage_unavailable",
        }
    }

    /// What to tell the caller: the failure in words, except for storage failures whose
    /// details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            ServiceError::Store(_) => "the database is unavailable; try again".to_string(),
            other => other.to_string(),
        }
    }
}
