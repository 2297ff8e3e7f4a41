//! `acquis doc` and `acquis eval --format html|pdf` as commands: the format
//! chosen by `--format` or the extension of `-o`, standard output or the
//! file or directory written, `--include-metadata`, the exit status and
//! what goes to standard error. What the documents and pages say is tested
//! on `acquis_publish` itself (publish/tests/api); tests/accessibility.rs
//! checks the same pages in a browser.

use std::fs;
use std::path::Path;

use acquis_compiler::{compile, loader::Disk};
use acquis_ir::Ir;
use acquis_publish::doc::{render, DocFormat};

use crate::common::{acquis, Run, TempDir, CUISINE, GRADES, SEED};

fn ir(path: &Path) -> Ir {
    let c = compile(path, &Disk);
    assert!(!c.has_errors(), "{}: {:?}", path.display(), c.diagnostics);
    c.ir.unwrap()
}

/// `acquis doc REF ARGS`, which must succeed; its standard output.
fn doc(file: &str, args: &[&str]) -> String {
    let mut all = vec!["doc", file];
    all.extend(args);
    let run = acquis(&all);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

#[test]
fn doc_writes_the_format_asked_for_to_standard_output() {
    let seed = ir(Path::new(SEED));
    let md = doc(SEED, &["--format", "md"]);
    assert!(md.starts_with("# Expert en développement logiciel\n"));
    assert!(md == render(&seed, DocFormat::Md));
    let html = doc(SEED, &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(html == render(&seed, DocFormat::Html));
    // HTML without --format or -o.
    assert!(doc(SEED, &[]) == html);
}

#[test]
fn the_extension_of_o_chooses_the_format() {
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
    let ir = ir(&file);
    let out = dir.0.join("r.html");
    let run = acquis(&["doc", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html == render(&ir, DocFormat::Html));
    // The extension of -o chooses Markdown.
    let md = dir.0.join("r.md");
    let run = acquis(&["doc", file.to_str().unwrap(), "-o", md.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let md = fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# Kitchen assistant\n"));
    assert!(md.contains("Receive \\<goods\\> \\& store them"));
    assert!(md == render(&ir, DocFormat::Md));
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

fn eval_html(dir: &Path, grades: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "eval",
        SEED,
        "--grades",
        grades,
        "--format",
        "html",
        "-o",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    acquis(&args)
}

#[test]
fn eval_html_writes_the_pages_into_the_directory_of_o() {
    let dir = TempDir::new("eval-html");
    let run = eval_html(&dir.0, GRADES, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run
        .stderr
        .contains("65 candidats : 26 validés, 20 non validés, 19 en attente, 0 en erreur"));
    let pages: Vec<_> = fs::read_dir(dir.0.join("candidates"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".html"))
        })
        .collect();
    assert_eq!(pages.len(), 65);
    let index = fs::read_to_string(dir.0.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"candidates/CAND-002.html\">CAND-002</a>"));
    let page = fs::read_to_string(dir.0.join("candidates/CAND-001.html")).unwrap();
    assert!(!page.contains("Données personnelles"));
}

#[test]
fn include_metadata_puts_personal_data_on_the_pages() {
    let dir = TempDir::new("metadata-included");
    let run = eval_html(&dir.0, GRADES, &["--include-metadata"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = fs::read_to_string(dir.0.join("candidates/CAND-001.html")).unwrap();
    assert!(page.contains("Données personnelles"));
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

/// Problems in the grades: the pages are still written, and the exit status
/// is 1.
#[test]
fn candidates_with_errors_still_get_pages_and_exit_1() {
    let dir = TempDir::new("errors-html");
    let run = eval_html(&dir.0, "examples/edl/candidates-with-errors.csv", &[]);
    assert_eq!(run.code, Some(1));
    let index = fs::read_to_string(dir.0.join("index.html")).unwrap();
    assert!(index.contains("<span class=\"o e\">erreur</span>"));
    assert!(dir.0.join("candidates/CAND-106.html").is_file());
}

#[test]
fn eval_html_says_when_its_directory_cannot_be_created() {
    // A file where the directory of pages should go.
    let dir = TempDir::new("eval-html-blocked");
    let blocker = dir.0.join("pages");
    fs::write(&blocker, "not a directory").unwrap();
    let run = eval_html(&blocker.join("inside"), GRADES, &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("error: cannot create the directory"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(&blocker).unwrap(), "not a directory");
}

/// `-o edl.pdf` used to write HTML into the .pdf file and exit 0: an
/// extension that names no format acquis writes is an error, and nothing is
/// written.
#[test]
fn doc_refuses_an_extension_it_does_not_write() {
    let dir = TempDir::new("doc-docx");
    let out = dir.0.join("edl.docx");
    let run = acquis(&["doc", SEED, "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("not .docx"), "{}", run.stderr);
    assert!(run.stderr.contains(".pdf"), "{}", run.stderr);
    assert!(!out.exists());
}

/// `-o x.pdf` writes the PDF the library typesets (what it holds is
/// tested in pdf/tests); `--format pdf` writes it whatever the extension.
#[test]
fn doc_writes_a_pdf_for_a_pdf_extension_or_format() {
    let dir = TempDir::new("doc-pdf");
    let out = dir.0.join("cuisine.PDF");
    let run = acquis(&["doc", CUISINE, "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let bytes = fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let cuisine = ir(Path::new(CUISINE));
    assert!(bytes == acquis_pdf::doc::render(&cuisine).unwrap());
    let out = dir.0.join("cuisine.bin");
    let run = acquis(&[
        "doc",
        CUISINE,
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(fs::read(&out).unwrap() == bytes);
}

/// `eval --format pdf -o DIR`: a PDF per candidate and the cohort's, named
/// as the HTML pages are; a run in PDF removes the previous run's HTML
/// candidate pages. Three candidates, one with errors in their grades.
#[test]
fn eval_pdf_writes_a_pdf_per_candidate_and_the_cohort() {
    let dir = TempDir::new("eval-pdf");
    let grades = dir.0.join("grades.csv");
    let keep = |text: &str, ids: &[&str]| -> String {
        text.lines()
            .skip(1)
            .filter(|l| ids.iter().any(|id| l.starts_with(&format!("{id},"))))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let all = fs::read_to_string(GRADES).unwrap();
    let errors = fs::read_to_string("examples/edl/candidates-with-errors.csv").unwrap();
    let header = all.lines().next().unwrap();
    fs::write(
        &grades,
        format!(
            "{header}\n{}{}",
            keep(&all, &["CAND-001", "CAND-002"]),
            keep(&errors, &["CAND-106"])
        ),
    )
    .unwrap();
    let out = dir.0.join("results");
    let grades = grades.to_str().unwrap();
    let run = eval_html(&out, grades, &[]);
    assert!(
        out.join("candidates/CAND-001.html").is_file(),
        "{}",
        run.describe()
    );
    let run = acquis(&[
        "eval",
        SEED,
        "--grades",
        grades,
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    // CAND-106's grades have problems: exit 1, its file says so.
    assert_eq!(run.code, Some(1), "{}", run.describe());
    for file in [
        "index.pdf",
        "candidates/CAND-001.pdf",
        "candidates/CAND-002.pdf",
        "candidates/CAND-106.pdf",
    ] {
        let bytes = fs::read(out.join(file)).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{file}");
    }
    assert!(!out.join("candidates/CAND-001.html").exists());
    let manifest = fs::read_to_string(out.join("candidates/.acquis-pages")).unwrap();
    assert!(manifest.contains("CAND-002.pdf"), "{manifest}");
    let run = acquis(&["eval", SEED, "--grades", grades, "--format", "pdf"]);
    assert!(
        run.stderr
            .contains("--format pdf writes a directory of pages"),
        "{}",
        run.stderr
    );
}
