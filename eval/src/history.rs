//! History files (`acquis eval --history FILE --session 2027-06`): the
//! candidates' records, as JSON Lines or as a long CSV, read once and
//! kept by candidate (docs/evaluation.md, "Candidate records").
//!
//! - JSON Lines: one object per candidate, `{"candidate": "C1",
//!   "results": [{"entity": "U1/note", "mark": "12", "session":
//!   "2024-06"}], "holds": ["DEASS"], "dispensations": ["niveau5"],
//!   "decisions": [{"entity": "certification", "outcome": "validated",
//!   "author": "…", "date": "2026-07-01", "justification": "…"}]}`. The
//!   lines `acquis eval --format json --session S` writes are history too:
//!   their marks and validated outcomes are results of session `S` (or of
//!   the session their `source` names).
//! - Long CSV: `candidate,kind,entity,value,date,author,justification`,
//!   one fact per row, `kind` one of `result`, `holds`, `dispensed`,
//!   `decision`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use acquis_diagnostics::{text, Code, Text};
use acquis_ir::Session;
use rustc_hash::FxHashMap as HashMap;
use serde_json::Value;

use crate::batch::Problem;
use crate::read::split_row;
use crate::record::{Fact, FactKind};
use crate::EvalError;

/// The records of every candidate of some history files.
#[derive(Debug, Default)]
pub struct History {
    /// The session evaluated: earlier results count from their session to
    /// this one.
    pub session: Option<Session>,
    facts: HashMap<String, Vec<Fact>>,
    /// Candidates in the order they first appear.
    order: Vec<String>,
    /// Problems of lines that belong to no candidate (a bad header, a
    /// malformed line).
    pub problems: Vec<Problem>,
}

impl History {
    /// An empty history for `session`.
    pub fn new(session: Option<Session>) -> History {
        History {
            session,
            ..History::default()
        }
    }

    /// Reads a history file (JSON Lines by the extension `.jsonl` or
    /// `.ndjson`, else a long CSV) and adds its facts.
    pub fn read(&mut self, path: &Path) -> Result<(), EvalError> {
        let unreadable = |e: std::io::Error| EvalError::Unreadable {
            path: path.to_path_buf(),
            reason: acquis_diagnostics::text::io_reason(&e),
        };
        let not_regular = || EvalError::Unreadable {
            path: path.to_path_buf(),
            reason: acquis_diagnostics::text!("it is not a regular file"),
        };
        // Asked before opening: opening a pipe waits for a writer, which
        // may never come.
        if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
            return Err(not_regular());
        }
        let file = std::fs::File::open(path).map_err(unreadable)?;
        // And of what was opened, which may have been replaced meanwhile.
        if !file.metadata().map_err(unreadable)?.is_file() {
            return Err(not_regular());
        }
        let shown: Arc<str> = Arc::from(path.display().to_string());
        let jsonl = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("jsonl" | "ndjson")
        );
        if jsonl {
            self.read_jsonl(BufReader::new(file), &shown, path)
        } else {
            self.read_csv(file, &shown);
            Ok(())
        }
    }

    fn add(&mut self, candidate: &str, fact: Fact) {
        match self.facts.get_mut(candidate) {
            Some(facts) => facts.push(fact),
            None => {
                self.order.push(candidate.to_string());
                self.facts.insert(candidate.to_string(), vec![fact]);
            }
        }
    }

    fn problem(&mut self, file: &Arc<str>, line: usize, column: Option<usize>, message: Text) {
        self.problems.push(Problem {
            code: Code::MalformedRow,
            line,
            column,
            candidate: None,
            message,
            file: Some(file.clone()),
        });
    }

    fn read_jsonl(
        &mut self,
        reader: impl BufRead,
        shown: &Arc<str>,
        path: &Path,
    ) -> Result<(), EvalError> {
        for (n, line) in reader.lines().enumerate() {
            let line_no = n + 1;
            let line = line.map_err(|e| EvalError::Unreadable {
                path: PathBuf::from(path),
                reason: acquis_diagnostics::text::io_reason(&e),
            })?;
            let text = line.trim();
            if text.is_empty() {
                continue;
            }
            let value: Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => {
                    self.problem(
                        shown,
                        line_no,
                        Some(e.column()),
                        text!("not a JSON object: {reason}", reason = &e),
                    );
                    continue;
                }
            };
            let Some(candidate) = value.get("candidate").and_then(Value::as_str) else {
                self.problem(
                    shown,
                    line_no,
                    None,
                    text!("a history line needs `\"candidate\"`: the candidate's id"),
                );
                continue;
            };
            let column = |needle: &str| text.find(needle).map(|i| text[..i].chars().count() + 1);
            let string = |v: &Value, key: &str| match v.get(key) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let fact = |kind: FactKind, entity: &str| Fact {
                kind,
                entity: entity.to_string(),
                value: String::new(),
                date: String::new(),
                author: String::new(),
                justification: String::new(),
                line: line_no,
                column: column(&format!("\"{entity}\"")),
                file: Some(shown.clone()),
                implied: false,
            };
            let mut facts = Vec::new();
            for r in value
                .get("results")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let entity = string(r, "entity");
                let (value, is_mark) = match (r.get("mark"), r.get("outcome")) {
                    (Some(_), _) => (string(r, "mark"), true),
                    (None, Some(_)) => (string(r, "outcome"), false),
                    (None, None) => (String::new(), false),
                };
                let _ = is_mark;
                facts.push(Fact {
                    value,
                    date: string(r, "session"),
                    ..fact(FactKind::Result, &entity)
                });
            }
            for h in value
                .get("holds")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let id = h
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| string(h, "equivalence"));
                facts.push(Fact {
                    date: string(h, "date"),
                    ..fact(FactKind::Holds, &id)
                });
            }
            for d in value
                .get("dispensations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let id = d
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| string(d, "dispensation"));
                facts.push(fact(FactKind::Dispensed, &id));
            }
            for d in value
                .get("decisions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let entity = string(d, "entity");
                facts.push(Fact {
                    value: string(d, "outcome"),
                    date: string(d, "date"),
                    author: string(d, "author"),
                    justification: string(d, "justification"),
                    ..fact(FactKind::Decision, &entity)
                });
            }
            // The results of `acquis eval --format json --session S`.
            if let Some(outcomes) = value.get("outcomes").and_then(Value::as_object) {
                let session = string(&value, "session");
                for (id, entry) in outcomes {
                    let source = entry.get("source");
                    let kind = source.map(|s| string(s, "kind"));
                    let date = match kind.as_deref() {
                        None => session.clone(),
                        Some("earlier") => source.map(|s| string(s, "session")).unwrap_or_default(),
                        // An equivalence, a dispensation or a jury decision
                        // is a fact of the record, not a result.
                        Some(_) => continue,
                    };
                    let outcome = string(entry, "outcome");
                    let value = match entry.get("grade") {
                        Some(_) => string(entry, "grade"),
                        None if outcome == "validated" => outcome,
                        None => continue,
                    };
                    facts.push(Fact {
                        value,
                        date,
                        implied: true,
                        ..fact(FactKind::Result, id)
                    });
                }
            }
            for f in facts {
                self.add(candidate, f);
            }
        }
        Ok(())
    }

    fn read_csv(&mut self, file: std::fs::File, shown: &Arc<str>) {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(BufReader::new(file));
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.problem(
                    shown,
                    1,
                    None,
                    text!("the header cannot be read: {reason}", reason = &e),
                );
                return;
            }
        };
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(c_candidate), Some(c_kind), Some(c_entity)) =
            (col("candidate"), col("kind"), col("entity"))
        else {
            self.problems.push(Problem {
                code: Code::GradesHeader,
                line: 1,
                column: None,
                candidate: None,
                message: text!("a history CSV needs the columns `candidate`, `kind` and `entity` (and `value`, `date`, `author`, `justification` as the facts need them)"),
                file: Some(shown.clone()),
            });
            return;
        };
        let columns = Columns {
            candidate: c_candidate,
            kind: c_kind,
            entity: c_entity,
            value: col("value"),
            date: col("date"),
            author: col("author"),
            justification: col("justification"),
        };
        let width = headers.len();
        for row in reader.records() {
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    self.problem(
                        shown,
                        line,
                        None,
                        text!("malformed row: {reason}", reason = &e),
                    );
                    continue;
                }
            };
            let line = row.position().map_or(0, |p| p.line() as usize);
            let cells: Vec<&str> = row.iter().collect();
            if !self.stray_quote(shown, line, &cells, width, &columns) {
                self.csv_row(shown, line, &cells, &columns);
            }
        }
    }

    /// A quoted field that holds whole rows: a stray `"` (`"Sophie` in an
    /// `author` cell) opened a quoted text that swallowed the rows after
    /// it, up to the next `"` or the end of the file. As in grades files,
    /// those rows are read back as rows, never lost, and the opening row
    /// and each row inside get an error (A0705) so that the jury checks
    /// them. `false` (nothing done) for an ordinary row, or a quoted text
    /// over several lines that holds no row (a justification with line
    /// breaks).
    fn stray_quote(
        &mut self,
        shown: &Arc<str>,
        line: usize,
        cells: &[&str],
        width: usize,
        columns: &Columns,
    ) -> bool {
        let Some(k) = cells.iter().position(|c| c.contains('\n')) else {
            return false;
        };
        let mut segments: Vec<&str> = cells[k]
            .split('\n')
            .map(|l| l.trim_end_matches('\r'))
            .collect();
        // The last line inside the quote goes on after it: the cells that
        // follow the quoted one are the rest of that line.
        let rest = &cells[k + 1..];
        let Some(last) = segments.pop() else {
            return false;
        };
        let last = if rest.is_empty() {
            last.to_string()
        } else {
            format!("{last},{}", rest.join(","))
        };
        let first = segments.first().copied().unwrap_or("");
        // (A quote open to the end of a file that ends with a line break
        // leaves an empty last line: no row.)
        let rows: Vec<Vec<String>> = segments
            .iter()
            .skip(1)
            .map(|l| split_row(l, b','))
            .chain((!last.trim().is_empty()).then(|| split_row(&last, b',')))
            .collect();
        if !rows.iter().any(|r| r.len() == width) {
            return false;
        }
        let end = line + rows.len();
        let mut opening: Vec<&str> = cells[..k].to_vec();
        opening.push(first);
        self.problem(
            shown,
            line,
            Some(k + 1),
            text!("a `\"` in field {k} opens a quoted text that runs to line {end} and holds {len} rows: \
                 they were read as rows, check them; a quote inside a field is written `\"\"`", k = k + 1, end = &end, len = &rows.len()),
        );
        self.csv_row(shown, line, &opening, columns);
        for (i, row) in rows.iter().enumerate() {
            let at = line + 1 + i;
            self.problem(
                shown,
                at,
                None,
                text!(
                    "this row was inside the quoted text opened at line {line} (a stray `\"`?): \
                     read as a row, check it",
                    line = &line
                ),
            );
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            self.csv_row(shown, at, &cells, columns);
        }
        true
    }

    /// One row of a history CSV: a fact of its candidate, or a problem.
    fn csv_row(&mut self, shown: &Arc<str>, line: usize, cells: &[&str], columns: &Columns) {
        let cell = |c: Option<usize>| {
            c.and_then(|c| cells.get(c))
                .map_or("", |c| c.trim())
                .to_string()
        };
        let candidate = cell(Some(columns.candidate));
        if candidate.is_empty() {
            self.problem(
                shown,
                line,
                Some(columns.candidate + 1),
                text!("the row names no candidate"),
            );
            return;
        }
        let kind_text = cell(Some(columns.kind));
        let Some(kind) = FactKind::from_word(&kind_text) else {
            let message = text!(
                "`{kind}` is not a kind of fact: write `result`, `holds`, `dispensed` or `decision`",
                kind = &kind_text
            );
            self.problems.push(Problem {
                code: Code::MalformedRow,
                line,
                column: Some(columns.kind + 1),
                candidate: Some(candidate.clone()),
                message,
                file: Some(shown.clone()),
            });
            return;
        };
        let fact = Fact {
            kind,
            entity: cell(Some(columns.entity)),
            value: cell(columns.value),
            date: cell(columns.date),
            author: cell(columns.author),
            justification: cell(columns.justification),
            line,
            column: Some(columns.entity + 1),
            file: Some(shown.clone()),
            implied: false,
        };
        self.add(&candidate, fact);
    }

    /// The facts of a candidate, taken out (each candidate is evaluated
    /// once).
    pub fn take(&mut self, candidate: &str) -> Option<Vec<Fact>> {
        self.facts.remove(candidate)
    }

    /// The candidates whose facts have not been taken, in file order, with
    /// their facts: candidates of the history with no grades this session
    /// (they are evaluated too: no candidate is lost).
    pub fn rest(&mut self) -> Vec<(String, Vec<Fact>)> {
        let order = std::mem::take(&mut self.order);
        order
            .into_iter()
            .filter_map(|c| {
                let facts = self.facts.remove(&c)?;
                Some((c, facts))
            })
            .collect()
    }

    /// Every combination of excluding dispensations candidates have, as
    /// the keys of [`crate::record::Variants`].
    pub fn exclusion_keys(&self, ir: &acquis_ir::Ir) -> Vec<Vec<usize>> {
        let mut keys: Vec<Vec<usize>> = Vec::new();
        for facts in self.facts.values() {
            let mut key: Vec<usize> = facts
                .iter()
                .filter(|f| f.kind == FactKind::Dispensed)
                .filter_map(|f| {
                    ir.records.dispensations.iter().position(|d| {
                        d.id == f.entity.trim()
                            && d.effect == acquis_ir::DispensationEffect::Excluded
                    })
                })
                .collect();
            key.sort_unstable();
            key.dedup();
            if !key.is_empty() && !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }
}

/// The excluding dispensations of some facts, sorted (`None`: none).
pub(crate) fn exclusion_key(ir: &acquis_ir::Ir, facts: &[Fact]) -> Option<Vec<usize>> {
    let mut key: Vec<usize> = facts
        .iter()
        .filter(|f| f.kind == FactKind::Dispensed)
        .filter_map(|f| {
            ir.records.dispensations.iter().position(|d| {
                d.id == f.entity.trim() && d.effect == acquis_ir::DispensationEffect::Excluded
            })
        })
        .collect();
    key.sort_unstable();
    key.dedup();
    (!key.is_empty()).then_some(key)
}

/// The columns of a history CSV.
struct Columns {
    candidate: usize,
    kind: usize,
    entity: usize,
    value: Option<usize>,
    date: Option<usize>,
    author: Option<usize>,
    justification: Option<usize>,
}

#[cfg(test)]
mod special_files {
    use super::*;

    /// A pipe given as a history is refused at once, never waited on (a
    /// pipe with no writer would block the run forever).
    #[test]
    fn a_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = std::env::temp_dir().join(format!("acquis-history-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let fifo = dir.join("history.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let (sender, receiver) = std::sync::mpsc::channel();
            let path = fifo.clone();
            // A thread, so that a regression hangs it, not the test run.
            std::thread::spawn(move || {
                let _ = sender.send(History::new(None).read(&path).is_err());
            });
            let refused = receiver.recv_timeout(std::time::Duration::from_secs(60));
            assert_eq!(refused, Ok(true), "the pipe was opened and waited on");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
