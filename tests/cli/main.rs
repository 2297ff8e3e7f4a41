//! The `acquis` command line end to end: the real executable, run as a user
//! or an editor runs it. What these tests check is the command line's own
//! work — arguments, exit status, files written, standard output and error,
//! `NO_COLOR` — while the libraries are tested through their APIs in their
//! crates' `tests/`. One binary with a module per subject, so the tests are
//! linked once (rust-analyzer's layout).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod absent;
mod check;
#[path = "../common/mod.rs"]
mod common;
mod convention;
mod doc;
mod examples;
mod fmt;
mod french;
mod graph;
mod grid;
mod hostile;
mod interop;
mod lsp_stdio;
mod new;
mod parts;
mod records;
mod work;
