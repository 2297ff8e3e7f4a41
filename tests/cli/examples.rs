//! `acquis test`: the `example` blocks of a referential, their count and
//! the reason of a failed expectation on standard output, the exit status.

use crate::check::write;
use crate::common::{acquis, TempDir, SEED};

#[test]
fn test_runs_the_examples_of_both_referentials() {
    for (file, expectations) in [(SEED, 13), ("examples/cuisine/cuisine.acquis", 40)] {
        let run = acquis(&["test", file]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(&format!(
                "{expectations} attendus : {expectations} vérifiés, 0 en échec"
            )),
            "{}",
            run.describe()
        );
    }
}

#[test]
fn test_reports_a_failed_expectation_with_its_reason() {
    let dir = TempDir::new("failing-example");
    let text = std::fs::read_to_string(SEED)
        .unwrap()
        .replace("expect C1.3 validated", "expect C1.3 not_validated");
    let file = write(&dir, "edl.acquis", &text);
    let run = acquis(&[std::ffi::OsStr::new("test"), file.as_os_str()]);
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("ÉCHEC de l'exemple « four of five is enough for C1.3 » : C1.3 attendu non validée, obtenu validée")
            || run.stdout.contains("C1.3 attendu non validée, obtenu validée"),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout.contains("5 sur 5 acquis, tous requis"),
        "{}",
        run.describe()
    );
    assert!(run.stdout.contains("1 en échec"), "{}", run.describe());
}
