//! Candidate records: earlier results, equivalences, dispensations and
//! jury decisions, read from history files and evaluated with the grades.
//! Properties: a fact changes only what it concerns, an expired fact is no
//! fact, and a record-less evaluation is the evaluation without history.

use std::collections::BTreeSet;
use std::io::Write as _;

use acquis_compiler::compile_str;
use acquis_diagnostics::Code;
use acquis_eval::history::History;
use acquis_eval::record::{Fact, FactKind, Variants};
use acquis_eval::{Grades, Plan};
use acquis_ir::{Ir, Session};
use proptest::prelude::*;

const SOURCE: &str = r#"
referential R "Référentiel à dossiers" { lang fr }
scale note "Note sur 20" { range 0 .. 20 step 1 pass 10 }
defaults { criterion scale note }
block B1 "Bloc 1" {
  assessment U1 "Unité 1" { part note "Note" { coefficient 2 } }
  assessment U2 "Unité 2" { part note "Note" { coefficient 3 } }
  validated when weighted average({U1/note, U2/note}) >= 10
}
block B2 "Bloc 2" {
  assessment U3 "Unité 3" {
    part ecrit "Écrit"
    part oral "Oral"
    validated when average(parts) >= 10
  }
  validated when U3 validated
}
block B3 "Bloc 3" {
  assessment U4 "Unité 4" { part note "Note" }
  validated when U4/note >= 10
}
certification validated when all blocks validated
keep U1/note, U2/note, U3/ecrit, U3/oral, U4/note for 5 years when mark >= 10
keep blocks for 3 years
equivalence EQ "Diplôme voisin" { registered "RNCP0000" grants B2 }
dispensation D "Titulaire d'un diplôme de niveau 5" { dispenses U1 effect excluded }
jury may decide B3, certification
"#;

fn ir() -> Ir {
    let compiled = compile_str("r.acquis", SOURCE);
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    compiled.ir.expect("an IR")
}

const CRITERIA: [&str; 5] = ["U1/note", "U2/note", "U3/ecrit", "U3/oral", "U4/note"];

fn fact(kind: FactKind, entity: &str, value: &str, date: &str) -> Fact {
    Fact {
        kind,
        entity: entity.into(),
        value: value.into(),
        date: date.into(),
        author: "Jury".into(),
        justification: "Dossier".into(),
        line: 1,
        column: None,
        file: None,
        implied: false,
    }
}

/// Every fact the properties draw from, with the ids it sets.
fn pool() -> Vec<(Fact, Vec<&'static str>)> {
    vec![
        (
            fact(FactKind::Result, "U1/note", "14", "2024-06"),
            vec!["U1/note"],
        ),
        (
            fact(FactKind::Result, "U3/oral", "12", "2025-06"),
            vec!["U3/oral"],
        ),
        (
            fact(FactKind::Result, "B3", "validated", "2025-06"),
            vec!["B3"],
        ),
        (fact(FactKind::Holds, "EQ", "", ""), vec!["B2"]),
        (
            fact(FactKind::Dispensed, "D", "", ""),
            vec!["U1/note", "B1"],
        ),
        (
            fact(FactKind::Decision, "B3", "not_validated", "2026-07-01"),
            vec!["B3"],
        ),
        (
            fact(
                FactKind::Decision,
                "certification",
                "validated",
                "2026-07-01",
            ),
            vec!["certification"],
        ),
    ]
}

/// Everything whose rule reads one of `ids`, transitively, and `ids`.
fn concerned(ir: &Ir, ids: &[&str]) -> BTreeSet<String> {
    let rules: Vec<(&str, Vec<&str>)> = ir.rules().map(|(id, r)| (id, r.members())).collect();
    let mut out: BTreeSet<String> = ids.iter().map(|s| s.to_string()).collect();
    loop {
        let before = out.len();
        for (id, read) in &rules {
            if read.iter().any(|r| out.contains(*r)) {
                out.insert(id.to_string());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

fn session() -> Session {
    Session::parse("2026-06").unwrap()
}

/// Every outcome of a candidate with these facts, by id.
fn outcomes(ir: &Ir, grades: &[Option<u8>], facts: &[Fact]) -> Vec<(String, String)> {
    let plan = Plan::new(ir);
    let mut g = Grades::new(&plan);
    for (id, grade) in CRITERIA.iter().zip(grades) {
        if let Some(v) = grade {
            g.set(&plan, id, &v.to_string()).unwrap();
        }
    }
    let (record, problems) = plan.resolve_record("C", facts, Some(session()));
    assert!(
        problems
            .iter()
            .all(|p| p.code.severity() != acquis_diagnostics::Severity::Error),
        "{problems:?}"
    );
    let exclusions = record.exclusions(ir);
    let variants = Variants::new(ir, [&exclusions]);
    let plans = variants.plans();
    let chosen = plans
        .iter()
        .find(|(k, _)| *k == exclusions)
        .map_or(&plan, |(_, p)| p);
    let (_, out) = plan.evaluate_record(chosen, &g, &record);
    plan.ids()
        .iter()
        .map(|id| {
            let o = out.get(&plan, id).unwrap();
            (id.to_string(), o.word(plan.is_criterion(id)).to_string())
        })
        .collect()
}

fn grades() -> impl Strategy<Value = Vec<Option<u8>>> {
    proptest::collection::vec(proptest::option::of(0u8..=20), CRITERIA.len())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Adding a fact never changes an outcome the fact does not concern.
    #[test]
    fn a_fact_changes_only_what_it_concerns(
        g in grades(),
        base in proptest::collection::vec(any::<bool>(), 7),
        added in 0usize..7,
    ) {
        let ir = ir();
        let pool = pool();
        let facts: Vec<Fact> = pool.iter().zip(&base).enumerate()
            .filter(|(i, (_, on))| **on && *i != added)
            .map(|(_, ((f, _), _))| f.clone())
            .collect();
        let (extra, sets) = &pool[added];
        let mut more = facts.clone();
        more.push(extra.clone());
        let without = outcomes(&ir, &g, &facts);
        let with = outcomes(&ir, &g, &more);
        let concerned = concerned(&ir, sets);
        for ((id, a), (_, b)) in without.iter().zip(&with) {
            if !concerned.contains(id) {
                prop_assert_eq!(a, b, "{} changed by {:?}", id, extra);
            }
        }
    }

    /// An expired fact, or a mark that fails its condition, is no fact.
    #[test]
    fn an_expired_fact_is_no_fact(g in grades(), which in 0usize..5, mark in 0u8..=20) {
        let ir = ir();
        let id = CRITERIA[which];
        let expired = fact(FactKind::Result, id, &mark.to_string(), "2019-06");
        prop_assert_eq!(outcomes(&ir, &g, &[expired]), outcomes(&ir, &g, &[]));
        if mark < 10 {
            let refused = fact(FactKind::Result, id, &mark.to_string(), "2025-06");
            prop_assert_eq!(outcomes(&ir, &g, &[refused]), outcomes(&ir, &g, &[]));
        }
        let old_block = fact(FactKind::Result, "B3", "validated", "2022-06");
        prop_assert_eq!(outcomes(&ir, &g, &[old_block]), outcomes(&ir, &g, &[]));
    }

    /// With no fact, the evaluation with a record is the evaluation
    /// without history: outcomes and reasons.
    #[test]
    fn no_history_is_the_plain_evaluation(g in grades()) {
        let ir = ir();
        let plan = Plan::new(&ir);
        let mut grades = Grades::new(&plan);
        for (id, grade) in CRITERIA.iter().zip(&g) {
            if let Some(v) = grade {
                grades.set(&plan, id, &v.to_string()).unwrap();
            }
        }
        let plain = plan.evaluate(&grades);
        let (record, _) = plan.resolve_record("C", &[], Some(session()));
        let (merged, with) = plan.evaluate_record(&plan, &grades, &record);
        for id in plan.ids() {
            prop_assert_eq!(plain.get(&plan, id), with.get(&plan, id));
            prop_assert_eq!(plan.reason(id, &grades, &plain), plan.reason(id, &merged, &with));
        }
    }
}

#[test]
fn a_kept_mark_fills_a_missing_grade_and_says_its_session() {
    let ir = ir();
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    g.set(&plan, "U2/note", "9").unwrap();
    let facts = [fact(FactKind::Result, "U1/note", "14", "2024-06")];
    let (record, problems) = plan.resolve_record("C", &facts, Some(session()));
    assert!(problems.is_empty());
    let (_, out) = plan.evaluate_record(&plan, &g, &record);
    // (2 × 14 + 3 × 9) / 5 = 11.
    assert_eq!(out.get(&plan, "B1"), Some(acquis_eval::Outcome::Passed));
    let reason = plan.reason("U1/note", &g, &out);
    assert!(
        reason.contains("note conservée de la session 2024-06"),
        "{reason}"
    );
    assert!(reason.contains("2029-06"), "{reason}");
}

#[test]
fn a_jury_decision_shows_what_the_rules_gave() {
    let ir = ir();
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    g.set(&plan, "U4/note", "15").unwrap();
    let facts = [fact(
        FactKind::Decision,
        "B3",
        "not_validated",
        "2026-07-01",
    )];
    let (record, _) = plan.resolve_record("C", &facts, Some(session()));
    let (merged, out) = plan.evaluate_record(&plan, &g, &record);
    assert_eq!(out.get(&plan, "B3"), Some(acquis_eval::Outcome::Failed));
    let reason = plan.reason("B3", &merged, &out);
    assert!(
        reason.contains("décision du jury (Jury, 2026-07-01) : Dossier"),
        "{reason}"
    );
    assert!(
        reason.contains("les règles seules donnaient : validé"),
        "{reason}"
    );
}

fn history_problems(name: &str, text: &str, session: Option<&str>) -> Vec<(Code, usize, String)> {
    let ir = ir();
    let plan = Plan::new(&ir);
    let dir = std::env::temp_dir().join(format!("acquis-records-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let mut history = History::new(session.map(|s| Session::parse(s).unwrap()));
    history.read(&path).unwrap();
    let mut out: Vec<(Code, usize, String)> = history
        .problems
        .iter()
        .map(|p| (p.code, p.line, p.message.english()))
        .collect();
    for (candidate, facts) in history.rest() {
        let (_, problems) = plan.resolve_record(&candidate, &facts, history.session);
        out.extend(
            problems
                .into_iter()
                .map(|p| (p.code, p.line, p.message.english())),
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    out
}

#[test]
fn every_record_problem_has_its_code_and_line() {
    let csv = "candidate,kind,entity,value,date,author,justification\n\
               A,result,U9/note,12,2024-06,,\n\
               A,result,U1/note,12,juin 2024,,\n\
               A,result,U1/note,12,2026-06,,\n\
               A,decision,B3,validated,2026-07-01,,\n\
               A,decision,certification,validated,2026-07-01,X,ok\n\
               A,decision,certification,not_validated,2026-07-02,Y,non\n\
               A,result,U1/note,8,2024-06,,\n\
               A,result,U1/note,15,2019-06,,\n\
               A,holds,EQX,,,,\n\
               B,nonsense,U1/note,,,,\n";
    let got = history_problems("h.csv", csv, Some("2026-06"));
    let codes: Vec<(Code, usize)> = got.iter().map(|(c, l, _)| (*c, *l)).collect();
    assert_eq!(
        codes,
        vec![
            (Code::MalformedRow, 11),
            (Code::UnknownRecordEntry, 2),
            (Code::RecordBadDate, 3),
            (Code::FactNotAllowed, 4),
            (Code::FactNotAllowed, 5),
            (Code::ConflictingFacts, 7),
            (Code::FactNotUsable, 8),
            (Code::FactNotUsable, 9),
            (Code::UnknownRecordEntry, 10),
        ],
        "{got:#?}"
    );
    let no_session = history_problems(
        "h.jsonl",
        "{\"candidate\": \"A\", \"results\": [{\"entity\": \"U1/note\", \"mark\": \"12\", \"session\": \"2024-06\"}]}\n",
        None,
    );
    assert_eq!(
        no_session.first().map(|p| p.0),
        Some(Code::SessionNeeded),
        "{no_session:#?}"
    );
}
