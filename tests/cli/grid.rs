//! `acquis grid`: the empty grading grid, filled and given back to `acquis
//! eval`, as an `.xlsx` workbook (drop-down lists, a sheet of criteria)
//! and as a CSV with `;` (a spreadsheet in French, decimal commas).

use std::io::Read as _;

use calamine::{Data, Reader};

use crate::common::{acquis, TempDir};

const BTS: &str = "examples/bts-sio/bts-sio.acquis";
const SEED: &str = "examples/edl/referential.acquis";

#[test]
fn an_xlsx_grid_filled_and_evaluated() {
    let dir = TempDir::new("grid-xlsx");
    let grid = dir.0.join("grille.xlsx");
    acquis(&["grid", BTS, "-o", grid.to_str().unwrap()]).assert_code(0);
    // The sheet to fill: `candidate` then every part; the second sheet
    // names each one, in French.
    let mut workbook = calamine::open_workbook_auto(&grid).unwrap();
    assert_eq!(workbook.sheet_names(), ["Notes", "Critères"]);
    let notes = workbook.worksheet_range("Notes").unwrap();
    let header: Vec<String> = notes
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "candidate",
            "U1/note",
            "U2/note",
            "U3/note",
            "U4/note",
            "U5/note",
            "U6/note",
            "U7/note",
            "UF1/note",
            "UF2/note",
            "UF3/note"
        ]
    );
    let list = workbook.worksheet_range("Critères").unwrap();
    let second = list.rows().nth(1).unwrap();
    assert_eq!(second.first(), Some(&Data::String("U1/note".into())));
    assert_eq!(
        second.get(3),
        Some(&Data::String("0 .. 20 (pas 0,5)".into()))
    );
    // Each column accepts only the scale's range.
    let mut sheet = String::new();
    zip::ZipArchive::new(std::fs::File::open(&grid).unwrap())
        .unwrap()
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert_eq!(sheet.matches("<dataValidation ").count(), 10, "{sheet}");
    assert!(sheet.contains("type=\"decimal\""), "{sheet}");

    // Filled as a jury would: numbers and one text cell, in the grid's
    // columns; the optional units' columns left blank (not taken: never
    // pending, no points).
    let filled = dir.0.join("notes.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (col, h) in (0u16..).zip(&header) {
        ws.write_string(0, col, h).unwrap();
    }
    let rows: [(&str, [f64; 7]); 2] = [
        ("SIO-101", [8.0, 12.0, 9.0, 11.0, 13.0, 10.0, 10.0]),
        ("SIO-102", [8.0, 9.0, 9.0, 9.0, 11.0, 10.0, 10.0]),
    ];
    for (row, (id, marks)) in (1u32..).zip(rows) {
        ws.write_string(row, 0, id).unwrap();
        for (col, mark) in (1u16..).zip(marks) {
            ws.write_number(row, col, mark).unwrap();
        }
    }
    ws.write_string(3, 0, "SIO-103").unwrap();
    ws.write_string(3, 1, "12,5").unwrap();
    book.save(&filled).unwrap();
    let run = acquis(&[
        "eval",
        BTS,
        "--grades",
        filled.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "candidate,certification,certification_source\nSIO-101,validated,\nSIO-102,not_validated,\nSIO-103,pending,\n"
    );
    // A grade off the scale is reported at its row, as in a CSV.
    let bad = dir.0.join("bad.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "candidate").unwrap();
    ws.write_string(0, 1, "U1/note").unwrap();
    ws.write_string(1, 0, "SIO-201").unwrap();
    ws.write_number(1, 1, 21.0).unwrap();
    book.save(&bad).unwrap();
    let run = acquis(&["eval", BTS, "--grades", bad.to_str().unwrap()]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("bad.xlsx:2:2: error"),
        "{}",
        run.describe()
    );
    // Not a workbook: one clear error.
    let fake = dir.0.join("fake.xlsx");
    std::fs::write(&fake, "candidate,U1/note\n").unwrap();
    let run = acquis(&["eval", BTS, "--grades", fake.to_str().unwrap()]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("not an .xlsx workbook"),
        "{}",
        run.describe()
    );
}

#[test]
fn a_semicolon_grid_filled_and_evaluated() {
    let dir = TempDir::new("grid-csv");
    let run = acquis(&["grid", SEED, "--assessment", "E1", "--separator", ";"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "candidate;E1/CE1;E1/CE2;E1/CE3;E1/CE4;E1/CE5\n");
    let grades = dir.0.join("e1.csv");
    std::fs::write(
        &grades,
        format!("{}ALICE;acquis;acquis;acquis;acquis;acquis\nBOB;acquis;en_cours;acquis;acquis;acquis\n", run.stdout),
    )
    .unwrap();
    let run = acquis(&[
        "eval",
        SEED,
        "--grades",
        grades.to_str().unwrap(),
        "--format",
        "json",
    ]);
    run.assert_code(0);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["outcomes"]["C1.1"]["outcome"], "validated");
    assert_eq!(lines[1]["outcomes"]["C1.1"]["outcome"], "not_validated");
    // An unknown assessment, and an output that is neither .csv nor .xlsx.
    let run = acquis(&["grid", SEED, "--assessment", "E99"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("unknown assessment `E99`"),
        "{}",
        run.describe()
    );
    let run = acquis(&["grid", SEED, "-o", dir.0.join("grid.pdf").to_str().unwrap()]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(".xlsx` or `.csv`"),
        "{}",
        run.describe()
    );
}

/// A grid filled by hand in a spreadsheet: levels typed with capitals,
/// accents or spaces are read as the scale's levels; a word that is no
/// level stays an error with its suggestion.
#[test]
fn levels_typed_as_people_write_them_are_read() {
    let dir = crate::common::TempDir::new("grid-typed-levels");
    let grades = dir.join("grades.csv");
    std::fs::write(
        &grades,
        "candidate;criterion;grade\nX1;C1.3/CE1;Acquis\nX1;C1.3/CE2;En cours\nX1;C1.3/CE3;NON-ACQUIS\nX2;C1.3/CE1;acquise\n",
    )
    .unwrap();
    let run = crate::common::acquis(&[
        "eval",
        "examples/edl/referential.acquis",
        "--grades",
        grades.to_str().unwrap(),
        "--format",
        "json",
    ]);
    run.assert_code(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["candidate"], "X1");
    assert!(lines[0].get("errors").is_none(), "{}", lines[0]);
    let outcomes = &lines[0]["outcomes"];
    for (criterion, reason) in [
        ("C1.3/CE1", "noté acquis, seuil acquis"),
        ("C1.3/CE2", "noté en_cours, sous le seuil acquis"),
        ("C1.3/CE3", "noté non_acquis, sous le seuil acquis"),
    ] {
        assert_eq!(
            outcomes[criterion]["reason"], reason,
            "{}",
            outcomes[criterion]
        );
    }
    assert_eq!(lines[1]["candidate"], "X2");
    assert!(
        run.stderr
            .contains("`acquise` is not a level of the scale (did you mean `acquis`?)"),
        "{}",
        run.stderr
    );
}

/// Workbooks saved by LibreOffice Calc (tests/fixtures/real/libreoffice),
/// not by rust_xlsxwriter: marks stored as numbers, levels as shared
/// strings typed with capitals and spaces, empty cells left out. The
/// results are those of the CSV they were made from, byte for byte.
#[test]
fn workbooks_saved_by_libreoffice_read_as_their_csv() {
    for (referential, stem) in [
        ("examples/bts-sio/bts-sio.acquis", "bts-sio-notes"),
        ("examples/edl/referential.acquis", "edl-e1-niveaux"),
    ] {
        let dir = "tests/fixtures/real/libreoffice";
        let xlsx = format!("{dir}/{stem}.xlsx");
        let csv = format!("{dir}/{stem}.csv");
        let from_xlsx =
            crate::common::acquis(&["eval", referential, "--grades", &xlsx, "--format", "json"]);
        let from_csv = crate::common::acquis(&[
            "eval",
            referential,
            "--grades",
            &csv,
            "--input-format",
            "wide-csv",
            "--format",
            "json",
        ]);
        from_xlsx.assert_code(0);
        from_csv.assert_code(0);
        assert_eq!(from_xlsx.stdout.lines().count(), 3, "{stem}");
        assert_eq!(from_xlsx.stdout, from_csv.stdout, "{stem}");
        assert_eq!(from_xlsx.stderr, from_csv.stderr, "{stem}");
    }
}

/// A scale whose levels declare labels (`non_acquis "Non acquis"`): the
/// grid offers the labels, the second sheet lists them, and grades written
/// as labels (in any case, with or without accents) evaluate as their
/// levels.
#[test]
fn labelled_levels_go_through_the_grid_and_back() {
    let dir = TempDir::new("grid-labels");
    let referential = dir.0.join("r.acquis");
    std::fs::write(
        &referential,
        "referential R \"Référentiel\" { lang fr }
scale maitrise \"Maîtrise\" {
  levels non_acquis \"Non acquis\" < en_cours \"En cours d'acquisition\" < acquis \"Maîtrisé\"
  pass acquis
}
defaults {
  criterion scale maitrise
  competency validated when all criteria acquired
  block validated when all competencies validated
}
block B1 \"Bloc\" {
  competency C1 \"Compétence\" {
    criterion CE1 \"Un\"
    criterion CE2 \"Deux\"
  }
  assessment E1 \"Épreuve\" { covers C1 }
}
certification validated when all blocks validated
",
    )
    .unwrap();
    let grid = dir.0.join("grille.xlsx");
    acquis(&[
        "grid",
        referential.to_str().unwrap(),
        "-o",
        grid.to_str().unwrap(),
    ])
    .assert_code(0);
    let mut workbook = calamine::open_workbook_auto(&grid).unwrap();
    let list = workbook.worksheet_range("Critères").unwrap();
    let second = list.rows().nth(1).unwrap();
    assert_eq!(
        second.get(3),
        Some(&Data::String(
            "Non acquis < En cours d'acquisition < Maîtrisé".into()
        ))
    );
    let mut sheet = String::new();
    zip::ZipArchive::new(std::fs::File::open(&grid).unwrap())
        .unwrap()
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        sheet.contains("Non acquis,En cours d&apos;acquisition,Maîtrisé")
            || sheet.contains("Non acquis,En cours d'acquisition,Maîtrisé"),
        "{sheet}"
    );
    // Filled with the labels as people type them.
    let grades = dir.0.join("notes.csv");
    std::fs::write(
        &grades,
        "candidate;C1/CE1;C1/CE2\nX1;Maîtrisé;MAITRISE\nX2;Maîtrisé;en cours d'acquisition\n",
    )
    .unwrap();
    let run = acquis(&[
        "eval",
        referential.to_str().unwrap(),
        "--grades",
        grades.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    run.assert_code(0);
    assert!(run.stdout.contains("X1,validated"), "{}", run.stdout);
    assert!(run.stdout.contains("X2,not_validated"), "{}", run.stdout);
}
