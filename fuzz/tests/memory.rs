//! Memory is bounded by the input (issue 17), measured: this binary counts
//! every allocation through a global allocator that records the peak
//! (`peakmem-alloc`), and each case compares the peak of an input with the
//! peak of one four times larger, or with a fixed budget where the
//! promise is a budget (a zip bomb, a streamed grades file).
//!
//! The peak is the whole process's: the cases run one after the other in
//! one test, so that no other test's allocations are counted.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test: a failed assertion is how it reports"
)]

use std::alloc::System;
use std::io::{Read, Write};

use acquis_eval::read::{read, InputFormat};

#[path = "common/lsp.rs"]
mod lsp;
use peakmem_alloc::{PeakMemAlloc, PeakMemAllocTrait, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &PeakMemAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The peak bytes allocated while `f` runs, above what was allocated when
/// it started.
fn peak<T>(f: impl FnOnce() -> T) -> usize {
    GLOBAL.reset_peak_memory();
    let result = f();
    let peak = GLOBAL.get_peak_memory();
    drop(result);
    peak
}

const MIB: usize = 1 << 20;

/// `peak(4n)` at most `factor` times `peak(n)` (linear: about 4; a
/// quadratic cost would be about 16), plus 256 KiB for fixed buffers:
/// small enough that the smallest case here (unclosed braces, about 100
/// KiB at 1×) would fail if it grew as the square of its input.
fn linear(what: &str, small: usize, large: usize, factor: usize) {
    assert!(
        large <= factor * small + MIB / 4,
        "{what}: peak {large} bytes for 4× the input, {small} for 1× (more than {factor}×)"
    );
}

/// A grades file produced as it is read: `rows` candidates, never held in
/// memory, so that only the reader's own allocations are counted.
struct Generated {
    header: &'static [u8],
    rows: usize,
    row: usize,
    pending: Vec<u8>,
    json: bool,
}

impl Generated {
    fn csv(rows: usize) -> Self {
        Generated {
            header: b"candidate,criterion,grade\n",
            rows,
            row: 0,
            pending: Vec::new(),
            json: false,
        }
    }

    fn json_lines(rows: usize) -> Self {
        Generated {
            header: b"",
            rows,
            row: 0,
            pending: Vec::new(),
            json: true,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if !self.header.is_empty() {
                self.pending.extend_from_slice(self.header);
                self.header = b"";
            } else if self.row < self.rows {
                let id = self.row;
                self.row += 1;
                self.pending.clear();
                if self.json {
                    let _ = writeln!(
                        self.pending,
                        "{{\"candidate\": \"C{id}\", \"grades\": {{\"C1/CE1\": \"acquis\", \"C1/CE2\": \"en_cours\"}}}}"
                    );
                } else {
                    let _ = write!(self.pending, "C{id},C1/CE1,acquis\nC{id},C1/CE2,en_cours\n");
                }
            } else {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// The peak memory of a whole language server session on `text`: started,
/// the document opened, then what an editor asks of it (symbols, semantic
/// tokens, folding, inlay hints, code lenses, hover, completion,
/// formatting), each answered, then shut down.
fn language_server_session(text: &str) -> usize {
    use lsp_server::{Connection, Notification, Request, RequestId};
    use serde_json::json;
    let uri = "file:///memory/hostile.acquis";
    peak(|| {
        let (server, conn) = Connection::memory();
        let handle = std::thread::spawn(move || acquis_lsp::run(&server));
        let request = |id: &str, method: &str, params: serde_json::Value| {
            let id = RequestId::from(id.to_string());
            conn.sender
                .send(Request::new(id.clone(), method.into(), params).into())
                .unwrap();
            let r = lsp::response(&conn, &id, std::time::Duration::from_secs(300));
            // Formatting refuses a document with syntax errors, as an
            // error answer; every other request answers.
            assert!(
                r.response_result.is_ok() || method == "textDocument/formatting",
                "{method}: {:?}",
                r.response_result
            );
        };
        request("init", "initialize", json!({"capabilities": {}}));
        conn.sender
            .send(Notification::new("initialized".into(), json!({})).into())
            .unwrap();
        conn.sender
            .send(
                Notification::new(
                    "textDocument/didOpen".into(),
                    json!({"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": text}}),
                )
                .into(),
            )
            .unwrap();
        let document = json!({"textDocument": {"uri": uri}});
        let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        let end = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
        request("symbols", "textDocument/documentSymbol", document.clone());
        request(
            "tokens",
            "textDocument/semanticTokens/full",
            document.clone(),
        );
        request("folding", "textDocument/foldingRange", document.clone());
        request("lenses", "textDocument/codeLens", document.clone());
        request(
            "hints",
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": end, "character": 0}}}),
        );
        request("hover", "textDocument/hover", at(end / 2, 4));
        request("completion", "textDocument/completion", at(end, 0));
        request(
            "format",
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        );
        request("shutdown", "shutdown", serde_json::Value::Null);
        conn.sender
            .send(Notification::new("exit".into(), serde_json::Value::Null).into())
            .unwrap();
        assert_eq!(handle.join().ok(), Some(acquis_lsp::Ending::Clean));
    })
}

/// A referential whose one competency has `n` criteria.
fn wide_referential(n: usize) -> String {
    let mut text = String::from(
        "referential W \"Large\" { lang fr }\nuse std::scales::acquisition\nblock B \"Bloc\" {\n  competency C \"Compétence\" {\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "    criterion CE{i} \"Critère {i}\" {{ scale acquisition }}\n"
        ));
    }
    text.push_str("    validated when all criteria acquired\n  }\n  assessment E \"Épreuve\" { covers C }\n  validated when all competencies validated\n}\ncertification validated when all blocks validated\n");
    text
}

/// Reads every candidate of a generated file, keeping none.
fn stream(source: Generated, format: InputFormat) -> usize {
    read(source, format).filter(Result::is_ok).count()
}

#[test]
fn hostile_inputs_use_memory_in_proportion_or_within_a_budget() {
    // Parsing: unclosed braces and long operator chains (once exponential
    // or deep), errors and all.
    let braces = |n: usize| peak(|| acquis_grammar::parse(&"{".repeat(n)));
    linear("unclosed braces", braces(4_000), braces(16_000), 6);
    let chain = |n: usize| {
        let rule = format!(
            "certification validated when count({{B1}} validated){} >= 1\n",
            " + 1".repeat(n)
        );
        peak(|| acquis_grammar::parse(&rule))
    };
    linear("an operator chain", chain(2_000), chain(8_000), 6);

    // The language server, a whole session on a document: what it holds
    // and computes for the editor grows in proportion to the document,
    // errors and all.
    let braces = |n: usize| language_server_session(&"{".repeat(n));
    linear(
        "the language server, unclosed braces",
        braces(2_000),
        braces(8_000),
        6,
    );
    let chain = |n: usize| {
        language_server_session(&format!(
            "certification validated when count({{B1}} validated){} >= 1\n",
            " + 1".repeat(n)
        ))
    };
    linear(
        "the language server, an operator chain",
        chain(1_000),
        chain(4_000),
        6,
    );
    let wide = |n: usize| language_server_session(&wide_referential(n));
    linear(
        "the language server, a wide referential",
        wide(500),
        wide(2_000),
        6,
    );

    // The formatter on one long line.
    let line = |n: usize| {
        let text = format!("// {}\n", "x".repeat(n));
        peak(|| acquis_grammar::format::format(&text))
    };
    linear("fmt of a long line", line(MIB), line(4 * MIB), 6);

    // Grades files are streamed: what stays is each candidate's id (to
    // report one that appears twice, and lose none), a few dozen bytes a
    // candidate whatever its grades; the grades themselves are not kept.
    for (format, make) in [
        (
            InputFormat::LongCsv,
            Generated::csv as fn(usize) -> Generated,
        ),
        (InputFormat::JsonLines, Generated::json_lines),
    ] {
        let mut count = 0;
        let small = peak(|| count = stream(make(20_000), format));
        assert_eq!(count, 20_000);
        let large = peak(|| count = stream(make(80_000), format));
        assert_eq!(count, 80_000);
        linear(&format!("{format:?}"), small, large, 5);
        assert!(
            large <= 80_000 * 128 + 2 * MIB,
            "{format:?}: peak {large} bytes for 80,000 candidates: more than their ids"
        );
    }

    // A whole cohort evaluated: batches of candidates go by, the peak
    // grows with the ids kept, not with the grades (the seed, 115 criteria
    // a candidate, one wide CSV row each).
    let seed = acquis_compiler::compile(
        std::path::Path::new("../examples/edl/referential.acquis"),
        &acquis_compiler::loader::Disk,
    );
    let ir = seed.ir.as_ref().unwrap();
    let plan = acquis_eval::Plan::new(ir);
    let ids: Vec<&str> = ir.criteria.iter().map(|c| c.id.as_str()).collect();
    let dir = std::env::temp_dir().join(format!("acquis-memory-cohort-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cohort = |n: usize| {
        let path = dir.join(format!("cohort-{n}.csv"));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        write!(file, "candidate").unwrap();
        for id in &ids {
            write!(file, ",{id}").unwrap();
        }
        writeln!(file).unwrap();
        let row = ",acquis".repeat(ids.len());
        for i in 0..n {
            writeln!(file, "C{i}{row}").unwrap();
        }
        drop(file);
        struct Discard;
        impl acquis_eval::sink::ResultSink for Discard {
            fn batch(
                &mut self,
                _: &acquis_eval::Plan<'_>,
                _: &[acquis_eval::Evaluated],
            ) -> Result<(), acquis_eval::EvalError> {
                Ok(())
            }
            fn finish(
                &mut self,
                _: &acquis_eval::Plan<'_>,
                _: &acquis_eval::Summary,
            ) -> Result<(), acquis_eval::EvalError> {
                Ok(())
            }
        }
        let mut evaluated = 0;
        let bytes = peak(|| {
            let summary = acquis_eval::run(&plan, &path, None, &mut Discard, &mut |_| {}).unwrap();
            evaluated = summary.candidates;
        });
        assert_eq!(evaluated, n);
        bytes
    };
    let small = cohort(5_000);
    let large = cohort(20_000);
    linear("a cohort evaluated", small, large, 5);
    assert!(
        large <= 20_000 * 256 + 64 * MIB,
        "a cohort of 20,000: peak {large} bytes"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // PDF results: pages are typeset one at a time on each thread, so the
    // peak is typst's for one page (and the cohort's index), not the
    // cohort's: four times the candidates stay within 1.5 times the peak.
    // (Pages typeset inside one another on rayon's workers once took 2.3
    // GB.) The BTS Systèmes numériques' candidates, copied under new ids.
    let bts = acquis_compiler::compile(
        std::path::Path::new("../examples/bts-sn/bts-sn.acquis"),
        &acquis_compiler::loader::Disk,
    );
    let ir = bts.ir.as_ref().unwrap();
    let plan = acquis_eval::Plan::new(ir);
    let grades = std::fs::read_to_string("../examples/bts-sn/candidats-2026.csv").unwrap();
    let dir = std::env::temp_dir().join(format!("acquis-memory-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = |copies: usize| {
        let path = dir.join(format!("pdf-{copies}.csv"));
        let mut csv = String::from("candidate,criterion,grade\n");
        for k in 0..copies {
            for line in grades.lines().skip(1) {
                csv.push_str(&format!("{k}-{line}\n"));
            }
        }
        std::fs::write(&path, csv).unwrap();
        let out = dir.join(format!("pages-{copies}"));
        let mut evaluated = 0;
        let bytes = peak(|| {
            let mut pages = acquis_publish::report::Pages::with_format(
                acquis_pdf::report::Pdf,
                &plan,
                &out,
                false,
            )
            .unwrap();
            let summary = acquis_eval::run(&plan, &path, None, &mut pages, &mut |_| {}).unwrap();
            evaluated = summary.candidates;
        });
        let written = std::fs::read_dir(out.join("candidates"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            })
            .count();
        assert_eq!((evaluated, written), (9 * copies, 9 * copies));
        bytes
    };
    let (small, large) = (pdf(1), pdf(4));
    assert!(
        large <= small + small / 2,
        "PDF pages: peak {large} bytes for 36 candidates, {small} for 9 (more than 1.5×)"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // A stray quote opens a quoted field that runs on: the rows it holds
    // are kept to be read again as rows (about 60 bytes of memory per byte
    // of the quoted text, measured), in proportion to the input.
    let quoted = |rows: usize| {
        let mut text = String::from("candidate,criterion,grade,note\nA,C1/CE1,acquis,\"Sophie\n");
        for i in 0..rows {
            text.push_str(&format!("C{i},C1/CE1,acquis,x\n"));
        }
        let bytes = text.into_bytes();
        let size = bytes.len();
        (
            size,
            peak(|| read(bytes.as_slice(), InputFormat::LongCsv).count()),
        )
    };
    let (size, small) = quoted(10_000);
    let (_, large) = quoted(40_000);
    linear("a stray quote", small, large, 6);
    assert!(
        small < 100 * size + 4 * MIB,
        "a stray quote: {small} bytes for {size}"
    );

    // An RNCP zip bomb: 64 MiB of zeros in a zip of a few dozen KiB is
    // refused within its budget, never inflated whole.
    let dir = std::env::temp_dir().join(format!("acquis-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bomb = dir.join("bomb.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        zip.start_file("export.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><INTITULE>")
            .unwrap();
        let zeros = vec![b'0'; MIB];
        for _ in 0..64 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = peak(|| acquis_interop::rncp::import(&bomb, "RNCP1").is_err());
    assert!(bytes < 64 * MIB, "an RNCP zip bomb: peak {bytes} bytes");
    let listed = peak(|| acquis_interop::rncp::list(&bomb, &mut std::io::sink()).is_err());
    assert!(
        listed < 64 * MIB,
        "--list of an RNCP zip bomb: peak {listed} bytes"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
