//! `acquis graph`: blocks, competencies, criteria and rule dependencies
//! as a dot or Mermaid picture.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::common::{compile_or_report, write_output, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Picture language
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Where to write the picture (standard output when absent)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Leave criteria out (blocks and competencies only)
    #[arg(long)]
    pub no_criteria: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

pub fn run(args: &Args, options: &DiagnosticOptions) -> ExitCode {
    let (file, format, output, no_criteria) = (
        &args.file,
        args.format,
        args.output.as_deref(),
        args.no_criteria,
    );
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let text = match format {
        GraphFormat::Dot => acquis_publish::picture::dot(ir, !no_criteria),
        GraphFormat::Mermaid => acquis_publish::picture::mermaid(ir, !no_criteria),
    };
    write_output(output, &text, options)
}
