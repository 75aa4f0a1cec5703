//! Small reusable view pieces.

pub mod chart;
pub mod chip_picker;
pub mod disclosure;
pub mod encounter_form;
pub mod entry_item;
pub mod field_alert_card;
pub mod free_tags;
pub mod language_picker;
pub mod lock_screen;
pub mod period_picker;
pub mod phone_week;
pub mod storage_status;
pub mod supply_picker;
pub mod sync_panel;
pub mod today_list;
pub mod trends;
pub mod when_picker;
