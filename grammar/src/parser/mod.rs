//! From source text to [`File`]: pest does the recognising, this module
//! lowers its pairs to the AST and turns error nodes into [`SyntaxError`]s.
//!
//! Parsing never fails: it returns what it could read and every error.
//!
//! One module per job: `chunks` cuts big files for threads, `items` lowers
//! items and their members, `rules` lowers rule expressions, `text` reads
//! strings, long strings and doc comments, and `recovery` turns error nodes
//! into messages (naming what was expected through `expected`) and gives
//! the placeholders of what could not be read.
//! This module drives the reading and lowers the leaves every job shares
//! (spans, ids, numbers, values).

mod chunks;
mod expected;
mod items;
mod nesting;
mod recovery;
mod rules;
mod text;

use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::*;

/// The most significant digits a number of a referential may have: up to
/// 15, the decimal written is exactly recovered from its double (the IR
/// then carries it as written, as a decimal string).
pub const MAX_DIGITS: usize = 15;

pub(crate) use chunks::{chunks, parallelism};
pub use nesting::MAX_NESTING;
pub(crate) use nesting::{input, Input};
pub(crate) use recovery::{lost_chunk, merge_adjacent};
pub use rules::MAX_RULE_DEPTH;
pub use text::dedent;

#[derive(pest_derive::Parser)]
#[grammar = "acquis.pest"]
pub struct AcquisParser;

type P<'i> = Pair<'i, Rule>;

/// Parses a whole file. Never fails: syntax errors are in `File::errors`.
pub fn parse(source: &str) -> File {
    parse_in_chunks(source, parallelism(source.len()))
}

/// [`parse`] with about `parts` chunks (tests force several on small files).
pub(crate) fn parse_in_chunks(source: &str, parts: usize) -> File {
    let chunks = chunks(source, parts);
    let input = input(source);
    let input = &input;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    if chunks.len() <= 1 {
        parse_range(source, input, 0, source.len(), &mut items, &mut errors);
    } else {
        // Items are independent: big files are parsed in chunks, one
        // thread each, cut only where a top-level item starts.
        let results: Vec<(Vec<Item>, Vec<SyntaxError>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .windows(2)
                .filter_map(|w| match w {
                    [start, end] => Some((*start, *end)),
                    _ => None,
                })
                .map(|(start, end)| {
                    let handle = scope.spawn(move || {
                        let mut items = Vec::new();
                        let mut errors = Vec::new();
                        parse_range(source, input, start, end, &mut items, &mut errors);
                        (items, errors)
                    });
                    (start, end, handle)
                })
                .collect();
            handles
                .into_iter()
                .map(|(start, end, handle)| {
                    handle
                        .join()
                        .unwrap_or_else(|_| (Vec::new(), vec![lost_chunk(start, end)]))
                })
                .collect()
        });
        for (chunk_items, chunk_errors) in results {
            items.extend(chunk_items);
            errors.extend(chunk_errors);
        }
    }
    let errors = merge_adjacent(errors, source);
    File { items, errors }
}

/// Parses the items of `source[start..end]`, one at a time: pest keeps a
/// token queue for all the input it parses, so item by item keeps memory
/// proportional to the largest item, not to the file.
pub(crate) fn parse_range(
    source: &str,
    input: &Input<'_>,
    start: usize,
    end: usize,
    items: &mut Vec<Item>,
    errors: &mut Vec<SyntaxError>,
) {
    let mut offset = start;
    while offset < end {
        let step = parse_step(source, input, offset, end);
        items.extend(step.items);
        errors.extend(step.errors);
        match step.consumed {
            Some(consumed) => offset += consumed,
            None => break,
        }
    }
}

/// What one call of `next_item` read: an item (or an error node) and the
/// bytes it consumed.
pub(crate) struct Step {
    pub items: Vec<Item>,
    pub errors: Vec<SyntaxError>,
    /// `None` when reading stops here (end of input, or nothing consumed).
    pub consumed: Option<usize>,
}

/// Reads the item at `offset`, with `input.text[offset..end]` as pest's
/// input. Its result depends only on `source[offset..]`, on
/// `input.text[offset..]` and on `end - offset`: the incremental parser
/// relies on that to reuse it (incremental.rs).
pub(crate) fn parse_step(source: &str, input: &Input<'_>, offset: usize, end: usize) -> Step {
    let mut lowerer = Lowerer {
        source,
        input: &input.text,
        offset,
        depth: 0,
        too_deep: false,
        errors: Vec::new(),
    };
    let mut items = Vec::new();
    let rest = input.text.get(offset..end).unwrap_or("");
    let consumed = match AcquisParser::parse(Rule::next_item, rest) {
        Ok(mut pairs) => match pairs.next() {
            Some(next) => {
                let consumed = next.as_span().end();
                lowerer.items(next, &mut items);
                (consumed > 0).then_some(consumed)
            }
            None => None,
        },
        // The error productions make `next_item` total; this arm is a
        // safety net for input the recovery could not skip.
        Err(error) => {
            lowerer.push_pest_error(&error, offset, Span::new(offset, end));
            None
        }
    };
    let read_to = consumed.map_or(end, |c| offset + c);
    let errors = refuse_too_deep(lowerer.errors, input, offset, read_to);
    let errors = explain_unclosed(errors, input);
    Step {
        items,
        errors,
        consumed,
    }
}

/// An error at a `{` that no `}` closes (masked, nesting.rs) says so,
/// rather than pest's "expected `{`, found `{`".
fn explain_unclosed(mut errors: Vec<SyntaxError>, input: &Input<'_>) -> Vec<SyntaxError> {
    if input.unclosed.is_empty() {
        return errors;
    }
    for error in &mut errors {
        if input.is_unclosed(error.span.start) {
            error.message = acquis_diagnostics::text!(
                "this `{{` is never closed: a `}}` is missing after what it opens"
            );
            error.expected = vec![acquis_diagnostics::text!("`{keyword}`", keyword = "}")];
            error.span = Span::new(error.span.start, error.span.start + 1);
        }
    }
    errors
}

/// A step that read a masked opener (nesting.rs) reports it once, as
/// [`acquis_diagnostics::Code::TooDeep`], instead of the syntax errors pest
/// found at masked bytes.
fn refuse_too_deep(
    errors: Vec<SyntaxError>,
    input: &Input<'_>,
    start: usize,
    end: usize,
) -> Vec<SyntaxError> {
    let Some(first) = input.first_masked_in(start, end) else {
        return errors;
    };
    let mut errors: Vec<SyntaxError> = errors
        .into_iter()
        .filter(|e| !input.is_masked(e.span.start))
        .collect();
    let at = errors.partition_point(|e| e.span.start <= first);
    let span = Span::new(first, first + 1);
    errors.insert(
        at,
        SyntaxError {
            code: acquis_diagnostics::Code::TooDeep,
            span,
            message: acquis_diagnostics::text!(
                "this is nested too deeply: more than {max} parentheses or braces open at once",
                max = MAX_NESTING
            ),
            expected: Vec::new(),
            skipped: span,
        },
    );
    errors
}

/// Lowers the pairs of one step to the AST and collects its errors. Its
/// methods live with their job: `items`, `rules`, `text`, `recovery`.
struct Lowerer<'s> {
    source: &'s str,
    /// What pest reads: `source` with too deep openers masked (nesting.rs).
    input: &'s str,
    /// Where the text pest is parsing starts in `source`: pest's positions
    /// are relative to it.
    offset: usize,
    /// Nesting of the rule expression being lowered (see `rules::MAX_RULE_DEPTH`).
    depth: usize,
    too_deep: bool,
    errors: Vec<SyntaxError>,
}

/// The span of a pair, without the blanks and comments that pest's
/// implicit whitespace leaves at the end of a rule ending in `?` or `*`.
fn relative_span(pair: &P<'_>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.start() + content_len(s.as_str()))
}

fn content_len(text: &str) -> usize {
    let mut end = text.trim_end().len();
    loop {
        let body = text.get(..end).unwrap_or("");
        let line_start = body.rfind('\n').map_or(0, |i| i + 1);
        let line = body.get(line_start..).unwrap_or("");
        if !line.contains("//") {
            return end;
        }
        match trailing_comment(line) {
            Some(at) if line_start + at > 0 => {
                end = body.get(..line_start + at).unwrap_or("").trim_end().len();
            }
            _ => return end,
        }
    }
}

/// Where a `//` comment starts on a line, outside strings. A `//` followed
/// by a quote is left alone: it may be inside a long string.
fn trailing_comment(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && line.get(i..).is_some_and(|r| r.starts_with("//")) => {
                let rest = line.get(i..).unwrap_or("");
                return (!rest.starts_with("///") && !rest.contains('"')).then_some(i);
            }
            _ => {}
        }
    }
    None
}

impl<'s> Lowerer<'s> {
    fn span_of(&self, pair: &P<'_>) -> Span {
        let s = relative_span(pair);
        Span::new(s.start + self.offset, s.end + self.offset)
    }

    fn ident(&self, pair: P<'_>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span_of(&pair),
        }
    }

    fn ref_list(&self, pair: P<'_>) -> Vec<Ident> {
        pair.into_inner()
            .filter(|q| q.as_rule() == Rule::ref_id)
            .map(|q| self.ident(q))
            .collect()
    }

    fn last_ident(&self, pair: P<'_>) -> Option<Ident> {
        pair.into_inner()
            .filter(|q| q.as_rule() == Rule::ident)
            .last()
            .map(|q| self.ident(q))
    }

    fn number(&mut self, pair: &P<'_>) -> (f64, Span) {
        let span = self.span_of(pair);
        let text = pair.as_str();
        // Up to 15 significant digits, a decimal is exactly the shortest
        // text of the double nearest to it: the compiler recovers the
        // decimal as written, and the IR carries it without losing a digit.
        let significant = text
            .bytes()
            .filter(u8::is_ascii_digit)
            .skip_while(|d| *d == b'0')
            .count();
        let trailing = text
            .split_once('.')
            .map_or(0, |(_, f)| f.len() - f.trim_end_matches('0').len());
        if significant.saturating_sub(trailing) > MAX_DIGITS {
            self.error(
                span,
                acquis_diagnostics::text!(
                    "`{number}` has more than {max} significant digits: a number of a referential is kept exactly, up to {max} digits",
                    number = text,
                    max = MAX_DIGITS
                ),
            );
            return (0.0, span);
        }
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => (n, span),
            _ => {
                self.error(
                    span,
                    acquis_diagnostics::text!("`{number}` is not a usable number", number = text),
                );
                (0.0, span)
            }
        }
    }

    fn integer(&mut self, pair: &P<'_>) -> (u32, Span) {
        let span = self.span_of(pair);
        match pair.as_str().parse::<u32>() {
            Ok(n) => (n, span),
            Err(_) => {
                self.error(
                    span,
                    acquis_diagnostics::text!(
                        "`{count}` is too large a count",
                        count = pair.as_str()
                    ),
                );
                (0, span)
            }
        }
    }

    fn value(&mut self, pair: P<'_>) -> Value {
        // `value` wraps a number or an ident; accept either directly too.
        let pair = match pair.as_rule() {
            Rule::value => match pair.into_inner().next() {
                Some(p) => p,
                None => return Value::missing(Span::default()),
            },
            _ => pair,
        };
        match pair.as_rule() {
            Rule::number => {
                let (n, s) = self.number(&pair);
                Value::Number(n, s)
            }
            _ => Value::Name(self.ident(pair)),
        }
    }
}
