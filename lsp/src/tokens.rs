//! Semantic tokens: comments, strings, numbers and keywords by a lexical
//! scan; ids and levels by what the compiler resolved them to.

use acquis_compiler::analysis::SymbolKind;
use lsp_types::{
    Position, Range, SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens,
    SemanticTokensLegend, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult,
};

use crate::context::Context;
use crate::snapshot::FileView;

const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::NAMESPACE,   // block
    SemanticTokenType::CLASS,       // competency
    SemanticTokenType::EVENT,       // assessment
    SemanticTokenType::PROPERTY,    // criterion
    SemanticTokenType::TYPE,        // scale
    SemanticTokenType::ENUM_MEMBER, // level
    SemanticTokenType::FUNCTION,    // named rule
    SemanticTokenType::PARAMETER,   // its parameters
];
const MODIFIERS: &[SemanticTokenModifier] = &[
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::DEFAULT_LIBRARY,
];

const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: MODIFIERS.to_vec(),
    }
}

fn symbol_type(kind: SymbolKind) -> Option<u32> {
    Some(match kind {
        SymbolKind::Block => 4,
        SymbolKind::Competency => 5,
        SymbolKind::Assessment => 6,
        SymbolKind::Criterion => 7,
        SymbolKind::Scale => 8,
        SymbolKind::Level => 9,
        SymbolKind::Rule => 10,
        SymbolKind::Parameter => 11,
        SymbolKind::File => return None,
    })
}

/// A token before encoding: byte span, type and modifier bits.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: u32,
    modifiers: u32,
}

pub fn full(ctx: &Context<'_>, params: SemanticTokensParams) -> Option<SemanticTokensResult> {
    let view = ctx.file(&params.text_document.uri)?;
    Some(SemanticTokensResult::Tokens(encode(
        &view,
        &tokens(&view),
        None,
    )))
}

pub fn range(
    ctx: &Context<'_>,
    params: SemanticTokensRangeParams,
) -> Option<SemanticTokensRangeResult> {
    let view = ctx.file(&params.text_document.uri)?;
    Some(SemanticTokensRangeResult::Tokens(encode(
        &view,
        &tokens(&view),
        Some(params.range),
    )))
}

fn tokens(view: &FileView<'_>) -> Vec<Token> {
    let text = view.text;
    let bytes = text.as_bytes();
    let analysis = view.analysis();
    let occurrences: &[acquis_compiler::analysis::Occurrence] = analysis.map_or(&[], |a| {
        let first = a.occurrences.partition_point(|o| o.file < view.id);
        let last = a.occurrences.partition_point(|o| o.file <= view.id);
        &a.occurrences[first..last]
    });
    let is_std = view
        .unit
        .compilation
        .sources
        .path(view.id)
        .starts_with("<std>");
    let mut out = Vec::new();
    let mut next_occurrence = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            out.push(Token {
                start: i,
                end,
                kind: COMMENT,
                modifiers: 0,
            });
            i = end;
        } else if b == b'"' {
            let long = text[i..].starts_with("\"\"\"");
            let end = if long {
                text[i + 3..]
                    .find("\"\"\"")
                    .map_or(text.len(), |n| i + 3 + n + 3)
            } else {
                string_end(bytes, i + 1)
            };
            out.push(Token {
                start: i,
                end,
                kind: STRING,
                modifiers: 0,
            });
            i = end;
        } else if b.is_ascii_digit()
            || (b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let mut end = i + 1;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            out.push(Token {
                start: i,
                end,
                kind: NUMBER,
                modifiers: 0,
            });
            i = end;
        } else if text[i..].starts_with(|c: char| c.is_alphabetic() || c == '_') {
            let end = text[i..]
                .char_indices()
                .find(|(_, c)| !(crate::text::is_ident_char(*c) || *c == '/'))
                .map_or(text.len(), |(n, _)| i + n);
            // Occurrences of the compiler's index inside this word.
            while occurrences
                .get(next_occurrence)
                .is_some_and(|o| o.span.start < i)
            {
                next_occurrence += 1;
            }
            let mut found = false;
            let mut k = next_occurrence;
            while let Some(o) = occurrences.get(k).filter(|o| o.span.start < end) {
                if let (Some(kind), Some(symbol)) = (
                    analysis
                        .and_then(|a| a.symbol(o.symbol))
                        .and_then(|s| symbol_type(s.kind)),
                    analysis.and_then(|a| a.symbol(o.symbol)),
                ) {
                    let from_std = view
                        .unit
                        .compilation
                        .sources
                        .path(symbol.file)
                        .starts_with("<std>");
                    let modifiers =
                        u32::from(o.is_definition) | (u32::from(from_std || is_std) << 1);
                    out.push(Token {
                        start: o.span.start,
                        end: o.span.end.min(end),
                        kind,
                        modifiers,
                    });
                    found = true;
                }
                k += 1;
            }
            if !found && crate::keywords::find(&text[i..end]).is_some() {
                out.push(Token {
                    start: i,
                    end,
                    kind: KEYWORD,
                    modifiers: 0,
                });
            }
            i = end;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The end of a one-line string starting after its quote: its closing
/// quote, or the end of the line when it is unterminated.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The protocol's relative encoding, one token per line piece (clients
/// need not support tokens over several lines), UTF-16 lengths.
fn encode(view: &FileView<'_>, tokens: &[Token], range: Option<Range>) -> SemanticTokens {
    let mut data = Vec::new();
    let (mut line, mut column) = (0u32, 0u32);
    // The position of the last piece, to count the next one's column from
    // it on the same line: tokens come in order, and counting each from
    // its line's start made a long line quadratic.
    let mut last: Option<(usize, Position)> = None;
    for token in tokens {
        let mut start = token.start;
        while start < token.end {
            let line_end = view.text[start..token.end]
                .find('\n')
                .map_or(token.end, |n| start + n);
            // The UTF-16 units from the last piece to this one, when both
            // are on one line (none when a line break is between them).
            let after_last = last.and_then(|(offset, at)| {
                let units = view
                    .text
                    .get(offset..start)?
                    .chars()
                    .try_fold(0u32, |n, c| (c != '\n').then(|| n + c.len_utf16() as u32))?;
                Some(Position::new(at.line, at.character + units))
            });
            let from = after_last.unwrap_or_else(|| view.lines.position(view.text, start));
            last = Some((start, from));
            let length: usize = view.text[start..line_end]
                .chars()
                .map(char::len_utf16)
                .sum();
            let inside = range.is_none_or(|r| from >= r.start && from < r.end);
            if length > 0 && inside {
                let delta_line = from.line - line;
                let delta_start = if delta_line == 0 {
                    from.character - column
                } else {
                    from.character
                };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: length as u32,
                    token_type: token.kind,
                    token_modifiers_bitset: token.modifiers,
                });
                line = from.line;
                column = from.character;
            }
            start = line_end + 1;
        }
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}
