//! Every failure leaves the API as `{"error": {"code", "message"}}` with a 4xx that says what to
//! fix — or a 503 when the disk failed. Each failure's code comes from `ServiceError::code`
//! (shared with the kiosk's screens); its HTTP status is decided here and nowhere else.

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
        if let ServiceError::Store(s) = &e {
            tracing::error!(error = %s, "storage failure");
        }
        ApiError::new(status(&e), e.code(), e.public_message())
    }
}

/// The HTTP status of each failure: 4xx says what to fix, 503 only when the disk failed.
fn status(e: &ServiceError) -> StatusCode {
    use crate::service::{RatingError as Ra, ReceptionError as Re};
    use StatusCode as S;
    match e {
        ServiceError::Queue(q) => match q {
            QueueError::UnknownService(_) | QueueError::UnknownTicket | QueueError::UnknownCounter(_) => S::NOT_FOUND,
            QueueError::UnknownPriority(_) | QueueError::SameService(_) => S::UNPROCESSABLE_ENTITY,
            QueueError::ServiceClosed { .. }
            | QueueError::DailyLimitReached { .. }
            | QueueError::NoCurrentTicket
            | QueueError::TicketInProgress { .. }
            | QueueError::InvalidTransition { .. } => S::CONFLICT,
        },
        ServiceError::Auth(a) => match a {
            AuthError::BadPin | AuthError::Unauthenticated => S::UNAUTHORIZED,
            AuthError::TooManyAttempts { .. } => S::TOO_MANY_REQUESTS,
            AuthError::WrongCounter { .. } | AuthError::NotADevice => S::FORBIDDEN,
        },
        ServiceError::Reception(r) => match r {
            // What the request names does not exist: a procedure, a dossier, a case of the procedure.
            Re::UnknownProcedure(_) | Re::UnknownDossier(_) | Re::UnknownVariant { .. } => S::NOT_FOUND,
            // A well-formed request the procedure's record refuses (it offers no such channel).
            Re::StatusChangeRefused(_) | Re::RescheduleRefused(_) | Re::ChannelNotOffered { .. } => S::CONFLICT,
            Re::UnknownChannel(_)
            | Re::UnknownTitle(_)
            | Re::MissingTitle
            | Re::Malformed(_)
            | Re::MissingApplicant
            | Re::BadTime(_)
            | Re::UnknownStatus(_) => S::UNPROCESSABLE_ENTITY,
        },
        ServiceError::Rating(r) => match r {
            Ra::MissingSubject | Ra::UnknownLevel(_) | Ra::UnknownReason(_) => S::UNPROCESSABLE_ENTITY,
            Ra::UnknownTicket | Ra::UnknownDossier => S::NOT_FOUND,
            Ra::AlreadyRated(_) | Ra::NotFinished(_) => S::CONFLICT,
            Ra::WindowClosed(_) => S::GONE,
            Ra::DeviceNotEnrolled => S::FORBIDDEN,
        },
        ServiceError::Help(_) => S::NOT_FOUND,
        ServiceError::Identity(crate::identity::IdentityError::NotACard(_)) => S::UNPROCESSABLE_ENTITY,
        ServiceError::Identity(crate::identity::IdentityError::PersonCapReached { .. }) => S::CONFLICT,
        ServiceError::Notice(crate::service::NoticeError::BadPhone(_)) => S::UNPROCESSABLE_ENTITY,
        ServiceError::Notice(crate::service::NoticeError::Off | crate::service::NoticeError::TicketNotWaiting) => S::CONFLICT,
        ServiceError::Store(_) => S::SERVICE_UNAVAILABLE,
    }
}
