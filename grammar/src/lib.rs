//! The Acquis grammar (pest) and its parser to a span-carrying AST.
//!
//! [`parse`] never fails: it returns the items it could read and every
//! syntax error, so one bad block never hides the diagnostics of another.
//! [`format`] is the formatter (`acquis fmt`, the editor's formatting).
//!
//! Must not depend on: the IR, the compiler or anything after them; only
//! `acquis-diagnostics` (for `Span`).

pub mod ast;
pub mod format;
mod incremental;
mod parser;

pub use incremental::{parse_incremental, ParseCache};
pub use parser::{dedent, parse, MAX_NESTING, MAX_RULE_DEPTH};

#[cfg(test)]
mod tests;
