//! The Moodle competency framework CSV (docs/interop.md): its columns, its
//! tree, the rules it can say and the warnings for those it cannot.

use acquis_interop::moodle;
use serde_json::Value;

use crate::{ir, ir_str, CUISINE, SEED, SMALL};

/// The CSV of a referential and its warnings, one line each as the
/// command line prints them (`file:line:column: warning: …`).
fn export(path: &str) -> (String, String) {
    let e = moodle::export(ir(path)).unwrap();
    let warnings = crate::terminal(&e.warnings);
    (e.csv, warnings)
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
        let (text, _) = export(reference);
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
    let (small, small_warnings) = export(SMALL);
    insta::assert_snapshot!("moodle_small_csv", small);
    insta::assert_snapshot!("moodle_small_warnings", small_warnings);
    let (cuisine, cuisine_warnings) = export(CUISINE);
    insta::assert_snapshot!("moodle_cuisine_csv", cuisine);
    insta::assert_snapshot!("moodle_cuisine_warnings", cuisine_warnings);
}

#[test]
fn moodle_rule_mapping() {
    let (text, warnings) = export(CUISINE);
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

#[test]
fn moodle_leaves_out_a_scale_too_fine_to_list() {
    let ir = ir_str(
        "referential R \"R\" {\n  level 3\n}\n\nscale fine \"fine\" {\n  range 0 .. 100000000 step 0.001\n  pass 10\n}\n\n\
         defaults {\n  criterion scale fine\n  block validated when all competencies validated\n  \
         competency validated when all criteria acquired\n}\n\nblock B1 \"B\" {\n  competency C1 \"c\" {\n    \
         criterion CE1 \"a\"\n  }\n\n  assessment E1 \"x\" {\n    covers C1\n  }\n}\n\n\
         certification validated when all blocks validated\n",
    );
    let e = moodle::export(&ir).unwrap();
    assert!(
        e.warnings.iter().any(|w| w
            .to_string()
            .contains("the scale `fine` has 100000000001 values, more than the 1000")),
        "{:?}",
        e.warnings
    );
    let mut reader = csv::Reader::from_reader(e.csv.as_bytes());
    let framework = reader.records().next().unwrap().unwrap();
    assert_eq!(&framework[5], "", "no scale values");
}

#[test]
fn moodle_reads_a_count_of_proficient_children_as_n_of_m() {
    let (text, warnings) = export(CUISINE);
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

/// Rounding and two-number `max`/`min` compute with marks: Moodle cannot
/// say them, so the competency is exported without a rule, with a warning.
#[test]
fn moodle_warns_about_rounded_rules_and_exports_them_without_a_rule() {
    let ir = ir_str(
        "referential R \"R\" {\n  level 3\n}\n\nuse std::scales::note_sur_20\n\n\
         defaults {\n  criterion scale note_sur_20\n  block validated when all competencies validated\n}\n\n\
         block B1 \"B\" {\n  competency C1 \"c\" {\n    criterion CE1 \"a\"\n    criterion CE2 \"b\"\n    \
         validated when round(average(criteria), 2) >= 10\n  }\n\n  competency C2 \"d\" {\n    \
         criterion CE1 \"a\"\n    validated when max(0, sum({CE1}) - 10) >= 2\n  }\n\n  \
         assessment E1 \"x\" {\n    covers C1, C2\n  }\n}\n\n\
         certification validated when all blocks validated\n",
    );
    let e = moodle::export(&ir).unwrap();
    for (id, rule) in [
        ("C1", "round(average(criteria), 2) >= 10"),
        ("C2", "max(0, sum({CE1}) - 10) >= 2"),
    ] {
        let expected =
            format!("the rule of `{id}` (`{rule}`) is not exported: it computes with marks");
        assert!(
            e.warnings
                .iter()
                .any(|w| w.to_string().starts_with(&expected)),
            "{expected}: {:?}",
            e.warnings
        );
    }
    let mut reader = csv::Reader::from_reader(e.csv.as_bytes());
    for record in reader.records().map(Result::unwrap) {
        if matches!(&record[1], "C1" | "C2") {
            assert_eq!(&record[7], "", "{:?}", record);
        }
    }
}
