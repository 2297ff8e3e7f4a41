//! Strings, long strings and doc comments.

use super::{Lowerer, Rule, P};
use crate::ast::*;

impl Lowerer<'_> {
    pub(super) fn text(&mut self, pair: P<'_>) -> Text {
        let span = self.span_of(&pair);
        let raw = pair.as_str();
        let value = match pair.as_rule() {
            Rule::long_string => dedent(raw.get(3..raw.len().saturating_sub(3)).unwrap_or("")),
            _ => self.unescape(raw.get(1..raw.len().saturating_sub(1)).unwrap_or(""), span),
        };
        Text { value, span }
    }

    fn unescape(&mut self, raw: &str, span: Span) -> String {
        if !raw.contains('\\') {
            return raw.to_string();
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((j, other)) => {
                    // +1 for the opening quote of the literal.
                    let at = span.start + 1 + i;
                    let end = span.start + 1 + j + other.len_utf8();
                    self.error(
                        Span::new(at, end),
                        acquis_diagnostics::text!(
                            "unknown escape `\\{escape}`; write `\\\\` for a backslash",
                            escape = other.to_string()
                        ),
                    );
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        out
    }

    pub(super) fn last_text(&mut self, pair: P<'_>) -> Option<Text> {
        let p = pair
            .into_inner()
            .filter(|q| matches!(q.as_rule(), Rule::string | Rule::long_string))
            .last()?;
        Some(self.text(p))
    }
}

pub(super) fn doc_text(pair: &P<'_>) -> String {
    let text = pair.as_str().trim_start_matches("///");
    text.strip_prefix(' ')
        .unwrap_or(text)
        .trim_end()
        .to_string()
}

/// Removes the common indentation of a long string's lines, and its first
/// and last lines when they are blank.
pub fn dedent(raw: &str) -> String {
    let mut lines: Vec<&str> = raw.lines().collect();
    if raw.ends_with('\n') {
        lines.push("");
    }
    if lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| strip_indent(l, indent).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops leading whitespace characters worth at most `indent` bytes.
fn strip_indent(line: &str, indent: usize) -> &str {
    let mut cut = 0;
    for c in line.chars() {
        if !c.is_whitespace() || cut + c.len_utf8() > indent {
            break;
        }
        cut += c.len_utf8();
    }
    line.get(cut..).unwrap_or(line)
}
