//! Work in proportion to the input (issue 17), counted, never timed: each
//! verb runs under Valgrind's cachegrind, which counts the instructions the
//! process executes (deterministic, whatever the machine's load; this
//! machine has no hardware counters). Each shape is run at three sizes,
//! `n`, `2n` and `4n`; the growth from `2n` to `4n` is compared with the
//! growth from `n` to `2n`, so the fixed cost of starting the process
//! cancels out: linear work doubles it (×2), quadratic work quadruples it
//! (×4). A verb passes under ×2.6, which an `n log n` pass meets and a
//! quadratic one (such as the rule analysis of 2026-12-03, which searched a
//! list for each of a rule's members) does not.
//!
//! Valgrind is a test tool `scripts/test` installs (Debian's `valgrind`);
//! without it these tests fail, they do not skip.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::common;

/// The largest growth from `2n` to `4n` over the growth from `n` to `2n`.
const MAX_GROWTH: f64 = 2.6;

/// Instructions executed by `acquis ARGS` (standard input `stdin`), with
/// one worker thread (rayon's idle workers would add instructions of their
/// own). The run must end with `code`.
fn instructions(dir: &Path, args: &[&str], stdin: &[u8], code: i32) -> u64 {
    let log = dir.join("cachegrind.log");
    let reference = common::command();
    let mut command = Command::new("valgrind");
    command
        .arg("--tool=cachegrind")
        .arg("--cache-sim=no")
        .arg("--cachegrind-out-file=/dev/null")
        .arg(format!("--log-file={}", log.display()))
        .arg(reference.get_program())
        .args(args)
        .current_dir(common::root())
        .env("RAYON_NUM_THREADS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in reference.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let mut child = command.spawn().unwrap_or_else(|e| {
        panic!("valgrind cannot be run ({e}): scripts/test installs Debian's valgrind")
    });
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let output = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "acquis {args:?} under valgrind\nstdout: {}\nstderr: {}\nvalgrind: {text}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    // `==PID== I   refs:      174,751,936` (spacing varies by version).
    text.lines()
        .filter_map(|line| line.split_once("== I").map(|(_, rest)| rest))
        .filter_map(|rest| rest.trim_start().strip_prefix("refs:"))
        .map(|count| count.trim().replace(',', ""))
        .find_map(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no instruction count in valgrind's log:\n{text}"))
}

/// One input: files to write in a fresh folder, the arguments (`{dir}`
/// stands for the folder), standard input and the exit code expected.
struct Case {
    files: Vec<(&'static str, String)>,
    args: Vec<&'static str>,
    stdin: Vec<u8>,
    code: i32,
}

impl Case {
    fn new(args: &[&'static str]) -> Case {
        Case {
            files: Vec::new(),
            args: args.to_vec(),
            stdin: Vec::new(),
            code: 0,
        }
    }

    fn file(mut self, name: &'static str, text: String) -> Case {
        self.files.push((name, text));
        self
    }

    fn stdin(mut self, bytes: Vec<u8>) -> Case {
        self.stdin = bytes;
        self
    }

    fn code(mut self, code: i32) -> Case {
        self.code = code;
        self
    }

    fn instructions(&self, name: &str) -> u64 {
        let dir = common::TempDir::new(name);
        for (file, text) in &self.files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        let folder = dir.display().to_string();
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.replace("{dir}", &folder))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        instructions(&dir, &args, &self.stdin, self.code)
    }
}

/// Runs `case(n)`, `case(2n)`, `case(4n)` and fails when the work grows
/// faster than linearly (see the module's comment).
#[track_caller]
fn grows_linearly(what: &str, n: usize, case: impl Fn(usize) -> Case) {
    let [a, b, c] = [n, 2 * n, 4 * n].map(|size| case(size).instructions(what));
    let growth = c.saturating_sub(b) as f64 / b.saturating_sub(a).max(1) as f64;
    assert!(
        b > a && growth <= MAX_GROWTH,
        "{what}: {a} instructions for {n}, {b} for {}, {c} for {}: the second \
         doubling costs {growth:.2}× the first (linear: 2, quadratic: 4; at most {MAX_GROWTH})",
        2 * n,
        4 * n
    );
}

const PREAMBLE: &str = "referential WIDE \"Large\" {\n  lang fr\n}\n\nuse std::scales::acquisition\n\n\
    defaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  \
    block validated when all competencies validated\n}\n\n";

/// One block, one competency of `criteria` criteria (each with an
/// indicator), all to be acquired: every pass that reads a rule's members
/// meets them all.
fn wide_competency(criteria: usize) -> String {
    let mut s = String::from(PREAMBLE);
    s.push_str("block B1 \"Bloc\" {\n  competency C1 \"Compétence\" {\n");
    for k in 1..=criteria {
        s.push_str(&format!(
            "    criterion CE{k} \"Critère {k}\" {{ indicator \"Indicateur {k}\" }}\n"
        ));
    }
    s.push_str("  }\n  assessment E1 \"Épreuve\" {\n    covers C1\n  }\n}\n\n");
    s.push_str("certification validated when all blocks validated\n");
    s
}

/// [`wide_competency`] whose competency is `validated when RULE`.
fn wide_competency_ruled(criteria: usize, rule: &str) -> String {
    wide_competency(criteria).replace(
        "  }\n  assessment E1",
        &format!("    validated when {rule}\n  }}\n  assessment E1"),
    )
}

/// `blocks` blocks of 10 competencies of 5 criteria, the certification
/// reading all blocks: many rules, each small.
fn many_blocks(blocks: usize) -> String {
    let mut s = String::from(PREAMBLE);
    for b in 1..=blocks {
        s.push_str(&format!("block B{b} \"Bloc {b}\" {{\n"));
        for c in 1..=10 {
            s.push_str(&format!("  competency C{b}_{c} \"Compétence {c}\" {{\n"));
            for k in 1..=5 {
                s.push_str(&format!("    criterion CE{b}_{c}_{k} \"Critère {k}\"\n"));
            }
            s.push_str("  }\n");
        }
        s.push_str(&format!("  assessment E{b} \"Épreuve\" {{\n    covers"));
        for c in 1..=10 {
            s.push_str(&format!(" C{b}_{c}"));
            if c < 10 {
                s.push(',');
            }
        }
        s.push_str("\n  }\n}\n\n");
    }
    s.push_str("certification validated when all blocks validated\n");
    s
}

/// One candidate grading every criterion of [`wide_competency`].
fn one_candidate(criteria: usize) -> String {
    let mut s = String::from("candidate,criterion,grade\n");
    for k in 1..=criteria {
        let grade = if k % 7 == 0 { "non acquis" } else { "acquis" };
        s.push_str(&format!("CAND-1,C1/CE{k},{grade}\n"));
    }
    s
}

#[test]
fn check_and_build_of_a_wide_competency() {
    grows_linearly("check, wide", 1_000, |n| {
        Case::new(&["check", "{dir}/r.acquis"]).file("r.acquis", wide_competency(n))
    });
    grows_linearly("build, wide", 1_000, |n| {
        Case::new(&["build", "{dir}/r.acquis", "-o", "{dir}/ir.json"])
            .file("r.acquis", wide_competency(n))
    });
}

/// A rule naming each criterion of its competency, one by one.
#[test]
fn check_of_a_rule_naming_every_criterion() {
    grows_linearly("check, a rule naming each criterion", 1_000, |n| {
        let ids: Vec<String> = (1..=n).map(|k| format!("CE{k}")).collect();
        let rule = format!("at least 1 of {{{}}} acquired", ids.join(", "));
        Case::new(&["check", "{dir}/r.acquis"]).file("r.acquis", wide_competency_ruled(n, &rule))
    });
}

#[test]
fn check_of_many_blocks() {
    grows_linearly("check, many blocks", 20, |n| {
        Case::new(&["check", "{dir}/r.acquis"]).file("r.acquis", many_blocks(n))
    });
}

/// Every criterion the rule names is unknown, each near many names: the
/// suggestions ("did you mean") are looked for once per unknown name, in
/// the competency's criteria (from 300, past the 256 names under which
/// every name is compared) and in the rest of the referential.
#[test]
fn check_of_many_unknown_names() {
    grows_linearly("check, unknown names", 300, |n| {
        let rule: Vec<String> = (1..=n).map(|k| format!("CX{k} acquired")).collect();
        Case::new(&["check", "{dir}/r.acquis"])
            .file("r.acquis", wide_competency_ruled(n, &rule.join(" and ")))
            .code(1)
    });
}

#[test]
fn fmt_of_a_wide_competency() {
    grows_linearly("fmt", 1_000, |n| {
        // Badly laid out: every line re-indented, blank lines to remove.
        let text = wide_competency(n).replace("\n    ", "\n\n  \t");
        Case::new(&["fmt", "--check", "{dir}/r.acquis"])
            .file("r.acquis", text)
            .code(1)
    });
}

#[test]
fn doc_and_graph_of_a_wide_competency() {
    grows_linearly("doc html", 500, |n| {
        Case::new(&["doc", "{dir}/r.acquis", "-o", "{dir}/r.html"])
            .file("r.acquis", wide_competency(n))
    });
    grows_linearly("doc markdown", 500, |n| {
        Case::new(&["doc", "{dir}/r.acquis", "-o", "{dir}/r.md"])
            .file("r.acquis", wide_competency(n))
    });
    grows_linearly("graph", 500, |n| {
        Case::new(&["graph", "{dir}/r.acquis"]).file("r.acquis", wide_competency(n))
    });
}

#[test]
fn exports_of_a_wide_competency() {
    for format in ["case", "moodle"] {
        grows_linearly(&format!("export {format}"), 500, |n| {
            Case::new(&["export", format, "{dir}/r.acquis", "-o", "{dir}/out"])
                .file("r.acquis", wide_competency(n))
        });
    }
}

#[test]
fn eval_and_explain_of_a_candidate_of_many_criteria() {
    for format in ["table", "json", "csv"] {
        grows_linearly(&format!("eval {format}"), 500, |n| {
            Case::new(&[
                "eval",
                "{dir}/r.acquis",
                "--grades",
                "{dir}/g.csv",
                "--format",
                format,
            ])
            .file("r.acquis", wide_competency(n))
            .file("g.csv", one_candidate(n))
        });
    }
    grows_linearly("explain", 500, |n| {
        Case::new(&[
            "explain",
            "{dir}/r.acquis",
            "--grades",
            "{dir}/g.csv",
            "--candidate",
            "CAND-1",
            "--full",
        ])
        .file("r.acquis", wide_competency(n))
        .file("g.csv", one_candidate(n))
    });
}

/// A grades file naming criteria the referential does not have, each
/// close to many names: one error each, with a suggestion (from 300
/// names, past the 256 under which every name is compared).
#[test]
fn eval_of_grades_naming_unknown_criteria() {
    grows_linearly("eval, unknown criteria", 300, |n| {
        let grades = one_candidate(n).replace(",C1/CE", ",C1/CX");
        Case::new(&["eval", "{dir}/r.acquis", "--grades", "{dir}/g.csv"])
            .file("r.acquis", wide_competency(n))
            .file("g.csv", grades)
            .code(1)
    });
}

#[test]
fn eval_of_a_cohort() {
    let seed = std::fs::read_to_string(common::root().join("examples/edl/candidates.csv")).unwrap();
    let (header, rows) = seed.split_once('\n').unwrap();
    grows_linearly("eval of a cohort", 200, |n| {
        // The 65 example candidates, copied under new ids until there are `n`.
        let mut csv = format!("{header}\n");
        let candidates: Vec<Vec<&str>> = {
            let mut by: Vec<(String, Vec<&str>)> = Vec::new();
            for line in rows.lines() {
                let id = line.split(',').next().unwrap_or_default().to_string();
                match by.last_mut() {
                    Some((last, lines)) if *last == id => lines.push(line),
                    _ => by.push((id, vec![line])),
                }
            }
            by.into_iter().map(|(_, lines)| lines).collect()
        };
        for k in 0..n {
            for line in &candidates[k % candidates.len()] {
                let (_, rest) = line.split_once(',').unwrap();
                csv.push_str(&format!("C{k},{rest}\n"));
            }
        }
        Case::new(&[
            "eval",
            "examples/edl/referential.acquis",
            "--grades",
            "{dir}/g.csv",
            "--format",
            "json",
        ])
        .file("g.csv", csv)
    });
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// An editor's session on a wide referential, sent at once: open, then
/// the requests an editor makes on opening and on moving about, then exit.
#[test]
fn a_language_server_session_on_a_wide_competency() {
    grows_linearly("lsp session", 500, |n| {
        let text = wide_competency(n);
        let uri = "file:///tmp/acquis-work/r.acquis";
        let last = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
        let middle = 13 + u32::try_from(n / 2).unwrap_or(0);
        let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
        let document = json!({"textDocument": {"uri": uri}});
        let whole = json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": 0}}});
        let requests = [
            ("textDocument/documentSymbol", document.clone()),
            ("textDocument/semanticTokens/full", document.clone()),
            ("textDocument/foldingRange", document.clone()),
            ("textDocument/inlayHint", whole.clone()),
            ("textDocument/codeLens", document.clone()),
            ("textDocument/hover", at(middle, 16)),
            ("textDocument/hover", at(13, 15)),
            ("textDocument/definition", at(middle, 16)),
            ("textDocument/references", {
                let mut p = at(middle, 16);
                p["context"] = json!({"includeDeclaration": true});
                p
            }),
            ("textDocument/completion", at(last - 1, 30)),
            ("textDocument/formatting", {
                let mut p = document.clone();
                p["options"] = json!({"tabSize": 2, "insertSpaces": true});
                p
            }),
        ];
        session(uri, &text, &requests)
    });
}

/// A language server session: initialize, open `text` at `uri`, send the
/// requests, shut down.
fn session(uri: &str, text: &str, requests: &[(&str, Value)]) -> Case {
    let mut input = frame(
        &json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {}}}),
    );
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    ));
    input.extend(frame(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "acquis", "version": 1, "text": text}}})));
    for (id, (method, params)) in requests.iter().enumerate() {
        input.extend(frame(
            &json!({"jsonrpc": "2.0", "id": id + 1, "method": method, "params": params}),
        ));
    }
    input.extend(frame(
        &json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}),
    ));
    input.extend(frame(&json!({"jsonrpc": "2.0", "method": "exit"})));
    Case::new(&["lsp"]).stdin(input)
}

/// The semantic tokens of a rule written on one long line: each token's
/// column is counted from the token before (it was counted from the
/// line's start: an 85 KB line took 9 s).
#[test]
fn semantic_tokens_of_one_long_line() {
    grows_linearly("semantic tokens of a long line", 2_000, |n| {
        let set = vec!["CE1"; n].join(", ");
        let text = wide_competency_ruled(1, &format!("all {{{set}}} acquired"));
        let uri = "file:///tmp/acquis-work/r.acquis";
        let document = json!({"textDocument": {"uri": uri}});
        session(
            uri,
            &text,
            &[("textDocument/semanticTokens/full", document)],
        )
    });
}
