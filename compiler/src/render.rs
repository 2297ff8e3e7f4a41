//! Renders [`Diagnostic`]s, once per output kind:
//! - `terminal`: codespan-reporting draws source snippets with labels,
//!   with or without colour;
//! - `narrated`: miette's `NarratableReportHandler`, plain sentences for
//!   screen readers (no box drawing, every location spelled out);
//! - `json`: one object per diagnostic with paths, lines and columns.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceMap};
use acquis_grammar::ast::Span;

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
            let mut out = String::new();
            for d in diagnostics {
                out.push_str(&terminal(d, sources, color));
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

pub fn terminal(d: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = sources
        .iter()
        .map(|(_, f)| files.add(f.path.clone(), f.text.clone()))
        .collect();
    let file_of = |label: &Label| ids.get(label.file.0).copied().unwrap_or(0);
    let clamp = |label: &Label| {
        sources.get(label.file).map_or(0..0, |f| {
            let start = f.clamp(label.span.start);
            start..f.clamp(label.span.end).max(start)
        })
    };
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels =
        vec![cs::Label::primary(file_of(&d.primary), clamp(&d.primary))
            .with_message(&d.primary.message)];
    labels.extend(
        d.labels
            .iter()
            .map(|l| cs::Label::secondary(file_of(l), clamp(l)).with_message(&l.message)),
    );
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    let diagnostic = cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes);
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    match term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic) {
        Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
        // Rendering failed (a span outside its file): fall back to plain text.
        Err(_) => narrated(d, sources),
    }
}

/// miette's view of one diagnostic; only this module knows miette.
struct MietteView<'a> {
    diagnostic: &'a Diagnostic,
    source: miette::NamedSource<String>,
    labels: Vec<miette::LabeledSpan>,
}

impl std::fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// Plain narrated text: what, where (file, line, column), and each label.
pub fn narrated(d: &Diagnostic, sources: &SourceMap) -> String {
    let file = sources.get(d.primary.file);
    let path = sources.path(d.primary.file).to_string();
    let text = file.map_or(String::new(), |f| f.text.clone());
    // miette draws one source; labels in other files are narrated below.
    let same_file = |l: &Label| l.file == d.primary.file;
    let to_miette = |l: &Label, primary: bool| {
        let (start, end) = file.map_or((0, 0), |f| (f.clamp(l.span.start), f.clamp(l.span.end)));
        let message = if l.message.is_empty() {
            None
        } else {
            Some(l.message.clone())
        };
        if primary {
            miette::LabeledSpan::new_primary_with_span(message, (start, end.saturating_sub(start)))
        } else {
            miette::LabeledSpan::new_with_span(message, (start, end.saturating_sub(start)))
        }
    };
    let mut labels = vec![to_miette(&d.primary, true)];
    labels.extend(
        d.labels
            .iter()
            .filter(|l| same_file(l))
            .map(|l| to_miette(l, false)),
    );
    let view = MietteView {
        diagnostic: d,
        source: miette::NamedSource::new(path.clone(), text),
        labels,
    };
    let (line, column) = file.map_or((1, 1), |f| f.line_col(d.primary.span.start));
    let mut out = format!(
        "{} {}: {}, in {path} at line {line}, column {column}.\n",
        match d.severity {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
        },
        d.code,
        d.message
    );
    let mut rendered = String::new();
    if miette::NarratableReportHandler::new()
        .render_report(&mut rendered, &view)
        .is_ok()
    {
        // miette's header repeats the message; keep its located snippets.
        for line in rendered.lines().skip(1) {
            let trimmed = line.trim();
            // The header above already says the severity and the code.
            let repeated = trimmed.starts_with("Diagnostic severity:")
                || trimmed.starts_with("diagnostic code:");
            if !trimmed.is_empty() && !repeated {
                out.push_str("  ");
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
    }
    for l in d.labels.iter().filter(|l| !same_file(l)) {
        let (line, column) = sources
            .get(l.file)
            .map_or((1, 1), |f| f.line_col(l.span.start));
        out.push_str(&format!(
            "  Also in {} at line {line}, column {column}: {}.\n",
            sources.path(l.file),
            l.message
        ));
    }
    out
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

pub fn json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let report = JsonReport {
        errors: diagnostics.iter().filter(|d| d.is_error()).count(),
        warnings: diagnostics.iter().filter(|d| !d.is_error()).count(),
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
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
