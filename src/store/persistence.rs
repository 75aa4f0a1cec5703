//! Keeping the phone's entries from being cleared: persistent storage and how full it is.

use super::StoreError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::StorageEstimate;

/// Share of the quota above which the worker is warned.
const NEARLY_FULL: f64 = 0.8;

/// What the browser says about this app's storage.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageHealth {
    /// The browser promised not to clear the app's data on its own.
    pub persisted: bool,
    /// Bytes used, if the browser tells.
    pub usage: Option<f64>,
    /// Bytes available to the app, if the browser tells.
    pub quota: Option<f64>,
}

impl StorageHealth {
    /// Whether storage is close enough to full to warn.
    pub fn nearly_full(&self) -> bool {
        matches!((self.usage, self.quota), (Some(u), Some(q)) if q > 0.0 && u / q >= NEARLY_FULL)
    }
}

fn storage_manager() -> Result<web_sys::StorageManager, StoreError> {
    web_sys::window()
        .map(|w| w.navigator().storage())
        .ok_or_else(|| StoreError::Open("no browser window".into()))
}

async fn promise(
    p: Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Result<wasm_bindgen::JsValue, StoreError> {
    let p = p.map_err(|e| StoreError::Request(format!("{e:?}")))?;
    JsFuture::from(p)
        .await
        .map_err(|e| StoreError::Request(format!("{e:?}")))
}

/// Asks the browser to keep this app's data (it may decide on its own), then reports usage.
pub async fn ensure_persistent() -> Result<StorageHealth, StoreError> {
    let manager = storage_manager()?;
    let mut persisted = promise(manager.persisted()).await?.as_bool() == Some(true);
    if !persisted {
        persisted = promise(manager.persist()).await?.as_bool() == Some(true);
    }
    let estimate: StorageEstimate = promise(manager.estimate()).await?.unchecked_into();
    Ok(StorageHealth {
        persisted,
        usage: estimate.get_usage(),
        quota: estimate.get_quota(),
    })
}
