//! Batch evaluation ([`BatchPlan`]) against the one-candidate [`Plan`] and
//! against brute force, on random referentials of every rule form and
//! random cohorts (missing grades, sizes that are not multiples of 64).
//!
//! Brute force is twofold: an interpreter of the IR's rule trees by
//! string id (`semantics::eval`, entity after entity in the IR's order, no
//! compiled plan), and, for referentials whose rules are monotone, every
//! entity decided from two completions of the missing grades, all at the
//! lowest and all at the highest position of their scales (a monotone
//! rule passes for every completion exactly when it passes for the lowest
//! one, and fails for every completion exactly when it fails for the
//! highest one).

use std::collections::HashMap;

use acquis_compiler::compile_str;
use acquis_eval::{BatchOutcomes, BatchPlan, Grades, Outcome, Plan};
use acquis_ir::semantics::{self as kleene, Facts, Interval, Truth};
use acquis_ir::{CmpOp, Exact, Ir, ScaleKindIr, ValueIr};
use proptest::prelude::*;

/// A competency's criteria all on one scale: the acquisition levels
/// (non_acquis < en_cours < acquis, pass acquis) or marks 0 .. 4 (pass 2).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    Levels,
    Marks,
}

/// A competency's rule; `k` is its number of criteria, `n` a count.
#[derive(Debug, Clone)]
enum CompetencyRule {
    All,
    Any,
    None,
    AtLeast(usize),
    AtMost(usize),
    /// `all criteria >= x` / `at least n of criteria >= x`, x a position.
    AllAtLeast(usize),
    CountAtLeast(usize, usize),
    /// `CE1 acquired and (CEk >= x or not CE2 acquired)`: with one or two
    /// criteria, a criterion is read both ways (decided by cases).
    Mixed(usize),
    /// `CE1 != x or CEk < y`.
    NotEqual(usize, usize),
    /// The previous competency of the block validated, and all criteria.
    Prerequisite,
    /// Numbers: `count(criteria acquired) >= n`, or the average of marks.
    Numbers(usize),
    /// Arithmetic: `count(criteria acquired) * 2 - 1 >= n`, or
    /// `round(sum(criteria) / 2, 1) + max(0, min(criteria) - 2) >= n / 2`.
    Arithmetic(usize),
}

#[derive(Debug, Clone)]
enum BlockRule {
    All,
    Any,
    None,
    AtLeast(usize),
    AtMost(usize),
    FirstNotLast,
    CriteriaAtLeast(usize),
    /// `count(competencies validated) op c`, `c` is `n` or `n + 0.5`,
    /// written either way round (`c op' count(…)`): a quantifier in the
    /// flat form, but for `=` and `≠`.
    Count(usize, CmpOp, bool, bool),
    /// `count(competencies validated) * 2 >= n`: numbers read from other
    /// outcomes (decided one candidate at a time).
    Numbers(usize),
}

#[derive(Debug, Clone)]
enum CertificationRule {
    All,
    AtLeast(usize),
    Any,
    NotFirstOrAll,
}

/// A competency: its criteria's scale, how many, its rule.
type CompetencySpec = (Scale, usize, CompetencyRule);

/// A block: its competencies and its rule.
type BlockSpec = (Vec<CompetencySpec>, BlockRule);

#[derive(Debug, Clone)]
struct Spec {
    blocks: Vec<BlockSpec>,
    certification: CertificationRule,
}

impl Spec {
    fn source(&self) -> String {
        let mut s = String::from(
            "referential R \"Lot\" { lang fr }\nuse std::scales::acquisition\nscale note \"Note\" { range 0 .. 4 step 1 pass 2 }\ndefaults { criterion scale acquisition }\n",
        );
        for (b, (competencies, rule)) in self.blocks.iter().enumerate() {
            s.push_str(&format!("block B{b} \"Bloc\" {{\n"));
            for (c, (scale, k, rule)) in competencies.iter().enumerate() {
                s.push_str(&format!("  competency C{b}.{c} \"C\" {{\n"));
                for i in 1..=*k {
                    match scale {
                        Scale::Levels => s.push_str(&format!("    criterion CE{i} \"x\"\n")),
                        Scale::Marks => {
                            s.push_str(&format!("    criterion CE{i} \"x\" {{ scale note }}\n"))
                        }
                    }
                }
                let level = |x: usize| match scale {
                    Scale::Levels => ["non_acquis", "en_cours", "acquis"][x.min(2)].to_string(),
                    Scale::Marks => x.min(4).to_string(),
                };
                let text = match rule {
                    CompetencyRule::All => "all criteria acquired".to_string(),
                    CompetencyRule::Any => "any criteria acquired".to_string(),
                    CompetencyRule::None => "none criteria acquired".to_string(),
                    CompetencyRule::AtLeast(n) => format!("at least {n} of criteria acquired"),
                    CompetencyRule::AtMost(n) => format!("at most {n} of criteria acquired"),
                    CompetencyRule::AllAtLeast(x) => format!("all criteria >= {}", level(*x)),
                    CompetencyRule::CountAtLeast(n, x) => {
                        format!("at least {n} of criteria >= {}", level(*x))
                    }
                    CompetencyRule::Mixed(x) => format!(
                        "CE1 acquired and (CE{k} >= {} or not CE{} acquired)",
                        level(*x),
                        2.min(*k)
                    ),
                    CompetencyRule::NotEqual(x, y) => {
                        format!("CE1 != {} or CE{k} < {}", level(*x), level(*y))
                    }
                    CompetencyRule::Prerequisite if c > 0 => {
                        format!("C{b}.{} validated and all criteria acquired", c - 1)
                    }
                    CompetencyRule::Prerequisite => "all criteria acquired".to_string(),
                    CompetencyRule::Numbers(n) => match scale {
                        Scale::Levels => format!("count(criteria acquired) >= {n}"),
                        Scale::Marks => format!("average(criteria) >= {}", n % 5),
                    },
                    CompetencyRule::Arithmetic(n) => match scale {
                        Scale::Levels => format!("count(criteria acquired) * 2 - 1 >= {n}"),
                        Scale::Marks => format!(
                            "round(sum(criteria) / 2, 1) + max(0, min(criteria) - 2) >= {}",
                            *n as f64 / 2.0
                        ),
                    },
                };
                s.push_str(&format!("    validated when {text}\n  }}\n"));
            }
            let covers: Vec<String> = (0..competencies.len())
                .map(|c| format!("C{b}.{c}"))
                .collect();
            s.push_str(&format!(
                "  assessment E{b} \"E\" {{ covers {} }}\n",
                covers.join(", ")
            ));
            let last = competencies.len() - 1;
            let text = match rule {
                BlockRule::All => "all competencies validated".to_string(),
                BlockRule::Any => "any competencies validated".to_string(),
                BlockRule::None => "none competencies validated".to_string(),
                BlockRule::AtLeast(n) => format!("at least {n} of competencies validated"),
                BlockRule::AtMost(n) => format!("at most {n} of competencies validated"),
                BlockRule::FirstNotLast if last > 0 => {
                    format!("C{b}.0 validated and not C{b}.{last} validated")
                }
                BlockRule::FirstNotLast => format!("not C{b}.0 validated"),
                BlockRule::CriteriaAtLeast(n) => format!("at least {n} of criteria acquired"),
                BlockRule::Count(n, op, half, mirrored) => {
                    let c = if *half {
                        format!("{n}.5")
                    } else {
                        n.to_string()
                    };
                    if *mirrored {
                        let op = op.mirrored().symbol();
                        format!("{c} {op} count(competencies validated)")
                    } else {
                        format!("count(competencies validated) {} {c}", op.symbol())
                    }
                }
                BlockRule::Numbers(n) => format!("count(competencies validated) * 2 >= {n}"),
            };
            s.push_str(&format!("  validated when {text}\n}}\n"));
        }
        let text = match &self.certification {
            CertificationRule::All => "all blocks validated".to_string(),
            CertificationRule::AtLeast(n) => format!("at least {n} of blocks validated"),
            CertificationRule::Any => "any blocks validated".to_string(),
            CertificationRule::NotFirstOrAll => "not B0 validated or all blocks validated".into(),
        };
        s.push_str(&format!("certification validated when {text}\n"));
        s
    }

    /// Whether every rule is monotone (raising a grade never fails it).
    fn monotone(&self) -> bool {
        let competency = |r: &CompetencyRule| {
            matches!(
                r,
                CompetencyRule::All
                    | CompetencyRule::Any
                    | CompetencyRule::AtLeast(_)
                    | CompetencyRule::AllAtLeast(_)
                    | CompetencyRule::CountAtLeast(..)
                    | CompetencyRule::Prerequisite
                    | CompetencyRule::Numbers(_)
                    | CompetencyRule::Arithmetic(_)
            )
        };
        let block = |r: &BlockRule| {
            matches!(
                r,
                BlockRule::All
                    | BlockRule::Any
                    | BlockRule::AtLeast(_)
                    | BlockRule::CriteriaAtLeast(_)
                    | BlockRule::Numbers(_)
                    | BlockRule::Count(_, CmpOp::Ge | CmpOp::Gt, _, _)
            )
        };
        self.blocks
            .iter()
            .all(|(cs, b)| block(b) && cs.iter().all(|(_, _, r)| competency(r)))
            && matches!(
                self.certification,
                CertificationRule::All | CertificationRule::AtLeast(_) | CertificationRule::Any
            )
    }

    /// Whether some rule compares numbers read from the grades alone
    /// (decided per candidate in the flat form: no columns of steps); a
    /// count compared to a constant is a quantifier.
    fn has_numbers(&self) -> bool {
        self.blocks.iter().any(|(cs, _)| {
            cs.iter().any(|(scale, _, r)| match r {
                CompetencyRule::Numbers(_) => *scale == Scale::Marks,
                CompetencyRule::Arithmetic(_) => true,
                _ => false,
            })
        })
    }
    /// Whether some rule compares numbers read from other outcomes
    /// otherwise than as a quantifier (decided one candidate at a time).
    fn has_outcome_numbers(&self) -> bool {
        self.blocks.iter().any(|(_, rule)| {
            matches!(
                rule,
                BlockRule::Numbers(_) | BlockRule::Count(_, CmpOp::Eq | CmpOp::Ne, _, _)
            )
        })
    }
}

fn competency_rule(k: usize) -> impl Strategy<Value = CompetencyRule> {
    prop_oneof![
        Just(CompetencyRule::All),
        Just(CompetencyRule::Any),
        Just(CompetencyRule::None),
        (1..=k).prop_map(CompetencyRule::AtLeast),
        (0..k).prop_map(CompetencyRule::AtMost),
        (0..5usize).prop_map(CompetencyRule::AllAtLeast),
        ((1..=k), (0..5usize)).prop_map(|(n, x)| CompetencyRule::CountAtLeast(n, x)),
        (0..5usize).prop_map(CompetencyRule::Mixed),
        ((0..5usize), (0..5usize)).prop_map(|(x, y)| CompetencyRule::NotEqual(x, y)),
        Just(CompetencyRule::Prerequisite),
        (1..=k).prop_map(CompetencyRule::Numbers),
        (0..=2 * k).prop_map(CompetencyRule::Arithmetic),
    ]
}

fn competency() -> impl Strategy<Value = CompetencySpec> {
    (
        prop_oneof![Just(Scale::Levels), Just(Scale::Marks)],
        1..=5usize,
    )
        .prop_flat_map(|(scale, k)| (Just(scale), Just(k), competency_rule(k)))
}

fn block() -> impl Strategy<Value = BlockSpec> {
    prop::collection::vec(competency(), 1..=4).prop_flat_map(|cs| {
        let n = cs.len();
        let criteria: usize = cs.iter().map(|(_, k, _)| k).sum();
        let rule = prop_oneof![
            Just(BlockRule::All),
            Just(BlockRule::Any),
            Just(BlockRule::None),
            (1..=n).prop_map(BlockRule::AtLeast),
            (0..n).prop_map(BlockRule::AtMost),
            Just(BlockRule::FirstNotLast),
            (1..=criteria).prop_map(BlockRule::CriteriaAtLeast),
            (1..=n).prop_map(BlockRule::Numbers),
            (
                0..=n,
                prop_oneof![
                    Just(CmpOp::Ge),
                    Just(CmpOp::Gt),
                    Just(CmpOp::Le),
                    Just(CmpOp::Lt),
                    Just(CmpOp::Eq),
                    Just(CmpOp::Ne),
                ],
                any::<bool>(),
                any::<bool>(),
            )
                // The compiler refuses a threshold outside 0 ..= n.
                .prop_map(move |(k, op, half, mirrored)| {
                    BlockRule::Count(k, op, half && k < n, mirrored)
                }),
        ];
        (Just(cs), rule)
    })
}

fn spec() -> impl Strategy<Value = Spec> {
    prop::collection::vec(block(), 1..=3).prop_flat_map(|blocks| {
        let n = blocks.len();
        let certification = prop_oneof![
            Just(CertificationRule::All),
            (1..=n).prop_map(CertificationRule::AtLeast),
            Just(CertificationRule::Any),
            Just(CertificationRule::NotFirstOrAll),
        ];
        (Just(blocks), certification).prop_map(|(blocks, certification)| Spec {
            blocks,
            certification,
        })
    })
}

fn compiled(spec: &Spec) -> Ir {
    ir_of(&spec.source())
}

/// The IR of `source`, which must compile without errors.
fn ir_of(source: &str) -> Ir {
    let compiled = compile_str("lot.acquis", source);
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{source}\n{errors:#?}");
    compiled.ir.unwrap()
}

/// Every position of criterion `i`'s scale, lowest first.
fn positions(ir: &Ir, i: usize) -> Vec<f64> {
    let scale = ir.scales.iter().find(|s| s.id == ir.criteria[i].scale);
    match scale.map(|s| &s.kind) {
        Some(ScaleKindIr::Levels { levels }) => (0..levels.len()).map(|r| r as f64).collect(),
        Some(ScaleKindIr::Range { min, max, step }) => {
            let (min, max, step) = (min.to_f64(), max.to_f64(), step.to_f64());
            let steps = ((max - min) / step).round() as usize;
            (0..=steps).map(|k| min + k as f64 * step).collect()
        }
        None => vec![0.0],
    }
}

/// A cohort: per candidate, per criterion, `None` (missing) or a choice
/// among the scale's positions (taken modulo their number).
fn cohort(ir: &Ir, choices: &[Vec<Option<usize>>], plan: &Plan<'_>) -> Vec<Grades> {
    choices
        .iter()
        .map(|row| {
            let mut g = Grades::new(plan);
            for (i, choice) in row.iter().enumerate().take(ir.criteria.len()) {
                if let Some(c) = choice {
                    let p = positions(ir, i);
                    g.set_position(i, p[c % p.len()]);
                }
            }
            g
        })
        .collect()
}

/// Rule trees interpreted by string id, entity after entity.
struct Interpreter<'a> {
    ir: &'a Ir,
    /// Per criterion id: its index.
    index: HashMap<&'a str, usize>,
    grades: Vec<Option<f64>>,
    outcomes: HashMap<String, Truth>,
}

impl Facts for Interpreter<'_> {
    fn outcome(&self, id: &str) -> Truth {
        self.outcomes.get(id).copied().unwrap_or(Truth::Unknown)
    }

    fn grade(&self, id: &str) -> Interval {
        let Some(&i) = self.index.get(id) else {
            return Interval::any();
        };
        let p = positions(self.ir, i);
        let exact = |x: f64| Exact::from_f64_shortest(x).unwrap();
        match self.grades[i] {
            Some(g) => Interval::point(exact(g)),
            None => Interval::between(exact(p[0]), exact(*p.last().unwrap())),
        }
    }

    fn threshold(&self, id: &str, value: &ValueIr) -> Exact {
        let i = self.index[id];
        let scale = self
            .ir
            .scales
            .iter()
            .find(|s| s.id == self.ir.criteria[i].scale);
        match (scale.map(|s| &s.kind), value) {
            (Some(ScaleKindIr::Levels { levels }), ValueIr::Level(l)) => {
                kleene::size(levels.iter().position(|x| x == l).unwrap())
            }
            (_, ValueIr::Number(n)) => n.exact(),
            _ => unreachable!("a threshold of the member's scale"),
        }
    }

    fn weight(&self, id: &str) -> Exact {
        self.ir.criteria[self.index[id]].weight.exact()
    }
}

impl<'a> Interpreter<'a> {
    /// Every entity's outcome for grades `grades` (by criterion index).
    fn run(ir: &'a Ir, grades: Vec<Option<f64>>) -> HashMap<String, Truth> {
        let mut me = Interpreter {
            ir,
            index: ir
                .criteria
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect(),
            grades,
            outcomes: HashMap::new(),
        };
        for (i, c) in ir.criteria.iter().enumerate() {
            let pass = me.threshold(&c.id, &c.pass);
            let truth = match me.grades[i] {
                None => Truth::Unknown,
                Some(g) if Exact::from_f64_shortest(g).unwrap() >= pass => Truth::True,
                Some(_) => Truth::False,
            };
            me.outcomes.insert(c.id.clone(), truth);
        }
        for id in &ir.order {
            if let Some(rule) = ir.rule_of(id) {
                let truth = kleene::eval(rule, &me);
                me.outcomes.insert(id.clone(), truth);
            }
        }
        me.outcomes
    }
}

fn outcome(t: Truth) -> Outcome {
    match t {
        Truth::True => Outcome::Passed,
        Truth::False => Outcome::Failed,
        Truth::Unknown => Outcome::Pending,
    }
}

fn grades_of(ir: &Ir, g: &Grades) -> Vec<Option<f64>> {
    (0..ir.criteria.len()).map(|i| g.position(i)).collect()
}

/// Checks `batch` against the plan for every candidate and entity, and
/// against brute force.
fn agree(spec: &Spec, choices: &[Vec<Option<usize>>]) -> Result<(), TestCaseError> {
    let ir = compiled(spec);
    let plan = Plan::new(&ir);
    let batch = BatchPlan::new(&plan);
    let per_candidate = batch.per_candidate();
    if !spec.has_outcome_numbers() && spec.monotone() {
        // Monotone rules read no grade both ways: every rule is word
        // operations, numbers read from the grades included.
        prop_assert_eq!(per_candidate, &[]);
    }
    let numbers = per_candidate
        .iter()
        .any(|why| matches!(why, acquis_eval::NotFlat::Numbers { .. }));
    // Numbers read from other outcomes are decided one candidate at a
    // time (or by cases, when the rule also reads a grade both ways).
    prop_assert!(
        !spec.has_outcome_numbers() || numbers || !spec.monotone(),
        "{:?}",
        per_candidate
    );
    prop_assert!(
        spec.has_outcome_numbers() || !numbers,
        "{:?}",
        per_candidate
    );
    let cohort = cohort(&ir, choices, &plan);
    let mut out = BatchOutcomes::new();
    batch.evaluate(&cohort, &mut out);
    prop_assert_eq!(out.len(), cohort.len());
    // Columns of steps give the same words (every scale here is small),
    // unless numbers are compared (decided from each candidate's grades).
    if batch.per_candidate().is_empty() && spec.has_numbers() {
        let columns = batch.columns(&cohort);
        let numbers = matches!(&columns, Err(acquis_eval::NotColumns::Numbers { .. }));
        prop_assert!(numbers, "{:?}", columns.err());
    } else if batch.per_candidate().is_empty() {
        let columns = batch.columns(&cohort);
        prop_assert!(columns.is_ok(), "{:?}", columns.err());
        if let Ok(columns) = columns {
            let mut by_columns = BatchOutcomes::new();
            batch.evaluate_columns(&columns, &mut by_columns);
            prop_assert_eq!(by_columns.len(), cohort.len());
            for k in 0..cohort.len() {
                for s in 0..plan.ids().len() {
                    prop_assert_eq!(
                        by_columns.get(k, s),
                        out.get(k, s),
                        "columns, candidate {}",
                        k
                    );
                }
            }
        }
    } else {
        // Columns hold no grades for a rule decided one candidate at a
        // time to read.
        let columns = batch.columns(&cohort);
        let refused = matches!(&columns, Err(acquis_eval::NotColumns::NotFlat(_)));
        prop_assert!(refused, "{:?}", columns.err());
    }
    let splits = plan.ids().iter().any(|id| !plan.case_splits(id).is_empty());
    let mut one = acquis_eval::Outcomes::default();
    for (k, g) in cohort.iter().enumerate() {
        let expected = plan.evaluate(g);
        out.outcomes_into(k, &mut one);
        prop_assert_eq!(&one, &expected, "candidate {}", k);
        let reference = (!splits).then(|| Interpreter::run(&ir, grades_of(&ir, g)));
        let bounds = spec.monotone().then(|| {
            let fill = |lowest: bool| {
                (0..ir.criteria.len())
                    .map(|i| {
                        let p = positions(&ir, i);
                        g.position(i)
                            .or(Some(if lowest { p[0] } else { *p.last().unwrap() }))
                    })
                    .collect::<Vec<_>>()
            };
            (
                Interpreter::run(&ir, fill(true)),
                Interpreter::run(&ir, fill(false)),
            )
        });
        for (s, id) in plan.ids().iter().enumerate() {
            let got = out.get(k, s);
            prop_assert_eq!(got, expected.get(&plan, id), "{} of candidate {}", id, k);
            if let Some(reference) = &reference {
                prop_assert_eq!(got, Some(outcome(reference[*id])), "{} (interpreter)", id);
            }
            if let Some((low, high)) = &bounds {
                let brute = match (low[*id], high[*id]) {
                    (Truth::True, _) => Outcome::Passed,
                    (_, Truth::False) => Outcome::Failed,
                    _ => Outcome::Pending,
                };
                prop_assert_eq!(got, Some(brute), "{} (completions)", id);
            }
        }
    }
    // Counts a word at a time agree with the candidates'.
    for (s, _) in plan.ids().iter().enumerate() {
        let mut counts = [0usize; 3];
        for k in 0..cohort.len() {
            counts[out.get(k, s).unwrap() as usize] += 1;
        }
        prop_assert_eq!(out.counts(s), counts);
    }
    Ok(())
}

/// Candidates × criteria choices, a third missing; up to 200 candidates.
fn choices() -> impl Strategy<Value = Vec<Vec<Option<usize>>>> {
    prop::collection::vec(
        prop::collection::vec(proptest::option::weighted(0.7, 0..5usize), 60),
        0..200,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn batch_agrees_with_the_plan_and_brute_force(spec in spec(), choices in choices()) {
        agree(&spec, &choices)?;
    }
}

/// The fixed shapes the random ones may miss: exactly 64 and 128
/// candidates, one, none, and 65.
#[test]
fn batch_sizes_around_a_word() {
    let spec = Spec {
        blocks: vec![(
            vec![
                (Scale::Levels, 5, CompetencyRule::AtLeast(4)),
                (Scale::Marks, 3, CompetencyRule::CountAtLeast(2, 3)),
            ],
            BlockRule::All,
        )],
        certification: CertificationRule::All,
    };
    for n in [0usize, 1, 63, 64, 65, 128, 129] {
        let choices: Vec<Vec<Option<usize>>> = (0..n)
            .map(|c| {
                (0..60)
                    .map(|i| ((c * 7 + i * 3) % 5 != 0).then_some((c + i) % 5))
                    .collect()
            })
            .collect();
        agree(&spec, &choices).unwrap();
    }
}

/// Optional parts (a missing mark counts as the lowest) and absent
/// grades, through the flat form.
#[test]
fn optional_parts_and_absence_in_batch() {
    let source = r#"
referential R "r" { lang fr }
use std::scales::acquisition
scale note "Note" { range 0 .. 4 step 1 pass 2 }
defaults { criterion scale acquisition absent counts as not acquired }
block B "b" {
  competency C "c" {
    criterion CE1 "1"
    criterion CE2 "2"
    validated when all criteria acquired
  }
  assessment E "e" {
    covers C
    part facultative "F" { scale note optional }
  }
  validated when C validated and E/facultative >= 1
}
certification validated when all blocks validated
"#;
    let ir = ir_of(source);
    let plan = Plan::new(&ir);
    let batch = BatchPlan::new(&plan);
    assert_eq!(batch.per_candidate(), &[]);
    let texts = [None, Some("ABS"), Some("acquis"), Some("en_cours")];
    let marks = [None, Some("0"), Some("1"), Some("4")];
    let mut cohort = Vec::new();
    for a in texts {
        for b in texts {
            for m in marks {
                let mut g = Grades::new(&plan);
                for (id, v) in [("C/CE1", a), ("C/CE2", b), ("E/facultative", m)] {
                    if let Some(v) = v {
                        g.set(&plan, id, v).unwrap();
                    }
                }
                cohort.push(g);
            }
        }
    }
    let mut out = BatchOutcomes::new();
    batch.evaluate(&cohort, &mut out);
    let mut by_columns = BatchOutcomes::new();
    batch.evaluate_columns(&batch.columns(&cohort).unwrap(), &mut by_columns);
    let mut one = acquis_eval::Outcomes::default();
    let mut two = acquis_eval::Outcomes::default();
    for (k, g) in cohort.iter().enumerate() {
        out.outcomes_into(k, &mut one);
        by_columns.outcomes_into(k, &mut two);
        assert_eq!(one, plan.evaluate(g), "candidate {k}");
        assert_eq!(two, one, "columns, candidate {k}");
    }
}

/// Columns of wide scales (41 steps in 6 bits, 4,096 steps in 12 bits)
/// decide every step and a missing grade as the plan does, through
/// comparisons whose truth changes once or twice along the scale (each
/// criterion read once: no rule decided by cases); a scale of 4,097 steps
/// has none.
#[test]
fn columns_of_wide_scales_decide_every_step_as_the_plan() {
    let source = r#"
referential R "r" { lang fr }
scale demi "Demi-points" { range 0 .. 20 step 0.5 pass 10 }
scale large "Large" { range 0 .. 4095 step 1 pass 2048 }
block B "b" {
  competency C "c" {
    criterion CE1 "1" { scale demi }
    criterion CE2 "2" { scale large }
    validated when CE1 >= 10.5 and CE2 != 3000
  }
  competency D "d" {
    criterion CE1 "1" { scale demi }
    criterion CE2 "2" { scale large }
    validated when CE1 < 2 or CE2 >= 4000
  }
  competency F "f" {
    criterion CE1 "1" { scale large }
    validated when CE1 = 1024
  }
  assessment E "e" { covers C, D, F }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let ir = ir_of(source);
    let plan = Plan::new(&ir);
    let batch = BatchPlan::new(&plan);
    assert_eq!(batch.per_candidate(), &[]);
    let index = |id: &str| plan.criterion_index(id).unwrap();
    // Candidate k: every half point of 0 .. 20 in turn (and missing),
    // every step of 0 .. 4095 (and missing), the large scale read
    // backwards for the other criteria.
    let cohort: Vec<Grades> = (0..=4096usize)
        .map(|k| {
            let mut g = Grades::new(&plan);
            if k % 42 < 41 {
                let half = (k % 42) as f64 / 2.0;
                g.set_position(index("C/CE1"), half);
                g.set_position(index("D/CE1"), 20.0 - half);
            }
            if k < 4096 {
                g.set_position(index("C/CE2"), k as f64);
                g.set_position(index("D/CE2"), (4095 - k) as f64);
                g.set_position(index("F/CE1"), ((k * 7) % 4096) as f64);
            }
            g
        })
        .collect();
    let columns = batch.columns(&cohort).unwrap();
    let mut out = BatchOutcomes::new();
    batch.evaluate_columns(&columns, &mut out);
    assert_eq!(out.len(), cohort.len());
    let mut seen = std::collections::HashSet::new();
    let mut one = acquis_eval::Outcomes::default();
    for (k, g) in cohort.iter().enumerate() {
        out.outcomes_into(k, &mut one);
        let expected = plan.evaluate(g);
        assert_eq!(one, expected, "candidate {k}");
        for id in ["C", "D", "F"] {
            seen.insert((id, expected.at(plan.slot(id).unwrap())));
        }
    }
    // Every outcome of every competency occurs.
    for id in ["C", "D", "F"] {
        for o in [Outcome::Passed, Outcome::Failed, Outcome::Pending] {
            assert!(seen.contains(&(id, Some(o))), "{id} never {o:?}");
        }
    }
    // Columns made by another plan give no outcomes, not wrong ones.
    let other_ir = ir_of(&source.replace("range 0 .. 20 step 0.5", "range 0 .. 40 step 0.5"));
    let other_plan = Plan::new(&other_ir);
    let other_batch = BatchPlan::new(&other_plan);
    other_batch.evaluate_columns(&columns, &mut out);
    assert_eq!(out.len(), 0);
    // 4,097 steps: no columns.
    let wider_ir = ir_of(&source.replace("range 0 .. 4095", "range 0 .. 4096"));
    let wider_plan = Plan::new(&wider_ir);
    assert_eq!(
        BatchPlan::new(&wider_plan).columns(&[] as &[Grades]).err(),
        Some(acquis_eval::NotColumns::Scale {
            criterion: "C/CE2".into()
        })
    );
}

/// Grades off their scale's steps, or scales of too many steps, have no
/// columns: a typed reason, never a wrong outcome.
#[test]
fn columns_refuse_what_they_cannot_hold() {
    let source = r#"
referential R "r" { lang fr }
scale fine "Fine" { range 0 .. 5000 step 1 pass 100 }
scale note "Note" { range 0 .. 4 step 0.5 pass 2 }
block B "b" {
  competency C "c" {
    criterion CE1 "1" { scale note }
    validated when all criteria acquired
  }
  competency D "d" {
    criterion CE1 "1" { scale fine }
    validated when all criteria acquired
  }
  assessment E "e" { covers C, D }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let ir = ir_of(source);
    let plan = Plan::new(&ir);
    let batch = BatchPlan::new(&plan);
    let g = Grades::new(&plan);
    assert_eq!(
        batch.columns([&g]).err(),
        Some(acquis_eval::NotColumns::Scale {
            criterion: "D/CE1".into()
        })
    );
    let small = source.replace(
        "range 0 .. 5000 step 1 pass 100",
        "range 0 .. 20 step 1 pass 10",
    );
    let ir = ir_of(&small);
    let plan = Plan::new(&ir);
    let batch = BatchPlan::new(&plan);
    let mut g = Grades::new(&plan);
    g.set_position(plan.criterion_index("C/CE1").unwrap(), 1.25);
    assert_eq!(
        batch.columns([&g]).err(),
        Some(acquis_eval::NotColumns::OffStep {
            candidate: 0,
            criterion: "C/CE1".into()
        })
    );
    g.set_position(plan.criterion_index("C/CE1").unwrap(), 1.5);
    assert!(batch.columns([&g]).is_ok());
}

/// `reason_cached` with one cache for a whole cohort gives the words
/// `reason` gives, entity after entity, candidate after candidate.
fn reasons_agree(ir: &Ir, cohort: &[Grades]) -> Result<(), TestCaseError> {
    let plan = Plan::new(ir);
    let mut cache = acquis_eval::Reasons::default();
    for grades in cohort {
        let outcomes = plan.evaluate(grades);
        for id in plan.ids() {
            let Some(slot) = plan.slot(id) else { continue };
            let expected = plan.reason(id, grades, &outcomes);
            let cached = plan.reason_cached(slot, id, grades, &outcomes, &mut cache);
            prop_assert_eq!(cached.as_str(), expected.as_str(), "{}", id);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cached_reasons_are_the_reasons(spec in spec(), choices in choices()) {
        let ir = compiled(&spec);
        let plan = Plan::new(&ir);
        let cohort = cohort(&ir, &choices, &plan);
        reasons_agree(&ir, &cohort)?;
    }
}

/// The same on the examples' referentials (parts of épreuves compensated
/// or not, optional parts taken or not, absences and what they count as,
/// outcomes decided whatever the missing grades), with random grades: a
/// position of the scale, `ABS` or nothing.
#[test]
fn cached_reasons_are_the_reasons_of_the_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut rng = crate::XorShift(0x9e37_79b9_7f4a_7c15_u64);
    let mut below = |n: usize| rng.below(n);
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    for (path, source) in [
        ("bts-sio", read("examples/bts-sio/bts-sio.acquis")),
        ("dees", read("examples/dees/dees.acquis")),
        (
            "titre-pro",
            read("examples/titre-pro/developpeur-logiciel.acquis"),
        ),
        ("edl", read("examples/edl/referential.acquis")),
        ("small", read("tests/fixtures/small.acquis")),
        ("either", crate::exact::EITHER_ROUTE.to_string()),
    ] {
        let compiled = compile_str(path, &source);
        let ir = compiled.ir.unwrap();
        let plan = Plan::new(&ir);
        let cohort: Vec<Grades> = (0..300)
            .map(|_| {
                let mut g = Grades::new(&plan);
                // Mostly graded alike, as cohorts are.
                let spread = 1 + below(4);
                for i in 0..ir.criteria.len() {
                    match below(12 * spread) {
                        0 => {}
                        1 => {
                            if let Ok(value) = plan.parse_grade(i, "ABS") {
                                g.set_value(i, value);
                            }
                        }
                        k => {
                            let p = positions(&ir, i);
                            let at = if k % spread == 0 {
                                p.len() - 1
                            } else {
                                k % p.len()
                            };
                            g.set_position(i, p[at]);
                        }
                    }
                }
                g
            })
            .collect();
        let found = reasons_agree(&ir, &cohort);
        assert!(found.is_ok(), "{path}: {found:?}");
    }
}
