//! RNCP fiches as France Compétences publishes them: fiche RNCP34826
//! (tests/fixtures/real/rncp-34826, its blocs' HTML verbatim), and the
//! shapes issue 14 reports, reproduced (tests/fixtures/rncp/reproduced.xml).
//! Each defect has its regression test here.

use acquis_interop::rncp;

use crate::{check, is_canonical, source, workspace};

const REAL: &str = "tests/fixtures/real/rncp-34826/export.xml";
const REPRODUCED: &str = "tests/fixtures/rncp/reproduced.xml";

fn import(path: &str, fiche: &str) -> String {
    let (r, _) = rncp::import(&workspace(path), fiche).unwrap_or_else(|e| panic!("{e}"));
    source(&r)
}

fn competencies(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("competency "))
        .map(|l| l.to_string())
        .collect()
}

/// The skeleton checks with one A0406 per competency and nothing else.
fn checks(text: &str) {
    let (errors, warnings) = check(text);
    assert_eq!(errors, 0, "{text}");
    assert_eq!(warnings, vec!["A0406"; competencies(text).len()], "{text}");
    assert!(is_canonical(text), "{text}");
}

#[test]
fn codes_with_a_letter_segment_are_kept_whole() {
    let text = import(REAL, "RNCP34826");
    let all = competencies(&text);
    for code in [
        "C2.B1", "C2.B2", "C2.B3", "C2.A1", "C2.A2", "C2.A3", "C2.A4", "C2.D1", "C2.D2", "C1.3A",
        "C1.3B", "C2.4",
    ] {
        assert!(
            all.iter().any(|c| c.starts_with(&format!("{code} \""))),
            "{code}: {all:#?}"
        );
    }
    // Alone, `C2.B1 Analyser …` is competency C2.B1, not C2 "B1 …".
    assert!(text.contains("competency C2.B1 \"Analyser les besoins d’un public\""));
    assert_eq!(all.len(), 35);
    checks(&text);
}

#[test]
fn bts_wording_is_an_equivalence() {
    let text = import(REAL, "RNCP34826");
    // Both blocs are granted by the same BTS: one item, each bloc's text
    // kept in its doc comment, and no fake assessment.
    let item = "/// RNCP34826BC05 : bloc de compétences validé en brevet de technicien supérieur « économie sociale familiale »\n\
                /// RNCP34826BC07 : Bloc de compétences validé en brevet de technicien supérieur « économie sociale familiale »\n\
                equivalence EQ5 \"Brevet de technicien supérieur « économie sociale familiale »\" {\n  \
                grants RNCP34826BC05, RNCP34826BC07\n}\n";
    assert!(text.contains(item), "{text}");
    assert_eq!(text.matches("\nequivalence ").count(), 1, "{text}");
    assert!(!text.contains("kind \"équivalence\""), "{text}");
    let text = import(REPRODUCED, "RNCP88888");
    assert!(
        text.contains("equivalence EQ2 \"Brevet de technicien supérieur « communication »\" {\n  grants RNCP88888BC02\n}"),
        "{text}"
    );
    checks(&text);
}

#[test]
fn headings_without_a_colon_are_not_competencies() {
    let text = import(REAL, "RNCP34826");
    assert!(
        !competencies(&text)
            .iter()
            .any(|c| c.contains("Compétences validées")),
        "{text}"
    );
    assert!(text.contains(
        "// Intertitre de la liste des compétences : Compétences validées en brevet de technicien supérieur"
    ));
    let text = import(REPRODUCED, "RNCP88888");
    assert!(!competencies(&text)
        .iter()
        .any(|c| c.contains("Compétences attestées")));
}

#[test]
fn a_competency_ending_with_a_colon_goes_on_over_its_items() {
    let text = import(REPRODUCED, "RNCP88888");
    assert!(
        text.contains(
            "competency C3.1 \"Construire le budget prévisionnel de l'événement en tenant compte : \
             des coûts fixes et variables ; des recettes attendues ; des aléas\""
        ),
        "{text}"
    );
    assert!(
        text.contains("competency C3.2 \"Suivre les dépenses"),
        "{text}"
    );
    checks(&text);
}

#[test]
fn competencies_are_numbered_by_the_bloc_code_not_its_place() {
    let text = import(REPRODUCED, "RNCP88888");
    // BC03 comes first in the fiche: its competencies are C3.n, its
    // assessment E3.
    assert!(
        text.contains("competency C1.1 \"Analyser la demande du client\""),
        "{text}"
    );
    assert!(text.contains("competency C2.1 \"Élaborer le plan de communication\""));
    assert!(text.contains("assessment E3 "), "{text}");
    assert!(text.contains("assessment E1 "), "{text}");
}

#[test]
fn rs_fiches_listed_can_be_imported() {
    let mut out = Vec::new();
    rncp::list(&workspace(REPRODUCED), &mut out).unwrap();
    let listed = String::from_utf8(out).unwrap();
    assert!(listed.starts_with("RS5841\t"), "{listed}");
    for fiche in ["RS5841", "rs5841"] {
        let text = import(REPRODUCED, fiche);
        assert!(text.contains("referential RS5841 "), "{text}");
        checks(&text);
    }
    assert!(rncp::check_number("RS").is_err());
    assert!(rncp::check_number("RSX12").is_err());
}

const V4_1: &str = "tests/fixtures/real/rncp-v4.1/export_fiches_RNCP_fixture.xml";

/// Twelve fiches of France Compétences' 4.1 export
/// (tests/fixtures/real/rncp-v4.1): each is listed, imports and checks;
/// a competency list written on one line, its line breaks turned into runs
/// of spaces, gives one competency per line (it gave one competency per
/// bloc); the blocs a correspondance names are not taken for blocs of the
/// fiche (five of the twelve were refused: « bloc code … is used twice »).
#[test]
fn the_4_1_export_reads_whole() {
    let mut out = Vec::new();
    let warnings = rncp::list(&workspace(V4_1), &mut out).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let listed = String::from_utf8(out).unwrap();
    assert_eq!(listed.lines().count(), 12, "{listed}");
    for fiche in [
        "RNCP34762",
        "RNCP35809",
        "RNCP35625",
        "RNCP35419",
        "RNCP37488",
        "RNCP40344",
        "RNCP36612",
        "RNCP37674",
        "RNCP36490",
        "RNCP35959",
        "RNCP37873",
        "RNCP39568",
    ] {
        let text = import(V4_1, fiche);
        checks(&text);
        let blocks = text.lines().filter(|l| l.starts_with("block ")).count();
        // More competencies than blocs: no bloc is read as one line.
        assert!(competencies(&text).len() > blocks, "{fiche}:\n{text}");
    }
    let text = import(V4_1, "RNCP37674");
    assert_eq!(text.lines().filter(|l| l.starts_with("block ")).count(), 2);
    assert_eq!(
        competencies(&text),
        [
            "C1.1 \"Installer et configurer son environnement de travail en fonction du projet web ou web mobile\" {",
            "C1.2 \"Maquetter des interfaces utilisateur web ou web mobile\" {",
            "C1.3 \"Réaliser des interfaces utilisateur statiques web ou web mobile\" {",
            "C1.4 \"Développer la partie dynamique des interfaces utilisateur web ou web mobile\" {",
            "C2.1 \"Mettre en place une base de données relationnelle\" {",
            "C2.2 \"Développer des composants d'accès aux données SQL et NoSQL\" {",
            "C2.3 \"Développer des composants métier coté serveur\" {",
            "C2.4 \"Documenter le déploiement d'une application dynamique web ou web mobile\" {",
        ]
    );
}
