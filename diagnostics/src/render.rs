//! Renders [`Diagnostic`]s, once per output kind:
//! - `terminal`: codespan-reporting draws source snippets with labels,
//!   with or without colour; a diagnostic located in a data file (a
//!   [`Position`], no text to quote) is the one line
//!   `path:line:column: error: message (label)` of compilers;
//! - `narrated`: plain sentences for screen readers (no box drawing, every
//!   location spelled out, columns in characters as everywhere else);
//! - `json`: one object per diagnostic with paths, lines and columns, all
//!   in one document ([`json`]) or one line each ([`json_line`], JSON
//!   Lines, for diagnostics reported while a file is streamed).

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Label, Location, Position, Severity};
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

/// One diagnostic as soon as it is found, for a stream of them (the
/// problems of a grade file, reported while it is read): terminal and
/// narrated text as [`render`] writes each, JSON as one line
/// ([`json_line`]).
pub fn stream(d: &Diagnostic, sources: &SourceMap, format: Format) -> String {
    match format {
        Format::Terminal { color } => terminal(d, sources, color),
        Format::Narrated => {
            let mut out = narrated(d, sources);
            out.push('\n');
            out
        }
        Format::Json => json_line(d, sources),
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
        if let Location::Position(position) = d.primary.location() {
            return one_line(d, position);
        }
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut labels = vec![cs::Label::primary(d.primary.file.0, self.range(&d.primary))
            .with_message(&d.primary.message)];
        // Positions in data files have no text to draw: they become notes.
        let mut notes: Vec<String> = Vec::new();
        for l in &d.labels {
            match l.location() {
                Location::Span { file, .. } => labels
                    .push(cs::Label::secondary(file.0, self.range(l)).with_message(&l.message)),
                Location::Position(p) => notes.push(format!(
                    "{}{}",
                    compact_place(p).unwrap_or_default(),
                    l.message
                )),
            }
        }
        notes.extend(d.help.iter().map(|h| format!("help: {h}")));
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

/// `path:line:column: ` (or `path:line: `, or `path: ` for a whole file)
/// as compilers write a place; `None` for no file. The message never
/// repeats the place: the position carries it.
fn compact_place(p: &Position) -> Option<String> {
    match (&p.path, p.line, p.column) {
        (Some(path), Some(line), Some(column)) => Some(format!("{path}:{line}:{column}: ")),
        (Some(path), Some(line), None) => Some(format!("{path}:{line}: ")),
        (Some(path), None, _) => Some(format!("{path}: ")),
        (None, _, _) => None,
    }
}

/// A diagnostic in a data file, for a terminal: the one line
/// `path:line:column: error: message (primary label)` that editors'
/// quickfix lists, grep and people read, without colour; `path: error:
/// message` for a whole file, `error: message` for no file. Other labels and the help are
/// left to the narrated and JSON forms, so that the line stays one line.
fn one_line(d: &Diagnostic, position: &Position) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let place = compact_place(position).unwrap_or_default();
    let label = if d.primary.message.is_empty() {
        String::new()
    } else {
        format!(" ({})", d.primary.message)
    };
    format!("{place}{severity}: {}{label}\n", d.message)
}

/// Plain narrated text for screen readers: no drawing, every place said in
/// words (file, line, columns counted in characters), the source line read
/// out, then each label and the help.
pub fn narrated(d: &Diagnostic, sources: &SourceMap) -> String {
    let severity = match d.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    if let Location::Position(position) = d.primary.location() {
        return narrated_position(d, severity, position, sources);
    }
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
    labels_and_help(d, sources, &mut out);
    out
}

/// A diagnostic in a data file, narrated: "Error A0707: message, in PATH
/// at line L, column C: primary label." (no line to read out: the text is
/// not in memory), then the other labels and the help.
fn narrated_position(
    d: &Diagnostic,
    severity: &str,
    position: &Position,
    sources: &SourceMap,
) -> String {
    let mut out = format!("{severity} {}: {}", d.code, d.message);
    let place = position_place(position, true);
    if !place.is_empty() {
        out.push_str(", ");
        out.push_str(&place);
    }
    out.push_str(&label_end(&d.primary.message));
    labels_and_help(d, sources, &mut out);
    out
}

/// "  Also …" for each secondary label (with its file when it is not the
/// primary label's), then "  Help: …".
fn labels_and_help(d: &Diagnostic, sources: &SourceMap, out: &mut String) {
    let primary_path = match d.primary.location() {
        Location::Span { file, .. } => Some(sources.path(file)),
        Location::Position(p) => p.path.as_deref(),
    };
    for label in &d.labels {
        let place = match (label.location(), d.primary.location()) {
            (Location::Span { file, .. }, Location::Span { file: primary, .. }) => {
                place(sources, label, file != primary)
            }
            (Location::Span { .. }, Location::Position(_)) => place(sources, label, true),
            (Location::Position(p), _) => position_place(p, p.path.as_deref() != primary_path),
        };
        out.push_str(&format!("  Also {place}"));
        out.push_str(&label_end(&label.message));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  Help: {help}\n"));
    }
}

/// "in PATH at line 3, column 5" (the path when asked for), "at line 3",
/// "in PATH" for a whole file, nothing for no file.
fn position_place(p: &Position, with_path: bool) -> String {
    let path = p.path.as_deref().filter(|_| with_path);
    let at = match (p.line, p.column) {
        (Some(line), Some(column)) => Some(format!("at line {line}, column {column}")),
        (Some(line), None) => Some(format!("at line {line}")),
        (None, _) => None,
    };
    match (path, at) {
        (Some(path), Some(at)) => format!("in {path} {at}"),
        (Some(path), None) => format!("in {path}"),
        (None, Some(at)) => at,
        (None, None) => String::new(),
    }
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

/// A location in the JSON forms. Every key is always there; for a
/// position in a data file (a grade file, whose text is not in memory)
/// `start`, `end`, `end_line` and `end_column` are `null`, and so are
/// `column` when no column is meaningful, `line` for a whole file and
/// `path` for a problem in no file.
#[derive(Serialize)]
struct JsonLocation<'a> {
    path: Option<&'a str>,
    /// Byte offsets into the file.
    start: Option<usize>,
    end: Option<usize>,
    /// 1-based line and column (in characters) of `start` and `end`.
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
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
    match label.location() {
        Location::Span { file, span } => locate(sources, file, span, &label.message),
        Location::Position(p) => JsonLocation {
            path: p.path.as_deref(),
            start: None,
            end: None,
            line: p.line,
            column: p.column,
            end_line: None,
            end_column: None,
            message: &label.message,
        },
    }
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
        path: Some(sources.path(file)),
        start: Some(span.start),
        end: Some(span.end),
        line: Some(line),
        column: Some(column),
        end_line: Some(end_line),
        end_column: Some(end_column),
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
            .map(|(d, sources)| json_diagnostic(d, sources))
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// One diagnostic as one line of JSON (JSON Lines): an object of the same
/// shape as the entries of the `diagnostics` array of [`json`], ended by a
/// newline. For diagnostics reported while a file is streamed, which one
/// document at the end would hold back.
pub fn json_line(d: &Diagnostic, sources: &SourceMap) -> String {
    let mut text = serde_json::to_string(&json_diagnostic(d, sources))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

fn json_diagnostic<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
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
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests may panic")]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::Code;

    /// A problem of a grade file, as `acquis eval` reports it.
    fn unknown_criterion() -> Diagnostic {
        Diagnostic::at(
            Code::UnknownCriterion,
            "unknown criterion `C1/CE9` (did you mean `C1/CE1`?)",
            Position::line("grades.csv", 3, Some(2)),
        )
        .with_primary_message("candidate `alice`")
        .with_help("write the qualified id of a criterion of the referential")
    }

    fn whole_file() -> Diagnostic {
        Diagnostic::at(
            Code::GradesUnreadable,
            "cannot read the file: no such file",
            Position::file("nope.csv"),
        )
        .with_help("check the path")
    }

    #[test]
    fn terminal_positions_are_one_line_as_compilers_write_them() {
        let sources = SourceMap::default();
        for color in [false, true] {
            assert_eq!(
                terminal(&unknown_criterion(), &sources, color),
                "grades.csv:3:2: error: unknown criterion `C1/CE9` (did you mean `C1/CE1`?) \
                 (candidate `alice`)\n"
            );
        }
        let no_column = Diagnostic::at(
            Code::MalformedRow,
            "this row has 2 fields but the header has 3",
            Position::line("grades.csv", 7, None),
        );
        assert_eq!(
            terminal(&no_column, &sources, false),
            "grades.csv:7: error: this row has 2 fields but the header has 3\n"
        );
        // A whole file: its path, then the message; no file: the message.
        assert_eq!(
            terminal(&whole_file(), &sources, false),
            "nope.csv: error: cannot read the file: no such file\n"
        );
        let nowhere = Diagnostic::at(
            Code::ResultsUnwritable,
            "cannot write the results: broken pipe",
            Position::nowhere(),
        );
        assert_eq!(
            render(&[nowhere], &sources, Format::Terminal { color: true }),
            "error: cannot write the results: broken pipe\n"
        );
    }

    #[test]
    fn narrated_positions_spell_out_the_place() {
        let sources = SourceMap::default();
        let first = unknown_criterion()
            .with_position_label(Position::line("grades.csv", 2, Some(2)), "first grade")
            .with_position_label(Position::line("other.csv", 5, None), "elsewhere");
        assert_eq!(
            narrated(&first, &sources),
            "Error A0707: unknown criterion `C1/CE9` (did you mean `C1/CE1`?), in grades.csv at \
             line 3, column 2: candidate `alice`.\n  \
             Also at line 2, column 2: first grade.\n  \
             Also in other.csv at line 5: elsewhere.\n  \
             Help: write the qualified id of a criterion of the referential\n"
        );
        assert_eq!(
            narrated(&whole_file(), &sources),
            "Error A0701: cannot read the file: no such file, in nope.csv.\n  \
             Help: check the path\n"
        );
        // As `render` separates narrated diagnostics: a blank line after each.
        assert_eq!(
            stream(&whole_file(), &sources, Format::Narrated),
            render(&[whole_file()], &sources, Format::Narrated)
        );
    }

    #[test]
    fn json_positions_have_null_offsets_and_the_document_shape() {
        let sources = SourceMap::default();
        let d = unknown_criterion();
        let document: serde_json::Value =
            serde_json::from_str(&json(std::slice::from_ref(&d), &sources)).unwrap();
        let entry = &document["diagnostics"][0];
        assert_eq!(
            entry["location"],
            serde_json::json!({
                "path": "grades.csv", "start": null, "end": null,
                "line": 3, "column": 2, "end_line": null, "end_column": null,
                "message": "candidate `alice`"
            })
        );
        assert_eq!(entry["code"], "A0707");
        assert_eq!(document["errors"], 1);
        // JSON Lines: the same object, on one line.
        let line = stream(&d, &sources, Format::Json);
        assert!(line.ends_with('\n') && line.trim_end().lines().count() == 1);
        let object: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(&object, entry);
        // A whole file: no line; no file: no path.
        let object: serde_json::Value =
            serde_json::from_str(&json_line(&whole_file(), &sources)).unwrap();
        assert_eq!(object["location"]["path"], "nope.csv");
        assert!(object["location"]["line"].is_null() && object["location"]["column"].is_null());
        assert_eq!(object["help"], "check the path");
    }

    #[test]
    fn spans_keep_their_numbers_and_position_labels_become_notes() {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("r.acquis", "criterion CE1\n"));
        let d = Diagnostic::new(
            Code::UnknownReference,
            "unknown `CE1`",
            file,
            Span::new(10, 13),
        )
        .with_position_label(Position::line("grades.csv", 4, Some(3)), "graded here");
        let object: serde_json::Value = serde_json::from_str(&json_line(&d, &sources)).unwrap();
        assert_eq!(
            object["location"],
            serde_json::json!({
                "path": "r.acquis", "start": 10, "end": 13,
                "line": 1, "column": 11, "end_line": 1, "end_column": 14
            })
        );
        assert_eq!(object["labels"][0]["path"], "grades.csv");
        let drawn = terminal(&d, &sources, false);
        assert!(drawn.contains("r.acquis:1:11"), "{drawn}");
        assert!(drawn.contains("= grades.csv:4:3: graded here"), "{drawn}");
        assert!(
            narrated(&d, &sources)
                .contains("  Also in grades.csv at line 4, column 3: graded here.\n"),
            "{}",
            narrated(&d, &sources)
        );
    }
}
