//! `report::Pages` as the result sink of `acquis_eval::run`: a page per
//! candidate and a cohort page (outcomes, reasons, what is missing,
//! accommodations, personal data only when asked for, safe file names).

use std::fs;
use std::path::Path;

use acquis_eval::{sink, Plan, Summary};
use acquis_ir::Ir;
use acquis_publish::report::Pages;

use crate::{assert_heading_hierarchy, ir, workspace, TempDir, CUISINE, GRADES, SEED};

/// What one evaluation into pages gave: its summary and the problems of
/// the grades file, as diagnostics (shown with `{:?}`).
struct Evaluation {
    summary: Summary,
    problems: Vec<String>,
}

impl Evaluation {
    /// No problem in the grades: the command line would exit with 0.
    #[track_caller]
    fn assert_clean(&self) {
        assert!(
            self.problems.is_empty() && self.summary.errors == 0 && self.summary.file_errors == 0,
            "{:#?}",
            self.problems
        );
    }
}

/// Evaluates `grades` (a path) against `ir` into pages written in `dir`.
fn eval_html(ir: &Ir, grades: &Path, dir: &Path, include_metadata: bool) -> Evaluation {
    let plan = Plan::new(ir);
    let mut pages = match Pages::create(&plan, dir, include_metadata) {
        Ok(pages) => pages,
        Err(e) => panic!("{e}"),
    };
    let mut problems = Vec::new();
    let result = acquis_eval::run(&plan, grades, None, &mut pages, &mut |d| {
        problems.push(format!("{d:?}"))
    });
    match result {
        Ok(summary) => Evaluation { summary, problems },
        Err(e) => panic!("{e}"),
    }
}

/// The seed's example candidates into `dir`.
fn seed_html(dir: &Path, include_metadata: bool) -> Evaluation {
    eval_html(&ir(SEED), &workspace(GRADES), dir, include_metadata)
}

/// The file a line of the cohort page links to.
fn linked_file(line: &str) -> &str {
    line.split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
}

#[test]
fn a_page_per_candidate_and_a_cohort_page() {
    let dir = TempDir::new("eval-html");
    let evaluation = seed_html(&dir.0, false);
    evaluation.assert_clean();
    let english = acquis_ir::describe::Lang { fr: false };
    assert!(sink::summary_text(&evaluation.summary, english)
        .contains("65 candidates: 26 validated, 20 not validated, 19 pending, 0 with errors"));
    let pages: Vec<String> = names(&dir.0.join("candidates"))
        .into_iter()
        .filter(|n| n.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 65);
    // The manifest lists exactly the pages written, for the next run.
    let manifest = fs::read_to_string(dir.0.join("candidates/.acquis-pages")).unwrap();
    let mut listed: Vec<&str> = manifest.lines().collect();
    listed.sort();
    assert_eq!(listed, pages);

    let index = fs::read_to_string(dir.0.join("index.html")).unwrap();
    assert_heading_hierarchy(&index, "cohort page");
    // The same counts as the table output, in the table after the chart.
    // Each figure is labelled by its column, for the narrow-screen cards.
    assert!(index.contains("<tr><th scope=\"row\">EDL Expert en développement logiciel</th><td class=\"num\" data-label=\"Validé\">26</td><td class=\"num\" data-label=\"Non validé\">20</td><td class=\"num\" data-label=\"En attente\">19</td><td class=\"num\" data-label=\"Taux de réussite\">40\u{a0}%</td></tr>"));
    assert!(index.contains("<tr><th scope=\"row\">A1 Analyser et concevoir des solutions logicielles ou applicatives</th><td class=\"num\" data-label=\"Validé\">49</td><td class=\"num\" data-label=\"Non validé\">6</td><td class=\"num\" data-label=\"En attente\">10</td>"));
    assert!(index.contains("<table class=\"figures\">"));
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
    let file = linked_file(pending);
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
    seed_html(&dir.0, false).assert_clean();
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
    seed_html(&with.0, true).assert_clean();
    let page = fs::read_to_string(with.0.join("candidates/CAND-001.html")).unwrap();
    assert!(page.contains("Données personnelles"));
    // One assessor per block in the long CSV: every one is shown, none dropped.
    assert!(page
        .contains("<tr><th scope=\"row\">assessor</th><td>Sophie; Inès; Karim; Mathieu</td></tr>"));
}

#[test]
fn candidates_with_errors_get_a_page_without_outcomes() {
    let dir = TempDir::new("errors-html");
    let evaluation = eval_html(
        &ir(SEED),
        &workspace("examples/edl/candidates-with-errors.csv"),
        &dir.0,
        false,
    );
    // Problems in the grades: the command line exits with 1.
    assert!(evaluation.summary.errors > 0 && evaluation.summary.file_errors > 0);
    assert!(!evaluation.problems.is_empty());
    let index = fs::read_to_string(dir.0.join("index.html")).unwrap();
    assert!(index.contains("<span class=\"o e\">erreur</span>"));
    let line = index.lines().find(|l| l.contains("class=\"o e\"")).unwrap();
    let file = linked_file(line);
    let page = fs::read_to_string(dir.0.join(file)).unwrap();
    assert!(page.contains("Erreurs dans les notes"));
    assert!(page.contains("<li>ligne "));
    assert_heading_hierarchy(&page, file);
    // The grades reader's messages are in the page's language, French
    // here, with French typography.
    let short = fs::read_to_string(dir.0.join("candidates/CAND-106.html")).unwrap();
    assert!(
        short.contains("cette ligne a 2 champs mais l’en-tête en a 5</li>"),
        "{short}"
    );
    assert!(!short.contains("lang=\"en\""), "{short}");
    // "1 ligne … n'a pas pu être lue": the verb agrees with the count.
    assert!(index.contains("\u{202f}; 1 ligne du fichier de notes n'a pas pu être lue."));
}

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Ids of letters of four bytes make pages whose names the file system
/// accepts (at most 255 bytes), two ids cut to the same name two pages.
#[test]
fn long_ids_of_wide_letters_make_pages_the_file_system_accepts() {
    let dir = TempDir::new("wide-ids");
    let grades = dir.0.join("grades.jsonl");
    let wide = "𝒜".repeat(100);
    fs::write(
        &grades,
        format!(
            "{{\"candidate\": \"{wide}\", \"grades\": {{\"C1.1/CE1\": \"acquis\"}}}}\n\
             {{\"candidate\": \"{wide}x\", \"grades\": {{\"C1.1/CE1\": \"acquis\"}}}}\n"
        ),
    )
    .unwrap();
    let out = dir.0.join("pages");
    eval_html(&ir(CUISINE), &grades, &out, false).assert_clean();
    let pages: Vec<String> = names(&out.join("candidates"))
        .into_iter()
        .filter(|n| n.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages.iter().all(|n| n.len() <= 255), "{pages:?}");
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
    let cuisine = ir(CUISINE);
    eval_html(&cuisine, &grades, &out, false).assert_clean();
    // Two ids that reduce to the same name get distinct files, all inside
    // the output directory; a name that had to change ends with the id's
    // hash (FNV-1a), so it does not depend on the other candidates.
    let expected = [
        ".acquis-pages",
        "CON_-3367e86b.html",
        "______etc_passwd-3fb7e865.html",
        "______etc_passwd-6fadc99a.html",
        "_b_Zoé___co__b_-18cb1505.html",
    ];
    assert_eq!(names(&out.join("candidates")), expected);
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("&lt;b&gt;Zoé &amp; co&lt;/b&gt;"));
    assert!(!index.contains("<b>Zoé"));
    let page = fs::read_to_string(out.join("candidates/_b_Zoé___co__b_-18cb1505.html")).unwrap();
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
    eval_html(&cuisine, &grades, &out, false).assert_clean();
    assert_eq!(
        names(&out.join("candidates")),
        [".acquis-pages", "CON_-3367e86b.html", "notes.txt"]
    );
    // Only the pages a run lists in its manifest are removed by the next:
    // a page-like file of someone else's stays.
    fs::write(out.join("candidates/mine.html"), "mine").unwrap();
    eval_html(&cuisine, &grades, &out, false).assert_clean();
    assert_eq!(
        names(&out.join("candidates")),
        [
            ".acquis-pages",
            "CON_-3367e86b.html",
            "mine.html",
            "notes.txt"
        ]
    );
}

/// A candidate's page keeps its name whatever the other candidates and
/// their order: the same ids in reverse order give the same files, and of
/// two ids that differ only in case (one file on a case-insensitive disk,
/// `ς` and `σ` included) the later one is told apart by its hash.
#[test]
fn page_names_do_not_depend_on_the_order_of_the_candidates() {
    let dir = TempDir::new("order");
    let grades = dir.0.join("grades.jsonl");
    // `ας` and `ασ` differ in case on a case-insensitive disk, though
    // `to_lowercase` keeps them apart.
    let ids = ["a/b", "a_b", "a:b", "Zoé", "ZOÉ", "ας", "ασ"];
    let lines: Vec<String> = ids
        .iter()
        .map(|id| {
            format!("{{\"candidate\": \"{id}\", \"grades\": {{\"C1.1/CE1\": \"acquis\"}}}}\n")
        })
        .collect();
    let cuisine = ir(CUISINE);
    let mut runs = Vec::new();
    for order in [lines.clone(), lines.iter().rev().cloned().collect()] {
        fs::write(&grades, order.concat()).unwrap();
        let out = dir.0.join(format!("pages{}", runs.len()));
        eval_html(&cuisine, &grades, &out, false).assert_clean();
        runs.push(names(&out.join("candidates")));
    }
    // Hashes computed independently (FNV-1a of the UTF-8 id).
    assert_eq!(
        runs[0],
        [
            ".acquis-pages",
            "ZOÉ-ca482142.html",
            "Zoé.html",
            "a_b-08bd8540.html",
            "a_b-3a8e75c1.html",
            "a_b.html",
            "ας.html",
            "ασ-68d4139a.html",
        ]
    );
    // Reversed, only the case pairs change: the first met keeps its id,
    // the other gets its hash.
    let zoe = format!("Zoé-{}.html", acquis_eval::sink::short_hash("Zoé"));
    assert_eq!(
        runs[1],
        [
            ".acquis-pages",
            "ZOÉ.html",
            zoe.as_str(),
            "a_b-08bd8540.html",
            "a_b-3a8e75c1.html",
            "a_b.html",
            "ας-69d4152d.html",
            "ασ.html",
        ]
    );
}

/// Pages are never written, nor old ones removed, through a symbolic link:
/// a link at a page's place is replaced by the page, the file it pointed
/// to is untouched, and a `candidates` folder that is a link is refused.
#[cfg(unix)]
#[test]
fn links_in_the_output_directory_are_never_followed() {
    let dir = TempDir::new("links");
    let grades = dir.0.join("grades.jsonl");
    fs::write(
        &grades,
        "{\"candidate\": \"alice\", \"grades\": {\"C1.1/CE1\": \"acquis\"}}\n",
    )
    .unwrap();
    let outside = dir.0.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("precious.html"), "precious").unwrap();
    let out = dir.0.join("pages");
    fs::create_dir_all(out.join("candidates")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("precious.html"),
        out.join("candidates/alice.html"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("precious.html"), out.join("index.html")).unwrap();
    let cuisine = ir(CUISINE);
    eval_html(&cuisine, &grades, &out, false).assert_clean();
    assert_eq!(
        fs::read_to_string(outside.join("precious.html")).unwrap(),
        "precious"
    );
    for page in ["candidates/alice.html", "index.html"] {
        let meta = fs::symlink_metadata(out.join(page)).unwrap();
        assert!(meta.file_type().is_file(), "{page} is a page, not a link");
    }
    // A `candidates` that is a link: refused before anything is removed.
    let linked = dir.0.join("linked");
    fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(&outside, linked.join("candidates")).unwrap();
    let plan = Plan::new(&cuisine);
    match Pages::create(&plan, &linked, false) {
        Err(e) => assert!(e.to_string().contains("is a symbolic link"), "{e}"),
        Ok(_) => panic!("pages written through a link"),
    }
    assert_eq!(names(&outside), ["precious.html"]);
}

/// Only grades that can still change an outcome are "still missing": K1
/// (`any criteria acquired`) is validated once CE1 is acquired, so neither
/// B1 nor the certification waits for K1/CE2 or K1/CE3.
#[test]
fn missing_grades_skip_decided_outcomes() {
    let dir = TempDir::new("missing");
    eval_html(
        &ir("tests/fixtures/doc/tricky_en.acquis"),
        &workspace("tests/fixtures/doc/tricky_grades.csv"),
        &dir.0,
        false,
    )
    .assert_clean();
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

/// A page format that waits on rayon while it writes a page, as typst
/// does, and counts how many pages are being written on each thread at
/// once.
struct Nesting {
    deepest: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    pages: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

thread_local! {
    static WRITING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl acquis_publish::report::PageFormat for Nesting {
    fn extension(&self) -> &'static str {
        "txt"
    }

    fn candidate(
        &self,
        _cx: &acquis_publish::report::Context<'_, '_>,
        c: &acquis_publish::report::Candidate<'_>,
    ) -> Result<Vec<u8>, acquis_publish::PublishError> {
        use rayon::prelude::*;
        use std::sync::atomic::Ordering;
        let depth = WRITING.with(|w| {
            w.set(w.get() + 1);
            w.get()
        });
        self.deepest.fetch_max(depth, Ordering::SeqCst);
        // Work split in rayon jobs: a rayon worker waiting here would run
        // other queued jobs on this stack.
        let sum: u64 = (0..20_000u64)
            .collect::<Vec<_>>()
            .par_chunks(100)
            .map(|chunk| chunk.iter().map(|x| x % 7).sum::<u64>())
            .sum();
        WRITING.with(|w| w.set(w.get() - 1));
        self.pages.fetch_add(1, Ordering::SeqCst);
        Ok(format!("{} {sum}\n", c.id).into_bytes())
    }

    fn cohort(
        &self,
        _c: &acquis_publish::report::Cohort<'_, '_, '_>,
    ) -> Result<Vec<u8>, acquis_publish::PublishError> {
        Ok(b"cohort\n".to_vec())
    }
}

/// Each thread writes one page at a time, even when the page format waits
/// on rayon: candidates' pages as rayon jobs were typeset inside one
/// another (ninety deep for 260 seed candidates in PDF), memory grew with
/// the cohort and the stack overflowed. The seed's 65 candidates, on a
/// pool of four threads and on the global pool.
#[test]
fn pages_are_written_one_at_a_time_on_each_thread() {
    let ir = ir(SEED);
    let plan = Plan::new(&ir);
    for threads in [Some(4), None] {
        let dir = TempDir::new("pages-nesting");
        let deepest = std::sync::Arc::default();
        let written = std::sync::Arc::default();
        let run = || {
            let format = Nesting {
                deepest: std::sync::Arc::clone(&deepest),
                pages: std::sync::Arc::clone(&written),
            };
            let mut pages =
                Pages::with_format(format, &plan, &dir.0, false).unwrap_or_else(|e| panic!("{e}"));
            acquis_eval::run(&plan, &workspace(GRADES), None, &mut pages, &mut |_| {})
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let summary = match threads {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(run),
            None => run(),
        };
        assert_eq!(summary.candidates, 65);
        use std::sync::atomic::Ordering;
        assert_eq!(written.load(Ordering::SeqCst), 65);
        assert_eq!(deepest.load(Ordering::SeqCst), 1, "{threads:?} threads");
        let files = fs::read_dir(dir.0.join("candidates")).unwrap().count();
        assert_eq!(files, 66, "65 pages and the manifest");
    }
}

/// A page format that cannot render some candidates' pages.
struct Refusing;

impl acquis_publish::report::PageFormat for Refusing {
    fn extension(&self) -> &'static str {
        "txt"
    }

    fn candidate(
        &self,
        _cx: &acquis_publish::report::Context<'_, '_>,
        c: &acquis_publish::report::Candidate<'_>,
    ) -> Result<Vec<u8>, acquis_publish::PublishError> {
        // CAND-020 and every later candidate from CAND-040 on.
        let n: usize = c.id.trim_start_matches("CAND-").parse().unwrap_or(0);
        if n == 20 || n >= 40 {
            return Err(acquis_publish::PublishError::Render {
                page: c.id.to_string(),
                source: format!("cannot typeset {}", c.id).into(),
            });
        }
        Ok(format!("{}\n", c.id).into_bytes())
    }

    fn cohort(
        &self,
        _c: &acquis_publish::report::Cohort<'_, '_, '_>,
    ) -> Result<Vec<u8>, acquis_publish::PublishError> {
        Ok(b"cohort\n".to_vec())
    }
}

/// A page that cannot be rendered stops the run with that page's error,
/// the first in input order among those that failed, on any number of
/// threads; no cohort page is written over a partial run.
#[test]
fn a_page_that_cannot_be_rendered_stops_the_run_with_its_error() {
    let ir = ir(SEED);
    let plan = Plan::new(&ir);
    for threads in [1, 4] {
        let dir = TempDir::new("pages-refused");
        let run = || {
            let mut pages = Pages::with_format(Refusing, &plan, &dir.0, false)
                .unwrap_or_else(|e| panic!("{e}"));
            acquis_eval::run(&plan, &workspace(GRADES), None, &mut pages, &mut |_| {})
        };
        let result = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(run);
        let Err(error) = result else {
            panic!("{threads} threads: the run succeeded")
        };
        assert_eq!(
            error.to_string(),
            "cannot render the page of CAND-020: cannot typeset CAND-020",
            "{threads} threads"
        );
        assert!(!dir.0.join("index.txt").exists(), "{threads} threads");
    }
}
