//! Evaluation of a compiled referential for one candidate's grades:
//! criteria against their pass level, then every rule in the IR's `order`
//! with three-valued logic (`kleene`), each outcome with its reason.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{ExprIr, Ir, NumIr, ScaleKindIr, TestIr, ValueIr};
use crate::kleene::{self, Facts, Interval, Truth};

/// The outcome of one entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        match (self, is_criterion) {
            (Outcome::Passed, true) => "acquired",
            (Outcome::Failed, true) => "not_acquired",
            (Outcome::Passed, false) => "validated",
            (Outcome::Failed, false) => "not_validated",
            (Outcome::Pending, _) => "pending",
        }
    }
}

/// What evaluation needs of a referential, indexed once.
pub struct Plan<'ir> {
    ir: &'ir Ir,
    scales: HashMap<&'ir str, &'ir ScaleKindIr>,
    criteria: HashMap<&'ir str, usize>,
}

/// Every entity's outcome and reason for one candidate.
#[derive(Debug, Default)]
pub struct Results {
    pub outcomes: HashMap<String, (Outcome, String)>,
}

impl Results {
    pub fn get(&self, id: &str) -> Option<&(Outcome, String)> {
        self.outcomes.get(id)
    }
}

impl<'ir> Plan<'ir> {
    pub fn new(ir: &'ir Ir) -> Self {
        Plan {
            ir,
            scales: ir.scales.iter().map(|s| (s.id.as_str(), &s.kind)).collect(),
            criteria: ir
                .criteria
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect(),
        }
    }

    /// A grade as a number on its criterion's scale: the mark, or the
    /// level's rank (lowest level 0).
    fn position(&self, criterion: &str, value: &ValueIr) -> Option<f64> {
        let c = self.ir.criteria.get(*self.criteria.get(criterion)?)?;
        match (self.scales.get(c.scale.as_str())?, value) {
            (ScaleKindIr::Levels { levels }, ValueIr::Level(l)) => {
                levels.iter().position(|x| x == l).map(|r| r as f64)
            }
            (ScaleKindIr::Range { .. }, ValueIr::Number(n)) => Some(*n),
            _ => None,
        }
    }

    fn bounds(&self, criterion: &str) -> Interval {
        let kind = self
            .criteria
            .get(criterion)
            .and_then(|&i| self.ir.criteria.get(i))
            .and_then(|c| self.scales.get(c.scale.as_str()));
        match kind {
            Some(ScaleKindIr::Levels { levels }) => Interval {
                lo: 0.0,
                hi: levels.len().saturating_sub(1) as f64,
            },
            Some(ScaleKindIr::Range { min, max, .. }) => Interval { lo: *min, hi: *max },
            None => Interval {
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
            },
        }
    }

    /// Evaluates every entity, in the IR's order, for these grades
    /// (qualified criterion id → level or mark; absent means not graded).
    pub fn evaluate(&self, grades: &HashMap<&str, &ValueIr>) -> Results {
        let mut state = State {
            plan: self,
            grades,
            outcomes: HashMap::default(),
        };
        let mut results = Results::default();
        for criterion in &self.ir.criteria {
            let (outcome, reason) = match grades.get(criterion.id.as_str()) {
                None => (Outcome::Pending, "not graded yet".to_string()),
                Some(value) => {
                    let grade = self.position(&criterion.id, value);
                    let pass = self.position(&criterion.id, &criterion.pass);
                    match (grade, pass) {
                        (Some(g), Some(p)) if g >= p => (
                            Outcome::Passed,
                            format!(
                                "graded {}, pass level {}",
                                show(value),
                                show(&criterion.pass)
                            ),
                        ),
                        (Some(_), Some(_)) => (
                            Outcome::Failed,
                            format!(
                                "graded {}, below the pass level {}",
                                show(value),
                                show(&criterion.pass)
                            ),
                        ),
                        _ => (
                            Outcome::Pending,
                            format!("grade {} is not on the scale", show(value)),
                        ),
                    }
                }
            };
            state.outcomes.insert(criterion.id.as_str(), outcome);
            results
                .outcomes
                .insert(criterion.id.clone(), (outcome, reason));
        }
        let rules = self
            .ir
            .competencies
            .iter()
            .map(|c| (c.id.as_str(), &c.rule.expr))
            .chain(self.ir.blocks.iter().map(|b| (b.id.as_str(), &b.rule.expr)))
            .chain(std::iter::once((
                "certification",
                &self.ir.certification.rule.expr,
            )));
        let by_id: HashMap<&str, &ExprIr> = rules.collect();
        for id in &self.ir.order {
            let Some(expr) = by_id.get(id.as_str()) else {
                continue;
            };
            let outcome = Outcome::from_truth(kleene::eval(expr, &state));
            let reason = state.reason(expr);
            state.outcomes.insert(id.as_str(), outcome);
            results.outcomes.insert(id.clone(), (outcome, reason));
        }
        results
    }
}

fn show(value: &ValueIr) -> String {
    match value {
        ValueIr::Level(l) => l.clone(),
        ValueIr::Number(n) => n.to_string(),
    }
}

struct State<'p, 'ir, 'g> {
    plan: &'p Plan<'ir>,
    grades: &'g HashMap<&'g str, &'g ValueIr>,
    outcomes: HashMap<&'ir str, Outcome>,
}

impl Facts for State<'_, '_, '_> {
    fn outcome(&self, id: &str) -> Truth {
        match self.outcomes.get(id) {
            Some(Outcome::Passed) => Truth::True,
            Some(Outcome::Failed) => Truth::False,
            _ => Truth::Unknown,
        }
    }

    fn grade(&self, id: &str) -> Interval {
        match self.grades.get(id).and_then(|v| self.plan.position(id, v)) {
            Some(g) => Interval::point(g),
            None => self.plan.bounds(id),
        }
    }

    fn threshold(&self, id: &str, value: &ValueIr) -> f64 {
        self.plan.position(id, value).unwrap_or(0.0)
    }

    fn weight(&self, id: &str) -> f64 {
        self.plan
            .criteria
            .get(id)
            .and_then(|&i| self.plan.ir.criteria.get(i))
            .map_or(1.0, |c| c.weight)
    }
}

impl State<'_, '_, '_> {
    /// A one-line reason citing the members that decided the rule.
    fn reason(&self, expr: &ExprIr) -> String {
        match expr {
            ExprIr::And { args } | ExprIr::Or { args } => {
                let parts: Vec<String> = args.iter().map(|a| self.reason(a)).collect();
                parts.join("; ")
            }
            ExprIr::Not { arg } => format!("not ({})", self.reason(arg)),
            ExprIr::All { set, test } => self.count_reason(set, test, set.len(), "all"),
            ExprIr::Any { set, test } => self.count_reason(set, test, 1, "at least 1"),
            ExprIr::None { set, test } => self.count_reason(set, test, 0, "none"),
            ExprIr::AtLeast { n, set, test } => {
                self.count_reason(set, test, *n as usize, &format!("at least {n}"))
            }
            ExprIr::AtMost { n, set, test } => {
                self.count_reason(set, test, *n as usize, &format!("at most {n}"))
            }
            ExprIr::Member { id, test } => {
                let word = match kleene::member(id, test, self) {
                    Truth::True => "passes",
                    Truth::False => "fails",
                    Truth::Unknown => "is pending",
                };
                format!("{id} {word}{}", test_suffix(test))
            }
            ExprIr::Compare { lhs, cmp, rhs } => {
                format!("{} {cmp} {}", self.num_reason(lhs), self.num_reason(rhs))
            }
            ExprIr::Const { value } => format!("always {value}"),
        }
    }

    fn count_reason(&self, set: &[String], test: &TestIr, required: usize, wanted: &str) -> String {
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
        let mut out = format!(
            "{} of {} pass{}, {wanted} required",
            passed.len(),
            set.len(),
            test_suffix(test)
        );
        for (label, ids) in [
            ("passing", &passed),
            ("failing", &failed),
            ("pending", &pending),
        ] {
            if !ids.is_empty() {
                out.push_str(&format!("; {label}: {}", ids.join(", ")));
            }
        }
        if required > passed.len() && !pending.is_empty() && wanted != "none" {
            out.push_str(&format!(
                "; needs {} more among {}",
                required - passed.len(),
                pending.join(", ")
            ));
        }
        out
    }

    fn num_reason(&self, num: &NumIr) -> String {
        let i = kleene::num(num, self);
        let value = if i.lo == i.hi {
            format!("{}", i.lo)
        } else {
            format!("between {} and {}", i.lo, i.hi)
        };
        match num {
            NumIr::Number { value } => value.to_string(),
            NumIr::Aggregate { function, .. } => format!("{function} {value}"),
            NumIr::Arith { .. } => value,
        }
    }
}

fn test_suffix(test: &TestIr) -> String {
    match test {
        TestIr::Outcome => String::new(),
        TestIr::Compare { cmp, value } => format!(" ({cmp} {})", show(value)),
    }
}

/// A failed expectation of an `example` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub example: String,
    pub id: String,
    pub expected: String,
    pub actual: String,
    pub reason: String,
}

/// Runs every `example` of the referential; returns the failed expectations
/// and the number of expectations checked.
pub fn run_examples(ir: &Ir) -> (Vec<Failure>, usize) {
    let plan = Plan::new(ir);
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in &ir.examples {
        let grades: HashMap<&str, &ValueIr> = example
            .grades
            .iter()
            .map(|g| (g.criterion.as_str(), &g.value))
            .collect();
        let results = plan.evaluate(&grades);
        for expectation in &example.expect {
            checked += 1;
            let is_criterion = plan.criteria.contains_key(expectation.id.as_str());
            let (actual, reason) = match results.get(&expectation.id) {
                Some((outcome, reason)) => (outcome.word(is_criterion).to_string(), reason.clone()),
                None => ("unknown".to_string(), "no such entity".to_string()),
            };
            if actual != expectation.outcome {
                failures.push(Failure {
                    example: example.name.clone(),
                    id: expectation.id.clone(),
                    expected: expectation.outcome.clone(),
                    actual,
                    reason,
                });
            }
        }
    }
    (failures, checked)
}
