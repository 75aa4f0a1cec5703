//! The worker's main screen: the organization's alerts, sync status, the encounter form, today's entries.

use crate::components::encounter_form::EncounterForm;
use crate::components::field_alert_card::FieldAlerts;
use crate::components::storage_status::StorageStatus;
use crate::components::sync_panel::SyncPanel;
use crate::components::today_list::TodayList;
use leptos::prelude::*;

/// Log an encounter.
#[component]
pub fn CapturePage() -> impl IntoView {
    view! {
        <FieldAlerts />
        <SyncPanel />
        <EncounterForm />
        <TodayList />
        <StorageStatus />
    }
}
