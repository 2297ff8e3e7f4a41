//! `acquis fmt`: rewrites referentials in the canonical style
//! (docs/formatting.md). The formatting itself is
//! `acquis_grammar::format`; this module finds the files, writes them
//! safely (temporary file, then rename) and reports.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use acquis_compiler::loader::{Disk, LoadError, SourceProvider, MAX_FILE_BYTES};
use acquis_compiler::Diagnostic;
use acquis_diagnostics::{render, text, Code, Position, Text};

use crate::common::{io_reason, report_one, DiagnosticOptions};
use acquis_diagnostics::source::{SourceFile, SourceMap};
use acquis_grammar::format::{format, FormatError};

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files, or directories (every *.acquis file below them); `-` reads
    /// standard input and writes standard output
    #[arg(value_name = "PATH", required_unless_present = "stdin")]
    paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted, exit 1 if any
    #[arg(long)]
    check: bool,
    /// Read standard input and write the formatted text to standard output
    #[arg(long)]
    stdin: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

pub fn run(args: &FmtArgs, options: &DiagnosticOptions) -> ExitCode {
    let from_stdin = args.stdin || args.paths.iter().any(|p| p.as_os_str() == "-");
    if from_stdin {
        if !args.paths.iter().all(|p| p.as_os_str() == "-") {
            options.usage_error(&text!("`-` (or --stdin) cannot be mixed with file names"));
            return ExitCode::from(2);
        }
        return stdin(args.check, options);
    }
    let mut files = Vec::new();
    let mut failed = false;
    for path in &args.paths {
        if let Err(message) = collect(path, &mut files) {
            file_error(path, message, options);
            failed = true;
        }
    }
    // A file and a link to it (or a file named twice) are formatted once.
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    let mut changed = 0;
    for file in &files {
        match one_file(file, args.check, options) {
            Outcome::Unchanged => {}
            Outcome::Changed => {
                changed += 1;
                if args.check {
                    println!("{}", file.display());
                }
            }
            Outcome::Failed => failed = true,
        }
    }
    options.say(&if args.check {
        text!(
            "{n} file{n:s} checked, {changed} would be reformatted",
            n = files.len(),
            changed = changed
        )
    } else {
        text!(
            "{n} file{n:s} checked, {changed} reformatted",
            n = files.len(),
            changed = changed
        )
    });
    if failed || (args.check && changed > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn stdin(check: bool, options: &DiagnosticOptions) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
    {
        report_one(
            &Diagnostic::at(
                Code::FileUnreadable,
                text!(
                    "cannot read standard input: {reason}",
                    reason = io_reason(&e)
                ),
                Position::nowhere(),
            ),
            options.format(),
            options.lang(),
        );
        return ExitCode::FAILURE;
    }
    if text.len() as u64 > MAX_FILE_BYTES {
        report_one(
            &Diagnostic::at(
                Code::FileTooLarge,
                text!(
                    "standard input holds more than the {max} MiB a referential's file may have",
                    max = MAX_FILE_BYTES / (1024 * 1024)
                ),
                Position::nowhere(),
            ),
            options.format(),
            options.lang(),
        );
        return ExitCode::FAILURE;
    }
    match format(&text) {
        Ok(formatted) if check => {
            if formatted == text {
                ExitCode::SUCCESS
            } else {
                println!("<stdin>");
                ExitCode::FAILURE
            }
        }
        Ok(formatted) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(formatted.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            report("<stdin>", &text, &error, options);
            ExitCode::FAILURE
        }
    }
}

/// Adds `path` if it is a file, or every `*.acquis` below it if it is a
/// directory (sorted, so the output does not depend on the file system).
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), Text> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if !meta.is_dir() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| io_reason(&e))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for entry in entries {
        // Symbolic links to directories are not followed: no cycles.
        let is_link = std::fs::symlink_metadata(&entry).is_ok_and(|m| m.file_type().is_symlink());
        if entry.is_dir() && !is_link {
            if !skipped(&entry) {
                collect(&entry, files)?;
            }
        } else if entry.is_file() && entry.extension().is_some_and(|e| e == "acquis") {
            files.push(entry);
        }
    }
    Ok(())
}

/// Directories a walk does not enter: hidden ones (`.git`, `.cache`) and
/// build output (`target`). Named on the command line, they are formatted.
fn skipped(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.') || n == "target")
}

fn one_file(path: &Path, check: bool, options: &DiagnosticOptions) -> Outcome {
    // A symbolic link is formatted through: its target is rewritten and the
    // link stays a link (renaming over the link would replace it by a copy).
    let real = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) => {
            file_error(path, io_reason(&e), options);
            return Outcome::Failed;
        }
    };
    // Read as the compiler reads a referential: regular files only (never
    // a device or a pipe), at most MAX_FILE_BYTES, counted while reading.
    let text = match Disk.read(&real) {
        Ok(text) => text,
        Err(e) => {
            let why = match e {
                LoadError::NotFound => text!("no such file or directory"),
                LoadError::IsDirectory => text!("it is a directory"),
                LoadError::NotAFile => {
                    text!("not a regular file (a device, a pipe or a socket)")
                }
                LoadError::NotUtf8 { line, column, .. } => text!(
                    "not UTF-8 text (line {line}, column {column})",
                    line = line.to_string(),
                    column = column.to_string()
                ),
                LoadError::TooLarge { bytes } => text!(
                    "{size} MiB, more than the {max} MiB a referential's file may have",
                    size = (bytes / (1024 * 1024)).to_string(),
                    max = MAX_FILE_BYTES / (1024 * 1024)
                ),
                LoadError::Other(reason) => text!("{reason}", reason = reason),
            };
            file_error(path, why, options);
            return Outcome::Failed;
        }
    };
    let formatted = match format(&text) {
        Ok(formatted) => formatted,
        Err(error) => {
            report(&path.display().to_string(), &text, &error, options);
            return Outcome::Failed;
        }
    };
    if formatted == text {
        return Outcome::Unchanged;
    }
    if !check {
        if let Err(e) = crate::output::write_atomically(&real, formatted.as_bytes()) {
            report_one(
                &Diagnostic::at(
                    Code::ResultsUnwritable,
                    text!("cannot write the file: {reason}", reason = io_reason(&e)),
                    Position::file(path.display().to_string()),
                ),
                options.format(),
                options.lang(),
            );
            return Outcome::Failed;
        }
    }
    Outcome::Changed
}

/// Syntax errors through the compiler's terminal renderer: file, line,
/// column and the source snippet, as `acquis check` shows them.
fn report(name: &str, text: &str, error: &FormatError, options: &DiagnosticOptions) {
    let mut sources = SourceMap::default();
    let file = sources.add(SourceFile::new(name, text));
    let diagnostics: Vec<Diagnostic> = error
        .errors
        .iter()
        .map(|e| Diagnostic::new(e.code, e.message.clone(), file, e.span))
        .collect();
    eprint!(
        "{}",
        render::render(&diagnostics, &sources, options.format(), options.lang())
    );
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    options.say(&text!(
        "{name}: not formatted: {summary}",
        name = name,
        summary = render::counts(errors, diagnostics.len() - errors)
    ));
}

/// A file `fmt` cannot read: A0001 at the file, in the options' format.
fn file_error(path: &Path, why: Text, options: &DiagnosticOptions) {
    report_one(
        &Diagnostic::at(
            Code::FileUnreadable,
            text!("cannot read the file: {reason}", reason = why),
            Position::file(path.display().to_string()),
        ),
        options.format(),
        options.lang(),
    );
}
