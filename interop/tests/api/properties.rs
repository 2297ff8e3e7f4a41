//! Imports of mutated inputs never panic: they give a skeleton or an error.

use std::fs;

use acquis_interop::{case, rncp};
use proptest::prelude::*;

use crate::{check, read, source, TempDir, EXPORT, FOREIGN};

/// Real artifacts (tests/fixtures/real): a fiche as France Compétences
/// publishes it, OpenSALT's sample framework.
const REAL_RNCP: &str = "tests/fixtures/real/rncp-34826/export.xml";
const REAL_CASE: &str = "tests/fixtures/real/opensalt/opensalt-sample-framework.json";

/// Applies byte edits (position, kind) to a text.
fn mutate(original: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for &(at, kind, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, byte),
            2 => bytes[at] = byte,
            _ => bytes.truncate(at),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn importing_a_mutated_rncp_export_never_panics(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), prop::sample::select(b"<>/&;\"' \nAC1.".to_vec())), 1..6)
    ) {
        let dir = TempDir::new("prop-rncp");
        let file = dir.join("mutated.xml");
        fs::write(&file, mutate(read(EXPORT).as_bytes(), &edits)).unwrap();
        if let Ok((r, _)) = rncp::import(&file, "RNCP39583") {
            prop_assert!(acquis_interop::referential_source(&r).is_ok());
        }
        let _ = rncp::list(&file, &mut Vec::new());
    }

    #[test]
    fn importing_a_mutated_case_package_never_panics(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), prop::sample::select(b"{}[]\",:1 ".to_vec())), 1..6)
    ) {
        let bytes = mutate(read(FOREIGN).as_bytes(), &edits);
        let json = String::from_utf8_lossy(&bytes);
        if let Ok((r, _)) = case::import(&json, "mutated.json") {
            prop_assert!(acquis_interop::referential_source(&r).is_ok());
        }
    }

    /// Mutated real artifacts: an import that succeeds writes a referential
    /// that `acquis check` accepts (no error).
    #[test]
    fn mutated_real_fiches_import_to_referentials_that_check(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), prop::sample::select(b"<>/ \nC1.:BA".to_vec())), 1..4)
    ) {
        let dir = TempDir::new("prop-rncp-real");
        let file = dir.join("mutated.xml");
        fs::write(&file, mutate(read(REAL_RNCP).as_bytes(), &edits)).unwrap();
        if let Ok((r, _)) = rncp::import(&file, "RNCP34826") {
            let (errors, _) = check(&source(&r));
            prop_assert_eq!(errors, 0);
        }
    }

    #[test]
    fn mutated_real_case_packages_import_to_referentials_that_check(
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), prop::sample::select(b"{}[]\",:1 .A".to_vec())), 1..4)
    ) {
        let bytes = mutate(read(REAL_CASE).as_bytes(), &edits);
        let json = String::from_utf8_lossy(&bytes);
        if let Ok((r, _)) = case::import(&json, "mutated.json") {
            let text = source(&r);
            let (errors, _) = check(&text);
            prop_assert_eq!(errors, 0, "{}", text);
        }
    }
}
