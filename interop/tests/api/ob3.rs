//! Open Badges 3.0 credentials (docs/interop.md): one per validated block
//! and one for the validated certification, against the official schema,
//! what they say, and the JSON lines of standard output.

use acquis_eval::{Grades, Plan};
use acquis_interop::ob3::{self, Credential, CredentialOut};
use acquis_ir::Ir;
use serde_json::Value;

use crate::{ir, ob3_schema, schema_errors, SMALL};

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

/// The credentials of ANNE and BOB on the small referential, in order.
fn credentials(ir: &Ir, include_metadata: bool) -> Vec<Credential> {
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
            include_metadata,
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
    let none = ob3::credentials(&plan, "BOB", &[], &grades, None, false, ISSUED);
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
