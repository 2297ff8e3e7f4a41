//! Hostile inputs to the imports (issue 17): special files refused from
//! their metadata before they are opened, zip bombs and oversized tokens
//! stopped by the reader's budgets, deep nesting and CASE cycles in linear
//! time. Each is an error with its code (A0801, A0812), never a hang, an
//! abort or gigabytes of memory.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use acquis_diagnostics::Code;
use acquis_interop::{case, rncp, CaseProblem, InteropError, Limit, RncpProblem};

use crate::TempDir;

fn zip(path: &Path, name: &str, bytes: &[u8]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(bytes).unwrap();
    zip.finish().unwrap();
}

const HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>";

fn over_limit(error: &InteropError) -> Option<Limit> {
    match error {
        InteropError::Rncp {
            problem: RncpProblem::OverLimit(limit),
            ..
        } => Some(*limit),
        _ => None,
    }
}

/// Runs `f` on another thread: it must end within `seconds`.
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(seconds))
        .expect("finished in time")
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_before_they_are_opened() {
    let dir = TempDir::new("hostile-special");
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    for path in [Path::new("/dev/zero").to_path_buf(), fifo] {
        let p = path.clone();
        let error = within(10, move || rncp::import(&p, "RNCP1").unwrap_err());
        assert!(
            matches!(error, InteropError::NotAFile { .. }),
            "{path:?}: {error}"
        );
        assert_eq!(error.code(), Code::ImportUnreadable);
        let p = path.clone();
        let error = within(10, move || {
            rncp::list(&p, &mut Vec::new()).map(|_| ()).unwrap_err()
        });
        assert!(matches!(error, InteropError::NotAFile { .. }), "{error}");
        let p = path.clone();
        let error = within(10, move || case::import_file(&p).map(|_| ()).unwrap_err());
        assert!(matches!(error, InteropError::NotAFile { .. }), "{error}");
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}

/// A 20 MB title inflated from a small zip: the reader stops at the
/// fiche's budget, with A0812, having buffered at most that.
#[test]
fn a_zipped_oversized_token_is_stopped_at_the_fiche_budget() {
    let dir = TempDir::new("hostile-token");
    let mut xml = String::from(HEAD);
    xml.push_str("<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>");
    xml.push_str(&"a".repeat(20 << 20));
    xml.push_str("</INTITULE></FICHE></FICHES>");
    let path = dir.join("bomb.zip");
    zip(&path, "export.xml", xml.as_bytes());
    assert!(fs::metadata(&path).unwrap().len() < 1 << 20);
    acquis_interop::work::reset();
    let error = rncp::list(&path, &mut Vec::new()).unwrap_err();
    assert_eq!(
        over_limit(&error),
        Some(Limit::Fiche { bytes: 16 << 20 }),
        "{error}"
    );
    assert_eq!(error.code(), Code::ImportOverLimit);
    let error = rncp::import(&path, "RNCP1").unwrap_err();
    assert_eq!(error.code(), Code::ImportOverLimit, "{error}");
    // A few XML events, whatever the token's size (memory: fuzz/tests/memory.rs).
    assert!(
        acquis_interop::work::steps() < 100,
        "{}",
        acquis_interop::work::steps()
    );
}

/// Small elements adding up to a field of 5 MB: the text budget.
#[test]
fn a_field_longer_than_the_text_budget_is_refused() {
    let dir = TempDir::new("hostile-text");
    let mut xml = String::from(HEAD);
    xml.push_str(
        "<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><BLOCS_COMPETENCES><BLOC_COMPETENCES>\
         <CODE>B</CODE><LISTE_COMPETENCES>",
    );
    xml.push_str(&"<p>Analyser</p>".repeat((5 << 20) / 15));
    xml.push_str("</LISTE_COMPETENCES></BLOC_COMPETENCES></BLOCS_COMPETENCES></FICHE></FICHES>");
    let path = dir.join("long.xml");
    fs::write(&path, xml).unwrap();
    let error = rncp::import(&path, "RNCP1").unwrap_err();
    assert_eq!(
        over_limit(&error),
        Some(Limit::Text { bytes: 4 << 20 }),
        "{error}"
    );
}

/// 3 MB of nesting (issue 17: over 60 s): refused at the depth limit at
/// once.
#[test]
fn deep_nesting_is_refused_at_the_depth_limit() {
    let dir = TempDir::new("hostile-depth");
    let mut xml = String::from(HEAD);
    xml.push_str("<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><CORRESPONDANCES>");
    xml.push_str(&"<a>".repeat(1_000_000));
    let path = dir.join("deep.xml");
    fs::write(&path, xml).unwrap();
    acquis_interop::work::reset();
    let error = rncp::list(&path, &mut Vec::new()).unwrap_err();
    assert_eq!(
        over_limit(&error),
        Some(Limit::Depth { depth: 256 }),
        "{error}"
    );
    // Refused at the limit: about 256 events read, not a million.
    assert!(
        acquis_interop::work::steps() < 1_000,
        "{}",
        acquis_interop::work::steps()
    );
    let text = error.to_string();
    assert!(text.contains("deep.xml:2:"), "placed at its line: {text}");
}

/// A cycle of 100,000 items (issue 17: over 120 s) is found in linear
/// work, and a chain as deep is read: the steps of 4× the items are about
/// 4× the steps.
#[test]
fn case_cycles_and_deep_chains_are_linear() {
    let items = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!(r#"{{"identifier": "i{i}", "fullStatement": "S{i}"}}"#))
            .collect()
    };
    let cycle = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| {
                format!(
                    r#"{{"associationType": "isChildOf", "originNodeURI": {{"identifier": "i{i}"}}, "destinationNodeURI": {{"identifier": "i{}"}}}}"#,
                    (i + 1) % n
                )
            })
            .collect()
    };
    let package = |items: &[String], associations: &[String]| {
        format!(
            r#"{{"CFDocument": {{"identifier": "d", "title": "T"}}, "CFItems": [{}], "CFAssociations": [{}]}}"#,
            items.join(","),
            associations.join(",")
        )
    };
    // The steps of finding the cycle, then of reading the same items as
    // one chain under the document.
    let work = |n: usize| {
        acquis_interop::work::reset();
        let error = case::import(&package(&items(n), &cycle(n)), "cycle.json").unwrap_err();
        assert!(
            matches!(&error, InteropError::Case { problem: CaseProblem::Cycle { items }, .. } if items.len() == n + 1),
            "{:.200}",
            error.to_string()
        );
        let found = acquis_interop::work::steps();
        let mut chain = cycle(n);
        chain[n - 1] = format!(
            r#"{{"associationType": "isChildOf", "originNodeURI": {{"identifier": "i{}"}}, "destinationNodeURI": {{"identifier": "d"}}}}"#,
            n - 1
        );
        acquis_interop::work::reset();
        assert!(case::import(&package(&items(n), &chain), "chain.json").is_ok());
        (found, acquis_interop::work::steps())
    };
    let (cycle_small, chain_small) = work(25_000);
    let (cycle_large, chain_large) = work(100_000);
    assert!(cycle_small > 0 && chain_small > 0);
    assert!(
        cycle_large <= 5 * cycle_small,
        "cycle: {cycle_large} steps for 4× the items, {cycle_small} for 1×"
    );
    assert!(
        chain_large <= 5 * chain_small,
        "chain: {chain_large} steps for 4× the items, {chain_small} for 1×"
    );
}

/// A CASE package larger than what is read of it is refused (A0812),
/// from its metadata before it is read.
#[test]
fn an_oversized_case_package_is_refused() {
    let dir = TempDir::new("hostile-case-size");
    let path = dir.join("huge.json");
    let file = fs::File::create(&path).unwrap();
    file.set_len(case::PACKAGE_BYTES + 1).unwrap();
    let error = case::import_file(&path).map(|_| ()).unwrap_err();
    assert!(
        matches!(error, InteropError::FileTooLarge { .. }),
        "{error}"
    );
    assert_eq!(error.code(), Code::ImportOverLimit);
    assert!(
        error.to_string().contains("larger than the 64 MiB"),
        "{error}"
    );
}
