//! The kiosk's signing key (Ed25519). Created on first start in the data directory with owner-only
//! permissions, never in the repository; its public half is registered at the central service.

use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

pub struct DeviceKey {
    key: SigningKey,
}

impl DeviceKey {
    /// Load an existing key (verification must never create one).
    pub fn load(path: &Path) -> std::io::Result<DeviceKey> {
        if !path.exists() {
            return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("no device key at {}", path.display())));
        }
        DeviceKey::load_or_create(path)
    }

    /// Load `path`, or create it with fresh random bytes when it does not exist yet.
    pub fn load_or_create(path: &Path) -> std::io::Result<DeviceKey> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not a 32-byte Ed25519 key", path.display()))
                })?;
                Ok(DeviceKey { key: SigningKey::from_bytes(&bytes) })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                getrandom::fill(&mut seed).map_err(|e| std::io::Error::other(e.to_string()))?;
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path)?;
                file.write_all(&seed)?;
                file.sync_all()?;
                Ok(DeviceKey { key: SigningKey::from_bytes(&seed) })
            }
            Err(e) => Err(e),
        }
    }

    pub fn sign(&self, hash: &[u8; 32]) -> String {
        hex(&self.key.sign(hash).to_bytes())
    }

    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn public_hex(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}
