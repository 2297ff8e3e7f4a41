//! The IR of every example validates against docs/ir.schema.json, so the
//! schema and the serde types cannot drift apart unnoticed.

use crate::{compile_workspace, read, CUISINE, SEED};

fn schema() -> jsonschema::Validator {
    let text = read("docs/ir.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn assert_valid(path: &str) {
    let c = compile_workspace(path);
    assert_compiled_valid(path, c);
}

fn assert_compiled_valid(path: &str, c: acquis_compiler::Compilation) {
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

/// Rounding and two-number `max`/`min`, which no example uses.
#[test]
fn rounding_and_extrema_match_the_schema() {
    let source = r#"referential R "r" { lang fr }
use std::scales::note_sur_20
defaults { criterion scale note_sur_20 }
block B "b" {
  competency C "c" {
    criterion CE1 "un"
    criterion CE2 "deux"
    validated when round(weighted average(criteria), 2) >= 10
      and floor(max(0, sum({CE1}) - 10), 0) + ceil(min(sum({CE2}), 12), 1) >= 2
  }
  assessment E "e" { covers C }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let c = acquis_compiler::compile_str("r.acquis", source);
    let json = c.ir.as_ref().map(|ir| ir.to_json()).unwrap_or_default();
    assert!(json.contains(r#""kind": "round""#) && json.contains(r#""kind": "max""#));
    assert_compiled_valid("r.acquis", c);
    let round = |decimals: u32, args: usize| {
        serde_json::json!({
            "kind": "round", "mode": "up", "decimals": decimals,
            "arg": { "kind": "min", "args": vec![serde_json::json!({"kind": "number", "value": 1}); args] }
        })
    };
    let num = serde_json::json!({ "$ref": "#/$defs/num", "$defs": schema_defs() });
    let validator = jsonschema::validator_for(&num).expect("a schema");
    assert!(validator.is_valid(&round(6, 2)));
    assert!(!validator.is_valid(&round(7, 2)));
    assert!(!validator.is_valid(&round(2, 3)));
}

fn schema_defs() -> serde_json::Value {
    let text = read("docs/ir.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    schema["$defs"].clone()
}
