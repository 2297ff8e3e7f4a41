//! CASE 1.1 packages (docs/interop.md): the export against the official
//! schema, its content and its types, the round trip, foreign packages, and
//! what the import refuses, with its messages.

use acquis_diagnostics::Code;
use acquis_interop::case::{self, model::CFPackage};
use acquis_interop::{CaseProblem, InteropError};
use serde_json::Value;

use crate::{
    case_schema, check, ir, ir_str, is_canonical, read, schema_errors, source, workspace, BTS_SIO,
    CUISINE, DEES, FOREIGN, SEED, SMALL, TITRE_PRO,
};

/// Packages that break the import in one way each.
const REVIEW: &str = "tests/fixtures/case/review";

fn assert_case_valid(json: &str) {
    let value: Value = serde_json::from_str(json).unwrap();
    let errors = schema_errors(case_schema(), &value);
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The package of a referential of the workspace, as `acquis export case`
/// writes it.
fn export_case(path: &str) -> String {
    case::export(ir(path)).unwrap().0
}

/// Imports a package given as text (named `package.json` in messages):
/// the file it would write and the warnings.
fn import(json: &str) -> Result<(String, Vec<String>), InteropError> {
    case::import(json, "package.json").map(|(r, warnings)| {
        (
            source(&r),
            warnings.iter().map(ToString::to_string).collect(),
        )
    })
}

/// Imports a package given as JSON, which must be refused: the message.
fn refused(package: &Value) -> String {
    match import(&package.to_string()) {
        Ok((text, _)) => panic!("imported:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn cuisine_package() -> Value {
    serde_json::from_str(&export_case(CUISINE)).unwrap()
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

/// The package is written from `case::model`: it reads back into those
/// types and writes the same bytes again, and its keys are in the order a
/// JSON map sorts them (the order packages have always had).
#[test]
fn case_packages_are_the_model_types() {
    for reference in [SEED, CUISINE, SMALL] {
        let ir = ir(reference);
        let text = case::export(ir).unwrap().0;
        let (package, _) = case::package(ir);
        let read: CFPackage = serde_json::from_str(&text).unwrap();
        assert_eq!(read, package, "{reference}");
        assert!(
            serde_json::to_string_pretty(&read).unwrap() + "\n" == text,
            "{reference}"
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        assert!(
            serde_json::to_string_pretty(&value).unwrap() + "\n" == text,
            "{reference}: keys out of order"
        );
    }
}

#[test]
fn case_export_is_deterministic() {
    assert_eq!(export_case(SMALL), export_case(SMALL));
}

#[test]
fn case_round_trip_gives_the_same_package() {
    for reference in [SEED, CUISINE, SMALL, BTS_SIO, DEES, TITRE_PRO] {
        let first = export_case(reference);
        let (imported, warnings) = import(&first).unwrap();
        assert!(warnings.is_empty(), "{reference}: {warnings:?}");
        assert_eq!(check(&imported), (0, vec![]), "{reference}");
        let second = case::export(&ir_str(&imported)).unwrap().0;
        assert!(
            first == second,
            "{reference}: export → import → export differs"
        );
        if reference == SMALL {
            insta::assert_snapshot!("case_small_imported", imported);
        }
    }
}

/// Épreuves that carry marks travel whole: their parts (scale, pass,
/// coefficient, duration, form, optional) and their rule, inside a block
/// (DEES) and outside any (the units of a BTS), so the certification's rule
/// over `U1/note` still compiles after the round trip.
#[test]
fn case_round_trip_keeps_assessment_parts_and_rules() {
    let package: Value = serde_json::from_str(&export_case(DEES)).unwrap();
    let edc1 = &package["extensions"]["acquis"]["assessments"][0];
    assert_eq!(edc1["id"], "EDC1");
    assert_eq!(edc1["rule"], "average(parts) >= 10");
    assert_eq!(edc1["parts"][0]["id"], "presentation");
    assert_eq!(edc1["parts"][0]["scale"], "note_sur_20");
    assert_eq!(edc1["parts"][0]["pass"], "10");

    let text = "referential R \"R\" {\n  level 5\n}\n\nuse std::scales::note_sur_20\n\n\
         defaults {\n  criterion scale note_sur_20\n}\n\n\
         assessment E1 \"Écrit et oral\" {\n  \
         part ecrit \"Écrit\" {\n    coefficient 2.5\n    duration 3 h\n    form \"ponctuelle écrite\"\n  }\n  \
         part oral \"Oral\" {\n    pass 8\n    duration \"selon le jury\"\n    examiners \"deux enseignants\"\n  }\n  \
         validated when weighted average(parts) >= 10 and oral >= 8\n}\n\n\
         assessment EF \"Facultative\" {\n  part langue \"Langue\" {\n    optional\n  }\n}\n\n\
         certification validated when E1 validated and max(0, sum({EF/langue}) - 10) >= 0\n";
    let first = case::export(&ir_str(text)).unwrap().0;
    let (imported, warnings) = import(&first).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(check(&imported), (0, vec![]), "{imported}");
    for line in [
        "assessment E1 \"Écrit et oral\" {",
        "    coefficient 2.5",
        "    duration 180 min",
        "    form \"ponctuelle écrite\"",
        "    pass 8",
        "    duration \"selon le jury\"",
        "    examiners \"deux enseignants\"",
        "  validated when weighted average(parts) >= 10 and oral >= 8",
        "    optional",
    ] {
        assert!(
            imported.contains(line),
            "{line:?} missing from:\n{imported}"
        );
    }
    assert!(case::export(&ir_str(&imported)).unwrap().0 == first);
}

/// Rules with rounding, `max`/`min` of two numbers and arithmetic travel
/// as printed source that the import compiles back to the same rules.
#[test]
fn case_round_trip_keeps_rounding_extrema_and_arithmetic() {
    let text = "referential R \"R\" {\n  level 3\n}\n\nuse std::scales::note_sur_20\n\n\
         defaults {\n  criterion scale note_sur_20\n}\n\n\
         block B1 \"B\" {\n  competency C1 \"c\" {\n    criterion CE1 \"a\"\n    criterion CE2 \"b\"\n    \
         validated when round(weighted average(criteria), 2) >= 10 and floor(sum({CE1}) / 2 - 1, 1) > 3\n  }\n\n  \
         competency C2 \"d\" {\n    criterion CE1 \"a\"\n    criterion CE2 \"b\"\n    \
         validated when max(0, sum({CE1}) - 10) + min(sum({CE2}), 12) >= ceil(sum({CE1}) * 2 - sum({CE2}) - 1, 0)\n  }\n\n  \
         assessment E1 \"x\" {\n    covers C1, C2\n  }\n\n  \
         validated when count(competencies validated) * 2 > size(competencies) + 1\n}\n\n\
         certification validated when all blocks validated\n";
    let first = case::export(&ir_str(text)).unwrap().0;
    assert!(
        first.contains(r#""rule": "round(weighted average({C1/CE1, C1/CE2}), 2) >= 10 and floor(sum({C1/CE1}) / 2 - 1, 1) > 3""#),
        "{first}"
    );
    let (imported, warnings) = import(&first).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(check(&imported), (0, vec![]), "{imported}");
    assert!(case::export(&ir_str(&imported)).unwrap().0 == first);
}

#[test]
fn a_foreign_case_package_gives_a_skeleton_to_complete() {
    let (text, _) = import(&read(FOREIGN)).unwrap();
    let (errors, warnings) = check(&text);
    assert_eq!(errors, 0);
    assert_eq!(
        warnings,
        vec!["A0406"; text.matches("  competency ").count()]
    );
    insta::assert_snapshot!("case_foreign_imported", text);
}

#[test]
fn case_export_writes_only_valid_date_times() {
    let source = read(SMALL);
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
        let ir = ir_str(&source.replace(
            "  lang fr\n",
            &format!("  lang fr\n  meta last_change \"{given}\"\n"),
        ));
        let (json, warnings) = case::export(&ir).unwrap();
        assert_eq!(
            warnings
                .iter()
                .any(|w| w.to_string().starts_with("`meta last_change")),
            warned,
            "{given}: {warnings:?}"
        );
        let package: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            package["CFDocument"]["lastChangeDateTime"], expected,
            "{given}"
        );
        let errors: Vec<String> = schema_errors(case_schema(), &package);
        assert!(errors.is_empty(), "{given}: {errors:#?}");
    }
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
        let message = refused(&package);
        assert!(
            message.contains("`extensions.acquis.certification.rule` is not one rule expression"),
            "{rule:?}: {message}"
        );
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
    let message = refused(&package);
    assert!(
        message.contains(&format!(
            "`CFItems[{index}].extensions.acquis.rule` is not one rule expression"
        )),
        "{message}"
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
        let refusal = refused(&package);
        assert!(refusal.contains(message), "{pointer}: {refusal}");
    }
    // Texts are string literals, escaped: a title cannot close its string,
    // a title in a comment cannot end the comment.
    let mut package: Value = serde_json::from_str(&read(FOREIGN)).unwrap();
    package["CFDocument"]["title"] = "T\" }\nblock EVIL \"x\" {".into();
    package["CFItems"][0]["fullStatement"] = "S\"\n} block EVIL2 {".into();
    let (text, _) = import(&package.to_string()).unwrap();
    assert!(!text.lines().any(|l| l.starts_with("block EVIL")), "{text}");
    assert_eq!(check(&text).0, 0);
}

#[test]
fn case_import_reports_bad_packages_by_json_path() {
    let cases = [
        ("numstmt.json", "`CFItems[0].fullStatement` must be a string, not 5"),
        (
            "cycle.json",
            "form a cycle (each item the child of the next): `CFItems[0]` (1 \"Bloc 1\") → `CFItems[2]`",
        ),
        ("self.json", "`i1` is its own parent"),
    ];
    for (file, message) in cases {
        let error = case::import_file(&workspace(&format!("{REVIEW}/{file}"))).unwrap_err();
        assert!(
            matches!(error.code(), Code::CaseDefect | Code::CaseNotPackage),
            "{file}: {error}"
        );
        let text = error.to_string();
        assert!(text.contains(message), "{file}: {text}");
        assert!(
            text.contains(&format!("{file}: error: ")),
            "{file}: the message names the file: {text}"
        );
    }
}

#[test]
fn case_import_errors_say_what_went_wrong_as_values() {
    let error = case::import("{\"CFItems\": []}", "p.json").unwrap_err();
    assert!(
        matches!(
            &error,
            InteropError::Case {
                file,
                problem: CaseProblem::NotAPackage
            } if file == "p.json"
        ),
        "{error:?}"
    );
    // `caseVersion` is optional in CASE 1.1 (OpenSALT never writes it).
    assert!(case::import_file(&workspace(&format!("{REVIEW}/nover.json"))).is_ok());
    let error = case::import(
        r#"{"CFDocument": {"caseVersion": "2.0", "identifier": "d", "title": "T"}}"#,
        "p.json",
    )
    .unwrap_err();
    assert!(
        matches!(
            &error,
            InteropError::Case {
                problem: CaseProblem::CaseVersion { found },
                ..
            } if found == "2.0"
        ),
        "{error:?}"
    );
    let error = case::import("{", "p.json").unwrap_err();
    assert!(
        matches!(error, InteropError::InvalidJson { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "p.json:1:1: error: not a valid JSON document: EOF while parsing an object at line 1 column 1"
    );
    let missing = workspace("tests/fixtures/case/missing.json");
    let error = case::import_file(&missing).unwrap_err();
    assert_eq!(error.code(), Code::ImportUnreadable, "{error}");
    assert!(
        matches!(&error, InteropError::Unreadable { path, .. } if path == &missing),
        "{error:?}"
    );
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
        let (r, warnings) = case::import_file(&workspace(&format!("{REVIEW}/{file}"))).unwrap();
        let warnings = crate::terminal(&warnings);
        assert!(warnings.contains(": warning: "), "{file}: {warnings}");
        assert!(warnings.contains(message), "{file}: {warnings}");
        let (errors, _) = check(&source(&r));
        assert_eq!(errors, 0, "{file}");
    }
}

#[test]
fn case_import_of_a_lone_item_passes_check_with_only_the_placeholder_warning() {
    let (r, _) = case::import_file(&workspace(&format!("{REVIEW}/blockonly.json"))).unwrap();
    let text = source(&r);
    assert_eq!(check(&text), (0, vec!["A0406".to_string()]));
    // The skeleton is in canonical form.
    assert!(is_canonical(&text), "{text}");
}

#[test]
fn bad_case_packages_are_reported_with_their_place() {
    let mut messages = Vec::new();
    let good = read(FOREIGN);
    let cases = [
        (
            "malformed",
            good.replacen("\"title\": \"Digital", "\"title\" \"Digital", 1),
        ),
        (
            "version",
            good.replace("\"caseVersion\": \"1.1\"", "\"caseVersion\": \"2.0\""),
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
        let error = case::import(&text, &format!("{name}.json")).unwrap_err();
        assert!(
            matches!(
                error.code(),
                Code::CaseDefect | Code::CaseNotPackage | Code::CaseNotJson
            ),
            "{name}: {error}"
        );
        messages.push(format!("{name}: {error}"));
    }
    insta::assert_snapshot!("case_bad_input", messages.join("\n"));
}

#[test]
fn imported_case_skeletons_are_in_canonical_form() {
    let (text, _) = import(&read(FOREIGN)).unwrap();
    assert!(is_canonical(&text), "{text}");
}
