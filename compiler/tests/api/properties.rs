//! Property tests: the parser and the checker never panic, whatever the
//! text, and every diagnostic points inside its file on character
//! boundaries, so every renderer can draw it.

use acquis_compiler::{compile_str, Compilation};
use acquis_diagnostics::render::{self, Format};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

use crate::compile_cuisine;

const SEED: &str = include_str!("../../../examples/edl/referential.acquis");
const CUISINE: &str = include_str!("../../../examples/cuisine/cuisine.acquis");
const PREVENTION: &str = include_str!("../../../examples/cuisine/prevention.acquis");

/// Cases per property, or `PROPTEST_CASES` for a longer hunt (e.g.
/// `PROPTEST_CASES=5000 cargo test --release -p acquis-compiler --test api properties`).
/// Failures are not persisted: the failing input is in the test output,
/// and no file is written next to the tests.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------ invariants

/// Every span of every diagnostic lies in an existing file, within its
/// text and on character boundaries; every renderer returns.
fn check_compilation(c: &Compilation) -> Result<(), TestCaseError> {
    let mut spans = Vec::new();
    for d in &c.diagnostics {
        spans.push((d.code, "primary", d.primary.file, d.primary.span));
        spans.extend(d.labels.iter().map(|l| (d.code, "label", l.file, l.span)));
        spans.extend(
            d.suggestions
                .iter()
                .map(|s| (d.code, "suggestion", s.file, s.span)),
        );
        prop_assert!(!d.message.is_empty(), "{} has an empty message", d.code);
    }
    for (code, what, file, span) in spans {
        let source = c.sources.get(file);
        prop_assert!(source.is_some(), "{code}: {what} in unknown file {file:?}");
        let text = &source.unwrap().text;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{code}: {what} span {span:?} outside its file of {} bytes",
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{code}: {what} span {span:?} not on char boundaries"
        );
    }
    for format in [
        Format::Terminal { color: false },
        Format::Terminal { color: true },
        Format::Narrated,
    ] {
        let text = render::render(
            &c.diagnostics,
            &c.sources,
            format,
            acquis_diagnostics::Lang::En,
        );
        prop_assert_eq!(text.is_empty(), c.diagnostics.is_empty());
    }
    let json = render::json(&c.diagnostics, &c.sources, acquis_diagnostics::Lang::En);
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json);
    prop_assert!(parsed.is_ok(), "--format json is not JSON: {json}");
    let _ = render::summary(&c.diagnostics, acquis_diagnostics::Lang::En);
    if let Some(ir) = &c.ir {
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&ir.to_json());
        prop_assert!(parsed.is_ok(), "the IR is not JSON");
    }
    Ok(())
}

fn check_str(text: &str) -> Result<(), TestCaseError> {
    check_compilation(&compile_str("p.acquis", text))
}

/// The parser alone: it returns, and its error spans are within the text,
/// on character boundaries.
fn check_parse(text: &str) -> Result<(), TestCaseError> {
    let file = acquis_grammar::parse(text);
    for e in &file.errors {
        for span in [e.span, e.skipped] {
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "syntax error span {span:?} outside the text"
            );
            prop_assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "syntax error span {span:?} not on char boundaries"
            );
        }
        prop_assert!(!e.message.is_empty());
    }
    Ok(())
}

// ------------------------------------------------------------ generators

/// Words and symbols of the language, multi-byte letters and emoji.
const WORDS: &[&str] = &[
    "referential",
    "block",
    "competency",
    "criterion",
    "indicator",
    "assessment",
    "jointly",
    "covers",
    "validated when",
    "validated",
    "when",
    "all",
    "any",
    "none",
    "at least",
    "at most",
    "of",
    "criteria",
    "competencies",
    "blocks",
    "except",
    "scale",
    "levels",
    "range",
    "pass",
    "step",
    "weight",
    "rule",
    "defaults",
    "certification",
    "example",
    "grades",
    "expect",
    "import",
    "use",
    "std::scales::acquisition",
    "std::rules::*",
    "std",
    "::",
    "summary",
    "mission",
    "situation",
    "activity",
    "note",
    "task",
    "deliverable",
    "duration",
    "accommodation",
    "extra_time",
    "for",
    "oral",
    "kind",
    "description",
    "level",
    "version",
    "lang",
    "meta",
    "average",
    "weighted average",
    "min",
    "max",
    "sum",
    "count",
    "size",
    "and",
    "or",
    "not",
    "acquired",
    "acquis",
    "en_cours",
    "non_acquis",
    "pending",
    "not_validated",
    "{",
    "}",
    "(",
    ")",
    "\"",
    "\"\"\"",
    ",",
    "/",
    "..",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "!=",
    "+",
    "-",
    "*",
    "é",
    "è",
    "à",
    "ç",
    "œ",
    "’",
    "«",
    "»",
    "🌞",
    "😀",
    "👩‍💻",
    "très_bien",
    "Évaluer",
    "1/3",
    "//",
    "///",
    "\\",
    "\n",
    " ",
    "\t",
    "\r\n",
];

/// The same vocabulary as a regex, with generated ids, numbers and strings.
const TOKENS: &str = concat!(
    "(referential|block|competency|criterion|indicator|assessment|jointly|covers|",
    "validated when|all|any|none|at least|at most|of|criteria|competencies|blocks|",
    "except|scale|levels|range|pass|rule|defaults|certification|example|grades|",
    "expect|import|use|std::scales::acquisition|and|or|not|acquired|acquis|en_cours|",
    "\\{|\\}|\\(|\\)|\"|,|/|\\.\\.|<|>=|=|!=|\\+|\\*|",
    "[A-Z][0-9](\\.[0-9]{1,2})?|CE[0-9]|E[0-9]/CE[0-9]|[a-z_]{1,8}|",
    "é|à|’|«|🌞|😀|très_bien|Évaluer|",
    "[0-9]{1,3}(\\.[0-9])?|[0-9]+ (h|min)|\"[^\"\\\\]{0,12}\"|//|///|\n| )",
);

/// One token: a word of the language (most often), or a generated id,
/// number or string. The regexes are compiled once, here.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(WORDS).prop_map(str::to_string),
        1 => proptest::string::string_regex("([A-Z][0-9](\\.[0-9]{1,2})?|CE[0-9]|E[0-9]/CE[0-9])").unwrap(),
        1 => proptest::string::string_regex("([a-z_é]{1,8}|[0-9]{1,3}(\\.[0-9])?|\"[^\"\\\\]{0,12}\")").unwrap(),
    ]
}

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..80).prop_map(|tokens| tokens.join(" "))
}

/// Whole strings from one regex over the vocabulary (slower to generate).
fn regex_soup() -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("({TOKENS} ?){{0,40}}")).unwrap()
}

/// A token soup inside a plausible referential, so the checker (not only
/// the parser) sees it.
fn soup_in_referential() -> impl Strategy<Value = String> {
    token_soup().prop_map(|soup| {
        format!(
            "referential R \"Essai\" {{ lang fr }}\nuse std::scales::acquisition\nuse std::rules::*\n\
             defaults {{ criterion scale acquisition competency validated when all criteria acquired }}\n\
             block B1 \"Bloc\" {{\n  competency C1.1 \"C\" {{\n    criterion CE1 \"x\" {{ indicator \"y\" }}\n    {soup}\n  }}\n}}\n\
             certification validated when all blocks validated\n"
        )
    })
}

/// Snippets inserted into the examples: tokens, fragments of items, and
/// arbitrary text.
fn snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => token(),
        3 => token_soup(),
        2 => prop::sample::select(vec![
            "{", "}", "\"", "\"\"\"", "///", "//", "\n", "é", "🌞", "’",
            "validated when ", "all criteria acquired", "at least 9 of criteria acquired",
            " and CE99 acquired", "criterion CE1 \"dup\" { indicator \"x\" }",
            "competency C1.1 \"doublon\"", "block A1 \"doublon\" { }",
            "import \"referential.acquis\"\n", "import \"nowhere.acquis\"\n",
            "use std::nothing::x\n", "rule r(n) = r(n)\n", "rule r2() = at least n of criteria acquired\n",
            "scale s { levels a < a pass b }\n", "scale t { range 10 .. 0 step 0 pass 20 }\n",
            "example \"e\" { grades { C1.1/CE1 acquis, C1.1/CE1 zz } expect E1 validated }\n",
            "defaults { criterion scale nope }\n", "certification validated when all blocks validated\n",
            "referential X \"again\" { }\n", "jointly C9.9 { criterion CE1 \"x\" { indicator \"y\" } }",
            "covers C4.1, C1.1\n", "average(criteria) >= 25", "count(criteria acquired) * 2 > size(criteria)",
            "1/0", "-1", "99999999999999999999", "0.5e10", "\u{FEFF}", "\r\n", "\t", "\0",
        ])
        .prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Delete about `len` bytes (snapped to char boundaries) at `at`.
    Delete {
        at: Index,
        len: usize,
    },
    /// Insert a snippet at a char boundary near `at`.
    Insert {
        at: Index,
        snippet: String,
    },
    DuplicateLine(Index),
    SwapLines(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), prop_oneof![0..8usize, 0..200usize, 0..20_000usize])
            .prop_map(|(at, len)| Mutation::Delete { at, len }),
        3 => (any::<Index>(), snippet()).prop_map(|(at, snippet)| Mutation::Insert { at, snippet }),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..5)
}

/// The char boundary at or before `offset`.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        match m {
            Mutation::Delete { at, len } => {
                let start = floor_boundary(&text, at.index(text.len() + 1));
                let end = floor_boundary(&text, start.saturating_add(*len));
                text.replace_range(start..end, "");
            }
            Mutation::Insert { at, snippet } => {
                let position = floor_boundary(&text, at.index(text.len() + 1));
                text.insert_str(position, snippet);
            }
            Mutation::DuplicateLine(line) => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let i = line.index(lines.len());
                    let copy = lines[i];
                    lines.insert(i, copy);
                    // A last line without a newline would join its copy.
                    if !copy.ends_with('\n') {
                        lines[i] = "\n";
                        lines.insert(i, copy);
                    }
                }
                text = lines.concat();
            }
            Mutation::SwapLines(a, b) => {
                let mut lines: Vec<String> =
                    text.split_inclusive('\n').map(str::to_string).collect();
                if !lines.is_empty() {
                    let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                    lines.swap(a, b);
                    for line in &mut lines {
                        if !line.ends_with('\n') {
                            line.push('\n');
                        }
                    }
                }
                text = lines.concat();
            }
        }
    }
    text
}

// ----------------------------------------------------------------- tests

#[test]
fn examples_are_clean_in_memory() {
    let seed = compile_str("referential.acquis", SEED);
    assert!(
        seed.diagnostics.is_empty(),
        "{}",
        render::render(
            &seed.diagnostics,
            &seed.sources,
            Format::Narrated,
            acquis_diagnostics::Lang::En
        )
    );
    let cuisine = compile_cuisine(CUISINE, PREVENTION);
    assert!(
        cuisine.diagnostics.is_empty(),
        "{}",
        render::render(
            &cuisine.diagnostics,
            &cuisine.sources,
            Format::Narrated,
            acquis_diagnostics::Lang::En
        )
    );
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_string_compiles_without_panic(text in any::<String>()) {
        check_parse(&text)?;
        check_str(&text)?;
    }

    #[test]
    fn token_soup_compiles_without_panic(text in token_soup()) {
        check_parse(&text)?;
        check_str(&text)?;
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn regex_soup_compiles_without_panic(text in regex_soup()) {
        check_parse(&text)?;
        check_str(&text)?;
    }

    #[test]
    fn token_soup_in_a_referential_compiles_without_panic(text in soup_in_referential()) {
        check_parse(&text)?;
        check_str(&text)?;
    }
}

proptest! {
    // The seed is 96 KB: in a debug build it parses in about 55 ms and
    // compiles in about 65 ms, so a case costs 0.1 to 0.3 s with rendering.
    #![proptest_config(config(64))]

    #[test]
    fn mutated_seed_compiles_without_panic(mutations in mutations()) {
        let text = apply(SEED, &mutations);
        check_str(&text)?;
    }

    #[test]
    fn mutated_seed_parses_without_panic(mutations in mutations()) {
        let text = apply(SEED, &mutations);
        check_parse(&text)?;
    }
}

proptest! {
    // About 0.2 s a case in debug builds: three parses, two compilations
    // and four renderings.
    #![proptest_config(config(64))]

    #[test]
    fn mutated_cuisine_compiles_without_panic(
        mutations in mutations(),
        in_prevention in any::<bool>(),
    ) {
        let (cuisine, prevention) = if in_prevention {
            (CUISINE.to_string(), apply(PREVENTION, &mutations))
        } else {
            (apply(CUISINE, &mutations), PREVENTION.to_string())
        };
        check_parse(&cuisine)?;
        check_parse(&prevention)?;
        check_compilation(&compile_cuisine(&cuisine, &prevention))?;
        // The same text as one file, whose import then cannot be read.
        check_str(&cuisine)?;
    }
}
