//! The catalogue in use, and its replacement by a bundle the province signed
//! (`docs/sync-protocol.md`, "Catalogue bundles"). Searches, procedure pages and dossier
//! reception read the catalogue through [`LiveCatalogue`]: one atomic load of the current
//! `Arc`, no lock, so a swap never makes a reader wait and a reader never sees half a catalogue
//! (requests in flight finish on the catalogue they started with).
//!
//! At start the kiosk uses the last bundle it accepted (`<data>/catalogue/bundle.json`, checked
//! again with the configured province key), else the one before it, else the files shipped in
//! `[data] catalog` (version 0, `source: "local"`). A new bundle is checked in full — signature,
//! files, a version higher than the one in use, the catalogue rules — before anything changes;
//! then it is written to the data directory and swapped in. A refused bundle changes nothing
//! and is remembered for the heartbeat.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use chrono::{DateTime, FixedOffset};
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

use super::{Service, StartError};
use crate::config::Config;
use crate::store::catalogue_bundle::{BundleFiles, Slot};
use crate::sync::catalogue_poll::Installed;
use catalogue::{Bundle, Catalog};

/// Longest refusal message kept for the heartbeat (the protocol's limit).
const MAX_MESSAGE: usize = 2000;

/// Where the catalogue in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The files shipped with the kiosk (`[data] catalog`).
    Local,
    /// A bundle signed by the province and fetched from central.
    Central,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Local => "local",
            Source::Central => "central",
        }
    }
}

/// A catalogue and what it is: its version (0 for the shipped files) and source.
pub struct CatalogueInUse {
    pub catalog: Catalog,
    pub version: u64,
    pub source: Source,
    /// `"<sha256 of the bundle body>"` for a bundle: how central names it (its ETag).
    pub etag: Option<String>,
}

impl Deref for CatalogueInUse {
    type Target = Catalog;

    fn deref(&self) -> &Catalog {
        &self.catalog
    }
}

/// The last bundle refused since one was installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The version the bundle claims (`None` when it could not be read).
    pub version: Option<u64>,
    /// `malformed`, `bad_signature`, `older_version` or `invalid_content`.
    pub reason: &'static str,
    pub message: String,
    pub at: DateTime<FixedOffset>,
}

/// The catalogue every reader uses, swappable whole.
pub struct LiveCatalogue {
    current: ArcSwap<CatalogueInUse>,
    refused: Mutex<Option<Refusal>>,
    /// Held while a bundle is checked and installed: one at a time.
    installing: Mutex<()>,
    files: BundleFiles,
    key: Option<VerifyingKey>,
}

fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", crate::rating::key::hex(&Sha256::digest(body)))
}

impl LiveCatalogue {
    /// What to serve at start: the stored bundle (or the one before it) if it still checks with
    /// the configured key, else the shipped files.
    pub fn open(config: &Config) -> Result<LiveCatalogue, StartError> {
        let files = BundleFiles::new(&config.data_dir);
        let key = config.central.as_ref().and_then(|c| c.catalogue_key());
        let stored = match &key {
            Some(key) => Self::stored(&files, key),
            None => {
                if files.path(Slot::Current).exists() {
                    tracing::warn!(
                        file = %files.path(Slot::Current).display(),
                        "a catalogue bundle is stored but [central] catalogue_public_key is not set: using the shipped catalogue"
                    );
                }
                None
            }
        };
        let in_use = match stored {
            Some(in_use) => in_use,
            None => CatalogueInUse { catalog: Catalog::load_dir(&config.catalog_dir)?, version: 0, source: Source::Local, etag: None },
        };
        tracing::info!(version = in_use.version, source = in_use.source.as_str(), procedures = in_use.len(), "catalogue in use");
        Ok(LiveCatalogue::new(in_use, files, key))
    }

    /// A live catalogue starting with `in_use`; bundles are stored in `files` and must be
    /// signed by `key` (none: every bundle is refused).
    pub fn new(in_use: CatalogueInUse, files: BundleFiles, key: Option<VerifyingKey>) -> LiveCatalogue {
        LiveCatalogue { current: ArcSwap::from_pointee(in_use), refused: Mutex::new(None), installing: Mutex::new(()), files, key }
    }

    /// A catalogue that stays as it is: shipped files, no province key (tests, benchmarks).
    pub fn fixed(catalog: Catalog) -> LiveCatalogue {
        let in_use = CatalogueInUse { catalog, version: 0, source: Source::Local, etag: None };
        LiveCatalogue::new(in_use, BundleFiles::new(std::path::Path::new(".")), None)
    }

    /// The stored bundle, or the one before it (made current again) when it no longer loads.
    fn stored(files: &BundleFiles, key: &VerifyingKey) -> Option<CatalogueInUse> {
        for slot in [Slot::Current, Slot::Previous] {
            let path = files.path(slot);
            let body = match files.read(slot) {
                Ok(Some(body)) => body,
                Ok(None) => continue,
                Err(e) => {
                    tracing::error!(file = %path.display(), error = %e, "cannot read the stored catalogue bundle");
                    continue;
                }
            };
            match catalogue::bundle::open(&body, key, 0) {
                Ok((verified, catalog)) => {
                    if slot == Slot::Previous {
                        tracing::warn!(file = %path.display(), version = verified.version(), "going back to the previous catalogue bundle");
                        if let Err(e) = files.restore_previous() {
                            tracing::error!(error = %e, "cannot make the previous catalogue bundle current again");
                        }
                    }
                    return Some(CatalogueInUse {
                        catalog,
                        version: verified.version(),
                        source: Source::Central,
                        etag: Some(etag_of(&body)),
                    });
                }
                Err(e) => tracing::error!(file = %path.display(), error = %e, "the stored catalogue bundle does not load"),
            }
        }
        None
    }

    /// The catalogue in use now. Cheap (no lock, no copy); hold it for one request, not longer.
    pub fn load(&self) -> arc_swap::Guard<Arc<CatalogueInUse>> {
        self.current.load()
    }

    /// The catalogue in use now, to keep.
    pub fn current(&self) -> Arc<CatalogueInUse> {
        self.current.load_full()
    }

    /// The last bundle refused since one was installed.
    pub fn refused(&self) -> Option<Refusal> {
        self.refused.lock().expect("refusal lock").clone()
    }

    /// Check `body` (a bundle as central sent it) and install it, or refuse it. Blocking: the
    /// catalogue is loaded and the files written here.
    pub fn install(&self, body: &[u8], now: DateTime<FixedOffset>) -> Installed {
        let _one_at_a_time = self.installing.lock().expect("install lock");
        let current = self.current.load_full();
        let etag = etag_of(body);
        if current.etag.as_deref() == Some(etag.as_str()) {
            return Installed::Unchanged;
        }
        let opened = match &self.key {
            Some(key) => catalogue::bundle::open(body, key, current.version),
            None => Err(catalogue::BundleError::BadSignature("no [central] catalogue_public_key is configured".into())),
        };
        match opened {
            Ok((verified, catalog)) => {
                if let Err(e) = self.files.install(body) {
                    // Served from now on all the same; a restart goes back to the stored one.
                    tracing::error!(error = %e, "cannot store the catalogue bundle in the data directory");
                }
                let version = verified.version();
                let procedures = catalog.len();
                self.current.store(Arc::new(CatalogueInUse { catalog, version, source: Source::Central, etag: Some(etag) }));
                *self.refused.lock().expect("refusal lock") = None;
                tracing::info!(version, procedures, published_at = verified.published_at(), "catalogue bundle installed");
                Installed::Installed { version }
            }
            Err(e) => {
                let message: String = e.to_string().chars().take(MAX_MESSAGE).collect();
                let version = Bundle::from_json(body).ok().and_then(|b| b.claimed_version());
                tracing::warn!(reason = e.reason(), ?version, error = %message, "catalogue bundle refused; the catalogue in use stays");
                *self.refused.lock().expect("refusal lock") =
                    Some(Refusal { version, reason: e.reason(), message: message.clone(), at: now });
                Installed::Refused { reason: e.reason(), message }
            }
        }
    }
}

impl Service {
    /// The catalogue in use now (a bundle from central, or the shipped files).
    pub fn catalog(&self) -> Arc<CatalogueInUse> {
        self.inner.catalogue.current()
    }

    /// The live catalogue, for readers that look it up on every request.
    pub fn live_catalogue(&self) -> &Arc<LiveCatalogue> {
        &self.inner.catalogue
    }

    /// The catalogue task's handle: install what central sends, hear what it announces.
    pub fn catalogue_handle(&self, announced: tokio::sync::watch::Receiver<u64>) -> CatalogueHandle {
        CatalogueHandle { service: self.clone(), announced }
    }
}

/// The narrow handle the catalogue poll task gets.
#[derive(Clone)]
pub struct CatalogueHandle {
    service: Service,
    announced: tokio::sync::watch::Receiver<u64>,
}

impl crate::sync::catalogue_poll::Catalogue for CatalogueHandle {
    fn version(&self) -> u64 {
        self.service.inner.catalogue.load().version
    }

    fn etag(&self) -> Option<String> {
        self.service.inner.catalogue.load().etag.clone()
    }

    async fn install(&self, body: Vec<u8>) -> Installed {
        let (live, now) = (self.service.inner.catalogue.clone(), self.service.now());
        tokio::task::spawn_blocking(move || live.install(&body, now))
            .await
            .unwrap_or_else(|e| Installed::Refused { reason: "malformed", message: format!("the check stopped: {e}") })
    }

    fn announced(&self) -> tokio::sync::watch::Receiver<u64> {
        self.announced.clone()
    }

    async fn closed(&self) {
        self.service.events().closed().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catalogue::CatalogueFile;
    use ed25519_dalek::SigningKey;
    use std::path::Path;

    fn shipped() -> Vec<CatalogueFile> {
        CatalogueFile::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog")).unwrap()
    }

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-05T08:00:00+07:00").unwrap()
    }

    /// The shipped files with the first procedure's name changed, signed as `version`.
    fn bundle(version: u64, name: &str, key: &SigningKey) -> Vec<u8> {
        let mut files = shipped();
        let f = files.iter_mut().find(|f| f.text.contains("name = \"Đăng ký khai sinh\"")).expect("a file with Đăng ký khai sinh");
        f.text = f.text.replacen("name = \"Đăng ký khai sinh\"", &format!("name = \"{name}\""), 1);
        Bundle::sign(version, "2026-03-05T08:00:00+07:00", files, key).unwrap().to_json().into_bytes()
    }

    fn live(dir: &Path, key: &SigningKey) -> LiveCatalogue {
        let files = BundleFiles::new(dir);
        let catalog = Catalog::load_files(&shipped()).unwrap();
        LiveCatalogue::new(CatalogueInUse { catalog, version: 0, source: Source::Local, etag: None }, files, Some(key.verifying_key()))
    }

    fn khai_sinh(live: &LiveCatalogue) -> String {
        live.load().get("1.001193").unwrap().name.clone()
    }

    #[test]
    fn a_signed_newer_bundle_is_swapped_in_and_stored() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[7; 32]);
        let live = live(dir.path(), &key);
        let before = live.current();
        let body = bundle(3, "Đăng ký khai sinh (bản mới)", &key);
        assert_eq!(live.install(&body, at()), Installed::Installed { version: 3 });
        assert_eq!(khai_sinh(&live), "Đăng ký khai sinh (bản mới)");
        assert_eq!((live.load().version, live.load().source), (3, Source::Central));
        // A reader that started before the swap keeps a whole catalogue.
        assert_eq!(before.get("1.001193").unwrap().name, "Đăng ký khai sinh");
        assert_eq!(std::fs::read(dir.path().join("catalogue/bundle.json")).unwrap(), body);
        // The same bundle again changes nothing and is no refusal.
        assert_eq!(live.install(&body, at()), Installed::Unchanged);
        assert_eq!(live.refused(), None);
    }

    #[test]
    fn a_refused_bundle_changes_nothing_and_is_remembered_until_one_is_installed() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[7; 32]);
        let live = live(dir.path(), &key);
        assert_eq!(live.install(&bundle(2, "Khai sinh hai", &key), at()), Installed::Installed { version: 2 });
        let cases: [(Vec<u8>, &str, Option<u64>); 4] = [
            (bundle(5, "Giả mạo", &SigningKey::from_bytes(&[8; 32])), "bad_signature", Some(5)),
            (bundle(2, "Cùng số phiên bản", &key), "older_version", Some(2)),
            (b"<html>".to_vec(), "malformed", None),
            (
                {
                    let mut files = shipped();
                    files[0].text.push_str("\n[[procedure]]\ncode = \"x\"\n");
                    Bundle::sign(6, "2026-03-05T08:00:00+07:00", files, &key).unwrap().to_json().into_bytes()
                },
                "invalid_content",
                Some(6),
            ),
        ];
        for (body, reason, version) in cases {
            match live.install(&body, at()) {
                Installed::Refused { reason: r, .. } => assert_eq!(r, reason),
                other => panic!("{reason}: {other:?}"),
            }
            let refused = live.refused().unwrap();
            assert_eq!((refused.reason, refused.version), (reason, version));
            assert_eq!(khai_sinh(&live), "Khai sinh hai", "{reason}: the catalogue in use stays");
            assert_eq!(live.load().version, 2);
        }
        // The refusal says where the content is wrong: file, line, entry.
        let message = live.refused().unwrap().message;
        assert!(message.contains(&format!("{}:", shipped()[0].name)) && message.contains("(x): missing field `name`"), "{message}");
        assert_eq!(live.install(&bundle(7, "Khai sinh bảy", &key), at()), Installed::Installed { version: 7 });
        assert_eq!(live.refused(), None);
        assert_eq!(std::fs::read(dir.path().join("catalogue/bundle.previous.json")).unwrap(), bundle(2, "Khai sinh hai", &key));
    }

    #[test]
    fn a_restart_starts_with_the_stored_bundle_or_the_one_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[7; 32]);
        let files = BundleFiles::new(dir.path());
        files.install(&bundle(4, "Khai sinh bốn", &key)).unwrap();
        files.install(&bundle(5, "Khai sinh năm", &key)).unwrap();
        let opened = LiveCatalogue::stored(&files, &key.verifying_key()).unwrap();
        assert_eq!((opened.version, opened.get("1.001193").unwrap().name.as_str()), (5, "Khai sinh năm"));
        // Another key: neither is taken.
        assert!(LiveCatalogue::stored(&files, &SigningKey::from_bytes(&[8; 32]).verifying_key()).is_none());
        // The bundle in use is damaged on disk: the one before it is restored.
        std::fs::write(files.path(Slot::Current), b"{\"format\":1,").unwrap();
        let opened = LiveCatalogue::stored(&files, &key.verifying_key()).unwrap();
        assert_eq!((opened.version, opened.get("1.001193").unwrap().name.as_str()), (4, "Khai sinh bốn"));
        assert_eq!(files.read(Slot::Current).unwrap().unwrap(), bundle(4, "Khai sinh bốn", &key));
    }
}
