//! End to end: `acquis lsp` as a process over stdio, as an editor runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdout, Stdio};

use serde_json::{json, Value};

use crate::common;

fn send(stdin: &mut impl Write, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn receive(stdout: &mut BufReader<ChildStdout>) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the server closed its output"
        );
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    stdout.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// Reads messages until one satisfies `wanted`.
fn until(stdout: &mut BufReader<ChildStdout>, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let message = receive(stdout);
        if wanted(&message) {
            return message;
        }
    }
}

#[test]
fn an_editor_session_over_stdio() {
    let mut child = common::command()
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let dir = common::TempDir::new("session");
    let uri = format!("file://{}/r%C3%A9f.acquis", dir.display());

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    let init = until(&mut stdout, |m| m["id"] == 1);
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        2
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );

    let text = "referential R \"Référentiel\" { lang fr }\nuse std::scales::acquisition\ndefaults {\n  criterion scale acquisition\n  block validated when all competencies validated\n}\nblock B \"b\" {\n  competency C1 \"c\" {\n    criterion CE1 \"x\" { indicator \"i\" }\n    validated when CE2 acquired\n  }\n  assessment E \"e\" { covers C1 }\n}\ncertification validated when all blocks validated\n";
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": text}}}),
    );
    let published = until(&mut stdout, |m| {
        m["method"] == "textDocument/publishDiagnostics"
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "A0202");

    // Fix it: CE2 → CE1.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 9, "character": 21}, "end": {"line": 9, "character": 22}}, "text": "1"}]
        }}),
    );
    let cleared = until(&mut stdout, |m| {
        m["method"] == "textDocument/publishDiagnostics"
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(cleared["params"]["version"], 2);

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 9, "character": 20}
        }}),
    );
    let hover = until(&mut stdout, |m| m["id"] == 2);
    assert!(hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .starts_with("**criterion** `C1/CE1`"));

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    );
    let shutdown = until(&mut stdout, |m| m["id"] == 3);
    assert_eq!(shutdown["result"], Value::Null);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes one frame around raw bytes, valid JSON or not.
fn send_raw(stdin: &mut impl Write, body: &[u8]) {
    write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
    stdin.write_all(body).unwrap();
    stdin.flush().unwrap();
}

/// A message that is not valid JSON-RPC gets the error JSON-RPC asks for,
/// and the server keeps serving (it used to exit without a word).
#[test]
fn invalid_messages_are_answered_and_the_server_goes_on() {
    let mut child = common::command()
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    until(&mut stdout, |m| m["id"] == 1);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    for (body, code, id) in [
        (
            &b"{\"jsonrpc\": \"2.0\", \"id\": 4, "[..],
            -32700,
            Value::Null,
        ),
        (b"[]", -32600, Value::Null),
        (b"5", -32600, Value::Null),
        (b"\xc3\x28", -32700, Value::Null),
        (
            br#"{"jsonrpc": "2.0", "id": 9, "method": null}"#,
            -32600,
            json!(9),
        ),
    ] {
        send_raw(&mut stdin, body);
        let answer = until(&mut stdout, |m| m.get("error").is_some());
        assert_eq!(answer["error"]["code"], code, "{answer}");
        assert_eq!(answer["id"], id, "{answer}");
        assert_eq!(answer["jsonrpc"], "2.0");
    }
    // A line of 100 KB that cannot be a header: skipped up to the next
    // frame, answered, and the server goes on.
    stdin.write_all(&vec![b'x'; 100_000]).unwrap();
    stdin.flush().unwrap();
    // Still serving.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    );
    let skipped = until(&mut stdout, |m| m.get("error").is_some());
    assert_eq!(skipped["error"]["code"], -32700, "{skipped}");
    let shutdown = until(&mut stdout, |m| m["id"] == 3);
    assert_eq!(shutdown["result"], Value::Null);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// A client that sends its requests and `shutdown` at once, before the
/// analysis of the text it opened is done: every request is answered
/// (from that analysis), then `shutdown`, in order, and the session ends
/// cleanly. (Requests waiting for the analysis were dropped at `exit`.)
#[test]
fn requests_sent_with_shutdown_are_all_answered() {
    let dir = common::TempDir::new("burst");
    let uri = format!("file://{}/r.acquis", dir.display());
    let text =
        std::fs::read_to_string(common::root().join("examples/edl/referential.acquis")).unwrap();
    let mut input = Vec::new();
    let mut frame = |message: Value| {
        let body = message.to_string();
        input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
    };
    frame(
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}),
    );
    frame(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    frame(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": text}}}),
    );
    let document = json!({"textDocument": {"uri": uri}});
    for (id, method) in [
        "textDocument/semanticTokens/full",
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
    ]
    .iter()
    .enumerate()
    {
        frame(json!({"jsonrpc": "2.0", "id": id + 1, "method": method, "params": document}));
    }
    frame(json!({"jsonrpc": "2.0", "id": 9, "method": "shutdown"}));
    frame(json!({"jsonrpc": "2.0", "method": "exit"}));
    let run = common::Acquis::new(&["lsp"])
        .stdin(&String::from_utf8(input).unwrap())
        .run();
    run.assert_code(0);
    let answered: Vec<i64> = run
        .stdout
        .split("Content-Length: ")
        .filter_map(|frame| frame.split_once("\r\n\r\n"))
        .filter_map(|(_, body)| serde_json::from_str::<Value>(body).ok())
        .filter(|m| m.get("result").is_some_and(|r| !r.is_null()) || m["id"] == 9)
        .filter_map(|m| m["id"].as_i64())
        .collect();
    assert_eq!(answered, [0, 1, 2, 3, 9], "{}", run.stdout);
}
