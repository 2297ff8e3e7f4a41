//! `acquis check`: every error and warning of one or more referentials.

use std::path::PathBuf;
use std::process::ExitCode;

use acquis_compiler::Compilation;
use acquis_diagnostics::render::{self, Format};
use acquis_diagnostics::text;

use crate::common::{exit, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Main files of the referentials to check, or their directories
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub legacy: crate::common::LegacyFormat,
    /// Treat warnings as errors for the exit status
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: &Args, options: &DiagnosticOptions) -> ExitCode {
    let options = &args.legacy.apply(options);
    let (files, deny_warnings) = (&args.files, args.deny_warnings);
    let format = options.format();
    let lang = options.lang();
    // A directory stands for its main file (the one with the header).
    let compilations: Vec<Compilation> = files
        .iter()
        .map(|f| {
            let start = std::time::Instant::now();
            let c = crate::common::compile_path(f);
            options.verbose(|| {
                text!(
                    "checked {path} ({files} file{files:s}) in {ms} ms",
                    path = &f.display(),
                    files = c.sources.len(),
                    ms = start.elapsed().as_millis().to_string()
                )
            });
            c
        })
        .collect();
    let failed = compilations
        .iter()
        .any(|c| c.has_errors() || (deny_warnings && c.warning_count() > 0));
    if let Format::Json = format {
        // One JSON document for all the referentials, in the order given.
        let runs: Vec<_> = compilations
            .iter()
            .map(|c| (c.diagnostics.as_slice(), &c.sources))
            .collect();
        print!("{}", render::json_many(&runs, lang));
    } else {
        let mut all = Vec::new();
        let mut text = String::new();
        for c in &compilations {
            text.push_str(&render::render(
                &options.shown(&c.diagnostics),
                &c.sources,
                format,
                lang,
            ));
            all.extend(c.diagnostics.iter().cloned());
        }
        eprint!("{text}");
        options.say(&text!(
            "checked {n} file{n:s}: {summary}",
            n = files.len(),
            summary = render::counts(
                all.iter().filter(|d| d.is_error()).count(),
                all.iter().filter(|d| !d.is_error()).count()
            )
        ));
    }
    exit(failed)
}
