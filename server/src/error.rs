//! The one error type. Every failure becomes an `application/problem+json` answer with a stable
//! code from `xunjian_shared::ErrorCode`; internal causes are logged, never sent.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use std::fmt;
use xunjian_shared::{ErrorCode, Problem};

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error answered to the client as a problem document.
pub struct AppError {
    /// The machine code (and with it the status and messages).
    pub code: ErrorCode,
    /// Safe-to-show detail (which field, which limit).
    pub detail: Option<String>,
    /// Seconds for the `Retry-After` header.
    pub retry_after: Option<u64>,
    /// The internal cause, logged on the server only.
    source: Option<Cause>,
}

impl AppError {
    /// An error with a code and no detail.
    pub fn new(code: ErrorCode) -> Self {
        AppError { code, detail: None, retry_after: None, source: None }
    }

    /// An error with a code and a detail shown to the client.
    pub fn with_detail(code: ErrorCode, detail: impl Into<String>) -> Self {
        AppError { detail: Some(detail.into()), ..Self::new(code) }
    }

    /// A field that breaks a rule (422 `validation_failed`).
    pub fn validation(field: &str, why: impl fmt::Display) -> Self {
        Self::with_detail(ErrorCode::ValidationFailed, format!("{field}: {why}"))
    }

    /// An unexpected failure; the cause is logged, the client sees only `internal`.
    pub fn internal(cause: impl Into<Cause>) -> Self {
        AppError { source: Some(cause.into()), ..Self::new(ErrorCode::Internal) }
    }

    /// The database (or another dependency) cannot be reached.
    pub fn unavailable(cause: impl Into<Cause>) -> Self {
        AppError { source: Some(cause.into()), ..Self::new(ErrorCode::ServiceUnavailable) }
    }

    /// 429 with the seconds to wait.
    pub fn too_many(retry_after: u64) -> Self {
        AppError { retry_after: Some(retry_after.max(1)), ..Self::new(ErrorCode::TooManyAttempts) }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code.as_str())?;
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
        }
        Ok(())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for AppError {}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match e {
            E::NotFound => Self::new(ErrorCode::NotFound),
            E::DatabaseError(K::UniqueViolation, _) => Self::new(ErrorCode::AlreadyExists),
            E::DatabaseError(K::ForeignKeyViolation, _) => {
                AppError { source: Some(Box::new(e)), ..Self::new(ErrorCode::Conflict) }
            }
            E::DatabaseError(K::ClosedConnection, _) => Self::unavailable(e),
            other => Self::internal(other),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match (&self.source, self.code.status()) {
            (Some(cause), 500..) => tracing::error!(code = self.code.as_str(), "{cause}"),
            (Some(cause), _) => tracing::warn!(code = self.code.as_str(), "{cause}"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        // A detail may echo input (a field's path, a value): never a character the text rule refuses.
        let detail = self.detail.as_deref().map(|d| xunjian_shared::text::escaped(d).into_owned());
        res.body(serde_json::to_string(&Problem::new(self.code, detail)).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    #[actix_web::test]
    async fn internal_causes_are_not_sent() {
        let err = AppError::internal(std::io::Error::other("disk /secret/path failed"));
        let res = err.error_response();
        assert_eq!(res.status(), 500);
        let body = to_bytes(res.into_body()).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("\"code\":\"internal\""));
    }

    #[actix_web::test]
    async fn throttling_sets_retry_after() {
        let res = AppError::too_many(42).error_response();
        assert_eq!(res.status(), 429);
        assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "42");
        assert_eq!(res.headers().get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    }

    #[test]
    fn unique_violation_is_already_exists() {
        let e = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("dup".to_string()),
        );
        assert_eq!(AppError::from(e).code, ErrorCode::AlreadyExists);
    }
}
