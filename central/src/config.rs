//! `central.toml` and the command-line overrides → one validated `Config`: where to listen,
//! which database, and the registered kiosks (credential hash, public key). Bearer tokens are
//! never stored: only their SHA-256, which is enough because tokens are long random strings.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;

use ed25519_dalek::VerifyingKey;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::alerts::Thresholds;
use crate::chain::parse_public_key;
use crate::store::DbUrl;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8490";
pub const DEFAULT_DATABASE: &str = "sqlite:var/central.sqlite3";

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub listen: Option<SocketAddr>,
    pub database: Option<String>,
    /// SHA-256 (hex) of the bearer token of the province's staff (`GET /api/v1/ratings`).
    pub admin_token_sha256: Option<String>,
    /// The province's catalogue public key (hex): `publish-catalogue` refuses to sign with any
    /// other key, so a bundle every kiosk would refuse is never published.
    pub catalogue_public_key: Option<String>,
    /// Alert thresholds of the fleet view.
    #[serde(default)]
    pub fleet: Thresholds,
    #[serde(default)]
    pub kiosk: Vec<KioskEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KioskEntry {
    pub id: String,
    pub credential_sha256: String,
    pub public_key: String,
}

/// A registered kiosk.
#[derive(Debug, Clone)]
pub struct Kiosk {
    pub id: String,
    pub public_key: VerifyingKey,
}

impl Kiosk {
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key.to_bytes())
    }
}

/// The registered kiosks, found by the hash of their credential.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    kiosks: HashMap<String, Kiosk>,
    by_credential: HashMap<String, String>,
}

impl Registry {
    fn register(&mut self, entry: &KioskEntry) -> Result<(), String> {
        let id = entry.id.trim();
        if id.is_empty() || id.contains(':') || id.chars().any(char::is_whitespace) {
            return Err(format!("kiosk id {:?}: not empty, no spaces, no ':'", entry.id));
        }
        let hash = entry.credential_sha256.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("kiosk {id}: credential_sha256 is 64 hex characters (`central hash-token TOKEN`)"));
        }
        let public_key = parse_public_key(&entry.public_key).map_err(|e| format!("kiosk {id}: public_key: {e}"))?;
        if self.kiosks.contains_key(id) {
            return Err(format!("kiosk {id} is registered twice"));
        }
        if let Some(other) = self.by_credential.get(&hash) {
            return Err(format!("kiosks {other} and {id} have the same credential: issue one per kiosk"));
        }
        self.by_credential.insert(hash, id.to_string());
        self.kiosks.insert(id.to_string(), Kiosk { id: id.to_string(), public_key });
        Ok(())
    }

    /// The kiosk whose credential is `token`.
    pub fn by_credential(&self, token: &str) -> Option<&Kiosk> {
        self.by_credential.get(&token_hash(token)).and_then(|id| self.kiosks.get(id))
    }

    /// The registered kiosk ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let mut ids: Vec<&str> = self.kiosks.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids.into_iter()
    }

    pub fn get(&self, id: &str) -> Option<&Kiosk> {
        self.kiosks.get(id)
    }

    pub fn len(&self) -> usize {
        self.kiosks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kiosks.is_empty()
    }
}

/// SHA-256 of a bearer token, lowercase hex: what the configuration stores.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Everything `central` runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: DbUrl,
    pub admin_token_sha256: Option<String>,
    pub kiosks: Registry,
    pub catalogue_public_key: Option<VerifyingKey>,
    pub fleet: Thresholds,
}

/// What the command line adds to or overrides in the file.
#[derive(Debug, Default)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub database: Option<String>,
    /// `ID:TOKEN:PUBLIC_KEY_HEX`, the token in clear (tests, demos).
    pub kiosks: Vec<String>,
    /// The admin token in clear.
    pub admin_token: Option<String>,
}

impl Config {
    /// Read `path` (if given) and apply the overrides; every problem names the file.
    pub fn load(path: Option<&Path>, overrides: Overrides) -> Result<Config, String> {
        let file = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
                toml::from_str::<ConfigFile>(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => ConfigFile::default(),
        };
        let origin = path.map_or_else(|| "command line".to_string(), |p| p.display().to_string());
        Config::build(file, overrides).map_err(|e| format!("{origin}: {e}"))
    }

    fn build(file: ConfigFile, overrides: Overrides) -> Result<Config, String> {
        let mut kiosks = Registry::default();
        for entry in &file.kiosk {
            kiosks.register(entry)?;
        }
        for spec in &overrides.kiosks {
            let bad = || format!("--kiosk {spec:?}: expected ID:TOKEN:PUBLIC_KEY_HEX");
            let (id, rest) = spec.split_once(':').ok_or_else(bad)?;
            let (token, public_key) = rest.rsplit_once(':').ok_or_else(bad)?;
            if token.is_empty() {
                return Err(bad());
            }
            kiosks.register(&KioskEntry { id: id.into(), credential_sha256: token_hash(token), public_key: public_key.into() })?;
        }
        let admin_token_sha256 = match (overrides.admin_token, file.admin_token_sha256) {
            (Some(token), _) => Some(token_hash(&token)),
            (None, Some(hash)) if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => Some(hash.to_ascii_lowercase()),
            (None, Some(_)) => return Err("admin_token_sha256 is 64 hex characters (`central hash-token TOKEN`)".into()),
            (None, None) => None,
        };
        let database = overrides.database.or(file.database).unwrap_or_else(|| DEFAULT_DATABASE.into());
        let catalogue_public_key =
            file.catalogue_public_key.as_deref().map(parse_public_key).transpose().map_err(|e| format!("catalogue_public_key: {e}"))?;
        let f = &file.fleet;
        if f.offline_grace_seconds < 0 || f.outbox_backlog_minutes < 1 || f.clock_tolerance_seconds < 1 || f.catalogue_grace_minutes < 0 {
            return Err("[fleet]: offline_grace_seconds and catalogue_grace_minutes are at least 0, outbox_backlog_minutes and clock_tolerance_seconds at least 1".into());
        }
        Ok(Config {
            listen: overrides.listen.or(file.listen).unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("valid default")),
            database: DbUrl::parse(&database)?,
            admin_token_sha256,
            kiosks,
            catalogue_public_key,
            fleet: file.fleet,
        })
    }

    /// Whether `token` is the province staff's token.
    pub fn is_admin(&self, token: &str) -> bool {
        self.admin_token_sha256.as_deref() == Some(token_hash(token).as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    #[test]
    fn the_example_configuration_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("central.example.toml");
        let config = Config::load(Some(&path), Overrides::default()).unwrap();
        assert!(!config.kiosks.is_empty());
        assert!(config.admin_token_sha256.is_some());
    }

    #[test]
    fn a_kiosk_is_found_by_its_token_and_only_its_hash_is_kept() {
        let overrides = Overrides { kiosks: vec![format!("K1:s3cr:et:{KEY}")], ..Overrides::default() };
        let config = Config::build(ConfigFile::default(), overrides).unwrap();
        assert_eq!(config.kiosks.by_credential("s3cr:et").unwrap().id, "K1");
        assert!(config.kiosks.by_credential("s3cr").is_none());
        assert!(!format!("{config:?}").contains("s3cr:et"));
    }

    #[test]
    fn mistakes_are_named() {
        let file = |toml: &str| Config::build(toml::from_str(toml).unwrap(), Overrides::default()).unwrap_err();
        let twice = format!(
            "[[kiosk]]\nid='K1'\ncredential_sha256='{h}'\npublic_key='{KEY}'\n[[kiosk]]\nid='K1'\ncredential_sha256='{h2}'\npublic_key='{KEY}'",
            h = token_hash("a"),
            h2 = token_hash("b")
        );
        assert!(file(&twice).contains("registered twice"));
        let bad_key = format!("[[kiosk]]\nid='K1'\ncredential_sha256='{}'\npublic_key='abc'", token_hash("a"));
        assert!(file(&bad_key).contains("public_key"));
        assert!(file("database = 'mysql://x'").contains("not a database URL"));
        assert!(file("catalogue_public_key = 'abc'").contains("catalogue_public_key"));
        assert!(file("[fleet]\nclock_tolerance_seconds = 0").contains("[fleet]"));
        let unknown = toml::from_str::<ConfigFile>("[fleet]\ndisk_low = 1").unwrap_err().to_string();
        assert!(unknown.contains("disk_low"), "{unknown}");
    }
}
