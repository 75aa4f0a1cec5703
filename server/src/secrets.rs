//! Random secrets and their hashes: the service stores hashes only.

use hmac::{Hmac, Mac};
use peerpulse_core::enrolment::EnrolmentCode;
use peerpulse_core::protocol::InstallationId;
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::path::Path;

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

/// The service's key for storing enrolment codes: a code has far fewer bits than a token
/// (25^8, about 2^37), so a plain hash in a stolen database or backup is reversed by trying
/// every code in hours. Stored as an HMAC under this key, which lives in a file of its own
/// outside the database, a stolen database alone reveals no code. `Debug` never shows it.
#[derive(Clone)]
pub struct CodeKey([u8; 32]);

/// The code key's file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CodeKeyError {
    /// Reading, creating or securing the file failed.
    #[error("cannot use the code key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file holds something other than 64 hex digits.
    #[error(
        "the code key file {0} is not 64 hex digits: restore it from your backup of the key, or delete it (codes not yet used then stop working)"
    )]
    Malformed(String),
    /// No randomness for a new key.
    #[error(transparent)]
    Random(#[from] NoRandomness),
}

impl CodeKey {
    /// A new random key (tests and benches; the service keeps its key in a file).
    pub fn random() -> Result<Self, NoRandomness> {
        random::<32>().map(Self)
    }

    /// The key in the file at `path`, creating the file (readable by this user only) with a
    /// new key if it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, CodeKeyError> {
        let io = |source| CodeKeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(text.trim())
                .ok_or_else(|| CodeKeyError::Malformed(path.display().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                let key = Self::random()?;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path).map_err(io)?;
                std::io::Write::write_all(&mut file, format!("{}\n", hex(&key.0)).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(io)?;
                Ok(key)
            }
            Err(e) => Err(io(e)),
        }
    }

    fn parse(text: &str) -> Option<Self> {
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut key = [0u8; 32];
        for (byte, pair) in key.iter_mut().zip(text.as_bytes().chunks(2)) {
            *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(Self(key))
    }

    /// The stored form of `code`: HMAC-SHA-256 under this key, as hex.
    pub fn seal(&self, code: &EnrolmentCode) -> String {
        let mut mac = self.hmac();
        mac.update(code.canonical().as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// The token of device `device_id` enrolled by `installation`: the same each time it is
    /// asked, so an enrolment retried after a lost answer gets the token the first answer
    /// held. 256 bits under this key; the service stores only the installation's hash, so
    /// even the database and this key together do not give a device's token.
    pub fn device_token(&self, device_id: &str, installation: &InstallationId) -> String {
        self.mac(&[
            b"device-token",
            device_id.as_bytes(),
            installation.as_str().as_bytes(),
        ])
    }

    /// HMAC-SHA-256 under this key of `parts`, each after its length (so no two lists of
    /// parts run together into the same input), as hex.
    fn mac(&self, parts: &[&[u8]]) -> String {
        let mut mac = self.hmac();
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        hex(&mac.finalize().into_bytes())
    }

    fn hmac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length")
    }
}

impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeKey(..)")
    }
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
    fn a_code_is_sealed_as_plain_hmac_sha256_of_its_canonical_form_as_from_the_start() {
        // Codes already stored were sealed this way: a change here would orphan them.
        let key =
            CodeKey::parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                .unwrap();
        let code: EnrolmentCode = "acde-3467".parse().unwrap();
        assert_eq!(
            key.seal(&code),
            "1ae4d690684fe7b68e7b12b7b6c67bb15bc0f8b1b4290d5803af94e63cbf1a46"
        );
    }

    #[test]
    fn a_code_key_is_kept_in_its_own_file_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("code-key");
        let key = CodeKey::load_or_create(&path).unwrap();
        let again = CodeKey::load_or_create(&path).unwrap();
        let code = new_enrolment_code().unwrap();
        assert_eq!(
            key.seal(&code),
            again.seal(&code),
            "the same key after a restart"
        );
        assert_ne!(key.seal(&code), hash(code.canonical()), "not a plain hash");
        assert_ne!(key.seal(&code), CodeKey::random().unwrap().seal(&code));
        assert!(!format!("{key:?}").contains(&std::fs::read_to_string(&path).unwrap()[..8]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(matches!(
            CodeKey::load_or_create(&path),
            Err(CodeKeyError::Malformed(_))
        ));
    }

    #[test]
    fn device_ids_have_a_prefix() {
        let id = new_device_id().unwrap();
        assert!(id.starts_with("dev-") && id.len() == 14, "{id}");
    }
}
