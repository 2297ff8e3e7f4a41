//! The workload of issue 16, shared by `benches/eval.rs` and
//! `benches/peers`, so both evaluate exactly the same referential and
//! grades: 4 blocks × 10 competencies × 5 criteria on the acquisition
//! levels, each competency `at least 4 of criteria acquired`, each block
//! all its competencies, the certification all blocks. Included with
//! `#[path]`: each bench is its own crate.

/// Blocks × competencies × criteria.
pub const SHAPE: (usize, usize, usize) = (4, 10, 5);

/// The rank of `acquis`, the pass level; `None` in a row is a missing
/// grade.
pub const ACQUIS: u8 = 2;

/// The referential, as Acquis source.
pub fn source() -> String {
    let (blocks, competencies, criteria) = SHAPE;
    let mut s = String::from(
        "referential W \"Charge\" { lang fr }\nuse std::scales::acquisition\ndefaults {\n  criterion scale acquisition\n  block validated when all competencies validated\n}\n",
    );
    for b in 1..=blocks {
        s.push_str(&format!("block B{b} \"Bloc\" {{\n"));
        for c in 1..=competencies {
            s.push_str(&format!("  competency C{b}.{c} \"C\" {{\n"));
            for k in 1..=criteria {
                s.push_str(&format!("    criterion CE{k} \"x\"\n"));
            }
            s.push_str("    validated when at least 4 of criteria acquired\n  }\n");
        }
        let covers: Vec<String> = (1..=competencies).map(|c| format!("C{b}.{c}")).collect();
        s.push_str(&format!(
            "  assessment E{b} \"E\" {{ covers {} }}\n}}\n",
            covers.join(", ")
        ));
    }
    s.push_str("certification validated when all blocks validated\n");
    s
}

/// Level ranks (0 non_acquis, 1 en_cours, 2 acquis) or missing, per
/// candidate and criterion in declaration order: 85 % acquis, 6 %
/// en_cours, 5 % non_acquis, 4 % missing, so that every outcome occurs.
/// Always the same `count` first candidates.
pub fn grades(count: usize) -> Vec<Vec<Option<u8>>> {
    let (blocks, competencies, criteria) = SHAPE;
    // xorshift64: deterministic without a dependency.
    let mut x = 0x4f0f_5eed_0000_0001u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..count)
        .map(|_| {
            (0..blocks * competencies * criteria)
                .map(|_| match next() % 100 {
                    0..=84 => Some(ACQUIS),
                    85..=90 => Some(1),
                    91..=95 => Some(0),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// Outcomes as numbers ordered so that "all" is the greatest: passed 0,
/// pending 1, failed 2.
pub const PASSED: u8 = 0;
pub const PENDING: u8 = 1;
pub const FAILED: u8 = 2;

/// The rules by hand over one byte per criterion (`u8::MAX`: missing),
/// three-valued: the certification's outcome code.
pub fn hand_written(bytes: &[u8]) -> u8 {
    let (_, _, criteria) = SHAPE;
    let mut worst = PASSED;
    for c in bytes.chunks(criteria) {
        let t = c.iter().filter(|&&b| b == ACQUIS).count();
        let u = c.iter().filter(|&&b| b == u8::MAX).count();
        let outcome = if t >= 4 {
            PASSED
        } else if t + u < 4 {
            FAILED
        } else {
            PENDING
        };
        worst = worst.max(outcome);
        if worst == FAILED {
            break;
        }
    }
    worst
}
