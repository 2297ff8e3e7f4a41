//! `acquis export moodle`: the referential as the 14-column CSV that Moodle's
//! competency framework import (tool_lpimportcsv) reads.
//!
//! Moodle has one tree of competencies, each rated on a scale, and a
//! competency may be completed from its children by a rule: "all children
//! proficient" (`competency_rule_all`) or "enough points, with some children
//! required" (`competency_rule_points`). The tree is certification → blocks →
//! competencies → criteria, so each of our rules reads its own children.
//!
//! What is written is what the importer accepts, read against its code
//! (Moodle 3.11 to 4.x, `admin/tool/lpimportcsv/classes/framework_importer.php`
//! and the persistents and rules it calls; the test
//! `interop/tests/api/moodle_importer.rs` reproduces those checks): member
//! flags of a points rule are `0`/`1` (its `PARAM_BOOL` check refuses a
//! JSON `false`), short names fit its 100 characters, the framework always
//! has a scale, and the CSV is in PHP's dialect (`fgetcsv`).

use acquis_ir::describe::Lang;
use acquis_ir::{
    AggregateFn, CmpOp, ExprIr, Ir, NumIr, ScaleIr, ScaleKindIr, SpanIr, TestIr, ValueIr,
};

use crate::warning::{place, Connective, InteropWarning, MoodleGap};
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
/// exported as two values, below and from its pass level (with a warning).
pub const MAX_SCALE_VALUES: usize = 1000;
/// The importer cuts a short name (and an id number) to 100 characters
/// (`shorten_text(…, 100)`), the size of the column.
pub const MAX_SHORT_NAME: usize = 100;

/// The CSV text and the warnings (rules Moodle cannot express, titles too
/// long for a short name, scales too large to list).
pub struct Export {
    pub csv: String,
    pub warnings: Vec<InteropWarning>,
}

/// One row before writing: the rule is resolved once every export id is known.
struct Row<'a> {
    parent: String,
    id: String,
    title: String,
    description: String,
    scale: Option<Scale>,
    rule: Option<(&'a ExprIr, &'a str)>,
    children: Vec<String>,
    /// The other competencies of a shared criterion (Moodle's "related
    /// competencies").
    related: Vec<String>,
    /// Where the entity is written, for the warnings.
    span: &'a SpanIr,
}

/// A scale as Moodle's "Scale values" and "Scale configuration" columns.
#[derive(Clone, Default)]
struct Scale {
    values: String,
    config: String,
}

pub fn export(ir: &Ir) -> Result<Export, InteropError> {
    let framework_scale = main_scale(ir);
    let mut rows: Vec<Row<'_>> = Vec::new();
    rows.push(Row {
        parent: String::new(),
        id: ROOT.to_string(),
        title: format!("Certification {}", ir.referential.title),
        description: String::new(),
        scale: None,
        rule: Some((&ir.certification.rule.expr, &ir.certification.rule.text)),
        children: ir.blocks.iter().map(|b| b.id.clone()).collect(),
        related: Vec::new(),
        span: &ir.certification.span,
    });
    for block in &ir.blocks {
        rows.push(Row {
            parent: ROOT.to_string(),
            id: block.id.clone(),
            title: block.title.clone(),
            description: block
                .summary
                .clone()
                .unwrap_or_else(|| block.docs.join("\n")),
            scale: None,
            rule: Some((&block.rule.expr, &block.rule.text)),
            children: block.competencies.clone(),
            related: Vec::new(),
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
                title: c.title.clone(),
                description: c.docs.join("\n"),
                scale: None,
                rule: Some((&c.rule.expr, &c.rule.text)),
                children: own.clone(),
                related: Vec::new(),
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
                        Some(scale_columns(s, &k.pass))
                    }
                    _ => None,
                };
                let description: Vec<&str> = k
                    .docs
                    .iter()
                    .chain(&k.indicators)
                    .map(String::as_str)
                    .collect();
                rows.push(Row {
                    parent: c.id.clone(),
                    id: k.id.clone(),
                    title: k.title.clone(),
                    description: description.join("\n"),
                    scale: own_scale,
                    rule: None,
                    children: Vec::new(),
                    related: k.competencies.iter().skip(1).cloned().collect(),
                    span: &k.span,
                });
            }
        }
    }
    // Épreuves that carry marks: a competency each (under their block, or
    // under the certification when they stand outside the blocks), rated
    // by hand in Moodle, with their parts as children rated on the part's
    // scale, as criteria are. Moodle computes no average of marks: their
    // rules are reported, not exported.
    for a in ir.assessments.iter().filter(|a| !a.parts.is_empty()) {
        let parent = if a.block.is_empty() {
            ROOT.to_string()
        } else {
            a.block.clone()
        };
        let row = Row {
            parent: parent.clone(),
            id: a.id.clone(),
            title: a.title.clone(),
            description: a.docs.join("\n"),
            scale: None,
            rule: a.rule.as_ref().map(|r| (&r.expr, r.text.as_str())),
            children: a.parts.iter().map(|p| p.id.clone()).collect(),
            related: Vec::new(),
            span: &a.span,
        };
        // After its block's subtree (or at the end): the tree stays in
        // order, and a rule naming the épreuve reads a child.
        let at = rows
            .iter()
            .rposition(|r| r.id == parent || is_under(&rows, r, &parent))
            .map_or(rows.len(), |i| i + 1);
        if let Some(p) = rows.iter_mut().find(|r| r.id == parent) {
            p.children.push(a.id.clone());
        }
        let mut part_rows = Vec::new();
        for part in &a.parts {
            let Some(k) = ir.criteria.iter().find(|x| x.id == part.id) else {
                continue;
            };
            let scale = ir.scales.iter().find(|s| s.id == k.scale);
            let own_scale = match scale {
                Some(s)
                    if Some(s.id.as_str()) != framework_scale.map(|f| f.id.as_str())
                        || k.pass != s.pass =>
                {
                    Some(scale_columns(s, &k.pass))
                }
                _ => None,
            };
            part_rows.push(Row {
                parent: a.id.clone(),
                id: k.id.clone(),
                title: k.title.clone(),
                description: part_description(Lang::of(ir), &k.docs, k.weight, part),
                scale: own_scale,
                rule: None,
                children: Vec::new(),
                related: Vec::new(),
                span: &k.span,
            });
        }
        let end = at.min(rows.len());
        rows.splice(end..end, std::iter::once(row).chain(part_rows));
    }
    let export_id = |id: &str| rows.iter().position(|r| r.id == id).map(|i| i + 1);
    let mut warnings = Vec::new();
    for s in &ir.scales {
        if let Some(n) = too_many_values(s) {
            let (below, from) = bands(s, &s.pass);
            warnings.push(InteropWarning::ScaleTooLarge {
                scale: s.id.clone(),
                values: n,
                most: MAX_SCALE_VALUES,
                below,
                from,
                at: place(ir, &s.span),
            });
        }
    }
    let mut out = String::new();
    write_row(&mut out, &HEADER);
    // The importer always gives the framework a scale: without one it
    // creates an empty scale and fails on the empty configuration.
    let framework = framework_scale.map_or_else(
        || fallback_scale(Lang::of(ir)),
        |s| scale_columns(s, &s.pass),
    );
    let (name, description) = short_name_and_description(
        ir,
        &ir.referential.id,
        &ir.referential.title,
        &ir.referential.docs.join("\n"),
        &ir.referential.span,
        &mut warnings,
    );
    write_row(
        &mut out,
        &[
            "",
            ir.referential.id.as_str(),
            &name,
            &description,
            FORMAT_PLAIN,
            &framework.values,
            &framework.config,
            "",
            "",
            "",
            "",
            "",
            "1",
            "outcome,domain,competency,indicator",
        ],
    );
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
        let (name, description) = short_name_and_description(
            ir,
            &row.id,
            &row.title,
            &row.description,
            row.span,
            &mut warnings,
        );
        let scale = row.scale.clone().unwrap_or_default();
        // Ids are identifiers (no comma); the importer reads `%2C` as one.
        let related: Vec<String> = row.related.iter().map(|r| r.replace(',', "%2C")).collect();
        write_row(
            &mut out,
            &[
                row.parent.as_str(),
                &row.id,
                &name,
                &description,
                FORMAT_PLAIN,
                &scale.values,
                &scale.config,
                &rule_type,
                &outcome,
                &rule_config,
                &related.join(","),
                &(i + 1).to_string(),
                "",
                "",
            ],
        );
    }
    Ok(Export { csv: out, warnings })
}

/// Whether `row` is in the subtree of `ancestor` (the rows hold their
/// parent's id; the tree is shallow).
fn is_under(rows: &[Row<'_>], row: &Row<'_>, ancestor: &str) -> bool {
    let mut parent = row.parent.as_str();
    for _ in 0..rows.len() {
        if parent == ancestor {
            return true;
        }
        match rows.iter().find(|r| r.id == parent) {
            Some(r) if !r.parent.is_empty() => parent = r.parent.as_str(),
            _ => return false,
        }
    }
    false
}

/// A part's description: its docs, then its coefficient, form, duration
/// and whether it is optional, in the referential's language.
fn part_description(
    lang: Lang,
    docs: &[String],
    coefficient: acquis_ir::Decimal,
    part: &acquis_ir::PartIr,
) -> String {
    // French puts a no-break space before the colon.
    let colon = if lang.fr { "\u{a0}: " } else { ": " };
    let mut lines: Vec<String> = docs.to_vec();
    lines.push(format!(
        "{}{colon}{coefficient}",
        lang.t("Coefficient", "Coefficient")
    ));
    if let Some(form) = &part.form {
        lines.push(format!("{}{colon}{form}", lang.t("Form", "Forme")));
    }
    if let Some(d) = &part.duration {
        lines.push(format!(
            "{}{colon}{}",
            lang.t("Duration", "Durée"),
            acquis_ir::describe::duration(lang, d)
        ));
    }
    if let Some(examiners) = &part.examiners {
        lines.push(format!(
            "{}{colon}{examiners}",
            lang.t("Examiners", "Examinateurs")
        ));
    }
    if part.optional {
        lines.push(lang.t("Optional", "Facultative").to_string());
    }
    lines.join("\n")
}

/// The short name (at most [`MAX_SHORT_NAME`] characters, as the importer
/// keeps them) and the description of an entity. A longer title is cut
/// after a word, ends with `…`, and the whole title opens the description,
/// so nothing is lost (with a warning). An empty title (or `0`, which PHP
/// reads as empty) would make the importer skip the row and its subtree
/// silently: the short name is then the id.
fn short_name_and_description(
    ir: &Ir,
    id: &str,
    title: &str,
    description: &str,
    span: &SpanIr,
    warnings: &mut Vec<InteropWarning>,
) -> (String, String) {
    let title = moodle_text(title);
    let length = title.chars().count();
    if title.trim().is_empty() || title == "0" {
        return (id.to_string(), join_paragraphs(&title, description));
    }
    if length <= MAX_SHORT_NAME {
        return (title, description.to_string());
    }
    warnings.push(InteropWarning::ShortNameCut {
        entity: id.to_string(),
        length,
        most: MAX_SHORT_NAME,
        at: place(ir, span),
    });
    (cut(&title), join_paragraphs(&title, description))
}

fn join_paragraphs(first: &str, rest: &str) -> String {
    match (first.trim().is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => first.to_string(),
        (false, false) => format!("{first}\n\n{rest}"),
    }
}

/// `title` cut after its last whole word that leaves room for `…` within
/// [`MAX_SHORT_NAME`] characters (trailing spaces and `,;:` dropped); cut
/// inside the word when the first word alone is longer.
fn cut(title: &str) -> String {
    let room = MAX_SHORT_NAME - 1;
    let mut end = None;
    let mut hard = title.len();
    for (count, (byte, ch)) in title.char_indices().enumerate() {
        if count == room {
            hard = byte;
        }
        if count > room {
            break;
        }
        if ch.is_whitespace() {
            end = Some(byte);
        }
    }
    let kept = match end {
        Some(end) => title[..end]
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':')),
        None => &title[..hard],
    };
    let kept = if kept.is_empty() {
        &title[..hard]
    } else {
        kept
    };
    format!("{kept}…")
}

/// A title as the importer's `PARAM_TEXT` keeps it: PHP's `strip_tags`
/// takes a `<` followed by anything but a space for the start of a tag
/// and drops everything up to the next `>` (or to the end), so `<` gets a
/// space after it (`note <10` becomes `note < 10`).
fn moodle_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '<' && chars.peek().is_some_and(|n| !n.is_whitespace()) {
            out.push(' ');
        }
    }
    out
}

/// Appends one CSV record in PHP's dialect, which the importer reads with
/// `fgetcsv` and stores again with `fputcsv` (Moodle's `csv_import_reader`):
/// a field with a comma, a quote or a line break is enclosed in quotes;
/// inside, a quote is doubled except right after a backslash (PHP's escape
/// character, which keeps the quote after it literal: `\"` reads back as
/// `\"`, `\""` would not). A field ending with a backslash would escape the
/// closing quote of the copy the importer stores, so a space follows it.
fn write_row(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let spaced;
        let field = if field.ends_with('\\') {
            spaced = format!("{field} ");
            spaced.as_str()
        } else {
            field
        };
        if !field.contains([',', '"', '\n', '\r']) {
            out.push_str(field);
            continue;
        }
        out.push('"');
        let mut escaped = false;
        for c in field.chars() {
            if c == '\\' {
                escaped = true;
            } else if !escaped && c == '"' {
                out.push('"');
            } else {
                escaped = false;
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('\n');
}

/// The scale most criteria use (the first in case of a tie): the
/// framework's; without criteria, the first scale.
fn main_scale(ir: &Ir) -> Option<&ScaleIr> {
    let count = |s: &ScaleIr| ir.criteria.iter().filter(|k| k.scale == s.id).count();
    let mut best: Option<(&ScaleIr, usize)> = None;
    for s in &ir.scales {
        let n = count(s);
        if n > 0 && best.is_none_or(|(_, m)| n > m) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s).or_else(|| ir.scales.first())
}

/// A framework needs a scale even with no scale in the referential: two
/// values, the second proficient.
fn fallback_scale(lang: Lang) -> Scale {
    let values = vec![
        (lang.t("not acquired", "non acquis").to_string(), false),
        (lang.t("acquired", "acquis").to_string(), true),
    ];
    columns(values, 1)
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
            // A count, for a listing: never a decision.
            let (min, max, step) = (min.to_f64(), max.to_f64(), step.to_f64());
            let step = if step > 0.0 { step } else { 1.0 };
            let n = ((max - min) / step).round() + 1.0;
            (!n.is_finite() || n > MAX_SCALE_VALUES as f64).then_some(n)
        }
    }
}

/// The two values a scale too large to list is exported as: below the
/// pass level, and from it (`< 10`, `≥ 10`).
fn bands(scale: &ScaleIr, pass: &ValueIr) -> (String, String) {
    let pass = match (pass, &scale.kind) {
        (ValueIr::Level(l), _) => l.clone(),
        (ValueIr::Number(n), _) => n.to_string(),
    };
    (format!("< {pass}"), format!("≥ {pass}"))
}

/// Moodle's "Scale values" (items, lowest first, comma-separated) and
/// "Scale configuration" (JSON: the scale, then per item whether it is the
/// default and whether it is proficient). The pass level is the default.
/// A scale with too many values (see [`too_many_values`]) is two values,
/// below and from the pass level.
fn scale_columns(scale: &ScaleIr, pass: &ValueIr) -> Scale {
    if too_many_values(scale).is_some() {
        let (below, from) = bands(scale, pass);
        return columns(vec![(below, false), (from, true)], 1);
    }
    let (items, pass_rank): (Vec<(String, bool)>, usize) = match &scale.kind {
        ScaleKindIr::Levels { levels } => {
            let rank = |v: &ValueIr| match v {
                ValueIr::Level(l) => levels.iter().position(|x| x == l),
                ValueIr::Number(_) => None,
            };
            let pass_rank = rank(pass).unwrap_or(levels.len().saturating_sub(1));
            (
                levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.clone(), i >= pass_rank))
                    .collect(),
                pass_rank,
            )
        }
        ScaleKindIr::Range { min, max, step } => {
            let pass = match pass {
                ValueIr::Number(n) => n.to_f64(),
                ValueIr::Level(_) => max.to_f64(),
            };
            // Moodle lists values as text: computed in doubles, each shown
            // by its shortest decimal.
            let (min, max, step) = (min.to_f64(), max.to_f64(), step.to_f64());
            let step = if step > 0.0 { step } else { 1.0 };
            // Bounded by too_many_values above.
            let count = ((max - min) / step).round().max(0.0) as usize + 1;
            let values: Vec<f64> = (0..count).map(|i| min + step * i as f64).collect();
            let pass_rank = values
                .iter()
                .position(|v| (v - pass).abs() < step / 2.0)
                .unwrap_or(count.saturating_sub(1));
            (
                values
                    .iter()
                    .map(|v| (number(*v), *v >= pass - step / 2.0))
                    .collect(),
                pass_rank,
            )
        }
    };
    columns(items, pass_rank)
}

/// The two columns from the values (lowest first, with whether each is
/// proficient) and the position of the default one.
fn columns(items: Vec<(String, bool)>, default: usize) -> Scale {
    // The importer splits the values on commas and trims each.
    let values = items
        .iter()
        .map(|(v, _)| v.replace(',', " ").trim().to_string())
        .collect::<Vec<_>>()
        .join(",");
    let mut config = vec![serde_json::json!({ "scaleid": "1" })];
    for (i, (_, proficient)) in items.iter().enumerate() {
        config.push(serde_json::json!({
            "id": i + 1,
            "scaledefault": u8::from(i == default),
            "proficient": u8::from(*proficient),
        }));
    }
    Scale {
        values,
        config: serde_json::Value::Array(config).to_string(),
    }
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
) -> Result<(&'static str, String), MoodleGap> {
    let mut conjuncts = Vec::new();
    flatten(expr, &mut conjuncts);
    let mut required: Vec<&str> = Vec::new();
    let mut counted: Option<(u32, &[String])> = None;
    let outcome = |t: &TestIr| matches!(t, TestIr::Outcome);
    let mut count = |n: u32, set: &'a [String]| match counted {
        None => {
            counted = Some((n, set));
            Ok(())
        }
        Some(_) => Err(MoodleGap::CountsTwoSets),
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
            | ExprIr::Any { .. } => return Err(MoodleGap::ComparesGrades),
            ExprIr::Or { .. } => return Err(MoodleGap::NoConnective(Connective::Or)),
            ExprIr::Not { .. } => return Err(MoodleGap::NoConnective(Connective::Not)),
            ExprIr::None { .. } => return Err(MoodleGap::NoConnective(Connective::None)),
            ExprIr::AtMost { .. } => return Err(MoodleGap::NoConnective(Connective::AtMost)),
            ExprIr::Const { .. } => return Err(MoodleGap::Constant),
            ExprIr::And { .. } => return Err(MoodleGap::NestedConjunction),
        }
    }
    let mut members: Vec<&str> = required.clone();
    if let Some((_, set)) = counted {
        members.extend(set.iter().map(String::as_str));
    }
    if let Some(outside) = members.iter().find(|m| !children.iter().any(|c| c == *m)) {
        return Err(MoodleGap::NotAChild((*outside).to_string()));
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
        return Err(MoodleGap::NoPoint);
    }
    let mut competencies = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut points: u32 = 0;
    for child in children {
        let child = child.as_str();
        let in_count = counted_set.contains(&child);
        let is_required = required.contains(&child);
        if !(in_count || is_required) || seen.contains(&child) {
            continue;
        }
        seen.push(child);
        let id = export_id(child).ok_or_else(|| MoodleGap::NoRow(child.to_string()))?;
        points += u32::from(in_count);
        // Moodle checks `required` with PARAM_BOOL, which refuses a JSON
        // `false` (its string is empty, not "0"); its own form writes 0 or 1.
        competencies.push(serde_json::json!({
            "id": id,
            "points": u8::from(in_count),
            "required": u8::from(is_required),
        }));
    }
    // Moodle refuses a rule whose points cannot be reached.
    if base > points {
        return Err(MoodleGap::TooFewChildren {
            points: base,
            children: points,
        });
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
) -> Result<(u32, &'a [String]), MoodleGap> {
    let NumIr::Aggregate {
        function,
        set,
        test,
    } = lhs
    else {
        return Err(MoodleGap::ComputesWithMarks);
    };
    let NumIr::Number { value } = rhs else {
        return Err(MoodleGap::ComputesWithMarks);
    };
    if *function != AggregateFn::Count || !matches!(test, None | Some(TestIr::Outcome)) {
        return Err(MoodleGap::ComputesWithMarks);
    }
    let whole = value.exact();
    let n = match u32::try_from(whole.numerator()) {
        Ok(n) if whole.is_integer() && n < u32::MAX => n,
        _ => return Err(MoodleGap::NotAWholeCount(*value)),
    };
    match cmp {
        CmpOp::Ge => Ok((n, set)),
        CmpOp::Gt => Ok((n + 1, set)),
        CmpOp::Le | CmpOp::Lt | CmpOp::Eq | CmpOp::Ne => Err(MoodleGap::BoundsCount(cmp)),
    }
}

fn flatten<'a>(expr: &'a ExprIr, out: &mut Vec<&'a ExprIr>) {
    match expr {
        ExprIr::And { args } => args.iter().for_each(|a| flatten(a, out)),
        other => out.push(other),
    }
}
