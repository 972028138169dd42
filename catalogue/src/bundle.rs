//! Signed catalogue bundles: how a province's list of procedures travels from `central` to every
//! kiosk (`docs/sync-protocol.md`, "Catalogue bundles"). The province signs a manifest — the
//! version and every file's size and SHA-256 — with its Ed25519 key; a kiosk accepts a bundle
//! only if that signature verifies with the key it was configured with, the files are exactly
//! the ones the manifest describes, the version is newer than the one in use, and the files load
//! with the same rules and located errors as a catalogue directory.
//!
//! Central and the kiosk both use this module, so what one signs the other checks with the very
//! same code. Pure: no file is written, no clock is read, nothing is fetched.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::load::{self, CatalogError, LoadError};
use crate::Catalog;

/// The bundle format this code reads and writes.
pub const FORMAT: u32 = 1;
/// Most files in one bundle.
pub const MAX_FILES: usize = 1000;
/// Largest bundle accepted, in bytes (a province's 2,000 procedures are a few MiB).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// Longest file name.
pub const MAX_NAME: usize = 100;
/// What is hashed before the manifest, so a bundle signature can never pass as a rating's or a
/// heartbeat's.
const PREFIX: &str = "catalogue-bundle\n";

/// One catalogue file: its plain name (`ho_tich.toml`) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    pub name: String,
    pub text: String,
}

impl CatalogueFile {
    /// The catalogue files of `dir` — exactly those [`Catalog::load_dir`] reads, the vocabulary
    /// included when the directory has one — in name order.
    pub fn read_dir(dir: impl AsRef<Path>) -> Result<Vec<CatalogueFile>, CatalogError> {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let mut paths = load::catalogue_files(dir)?;
        let vocabulary = dir.join(crate::VOCABULARY_FILE);
        if vocabulary.is_file() {
            paths.push(vocabulary);
            paths.sort();
        }
        for path in paths {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push(CatalogueFile { name, text }),
                Err(e) => errors.push(LoadError {
                    file: path.display().to_string(),
                    line: None,
                    entry: None,
                    code: None,
                    message: format!("cannot read the file (it must be UTF-8): {e}"),
                }),
            }
        }
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(CatalogError { errors })
        }
    }
}

/// A bundle as it travels (JSON). Built with [`Bundle::sign`], checked with [`Bundle::verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: u32,
    /// The signed manifest, as the exact bytes that were hashed.
    pub manifest_json: String,
    /// Ed25519 over the 32 raw bytes of [`bundle_hash`]`(manifest_json)`, hex.
    pub signature: String,
    /// Which key signed it, for messages only: a kiosk verifies with its configured key.
    pub public_key: String,
    pub files: Vec<CatalogueFile>,
}

/// What the signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    version: u64,
    published_at: String,
    files: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ManifestEntry {
    name: String,
    size: u64,
    sha256: String,
}

/// Why a bundle was refused. Nothing of a refused bundle is used.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Not a bundle of this format, or its manifest does not parse or names invalid files.
    #[error("malformed catalogue bundle: {0}")]
    Malformed(String),
    /// The signature does not verify with the expected key, or the files are not the ones the
    /// signed manifest describes.
    #[error("catalogue bundle refused, bad signature: {0}")]
    BadSignature(String),
    /// Not newer than the catalogue in use.
    #[error("catalogue bundle version {version} refused: the catalogue in use is version {current}; only a newer one is installed")]
    OlderVersion { version: u64, current: u64 },
    /// Signed and intact, but the catalogue does not pass the rules.
    #[error("catalogue bundle version {version} refused: {errors}")]
    InvalidContent { version: u64, errors: CatalogError },
}

impl BundleError {
    /// The code a kiosk reports in its heartbeat (`catalogue.refused.reason`).
    pub fn reason(&self) -> &'static str {
        match self {
            BundleError::Malformed(_) => "malformed",
            BundleError::BadSignature(_) => "bad_signature",
            BundleError::OlderVersion { .. } => "older_version",
            BundleError::InvalidContent { .. } => "invalid_content",
        }
    }
}

/// `SHA-256("catalogue-bundle\n" || manifest_json)`: the 32 bytes the province signs.
pub fn bundle_hash(manifest_json: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(PREFIX.as_bytes());
    h.update(manifest_json.as_bytes());
    h.finalize().into()
}

/// An Ed25519 public key from 64 hex characters.
pub fn parse_public_key(hex_key: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] =
        hex::decode(hex_key.trim()).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| format!("{hex_key:?} is not 64 hex characters"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| format!("{hex_key:?} is not a valid Ed25519 public key"))
}

/// Why `name` cannot be a file of a bundle, if it cannot.
fn bad_name(name: &str) -> Option<String> {
    let plain = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control);
    if !plain {
        return Some(format!("file name {name:?} is not a plain name (no '/', '\\', leading '.', at most {MAX_NAME} characters)"));
    }
    if !load::is_catalogue_file_name(name) && name != crate::VOCABULARY_FILE {
        return Some(format!(
            "file name {name:?} is not a catalogue file (*.toml or *.json, not *.schema.json) nor {}",
            crate::VOCABULARY_FILE
        ));
    }
    None
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Bundle {
    /// Sign `files` as catalogue `version`. Files are put in name order; names must be plain
    /// catalogue file names and unique. Does not check the catalogue itself: validate with
    /// [`Catalog::load_files`] first.
    pub fn sign(version: u64, published_at: &str, mut files: Vec<CatalogueFile>, key: &SigningKey) -> Result<Bundle, BundleError> {
        files.sort_by(|a, b| a.name.cmp(&b.name));
        check_names(files.iter().map(|f| f.name.as_str()))?;
        if version < 1 {
            return Err(BundleError::Malformed("versions start at 1".into()));
        }
        let manifest = Manifest {
            version,
            published_at: published_at.to_string(),
            files: files
                .iter()
                .map(|f| ManifestEntry { name: f.name.clone(), size: f.text.len() as u64, sha256: sha256_hex(f.text.as_bytes()) })
                .collect(),
        };
        let manifest_json = serde_json::to_string(&manifest).expect("a manifest serialises");
        let signature = hex::encode(key.sign(&bundle_hash(&manifest_json)).to_bytes());
        Ok(Bundle { format: FORMAT, manifest_json, signature, public_key: hex::encode(key.verifying_key().as_bytes()), files })
    }

    /// Parse a bundle as received.
    pub fn from_json(bytes: &[u8]) -> Result<Bundle, BundleError> {
        if bytes.len() > MAX_BYTES {
            return Err(BundleError::Malformed(format!("{} bytes; a bundle is at most {MAX_BYTES}", bytes.len())));
        }
        let bundle: Bundle = serde_json::from_slice(bytes).map_err(|e| BundleError::Malformed(format!("not a bundle: {e}")))?;
        if bundle.format != FORMAT {
            return Err(BundleError::Malformed(format!("format {} is not known here; this kiosk reads format {FORMAT}", bundle.format)));
        }
        Ok(bundle)
    }

    /// The bundle as it travels.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a bundle serialises")
    }

    /// The version its manifest names, without checking anything (for messages).
    pub fn claimed_version(&self) -> Option<u64> {
        serde_json::from_str::<Manifest>(&self.manifest_json).ok().map(|m| m.version)
    }

    /// Check the signature with `key` and that the files are exactly the ones the signed
    /// manifest describes. Says nothing yet about the version or the catalogue rules.
    pub fn verify(self, key: &VerifyingKey) -> Result<VerifiedBundle, BundleError> {
        if self.format != FORMAT {
            return Err(BundleError::Malformed(format!("format {} is not known here; this kiosk reads format {FORMAT}", self.format)));
        }
        let expected = hex::encode(key.as_bytes());
        let signature: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| BundleError::BadSignature("the signature is not 128 hex characters".into()))?;
        if key.verify_strict(&bundle_hash(&self.manifest_json), &Signature::from_bytes(&signature)).is_err() {
            return Err(BundleError::BadSignature(format!(
                "the signature does not verify with the province key {expected} (the bundle says it was signed by {})",
                self.public_key
            )));
        }
        let manifest: Manifest =
            serde_json::from_str(&self.manifest_json).map_err(|e| BundleError::Malformed(format!("manifest_json: {e}")))?;
        if manifest.version < 1 {
            return Err(BundleError::Malformed("manifest version 0: versions start at 1".into()));
        }
        check_names(manifest.files.iter().map(|f| f.name.as_str()))?;
        if self.files.len() != manifest.files.len() {
            return Err(BundleError::BadSignature(format!(
                "the signed manifest lists {} files, the bundle carries {}",
                manifest.files.len(),
                self.files.len()
            )));
        }
        for (signed, file) in manifest.files.iter().zip(&self.files) {
            if signed.name != file.name {
                return Err(BundleError::BadSignature(format!(
                    "the bundle carries {:?} where the signed manifest lists {:?}",
                    file.name, signed.name
                )));
            }
            if signed.size != file.text.len() as u64 || !signed.sha256.eq_ignore_ascii_case(&sha256_hex(file.text.as_bytes())) {
                return Err(BundleError::BadSignature(format!("{}: its bytes are not the ones the province signed", file.name)));
            }
        }
        Ok(VerifiedBundle { version: manifest.version, published_at: manifest.published_at, files: self.files })
    }
}

fn check_names<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), BundleError> {
    let mut seen = std::collections::HashSet::new();
    let mut count = 0;
    for name in names {
        if let Some(why) = bad_name(name) {
            return Err(BundleError::Malformed(why));
        }
        if !seen.insert(name) {
            return Err(BundleError::Malformed(format!("file name {name:?} appears twice")));
        }
        count += 1;
    }
    match count {
        0 => Err(BundleError::Malformed("no catalogue files: a bundle holds at least one".into())),
        n if n > MAX_FILES => Err(BundleError::Malformed(format!("{n} files; a bundle holds at most {MAX_FILES}"))),
        _ => Ok(()),
    }
}

/// A bundle whose signature and files hold.
#[derive(Debug, Clone)]
pub struct VerifiedBundle {
    version: u64,
    published_at: String,
    files: Vec<CatalogueFile>,
}

impl VerifiedBundle {
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn published_at(&self) -> &str {
        &self.published_at
    }

    /// The files, in name order, byte for byte as signed.
    pub fn files(&self) -> &[CatalogueFile] {
        &self.files
    }

    /// Refuse it unless it is newer than `current` (the version in use; 0 for shipped files),
    /// then load it with the catalogue rules.
    pub fn load(&self, current: u64) -> Result<Catalog, BundleError> {
        if self.version <= current {
            return Err(BundleError::OlderVersion { version: self.version, current });
        }
        Catalog::load_files(&self.files).map_err(|errors| BundleError::InvalidContent { version: self.version, errors })
    }
}

/// Every check a kiosk makes, in the order `docs/sync-protocol.md` gives: parse, signature and
/// files, version newer than `current`, catalogue rules. Returns the bundle and its catalogue.
pub fn open(bytes: &[u8], key: &VerifyingKey, current: u64) -> Result<(VerifiedBundle, Catalog), BundleError> {
    let verified = Bundle::from_json(bytes)?.verify(key)?;
    let catalog = verified.load(current)?;
    Ok((verified, catalog))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[procedure]]
code = "1.001193"
name = "Đăng ký khai sinh"
field = "Hộ tịch"
level = "commune"
agency = "UBND cấp xã"
applicants = ["individual"]
service = "A"
online_level = "toan_trinh"
steps = ["Nộp hồ sơ"]
documents = [{ name = "Tờ khai đăng ký khai sinh", originals = 1 }]
result = "Giấy khai sinh"
legal_basis = ["Luật Hộ tịch 2014"]
channels = [
  { kind = "direct", time_limit = { kind = "same_day", text = "Ngay trong ngày" }, fee = { text = "Miễn lệ phí" } },
  { kind = "online", time_limit = { kind = "same_day", text = "Ngay trong ngày" }, fee = { text = "Miễn lệ phí" } },
]
"#;

    fn refused<T>(r: Result<T, BundleError>) -> BundleError {
        match r {
            Ok(_) => panic!("accepted"),
            Err(e) => e,
        }
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn files() -> Vec<CatalogueFile> {
        vec![
            CatalogueFile { name: "ho_tich.toml".into(), text: GOOD.into() },
            CatalogueFile { name: "cu_tru.toml".into(), text: GOOD.replace("1.001193", "1.004222").replace("Hộ tịch", "Cư trú") },
        ]
    }

    fn signed(version: u64) -> Bundle {
        Bundle::sign(version, "2026-03-05T08:00:00+07:00", files(), &key(7)).unwrap()
    }

    #[test]
    fn a_signed_bundle_round_trips_and_loads() {
        let json = signed(3).to_json();
        let (verified, catalog) = open(json.as_bytes(), &key(7).verifying_key(), 2).unwrap();
        assert_eq!(verified.version(), 3);
        assert_eq!(verified.published_at(), "2026-03-05T08:00:00+07:00");
        let names: Vec<&str> = verified.files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["cu_tru.toml", "ho_tich.toml"], "name order");
        assert_eq!(catalog.len(), 2);
        assert_eq!(catalog.get("1.004222").unwrap().field, "Cư trú");
        // The exact bytes survive the trip.
        assert_eq!(verified.files()[1].text, GOOD);
    }

    #[test]
    fn another_key_is_refused() {
        let err = refused(open(signed(3).to_json().as_bytes(), &key(8).verifying_key(), 0));
        assert_eq!(err.reason(), "bad_signature", "{err}");
        assert!(err.to_string().contains(&hex::encode(key(8).verifying_key().as_bytes())), "{err}");
    }

    #[test]
    fn every_byte_and_the_version_are_covered() {
        let k = key(7).verifying_key();
        // A changed byte in a file.
        let mut b = signed(3);
        b.files[1].text = b.files[1].text.replace("Đăng ký khai sinh", "Đăng ký khai tử");
        assert_eq!(b.verify(&k).unwrap_err().reason(), "bad_signature");
        // A file dropped, or one added.
        let mut b = signed(3);
        b.files.pop();
        assert_eq!(b.verify(&k).unwrap_err().reason(), "bad_signature");
        let mut b = signed(3);
        b.files.push(CatalogueFile { name: "z.toml".into(), text: GOOD.into() });
        assert_eq!(b.verify(&k).unwrap_err().reason(), "bad_signature");
        // The version raised in the manifest.
        let mut b = signed(3);
        b.manifest_json = b.manifest_json.replace("\"version\":3", "\"version\":4");
        assert_eq!(b.verify(&k).unwrap_err().reason(), "bad_signature");
        // The files swapped between names.
        let mut b = signed(3);
        let (first, second) = (b.files[0].text.clone(), b.files[1].text.clone());
        b.files[0].text = second;
        b.files[1].text = first;
        assert_eq!(b.verify(&k).unwrap_err().reason(), "bad_signature");
    }

    #[test]
    fn only_a_newer_version_is_installed() {
        let verified = signed(5).verify(&key(7).verifying_key()).unwrap();
        for current in [5, 6] {
            let err = refused(verified.load(current));
            assert_eq!(err.reason(), "older_version");
            assert!(err.to_string().contains(&format!("in use is version {current}")), "{err}");
        }
        assert!(verified.load(4).is_ok());
        assert!(verified.load(0).is_ok());
    }

    #[test]
    fn invalid_content_is_refused_with_located_errors() {
        let mut bad = files();
        bad[0].text = format!("{GOOD}{}{GOOD}", GOOD.replace("level = \"commune\"", "level = \"district\""));
        let bundle = Bundle::sign(2, "2026-03-05T08:00:00+07:00", bad, &key(7)).unwrap();
        let err = refused(open(bundle.to_json().as_bytes(), &key(7).verifying_key(), 1));
        assert_eq!(err.reason(), "invalid_content");
        let BundleError::InvalidContent { version, errors } = &err else { panic!("{err}") };
        assert_eq!(*version, 2);
        let text = errors.to_string();
        // The same errors as loading a directory, named by file: the bad level and the duplicate.
        assert_eq!(errors.errors.len(), 2, "{text}");
        assert!(text.contains("ho_tich.toml:20: procedure #2 (1.001193): unknown variant `district`"), "{text}");
        assert!(text.contains("ho_tich.toml:38: procedure #3 (1.001193): duplicate code"), "{text}");
    }

    #[test]
    fn names_must_be_plain_catalogue_files() {
        for name in ["../etc/passwd.toml", "a/b.toml", ".hidden.toml", "catalog.schema.json", "README.md", ""] {
            let files = vec![CatalogueFile { name: name.into(), text: GOOD.into() }];
            let err = Bundle::sign(1, "2026-03-05T08:00:00+07:00", files, &key(7)).unwrap_err();
            assert_eq!(err.reason(), "malformed", "{name:?}");
        }
        let twice = vec![CatalogueFile { name: "a.toml".into(), text: GOOD.into() }; 2];
        assert!(Bundle::sign(1, "2026-03-05T08:00:00+07:00", twice, &key(7)).is_err());
        assert!(Bundle::sign(1, "2026-03-05T08:00:00+07:00", Vec::new(), &key(7)).is_err());
        // A signed manifest naming a path is refused too, after the signature held.
        let manifest = r#"{"version":1,"published_at":"x","files":[{"name":"../x.toml","size":0,"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]}"#;
        let b = Bundle {
            format: 1,
            manifest_json: manifest.into(),
            signature: hex::encode(key(7).sign(&bundle_hash(manifest)).to_bytes()),
            public_key: String::new(),
            files: vec![CatalogueFile { name: "../x.toml".into(), text: String::new() }],
        };
        assert_eq!(b.verify(&key(7).verifying_key()).unwrap_err().reason(), "malformed");
    }

    #[test]
    fn garbage_and_other_formats_are_malformed() {
        let k = key(7).verifying_key();
        assert_eq!(refused(open(b"not json", &k, 0)).reason(), "malformed");
        let mut b = signed(1);
        b.format = 2;
        assert_eq!(refused(open(b.to_json().as_bytes(), &k, 0)).reason(), "malformed");
        let with_extra = signed(1).to_json().replacen('{', "{\"extra\":1,", 1);
        assert_eq!(refused(open(with_extra.as_bytes(), &k, 0)).reason(), "malformed");
    }

    #[test]
    fn a_directory_reads_as_its_catalogue_files() {
        let dir = std::env::temp_dir().join(format!("catalogue-bundle-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in [("b.toml", GOOD), ("a.json", "{\"procedure\": []}"), ("catalog.schema.json", "{}"), ("README.md", "x")] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let names: Vec<String> = CatalogueFile::read_dir(&dir).unwrap().into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["a.json", "b.toml"]);
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
        let files = CatalogueFile::read_dir(&shipped).unwrap();
        let from_files = Catalog::load_files(&files).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_files.len(), Catalog::load_dir(&shipped).unwrap().len());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The vector printed in `docs/sync-protocol.md` (the hash checked with `sha256sum`).
    #[test]
    fn the_documented_test_vector_holds() {
        let manifest = r#"{"version":1,"published_at":"2026-03-05T08:00:00+07:00","files":[]}"#;
        let hash = bundle_hash(manifest);
        let signature = key(7).sign(&hash);
        assert_eq!(hex::encode(key(7).verifying_key().as_bytes()), "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c");
        assert_eq!(hex::encode(hash), "42a8c3636d111e49cfbd4fba469105f104179eb9361b96a3b3b27cf685ce5d78");
        assert_eq!(hex::encode(signature.to_bytes()), "c65df0fd630661287030535288005ce58c907d1dee66912a09b9147861eb1fa8461f7fdd4f3716442233e9e9b3976f6bb134e9dfcdfed4f9fb535c759516f305");
    }

    #[test]
    fn the_vocabulary_travels_in_the_bundle() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/catalog");
        let files = CatalogueFile::read_dir(&dir).unwrap();
        assert!(files.iter().any(|f| f.name == crate::VOCABULARY_FILE), "the shipped directory's vocabulary is read");
        let bundle = Bundle::sign(2, "2026-03-02T09:00:00+07:00", files.clone(), &key(7)).unwrap();
        let (_, catalog) = open(&bundle.to_json().into_bytes(), &key(7).verifying_key(), 1).unwrap();
        assert_eq!(catalog.search("bố tôi vừa mất", None, 3).results[0].code, "1.000656");
        // A bundle's own vocabulary is the one used, with its errors located in it.
        let mut broken = files;
        broken.iter_mut().find(|f| f.name == crate::VOCABULARY_FILE).unwrap().text.push_str("\n[ignore\n");
        let err = Catalog::load_files(&broken).err().unwrap().to_string();
        assert!(err.contains(crate::VOCABULARY_FILE), "{err}");
    }
}
