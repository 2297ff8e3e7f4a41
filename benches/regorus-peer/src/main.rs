//! `cargo run --release --manifest-path benches/regorus-peer/Cargo.toml`
//!
//! Side by side, in one run, on the same in-memory candidates of the seed
//! referential (115 criteria each): the Acquis `Plan`, the seed's rules
//! written in Rego (`policy.rego`) and evaluated by `regorus`, and a
//! hand-written Rust function of the same rules (the practical limit). All
//! three must agree on every candidate's outcomes (certification, blocks and
//! competencies) before any figure is printed.
//!
//! The policy and the referential's structure are loaded once into the
//! regorus `Engine`; each candidate's Rego input document is built before
//! any timing, as the `Grades` are. Timed: per candidate, `set_input` and
//! `eval_rule("data.acquis.certification")` for regorus,
//! `plan.evaluate(..).get(.., "certification")` for Acquis, and the
//! hand-written function; one core, best of N interleaved rounds.
//!
//! Options: `--candidates N` (default 5,000; regorus is the slow one),
//! `--rounds N` (default 3; best of N).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use acquis_eval::{Grades, Outcome, Plan};
use acquis_ir::{Ir, ScaleKindIr, ValueIr};
use acquis_compiler::{compile, loader::Disk};
use regorus::{Engine, Value};
use serde_json::json;

/// The Acquis plan and the hand-written function take under a microsecond
/// per candidate where regorus takes about a millisecond: each of their timed
/// rounds goes over the same candidate set several times, at least this many
/// evaluations.
const FAST_EVALUATIONS_PER_ROUND: usize = 200_000;

const POLICY: &str = include_str!("../policy.rego");
/// Keep in step with Cargo.toml.
const REGORUS: &str = "0.14.1";
const CERTIFICATION_RULE: &str = "data.acquis.certification";

#[path = "../../common/seed_candidates.rs"]
mod seed_candidates;
use seed_candidates::candidates;

/// The seed's rules written by hand (copied from `benches/eval.rs`): a
/// criterion is acquired at rank 2, a competency when all its criteria are,
/// a block when all its competencies are, the certification when all blocks
/// are. Three-valued.
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

    fn fill_competencies(&self, g: &Grades, competency_outcomes: &mut Vec<Outcome>) {
        competency_outcomes.clear();
        competency_outcomes.extend(self.competencies.iter().map(|criteria| {
            Self::all(criteria.iter().map(|&i| match g.position(i) {
                None => Outcome::Pending,
                Some(r) if r >= 2.0 => Outcome::Passed,
                Some(_) => Outcome::Failed,
            }))
        }));
    }

    fn block(&self, b: &[usize], competency_outcomes: &[Outcome]) -> Outcome {
        Self::all(b.iter().map(|&c| {
            competency_outcomes
                .get(c)
                .copied()
                .unwrap_or(Outcome::Pending)
        }))
    }

    fn certification(&self, g: &Grades, competency_outcomes: &mut Vec<Outcome>) -> Outcome {
        self.fill_competencies(g, competency_outcomes);
        Self::all(
            self.blocks
                .iter()
                .map(|b| self.block(b, competency_outcomes)),
        )
    }

    /// For the agreement check only: every competency's and block's outcome.
    fn detail(&self, g: &Grades) -> (Vec<Outcome>, Vec<Outcome>) {
        let mut competencies = Vec::new();
        self.fill_competencies(g, &mut competencies);
        let blocks = self
            .blocks
            .iter()
            .map(|b| self.block(b, &competencies))
            .collect();
        (competencies, blocks)
    }
}

/// `data.referential` for the policy, generically from the IR: each
/// criterion's passing levels (its pass level and those above it),
/// competencies → criteria, blocks → competencies, certification → blocks.
fn rego_data(ir: &Ir) -> Result<Value, String> {
    let mut criteria = serde_json::Map::new();
    for c in &ir.criteria {
        let levels = levels_of(ir, &c.scale)?;
        let ValueIr::Level(pass) = &c.pass else {
            return Err(format!("criterion {}: numeric pass", c.id));
        };
        let rank = levels
            .iter()
            .position(|l| l == pass)
            .ok_or_else(|| format!("criterion {}: no level {pass}", c.id))?;
        let passing: serde_json::Map<String, serde_json::Value> = levels[rank..]
            .iter()
            .map(|l| (l.clone(), json!(true)))
            .collect();
        criteria.insert(c.id.clone(), json!({ "passing": passing }));
    }
    let competencies: serde_json::Map<String, serde_json::Value> = ir
        .competencies
        .iter()
        .map(|c| (c.id.clone(), json!(c.criteria)))
        .collect();
    let blocks: serde_json::Map<String, serde_json::Value> = ir
        .blocks
        .iter()
        .map(|b| (b.id.clone(), json!(b.competencies)))
        .collect();
    let data = json!({
        "referential": {
            "criteria": criteria,
            "competencies": competencies,
            "blocks": blocks,
            "certification": ir.certification.blocks,
        }
    });
    Value::from_json_str(&data.to_string()).map_err(|e| e.to_string())
}

/// The levels of a scale, lowest first (the seed has only scales of levels).
fn levels_of<'a>(ir: &'a Ir, scale: &str) -> Result<&'a [String], String> {
    ir.scales
        .iter()
        .find(|s| s.id == scale)
        .and_then(|s| match &s.kind {
            ScaleKindIr::Levels { levels } => Some(levels.as_slice()),
            ScaleKindIr::Range { .. } => None,
        })
        .ok_or_else(|| format!("scale {scale} is not a scale of levels"))
}

/// One candidate as a Rego input document: `{"grades": {"E1/CE1": "acquis", …}}`
/// (missing grades absent). Built once, before any timing, as a caller
/// would hold its candidates in memory.
fn rego_input(ir: &Ir, g: &Grades) -> Result<Value, String> {
    let mut grades = serde_json::Map::new();
    for (i, c) in ir.criteria.iter().enumerate() {
        let Some(position) = g.position(i) else {
            continue;
        };
        let levels = levels_of(ir, &c.scale)?;
        let level = levels
            .get(position as usize)
            .ok_or_else(|| format!("criterion {}: no level at {position}", c.id))?;
        grades.insert(c.id.clone(), json!(level));
    }
    Value::from_json_str(&json!({ "grades": grades }).to_string()).map_err(|e| e.to_string())
}

fn outcome_of_word(word: &str) -> Option<Outcome> {
    match word {
        "validated" => Some(Outcome::Passed),
        "not_validated" => Some(Outcome::Failed),
        "pending" => Some(Outcome::Pending),
        _ => None,
    }
}

fn rego_outcome(v: &Value) -> Option<Outcome> {
    v.as_string().ok().and_then(|s| outcome_of_word(s))
}

fn rego_outcomes(engine: &mut Engine, rule: &str) -> Result<BTreeMap<String, Outcome>, String> {
    let value = engine
        .eval_rule(rule.to_string())
        .map_err(|e| format!("{rule}: {e}"))?;
    let object = value.as_object().map_err(|e| format!("{rule}: {e}"))?;
    object
        .iter()
        .map(|(k, v)| {
            let key = k.as_string().map_err(|e| e.to_string())?.to_string();
            let outcome = rego_outcome(v).ok_or_else(|| format!("{rule}[{key}]: {v}"))?;
            Ok((key, outcome))
        })
        .collect()
}

/// One timed pass over the candidate set: how many were validated.
type Evaluator<'a> = dyn FnMut() -> Result<usize, String> + 'a;

struct Args {
    candidates: usize,
    rounds: usize,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        candidates: 5_000,
        rounds: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let value = |it: &mut dyn Iterator<Item = String>| {
            it.next()
                .and_then(|v| v.replace('_', "").parse::<usize>().ok())
                .filter(|&v| v > 0)
                .ok_or_else(|| format!("{a} needs a positive number"))
        };
        match a.as_str() {
            "--candidates" => args.candidates = value(&mut it)?,
            "--rounds" => args.rounds = value(&mut it)?,
            _ => return Err(format!("unknown argument {a} (--candidates N, --rounds N)")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = args()?;
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/edl/referential.acquis");
    let compiled = compile(&seed, &Disk);
    let ir = compiled
        .ir
        .as_ref()
        .filter(|_| !compiled.has_errors())
        .ok_or("the seed does not compile")?;
    let plan = Plan::new(ir);
    let grades = candidates(&plan, ir.criteria.len(), args.candidates);
    let hand = HandWritten::new(ir);

    // regorus: the policy and the data are loaded once.
    let mut engine = Engine::new();
    engine
        .add_policy("policy.rego".to_string(), POLICY.to_string())
        .map_err(|e| format!("policy.rego: {e}"))?;
    engine.add_data(rego_data(ir)?).map_err(|e| e.to_string())?;
    let inputs = grades
        .iter()
        .map(|g| rego_input(ir, g))
        .collect::<Result<Vec<_>, _>>()?;

    // Agreement first: no figure unless all three give the same outcomes
    // for the certification, every block and every competency.
    let mut counts = [0usize; 3];
    let mut scratch = Vec::new();
    for (n, (g, input)) in grades.iter().zip(&inputs).enumerate() {
        let outcomes = plan.evaluate(g);
        let ours = outcomes.get(&plan, "certification");
        let theirs = hand.certification(g, &mut scratch);
        engine.set_input(input.clone());
        let rego = engine
            .eval_rule(CERTIFICATION_RULE.to_string())
            .map_err(|e| e.to_string())?;
        let rego = rego_outcome(&rego);
        if ours != Some(theirs) || rego != Some(theirs) {
            return Err(format!(
                "candidate {n}: certification disagrees: plan {ours:?}, hand-written {theirs:?}, regorus {rego:?}"
            ));
        }
        let (hand_competencies, hand_blocks) = hand.detail(g);
        let rego_blocks = rego_outcomes(&mut engine, "data.acquis.blocks")?;
        let rego_competencies = rego_outcomes(&mut engine, "data.acquis.competencies")?;
        let blocks = ir.blocks.iter().map(|b| &b.id).zip(&hand_blocks);
        let competencies = ir
            .competencies
            .iter()
            .map(|c| &c.id)
            .zip(&hand_competencies);
        for (id, &theirs, rego_side) in blocks
            .map(|(id, o)| (id, o, &rego_blocks))
            .chain(competencies.map(|(id, o)| (id, o, &rego_competencies)))
        {
            let ours = outcomes.get(&plan, id);
            let rego = rego_side.get(id.as_str()).copied();
            if ours != Some(theirs) || rego != Some(theirs) {
                return Err(format!(
                    "candidate {n}: {id} disagrees: plan {ours:?}, hand-written {theirs:?}, regorus {rego:?}"
                ));
            }
        }
        counts[theirs as usize] += 1;
    }

    // Timing: one core, each evaluator on the same candidate set, best of
    // `rounds`; the rounds are interleaved (Acquis, hand-written, regorus,
    // then again) so that a burst of load on a shared machine does not fall
    // on one evaluator only. The two fast ones go over the set `passes`
    // times per round.
    let n = grades.len();
    let passes = FAST_EVALUATIONS_PER_ROUND.div_ceil(n).max(1);
    let mut outcomes = acquis_eval::Outcomes::default();
    let mut run_plan = || {
        Ok(grades
            .iter()
            .filter(|g| {
                // Reuses one buffer, as the hand-written function does.
                plan.evaluate_into(g, &mut outcomes);
                outcomes.get(&plan, "certification") == Some(Outcome::Passed)
            })
            .count())
    };
    let mut scratch = Vec::new();
    let mut run_hand = || {
        Ok(grades
            .iter()
            .filter(|g| hand.certification(g, &mut scratch) == Outcome::Passed)
            .count())
    };
    let mut run_rego = || {
        let mut passed = 0;
        for input in &inputs {
            engine.set_input(input.clone());
            let v = engine
                .eval_rule(CERTIFICATION_RULE.to_string())
                .map_err(|e| e.to_string())?;
            if rego_outcome(&v) == Some(Outcome::Passed) {
                passed += 1;
            }
        }
        Ok(passed)
    };
    let mut evaluators: [(usize, &mut Evaluator); 3] = [
        (passes, &mut run_plan),
        (passes, &mut run_hand),
        (1, &mut run_rego),
    ];
    let mut best = [f64::INFINITY; 3];
    let mut passed = [0usize; 3];
    for _ in 0..args.rounds {
        for (i, (passes, f)) in evaluators.iter_mut().enumerate() {
            let start = Instant::now();
            let mut total = 0;
            for _ in 0..*passes {
                total += f()?;
            }
            best[i] = best[i].min(start.elapsed().as_secs_f64());
            passed[i] = total / *passes;
        }
    }
    let [plan_rate, hand_rate, rego_rate] = [
        (n * passes) as f64 / best[0],
        (n * passes) as f64 / best[1],
        n as f64 / best[2],
    ];
    let [a, b, c] = passed;
    if a != counts[0] || b != counts[0] || c != counts[0] {
        return Err(format!(
            "timed runs disagree: {} passed in the check, plan {a}, hand-written {b}, regorus {c}",
            counts[0]
        ));
    }

    println!(
        "{n} candidates of the seed ({} criteria each), same for all three evaluators; \
         certification validated {}, not validated {}, pending {}; \
         all three agree on the certification, the {} blocks and the {} competencies of every candidate",
        ir.criteria.len(),
        counts[0],
        counts[1],
        counts[2],
        ir.blocks.len(),
        ir.competencies.len(),
    );
    println!(
        "best of {} rounds; Acquis and hand-written go over the set {passes} times per round, regorus once\n",
        args.rounds
    );
    println!("| evaluator (one core) | candidates/s | ratio vs Acquis |");
    println!("| --- | ---: | ---: |");
    println!("| Acquis `Plan` (every entity, three-valued) | {plan_rate:.0} | 1 |");
    println!(
        "| hand-written Rust (same rules) | {hand_rate:.0} | {:.2} |",
        hand_rate / plan_rate
    );
    println!(
        "| Rego (`policy.rego`) by `regorus` {REGORUS} | {rego_rate:.0} | 1/{:.0} |",
        plan_rate / rego_rate
    );
    let vs_regorus = plan_rate / rego_rate;
    let vs_hand = hand_rate / plan_rate;
    println!(
        "\ngoals: at least 50× regorus: {:.0}× ({}); within 3× of the hand-written function: {:.2}× ({})",
        vs_regorus,
        if vs_regorus >= 50.0 { "met" } else { "MISSED" },
        vs_hand,
        if vs_hand <= 3.0 { "met" } else { "MISSED" },
    );
    Ok(())
}
