//! The optional PIN lock: entries sealed at rest with a key derived from the PIN.
//!
//! Buckets, the sync state and credentials stay readable, so a locked phone still syncs; they
//! hold counts only, the same the service receives. A wrong PIN changes nothing: it only fails
//! to open the check value.

use super::crypto::{self, PBKDF2_ITERATIONS, SealedBox, Sealer};
use super::encounters::{self, EntryRecord};
use super::schema::{ENTRIES, META};
use super::web_storage::{self, Kept};
use super::{Keys, Store, StoreError};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use peerpulse_core::pin::{Pin, PinAttempts};
use serde::{Deserialize, Serialize};

const LOCK_KEY: &str = "lock";
/// Where the wrong PINs typed in a row are counted (Web Storage, so a reload keeps them).
const ATTEMPTS_KEY: &str = "peerpulse-pin-attempts";
/// What the check value holds; opening it proves the PIN is right.
const CHECK: &[u8] = b"peerpulse-pin-check";

/// How a PIN's key is derived, and a value sealed with it to check a PIN against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockRecord {
    #[serde(with = "serde_bytes")]
    salt: Vec<u8>,
    iterations: u32,
    check: SealedBox,
}

/// Whether this phone has a PIN, and whether it is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockState {
    /// No PIN.
    Off,
    /// A PIN is set and must be entered.
    Locked,
    /// A PIN is set and was entered.
    Unlocked,
}

/// The lock state an operation needed and did not find.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotNow {
    /// Unlocking a phone that is not locked.
    #[error("This phone is not locked.")]
    NotLocked,
    /// Setting a PIN on a phone that has one.
    #[error("This phone already has a PIN.")]
    HasPin,
    /// Changing the PIN of a locked phone.
    #[error("Unlock the phone first.")]
    Locked,
    /// Removing a PIN that is not set.
    #[error("This phone has no PIN.")]
    NoPin,
}

/// Why a lock operation did not happen; nothing was changed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LockError {
    /// The PIN does not open the lock.
    #[error("That PIN is not right. Nothing was changed: try again.")]
    WrongPin,
    /// Too many wrong PINs in a row: no PIN is tried for this many more seconds.
    #[error("Too many wrong PINs. Try again in {0} seconds.")]
    Wait(u64),
    /// The operation needs the phone in another lock state.
    #[error("{0}")]
    NotNow(NotNow),
    /// Storage or encryption failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crypto::CryptoError> for LockError {
    fn from(e: crypto::CryptoError) -> Self {
        Self::Store(e.into())
    }
}

/// The lock record, if a PIN is set.
pub(crate) async fn record(store: &Store) -> Result<Option<LockRecord>, StoreError> {
    let tx = store.db().transaction(META).build()?;
    Ok(tx.object_store(META)?.get(LOCK_KEY).serde()?.await?)
}

/// The phone's lock state.
pub fn state(store: &Store) -> LockState {
    match store.keys() {
        Keys::Open => LockState::Off,
        Keys::Locked(_) => LockState::Locked,
        Keys::Unlocked(..) => LockState::Unlocked,
    }
}

/// The key `pin` derives for `record`, if the PIN is right.
async fn key_for(pin: &Pin, record: &LockRecord) -> Result<Sealer, LockError> {
    let sealer = Sealer::derive(pin, &record.salt, record.iterations).await?;
    match sealer.open(&record.check).await {
        Ok(opened) if opened == CHECK => Ok(sealer),
        _ => Err(LockError::WrongPin),
    }
}

/// The wrong PINs typed in a row on this phone.
pub fn attempts() -> PinAttempts {
    web_storage::get(Kept::Local, ATTEMPTS_KEY).unwrap_or_default()
}

/// Seconds before a PIN may be tried again (0: now).
pub fn seconds_to_wait() -> u64 {
    attempts().seconds_left(js_sys::Date::now())
}

/// Opens the lock with `pin`. After a few wrong PINs in a row each further try waits longer
/// (see [`PinAttempts::wait`]); the count survives a reload and ends with the right PIN.
pub async fn unlock(store: &Store, pin: &Pin) -> Result<(), LockError> {
    let Keys::Locked(record) = store.keys() else {
        return Err(LockError::NotNow(NotNow::NotLocked));
    };
    let wait = seconds_to_wait();
    if wait > 0 {
        return Err(LockError::Wait(wait));
    }
    match key_for(pin, &record).await {
        Ok(sealer) => {
            web_storage::remove(Kept::Local, ATTEMPTS_KEY);
            store.set_keys(Keys::Unlocked(record, sealer));
            Ok(())
        }
        Err(LockError::WrongPin) => {
            let attempts = attempts().after_wrong(js_sys::Date::now());
            web_storage::set(Kept::Local, ATTEMPTS_KEY, &attempts);
            match attempts.seconds_left(attempts.last_wrong_ms) {
                0 => Err(LockError::WrongPin),
                wait => Err(LockError::Wait(wait)),
            }
        }
        Err(e) => Err(e),
    }
}

/// Forgets the key: entries cannot be read until the PIN is entered again.
pub fn lock(store: &Store) {
    if let Keys::Unlocked(record, _) = store.keys() {
        store.set_keys(Keys::Locked(record));
    }
}

/// A fresh lock record and key for `pin`.
async fn new_lock(pin: &Pin) -> Result<(LockRecord, Sealer), LockError> {
    let salt = crypto::new_salt()?;
    let sealer = Sealer::derive(pin, &salt, PBKDF2_ITERATIONS).await?;
    let check = sealer.seal(CHECK).await?;
    let record = LockRecord {
        salt,
        iterations: PBKDF2_ITERATIONS,
        check,
    };
    Ok((record, sealer))
}

/// Sets a PIN on an unlocked phone without one, sealing every entry.
pub async fn enable(store: &Store, pin: &Pin) -> Result<(), LockError> {
    if !matches!(store.keys(), Keys::Open) {
        return Err(LockError::NotNow(NotNow::HasPin));
    }
    let (record, sealer) = new_lock(pin).await?;
    reseal_all(store, None, Some(&sealer), Some(&record)).await?;
    store.set_keys(Keys::Unlocked(record, sealer));
    Ok(())
}

/// Replaces the PIN of an unlocked phone, after checking the current one again.
pub async fn change(store: &Store, current: &Pin, new: &Pin) -> Result<(), LockError> {
    let Keys::Unlocked(record, _) = store.keys() else {
        return Err(LockError::NotNow(NotNow::Locked));
    };
    let old = key_for(current, &record).await?;
    let (record, sealer) = new_lock(new).await?;
    reseal_all(store, Some(&old), Some(&sealer), Some(&record)).await?;
    store.set_keys(Keys::Unlocked(record, sealer));
    Ok(())
}

/// Removes the PIN after checking it, storing every entry unsealed again.
pub async fn disable(store: &Store, pin: &Pin) -> Result<(), LockError> {
    let (Keys::Unlocked(record, _) | Keys::Locked(record)) = store.keys() else {
        return Err(LockError::NotNow(NotNow::NoPin));
    };
    let sealer = key_for(pin, &record).await?;
    reseal_all(store, Some(&sealer), None, None).await?;
    store.set_keys(Keys::Open);
    Ok(())
}

/// Rewrites every entry from `from`'s sealing to `to`'s and stores `lock` (or removes the
/// lock record), in one transaction. Entries are opened and sealed before it starts; if one
/// changed meanwhile (another tab), everything is read again.
async fn reseal_all(
    store: &Store,
    from: Option<&Sealer>,
    to: Option<&Sealer>,
    lock: Option<&LockRecord>,
) -> Result<(), StoreError> {
    const ATTEMPTS: usize = 3;
    for _ in 0..ATTEMPTS {
        let records = encounters::all_records(store).await?;
        let mut resealed = Vec::with_capacity(records.len());
        for record in records {
            let version = record.version();
            let stored = record.open(from).await?;
            resealed.push((version, EntryRecord::seal(&stored, to).await?));
        }
        let tx = store
            .db()
            .transaction([ENTRIES, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let entries = tx.object_store(ENTRIES)?;
        let mut changed_meanwhile = entries.count().serde()?.await? as usize != resealed.len();
        for (version, record) in &resealed {
            let current: Option<EntryRecord> = entries.get(record.id().as_str()).serde()?.await?;
            if current.map(|c| c.version()) != Some(*version) {
                changed_meanwhile = true;
                break;
            }
            entries.put(record).serde()?.await?;
        }
        if changed_meanwhile {
            tx.abort().await?;
            continue;
        }
        let meta = tx.object_store(META)?;
        match lock {
            Some(lock) => {
                meta.put(lock)
                    .with_key(LOCK_KEY)
                    .without_key_type()
                    .serde()?
                    .await?;
            }
            None => meta.delete(LOCK_KEY).primitive()?.await?,
        }
        tx.commit().await?;
        return Ok(());
    }
    Err(StoreError::Inconsistent(
        "entries kept changing in another PeerPulse tab; close it and try again".into(),
    ))
}
