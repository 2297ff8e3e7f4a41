//! The Acquis standard library: scales and named rules written in Acquis,
//! embedded in the binary so `use std::...` works without any file on disk.
//!
//! Must not depend on: any other crate (it is data, read by the compiler's
//! loader).

/// One module of the standard library: its path after `std::` and its source.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    pub name: &'static str,
    pub source: &'static str,
}

/// Every module of the standard library.
pub const MODULES: &[Module] = &[
    Module {
        name: "scales",
        source: include_str!("../std/scales.acquis"),
    },
    Module {
        name: "rules",
        source: include_str!("../std/rules.acquis"),
    },
];

/// The module `std::<name>`, if there is one.
pub fn module(name: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.name == name)
}

/// The file name under which diagnostics show a module: `<std>/scales.acquis`.
pub fn display_path(name: &str) -> String {
    format!("<std>/{name}.acquis")
}
