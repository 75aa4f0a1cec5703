//! Mounts the organization's app (see `peerpulse::org_app`).

fn main() {
    // The person's language first, so the first screen is already in it; English, built in,
    // when it cannot load.
    peerpulse::i18n::install(&peerpulse::i18n::ORG);
    wasm_bindgen_futures::spawn_local(async {
        peerpulse::i18n::choice::start().await;
        leptos::mount::mount_to_body(peerpulse::org_app::OrgApp);
    });
}
