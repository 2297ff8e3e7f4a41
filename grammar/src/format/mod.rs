//! The canonical formatter behind `acquis fmt` and the language server's
//! formatting requests. docs/formatting.md describes the style.
//!
//! Design: the grammar drops comments, so a lossless [`lexer`] reads every
//! token, comment, doc comment and line break; the pest parse tree tells
//! which tokens start an entity and which braces open a body
//! ([`structure`]); the [`layout`] reprints each token verbatim and only
//! chooses the whitespace between them, so the meaning cannot change. A file
//! with syntax errors is refused with those errors.

mod layout;
mod lexer;
mod long_string;
mod render;
mod structure;

#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;

use crate::ast::Span;

/// A replacement of `source[range]` (byte offsets) by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// One syntax error that prevents formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSyntaxError {
    /// `A0101`, or `A0102` for nesting too deep to read.
    pub code: acquis_diagnostics::Code,
    /// Byte offsets into the source.
    pub span: Span,
    /// 1-based line and column (in characters) of `span.start`.
    pub line: usize,
    pub column: usize,
    pub message: acquis_diagnostics::Text,
}

/// The file has syntax errors and was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub errors: Vec<FormatSyntaxError>,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        let noun = if count == 1 { "error" } else { "errors" };
        write!(f, "not formatted: {count} syntax {noun}")?;
        for e in &self.errors {
            write!(f, "\n{}:{}: {}", e.line, e.column, e.message.english())?;
        }
        Ok(())
    }
}

impl std::error::Error for FormatError {}

/// The canonical form of `source`, or its syntax errors.
pub fn format(source: &str) -> Result<String, FormatError> {
    let lines = formatted_lines(source)?;
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    for (_, text) in &lines {
        out.push_str(text);
        out.push('\n');
    }
    Ok(out)
}

/// Edits (byte offsets into `source`) that format the top-level items overlapping `range`, and nothing else.
///
/// An item's edit covers it from the start of its line (when only blanks
/// precede it there) to its last token or end-of-line comment; blank lines
/// and comments between items are left alone. An item that shared its line
/// with the previous one is moved to a line of its own. The edits are
/// sorted and do not overlap; an item already in canonical form gets none.
pub fn format_range(source: &str, range: Range<usize>) -> Result<Vec<Edit>, FormatError> {
    let tokens = lexer::lex(source);
    let structure = read_structure(source, &tokens)?;
    let rendered = render::render(layout::lines(source, &tokens, &structure));
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut by_item: Vec<Vec<&str>> = vec![Vec::new(); structure.items.len()];
    for (item, text) in &rendered {
        if let Some(lines) = item.and_then(|k| by_item.get_mut(k)) {
            lines.push(text);
        }
    }
    let mut edits = Vec::new();
    for (k, &(first, last)) in structure.items.iter().enumerate() {
        let (Some(first_token), Some(last_token)) = (tokens.get(first), tokens.get(last)) else {
            continue;
        };
        let mut end = last_token.end;
        if let Some(next) = tokens.get(last + 1) {
            if next.kind == lexer::Kind::Comment && next.newlines_before == 0 {
                end = next.end;
            }
        }
        let start = line_start(source, first_token.start);
        if !overlaps(start..end, &range) {
            continue;
        }
        let mut text = by_item
            .get(k)
            .map_or_else(String::new, |lines| lines.join(newline));
        if start > 0
            && !source
                .get(..start)
                .is_some_and(|b| b.ends_with(['\n', '\r']) || b == "\u{FEFF}")
        {
            text.insert_str(0, newline);
        }
        if source.get(start..end) != Some(text.as_str()) {
            edits.push(Edit {
                range: start..end,
                text,
            });
        }
    }
    Ok(edits)
}

/// The text of a rule expression as the IR keeps it (`rule.text`): its
/// tokens on one line with the formatter's spacing, comments left out.
/// Formatting a file never changes it, so the IR before and after `acquis
/// fmt` is the same, and two spellings of one rule read the same in the IR.
pub fn rule_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut previous: Option<(&str, bool)> = None;
    for token in lexer::lex(source) {
        if token.is_trivia() {
            continue;
        }
        let text = token.text(source);
        if previous.is_some_and(|p| layout::spaced(p, text, false, false)) {
            out.push(' ');
        }
        out.push_str(text);
        previous = Some((text, token.kind == lexer::Kind::Word));
    }
    out
}

fn overlaps(item: Range<usize>, range: &Range<usize>) -> bool {
    if range.is_empty() {
        item.start <= range.start && range.start <= item.end
    } else {
        item.start < range.end && range.start < item.end
    }
}

/// `at` moved back over the spaces and tabs before it on its line.
fn line_start(source: &str, at: usize) -> usize {
    let before = source.get(..at).unwrap_or("");
    before.trim_end_matches([' ', '\t']).len()
}

fn formatted_lines(source: &str) -> Result<Vec<(Option<usize>, String)>, FormatError> {
    let tokens = lexer::lex(source);
    let structure = read_structure(source, &tokens)?;
    Ok(render::render(layout::lines(source, &tokens, &structure)))
}

/// Parses `source` and reads its structure, or returns its syntax errors.
fn read_structure(
    source: &str,
    tokens: &[lexer::Token],
) -> Result<structure::Structure, FormatError> {
    let parsed = crate::parse(source);
    if !parsed.errors.is_empty() {
        let errors = parsed
            .errors
            .into_iter()
            .map(|e| syntax_error(source, e.code, e.span, e.message))
            .collect();
        return Err(FormatError { errors });
    }
    structure::read(source, tokens).ok_or_else(|| FormatError {
        errors: vec![syntax_error(
            source,
            acquis_diagnostics::Code::Syntax,
            Span::new(0, 0),
            acquis_diagnostics::text!(
                "internal error: the formatter could not read this file's structure"
            ),
        )],
    })
}

fn syntax_error(
    source: &str,
    code: acquis_diagnostics::Code,
    span: Span,
    message: acquis_diagnostics::Text,
) -> FormatSyntaxError {
    let before = source.get(..span.start).unwrap_or(source);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    FormatSyntaxError {
        code,
        span,
        line: before.matches('\n').count() + 1,
        column: before.get(line_start..).map_or(0, |l| l.chars().count()) + 1,
        message,
    }
}
