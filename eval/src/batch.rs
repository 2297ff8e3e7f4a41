//! The batch driver of `acquis eval`: graded candidates in, evaluated
//! candidates out to a [`ResultSink`]. Reading is streamed
//! ([`crate::read`]), evaluation runs on every core in batches (rayon), and
//! the sink receives the candidates in input order.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use acquis_diagnostics::{text, Code, Diagnostic, Position, Text};
use rayon::prelude::*;
use std::collections::HashMap;

use acquis_diagnostics::Severity;
use acquis_ir::Session;

use crate::history::History;
use crate::plan::flat::{BatchOutcomes, BatchPlan};
use crate::plan::{GradeError, GradeValue, Grades, Outcome, Outcomes, Plan};
use crate::read::{self, InputError, InputFormat, PartReader, RawCandidate, RawGrade, Term, Texts};
use crate::record::{plan_for, Fact, Variants};
use crate::sink::ResultSink;
use crate::EvalError;

/// A problem found while reading or checking the grades, located, with
/// its diagnostic code (one of [`Code::GRADE_FILES`]).
#[derive(Clone, Debug)]
pub struct Problem {
    pub code: Code,
    pub line: usize,
    pub column: Option<usize>,
    /// The candidate whose rows have the problem; `None` for a row or line
    /// that belongs to no candidate (a bad header, an unreadable line).
    pub candidate: Option<String>,
    pub message: Text,
    /// The file it is in, when not the grades file (a history file).
    pub file: Option<std::sync::Arc<str>>,
}

/// Two problems are the same when they say the same words at the same
/// place (a message may be made of parts or written whole).
impl PartialEq for Problem {
    fn eq(&self, other: &Self) -> bool {
        (
            self.code,
            self.line,
            self.column,
            &self.candidate,
            &self.file,
        ) == (
            other.code,
            other.line,
            other.column,
            &other.candidate,
            &other.file,
        ) && self.message.english() == other.message.english()
    }
}

impl Eq for Problem {}

impl Problem {
    /// A reader's problem, in the rows of `candidate` when there is one.
    pub fn input(error: &InputError, candidate: Option<&str>) -> Problem {
        Problem {
            code: error.code,
            line: error.line,
            column: error.column,
            candidate: candidate.map(str::to_owned),
            message: error.message.clone(),
            file: None,
        }
    }

    /// The one diagnostic of this problem, in the grades file shown as
    /// `path`: at its line and column, the candidate as the label (the
    /// terminal shows `path:line:column: error: message (candidate `ID`)`),
    /// with the code's help.
    pub fn to_diagnostic(&self, path: &str) -> Diagnostic {
        let path = self.file.as_deref().unwrap_or(path);
        let mut d = Diagnostic::at(
            self.code,
            self.message.clone(),
            Position::line(path, self.line, self.column),
        );
        if let Some(candidate) = &self.candidate {
            d = d.with_primary_message(text!("candidate `{candidate}`", candidate = &candidate));
        }
        match help(self.code) {
            Some(help) => d.with_help(help),
            None => d,
        }
    }
}

/// How to fix a kind of problem of a grade file, for the narrated and JSON
/// diagnostics, when the message does not already say it (a malformed row,
/// a candidate in two places and a grade off the scale say it, with the
/// scale's levels or range). The one-line terminal form has the message
/// only.
pub(crate) fn help(code: Code) -> Option<Text> {
    Some(match code {
        Code::GradesUnreadable => {
            text!("check the path (relative to the current directory) and that the file can be read to its end")
        }
        Code::GradesEmpty => {
            text!("check that the path names the grades file and that its rows were saved")
        }
        Code::GradesHeader => {
            text!("the first row names the columns, separated by commas: `candidate,criterion,grade` \
             for one row per grade, or `candidate,<criterion id>,…` for one row per candidate")
        }
        Code::GradesNotUtf8 => {
            text!("save the file as UTF-8 (spreadsheets call it \"CSV UTF-8\"); a file saved as Latin-1 \
             or Windows-1252 stores `é` as one byte that is not UTF-8")
        }
        Code::UnknownCriterion => {
            text!(
                "write the qualified id of a criterion of the referential, such as `C1.3/CE2` \
             (or `E1/CE4` for a criterion an assessment shares)"
            )
        }
        Code::ConflictingGrades => {
            text!("keep one grade per candidate and criterion (the same grade twice is accepted)")
        }
        Code::AbsentWithoutRule => {
            text!("say in the referential what an absent candidate's grade counts as: `absent counts as 0`, \
             `absent counts as <level>` or `absent counts as not acquired`, in the criterion's scale, \
             in an assessment that evaluates it, or in `defaults`; leave the grade empty if it is \
             only not given yet (it is then pending)")
        }
        Code::UnknownCandidate => {
            text!("write the id as in the `candidate` column or key of the file")
        }
        Code::ResultsUnwritable => text!("check that the output path can be written"),
        _ => return None,
    })
}

/// One candidate, checked and evaluated.
pub struct Evaluated {
    pub raw: RawCandidate,
    pub grades: Grades,
    /// `None` when the candidate's grades have problems.
    pub outcomes: Option<Outcomes>,
    /// Its problems; warnings (an earlier result not used) leave it
    /// evaluated.
    pub problems: Vec<Problem>,
    /// The session evaluated, when one was given (`--session`).
    pub session: Option<Session>,
}

/// Opens a grades file and decides its format (extension, then the CSV
/// header), keeping the bytes already read for the reader.
pub(crate) fn open(
    path: &Path,
    forced: Option<InputFormat>,
) -> Result<(Box<dyn Read + Send>, InputFormat), EvalError> {
    let unreadable = |e: std::io::Error| EvalError::Unreadable {
        path: path.to_path_buf(),
        reason: acquis_diagnostics::text::io_reason(&e),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(EvalError::Unreadable {
            path: path.to_path_buf(),
            reason: acquis_diagnostics::text!("it is a directory"),
        });
    }
    let mut reader = BufReader::new(file);
    if let Some(format) = forced.or_else(|| InputFormat::from_extension(path)) {
        return Ok((Box::new(reader), format));
    }
    // The header decides; a first line past the readers' limit (a device
    // of zeros, a file without line breaks) is read no further here: the
    // reader then refuses it with its line number.
    let mut first = Vec::new();
    let limit = u64::try_from(read::MAX_LINE + 1).unwrap_or(u64::MAX);
    (&mut reader)
        .take(limit)
        .read_until(b'\n', &mut first)
        .map_err(unreadable)?;
    let header = String::from_utf8_lossy(&first).into_owned();
    let format =
        read::sniff_csv(header.trim_start_matches('\u{feff}')).unwrap_or(InputFormat::LongCsv);
    Ok((Box::new(std::io::Cursor::new(first).chain(reader)), format))
}

/// A candidate as read, with the facts of its record.
type WithFacts = (Result<RawCandidate, InputError>, Option<Vec<Fact>>);

/// What evaluating candidates with their records needs: the session
/// evaluated, and the plans of the referential with some dispensations'
/// members left out ([`crate::record::Variants`]).
pub struct RecordContext<'p> {
    pub session: Option<Session>,
    pub variants: &'p [(Vec<usize>, Plan<'p>)],
}

pub(crate) fn check(
    plan: &Plan<'_>,
    raw: RawCandidate,
    record: Option<(&RecordContext<'_>, &[Fact])>,
) -> Evaluated {
    check_or_defer(plan, raw, record, false, &mut Known::default()).0
}

/// Grades already checked, in the order they were met: the criterion
/// index and value of a grade whose terms are the very ones of a grade
/// checked before, in the same [`Texts`], or the criterion index alone
/// when only the criterion's term is. A file gives its grades in the same
/// order candidate after candidate, so the grade expected next is tried
/// (a candidate's first grade is expected to be the last candidate's
/// first), then the one after it (a grade left out), then the first: no
/// hashing, no comparison of text. Checking a grade found here gives what
/// checking its texts gives (tested against candidates checked alone).
#[derive(Default)]
struct Known {
    /// The texts the terms below stand for.
    texts: Texts,
    order: Vec<(Term, Term, usize, GradeValue)>,
    next: usize,
    /// Unknown criteria met in this chunk, with the criterion suggested
    /// for each: a grades file written for another referential names the
    /// same unknown criteria for every candidate.
    unknown: HashMap<String, Option<String>>,
}

/// How many unknown criteria [`Known`] remembers.
const UNKNOWN: usize = 1024;

/// How many grades [`Known`] remembers.
const KNOWN: usize = 4096;

/// What [`Known`] knows of a grade.
enum Found {
    /// Its criterion and its value.
    Grade(usize, GradeValue),
    /// Its criterion only: the grade before at that place had another
    /// value.
    Criterion(usize),
    Nothing,
}

impl Known {
    /// The criterion to suggest for `wanted`, unknown to the plan.
    fn closest_criterion(&mut self, plan: &Plan<'_>, wanted: &str) -> Option<String> {
        if let Some(close) = self.unknown.get(wanted) {
            return close.clone();
        }
        let close = plan.closest_criterion(wanted).map(str::to_string);
        if self.unknown.len() >= UNKNOWN {
            self.unknown.clear();
        }
        self.unknown.insert(wanted.to_string(), close.clone());
        close
    }

    /// A candidate's grades begin, their terms in `texts`: what was known
    /// of other texts is forgotten.
    fn start(&mut self, texts: &Texts) {
        if !self.texts.same(texts) {
            self.texts = texts.clone();
            self.order.clear();
        }
        self.next = 0;
    }

    fn find(&mut self, g: &RawGrade) -> Found {
        for at in [self.next, self.next + 1, 0] {
            if let Some(&(criterion, value, index, parsed)) = self.order.get(at) {
                if criterion == g.criterion {
                    if value == g.value {
                        self.next = at + 1;
                        return Found::Grade(index, parsed);
                    }
                    // Its value is kept at the same place.
                    self.next = at;
                    return Found::Criterion(index);
                }
            }
        }
        Found::Nothing
    }

    fn keep(&mut self, g: &RawGrade, index: usize, parsed: GradeValue) {
        let known = (g.criterion, g.value, index, parsed);
        if let Some(slot) = self.order.get_mut(self.next) {
            *slot = known;
        } else if self.order.len() < KNOWN {
            self.order.push(known);
        } else {
            return;
        }
        self.next += 1;
    }
}

/// [`check`], leaving the evaluation of a candidate decided by its grades
/// alone (no record, no problem) to the caller when `defer` is set: its
/// `outcomes` stay `None` and `true` comes back, so that the caller
/// evaluates such candidates together ([`BatchPlan`]).
fn check_or_defer(
    plan: &Plan<'_>,
    raw: RawCandidate,
    record: Option<(&RecordContext<'_>, &[Fact])>,
    defer: bool,
    known: &mut Known,
) -> (Evaluated, bool) {
    let mut deferred = false;
    let mut problems: Vec<Problem> = raw
        .errors
        .iter()
        .map(|e| Problem::input(e, Some(&raw.id)))
        .collect();
    let mut grades = Grades::new(plan);
    // Per criterion: the grade already given, its text and line. `ABS`
    // and the grade absence counts as are different grades.
    let mut seen: Vec<Option<(GradeValue, &str, usize)>> = vec![None; plan.ir().criteria.len()];
    known.start(raw.texts());
    for g in &raw.grades {
        let (criterion, value) = (raw.text(g.criterion), raw.text(g.value));
        let mut problem = |code: Code, message: Text| {
            problems.push(Problem {
                code,
                line: g.line,
                column: g.column,
                candidate: Some(raw.id.clone()),
                message,
                file: None,
            })
        };
        let found = known.find(g);
        let index = match found {
            Found::Grade(index, _) | Found::Criterion(index) => index,
            Found::Nothing => {
                let Some(index) = plan.criterion_index(criterion.trim()) else {
                    let message = match known.closest_criterion(plan, criterion.trim()) {
                        Some(close) => text!(
                            "unknown criterion `{criterion}` (did you mean `{close}`?)",
                            criterion = &criterion,
                            close = close
                        ),
                        None => text!("unknown criterion `{criterion}`", criterion = &criterion),
                    };
                    problem(Code::UnknownCriterion, message);
                    continue;
                };
                index
            }
        };
        let parsed = match found {
            Found::Grade(_, value) => Ok(value),
            Found::Criterion(_) | Found::Nothing => {
                let parsed = plan.parse_grade(index, value);
                if let Ok(value) = parsed {
                    known.keep(g, index, value);
                }
                parsed
            }
        };
        match parsed {
            Err(GradeError::NotOnScale(why)) => problem(
                Code::GradeNotOnScale,
                text!("grade of `{criterion}`: {why}", criterion = &criterion, why = why),
            ),
            Err(GradeError::NoAbsenceRule(why)) => problem(
                Code::AbsentWithoutRule,
                text!("grade of `{criterion}`: {why}", criterion = &criterion, why = why),
            ),
            Err(GradeError::UnknownCriterion) => problem(
                Code::UnknownCriterion,
                text!("unknown criterion `{criterion}`", criterion = &criterion),
            ),
            Ok(position) => match seen.get(index).copied().flatten() {
                Some((previous, text, line)) if previous != position => problem(
                    Code::ConflictingGrades,
                    text!("two different grades for `{criterion}`: `{text}` (line {line}) and `{trim}`", criterion = &criterion, text = &text, line = &line, trim = &value.trim()),
                ),
                Some(_) => {}
                None => {
                    if let Some(slot) = seen.get_mut(index) {
                        *slot = Some((position, value.trim(), g.line));
                    }
                    grades.set_value(index, position);
                }
            },
        }
    }
    let errors = |problems: &[Problem]| {
        problems
            .iter()
            .any(|p| p.code.severity() == Severity::Error)
    };
    let mut outcomes = None;
    let session = record.and_then(|(ctx, _)| ctx.session);
    if !errors(&problems) {
        match record {
            Some((ctx, facts)) if !facts.is_empty() || plan.awaits_jury() => {
                let (resolved, found) = plan.resolve_record(&raw.id, facts, ctx.session);
                problems.extend(found);
                if !errors(&problems) {
                    let exclusions = resolved.exclusions(plan.ir());
                    let variant = plan_for(plan, ctx.variants, &exclusions);
                    let (merged, o) = plan.evaluate_record(variant, &grades, &resolved);
                    grades = merged;
                    outcomes = Some(o);
                }
            }
            None if plan.awaits_jury() => {
                let (merged, o) = plan.evaluate_record(plan, &grades, &Default::default());
                grades = merged;
                outcomes = Some(o);
            }
            _ if defer => deferred = true,
            _ => outcomes = Some(plan.evaluate(&grades)),
        }
        if errors(&problems) {
            outcomes = None;
        }
    }
    let evaluated = Evaluated {
        raw,
        grades,
        outcomes,
        problems,
        session,
    };
    (evaluated, deferred)
}

/// Candidates checked and evaluated on one core at a time: enough for a
/// few words of 64 candidates, few enough to share a batch among cores.
const CHUNK: usize = 256;

/// Checks a chunk of candidates, then evaluates together those decided by
/// their grades alone, 64 to a word ([`BatchPlan`]); the others as
/// [`check`] does. In input order.
fn check_chunk(
    batch: &BatchPlan<'_, '_>,
    chunk: Vec<WithFacts>,
    context: Option<&RecordContext<'_>>,
    out: &mut BatchOutcomes,
) -> Vec<Result<Evaluated, InputError>> {
    let plan = batch.plan();
    let mut known = Known::default();
    let mut checked: Vec<(Result<Evaluated, InputError>, bool)> = chunk
        .into_iter()
        .map(|(item, facts)| match item {
            Ok(raw) => {
                let record = context.map(|c| (c, facts.as_deref().unwrap_or(&[])));
                let (e, deferred) = check_or_defer(plan, raw, record, true, &mut known);
                (Ok(e), deferred)
            }
            Err(e) => (Err(e), false),
        })
        .collect();
    let deferred = checked
        .iter()
        .filter_map(|(e, deferred)| match (e, deferred) {
            (Ok(e), true) => Some(&e.grades),
            _ => None,
        });
    batch.evaluate(deferred, out);
    let mut k = 0;
    for (e, deferred) in &mut checked {
        if let (Ok(e), true) = (e, *deferred) {
            let mut outcomes = Outcomes::default();
            out.outcomes_into(k, &mut outcomes);
            e.outcomes = Some(outcomes);
            k += 1;
        }
    }
    checked.into_iter().map(|(e, _)| e).collect()
}

/// Counts for the summary line and the exit status.
#[derive(Default)]
pub struct Summary {
    pub candidates: usize,
    pub validated: usize,
    pub not_validated: usize,
    pub pending: usize,
    pub errors: usize,
    /// Problems not attached to a candidate (bad lines, bad header).
    pub file_errors: usize,
    /// Per block: (id, validated, not validated, pending).
    pub blocks: Vec<(String, usize, usize, usize)>,
    /// Each block's outcome slot ([`Plan::slot`]).
    slots: Vec<Option<usize>>,
}

/// Evaluates every candidate of the grades file at `path`, handing them to
/// `sink` in input order, and each problem of the file, as a diagnostic
/// located by line and column, to `problems` as soon as it is found (the
/// file is streamed: nothing waits for its end).
pub fn run(
    plan: &Plan<'_>,
    path: &Path,
    input_format: Option<InputFormat>,
    sink: &mut dyn ResultSink,
    problems: &mut dyn FnMut(Diagnostic),
) -> Result<Summary, EvalError> {
    run_with_history(plan, path, input_format, None, sink, problems)
}

/// [`run`] with the candidates' records (`--history`, `--session`): each
/// candidate is evaluated with its facts, and the candidates of the
/// history that have no grades this session are evaluated after the
/// others, in the history's order (no candidate is lost).
pub fn run_with_history(
    plan: &Plan<'_>,
    path: &Path,
    input_format: Option<InputFormat>,
    mut history: Option<&mut History>,
    sink: &mut dyn ResultSink,
    problems: &mut dyn FnMut(Diagnostic),
) -> Result<Summary, EvalError> {
    let (reader, format) = open(path, input_format)?;
    let shown = path.display().to_string();
    let mut summary = Summary::default();
    let keys = history
        .as_ref()
        .map(|h| h.exclusion_keys(plan.ir()))
        .unwrap_or_default();
    let variants = Variants::new(plan.ir(), &keys);
    let plans = variants.plans();
    let context = history.as_ref().map(|h| RecordContext {
        session: h.session,
        variants: &plans,
    });
    if let Some(h) = history.as_deref_mut() {
        for p in std::mem::take(&mut h.problems) {
            summary.file_errors += 1;
            problems(p.to_diagnostic(&shown));
        }
    }
    sink.start(plan)?;
    let batch_plan = BatchPlan::new(plan);
    let mut items = PartReader::new(reader, format);
    // Three stages, each on every core it can use: the file is read in
    // parts (`PartReader`) while the batch read before it is evaluated,
    // and the one evaluated before that is written (in input order, on
    // this thread: the sink and the diagnostics stay here).
    let mut batch: Vec<Result<RawCandidate, InputError>> = items.next_items();
    let mut evaluated: Vec<Result<Evaluated, InputError>> = Vec::new();
    let mut rest_done = history.is_none();
    // The facts of the history's candidates without grades, already taken.
    let mut rest_facts: Vec<Option<Vec<Fact>>> = Vec::new();
    loop {
        if batch.is_empty() && !rest_done {
            // The history's candidates without grades this session.
            rest_done = true;
            let rest = history
                .as_deref_mut()
                .map(History::rest)
                .unwrap_or_default();
            for (id, facts) in rest {
                batch.push(Ok(RawCandidate::new(&id, 0)));
                rest_facts.push(Some(facts));
            }
        }
        if batch.is_empty() {
            write(plan, evaluated, &shown, &mut summary, sink, problems)?;
            break;
        }
        let mut rest_facts_iter = std::mem::take(&mut rest_facts).into_iter();
        let with_facts: Vec<WithFacts> = batch
            .into_iter()
            .map(|item| {
                let facts = match (&item, history.as_deref_mut()) {
                    (Ok(raw), Some(h)) => {
                        h.take(&raw.id).or_else(|| rest_facts_iter.next().flatten())
                    }
                    _ => None,
                };
                (item, facts)
            })
            .collect();
        let context = context.as_ref();
        let batch_plan = &batch_plan;
        let items = &mut items;
        let written;
        (batch, written, evaluated) = std::thread::scope(|scope| {
            let stages = scope.spawn(move || {
                rayon::join(
                    || items.next_items(),
                    || {
                        let chunks: Vec<Vec<_>> = with_facts
                            .into_par_iter()
                            .chunks(CHUNK)
                            .map_init(BatchOutcomes::new, |out, chunk| {
                                check_chunk(batch_plan, chunk, context, out)
                            })
                            .collect();
                        chunks.into_iter().flatten().collect()
                    },
                )
            });
            let written = write(
                plan,
                std::mem::take(&mut evaluated),
                &shown,
                &mut summary,
                sink,
                problems,
            );
            match stages.join() {
                Ok((next, done)) => (next, written, done),
                // A panic in the reader or the plan is a bug: it goes on
                // as it would have on this thread.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        written?;
    }
    sink.finish(plan, &summary)?;
    Ok(summary)
}

/// Writes evaluated candidates to `sink`, in order, their problems to
/// `problems`, and counts them in `summary`.
fn write(
    plan: &Plan<'_>,
    evaluated: Vec<Result<Evaluated, InputError>>,
    shown: &str,
    summary: &mut Summary,
    sink: &mut dyn ResultSink,
    problems: &mut dyn FnMut(Diagnostic),
) -> Result<(), EvalError> {
    let mut candidates = Vec::with_capacity(evaluated.len());
    for item in evaluated {
        match item {
            Err(e) => {
                summary.file_errors += 1;
                problems(Problem::input(&e, None).to_diagnostic(shown));
            }
            Ok(e) => {
                for p in &e.problems {
                    problems(p.to_diagnostic(shown));
                }
                summary.add(plan, e.outcomes.as_ref());
                candidates.push(e);
            }
        }
    }
    if candidates.is_empty() {
        return Ok(());
    }
    sink.batch(plan, &candidates)
}

impl Summary {
    /// Counts one candidate: `None` when its grades have problems.
    fn add(&mut self, plan: &Plan<'_>, outcomes: Option<&Outcomes>) {
        self.candidates += 1;
        if let Some(outcomes) = outcomes {
            if self.blocks.is_empty() {
                self.blocks = plan
                    .ir()
                    .blocks
                    .iter()
                    .map(|b| (b.id.clone(), 0, 0, 0))
                    .collect();
                self.slots = plan.ir().blocks.iter().map(|b| plan.slot(&b.id)).collect();
            }
            for ((_, v, n, p), slot) in self.blocks.iter_mut().zip(&self.slots) {
                match slot.and_then(|slot| outcomes.at(slot)) {
                    Some(Outcome::Passed) => *v += 1,
                    Some(Outcome::Failed) => *n += 1,
                    _ => *p += 1,
                }
            }
        }
        match outcomes.and_then(|o| o.get(plan, "certification")) {
            None => self.errors += 1,
            Some(Outcome::Passed) => self.validated += 1,
            Some(Outcome::Failed) => self.not_validated += 1,
            Some(Outcome::Pending) => self.pending += 1,
        }
    }
}
