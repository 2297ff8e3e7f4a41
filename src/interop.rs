//! `acquis import` and `acquis export`: the arguments, then the
//! `acquis_interop` library, then the files written atomically.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_interop::{case, moodle, rncp, skeleton, InteropError};

use crate::common::{compile_or_report, ColorChoice, DiagnosticFormat, DiagnosticOptions};
use crate::output::{self as atomic, emit};

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
/// it could not write (worded by [`crate::output`]).
enum Failure {
    Interop(InteropError),
    Output(String),
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    Usage(&'static str),
}

impl From<InteropError> for Failure {
    fn from(e: InteropError) -> Self {
        Failure::Interop(e)
    }
}

/// Runs an import.
pub fn import(command: &ImportCommand) -> ExitCode {
    let result = match command {
        ImportCommand::Rncp {
            export,
            fiche,
            list,
            output,
            force,
        } => match (fiche, output) {
            _ if *list => rncp::list(export, &mut std::io::stdout().lock())
                .map(|warnings| {
                    for w in &warnings {
                        eprintln!("{w}");
                    }
                })
                .map_err(Failure::from),
            (Some(fiche), Some(output)) => rncp_import(export, fiche, output, *force),
            _ => Err(Failure::Usage("give --fiche NUMBER -o DIR, or --list")),
        },
        ImportCommand::Case {
            package,
            output,
            force,
        } => case_import(package, output, *force),
    };
    finish(result)
}

/// `acquis import rncp --fiche`: the number and the destination are
/// checked before the export is read.
fn rncp_import(export: &Path, fiche: &str, output: &Path, force: bool) -> Result<(), Failure> {
    rncp::check_number(fiche)?;
    let destination = acquis_interop::destination(output, force)?;
    let (r, warnings) = rncp::import(export, fiche)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    write_referential(output, &destination, &r)
}

/// `acquis import case`: refused before reading when it would replace a
/// referential without `--force`.
fn case_import(package: &Path, output: &Path, force: bool) -> Result<(), Failure> {
    let destination = acquis_interop::destination(output, force)?;
    let (r, warnings) = case::import_file(package)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    write_referential(output, &destination, &r)
}

fn write_referential(dir: &Path, path: &Path, r: &skeleton::Referential) -> Result<(), Failure> {
    let source = acquis_interop::referential_source(r)?;
    std::fs::create_dir_all(dir).map_err(|source| Failure::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    atomic::write(path, source.as_bytes()).map_err(Failure::Output)?;
    eprintln!("wrote {}", path.display());
    Ok(())
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
pub fn export(command: &ExportCommand) -> ExitCode {
    let terminal = DiagnosticOptions {
        format: DiagnosticFormat::Terminal,
        color: ColorChoice::Auto,
    };
    let Some(ir) = compile_or_report(command.referential(), &terminal) else {
        return ExitCode::FAILURE;
    };
    let result = match command {
        ExportCommand::Case { output, .. } => {
            case::export(ir)
                .map_err(Failure::from)
                .and_then(|(json, warnings)| {
                    for w in &warnings {
                        eprintln!("warning: {w}");
                    }
                    emit(output.as_deref(), json.as_bytes()).map_err(Failure::Output)
                })
        }
        ExportCommand::Moodle { output, .. } => {
            moodle::export(ir).map_err(Failure::from).and_then(|e| {
                for w in &e.warnings {
                    eprintln!("warning: {w}");
                }
                emit(output.as_deref(), e.csv.as_bytes()).map_err(Failure::Output)
            })
        }
    };
    finish(result)
}

/// Prints why it failed: an error located in its input names its file and
/// place itself; the others follow `error: `.
fn finish(result: Result<(), Failure>) -> ExitCode {
    let Err(failure) = result else {
        return ExitCode::SUCCESS;
    };
    match failure {
        Failure::Interop(e) if e.is_located() => eprintln!("{e}"),
        Failure::Interop(e) => eprintln!("error: {e}"),
        Failure::Output(message) => eprintln!("error: {message}"),
        Failure::CreateDir { path, source } => {
            eprintln!(
                "error: cannot create directory `{}`: {source}",
                path.display()
            )
        }
        Failure::Usage(message) => eprintln!("error: {message}"),
    }
    ExitCode::FAILURE
}
