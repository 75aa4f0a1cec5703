//! The guard's name lexicon on the phone.
//!
//! At 148 KB (46 KB brotli) it would weigh on the first screen as part of the wasm, so
//! the PWA builds core without it: `index.html` copies `core/data/names.txt` beside the app as
//! `/names.txt` and links it for the service worker to cache with the shell, and once the app
//! has mounted it is fetched and handed to the guard. Until then the guard on the phone finds
//! names after cue words only; the service, which always has the lexicon, checks every offered
//! note and free tag again.

use gloo_net::http::Request;
use peerpulse_core::privacy::names::{self, Lexicon};

/// Where the built app serves the lexicon.
pub const PATH: &str = "/names.txt";

/// Fetches the lexicon in the background and hands it to the guard; a failure is logged, and
/// the guard goes on with cue words until the next start.
pub fn load_later() {
    leptos::task::spawn_local(async {
        if let Err(why) = load().await {
            leptos::logging::warn!("the guard reads names after cue words only: {why}");
        }
    });
}

async fn load() -> Result<(), String> {
    let response = Request::get(PATH).send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("{PATH} answered HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    let lexicon = Lexicon::parse(text).map_err(|e| format!("{PATH}: {e}"))?;
    names::install(lexicon);
    Ok(())
}
