//! The IR read back from JSON: what `build` writes comes back equal, and an
//! operator, function or outcome the IR does not define is refused rather
//! than read as another one.

// Tests may panic: a failed `unwrap` or `expect` is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use acquis_compiler::{compile, loader::Disk};
use acquis_ir::{Ir, IrError};

fn seed() -> Ir {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/cuisine/cuisine.acquis");
    let compiled = compile(&path, &Disk);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let Some(ir) = compiled.ir else {
        unreachable!("the example compiles")
    };
    ir
}

#[test]
fn the_written_ir_reads_back_equal() {
    let ir = seed();
    let text = ir.to_json();
    match Ir::from_json(&text) {
        Ok(back) => assert_eq!(back, ir),
        Err(e) => panic!("{e}"),
    }
    let mut compact = Vec::new();
    assert!(ir.write_json(&mut compact, false).is_ok());
    let compact = String::from_utf8_lossy(&compact);
    assert!(matches!(Ir::from_json(&compact), Ok(back) if back == ir));
}

#[test]
fn unknown_operators_functions_and_outcomes_are_refused() {
    let text = seed().to_json();
    for (from, to) in [
        ("\"cmp\": \">=\"", "\"cmp\": \"=>\""),
        ("\"function\": \"sum\"", "\"function\": \"total\""),
        (
            "\"function\": \"weighted average\"",
            "\"function\": \"weighted_average\"",
        ),
        ("\"outcome\": \"validated\"", "\"outcome\": \"valid\""),
    ] {
        assert!(text.contains(from), "the example's IR has {from}");
        let broken = text.replacen(from, to, 1);
        match Ir::from_json(&broken) {
            Err(IrError::Json(e)) => assert!(
                e.to_string().contains("unknown variant"),
                "{from} -> {to}: {e}"
            ),
            other => panic!("{from} -> {to} was not refused: {other:?}"),
        }
    }
}

#[test]
fn other_formats_and_versions_are_refused() {
    let text = seed().to_json();
    let other = text.replacen("\"format\": \"acquis-ir\"", "\"format\": \"other\"", 1);
    assert!(matches!(Ir::from_json(&other), Err(IrError::NotIr(f)) if f == "other"));
    let newer = text.replacen("\"version\": 2,", "\"version\": 99,", 1);
    match Ir::from_json(&newer) {
        Err(e @ IrError::Version(99)) => assert_eq!(
            e.to_string(),
            "IR version 99 is not supported: this toolchain reads version 2"
        ),
        other => panic!("version 99 was read: {other:?}"),
    }
    // Version 1 wrote numbers as JSON numbers: refused, not misread.
    let older = text.replacen("\"version\": 2,", "\"version\": 1,", 1);
    assert!(matches!(Ir::from_json(&older), Err(IrError::Version(1))));
    assert!(matches!(Ir::from_json("{"), Err(IrError::Json(_))));
}

/// Numbers are decimal strings, exactly as written; a JSON number, a comma
/// or text that is not a decimal is refused.
#[test]
fn numbers_are_decimal_strings() {
    let text = seed().to_json();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let weight = &value["criteria"][0]["weight"];
    assert_eq!(weight, "1", "{weight}");
    let ir = Ir::from_json(&text).unwrap();
    assert_eq!(ir.to_json(), text, "written back the same");
    for bad in ["1", "\"1,5\"", "\"1e3\"", "\"x\"", "\"0.1.2\""] {
        let edited = text.replacen("\"weight\": \"1\"", &format!("\"weight\": {bad}"), 1);
        assert!(Ir::from_json(&edited).is_err(), "{bad} was read");
    }
    let exact = text.replacen(
        "\"weight\": \"1\"",
        "\"weight\": \"0.1000000000000000000000000001\"",
        1,
    );
    let ir = Ir::from_json(&exact).unwrap();
    assert_eq!(
        ir.criteria[0].weight.to_string(),
        "0.1000000000000000000000000001"
    );
}

/// A referential whose competency rule is `rule` (issue 17).
fn with_rule(rule: &str) -> String {
    format!(
        "referential R \"R\" {{ lang fr }}
use std::scales::note_sur_20
defaults {{
  criterion scale note_sur_20
  block validated when all competencies validated
}}
block B1 \"B\" {{
  competency C1 \"C\" {{
    criterion CE1 \"Bilan\"
    validated when {rule}
  }}
  assessment E1 \"E\" {{ covers C1 }}
}}
certification validated when all blocks validated
"
    )
}

#[test]
fn a_rule_at_the_depth_bound_reads_back_on_a_test_thread() {
    // The comparison, 98 operators and a leaf: MAX_RULE_DEPTH levels, read
    // back, printed and described within a test thread's 2 MiB stack.
    let deepest = format!("count({{CE1}}){} >= 1", " + 1".repeat(98));
    let nested = format!("{}CE1 >= 10", "not (CE1 >= 10 or ".repeat(30));
    let nested = format!("{nested}{}", ")".repeat(30));
    for rule in [deepest, nested] {
        let compiled = acquis_compiler::compile_str("deep.acquis", &with_rule(&rule));
        assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
        let Some(ir) = compiled.ir else {
            unreachable!("it compiles")
        };
        let back = Ir::from_json(&ir.to_json());
        assert!(matches!(&back, Ok(back) if *back == ir), "{back:?}");
        for competency in &ir.competencies {
            let printed = acquis_ir::print::source(&competency.rule.expr, &|_| true);
            assert!(!printed.is_empty());
        }
    }
}

#[test]
fn an_ir_nested_too_deeply_is_refused_not_a_stack_overflow() {
    let text = seed().to_json();
    let deep = format!(
        "{}{{\"op\": \"const\", \"value\": true}}{}",
        "{\"op\": \"not\", \"arg\": ".repeat(100_000),
        "}".repeat(100_000)
    );
    let at = text.find("\"expr\": ").unwrap() + "\"expr\": ".len();
    let end = at + text[at..].find("\n      }").unwrap_or(0);
    let hostile = format!("{}{deep}{}", &text[..at], &text[end..]);
    assert!(matches!(Ir::from_json(&hostile), Err(IrError::TooDeep)));
    assert!(Ir::from_json(&"[".repeat(1_000_000)).is_err());
}
