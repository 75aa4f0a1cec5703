//! Mounts the organization's app (see `peerpulse::org_app`).

fn main() {
    leptos::mount::mount_to_body(peerpulse::org_app::OrgApp);
}
