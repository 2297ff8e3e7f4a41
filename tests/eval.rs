//! `acquis eval` and `acquis explain` end to end, on the seed's example
//! candidates and on small fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

mod common;
use common::{acquis, TempDir, CUISINE, SEED};

#[test]
fn table_of_the_seed_candidates() {
    let run = acquis(&["eval", SEED, "--grades", "examples/edl/candidates.csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("candidat "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("65 candidats : 26 validés, 20 non validés, 19 en attente, 0 en erreur"),
        "{}",
        run.stdout
    );
    // Counts per block, checked against an independent computation.
    for line in [
        "A1 : 49 validés (75\u{a0}%), 6 non validés, 10 en attente",
        "A4 : 39 validés (60\u{a0}%), 8 non validés, 18 en attente",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    // Metadata (assessor names, dates) is personal data: never shown by default.
    assert!(!run.stdout.contains("Élodie") && !run.stdout.contains("2026-"));
}

#[test]
fn json_lines_cover_every_entity_with_a_reason() {
    let run = acquis(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates.csv",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 65);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(
            line["candidate"],
            format!("CAND-{:03}", i + 1),
            "input order"
        );
        let outcomes = line["outcomes"].as_object().unwrap();
        assert_eq!(outcomes.len(), 4 + 31 + 115);
        for (id, o) in outcomes {
            let word = o["outcome"].as_str().unwrap();
            let allowed: &[&str] = if id.contains('/') {
                &["acquired", "not_acquired", "pending"]
            } else {
                &["validated", "not_validated", "pending"]
            };
            assert!(allowed.contains(&word), "{id}: {word}");
            assert!(
                !o["reason"].as_str().unwrap().is_empty(),
                "{id} has a reason"
            );
        }
        assert!(line.get("metadata").is_none());
    }
}

#[test]
fn the_three_input_formats_agree() {
    let csv = acquis(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates.csv",
        "--format",
        "csv",
    ]);
    let jsonl = acquis(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates.jsonl",
        "--format",
        "csv",
    ]);
    assert_eq!(csv.code, Some(0), "{}", csv.stderr);
    assert_eq!(csv.stdout, jsonl.stdout);
    assert_eq!(csv.stdout.lines().count(), 66);
    assert!(csv
        .stdout
        .starts_with("candidate,certification,A1,A2,A3,A4,C1.1,"));
}

#[test]
fn metadata_only_with_include_metadata() {
    let args = [
        "eval",
        CUISINE,
        "--grades",
        "tests/fixtures/cuisine-grades.jsonl",
        "--format",
        "json",
    ];
    let without = acquis(&args);
    assert!(
        !without.stdout.contains("tiers temps"),
        "{}",
        without.stdout
    );
    let mut with_flag = args.to_vec();
    with_flag.push("--include-metadata");
    let with = acquis(&with_flag);
    assert!(
        with.stdout
            .contains(r#""metadata":{"handicap":"tiers temps"}"#),
        "{}",
        with.stdout
    );
}

#[test]
fn bad_rows_are_reported_and_every_candidate_still_appears() {
    let run = acquis(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
    ]);
    assert_eq!(run.code, Some(1));
    for i in 101..=110 {
        assert!(
            run.stdout.contains(&format!("CAND-{i}")),
            "CAND-{i} in the output"
        );
    }
    insta::assert_snapshot!("bad_rows_messages", run.stderr);
}

#[test]
fn bad_files_get_a_clear_message() {
    let dir = TempDir::new("bad-files");
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.csv", b"", "empty"),
        ("noheader.csv", b"CAND-1,E1/CE1,acquis\n", "header"),
        (
            "latin1.csv",
            b"candidate,criterion,grade\nCAND-1,E1/CE1,acquis\xe9\n",
            "UTF-8",
        ),
        (
            "broken.jsonl",
            b"{\"candidate\": \"A\", \"grades\": {\"E1/CE1\": \"acquis\"}}\n{\"candidate\": \n",
            "broken.jsonl:2:",
        ),
    ];
    let mut messages = String::new();
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let run = acquis(&["eval", SEED, "--grades", path.to_str().unwrap()]);
        assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        let stderr = run.stderr.replace(dir.to_str().unwrap(), "[TEMP]");
        messages.push_str(&format!("----- {name}\n{stderr}"));
    }
    insta::assert_snapshot!("bad_files_messages", messages);
    let missing = acquis(&["eval", SEED, "--grades", "no/such/file.csv"]);
    assert_eq!(missing.code, Some(1));
    assert!(
        missing
            .stderr
            .starts_with("no/such/file.csv: error: cannot read the file: "),
        "{}",
        missing.stderr
    );
}

#[test]
fn explain_reads_like_a_jury_sheet() {
    let run = acquis(&[
        "explain",
        CUISINE,
        "--grades",
        "tests/fixtures/cuisine-grades.jsonl",
        "--candidate",
        "ALICE",
        "--full",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'));
    insta::assert_snapshot!("explain_alice", run.stdout);
    let unknown = acquis(&[
        "explain",
        CUISINE,
        "--grades",
        "tests/fixtures/cuisine-grades.jsonl",
        "--candidate",
        "ALICE2",
    ]);
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("did you mean `ALICE`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn json_output_snapshot() {
    let run = acquis(&[
        "eval",
        CUISINE,
        "--grades",
        "tests/fixtures/cuisine-grades.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let pretty: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    insta::assert_json_snapshot!("json_two_candidates", pretty);
}

#[test]
fn every_input_format_gives_the_same_results_in_every_output_format() {
    for format in ["table", "json", "csv"] {
        let outputs: Vec<String> = [
            "tests/fixtures/cuisine-grades.jsonl",
            "tests/fixtures/cuisine-grades-wide.csv",
            "tests/fixtures/cuisine-grades-long.csv",
        ]
        .iter()
        .map(|grades| {
            let run = acquis(&["eval", CUISINE, "--grades", grades, "--format", format]);
            assert_eq!(run.code, Some(0), "{grades} {format}: {}", run.stderr);
            run.stdout
        })
        .collect();
        assert_eq!(outputs[0], outputs[1], "{format}: JSON Lines and wide CSV");
        assert_eq!(outputs[0], outputs[2], "{format}: JSON Lines and long CSV");
        assert!(
            !outputs[0].contains("tiers temps"),
            "no personal data in {format}"
        );
    }
    // The format can be forced: the wide file read as long CSV lacks columns.
    let forced = acquis(&[
        "eval",
        CUISINE,
        "--grades",
        "tests/fixtures/cuisine-grades-wide.csv",
        "--input-format",
        "long-csv",
    ]);
    assert_eq!(forced.code, Some(1));
    assert!(forced.stderr.contains("header"), "{}", forced.stderr);
}

/// `--diagnostics narrated|json` applies to the problems of the grades file
/// (codes A07xx), not only to the referential's diagnostics; the terminal
/// form is unchanged (`bad_rows_messages`).
#[test]
fn diagnostics_format_applies_to_grade_problems() {
    let args = |format| {
        [
            "eval",
            SEED,
            "--grades",
            "examples/edl/candidates-with-errors.csv",
            "--diagnostics",
            format,
        ]
    };
    let narrated = acquis(&args("narrated"));
    assert_eq!(narrated.code, Some(1), "{}", narrated.stderr);
    assert!(narrated.stdout.contains("CAND-110"), "{}", narrated.stdout);
    insta::assert_snapshot!("bad_rows_narrated", narrated.stderr);

    let json = acquis(&args("json"));
    assert_eq!(json.code, Some(1), "{}", json.stderr);
    // JSON Lines only: the referential's diagnostics (none), then the
    // grade file's problems.
    let problems: Vec<serde_json::Value> = json
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let codes: Vec<&str> = problems
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["A0707", "A0707", "A0708", "A0708", "A0709", "A0705", "A0705", "A0705"]
    );
    for p in &problems {
        // The keys of an entry of the JSON document's `diagnostics`.
        let mut keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = vec![
            "code",
            "labels",
            "location",
            "message",
            "severity",
            "suggestions",
        ];
        if p.get("help").is_some() {
            expected.push("help");
        }
        expected.sort_unstable();
        assert_eq!(keys, expected, "{p}");
        assert_eq!(p["severity"], "error");
        assert_eq!(
            p["location"]["path"],
            "examples/edl/candidates-with-errors.csv"
        );
        assert!(p["location"]["start"].is_null() && p["location"]["end_line"].is_null());
    }
    assert_eq!(problems[0]["location"]["line"], 127);
    assert_eq!(problems[0]["location"]["column"], 3);
    assert_eq!(problems[0]["location"]["message"], "candidate `CAND-102`");
    // A row with the wrong number of fields has no column; a row without a
    // candidate id belongs to no candidate.
    assert!(problems[5]["location"]["column"].is_null());
    assert!(problems[6]["location"].get("message").is_none());

    // With JSON results too, standard error is JSON only: no summary line.
    let mut with_results = args("json").to_vec();
    with_results.extend(["--format", "json"]);
    let run = acquis(&with_results);
    assert_eq!(run.code, Some(1));
    let values = serde_json::Deserializer::from_str(&run.stderr).into_iter::<serde_json::Value>();
    assert_eq!(values.map(Result::unwrap).count(), 8, "{}", run.stderr);

    // An error of the whole run follows the format too.
    let missing = acquis(&[
        "eval",
        SEED,
        "--grades",
        "no/such/file.csv",
        "--diagnostics",
        "narrated",
    ]);
    assert_eq!(missing.code, Some(1));
    assert!(
        missing
            .stderr
            .starts_with("Error A0701: cannot read the file: "),
        "{}",
        missing.stderr
    );
    assert!(missing.stderr.contains(", in no/such/file.csv.\n  Help: "));
}

/// The default explanation, for a jury: the decision and what decided it,
/// under 30 lines, for a validated, a failed and a pending candidate of
/// the seed, as text and as JSON (the JSON lists the same entities).
#[test]
fn explain_gives_the_decision_and_what_decided_it_first() {
    for (candidate, outcome) in [
        ("CAND-001", "validated"),
        ("CAND-002", "not_validated"),
        ("CAND-008", "pending"),
    ] {
        let args = [
            "explain",
            SEED,
            "--grades",
            "examples/edl/candidates.csv",
            "--candidate",
            candidate,
        ];
        let text = acquis(&args);
        assert_eq!(text.code, Some(0), "{}", text.stderr);
        let lines = text.stdout.lines().count();
        assert!(lines < 30, "{candidate}: {lines} lines\n{}", text.stdout);
        insta::assert_snapshot!(format!("explain_short_{candidate}"), text.stdout);
        let json = acquis(&[&args[..], &["--format", "json"]].concat());
        assert_eq!(json.code, Some(0), "{}", json.stderr);
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(v["decision"]["id"], "certification");
        assert_eq!(v["decision"]["outcome"], outcome);
        fn ids(v: &serde_json::Value, out: &mut Vec<String>) {
            out.push(v["id"].as_str().unwrap_or_default().to_string());
            for c in v["because"].as_array().into_iter().flatten() {
                ids(c, out);
            }
        }
        let mut listed = Vec::new();
        ids(&v["decision"], &mut listed);
        for id in &listed[1..] {
            assert!(
                text.stdout.contains(&format!(" {id} ")),
                "{candidate}: {id} not in the text"
            );
        }
        // The page says the same: the decision, then each entity that
        // decided it with its outcome in words.
        let page = acquis(&[&args[..], &["--format", "html"]].concat());
        assert_eq!(page.code, Some(0), "{}", page.stderr);
        assert!(page
            .stdout
            .starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
        assert!(!page.stdout.contains("<script"));
        for id in &listed[1..] {
            assert!(
                page.stdout.contains(&format!(" {id}\u{202f}:</strong>")),
                "{candidate}: {id} not on the page"
            );
        }
        let words = match outcome {
            "validated" => "validée",
            "not_validated" => "non validée",
            _ => "en attente",
        };
        assert!(
            page.stdout
                .contains("Certification\u{202f}: <span class=\"o")
                && page.stdout.contains(words),
            "{}",
            page.stdout
        );
        if candidate == "CAND-002" {
            insta::assert_snapshot!("explain_page_CAND-002", page.stdout);
        }
    }
    // The failing chain of CAND-002 goes down to the criterion.
    let failed = acquis(&[
        "explain",
        SEED,
        "--grades",
        "examples/edl/candidates.csv",
        "--candidate",
        "CAND-002",
        "--full",
    ]);
    assert!(failed.stdout.lines().count() > 100);
}
