//! Assessments that carry marks end to end (tests/fixtures/parts/): parts
//! graded as `E1/ecrit`, the épreuve decided on their weighted average,
//! competencies without criteria decided by it, a block that requires it.

use crate::common::acquis;

const REFERENTIAL: &str = "tests/fixtures/parts/referential.acquis";
const GRADES: &str = "tests/fixtures/parts/grades.csv";

#[test]
fn a_referential_decided_by_its_epreuves_checks_clean_and_its_examples_hold() {
    let run = acquis(&["check", "--deny-warnings", REFERENTIAL]);
    run.assert_code(0);
    let run = acquis(&["test", REFERENTIAL]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("3 exemples, 13 attendus : 13 vérifiés, 0 en échec"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_epreuve_is_a_column_and_a_missing_part_is_pending_only_while_it_matters() {
    let run = acquis(&["eval", REFERENTIAL, "--grades", GRADES, "--format", "csv"]);
    run.assert_code(0);
    // ana: (8 × 2 + 14) / 3 = 10. bob: 2 on the written part fails E1
    // whatever the oral. cyd: 8 and no oral yet, so E1 is pending.
    assert_eq!(
        run.stdout,
        "candidate,certification,U1,U2,C1,C2,C3,E1\n\
         ana,validated,validated,validated,validated,validated,validated,validated\n\
         bob,not_validated,not_validated,not_validated,not_validated,not_validated,validated,not_validated\n\
         cyd,pending,pending,pending,pending,pending,validated,pending\n"
    );
}

#[test]
fn explain_shows_one_decision_per_epreuve_and_a_compensated_part_as_a_mark() {
    let run = acquis(&[
        "explain",
        REFERENTIAL,
        "--grades",
        GRADES,
        "--candidate",
        "ana",
        "--full",
    ]);
    run.assert_code(0);
    insta::assert_snapshot!(run.stdout);
    let run = acquis(&["eval", REFERENTIAL, "--grades", GRADES, "--format", "json"]);
    run.assert_code(0);
    let ana: serde_json::Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        ana["outcomes"]["E1/ecrit"]["reason"],
        "noté 8 (coefficient 2), compensé dans l'épreuve E1"
    );
    assert_eq!(ana["outcomes"]["E1"]["outcome"], "validated");
}

const COMPENSATION: &str = "tests/fixtures/parts/compensation.acquis";

/// A certification that compensates across units and requires a
/// certification-level épreuve: `check --deny-warnings` is clean (no A0503
/// on the units it does not read as outcomes), the épreuve outside the
/// blocks is a column and a decision of its own, and gets no credential.
#[test]
fn compensation_across_units_and_a_certification_level_epreuve() {
    let run = acquis(&["check", "--deny-warnings", COMPENSATION]);
    run.assert_code(0);
    let run = acquis(&["test", COMPENSATION]);
    run.assert_code(0);
    let grades = "tests/fixtures/parts/compensation.csv";
    let run = acquis(&["eval", COMPENSATION, "--grades", grades, "--format", "csv"]);
    run.assert_code(0);
    // ana: (6 × 3 + 14 × 4) / 7 ≈ 10.57 and EF 9 ≥ 8. bob: (18 + 44) / 7
    // ≈ 8.86. cyd: 12 everywhere, but no final interview yet.
    assert_eq!(
        run.stdout,
        "candidate,certification,U1,U2,C1,C2,E1,E2,EF\n\
         ana,validated,not_validated,validated,not_validated,validated,not_validated,validated,validated\n\
         bob,not_validated,not_validated,validated,not_validated,validated,not_validated,validated,validated\n\
         cyd,pending,validated,validated,validated,validated,validated,validated,pending\n"
    );
    let run = acquis(&[
        "explain",
        COMPENSATION,
        "--grades",
        grades,
        "--candidate",
        "ana",
        "--full",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout.ends_with(
            "  Épreuve EF « Entretien final » : validée\n    parce que moyenne pondérée 9,00 ≥ 8 : vérifié\n    \
             Partie EF/entretien « Entretien avec le jury » : noté 9, compensé dans l'épreuve EF\n"
        ),
        "{}",
        run.stdout
    );
    let dir = crate::common::TempDir::new("parts-ob3");
    let out = dir.join("ob3");
    let run = acquis(&[
        "eval",
        COMPENSATION,
        "--grades",
        grades,
        "--format",
        "ob3",
        "-o",
        out.to_str().unwrap(),
    ]);
    run.assert_code(0);
    let mut files: Vec<String> = std::fs::read_dir(out.join("ana"))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["U2.json", "certification.json"]);
}

/// `acquis doc` prints the règlement d'examen as official texts do: one row
/// per part, with its unit, coefficient, form, duration, and examiners
/// (a column only when a part names them, as here).
#[test]
fn doc_prints_the_reglement_d_examen() {
    let dir = crate::common::TempDir::new("parts-doc");
    let out = dir.join("doc.md");
    let run = acquis(&["doc", COMPENSATION, "-o", out.to_str().unwrap()]);
    run.assert_code(0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(
            "## Règlement d'examen\n\n\
             | Épreuve | Unité | Partie | Coefficient | Forme | Durée | Examinateurs |\n\
             | --- | --- | --- | --- | --- | --- | --- |\n\
             | E1 — Culture générale et expression | U1 | Écrit | 3 | ponctuelle écrite | 4 h |  |\n\
             | E2 — Projet | U2 | Soutenance | 4 | ponctuelle orale | 40 min | un enseignant et un professionnel |\n\
             | EF — Entretien final | certification | Entretien avec le jury | 1 | oral | 20 min |  |\n"
        ),
        "{text}"
    );
}

/// The règlement of the BTS Systèmes numériques (examples/bts-sn), as its
/// annexe II c gives it: E62 in two parts of coefficient 3 (the revues de
/// projet and the oral), the examiners of E61 and E62, and the épreuve
/// facultative without a coefficient (its points above 10 count).
#[test]
fn doc_prints_the_bts_sn_reglement_with_its_parts_and_its_optional_unit() {
    reglement_has_rows(
        "examples/bts-sn/bts-sn.acquis",
        &[
        "| U6.2 — Sous-épreuve E62 - Projet technique | certification | Revues de projet (moyenne des trois revues) | 3 | moyenne des notes des trois revues de projet |  |  |\n",
        "| U6.2 — Sous-épreuve E62 - Projet technique | certification | Épreuve orale | 3 | orale | 1 h | le jury |\n",
        "| EF1 — Épreuve facultative - Langue vivante II | certification | Langue vivante II (facultative) |  | orale, précédée de 30 minutes de préparation | 20 min |  |\n",
        ],
    );
}

/// The DEES of 2007: written and oral parts with their coefficients, who
/// organises each épreuve and who marks it, and the validation by the
/// placement sites, on levels, without a coefficient (the text gives it
/// none: it is validated, not averaged).
#[test]
fn doc_prints_the_dees_2007_reglement() {
    reglement_has_rows(
        "examples/dees-2007/dees-2007.acquis",
        &[
        "| EDC4A — Épreuve écrite sur les dynamiques institutionnelles | DC4 | Étude d'une situation relative aux politiques sociales et aux cadres juridiques et institutionnels | 2 | écrite, en centre d'examen, organisée par le recteur | 4 h | 1 correcteur |\n",
        "| EDC2B — Épreuve\u{202f}: présentation et soutenance d'un mémoire | DC2 | Soutenance orale du mémoire | 1 | orale, en centre d'examen, organisée par le recteur | 30 min | 2 interrogateurs |\n",
        "| EDC3B — Épreuve\u{202f}: validation par le site de stage d'écrits professionnels | DC3 | Écrits professionnels validés par les sites de stage (3 au minimum) |  | validation réalisée en cours de formation par les sites de stage |  | référent professionnel et responsable hiérarchique |\n",
        ],
    );
}

/// `acquis doc FILE --format md` has each of `rows` in its règlement table.
fn reglement_has_rows(file: &str, rows: &[&str]) {
    let run = acquis(&["doc", file, "--format", "md"]);
    run.assert_code(0);
    for row in rows {
        assert!(run.stdout.contains(row), "{row}\n{}", run.stdout);
    }
}
