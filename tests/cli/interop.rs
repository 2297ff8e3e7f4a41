//! `acquis import`, `acquis export` and `acquis eval --format ob3` as
//! commands: standard output or the file of `-o`, what goes to standard
//! error (warnings, errors with or without `error: `), the exit status, the
//! files written and those left alone (`--force`, a failed import, a
//! directory of credentials). Where the output is the library's, it must
//! equal what `acquis_interop` gives for the same input; what the packages,
//! CSV, skeletons and credentials say is tested on the library itself
//! (interop/tests/api).
use std::fs;
use std::path::{Path, PathBuf};

use acquis_compiler::{compile, loader::Disk};
use acquis_diagnostics::render::{self, Format};
use acquis_diagnostics::source::SourceMap;
use acquis_interop::{case, moodle, referential_source, rncp};
use acquis_ir::Ir;
use serde_json::Value;

const EXPORT: &str = "tests/fixtures/rncp/export.xml";
const REVIEW_RNCP: &str = "tests/fixtures/rncp/review.xml";
const FOREIGN: &str = "tests/fixtures/case/foreign.json";

use crate::common::{Acquis, Run, TempDir, CUISINE, SMALL};

/// Runs `acquis ARGS` with a fixed issuance date for credentials, so
/// outputs do not change with the day.
fn acquis<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    Acquis::new(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .run()
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// Warnings as the command line prints them on a terminal: one line each,
/// the place first.
fn terminal(warnings: &[acquis_interop::InteropWarning]) -> String {
    warnings
        .iter()
        .map(|w| {
            render::stream(
                &w.to_diagnostic(),
                &SourceMap::default(),
                Format::Terminal { color: false },
                acquis_diagnostics::Lang::En,
            )
        })
        .collect()
}

fn ir(file: &Path) -> Ir {
    let c = compile(file, &Disk);
    assert!(!c.has_errors(), "{}: {:?}", file.display(), c.diagnostics);
    c.ir.unwrap()
}

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

// ----------------------------------------------------------------- exports

#[test]
fn exports_write_the_library_output_to_standard_output_or_the_file_of_o() {
    let dir = TempDir::new("exports");
    // A `meta last_change` that is not a date: the export warns.
    let file = dir.join("small.acquis");
    fs::write(
        &file,
        fs::read_to_string(SMALL)
            .unwrap()
            .replace("  lang fr\n", "  lang fr\n  meta last_change \"hier\"\n"),
    )
    .unwrap();
    let (package, warnings) = case::export(&ir(&file)).unwrap();
    assert_eq!(warnings.len(), 1);
    let run = acquis(&["export", "case", &path(&file)]);
    run.assert_code(0);
    assert!(run.stdout == package);
    assert_eq!(run.stderr, terminal(&warnings));
    assert!(
        run.stderr.starts_with(&format!("{}:", path(&file)))
            && run.stderr.contains(": warning: `meta last_change"),
        "{}",
        run.stderr
    );
    let out = dir.join("package.json");
    let run = acquis(&["export", "case", &path(&file), "-o", &path(&out)]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    assert!(fs::read_to_string(&out).unwrap() == package);

    let framework = moodle::export(&ir(Path::new(CUISINE))).unwrap();
    let warned = terminal(&framework.warnings);
    assert!(!warned.is_empty());
    let run = acquis(&["export", "moodle", CUISINE]);
    run.assert_code(0);
    assert!(run.stdout == framework.csv);
    assert_eq!(run.stderr, warned);
    let out = dir.join("framework.csv");
    let run = acquis(&["export", "moodle", CUISINE, "-o", &path(&out)]);
    run.assert_code(0);
    assert_eq!(run.stderr, warned);
    assert!(fs::read_to_string(&out).unwrap() == framework.csv);
    // Only the two files asked for, no temporary file left.
    assert_eq!(
        names(&dir),
        ["framework.csv", "package.json", "small.acquis"]
    );
}

/// `--case-version 1.0` writes what `case::export_for` gives for CASE 1.0,
/// with its warning (A0858); another version is refused by the parser.
#[test]
fn export_case_version_1_0_for_older_servers() {
    let (package, warnings) =
        case::export_for(&ir(Path::new(SMALL)), case::CaseVersion::V1_0).unwrap();
    let run = acquis(&["export", "case", SMALL, "--case-version", "1.0"]);
    run.assert_code(0);
    assert!(run.stdout == package);
    assert!(!package.contains("\"extensions\""));
    assert_eq!(run.stderr, terminal(&warnings));
    assert!(run.stderr.contains("warning: CASE 1.0 has no `extensions`"));
    let run = acquis(&["export", "case", SMALL, "--case-version", "1.1"]);
    run.assert_code(0);
    assert!(run.stdout == case::export(&ir(Path::new(SMALL))).unwrap().0);
    let run = acquis(&["export", "case", SMALL, "--case-version", "2.0"]);
    run.assert_code(2);
}

#[test]
fn an_export_that_cannot_write_its_file_fails() {
    let dir = TempDir::new("export-fail");
    let out = dir.join("missing/package.json");
    let run = acquis(&["export", "case", SMALL, "-o", &path(&out)]);
    run.assert_code(1);
    assert!(
        run.stderr.starts_with(&format!(
            "{}: error: cannot write the file: ",
            out.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(names(&dir), Vec::<String>::new());
}

// ----------------------------------------------------------------- imports

#[test]
fn rncp_list_prints_the_fiches_and_warns_on_standard_error() {
    let mut expected = Vec::new();
    let warnings = rncp::list(Path::new(REVIEW_RNCP), &mut expected).unwrap();
    assert!(!warnings.is_empty());
    let run = acquis(&["import", "rncp", REVIEW_RNCP, "--list"]);
    run.assert_code(0);
    assert_eq!(run.stdout.as_bytes(), expected);
    assert_eq!(run.stderr, terminal(&warnings));
}

#[test]
fn imports_write_the_skeleton_and_say_where() {
    let dir = TempDir::new("imports");
    // RNCP, with its warnings first.
    let (r, warnings) = rncp::import(Path::new(REVIEW_RNCP), "77777").unwrap();
    assert!(!warnings.is_empty());
    let out = dir.join("rncp");
    let run = acquis(&[
        "import",
        "rncp",
        REVIEW_RNCP,
        "--fiche",
        "77777",
        "-o",
        &path(&out),
    ]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    let written = out.join("referential.acquis");
    let mut stderr = terminal(&warnings);
    stderr.push_str(&format!("wrote {}\n", written.display()));
    assert_eq!(run.stderr, stderr);
    assert!(fs::read_to_string(&written).unwrap() == referential_source(&r).unwrap());
    assert_eq!(names(&out), ["referential.acquis"]);
    // CASE.
    let (r, _) = case::import_file(Path::new(FOREIGN)).unwrap();
    let out = dir.join("case");
    let run = acquis(&["import", "case", FOREIGN, "-o", &path(&out)]);
    run.assert_code(0);
    let written = out.join("referential.acquis");
    assert_eq!(run.stderr, format!("wrote {}\n", written.display()));
    assert!(fs::read_to_string(&written).unwrap() == referential_source(&r).unwrap());
    assert_eq!(names(&out), ["referential.acquis"]);
}

#[test]
fn imports_do_not_replace_a_referential_without_force() {
    let dir = TempDir::new("import-force");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("referential.acquis"), "mine").unwrap();
    let case = acquis(&["import", "case", FOREIGN, "-o", &path(&out)]);
    assert_eq!(case.code, Some(1), "{}", case.stderr);
    assert!(case.stderr.contains("give --force"), "{}", case.stderr);
    let rncp = acquis(&[
        "import",
        "rncp",
        EXPORT,
        "--fiche",
        "RNCP39583",
        "-o",
        &path(&out),
    ]);
    assert_eq!(rncp.code, Some(1), "{}", rncp.stderr);
    assert_eq!(
        fs::read_to_string(out.join("referential.acquis")).unwrap(),
        "mine"
    );
    let forced = acquis(&["import", "case", FOREIGN, "-o", &path(&out), "--force"]);
    assert_eq!(forced.code, Some(0), "{}", forced.stderr);
    assert_ne!(
        fs::read_to_string(out.join("referential.acquis")).unwrap(),
        "mine"
    );
}

/// Runs an import that must fail: exit 1, nothing written in DIR; its
/// standard error.
fn failing(args: &[&str], dir: &Path) -> String {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(["-o".to_string(), path(dir)]);
    let run = acquis(&all);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        names(dir)
            .iter()
            .all(|n| n.ends_with(".xml") || n.ends_with(".json")),
        "something was written: {:?}",
        names(dir)
    );
    run.stderr
}

/// A failed import prints the library's error as its one diagnostic (on
/// a terminal: the place, then the message), in the format asked for;
/// nothing is written.
#[test]
fn failed_imports_write_nothing_and_say_why() {
    let dir = TempDir::new("import-fail");
    let line = |e: &acquis_interop::InteropError| {
        render::stream(
            &e.to_diagnostic(),
            &SourceMap::default(),
            Format::Terminal { color: false },
            acquis_diagnostics::Lang::En,
        )
    };
    // At a line and column of the export.
    let broken = dir.join("broken.xml");
    fs::write(
        &broken,
        fs::read_to_string(EXPORT)
            .unwrap()
            .replacen("</INTITULE>", "</INTITULEE>", 1),
    )
    .unwrap();
    let error = rncp::import(&broken, "RNCP12345").unwrap_err();
    let args = ["import", "rncp", &path(&broken), "--fiche", "RNCP12345"];
    let stderr = failing(&args, &dir);
    assert_eq!(stderr, line(&error));
    assert!(
        stderr.starts_with(&format!("{}:", path(&broken))),
        "{stderr}"
    );
    assert_eq!(stderr, format!("{error}\n"), "as the library words it");
    let error = rncp::import(Path::new(EXPORT), "RNCP12340").unwrap_err();
    let args = ["import", "rncp", EXPORT, "--fiche", "RNCP12340"];
    assert_eq!(failing(&args, &dir), line(&error));
    // A CASE package as a whole: its JSON path is in the message.
    let bad = dir.join("bad.json");
    fs::write(&bad, "{\"CFItems\": []}").unwrap();
    let error = case::import_file(&bad).unwrap_err();
    assert_eq!(
        failing(&["import", "case", &path(&bad)], &dir),
        line(&error)
    );
    // No file: after `error: `.
    let stderr = failing(&["import", "rncp", EXPORT, "--fiche", "abc"], &dir);
    assert_eq!(
        stderr,
        "error: `abc` is not a fiche number: give `RNCP39583`, `39583` or `RS5841`\n"
    );
    // A file that cannot be read: its path, then why.
    let missing = dir.join("missing.json");
    let stderr = failing(&["import", "case", &path(&missing)], &dir);
    assert!(
        stderr.starts_with(&format!(
            "{}: error: cannot read the file: ",
            path(&missing)
        )),
        "{stderr}"
    );
    // Narrated and JSON, as every other problem of the toolchain.
    let stderr = failing(
        &[
            "import",
            "case",
            &path(&missing),
            "--diagnostics",
            "narrated",
        ],
        &dir,
    );
    assert!(
        stderr.starts_with("Error A0801: cannot read the file: "),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("in {}", path(&missing))),
        "{stderr}"
    );
    let stderr = failing(
        &["import", "--diagnostics", "json", "case", &path(&missing)],
        &dir,
    );
    let json: serde_json::Value = serde_json::from_str(stderr.trim_end()).unwrap();
    assert_eq!(json["code"], "A0801");
    assert_eq!(json["location"]["path"], path(&missing).as_str());
    assert_eq!(names(&dir), ["bad.json", "broken.xml"]);
}

/// Warnings of an export are diagnostics placed in the referential; with
/// JSON diagnostics standard error holds JSON Lines only.
#[test]
fn export_warnings_are_diagnostics_in_every_format() {
    let run = acquis(&["export", "moodle", CUISINE]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap();
    assert!(
        first.starts_with("examples/cuisine/") && first.contains(": warning: the rule of `"),
        "{}",
        run.stderr
    );
    // JSON Lines: one object per line, the referential's diagnostics (none
    // here) then the export's warnings, as `acquis eval` writes the
    // problems of a grades file.
    let run = acquis(&["export", "moodle", CUISINE, "--diagnostics", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let values: Vec<Value> = run
        .stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(!values.is_empty(), "{}", run.stderr);
    for warning in &values {
        assert_eq!(warning["code"], "A0856", "{warning}");
        assert_eq!(warning["severity"], "warning", "{warning}");
    }
    let run = acquis(&["export", "moodle", CUISINE, "--diagnostics", "narrated"]);
    assert!(run.stderr.starts_with("Warning A0856: "), "{}", run.stderr);
}

// ------------------------------------------------------------- Open Badges

/// ANNE passes everything; BOB fails C2.1 (marks under 8), so only B1.
const GRADES: &str = "candidate,criterion,grade,handicap
ANNE,E1/CE1,acquis,tiers temps
ANNE,E1/CE2,acquis,tiers temps
ANNE,C2.1/CE1,14,tiers temps
ANNE,C2.1/CE2,12.5,tiers temps
ANNE,C2.2/CE1,acquis,tiers temps
ANNE,C2.2/CE2,en_cours,tiers temps
ANNE,C2.2/CE3,acquis,tiers temps
BOB,E1/CE1,acquis,
BOB,E1/CE2,acquis,
BOB,C2.1/CE1,6,
BOB,C2.1/CE2,7,
";

/// Runs `acquis eval SMALL --format ob3 -o out ARGS` on `grades`.
fn ob3_run(dir: &Path, grades: &str, args: &[&str]) -> (PathBuf, Run) {
    let file = dir.join("grades.csv");
    fs::write(&file, grades).unwrap();
    let out = dir.join("badges");
    let (g, o) = (path(&file), path(&out));
    let mut all = vec![
        "eval",
        SMALL,
        "--grades",
        g.as_str(),
        "--format",
        "ob3",
        "-o",
    ];
    all.push(o.as_str());
    all.extend(args);
    let run = acquis(&all);
    (out, run)
}

/// `candidate/file` for every credential under `out`, sorted.
fn ob3_files(out: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for candidate in fs::read_dir(out).unwrap() {
        let candidate = candidate.unwrap();
        if !candidate.file_type().unwrap().is_dir() {
            continue;
        }
        for f in fs::read_dir(candidate.path()).unwrap() {
            files.push(format!(
                "{}/{}",
                candidate.file_name().to_string_lossy(),
                f.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    files.sort();
    files
}

/// The files `acquis eval SMALL --format ob3` names on standard output
/// (no `-o`) for `dir/grades.csv`, sorted: those `-o` writes.
fn ob3_stdout_files(dir: &Path) -> Vec<String> {
    let grades = path(&dir.join("grades.csv"));
    let run = acquis(&["eval", SMALL, "--grades", &grades, "--format", "ob3"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut named: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    named.sort();
    named
}

/// Nothing but `badges` and the grades: no staging directory left behind.
fn no_leftovers(dir: &Path) {
    let names = names(dir);
    assert!(
        names == ["badges", "grades.csv"] || names == ["grades.csv"],
        "{names:?}"
    );
}

#[test]
fn ob3_writes_a_file_per_credential_or_json_lines_and_metadata_only_on_request() {
    let dir = TempDir::new("ob3-files");
    let (out, run) = ob3_run(&dir, GRADES, &[]);
    run.assert_code(0);
    let files = ob3_files(&out);
    assert_eq!(
        files,
        [
            "ANNE/B1.json",
            "ANNE/B2.json",
            "ANNE/certification.json",
            "BOB/B1.json"
        ]
    );
    // The marker of a directory acquis wrote, and the candidates' folders.
    assert_eq!(names(&out), [".acquis-ob3", "ANNE", "BOB"]);
    for f in &files {
        let text = fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains("tiers temps"), "personal data leaked");
    }
    no_leftovers(&dir);
    // Without -o: the same credentials, one JSON line each, naming its file.
    let grades = dir.join("grades.csv");
    let run = acquis(&["eval", SMALL, "--grades", &path(&grades), "--format", "ob3"]);
    run.assert_code(0);
    let mut lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.sort_by_key(|l| l["file"].as_str().unwrap().to_string());
    assert_eq!(lines.len(), files.len());
    for (line, f) in lines.iter().zip(&files) {
        assert_eq!(line["file"], f.as_str());
        let written: Value =
            serde_json::from_str(&fs::read_to_string(out.join(f)).unwrap()).unwrap();
        assert_eq!(line["credential"], written, "{f}");
    }
    // --include-metadata: the other columns of the grades file.
    let (out, run) = ob3_run(&dir, GRADES, &["--include-metadata"]);
    run.assert_code(0);
    let text = fs::read_to_string(out.join("ANNE/certification.json")).unwrap();
    assert!(text.contains("tiers temps"));
}

/// `--vc`: VC 2.0 by default (`validFrom`), VC 1.1 on request
/// (`issuanceDate`, the 2018 context); any other version is refused by the
/// argument parser, before anything is read or written.
#[test]
fn ob3_vc_version_is_chosen_with_vc() {
    let dir = TempDir::new("ob3-vc");
    let credential = |args: &[&str]| -> Value {
        let (out, run) = ob3_run(&dir, GRADES, args);
        run.assert_code(0);
        serde_json::from_str(&fs::read_to_string(out.join("BOB/B1.json")).unwrap()).unwrap()
    };
    for args in [&[][..], &["--vc", "2.0"][..]] {
        let v2 = credential(args);
        assert_eq!(v2["@context"][0], "https://www.w3.org/ns/credentials/v2");
        assert!(v2.get("validFrom").is_some() && v2.get("issuanceDate").is_none());
    }
    let v1 = credential(&["--vc", "1.1"]);
    assert_eq!(v1["@context"][0], "https://www.w3.org/2018/credentials/v1");
    assert!(v1.get("issuanceDate").is_some() && v1.get("validFrom").is_none());
    let (out, run) = ob3_run(&dir, GRADES, &["--vc", "3"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--vc"), "{}", run.stderr);
    // The earlier run's directory is left as it was.
    assert!(out.join("BOB/B1.json").exists());
}

#[test]
fn ob3_candidates_whose_names_collide_get_distinct_folders() {
    let dir = TempDir::new("ob3-collide");
    // `A/B` and `A_B` sanitize alike; `anne` and `ANNE` differ only in case;
    // `..` must not escape DIR; `CON-3367e86b` is the folder `CON` gets;
    // Windows drops the dot of `trail.`.
    let mut grades = String::from("candidate,criterion,grade\n");
    let ids = [
        "A/B",
        "A_B",
        "anne",
        "ANNE",
        "..",
        "CON",
        "CON-3367e86b",
        "trail.",
        "trail",
    ];
    for who in ids {
        grades.push_str(&format!("{who},E1/CE1,acquis\n{who},E1/CE2,acquis\n"));
    }
    let (out, run) = ob3_run(&dir, &grades, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let files = ob3_files(&out);
    assert_eq!(files.len(), ids.len(), "{files:?}");
    let mut lower: Vec<String> = files
        .iter()
        .map(|f| {
            f.to_lowercase()
                .trim_end_matches(".json")
                .trim_end_matches('.')
                .to_string()
        })
        .collect();
    lower.sort();
    lower.dedup();
    assert_eq!(
        lower.len(),
        ids.len(),
        "case-insensitive collision: {files:?}"
    );
    assert!(
        files.contains(&"CON-3367e86b/B1.json".to_string()),
        "{files:?}"
    );
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("CON-3367e86b"))
            .count(),
        2,
        "{files:?}"
    );
    assert!(files.contains(&"A_B/B1.json".to_string()), "{files:?}");
    assert!(files.iter().all(|f| !f.starts_with('.')), "{files:?}");
    // Stable: the same run gives the same names.
    let (_, again) = ob3_run(&dir, &grades, &[]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(ob3_files(&out), files);
    // Standard output names each credential as -o files it.
    assert_eq!(ob3_stdout_files(&dir), files);
    no_leftovers(&dir);
}

/// Ids too long for a file name (256 bytes, and 300 letters of two bytes)
/// get a file like the others, cut and told apart by a hash: one long id
/// never costs the whole run its credentials, and standard output names
/// the same files.
#[test]
fn ob3_very_long_candidate_ids_get_their_credentials() {
    let dir = TempDir::new("ob3-long");
    let long = "x".repeat(256);
    let longer = format!("{long}y");
    let wide = "é".repeat(300);
    let mut grades = String::from("candidate,criterion,grade\n");
    for who in [long.as_str(), longer.as_str(), wide.as_str(), "BOB"] {
        grades.push_str(&format!("{who},E1/CE1,acquis\n{who},E1/CE2,acquis\n"));
    }
    let (out, run) = ob3_run(&dir, &grades, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let files = ob3_files(&out);
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.contains(&"BOB/B1.json".to_string()), "{files:?}");
    for f in &files {
        let folder = f.split('/').next().unwrap_or_default();
        // 120 bytes at most (the staging folder's name and the
        // credential's file leave room within 255).
        assert!(folder.len() <= 120, "{} bytes: {f}", folder.len());
    }
    assert_eq!(ob3_stdout_files(&dir), files);
    no_leftovers(&dir);
}

#[test]
fn ob3_a_second_run_replaces_the_first_and_leaves_no_stale_credential() {
    let dir = TempDir::new("ob3-rerun");
    let (out, run) = ob3_run(&dir, GRADES, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(out.join("ANNE/certification.json").is_file());
    // ANNE's C2.1 marks are corrected below the pass mark: no longer certified.
    let corrected = GRADES
        .replace("ANNE,C2.1/CE1,14", "ANNE,C2.1/CE1,4")
        .lines()
        .filter(|l| !l.starts_with("BOB"))
        .collect::<Vec<_>>()
        .join("\n");
    let (_, run) = ob3_run(&dir, &corrected, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(ob3_files(&out), ["ANNE/B1.json"]);
    no_leftovers(&dir);
}

#[test]
fn ob3_refuses_a_directory_it_did_not_write() {
    let dir = TempDir::new("ob3-foreign");
    let out = dir.join("badges");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let (_, run) = ob3_run(&dir, GRADES, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("not written by"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
    no_leftovers(&dir);
}

#[test]
fn ob3_a_candidate_in_error_gets_nothing_the_others_get_theirs() {
    let dir = TempDir::new("ob3-error");
    let grades = format!("{GRADES}BOB,E1/CE1,banane,\n");
    let (out, run) = ob3_run(&dir, &grades, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("BOB"), "{}", run.stderr);
    assert_eq!(
        ob3_files(&out),
        ["ANNE/B1.json", "ANNE/B2.json", "ANNE/certification.json"]
    );
    no_leftovers(&dir);
}

/// An import never ends in silence on a referential `acquis check`
/// rejects: a CASE package whose scale lists a level twice is written
/// (to be corrected by hand) but the import says it does not check, with
/// the compiler's diagnostics, and exits 1.
/// The seed exported to `package`, the item coded `code` edited, then
/// imported into `out` (`--force`).
fn import_edited(
    package: &std::path::Path,
    out: &std::path::Path,
    code: &str,
    edit: impl Fn(&mut Value),
) -> crate::common::Run {
    acquis(&[
        "export",
        "case",
        "examples/edl/referential.acquis",
        "-o",
        &path(package),
    ])
    .assert_code(0);
    let mut v: Value = serde_json::from_str(&fs::read_to_string(package).unwrap()).unwrap();
    for item in v["CFItems"].as_array_mut().unwrap() {
        if item["humanCodingScheme"] == code {
            edit(item);
        }
    }
    fs::write(package, v.to_string()).unwrap();
    acquis(&[
        "import",
        "case",
        &path(package),
        "-o",
        &path(out),
        "--force",
    ])
}

#[test]
fn an_import_that_does_not_check_says_so() {
    let dir = TempDir::new("import-does-not-check");
    let package = dir.0.join("pkg.json");
    acquis(&[
        "export",
        "case",
        "examples/edl/referential.acquis",
        "-o",
        &path(&package),
    ])
    .assert_code(0);
    let mut v: Value = serde_json::from_str(&fs::read_to_string(&package).unwrap()).unwrap();
    v["extensions"]["acquis"]["scales"][0]["levels"] =
        serde_json::json!(["non_acquis", "acquis", "acquis"]);
    fs::write(&package, v.to_string()).unwrap();
    let out = dir.0.join("out");
    let run = acquis(&["import", "case", &path(&package), "-o", &path(&out)]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error[A0306]: level `acquis` appears twice"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr
            .contains("referential.acquis: error: the referential was written but does not check"),
        "{}",
        run.describe()
    );
    assert!(out.join("referential.acquis").exists());

    // A block renamed in the package (its code changed by hand) while the
    // certification rule kept in the extension still names it: written,
    // and reported with the compiler's unknown-id error.
    let run = import_edited(&package, &out, "A1", |item| {
        item["humanCodingScheme"] = "A9".into()
    });
    run.assert_code(1);
    assert!(
        run.stderr.contains("error[A0202]: unknown id `A1`"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("does not check"), "{}", run.describe());

    // A statement of 33 MiB (the package is within its 64 MiB): the
    // referential written is over the sources' 32 MiB limit, and said so,
    // without echoing the statement.
    let run = import_edited(&package, &out, "C1.1", |item| {
        item["fullStatement"] = "x".repeat(33 << 20).into()
    });
    let head = &run.stderr[..run.stderr.len().min(2000)];
    assert_eq!(run.code, Some(1), "{head}");
    assert!(run.stderr.contains("error[A0004]"), "{head}");
    assert!(run.stderr.contains("more than the 32 MiB limit"), "{head}");
    assert!(run.stderr.contains("does not check"), "{head}");
    assert!(run.stderr.len() < 10_000, "the statement is echoed: {head}");
}
