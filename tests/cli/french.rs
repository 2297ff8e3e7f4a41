//! French end to end: every verb run with `--lang fr` (or a French locale)
//! on a French referential says nothing in English in its human output —
//! diagnostics (terminal and narrated), summaries, notes, tables,
//! explanations, `acquis test`. Machine outputs (JSON, CSV, the IR, DOT)
//! keep their stable English keys and are not read here.
//!
//! What counts as English is a maintained list of words that French text
//! never holds; code in backticks, paths, ids and option names are the
//! user's or the language's and are left out before looking.

use crate::common::{acquis, Acquis, Run, TempDir};

/// The words of `text` outside backticks, paths and ids: what a French
/// reader reads as sentences.
fn prose_words(text: &str) -> Vec<String> {
    // The referential's own lines, quoted by the terminal form (`12 │ …`)
    // and read out by the narrated one, are the user's text.
    let text: String = text
        .lines()
        .filter(|line| {
            let quoted = line
                .trim_start()
                .split_once(" │")
                .is_some_and(|(number, _)| number.chars().all(|c| c.is_ascii_digit()));
            !quoted && !line.trim_start().starts_with("Texte de la ligne")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut prose = String::new();
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            prose.push(' ');
        } else if !in_code {
            prose.push(c);
        }
    }
    prose
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';'
                        | ':'
                        | '('
                        | ')'
                        | '«'
                        | '»'
                        | '!'
                        | '?'
                        | '"'
                        | '|'
                        | '['
                        | ']'
                        | '='
                )
        })
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '\'' | '’')))
        // Paths, ids (`C1.2`, `CAND-002`), options and codes are not prose.
        .filter(|w| {
            !w.is_empty()
                && !w.contains(['/', '\\', '-', '_', '.', '@'])
                && !w.chars().any(|c| c.is_ascii_digit())
                && !w.chars().next().is_some_and(char::is_uppercase)
        })
        .map(str::to_lowercase)
        .collect()
}

/// Fails naming each English word of a run's human output.
#[track_caller]
fn assert_french(what: &str, text: &str) {
    let english: Vec<String> = prose_words(text)
        .into_iter()
        .filter(|w| acquis_diagnostics::catalogue::ENGLISH_WORDS.contains(&w.as_str()))
        .collect();
    assert!(
        english.is_empty(),
        "{what}: English words {english:?} in:\n{text}"
    );
}

fn french(args: &[&str]) -> Run {
    let mut all: Vec<&str> = vec!["--lang", "fr"];
    all.extend_from_slice(args);
    acquis(&all)
}

const SEED: &str = "examples/edl/referential.acquis";

/// A French referential with mistakes of several kinds: an unknown id, a
/// duplicate, a level not on the scale.
const BROKEN: &str = "referential R \"Titre\" { lang fr }
use std::scales::acquisition
defaults {
  criterion scale acquisition
  block validated when all competencies validated
}
block B1 \"Bloc\" {
  competency C1 \"Compétence\" {
    criterion CE1 \"Critère\" { indicator \"i\" }
    criterion CE1 \"Critère encore\" { indicator \"j\" }
    validated when CE2 acquired
  }
  assessment E1 \"Épreuve\" { covers C1 }
}
certification validated when all blocks validated
";

#[test]
fn check_speaks_french_in_every_diagnostics_format() {
    let dir = TempDir::new("french-check");
    let file = dir.join("r.acquis");
    std::fs::write(&file, BROKEN).unwrap();
    let path = file.to_str().unwrap();
    for form in ["terminal", "narrated"] {
        let run = french(&["check", "--diagnostics", form, path]);
        run.assert_code(1);
        assert!(run.stderr.contains("A0201"), "{}", run.describe());
        assert!(run.stderr.contains("A0202"), "{}", run.describe());
        assert_french(&format!("check --diagnostics {form}"), &run.all());
    }
    // JSON: the keys and codes stay, the messages are French.
    let run = french(&["check", "--diagnostics", "json", path]);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for d in document["diagnostics"].as_array().unwrap() {
        assert_french("check --diagnostics json", d["message"].as_str().unwrap());
    }
    // A clean referential: the summary line.
    let clean = french(&["check", SEED]);
    clean.assert_code(0);
    assert_french("check (clean)", &clean.all());
}

#[test]
fn the_locale_chooses_french_when_no_lang_is_given() {
    let dir = TempDir::new("french-locale");
    let file = dir.join("r.acquis");
    std::fs::write(&file, BROKEN).unwrap();
    let run = Acquis::new(&["check", file.to_str().unwrap()])
        .env("LANG", "fr_FR.UTF-8")
        .run();
    run.assert_code(1);
    assert_french("check under LANG=fr_FR.UTF-8", &run.all());
    // `--lang en` wins over the locale.
    let english = Acquis::new(&["--lang", "en", "check", file.to_str().unwrap()])
        .env("LANG", "fr_FR.UTF-8")
        .run();
    assert!(
        english.stderr.contains("is defined twice"),
        "{}",
        english.describe()
    );
}

#[test]
fn every_verb_speaks_french() {
    let dir = TempDir::new("french-verbs");
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();

    let build = french(&["build", SEED, "-o", &out("ir.json")]);
    build.assert_code(0);
    assert_french("build", &build.stderr);

    // --verbose says what it did in French too.
    let verbose = french(&["-v", "check", SEED]);
    verbose.assert_code(0);
    assert_french("check -v", &verbose.stderr);
    let evaluated = french(&[
        "-v",
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates.csv",
    ]);
    assert_french("eval -v", &evaluated.stderr);

    let graph = french(&["graph", SEED, "--format", "mermaid"]);
    graph.assert_code(0);
    assert_french("graph", &graph.stderr);

    // An export's warnings (what Moodle cannot say).
    let export = french(&["export", "moodle", SEED, "-o", &out("moodle.csv")]);
    assert_french("export moodle", &export.stderr);

    let test = french(&["test", SEED]);
    test.assert_code(0);
    assert_french("test", &test.all());

    let fmt = french(&["fmt", "--check", SEED]);
    assert_french("fmt --check", &fmt.stderr);

    let eval = french(&["eval", SEED, "--grades", "examples/edl/candidates.csv"]);
    assert_french("eval", &eval.all());

    // Grade problems are diagnostics too.
    let problems = french(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
    ]);
    problems.assert_code(1);
    assert_french("eval (problems)", &problems.stderr);
    let narrated = french(&[
        "eval",
        "--diagnostics",
        "narrated",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
    ]);
    assert_french("eval --diagnostics narrated (problems)", &narrated.stderr);

    for candidate in ["CAND-001", "CAND-002"] {
        let explain = french(&[
            "explain",
            SEED,
            "--grades",
            "examples/edl/candidates.csv",
            "--candidate",
            candidate,
        ]);
        assert_french(&format!("explain {candidate}"), &explain.all());
    }
    let missing = french(&[
        "explain",
        SEED,
        "--grades",
        "examples/edl/candidates.csv",
        "--candidate",
        "NOBODY",
    ]);
    assert_french("explain (unknown candidate)", &missing.stderr);

    let doc = french(&["doc", SEED, "-o", &out("edl.docx")]);
    doc.assert_code(1);
    assert_french("doc (unknown extension)", &doc.stderr);

    let grid = french(&["grid", SEED, "-o", &out("grid.ods")]);
    grid.assert_code(1);
    assert_french("grid (unknown extension)", &grid.stderr);

    let project = out("projet");
    let new = french(&["new", &project]);
    new.assert_code(0);
    assert_french("new", &new.stderr);
    let again = french(&["new", &project]);
    again.assert_code(1);
    assert_french("new (exists)", &again.stderr);

    let import = french(&[
        "import",
        "rncp",
        "tests/fixtures/rncp/export.xml",
        "--fiche",
        "RNCP00000",
        "-o",
        &out("import"),
    ]);
    assert_french("import rncp (unknown fiche)", &import.stderr);
}
