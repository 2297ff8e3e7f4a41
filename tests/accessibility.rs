//! The HTML outputs in a real browser: the seed's document, the cuisine
//! example's document, the cohort page and a candidate's page are opened in
//! headless Chromium (Debian's `chromium`) and checked with axe-core for
//! the WCAG 2.1 A and AA rules, then at a 320 CSS px wide viewport for
//! horizontal scrolling. Screenshots at 1280 and 320 px land in
//! `target/screenshots/`.
//!
//! This test never skips: without node, Chromium or the npm packages of
//! tests/browser it fails and says to run `scripts/test`, which installs
//! them.
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
