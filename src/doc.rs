//! `acquis doc`: the référentiel as an accessible HTML page or Markdown.

use std::path::PathBuf;
use std::process::ExitCode;

use acquis_publish::doc;

use crate::common::{compile_or_report, write_output, DiagnosticOptions};

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
}

pub fn run(args: &Args, diagnostics: &DiagnosticOptions) -> ExitCode {
    // An extension that names no format acquis writes (`-o edl.pdf`) is an
    // error, not HTML in a file that says otherwise.
    let from_extension = args.output.as_deref().and_then(|path| {
        path.extension()
            .map(|ext| (ext.to_string_lossy(), doc::DocFormat::from_path(path)))
    });
    let format = match (args.format, from_extension) {
        (Some(format), _) => format,
        (None, Some((_, Some(format)))) => format,
        (None, Some((ext, None))) => {
            eprintln!(
                "error: acquis doc writes HTML (.html) or Markdown (.md), not .{ext}: name the file .html or .md, or give --format html|md"
            );
            return ExitCode::FAILURE;
        }
        (None, None) => doc::DocFormat::Html,
    };
    let Some(ir) = compile_or_report(&args.referential, diagnostics) else {
        return ExitCode::FAILURE;
    };
    write_output(args.output.as_deref(), &doc::render(ir, format))
}
