//! `cargo bench -p acquis-lsp --bench lsp`: drives the language server
//! through JSON-RPC, in process over `Connection::memory()`, as an editor
//! would: the time from a `didChange` to the `publishDiagnostics` of that
//! version, on the seed and on a 100,000-line synthetic referential, and
//! the time of hover, definition and completion on the seed. Prints a
//! Markdown table; docs/performance.md records the figures.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

struct Client {
    conn: Connection,
    next_id: i32,
}

impl Client {
    fn start() -> Option<(Client, std::thread::JoinHandle<acquis_lsp::Ending>)> {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || acquis_lsp::run(&server));
        let mut client = Client { conn, next_id: 0 };
        client.request("initialize", json!({"capabilities": {}}))?;
        client.notify("initialized", json!({}));
        Some((client, handle))
    }

    fn notify(&self, method: &str, params: Value) {
        let _ = self
            .conn
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    fn request(&mut self, method: &str, params: Value) -> Option<Value> {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.conn.sender.send(request.into()).ok()?;
        loop {
            match self.conn.receiver.recv().ok()? {
                Message::Response(r) if r.id == id => return r.response_result.ok(),
                _ => {}
            }
        }
    }

    /// Waits for the diagnostics of one version of a document.
    fn diagnostics(&self, uri: &str, version: i32) -> Option<Value> {
        loop {
            if let Message::Notification(n) = self.conn.receiver.recv().ok()? {
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == uri
                    && n.params["version"] == version
                {
                    return Some(n.params["diagnostics"].clone());
                }
            }
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A referential of `blocks` blocks of 10 competencies × 5 criteria of 3
/// indicators, one assessment per competency, several rule forms.
fn synthetic(blocks: usize) -> String {
    let mut s = String::new();
    s.push_str("referential SYN \"Référentiel synthétique d’essai\" {\n  lang fr\n}\nuse std::scales::acquisition\nuse std::rules::n_of\n");
    s.push_str("defaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  block validated when all competencies validated\n}\n");
    for b in 1..=blocks {
        s.push_str(&format!(
            "block B{b} \"Bloc {b} : concevoir et réaliser\" {{\n"
        ));
        for c in 1..=10 {
            s.push_str(&format!(
                "  competency C{b}.{c} \"Compétence {c} du bloc {b}\" {{\n"
            ));
            for k in 1..=5 {
                s.push_str(&format!("    criterion CE{k} \"Critère {k}\" {{\n"));
                for i in 1..=3 {
                    s.push_str(&format!("      indicator \"Indicateur {i} du critère {k}, observé en situation.\"\n"));
                }
                s.push_str("    }\n");
            }
            match c % 3 {
                0 => s.push_str(
                    "    validated when at least 4 of criteria acquired and CE5 acquired\n",
                ),
                1 => s.push_str("    validated when n_of(3) and CE1 >= en_cours\n"),
                _ => {}
            }
            s.push_str("  }\n");
            s.push_str(&format!(
                "  assessment E{b}.{c} \"Épreuve {c}\" {{\n    covers C{b}.{c}\n  }}\n"
            ));
        }
        s.push_str("}\n");
    }
    s.push_str("certification validated when all blocks validated\n");
    s
}

fn uri_of(path: &Path) -> String {
    acquis_lsp::paths::to_uri(path)
        .map(|u| u.as_str().to_string())
        .unwrap_or_default()
}

/// Median time from `didChange` to its `publishDiagnostics`. Each edit
/// replaces the character at `at` (in a title: the text stays valid).
fn edit_to_diagnostics(
    client: &Client,
    uri: &str,
    runs: usize,
    first_version: i32,
    at: &Value,
) -> Duration {
    let line = at["line"].as_u64().unwrap_or(0);
    let character = at["character"].as_u64().unwrap_or(0);
    let mut samples = Vec::new();
    for run in 0..runs {
        let version = first_version + run as i32;
        let letter = if run % 2 == 0 { "X" } else { "Y" };
        let start = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 1}}, "text": letter}
            ]}),
        );
        if client.diagnostics(uri, version).is_none() {
            break;
        }
        samples.push(start.elapsed());
    }
    median(samples)
}

fn request_time(client: &mut Client, method: &str, params: &Value, runs: usize) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        if client.request(method, params.clone()).is_none() {
            break;
        }
        samples.push(start.elapsed());
    }
    median(samples)
}

/// Line and UTF-16 column of the first `needle` in `text`, plus `delta`.
fn position(text: &str, needle: &str, delta: usize) -> Value {
    let offset = text.find(needle).unwrap_or(0) + delta;
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seed_path =
        acquis_compiler::loader::normalize(&root.join("examples/edl/referential.acquis"));
    let Ok(seed) = std::fs::read_to_string(&seed_path) else {
        eprintln!("cannot read the seed");
        return;
    };
    let Some((mut client, handle)) = Client::start() else {
        eprintln!("the server did not start");
        return;
    };
    let mut rows: Vec<(String, String, String)> = Vec::new();

    let uri = uri_of(&seed_path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": seed}}),
    );
    let _ = client.diagnostics(&uri, 1);
    let first_line = json!({"line": 0, "character": 13});
    let change = edit_to_diagnostics(&client, &uri, 41, 2, &first_line);
    rows.push((
        "didChange → publishDiagnostics, seed (median of 41)".into(),
        "< 30 ms".into(),
        ms(change),
    ));
    let at = |needle: &str, delta: usize| json!({"textDocument": {"uri": uri}, "position": position(&seed, needle, delta)});
    let hover = request_time(&mut client, "textDocument/hover", &at("C1.3 \"", 1), 201);
    rows.push((
        "hover on a competency, seed (median of 201)".into(),
        "< 5 ms".into(),
        ms(hover),
    ));
    let definition = request_time(
        &mut client,
        "textDocument/definition",
        &at("covers C2.1", 8),
        201,
    );
    rows.push((
        "definition, seed (median of 201)".into(),
        "< 5 ms".into(),
        ms(definition),
    ));
    let completion = request_time(
        &mut client,
        "textDocument/completion",
        &at("competency validated when all", 26),
        201,
    );
    rows.push((
        "completion after `validated when`, seed (median of 201)".into(),
        "< 5 ms".into(),
        ms(completion),
    ));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );

    let big = synthetic(330);
    let lines = big.lines().count();
    let big_path: PathBuf = std::env::temp_dir().join("acquis-lsp-bench-synthetic.acquis");
    let big_uri = uri_of(&big_path);
    let opened = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": big_uri, "languageId": "acquis", "version": 1, "text": &big}}),
    );
    let _ = client.diagnostics(&big_uri, 1);
    let open_time = opened.elapsed();
    rows.push((
        format!(
            "didOpen → publishDiagnostics, {lines} lines ({:.1} MB)",
            big.len() as f64 / 1e6
        ),
        "".into(),
        ms(open_time),
    ));
    let change = edit_to_diagnostics(&client, &big_uri, 9, 2, &first_line);
    rows.push((
        format!("didChange → publishDiagnostics, {lines} lines (median of 9)"),
        "< 300 ms".into(),
        ms(change),
    ));
    // The parser reuses the items after an edit, not those before it
    // (docs/architecture.md): an edit further down costs more.
    for (block, place) in [(165, "the middle block"), (330, "the last block")] {
        let at = position(&big, &format!("block B{block} \"Bloc"), 13);
        let change = edit_to_diagnostics(&client, &big_uri, 9, 11 + (block / 165) * 10, &at);
        rows.push((
            format!("didChange → publishDiagnostics in {place}, {lines} lines (median of 9)"),
            "< 300 ms".into(),
            ms(change),
        ));
    }

    let big_at = |needle: &str, delta: usize| json!({"textDocument": {"uri": big_uri}, "position": position(&big, needle, delta)});
    let hover = request_time(
        &mut client,
        "textDocument/hover",
        &big_at("en_cours", 1),
        21,
    );
    rows.push((
        format!(
            "hover on a level used {} times, {lines} lines (median of 21)",
            big.matches("en_cours").count()
        ),
        "".into(),
        ms(hover),
    ));
    let completion = request_time(
        &mut client,
        "textDocument/completion",
        &big_at("validated when n_of", 15),
        21,
    );
    rows.push((
        format!("completion after `validated when`, {lines} lines (median of 21)"),
        "".into(),
        ms(completion),
    ));

    // The compiler alone on the same text, for what the server adds.
    let mut memory = acquis_compiler::loader::Memory::<acquis_compiler::loader::Disk>::default();
    memory.files.insert(big_path.clone(), big.clone());
    let mut samples = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let compilation = acquis_compiler::compile_with_analysis(&big_path, &memory);
        samples.push(start.elapsed());
        std::thread::spawn(move || drop(compilation));
    }
    rows.push((format!("for comparison: the compiler alone (`compile_with_analysis`), {lines} lines (median of 5)"), "".into(), ms(median(samples))));

    // The parser alone: a full parse, and an incremental one after an edit
    // of the first line or of the last block (what the server's parse costs).
    let mut samples = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let file = acquis_grammar::parse(&big);
        samples.push(start.elapsed());
        drop(file);
    }
    let full = median(samples);
    rows.push((
        format!("for comparison: the parser alone (`parse`), {lines} lines (median of 5)"),
        "".into(),
        ms(full),
    ));
    for (needle, place) in [
        ("referential S", "the first line"),
        ("block B330 \"B", "the last block"),
    ] {
        let at = big.find(needle).unwrap_or(0) + needle.len();
        let mut cache = acquis_grammar::ParseCache::default();
        let mut samples = Vec::new();
        for run in 0..5 {
            let edited = format!(
                "{}{}{}",
                &big[..at],
                if run % 2 == 0 { "x" } else { "y" },
                &big[at + 1..]
            );
            let _ = acquis_grammar::parse_incremental(&big, &mut cache);
            let start = Instant::now();
            let file = acquis_grammar::parse_incremental(&edited, &mut cache);
            samples.push(start.elapsed());
            drop(file);
        }
        rows.push((format!("for comparison: `parse_incremental` after an edit of {place}, {lines} lines (median of 5)"), "".into(), ms(median(samples))));
    }

    let _ = client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let _ = handle.join();

    println!("| measure | target | measured |\n| --- | ---: | ---: |");
    for (measure, target, measured) in rows {
        println!("| {measure} | {target} | {measured} |");
    }
}
