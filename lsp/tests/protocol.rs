#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]
//! The protocol itself: sync, diagnostics pushed and cleared, requests
//! before `initialize`, unknown methods, cancellation, shutdown and exit.

mod common;

use common::{at, example, position_of, Client};
use serde_json::{json, Value};

const BROKEN: &str = "referential R \"t\" { lang en }\nuse std::scales::acquisition\ndefaults {\n  criterion scale acquisition\n  block validated when all competencies validated\n}\nblock B \"b\" {\n  competency C \"c\" {\n    criterion CE1 \"x\" { indicator \"i\" }\n    validated when CE2 acquired\n  }\n  assessment E \"e\" { covers C }\n}\ncertification validated when all blocks validated\n";

#[test]
fn diagnostics_are_pushed_then_cleared_when_fixed_and_on_close() {
    let mut client = Client::start();
    let path = example("lsp/tests/fixtures/broken.acquis");
    let uri = client.open(&path, BROKEN);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "A0202");
    assert_eq!(d["severity"], 1);
    assert!(d["message"].as_str().unwrap().contains("unknown id `CE2`"));
    let href = d["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.ends_with("diagnostics.md#a0202-unknown-reference"),
        "{href}"
    );
    assert_eq!(d["range"]["start"], json!({"line": 9, "character": 19}));
    // Fix it with an incremental edit: CE2 → CE1.
    client.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 9, "character": 21}, "end": {"line": 9, "character": 22}}, "text": "1"}]),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // Break it again, then close: the close clears.
    client.change(
        &uri,
        3,
        json!([{"range": {"start": {"line": 9, "character": 21}, "end": {"line": 9, "character": 22}}, "text": "9"}]),
    );
    assert_eq!(client.diagnostics(&uri).len(), 1);
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.shutdown(), acquis_lsp::Ending::Clean);
}

#[test]
fn diagnostics_speak_the_clients_language() {
    let mut client = Client::start_in("fr-FR");
    let path = example("lsp/tests/fixtures/broken.acquis");
    let uri = client.open(&path, BROKEN);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    // The code never changes; the words are French.
    assert_eq!(d["code"], "A0202");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`CE2`"), "{message}");
    for english in ["unknown", "help:", " the ", "did you mean"] {
        assert!(!message.contains(english), "{english:?} in {message}");
    }
    assert_eq!(client.shutdown(), acquis_lsp::Ending::Clean);
}

#[test]
fn diagnostics_carry_related_information() {
    let mut client = Client::start();
    let text = BROKEN.replace(
        "validated when CE2 acquired",
        "criterion CE1 \"y\" { indicator \"j\" }",
    );
    let uri = client.open(&example("lsp/tests/fixtures/dup.acquis"), &text);
    let diagnostics = client.diagnostics(&uri);
    let dup = diagnostics
        .iter()
        .find(|d| d["code"] == "A0201")
        .expect("duplicate reported");
    let related = dup["relatedInformation"].as_array().unwrap();
    assert!(
        related.iter().any(|r| r["message"] == "first defined here"),
        "{related:?}"
    );
    assert_eq!(
        related
            .iter()
            .find(|r| r["message"] == "first defined here")
            .unwrap()["location"]["range"]["start"]["line"],
        8
    );
}

#[test]
fn requests_before_initialize_are_refused_and_exit_without_shutdown_is_abrupt() {
    let mut client = Client::spawn();
    let error = client.request_error("textDocument/hover", json!({}));
    assert_eq!(error.code, -32002);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), acquis_lsp::Ending::Abrupt);
}

#[test]
fn unknown_methods_and_bad_params_get_errors() {
    let mut client = Client::start();
    assert_eq!(
        client
            .request_error("textDocument/unheardOf", json!({}))
            .code,
        -32601
    );
    assert_eq!(
        client
            .request_error("textDocument/hover", json!({"nonsense": 1}))
            .code,
        -32602
    );
    // Commands too: their parameters are read as every request's are.
    assert_eq!(
        client
            .request_error("workspace/executeCommand", json!({"arguments": []}))
            .code,
        -32602
    );
    // A file nobody opened: an answer, null.
    let hover = client.request(
        "textDocument/hover",
        at("file:///nowhere.acquis", json!({"line": 0, "character": 0})),
    );
    assert_eq!(hover, Value::Null);
    client.shutdown();
}

#[test]
fn requests_after_shutdown_are_invalid_and_exit_is_clean() {
    let mut client = Client::start();
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    assert_eq!(
        client.request_error("textDocument/hover", json!({})).code,
        -32600
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), acquis_lsp::Ending::Clean);
}

#[test]
fn a_request_waiting_for_a_stale_analysis_can_be_canceled() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/edl/referential.acquis");
    // The request waits for the analysis of the open; cancel it at once.
    let id = client.send(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1.3", 0, 1)),
    );
    let raw: i32 = serde_json::from_value(serde_json::to_value(&id).unwrap()).unwrap();
    client.notify("$/cancelRequest", json!({"id": raw}));
    let response = client.response(&id);
    match response.response_result {
        // Either canceled while waiting, or answered before the cancel came.
        Err(e) => assert_eq!(e.code, -32800),
        Ok(value) => assert!(value["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("C1.3")),
    }
    // The server still answers afterwards.
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1.3", 0, 1)),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("competency"));
    client.shutdown();
}

#[test]
fn unsaved_buffers_take_precedence_over_the_disk_for_imports() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/cuisine/cuisine.acquis");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // The main file names a competency that only the unsaved buffer of the
    // imported file has.
    let renamed = text.replace("C3.1", "C3.9");
    client.change(&uri, 2, json!([{"text": renamed}]));
    assert!(
        !client.diagnostics(&uri).is_empty(),
        "the disk's prevention.acquis has no C3.9"
    );
    let path = example("examples/cuisine/prevention.acquis");
    let buffer = std::fs::read_to_string(&path)
        .unwrap()
        .replace("C3.1", "C3.9");
    let puri = client.open(&path, &buffer);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.diagnostics(&puri), Vec::<Value>::new());
    // Only the imported file open: it is analysed with the main file that
    // imports it (found next to it), so no "missing header".
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let diagnostics = client.diagnostics(&puri);
    assert!(
        diagnostics.iter().all(|d| d["code"] != "A0207"),
        "{diagnostics:?}"
    );
    client.shutdown();
}

#[test]
fn rapid_edits_are_coalesced_and_requests_see_the_last_text() {
    let mut client = Client::start();
    let path = example("lsp/tests/rapid.acquis");
    let uri = client.open(&path, BROKEN);
    assert_eq!(client.diagnostics(&uri).len(), 1);
    // Type `CE1` over `CE2` one keystroke at a time, as fast as possible.
    let keystrokes = ["", "C", "CE", "CE1"];
    for (i, typed) in keystrokes.iter().enumerate() {
        client.change(
            &uri,
            i as i32 + 2,
            json!([{"range": {"start": {"line": 9, "character": 19}, "end": {"line": 9, "character": 19 + if i == 0 { 3 } else { i as u32 - 1 }}}, "text": typed}]),
        );
    }
    // A request sent right after waits for the analysis of the last text.
    let text = BROKEN.replace("CE2 acquired", "CE1 acquired");
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "CE1 acquired", 0, 1)),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**criterion** `C/CE1`"),
        "{hover}"
    );
    // The last version's diagnostics are published (empty), whatever
    // intermediate versions were skipped.
    loop {
        let n = client.notification("textDocument/publishDiagnostics");
        if n.params["version"] == 5 {
            assert_eq!(n.params["diagnostics"], json!([]));
            break;
        }
    }
    client.shutdown();
}

#[test]
fn the_capabilities_offered() {
    let mut client = Client::spawn();
    let result = client.request("initialize", json!({"capabilities": {}}));
    insta::assert_json_snapshot!(result);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), acquis_lsp::Ending::Abrupt);
}

#[test]
fn a_request_overtaken_by_an_edit_is_answered_content_modified() {
    let mut client = Client::start();
    let (uri, text) = client.open_example("examples/edl/referential.acquis");
    // Sent against version 1, then the text changes before it is answered.
    let id = client.send(
        "textDocument/hover",
        at(&uri, position_of(&text, "C1.3", 0, 1)),
    );
    client.change(&uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "// x\n"}]));
    match client.response(&id).response_result {
        // Overtaken (the usual case), or answered before the edit arrived.
        Err(e) => assert_eq!(e.code, -32801),
        Ok(value) => assert!(value["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("C1.3")),
    }
    client.shutdown();
}

#[test]
fn an_unread_criterion_is_tagged_unnecessary() {
    let mut client = Client::start();
    let text = BROKEN.replace(
        "    validated when CE2 acquired",
        "    criterion CE2 \"y\" { indicator \"j\" }\n    validated when CE1 acquired",
    );
    let uri = client.open(&example("lsp/tests/fixtures/unread.acquis"), &text);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "A0502");
    assert_eq!(diagnostics[0]["severity"], 2);
    assert_eq!(diagnostics[0]["tags"], json!([1]));
    client.shutdown();
}
