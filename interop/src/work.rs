//! Steps taken by the importers on this thread: XML events read, items
//! and associations walked. Tests check that they grow in proportion to
//! the input (issue 17), never by timing. The counter is the IR's
//! ([`acquis_ir::work`]), shared with the describer.

pub use acquis_ir::work::{reset, steps};

/// One step of an importer's loop.
pub(crate) use acquis_ir::work::step;
