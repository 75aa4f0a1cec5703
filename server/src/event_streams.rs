//! Live event streams held open: at most a few per phone or session, each for a while only,
//! so one reader cannot hold the service's connections (the page reconnects by itself).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Most event streams one phone or one session may hold open.
pub const MAX_PER_READER: usize = 4;
/// How long one stream lasts before the service ends it (an `EventSource` reconnects).
pub const LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How often a stream checks that its phone or session may still read.
pub const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Streams open now, per reader.
#[derive(Clone, Debug, Default)]
pub struct OpenStreams(Arc<Mutex<HashMap<String, usize>>>);

/// One open stream; it is counted out when dropped.
#[derive(Debug)]
pub struct StreamSlot {
    open: OpenStreams,
    reader: String,
}

impl OpenStreams {
    /// A slot for one more stream of `reader`, unless it holds [`MAX_PER_READER`] already.
    pub fn admit(&self, reader: String) -> Option<StreamSlot> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let held = open.entry(reader.clone()).or_default();
        if *held >= MAX_PER_READER {
            return None;
        }
        *held += 1;
        Some(StreamSlot {
            open: self.clone(),
            reader,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(held) = open.get_mut(&self.reader) {
            *held -= 1;
            if *held == 0 {
                open.remove(&self.reader);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_holds_a_few_streams_and_gets_them_back_when_they_close() {
        let open = OpenStreams::default();
        let held: Vec<StreamSlot> = (0..MAX_PER_READER)
            .map(|_| open.admit("phone".into()).unwrap())
            .collect();
        assert!(open.admit("phone".into()).is_none());
        assert!(open.admit("someone else".into()).is_some());
        drop(held);
        assert!(open.admit("phone".into()).is_some());
        assert!(open.0.lock().unwrap().is_empty());
    }
}
