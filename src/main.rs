//! Mounts the PeerPulse app.

fn main() {
    // The worker's language first (from the service worker's cache when offline), so the
    // first screen is already in it; English, built in, when it cannot load. The browser's
    // own executor: Leptos's starts with the mount.
    wasm_bindgen_futures::spawn_local(async {
        peerpulse::i18n::choice::start().await;
        leptos::mount::mount_to_body(peerpulse::app::App);
        // After the first screen: the guard's name lexicon is a separate, later download.
        peerpulse::name_lexicon::load_later();
    });
}
