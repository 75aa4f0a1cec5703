//! The phone's IndexedDB store. Pages call these functions, never IndexedDB directly.

pub mod buckets;
pub mod device;
pub mod encounters;
pub mod persistence;
pub mod schema;

use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};

/// The phone's open database.
#[derive(Clone, Debug)]
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (and if needed creates or upgrades) the database called `name`.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        Ok(Self {
            db: schema::open(name).await?,
        })
    }

    /// The database name, so tests can clean up after themselves.
    pub fn name(&self) -> String {
        self.db.name()
    }

    /// Closes the connection so the database can be deleted or upgraded elsewhere.
    pub fn close(self) {
        self.db.close();
    }

    pub(crate) fn db(&self) -> &Database {
        &self.db
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
