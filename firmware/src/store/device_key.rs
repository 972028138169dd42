//! The kiosk's signing key on disk (`<data>/device.key`): created on first start with fresh
//! random bytes and owner-only permissions, never in the repository, and read back on every
//! start. The key itself (signing, its public half) is [`crate::rating::DeviceKey`].

use std::io::Write;
use std::path::Path;

use crate::rating::DeviceKey;

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
        Ok(DeviceKey::from_seed(&secret_file(path, "Ed25519 key")?))
    }
}

/// 32 secret bytes kept in `path` (`what` they are, for the error): read back, or created with
/// fresh random bytes, owner-only permissions and an fsync when the file does not exist yet.
/// The device key and the identity cards' secret (`super::identity_secret`) both live so.
pub(super) fn secret_file(path: &Path, what: &str) -> std::io::Result<[u8; 32]> {
    match std::fs::read(path) {
        Ok(bytes) => bytes
            .as_slice()
            .try_into()
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not a 32-byte {what}", path.display()))),
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
            Ok(seed)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let a = DeviceKey::load_or_create(&dir.path().join("device.key")).unwrap();
        let b = DeviceKey::load_or_create(&dir.path().join("device.key")).unwrap();
        assert_eq!(a.public_hex(), b.public_hex());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("device.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
