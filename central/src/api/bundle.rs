//! `GET /api/v1/catalogue/bundle`: the newest catalogue bundle for a kiosk, with its ETag; 304
//! when the kiosk already has it (`If-None-Match`). Every kiosk of the province polls this every
//! few minutes, so the answer to "nothing new" is one small query and no body.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::App;
use crate::bundles;

pub async fn bundle(State(app): State<Arc<App>>, headers: HeaderMap) -> Result<Response, ApiError> {
    let kiosk = app.kiosk(&headers)?;
    let Some(latest) = app.store.read(bundles::latest).await? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_catalogue",
            "no catalogue has been published yet (central publish-catalogue)",
        ));
    };
    let etag =
        HeaderValue::from_str(&latest.etag).map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "stored ETag"))?;
    let no_cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let known = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| bundles::matches(v, &latest.etag));
    if known {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag), no_cache]).into_response());
    }
    let cached = app.bundle_cache.lock().expect("cache lock").as_ref().filter(|(tag, _)| *tag == latest.etag).map(|(_, body)| body.clone());
    let body = match cached {
        Some(body) => body,
        None => {
            let version = latest.version;
            let body: Arc<str> = app
                .store
                .read(move |sql| bundles::body(sql, version))
                .await?
                .ok_or_else(|| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable", "the bundle vanished; try again"))?
                .into();
            *app.bundle_cache.lock().expect("cache lock") = Some((latest.etag.clone(), body.clone()));
            body
        }
    };
    tracing::info!(kiosk = %kiosk.id, version = latest.version, "catalogue bundle sent");
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::ETAG, etag), no_cache],
        body.to_string(),
    )
        .into_response())
}
