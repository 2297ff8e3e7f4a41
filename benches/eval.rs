//! `cargo bench --bench eval`: in-memory evaluation on one core of the
//! seed referential (115 criteria per candidate) and of a generated 4
//! blocks × 10 competencies × 5 criteria "at least 4 of 5" workload: the
//! batch evaluator (`BatchPlan`, 64 candidates a word), the plan
//! (`Plan::evaluate_into`, one candidate at a time) and hand-written Rust
//! functions of the same rules (the practical limit), side by side in one
//! run. All must agree on every candidate before any figure is printed;
//! then `acquis eval` end to end (skipped by `cargo bench --bench eval --
//! memory`, which times in memory only).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use acquis_compiler::{compile, loader::Disk};
use acquis_eval::{BatchOutcomes, BatchPlan, GradeColumns, Grades, Outcome, Plan};
use acquis_ir::Ir;

const CANDIDATES: usize = 200_000;

#[path = "common/seed_candidates.rs"]
mod seed_candidates;
use seed_candidates::{candidates, Rng};

#[path = "common/four_of_five.rs"]
mod four_of_five;
use four_of_five::SHAPE;

/// The seed's rules written by hand: a criterion is acquired at rank 2, a
/// competency when all its criteria are, a block when all its competencies
/// are, the certification when all blocks are. Three-valued.
struct HandWritten {
    competencies: Vec<Vec<usize>>,
    blocks: Vec<Vec<usize>>,
}

impl HandWritten {
    fn new(ir: &Ir) -> Self {
        let index = |id: &str| ir.criteria.iter().position(|c| c.id == id).unwrap_or(0);
        let competency = |id: &str| ir.competencies.iter().position(|c| c.id == id).unwrap_or(0);
        HandWritten {
            competencies: ir
                .competencies
                .iter()
                .map(|c| c.criteria.iter().map(|k| index(k)).collect())
                .collect(),
            blocks: ir
                .blocks
                .iter()
                .map(|b| b.competencies.iter().map(|c| competency(c)).collect())
                .collect(),
        }
    }

    fn all(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
        let mut pending = false;
        for o in outcomes {
            match o {
                Outcome::Failed => return Outcome::Failed,
                Outcome::Pending => pending = true,
                Outcome::Passed => {}
            }
        }
        if pending {
            Outcome::Pending
        } else {
            Outcome::Passed
        }
    }

    fn certification(&self, g: &Grades, competency_outcomes: &mut Vec<Outcome>) -> Outcome {
        competency_outcomes.clear();
        competency_outcomes.extend(self.competencies.iter().map(|criteria| {
            Self::all(criteria.iter().map(|&i| match g.position(i) {
                None => Outcome::Pending,
                Some(r) if r >= 2.0 => Outcome::Passed,
                Some(_) => Outcome::Failed,
            }))
        }));
        Self::all(self.blocks.iter().map(|b| {
            Self::all(b.iter().map(|&c| {
                competency_outcomes
                    .get(c)
                    .copied()
                    .unwrap_or(Outcome::Pending)
            }))
        }))
    }
}

fn main() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/edl/referential.acquis");
    let compiled = compile(&seed, &Disk);
    let Some(ir) = compiled.ir.as_ref().filter(|_| !compiled.has_errors()) else {
        eprintln!("the seed does not compile");
        return;
    };
    if !seed_in_memory(ir) {
        return;
    }
    if !four_of_five() {
        return;
    }
    if std::env::args().skip(1).any(|a| a == "memory") {
        return;
    }
    end_to_end(ir);
}

/// Candidates/s of each evaluator, timed twice per round: right after the
/// other evaluators (`cold`: its data, read by none of them, comes back
/// from memory, most of it evicted by the 320 MB of `Grades`), then again
/// at once (`warm`: what fits in the caches is there, as a batch just read
/// is when `acquis eval` evaluates it).
struct Rates {
    cold: Vec<f64>,
    warm: Vec<f64>,
}

/// Times `f` (which returns a checksum) best of `ROUNDS`, the evaluators
/// interleaved round by round so that a load spike hits them alike; each
/// timed cold then warm ([`Rates`]); and whether their checksums agree.
fn interleaved(candidates: usize, evaluators: &mut [&mut dyn FnMut() -> usize]) -> (Rates, bool) {
    const ROUNDS: usize = 5;
    let mut cold = vec![f64::INFINITY; evaluators.len()];
    let mut warm = vec![f64::INFINITY; evaluators.len()];
    let mut sums = vec![0usize; evaluators.len()];
    for _ in 0..ROUNDS {
        for (e, f) in evaluators.iter_mut().enumerate() {
            for best in [&mut cold, &mut warm] {
                let start = Instant::now();
                sums[e] = f();
                best[e] = best[e].min(start.elapsed().as_secs_f64());
            }
        }
    }
    let agree = sums.windows(2).all(|w| w[0] == w[1]);
    let rates = |best: Vec<f64>| best.iter().map(|t| candidates as f64 / t).collect();
    (
        Rates {
            cold: rates(cold),
            warm: rates(warm),
        },
        agree,
    )
}

/// Candidates evaluated together by the batch evaluator, as `acquis eval`
/// holds them.
const BATCH: usize = 2048;

/// The batch evaluator over `grades`, `BATCH` at a time: the candidates
/// whose certification passed.
fn batch_passed(
    batch: &BatchPlan<'_, '_>,
    grades: &[Grades],
    slot: usize,
    out: &mut BatchOutcomes,
) -> usize {
    grades
        .chunks(BATCH)
        .map(|chunk| {
            batch.evaluate(chunk, out);
            out.counts(slot)[0]
        })
        .sum()
}

/// `grades` as columns of steps, `BATCH` candidates each (built before
/// any timing, as the hand-written function's bytes are).
fn columns(batch: &BatchPlan<'_, '_>, grades: &[Grades]) -> Option<Vec<GradeColumns>> {
    match grades.chunks(BATCH).map(|c| batch.columns(c)).collect() {
        Ok(columns) => Some(columns),
        Err(why) => {
            println!("(no columns: {why})");
            None
        }
    }
}

/// The batch evaluator over columns: the candidates whose certification
/// passed.
fn columns_passed(
    batch: &BatchPlan<'_, '_>,
    columns: &[GradeColumns],
    slot: usize,
    out: &mut BatchOutcomes,
) -> usize {
    columns
        .iter()
        .map(|c| {
            batch.evaluate_columns(c, out);
            out.counts(slot)[0]
        })
        .sum()
}

/// Every candidate of `columns` agrees with the plan, entity by entity.
fn columns_agree(
    plan: &Plan<'_>,
    batch: &BatchPlan<'_, '_>,
    columns: &[GradeColumns],
    grades: &[Grades],
) -> bool {
    let mut out = BatchOutcomes::new();
    let mut one = acquis_eval::Outcomes::default();
    let mut expected = acquis_eval::Outcomes::default();
    for (c, chunk) in columns.iter().zip(grades.chunks(BATCH)) {
        batch.evaluate_columns(c, &mut out);
        for (k, g) in chunk.iter().enumerate() {
            out.outcomes_into(k, &mut one);
            plan.evaluate_into(g, &mut expected);
            if one != expected {
                eprintln!(
                    "disagreement: batch over columns {:?}, plan {:?}",
                    one, expected
                );
                return false;
            }
        }
    }
    true
}

/// Every entity of every candidate: the batch evaluator against the plan.
fn batch_agrees(plan: &Plan<'_>, batch: &BatchPlan<'_, '_>, grades: &[Grades]) -> bool {
    let mut out = BatchOutcomes::new();
    let mut one = acquis_eval::Outcomes::default();
    let mut expected = acquis_eval::Outcomes::default();
    for chunk in grades.chunks(BATCH) {
        batch.evaluate(chunk, &mut out);
        for (k, g) in chunk.iter().enumerate() {
            out.outcomes_into(k, &mut one);
            plan.evaluate_into(g, &mut expected);
            if one != expected {
                eprintln!("disagreement: batch {:?}, plan {:?}", one, expected);
                return false;
            }
        }
    }
    true
}

/// The seed: plan, batch and the hand-written function.
fn seed_in_memory(ir: &Ir) -> bool {
    let plan = Plan::new(ir);
    let batch = BatchPlan::new(&plan);
    for why in batch.per_candidate() {
        println!("(in the seed, {why}: decided one candidate at a time)");
    }
    let grades = candidates(&plan, ir.criteria.len(), CANDIDATES);
    let hand = HandWritten::new(ir);
    let Some(certification) = plan.slot("certification") else {
        return false;
    };

    // Agreement first: no figure unless all give the same outcomes.
    let mut scratch = Vec::new();
    let mut counts = [0usize; 3];
    for g in &grades {
        let ours = plan.evaluate(g).at(certification);
        let theirs = hand.certification(g, &mut scratch);
        if ours != Some(theirs) {
            eprintln!("disagreement: plan {ours:?}, hand-written {theirs:?}");
            return false;
        }
        counts[theirs as usize] += 1;
    }
    if !batch_agrees(&plan, &batch, &grades) {
        return false;
    }
    let Some(cols) = columns(&batch, &grades) else {
        return false;
    };
    if !columns_agree(&plan, &batch, &cols, &grades) {
        return false;
    }
    let mut out2 = BatchOutcomes::new();

    let mut outcomes = acquis_eval::Outcomes::default();
    let mut out = BatchOutcomes::new();
    let mut scratch = Vec::new();
    let (rates, agree) = interleaved(
        CANDIDATES,
        &mut [
            &mut || batch_passed(&batch, &grades, certification, &mut out),
            &mut || columns_passed(&batch, &cols, certification, &mut out2),
            &mut || {
                grades
                    .iter()
                    .filter(|g| {
                        // Reuses one buffer, as the hand-written function does.
                        plan.evaluate_into(g, &mut outcomes);
                        outcomes.at(certification) == Some(Outcome::Passed)
                    })
                    .count()
            },
            &mut || {
                grades
                    .iter()
                    .filter(|g| hand.certification(g, &mut scratch) == Outcome::Passed)
                    .count()
            },
        ],
    );
    println!(
        "{CANDIDATES} candidates of the seed ({} criteria each); certification passed {}, failed {}, pending {}",
        ir.criteria.len(),
        counts[0],
        counts[1],
        counts[2]
    );
    table(
        &rates,
        &[
            "Acquis batch (`BatchPlan`, 64 candidates a word, every entity), over `Grades`",
            "Acquis batch over `GradeColumns` (bit-sliced steps, column by column)",
            "Acquis plan (`Plan::evaluate_into`, every entity)",
            "hand-written Rust (same rules, over the same `Grades`)",
        ],
    );
    if !agree {
        eprintln!("checksums differ");
    }
    true
}

/// One row per evaluator: candidates/s cold and warm ([`Rates`]), and
/// time relative to the first, cold and warm.
fn table(rates: &Rates, names: &[&str]) {
    println!("| evaluator (one core) | candidates/s, cold | warm | time vs batch, cold | warm |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let first = |r: &[f64]| r.first().copied().unwrap_or(1.0);
    let (cold, warm) = (first(&rates.cold), first(&rates.warm));
    for ((c, w), name) in rates.cold.iter().zip(&rates.warm).zip(names) {
        println!(
            "| {name} | {c:.0} | {w:.0} | {:.2}× | {:.2}× |",
            cold / c,
            warm / w
        );
    }
}

/// The 4 × 10 × 5 "at least 4 of 5" rules by hand, three-valued: over
/// the plan's `Grades`, and over one byte per criterion (255: missing).
struct FourOfFive {
    /// Criterion indices per competency, competencies per block, in order.
    criteria: Vec<[usize; 5]>,
}

impl FourOfFive {
    fn competency(passed: usize, pending: usize) -> Outcome {
        if passed >= 4 {
            Outcome::Passed
        } else if passed + pending < 4 {
            Outcome::Failed
        } else {
            Outcome::Pending
        }
    }

    fn all(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
        HandWritten::all(outcomes)
    }

    fn certification(&self, g: &Grades) -> Outcome {
        let (_, competencies, _) = SHAPE;
        Self::all(self.criteria.chunks(competencies).map(|block| {
            Self::all(block.iter().map(|criteria| {
                let (mut t, mut u) = (0, 0);
                for &i in criteria {
                    match g.position(i) {
                        None => u += 1,
                        Some(r) if r >= 2.0 => t += 1,
                        Some(_) => {}
                    }
                }
                Self::competency(t, u)
            }))
        }))
    }

    /// The shared byte function's code as an outcome.
    fn certification_bytes(bytes: &[u8]) -> Outcome {
        match four_of_five::hand_written(bytes) {
            four_of_five::PASSED => Outcome::Passed,
            four_of_five::FAILED => Outcome::Failed,
            _ => Outcome::Pending,
        }
    }
}

/// The 4 × 10 × 5 workload: batch, plan, and two hand-written functions.
fn four_of_five() -> bool {
    let source = four_of_five::source();
    let compiled = acquis_compiler::compile_str("charge.acquis", &source);
    let Some(ir) = compiled.ir.as_ref().filter(|_| !compiled.has_errors()) else {
        eprintln!("the 4 × 10 × 5 workload does not compile");
        return false;
    };
    let plan = Plan::new(ir);
    let batch = BatchPlan::new(&plan);
    for why in batch.per_candidate() {
        println!("(in the workload, {why}: decided one candidate at a time)");
    }
    let (blocks, competencies, per) = SHAPE;
    let criteria = blocks * competencies * per;
    let rows = four_of_five::grades(CANDIDATES);
    let grades: Vec<Grades> = rows
        .iter()
        .map(|row| {
            let mut g = Grades::new(&plan);
            for (i, r) in row.iter().enumerate() {
                if let Some(r) = r {
                    g.set_position(i, f64::from(*r));
                }
            }
            g
        })
        .collect();
    let bytes: Vec<u8> = rows
        .iter()
        .flat_map(|row| row.iter().map(|r| r.unwrap_or(u8::MAX)))
        .collect();
    let hand = FourOfFive {
        criteria: (0..blocks * competencies)
            .map(|c| std::array::from_fn(|k| c * per + k))
            .collect(),
    };
    let Some(certification) = plan.slot("certification") else {
        return false;
    };
    let mut counts = [0usize; 3];
    for (g, b) in grades.iter().zip(bytes.chunks(criteria)) {
        let ours = plan.evaluate(g).at(certification);
        let theirs = hand.certification(g);
        if ours != Some(theirs) || FourOfFive::certification_bytes(b) != theirs {
            eprintln!(
                "disagreement on the 4 × 10 × 5 workload: plan {ours:?}, hand-written {theirs:?}"
            );
            return false;
        }
        counts[theirs as usize] += 1;
    }
    if !batch_agrees(&plan, &batch, &grades) {
        return false;
    }
    let Some(cols) = columns(&batch, &grades) else {
        return false;
    };
    if !columns_agree(&plan, &batch, &cols, &grades) {
        return false;
    }
    let mut out2 = BatchOutcomes::new();
    let mut outcomes = acquis_eval::Outcomes::default();
    let mut out = BatchOutcomes::new();
    let (rates, agree) = interleaved(
        CANDIDATES,
        &mut [
            &mut || batch_passed(&batch, &grades, certification, &mut out),
            &mut || columns_passed(&batch, &cols, certification, &mut out2),
            &mut || {
                grades
                    .iter()
                    .filter(|g| {
                        plan.evaluate_into(g, &mut outcomes);
                        outcomes.at(certification) == Some(Outcome::Passed)
                    })
                    .count()
            },
            &mut || {
                grades
                    .iter()
                    .filter(|g| hand.certification(g) == Outcome::Passed)
                    .count()
            },
            &mut || {
                bytes
                    .chunks(criteria)
                    .filter(|b| FourOfFive::certification_bytes(b) == Outcome::Passed)
                    .count()
            },
        ],
    );
    println!(
        "\n{CANDIDATES} candidates of the {blocks} × {competencies} × {per} \"at least 4 of 5\" workload; certification passed {}, failed {}, pending {}",
        counts[0], counts[1], counts[2]
    );
    table(
        &rates,
        &[
            "Acquis batch (`BatchPlan`, every entity), over `Grades`",
            "Acquis batch over `GradeColumns` (bit-sliced steps)",
            "Acquis plan (`Plan::evaluate_into`, every entity)",
            "hand-written Rust (same rules, over the same `Grades`)",
            "hand-written Rust (one byte per criterion)",
        ],
    );
    if !agree {
        eprintln!("checksums differ");
    }
    true
}

/// `acquis eval` of a 100,000-candidate long CSV (11.5 million rows), as a
/// user runs it: the release binary, writing CSV results.
fn end_to_end(ir: &Ir) {
    use std::io::Write;
    const E2E_CANDIDATES: usize = 100_000;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench");
    let grades = dir.join("candidates-100k.csv");
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/acquis");
    if !binary.exists() {
        println!("\n(build `cargo build --release` first to time `acquis eval` end to end)");
        return;
    }
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::File::create(&grades) else {
        return;
    };
    let mut out = std::io::BufWriter::new(file);
    let mut rng = Rng(42);
    let levels = ["non_acquis", "en_cours", "acquis"];
    let _ = writeln!(out, "candidate,criterion,grade,assessor");
    for c in 0..E2E_CANDIDATES {
        for k in &ir.criteria {
            let roll = rng.next() % 100;
            if roll == 0 {
                continue;
            }
            let level = levels[if roll < 3 { (roll % 2) as usize } else { 2 }];
            let _ = writeln!(out, "CAND-{c:06},{},{level},Jury {}", k.id, c % 7);
        }
    }
    drop(out);
    let size = std::fs::metadata(&grades).map_or(0, |m| m.len());
    let referential = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/edl/referential.acquis");
    // `--format csv` and `--format json` in turn, three runs of each:
    // medians, so that one run on a busy machine does not make the ratio.
    let mut csv = Vec::new();
    let mut json = Vec::new();
    let mut peak: Option<f64> = None;
    let mut summary = String::new();
    for _ in 0..3 {
        for (format, times) in [("csv", &mut csv), ("json", &mut json)] {
            let Some((t, kb, stderr)) = run_eval(&binary, &referential, &grades, format) else {
                continue;
            };
            times.push(t);
            if format == "csv" {
                peak = larger(peak, kb);
                if let Some(line) = stderr
                    .lines()
                    .find(|l| l.contains("candidates:") || l.contains("candidats :"))
                {
                    summary = line.to_string();
                }
            }
        }
    }
    let Some(elapsed) = median(&mut csv) else {
        return;
    };
    println!(
        "\n`acquis eval` of {E2E_CANDIDATES} candidates ({:.0} MB long CSV, {} cores): {elapsed:.2} s (median of {}), peak memory {}",
        size as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        csv.len(),
        peak.map_or("n/a".to_string(), |kb| format!("{:.0} MB", kb / 1024.0))
    );
    println!("{summary}");
    if let Some(minimal) = minimal_parse(&grades, ir, Format::LongCsv) {
        println!(
            "a minimal one-thread parse of the same file: {minimal:.2} s; `acquis eval` / it: {:.2} (target: at most 2)",
            elapsed / minimal
        );
    }
    if let Some(json_time) = median(&mut json) {
        println!(
            "the same with `--format json`: {json_time:.2} s (median of {}), {:.2}× `--format csv` (target: within 1.5×)",
            json.len(),
            json_time / elapsed
        );
    }
    quoted(&binary, &referential, &grades, ir);
    with_history(&binary, &referential, &grades, ir, E2E_CANDIDATES);
    json_lines(&binary, &referential, &dir, ir, E2E_CANDIDATES);
    let _ = std::fs::remove_file(&grades);
}

/// The same long CSV with its assessor quoted on every row (`"Jury, 3"`,
/// as spreadsheets write a cell holding the delimiter): cut between
/// candidates and read on every core like the plain file. Three runs,
/// median, peak memory of the last, next to the minimal parse of that
/// file.
fn quoted(binary: &Path, referential: &Path, grades: &Path, ir: &Ir) {
    use std::io::{BufRead, Write};
    let path = grades.with_file_name("candidates-100k-quoted.csv");
    let (Ok(input), Ok(output)) = (std::fs::File::open(grades), std::fs::File::create(&path))
    else {
        return;
    };
    let mut out = std::io::BufWriter::new(output);
    for (i, line) in std::io::BufReader::new(input).lines().enumerate() {
        let Ok(line) = line else { return };
        let line = match (i, line.rsplit_once(",Jury ")) {
            (0, _) | (_, None) => line,
            (_, Some((row, jury))) => format!("{row},\"Jury, {jury}\""),
        };
        let _ = writeln!(out, "{line}");
    }
    drop(out);
    let mut times = Vec::new();
    let mut peak = None;
    for _ in 0..3 {
        let Some((t, kb, _)) = run_eval(binary, referential, &path, "csv") else {
            break;
        };
        times.push(t);
        peak = larger(peak, kb);
    }
    if let Some(t) = median(&mut times) {
        println!(
            "the same file with its assessor quoted (`\"Jury, 3\"`): {t:.2} s (median of {}), peak memory {}",
            times.len(),
            peak.map_or("n/a".to_string(), |kb| format!("{:.0} MB", kb / 1024.0))
        );
        if let Some(minimal) = minimal_parse(&path, ir, Format::LongCsv) {
            println!(
                "a minimal one-thread parse of that file: {minimal:.2} s; `acquis eval` / it: {:.2} (target: at most 2)",
                t / minimal
            );
        }
    }
    let _ = std::fs::remove_file(&path);
}

/// `acquis eval` of the same kind of candidates written as JSON Lines (one
/// object per candidate, ~115 grades a line), next to the long CSV run
/// above: the reader's cost per candidate. Three runs, median.
fn json_lines(binary: &Path, referential: &Path, dir: &Path, ir: &Ir, candidates: usize) {
    use std::io::Write;
    let path = dir.join("candidates-100k.jsonl");
    let Ok(file) = std::fs::File::create(&path) else {
        return;
    };
    let mut out = std::io::BufWriter::new(file);
    let mut rng = Rng(42);
    let levels = ["non_acquis", "en_cours", "acquis"];
    for c in 0..candidates {
        let mut line = format!("{{\"candidate\": \"CAND-{c:06}\", \"grades\": {{");
        let mut first = true;
        for k in &ir.criteria {
            let roll = rng.next() % 100;
            if roll == 0 {
                continue;
            }
            let level = levels[if roll < 3 { (roll % 2) as usize } else { 2 }];
            if !first {
                line.push_str(", ");
            }
            first = false;
            line.push_str(&format!("\"{}\": \"{level}\"", k.id));
        }
        line.push_str("}}");
        let _ = writeln!(out, "{line}");
    }
    drop(out);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let mut times: Vec<f64> = (0..3)
        .filter_map(|_| run_eval(binary, referential, &path, "csv"))
        .map(|(t, _, _)| t)
        .collect();
    match median(&mut times) {
        Some(t) => {
            println!(
                "`acquis eval` of {candidates} candidates as JSON Lines ({:.0} MB): {t:.2} s (median of {})",
                size as f64 / 1e6,
                times.len()
            );
            if let Some(minimal) = minimal_parse(&path, ir, Format::JsonLines) {
                println!(
                    "a minimal one-thread parse of the same file: {minimal:.2} s; `acquis eval` / it: {:.2} (target: at most 2)",
                    t / minimal
                );
            }
        }
        None => println!("`acquis eval` of JSON Lines: a run failed"),
    }
    let _ = std::fs::remove_file(&path);
}

/// The same `acquis eval`, with a record for every candidate, next to the
/// same run without (target: under twice the time): the seed with `keep
/// blocks for 5 years` and `jury may decide certification`, and per
/// candidate an earlier validated block (2024-06) and, for one in ten, a
/// jury decision. Three runs of each, alternating; medians.
fn with_history(binary: &Path, seed: &Path, grades: &Path, ir: &Ir, candidates: usize) {
    use std::io::Write;
    let dir = grades.parent().unwrap_or(Path::new("."));
    let Ok(text) = std::fs::read_to_string(seed) else {
        return;
    };
    let referential = dir.join("seed-with-records.acquis");
    let records = "\nkeep blocks for 5 years\njury may decide certification\n";
    if std::fs::write(&referential, text + records).is_err() {
        return;
    }
    let history = dir.join("history-100k.csv");
    let Ok(file) = std::fs::File::create(&history) else {
        return;
    };
    let mut out = std::io::BufWriter::new(file);
    let _ = writeln!(out, "candidate,kind,entity,value,date,author,justification");
    let blocks: Vec<&str> = ir.blocks.iter().map(|b| b.id.as_str()).collect();
    for c in 0..candidates {
        let block = blocks.get(c % blocks.len().max(1)).copied().unwrap_or("A1");
        let _ = writeln!(out, "CAND-{c:06},result,{block},validated,2024-06,,");
        if c % 10 == 0 {
            let _ = writeln!(
                out,
                "CAND-{c:06},decision,certification,validated,2026-07-01,Jury plénier,Dossier examiné en séance"
            );
        }
    }
    drop(out);
    let run = |with: bool| -> Option<f64> {
        let mut command = Command::new(binary);
        command
            .arg("eval")
            .arg(&referential)
            .arg("--grades")
            .arg(grades)
            .args(["--format", "csv", "-o", "/dev/null", "--session", "2026-06"]);
        if with {
            command.arg("--history").arg(&history);
        }
        let start = Instant::now();
        let output = command.output().ok()?;
        output
            .status
            .success()
            .then(|| start.elapsed().as_secs_f64())
    };
    let mut without = Vec::new();
    let mut with = Vec::new();
    for _ in 0..3 {
        without.extend(run(false));
        with.extend(run(true));
    }
    match (median(&mut without), median(&mut with)) {
        (Some(a), Some(b)) => println!(
            "`acquis eval` of {candidates} candidates with a record each ({} history rows): {b:.2} s, without history {a:.2} s: {:.2}× (target: under 2×)",
            candidates + candidates / 10,
            b / a
        ),
        _ => println!("`acquis eval` with history: a run failed"),
    }
    let _ = std::fs::remove_file(&history);
    let _ = std::fs::remove_file(&referential);
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    LongCsv,
    JsonLines,
}

/// The reference of the end-to-end targets: the least a reader of the same
/// file must do, on one thread, written for this file alone (no quotes,
/// no errors to report): read it, split rows or lines, look each criterion
/// up and keep its level as one byte per criterion, a candidate at a time.
/// Returns its time (best of 3), after checking that it saw every
/// candidate.
fn minimal_parse(path: &Path, ir: &Ir, format: Format) -> Option<f64> {
    use std::io::BufRead;
    let index: rustc_hash::FxHashMap<&str, usize> = ir
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let level = |text: &[u8]| -> u8 {
        match text {
            b"acquis" => 3,
            b"en_cours" => 2,
            b"non_acquis" => 1,
            _ => 0,
        }
    };
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        let file = std::fs::File::open(path).ok()?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::new();
        let mut grades = vec![0u8; ir.criteria.len()];
        let mut current = Vec::new();
        let mut candidates = 0usize;
        let mut checksum = 0u64;
        let mut first = true;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).ok()? == 0 {
                break;
            }
            let row = line.strip_suffix(b"\n").unwrap_or(&line);
            match format {
                Format::LongCsv => {
                    if std::mem::take(&mut first) {
                        continue; // the header
                    }
                    let mut fields = row.split(|&b| b == b',');
                    let (Some(id), Some(criterion), Some(grade)) =
                        (fields.next(), fields.next(), fields.next())
                    else {
                        continue;
                    };
                    if id != current.as_slice() {
                        checksum += grades.iter().map(|&g| u64::from(g)).sum::<u64>();
                        grades.fill(0);
                        current.clear();
                        current.extend_from_slice(id);
                        candidates += 1;
                    }
                    let criterion = std::str::from_utf8(criterion).ok()?;
                    if let Some(&i) = index.get(criterion) {
                        grades[i] = level(grade);
                    }
                }
                Format::JsonLines => {
                    let text = std::str::from_utf8(row).ok()?;
                    let at = text.find("\"grades\": {")? + 11;
                    grades.fill(0);
                    candidates += 1;
                    // "id": "level" pairs, no escapes in this file.
                    let mut parts = text[at..].split('"');
                    while let (Some(_), Some(key), Some(_), Some(value)) =
                        (parts.next(), parts.next(), parts.next(), parts.next())
                    {
                        if let Some(&i) = index.get(key) {
                            grades[i] = level(value.as_bytes());
                        }
                    }
                    checksum += grades.iter().map(|&g| u64::from(g)).sum::<u64>();
                }
            }
        }
        if format == Format::LongCsv {
            checksum += grades.iter().map(|&g| u64::from(g)).sum::<u64>();
        }
        std::hint::black_box(checksum);
        if candidates == 0 {
            return None;
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    Some(best)
}

/// The larger of two peaks, either unknown.
fn larger(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The median of `times` (sorted here), `None` when there is none.
fn median(times: &mut [f64]) -> Option<f64> {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied()
}

/// One `acquis eval` of `grades` to `/dev/null` in `format`: its time,
/// its peak memory in kB (`/usr/bin/time`, when there is one) and its
/// standard error; `None` when it cannot run or fails.
fn run_eval(
    binary: &Path,
    referential: &Path,
    grades: &Path,
    format: &str,
) -> Option<(f64, Option<f64>, String)> {
    let timed = Path::new("/usr/bin/time").exists();
    let mut command = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M"]).arg(binary);
        c
    } else {
        Command::new(binary)
    };
    command
        .arg("eval")
        .arg(referential)
        .arg("--grades")
        .arg(grades)
        .args(["--format", format, "-o", "/dev/null"]);
    let start = Instant::now();
    let output = command.output().ok()?;
    let elapsed = start.elapsed().as_secs_f64();
    // Candidates with errors exit 1; anything else is a failure.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return None;
    }
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let peak = if timed {
        stderr
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<f64>().ok())
    } else {
        None
    };
    Some((elapsed, peak, stderr))
}
