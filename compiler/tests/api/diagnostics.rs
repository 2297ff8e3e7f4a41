//! One failing referential per diagnostic code, and a snapshot of what the
//! compiler says about it.
//!
//! `compiler/tests/diagnostics/<CODE>/main.acquis` (with the other files the
//! code needs) is a small input that is valid except for the one problem
//! the code is about. Each snapshot in `compiler/tests/diagnostics/snapshots/`
//! tells the whole story, Gleam-style: the source files, then the terminal
//! output without colour. Review them with `cargo insta review`, or accept
//! them with `INSTA_UPDATE=always cargo test -p acquis-compiler --test api
//! diagnostics` and read every changed `.snap` file.
//!
//! A0004 (file too large) has no committed fixture: a 50 MB file would
//! bloat the repository, so the test makes one in a temporary directory.
//!
//! docs/diagnostics.md documents every code; a test checks that it has a
//! section for each.

use std::fs;
use std::path::{Path, PathBuf};

use acquis_compiler::loader::Disk;
use acquis_compiler::{compile, Code, Compilation, Severity};
use acquis_diagnostics::render::{self, Format};

use crate::{read, TempDir};

/// Fixtures, relative to the package root (cargo's working directory for
/// integration tests), so the paths in the output are stable.
const FIXTURES: &str = "tests/diagnostics";

/// The code whose input is generated at run time instead of committed.
const GENERATED: &str = "A0004";

/// Other error codes a fixture is allowed to produce besides its own, and
/// why. Warnings are always allowed (the snapshot shows them); errors are
/// listed here only when the compiler cannot report the one problem alone.
fn allowed_extra_errors(code: Code) -> &'static [Code] {
    match code {
        // A competency without criteria (A0505) also gets the default rule
        // `all criteria acquired`, and that rule's set is empty (A0403).
        // The cascade is the compiler's current behaviour; the fixture
        // cannot avoid it without giving the competency a rule of its own,
        // which would hide the realistic mistake.
        Code::NoCriteria => &[Code::EmptySet],
        _ => &[],
    }
}

fn fixture_dir(code: Code) -> PathBuf {
    Path::new(FIXTURES).join(code.as_str())
}

fn main_file(code: Code) -> PathBuf {
    fixture_dir(code).join("main.acquis")
}

/// The main file of a fixture for the snapshot's `input_file`: insta reads
/// a relative path from the workspace root, not from this crate's.
fn input_file(code: Code) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(main_file(code))
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    // Relative to this file: compiler/tests/diagnostics/snapshots/.
    settings.set_snapshot_path("../diagnostics/snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// The files of a fixture, main.acquis first, then the others by name.
fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut others: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "main.acquis"))
        .collect();
    others.sort();
    let mut files = vec![dir.join("main.acquis")];
    files.extend(others);
    files
}

/// The source part of a snapshot: every file of the fixture, as a reader
/// would see it (bytes that are not UTF-8 are shown as U+FFFD).
fn source_section(dir: &Path) -> String {
    let mut out = String::new();
    for path in fixture_files(dir) {
        let bytes =
            fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy();
        let note = match std::str::from_utf8(&bytes) {
            _ if bytes.is_empty() => " (empty file)",
            Ok(_) => "",
            Err(_) => " (not UTF-8: invalid bytes shown as \u{FFFD})",
        };
        out.push_str(&format!("----- SOURCE {name}{note}\n"));
        out.push_str(&String::from_utf8_lossy(&bytes));
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// Drops trailing spaces (codespan pads some lines with them), so that an
/// editor that strips them from the `.snap` files breaks no test.
fn tidy(story: &str) -> String {
    story
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

fn terminal(c: &Compilation) -> String {
    render::render(
        &c.diagnostics,
        &c.sources,
        Format::Terminal { color: false },
        acquis_diagnostics::Lang::En,
    )
}

/// Checks that `code` is reported, with its severity, and that no other
/// error is, except the justified ones.
fn check_codes(code: Code, c: &Compilation, output: &str) {
    let found = c.diagnostics.iter().find(|d| d.code == code);
    let Some(found) = found else {
        panic!("{code} was not reported; the output was:\n{output}");
    };
    assert_eq!(
        found.severity,
        code.severity(),
        "{code} has the wrong severity"
    );
    let allowed = allowed_extra_errors(code);
    let unexpected: Vec<Code> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != code && !allowed.contains(&d.code))
        .map(|d| d.code)
        .collect();
    assert!(
        unexpected.is_empty(),
        "the fixture of {code} also reports the errors {unexpected:?}; the output was:\n{output}"
    );
}

#[test]
fn every_code_has_a_snapshot() {
    for &code in Code::ALL {
        if code.as_str() == GENERATED {
            continue;
        }
        let dir = fixture_dir(code);
        let c = compile(&main_file(code), &Disk);
        let output = terminal(&c);
        check_codes(code, &c, &output);
        let story = format!("{}----- OUTPUT\n{output}", source_section(&dir));
        let mut settings = settings();
        settings.set_description(format!("{code}: {}", code.title()));
        settings.set_input_file(input_file(code));
        settings.bind(|| insta::assert_snapshot!(code.as_str(), tidy(&story)));
    }
}

#[test]
fn a0004_file_too_large() {
    let code = Code::FileTooLarge;
    assert_eq!(code.as_str(), GENERATED);
    let dir = TempDir::new(GENERATED);
    let main = r#"// Le bloc B2 est dans « bloc_énorme.acquis », un fichier de 50 Mo.
referential R "Référentiel de cuisine" { lang fr }
use std::scales::acquisition
import "bloc_énorme.acquis"
defaults {
  criterion scale acquisition
  competency validated when all criteria acquired
  block validated when all competencies validated
}
block B1 "Cuisiner à la française" {
  competency C1 "Préparer les légumes" { criterion CE1 "Épluchage soigné" }
  assessment E1 "Épreuve pratique" { covers C1 }
}
certification validated when all blocks validated
"#;
    fs::write(dir.0.join("main.acquis"), main).unwrap();
    // A sparse file: set_len makes it 50 MiB at once, without writing.
    let big = fs::File::create(dir.0.join("bloc_énorme.acquis")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    drop(big);

    let c = compile(&dir.0.join("main.acquis"), &Disk);
    // The temporary directory changes with every run: hide it.
    let output = terminal(&c).replace(&dir.0.display().to_string(), "[TEMP]");
    check_codes(code, &c, &output);
    let story = format!(
        "----- SOURCE main.acquis\n{main}\n\
         ----- SOURCE bloc_énorme.acquis (generated: 52428800 zero bytes)\n\n\
         ----- OUTPUT\n{output}"
    );
    let mut settings = settings();
    settings.set_description(format!("{code}: {}", code.title()));
    settings.bind(|| insta::assert_snapshot!(code.as_str(), tidy(&story)));
}

#[test]
fn every_code_has_a_fixture_and_every_fixture_a_code() {
    let mut missing = Vec::new();
    for &code in Code::ALL {
        let main = main_file(code);
        if code.as_str() == GENERATED {
            assert!(
                !fixture_dir(code).exists(),
                "{GENERATED} is generated at run time; remove its fixture"
            );
        } else if !main.is_file() {
            missing.push(main.display().to_string());
        }
    }
    assert!(missing.is_empty(), "missing fixtures: {missing:?}");

    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for entry in fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() && name != "snapshots" {
            assert!(
                codes.contains(&name.as_str()),
                "{} is not a diagnostic code",
                path.display()
            );
        }
    }
}

#[test]
fn every_code_is_documented() {
    let docs = read("docs/diagnostics.md");
    let headings: Vec<&str> = docs.lines().filter(|l| l.starts_with("## ")).collect();
    let mut missing = Vec::new();
    for &code in Code::ALL {
        let heading = format!("## {code}: {}", code.title());
        if !headings.contains(&heading.as_str()) {
            missing.push(heading);
        }
    }
    assert!(
        missing.is_empty(),
        "docs/diagnostics.md lacks these sections: {missing:#?}"
    );
    // The sections follow the order of `Code::ALL`.
    let order: Vec<&str> = headings
        .iter()
        .filter_map(|h| h.strip_prefix("## ")?.split(':').next())
        .collect();
    let expected: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let order: Vec<&str> = order.into_iter().filter(|c| expected.contains(c)).collect();
    assert_eq!(
        order, expected,
        "docs/diagnostics.md sections are out of order or repeated"
    );
}

/// The narrated (screen reader) and JSON renderers, on two codes: one
/// with a suggestion (A0202) and one syntax error with a skipped part
/// (A0101).
#[test]
fn other_renderers() {
    for code in [Code::UnknownReference, Code::Syntax] {
        let c = compile(&main_file(code), &Disk);
        let narrated = render::render(
            &c.diagnostics,
            &c.sources,
            Format::Narrated,
            acquis_diagnostics::Lang::En,
        );
        let json = render::json(&c.diagnostics, &c.sources, acquis_diagnostics::Lang::En);
        // The JSON output is one valid document with the code in it.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let codes: Vec<&str> = value["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert!(
            codes.contains(&code.as_str()),
            "{code} missing from the JSON output"
        );
        assert!(
            narrated.contains(code.as_str()),
            "{code} missing from the narrated output"
        );

        let source = source_section(&fixture_dir(code));
        let mut settings = settings();
        settings.set_input_file(input_file(code));
        settings.set_description(format!("{code}: {}, narrated", code.title()));
        settings.bind(|| {
            insta::assert_snapshot!(
                format!("{code}_narrated"),
                tidy(&format!("{source}----- OUTPUT (narrated)\n{narrated}"))
            )
        });
        settings.set_description(format!("{code}: {}, JSON", code.title()));
        settings.bind(|| {
            insta::assert_snapshot!(
                format!("{code}_json"),
                tidy(&format!("{source}----- OUTPUT (json)\n{json}"))
            )
        });
    }
}

/// Every fixture's diagnostics in French, narrated (the form that says
/// every word, places included): not one English word outside code; the
/// seed's and a few codes' French stories are snapshots.
#[test]
fn every_code_speaks_french() {
    let mut failures = Vec::new();
    for &code in Code::ALL {
        if code.as_str() == GENERATED {
            continue;
        }
        let c = compile(&main_file(code), &Disk);
        let narrated = render::render(
            &c.diagnostics,
            &c.sources,
            Format::Narrated,
            acquis_diagnostics::Lang::Fr,
        );
        // Source lines read out are the referential's own text.
        let spoken: String = narrated
            .lines()
            .filter(|l| !l.trim_start().starts_with("Texte de la ligne"))
            .collect::<Vec<_>>()
            .join("\n");
        let english = acquis_diagnostics::catalogue::english_words(&spoken);
        if !english.is_empty() {
            failures.push(format!("{code}: {english:?}\n{spoken}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for code in [
        Code::DuplicateId,
        Code::UnknownReference,
        Code::OutOfRange,
        Code::NoRule,
    ] {
        let c = compile(&main_file(code), &Disk);
        let terminal = render::render(
            &c.diagnostics,
            &c.sources,
            Format::Terminal { color: false },
            acquis_diagnostics::Lang::Fr,
        );
        let mut settings = settings();
        settings.set_snapshot_suffix("fr");
        settings.bind(|| insta::assert_snapshot!(code.as_str(), tidy(&terminal)));
    }
}
