//! The Acquis language server: a thin layer over `acquis-compiler`. The
//! compiler parses, resolves and checks; its analysis index
//! (`acquis_compiler::analysis`) says what every name means; this crate
//! converts positions and presents the answers (docs/language-server.md).
//!
//! Must not depend on: `acquis-publish`, `acquis-interop`, the command line.

mod actions;
mod capabilities;
mod completion;
mod context;
mod diagnostics;
mod documents;
mod examples;
mod formatting;
mod hints;
mod hover;
mod keywords;
mod lens;
pub mod line_index;
mod navigation;
pub mod paths;
mod rename;
mod router;
mod server;
mod snapshot;
mod structure;
mod symbols;
mod text;
mod tokens;
mod transport;
mod worker;

pub use lens::RUN_EXAMPLE;
pub use server::{run, Ending};

/// Runs the server over standard input and output until `exit`; gives the
/// process exit code the protocol asks for.
pub fn run_stdio() -> i32 {
    let (connection, io_threads) = transport::stdio();
    let ending = run(&connection);
    // Dropping the connection lets the writer thread flush and end; the
    // reader ended at `exit` or at the end of the input.
    drop(connection);
    io_threads.join();
    ending.exit_code()
}
