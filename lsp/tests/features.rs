#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
//! Every capability on the cuisine example (two files with an import) and
//! the seed, with snapshots of the answers.

mod common;

use common::{at, location, position_of, range_text, redact, slice, Client};
use serde_json::{json, Value};

fn hover_text(client: &mut Client, uri: &str, text: &str, needle: &str, nth: usize) -> String {
    let hover = client.request(
        "textDocument/hover",
        at(uri, position_of(text, needle, nth, 1)),
    );
    let value = hover["contents"]["value"]
        .as_str()
        .unwrap_or("<no hover>")
        .to_string();
    format!("{} ({needle})\n{value}", slice(text, &hover["range"]))
}

fn cuisine() -> (Client, String, String, String, String) {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/cuisine/cuisine.acquis");
    let (puri, ptext) = client.open_example("examples/cuisine/prevention.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    (client, uri, text, puri, ptext)
}

#[test]
#[allow(clippy::vec_init_then_push, reason = "one hover per line reads better")]
fn hover_on_ids_levels_scales_rules_and_keywords() {
    let (mut client, uri, text, puri, ptext) = cuisine();
    let mut out = Vec::new();
    out.push(hover_text(&mut client, &uri, &text, "CE3 >= en_cours", 0));
    out.push(hover_text(&mut client, &uri, &text, "en_cours and (CE3", 0));
    out.push(hover_text(
        &mut client,
        &uri,
        &text,
        "C1.3 validated and socle",
        0,
    ));
    out.push(hover_text(&mut client, &uri, &text, "socle(2, 3)", 0));
    out.push(hover_text(&mut client, &uri, &text, "conformite\n", 1));
    out.push(hover_text(&mut client, &uri, &text, "covers C1.1", 0));
    out.push(hover_text(&mut client, &uri, &text, "acquisition", 0));
    out.push(hover_text(
        &mut client,
        &puri,
        &ptext,
        "C3.1 validated and any",
        0,
    ));
    out.push(hover_text(&mut client, &puri, &ptext, "n_of(3)", 0));
    out.push(hover_text(&mut client, &uri, &text, "plancher\n", 0));
    out.push(hover_text(
        &mut client,
        &uri,
        &text,
        "prevention.acquis\"",
        0,
    ));
    out.push(hover_text(
        &mut client,
        &uri,
        &text,
        "scales::acquisition",
        0,
    ));
    out.push(hover_text(&mut client, &puri, &ptext, "B3 \"Prévenir", 0));
    insta::assert_snapshot!(out.join("\n\n---\n\n"));
    client.shutdown();
}

#[test]
fn definition_of_ids_levels_imports_and_std_items() {
    let (mut client, uri, text, puri, ptext) = cuisine();
    let mut out = Vec::new();
    for (u, t, needle) in [
        (&uri, &text, "CE3 >= en_cours"),
        (&uri, &text, "en_cours and (CE3"),
        (&uri, &text, "prevention.acquis\""),
        (&uri, &text, "acquisition"),
        (&uri, &text, "n_of"),
        (&uri, &text, "socle(2, 3)"),
        (&puri, &ptext, "C3.1 validated and any"),
        (&puri, &ptext, "note_sur_20"),
    ] {
        let result = client.request(
            "textDocument/definition",
            at(u, position_of(t, needle, 0, 1)),
        );
        out.push(format!("{needle:?} -> {}", location(&result)));
    }
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn references_and_highlights_span_both_files() {
    let (mut client, uri, text, _puri, _ptext) = cuisine();
    let mut out = Vec::new();
    for needle in [
        "C1.3 \"Appliquer",
        "en_cours and (CE3",
        "socle(n, plancher)",
    ] {
        let mut params = at(&uri, position_of(&text, needle, 0, 1));
        params["context"] = json!({"includeDeclaration": true});
        let refs = client.request("textDocument/references", params);
        let mut lines: Vec<String> = refs.as_array().unwrap().iter().map(location).collect();
        lines.sort();
        out.push(format!("{needle:?}:\n  {}", lines.join("\n  ")));
    }
    let highlights = client.request(
        "textDocument/documentHighlight",
        at(&uri, position_of(&text, "C1.3 \"Appliquer", 0, 1)),
    );
    let lines: Vec<String> = highlights
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{} kind {} {:?}",
                range_text(&h["range"]),
                h["kind"],
                slice(&text, &h["range"])
            )
        })
        .collect();
    out.push(format!("highlights of C1.3:\n  {}", lines.join("\n  ")));
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn references_on_the_seed_count_every_use() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/edl/referential.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let mut params = at(&uri, position_of(&text, "C1.1 \"Analyser", 0, 1));
    params["context"] = json!({"includeDeclaration": false});
    let refs = client.request("textDocument/references", params);
    let places: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| slice(&text, &r["range"]))
        .collect();
    // `covers C1.1, C1.2` and `jointly C1.1, C1.2` in E1, and an `expect`.
    assert_eq!(places, ["C1.1", "C1.1", "C1.1"]);
    let hover = hover_text(&mut client, &uri, &text, "C1.3 \"", 0);
    insta::assert_snapshot!(hover);
    client.shutdown();
}

fn labels(completion: &Value) -> Vec<String> {
    completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

const BASE: &str = "referential R \"t\" { lang fr }\nuse std::scales::acquisition\nrule deux(n) = at least n of criteria acquired\nscale s \"s\" {\n  levels bas < haut\n  pass haut\n}\ndefaults {\n  criterion scale acquisition\n}\nblock B \"b\" {\n  competency C1 \"c\" {\n    criterion CE1 \"x\" { scale s indicator \"i\" }\n    criterion CE2 \"y\" { scale s indicator \"i\" }\n    validated when CE1 = haut and CE2 acquired\n  }\n  assessment E \"e\" { covers C1 }\n  validated when all competencies validated\n}\ncertification validated when all blocks validated\nexample \"ex\" {\n  grades { C1/CE1 haut, C1/CE2 bas }\n  expect C1 validated\n}\n";

/// The text with one edit, and the cursor where `‸` is.
fn typed(find: &str, replace: &str) -> (String, Value) {
    assert!(BASE.contains(find), "{find}");
    let edited = BASE.replacen(find, replace, 1);
    let position = position_of(&edited, "‸", 0, 0);
    (edited.replace('‸', ""), position)
}

#[test]
fn completion_in_context() {
    let mut client = Client::start();
    let uri = client.open(&common::example("lsp/tests/completion.acquis"), BASE);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let mut out = Vec::new();
    let cases = [
        (
            "after `use`",
            "use std::scales::acquisition\n",
            "use std::scales::acquisition\nuse ‸\n",
        ),
        (
            "after `use std::`",
            "use std::scales::acquisition\n",
            "use std::scales::acquisition\nuse std::‸\n",
        ),
        (
            "after `use std::rules::`",
            "use std::scales::acquisition\n",
            "use std::scales::acquisition\nuse std::rules::‸\n",
        ),
        ("after `pass`", "pass haut", "pass ‸"),
        (
            "after `scale` in a criterion",
            "{ scale s indicator \"i\" }\n    validated",
            "{ scale ‸ indicator \"i\" }\n    validated",
        ),
        (
            "after a comparison",
            "CE1 = haut and CE2 acquired\n",
            "CE1 >= ‸\n",
        ),
        (
            "after a comparison on a set",
            "CE1 = haut and CE2 acquired\n",
            "all criteria >= ‸\n",
        ),
        (
            "after `pass` in a criterion",
            "{ scale s indicator \"i\" }\n    validated",
            "{ scale s pass ‸ indicator \"i\" }\n    validated",
        ),
        ("after `validated when`", "when CE1 = haut", "when ‸"),
        (
            "after `and`, a word begun",
            "CE2 acquired\n",
            "CE2 acquired and C‸\n",
        ),
        (
            "start of a line in a competency",
            "    validated when CE1",
            "    ‸\n    validated when CE1",
        ),
        (
            "start of a line in a block",
            "  assessment E",
            "  ‸\n  assessment E",
        ),
        (
            "start of a line in an assessment",
            "{ covers C1 }",
            "{\n    ‸\n  }",
        ),
        ("after `covers`", "covers C1 }", "covers ‸ }"),
        (
            "after `absent` in a scale",
            "  pass haut\n",
            "  pass haut\n  absent ‸\n",
        ),
        (
            "after `absent counts as` in a scale",
            "  pass haut\n",
            "  pass haut\n  absent counts as ‸\n",
        ),
        ("a grade's id", "C1/CE2 bas }", "C1/CE2 bas, ‸ }"),
        ("a grade's level", "C1/CE2 bas }", "C1/CE2 ‸ }"),
        (
            "after `expect`",
            "expect C1 validated",
            "expect C1 validated, ‸",
        ),
        (
            "top level",
            "certification validated",
            "‸\ncertification validated",
        ),
        (
            "in a comment",
            "certification validated",
            "// all ‸\ncertification validated",
        ),
        ("in a string", "example \"ex\"", "example \"e‸x\""),
    ];
    for (version, (label, find, replace)) in cases.into_iter().enumerate() {
        let (text, position) = typed(find, replace);
        client.change(&uri, version as i32 + 2, json!([{"text": text}]));
        let result = client.request("textDocument/completion", at(&uri, position));
        out.push(format!("{label}: {}", labels(&result).join(" ")));
    }
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn a_grade_may_be_abs_where_the_referential_says_what_absence_counts_as() {
    let mut client = Client::start();
    let clean = BASE.replacen("  pass haut\n", "  pass haut\n  absent counts as bas\n", 1);
    let uri = client.open(&common::example("lsp/tests/absent.acquis"), &clean);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let edited = clean.replacen("C1/CE2 bas }", "C1/CE2 ‸ }", 1);
    let position = position_of(&edited, "‸", 0, 0);
    client.change(&uri, 2, json!([{"text": edited.replace('‸', "")}]));
    let result = client.request("textDocument/completion", at(&uri, position));
    assert_eq!(labels(&result), ["bas", "haut", "ABS"]);
    let abs = &result.as_array().unwrap()[2];
    assert_eq!(abs["detail"], "absent: counts as bas");
    // Without an absence rule, `ABS` is not offered.
    let (text, position) = typed("C1/CE2 bas }", "C1/CE2 ‸ }");
    client.change(&uri, 3, json!([{"text": text}]));
    let result = client.request("textDocument/completion", at(&uri, position));
    assert_eq!(labels(&result), ["bas", "haut"]);
    client.shutdown();
}

#[test]
fn snippets_for_a_new_competency_and_criterion() {
    let mut client = Client::start();
    let text = "block B \"b\" {\n  \n  competency C \"c\" {\n    \n  }\n}\n";
    let uri = client.open(&common::example("lsp/tests/snippets.acquis"), text);
    let block = client.request(
        "textDocument/completion",
        at(&uri, json!({"line": 1, "character": 2})),
    );
    let competency = client.request(
        "textDocument/completion",
        at(&uri, json!({"line": 3, "character": 4})),
    );
    let snippets: Vec<Value> = [block, competency]
        .iter()
        .flat_map(|c| {
            c.as_array()
                .unwrap()
                .iter()
                .filter(|i| i["kind"] == 15)
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    insta::assert_json_snapshot!(snippets);
    client.shutdown();
}

#[test]
fn document_and_workspace_symbols() {
    let (mut client, _uri, _text, puri, _ptext) = cuisine();
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": puri}}),
    );
    fn outline(symbols: &Value, depth: usize, out: &mut Vec<String>) {
        for s in symbols.as_array().into_iter().flatten() {
            out.push(format!(
                "{}{} [{}] {}",
                "  ".repeat(depth),
                s["name"].as_str().unwrap(),
                s["kind"],
                range_text(&s["range"])
            ));
            outline(&s["children"], depth + 1, out);
        }
    }
    let mut out = Vec::new();
    outline(&symbols, 0, &mut out);
    let found = client.request("workspace/symbol", json!({"query": "c3."}));
    for s in found.as_array().unwrap() {
        out.push(format!(
            "workspace: {} in {} at {}",
            s["name"].as_str().unwrap(),
            s["containerName"],
            location(&s["location"])
        ));
    }
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn the_seed_outline_has_every_block_competency_and_criterion() {
    let mut client = Client::start();
    let (uri, _text) = client.open_example("examples/edl/referential.acquis");
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
    let children = |s: &Value, kind: u64| -> Vec<Value> {
        s["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["kind"] == kind)
            .cloned()
            .collect()
    };
    let competencies: Vec<Value> = blocks.iter().flat_map(|b| children(b, 5)).collect();
    assert_eq!(competencies.len(), 31);
    let own: usize = competencies.iter().map(|c| children(c, 8).len()).sum();
    let shared: usize = blocks
        .iter()
        .flat_map(|b| children(b, 24))
        .map(|a| children(&a, 8).len())
        .sum();
    assert_eq!(own + shared, 115);
    client.shutdown();
}

#[test]
fn folding_and_selection_ranges() {
    let (mut client, _uri, _text, puri, ptext) = cuisine();
    let folds = client.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": puri}}),
    );
    let folds: Vec<String> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}-{} {}", f["startLine"], f["endLine"], f["kind"]))
        .collect();
    let selection = client.request(
        "textDocument/selectionRange",
        json!({"textDocument": {"uri": puri}, "positions": [position_of(&ptext, "min(criteria) >= 8", 0, 5)]}),
    );
    let mut chain = Vec::new();
    let mut current = &selection[0];
    while !current.is_null() {
        let piece = slice(&ptext, &current["range"]);
        chain.push(format!(
            "{} {:?}",
            range_text(&current["range"]),
            piece.chars().take(60).collect::<String>()
        ));
        current = &current["parent"];
    }
    insta::assert_snapshot!(format!(
        "folding:\n{}\n\nselection:\n{}",
        folds.join("\n"),
        chain.join("\n")
    ));
    client.shutdown();
}

/// Semantic tokens decoded back to `line:col text type` lines.
fn decode_tokens(text: &str, data: &Value) -> Vec<String> {
    let types = [
        "keyword",
        "string",
        "number",
        "comment",
        "block",
        "competency",
        "assessment",
        "criterion",
        "scale",
        "level",
        "rule",
        "parameter",
    ];
    let numbers: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut col) = (0u64, 0u64);
    let mut out = Vec::new();
    for chunk in numbers.chunks(5) {
        if chunk[0] > 0 {
            line += chunk[0];
            col = chunk[1];
        } else {
            col += chunk[1];
        }
        let range = json!({"start": {"line": line, "character": col}, "end": {"line": line, "character": col + chunk[2]}});
        out.push(format!(
            "{line}:{col} {:?} {} {}",
            slice(text, &range),
            types[chunk[3] as usize],
            chunk[4]
        ));
    }
    out
}

#[test]
fn semantic_tokens() {
    let mut client = Client::start();
    let text = "// École « hôtelière » 🎓\nreferential R \"Référentiel’s\" { lang fr }\nuse std::scales::acquisition\nscale s \"s\" {\n  levels bas < haut\n  pass haut\n}\nblock B \"b\" {\n  summary \"\"\"\n    long\n  \"\"\"\n  competency C1 \"c\" {\n    criterion CE1 \"x\" { scale s indicator \"i\" }\n    validated when CE1 >= bas and at least 1 of criteria acquired\n  }\n  assessment E \"e\" { covers C1 }\n  validated when all competencies validated\n}\ncertification validated when B validated\n";
    let uri = client.open(&common::example("lsp/tests/tokens.acquis"), text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let decoded = decode_tokens(text, &tokens["data"]);
    let ranged = client.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 13, "character": 0}, "end": {"line": 14, "character": 0}}}),
    );
    let ranged = decode_tokens(text, &ranged["data"]);
    // The range answer is the same tokens as the full one on that line
    // (the first one re-anchored at the range).
    assert!(ranged.iter().all(|t| t.starts_with("13:")), "{ranged:?}");
    assert_eq!(
        ranged.len(),
        decoded.iter().filter(|t| t.starts_with("13:")).count()
    );
    insta::assert_snapshot!(decoded.join("\n"));
    client.shutdown();
}

#[test]
fn code_actions_from_suggestions_and_structure() {
    let mut client = Client::start();
    let text = "referential R \"t\" { lang fr }\nuse std::scales::acquisition\ndefaults { criterion scale acquisition }\nblock B \"b\" {\n  competency C1 \"c\" {\n    criterion CE1 \"x\" { indicator \"i\" }\n    validated when CE1 >= acquise\n  }\n  competency C2 \"d\" {\n    criterion CE1 \"x\" { indicator \"i\" }\n    criterion CE2 \"y\" { scale note_sur_20 indicator \"i\" }\n    validated when n_of(2)\n  }\n  assessment E \"e\" { covers C1 }\n}\ncertification validated when all blocks validated\n";
    let uri = client.open(&common::example("lsp/tests/actions.acquis"), text);
    let diagnostics = client.diagnostics(&uri);
    let mut out = Vec::new();
    for d in &diagnostics {
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        for a in actions.as_array().unwrap() {
            let edits = &redact(&a["edit"])["changes"];
            let edits: Vec<String> = edits
                .as_object()
                .unwrap()
                .values()
                .flat_map(|v| v.as_array().unwrap().clone())
                .map(|e| {
                    format!(
                        "{} {:?}",
                        range_text(&e["range"]),
                        e["newText"].as_str().unwrap()
                    )
                })
                .collect();
            out.push(format!(
                "{} [{}]: {} -> {}",
                d["code"],
                a["kind"],
                a["title"],
                edits.join("; ")
            ));
        }
    }
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn inlay_hints_give_set_sizes() {
    let (mut client, uri, text, _puri, _ptext) = cuisine();
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9999, "character": 0}}}),
    );
    let lines: Vec<String> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let p = &h["position"];
            let line = text
                .lines()
                .nth(p["line"].as_u64().unwrap() as usize)
                .unwrap()
                .trim();
            format!(
                "{}:{} {:?} in `{line}`",
                p["line"],
                p["character"],
                h["label"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
    client.shutdown();
}

/// On the seed, as docs/editors.md says: the scale each criterion inherits
/// from `defaults` and the default rule of each competency and block that
/// has none of its own (the server once gave the seed one hint, a set
/// size; then it missed the 14 criteria shared in `jointly` groups).
#[test]
fn inlay_hints_on_the_seed_show_inherited_scales_and_default_rules() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/edl/referential.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99999, "character": 0}}}),
    );
    let on = |kind: &str, label: &str| {
        hints
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["label"].as_str().is_some_and(|l| l.starts_with(label)))
            .filter(|h| {
                let line = h["position"]["line"].as_u64().unwrap() as usize;
                text.lines()
                    .nth(line)
                    .unwrap()
                    .trim_start()
                    .starts_with(kind)
            })
            .count()
    };
    // Every criterion shows the scale it inherits (none names its own),
    // those shared by two competencies (`jointly`, in an assessment) too.
    let criteria = text
        .lines()
        .filter(|l| l.trim_start().starts_with("criterion ") && l.contains('"'))
        .count();
    assert_eq!(criteria, 115);
    assert_eq!(on("criterion ", " scale acquisition"), criteria);
    assert_eq!(on("competency ", " validated when "), 31);
    assert_eq!(on("block ", " validated when "), 4);
    client.shutdown();
}

#[test]
fn code_lenses_run_examples_through_a_command() {
    let (mut client, uri, text, _puri, _ptext) = cuisine();
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lenses = lenses.as_array().unwrap().clone();
    assert!(!lenses.is_empty());
    let mut out = Vec::new();
    for lens in &lenses {
        out.push(format!(
            "{} {:?}",
            slice(&text, &lens["range"]),
            lens["command"]["title"].as_str().unwrap()
        ));
        let command = &lens["command"];
        let result = client.request(
            "workspace/executeCommand",
            json!({"command": command["command"], "arguments": command["arguments"]}),
        );
        out.push(format!(
            "  -> passed {} checked {} failures {}",
            result["passed"], result["checked"], result["failures"]
        ));
        let message = client.notification("window/showMessage");
        out.push(format!(
            "  message: {}",
            message.params["message"].as_str().unwrap()
        ));
    }
    let after = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    for lens in after.as_array().unwrap() {
        out.push(format!(
            "after: {}",
            lens["command"]["title"].as_str().unwrap()
        ));
    }
    let error = client.request_error(
        "workspace/executeCommand",
        json!({"command": "acquis.runExample", "arguments": [uri, "no such example"]}),
    );
    out.push(format!("unknown example: {} {}", error.code, error.message));
    insta::assert_snapshot!(out.join("\n"));
    client.shutdown();
}

#[test]
fn a_failing_example_shows_in_its_lens_and_errors_refuse_to_run() {
    let mut client = Client::start();
    let text = "referential R \"t\" { lang en }\nuse std::scales::acquisition\ndefaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}\nblock B \"b\" {\n  competency C \"c\" { criterion CE1 \"x\" { indicator \"i\" } }\n  assessment E \"e\" { covers C }\n}\ncertification validated when all blocks validated\nexample \"wrong on purpose\" {\n  grades { C/CE1 en_cours }\n  expect C validated\n}\n";
    let uri = client.open(&common::example("lsp/tests/failing.acquis"), text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let arguments = json!([uri, "wrong on purpose"]);
    let result = client.request(
        "workspace/executeCommand",
        json!({"command": "acquis.runExample", "arguments": arguments}),
    );
    assert_eq!(result["passed"], false);
    assert_eq!(result["failures"][0]["actual"], "not_validated");
    let message = client.notification("window/showMessage");
    assert_eq!(message.params["type"], 2);
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(lenses[0]["command"]["title"], "✗ 1 of 1 failed · run again");
    // With an error in the referential, running is refused, not wrong.
    client.change(
        &uri,
        2,
        json!([{"text": text.replace("covers C }", "covers D }")}]),
    );
    assert!(!client.diagnostics(&uri).is_empty());
    let error = client.request_error(
        "workspace/executeCommand",
        json!({"command": "acquis.runExample", "arguments": arguments}),
    );
    assert_eq!(error.code, -32803);
    client.shutdown();
}

/// Assessments that carry marks (tests/fixtures/parts/compensation.acquis):
/// an épreuve's hover lists its parts (coefficient, duration, form) and its
/// rule, a certification-level one says so, and a part's keyword has help.
#[test]
fn hover_on_epreuves_with_parts() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("tests/fixtures/parts/compensation.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let out = [
        hover_text(&mut client, &uri, &text, "E1 \"Culture", 0),
        hover_text(&mut client, &uri, &text, "EF \"Entretien", 0),
        hover_text(&mut client, &uri, &text, "part ecrit", 0),
        hover_text(&mut client, &uri, &text, "EF validated", 0),
        hover_text(&mut client, &uri, &text, "E1/ecrit, E2", 0),
        hover_text(&mut client, &uri, &text, "ecrit, E2", 0),
    ];
    insta::assert_snapshot!(out.join("\n\n---\n\n"));
    client.shutdown();
}
