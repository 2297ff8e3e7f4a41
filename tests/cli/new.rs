//! `acquis new`: a project that checks, tests, evaluates and publishes as
//! it is, in French or English; never written over existing files. And
//! `acquis completions` for every shell clap knows.

use crate::common::{acquis, TempDir};

#[test]
fn a_new_project_checks_tests_and_evaluates() {
    for (lang, word, held, counts) in [
        (
            "fr",
            "Et maintenant",
            "3 attendus : 3 vérifiés, 0 en échec",
            "3 candidats : 1 validé, 1 non validé, 1 en attente, 0 en erreur",
        ),
        (
            "en",
            "Next",
            "3 expectations: 3 held, 0 failed",
            "3 candidates: 1 validated, 1 not validated, 1 pending, 0 with errors",
        ),
    ] {
        let dir = TempDir::new("new-project");
        let project = dir.0.join("mon-titre");
        let project = project.to_str().unwrap();
        let run = acquis(&["new", project, "--lang", lang]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("referential.acquis"),
            "{}",
            run.describe()
        );
        acquis(&["check", "--deny-warnings", project]).assert_code(0);
        acquis(&["fmt", "--check", project]).assert_code(0);
        let test = acquis(&["test", project]);
        test.assert_code(0);
        assert!(test.stdout.contains(held), "{}", test.describe());
        let grades = format!("{project}/grades.csv");
        let eval = acquis(&["eval", project, "--grades", &grades]);
        eval.assert_code(0);
        assert!(eval.stdout.contains(counts), "{}", eval.describe());
        let readme = std::fs::read_to_string(format!("{project}/README.md")).unwrap();
        assert!(readme.contains(word) && readme.contains(&format!("acquis check {project}")));
        let referential = std::fs::read_to_string(format!("{project}/referential.acquis")).unwrap();
        assert!(
            referential.contains("referential MON_TITRE \"mon-titre\""),
            "{referential}"
        );
        // Never over existing files.
        let again = acquis(&["new", project]);
        again.assert_code(1);
        assert!(
            again
                .stderr
                .contains("exists and is not an empty directory"),
            "{}",
            again.describe()
        );
        assert_eq!(
            std::fs::read_to_string(format!("{project}/referential.acquis")).unwrap(),
            referential
        );
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = acquis(&["completions", shell]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("explain"),
            "{shell}: {}",
            run.describe()
        );
    }
    acquis(&["completions", "tcsh"]).assert_code(2);
}

/// Every verb's `--help` describes its arguments for a user: no path of
/// the sources (`src/…`, a `.rs` file) in it.
#[test]
fn help_names_no_source_path() {
    let verbs: [&[&str]; 17] = [
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
        &["completions"],
        &["lsp"],
        &["import", "rncp"],
        &["import", "case"],
        &["export", "case"],
        &["export", "moodle"],
        &[],
    ];
    for verb in verbs {
        let mut args: Vec<&str> = verb.to_vec();
        args.push("--help");
        let run = acquis(&args);
        run.assert_code(0);
        assert!(
            !run.stdout.contains("src/") && !run.stdout.contains(".rs "),
            "{args:?}: {}",
            run.stdout
        );
    }
}

/// A directory that cannot be created (under a file) is an error, with
/// nothing written.
#[test]
fn new_under_a_file_is_an_error() {
    let dir = TempDir::new("new-under-file");
    let file = dir.0.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let target = file.join("project");
    let run = acquis(&["new", target.to_str().unwrap()]);
    run.assert_code(1);
    assert!(run.stderr.contains("error"), "{}", run.describe());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}
