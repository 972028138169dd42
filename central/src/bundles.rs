//! Catalogue bundles at central: publishing (validate with the kiosk's own rules, give the next
//! version, sign with the province key, store) and the SQL kiosks' downloads read. The bundle
//! format and its checks are `catalogue::bundle`, shared with the kiosk.

use std::path::Path;

use catalogue::{Bundle, Catalog, CatalogueFile};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};

use crate::store::{Sql, StoreError};

/// The newest bundle, without its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    pub version: i64,
    pub etag: String,
    pub published_at: String,
}

/// `"<sha256 of the body, hex>"`, quotes included, as the `ETag` header carries it.
pub fn etag(body: &str) -> String {
    format!("\"{}\"", hex::encode(Sha256::digest(body.as_bytes())))
}

pub fn latest(sql: &mut dyn Sql) -> Result<Option<Latest>, StoreError> {
    let rows = sql.query("SELECT version, etag, published_at FROM catalogue_bundles ORDER BY version DESC LIMIT 1", &[])?;
    rows.first().map(|r| Ok(Latest { version: r.int(0)?, etag: r.text(1)?, published_at: r.text(2)? })).transpose()
}

/// The body of bundle `version`.
pub fn body(sql: &mut dyn Sql, version: i64) -> Result<Option<String>, StoreError> {
    let rows = sql.query("SELECT bundle_json FROM catalogue_bundles WHERE version = $1", &[version.into()])?;
    rows.first().map(|r| r.text(0)).transpose()
}

/// What `publish` stored.
#[derive(Debug, Clone)]
pub struct Published {
    pub version: i64,
    pub etag: String,
    pub files: usize,
    pub procedures: usize,
}

/// Why a catalogue was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{0}")]
    Invalid(#[from] catalogue::CatalogError),
    #[error("{0}")]
    Bundle(#[from] catalogue::BundleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Read and validate the catalogue files of `dir` exactly as a kiosk will load them. Every
/// problem is reported at once, each with its file, line and entry.
pub fn read_and_validate(dir: &Path) -> Result<(Vec<CatalogueFile>, usize), catalogue::CatalogError> {
    let files = CatalogueFile::read_dir(dir)?;
    let catalog = Catalog::load_files(&files)?;
    Ok((files, catalog.len()))
}

/// Sign `files` as the next version and store it, in the caller's transaction.
pub fn publish(
    sql: &mut dyn Sql,
    files: Vec<CatalogueFile>,
    procedures: usize,
    key: &SigningKey,
    published_at: &str,
) -> Result<Published, PublishError> {
    let rows = sql.query("SELECT COALESCE(MAX(version), 0) FROM catalogue_bundles", &[])?;
    let version = rows.first().map(|r| r.int(0)).transpose()?.unwrap_or(0) + 1;
    let file_count = files.len();
    let bundle = Bundle::sign(version as u64, published_at, files, key)?;
    let body = bundle.to_json();
    let tag = etag(&body);
    sql.execute(
        "INSERT INTO catalogue_bundles (version, published_at, etag, public_key, files, procedures, bundle_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            version.into(),
            published_at.into(),
            tag.as_str().into(),
            bundle.public_key.as_str().into(),
            (file_count as i64).into(),
            (procedures as i64).into(),
            body.into(),
        ],
    )?;
    Ok(Published { version, etag: tag, files: file_count, procedures })
}

/// Whether an `If-None-Match` header value names `etag` (a list, weak tags and `*` included).
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    let bare = etag.trim_matches('"');
    if_none_match.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/").trim_matches('"') == bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_read_as_http_says() {
        let tag = etag("{}");
        assert_eq!(tag.len(), 66);
        assert!(matches(&tag, &tag));
        assert!(matches(&format!("\"other\", W/{tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("\"other\"", &tag));
        assert!(!matches("", &tag));
    }
}
