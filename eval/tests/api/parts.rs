//! Assessments with marked parts (`part ecrit …`, `validated when
//! weighted average(parts) >= 10`): the assessment has an outcome of its
//! own, parts are graded as `E1/ecrit`, and a missing part keeps the
//! épreuve pending only while it can still change the outcome. Checked
//! against brute force over every completion of the missing marks, with
//! random coefficients and rules.

use acquis_compiler::compile_str;
use acquis_eval::{Grades, Outcome, Plan};
use proptest::prelude::*;

/// The parts, each marked 0, 5, 10, 15 or 20 in these tests.
const PARTS: [&str; 3] = ["E1/ecrit", "E1/oral", "E1/dossier"];
const MARKS: [&str; 5] = ["0", "5", "10", "15", "20"];
const COEFFICIENTS: [&str; 5] = ["1", "2", "3", "0.5", "1.5"];
const RULES: [&str; 6] = [
    "weighted average(parts) >= 10",
    "round(weighted average(parts), 1) >= 10",
    "average(parts) >= 10 and min(parts) >= 5",
    "weighted average(parts) >= 12 or ecrit >= 15",
    "sum(parts) + max(0, sum({dossier}) - 10) >= 30",
    "at least 2 of parts acquired",
];

fn source(rule: &str, coefficients: &[&str]) -> String {
    let parts: String = ["ecrit", "oral", "dossier"]
        .iter()
        .zip(coefficients)
        .map(|(id, c)| {
            format!(
                "    part {id} \"{id}\" {{ coefficient {c} duration 1 h form \"ponctuelle\" }}\n"
            )
        })
        .collect();
    format!(
        r#"referential R "r" {{ lang fr }}
scale note "Note sur 20" {{ range 0 .. 20 step 0.5 pass 10 }}
defaults {{
  criterion scale note
  block validated when all competencies validated
}}
block B "b" {{
  competency C1 "c1" {{
    criterion CE1 "un"
    validated when all criteria acquired
  }}
  assessment E1 "Épreuve" {{
    covers C1
{parts}    validated when {rule}
  }}
}}
certification validated when all blocks validated
"#
    )
}

fn grades(plan: &Plan<'_>, partial: &[Option<usize>]) -> Grades {
    let mut g = Grades::new(plan);
    for (id, k) in PARTS.iter().zip(partial) {
        if let Some(k) = k {
            assert_eq!(g.set(plan, id, MARKS[*k]), Ok(()), "{id}");
        }
    }
    g
}

fn completions(partial: &[Option<usize>]) -> Vec<Vec<Option<usize>>> {
    let mut all = vec![partial.to_vec()];
    for (i, k) in partial.iter().enumerate() {
        if k.is_none() {
            all = all
                .into_iter()
                .flat_map(|c| {
                    (0..MARKS.len()).map(move |v| {
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
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn an_assessment_is_decided_exactly_as_brute_force(
        rule in prop::sample::select(RULES.to_vec()),
        coefficients in prop::collection::vec(prop::sample::select(COEFFICIENTS.to_vec()), 3),
        drawn in prop::collection::vec(proptest::option::weighted(0.6, 0..MARKS.len()), PARTS.len()),
    ) {
        let text = source(rule, &coefficients);
        let compiled = compile_str("x.acquis", &text);
        let errors: Vec<_> = compiled.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{text}\n{errors:#?}");
        let Some(ir) = compiled.ir else { unreachable!("an IR") };
        let plan = Plan::new(&ir);
        let ours = plan.evaluate(&grades(&plan, &drawn));
        let finals: Vec<_> = completions(&drawn)
            .iter()
            .map(|c| plan.evaluate(&grades(&plan, c)))
            .collect();
        let can_pass = finals.iter().any(|o| o.get(&plan, "E1") == Some(Outcome::Passed));
        let can_fail = finals.iter().any(|o| o.get(&plan, "E1") == Some(Outcome::Failed));
        prop_assert!(finals.iter().all(|o| o.get(&plan, "E1") != Some(Outcome::Pending)), "{text}");
        let expected = match (can_pass, can_fail) {
            (true, false) => Outcome::Passed,
            (false, true) => Outcome::Failed,
            _ => Outcome::Pending,
        };
        prop_assert_eq!(ours.get(&plan, "E1"), Some(expected), "{:?}\n{}", drawn, text);
    }
}

/// The oral compensates the written part: the épreuve is validated on the
/// weighted average (8 × 2 + 14 × 1) / 3 = 10, and its reason, in the
/// referential's language, shows the average; each part is a mark.
#[test]
fn the_oral_compensates_the_written_part() {
    let text = source(RULES[0], &["2", "1", "1"]).replace(
        "    part dossier \"dossier\" { coefficient 1 duration 1 h form \"ponctuelle\" }\n",
        "",
    );
    let compiled = compile_str("x.acquis", &text);
    let ir = compiled.ir.expect("an IR");
    let assessment = ir.assessments.first().expect("E1");
    assert_eq!(assessment.parts.len(), 2);
    assert!(assessment.rule.is_some());
    let ecrit = ir
        .criteria
        .iter()
        .find(|c| c.id == "E1/ecrit")
        .expect("a part");
    assert_eq!(ecrit.owner, "E1");
    assert!(ecrit.competencies.is_empty());
    assert_eq!(ecrit.weight.to_string(), "2");
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    g.set(&plan, "E1/ecrit", "8").expect("on the scale");
    // The oral missing: 8 × 2 / 3 + [0, 20] / 3 can reach 10 or not.
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "E1"), Some(Outcome::Pending));
    g.set(&plan, "E1/oral", "14").expect("on the scale");
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "E1"), Some(Outcome::Passed));
    assert_eq!(
        plan.reason("E1", &g, &o),
        "moyenne pondérée 10,00 ≥ 10 : vérifié"
    );
    g.set(&plan, "E1/oral", "13.5").expect("on the scale");
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "E1"), Some(Outcome::Failed));
    // A written mark of 2 fails the épreuve whatever the oral.
    let mut g = Grades::new(&plan);
    g.set(&plan, "E1/ecrit", "2").expect("on the scale");
    assert_eq!(plan.evaluate(&g).get(&plan, "E1"), Some(Outcome::Failed));
}

/// A competency without criteria is decided by the épreuve that covers it
/// (no A0505); the compensated part is reported as a mark, in English too.
#[test]
fn a_competency_without_criteria_follows_its_epreuve_in_english() {
    let text = source(RULES[0], &["2", "1", "1"])
        .replace("lang fr", "lang en")
        .replace(
            "  competency C1 \"c1\" {\n    criterion CE1 \"un\"\n    validated when all criteria acquired\n  }\n",
            "  competency C1 \"c1\"\n",
        );
    let compiled = compile_str("x.acquis", &text);
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    let ir = compiled.ir.expect("an IR");
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    for (part, mark) in [("E1/ecrit", "8"), ("E1/oral", "14"), ("E1/dossier", "10")] {
        g.set(&plan, part, mark).expect("on the scale");
    }
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "E1"), Some(Outcome::Passed));
    assert_eq!(o.get(&plan, "C1"), Some(Outcome::Passed));
    assert_eq!(o.get(&plan, "certification"), Some(Outcome::Passed));
    assert_eq!(
        plan.reason("E1/ecrit", &g, &o),
        "graded 8 (coefficient 2), compensated within assessment E1"
    );
    assert_eq!(plan.reason("E1/oral", &g, &o), "graded 14");
    g.set(&plan, "E1/ecrit", "2").expect("on the scale");
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "C1"), Some(Outcome::Failed));
    assert_eq!(plan.reason("E1/ecrit", &g, &o), "graded 2 (coefficient 2)");
}

/// An optional part (épreuve facultative) counts only its points above 10,
/// and a missing one never makes anything pending: it counts as 0.
#[test]
fn an_optional_part_counts_its_points_above_ten_and_is_never_pending() {
    let text = r#"referential R "r" { lang fr }
scale note "Note sur 20" { range 0 .. 20 step 0.5 pass 10 }
defaults { criterion scale note }
block B "b" {
  competency C1 "c1"
  assessment E1 "Obligatoire" {
    covers C1
    part ecrit "Écrit" { coefficient 2 }
    validated when weighted average(parts) >= 10
  }
  assessment EF "Facultative" {
    covers C1
    part langue "Langue vivante" { optional }
  }
  validated when all competencies validated
}
certification validated when sum({E1/ecrit}) * 2 + max(0, sum({EF/langue}) - 10) >= 20
"#;
    let compiled = compile_str("x.acquis", text);
    assert!(
        !compiled.diagnostics.iter().any(|d| d.is_error()),
        "{:?}",
        compiled.diagnostics
    );
    let ir = compiled.ir.expect("an IR");
    assert!(ir.assessments[1].parts[0].optional);
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    g.set(&plan, "E1/ecrit", "9").expect("on the scale");
    // 9 × 2 = 18, and no optional mark: not validated, not pending.
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "certification"), Some(Outcome::Failed));
    assert_eq!(
        plan.reason("EF/langue", &g, &o),
        "facultative, non présentée, compte pour 0"
    );
    // 14 at the optional part brings its 4 points above 10: 18 + 4 ≥ 20.
    g.set(&plan, "EF/langue", "14").expect("on the scale");
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "certification"), Some(Outcome::Passed));
    // Below 10 it takes nothing away.
    g.set(&plan, "EF/langue", "3").expect("on the scale");
    g.set(&plan, "E1/ecrit", "10").expect("on the scale");
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "certification"), Some(Outcome::Passed));
    // With the compulsory mark missing, it is still pending.
    let mut g = Grades::new(&plan);
    g.set(&plan, "EF/langue", "20").expect("on the scale");
    let o = plan.evaluate(&g);
    assert_eq!(o.get(&plan, "certification"), Some(Outcome::Pending));
}
