//! Inlay hints: what the source leaves implicit. The number of members of
//! a rule's set, which the compiler resolved (`at least 4 of criteria`
//! shows `/5`, `all criteria` shows `5`); the scale a criterion inherits
//! from `defaults` (` scale acquisition` after its title); the default
//! rule a competency or block uses (` validated when all criteria
//! acquired` after its title).

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
    let inherited = Inherited::of(&view, analysis);
    for item in &ast.items {
        match item {
            Item::Block(b) => {
                walker.inherited(&inherited, b);
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

/// What `defaults` gives the entities that do not say: the scale's name,
/// and the rules' text as written there.
#[derive(Default)]
struct Inherited {
    scale: Option<String>,
    competency_rule: Option<String>,
    block_rule: Option<String>,
}

impl Inherited {
    /// From the `defaults` of the referential (in whichever of its files).
    fn of(view: &FileView<'_>, analysis: &Analysis) -> Inherited {
        let mut inherited = Inherited::default();
        for file in &analysis.files {
            for item in &file.ast.items {
                let Item::Defaults(d) = item else { continue };
                let source = view.unit.source(file.id).map(|s| s.text.as_str());
                let text = |rule: &ast::RuleDecl| {
                    source
                        .and_then(|t| t.get(rule.expr.span.start..rule.expr.span.end))
                        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                };
                inherited.scale = inherited
                    .scale
                    .or_else(|| d.criterion_scale.as_ref().map(|s| s.name.clone()));
                inherited.competency_rule = inherited
                    .competency_rule
                    .or_else(|| d.competency_rule.as_ref().and_then(text));
                inherited.block_rule = inherited
                    .block_rule
                    .or_else(|| d.block_rule.as_ref().and_then(text));
            }
        }
        inherited
    }
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

    /// The scale and rules a block and its competencies and criteria take
    /// from `defaults`, shown after their titles.
    fn inherited(&mut self, inherited: &Inherited, b: &ast::Block) {
        let from = "from `defaults`";
        if let (None, Some(rule)) = (&b.rule, &inherited.block_rule) {
            self.hint(
                b.title.span.end,
                format!(" validated when {rule}"),
                format!("the default rule of blocks, {from}"),
            );
        }
        for c in &b.competencies {
            if let (None, Some(rule)) = (&c.rule, &inherited.competency_rule) {
                self.hint(
                    c.title.span.end,
                    format!(" validated when {rule}"),
                    format!("the default rule of competencies, {from}"),
                );
            }
            for k in &c.criteria {
                self.inherited_scale(inherited, k);
            }
        }
        // Criteria shared by competencies (`jointly` in an assessment).
        for a in &b.assessments {
            for k in a.jointly.iter().flat_map(|j| &j.criteria) {
                self.inherited_scale(inherited, k);
            }
        }
    }

    fn inherited_scale(&mut self, inherited: &Inherited, k: &ast::Criterion) {
        if let (None, Some(scale)) = (&k.scale, &inherited.scale) {
            self.hint(
                k.title.span.end,
                format!(" scale {scale}"),
                "the scale of criteria, from `defaults`".to_string(),
            );
        }
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
