//! `acquis_grammar::format` keeps the meaning: idempotence and unchanged
//! IR and diagnostics on every example and fixture, on the two-file cuisine
//! referential and on a messy file (snapshot); property tests on generated
//! messy referentials and arbitrary text, range formatting included. These
//! need the compiler, hence their place here; what takes the grammar alone
//! (the snapshots of the formatted examples, the examples and the style
//! example of docs/formatting.md being canonical) is in
//! grammar/tests/api/fmt.rs. The command's modes (in place, --check, stdin,
//! syntax errors) are in tests/cli/fmt.rs.

use std::fs;
use std::path::{Path, PathBuf};

use acquis_compiler::{compile_str, Compilation};
use acquis_grammar::format::format;
use proptest::prelude::*;
use serde_json::Value;

use crate::{compile_cuisine, read, workspace, CUISINE, PREVENTION, ROOT};

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
        .map(|d| format!("{} {}", d.code, d.message.english()))
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

/// Every `.acquis` file of the workspace's examples and test fixtures, and
/// of this crate's diagnostics fixtures.
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
    for dir in ["examples", "tests/fixtures"] {
        walk(&workspace(dir), &mut files);
    }
    walk(Path::new("tests/diagnostics"), &mut files);
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
        let name = path.display().to_string().replace(ROOT, "");
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

// ------------------------------------------------------------ snapshot

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
