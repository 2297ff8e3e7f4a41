//! `acquis fmt` and `acquis_grammar::format`: snapshots of the formatted
//! examples, idempotence and unchanged IR on every example and fixture,
//! property tests on generated messy referentials and arbitrary text, and
//! the real binary's modes (in place, --check, stdin, syntax errors).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::fs;
use std::path::{Path, PathBuf};

use acquis_compiler::{compile_str, Compilation};
use acquis_grammar::format::format;
use proptest::prelude::*;
use serde_json::Value;

mod common;
use common::{acquis, compile_cuisine, Acquis, TempDir, CUISINE, PREVENTION, SEED};

fn read(path: impl AsRef<Path>) -> String {
    fs::read_to_string(path).unwrap()
}

// ------------------------------------------------------------ meaning

/// The IR as JSON without any source position: `span` objects (file,
/// byte range, line, column) necessarily move when the layout changes.
/// Everything else must be identical before and after formatting.
fn ir_without_spans(c: &Compilation) -> Option<Value> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("span");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(c.ir.as_ref()?).unwrap();
    strip(&mut value);
    Some(value)
}

/// Diagnostics without positions: formatting must not add or remove one.
fn diagnostic_messages(c: &Compilation) -> Vec<String> {
    c.diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

fn assert_same_meaning(name: &str, before: &str, after: &str) {
    let (a, b) = (compile_str(name, before), compile_str(name, after));
    assert_eq!(
        ir_without_spans(&a),
        ir_without_spans(&b),
        "IR changed for {name}:\n{after}"
    );
    assert_eq!(
        diagnostic_messages(&a),
        diagnostic_messages(&b),
        "diagnostics changed for {name}"
    );
}

/// Every `.acquis` file of the examples and test fixtures.
fn corpus() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "acquis") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures", "tests/diagnostics"] {
        walk(Path::new(dir), &mut files);
    }
    files
}

#[test]
fn every_file_that_parses_formats_idempotently_with_the_same_ir() {
    let mut formatted = 0;
    for path in corpus() {
        // Some diagnostics fixtures are deliberately not UTF-8.
        let Ok(source) = String::from_utf8(fs::read(&path).unwrap()) else {
            continue;
        };
        let name = path.display().to_string();
        let parses = acquis_grammar::parse(&source).errors.is_empty();
        match format(&source) {
            Ok(once) => {
                assert!(parses, "{name} has syntax errors but was formatted");
                assert_eq!(format(&once).unwrap(), once, "{name}: not idempotent");
                assert_same_meaning(&name, &source, &once);
                formatted += 1;
            }
            Err(error) => {
                assert!(!parses, "{name} parses but was refused: {error}");
                assert!(!error.errors.is_empty());
            }
        }
    }
    assert!(formatted >= 30, "only {formatted} files formatted");
}

#[test]
fn the_cuisine_referential_keeps_its_ir_across_its_two_files() {
    let (cuisine, prevention) = (read(CUISINE), read(PREVENTION));
    let before = compile_cuisine(&cuisine, &prevention);
    let after = compile_cuisine(&format(&cuisine).unwrap(), &format(&prevention).unwrap());
    assert!(before.ir.is_some() && !before.has_errors());
    assert_eq!(ir_without_spans(&before), ir_without_spans(&after));
}

#[test]
fn the_examples_are_formatted() {
    for path in [SEED, CUISINE, PREVENTION] {
        let source = read(path);
        assert_eq!(
            format(&source).unwrap(),
            source,
            "run `acquis fmt examples`: {path} is not formatted"
        );
    }
}

#[test]
fn the_style_example_in_the_docs_is_canonical() {
    let doc = read("docs/formatting.md");
    let start = doc.find("```acquis\n").unwrap() + "```acquis\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    assert_eq!(format(example).unwrap(), example);
}

// ------------------------------------------------------------ snapshots

#[test]
fn snapshot_of_the_formatted_seed() {
    insta::assert_snapshot!("seed", format(&read(SEED)).unwrap());
}

#[test]
fn snapshot_of_the_formatted_cuisine() {
    insta::assert_snapshot!("cuisine", format(&read(CUISINE)).unwrap());
    insta::assert_snapshot!("prevention", format(&read(PREVENTION)).unwrap());
}

#[test]
fn snapshot_of_a_messy_file() {
    let messy = "\u{FEFF}referential X \"Été 🎓\" { level 3\tlang fr // one line\r\n}\r\n\
use std::scales::acquisition   use std::rules::n_of // two on a line\n\n\n\n\
/// Doc of B1.\n   block B1 \"b\"{competency C1 \"c\"{ criterion CE1 \"x\" { indicator \"a\" } // after\n\
criterion CE2 \"y\"{indicator\n\"b\"}\n validated when CE1 acquired // first\n and /* not a comment */ CE2 acquired }\n\
\t\tcompetency C2 \"d\" competency C10 \"e\" }\ncertification   validated when all blocks validated";
    // `/* */` is not a comment in Acquis: the file must be refused.
    assert!(format(messy).is_err());
    let messy = messy.replace("/* not a comment */ ", "// between rule words\n");
    let once = format(&messy).unwrap();
    assert_eq!(format(&once).unwrap(), once);
    assert_same_meaning("messy.acquis", &messy, &once);
    insta::assert_snapshot!("messy", once);
}

// ------------------------------------------------------------ properties

/// Pieces of referentials as tokens; the generator joins them with random
/// blanks and comments.
const ENTITIES: &[&[&str]] = &[
    &[
        "referential",
        "R",
        "\"Réf 🎓 n°1\"",
        "{",
        "level",
        "3",
        "version",
        "\"1\"",
        "lang",
        "fr",
        "meta",
        "k",
        "\"v\"",
        "}",
    ],
    &["use", "std::scales::acquisition"],
    &["use", "std::rules::*"],
    &["import", "\"other.acquis\""],
    &[
        "scale",
        "s",
        "\"Échelle\"",
        "{",
        "levels",
        "a",
        "<",
        "b",
        "<",
        "c",
        "pass",
        "b",
        "}",
    ],
    &[
        "scale", "n", "{", "range", "0", "..", "20", "step", "0.5", "pass", "10", "}",
    ],
    &[
        "rule", "r", "(", "n", ",", "m", ")", "=", "at", "least", "n", "of", "criteria",
        "acquired", "and", "(", "count", "(", "criteria", "acquired", ")", "*", "2", ">", "size",
        "(", "criteria", ")", "-", "1", ")",
    ],
    &[
        "defaults",
        "{",
        "criterion",
        "scale",
        "acquisition",
        "competency",
        "validated",
        "when",
        "all",
        "criteria",
        "acquired",
        "assessment",
        "accommodation",
        "extra_time",
        "1/3",
        "for",
        "oral",
        "}",
    ],
    &[
        "block",
        "B1",
        "\"Bloc\"",
        "{",
        "summary",
        "\"\"\"\n      Un.\n        Deux.\n   \"\"\"",
        "mission",
        "\"m\"",
        "situation",
        "\"s\"",
        "{",
        "activity",
        "\"a\"",
        "note",
        "\"n\"",
        "}",
        "competency",
        "C1.1",
        "\"c\"",
        "{",
        "criterion",
        "CE1",
        "\"x\"",
        "{",
        "indicator \"i\"",
        "weight",
        "2",
        "}",
        "criterion",
        "CE10",
        "\"y\"",
        "{",
        "}",
        "validated",
        "when",
        "not",
        "(",
        "CE1",
        "=",
        "acquis",
        ")",
        "or",
        "all",
        "{",
        "CE1",
        ",",
        "CE10",
        "}",
        "acquired",
        "}",
        "competency",
        "C1.2",
        "\"d\"",
        "assessment",
        "E1",
        "\"e\"",
        "{",
        "covers",
        "C1.1",
        ",",
        "C1.2",
        "duration",
        "1",
        "h",
        "30",
        "min",
        "jointly",
        "C1.1",
        ",",
        "C1.2",
        "{",
        "criterion",
        "CT1",
        "\"t\"",
        "}",
        "}",
        "validated",
        "when",
        "weighted average",
        "(",
        "criteria",
        ")",
        ">=",
        "5",
        "and",
        "C1.1/CE1",
        "acquired",
        "}",
    ],
    &[
        "certification",
        "validated",
        "when",
        "all",
        "blocks",
        "validated",
    ],
    &[
        "example",
        "\"ex\"",
        "{",
        "grades",
        "{",
        "C1.1/CE1",
        "acquis",
        ",",
        "C1.1/CE10",
        "2",
        "}",
        "expect",
        "C1.1",
        "validated",
        ",",
        "B1",
        "pending",
        "}",
    ],
];

/// What may stand between two tokens.
const BLANKS: &[&str] = &[
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n\n",
    " \u{a0}",
    "\n    ",
    " // note 🎓\n",
    "\n// own line\n",
    "//\n",
];

fn messy_referential() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((0..ENTITIES.len(), any::<bool>()), 1..8),
        prop::collection::vec(0..BLANKS.len(), 64),
    )
        .prop_map(|(entities, blanks)| {
            let mut out = String::new();
            let mut k = 0;
            let mut next_blank = |out: &mut String| {
                out.push_str(BLANKS[blanks[k % blanks.len()]]);
                k += 1;
            };
            for (entity, doc) in entities {
                if doc {
                    out.push_str("/// A doc comment.\n");
                }
                for token in ENTITIES[entity] {
                    out.push_str(token);
                    next_blank(&mut out);
                }
                out.push('\n');
            }
            out
        })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn formatting_keeps_the_ir_and_is_idempotent(source in messy_referential()) {
        let once = format(&source);
        prop_assert!(once.is_ok(), "refused:\n{source}\n{:?}", once.err());
        let once = once.unwrap();
        prop_assert_eq!(format(&once).unwrap(), once.clone());
        let (a, b) = (compile_str("p.acquis", &source), compile_str("p.acquis", &once));
        prop_assert_eq!(ir_without_spans(&a), ir_without_spans(&b));
        prop_assert_eq!(diagnostic_messages(&a), diagnostic_messages(&b));
    }

    #[test]
    fn formatting_never_panics(source in "[a-z \n\t{}()\",./<>=*:-]{0,120}|\\PC{0,80}") {
        if let Ok(once) = format(&source) {
            prop_assert_eq!(format(&once).unwrap(), once.clone());
            let (a, b) = (compile_str("p.acquis", &source), compile_str("p.acquis", &once));
            prop_assert_eq!(ir_without_spans(&a), ir_without_spans(&b));
        }
        let len = source.len();
        let _ = acquis_grammar::format::format_range(&source, 0..len / 2);
    }

    #[test]
    fn range_edits_give_the_same_items_as_the_whole_file(source in messy_referential(), cut in 0usize..1000) {
        let at = cut.min(source.len());
        let edits = acquis_grammar::format::format_range(&source, 0..source.len()).unwrap();
        let mut patched = source.clone();
        let mut previous_end = usize::MAX;
        for edit in edits.iter().rev() {
            prop_assert!(edit.range.end <= previous_end, "edits overlap");
            previous_end = edit.range.start;
            patched.replace_range(edit.range.clone(), &edit.text);
        }
        // The items are formatted; only blank lines and comments between
        // items may differ from the whole-file result.
        prop_assert_eq!(format(&patched).unwrap(), format(&source).unwrap());
        if source.is_char_boundary(at) {
            let _ = acquis_grammar::format::format_range(&source, at..at).unwrap();
        }
    }
}

// ------------------------------------------------------------ command line

/// A temporary directory with an empty `sub/`.
fn temp_dir(test: &str) -> TempDir {
    let dir = TempDir::new(test);
    fs::create_dir(dir.join("sub")).unwrap();
    dir
}

const UGLY: &str = "block B \"b\" { competency C1 \"c\" }\n";
const PRETTY: &str = "block B \"b\" {\n  competency C1 \"c\"\n}\n";
const BROKEN: &str = "block B \"b\" {\n  competency C1\n}\n";

#[test]
fn check_lists_the_files_that_would_change_and_exits_1() {
    let dir = temp_dir("check");
    let ugly = dir.0.join("sub/ugly.acquis");
    fs::write(&ugly, UGLY).unwrap();
    fs::write(dir.0.join("pretty.acquis"), PRETTY).unwrap();
    fs::write(dir.0.join("notes.txt"), UGLY).unwrap();
    let run = acquis(&["fmt", "--check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, format!("{}\n", ugly.display()));
    assert!(
        run.stderr
            .contains("2 files checked, 1 would be reformatted"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&ugly), UGLY, "--check must not write");

    fs::write(&ugly, PRETTY).unwrap();
    let run = acquis(&["fmt", "--check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn the_examples_pass_check() {
    let run = acquis(&["fmt", "--check", "examples"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(" checked, 0 would be reformatted"),
        "{}",
        run.stderr
    );
}

#[test]
fn files_and_directories_are_rewritten_in_place() {
    let dir = temp_dir("rewrite");
    let a = dir.0.join("a.acquis");
    let b = dir.0.join("sub/b.acquis");
    fs::write(&a, UGLY).unwrap();
    fs::write(&b, UGLY.replace('\n', "\r\n")).unwrap();
    let run = acquis(&[
        "fmt",
        a.to_str().unwrap(),
        dir.0.join("sub").to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(read(&a), PRETTY);
    assert_eq!(read(&b), PRETTY);
    assert!(
        run.stderr.contains("2 files checked, 2 reformatted"),
        "{}",
        run.stderr
    );
    // No temporary file is left behind.
    let left: Vec<_> = fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn stdin_is_formatted_to_stdout() {
    for args in [&["fmt", "-"][..], &["fmt", "--stdin"][..]] {
        let run = Acquis::new(args).stdin(UGLY).run();
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stdout, PRETTY);
    }
    let run = Acquis::new(&["fmt", "--check", "-"]).stdin(UGLY).run();
    assert_eq!((run.code, run.stdout.as_str()), (Some(1), "<stdin>\n"));
    let run = Acquis::new(&["fmt", "--check", "-"]).stdin(PRETTY).run();
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), ""));
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let dir = temp_dir("syntax");
    let broken = dir.0.join("broken.acquis");
    let ugly = dir.0.join("ugly.acquis");
    fs::write(&broken, BROKEN).unwrap();
    fs::write(&ugly, UGLY).unwrap();
    let run = acquis(&["fmt", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    let location = format!("{}:3:1", broken.display());
    assert!(run.stderr.contains(&location), "{}", run.stderr);
    assert!(run.stderr.contains("A0101"), "{}", run.stderr);
    assert!(run.stderr.contains("not formatted"), "{}", run.stderr);
    assert_eq!(read(&broken), BROKEN);
    assert_eq!(read(&ugly), PRETTY, "the other files are still formatted");

    let run = Acquis::new(&["fmt", "-"]).stdin(BROKEN).run();
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("<stdin>:3:1"), "{}", run.stderr);
}

#[test]
fn missing_paths_are_errors() {
    let run = acquis(&["fmt", "does/not/exist.acquis"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("does/not/exist.acquis"),
        "{}",
        run.stderr
    );
    let run = acquis(&["fmt"]);
    assert_eq!(run.code, Some(2), "a path or --stdin is required");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_formatted_through_and_stays_a_link() {
    let dir = temp_dir("symlink");
    let real = dir.0.join("real.acquis");
    fs::write(&real, UGLY).unwrap();
    let link = dir.0.join("sub/link.acquis");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    // The link alone, then the directory holding both (formatted once).
    let run = acquis(&["fmt", link.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&real), PRETTY);
    fs::write(&real, UGLY).unwrap();
    let run = acquis(&["fmt", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("1 file checked, 1 reformatted"),
        "{}",
        run.stderr
    );
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&real), PRETTY);
}

#[test]
fn a_directory_walk_skips_hidden_directories_and_target() {
    let dir = temp_dir("hidden");
    for hidden in [".git/x.acquis", "target/y.acquis", "sub/.cache/z.acquis"] {
        let file = dir.0.join(hidden);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, UGLY).unwrap();
    }
    fs::write(dir.0.join("sub/visible.acquis"), UGLY).unwrap();
    let run = acquis(&["fmt", "--check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("{}\n", dir.0.join("sub/visible.acquis").display())
    );
    // Named on the command line, such a directory is formatted.
    let run = acquis(&["fmt", "--check", dir.0.join("target").to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}
