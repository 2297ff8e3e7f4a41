//! `acquis export moodle`: the referential as the 14-column CSV that Moodle's
//! competency framework import (tool_lpimportcsv) reads.
//!
//! Moodle has one tree of competencies, each rated on a scale, and a
//! competency may be completed from its children by a rule: "all children
//! proficient" (`competency_rule_all`) or "enough points, with some children
//! required" (`competency_rule_points`). The tree is certification → blocks →
//! competencies → criteria, so each of our rules reads its own children.

use acquis_ir::{
    AggregateFn, CmpOp, ExprIr, Ir, NumIr, ScaleIr, ScaleKindIr, SpanIr, TestIr, ValueIr,
};

use crate::warning::{place, InteropWarning};
use crate::InteropError;

const HEADER: [&str; 14] = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type",
    "Rule outcome",
    "Rule config",
    "Related ID numbers",
    "Export ID",
    "Is framework",
    "Taxonomy",
];

/// Moodle's FORMAT_PLAIN: our texts are plain text.
const FORMAT_PLAIN: &str = "2";
/// `competency::OUTCOME_COMPLETE`: the rule marks the competency complete.
const OUTCOME_COMPLETE: &str = "2";
const RULE_ALL: &str = "core_competency\\competency_rule_all";
const RULE_POINTS: &str = "core_competency\\competency_rule_points";
/// The id number of the top competency that carries the certification rule.
const ROOT: &str = "certification";
/// A Moodle scale is a list of named values: a fine numeric range (0 to
/// 10^8 by 0.001) would be billions of them. Past this many, the scale is
/// left out (with a warning) rather than listed.
pub const MAX_SCALE_VALUES: usize = 1000;

/// The CSV text and the warnings (rules Moodle cannot express).
pub struct Export {
    pub csv: String,
    pub warnings: Vec<InteropWarning>,
}

/// One row before writing: the rule is resolved once every export id is known.
struct Row<'a> {
    parent: String,
    id: String,
    name: String,
    description: String,
    scale: Option<(String, String)>,
    rule: Option<(&'a ExprIr, &'a str)>,
    children: Vec<String>,
    /// Where the entity is written, for the warnings.
    span: &'a SpanIr,
}

pub fn export(ir: &Ir) -> Result<Export, InteropError> {
    let framework_scale = main_scale(ir);
    let mut rows: Vec<Row<'_>> = Vec::new();
    rows.push(Row {
        parent: String::new(),
        id: ROOT.to_string(),
        name: format!("Certification {}", ir.referential.title),
        description: String::new(),
        scale: None,
        rule: Some((&ir.certification.rule.expr, &ir.certification.rule.text)),
        children: ir.blocks.iter().map(|b| b.id.clone()).collect(),
        span: &ir.certification.span,
    });
    for block in &ir.blocks {
        rows.push(Row {
            parent: ROOT.to_string(),
            id: block.id.clone(),
            name: block.title.clone(),
            description: block
                .summary
                .clone()
                .unwrap_or_else(|| block.docs.join("\n")),
            scale: None,
            rule: Some((&block.rule.expr, &block.rule.text)),
            children: block.competencies.clone(),
            span: &block.span,
        });
        for cid in &block.competencies {
            let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
                continue;
            };
            // A shared criterion has one place in Moodle's tree: under the
            // first competency it belongs to.
            let own: Vec<String> = c
                .criteria
                .iter()
                .filter(|k| {
                    ir.criteria
                        .iter()
                        .find(|x| &x.id == *k)
                        .is_some_and(|x| x.competencies.first() == Some(&c.id))
                })
                .cloned()
                .collect();
            rows.push(Row {
                parent: block.id.clone(),
                id: c.id.clone(),
                name: c.title.clone(),
                description: c.docs.join("\n"),
                scale: None,
                rule: Some((&c.rule.expr, &c.rule.text)),
                children: own.clone(),
                span: &c.span,
            });
            for k in &own {
                let Some(k) = ir.criteria.iter().find(|x| &x.id == k) else {
                    continue;
                };
                let scale = ir.scales.iter().find(|s| s.id == k.scale);
                let own_scale = match scale {
                    Some(s)
                        if Some(s.id.as_str()) != framework_scale.map(|f| f.id.as_str())
                            || k.pass != s.pass =>
                    {
                        scale_columns(s, &k.pass)
                    }
                    _ => None,
                };
                rows.push(Row {
                    parent: c.id.clone(),
                    id: k.id.clone(),
                    name: k.title.clone(),
                    description: k.indicators.join("\n"),
                    scale: own_scale,
                    rule: None,
                    children: Vec::new(),
                    span: &k.span,
                });
            }
        }
    }
    let export_id = |id: &str| rows.iter().position(|r| r.id == id).map(|i| i + 1);
    let mut warnings = Vec::new();
    for s in &ir.scales {
        if let Some(n) = too_many_values(s) {
            warnings.push(InteropWarning::ScaleTooLarge {
                scale: s.id.clone(),
                values: n,
                most: MAX_SCALE_VALUES,
                at: place(ir, &s.span),
            });
        }
    }
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let err = InteropError::WriteCsv;
    out.write_record(HEADER).map_err(err)?;
    let (values, config) = framework_scale
        .and_then(|s| scale_columns(s, &s.pass))
        .unwrap_or_default();
    out.write_record([
        "",
        ir.referential.id.as_str(),
        ir.referential.title.as_str(),
        &ir.referential.docs.join("\n"),
        FORMAT_PLAIN,
        &values,
        &config,
        "",
        "",
        "",
        "",
        "",
        "1",
        "outcome,domain,competency,indicator",
    ])
    .map_err(err)?;
    for (i, row) in rows.iter().enumerate() {
        let (rule_type, outcome, rule_config) = match row.rule {
            None => (String::new(), String::new(), String::new()),
            Some((expr, text)) => match rule(expr, &row.children, &export_id) {
                Ok((kind, config)) => (kind.to_string(), OUTCOME_COMPLETE.to_string(), config),
                Err(why) => {
                    warnings.push(InteropWarning::RuleNotExported {
                        entity: row.id.clone(),
                        rule: text.to_string(),
                        why,
                        at: place(ir, row.span),
                    });
                    (String::new(), String::new(), String::new())
                }
            },
        };
        let (values, config) = row.scale.clone().unwrap_or_default();
        out.write_record([
            row.parent.as_str(),
            &row.id,
            &row.name,
            &row.description,
            FORMAT_PLAIN,
            &values,
            &config,
            &rule_type,
            &outcome,
            &rule_config,
            "",
            &(i + 1).to_string(),
            "",
            "",
        ])
        .map_err(err)?;
    }
    let bytes = out.into_inner().map_err(|e| err(e.into_error().into()))?;
    let csv = String::from_utf8(bytes)
        .map_err(|e| err(std::io::Error::new(std::io::ErrorKind::InvalidData, e).into()))?;
    Ok(Export { csv, warnings })
}

/// The scale most criteria use (the first in case of a tie): the framework's.
fn main_scale(ir: &Ir) -> Option<&ScaleIr> {
    let count = |s: &ScaleIr| ir.criteria.iter().filter(|k| k.scale == s.id).count();
    let mut best: Option<(&ScaleIr, usize)> = None;
    for s in &ir.scales {
        let n = count(s);
        if n > 0 && best.is_none_or(|(_, m)| n > m) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s)
}

/// How many values a numeric range has, when more than
/// [`MAX_SCALE_VALUES`] (computed in floating point: the count itself may
/// not fit in memory, let alone the list).
fn too_many_values(scale: &ScaleIr) -> Option<f64> {
    match &scale.kind {
        ScaleKindIr::Levels { levels } => {
            let n = levels.len() as f64;
            (levels.len() > MAX_SCALE_VALUES).then_some(n)
        }
        ScaleKindIr::Range { min, max, step } => {
            let step = if *step > 0.0 { *step } else { 1.0 };
            let n = ((max - min) / step).round() + 1.0;
            (!n.is_finite() || n > MAX_SCALE_VALUES as f64).then_some(n)
        }
    }
}

/// Moodle's "Scale values" (items, lowest first, comma-separated) and
/// "Scale configuration" (JSON: the scale, then per item whether it is the
/// default and whether it is proficient). The pass level is the default.
/// None for a scale with too many values (see [`too_many_values`]).
fn scale_columns(scale: &ScaleIr, pass: &ValueIr) -> Option<(String, String)> {
    if too_many_values(scale).is_some() {
        return None;
    }
    let items: Vec<(String, bool, bool)> = match &scale.kind {
        ScaleKindIr::Levels { levels } => {
            let rank = |v: &ValueIr| match v {
                ValueIr::Level(l) => levels.iter().position(|x| x == l),
                ValueIr::Number(_) => None,
            };
            let pass_rank = rank(pass).unwrap_or(levels.len().saturating_sub(1));
            levels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.clone(), i == pass_rank, i >= pass_rank))
                .collect()
        }
        ScaleKindIr::Range { min, max, step } => {
            let pass = match pass {
                ValueIr::Number(n) => *n,
                ValueIr::Level(_) => *max,
            };
            let step = if *step > 0.0 { *step } else { 1.0 };
            // Bounded by too_many_values above.
            let count = ((max - min) / step).round().max(0.0) as usize + 1;
            (0..count)
                .map(|i| {
                    let v = min + step * i as f64;
                    let close = (v - pass).abs() < step / 2.0;
                    (number(v), close, v >= pass - step / 2.0)
                })
                .collect()
        }
    };
    let values = items
        .iter()
        .map(|(v, _, _)| v.replace(',', " "))
        .collect::<Vec<_>>()
        .join(",");
    let mut config = vec![serde_json::json!({ "scaleid": "1" })];
    for (i, (_, default, proficient)) in items.iter().enumerate() {
        config.push(serde_json::json!({
            "id": i + 1,
            "scaledefault": u8::from(*default),
            "proficient": u8::from(*proficient),
        }));
    }
    Some((values, serde_json::Value::Array(config).to_string()))
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Maps a rule over the row's children to a Moodle rule type and its config.
/// Supported: a conjunction of `all S`, `X acquired/validated` and at most
/// one `at least N of S` / `any S`, every member being a child, tested on
/// its own outcome (Moodle's proficiency is yes or no).
fn rule<'a>(
    expr: &'a ExprIr,
    children: &[String],
    export_id: &dyn Fn(&str) -> Option<usize>,
) -> Result<(&'static str, String), String> {
    let mut conjuncts = Vec::new();
    flatten(expr, &mut conjuncts);
    let mut required: Vec<&str> = Vec::new();
    let mut counted: Option<(u32, &[String])> = None;
    let outcome = |t: &TestIr| matches!(t, TestIr::Outcome);
    let grade = "it compares grades; Moodle reads only whether a child is proficient";
    let mut count = |n: u32, set: &'a [String]| match counted {
        None => {
            counted = Some((n, set));
            Ok(())
        }
        Some(_) => Err("it counts in two sets; a Moodle points rule counts one".to_string()),
    };
    for c in conjuncts {
        match c {
            ExprIr::All { set, test } if outcome(test) => {
                required.extend(set.iter().map(String::as_str))
            }
            ExprIr::Member { id, test } if outcome(test) => required.push(id),
            ExprIr::AtLeast { n, set, test } if outcome(test) => count(*n, set)?,
            ExprIr::Any { set, test } if outcome(test) => count(1, set)?,
            ExprIr::Compare { lhs, cmp, rhs } => {
                let (n, set) = counted_at_least(lhs, *cmp, rhs)?;
                count(n, set)?;
            }
            ExprIr::All { .. }
            | ExprIr::Member { .. }
            | ExprIr::AtLeast { .. }
            | ExprIr::Any { .. } => return Err(grade.into()),
            ExprIr::Or { .. } => return Err("Moodle rules have no `or`".into()),
            ExprIr::Not { .. } => return Err("Moodle rules have no `not`".into()),
            ExprIr::None { .. } => return Err("Moodle rules have no `none`".into()),
            ExprIr::AtMost { .. } => return Err("Moodle rules have no `at most`".into()),
            ExprIr::Const { .. } => {
                return Err("it is a constant; Moodle rules read children".into())
            }
            ExprIr::And { .. } => return Err("a nested conjunction (a bug)".into()),
        }
    }
    let mut members: Vec<&str> = required.clone();
    if let Some((_, set)) = counted {
        members.extend(set.iter().map(String::as_str));
    }
    if let Some(outside) = members.iter().find(|m| !children.iter().any(|c| c == *m)) {
        return Err(format!(
            "it reads `{outside}`, which is not a child of it in Moodle's tree"
        ));
    }
    required.sort_unstable();
    required.dedup();
    if counted.is_none() {
        let mut all: Vec<&str> = children.iter().map(String::as_str).collect();
        all.sort_unstable();
        if all == required && !all.is_empty() {
            return Ok((RULE_ALL, "null".into()));
        }
    }
    // Points: each counted child gives one point; a required child outside
    // the counted set gives none but must still be proficient.
    let (base, counted_set): (u32, Vec<&str>) = match counted {
        Some((n, set)) => (n, set.iter().map(String::as_str).collect()),
        None => (
            u32::try_from(required.len()).unwrap_or(u32::MAX),
            required.clone(),
        ),
    };
    if base == 0 {
        return Err("Moodle needs at least one point to complete a competency".into());
    }
    let mut competencies = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for child in children {
        let child = child.as_str();
        let in_count = counted_set.contains(&child);
        let is_required = required.contains(&child);
        if !(in_count || is_required) || seen.contains(&child) {
            continue;
        }
        seen.push(child);
        let id = export_id(child).ok_or_else(|| format!("`{child}` has no row"))?;
        competencies.push(serde_json::json!({
            "id": id,
            "points": u8::from(in_count),
            "required": is_required,
        }));
    }
    let config = serde_json::json!({ "base": { "points": base }, "competencies": competencies });
    Ok((RULE_POINTS, config.to_string()))
}

/// `count(S) >= N` (or `> N - 1`) with the count of proficient members is
/// "at least N of S": a points rule. Anything else computes with marks.
fn counted_at_least<'a>(
    lhs: &'a NumIr,
    cmp: CmpOp,
    rhs: &NumIr,
) -> Result<(u32, &'a [String]), String> {
    let marks = || {
        "it computes with marks (an average, a sum, a comparison); Moodle rules cannot".to_string()
    };
    let NumIr::Aggregate {
        function,
        set,
        test,
    } = lhs
    else {
        return Err(marks());
    };
    let NumIr::Number { value } = rhs else {
        return Err(marks());
    };
    if *function != AggregateFn::Count || !matches!(test, None | Some(TestIr::Outcome)) {
        return Err(marks());
    }
    if value.fract() != 0.0 || *value < 0.0 || *value > f64::from(u32::MAX - 1) {
        return Err(format!(
            "it compares a count with {value}, which is not a whole number of children"
        ));
    }
    // Checked above: a whole number that fits.
    let n = *value as u32;
    match cmp {
        CmpOp::Ge => Ok((n, set)),
        CmpOp::Gt => Ok((n + 1, set)),
        CmpOp::Le | CmpOp::Lt | CmpOp::Eq | CmpOp::Ne => Err(format!(
            "it bounds a count with `{}`; a Moodle points rule only sets a minimum",
            cmp.symbol()
        )),
    }
}

fn flatten<'a>(expr: &'a ExprIr, out: &mut Vec<&'a ExprIr>) {
    match expr {
        ExprIr::And { args } => args.iter().for_each(|a| flatten(a, out)),
        other => out.push(other),
    }
}
