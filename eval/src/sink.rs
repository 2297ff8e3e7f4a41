//! Where evaluated candidates go: one [`ResultSink`] per output format.
//! The text formats (table, JSON Lines, CSV) are here; the HTML pages
//! (`acquis_publish::report::Pages`) and Open Badges credentials
//! (`acquis_interop::ob3`) implement the same trait in their crates, so the
//! command line chooses a format with one `match`.

use std::fmt::Write as _;
use std::io::Write;

use crate::batch::{Evaluated, Summary};
use crate::plan::{Outcome, Outcomes, Plan, Reasons, CRITERION_REASON_KEY_BITS};
use crate::record::Source;
use crate::EvalError;
use acquis_ir::describe::Lang;

/// Receives the candidates of one evaluation, in input order.
pub trait ResultSink {
    /// Before the first candidate (a header).
    fn start(&mut self, _plan: &Plan<'_>) -> Result<(), EvalError> {
        Ok(())
    }
    /// The next candidates, in input order.
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError>;
    /// After the last candidate: whatever closes the output.
    fn finish(&mut self, plan: &Plan<'_>, summary: &Summary) -> Result<(), EvalError>;
}

/// A short stable hash of `text` (FNV-1a, 32 bits, in hex): the same
/// across versions and platforms (the std hasher is not), short enough for
/// a file name. The outputs that name files after candidate ids (HTML and
/// PDF pages, Open Badges folders) append it to a name that had to be
/// changed or cut, so that distinct ids keep distinct names whatever their
/// order.
pub fn short_hash(text: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

/// `name` as a case-insensitive disk (NTFS, APFS) compares it: each
/// letter's upper case, lowered (`ς`, `σ` and `Σ` are one letter there,
/// though `to_lowercase` keeps `ς` and `σ` apart). Two candidates' file
/// names equal under it would be one file.
pub fn case_folded(name: &str) -> String {
    name.chars()
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Names kept distinct on a disk that ignores case, for the files or
/// folders of one run (candidate pages, Open Badges folders): a name
/// taken, whatever its case, is replaced by its hashed form, then
/// numbered (`-2`, `-3`…) while that is taken too (an id written as
/// another id's hashed name, a clash of hashes).
#[derive(Debug, Default)]
pub struct UniqueNames {
    /// The [`case_folded`] names given.
    taken: std::collections::HashSet<String>,
}

impl UniqueNames {
    /// `name` if it is free, else `hashed()`, else that numbered.
    pub fn give(&mut self, name: String, hashed: impl FnOnce() -> String) -> String {
        let name = if self.taken.contains(&case_folded(&name)) {
            hashed()
        } else {
            name
        };
        let mut given = name.clone();
        let mut n = 2;
        while !self.taken.insert(case_folded(&given)) {
            given = format!("{name}-{n}");
            n += 1;
        }
        given
    }
}

/// Writes `text` and maps a failure to [`EvalError::Write`].
fn put(out: &mut dyn Write, text: &str) -> Result<(), EvalError> {
    out.write_all(text.as_bytes()).map_err(EvalError::Write)
}

/// The table of `acquis eval`: a line per candidate (certification and
/// blocks), then each block's counts and the summary line.
pub struct Table<W: Write>(pub W);

impl<W: Write> ResultSink for Table<W> {
    fn start(&mut self, plan: &Plan<'_>) -> Result<(), EvalError> {
        put(&mut self.0, &table_header(plan))
    }
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        on_every_core(candidates, &mut self.0, |run, buffer| {
            let mut text = into_text(buffer);
            for e in run {
                table_line(plan, e, &mut text);
            }
            Ok(text.into_bytes())
        })
    }
    fn finish(&mut self, plan: &Plan<'_>, summary: &Summary) -> Result<(), EvalError> {
        put(&mut self.0, &block_counts(summary, plan.lang()))?;
        put(&mut self.0, &summary_text(summary, plan.lang()))?;
        self.0.flush().map_err(EvalError::Write)
    }
}

/// CSV (RFC 4180, through the csv crate): a row per candidate with the
/// certification, every block and every competency.
pub struct Csv<W: Write>(W);

impl<W: Write> Csv<W> {
    pub fn new(out: W) -> Self {
        Csv(out)
    }
}

/// A csv crate writer of rows into `buffer`, lines ended by `\n`.
fn csv_rows(buffer: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(buffer)
}

/// What a csv crate writer wrote into memory.
fn csv_written(rows: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, EvalError> {
    rows.into_inner()
        .map_err(|e| EvalError::Write(std::io::Error::other(e.to_string())))
}

/// A csv crate error as the evaluation's write error.
fn csv_error(e: csv::Error) -> EvalError {
    EvalError::Write(e.into())
}

impl<W: Write> ResultSink for Csv<W> {
    fn start(&mut self, plan: &Plan<'_>) -> Result<(), EvalError> {
        let ir = plan.ir();
        let header = ["candidate", "certification"]
            .into_iter()
            .chain(ir.blocks.iter().map(|b| b.id.as_str()))
            .chain(ir.competencies.iter().map(|c| c.id.as_str()))
            .chain(decided_assessments(plan))
            .map(str::to_string);
        // A referential with candidate records: each outcome's source too.
        let sources = (!ir.records.is_empty()).then(|| {
            std::iter::once("certification")
                .chain(ir.blocks.iter().map(|b| b.id.as_str()))
                .map(|id| format!("{id}_source"))
        });
        let header: Vec<String> = header.chain(sources.into_iter().flatten()).collect();
        let mut rows = csv_rows(Vec::new());
        rows.write_record(header).map_err(csv_error)?;
        self.0
            .write_all(&csv_written(rows)?)
            .map_err(EvalError::Write)
    }
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        let ir = plan.ir();
        // Each column's outcome slot, looked up once.
        let columns: Vec<(Option<usize>, bool)> = std::iter::once("certification")
            .chain(ir.blocks.iter().map(|b| b.id.as_str()))
            .chain(ir.competencies.iter().map(|c| c.id.as_str()))
            .chain(decided_assessments(plan))
            .map(|id| (plan.slot(id), plan.is_criterion(id)))
            .collect();
        let columns = &columns;
        on_every_core(candidates, &mut self.0, |run, buffer| {
            let mut rows = csv_rows(buffer);
            for e in run {
                let row = std::iter::once(e.raw.id.as_str()).chain(columns.iter().map(
                    |&(slot, criterion)| {
                        match &e.outcomes {
                            None => "error",
                            Some(o) => slot
                                .and_then(|slot| o.at(slot))
                                .map_or("error", |o| o.word(criterion)),
                        }
                    },
                ));
                let sources = (!ir.records.is_empty()).then(|| {
                    std::iter::once("certification")
                        .chain(ir.blocks.iter().map(|b| b.id.as_str()))
                        .map(|id| source_word(plan, e, id))
                });
                let row: Vec<&str> = row.chain(sources.into_iter().flatten()).collect();
                rows.write_record(row).map_err(csv_error)?;
            }
            csv_written(rows)
        })
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        self.0.flush().map_err(EvalError::Write)
    }
}

/// Formats `candidates` on every core, a run of [`LINES_PER_TASK`] at a
/// time, and writes the runs in input order to `out`. A few runs at a
/// time, so that the text waiting to be written stays a small part of the
/// batch. `format` is given a run and an empty buffer to write its text
/// into: once runs have been written, one of theirs, kept with its room
/// ([`BUFFERS`], up to [`KEPT_BYTES`]), so that the text is seldom copied
/// as it grows or written into fresh pages.
fn on_every_core(
    candidates: &[Evaluated],
    out: &mut dyn Write,
    format: impl Fn(&[Evaluated], Vec<u8>) -> Result<Vec<u8>, EvalError> + Sync,
) -> Result<(), EvalError> {
    use rayon::prelude::*;
    for group in candidates.chunks(LINES_PER_TASK * 4) {
        let runs = group.len().div_ceil(LINES_PER_TASK);
        let buffers: Vec<Vec<u8>> = {
            let mut kept = BUFFERS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            (0..runs).map(|_| kept.pop().unwrap_or_default()).collect()
        };
        let texts: Vec<Result<Vec<u8>, EvalError>> = group
            .par_chunks(LINES_PER_TASK)
            .zip(buffers)
            .map(|(run, mut buffer)| {
                buffer.clear();
                format(run, buffer)
            })
            .collect();
        for text in texts {
            let text = text?;
            out.write_all(&text).map_err(EvalError::Write)?;
            let mut kept = BUFFERS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.len() < KEPT_BUFFERS && text.capacity() <= KEPT_BYTES {
                kept.push(text);
            }
        }
    }
    Ok(())
}

/// Buffers the runs' text was written into, kept for the next runs.
static BUFFERS: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

/// How many [`BUFFERS`] are kept (a group's runs, twice), and the room
/// of the largest kept.
const KEPT_BUFFERS: usize = 8;
const KEPT_BYTES: usize = 4 << 20;

/// An empty buffer as text.
fn into_text(mut buffer: Vec<u8>) -> String {
    buffer.clear();
    // Empty: always text.
    String::from_utf8(buffer).unwrap_or_default()
}

/// Candidates whose JSON lines one core writes at a time.
const LINES_PER_TASK: usize = 64;

/// JSON Lines: an object per candidate with every outcome and its reason
/// (or the candidate's errors); metadata only when asked for.
pub struct JsonLines<W: Write> {
    pub out: W,
    pub include_metadata: bool,
    /// The reasons written so far, one cache per thread, the openings of
    /// the entities' objects, and the referential they were written for
    /// (its address).
    reasons: Vec<std::sync::Mutex<JsonCache>>,
    ids: Option<JsonIds>,
    written_for: usize,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W, include_metadata: bool) -> Self {
        JsonLines {
            out,
            include_metadata,
            reasons: Vec::new(),
            ids: None,
            written_for: 0,
        }
    }
}

impl<W: Write> ResultSink for JsonLines<W> {
    /// A new run: the reasons and openings written for another (its
    /// referential may have been freed, and another put at its address)
    /// are forgotten.
    fn start(&mut self, _plan: &Plan<'_>) -> Result<(), EvalError> {
        self.reasons.clear();
        self.ids = None;
        Ok(())
    }
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        // Each line (every outcome with its reason) is written on every
        // core, a run of candidates at a time; the runs are written in
        // input order.
        let include_metadata = self.include_metadata;
        // One cache of reasons per thread, kept from batch to batch (one
        // more for a caller outside the pool), and the openings.
        let threads = rayon::current_num_threads() + 1;
        let written_for = std::ptr::from_ref(plan.ir()) as usize;
        if self.reasons.len() != threads || self.written_for != written_for {
            self.written_for = written_for;
            self.reasons = (0..threads).map(|_| Default::default()).collect();
            self.ids = None;
        }
        let ids = &*self.ids.get_or_insert_with(|| JsonIds::new(plan));
        let caches = &self.reasons;
        on_every_core(candidates, &mut self.out, |run, buffer| {
            let mut text = into_text(buffer);
            let thread = rayon::current_thread_index().unwrap_or(threads - 1);
            // Each thread locks its own cache: never waits.
            let mut own = None;
            let mut fresh = JsonCache::default();
            let cache = match caches.get(thread).map(|c| c.lock()) {
                Some(Ok(guard)) => &mut **own.insert(guard),
                _ => &mut fresh,
            };
            for e in run {
                json_line(plan, ids, e, include_metadata, cache, &mut text);
            }
            Ok(text.into_bytes())
        })
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        self.out.flush().map_err(EvalError::Write)
    }
}

/// The summary line: "65 candidates: 40 validated, …", in the
/// referential's language (« 65 candidats : 40 validés, … »).
pub fn summary_text(s: &Summary, lang: Lang) -> String {
    let mut text = if lang.fr {
        format!(
            "{} : {} {}, {} {}, {} en attente, {} en erreur",
            count(s.candidates, "candidat", "candidats"),
            s.validated,
            plural(s.validated, "validé", "validés"),
            s.not_validated,
            plural(s.not_validated, "non validé", "non validés"),
            s.pending,
            s.errors
        )
    } else {
        format!(
            "{} candidates: {} validated, {} not validated, {} pending, {} with errors",
            s.candidates, s.validated, s.not_validated, s.pending, s.errors
        )
    };
    if s.file_errors > 0 {
        if lang.fr {
            let _ = write!(
                text,
                " ; {}",
                if s.file_errors == 1 {
                    "1 ligne n'a pas pu être lue".to_string()
                } else {
                    format!("{} lignes n'ont pas pu être lues", s.file_errors)
                }
            );
        } else {
            let lines = if s.file_errors == 1 { "line" } else { "lines" };
            let _ = write!(text, "; {} {lines} could not be read", s.file_errors);
        }
    }
    text.push('\n');
    text
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n > 1 {
        many
    } else {
        one
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// "A1: 49 validated (75%), 6 not validated, 10 pending", one line per
/// block (« A1 : 49 validés (75 %), … » in French).
fn block_counts(s: &Summary, lang: Lang) -> String {
    let mut text = String::from("\n");
    let evaluated = s.candidates - s.errors;
    for (id, v, n, p) in &s.blocks {
        let rate = (100 * v).checked_div(evaluated).unwrap_or(0);
        if lang.fr {
            let _ = writeln!(
                text,
                "{id} : {v} {} ({rate}\u{a0}%), {n} {}, {p} en attente",
                plural(*v, "validé", "validés"),
                plural(*n, "non validé", "non validés"),
            );
        } else {
            let _ = writeln!(
                text,
                "{id}: {v} validated ({rate}%), {n} not validated, {p} pending"
            );
        }
    }
    text
}

/// The assessments with an outcome (a rule over their parts), in
/// declaration order: CSV columns after the competencies.
fn decided_assessments<'p>(plan: &'p Plan<'_>) -> impl Iterator<Item = &'p str> {
    plan.ir()
        .assessments
        .iter()
        .filter(|a| a.rule.is_some())
        .map(|a| a.id.as_str())
}

fn blocks<'p>(plan: &'p Plan<'_>) -> Vec<&'p str> {
    plan.ir().blocks.iter().map(|b| b.id.as_str()).collect()
}

fn word(plan: &Plan<'_>, e: &Evaluated, id: &str) -> &'static str {
    match &e.outcomes {
        None => "error",
        Some(o) => o
            .get(plan, id)
            .map_or("error", |o| o.word(plan.is_criterion(id))),
    }
}

/// The outcome as the table shows it, followed by its source when it does
/// not come from this session's grades: `validated (equivalence)`; in
/// French words for a French referential (« validée (équivalence) »).
fn sourced_word(plan: &Plan<'_>, e: &Evaluated, id: &str) -> String {
    let lang = plan.lang();
    let w = match (&e.outcomes, lang.fr) {
        (None, true) => "erreur".to_string(),
        (Some(o), true) => o
            .get(plan, id)
            .map_or_else(|| "erreur".to_string(), |o| plan.outcome_agreeing(id, o)),
        (_, false) => word(plan, e, id).to_string(),
    };
    match e.outcomes.as_ref().and_then(|o| o.source(plan, id)) {
        Some(source) if lang.fr => format!("{w} ({})", source.french()),
        Some(source) => format!("{w} ({})", source.word()),
        None => w,
    }
}

/// The source of an outcome as results write it: empty for this session's
/// grades.
fn source_word(plan: &Plan<'_>, e: &Evaluated, id: &str) -> &'static str {
    e.outcomes
        .as_ref()
        .and_then(|o| o.source(plan, id))
        .map_or("", Source::word)
}

/// The width of an outcome column: wider when outcomes may say their
/// source (`validated (equivalence)`).
fn column(plan: &Plan<'_>) -> usize {
    if plan.ir().records.is_empty() {
        14
    } else {
        28
    }
}

fn table_header(plan: &Plan<'_>) -> String {
    let w = column(plan);
    let candidate = plan.lang().t("candidate", "candidat");
    let mut line = format!("{candidate:<16} {:<w$}", "certification");
    for b in blocks(plan) {
        let _ = write!(line, " {b:<w$}");
    }
    line.truncate(line.trim_end().len());
    line.push('\n');
    line
}

fn table_line(plan: &Plan<'_>, e: &Evaluated, text: &mut String) {
    let w = column(plan);
    let mut line = format!(
        "{:<16} {:<w$}",
        e.raw.id,
        sourced_word(plan, e, "certification")
    );
    for b in blocks(plan) {
        let _ = write!(line, " {:<w$}", sourced_word(plan, e, b));
    }
    line.truncate(line.trim_end().len());
    text.push_str(&line);
    text.push('\n');
}

/// The entities of a JSON line's `outcomes`, in the order of their ids'
/// bytes (the order of a JSON object's keys in the results, documented),
/// each with its slot and whether it is a criterion: looked up once per
/// run, not per candidate.
struct JsonIds {
    entities: Vec<(Box<str>, Option<usize>, Option<usize>)>,
    /// Per entity, what opens its object up to its reason, for each
    /// outcome (validated or acquired, not, pending, none):
    /// `"C1":{"outcome":"validated","reason":`.
    opening: Vec<[String; 4]>,
    /// Runs of at least two consecutive criteria, at most
    /// [`RUN_CRITERIA`] each, in order: their entities.
    runs: Vec<std::ops::Range<usize>>,
    certification: Option<usize>,
}

impl JsonIds {
    fn new(plan: &Plan<'_>) -> JsonIds {
        let mut entities: Vec<(Box<str>, Option<usize>, Option<usize>)> = plan
            .ids()
            .iter()
            .copied()
            .filter(|id| *id != "certification")
            .map(|id| (Box::from(id), plan.slot(id), plan.criterion_index(id)))
            .collect();
        entities.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        entities.dedup_by(|a, b| a.0 == b.0);
        let opening = entities
            .iter()
            .map(|(id, _, criterion)| {
                let open = |word: &str| {
                    let mut out = String::new();
                    let mut inner = true;
                    json_string(&mut out, id);
                    out.push_str(":{");
                    json_member(&mut out, &mut inner, "outcome");
                    json_string(&mut out, word);
                    json_member(&mut out, &mut inner, "reason");
                    out
                };
                let word = |o: Outcome| o.word(criterion.is_some());
                [
                    open(word(Outcome::Passed)),
                    open(word(Outcome::Failed)),
                    open(word(Outcome::Pending)),
                    open("error"),
                ]
            })
            .collect();
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        for (k, (_, slot, criterion)) in entities.iter().enumerate() {
            if slot.is_none() || criterion.is_none() {
                continue;
            }
            match runs.last_mut() {
                Some(run) if run.end == k && run.len() < RUN_CRITERIA => run.end = k + 1,
                _ => runs.push(k..k + 1),
            }
        }
        runs.retain(|run| run.len() >= 2);
        JsonIds {
            entities,
            opening,
            runs,
            certification: plan.slot("certification"),
        }
    }
}

/// `text` as a JSON string, escaped as serde_json escapes it (`"`, `\\`
/// and control characters; nothing else).
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    // Most texts need no escape: looked at without stopping early, which
    // the compiler turns into wide comparisons.
    let plain = !text.bytes().fold(false, |escape, b| {
        escape | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.push_str(text);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

/// A key and its string value, after a comma unless `first`.
fn json_member(out: &mut String, first: &mut bool, key: &str) {
    if !std::mem::take(first) {
        out.push(',');
    }
    json_string(out, key);
    out.push(':');
}

/// One candidate's line, written directly (no JSON tree): the keys in the
/// order serde_json's maps keep them (sorted), byte for byte what writing
/// a `serde_json::Value` gave.
fn json_line(
    plan: &Plan<'_>,
    ids: &JsonIds,
    e: &Evaluated,
    include_metadata: bool,
    cache: &mut JsonCache,
    text: &mut String,
) {
    let out = text;
    let mut first = true;
    out.push('{');
    json_member(out, &mut first, "candidate");
    json_string(out, &e.raw.id);
    json_member(out, &mut first, "certification");
    let certification = match (&e.outcomes, ids.certification) {
        (Some(o), Some(slot)) => o.at(slot).map_or("error", |o| o.word(false)),
        _ => "error",
    };
    json_string(out, certification);
    match &e.outcomes {
        None => {
            json_member(out, &mut first, "errors");
            out.push('[');
            for (k, p) in e.problems.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{{\"column\":");
                match p.column {
                    Some(c) => {
                        let _ = write!(out, "{c}");
                    }
                    None => out.push_str("null"),
                }
                let _ = write!(out, ",\"line\":{},\"message\":", p.line);
                match serde_json::to_string(&p.message) {
                    Ok(message) => out.push_str(&message),
                    Err(_) => out.push_str("null"),
                }
                out.push('}');
            }
            out.push(']');
            json_metadata(out, &mut first, e, include_metadata);
        }
        Some(outcomes) => {
            json_metadata(out, &mut first, e, include_metadata);
            json_member(out, &mut first, "outcomes");
            out.push('{');
            // Runs of criteria are kept whole, but with a session (whose
            // lines hold the grades too).
            let mut runs = ids.runs.iter().enumerate().peekable();
            let mut k = 0;
            while k < ids.entities.len() {
                match runs.next_if(|(_, run)| run.start == k) {
                    Some((at, run)) if e.session.is_none() => {
                        json_run(plan, ids, at, run.clone(), e, outcomes, cache, out);
                        k = run.end;
                    }
                    _ => {
                        json_entity(plan, ids, k, e, outcomes, &mut cache.reasons, out);
                        k += 1;
                    }
                }
            }
            out.push('}');
            json_member(out, &mut first, "reason");
            match ids.certification {
                Some(slot) => plan.reason_into(
                    slot,
                    "certification",
                    &e.grades,
                    outcomes,
                    &mut cache.reasons,
                    out,
                    json_string,
                ),
                None => json_string(out, &plan.reason("certification", &e.grades, outcomes)),
            }
            json_session(out, &mut first, e);
            if let Some(source) = outcomes.source(plan, "certification") {
                json_member(out, &mut first, "source");
                out.push_str(&source_json(plan, "certification", source).to_string());
            }
            out.push_str("}\n");
            return;
        }
    }
    json_session(out, &mut first, e);
    out.push_str("}\n");
}

/// The entity `k` of `ids` in a candidate's `outcomes`: its id, outcome
/// and reason (with a session, its grade; with a record, its source),
/// after a comma unless it is the first.
fn json_entity(
    plan: &Plan<'_>,
    ids: &JsonIds,
    k: usize,
    e: &Evaluated,
    outcomes: &Outcomes,
    reasons: &mut Reasons,
    out: &mut String,
) {
    let Some((id, slot, criterion)) = ids.entities.get(k) else {
        return;
    };
    let (id, slot, criterion) = (&**id, *slot, *criterion);
    if k > 0 {
        out.push(',');
    }
    let outcome = slot.and_then(|slot| outcomes.at(slot));
    let mut inner = true;
    let opening = ids.opening.get(k).filter(|_| e.session.is_none());
    match opening {
        // `"id":{"outcome":"…","reason":`, written once.
        Some(opening) => {
            out.push_str(match outcome {
                Some(Outcome::Passed) => &opening[0],
                Some(Outcome::Failed) => &opening[1],
                Some(Outcome::Pending) => &opening[2],
                None => &opening[3],
            });
            inner = false;
        }
        None => {
            json_string(out, id);
            out.push_str(":{");
        }
    }
    // With a session, the grades too: the results are then the history of
    // the next session.
    if e.session.is_some() {
        if let Some(g) = criterion.and_then(|index| e.grades.value(index).map(|g| (index, g))) {
            json_member(out, &mut inner, "grade");
            json_string(out, &plan.grade_written(g.0, g.1));
        }
    }
    if opening.is_none() {
        let outcome = outcome.map_or("error", |o| o.word(criterion.is_some()));
        json_member(out, &mut inner, "outcome");
        json_string(out, outcome);
        json_member(out, &mut inner, "reason");
    }
    match slot {
        Some(slot) => plan.reason_into(slot, id, &e.grades, outcomes, reasons, out, json_string),
        None => json_string(out, &plan.reason(id, &e.grades, outcomes)),
    }
    if let Some(source) = outcomes.source(plan, id) {
        json_member(out, &mut inner, "source");
        out.push_str(&source_json(plan, id, source).to_string());
    }
    out.push('}');
}

/// The criteria `members` (run `at` of `ids.runs`), as [`json_entity`]
/// writes them one by one: when
/// each one's reason is decided by a small number
/// ([`Plan::criterion_reason_key`]), the text of the whole run is kept by
/// those numbers, and a candidate whose criteria have the values of one
/// before gets it in one copy (most candidates acquire most criteria
/// alike).
#[allow(
    clippy::too_many_arguments,
    reason = "the candidate, where its run is, and where it goes"
)]
fn json_run(
    plan: &Plan<'_>,
    ids: &JsonIds,
    at: usize,
    members: std::ops::Range<usize>,
    e: &Evaluated,
    outcomes: &Outcomes,
    cache: &mut JsonCache,
    out: &mut String,
) {
    let each = |cache: &mut JsonCache, out: &mut String| {
        for k in members.clone() {
            json_entity(plan, ids, k, e, outcomes, &mut cache.reasons, out);
        }
    };
    let mut key: u128 = 0;
    for (_, slot, _) in ids.entities.get(members.clone()).unwrap_or_default() {
        match slot.and_then(|slot| plan.criterion_reason_key(slot, &e.grades, outcomes)) {
            Some(k) => key = (key << CRITERION_REASON_KEY_BITS) | u128::from(k),
            None => return each(cache, out),
        }
    }
    if cache.runs.len() <= at {
        cache.runs.resize_with(at + 1, RunTexts::default);
    }
    if let Some(text) = cache.runs.get_mut(at).and_then(|texts| texts.find(key)) {
        return out.push_str(text);
    }
    let start = out.len();
    each(cache, out);
    let text = out.get(start..).unwrap_or_default();
    // Kept within the thread's budget: a referential of thousands of
    // criteria makes long runs, and varied grades many of them.
    if cache.kept + text.len() <= RUN_BYTES {
        if let Some(texts) = cache.runs.get_mut(at) {
            if texts.keep(key, text) {
                cache.kept += text.len();
            }
        }
    }
}

/// The most criteria in a run: their keys side by side in 128 bits.
const RUN_CRITERIA: usize = 14;
const _: () = assert!(CRITERION_REASON_KEY_BITS as usize * RUN_CRITERIA <= 128);

/// Texts of runs kept per run (past that, runs are written entity by
/// entity, with each entity's own cache), and the bytes of run texts one
/// thread keeps in all.
const RUN_TEXTS: usize = 256;
const RUN_BYTES: usize = 8 << 20;

/// The texts of one run of criteria by their keys.
#[derive(Default)]
struct RunTexts {
    /// The last found or kept: most candidates have the values of the one
    /// before, found without hashing.
    last: Option<(u128, usize)>,
    known: rustc_hash::FxHashMap<u128, usize>,
    texts: Vec<Box<str>>,
}

impl RunTexts {
    fn find(&mut self, key: u128) -> Option<&str> {
        let at = match self.last {
            Some((last, at)) if last == key => at,
            _ => {
                let at = *self.known.get(&key)?;
                self.last = Some((key, at));
                at
            }
        };
        self.texts.get(at).map(|t| &**t)
    }

    /// Keeps `text` for `key`, unless [`RUN_TEXTS`] are kept already.
    fn keep(&mut self, key: u128, text: &str) -> bool {
        if self.texts.len() >= RUN_TEXTS {
            return false;
        }
        self.texts.push(Box::from(text));
        let at = self.texts.len() - 1;
        self.known.insert(key, at);
        self.last = Some((key, at));
        true
    }
}

/// What one thread keeps from candidate to candidate: the reasons of each
/// entity and the texts of runs of criteria.
#[derive(Default)]
struct JsonCache {
    reasons: Reasons,
    runs: Vec<RunTexts>,
    /// The bytes of the texts kept in `runs`.
    kept: usize,
}

fn json_session(out: &mut String, first: &mut bool, e: &Evaluated) {
    if let Some(session) = e.session {
        json_member(out, first, "session");
        json_string(out, &session.to_string());
    }
}

/// The candidate's metadata (when asked for), its keys sorted; of a key
/// given twice, the last value.
fn json_metadata(out: &mut String, first: &mut bool, e: &Evaluated, include: bool) {
    if !include || e.raw.metadata.is_empty() {
        return;
    }
    let metadata: std::collections::BTreeMap<&str, &str> = e
        .raw
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    json_member(out, first, "metadata");
    out.push('{');
    let mut inner = true;
    for (k, v) in metadata {
        json_member(out, &mut inner, k);
        json_string(out, v);
    }
    out.push('}');
}

/// The `source` of an outcome in JSON results: its kind and what it
/// rests on (the session and when it expires; the equivalence; the
/// dispensation; the jury's author, date, justification and what the rules
/// alone gave).
fn source_json(plan: &Plan<'_>, id: &str, source: &Source) -> serde_json::Value {
    use serde_json::json;
    let is_criterion = plan.is_criterion(id);
    match source {
        Source::Earlier { session, expires } => json!({
            "kind": "earlier",
            "session": session.to_string(),
            "expires": expires.map(|e| e.to_string()),
        }),
        Source::Equivalence { id } => {
            let rncp = plan
                .ir()
                .records
                .equivalences
                .iter()
                .find(|e| &e.id == id)
                .and_then(|e| e.rncp.clone());
            json!({ "kind": "equivalence", "equivalence": id, "rncp": rncp })
        }
        Source::Dispensation { id, effect } => json!({
            "kind": "dispensation",
            "dispensation": id,
            "effect": match effect {
                acquis_ir::DispensationEffect::Excluded => "excluded",
                acquis_ir::DispensationEffect::Validated => "validated",
            },
        }),
        Source::Jury {
            author,
            date,
            justification,
            rules,
        } => json!({
            "kind": "jury",
            "author": author,
            "date": date.to_string(),
            "justification": justification,
            "rules": rules.word(is_criterion),
        }),
        Source::AwaitingJury { rules } => json!({
            "kind": "jury",
            "awaiting": true,
            "rules": rules.word(is_criterion),
        }),
    }
}

/// What `acquis test` prints: each failed expectation with the actual
/// outcome and its reason, then the counts, in the referential's language.
pub fn examples_text(plan: &Plan<'_>, failures: &[crate::plan::Failure], checked: usize) -> String {
    let lang = plan.lang();
    let mut out = String::new();
    let word = |id: &str, o: acquis_ir::OutcomeIr| -> String {
        if !lang.fr {
            return o.word().to_string();
        }
        let outcome = match o {
            acquis_ir::OutcomeIr::Acquired | acquis_ir::OutcomeIr::Validated => {
                crate::plan::Outcome::Passed
            }
            acquis_ir::OutcomeIr::NotAcquired | acquis_ir::OutcomeIr::NotValidated => {
                crate::plan::Outcome::Failed
            }
            acquis_ir::OutcomeIr::Pending => crate::plan::Outcome::Pending,
        };
        plan.outcome_agreeing(id, outcome)
    };
    for f in failures {
        let actual = f.actual.map_or_else(
            || lang.t("unknown", "inconnu").to_string(),
            |o| word(&f.id, o),
        );
        if lang.fr {
            let _ = writeln!(
                out,
                "ÉCHEC de l'exemple « {} » : {} attendu {}, obtenu {}\n  parce que {}",
                f.example,
                f.id,
                word(&f.id, f.expected),
                actual,
                f.reason
            );
        } else {
            let _ = writeln!(
                out,
                "FAIL example \"{}\": {} expected {}, actual {}\n  because {}",
                f.example,
                f.id,
                f.expected.word(),
                actual,
                f.reason
            );
        }
    }
    let examples = plan.ir().examples.len();
    let held = checked - failures.len();
    if lang.fr {
        let _ = writeln!(
            out,
            "{}, {} : {held} {}, {} en échec",
            count(examples, "exemple", "exemples"),
            count(checked, "attendu", "attendus"),
            plural(held, "vérifié", "vérifiés"),
            failures.len()
        );
    } else {
        let _ = writeln!(
            out,
            "{examples} examples, {checked} expectations: {held} held, {} failed",
            failures.len()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::json_string;

    #[test]
    fn case_folding_merges_what_case_insensitive_disks_merge() {
        use super::case_folded;
        assert_eq!(case_folded("ας"), case_folded("ασ"));
        assert_eq!(case_folded("ΑΣ"), case_folded("ας"));
        assert_eq!(case_folded("Élodie"), case_folded("éLODIE"));
        assert_ne!(case_folded("a_b"), case_folded("a-b"));
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u32..0x80)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b{c}"))
            .collect();
        texts.extend(
            [
                "",
                "moyenne 9,25 sur 20 « il faut au moins 10 »",
                "\u{7f}\u{85}\u{2028}\u{2029}\u{feff}é𝄞",
                "\"\\\"\\\\",
                "\u{1}\u{1f}",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut out = String::new();
            json_string(&mut out, &text);
            assert_eq!(Some(out), serde_json::to_string(&text).ok(), "{text:?}");
        }
    }
}
