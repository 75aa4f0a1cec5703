//! Mounts the PeerPulse app.

fn main() {
    leptos::mount::mount_to_body(peerpulse::app::App);
}
