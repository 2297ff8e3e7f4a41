//! One command line (issue 15): `--format` is always the format of what a
//! verb writes, `--diagnostics` the diagnostics' on standard error, and
//! `--color`, `--quiet`, `--verbose` are read by every verb.

use crate::common::acquis;

const SEED: &str = "examples/edl/referential.acquis";
const GRADES: &str = "examples/edl/candidates.csv";
/// A referential with a warning (a competency no assessment covers) and
/// no error.
const WARNED: &str = "tests/fixtures/parts/compensation.acquis";

/// Every verb's help lists the shared options, with the same words.
#[test]
fn every_verb_takes_diagnostics_color_quiet_and_verbose() {
    let verbs: [&[&str]; 14] = [
        &["check"],
        &["build"],
        &["eval"],
        &["explain"],
        &["test"],
        &["fmt"],
        &["doc"],
        &["graph"],
        &["grid"],
        &["new"],
        &["import", "rncp"],
        &["import", "case"],
        &["export", "case"],
        &["export", "moodle"],
    ];
    for verb in verbs {
        let mut args: Vec<&str> = verb.to_vec();
        args.push("--help");
        let run = acquis(&args);
        run.assert_code(0);
        for option in [
            "--diagnostics <diagnostics>",
            "--color <COLOR>",
            "-q, --quiet",
            "-v, --verbose",
        ] {
            assert!(
                run.stdout.contains(option),
                "{args:?} lacks {option}:\n{}",
                run.stdout
            );
        }
    }
}

/// `--diagnostics json` on check, build, test and eval: standard error
/// holds JSON only; `check --format json`, the old spelling, still works
/// with a warning saying what to write instead.
#[test]
fn diagnostics_json_everywhere_and_the_old_format_of_check() {
    let run = acquis(&["check", "--diagnostics", "json", SEED]);
    run.assert_code(0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["errors"], 0);
    let run = acquis(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
        "--format",
        "csv",
        "--diagnostics",
        "json",
    ]);
    run.assert_code(1);
    for line in run.stderr.lines() {
        let d: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(d["code"].as_str().unwrap().starts_with("A07"), "{line}");
    }
    let run = acquis(&["check", "--format", "json", SEED]);
    run.assert_code(0);
    assert!(serde_json::from_str::<serde_json::Value>(&run.stdout).is_ok());
    assert!(run.stderr.contains("now `--diagnostics`"), "{}", run.stderr);
    // The global options may come before the verb too.
    acquis(&[
        "--diagnostics",
        "narrated",
        "build",
        SEED,
        "-o",
        "/dev/null",
    ])
    .assert_code(0);
}

/// `--quiet` leaves errors only: no warning, no summary line; `--verbose`
/// says what was compiled and evaluated, and how long it took.
#[test]
fn quiet_and_verbose() {
    let loud = acquis(&["check", WARNED]);
    loud.assert_code(0);
    assert!(
        loud.stderr.contains("warning") || loud.stderr.contains("checked 1 file"),
        "{}",
        loud.stderr
    );
    let quiet = acquis(&["check", "--quiet", WARNED]);
    quiet.assert_code(0);
    assert_eq!(quiet.stderr, "", "{}", quiet.describe());
    let quiet = acquis(&["eval", "-q", SEED, "--grades", GRADES, "--format", "csv"]);
    quiet.assert_code(0);
    assert_eq!(quiet.stderr, "");
    let errors = acquis(&[
        "eval",
        "-q",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
        "--format",
        "csv",
    ]);
    errors.assert_code(1);
    assert!(
        errors.stderr.contains("error"),
        "errors stay: {}",
        errors.describe()
    );
    let verbose = acquis(&[
        "eval",
        "--verbose",
        SEED,
        "--grades",
        GRADES,
        "--format",
        "csv",
    ]);
    verbose.assert_code(0);
    assert!(
        verbose
            .stderr
            .contains("compiled examples/edl/referential.acquis (2 files) in "),
        "{}",
        verbose.stderr
    );
    assert!(
        verbose
            .stderr
            .contains("evaluated 65 candidates from examples/edl/candidates.csv in "),
        "{}",
        verbose.stderr
    );
    // Standard error is not a terminal here: no progress line.
    assert!(!verbose.stderr.contains('\r'));
    acquis(&["check", "-q", "-v", SEED]).assert_code(2);
}
