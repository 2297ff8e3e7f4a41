//! `acquis_grammar` through its API. One test binary for the crate (fewer
//! binaries to link), one module per subject:
//!
//! - [`fmt`]: the formatter on the examples (snapshots, already canonical)
//!   and on the style example of docs/formatting.md.
//!
//! Tests that compare the IR before and after formatting need the compiler
//! and are in compiler/tests/api/fmt.rs. Cargo runs these tests in
//! `grammar/`; the examples and the docs are read from the workspace root
//! ([`read`]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod fmt;

use std::fs;
use std::path::Path;

/// The seed referential (EDL).
pub const SEED: &str = "examples/edl/referential.acquis";
/// The cuisine example, which imports [`PREVENTION`].
pub const CUISINE: &str = "examples/cuisine/cuisine.acquis";
/// The file the cuisine example imports.
pub const PREVENTION: &str = "examples/cuisine/prevention.acquis";

/// The text of a file of the workspace, given from its root; cargo runs
/// the tests in this crate's directory.
pub fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
