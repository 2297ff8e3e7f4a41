//! `cargo bench --bench exact`: in-memory evaluation, on one core, of a
//! generated referential graded on 0..20 by half points with decimal
//! weights: 6 blocks × 5 competencies × 4 criteria (120 criteria, about the
//! seed's 115), each competency `weighted average(criteria) >= 10`, each
//! block `all competencies validated`, and a compensated certification
//! `weighted average(criteria) >= 10 and at least 4 of blocks validated`.
//!
//! Three variants differ only in competency C1.1's rule:
//!
//! - `weighted`: the default rule, like every other competency;
//! - `monotone`: `(CE1 >= 10 and CE2 >= 10) or (CE1 >= 8 and CE3 >= 12)`,
//!   CE1 read twice in the same direction: three-valued evaluation is exact;
//! - `split`: `(CE1 >= 10 and CE2 >= 10) or (CE1 < 10 and CE3 >= 12)`, CE1
//!   read in both directions: when it is missing and three-valued evaluation
//!   says pending, the plan tries its 41 marks (docs/evaluation.md, "Exact
//!   pending"), for C1.1 and for what reads C1.1 (B1, the certification).
//!
//! Each variant is evaluated by the `Plan` (`evaluate_into`), by the batch
//! plan (`BatchPlan::evaluate`: flat, the averages decided per candidate
//! into its words, for the variants without case splits) and by a
//! hand-written function of the same rules in integer arithmetic (marks × 2,
//! weights × 100; CE1 missing in `split`: the two ranges 0..9.5 and 10..20,
//! in each of which the rule is monotone). Both must agree on every
//! competency, block and the certification of every candidate before any
//! figure is printed. The same candidates serve every variant: half
//! complete, a quarter with scattered missing grades, a quarter with a
//! block not yet assessed, and C1.1/CE1 missing for a quarter of them.

use std::time::Instant;

use acquis_compiler::compile_str;
use acquis_eval::{BatchOutcomes, BatchPlan, Grades, Outcome, Outcomes, Plan};

const BLOCKS: usize = 6;
const COMPETENCIES: usize = 5;
const CRITERIA: usize = 4;
/// Fewer than the seed bench's 200,000: exact arithmetic made this plan
/// slow (docs/performance.md); each timed sample repeats the set instead.
const CANDIDATES: usize = 20_000;
/// Interleaved timing rounds; each series keeps its best.
const ROUNDS: usize = 5;
/// A timed sample repeats its set until it lasts at least this long.
const SAMPLE_SECONDS: f64 = 0.2;

#[path = "common/seed_candidates.rs"]
#[allow(dead_code)]
mod seed_candidates;
use seed_candidates::Rng;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Weighted,
    Monotone,
    Split,
}

impl Variant {
    const ALL: [Variant; 3] = [Variant::Weighted, Variant::Monotone, Variant::Split];

    fn name(self) -> &'static str {
        match self {
            Variant::Weighted => "weighted",
            Variant::Monotone => "monotone",
            Variant::Split => "split",
        }
    }

    /// C1.1's own rule, when it is not the default.
    fn rule(self) -> Option<&'static str> {
        match self {
            Variant::Weighted => None,
            Variant::Monotone => Some("(CE1 >= 10 and CE2 >= 10) or (CE1 >= 8 and CE3 >= 12)"),
            Variant::Split => Some("(CE1 >= 10 and CE2 >= 10) or (CE1 < 10 and CE3 >= 12)"),
        }
    }
}

/// Each criterion's weight × 100, from 0.10 to 3.00, in generation order
/// (block, competency, criterion).
fn weights() -> Vec<i64> {
    let mut rng = Rng(0x0eac_7e1a_b5e1_9487);
    (0..BLOCKS * COMPETENCIES * CRITERIA)
        .map(|_| 10 + (rng.next() % 291) as i64)
        .collect()
}

fn criterion_id(b: usize, c: usize, k: usize) -> String {
    format!("C{}.{}/CE{}", b + 1, c + 1, k + 1)
}

fn competency_id(b: usize, c: usize) -> String {
    format!("C{}.{}", b + 1, c + 1)
}

fn referential(weights: &[i64], variant: Variant) -> String {
    let mut s = String::from(
        "referential EXB \"Référentiel de banc d'essai noté sur 20\" {\n  level 6\n  lang fr\n}\n\n\
         use std::scales::note_sur_20\n\n\
         defaults {\n  criterion scale note_sur_20\n  \
         competency validated when weighted average(criteria) >= 10\n  \
         block validated when all competencies validated\n}\n\n",
    );
    let mut w = weights.iter();
    for b in 0..BLOCKS {
        s.push_str(&format!("block B{} \"Bloc {}\" {{\n", b + 1, b + 1));
        for c in 0..COMPETENCIES {
            s.push_str(&format!(
                "  competency {} \"Compétence {} du bloc {}\" {{\n",
                competency_id(b, c),
                c + 1,
                b + 1
            ));
            for k in 0..CRITERIA {
                let weight = w.next().copied().unwrap_or(100);
                s.push_str(&format!(
                    "    criterion CE{} \"Critère {}\" {{\n      weight {}.{:02}\n      indicator \"Le critère {} est observé.\"\n    }}\n",
                    k + 1,
                    k + 1,
                    weight / 100,
                    weight % 100,
                    k + 1
                ));
            }
            if let (0, 0, Some(rule)) = (b, c, variant.rule()) {
                s.push_str(&format!("    validated when {rule}\n"));
            }
            s.push_str("  }\n");
        }
        let covered: Vec<String> = (0..COMPETENCIES).map(|c| competency_id(b, c)).collect();
        s.push_str(&format!(
            "  assessment E{} \"Épreuve du bloc {}\" {{\n    covers {}\n  }}\n}}\n\n",
            b + 1,
            b + 1,
            covered.join(", ")
        ));
    }
    s.push_str(
        "certification validated when weighted average(criteria) >= 10 and at least 4 of blocks validated\n",
    );
    s
}

/// Grades in half points (0..=40) by generation order, `None` when missing.
fn marks(count: usize) -> Vec<Vec<Option<i64>>> {
    let n = BLOCKS * COMPETENCIES * CRITERIA;
    let per_block = COMPETENCIES * CRITERIA;
    let mut rng = Rng(0x5eed_acc0_2026_1202);
    (0..count)
        .map(|_| {
            let ability = 12 + (rng.next() % 21) as i64; // 6 to 16 on 20
            let profile = rng.next() % 4;
            let unassessed = (rng.next() % BLOCKS as u64) as usize;
            let mut marks: Vec<Option<i64>> = (0..n)
                .map(|i| {
                    let roll = rng.next() % 100;
                    let missing = match profile {
                        2 => roll < 8,
                        3 => i / per_block == unassessed || roll < 2,
                        _ => false,
                    };
                    let mark = (ability + (rng.next() % 17) as i64 - 8).clamp(0, 40);
                    (!missing).then_some(mark)
                })
                .collect();
            if rng.next().is_multiple_of(4) {
                if let Some(ce1) = marks.first_mut() {
                    *ce1 = None;
                }
            }
            marks
        })
        .collect()
}

fn grades(plan: &Plan<'_>, index: &[usize], marks: &[Vec<Option<i64>>]) -> Vec<Grades> {
    marks
        .iter()
        .map(|m| {
            let mut g = Grades::new(plan);
            for (&i, mark) in index.iter().zip(m) {
                if let Some(mark) = mark {
                    // A half point is exact in binary: what parse_grade gives.
                    g.set_position(i, *mark as f64 / 2.0);
                }
            }
            g
        })
        .collect()
}

fn kleene_and(a: Outcome, b: Outcome) -> Outcome {
    match (a, b) {
        (Outcome::Failed, _) | (_, Outcome::Failed) => Outcome::Failed,
        (Outcome::Passed, Outcome::Passed) => Outcome::Passed,
        _ => Outcome::Pending,
    }
}

fn kleene_or(a: Outcome, b: Outcome) -> Outcome {
    match (a, b) {
        (Outcome::Passed, _) | (_, Outcome::Passed) => Outcome::Passed,
        (Outcome::Failed, Outcome::Failed) => Outcome::Failed,
        _ => Outcome::Pending,
    }
}

fn kleene_not(a: Outcome) -> Outcome {
    match a {
        Outcome::Passed => Outcome::Failed,
        Outcome::Failed => Outcome::Passed,
        Outcome::Pending => Outcome::Pending,
    }
}

/// `lo..=hi` (half points) `>= threshold` (half points), three-valued.
fn at_least(lo: i64, hi: i64, threshold: i64) -> Outcome {
    if lo >= threshold {
        Outcome::Passed
    } else if hi < threshold {
        Outcome::Failed
    } else {
        Outcome::Pending
    }
}

/// The same rules by hand, in integers: a mark is its half points, a weight
/// its hundredths, and `weighted average >= 10` is Σ w·m ≥ 20·Σ w, on the
/// lowest and highest completions of the missing marks (0 and 40).
struct HandWritten {
    variant: Variant,
    /// Per competency, in generation order: (criterion index, weight × 100).
    competencies: Vec<Vec<(usize, i64)>>,
    totals: Vec<i64>,
    total: i64,
    /// C1.1/CE1, CE2, CE3.
    ce: [usize; 3],
}

/// Two outcome buffers: competencies then blocks then the certification.
#[derive(Default)]
struct Scratch {
    a: Vec<Outcome>,
    b: Vec<Outcome>,
}

impl HandWritten {
    fn new(variant: Variant, index: &[usize], weights: &[i64]) -> Self {
        let competencies: Vec<Vec<(usize, i64)>> = index
            .chunks(CRITERIA)
            .zip(weights.chunks(CRITERIA))
            .map(|(i, w)| i.iter().copied().zip(w.iter().copied()).collect())
            .collect();
        let totals: Vec<i64> = competencies
            .iter()
            .map(|c| c.iter().map(|(_, w)| w).sum())
            .collect();
        let at = |k: usize| index.get(k).copied().unwrap_or(0);
        HandWritten {
            variant,
            total: totals.iter().sum(),
            competencies,
            totals,
            ce: [at(0), at(1), at(2)],
        }
    }

    fn interval(g: &Grades, i: usize, ce1: usize, range: (i64, i64)) -> (i64, i64) {
        match g.position(i) {
            Some(p) => {
                let m = (p * 2.0) as i64;
                (m, m)
            }
            None if i == ce1 => range,
            None => (0, 40),
        }
    }

    /// The certification; `out` holds every competency, block and the
    /// certification. Exact: in `split`, a missing CE1 is evaluated on each
    /// side of 10, where C1.1 no longer depends on it.
    fn certification(&self, g: &Grades, scratch: &mut Scratch) -> Outcome {
        let [ce1, _, _] = self.ce;
        if self.variant == Variant::Split && g.position(ce1).is_none() {
            self.evaluate(g, (0, 19), &mut scratch.a);
            self.evaluate(g, (20, 40), &mut scratch.b);
            for (x, y) in scratch.a.iter_mut().zip(&scratch.b) {
                if *x != *y {
                    *x = Outcome::Pending;
                }
            }
            scratch.a.last().copied().unwrap_or(Outcome::Pending)
        } else {
            self.evaluate(g, (0, 40), &mut scratch.a)
        }
    }

    /// Three-valued, with CE1 in `range` when missing.
    fn evaluate(&self, g: &Grades, range: (i64, i64), out: &mut Vec<Outcome>) -> Outcome {
        let [ce1, ce2, ce3] = self.ce;
        out.clear();
        let (mut lo_all, mut hi_all) = (0, 0);
        for (members, total) in self.competencies.iter().zip(&self.totals) {
            let (mut lo, mut hi) = (0, 0);
            for &(i, w) in members {
                let (a, b) = Self::interval(g, i, ce1, range);
                lo += w * a;
                hi += w * b;
            }
            lo_all += lo;
            hi_all += hi;
            out.push(at_least(lo, hi, 20 * total));
        }
        if self.variant != Variant::Weighted {
            let ge = |i: usize, t: i64| {
                let (lo, hi) = Self::interval(g, i, ce1, range);
                at_least(lo, hi, 2 * t)
            };
            let second = if self.variant == Variant::Monotone {
                ge(ce1, 8)
            } else {
                kleene_not(ge(ce1, 10))
            };
            let rule = kleene_or(
                kleene_and(ge(ce1, 10), ge(ce2, 10)),
                kleene_and(second, ge(ce3, 12)),
            );
            if let Some(c11) = out.first_mut() {
                *c11 = rule;
            }
        }
        let (mut passed, mut unknown) = (0, 0);
        for b in 0..BLOCKS {
            let block = out
                .get(b * COMPETENCIES..(b + 1) * COMPETENCIES)
                .map_or(Outcome::Pending, |c| {
                    c.iter().copied().fold(Outcome::Passed, kleene_and)
                });
            match block {
                Outcome::Passed => passed += 1,
                Outcome::Pending => unknown += 1,
                Outcome::Failed => {}
            }
            out.push(block);
        }
        let blocks = if passed >= 4 {
            Outcome::Passed
        } else if passed + unknown < 4 {
            Outcome::Failed
        } else {
            Outcome::Pending
        };
        let certification = kleene_and(at_least(lo_all, hi_all, 20 * self.total), blocks);
        out.push(certification);
        certification
    }
}

/// Candidates per second, best of `ROUNDS` interleaved rounds per series;
/// a sample runs its series as many times as make `SAMPLE_SECONDS`
/// (counted from a first, untimed run).
fn time_interleaved(series: &mut [&mut dyn FnMut() -> usize], counts: &[usize]) -> Vec<f64> {
    let repeats: Vec<usize> = series
        .iter_mut()
        .map(|f| {
            let start = Instant::now();
            std::hint::black_box(f());
            let once = start.elapsed().as_secs_f64().max(1e-9);
            ((SAMPLE_SECONDS / once).ceil() as usize).max(1)
        })
        .collect();
    let mut best = vec![f64::INFINITY; series.len()];
    for _ in 0..ROUNDS {
        for ((f, b), &n) in series.iter_mut().zip(best.iter_mut()).zip(&repeats) {
            let start = Instant::now();
            for _ in 0..n {
                std::hint::black_box(f());
            }
            *b = b.min(start.elapsed().as_secs_f64() / n as f64);
        }
    }
    best.iter()
        .zip(counts)
        .map(|(t, &n)| n as f64 / t)
        .collect()
}

struct Setup {
    variant: Variant,
    ir: acquis_ir::Ir,
}

/// A variant's candidates, its hand-written rules, and (for `split`) the
/// candidates on which the plan decides some rule by cases.
struct Measured<'s> {
    setup: &'s Setup,
    grades: Vec<Grades>,
    hand: HandWritten,
    by_cases: Vec<Grades>,
    every_case: Vec<Grades>,
}

fn main() {
    let weights = weights();
    let marks = marks(CANDIDATES);
    let mut setups = Vec::new();
    for variant in Variant::ALL {
        let text = referential(&weights, variant);
        let compiled = compile_str("exact-bench.acquis", &text);
        if compiled.has_errors() {
            for d in compiled.diagnostics.iter().filter(|d| d.is_error()) {
                eprintln!("{}: {}", variant.name(), d.message.english());
            }
            return;
        }
        let Some(ir) = compiled.ir else {
            eprintln!("{}: no IR", variant.name());
            return;
        };
        setups.push(Setup { variant, ir });
    }

    println!(
        "{CANDIDATES} candidates, {BLOCKS} blocks × {COMPETENCIES} competencies × {CRITERIA} criteria on 0..20 step 0.5, weights 0.10 to 3.00"
    );
    let mut results = Vec::new();
    for setup in &setups {
        let plan = Plan::new(&setup.ir);
        let mut index = Vec::new();
        for b in 0..BLOCKS {
            for c in 0..COMPETENCIES {
                for k in 0..CRITERIA {
                    let Some(i) = plan.criterion_index(&criterion_id(b, c, k)) else {
                        eprintln!("no criterion {}", criterion_id(b, c, k));
                        return;
                    };
                    index.push(i);
                }
            }
        }
        let grades = grades(&plan, &index, &marks);
        let hand = HandWritten::new(setup.variant, &index, &weights);
        let mut ids: Vec<String> = (0..BLOCKS)
            .flat_map(|b| (0..COMPETENCIES).map(move |c| competency_id(b, c)))
            .collect();
        ids.extend((0..BLOCKS).map(|b| format!("B{}", b + 1)));
        ids.push("certification".to_string());

        // Agreement first, on every entity: no figure unless they agree.
        let mut outcomes = Outcomes::default();
        let mut scratch = Scratch::default();
        let mut kleene = Vec::new();
        let mut counts = [0usize; 3];
        // The candidates on which some rule is decided by cases: CE1
        // missing, and one three-valued pass leaves a rule reading it
        // both ways pending.
        let split_ids: Vec<&str> = ["C1.1", "B1", "certification"]
            .into_iter()
            .filter(|id| !plan.case_splits(id).is_empty())
            .collect();
        let split_slots: Vec<usize> = split_ids
            .iter()
            .filter_map(|id| ids.iter().position(|x| x == id))
            .collect();
        let mut by_cases = Vec::new();
        let mut every_case = Vec::new();
        for (n, g) in grades.iter().enumerate() {
            plan.evaluate_into(g, &mut outcomes);
            let theirs = hand.certification(g, &mut scratch);
            for (id, expected) in ids.iter().zip(&scratch.a) {
                let ours = outcomes.get(&plan, id);
                if ours != Some(*expected) {
                    eprintln!(
                        "{}: candidate {n}, {id}: plan {ours:?}, hand-written {expected:?}",
                        setup.variant.name()
                    );
                    return;
                }
            }
            counts[theirs as usize] += 1;
            if g.position(hand.ce[0]).is_none() && !split_slots.is_empty() {
                hand.evaluate(g, (0, 40), &mut kleene);
                let pending = |s: &usize| kleene.get(*s) == Some(&Outcome::Pending);
                if split_slots.iter().any(pending) {
                    by_cases.push(g.clone());
                }
                // Decided although one pass left it pending: every value
                // of CE1 was tried for it.
                if split_slots
                    .iter()
                    .any(|s| pending(s) && scratch.a.get(*s) != Some(&Outcome::Pending))
                {
                    every_case.push(g.clone());
                }
            }
        }
        println!(
            "{:>8}: certification passed {}, failed {}, pending {}; rules with case splits: {}; candidates on the exact path: {}, of which decided by trying every mark of CE1: {}",
            setup.variant.name(),
            counts[0],
            counts[1],
            counts[2],
            if split_ids.is_empty() {
                "none".to_string()
            } else {
                split_ids.join(", ")
            },
            by_cases.len(),
            every_case.len()
        );
        results.push(Measured {
            setup,
            grades,
            hand,
            by_cases,
            every_case,
        });
    }

    // The candidates on which `split` takes the exact path, evaluated by
    // every variant: what those candidates cost without it.
    let (by_cases, every_case) = results
        .last()
        .map(|m| (m.by_cases.clone(), m.every_case.clone()))
        .unwrap_or_default();
    let sets: [(&str, &[Grades]); 3] = [
        ("all", &[]),
        ("on the exact path in `split`", &by_cases),
        ("every mark of CE1 tried in `split`", &every_case),
    ];
    let plans: Vec<Plan<'_>> = results.iter().map(|m| Plan::new(&m.setup.ir)).collect();
    let batches: Vec<BatchPlan<'_, '_>> = plans.iter().map(BatchPlan::new).collect();
    // The batch plan agrees with the plan on every entity of every
    // candidate before it is timed.
    for ((m, plan), batch) in results.iter().zip(&plans).zip(&batches) {
        let mut out = BatchOutcomes::new();
        batch.evaluate(&m.grades, &mut out);
        let mut one = Outcomes::default();
        for (k, g) in m.grades.iter().enumerate() {
            out.outcomes_into(k, &mut one);
            if one != plan.evaluate(g) {
                eprintln!(
                    "{}: candidate {k}: the batch plan disagrees with the plan",
                    m.setup.variant.name()
                );
                return;
            }
        }
        match batch.per_candidate() {
            [] => println!("{:>8}: batch plan flat", m.setup.variant.name()),
            rules => {
                for why in rules {
                    println!(
                        "{:>8}: batch plan flat, one rule decided one candidate at a time ({why})",
                        m.setup.variant.name()
                    );
                }
            }
        }
    }
    let mut series: Vec<Box<dyn FnMut() -> usize + '_>> = Vec::new();
    let mut counts = Vec::new();
    for ((m, plan), batch) in results.iter().zip(&plans).zip(&batches) {
        let hand = &m.hand;
        for (k, (_, subset)) in sets.iter().enumerate() {
            let set: &[Grades] = if k == 0 { &m.grades } else { subset };
            // Each reuses one buffer, as the hand-written function does.
            let mut outcomes = Outcomes::default();
            series.push(Box::new(move || {
                set.iter()
                    .filter(|g| {
                        plan.evaluate_into(g, &mut outcomes);
                        outcomes.get(plan, "certification") == Some(Outcome::Passed)
                    })
                    .count()
            }));
            let mut scratch = Scratch::default();
            series.push(Box::new(move || {
                set.iter()
                    .filter(|g| hand.certification(g, &mut scratch) == Outcome::Passed)
                    .count()
            }));
            let mut out = BatchOutcomes::new();
            let slot = plan.slot("certification").unwrap_or(usize::MAX);
            series.push(Box::new(move || {
                batch.evaluate(set, &mut out);
                out.counts(slot)[0]
            }));
            counts.extend([set.len(), set.len(), set.len()]);
        }
    }
    let mut refs: Vec<&mut dyn FnMut() -> usize> = series
        .iter_mut()
        .map(|f| f.as_mut() as &mut dyn FnMut() -> usize)
        .collect();
    let rates = time_interleaved(&mut refs, &counts);
    // Three series per variant and set: plan, hand-written, batch.
    let rate = |v: usize, set: usize, series: usize| {
        rates
            .get((v * sets.len() + set) * 3 + series)
            .copied()
            .unwrap_or(0.0)
    };
    let size = |set: usize| counts.get(set * 3).copied().unwrap_or(0);

    println!(
        "\n| C1.1's rule | candidates | Acquis plan (candidates/s, one core, best of {ROUNDS}) | Acquis batch | hand-written | hand / plan | hand / batch |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (v, m) in results.iter().enumerate() {
        for (k, (name, _)) in sets.iter().enumerate() {
            println!(
                "| {} | {name} ({}) | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} |",
                m.setup.variant.name(),
                size(k),
                rate(v, k, 0),
                rate(v, k, 2),
                rate(v, k, 1),
                rate(v, k, 1) / rate(v, k, 0),
                rate(v, k, 1) / rate(v, k, 2)
            );
        }
    }
    println!("\nexact path, plan, `split` vs `monotone` (time per candidate):");
    for (k, (name, _)) in sets.iter().enumerate() {
        println!(
            "  {name} ({}): {:.2}×",
            size(k),
            rate(1, k, 0) / rate(2, k, 0)
        );
    }
}
