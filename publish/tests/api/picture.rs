//! `picture::{dot, mermaid}`: the structure of a referential and its rule
//! dependencies as a picture.

use acquis_publish::picture::{dot, mermaid};

use crate::{ir, CUISINE, SEED};

#[test]
fn dot_names_every_block() {
    let picture = dot(&ir(SEED), true);
    assert!(picture.trim_start().starts_with("digraph"), "{picture}");
    for block in ["A1", "A2", "A3", "A4"] {
        assert!(
            picture.contains(block),
            "dot output does not mention {block}"
        );
    }
}

#[test]
fn mermaid_names_every_block() {
    let picture = mermaid(&ir(SEED), true);
    assert!(picture.trim_start().starts_with("flowchart"), "{picture}");
    for block in ["A1", "A2", "A3", "A4"] {
        assert!(
            picture.contains(block),
            "mermaid output does not mention {block}"
        );
    }
}

#[test]
fn dot_of_a_referential_of_two_files() {
    let picture = dot(&ir(CUISINE), true);
    assert!(picture.trim_start().starts_with("digraph"), "{picture}");
}

#[test]
fn without_criteria_leaves_criteria_out() {
    let ir = ir(SEED);
    let without = mermaid(&ir, false);
    assert!(without.contains("C1.3"), "{without}");
    assert!(!without.contains("C1.3/CE1"), "{without}");
    let full = mermaid(&ir, true);
    assert!(
        full.contains("C1.3/CE1"),
        "criteria are drawn when asked for\n{full}"
    );
}
