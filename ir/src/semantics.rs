//! Three-valued (Kleene) evaluation of rule trees, with interval arithmetic
//! for marks. An unknown grade is the whole interval of its scale, so a
//! rule is `Unknown` exactly when the missing grades could still change it.
//!
//! The compiler evaluates every rule with every member unknown: a rule that
//! is decided anyway is always true or always false (A0406).

use crate::{AggregateFn, ArithOp, CmpOp, Exact, ExprIr, NumIr, RoundMode, TestIr, ValueIr};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// Kleene negation: unknown stays unknown.
impl std::ops::Not for Truth {
    type Output = Truth;

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// One end of an interval: a number, or no bound on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bound {
    NegInf,
    Finite(Exact),
    PosInf,
}

impl Bound {
    /// The number, when the bound is one.
    pub fn finite(self) -> Option<Exact> {
        match self {
            Bound::Finite(x) => Some(x),
            Bound::NegInf | Bound::PosInf => None,
        }
    }
}

/// A closed interval of possible values, exact: every mark, weight and
/// threshold is an [`Exact`] rational, so a candidate exactly at a pass
/// mark is at it, never a rounding error below. A bound is infinite where
/// nothing bounds a value (a division by an interval holding 0, or a
/// computation too large to be exact: both only widen the interval, so the
/// answer is `Unknown`, never wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub lo: Bound,
    pub hi: Bound,
}

impl Interval {
    pub fn point(v: Exact) -> Self {
        Interval {
            lo: Bound::Finite(v),
            hi: Bound::Finite(v),
        }
    }

    pub fn between(lo: Exact, hi: Exact) -> Self {
        Interval {
            lo: Bound::Finite(lo),
            hi: Bound::Finite(hi),
        }
    }

    pub fn any() -> Self {
        Interval {
            lo: Bound::NegInf,
            hi: Bound::PosInf,
        }
    }

    /// The one value, when the interval is a point.
    pub fn value(self) -> Option<Exact> {
        match (self.lo, self.hi) {
            (Bound::Finite(a), Bound::Finite(b)) if a == b => Some(a),
            _ => None,
        }
    }
}

/// What evaluation knows about the members of rules.
pub trait Facts {
    /// The member's own outcome: acquired (criteria) or validated.
    fn outcome(&self, id: &str) -> Truth;
    /// The criterion's grade as an interval: a mark, or a level's rank.
    fn grade(&self, id: &str) -> Interval;
    /// A threshold in the criterion's terms: a mark, or a level's rank.
    fn threshold(&self, id: &str, value: &ValueIr) -> Exact;
    fn weight(&self, id: &str) -> Exact;
}

pub fn eval(expr: &ExprIr, facts: &dyn Facts) -> Truth {
    match expr {
        ExprIr::And { args } => and(args.iter().map(|a| eval(a, facts))),
        ExprIr::Or { args } => or(args.iter().map(|a| eval(a, facts))),
        ExprIr::Not { arg } => !eval(arg, facts),
        ExprIr::All { set, test } => quantify(Quantifier::All, set.len(), tally(set, test, facts)),
        ExprIr::Any { set, test } => quantify(Quantifier::Any, set.len(), tally(set, test, facts)),
        ExprIr::None { set, test } => {
            quantify(Quantifier::None, set.len(), tally(set, test, facts))
        }
        ExprIr::AtLeast { n, set, test } => quantify(
            Quantifier::AtLeast(*n as usize),
            set.len(),
            tally(set, test, facts),
        ),
        ExprIr::AtMost { n, set, test } => quantify(
            Quantifier::AtMost(*n as usize),
            set.len(),
            tally(set, test, facts),
        ),
        ExprIr::Member { id, test } => member(id, test, facts),
        ExprIr::Compare { lhs, cmp, rhs } => compare(num(lhs, facts), *cmp, num(rhs, facts)),
        ExprIr::Const { value } => {
            if *value {
                Truth::True
            } else {
                Truth::False
            }
        }
    }
}

/// Kleene conjunction, stopping at the first `False` (the truths are
/// computed lazily).
pub fn and(truths: impl Iterator<Item = Truth>) -> Truth {
    let mut result = Truth::True;
    for truth in truths {
        match truth {
            Truth::False => return Truth::False,
            Truth::Unknown => result = Truth::Unknown,
            Truth::True => {}
        }
    }
    result
}

/// Kleene disjunction, stopping at the first `True`.
pub fn or(truths: impl Iterator<Item = Truth>) -> Truth {
    let mut result = Truth::False;
    for truth in truths {
        match truth {
            Truth::True => return Truth::True,
            Truth::Unknown => result = Truth::Unknown,
            Truth::False => {}
        }
    }
    result
}

/// How many members of a set must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    All,
    Any,
    None,
    AtLeast(usize),
    AtMost(usize),
}

/// The truth of a quantifier over a set of `size` members of which
/// `passed` surely pass and `unknown` may still pass or fail: the one
/// definition of `all`, `any`, `none`, `at least` and `at most`, for the
/// compiler's checks and the runtime alike.
pub fn quantify(quantifier: Quantifier, size: usize, (passed, unknown): (usize, usize)) -> Truth {
    let (t, u) = (passed, unknown);
    match quantifier {
        Quantifier::All => decide(t == size, t + u < size),
        Quantifier::Any => decide(t > 0, t + u == 0),
        Quantifier::None => decide(t + u == 0, t > 0),
        Quantifier::AtLeast(k) => decide(t >= k, t + u < k),
        Quantifier::AtMost(k) => decide(t + u <= k, t > k),
    }
}

/// The interval of `count`: between the members that surely pass and
/// those that may.
pub fn count(passed: usize, unknown: usize) -> Interval {
    Interval::between(size(passed), size(passed + unknown))
}

/// A number of members as an exact number.
pub fn size(n: usize) -> Exact {
    Exact::integer(i128::try_from(n).unwrap_or(i128::MAX))
}

/// `True` if surely true, `False` if surely false, else `Unknown`.
pub fn decide(surely_true: bool, surely_false: bool) -> Truth {
    if surely_true {
        Truth::True
    } else if surely_false {
        Truth::False
    } else {
        Truth::Unknown
    }
}

/// (members that pass, members still unknown)
pub fn tally(set: &[String], test: &TestIr, facts: &dyn Facts) -> (usize, usize) {
    set.iter()
        .fold((0, 0), |(t, u), id| match member(id, test, facts) {
            Truth::True => (t + 1, u),
            Truth::Unknown => (t, u + 1),
            Truth::False => (t, u),
        })
}

pub fn member(id: &str, test: &TestIr, facts: &dyn Facts) -> Truth {
    match test {
        TestIr::Outcome => facts.outcome(id),
        TestIr::Compare { cmp, value } => compare(
            facts.grade(id),
            *cmp,
            Interval::point(facts.threshold(id, value)),
        ),
    }
}

pub fn compare(l: Interval, cmp: CmpOp, r: Interval) -> Truth {
    match cmp {
        CmpOp::Ge => decide(l.lo >= r.hi, l.hi < r.lo),
        CmpOp::Gt => decide(l.lo > r.hi, l.hi <= r.lo),
        CmpOp::Le => decide(l.hi <= r.lo, l.lo > r.hi),
        CmpOp::Lt => decide(l.hi < r.lo, l.lo >= r.hi),
        CmpOp::Eq => decide(
            l.value().is_some() && l.value() == r.value(),
            l.hi < r.lo || r.hi < l.lo,
        ),
        CmpOp::Ne => !compare(l, CmpOp::Eq, r),
    }
}

pub fn num(expr: &NumIr, facts: &dyn Facts) -> Interval {
    match expr {
        NumIr::Number { value } => literal(*value),
        NumIr::Aggregate {
            function,
            set,
            test,
        } => aggregate(*function, set, test.as_ref(), facts),
        NumIr::Arith { op, lhs, rhs } => arith(*op, num(lhs, facts), num(rhs, facts)),
        NumIr::Round {
            mode,
            decimals,
            arg,
        } => round(*mode, *decimals, num(arg, facts)),
        NumIr::Max { args } => {
            let [a, b] = &**args;
            max(num(a, facts), num(b, facts))
        }
        NumIr::Min { args } => {
            let [a, b] = &**args;
            min(num(a, facts), num(b, facts))
        }
    }
}

/// An exact number rounded to `decimals` decimals as `mode` says
/// (`round`: a half away from zero; `floor`: toward −∞; `ceil`: toward
/// +∞). The one definition for the compiler's checks and the runtime.
pub fn round_exact(mode: RoundMode, decimals: u32, x: Exact) -> Result<Exact, crate::Overflow> {
    match mode {
        RoundMode::Nearest => x.round(decimals),
        RoundMode::Down => x.floor(decimals),
        RoundMode::Up => x.ceil(decimals),
    }
}

/// The interval of `round`, `floor` or `ceil`: rounding never decreases
/// with its argument, so it is [f(lo), f(hi)], exactly the least and the
/// greatest rounded value (an infinite bound stays infinite; a bound too
/// large to round exactly becomes one).
pub fn round(mode: RoundMode, decimals: u32, x: Interval) -> Interval {
    let bound = |b: Bound, toward: Bound| match b {
        Bound::Finite(v) => round_exact(mode, decimals, v).map_or(toward, Bound::Finite),
        Bound::NegInf | Bound::PosInf => b,
    };
    Interval {
        lo: bound(x.lo, Bound::NegInf),
        hi: bound(x.hi, Bound::PosInf),
    }
}

/// The interval of `max(a, b)`: non-decreasing in both.
pub fn max(a: Interval, b: Interval) -> Interval {
    Interval {
        lo: a.lo.max(b.lo),
        hi: a.hi.max(b.hi),
    }
}

/// The interval of `min(a, b)`: non-decreasing in both.
pub fn min(a: Interval, b: Interval) -> Interval {
    Interval {
        lo: a.lo.min(b.lo),
        hi: a.hi.min(b.hi),
    }
}

fn aggregate(
    function: AggregateFn,
    set: &[String],
    test: Option<&TestIr>,
    facts: &dyn Facts,
) -> Interval {
    match function {
        AggregateFn::Count => {
            let (t, u) = tally(set, test.unwrap_or(&TestIr::Outcome), facts);
            count(t, u)
        }
        AggregateFn::Size => Interval::point(size(set.len())),
        AggregateFn::Average
        | AggregateFn::WeightedAverage
        | AggregateFn::Min
        | AggregateFn::Max
        | AggregateFn::Sum => {
            let weighted = function == AggregateFn::WeightedAverage;
            let marks = set.iter().map(|id| {
                let weight = if weighted {
                    facts.weight(id)
                } else {
                    Exact::ONE
                };
                (facts.grade(id), weight)
            });
            fold_marks(function, marks)
        }
    }
}

/// A number of the IR, exactly the decimal it was written as (`0.1` is
/// 1/10).
pub fn literal(value: crate::Decimal) -> Interval {
    Interval::point(value.exact())
}

fn add(a: Bound, b: Bound, toward: Bound) -> Bound {
    match (a, b) {
        (Bound::Finite(x), Bound::Finite(y)) => x.checked_add(y).map_or(toward, Bound::Finite),
        (Bound::NegInf, _) | (_, Bound::NegInf) => Bound::NegInf,
        (Bound::PosInf, _) | (_, Bound::PosInf) => Bound::PosInf,
    }
}

fn neg(a: Bound) -> Bound {
    match a {
        Bound::NegInf => Bound::PosInf,
        Bound::PosInf => Bound::NegInf,
        Bound::Finite(x) => x.checked_neg().map_or(Bound::PosInf, Bound::Finite),
    }
}

/// Interval of `sum`, `min`, `max`, `average` or `weighted average` of
/// marks given as (interval, weight); shared with the compiled evaluator.
/// `count` and `size` do not read marks: they are the interval of no mark.
/// Exact: an average is computed as a fraction, never rounded.
pub fn fold_marks(
    function: AggregateFn,
    marks: impl Iterator<Item = (Interval, Exact)>,
) -> Interval {
    match function {
        AggregateFn::Sum => marks.fold(Interval::point(Exact::ZERO), |acc, (g, _)| Interval {
            lo: add(acc.lo, g.lo, Bound::NegInf),
            hi: add(acc.hi, g.hi, Bound::PosInf),
        }),
        AggregateFn::Min => marks
            .map(|(g, _)| g)
            .reduce(|a, g| Interval {
                lo: a.lo.min(g.lo),
                hi: a.hi.min(g.hi),
            })
            .unwrap_or_else(Interval::any),
        AggregateFn::Max => marks
            .map(|(g, _)| g)
            .reduce(|a, g| Interval {
                lo: a.lo.max(g.lo),
                hi: a.hi.max(g.hi),
            })
            .unwrap_or_else(Interval::any),
        AggregateFn::Count | AggregateFn::Size => Interval::any(),
        AggregateFn::Average | AggregateFn::WeightedAverage => {
            // Σ w·lo / Σ w and Σ w·hi / Σ w, weights positive.
            let mut total = Exact::ZERO;
            let mut lo = Bound::Finite(Exact::ZERO);
            let mut hi = Bound::Finite(Exact::ZERO);
            for (g, w) in marks {
                let Ok(t) = total.checked_add(w) else {
                    return Interval::any();
                };
                total = t;
                let weighted = arith(ArithOp::Mul, g, Interval::point(w));
                lo = add(lo, weighted.lo, Bound::NegInf);
                hi = add(hi, weighted.hi, Bound::PosInf);
            }
            if total <= Exact::ZERO {
                return Interval::any();
            }
            arith(ArithOp::Div, Interval { lo, hi }, Interval::point(total))
        }
    }
}

/// Exact interval arithmetic; a division by an interval holding 0 is
/// unbounded, and so is a product or quotient with an infinite bound or
/// too large to be exact (the interval only widens: never a wrong answer).
pub fn arith(op: ArithOp, a: Interval, b: Interval) -> Interval {
    match op {
        ArithOp::Add => Interval {
            lo: add(a.lo, b.lo, Bound::NegInf),
            hi: add(a.hi, b.hi, Bound::PosInf),
        },
        ArithOp::Sub => Interval {
            lo: add(a.lo, neg(b.hi), Bound::NegInf),
            hi: add(a.hi, neg(b.lo), Bound::PosInf),
        },
        ArithOp::Mul | ArithOp::Div => {
            let (Some(al), Some(ah), Some(bl), Some(bh)) =
                (a.lo.finite(), a.hi.finite(), b.lo.finite(), b.hi.finite())
            else {
                return Interval::any();
            };
            let corners = if op == ArithOp::Mul {
                [
                    al.checked_mul(bl),
                    al.checked_mul(bh),
                    ah.checked_mul(bl),
                    ah.checked_mul(bh),
                ]
            } else {
                if bl <= Exact::ZERO && bh >= Exact::ZERO {
                    return Interval::any();
                }
                [
                    al.checked_div(bl),
                    al.checked_div(bh),
                    ah.checked_div(bl),
                    ah.checked_div(bh),
                ]
            };
            let mut lo: Option<Exact> = None;
            let mut hi: Option<Exact> = None;
            for corner in corners {
                let Ok(c) = corner else {
                    return Interval::any();
                };
                lo = Some(lo.map_or(c, |l| l.min(c)));
                hi = Some(hi.map_or(c, |h| h.max(c)));
            }
            match (lo, hi) {
                (Some(lo), Some(hi)) => Interval::between(lo, hi),
                _ => Interval::any(),
            }
        }
    }
}

/// The first part of `num` (innermost first) whose value leaves the range
/// of exact numbers although every number it reads is finite: with each
/// grade anywhere on its scale (`facts`), a sum, product, quotient,
/// average or rounding too large for `i128` fractions. `None` when every
/// part stays exact. A quotient by a divisor that may be 0 is not an
/// overflow (its bounds are infinite by nature), so it is not reported.
/// Interval bounds contain every value the part can take, so a rule
/// without such a part never overflows at evaluation.
pub fn overflow<'a>(num: &'a NumIr, facts: &dyn Facts) -> Option<&'a NumIr> {
    let finite = |i: Interval| i.lo.finite().is_some() && i.hi.finite().is_some();
    match num {
        NumIr::Number { .. } => None,
        NumIr::Aggregate { .. } => (!finite(self::num(num, facts))).then_some(num),
        NumIr::Round { arg, .. } => overflow(arg, facts).or_else(|| {
            (finite(self::num(arg, facts)) && !finite(self::num(num, facts))).then_some(num)
        }),
        NumIr::Max { args } | NumIr::Min { args } => {
            let [a, b] = &**args;
            overflow(a, facts).or_else(|| overflow(b, facts))
        }
        NumIr::Arith { op, lhs, rhs } => overflow(lhs, facts)
            .or_else(|| overflow(rhs, facts))
            .or_else(|| {
                let (a, b) = (self::num(lhs, facts), self::num(rhs, facts));
                let zero_divisor = *op == ArithOp::Div
                    && b.lo.finite().is_some_and(|l| l <= Exact::ZERO)
                    && b.hi.finite().is_some_and(|h| h >= Exact::ZERO);
                (finite(a) && finite(b) && !zero_divisor && !finite(self::num(num, facts)))
                    .then_some(num)
            }),
    }
}

/// The first divisor of `num` (innermost first) that can be 0 with each
/// grade anywhere on its scale (`facts`): its interval contains 0. The
/// quotient then has no value (its bounds are infinite), and a candidate
/// whose divisor is 0 stays pending. The compiler warns of it (A0414).
pub fn zero_divisor<'a>(num: &'a NumIr, facts: &dyn Facts) -> Option<&'a NumIr> {
    match num {
        NumIr::Number { .. } | NumIr::Aggregate { .. } => None,
        NumIr::Round { arg, .. } => zero_divisor(arg, facts),
        NumIr::Max { args } | NumIr::Min { args } => {
            let [a, b] = &**args;
            zero_divisor(a, facts).or_else(|| zero_divisor(b, facts))
        }
        NumIr::Arith { op, lhs, rhs } => zero_divisor(lhs, facts)
            .or_else(|| zero_divisor(rhs, facts))
            .or_else(|| {
                let b = self::num(rhs, facts);
                let low = b.lo.finite().is_none_or(|l| l <= Exact::ZERO);
                let high = b.hi.finite().is_none_or(|h| h >= Exact::ZERO);
                (*op == ArithOp::Div && low && high).then_some(&**rhs)
            }),
    }
}

/// The most evaluations the runtime spends to decide one pending entity
/// exactly by trying every value of the grades [`case_splits`] names; the
/// compiler warns (A0411) where that may not suffice.
pub const MAX_CASES: usize = 4096;

/// How a rule's truth moves when a criterion's grade rises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    /// Never falls (a higher grade never turns true into false).
    Up,
    /// Never rises.
    Down,
    /// Either way (`=`, `!=`, a product or quotient of unknown sign).
    Both,
}

impl Polarity {
    fn flip(self) -> Polarity {
        match self {
            Polarity::Up => Polarity::Down,
            Polarity::Down => Polarity::Up,
            Polarity::Both => Polarity::Both,
        }
    }
}

/// Where and how a criterion (or an entity's outcome) is read by a rule,
/// its entities expanded.
#[derive(Debug, Default, Clone)]
struct Reads<'a> {
    count: u32,
    up: bool,
    down: bool,
    /// Read in a divisor (a quotient of unknown sign, or a division by 0)
    /// or in a computed number under `=` or `!=`: its bounds do not decide,
    /// it must be tried whatever else reads it.
    divisor: bool,
    /// An entity's outcome, not a criterion's grade.
    entity: bool,
    /// The entities every read of it goes through (`None` before the
    /// first read).
    via: Option<Vec<&'a str>>,
    /// The entities some read of it goes through.
    touched: Vec<&'a str>,
}

/// What the runtime tries every value of, for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split<'a> {
    /// A criterion's grade: each value of its scale.
    Criterion(&'a str),
    /// A competency's or block's outcome, read in both directions while
    /// its criteria are read nowhere else: validated, then not (its own
    /// outcome is exact, and nothing else depends on its grades).
    Entity(&'a str),
}

impl<'a> Split<'a> {
    pub fn id(self) -> &'a str {
        match self {
            Split::Criterion(id) | Split::Entity(id) => id,
        }
    }
}

/// The criteria of a rule whose unknown grades Kleene evaluation over
/// intervals cannot decide exactly, the rule's entity outcomes expanded down
/// to criteria (`rule_of` gives the rule of a competency or block, `None`
/// for a criterion).
///
/// Three-valued evaluation over intervals is exact (`Unknown` only when two
/// completions of the missing grades disagree) when every missing grade is
/// read either once, or only in one direction (raising it can only help,
/// or only hurt, everywhere it is read): the extreme completions then reach
/// the bounds every sub-rule computes. A criterion read twice in opposite
/// directions (`(F >= 1 and A >= 10) or (F < 1 and A >= 10)`), or twice
/// under `=`, `!=`, a product of unknown sign, or in a divisor, breaks that;
/// those are returned, in order of first reading, with every grade a sum,
/// an average, a minimum or a maximum under `=` or `!=` reads (a computed
/// number skips values between its bounds), and the runtime decides
/// such rules by trying each of their values (case splits).
pub fn case_splits<'a>(
    expr: &'a ExprIr,
    rule_of: &dyn Fn(&str) -> Option<&'a ExprIr>,
) -> Vec<Split<'a>> {
    let mut set = ReadSet::default();
    let mut visiting: Vec<&'a str> = Vec::new();
    walk(expr, Polarity::Up, rule_of, &mut set, &mut visiting);
    let reads = set.list;
    let conflicting = |r: &Reads<'_>| r.divisor || (r.count > 1 && r.up && r.down);
    // An entity is "alone" when its grades are read only through it: every
    // read that passes through it somewhere always does. Its own outcome is
    // exact (decided by its own rule, split if need be) and independent of
    // everything else the rule reads, so the rule may read it like a grade:
    // what conflicts inside it is resolved there, and the entity itself
    // needs trying (validated, then not) only when the rule reads it in
    // both directions.
    // Who touches each entity, so that each entity is checked against
    // those reads only (checking every read for every entity was
    // quadratic: a certification over 1,000 blocks reads 61,000 ids).
    let mut touching: HashMap<&'a str, Vec<usize>> = HashMap::new();
    for (i, (_, r)) in reads.iter().enumerate() {
        for e in &r.touched {
            touching.entry(*e).or_default().push(i);
        }
    }
    let alone: HashSet<&'a str> = reads
        .iter()
        .filter(|(_, r)| r.entity)
        .map(|(id, _)| *id)
        .filter(|id| {
            touching.get(id).is_none_or(|by| {
                by.iter()
                    .filter_map(|&i| reads.get(i))
                    .all(|(x, s)| x == id || s.always_through(id))
            })
        })
        .collect();
    let resolved = |id: &str, r: &Reads<'_>| {
        r.via
            .as_ref()
            .is_some_and(|via| via.iter().any(|e| *e != id && alone.contains(e)))
    };
    reads
        .iter()
        .filter(|(id, r)| conflicting(r) && !resolved(id, r))
        .filter_map(|(id, r)| match (r.entity, alone.contains(id)) {
            (false, _) => Some(Split::Criterion(id)),
            (true, true) => Some(Split::Entity(id)),
            // Not alone: its grades are read elsewhere too, and conflict
            // there as criteria.
            (true, false) => None,
        })
        .collect()
}

impl Reads<'_> {
    /// Every read goes through entity `e`.
    fn always_through(&self, e: &str) -> bool {
        self.via.as_ref().is_some_and(|v| v.contains(&e))
    }
}

/// What a rule reads, in order of first reading, with an index by id (a
/// competency may hold thousands of criteria: a search of the list for
/// each would be quadratic).
#[derive(Default)]
struct ReadSet<'a> {
    list: Vec<(&'a str, Reads<'a>)>,
    index: HashMap<&'a str, usize>,
}

fn record<'a>(
    reads: &mut ReadSet<'a>,
    id: &'a str,
    polarity: Polarity,
    divisor: bool,
    entity: bool,
    visiting: &[&'a str],
) {
    let next = reads.list.len();
    let index = *reads.index.entry(id).or_insert(next);
    if index == next {
        reads.list.push((id, Reads::default()));
    }
    if let Some((_, r)) = reads.list.get_mut(index) {
        r.count += 1;
        r.divisor |= divisor;
        r.entity |= entity;
        match polarity {
            Polarity::Up => r.up = true,
            Polarity::Down => r.down = true,
            Polarity::Both => {
                r.up = true;
                r.down = true;
            }
        }
        r.via = Some(match r.via.take() {
            None => visiting.to_vec(),
            Some(v) => v.into_iter().filter(|e| visiting.contains(e)).collect(),
        });
        for e in visiting {
            if !r.touched.contains(e) {
                r.touched.push(e);
            }
        }
    }
}

fn walk<'a>(
    expr: &'a ExprIr,
    polarity: Polarity,
    rule_of: &dyn Fn(&str) -> Option<&'a ExprIr>,
    reads: &mut ReadSet<'a>,
    visiting: &mut Vec<&'a str>,
) {
    match expr {
        ExprIr::And { args } | ExprIr::Or { args } => {
            for a in args {
                walk(a, polarity, rule_of, reads, visiting);
            }
        }
        ExprIr::Not { arg } => walk(arg, polarity.flip(), rule_of, reads, visiting),
        ExprIr::All { set, test }
        | ExprIr::Any { set, test }
        | ExprIr::AtLeast { set, test, .. } => {
            for id in set {
                walk_test(id, test, polarity, rule_of, reads, visiting);
            }
        }
        ExprIr::None { set, test } | ExprIr::AtMost { set, test, .. } => {
            for id in set {
                walk_test(id, test, polarity.flip(), rule_of, reads, visiting);
            }
        }
        ExprIr::Member { id, test } => walk_test(id, test, polarity, rule_of, reads, visiting),
        ExprIr::Compare { lhs, cmp, rhs } => {
            let (l, r) = match cmp {
                CmpOp::Ge | CmpOp::Gt => (polarity, polarity.flip()),
                CmpOp::Le | CmpOp::Lt => (polarity.flip(), polarity),
                CmpOp::Eq | CmpOp::Ne => (Polarity::Both, Polarity::Both),
            };
            walk_num(lhs, l, false, rule_of, reads, visiting);
            walk_num(rhs, r, false, rule_of, reads, visiting);
            if matches!(cmp, CmpOp::Eq | CmpOp::Ne) {
                // A computed number does not take every value between its
                // bounds (`sum({A, F}) = 0.75` on half-point marks, an
                // average of two marks, a rounding): its bounds cannot say
                // whether `=` can hold, so its marks are tried.
                discrete(lhs, reads, visiting);
                discrete(rhs, reads, visiting);
            }
        }
        ExprIr::Const { .. } => {}
    }
}

/// Marks every grade a computed number reads through a sum, an average,
/// a minimum or a maximum as one to try (recorded like a divisor: a
/// conflict whatever else reads it). Counts and sizes take every integer
/// between their bounds, so a count under `=` stays exact without trying.
fn discrete<'a>(num: &'a NumIr, reads: &mut ReadSet<'a>, visiting: &[&'a str]) {
    match num {
        NumIr::Number { .. } => {}
        NumIr::Aggregate { function, set, .. } => match function {
            AggregateFn::Size | AggregateFn::Count => {}
            AggregateFn::Sum
            | AggregateFn::Min
            | AggregateFn::Max
            | AggregateFn::Average
            | AggregateFn::WeightedAverage => {
                for id in set {
                    record(reads, id, Polarity::Both, true, false, visiting);
                }
            }
        },
        NumIr::Round { arg, .. } => discrete(arg, reads, visiting),
        NumIr::Max { args } | NumIr::Min { args } => {
            for a in args.iter() {
                discrete(a, reads, visiting);
            }
        }
        NumIr::Arith { lhs, rhs, .. } => {
            discrete(lhs, reads, visiting);
            discrete(rhs, reads, visiting);
        }
    }
}

fn walk_test<'a>(
    id: &'a str,
    test: &'a TestIr,
    polarity: Polarity,
    rule_of: &dyn Fn(&str) -> Option<&'a ExprIr>,
    reads: &mut ReadSet<'a>,
    visiting: &mut Vec<&'a str>,
) {
    match (test, rule_of(id)) {
        // An entity's outcome: its own rule, expanded (a cycle cannot
        // compile; `visiting` only guards against one anyway).
        (TestIr::Outcome, Some(rule)) => {
            record(reads, id, polarity, false, true, visiting);
            if !visiting.contains(&id) {
                visiting.push(id);
                walk(rule, polarity, rule_of, reads, visiting);
                visiting.pop();
            }
        }
        // Acquired: the grade reaches the pass level.
        (TestIr::Outcome, None) => record(reads, id, polarity, false, false, visiting),
        (TestIr::Compare { cmp, .. }, _) => {
            let p = match cmp {
                CmpOp::Ge | CmpOp::Gt => polarity,
                CmpOp::Le | CmpOp::Lt => polarity.flip(),
                CmpOp::Eq | CmpOp::Ne => Polarity::Both,
            };
            record(reads, id, p, false, false, visiting);
        }
    }
}

fn walk_num<'a>(
    num: &'a NumIr,
    polarity: Polarity,
    divisor: bool,
    rule_of: &dyn Fn(&str) -> Option<&'a ExprIr>,
    reads: &mut ReadSet<'a>,
    visiting: &mut Vec<&'a str>,
) {
    match num {
        NumIr::Number { .. } => {}
        NumIr::Aggregate {
            function,
            set,
            test,
        } => match function {
            AggregateFn::Size => {}
            AggregateFn::Count => {
                let test = test.as_ref().unwrap_or(&TestIr::Outcome);
                for id in set {
                    if divisor {
                        record(reads, id, Polarity::Both, true, false, visiting);
                    } else {
                        walk_test(id, test, polarity, rule_of, reads, visiting);
                    }
                }
            }
            // Non-decreasing in every mark (weights are positive).
            AggregateFn::Sum
            | AggregateFn::Min
            | AggregateFn::Max
            | AggregateFn::Average
            | AggregateFn::WeightedAverage => {
                for id in set {
                    record(reads, id, polarity, divisor, false, visiting);
                }
            }
        },
        // Rounding, max and min never decrease with their arguments: these
        // are read as the whole is.
        NumIr::Round { arg, .. } => walk_num(arg, polarity, divisor, rule_of, reads, visiting),
        NumIr::Max { args } | NumIr::Min { args } => {
            for a in args.iter() {
                walk_num(a, polarity, divisor, rule_of, reads, visiting);
            }
        }
        NumIr::Arith { op, lhs, rhs } => {
            let constant = |n: &NumIr| match n {
                NumIr::Number { value } => Some(*value),
                NumIr::Aggregate { .. }
                | NumIr::Arith { .. }
                | NumIr::Round { .. }
                | NumIr::Max { .. }
                | NumIr::Min { .. } => None,
            };
            let (l, r, r_divisor) = match op {
                ArithOp::Add => (polarity, polarity, false),
                ArithOp::Sub => (polarity, polarity.flip(), false),
                ArithOp::Mul => match (constant(lhs), constant(rhs)) {
                    (_, Some(c)) if c >= crate::Decimal::ZERO => (polarity, polarity, false),
                    (_, Some(_)) => (polarity.flip(), polarity, false),
                    (Some(c), _) if c >= crate::Decimal::ZERO => (polarity, polarity, false),
                    (Some(_), _) => (polarity, polarity.flip(), false),
                    (None, None) => (Polarity::Both, Polarity::Both, false),
                },
                ArithOp::Div => match constant(rhs) {
                    Some(c) if c.is_positive() => (polarity, polarity, false),
                    Some(_) => (polarity.flip(), polarity, false),
                    None => (Polarity::Both, Polarity::Both, true),
                },
            };
            walk_num(lhs, l, divisor, rule_of, reads, visiting);
            walk_num(rhs, r, divisor || r_divisor, rule_of, reads, visiting);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Criteria named `a`..`e` on a 0..20 scale; `known` gives some grades.
    struct Marks(Vec<(&'static str, f64)>);

    impl Facts for Marks {
        fn outcome(&self, id: &str) -> Truth {
            match self.0.iter().find(|(k, _)| *k == id) {
                Some((_, g)) if *g >= 10.0 => Truth::True,
                Some(_) => Truth::False,
                None => Truth::Unknown,
            }
        }
        fn grade(&self, id: &str) -> Interval {
            match self.0.iter().find(|(k, _)| *k == id) {
                Some((_, g)) => {
                    literal(crate::Decimal::from_f64(*g).unwrap_or(crate::Decimal::ZERO))
                }
                None => Interval::between(Exact::ZERO, Exact::integer(20)),
            }
        }
        fn threshold(&self, _: &str, value: &ValueIr) -> Exact {
            match value {
                ValueIr::Number(n) => n.exact(),
                ValueIr::Level(_) => Exact::ZERO,
            }
        }
        fn weight(&self, _: &str) -> Exact {
            Exact::ONE
        }
    }

    fn set(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn at_least_is_pending_only_while_it_can_change() {
        let rule = ExprIr::AtLeast {
            n: 4,
            set: set(&["a", "b", "c", "d", "e"]),
            test: TestIr::Outcome,
        };
        let facts = Marks(vec![("a", 12.0), ("b", 12.0), ("c", 5.0)]);
        assert_eq!(eval(&rule, &facts), Truth::Unknown);
        let facts = Marks(vec![("a", 12.0), ("b", 5.0), ("c", 5.0)]);
        assert_eq!(eval(&rule, &facts), Truth::False);
        let facts = Marks(vec![("a", 12.0), ("b", 12.0), ("c", 12.0), ("d", 12.0)]);
        assert_eq!(eval(&rule, &facts), Truth::True);
    }

    #[test]
    fn averages_use_the_scale_bounds_for_unknown_marks() {
        let average = NumIr::Aggregate {
            function: AggregateFn::Average,
            set: set(&["a", "b"]),
            test: None,
        };
        let rule = ExprIr::Compare {
            lhs: average,
            cmp: CmpOp::Ge,
            rhs: NumIr::Number {
                value: crate::Decimal::integer(10),
            },
        };
        // 20 and an unknown: at least 10 whatever comes.
        assert_eq!(eval(&rule, &Marks(vec![("a", 20.0)])), Truth::True);
        // 0 and an unknown: at most 10, so still open.
        assert_eq!(eval(&rule, &Marks(vec![("a", 0.0)])), Truth::Unknown);
        assert_eq!(
            eval(&rule, &Marks(vec![("a", 4.0), ("b", 8.0)])),
            Truth::False
        );
    }

    fn sum(ids: &[&str]) -> NumIr {
        NumIr::Aggregate {
            function: AggregateFn::Sum,
            set: set(ids),
            test: None,
        }
    }

    fn number(value: f64) -> NumIr {
        NumIr::Number {
            value: crate::Decimal::from_f64(value).unwrap_or(crate::Decimal::ZERO),
        }
    }

    fn exact(text: &str) -> Exact {
        Exact::parse_decimal(text).unwrap_or(Exact::ZERO)
    }

    #[test]
    fn rounding_an_interval_rounds_its_bounds() {
        let x = Interval::between(exact("9.995"), exact("12.344"));
        let at2 = |mode| round(mode, 2, x);
        assert_eq!(
            at2(RoundMode::Nearest),
            Interval::between(exact("10"), exact("12.34"))
        );
        assert_eq!(
            at2(RoundMode::Down),
            Interval::between(exact("9.99"), exact("12.34"))
        );
        assert_eq!(
            at2(RoundMode::Up),
            Interval::between(exact("10"), exact("12.35"))
        );
        // Unbounded stays unbounded; too large to round exactly widens.
        assert_eq!(
            round(RoundMode::Nearest, 0, Interval::any()),
            Interval::any()
        );
        let huge = Interval::point(Exact::integer(i128::MAX / 10));
        assert_eq!(round(RoundMode::Down, 3, huge), Interval::any());
    }

    #[test]
    fn max_and_min_of_two_intervals() {
        let a = Interval::between(exact("0"), exact("10"));
        let b = Interval::between(exact("4"), exact("6"));
        assert_eq!(max(a, b), Interval::between(exact("4"), exact("10")));
        assert_eq!(min(a, b), Interval::between(exact("0"), exact("6")));
        let unbounded = Interval::any();
        assert_eq!(max(a, unbounded).lo, Bound::Finite(exact("0")));
        assert_eq!(min(a, unbounded).hi, Bound::Finite(exact("10")));
    }

    #[test]
    fn rounding_and_extrema_in_rules() {
        // max(0, a - 10) >= 5: the points of `a` above 10.
        let points = NumIr::Max {
            args: Box::new([
                number(0.0),
                NumIr::Arith {
                    op: ArithOp::Sub,
                    lhs: Box::new(sum(&["a"])),
                    rhs: Box::new(number(10.0)),
                },
            ]),
        };
        let rule = |threshold| ExprIr::Compare {
            lhs: points.clone(),
            cmp: CmpOp::Ge,
            rhs: number(threshold),
        };
        assert_eq!(eval(&rule(5.0), &Marks(vec![("a", 16.0)])), Truth::True);
        assert_eq!(eval(&rule(5.0), &Marks(vec![("a", 12.0)])), Truth::False);
        assert_eq!(eval(&rule(0.0), &Marks(vec![("a", 4.0)])), Truth::True);
        assert_eq!(eval(&rule(5.0), &Marks(vec![])), Truth::Unknown);
        // floor((a + b) / 2, 0) >= 10: 19 / 2 = 9.5 floors to 9.
        let floored = |mode| ExprIr::Compare {
            lhs: NumIr::Round {
                mode,
                decimals: 0,
                arg: Box::new(NumIr::Arith {
                    op: ArithOp::Div,
                    lhs: Box::new(sum(&["a", "b"])),
                    rhs: Box::new(number(2.0)),
                }),
            },
            cmp: CmpOp::Ge,
            rhs: number(10.0),
        };
        let marks = Marks(vec![("a", 9.0), ("b", 10.0)]);
        assert_eq!(eval(&floored(RoundMode::Down), &marks), Truth::False);
        assert_eq!(eval(&floored(RoundMode::Nearest), &marks), Truth::True);
        assert_eq!(eval(&floored(RoundMode::Up), &marks), Truth::True);
        // a missing: (9 + [0, 20]) / 2 rounds to [5, 15] at the nearest.
        let partial = Marks(vec![("b", 9.0)]);
        assert_eq!(eval(&floored(RoundMode::Nearest), &partial), Truth::Unknown);
    }

    /// The ids `case_splits` names, in order, read from their debug text
    /// (the one quoted string of each, whatever wraps it).
    fn split_ids<T: std::fmt::Debug>(splits: &[T]) -> Vec<String> {
        splits
            .iter()
            .map(|s| format!("{s:?}").split('"').nth(1).unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn rounding_max_and_min_read_grades_in_their_argument_s_direction() {
        let no_rules = |_: &str| None;
        // max(a, b) >= 10 or min(a, 5) < 3: `a` both ways, `b` one way.
        let rule = ExprIr::Or {
            args: vec![
                ExprIr::Compare {
                    lhs: NumIr::Max {
                        args: Box::new([sum(&["a"]), sum(&["b"])]),
                    },
                    cmp: CmpOp::Ge,
                    rhs: number(10.0),
                },
                ExprIr::Compare {
                    lhs: NumIr::Min {
                        args: Box::new([sum(&["a"]), number(5.0)]),
                    },
                    cmp: CmpOp::Lt,
                    rhs: number(3.0),
                },
            ],
        };
        assert_eq!(split_ids(&case_splits(&rule, &no_rules)), ["a"]);
        // round(a, 1) >= 10 and ceil(a - b, 0) >= 1: `a` up twice, `b` once.
        let rule = ExprIr::And {
            args: vec![
                ExprIr::Compare {
                    lhs: NumIr::Round {
                        mode: RoundMode::Nearest,
                        decimals: 1,
                        arg: Box::new(sum(&["a"])),
                    },
                    cmp: CmpOp::Ge,
                    rhs: number(10.0),
                },
                ExprIr::Compare {
                    lhs: NumIr::Round {
                        mode: RoundMode::Up,
                        decimals: 0,
                        arg: Box::new(NumIr::Arith {
                            op: ArithOp::Sub,
                            lhs: Box::new(sum(&["a"])),
                            rhs: Box::new(sum(&["b"])),
                        }),
                    },
                    cmp: CmpOp::Ge,
                    rhs: number(1.0),
                },
            ],
        };
        assert!(case_splits(&rule, &no_rules).is_empty());
        // ... but `b` read up in a third place is read both ways.
        let ExprIr::And { mut args } = rule.clone() else {
            unreachable!()
        };
        args.push(ExprIr::Compare {
            lhs: NumIr::Min {
                args: Box::new([sum(&["b"]), number(20.0)]),
            },
            cmp: CmpOp::Gt,
            rhs: number(2.0),
        });
        assert_eq!(
            split_ids(&case_splits(&ExprIr::And { args }, &no_rules)),
            ["b"]
        );
    }

    #[test]
    fn grades_of_a_computed_number_under_equality_are_tried_counts_are_not() {
        let no_rules = |_: &str| None;
        // sum({a, b}) = 10, read once each: a sum skips values between its
        // bounds, so both are tried.
        let equal = |lhs: NumIr, cmp: CmpOp| ExprIr::Compare {
            lhs,
            cmp,
            rhs: number(10.0),
        };
        let rule = equal(sum(&["a", "b"]), CmpOp::Eq);
        assert_eq!(split_ids(&case_splits(&rule, &no_rules)), ["a", "b"]);
        let rounded = NumIr::Round {
            mode: RoundMode::Nearest,
            decimals: 0,
            arg: Box::new(NumIr::Arith {
                op: ArithOp::Add,
                lhs: Box::new(sum(&["a"])),
                rhs: Box::new(number(1.0)),
            }),
        };
        let rule = equal(rounded, CmpOp::Ne);
        assert_eq!(split_ids(&case_splits(&rule, &no_rules)), ["a"]);
        // `>=` on the same sum reads each grade once, upward: exact as is.
        let rule = equal(sum(&["a", "b"]), CmpOp::Ge);
        assert!(case_splits(&rule, &no_rules).is_empty());
        // A count takes every integer between its bounds: exact as is.
        let count = NumIr::Aggregate {
            function: AggregateFn::Count,
            set: vec!["a".into(), "b".into()],
            test: None,
        };
        let rule = equal(count, CmpOp::Eq);
        assert!(case_splits(&rule, &no_rules).is_empty());
    }

    #[test]
    fn overflow_is_found_where_the_bounds_say_it_and_only_there() {
        let facts = Marks(vec![]);
        let times = |lhs: NumIr, by: &str| NumIr::Arith {
            op: ArithOp::Mul,
            lhs: Box::new(lhs),
            rhs: Box::new(NumIr::Number {
                value: crate::Decimal::parse(by).unwrap_or(crate::Decimal::ZERO),
            }),
        };
        let big = "100000000000000";
        // 20 × 10^42: too large for i128 fractions.
        let product = times(times(times(sum(&["a"]), big), big), big);
        assert_eq!(overflow(&product, &facts), Some(&product));
        // 20 × 10^28: fine.
        let fine = times(times(sum(&["a"]), big), big);
        assert_eq!(overflow(&fine, &facts), None);
        // A part that overflows inside a max is still found.
        let inside = NumIr::Max {
            args: Box::new([number(1.0), product.clone()]),
        };
        assert_eq!(overflow(&inside, &facts), Some(&product));
        // A quotient by a grade that may be 0 is unbounded, not an overflow.
        let quotient = NumIr::Arith {
            op: ArithOp::Div,
            lhs: Box::new(sum(&["a"])),
            rhs: Box::new(sum(&["b"])),
        };
        assert_eq!(overflow(&quotient, &facts), None);
    }

    #[test]
    fn kleene_connectives() {
        let t = ExprIr::Const { value: true };
        let f = ExprIr::Const { value: false };
        let u = ExprIr::Member {
            id: "a".into(),
            test: TestIr::Outcome,
        };
        let facts = Marks(vec![]);
        let and = |args: Vec<ExprIr>| eval(&ExprIr::And { args }, &facts);
        let or = |args: Vec<ExprIr>| eval(&ExprIr::Or { args }, &facts);
        assert_eq!(and(vec![u.clone(), f.clone()]), Truth::False);
        assert_eq!(and(vec![u.clone(), t.clone()]), Truth::Unknown);
        assert_eq!(or(vec![u.clone(), t.clone()]), Truth::True);
        assert_eq!(or(vec![u.clone(), f.clone()]), Truth::Unknown);
    }
}
