//! Saving a file from the phone: the worker's own export of their entries.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Why a download could not start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "The file could not be saved on this phone ({0}). Try another browser, or free some space."
)]
pub struct DownloadError(String);

fn js(e: JsValue) -> DownloadError {
    DownloadError(format!("{e:?}"))
}

/// Offers `contents` as a file called `name` of type `mime`.
pub fn save(name: &str, mime: &str, contents: &str) -> Result<(), DownloadError> {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(js)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| DownloadError("no document".into()))?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(js)?
        .dyn_into()
        .map_err(|_| DownloadError("not a link element".into()))?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    Url::revoke_object_url(&url).map_err(js)
}
