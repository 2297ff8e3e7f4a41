//! The incremental parser must return exactly what a full parse returns,
//! after any sequence of edits: the AST, every span, every syntax error.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{incremental_in_chunks, parse_incremental, ParseCache};
use crate::parse;
use crate::parser::parse_in_chunks;

/// Every `.acquis` file of the examples, the test fixtures, the
/// diagnostics corpus and the standard library.
fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "examples",
        "tests/fixtures",
        "compiler/tests/diagnostics",
        "stdlib",
    ] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    assert!(texts.len() > 10, "the corpus was not found");
    texts
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "acquis") {
            out.push(path);
        }
    }
}

/// Text an edit inserts: what breaks or joins items, and text of the file.
#[derive(Debug, Clone)]
enum Insert {
    Nothing,
    Fixed(&'static str),
    /// `len` bytes of the file itself, from `from` (a fraction of it).
    Copy {
        from: f64,
        len: usize,
    },
}

const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "\"",
    "\"\"\"",
    "\n",
    "\n\n",
    " ",
    "x",
    "é",
    "\u{FEFF}",
    "///",
    "/// doc\n",
    "// comment {\n",
    "block B9 \"Bloc\" {\n",
    "\nblock B9 \"Bloc\" {\n  competency C9 \"C\" {\n  }\n}\n",
    "rule r(a) = a and\n",
    "rule r() = all criteria acquired\n",
    "competency C8 \"x\" {\n",
    "criterion K \"k\" { indicator \"i\" }\n",
    "scale s { levels a < b }\n",
    "use std::",
    "import \"",
    "defaults {",
    "example \"e\" {\n",
    "certification validated when",
    "summary \"\"\"\n",
    "validated when (",
    "\\",
];

#[derive(Debug, Clone)]
struct Edit {
    /// Where, as a fraction of the text's length.
    at: f64,
    /// Bytes removed there.
    delete: usize,
    insert: Insert,
}

fn edit() -> impl Strategy<Value = Edit> {
    let insert = prop_oneof![
        1 => Just(Insert::Nothing),
        3 => prop::sample::select(FRAGMENTS).prop_map(Insert::Fixed),
        2 => (0.0..1.0f64, 0usize..400).prop_map(|(from, len)| Insert::Copy { from, len }),
    ];
    let delete = prop_oneof![3 => 0usize..3, 1 => 0usize..300];
    (0.0..1.0f64, delete, insert).prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

/// The char boundary at or before `at`.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edit: &Edit) -> String {
    let at = floor(text, (edit.at * text.len() as f64) as usize);
    let end = floor(text, at + edit.delete);
    let inserted = match &edit.insert {
        Insert::Nothing => String::new(),
        Insert::Fixed(s) => (*s).to_string(),
        Insert::Copy { from, len } => {
            let from = floor(text, (from * text.len() as f64) as usize);
            let to = floor(text, from + len);
            text[from..to].to_string()
        }
    };
    format!("{}{}{}", &text[..at], inserted, &text[end..])
}

fn check_sequence(start: &str, edits: &[Edit], parts: usize) -> Result<(), TestCaseError> {
    let mut cache = ParseCache::default();
    let mut text = start.to_string();
    let first = incremental_in_chunks(&text, &mut cache, parts);
    prop_assert_eq!(first, parse_in_chunks(&text, parts));
    for edit in edits {
        text = apply(&text, edit);
        let incremental = incremental_in_chunks(&text, &mut cache, parts);
        let full = parse_in_chunks(&text, parts);
        prop_assert_eq!(incremental, full, "after {:?}, text:\n{}", edit, text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn incremental_equals_full_parse(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let corpus = corpus();
        let start = file.get(&corpus);
        check_sequence(start, &edits, 1)?;
    }

    /// The chunked path of big files, forced on small ones: the chunks
    /// move with the edits, and so must the reuse.
    #[test]
    fn incremental_equals_chunked_parse(
        file in any::<prop::sample::Index>(),
        parts in 2usize..5,
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let corpus = corpus();
        let start = file.get(&corpus);
        check_sequence(start, &edits, parts)?;
    }
}

#[test]
fn an_edit_reuses_the_items_after_it() {
    let corpus = corpus();
    let Some(seed) = corpus.iter().max_by_key(|t| t.len()) else {
        return;
    };
    let mut cache = ParseCache::default();
    let _ = parse_incremental(seed, &mut cache);
    let (_, steps) = cache.reuse();
    // One more blank before the first item.
    let edited = apply(
        seed,
        &Edit {
            at: 0.0,
            delete: 0,
            insert: Insert::Fixed(" "),
        },
    );
    let file = parse_incremental(&edited, &mut cache);
    assert_eq!(file, parse(&edited));
    let (reused, total) = cache.reuse();
    assert_eq!(total, steps);
    assert!(reused + 1 >= total, "reused {reused} of {total}");
}

#[test]
fn another_file_in_the_same_cache_is_parsed_afresh() {
    let corpus = corpus();
    let mut cache = ParseCache::default();
    for text in &corpus {
        assert_eq!(&parse_incremental(text, &mut cache), &parse(text));
        assert_eq!(&parse_incremental(text, &mut cache), &parse(text));
        let (reused, total) = cache.reuse();
        assert_eq!(reused, total);
    }
}

#[test]
fn a_byte_order_mark_and_an_empty_file() {
    let mut cache = ParseCache::default();
    for text in ["", "\u{FEFF}", "\u{FEFF}use std::rules::*\n", "use a\n", ""] {
        assert_eq!(parse_incremental(text, &mut cache), parse(text));
    }
}
