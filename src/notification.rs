//! System notifications of new alerts, through the service worker's `showNotification`, once
//! the worker allowed them (asked from an alert card, never at first start).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Notification, NotificationOptions, NotificationPermission, ServiceWorkerRegistration,
};

/// Whether the worker may still be asked (the browser has notifications, and neither
/// allowed nor blocked them yet).
pub fn may_ask() -> bool {
    supported() && Notification::permission() == NotificationPermission::Default
}

/// Whether the worker allowed notifications.
pub fn allowed() -> bool {
    supported() && Notification::permission() == NotificationPermission::Granted
}

fn supported() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false)
            && js_sys::Reflect::has(&w.navigator(), &"serviceWorker".into()).unwrap_or(false)
    })
}

/// Asks the worker to allow notifications; returns whether they did.
pub async fn ask() -> bool {
    if let Ok(promise) = Notification::request_permission() {
        let _ = JsFuture::from(promise).await;
    }
    allowed()
}

/// Shows `body` under `title` as a system notification, one per `tag` (a later one with the
/// same tag replaces it). Does nothing unless allowed; a failure is logged, never raised: the
/// alert is on the Log screen either way.
pub async fn show(title: &str, body: &str, tag: &str) {
    if !allowed() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let shown = async {
        let ready = window.navigator().service_worker().ready()?;
        let registration: ServiceWorkerRegistration = JsFuture::from(ready).await?.dyn_into()?;
        let options = NotificationOptions::new();
        options.set_body(body);
        options.set_tag(tag);
        options.set_icon("/icons/icon-192.png");
        JsFuture::from(registration.show_notification_with_options(title, &options)?).await
    };
    if let Err(e) = shown.await {
        leptos::logging::warn!("could not show a notification: {e:?}");
    }
}
