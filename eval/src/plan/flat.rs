//! Batch evaluation: a [`Plan`] compiled once more, to a flat list of
//! straight-line operations over machine words, each word holding one
//! outcome of 64 candidates.
//!
//! A three-valued outcome of 64 candidates is two bit-planes: `pass` (bit
//! `j` set: candidate `j` passed) and `fail`; neither set is pending.
//! Kleene logic is then bitwise: `a and b` passes where both pass and
//! fails where either fails, `not` swaps the planes, and a quantifier
//! counts the members' planes with bit-sliced adders. Criteria are decided
//! against their pass positions while the grades are read into the planes
//! (one comparison per grade, the same as [`Plan`]'s), and a comparison of
//! a criterion with a level or a mark (`CE1 >= en_cours`) is looked up in
//! a table of its scale's steps, computed once with the one rule semantics.
//! So a cohort costs one pass over its grades and a few word operations
//! per rule per 64 candidates: no tree walk, no allocation per candidate,
//! outcomes addressed by slot.
//!
//! A comparison of numbers that reads the grades alone (an aggregate of
//! marks, arithmetic on them, a count of criteria compared to a number:
//! `weighted average(criteria) >= 10`) is decided for each candidate while
//! its grades are read, by the [`Plan`]'s own evaluation of that
//! comparison (the exact integers of its common denominators, else exact
//! fractions), into a register like any other: the rest of the rule stays
//! word operations. A count compared to a constant is the quantifier that
//! decides it the same way ([`count_as_quantifier`]). A rule whose other
//! numbers read other entities' outcomes (twice a count of competencies
//! compared to a number) is one operation that asks the plan to decide
//! that rule for each candidate of the word ([`Plan::rule_outcome`]),
//! from the outcomes it reads set from the registers; a rule decided by
//! trying the values of a missing grade ([`Plan::case_splits`]) keeps its
//! word operations and is tried so only where they leave it pending
//! ([`BatchPlan::per_candidate`] names both kinds). Every way gives the
//! outcomes of [`Plan::evaluate`], which the property tests check against
//! it and against a brute-force interpreter of the IR.

use acquis_ir::semantics::{self as kleene, Interval, Quantifier, Truth};
use acquis_ir::{AggregateFn, CmpOp, Exact};
use rustc_hash::FxHashMap as HashMap;

use super::{Grades, Member, Members, Num, Outcome, Outcomes, Plan, Program, Run, Test};

/// Why a rule is decided one candidate at a time inside the flat plan
/// (for every candidate, or where its word operations leave it pending),
/// by the [`Plan`]'s own decision of that rule from the outcomes the
/// words hold: same outcomes, slower for that rule alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFlat {
    /// This rule computes with numbers that read other entities' outcomes
    /// (arithmetic on a count of competencies, a count equal to a number).
    Numbers { rule: String },
    /// This rule reads a missing grade in both directions and is decided
    /// by trying its values where its word operations leave it pending.
    CaseSplits { rule: String },
}

impl std::fmt::Display for NotFlat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotFlat::Numbers { rule } => write!(
                f,
                "the rule of `{rule}` computes with numbers read from other outcomes"
            ),
            NotFlat::CaseSplits { rule } => {
                write!(
                    f,
                    "the rule of `{rule}` is decided by trying missing grades"
                )
            }
        }
    }
}

/// A register: an entity's slot, a comparison's, a constant or a
/// temporary of a rule.
type Reg = u32;

/// One straight-line operation; `args` are ranges of [`Flat::args`].
#[derive(Debug, Clone, Copy)]
enum Op {
    And {
        dst: Reg,
        args: (u32, u32),
    },
    Or {
        dst: Reg,
        args: (u32, u32),
    },
    Not {
        dst: Reg,
        src: Reg,
    },
    Copy {
        dst: Reg,
        src: Reg,
    },
    Count {
        dst: Reg,
        quantifier: Quantifier,
        args: (u32, u32),
    },
    /// The rule of [`Flat::per_candidate`]`[index]`, decided one candidate
    /// at a time.
    Rule {
        dst: Reg,
        index: u32,
    },
}

/// A rule decided one candidate at a time by the plan
/// ([`Plan::rule_outcome`]), from the outcomes its decision reads.
struct PerCandidate {
    /// Its index in the plan's rules.
    rule: usize,
    /// The slots its decision reads ([`Plan::rule_reads`]).
    reads: Box<[usize]>,
    /// Only where the word operations before it left it pending (a rule
    /// decided by cases); else every candidate.
    pending_only: bool,
}

/// A comparison of a criterion's grade with a threshold, decided per
/// candidate while the grades are read.
struct Comparison {
    /// The criterion's index.
    criterion: usize,
    cmp: CmpOp,
    threshold: Exact,
    /// The truth when the grade is missing.
    missing: Truth,
    /// The truth at each step of the scale, and how a position finds its
    /// step; empty when the scale has no table (decided by the semantics).
    table: Box<[Truth]>,
    steps: Steps,
}

/// How a stored position finds its step in [`Comparison::table`], as
/// `CriterionPlan::exact_grade` finds its exact value.
#[derive(Clone, Copy)]
enum Steps {
    /// A level's rank is its step (`position as usize`).
    Levels,
    /// A mark's step is `round((position − min) / step)`.
    Marks { min: f64, step: f64 },
}

/// A comparison of numbers read from the grades alone, decided for each
/// candidate by the plan's evaluation of it into its register.
struct Numeric<'p> {
    reg: Reg,
    program: &'p Program,
}

/// The flat form of a plan.
struct Flat<'p> {
    /// Entities with an outcome (the plan's slots): registers `0..slots`.
    slots: usize,
    /// Criteria: registers `0..criteria`, decided against `passes`.
    criteria: usize,
    /// The comparisons: registers `slots..slots + comparisons.len()`.
    comparisons: Vec<Comparison>,
    /// Registers of constant value, set once per evaluation.
    constants: Vec<(Reg, Truth)>,
    /// Comparisons of numbers, decided per candidate.
    numeric: Vec<Numeric<'p>>,
    /// Whether one of them counts criteria's outcomes.
    numeric_outcomes: bool,
    registers: usize,
    ops: Vec<Op>,
    args: Vec<Reg>,
    /// The rules decided one candidate at a time, and why.
    per_candidate: Vec<PerCandidate>,
    reasons: Vec<NotFlat>,
    /// How [`GradeColumns`] hold the criteria's grades, when every scale
    /// has at most [`MAX_STEPS`] steps; why not otherwise.
    steps: Result<Layout, NotColumns>,
}

/// The planes of a word of [`GradeColumns`]: per criterion, one plane of
/// the candidates graded, then one per bit of their grades' steps, low
/// bit first.
struct Layout {
    criteria: Vec<ColumnCriterion>,
    /// Planes per word, all criteria's.
    planes: usize,
}

/// A criterion as [`GradeColumns`] hold it: a grade is its step.
struct ColumnCriterion {
    /// The stored position of each step, lowest first.
    positions: Vec<f64>,
    /// Steps from this one pass (`position >= pass`): as many as the
    /// positions below the pass position.
    pass: usize,
    /// Its first plane (the graded one) in a word's planes.
    offset: usize,
    /// Bits of its steps: enough for the highest.
    bits: usize,
}

impl ColumnCriterion {
    /// This criterion's planes among a word's.
    fn planes<'c>(&self, word: &'c [u64]) -> &'c [u64] {
        word.get(self.offset..self.offset + 1 + self.bits)
            .unwrap_or_default()
    }
}

/// Scales with more steps than this have no columns.
const MAX_STEPS: usize = 4096;
// Their bits stay well below a word's width ([`at_least_step`] shifts).
const _: () = assert!(MAX_STEPS <= 1 << 16);

/// Why grades cannot be held as [`GradeColumns`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotColumns {
    /// This rule is decided one candidate at a time, from their grades
    /// ([`BatchPlan::per_candidate`]), which columns do not hold.
    NotFlat(NotFlat),
    /// This rule compares numbers, decided from each candidate's grades
    /// ([`BatchPlan::evaluate`]), not from columns of steps.
    Numbers { rule: String },
    /// This criterion's scale has more than 4,096 steps, or no steps
    /// (a range without bounds).
    Scale { criterion: String },
    /// A candidate's grade of this criterion is not on a step of its
    /// scale (grades read from a file always are).
    OffStep { candidate: usize, criterion: String },
}

impl std::fmt::Display for NotColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotColumns::NotFlat(why) => write!(f, "{why}"),
            NotColumns::Numbers { rule } => write!(
                f,
                "the rule of `{rule}` compares numbers, decided from each candidate's grades"
            ),
            NotColumns::Scale { criterion } => {
                write!(
                    f,
                    "the scale of `{criterion}` has more than {MAX_STEPS} steps"
                )
            }
            NotColumns::OffStep {
                candidate,
                criterion,
            } => write!(
                f,
                "candidate {candidate}'s grade of `{criterion}` is not on a step of its scale"
            ),
        }
    }
}

/// A cohort's grades column by column, bit-sliced: per 64 candidates and
/// criterion, a plane (a word, bit `k` for the word's candidate `k`) of
/// the candidates graded, then the bits of their grades' steps on the
/// scale (a level's rank, a mark's place from the lowest), one plane per
/// bit: two bits and a graded plane, 24 bytes, for 64 grades on a scale
/// of three or four levels. A missing optional part is its lowest step, as
/// evaluation reads it. Built for one [`BatchPlan`]
/// ([`BatchPlan::columns`]), evaluated 64 candidates per machine word
/// operation ([`BatchPlan::evaluate_columns`]).
#[derive(Debug, Clone, Default)]
pub struct GradeColumns {
    candidates: usize,
    /// Planes per word ([`Layout::planes`]): word `w`'s planes are at
    /// `w × planes`, so that evaluation reads them in order.
    planes: usize,
    bits: Vec<u64>,
}

impl GradeColumns {
    /// The candidates held.
    pub fn len(&self) -> usize {
        self.candidates
    }

    pub fn is_empty(&self) -> bool {
        self.candidates == 0
    }

    /// Every criterion's planes for the 64 candidates of word `w`.
    fn word(&self, w: usize) -> &[u64] {
        let start = w.saturating_mul(self.planes);
        self.bits
            .get(start..start.saturating_add(self.planes))
            .unwrap_or_default()
    }
}

/// A [`Plan`] ready to evaluate candidates in batches: word operations
/// for 64 candidates at a time, but for the rules of
/// [`BatchPlan::per_candidate`].
pub struct BatchPlan<'p, 'ir> {
    plan: &'p Plan<'ir>,
    flat: Flat<'p>,
}

/// The outcomes of a batch of candidates: per 64 candidates and slot, a
/// `pass` and a `fail` word. Holds the evaluator's working registers too,
/// so that evaluating batch after batch into one `BatchOutcomes` allocates
/// nothing once it has grown.
#[derive(Debug, Default, Clone)]
pub struct BatchOutcomes {
    slots: usize,
    len: usize,
    pass: Vec<u64>,
    fail: Vec<u64>,
    work_pass: Vec<u64>,
    work_fail: Vec<u64>,
    counter: Vec<u64>,
    /// A candidate's outcomes, for a rule decided one at a time.
    values: Vec<Outcome>,
}

impl BatchOutcomes {
    pub fn new() -> Self {
        BatchOutcomes::default()
    }

    /// The candidates evaluated.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Candidate `candidate`'s (in the order given) outcome of the entity
    /// in `slot` ([`Plan::slot`]); `None` out of range.
    pub fn get(&self, candidate: usize, slot: usize) -> Option<Outcome> {
        if candidate >= self.len || slot >= self.slots {
            return None;
        }
        let at = (candidate / 64) * self.slots + slot;
        let bit = 1u64 << (candidate % 64);
        let pass = self.pass.get(at)? & bit != 0;
        let fail = self.fail.get(at)? & bit != 0;
        Some(match (pass, fail) {
            (true, _) => Outcome::Passed,
            (false, true) => Outcome::Failed,
            (false, false) => Outcome::Pending,
        })
    }

    /// Every outcome of candidate `candidate`, into `outcomes` (as
    /// [`Plan::evaluate_into`] gives them).
    pub fn outcomes_into(&self, candidate: usize, outcomes: &mut Outcomes) {
        outcomes.record = None;
        outcomes.values.clear();
        if candidate >= self.len {
            return;
        }
        let base = (candidate / 64) * self.slots;
        let shift = candidate % 64;
        let (Some(pass), Some(fail)) = (
            self.pass.get(base..base + self.slots),
            self.fail.get(base..base + self.slots),
        ) else {
            return;
        };
        outcomes.values.extend(pass.iter().zip(fail).map(|(p, f)| {
            match ((p >> shift) & 1, (f >> shift) & 1) {
                (1, _) => Outcome::Passed,
                (_, 1) => Outcome::Failed,
                _ => Outcome::Pending,
            }
        }));
    }

    /// How many candidates passed, failed and are pending for the entity
    /// in `slot`, counted a word at a time.
    pub fn counts(&self, slot: usize) -> [usize; 3] {
        let mut counts = [0usize; 3];
        if slot >= self.slots {
            return counts;
        }
        for (w, start) in (0..self.len).step_by(64).enumerate() {
            let lanes = (self.len - start).min(64);
            let mask = if lanes == 64 {
                u64::MAX
            } else {
                (1u64 << lanes) - 1
            };
            let at = w * self.slots + slot;
            let pass = self.pass.get(at).copied().unwrap_or(0) & mask;
            let fail = self.fail.get(at).copied().unwrap_or(0) & mask & !pass;
            counts[0] += pass.count_ones() as usize;
            counts[1] += fail.count_ones() as usize;
            counts[2] += lanes - pass.count_ones() as usize - fail.count_ones() as usize;
        }
        counts
    }

    fn clear(&mut self, slots: usize) {
        self.slots = slots;
        self.len = 0;
        self.pass.clear();
        self.fail.clear();
    }
}

impl<'p, 'ir> BatchPlan<'p, 'ir> {
    pub fn new(plan: &'p Plan<'ir>) -> Self {
        BatchPlan {
            plan,
            flat: Flat::new(plan),
        }
    }

    pub fn plan(&self) -> &'p Plan<'ir> {
        self.plan
    }

    /// The rules decided one candidate at a time (by the plan's own
    /// decision of the rule, inside the flat evaluation), and why; empty
    /// when every rule is word operations.
    pub fn per_candidate(&self) -> &[NotFlat] {
        &self.flat.reasons
    }

    /// `grades` as columns of steps, for [`BatchPlan::evaluate_columns`];    /// why not when a rule is decided one candidate at a time or compares
    /// numbers (both read each candidate's grades), a scale has too many
    /// steps or a grade is off its scale's steps.
    pub fn columns<'g, I>(&self, grades: I) -> Result<GradeColumns, NotColumns>
    where
        I: IntoIterator<Item = &'g Grades>,
        I::IntoIter: ExactSizeIterator,
    {
        let layout = self.flat.steps.as_ref().map_err(Clone::clone)?;
        let grades = grades.into_iter();
        let candidates = grades.len();
        let mut bits = vec![0u64; candidates.div_ceil(64) * layout.planes];
        let name = |i: usize| {
            self.plan
                .ids
                .get(i)
                .map_or(String::new(), |s| s.to_string())
        };
        for (k, g) in grades.enumerate() {
            let word = (k / 64) * layout.planes;
            let lane = 1u64 << (k % 64);
            for (i, c) in layout.criteria.iter().enumerate() {
                let Some(x) = filled(self.plan, g, i) else {
                    continue;
                };
                let step = self
                    .plan
                    .criteria
                    .get(i)
                    .and_then(|plan| match plan.levels {
                        Some(_) => Some(x as usize),
                        None => {
                            let k = ((x - plan.min) / plan.step).round();
                            (k >= 0.0).then_some(k as usize)
                        }
                    });
                // On a step: the position is exactly that step's.
                let Some(step) = step.filter(|&s| c.positions.get(s) == Some(&x)) else {
                    return Err(NotColumns::OffStep {
                        candidate: k,
                        criterion: name(i),
                    });
                };
                let planes = bits
                    .get_mut(word + c.offset..word + c.offset + 1 + c.bits)
                    .unwrap_or_default();
                for (b, plane) in planes.iter_mut().enumerate() {
                    // The graded plane, then the step's bits.
                    if b == 0 || (step >> (b - 1)) & 1 == 1 {
                        *plane |= lane;
                    }
                }
            }
        }
        Ok(GradeColumns {
            candidates,
            planes: layout.planes,
            bits,
        })
    }

    /// Evaluates the candidates of `columns` (made by this plan's
    /// [`BatchPlan::columns`]) into `out`, as [`BatchPlan::evaluate`]
    /// does their grades. Columns of another layout (made by another
    /// plan) give no outcomes: `out` is left empty.
    pub fn evaluate_columns(&self, columns: &GradeColumns, out: &mut BatchOutcomes) {
        let slots = self.plan.ids.len();
        out.clear(slots);
        if let Ok(layout) = &self.flat.steps {
            // A plan with rules decided one candidate at a time has no
            // columns (`steps` says why): never evaluated without grades.
            if layout.planes == columns.planes && self.flat.per_candidate.is_empty() {
                self.flat.evaluate_columns(self.plan, layout, columns, out);
            }
        }
    }

    /// Evaluates `grades` (candidates in order) into `out`, replacing what
    /// it held: candidate `k`'s outcomes are `out.get(k, slot)`.
    pub fn evaluate<'g, I>(&self, grades: I, out: &mut BatchOutcomes)
    where
        I: IntoIterator<Item = &'g Grades>,
    {
        let slots = self.plan.ids.len();
        out.clear(slots);
        self.flat.evaluate(self.plan, grades, out);
    }
}

impl PerCandidate {
    /// The rule's planes for the candidates of `chunk`: each decided by
    /// the plan from its grades and the outcomes of `reads` in the
    /// registers (only where `dst` is pending when `pending_only`).
    fn decide(
        &self,
        plan: &Plan<'_>,
        chunk: &[&Grades],
        pass: &[u64],
        fail: &[u64],
        dst: Reg,
        values: &mut Vec<Outcome>,
    ) -> (u64, u64) {
        let (mut p, mut f) = match self.pending_only {
            true => (read(pass, dst), read(fail, dst)),
            false => (0, 0),
        };
        let open = !(p | f);
        values.resize(plan.ids.len(), Outcome::Pending);
        for (lane, g) in chunk.iter().enumerate() {
            let bit = 1u64 << lane;
            if open & bit == 0 {
                continue;
            }
            for &s in self.reads.iter() {
                let outcome = match (read(pass, to_reg(s)) & bit, read(fail, to_reg(s)) & bit) {
                    (0, 0) => Outcome::Pending,
                    (0, _) => Outcome::Failed,
                    _ => Outcome::Passed,
                };
                if let Some(v) = values.get_mut(s) {
                    *v = outcome;
                }
            }
            match plan.rule_outcome(self.rule, g, values) {
                Outcome::Passed => p |= bit,
                Outcome::Failed => f |= bit,
                Outcome::Pending => {}
            }
        }
        (p, f)
    }
}

/// The constant registers, after the comparisons.
const TRUE: usize = 0;
const FALSE: usize = 1;
const PENDING: usize = 2;

struct Builder<'a, 'ir> {
    plan: &'a Plan<'ir>,
    flat: Flat<'a>,
    /// The rule being compiled (for [`NotColumns::Numbers`]).
    rule: usize,
    /// Comparisons already given a register: (criterion, cmp, threshold).
    seen: HashMap<(usize, CmpOp, Exact), Reg>,
    /// Comparisons of what is not a criterion: constant registers.
    constant_comparisons: Vec<(Reg, Truth)>,
}

impl<'p> Flat<'p> {
    fn new(plan: &'p Plan<'_>) -> Flat<'p> {
        let name = |slot: usize| plan.ids.get(slot).map_or(String::new(), |s| s.to_string());
        let slots = plan.ids.len();
        let mut builder = Builder {
            plan,
            flat: Flat {
                slots,
                criteria: plan.criteria.len(),
                comparisons: Vec::new(),
                constants: Vec::new(),
                numeric: Vec::new(),
                numeric_outcomes: false,
                registers: slots,
                ops: Vec::new(),
                args: Vec::new(),
                per_candidate: Vec::new(),
                reasons: Vec::new(),
                steps: Ok(Layout {
                    criteria: Vec::new(),
                    planes: 0,
                }),
            },
            rule: usize::MAX,
            seen: HashMap::default(),
            constant_comparisons: Vec::new(),
        };
        // The comparisons are numbered first (they sit right after the
        // slots), the constants after them: a first pass finds them, and
        // the rules with numbers read from other outcomes, which are
        // decided one candidate at a time.
        let numbers: Vec<bool> = plan
            .rules
            .iter()
            .map(|(_, program, _)| builder.comparisons(program).is_err())
            .collect();
        let base = builder.flat.registers;
        builder.flat.constants = vec![
            (to_reg(base + TRUE), Truth::True),
            (to_reg(base + FALSE), Truth::False),
            (to_reg(base + PENDING), Truth::Unknown),
        ];
        builder.flat.registers += 3;
        let constant_comparisons = std::mem::take(&mut builder.constant_comparisons);
        builder.flat.constants.extend(constant_comparisons);
        builder.flat.steps = column_criteria(plan);
        for (r, (slot, program, _)) in plan.rules.iter().enumerate() {
            builder.rule = *slot;
            let dst = to_reg(*slot);
            let compiled = match numbers.get(r) {
                Some(false) => builder.compile(program).ok(),
                _ => None,
            };
            if let Some(reg) = compiled {
                if reg != dst {
                    builder.flat.ops.push(Op::Copy { dst, src: reg });
                }
            }
            let splits = plan.splits.get(r).is_some_and(|s| !s.is_empty());
            let reason = match (compiled, splits) {
                (Some(_), false) => continue,
                (_, true) => NotFlat::CaseSplits { rule: name(*slot) },
                (None, false) => NotFlat::Numbers { rule: name(*slot) },
            };
            let index = to_reg(builder.flat.per_candidate.len());
            let reads = plan.rule_reads(r);
            // What it reads is set before it runs: criteria, and the
            // rules before it (the plan's rules are in dependency order).
            debug_assert!(reads.iter().all(|&s| s < plan.criteria.len()
                || plan.rules.iter().take(r).any(|(slot, _, _)| *slot == s)));
            builder.flat.per_candidate.push(PerCandidate {
                rule: r,
                reads: reads.into(),
                pending_only: compiled.is_some(),
            });
            builder.flat.ops.push(Op::Rule { dst, index });
            // Columns hold no grades for them to read.
            if builder.flat.reasons.is_empty() {
                builder.flat.steps = Err(NotColumns::NotFlat(reason.clone()));
            }
            builder.flat.reasons.push(reason);
        }
        builder.flat
    }

    fn constant(&self, truth: Truth) -> Reg {
        let base = self.slots + self.comparisons.len();
        to_reg(
            base + match truth {
                Truth::True => TRUE,
                Truth::False => FALSE,
                Truth::Unknown => PENDING,
            },
        )
    }

    /// Evaluates `grades`, 64 at a time, appending their planes to `out`.
    fn evaluate<'g, I>(&self, plan: &Plan<'_>, grades: I, out: &mut BatchOutcomes)
    where
        I: IntoIterator<Item = &'g Grades>,
    {
        let mut work_pass = std::mem::take(&mut out.work_pass);
        let mut work_fail = std::mem::take(&mut out.work_fail);
        let mut counter = std::mem::take(&mut out.counter);
        self.init(&mut work_pass, &mut work_fail);
        let mut chunk: Vec<&Grades> = Vec::with_capacity(64);
        let mut grades = grades.into_iter();
        let mut values = std::mem::take(&mut out.values);
        loop {
            chunk.clear();
            chunk.extend(grades.by_ref().take(64));
            if chunk.is_empty() {
                break;
            }
            self.load(plan, &chunk, &mut work_pass, &mut work_fail);
            self.load_numbers(plan, &chunk, &mut work_pass, &mut work_fail, &mut values);
            self.run(
                plan,
                &chunk,
                &mut work_pass,
                &mut work_fail,
                &mut counter,
                &mut values,
            );
            out.pass
                .extend_from_slice(work_pass.get(..self.slots).unwrap_or_default());
            out.fail
                .extend_from_slice(work_fail.get(..self.slots).unwrap_or_default());
            out.len += chunk.len();
        }
        out.work_pass = work_pass;
        out.work_fail = work_fail;
        out.counter = counter;
        out.values = values;
    }

    /// [`Flat::evaluate`] over columns of steps.
    fn evaluate_columns(
        &self,
        plan: &Plan<'_>,
        layout: &Layout,
        columns: &GradeColumns,
        out: &mut BatchOutcomes,
    ) {
        let mut work_pass = std::mem::take(&mut out.work_pass);
        let mut work_fail = std::mem::take(&mut out.work_fail);
        let mut counter = std::mem::take(&mut out.counter);
        let mut values = std::mem::take(&mut out.values);
        self.init(&mut work_pass, &mut work_fail);
        let words = columns.candidates.div_ceil(64);
        for w in 0..words {
            let word = columns.word(w);
            for ((c, wp), wf) in layout
                .criteria
                .iter()
                .zip(work_pass.iter_mut())
                .zip(work_fail.iter_mut())
            {
                (*wp, *wf) = decide_planes(c.planes(word), c.pass);
            }
            for (t, c) in self.comparisons.iter().enumerate() {
                // Not a criterion: a constant register, set once.
                let Some(criterion) = layout.criteria.get(c.criterion) else {
                    continue;
                };
                let (p, f) = decide_table(criterion.planes(word), &c.table, c.missing);
                let reg = self.slots + t;
                if let (Some(wp), Some(wf)) = (work_pass.get_mut(reg), work_fail.get_mut(reg)) {
                    *wp = p;
                    *wf = f;
                }
            }
            self.run(
                plan,
                &[],
                &mut work_pass,
                &mut work_fail,
                &mut counter,
                &mut values,
            );
            out.pass
                .extend_from_slice(work_pass.get(..self.slots).unwrap_or_default());
            out.fail
                .extend_from_slice(work_fail.get(..self.slots).unwrap_or_default());
        }
        out.len = columns.candidates;
        out.work_pass = work_pass;
        out.work_fail = work_fail;
        out.counter = counter;
        out.values = values;
    }

    /// Sizes the registers and sets the constant ones.
    fn init(&self, work_pass: &mut Vec<u64>, work_fail: &mut Vec<u64>) {
        work_pass.clear();
        work_pass.resize(self.registers, 0);
        work_fail.clear();
        work_fail.resize(self.registers, 0);
        for &(reg, truth) in &self.constants {
            let (p, f) = planes(truth);
            if let (Some(wp), Some(wf)) = (
                work_pass.get_mut(reg as usize),
                work_fail.get_mut(reg as usize),
            ) {
                *wp = p;
                *wf = f;
            }
        }
    }

    /// Reads up to 64 candidates' grades into the criteria's and the
    /// comparisons' registers.
    fn load(&self, plan: &Plan<'_>, chunk: &[&Grades], pass: &mut [u64], fail: &mut [u64]) {
        let n = self.criteria;
        let comparisons = self.slots..self.slots + self.comparisons.len();
        for range in [0..n, comparisons.clone()] {
            if let (Some(p), Some(f)) = (pass.get_mut(range.clone()), fail.get_mut(range)) {
                p.fill(0);
                f.fill(0);
            }
        }
        let (Some(cp), Some(cf)) = (pass.get_mut(..n), fail.get_mut(..n)) else {
            return;
        };
        for (j, g) in chunk.iter().enumerate() {
            // NaN (not graded) compares false both ways: neither bit.
            for (((p, f), &x), &t) in cp
                .iter_mut()
                .zip(cf.iter_mut())
                .zip(&g.positions)
                .zip(&plan.passes)
            {
                *p |= u64::from(x >= t) << j;
                *f |= u64::from(x < t) << j;
            }
            // A missing optional part is its scale's lowest mark.
            for &(i, lowest) in &plan.optional {
                if g.position(i).is_none() {
                    if let (Some(p), Some(f), Some(&t)) =
                        (cp.get_mut(i), cf.get_mut(i), plan.passes.get(i))
                    {
                        *p |= u64::from(lowest >= t) << j;
                        *f |= u64::from(lowest < t) << j;
                    }
                }
            }
        }
        let (Some(tp), Some(tf)) = (pass.get_mut(comparisons.clone()), fail.get_mut(comparisons))
        else {
            return;
        };
        for ((c, p), f) in self.comparisons.iter().zip(tp).zip(tf) {
            for (j, g) in chunk.iter().enumerate() {
                let (yes, no) = planes(c.truth(plan, filled(plan, g, c.criterion)));
                *p |= (yes & 1) << j;
                *f |= (no & 1) << j;
            }
        }
    }

    /// Decides the comparisons of numbers of up to 64 candidates into
    /// their registers, each as the plan's evaluation decides it, from the
    /// grades as evaluation reads them (and the criteria's outcomes when a
    /// comparison counts them; `values` is their reused memory).
    fn load_numbers(
        &self,
        plan: &Plan<'_>,
        chunk: &[&Grades],
        pass: &mut [u64],
        fail: &mut [u64],
        values: &mut Vec<Outcome>,
    ) {
        if self.numeric.is_empty() {
            return;
        }
        for n in &self.numeric {
            if let (Some(p), Some(f)) = (pass.get_mut(n.reg as usize), fail.get_mut(n.reg as usize))
            {
                *p = 0;
                *f = 0;
            }
        }
        for (j, g) in chunk.iter().enumerate() {
            let grades = plan.filled(g);
            let grades: &Grades = &grades;
            if self.numeric_outcomes {
                plan.criteria_outcomes(grades, values);
            }
            let run = Run {
                plan,
                grades,
                values: std::mem::take(values),
            };
            for n in &self.numeric {
                let (yes, no) = planes(run.eval(n.program));
                if let (Some(p), Some(f)) =
                    (pass.get_mut(n.reg as usize), fail.get_mut(n.reg as usize))
                {
                    *p |= (yes & 1) << j;
                    *f |= (no & 1) << j;
                }
            }
            *values = run.values;
        }
    }

    /// Runs the operations over the loaded registers of the candidates of
    /// `chunk` (whose grades a rule decided one candidate at a time
    /// reads; none over columns, which such plans do not have).
    fn run(
        &self,
        plan: &Plan<'_>,
        chunk: &[&Grades],
        pass: &mut [u64],
        fail: &mut [u64],
        counter: &mut Vec<u64>,
        values: &mut Vec<Outcome>,
    ) {
        let args = |(a, b): (u32, u32)| self.args.get(a as usize..b as usize).unwrap_or_default();
        for op in &self.ops {
            let (dst, p, f) = match *op {
                Op::And { dst, args: range } => {
                    let (mut p, mut f) = (u64::MAX, 0);
                    for &r in args(range) {
                        p &= read(pass, r);
                        f |= read(fail, r);
                    }
                    (dst, p, f)
                }
                Op::Or { dst, args: range } => {
                    let (mut p, mut f) = (0, u64::MAX);
                    for &r in args(range) {
                        p |= read(pass, r);
                        f &= read(fail, r);
                    }
                    (dst, p, f)
                }
                Op::Not { dst, src } => (dst, read(fail, src), read(pass, src)),
                Op::Copy { dst, src } => (dst, read(pass, src), read(fail, src)),
                Op::Count {
                    dst,
                    quantifier,
                    args: range,
                } => {
                    let (p, f) = quantify(quantifier, args(range), pass, fail, counter);
                    (dst, p, f)
                }
                Op::Rule { dst, index } => {
                    let Some(rule) = self.per_candidate.get(index as usize) else {
                        continue;
                    };
                    let (p, f) = rule.decide(plan, chunk, pass, fail, dst, values);
                    (dst, p, f)
                }
            };
            if let (Some(wp), Some(wf)) = (pass.get_mut(dst as usize), fail.get_mut(dst as usize)) {
                *wp = p;
                *wf = f;
            }
        }
    }
}

/// A candidate's grade of criterion `i` as evaluation reads it: a missing
/// optional part is its scale's lowest mark.
fn filled(plan: &Plan<'_>, g: &Grades, i: usize) -> Option<f64> {
    g.position(i).or_else(|| {
        plan.optional
            .iter()
            .find(|(o, _)| *o == i)
            .map(|&(_, lowest)| lowest)
    })
}

impl Comparison {
    fn truth(&self, plan: &Plan<'_>, position: Option<f64>) -> Truth {
        let Some(x) = position else {
            return self.missing;
        };
        let step = match self.steps {
            Steps::Levels => Some(x as usize),
            Steps::Marks { min, step } => {
                let k = ((x - min) / step).round();
                (k >= 0.0).then_some(k as usize)
            }
        };
        match step.and_then(|k| self.table.get(k)) {
            Some(t) => *t,
            // Off the table: as the plan decides it.
            None => match plan.criteria.get(self.criterion) {
                Some(c) => {
                    kleene::compare(c.grade(Some(x)), self.cmp, Interval::point(self.threshold))
                }
                None => Truth::Unknown,
            },
        }
    }
}

/// Every criterion's steps and planes, or why grades cannot be columns.
fn column_criteria(plan: &Plan<'_>) -> Result<Layout, NotColumns> {
    let mut planes = 0;
    let criteria = (0..plan.criteria.len())
        .map(|i| {
            let positions = plan.values_of(i);
            let pass = plan.passes.get(i).copied().unwrap_or(f64::INFINITY);
            let below = positions.iter().filter(|&&p| p < pass).count();
            if !(1..=MAX_STEPS).contains(&positions.len()) {
                return Err(NotColumns::Scale {
                    criterion: plan.ids.get(i).map_or(String::new(), |s| s.to_string()),
                });
            }
            // The bits of the highest step.
            let bits = (usize::BITS - (positions.len() - 1).leading_zeros()) as usize;
            let offset = planes;
            planes += 1 + bits;
            Ok(ColumnCriterion {
                positions,
                pass: below,
                offset,
                bits,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Layout { criteria, planes })
}

/// The lanes whose number (a step, a count), written in `bits` (one plane
/// per bit, low bit first), is at least `k`: compared from the highest bit
/// down, as a bit-sliced comparator with a constant.
fn at_least_step(bits: &[u64], k: usize) -> u64 {
    if u32::try_from(bits.len())
        .ok()
        .and_then(|n| k.checked_shr(n))
        .is_some_and(|high| high != 0)
    {
        // Above every step the bits can write.
        return 0;
    }
    let (mut greater, mut equal) = (0u64, u64::MAX);
    for (b, &x) in bits.iter().enumerate().rev() {
        if (k >> b) & 1 == 1 {
            equal &= x;
        } else {
            greater |= equal & x;
            equal &= !x;
        }
    }
    greater | equal
}

/// 64 candidates' grades of one criterion (its planes: graded, then the
/// step's bits): those that pass it (step at or above `pass`) and those
/// that fail it (below); a missing grade is neither.
fn decide_planes(column: &[u64], pass: usize) -> (u64, u64) {
    let Some((&graded, bits)) = column.split_first() else {
        return (0, 0);
    };
    let at_least = at_least_step(bits, pass);
    (graded & at_least, graded & !at_least)
}

/// 64 candidates' grades of one criterion compared with a threshold: the
/// truth at each step is `table`'s (a step past it is unknown), at a
/// missing grade `missing`. Each run of steps of one truth costs two
/// comparisons of the bits.
fn decide_table(column: &[u64], table: &[Truth], missing: Truth) -> (u64, u64) {
    let Some((&graded, bits)) = column.split_first() else {
        return planes(missing);
    };
    let (mut p, mut f) = (0u64, 0u64);
    let mut start = 0;
    let mut from = u64::MAX;
    while let Some(&truth) = table.get(start) {
        let end = table
            .get(start..)
            .and_then(|rest| rest.iter().position(|&t| t != truth))
            .map_or(table.len(), |n| start + n);
        let beyond = at_least_step(bits, end);
        let lanes = from & !beyond;
        match truth {
            Truth::True => p |= lanes,
            Truth::False => f |= lanes,
            Truth::Unknown => {}
        }
        start = end;
        from = beyond;
    }
    let (mp, mf) = planes(missing);
    ((p & graded) | (mp & !graded), (f & graded) | (mf & !graded))
}

fn to_reg(i: usize) -> Reg {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn read(plane: &[u64], r: Reg) -> u64 {
    plane.get(r as usize).copied().unwrap_or(0)
}

/// A truth as (pass, fail) words for every lane.
fn planes(t: Truth) -> (u64, u64) {
    match t {
        Truth::True => (u64::MAX, 0),
        Truth::False => (0, u64::MAX),
        Truth::Unknown => (0, 0),
    }
}

/// A quantifier over members' planes, as `semantics::quantify` decides it
/// for each lane: with `t` members passed, `f` failed of `m`,
/// `t + u = m − f`.
fn quantify(
    quantifier: Quantifier,
    members: &[Reg],
    pass: &[u64],
    fail: &[u64],
    counter: &mut Vec<u64>,
) -> (u64, u64) {
    let m = members.len();
    let (p, f) = match quantifier {
        // t == m; t + u < m.
        Quantifier::All => (all(pass, members), any(fail, members)),
        // t > 0; t + u == 0.
        Quantifier::Any => (any(pass, members), all(fail, members)),
        // t + u == 0; t > 0.
        Quantifier::None => (all(fail, members), any(pass, members)),
        // t >= k; t + u < k, that is f > m − k.
        Quantifier::AtLeast(k) => (
            at_least(pass, members, k, counter),
            at_least(fail, members, (m + 1).saturating_sub(k), counter),
        ),
        // t + u <= k, that is f >= m − k; t > k.
        Quantifier::AtMost(k) => (
            at_least(fail, members, m.saturating_sub(k), counter),
            at_least(pass, members, k.saturating_add(1), counter),
        ),
    };
    // `decide`: surely true wins.
    (p, f & !p)
}

fn all(plane: &[u64], members: &[Reg]) -> u64 {
    members.iter().fold(u64::MAX, |a, &r| a & read(plane, r))
}

fn any(plane: &[u64], members: &[Reg]) -> u64 {
    members.iter().fold(0, |a, &r| a | read(plane, r))
}

/// The lanes where at least `n` of the members' bits are set.
fn at_least(plane: &[u64], members: &[Reg], n: usize, counter: &mut Vec<u64>) -> u64 {
    let m = members.len();
    if n == 0 {
        return u64::MAX;
    }
    if n > m {
        return 0;
    }
    if n == 1 {
        return any(plane, members);
    }
    if n == m {
        return all(plane, members);
    }
    if n <= SMALL {
        // ge[j]: at least j bits so far.
        let mut ge = [0u64; SMALL + 1];
        ge[0] = u64::MAX;
        for &r in members {
            let x = read(plane, r);
            for j in (1..=n).rev() {
                ge[j] |= ge[j - 1] & x;
            }
        }
        return ge[n];
    }
    // A bit-sliced counter: bit b of every lane's count in counter[b].
    let width = (usize::BITS - m.leading_zeros()) as usize;
    counter.clear();
    counter.resize(width, 0);
    for &r in members {
        let mut carry = read(plane, r);
        for c in counter.iter_mut() {
            if carry == 0 {
                break;
            }
            let sum = *c ^ carry;
            carry &= *c;
            *c = sum;
        }
    }
    // count >= n: the counter's bits compared with a constant.
    at_least_step(counter, n)
}

/// `count(set) cmp c` (or `c cmp count(set)`), `c` a constant, as the
/// quantifier that decides it the same way: the count is between the
/// members that surely pass, `t`, and those that may, `t + u`, and
/// `semantics::compare` decides `[t, t + u] >= c` true when `t >= c` and
/// false when `t + u < c`, which is `at least ⌈c⌉` (`> c`: at least
/// `⌊c⌋ + 1`; `<= c`: at most `⌊c⌋`; `< c`: at most `⌈c⌉ − 1`, never
/// below zero). `None` for any other comparison, and for `=` and `≠`.
fn count_as_quantifier(program: &Program) -> Option<(Quantifier, &Members, Test)> {
    let Program::Compare(c) = program else {
        return None;
    };
    let (l, cmp, r) = &**c;
    let (members, test, cmp, c) = match (l, r) {
        (Num::Aggregate(AggregateFn::Count, members, test), Num::Number(v)) => {
            (members, *test, *cmp, v.value()?)
        }
        (Num::Number(v), Num::Aggregate(AggregateFn::Count, members, test)) => {
            (members, *test, cmp.mirrored(), v.value()?)
        }
        _ => return None,
    };
    // Denominators are positive.
    let floor = c.numerator().checked_div_euclid(c.denominator())?;
    let ceil = c
        .numerator()
        .checked_neg()?
        .checked_div_euclid(c.denominator())?
        .checked_neg()?;
    let at_least = |k: i128| Some(Quantifier::AtLeast(usize::try_from(k.max(0)).ok()?));
    // At most a negative number: never, as at least one more than all.
    let at_most = |k: i128| match usize::try_from(k) {
        Ok(k) => Some(Quantifier::AtMost(k)),
        Err(_) if k < 0 => members.slots.len().checked_add(1).map(Quantifier::AtLeast),
        Err(_) => None,
    };
    let quantifier = match cmp {
        CmpOp::Ge => at_least(ceil)?,
        CmpOp::Gt => at_least(floor.checked_add(1)?)?,
        CmpOp::Le => at_most(floor)?,
        CmpOp::Lt => at_most(ceil.checked_sub(1)?)?,
        CmpOp::Eq | CmpOp::Ne => return None,
    };
    Some((quantifier, members, test))
}

/// Whether a comparison of numbers reads the grades alone, so that it can
/// be decided per candidate while the grades are read: `Some(true)` when
/// it counts criteria's outcomes (decided from the grades too), `None`
/// when it reads another entity's outcome.
fn reads_grades_only(plan: &Plan<'_>, program: &Program) -> Option<bool> {
    let mut outcomes = false;
    let only = match program {
        Program::Compare(c) => {
            let (l, _, r) = &**c;
            number_reads_grades_only(plan, l, &mut outcomes)
                && number_reads_grades_only(plan, r, &mut outcomes)
        }
        // Its sums read marks; its general form, used when a sum would
        // overflow, the same marks.
        Program::Threshold(t) => {
            let (l, _, r) = &t.general;
            number_reads_grades_only(plan, l, &mut outcomes)
                && number_reads_grades_only(plan, r, &mut outcomes)
        }
        _ => false,
    };
    only.then_some(outcomes)
}

fn number_reads_grades_only(plan: &Plan<'_>, num: &Num, outcomes: &mut bool) -> bool {
    match num {
        Num::Number(_) => true,
        Num::Arith(_, l, r) => {
            number_reads_grades_only(plan, l, outcomes)
                && number_reads_grades_only(plan, r, outcomes)
        }
        Num::Round(_, _, arg) => number_reads_grades_only(plan, arg, outcomes),
        Num::Max(args) | Num::Min(args) => args
            .iter()
            .all(|a| number_reads_grades_only(plan, a, outcomes)),
        Num::Aggregate(AggregateFn::Count, members, Test::Outcome) => {
            *outcomes = true;
            // Criteria are the first slots; their outcomes come from
            // their grades.
            members.slots.iter().all(|&slot| slot < plan.criteria.len())
        }
        // Marks (a slot that is not a criterion reads as any number), a
        // count of grades compared to thresholds, a size.
        Num::Aggregate(..) => true,
    }
}

/// Thresholds up to this are counted with one word per count reached.
const SMALL: usize = 8;

impl<'a> Builder<'a, '_> {
    /// Gives every comparison of a criterion's grade its register (first
    /// pass); `Err` for a rule with numbers that read other entities'
    /// outcomes (other than a count compared to a constant).
    fn comparisons(&mut self, program: &Program) -> Result<(), ()> {
        match program {
            Program::And(args) | Program::Or(args) => {
                args.iter().try_for_each(|a| self.comparisons(a))
            }
            Program::Not(arg) => self.comparisons(arg),
            Program::Count(_, members, test) => {
                self.member_comparisons(members, *test);
                Ok(())
            }
            Program::Member(member, test) => {
                if let Test::Compare(cmp) = test {
                    self.comparison(member.slot, *cmp, member.threshold);
                }
                Ok(())
            }
            Program::Const(_) => Ok(()),
            Program::Compare(_) | Program::Threshold(_) => {
                if let Some((_, members, test)) = count_as_quantifier(program) {
                    self.member_comparisons(members, test);
                    return Ok(());
                }
                match reads_grades_only(self.plan, program) {
                    Some(_) => Ok(()),
                    None => Err(()),
                }
            }
        }
    }

    /// The registers of the comparisons of a set's members' grades.
    fn member_comparisons(&mut self, members: &Members, test: Test) {
        if let Test::Compare(cmp) = test {
            for (slot, threshold) in members.slots.iter().zip(members.thresholds.iter()) {
                self.comparison(*slot, cmp, *threshold);
            }
        }
    }

    /// The register of `grade(slot) cmp threshold`, made on first use.
    /// What is not a criterion has no grade (any number): a constant.
    fn comparison(&mut self, slot: usize, cmp: CmpOp, threshold: Exact) -> Reg {
        if let Some(&reg) = self.seen.get(&(slot, cmp, threshold)) {
            return reg;
        }
        let reg = to_reg(self.flat.registers);
        self.flat.registers += 1;
        self.seen.insert((slot, cmp, threshold), reg);
        let point = Interval::point(threshold);
        let plan = self.plan;
        // Criteria are the first slots: a criterion's slot is its index.
        let comparison = match plan.criteria.get(slot).map(|c| (slot, c)) {
            Some((i, c)) => {
                let decide = |g: Interval| kleene::compare(g, cmp, point);
                let (table, steps): (Box<[Truth]>, Steps) = match c.levels {
                    Some(levels) => (
                        (0..levels.len())
                            .map(|r| decide(Interval::point(kleene::size(r))))
                            .collect(),
                        Steps::Levels,
                    ),
                    None => (
                        c.marks
                            .iter()
                            .map(|m| decide(Interval::point(*m)))
                            .collect(),
                        Steps::Marks {
                            min: c.min,
                            step: c.step,
                        },
                    ),
                };
                Comparison {
                    criterion: i,
                    cmp,
                    threshold,
                    missing: decide(c.grade(None)),
                    table,
                    steps,
                }
            }
            None => {
                let truth = kleene::compare(Interval::any(), cmp, point);
                self.constant_comparisons.push((reg, truth));
                Comparison {
                    criterion: usize::MAX,
                    cmp,
                    threshold,
                    missing: truth,
                    table: Box::new([]),
                    steps: Steps::Levels,
                }
            }
        };
        self.flat.comparisons.push(comparison);
        reg
    }

    /// A register holding the program's planes, with the operations that
    /// fill it.
    fn compile(&mut self, program: &'a Program) -> Result<Reg, ()> {
        Ok(match program {
            Program::And(args) | Program::Or(args) => {
                let regs = args
                    .iter()
                    .map(|a| self.compile(a))
                    .collect::<Result<Vec<_>, _>>()?;
                let args = self.args(&regs);
                let dst = self.temporary();
                self.flat.ops.push(match program {
                    Program::And(_) => Op::And { dst, args },
                    _ => Op::Or { dst, args },
                });
                dst
            }
            Program::Not(arg) => {
                let src = self.compile(arg)?;
                let dst = self.temporary();
                self.flat.ops.push(Op::Not { dst, src });
                dst
            }
            Program::Count(quantifier, members, test) => self.count(*quantifier, members, *test),
            Program::Member(member, test) => self.member(*member, *test),
            Program::Const(true) => self.flat.constant(Truth::True),
            Program::Const(false) => self.flat.constant(Truth::False),
            Program::Compare(_) | Program::Threshold(_) => {
                // A count compared to a constant: a quantifier.
                if let Some((quantifier, members, test)) = count_as_quantifier(program) {
                    return Ok(self.count(quantifier, members, test));
                }
                let outcomes = reads_grades_only(self.plan, program).ok_or(())?;
                let reg = self.temporary();
                self.flat.numeric.push(Numeric { reg, program });
                self.flat.numeric_outcomes |= outcomes;
                if self.flat.steps.is_ok() {
                    let rule = self
                        .plan
                        .ids
                        .get(self.rule)
                        .map_or(String::new(), |s| s.to_string());
                    self.flat.steps = Err(NotColumns::Numbers { rule });
                }
                reg
            }
        })
    }

    /// A quantifier over a set's members.
    fn count(&mut self, quantifier: Quantifier, members: &Members, test: Test) -> Reg {
        let regs = self.member_registers(members, test);
        let args = self.args(&regs);
        let dst = self.temporary();
        self.flat.ops.push(Op::Count {
            dst,
            quantifier,
            args,
        });
        dst
    }

    fn member(&mut self, member: Member, test: Test) -> Reg {
        match test {
            Test::Outcome if member.slot < self.flat.slots => to_reg(member.slot),
            // An id the plan does not know: pending, as the plan reads it.
            Test::Outcome => self.flat.constant(Truth::Unknown),
            Test::Compare(cmp) => self.comparison(member.slot, cmp, member.threshold),
        }
    }

    fn member_registers(&mut self, members: &Members, test: Test) -> Vec<Reg> {
        match test {
            Test::Outcome => members
                .slots
                .iter()
                .map(|&slot| {
                    self.member(
                        Member {
                            slot,
                            threshold: Exact::ZERO,
                        },
                        test,
                    )
                })
                .collect(),
            Test::Compare(cmp) => members
                .slots
                .iter()
                .zip(members.thresholds.iter())
                .map(|(&slot, &threshold)| self.comparison(slot, cmp, threshold))
                .collect(),
        }
    }

    fn args(&mut self, regs: &[Reg]) -> (u32, u32) {
        let start = to_reg(self.flat.args.len());
        self.flat.args.extend_from_slice(regs);
        (start, to_reg(self.flat.args.len()))
    }

    fn temporary(&mut self) -> Reg {
        let reg = to_reg(self.flat.registers);
        self.flat.registers += 1;
        reg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per lane, the count of set bits among `words`.
    fn naive(words: &[u64], n: usize) -> u64 {
        (0..64).fold(0, |acc, lane| {
            let c = words.iter().filter(|w| (*w >> lane) & 1 == 1).count();
            acc | (u64::from(c >= n) << lane)
        })
    }

    /// Steps written in `bits` planes (and a graded plane) for 64 lanes,
    /// lane `k` holding `steps[k]`, `None` not graded.
    fn column(steps: &[Option<usize>], bits: usize) -> Vec<u64> {
        let mut planes = vec![0u64; 1 + bits];
        for (lane, step) in steps.iter().enumerate() {
            if let Some(s) = step {
                planes[0] |= 1 << lane;
                for b in 0..bits {
                    if (s >> b) & 1 == 1 {
                        planes[1 + b] |= 1 << lane;
                    }
                }
            }
        }
        planes
    }

    #[test]
    fn planes_decide_as_comparisons() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let truths = [Truth::True, Truth::False, Truth::Unknown];
        for bits in 0..=12usize {
            let steps = 1usize << bits;
            // Every lane a step below 2^bits, or missing (lane 63, and
            // at random).
            let lanes: Vec<Option<usize>> = (0..64)
                .map(|k| match next() % 8 {
                    _ if k == 63 => None,
                    0 => None,
                    // The lowest and highest steps, often.
                    1 => Some(0),
                    2 => Some(steps - 1),
                    r => Some(if k < steps {
                        k
                    } else {
                        (next() as usize ^ r as usize) % steps
                    }),
                })
                .collect();
            let planes = column(&lanes, bits);
            let lane_of = |word: u64, k: usize| (word >> k) & 1 == 1;
            for pass in (0..=steps + 1).chain([usize::MAX, 1 << 40]) {
                let (p, f) = decide_planes(&planes, pass);
                for (k, step) in lanes.iter().enumerate() {
                    let expected = step.map(|s| s >= pass);
                    assert_eq!(
                        (lane_of(p, k), lane_of(f, k)),
                        (expected == Some(true), expected == Some(false)),
                        "{step:?} against {pass} in {bits} bits"
                    );
                }
            }
            // Tables of every length up to one past the steps, truths
            // at random in runs, missing as each truth.
            for len in 0..=(steps + 1).min(40) {
                let table: Vec<Truth> = (0..len).map(|_| truths[(next() % 3) as usize]).collect();
                for missing in truths {
                    let (p, f) = decide_table(&planes, &table, missing);
                    assert_eq!(p & f, 0);
                    for (k, step) in lanes.iter().enumerate() {
                        let expected = match step {
                            None => missing,
                            Some(s) => table.get(*s).copied().unwrap_or(Truth::Unknown),
                        };
                        assert_eq!(
                            (lane_of(p, k), lane_of(f, k)),
                            (expected == Truth::True, expected == Truth::False),
                            "{step:?} in {table:?} ({bits} bits)"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn at_least_counts_every_lane() {
        // A deterministic spread of words (xorshift), sets of 0 to 40.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut counter = Vec::new();
        for m in 0..40usize {
            let words: Vec<u64> = (0..m).map(|_| next() & next()).collect();
            let regs: Vec<Reg> = (0..m).map(to_reg).collect();
            for n in 0..=m + 2 {
                assert_eq!(
                    at_least(&words, &regs, n, &mut counter),
                    naive(&words, n),
                    "{n} of {m}"
                );
            }
        }
    }

    #[test]
    fn quantifiers_decide_as_the_semantics() {
        // Every lane a combination of member outcomes of three members.
        let mut pass = [0u64; 3];
        let mut fail = [0u64; 3];
        for lane in 0..27usize {
            let mut rest = lane;
            for m in 0..3 {
                match rest % 3 {
                    0 => pass[m] |= 1 << lane,
                    1 => fail[m] |= 1 << lane,
                    _ => {}
                }
                rest /= 3;
            }
        }
        let regs = [0, 1, 2];
        let mut counter = Vec::new();
        let quantifiers = [Quantifier::All, Quantifier::Any, Quantifier::None]
            .into_iter()
            .chain((0..5).map(Quantifier::AtLeast))
            .chain((0..5).map(Quantifier::AtMost));
        for q in quantifiers {
            let (p, f) = quantify(q, &regs, &pass, &fail, &mut counter);
            for lane in 0..27 {
                let t = (0..3).filter(|&m| (pass[m] >> lane) & 1 == 1).count();
                let u = (0..3)
                    .filter(|&m| (pass[m] | fail[m]) >> lane & 1 == 0)
                    .count();
                let expected = kleene::quantify(q, 3, (t, u));
                let got = match ((p >> lane) & 1, (f >> lane) & 1) {
                    (1, _) => Truth::True,
                    (_, 1) => Truth::False,
                    _ => Truth::Unknown,
                };
                assert_eq!(got, expected, "{q:?} lane {lane}");
            }
        }
    }
}
