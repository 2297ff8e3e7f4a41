//! The RNCP import (docs/interop.md): fiches of the fixture exports as
//! skeletons, zipped exports, the HTML of real fiches, and bad exports with
//! their place.

use std::fs;
use std::io::Write;
use std::path::Path;

use acquis_interop::{rncp, InteropError, RncpProblem};

use crate::{check, is_canonical, read, relative, source, workspace, TempDir, EXPORT};

/// A fiche imported from an export: the file written and the warnings.
fn import(export: &Path, fiche: &str) -> Result<(String, Vec<String>), InteropError> {
    rncp::import(export, fiche).map(|(r, warnings)| {
        (
            source(&r),
            warnings.iter().map(ToString::to_string).collect(),
        )
    })
}

/// The lines of `--list` and its warnings.
fn list(export: &Path) -> Result<(String, Vec<String>), InteropError> {
    let mut out = Vec::new();
    let warnings = rncp::list(export, &mut out)?;
    Ok((
        String::from_utf8(out).unwrap(),
        warnings.iter().map(ToString::to_string).collect(),
    ))
}

/// The message of an import that must fail.
fn refused(export: &Path, fiche: &str) -> String {
    match import(export, fiche) {
        Ok((text, _)) => panic!("imported:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Writes a zip of `entries` (name, bytes) at `path`.
fn zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn rncp_list() {
    let (lines, warnings) = list(&workspace(EXPORT)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    insta::assert_snapshot!("rncp_list", lines);
}

#[test]
fn rncp_fiches_become_skeletons_with_only_the_marked_warnings() {
    for (fiche, name) in [
        ("RNCP39583", "rncp_RNCP39583"),
        ("12345", "rncp_RNCP12345"),
        ("rncp12350", "rncp_RNCP12350"),
    ] {
        let (text, _) = import(&workspace(EXPORT), fiche).unwrap();
        let (errors, warnings) = check(&text);
        assert_eq!(errors, 0, "{fiche}");
        let marked = text.matches("À COMPLÉTER : règle de validation").count();
        assert!(marked > 0);
        assert_eq!(warnings, vec!["A0406"; marked], "{fiche}");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn rncp_skeleton_keeps_codes_dates_and_equivalences() {
    let (text, _) = import(&workspace(EXPORT), "RNCP39583").unwrap();
    // Whitespace-insensitive: the skeleton is formatted (aligned columns).
    let text = text
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
    // The bloc validated by equivalence: a candidate-record item granting
    // it, named after the diploma the fiche names, no fake assessment.
    assert!(text.contains("equivalence EQ3 \"Diplôme d'ingénieur\" {\n grants RNCP39583BC03\n}"));
    assert!(!text.contains("kind \"équivalence\""));
}

#[test]
fn a_zipped_export_gives_the_same_skeleton() {
    let dir = TempDir::new("zip");
    let zipped = dir.join("export.zip");
    let xml = read(EXPORT);
    zip(
        &zipped,
        &[("fiches/export_fiches_RNCP_V4_1.xml", xml.as_bytes())],
    );
    let (plain, _) = import(&workspace(EXPORT), "RNCP39583").unwrap();
    let (from_zip, _) = import(&zipped, "RNCP39583").unwrap();
    assert_eq!(plain, from_zip);
    let (lines, _) = list(&zipped).unwrap();
    assert_eq!(lines.lines().count(), 3);
}

#[test]
fn rncp_review_fixture_gives_a_clean_skeleton() {
    let review = workspace("tests/fixtures/rncp/review.xml");
    let (r, warnings) = rncp::import(&review, "77777").unwrap();
    let text = source(&r);
    let warnings = crate::terminal(&warnings);
    // An impossible date is kept as written, with a warning.
    assert!(
        warnings.contains(
            "warning: `31/02/2024` (DATE_EFFET) is not a date dd/mm/yyyy: kept as written"
        ),
        "{warnings}"
    );
    // The fiche number given twice is flagged.
    assert!(
        warnings.contains("review.xml:33:3: warning: fiche `RNCP77777` appears twice"),
        "{warnings}"
    );
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
    // (kept as comments of their bloc).
    assert!(
        !text.lines().any(|l| l.contains("competency")
            && (l.contains("Compétences attestées") || l.contains("Savoir"))),
        "{text}"
    );
    assert!(
        text.contains("// Intertitre de la liste des compétences : Compétences attestées"),
        "{text}"
    );
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
    assert_eq!(text.matches("\nequivalence ").count(), 1, "{text}");
    assert!(text.contains("grants RNCP77777BC03\n"), "{text}");
    let (errors, warnings) = check(&text);
    assert_eq!(errors, 0);
    assert_eq!(warnings, vec!["A0406"; 5]);
    assert!(is_canonical(&text), "{text}");
    let (_, list_warnings) = list(&review).unwrap();
    assert!(
        list_warnings.iter().any(|w| w.contains("appears twice")),
        "{list_warnings:?}"
    );
}

#[test]
fn rncp_word_html_loses_comments_styles_and_symbol_bullets() {
    let (text, _) = import(&workspace("tests/fixtures/rncp/word.xml"), "RNCP55555").unwrap();
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
    let xml = read(EXPORT);
    // Names sorting before the export: a fork and an unrelated XML file.
    zip(
        &zipped,
        &[
            ("A_LIRE/schema.xml", b"<?xml version=\"1.0\"?><schema/>"),
            ("__MACOSX/._export.xml", b"\x00\x05\x16\x07"),
            ("export.xml", xml.as_bytes()),
        ],
    );
    let (lines, _) = list(&zipped).unwrap();
    assert_eq!(lines.lines().count(), 3);
}

#[test]
fn rncp_refuses_what_it_cannot_read_up_front() {
    let dir = TempDir::new("rncp-upfront");
    // The number is checked before the export is read: this one does not exist.
    let error = rncp::import(&dir.join("absent.xml"), "abc").unwrap_err();
    assert!(
        matches!(&error, InteropError::NotAFicheNumber { given } if given == "abc"),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("`abc` is not a fiche number"),
        "{error}"
    );
    assert_eq!(error.code(), acquis_diagnostics::Code::NotAFicheNumber);
    let latin = dir.join("latin1.xml");
    fs::write(
        &latin,
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX></FICHES>\n",
    )
    .unwrap();
    let message = refused(&latin, "1");
    assert!(
        message.contains("the export is declared in ISO-8859-1; only UTF-8 exports are read"),
        "{message}"
    );
    // One fiche: "1 fiche", not "1 fiches".
    let one = dir.join("one.xml");
    fs::write(
        &one,
        "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE></FICHES>",
    )
    .unwrap();
    let message = refused(&one, "2");
    assert!(message.contains("(1 fiche)"), "{message}");
}

#[test]
fn bad_rncp_exports_are_reported_with_their_place() {
    type Edit = fn(&str) -> String;
    let cases: [(&str, Edit); 6] = [
        ("malformed", |t| {
            t.replacen("</INTITULE>", "</INTITULEE>", 1)
        }),
        ("truncated", |t| t[..t.len() / 2].to_string()),
        ("version", |t| {
            t.replace("<VERSION_FLUX>4.1<", "<VERSION_FLUX>3.0<")
        }),
        ("empty-bloc", |t| {
            t.replace(
                "<LISTE_COMPETENCES>&lt;p&gt;C1 Dresser les assiettes&lt;/p&gt;</LISTE_COMPETENCES>",
                "<LISTE_COMPETENCES></LISTE_COMPETENCES>",
            )
        }),
        ("duplicate-bloc", |t| {
            t.replace("<CODE>RNCP12345BC02</CODE>", "<CODE>RNCP12345BC01</CODE>")
        }),
        ("duplicate-competency", |t| {
            t.replace("C2 Désinfecter", "C1 Désinfecter")
        }),
    ];
    let dir = TempDir::new("rncp-bad");
    let export = read(EXPORT);
    let mut messages = Vec::new();
    for (name, edit) in cases {
        let file = dir.join(&format!("{name}.xml"));
        fs::write(&file, edit(&export)).unwrap();
        let fiche = if name.starts_with("duplicate-c") {
            "RNCP12350"
        } else {
            "RNCP12345"
        };
        let error = rncp::import(&file, fiche).unwrap_err();
        assert!(
            matches!(error, InteropError::Rncp { .. }),
            "{name}: {error:?}"
        );
        let message = error.to_string();
        let start = message
            .find(&format!("{name}.xml:"))
            .expect("the message names the file");
        messages.push(format!("{name}: {}", &message[start..]));
    }
    let error = rncp::import(&workspace(EXPORT), "RNCP12340").unwrap_err();
    assert!(
        matches!(&error, InteropError::FicheNotFound { seen: 3, closest, .. } if closest.len() == 3),
        "{error:?}"
    );
    messages.push(format!("missing: {}", relative(&error.to_string())));
    insta::assert_snapshot!("rncp_bad_input", messages.join("\n"));
}

#[test]
fn a_zip_without_xml_or_another_xml_document_is_refused() {
    let dir = TempDir::new("not-rncp");
    let zipped = dir.join("empty.zip");
    zip(&zipped, &[("readme.txt", b"no export here")]);
    let message = refused(&zipped, "1");
    assert!(message.contains("holds no .xml file"), "{message}");
    let other = dir.join("other.xml");
    fs::write(
        &other,
        "<?xml version=\"1.0\"?>\n<CATALOGUE><FICHE/></CATALOGUE>\n",
    )
    .unwrap();
    let error = rncp::import(&other, "1").unwrap_err();
    assert!(
        matches!(
            &error,
            InteropError::Rncp {
                line: 2,
                column: 1,
                problem: RncpProblem::NotFiches { root },
                ..
            } if root == "CATALOGUE"
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("other.xml:2:1: error: not an RNCP export"),
        "{error}"
    );
}

#[test]
fn imported_rncp_skeletons_are_in_canonical_form() {
    let (text, _) = import(&workspace(EXPORT), "RNCP39583").unwrap();
    assert!(is_canonical(&text), "{text}");
}

/// A scan of the export says how many fiches it has read after each one
/// (the command line's progress line): one by one, every fiche for
/// `--list`, up to the one wanted for an import.
#[test]
fn scans_count_the_fiches_they_read() {
    let mut listed = Vec::new();
    acquis_interop::rncp::list_watched(
        &crate::workspace(crate::EXPORT),
        &mut std::io::sink(),
        &mut |n| listed.push(n),
    )
    .unwrap();
    assert_eq!(listed, [1, 2, 3]);
    let mut scanned = Vec::new();
    acquis_interop::rncp::import_watched(&crate::workspace(crate::EXPORT), "RNCP12350", &mut |n| {
        scanned.push(n)
    })
    .unwrap();
    assert!(!scanned.is_empty() && scanned.len() <= 3, "{scanned:?}");
    assert!(scanned.windows(2).all(|w| w[1] == w[0] + 1), "{scanned:?}");
}

/// A fiche number given again is reported once, at its second place,
/// however many copies follow: an export of thousands of copies of one
/// fiche (a zip bomb's shape) lists each copy and holds one warning.
#[test]
fn a_number_given_many_times_is_one_warning() {
    let dir = TempDir::new("rncp-copies");
    let fiche = "<FICHE><NUMERO_FICHE>RNCP00001</NUMERO_FICHE><INTITULE>T</INTITULE></FICHE>\n";
    let text = format!(
        "<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n{}</FICHES>\n",
        fiche.repeat(5_000)
    );
    let path = dir.0.join("copies.xml");
    fs::write(&path, text).unwrap();
    let mut out = Vec::new();
    let warnings = rncp::list(&path, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 5_000);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let shown = crate::terminal(&warnings);
    assert!(
        shown.contains("copies.xml:4:1: warning: fiche `RNCP00001` appears twice in the export (first at line 3)"),
        "{shown}"
    );
}

/// A fiche with neither blocs nor capacities (or capacities of markup
/// only) cannot be a referential: A0804, at the fiche, saying so.
#[test]
fn a_fiche_without_blocs_or_capacities_is_refused() {
    let dir = TempDir::new("rncp-empty");
    for capacities in [
        "",
        "<CAPACITES_ATTESTEES>&lt;p&gt;&lt;/p&gt;</CAPACITES_ATTESTEES>",
    ] {
        let path = dir.0.join("empty.xml");
        fs::write(
            &path,
            format!(
                "<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n<FICHE><NUMERO_FICHE>RS1234</NUMERO_FICHE>\
                 <INTITULE>T</INTITULE>{capacities}</FICHE>\n</FICHES>\n"
            ),
        )
        .unwrap();
        let e = rncp::import(&path, "RS1234").unwrap_err();
        let shown = e.to_diagnostic().message.english().to_string();
        assert_eq!(
            shown, "fiche `RS1234` has neither BLOC_COMPETENCES nor CAPACITES_ATTESTEES",
            "{capacities}"
        );
        assert_eq!(e.to_diagnostic().code.as_str(), "A0804");
    }
}
