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
use crate::text::{Lang, Text};
use crate::{text, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Terminal { color: bool },
    Narrated,
    Json,
}

/// Renders all diagnostics in `lang` (terminal and narrated text one after
/// the other, JSON as one document).
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    format: Format,
    lang: Lang,
) -> String {
    match format {
        Format::Terminal { color } => {
            let files = TerminalFiles::new(sources);
            let mut out = String::new();
            for d in diagnostics {
                out.push_str(&files.render(d, color, lang));
            }
            out
        }
        Format::Narrated => {
            let mut out = String::new();
            for d in diagnostics {
                out.push_str(&narrated(d, sources, lang));
                out.push('\n');
            }
            out
        }
        Format::Json => json(diagnostics, sources, lang),
    }
}

/// One diagnostic as soon as it is found, for a stream of them (the
/// problems of a grade file, reported while it is read): terminal and
/// narrated text as [`render`] writes each, JSON as one line
/// ([`json_line`]).
pub fn stream(d: &Diagnostic, sources: &SourceMap, format: Format, lang: Lang) -> String {
    match format {
        Format::Terminal { color } => terminal(d, sources, color, lang),
        Format::Narrated => {
            let mut out = narrated(d, sources, lang);
            out.push('\n');
            out
        }
        Format::Json => json_line(d, sources, lang),
    }
}

/// "2 errors and 1 warning", « 2 erreurs et 1 avertissement ».
pub fn summary(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    counts(errors, warnings).render(lang)
}

/// The words of [`summary`] for `errors` and `warnings`.
pub fn counts(errors: usize, warnings: usize) -> Text {
    match (errors, warnings) {
        (0, 0) => text!("no errors and no warnings"),
        (e, 0) => text!("{e} error{e:s}", e = e),
        (0, w) => text!("{w} warning{w:s}", w = w),
        (e, w) => text!("{e} error{e:s} and {w} warning{w:s}", e = e, w = w),
    }
}

/// The word for a severity, as a one-line diagnostic starts.
fn severity_word(severity: Severity) -> Text {
    match severity {
        Severity::Error => text!("error"),
        Severity::Warning => text!("warning"),
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

    /// Whether a label touches a line too long to draw (see [`DRAWN_LINE`]).
    fn too_long_to_draw(&self, label: &Label) -> bool {
        let Some(f) = self.sources.get(label.file) else {
            return false;
        };
        let range = self.range(label);
        let (first, last) = (f.line_index(range.start), f.line_index(range.end));
        (first..=last).any(|l| f.line_start(l + 1) - f.line_start(l) > DRAWN_LINE)
    }

    fn render(&self, d: &Diagnostic, color: bool, lang: Lang) -> String {
        if let Location::Position(position) = d.primary.location() {
            return one_line(d, position, lang);
        }
        if std::iter::once(&d.primary)
            .chain(&d.labels)
            .any(|l| self.too_long_to_draw(l))
        {
            return undrawn(d, self.sources, lang);
        }
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut labels = vec![cs::Label::primary(d.primary.file.0, self.range(&d.primary))
            .with_message(d.primary.message.render(lang))];
        // Positions in data files have no text to draw: they become notes.
        let mut notes: Vec<String> = Vec::new();
        for l in &d.labels {
            match l.location() {
                Location::Span { file, .. } => labels.push(
                    cs::Label::secondary(file.0, self.range(l))
                        .with_message(l.message.render(lang)),
                ),
                Location::Position(p) => notes.push(format!(
                    "{}{}",
                    compact_place(p).unwrap_or_default(),
                    l.message.render(lang)
                )),
            }
        }
        notes.extend(
            d.help
                .iter()
                .map(|h| text!("help: {help}", help = h.clone()).render(lang)),
        );
        let diagnostic = cs::Diagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(d.message.render(lang))
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
            Ok(()) => {
                let drawn = String::from_utf8_lossy(buffer.as_slice()).into_owned();
                match lang {
                    Lang::En => drawn,
                    // codespan-reporting writes the header's severity in
                    // English (`error[A0201]`): the one place it names it.
                    _ => {
                        let code = d.code.as_str();
                        let english = match d.severity {
                            Severity::Error => format!("error[{code}]"),
                            Severity::Warning => format!("warning[{code}]"),
                        };
                        let translated =
                            format!("{}[{code}]", severity_word(d.severity).render(lang));
                        drawn.replacen(&english, &translated, 1)
                    }
                }
            }
            // A span codespan cannot draw: say it in words instead.
            Err(_) => narrated(d, self.sources, lang),
        }
    }
}

/// The longest line drawn under a diagnostic, in bytes. A longer line
/// (a rule of thousands of terms, a file without line breaks) is not
/// drawn: each of its diagnostics would copy it whole, and a thousand
/// diagnostics on a line of a thousand terms would write it a thousand
/// times. The place is given instead, and the labels as notes.
const DRAWN_LINE: usize = 1024;

/// A diagnostic on a line too long to draw, for a terminal: the header,
/// `--> path:line:column`, then the labels and the help as notes, as
/// codespan-reporting lays them out.
fn undrawn(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> String {
    let severity = severity_word(d.severity).render(lang);
    let colon = colon(lang);
    let at = |label: &Label| {
        let (line, column) = sources
            .get(label.file)
            .map_or((1, 1), |f| f.line_col(label.span.start));
        format!("{}:{line}:{column}", sources.path(label.file))
    };
    let mut out = format!(
        "{severity}[{}]{colon} {}\n  --> {}\n",
        d.code,
        d.message.render(lang),
        at(&d.primary)
    );
    if !d.primary.message.is_empty() {
        out.push_str(&format!("  = {}\n", d.primary.message.render(lang)));
    }
    for label in &d.labels {
        match label.location() {
            Location::Span { .. } => out.push_str(&format!(
                "  = {}{colon} {}\n",
                at(label),
                label.message.render(lang)
            )),
            Location::Position(p) => out.push_str(&format!(
                "  = {}{}\n",
                compact_place(p).unwrap_or_default(),
                label.message.render(lang)
            )),
        }
    }
    out.push_str(&format!(
        "  = {}\n",
        text!(
            "the line is not drawn: it is longer than {n} bytes",
            n = DRAWN_LINE.to_string()
        )
        .render(lang)
    ));
    if let Some(help) = &d.help {
        out.push_str(&format!(
            "  = {}\n",
            text!("help: {help}", help = help.clone()).render(lang)
        ));
    }
    out
}

/// One diagnostic drawn for a terminal.
pub fn terminal(d: &Diagnostic, sources: &SourceMap, color: bool, lang: Lang) -> String {
    TerminalFiles::new(sources).render(d, color, lang)
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
fn one_line(d: &Diagnostic, position: &Position, lang: Lang) -> String {
    let severity = severity_word(d.severity).render(lang);
    let place = compact_place(position).unwrap_or_default();
    let label = if d.primary.message.is_empty() {
        String::new()
    } else {
        format!(" ({})", d.primary.message.render(lang))
    };
    let colon = colon(lang);
    format!(
        "{place}{severity}{colon} {}{label}\n",
        d.message.render(lang)
    )
}

/// `:` with the space French typography puts before it.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ":",
        Lang::Fr => "\u{a0}:",
    }
}

/// Plain narrated text for screen readers: no drawing, every place said in
/// words (file, line, columns counted in characters), the source line read
/// out, then each label and the help.
pub fn narrated(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> String {
    let severity = match d.severity {
        Severity::Error => text!("Error"),
        Severity::Warning => text!("Warning"),
    }
    .render(lang);
    if let Location::Position(position) = d.primary.location() {
        return narrated_position(d, &severity, position, sources, lang);
    }
    let path = sources.path(d.primary.file);
    let (line, column) = sources
        .get(d.primary.file)
        .map_or((1, 1), |f| f.line_col(d.primary.span.start));
    let colon = colon(lang);
    let place_words = text!(
        "in {path} at line {line}, column {column}",
        path = path,
        line = line.to_string(),
        column = column.to_string()
    )
    .render(lang);
    let mut out = format!(
        "{severity} {}{colon} {}, {place_words}.\n",
        d.code,
        d.message.render(lang)
    );
    if let Some(file) = sources.get(d.primary.file) {
        let source_line = line_text(file, line, d.primary.span.start);
        if !source_line.is_empty() {
            let reads = text!(
                "Line {line} reads: {text}",
                line = line.to_string(),
                text = source_line
            );
            out.push_str(&format!("  {}\n", reads.render(lang)));
        }
    }
    let marked = text!(
        "Marked {place}",
        place = place(sources, &d.primary, false, lang)
    );
    out.push_str(&format!("  {}", marked.render(lang)));
    out.push_str(&label_end(&d.primary.message, lang));
    labels_and_help(d, sources, &mut out, lang);
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
    lang: Lang,
) -> String {
    let colon = colon(lang);
    let mut out = format!("{severity} {}{colon} {}", d.code, d.message.render(lang));
    let place = position_place(position, true, lang);
    if !place.is_empty() {
        out.push_str(", ");
        out.push_str(&place);
    }
    out.push_str(&label_end(&d.primary.message, lang));
    labels_and_help(d, sources, &mut out, lang);
    out
}

/// "  Also …" for each secondary label (with its file when it is not the
/// primary label's), then "  Help: …".
fn labels_and_help(d: &Diagnostic, sources: &SourceMap, out: &mut String, lang: Lang) {
    let primary_path = match d.primary.location() {
        Location::Span { file, .. } => Some(sources.path(file)),
        Location::Position(p) => p.path.as_deref(),
    };
    for label in &d.labels {
        let place = match (label.location(), d.primary.location()) {
            (Location::Span { file, .. }, Location::Span { file: primary, .. }) => {
                place(sources, label, file != primary, lang)
            }
            (Location::Span { .. }, Location::Position(_)) => place(sources, label, true, lang),
            (Location::Position(p), _) => {
                position_place(p, p.path.as_deref() != primary_path, lang)
            }
        };
        out.push_str(&format!(
            "  {}",
            text!("Also {place}", place = place).render(lang)
        ));
        out.push_str(&label_end(&label.message, lang));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!(
            "  {}\n",
            text!("Help: {help}", help = help.clone()).render(lang)
        ));
    }
}

/// "in PATH at line 3, column 5" (the path when asked for), "at line 3",
/// "in PATH" for a whole file, nothing for no file.
fn position_place(p: &Position, with_path: bool, lang: Lang) -> String {
    let path = p.path.as_deref().filter(|_| with_path);
    let at = match (p.line, p.column) {
        (Some(line), Some(column)) => Some(text!(
            "at line {line}, column {column}",
            line = line.to_string(),
            column = column.to_string()
        )),
        (Some(line), None) => Some(text!("at line {line}", line = line.to_string())),
        (None, _) => None,
    };
    match (path, at) {
        (Some(path), Some(at)) => text!("in {path} {at}", path = path, at = at).render(lang),
        (Some(path), None) => text!("in {path}", path = path).render(lang),
        (None, Some(at)) => at.render(lang),
        (None, None) => String::new(),
    }
}

/// "at line 3, columns 5 to 9" (with the file when it differs).
fn place(sources: &SourceMap, label: &Label, with_path: bool, lang: Lang) -> String {
    let (line, start, end_line, end) = sources.get(label.file).map_or((1, 1, 1, 1), |f| {
        let (l, c) = f.line_col(label.span.start);
        let (el, ec) = f.line_col(label.span.end);
        (l, c, el, ec)
    });
    let n = |n: usize| n.to_string();
    let at = if end_line != line {
        // `end` is exclusive: the span stops just before that column.
        text!(
            "from line {line}, column {start} to line {end_line}, before column {end}",
            line = n(line),
            start = n(start),
            end_line = n(end_line),
            end = n(end)
        )
    } else if end.saturating_sub(1) <= start {
        text!(
            "at line {line}, column {column}",
            line = n(line),
            column = n(start)
        )
    } else {
        // `end` is exclusive; say the last column of the span.
        text!(
            "at line {line}, columns {start} to {last}",
            line = n(line),
            start = n(start),
            last = n(end - 1)
        )
    };
    if with_path {
        text!("in {path} {at}", path = sources.path(label.file), at = at).render(lang)
    } else {
        at.render(lang)
    }
}

fn label_end(message: &Text, lang: Lang) -> String {
    if message.is_empty() {
        ".\n".to_string()
    } else {
        format!("{} {}.\n", colon(lang), message.render(lang))
    }
}

/// Characters read out on each side of a diagnostic's place on a line
/// longer than [`DRAWN_LINE`].
const READ_AROUND: usize = 60;

/// The text of a 1-based line, trimmed; on a line longer than
/// [`DRAWN_LINE`], the [`READ_AROUND`] characters on each side of
/// `offset`, with `…` where the line goes on.
fn line_text(file: &crate::source::SourceFile, line: usize, offset: usize) -> String {
    let start = file.line_start(line.saturating_sub(1));
    let end = file.line_start(line);
    if end - start <= DRAWN_LINE {
        return file.slice(start, end).trim().to_string();
    }
    let offset = file.clamp(offset.clamp(start, end));
    let before = file.slice(start, offset);
    let after = file.slice(offset, end);
    let from = before
        .char_indices()
        .rev()
        .nth(READ_AROUND - 1)
        .map_or(0, |(i, _)| i);
    let to = after
        .char_indices()
        .nth(READ_AROUND)
        .map_or(after.len(), |(i, _)| i);
    let mut text = String::new();
    if before.get(..from).is_some_and(|b| !b.trim().is_empty()) {
        text.push('…');
    }
    text.push_str(before.get(from..).unwrap_or(""));
    text.push_str(after.get(..to).unwrap_or(""));
    if after.get(to..).is_some_and(|a| !a.trim().is_empty()) {
        text.push('…');
    }
    text.trim().to_string()
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
    #[serde(skip_serializing_if = "String::is_empty")]
    message: String,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    location: JsonLocation<'a>,
    replacement: &'a str,
    message: String,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: String,
    location: JsonLocation<'a>,
    labels: Vec<JsonLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    suggestions: Vec<JsonSuggestion<'a>>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
}

fn location<'a>(sources: &'a SourceMap, label: &'a Label, lang: Lang) -> JsonLocation<'a> {
    match label.location() {
        Location::Span { file, span } => locate(sources, file, span, label.message.render(lang)),
        Location::Position(p) => JsonLocation {
            path: p.path.as_deref(),
            start: None,
            end: None,
            line: p.line,
            column: p.column,
            end_line: None,
            end_column: None,
            message: label.message.render(lang),
        },
    }
}

fn locate<'a>(
    sources: &'a SourceMap,
    file: FileId,
    span: Span,
    message: String,
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

/// One JSON document: `{diagnostics, errors, warnings}`, the messages in
/// `lang` (codes, keys and severities never change with it).
pub fn json(diagnostics: &[Diagnostic], sources: &SourceMap, lang: Lang) -> String {
    json_many(&[(diagnostics, sources)], lang)
}

/// One JSON document for several compilations (`acquis check a b c`):
/// every diagnostic carries its own path.
pub fn json_many(runs: &[(&[Diagnostic], &SourceMap)], lang: Lang) -> String {
    let all = || {
        runs.iter()
            .flat_map(|(ds, sources)| ds.iter().map(move |d| (d, *sources)))
    };
    let report = JsonReport {
        errors: all().filter(|(d, _)| d.is_error()).count(),
        warnings: all().filter(|(d, _)| !d.is_error()).count(),
        diagnostics: all()
            .map(|(d, sources)| json_diagnostic(d, sources, lang))
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
pub fn json_line(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> String {
    let mut text = serde_json::to_string(&json_diagnostic(d, sources, lang))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

fn json_diagnostic<'a>(
    d: &'a Diagnostic,
    sources: &'a SourceMap,
    lang: Lang,
) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity,
        message: d.message.render(lang),
        location: location(sources, &d.primary, lang),
        labels: d
            .labels
            .iter()
            .map(|l| location(sources, l, lang))
            .collect(),
        help: d.help.as_ref().map(|h| h.render(lang)),
        suggestions: d
            .suggestions
            .iter()
            .map(|s| JsonSuggestion {
                location: locate(sources, s.file, s.span, String::new()),
                replacement: &s.replacement,
                message: s.message.render(lang),
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
            text!("unknown criterion `C1/CE9` (did you mean `C1/CE1`?)"),
            Position::line("grades.csv", 3, Some(2)),
        )
        .with_primary_message(text!("candidate `alice`"))
        .with_help(text!(
            "write the qualified id of a criterion of the referential"
        ))
    }

    fn whole_file() -> Diagnostic {
        Diagnostic::at(
            Code::GradesUnreadable,
            text!("cannot read the file: no such file"),
            Position::file("nope.csv"),
        )
        .with_help(text!("check the path"))
    }

    #[test]
    fn terminal_positions_are_one_line_as_compilers_write_them() {
        let sources = SourceMap::default();
        for color in [false, true] {
            assert_eq!(
                terminal(&unknown_criterion(), &sources, color, Lang::En),
                "grades.csv:3:2: error: unknown criterion `C1/CE9` (did you mean `C1/CE1`?) \
                 (candidate `alice`)\n"
            );
        }
        let no_column = Diagnostic::at(
            Code::MalformedRow,
            text!("this row has 2 fields but the header has 3"),
            Position::line("grades.csv", 7, None),
        );
        assert_eq!(
            terminal(&no_column, &sources, false, Lang::En),
            "grades.csv:7: error: this row has 2 fields but the header has 3\n"
        );
        // A whole file: its path, then the message; no file: the message.
        assert_eq!(
            terminal(&whole_file(), &sources, false, Lang::En),
            "nope.csv: error: cannot read the file: no such file\n"
        );
        let nowhere = Diagnostic::at(
            Code::ResultsUnwritable,
            text!("cannot write the results: broken pipe"),
            Position::nowhere(),
        );
        assert_eq!(
            render(
                &[nowhere],
                &sources,
                Format::Terminal { color: true },
                Lang::En
            ),
            "error: cannot write the results: broken pipe\n"
        );
    }

    #[test]
    fn narrated_positions_spell_out_the_place() {
        let sources = SourceMap::default();
        let first = unknown_criterion()
            .with_position_label(
                Position::line("grades.csv", 2, Some(2)),
                text!("first grade"),
            )
            .with_position_label(Position::line("other.csv", 5, None), text!("elsewhere"));
        assert_eq!(
            narrated(&first, &sources, Lang::En),
            "Error A0707: unknown criterion `C1/CE9` (did you mean `C1/CE1`?), in grades.csv at \
             line 3, column 2: candidate `alice`.\n  \
             Also at line 2, column 2: first grade.\n  \
             Also in other.csv at line 5: elsewhere.\n  \
             Help: write the qualified id of a criterion of the referential\n"
        );
        assert_eq!(
            narrated(&whole_file(), &sources, Lang::En),
            "Error A0701: cannot read the file: no such file, in nope.csv.\n  \
             Help: check the path\n"
        );
        // As `render` separates narrated diagnostics: a blank line after each.
        assert_eq!(
            stream(&whole_file(), &sources, Format::Narrated, Lang::En),
            render(&[whole_file()], &sources, Format::Narrated, Lang::En)
        );
    }

    #[test]
    fn json_positions_have_null_offsets_and_the_document_shape() {
        let sources = SourceMap::default();
        let d = unknown_criterion();
        let document: serde_json::Value =
            serde_json::from_str(&json(std::slice::from_ref(&d), &sources, Lang::En)).unwrap();
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
        let line = stream(&d, &sources, Format::Json, Lang::En);
        assert!(line.ends_with('\n') && line.trim_end().lines().count() == 1);
        let object: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(&object, entry);
        // A whole file: no line; no file: no path.
        let object: serde_json::Value =
            serde_json::from_str(&json_line(&whole_file(), &sources, Lang::En)).unwrap();
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
            text!("unknown `CE1`"),
            file,
            Span::new(10, 13),
        )
        .with_position_label(
            Position::line("grades.csv", 4, Some(3)),
            text!("graded here"),
        );
        let object: serde_json::Value =
            serde_json::from_str(&json_line(&d, &sources, Lang::En)).unwrap();
        assert_eq!(
            object["location"],
            serde_json::json!({
                "path": "r.acquis", "start": 10, "end": 13,
                "line": 1, "column": 11, "end_line": 1, "end_column": 14
            })
        );
        assert_eq!(object["labels"][0]["path"], "grades.csv");
        let drawn = terminal(&d, &sources, false, Lang::En);
        assert!(drawn.contains("r.acquis:1:11"), "{drawn}");
        assert!(drawn.contains("= grades.csv:4:3: graded here"), "{drawn}");
        assert!(
            narrated(&d, &sources, Lang::En)
                .contains("  Also in grades.csv at line 4, column 3: graded here.\n"),
            "{}",
            narrated(&d, &sources, Lang::En)
        );
    }

    /// A line longer than [`DRAWN_LINE`] is not drawn (a thousand
    /// diagnostics on it would copy it a thousand times): the terminal
    /// gives the place and the labels as notes, the narrated form reads
    /// out the characters around the place.
    #[test]
    fn long_lines_are_not_drawn_whole() {
        let terms: Vec<String> = (1..=400).map(|k| format!("CX{k} acquis")).collect();
        let text = format!("règle\nvalidated when {}\n", terms.join(" and "));
        let at = text.find("CX200 ").unwrap();
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("r.acquis", text.clone()));
        let d = Diagnostic::new(
            Code::UnknownReference,
            text!("unknown `CX200`"),
            file,
            Span::new(at, at + 5),
        )
        .with_label(file, Span::new(0, 5), text!("declared here"))
        .with_help(text!("declare it"));
        let column = text[text.find('\n').unwrap() + 1..at].chars().count() + 1;
        assert_eq!(
            terminal(&d, &sources, false, Lang::En),
            format!(
                "error[A0202]: unknown `CX200`\n  --> r.acquis:2:{column}\n  \
                 = r.acquis:1:1: declared here\n  \
                 = the line is not drawn: it is longer than 1024 bytes\n  = help: declare it\n"
            )
        );
        let narrated = narrated(&d, &sources, Lang::En);
        let read = narrated
            .lines()
            .find_map(|l| l.strip_prefix("  Line 2 reads: "))
            .unwrap();
        assert!(read.starts_with('…') && read.ends_with('…'), "{read}");
        assert!(read.contains("CX200 acquis"), "{read}");
        assert_eq!(read.chars().count(), 2 * READ_AROUND + 2, "{read}");
        // In French too, and a line at the bound is drawn as before.
        assert!(
            terminal(&d, &sources, false, Lang::Fr)
                .contains("= la ligne n’est pas reproduite\u{a0}: elle dépasse 1024 octets\n"),
            "{}",
            terminal(&d, &sources, false, Lang::Fr)
        );
        let short = format!("{}\n", "a".repeat(DRAWN_LINE - 1));
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("s.acquis", short));
        let d = Diagnostic::new(Code::UnknownReference, text!("x"), file, Span::new(3, 4));
        assert!(terminal(&d, &sources, false, Lang::En).contains(" │ aaaa"));
    }
}
