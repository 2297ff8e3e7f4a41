//! Exchange with other systems, as a library: import RNCP fiches and CASE
//! packages as `.acquis` skeletons, export CASE packages and Moodle
//! competency frameworks, write Open Badges 3.0 results. docs/interop.md
//! describes each mapping field by field.
//!
//! Every function builds its whole output in memory (or streams its
//! input) and returns it; writing files is the caller's job. A failure is
//! an [`InteropError`] that says what went wrong and where (a line and
//! column of an RNCP export, a JSON path of a CASE package), and an
//! [`InteropWarning`] what an import reads its own way or an export leaves
//! out; each has its code (`A08xx`) and becomes one diagnostic
//! (`to_diagnostic`), rendered like every other problem of the toolchain.
//!
//! Must not depend on: the compiler, publishing, the language server, the
//! command line. Reads compiled IR; uses the grammar only to check imported
//! rules and to print skeletons in the formatter's canonical style.

pub mod case;
mod error;
mod html_text;
pub mod moodle;
pub mod ob3;
mod placeholder;
pub mod rncp;
pub mod skeleton;
mod warning;
pub mod work;

use std::path::{Path, PathBuf};

pub use error::{CaseProblem, Expected, InteropError, ItemRef, Limit, RncpProblem, RuleDefect};
pub use warning::{Connective, Ignored, InteropWarning, MoodleGap};

/// The file an import writes in its output directory.
pub const IMPORTED_FILE: &str = "referential.acquis";

/// Where an import into `dir` writes: `dir/referential.acquis`. An import
/// never replaces a referential silently: the file may exist only with
/// `force`. Asked before reading the input, so a refused import costs
/// nothing.
pub fn destination(dir: &Path, force: bool) -> Result<PathBuf, InteropError> {
    let path = dir.join(IMPORTED_FILE);
    if !force && path.exists() {
        return Err(InteropError::Exists { path });
    }
    Ok(path)
}

/// The skeleton as `.acquis` source in `acquis fmt`'s canonical form, so
/// that formatting it changes nothing. A skeleton that does not parse is a
/// bug of the import: refused rather than written.
pub fn referential_source(r: &skeleton::Referential) -> Result<String, InteropError> {
    acquis_grammar::format::format(&r.to_source()).map_err(InteropError::SkeletonDoesNotParse)
}
