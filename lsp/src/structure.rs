//! Folding ranges and selection ranges, from the spans of the parsed file.

use acquis_grammar::ast::{self, ExprKind, Item, NumExpr, Span};
use lsp_types::{
    FoldingRange, FoldingRangeKind, FoldingRangeParams, SelectionRange, SelectionRangeParams,
};

use crate::context::Context;
use crate::snapshot::FileView;

pub fn folding(ctx: &Context<'_>, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let view = ctx.file(&params.text_document.uri)?;
    let ast = view.ast()?;
    let mut spans: Vec<(Span, Option<FoldingRangeKind>)> = Vec::new();
    for item in &ast.items {
        let Some(span) = crate::hover::item_span(item) else {
            continue;
        };
        let kind =
            matches!(item, Item::Use(_) | Item::Import(_)).then_some(FoldingRangeKind::Imports);
        spans.push((span, kind));
        if let Item::Block(b) = item {
            spans.extend(b.summary.iter().map(|t| (t.span, None)));
            spans.extend(b.situations.iter().map(|s| (s.span, None)));
            for c in &b.competencies {
                spans.push((c.span, None));
                spans.extend(c.criteria.iter().map(|k| (k.span, None)));
            }
            for a in &b.assessments {
                spans.push((a.span, None));
                spans.extend(a.description.iter().map(|t| (t.span, None)));
                for j in &a.jointly {
                    spans.push((j.span, None));
                    spans.extend(j.criteria.iter().map(|k| (k.span, None)));
                }
            }
        }
        if let Item::Referential(r) = item {
            spans.extend(r.accommodation.iter().map(|t| (t.span, None)));
        }
    }
    let mut ranges: Vec<FoldingRange> = spans
        .into_iter()
        .filter_map(|(span, kind)| {
            let range = view.range(span);
            (range.end.line > range.start.line).then(|| FoldingRange {
                start_line: range.start.line,
                end_line: range.end.line,
                kind,
                ..FoldingRange::default()
            })
        })
        .collect();
    ranges.extend(comment_runs(&view));
    ranges.sort_by_key(|r| (r.start_line, std::cmp::Reverse(r.end_line)));
    ranges.dedup_by(|a, b| a.start_line == b.start_line && a.end_line == b.end_line);
    Some(ranges)
}

/// Runs of two or more lines that are only comments.
fn comment_runs(view: &FileView<'_>) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    let mut start: Option<u32> = None;
    let mut last = 0u32;
    for (i, line) in view.text.lines().enumerate() {
        let i = i as u32;
        if line.trim_start().starts_with("//") {
            start.get_or_insert(i);
            last = i;
        } else if let Some(s) = start.take() {
            if last > s {
                out.push(FoldingRange {
                    start_line: s,
                    end_line: last,
                    kind: Some(FoldingRangeKind::Comment),
                    ..FoldingRange::default()
                });
            }
        }
    }
    if let Some(s) = start {
        if last > s {
            out.push(FoldingRange {
                start_line: s,
                end_line: last,
                kind: Some(FoldingRangeKind::Comment),
                ..FoldingRange::default()
            });
        }
    }
    out
}

pub fn selection(ctx: &Context<'_>, params: SelectionRangeParams) -> Option<Vec<SelectionRange>> {
    let view = ctx.file(&params.text_document.uri)?;
    let ast = view.ast()?;
    Some(
        params
            .positions
            .into_iter()
            .map(|position| {
                let offset = view.offset(position);
                let mut spans = Vec::new();
                for item in &ast.items {
                    item_spans(item, offset, &mut spans);
                }
                if let Some((_, start, end)) = crate::text::word_at(view.text, offset) {
                    spans.push(Span::new(start, end));
                }
                chain(&view, spans, offset)
            })
            .collect(),
    )
}

/// Nests the spans around the cursor, outermost first, into the chain the
/// protocol wants (innermost with its parents).
fn chain(view: &FileView<'_>, mut spans: Vec<Span>, offset: usize) -> SelectionRange {
    spans.retain(|s| s.start <= offset && offset <= s.end);
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    spans.sort_by_key(|s| std::cmp::Reverse(s.end - s.start));
    spans.dedup();
    let mut current: Option<SelectionRange> = None;
    for span in spans {
        // Each range must contain the next; skip a span that does not.
        if let Some(parent) = &current {
            let r = view.range(span);
            if r.start < parent.range.start || r.end > parent.range.end {
                continue;
            }
        }
        current = Some(SelectionRange {
            range: view.range(span),
            parent: current.map(Box::new),
        });
    }
    current.unwrap_or(SelectionRange {
        range: view.range(Span::new(offset, offset)),
        parent: None,
    })
}

fn item_spans(item: &Item, offset: usize, out: &mut Vec<Span>) {
    let Some(span) = crate::hover::item_span(item) else {
        return;
    };
    if !(span.start <= offset && offset <= span.end) {
        return;
    }
    out.push(span);
    match item {
        Item::Block(b) => {
            out.push(b.id.span);
            out.push(b.title.span);
            for c in &b.competencies {
                out.extend([c.span, c.id.span, c.title.span]);
                for k in &c.criteria {
                    out.extend([k.span, k.id.span, k.title.span]);
                    out.extend(k.indicators.iter().map(|t| t.span));
                }
                if let Some(rule) = &c.rule {
                    rule_spans(rule, out);
                }
            }
            for a in &b.assessments {
                out.extend([a.span, a.id.span, a.title.span]);
                out.extend(a.covers.iter().map(|c| c.span));
                for j in &a.jointly {
                    out.push(j.span);
                    out.extend(j.criteria.iter().map(|k| k.span));
                }
            }
            if let Some(rule) = &b.rule {
                rule_spans(rule, out);
            }
        }
        Item::Defaults(d) => {
            for rule in d.competency_rule.iter().chain(&d.block_rule) {
                rule_spans(rule, out);
            }
        }
        Item::Certification(c) => rule_spans(&c.rule, out),
        Item::Rule(r) => expr_spans(&r.body, out),
        Item::Example(e) => {
            out.extend(e.grades.iter().map(|g| g.span));
            out.extend(e.expectations.iter().map(|x| x.span));
        }
        _ => {}
    }
}

fn rule_spans(rule: &ast::RuleDecl, out: &mut Vec<Span>) {
    out.push(rule.span);
    expr_spans(&rule.expr, out);
}

fn expr_spans(expr: &ast::Expr, out: &mut Vec<Span>) {
    out.push(expr.span);
    match &expr.kind {
        ExprKind::And(parts) | ExprKind::Or(parts) => parts.iter().for_each(|p| expr_spans(p, out)),
        ExprKind::Not(inner) => expr_spans(inner, out),
        ExprKind::Quantified { set, .. } | ExprKind::Counted { set, .. } => {
            out.push(set.span);
            if let ast::SetBase::Explicit(ids) = &set.base {
                out.extend(ids.iter().map(|i| i.span));
            }
        }
        ExprKind::Member { target, predicate } => out.extend([target.span, predicate.span()]),
        ExprKind::Call { name, .. } => out.push(name.span),
        ExprKind::Compare { lhs, rhs, .. } => {
            num_spans(lhs, out);
            num_spans(rhs, out);
        }
    }
}

fn num_spans(num: &NumExpr, out: &mut Vec<Span>) {
    out.push(num.span());
    match num {
        NumExpr::Aggregate { set, .. } => out.push(set.span),
        NumExpr::Binary { lhs, rhs, .. } => {
            num_spans(lhs, out);
            num_spans(rhs, out);
        }
        NumExpr::Extremum { args, .. } => args.iter().for_each(|a| num_spans(a, out)),
        NumExpr::Round { arg, decimals, .. } => {
            num_spans(arg, out);
            out.extend(decimals.as_ref().map(ast::Value::span));
        }
        NumExpr::Number(..) | NumExpr::Param(_) => {}
    }
}
