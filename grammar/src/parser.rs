//! From source text to [`File`]: pest does the recognising, this module
//! lowers its pairs to the AST and turns error nodes into [`SyntaxError`]s.
//!
//! Parsing never fails: it returns what it could read and every error.

use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::*;
use crate::expected::describe_expected;

#[derive(pest_derive::Parser)]
#[grammar = "acquis.pest"]
pub struct AcquisParser;

type P<'i> = Pair<'i, Rule>;

/// How deeply `expr` may recurse: each level of parentheses costs about
/// four (`expr`, `or`, `and`, `not`).
const MAX_RULE_DEPTH: usize = 160;

/// Parses a whole file. Never fails: syntax errors are in `File::errors`.
pub fn parse(source: &str) -> File {
    parse_in_chunks(source, parallelism(source.len()))
}

/// [`parse`] with about `parts` chunks (tests force several on small files).
pub(crate) fn parse_in_chunks(source: &str, parts: usize) -> File {
    let chunks = chunks(source, parts);
    let mut items = Vec::new();
    let mut errors = Vec::new();
    if chunks.len() <= 1 {
        parse_range(source, 0, source.len(), &mut items, &mut errors);
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
                        parse_range(source, start, end, &mut items, &mut errors);
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

/// The error standing for a chunk whose thread panicked: never silently
/// lose a part of the file.
pub(crate) fn lost_chunk(start: usize, end: usize) -> SyntaxError {
    let span = Span::new(start, end);
    SyntaxError {
        span,
        message: "internal error: this part of the file could not be parsed".to_string(),
        expected: Vec::new(),
        skipped: span,
    }
}

/// Threads worth using for a file of `len` bytes: one below 1 MB, where a
/// thread costs more than it saves.
pub(crate) fn parallelism(len: usize) -> usize {
    if len < 1_000_000 {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Parses the items of `source[start..end]`, one at a time: pest keeps a
/// token queue for all the input it parses, so item by item keeps memory
/// proportional to the largest item, not to the file.
pub(crate) fn parse_range(
    source: &str,
    start: usize,
    end: usize,
    items: &mut Vec<Item>,
    errors: &mut Vec<SyntaxError>,
) {
    let mut offset = start;
    while offset < end {
        let step = parse_step(source, offset, end);
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

/// Reads the item at `offset`, with `source[offset..end]` as pest's input.
/// Its result depends only on `source[offset..]` and on `end - offset`:
/// the incremental parser relies on that to reuse it (incremental.rs).
pub(crate) fn parse_step(source: &str, offset: usize, end: usize) -> Step {
    let mut lowerer = Lowerer {
        source,
        offset,
        depth: 0,
        too_deep: false,
        errors: Vec::new(),
    };
    let mut items = Vec::new();
    let rest = source.get(offset..end).unwrap_or("");
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
    Step {
        items,
        errors: lowerer.errors,
        consumed,
    }
}

/// Cut points `[0, .., len]` splitting `source` into about `parts` chunks,
/// each cut at the start of a line that begins (in column 1, outside any
/// brace, string or comment) with a top-level keyword. Unbalanced braces
/// simply mean fewer cuts.
pub(crate) fn chunks(source: &str, parts: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    if parts > 1 {
        let target = source.len() / parts;
        let mut next_goal = target;
        for at in item_starts(source) {
            if at >= next_goal && cuts.len() < parts {
                cuts.push(at);
                next_goal = at + target;
            }
        }
    }
    cuts.push(source.len());
    cuts
}

/// Byte offsets of lines that start a top-level item.
fn item_starts(source: &str) -> Vec<usize> {
    const KEYWORDS: [&str; 9] = [
        "block ",
        "scale ",
        "rule ",
        "use ",
        "import ",
        "defaults",
        "example ",
        "certification ",
        "///",
    ];
    let bytes = source.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    while let Some(&b) = bytes.get(i) {
        if line_start && depth == 0 {
            let rest = bytes.get(i..).unwrap_or(&[]);
            if KEYWORDS.iter().any(|k| rest.starts_with(k.as_bytes())) {
                starts.push(i);
            }
        }
        line_start = false;
        match b {
            b'\n' => line_start = true,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // A comment: skip to the end of the line.
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes.get(i..i + 3) == Some(b"\"\"\"") => {
                i += 3;
                while bytes.get(i).is_some() && bytes.get(i..i + 3) != Some(b"\"\"\"") {
                    i += 1;
                }
                i += 3;
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' | b'\n' => break,
                        _ => i += 1,
                    }
                }
                if bytes.get(i) == Some(&b'\n') {
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    starts
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

struct Lowerer<'s> {
    source: &'s str,
    /// Where the text pest is parsing starts in `source`: pest's positions
    /// are relative to it.
    offset: usize,
    /// Nesting of the rule expression being lowered (see `MAX_RULE_DEPTH`).
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

    fn items(&mut self, next: P<'_>, items: &mut Vec<Item>) {
        for pair in next.into_inner() {
            let item = match pair.as_rule() {
                Rule::referential => Item::Referential(self.referential(pair)),
                Rule::use_decl => Item::Use(self.use_decl(pair)),
                Rule::import_decl => Item::Import(self.import(pair)),
                Rule::scale => Item::Scale(self.scale(pair)),
                Rule::defaults => Item::Defaults(self.defaults(pair)),
                Rule::named_rule => Item::Rule(self.named_rule(pair)),
                Rule::block => Item::Block(self.block(pair)),
                Rule::certification => Item::Certification(self.certification(pair)),
                Rule::example => Item::Example(self.example(pair)),
                Rule::bad_item => {
                    self.bad(&pair, Rule::strict_item);
                    continue;
                }
                _ => continue,
            };
            items.push(item);
        }
    }

    /// An error node: re-parse from its start with the strict rule of its
    /// context, so the message says what was expected at the exact place.
    fn bad(&mut self, pair: &P<'_>, strict: Rule) {
        let skipped = self.span_of(pair);
        let rest = self.source.get(skipped.start..).unwrap_or("");
        match AcquisParser::parse(strict, rest) {
            Err(error) => self.push_pest_error(&error, skipped.start, skipped),
            Ok(_) => self.errors.push(SyntaxError {
                span: skipped,
                message: "this cannot be read here".to_string(),
                expected: Vec::new(),
                skipped,
            }),
        }
    }

    fn push_pest_error(&mut self, error: &pest::error::Error<Rule>, offset: usize, skipped: Span) {
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
            "the end of the file".to_string()
        } else {
            format!("`{found}`")
        };
        let message = match expected.as_slice() {
            [] => format!("unexpected {found_text}"),
            [one] => format!("expected {one}, found {found_text}"),
            [init @ .., last] => {
                format!("expected {} or {last}, found {found_text}", init.join(", "))
            }
        };
        self.errors.push(SyntaxError {
            span: Span::new(start, end),
            message,
            expected,
            skipped,
        });
    }

    fn error(&mut self, span: Span, message: String) {
        self.errors.push(SyntaxError {
            span,
            message,
            expected: Vec::new(),
            skipped: span,
        });
    }

    // ------------------------------------------------------------ literals

    fn text(&mut self, pair: P<'_>) -> Text {
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
                        format!("unknown escape `\\{other}`; write `\\\\` for a backslash"),
                    );
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        out
    }

    fn number(&mut self, pair: &P<'_>) -> (f64, Span) {
        let span = self.span_of(pair);
        match pair.as_str().parse::<f64>() {
            Ok(n) if n.is_finite() => (n, span),
            _ => {
                self.error(span, format!("`{}` is not a usable number", pair.as_str()));
                (0.0, span)
            }
        }
    }

    fn integer(&mut self, pair: &P<'_>) -> (u32, Span) {
        let span = self.span_of(pair);
        match pair.as_str().parse::<u32>() {
            Ok(n) => (n, span),
            Err(_) => {
                self.error(span, format!("`{}` is too large a count", pair.as_str()));
                (0, span)
            }
        }
    }

    fn value(&mut self, pair: P<'_>) -> Value {
        // `value` wraps a number or an ident; accept either directly too.
        let pair = match pair.as_rule() {
            Rule::value => match pair.into_inner().next() {
                Some(p) => p,
                None => return Value::Number(0.0, Span::default()),
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

    // ------------------------------------------------------------ items

    fn referential(&mut self, pair: P<'_>) -> Referential {
        let span = self.span_of(&pair);
        let mut r = Referential {
            docs: Vec::new(),
            id: Ident {
                name: String::new(),
                span,
            },
            title: Text {
                value: String::new(),
                span,
            },
            level: None,
            version: None,
            lang: None,
            meta: Vec::new(),
            accommodation: None,
            span,
        };
        let mut seen_title = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => r.docs.push(doc_text(&p)),
                Rule::ident => r.id = self.ident(p),
                Rule::string if !seen_title => {
                    seen_title = true;
                    r.title = self.text(p);
                }
                Rule::ref_level => {
                    if let Some(n) = p.into_inner().find(|q| q.as_rule() == Rule::integer) {
                        r.level = Some(self.integer(&n));
                    }
                }
                Rule::ref_version => r.version = self.last_text(p),
                Rule::ref_lang => r.lang = self.last_ident(p),
                Rule::ref_meta => {
                    let mut key = None;
                    let mut value = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => key = Some(self.ident(q)),
                            Rule::string | Rule::long_string => value = Some(self.text(q)),
                            _ => {}
                        }
                    }
                    if let (Some(k), Some(v)) = (key, value) {
                        r.meta.push((k, v));
                    }
                }
                Rule::ref_accommodation => r.accommodation = self.last_text(p),
                Rule::bad_member => self.bad(&p, Rule::strict_referential_member),
                _ => {}
            }
        }
        r
    }

    fn last_text(&mut self, pair: P<'_>) -> Option<Text> {
        let p = pair
            .into_inner()
            .filter(|q| matches!(q.as_rule(), Rule::string | Rule::long_string))
            .last()?;
        Some(self.text(p))
    }

    fn use_decl(&mut self, pair: P<'_>) -> UseDecl {
        let span = self.span_of(&pair);
        let mut path = Vec::new();
        let mut glob = false;
        for p in pair.into_inner() {
            if p.as_rule() == Rule::use_path {
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::word => path.push(self.ident(q)),
                        Rule::use_glob => glob = true,
                        _ => {}
                    }
                }
            }
        }
        UseDecl { path, glob, span }
    }

    fn import(&mut self, pair: P<'_>) -> Import {
        let span = self.span_of(&pair);
        let path = self.last_text(pair).unwrap_or(Text {
            value: String::new(),
            span,
        });
        Import { path, span }
    }

    fn scale(&mut self, pair: P<'_>) -> Scale {
        let span = self.span_of(&pair);
        let mut scale = Scale {
            docs: Vec::new(),
            id: Ident {
                name: String::new(),
                span,
            },
            title: None,
            kind: None,
            pass: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => scale.docs.push(doc_text(&p)),
                Rule::ident => scale.id = self.ident(p),
                Rule::string => scale.title = Some(self.text(p)),
                Rule::scale_levels => {
                    let levels = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::ident)
                        .map(|q| self.ident(q))
                        .collect();
                    self.set_scale_kind(&mut scale, ScaleKind::Levels(levels), span);
                }
                Rule::scale_range => {
                    let numbers: Vec<_> = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::number)
                        .map(|q| self.number(&q))
                        .collect();
                    if let [min, max, rest @ ..] = numbers.as_slice() {
                        let kind = ScaleKind::Range {
                            min: *min,
                            max: *max,
                            step: rest.first().copied(),
                        };
                        self.set_scale_kind(&mut scale, kind, span);
                    }
                }
                Rule::scale_pass => {
                    if let Some(v) = p.into_inner().find(|q| q.as_rule() != Rule::k_pass) {
                        scale.pass = Some(self.value(v));
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_scale_member),
                _ => {}
            }
        }
        scale
    }

    fn set_scale_kind(&mut self, scale: &mut Scale, kind: ScaleKind, span: Span) {
        if scale.kind.is_some() {
            self.error(
                span,
                format!(
                    "scale `{}` has both `levels` and `range`, or one twice",
                    scale.id.name
                ),
            );
        }
        scale.kind = Some(kind);
    }

    fn defaults(&mut self, pair: P<'_>) -> Defaults {
        let mut d = Defaults {
            criterion_scale: None,
            competency_rule: None,
            block_rule: None,
            accommodations: Vec::new(),
            span: self.span_of(&pair),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::default_scale => d.criterion_scale = self.last_ident(p),
                Rule::default_rule => {
                    let mut is_block = false;
                    let mut rule = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::entity_kind => is_block = q.as_str().starts_with("block"),
                            Rule::validated_when => rule = Some(self.validated_when(q)),
                            _ => {}
                        }
                    }
                    if is_block {
                        d.block_rule = rule;
                    } else {
                        d.competency_rule = rule;
                    }
                }
                Rule::default_accommodation => {
                    if let Some(q) = p.into_inner().find(|q| q.as_rule() == Rule::accommodation) {
                        d.accommodations.push(self.accommodation(q));
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_default_member),
                _ => {}
            }
        }
        d
    }

    fn named_rule(&mut self, pair: P<'_>) -> NamedRule {
        let span = self.span_of(&pair);
        let mut docs = Vec::new();
        let mut id = Ident {
            name: String::new(),
            span,
        };
        let mut params = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => docs.push(doc_text(&p)),
                Rule::ident => id = self.ident(p),
                Rule::params => params = p.into_inner().map(|q| self.ident(q)).collect(),
                Rule::expr => body = Some(self.expr(p)),
                _ => {}
            }
        }
        NamedRule {
            docs,
            id,
            params,
            body: body.unwrap_or(Expr {
                kind: ExprKind::And(Vec::new()),
                span,
            }),
            span,
        }
    }

    fn block(&mut self, pair: P<'_>) -> Block {
        let span = self.span_of(&pair);
        let mut b = Block {
            docs: Vec::new(),
            id: Ident {
                name: String::new(),
                span,
            },
            title: Text {
                value: String::new(),
                span,
            },
            summary: None,
            missions: Vec::new(),
            situations: Vec::new(),
            competencies: Vec::new(),
            assessments: Vec::new(),
            rule: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => b.docs.push(doc_text(&p)),
                Rule::ident => b.id = self.ident(p),
                Rule::string => b.title = self.text(p),
                Rule::summary => {
                    let s = self.span_of(&p);
                    if b.summary.is_some() {
                        self.error(s, format!("block `{}` has two summaries", b.id.name));
                    }
                    b.summary = self.last_text(p);
                }
                Rule::mission => b.missions.extend(self.last_text(p)),
                Rule::situation => b.situations.push(self.situation(p)),
                Rule::competency => b.competencies.push(self.competency(p)),
                Rule::assessment => b.assessments.push(self.assessment(p)),
                Rule::validated_when => {
                    let rule = self.validated_when(p);
                    self.set_rule(&mut b.rule, rule, &b.id.name);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_block_member),
                _ => {}
            }
        }
        b
    }

    fn set_rule(&mut self, slot: &mut Option<RuleDecl>, rule: RuleDecl, owner: &str) {
        if slot.is_some() {
            self.error(
                rule.span,
                format!("`{owner}` already has a `validated when` rule; join them with `and`"),
            );
        }
        *slot = Some(rule);
    }

    fn situation(&mut self, pair: P<'_>) -> Situation {
        let span = self.span_of(&pair);
        let mut title = Text {
            value: String::new(),
            span,
        };
        let mut activities = Vec::new();
        let mut notes = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string | Rule::long_string => title = self.text(p),
                Rule::situation_activity => activities.extend(self.last_text(p)),
                Rule::situation_note => notes.extend(self.last_text(p)),
                Rule::bad_member => self.bad(&p, Rule::strict_situation_member),
                _ => {}
            }
        }
        Situation {
            title,
            activities,
            notes,
            span,
        }
    }

    fn competency(&mut self, pair: P<'_>) -> Competency {
        let span = self.span_of(&pair);
        let mut c = Competency {
            docs: Vec::new(),
            id: Ident {
                name: String::new(),
                span,
            },
            title: Text {
                value: String::new(),
                span,
            },
            criteria: Vec::new(),
            rule: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => c.docs.push(doc_text(&p)),
                Rule::ident => c.id = self.ident(p),
                Rule::string => c.title = self.text(p),
                Rule::criterion => c.criteria.push(self.criterion(p)),
                Rule::validated_when => {
                    let rule = self.validated_when(p);
                    self.set_rule(&mut c.rule, rule, &c.id.name);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_competency_member),
                _ => {}
            }
        }
        // Referentials hold tens of thousands of these: no spare capacity.
        c.criteria.shrink_to_fit();
        c
    }

    fn assessment(&mut self, pair: P<'_>) -> Assessment {
        let span = self.span_of(&pair);
        let mut a = Assessment {
            docs: Vec::new(),
            id: Ident {
                name: String::new(),
                span,
            },
            title: Text {
                value: String::new(),
                span,
            },
            covers: Vec::new(),
            kind: None,
            description: None,
            tasks: Vec::new(),
            deliverables: Vec::new(),
            notes: Vec::new(),
            duration: None,
            accommodations: Vec::new(),
            jointly: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => a.docs.push(doc_text(&p)),
                Rule::ident => a.id = self.ident(p),
                Rule::string => a.title = self.text(p),
                Rule::covers => a.covers.extend(
                    p.into_inner()
                        .filter(|q| q.as_rule() == Rule::ident)
                        .map(|q| self.ident(q)),
                ),
                Rule::kind => a.kind = self.last_text(p),
                Rule::description => a.description = self.last_text(p),
                Rule::task => a.tasks.extend(self.last_text(p)),
                Rule::deliverable => a.deliverables.extend(self.last_text(p)),
                Rule::note => a.notes.extend(self.last_text(p)),
                Rule::duration => a.duration = Some(self.duration(p)),
                Rule::accommodation => a.accommodations.push(self.accommodation(p)),
                Rule::jointly => a.jointly.push(self.jointly(p)),
                Rule::bad_member => self.bad(&p, Rule::strict_assessment_member),
                _ => {}
            }
        }
        a
    }

    fn duration(&mut self, pair: P<'_>) -> Duration {
        let span = self.span_of(&pair);
        let mut minutes = 0.0;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => return Duration::Text(self.text(p)),
                Rule::duration_part => minutes += self.duration_part(p),
                _ => {}
            }
        }
        Duration::Minutes(minutes, span)
    }

    fn duration_part(&mut self, pair: P<'_>) -> f64 {
        let mut amount = 0.0;
        let mut unit = "min";
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::number => amount = self.number(&q).0,
                Rule::time_unit => unit = q.as_str(),
                _ => {}
            }
        }
        match unit {
            "h" => amount * 60.0,
            "d" => amount * 60.0 * 24.0,
            _ => amount,
        }
    }

    fn accommodation(&mut self, pair: P<'_>) -> Accommodation {
        let span = self.span_of(&pair);
        let mut kind = Ident {
            name: String::new(),
            span,
        };
        let mut value = None;
        let mut context = None;
        let mut description = None;
        let mut after_for = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if after_for => context = Some(self.ident(p)),
                Rule::ident => kind = self.ident(p),
                Rule::k_for => after_for = true,
                Rule::fraction => {
                    let ints: Vec<_> = p.into_inner().map(|q| self.integer(&q)).collect();
                    if let [(n, _), (d, ds)] = ints.as_slice() {
                        if *d == 0 {
                            self.error(*ds, "a fraction cannot have a zero denominator".into());
                        }
                        value = Some(AccommodationValue::Fraction {
                            numerator: *n,
                            denominator: *d,
                        });
                    }
                }
                Rule::duration_part => {
                    value = Some(AccommodationValue::Minutes(self.duration_part(p)))
                }
                Rule::number => value = Some(AccommodationValue::Number(self.number(&p).0)),
                Rule::string => description = Some(self.text(p)),
                _ => {}
            }
        }
        Accommodation {
            kind,
            value,
            context,
            description,
            span,
        }
    }

    fn jointly(&mut self, pair: P<'_>) -> Jointly {
        let span = self.span_of(&pair);
        let mut competencies = Vec::new();
        let mut criteria = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => competencies.push(self.ident(p)),
                Rule::criterion => criteria.push(self.criterion(p)),
                Rule::bad_member => self.bad(&p, Rule::strict_jointly_member),
                _ => {}
            }
        }
        Jointly {
            competencies,
            criteria,
            span,
        }
    }

    fn criterion(&mut self, pair: P<'_>) -> Criterion {
        let span = self.span_of(&pair);
        let mut c = Criterion {
            docs: Vec::new(),
            id: Ident {
                name: String::new(),
                span,
            },
            title: Text {
                value: String::new(),
                span,
            },
            indicators: Vec::new(),
            scale: None,
            pass: None,
            weight: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => c.docs.push(doc_text(&p)),
                Rule::ident => c.id = self.ident(p),
                Rule::string => c.title = self.text(p),
                Rule::indicator => c.indicators.extend(self.last_text(p)),
                Rule::criterion_scale => c.scale = self.last_ident(p),
                Rule::criterion_pass => {
                    if let Some(v) = p.into_inner().find(|q| q.as_rule() != Rule::k_pass) {
                        c.pass = Some(self.value(v));
                    }
                }
                Rule::criterion_weight => {
                    if let Some(n) = p.into_inner().find(|q| q.as_rule() == Rule::number) {
                        c.weight = Some(self.number(&n));
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_criterion_member),
                _ => {}
            }
        }
        c.indicators.shrink_to_fit();
        c
    }

    fn certification(&mut self, pair: P<'_>) -> Certification {
        let span = self.span_of(&pair);
        let rule = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::validated_when)
            .map(|p| self.validated_when(p))
            .unwrap_or(RuleDecl {
                expr: Expr {
                    kind: ExprKind::And(Vec::new()),
                    span,
                },
                span,
            });
        Certification { rule, span }
    }

    fn example(&mut self, pair: P<'_>) -> Example {
        let span = self.span_of(&pair);
        let mut e = Example {
            docs: Vec::new(),
            name: Text {
                value: String::new(),
                span,
            },
            grades: Vec::new(),
            expectations: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => e.docs.push(doc_text(&p)),
                Rule::string => e.name = self.text(p),
                Rule::example_grades => {
                    for g in p.into_inner().filter(|q| q.as_rule() == Rule::grade) {
                        let gspan = self.span_of(&g);
                        let mut parts = g.into_inner();
                        if let (Some(c), Some(v)) = (parts.next(), parts.next()) {
                            let value = self.value(v);
                            e.grades.push(Grade {
                                criterion: self.ident(c),
                                value,
                                span: gspan,
                            });
                        }
                    }
                }
                Rule::example_expect => {
                    for x in p.into_inner().filter(|q| q.as_rule() == Rule::expectation) {
                        let xspan = self.span_of(&x);
                        let mut parts = x.into_inner();
                        if let (Some(t), Some(o)) = (parts.next(), parts.next()) {
                            e.expectations.push(Expectation {
                                target: self.ident(t),
                                outcome: self.ident(o),
                                span: xspan,
                            });
                        }
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_example_member),
                _ => {}
            }
        }
        e
    }

    // ------------------------------------------------------------ rules

    fn validated_when(&mut self, pair: P<'_>) -> RuleDecl {
        let span = self.span_of(&pair);
        let expr = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::expr)
            .map(|p| self.expr(p))
            .unwrap_or(Expr {
                kind: ExprKind::And(Vec::new()),
                span,
            });
        RuleDecl { expr, span }
    }

    fn expr(&mut self, pair: P<'_>) -> Expr {
        let span = self.span_of(&pair);
        if self.depth >= MAX_RULE_DEPTH {
            // Recursion over a deeper tree could exhaust the stack; no real
            // rule comes near this. Reported once per rule.
            if !self.too_deep {
                self.too_deep = true;
                self.error(
                    span,
                    "this rule is nested too deeply (more than 40 levels of parentheses or `not`)"
                        .into(),
                );
            }
            return empty_expr(span);
        }
        self.depth += 1;
        let expr = self.expr_inner(pair, span);
        self.depth -= 1;
        if self.depth == 0 {
            self.too_deep = false;
        }
        expr
    }

    fn expr_inner(&mut self, pair: P<'_>, span: Span) -> Expr {
        match pair.as_rule() {
            Rule::expr => match pair.into_inner().next() {
                Some(p) => self.expr(p),
                None => empty_expr(span),
            },
            Rule::or_expr | Rule::and_expr => {
                let is_or = pair.as_rule() == Rule::or_expr;
                let mut parts: Vec<Expr> = pair
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::k_or | Rule::k_and))
                    .map(|p| self.expr(p))
                    .collect();
                if parts.len() == 1 {
                    return parts.pop().unwrap_or_else(|| empty_expr(span));
                }
                let kind = if is_or {
                    ExprKind::Or(parts)
                } else {
                    ExprKind::And(parts)
                };
                Expr { kind, span }
            }
            Rule::not_expr => {
                let mut inner = pair.into_inner();
                match (inner.next(), inner.next()) {
                    (Some(k), Some(e)) if k.as_rule() == Rule::k_not => Expr {
                        kind: ExprKind::Not(Box::new(self.expr(e))),
                        span,
                    },
                    (Some(e), _) => self.expr(e),
                    _ => empty_expr(span),
                }
            }
            Rule::quantified => self.quantified(pair),
            Rule::counted => self.counted(pair),
            Rule::member_test => {
                let mut inner = pair.into_inner();
                match (inner.next(), inner.next()) {
                    (Some(t), Some(p)) => Expr {
                        kind: ExprKind::Member {
                            target: self.ident(t),
                            predicate: self.predicate(p),
                        },
                        span,
                    },
                    _ => empty_expr(span),
                }
            }
            Rule::call => {
                let mut name = Ident {
                    name: String::new(),
                    span,
                };
                let mut args = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::name => name = self.ident(p),
                        Rule::args => {
                            for v in p.into_inner() {
                                args.push(self.value(v));
                            }
                        }
                        _ => {}
                    }
                }
                Expr {
                    kind: ExprKind::Call { name, args },
                    span,
                }
            }
            Rule::comparison => {
                let mut inner = pair.into_inner();
                match (inner.next(), inner.next(), inner.next()) {
                    (Some(l), Some(op), Some(r)) => Expr {
                        kind: ExprKind::Compare {
                            lhs: self.num_expr(l),
                            op: cmp_op(op.as_str()),
                            rhs: self.num_expr(r),
                        },
                        span,
                    },
                    _ => empty_expr(span),
                }
            }
            _ => empty_expr(span),
        }
    }

    fn count(&mut self, pair: P<'_>) -> Count {
        match pair.as_rule() {
            Rule::integer => {
                let (n, s) = self.integer(&pair);
                Count::Literal(n, s)
            }
            _ => Count::Param(self.ident(pair)),
        }
    }

    fn quantified(&mut self, pair: P<'_>) -> Expr {
        let span = self.span_of(&pair);
        let mut quantifier = Quantifier::All;
        let mut set = None;
        let mut predicate = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::quantifier => {
                    if let Some(q) = p.into_inner().next() {
                        quantifier = match q.as_rule() {
                            Rule::q_any => Quantifier::Any,
                            Rule::q_none => Quantifier::None,
                            Rule::q_at_least | Rule::q_at_most => {
                                let most = q.as_rule() == Rule::q_at_most;
                                let n = q
                                    .into_inner()
                                    .find(|c| matches!(c.as_rule(), Rule::integer | Rule::name))
                                    .map(|c| self.count(c))
                                    .unwrap_or(Count::Literal(0, span));
                                if most {
                                    Quantifier::AtMost(n)
                                } else {
                                    Quantifier::AtLeast(n)
                                }
                            }
                            _ => Quantifier::All,
                        };
                    }
                }
                Rule::set => set = Some(self.set(p)),
                Rule::predicate => predicate = Some(self.predicate(p)),
                _ => {}
            }
        }
        Expr {
            kind: ExprKind::Quantified {
                quantifier,
                set: set.unwrap_or_else(|| empty_set(span)),
                predicate,
            },
            span,
        }
    }

    fn counted(&mut self, pair: P<'_>) -> Expr {
        let span = self.span_of(&pair);
        let mut counts = Vec::new();
        let mut set = None;
        let mut predicate = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::integer | Rule::name => counts.push(self.count(p)),
                Rule::set => set = Some(self.set(p)),
                Rule::predicate => predicate = Some(self.predicate(p)),
                _ => {}
            }
        }
        let mut counts = counts.into_iter();
        let at_least = counts.next().unwrap_or(Count::Literal(0, span));
        let size = counts.next().unwrap_or(Count::Literal(0, span));
        Expr {
            kind: ExprKind::Counted {
                at_least,
                size,
                set: set.unwrap_or_else(|| empty_set(span)),
                predicate,
            },
            span,
        }
    }

    fn predicate(&mut self, pair: P<'_>) -> Predicate {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner();
        match inner.next() {
            Some(p) if p.as_rule() == Rule::p_acquired => Predicate::Acquired(span),
            Some(p) if p.as_rule() == Rule::p_validated => Predicate::Validated(span),
            Some(op) => {
                let op = cmp_op(op.as_str());
                let value = match inner.next() {
                    Some(v) => self.value(v),
                    None => Value::Number(0.0, span),
                };
                Predicate::Compare(op, value, span)
            }
            None => Predicate::Acquired(span),
        }
    }

    fn set(&mut self, pair: P<'_>) -> SetExpr {
        let span = self.span_of(&pair);
        let mut base = SetBase::Criteria;
        let mut except = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::s_criteria => base = SetBase::Criteria,
                Rule::s_competencies => base = SetBase::Competencies,
                Rule::s_blocks => base = SetBase::Blocks,
                Rule::explicit_set => base = SetBase::Explicit(self.ref_list(p)),
                Rule::except_list => {
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::explicit_set => except.extend(self.ref_list(q)),
                            _ => except.push(self.ident(q)),
                        }
                    }
                }
                _ => {}
            }
        }
        SetExpr { base, except, span }
    }

    fn num_expr(&mut self, pair: P<'_>) -> NumExpr {
        let span = self.span_of(&pair);
        match pair.as_rule() {
            Rule::num_expr | Rule::num_term => {
                let mut inner = pair.into_inner();
                let mut acc = match inner.next() {
                    Some(p) => self.num_expr(p),
                    None => return NumExpr::Number(0.0, span),
                };
                while let (Some(op), Some(rhs)) = (inner.next(), inner.next()) {
                    let rhs = self.num_expr(rhs);
                    let op = match op.as_str() {
                        "+" => ArithOp::Add,
                        "-" => ArithOp::Sub,
                        "*" => ArithOp::Mul,
                        _ => ArithOp::Div,
                    };
                    let span = acc.span().to(rhs.span());
                    acc = NumExpr::Binary {
                        op,
                        lhs: Box::new(acc),
                        rhs: Box::new(rhs),
                        span,
                    };
                }
                acc
            }
            Rule::number => {
                let (n, s) = self.number(&pair);
                NumExpr::Number(n, s)
            }
            Rule::param_ref => match pair.into_inner().next() {
                Some(i) => NumExpr::Param(self.ident(i)),
                None => NumExpr::Number(0.0, span),
            },
            Rule::aggregate => {
                let mut function = AggregateFn::Average;
                let mut set = None;
                let mut predicate = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::agg_fn => {
                            function = match p.into_inner().next().map(|q| q.as_rule()) {
                                Some(Rule::agg_weighted) => AggregateFn::WeightedAverage,
                                Some(Rule::agg_min) => AggregateFn::Min,
                                Some(Rule::agg_max) => AggregateFn::Max,
                                Some(Rule::agg_sum) => AggregateFn::Sum,
                                Some(Rule::agg_count) => AggregateFn::Count,
                                Some(Rule::agg_size) => AggregateFn::Size,
                                _ => AggregateFn::Average,
                            }
                        }
                        Rule::set => set = Some(self.set(p)),
                        Rule::predicate => predicate = Some(self.predicate(p)),
                        _ => {}
                    }
                }
                NumExpr::Aggregate {
                    function,
                    set: set.unwrap_or_else(|| empty_set(span)),
                    predicate,
                    span,
                }
            }
            _ => NumExpr::Number(0.0, span),
        }
    }
}

fn empty_expr(span: Span) -> Expr {
    Expr {
        kind: ExprKind::And(Vec::new()),
        span,
    }
}

fn empty_set(span: Span) -> SetExpr {
    SetExpr {
        base: SetBase::Explicit(Vec::new()),
        except: Vec::new(),
        span,
    }
}

fn cmp_op(text: &str) -> CmpOp {
    // The grammar only matches the six operators.
    CmpOp::from_symbol(text).unwrap_or(CmpOp::Eq)
}

fn doc_text(pair: &P<'_>) -> String {
    let text = pair.as_str().trim_start_matches("///");
    text.strip_prefix(' ')
        .unwrap_or(text)
        .trim_end()
        .to_string()
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
