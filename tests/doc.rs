//! `acquis doc` and `acquis eval --format html` end to end: the Markdown
//! documents of both examples as snapshots, and the structure of the HTML
//! pages (language, headings, spanning cells, plain-language rules,
//! personal data). tests/accessibility.rs checks the same pages in a
//! browser.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::fs;
use std::path::Path;

mod common;
use common::{acquis, Run, TempDir, CUISINE, GRADES, SEED};

fn doc(file: &str, format: &str) -> String {
    let run = acquis(&["doc", file, "--format", format]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.stdout
}

/// The levels of the headings of a page, in order.
fn headings(html: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    for (i, window) in bytes.windows(3).enumerate() {
        if window[0] == b'<' && window[1] == b'h' && window[2].is_ascii_digit() {
            let after = bytes.get(i + 3).copied();
            if matches!(after, Some(b'>') | Some(b' ')) {
                out.push(window[2] - b'0');
            }
        }
    }
    out
}

/// One `h1`, and no heading more than one level below the one before it.
fn assert_heading_hierarchy(html: &str, page: &str) {
    let levels = headings(html);
    assert_eq!(
        levels.iter().filter(|&&l| l == 1).count(),
        1,
        "{page}: one h1"
    );
    assert_eq!(levels.first(), Some(&1), "{page}: starts with h1");
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{page}: heading h{} follows h{}",
            pair[1],
            pair[0]
        );
    }
}

#[test]
fn markdown_of_the_seed() {
    insta::assert_snapshot!("doc_seed_md", doc(SEED, "md"));
}

/// Source text that looks like markup (`&amp;`, `<b>`, "- " or "1. " at the
/// start of a mission, pipes, backticks) stays text.
#[test]
fn markdown_of_a_referential_full_of_markup() {
    insta::assert_snapshot!(
        "doc_tricky_en_md",
        doc("tests/fixtures/doc/tricky_en.acquis", "md")
    );
}

#[test]
fn markdown_of_the_cuisine_example() {
    insta::assert_snapshot!("doc_cuisine_md", doc(CUISINE, "md"));
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
        rule_lines(&doc("tests/fixtures/doc/rules_fr.acquis", "md"))
    );
    insta::assert_snapshot!(
        "doc_rules_en",
        rule_lines(&doc("tests/fixtures/doc/rules_en.acquis", "md"))
    );
}

#[test]
fn html_of_the_seed_follows_the_official_layout() {
    let html = doc(SEED, "html");
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
    let md = doc(CUISINE, "md");
    for sentence in [
        "C1.1 est validée lorsqu'au moins 4 des 5 critères sont acquis, dont CE5.",
        "C3.1 est validée lorsque la moyenne des notes des 3 critères atteint au moins 10 et la note la plus basse parmi les 3 critères atteint au moins 8.",
        "La certification est validée lorsque B2 est validé et au moins 2 des 3 blocs sont validés.",
    ] {
        assert!(md.contains(sentence), "{sentence}");
    }
}

#[test]
fn an_english_referential_gets_an_english_document() {
    let dir = TempDir::new("english");
    let file = dir.0.join("r.acquis");
    fs::write(
        &file,
        r#"referential R "Kitchen assistant" { level 3 }
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
"#,
    )
    .unwrap();
    let out = dir.0.join("r.html");
    let run = acquis(&["doc", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = fs::read_to_string(&out).unwrap();
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
    // The extension of -o chooses Markdown.
    let md = dir.0.join("r.md");
    let run = acquis(&["doc", file.to_str().unwrap(), "-o", md.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let md = fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# Kitchen assistant\n"));
    assert!(md.contains("Receive \\<goods\\> \\& store them"));
}

#[test]
fn a_referential_with_errors_gives_no_document() {
    let dir = TempDir::new("errors");
    let file = dir.0.join("bad.acquis");
    fs::write(
        &file,
        "referential R \"r\" {}\nblock B \"b\" { competency C }\n",
    )
    .unwrap();
    let out = dir.0.join("bad.html");
    let run = acquis(&["doc", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("error"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn documents_are_deterministic() {
    assert_eq!(doc(SEED, "html"), doc(SEED, "html"));
}

fn eval_html(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "eval",
        SEED,
        "--grades",
        GRADES,
        "--format",
        "html",
        "-o",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    acquis(&args)
}

#[test]
fn eval_html_writes_a_page_per_candidate_and_a_cohort_page() {
    let dir = TempDir::new("eval-html");
    let run = eval_html(&dir.0, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run
        .stderr
        .contains("65 candidates: 26 validated, 20 not validated, 19 pending, 0 with errors"));
    let pages: Vec<_> = fs::read_dir(dir.0.join("candidates")).unwrap().collect();
    assert_eq!(pages.len(), 65);

    let index = fs::read_to_string(dir.0.join("index.html")).unwrap();
    assert_heading_hierarchy(&index, "cohort page");
    // The same counts as the table output, in the table after the chart.
    assert!(index.contains("<tr><th scope=\"row\">EDL Expert en développement logiciel</th><td class=\"num\">26</td><td class=\"num\">20</td><td class=\"num\">19</td><td class=\"num\">40\u{a0}%</td></tr>"));
    assert!(index.contains("<tr><th scope=\"row\">A1 Analyser et concevoir des solutions logicielles ou applicatives</th><td class=\"num\">49</td><td class=\"num\">6</td><td class=\"num\">10</td>"));
    assert!(index.contains("aria-labelledby=\"chart-blocks-title chart-blocks-desc\""));
    // The rates' denominator is said on the page: 26 of 65, pending included.
    assert!(index.contains("à tous les candidats évalués sans erreur, en attente compris."));
    assert!(index.contains("aria-labelledby=\"chart-competencies-title chart-competencies-desc\""));
    assert!(index.contains("<a href=\"candidates/CAND-002.html\">CAND-002</a>"));

    // A pending candidate: outcomes, reasons, what is missing, accommodations.
    let pending = index
        .lines()
        .find(|l| {
            l.contains("candidates/CAND-")
                && l.contains("<td><span class=\"o w\">en attente</span></td>")
        })
        .expect("a pending candidate");
    let file = pending
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let page = fs::read_to_string(dir.0.join(file)).unwrap();
    assert_heading_hierarchy(&page, file);
    assert!(page.contains("<html lang=\"fr\">"));
    assert!(page.contains("Certification\u{202f}: <span class=\"o w\">en attente</span>"));
    assert!(page.contains("Notes manquantes ("), "{file}");
    // Each criterion with its outcome and grade, in its competency's row.
    assert!(page.contains("<span class=\"o p\">acquis</span> noté acquis</li>"));
    assert!(page.contains("<span class=\"o w\">en attente</span> pas encore noté</li>"));
    assert!(page.contains("Temps majoré 1/3 (oral)\u{202f}: tiers temps pour les soutenances"));
    assert!(page.contains("Évaluation des candidats en situation de handicap"));
    assert!(page.contains("<a href=\"../index.html\">Tous les candidats</a>"));
}

#[test]
fn personal_data_appears_only_with_include_metadata() {
    let dir = TempDir::new("metadata");
    let run = eval_html(&dir.0, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let all = |dir: &Path| -> String {
        let mut text = fs::read_to_string(dir.join("index.html")).unwrap();
        for page in fs::read_dir(dir.join("candidates")).unwrap() {
            text.push_str(&fs::read_to_string(page.unwrap().path()).unwrap());
        }
        text
    };
    // Assessors' names and dates are columns of candidates.csv.
    let text = all(&dir.0);
    for personal in ["Sophie", "Aurélie", "2026-01-21", "Données personnelles"] {
        assert!(!text.contains(personal), "{personal} appears");
    }
    let with = TempDir::new("metadata-included");
    let run = eval_html(&with.0, &["--include-metadata"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = fs::read_to_string(with.0.join("candidates/CAND-001.html")).unwrap();
    assert!(page.contains("Données personnelles"));
    // One assessor per block in the long CSV: every one is shown, none dropped.
    assert!(page
        .contains("<tr><th scope=\"row\">assessor</th><td>Sophie; Inès; Karim; Mathieu</td></tr>"));
}

#[test]
fn eval_html_needs_a_directory() {
    let run = acquis(&["eval", SEED, "--grades", GRADES, "--format", "html"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("--format html writes a directory of pages: name it with -o DIR"),
        "{}",
        run.stderr
    );
}

#[test]
fn candidates_with_errors_get_a_page_without_outcomes() {
    let dir = TempDir::new("errors-html");
    let run = acquis(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
        "--format",
        "html",
        "-o",
        dir.0.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(1));
    let index = fs::read_to_string(dir.0.join("index.html")).unwrap();
    assert!(index.contains("<span class=\"o e\">erreur</span>"));
    let line = index.lines().find(|l| l.contains("class=\"o e\"")).unwrap();
    let file = line
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let page = fs::read_to_string(dir.0.join(file)).unwrap();
    assert!(page.contains("Erreurs dans les notes"));
    assert!(page.contains("<li>ligne "));
    assert_heading_hierarchy(&page, file);
    // The grades reader's messages are English: marked so on a French
    // page (WCAG 3.1.2).
    let short = fs::read_to_string(dir.0.join("candidates/CAND-106.html")).unwrap();
    assert!(
        short.contains("<span lang=\"en\">this row has 2 fields but the header has 5</span>"),
        "{short}"
    );
    // "1 ligne … n'a pas pu être lue": the verb agrees with the count.
    assert!(index.contains("\u{202f}; 1 ligne du fichier de notes n'a pas pu être lue."));
}

#[test]
fn candidate_ids_are_escaped_and_file_names_are_safe() {
    let dir = TempDir::new("ids");
    let grades = dir.0.join("grades.jsonl");
    fs::write(
        &grades,
        concat!(
            "{\"candidate\": \"<b>Zoé & co</b>\", \"grades\": {\"C1.1/CE1\": \"acquis\"}}\n",
            "{\"candidate\": \"../../etc/passwd\", \"grades\": {\"C1.1/CE1\": \"acquis\"}}\n",
            "{\"candidate\": \"..\\\\..\\\\etc\\\\passwd\", \"grades\": {\"C1.1/CE1\": \"en_cours\"}}\n",
            "{\"candidate\": \"CON\", \"grades\": {\"C1.1/CE1\": \"acquis\"}}\n",
        ),
    )
    .unwrap();
    let out = dir.0.join("pages");
    let run = acquis(&[
        "eval",
        CUISINE,
        "--grades",
        grades.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut names: Vec<String> = fs::read_dir(out.join("candidates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Two ids that reduce to the same name get distinct files, all inside
    // the output directory.
    assert_eq!(
        names,
        [
            "CON_.html",
            "______etc_passwd-2.html",
            "______etc_passwd.html",
            "_b_Zoé___co__b_.html"
        ]
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("&lt;b&gt;Zoé &amp; co&lt;/b&gt;"));
    assert!(!index.contains("<b>Zoé"));
    let page = fs::read_to_string(out.join("candidates/_b_Zoé___co__b_.html")).unwrap();
    assert!(page.contains("<h1>Candidat &lt;b&gt;Zoé &amp; co&lt;/b&gt;</h1>"));

    // A second run into the same directory leaves no page of the first
    // (personal data may be on them), and nothing acquis did not write is
    // removed.
    fs::write(out.join("candidates/notes.txt"), "mine").unwrap();
    fs::write(
        &grades,
        "{\"candidate\": \"CON\", \"grades\": {\"C1.1/CE1\": \"acquis\"}}\n",
    )
    .unwrap();
    let run = acquis(&[
        "eval",
        CUISINE,
        "--grades",
        grades.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut names: Vec<String> = fs::read_dir(out.join("candidates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["CON_.html", "notes.txt"]);
}

/// Only grades that can still change an outcome are "still missing": K1
/// (`any criteria acquired`) is validated once CE1 is acquired, so neither
/// B1 nor the certification waits for K1/CE2 or K1/CE3.
#[test]
fn missing_grades_skip_decided_outcomes() {
    let dir = TempDir::new("missing");
    let run = acquis(&[
        "eval",
        "tests/fixtures/doc/tricky_en.acquis",
        "--grades",
        "tests/fixtures/doc/tricky_grades.csv",
        "--format",
        "html",
        "-o",
        dir.0.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = fs::read_to_string(dir.0.join("candidates/C1.html")).unwrap();
    let missing: Vec<&str> = page
        .split("Grades still missing")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or(""))
        .collect();
    assert!(missing.len() >= 3, "{page}");
    for m in &missing {
        assert!(!m.contains("K1/"), "{m}");
    }
    assert!(missing[0].contains("K2/CE1"), "{}", missing[0]);
}
