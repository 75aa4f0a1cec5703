//! Mounts the PeerPulse app.

fn main() {
    leptos::mount::mount_to_body(peerpulse::app::App);
    // After the first screen: the guard's name lexicon is a separate, later download.
    peerpulse::name_lexicon::load_later();
}
