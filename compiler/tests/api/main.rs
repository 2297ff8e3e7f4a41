//! `acquis_compiler` through its API. One test binary for the crate (fewer
//! binaries to link), one module per subject:
//!
//! - [`diagnostics`]: one failing referential per diagnostic code
//!   (`tests/diagnostics/<CODE>/`) and a snapshot of what the compiler says,
//!   in every renderer; docs/diagnostics.md has a section for each code;
//! - [`ir`]: the IR of a small referential, its ids and its spans;
//! - [`schema`]: the IR of the examples against docs/ir.schema.json;
//! - [`properties`]: the parser and the checker never panic, and every
//!   diagnostic points inside its file;
//! - [`fmt`]: formatting (`acquis_grammar::format`) keeps the IR and the
//!   diagnostics; the snapshots of the formatted examples are in the
//!   grammar's own tests;
//! - [`rounding`]: `round`, `floor`, `ceil` and two-number `max`/`min`
//!   lowered to the IR.
//!
//! Cargo runs these tests in `compiler/`: the diagnostics fixtures are this
//! crate's, the examples and the shared fixtures are read from the
//! workspace root ([`workspace`], [`Workspace`]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod diagnostics;
mod fmt;
mod ir;
mod properties;
mod rounding;
mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use acquis_compiler::loader::{self, Disk, LoadError, Memory, SourceProvider};
use acquis_compiler::{compile, Compilation};

/// The seed referential (EDL).
pub const SEED: &str = "examples/edl/referential.acquis";
/// The cuisine example, which imports [`PREVENTION`].
pub const CUISINE: &str = "examples/cuisine/cuisine.acquis";
/// The file the cuisine example imports.
pub const PREVENTION: &str = "examples/cuisine/prevention.acquis";
/// A small referential written for the tests.
pub const SMALL: &str = "tests/fixtures/small.acquis";

/// The workspace root as it starts the paths of [`workspace`].
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../");

/// A path of the workspace (examples, fixtures, docs) from its root; cargo
/// runs the tests in this crate's directory.
pub fn workspace(path: impl AsRef<Path>) -> PathBuf {
    Path::new(ROOT).join(path)
}

/// The text of a file of the workspace.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = workspace(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files of the workspace, read from its root: a referential compiled
/// through it is named as the command line names it when run from the root
/// (`tests/fixtures/small.acquis`), whatever the directory of the test.
pub struct Workspace;

impl SourceProvider for Workspace {
    fn read(&self, path: &Path) -> Result<String, LoadError> {
        Disk.read(&workspace(path))
    }
}

/// Compiles a file of the workspace, given from its root.
pub fn compile_workspace(path: &str) -> Compilation {
    compile(Path::new(path), &Workspace)
}

/// Compiles the cuisine example from the texts of its two files, held in
/// memory as `cuisine/cuisine.acquis` and the `cuisine/prevention.acquis`
/// it imports.
pub fn compile_cuisine(cuisine: &str, prevention: &str) -> Compilation {
    let mut memory = Memory::<Disk>::default();
    let dir = Path::new("cuisine");
    memory.files.insert(
        loader::normalize(&dir.join("cuisine.acquis")),
        cuisine.to_string(),
    );
    memory.files.insert(
        loader::normalize(&dir.join("prevention.acquis")),
        prevention.to_string(),
    );
    compile(&dir.join("cuisine.acquis"), &memory)
}

/// A fresh, empty directory for one test, removed when it is dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "acquis-compiler-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
