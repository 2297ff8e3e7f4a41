#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
//! Formatting and range formatting through the formatter's engine.

mod common;

use common::{apply, Client};
use serde_json::{json, Value};

const MESSY: &str = "referential R \"Réf d’été 🎓\" {lang fr}\nuse std::scales::acquisition\ndefaults {criterion scale acquisition\n competency validated when all criteria acquired\n      block validated when all competencies validated}\nblock B \"b 🎓\" {\ncompetency C \"c\" {criterion CE1 \"x\" {indicator \"i\"}}\n        assessment E \"e\" {covers C}\n}\ncertification validated when all blocks validated\n";

#[test]
fn formatting_gives_the_formatters_text() {
    let mut client = Client::start();
    let uri = client.open(&common::example("lsp/tests/messy.acquis"), MESSY);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(MESSY, edits.as_array().unwrap());
    assert_eq!(formatted, acquis_grammar::format::format(MESSY).unwrap());
    insta::assert_snapshot!(formatted);
    // Formatted text formats to no edit.
    client.change(&uri, 2, json!([{"text": formatted}]));
    let again = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(again, json!([]));
    client.shutdown();
}

#[test]
fn range_formatting_touches_only_the_items_in_the_range() {
    let mut client = Client::start();
    let uri = client.open(&common::example("lsp/tests/messy-range.acquis"), MESSY);
    // The block only (lines 5 to 8), after the emoji of its title.
    let range = json!({"start": {"line": 6, "character": 3}, "end": {"line": 7, "character": 4}});
    let edits = client.request("textDocument/rangeFormatting", json!({"textDocument": {"uri": uri}, "range": range, "options": {"tabSize": 2, "insertSpaces": true}}));
    let edits = edits.as_array().unwrap();
    assert!(!edits.is_empty());
    let result = apply(MESSY, edits);
    // The header and defaults are left as they were; the block is canonical.
    assert!(result.starts_with("referential R \"Réf d’été 🎓\" {lang fr}\n"));
    assert!(result.contains("defaults {criterion scale acquisition\n"));
    let canonical = acquis_grammar::format::format(MESSY).unwrap();
    let block =
        &canonical[canonical.find("block B").unwrap()..canonical.find("certification").unwrap()];
    assert!(result.contains(block.trim_end()), "{result}");
    client.shutdown();
}

#[test]
fn a_file_with_syntax_errors_is_not_formatted() {
    let mut client = Client::start();
    let broken = MESSY.replace("covers C}", "covers }");
    let uri = client.open(&common::example("lsp/tests/messy-broken.acquis"), &broken);
    let id = client.send(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let error = client.response(&id).response_result.unwrap_err();
    assert_eq!(error.code, -32803);
    assert!(error.message.contains("syntax error"), "{}", error.message);
    // A file nobody opened: nothing to format.
    let nothing = client.request("textDocument/formatting", json!({"textDocument": {"uri": "file:///nowhere.acquis"}, "options": {"tabSize": 2, "insertSpaces": true}}));
    assert_eq!(nothing, Value::Null);
    client.shutdown();
}
