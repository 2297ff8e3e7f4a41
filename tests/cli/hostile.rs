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

/// A rule at the depth bound goes through every verb that walks it
/// (evaluation in each format, PDF included, explanation, documents in
/// HTML, Markdown and PDF, graph, exports), with the binary's default
/// stacks: the bound of A0102 is one they all
/// hold, not only the compiler. Each shape is taken at the deepest it
/// builds.
#[test]
fn rules_at_the_bound_go_through_every_verb() {
    let dir = TempDir::new("hostile-bound-verbs");
    let grades = file(
        &dir,
        "grades.csv",
        "candidate,criterion,grade\nANNE,C1/CE1,12\n",
    );
    let grades = grades.to_str().unwrap();
    type Shape = fn(usize) -> String;
    let shapes: [(&str, Shape); 4] = [
        ("sum", |n| {
            format!("count({{CE1}}){} >= 1", " + 1".repeat(n))
        }),
        ("not", |n| format!("{}CE1 >= 10", "not ".repeat(n))),
        ("parens", |n| {
            format!("{}CE1 >= 10{}", "(".repeat(n), ")".repeat(n))
        }),
        ("max", |n| {
            format!("{}sum({{CE1}}){} >= 10", "max(0, ".repeat(n), ")".repeat(n))
        }),
    ];
    for (name, shape) in shapes {
        let path = file(&dir, &format!("{name}.acquis"), "");
        // The deepest that builds, below the first that does not.
        let deepest = (1..=110).rev().find(|&n| {
            fs::write(&path, referential(&shape(n))).unwrap();
            acquis(&["build", path.to_str().unwrap()]).code == Some(0)
        });
        let Some(n) = deepest else {
            panic!("{name}: no depth up to 110 builds")
        };
        fs::write(&path, referential(&shape(n + 1))).unwrap();
        let over = acquis(&["check", path.to_str().unwrap()]);
        assert!(
            over.stderr.contains("A0102"),
            "{name} {}: {}",
            n + 1,
            over.describe()
        );
        fs::write(&path, referential(&shape(n))).unwrap();
        let p = path.to_str().unwrap();
        let pages = dir.0.join(format!("{name}-pages"));
        let pages = pages.to_str().unwrap();
        let pdf_pages = dir.0.join(format!("{name}-pdf"));
        let pdf_pages = pdf_pages.to_str().unwrap();
        let pdf = dir.0.join(format!("{name}.pdf"));
        let pdf = pdf.to_str().unwrap();
        let eval = ["eval", p, "--grades", grades];
        let explain = ["explain", p, "--grades", grades, "--candidate", "ANNE"];
        let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
            head.iter().chain(tail).map(|a| a.to_string()).collect()
        };
        for args in [
            with(&eval, &[]),
            with(&eval, &["--format", "json"]),
            with(&eval, &["--format", "csv"]),
            with(&eval, &["--format", "html", "-o", pages]),
            with(&eval, &["--format", "ob3"]),
            with(&eval, &["--format", "pdf", "-o", pdf_pages]),
            with(&explain, &["--full"]),
            with(&explain, &["--format", "json"]),
            with(&explain, &["--format", "html"]),
            with(&["doc", p, "--format", "html"], &[]),
            with(&["doc", p, "--format", "md"], &[]),
            with(&["doc", p, "-o", pdf], &[]),
            with(&["graph", p], &[]),
            with(&["export", "case", p], &[]),
            with(&["export", "moodle", p], &[]),
            with(&["fmt", "--check", p], &[]),
        ] {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = acquis(&args);
            // `fmt --check` may find the generated layout not canonical
            // (exit 1); every other verb succeeds, and says something
            // (Open Badges only for what was validated).
            let ok = if args[0] == "fmt" { 0..=1 } else { 0..=0 };
            assert!(
                run.code.is_some_and(|c| ok.contains(&c)),
                "{name} at depth {n}, {args:?}: {}",
                run.describe()
            );
            assert!(
                args.contains(&"-o")
                    || args.contains(&"ob3")
                    || args[0] == "fmt"
                    || !run.stdout.is_empty(),
                "{name} at depth {n}, {args:?}: nothing written"
            );
        }
    }
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

/// A grades file of zeros without a line break (`/dev/zero`): the format
/// is decided on its first line, read no further than the readers' line
/// limit, then the reader refuses it; it never reads the device whole.
/// Run under 2 GB of address space: reading it whole would abort there.
#[cfg(unix)]
#[test]
fn grades_from_a_device_of_zeros_stop_at_the_line_limit() {
    let dir = TempDir::new("zeros");
    let r = file(&dir, "r.acquis", &referential("CE1 >= 10"));
    for verb in [&["eval"][..], &["explain", "--candidate", "A1"][..]] {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 2000000 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_acquis"))
            .args(verb)
            .arg(&r)
            .args(["--grades", "/dev/zero"])
            .env("LANG", "C")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{verb:?}: {stderr}");
        if verb[0] == "eval" {
            assert!(stderr.contains("a line longer than 16 MiB"), "{stderr}");
        }
    }
}

/// Named rules are expanded where they are used: `r1` using `r0` twice,
/// `r2` using `r1` twice… doubles at each level, 2^40 nodes from a file of
/// 2 KB. Past 100,000 nodes once expanded the rule is refused with A0102,
/// at once, in check and in every verb that compiles.
#[test]
fn named_rules_that_double_at_each_use_are_refused_at_the_budget() {
    let dir = TempDir::new("doubling");
    let mut rules = String::from("rule r0(x) = sum(criteria) >= x\n");
    for k in 1..40 {
        rules.push_str(&format!("rule r{k}(x) = r{}(x) and r{}(x)\n", k - 1, k - 1));
    }
    let text = referential("r39(10)").replacen(
        "use std::scales::note_sur_20\n",
        &format!("use std::scales::note_sur_20\n{rules}"),
        1,
    );
    let r = file(&dir, "r.acquis", &text);
    for verb in ["check", "build"] {
        let run = acquis(&[verb, r.to_str().unwrap()]);
        assert_eq!(run.code, Some(1), "{verb}: {}", run.stderr);
        assert!(run.stderr.contains("A0102"), "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "this rule is too large once its named rules are expanded: more than 100000"
            ),
            "{}",
            run.stderr
        );
    }
    // Below the budget (2^10 nodes), the same shape builds.
    let small = text.replace("r39(10)", "r10(10)");
    let r = file(&dir, "small.acquis", &small);
    let run = acquis(&["check", r.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
