//! `acquis doc`: the référentiel as an accessible HTML page, Markdown or a
//! tagged PDF.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_publish::doc::{self, DocFormat};

use acquis_diagnostics::{text, Code, Diagnostic, Position};

use crate::common::{compile_or_report, report_one, write_output, DiagnosticOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The referential's main file
    #[arg(value_name = "REF")]
    pub referential: PathBuf,
    /// Document format (default: from the extension of -o, else html)
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where to write the document (standard output when absent; a PDF is never written to a terminal)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained HTML page (no script, font or link to fetch)
    Html,
    /// Markdown with GitHub tables and a Mermaid diagram
    Md,
    /// A tagged, accessible PDF (PDF/UA-1) for printing and archiving, A4, with a title page and page numbers
    Pdf,
}

impl Format {
    /// The format named by an output file's extension, if any.
    fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("pdf") {
            return Some(Format::Pdf);
        }
        DocFormat::from_path(path).map(|f| match f {
            DocFormat::Html => Format::Html,
            DocFormat::Md => Format::Md,
        })
    }
}

pub fn run(args: &Args, diagnostics: &DiagnosticOptions) -> ExitCode {
    // An extension that names no format acquis writes (`-o edl.docx`) is
    // an error, not HTML in a file that says otherwise.
    let from_extension = args.output.as_deref().and_then(|path| {
        path.extension()
            .map(|ext| (ext.to_string_lossy(), Format::from_path(path)))
    });
    let format = match (args.format, from_extension) {
        (Some(format), _) => format,
        (None, Some((_, Some(format)))) => format,
        (None, Some((ext, None))) => {
            diagnostics.usage_error(&text!(
                "acquis doc writes HTML (.html), Markdown (.md) or PDF (.pdf), not .{ext}: name the file .html, .md or .pdf, or give --format html|md|pdf",
                ext = ext
            ));
            return ExitCode::FAILURE;
        }
        (None, None) => Format::Html,
    };
    if format == Format::Pdf && args.output.is_none() && std::io::stdout().is_terminal() {
        diagnostics.usage_error(&text!(
            "a PDF is not for a terminal: give -o FILE.pdf, or redirect standard output"
        ));
        return ExitCode::FAILURE;
    }
    let Some(ir) = compile_or_report(&args.referential, diagnostics) else {
        return ExitCode::FAILURE;
    };
    match format {
        Format::Html => write_output(
            args.output.as_deref(),
            doc::render(ir, DocFormat::Html),
            diagnostics,
        ),
        Format::Md => write_output(
            args.output.as_deref(),
            doc::render(ir, DocFormat::Md),
            diagnostics,
        ),
        Format::Pdf => match pdf_with_progress(ir, diagnostics) {
            Ok(bytes) => write_output(args.output.as_deref(), bytes, diagnostics),
            Err(e) => {
                report_one(
                    &Diagnostic::at(
                        Code::ResultsUnwritable,
                        text!("the PDF cannot be made: {reason}", reason = e.to_string()),
                        Position::nowhere(),
                    ),
                    diagnostics.format(),
                    diagnostics.lang(),
                );
                ExitCode::FAILURE
            }
        },
    }
}

/// The PDF of the référentiel; laying it out takes seconds for a long one,
/// which a terminal is told.
fn pdf_with_progress(
    ir: &acquis_ir::Ir,
    diagnostics: &DiagnosticOptions,
) -> Result<Vec<u8>, acquis_pdf::PdfError> {
    let mut ticker = crate::common::Ticker::on_stderr(diagnostics);
    ticker.show(&text!("laying out the PDF…").render(diagnostics.lang()));
    let pdf = acquis_pdf::doc::render(ir);
    ticker.clear();
    pdf
}
