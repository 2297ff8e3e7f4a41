#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
//! Random edits (insertions and deletions anywhere, next to multi-byte
//! characters) followed by requests: the server never crashes and every
//! request gets a well-formed answer.

mod common;

use common::Client;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A small referential with accents, a typographic apostrophe and emoji.
const SEED: &str = "referential R \"Réf’s 🎓\" { lang fr }\nuse std::scales::acquisition\ndefaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}\nblock B \"Bloc été\" {\n  competency C1 \"Café 🎓\" {\n    criterion CE1 \"é\" { indicator \"i’\" }\n    criterion CE2 \"ü\" { indicator \"j\" }\n    validated when CE1 acquired and at least 1 of criteria >= en_cours\n  }\n  assessment E \"e\" { covers C1 }\n}\ncertification validated when all blocks validated\nexample \"ex 🎓\" { grades { C1/CE1 acquis } expect C1 pending }\n";

/// Pieces an edit may insert: syntax, multi-byte characters, nothing.
const PIECES: &[&str] = &[
    "",
    "é",
    "🎓",
    "’",
    "{",
    "}",
    "\"",
    "\n",
    " ",
    "CE1",
    "validated when ",
    ">= ",
    "//",
    "\"\"\"",
    "C1/",
    "all",
];

#[derive(Debug, Clone)]
struct Edit {
    line: u32,
    character: u32,
    delete: u32,
    insert: &'static str,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0u32..20,
        0u32..80,
        0u32..6,
        proptest::sample::select(PIECES),
    )
        .prop_map(|(line, character, delete, insert)| Edit {
            line,
            character,
            delete,
            insert,
        })
}

fn well_formed(method: &str, value: &Value) -> bool {
    match method {
        "textDocument/hover" | "textDocument/definition" | "textDocument/prepareRename" => {
            value.is_null() || value.is_object()
        }
        "textDocument/semanticTokens/full" => {
            value["data"].as_array().is_some_and(|d| d.len() % 5 == 0)
        }
        _ => value.is_null() || value.is_array() || value.is_object(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_then_requests_never_crash(edits in proptest::collection::vec(edit(), 1..6)) {
        let mut client = Client::start();
        let uri = client.open(&common::example("lsp/tests/random.acquis"), SEED);
        for (version, e) in edits.iter().enumerate() {
            // Ranges may point past a line's end or inside a surrogate
            // pair: the server clamps them, as clients sometimes send them.
            client.change(&uri, version as i32 + 2, json!([{
                "range": {
                    "start": {"line": e.line, "character": e.character},
                    "end": {"line": e.line, "character": e.character + e.delete}
                },
                "text": e.insert
            }]));
        }
        let last = edits.last().unwrap();
        let position = json!({"line": last.line, "character": last.character});
        let document = json!({"textDocument": {"uri": uri}});
        let at = common::at(&uri, position.clone());
        let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}});
        let requests = [
            ("textDocument/hover", at.clone()),
            ("textDocument/definition", at.clone()),
            ("textDocument/references", json!({"textDocument": {"uri": uri}, "position": position, "context": {"includeDeclaration": true}})),
            ("textDocument/documentHighlight", at.clone()),
            ("textDocument/completion", at.clone()),
            ("textDocument/prepareRename", at.clone()),
            ("textDocument/documentSymbol", document.clone()),
            ("textDocument/foldingRange", document.clone()),
            ("textDocument/selectionRange", json!({"textDocument": {"uri": uri}, "positions": [position]})),
            ("textDocument/semanticTokens/full", document.clone()),
            ("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}})),
            ("textDocument/inlayHint", json!({"textDocument": {"uri": uri}, "range": whole})),
            ("textDocument/codeLens", document.clone()),
            ("textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}})),
            ("textDocument/rangeFormatting", json!({"textDocument": {"uri": uri}, "range": whole, "options": {"tabSize": 2, "insertSpaces": true}})),
        ];
        for (method, params) in requests {
            let id = client.send(method, params);
            let response = client.response(&id);
            match response.response_result {
                Ok(value) => prop_assert!(well_formed(method, &value), "{method}: {value}"),
                // Refusals (rename on nothing renamable) are answers too,
                // but never an internal error.
                Err(e) => prop_assert!(e.code != -32603, "{method}: {}", e.message),
            }
        }
        let diagnostics = client.diagnostics(&uri);
        for d in &diagnostics {
            prop_assert!(d["range"]["start"]["line"].is_u64() && d["code"].is_string());
        }
        prop_assert_eq!(client.shutdown(), acquis_lsp::Ending::Clean);
    }
}
