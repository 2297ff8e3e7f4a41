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

/// The fiches of tests/fixtures/real/rncp-v4.1, in the file's order.
const FICHES_4_1: [&str; 12] = [
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
];

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
    for fiche in FICHES_4_1 {
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

/// The codes of the 4.1 export's fiches, however they are written, are the
/// competencies' ids (`C.1.`, `A1C1.`, `A1C2.Apprécier`, `A5.C1.`, `1.1`,
/// `3.1.2.`, a code alone on its line); an introduction ending with `:`
/// before coded lines is a heading, not a competency.
#[test]
fn the_4_1_export_codes_are_the_competency_ids() {
    // The fiche's skeleton and competencies, which open with `prefixes`.
    let starts = |fiche: &str, prefixes: &[&str]| {
        let text = import(V4_1, fiche);
        let all = competencies(&text);
        for p in prefixes {
            assert!(all.iter().any(|c| c.starts_with(p)), "{p}:\n{text}");
        }
        (text, all)
    };
    let (text, all) = starts(
        "RNCP35419",
        &[
            "C.1 \"Organiser et conduire une réunion",
            "C.5 \"Réaliser une estimation",
            "C.10 \"Développer les fonctionnalités du logiciel",
            "C.18 \"Concevoir une application d’analyse",
        ],
    );
    assert_eq!(all.len(), 18);
    assert!(!text.contains("\"C."), "{text}");

    let (text, all) = starts(
        "RNCP34762",
        &[
            "A1C1 \"Evaluer, depuis son périmètre",
            "A1C2 \"Apprécier, depuis son périmètre",
            "A2C10 \"Communiquer afin d'informer",
            "A5.C1 \"Réaliser un diagnostic",
            "A5.C5 \"Organiser l’actualisation",
        ],
    );
    assert_eq!(all.len(), 7 + 10 + 10 + 8 + 5);
    assert!(!all.iter().any(|c| c.contains("En mobilisant")), "{text}");
    assert!(text.contains(
        "// Intertitre de la liste des compétences : En mobilisant une analyse du contexte"
    ));

    let (text, all) = starts(
        "RNCP36490",
        &[
            "C1.1 \"Recueillir, le besoin du client",
            "C1.1.1 \"Auditer les parties prenantes",
            "C3.1 \"Organiser le déploiement de la solution logicielle",
            "C3.1.2 \"Configurer l’environnement de déploiement",
            "C4.3.2 \"Elaborer les outils de reporting",
        ],
    );
    assert!(!all.iter().any(|c| c.contains("\"3.1")), "{text}");
}

const RS_V4_1: &str = "tests/fixtures/real/rncp-rs-v4.1/export_fiches_RS_fixture.xml";

/// Eight RS fiches of the 4.1 export (tests/fixtures/real/rncp-rs-v4.1):
/// they have no blocs; each is listed and imports as one block of its
/// `CAPACITES_ATTESTEES`, which checks.
#[test]
fn rs_fiches_of_the_4_1_export_import() {
    let mut out = Vec::new();
    let warnings = rncp::list(&workspace(RS_V4_1), &mut out).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let listed = String::from_utf8(out).unwrap();
    let numbers = [
        "RS6232", "RS5719", "RS6547", "RS5000", "RS5568", "RS6604", "RS7485", "RS7423",
    ];
    assert_eq!(listed.lines().count(), numbers.len(), "{listed}");
    for fiche in numbers {
        assert!(listed.contains(&format!("{fiche}\t")), "{listed}");
        let text = import(RS_V4_1, fiche);
        checks(&text);
        assert_eq!(
            text.lines().filter(|l| l.starts_with("block ")).count(),
            1,
            "{text}"
        );
        assert!(text.contains(&format!("block {fiche} \"")), "{text}");
        assert!(competencies(&text).len() >= 4, "{fiche}:\n{text}");
    }
    // Codes, one alone on its line; the introduction is a heading.
    let text = import(RS_V4_1, "RS5000");
    let all = competencies(&text);
    assert_eq!(all.len(), 7, "{text}");
    for (i, c) in all.iter().enumerate() {
        assert!(c.starts_with(&format!("C{} \"", i + 1)), "{c}");
    }
    assert!(all[4].starts_with("C5 \"Développer un programme de transactions conforme"));
    assert!(text.contains(
        "// Intertitre de la liste des compétences : Les compétences attestées par la certification :"
    ));
    // Items numbered under the competency they complete stay in it.
    let text = import(RS_V4_1, "RS5719");
    let all = competencies(&text);
    assert_eq!(all.len(), 6, "{text}");
    let gestures = all
        .iter()
        .find(|c| c.contains("Réaliser les gestes de premiers secours"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        gestures
            .contains("face à une personne : 4.1 victime d'une obstruction des voies aériennes ;")
            && gestures.contains("4.7 présentant un traumatisme des membres ou de la peau."),
        "{gestures}"
    );
    assert!(
        !all.iter().any(|c| c.contains("Le secouriste possède")),
        "{text}"
    );
    // Numbered as a bloc of the fiche would be, list numbers dropped.
    assert!(
        all[0].starts_with("C1.1 \"évoluer dans le cadre juridique"),
        "{text}"
    );
    assert!(text.contains("assessment E1 "), "{text}");
    let text = import(RS_V4_1, "RS6547");
    assert!(
        competencies(&text)[2].starts_with("C1.3 \"Animer en anglais un cours communicatif"),
        "{text}"
    );
}

/// The 4.1 export cuts sentences where the fiche's author broke lines
/// (runs of spaces in the middle of a sentence): a line in lower case after
/// a line that does not end a sentence goes on with it.
#[test]
fn sentences_the_4_1_export_cut_are_joined() {
    let text = import(V4_1, "RNCP35809");
    for whole in [
        "C2.1 \"Valider une solution technique\"",
        "C2.13 \"Produire à l’aide d’outils numériques des représentations de tout ou partie d’une solution d’aménagement ou de finition\"",
        "C2.17 \"Prévenir les risques professionnels\"",
    ] {
        assert!(competencies(&text).iter().any(|c| c.starts_with(whole)), "{whole}:\n{text}");
    }
    assert_eq!(competencies(&text).len(), 9 + 20 + 6 + 14, "{text}");
    let text = import(V4_1, "RNCP35625");
    assert!(text.contains(
        "competency C2.5 \"Conduire une analyse réflexive et distanciée prenant en compte les enjeux, \
         les problématiques et la complexité d’une demande ou d’une situation afin de proposer des \
         solutions adaptées et/ou innovantes en respect des évolutions de la réglementation\""
    ), "{text}");
    // No competency of the twelve fiches opens in the middle of a sentence.
    for fiche in FICHES_4_1 {
        let text = import(V4_1, fiche);
        for c in competencies(&text) {
            let title = c.split_once('"').map_or("", |(_, t)| t);
            assert!(!title.starts_with(char::is_lowercase), "{fiche}: {c}");
        }
    }
}
