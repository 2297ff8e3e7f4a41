//! Rule expressions: `validated when`, boolean operators, quantified and
//! counted sets, member tests, calls, comparisons and arithmetic.

use acquis_diagnostics::Code;

use super::{Lowerer, Rule, P};
use crate::ast::*;

/// The deepest rule tree read: nodes from the root to the deepest leaf,
/// where each operator of a chain (`a + b + c`, `not not x`) is a level,
/// as in the tree the rule becomes. Every later walk of a rule (the
/// compiler's lowering, the IR's semantics, descriptions and printing,
/// eval's plan, serde) recurses over that tree: the bound keeps them all
/// within a thread's stack. `acquis_ir::MAX_RULE_DEPTH` is the same bound
/// for IR files.
pub const MAX_RULE_DEPTH: usize = 100;

impl Lowerer<'_> {
    pub(super) fn validated_when(&mut self, pair: P<'_>) -> RuleDecl {
        let span = self.span_of(&pair);
        let expr = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::expr)
            .map(|p| self.rule_expr(p))
            .unwrap_or_else(|| Expr::missing(span));
        RuleDecl { expr, span }
    }

    /// A whole rule: one too deep is the placeholder as a whole, not a
    /// tree with a hole that later checks would call always false.
    pub(super) fn rule_expr(&mut self, pair: P<'_>) -> Expr {
        let span = self.span_of(&pair);
        let before = self.errors.len();
        let expr = self.expr(pair);
        let refused = self
            .errors
            .get(before..)
            .is_some_and(|new| new.iter().any(|e| e.code == Code::TooDeep));
        if refused {
            Expr::missing(span)
        } else {
            expr
        }
    }

    /// Enters `levels` levels of the rule tree below the current node:
    /// `false` (and the rule's one [`acquis_diagnostics::Code::TooDeep`]
    /// error) when its leaves would be deeper than [`MAX_RULE_DEPTH`].
    fn enter(&mut self, levels: usize, span: Span) -> bool {
        // The node itself, the levels below it, and a leaf.
        if self.depth + levels < MAX_RULE_DEPTH {
            self.depth += levels;
            return true;
        }
        if !self.too_deep {
            self.too_deep = true;
            self.too_deep(
                span,
                acquis_diagnostics::text!(
                    "this rule is nested too deeply: more than {max} levels, counting each operator of a chain such as `a + b + c` or `not not x` as one",
                    max = MAX_RULE_DEPTH
                ),
            );
        }
        false
    }

    fn leave(&mut self, levels: usize) {
        self.depth = self.depth.saturating_sub(levels);
        if self.depth == 0 {
            self.too_deep = false;
        }
    }

    pub(super) fn expr(&mut self, pair: P<'_>) -> Expr {
        let span = self.span_of(&pair);
        match pair.as_rule() {
            Rule::expr => match pair.into_inner().next() {
                Some(p) => self.expr(p),
                None => Expr::missing(span),
            },
            Rule::or_expr | Rule::and_expr => {
                let is_or = pair.as_rule() == Rule::or_expr;
                let operands = pair
                    .clone()
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::k_or | Rule::k_and));
                // `a and b` is one node over its operands; `a` alone is `a`.
                let levels = usize::from(operands.count() > 1);
                if !self.enter(levels, span) {
                    return Expr::missing(span);
                }
                let mut parts: Vec<Expr> = pair
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::k_or | Rule::k_and))
                    .map(|p| self.expr(p))
                    .collect();
                self.leave(levels);
                if parts.len() == 1 {
                    return parts.pop().unwrap_or_else(|| Expr::missing(span));
                }
                let kind = if is_or {
                    ExprKind::Or(parts)
                } else {
                    ExprKind::And(parts)
                };
                Expr { kind, span }
            }
            Rule::not_expr => {
                // `not not … x`: the grammar reads the `not`s as a
                // repetition; the tree nests one `Not` per `not`.
                let mut nots = Vec::new();
                let mut operand = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::k_not => nots.push(self.span_of(&p).start),
                        _ => operand = Some(p),
                    }
                }
                if !self.enter(nots.len(), span) {
                    return Expr::missing(span);
                }
                let mut expr = match operand {
                    Some(e) => self.expr(e),
                    None => Expr::missing(span),
                };
                self.leave(nots.len());
                for start in nots.into_iter().rev() {
                    expr = Expr {
                        span: Span::new(start, span.end.max(expr.span.end)),
                        kind: ExprKind::Not(Box::new(expr)),
                    };
                }
                expr
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
                    _ => Expr::missing(span),
                }
            }
            Rule::call => {
                let mut name = Ident::missing(span);
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
                if !self.enter(1, span) {
                    return Expr::missing(span);
                }
                let mut inner = pair.into_inner();
                let expr = match (inner.next(), inner.next(), inner.next()) {
                    (Some(l), Some(op), Some(r)) => Expr {
                        kind: ExprKind::Compare {
                            lhs: self.num_expr(l),
                            op: cmp_op(op.as_str()),
                            rhs: self.num_expr(r),
                        },
                        span,
                    },
                    _ => Expr::missing(span),
                };
                self.leave(1);
                expr
            }
            _ => Expr::missing(span),
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
                                    .unwrap_or_else(|| Count::missing(span));
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
                set: set.unwrap_or_else(|| SetExpr::missing(span)),
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
        let at_least = counts.next().unwrap_or_else(|| Count::missing(span));
        let size = counts.next().unwrap_or_else(|| Count::missing(span));
        Expr {
            kind: ExprKind::Counted {
                at_least,
                size,
                set: set.unwrap_or_else(|| SetExpr::missing(span)),
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
                    None => Value::missing(span),
                };
                Predicate::Compare(op, value, span)
            }
            None => Predicate::missing(span),
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
                Rule::s_parts => base = SetBase::Parts,
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
                // `a + b + c` nests to the left, one level per operator.
                let operators = pair.clone().into_inner().count() / 2;
                if !self.enter(operators, span) {
                    return NumExpr::missing(span);
                }
                let acc = self.chain(pair, span);
                self.leave(operators);
                acc
            }
            Rule::number => {
                let (n, s) = self.number(&pair);
                NumExpr::Number(n, s)
            }
            Rule::param_ref => match pair.into_inner().next() {
                Some(i) => NumExpr::Param(self.ident(i)),
                None => NumExpr::missing(span),
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
                    set: set.unwrap_or_else(|| SetExpr::missing(span)),
                    predicate,
                    span,
                }
            }
            Rule::rounding | Rule::extremum => {
                // A call over numbers is one level above its arguments.
                if !self.enter(1, span) {
                    return NumExpr::missing(span);
                }
                let call = self.numeric_call(pair, span);
                self.leave(1);
                call
            }
            _ => NumExpr::missing(span),
        }
    }

    /// `round(x, n)`, `floor`, `ceil`, `max(x, y)`, `min(x, y)`.
    fn numeric_call(&mut self, pair: P<'_>, span: Span) -> NumExpr {
        match pair.as_rule() {
            Rule::rounding => {
                let mut function = RoundFn::Round;
                let mut arg = None;
                let mut decimals = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::round_fn => {
                            function = match p.into_inner().next().map(|q| q.as_rule()) {
                                Some(Rule::r_floor) => RoundFn::Floor,
                                Some(Rule::r_ceil) => RoundFn::Ceil,
                                _ => RoundFn::Round,
                            }
                        }
                        Rule::num_expr => arg = Some(self.num_expr(p)),
                        Rule::decimals => {
                            decimals = p.into_inner().next().map(|v| self.value(v));
                        }
                        _ => {}
                    }
                }
                NumExpr::Round {
                    function,
                    arg: Box::new(arg.unwrap_or_else(|| NumExpr::missing(span))),
                    decimals,
                    span,
                }
            }
            Rule::extremum => {
                let mut function = ExtremumFn::Max;
                let mut args = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::extremum_fn => {
                            function = match p.into_inner().next().map(|q| q.as_rule()) {
                                Some(Rule::agg_min) => ExtremumFn::Min,
                                _ => ExtremumFn::Max,
                            }
                        }
                        Rule::num_expr => args.push(self.num_expr(p)),
                        _ => {}
                    }
                }
                NumExpr::Extremum {
                    function,
                    args,
                    span,
                }
            }
            _ => NumExpr::missing(span),
        }
    }
}

impl Lowerer<'_> {
    /// The operands of a `num_expr` or `num_term`, folded to the left.
    fn chain(&mut self, pair: P<'_>, span: Span) -> NumExpr {
        let mut inner = pair.into_inner();
        let mut acc = match inner.next() {
            Some(p) => self.num_expr(p),
            None => return NumExpr::missing(span),
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
}

fn cmp_op(text: &str) -> CmpOp {
    // The grammar only matches the six operators.
    CmpOp::from_symbol(text).unwrap_or(CmpOp::Eq)
}
