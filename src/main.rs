//! `acquis`: the command line of the Acquis toolchain.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_compiler::render::{self, Format};
use acquis_compiler::{compile, loader::Disk, Compilation};
use clap::{Parser, Subcommand, ValueEnum};

mod doc;
mod evaluate;
mod fmt;
mod input;
mod interop;
mod picture;
mod report;

#[derive(Parser)]
#[command(
    name = "acquis",
    version,
    about = "Compiler and toolchain for certification referentials written in Acquis",
    long_about = "Acquis compiles a certification referential (blocks, competencies, assessments, \
                  criteria and validation rules) written as source code, checks it, and emits a \
                  versioned JSON IR. See docs/language.md for the language.",
    after_help = "Examples:\n  acquis check examples/edl/referential.acquis\n  acquis eval examples/edl/referential.acquis --grades examples/edl/candidates.csv\n  acquis doc examples/edl/referential.acquis -o edl.html\n  acquis fmt examples\n  acquis build examples/edl/referential.acquis -o edl.json\n  acquis graph examples/edl/referential.acquis --format mermaid"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check referentials and report every error and warning
    #[command(
        after_help = "Examples:\n  acquis check examples/edl/referential.acquis\n  acquis check --format narrated referential.acquis    # for screen readers\n  acquis check --format json --deny-warnings a.acquis b.acquis\n\nExit status: 0 when there is no error, 1 otherwise (warnings too with --deny-warnings)."
    )]
    Check {
        /// Main files of the referentials to check
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        output: DiagnosticOptions,
        /// Treat warnings as errors for the exit status
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Compile a referential to its JSON IR (see docs/ir.md)
    #[command(
        after_help = "Examples:\n  acquis build examples/edl/referential.acquis -o edl.json\n  acquis build --pretty referential.acquis   # indented IR on standard output\n\nNothing is written when the referential has errors; exit status 1."
    )]
    Build {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Where to write the IR (standard output when absent)
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Indent the JSON for people (compact by default: it is smaller and
        /// faster to write for large referentials)
        #[arg(long)]
        pretty: bool,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Evaluate graded candidates: validated, not validated or pending, and why
    #[command(
        after_help = "Examples:\n  acquis eval examples/edl/referential.acquis --grades examples/edl/candidates.csv\n  acquis eval REF.acquis --grades grades.jsonl --format json -o results.jsonl\n  acquis eval REF.acquis --grades wide.csv --input-format wide-csv --format csv\n\nInputs: long CSV (candidate,criterion,grade[,other columns]), wide CSV (candidate,<criterion id>,…)\nor JSON Lines ({\"candidate\": …, \"grades\": {…}}), chosen from the extension and the CSV header.\nProblems are reported on standard error with file, line and column; every candidate still\nappears in the output (`error` when its grades have problems). Exit status 1 on any problem.\nColumns other than grades are personal data: shown only with --include-metadata."
    )]
    Eval {
        /// The referential's main file
        #[arg(value_name = "REF")]
        referential: PathBuf,
        /// The candidates' grades
        #[arg(long, value_name = "FILE")]
        grades: PathBuf,
        /// Override the input format detected from the extension and header
        #[arg(long, value_enum)]
        input_format: Option<evaluate::InputKind>,
        /// Results: a table, JSON Lines (one object per candidate, with every outcome and its reason), CSV, HTML pages (with -o DIR) or Open Badges 3.0 credentials (ob3, with -o DIR)
        #[arg(long, value_enum, default_value_t = evaluate::OutputFormat::Table)]
        format: evaluate::OutputFormat,
        /// Where to write the results (standard output when absent); the directory of pages for html
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Also output the other columns of the input (personal data)
        #[arg(long)]
        include_metadata: bool,
        /// How to write diagnostics of the referential
        #[arg(long = "diagnostics", value_enum, default_value_t = DiagnosticFormat::Terminal)]
        diagnostic_format: DiagnosticFormat,
    },
    /// Explain the outcomes of one candidate, as a decision tree a jury can read
    #[command(
        after_help = "Examples:\n  acquis explain examples/edl/referential.acquis --grades examples/edl/candidates.csv --candidate CAND-002\n\nThe explanation is in the referential's language (French for `lang fr`), without colour."
    )]
    Explain {
        #[arg(value_name = "REF")]
        referential: PathBuf,
        #[arg(long, value_name = "FILE")]
        grades: PathBuf,
        /// The candidate's id, as in the grades file
        #[arg(long, value_name = "ID")]
        candidate: String,
        #[arg(long, value_enum)]
        input_format: Option<evaluate::InputKind>,
    },
    /// Run the `example` blocks written in a referential
    #[command(
        after_help = "Examples:\n  acquis test examples/cuisine/cuisine.acquis\n\nEach failed expectation is reported with the actual outcome and its reason.\nExit status: 0 when every expectation holds, 1 otherwise (or when the referential has errors)."
    )]
    Test {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        diagnostics: DiagnosticOptions,
    },
    /// Format referentials in the canonical style (docs/formatting.md)
    #[command(
        after_help = "Examples:\n  acquis fmt examples                     # every *.acquis below, rewritten in place\n  acquis fmt --check referential.acquis   # list the files that are not formatted\n  acquis fmt - < in.acquis > out.acquis   # standard input to standard output\n\nExit status: 1 when a file has syntax errors (it is left as it is; the others are\nstill formatted) or, with --check, when a file would change."
    )]
    Fmt(fmt::FmtArgs),
    /// Write the referential as a document: HTML or Markdown, in the official layout
    #[command(
        after_help = "Examples:\n  acquis doc examples/edl/referential.acquis -o edl.html\n  acquis doc examples/edl/referential.acquis --format md -o edl.md\n\nPer block: the activity, missions and work situations, then a table of competencies,\nassessments and criteria; the validation rules in plain language, in the referential's\nlanguage; a picture of the structure. The HTML page is self-contained and accessible\n(docs/publishing.md). The format comes from --format, else from the extension of -o, else HTML."
    )]
    Doc {
        /// The referential's main file
        #[arg(value_name = "REF")]
        referential: PathBuf,
        /// Document format (default: from the extension of -o, else html)
        #[arg(long, value_enum)]
        format: Option<doc::DocFormat>,
        /// Where to write the document (standard output when absent)
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// How to write diagnostics of the referential
        #[arg(long = "diagnostics", value_enum, default_value_t = DiagnosticFormat::Terminal)]
        diagnostic_format: DiagnosticFormat,
    },
    /// Draw the referential's structure and rule dependencies
    #[command(
        after_help = "Examples:\n  acquis graph examples/edl/referential.acquis --format dot | dot -Tsvg > edl.svg\n  acquis graph examples/edl/referential.acquis --format mermaid -o edl.mmd\n\nSolid arrows go from an entity to what its rule reads (\"is decided by\");\ndashed arrows are prerequisites outside the entity's own children."
    )]
    Graph {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Picture language
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Where to write the picture (standard output when absent)
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Leave criteria out (blocks and competencies only)
        #[arg(long)]
        no_criteria: bool,
        /// How to write diagnostics (`--format` names the picture here)
        #[arg(long = "diagnostics", value_enum, default_value_t = DiagnosticFormat::Terminal)]
        diagnostic_format: DiagnosticFormat,
        /// Colour of diagnostics: `auto` colours a terminal unless NO_COLOR is set
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Import a referential from another system's format (see docs/interop.md)
    Import {
        #[command(subcommand)]
        source: interop::ImportCommand,
    },
    /// Export a referential to another system's format (see docs/interop.md)
    Export {
        #[command(subcommand)]
        target: interop::ExportCommand,
    },
    /// Run the language server over standard input and output (for editors)
    #[command(
        after_help = "Editors start it themselves; see docs/language-server.md.\n\nExit status: 0 after the client's `shutdown` then `exit`, 1 otherwise."
    )]
    Lsp,
}

#[derive(clap::Args)]
struct DiagnosticOptions {
    /// How to write diagnostics: `terminal` (source snippets), `narrated`
    /// (plain sentences for screen readers) or `json` (for tools)
    #[arg(long = "format", value_enum, default_value_t = DiagnosticFormat::Terminal, id = "diagnostic_format")]
    format: DiagnosticFormat,
    /// Colour: `auto` colours a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagnosticFormat {
    Terminal,
    Narrated,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
}

impl DiagnosticOptions {
    fn format(&self) -> Format {
        match self.format {
            DiagnosticFormat::Terminal => Format::Terminal {
                color: match self.color {
                    ColorChoice::Always => true,
                    ColorChoice::Never => false,
                    ColorChoice::Auto => {
                        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                            && std::io::stderr().is_terminal()
                    }
                },
            },
            DiagnosticFormat::Narrated => Format::Narrated,
            DiagnosticFormat::Json => Format::Json,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            output,
            deny_warnings,
        } => check(&files, &output, deny_warnings),
        Command::Build {
            file,
            output,
            pretty,
            diagnostics,
        } => build(&file, output.as_deref(), pretty, &diagnostics),
        Command::Test { file, diagnostics } => test(&file, &diagnostics),
        Command::Fmt(args) => fmt::run(&args),
        Command::Eval {
            referential,
            grades,
            input_format,
            format,
            output,
            include_metadata,
            diagnostic_format,
        } => {
            let diagnostics = DiagnosticOptions {
                format: diagnostic_format,
                color: ColorChoice::Auto,
            };
            // `--format html` writes a directory of pages: -o names it.
            let (output, html_dir) = match format {
                evaluate::OutputFormat::Html => (None, output),
                _ => (output, None),
            };
            let options = evaluate::EvalOptions {
                grades: &grades,
                input_format: input_format.map(Into::into),
                format,
                include_metadata,
                html_dir: html_dir.as_deref(),
            };
            eval(&referential, &options, output.as_deref(), &diagnostics)
        }
        Command::Explain {
            referential,
            grades,
            candidate,
            input_format,
        } => explain(
            &referential,
            &grades,
            &candidate,
            input_format.map(Into::into),
        ),
        Command::Doc {
            referential,
            format,
            output,
            diagnostic_format,
        } => {
            let diagnostics = DiagnosticOptions {
                format: diagnostic_format,
                color: ColorChoice::Auto,
            };
            let format = format
                .or_else(|| output.as_deref().and_then(doc::DocFormat::from_path))
                .unwrap_or(doc::DocFormat::Html);
            let Some(ir) = compile_or_report(&referential, &diagnostics) else {
                return ExitCode::FAILURE;
            };
            write_output(output.as_deref(), &doc::render(ir, format))
        }
        Command::Graph {
            file,
            format,
            output,
            no_criteria,
            diagnostic_format,
            color,
        } => {
            let diagnostics = DiagnosticOptions {
                format: diagnostic_format,
                color,
            };
            graph(&file, format, output.as_deref(), no_criteria, &diagnostics)
        }
        Command::Import { source } => interop::import(&source),
        Command::Export { target } => {
            let terminal = DiagnosticOptions {
                format: DiagnosticFormat::Terminal,
                color: ColorChoice::Auto,
            };
            match compile_or_report(target.referential(), &terminal) {
                Some(ir) => interop::export(&target, ir),
                None => ExitCode::FAILURE,
            }
        }
        Command::Lsp => ExitCode::from(u8::try_from(acquis_lsp::run_stdio()).unwrap_or(1)),
    }
}

fn check(files: &[PathBuf], options: &DiagnosticOptions, deny_warnings: bool) -> ExitCode {
    let format = options.format();
    let compilations: Vec<Compilation> = files.iter().map(|f| compile(f, &Disk)).collect();
    let failed = compilations
        .iter()
        .any(|c| c.has_errors() || (deny_warnings && c.warning_count() > 0));
    if let Format::Json = format {
        // One JSON document for all the referentials, in the order given.
        let runs: Vec<_> = compilations
            .iter()
            .map(|c| (c.diagnostics.as_slice(), &c.sources))
            .collect();
        print!("{}", render::json_many(&runs));
    } else {
        let mut all = Vec::new();
        let mut text = String::new();
        for c in &compilations {
            text.push_str(&render::render(&c.diagnostics, &c.sources, format));
            all.extend(c.diagnostics.iter().cloned());
        }
        let noun = if files.len() == 1 { "file" } else { "files" };
        text.push_str(&format!(
            "checked {} {noun}: {}\n",
            files.len(),
            render::summary(&all)
        ));
        eprint!("{text}");
    }
    exit(failed)
}

/// Compiles a referential and reports its diagnostics; the IR when there
/// is no error. The compilation is never freed: the process ends soon after,
/// and freeing a large one node by node would only delay the exit.
fn compile_or_report(
    file: &Path,
    options: &DiagnosticOptions,
) -> Option<&'static acquis_compiler::ir::Ir> {
    let c: &'static Compilation = Box::leak(Box::new(compile(file, &Disk)));
    report(c, options);
    c.ir.as_ref().filter(|_| !c.has_errors())
}

fn report(c: &Compilation, options: &DiagnosticOptions) {
    let format = options.format();
    let text = render::render(&c.diagnostics, &c.sources, format);
    if !text.is_empty() {
        eprint!("{text}");
    }
    if !matches!(format, Format::Json) && c.has_errors() {
        eprintln!("{}", render::summary(&c.diagnostics));
    }
}

fn build(
    file: &Path,
    output: Option<&Path>,
    pretty: bool,
    options: &DiagnosticOptions,
) -> ExitCode {
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let result = match output {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| ir.write_json(file, pretty))
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => ir
            .write_json(std::io::stdout().lock(), pretty)
            .map_err(|e| format!("cannot write to standard output: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn eval(
    referential: &Path,
    options: &evaluate::EvalOptions<'_>,
    output: Option<&Path>,
    diagnostics: &DiagnosticOptions,
) -> ExitCode {
    let Some(ir) = compile_or_report(referential, diagnostics) else {
        return ExitCode::FAILURE;
    };
    let plan = acquis_compiler::eval::Plan::new(ir);
    let mut out: Box<dyn Write> = match output {
        // Open Badges: one file per credential under the directory.
        Some(path) if options.format == evaluate::OutputFormat::Ob3 => {
            Box::new(interop::ob3::Directory::new(path))
        }
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut problems = std::io::stderr().lock();
    match evaluate::eval(&plan, options, &mut out, &mut problems) {
        Ok(summary) => {
            if options.format != evaluate::OutputFormat::Table {
                eprint!("{}", evaluate::summary_text(&summary));
            }
            exit(summary.errors > 0 || summary.file_errors > 0)
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn explain(
    referential: &Path,
    grades: &Path,
    candidate: &str,
    input_format: Option<input::InputFormat>,
) -> ExitCode {
    let terminal = DiagnosticOptions {
        format: DiagnosticFormat::Terminal,
        color: ColorChoice::Auto,
    };
    let Some(ir) = compile_or_report(referential, &terminal) else {
        return ExitCode::FAILURE;
    };
    let plan = acquis_compiler::eval::Plan::new(ir);
    match evaluate::explain(&plan, grades, input_format, candidate) {
        Ok((text, clean)) => {
            print!("{text}");
            exit(!clean)
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn test(file: &Path, options: &DiagnosticOptions) -> ExitCode {
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let (failures, checked) = acquis_compiler::eval::run_examples(ir);
    let mut out = String::new();
    for f in &failures {
        out.push_str(&format!(
            "FAIL example \"{}\": {} expected {}, actual {}\n  because {}\n",
            f.example, f.id, f.expected, f.actual, f.reason
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

fn graph(
    file: &Path,
    format: GraphFormat,
    output: Option<&Path>,
    no_criteria: bool,
    options: &DiagnosticOptions,
) -> ExitCode {
    let Some(ir) = compile_or_report(file, options) else {
        return ExitCode::FAILURE;
    };
    let text = match format {
        GraphFormat::Dot => picture::dot(ir, !no_criteria),
        GraphFormat::Mermaid => picture::mermaid(ir, !no_criteria),
    };
    write_output(output, &text)
}

fn write_output(output: Option<&Path>, text: &str) -> ExitCode {
    let result = match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write to standard output: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        // Catches clashing option names, which clap reports only at run time.
        super::Cli::command().debug_assert();
    }
}
