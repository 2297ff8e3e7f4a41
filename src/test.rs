//! `acquis test`: runs the `example` blocks of a referential.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::common::{compile_or_report, exit, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub legacy: crate::common::LegacyFormat,
}

pub fn run(args: &Args, options: &DiagnosticOptions) -> ExitCode {
    let options = &args.legacy.apply(options);
    let file = &args.file;
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let (failures, checked) = acquis_eval::run_examples(ir);
    let plan = acquis_eval::Plan::new(ir);
    print!(
        "{}",
        acquis_eval::sink::examples_text(&plan, &failures, checked)
    );
    exit(!failures.is_empty())
}
