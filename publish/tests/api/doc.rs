//! `doc::render`: the Markdown documents of both examples as snapshots, and
//! the structure of the HTML page (language, headings, spanning cells,
//! plain-language rules).

use acquis_publish::doc::{render, DocFormat};

use crate::{assert_heading_hierarchy, ir, ir_str, CUISINE, SEED};

fn doc(file: &str, format: DocFormat) -> String {
    render(&ir(file), format)
}

#[test]
fn markdown_of_the_seed() {
    insta::assert_snapshot!("doc_seed_md", doc(SEED, DocFormat::Md));
}

/// Source text that looks like markup (`&amp;`, `<b>`, "- " or "1. " at the
/// start of a mission, pipes, backticks) stays text.
#[test]
fn markdown_of_a_referential_full_of_markup() {
    insta::assert_snapshot!(
        "doc_tricky_en_md",
        doc("tests/fixtures/doc/tricky_en.acquis", DocFormat::Md)
    );
}

#[test]
fn markdown_of_the_cuisine_example() {
    insta::assert_snapshot!("doc_cuisine_md", doc(CUISINE, DocFormat::Md));
}

/// The rule sentences of a Markdown document, one a line.
fn rule_lines(md: &str) -> String {
    md.lines()
        .filter(|l| l.contains(" is validated when ") || l.contains(" validé"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reviewer's rules (nested and / or / not, arithmetic, every
/// quantifier) as sentences, in both languages: each must say exactly its
/// rule, grouping included.
#[test]
fn rule_sentences_of_the_review_fixtures() {
    insta::assert_snapshot!(
        "doc_rules_fr",
        rule_lines(&doc("tests/fixtures/doc/rules_fr.acquis", DocFormat::Md))
    );
    insta::assert_snapshot!(
        "doc_rules_en",
        rule_lines(&doc("tests/fixtures/doc/rules_en.acquis", DocFormat::Md))
    );
}

#[test]
fn html_of_the_seed_follows_the_official_layout() {
    let html = doc(SEED, DocFormat::Html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert_heading_hierarchy(&html, "seed document");
    // Self-contained: nothing to fetch, no script.
    for forbidden in ["<script", "<link", "src=\"http", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // Landmarks and the skip link.
    for landmark in [
        "<a class=\"skip\" href=\"#main\">Aller au contenu</a>",
        "<header>",
        "<nav aria-label=\"Sommaire\">",
        "<main id=\"main\"",
        "<footer>",
        "@media print",
        ":focus-visible",
    ] {
        assert!(html.contains(landmark), "{landmark}");
    }
    // Four blocks, each with its table; E1 spans C1.1 and C1.2, and so do
    // their shared criteria.
    assert_eq!(html.matches("<table class=\"referential\">").count(), 4);
    assert!(html.contains(
        "<td rowspan=\"2\" headers=\"t-A1-a t-A1-g0r0 t-A1-g0r1\"><p><strong>E1</strong>"
    ));
    assert!(html.contains("<td rowspan=\"2\" headers=\"t-A1-k t-A1-g0r0 t-A1-g0r1\"><p class=\"muted\">Critères communs à C1.1 et C1.2\u{202f}:</p>"));
    // A cell of one row says nothing of spanning.
    assert!(!html.contains("rowspan=\"1\""));
    // A4's E15 covers four competencies: one cell over four rows.
    assert!(html.contains("<td rowspan=\"4\" headers=\"t-A4-a"));
    // Every table has a caption, and scrolls in a region it names.
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<caption id=\"tcap").count()
    );
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"tcap")
            .count()
    );
    // The rules in French, and the structure picture with its alternative.
    assert!(html.contains("<li>C1.3 est validée lorsque les 5 critères sont tous acquis.</li>"));
    assert!(html.contains("La certification est validée lorsque les 4 blocs sont tous validés."));
    assert!(html.contains(
        "role=\"img\" aria-labelledby=\"structure-picture-title structure-picture-desc\""
    ));
    assert!(html.contains("<li>C1.1 — Analyser les besoins métiers"));
    // Accommodations, from the defaults.
    assert!(html.contains("Temps majoré 1/3 (oral)\u{202f}: tiers temps pour les soutenances"));
}

#[test]
fn rules_are_said_in_plain_french() {
    let md = doc(CUISINE, DocFormat::Md);
    for sentence in [
        "C1.1 est validée lorsqu'au moins 4 des 5 critères sont acquis, dont CE5.",
        "C3.1 est validée lorsque la moyenne des notes des 3 critères atteint au moins 10 et la note la plus basse parmi les 3 critères atteint au moins 8.",
        "La certification est validée lorsque B2 est validé et au moins 2 des 3 blocs sont validés.",
    ] {
        assert!(md.contains(sentence), "{sentence}");
    }
}

/// An English referential, whose texts hold markup characters.
const ENGLISH: &str = r#"referential R "Kitchen assistant" { level 3 }
use std::scales::acquisition
defaults { criterion scale acquisition }
block B1 "Prepare" {
  competency C1 "Receive <goods> & store them" {
    criterion CE1 "Checks" { indicator "Quantities are \"checked\"." }
    criterion CE2 "Storage"
    criterion CE3 "Cold chain"
    validated when at least 2 of criteria acquired and CE3 acquired
  }
  assessment E1 "Practical test" { covers C1 duration 1 h 30 min }
  validated when all competencies validated
}
certification validated when all blocks validated
"#;

#[test]
fn an_english_referential_gets_an_english_document() {
    let ir = ir_str(ENGLISH);
    let html = render(&ir, DocFormat::Html);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Skip to content"));
    assert!(html.contains(
        "C1 is validated when at least 2 of the 3 criteria are acquired, including CE3."
    ));
    assert!(html.contains("<strong>Duration:</strong> 1 h 30 min"));
    // Text is escaped.
    assert!(html.contains("Receive &lt;goods&gt; &amp; store them"));
    assert!(html.contains("Quantities are &quot;checked&quot;."));
    assert!(!html.contains("<goods>"));
    let md = render(&ir, DocFormat::Md);
    assert!(md.starts_with("# Kitchen assistant\n"));
    assert!(md.contains("Receive \\<goods\\> \\& store them"));
}

/// Two compilations of the same sources give the same bytes.
#[test]
fn documents_are_deterministic() {
    for format in [DocFormat::Html, DocFormat::Md] {
        assert!(
            doc(SEED, format) == doc(SEED, format),
            "two {format:?} documents of the seed differ"
        );
    }
}

/// « Le candidat doit : » was printed twice: once ending the description,
/// once as the tasks' label. A description ending with a colon introduces
/// the tasks itself; one that does not keeps the label.
#[test]
fn tasks_are_introduced_once() {
    let html = doc(SEED, DocFormat::Html);
    assert!(html.contains("le candidat doit\u{202f}:</p>\n<ul><li>Analyser les besoins"));
    assert!(!html.contains("<strong>Le candidat doit"));
    let cuisine = doc(CUISINE, DocFormat::Html);
    assert!(cuisine.contains("<strong>Le candidat doit\u{202f}:</strong>"));
}

/// Scales list their levels by label, lowest first, not as notation.
#[test]
fn scale_levels_are_printed_as_labels() {
    let html = doc(SEED, DocFormat::Html);
    assert!(html.contains("<td>non acquis, en cours, acquis</td><td>acquis</td>"));
    assert!(!html.contains("non_acquis &lt; en_cours"));
}

/// One block, one competency of `criteria` criteria, validated when all
/// are acquired (as `cargo bench --bench check` measures it).
fn wide_competency(criteria: usize) -> String {
    let mut s = String::from(
        "referential WIDE \"Large\" { lang fr }\nuse std::scales::acquisition\n\
         defaults {\n  criterion scale acquisition\n  competency validated when all criteria acquired\n  \
         block validated when all competencies validated\n}\nblock B1 \"Bloc\" {\n  competency C1 \"Compétence\" {\n",
    );
    for k in 1..=criteria {
        s.push_str(&format!("    criterion CE{k} \"Critère {k}\"\n"));
    }
    s.push_str("  }\n  assessment E1 \"Épreuve\" { covers C1 }\n}\n");
    s.push_str("certification validated when all blocks validated\n");
    s
}

/// The document of a competency of many criteria takes steps (entities
/// looked up by id, `acquis_ir::work`) in proportion to its criteria: 4×
/// the criteria, about 4× the steps, never the 16× of naming each
/// criterion by looking at all the others (16,000 criteria took 10 s so).
/// Counted, not timed.
#[test]
fn the_document_of_a_wide_competency_takes_steps_in_proportion() {
    let steps = |criteria: usize| {
        let ir = ir_str(&wide_competency(criteria));
        acquis_ir::work::reset();
        let html = render(&ir, DocFormat::Html);
        let md = render(&ir, DocFormat::Md);
        assert!(html.contains(&format!("CE{criteria}")) && md.contains(&format!("CE{criteria}")));
        acquis_ir::work::steps()
    };
    let (small, large) = (steps(500), steps(2000));
    // Each criterion is looked up at least once: the counter counts.
    assert!(small >= 500, "{small} steps for 500 criteria");
    assert!(
        large <= 5 * small,
        "{large} steps for 2,000 criteria, {small} for 500 (more than 5×)"
    );
}
