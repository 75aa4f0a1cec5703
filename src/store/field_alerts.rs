//! Alerts from the organization kept on this phone, shown offline until they expire, with
//! whether the worker passed each on.

use super::schema::FIELD_ALERTS;
use super::{Store, StoreError};
use chrono::{DateTime, Utc};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::field_alert::PublishedAlert;
use peerpulse_core::org_api::AlertReceipts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One alert as kept, keyed by its `id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptAlert {
    /// The alert's id (the record's key).
    pub id: i64,
    /// The alert as the service published it.
    pub alert: PublishedAlert,
    /// The worker marked it passed on (to contacts); reported on the next sync.
    #[serde(default)]
    pub passed_on: bool,
}

/// Replaces the kept alerts with `current` (what the service has up now): a withdrawn or
/// expired alert goes, an updated one takes its old version's place and keeps its "passed
/// on". Returns the alerts this phone had not held before, for a notification.
pub async fn replace(
    store: &Store,
    current: &[PublishedAlert],
) -> Result<Vec<PublishedAlert>, StoreError> {
    let tx = store
        .db()
        .transaction(FIELD_ALERTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let alerts = tx.object_store(FIELD_ALERTS)?;
    let before: BTreeMap<i64, KeptAlert> = alerts
        .get_all::<KeptAlert>()
        .serde()?
        .await?
        .map(|r| r.map(|kept| (kept.id, kept)))
        .collect::<Result<_, _>>()?;
    alerts.clear()?.await?;
    let mut new = Vec::new();
    for alert in current {
        let passed_on = before.get(&alert.id).is_some_and(|k| k.passed_on);
        if !before.contains_key(&alert.id) {
            new.push(alert.clone());
        }
        let kept = KeptAlert {
            id: alert.id,
            alert: alert.clone(),
            passed_on,
        };
        alerts.put(&kept).serde()?.await?;
    }
    tx.commit().await?;
    Ok(new)
}

/// The alerts to show at `now`: kept and not expired, newest first.
pub async fn shown(store: &Store, now: DateTime<Utc>) -> Result<Vec<KeptAlert>, StoreError> {
    let tx = store.db().transaction(FIELD_ALERTS).build()?;
    let mut kept = tx
        .object_store(FIELD_ALERTS)?
        .get_all::<KeptAlert>()
        .serde()?
        .await?
        .collect::<Result<Vec<_>, _>>()?;
    kept.retain(|k| k.alert.content.expires_at > now);
    kept.sort_by(|a, b| {
        b.alert
            .published_at
            .cmp(&a.alert.published_at)
            .then(a.id.cmp(&b.id))
    });
    Ok(kept)
}

/// Marks alert `id` passed on (or not); a no-op if it is no longer kept.
pub async fn mark_passed_on(store: &Store, id: i64, passed_on: bool) -> Result<(), StoreError> {
    let tx = store
        .db()
        .transaction(FIELD_ALERTS)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let alerts = tx.object_store(FIELD_ALERTS)?;
    if let Some(mut kept) = alerts.get::<KeptAlert, _, _>(id).serde()?.await? {
        kept.passed_on = passed_on;
        alerts.put(&kept).serde()?.await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What to tell the service: every alert kept (id and version) and those passed on.
pub async fn receipts(store: &Store) -> Result<AlertReceipts, StoreError> {
    let tx = store.db().transaction(FIELD_ALERTS).build()?;
    let kept = tx
        .object_store(FIELD_ALERTS)?
        .get_all::<KeptAlert>()
        .serde()?
        .await?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AlertReceipts {
        received: kept.iter().map(|k| (k.id, k.alert.version)).collect(),
        passed_on: kept.iter().filter(|k| k.passed_on).map(|k| k.id).collect(),
    })
}
