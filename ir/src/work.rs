//! Steps taken on this thread by the describer: each entity looked up by
//! id ([`crate::describe::Lookup`]). `acquis doc`, hovers and reasons
//! name a rule's members through it, and a competency may hold thousands
//! of criteria: a describer that looked at every criterion to name each
//! one (as it once did, 10 s for 16,000 criteria) takes steps that grow as
//! the square of the referential. Tests check that they grow in
//! proportion (issue 17), never by timing.

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

/// One entity looked up.
pub(crate) fn step() {
    STEPS.with(|s| s.set(s.get().saturating_add(1)));
}
