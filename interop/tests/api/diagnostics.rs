//! Every interop code (`A08xx`) from a failing input through the API: the
//! error or warning has its code, becomes one diagnostic at the right place,
//! and renders for a terminal (the one line snapshotted here, as `acquis`
//! prints it), a screen reader and tools. docs/diagnostics.md documents each
//! code, in order.

use std::fs;
use std::path::Path;

use acquis_diagnostics::render::{self, Format};
use acquis_diagnostics::source::SourceMap;
use acquis_diagnostics::{Code, Diagnostic, Severity};
use acquis_interop::{case, moodle, rncp, InteropError};

use crate::{ir, ir_str, read, relative, workspace, TempDir, CUISINE, EXPORT, SEED};

/// A writer that always fails, as a closed standard output does.
struct Closed;

impl std::io::Write for Closed {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "broken pipe",
        ))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The export of the fixtures with `edit` applied, written in `dir`.
fn edited(dir: &TempDir, name: &str, edit: impl Fn(&str) -> String) -> std::path::PathBuf {
    let file = dir.join(name);
    fs::write(&file, edit(&read(EXPORT))).unwrap();
    file
}

fn error_of<T: std::fmt::Debug>(result: Result<T, InteropError>) -> Diagnostic {
    result.unwrap_err().to_diagnostic()
}

/// One diagnostic per interop code, each from a real failing input.
fn one_per_code(dir: &TempDir) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    // A0801
    all.push(error_of(rncp::list(
        &dir.join("absent.xml"),
        &mut Vec::new(),
    )));
    // A0802
    all.push(error_of(rncp::check_number("EDL")));
    // A0803
    let truncated = edited(dir, "truncated.xml", |t| t[..t.len() / 2].to_string());
    all.push(error_of(rncp::import(&truncated, "RNCP12345")));
    // A0804
    let twice = edited(dir, "bloc-twice.xml", |t| {
        t.replace("<CODE>RNCP12345BC02</CODE>", "<CODE>RNCP12345BC01</CODE>")
    });
    all.push(error_of(rncp::import(&twice, "RNCP12345")));
    // A0805
    all.push(error_of(rncp::import(&workspace(EXPORT), "RNCP12340")));
    // A0806
    all.push(error_of(case::import(
        "{\n  \"CFDocument\": {,\n}",
        "package.json",
    )));
    // A0807
    all.push(error_of(case::import(
        r#"{"CFDocument": {"caseVersion": "2.0"}}"#,
        "framework.json",
    )));
    // A0808
    all.push(error_of(case::import(
        r#"{"CFDocument": {"caseVersion": "1.1", "identifier": "d", "title": "T"},
            "CFItems": [{"identifier": "i"}]}"#,
        "package.json",
    )));
    // A0809
    let existing = dir.join("edl");
    fs::create_dir_all(&existing).unwrap();
    fs::write(existing.join(acquis_interop::IMPORTED_FILE), "").unwrap();
    all.push(error_of(acquis_interop::destination(&existing, false)));
    // A0810
    all.push(error_of(rncp::list(&workspace(EXPORT), &mut Closed)));
    // A0811
    let not_json = serde_json::from_str::<serde_json::Value>("x").unwrap_err();
    all.push(InteropError::WritePackage(not_json).to_diagnostic());
    // A0812: elements nested past the reader's depth.
    let deep = dir.0.join("deep.xml");
    std::fs::write(
        &deep,
        format!(
            "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE>{}",
            "<a>".repeat(300)
        ),
    )
    .unwrap();
    all.push(error_of(rncp::import(&deep, "RNCP1")));
    // A0851
    let fiche_twice = edited(dir, "fiche-twice.xml", |t| {
        t.replace("RNCP12350", "RNCP12345")
    });
    let (_, warnings) = rncp::import(&fiche_twice, "RNCP12345").unwrap();
    all.extend(warnings.iter().map(Diagnostic::from));
    // A0852
    let date = edited(dir, "date.xml", |t| {
        t.replacen("15/09/2024", "2024-09-15", 1)
    });
    let (_, warnings) = rncp::import(&date, "RNCP39583").unwrap();
    all.extend(warnings.iter().map(Diagnostic::from));
    // A0853
    let (_, warnings) =
        case::import_file(&workspace("tests/fixtures/case/review/dangling.json")).unwrap();
    all.extend(
        warnings
            .iter()
            .filter(|w| w.code() == Code::AssociationIgnored)
            .map(Diagnostic::from),
    );
    // A0854
    let (_, warnings) = case::export(&ir_str(SMALL_WITH_LAST_CHANGE)).unwrap();
    all.extend(warnings.iter().map(Diagnostic::from));
    // A0855
    let e = moodle::export(&ir_str(FINE_SCALE)).unwrap();
    all.extend(e.warnings.iter().map(Diagnostic::from));
    // A0856: the first of the cuisine's.
    let e = moodle::export(ir(CUISINE)).unwrap();
    all.extend(e.warnings.iter().take(1).map(Diagnostic::from));
    // A0857: the first long title of the seed.
    let e = moodle::export(ir(SEED)).unwrap();
    all.extend(
        e.warnings
            .iter()
            .filter(|w| w.code() == Code::ShortNameCutForMoodle)
            .take(1)
            .map(Diagnostic::from),
    );
    // A0858
    let (_, warnings) =
        case::export_for(&ir_str(SMALL_WITH_LAST_CHANGE), case::CaseVersion::V1_0).unwrap();
    all.extend(
        warnings
            .iter()
            .filter(|w| w.code() == Code::CaseExtensionsLeftOut)
            .map(Diagnostic::from),
    );
    // A0859: OpenCASE's package, in Japanese.
    let (_, warnings) = case::import_file(&workspace(
        "tests/fixtures/real/opencase/opencase-ikenohata-framework.json",
    ))
    .unwrap();
    all.extend(warnings.iter().map(Diagnostic::from));
    all
}

const SMALL_WITH_LAST_CHANGE: &str = r#"referential R "R" {
  level 3
  meta last_change "mai 2025"
}
scale ok { levels non < oui  pass oui }
defaults {
  criterion scale ok
  competency validated when all criteria acquired
  block validated when all competencies validated
}
block B "B" {
  competency C "C" { criterion K "K" }
  assessment E "E" { covers C }
}
certification validated when all blocks validated
"#;

const FINE_SCALE: &str = r#"referential R "R" { level 3 }
scale note { range 0..20 step 0.01  pass 10 }
defaults {
  criterion scale note
  competency validated when all criteria acquired
  block validated when all competencies validated
}
block B "B" {
  competency C "C" { criterion K "K" }
  assessment E "E" { covers C }
}
certification validated when all blocks validated
"#;

#[test]
fn every_interop_code_from_a_failing_input() {
    let dir = TempDir::new("interop-codes");
    let diagnostics = one_per_code(&dir);
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, Code::INTEROP, "one diagnostic per code, in order");
    let sources = SourceMap::default();
    let mut lines = String::new();
    for d in &diagnostics {
        assert_eq!(d.severity, d.code.severity(), "{}", d.code);
        assert_eq!(
            d.severity == Severity::Warning,
            d.code.as_str().starts_with("A085")
        );
        // A terminal line: one line, no colour codes, the place first.
        let line = render::stream(
            d,
            &sources,
            Format::Terminal { color: false },
            acquis_diagnostics::Lang::En,
        );
        assert_eq!(line.lines().count(), 1, "{line}");
        // Narrated: sentences, the code said; JSON: one object per line.
        let narrated = render::stream(d, &sources, Format::Narrated, acquis_diagnostics::Lang::En);
        assert!(narrated.contains(d.code.as_str()), "{narrated}");
        let json: serde_json::Value = serde_json::from_str(&render::stream(
            d,
            &sources,
            Format::Json,
            acquis_diagnostics::Lang::En,
        ))
        .unwrap();
        assert_eq!(json["code"], d.code.as_str());
        let dir_path = dir.join("x").parent().unwrap().display().to_string();
        let line = relative(&line).replace(&format!("{dir_path}/"), "");
        lines.push_str(&format!("{}  {line}", d.code));
    }
    insta::assert_snapshot!("interop_codes_terminal", lines);
}

/// A problem at a place of an input: the terminal line starts with that
/// place, the narrated form says it in words, JSON carries it.
#[test]
fn places_are_carried_by_the_position_not_the_message() {
    let dir = TempDir::new("interop-places");
    let twice = edited(&dir, "bloc-twice.xml", |t| {
        t.replace("<CODE>RNCP12345BC02</CODE>", "<CODE>RNCP12345BC01</CODE>")
    });
    let d = error_of(rncp::import(&twice, "RNCP12345"));
    let file = twice.display().to_string();
    assert!(!d.message.english().contains(&file), "{:?}", d.message);
    let sources = SourceMap::default();
    let terminal = render::stream(
        &d,
        &sources,
        Format::Terminal { color: false },
        acquis_diagnostics::Lang::En,
    );
    assert!(terminal.starts_with(&format!("{file}:")), "{terminal}");
    let narrated = render::stream(&d, &sources, Format::Narrated, acquis_diagnostics::Lang::En);
    assert!(
        narrated.contains(&format!("in {file} at line ")),
        "{narrated}"
    );
    let json: serde_json::Value = serde_json::from_str(&render::stream(
        &d,
        &sources,
        Format::Json,
        acquis_diagnostics::Lang::En,
    ))
    .unwrap();
    assert_eq!(json["location"]["path"], file.as_str());
    assert!(json["location"]["line"].as_u64().unwrap() > 1);
    // An export warning is placed at the entity of the referential.
    let e = moodle::export(ir(CUISINE)).unwrap();
    let first = e.warnings[0].to_diagnostic();
    let place = render::stream(
        &first,
        &sources,
        Format::Terminal { color: false },
        acquis_diagnostics::Lang::En,
    );
    assert!(
        Path::new(place.split(':').next().unwrap())
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".acquis")),
        "{place}"
    );
}

/// docs/diagnostics.md documents every interop code, after the others, in
/// order.
#[test]
fn every_interop_code_is_documented() {
    let docs = read("docs/diagnostics.md");
    let headings: Vec<&str> = docs.lines().filter(|l| l.starts_with("## A08")).collect();
    let expected: Vec<String> = Code::INTEROP
        .iter()
        .map(|c| format!("## {c}: {}", c.title()))
        .collect();
    assert_eq!(headings, expected);
}
