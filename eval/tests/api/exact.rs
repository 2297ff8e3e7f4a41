//! Exact decisions against brute force, on random referentials: numeric
//! scales with half steps, weights with one or two decimals, arithmetic,
//! rounding (`round`, `floor`, `ceil`), `max` and `min` of two numbers,
//! negation, averages, counts, a competency read by another, and members
//! read in several branches and in both directions. For random partial
//! grades, every entity is `validated` exactly when every completion of the
//! missing grades validates it, `not_validated` when none does, `pending`
//! otherwise.
//!
//! Some grades are `ABS` (absent) under random absence rules (in the
//! scales, the assessments and `defaults`): an absent grade is known, never
//! completed, and evaluates exactly as the grade its rule counts it as,
//! the assessment's rule overriding the scale's, the scale's the default.

use acquis_compiler::compile_str;
use acquis_eval::{GradeError, Grades, Outcome, Plan};
use proptest::prelude::*;

/// The criteria, with the grades each may take (as written in grade files).
const CRITERIA: [(&str, [&str; 3]); 5] = [
    ("C1/A", ["0", "0.5", "1"]),
    ("C1/F", ["0", "0.5", "1"]),
    ("C1/L", ["non_acquis", "en_cours", "acquis"]),
    ("C2/A", ["0", "0,5", "1"]),
    ("C2/G", ["0", "0.5", "1"]),
];

/// A grade of [`grades`]: `Some(ABSENT)` is `ABS`.
const ABSENT: usize = 3;

/// The absence rules of a referential (`None`: none): of the scale
/// `demi`, of the scale `niveaux`, of the assessments E1 (C1) and E2 (C2),
/// and of `defaults`.
#[derive(Debug, Clone)]
struct Absence {
    demi: Option<&'static str>,
    niveaux: Option<&'static str>,
    e1: Option<&'static str>,
    e2: Option<&'static str>,
    defaults: Option<&'static str>,
}

fn absence() -> impl Strategy<Value = Absence> {
    let demi = ["0", "0.5", "1", "not acquired"];
    let niveaux = ["non_acquis", "en_cours", "acquis", "not acquired"];
    (
        proptest::option::of(prop::sample::select(demi.to_vec())),
        proptest::option::of(prop::sample::select(niveaux.to_vec())),
        proptest::option::of(Just("not acquired")),
        proptest::option::of(prop::sample::select(demi.to_vec())),
        proptest::option::of(Just("not acquired")),
    )
        .prop_map(|(demi, niveaux, e1, e2, defaults)| Absence {
            demi,
            niveaux,
            e1,
            e2,
            defaults,
        })
}

impl Absence {
    /// The rule that applies to criterion `i` of [`CRITERIA`]: its
    /// assessment's, else its scale's, else the default one.
    fn rule(&self, i: usize) -> Option<&'static str> {
        let (assessment, scale) = match i {
            0 | 1 => (self.e1, self.demi),
            2 => (self.e1, self.niveaux),
            _ => (self.e2, self.demi),
        };
        assessment.or(scale).or(self.defaults)
    }

    /// The grade (an index into [`CRITERIA`]'s values) that absence counts
    /// as for criterion `i`, if the referential says it.
    fn counts_as(&self, i: usize) -> Option<usize> {
        Some(match self.rule(i)? {
            "not acquired" | "0" | "non_acquis" => 0,
            "0.5" | "en_cours" => 1,
            _ => 2,
        })
    }

    fn statement(rule: Option<&str>) -> String {
        rule.map_or(String::new(), |r| format!(" absent counts as {r}"))
    }
}

const WEIGHTS: [&str; 6] = ["1", "0.1", "0.2", "0.5", "1.5", "0.25"];

/// An atom of C1's rule.
fn atom1() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "A >= 1",
        "A > 0.5",
        "F < 0.5",
        "F >= 0.5",
        "L = en_cours",
        "L >= en_cours",
        "L acquired",
        "A acquired",
        "F acquired",
        "weighted average({A, F}) >= 0.5",
        "weighted average({A, F}) > 0.7",
        "average({A, F}) >= 0.75",
        "sum({A, F}) * 0.1 >= 0.1",
        "max({A, F}) >= 1",
        "min({A, F}) >= 0.5",
        "count(criteria acquired) >= 2",
        "at least 2 of criteria acquired",
        "at most 1 of criteria acquired",
        "none {A, F} acquired",
        "sum({A}) - sum({F}) >= 0.5",
        "sum({A}) * sum({F}) >= 0.5",
        "sum({A}) + sum({F}) * 2 >= 2",
        "round(weighted average({A, F}), 0) >= 1",
        "floor(weighted average({A, F}), 1) >= 0.7",
        "ceil(average({A, F}), 0) >= 1",
        "round(sum({A}) * 0.3 + sum({F}) * 0.7, 1) > 0.4",
        "max(sum({A}), sum({F}) * 2) >= 1",
        "min(sum({A}), 1 - sum({F})) >= 0.5",
        "max(0, sum({A}) - sum({F})) + min(sum({F}), 0.5) >= 0.5",
        "floor(sum({A}) - sum({F}), 0) < 0",
        "ceil(max(sum({A}), 0.2), 0) - min(sum({F}), sum({A})) >= 1",
        // `=` and `!=` on computed numbers, which skip values between their
        // bounds: 0.75 is no sum of half points, 0.25 is an average of two.
        "sum({A, F}) = 0.75",
        "average({A, F}) = 0.25",
        "average({A, F}) != 0.5",
        "weighted average({A, F}) = 0.3",
        "sum({A}) + sum({F}) * 2 != 1.25",
        "round(average({A, F}), 0) = 1",
        "max({A, F}) = 0.75",
        "count(criteria acquired) = 1",
    ])
    .prop_map(str::to_string)
}

/// An atom of C2's rule (C2 may read C1's outcome).
fn atom2() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "A >= 1",
        "A = 0.5",
        "G >= 0.5",
        "G < 1",
        "C1 validated",
        "weighted average(criteria) >= 0.5",
        "average(criteria) > 0.5",
        "sum({A}) - sum({G}) * 2 >= 0",
        "all criteria acquired",
        "any criteria acquired",
        "round(average(criteria), 0) >= 1",
        "floor(weighted average(criteria), 1) < 0.5",
        "max(sum({A}), sum({G})) - min(sum({A}), sum({G})) >= 0.5",
        "sum(criteria) = 1.25",
        "average(criteria) != 0.25",
    ])
    .prop_map(str::to_string)
}

/// A rule of depth up to 3 over `atom`: and, or, not, brackets.
fn rule(atom: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    atom.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) or ({b})")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

fn block_rule() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "all competencies validated",
        "C1 validated or C2 validated",
        "not C1 validated or C2 validated",
        "(C1 validated and not C2 validated) or (C2 validated and not C1 validated)",
        "at least 1 of competencies validated",
    ])
    .prop_map(str::to_string)
}

fn source(rule1: &str, rule2: &str, block: &str, weights: &[&str], absence: &Absence) -> String {
    format!(
        r#"referential X "Exactitude" {{ lang fr }}
scale demi "Demi" {{ range 0 .. 1 step 0.5 pass 0.5{} }}
scale niveaux "Niveaux" {{ levels non_acquis < en_cours < acquis pass acquis{} }}
defaults {{{} }}
block B "Bloc" {{
  competency C1 "Un" {{
    criterion A "a" {{ scale demi weight {} }}
    criterion F "f" {{ scale demi weight {} }}
    criterion L "l" {{ scale niveaux }}
    validated when {rule1}
  }}
  competency C2 "Deux" {{
    criterion A "a" {{ scale demi weight {} }}
    criterion G "g" {{ scale demi weight {} }}
    validated when {rule2}
  }}
  assessment E1 "Épreuve un" {{ covers C1{} }}
  assessment E2 "Épreuve deux" {{ covers C2{} }}
  validated when {block}
}}
certification validated when all blocks validated
"#,
        Absence::statement(absence.demi),
        Absence::statement(absence.niveaux),
        Absence::statement(absence.defaults),
        weights[0],
        weights[1],
        weights[2],
        weights[3],
        Absence::statement(absence.e1),
        Absence::statement(absence.e2),
    )
}

/// `None` is a missing grade, `Some(k)` the k-th value of the criterion,
/// `Some(ABSENT)` `ABS` (which must be accepted).
fn grades(plan: &Plan<'_>, partial: &[Option<usize>]) -> Grades {
    let mut g = Grades::new(plan);
    for ((id, values), k) in CRITERIA.iter().zip(partial) {
        match k {
            Some(ABSENT) => assert_eq!(g.set(plan, id, "ABS"), Ok(()), "{id}"),
            Some(k) => assert_eq!(g.set(plan, id, values[*k]), Ok(()), "{id}"),
            None => {}
        }
    }
    g
}

/// Every completion of the missing grades; an absent grade is known and
/// stays absent.
fn completions(partial: &[Option<usize>]) -> Vec<Vec<Option<usize>>> {
    let mut all = vec![partial.to_vec()];
    for (i, k) in partial.iter().enumerate() {
        if k.is_none() {
            all = all
                .into_iter()
                .flat_map(|c| {
                    (0..3).map(move |v| {
                        let mut c = c.clone();
                        c[i] = Some(v);
                        c
                    })
                })
                .collect();
        }
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_entity_is_decided_exactly_as_brute_force(
        rule1 in rule(atom1().boxed()),
        rule2 in rule(atom2().boxed()),
        block in block_rule(),
        weights in prop::collection::vec(prop::sample::select(WEIGHTS.to_vec()), 4),
        drawn in prop::collection::vec(proptest::option::weighted(0.6, 0..4usize), CRITERIA.len()),
        absence in absence(),
    ) {
        let text = source(&rule1, &rule2, &block, &weights, &absence);
        let compiled = compile_str("x.acquis", &text);
        let errors: Vec<_> = compiled.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{text}\n{errors:#?}");
        let Some(ir) = compiled.ir else { unreachable!("an IR") };
        let plan = Plan::new(&ir);
        // `ABS` where the referential says nothing of absence is refused,
        // and the grade left missing.
        let mut partial = drawn.clone();
        for (i, k) in partial.iter_mut().enumerate() {
            if *k == Some(ABSENT) && absence.counts_as(i).is_none() {
                let refused = Grades::new(&plan).set(&plan, CRITERIA[i].0, "ABS");
                prop_assert!(
                    matches!(refused, Err(GradeError::NoAbsenceRule(_))),
                    "{}: {:?}\n{}", CRITERIA[i].0, refused, text
                );
                *k = None;
            }
        }
        let ours = plan.evaluate(&grades(&plan, &partial));
        // An absent grade evaluates as the grade it counts as.
        let counted: Vec<Option<usize>> = partial
            .iter()
            .enumerate()
            .map(|(i, k)| match k {
                Some(ABSENT) => absence.counts_as(i),
                k => *k,
            })
            .collect();
        let absent_grades = grades(&plan, &partial);
        for (i, k) in partial.iter().enumerate() {
            let reason = plan.reason(CRITERIA[i].0, &absent_grades, &ours);
            prop_assert_eq!(*k == Some(ABSENT), reason.starts_with("absent, compte"), "{}", reason);
        }
        let as_counted = plan.evaluate(&grades(&plan, &counted));
        for id in plan.ids() {
            prop_assert_eq!(
                ours.get(&plan, id),
                as_counted.get(&plan, id),
                "{} with {:?} counted as {:?}\n{}",
                id,
                partial,
                counted,
                text
            );
        }
        let finals: Vec<_> = completions(&partial)
            .iter()
            .map(|c| plan.evaluate(&grades(&plan, c)))
            .collect();
        for id in ["C1", "C2", "B", "certification"] {
            let can_pass = finals.iter().any(|o| o.get(&plan, id) == Some(Outcome::Passed));
            let can_fail = finals.iter().any(|o| o.get(&plan, id) == Some(Outcome::Failed));
            prop_assert!(
                finals.iter().all(|o| o.get(&plan, id) != Some(Outcome::Pending)),
                "complete grades leave {id} pending\n{text}"
            );
            let expected = match (can_pass, can_fail) {
                (true, false) => Outcome::Passed,
                (false, true) => Outcome::Failed,
                _ => Outcome::Pending,
            };
            prop_assert_eq!(
                ours.get(&plan, id),
                Some(expected),
                "{} with {:?}\n{}",
                id,
                partial,
                text
            );
        }
    }
}

/// C2 is validated by either route when A reaches 10, whatever F is.
pub const EITHER_ROUTE: &str = r#"referential R "r" { lang fr }
use std::scales::note_sur_20
scale drapeau "Drapeau" { range 0 .. 1 step 1 pass 1 }
block B "b" {
  competency C2 "c" {
    criterion F "f" { scale drapeau }
    criterion A "a" { scale note_sur_20 }
    validated when (F >= 1 and A >= 10) or (F < 1 and A >= 10)
  }
  assessment E "e" { covers C2 }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;

#[test]
fn either_route_is_validated_whatever_the_missing_grade() {
    // The issue's case: F missing, A graded 12; validated whatever F is.
    let text = EITHER_ROUTE;
    let compiled = compile_str("r.acquis", text);
    let Some(ir) = compiled.ir else {
        unreachable!("an IR")
    };
    let plan = Plan::new(&ir);
    assert_eq!(plan.case_splits("C2"), vec!["C2/F"]);
    let mut g = Grades::new(&plan);
    assert_eq!(g.set(&plan, "C2/A", "12"), Ok(()));
    let outcomes = plan.evaluate(&g);
    assert_eq!(outcomes.get(&plan, "C2"), Some(Outcome::Passed));
    assert_eq!(outcomes.get(&plan, "certification"), Some(Outcome::Passed));
    let reason = plan.reason("C2", &g, &outcomes);
    assert!(
        reason.ends_with("décidé quelles que soient les notes manquantes de C2/F"),
        "{reason}"
    );
    // With A below 10, no value of F validates it.
    assert_eq!(g.set(&plan, "C2/A", "9.5"), Ok(()));
    assert_eq!(plan.evaluate(&g).get(&plan, "C2"), Some(Outcome::Failed));
}

/// A grade read against itself: `sum({CE1}) - sum({CE1}) >= 0` always
/// holds, so it is validated with CE1 missing (issue 17 asked that this be
/// tested), and `sum({CE1}) * 2 = sum({CE1}) + sum({CE1})` likewise.
#[test]
fn a_grade_read_against_itself_is_decided_while_missing() {
    for rule in [
        "sum({CE1}) - sum({CE1}) >= 0",
        "sum({CE1}) * 2 = sum({CE1}) + sum({CE1})",
    ] {
        let text = format!(
            r#"referential R "r" {{ lang fr }}
use std::scales::note_sur_20
block B "b" {{
  competency C "c" {{
    criterion CE1 "x" {{ scale note_sur_20 }}
    criterion CE2 "y" {{ scale note_sur_20 }}
    validated when {rule} and CE2 >= 10
  }}
  assessment E "e" {{ covers C }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
        );
        let compiled = compile_str("r.acquis", &text);
        let Some(ir) = compiled.ir else {
            unreachable!("an IR")
        };
        let plan = Plan::new(&ir);
        let mut g = Grades::new(&plan);
        assert_eq!(g.set(&plan, "C/CE2", "12"), Ok(()));
        assert_eq!(
            plan.evaluate(&g).get(&plan, "C"),
            Some(Outcome::Passed),
            "{rule}"
        );
    }
}

#[test]
fn a_competency_read_both_ways_is_tried_as_two_outcomes_not_every_grade() {
    // B reads C1 and C2 in both directions; their grades are read only
    // through them, so B tries C1 and C2 validated or not (4 cases), not
    // every grade of their six criteria (41^6).
    let text = r#"referential R "r" { lang en }
use std::scales::note_sur_20
defaults { criterion scale note_sur_20 }
block B "b" {
  competency C1 "c1" {
    criterion CE1 "1"
    criterion CE2 "2"
    criterion CE3 "3"
    validated when average(criteria) >= 10
  }
  competency C2 "c2" {
    criterion CE1 "1"
    criterion CE2 "2"
    criterion CE3 "3"
    validated when min(criteria) >= 8
  }
  assessment E "e" { covers C1, C2 }
  validated when (C1 validated and not C2 validated) or (C2 validated and not C1 validated) or (C1 validated and C2 validated)
}
certification validated when all blocks validated
"#;
    let compiled = compile_str("r.acquis", text);
    assert!(
        !compiled
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "A0411"),
        "no costly rule: {:#?}",
        compiled.diagnostics
    );
    let Some(ir) = compiled.ir else {
        unreachable!("an IR")
    };
    let plan = Plan::new(&ir);
    assert_eq!(plan.case_splits("B"), vec!["C1", "C2"]);
    // B is "C1 or C2": C1 validated (average 20 whatever CE3) decides it,
    // while C2 is still pending.
    let mut g = Grades::new(&plan);
    assert_eq!(g.set(&plan, "C1/CE1", "20"), Ok(()));
    assert_eq!(g.set(&plan, "C1/CE2", "20"), Ok(()));
    let outcomes = plan.evaluate(&g);
    assert_eq!(outcomes.get(&plan, "C1"), Some(Outcome::Passed));
    assert_eq!(outcomes.get(&plan, "C2"), Some(Outcome::Pending));
    assert_eq!(outcomes.get(&plan, "B"), Some(Outcome::Passed));
}
