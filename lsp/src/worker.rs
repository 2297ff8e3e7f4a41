//! The analysis worker: compiles on its own thread so the server keeps
//! answering, coalesces edits that arrive close together (debounce), and
//! skips analyses made stale by a newer edit.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use acquis_compiler::loader::ParseCaches;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use crate::snapshot::Snapshot;

/// How long the worker waits for a further edit before compiling. Short:
/// the seed compiles in a few milliseconds, and keystrokes that arrive
/// while a compilation runs are coalesced anyway.
pub const DEBOUNCE: Duration = Duration::from_millis(4);

pub struct Job {
    pub generation: u64,
    pub texts: Vec<(PathBuf, String)>,
}

/// Starts the worker; it stops when the job sender is dropped.
pub fn spawn(results: Sender<Arc<Snapshot>>) -> (Sender<Job>, std::thread::JoinHandle<()>) {
    let (jobs, receiver) = crossbeam_channel::unbounded::<Job>();
    let handle = std::thread::spawn(move || run(&receiver, &results));
    (jobs, handle)
}

fn run(jobs: &Receiver<Job>, results: &Sender<Arc<Snapshot>>) {
    // What the last analysis parsed, by file: an edit re-parses only the
    // items it can have changed (acquis_grammar::parse_incremental).
    let mut caches = ParseCaches::default();
    while let Ok(mut job) = jobs.recv() {
        // Debounce, and drop every job a newer one replaces.
        loop {
            match jobs.recv_timeout(DEBOUNCE) {
                Ok(newer) => job = newer,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let generation = job.generation;
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Snapshot::build(job.generation, job.texts, &mut caches)
        }));
        // A compiler bug must not take the server down: an empty snapshot
        // answers requests with nothing rather than never. The caches may
        // be half updated: start again from nothing.
        let snapshot = built.unwrap_or_else(|_| {
            caches = ParseCaches::default();
            Snapshot {
                generation,
                units: Vec::new(),
            }
        });
        if results.send(Arc::new(snapshot)).is_err() {
            return;
        }
    }
}
