//! `acquis check` and `acquis build` (and `--help`): the real executable,
//! run as a user would run it, on the examples and on small files written
//! here.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{acquis, Run, TempDir, CUISINE, SEED};

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected an array, found {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no entity `{id}`"))
}

/// Parses the JSON diagnostics of `acquis check --format json`.
fn diagnostics(run: &Run) -> Vec<Value> {
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("--format json output is not JSON: {e}\n{}", run.describe()));
    report["diagnostics"].as_array().unwrap().clone()
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------- the seed

#[test]
fn build_seed_gives_the_expected_ir() {
    let dir = TempDir::new("build-seed");
    let out = dir.join("edl.json");
    let run = acquis(&[
        "build".as_ref(),
        SEED.as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    run.assert_code(0);
    let ir: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();

    assert_eq!(ir["format"], "acquis-ir");
    assert_eq!(ir["version"], 2);
    let count = |key: &str| ir[key].as_array().unwrap().len();
    assert_eq!(count("blocks"), 4);
    assert_eq!(count("competencies"), 31);
    assert_eq!(count("assessments"), 15);
    assert_eq!(count("criteria"), 115);
    let indicators: usize = ir["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["indicators"].as_array().unwrap().len())
        .sum();
    assert_eq!(indicators, 448);

    // The three pairs of competencies assessed jointly.
    let criteria_of = |id: &str| strings(&by_id(&ir["competencies"], id)["criteria"]);
    let e1: Vec<String> = (1..=5).map(|i| format!("E1/CE{i}")).collect();
    assert_eq!(criteria_of("C1.1"), e1);
    assert_eq!(criteria_of("C1.2"), e1);
    for (a, b, assessment, n) in [("C2.1", "C2.2", "E5", 4), ("C2.3", "C2.4", "E6", 5)] {
        let left: BTreeSet<String> = criteria_of(a).into_iter().collect();
        let right: BTreeSet<String> = criteria_of(b).into_iter().collect();
        let shared: Vec<&String> = left.intersection(&right).collect();
        assert_eq!(shared.len(), n, "{a} and {b} share {shared:?}");
        assert!(
            shared
                .iter()
                .all(|id| id.starts_with(&format!("{assessment}/"))),
            "{shared:?}"
        );
        for id in shared {
            let criterion = by_id(&ir["criteria"], id);
            assert_eq!(criterion["owner"], assessment);
            assert_eq!(
                strings(&criterion["competencies"]),
                vec![a.to_string(), b.to_string()]
            );
        }
    }
    // No other criterion is shared.
    let shared_total = ir["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["competencies"].as_array().unwrap().len() > 1)
        .count();
    assert_eq!(shared_total, 5 + 4 + 5);

    for c in ir["competencies"].as_array().unwrap() {
        let rule = &c["rule"];
        assert!(
            !rule["text"].as_str().unwrap().is_empty(),
            "competency {} has no rule text",
            c["id"]
        );
        assert_ne!(
            rule["expr"]["op"], "const",
            "competency {} has a constant rule",
            c["id"]
        );
        assert!(
            !c["criteria"].as_array().unwrap().is_empty(),
            "competency {} has no criteria",
            c["id"]
        );
    }

    // Evaluation order: every entity once, criteria before their
    // competencies, competencies before their blocks, certification last.
    let order = strings(&ir["order"]);
    assert_eq!(order.last().map(String::as_str), Some("certification"));
    assert_eq!(order.len(), 4 + 31 + 115 + 1);
    let position: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    assert_eq!(
        position.len(),
        order.len(),
        "an id appears twice in `order`"
    );
    for criterion in ir["criteria"].as_array().unwrap() {
        let id = criterion["id"].as_str().unwrap();
        for competency in strings(&criterion["competencies"]) {
            assert!(
                position[id] < position[competency.as_str()],
                "criterion {id} comes after its competency {competency} in `order`"
            );
        }
    }
    for competency in ir["competencies"].as_array().unwrap() {
        let id = competency["id"].as_str().unwrap();
        let block = competency["block"].as_str().unwrap();
        assert!(
            position[id] < position[block],
            "competency {id} comes after block {block}"
        );
    }
}

#[test]
fn build_writes_the_ir_to_standard_output_without_o() {
    let run = acquis(&["build", SEED]);
    run.assert_code(0);
    let ir: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(ir["format"], "acquis-ir");
}

#[test]
fn check_seed_has_no_errors_and_no_warnings() {
    let run = acquis(&["check", SEED]);
    run.assert_code(0);
    assert!(
        run.all().contains("no errors and no warnings"),
        "{}",
        run.describe()
    );
}

#[test]
fn check_cuisine_has_no_errors_and_no_warnings() {
    let run = acquis(&["check", CUISINE]);
    run.assert_code(0);
    assert!(
        run.all().contains("no errors and no warnings"),
        "{}",
        run.describe()
    );
}

#[test]
fn build_is_deterministic() {
    let dir = TempDir::new("determinism");
    for file in [SEED, CUISINE] {
        let first = dir.join("first.json");
        let second = dir.join("second.json");
        acquis(&[
            "build".as_ref(),
            file.as_ref(),
            "-o".as_ref(),
            first.as_os_str(),
        ])
        .assert_code(0);
        acquis(&[
            "build".as_ref(),
            file.as_ref(),
            "-o".as_ref(),
            second.as_os_str(),
        ])
        .assert_code(0);
        let (a, b) = (fs::read(&first).unwrap(), fs::read(&second).unwrap());
        assert!(!a.is_empty());
        assert!(a == b, "two builds of {file} differ");
    }
}

// ------------------------------------------------------------- bad input

/// Runs `acquis check FILE` and `acquis build FILE` and expects a clean
/// failure: exit status 1, the code, and the file named on stderr.
#[track_caller]
fn assert_refused(file: &Path, code: &str, named: &str) {
    for verb in ["check", "build"] {
        let run = acquis(&[verb.as_ref(), file.as_os_str()]);
        run.assert_code(1);
        assert!(
            run.stderr.contains(code),
            "`acquis {verb}`: no {code} on stderr\n{}",
            run.describe()
        );
        assert!(
            run.stderr.contains(named),
            "`acquis {verb}`: stderr does not name {named}\n{}",
            run.describe()
        );
        assert!(
            run.stdout.is_empty(),
            "`acquis {verb}` wrote to stdout\n{}",
            run.describe()
        );
    }
}

#[test]
fn missing_file_is_a0001() {
    let dir = TempDir::new("missing");
    let file = dir.join("absent.acquis");
    assert_refused(&file, "A0001", "absent.acquis");
}

#[test]
fn directory_is_a0001() {
    let dir = TempDir::new("directory");
    let sub = dir.join("folder.acquis");
    fs::create_dir_all(&sub).unwrap();
    assert_refused(&sub, "A0001", "folder.acquis");
}

#[test]
fn non_utf8_file_is_a0002() {
    let dir = TempDir::new("latin1");
    let file = dir.join("latin1.acquis");
    // "Référentiel" in Latin-1: 0xE9 is not UTF-8 on its own.
    fs::write(&file, b"referential R \"R\xe9f\xe9rentiel\" { lang fr }\n").unwrap();
    assert_refused(&file, "A0002", "latin1.acquis");
}

#[test]
fn empty_file_is_a0003() {
    let dir = TempDir::new("empty");
    let empty = write(&dir, "empty.acquis", "");
    assert_refused(&empty, "A0003", "empty.acquis");
    let blank = write(&dir, "blank.acquis", "  \n\n\t\n");
    assert_refused(&blank, "A0003", "blank.acquis");
}

#[test]
fn fifty_megabyte_file_is_a0004() {
    let dir = TempDir::new("large");
    let path = dir.join("large.acquis");
    let file = fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    drop(file);
    assert_refused(&path, "A0004", "large.acquis");
}

const HEADER: &str = "referential R \"Essai\" { lang fr }\n";
const CERTIFICATION: &str = "certification validated when all blocks validated\n";

#[test]
fn import_cycle_is_a0005() {
    let dir = TempDir::new("cycle");
    let main = write(
        &dir,
        "main.acquis",
        &format!("import \"other.acquis\"\n{HEADER}{CERTIFICATION}"),
    );
    write(&dir, "other.acquis", "import \"main.acquis\"\n");
    assert_refused(&main, "A0005", "other.acquis");
    assert_refused(&main, "A0005", "main.acquis");
}

#[test]
fn import_of_a_missing_file_is_a0001() {
    let dir = TempDir::new("missing-import");
    let main = write(
        &dir,
        "main.acquis",
        &format!("{HEADER}import \"nowhere.acquis\"\n{CERTIFICATION}"),
    );
    assert_refused(&main, "A0001", "nowhere.acquis");
    // The diagnostic points at the import, in the importing file, line 2.
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        main.as_os_str(),
    ]);
    run.assert_code(1);
    let all = diagnostics(&run);
    let d = all.iter().find(|d| d["code"] == "A0001").unwrap();
    assert!(
        d["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("main.acquis"),
        "{d}"
    );
    assert_eq!(d["location"]["line"], 2);
    assert_eq!(d["location"]["column"], 1);
}

// ------------------------------------------------- positions and formats

/// Line 3 holds accented letters, a typographic apostrophe and emoji (one
/// of them wide) before the unknown id `CE9`.
fn multibyte_source() -> String {
    [
        "referential R \"Référentiel d’essai\" { lang fr }",
        "use std::scales::acquisition",
        "block B1 \"Bloc été\" { competency C1.1 \"Créer l’été 🌞 à l’école\" { criterion CE1 \"Qualité 😀\" { scale acquisition indicator \"Très bien\" } validated when CE1 acquired and CE9 acquired } assessment E1 \"Épreuve\" { covers C1.1 } validated when all competencies validated }",
        "certification validated when all blocks validated",
        "",
    ]
    .join("\n")
}

/// 1-based line and column (in characters) of the first `needle`.
fn position_of(text: &str, needle: &str) -> (usize, usize, usize) {
    let offset = text.find(needle).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (offset, line, column)
}

#[test]
fn json_positions_count_characters_not_bytes() {
    let dir = TempDir::new("multibyte-json");
    let text = multibyte_source();
    let file = write(&dir, "multibyte.acquis", &text);
    let (offset, line, column) = position_of(&text, "CE9");
    assert_eq!(line, 3);
    // The line has multi-byte characters before `CE9`, so bytes and
    // characters differ: the test would catch a byte column.
    let line_start = text[..offset].rfind('\n').unwrap() + 1;
    assert_ne!(offset - line_start + 1, column);

    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_os_str(),
    ]);
    run.assert_code(1);
    let all = diagnostics(&run);
    assert_eq!(codes(&all), vec!["A0202"], "{}", run.describe());
    let location = &all[0]["location"];
    assert!(location["path"]
        .as_str()
        .unwrap()
        .ends_with("multibyte.acquis"));
    assert_eq!(location["line"], line);
    assert_eq!(location["column"], column);
    assert_eq!(location["start"], offset);
    assert_eq!(location["end"], offset + 3);
    assert_eq!(location["end_line"], line);
    assert_eq!(location["end_column"], column + 3);
    assert!(all[0]["message"].as_str().unwrap().contains("CE9"));
}

#[test]
fn narrated_output_spells_out_the_position_without_box_drawing() {
    let dir = TempDir::new("multibyte-narrated");
    let text = multibyte_source();
    let file = write(&dir, "multibyte.acquis", &text);
    let (_, line, column) = position_of(&text, "CE9");
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "narrated".as_ref(),
        file.as_os_str(),
    ]);
    run.assert_code(1);
    let all = run.all();
    assert!(all.contains("A0202"), "{}", run.describe());
    assert!(
        all.contains(&format!("line {line}, column {column}")),
        "{}",
        run.describe()
    );
    for c in ['│', '┌', '─', '\x1b'] {
        assert!(
            !all.contains(c),
            "narrated output contains {c:?}\n{}",
            run.describe()
        );
    }
}

/// The narrated format is read aloud: every column it states for one
/// error must be the same (counted in characters, as in the header).
#[test]
fn narrated_label_columns_agree_with_the_header() {
    let dir = TempDir::new("multibyte-narrated-label");
    let text = multibyte_source();
    let file = write(&dir, "multibyte.acquis", &text);
    let (_, line, column) = position_of(&text, "CE9");
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "narrated".as_ref(),
        file.as_os_str(),
    ]);
    run.assert_code(1);
    let all = run.all();
    let label = format!("Marked at line {line}, columns {column} to {}", column + 2);
    assert!(
        all.contains(&label),
        "expected `{label}` (the header says column {column})\n{}",
        run.describe()
    );
}

#[test]
fn json_format_has_the_documented_fields() {
    let dir = TempDir::new("json-fields");
    let file = write(&dir, "multibyte.acquis", &multibyte_source());
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_os_str(),
    ]);
    run.assert_code(1);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    let all = report["diagnostics"].as_array().unwrap();
    assert!(!all.is_empty());
    for d in all {
        assert!(d["code"].as_str().unwrap().starts_with('A'), "{d}");
        assert!(
            ["error", "warning"].contains(&d["severity"].as_str().unwrap()),
            "{d}"
        );
        assert!(!d["message"].as_str().unwrap().is_empty(), "{d}");
        let location = &d["location"];
        assert!(location["path"].is_string(), "{d}");
        assert!(location["line"].as_u64().unwrap() >= 1, "{d}");
        assert!(location["column"].as_u64().unwrap() >= 1, "{d}");
    }
    // Nothing but the JSON document on stdout; no colour anywhere.
    assert!(!run.all().contains('\x1b'));
}

#[test]
fn json_format_of_several_files_is_one_document() {
    let dir = TempDir::new("json-several");
    let file = write(&dir, "multibyte.acquis", &multibyte_source());
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_os_str(),
        SEED.as_ref(),
    ]);
    run.assert_code(1);
    // One JSON value for the whole run; each diagnostic names its file.
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["errors"], 1, "{}", run.describe());
    assert_eq!(report["warnings"], 0, "{}", run.describe());
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec![file.to_str().unwrap()]);
}

#[test]
fn terminal_output_has_no_colour_with_no_color() {
    let dir = TempDir::new("no-color");
    let file = write(&dir, "multibyte.acquis", &multibyte_source());
    let run = acquis(&["check".as_ref(), file.as_os_str()]);
    run.assert_code(1);
    assert!(run.stderr.contains("A0202"), "{}", run.describe());
    assert!(!run.all().contains('\x1b'), "{}", run.describe());
    // The terminal format draws the snippet.
    assert!(run.stderr.contains('│'), "{}", run.describe());
    // `--color always` does colour, even with NO_COLOR.
    let coloured = acquis(&[
        "check".as_ref(),
        "--color".as_ref(),
        "always".as_ref(),
        file.as_os_str(),
    ]);
    coloured.assert_code(1);
    assert!(coloured.stderr.contains('\x1b'), "{}", coloured.describe());
}

// ---------------------------------------------------------- exit status

const WARNING_ONLY: &str = r#"referential W "Avertissement" { lang fr }
use std::scales::acquisition
block B1 "Bloc" {
  competency C1.1 "Compétence" {
    criterion CE1 "Premier" { scale acquisition indicator "x" }
    criterion CE2 "Second" { scale acquisition indicator "y" }
    validated when CE1 acquired
  }
  assessment E1 "Épreuve" { covers C1.1 }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let dir = TempDir::new("deny-warnings");
    let file = write(&dir, "warning.acquis", WARNING_ONLY);

    let json = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_os_str(),
    ]);
    json.assert_code(0);
    let all = diagnostics(&json);
    assert!(
        !all.is_empty(),
        "the file should have a warning\n{}",
        json.describe()
    );
    assert!(
        all.iter().all(|d| d["severity"] == "warning"),
        "{}",
        json.describe()
    );
    assert!(codes(&all).contains(&"A0502".to_string()));

    acquis(&["check".as_ref(), file.as_os_str()]).assert_code(0);
    let denied = acquis(&[
        "check".as_ref(),
        "--deny-warnings".as_ref(),
        file.as_os_str(),
    ]);
    denied.assert_code(1);
    assert!(denied.stderr.contains("A0502"), "{}", denied.describe());
    // A clean file stays clean with --deny-warnings.
    acquis(&["check", "--deny-warnings", SEED]).assert_code(0);
}

pub const THREE_BAD_BLOCKS: &str = r#"referential R "Syntaxe" { lang fr }
use std::scales::acquisition
defaults {
  criterion scale acquisition
  competency validated when all criteria acquired
  block validated when all competencies validated
}
block B1 "Premier" {
  competency C1.1 "Un" {
    criterion CE1 "Critère" { indicator "x" }
    validated when all criteria acquired and
  }
  assessment E1 "Épreuve 1" { covers C1.1 }
}
block B2 "Deuxième" {
  competency C2.1 "Deux" {
    criterion CE1 "Critère" { indicator "x" oops }
  }
  assessment E2 "Épreuve 2" { covers C2.1 }
}
block B3 "Troisième" {
  competency C3.1 "Trois" {
    criterion CE1 "Critère" { indicator "x" }
    validated when CE1 acquired and CE7 acquired
  }
  assessment E3 "Épreuve 3" { covers C3.1 }
}
certification validated when all blocks validated
"#;

#[test]
fn errors_in_several_blocks_are_all_reported() {
    let dir = TempDir::new("three-blocks");
    let file = write(&dir, "three.acquis", THREE_BAD_BLOCKS);
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_os_str(),
    ]);
    run.assert_code(1);
    let all = diagnostics(&run);
    let syntax: Vec<&Value> = all.iter().filter(|d| d["code"] == "A0101").collect();
    assert_eq!(syntax.len(), 2, "{}", run.describe());
    let lines: BTreeSet<u64> = syntax
        .iter()
        .map(|d| d["location"]["line"].as_u64().unwrap())
        .collect();
    let (_, first, _) = position_of(THREE_BAD_BLOCKS, "acquired and\n");
    let (_, second, _) = position_of(THREE_BAD_BLOCKS, "oops");
    assert_eq!(
        lines,
        BTreeSet::from([first as u64, second as u64]),
        "{}",
        run.describe()
    );
    let (_, line, column) = position_of(THREE_BAD_BLOCKS, "CE7");
    let unknown = all
        .iter()
        .find(|d| d["code"] == "A0202")
        .unwrap_or_else(|| panic!("no A0202 for CE7\n{}", run.describe()));
    assert_eq!(unknown["location"]["line"], line);
    assert_eq!(unknown["location"]["column"], column);
}

#[test]
fn build_with_errors_writes_nothing() {
    let dir = TempDir::new("build-errors");
    let file = write(&dir, "three.acquis", THREE_BAD_BLOCKS);
    let out = dir.join("out.json");
    let run = acquis(&[
        "build".as_ref(),
        file.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    run.assert_code(1);
    assert!(
        !out.exists(),
        "build wrote {} despite errors",
        out.display()
    );
    assert!(run.stderr.contains("A0101"), "{}", run.describe());
    // Without -o, nothing on stdout either.
    let run = acquis(&["build".as_ref(), file.as_os_str()]);
    run.assert_code(1);
    assert!(run.stdout.is_empty(), "{}", run.describe());
}

// ----------------------------------------------------------------- help

#[test]
fn help_has_examples() {
    for args in [
        &["--help"][..],
        &["check", "--help"][..],
        &["build", "--help"][..],
        &["graph", "--help"][..],
    ] {
        let run = acquis(args);
        assert_ne!(
            run.code,
            Some(101),
            "`acquis {}` panicked\n{}",
            args.join(" "),
            run.describe()
        );
        assert_eq!(
            run.code,
            Some(0),
            "`acquis {}`\n{}",
            args.join(" "),
            run.describe()
        );
        assert!(
            run.stdout.contains("Example"),
            "`acquis {}` has no example\n{}",
            args.join(" "),
            run.describe()
        );
    }
}

const STD_RULE_COUNT: &str = r#"referential R "Essai" { lang fr }
use std::scales::acquisition
use std::rules::n_of
block B1 "Bloc" {
  competency C1.1 "Compétence" {
    criterion CE1 "Premier" { scale acquisition indicator "x" }
    criterion CE2 "Second" { scale acquisition indicator "y" }
    validated when n_of(5)
  }
  assessment E1 "Épreuve" { covers C1.1 }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;

/// A count too large, given as the argument of a named rule of another
/// file (here the standard library): the error points at the argument, in
/// the file where it is written.
#[test]
fn count_error_through_a_std_rule_points_at_the_argument() {
    let dir = TempDir::new("std-rule-count");
    let file = write(&dir, "count.acquis", STD_RULE_COUNT);
    let run = acquis(&[
        "check".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        file.as_os_str(),
    ]);
    run.assert_code(1);
    let all = diagnostics(&run);
    assert_eq!(codes(&all), vec!["A0401"], "{}", run.describe());
    let location = &all[0]["location"];
    let (offset, line, column) = position_of(STD_RULE_COUNT, "5)");
    assert!(
        location["path"].as_str().unwrap().ends_with("count.acquis"),
        "the argument `5` is in count.acquis at {line}:{column}, bytes {offset}..{}; the error says {location}",
        offset + 1
    );
    assert_eq!(
        (&location["line"], &location["column"]),
        (&line.into(), &column.into()),
        "{location}"
    );
    assert_eq!(
        (&location["start"], &location["end"]),
        (&offset.into(), &(offset + 1).into()),
        "{location}"
    );
}

#[test]
fn use_std_without_a_module_and_a_missing_main_file_get_their_own_help() {
    let dir = TempDir::new("use-std-alone");
    let file = write(
        &dir,
        "r.acquis",
        "referential R \"r\" { lang fr }\nuse std\ncertification validated when all blocks validated\n",
    );
    let run = acquis(&[std::ffi::OsStr::new("check"), file.as_os_str()]);
    run.assert_code(1);
    assert!(
        run.all().contains("`use std` names no module"),
        "{}",
        run.describe()
    );
    let missing = acquis(&["check", "no/such/main.acquis"]);
    missing.assert_code(1);
    assert!(
        missing.all().contains("relative to the current directory"),
        "{}",
        missing.describe()
    );
}

/// A project is a directory: check, build and eval take it for its main
/// file, the one `.acquis` file that holds the `referential` header (the
/// cuisine example has two files; `prevention.acquis` has no header).
#[test]
fn a_directory_stands_for_its_main_file() {
    let run = acquis(&["check", "examples/cuisine"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("checked 1 file: no errors and no warnings"),
        "{}",
        run.stderr
    );
    let by_dir = acquis(&["build", "examples/edl"]);
    let by_file = acquis(&["build", "examples/edl/referential.acquis"]);
    assert_eq!(by_dir.code, Some(0), "{}", by_dir.stderr);
    assert!(by_dir.stdout == by_file.stdout, "the same IR");
    let eval = acquis(&[
        "eval",
        "examples/edl",
        "--grades",
        "examples/edl/candidates.csv",
    ]);
    assert_eq!(eval.code, Some(0), "{}", eval.stderr);
    // No header, or two: said, exit 1.
    let dir = TempDir::new("project");
    std::fs::write(dir.0.join("a.acquis"), "block B \"b\" {\n}\n").unwrap();
    let run = acquis(&["check", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("error[A0001]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("holds a `referential` header"),
        "{}",
        run.stderr
    );
    for name in ["m1.acquis", "m2.acquis"] {
        std::fs::write(dir.0.join(name), "referential R \"r\" { lang fr }\n").unwrap();
    }
    let run = acquis(&["build", dir.0.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("several `.acquis` files"),
        "{}",
        run.stderr
    );
}
