//! Explicit rounding and the two-number `max`/`min`, evaluated: the
//! issue's règlements (an average rounded to the hundredth before it is
//! compared, the points of a unit above 10), pending while a grade could
//! still change the rounded value, and the reasons.

use acquis_compiler::compile_str;
use acquis_eval::{Grades, Outcome, Plan};

/// A referential whose competency C has criteria CE1, CE2 on 0 .. 20 by
/// hundredths and the rule `rule`, in `lang`.
fn referential(lang: &str, rule: &str) -> acquis_ir::Ir {
    let text = format!(
        r#"referential R "r" {{ lang {lang} }}
scale centiemes "Note au centième" {{ range 0 .. 20 step 0.01 pass 10 }}
defaults {{ criterion scale centiemes }}
block B "b" {{
  competency C "c" {{
    criterion CE1 "un"
    criterion CE2 "deux"
    validated when {rule}
  }}
  assessment E "e" {{ covers C }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
    );
    let compiled = compile_str("r.acquis", &text);
    assert!(
        !compiled.has_errors(),
        "{rule}: {:#?}",
        compiled.diagnostics
    );
    compiled.ir.unwrap()
}

/// C's outcome and reason with these grades (criterion, grade).
fn decide(lang: &str, rule: &str, grades: &[(&str, &str)]) -> (Outcome, String) {
    let ir = referential(lang, rule);
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    for (id, grade) in grades {
        assert_eq!(g.set(&plan, id, grade), Ok(()), "{id} {grade}");
    }
    let outcomes = plan.evaluate(&g);
    let outcome = outcomes.get(&plan, "C").unwrap();
    (outcome, plan.reason("C", &g, &outcomes))
}

fn outcome(rule: &str, grades: &[(&str, &str)]) -> Outcome {
    decide("fr", rule, grades).0
}

#[test]
fn an_average_of_9_995_rounded_to_the_hundredth_reaches_10_but_not_floored() {
    let grades = [("C/CE1", "9.99"), ("C/CE2", "10")];
    // Exactly 9.995: below 10 unrounded.
    assert_eq!(
        outcome("weighted average(criteria) >= 10", &grades),
        Outcome::Failed
    );
    assert_eq!(
        outcome("round(weighted average(criteria), 2) >= 10", &grades),
        Outcome::Passed
    );
    assert_eq!(
        outcome("ceil(weighted average(criteria), 2) >= 10", &grades),
        Outcome::Passed
    );
    assert_eq!(
        outcome("floor(weighted average(criteria), 2) >= 10", &grades),
        Outcome::Failed
    );
    // To the tenth, 9.995 is 10.0 rounded, 9.9 floored.
    assert_eq!(
        outcome("round(average(criteria), 1) = 10", &grades),
        Outcome::Passed
    );
    assert_eq!(
        outcome("floor(average(criteria), 1) = 9.9", &grades),
        Outcome::Passed
    );
    // Under the half: 9.99 rounds to 9.99.
    assert_eq!(
        outcome(
            "round(average(criteria), 2) >= 10",
            &[("C/CE1", "9.99"), ("C/CE2", "9.99")]
        ),
        Outcome::Failed
    );
}

#[test]
fn only_the_points_above_10_count() {
    // A unit counts only its points above 10: CE1 gives 4.5, CE2 nothing.
    let rule = "max(0, sum({CE1}) - 10) + max(0, sum({CE2}) - 10) >= 4.5";
    assert_eq!(
        outcome(rule, &[("C/CE1", "14.5"), ("C/CE2", "3")]),
        Outcome::Passed
    );
    assert_eq!(
        outcome(rule, &[("C/CE1", "14"), ("C/CE2", "3")]),
        Outcome::Failed
    );
    // Without `max`, CE2's 3 would take 7 points away.
    assert_eq!(
        outcome(
            "sum({CE1}) - 10 + sum({CE2}) - 10 >= 4.5",
            &[("C/CE1", "14.5"), ("C/CE2", "3")]
        ),
        Outcome::Failed
    );
    // CE1 alone already has the points: validated whatever CE2 is.
    assert_eq!(outcome(rule, &[("C/CE1", "15")]), Outcome::Passed);
    // CE1 at 12: CE2 decides.
    assert_eq!(outcome(rule, &[("C/CE1", "12")]), Outcome::Pending);
    // min caps a unit's contribution.
    assert_eq!(
        outcome(
            "min(sum({CE1}), 12) + min(sum({CE2}), 12) >= 24",
            &[("C/CE1", "20"), ("C/CE2", "11.99")]
        ),
        Outcome::Failed
    );
}

#[test]
fn pending_while_a_missing_grade_could_change_the_rounded_value() {
    let rule = "floor(average(criteria), 0) >= 10";
    // 20 and a missing grade: the average is at least 10 whatever comes.
    assert_eq!(outcome(rule, &[("C/CE1", "20")]), Outcome::Passed);
    // 0 and a missing grade: at most 10, floored 10 only at exactly 20.
    assert_eq!(outcome(rule, &[("C/CE1", "0")]), Outcome::Pending);
    // 0 and a missing grade, `>` 10: never.
    assert_eq!(
        outcome("floor(average(criteria), 0) > 10", &[("C/CE1", "0")]),
        Outcome::Failed
    );
}

#[test]
fn reasons_show_the_rounded_value_and_what_was_rounded() {
    let grades = [("C/CE1", "9.99"), ("C/CE2", "10")];
    let (_, fr) = decide("fr", "floor(weighted average(criteria), 2) >= 10", &grades);
    assert!(
        fr.contains("arrondi inférieur 9,99 (moyenne pondérée"),
        "{fr}"
    );
    let (_, en) = decide("en", "round(weighted average(criteria), 2) >= 10", &grades);
    assert!(en.contains("rounded 10.00 (weighted average"), "{en}");
    let (_, en) = decide(
        "en",
        "max(0, sum({CE1}) - 10) >= 1",
        &[("C/CE1", "14.5"), ("C/CE2", "3")],
    );
    assert!(en.starts_with("max 4.50 (0, 4.50)"), "{en}");
    let (_, fr) = decide(
        "fr",
        "min(sum({CE1}), 12) >= 1",
        &[("C/CE1", "14.5"), ("C/CE2", "3")],
    );
    assert!(fr.starts_with("min 12,00 (somme 14,50 ; 12)"), "{fr}");
}
