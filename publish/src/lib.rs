//! Acquis documents, from the IR and the evaluation alone:
//!
//! - [`doc`]: the référentiel as one accessible HTML page or as Markdown,
//!   in the official layout, every rule worded by `acquis_ir::describe`;
//! - [`report`]: a page per evaluated candidate and a cohort page, written
//!   as an `acquis_eval::ResultSink`;
//! - [`picture`]: the structure and rule dependencies as dot or Mermaid;
//! - [`grid`]: the empty grading grid, as CSV or an `.xlsx` workbook.
//!
//! Must not depend on: the grammar or the compiler (documents read compiled
//! IR), interop, the language server, the command line.

pub mod doc;
pub mod grid;
pub mod picture;
pub mod report;

use std::fmt;
use std::path::PathBuf;

/// What can stop writing the pages of an evaluation.
#[derive(Debug)]
pub enum PublishError {
    /// The directory of pages cannot be created.
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A page cannot be written.
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A page of the previous run (which may hold personal data) cannot be
    /// removed.
    RemoveOldPage {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A place pages would be written through is a symbolic link (it could
    /// lead outside the output directory): nothing is written through it.
    Link { path: PathBuf },
    /// A page cannot be rendered in its format (PDF typesetting, in
    /// `acquis-pdf`).
    Render {
        page: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::CreateDir { path, source } => write!(
                f,
                "cannot create the directory `{}`: {source}",
                path.display()
            ),
            PublishError::Write { path, source } => {
                write!(f, "cannot write `{}`: {source}", path.display())
            }
            PublishError::RemoveOldPage { path, source } => write!(
                f,
                "cannot remove the old page `{}`: {source}",
                path.display()
            ),
            PublishError::Link { path } => write!(
                f,
                "`{}` is a symbolic link: pages are never written through one (it could lead outside the output directory); remove it",
                path.display()
            ),
            PublishError::Render { page, source } => {
                write!(f, "cannot render the page of {page}: {source}")
            }
        }
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishError::CreateDir { source, .. }
            | PublishError::Write { source, .. }
            | PublishError::RemoveOldPage { source, .. } => Some(source),
            PublishError::Link { .. } => None,
            PublishError::Render { source, .. } => Some(source.as_ref()),
        }
    }
}
