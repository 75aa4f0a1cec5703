//! Encryption at rest for a PIN-locked phone: a key derived from the PIN with PBKDF2
//! (SHA-256) seals each entry with AES-256-GCM, through the browser's WebCrypto.

use js_sys::{Array, Uint8Array};
use peerpulse_core::pin::Pin;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto};

/// PBKDF2 rounds for new PINs (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Salt length in bytes.
const SALT_BYTES: usize = 16;
/// AES-GCM nonce length in bytes.
const IV_BYTES: usize = 12;

/// Ciphertext with the nonce it was sealed under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBox {
    /// A fresh random nonce per sealing.
    #[serde(with = "serde_bytes")]
    pub iv: Vec<u8>,
    /// AES-GCM output: ciphertext and tag.
    #[serde(with = "serde_bytes")]
    pub data: Vec<u8>,
}

/// What WebCrypto refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The browser has no WebCrypto here (an insecure origin).
    #[error("this browser offers no encryption here ({0})")]
    Unavailable(String),
    /// Decryption failed: another key, or damaged data. AES-GCM cannot tell them apart.
    #[error("the data does not open with this key")]
    WrongKey,
    /// Any other failure.
    #[error("encryption failed ({0})")]
    Failed(String),
}

fn failed(e: JsValue) -> CryptoError {
    CryptoError::Failed(format!("{e:?}"))
}

fn crypto() -> Result<web_sys::Crypto, CryptoError> {
    web_sys::window()
        .ok_or_else(|| CryptoError::Unavailable("no window".into()))?
        .crypto()
        .map_err(|e| CryptoError::Unavailable(format!("{e:?}")))
}

fn subtle() -> Result<SubtleCrypto, CryptoError> {
    Ok(crypto()?.subtle())
}

/// `n` bytes from the browser's cryptographic generator.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, CryptoError> {
    let mut bytes = vec![0; n];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(failed)?;
    Ok(bytes)
}

/// A fresh salt for a new PIN.
pub fn new_salt() -> Result<Vec<u8>, CryptoError> {
    random_bytes(SALT_BYTES)
}

async fn resolve(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise?).await
}

/// An AES-GCM key derived from a PIN; it cannot be exported from the browser.
#[derive(Clone, Debug)]
pub struct Sealer {
    key: CryptoKey,
}

impl Sealer {
    /// Derives the key for `pin` with `salt` and `iterations` (slow on purpose).
    pub async fn derive(pin: &Pin, salt: &[u8], iterations: u32) -> Result<Self, CryptoError> {
        let subtle = subtle()?;
        let usages = |names: &[&str]| -> JsValue {
            names
                .iter()
                .map(|n| JsValue::from_str(n))
                .collect::<Array>()
                .into()
        };
        let pin_bytes = Uint8Array::from(pin.as_bytes());
        let base: CryptoKey = resolve(subtle.import_key_with_str(
            "raw",
            &pin_bytes,
            "PBKDF2",
            false,
            &usages(&["deriveKey"]),
        ))
        .await
        .map_err(failed)?
        .unchecked_into();
        let params =
            Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
        let key: CryptoKey = resolve(subtle.derive_key_with_object_and_object(
            &params,
            &base,
            &AesDerivedKeyParams::new("AES-GCM", 256),
            false,
            &usages(&["encrypt", "decrypt"]),
        ))
        .await
        .map_err(failed)?
        .unchecked_into();
        Ok(Self { key })
    }

    /// Encrypts `plaintext` under a fresh nonce.
    pub async fn seal(&self, plaintext: &[u8]) -> Result<SealedBox, CryptoError> {
        let iv = random_bytes(IV_BYTES)?;
        let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv.as_slice()));
        let data =
            resolve(subtle()?.encrypt_with_object_and_u8_array(&params, &self.key, plaintext))
                .await
                .map_err(failed)?;
        Ok(SealedBox {
            iv,
            data: Uint8Array::new(&data).to_vec(),
        })
    }

    /// Decrypts what [`Sealer::seal`] produced with the same key.
    pub async fn open(&self, sealed: &SealedBox) -> Result<Vec<u8>, CryptoError> {
        let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(sealed.iv.as_slice()));
        let data =
            resolve(subtle()?.decrypt_with_object_and_u8_array(&params, &self.key, &sealed.data))
                .await
                .map_err(|_| CryptoError::WrongKey)?;
        Ok(Uint8Array::new(&data).to_vec())
    }
}
