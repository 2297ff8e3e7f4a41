//! Interop (docs/interop.md): the Moodle CSV, CASE packages (schema, round
//! trip, foreign packages), the RNCP import (fixture exports, zipped or
//! not, messy HTML) and bad input, through the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

const EXPORT: &str = "tests/fixtures/rncp/export.xml";
const FOREIGN: &str = "tests/fixtures/case/foreign.json";

mod common;
use common::{Acquis, Run, TempDir, CUISINE, SEED, SMALL};

/// Runs `acquis ARGS` with a fixed issuance date for credentials, so
/// snapshots do not change with the day.
fn acquis<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    Acquis::new(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .run()
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

/// `acquis check` on a file: (errors, warning codes).
fn check(file: &Path) -> (usize, Vec<String>) {
    let run = acquis(&["check", "--format", "json", &path(file)]);
    let json: Value = serde_json::from_str(&run.stdout).expect("check --format json gives JSON");
    let diagnostics = json
        .pointer("/referentials/0/diagnostics")
        .or_else(|| json.get("diagnostics"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    (errors, warnings)
}

// ------------------------------------------------------------------ Moodle

fn moodle(reference: &str) -> (String, String) {
    let run = acquis(&["export", "moodle", reference]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    (run.stdout, run.stderr)
}

/// Rows of the CSV as parsed by a CSV reader, header first.
fn rows(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn moodle_csv_has_the_fourteen_columns_and_a_consistent_tree() {
    for reference in [SEED, CUISINE, SMALL] {
        let (text, _) = moodle(reference);
        let rows = rows(&text);
        assert!(rows.iter().all(|r| r.len() == 14), "{reference}");
        assert_eq!(rows[0][0], "Parent ID number");
        assert_eq!(rows[0][13], "Taxonomy");
        assert_eq!(rows.iter().filter(|r| r[12] == "1").count(), 1);
        let ids: Vec<&str> = rows[2..].iter().map(|r| r[1].as_str()).collect();
        let export_ids: Vec<&str> = rows[2..].iter().map(|r| r[11].as_str()).collect();
        for r in &rows[2..] {
            assert!(
                r[0].is_empty() || ids.contains(&r[0].as_str()),
                "parent {}",
                r[0]
            );
        }
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            ids.len(),
            "duplicate id numbers in {reference}"
        );
        // Points rules name existing children by export id.
        for r in &rows[2..] {
            if r[7].ends_with("competency_rule_points") {
                let config: Value = serde_json::from_str(&r[9]).unwrap();
                assert!(config["base"]["points"].as_u64().unwrap() >= 1);
                for c in config["competencies"].as_array().unwrap() {
                    let id = c["id"].as_u64().unwrap().to_string();
                    let child = rows[2..].iter().find(|x| x[11] == id).unwrap();
                    assert_eq!(child[0], r[1], "a rule reads a child of its competency");
                    assert!(export_ids.contains(&id.as_str()));
                }
            }
        }
    }
}

#[test]
fn moodle_snapshots() {
    let (small, small_warnings) = moodle(SMALL);
    insta::assert_snapshot!("moodle_small_csv", small);
    insta::assert_snapshot!("moodle_small_warnings", small_warnings);
    let (cuisine, cuisine_warnings) = moodle(CUISINE);
    insta::assert_snapshot!("moodle_cuisine_csv", cuisine);
    insta::assert_snapshot!("moodle_cuisine_warnings", cuisine_warnings);
}

#[test]
fn moodle_rule_mapping() {
    let (text, warnings) = moodle(CUISINE);
    let rows = rows(&text);
    let row = |id: &str| rows.iter().find(|r| r[1] == id).unwrap().clone();
    // `4 of 5 criteria acquired and CE5 acquired`: 4 points among 5, CE5 required.
    let c11 = row("C1.1");
    assert!(c11[7].ends_with("competency_rule_points"));
    let config: Value = serde_json::from_str(&c11[9]).unwrap();
    assert_eq!(config["base"]["points"], 4);
    let members = config["competencies"].as_array().unwrap();
    assert_eq!(members.len(), 5);
    assert_eq!(members.iter().filter(|m| m["required"] == true).count(), 1);
    // `all competencies validated` (the default): competency_rule_all.
    assert!(row("B1")[7].ends_with("competency_rule_all"));
    assert_eq!(row("B1")[9], "null");
    // `B2 validated and at least 2 of blocks validated`: 2 points, B2 required.
    let certification: Value = serde_json::from_str(&row("certification")[9]).unwrap();
    assert_eq!(certification["base"]["points"], 2);
    // An average cannot be said in Moodle: no rule, and a warning naming it.
    assert_eq!(row("C3.1")[7], "");
    assert!(
        warnings.contains("warning: the rule of `C3.1`"),
        "{warnings}"
    );
}

// -------------------------------------------------------------------- CASE

fn case_schema() -> jsonschema::Validator {
    let text = fs::read_to_string("tests/schemas/case-v1p1-cfpackage-schema.json").unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_case_valid(json: &str) {
    let value: Value = serde_json::from_str(json).unwrap();
    let errors: Vec<String> = case_schema()
        .iter_errors(&value)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn export_case(reference: &str) -> String {
    let run = acquis(&["export", "case", reference]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.stdout
}

#[test]
fn case_packages_satisfy_the_official_schema() {
    for reference in [SEED, CUISINE, SMALL] {
        assert_case_valid(&export_case(reference));
    }
}

#[test]
fn the_case_schema_rejects_a_package_without_document() {
    assert!(!case_schema().is_valid(&serde_json::json!({ "CFItems": [] })));
    let mut bad: Value = serde_json::from_str(&export_case(SMALL)).unwrap();
    bad["CFAssociations"][0]["associationType"] = "isParentOf".into();
    assert!(!case_schema().is_valid(&bad));
}

#[test]
fn case_package_content() {
    let package: Value = serde_json::from_str(&export_case(SMALL)).unwrap();
    assert_eq!(package["CFDocument"]["caseVersion"], "1.1");
    assert_eq!(package["CFDocument"]["title"], "Référentiel d’essai");
    let items = package["CFItems"].as_array().unwrap();
    let kinds = |k: &str| items.iter().filter(|i| i["CFItemType"] == k).count();
    assert_eq!((kinds("Block"), kinds("Competency")), (2, 4));
    // Shared criteria are one item with an isChildOf to each competency.
    let e1_ce1 = items
        .iter()
        .find(|i| i["humanCodingScheme"] == "E1/CE1")
        .unwrap();
    let parents = package["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["originNodeURI"]["identifier"] == e1_ce1["identifier"])
        .count();
    assert_eq!(parents, 2);
    // Rubric levels come from the scale, lowest first.
    let levels = &package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"];
    assert_eq!(levels[0]["quality"], "non_acquis");
    assert_eq!(levels[2]["quality"], "acquis");
    assert!(package["extensions"]["acquis"]["certification"]["rule"].is_string());
    insta::assert_snapshot!("case_small_package", export_case(SMALL));
}

#[test]
fn case_export_is_deterministic() {
    assert_eq!(export_case(SMALL), export_case(SMALL));
}

#[test]
fn case_round_trip_gives_the_same_package() {
    for reference in [SEED, CUISINE, SMALL] {
        let dir = TempDir::new("roundtrip");
        let first = export_case(reference);
        let package = dir.join("package.json");
        fs::write(&package, &first).unwrap();
        let run = acquis(&["import", "case", &path(&package), "-o", &path(&dir)]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let imported = dir.join("referential.acquis");
        assert_eq!(check(&imported), (0, vec![]), "{reference}");
        let second = export_case(&path(&imported));
        assert!(
            first == second,
            "{reference}: export → import → export differs"
        );
        if reference == SMALL {
            insta::assert_snapshot!(
                "case_small_imported",
                fs::read_to_string(&imported).unwrap()
            );
        }
    }
}

#[test]
fn a_foreign_case_package_gives_a_skeleton_to_complete() {
    let dir = TempDir::new("foreign");
    let run = acquis(&["import", "case", FOREIGN, "-o", &path(&dir)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let imported = dir.join("referential.acquis");
    let text = fs::read_to_string(&imported).unwrap();
    let (errors, warnings) = check(&imported);
    assert_eq!(errors, 0);
    assert_eq!(
        warnings,
        vec!["A0406"; text.matches("  competency ").count()]
    );
    insta::assert_snapshot!("case_foreign_imported", text);
}

// -------------------------------------------------------------------- RNCP

fn import_rncp(export: &str, fiche: &str) -> (Run, PathBuf) {
    let dir = TempDir::new("rncp").keep();
    let run = acquis(&[
        "import",
        "rncp",
        export,
        "--fiche",
        fiche,
        "-o",
        &path(&dir),
    ]);
    (run, dir.join("referential.acquis"))
}

#[test]
fn rncp_list() {
    let run = acquis(&["import", "rncp", EXPORT, "--list"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    insta::assert_snapshot!("rncp_list", run.stdout);
}

#[test]
fn rncp_fiches_become_skeletons_with_only_the_marked_warnings() {
    for (fiche, name) in [
        ("RNCP39583", "rncp_RNCP39583"),
        ("12345", "rncp_RNCP12345"),
        ("rncp12350", "rncp_RNCP12350"),
    ] {
        let (run, file) = import_rncp(EXPORT, fiche);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let text = fs::read_to_string(&file).unwrap();
        let (errors, warnings) = check(&file);
        assert_eq!(errors, 0, "{fiche}");
        let marked = text.matches("À COMPLÉTER : règle de validation").count();
        assert!(marked > 0);
        assert_eq!(warnings, vec!["A0406"; marked], "{fiche}");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn rncp_skeleton_keeps_codes_dates_and_equivalences() {
    let (_, file) = import_rncp(EXPORT, "RNCP39583");
    // Whitespace-insensitive: the skeleton is formatted (aligned columns).
    let text = fs::read_to_string(file)
        .unwrap()
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("referential RNCP39583 \"Expert en développement logiciel\""));
    assert!(text.contains("level 7"));
    assert!(text.contains("meta date_effet \"2024-09-15\""));
    assert!(text.contains("block RNCP39583BC01 "));
    assert!(text.contains("competency C1.3A \"Auditer un système existant\""));
    assert!(text.contains("competency C2.2 \"Tester et corriger les anomalies\""));
    assert!(text.contains("task \"Dossier écrit, coefficient 2\""));
    assert!(text.contains("kind \"équivalence\""));
}

#[test]
fn a_zipped_export_gives_the_same_skeleton() {
    let dir = TempDir::new("zip");
    let zipped = dir.join("export.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&zipped).unwrap());
    zip.start_file(
        "fiches/export_fiches_RNCP_V4_1.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(&fs::read(EXPORT).unwrap()).unwrap();
    zip.finish().unwrap();
    let (plain_run, plain) = import_rncp(EXPORT, "RNCP39583");
    let (zip_run, from_zip) = import_rncp(&path(&zipped), "RNCP39583");
    assert_eq!(
        (plain_run.code, zip_run.code),
        (Some(0), Some(0)),
        "{}",
        zip_run.stderr
    );
    assert_eq!(
        fs::read_to_string(plain).unwrap(),
        fs::read_to_string(from_zip).unwrap()
    );
    let list = acquis(&["import", "rncp", &path(&zipped), "--list"]);
    assert_eq!(list.stdout.lines().count(), 3);
}

// ------------------------------------------------------------ Open Badges

fn ob3_schema() -> jsonschema::Validator {
    let text =
        fs::read_to_string("tests/schemas/ob_v3p0_achievementcredential_schema.json").unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

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

fn ob3(include_metadata: bool) -> (PathBuf, Run) {
    let dir = TempDir::new("ob3").keep();
    let grades = dir.join("grades.csv");
    fs::write(&grades, GRADES).unwrap();
    let out = dir.join("badges");
    let mut args = vec!["eval", SMALL, "--grades"];
    let (g, o) = (path(&grades), path(&out));
    args.extend([g.as_str(), "--format", "ob3", "-o", o.as_str()]);
    if include_metadata {
        args.push("--include-metadata");
    }
    let run = acquis(&args);
    (out, run)
}

#[test]
fn ob3_credentials_for_validated_blocks_and_certification() {
    let (out, run) = ob3(false);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut files: Vec<String> = Vec::new();
    for candidate in fs::read_dir(&out).unwrap() {
        let candidate = candidate.unwrap();
        if candidate.file_name() == ".acquis-ob3" {
            continue; // the marker of a directory acquis wrote
        }
        for f in fs::read_dir(candidate.path()).unwrap() {
            let f = f.unwrap();
            files.push(format!(
                "{}/{}",
                candidate.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            ));
            let text = fs::read_to_string(f.path()).unwrap();
            assert!(!text.contains("tiers temps"), "personal data leaked");
            let value: Value = serde_json::from_str(&text).unwrap();
            let errors: Vec<String> = ob3_schema()
                .iter_errors(&value)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", f.path().display());
        }
    }
    files.sort();
    assert_eq!(
        files,
        [
            "ANNE/B1.json",
            "ANNE/B2.json",
            "ANNE/certification.json",
            "BOB/B1.json"
        ]
    );
    let b2: Value =
        serde_json::from_str(&fs::read_to_string(out.join("ANNE/B2.json")).unwrap()).unwrap();
    let subject = &b2["credentialSubject"];
    let results = subject["result"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[1]["value"], "12.5");
    assert_eq!(results[3]["status"], "Failed");
    assert_eq!(
        subject["achievement"]["criteria"]["narrative"],
        "B2 est validé lorsque C2.1 est validée et C2.2 est validée."
    );
    insta::assert_snapshot!(
        "ob3_anne_b2",
        fs::read_to_string(out.join("ANNE/B2.json")).unwrap()
    );
}

#[test]
fn ob3_metadata_only_on_request() {
    let (out, run) = ob3(true);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = fs::read_to_string(out.join("ANNE/certification.json")).unwrap();
    assert!(text.contains("tiers temps"));
    assert!(ob3_schema().is_valid(&serde_json::from_str::<Value>(&text).unwrap()));
}

#[test]
fn the_ob3_schema_rejects_a_credential_without_subject() {
    let (out, _) = ob3(false);
    let mut value: Value =
        serde_json::from_str(&fs::read_to_string(out.join("BOB/B1.json")).unwrap()).unwrap();
    value.as_object_mut().unwrap().remove("credentialSubject");
    assert!(!ob3_schema().is_valid(&value));
}

// --------------------------------------------------------------- bad input

/// Runs an import that must fail: exit 1, the message, nothing written.
fn failing(args: &[&str], dir: &Path) -> String {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.extend(["-o".to_string(), path(dir)]);
    let run = acquis(&all);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let left: Vec<_> = fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.iter().all(|n| {
            let n = n.to_string_lossy();
            // Only the inputs the test wrote there.
            n.ends_with(".xml") || n.ends_with(".json") || n.ends_with(".zip")
        }),
        "something was written: {left:?}"
    );
    run.stderr
}

/// A change made to the fixture export to break it.
type Edit = Box<dyn Fn(&str) -> String>;

fn xml_variant(name: &str, edit: impl Fn(&str) -> String) -> (PathBuf, PathBuf) {
    let dir = TempDir::new(name).keep();
    let file = dir.join(format!("{name}.xml"));
    fs::write(&file, edit(&fs::read_to_string(EXPORT).unwrap())).unwrap();
    (dir, file)
}

#[test]
fn bad_rncp_exports_are_reported_with_their_place() {
    let mut messages = Vec::new();
    let cases: Vec<(&str, Edit)> = vec![
        (
            "malformed",
            Box::new(|t| t.replacen("</INTITULE>", "</INTITULEE>", 1)),
        ),
        ("truncated", Box::new(|t| t[..t.len() / 2].to_string())),
        (
            "version",
            Box::new(|t| t.replace("<VERSION_FLUX>4.1<", "<VERSION_FLUX>3.0<")),
        ),
        (
            "empty-bloc",
            Box::new(|t| {
                t.replace("<LISTE_COMPETENCES>&lt;p&gt;C1 Dresser les assiettes&lt;/p&gt;</LISTE_COMPETENCES>", "<LISTE_COMPETENCES></LISTE_COMPETENCES>")
            }),
        ),
        (
            "duplicate-bloc",
            Box::new(|t| t.replace("<CODE>RNCP12345BC02</CODE>", "<CODE>RNCP12345BC01</CODE>")),
        ),
        (
            "duplicate-competency",
            Box::new(|t| t.replace("C2 Désinfecter", "C1 Désinfecter")),
        ),
    ];
    for (name, edit) in cases {
        let (dir, file) = xml_variant(name, edit);
        let fiche = if name.starts_with("duplicate-c") {
            "RNCP12350"
        } else {
            "RNCP12345"
        };
        let stderr = failing(&["import", "rncp", &path(&file), "--fiche", fiche], &dir);
        let name_of_file = format!("{name}.xml:");
        let start = stderr
            .find(&name_of_file)
            .expect("the message names the file");
        messages.push(format!("{name}: {}", stderr[start..].trim()));
    }
    let (dir, _) = xml_variant("missing", |t| t.to_string());
    let stderr = failing(&["import", "rncp", EXPORT, "--fiche", "RNCP12340"], &dir);
    messages.push(format!("missing: {}", stderr.trim()));
    insta::assert_snapshot!("rncp_bad_input", messages.join("\n"));
}

#[test]
fn a_zip_without_xml_or_another_xml_document_is_refused() {
    let dir = TempDir::new("not-rncp");
    let zipped = dir.join("empty.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&zipped).unwrap());
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"no export here").unwrap();
    zip.finish().unwrap();
    let stderr = failing(&["import", "rncp", &path(&zipped), "--fiche", "1"], &dir);
    assert!(stderr.contains("holds no .xml file"), "{stderr}");
    let other = dir.join("other.xml");
    fs::write(
        &other,
        "<?xml version=\"1.0\"?>\n<CATALOGUE><FICHE/></CATALOGUE>\n",
    )
    .unwrap();
    let stderr = failing(&["import", "rncp", &path(&other), "--fiche", "1"], &dir);
    assert!(
        stderr.contains("other.xml:2:1: error: not an RNCP export"),
        "{stderr}"
    );
}

#[test]
fn bad_case_packages_are_reported_with_their_place() {
    let mut messages = Vec::new();
    let good = fs::read_to_string(FOREIGN).unwrap();
    let cases = [
        (
            "malformed",
            good.replacen("\"title\": \"Digital", "\"title\" \"Digital", 1),
        ),
        (
            "version",
            good.replace("\"caseVersion\": \"1.1\"", "\"caseVersion\": \"1.0\""),
        ),
        ("no-document", "{\"CFItems\": []}".to_string()),
        (
            "duplicate-code",
            good.replace(
                "\"humanCodingScheme\": \"1.2\"",
                "\"humanCodingScheme\": \"1.1\"",
            ),
        ),
    ];
    for (name, text) in cases {
        let dir = TempDir::new(name);
        let file = dir.join(format!("{name}.json"));
        fs::write(&file, text).unwrap();
        let stderr = failing(&["import", "case", &path(&file)], &dir);
        let start = stderr.find(&format!("{name}.json")).unwrap();
        messages.push(format!("{name}: {}", stderr[start..].trim()));
    }
    insta::assert_snapshot!("case_bad_input", messages.join("\n"));
}

// -------------------------------------------------------------- properties

/// Applies byte edits (position, kind) to a text.
fn mutate(original: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for &(at, kind, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, byte),
            2 => bytes[at] = byte,
            _ => bytes.truncate(at),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn importing_a_mutated_rncp_export_never_panics(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), prop::sample::select(b"<>/&;\"' \nAC1.".to_vec())), 1..6)
    ) {
        let dir = TempDir::new("prop-rncp");
        let file = dir.join("mutated.xml");
        fs::write(&file, mutate(&fs::read(EXPORT).unwrap(), &edits)).unwrap();
        let run = acquis(&["import", "rncp", &path(&file), "--fiche", "RNCP39583", "-o", &path(&dir)]);
        prop_assert!(run.code == Some(0) || run.code == Some(1), "{}", run.stderr);
        let list = acquis(&["import", "rncp", &path(&file), "--list"]);
        prop_assert!(list.code == Some(0) || list.code == Some(1));
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn importing_a_mutated_case_package_never_panics(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), prop::sample::select(b"{}[]\",:1 ".to_vec())), 1..6)
    ) {
        let dir = TempDir::new("prop-case");
        let file = dir.join("mutated.json");
        fs::write(&file, mutate(&fs::read(FOREIGN).unwrap(), &edits)).unwrap();
        let run = acquis(&["import", "case", &path(&file), "-o", &path(&dir)]);
        prop_assert!(run.code == Some(0) || run.code == Some(1), "{}", run.stderr);
        let _ = fs::remove_dir_all(dir);
    }
}

/// Runs `acquis eval SMALL --format ob3 -o out` on `grades`.
fn ob3_run(dir: &Path, grades: &str) -> (PathBuf, Run) {
    let file = dir.join("grades.csv");
    fs::write(&file, grades).unwrap();
    let out = dir.join("badges");
    let (g, o) = (path(&file), path(&out));
    let run = acquis(&["eval", SMALL, "--grades", &g, "--format", "ob3", "-o", &o]);
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

/// Nothing but `badges` and the grades: no staging directory left behind.
fn no_leftovers(dir: &Path) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names == ["badges", "grades.csv"] || names == ["grades.csv"],
        "{names:?}"
    );
}

#[test]
fn ob3_candidates_whose_names_collide_get_distinct_folders() {
    let dir = TempDir::new("ob3-collide");
    // `A/B` and `A_B` sanitize alike; `anne` and `ANNE` differ only in case;
    // `..` must not escape DIR.
    let mut grades = String::from("candidate,criterion,grade\n");
    for who in ["A/B", "A_B", "anne", "ANNE", ".."] {
        grades.push_str(&format!("{who},E1/CE1,acquis\n{who},E1/CE2,acquis\n"));
    }
    let (out, run) = ob3_run(&dir, &grades);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let files = ob3_files(&out);
    assert_eq!(files.len(), 5, "{files:?}");
    let mut lower: Vec<String> = files.iter().map(|f| f.to_lowercase()).collect();
    lower.dedup();
    assert_eq!(lower.len(), 5, "case-insensitive collision: {files:?}");
    assert!(files.contains(&"A_B/B1.json".to_string()), "{files:?}");
    assert!(files.iter().all(|f| !f.starts_with('.')), "{files:?}");
    // Stable: the same run gives the same names.
    let (_, again) = ob3_run(&dir, &grades);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(ob3_files(&out), files);
    no_leftovers(&dir);
}

#[test]
fn ob3_a_second_run_replaces_the_first_and_leaves_no_stale_credential() {
    let dir = TempDir::new("ob3-rerun");
    let (out, run) = ob3_run(&dir, GRADES);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(out.join("ANNE/certification.json").is_file());
    // ANNE's C2.1 marks are corrected below the pass mark: no longer certified.
    let corrected = GRADES
        .replace("ANNE,C2.1/CE1,14", "ANNE,C2.1/CE1,4")
        .lines()
        .filter(|l| !l.starts_with("BOB"))
        .collect::<Vec<_>>()
        .join("\n");
    let (_, run) = ob3_run(&dir, &corrected);
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
    let (_, run) = ob3_run(&dir, GRADES);
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
    let (out, run) = ob3_run(&dir, &grades);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("BOB"), "{}", run.stderr);
    assert_eq!(
        ob3_files(&out),
        ["ANNE/B1.json", "ANNE/B2.json", "ANNE/certification.json"]
    );
    no_leftovers(&dir);
}

#[test]
fn ob3_certification_description_is_the_whole_first_paragraph() {
    let (out, run) = ob3(false);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let cert: Value =
        serde_json::from_str(&fs::read_to_string(out.join("ANNE/certification.json")).unwrap())
            .unwrap();
    assert_eq!(
        cert["credentialSubject"]["achievement"]["description"],
        "A small referential for the IR snapshot test: two blocks, four \
         competencies, a shared `jointly` section, a numeric scale with a \
         compensation rule, a named rule with parameters and an example."
    );
}

// ------------------------------------------------------ CASE import checks

const REVIEW: &str = "tests/fixtures/case/review";

/// `acquis import case` on a copy of `package`: the run and the directory.
fn import_case_value(package: &Value) -> (Run, PathBuf) {
    let dir = TempDir::new("case-import").keep();
    let file = dir.join("package.json");
    fs::write(&file, serde_json::to_string(package).unwrap()).unwrap();
    let out = dir.join("out");
    let run = acquis(&["import", "case", &path(&file), "-o", &path(&out)]);
    (run, out)
}

fn cuisine_package() -> Value {
    let run = acquis(&["export", "case", CUISINE]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn case_import_refuses_rules_that_are_not_one_expression() {
    let injections = [
        "B1 validated\nimport \"/etc/passwd\"",
        "all blocks validated } block EVIL \"x\" { ",
        "all blocks validated // hidden",
    ];
    for rule in injections {
        let mut package = cuisine_package();
        package["extensions"]["acquis"]["certification"]["rule"] = rule.into();
        let (run, out) = import_case_value(&package);
        assert_eq!(run.code, Some(1), "{rule:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("`extensions.acquis.certification.rule` is not one rule expression"),
            "{}",
            run.stderr
        );
        assert!(!out.exists(), "written despite {rule:?}");
    }
    // An item's rule is named by its JSON path.
    let mut package = cuisine_package();
    let index = package["CFItems"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i.pointer("/extensions/acquis/rule").is_some())
        .unwrap();
    package["CFItems"][index]["extensions"]["acquis"]["rule"] = "C1 validated } block X {".into();
    let (run, _) = import_case_value(&package);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "`CFItems[{index}].extensions.acquis.rule` is not one rule expression"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn case_import_checks_what_it_writes_as_source_and_escapes_strings() {
    let cases: [(&str, Value, &str); 5] = [
        (
            "/extensions/acquis/scales/0/pass",
            "acquis }\nblock X {".into(),
            "`extensions.acquis.scales[0].pass` is not a level or a number",
        ),
        (
            "/extensions/acquis/assessments/0/id",
            "E1 \"x\" {}\nblock Y".into(),
            "`extensions.acquis.assessments[0].id` is not an identifier",
        ),
        (
            "/extensions/acquis/assessments/0/accommodations/0/value",
            "1/3 for oral }".into(),
            "`extensions.acquis.assessments[0].accommodations[0].value` is not a number",
        ),
        (
            "/extensions/acquis/scales",
            Value::from(5),
            "`extensions.acquis.scales` must be a list of scales, not 5",
        ),
        (
            "/extensions/acquis/version",
            Value::from(2),
            "`extensions.acquis.version` is 2; this acquis reads version 1",
        ),
    ];
    for (pointer, value, message) in cases {
        let mut package = cuisine_package();
        *package.pointer_mut(pointer).unwrap() = value;
        let (run, out) = import_case_value(&package);
        assert_eq!(run.code, Some(1), "{pointer}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{pointer}: {}", run.stderr);
        assert!(!out.exists());
    }
    // Texts are string literals, escaped: a title cannot close its string,
    // a title in a comment cannot end the comment.
    let mut package: Value = serde_json::from_str(&fs::read_to_string(FOREIGN).unwrap()).unwrap();
    package["CFDocument"]["title"] = "T\" }\nblock EVIL \"x\" {".into();
    package["CFItems"][0]["fullStatement"] = "S\"\n} block EVIL2 {".into();
    let (run, out) = import_case_value(&package);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let file = out.join("referential.acquis");
    let text = fs::read_to_string(&file).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("block EVIL")), "{text}");
    assert_eq!(check(&file).0, 0);
}

#[test]
fn case_import_reports_bad_packages_by_json_path() {
    let cases = [
        ("nover.json", "`CFDocument.caseVersion` is missing"),
        ("numstmt.json", "`CFItems[0].fullStatement` must be a string, not 5"),
        (
            "cycle.json",
            "form a cycle (each item the child of the next): `CFItems[0]` (1 \"Bloc 1\") → `CFItems[2]`",
        ),
        ("self.json", "`i1` is its own parent"),
    ];
    for (file, message) in cases {
        let dir = TempDir::new("case-bad");
        let stderr = failing(&["import", "case", &format!("{REVIEW}/{file}")], &dir);
        assert!(stderr.contains(message), "{file}: {stderr}");
    }
}

#[test]
fn case_import_warns_about_the_associations_it_ignores() {
    for (file, message) in [
        (
            "twoparents.json",
            "`CFAssociations[2]` is ignored: `CFItems[2]`",
        ),
        (
            "dangling.json",
            "its destination `zzz` is not an item of the package",
        ),
    ] {
        let dir = TempDir::new("case-warn");
        let out = dir.join("out");
        let run = acquis(&[
            "import",
            "case",
            &format!("{REVIEW}/{file}"),
            "-o",
            &path(&out),
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.stderr.contains("warning: "), "{file}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{file}: {}", run.stderr);
        let (errors, _) = check(&out.join("referential.acquis"));
        assert_eq!(errors, 0, "{file}");
    }
}

#[test]
fn case_import_of_a_lone_item_passes_check_with_only_the_placeholder_warning() {
    let dir = TempDir::new("case-lone");
    let out = dir.join("out");
    let run = acquis(&[
        "import",
        "case",
        &format!("{REVIEW}/blockonly.json"),
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let file = out.join("referential.acquis");
    assert_eq!(check(&file), (0, vec!["A0406".to_string()]));
    // The skeleton is in canonical form.
    let fmt = acquis(&["fmt", "--check", &path(&file)]);
    assert_eq!(fmt.code, Some(0), "{}{}", fmt.stdout, fmt.stderr);
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

#[test]
fn imported_skeletons_are_in_canonical_form() {
    let (run, file) = import_rncp(EXPORT, "RNCP39583");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let fmt = acquis(&["fmt", "--check", &path(&file)]);
    assert_eq!(fmt.code, Some(0), "{}{}", fmt.stdout, fmt.stderr);
    let dir = TempDir::new("case-canonical");
    let run = acquis(&["import", "case", FOREIGN, "-o", &path(&dir)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let fmt = acquis(&["fmt", "--check", &path(&dir.join("referential.acquis"))]);
    assert_eq!(fmt.code, Some(0), "{}{}", fmt.stdout, fmt.stderr);
}

#[test]
fn moodle_leaves_out_a_scale_too_fine_to_list() {
    let dir = TempDir::new("moodle-fine");
    let file = dir.join("fine.acquis");
    fs::write(
        &file,
        "referential R \"R\" {\n  level 3\n}\n\nscale fine \"fine\" {\n  range 0 .. 100000000 step 0.001\n  pass 10\n}\n\n\
         defaults {\n  criterion scale fine\n  block validated when all competencies validated\n  \
         competency validated when all criteria acquired\n}\n\nblock B1 \"B\" {\n  competency C1 \"c\" {\n    \
         criterion CE1 \"a\"\n  }\n\n  assessment E1 \"x\" {\n    covers C1\n  }\n}\n\n\
         certification validated when all blocks validated\n",
    )
    .unwrap();
    let run = acquis(&["export", "moodle", &path(&file)]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the scale `fine` has 100000000001 values, more than the 1000"),
        "{}",
        run.stderr
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let framework = reader.records().next().unwrap().unwrap();
    assert_eq!(&framework[5], "", "no scale values");
}

#[test]
fn moodle_reads_a_count_of_proficient_children_as_n_of_m() {
    let (text, warnings) = moodle(CUISINE);
    assert!(!warnings.contains("`B2`"), "{warnings}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let b2 = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[1] == "B2")
        .unwrap();
    assert_eq!(&b2[7], "core_competency\\competency_rule_points");
    let config: Value = serde_json::from_str(&b2[9]).unwrap();
    assert_eq!(config["base"]["points"], 2);
    let required: Vec<bool> = config["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["required"].as_bool().unwrap())
        .collect();
    assert_eq!(required, [false, true, false], "C2.2 validated is required");
}

// ------------------------------------------------------ RNCP review fixes

const REVIEW_RNCP: &str = "tests/fixtures/rncp/review.xml";

#[test]
fn rncp_review_fixture_gives_a_clean_skeleton() {
    let (run, file) = import_rncp(REVIEW_RNCP, "77777");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // An impossible date is kept as written, with a warning.
    assert!(
        run.stderr.contains(
            "warning: `31/02/2024` (DATE_EFFET) is not a date dd/mm/yyyy: kept as written"
        ),
        "{}",
        run.stderr
    );
    // The fiche number given twice is flagged.
    assert!(
        run.stderr
            .contains("review.xml:33:3: warning: fiche `RNCP77777` appears twice"),
        "{}",
        run.stderr
    );
    let text = fs::read_to_string(&file).unwrap();
    // Titles go through the HTML decoder.
    assert!(
        text.contains("referential RNCP77777 \"Technicien développeur\""),
        "{text}"
    );
    assert!(
        text.contains("block RNCP77777BC01 \"Concevoir & développer\""),
        "{text}"
    );
    // Headings and sub-headings are not competencies; the explicit code
    // keeps C1.1 and numbering goes around it.
    assert!(!text.contains("Compétences attestées"), "{text}");
    assert!(!text.contains("Savoir"), "{text}");
    assert!(
        text.contains("competency C1.2 \"Analyser le besoin\""),
        "{text}"
    );
    assert!(
        text.contains("competency C1.1 \"Concevoir la solution\""),
        "{text}"
    );
    assert!(
        text.contains("competency C1.3 \"Travailler en équipe\""),
        "{text}"
    );
    // Only the explicit statement is an equivalence.
    assert_eq!(text.matches("kind \"équivalence\"").count(), 1, "{text}");
    assert!(text.contains("Validation par équivalence du bloc RNCP77777BC03"));
    let (errors, warnings) = check(&file);
    assert_eq!(errors, 0);
    assert_eq!(warnings, vec!["A0406"; 5]);
    let fmt = acquis(&["fmt", "--check", &path(&file)]);
    assert_eq!(fmt.code, Some(0), "{}{}", fmt.stdout, fmt.stderr);
    let list = acquis(&["import", "rncp", REVIEW_RNCP, "--list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    assert!(list.stderr.contains("appears twice"), "{}", list.stderr);
}

#[test]
fn rncp_word_html_loses_comments_styles_and_symbol_bullets() {
    let (run, file) = import_rncp("tests/fixtures/rncp/word.xml", "RNCP55555");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("competency C1.1 \"Analyser\""), "{text}");
    assert!(text.contains("competency C1.2 \"Concevoir\""), "{text}");
    assert!(text.contains("task \"Écrit 2h coef 2\""), "{text}");
    assert!(text.contains("task \"Oral\""), "{text}");
    for word in ["mso", "Zoom", "MsoNormal", "§", "·"] {
        assert!(!text.contains(word), "{word} in {text}");
    }
}

#[test]
fn rncp_zip_skips_macos_forks_and_picks_the_export() {
    let dir = TempDir::new("rncp-zip-pick");
    let zipped = dir.join("export.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&zipped).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    // Names sorting before the export: a fork and an unrelated XML file.
    zip.start_file("A_LIRE/schema.xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><schema/>").unwrap();
    zip.start_file("__MACOSX/._export.xml", options).unwrap();
    zip.write_all(b"\x00\x05\x16\x07").unwrap();
    zip.start_file("export.xml", options).unwrap();
    zip.write_all(&fs::read(EXPORT).unwrap()).unwrap();
    zip.finish().unwrap();
    let list = acquis(&["import", "rncp", &path(&zipped), "--list"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    assert_eq!(list.stdout.lines().count(), 3);
}

#[test]
fn rncp_refuses_what_it_cannot_read_up_front() {
    let dir = TempDir::new("rncp-upfront");
    let stderr = failing(&["import", "rncp", EXPORT, "--fiche", "abc"], &dir);
    assert!(stderr.contains("`abc` is not a fiche number"), "{stderr}");
    let latin = dir.join("latin1.xml");
    fs::write(
        &latin,
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX></FICHES>\n",
    )
    .unwrap();
    let stderr = failing(&["import", "rncp", &path(&latin), "--fiche", "1"], &dir);
    assert!(
        stderr.contains("the export is declared in ISO-8859-1; only UTF-8 exports are read"),
        "{stderr}"
    );
    // One fiche: "1 fiche", not "1 fiches".
    let one = dir.join("one.xml");
    fs::write(
        &one,
        "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE></FICHES>",
    )
    .unwrap();
    let stderr = failing(&["import", "rncp", &path(&one), "--fiche", "2"], &dir);
    assert!(stderr.contains("(1 fiche)"), "{stderr}");
}

#[test]
fn case_export_writes_only_valid_date_times() {
    let dir = TempDir::new("case-date");
    let source = fs::read_to_string(SMALL).unwrap();
    for (given, expected, warned) in [
        ("hier", "1970-01-01T00:00:00Z", true),
        ("2025-02-30", "1970-01-01T00:00:00Z", true),
        ("2025-03-01", "2025-03-01T00:00:00Z", false),
        (
            "2025-03-01T10:20:30+01:00",
            "2025-03-01T10:20:30+01:00",
            false,
        ),
    ] {
        let file = dir.join("small.acquis");
        fs::write(
            &file,
            source.replace(
                "  lang fr\n",
                &format!("  lang fr\n  meta last_change \"{given}\"\n"),
            ),
        )
        .unwrap();
        let run = acquis(&["export", "case", &path(&file)]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(
            run.stderr.contains("warning: `meta last_change"),
            warned,
            "{given}: {}",
            run.stderr
        );
        let package: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            package["CFDocument"]["lastChangeDateTime"], expected,
            "{given}"
        );
        let errors: Vec<String> = case_schema()
            .iter_errors(&package)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{given}: {errors:#?}");
    }
}
