//! `acquis eval` and `acquis explain`: graded candidates in, outcomes out.
//! Reading is streamed (`input`), evaluation runs on every core in batches
//! (rayon), and results are written in input order.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use acquis_compiler::diagnostic::did_you_mean;
use acquis_compiler::eval::{GradeError, Grades, Outcome, Outcomes, Plan};
use rayon::prelude::*;

use crate::input::{self, InputError, InputFormat, RawCandidate};

/// Candidates evaluated together on all cores (two batches are in memory:
/// the one evaluated and the next one read); bounds memory whatever the
/// size of the input.
const BATCH: usize = 2048;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    /// Open Badges 3.0 credentials (docs/interop.md)
    Ob3,
    /// One page per candidate and a cohort page (src/report), in the directory given by -o
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputKind {
    LongCsv,
    WideCsv,
    Jsonl,
}

impl From<InputKind> for InputFormat {
    fn from(kind: InputKind) -> Self {
        match kind {
            InputKind::LongCsv => InputFormat::LongCsv,
            InputKind::WideCsv => InputFormat::WideCsv,
            InputKind::Jsonl => InputFormat::JsonLines,
        }
    }
}

/// A problem found while reading or checking the grades, located.
struct Problem {
    line: usize,
    column: Option<usize>,
    candidate: Option<String>,
    message: String,
}

/// One candidate, checked and evaluated.
struct Evaluated {
    raw: RawCandidate,
    grades: Grades,
    outcomes: Option<Outcomes>,
    problems: Vec<Problem>,
}

/// Opens a grades file and decides its format (extension, then the CSV
/// header), keeping the bytes already read for the reader.
fn open(
    path: &Path,
    forced: Option<InputFormat>,
) -> Result<(Box<dyn Read + Send>, InputFormat), String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!(
            "cannot read `{}`: it is a directory",
            path.display()
        ));
    }
    let mut reader = BufReader::new(file);
    if let Some(format) = forced.or_else(|| InputFormat::from_extension(path)) {
        return Ok((Box::new(reader), format));
    }
    let mut first = Vec::new();
    reader
        .read_until(b'\n', &mut first)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let header = String::from_utf8_lossy(&first).into_owned();
    let format =
        input::sniff_csv(header.trim_start_matches('\u{feff}')).unwrap_or(InputFormat::LongCsv);
    Ok((Box::new(std::io::Cursor::new(first).chain(reader)), format))
}

fn check(plan: &Plan<'_>, raw: RawCandidate) -> Evaluated {
    let mut problems: Vec<Problem> = raw
        .errors
        .iter()
        .map(|e| Problem {
            line: e.line,
            column: e.column,
            candidate: Some(raw.id.clone()),
            message: e.message.clone(),
        })
        .collect();
    let mut grades = Grades::new(plan);
    // Per criterion: the grade already given, its text and line.
    let mut seen: Vec<Option<(f64, &str, usize)>> = vec![None; plan.ir().criteria.len()];
    for g in &raw.grades {
        let mut problem = |message: String| {
            problems.push(Problem {
                line: g.line,
                column: g.column,
                candidate: Some(raw.id.clone()),
                message,
            })
        };
        let Some(index) = plan.criterion_index(g.criterion.trim()) else {
            let ids = plan
                .ids()
                .iter()
                .copied()
                .filter(|id| plan.is_criterion(id));
            let hint = did_you_mean(g.criterion.trim(), ids)
                .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
            problem(format!("unknown criterion `{}`{hint}", g.criterion));
            continue;
        };
        match plan.parse_grade(index, &g.value) {
            Err(GradeError::NotOnScale(why)) => {
                problem(format!("grade of `{}`: {why}", g.criterion))
            }
            Err(GradeError::UnknownCriterion) => {
                problem(format!("unknown criterion `{}`", g.criterion))
            }
            Ok(position) => match seen.get(index).copied().flatten() {
                Some((previous, text, line)) if previous != position => problem(format!(
                    "two different grades for `{}`: `{text}` (line {line}) and `{}`",
                    g.criterion,
                    g.value.trim()
                )),
                Some(_) => {}
                None => {
                    if let Some(slot) = seen.get_mut(index) {
                        *slot = Some((position, g.value.trim(), g.line));
                    }
                    grades.set_position(index, position);
                }
            },
        }
    }
    let outcomes = problems.is_empty().then(|| plan.evaluate(&grades));
    Evaluated {
        raw,
        grades,
        outcomes,
        problems,
    }
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
}

pub struct EvalOptions<'a> {
    pub grades: &'a Path,
    pub input_format: Option<InputFormat>,
    pub format: OutputFormat,
    pub include_metadata: bool,
    /// Where `--format html` writes its pages.
    pub html_dir: Option<&'a Path>,
}

/// Evaluates every candidate of the grades file, writing results to `out`
/// and problems (with file, line and column) to `problems`.
pub fn eval(
    plan: &Plan<'_>,
    options: &EvalOptions<'_>,
    out: &mut dyn Write,
    problems: &mut dyn Write,
) -> Result<Summary, String> {
    let (reader, format) = open(options.grades, options.input_format)?;
    let path = options.grades.display().to_string();
    let mut summary = Summary::default();
    let write_err = |e: std::io::Error| format!("cannot write the results: {e}");
    if options.format == OutputFormat::Csv {
        out.write_all(csv_header(plan).as_bytes())
            .map_err(write_err)?;
    } else if options.format == OutputFormat::Table {
        out.write_all(table_header(plan).as_bytes())
            .map_err(write_err)?;
    }
    let mut pages = match (options.format, options.html_dir) {
        (OutputFormat::Html, Some(dir)) => Some(crate::report::Pages::create(
            plan,
            dir,
            options.include_metadata,
        )?),
        (OutputFormat::Html, None) => {
            return Err("--format html writes a directory of pages: name it with -o DIR".into())
        }
        _ => None,
    };
    let mut items = input::read(reader, format);
    // Reading is sequential; evaluation runs on every core. The next batch
    // is read while the current one is evaluated.
    let mut batch: Vec<Result<RawCandidate, InputError>> = items.by_ref().take(BATCH).collect();
    while !batch.is_empty() {
        let (next, evaluated): (Vec<_>, Vec<Result<Evaluated, InputError>>) = rayon::join(
            || items.by_ref().take(BATCH).collect(),
            || {
                batch
                    .into_par_iter()
                    .map(|item| item.map(|raw| check(plan, raw)))
                    .collect()
            },
        );
        batch = next;
        if let Some(pages) = pages.as_mut() {
            let candidates: Vec<crate::report::Candidate<'_>> = evaluated
                .iter()
                .flatten()
                .map(|e| crate::report::Candidate {
                    id: &e.raw.id,
                    metadata: &e.raw.metadata,
                    grades: &e.grades,
                    outcomes: e.outcomes.as_ref(),
                    problems: e
                        .problems
                        .iter()
                        .map(|p| (p.line, p.message.as_str()))
                        .collect(),
                })
                .collect();
            pages.write(&candidates)?;
        }
        let mut text = String::new();
        for item in evaluated {
            match item {
                Err(e) => {
                    summary.file_errors += 1;
                    report(problems, &path, &e.line, e.column, None, &e.message);
                }
                Ok(e) => {
                    summary.candidates += 1;
                    for p in &e.problems {
                        report(
                            problems,
                            &path,
                            &p.line,
                            p.column,
                            p.candidate.as_deref(),
                            &p.message,
                        );
                    }
                    if let Some(outcomes) = &e.outcomes {
                        if summary.blocks.is_empty() {
                            summary.blocks = blocks(plan)
                                .iter()
                                .map(|b| (b.to_string(), 0, 0, 0))
                                .collect();
                        }
                        for (id, v, n, p) in &mut summary.blocks {
                            match outcomes.get(plan, id) {
                                Some(Outcome::Passed) => *v += 1,
                                Some(Outcome::Failed) => *n += 1,
                                _ => *p += 1,
                            }
                        }
                    }
                    match e
                        .outcomes
                        .as_ref()
                        .and_then(|o| o.get(plan, "certification"))
                    {
                        None => summary.errors += 1,
                        Some(Outcome::Passed) => summary.validated += 1,
                        Some(Outcome::Failed) => summary.not_validated += 1,
                        Some(Outcome::Pending) => summary.pending += 1,
                    }
                    match options.format {
                        OutputFormat::Json => {
                            json_line(plan, &e, options.include_metadata, &mut text)
                        }
                        OutputFormat::Csv => csv_line(plan, &e, &mut text),
                        OutputFormat::Table => table_line(plan, &e, &mut text),
                        OutputFormat::Ob3 => crate::interop::ob3::candidate(
                            plan,
                            &e.raw.id,
                            &e.raw.metadata,
                            &e.grades,
                            e.outcomes.as_ref(),
                            options.include_metadata,
                            &mut text,
                        ),
                        OutputFormat::Html => {}
                    }
                }
            }
        }
        out.write_all(text.as_bytes()).map_err(write_err)?;
    }
    if let Some(pages) = pages {
        pages.finish(summary.file_errors)?;
    }
    if options.format == OutputFormat::Table {
        out.write_all(block_counts(&summary).as_bytes())
            .map_err(write_err)?;
        out.write_all(summary_text(&summary).as_bytes())
            .map_err(write_err)?;
    }
    out.flush().map_err(write_err)?;
    Ok(summary)
}

fn report(
    problems: &mut dyn Write,
    path: &str,
    line: &usize,
    column: Option<usize>,
    candidate: Option<&str>,
    message: &str,
) {
    let place = match column {
        Some(c) => format!("{path}:{line}:{c}"),
        None => format!("{path}:{line}"),
    };
    let who = candidate.map_or(String::new(), |c| format!(" (candidate `{c}`)"));
    // Writing to stderr failing leaves nothing better to do.
    let _ = writeln!(problems, "{place}: error: {message}{who}");
}

pub fn summary_text(s: &Summary) -> String {
    let mut text = format!(
        "{} candidates: {} validated, {} not validated, {} pending, {} with errors",
        s.candidates, s.validated, s.not_validated, s.pending, s.errors
    );
    if s.file_errors > 0 {
        let lines = if s.file_errors == 1 { "line" } else { "lines" };
        let _ = write!(text, "; {} {lines} could not be read", s.file_errors);
    }
    text.push('\n');
    text
}

/// "A1: 49 validated (75%), 6 not validated, 10 pending", one line per block.
fn block_counts(s: &Summary) -> String {
    let mut text = String::from("\n");
    let evaluated = s.candidates - s.errors;
    for (id, v, n, p) in &s.blocks {
        let rate = (100 * v).checked_div(evaluated).unwrap_or(0);
        let _ = writeln!(
            text,
            "{id}: {v} validated ({rate}%), {n} not validated, {p} pending"
        );
    }
    text
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

fn table_header(plan: &Plan<'_>) -> String {
    let mut line = format!("{:<16} {:<14}", "candidate", "certification");
    for b in blocks(plan) {
        let _ = write!(line, " {b:<14}");
    }
    line.truncate(line.trim_end().len());
    line.push('\n');
    line
}

fn table_line(plan: &Plan<'_>, e: &Evaluated, text: &mut String) {
    let mut line = format!("{:<16} {:<14}", e.raw.id, word(plan, e, "certification"));
    for b in blocks(plan) {
        let _ = write!(line, " {:<14}", word(plan, e, b));
    }
    line.truncate(line.trim_end().len());
    text.push_str(&line);
    text.push('\n');
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_header(plan: &Plan<'_>) -> String {
    let mut cols = vec!["candidate".to_string(), "certification".to_string()];
    cols.extend(blocks(plan).iter().map(|b| csv_field(b)));
    cols.extend(plan.ir().competencies.iter().map(|c| csv_field(&c.id)));
    cols.join(",") + "\n"
}

fn csv_line(plan: &Plan<'_>, e: &Evaluated, text: &mut String) {
    let mut cols = vec![
        csv_field(&e.raw.id),
        word(plan, e, "certification").to_string(),
    ];
    cols.extend(blocks(plan).iter().map(|b| word(plan, e, b).to_string()));
    cols.extend(
        plan.ir()
            .competencies
            .iter()
            .map(|c| word(plan, e, &c.id).to_string()),
    );
    text.push_str(&cols.join(","));
    text.push('\n');
}

fn json_line(plan: &Plan<'_>, e: &Evaluated, include_metadata: bool, text: &mut String) {
    use serde_json::{json, Map, Value};
    let mut object = Map::new();
    object.insert("candidate".into(), Value::String(e.raw.id.clone()));
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
            map.insert(
                (*id).to_string(),
                json!({ "outcome": outcome, "reason": plan.reason(id, &e.grades, outcomes) }),
            );
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

/// The decision tree of one candidate, for a jury member: indented, plain
/// words, in the referential's language.
pub fn explain(
    plan: &Plan<'_>,
    grades_path: &Path,
    input_format: Option<InputFormat>,
    candidate: &str,
) -> Result<(String, bool), String> {
    let (reader, format) = open(grades_path, input_format)?;
    let mut seen: Vec<String> = Vec::new();
    for item in input::read(reader, format) {
        let Ok(raw) = item else { continue };
        if raw.id != candidate {
            if seen.len() < 100_000 {
                seen.push(raw.id);
            }
            continue;
        }
        let e = check(plan, raw);
        return Ok((tree(plan, &e), e.outcomes.is_some()));
    }
    let hint = did_you_mean(candidate, seen.iter().map(String::as_str))
        .map_or(String::new(), |c| format!(" (did you mean `{c}`?)"));
    Err(format!(
        "candidate `{candidate}` is not in `{}`{hint}",
        grades_path.display()
    ))
}

fn tree(plan: &Plan<'_>, e: &Evaluated) -> String {
    let fr = plan.is_french();
    let ir = plan.ir();
    let mut out = String::new();
    let title = &ir.referential.title;
    let _ = writeln!(
        out,
        "{} {} — {title}",
        if fr { "Candidat" } else { "Candidate" },
        e.raw.id
    );
    let Some(outcomes) = &e.outcomes else {
        let _ = writeln!(
            out,
            "{}",
            if fr {
                "Les notes de ce candidat contiennent des erreurs :"
            } else {
                "This candidate's grades have errors:"
            }
        );
        for p in &e.problems {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                if fr { "ligne" } else { "line" },
                p.line,
                p.message
            );
        }
        return out;
    };
    let because = if fr { "parce que" } else { "because" };
    // French typography: « guillemets » and a space before the colon.
    let (open, close, colon) = if fr {
        ("« ", " »", " :")
    } else {
        ("\"", "\"", ":")
    };
    let state = |id: &str, feminine: bool| {
        let o = outcomes.get(plan, id).unwrap_or(Outcome::Pending);
        let w = plan.outcome_words(o, plan.is_criterion(id));
        if fr && feminine && o != Outcome::Pending {
            format!("{w}e")
        } else {
            w.to_string()
        }
    };
    let _ = writeln!(
        out,
        "Certification{colon} {}\n  {because} {}",
        state("certification", true),
        plan.reason("certification", &e.grades, outcomes)
    );
    for block in &ir.blocks {
        let _ = writeln!(
            out,
            "  {} {} {open}{}{close}{colon} {}\n    {because} {}",
            if fr { "Bloc" } else { "Block" },
            block.id,
            block.title,
            state(&block.id, false),
            plan.reason(&block.id, &e.grades, outcomes)
        );
        for cid in &block.competencies {
            let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
                continue;
            };
            let _ = writeln!(
                out,
                "    {} {} {open}{}{close}{colon} {}\n      {because} {}",
                if fr { "Compétence" } else { "Competency" },
                c.id,
                c.title,
                state(&c.id, true),
                plan.reason(&c.id, &e.grades, outcomes)
            );
            for k in &c.criteria {
                let title = ir
                    .criteria
                    .iter()
                    .find(|x| &x.id == k)
                    .map_or("", |x| x.title.as_str());
                let _ = writeln!(
                    out,
                    "      {} {k} {open}{title}{close}{colon} {} ({})",
                    if fr { "Critère" } else { "Criterion" },
                    state(k, false),
                    plan.reason(k, &e.grades, outcomes)
                );
            }
        }
    }
    out
}
