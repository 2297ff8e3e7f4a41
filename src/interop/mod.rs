//! Exchange with other systems: import RNCP fiches and CASE packages as
//! `.acquis` skeletons, export CASE packages and Moodle competency
//! frameworks, write Open Badges 3.0 results. docs/interop.md describes each
//! mapping field by field.
//!
//! Every command builds its whole output in memory (or streams its input),
//! then writes it atomically: an error never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_compiler::ir::Ir;

mod atomic;
mod moodle;

#[derive(clap::Subcommand)]
pub enum ExportCommand {
    /// The referential as a Moodle competency framework (CSV for tool_lpimportcsv)
    #[command(
        after_help = "Examples:\n  acquis export moodle examples/edl/referential.acquis -o framework.csv\n\nRules Moodle cannot express are left out of the CSV and reported as warnings, by name."
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
            ExportCommand::Moodle { referential, .. } => referential,
        }
    }
}

/// Runs an export of a compiled referential.
pub fn export(command: &ExportCommand, ir: &Ir) -> ExitCode {
    let result = match command {
        ExportCommand::Moodle { output, .. } => moodle::export(ir).and_then(|e| {
            for w in &e.warnings {
                eprintln!("warning: {w}");
            }
            emit(output.as_deref(), e.csv.as_bytes())
        }),
    };
    finish(result)
}

/// Writes to a file atomically, or to standard output.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) => atomic::write(path, bytes),
        None => std::io::stdout()
            .lock()
            .write_all(bytes)
            .map_err(|e| format!("cannot write to standard output: {e}")),
    }
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
