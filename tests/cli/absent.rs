//! Absent candidates end to end: `ABS` in every grade format, on a
//! referential whose scale and assessment say what absence counts as
//! (tests/fixtures/absent/), and where nothing says it.

use crate::common::{acquis, TempDir};

const REFERENTIAL: &str = "tests/fixtures/absent/referential.acquis";

fn grades(name: &str) -> String {
    format!("tests/fixtures/absent/{name}")
}

#[test]
fn abs_reads_the_same_in_long_csv_wide_csv_and_json_lines() {
    let expected = "candidate,certification,B1,B2,C1,C2,C3\n\
                    ALICE,validated,validated,validated,validated,validated,validated\n\
                    BRUNO,not_validated,not_validated,pending,not_validated,not_validated,pending\n\
                    CHLOE,pending,pending,pending,pending,pending,pending\n";
    for file in ["grades-long.csv", "grades-wide.csv", "grades.jsonl"] {
        let run = acquis(&[
            "eval",
            REFERENTIAL,
            "--grades",
            &grades(file),
            "--format",
            "csv",
        ]);
        run.assert_code(0);
        // ALICE is absent in C1/CE1, which counts as 0: her other mark, 20,
        // brings the average to exactly 10. BRUNO's absence at the
        // practical assessment counts as not acquired: C2 fails at once,
        // while C3, merely not graded, stays pending.
        assert_eq!(run.stdout, expected, "{file}");
        assert!(
            run.stderr
                .contains("3 candidats : 1 validé, 1 non validé, 1 en attente, 0 en erreur"),
            "{file}: {}",
            run.stderr
        );
    }
}

#[test]
fn explain_says_absent_and_what_it_counts_as_in_french() {
    let run = acquis(&[
        "explain",
        REFERENTIAL,
        "--grades",
        &grades("grades-long.csv"),
        "--candidate",
        "BRUNO",
        "--full",
    ]);
    run.assert_code(0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_results_and_html_pages_say_absent() {
    let run = acquis(&[
        "eval",
        REFERENTIAL,
        "--grades",
        &grades("grades.jsonl"),
        "--format",
        "json",
    ]);
    run.assert_code(0);
    let alice: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(alice["outcomes"]["C1/CE1"]["outcome"], "not_acquired");
    assert_eq!(
        alice["outcomes"]["C1/CE1"]["reason"],
        "absent, compte pour 0, sous le seuil 10"
    );
    assert_eq!(
        alice["outcomes"]["C1"]["reason"],
        "moyenne 10,00 ≥ 10 : vérifié ; C1/CE1 absent, compte pour 0"
    );

    let dir = TempDir::new("absent-pages");
    let out = dir.join("pages");
    let run = acquis(&[
        "eval",
        REFERENTIAL,
        "--grades",
        &grades("grades-wide.csv"),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    run.assert_code(0);
    let bruno = std::fs::read_to_string(out.join("candidates/BRUNO.html")).unwrap();
    assert!(bruno.contains("absent, compte comme non acquis"), "{bruno}");
    assert!(bruno.contains("absent, compte pour 0"), "{bruno}");
    // A missing grade is still "not graded yet".
    assert!(bruno.contains("pas encore noté"), "{bruno}");
}

#[test]
fn abs_where_the_referential_says_nothing_of_absence_is_an_error() {
    let file = grades("grades-no-rule.csv");
    let run = acquis(&["eval", REFERENTIAL, "--grades", &file]);
    run.assert_code(1);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        format!(
            "{file}:2:3: error: grade of `C3/CE1`: `ABS` means absent, but the referential does \
             not say what absence counts as for this criterion: add `absent counts as not \
             acquired` (or `absent counts as <grade>`) to assessment `E3` or `defaults` \
             (candidate `DAVID`)"
        )
    );
    assert!(
        run.stdout.contains("DAVID            erreur"),
        "{}",
        run.stdout
    );
    // The narrated form has the code and the help.
    let run = acquis(&[
        "eval",
        REFERENTIAL,
        "--grades",
        &file,
        "--diagnostics",
        "narrated",
    ]);
    assert!(run.stderr.starts_with("Error A0712: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("Help: say in the referential"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_examples_grade_abs_and_the_formatter_keeps_absence_rules() {
    let run = acquis(&["test", REFERENTIAL]);
    run.assert_code(0);
    assert!(
        run.all()
            .contains("2 exemples, 6 attendus : 6 vérifiés, 0 en échec"),
        "{}",
        run.all()
    );
    let run = acquis(&["fmt", "--check", REFERENTIAL]);
    run.assert_code(0);
    // One line per member, spaces normalised, `not acquired` kept.
    let dir = TempDir::new("absent-fmt");
    let messy = dir.join("messy.acquis");
    std::fs::write(
        &messy,
        "scale s { range 0 .. 20 pass 10   absent   counts as\t0 }\n\
         defaults { absent counts as   not   acquired }\n",
    )
    .unwrap();
    let run = acquis(&["fmt", messy.to_str().unwrap()]);
    run.assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "scale s {\n  range 0 .. 20\n  pass 10\n  absent counts as 0\n}\n\
         defaults {\n  absent counts as not acquired\n}\n"
    );
}

#[test]
fn the_referential_document_states_what_absence_counts_as() {
    let run = acquis(&["doc", REFERENTIAL, "--format", "md"]);
    run.assert_code(0);
    // French typography: narrow no-break spaces before `;` and `:`.
    let text = run.stdout.replace(['\u{202f}', '\u{a0}'], " ");
    // The scale's rule in the table of scales, an assessment's on each
    // criterion it applies to; E3's criteria have none.
    assert!(
        text.contains(
            "| note (Note sur 20) | 0 à 20 (pas de 0,5) | 10 ; absence : compte pour 0 |"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "**CE1** Mise en place (absence : non acquis)<br>**CE2** Cuisson (absence : non acquis)"
        ),
        "{text}"
    );
    assert_eq!(text.matches("absence").count(), 3, "{text}");
}
