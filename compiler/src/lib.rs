//! The Acquis compiler: loading, name resolution, checks, the dependency
//! graph, the IR, and the diagnostics model with its renderers.
//!
//! Data flows one way: `acquis-grammar` parses, this crate analyses, and
//! the CLI and the language server only present what it returns.

pub mod analysis;
pub mod codes;
mod collect;
mod compile;
pub mod describe;
pub mod diagnostic;
pub mod eval;
mod graph;
pub mod ir;
pub mod kleene;
pub mod loader;
mod lower;
pub mod render;
pub mod source;

pub use codes::Code;
pub use compile::{
    compile, compile_str, compile_with_analysis, compile_with_analysis_incremental, Compilation,
};
pub use diagnostic::{Diagnostic, Severity};
