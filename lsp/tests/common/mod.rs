//! An in-process client: the server runs on a thread over
//! `Connection::memory()`, the test speaks JSON-RPC to it.

#![allow(dead_code, reason = "each test file uses part of the client")]

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

/// Long enough for a debug build on a busy machine; a hang is a failure.
const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Client {
    pub conn: Connection,
    server: Option<JoinHandle<acquis_lsp::Ending>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Notification>,
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn example(relative: &str) -> PathBuf {
    acquis_compiler::loader::normalize(&repo().join(relative))
}

pub fn uri(path: &Path) -> String {
    acquis_lsp::paths::to_uri(path)
        .map(|u| u.as_str().to_string())
        .unwrap_or_default()
}

impl Client {
    /// A server thread, initialised, its diagnostics in English.
    pub fn start() -> Client {
        Client::start_in("en")
    }

    /// A server thread, initialised by a client whose display language is
    /// `locale` (`initialize`'s `locale`, as VS Code sends it).
    pub fn start_in(locale: &str) -> Client {
        let mut client = Client::spawn();
        let result = client.request("initialize", json!({"capabilities": {}, "locale": locale}));
        assert!(result.get("capabilities").is_some(), "{result}");
        client.notify("initialized", json!({}));
        client
    }

    /// A server thread, not initialised.
    pub fn spawn() -> Client {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || acquis_lsp::run(&server));
        Client {
            conn,
            server: Some(handle),
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.to_string(), params).into())
            .expect("server gone");
    }

    /// Sends a request and gives its id, without waiting.
    pub fn send(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.to_string(), params).into())
            .expect("server gone");
        id
    }

    /// The response to a request, keeping notifications for later.
    pub fn response(&mut self, id: &RequestId) -> Response {
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(TIMEOUT)
                .expect("no response")
            {
                Message::Response(r) if &r.id == id => return r,
                Message::Response(_) => {}
                Message::Notification(n) => self.notifications.push(n),
                // Server-to-client requests (lens refresh): answer them.
                Message::Request(r) => {
                    let _ = self
                        .conn
                        .sender
                        .send(Response::new_ok(r.id, Value::Null).into());
                }
            }
        }
    }

    /// The result of a request; panics on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let response = self.response(&id);
        match response.response_result {
            Ok(value) => value,
            Err(e) => panic!("{method} failed: {} {}", e.code, e.message),
        }
    }

    /// The error of a request; panics on success.
    pub fn request_error(&mut self, method: &str, params: Value) -> lsp_server::ResponseError {
        let id = self.send(method, params);
        match self.response(&id).response_result {
            Ok(value) => panic!("{method} succeeded: {value}"),
            Err(e) => e,
        }
    }

    /// The next notification with this method (earlier ones first).
    pub fn notification(&mut self, method: &str) -> Notification {
        if let Some(i) = self.notifications.iter().position(|n| n.method == method) {
            return self.notifications.remove(i);
        }
        loop {
            match self
                .conn
                .receiver
                .recv_timeout(TIMEOUT)
                .expect("no notification")
            {
                Message::Notification(n) if n.method == method => return n,
                Message::Notification(n) => self.notifications.push(n),
                Message::Response(_) => {}
                Message::Request(r) => {
                    let _ = self
                        .conn
                        .sender
                        .send(Response::new_ok(r.id, Value::Null).into());
                }
            }
        }
    }

    /// The next diagnostics published for a URI.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let n = self.notification("textDocument/publishDiagnostics");
            if n.params["uri"] == uri {
                return n.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": text}}),
        );
        uri
    }

    /// Opens a file of the repository with its text on disk.
    pub fn open_example(&mut self, relative: &str) -> (String, String) {
        let path = example(relative);
        let text = std::fs::read_to_string(&path).expect("example exists");
        let uri = self.open(&path, &text);
        (uri, text)
    }

    pub fn change(&self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// `shutdown`, `exit`, and how the server ended.
    pub fn shutdown(mut self) -> acquis_lsp::Ending {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.join()
    }

    pub fn join(mut self) -> acquis_lsp::Ending {
        let handle = self.server.take().expect("running");
        handle.join().expect("server thread panicked")
    }
}

/// Position params for a text position given by a marker: the `nth`
/// occurrence of `needle` in `text`, plus `delta` characters.
pub fn position_of(text: &str, needle: &str, nth: usize, delta: usize) -> Value {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not found"));
    let offset = start
        + needle
            .chars()
            .take(delta)
            .map(char::len_utf8)
            .sum::<usize>();
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

pub fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// JSON with machine-specific paths replaced, for snapshots.
pub fn redact(value: &Value) -> Value {
    let repo = uri(&acquis_compiler::loader::normalize(&repo()));
    let support = uri(&std::env::temp_dir());
    let text = serde_json::to_string(value).unwrap_or_default();
    let text = text
        .replace(&repo, "file://$REPO")
        .replace(&support, "file://$TMP");
    serde_json::from_str(&text).unwrap_or_default()
}

/// A location as `path line:col-line:col` (0-based, UTF-16), redacted.
pub fn location(value: &Value) -> String {
    let value = redact(value);
    let uri = value["uri"]
        .as_str()
        .or(value["targetUri"].as_str())
        .unwrap_or("");
    let range = if value["range"].is_null() {
        &value["targetRange"]
    } else {
        &value["range"]
    };
    format!("{uri} {}", range_text(range))
}

pub fn range_text(range: &Value) -> String {
    format!(
        "{}:{}-{}:{}",
        range["start"]["line"],
        range["start"]["character"],
        range["end"]["line"],
        range["end"]["character"]
    )
}

/// The text a range covers in `text` (UTF-16 columns).
pub fn slice<'t>(text: &'t str, range: &Value) -> &'t str {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let character = p["character"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    &text[offset(&range["start"])..offset(&range["end"])]
}

/// Applies LSP text edits (UTF-16 ranges) to a text.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let piece = slice(text, &e["range"]);
            let start = piece.as_ptr() as usize - text.as_ptr() as usize;
            (
                start,
                start + piece.len(),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}
