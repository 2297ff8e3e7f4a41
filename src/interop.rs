//! `acquis import` and `acquis export`: the arguments, then the
//! `acquis_interop` library, then the files written atomically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_diagnostics::render::Format;
use acquis_diagnostics::Code;
use acquis_interop::{case, moodle, rncp, skeleton, InteropError, InteropWarning};

use crate::common::{compile_or_report, report_one, DiagnosticOptions};
use crate::output::{self as atomic, emit, WriteError};

#[derive(clap::Subcommand)]
pub enum ImportCommand {
    /// A fiche of France Compétences' RNCP export (XML 4.1, or a zip of it) as a `.acquis` skeleton
    #[command(
        after_help = "Examples:\n  acquis import rncp export-fiches.zip --list\n  acquis import rncp export-fiches.xml --fiche RNCP39583 -o edl/\n\nWrites DIR/referential.acquis: the header, one block per bloc (its official\ncode), its competencies and one assessment. Criteria and rules are not in the\nexport: comments mark them, and `acquis check` warns once per competency\n(A0406) until they are written. The export is streamed: memory stays low."
    )]
    #[command(group(clap::ArgGroup::new("what").required(true).args(["fiche", "list"])))]
    Rncp {
        #[arg(value_name = "EXPORT")]
        export: PathBuf,
        /// The fiche to import: `RNCP39583` or `39583`
        #[arg(long, value_name = "NUMBER", requires = "output")]
        fiche: Option<String>,
        /// List the fiches of the export (number, EQF level, active, title) instead
        #[arg(long)]
        list: bool,
        /// The directory to write referential.acquis into
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Replace DIR/referential.acquis when it exists
        #[arg(long)]
        force: bool,
    },
    /// A CASE 1.1 CFPackage (JSON) as a `.acquis` referential
    #[command(
        after_help = "Examples:\n  acquis import case package.json -o imported/\n\nWrites DIR/referential.acquis. A package written by `acquis export case`\ncomes back whole; for another package, the places to complete (criteria,\nrules) are marked in comments."
    )]
    Case {
        #[arg(value_name = "PACKAGE")]
        package: PathBuf,
        /// The directory to write referential.acquis into
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// Replace DIR/referential.acquis when it exists
        #[arg(long)]
        force: bool,
    },
}

/// Why an import or an export failed: the library's error, or the file
/// it could not write.
enum Failure {
    Interop(InteropError),
    Output(WriteError),
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    Usage(acquis_diagnostics::Text),
    /// The referential written does not check: its errors were reported.
    DoesNotCheck {
        path: PathBuf,
        errors: usize,
    },
}

impl From<InteropError> for Failure {
    fn from(e: InteropError) -> Self {
        Failure::Interop(e)
    }
}

/// Where the problems and warnings of an import or an export go: standard
/// error, in the format asked for.
struct Report {
    format: Format,
    options: DiagnosticOptions,
}

impl Report {
    fn new(options: &DiagnosticOptions) -> Self {
        Report {
            format: options.format(),
            options: *options,
        }
    }

    /// Warnings, unless `--quiet`.
    fn warnings(&self, warnings: &[InteropWarning]) {
        if self.options.quiet {
            return;
        }
        for w in warnings {
            report_one(&w.to_diagnostic(), self.format, self.options.lang());
        }
    }

    /// A line for people (`wrote DIR/referential.acquis`): not in JSON,
    /// where standard error holds diagnostics only, nor with `--quiet`.
    fn note(&self, text: &acquis_diagnostics::Text) {
        self.options.say(text);
    }
}

/// Runs an import.
pub fn import(command: &ImportCommand, diagnostics: &DiagnosticOptions) -> ExitCode {
    let report = Report::new(diagnostics);
    let result = match command {
        ImportCommand::Rncp {
            export,
            fiche,
            list,
            output,
            force,
        } => match (fiche, output) {
            _ if *list => {
                let mut ticker = crate::common::Ticker::on_stderr(&report.options);
                let lang = report.options.lang();
                let listed = rncp::list_watched(export, &mut std::io::stdout().lock(), &mut |n| {
                    ticker.tick(|| fiches_read(n, lang));
                });
                ticker.clear();
                listed
                    .map(|warnings| report.warnings(&warnings))
                    .map_err(Failure::from)
            }
            (Some(fiche), Some(output)) => rncp_import(export, fiche, output, *force, &report),
            _ => Err(Failure::Usage(acquis_diagnostics::text!(
                "give --fiche NUMBER -o DIR, or --list"
            ))),
        },
        ImportCommand::Case {
            package,
            output,
            force,
        } => case_import(package, output, *force, &report),
    };
    finish(result, &report)
}

/// The progress line of a scan of an RNCP export.
fn fiches_read(n: usize, lang: acquis_diagnostics::Lang) -> String {
    acquis_diagnostics::text!("{n} fiche{n:s} read…", n = n).render(lang)
}

/// `acquis import rncp --fiche`: the number and the destination are
/// checked before the export is read.
fn rncp_import(
    export: &Path,
    fiche: &str,
    output: &Path,
    force: bool,
    report: &Report,
) -> Result<(), Failure> {
    rncp::check_number(fiche)?;
    let destination = acquis_interop::destination(output, force)?;
    let mut ticker = crate::common::Ticker::on_stderr(&report.options);
    let lang = report.options.lang();
    let imported = rncp::import_watched(export, fiche, &mut |n| {
        ticker.tick(|| fiches_read(n, lang));
    });
    ticker.clear();
    let (r, warnings) = imported?;
    report.warnings(&warnings);
    write_referential(output, &destination, &r, report)
}

/// `acquis import case`: refused before reading when it would replace a
/// referential without `--force`.
fn case_import(package: &Path, output: &Path, force: bool, report: &Report) -> Result<(), Failure> {
    let destination = acquis_interop::destination(output, force)?;
    let (r, warnings) = case::import_file(package)?;
    report.warnings(&warnings);
    write_referential(output, &destination, &r, report)
}

fn write_referential(
    dir: &Path,
    path: &Path,
    r: &skeleton::Referential,
    report: &Report,
) -> Result<(), Failure> {
    let source = acquis_interop::referential_source(r)?;
    std::fs::create_dir_all(dir).map_err(|source| Failure::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    atomic::write(path, source.as_bytes()).map_err(Failure::Output)?;
    report.note(&acquis_diagnostics::text!(
        "wrote {path}",
        path = path.display().to_string()
    ));
    // What was written must check: an import never ends in silence on a
    // referential `acquis check` rejects (a name still referenced after a
    // rename, a level twice, a file over the size limit).
    let compiled = crate::common::compile_path(path);
    if compiled.has_errors() {
        let text = acquis_diagnostics::render::render(
            &compiled.diagnostics,
            &compiled.sources,
            report.format,
            report.options.lang(),
        );
        eprint!("{text}");
        let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
        return Err(Failure::DoesNotCheck {
            path: path.to_path_buf(),
            errors,
        });
    }
    Ok(())
}

/// `--case-version`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CaseVersionArg {
    #[value(name = "1.0")]
    V1_0,
    #[value(name = "1.1")]
    V1_1,
}

impl From<CaseVersionArg> for case::CaseVersion {
    fn from(v: CaseVersionArg) -> Self {
        match v {
            CaseVersionArg::V1_0 => case::CaseVersion::V1_0,
            CaseVersionArg::V1_1 => case::CaseVersion::V1_1,
        }
    }
}

#[derive(clap::Subcommand)]
pub enum ExportCommand {
    /// The referential as a CASE 1.1 CFPackage (JSON)
    #[command(
        after_help = "Examples:\n  acquis export case examples/edl/referential.acquis -o package.json\n\nIdentifiers are UUID v5 of the referential and entity ids: exporting again\ngives the same file. lastChangeDateTime is `meta last_change` of the\nreferential, else 1970-01-01T00:00:00Z."
    )]
    Case {
        #[arg(value_name = "REF")]
        referential: PathBuf,
        /// Where to write the package (standard output when absent)
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The version of CASE: 1.0 for servers that validate with the CASE
        /// 1.0 schema (no `extensions`: rules, scales and assessments are left out)
        #[arg(long, value_name = "VERSION", default_value = "1.1")]
        case_version: CaseVersionArg,
    },
    /// The referential as a Moodle competency framework (CSV for tool_lpimportcsv)
    #[command(
        after_help = "Examples:\n  acquis export moodle examples/edl/referential.acquis -o framework.csv\n\nRules Moodle cannot express are left out of the CSV and reported as\nwarnings, by name."
    )]
    Moodle {
        #[arg(value_name = "REF")]
        referential: PathBuf,
        /// Where to write the CSV (standard output when absent)
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

impl ExportCommand {
    /// The referential to compile before exporting.
    pub fn referential(&self) -> &Path {
        match self {
            ExportCommand::Moodle { referential, .. } | ExportCommand::Case { referential, .. } => {
                referential
            }
        }
    }
}

/// Compiles the referential, then runs the export.
pub fn export(command: &ExportCommand, diagnostics: &DiagnosticOptions) -> ExitCode {
    let Some(ir) = compile_or_report(command.referential(), diagnostics) else {
        return ExitCode::FAILURE;
    };
    let report = Report::new(diagnostics);
    let result = match command {
        ExportCommand::Case {
            output,
            case_version,
            ..
        } => case::export_for(ir, (*case_version).into())
            .map_err(Failure::from)
            .and_then(|(json, warnings)| {
                report.warnings(&warnings);
                emit(output.as_deref(), json.as_bytes()).map_err(Failure::Output)
            }),
        ExportCommand::Moodle { output, .. } => {
            moodle::export(ir).map_err(Failure::from).and_then(|e| {
                report.warnings(&e.warnings);
                emit(output.as_deref(), e.csv.as_bytes()).map_err(Failure::Output)
            })
        }
    };
    finish(result, &report)
}

/// Reports why it failed, as one diagnostic in the format asked for.
fn finish(result: Result<(), Failure>, report: &Report) -> ExitCode {
    let Err(failure) = result else {
        return ExitCode::SUCCESS;
    };
    let diagnostic = match failure {
        Failure::Interop(e) => e.to_diagnostic(),
        Failure::Output(e) => e.to_diagnostic(Code::InteropUnwritable),
        Failure::CreateDir { path, source } => acquis_diagnostics::Diagnostic::at(
            Code::InteropUnwritable,
            acquis_diagnostics::text!(
                "cannot create the directory: {reason}",
                reason = crate::common::io_reason(&source)
            ),
            acquis_diagnostics::Position::file(path.display().to_string()),
        ),
        Failure::DoesNotCheck { path, errors } => acquis_diagnostics::Diagnostic::at(
            Code::InteropBug,
            acquis_diagnostics::text!(
                "the referential was written but does not check ({errors} error{errors:s} above): correct it before using it",
                errors = errors
            ),
            acquis_diagnostics::Position::file(path.display().to_string()),
        )
        .with_help(acquis_diagnostics::text!("the importer should never write what `acquis check` rejects: report the input that gave it")),
        // Arguments clap cannot check together: worded as clap words its own.
        Failure::Usage(message) => {
            report.options.usage_error(&message);
            return ExitCode::FAILURE;
        }
    };
    report_one(&diagnostic, report.format, report.options.lang());
    ExitCode::FAILURE
}
