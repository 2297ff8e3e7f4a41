//! What the layout needs to know from the grammar: where each item or
//! member (an "entity", printed on a line of its own) starts, which braces
//! open a body (indented block) and which open a `grades { ... }` list, and
//! the extent of each top-level item. Read from pest's pairs, because
//! telling a member keyword from an identifier (`criterion scale "..."`,
//! `competency validated when ...` in `defaults`) needs the grammar.

use pest::iterators::Pair;
use pest::Parser as _;

use super::lexer::{Kind, Token};
use crate::parser::{AcquisParser, Rule};

/// A set of token indices as one flag per token: the layout asks about
/// every token, and hashing each index cost more than the rest of the
/// layout on large files.
#[derive(Debug, Default, Clone)]
pub(crate) struct TokenSet(Vec<bool>);

impl TokenSet {
    fn new(len: usize) -> Self {
        TokenSet(vec![false; len])
    }

    pub fn insert(&mut self, index: usize) {
        if let Some(flag) = self.0.get_mut(index) {
            *flag = true;
        }
    }

    pub fn contains(&self, index: &usize) -> bool {
        self.0.get(*index).copied().unwrap_or(false)
    }
}

impl Extend<usize> for TokenSet {
    fn extend<I: IntoIterator<Item = usize>>(&mut self, indices: I) {
        indices.into_iter().for_each(|i| self.insert(i));
    }
}

#[derive(Debug, Default)]
pub(crate) struct Structure {
    /// Indices of the tokens that start an entity (its first doc comment,
    /// or its keyword).
    pub entity_starts: TokenSet,
    /// Indices of `{` tokens that open a body, and of their `}`.
    pub body_opens: TokenSet,
    pub body_closes: TokenSet,
    /// Indices of `{`/`}` of `grades { ... }`: spaced inside when on one line.
    pub spaced_braces: TokenSet,
    /// Every top-level item as token indices: first token, last code token.
    pub items: Vec<(usize, usize)>,
}

/// Rules with a `{ ... }` body whose members are entities.
const BODIES: [Rule; 13] = [
    Rule::equivalence,
    Rule::dispensation,
    Rule::referential,
    Rule::scale,
    Rule::defaults,
    Rule::block,
    Rule::situation,
    Rule::competency,
    Rule::assessment,
    Rule::jointly,
    Rule::criterion,
    Rule::part,
    Rule::example,
];

/// Rules that are entities when they stand directly in a body or a file.
const ENTITIES: [Rule; 64] = [
    Rule::equivalence,
    Rule::equivalence_rncp,
    Rule::equivalence_grants,
    Rule::dispensation,
    Rule::dispensation_dispenses,
    Rule::dispensation_effect,
    Rule::keep,
    Rule::jury,
    Rule::example_session,
    Rule::example_earlier,
    Rule::example_holds,
    Rule::example_dispensed,
    Rule::example_decision,
    Rule::referential,
    Rule::use_decl,
    Rule::import_decl,
    Rule::scale,
    Rule::defaults,
    Rule::named_rule,
    Rule::block,
    Rule::certification,
    Rule::example,
    Rule::ref_level,
    Rule::ref_version,
    Rule::ref_lang,
    Rule::ref_meta,
    Rule::ref_accommodation,
    Rule::scale_levels,
    Rule::scale_range,
    Rule::scale_pass,
    Rule::absent_rule,
    Rule::default_scale,
    Rule::default_rule,
    Rule::default_accommodation,
    Rule::summary,
    Rule::mission,
    Rule::situation,
    Rule::situation_activity,
    Rule::situation_note,
    Rule::competency,
    Rule::assessment,
    Rule::covers,
    Rule::kind,
    Rule::description,
    Rule::task,
    Rule::deliverable,
    Rule::note,
    Rule::duration,
    Rule::accommodation,
    Rule::jointly,
    Rule::criterion,
    Rule::indicator,
    Rule::criterion_scale,
    Rule::criterion_pass,
    Rule::criterion_weight,
    Rule::part,
    Rule::part_coefficient,
    Rule::part_form,
    Rule::part_examiners,
    Rule::part_optional,
    Rule::validated_when,
    Rule::example_grades,
    Rule::example_expect,
    Rule::bad_member,
];

/// Reads the structure of a file that parsed without errors. `None` if pest
/// unexpectedly refuses it (the caller reports that as an error).
pub(crate) fn read(source: &str, tokens: &[Token]) -> Option<Structure> {
    let mut walker = Walker {
        source,
        tokens,
        offset: 0,
        structure: Structure {
            entity_starts: TokenSet::new(tokens.len()),
            body_opens: TokenSet::new(tokens.len()),
            body_closes: TokenSet::new(tokens.len()),
            spaced_braces: TokenSet::new(tokens.len()),
            items: Vec::new(),
        },
    };
    let mut offset = 0;
    // Item by item, like the parser: pest's token queue stays small.
    while offset < source.len() {
        let rest = source.get(offset..)?;
        let next = AcquisParser::parse(Rule::next_item, rest).ok()?.next()?;
        let consumed = next.as_span().end();
        walker.offset = offset;
        for item in next.into_inner() {
            if item.as_rule() == Rule::bad_item {
                return None;
            }
            if ENTITIES.contains(&item.as_rule()) {
                walker.item(item);
            }
        }
        if consumed == 0 {
            break;
        }
        offset += consumed;
    }
    walker.match_braces();
    Some(walker.structure)
}

struct Walker<'s> {
    source: &'s str,
    tokens: &'s [Token],
    /// Where the text pest parsed starts in `source`.
    offset: usize,
    structure: Structure,
}

impl Walker<'_> {
    /// The index of the first token starting at or after byte `at`.
    fn token_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.start < at)
    }

    fn bounds(&self, pair: &Pair<'_, Rule>) -> (usize, usize) {
        let span = pair.as_span();
        (self.offset + span.start(), self.offset + span.end())
    }

    fn item(&mut self, pair: Pair<'_, Rule>) {
        let (start, end) = self.bounds(&pair);
        let first = self.token_at(start);
        // The last code token inside the span (pest's span may end with
        // blanks and comments after an optional tail).
        let last = (first..self.token_at(end))
            .rev()
            .find(|&i| self.tokens.get(i).is_some_and(|t| !t.is_trivia()))
            .unwrap_or(first);
        self.structure.items.push((first, last));
        self.entity(pair);
    }

    fn entity(&mut self, pair: Pair<'_, Rule>) {
        let (start, end) = self.bounds(&pair);
        self.structure.entity_starts.insert(self.token_at(start));
        let rule = pair.as_rule();
        if rule == Rule::example_grades || rule == Rule::example_earlier {
            if let Some(open) = self.first_open(start, end) {
                self.structure.spaced_braces.insert(open);
            }
            return;
        }
        if !BODIES.contains(&rule) {
            return;
        }
        // The body's `{` follows the header (doc, keyword, ids, title) and
        // precedes the first member.
        let mut header_end = start;
        let mut body_limit = end;
        let mut members = Vec::new();
        for child in pair.into_inner() {
            if ENTITIES.contains(&child.as_rule()) {
                if members.is_empty() {
                    body_limit = self.bounds(&child).0;
                }
                members.push(child);
            } else if members.is_empty() {
                header_end = self.bounds(&child).1;
            }
        }
        if let Some(open) = self.first_open(header_end, body_limit) {
            self.structure.body_opens.insert(open);
        }
        for member in members {
            self.entity(member);
        }
    }

    /// The first `{` token in `from..to`.
    fn first_open(&self, from: usize, to: usize) -> Option<usize> {
        (self.token_at(from)..self.tokens.len())
            .take_while(|&i| self.tokens.get(i).is_some_and(|t| t.start < to))
            .find(|&i| self.is_punct(i, "{"))
    }

    fn is_punct(&self, index: usize, text: &str) -> bool {
        self.tokens
            .get(index)
            .is_some_and(|t| t.kind == Kind::Punct && t.text(self.source) == text)
    }

    /// Pairs every `}` with its `{` (braces in strings and comments are
    /// inside those tokens), so the closing braces get their opener's role.
    fn match_braces(&mut self) {
        let mut open = Vec::new();
        for index in 0..self.tokens.len() {
            if self.is_punct(index, "{") {
                open.push(index);
            } else if self.is_punct(index, "}") {
                let Some(opener) = open.pop() else { continue };
                if self.structure.body_opens.contains(&opener) {
                    self.structure.body_closes.insert(index);
                }
                if self.structure.spaced_braces.contains(&opener) {
                    self.structure.spaced_braces.insert(index);
                }
            }
        }
    }
}
