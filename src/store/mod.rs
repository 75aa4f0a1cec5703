//! The phone's IndexedDB store. Pages call these functions, never IndexedDB directly.

pub mod buckets;
pub mod crypto;
pub mod device;
pub mod encounters;
pub mod field_alerts;
pub mod lock;
pub mod note_outbox;
pub mod persistence;
pub mod schema;
pub mod web_storage;

use crypto::Sealer;
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};
use lock::LockRecord;
use std::cell::RefCell;
use std::rc::Rc;

/// Whether entries are sealed with a PIN, and whether its key is at hand.
#[derive(Clone, Debug)]
pub(crate) enum Keys {
    /// No PIN: entries are stored as they are.
    Open,
    /// A PIN is set and the key is not in memory: entries cannot be read or written.
    Locked(LockRecord),
    /// A PIN is set and was entered: entries are sealed and opened with this key.
    Unlocked(LockRecord, Sealer),
}

/// The phone's open database, with the PIN key when one is set and entered. Clones share
/// both, so locking through one locks them all.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
    keys: Rc<RefCell<Keys>>,
}

impl Store {
    /// Opens (and if needed creates or upgrades) the database called `name`; a PIN-locked
    /// store opens locked.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = schema::open(name).await?;
        let store = Self {
            db,
            keys: Rc::new(RefCell::new(Keys::Open)),
        };
        if let Some(record) = lock::record(&store).await? {
            store.set_keys(Keys::Locked(record));
        }
        Ok(store)
    }

    /// The database name, so tests can clean up after themselves.
    pub fn name(&self) -> String {
        self.db.name()
    }

    /// Closes the connection so the database can be deleted or upgraded elsewhere.
    pub fn close(self) {
        self.db.close();
    }

    /// Waits until a newer version of the app, open in another tab, asks to upgrade the
    /// database; then closes this connection so the upgrade can run. Returns whether that
    /// happened (false if the connection closed for another reason).
    pub async fn yield_to_upgrade(&self) -> bool {
        let Ok(mut changes) = self.db.version_changes() else {
            return false;
        };
        let asked = changes.recv().await.is_some();
        drop(changes);
        if asked {
            self.db.clone().close();
        }
        asked
    }

    pub(crate) fn db(&self) -> &Database {
        &self.db
    }

    pub(crate) fn keys(&self) -> Keys {
        self.keys.borrow().clone()
    }

    pub(crate) fn set_keys(&self, keys: Keys) {
        *self.keys.borrow_mut() = keys;
    }

    /// The key entries are sealed with (`None` without a PIN), or [`StoreError::Locked`].
    pub(crate) fn sealer(&self) -> Result<Option<Sealer>, StoreError> {
        match self.keys() {
            Keys::Open => Ok(None),
            Keys::Locked(_) => Err(StoreError::Locked),
            Keys::Unlocked(_, sealer) => Ok(Some(sealer)),
        }
    }
}

/// How many records of `store_name` changed after device clock value `acked_through`.
pub(crate) async fn changed_after(
    store: &Store,
    store_name: &str,
    acked_through: u64,
) -> Result<u32, StoreError> {
    use indexed_db_futures::prelude::*;
    let tx = store.db().transaction(store_name).build()?;
    let object_store = tx.object_store(store_name)?;
    let index = object_store.index(schema::BY_VERSION)?;
    Ok(index
        .count()
        .with_query::<u64, _>(indexed_db_futures::KeyRange::LowerBound(
            acked_through,
            true,
        ))
        .serde()?
        .await?)
}

/// Something the browser's storage refused or a record that could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened (private mode, blocked upgrade, storage disabled).
    #[error(
        "This phone's storage could not be opened ({0}). Close other PeerPulse tabs, leave private browsing, then reload."
    )]
    Open(String),
    /// Bringing the stored data to this version of the app failed at one step; the browser
    /// rolled the whole upgrade back, so the data is as the earlier version left it.
    #[error(
        "This phone's storage could not be updated to version {version} ({cause}). Nothing was changed: your entries are kept as they were; please report this."
    )]
    Upgrade {
        /// The schema version whose migration failed.
        version: u32,
        /// The browser's reason.
        cause: String,
    },
    /// A read or write failed (for example the storage quota is full).
    #[error(
        "This phone's storage refused the change ({0}). Nothing was saved: free some space and try again."
    )]
    Request(String),
    /// A stored record could not be read back.
    #[error("A stored record could not be read ({0}). It is kept as it was; please report this.")]
    Corrupt(String),
    /// The record asked for is not there (already deleted, or never saved).
    #[error("That entry is no longer on this phone ({0}).")]
    Missing(String),
    /// The phone's trend counts disagree with its entries.
    #[error("The trend counts on this phone are out of step ({0}). Nothing was changed.")]
    Inconsistent(String),
    /// Entries are sealed with a PIN that has not been entered.
    #[error("This phone is locked: enter your PIN to see or change entries.")]
    Locked,
    /// Encryption or decryption failed.
    #[error("Encryption on this phone failed ({0}). Nothing was changed.")]
    Crypto(String),
}

impl From<OpenDbError> for StoreError {
    fn from(e: OpenDbError) -> Self {
        Self::Open(e.to_string())
    }
}

impl From<IdbError> for StoreError {
    fn from(e: IdbError) -> Self {
        match e {
            IdbError::Serialisation(e) => Self::Corrupt(e.to_string()),
            IdbError::MissingData(e) => Self::Corrupt(e.to_string()),
            other => Self::Request(other.to_string()),
        }
    }
}

impl From<crypto::CryptoError> for StoreError {
    fn from(e: crypto::CryptoError) -> Self {
        match e {
            crypto::CryptoError::WrongKey => Self::Corrupt(e.to_string()),
            other => Self::Crypto(other.to_string()),
        }
    }
}
