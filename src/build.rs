//! `acquis build`: the referential's JSON IR (docs/ir.md).

use std::path::PathBuf;
use std::process::ExitCode;

use acquis_diagnostics::Code;

use crate::common::{compile_or_report, report_one, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the IR (standard output when absent)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Indent the JSON for people (compact by default: it is smaller and
    /// faster to write for large referentials)
    #[arg(long)]
    pub pretty: bool,
    #[command(flatten)]
    pub legacy: crate::common::LegacyFormat,
}

pub fn run(args: &Args, options: &DiagnosticOptions) -> ExitCode {
    let options = &args.legacy.apply(options);
    let (file, output, pretty) = (&args.file, args.output.as_deref(), args.pretty);
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let result = match output {
        Some(path) => std::fs::File::create(path).and_then(|file| ir.write_json(file, pretty)),
        None => ir.write_json(std::io::stdout().lock(), pretty),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(source) => {
            let e = crate::output::WriteError {
                path: output.map(std::path::Path::to_path_buf),
                source,
            };
            report_one(
                &e.to_diagnostic(Code::ResultsUnwritable),
                options.format(),
                options.lang(),
            );
            ExitCode::FAILURE
        }
    }
}
