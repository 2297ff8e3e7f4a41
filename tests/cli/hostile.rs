//! Hostile inputs (issue 17): rules too long or too deep, and unclosed
//! braces, are coded diagnostics, never a stack overflow or a hang. The
//! binary runs with its default stacks.

use std::fs;
use std::path::PathBuf;

use crate::common::{acquis, TempDir};

/// A referential whose competency rule is `rule`.
fn referential(rule: &str) -> String {
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

fn hostile_rules() -> Vec<(&'static str, String)> {
    vec![
        (
            "sum",
            format!("count({{CE1}}){} >= 1", " + 1".repeat(10_000)),
        ),
        ("not", format!("{}CE1 >= 10", "not ".repeat(10_000))),
        (
            "parens",
            format!("{}CE1 >= 10{}", "(".repeat(10_000), ")".repeat(10_000)),
        ),
        (
            "max",
            format!(
                "{}CE1{} >= 10",
                "max(0, ".repeat(10_000),
                ")".repeat(10_000)
            ),
        ),
    ]
}

fn file(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.0.join(name);
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_build_and_fmt_refuse_a_rule_too_deep_with_a0102() {
    let dir = TempDir::new("hostile-deep");
    for (name, rule) in hostile_rules() {
        let path = file(&dir, &format!("{name}.acquis"), &referential(&rule));
        let path = path.to_str().unwrap();
        for args in [
            vec!["check", path],
            vec!["check", "--diagnostics", "json", path],
            vec!["build", path],
            vec!["fmt", "--check", path],
        ] {
            let run = acquis(&args);
            assert_eq!(run.code, Some(1), "{name} {args:?}: {}", run.describe());
            let out = format!("{}{}", run.stdout, run.stderr);
            assert!(out.contains("A0102"), "{name} {args:?}: {}", run.describe());
        }
    }
}

#[test]
fn a_rule_at_the_bound_builds() {
    let dir = TempDir::new("hostile-bound");
    // The comparison, 98 operators and the leaves: 100 levels, the bound.
    let rule = format!("count({{CE1}}){} >= 1", " + 1".repeat(98));
    let path = file(&dir, "ok.acquis", &referential(&rule));
    let run = acquis(&["build", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // One more operator is one level too many.
    let rule = format!("count({{CE1}}){} >= 1", " + 1".repeat(99));
    let path = file(&dir, "over.acquis", &referential(&rule));
    let run = acquis(&["build", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("A0102"), "{}", run.describe());
}

#[test]
fn unclosed_braces_are_syntax_errors_at_once() {
    let dir = TempDir::new("hostile-braces");
    for (name, text) in [
        ("braces", "{".repeat(200)),
        ("blocks", "block B \"x\" {\n".repeat(200)),
        (
            "competencies",
            format!("block B \"x\" {{\n{}", "competency C \"x\" {\n".repeat(200)),
        ),
    ] {
        let path = file(&dir, &format!("{name}.acquis"), &text);
        let path = path.to_str().unwrap();
        for args in [vec!["check", path], vec!["fmt", "--check", path]] {
            let run = acquis(&args);
            assert_eq!(run.code, Some(1), "{name} {args:?}: {}", run.describe());
            assert!(run.stderr.contains("A010"), "{name}: {}", run.describe());
        }
    }
}
