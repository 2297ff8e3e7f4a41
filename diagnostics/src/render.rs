//! Renders [`Diagnostic`]s, once per output kind:
//! - `terminal`: codespan-reporting draws source snippets with labels,
//!   with or without colour;
//! - `narrated`: plain sentences for screen readers (no box drawing, every
//!   location spelled out, columns in characters as everywhere else);
//! - `json`: one object per diagnostic with paths, lines and columns.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceMap};
use crate::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Terminal { color: bool },
    Narrated,
    Json,
}

/// Renders all diagnostics followed by a one-line summary (except JSON,
/// which is one JSON document).
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, format: Format) -> String {
    match format {
        Format::Terminal { color } => {
            let files = TerminalFiles::new(sources);
            let mut out = String::new();
            for d in diagnostics {
                out.push_str(&files.render(d, color));
            }
            out
        }
        Format::Narrated => {
            let mut out = String::new();
            for d in diagnostics {
                out.push_str(&narrated(d, sources));
                out.push('\n');
            }
            out
        }
        Format::Json => json(diagnostics, sources),
    }
}

/// "2 errors and 1 warning", "no problems".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "no errors and no warnings".to_string(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// The sources as codespan-reporting sees them, borrowed, built once for
/// all the diagnostics of a render.
struct TerminalFiles<'s> {
    sources: &'s SourceMap,
    files: SimpleFiles<&'s str, &'s str>,
}

impl<'s> TerminalFiles<'s> {
    fn new(sources: &'s SourceMap) -> Self {
        let mut files = SimpleFiles::new();
        for (_, f) in sources.iter() {
            files.add(f.path.as_str(), f.text.as_str());
        }
        TerminalFiles { sources, files }
    }

    fn range(&self, label: &Label) -> std::ops::Range<usize> {
        self.sources.get(label.file).map_or(0..0, |f| {
            let start = f.clamp(label.span.start);
            start..f.clamp(label.span.end).max(start)
        })
    }

    fn render(&self, d: &Diagnostic, color: bool) -> String {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut labels = vec![cs::Label::primary(d.primary.file.0, self.range(&d.primary))
            .with_message(&d.primary.message)];
        labels.extend(
            d.labels
                .iter()
                .map(|l| cs::Label::secondary(l.file.0, self.range(l)).with_message(&l.message)),
        );
        let notes = d.help.iter().map(|h| format!("help: {h}")).collect();
        let diagnostic = cs::Diagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        let mut buffer = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        match term::emit_to_write_style(
            &mut buffer,
            &term::Config::default(),
            &self.files,
            &diagnostic,
        ) {
            Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
            // A span codespan cannot draw: say it in words instead.
            Err(_) => narrated(d, self.sources),
        }
    }
}

/// One diagnostic drawn for a terminal.
pub fn terminal(d: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    TerminalFiles::new(sources).render(d, color)
}

/// Plain narrated text for screen readers: no drawing, every place said in
/// words (file, line, columns counted in characters), the source line read
/// out, then each label and the help.
pub fn narrated(d: &Diagnostic, sources: &SourceMap) -> String {
    let severity = match d.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    let path = sources.path(d.primary.file);
    let (line, column) = sources
        .get(d.primary.file)
        .map_or((1, 1), |f| f.line_col(d.primary.span.start));
    let mut out = format!(
        "{severity} {}: {}, in {path} at line {line}, column {column}.\n",
        d.code, d.message
    );
    if let Some(file) = sources.get(d.primary.file) {
        let text = line_text(file, line);
        if !text.is_empty() {
            out.push_str(&format!("  Line {line} reads: {text}\n"));
        }
    }
    out.push_str(&format!("  Marked {}", place(sources, &d.primary, false)));
    out.push_str(&label_end(&d.primary.message));
    for label in &d.labels {
        let other_file = label.file != d.primary.file;
        out.push_str(&format!("  Also {}", place(sources, label, other_file)));
        out.push_str(&label_end(&label.message));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  Help: {help}\n"));
    }
    out
}

/// "at line 3, columns 5 to 9" (with the file when it differs).
fn place(sources: &SourceMap, label: &Label, with_path: bool) -> String {
    let (line, start, end_line, end) = sources.get(label.file).map_or((1, 1, 1, 1), |f| {
        let (l, c) = f.line_col(label.span.start);
        let (el, ec) = f.line_col(label.span.end);
        (l, c, el, ec)
    });
    let prefix = if with_path {
        format!("in {} ", sources.path(label.file))
    } else {
        String::new()
    };
    if end_line != line {
        // `end` is exclusive: the span stops just before that column.
        format!("{prefix}from line {line}, column {start} to line {end_line}, before column {end}")
    } else if end.saturating_sub(1) <= start {
        format!("{prefix}at line {line}, column {start}")
    } else {
        // `end` is exclusive; say the last column of the span.
        format!("{prefix}at line {line}, columns {start} to {}", end - 1)
    }
}

fn label_end(message: &str) -> String {
    if message.is_empty() {
        ".\n".to_string()
    } else {
        format!(": {message}.\n")
    }
}

/// The text of a 1-based line, trimmed.
fn line_text(file: &crate::source::SourceFile, line: usize) -> &str {
    let start = file.line_start(line.saturating_sub(1));
    let end = file.line_start(line);
    file.slice(start, end).trim()
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    path: &'a str,
    /// Byte offsets into the file.
    start: usize,
    end: usize,
    /// 1-based line and column (in characters) of `start` and `end`.
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    location: JsonLocation<'a>,
    replacement: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    location: JsonLocation<'a>,
    labels: Vec<JsonLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    suggestions: Vec<JsonSuggestion<'a>>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

fn location<'a>(sources: &'a SourceMap, label: &'a Label) -> JsonLocation<'a> {
    locate(sources, label.file, label.span, &label.message)
}

fn locate<'a>(
    sources: &'a SourceMap,
    file: FileId,
    span: Span,
    message: &'a str,
) -> JsonLocation<'a> {
    let (line, column, end_line, end_column) = sources.get(file).map_or((1, 1, 1, 1), |f| {
        let (l, c) = f.line_col(span.start);
        let (el, ec) = f.line_col(span.end);
        (l, c, el, ec)
    });
    JsonLocation {
        path: sources.path(file),
        start: span.start,
        end: span.end,
        line,
        column,
        end_line,
        end_column,
        message,
    }
}

/// One JSON document: `{diagnostics, errors, warnings}`.
pub fn json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    json_many(&[(diagnostics, sources)])
}

/// One JSON document for several compilations (`acquis check a b c`):
/// every diagnostic carries its own path.
pub fn json_many(runs: &[(&[Diagnostic], &SourceMap)]) -> String {
    let all = || {
        runs.iter()
            .flat_map(|(ds, sources)| ds.iter().map(move |d| (d, *sources)))
    };
    let report = JsonReport {
        errors: all().filter(|(d, _)| d.is_error()).count(),
        warnings: all().filter(|(d, _)| !d.is_error()).count(),
        diagnostics: all()
            .map(|(d, sources)| JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity,
                message: &d.message,
                location: location(sources, &d.primary),
                labels: d.labels.iter().map(|l| location(sources, l)).collect(),
                help: d.help.as_deref(),
                suggestions: d
                    .suggestions
                    .iter()
                    .map(|s| JsonSuggestion {
                        location: locate(sources, s.file, s.span, ""),
                        replacement: &s.replacement,
                        message: &s.message,
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
