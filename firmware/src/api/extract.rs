//! Extractors that turn axum's plain-text rejections (bad JSON, a path that is not a number,
//! a bad query) into our JSON errors that name the field to fix.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON body; errors say which field is wrong. The body must come as
/// `Content-Type: application/json` (415 otherwise): an HTML form or a `no-cors` fetch from any
/// web page a citizen opens on the hall Wi-Fi can only send form or plain-text types, so no other
/// site can post tickets, ratings or print jobs through the visitor's browser.
pub struct ApiJson<T>(pub T);

/// Whether the request says its body is JSON (`application/json`, any parameters).
fn says_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as JSON with the header Content-Type: application/json",
    )
}

/// A write (POST) may carry no body at all, or a JSON body declared as such; anything else is
/// 415 before a handler runs — the rule of [`ApiJson`] for the routes that take no body.
pub async fn json_writes_only(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    if req.method() == axum::http::Method::POST {
        let headers = req.headers();
        let has_type = headers.contains_key(axum::http::header::CONTENT_TYPE);
        let has_body = headers.contains_key(axum::http::header::TRANSFER_ENCODING)
            || headers
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|n| n.trim().parse::<u64>().map_or(true, |n| n > 0));
        if (has_type || has_body) && !says_json(headers) {
            return unsupported_media_type().into_response();
        }
    }
    next.run(req).await
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !says_json(req.headers()) {
            return Err(unsupported_media_type());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "the body is empty: send a JSON object"));
        }
        let bytes = integral_numbers_as_integers(bytes);
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonSyntaxError(e)) => {
                Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {}", source_text(&e))))
            }
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("the body does not match what this route expects: {}", source_text(&e)),
            )),
            Err(e) => Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text())),
        }
    }
}

/// JSON does not tell `3` from `3.0` (JSON Schema calls both an integer): integral numbers
/// written with a fraction or exponent are read as the integers they are, so `{"status": 3.0}`
/// means status 3. Bodies that are not JSON are left for the caller to report.
fn integral_numbers_as_integers(bytes: axum::body::Bytes) -> axum::body::Bytes {
    fn fix(v: &mut serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) if n.is_f64() => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                    *v = serde_json::Value::from(f as i64);
                    true
                }
                _ => false,
            },
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |changed, v| fix(v) | changed),
            serde_json::Value::Object(map) => map.values_mut().fold(false, |changed, v| fix(v) | changed),
            _ => false,
        }
    }
    if !bytes.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return bytes;
    }
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return bytes };
    if fix(&mut v) {
        serde_json::to_vec(&v).map(Into::into).unwrap_or(bytes)
    } else {
        bytes
    }
}

/// Path parameters; a counter that is not a number is a 400 naming the segment.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_path", format!("bad path parameter: {}", e.body_text())))
            }
            Err(e) => Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_path", e.body_text())),
        }
    }
}

/// Query parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| ApiQuery(v))
            .map_err(|e: QueryRejection| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.body_text()))
    }
}

/// The client's IP address as text ("unknown" when the server was not told it): what wrong-PIN
/// throttling is kept by.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let addr = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddr(addr.map_or_else(|| "unknown".to_string(), |ip| ip.to_string())))
    }
}

/// The bearer token of a staff request, if any.
pub fn bearer(parts: &axum::http::HeaderMap) -> Option<&str> {
    parts
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
}

fn source_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    text
}
