//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes), slow on purpose,
//! so it runs on a few dedicated threads, one per core, with a short queue in front. When the
//! queue is full the caller is told at once ([`Busy`]), so a flood of sign-ins cannot take the
//! memory of one hash per request, and the same threads (and so the same few allocator arenas)
//! do every hash, so the memory they used is reused rather than kept per thread.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use peerpulse_core::people::NewPassword;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::oneshot;

/// A hash to check against when the account does not exist, so a wrong username takes as
/// long as a wrong password and does not reveal which names exist.
static NOBODY: LazyLock<String> =
    LazyLock::new(|| hash_now("no account has this password").expect("hashing a constant works"));

/// Hashing failed (the system's randomness, or the hasher itself).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Every hashing thread is busy and the queue is full: try again shortly.
#[derive(Debug, thiserror::Error)]
#[error("too many passwords are being checked at once")]
pub struct Busy;

/// Why a new password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum NewHashError {
    /// The password is on the list of common breached passwords: it was not hashed.
    #[error("the password is among the most common in breaches")]
    Common,
    /// Try again shortly.
    #[error(transparent)]
    Busy(#[from] Busy),
    /// The hasher failed.
    #[error(transparent)]
    Failed(#[from] HashError),
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

fn verify_now(password: &str, stored: Option<&str>) -> bool {
    // No account, or one whose password was taken away (a reset link is out), is checked
    // against a hash no password matches, at the cost of any other check.
    let stored = stored.and_then(|s| PasswordHash::new(s).ok());
    let nobody = PasswordHash::new(&NOBODY).expect("the constant hash parses");
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), stored.as_ref().unwrap_or(&nobody))
        .is_ok();
    stored.is_some() && matches
}

/// Work for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// Hashes waiting beyond those running, per hashing thread.
const QUEUE_PER_THREAD: usize = 2;

/// Threads that hash passwords, and the queue in front of them.
struct HashingThreads {
    queue: SyncSender<Job>,
}

impl HashingThreads {
    /// `threads` threads with room for `waiting` jobs in their queue.
    fn start(threads: usize, waiting: usize) -> Self {
        let (queue, receiver) = sync_channel::<Job>(waiting);
        let receiver: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(receiver));
        for n in 0..threads {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        // A poisoned lock only means another hashing thread panicked in recv.
                        let job = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("start a password hashing thread");
        }
        Self { queue }
    }

    /// Runs `work` on a hashing thread, or says at once that they are all busy.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(work());
        });
        match self.queue.try_send(job) {
            Ok(()) => answer.await.map_err(|_| Busy),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
        }
    }
}

/// Makes glibc give large blocks back to the system when they are freed. Each hash takes a
/// 19 MiB block; glibc's mmap threshold otherwise rises to the size of the first such block
/// freed, after which every later one comes from, and stays in, a thread's heap: the bench
/// measured 160 MiB kept after one flood of sign-ins and 415 MiB after four, against 12 MiB
/// with the threshold fixed (`server/benches/sign_in_flood.rs`).
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// glibc's default threshold, fixed so it no longer adapts.
        const THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: mallopt only changes the allocator's parameters; it is thread-safe and
        // takes no pointers.
        let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD) };
        if set != 1 {
            tracing::warn!("could not fix the allocator's mmap threshold");
        }
    }
}

/// The service's hashing threads: one per core.
static THREADS: LazyLock<HashingThreads> = LazyLock::new(|| {
    return_large_blocks_to_the_system();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    HashingThreads::start(threads, threads * QUEUE_PER_THREAD)
});

/// The stored form of a new password. One on the list of common breached passwords is
/// refused before any hashing.
pub async fn hash(password: &NewPassword) -> Result<String, NewHashError> {
    if crate::common_passwords::is_common(password.expose()) {
        return Err(NewHashError::Common);
    }
    let password = password.expose().to_owned();
    Ok(THREADS.run(move || hash_now(&password)).await??)
}

/// Whether `password` matches `stored`; with no stored hash (no such account) it does the
/// same work and answers no.
pub async fn verify(password: &str, stored: Option<String>) -> Result<bool, Busy> {
    let password = password.to_owned();
    THREADS
        .run(move || verify_now(&password, stored.as_deref()))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let password = NewPassword::new("correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("horse"));
        assert!(
            verify("correct horse battery", Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("correct horse batterY", Some(stored)).await.unwrap());
        assert!(!verify("no account has this password", None).await.unwrap());
        assert!(
            !verify("no account has this password", Some("!reset".into()))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_flood_beyond_the_queue_is_told_busy_at_once() {
        let threads = HashingThreads::start(1, 2);
        let slow = || std::thread::sleep(std::time::Duration::from_millis(200));
        let flood = futures_util::future::join_all((0..10).map(|_| threads.run(slow))).await;
        let busy = flood.iter().filter(|answer| answer.is_err()).count();
        // Two waiting, and one running if the thread took it off the queue in time: the
        // other seven or eight are told at once.
        assert!((7..=8).contains(&busy), "{busy} told busy");
    }
}
