//! Absent candidates (`ABS`): an absent grade is a known grade, what the
//! referential says absence counts as (by scale, by assessment, or in
//! `defaults`), never a missing one; reasons say « absent ».

use std::path::Path;

use acquis_compiler::{compile_str, Code};
use acquis_eval::batch::Evaluated;
use acquis_eval::plan::GradeValue;
use acquis_eval::{EvalError, GradeError, Grades, Outcome, Plan, ResultSink, Summary};
use acquis_ir::{AbsentKind, AbsentOrigin, Ir, ValueIr};

/// A referential in `lang`: C1 over two marks out of 20 (scale `note`,
/// absence counts as 0), ruled by `rule1`; C2 over two levels of the
/// standard library's acquisition scale, evaluated by E2, whose absence
/// rule is `e2` (the scale of the standard library says nothing).
fn referential(lang: &str, rule1: &str, e2: &str) -> Ir {
    let source = format!(
        r#"referential R "Absences" {{ lang {lang} }}
use std::scales::acquisition
scale note "Note sur 20" {{
  range 0 .. 20 step 0.5
  pass 10
  absent counts as 0
}}
block B "Bloc" {{
  competency C1 "Écrit" {{
    criterion CE1 "Un" {{ scale note }}
    criterion CE2 "Deux" {{ scale note }}
    validated when {rule1}
  }}
  competency C2 "Oral" {{
    criterion CE1 "Un" {{ scale acquisition }}
    criterion CE2 "Deux" {{ scale acquisition }}
    validated when all criteria acquired
  }}
  assessment E1 "Épreuve écrite" {{ covers C1 }}
  assessment E2 "Épreuve orale" {{ covers C2 {e2} }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
    );
    let compiled = compile_str("absences.acquis", &source);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    compiled.ir.unwrap()
}

fn graded(plan: &Plan<'_>, grades: &[(&str, &str)]) -> Grades {
    let mut g = Grades::new(plan);
    for (id, value) in grades {
        assert_eq!(g.set(plan, id, value), Ok(()), "{id} {value}");
    }
    g
}

fn outcome(plan: &Plan<'_>, grades: &Grades, id: &str) -> Outcome {
    plan.evaluate(grades).get(plan, id).unwrap()
}

#[test]
fn the_ir_carries_each_criterion_s_absence_rule_and_where_it_is_written() {
    let ir = referential(
        "fr",
        "average(criteria) >= 10",
        "absent counts as not acquired",
    );
    let rule = |id: &str| {
        ir.criteria
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .absent
            .clone()
    };
    let c1 = rule("C1/CE1").unwrap();
    assert_eq!(c1.counts_as, AbsentKind::Value);
    assert_eq!(c1.value, ValueIr::Number(acquis_ir::Decimal::ZERO));
    assert_eq!(c1.from, AbsentOrigin::Scale { id: "note".into() });
    let c2 = rule("C2/CE2").unwrap();
    assert_eq!(c2.counts_as, AbsentKind::NotAcquired);
    assert_eq!(c2.value, ValueIr::Level("non_acquis".into()));
    assert_eq!(c2.from, AbsentOrigin::Assessment { id: "E2".into() });
    // The statements as written, on the scale and the assessment.
    let note = ir.scales.iter().find(|s| s.id == "note").unwrap();
    assert_eq!(
        serde_json::to_value(&note.absent).unwrap(),
        serde_json::json!({"counts_as": "value", "value": "0"})
    );
    let e2 = ir.assessments.iter().find(|a| a.id == "E2").unwrap();
    assert_eq!(
        serde_json::to_value(&e2.absent).unwrap(),
        serde_json::json!({"counts_as": "not_acquired"})
    );
    // Without a rule, nothing is written.
    let ir = referential("fr", "average(criteria) >= 10", "");
    let text = serde_json::to_string(&ir.criteria[2]).unwrap();
    assert!(!text.contains("absent"), "{text}");
    assert!(Ir::from_json(&ir.to_json()).is_ok());
}

#[test]
fn an_absent_grade_is_known_a_missing_one_pending() {
    let ir = referential(
        "fr",
        "average(criteria) >= 10",
        "absent counts as not acquired",
    );
    let plan = Plan::new(&ir);
    // CE2 at 19.5 and CE1 missing: the average may still reach 10.
    let missing = graded(&plan, &[("C1/CE2", "19.5")]);
    assert_eq!(outcome(&plan, &missing, "C1"), Outcome::Pending);
    assert_eq!(outcome(&plan, &missing, "C1/CE1"), Outcome::Pending);
    // CE1 absent counts as 0: the average is 9.75, decided.
    let absent = graded(&plan, &[("C1/CE1", "ABS"), ("C1/CE2", "19.5")]);
    assert!(absent.is_absent(0));
    assert_eq!(absent.value(0), Some(GradeValue::Absent(0.0)));
    assert_eq!(outcome(&plan, &absent, "C1/CE1"), Outcome::Failed);
    assert_eq!(outcome(&plan, &absent, "C1"), Outcome::Failed);
    // With 20 the average is exactly 10.
    let absent = graded(&plan, &[("C1/CE1", "absent"), ("C1/CE2", "20")]);
    assert_eq!(outcome(&plan, &absent, "C1"), Outcome::Passed);
    // Not acquired on a level scale: the competency fails at once.
    let oral = graded(&plan, &[("C2/CE1", "Abs")]);
    assert_eq!(outcome(&plan, &oral, "C2/CE1"), Outcome::Failed);
    assert_eq!(outcome(&plan, &oral, "C2"), Outcome::Failed);
    // A grade set again is no longer absent.
    let mut again = oral.clone();
    again.set(&plan, "C2/CE1", "acquis").unwrap();
    assert!(!again.is_absent(ir.criteria.iter().position(|c| c.id == "C2/CE1").unwrap()));
    assert_eq!(outcome(&plan, &again, "C2"), Outcome::Pending);
}

#[test]
fn the_assessment_s_rule_overrides_the_scale_s_and_defaults_come_last() {
    // E2 counts absence as `en_cours`: not acquired (below `acquis`), but
    // `CE1 >= en_cours` holds.
    let ir = referential("en", "CE1 >= 0 and CE2 >= 0", "absent counts as en_cours");
    let plan = Plan::new(&ir);
    let g = graded(&plan, &[("C2/CE1", "ABS")]);
    let outcomes = plan.evaluate(&g);
    assert_eq!(outcomes.get(&plan, "C2/CE1"), Some(Outcome::Failed));
    assert_eq!(
        plan.reason("C2/CE1", &g, &outcomes),
        "absent, counts as en_cours, below the pass level acquis"
    );
    // An assessment over a numeric scale overrides its `absent counts as 0`.
    let source = r#"referential R "r" { lang en }
use std::scales::acquisition
scale note "Note" { range 0 .. 20 pass 10 absent counts as 0 }
defaults { absent counts as not acquired }
block B "b" {
  competency C1 "c1" {
    criterion CE1 "1" { scale note }
    criterion CE2 "2" { scale acquisition }
    validated when all criteria acquired
  }
  competency C2 "c2" {
    criterion CE1 "1" { scale note }
    validated when all criteria acquired
  }
  assessment E1 "e1" { covers C1 }
  assessment E2 "e2" { covers C2 absent counts as 12 }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let compiled = compile_str("r.acquis", source);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let ir = compiled.ir.unwrap();
    let from = |id: &str| {
        let c = ir.criteria.iter().find(|c| c.id == id).unwrap();
        c.absent.as_ref().map(|a| (a.counts_as, a.from.clone()))
    };
    assert_eq!(
        from("C1/CE1"),
        Some((AbsentKind::Value, AbsentOrigin::Scale { id: "note".into() }))
    );
    // The standard library's scale says nothing: the default applies.
    assert_eq!(
        from("C1/CE2"),
        Some((AbsentKind::NotAcquired, AbsentOrigin::Defaults))
    );
    assert_eq!(
        from("C2/CE1"),
        Some((
            AbsentKind::Value,
            AbsentOrigin::Assessment { id: "E2".into() }
        ))
    );
    let plan = Plan::new(&ir);
    let g = graded(&plan, &[("C2/CE1", "ABS"), ("C1/CE1", "ABS")]);
    let outcomes = plan.evaluate(&g);
    assert_eq!(outcomes.get(&plan, "C2"), Some(Outcome::Passed));
    assert_eq!(
        plan.reason("C2/CE1", &g, &outcomes),
        "absent, counts as 12, pass level 10"
    );
    assert_eq!(outcomes.get(&plan, "C1"), Some(Outcome::Failed));
    assert_eq!(
        plan.reason("C1", &g, &outcomes),
        "0 of 2 acquired, all required; C1/CE1 not acquired; C1/CE2 pending; C1/CE1 absent, counts as 0"
    );
}

#[test]
fn french_reasons_say_absent_and_what_it_counts_as() {
    let ir = referential(
        "fr",
        "average(criteria) >= 10 and min(criteria) >= 5",
        "absent counts as not acquired",
    );
    let plan = Plan::new(&ir);
    let g = graded(
        &plan,
        &[
            ("C1/CE1", "ABS"),
            ("C1/CE2", "16"),
            ("C2/CE1", "acquis"),
            ("C2/CE2", "ABS"),
        ],
    );
    let outcomes = plan.evaluate(&g);
    let reasons: Vec<String> = plan
        .ids()
        .iter()
        .map(|id| format!("{id} : {}", plan.reason(id, &g, &outcomes)))
        .collect();
    insta::assert_snapshot!(reasons.join("\n"));
}

#[test]
fn absence_read_twice_in_a_rule_is_still_exact() {
    // F is read in both directions: missing, eval tries each value; absent,
    // it is known, and the rule is decided without trying anything.
    let source = r#"referential R "r" { lang fr }
use std::scales::note_sur_20
scale drapeau "Drapeau" { range 0 .. 1 step 1 pass 1 absent counts as 0 }
block B "b" {
  competency C2 "c" {
    criterion F "f" { scale drapeau }
    criterion A "a" { scale note_sur_20 }
    validated when (F >= 1 and A >= 10) or (F < 1 and A >= 12)
  }
  assessment E "e" { covers C2 }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let compiled = compile_str("r.acquis", source);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let ir = compiled.ir.unwrap();
    let plan = Plan::new(&ir);
    let g = graded(&plan, &[("C2/F", "ABS"), ("C2/A", "11")]);
    let outcomes = plan.evaluate(&g);
    assert_eq!(outcomes.get(&plan, "C2"), Some(Outcome::Failed));
    let reason = plan.reason("C2", &g, &outcomes);
    assert!(!reason.contains("quelles que soient"), "{reason}");
    assert!(reason.ends_with("C2/F absent, compte pour 0"), "{reason}");
    // Missing, F decides nothing alone: A = 11 passes with F = 1 only.
    let g = graded(&plan, &[("C2/A", "11")]);
    assert_eq!(plan.evaluate(&g).get(&plan, "C2"), Some(Outcome::Pending));
    let g = graded(&plan, &[("C2/A", "12")]);
    assert_eq!(plan.evaluate(&g).get(&plan, "C2"), Some(Outcome::Passed));
}

#[test]
fn abs_without_a_rule_is_refused_and_a_level_written_so_is_that_level() {
    let ir = referential("fr", "average(criteria) >= 10", "");
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    let Err(GradeError::NoAbsenceRule(why)) = g.set(&plan, "C2/CE1", "ABS") else {
        panic!("ABS accepted without a rule")
    };
    assert!(
        why.english().contains("assessment `E2` or `defaults`"),
        "{why:?}"
    );
    assert_eq!(g.position(2), None);
    // A scale may have a level written `ABS`: that is the level; `abs` in
    // another case is absence.
    let source = r#"referential R "r" { }
scale presence "Présence" { levels ABS < present pass present absent counts as not acquired }
block B "b" {
  competency C "c" {
    criterion CE1 "1" { scale presence }
    validated when all criteria acquired
  }
  assessment E "e" { covers C }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;
    let compiled = compile_str("r.acquis", source);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let ir = compiled.ir.unwrap();
    let plan = Plan::new(&ir);
    assert_eq!(plan.parse_grade(0, "ABS"), Ok(GradeValue::Graded(0.0)));
    assert_eq!(plan.parse_grade(0, " abs "), Ok(GradeValue::Absent(0.0)));
    assert_eq!(plan.parse_grade(0, "ABSENT"), Ok(GradeValue::Absent(0.0)));
    assert!(matches!(
        plan.parse_grade(0, "absente"),
        Err(GradeError::NotOnScale(_))
    ));
}

#[test]
fn examples_may_grade_abs() {
    let source = r#"referential R "r" { lang fr }
use std::scales::acquisition
scale note "Note" { range 0 .. 20 pass 10 absent counts as 0 }
block B "b" {
  competency C1 "c1" {
    criterion CE1 "1" { scale note }
    criterion CE2 "2" { scale note }
    validated when average(criteria) >= 10
  }
  competency C2 "c2" {
    criterion CE1 "1" { scale acquisition }
    validated when all criteria acquired
  }
  assessment E1 "e1" { covers C1 }
  assessment E2 "e2" { covers C2 absent counts as not acquired }
  validated when all competencies validated
}
certification validated when all blocks validated
example "absent à l'écrit, compensé" {
  grades { C1/CE1 ABS, C1/CE2 20, C2/CE1 acquis }
  expect C1/CE1 not_acquired, C1 validated, certification validated
}
example "absent à l'oral" {
  grades { C1/CE1 10, C1/CE2 10, C2/CE1 absent }
  expect C2/CE1 not_acquired, C2 not_validated, certification not_validated
}
"#;
    let compiled = compile_str("r.acquis", source);
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    let ir = compiled.ir.unwrap();
    let grade = &ir.examples[0].grades[0];
    assert!(grade.absent);
    assert_eq!(grade.value, ValueIr::Number(acquis_ir::Decimal::ZERO));
    assert!(!ir.examples[0].grades[1].absent);
    let (failures, checked) = acquis_eval::run_examples(&ir);
    assert_eq!((failures, checked), (Vec::new(), 6));
}

/// Keeps every evaluated candidate's id, outcome of C1 and problems.
struct Keep(Vec<(String, Option<Outcome>, Vec<Code>)>);

impl ResultSink for Keep {
    fn batch(&mut self, plan: &Plan<'_>, candidates: &[Evaluated]) -> Result<(), EvalError> {
        self.0.extend(candidates.iter().map(|e| {
            (
                e.raw.id.clone(),
                e.outcomes.as_ref().and_then(|o| o.get(plan, "C1")),
                e.problems.iter().map(|p| p.code).collect(),
            )
        }));
        Ok(())
    }
    fn finish(&mut self, _plan: &Plan<'_>, _summary: &Summary) -> Result<(), EvalError> {
        Ok(())
    }
}

#[test]
fn abs_and_the_grade_it_counts_as_are_two_different_grades() {
    let ir = referential("fr", "average(criteria) >= 10", "");
    let plan = Plan::new(&ir);
    let dir = std::env::temp_dir().join(format!("acquis-eval-absent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("g.csv");
    std::fs::write(
        &path,
        "candidate,criterion,grade\n\
         alice,C1/CE1,ABS\nalice,C1/CE1,abs\nalice,C1/CE2,20\n\
         bob,C1/CE1,ABS\nbob,C1/CE1,0\n",
    )
    .unwrap();
    let mut keep = Keep(Vec::new());
    let mut problems = Vec::new();
    acquis_eval::run(&plan, Path::new(&path), None, &mut keep, &mut |d| {
        problems.push(d)
    })
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        keep.0,
        [
            // The same absence twice is one grade.
            ("alice".to_owned(), Some(Outcome::Passed), vec![]),
            ("bob".to_owned(), None, vec![Code::ConflictingGrades]),
        ]
    );
    assert_eq!(
        problems[0].message.english(),
        "two different grades for `C1/CE1`: `ABS` (line 5) and `0`"
    );
}

#[test]
fn a_shared_criterion_takes_the_rule_of_the_assessments_that_evaluate_it() {
    // E1/CE1 is shared by C1 and C2 in E1; E2 covers C2 too, so both E1
    // and E2 evaluate it: they must agree (else A0308).
    let source = |e1: &str, e2: &str| {
        format!(
            r#"referential R "r" {{ lang en }}
use std::scales::acquisition
defaults {{
  criterion scale acquisition
  competency validated when all criteria acquired
}}
block B "b" {{
  competency C1 "c1"
  competency C2 "c2" {{ criterion CE9 "own" }}
  assessment E1 "e1" {{
    covers C1, C2
    {e1}
    jointly C1, C2 {{ criterion CE1 "shared" }}
  }}
  assessment E2 "e2" {{ covers C2 {e2} }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
        )
    };
    let agree = compile_str(
        "r.acquis",
        &source(
            "absent counts as not acquired",
            "absent counts as not acquired",
        ),
    );
    assert!(!agree.has_errors(), "{:#?}", agree.diagnostics);
    let ir = agree.ir.unwrap();
    let shared = ir.criteria.iter().find(|c| c.id == "E1/CE1").unwrap();
    assert_eq!(
        shared.absent.as_ref().map(|a| a.from.clone()),
        Some(AbsentOrigin::Assessment { id: "E1".into() })
    );
    let disagree = compile_str(
        "r.acquis",
        &source("absent counts as not acquired", "absent counts as en_cours"),
    );
    let codes: Vec<Code> = disagree.diagnostics.iter().map(|d| d.code).collect();
    // Once per pair of assessments, whatever the number of criteria.
    assert_eq!(
        codes,
        [Code::ConflictingAbsence],
        "{:#?}",
        disagree.diagnostics
    );
    assert!(disagree.diagnostics[0]
        .message
        .english()
        .starts_with("assessments `E1` and `E2` both evaluate `C2/CE9`"));
    // Only E1 says it: C2's own criterion, covered by E1 too, takes it.
    let one = compile_str("r.acquis", &source("absent counts as en_cours", ""));
    assert!(!one.has_errors(), "{:#?}", one.diagnostics);
    let ir = one.ir.unwrap();
    for c in &ir.criteria {
        let absent = c.absent.as_ref().unwrap();
        assert_eq!(absent.value, ValueIr::Level("en_cours".into()), "{}", c.id);
    }
}
