//! `acquis test`: runs the `example` blocks of a referential.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::common::{compile_or_report, exit, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub diagnostics: DiagnosticOptions,
}

pub fn run(args: &Args) -> ExitCode {
    let (file, options) = (&args.file, &args.diagnostics);
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let (failures, checked) = acquis_eval::run_examples(ir);
    let mut out = String::new();
    for f in &failures {
        out.push_str(&format!(
            "FAIL example \"{}\": {} expected {}, actual {}\n  because {}\n",
            f.example,
            f.id,
            f.expected.word(),
            f.actual.map_or("unknown", |o| o.word()),
            f.reason
        ));
    }
    out.push_str(&format!(
        "{} examples, {checked} expectations: {} held, {} failed\n",
        ir.examples.len(),
        checked - failures.len(),
        failures.len()
    ));
    print!("{out}");
    exit(!failures.is_empty())
}
