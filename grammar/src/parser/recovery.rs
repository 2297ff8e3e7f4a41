//! Error recovery: error nodes become syntax errors that say what was
//! expected, adjacent ones merge, and what could not be read gets a
//! placeholder node (one constructor per kind of node).

use acquis_diagnostics::{text, Code};
use pest::Parser as _;

use super::expected::describe_expected;
use super::{AcquisParser, Lowerer, Rule, P};
use crate::ast::*;

/// The error standing for a chunk whose thread panicked: never silently
/// lose a part of the file.
pub(crate) fn lost_chunk(start: usize, end: usize) -> SyntaxError {
    let span = Span::new(start, end);
    SyntaxError {
        code: Code::Syntax,
        span,
        message: text!("internal error: this part of the file could not be parsed"),
        expected: Vec::new(),
        skipped: span,
    }
}

/// Several error nodes in a row are one mistake seen line by line: keep
/// the first and widen its skipped span.
pub(crate) fn merge_adjacent(errors: Vec<SyntaxError>, source: &str) -> Vec<SyntaxError> {
    let mut merged: Vec<SyntaxError> = Vec::with_capacity(errors.len());
    for error in errors {
        if let Some(last) = merged.last_mut() {
            let between = source
                .get(last.skipped.end..error.skipped.start)
                .unwrap_or("x");
            if error.skipped.start >= last.skipped.end && only_trivia(between) {
                last.skipped = last.skipped.to(error.skipped);
                continue;
            }
        }
        merged.push(error);
    }
    merged
}

fn only_trivia(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with("//")
    })
}

impl Lowerer<'_> {
    /// An error node: re-parse from its start with the strict rule of its
    /// context, so the message says what was expected at the exact place.
    pub(super) fn bad(&mut self, pair: &P<'_>, strict: Rule) {
        let skipped = self.span_of(pair);
        // What pest read, deep openers masked (nesting.rs), not the source.
        let rest = strict_input(self.input, skipped);
        match AcquisParser::parse(strict, rest) {
            Err(error) => self.push_pest_error(&error, skipped.start, skipped),
            Ok(_) => self.errors.push(SyntaxError {
                code: Code::Syntax,
                span: skipped,
                message: text!("this cannot be read here"),
                expected: Vec::new(),
                skipped,
            }),
        }
    }

    pub(super) fn push_pest_error(
        &mut self,
        error: &pest::error::Error<Rule>,
        offset: usize,
        skipped: Span,
    ) {
        let (start, end) = match error.location {
            pest::error::InputLocation::Pos(p) => (p, p),
            pest::error::InputLocation::Span((s, e)) => (s, e),
        };
        let start = offset + start;
        let found = found_at(self.source, start);
        let end = (offset + end).max(start + found.len());
        let expected = match &error.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                describe_expected(positives)
            }
            pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
        };
        let found_text = if found.is_empty() {
            text!("the end of the file")
        } else {
            text!("`{found}`", found = found)
        };
        let message = match (&error.variant, expected.as_slice()) {
            // pest's own limits (a call limit, if one is set) say what they are.
            (pest::error::ErrorVariant::CustomError { message }, _) => text!(
                "{message}, at {found}",
                message = message.as_str(),
                found = found_text
            ),
            (_, []) => text!("unexpected {found}", found = found_text),
            (_, _) => text!(
                "expected {expected}, found {found}",
                expected = acquis_diagnostics::Text::list_or(expected.clone()),
                found = found_text
            ),
        };
        self.errors.push(SyntaxError {
            code: Code::Syntax,
            span: Span::new(start, end),
            message,
            expected,
            skipped,
        });
    }

    pub(super) fn error(&mut self, span: Span, message: acquis_diagnostics::Text) {
        self.errors.push(SyntaxError {
            code: Code::Syntax,
            span,
            message,
            expected: Vec::new(),
            skipped: span,
        });
    }

    /// The one error of a rule or a nesting too deep to read ([`Code::TooDeep`]).
    pub(super) fn too_deep(&mut self, span: Span, message: acquis_diagnostics::Text) {
        self.errors.push(SyntaxError {
            code: Code::TooDeep,
            span,
            message,
            expected: Vec::new(),
            skipped: span,
        });
    }
}

/// What stands at `offset`: a word, or one character.
fn found_at(source: &str, offset: usize) -> &str {
    let rest = source.get(offset..).unwrap_or("");
    let word_len: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .map(char::len_utf8)
        .sum();
    let len = if word_len > 0 {
        word_len
    } else {
        rest.chars()
            .next()
            .filter(|c| !c.is_whitespace())
            .map_or(0, char::len_utf8)
    };
    rest.get(..len).unwrap_or("")
}

// ------------------------------------------------------------ placeholders
//
// What stands for a part the parse tree does not have (the grammar makes
// most of them unreachable, but lowering never fails): one call each.

impl Ident {
    /// An id that could not be read: empty, spanning its item.
    pub(super) fn missing(span: Span) -> Ident {
        Ident {
            name: String::new(),
            span,
        }
    }
}

impl Text {
    /// A string that could not be read: empty.
    pub(super) fn missing(span: Span) -> Text {
        Text {
            value: String::new(),
            span,
        }
    }
}

impl Expr {
    /// A rule that could not be read: the empty conjunction.
    pub(super) fn missing(span: Span) -> Expr {
        Expr {
            kind: ExprKind::And(Vec::new()),
            span,
        }
    }
}

impl RuleDecl {
    /// A `validated when` without a readable rule.
    pub(super) fn missing(span: Span) -> RuleDecl {
        RuleDecl {
            expr: Expr::missing(span),
            span,
        }
    }
}

impl SetExpr {
    /// A set that could not be read: the empty explicit set.
    pub(super) fn missing(span: Span) -> SetExpr {
        SetExpr {
            base: SetBase::Explicit(Vec::new()),
            except: Vec::new(),
            span,
        }
    }
}

impl Count {
    /// A count that could not be read: zero.
    pub(super) fn missing(span: Span) -> Count {
        Count::Literal(0, span)
    }
}

impl Value {
    /// A value that could not be read: zero.
    pub(super) fn missing(span: Span) -> Value {
        Value::Number(0.0, span)
    }
}

impl NumExpr {
    /// A number that could not be read: zero.
    pub(super) fn missing(span: Span) -> NumExpr {
        NumExpr::Number(0.0, span)
    }
}

impl Predicate {
    /// A predicate that could not be read: `acquired`.
    pub(super) fn missing(span: Span) -> Predicate {
        Predicate::Acquired(span)
    }
}

/// The text an error node is re-parsed from with its strict rule: the
/// skipped text, the end of its last line and the line after it, never the
/// rest of the file.
/// pest's errors find their line by walking back from the end of the
/// input, so an input running to the end of the file would make each
/// error cost the size of the file, and a file of bad lines quadratic.
pub(super) fn strict_input(input: &str, skipped: Span) -> &str {
    let after = input.get(skipped.end..).unwrap_or("");
    let first = after.find('\n').map_or(after.len(), |i| i + 1);
    let second = after
        .get(first..)
        .and_then(|a| a.find('\n'))
        .map_or(after.len(), |i| first + i + 1);
    input.get(skipped.start..skipped.end + second).unwrap_or("")
}

#[cfg(test)]
mod strict_input_tests {
    use super::*;

    #[test]
    fn the_reparse_sees_the_error_and_the_next_line_not_the_rest_of_the_file() {
        let line = "%%% nonsense\n";
        let input = line.repeat(10_000);
        let at = line.len() * 5_000;
        let skipped = Span::new(at, at + line.len() - 1);
        assert_eq!(strict_input(&input, skipped), line.repeat(2));
        // At the end of the file: what is left.
        let last = Span::new(input.len() - line.len(), input.len() - 1);
        assert_eq!(strict_input(&input, last), line);
        // The total re-parsed for a file of bad lines is linear in it.
        let total: usize = (0..10_000)
            .map(|i| {
                strict_input(
                    &input,
                    Span::new(i * line.len(), i * line.len() + line.len() - 1),
                )
                .len()
            })
            .sum();
        assert!(total <= 3 * input.len());
    }
}
