#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
//! Rename (and its refusals), UTF-16 positions, and half-typed files.

mod common;

use common::{apply, at, position_of, slice, Client};
use serde_json::{json, Value};

fn rename(
    client: &mut Client,
    uri: &str,
    text: &str,
    needle: &str,
    new_name: &str,
) -> Result<Value, lsp_server::ResponseError> {
    let mut params = at(uri, position_of(text, needle, 0, 1));
    params["newName"] = json!(new_name);
    let id = client.send("textDocument/rename", params);
    client.response(&id).response_result
}

#[test]
fn rename_updates_every_file_and_the_result_still_compiles() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/cuisine/cuisine.acquis");
    let (puri, ptext) = client.open_example("examples/cuisine/prevention.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let prepared = client.request(
        "textDocument/prepareRename",
        at(&puri, position_of(&ptext, "C3.1 \"Analyser", 0, 2)),
    );
    assert_eq!(prepared["placeholder"], "C3.1");
    let edit = rename(&mut client, &puri, &ptext, "C3.1 \"Analyser", "C3.9").unwrap();
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "both files change");
    let new_text = apply(&text, changes[&uri].as_array().unwrap());
    let new_ptext = apply(&ptext, changes[&puri].as_array().unwrap());
    // Qualified ids in the examples changed their owner part only.
    assert!(new_text.contains("C3.9/CE1") && !new_text.contains("C3.1"));
    assert!(
        new_ptext.contains("competency C3.9")
            && new_ptext.contains("C3.9 validated and any competencies except C3.9")
    );
    client.change(&uri, 2, json!([{"text": new_text}]));
    client.change(&puri, 2, json!([{"text": new_ptext}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // A criterion: its short and qualified ids; a level of a local scale.
    let new_text = {
        let edit = rename(&mut client, &uri, &new_text, "CE2 \"Organisation", "CE7").unwrap();
        apply(&new_text, edit["changes"][&uri].as_array().unwrap())
    };
    assert!(new_text.contains("all {CE1, CE7} acquired") && new_text.contains("C1.2/CE7 acquis"));
    client.change(&uri, 3, json!([{"text": new_text}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let edit = rename(&mut client, &uri, &new_text, "ecart_mineur <", "mineur").unwrap();
    let edits = edit["changes"][&uri].as_array().unwrap();
    assert_eq!(
        edits.len(),
        3,
        "the scale, the rule of C1.3, a grade: {edits:?}"
    );
    assert!(edits
        .iter()
        .all(|e| slice(&new_text, &e["range"]) == "ecart_mineur"));
    client.shutdown();
}

#[test]
fn rename_refuses_bad_names_clashes_and_the_standard_library() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/cuisine/cuisine.acquis");
    let mut out = Vec::new();
    for (needle, new_name) in [
        ("C1.3 \"Appliquer", "1abc"),
        ("C1.3 \"Appliquer", "all"),
        ("C1.3 \"Appliquer", "C1..3"),
        ("C1.3 \"Appliquer", "C1.4"),
        ("C1.3 \"Appliquer", "B2"),
        ("CE2 \"Organisation", "CE3"),
        ("ecart_mineur <", "conforme"),
        ("socle(n", "n_of"),
        ("acquisition", "acq"),
    ] {
        let error = rename(&mut client, &uri, &text, needle, new_name).unwrap_err();
        assert_eq!(error.code, -32803);
        out.push(format!("{needle:?} -> {new_name:?}: {}", error.message));
    }
    // Nothing to rename on a keyword: null, not an error.
    let prepared = client.request(
        "textDocument/prepareRename",
        at(&uri, position_of(&text, "defaults {", 0, 2)),
    );
    assert_eq!(prepared, Value::Null);
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

/// Accents, typographic apostrophes and emoji before the cursor: UTF-16
/// columns differ from bytes and from characters.
const UNICODE: &str = "referential R \"Référentiel d’été 🎓\" { lang fr }\nuse std::scales::acquisition\ndefaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}\nblock B \"b\" {\n  competency C1 \"Café’s 🎓\" { criterion CE1 \"é\" { indicator \"i\" } }\n  assessment E \"e\" { covers C1 }\n}\ncertification validated when all blocks validated\nexample \"Été 🎓’s\" { grades { C1/CE1 acquis } expect C9 validated }\n";

#[test]
fn positions_are_utf16_after_accents_apostrophes_and_emoji() {
    let mut client = Client::start();
    let uri = client.open(&common::example("lsp/tests/unicode.acquis"), UNICODE);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let range = &diagnostics[0]["range"];
    assert_eq!(slice(UNICODE, range), "C9");
    // `example "Été 🎓’s" { grades { C1/CE1 acquis } expect ` is 53 UTF-16
    // units (51 characters, 65 bytes): the emoji counts two.
    assert_eq!(range["start"], json!({"line": 12, "character": 53}));
    // Fix it with an incremental edit at UTF-16 columns.
    client.change(&uri, 2, json!([{"range": {"start": {"line": 12, "character": 54}, "end": {"line": 12, "character": 55}}, "text": "1"}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let text = UNICODE.replace("expect C9", "expect C1");
    // Hover and definition after the emoji on the same line.
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1 validated }", 0, 1)),
    );
    assert_eq!(slice(&text, &hover["range"]), "C1");
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Café’s 🎓"));
    let definition = client.request(
        "textDocument/definition",
        at(&uri, position_of(&text, "C1 validated }", 0, 1)),
    );
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 8, "character": 13})
    );
    // The qualified grade id: owner part and criterion part.
    let owner = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1/CE1 acquis", 0, 0)),
    );
    assert_eq!(slice(&text, &owner["range"]), "C1");
    let criterion = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1/CE1 acquis", 0, 4)),
    );
    assert_eq!(slice(&text, &criterion["range"]), "CE1");
    // A position inside the emoji's surrogate pair, or past the line's end:
    // an answer, never a crash.
    for character in [21, 22, 500] {
        let hover = client.request(
            "textDocument/hover",
            at(&uri, json!({"line": 12, "character": character})),
        );
        assert!(hover.is_null() || hover["contents"].is_object());
    }
    client.shutdown();
}

#[test]
fn a_syntax_error_in_one_competency_keeps_the_rest_working() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/edl/referential.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // Half-typed: a criterion whose id is not written yet.
    let broken = text.replacen("criterion CE2 \"", "criterion \"", 1);
    client.change(&uri, 2, json!([{"text": broken}]));
    let diagnostics = client.diagnostics(&uri);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "A0101"),
        "{diagnostics:?}"
    );
    // Hover, definition and symbols in the other items still answer.
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&broken, "C2.1 \"", 0, 1)),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("**competency** `C2.1`"));
    let definition = client.request(
        "textDocument/definition",
        at(&uri, position_of(&broken, "covers C2.1", 0, 8)),
    );
    assert_eq!(slice(&broken, &definition["range"]), "C2.1");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let blocks: Vec<&Value> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == 2)
        .collect();
    assert_eq!(blocks.len(), 4);
    client.shutdown();
}

#[test]
fn a_file_cut_anywhere_still_answers() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/cuisine/cuisine.acquis");
    // Typing a new item at the end: the items before it are all there.
    let end = text.find("certification validated").unwrap();
    let typing = format!("{}certif", &text[..end]);
    client.change(&uri, 2, json!([{"text": typing}]));
    assert!(!client.diagnostics(&uri).is_empty());
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"B1") && names.contains(&"B2"), "{names:?}");
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1.1 \"", 0, 1)),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("competency"));
    // Cut in the middle of a block: every request still gets an answer.
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    client.change(&uri, 3, json!([{"text": &text[..cut]}]));
    assert!(!client.diagnostics(&uri).is_empty());
    for method in [
        "textDocument/foldingRange",
        "textDocument/semanticTokens/full",
        "textDocument/codeLens",
        "textDocument/documentSymbol",
    ] {
        let result = client.request(method, json!({"textDocument": {"uri": uri}}));
        assert!(
            result.is_array() || result.is_object(),
            "{method}: {result}"
        );
    }
    client.shutdown();
}

#[test]
fn renaming_a_level_renames_it_in_absence_rules() {
    let mut client = Client::start();
    let text = r#"referential R "r" { lang fr }
scale niveaux "n" {
  levels bas < moyen < haut
  pass haut
  absent counts as bas
}
scale autre "a" {
  levels bas < haut
  pass haut
}
defaults { competency validated when all criteria acquired }
block B "b" {
  competency C "c" {
    criterion CE1 "x" { scale niveaux }
  }
  competency D "d" {
    criterion CE1 "y" { scale autre }
  }
  assessment E "e" { covers C absent counts as moyen }
  assessment F "f" { covers D absent counts as bas }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let uri = client.open(&common::example("lsp/tests/absent-rename.acquis"), text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // `bas` of `niveaux`: its declaration and the scale's absence rule,
    // not the `bas` of `autre` that F's rule names.
    let edit = rename(&mut client, &uri, text, "bas < moyen", "faible").unwrap();
    let new_text = apply(text, edit["changes"][&uri].as_array().unwrap());
    assert!(
        new_text.contains("levels faible < moyen < haut\n  pass haut\n  absent counts as faible"),
        "{new_text}"
    );
    assert!(
        new_text.contains("covers D absent counts as bas"),
        "{new_text}"
    );
    client.change(&uri, 2, json!([{"text": new_text.clone()}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // `moyen` in an assessment's rule is the level of its criteria's scale.
    let edit = rename(&mut client, &uri, &new_text, "moyen <", "passable").unwrap();
    let renamed = apply(&new_text, edit["changes"][&uri].as_array().unwrap());
    assert!(
        renamed.contains("covers C absent counts as passable"),
        "{renamed}"
    );
    client.change(&uri, 3, json!([{"text": renamed}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    client.shutdown();
}

/// Issue 17: a rule of 10,000 terms, 10,000 `not`s or parentheses, and
/// hundreds of unclosed braces get diagnostics, on the server's threads
/// with their default stacks, and the server keeps answering.
#[test]
fn hostile_rules_and_braces_get_diagnostics() {
    let mut client = Client::start();
    let path = common::repo().join("target/hostile-lsp/main.acquis");
    let referential = |rule: &str| {
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
    };
    let sum = referential(&format!("count({{CE1}}){} >= 1", " + 1".repeat(10_000)));
    let uri = client.open(&path, &sum);
    let codes = |diagnostics: &[Value]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(codes(&client.diagnostics(&uri)), ["A0102"]);
    let nots = referential(&format!("{}CE1 >= 10", "not ".repeat(10_000)));
    client.change(&uri, 2, json!([{"text": nots}]));
    assert_eq!(codes(&client.diagnostics(&uri)), ["A0102"]);
    let parens = referential(&format!(
        "{}CE1 >= 10{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    ));
    client.change(&uri, 3, json!([{"text": parens}]));
    assert!(codes(&client.diagnostics(&uri)).contains(&"A0102".to_string()));
    let braces = format!("{}{}", "block B \"x\" {\n".repeat(300), "{".repeat(300));
    client.change(&uri, 4, json!([{"text": braces}]));
    assert!(!client.diagnostics(&uri).is_empty());
    let formatted = client.request_error(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(!formatted.message.is_empty());
    client.shutdown();
}

/// Parts of an épreuve rename like criteria: the part, its short id in the
/// épreuve's rule, and its qualified id (`E1/ecrit`) in the certification's
/// rule and in the examples' grades; renaming the épreuve renames the
/// owner of each qualified id. The result still compiles.
#[test]
fn renaming_a_part_or_its_epreuve_renames_every_use() {
    let mut client = Client::start();
    let text = "referential R \"R\" {\n  lang fr\n}\n\nscale note \"Note\" {\n  range 0 .. 20 step 0.5\n  pass 10\n}\n\n\
defaults {\n  criterion scale note\n}\n\n\
assessment E1 \"Épreuve\" {\n  part ecrit \"Écrit\" {\n    coefficient 2\n  }\n  part oral \"Oral\"\n  \
validated when weighted average(parts) >= 10 and ecrit >= 5\n}\n\n\
certification validated when E1 validated and sum({E1/ecrit}) >= 6\n\n\
example \"compensé\" {\n  grades { E1/ecrit 8, E1/oral 14 }\n  expect certification validated\n}\n";
    let dir = std::env::temp_dir().join("acquis-lsp-parts-rename");
    std::fs::create_dir_all(&dir).unwrap();
    let uri = client.open(&dir.join("parts.acquis"), text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // The outline holds the épreuve and its parts.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let e1 = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "E1")
        .unwrap();
    let parts: Vec<&str> = e1["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["ecrit", "oral"], "{symbols}");
    // Completion in the certification's set offers the qualified parts.
    let completion = client.request(
        "textDocument/completion",
        at(&uri, position_of(text, "E1/ecrit}) >= 6", 0, 0)),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .into_iter()
        .chain(completion["items"].as_array())
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"E1/ecrit") && labels.contains(&"E1/oral"),
        "{labels:?}"
    );
    let prepared = client.request(
        "textDocument/prepareRename",
        at(&uri, position_of(text, "ecrit \"Écrit", 0, 1)),
    );
    assert_eq!(prepared["placeholder"], "ecrit");
    let edit = rename(&mut client, &uri, text, "ecrit \"Écrit", "redaction").unwrap();
    let renamed = apply(text, edit["changes"][&uri].as_array().unwrap());
    for expected in [
        "part redaction \"Écrit\"",
        "and redaction >= 5",
        "sum({E1/redaction}) >= 6",
        "grades { E1/redaction 8, E1/oral 14 }",
    ] {
        assert!(renamed.contains(expected), "{expected:?} in:\n{renamed}");
    }
    assert!(!renamed.contains("ecrit"), "{renamed}");
    client.change(&uri, 2, json!([{"text": renamed}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // From a qualified use, the épreuve part of `E1/oral` renames the épreuve.
    let edit = rename(&mut client, &uri, &renamed, "E1/oral 14", "U1").unwrap();
    let again = apply(&renamed, edit["changes"][&uri].as_array().unwrap());
    for expected in [
        "assessment U1 \"Épreuve\"",
        "U1 validated and sum({U1/redaction})",
        "grades { U1/redaction 8, U1/oral 14 }",
    ] {
        assert!(again.contains(expected), "{expected:?} in:\n{again}");
    }
    client.change(&uri, 3, json!([{"text": again}]));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    client.shutdown();
}
