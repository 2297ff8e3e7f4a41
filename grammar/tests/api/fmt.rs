//! `acquis_grammar::format` on the examples: snapshots of their formatted
//! text, and the examples and the style example of docs/formatting.md are
//! canonical already. That formatting keeps the IR, on every example and
//! fixture and on generated referentials, is tested with the compiler
//! (compiler/tests/api/fmt.rs); the command's modes in tests/cli/fmt.rs.

use acquis_grammar::format::format;

use crate::{read, CUISINE, PREVENTION, SEED};

#[test]
fn the_examples_are_formatted() {
    for path in [SEED, CUISINE, PREVENTION] {
        let source = read(path);
        assert_eq!(
            format(&source).unwrap(),
            source,
            "run `acquis fmt examples`: {path} is not formatted"
        );
    }
}

#[test]
fn the_style_example_in_the_docs_is_canonical() {
    let doc = read("docs/formatting.md");
    let start = doc.find("```acquis\n").unwrap() + "```acquis\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    assert_eq!(format(example).unwrap(), example);
}

// ------------------------------------------------------------ snapshots

#[test]
fn snapshot_of_the_formatted_seed() {
    insta::assert_snapshot!("seed", format(&read(SEED)).unwrap());
}

#[test]
fn snapshot_of_the_formatted_cuisine() {
    insta::assert_snapshot!("cuisine", format(&read(CUISINE)).unwrap());
    insta::assert_snapshot!("prevention", format(&read(PREVENTION)).unwrap());
}
