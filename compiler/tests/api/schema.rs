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

/// The three schemes with candidate records: the `records` of the IR and
/// the records of their examples.
#[test]
fn the_irs_with_candidate_records_match_the_schema() {
    for path in [
        "examples/bts-sio/bts-sio.acquis",
        "examples/dees/dees.acquis",
        "examples/titre-pro/developpeur-logiciel.acquis",
    ] {
        assert_valid(path);
    }
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
            "arg": { "kind": "min", "args": vec![serde_json::json!({"kind": "number", "value": "1"}); args] }
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

/// Absence rules (`absent counts as …`) and an absent grade in an example,
/// which no example uses.
#[test]
fn absence_rules_match_the_schema() {
    let source = r#"referential R "r" { lang fr }
use std::scales::acquisition
scale note "Note" { range 0 .. 20 pass 10 absent counts as 0 }
defaults { absent counts as not acquired }
block B "b" {
  competency C1 "c1" {
    criterion CE1 "un" { scale note }
    criterion CE2 "deux" { scale acquisition }
    validated when all criteria acquired
  }
  competency C2 "c2" {
    criterion CE1 "un" { scale acquisition }
    validated when all criteria acquired
  }
  assessment E1 "e1" { covers C1 }
  assessment E2 "e2" { covers C2 absent counts as en_cours }
  validated when all competencies validated
}
certification validated when all blocks validated
example "absent" {
  grades { C1/CE1 ABS, C1/CE2 acquis, C2/CE1 abs }
  expect C1 not_validated
}
"#;
    let c = acquis_compiler::compile_str("r.acquis", source);
    let json = c.ir.as_ref().map(|ir| ir.to_json()).unwrap_or_default();
    for kind in [
        r#""kind": "scale""#,
        r#""kind": "assessment""#,
        r#""kind": "defaults""#,
    ] {
        assert!(json.contains(kind), "{kind}\n{json}");
    }
    assert!(json.contains(r#""absent": true"#), "{json}");
    assert_compiled_valid("r.acquis", c);
    let rule = serde_json::json!({ "$ref": "#/$defs/absent_rule", "$defs": schema_defs() });
    let validator = jsonschema::validator_for(&rule).expect("a schema");
    assert!(validator.is_valid(&serde_json::json!({"counts_as": "value", "value": "0"})));
    assert!(validator.is_valid(&serde_json::json!({"counts_as": "not_acquired"})));
    assert!(!validator.is_valid(&serde_json::json!({"counts_as": "value"})));
    assert!(!validator.is_valid(&serde_json::json!({"counts_as": "not_acquired", "value": "0"})));
    assert!(!validator.is_valid(&serde_json::json!({"counts_as": "zero", "value": "0"})));
    // Numbers are decimal strings since IR version 2: a JSON number is refused.
    assert!(!validator.is_valid(&serde_json::json!({"counts_as": "value", "value": 0})));
}

/// An assessment with marked parts (duration, form) and a rule of its own,
/// which no example uses yet.
#[test]
fn assessment_parts_match_the_schema() {
    let source = r#"referential R "r" { lang fr }
scale note "Note" { range 0 .. 20 step 0.5 pass 10 }
defaults { criterion scale note }
block B "b" {
  competency C1 "c1" {
    criterion CE1 "un"
    validated when all criteria acquired
  }
  assessment E1 "e1" {
    covers C1
    part ecrit "Écrit" { coefficient 2 duration 3 h form "ponctuelle écrite" }
    part oral "Oral" { scale note pass 8 duration "20 min au plus" optional }
    validated when weighted average(parts) >= 10
  }
  validated when all competencies validated
}
certification validated when all blocks validated
example "l'oral compense" {
  grades { E1/ecrit 8, E1/oral 14, C1/CE1 12 }
  expect E1 validated, E1/ecrit not_acquired, certification validated
}
"#;
    let c = acquis_compiler::compile_str("r.acquis", source);
    let json = c.ir.as_ref().map(|ir| ir.to_json()).unwrap_or_default();
    for part in [
        r#""parts": ["#,
        r#""form": "ponctuelle écrite""#,
        r#""id": "E1/oral""#,
        r#""optional": true"#,
    ] {
        assert!(json.contains(part), "{part}\n{json}");
    }
    assert_compiled_valid("r.acquis", c);
}

/// Competencies without criteria decided by the épreuve that covers them
/// (rule origin `assessment`), and a block that requires an épreuve.
#[test]
fn the_parts_fixture_matches_the_schema() {
    let path = "tests/fixtures/parts/referential.acquis";
    let c = compile_workspace(path);
    let ir = c.ir.as_ref().expect("an IR");
    let c1 = ir.competencies.iter().find(|c| c.id == "C1").expect("C1");
    assert_eq!(c1.rule.origin, acquis_ir::RuleOrigin::Assessment);
    assert_eq!(c1.rule.text, "E1 validated");
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_compiled_valid(path, c);
}

/// A certification-level assessment (empty `block`) and compensation across
/// units: valid IR, and no warning.
#[test]
fn the_compensation_fixture_matches_the_schema() {
    let path = "tests/fixtures/parts/compensation.acquis";
    let c = compile_workspace(path);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let ir = c.ir.as_ref().expect("an IR");
    let ef = ir.assessments.iter().find(|a| a.id == "EF").expect("EF");
    assert!(ef.block.is_empty());
    assert_eq!(ef.covers, ["C1", "C2"]);
    assert!(ir.order.iter().any(|id| id == "EF"));
    let c1 = ir.competencies.iter().find(|c| c.id == "C1").expect("C1");
    assert_eq!(c1.rule.text, "E1 validated");
    assert_compiled_valid(path, c);
}

/// docs/history.schema.json: the history files of the examples and the
/// JSON results of `acquis eval --session` (which are history for the
/// next session) match it, and it refuses a decision without its author.
#[test]
fn history_lines_match_their_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&read("docs/history.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let lines = read("examples/dees/historique.jsonl");
    let results = [
        r#"{"candidate":"SIO-002","certification":"validated","outcomes":{"U4/note":{"grade":"14","outcome":"acquired","reason":"noté 14","source":{"expires":"2029-06","kind":"earlier","session":"2024-06"}}},"reason":"moyenne pondérée 10,50 ≥ 10 : vérifié","session":"2026-06"}"#,
        r#"{"candidate":"DL-01","certification":"validated","outcomes":{},"reason":"…","session":"2026-06","source":{"author":"Jury","date":"2026-06-12","justification":"…","kind":"jury","rules":"validated"}}"#,
        r#"{"candidate":"A","results":[{"entity":"U1/note","mark":"12","session":"2024-06"},{"entity":"CCP1","outcome":"validated","session":"2025-03"}],"dispensations":["niveau5"],"decisions":[{"entity":"certification","outcome":"validated","author":"Jury","date":"2026-07-01","justification":"Dossier"}]}"#,
    ];
    for line in lines.lines().chain(results) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{line}: {errors:#?}");
    }
    let bad: serde_json::Value = serde_json::from_str(
        r#"{"candidate":"A","decisions":[{"entity":"certification","outcome":"validated","date":"2026-07-01","justification":"x"}]}"#,
    )
    .unwrap();
    assert!(!validator.is_valid(&bad));
}
