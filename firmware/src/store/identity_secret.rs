//! The site's secret for identity cards' per-day keys (`<data>/identity.secret`): created on
//! first use with fresh random bytes and owner-only permissions, never in the repository or the
//! configuration, read back on every start. Without it a stored key cannot be tested against a
//! guessed ID number. The keys themselves are [`crate::identity::PersonKey`].

use std::path::Path;

use crate::identity::IdentitySecret;

/// Load `path`, or create it with fresh random bytes when it does not exist yet.
pub fn load_or_create(path: &Path) -> std::io::Result<IdentitySecret> {
    Ok(IdentitySecret(super::device_key::secret_file(path, "identity secret")?))
}
