//! Every failure leaves the API as `{"error": {"code", "message"}}` with a 4xx that says what to
//! fix — or a 503 when the disk failed. Domain errors map to codes here and nowhere else.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::auth::AuthError;
use crate::queue::QueueError;
use crate::service::ServiceError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(json!({"error": {"code": self.code, "message": self.message}}))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert("www-authenticate", "Bearer".parse().unwrap());
        }
        resp
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> ApiError {
        use StatusCode as S;
        let msg = e.to_string();
        match e {
            ServiceError::Queue(q) => match q {
                QueueError::UnknownService(_) => ApiError::new(S::NOT_FOUND, "unknown_service", msg),
                QueueError::ServiceClosed { .. } => ApiError::new(S::CONFLICT, "service_closed", msg),
                QueueError::DailyLimitReached { .. } => ApiError::new(S::CONFLICT, "daily_limit_reached", msg),
                QueueError::UnknownPriority(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "unknown_priority", msg),
                QueueError::UnknownTicket => ApiError::new(S::NOT_FOUND, "unknown_ticket", msg),
                QueueError::UnknownCounter(_) => ApiError::new(S::NOT_FOUND, "unknown_counter", msg),
                QueueError::NoCurrentTicket => ApiError::new(S::CONFLICT, "no_current_ticket", msg),
                QueueError::TicketInProgress { .. } => ApiError::new(S::CONFLICT, "ticket_in_progress", msg),
                QueueError::InvalidTransition { .. } => ApiError::new(S::CONFLICT, "invalid_state", msg),
                QueueError::SameService(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "same_service", msg),
            },
            ServiceError::Auth(a) => match a {
                AuthError::BadPin => ApiError::new(S::UNAUTHORIZED, "bad_pin", msg),
                AuthError::TooManyAttempts { .. } => ApiError::new(S::TOO_MANY_REQUESTS, "too_many_attempts", msg),
                AuthError::Unauthenticated => ApiError::new(S::UNAUTHORIZED, "unauthenticated", msg),
                AuthError::WrongCounter { .. } => ApiError::new(S::FORBIDDEN, "wrong_counter", msg),
            },
            ServiceError::Reception(r) => {
                use crate::reception::ReceptionError as R;
                match r {
                    R::UnknownProcedure(_) => ApiError::new(S::NOT_FOUND, "unknown_procedure", msg),
                    R::ChannelNotOffered { .. } => ApiError::new(S::UNPROCESSABLE_ENTITY, "channel_not_offered", msg),
                    R::UnknownChannel(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "unknown_channel", msg),
                    R::UnknownDossier(_) => ApiError::new(S::NOT_FOUND, "unknown_dossier", msg),
                    R::Malformed(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "malformed_code", msg),
                    R::MissingApplicant => ApiError::new(S::UNPROCESSABLE_ENTITY, "missing_applicant_name", msg),
                    R::BadTime(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "invalid_time", msg),
                    R::UnknownStatus(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "unknown_status", msg),
                    R::StatusChangeRefused(_) => ApiError::new(S::CONFLICT, "status_change_refused", msg),
                    R::RescheduleRefused(_) => ApiError::new(S::CONFLICT, "reschedule_refused", msg),
                }
            }
            ServiceError::Rating(r) => {
                use crate::satisfaction::RatingError as R;
                match r {
                    R::MissingSubject => ApiError::new(S::UNPROCESSABLE_ENTITY, "missing_subject", msg),
                    R::UnknownLevel(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "unknown_level", msg),
                    R::UnknownReason(_) => ApiError::new(S::UNPROCESSABLE_ENTITY, "unknown_reason", msg),
                    R::UnknownTicket => ApiError::new(S::NOT_FOUND, "unknown_ticket", msg),
                    R::UnknownDossier => ApiError::new(S::NOT_FOUND, "unknown_dossier", msg),
                    R::AlreadyRated(_) => ApiError::new(S::CONFLICT, "already_rated", msg),
                    R::NotFinished(_) => ApiError::new(S::CONFLICT, "not_finished", msg),
                    R::WindowClosed(_) => ApiError::new(S::GONE, "rating_window_closed", msg),
                }
            }
            ServiceError::Store(s) => {
                tracing::error!(error = %s, "storage failure");
                ApiError::new(S::SERVICE_UNAVAILABLE, "storage_unavailable", "the database is unavailable; try again")
            }
        }
    }
}
