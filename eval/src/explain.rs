//! `acquis explain`: one candidate's decision tree, for a jury member.

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
    explain_with_history(plan, grades_path, input_format, candidate, None)
}

/// [`explain`] with the candidates' records (`--history`, `--session`):
/// the candidate may be one of the history's with no grades this session.
pub fn explain_with_history(
    plan: &Plan<'_>,
    grades_path: &Path,
    input_format: Option<InputFormat>,
    candidate: &str,
    mut history: Option<History>,
) -> Result<(String, bool), EvalError> {
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
        let e = check(plan, raw, record);
        return Ok((tree(plan, &e), e.outcomes.is_some()));
    }
    // A candidate of the history with no grades this session.
    if record.is_some() && !facts.is_empty() {
        let raw = RawCandidate {
            id: candidate.to_string(),
            line: 0,
            grades: Vec::new(),
            metadata: Vec::new(),
            errors: Vec::new(),
        };
        let e = check(plan, raw, record);
        return Ok((tree(plan, &e), e.outcomes.is_some()));
    }
    Err(EvalError::UnknownCandidate {
        candidate: candidate.to_string(),
        path: grades_path.to_path_buf(),
        suggestion: did_you_mean(candidate, seen.iter().map(String::as_str)).map(str::to_string),
    })
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
                p.message
            );
        }
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
