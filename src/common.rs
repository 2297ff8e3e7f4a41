//! What every verb shares: how diagnostics are written, compiling a
//! referential and reporting its diagnostics, writing a text output, the
//! exit status.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use acquis_compiler::loader::{Disk, SourceProvider};
use acquis_compiler::{compile, Compilation};
use acquis_diagnostics::render::{self, Format};
use acquis_diagnostics::source::SourceMap;
use acquis_diagnostics::{text, Code, Diagnostic, Lang, Text};
use clap::ValueEnum;

/// The options of every verb (`--format` is always the format of what a
/// verb writes; these say how it talks on standard error).
#[derive(clap::Args, Clone, Copy)]
pub struct DiagnosticOptions {
    /// How to write diagnostics on standard error: `terminal` (source snippets), `narrated` (plain sentences for screen readers) or `json` (JSON Lines, for tools)
    #[arg(long = "diagnostics", id = "diagnostics", value_enum, default_value_t = DiagnosticFormat::Terminal, global = true)]
    pub format: DiagnosticFormat,
    /// Colour of diagnostics: `auto` colours a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Errors only on standard error: no warnings, summaries or progress
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say what was read and how long each step took, on standard error
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Language of diagnostics and messages (`fr` or `en`; default: the locale of LC_ALL, LC_MESSAGES or LANG). For `acquis new`, also the project's language (default `fr`)
    #[arg(long, value_enum, global = true)]
    pub lang: Option<LangChoice>,
}

/// `--lang`: the two languages Acquis speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangChoice {
    Fr,
    En,
}

impl LangChoice {
    pub fn lang(self) -> Lang {
        match self {
            LangChoice::Fr => Lang::Fr,
            LangChoice::En => Lang::En,
        }
    }
}

/// `--format` of check, build and test before it named the diagnostics'
/// format there: still read, with a warning, so scripts keep working.
#[derive(clap::Args)]
pub struct LegacyFormat {
    #[arg(long = "format", value_enum, hide = true)]
    pub format: Option<DiagnosticFormat>,
}

impl LegacyFormat {
    /// The options, `--format` standing for `--diagnostics` when given.
    pub fn apply(&self, options: &DiagnosticOptions) -> DiagnosticOptions {
        let mut options = *options;
        if let Some(format) = self.format {
            options.warn(&text!(
                "`--format` here names the diagnostics' format, now `--diagnostics` on every verb (`--format` is the output's format): give `--diagnostics`"
            ));
            options.format = format;
        }
        options
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Terminal,
    Narrated,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl DiagnosticOptions {
    /// The diagnostics to write: errors only with `--quiet`.
    pub fn shown(&self, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| !self.quiet || d.is_error())
            .cloned()
            .collect()
    }

    /// A line for people on standard error (a summary, `wrote …`): not
    /// with `--quiet`, nor in JSON, where standard error holds
    /// diagnostics only.
    pub fn note(&self, text: &str) {
        if !self.quiet && self.format != DiagnosticFormat::Json {
            eprintln!("{text}");
        }
    }

    /// The language diagnostics and messages are written in: `--lang`,
    /// else the environment's locale.
    pub fn lang(&self) -> Lang {
        self.lang
            .map_or_else(Lang::from_environment, LangChoice::lang)
    }

    /// A line for people on standard error, in [`Self::lang`] (see
    /// [`Self::note`]).
    pub fn say(&self, text: &Text) {
        self.note(&text.render(self.lang()));
    }

    /// `warning: …` on standard error for a problem of the command line
    /// itself (not a file's), unless `--quiet`.
    pub fn warn(&self, text: &Text) {
        if !self.quiet {
            let lang = self.lang();
            eprintln!("{} {}", text!("warning:").render(lang), text.render(lang));
        }
    }

    /// `error: …` on standard error for a problem of the command line
    /// itself (arguments that cannot go together, as clap reports them).
    pub fn usage_error(&self, text: &Text) {
        let lang = self.lang();
        eprintln!("{} {}", text!("error:").render(lang), text.render(lang));
    }

    /// A line of `--verbose` (what was read, how long it took), in
    /// [`Self::lang`].
    pub fn verbose(&self, text: impl FnOnce() -> Text) {
        if self.verbose && self.format != DiagnosticFormat::Json {
            eprintln!("{}", text().render(self.lang()));
        }
    }

    pub fn format(&self) -> Format {
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

/// The main file a path names: the path itself for a file; for a
/// directory (a project), its one `.acquis` file that holds the
/// `referential` header. `Err` says why there is none.
pub fn main_file(path: &Path) -> Result<std::path::PathBuf, Text> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)
        .map_err(|e| {
            text!(
                "cannot read the directory `{path}`: {reason}",
                path = path.display().to_string(),
                reason = io_reason(&e)
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "acquis") && p.is_file())
        .collect();
    files.sort();
    let mains: Vec<std::path::PathBuf> = files
        .into_iter()
        .filter(|file| {
            Disk.read(file).is_ok_and(|text| {
                acquis_grammar::parse(&text)
                    .items
                    .iter()
                    .any(|item| matches!(item, acquis_grammar::ast::Item::Referential(_)))
            })
        })
        .collect();
    match mains.as_slice() {
        [main] => Ok(main.clone()),
        [] => Err(text!(
            "no `.acquis` file of `{path}` holds a `referential` header: give the main file, or the directory that holds it",
            path = path.display().to_string()
        )),
        several => Err(text!(
            "several `.acquis` files of `{path}` hold a `referential` header ({files}): give the main file",
            path = path.display().to_string(),
            files = several
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A line on standard error saying how far a long run has gone (`12 000
/// candidats évalués…`), rewritten at most ten times a second and erased
/// at the end; only on a terminal, not with `--quiet` nor JSON
/// diagnostics. A closed standard error stops it: it is a courtesy.
pub struct Ticker {
    out: Option<Box<dyn Write>>,
    last: std::time::Instant,
}

impl Ticker {
    /// A ticker writing to `out` (none: it says nothing).
    pub fn to(out: Option<Box<dyn Write>>) -> Self {
        Ticker {
            out,
            last: std::time::Instant::now(),
        }
    }

    /// Standard error when the options allow a progress line there.
    pub fn on_stderr(options: &DiagnosticOptions) -> Self {
        let show = !options.quiet
            && options.format != DiagnosticFormat::Json
            && std::io::stderr().is_terminal();
        Ticker::to(show.then(|| Box::new(std::io::stderr()) as Box<dyn Write>))
    }

    /// Shows `line` unless one was shown less than 100 ms ago.
    pub fn tick(&mut self, line: impl FnOnce() -> String) {
        let Some(out) = &mut self.out else {
            return;
        };
        if self.last.elapsed() < std::time::Duration::from_millis(100) {
            return;
        }
        self.last = std::time::Instant::now();
        let line = format!("\r{}", line());
        if out
            .write_all(line.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            self.out = None;
        }
    }

    /// Shows `line` now (a step that gives no count, such as laying out a
    /// PDF), until the next line or [`Ticker::clear`].
    pub fn show(&mut self, line: &str) {
        if let Some(out) = &mut self.out {
            let line = format!("\r{line}");
            if out
                .write_all(line.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                self.out = None;
            }
        }
    }

    /// Erases the line: what follows starts clean.
    pub fn clear(&mut self) {
        if let Some(out) = &mut self.out {
            let _ = out.write_all(b"\r\x1b[2K");
            let _ = out.flush();
        }
    }
}

/// Compiles the referential a path names ([`main_file`]). A directory
/// without one main file gives the compiler's A0001 (a directory cannot be
/// read), in every diagnostics format, its help saying why.
pub fn compile_path(path: &Path) -> Compilation {
    match main_file(path) {
        Ok(main) => compile(&main, &Disk),
        Err(why) => {
            let mut c = compile(path, &Disk);
            for d in &mut c.diagnostics {
                if d.code == acquis_compiler::Code::FileUnreadable {
                    d.help = Some(why.clone());
                }
            }
            c
        }
    }
}

/// Compiles a referential and reports its diagnostics; the IR when there
/// is no error. A directory stands for its main file ([`main_file`]). The compilation is never freed: the process ends soon after,
/// and freeing a large one node by node would only delay the exit.
pub fn compile_or_report(
    file: &Path,
    options: &DiagnosticOptions,
) -> Option<&'static acquis_ir::Ir> {
    let start = std::time::Instant::now();
    let c: &'static Compilation = Box::leak(Box::new(compile_path(file)));
    options.verbose(|| {
        text!(
            "compiled {path} ({files} file{files:s}) in {ms} ms: {summary}",
            path = &file.display(),
            files = c.sources.len(),
            ms = start.elapsed().as_millis().to_string(),
            summary = render::counts(
                c.diagnostics.iter().filter(|d| d.is_error()).count(),
                c.warning_count()
            )
        )
    });
    report(c, options);
    c.ir.as_ref().filter(|_| !c.has_errors())
}

pub fn report(c: &Compilation, options: &DiagnosticOptions) {
    let format = options.format();
    let shown = options.shown(&c.diagnostics);
    // JSON Lines for every verb but check (whose output is the diagnostics,
    // one document): what follows on standard error (a grade file's
    // problems, an import's warnings) is JSON Lines too.
    let lang = options.lang();
    let text = match format {
        Format::Json => shown
            .iter()
            .map(|d| render::stream(d, &c.sources, format, lang))
            .collect(),
        _ => render::render(&shown, &c.sources, format, lang),
    };
    if !text.is_empty() {
        eprint!("{text}");
    }
    if !matches!(format, Format::Json) && c.has_errors() && !options.quiet {
        eprintln!("{}", render::summary(&c.diagnostics, lang));
    }
}

/// Writes one diagnostic that has no source text to quote (a problem of a
/// grade file, an error of the whole run) to standard error as soon as it
/// is found: one line on a terminal (`path:line:column: error: message`),
/// sentences when narrated, one line of JSON (JSON Lines) for tools.
pub fn report_one(d: &Diagnostic, format: Format, lang: Lang) {
    let text = render::stream(d, &SourceMap::default(), format, lang);
    // Writing to stderr failing leaves nothing better to do.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes an output to `-o FILE` or standard output; a failure is
/// A0711, reported in the options' format and language.
pub fn write_output(
    output: Option<&Path>,
    bytes: impl AsRef<[u8]>,
    options: &DiagnosticOptions,
) -> ExitCode {
    let bytes = bytes.as_ref();
    let result = match output {
        Some(path) => std::fs::write(path, bytes),
        None => std::io::stdout().write_all(bytes),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(source) => {
            let e = crate::output::WriteError {
                path: output.map(Path::to_path_buf),
                source,
            };
            report_one(
                &e.to_diagnostic(Code::ResultsUnwritable),
                options.format(),
                options.lang(),
            );
            ExitCode::FAILURE
        }
    }
}

/// Why a file could not be read or written (the diagnostics' words).
pub use acquis_diagnostics::text::io_reason;

pub fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests may panic")]
mod tests {
    use super::Ticker;
    use std::cell::RefCell;
    use std::io::Write;
    use std::rc::Rc;

    /// What a ticker wrote, shared with the test.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_ticker_rewrites_one_line_then_erases_it() {
        let shared = Shared::default();
        let mut ticker = Ticker::to(Some(Box::new(shared.clone())));
        // Within 100 ms of the start: nothing yet.
        ticker.tick(|| "1 fiche lue…".to_string());
        assert!(shared.0.borrow().is_empty());
        std::thread::sleep(std::time::Duration::from_millis(110));
        ticker.tick(|| "2 fiches lues…".to_string());
        ticker.clear();
        let written = String::from_utf8(shared.0.borrow().clone()).unwrap();
        assert_eq!(written, "\r2 fiches lues…\r\x1b[2K");
        // Without a terminal it says nothing.
        let mut silent = Ticker::to(None);
        silent.tick(|| unreachable!("never asked"));
        silent.clear();
    }
}
