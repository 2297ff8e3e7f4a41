//! Hostile inputs: parsing is linear in the input whatever its errors, and
//! never exhausts the stack (issue 17).
//!
//! Work is counted, not timed: pest's call limit makes any one pest call
//! that runs more than `CALLS_PER_BYTE` rule calls per byte of the file an
//! error ("call limit reached"), which the parser reports as such. Before
//! the fix, 26 unclosed braces took 2^26 calls; 200 would take longer than
//! the age of the universe. The limit is global to the process, which is
//! why these tests have a test binary of their own.

use std::num::NonZeroUsize;
use std::sync::{Mutex, MutexGuard};

use acquis_grammar::{parse, parse_incremental, ParseCache, MAX_NESTING};
use proptest::prelude::*;

const CALLS_PER_BYTE: usize = 200;

/// The call limit is global: one test at a time sets it and parses.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn limit_calls(len: usize) -> MutexGuard<'static, ()> {
    let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    pest::set_call_limit(NonZeroUsize::new(CALLS_PER_BYTE * len + 10_000));
    guard
}

/// Parses `text` (whole, and incrementally after an edit at its start and
/// one at its end) under the call limit; the errors of the whole parse.
fn parse_within_limit(text: &str) -> Vec<acquis_grammar::ast::SyntaxError> {
    let _one = limit_calls(text.len() + 8);
    let file = parse(text);
    for e in &file.errors {
        assert!(
            !e.message.english().contains("call limit"),
            "more than {CALLS_PER_BYTE} pest calls per byte: {e:?} in {}",
            text.get(..60).unwrap_or(text)
        );
    }
    let mut cache = ParseCache::default();
    let again = parse_incremental(text, &mut cache);
    assert_eq!(again, file);
    let edited = format!("x{text}y");
    assert_eq!(parse_incremental(&edited, &mut cache), parse(&edited));
    file.errors
}

fn shapes(n: usize) -> Vec<String> {
    let item = |s: &str| s.repeat(n);
    vec![
        item("{"),
        item("{ "),
        item("{\n"),
        item("{}{"),
        item("} {"),
        item("{ \"x\" "),
        item("{ \"\"\" "),
        item("{ // {\n"),
        item("block B \"x\" {"),
        item("block B \"x\" {\n"),
        item("competency C \"x\" {\n"),
        format!("block B \"x\" {{\n{}", item("competency C \"x\" {\n")),
        format!(
            "block B \"x\" {{\n{}",
            item("  competency C \"x\" {\n    criterion CE \"x\" {\n")
        ),
        format!(
            "block B \"x\" {{\n{}",
            item("  assessment E \"x\" {\n    part p \"x\" {\n")
        ),
        format!("block B \"x\" {{\n{}", item("  situation \"x\" {\n")),
        item("referential R \"x\" {\n"),
        item("defaults {\n"),
        item("scale S {\n"),
        item("example \"x\" { grades {\n"),
        item("block B \"x\" { jointly C { criterion X \"y\" {\n"),
        format!("certification validated when {}", item("(")),
        format!("certification validated when {}", item("max(")),
        format!("certification validated when {}", item("round(")),
        format!("certification validated when {}", item("not ")),
        format!("certification validated when {}", item("(not ")),
        format!("rule R() = {}", item("all {")),
    ]
}

#[test]
fn unclosed_braces_are_read_in_linear_time() {
    for text in shapes(200) {
        let errors = parse_within_limit(&text);
        assert!(!errors.is_empty(), "{text}");
    }
}

#[test]
fn big_brace_soups_are_read_in_linear_time() {
    // 1,000 repetitions: each pest call is held to a linear budget.
    for text in shapes(1_000) {
        parse_within_limit(&text);
    }
}

#[test]
fn nesting_past_the_bound_is_one_coded_error() {
    for (open, close) in [("(", ")"), ("{", "}"), ("max(", ")"), ("round(", ")")] {
        let text = format!(
            "certification validated when {}x{}",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let errors = parse_within_limit(&text);
        let deep: Vec<_> = errors
            .iter()
            .filter(|e| e.code == acquis_diagnostics::Code::TooDeep)
            .collect();
        assert_eq!(deep.len(), 1, "{open}: {errors:?}");
    }
    // Exactly at the bound, nothing is refused for nesting.
    let text = format!(
        "certification validated when {}x acquired{}",
        "(".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    );
    assert!(parse_within_limit(&text).is_empty());
}

#[test]
fn long_rules_are_one_coded_error() {
    for rule in [
        format!("count({{C1}}){} >= 1", " + 1".repeat(10_000)),
        format!("{}C1 acquired", "not ".repeat(10_000)),
        format!("max(0, {}1{}) > 0", "1 + ".repeat(10_000), ""),
    ] {
        let text = format!("certification validated when {rule}\n");
        let errors = parse_within_limit(&text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].code, acquis_diagnostics::Code::TooDeep);
    }
}

fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{"),
        Just("}"),
        Just("("),
        Just(")"),
        Just("\""),
        Just("\"\"\""),
        Just("//"),
        Just("\n"),
        Just(" "),
        Just("block B \"x\" "),
        Just("competency C \"x\" "),
        Just("criterion CE \"x\" "),
        Just("validated when "),
        Just("not "),
        Just("+ 1 "),
        Just("x"),
    ];
    prop::collection::vec(piece, 0..400).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn brace_soups_never_panic(text in soup(), reps in 1usize..16) {
        // Repeated, so that some soups nest past the bound.
        let text = text.repeat(reps);
        let _one = limit_calls(text.len() + 8);
        let file = parse(&text);
        for e in &file.errors {
            prop_assert!(!e.message.english().contains("call limit"), "{:?}", e);
        }
    }
}
