//! The client side of the sync protocol: send changed buckets until the service has them all.

pub mod client;
pub mod scheduler;

use crate::store::device::{self, Credentials};
use crate::store::{Store, StoreError, buckets, field_alerts, note_outbox};
use client::ServiceError;
use peerpulse_core::backoff::Backoff;
use peerpulse_core::bucket::BucketKey;
use peerpulse_core::codebook::Codebook;
use peerpulse_core::encounter::EditWindow;
use peerpulse_core::enrolment::EnrolmentCode;
use peerpulse_core::field_alert::{PublishedAlert, kept};
use peerpulse_core::field_notes::NoteChange;
use peerpulse_core::protocol::{EnrolRequest, Rejection, SyncRequest};
use std::future::Future;
use std::pin::Pin;

/// Why a sync did not complete.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// The phone has no credentials yet.
    #[error(
        "This phone is not connected to your organization yet: enter the enrolment code from your manager."
    )]
    NotEnrolled,
    /// The service could not be reached or refused.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The phone's storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The sync's own code, which comes after the form ([`sync`]), could not be fetched: the
    /// app's first visit lost its connection before it arrived.
    #[error(
        "This phone has not yet fetched the part of the app that syncs: it needs a connection once."
    )]
    CodeNotFetched,
}

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for SyncError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        SyncError::CodeNotFetched
    }
}

/// A sync or an enrolment under way, boxed so it can cross the split point.
type Running<T> = Pin<Box<dyn Future<Output = Result<T, SyncError>>>>;

/// Syncs now ([`sync_now`]), stamping acknowledgements with the phone's clock.
///
/// In the release build (cargo feature `split`) the code of syncing and enrolling (the sync
/// protocol, the service's answers, field alerts and notes) comes in the later pages' chunk
/// (`src/later_pages.rs`), fetched once the form is usable: nothing of it is needed to log an
/// encounter. A sync that starts before the chunk is here waits for it; one that cannot fetch
/// it ends with [`SyncError::CodeNotFetched`] and is retried like a sync that found no network.
pub async fn sync(store: Store) -> Result<SyncOutcome, SyncError> {
    #[cfg(feature = "split")]
    let running = start_sync(store).await?;
    #[cfg(not(feature = "split"))]
    let running = start_sync(store)?;
    running.await
}

/// Enrols this phone ([`enrol`]). Its code comes like [`sync`]'s; while it cannot be fetched,
/// this asks again by itself as [`enrol`] does for an unanswered try, calling `retrying`
/// with the number of failed tries, so the worker sees "Connecting…", not a refusal.
pub async fn enrol_phone(
    store: Store,
    code: EnrolmentCode,
    retrying: Box<dyn Fn(u32)>,
) -> Result<Credentials, SyncError> {
    #[cfg(feature = "split")]
    let running = {
        let mut failures = 0u32;
        while fetch_enrol_code().await.is_err() {
            wait_to_retry(&mut failures, &retrying).await;
        }
        start_enrol(store, code, retrying).await?
    };
    #[cfg(not(feature = "split"))]
    let running = start_enrol(store, code, retrying)?;
    running.await
}

/// After a try that went unanswered: counts it, tells `retrying`, and waits with the sync
/// backoff, cut short (and the count started over) when the network comes back, so a try
/// that raced the network coming up is followed by another within seconds.
async fn wait_to_retry(failures: &mut u32, retrying: &impl Fn(u32)) {
    *failures = failures.saturating_add(1);
    retrying(*failures);
    let delay = Backoff::SYNC.delay(*failures, js_sys::Math::random());
    if crate::clock::sleep_unless_online(delay).await {
        *failures = 0;
    }
}

#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(later, fallible))]
fn start_sync(store: Store) -> Result<Running<SyncOutcome>, SyncError> {
    Ok(Box::pin(async move {
        sync_now(&store, crate::clock::now_rfc3339).await
    }))
}

#[cfg_attr(
    feature = "split",
    wasm_split_helpers::wasm_split(later, fallible, preload(fetch_enrol_code))
)]
fn start_enrol(
    store: Store,
    code: EnrolmentCode,
    retrying: Box<dyn Fn(u32)>,
) -> Result<Running<Credentials>, SyncError> {
    Ok(Box::pin(async move { enrol(&store, code, retrying).await }))
}

/// What one completed sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncOutcome {
    /// Requests sent.
    pub batches: u32,
    /// Buckets the service stored.
    pub applied: u32,
    /// Buckets the service already had.
    pub unchanged: u32,
    /// Buckets the service refused.
    pub rejected: Vec<Rejection>,
    /// Buckets of days the organization closed: the service keeps what it counted of them
    /// before, and they are settled like the rest.
    pub closed: Vec<BucketKey>,
    /// A newer codebook the service sent, already stored.
    pub codebook: Option<Codebook>,
    /// The organization's edit window, as the last answer gave it (already stored).
    pub edit_window: Option<EditWindow>,
    /// Insight notes offered for the brief that the service now has.
    pub notes_sent: u32,
    /// Offered notes taken back from the service (entry deleted, or no longer offered).
    pub notes_withdrawn: u32,
    /// Why the service refused offered notes (each stays on the phone with its entry).
    pub notes_refused: Vec<String>,
    /// Alerts from the organization this phone had not held before (all kept alerts are
    /// already stored).
    pub new_alerts: Vec<PublishedAlert>,
}

/// Enrols this phone with a code and keeps the credentials.
///
/// The request carries this installation's id, so when an answer is lost on the way (a cut
/// link, a timeout) asking again gets the same device and token: it asks again by itself with
/// the sync backoff (cut short when the network comes back) for as long as there is no answer, calling `retrying` with the number of
/// failed tries before each wait. A refusal (a used, unknown or expired code) ends it.
pub async fn enrol(
    store: &Store,
    code: EnrolmentCode,
    retrying: impl Fn(u32),
) -> Result<Credentials, SyncError> {
    let request = EnrolRequest {
        code,
        installation_id: Some(device::installation_id(store).await?),
    };
    let mut failures = 0u32;
    let answer = loop {
        match client::enrol(&request).await {
            Ok(answer) => break answer,
            Err(e) if e.is_transient() => wait_to_retry(&mut failures, &retrying).await,
            Err(e) => return Err(e.into()),
        }
    };
    let credentials = Credentials {
        device_id: answer.device_id,
        token: answer.token,
        org_name: answer.org_name,
    };
    device::save_credentials(store, &credentials).await?;
    Ok(credentials)
}

/// Sends every bucket changed since the last ack, then the changes to offered insight notes
/// since the last sync (offers, corrected words, withdrawals).
///
/// Safe to interrupt at any point: an unacknowledged batch is sent again next time, and the
/// service ignores versions it already has; a note leaves the outbox only once the service
/// has it, and the service stores each entry's words once.
pub async fn sync_now(store: &Store, now: impl Fn() -> String) -> Result<SyncOutcome, SyncError> {
    let credentials = device::credentials(store)
        .await?
        .ok_or(SyncError::NotEnrolled)?;
    let mut outcome = send_buckets(store, &credentials, now).await?;
    for change in note_outbox::waiting(store).await? {
        let sent = match &change {
            NoteChange::Offer(offer) => client::offer_note(&credentials.token, offer)
                .await
                .map(|_| outcome.notes_sent += 1),
            NoteChange::Withdraw(id) => client::withdraw_note(&credentials.token, id)
                .await
                .map(|()| outcome.notes_withdrawn += 1),
        };
        match sent {
            Ok(()) => {}
            // Refused for good (a stricter guard, say): the note stays in its entry only.
            Err(ServiceError::Refused(why)) => outcome.notes_refused.push(why),
            Err(e) => return Err(e.into()),
        }
        note_outbox::done(store, &change).await?;
    }
    outcome.new_alerts = take_field_alerts(store, &credentials).await?;
    Ok(outcome)
}

/// Keeps exactly the alerts the organization has up now, then reports what this phone holds
/// and what its worker passed on (marks made offline go now). Returns the new ones.
async fn take_field_alerts(
    store: &Store,
    credentials: &Credentials,
) -> Result<Vec<PublishedAlert>, SyncError> {
    let current = client::current_field_alerts(&credentials.token).await?;
    let new = field_alerts::replace(store, &kept(current, chrono::Utc::now())).await?;
    let receipts = field_alerts::receipts(store).await?;
    if !receipts.received.is_empty() {
        client::report_field_alerts(&credentials.token, &receipts).await?;
    }
    Ok(new)
}

/// Sends every bucket changed since the last ack, in bounded batches, recording each ack.
async fn send_buckets(
    store: &Store,
    credentials: &Credentials,
    now: impl Fn() -> String,
) -> Result<SyncOutcome, SyncError> {
    let mut outcome = SyncOutcome::default();
    let mut codebook_version = device::codebook(store).await?.version;
    let mut edit_window = device::edit_window(store).await?;
    loop {
        let state = device::sync_state(store).await?;
        let batch = buckets::next_batch(store, state.acked_through).await?;
        // An empty batch still goes once: it checks in and fetches a newer codebook.
        if batch.is_empty() && outcome.batches > 0 {
            return Ok(outcome);
        }
        let request = SyncRequest {
            buckets: batch,
            codebook_version,
        };
        // Offline, the browser keeps the request from leaving: only a try with a network can
        // be "sent" with its answer lost.
        if !request.buckets.is_empty() && web_sys::window().is_some_and(|w| w.navigator().on_line())
        {
            device::record_sent(store, request.through()).await?;
        }
        let answer = client::push(&credentials.token, &request).await?;
        if answer.acked_through < request.through() {
            // Without this the loop would send the same batch forever.
            return Err(ServiceError::BadAnswer(format!(
                "acknowledged {} of a batch through {}",
                answer.acked_through,
                request.through()
            ))
            .into());
        }
        outcome.batches += 1;
        outcome.applied += answer.applied;
        outcome.unchanged += answer.unchanged;
        outcome.rejected.extend(answer.rejected);
        outcome.closed.extend(answer.closed);
        if let Some(codebook) = answer.codebook {
            device::save_codebook(store, &codebook).await?;
            codebook_version = codebook.version;
            outcome.codebook = Some(codebook);
        }
        if answer.edit_window != edit_window {
            device::save_edit_window(store, answer.edit_window).await?;
            edit_window = answer.edit_window;
        }
        outcome.edit_window = Some(edit_window);
        device::record_ack(store, answer.acked_through, &now()).await?;
        if request.buckets.is_empty() {
            return Ok(outcome);
        }
    }
}
