//! `cargo run --release --manifest-path benches/peers/Cargo.toml`
//!
//! Side by side, in one run, on the same in-memory candidates of issue
//! 16's workload (`benches/common/four_of_five.rs`: 4 blocks × 10
//! competencies × 5 criteria, "at least 4 of 5", every block all its
//! competencies, the certification all blocks, three-valued):
//!
//! - Acquis, batch (`BatchPlan`, 64 candidates a word) over its `Grades`
//!   and over `GradeColumns` (bit-sliced steps, column by column,
//!   built before timing as the hand-written function's bytes are), and
//!   one candidate at a time (`Plan::evaluate_into`);
//! - the same rules as one JSONLogic rule, compiled once by `datalogic-rs`;
//! - the same rules as one expression, compiled once by `zen-expression`
//!   (GoRules' expression language);
//! - a hand-written Rust function over one byte per criterion.
//!
//! Outcomes are numbers ordered so that "all" is the greatest (passed 0,
//! pending 1, failed 2): a competency is 0 when at least 4 of its criteria
//! are acquired, 2 when fewer than 4 can still be, else 1; the
//! certification is the greatest of the 40. Every evaluator must give the
//! certification's outcome of every candidate before any figure is printed.
//! Each peer's input documents are built before any timing, as Acquis's
//! `Grades` are. One core, best of N interleaved rounds.
//!
//! Options: `--candidates N` (default 20,000), `--rounds N` (default 3).

use std::process::ExitCode;
use std::time::Instant;

use acquis_compiler::compile_str;
use acquis_eval::{BatchOutcomes, BatchPlan, GradeColumns, Grades, Outcome, Plan};
use datalogic_rs::bumpalo::Bump;
use datalogic_rs::{Engine, ParsedData};
use zen_expression::variable::Variable;
use zen_expression::vm::VM;

#[path = "../../common/four_of_five.rs"]
mod four_of_five;
use four_of_five::{FAILED, PASSED, PENDING, SHAPE};

/// Keep in step with Cargo.toml and Cargo.lock.
const DATALOGIC: &str = "5.4.0";
const ZEN: &str = "2.1.6";

/// The fast evaluators go over the candidate set several times per round,
/// at least this many evaluations.
const FAST_EVALUATIONS_PER_ROUND: usize = 400_000;

/// The competencies' criteria, as indices into a candidate's grades.
fn competencies() -> Vec<std::ops::Range<usize>> {
    let (blocks, competencies, criteria) = SHAPE;
    (0..blocks * competencies)
        .map(|c| c * criteria..(c + 1) * criteria)
        .collect()
}

/// The rules as one JSONLogic rule over `{"g": [grade or null, …]}`.
fn jsonlogic() -> String {
    let one = |i: usize, value: &str| {
        format!(r#"{{"if": [{{"===": [{{"var": "g.{i}"}}, {value}]}}, 1, 0]}}"#)
    };
    let competency = |criteria: std::ops::Range<usize>| {
        let acquired: Vec<String> = criteria.clone().map(|i| one(i, "2")).collect();
        let missing: Vec<String> = criteria.map(|i| one(i, "null")).collect();
        let t = format!(r#"{{"+": [{}]}}"#, acquired.join(", "));
        let u = format!(r#"{{"+": [{}]}}"#, missing.join(", "));
        format!(
            r#"{{"if": [{{">=": [{t}, 4]}}, {PASSED}, {{"<": [{{"+": [{t}, {u}]}}, 4]}}, {FAILED}, {PENDING}]}}"#
        )
    };
    let all: Vec<String> = competencies().into_iter().map(competency).collect();
    format!(r#"{{"max": [{}]}}"#, all.join(", "))
}

/// The rules as one zen expression over `{"g": [grade or null, …]}`.
fn zen() -> String {
    let one = |i: usize, value: &str| format!("(g[{i}] == {value} ? 1 : 0)");
    let competency = |criteria: std::ops::Range<usize>| {
        let acquired: Vec<String> = criteria.clone().map(|i| one(i, "2")).collect();
        let missing: Vec<String> = criteria.map(|i| one(i, "null")).collect();
        let t = acquired.join(" + ");
        let u = missing.join(" + ");
        format!("({t} >= 4 ? {PASSED} : ({t} + {u} < 4 ? {FAILED} : {PENDING}))")
    };
    let all: Vec<String> = competencies().into_iter().map(competency).collect();
    format!("max([{}])", all.join(", "))
}

fn code(o: Outcome) -> u8 {
    match o {
        Outcome::Passed => PASSED,
        Outcome::Failed => FAILED,
        Outcome::Pending => PENDING,
    }
}

fn option(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace([',', '_'], "").parse().ok())
        .unwrap_or(default)
}

/// Best time of `rounds` interleaved rounds per evaluator, each going
/// `repeats[e]` times over the set; returns candidates/s.
fn time(
    rounds: usize,
    candidates: usize,
    evaluators: &mut [(usize, &mut dyn FnMut() -> usize)],
) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; evaluators.len()];
    for _ in 0..rounds {
        for (e, (repeats, f)) in evaluators.iter_mut().enumerate() {
            let start = Instant::now();
            let mut checksum = 0;
            for _ in 0..*repeats {
                checksum += f();
            }
            std::hint::black_box(checksum);
            let per_set = start.elapsed().as_secs_f64() / *repeats as f64;
            best[e] = best[e].min(per_set);
        }
    }
    best.iter().map(|t| candidates as f64 / t).collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let count = option(&args, "--candidates", 20_000);
    let rounds = option(&args, "--rounds", 3).max(1);

    let source = four_of_five::source();
    let compiled = compile_str("charge.acquis", &source);
    let Some(ir) = compiled.ir.as_ref().filter(|_| !compiled.has_errors()) else {
        eprintln!("the workload does not compile");
        return ExitCode::FAILURE;
    };
    let plan = Plan::new(ir);
    let batch = BatchPlan::new(&plan);
    let Some(certification) = plan.slot("certification") else {
        return ExitCode::FAILURE;
    };
    let rows = four_of_five::grades(count);
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
    let criteria = rows.first().map_or(0, Vec::len);
    let bytes: Vec<u8> = rows
        .iter()
        .flat_map(|row| row.iter().map(|r| r.unwrap_or(u8::MAX)))
        .collect();
    let documents: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| serde_json::json!({ "g": row }))
        .collect();

    // datalogic-rs: the rule compiled once, each document parsed once.
    let engine = Engine::new();
    let logic = match engine.compile(jsonlogic().as_str()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("datalogic-rs refuses the rule: {e}");
            return ExitCode::FAILURE;
        }
    };
    let parsed: Vec<ParsedData> = match documents
        .iter()
        .map(|d| ParsedData::from_json(&d.to_string()))
        .collect()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("datalogic-rs refuses a document: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut arena = Bump::new();
    let datalogic = |data: &ParsedData, arena: &mut Bump| -> Option<u8> {
        let value = engine
            .evaluate(&logic, data, arena)
            .ok()
            .and_then(|v| v.as_f64())
            .map(|v| v as u8);
        arena.reset();
        value
    };

    // zen-expression: the expression compiled once, each context built once.
    let expression = match zen_expression::compile_expression(&zen()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("zen-expression refuses the expression: {e}");
            return ExitCode::FAILURE;
        }
    };
    let contexts: Vec<Variable> = documents.iter().map(|d| d.clone().into()).collect();
    let mut vm = VM::new();
    let zen_eval = |context: &Variable, vm: &mut VM| -> Option<u8> {
        match expression.evaluate_with(context.clone(), vm) {
            Ok(Variable::Number(n)) => n.to_string().parse::<u8>().ok(),
            _ => None,
        }
    };

    let columns: Vec<GradeColumns> = match grades.chunks(2048).map(|c| batch.columns(c)).collect() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("no columns: {why}");
            return ExitCode::FAILURE;
        }
    };

    // Agreement first: every evaluator, every candidate.
    let mut out = BatchOutcomes::new();
    batch.evaluate(&grades, &mut out);
    let mut by_columns: Vec<Option<u8>> = Vec::with_capacity(count);
    let mut column_out = BatchOutcomes::new();
    for c in &columns {
        batch.evaluate_columns(c, &mut column_out);
        by_columns.extend((0..c.len()).map(|k| column_out.get(k, certification).map(code)));
    }
    let mut outcomes = acquis_eval::Outcomes::default();
    let mut counts = [0usize; 3];
    for (k, g) in grades.iter().enumerate() {
        plan.evaluate_into(g, &mut outcomes);
        let expected = outcomes.at(certification).map(code);
        let hand = bytes
            .get(k * criteria..(k + 1) * criteria)
            .map(four_of_five::hand_written);
        let answers = [
            ("batch", out.get(k, certification).map(code)),
            ("batch over columns", by_columns.get(k).copied().flatten()),
            ("hand-written", hand),
            ("datalogic-rs", parsed.get(k).and_then(|d| datalogic(d, &mut arena))),
            ("zen-expression", contexts.get(k).and_then(|c| zen_eval(c, &mut vm))),
        ];
        for (who, answer) in answers {
            if answer != expected {
                eprintln!(
                    "candidate {k}: {who} gives {answer:?}, the Acquis plan {expected:?}; no figures"
                );
                return ExitCode::FAILURE;
            }
        }
        if let Some(e) = expected {
            counts[usize::from(e)] += 1;
        }
    }

    let fast = FAST_EVALUATIONS_PER_ROUND.div_ceil(count.max(1));
    let mut batch_out = BatchOutcomes::new();
    let rates = time(
        rounds,
        count,
        &mut [
            (fast, &mut || {
                grades
                    .chunks(2048)
                    .map(|chunk| {
                        batch.evaluate(chunk, &mut batch_out);
                        batch_out.counts(certification)[0]
                    })
                    .sum()
            }),
            (fast, &mut || {
                columns
                    .iter()
                    .map(|c| {
                        batch.evaluate_columns(c, &mut column_out);
                        column_out.counts(certification)[0]
                    })
                    .sum()
            }),
            (fast, &mut || {
                grades
                    .iter()
                    .filter(|g| {
                        plan.evaluate_into(g, &mut outcomes);
                        outcomes.at(certification) == Some(Outcome::Passed)
                    })
                    .count()
            }),
            (fast, &mut || {
                bytes
                    .chunks(criteria.max(1))
                    .filter(|b| four_of_five::hand_written(b) == PASSED)
                    .count()
            }),
            (1, &mut || {
                parsed
                    .iter()
                    .filter(|d| datalogic(d, &mut arena) == Some(PASSED))
                    .count()
            }),
            (1, &mut || {
                contexts
                    .iter()
                    .filter(|c| zen_eval(c, &mut vm) == Some(PASSED))
                    .count()
            }),
        ],
    );
    let names = [
        "Acquis batch (`BatchPlan`, 64 candidates a word, every entity), over `Grades`".to_string(),
        "Acquis batch over `GradeColumns` (bit-sliced steps, every entity)".to_string(),
        "Acquis plan (`Plan::evaluate_into`, every entity)".to_string(),
        "hand-written Rust (one byte per criterion, certification only)".to_string(),
        format!("datalogic-rs {DATALOGIC} (one JSONLogic rule, certification only)"),
        format!("zen-expression {ZEN} (one expression, certification only)"),
    ];
    let (blocks, per_block, per_competency) = SHAPE;
    println!(
        "{count} candidates, {blocks} × {per_block} × {per_competency} \"at least 4 of 5\"; certification passed {}, pending {}, failed {}; all evaluators agree on every candidate",
        counts[usize::from(PASSED)],
        counts[usize::from(PENDING)],
        counts[usize::from(FAILED)]
    );
    println!("one core, best of {rounds} interleaved rounds\n");
    println!("| evaluator | candidates/s | time / Acquis batch over `Grades` |");
    println!("| --- | ---: | ---: |");
    let first = rates.first().copied().unwrap_or(1.0);
    for (name, rate) in names.iter().zip(&rates) {
        println!("| {name} | {rate:.0} | {:.2}× |", first / rate);
    }
    ExitCode::SUCCESS
}
