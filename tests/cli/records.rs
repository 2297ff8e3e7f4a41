//! Candidate records end to end, on the schemes encoded from their
//! official texts (examples/bts-sio, examples/bts-sn, examples/dees,
//! examples/dees-2007, examples/titre-pro):
//! each checks clean, formats to itself and holds its examples; `eval`
//! with `--history` and `--session` shows every outcome's source in each
//! format, and one session's JSON results are the next session's history.

use crate::common::{acquis, TempDir};

const BTS: &str = "examples/bts-sio/bts-sio.acquis";
const BTS_SN: &str = "examples/bts-sn/bts-sn.acquis";
const DEES: &str = "examples/dees/dees.acquis";
const DEES_2007: &str = "examples/dees-2007/dees-2007.acquis";
const TP: &str = "examples/titre-pro/developpeur-logiciel.acquis";

#[test]
fn the_schemes_check_clean_format_and_hold_their_examples() {
    for (file, expectations) in [
        (BTS, 20),
        (BTS_SN, 25),
        (DEES, 11),
        (DEES_2007, 25),
        (TP, 8),
    ] {
        acquis(&["check", "--deny-warnings", file]).assert_code(0);
        acquis(&["fmt", "--check", file]).assert_code(0);
        let run = acquis(&["test", file]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(&format!(
                "{expectations} attendus : {expectations} vérifiés, 0 en échec"
            )),
            "{}",
            run.describe()
        );
    }
}

/// The cell of `column` on candidate `id`'s row of CSV results.
fn cell<'a>(csv: &'a str, id: &str, column: &str) -> &'a str {
    let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let c = header.iter().position(|h| *h == column).unwrap();
    rows.find(|r| r[0] == id).unwrap()[c]
}

fn eval(file: &str, grades: &str, history: &str, format: &str) -> crate::common::Run {
    acquis(&[
        "eval",
        file,
        "--grades",
        grades,
        "--history",
        history,
        "--session",
        "2026-06",
        "--format",
        format,
    ])
}

#[test]
fn bts_kept_marks_and_dispensation() {
    let grades = "examples/bts-sio/candidats-2026.csv";
    let history = "examples/bts-sio/historique.csv";
    let table = eval(BTS, grades, history, "table");
    table.assert_code(0);
    // The kept 8 and the expired 15 are warnings, with file, line, column.
    assert!(
        table.stderr.contains("examples/bts-sio/historique.csv:3:3: warning: the mark 8 of `U4/note` (2024-06) does not meet the condition to be kept"),
        "{}",
        table.describe()
    );
    assert!(
        table.stderr.contains("historique.csv:4:3: warning: the result of `U4/note` obtained in 2020-06 expired in 2025-06"),
        "{}",
        table.describe()
    );
    insta::assert_snapshot!("records_bts_table", table.stdout);
    let json = eval(BTS, grades, history, "json");
    insta::assert_snapshot!("records_bts_json", json.stdout);
}

#[test]
fn dees_equivalences() {
    let run = eval(
        DEES,
        "examples/dees/candidats.csv",
        "examples/dees/historique.jsonl",
        "csv",
    );
    run.assert_code(0);
    insta::assert_snapshot!("records_dees_csv", run.stdout);
}

#[test]
fn titre_professionnel_capitalised_and_decided_by_the_jury() {
    let grades = "examples/titre-pro/candidats-2026-06.csv";
    let history = "examples/titre-pro/historique.csv";
    let table = eval(TP, grades, history, "table");
    table.assert_code(0);
    insta::assert_snapshot!("records_tp_table", table.stdout);
    let explain = acquis(&[
        "explain",
        TP,
        "--grades",
        grades,
        "--history",
        history,
        "--session",
        "2026-06",
        "--candidate",
        "DL-01",
    ]);
    explain.assert_code(0);
    insta::assert_snapshot!("records_tp_explain", explain.stdout);
    // DL-04 has no grades this session: evaluated from the history alone.
    assert!(table.stdout.contains("DL-04"), "{}", table.describe());
}

#[test]
fn one_sessions_results_are_the_next_sessions_history() {
    let dir = TempDir::new("records-next-session");
    let june = dir.0.join("session-2026-06.jsonl");
    let run = acquis(&[
        "eval",
        BTS,
        "--grades",
        "examples/bts-sio/candidats-2026.csv",
        "--history",
        "examples/bts-sio/historique.csv",
        "--session",
        "2026-06",
        "--format",
        "json",
        "-o",
        june.to_str().unwrap(),
    ]);
    run.assert_code(0);
    // The results are history lines (docs/history.schema.json).
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/history.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for line in std::fs::read_to_string(&june).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{line}: {errors:#?}");
    }
    // In 2027, SIO-005 sits U6 again with 12: its 2026 marks ≥ 10 are kept.
    let grades = dir.0.join("2027.csv");
    std::fs::write(&grades, "candidate,criterion,grade\nSIO-005,U6/note,12\n").unwrap();
    let next = acquis(&[
        "eval",
        BTS,
        "--grades",
        grades.to_str().unwrap(),
        "--history",
        june.to_str().unwrap(),
        "--session",
        "2027-06",
        "--format",
        "json",
    ]);
    next.assert_code(0);
    let line = next
        .stdout
        .lines()
        .find(|l| l.contains("\"SIO-005\""))
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    // Kept: U1 to U4 and U7 (10 each, 2026); not kept: U5's 9. With U6 at
    // 12, (2×10 + 2×10 + 3×10 + 3×10 + 4×U5 + 4×12 + 4×10) / 22 ≥ 10 needs
    // U5 ≥ 8: pending until U5 is sat again.
    assert_eq!(v["certification"], "pending", "{line}");
    assert_eq!(
        v["outcomes"]["U2/note"]["source"]["session"], "2026-06",
        "{line}"
    );
    assert_eq!(
        v["outcomes"]["U2/note"]["source"]["expires"], "2031-06",
        "{line}"
    );
    assert!(v["outcomes"]["U5/note"].get("source").is_none(), "{line}");
    assert_eq!(v["outcomes"]["U5/note"]["outcome"], "pending", "{line}");
    // Every candidate of the June history is in the output (none lost).
    for id in [
        "SIO-001", "SIO-002", "SIO-003", "SIO-004", "SIO-005", "SIO-006", "SIO-007", "SIO-008",
        "SIO-009",
    ] {
        assert!(
            next.stdout.contains(&format!("\"{id}\"")),
            "{id}: {}",
            next.describe()
        );
    }
}

/// A history that cannot be read stops the run with one clear error; bad
/// JSON lines are reported at their line, the other candidates evaluated.
#[test]
fn bad_history_files() {
    let dir = TempDir::new("bad-history");
    let grades = "examples/bts-sio/candidats-2026.csv";
    for (path, says) in [
        (dir.0.join("missing.csv"), "cannot read"),
        (dir.0.clone(), "not a regular file"),
    ] {
        let run = eval(BTS, grades, path.to_str().unwrap(), "table");
        run.assert_code(1);
        assert!(run.stderr.contains(says), "{}", run.describe());
    }
    let lines = dir.0.join("h.jsonl");
    std::fs::write(
        &lines,
        "{\"candidate\": \"SIO-002\", \"results\": [{\"entity\": \"U4/note\", \"mark\": \"14\", \"session\": \"2024-06\"}]}\n\
         not json\n\
         {\"results\": []}\n",
    )
    .unwrap();
    let run = eval(BTS, grades, lines.to_str().unwrap(), "table");
    run.assert_code(1);
    assert!(run.stderr.contains("h.jsonl:2:"), "{}", run.describe());
    assert!(
        run.stderr
            .contains("h.jsonl:3: error: a history line needs `\"candidate\"`"),
        "{}",
        run.describe()
    );
    // SIO-002's kept 14 is still used.
    assert!(
        run.stdout.contains("SIO-002          validée"),
        "{}",
        run.describe()
    );
}

/// The BTS Systèmes numériques' candidates of 2026 with their history:
/// compensation across units (E62 not delivered, the diploma is), a
/// missing oral that can still change E62 (pending) or can no longer
/// change the diploma (validated), the optional unit's points above 10, a
/// mark of 14 kept from 2024 and a mark of 8 not kept.
#[test]
fn bts_sn_candidates_are_decided_as_its_reglement_says() {
    let run = eval(
        BTS_SN,
        "examples/bts-sn/candidats-2026.csv",
        "examples/bts-sn/historique.csv",
        "csv",
    );
    run.assert_code(0);
    let outcome = |id: &str| {
        (
            cell(&run.stdout, id, "certification"),
            cell(&run.stdout, id, "U6.2"),
        )
    };
    assert_eq!(outcome("SN-001"), ("validated", "validated"));
    assert_eq!(outcome("SN-002"), ("not_validated", "validated"));
    assert_eq!(outcome("SN-003"), ("validated", "not_validated"));
    assert_eq!(outcome("SN-004"), ("pending", "pending"));
    assert_eq!(outcome("SN-005"), ("validated", "validated"));
    assert_eq!(outcome("SN-006"), ("not_validated", "validated"));
    assert_eq!(outcome("SN-007").0, "validated");
    assert_eq!(outcome("SN-008").0, "pending");
    assert_eq!(outcome("SN-009"), ("validated", "pending"));
    assert!(
        run.stderr
            .contains("the mark 8 of `U4/note` (2024-06) does not meet the condition to be kept"),
        "{}",
        run.describe()
    );
}

/// The DEES of 2007 (examples/dees-2007): each domain on the weighted
/// average of its épreuves' written and oral parts (DC4's written paper
/// counting double), DC3's two parts each to be validated (no
/// compensation), a missing oral pending only while it can change DC2,
/// and DC3 and DC4 validated by the dispensation of annexe IV.
#[test]
fn dees_2007_domains_are_decided_on_their_epreuves() {
    let run = eval(
        DEES_2007,
        "examples/dees-2007/candidats.csv",
        "examples/dees-2007/historique.jsonl",
        "csv",
    );
    run.assert_code(0);
    let at = |id: &str, column: &str| cell(&run.stdout, id, column);
    let domains = |id: &str| ["certification", "DC1", "DC2", "DC3", "DC4"].map(|c| at(id, c));
    let v = "validated";
    let n = "not_validated";
    let p = "pending";
    assert_eq!(domains("ES07-01"), [v, v, v, v, v]);
    assert_eq!(domains("ES07-02"), [n, v, v, v, n]);
    assert_eq!(domains("ES07-03"), [n, v, v, n, v]);
    assert_eq!(at("ES07-03", "EDC3A"), v);
    assert_eq!(domains("ES07-04"), [p, p, p, p, p]);
    assert_eq!(domains("ES07-05"), [v, v, v, v, v]);
    assert_eq!(at("ES07-05", "DC3_source"), "equivalence");
    assert_eq!(domains("ES07-06"), [p, v, p, v, v]);
}

/// A stray `"` in a history CSV (`"Sophie` in an `author` cell) opens a
/// quoted text that swallows the rows after it: they are read back as
/// rows, each named in an error, so every candidate keeps its facts (the
/// outcomes are the clean file's) and the run does not pass for clean.
#[test]
fn a_stray_quote_in_a_history_loses_no_fact() {
    let dir = TempDir::new("stray-history");
    let grades = "examples/bts-sio/candidats-2026.csv";
    let clean = "examples/bts-sio/historique.csv";
    let text = std::fs::read_to_string(clean).unwrap();
    let stray = dir.0.join("historique.csv");
    std::fs::write(
        &stray,
        text.replacen(
            "SIO-002,result,U4/note,14,2024-06,,",
            "SIO-002,result,U4/note,14,2024-06,\"Sophie,",
            1,
        ),
    )
    .unwrap();
    let expected = eval(BTS, grades, clean, "csv");
    expected.assert_code(0);
    let run = eval(BTS, grades, stray.to_str().unwrap(), "csv");
    run.assert_code(1);
    assert_eq!(run.stdout, expected.stdout, "{}", run.describe());
    let rows = text.lines().count() - 2;
    assert!(
        run.stderr.contains(&format!(
            "historique.csv:2:6: error: a `\"` in field 6 opens a quoted text that runs to line {} and holds {rows} rows",
            2 + rows
        )),
        "{}",
        run.describe()
    );
    for line in 3..=2 + rows {
        assert!(
            run.stderr.contains(&format!("historique.csv:{line}: error: this row was inside the quoted text opened at line 2")),
            "{line}: {}",
            run.describe()
        );
    }
}
