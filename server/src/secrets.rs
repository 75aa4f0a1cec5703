//! Random secrets and their hashes: the service stores hashes only.

use peerpulse_core::enrolment::EnrolmentCode;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The operating system's random generator failed.
#[derive(Debug, thiserror::Error)]
#[error("no randomness available from the operating system: {0}")]
pub struct NoRandomness(String);

fn random<const N: usize>() -> Result<[u8; N], NoRandomness> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| NoRandomness(e.to_string()))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            write!(s, "{b:02x}").expect("writing to a String cannot fail");
            s
        })
}

/// A new device token: 256 random bits as hex.
pub fn new_token() -> Result<String, NoRandomness> {
    Ok(hex(&random::<32>()?))
}

/// A new public device id such as `dev-3f9a0c12e4`.
pub fn new_device_id() -> Result<String, NoRandomness> {
    Ok(format!("dev-{}", hex(&random::<5>()?)))
}

/// A new one-time enrolment code.
pub fn new_enrolment_code() -> Result<EnrolmentCode, NoRandomness> {
    Ok(EnrolmentCode::from_random(random::<8>()?))
}

/// The stored form of a token or code: SHA-256 as hex. Tokens are 256 random bits, so a fast
/// hash is enough; a stolen database reveals no usable token.
pub fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex_and_differ() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn device_ids_have_a_prefix() {
        let id = new_device_id().unwrap();
        assert!(id.starts_with("dev-") && id.len() == 14, "{id}");
    }
}
