//! Steps taken by the importers on this thread: XML events read, items
//! and associations walked. Tests check that they grow in proportion to
//! the input (issue 17), never by timing.

use std::cell::Cell;

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// Starts counting from 0 on this thread.
pub fn reset() {
    STEPS.with(|s| s.set(0));
}

/// The steps taken on this thread since [`reset`].
pub fn steps() -> u64 {
    STEPS.with(Cell::get)
}

/// One step of an importer's loop.
pub(crate) fn step() {
    STEPS.with(|s| s.set(s.get().saturating_add(1)));
}
