//! `acquis graph`: blocks, competencies, criteria and rule dependencies
//! as a dot or Mermaid picture.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::common::{
    compile_or_report, write_output, ColorChoice, DiagnosticFormat, DiagnosticOptions,
};

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
    /// How to write diagnostics (`--format` names the picture here)
    #[arg(long = "diagnostics", value_enum, default_value_t = DiagnosticFormat::Terminal)]
    pub diagnostic_format: DiagnosticFormat,
    /// Colour of diagnostics: `auto` colours a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

pub fn run(args: &Args) -> ExitCode {
    let options = DiagnosticOptions {
        format: args.diagnostic_format,
        color: args.color,
    };
    let (file, format, output, no_criteria) = (
        &args.file,
        args.format,
        args.output.as_deref(),
        args.no_criteria,
    );
    let Some(ir) = compile_or_report(file, &options) else {
        return ExitCode::FAILURE;
    };
    let text = match format {
        GraphFormat::Dot => acquis_publish::picture::dot(ir, !no_criteria),
        GraphFormat::Mermaid => acquis_publish::picture::mermaid(ir, !no_criteria),
    };
    write_output(output, &text)
}
