//! `acquis graph`: the arguments choose the picture (`--format`, dot by
//! default; `--no-criteria`), written to standard output; a referential
//! with errors draws nothing. What the pictures contain is tested on
//! `acquis_publish::picture` (publish/tests/api).

use std::path::Path;

use acquis_compiler::{compile, loader::Disk};
use acquis_ir::Ir;
use acquis_publish::picture;

use crate::check::{write, THREE_BAD_BLOCKS};
use crate::common::{acquis, TempDir, CUISINE, SEED};

fn ir(path: &str) -> Ir {
    let c = compile(Path::new(path), &Disk);
    assert!(!c.has_errors(), "{path}: {:?}", c.diagnostics);
    c.ir.unwrap()
}

/// The standard output of `acquis graph ARGS`, which must succeed.
fn graph(args: &[&str]) -> String {
    let mut all = vec!["graph"];
    all.extend(args);
    let run = acquis(&all);
    run.assert_code(0);
    assert!(run.stderr.is_empty(), "{}", run.describe());
    run.stdout
}

#[test]
fn graph_defaults_to_dot() {
    let out = graph(&[CUISINE]);
    assert!(out.trim_start().starts_with("digraph"), "{out}");
    assert!(out == picture::dot(&ir(CUISINE), true));
}

#[test]
fn format_and_no_criteria_choose_the_picture() {
    let seed = ir(SEED);
    assert!(graph(&[SEED, "--format", "dot"]) == picture::dot(&seed, true));
    assert!(graph(&[SEED, "--format", "mermaid"]) == picture::mermaid(&seed, true));
    assert!(
        graph(&[SEED, "--format", "mermaid", "--no-criteria"]) == picture::mermaid(&seed, false)
    );
    assert!(graph(&[SEED, "--no-criteria"]) == picture::dot(&seed, false));
}

#[test]
fn graph_of_a_file_with_errors_draws_nothing() {
    let dir = TempDir::new("graph-errors");
    let file = write(&dir, "three.acquis", THREE_BAD_BLOCKS);
    let run = acquis(&[
        "graph".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        "mermaid".as_ref(),
    ]);
    run.assert_code(1);
    assert!(run.stdout.is_empty(), "{}", run.describe());
    assert!(run.stderr.contains("A0101"), "{}", run.describe());
}
