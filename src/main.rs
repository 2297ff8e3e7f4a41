//! `acquis`: the command line of the Acquis toolchain.

//!
//! Only the command line: each verb's arguments and what it calls, one file
//! per verb; the libraries do the work (`acquis-compiler`, `acquis-eval`,
//! `acquis-publish`, `acquis-interop`, `acquis-lsp`), and `output` writes
//! every file atomically.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod build;
mod check;
mod common;
mod doc;
mod eval;
mod fmt;
mod graph;
mod grid;
mod interop;
mod new;
mod output;
mod test;

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
    #[command(flatten)]
    global: common::DiagnosticOptions,
}

#[derive(Subcommand)]
enum Command {
    /// Check referentials and report every error and warning
    #[command(
        after_help = "Examples:\n  acquis check examples/edl/referential.acquis\n  acquis check --diagnostics narrated referential.acquis    # for screen readers\n  acquis check --diagnostics json --deny-warnings a.acquis b.acquis\n\nExit status: 0 when there is no error, 1 otherwise (warnings too with --deny-warnings)."
    )]
    Check(check::Args),
    /// Compile a referential to its JSON IR (see docs/ir.md)
    #[command(
        after_help = "Examples:\n  acquis build examples/edl/referential.acquis -o edl.json\n  acquis build --pretty referential.acquis   # indented IR on standard output\n\nNothing is written when the referential has errors; exit status 1."
    )]
    Build(build::Args),
    /// Evaluate graded candidates: validated, not validated or pending, and why
    #[command(
        after_help = "Examples:\n  acquis eval examples/edl/referential.acquis --grades examples/edl/candidates.csv\n  acquis eval REF.acquis --grades grades.jsonl --format json -o results.jsonl\n  acquis eval REF.acquis --grades wide.csv --input-format wide-csv --format csv\n\nInputs: long CSV (candidate,criterion,grade[,other columns]), wide CSV (candidate,<criterion id>,…)\nor JSON Lines ({\"candidate\": …, \"grades\": {…}}), chosen from the extension and the CSV header.\nProblems are reported on standard error with file, line and column; every candidate still\nappears in the output (`error` when its grades have problems). Exit status 1 on any problem.\nColumns other than grades are personal data: shown only with --include-metadata."
    )]
    Eval(eval::Args),
    /// Explain the outcomes of one candidate, as a decision tree a jury can read
    #[command(
        after_help = "Examples:\n  acquis explain examples/edl/referential.acquis --grades examples/edl/candidates.csv --candidate CAND-002\n\nThe explanation is in the referential's language (French for `lang fr`), without colour."
    )]
    Explain(eval::ExplainArgs),
    /// Run the `example` blocks written in a referential
    #[command(
        after_help = "Examples:\n  acquis test examples/cuisine/cuisine.acquis\n\nEach failed expectation is reported with the actual outcome and its reason.\nExit status: 0 when every expectation holds, 1 otherwise (or when the referential has errors)."
    )]
    Test(test::Args),
    /// Format referentials in the canonical style (docs/formatting.md)
    #[command(
        after_help = "Examples:\n  acquis fmt examples                     # every *.acquis below, rewritten in place\n  acquis fmt --check referential.acquis   # list the files that are not formatted\n  acquis fmt - < in.acquis > out.acquis   # standard input to standard output\n\nExit status: 1 when a file has syntax errors (it is left as it is; the others are\nstill formatted) or, with --check, when a file would change."
    )]
    Fmt(fmt::FmtArgs),
    /// Write the referential as a document: HTML or Markdown, in the official layout
    #[command(
        after_help = "Examples:\n  acquis doc examples/edl/referential.acquis -o edl.html\n  acquis doc examples/edl/referential.acquis --format md -o edl.md\n\nPer block: the activity, missions and work situations, then a table of competencies,\nassessments and criteria; the validation rules in plain language, in the referential's\nlanguage; a picture of the structure. The HTML page is self-contained and accessible\n(docs/publishing.md). The format comes from --format, else from the extension of -o, else HTML."
    )]
    Doc(doc::Args),
    /// Draw the referential's structure and rule dependencies
    #[command(
        after_help = "Examples:\n  acquis graph examples/edl/referential.acquis --format dot | dot -Tsvg > edl.svg\n  acquis graph examples/edl/referential.acquis --format mermaid -o edl.mmd\n\nSolid arrows go from an entity to what its rule reads (\"is decided by\");\ndashed arrows are prerequisites outside the entity's own children."
    )]
    Graph(graph::Args),
    /// Write the empty grading grid: a column per criterion or part, as .xlsx (drop-down lists) or CSV
    #[command(
        after_help = "Examples:\n  acquis grid examples/edl/referential.acquis -o grille.xlsx\n  acquis grid examples/edl/referential.acquis --assessment E1 --separator ';' -o e1.csv\n\nFill a row per candidate, then: acquis eval REF --grades grille.xlsx"
    )]
    Grid(grid::Args),
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
    /// Start a project: a referential that checks, a grades file and a README saying what next
    #[command(
        after_help = "Examples:\n  acquis new mon-titre\n  acquis new my-title --lang en --title \"Web developer\"\n\nThen: acquis check mon-titre; acquis eval mon-titre --grades mon-titre/grades.csv"
    )]
    New(new::Args),
    /// Write the shell completion script of acquis (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  acquis completions bash > ~/.local/share/bash-completion/completions/acquis\n  acquis completions zsh > ~/.zfunc/_acquis\n  acquis completions fish > ~/.config/fish/completions/acquis.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Run the language server over standard input and output (for editors)
    #[command(
        after_help = "Editors start it themselves; see docs/language-server.md.\n\nExit status: 0 after the client's `shutdown` then `exit`, 1 otherwise."
    )]
    Lsp,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = &cli.global;
    match cli.command {
        Command::Check(args) => check::run(&args, global),
        Command::Build(args) => build::run(&args, global),
        Command::Test(args) => test::run(&args, global),
        Command::Fmt(args) => fmt::run(&args, global),
        Command::Eval(args) => eval::run(&args, global),
        Command::Explain(args) => eval::explain(&args, global),
        Command::Doc(args) => doc::run(&args, global),
        Command::Graph(args) => graph::run(&args, global),
        Command::Grid(args) => grid::run(&args, global),
        Command::Import { source } => interop::import(&source, global),
        Command::Export { target } => interop::export(&target, global),
        Command::New(args) => new::run(&args, global),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Into memory (which cannot fail), then out: a closed pipe is an
            // error message, not a panic.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "acquis", &mut script);
            match output::emit(None, &script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    common::report_one(
                        &e.to_diagnostic(acquis_diagnostics::Code::ResultsUnwritable),
                        global.format(),
                        global.lang(),
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Lsp => ExitCode::from(u8::try_from(acquis_lsp::run_stdio()).unwrap_or(1)),
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
