//! Candidates shared by `benches/eval.rs` and `benches/regorus-peer`, so
//! both benchmarks evaluate exactly the same grades. Included with
//! `#[path]`: each bench is its own crate.

use acquis_eval::{Grades, Plan};

/// xorshift64: deterministic candidates without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Grades by level rank (0 non_acquis, 1 en_cours, 2 acquis): mostly
/// acquis, some missing, some failing, so every outcome occurs. Always
/// the same `count` first candidates.
pub fn candidates(plan: &Plan<'_>, criteria: usize, count: usize) -> Vec<Grades> {
    let mut rng = Rng(0x5eed_acc0_1234_5678);
    (0..count)
        .map(|_| {
            let mut g = Grades::new(plan);
            let profile = rng.next() % 4;
            for i in 0..criteria {
                let roll = rng.next() % 1000;
                let grade = match (profile, roll) {
                    (0, _) => Some(2.0),
                    (1, r) if r < 3 => None,
                    (2, r) if r < 4 => Some((r % 2) as f64),
                    (_, r) if r < 2 => None,
                    _ => Some(2.0),
                };
                if let Some(grade) = grade {
                    g.set_position(i, grade);
                }
            }
            g
        })
        .collect()
}
