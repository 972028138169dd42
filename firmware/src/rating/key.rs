//! The kiosk's signing key (Ed25519): signs each link of the ratings chain; its public half is
//! registered at the central service. Pure: the key file itself is kept by `store::device_key`.

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

pub struct DeviceKey {
    key: SigningKey,
}

impl DeviceKey {
    /// The key of a 32-byte Ed25519 seed (kept on disk by `store::device_key`).
    pub fn from_seed(seed: &[u8; 32]) -> DeviceKey {
        DeviceKey { key: SigningKey::from_bytes(seed) }
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
