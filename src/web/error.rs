//! The one error type of the web layer. A handler returns `Result<_, AppError>`; the
//! error becomes a status code plus an [`ErrorInfo`] marker, and the `error_pages`
//! middleware turns every error response (ours, the router's 404/405, an extractor's
//! 400/415/422, the body limit's 413) into a translated HTML page, or into JSON with a
//! machine-readable code under `/api/`. Internal details are logged with the request id,
//! never shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Set on a response by [`AppError`]: which message to show.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    /// Stable machine-readable code, also the suffix of the message's Fluent id
    /// (`error-<code>`), e.g. `not-found`, `csrf`, `forbidden`.
    pub code: &'static str,
}

/// The visitor must sign in first (after which they come back to where they were).
#[derive(Clone, Debug)]
pub struct LoginRequired {
    pub expired: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("sign-in required")]
    NotSignedIn,
    #[error("session expired")]
    SessionExpired,
    #[error("forbidden")]
    Forbidden,
    #[error("form token missing or wrong")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Too many attempts: the client may try again after this many seconds (sent as
    /// `Retry-After` and said on the page).
    #[error("too many requests")]
    TooManyRequests(u64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

/// The stores' own errors become HTTP here, at the edge, and nowhere else.
impl From<crate::bip::store::StoreError> for AppError {
    fn from(e: crate::bip::store::StoreError) -> Self {
        use crate::bip::store::StoreError as E;
        match e {
            E::Db(e) => e.into(),
            E::UnknownStatus(_) => AppError::Internal(e.into()),
        }
    }
}

impl From<crate::cases::store::CaseStoreError> for AppError {
    fn from(e: crate::cases::store::CaseStoreError) -> Self {
        use crate::cases::store::CaseStoreError as E;
        match e {
            E::Refused(code) => AppError::BadRequest(code),
            E::NotFound => AppError::NotFound,
            E::Db(e) => e.into(),
        }
    }
}

impl From<crate::archive::store::ArchiveError> for AppError {
    fn from(e: crate::archive::store::ArchiveError) -> Self {
        use crate::archive::store::ArchiveError as E;
        match e {
            // Closing a year not over, transferring an open file, destroying without
            // the state archive's consent: the record's state refuses the request.
            E::Refused(code) => AppError::Conflict(code),
            E::NotFound => AppError::NotFound,
            E::Db(e) => e.into(),
        }
    }
}

impl From<crate::case_documents::DocumentsError> for AppError {
    fn from(e: crate::case_documents::DocumentsError) -> Self {
        use crate::case_documents::DocumentsError as E;
        match e {
            // A step the flow does not allow (signing without acceptance, sending
            // without a signature): the letter's state conflicts with the request.
            E::Refused(code) => AppError::Conflict(code),
            // The pages check the elements first and show them at their fields.
            E::Incomplete(_) => AppError::Conflict("letter-accept-incomplete"),
            E::NotFound => AppError::NotFound,
            E::Db(e) => e.into(),
        }
    }
}

impl From<crate::correspondence::CorrespondenceStoreError> for AppError {
    fn from(e: crate::correspondence::CorrespondenceStoreError) -> Self {
        use crate::correspondence::CorrespondenceStoreError as E;
        match e {
            E::Refused(code) => AppError::BadRequest(code),
            E::NotFound => AppError::NotFound,
            E::Db(e) => e.into(),
        }
    }
}

impl From<crate::applications::ApplicationError> for AppError {
    fn from(e: crate::applications::ApplicationError) -> Self {
        use crate::applications::ApplicationError as E;
        match e {
            E::NotOffered => AppError::NotFound,
            E::InProgress => AppError::Conflict("application-in-progress"),
            E::Case(e) => e.into(),
            E::Correspondence(e) => e.into(),
            E::Db(e) => e.into(),
        }
    }
}

impl From<crate::service_point::ServicePointError> for AppError {
    fn from(e: crate::service_point::ServicePointError) -> Self {
        use crate::service_point::ServicePointError as E;
        match e {
            E::NotFound | E::UnknownCategory => AppError::NotFound,
            E::Closed => AppError::Conflict("service-point-closed"),
            E::OverQuota => AppError::Conflict("ticket-quota-reached"),
            E::NoCapacity => AppError::Conflict("ticket-capacity-reached"),
            E::Refused(_) => AppError::Conflict("service-point-refused"),
            E::NotASlot | E::UnknownMatter | E::BookingNotFound => AppError::NotFound,
            E::SlotFull => AppError::Conflict("slot-full"),
            E::BookingExpired => AppError::Conflict("booking-expired"),
            E::AlreadyCheckedIn => AppError::Conflict("booking-checked-in"),
            E::Db(e) => e.into(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotSignedIn | AppError::SessionExpired => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(code) | AppError::Conflict(code) => code,
            AppError::NotSignedIn => "login-required",
            AppError::SessionExpired => "session-expired",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::NotFound => "not-found",
            AppError::TooManyRequests(_) => "too-many-requests",
            AppError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let mut response = (self.status(), [(header::CONTENT_TYPE, "text/plain")]).into_response();
        response
            .extensions_mut()
            .insert(ErrorInfo { code: self.code() });
        if let AppError::TooManyRequests(seconds) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        if matches!(self, AppError::NotSignedIn | AppError::SessionExpired) {
            response.extensions_mut().insert(LoginRequired {
                expired: matches!(self, AppError::SessionExpired),
            });
        }
        response
    }
}

/// The message code for a status that did not come from [`AppError`].
pub fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::UNAUTHORIZED => "login-required",
        StatusCode::TOO_MANY_REQUESTS => "too-many-requests",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        s if s.is_server_error() => "internal",
        _ => "bad-request",
    }
}
