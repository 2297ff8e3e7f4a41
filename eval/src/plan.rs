//! Evaluation of a compiled referential: compile once into a [`Plan`],
//! evaluate many candidates. Criteria are decided against their pass level;
//! every rule then follows the IR's `order` with three-valued (Kleene)
//! logic and interval arithmetic, so an outcome is `Pending` exactly when
//! the missing grades could still change it.
//!
//! ```
//! use acquis_compiler::compile_str;
//! use acquis_eval::{Grades, Outcome, Plan};
//!
//! let source = r#"
//! referential R "Exemple" { lang fr }
//! use std::scales::acquisition
//! defaults { criterion scale acquisition }
//! block B "Bloc" {
//!   competency C "Compétence" {
//!     criterion CE1 "Un"
//!     criterion CE2 "Deux"
//!     validated when all criteria acquired
//!   }
//!   assessment E "Épreuve" { covers C }
//!   validated when all competencies validated
//! }
//! certification validated when all blocks validated
//! "#;
//! let compiled = compile_str("r.acquis", source);
//! let ir = compiled.ir.expect("the referential compiles");
//! let plan = Plan::new(&ir);
//!
//! let mut grades = Grades::new(&plan);
//! grades.set(&plan, "C/CE1", "acquis").expect("a valid grade");
//! let outcomes = plan.evaluate(&grades);
//! assert_eq!(outcomes.get(&plan, "C/CE1"), Some(Outcome::Passed));
//! assert_eq!(outcomes.get(&plan, "C"), Some(Outcome::Pending)); // CE2 is missing
//!
//! grades.set(&plan, "C/CE2", "en_cours").expect("a valid grade");
//! let outcomes = plan.evaluate(&grades);
//! assert_eq!(outcomes.get(&plan, "certification"), Some(Outcome::Failed));
//! ```

use rustc_hash::FxHashMap as HashMap;

pub mod flat;

use acquis_ir::describe::Lang;
use acquis_ir::semantics::{self as kleene, Bound, Facts, Interval, Quantifier, Truth};
use acquis_ir::{
    is_absent_word, AbsentKind, AggregateFn, ArithOp, CmpOp, Exact, ExprIr, Ir, NumIr, OutcomeIr,
    RoundMode, ScaleKindIr, TestIr, ValueIr,
};

/// The outcome of one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Acquired (criterion) or validated.
    Passed,
    /// Not acquired or not validated.
    Failed,
    /// Missing grades could still change it.
    Pending,
}

impl Outcome {
    fn from_truth(t: Truth) -> Self {
        match t {
            Truth::True => Outcome::Passed,
            Truth::False => Outcome::Failed,
            Truth::Unknown => Outcome::Pending,
        }
    }

    /// The outcome word of the IR and of results: `acquired` or
    /// `validated`, `not_…`, `pending`.
    pub fn word(self, is_criterion: bool) -> &'static str {
        self.ir(is_criterion).word()
    }

    /// The outcome as the IR names it, for a criterion or another entity.
    pub fn ir(self, is_criterion: bool) -> OutcomeIr {
        match (self, is_criterion) {
            (Outcome::Passed, true) => OutcomeIr::Acquired,
            (Outcome::Failed, true) => OutcomeIr::NotAcquired,
            (Outcome::Passed, false) => OutcomeIr::Validated,
            (Outcome::Failed, false) => OutcomeIr::NotValidated,
            (Outcome::Pending, _) => OutcomeIr::Pending,
        }
    }
}

/// A criterion's scale, as evaluation needs it. Grades are stored as
/// doubles (a level's rank, or a mark) for the hot loop, where comparing two
/// decimals of at most 15 significant digits as doubles is exact; every
/// computation on marks takes them as [`Exact`] numbers.
struct CriterionPlan<'ir> {
    levels: Option<&'ir [String]>,
    /// The labels of the levels, when the scale declares them.
    labels: Option<&'ir std::collections::BTreeMap<String, String>>,
    /// Bounds and step as doubles, for messages and for finding a mark's
    /// step.
    min: f64,
    max: f64,
    step: f64,
    /// The same, exact.
    exact_min: Exact,
    exact_max: Exact,
    exact_step: Exact,
    /// The exact value of each step of a range scale (`min + k × step`),
    /// when the scale has at most [`MARK_TABLE`] steps.
    marks: Vec<Exact>,
    pass: f64,
    weight: Exact,
    /// What an absent grade (`ABS`) counts as: its position and how the
    /// referential says it; `None` when it does not, and `ABS` is refused.
    absent: Option<(f64, AbsentKind)>,
}

pub use acquis_ir::semantics::MAX_CASES;

/// The most evaluations deciding one entity may take, the rules it reads
/// decided exactly in each case included; past it the entity stays pending.
const MAX_WORK: usize = 16 * MAX_CASES;

/// Marks and weights as integers over two common denominators, so that
/// sums and weighted sums of a candidate's marks are integer arithmetic
/// (no fraction reduced at each step); the aggregate is made an [`Exact`]
/// once, at the end. Same values as the fraction arithmetic of
/// `semantics::fold_marks`, much faster.
struct Scaled {
    /// Every mark × this is a whole number.
    marks: i128,
    /// Per criterion, by slot.
    criteria: Vec<ScaledCriterion>,
}

/// A criterion's marks as whole numbers over [`Scaled::marks`].
struct ScaledCriterion {
    /// Its marks by step (a level's rank for levels), × `marks`.
    table: Vec<i64>,
    /// Its lowest and highest mark, × `marks`.
    lo: i64,
    hi: i64,
    /// Its weight × the weights' common denominator.
    weight: i64,
    /// `table` × `weight`, and `lo`, `hi` × `weight`: a weighted average
    /// adds these, no product in the loop.
    weighted: Vec<i64>,
    weighted_lo: i64,
    weighted_hi: i64,
    /// A grade's position → its step: `(position − min) × per_step`,
    /// rounded (positions are on the scale's grid; a level's rank is its
    /// own step: min 0, per_step 1).
    min: f64,
    per_step: f64,
}

impl Scaled {
    /// An aggregate's least and greatest sums (of marks, of weighted marks
    /// for a weighted average; the least and greatest least or greatest
    /// mark for `min`, `max`), over `marks` (× the weights' denominator
    /// for a weighted average); `None` for an empty `min` or `max`, a
    /// count, or a sum that would leave `i64`.
    fn sums(
        &self,
        aggregate: AggregateFn,
        slots: &[usize],
        grades: &Grades,
    ) -> Option<(i128, i128)> {
        // A member's least and greatest (weighted) mark: its own when
        // graded, else its scale's.
        let member = |slot: usize, weighted: bool| -> Option<(i64, i64)> {
            let c = self.criteria.get(slot)?;
            let (table, lo, hi) = match weighted {
                true => (&c.weighted, c.weighted_lo, c.weighted_hi),
                false => (&c.table, c.lo, c.hi),
            };
            match grades.position(slot) {
                Some(g) => table.get(c.step(g)).map(|&v| (v, v)),
                None => Some((lo, hi)),
            }
        };
        let sum = |weighted: bool| -> Option<(i64, i64)> {
            let (mut lo, mut hi) = (0i64, 0i64);
            for &slot in slots {
                let (l, h) = member(slot, weighted)?;
                lo = lo.checked_add(l)?;
                hi = hi.checked_add(h)?;
            }
            Some((lo, hi))
        };
        let (lo, hi) = match aggregate {
            AggregateFn::Min | AggregateFn::Max => {
                let least = aggregate == AggregateFn::Min;
                let mut all = slots.iter();
                let (mut lo, mut hi) = member(*all.next()?, false)?;
                for &slot in all {
                    let (l, h) = member(slot, false)?;
                    (lo, hi) = if least {
                        (lo.min(l), hi.min(h))
                    } else {
                        (lo.max(l), hi.max(h))
                    };
                }
                (lo, hi)
            }
            AggregateFn::Sum | AggregateFn::Average => sum(false)?,
            AggregateFn::WeightedAverage => sum(true)?,
            AggregateFn::Count | AggregateFn::Size => return None,
        };
        Some((i128::from(lo), i128::from(hi)))
    }

    /// The denominator of [`Scaled::sums`] for this set (it does not depend
    /// on the grades); `None` for an empty average.
    fn denominator(&self, aggregate: AggregateFn, slots: &[usize]) -> Option<i128> {
        match aggregate {
            AggregateFn::Min | AggregateFn::Max | AggregateFn::Sum => Some(self.marks),
            AggregateFn::Average if !slots.is_empty() => {
                i128::try_from(slots.len()).ok()?.checked_mul(self.marks)
            }
            // Σ w·m / Σ w, both scaled: the weights' scale cancels.
            AggregateFn::WeightedAverage => {
                let mut total = 0i128;
                for &slot in slots {
                    total = total.checked_add(i128::from(self.criteria.get(slot)?.weight))?;
                }
                (total > 0).then(|| total.checked_mul(self.marks)).flatten()
            }
            AggregateFn::Average | AggregateFn::Count | AggregateFn::Size => None,
        }
    }
}

impl ScaledCriterion {
    /// The step of a position of the scale.
    fn step(&self, position: f64) -> usize {
        // Non-negative on the scale: adding a half and truncating rounds.
        ((position - self.min) * self.per_step + 0.5) as usize
    }
}

impl Scaled {
    /// Denominators above this are left to the fraction arithmetic.
    const LIMIT: i128 = 1_000_000_000;

    fn new(criteria: &[CriterionPlan<'_>]) -> Option<Scaled> {
        let lcm = |a: i128, b: i128| -> Option<i128> {
            let (mut x, mut y) = (a, b);
            while y != 0 {
                (x, y) = (y, x % y);
            }
            (a / x.max(1)).checked_mul(b).filter(|l| *l <= Self::LIMIT)
        };
        let mut marks = 1i128;
        let mut weights = 1i128;
        for c in criteria {
            if c.levels.is_none() {
                if c.marks.is_empty() {
                    return None;
                }
                marks = lcm(marks, c.exact_min.denominator())?;
                marks = lcm(marks, c.exact_step.denominator())?;
            }
            weights = lcm(weights, c.weight.denominator())?;
        }
        // Whole numbers in i64: the sums of the hot loop stay machine
        // words (a denominator up to LIMIT keeps any mark of a realistic
        // scale far below i64's range; one that does not fit leaves the
        // plan to the fraction arithmetic).
        let whole = |x: Exact, d: i128| -> Option<i64> {
            i64::try_from(x.numerator().checked_mul(d / x.denominator())?).ok()
        };
        let criteria = criteria
            .iter()
            .map(|c| {
                let table = match c.levels {
                    Some(levels) => (0..levels.len() as i128)
                        .map(|r| i64::try_from(r.checked_mul(marks)?).ok())
                        .collect::<Option<Vec<i64>>>()?,
                    None => c
                        .marks
                        .iter()
                        .map(|m| whole(*m, marks))
                        .collect::<Option<Vec<i64>>>()?,
                };
                let lo = *table.first()?;
                let hi = *table.last()?;
                let (min, per_step) = match c.levels {
                    Some(_) => (0.0, 1.0),
                    None if c.step > 0.0 => (c.min, 1.0 / c.step),
                    None => return None,
                };
                let weight = whole(c.weight, weights)?;
                let weighted = table
                    .iter()
                    .map(|m| m.checked_mul(weight))
                    .collect::<Option<Vec<i64>>>()?;
                Some(ScaledCriterion {
                    weighted_lo: lo.checked_mul(weight)?,
                    weighted_hi: hi.checked_mul(weight)?,
                    weighted,
                    table,
                    lo,
                    hi,
                    weight,
                    min,
                    per_step,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Scaled { marks, criteria })
    }
}

/// One value `by_cases` gives a split slot.
#[derive(Clone, Copy)]
enum Choice {
    Grade(f64),
    Outcome(Outcome),
}

/// Range scales with more steps than this compute a mark's exact value
/// from its decimal text instead of a table.
const MARK_TABLE: usize = 10_000;

/// An IR number as an exact one (its decimal, see [`kleene::literal`]).
fn exact(value: f64) -> Option<Exact> {
    Exact::from_f64_shortest(value)
}

/// A member of a set: its outcome slot, and the threshold of the test in
/// the member's own scale (a level's rank differs from scale to scale).
#[derive(Clone, Copy)]
struct Member {
    slot: usize,
    threshold: Exact,
}

/// The members of a set, as two arrays: their outcome slots, read alone
/// by the common count of outcomes (`all criteria acquired`), and, for a
/// comparison of grades, each member's threshold in its own scale (empty
/// otherwise). Kept apart so that counting walks 8-byte slots, not
/// 48-byte pairs.
struct Members {
    slots: Box<[usize]>,
    thresholds: Box<[Exact]>,
}

#[derive(Clone, Copy)]
enum Test {
    Outcome,
    Compare(CmpOp),
}

/// A rule with every id resolved to a slot: no strings, no hashing.
enum Program {
    And(Vec<Program>),
    Or(Vec<Program>),
    Not(Box<Program>),
    Count(Quantifier, Members, Test),
    Member(Member, Test),
    /// Boxed: two numbers with their intervals would make every node of
    /// every rule several times larger.
    Compare(Box<(Num, CmpOp, Num)>),
    /// `aggregate(set) cmp number` on whole numbers (most rules with
    /// marks: `weighted average(criteria) >= 10`).
    Threshold(Box<Threshold>),
    Const(bool),
}

impl Program {
    /// Every slot this program reads (outcomes or grades), with repeats.
    fn slots(&self, out: &mut Vec<usize>) {
        match self {
            Program::And(args) | Program::Or(args) => {
                for a in args {
                    a.slots(out);
                }
            }
            Program::Not(arg) => arg.slots(out),
            Program::Count(_, members, _) => out.extend(members.slots.iter()),
            Program::Member(member, _) => out.push(member.slot),
            Program::Compare(c) => {
                let (l, _, r) = &**c;
                l.slots(out);
                r.slots(out);
            }
            Program::Threshold(t) => {
                out.extend(t.slots.iter());
                let (l, _, r) = &t.general;
                l.slots(out);
                r.slots(out);
            }
            Program::Const(_) => {}
        }
    }
}

impl Num {
    /// Every slot this number reads, with repeats.
    fn slots(&self, out: &mut Vec<usize>) {
        match self {
            Num::Number(_) => {}
            Num::Aggregate(_, members, _) => out.extend(members.slots.iter()),
            Num::Arith(_, l, r) => {
                l.slots(out);
                r.slots(out);
            }
            Num::Round(_, _, arg) => arg.slots(out),
            Num::Max(args) | Num::Min(args) => {
                for a in args.iter() {
                    a.slots(out);
                }
            }
        }
    }
}

/// `aggregate(set) cmp p/q` with everything that does not depend on the
/// grades computed once: the aggregate's bounds are [lo/den, hi/den], so
/// the comparison is `[lo·q, hi·q] cmp p·den`.
struct Threshold {
    aggregate: AggregateFn,
    slots: Box<[usize]>,
    cmp: CmpOp,
    q: i128,
    /// p · den.
    t: i128,
    /// The same comparison, for when a sum overflows.
    general: (Num, CmpOp, Num),
}

enum Num {
    Number(Interval),
    Aggregate(AggregateFn, Members, Test),
    Arith(ArithOp, Box<Num>, Box<Num>),
    Round(RoundMode, u32, Box<Num>),
    Max(Box<[Num; 2]>),
    Min(Box<[Num; 2]>),
}

/// A compiled referential, ready to evaluate candidates.
pub struct Plan<'ir> {
    ir: &'ir Ir,
    criteria: Vec<CriterionPlan<'ir>>,
    /// Every id with an outcome → its slot: criteria first, then
    /// competencies, blocks, the assessments with a rule and the
    /// certification.
    slots: HashMap<&'ir str, usize>,
    ids: Vec<&'ir str>,
    /// The rules, in evaluation order: (slot, program, IR expression).
    rules: Vec<(usize, Program, &'ir ExprIr)>,
    /// Per rule (same order): the criteria whose missing grades three-valued
    /// evaluation cannot decide exactly for it (`semantics::case_splits`):
    /// outcome slots, of criteria (each grade is tried) or of competencies
    /// and blocks (validated, then not). Empty for most rules.
    splits: Vec<Vec<usize>>,
    /// Reasons are written in the referential's language (`lang fr`).
    lang: Lang,
    /// Each criterion's pass position, contiguous for the hot loop.
    passes: Vec<f64>,
    /// Every mark and weight as an integer over common denominators, for
    /// the aggregates' fast path (`None` when the denominators are too
    /// large): marks × `marks`, weights × `weights`.
    scaled: Option<Scaled>,
    /// Per criterion: the assessment whose part it is, when that
    /// assessment has a rule (its reason is then a mark of the épreuve).
    part_of: Vec<Option<&'ir str>>,
    /// The optional parts (`optional`): criterion index and the position
    /// a missing mark counts as (the lowest of its scale).
    optional: Vec<(usize, f64)>,
    /// The criteria's ids, indexed for "did you mean" when a grades file
    /// names criteria the referential does not have.
    criterion_names: acquis_diagnostics::Suggestions<'ir>,
}

/// One candidate's grades: a position per criterion (a mark, or a level's
/// rank from 0), `None` when not graded.
///
/// An absent candidate's grade (`ABS`) is known: it is stored as the
/// position its absence rule counts it as, so evaluation reads it like any
/// grade, and the criterion is also listed as absent, for reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Grades {
    /// NaN when not graded: half the memory of `Option<f64>`, which matters
    /// when millions of candidates stream through.
    positions: Vec<f64>,
    /// The criteria graded `ABS`, in the order they were set; usually
    /// none, so cloning and clearing stay free.
    absent: Vec<usize>,
}

/// A grade read from its text: its position on the scale, and whether it
/// was written `ABS` (the position is then what absence counts as).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GradeValue {
    Graded(f64),
    Absent(f64),
}

impl GradeValue {
    /// The position evaluation reads: the mark or rank, absent or not.
    pub fn position(self) -> f64 {
        match self {
            GradeValue::Graded(p) | GradeValue::Absent(p) => p,
        }
    }
}

/// Why a grade was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeError {
    UnknownCriterion,
    /// The message says what the scale accepts.
    NotOnScale(acquis_diagnostics::Text),
    /// `ABS` (absent), but the referential does not say what absence
    /// counts as for this criterion; the message says where to say it.
    NoAbsenceRule(acquis_diagnostics::Text),
}

impl Grades {
    pub fn new(plan: &Plan<'_>) -> Self {
        Grades {
            positions: vec![f64::NAN; plan.criteria.len()],
            absent: Vec::new(),
        }
    }

    /// Sets a criterion's grade from its text (`acquis`, `14.5`, `ABS`).
    pub fn set(&mut self, plan: &Plan<'_>, criterion: &str, value: &str) -> Result<(), GradeError> {
        let index = plan
            .criterion_index(criterion)
            .ok_or(GradeError::UnknownCriterion)?;
        let value = plan.parse_grade(index, value)?;
        self.set_value(index, value);
        Ok(())
    }

    /// Sets a grade already read with [`Plan::parse_grade`].
    pub fn set_value(&mut self, index: usize, value: GradeValue) {
        self.set_position(index, value.position());
        if let GradeValue::Absent(_) = value {
            if index < self.positions.len() {
                self.absent.push(index);
            }
        }
    }

    /// Sets a grade (not absent) already validated with
    /// [`Plan::parse_grade`].
    pub fn set_position(&mut self, index: usize, position: f64) {
        if let Some(slot) = self.positions.get_mut(index) {
            *slot = position;
        }
        if !self.absent.is_empty() {
            self.absent.retain(|&i| i != index);
        }
    }

    /// The grade's position: the mark or rank, or what absence counts as;
    /// `None` when not graded.
    pub fn position(&self, index: usize) -> Option<f64> {
        self.positions.get(index).copied().filter(|p| !p.is_nan())
    }

    /// Whether criterion `index` was graded `ABS` (absent).
    pub fn is_absent(&self, index: usize) -> bool {
        self.absent.contains(&index)
    }

    /// The grade as read: `None` when not graded.
    pub fn value(&self, index: usize) -> Option<GradeValue> {
        let position = self.position(index)?;
        Some(if self.is_absent(index) {
            GradeValue::Absent(position)
        } else {
            GradeValue::Graded(position)
        })
    }

    pub fn clear(&mut self) {
        self.positions.iter_mut().for_each(|p| *p = f64::NAN);
        self.absent.clear();
    }
}

/// Every entity's outcome for one candidate, by slot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcomes {
    pub(crate) values: Vec<Outcome>,
    /// Where outcomes come from when the candidate has a record (earlier
    /// sessions, equivalences, dispensations, jury decisions), with the
    /// reasons written for them; `None` for grades alone.
    pub(crate) record: Option<Box<crate::record::Provenance>>,
}

/// Reasons already written, for [`Plan::reason_cached`]: per outcome
/// slot, the values its reason is written from and the text (`None` when
/// the text says more than those values).
#[derive(Default)]
pub struct Reasons {
    slots: Vec<ReasonSlot>,
    key: Vec<u64>,
}

/// What [`Reasons`] keeps of one entity.
#[derive(Default)]
struct ReasonSlot {
    /// The outcome slots its rule reads (found once).
    reads: Option<Vec<usize>>,
    /// Texts by the values read, packed ([`Packed`]) when they are small.
    packed: Memo<u128>,
    /// Texts by the values read, listed, when they are not.
    listed: Memo<Vec<u64>>,
}

/// Texts by the values they were written from.
struct Memo<K> {
    /// The place in `texts` of the text written for some values; `None`
    /// when its words say more than them.
    known: HashMap<K, Option<usize>>,
    texts: Vec<Box<str>>,
    /// The values of the last [`RECENT`] reasons found in `known`, and
    /// their texts: most candidates of a cohort have the values of one of
    /// those before (a criterion's few grades and outcomes), found without
    /// hashing. Places in `texts`: finding a text counts no reference.
    recent: [(K, Option<usize>); RECENT],
    /// The place in `recent` of the next one remembered (the oldest).
    next: usize,
}

/// The bits of [`Plan::criterion_reason_key`]: an outcome (2), a place on
/// the scale (6), an absence (1).
pub const CRITERION_REASON_KEY_BITS: u32 = 9;

/// Reasons remembered per entity before its map ([`Memo::recent`]).
const RECENT: usize = 4;

impl<K: Default> Default for Memo<K> {
    fn default() -> Self {
        Memo {
            known: HashMap::default(),
            texts: Vec::new(),
            recent: Default::default(),
            next: 0,
        }
    }
}

/// What a [`Memo`] says of some values.
enum Found<'m> {
    /// The text written for them.
    Text(&'m str),
    /// Their text says more than them: write it each time.
    Open,
    /// Not met yet (or no longer kept).
    Unknown,
}

impl<K: Clone + Eq + std::hash::Hash> Memo<K> {
    fn find(&mut self, key: &K) -> Found<'_> {
        // The last few found first: not hashed.
        let recent = self
            .recent
            .iter()
            .find(|(values, text)| text.is_some() && values == key)
            .and_then(|(_, text)| *text);
        let at = match recent {
            Some(at) => at,
            None => match self.known.get(key) {
                Some(Some(at)) => {
                    let at = *at;
                    self.remember(key, at);
                    at
                }
                Some(None) => return Found::Open,
                None => return Found::Unknown,
            },
        };
        match self.texts.get(at) {
            Some(text) => Found::Text(text),
            None => Found::Unknown,
        }
    }

    /// Writes to `out` the text kept for `key`, or else `write`s it,
    /// keeping it (while fewer than [`REASONS`] are kept) as the text of
    /// `key` when `closed` says it is made of `key`'s values alone.
    fn write(
        &mut self,
        key: &K,
        out: &mut String,
        write: impl Fn(&mut String),
        closed: impl Fn() -> bool,
    ) {
        let full = self.known.len() >= REASONS;
        match self.find(key) {
            Found::Text(text) => out.push_str(text),
            Found::Open => write(out),
            Found::Unknown if full => write(out),
            Found::Unknown => {
                let start = out.len();
                write(out);
                let at = closed().then(|| {
                    self.texts
                        .push(Box::from(out.get(start..).unwrap_or_default()));
                    self.texts.len() - 1
                });
                self.known.insert(key.clone(), at);
                if let Some(at) = at {
                    self.remember(key, at);
                }
            }
        }
    }

    /// The text at `at` is the latest written, for `key`.
    fn remember(&mut self, key: &K, at: usize) {
        // In place of the oldest: nothing moves.
        if let Some((values, kept)) = self.recent.get_mut(self.next) {
            values.clone_from(key);
            *kept = Some(at);
        }
        self.next = (self.next + 1) % RECENT;
    }
}

/// The values a reason is written from, packed into 128 bits when each
/// is small: an outcome in 2 bits; a grade as its place on the scale, a
/// whole number under 63, in 6 bits (0: not graded), and its absence in
/// one bit. Each entity packs the same fields in the same order, so two
/// candidates' values are the same exactly when their packs are.
#[derive(Default)]
struct Packed {
    bits: u128,
    used: u32,
}

impl Packed {
    fn push(&mut self, value: u64, width: u32) -> Option<()> {
        if value >> width != 0 || self.used + width > 128 {
            return None;
        }
        self.bits |= u128::from(value) << self.used;
        self.used += width;
        Some(())
    }

    fn outcome(&mut self, outcome: Option<Outcome>) -> Option<()> {
        self.push(outcome.map_or(3, |o| o as u64), 2)
    }

    /// A place on the scale: `None` when it is not a small whole number
    /// (then the values are listed instead).
    fn position(&mut self, position: Option<f64>) -> Option<()> {
        let code = match position {
            None => 0,
            Some(p) => {
                // Saturating: NaN and negatives give 0, checked below.
                let whole = p as u8;
                if whole >= 63 || f64::from(whole).to_bits() != p.to_bits() {
                    return None;
                }
                u64::from(whole) + 1
            }
        };
        self.push(code, 6)
    }
}

/// How many texts [`Reasons`] keeps per entity: past that (marks on fine
/// scales), reasons are written each time.
const REASONS: usize = 256;

impl Outcomes {
    pub fn get(&self, plan: &Plan<'_>, id: &str) -> Option<Outcome> {
        self.values.get(*plan.slots.get(id)?).copied()
    }

    /// The outcome in `slot` ([`Plan::slot`]): no string looked up.
    pub fn at(&self, slot: usize) -> Option<Outcome> {
        self.values.get(slot).copied()
    }
}

impl<'ir> Plan<'ir> {
    pub fn new(ir: &'ir Ir) -> Self {
        let scales: HashMap<&str, &ScaleKindIr> =
            ir.scales.iter().map(|s| (s.id.as_str(), &s.kind)).collect();
        let labels: HashMap<&str, &std::collections::BTreeMap<String, String>> = ir
            .scales
            .iter()
            .map(|s| (s.id.as_str(), &s.labels))
            .collect();
        let criteria: Vec<CriterionPlan<'ir>> = ir
            .criteria
            .iter()
            .map(|c| {
                let kind = scales.get(c.scale.as_str()).copied();
                // Positions (f64) place grades on the scale; the exact
                // bounds and step decide.
                let (levels, min, max, step, exact_min, exact_max, exact_step) = match kind {
                    Some(ScaleKindIr::Levels { levels }) => {
                        let top = levels.len().saturating_sub(1);
                        (
                            Some(levels.as_slice()),
                            0.0,
                            top as f64,
                            1.0,
                            Exact::ZERO,
                            kleene::size(top),
                            Exact::ONE,
                        )
                    }
                    Some(ScaleKindIr::Range { min, max, step }) => (
                        None,
                        min.to_f64(),
                        max.to_f64(),
                        step.to_f64(),
                        min.exact(),
                        max.exact(),
                        step.exact(),
                    ),
                    None => (
                        None,
                        f64::NEG_INFINITY,
                        f64::INFINITY,
                        0.0,
                        Exact::ZERO,
                        Exact::ZERO,
                        Exact::ONE,
                    ),
                };
                let mut plan = CriterionPlan {
                    levels,
                    labels: labels.get(c.scale.as_str()).copied(),
                    min,
                    max,
                    step,
                    exact_min,
                    exact_max,
                    exact_step,
                    marks: Vec::new(),
                    pass: 0.0,
                    weight: c.weight.exact(),
                    absent: None,
                };
                plan.marks = plan.mark_table();
                plan.pass = plan.position(&c.pass).unwrap_or(f64::INFINITY);
                plan.absent = c
                    .absent
                    .as_ref()
                    .and_then(|a| Some((plan.position(&a.value)?, a.counts_as)));
                plan
            })
            .collect();
        let mut ids: Vec<&'ir str> = ir.criteria.iter().map(|c| c.id.as_str()).collect();
        ids.extend(ir.competencies.iter().map(|c| c.id.as_str()));
        ids.extend(ir.blocks.iter().map(|b| b.id.as_str()));
        // Assessments with a rule over their parts have an outcome.
        ids.extend(
            ir.assessments
                .iter()
                .filter(|a| a.rule.is_some())
                .map(|a| a.id.as_str()),
        );
        ids.push("certification");
        let slots: HashMap<&'ir str, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let exprs: HashMap<&str, &'ir ExprIr> = ir
            .competencies
            .iter()
            .map(|c| (c.id.as_str(), &c.rule.expr))
            .chain(ir.blocks.iter().map(|b| (b.id.as_str(), &b.rule.expr)))
            .chain(
                ir.assessments
                    .iter()
                    .filter_map(|a| Some((a.id.as_str(), &a.rule.as_ref()?.expr))),
            )
            .chain(std::iter::once((
                "certification",
                &ir.certification.rule.expr,
            )))
            .collect();
        let mut plan = Plan {
            ir,
            criteria,
            slots,
            ids,
            rules: Vec::new(),
            splits: Vec::new(),
            lang: Lang::of(ir),
            passes: Vec::new(),
            scaled: None,
            part_of: Vec::new(),
            optional: Vec::new(),
            criterion_names: acquis_diagnostics::Suggestions::new(
                ir.criteria.iter().map(|c| c.id.as_str()),
            ),
        };
        let mut part_of: Vec<Option<&'ir str>> = vec![None; ir.criteria.len()];
        let index: HashMap<&str, usize> = ir
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        for a in ir.assessments.iter().filter(|a| a.rule.is_some()) {
            for part in &a.parts {
                if let Some(slot) = index
                    .get(part.id.as_str())
                    .and_then(|&i| part_of.get_mut(i))
                {
                    *slot = Some(a.id.as_str());
                }
            }
        }
        plan.part_of = part_of;
        plan.optional = ir
            .assessments
            .iter()
            .flat_map(|a| &a.parts)
            .filter(|p| p.optional)
            .filter_map(|p| {
                let i = *index.get(p.id.as_str())?;
                let c = plan.criteria.get(i)?;
                Some((i, c.min))
            })
            .collect();
        plan.passes = plan.criteria.iter().map(|c| c.pass).collect();
        plan.scaled = Scaled::new(&plan.criteria);
        let mut rules = Vec::new();
        for id in &ir.order {
            if let (Some(&expr), Some(&slot)) =
                (exprs.get(id.as_str()), plan.slots.get(id.as_str()))
            {
                rules.push((slot, plan.program(expr), expr));
            }
        }
        let rule_of = |id: &str| exprs.get(id).copied();
        plan.splits = rules
            .iter()
            .map(|(_, _, expr)| {
                kleene::case_splits(expr, &rule_of)
                    .into_iter()
                    .filter_map(|split| plan.slots.get(split.id()).copied())
                    .collect()
            })
            .collect();
        plan.rules = rules;
        plan
    }

    pub fn ir(&self) -> &'ir Ir {
        self.ir
    }

    /// The referential's language, chosen once: every word of reasons and
    /// explanations comes through it.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// An outcome in words of the referential's language: `validated`, or
    /// `validé` for `lang fr`.
    pub fn outcome_words(&self, outcome: Outcome, is_criterion: bool) -> &'static str {
        let lang = self.lang;
        match (outcome, is_criterion) {
            (Outcome::Passed, true) => lang.t("acquired", "acquis"),
            (Outcome::Failed, true) => lang.t("not acquired", "non acquis"),
            (Outcome::Passed, false) => lang.t("validated", "validé"),
            (Outcome::Failed, false) => lang.t("not validated", "non validé"),
            (Outcome::Pending, _) => lang.t("pending", "en attente"),
        }
    }

    /// The slot of an entity or criterion.
    pub(crate) fn slot_of(&self, id: &str) -> Option<usize> {
        self.slots.get(id).copied()
    }

    /// The slot of an entity or criterion with an outcome: where
    /// [`Outcomes::at`] and [`flat::BatchOutcomes::get`] find it, so that a
    /// loop over many candidates looks the id up once.
    pub fn slot(&self, id: &str) -> Option<usize> {
        self.slots.get(id).copied()
    }

    /// Whether the referential says a jury must decide something: every
    /// candidate is then evaluated with a record (empty or not).
    pub fn awaits_jury(&self) -> bool {
        self.ir.records.jury.iter().any(|j| j.required)
    }

    /// A grade as a grades file writes it (`12.5`, `acquis`, `ABS`): what
    /// results give as `grade`, read back as history.
    pub(crate) fn grade_written(&self, index: usize, grade: GradeValue) -> String {
        match grade {
            GradeValue::Absent(_) => "ABS".to_string(),
            GradeValue::Graded(p) => self
                .criteria
                .get(index)
                .map_or_else(String::new, |c| c.show(Lang { fr: false }, p)),
        }
    }

    /// A grade of criterion `index` as a jury reads it (`12,5`, `acquis`).
    pub(crate) fn grade_text(&self, index: usize, position: f64) -> String {
        self.criteria
            .get(index)
            .map_or_else(String::new, |c| c.show(self.lang, position))
    }

    /// Whether a grade of criterion `index` passes `cmp value` (a `keep`
    /// condition). Positions of decimals of at most 15 significant digits
    /// compare exactly as doubles.
    pub(crate) fn test_position(&self, index: usize, position: f64, test: &TestIr) -> bool {
        let TestIr::Compare { cmp, value } = test else {
            return false;
        };
        let Some(threshold) = self.criteria.get(index).and_then(|c| c.position(value)) else {
            return false;
        };
        match cmp {
            CmpOp::Ge => position >= threshold,
            CmpOp::Gt => position > threshold,
            CmpOp::Le => position <= threshold,
            CmpOp::Lt => position < threshold,
            CmpOp::Eq => position == threshold,
            CmpOp::Ne => position != threshold,
        }
    }

    /// The outcome in words, agreeing in French with the entity's gender:
    /// "validée" for a competency or the certification, "validé" for a
    /// block, "acquis" for a criterion.
    pub fn outcome_agreeing(&self, id: &str, outcome: Outcome) -> String {
        let word = self.outcome_words(outcome, self.is_criterion(id));
        if self.lang.fr && self.is_feminine(id) && outcome != Outcome::Pending {
            format!("{word}e")
        } else {
            word.to_string()
        }
    }

    /// Whether a French word about `id` agrees in the feminine: une
    /// compétence, une épreuve, la certification (un critère, un bloc).
    pub fn is_feminine(&self, id: &str) -> bool {
        let (competencies, assessments) = self.kind_slots();
        // Assessments are followed by the certification, the last slot.
        self.slots
            .get(id)
            .is_some_and(|&s| competencies.contains(&s) || s >= assessments.start)
    }

    /// The slots of the competencies and of the assessments with an
    /// outcome: after the criteria come the competencies, the blocks, the
    /// assessments, then the certification.
    fn kind_slots(&self) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let competencies = self.criteria.len()..self.criteria.len() + self.ir.competencies.len();
        let assessments = competencies.end + self.ir.blocks.len()..self.ids.len().saturating_sub(1);
        (competencies, assessments)
    }

    /// Whether `id` is an assessment with an outcome (a rule over its
    /// parts): its slot lies between the blocks' and the certification's.
    pub fn is_assessment(&self, id: &str) -> bool {
        let (_, assessments) = self.kind_slots();
        self.slots.get(id).is_some_and(|s| assessments.contains(s))
    }

    /// Whether `id` is a competency of the referential.
    pub fn is_competency(&self, id: &str) -> bool {
        let (competencies, _) = self.kind_slots();
        self.slots.get(id).is_some_and(|s| competencies.contains(s))
    }

    /// The index of a criterion by qualified id (its place in `ir.criteria`).
    pub fn criterion_index(&self, id: &str) -> Option<usize> {
        self.slots
            .get(id)
            .copied()
            .filter(|&s| s < self.criteria.len())
    }

    /// Checks a grade written as text against the criterion's scale and
    /// returns its position: the mark, or the level's rank; `ABS` (or
    /// `absent`, in any case) is what the criterion's absence rule counts
    /// it as, unless the scale has a level written exactly so.
    pub fn parse_grade(&self, index: usize, text: &str) -> Result<GradeValue, GradeError> {
        let c = self
            .criteria
            .get(index)
            .ok_or(GradeError::UnknownCriterion)?;
        let text = text.trim();
        // A level or a mark as before; `ABS` is neither (a level written
        // exactly so is that level), so it is looked at only then; last, a
        // level as a spreadsheet writes it (`En cours`).
        match self.parse_position(c, text) {
            Ok(position) => Ok(GradeValue::Graded(position)),
            Err(_) if is_absent_word(text) => match c.absent {
                Some((position, _)) => Ok(GradeValue::Absent(position)),
                None => Err(GradeError::NoAbsenceRule(self.no_absence_rule(index, text))),
            },
            Err(e) => match c.levels.and_then(|levels| {
                let none = std::collections::BTreeMap::new();
                folded_level(levels, c.labels.unwrap_or(&none), text)
            }) {
                Some(rank) => Ok(GradeValue::Graded(rank as f64)),
                None => Err(e),
            },
        }
    }

    /// Why `ABS` cannot be read for criterion `index`, and where the
    /// referential can say what absence counts as.
    fn no_absence_rule(&self, index: usize, text: &str) -> acquis_diagnostics::Text {
        use acquis_diagnostics::{text, Text};
        let Some(k) = self.ir.criteria.get(index) else {
            return Text::empty();
        };
        let scale = self.ir.scales.iter().find(|s| s.id == k.scale);
        let line = match scale.map(|s| &s.kind) {
            Some(ScaleKindIr::Range { min, .. }) => format!("absent counts as {min}"),
            _ => "absent counts as not acquired".to_string(),
        };
        // The standard library's scales cannot be edited.
        let editable = scale.filter(|s| {
            self.ir
                .files
                .get(s.span.file)
                .is_some_and(|f| !f.starts_with("<std>"))
        });
        let mut places: Vec<Text> = editable
            .map(|s| text!("scale `{id}`", id = &s.id))
            .into_iter()
            .collect();
        for a in &self.ir.assessments {
            let evaluates =
                a.criteria.contains(&k.id) || a.covers.iter().any(|c| k.competencies.contains(c));
            if evaluates {
                places.push(text!("assessment `{id}`", id = &a.id));
            }
        }
        places.push(text!("`defaults`"));
        text!(
            "`{grade}` means absent, but the referential does not say what absence counts as for this criterion: add `{line}` (or `absent counts as <grade>`) to {places}",
            grade = text,
            line = &line,
            places = Text::list_or(places)
        )
    }

    /// A grade's position on criterion `c`'s scale, from its text.
    fn parse_position(&self, c: &CriterionPlan<'_>, text: &str) -> Result<f64, GradeError> {
        match c.levels {
            Some(levels) => levels
                .iter()
                .position(|l| l == text)
                .map(|r| r as f64)
                .ok_or_else(|| {
                    let close =
                        acquis_diagnostics::did_you_mean(text, levels.iter().map(String::as_str));
                    GradeError::NotOnScale(match close {
                        Some(close) => acquis_diagnostics::text!(
                            "`{grade}` is not a level of the scale (did you mean `{close}`?): {levels}",
                            grade = text,
                            close = close,
                            levels = levels.join(", ")
                        ),
                        None => acquis_diagnostics::text!(
                            "`{grade}` is not a level of the scale: {levels}",
                            grade = text,
                            levels = levels.join(", ")
                        ),
                    })
                }),
            None => {
                // Exact: the decimal as written, checked against the exact
                // bounds and step; stored as the double that identifies it.
                let not_a_number = || {
                    GradeError::NotOnScale(acquis_diagnostics::text!(
                        "`{grade}` is not a number; the scale goes from {min} to {max}",
                        grade = text,
                        min = &c.min,
                        max = &c.max
                    ))
                };
                let n = Exact::parse_decimal(text).ok_or_else(not_a_number)?;
                let shown = n.to_f64();
                if n < c.exact_min || n > c.exact_max {
                    return Err(GradeError::NotOnScale(acquis_diagnostics::text!(
                        "{grade} is outside the scale's range {min} .. {max}",
                        grade = &shown,
                        min = &c.min,
                        max = &c.max
                    )));
                }
                let on_step = n
                    .checked_sub(c.exact_min)
                    .and_then(|d| d.checked_div(c.exact_step))
                    .is_ok_and(Exact::is_integer);
                if !on_step {
                    return Err(GradeError::NotOnScale(acquis_diagnostics::text!(
                        "{grade} is not on a step of {step} from {min}",
                        grade = &shown,
                        step = &c.step,
                        min = &c.min
                    )));
                }
                // On a step of the scale: the double reads back as `n`.
                Ok(shown)
            }
        }
    }

    fn program(&self, expr: &ExprIr) -> Program {
        match expr {
            ExprIr::And { args } => Program::And(args.iter().map(|a| self.program(a)).collect()),
            ExprIr::Or { args } => Program::Or(args.iter().map(|a| self.program(a)).collect()),
            ExprIr::Not { arg } => Program::Not(Box::new(self.program(arg))),
            ExprIr::All { set, test } => self.count(Quantifier::All, set, test),
            ExprIr::Any { set, test } => self.count(Quantifier::Any, set, test),
            ExprIr::None { set, test } => self.count(Quantifier::None, set, test),
            ExprIr::AtLeast { n, set, test } => {
                self.count(Quantifier::AtLeast(*n as usize), set, test)
            }
            ExprIr::AtMost { n, set, test } => {
                self.count(Quantifier::AtMost(*n as usize), set, test)
            }
            ExprIr::Member { id, test } => {
                let (test, threshold) = self.test(test, id);
                Program::Member(
                    Member {
                        slot: self.slot_or_none(id),
                        threshold,
                    },
                    test,
                )
            }
            ExprIr::Compare { lhs, cmp, rhs } => {
                let general = (self.num(lhs), *cmp, self.num(rhs));
                match self.threshold_of(&general) {
                    Some((aggregate, slots, cmp, q, t)) => {
                        Program::Threshold(Box::new(Threshold {
                            aggregate,
                            slots,
                            cmp,
                            q,
                            t,
                            general,
                        }))
                    }
                    None => Program::Compare(Box::new(general)),
                }
            }
            ExprIr::Const { value } => Program::Const(*value),
        }
    }

    /// The parts of a [`Threshold`] when a comparison is an aggregate of
    /// marks against a number and the plan has common denominators.
    #[allow(clippy::type_complexity)]
    fn threshold_of(
        &self,
        (lhs, cmp, rhs): &(Num, CmpOp, Num),
    ) -> Option<(AggregateFn, Box<[usize]>, CmpOp, i128, i128)> {
        let scaled = self.scaled.as_ref()?;
        let (aggregate, members, number, cmp) = match (lhs, rhs) {
            (Num::Aggregate(f, m, _), Num::Number(n)) => (*f, m, n, *cmp),
            (Num::Number(n), Num::Aggregate(f, m, _)) => (*f, m, n, cmp.mirrored()),
            _ => return None,
        };
        if members.slots.is_empty() {
            return None;
        }
        let den = scaled.denominator(aggregate, &members.slots)?;
        let c = number.value()?;
        let t = c.numerator().checked_mul(den)?;
        Some((aggregate, members.slots.clone(), cmp, c.denominator(), t))
    }

    fn slot_or_none(&self, id: &str) -> usize {
        // Ids come from the IR the plan was built from: always present.
        self.slots.get(id).copied().unwrap_or(usize::MAX)
    }

    fn members(&self, set: &[String], test: &TestIr) -> (Members, Test) {
        let mut kind = Test::Outcome;
        let mut thresholds = Vec::new();
        let slots = set
            .iter()
            .map(|id| {
                let (t, threshold) = self.test(test, id);
                kind = t;
                thresholds.push(threshold);
                self.slot_or_none(id)
            })
            .collect();
        // A count of outcomes reads no threshold: none are kept.
        if let Test::Outcome = kind {
            thresholds.clear();
        }
        let members = Members {
            slots,
            thresholds: thresholds.into_boxed_slice(),
        };
        (members, kind)
    }

    fn count(&self, quantifier: Quantifier, set: &[String], test: &TestIr) -> Program {
        let (members, test) = self.members(set, test);
        Program::Count(quantifier, members, test)
    }

    fn test(&self, test: &TestIr, id: &str) -> (Test, Exact) {
        match test {
            TestIr::Outcome => (Test::Outcome, Exact::ZERO),
            TestIr::Compare { cmp, value } => {
                let threshold = self
                    .criterion_index(id)
                    .and_then(|i| self.criteria.get(i))
                    .and_then(|c| c.exact_position(value))
                    .unwrap_or(Exact::ZERO);
                (Test::Compare(*cmp), threshold)
            }
        }
    }

    fn num(&self, num: &NumIr) -> Num {
        match num {
            NumIr::Number { value } => Num::Number(kleene::literal(*value)),
            NumIr::Arith { op, lhs, rhs } => {
                Num::Arith(*op, Box::new(self.num(lhs)), Box::new(self.num(rhs)))
            }
            NumIr::Aggregate {
                function,
                set,
                test,
            } => {
                let (members, test) = self.members(set, test.as_ref().unwrap_or(&TestIr::Outcome));
                Num::Aggregate(*function, members, test)
            }
            NumIr::Round {
                mode,
                decimals,
                arg,
            } => Num::Round(*mode, *decimals, Box::new(self.num(arg))),
            NumIr::Max { args } => {
                let [a, b] = &**args;
                Num::Max(Box::new([self.num(a), self.num(b)]))
            }
            NumIr::Min { args } => {
                let [a, b] = &**args;
                Num::Min(Box::new([self.num(a), self.num(b)]))
            }
        }
    }

    /// Evaluates every entity for one candidate.
    pub fn evaluate(&self, grades: &Grades) -> Outcomes {
        let mut outcomes = Outcomes::default();
        self.evaluate_into(grades, &mut outcomes);
        outcomes
    }

    /// [`Plan::evaluate`] into an existing [`Outcomes`], reusing its memory:
    /// the loop of choice for millions of candidates.
    pub fn evaluate_into(&self, grades: &Grades, outcomes: &mut Outcomes) {
        outcomes.record = None;
        self.evaluate_with(grades, &[], outcomes, &mut Vec::new());
    }

    /// [`Plan::evaluate_into`] with outcomes set from outside the rules
    /// (a candidate's record: equivalences, dispensations, earlier
    /// results, jury decisions): `overrides` (slot, outcome), sorted by
    /// slot, replace what the rules give for those slots, and every rule
    /// that reads them sees the overriding outcome. What the rules alone
    /// gave for each overridden entity is pushed to `rules_gave`.
    pub(crate) fn evaluate_with(
        &self,
        grades: &Grades,
        overrides: &[(usize, Outcome)],
        outcomes: &mut Outcomes,
        rules_gave: &mut Vec<(usize, Outcome)>,
    ) {
        let grades = self.filled(grades);
        let grades: &Grades = &grades;
        let mut values = std::mem::take(&mut outcomes.values);
        self.criteria_outcomes(grades, &mut values);
        for &(slot, outcome) in overrides {
            if self.criteria.get(slot).is_some() {
                if let Some(value) = values.get_mut(slot) {
                    rules_gave.push((slot, *value));
                    *value = outcome;
                }
            }
        }
        let mut run = Run {
            plan: self,
            grades,
            values,
        };
        for (r, (slot, program, _)) in self.rules.iter().enumerate() {
            let mut outcome = self.decide(r, program, &run, overrides);
            if !overrides.is_empty() {
                if let Ok(i) = overrides.binary_search_by_key(slot, |&(s, _)| s) {
                    rules_gave.push((*slot, outcome));
                    // A forced `Pending` is a decision awaited from a jury
                    // (`jury must decide`): it is needed to award, not to
                    // refuse, so what the rules fail stays failed.
                    if let Some(&(_, forced)) = overrides.get(i) {
                        if !(forced == Outcome::Pending && outcome == Outcome::Failed) {
                            outcome = forced;
                        }
                    }
                }
            }
            if let Some(value) = run.values.get_mut(*slot) {
                *value = outcome;
            }
        }
        outcomes.values = run.values;
    }

    /// Rule `r` (its `program`) for the candidate of `run`: three-valued
    /// evaluation, then, when that leaves it pending and it reads a missing
    /// grade both ways, every value tried ([`Plan::by_cases`]).
    fn decide(
        &self,
        r: usize,
        program: &Program,
        run: &Run<'_, '_, '_>,
        overrides: &[(usize, Outcome)],
    ) -> Outcome {
        let outcome = Outcome::from_truth(run.eval(program));
        // Most rules need no trying (no split inputs): checked here,
        // without a call, for every pending outcome of every candidate.
        if outcome == Outcome::Pending && self.splits.get(r).is_some_and(|s| !s.is_empty()) {
            let mut budget = MAX_WORK;
            return self
                .by_cases(run.grades, &run.values, r, &mut budget, overrides)
                .unwrap_or(Outcome::Pending);
        }
        outcome
    }

    /// Rule `r`'s outcome for a candidate without a record, as
    /// [`Plan::evaluate_into`] decides it, when `values` holds the outcomes
    /// of the slots it reads ([`Plan::rule_reads`]); what it does not read
    /// may hold anything. `values` is given back as it came.
    pub(crate) fn rule_outcome(
        &self,
        r: usize,
        grades: &Grades,
        values: &mut Vec<Outcome>,
    ) -> Outcome {
        let Some((_, program, _)) = self.rules.get(r) else {
            return Outcome::Pending;
        };
        let grades = self.filled(grades);
        let run = Run {
            plan: self,
            grades: &grades,
            values: std::mem::take(values),
        };
        let outcome = self.decide(r, program, &run, &[]);
        *values = run.values;
        outcome
    }

    /// The outcome slots rule `r`'s decision reads ([`Plan::rule_outcome`]):
    /// the members its program tests, and the entities it may try by cases
    /// (which recomputes the rest from the grades).
    pub(crate) fn rule_reads(&self, r: usize) -> Vec<usize> {
        let mut slots = Vec::new();
        if let Some((_, program, _)) = self.rules.get(r) {
            program.slots(&mut slots);
        }
        slots.extend(self.splits.get(r).into_iter().flatten());
        slots.sort_unstable();
        slots.dedup();
        slots.retain(|&s| s < self.ids.len());
        slots
    }

    /// The grades as evaluation reads them: a missing optional part is
    /// its scale's lowest mark (borrowed unchanged when there is none).
    fn filled<'g>(&self, grades: &'g Grades) -> std::borrow::Cow<'g, Grades> {
        if self
            .optional
            .iter()
            .all(|&(i, _)| grades.position(i).is_some())
        {
            return std::borrow::Cow::Borrowed(grades);
        }
        let mut filled = grades.clone();
        for &(i, lowest) in &self.optional {
            if filled.position(i).is_none() {
                filled.set_position(i, lowest);
            }
        }
        std::borrow::Cow::Owned(filled)
    }

    /// Each criterion's outcome: acquired when graded at or above its pass
    /// level; the other entities pending until their rules run.
    fn criteria_outcomes(&self, grades: &Grades, values: &mut Vec<Outcome>) {
        values.clear();
        values.resize(self.ids.len(), Outcome::Pending);
        for ((value, grade), pass) in values.iter_mut().zip(&grades.positions).zip(&self.passes) {
            // NaN (not graded) compares false both ways: stays pending.
            if *grade >= *pass {
                *value = Outcome::Passed;
            } else if *grade < *pass {
                *value = Outcome::Failed;
            }
        }
    }

    /// Rule `r` decided exactly when three-valued evaluation left it
    /// pending and it reads some missing grade in a way that evaluation
    /// cannot decide (see `semantics::case_splits`): every value of those
    /// grades is tried, the others left to interval evaluation, which is
    /// then exact. `Some(outcome)` when that was done, `None` when nothing
    /// needed it or it would take more than [`MAX_CASES`] evaluations (the
    /// outcome then stays pending, and the compiler has warned).
    ///
    /// In each case the rules `r` reads are evaluated again, each decided
    /// exactly the same way; `budget` bounds the evaluations of the whole
    /// descent.
    fn by_cases(
        &self,
        grades: &Grades,
        values: &[Outcome],
        r: usize,
        budget: &mut usize,
        overrides: &[(usize, Outcome)],
    ) -> Option<Outcome> {
        // The split slots still open: missing grades, pending entities.
        let open: Vec<usize> = self
            .splits
            .get(r)?
            .iter()
            .copied()
            .filter(|&s| overrides.binary_search_by_key(&s, |&(o, _)| o).is_err())
            .filter(|&s| match self.criteria.get(s) {
                Some(_) => grades.position(s).is_none(),
                None => values.get(s) == Some(&Outcome::Pending),
            })
            .collect();
        if open.is_empty() {
            return None;
        }
        let choices: Vec<Vec<Choice>> = open.iter().map(|&s| self.choices(s)).collect();
        let cases = choices
            .iter()
            .try_fold(1usize, |n, c| n.checked_mul(c.len()))
            .filter(|&n| n > 0 && n <= MAX_CASES && n <= *budget)?;
        *budget -= cases;
        let (slot_of_r, _, _) = self.rules.get(r)?;
        let mut case = grades.clone();
        let mut forced: Vec<(usize, Outcome)> = Vec::new();
        let mut scratch = Vec::new();
        let (mut passed, mut failed) = (false, false);
        for n in 0..cases {
            // The n-th combination, one digit per open slot.
            let mut rest = n;
            forced.clear();
            for (&s, options) in open.iter().zip(&choices) {
                let len = options.len().max(1);
                match options.get(rest % len) {
                    Some(Choice::Grade(v)) => case.set_position(s, *v),
                    Some(Choice::Outcome(o)) => forced.push((s, *o)),
                    None => {}
                }
                rest /= len;
            }
            self.criteria_outcomes(&case, &mut scratch);
            for &(slot, outcome) in overrides {
                if self.criteria.get(slot).is_some() {
                    if let Some(value) = scratch.get_mut(slot) {
                        *value = outcome;
                    }
                }
            }
            let mut run = Run {
                plan: self,
                grades: &case,
                values: std::mem::take(&mut scratch),
            };
            for (q, (slot, program, _)) in self.rules.iter().enumerate().take(r + 1) {
                // An awaited jury decision (a forced `Pending`) is not tried.
                let set = overrides.iter().filter(|(_, o)| *o != Outcome::Pending);
                let outcome = match forced.iter().chain(set).find(|(s, _)| s == slot) {
                    Some((_, o)) => *o,
                    None => match Outcome::from_truth(run.eval(program)) {
                        // A rule this one reads, itself decided exactly.
                        Outcome::Pending if q < r => self
                            .by_cases(&case, &run.values, q, budget, overrides)
                            .unwrap_or(Outcome::Pending),
                        outcome => outcome,
                    },
                };
                if let Some(value) = run.values.get_mut(*slot) {
                    *value = outcome;
                }
            }
            match run.values.get(*slot_of_r) {
                Some(Outcome::Passed) => passed = true,
                Some(Outcome::Failed) => failed = true,
                _ => return Some(Outcome::Pending),
            }
            scratch = run.values;
            if passed && failed {
                return Some(Outcome::Pending);
            }
        }
        Some(if passed {
            Outcome::Passed
        } else {
            Outcome::Failed
        })
    }

    /// What `by_cases` tries for a slot: every grade of a criterion, or
    /// both outcomes of an entity.
    fn choices(&self, slot: usize) -> Vec<Choice> {
        match self.criteria.get(slot) {
            Some(_) => self
                .values_of(slot)
                .into_iter()
                .map(Choice::Grade)
                .collect(),
            None => vec![
                Choice::Outcome(Outcome::Passed),
                Choice::Outcome(Outcome::Failed),
            ],
        }
    }

    /// Every grade criterion `i` may take, as stored positions.
    fn values_of(&self, i: usize) -> Vec<f64> {
        match self.criteria.get(i) {
            Some(c) => match c.levels {
                Some(levels) => (0..levels.len()).map(|r| r as f64).collect(),
                None => c.marks.iter().map(|m| m.to_f64()).collect(),
            },
            None => Vec::new(),
        }
    }

    /// What `by_cases` tries for rule `id`: criteria (every grade) and
    /// entities (both outcomes); empty when three-valued evaluation decides
    /// it exactly. The compiler warns when trying them all could exceed
    /// [`MAX_CASES`].
    pub fn case_splits(&self, id: &str) -> Vec<&'ir str> {
        self.rules
            .iter()
            .position(|(slot, _, _)| self.ids.get(*slot) == Some(&id))
            .and_then(|r| self.splits.get(r))
            .map(|s| s.iter().filter_map(|&i| self.ids.get(i).copied()).collect())
            .unwrap_or_default()
    }

    /// Why an entity has its outcome: the members that decided it, the
    /// threshold and the count, and for `Pending` what is still needed.
    pub fn reason(&self, id: &str, grades: &Grades, outcomes: &Outcomes) -> String {
        // A candidate with a record: the reasons written with the variant
        // of the referential they were evaluated with, or the source said
        // before the rule's reason.
        if let (Some(record), Some(slot)) = (&outcomes.record, self.slot_of(id)) {
            if let Some(reason) = record.reasons.as_ref().and_then(|r| r.get(slot)) {
                return reason.clone();
            }
            if let Some(Some(source)) = record.sources.get(slot) {
                let rules = self.rule_reason(id, grades, outcomes);
                return crate::record::source_reason(self, self.lang, source, slot, &rules);
            }
        }
        self.rule_reason(id, grades, outcomes)
    }

    /// [`Plan::reason`], remembered in `cache` for the next candidates:
    /// the reason of an entity is written from the values its rule reads
    /// (each member's outcome, and a criterion's grade and absence) and its
    /// own outcome, or, for a criterion, from its grade, absence and
    /// épreuve's outcome; a candidate whose values are those of a
    /// candidate before gets the text written then. A reason that says more
    /// than those values (the missing grades an outcome was decided
    /// whatever their values, a candidate's record) is written each time.
    /// Gives the text [`Plan::reason`] gives (tested on random
    /// referentials and cohorts).
    pub fn reason_cached(
        &self,
        slot: usize,
        id: &str,
        grades: &Grades,
        outcomes: &Outcomes,
        cache: &mut Reasons,
    ) -> String {
        let mut out = String::new();
        self.reason_into(slot, id, grades, outcomes, cache, &mut out, |out, text| {
            out.push_str(text)
        });
        out
    }

    /// A number that decides the reason of criterion `slot` with its
    /// outcome, when one does: for a criterion that is no part of an
    /// épreuve nor optional, of a candidate without a record, whose grade
    /// (if any) is a whole place on the scale under 63, its outcome, that
    /// place and its absence, in [`CRITERION_REASON_KEY_BITS`] bits. Two
    /// candidates with the same number get the same words from
    /// [`Plan::reason_into`] (its cache keys those values), so that a
    /// writer may keep the text of several criteria at once.
    pub fn criterion_reason_key(
        &self,
        slot: usize,
        grades: &Grades,
        outcomes: &Outcomes,
    ) -> Option<u16> {
        if outcomes.record.is_some()
            || slot >= self.criteria.len()
            || self.part_of.get(slot).is_none_or(Option::is_some)
            || self.optional.iter().any(|&(i, _)| i == slot)
        {
            return None;
        }
        let mut packed = Packed::default();
        packed.outcome(outcomes.at(slot))?;
        packed.position(grades.position(slot))?;
        packed.push(u64::from(grades.is_absent(slot)), 1)?;
        u16::try_from(packed.bits)
            .ok()
            .filter(|&k| u32::from(k) < 1 << CRITERION_REASON_KEY_BITS)
    }

    /// [`Plan::reason_cached`], written to `out` by `encode` (a JSON
    /// string, say): the cache keeps the encoded text, so that a reason
    /// met before is copied as it is.
    #[allow(
        clippy::too_many_arguments,
        reason = "the reason's inputs and where it goes"
    )]
    pub fn reason_into(
        &self,
        slot: usize,
        id: &str,
        grades: &Grades,
        outcomes: &Outcomes,
        cache: &mut Reasons,
        out: &mut String,
        encode: fn(&mut String, &str),
    ) {
        if outcomes.record.is_some() {
            return encode(out, &self.reason(id, grades, outcomes));
        }
        if cache.slots.len() <= slot {
            cache.slots.resize_with(slot + 1, ReasonSlot::default);
        }
        let Some(entry) = cache.slots.get_mut(slot) else {
            return encode(out, &self.reason(id, grades, outcomes));
        };
        let reads = entry.reads.get_or_insert_with(|| self.reads(slot));
        let filled = self.filled(grades);
        let criteria = self.criteria.len();
        let assessment = (slot < criteria)
            .then(|| self.part_of.get(slot).copied().flatten())
            .flatten();
        let packed = (|| {
            let mut packed = Packed::default();
            let grade = |packed: &mut Packed, s: usize| {
                packed.position(filled.position(s))?;
                packed.push(u64::from(filled.is_absent(s)), 1)
            };
            packed.outcome(outcomes.at(slot))?;
            for &s in reads.iter() {
                packed.outcome(outcomes.at(s))?;
                if s < criteria {
                    grade(&mut packed, s)?;
                }
            }
            if slot < criteria {
                grade(&mut packed, slot)?;
                packed.position(grades.position(slot))?;
                if let Some(assessment) = assessment {
                    packed.outcome(outcomes.get(self, assessment))?;
                }
            }
            Some(packed.bits)
        })();
        let write = |out: &mut String| encode(out, &self.reason(id, grades, outcomes));
        // Kept unless the words say more than the values read.
        let closed = || !(slot >= criteria && self.open_reason(slot, &filled, outcomes));
        if let Some(key) = packed {
            return entry.packed.write(&key, out, write, closed);
        }
        let key = &mut cache.key;
        key.clear();
        let outcome = |s: usize| outcomes.at(s).map_or(3, |o| o as u64);
        // A criterion's grade (as the rules read it) and absence.
        let grade = |s: usize| {
            [
                filled.position(s).map_or(u64::MAX, f64::to_bits),
                u64::from(filled.is_absent(s)),
            ]
        };
        key.push(outcome(slot));
        for &s in reads.iter() {
            key.push(outcome(s));
            if s < criteria {
                key.extend(grade(s));
            }
        }
        if slot < criteria {
            // Its grade; a part's reason says whether its épreuve
            // compensated it, an optional part's whether it was taken.
            key.extend(grade(slot));
            key.push(grades.position(slot).map_or(u64::MAX, f64::to_bits));
            if let Some(assessment) = assessment {
                key.push(outcomes.get(self, assessment).map_or(3, |o| o as u64));
            }
        }
        entry.listed.write(key, out, write, closed);
    }

    /// The rule that decides `slot`, if any.
    fn rule_at(&self, slot: usize) -> Option<&'ir ExprIr> {
        self.rules
            .iter()
            .find(|(s, _, _)| *s == slot)
            .map(|&(_, _, expr)| expr)
    }

    /// The outcome slots the rule of `slot` reads, in order (none for a
    /// criterion).
    fn reads(&self, slot: usize) -> Vec<usize> {
        self.rule_at(slot).map_or_else(Vec::new, |expr| {
            expr.members()
                .into_iter()
                .filter_map(|m| self.slot_of(m))
                .collect()
        })
    }

    /// Whether the reason of the rule of `slot` names the missing grades
    /// its outcome was decided whatever their values: words that depend
    /// on more than the values the rule reads.
    fn open_reason(&self, slot: usize, grades: &Grades, outcomes: &Outcomes) -> bool {
        let decided = outcomes.at(slot).is_some_and(|o| o != Outcome::Pending);
        decided
            && self.rule_at(slot).is_some_and(|expr| {
                let view = View {
                    plan: self,
                    grades,
                    outcomes,
                };
                kleene::eval(expr, &view) == Truth::Unknown
            })
    }

    /// [`Plan::reason`] from the rules and grades alone.
    fn rule_reason(&self, id: &str, grades: &Grades, outcomes: &Outcomes) -> String {
        let given = grades;
        let grades = self.filled(grades);
        let grades: &Grades = &grades;
        let view = View {
            plan: self,
            grades,
            outcomes,
        };
        if let Some(index) = self.criterion_index(id) {
            let c = self.criteria.get(index);
            let pass = self
                .ir
                .criteria
                .get(index)
                .map(|c| show(self.lang, &c.pass))
                .unwrap_or_default();
            let lang = self.lang;
            if grades.is_absent(index) {
                if let Some(c) = c {
                    return c.absent_reason(lang, &pass);
                }
            }
            let graded = lang.t("graded", "noté");
            // An optional part not taken counts as its lowest mark.
            if given.position(index).is_none() {
                if let (Some(&(_, lowest)), Some(c)) =
                    (self.optional.iter().find(|(i, _)| *i == index), c)
                {
                    return format!(
                        "{}, {} {}",
                        lang.t("optional, not taken", "facultative, non présentée"),
                        lang.t("counts as", "compte pour"),
                        c.show(lang, lowest)
                    );
                }
            }
            // A part of an épreuve is a mark: below its pass mark it is
            // compensated when the épreuve is validated, not failed.
            if let (Some(assessment), Some(g), Some(c)) = (
                self.part_of.get(index).copied().flatten(),
                grades.position(index),
                c,
            ) {
                let mut text = format!("{graded} {}", c.show(lang, g));
                let coefficient = self.ir.criteria.get(index).map(|c| &c.weight);
                if let Some(w) = coefficient.filter(|w| w.exact() != Exact::ONE) {
                    text.push_str(&format!(
                        " ({} {})",
                        lang.t("coefficient", "coefficient"),
                        decimal(lang, w.exact())
                    ));
                }
                if g < c.pass && outcomes.get(self, assessment) == Some(Outcome::Passed) {
                    text.push_str(&format!(
                        ", {} {assessment}",
                        lang.t("compensated within assessment", "compensé dans l'épreuve")
                    ));
                }
                return text;
            }
            return match (grades.position(index), c) {
                (None, _) => lang.t("not graded yet", "pas encore noté").to_string(),
                (Some(g), Some(c)) if g >= c.pass => {
                    format!(
                        "{graded} {}, {} {pass}",
                        c.show(lang, g),
                        lang.t("pass level", "seuil")
                    )
                }
                (Some(g), Some(c)) => format!(
                    "{graded} {}, {} {pass}",
                    c.show(lang, g),
                    lang.t("below the pass level", "sous le seuil")
                ),
                (Some(g), None) => format!("{graded} {}", lang.number(g)),
            };
        }
        match self.slot_of(id).and_then(|slot| self.rule_at(slot)) {
            Some(expr) => {
                let mut text = view.reason(expr);
                // The criteria it reads that were absent, and what that
                // counted as.
                for member in expr.members() {
                    let Some(i) = self.criterion_index(member) else {
                        continue;
                    };
                    if let (true, Some(c)) = (grades.is_absent(i), self.criteria.get(i)) {
                        text.push_str(&format!(
                            "{}{member} {}",
                            self.lang.t("; ", " ; "),
                            c.absent_words(self.lang)
                        ));
                    }
                }
                // Decided by trying every value of grades still missing:
                // the clauses above show them open, the outcome does not
                // depend on them.
                let decided = outcomes
                    .get(self, id)
                    .is_some_and(|o| o != Outcome::Pending);
                if decided && kleene::eval(expr, &view) == Truth::Unknown {
                    let open: Vec<&str> = self
                        .case_splits(id)
                        .into_iter()
                        .filter(|k| match self.criterion_index(k) {
                            Some(i) => grades.position(i).is_none(),
                            None => outcomes.get(self, k) == Some(Outcome::Pending),
                        })
                        .collect();
                    text.push_str(&format!(
                        "{}{} {}",
                        self.lang.t("; ", " ; "),
                        self.lang.t(
                            "decided whatever the missing grades of",
                            "décidé quelles que soient les notes manquantes de"
                        ),
                        open.join(", ")
                    ));
                }
                text
            }
            None => String::new(),
        }
    }

    /// What an absent grade of criterion `index` counts as, in words of
    /// the referential's language: "absent, counts as 0" (« absent, compte
    /// pour 0 »), "absent, counts as not acquired".
    pub fn absent_words(&self, index: usize) -> String {
        self.criteria
            .get(index)
            .map(|c| c.absent_words(self.lang))
            .unwrap_or_default()
    }

    /// Every id with an outcome, criteria first, then competencies, blocks
    /// and `certification`.
    pub fn ids(&self) -> &[&'ir str] {
        &self.ids
    }

    pub fn is_criterion(&self, id: &str) -> bool {
        self.criterion_index(id).is_some()
    }

    /// The criterion id closest to `wanted`, an id the referential does
    /// not have ("did you mean"), found in an index built once: a grades
    /// file may name thousands of unknown criteria.
    pub fn closest_criterion(&self, wanted: &str) -> Option<&'ir str> {
        self.criterion_names.closest(wanted)
    }
}

impl CriterionPlan<'_> {
    /// An absent grade in words: "absent, counts as 0", "absent, counts
    /// as not acquired" (« absent, compte pour 0 », « absent, compte
    /// comme non acquis »).
    fn absent_words(&self, lang: Lang) -> String {
        match self.absent {
            Some((_, AbsentKind::NotAcquired)) => lang
                .t(
                    "absent, counts as not acquired",
                    "absent, compte comme non acquis",
                )
                .to_string(),
            Some((position, AbsentKind::Value)) => format!(
                "{} {}",
                lang.t("absent, counts as", "absent, compte pour"),
                self.show(lang, position)
            ),
            None => lang.t("absent", "absent").to_string(),
        }
    }

    /// An absent criterion's reason: what absence counts as, and against
    /// the pass level when it is a grade ("absent, counts as 0, below the
    /// pass level 10").
    fn absent_reason(&self, lang: Lang, pass: &str) -> String {
        let words = self.absent_words(lang);
        match self.absent {
            Some((position, AbsentKind::Value)) if position >= self.pass => {
                format!("{words}, {} {pass}", lang.t("pass level", "seuil"))
            }
            Some((_, AbsentKind::Value)) => format!(
                "{words}, {} {pass}",
                lang.t("below the pass level", "sous le seuil")
            ),
            Some((_, AbsentKind::NotAcquired)) | None => words,
        }
    }

    fn position(&self, value: &ValueIr) -> Option<f64> {
        match (self.levels, value) {
            (Some(levels), ValueIr::Level(l)) => {
                levels.iter().position(|x| x == l).map(|r| r as f64)
            }
            (None, ValueIr::Number(n)) => Some(n.to_f64()),
            _ => None,
        }
    }

    /// A grade as a jury reads it: the level, or the mark as written in the
    /// referential's language (`12,5`).
    fn show(&self, lang: Lang, position: f64) -> String {
        match self.levels {
            Some(levels) => levels.get(position as usize).cloned().unwrap_or_default(),
            None => match self.exact_grade(position) {
                Some(x) => decimal(lang, x),
                None => lang.number(position),
            },
        }
    }

    /// A threshold as an exact mark or rank.
    fn exact_position(&self, value: &ValueIr) -> Option<Exact> {
        match (self.levels, value) {
            (Some(levels), ValueIr::Level(l)) => {
                levels.iter().position(|x| x == l).map(kleene::size)
            }
            (None, ValueIr::Number(n)) => Some(n.exact()),
            _ => None,
        }
    }

    fn mark_table(&self) -> Vec<Exact> {
        if self.levels.is_some() || self.step.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
        {
            return Vec::new();
        }
        let steps = ((self.max - self.min) / self.step).round();
        if !(0.0..=MARK_TABLE as f64).contains(&steps) {
            return Vec::new();
        }
        (0..=steps as i128)
            .map_while(|k| {
                Exact::integer(k)
                    .checked_mul(self.exact_step)
                    .and_then(|x| x.checked_add(self.exact_min))
                    .ok()
            })
            .collect()
    }

    /// The exact value of a stored grade: a level's rank, or the mark.
    fn exact_grade(&self, g: f64) -> Option<Exact> {
        if self.levels.is_some() {
            return Some(kleene::size(g as usize));
        }
        let k = ((g - self.min) / self.step).round();
        if k >= 0.0 {
            if let Some(x) = self.marks.get(k as usize) {
                return Some(*x);
            }
        }
        exact(g)
    }

    fn grade(&self, grade: Option<f64>) -> Interval {
        match grade {
            Some(g) => self
                .exact_grade(g)
                .map_or_else(Interval::any, Interval::point),
            None if self.levels.is_some() || self.step > 0.0 => {
                Interval::between(self.exact_min, self.exact_max)
            }
            None => Interval::any(),
        }
    }
}

/// A level, or a number as the referential's language writes it.
fn show(lang: Lang, value: &ValueIr) -> String {
    match value {
        ValueIr::Level(l) => l.clone(),
        ValueIr::Number(n) => decimal(lang, n.exact()),
    }
}

/// A French participle or adjective written in the masculine plural
/// ("validés", "non vérifiés", "requis", "admis"), agreeing with `n` members
/// of the given gender: "validé" (one), "validées", "requise", "admises".
/// A criterion's "acquis" is masculine and stays as written for any `n`.
fn agree_fr(word: &str, n: usize, feminine: bool) -> String {
    let plural = n != 1;
    if let Some(stem) = word.strip_suffix("és") {
        return match (plural, feminine) {
            (true, false) => word.to_string(),
            (false, false) => format!("{stem}é"),
            (true, true) => format!("{stem}ées"),
            (false, true) => format!("{stem}ée"),
        };
    }
    if word.ends_with("is") {
        return match (plural, feminine) {
            (_, false) => word.to_string(),
            (true, true) => format!("{word}es"),
            (false, true) => format!("{word}e"),
        };
    }
    word.to_string()
}

/// An exact number in full, with the language's decimal separator (`12,5`,
/// `0,125`); a fraction that has no decimal form shows its hundredths
/// after `≈`.
fn decimal(lang: Lang, x: Exact) -> String {
    let text = x.to_string();
    if text.contains('/') {
        return computed(lang, x);
    }
    if lang.fr {
        text.replace('.', ",")
    } else {
        text
    }
}

/// A computed value as a jury reads it: to the hundredth (`10,00`), with
/// `≈` when the exact value has more decimals (`≈ 9,99` for 9.9875), so a
/// shown number never reads as reaching a threshold it misses.
fn computed(lang: Lang, x: Exact) -> String {
    let separator = if lang.fr { ',' } else { '.' };
    let shown = x.to_decimal_string(2, separator);
    let exact = Exact::integer(100)
        .checked_mul(x)
        .is_ok_and(Exact::is_integer);
    if exact {
        shown
    } else {
        format!("≈ {shown}")
    }
}

/// A comparison as people write it: `≥`, `≤`, `≠`.
fn symbol(cmp: CmpOp) -> &'static str {
    match cmp {
        CmpOp::Ge => "≥",
        CmpOp::Gt => ">",
        CmpOp::Le => "≤",
        CmpOp::Lt => "<",
        CmpOp::Eq => "=",
        CmpOp::Ne => "≠",
    }
}

/// One candidate's evaluation in progress.
struct Run<'p, 'ir, 'g> {
    plan: &'p Plan<'ir>,
    grades: &'g Grades,
    values: Vec<Outcome>,
}

fn truth(o: Outcome) -> Truth {
    match o {
        Outcome::Passed => Truth::True,
        Outcome::Failed => Truth::False,
        Outcome::Pending => Truth::Unknown,
    }
}

impl Run<'_, '_, '_> {
    fn eval(&self, program: &Program) -> Truth {
        match program {
            Program::And(args) => kleene::and(args.iter().map(|a| self.eval(a))),
            Program::Or(args) => kleene::or(args.iter().map(|a| self.eval(a))),
            Program::Not(arg) => !self.eval(arg),
            Program::Count(quantifier, members, test) => {
                kleene::quantify(*quantifier, members.slots.len(), self.tally(members, *test))
            }
            Program::Member(member, test) => self.member(*member, *test),
            Program::Compare(c) => {
                let (l, cmp, r) = &**c;
                kleene::compare(self.num(l), *cmp, self.num(r))
            }
            Program::Threshold(t) => self.threshold(t),
            Program::Const(v) => {
                if *v {
                    Truth::True
                } else {
                    Truth::False
                }
            }
        }
    }

    fn tally(&self, members: &Members, test: Test) -> (usize, usize) {
        let mut t = 0;
        let mut u = 0;
        if let Test::Outcome = test {
            // The common case, kept tight: a count of outcomes, over slots
            // alone.
            for slot in members.slots.iter() {
                match self.values.get(*slot) {
                    Some(Outcome::Passed) => t += 1,
                    Some(Outcome::Failed) => {}
                    _ => u += 1,
                }
            }
            return (t, u);
        }
        for (slot, threshold) in members.slots.iter().zip(members.thresholds.iter()) {
            let m = Member {
                slot: *slot,
                threshold: *threshold,
            };
            match self.member(m, test) {
                Truth::True => t += 1,
                Truth::Unknown => u += 1,
                Truth::False => {}
            }
        }
        (t, u)
    }

    fn grade(&self, slot: usize) -> Interval {
        match self.plan.criteria.get(slot) {
            Some(c) => c.grade(self.grades.position(slot)),
            None => Interval::any(),
        }
    }

    fn member(&self, member: Member, test: Test) -> Truth {
        match test {
            Test::Outcome => self
                .values
                .get(member.slot)
                .map_or(Truth::Unknown, |o| truth(*o)),
            Test::Compare(cmp) => kleene::compare(
                self.grade(member.slot),
                cmp,
                Interval::point(member.threshold),
            ),
        }
    }

    fn num(&self, num: &Num) -> Interval {
        match num {
            Num::Number(v) => *v,
            Num::Arith(op, l, r) => kleene::arith(*op, self.num(l), self.num(r)),
            Num::Aggregate(aggregate, members, test) => self.aggregate(*aggregate, members, *test),
            Num::Round(mode, decimals, arg) => kleene::round(*mode, *decimals, self.num(arg)),
            Num::Max(args) => {
                let [a, b] = &**args;
                kleene::max(self.num(a), self.num(b))
            }
            Num::Min(args) => {
                let [a, b] = &**args;
                kleene::min(self.num(a), self.num(b))
            }
        }
    }

    fn aggregate(&self, aggregate: AggregateFn, members: &Members, test: Test) -> Interval {
        match aggregate {
            AggregateFn::Count => {
                let (t, u) = self.tally(members, test);
                return kleene::count(t, u);
            }
            AggregateFn::Size => return Interval::point(kleene::size(members.slots.len())),
            AggregateFn::Average
            | AggregateFn::WeightedAverage
            | AggregateFn::Min
            | AggregateFn::Max
            | AggregateFn::Sum => {}
        }
        let weighted = aggregate == AggregateFn::WeightedAverage;
        if let Some(i) = self.scaled_aggregate(aggregate, &members.slots) {
            return i;
        }
        let marks = members.slots.iter().map(|&slot| {
            let weight = match self.plan.criteria.get(slot) {
                Some(c) if weighted => c.weight,
                _ => Exact::ONE,
            };
            (self.grade(slot), weight)
        });
        kleene::fold_marks(aggregate, marks)
    }

    /// `sum`, `min`, `max`, `average` and `weighted average` in integers
    /// over common denominators ([`Scaled`]): the same exact interval as
    /// `fold_marks`; `None` when the plan has no such denominators or a
    /// sum would leave `i128` (the fraction arithmetic then decides).
    fn scaled_aggregate(&self, aggregate: AggregateFn, slots: &[usize]) -> Option<Interval> {
        let scaled = self.plan.scaled.as_ref()?;
        let (lo, hi) = scaled.sums(aggregate, slots, self.grades)?;
        let den = scaled.denominator(aggregate, slots)?;
        Some(Interval::between(
            Exact::new(lo, den).ok()?,
            Exact::new(hi, den).ok()?,
        ))
    }

    /// A [`Threshold`]: the aggregate's sums against the precomputed
    /// threshold; the general comparison when a sum would overflow.
    fn threshold(&self, t: &Threshold) -> Truth {
        let decided = self.plan.scaled.as_ref().and_then(|scaled| {
            let (lo, hi) = scaled.sums(t.aggregate, &t.slots, self.grades)?;
            Some(versus(
                lo.checked_mul(t.q)?,
                hi.checked_mul(t.q)?,
                t.cmp,
                t.t,
            ))
        });
        match decided {
            Some(truth) => truth,
            None => {
                let (l, cmp, r) = &t.general;
                kleene::compare(self.num(l), *cmp, self.num(r))
            }
        }
    }
}

/// The truth of `[a, b] cmp t`, whole numbers over one denominator: as
/// `kleene::compare` decides an interval against a point.
fn versus(a: i128, b: i128, cmp: CmpOp, t: i128) -> Truth {
    let equal = || kleene::decide(a == b && a == t, t < a || b < t);
    match cmp {
        CmpOp::Ge => kleene::decide(a >= t, b < t),
        CmpOp::Gt => kleene::decide(a > t, b <= t),
        CmpOp::Le => kleene::decide(b <= t, a > t),
        CmpOp::Lt => kleene::decide(b < t, a >= t),
        CmpOp::Eq => equal(),
        CmpOp::Ne => !equal(),
    }
}

/// Evaluated facts seen through ids, to explain rules from their IR.
struct View<'p, 'ir, 'g> {
    plan: &'p Plan<'ir>,
    grades: &'g Grades,
    outcomes: &'g Outcomes,
}

impl Facts for View<'_, '_, '_> {
    fn outcome(&self, id: &str) -> Truth {
        self.outcomes
            .get(self.plan, id)
            .map_or(Truth::Unknown, truth)
    }

    fn grade(&self, id: &str) -> Interval {
        match self
            .plan
            .criterion_index(id)
            .and_then(|i| self.plan.criteria.get(i).map(|c| (i, c)))
        {
            Some((i, c)) => c.grade(self.grades.position(i)),
            None => Interval::any(),
        }
    }

    fn threshold(&self, id: &str, value: &ValueIr) -> Exact {
        self.plan
            .criterion_index(id)
            .and_then(|i| self.plan.criteria.get(i))
            .and_then(|c| c.exact_position(value))
            .unwrap_or(Exact::ZERO)
    }

    fn weight(&self, id: &str) -> Exact {
        self.plan
            .criterion_index(id)
            .and_then(|i| self.plan.criteria.get(i))
            .map_or(Exact::ONE, |c| c.weight)
    }
}

impl View<'_, '_, '_> {
    fn t(&self, en: &'static str, fr: &'static str) -> &'static str {
        self.plan.lang.t(en, fr)
    }

    /// Whether French words about every one of `members` agree in the
    /// feminine (a group with one masculine member is masculine).
    fn feminine<S: AsRef<str>>(&self, members: &[S]) -> bool {
        self.plan.lang.fr
            && !members.is_empty()
            && members.iter().all(|m| self.plan.is_feminine(m.as_ref()))
    }

    fn verdict(&self, truth: Truth) -> &'static str {
        match truth {
            Truth::True => self.t("holds", "vérifié"),
            Truth::False => self.t("fails", "non vérifié"),
            Truth::Unknown => self.t("is still open", "en attente"),
        }
    }

    fn reason(&self, expr: &ExprIr) -> String {
        match expr {
            ExprIr::And { args } | ExprIr::Or { args } => {
                let parts: Vec<String> = args.iter().map(|a| self.reason(a)).collect();
                parts.join(self.t("; ", " ; "))
            }
            ExprIr::Not { arg } => format!("{} ({})", self.t("not", "non"), self.reason(arg)),
            ExprIr::All { set, test } => {
                let f = self.feminine(set);
                let wanted = match (self.plan.lang.fr, f) {
                    (false, _) => "all required",
                    (true, false) => "tous requis",
                    (true, true) => "toutes requises",
                };
                self.count_reason(set, f, test, Some(set.len()), wanted.to_string())
            }
            ExprIr::Any { set, test } => {
                let f = self.feminine(set);
                let required = agree_fr(self.t("required", "requis"), 1, f);
                let wanted = format!("{} 1 {required}", self.t("at least", "au moins"));
                self.count_reason(set, f, test, Some(1), wanted)
            }
            ExprIr::None { set, test } => {
                let f = self.feminine(set);
                let wanted = match (self.plan.lang.fr, f) {
                    (false, _) => "none allowed",
                    (true, false) => "aucun admis",
                    (true, true) => "aucune admise",
                };
                self.count_reason(set, f, test, None, wanted.to_string())
            }
            ExprIr::AtLeast { n, set, test } => {
                let (f, count) = (self.feminine(set), *n as usize);
                let required = agree_fr(self.t("required", "requis"), count, f);
                self.count_reason(set, f, test, Some(count), format!("{n} {required}"))
            }
            ExprIr::AtMost { n, set, test } => {
                let f = self.feminine(set);
                let allowed = agree_fr(self.t("allowed", "admis"), *n as usize, f);
                let wanted = format!("{} {n} {allowed}", self.t("at most", "au plus"));
                self.count_reason(set, f, test, None, wanted)
            }
            ExprIr::Member { id, test } => match test {
                TestIr::Outcome => {
                    let outcome = Outcome::from_truth(self.outcome(id));
                    format!("{id} {}", self.plan.outcome_agreeing(id, outcome))
                }
                TestIr::Compare { cmp, value } => {
                    let t = kleene::member(id, test, self);
                    format!(
                        "{id} {} {} {}",
                        symbol(*cmp),
                        show(self.plan.lang, value),
                        self.verdict(t)
                    )
                }
            },
            ExprIr::Compare { lhs, cmp, rhs } => {
                let t = kleene::compare(kleene::num(lhs, self), *cmp, kleene::num(rhs, self));
                let sep = self.t(": ", " : ");
                format!(
                    "{} {} {}{sep}{}",
                    self.num_reason(lhs),
                    symbol(*cmp),
                    self.num_reason(rhs),
                    self.verdict(t)
                )
            }
            ExprIr::Const { value: true } => self
                .t("always true (dispensed)", "toujours vrai (dispense)")
                .to_string(),
            ExprIr::Const { value: false } => self.t("always false", "toujours faux").to_string(),
        }
    }

    /// "3 of 5 acquired, 4 required: CE1, CE2, CE4 acquired; CE3, CE5 not
    /// acquired; needs 1 more acquired among CE4, CE5"; `feminine`: French
    /// words about the whole set agree in the feminine ("C1, C2 validées").
    fn count_reason(
        &self,
        set: &[String],
        feminine: bool,
        test: &TestIr,
        required: Option<usize>,
        wanted: String,
    ) -> String {
        let all_criteria = set.iter().all(|id| self.plan.is_criterion(id));
        let (yes, no) = match (test, all_criteria) {
            (TestIr::Outcome, true) => (
                self.t("acquired", "acquis"),
                self.t("not acquired", "non acquis"),
            ),
            (TestIr::Outcome, false) => (
                self.t("validated", "validés"),
                self.t("not validated", "non validés"),
            ),
            (TestIr::Compare { .. }, _) => {
                (self.t("pass", "vérifiés"), self.t("fail", "non vérifiés"))
            }
        };
        let condition = match test {
            TestIr::Outcome => String::new(),
            TestIr::Compare { cmp, value } => {
                format!(" ({} {})", symbol(*cmp), show(self.plan.lang, value))
            }
        };
        let mut passed = Vec::new();
        let mut failed = Vec::new();
        let mut pending = Vec::new();
        for id in set {
            match kleene::member(id, test, self) {
                Truth::True => passed.push(id.as_str()),
                Truth::False => failed.push(id.as_str()),
                Truth::Unknown => pending.push(id.as_str()),
            }
        }
        let (of, waiting, sep) = if self.plan.lang.fr {
            ("sur", "en attente", " : ")
        } else {
            ("of", "pending", ": ")
        };
        // French agreement, in number and gender with the members named:
        // "A1 non validé", "A2, A3 validés", "C1, C2 validées".
        let agree = |word: &str, members: &[&str]| {
            if self.plan.lang.fr {
                agree_fr(word, members.len(), self.feminine(members))
            } else {
                word.to_string()
            }
        };
        let head = if feminine {
            agree_fr(yes, 2, true)
        } else {
            yes.to_string()
        };
        let mut out = format!(
            "{} {of} {} {head}{condition}, {wanted}",
            passed.len(),
            set.len()
        );
        if !passed.is_empty() {
            out.push_str(&format!(
                "{sep}{} {}",
                passed.join(", "),
                agree(yes, &passed)
            ));
        }
        if !failed.is_empty() {
            out.push_str(&format!(
                "{}{} {}",
                self.t("; ", " ; "),
                failed.join(", "),
                agree(no, &failed)
            ));
        }
        if !pending.is_empty() {
            out.push_str(&format!(
                "{}{} {waiting}",
                self.t("; ", " ; "),
                pending.join(", ")
            ));
        }
        if let Some(required) = required {
            if required > passed.len() && passed.len() + pending.len() >= required {
                let missing = required - passed.len();
                let among = pending.join(", ");
                if self.plan.lang.fr {
                    let yes = agree_fr(yes, missing, feminine);
                    out.push_str(&format!(
                        " ; il en faut encore {missing} {yes} parmi {among}"
                    ));
                } else {
                    out.push_str(&format!("; needs {missing} more {yes} among {among}"));
                }
            }
        }
        out
    }

    fn num_reason(&self, num: &NumIr) -> String {
        let i = kleene::num(num, self);
        let lang = self.plan.lang;
        // Counts and sizes are whole numbers; marks and what is computed
        // from them show their hundredths.
        let whole = matches!(
            num,
            NumIr::Aggregate {
                function: AggregateFn::Count | AggregateFn::Size,
                ..
            }
        );
        let bound = |b: Bound| match b {
            Bound::NegInf => "−∞".to_string(),
            Bound::PosInf => "+∞".to_string(),
            Bound::Finite(x) if whole => decimal(lang, x),
            Bound::Finite(x) => computed(lang, x),
        };
        let value = match i.value() {
            Some(x) if whole => decimal(lang, x),
            Some(x) => computed(lang, x),
            None => format!(
                "{} {} {} {}",
                self.t("between", "entre"),
                bound(i.lo),
                self.t("and", "et"),
                bound(i.hi)
            ),
        };
        match num {
            NumIr::Number { value } => show(lang, &ValueIr::Number(*value)),
            NumIr::Aggregate { function, .. } => {
                let name = match function {
                    AggregateFn::Average => self.t("average", "moyenne"),
                    AggregateFn::WeightedAverage => self.t("weighted average", "moyenne pondérée"),
                    AggregateFn::Sum => self.t("sum", "somme"),
                    AggregateFn::Count => self.t("count", "nombre"),
                    AggregateFn::Size => self.t("size", "taille"),
                    AggregateFn::Min => "min",
                    AggregateFn::Max => "max",
                };
                format!("{name} {value}")
            }
            // A quotient by 0 has no value: say so, not "between −∞ and +∞".
            NumIr::Arith {
                op: ArithOp::Div,
                rhs,
                ..
            } if kleene::num(rhs, self).value() == Some(Exact::ZERO) => self
                .t("no value (division by 0)", "sans valeur (division par 0)")
                .to_string(),
            NumIr::Arith { .. } => value,
            // "arrondi inférieur 9,99 (moyenne ≈ 10,00)": the rounded value
            // with its decimals, then what was rounded.
            NumIr::Round {
                mode,
                decimals,
                arg,
            } => {
                let word = match mode {
                    RoundMode::Nearest => self.t("rounded", "arrondi"),
                    RoundMode::Down => self.t("rounded down", "arrondi inférieur"),
                    RoundMode::Up => self.t("rounded up", "arrondi supérieur"),
                };
                let separator = if lang.fr { ',' } else { '.' };
                // A hand-written IR may ask for more decimals than rules can.
                let shown = match i.value() {
                    Some(x) if *decimals <= 6 => x.to_decimal_string(*decimals, separator),
                    _ => value,
                };
                format!("{word} {shown} ({})", self.num_reason(arg))
            }
            // "max 4,5 (0 ; 4,5)"
            NumIr::Max { args } | NumIr::Min { args } => {
                let name = if matches!(num, NumIr::Max { .. }) {
                    "max"
                } else {
                    "min"
                };
                let [a, b] = &**args;
                format!(
                    "{name} {value} ({}{}{})",
                    self.num_reason(a),
                    self.t(", ", " ; "),
                    self.num_reason(b)
                )
            }
        }
    }
}

/// A failed expectation of an `example` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub example: String,
    pub id: String,
    pub expected: OutcomeIr,
    /// `None` when the id has no outcome (not an entity of the referential).
    pub actual: Option<OutcomeIr>,
    pub reason: String,
}

/// Runs every `example` of the referential; returns the failed expectations
/// and the number of expectations checked.
pub fn run_examples(ir: &Ir) -> (Vec<Failure>, usize) {
    let plan = Plan::new(ir);
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in &ir.examples {
        let mut grades = Grades::new(&plan);
        for g in &example.grades {
            if let Some(index) = plan.criterion_index(&g.criterion) {
                if let Some(c) = plan.criteria.get(index) {
                    if let Some(position) = c.position(&g.value) {
                        let value = if g.absent {
                            GradeValue::Absent(position)
                        } else {
                            GradeValue::Graded(position)
                        };
                        grades.set_value(index, value);
                    }
                }
            }
        }
        let facts = crate::record::example_facts(example);
        let (grades, outcomes) = if facts.is_empty() && !plan.awaits_jury() {
            let outcomes = plan.evaluate(&grades);
            (grades, outcomes)
        } else {
            // The example's record: checked like a history file's (the
            // compiler has checked its ids and dates).
            let (record, _) = plan.resolve_record(&example.name, &facts, example.session);
            let exclusions = record.exclusions(ir);
            let variants = crate::record::Variants::new(ir, [&exclusions]);
            let plans = variants.plans();
            let variant = crate::record::plan_for(&plan, &plans, &exclusions);
            plan.evaluate_record(variant, &grades, &record)
        };
        for expectation in &example.expect {
            checked += 1;
            let is_criterion = plan.is_criterion(&expectation.id);
            let actual = outcomes
                .get(&plan, &expectation.id)
                .map(|o| o.ir(is_criterion));
            if actual != Some(expectation.outcome) {
                failures.push(Failure {
                    example: example.name.clone(),
                    id: expectation.id.clone(),
                    expected: expectation.outcome,
                    actual,
                    reason: plan.reason(&expectation.id, &grades, &outcomes),
                });
            }
        }
    }
    (failures, checked)
}

/// The rank of the level `text` names as a spreadsheet writes it: case,
/// accents, spaces and hyphens aside (`En cours`, `NON ACQUIS`,
/// `Non-acquis` for `en_cours`, `non_acquis`), when exactly one level of
/// the scale reads so; `None` otherwise (the grade is then an error).
pub(crate) fn folded_level(
    levels: &[String],
    labels: &std::collections::BTreeMap<String, String>,
    text: &str,
) -> Option<usize> {
    let wanted = acquis_ir::fold_word(text);
    if wanted.is_empty() {
        return None;
    }
    // A level reads as its id or as its label (`Non acquis`).
    let reads = |l: &String| {
        acquis_ir::fold_word(l) == wanted
            || labels
                .get(l)
                .is_some_and(|label| acquis_ir::fold_word(label) == wanted)
    };
    let mut found = levels.iter().enumerate().filter(|(_, l)| reads(l));
    match (found.next(), found.next()) {
        (Some((rank, _)), None) => Some(rank),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// Values are packed only when each fits its field exactly: a whole
    /// place under 63 (not -0, not a half point, not NaN), and 128 bits
    /// in all; otherwise they are listed.
    #[test]
    fn only_small_values_are_packed() {
        let mut packed = super::Packed::default();
        for place in [None, Some(0.0), Some(1.0), Some(62.0)] {
            assert!(packed.position(place).is_some(), "{place:?}");
        }
        for place in [63.0, 1.5, -0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(packed.position(Some(place)).is_none(), "{place}");
        }
        assert!(packed.push(2, 1).is_none());
        let mut full = super::Packed::default();
        for _ in 0..64 {
            assert!(full.outcome(None).is_some());
        }
        assert!(full.push(0, 1).is_none());
        // Distinct places, distinct packs.
        let pack = |place: f64| {
            let mut p = super::Packed::default();
            p.position(Some(place)).map(|()| p.bits)
        };
        let packs: std::collections::BTreeSet<_> = (0..63).map(|p| pack(f64::from(p))).collect();
        assert_eq!(packs.len(), 63);
        assert!(!packs.contains(&None));
    }

    /// Levels as spreadsheets write them: case, accents, spaces and
    /// hyphens aside, when exactly one level reads so.
    #[test]
    fn levels_as_spreadsheets_write_them() {
        let levels: Vec<String> = ["non_acquis", "en_cours", "acquis"]
            .iter()
            .map(|l| l.to_string())
            .collect();
        for (text, rank) in [
            ("Acquis", Some(2)),
            ("ACQUIS", Some(2)),
            ("En cours", Some(1)),
            (" en  cours ", Some(1)),
            ("Non-acquis", Some(0)),
            ("NON ACQUIS", Some(0)),
            ("non\u{a0}acquis", Some(0)),
            ("acquise", None),
            ("", None),
            ("en_cours_", Some(1)),
        ] {
            assert_eq!(
                super::folded_level(&levels, &Default::default(), text),
                rank,
                "{text:?}"
            );
        }
        let accents: Vec<String> = ["debute", "maitrise", "expert"]
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(
            super::folded_level(&accents, &Default::default(), "Débuté"),
            Some(0)
        );
        assert_eq!(
            super::folded_level(&accents, &Default::default(), "Maîtrisé"),
            Some(1)
        );
        assert_eq!(
            super::folded_level(&accents, &Default::default(), "Maîtrisée"),
            None
        );
        assert_eq!(
            super::folded_level(&accents, &Default::default(), "Maîtrise"),
            Some(1)
        );
        // Two levels that read alike: neither is chosen.
        let twins: Vec<String> = ["en_cours", "En_cours"]
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(
            super::folded_level(&twins, &Default::default(), "en cours"),
            None
        );
    }

    #[test]
    fn declared_labels_read_as_their_levels() {
        let levels: Vec<String> = ["non_acquis", "en_cours", "acquis"]
            .iter()
            .map(|l| l.to_string())
            .collect();
        let labels: std::collections::BTreeMap<String, String> = [
            ("non_acquis", "Non acquis"),
            ("en_cours", "En cours d'acquisition"),
            ("acquis", "Maîtrisé"),
        ]
        .iter()
        .map(|(l, t)| (l.to_string(), t.to_string()))
        .collect();
        for (text, rank) in [
            ("Non acquis", Some(0)),
            ("EN COURS D’ACQUISITION", Some(1)),
            ("en cours d acquisition", Some(1)),
            ("maitrise", Some(2)),
            // The ids still read as themselves.
            ("en_cours", Some(1)),
            ("Acquis", Some(2)),
            ("presque", None),
        ] {
            assert_eq!(
                super::folded_level(&levels, &labels, text),
                rank,
                "{text:?}"
            );
        }
    }

    #[test]
    fn rule_nodes_stay_small() {
        // A rule is a tree of these, walked for every candidate.
        assert!(
            std::mem::size_of::<super::Program>() <= 64,
            "{}",
            std::mem::size_of::<super::Program>()
        );
    }

    use super::*;
    use acquis_compiler::compile_str;

    /// One competency `C` over criteria CE1..CE4 on a 0..20 scale (pass
    /// 10), CE5 on the acquisition levels; `rule` is C's rule.
    fn outcome_of(rule: &str, grades: &[(&str, &str)]) -> Outcome {
        let source = format!(
            r#"
referential R "r" {{ lang fr }}
use std::scales::acquisition
use std::scales::note_sur_20
block B "b" {{
  competency C "c" {{
    criterion CE1 "1" {{ scale note_sur_20 weight 3 }}
    criterion CE2 "2" {{ scale note_sur_20 }}
    criterion CE3 "3" {{ scale note_sur_20 }}
    criterion CE4 "4" {{ scale note_sur_20 }}
    criterion CE5 "5" {{ scale acquisition }}
    validated when {rule}
  }}
  competency D "d" {{
    criterion CE1 "1" {{ scale acquisition }}
    validated when all criteria acquired
  }}
  assessment E "e" {{ covers C, D }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
        );
        let compiled = compile_str("t.acquis", &source);
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{rule}: {errors:#?}");
        let Some(ir) = compiled.ir else {
            unreachable!("an IR")
        };
        let plan = Plan::new(&ir);
        let mut g = Grades::new(&plan);
        for (id, value) in grades {
            assert_eq!(g.set(&plan, id, value), Ok(()), "{id} {value}");
        }
        let outcomes = plan.evaluate(&g);
        // Every outcome has a reason.
        for id in plan.ids() {
            let _ = plan.reason(id, &g, &outcomes);
        }
        outcomes.get(&plan, "C").unwrap_or(Outcome::Pending)
    }

    use Outcome::{Failed as F, Passed as P, Pending as U};

    /// Issue 17: a quotient by a divisor of 0 leaves the candidate
    /// pending, and the reason says why in the referential's language,
    /// not "between −∞ and +∞".
    #[test]
    fn a_divisor_of_zero_is_named_in_the_reason() {
        let source = |lang: &str| {
            format!(
                r#"
referential R "r" {{ lang {lang} }}
use std::scales::note_sur_20
block B "b" {{
  competency C "c" {{
    criterion CE1 "1" {{ scale note_sur_20 }}
    criterion CE2 "2" {{ scale note_sur_20 }}
    validated when sum({{CE1}}) / sum({{CE2}}) >= 1
  }}
  assessment E "e" {{ covers C }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
            )
        };
        for (lang, words) in [("en", "division by 0"), ("fr", "division par 0")] {
            let compiled = compile_str("t.acquis", &source(lang));
            assert!(
                compiled
                    .diagnostics
                    .iter()
                    .any(|d| d.code == acquis_compiler::Code::DivisorCanBeZero),
                "{:#?}",
                compiled.diagnostics
            );
            let Some(ir) = compiled.ir else {
                unreachable!("an IR")
            };
            let plan = Plan::new(&ir);
            let mut g = Grades::new(&plan);
            assert_eq!(g.set(&plan, "C/CE1", "12"), Ok(()));
            assert_eq!(g.set(&plan, "C/CE2", "0"), Ok(()));
            let outcomes = plan.evaluate(&g);
            assert_eq!(outcomes.get(&plan, "C"), Some(U));
            let reason = plan.reason("C", &g, &outcomes);
            assert!(reason.contains(words), "{lang}: {reason}");
            assert!(!reason.contains('∞'), "{lang}: {reason}");
        }
    }

    #[test]
    fn every_rule_form_with_its_pending_case() {
        // (rule, grades, expected outcome of C)
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Outcome);
        let cases: &[Case<'_>] = &[
            ("all criteria acquired", &[("C/CE1", "12")], U),
            ("all criteria acquired", &[("C/CE1", "8")], F),
            ("any {CE1, CE2} acquired", &[("C/CE1", "8")], U),
            (
                "any {CE1, CE2} acquired",
                &[("C/CE1", "8"), ("C/CE2", "10")],
                P,
            ),
            ("none {CE1, CE2} acquired", &[("C/CE1", "8")], U),
            (
                "none {CE1, CE2} acquired",
                &[("C/CE1", "8"), ("C/CE2", "9.5")],
                P,
            ),
            ("none {CE1, CE2} acquired", &[("C/CE2", "19")], F),
            (
                "at least 2 of criteria acquired",
                &[("C/CE1", "12"), ("C/CE2", "11")],
                P,
            ),
            // Five criteria: one failed leaves exactly four possible.
            ("at least 4 of criteria acquired", &[("C/CE1", "2")], U),
            (
                "at least 4 of criteria acquired",
                &[("C/CE1", "2"), ("C/CE2", "2")],
                F,
            ),
            (
                "at most 1 of {CE1, CE2, CE3} acquired",
                &[("C/CE1", "12")],
                U,
            ),
            (
                "at most 1 of {CE1, CE2, CE3} acquired",
                &[("C/CE1", "12"), ("C/CE2", "12")],
                F,
            ),
            (
                "at most 1 of {CE1, CE2, CE3} acquired",
                &[("C/CE1", "2"), ("C/CE2", "2")],
                P,
            ),
            (
                "4 of 5 criteria acquired and CE5 acquired",
                &[("C/CE5", "en_cours")],
                F,
            ),
            (
                "4 of 5 criteria acquired and CE5 acquired",
                &[("C/CE5", "acquis")],
                U,
            ),
            ("CE5 >= en_cours", &[("C/CE5", "en_cours")], P),
            ("CE5 >= en_cours", &[("C/CE5", "non_acquis")], F),
            ("CE5 >= en_cours", &[], U),
            ("not CE5 acquired", &[("C/CE5", "acquis")], F),
            ("CE1 acquired or CE2 acquired", &[("C/CE1", "3")], U),
            (
                "CE1 acquired or CE2 acquired",
                &[("C/CE1", "3"), ("C/CE2", "13")],
                P,
            ),
            (
                "D validated and CE5 acquired",
                &[("C/CE5", "acquis"), ("D/CE1", "acquis")],
                P,
            ),
            ("D validated and CE5 acquired", &[("C/CE5", "acquis")], U),
            (
                "count({CE1, CE2, CE3} >= 12) >= 2",
                &[("C/CE1", "12"), ("C/CE2", "14")],
                P,
            ),
            (
                "count(criteria acquired) * 2 > size(criteria)",
                &[("C/CE1", "12"), ("C/CE2", "12"), ("C/CE3", "12")],
                P,
            ),
        ];
        for (rule, grades, expected) in cases {
            assert_eq!(
                outcome_of(rule, grades),
                *expected,
                "{rule} with {grades:?}"
            );
        }
    }

    /// A competency over CE1 and CE2 on a 0..20 scale with the given
    /// weights, ruled by `rule`, both graded `grade`: C's outcome.
    fn weighted(weights: (&str, &str), rule: &str, grades: (&str, &str)) -> Outcome {
        let source = format!(
            "referential R \"r\" {{ lang fr }}\nuse std::scales::note_sur_20\n\
             block B \"b\" {{\n  competency C \"c\" {{\n\
             criterion CE1 \"1\" {{ scale note_sur_20 weight {} }}\n\
             criterion CE2 \"2\" {{ scale note_sur_20 weight {} }}\n\
             validated when {rule}\n  }}\n  assessment E \"e\" {{ covers C }}\n\
             validated when all competencies validated\n}}\n\
             certification validated when all blocks validated\n",
            weights.0, weights.1
        );
        let compiled = compile_str("t.acquis", &source);
        assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
        let Some(ir) = compiled.ir else {
            unreachable!("an IR")
        };
        let plan = Plan::new(&ir);
        let mut g = Grades::new(&plan);
        assert_eq!(g.set(&plan, "C/CE1", grades.0), Ok(()));
        assert_eq!(g.set(&plan, "C/CE2", grades.1), Ok(()));
        plan.evaluate(&g)
            .get(&plan, "C")
            .unwrap_or(Outcome::Pending)
    }

    #[test]
    fn a_candidate_exactly_at_the_pass_mark_passes() {
        // Binary floating point gives (0.1 × 10 + 0.2 × 10) / 0.3 =
        // 9.999999999999998 and refused this candidate.
        let rule = "weighted average(criteria) >= 10";
        assert_eq!(weighted(("0.1", "0.2"), rule, ("10", "10")), P);
        assert_eq!(weighted(("0.1", "0.2"), rule, ("10", "9.5")), F);
        // A points total with unequal coefficients: 0.7 × 10 + 0.3 × 10 = 10
        // points of 10, × 21 = 210 exactly (203.99999999999997 for 204
        // in floating point).
        let points = "weighted average(criteria) * 21 >= 210";
        assert_eq!(weighted(("0.7", "0.3"), points, ("10", "10")), P);
        assert_eq!(weighted(("0.7", "0.3"), points, ("10", "9.5")), F);
        let sum = "sum(criteria) * 0.1 >= 2";
        assert_eq!(weighted(("1", "1"), sum, ("10", "10")), P);
        // Grades are exact decimals too, with a point or a comma.
        assert_eq!(weighted(("0.1", "0.2"), rule, ("10,0", "10.00")), P);
    }

    #[test]
    fn aggregates_use_interval_bounds_for_missing_marks() {
        let rule = "average({CE1, CE2, CE3, CE4}) >= 10 and min({CE1, CE2, CE3, CE4}) >= 8";
        // 20, 20, 20 and an unknown in 0..20: the average is at least 15,
        // but the unknown could be under the floor.
        assert_eq!(
            outcome_of(rule, &[("C/CE1", "20"), ("C/CE2", "20"), ("C/CE3", "20")]),
            U
        );
        // A mark under the floor decides it whatever the rest.
        assert_eq!(outcome_of(rule, &[("C/CE1", "7")]), F);
        // Everything known.
        let all = [
            ("C/CE1", "9"),
            ("C/CE2", "11"),
            ("C/CE3", "10"),
            ("C/CE4", "10"),
        ];
        assert_eq!(outcome_of(rule, &all), P);
        // 0, 0, 0 and an unknown: the average cannot reach 10.
        let low = [("C/CE1", "0"), ("C/CE2", "0"), ("C/CE3", "0")];
        assert_eq!(outcome_of("average({CE1, CE2, CE3, CE4}) >= 10", &low), F);
        // Weighted: CE1 counts three times.
        let weighted = [("C/CE1", "12"), ("C/CE2", "6")];
        assert_eq!(
            outcome_of("weighted average({CE1, CE2}) >= 10", &weighted),
            P
        );
        assert_eq!(outcome_of("average({CE1, CE2}) >= 10", &weighted), F);
        assert_eq!(outcome_of("sum({CE1, CE2}) >= 30", &[("C/CE1", "12")]), U);
        assert_eq!(outcome_of("max({CE1, CE2}) >= 15", &[("C/CE1", "16")]), P);
    }

    #[test]
    fn grades_are_checked_against_the_scale() {
        let compiled = compile_str(
            "t.acquis",
            "referential R \"r\" { }\nuse std::scales::note_sur_20\nblock B \"b\" {\n  competency C \"c\" {\n    criterion CE1 \"1\" { scale note_sur_20 }\n    validated when all criteria acquired\n  }\n  assessment E \"e\" { covers C }\n  validated when all competencies validated\n}\ncertification validated when all blocks validated\n",
        );
        let Some(ir) = compiled.ir else {
            unreachable!()
        };
        let plan = Plan::new(&ir);
        let mut g = Grades::new(&plan);
        assert_eq!(
            g.set(&plan, "C/CE9", "12"),
            Err(GradeError::UnknownCriterion)
        );
        assert!(matches!(
            g.set(&plan, "C/CE1", "21"),
            Err(GradeError::NotOnScale(_))
        ));
        assert!(matches!(
            g.set(&plan, "C/CE1", "12.25"),
            Err(GradeError::NotOnScale(_))
        ));
        assert!(matches!(
            g.set(&plan, "C/CE1", "acquis"),
            Err(GradeError::NotOnScale(_))
        ));
        assert_eq!(g.set(&plan, "C/CE1", "12,5"), Ok(()));
        assert_eq!(
            plan.evaluate(&g).get(&plan, "certification"),
            Some(Outcome::Passed)
        );
    }

    #[test]
    fn french_words_agree_in_number_and_gender() {
        assert_eq!(agree_fr("validés", 1, false), "validé");
        assert_eq!(agree_fr("validés", 3, false), "validés");
        assert_eq!(agree_fr("non validés", 1, true), "non validée");
        assert_eq!(agree_fr("non validés", 2, true), "non validées");
        assert_eq!(agree_fr("requis", 1, true), "requise");
        assert_eq!(agree_fr("admis", 0, true), "admises");
        assert_eq!(agree_fr("admis", 2, false), "admis");
        assert_eq!(agree_fr("acquis", 1, false), "acquis");
        assert_eq!(agree_fr("required", 2, true), "required");
    }

    #[test]
    fn reasons_cite_members_and_what_is_missing() {
        let compiled = compile_str(
            "t.acquis",
            "referential R \"r\" { }\nuse std::scales::acquisition\ndefaults { criterion scale acquisition }\nblock B \"b\" {\n  competency C \"c\" {\n    criterion CE1 \"1\"\n    criterion CE2 \"2\"\n    criterion CE3 \"3\"\n    criterion CE4 \"4\"\n    criterion CE5 \"5\"\n    validated when at least 4 of 5 criteria acquired\n  }\n  assessment E \"e\" { covers C }\n  validated when all competencies validated\n}\ncertification validated when all blocks validated\n",
        );
        let Some(ir) = compiled.ir else {
            unreachable!()
        };
        let plan = Plan::new(&ir);
        let mut g = Grades::new(&plan);
        for (id, v) in [
            ("C/CE1", "acquis"),
            ("C/CE2", "acquis"),
            ("C/CE3", "non_acquis"),
        ] {
            assert_eq!(g.set(&plan, id, v), Ok(()));
        }
        let outcomes = plan.evaluate(&g);
        assert_eq!(outcomes.get(&plan, "C"), Some(Outcome::Pending));
        assert_eq!(
            plan.reason("C", &g, &outcomes),
            "2 of 5 acquired, 4 required: C/CE1, C/CE2 acquired; C/CE3 not acquired; C/CE4, C/CE5 pending; needs 2 more acquired among C/CE4, C/CE5"
        );
        assert_eq!(
            plan.reason("C/CE3", &g, &outcomes),
            "graded non_acquis, below the pass level acquis"
        );
    }
}
