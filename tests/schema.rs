//! The IR of every example validates against docs/ir.schema.json, so the
//! schema and the serde types cannot drift apart unnoticed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::path::Path;

use acquis_compiler::{compile, loader::Disk};

mod common;
use common::{CUISINE, SEED};

fn schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string("docs/ir.schema.json").expect("docs/ir.schema.json is readable");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn assert_valid(path: &str) {
    let c = compile(Path::new(path), &Disk);
    assert!(!c.has_errors(), "{path} has errors: {:?}", c.diagnostics);
    let ir = c.ir.expect("an IR");
    let value: serde_json::Value = serde_json::from_str(&ir.to_json()).expect("the IR is JSON");
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{path}: {errors:#?}");
}

#[test]
fn the_seed_ir_matches_the_schema() {
    assert_valid(SEED);
}

#[test]
fn the_cuisine_ir_matches_the_schema() {
    assert_valid(CUISINE);
}

#[test]
fn the_schema_rejects_a_wrong_document() {
    let wrong = serde_json::json!({ "format": "acquis-ir", "version": 2 });
    assert!(!schema().is_valid(&wrong));
}
