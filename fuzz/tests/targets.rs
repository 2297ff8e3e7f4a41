//! The fuzz targets (issue 17, docs/fuzzing.md): one test per reader of
//! untrusted input, each running `ACQUIS_FUZZ_ITERATIONS` mutated inputs
//! of a seed corpus taken from the examples and fixtures.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test: a failed assertion is how a target reports"
)]

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use acquis_eval::read::{delimiter, read, InputFormat};
use acquis_fuzz::{corpus, hash, iterations, mutate, run, Rng};
use acquis_grammar::{format::format, parse, parse_incremental, ParseCache};
use lsp_server::{Connection, Message, Notification, Request, RequestId};

#[path = "common/lsp.rs"]
mod lsp;
use serde_json::{json, Value};

/// The grammar's keywords and punctuation, and text that stresses it.
const ACQUIS: &[&str] = &[
    "referential ",
    "block ",
    "competency ",
    "criterion ",
    "assessment ",
    "part ",
    "situation ",
    "scale ",
    "defaults ",
    "example ",
    "grades ",
    "import ",
    "use ",
    "std::scales",
    "rule ",
    "validated when ",
    "certification ",
    "all ",
    "any ",
    "none ",
    "at least ",
    "at most ",
    "of ",
    "count",
    "sum",
    "average",
    "weighted average",
    "min(",
    "max(",
    "round(",
    "not ",
    "and ",
    "or ",
    "jointly ",
    "equivalence ",
    "dispensation ",
    "keep ",
    "jury ",
    "effect excluded",
    "lang fr\n",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    ":",
    "=",
    ">=",
    "<=",
    "==",
    "!=",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    ".",
    "..",
    "\"",
    "\"\"\"",
    "\\",
    "//",
    "///",
    "/*",
    "*/",
    "\n",
    "\r\n",
    "\t",
    "  ",
    "\u{a0}",
    "é",
    "\u{feff}",
    "0",
    "14.5",
    "1e999",
    "C1",
    "CE2",
    "C1.3/CE2",
];

/// CSV and JSON Lines tokens.
const GRADES: &[&str] = &[
    "candidate",
    "criterion",
    "grade",
    ",",
    ";",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\u{feff}",
    "{",
    "}",
    "[",
    "]",
    ":",
    "null",
    "true",
    "1e999",
    "-0",
    "14.50",
    "\\u00e9",
    "\\ud800",
    "{\"candidate\": \"a\", \"grades\": {",
    "\"C1\": \"x\"}}",
    "acquis",
    "non_acquis",
    "é",
];

/// XML and RNCP tokens.
const XML: &[&str] = &[
    "<FICHE>",
    "</FICHE>",
    "<FICHES>",
    "</FICHES>",
    "<NUMERO_FICHE>",
    "</NUMERO_FICHE>",
    "<BLOC_COMPETENCE>",
    "</BLOC_COMPETENCE>",
    "<CODE>",
    "</CODE>",
    "<LIBELLE>",
    "</LIBELLE>",
    "<LISTE_COMPETENCES>",
    "</LISTE_COMPETENCES>",
    "<MODALITES_EVALUATION>",
    "<![CDATA[",
    "]]>",
    "&lt;",
    "&amp;",
    "&#0;",
    "&#xFFFF;",
    "&unknown;",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    "&a;",
    "<p>",
    "</p>",
    "<li>",
    "<br/>",
    "\"",
    "'",
    "=",
    "<",
    ">",
    "/",
    "\n",
    "RNCP",
    "BC01",
    "é",
];

/// JSON and CASE tokens.
const JSON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e999",
    "\"\"",
    "\\u0000",
    "\\ud800",
    "\"identifier\"",
    "\"uri\"",
    "\"CFDocument\"",
    "\"CFItems\"",
    "\"CFAssociations\"",
    "\"associationType\"",
    "\"isChildOf\"",
    "\"originNodeURI\"",
    "\"destinationNodeURI\"",
    "\"fullStatement\"",
    "\"humanCodingScheme\"",
    "\"CFItemType\"",
    "\"lastChangeDateTime\"",
    "\"2020-02-30T25:61:00Z\"",
    "\"title\"",
    "\"notes\"",
    "\"precedes\"",
    "\"exactMatchOf\"",
    "acquis:",
    "é",
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sources() -> Vec<Vec<u8>> {
    corpus(
        "parse",
        &["examples", "tests/fixtures", "stdlib", "grammar/tests"],
        &[".acquis"],
    )
}

fn ok_or_panic(result: Result<acquis_fuzz::Report, acquis_fuzz::Failure>) {
    match result {
        Ok(report) => eprintln!("{} inputs, {} bytes", report.inputs, report.bytes),
        Err(failure) => panic!("{failure}"),
    }
}

/// One small edit of `text` at a character boundary.
fn edit(text: &str, rng: &mut Rng) -> String {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + rng.below(12)).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let insert = rng.pick(ACQUIS).copied().unwrap_or("");
    format!("{}{insert}{}", &text[..at], &text[end..])
}

/// The parser never panics, and incremental parsing after a random edit
/// gives what parsing from scratch gives.
#[test]
fn parse_target() {
    let corpus = sources();
    assert!(corpus.len() >= 5, "the corpus is missing");
    ok_or_panic(run(
        "parse_target",
        &corpus,
        ACQUIS,
        iterations(300),
        |bytes| {
            let text = text(bytes);
            let mut rng = Rng::new(hash(bytes));
            let mut cache = ParseCache::default();
            assert_eq!(parse_incremental(&text, &mut cache), parse(&text));
            let edited = edit(&text, &mut rng);
            assert_eq!(parse_incremental(&edited, &mut cache), parse(&edited));
            let again = edit(&edited, &mut rng);
            assert_eq!(parse_incremental(&again, &mut cache), parse(&again));
        },
    ));
}

/// The IR as JSON without source positions (docs/formatting.md).
fn without_spans(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| k != "span" && k != "skipped");
            map.values_mut().for_each(without_spans);
        }
        Value::Array(items) => items.iter_mut().for_each(without_spans),
        _ => {}
    }
}

fn ir_of(text: &str) -> Option<Value> {
    // Named in the cuisine example, so that its imports resolve on disk.
    let name = acquis_fuzz::repo().join("examples/cuisine/fuzzed.acquis");
    let compiled = acquis_compiler::compile_str(&name.to_string_lossy(), text);
    if compiled.has_errors() {
        return None;
    }
    let mut value = serde_json::to_value(compiled.ir?).ok()?;
    without_spans(&mut value);
    Some(value)
}

/// The formatter never panics, is idempotent, and keeps the IR of a file
/// that compiles.
#[test]
fn format_target() {
    let corpus = sources();
    ok_or_panic(run(
        "format_target",
        &corpus,
        ACQUIS,
        iterations(150),
        |bytes| {
            let text = text(bytes);
            let Ok(formatted) = format(&text) else {
                return;
            };
            match format(&formatted) {
                Ok(again) => assert_eq!(again, formatted, "formatting twice changes the text"),
                Err(e) => panic!("the formatted text does not format: {e:?}\n{formatted}"),
            }
            if let Some(ir) = ir_of(&text) {
                assert_eq!(ir_of(&formatted), Some(ir), "formatting changes the IR");
            }
        },
    ));
}

/// Lines that hold something, by the csv crate's own reading (as in
/// eval/src/read.rs's random-input test): where CSV records that are not
/// blank start; non-blank physical lines in JSON Lines.
fn lines_with_content(input: &[u8], format: InputFormat) -> Vec<usize> {
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if format == InputFormat::JsonLines {
        return input
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, line)| !std::str::from_utf8(line).is_ok_and(|s| s.trim().is_empty()))
            .map(|(i, _)| i + 1)
            .collect();
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(input))
        .from_reader(input);
    let mut lines = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap() {
        let blank = record
            .iter()
            .all(|f| std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty()));
        if !blank {
            let mut start = record.position().unwrap().byte() as usize;
            while matches!(input.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            lines.push(1 + input[..start].iter().filter(|&&b| b == b'\n').count());
        }
    }
    lines
}

/// Every line with content is reported: as a candidate, a grade or an
/// error. No candidate is lost.
fn check_accounted(input: &[u8], format: InputFormat) {
    let found: Vec<_> = read(input, format).take(1_000_000).collect();
    assert!(found.len() < 1_000_000, "the reader does not stop");
    let expected = lines_with_content(input, format);
    if expected.is_empty() {
        assert!(matches!(found.as_slice(), [Err(_)]), "{found:?}");
        return;
    }
    let mut reported = HashSet::new();
    for item in &found {
        match item {
            Ok(c) => {
                assert!(!c.id.is_empty() && c.id.trim() == c.id, "{c:?}");
                reported.insert(c.line);
                reported.extend(c.grades.iter().map(|g| g.line));
                reported.extend(c.errors.iter().map(|e| e.line));
            }
            Err(e) => {
                reported.insert(e.line);
            }
        }
    }
    let mut lines = expected.iter();
    if format != InputFormat::JsonLines {
        let header = lines.next().copied().unwrap_or(0);
        if let [Err(e)] = found.as_slice() {
            if e.line == header {
                return; // A bad header stops the reading.
            }
        }
    }
    for line in lines {
        assert!(reported.contains(line), "line {line} is lost: {found:#?}");
    }
}

fn grades_target(name: &str, format: InputFormat, files: &[&str]) {
    let corpus = corpus(name, files, &[""]);
    assert!(!corpus.is_empty(), "the corpus is missing");
    ok_or_panic(run(name, &corpus, GRADES, iterations(300), |bytes| {
        check_accounted(bytes, format);
    }));
}

#[test]
fn grades_long_csv_target() {
    grades_target(
        "grades_long_csv_target",
        InputFormat::LongCsv,
        &[
            "tests/fixtures/cuisine-grades-long.csv",
            "examples/edl/candidates.csv",
            "examples/edl/candidates-with-errors.csv",
            "examples/bts-sio/historique.csv",
        ],
    );
}

#[test]
fn grades_wide_csv_target() {
    grades_target(
        "grades_wide_csv_target",
        InputFormat::WideCsv,
        &[
            "tests/fixtures/cuisine-grades-wide.csv",
            "examples/bts-sio/candidats-2026.csv",
            "examples/dees/candidats.csv",
            "examples/titre-pro/candidats-2026-06.csv",
        ],
    );
}

#[test]
fn grades_json_lines_target() {
    grades_target(
        "grades_json_lines_target",
        InputFormat::JsonLines,
        &[
            "tests/fixtures/cuisine-grades.jsonl",
            "examples/edl/candidates.jsonl",
            "examples/dees/historique.jsonl",
        ],
    );
}

/// A workbook whose first sheet holds `csv`'s rows, every cell a string.
fn workbook(csv_bytes: &[u8]) -> (Vec<u8>, Vec<bool>) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    while rows.len() < 2000 && reader.read_byte_record(&mut record).unwrap_or(false) {
        let row = rows.len() as u32;
        let mut content = false;
        for (column, field) in record.iter().enumerate().take(200) {
            let cell = String::from_utf8_lossy(field);
            // Control characters other than tab and line breaks are not
            // allowed in a cell's XML.
            let cell: String = cell
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
                .collect();
            if !cell.is_empty()
                && sheet
                    .write_string(row, column as u16, cell.as_str())
                    .is_ok()
            {
                content |= !cell.trim().is_empty();
            }
        }
        rows.push(content);
    }
    (book.save_to_buffer().unwrap(), rows)
}

/// Workbooks made from mutated wide CSV: each row with content is
/// reported; and mutated workbook bytes: no panic, one error.
#[test]
fn grades_xlsx_target() {
    let corpus = corpus(
        "grades_xlsx_target",
        &[
            "tests/fixtures/cuisine-grades-wide.csv",
            "examples/dees/candidats.csv",
        ],
        &[""],
    );
    ok_or_panic(run(
        "grades_xlsx_target",
        &corpus,
        GRADES,
        iterations(60),
        |bytes| {
            let (book, rows) = workbook(bytes);
            let found: Vec<_> = read(book.as_slice(), InputFormat::Xlsx).collect();
            let with_content: Vec<usize> = (0..rows.len()).filter(|&r| rows[r]).collect();
            if with_content.is_empty() {
                assert!(matches!(found.as_slice(), [Err(_)]), "{found:?}");
                return;
            }
            if let [Err(_)] = found.as_slice() {
                return; // A bad header stops the reading.
            }
            let mut reported = HashSet::new();
            for item in &found {
                match item {
                    Ok(c) => {
                        reported.insert(c.line);
                        reported.extend(c.errors.iter().map(|e| e.line));
                        reported.extend(c.grades.iter().map(|g| g.line));
                    }
                    Err(e) => {
                        reported.insert(e.line);
                    }
                }
            }
            // Rows after the header; a cell with a line break shifts line
            // numbers, so rows are counted, not matched.
            assert!(
                reported.len() >= with_content.len() - 1,
                "{} rows with content, {} reported: {found:#?}",
                with_content.len() - 1,
                reported.len()
            );
            // The workbook's bytes, mutated: never a panic.
            let mut rng = Rng::new(hash(bytes));
            let broken = mutate(&mut rng, &[book], GRADES);
            let _ = read(broken.as_slice(), InputFormat::Xlsx).count();
        },
    ));
}

/// A temporary file per process and target.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("acquis-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}

fn check_interop_error(e: &acquis_interop::InteropError) {
    let diagnostic = e.to_diagnostic();
    let code = format!("{:?}", e.code());
    assert!(!diagnostic.message.is_empty(), "{code}: empty message");
}

/// An imported skeleton prints as source that parses without errors.
fn check_skeleton(r: &acquis_interop::skeleton::Referential) {
    match acquis_interop::referential_source(r) {
        Ok(source) => {
            let parsed = parse(&source);
            assert!(
                parsed.errors.is_empty(),
                "the imported source does not parse: {:?}\n{source}",
                parsed.errors
            );
        }
        Err(e) => check_interop_error(&e),
    }
}

/// The RNCP importer never panics; its errors are `InteropError`s with a
/// diagnostic; what it imports parses. Mutated exports are also read
/// zipped.
#[test]
fn rncp_import_target() {
    let corpus = corpus(
        "rncp_import_target",
        &["tests/fixtures/rncp", "tests/fixtures/real/rncp-34826"],
        &[".xml"],
    );
    let xml = scratch("rncp.xml");
    let zipped = scratch("rncp.zip");
    ok_or_panic(run(
        "rncp_import_target",
        &corpus,
        XML,
        iterations(200),
        |bytes| {
            let text = text(bytes);
            let number = text
                .split("<NUMERO_FICHE>")
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .filter(|n| acquis_interop::rncp::check_number(n).is_ok())
                .unwrap_or("RNCP34826")
                .to_string();
            std::fs::write(&xml, bytes).unwrap();
            match acquis_interop::rncp::import(&xml, &number) {
                Ok((r, _warnings)) => check_skeleton(&r),
                Err(e) => check_interop_error(&e),
            }
            if hash(bytes).is_multiple_of(4) {
                let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
                zip.start_file("export.xml", zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut zip, bytes).unwrap();
                std::fs::write(&zipped, zip.finish().unwrap().into_inner()).unwrap();
                match acquis_interop::rncp::import(&zipped, &number) {
                    Ok((r, _)) => check_skeleton(&r),
                    Err(e) => check_interop_error(&e),
                }
            }
        },
    ));
}

/// The CASE importer never panics; its errors are `InteropError`s with a
/// diagnostic; what it imports parses.
#[test]
fn case_import_target() {
    let corpus = corpus(
        "case_import_target",
        &["tests/fixtures/case", "tests/fixtures/real/opensalt"],
        &[".json"],
    );
    assert!(corpus.len() >= 5, "the corpus is missing");
    ok_or_panic(run(
        "case_import_target",
        &corpus,
        JSON,
        iterations(300),
        |bytes| match acquis_interop::case::import(&text(bytes), "fuzzed.json") {
            Ok((r, _warnings)) => check_skeleton(&r),
            Err(e) => check_interop_error(&e),
        },
    ));
}

/// A hang is a failure; far longer than any answer takes.
const HANG: Duration = Duration::from_secs(120);

/// Seed frames: what an editor sends, on the cuisine example.
fn lsp_corpus() -> Vec<Vec<u8>> {
    let path = acquis_fuzz::repo().join("examples/cuisine/cuisine.acquis");
    let uri = acquis_lsp::paths::to_uri(&acquis_compiler::loader::normalize(&path))
        .map(|u| u.as_str().to_string())
        .unwrap_or_default();
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    let small: String = source.lines().take(40).collect::<Vec<_>>().join("\n");
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let messages = vec![
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": small}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 4}}, "text": "block {"}]}}),
        json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": at(5, 10)}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/definition", "params": at(12, 8)}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/references", "params": {"textDocument": {"uri": uri}, "position": {"line": 12, "character": 8}, "context": {"includeDeclaration": true}}}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/completion", "params": at(20, 0)}),
        json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/formatting", "params": {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}}),
        json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/rangeFormatting", "params": {"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "options": {"tabSize": 2, "insertSpaces": true}}}),
        json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/rename", "params": {"textDocument": {"uri": uri}, "position": {"line": 12, "character": 8}, "newName": "X"}}),
        json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/codeLens", "params": {"textDocument": {"uri": uri}}}),
        json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}}),
        json!({"jsonrpc": "2.0", "id": 10, "method": "textDocument/semanticTokens/full", "params": {"textDocument": {"uri": uri}}}),
        json!({"jsonrpc": "2.0", "id": 11, "method": "workspace/executeCommand", "params": {"command": acquis_lsp::RUN_EXAMPLE, "arguments": [uri, 0]}}),
        json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 4}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}),
    ];
    messages
        .iter()
        .map(|m| {
            let body = m.to_string();
            format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
        })
        .collect()
}

/// Arbitrary JSON-RPC frames never crash the server: each frame, as the
/// stdio transport reads it, is given to a running server; requests are
/// answered (results or JSON-RPC errors), and a probe after every frame
/// shows that it keeps serving.
#[test]
fn lsp_messages_target() {
    let corpus = lsp_corpus();
    let (server, conn) = Connection::memory();
    let handle = std::thread::spawn(move || acquis_lsp::run(&server));
    let init = RequestId::from("init".to_string());
    let _ = conn.sender.send(
        Request::new(
            init.clone(),
            "initialize".into(),
            json!({"capabilities": {}}),
        )
        .into(),
    );
    assert!(lsp::response(&conn, &init, HANG).response_result.is_ok());
    let _ = conn
        .sender
        .send(Notification::new("initialized".into(), json!({})).into());
    let probes = std::cell::Cell::new(0u64);
    let result = run(
        "lsp_messages_target",
        &corpus,
        JSON,
        iterations(150),
        |bytes| {
            // What `lsp_server`'s stdio transport makes of the frame: a frame
            // it cannot read ends that transport (tests/cli/lsp_stdio.rs).
            let Ok(Some(message)) = Message::read(&mut std::io::BufReader::new(bytes)) else {
                return;
            };
            let mut answer = None;
            let message = match message {
                // Ending the session is tested in lsp/tests/protocol.rs.
                Message::Request(r) if r.method == "shutdown" => return,
                Message::Notification(n) if n.method == "exit" => return,
                Message::Request(mut r) => {
                    // Ids unique to this test, so every answer is matched.
                    r.id = RequestId::from(format!("fuzz-{}", hash(bytes)));
                    answer = Some(r.id.clone());
                    Message::Request(r)
                }
                other => other,
            };
            conn.sender.send(message).unwrap();
            if let Some(id) = answer {
                let _ = lsp::response(&conn, &id, HANG);
            }
            probes.set(probes.get() + 1);
            let probe = RequestId::from(format!("probe-{}", probes.get()));
            let nowhere = json!({"textDocument": {"uri": "file:///nowhere.acquis"}, "position": {"line": 0, "character": 0}});
            conn.sender
                .send(Request::new(probe.clone(), "textDocument/hover".into(), nowhere).into())
                .unwrap();
            let r = lsp::response(&conn, &probe, HANG);
            assert!(r.response_result.is_ok(), "{r:?}");
        },
    );
    let shutdown = RequestId::from("shutdown".to_string());
    let _ = conn
        .sender
        .send(Request::new(shutdown.clone(), "shutdown".into(), Value::Null).into());
    let _ = lsp::response(&conn, &shutdown, HANG);
    let _ = conn
        .sender
        .send(Notification::new("exit".into(), Value::Null).into());
    ok_or_panic(result);
    assert_eq!(handle.join().ok(), Some(acquis_lsp::Ending::Clean));
}

#[test]
fn seed_corpora_exist() {
    // Guards against a moved fixture silently emptying a target's corpus.
    for path in [
        "examples/cuisine/cuisine.acquis",
        "tests/fixtures/real/rncp-34826/export.xml",
        "tests/fixtures/real/opensalt/Ordering.json",
        "tests/fixtures/cuisine-grades-long.csv",
    ] {
        assert!(
            acquis_fuzz::repo().join(Path::new(path)).is_file(),
            "{path}"
        );
    }
}

/// Tokens of history files: kinds, entities, outcomes, dates.
const HISTORY: &[&str] = &[
    ",",
    "\n",
    "\"",
    "candidate,kind,entity,value,date,author,justification\n",
    "result",
    "decision",
    "equivalence",
    "dispensation",
    "certification",
    "validated",
    "not_validated",
    "pending",
    "U4/note",
    "CCP1",
    "2024-06",
    "2026-06-12",
    "9999-99",
    "-1",
    "1e999",
    "{\"candidate\":",
    "\"kind\":",
    "\"entity\":",
    "\"outcomes\":",
    "null",
    "é",
];

/// A history file read by `acquis eval --history`, then used to evaluate
/// the example's candidates: never a panic; a refused file is an
/// `EvalError` with a message; every candidate of the grades file is
/// evaluated, and every one the history names too.
fn history_target(name: &str, extension: &str, paths: &[&str], referential: &str, grades: &str) {
    let corpus = corpus(name, paths, &[extension]);
    assert!(!corpus.is_empty(), "the corpus is missing");
    let compiled = acquis_compiler::compile(
        &acquis_fuzz::repo().join(referential),
        &acquis_compiler::loader::Disk,
    );
    let ir = compiled.ir.as_ref().unwrap();
    let plan = acquis_eval::Plan::new(ir);
    let grades = acquis_fuzz::repo().join(grades);
    let dir = std::env::temp_dir().join(format!("acquis-fuzz-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("history{extension}"));
    let session = acquis_ir::Session::parse("2026-06").ok();
    ok_or_panic(run(name, &corpus, HISTORY, iterations(200), |bytes| {
        std::fs::write(&file, bytes).unwrap();
        let mut history = acquis_eval::history::History::new(session);
        if let Err(e) = history.read(&file) {
            assert!(!e.to_diagnostic().message.is_empty());
            return;
        }
        let mut sink = acquis_eval::sink::Csv::new(Vec::new());
        let summary = acquis_eval::batch::run_with_history(
            &plan,
            &grades,
            None,
            Some(&mut history),
            &mut sink,
            &mut |d| assert!(!d.message.is_empty()),
        );
        let summary = summary.unwrap_or_else(|e| panic!("{}", e.to_diagnostic().message.english()));
        assert!(summary.candidates > 0);
    }));
}

#[test]
fn history_csv_target() {
    history_target(
        "history_csv_target",
        ".csv",
        &[
            "examples/bts-sio/historique.csv",
            "examples/titre-pro/historique.csv",
        ],
        "examples/bts-sio/bts-sio.acquis",
        "examples/bts-sio/candidats-2026.csv",
    );
}

#[test]
fn history_json_lines_target() {
    history_target(
        "history_json_lines_target",
        ".jsonl",
        &["examples/dees/historique.jsonl"],
        "examples/dees/dees.acquis",
        "examples/dees/candidats.csv",
    );
}

/// An IR file, as tools and the playground read it (`Ir::from_json`):
/// never a panic nor unbounded recursion; a refused file is an `IrError`;
/// an accepted one is what the compiler could have written, so the plan
/// builds and evaluates a candidate with no grades.
#[test]
fn ir_json_target() {
    // Referentials whose IR fits the 64 KiB inputs (the seed's is 125 KB).
    let corpus: Vec<Vec<u8>> = [
        "tests/fixtures/small.acquis",
        "tests/fixtures/parts/referential.acquis",
        "examples/bts-sio/bts-sio.acquis",
        "examples/dees/dees.acquis",
        "tests/fixtures/parts/compensation.acquis",
    ]
    .iter()
    .filter_map(|p| {
        let c =
            acquis_compiler::compile(&acquis_fuzz::repo().join(p), &acquis_compiler::loader::Disk);
        c.ir.as_ref().map(|ir| {
            // The compact form keeps inputs under the mutation cap.
            let mut out = Vec::new();
            ir.write_json(&mut out, false).unwrap();
            out
        })
    })
    .collect();
    assert_eq!(corpus.len(), 5);
    let mut dictionary: Vec<&str> = JSON.to_vec();
    dictionary.extend([
        "\"op\":\"and\"",
        "\"op\":\"compare\"",
        "\"kind\":\"aggregate\"",
        "\"set\":[]",
        "\"criteria\":[]",
        "\"blocks\":[]",
        "\"pass\":\"acquis\"",
        "\"weight\":\"0\"",
    ]);
    let accepted = std::cell::Cell::new(0usize);
    ok_or_panic(run(
        "ir_json_target",
        &corpus,
        &dictionary,
        iterations(200),
        |bytes| {
            let Ok(ir) = acquis_ir::Ir::from_json(&text(bytes)) else {
                return;
            };
            accepted.set(accepted.get() + 1);
            let plan = acquis_eval::Plan::new(&ir);
            let _ = plan.evaluate(&acquis_eval::Grades::new(&plan));
        },
    ));
    // Mutations that keep the JSON valid reach the plan, not only the parser.
    assert!(accepted.get() > 5, "only {} IRs accepted", accepted.get());
}
