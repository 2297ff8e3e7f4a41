//! `acquis doc`: the référentiel as an accessible HTML page or Markdown.

use std::path::PathBuf;
use std::process::ExitCode;

use acquis_publish::doc;

use crate::common::{
    compile_or_report, write_output, ColorChoice, DiagnosticFormat, DiagnosticOptions,
};

#[derive(clap::Args)]
pub struct Args {
    /// The referential's main file
    #[arg(value_name = "REF")]
    pub referential: PathBuf,
    /// Document format (default: from the extension of -o, else html)
    #[arg(long, value_enum)]
    pub format: Option<doc::DocFormat>,
    /// Where to write the document (standard output when absent)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// How to write diagnostics of the referential
    #[arg(long = "diagnostics", value_enum, default_value_t = DiagnosticFormat::Terminal)]
    pub diagnostic_format: DiagnosticFormat,
}

pub fn run(args: &Args) -> ExitCode {
    let diagnostics = DiagnosticOptions {
        format: args.diagnostic_format,
        color: ColorChoice::Auto,
    };
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(doc::DocFormat::from_path))
        .unwrap_or(doc::DocFormat::Html);
    let Some(ir) = compile_or_report(&args.referential, &diagnostics) else {
        return ExitCode::FAILURE;
    };
    write_output(args.output.as_deref(), &doc::render(ir, format))
}
