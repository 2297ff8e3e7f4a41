//! Open Badges 3.0 results (`acquis eval … --format ob3`): for each
//! candidate, one unsigned `OpenBadgeCredential` per validated block and one
//! for the validated certification. The achievement says what was required
//! (its rule in plain words, the criteria with their allowed values and pass
//! level, aligned to the CASE items of `acquis export case`); the subject's
//! results say what the candidate got. Nothing personal beyond the
//! candidate id unless `--include-metadata`.
//!
//! Each credential is one JSON line `{"file": …, "credential": …}`: on
//! standard output as is, or split into files by [`Directory`] with `-o`.

use std::time::{SystemTime, UNIX_EPOCH};

use acquis_compiler::eval::{Grades, Outcome, Outcomes, Plan};
use acquis_compiler::ir::{CriterionIr, ExprIr, Ir, NumIr, ScaleKindIr, TestIr, ValueIr};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::case::item_identifier;
use super::rule_text::value_text;
use super::skeleton::number;

mod directory;
use directory::file_name;
pub use directory::Directory;

const CONTEXT: [&str; 2] = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
];
const SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// Appends the candidate's credentials, one JSON line each, to `text`.
pub fn candidate(
    plan: &Plan<'_>,
    id: &str,
    metadata: &[(String, String)],
    grades: &Grades,
    outcomes: Option<&Outcomes>,
    include_metadata: bool,
    text: &mut String,
) {
    // A candidate whose grades have errors gets no credential.
    let Some(outcomes) = outcomes else { return };
    let ir = plan.ir();
    let issued = issuance_date();
    let mut emit = |entity: &str, achievement: Value, results: Vec<Value>| {
        let credential_id = uuid(ir, &format!("Credential:{id}:{entity}"));
        let mut subject = Map::new();
        subject.insert(
            "id".into(),
            json!(format!("urn:acquis:candidate:{}", encode(id))),
        );
        subject.insert("type".into(), json!(["AchievementSubject"]));
        subject.insert("achievement".into(), achievement);
        subject.insert("result".into(), Value::Array(results));
        if include_metadata && !metadata.is_empty() {
            let m: Map<String, Value> = metadata
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            subject.insert("metadata".into(), Value::Object(m));
        }
        let credential = json!({
            "@context": CONTEXT,
            "id": format!("urn:uuid:{credential_id}"),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": format!("{} — {}", ir.referential.title, title_of(ir, entity)),
            "issuer": issuer(ir),
            "issuanceDate": issued,
            "validFrom": issued,
            "credentialSubject": Value::Object(subject),
            "credentialSchema": [{ "id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019" }],
        });
        let line = json!({
            "file": format!("{}/{}.json", file_name(id), file_name(entity)),
            "credential": credential,
        });
        text.push_str(&line.to_string());
        text.push('\n');
    };
    for block in &ir.blocks {
        if outcomes.get(plan, &block.id) != Some(Outcome::Passed) {
            continue;
        }
        let criteria = block_criteria(ir, &block.competencies);
        let mut alignment = vec![align(ir, "Block", &block.id, &block.title)];
        for cid in &block.competencies {
            if let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) {
                alignment.push(align(ir, "Competency", &c.id, &c.title));
            }
        }
        let achievement = json!({
            "id": format!("urn:uuid:{}", uuid(ir, &format!("Achievement:{}", block.id))),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": block.title,
            "description": block.summary.clone().unwrap_or_else(|| block.title.clone()),
            "humanCode": block.id,
            "@language": ir.referential.lang,
            "criteria": { "narrative": narrative(plan, &block.rule.expr) },
            "alignment": alignment,
            "resultDescription": criteria.iter().map(|k| result_description(ir, k)).collect::<Vec<_>>(),
        });
        let results = criteria
            .iter()
            .map(|k| criterion_result(plan, ir, k, grades, outcomes))
            .collect();
        emit(&block.id, achievement, results);
    }
    if outcomes.get(plan, "certification") == Some(Outcome::Passed) {
        let achievement = json!({
            "id": format!("urn:uuid:{}", uuid(ir, "Achievement:certification")),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": ir.referential.title,
            "description": first_paragraph(&ir.referential.docs).unwrap_or_else(|| ir.referential.title.clone()),
            "humanCode": ir.referential.id,
            "@language": ir.referential.lang,
            "criteria": { "narrative": narrative(plan, &ir.certification.rule.expr) },
            "alignment": ir.blocks.iter().map(|b| align(ir, "Block", &b.id, &b.title)).collect::<Vec<_>>(),
            "resultDescription": ir.blocks.iter().map(|b| json!({
                "id": format!("urn:uuid:{}", uuid(ir, &format!("ResultDescription:{}", b.id))),
                "type": ["ResultDescription"],
                "name": format!("{} {}", b.id, b.title),
                "resultType": "Status",
            })).collect::<Vec<_>>(),
        });
        let results = ir
            .blocks
            .iter()
            .map(|b| {
                json!({
                    "type": ["Result"],
                    "resultDescription": format!("urn:uuid:{}", uuid(ir, &format!("ResultDescription:{}", b.id))),
                    "status": status(outcomes.get(plan, &b.id)),
                })
            })
            .collect();
        emit("certification", achievement, results);
    }
}

/// The doc comment's first paragraph as one line: its first line alone
/// would often stop mid-sentence, since doc comments wrap at 80 columns.
fn first_paragraph(docs: &[String]) -> Option<String> {
    let lines: Vec<&str> = docs
        .iter()
        .map(|l| l.trim())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn uuid(ir: &Ir, name: &str) -> String {
    let namespace = Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("urn:acquis:referential:{}", ir.referential.id).as_bytes(),
    );
    Uuid::new_v5(&namespace, name.as_bytes()).to_string()
}

fn title_of<'a>(ir: &'a Ir, entity: &str) -> &'a str {
    ir.blocks
        .iter()
        .find(|b| b.id == entity)
        .map_or("certification", |b| b.title.as_str())
}

fn issuer(ir: &Ir) -> Value {
    let meta = &ir.referential.meta;
    let name = meta
        .get("certificateur")
        .or_else(|| meta.get("creator"))
        .cloned()
        .unwrap_or_else(|| ir.referential.title.clone());
    json!({
        "id": format!("urn:uuid:{}", uuid(ir, "Issuer")),
        "type": ["Profile"],
        "name": name,
    })
}

fn align(ir: &Ir, kind: &str, id: &str, title: &str) -> Value {
    json!({
        "type": ["Alignment"],
        "targetName": title,
        "targetUrl": format!("urn:uuid:{}", item_identifier(&ir.referential.id, kind, id)),
        "targetCode": id,
        "targetFramework": ir.referential.title,
        "targetType": "CFItem",
    })
}

/// The criteria of the competencies, each once, in order.
fn block_criteria<'a>(ir: &'a Ir, competencies: &[String]) -> Vec<&'a CriterionIr> {
    let mut out: Vec<&CriterionIr> = Vec::new();
    for cid in competencies {
        let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
            continue;
        };
        for k in &c.criteria {
            if let Some(k) = ir.criteria.iter().find(|x| &x.id == k) {
                if !out.iter().any(|x| x.id == k.id) {
                    out.push(k);
                }
            }
        }
    }
    out
}

fn level_id(ir: &Ir, criterion: &str, level: &str) -> String {
    format!(
        "urn:uuid:{}",
        uuid(ir, &format!("Level:{criterion}:{level}"))
    )
}

fn result_description(ir: &Ir, k: &CriterionIr) -> Value {
    let mut rd = Map::new();
    rd.insert(
        "id".into(),
        json!(format!(
            "urn:uuid:{}",
            uuid(ir, &format!("ResultDescription:{}", k.id))
        )),
    );
    rd.insert("type".into(), json!(["ResultDescription"]));
    rd.insert("name".into(), json!(format!("{} {}", k.id, k.title)));
    rd.insert("requiredValue".into(), json!(value_text(&k.pass)));
    let scale = ir.scales.iter().find(|s| s.id == k.scale);
    match scale.map(|s| &s.kind) {
        Some(ScaleKindIr::Levels { levels }) => {
            rd.insert("resultType".into(), json!("RubricCriterionLevel"));
            rd.insert("allowedValue".into(), json!(levels));
            rd.insert(
                "rubricCriterionLevel".into(),
                Value::Array(
                    levels
                        .iter()
                        .map(|l| {
                            json!({
                                "id": level_id(ir, &k.id, l),
                                "type": ["RubricCriterionLevel"],
                                "name": l,
                            })
                        })
                        .collect(),
                ),
            );
            if let ValueIr::Level(pass) = &k.pass {
                rd.insert("requiredLevel".into(), json!(level_id(ir, &k.id, pass)));
            }
        }
        Some(ScaleKindIr::Range { min, max, .. }) => {
            rd.insert("resultType".into(), json!("RawScore"));
            rd.insert("valueMin".into(), json!(number(*min)));
            rd.insert("valueMax".into(), json!(number(*max)));
        }
        None => {
            rd.insert("resultType".into(), json!("Result"));
        }
    }
    rd.insert(
        "alignment".into(),
        json!([align(ir, "Criterion", &k.id, &k.title)]),
    );
    Value::Object(rd)
}

fn status(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Passed) => "Completed",
        Some(Outcome::Failed) => "Failed",
        _ => "InProgress",
    }
}

fn criterion_result(
    plan: &Plan<'_>,
    ir: &Ir,
    k: &CriterionIr,
    grades: &Grades,
    outcomes: &Outcomes,
) -> Value {
    let mut r = Map::new();
    r.insert("type".into(), json!(["Result"]));
    r.insert(
        "resultDescription".into(),
        json!(format!(
            "urn:uuid:{}",
            uuid(ir, &format!("ResultDescription:{}", k.id))
        )),
    );
    let position = plan.criterion_index(&k.id).and_then(|i| grades.position(i));
    if let Some(position) = position {
        let scale = ir.scales.iter().find(|s| s.id == k.scale);
        match scale.map(|s| &s.kind) {
            Some(ScaleKindIr::Levels { levels }) => {
                if let Some(level) = levels.get(position as usize) {
                    r.insert("value".into(), json!(level));
                    r.insert("achievedLevel".into(), json!(level_id(ir, &k.id, level)));
                }
            }
            _ => {
                r.insert("value".into(), json!(number(position)));
            }
        }
    }
    r.insert("status".into(), json!(status(outcomes.get(plan, &k.id))));
    Value::Object(r)
}

/// The rule in plain words, in the referential's language.
fn narrative(plan: &Plan<'_>, expr: &ExprIr) -> String {
    let fr = plan.is_french();
    let mut out = words(plan, expr, fr);
    if let Some(first) = out.get(..1) {
        let upper = first.to_uppercase();
        out.replace_range(..1, &upper);
    }
    out.push('.');
    out
}

fn words(plan: &Plan<'_>, expr: &ExprIr, fr: bool) -> String {
    let list = |set: &[String]| set.join(", ");
    let passed = |set: &[String], many: bool| {
        let criteria = set.iter().all(|s| plan.is_criterion(s));
        match (fr, criteria, many) {
            (true, true, true) => "acquis",
            (true, true, false) => "acquis",
            (true, false, true) => "validés",
            (true, false, false) => "validé",
            (false, true, _) => "acquired",
            (false, false, _) => "validated",
        }
    };
    let test = |t: &TestIr, set: &[String], many: bool| match t {
        TestIr::Outcome => passed(set, many).to_string(),
        TestIr::Compare { cmp, value } => {
            let v = value_text(value);
            if fr {
                format!("notés {cmp} {v}")
            } else {
                format!("graded {cmp} {v}")
            }
        }
    };
    let group = |args: &[ExprIr], word: &str| {
        args.iter()
            .map(|a| match a {
                ExprIr::And { .. } | ExprIr::Or { .. } => format!("({})", words(plan, a, fr)),
                _ => words(plan, a, fr),
            })
            .collect::<Vec<_>>()
            .join(word)
    };
    match expr {
        ExprIr::And { args } => group(args, if fr { " et " } else { " and " }),
        ExprIr::Or { args } => group(args, if fr { " ou " } else { " or " }),
        ExprIr::Not { arg } => {
            let inner = words(plan, arg, fr);
            if fr {
                format!("il est faux que {inner}")
            } else {
                format!("it is not the case that {inner}")
            }
        }
        ExprIr::All { set, test: t } if fr => {
            format!("{} : tous {}", list(set), test(t, set, true))
        }
        ExprIr::All { set, test: t } => format!("all of {} {}", list(set), test(t, set, true)),
        ExprIr::Any { set, test: t } if fr => {
            format!("{} : au moins un {}", list(set), test(t, set, false))
        }
        ExprIr::Any { set, test: t } => {
            format!("at least one of {} {}", list(set), test(t, set, false))
        }
        ExprIr::None { set, test: t } if fr => {
            format!("{} : aucun {}", list(set), test(t, set, false))
        }
        ExprIr::None { set, test: t } => format!("none of {} {}", list(set), test(t, set, false)),
        ExprIr::AtLeast { n, set, test: t } if fr => {
            format!("{} : au moins {n} {}", list(set), test(t, set, true))
        }
        ExprIr::AtLeast { n, set, test: t } => {
            format!("at least {n} of {} {}", list(set), test(t, set, true))
        }
        ExprIr::AtMost { n, set, test: t } if fr => {
            format!("{} : au plus {n} {}", list(set), test(t, set, true))
        }
        ExprIr::AtMost { n, set, test: t } => {
            format!("at most {n} of {} {}", list(set), test(t, set, true))
        }
        ExprIr::Member { id, test: t } => {
            let set = std::slice::from_ref(id);
            format!("{id} {}", test(t, set, false))
        }
        ExprIr::Compare { lhs, cmp, rhs } => {
            format!("{} {cmp} {}", quantity(lhs, fr), quantity(rhs, fr))
        }
        ExprIr::Const { value } => value.to_string(),
    }
}

fn quantity(n: &NumIr, fr: bool) -> String {
    match n {
        NumIr::Number { value } => number(*value),
        NumIr::Aggregate { function, set, .. } => {
            let name = match (function.as_str(), fr) {
                ("average", true) => "la moyenne de",
                ("weighted average", true) => "la moyenne pondérée de",
                ("min", true) => "la plus basse note de",
                ("max", true) => "la plus haute note de",
                ("sum", true) => "la somme de",
                ("count", true) => "le nombre de réussites parmi",
                ("size", true) => "le nombre de",
                ("count", false) => "the number passed among",
                ("size", false) => "the number of",
                ("min", false) => "the lowest mark of",
                ("max", false) => "the highest mark of",
                ("sum", false) => "the sum of",
                ("weighted average", false) => "the weighted average of",
                _ => "the average of",
            };
            format!("{name} {}", set.join(", "))
        }
        NumIr::Arith { op, lhs, rhs } => {
            format!("({} {op} {})", quantity(lhs, fr), quantity(rhs, fr))
        }
    }
}

/// `SOURCE_DATE_EPOCH` (reproducible outputs) or now, as RFC 3339 UTC.
fn issuance_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Percent-encodes what a URN may not hold.
fn encode(id: &str) -> String {
    let mut out = String::new();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
