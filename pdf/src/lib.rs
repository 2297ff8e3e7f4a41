//! Acquis documents as tagged, accessible PDF (PDF/UA-1), typeset by typst
//! used as a library (no browser, no external program):
//!
//! - [`doc`]: the référentiel, from the same worded content as the HTML and
//!   Markdown documents (`acquis_publish::doc::content`);
//! - [`report`]: candidates' results and the cohort, as an
//!   `acquis_eval::ResultSink`.
//!
//! Text from referentials and grade files is never markup ([`markup`]).
//! Fonts are typst's bundled ones; nothing depends on the machine or the
//! date.
//!
//! Must not depend on: the grammar or the compiler (documents read compiled
//! IR), interop, the language server, the command line. It stands on
//! `acquis-publish`'s document model so that `acquis-publish` stays free of
//! typst.

pub mod doc;
pub mod markup;
pub mod report;
mod style;
mod world;

use std::fmt;

/// What can stop writing a PDF. Typesetting errors come from markup Acquis
/// wrote, never from the referential's text (which is always a string):
/// they are bugs to report, returned as values all the same.
#[derive(Debug)]
pub enum PdfError {
    /// typst could not typeset the markup.
    Typeset(Vec<String>),
    /// The document could not be written as PDF/UA-1.
    Export(Vec<String>),
    /// typst refused the PDF standard asked for.
    Standard(String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Typeset(errors) => {
                write!(f, "cannot typeset the PDF: {}", errors.join("; "))
            }
            PdfError::Export(errors) => {
                write!(f, "cannot write the PDF as PDF/UA-1: {}", errors.join("; "))
            }
            PdfError::Standard(error) => write!(f, "cannot write PDF/UA-1: {error}"),
        }
    }
}

impl std::error::Error for PdfError {}
