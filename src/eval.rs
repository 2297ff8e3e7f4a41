//! `acquis eval` and `acquis explain`: the arguments, the one choice of a
//! result sink per output format, and the `acquis_eval` library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use acquis_diagnostics::render::Format;
use acquis_diagnostics::Diagnostic;
use acquis_eval::history::History;
use acquis_eval::{sink, EvalError, InputFormat, Plan, ResultSink};
use acquis_interop::ob3;
use acquis_publish::report::Pages;

use crate::common::{compile_or_report, exit, report_one, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The referential's main file
    #[arg(value_name = "REF")]
    pub referential: PathBuf,
    /// The candidates' grades
    #[arg(long, value_name = "FILE")]
    pub grades: PathBuf,
    /// Override the input format detected from the extension and header
    #[arg(long, value_enum)]
    pub input_format: Option<InputKind>,
    /// Results: a table, JSON Lines (one object per candidate, with every outcome and its reason), CSV, HTML pages or tagged PDF files (with -o DIR) or Open Badges 3.0 credentials (ob3, with -o DIR)
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Where to write the results (standard output when absent); the directory of pages for html and pdf
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Also output the other columns of the input (personal data)
    #[arg(long)]
    pub include_metadata: bool,
    /// With --format ob3: the Verifiable Credentials data model, 2.0 (Open Badges 3.0.3, the default) or 1.1 (for verifiers that know only OB 3.0 as first published)
    #[arg(long, value_enum, value_name = "VERSION", default_value_t = VcVersion::V2_0)]
    pub vc: VcVersion,
    /// The candidates' records: earlier results, held certifications, dispensations, jury decisions (JSON Lines, or a CSV `candidate,kind,entity,value,date,author,justification`; the JSON results of an earlier session too). Repeatable
    #[arg(long, value_name = "FILE")]
    pub history: Vec<PathBuf>,
    /// The session evaluated (`2027-06`): earlier results count from their session to this one, and JSON results say it (they are then the next session's history)
    #[arg(long, value_name = "DATE", value_parser = parse_session)]
    pub session: Option<acquis_ir::Session>,
}

fn parse_session(text: &str) -> Result<acquis_ir::Session, String> {
    acquis_ir::Session::parse(text).map_err(|e| e.to_string())
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// The referential's main file
    #[arg(value_name = "REF")]
    pub referential: PathBuf,
    /// The candidates' grades
    #[arg(long, value_name = "FILE")]
    pub grades: PathBuf,
    /// The whole decision tree: every block, competency, criterion and assessment (by default: the decision and what decided it)
    #[arg(long)]
    pub full: bool,
    /// `text` (sentences in the referential's language), `json` (the decision and its nodes) or `html` (an accessible page of the same, to print or send)
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// The candidate's id, as in the grades file
    #[arg(long, value_name = "ID")]
    pub candidate: String,
    #[arg(long, value_enum)]
    pub input_format: Option<InputKind>,
    /// The candidates' records, as for `acquis eval` (repeatable)
    #[arg(long, value_name = "FILE")]
    pub history: Vec<PathBuf>,
    /// The session evaluated (`2027-06`), as for `acquis eval`
    #[arg(long, value_name = "DATE", value_parser = parse_session)]
    pub session: Option<acquis_ir::Session>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
    /// Open Badges 3.0 credentials (docs/interop.md)
    Ob3,
    /// One page per candidate and a cohort page (docs/publishing.md), in the directory given by -o
    Html,
    /// The same pages as tagged, accessible PDF files (PDF/UA-1, A4, page numbers), in the directory given by -o
    Pdf,
}

/// `--vc`: the Verifiable Credentials data model of Open Badges credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum VcVersion {
    #[value(name = "2.0")]
    V2_0,
    #[value(name = "1.1")]
    V1_1,
}

impl From<VcVersion> for ob3::VcVersion {
    fn from(version: VcVersion) -> Self {
        match version {
            VcVersion::V2_0 => ob3::VcVersion::V2_0,
            VcVersion::V1_1 => ob3::VcVersion::V1_1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputKind {
    LongCsv,
    WideCsv,
    Jsonl,
    Xlsx,
}

impl From<InputKind> for InputFormat {
    fn from(kind: InputKind) -> Self {
        match kind {
            InputKind::LongCsv => InputFormat::LongCsv,
            InputKind::WideCsv => InputFormat::WideCsv,
            InputKind::Jsonl => InputFormat::JsonLines,
            InputKind::Xlsx => InputFormat::Xlsx,
        }
    }
}

pub fn run(args: &Args, diagnostics: &DiagnosticOptions) -> ExitCode {
    let Some(ir) = compile_or_report(&args.referential, diagnostics) else {
        return ExitCode::FAILURE;
    };
    let plan = Plan::new(ir);
    // The grade file's problems, in the format of the referential's.
    let format = diagnostics.format();
    let start = std::time::Instant::now();
    let quiet = diagnostics.quiet;
    let result = history(args).and_then(|mut history| {
        let mut sink = sink(&plan, args)?;
        // A count of candidates on a terminal's standard error while they
        // are evaluated (not with --quiet, nor JSON diagnostics).
        let show = !quiet && format != Format::Json && std::io::stderr().is_terminal();
        let mut sink = Progress::new(sink.as_mut(), show, plan.lang());
        acquis_eval::batch::run_with_history(
            &plan,
            &args.grades,
            args.input_format.map(Into::into),
            history.as_mut(),
            &mut sink,
            &mut |d: Diagnostic| {
                if !quiet || d.is_error() {
                    report_one(&d, format, diagnostics.lang())
                }
            },
        )
    });
    match result {
        Ok(summary) => {
            diagnostics.verbose(|| {
                acquis_diagnostics::text!(
                    "evaluated {n} candidate{n:s} from {path} in {seconds} s",
                    n = summary.candidates,
                    path = &args.grades.display(),
                    seconds = {
                        let seconds = format!("{:.2}", start.elapsed().as_secs_f64());
                        match diagnostics.lang() {
                            acquis_diagnostics::Lang::Fr => seconds.replace('.', ","),
                            acquis_diagnostics::Lang::En => seconds,
                        }
                    }
                )
            });
            // With JSON diagnostics standard error holds JSON only.
            if args.format != OutputFormat::Table && format != Format::Json && !quiet {
                eprint!("{}", sink::summary_text(&summary, plan.lang()));
            }
            exit(summary.errors > 0 || summary.file_errors > 0)
        }
        Err(e) => {
            report_one(&e.to_diagnostic(), format, diagnostics.lang());
            ExitCode::FAILURE
        }
    }
}

/// The records of `--history` (`None` without it nor `--session`).
fn history(args: &Args) -> Result<Option<History>, EvalError> {
    read_history(&args.history, args.session)
}

fn read_history(
    paths: &[PathBuf],
    session: Option<acquis_ir::Session>,
) -> Result<Option<History>, EvalError> {
    if paths.is_empty() && session.is_none() {
        return Ok(None);
    }
    let mut history = History::new(session);
    for path in paths {
        history.read(path)?;
    }
    Ok(Some(history))
}

/// The one place an output format is chosen: its sink, writing to `-o` or
/// standard output.
fn sink<'p>(plan: &'p Plan<'_>, args: &Args) -> Result<Box<dyn ResultSink + 'p>, EvalError> {
    let include_metadata = args.include_metadata;
    let out = || -> Result<Box<dyn Write>, EvalError> {
        match &args.output {
            Some(path) => match std::fs::File::create(path) {
                Ok(file) => Ok(Box::new(std::io::BufWriter::new(file))),
                Err(source) => Err(EvalError::CannotCreate {
                    path: path.clone(),
                    source,
                }),
            },
            None => Ok(Box::new(std::io::BufWriter::new(std::io::stdout().lock()))),
        }
    };
    Ok(match args.format {
        OutputFormat::Table => Box::new(sink::Table(out()?)),
        OutputFormat::Csv => Box::new(sink::Csv::new(out()?)),
        OutputFormat::Json => Box::new(sink::JsonLines::new(out()?, include_metadata)),
        // Open Badges: one file per credential under the directory.
        OutputFormat::Ob3 => {
            let options = ob3::Options {
                include_metadata,
                vc: args.vc.into(),
            };
            match &args.output {
                Some(dir) => Box::new(ob3::Credentials {
                    out: ob3::Directory::new(dir),
                    options,
                    names: ob3::FolderNames::default(),
                }),
                None => Box::new(ob3::Credentials {
                    out: out()?,
                    options,
                    names: ob3::FolderNames::default(),
                }),
            }
        }
        // `--format html` writes a directory of pages: -o names it.
        OutputFormat::Html => match &args.output {
            Some(dir) => Box::new(
                Pages::create(plan, dir, include_metadata)
                    .map_err(|e| EvalError::Sink(Box::new(e)))?,
            ),
            None => return Err(EvalError::NeedsDirectory { format: "html" }),
        },
        // `--format pdf`: the same pages as PDF files, in the same layout
        // of directory.
        OutputFormat::Pdf => match &args.output {
            Some(dir) => Box::new(
                Pages::with_format(acquis_pdf::report::Pdf, plan, dir, include_metadata)
                    .map_err(|e| EvalError::Sink(Box::new(e)))?,
            ),
            None => return Err(EvalError::NeedsDirectory { format: "pdf" }),
        },
    })
}

pub fn explain(args: &ExplainArgs, terminal: &DiagnosticOptions) -> ExitCode {
    let Some(ir) = compile_or_report(&args.referential, terminal) else {
        return ExitCode::FAILURE;
    };
    let plan = Plan::new(ir);
    if args.format == ExplainFormat::Html {
        let result = read_history(&args.history, args.session).and_then(|history| {
            acquis_eval::explain::explanation(
                &plan,
                &args.grades,
                args.input_format.map(Into::into),
                &args.candidate,
                history,
                args.full,
            )
        });
        return match result {
            Ok(explanation) => {
                print!(
                    "{}",
                    acquis_publish::report::explanation_page(&plan, &explanation)
                );
                exit(explanation.decision.is_err())
            }
            Err(e) => {
                report_one(&e.to_diagnostic(), terminal.format(), terminal.lang());
                ExitCode::FAILURE
            }
        };
    }
    let result = read_history(&args.history, args.session).and_then(|history| {
        acquis_eval::explain::explain_with_history(
            &plan,
            &args.grades,
            args.input_format.map(Into::into),
            &args.candidate,
            history,
            acquis_eval::explain::Options {
                full: args.full,
                format: match args.format {
                    ExplainFormat::Text => acquis_eval::explain::Format::Text,
                    ExplainFormat::Json | ExplainFormat::Html => acquis_eval::explain::Format::Json,
                },
            },
        )
    });
    match result {
        Ok((text, clean)) => {
            print!("{text}");
            exit(!clean)
        }
        Err(e) => {
            report_one(&e.to_diagnostic(), terminal.format(), terminal.lang());
            ExitCode::FAILURE
        }
    }
}

/// Counts candidates on standard error while they are evaluated
/// (« 12 288 candidats évalués… »), at most ten times a second, the line
/// cleared at the end; the results go through to the output's sink.
struct Progress<'s, 'p> {
    sink: &'s mut (dyn ResultSink + 'p),
    ticker: crate::common::Ticker,
    lang: acquis_ir::Lang,
    done: usize,
}

impl<'s, 'p> Progress<'s, 'p> {
    fn new(sink: &'s mut (dyn ResultSink + 'p), show: bool, lang: acquis_ir::Lang) -> Self {
        let out: Option<Box<dyn Write>> =
            show.then(|| Box::new(std::io::stderr()) as Box<dyn Write>);
        Self::to(sink, out, lang)
    }

    fn to(
        sink: &'s mut (dyn ResultSink + 'p),
        out: Option<Box<dyn Write>>,
        lang: acquis_ir::Lang,
    ) -> Self {
        Progress {
            sink,
            ticker: crate::common::Ticker::to(out),
            lang,
            done: 0,
        }
    }

    fn line(&self) -> String {
        format!(
            "{} {}",
            self.done,
            self.lang.t("candidates evaluated…", "candidats évalués…")
        )
    }
}

impl ResultSink for Progress<'_, '_> {
    fn start(&mut self, plan: &Plan<'_>) -> Result<(), EvalError> {
        self.sink.start(plan)
    }

    fn batch(
        &mut self,
        plan: &Plan<'_>,
        candidates: &[acquis_eval::Evaluated],
    ) -> Result<(), EvalError> {
        self.sink.batch(plan, candidates)?;
        self.done += candidates.len();
        let line = self.line();
        self.ticker.tick(|| line);
        Ok(())
    }

    fn finish(&mut self, plan: &Plan<'_>, summary: &acquis_eval::Summary) -> Result<(), EvalError> {
        self.ticker.clear();
        self.sink.finish(plan, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;
    impl ResultSink for Nothing {
        fn batch(&mut self, _: &Plan<'_>, _: &[acquis_eval::Evaluated]) -> Result<(), EvalError> {
            Ok(())
        }
        fn finish(&mut self, _: &Plan<'_>, _: &acquis_eval::Summary) -> Result<(), EvalError> {
            Ok(())
        }
    }

    #[test]
    fn progress_counts_in_the_referentials_language() {
        let mut nothing = Nothing;
        let mut progress = Progress::to(&mut nothing, None, acquis_ir::Lang { fr: true });
        progress.done = 12_288;
        assert_eq!(progress.line(), "12288 candidats évalués…");
        progress.lang = acquis_ir::Lang { fr: false };
        assert_eq!(progress.line(), "12288 candidates evaluated…");
    }
}
