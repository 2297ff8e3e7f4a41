//! The HTML outputs in a real browser: the seed's document, the cuisine
//! example's document, the cohort page and a candidate's page are opened in
//! headless Chromium (Debian's `chromium`) and checked with axe-core for
//! the WCAG 2.1 A and AA rules, then at a 320 CSS px wide viewport for
//! horizontal scrolling. Screenshots at 1280 and 320 px land in
//! `target/screenshots/`.
//!
//! The PDFs (référentiel and results) are checked by an independent PDF/UA-1
//! checker (pdfua, in the Python of tests/pdfua/.venv) and QPDF's syntax
//! check.
//!
//! These tests never skip: without node, Chromium, the npm packages of
//! tests/browser or the Python packages of tests/pdfua they fail and say to
//! run `scripts/test`, which installs them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may panic"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{root, CUISINE, GRADES, SEED};

/// A candidate with validated, failed and pending outcomes on one page.
const CANDIDATE: &str = "CAND-002";

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Everything the browser check needs, or a failure that says how to get it.
fn require_tools() {
    let help = "run scripts/test, which installs Chromium and the npm packages of tests/browser";
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is not installed: {help}"
    );
    assert!(
        chromium().exists(),
        "Chromium is missing at {} (set CHROMIUM to another path): {help}",
        chromium().display()
    );
    for package in ["axe-core", "playwright-core"] {
        let dir = root().join("tests/browser/node_modules").join(package);
        assert!(dir.is_dir(), "{} is missing: {help}", dir.display());
    }
}

/// Runs acquis, which must succeed.
fn acquis(args: &[&str]) {
    let run = common::acquis(args);
    assert!(
        run.code == Some(0),
        "acquis {args:?} failed: {}",
        run.stderr
    );
}

/// Runs acquis when its exit status may say "problems in the grades".
fn acquis_any(args: &[&str]) {
    let run = common::acquis(args);
    assert!(
        run.code.is_some_and(|c| c <= 1),
        "acquis {args:?} failed: {}",
        run.stderr
    );
}

#[test]
fn html_outputs_pass_axe_and_reflow_at_320_px() {
    require_tools();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("accessibility");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    fs::create_dir_all(&shots).unwrap();

    let seed = work.join("edl-document.html");
    let cuisine = work.join("cuisine-document.html");
    let results = work.join("results");
    acquis(&["doc", SEED, "-o", seed.to_str().unwrap()]);
    acquis(&["doc", CUISINE, "-o", cuisine.to_str().unwrap()]);
    acquis(&[
        "eval",
        SEED,
        "--grades",
        GRADES,
        "--format",
        "html",
        "-o",
        results.to_str().unwrap(),
    ]);
    let cohort = results.join("index.html");
    let candidate = results.join(format!("candidates/{CANDIDATE}.html"));
    // A candidate whose grades have problems (their messages in French on a
    // French page), and an English referential whose texts try to break out.
    let with_errors = work.join("with-errors");
    let english = work.join("tricky-en-document.html");
    acquis_any(&[
        "eval",
        SEED,
        "--grades",
        "examples/edl/candidates-with-errors.csv",
        "--format",
        "html",
        "-o",
        with_errors.to_str().unwrap(),
    ]);
    acquis(&[
        "doc",
        "tests/fixtures/doc/tricky_en.acquis",
        "-o",
        english.to_str().unwrap(),
    ]);
    let error_page = with_errors.join("candidates/CAND-106.html");
    // The jury's explanation of a failed candidate (`explain --format html`).
    let explanation = work.join("explanation.html");
    let run = common::acquis(&[
        "explain",
        SEED,
        "--grades",
        GRADES,
        "--candidate",
        "CAND-002",
        "--format",
        "html",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    fs::write(&explanation, &run.stdout).unwrap();
    let pages = [
        &seed,
        &cuisine,
        &cohort,
        &candidate,
        &error_page,
        &english,
        &explanation,
    ];
    for p in pages {
        assert!(p.exists(), "{} was not written", p.display());
    }

    // One browser for every page.
    let output = Command::new("node")
        .arg(root().join("tests/browser/check.mjs"))
        .arg(&shots)
        .args(pages)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser check failed ({}): {}\n{stdout}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the browser check printed no JSON ({e}): {stdout}"));
    let checked = report["pages"].as_array().expect("a list of pages");
    assert_eq!(checked.len(), pages.len(), "{stdout}");

    let mut failures = Vec::new();
    for page in checked {
        let file = page["file"].as_str().unwrap_or("?");
        let violations = page["violations"].as_array().expect("violations");
        for v in violations {
            failures.push(format!(
                "{file}: axe {} ({}): {}\n  {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                v["nodes"]
            ));
        }
        // axe ran its rules: a page where nothing was checked proves nothing.
        let passes = page["rulesChecked"].as_u64().unwrap_or(0);
        if passes < 10 {
            failures.push(format!(
                "{file}: only {passes} axe rules passed; did axe run?"
            ));
        }
        let scroll = page["scrollWidth"].as_u64().expect("scrollWidth");
        let client = page["clientWidth"].as_u64().expect("clientWidth");
        if client != 320 || scroll > client {
            failures.push(format!(
                "{file}: at 320 px the page is {scroll} px wide (viewport {client} px): it scrolls horizontally"
            ));
        }
        // Tables of results (the cohort's, a candidate's) reflow: no cell
        // beyond the screen's edge on a small phone (the referential's
        // document may scroll a wide table inside its own box).
        if !file.ends_with("-document.html") {
            for width in ["320", "390"] {
                let cut = &page["cellsOutside"][width];
                if cut.as_array().is_none_or(|cells| !cells.is_empty()) {
                    failures.push(format!(
                        "{file}: at {width} px table cells lie beyond the screen's edge: {cut}"
                    ));
                }
            }
        }
        if let Some(px) = page["minChartTextPx"].as_f64() {
            if px < 11.5 {
                failures.push(format!(
                    "{file}: at 320 px picture text is drawn at {px:.1} px (at least 12 wanted)"
                ));
            }
        }
        for shot in page["screenshots"].as_array().expect("screenshots") {
            let shot = Path::new(shot.as_str().unwrap_or(""));
            if !fs::metadata(shot).is_ok_and(|m| m.len() > 1000) {
                failures.push(format!("{file}: no screenshot at {}", shot.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Python of tests/pdfua/.venv, where scripts/test installs the
/// independent PDF/UA checker (tests/pdfua/requirements.txt).
fn pdfua_python() -> PathBuf {
    root().join("tests/pdfua/.venv/bin/python")
}

/// Runs tests/pdfua/check.py on `files` and returns its report.
fn pdfua_report(files: &[&Path]) -> Value {
    let python = pdfua_python();
    assert!(
        python.exists(),
        "{} is missing: run scripts/test, which installs the PDF/UA checker of tests/pdfua",
        python.display()
    );
    let output = Command::new(&python)
        .arg(root().join("tests/pdfua/check.py"))
        .args(files)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the PDF/UA check failed ({}): {}\n{stdout}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the PDF/UA check printed no JSON ({e}): {stdout}"))
}

/// Every PDF Acquis writes (the référentiel of three examples, an English
/// referential whose texts hold markup, the cohort and a candidate's
/// results) passes every check of an independent PDF/UA-1 checker (pdfua:
/// tagged, marked, structure tree, language, title shown, figures' and
/// links' alternatives, tables, non-empty headings, PDF/UA identification)
/// and QPDF's syntax check. The checker is shown to catch a defect: the
/// same PDF claiming not to be tagged fails.
#[test]
fn pdfs_pass_an_independent_pdf_ua_checker() {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdfua");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).unwrap();
    let seed = work.join("edl.pdf");
    let cuisine = work.join("cuisine.pdf");
    let bts = work.join("bts-sio.pdf");
    let english = work.join("tricky-en.pdf");
    let results = work.join("results");
    acquis(&["doc", SEED, "-o", seed.to_str().unwrap()]);
    acquis(&["doc", CUISINE, "-o", cuisine.to_str().unwrap()]);
    acquis(&["doc", "examples/bts-sio", "-o", bts.to_str().unwrap()]);
    acquis(&[
        "doc",
        "tests/fixtures/doc/tricky_en.acquis",
        "-o",
        english.to_str().unwrap(),
    ]);
    // Three candidates (validated, failed, pending outcomes) are enough
    // pages: each PDF is typeset on its own.
    let grades = work.join("grades.csv");
    let all = fs::read_to_string(root().join(GRADES)).unwrap();
    let kept: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, line)| {
            *i == 0
                || ["CAND-001,", "CAND-002,", "CAND-003,"]
                    .iter()
                    .any(|c| line.starts_with(c))
        })
        .map(|(_, line)| line)
        .collect();
    fs::write(&grades, kept.join("\n") + "\n").unwrap();
    acquis(&[
        "eval",
        SEED,
        "--grades",
        grades.to_str().unwrap(),
        "--format",
        "pdf",
        "-o",
        results.to_str().unwrap(),
    ]);
    let cohort = results.join("index.pdf");
    let candidate = results.join(format!("candidates/{CANDIDATE}.pdf"));
    // The seed's PDF saying it is not tagged (`/Marked null`, same length,
    // so the cross-reference table still holds).
    let untagged = work.join("edl-untagged.pdf");
    let bytes = fs::read(&seed).unwrap();
    let at = bytes
        .windows(12)
        .position(|w| w == b"/Marked true")
        .expect("the PDF says it is tagged");
    let mut altered = bytes.clone();
    altered[at..at + 12].copy_from_slice(b"/Marked null");
    fs::write(&untagged, altered).unwrap();

    let files: [&Path; 7] = [
        &seed, &cuisine, &bts, &english, &cohort, &candidate, &untagged,
    ];
    let report = pdfua_report(&files);
    let checked = report["files"].as_array().expect("a list of files");
    assert_eq!(checked.len(), files.len(), "{report}");

    let mut failures = Vec::new();
    for file in &checked[..files.len() - 1] {
        let name = file["file"].as_str().unwrap_or("?");
        // Twelve checks, none skipped: a check that did not run proves nothing.
        if file["rules_run"].as_u64() != Some(12) || file["skipped"] != Value::Array(vec![]) {
            failures.push(format!(
                "{name}: {} checks ran, skipped: {}",
                file["rules_run"], file["skipped"]
            ));
        }
        for f in file["findings"].as_array().expect("findings") {
            failures.push(format!(
                "{name}: {} ({}): {} at {}",
                f["rule"], f["severity"], f["message"], f["where"]
            ));
        }
        if file["qpdf"] != Value::Array(vec![]) {
            failures.push(format!("{name}: QPDF: {}", file["qpdf"]));
        }
        if file["pages"].as_u64().unwrap_or(0) == 0 {
            failures.push(format!("{name}: no page"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let untagged = &checked[files.len() - 1];
    let rules: Vec<&str> = untagged["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["UA-01-002"], "{untagged}");
}
