//! `acquis grid`: the empty grading grid of a referential, as a wide CSV
//! or an `.xlsx` workbook (acquis_publish::grid), ready to fill and give
//! back to `acquis eval --grades`.

use std::path::PathBuf;
use std::process::ExitCode;

use acquis_diagnostics::{text, Code, Diagnostic, Position};
use acquis_publish::grid;

use crate::common::{compile_or_report, report_one, DiagnosticOptions};
use crate::output;

#[derive(clap::Args)]
pub struct Args {
    /// The referential's main file, or its directory
    #[arg(value_name = "REF")]
    pub referential: PathBuf,
    /// Only the criteria and parts this assessment evaluates
    #[arg(long, value_name = "ID")]
    pub assessment: Option<String>,
    /// Where to write the grid: `.xlsx` (a workbook with drop-down lists) or `.csv`; standard output (CSV) when absent
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The CSV field separator: `,` or `;` (what a spreadsheet in French expects)
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = separator)]
    pub separator: u8,
}

fn separator(text: &str) -> Result<u8, String> {
    match text {
        "," => Ok(b','),
        ";" => Ok(b';'),
        _ => Err("the separator is `,` or `;`".into()),
    }
}

/// What `-o` names, from its extension.
enum Kind {
    Csv,
    Xlsx,
}

pub fn run(args: &Args, options: &DiagnosticOptions) -> ExitCode {
    let format = options.format();
    let lang = options.lang();
    let kind = match args.output.as_deref().map(|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
    }) {
        None => Kind::Csv,
        Some(Some(e)) if e == "csv" => Kind::Csv,
        Some(Some(e)) if e == "xlsx" => Kind::Xlsx,
        Some(_) => {
            let path = args.output.as_deref().map(|p| p.display().to_string());
            report_one(
                &Diagnostic::at(
                    Code::ResultsUnwritable,
                    text!("a grid is written as `.xlsx` or `.csv`: name the output with one of these extensions"),
                    Position::file(path.unwrap_or_default()),
                ),
                format,
                lang,
            );
            return ExitCode::FAILURE;
        }
    };
    let Some(ir) = compile_or_report(&args.referential, options) else {
        return ExitCode::FAILURE;
    };
    let columns = match grid::columns(ir, args.assessment.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            report_one(
                &Diagnostic::at(Code::UnknownReference, e.to_text(), Position::nowhere()),
                format,
                lang,
            );
            return ExitCode::FAILURE;
        }
    };
    let bytes = match kind {
        Kind::Csv => grid::csv(&columns, args.separator).into_bytes(),
        Kind::Xlsx => match grid::xlsx(ir, &columns) {
            Ok(b) => b,
            Err(e) => {
                report_one(
                    &Diagnostic::at(Code::ResultsUnwritable, e.to_text(), Position::nowhere()),
                    format,
                    lang,
                );
                return ExitCode::FAILURE;
            }
        },
    };
    match output::emit(args.output.as_deref(), &bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_one(&e.to_diagnostic(Code::ResultsUnwritable), format, lang);
            ExitCode::FAILURE
        }
    }
}
