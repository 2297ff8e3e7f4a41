//! `acquis_publish` through its API, on IR compiled by `acquis_compiler`:
//! the référentiel as a document ([`doc`]), the pages of an evaluation
//! ([`report`]) and the structure pictures ([`picture`]). One test binary
//! for the crate (fewer binaries to link); tests/cli checks that the
//! command line routes its arguments to these functions, and
//! tests/accessibility.rs checks the same pages in a browser.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod doc;
mod picture;
mod report;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use acquis_compiler::loader::Disk;
use acquis_compiler::{compile, compile_str, Compilation};
use acquis_ir::Ir;

/// The seed referential (EDL), with its example grades in [`GRADES`].
pub const SEED: &str = "examples/edl/referential.acquis";
/// The cuisine example, which imports `prevention.acquis`.
pub const CUISINE: &str = "examples/cuisine/cuisine.acquis";
/// The seed's example candidates.
pub const GRADES: &str = "examples/edl/candidates.csv";

/// A path of the workspace (examples, fixtures) from its root; cargo runs
/// the tests in this crate's directory.
pub fn workspace(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// The IR of a referential without errors.
fn ir_of(path: &str, c: Compilation) -> Ir {
    assert!(!c.has_errors(), "{path} has errors: {:?}", c.diagnostics);
    c.ir.expect("an IR")
}

/// Compiles a file of the workspace, which must have no errors.
pub fn ir(path: &str) -> Ir {
    ir_of(path, compile(&workspace(path), &Disk))
}

/// Compiles a referential given as text, which must have no errors.
pub fn ir_str(text: &str) -> Ir {
    ir_of("r.acquis", compile_str("r.acquis", text))
}

/// A fresh, empty directory for one test, removed when it is dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "acquis-publish-{}-{}-{name}",
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

/// The levels of the headings of a page, in order.
fn headings(html: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    for (i, window) in bytes.windows(3).enumerate() {
        if window[0] == b'<' && window[1] == b'h' && window[2].is_ascii_digit() {
            let after = bytes.get(i + 3).copied();
            if matches!(after, Some(b'>') | Some(b' ')) {
                out.push(window[2] - b'0');
            }
        }
    }
    out
}

/// One `h1`, and no heading more than one level below the one before it.
pub fn assert_heading_hierarchy(html: &str, page: &str) {
    let levels = headings(html);
    assert_eq!(
        levels.iter().filter(|&&l| l == 1).count(),
        1,
        "{page}: one h1"
    );
    assert_eq!(levels.first(), Some(&1), "{page}: starts with h1");
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{page}: heading h{} follows h{}",
            pair[1],
            pair[0]
        );
    }
}
