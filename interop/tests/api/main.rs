//! `acquis_interop` through its API, on IR compiled by `acquis_compiler`:
//! the Moodle CSV ([`moodle`]), CASE packages: schema, round trip, foreign
//! packages, the checks of the import ([`case`]), the RNCP import: fixture
//! exports, zipped or not, messy HTML, bad exports ([`rncp`]), Open Badges
//! credentials ([`ob3`]), and imports of mutated inputs ([`properties`]).
//! One test binary for the crate (fewer binaries to link); tests/interop.rs
//! checks that the command line routes its arguments to these functions,
//! prints what they return and writes the files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod case;
mod case_real;
mod diagnostics;
mod hostile;
mod moodle;
mod moodle_importer;
mod ob3;
mod properties;
mod rncp;
mod rncp_real;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use acquis_compiler::loader::Disk;
use acquis_compiler::{compile, compile_str, Compilation, Severity};
use acquis_interop::skeleton::Referential;
use acquis_ir::Ir;
use serde_json::Value;

/// The seed referential (EDL).
pub const SEED: &str = "examples/edl/referential.acquis";
/// The cuisine example, which imports `prevention.acquis`.
pub const CUISINE: &str = "examples/cuisine/cuisine.acquis";
/// A BTS decided on its units' marks (units outside any block).
pub const BTS_SIO: &str = "examples/bts-sio/bts-sio.acquis";
/// A diploma whose blocks are decided by épreuves with two parts.
pub const DEES: &str = "examples/dees/dees.acquis";
/// A titre professionnel with a certification-level épreuve.
pub const TITRE_PRO: &str = "examples/titre-pro/developpeur-logiciel.acquis";
/// A small referential written for the tests.
pub const SMALL: &str = "tests/fixtures/small.acquis";
/// An RNCP export of three fiches.
pub const EXPORT: &str = "tests/fixtures/rncp/export.xml";
/// A CASE package written by another tool.
pub const FOREIGN: &str = "tests/fixtures/case/foreign.json";

/// The workspace root as it starts the paths of [`workspace`]: cut from
/// messages, it leaves the paths the command line prints when run from the
/// root (`tests/fixtures/rncp/export.xml: error: …`).
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../");

/// A path of the workspace (examples, fixtures) from its root; cargo runs
/// the tests in this crate's directory.
pub fn workspace(path: &str) -> PathBuf {
    Path::new(ROOT).join(path)
}

/// `text` with the workspace root cut from the paths it names.
pub fn relative(text: &str) -> String {
    text.replace(ROOT, "")
}

/// Warnings as the command line prints them on a terminal, one line each
/// with its place first, the workspace root cut from the paths.
pub fn terminal(warnings: &[acquis_interop::InteropWarning]) -> String {
    let lines: String = warnings
        .iter()
        .map(|w| {
            acquis_diagnostics::render::stream(
                &w.to_diagnostic(),
                &acquis_diagnostics::source::SourceMap::default(),
                acquis_diagnostics::render::Format::Terminal { color: false },
                acquis_diagnostics::Lang::En,
            )
        })
        .collect();
    relative(&lines)
}

/// The text of a file of the workspace.
pub fn read(path: &str) -> String {
    fs::read_to_string(workspace(path)).unwrap()
}

/// The IR of a referential without errors.
fn ir_of(path: &str, c: Compilation) -> Ir {
    assert!(!c.has_errors(), "{path} has errors: {:?}", c.diagnostics);
    c.ir.expect("an IR")
}

/// Compiles a file of the workspace, which must have no errors; once per
/// test binary (the tests only read the IR).
pub fn ir(path: &str) -> &'static Ir {
    static COMPILED: OnceLock<Mutex<HashMap<String, &'static Ir>>> = OnceLock::new();
    let mut compiled = COMPILED.get_or_init(Mutex::default).lock().unwrap();
    compiled
        .entry(path.to_string())
        .or_insert_with(|| Box::leak(Box::new(ir_of(path, compile(&workspace(path), &Disk)))))
}

/// Compiles a referential given as text, which must have no errors.
pub fn ir_str(text: &str) -> Ir {
    ir_of(
        "referential.acquis",
        compile_str("referential.acquis", text),
    )
}

/// What `acquis check` says of a referential given as text: the number of
/// errors and the codes of the warnings.
pub fn check(source: &str) -> (usize, Vec<String>) {
    let c = compile_str("referential.acquis", source);
    let errors = c.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.code.to_string())
        .collect();
    (errors, warnings)
}

/// Whether `acquis fmt --check` passes on the text: formatting changes nothing.
pub fn is_canonical(source: &str) -> bool {
    acquis_grammar::format::format(source).as_deref() == Ok(source)
}

/// The file an import writes: the skeleton as canonical source.
pub fn source(r: &Referential) -> String {
    acquis_interop::referential_source(r).unwrap()
}

/// The CASE 1.1 CFPackage JSON Schema of tests/schemas, built once.
pub fn case_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| schema("case-v1p1-cfpackage-schema.json"))
}

/// 1EdTech's current Open Badges 3.0 AchievementCredential JSON Schema
/// (VC 2.0) of tests/schemas, built once.
pub fn ob3_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| schema("ob_v3p0_achievementcredential_schema.json"))
}

/// The earlier OB 3.0 AchievementCredential JSON Schema, on VC 1.1, built
/// once.
pub fn ob3_schema_vc1() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| schema("ob_v3p0_achievementcredential_schema_vc1.json"))
}

pub fn schema(file: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&read(&format!("tests/schemas/{file}"))).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Every error of `value` against `schema`, with its place.
pub fn schema_errors(schema: &jsonschema::Validator, value: &Value) -> Vec<String> {
    schema
        .iter_errors(value)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// A fresh, empty directory for one test, removed when it is dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "acquis-interop-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
