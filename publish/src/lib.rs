//! Acquis documents, from the IR and the evaluation alone:
//!
//! - [`doc`]: the référentiel as one accessible HTML page or as Markdown,
//!   in the official layout, every rule worded by `acquis_ir::describe`;
//! - [`report`]: a page per evaluated candidate and a cohort page, written
//!   as an `acquis_eval::ResultSink`;
//! - [`picture`]: the structure and rule dependencies as dot or Mermaid.
//!
//! Must not depend on: the grammar or the compiler (documents read compiled
//! IR), interop, the language server, the command line.

pub mod doc;
pub mod picture;
pub mod report;
