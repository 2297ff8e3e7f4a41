//! `acquis explain`: one candidate's decision, for a jury member: the
//! decision and the facts that decided it first (the failing chain down to
//! the criteria or marks, or what is still missing), the whole tree with
//! `--full`, as text or JSON.

use std::fmt::Write as _;
use std::path::Path;

use acquis_diagnostics::did_you_mean;

use crate::batch::{check, open, Evaluated, RecordContext};
use crate::history::History;
use crate::plan::{Outcome, Plan};
use crate::read::RawCandidate;
use crate::read::{self, InputFormat};
use crate::record::Variants;
use crate::EvalError;

/// The decision tree of one candidate, for a jury member: indented, plain
/// words, in the referential's language.
pub fn explain(
    plan: &Plan<'_>,
    grades_path: &Path,
    input_format: Option<InputFormat>,
    candidate: &str,
) -> Result<(String, bool), EvalError> {
    explain_with_history(
        plan,
        grades_path,
        input_format,
        candidate,
        None,
        Options::default(),
    )
}

/// How much `explain` says, and in which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The whole tree (every block, competency, criterion and assessment)
    /// instead of the decision and what decided it.
    pub full: bool,
    pub format: Format,
}

/// The format of `explain`'s output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Indented sentences in the referential's language.
    #[default]
    Text,
    /// One JSON object: the decision and its nodes, each with `id`,
    /// `kind`, `title`, `outcome`, `reason` and `because` (its children).
    Json,
}

/// [`explain`] with the candidates' records (`--history`, `--session`):
/// the candidate may be one of the history's with no grades this session.
pub fn explain_with_history(
    plan: &Plan<'_>,
    grades_path: &Path,
    input_format: Option<InputFormat>,
    candidate: &str,
    history: Option<History>,
    options: Options,
) -> Result<(String, bool), EvalError> {
    let e = evaluated(plan, grades_path, input_format, candidate, history)?;
    Ok((render(plan, &e, options), e.outcomes.is_some()))
}

/// One entity of an explanation, as a page renders it: its id, kind and
/// title, its outcome (and the words for it, agreeing in French), its
/// reason, and what decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub id: String,
    /// `Bloc`, `Compétence`… in the referential's language.
    pub kind: &'static str,
    pub title: String,
    pub outcome: Outcome,
    pub words: String,
    pub reason: String,
    pub because: Vec<Explained>,
}

/// A candidate's explanation: the decision tree, or the problems of its
/// grades (each with its line) when it could not be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub candidate: String,
    pub decision: Result<Explained, Vec<(usize, String)>>,
}

/// The explanation of [`explain_with_history`] as typed values, for pages
/// (`acquis explain --format html`): the decision and what decided it, or
/// with `full` the whole tree.
pub fn explanation(
    plan: &Plan<'_>,
    grades_path: &Path,
    input_format: Option<InputFormat>,
    candidate: &str,
    history: Option<History>,
    full: bool,
) -> Result<Explanation, EvalError> {
    let e = evaluated(plan, grades_path, input_format, candidate, history)?;
    let decision = match &e.outcomes {
        None => Err(e
            .problems
            .iter()
            .map(|p| (p.line, p.message.render(diagnostics_lang(plan.lang()))))
            .collect()),
        Some(outcomes) => {
            let root = if full {
                full_tree(plan, outcomes)
            } else {
                let mut budget = SUMMARY_NODES;
                decisive(plan, outcomes, "certification", &mut budget)
            };
            Ok(explained(plan, &e, outcomes, &root))
        }
    };
    Ok(Explanation {
        candidate: e.raw.id.clone(),
        decision,
    })
}

fn explained(
    plan: &Plan<'_>,
    e: &Evaluated,
    outcomes: &crate::plan::Outcomes,
    n: &Node,
) -> Explained {
    let (_, en, fr) = kind(plan, &n.id);
    let kind_word = plan.lang().t(en, fr);
    Explained {
        id: n.id.clone(),
        kind: kind_word,
        title: title(plan, &n.id).to_string(),
        outcome: n.outcome,
        words: plan.outcome_agreeing(&n.id, n.outcome),
        reason: plan.reason(&n.id, &e.grades, outcomes),
        because: n
            .because
            .iter()
            .map(|c| explained(plan, e, outcomes, c))
            .collect(),
    }
}

/// The candidate evaluated, found in the grades file (or, with records,
/// in the history alone).
fn evaluated(
    plan: &Plan<'_>,
    grades_path: &Path,
    input_format: Option<InputFormat>,
    candidate: &str,
    mut history: Option<History>,
) -> Result<Evaluated, EvalError> {
    let facts = history
        .as_mut()
        .and_then(|h| h.take(candidate))
        .unwrap_or_default();
    let keys = history
        .as_ref()
        .map(|h| {
            let mut keys = h.exclusion_keys(plan.ir());
            keys.extend(crate::history::exclusion_key(plan.ir(), &facts));
            keys
        })
        .unwrap_or_default();
    let variants = Variants::new(plan.ir(), &keys);
    let plans = variants.plans();
    let context = history.as_ref().map(|h| RecordContext {
        session: h.session,
        variants: &plans,
    });
    let record = context.as_ref().map(|c| (c, facts.as_slice()));
    let (reader, format) = open(grades_path, input_format)?;
    let mut seen: Vec<String> = Vec::new();
    for item in read::read(reader, format) {
        let Ok(raw) = item else { continue };
        if raw.id != candidate {
            if seen.len() < 100_000 {
                seen.push(raw.id);
            }
            continue;
        }
        return Ok(check(plan, raw, record));
    }
    // A candidate of the history with no grades this session.
    if record.is_some() && !facts.is_empty() {
        let raw = RawCandidate::new(candidate, 0);
        return Ok(check(plan, raw, record));
    }
    Err(EvalError::UnknownCandidate {
        candidate: candidate.to_string(),
        path: grades_path.to_path_buf(),
        suggestion: did_you_mean(candidate, seen.iter().map(String::as_str)).map(str::to_string),
    })
}

fn render(plan: &Plan<'_>, e: &Evaluated, options: Options) -> String {
    match options.format {
        Format::Json => json(plan, e, options.full),
        Format::Text if options.full => tree(plan, e),
        Format::Text => summary(plan, e),
    }
}

/// At most this many entities in the default explanation: it must read in
/// one screen.
const SUMMARY_NODES: usize = 12;
/// At most this many members explained per entity.
const PER_ENTITY: usize = 3;

/// One entity of an explanation, with the members that decided it.
struct Node {
    id: String,
    outcome: Outcome,
    because: Vec<Node>,
}

/// The ids an entity's rule reads, in order, once each.
fn members<'i>(ir: &'i acquis_ir::Ir, id: &str) -> Vec<&'i str> {
    ir.rule_of(id).map(|r| r.members()).unwrap_or_default()
}

/// What decided `id`: for a failure, the members that failed; for a
/// pending outcome, the members still pending (down to the grades still
/// missing); nothing more for a validation, or for an outcome that comes
/// from the candidate's record (its reason says where from).
fn decisive(
    plan: &Plan<'_>,
    outcomes: &crate::plan::Outcomes,
    id: &str,
    budget: &mut usize,
) -> Node {
    let mut shown = std::collections::HashSet::new();
    decisive_in(plan, outcomes, id, budget, &mut shown)
}

/// [`decisive`], showing each entity once (shared criteria are read by
/// several competencies).
fn decisive_in<'p>(
    plan: &Plan<'p>,
    outcomes: &crate::plan::Outcomes,
    id: &str,
    budget: &mut usize,
    shown: &mut std::collections::HashSet<&'p str>,
) -> Node {
    let outcome = outcomes.get(plan, id).unwrap_or(Outcome::Pending);
    let mut node = Node {
        id: id.to_string(),
        outcome,
        because: Vec::new(),
    };
    if outcome == Outcome::Passed || outcomes.source(plan, id).is_some() {
        return node;
    }
    // Breadth first: the members that decided this entity, then what
    // decided each of them, while the budget lasts.
    let deciding: Vec<&str> = members(plan.ir(), id)
        .into_iter()
        .filter(|m| outcomes.get(plan, m) == Some(outcome) && !shown.contains(m))
        .take(PER_ENTITY.min(*budget))
        .collect();
    *budget -= deciding.len();
    shown.extend(deciding.iter().copied());
    for m in deciding {
        let child = if *budget == 0 {
            Node {
                id: m.to_string(),
                outcome,
                because: Vec::new(),
            }
        } else {
            decisive_in(plan, outcomes, m, budget, shown)
        };
        node.because.push(child);
    }
    node
}

/// A title cut to a line's worth, for the short explanation.
fn short(title: &str) -> String {
    const MAX: usize = 90;
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let cut: String = title.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Every entity, for `--full`: the certification, each block with its
/// competencies (with their criteria) and its assessments with a rule (with
/// their parts), then the certification-level assessments.
fn full_tree(plan: &Plan<'_>, outcomes: &crate::plan::Outcomes) -> Node {
    let ir = plan.ir();
    let leaf = |id: &str| Node {
        id: id.to_string(),
        outcome: outcomes.get(plan, id).unwrap_or(Outcome::Pending),
        because: Vec::new(),
    };
    let with = |id: &str, because: Vec<Node>| Node {
        because,
        ..leaf(id)
    };
    let assessment =
        |a: &acquis_ir::AssessmentIr| with(&a.id, a.parts.iter().map(|p| leaf(&p.id)).collect());
    let mut blocks: Vec<Node> = ir
        .blocks
        .iter()
        .map(|b| {
            let mut children: Vec<Node> = b
                .competencies
                .iter()
                .filter_map(|c| ir.competencies.iter().find(|k| &k.id == c))
                .map(|c| with(&c.id, c.criteria.iter().map(|k| leaf(k)).collect()))
                .collect();
            children.extend(
                ir.assessments
                    .iter()
                    .filter(|a| b.assessments.contains(&a.id) && a.rule.is_some())
                    .map(assessment),
            );
            with(&b.id, children)
        })
        .collect();
    blocks.extend(
        ir.assessments
            .iter()
            .filter(|a| a.block.is_empty() && a.rule.is_some())
            .map(assessment),
    );
    with("certification", blocks)
}

/// The kind of an entity, as the explanation names it.
/// The kind of an entity: its machine word, and its name in English and in
/// French.
fn kind(plan: &Plan<'_>, id: &str) -> (&'static str, &'static str, &'static str) {
    let ir = plan.ir();
    if id == "certification" {
        ("certification", "Certification", "Certification")
    } else if ir.blocks.iter().any(|b| b.id == id) {
        ("block", "Block", "Bloc")
    } else if plan.is_competency(id) {
        ("competency", "Competency", "Compétence")
    } else if ir.assessments.iter().any(|a| a.id == id) {
        ("assessment", "Assessment", "Épreuve")
    } else if ir
        .assessments
        .iter()
        .any(|a| a.parts.iter().any(|p| p.id == id))
    {
        ("part", "Part", "Partie")
    } else {
        ("criterion", "Criterion", "Critère")
    }
}

fn title<'i>(plan: &Plan<'i>, id: &str) -> &'i str {
    let ir = plan.ir();
    if id == "certification" {
        return &ir.referential.title;
    }
    ir.blocks
        .iter()
        .find(|b| b.id == id)
        .map(|b| b.title.as_str())
        .or_else(|| {
            ir.competencies
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.title.as_str())
        })
        .or_else(|| {
            ir.assessments
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.title.as_str())
        })
        .or_else(|| {
            ir.criteria
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.title.as_str())
        })
        .unwrap_or("")
}

/// The decision and what decided it, for a jury member: a few lines.
fn summary(plan: &Plan<'_>, e: &Evaluated) -> String {
    let lang = plan.lang();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} — {}",
        lang.t("Candidate", "Candidat"),
        e.raw.id,
        plan.ir().referential.title
    );
    let Some(outcomes) = &e.outcomes else {
        errors(plan, e, &mut out);
        return out;
    };
    let mut budget = SUMMARY_NODES;
    let root = decisive(plan, outcomes, "certification", &mut budget);
    write_node(plan, e, outcomes, &root, 0, true, &mut out);
    if root.outcome == Outcome::Pending {
        // Every grade still expected: what could change the decision.
        let missing: Vec<String> = plan
            .ids()
            .iter()
            .filter(|id| plan.is_criterion(id))
            .filter(|id| {
                plan.criterion_index(id)
                    .is_some_and(|i| e.grades.position(i).is_none())
            })
            .map(|id| id.to_string())
            .collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().take(8).cloned().collect();
            let more = if missing.len() > shown.len() {
                ", …"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {} {}{more}",
                if missing.len() == 1 {
                    lang.t("Grade still expected:", "Note encore attendue :")
                        .to_string()
                } else {
                    format!(
                        "{} {}{}",
                        missing.len(),
                        lang.t("grades still expected", "notes encore attendues"),
                        lang.t(":", " :")
                    )
                },
                shown.join(", "),
            );
        }
    }
    if root.outcome == Outcome::Passed {
        let blocks: Vec<String> = plan
            .ir()
            .blocks
            .iter()
            .filter(|b| outcomes.get(plan, &b.id) == Some(Outcome::Passed))
            .map(|b| b.id.clone())
            .collect();
        if !blocks.is_empty() {
            let _ = writeln!(
                out,
                "  {} {}.",
                lang.t("Validated blocks:", "Blocs validés :"),
                lang.list(&blocks)
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        lang.t(
            "(Every block, competency and criterion: acquis explain … --full.)",
            "(Chaque bloc, compétence et critère : acquis explain … --full.)"
        )
    );
    out
}

/// An entity and what decided it, indented.
fn write_node(
    plan: &Plan<'_>,
    e: &Evaluated,
    outcomes: &crate::plan::Outcomes,
    node: &Node,
    depth: usize,
    brief: bool,
    out: &mut String,
) {
    let lang = plan.lang();
    let indent = "  ".repeat(depth);
    let title = |id: &str| {
        let t = title(plan, id);
        if brief {
            short(t)
        } else {
            t.to_string()
        }
    };
    let (open, close, colon) = (lang.t("\"", "« "), lang.t("\"", " »"), lang.t(":", " :"));
    let (en, _, fr) = kind(plan, &node.id);
    let name = if lang.fr { fr } else { en };
    let state = plan.outcome_agreeing(&node.id, node.outcome);
    let reason = plan.reason(&node.id, &e.grades, outcomes);
    if node.id == "certification" {
        let _ = writeln!(
            out,
            "{indent}Certification{colon} {state}\n{indent}  {} {reason}",
            lang.t("because", "parce que")
        );
    } else if plan.is_criterion(&node.id) {
        let _ = writeln!(
            out,
            "{indent}{name} {} {open}{}{close}{colon} {state} ({reason})",
            node.id,
            title(&node.id)
        );
    } else {
        let _ = writeln!(
            out,
            "{indent}{name} {} {open}{}{close}{colon} {state}\n{indent}  {} {reason}",
            node.id,
            title(&node.id),
            lang.t("because", "parce que")
        );
    }
    for child in &node.because {
        write_node(plan, e, outcomes, child, depth + 1, brief, out);
    }
}

fn errors(plan: &Plan<'_>, e: &Evaluated, out: &mut String) {
    let lang = plan.lang();
    let _ = writeln!(
        out,
        "{}",
        lang.t(
            "This candidate's grades have errors:",
            "Les notes de ce candidat contiennent des erreurs :"
        )
    );
    for p in &e.problems {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            lang.t("line", "ligne"),
            p.line,
            p.message.render(diagnostics_lang(lang))
        );
    }
}

/// The explanation as one JSON object (`--format json`).
fn json(plan: &Plan<'_>, e: &Evaluated, full: bool) -> String {
    use serde_json::{json, Value};
    let Some(outcomes) = &e.outcomes else {
        let errors: Vec<Value> = e
            .problems
            .iter()
            .map(|p| json!({ "code": p.code.as_str(), "line": p.line, "column": p.column, "message": p.message }))
            .collect();
        return json!({ "candidate": e.raw.id, "certification": "error", "errors": errors })
            .to_string()
            + "\n";
    };
    fn node(plan: &Plan<'_>, e: &Evaluated, outcomes: &crate::plan::Outcomes, n: &Node) -> Value {
        let mut v = json!({
            "id": n.id,
            "kind": kind(plan, &n.id).0,
            "title": title(plan, &n.id),
            "outcome": n.outcome.word(plan.is_criterion(&n.id)),
            "reason": plan.reason(&n.id, &e.grades, outcomes),
        });
        if let (Value::Object(map), Some(source)) = (&mut v, outcomes.source(plan, &n.id)) {
            map.insert("source".into(), Value::String(source.word().into()));
        }
        if !n.because.is_empty() {
            if let Value::Object(map) = &mut v {
                map.insert(
                    "because".into(),
                    Value::Array(
                        n.because
                            .iter()
                            .map(|c| node(plan, e, outcomes, c))
                            .collect(),
                    ),
                );
            }
        }
        v
    }
    let root = if full {
        full_tree(plan, outcomes)
    } else {
        let mut budget = SUMMARY_NODES;
        decisive(plan, outcomes, "certification", &mut budget)
    };
    let mut v = json!({ "candidate": e.raw.id, "full": full });
    if let Value::Object(map) = &mut v {
        map.insert("decision".into(), node(plan, e, outcomes, &root));
    }
    v.to_string() + "\n"
}

fn tree(plan: &Plan<'_>, e: &Evaluated) -> String {
    let lang = plan.lang();
    let ir = plan.ir();
    let mut out = String::new();
    let title = &ir.referential.title;
    let _ = writeln!(
        out,
        "{} {} — {title}",
        lang.t("Candidate", "Candidat"),
        e.raw.id
    );
    let Some(outcomes) = &e.outcomes else {
        errors(plan, e, &mut out);
        return out;
    };
    let because = lang.t("because", "parce que");
    // French typography: « guillemets » and a space before the colon.
    let (open, close, colon) = (lang.t("\"", "« "), lang.t("\"", " »"), lang.t(":", " :"));
    let state = |id: &str| {
        let o = outcomes.get(plan, id).unwrap_or(Outcome::Pending);
        plan.outcome_agreeing(id, o)
    };
    let _ = writeln!(
        out,
        "Certification{colon} {}\n  {because} {}",
        state("certification"),
        plan.reason("certification", &e.grades, outcomes)
    );
    for block in &ir.blocks {
        let _ = writeln!(
            out,
            "  {} {} {open}{}{close}{colon} {}\n    {because} {}",
            lang.t("Block", "Bloc"),
            block.id,
            block.title,
            state(&block.id),
            plan.reason(&block.id, &e.grades, outcomes)
        );
        for cid in &block.competencies {
            let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
                continue;
            };
            let _ = writeln!(
                out,
                "    {} {} {open}{}{close}{colon} {}\n      {because} {}",
                lang.t("Competency", "Compétence"),
                c.id,
                c.title,
                state(&c.id),
                plan.reason(&c.id, &e.grades, outcomes)
            );
            for k in &c.criteria {
                let title = ir
                    .criteria
                    .iter()
                    .find(|x| &x.id == k)
                    .map_or("", |x| x.title.as_str());
                let _ = writeln!(
                    out,
                    "      {} {k} {open}{title}{close}{colon} {} ({})",
                    lang.t("Criterion", "Critère"),
                    state(k),
                    plan.reason(k, &e.grades, outcomes)
                );
            }
        }
        // An assessment decided on its parts' marks: one decision, with
        // each part's mark.
        for aid in &block.assessments {
            if let Some(a) = ir
                .assessments
                .iter()
                .find(|a| &a.id == aid && a.rule.is_some())
            {
                assessment(&mut out, plan, e, outcomes, a, "    ");
            }
        }
    }
    // Certification-level assessments (outside the blocks).
    for a in ir
        .assessments
        .iter()
        .filter(|a| a.block.is_empty() && a.rule.is_some())
    {
        assessment(&mut out, plan, e, outcomes, a, "  ");
    }
    out
}

/// An assessment with a rule: its decision, then each part's mark.
fn assessment(
    out: &mut String,
    plan: &Plan<'_>,
    e: &Evaluated,
    outcomes: &crate::plan::Outcomes,
    a: &acquis_ir::AssessmentIr,
    indent: &str,
) {
    let lang = plan.lang();
    let because = lang.t("because", "parce que");
    let (open, close, colon) = (lang.t("\"", "« "), lang.t("\"", " »"), lang.t(":", " :"));
    let state = plan.outcome_agreeing(&a.id, outcomes.get(plan, &a.id).unwrap_or(Outcome::Pending));
    let _ = writeln!(
        out,
        "{indent}{} {} {open}{}{close}{colon} {state}\n{indent}  {because} {}",
        lang.t("Assessment", "Épreuve"),
        a.id,
        a.title,
        plan.reason(&a.id, &e.grades, outcomes)
    );
    for part in &a.parts {
        let k = &part.id;
        let title = plan
            .ir()
            .criteria
            .iter()
            .find(|x| &x.id == k)
            .map_or("", |x| x.title.as_str());
        let _ = writeln!(
            out,
            "{indent}  {} {k} {open}{title}{close}{colon} {}",
            lang.t("Part", "Partie"),
            plan.reason(k, &e.grades, outcomes)
        );
    }
}

/// The diagnostics' language for a referential's language: what is said
/// to a jury about a candidate's grades is in the referential's language.
pub fn diagnostics_lang(lang: acquis_ir::Lang) -> acquis_diagnostics::Lang {
    if lang.fr {
        acquis_diagnostics::Lang::Fr
    } else {
        acquis_diagnostics::Lang::En
    }
}
