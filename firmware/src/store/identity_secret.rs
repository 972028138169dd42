//! The site's secret for identity cards' per-day keys (`<data>/identity.secret`): created on
//! first use with fresh random bytes and owner-only permissions, never in the repository or the
//! configuration, read back on every start. Without it a stored key cannot be tested against a
//! guessed ID number. The keys themselves are [`crate::identity::PersonKey`].

use std::io::Write;
use std::path::Path;

use crate::identity::IdentitySecret;

/// Load `path`, or create it with fresh random bytes when it does not exist yet.
pub fn load_or_create(path: &Path) -> std::io::Result<IdentitySecret> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let bytes: [u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not a 32-byte secret", path.display())))?;
            Ok(IdentitySecret(bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            getrandom::fill(&mut secret).map_err(|e| std::io::Error::other(e.to_string()))?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(path)?;
            file.write_all(&secret)?;
            file.sync_all()?;
            Ok(IdentitySecret(secret))
        }
        Err(e) => Err(e),
    }
}
