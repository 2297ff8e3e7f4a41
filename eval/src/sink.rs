//! Where evaluated candidates go: one [`ResultSink`] per output format.
//! The text formats (table, JSON Lines, CSV) are here; the HTML pages
//! (`acquis_publish::report::Pages`) and Open Badges credentials
//! (`acquis_interop::ob3`) implement the same trait in their crates, so the
//! command line chooses a format with one `match`.

use std::fmt::Write as _;
use std::io::Write;

use crate::batch::{Evaluated, Summary};
use crate::plan::Plan;
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
        let mut text = String::new();
        for e in candidates {
            table_line(plan, e, &mut text);
        }
        put(&mut self.0, &text)
    }
    fn finish(&mut self, plan: &Plan<'_>, summary: &Summary) -> Result<(), EvalError> {
        put(&mut self.0, &block_counts(summary, plan.lang()))?;
        put(&mut self.0, &summary_text(summary, plan.lang()))?;
        self.0.flush().map_err(EvalError::Write)
    }
}

/// CSV (RFC 4180, through the csv crate): a row per candidate with the
/// certification, every block and every competency.
pub struct Csv<W: Write>(csv::Writer<W>);

impl<W: Write> Csv<W> {
    pub fn new(out: W) -> Self {
        Csv(csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out))
    }
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
        self.0.write_record(header).map_err(csv_error)
    }
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        let ir = plan.ir();
        for e in candidates {
            let row = [e.raw.id.as_str(), word(plan, e, "certification")]
                .into_iter()
                .chain(ir.blocks.iter().map(|b| word(plan, e, &b.id)))
                .chain(ir.competencies.iter().map(|c| word(plan, e, &c.id)))
                .chain(decided_assessments(plan).map(|a| word(plan, e, a)));
            let sources = (!ir.records.is_empty()).then(|| {
                std::iter::once("certification")
                    .chain(ir.blocks.iter().map(|b| b.id.as_str()))
                    .map(|id| source_word(plan, e, id))
            });
            let row: Vec<&str> = row.chain(sources.into_iter().flatten()).collect();
            self.0.write_record(row).map_err(csv_error)?;
        }
        Ok(())
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        self.0.flush().map_err(EvalError::Write)
    }
}

/// Candidates whose JSON lines one core writes at a time.
const LINES_PER_TASK: usize = 64;

/// JSON Lines: an object per candidate with every outcome and its reason
/// (or the candidate's errors); metadata only when asked for.
pub struct JsonLines<W: Write> {
    pub out: W,
    pub include_metadata: bool,
}

impl<W: Write> ResultSink for JsonLines<W> {
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        // Each line (every outcome with its reason) is written on every
        // core, a run of candidates at a time; the runs are written in
        // input order.
        // A few runs at a time, so that the lines waiting to be written
        // stay a small part of the batch.
        use rayon::prelude::*;
        let include_metadata = self.include_metadata;
        for group in candidates.chunks(LINES_PER_TASK * 4) {
            let runs: Vec<String> = group
                .par_chunks(LINES_PER_TASK)
                .map(|run| {
                    let mut text = String::new();
                    for e in run {
                        json_line(plan, e, include_metadata, &mut text);
                    }
                    text
                })
                .collect();
            for text in &runs {
                put(&mut self.out, text)?;
            }
        }
        Ok(())
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

fn json_line(plan: &Plan<'_>, e: &Evaluated, include_metadata: bool, text: &mut String) {
    use serde_json::{json, Map, Value};
    let mut object = Map::new();
    object.insert("candidate".into(), Value::String(e.raw.id.clone()));
    if let Some(session) = e.session {
        object.insert("session".into(), Value::String(session.to_string()));
    }
    object.insert(
        "certification".into(),
        Value::String(word(plan, e, "certification").into()),
    );
    if let Some(outcomes) = &e.outcomes {
        let mut map = Map::new();
        for id in plan.ids() {
            if *id == "certification" {
                continue;
            }
            let outcome = outcomes
                .get(plan, id)
                .map_or("error", |o| o.word(plan.is_criterion(id)));
            let mut entry =
                json!({ "outcome": outcome, "reason": plan.reason(id, &e.grades, outcomes) });
            if let Value::Object(entry) = &mut entry {
                // With a session, the grades too: the results are then the
                // history of the next session.
                if e.session.is_some() {
                    if let Some(index) = plan.criterion_index(id) {
                        if let Some(g) = e.grades.value(index) {
                            entry.insert(
                                "grade".into(),
                                Value::String(plan.grade_written(index, g)),
                            );
                        }
                    }
                }
                if let Some(source) = outcomes.source(plan, id) {
                    entry.insert("source".into(), source_json(plan, id, source));
                }
            }
            map.insert((*id).to_string(), entry);
        }
        if let Some(source) = outcomes.source(plan, "certification") {
            object.insert("source".into(), source_json(plan, "certification", source));
        }
        object.insert(
            "reason".into(),
            Value::String(plan.reason("certification", &e.grades, outcomes)),
        );
        object.insert("outcomes".into(), Value::Object(map));
    } else {
        let errors: Vec<Value> = e
            .problems
            .iter()
            .map(|p| json!({ "line": p.line, "column": p.column, "message": p.message }))
            .collect();
        object.insert("errors".into(), Value::Array(errors));
    }
    if include_metadata && !e.raw.metadata.is_empty() {
        let metadata: Map<String, Value> = e
            .raw
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        object.insert("metadata".into(), Value::Object(metadata));
    }
    text.push_str(&Value::Object(object).to_string());
    text.push('\n');
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
