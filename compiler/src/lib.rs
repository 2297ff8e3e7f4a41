//! The Acquis front end: sources in, IR and diagnostics out. Loading and
//! imports, name resolution (`collect`), rules lowered to the IR's
//! expression trees (`lower`), the dependency graph, the structural checks,
//! and the editor's `analysis` (definitions and references).
//!
//! Data flows one way: `acquis-grammar` parses, this crate analyses and
//! lowers to `acquis-ir`; evaluation, publishing, interop, the language
//! server and the command line only read what it returns.
//!
//! Must not depend on: `acquis-eval`, `acquis-publish`, `acquis-interop`,
//! `acquis-lsp` (they come after it). Rule semantics (the constant-rule
//! check) is `acquis_ir::semantics`, shared with the runtime.

pub mod analysis;
mod collect;
mod compile;
mod graph;
pub mod loader;
mod lower;
mod records;

pub use acquis_diagnostics::{Code, Diagnostic, Severity};
pub use compile::{
    compile, compile_str, compile_with_analysis, compile_with_analysis_incremental, Compilation,
};
