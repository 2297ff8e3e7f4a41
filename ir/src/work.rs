//! Steps taken on this thread by loops whose work must grow in proportion
//! to their input (issue 17), counted so that tests check it, never by
//! timing: here, each entity the describer looks up by id
//! ([`crate::describe::Lookup`]; `acquis doc`, hovers and reasons name a
//! rule's members through it, and naming each of thousands of criteria by
//! looking at all the others once took 10 s for 16,000); the importers
//! count their XML events and tree walks with the same counter
//! (`acquis_interop::work`).

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

/// One step of a counted loop.
pub fn step() {
    STEPS.with(|s| s.set(s.get().saturating_add(1)));
}
