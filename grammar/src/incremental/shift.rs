//! Moving a parsed item to another offset: every span of it, and of its
//! syntax errors, shifted by the same amount.
//!
//! Each impl destructures its node with no `..` and matches with no
//! wildcard, so a field or variant added to the AST fails to compile here
//! until its spans are shifted too: a forgotten span would point a
//! diagnostic at the wrong text only after an edit, the hardest way to see.

use crate::ast::*;

pub(crate) trait Shift {
    /// Adds `by` (which may be negative) to every byte offset.
    fn shift(&mut self, by: isize);
}

impl Shift for Span {
    fn shift(&mut self, by: isize) {
        self.start = self.start.saturating_add_signed(by);
        self.end = self.end.saturating_add_signed(by);
    }
}

impl Shift for Ident {
    fn shift(&mut self, by: isize) {
        let Ident { name: _, span } = self;
        span.shift(by);
    }
}

impl Shift for Text {
    fn shift(&mut self, by: isize) {
        let Text { value: _, span } = self;
        span.shift(by);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: isize) {
        for x in self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: isize) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, by: isize) {
        (**self).shift(by);
    }
}

impl<A: Shift, B: Shift> Shift for (A, B) {
    fn shift(&mut self, by: isize) {
        self.0.shift(by);
        self.1.shift(by);
    }
}

/// Numbers and flags carry no offset.
macro_rules! no_span {
    ($($t:ty),*) => {
        $(impl Shift for $t {
            fn shift(&mut self, _by: isize) {}
        })*
    };
}
no_span!(
    u32,
    f64,
    bool,
    String,
    CmpOp,
    AggregateFn,
    ArithOp,
    AccommodationValue
);

impl Shift for SyntaxError {
    fn shift(&mut self, by: isize) {
        let SyntaxError {
            code: _,
            span,
            message: _,
            expected: _,
            skipped,
        } = self;
        span.shift(by);
        skipped.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: isize) {
        match self {
            Item::Referential(x) => x.shift(by),
            Item::Use(x) => x.shift(by),
            Item::Import(x) => x.shift(by),
            Item::Scale(x) => x.shift(by),
            Item::Defaults(x) => x.shift(by),
            Item::Rule(x) => x.shift(by),
            Item::Block(x) => x.shift(by),
            Item::Assessment(x) => x.shift(by),
            Item::Certification(x) => x.shift(by),
            Item::Example(x) => x.shift(by),
            Item::Equivalence(x) => x.shift(by),
            Item::Dispensation(x) => x.shift(by),
            Item::Keep(x) => x.shift(by),
            Item::Jury(x) => x.shift(by),
        }
    }
}

impl Shift for Referential {
    fn shift(&mut self, by: isize) {
        let Referential {
            docs: _,
            id,
            title,
            level,
            version,
            lang,
            meta,
            accommodation,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        level.shift(by);
        version.shift(by);
        lang.shift(by);
        meta.shift(by);
        accommodation.shift(by);
        span.shift(by);
    }
}

impl Shift for UseDecl {
    fn shift(&mut self, by: isize) {
        let UseDecl {
            path,
            glob: _,
            span,
        } = self;
        path.shift(by);
        span.shift(by);
    }
}

impl Shift for Import {
    fn shift(&mut self, by: isize) {
        let Import { path, span } = self;
        path.shift(by);
        span.shift(by);
    }
}

impl Shift for Scale {
    fn shift(&mut self, by: isize) {
        let Scale {
            docs: _,
            id,
            title,
            kind,
            pass,
            absent,
            labels,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        kind.shift(by);
        pass.shift(by);
        absent.shift(by);
        labels.shift(by);
        span.shift(by);
    }
}

impl Shift for AbsentRule {
    fn shift(&mut self, by: isize) {
        let AbsentRule { counts_as, span } = self;
        counts_as.shift(by);
        span.shift(by);
    }
}

impl Shift for AbsentValue {
    fn shift(&mut self, by: isize) {
        match self {
            AbsentValue::Value(value) => value.shift(by),
            AbsentValue::NotAcquired(span) => span.shift(by),
        }
    }
}

impl Shift for ScaleKind {
    fn shift(&mut self, by: isize) {
        match self {
            ScaleKind::Levels(levels) => levels.shift(by),
            ScaleKind::Range { min, max, step } => {
                min.shift(by);
                max.shift(by);
                step.shift(by);
            }
        }
    }
}

impl Shift for Defaults {
    fn shift(&mut self, by: isize) {
        let Defaults {
            criterion_scale,
            competency_rule,
            block_rule,
            accommodations,
            absent,
            span,
        } = self;
        criterion_scale.shift(by);
        competency_rule.shift(by);
        block_rule.shift(by);
        accommodations.shift(by);
        absent.shift(by);
        span.shift(by);
    }
}

impl Shift for NamedRule {
    fn shift(&mut self, by: isize) {
        let NamedRule {
            docs: _,
            id,
            params,
            body,
            span,
        } = self;
        id.shift(by);
        params.shift(by);
        body.shift(by);
        span.shift(by);
    }
}

impl Shift for RuleDecl {
    fn shift(&mut self, by: isize) {
        let RuleDecl { expr, span } = self;
        expr.shift(by);
        span.shift(by);
    }
}

impl Shift for Block {
    fn shift(&mut self, by: isize) {
        let Block {
            docs: _,
            id,
            title,
            summary,
            missions,
            situations,
            competencies,
            assessments,
            rule,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        summary.shift(by);
        missions.shift(by);
        situations.shift(by);
        competencies.shift(by);
        assessments.shift(by);
        rule.shift(by);
        span.shift(by);
    }
}

impl Shift for Situation {
    fn shift(&mut self, by: isize) {
        let Situation {
            title,
            activities,
            notes,
            span,
        } = self;
        title.shift(by);
        activities.shift(by);
        notes.shift(by);
        span.shift(by);
    }
}

impl Shift for Competency {
    fn shift(&mut self, by: isize) {
        let Competency {
            docs: _,
            id,
            title,
            criteria,
            rule,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        criteria.shift(by);
        rule.shift(by);
        span.shift(by);
    }
}

impl Shift for Assessment {
    fn shift(&mut self, by: isize) {
        let Assessment {
            docs: _,
            id,
            title,
            covers,
            kind,
            description,
            tasks,
            deliverables,
            notes,
            duration,
            accommodations,
            jointly,
            absent,
            parts,
            rule,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        covers.shift(by);
        kind.shift(by);
        description.shift(by);
        tasks.shift(by);
        deliverables.shift(by);
        notes.shift(by);
        duration.shift(by);
        accommodations.shift(by);
        jointly.shift(by);
        absent.shift(by);
        parts.shift(by);
        rule.shift(by);
        span.shift(by);
    }
}

impl Shift for Part {
    fn shift(&mut self, by: isize) {
        let Part {
            criterion,
            duration,
            form,
            examiners,
            optional,
        } = self;
        criterion.shift(by);
        duration.shift(by);
        form.shift(by);
        examiners.shift(by);
        optional.shift(by);
    }
}

impl Shift for Duration {
    fn shift(&mut self, by: isize) {
        match self {
            Duration::Minutes(_, span) => span.shift(by),
            Duration::Text(text) => text.shift(by),
        }
    }
}

impl Shift for Accommodation {
    fn shift(&mut self, by: isize) {
        let Accommodation {
            kind,
            value,
            context,
            description,
            span,
        } = self;
        kind.shift(by);
        value.shift(by);
        context.shift(by);
        description.shift(by);
        span.shift(by);
    }
}

impl Shift for Jointly {
    fn shift(&mut self, by: isize) {
        let Jointly {
            competencies,
            criteria,
            span,
        } = self;
        competencies.shift(by);
        criteria.shift(by);
        span.shift(by);
    }
}

impl Shift for Criterion {
    fn shift(&mut self, by: isize) {
        let Criterion {
            docs: _,
            id,
            title,
            indicators,
            scale,
            pass,
            weight,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        indicators.shift(by);
        scale.shift(by);
        pass.shift(by);
        weight.shift(by);
        span.shift(by);
    }
}

impl Shift for Certification {
    fn shift(&mut self, by: isize) {
        let Certification { rule, span } = self;
        rule.shift(by);
        span.shift(by);
    }
}

impl Shift for Example {
    fn shift(&mut self, by: isize) {
        let Example {
            docs: _,
            name,
            grades,
            expectations,
            session,
            earlier,
            holds,
            dispensed,
            decisions,
            span,
        } = self;
        name.shift(by);
        grades.shift(by);
        expectations.shift(by);
        session.shift(by);
        earlier.shift(by);
        holds.shift(by);
        dispensed.shift(by);
        decisions.shift(by);
        span.shift(by);
    }
}

impl Shift for Earlier {
    fn shift(&mut self, by: isize) {
        let Earlier {
            target,
            value,
            session,
            span,
        } = self;
        target.shift(by);
        value.shift(by);
        session.shift(by);
        span.shift(by);
    }
}

impl Shift for Decision {
    fn shift(&mut self, by: isize) {
        let Decision {
            target,
            outcome,
            author,
            date,
            justification,
            span,
        } = self;
        target.shift(by);
        outcome.shift(by);
        author.shift(by);
        date.shift(by);
        justification.shift(by);
        span.shift(by);
    }
}

impl Shift for Equivalence {
    fn shift(&mut self, by: isize) {
        let Equivalence {
            docs: _,
            id,
            title,
            rncp,
            grants,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        rncp.shift(by);
        grants.shift(by);
        span.shift(by);
    }
}

impl Shift for Dispensation {
    fn shift(&mut self, by: isize) {
        let Dispensation {
            docs: _,
            id,
            title,
            dispenses,
            effect,
            span,
        } = self;
        id.shift(by);
        title.shift(by);
        dispenses.shift(by);
        if let Some((_, s)) = effect {
            s.shift(by);
        }
        span.shift(by);
    }
}

impl Shift for RecordTarget {
    fn shift(&mut self, by: isize) {
        match self {
            RecordTarget::Blocks(s) | RecordTarget::Competencies(s) | RecordTarget::Criteria(s) => {
                s.shift(by)
            }
            RecordTarget::Id(i) => i.shift(by),
        }
    }
}

impl Shift for Keep {
    fn shift(&mut self, by: isize) {
        let Keep {
            docs: _,
            targets,
            duration,
            condition,
            span,
        } = self;
        targets.shift(by);
        if let Some((_, s)) = duration {
            s.shift(by);
        }
        if let Some((_, v, s)) = condition {
            v.shift(by);
            s.shift(by);
        }
        span.shift(by);
    }
}

impl Shift for Jury {
    fn shift(&mut self, by: isize) {
        let Jury {
            docs: _,
            required: _,
            targets,
            span,
        } = self;
        targets.shift(by);
        span.shift(by);
    }
}

impl Shift for Grade {
    fn shift(&mut self, by: isize) {
        let Grade {
            criterion,
            value,
            span,
        } = self;
        criterion.shift(by);
        value.shift(by);
        span.shift(by);
    }
}

impl Shift for Expectation {
    fn shift(&mut self, by: isize) {
        let Expectation {
            target,
            outcome,
            span,
        } = self;
        target.shift(by);
        outcome.shift(by);
        span.shift(by);
    }
}

impl Shift for Expr {
    fn shift(&mut self, by: isize) {
        let Expr { kind, span } = self;
        kind.shift(by);
        span.shift(by);
    }
}

impl Shift for ExprKind {
    fn shift(&mut self, by: isize) {
        match self {
            ExprKind::And(parts) | ExprKind::Or(parts) => parts.shift(by),
            ExprKind::Not(inner) => inner.shift(by),
            ExprKind::Quantified {
                quantifier,
                set,
                predicate,
            } => {
                quantifier.shift(by);
                set.shift(by);
                predicate.shift(by);
            }
            ExprKind::Counted {
                at_least,
                size,
                set,
                predicate,
            } => {
                at_least.shift(by);
                size.shift(by);
                set.shift(by);
                predicate.shift(by);
            }
            ExprKind::Member { target, predicate } => {
                target.shift(by);
                predicate.shift(by);
            }
            ExprKind::Call { name, args } => {
                name.shift(by);
                args.shift(by);
            }
            ExprKind::Compare { lhs, op: _, rhs } => {
                lhs.shift(by);
                rhs.shift(by);
            }
        }
    }
}

impl Shift for Quantifier {
    fn shift(&mut self, by: isize) {
        match self {
            Quantifier::All | Quantifier::Any | Quantifier::None => {}
            Quantifier::AtLeast(n) | Quantifier::AtMost(n) => n.shift(by),
        }
    }
}

impl Shift for Count {
    fn shift(&mut self, by: isize) {
        match self {
            Count::Literal(_, span) => span.shift(by),
            Count::Param(param) => param.shift(by),
        }
    }
}

impl Shift for Predicate {
    fn shift(&mut self, by: isize) {
        match self {
            Predicate::Acquired(span) | Predicate::Validated(span) => span.shift(by),
            Predicate::Compare(_, value, span) => {
                value.shift(by);
                span.shift(by);
            }
        }
    }
}

impl Shift for Value {
    fn shift(&mut self, by: isize) {
        match self {
            Value::Number(_, span) => span.shift(by),
            Value::Name(name) => name.shift(by),
        }
    }
}

impl Shift for SetExpr {
    fn shift(&mut self, by: isize) {
        let SetExpr { base, except, span } = self;
        base.shift(by);
        except.shift(by);
        span.shift(by);
    }
}

impl Shift for SetBase {
    fn shift(&mut self, by: isize) {
        match self {
            SetBase::Criteria | SetBase::Competencies | SetBase::Blocks | SetBase::Parts => {}
            SetBase::Explicit(members) => members.shift(by),
        }
    }
}

impl Shift for NumExpr {
    fn shift(&mut self, by: isize) {
        match self {
            NumExpr::Number(_, span) => span.shift(by),
            NumExpr::Param(param) => param.shift(by),
            NumExpr::Aggregate {
                function: _,
                set,
                predicate,
                span,
            } => {
                set.shift(by);
                predicate.shift(by);
                span.shift(by);
            }
            NumExpr::Binary {
                op: _,
                lhs,
                rhs,
                span,
            } => {
                lhs.shift(by);
                rhs.shift(by);
                span.shift(by);
            }
            NumExpr::Extremum {
                function: _,
                args,
                span,
            } => {
                args.shift(by);
                span.shift(by);
            }
            NumExpr::Round {
                function: _,
                arg,
                decimals,
                span,
            } => {
                arg.shift(by);
                decimals.shift(by);
                span.shift(by);
            }
        }
    }
}
