//! Inlay hints: the number of members of a rule's set, which the compiler
//! resolved: `at least 4 of criteria` shows `/5`, `all criteria` shows `5`.

use acquis_compiler::analysis::Analysis;
use acquis_diagnostics::source::FileId;
use acquis_grammar::ast::{self, Count, ExprKind, Item, NumExpr, Quantifier};
use lsp_types::{InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams};

use crate::context::Context;
use crate::snapshot::FileView;

pub fn hints(ctx: &Context<'_>, params: InlayHintParams) -> Option<Vec<InlayHint>> {
    let view = ctx.file(&params.text_document.uri)?;
    let analysis = view.analysis()?;
    let ast = view.ast()?;
    let (from, to) = (
        view.offset(params.range.start),
        view.offset(params.range.end),
    );
    let mut out = Vec::new();
    let mut walker = Walker {
        view: &view,
        analysis,
        file: view.id,
        out: &mut out,
    };
    for item in &ast.items {
        match item {
            Item::Block(b) => {
                for rule in b
                    .competencies
                    .iter()
                    .filter_map(|c| c.rule.as_ref())
                    .chain(&b.rule)
                {
                    walker.expr(&rule.expr);
                }
            }
            Item::Certification(c) => walker.expr(&c.rule.expr),
            Item::Defaults(d) => {
                for rule in d.competency_rule.iter().chain(&d.block_rule) {
                    walker.expr(&rule.expr);
                }
            }
            _ => {}
        }
    }
    out.retain(|(offset, _)| from <= *offset && *offset <= to);
    Some(out.into_iter().map(|(_, hint)| hint).collect())
}

struct Walker<'a, 'v> {
    view: &'a FileView<'v>,
    analysis: &'a Analysis,
    file: FileId,
    out: &'a mut Vec<(usize, InlayHint)>,
}

impl Walker<'_, '_> {
    fn hint(&mut self, offset: usize, label: String, tooltip: String) {
        self.out.push((
            offset,
            InlayHint {
                position: self.view.lines.position(self.view.text, offset),
                label: InlayHintLabel::String(label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip: Some(lsp_types::InlayHintTooltip::String(tooltip)),
                padding_left: Some(false),
                padding_right: Some(false),
                data: None,
            },
        ));
    }

    fn size(&self, set: &ast::SetExpr) -> Option<usize> {
        self.analysis.set_sizes.get(&(self.file, set.span)).copied()
    }

    fn expr(&mut self, expr: &ast::Expr) {
        match &expr.kind {
            ExprKind::And(parts) | ExprKind::Or(parts) => parts.iter().for_each(|p| self.expr(p)),
            ExprKind::Not(inner) => self.expr(inner),
            ExprKind::Quantified {
                quantifier, set, ..
            } => {
                let Some(size) = self.size(set) else { return };
                let tooltip = format!("this set has {size} members");
                match quantifier {
                    Quantifier::AtLeast(Count::Literal(_, span))
                    | Quantifier::AtMost(Count::Literal(_, span)) => {
                        self.hint(span.end, format!("/{size}"), tooltip)
                    }
                    _ => self.hint(set.span.end, format!(" ({size})"), tooltip),
                }
            }
            ExprKind::Compare { lhs, rhs, .. } => {
                self.num(lhs);
                self.num(rhs);
            }
            ExprKind::Counted { .. } | ExprKind::Member { .. } | ExprKind::Call { .. } => {}
        }
    }

    fn num(&mut self, num: &NumExpr) {
        match num {
            NumExpr::Aggregate { set, .. } => {
                if let Some(size) = self.size(set) {
                    self.hint(
                        set.span.end,
                        format!(" ({size})"),
                        format!("this set has {size} members"),
                    );
                }
            }
            NumExpr::Binary { lhs, rhs, .. } => {
                self.num(lhs);
                self.num(rhs);
            }
            NumExpr::Extremum { args, .. } => args.iter().for_each(|a| self.num(a)),
            NumExpr::Round { arg, .. } => self.num(arg),
            NumExpr::Number(..) | NumExpr::Param(_) => {}
        }
    }
}
