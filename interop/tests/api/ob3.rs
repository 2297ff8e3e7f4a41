//! Open Badges 3.0 credentials (docs/interop.md): one per validated block
//! and one for the validated certification, against 1EdTech's JSON Schemas
//! (the current one on VC 2.0, the earlier one on VC 1.1), expanded by
//! jsonld.js in safe mode with local copies of the contexts, what they say,
//! and the JSON lines of standard output.

use std::path::{Path, PathBuf};
use std::process::Command;

use acquis_eval::{Grades, Plan};
use acquis_interop::ob3::{self, Credential, CredentialOut, Options, VcVersion};
use acquis_ir::Ir;
use serde_json::Value;

use crate::{ir, ob3_schema, ob3_schema_vc1, schema_errors, workspace, TempDir, SMALL};

/// The issuance date `SOURCE_DATE_EPOCH=1767225600` gives.
const ISSUED: &str = "2026-01-01T00:00:00Z";

/// ANNE passes everything; BOB fails C2.1 (marks under 8), so only B1.
/// (candidate, criterion, grade); ANNE's rows have `handicap: tiers temps`.
const GRADES: [(&str, &str, &str); 11] = [
    ("ANNE", "E1/CE1", "acquis"),
    ("ANNE", "E1/CE2", "acquis"),
    ("ANNE", "C2.1/CE1", "14"),
    ("ANNE", "C2.1/CE2", "12.5"),
    ("ANNE", "C2.2/CE1", "acquis"),
    ("ANNE", "C2.2/CE2", "en_cours"),
    ("ANNE", "C2.2/CE3", "acquis"),
    ("BOB", "E1/CE1", "acquis"),
    ("BOB", "E1/CE2", "acquis"),
    ("BOB", "C2.1/CE1", "6"),
    ("BOB", "C2.1/CE2", "7"),
];

/// The credentials of ANNE and BOB on the small referential, in order, on
/// VC 2.0.
fn credentials(ir: &Ir, include_metadata: bool) -> Vec<Credential> {
    credentials_with(
        ir,
        &Options {
            include_metadata,
            vc: VcVersion::V2_0,
        },
    )
}

fn credentials_with(ir: &Ir, options: &Options) -> Vec<Credential> {
    let plan = Plan::new(ir);
    let mut out = Vec::new();
    for candidate in ["ANNE", "BOB"] {
        let mut grades = Grades::new(&plan);
        for (_, criterion, grade) in GRADES.iter().filter(|g| g.0 == candidate) {
            grades.set(&plan, criterion, grade).unwrap();
        }
        let outcomes = plan.evaluate(&grades);
        let metadata = if candidate == "ANNE" {
            vec![("handicap".to_string(), "tiers temps".to_string())]
        } else {
            Vec::new()
        };
        out.extend(ob3::credentials(
            &plan,
            candidate,
            &metadata,
            &grades,
            Some(&outcomes),
            options,
            ISSUED,
        ));
    }
    out
}

/// A credential's file as the directory writes it.
fn file_text(c: &Credential) -> String {
    serde_json::to_string_pretty(&c.credential).unwrap() + "\n"
}

fn find<'a>(all: &'a [Credential], path: &str) -> &'a Credential {
    all.iter().find(|c| c.path() == path).unwrap()
}

#[test]
fn ob3_credentials_for_validated_blocks_and_certification() {
    let all = credentials(ir(SMALL), false);
    let schema = ob3_schema();
    for c in &all {
        let text = file_text(c);
        assert!(!text.contains("tiers temps"), "personal data leaked");
        let errors = schema_errors(schema, &c.credential);
        assert!(errors.is_empty(), "{}: {errors:#?}", c.path());
    }
    let mut files: Vec<String> = all.iter().map(Credential::path).collect();
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
    let b2 = find(&all, "ANNE/B2.json");
    let subject = &b2.credential["credentialSubject"];
    let results = subject["result"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[1]["value"], "12.5");
    assert_eq!(results[3]["status"], "Failed");
    assert_eq!(
        subject["achievement"]["criteria"]["narrative"],
        "B2 est validé lorsque C2.1 est validée et C2.2 est validée."
    );
    insta::assert_snapshot!("ob3_anne_b2", file_text(b2));
}

#[test]
fn ob3_metadata_only_on_request() {
    let all = credentials(ir(SMALL), true);
    let certification = find(&all, "ANNE/certification.json");
    assert!(file_text(certification).contains("tiers temps"));
    assert!(ob3_schema().is_valid(&certification.credential));
}

#[test]
fn the_ob3_schema_rejects_a_credential_without_subject() {
    let all = credentials(ir(SMALL), false);
    let mut value = find(&all, "BOB/B1.json").credential.clone();
    value.as_object_mut().unwrap().remove("credentialSubject");
    assert!(!ob3_schema().is_valid(&value));
}

#[test]
fn ob3_certification_description_is_the_whole_first_paragraph() {
    let all = credentials(ir(SMALL), false);
    let cert = &find(&all, "ANNE/certification.json").credential;
    assert_eq!(
        cert["credentialSubject"]["achievement"]["description"],
        "A small referential for the IR snapshot test: two blocks, four \
         competencies, a shared `jointly` section, a numeric scale with a \
         compensation rule, a named rule with parameters and an example."
    );
}

#[test]
fn a_candidate_in_error_gets_no_credential() {
    let plan = Plan::new(ir(SMALL));
    let grades = Grades::new(&plan);
    let none = ob3::credentials(
        &plan,
        "BOB",
        &[],
        &grades,
        None,
        &Options::default(),
        ISSUED,
    );
    assert!(none.is_empty());
}

/// Without a directory, each credential is one JSON line naming its file.
#[test]
fn ob3_lines_name_the_file_of_each_credential() {
    let all = credentials(ir(SMALL), false);
    let mut out: Vec<u8> = Vec::new();
    out.put(&all).unwrap();
    out.finish().unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), all.len());
    for (line, c) in lines.iter().zip(&all) {
        let expected = serde_json::json!({ "file": c.path(), "credential": c.credential });
        assert_eq!(*line, expected.to_string());
        let read: Value = serde_json::from_str(line).unwrap();
        assert_eq!(read, expected);
    }
}

/// VC 2.0 by default: the contexts OB 3.0.3 names, `validFrom` only (under
/// the v2 context `issuanceDate` is undefined and safe mode rejects it),
/// the schema entry, and the language as `inLanguage` on the achievement.
#[test]
fn ob3_credentials_are_on_vc_2_by_default() {
    let all = credentials(ir(SMALL), false);
    let b1 = &find(&all, "ANNE/B1.json").credential;
    assert_eq!(
        b1["@context"],
        serde_json::json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
        ])
    );
    assert_eq!(b1["validFrom"], ISSUED);
    assert!(b1.get("issuanceDate").is_none());
    assert_eq!(
        b1["credentialSchema"][0]["type"],
        "1EdTechJsonSchemaValidator2019"
    );
    let achievement = &b1["credentialSubject"]["achievement"];
    assert_eq!(achievement["inLanguage"], "fr");
    assert!(achievement.get("@language").is_none());
}

/// `--vc 1.1`: the VC 1.1 context and `issuanceDate`, valid against the
/// earlier (VC 1.1) schema; no `credentialSchema`, since the schema at that
/// address now requires VC 2.0 and would reject the credential.
#[test]
fn ob3_credentials_on_vc_1_1_on_request() {
    let all = credentials_with(
        ir(SMALL),
        &Options {
            include_metadata: false,
            vc: VcVersion::V1_1,
        },
    );
    assert_eq!(all.len(), 4);
    for c in &all {
        let v = &c.credential;
        assert_eq!(v["@context"][0], "https://www.w3.org/2018/credentials/v1");
        assert_eq!(v["issuanceDate"], ISSUED);
        assert!(v.get("validFrom").is_none(), "{}", c.path());
        assert!(v.get("credentialSchema").is_none(), "{}", c.path());
        let errors = schema_errors(ob3_schema_vc1(), v);
        assert!(errors.is_empty(), "{}: {errors:#?}", c.path());
        assert!(
            !ob3_schema().is_valid(v),
            "the current schema requires VC 2.0"
        );
    }
}

/// What acquis wrote before (VC 1.1 context, both dates) fails 1EdTech's
/// current schema: the test would have caught it.
#[test]
fn the_current_ob3_schema_rejects_the_vc_1_1_context() {
    let all = credentials(ir(SMALL), false);
    let mut old = find(&all, "BOB/B1.json").credential.clone();
    old["@context"] = serde_json::json!([
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
    ]);
    assert!(!ob3_schema().is_valid(&old));
}

/// 1EdTech's own sample credentials (from its validator's tests,
/// tests/fixtures/real/ob3-1edtech-validator) pass the schema copy: the
/// schema and the validator read it as 1EdTech does.
#[test]
fn the_ob3_schema_accepts_1edtechs_samples() {
    for sample in ["complete.json", "simple.json"] {
        let path = format!("tests/fixtures/real/ob3-1edtech-validator/{sample}");
        let value: Value = serde_json::from_str(&crate::read(&path)).unwrap();
        let errors = schema_errors(ob3_schema(), &value);
        assert!(errors.is_empty(), "{sample}: {errors:#?}");
    }
}

/// The contexts, served from tests/schemas/contexts only: nothing is
/// fetched.
const CONTEXTS: [(&str, &str); 4] = [
    (
        "https://www.w3.org/ns/credentials/v2",
        "credentials-v2.jsonld",
    ),
    (
        "https://www.w3.org/2018/credentials/v1",
        "credentials-v1.jsonld",
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "ob-v3p0-context-3.0.3.json",
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "ob-v3p0-extensions.json",
    ),
];

/// Each file expanded by jsonld.js in safe mode (tests/browser/jsonld-expand.mjs):
/// the expanded document, or the error. Fails, never skips, without node or
/// the npm packages of tests/browser, saying to run scripts/test.
fn expand_safe(files: &[PathBuf]) -> Vec<Result<Value, String>> {
    let help = "run scripts/test, which installs the npm packages of tests/browser";
    let jsonld = workspace("tests/browser/node_modules/jsonld");
    assert!(jsonld.is_dir(), "{} is missing: {help}", jsonld.display());
    let mut command = Command::new("node");
    command.arg(workspace("tests/browser/jsonld-expand.mjs"));
    for (url, file) in CONTEXTS {
        let path = workspace("tests/schemas/contexts").join(file);
        command.arg(format!("{url}={}", path.display()));
    }
    command.arg("--").args(files);
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("node cannot be run ({e}): {help}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len());
    lines
        .into_iter()
        .map(|l| match l.get("error") {
            Some(e) => Err(e.as_str().unwrap().to_string()),
            None => Ok(l["expanded"].clone()),
        })
        .collect()
}

/// Writes each credential to `dir`, named after its path.
fn write_all(dir: &Path, credentials: &[&Value], tag: &str) -> Vec<PathBuf> {
    credentials
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let file = dir.join(format!("{tag}-{i}.json"));
            std::fs::write(&file, serde_json::to_string(c).unwrap()).unwrap();
            file
        })
        .collect()
}

/// Every IRI and keyword of an expanded document, to check what the terms
/// became.
fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                if k == "@type" {
                    for t in v.as_array().into_iter().flatten() {
                        out.push(format!("@type {}", t.as_str().unwrap_or_default()));
                    }
                }
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

/// Every credential, on VC 2.0 and on VC 1.1, expands in JSON-LD safe mode
/// (an undefined term or a relative type is an error there, as in signing
/// libraries), and the terms mean what they should: the date, the schema
/// validator's type from 1EdTech's extensions context, the language as
/// schema.org's `inLanguage`.
#[test]
fn ob3_credentials_expand_in_json_ld_safe_mode() {
    let dir = TempDir::new("ob3-jsonld");
    let v2 = credentials(ir(SMALL), true);
    let v1 = credentials_with(
        ir(SMALL),
        &Options {
            include_metadata: false,
            vc: VcVersion::V1_1,
        },
    );
    let mut files = write_all(
        &dir.0,
        &v2.iter().map(|c| &c.credential).collect::<Vec<_>>(),
        "v2",
    );
    files.extend(write_all(
        &dir.0,
        &v1.iter().map(|c| &c.credential).collect::<Vec<_>>(),
        "v1",
    ));
    let results = expand_safe(&files);
    for (file, result) in files.iter().zip(&results) {
        let expanded = result
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut all = Vec::new();
        keys(expanded, &mut all);
        let v2 = file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("v2");
        let date = if v2 {
            "https://www.w3.org/2018/credentials#validFrom"
        } else {
            "https://www.w3.org/2018/credentials#issuanceDate"
        };
        assert!(all.iter().any(|k| k == date), "{}", file.display());
        assert!(
            all.iter().any(|k| k == "https://schema.org/inLanguage"),
            "{}",
            file.display()
        );
        assert_eq!(
            all.iter()
                .any(|k| k
                    == "@type https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019"),
            v2,
            "{}",
            file.display()
        );
    }
}

/// The harness tells a defect from a good credential: what acquis wrote
/// before (the schema validator's type without the extensions context)
/// fails in safe mode with the relative `@type` error, and 1EdTech's own
/// sample credential expands.
#[test]
fn json_ld_safe_mode_rejects_what_acquis_wrote_before() {
    let dir = TempDir::new("ob3-jsonld-old");
    let all = credentials(ir(SMALL), false);
    let mut old = find(&all, "BOB/B1.json").credential.clone();
    old["@context"] = serde_json::json!([
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ]);
    old["issuanceDate"] = old["validFrom"].clone();
    let mut files = write_all(&dir.0, &[&old], "old");
    files.push(workspace(
        "tests/fixtures/real/ob3-1edtech-validator/complete.json",
    ));
    let results = expand_safe(&files);
    let error = results[0].as_ref().unwrap_err();
    assert!(
        error.contains("relative @type reference")
            && error.contains("1EdTechJsonSchemaValidator2019"),
        "{error}"
    );
    assert!(results[1].is_ok(), "{:?}", results[1]);
}

/// A block acquired by equivalence and a title awarded by a jury say so in
/// the credential's evidence (valid against 1EdTech's schema); a result
/// whose validity is over gives no credential.
#[test]
fn ob3_evidence_of_a_record() {
    use acquis_eval::record::{Fact, FactKind, Variants};
    let compiled = acquis_compiler::compile_str(
        "r.acquis",
        r#"
referential R "Diplôme d'État" { lang fr }
scale note "Note sur 20" { range 0 .. 20 pass 10 }
defaults { criterion scale note }
block DC1 "Domaine 1" {
  assessment E1 "Épreuves 1" { part ecrit "Écrit" part oral "Oral" validated when average(parts) >= 10 }
  validated when E1 validated
}
block DC2 "Domaine 2" {
  assessment E2 "Épreuves 2" { part ecrit "Écrit" validated when average(parts) >= 10 }
  validated when E2 validated
}
certification validated when all blocks validated
equivalence DEASS "Diplôme d'État d'assistant de service social" { grants DC2 }
keep blocks for 5 years
jury may decide certification
"#,
    );
    let ir = compiled.ir.unwrap();
    let plan = Plan::new(&ir);
    let fact = |kind, entity: &str, value: &str, date: &str| Fact {
        kind,
        entity: entity.into(),
        value: value.into(),
        date: date.into(),
        author: "Jury régional".into(),
        justification: "Dossier examiné en séance".into(),
        line: 1,
        column: None,
        file: None,
        implied: false,
    };
    let session = acquis_ir::Session::parse("2026-06").ok();
    let issue = |facts: &[Fact], grades: &[(&str, &str)]| {
        let mut g = Grades::new(&plan);
        for (id, v) in grades {
            g.set(&plan, id, v).unwrap();
        }
        let (record, problems) = plan.resolve_record("C", facts, session);
        assert!(problems
            .iter()
            .all(|p| p.code.severity() != acquis_diagnostics::Severity::Error));
        let variants = Variants::new(&ir, [&record.exclusions(&ir)]);
        assert!(variants.plans().is_empty());
        let (merged, outcomes) = plan.evaluate_record(&plan, &g, &record);
        ob3::credentials(
            &plan,
            "C",
            &[],
            &merged,
            Some(&outcomes),
            &Options::default(),
            ISSUED,
        )
    };
    let all = issue(
        &[
            fact(FactKind::Holds, "DEASS", "", ""),
            fact(
                FactKind::Decision,
                "certification",
                "validated",
                "2026-07-01",
            ),
        ],
        &[("E1/ecrit", "12"), ("E1/oral", "9")],
    );
    let paths: Vec<String> = all.iter().map(Credential::path).collect();
    assert_eq!(paths, ["C/DC1.json", "C/DC2.json", "C/certification.json"]);
    for c in &all {
        let errors = schema_errors(ob3_schema(), &c.credential);
        assert!(errors.is_empty(), "{}: {errors:#?}", c.path());
    }
    assert!(find(&all, "C/DC1.json")
        .credential
        .get("evidence")
        .is_none());
    let dc2 = &find(&all, "C/DC2.json").credential["evidence"][0];
    assert_eq!(dc2["name"], "Acquis par équivalence");
    assert!(dc2["narrative"]
        .as_str()
        .unwrap()
        .contains("Diplôme d'État d'assistant de service social"));
    let title = &find(&all, "C/certification.json").credential["evidence"][0];
    assert_eq!(title["name"], "Décision du jury");
    assert!(title["narrative"]
        .as_str()
        .unwrap()
        .contains("Jury régional, 2026-07-01"));
    // DC2 validated in 2020: expired in 2025, no credential for it.
    let expired = issue(
        &[fact(FactKind::Result, "DC2", "validated", "2020-06")],
        &[("E1/ecrit", "12"), ("E1/oral", "9")],
    );
    let paths: Vec<String> = expired.iter().map(Credential::path).collect();
    assert_eq!(paths, ["C/DC1.json"]);
}

/// A block decided by its épreuve reports the épreuve's marks: each part
/// as a value with no status (a compensated 9 is a mark, not a failure),
/// valid against 1EdTech's schema.
#[test]
fn ob3_a_block_decided_by_its_epreuve_reports_its_marks() {
    let compiled = acquis_compiler::compile_str(
        "r.acquis",
        r#"
referential R "Diplôme d'État" { lang fr }
scale note "Note sur 20" { range 0 .. 20 pass 10 }
defaults { criterion scale note }
block DC1 "Domaine 1" {
  assessment E1 "Épreuves 1" { part ecrit "Écrit" part oral "Oral" validated when average(parts) >= 10 }
  validated when E1 validated
}
certification validated when all blocks validated
"#,
    );
    let ir = compiled.ir.unwrap();
    let plan = Plan::new(&ir);
    let mut g = Grades::new(&plan);
    g.set(&plan, "E1/ecrit", "12").unwrap();
    g.set(&plan, "E1/oral", "9").unwrap();
    let outcomes = plan.evaluate(&g);
    let all = ob3::credentials(
        &plan,
        "C",
        &[],
        &g,
        Some(&outcomes),
        &Options::default(),
        ISSUED,
    );
    let dc1 = find(&all, "C/DC1.json");
    assert!(schema_errors(ob3_schema(), &dc1.credential).is_empty());
    let results = dc1.credential["credentialSubject"]["result"]
        .as_array()
        .unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["value"], "9");
    assert!(results[1].get("status").is_none(), "{results:?}");
    let descriptions = dc1.credential["credentialSubject"]["achievement"]["resultDescription"]
        .as_array()
        .unwrap();
    assert_eq!(descriptions[0]["name"], "E1/ecrit Écrit");
}
