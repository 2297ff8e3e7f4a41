//! From tokens and structure to lines: indentation by body depth, one
//! entity per line, comments kept where they were (at the end of their
//! line, or on a line of their own), at most one blank line in a row.

use super::lexer::{Kind, Token};
use super::long_string;
use super::structure::Structure;

/// Spaces per body level.
pub(crate) const INDENT: usize = 2;
/// Extra indentation of a continued entity outside any bracket.
const HANG: usize = 4;
/// Entities whose ids are aligned when several stand on consecutive lines.
const ALIGNED_KEYWORDS: [&str; 3] = ["meta", "competency", "criterion"];

#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub indent: usize,
    /// The code, or the text of a comment standing on its own line. Contains
    /// line breaks only inside a long string.
    pub code: String,
    /// A comment at the end of the line.
    pub comment: Option<String>,
    /// The comment touches the code, inside a rule whose source text the
    /// IR keeps: no space may be added before it.
    pub comment_glued: bool,
    pub own_comment: bool,
    pub blank: bool,
    pub opens_body: bool,
    /// For id alignment: the entity's keyword and the byte offset in `code`
    /// just after its id, when more follows on the line.
    pub align: Option<(String, usize)>,
    /// The top-level item the line belongs to (`None` between items).
    pub item: Option<usize>,
}

pub(crate) fn lines(source: &str, tokens: &[Token], structure: &Structure) -> Vec<Line> {
    let mut layout = Layout {
        source,
        tokens,
        structure,
        lines: Vec::new(),
        current: None,
        depth: 0,
        delimiters: 0,
        in_entity_code: false,
        must_break: false,
        align_state: AlignState::None,
        item: None,
        item_done: false,
        last_code: None,
        next_item: 0,
        next_code: next_code_table(tokens),
    };
    layout.run();
    layout.lines
}

#[derive(Debug, Clone, PartialEq)]
enum AlignState {
    None,
    /// After the keyword: the next token is the id.
    WantId(String),
    /// After the id: waiting for a third token on the line.
    HaveId(String, usize),
}

struct Layout<'a> {
    source: &'a str,
    tokens: &'a [Token],
    structure: &'a Structure,
    lines: Vec<Line>,
    current: Option<Line>,
    /// Body nesting.
    depth: usize,
    /// Brackets `(`, `{` open inside the current entity (sets, grades, calls).
    delimiters: usize,
    /// The current entity has printed code (its docs do not count).
    in_entity_code: bool,
    /// The next code token goes on a new line (after a body brace).
    must_break: bool,
    align_state: AlignState,
    item: Option<usize>,
    item_done: bool,
    /// The previous code token on the current line.
    last_code: Option<usize>,
    /// The next top-level item to start (items are in token order).
    next_item: usize,
    /// For each token, the index of the next code token after it.
    next_code: Vec<Option<usize>>,
}

/// One backward pass, so that a long run of comments costs linear time.
fn next_code_table(tokens: &[Token]) -> Vec<Option<usize>> {
    let mut table = vec![None; tokens.len()];
    let mut next = None;
    for (index, token) in tokens.iter().enumerate().rev() {
        if let Some(slot) = table.get_mut(index) {
            *slot = next;
        }
        if !token.is_trivia() {
            next = Some(index);
        }
    }
    table
}

impl Layout<'_> {
    fn text(&self, index: usize) -> &str {
        self.tokens.get(index).map_or("", |t| t.text(self.source))
    }

    fn run(&mut self) {
        let mut index = 0;
        while let Some(&token) = self.tokens.get(index) {
            let starting = self.structure.items.get(self.next_item);
            if starting.is_some_and(|&(first, _)| first == index) {
                let k = self.next_item;
                self.next_item += 1;
                self.item_done = false;
                self.flush();
                self.item = Some(k);
            }
            match token.kind {
                Kind::Comment => self.comment(index, token),
                Kind::Doc => self.doc(index, token),
                _ => index = self.code(index, token),
            }
            let current = self.item.and_then(|k| self.structure.items.get(k));
            if current.is_some_and(|&(_, last)| last == index) {
                self.item_done = true;
            }
            index += 1;
        }
        self.flush();
        while self.lines.last().is_some_and(|l| l.blank) {
            self.lines.pop();
        }
    }

    // ------------------------------------------------------------ lines

    fn flush(&mut self) {
        if let Some(line) = self.current.take() {
            self.lines.push(line);
        }
        self.last_code = None;
        self.align_state = AlignState::None;
    }

    fn start_line(&mut self, indent: usize) {
        self.flush();
        if self.item_done {
            self.item = None;
            self.item_done = false;
        }
        self.current = Some(Line {
            indent,
            item: self.item,
            ..Line::default()
        });
    }

    /// Keeps one blank line where the source had one or more, except at
    /// the start of the file or of a body.
    fn blank_line(&mut self, newlines: usize) {
        self.flush();
        let after_open = self.lines.last().is_none_or(|l| l.opens_body || l.blank);
        if newlines >= 2 && !after_open {
            // A blank line at the top level, outside an entity, lies
            // between items and belongs to none.
            let between_items = self.depth == 0 && (!self.in_entity_code || self.item_done);
            self.lines.push(Line {
                blank: true,
                item: if between_items { None } else { self.item },
                ..Line::default()
            });
        }
    }

    fn base(&self) -> usize {
        self.depth * INDENT
    }

    /// Indentation of a continuation line of an entity starting with `text`.
    fn continuation(&self, text: &str) -> usize {
        let closes = matches!(text, ")" | "}");
        let open = if closes {
            self.delimiters.saturating_sub(1)
        } else {
            self.delimiters
        };
        match (open, closes) {
            (0, true) => self.base(),
            (0, false) => self.base() + HANG,
            (n, _) => self.base() + n * INDENT,
        }
    }

    /// The next code token after `index`, skipping comments and docs.
    fn next_code(&self, index: usize) -> Option<usize> {
        self.next_code.get(index).copied().flatten()
    }

    /// Whether a comment or doc before the code token `next` stands between
    /// entities (indented like them) rather than inside one.
    fn between_entities(&self, next: Option<usize>) -> bool {
        !self.in_entity_code
            || next.is_none_or(|n| {
                self.structure.entity_starts.contains(&n) || self.structure.body_closes.contains(&n)
            })
    }

    // ------------------------------------------------------------ trivia

    fn comment(&mut self, index: usize, token: Token) {
        let text = self.text(index).trim_end().to_string();
        let trailing = token.newlines_before == 0
            && self
                .current
                .as_ref()
                .is_some_and(|l| !l.code.is_empty() && l.comment.is_none());
        if trailing {
            let glued = self.structure.rule_tokens.contains(&index)
                && index
                    .checked_sub(1)
                    .and_then(|p| self.tokens.get(p))
                    .is_some_and(|p| p.end == token.start);
            if let Some(line) = self.current.as_mut() {
                line.comment = Some(text);
                line.comment_glued = glued;
            }
            self.flush();
            return;
        }
        self.own_line(index, token, text);
    }

    fn doc(&mut self, index: usize, token: Token) {
        let text = self.text(index).trim_end().to_string();
        if self.structure.entity_starts.contains(&index) {
            self.in_entity_code = false;
            self.delimiters = 0;
        }
        self.own_line(index, token, text);
    }

    fn own_line(&mut self, index: usize, token: Token, text: String) {
        self.blank_line(token.newlines_before);
        let indent = if self.between_entities(self.next_code(index)) {
            self.base()
        } else {
            self.continuation("")
        };
        self.start_line(indent);
        if let Some(line) = self.current.as_mut() {
            line.code = text;
            line.own_comment = true;
        }
        self.flush();
    }

    // ------------------------------------------------------------ code

    /// Prints a code token; returns the index of the last token consumed.
    fn code(&mut self, index: usize, token: Token) -> usize {
        let text = self.text(index).to_string();
        if self.structure.body_closes.contains(&index) {
            self.depth = self.depth.saturating_sub(1);
            self.start_line(self.base());
            self.push_text(&text);
            self.in_entity_code = false;
            self.must_break = true;
            return index;
        }
        if self.structure.entity_starts.contains(&index) {
            self.in_entity_code = false;
            self.delimiters = 0;
            self.must_break = false;
            self.blank_line(token.newlines_before);
            self.start_line(self.base());
        } else if self.current.is_none() || self.must_break {
            let indent = if self.in_entity_code {
                self.continuation(&text)
            } else {
                self.base()
            };
            self.start_line(indent);
            self.must_break = false;
        } else if token.newlines_before > 0 && self.in_entity_code {
            // The designer's line break inside an entity is kept.
            self.start_line(self.continuation(&text));
        }
        if !self.in_entity_code && ALIGNED_KEYWORDS.contains(&text.as_str()) {
            self.track_alignment(AlignState::WantId(text.clone()));
        } else {
            self.advance_alignment(token);
        }
        self.in_entity_code = true;

        if self.structure.body_opens.contains(&index) {
            let next = index + 1;
            if self.structure.body_closes.contains(&next) {
                // An empty body stays `{}` on the header line.
                self.append(index, "{}", token);
                self.must_break = true;
                return next;
            }
            self.append(index, &text, token);
            if let Some(line) = self.current.as_mut() {
                line.opens_body = true;
            }
            self.depth += 1;
            self.in_entity_code = false;
            self.must_break = true;
            return index;
        }
        match text.as_str() {
            "(" | "{" => self.delimiters += 1,
            ")" | "}" => self.delimiters = self.delimiters.saturating_sub(1),
            _ => {}
        }
        self.append(index, &text, token);
        index
    }

    fn track_alignment(&mut self, state: AlignState) {
        let first = self.current.as_ref().is_some_and(|l| l.code.is_empty());
        self.align_state = if first { state } else { AlignState::None };
    }

    /// Called before appending a token other than an aligned keyword.
    fn advance_alignment(&mut self, token: Token) {
        self.align_state = match std::mem::replace(&mut self.align_state, AlignState::None) {
            AlignState::WantId(keyword)
                if token.kind == Kind::Word && token.newlines_before == 0 =>
            {
                let at = self.current.as_ref().map_or(0, |l| l.code.len());
                // +1 for the space before the id.
                AlignState::HaveId(keyword, at + 1 + (token.end - token.start))
            }
            AlignState::HaveId(keyword, at) if token.newlines_before == 0 => {
                if let Some(line) = self.current.as_mut() {
                    line.align = Some((keyword, at));
                }
                AlignState::None
            }
            _ => AlignState::None,
        };
    }

    fn push_text(&mut self, text: &str) {
        if let Some(line) = self.current.as_mut() {
            line.code.push_str(text);
        }
    }

    fn append(&mut self, index: usize, text: &str, token: Token) {
        let space = self
            .last_code
            .is_some_and(|previous| self.space_between(previous, index));
        let indent = self.current.as_ref().map_or(0, |l| l.indent);
        let printed = if token.kind == Kind::LongStr {
            long_string::reindent(text, indent)
        } else {
            text.to_string()
        };
        if let Some(line) = self.current.as_mut() {
            if space {
                line.code.push(' ');
            }
            line.code.push_str(&printed);
        }
        self.last_code = Some(index);
    }

    /// Whether one space separates two code tokens printed on one line.
    fn space_between(&self, previous: usize, next: usize) -> bool {
        if self.structure.rule_tokens.contains(&next) {
            let gap = self.tokens.get(previous).zip(self.tokens.get(next));
            return gap.is_some_and(|(p, n)| n.start > p.end);
        }
        let (a, b) = (self.text(previous), self.text(next));
        let tight_open = |i: usize, t: &str| t == "{" && !self.structure.spaced_braces.contains(&i);
        let tight_close =
            |i: usize, t: &str| t == "}" && !self.structure.spaced_braces.contains(&i);
        let word_before_call = self
            .tokens
            .get(previous)
            .is_some_and(|t| t.kind == Kind::Word)
            && !matches!(a, "and" | "or" | "not" | "when");
        !(matches!(b, "," | ")" | "::")
            || matches!(a, "(" | "::")
            || (b == "(" && word_before_call)
            || tight_open(previous, a)
            || tight_close(next, b)
            || (a == "{" && b == "}"))
    }
}
