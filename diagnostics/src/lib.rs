//! The one diagnostic model of the Acquis toolchain: every error and warning
//! of every stage (syntax, compiler checks, grade files, imports) is a
//! [`Diagnostic`] with a stable [`Code`], a primary location (a span of a
//! source file, or a line and column of a data file), labels and help,
//! rendered once per output kind by [`render`] (terminal, narrated, JSON;
//! the language server converts the same model to LSP diagnostics).
//!
//! Must not depend on: any other Acquis crate. Every library crate converts
//! its own typed errors into this model, once.

pub mod catalogue;
pub mod codes;
pub mod diagnostic;
pub mod render;
pub mod source;
mod span;
pub mod text;

pub use codes::Code;
pub use diagnostic::{did_you_mean, Diagnostic, Label, Location, Position, Severity, Suggestions};
pub use span::Span;
pub use text::{Lang, Noun, Text};
