//! The Acquis IR and everything that needs nothing but the IR:
//!
//! - the serde types of the versioned JSON IR (docs/ir.md), with typed
//!   operators and outcomes: an unknown operator in an IR file is a
//!   deserialisation error, never a fallback;
//! - [`semantics`]: the one rule semantics (three-valued evaluation over
//!   intervals), called by the compiler's checks and by the runtime;
//! - [`describe`]: a rule in plain words, in the referential's [`Lang`];
//! - [`print`]: a rule tree printed back as Acquis source.
//!
//! Must not depend on: any other Acquis crate (not the grammar, not pest),
//! so a tool that only reads compiled IR (a web service, the browser
//! playground) pulls in nothing of the front end. Builds for
//! `wasm32-unknown-unknown`.

pub mod describe;
mod number;
pub mod print;
mod records;
pub mod semantics;
mod types;
mod words;
pub mod work;

pub use describe::Lang;
pub use number::{Decimal, Exact, Overflow};
pub use records::*;
pub use types::*;
pub use words::fold_word;
