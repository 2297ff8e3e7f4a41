//! The Acquis runtime: evaluates graded candidates against a compiled IR.
//!
//! - [`plan`]: a [`Plan`] built from an [`acquis_ir::Ir`] alone (compile
//!   once), evaluating one candidate's [`Grades`] into [`Outcomes`] with the
//!   one rule semantics of `acquis_ir::semantics`, and their reasons;
//! - [`read`]: streaming readers of grade files (long CSV, wide CSV, JSON
//!   Lines), which know nothing of the referential;
//! - [`plan::flat`]: [`BatchPlan`], the plan as straight-line operations
//!   over bit-planes, evaluating 64 candidates a machine word;
//! - [`batch`]: reads, checks and evaluates a whole file on every core and
//!   hands the candidates, in input order, to a [`ResultSink`];
//! - [`sink`]: the sinks of the text formats (table, JSON Lines, CSV);
//! - [`explain`]: one candidate's decision tree.
//!
//! Must not depend on: the grammar or the compiler (no pest), publishing,
//! interop, the language server. Builds for `wasm32-unknown-unknown`.

use std::fmt;
use std::path::PathBuf;

use acquis_diagnostics::{text, Code, Diagnostic, Position};

pub mod batch;
pub mod explain;
pub mod history;
pub mod plan;
pub mod read;
pub mod record;
pub mod sink;

pub use batch::{run, Evaluated, Problem, Summary};
pub use plan::flat::{BatchOutcomes, BatchPlan, GradeColumns, NotColumns, NotFlat};
pub use plan::{run_examples, Failure, GradeError, Grades, Outcome, Outcomes, Plan, Reasons};
pub use read::InputFormat;
pub use sink::ResultSink;

/// What stops an evaluation as a whole (a candidate's own problems do not:
/// they are reported and the candidate is kept, with `error`).
#[derive(Debug)]
pub enum EvalError {
    /// The grades file cannot be opened or read.
    Unreadable {
        path: PathBuf,
        reason: acquis_diagnostics::Text,
    },
    /// `explain` was asked for a candidate the file does not have.
    UnknownCandidate {
        candidate: String,
        path: PathBuf,
        /// The closest candidate id of the file.
        suggestion: Option<String>,
    },
    /// The results cannot be written.
    Write(std::io::Error),
    /// The output file cannot be created.
    CannotCreate {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The output format writes a directory, and none was named.
    NeedsDirectory {
        /// The format, as the command line names it (`html`).
        format: &'static str,
    },
    /// The sink of another crate (pages, credentials) failed: its own typed
    /// error, shown in its words.
    Sink(Box<dyn std::error::Error + Send + Sync>),
}

impl EvalError {
    /// What went wrong, in the words of the diagnostics' catalogue (the
    /// file named: [`EvalError::to_diagnostic`] places it instead).
    pub fn text(&self) -> acquis_diagnostics::Text {
        use acquis_diagnostics::text;
        match self {
            EvalError::Unreadable { path, reason } => text!(
                "cannot read `{path}`: {reason}",
                path = &path.display(),
                reason = reason.clone()
            ),
            EvalError::UnknownCandidate {
                candidate,
                path,
                suggestion: Some(close),
            } => text!(
                "candidate `{candidate}` is not in `{path}` (did you mean `{close}`?)",
                candidate = candidate,
                path = &path.display(),
                close = close
            ),
            EvalError::UnknownCandidate {
                candidate,
                path,
                suggestion: None,
            } => text!(
                "candidate `{candidate}` is not in `{path}`",
                candidate = candidate,
                path = &path.display()
            ),
            EvalError::Write(e) => text!(
                "cannot write the results: {reason}",
                reason = acquis_diagnostics::text::io_reason(e)
            ),
            EvalError::CannotCreate { path, source } => text!(
                "cannot write `{path}`: {reason}",
                path = &path.display(),
                reason = acquis_diagnostics::text::io_reason(source)
            ),
            EvalError::NeedsDirectory { format } => text!(
                "--format {format} writes a directory of pages: name it with -o DIR",
                format = *format
            ),
            // Another crate's error, in its own words.
            EvalError::Sink(e) => text!("{reason}", reason = &e),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

impl std::error::Error for EvalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EvalError::Write(e) | EvalError::CannotCreate { source: e, .. } => Some(e),
            EvalError::Sink(e) => Some(e.as_ref()),
            EvalError::Unreadable { .. }
            | EvalError::UnknownCandidate { .. }
            | EvalError::NeedsDirectory { .. } => None,
        }
    }
}

impl EvalError {
    pub fn code(&self) -> Code {
        match self {
            EvalError::Unreadable { .. } => Code::GradesUnreadable,
            EvalError::UnknownCandidate { .. } => Code::UnknownCandidate,
            EvalError::Write(_)
            | EvalError::CannotCreate { .. }
            | EvalError::NeedsDirectory { .. }
            | EvalError::Sink(_) => Code::ResultsUnwritable,
        }
    }

    /// The one diagnostic of this error, located at the grades file as a
    /// whole (the terminal shows `grades.csv: error: …`, and the message
    /// does not repeat the path), or nowhere for an output that cannot be
    /// written (its message, the error's text, names the output when there
    /// is one).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let position = match self {
            EvalError::Unreadable { path, .. } | EvalError::UnknownCandidate { path, .. } => {
                Position::file(path.display().to_string())
            }
            // The message names the output file when there is one.
            EvalError::Write(_)
            | EvalError::CannotCreate { .. }
            | EvalError::NeedsDirectory { .. }
            | EvalError::Sink(_) => Position::nowhere(),
        };
        // The position names the file: the message does not repeat it.
        let message = match self {
            EvalError::Unreadable { reason, .. } => {
                text!("cannot read the file: {reason}", reason = reason.clone())
            }
            EvalError::UnknownCandidate {
                candidate,
                suggestion: Some(close),
                ..
            } => text!(
                "candidate `{candidate}` is not in the grades file (did you mean `{close}`?)",
                candidate = candidate,
                close = close
            ),
            EvalError::UnknownCandidate {
                candidate,
                suggestion: None,
                ..
            } => text!(
                "candidate `{candidate}` is not in the grades file",
                candidate = candidate
            ),
            EvalError::Write(_)
            | EvalError::CannotCreate { .. }
            | EvalError::NeedsDirectory { .. }
            | EvalError::Sink(_) => self.text(),
        };
        let d = Diagnostic::at(self.code(), message, position);
        match batch::help(self.code()) {
            Some(help) => d.with_help(help),
            None => d,
        }
    }
}

impl From<&EvalError> for Diagnostic {
    fn from(e: &EvalError) -> Self {
        e.to_diagnostic()
    }
}
