//! CASE 1.1 (1EdTech Competencies and Academic Standards Exchange): export a
//! referential as a CFPackage, import a CFPackage as a `.acquis` skeleton.
//!
//! Blocks, competencies, criteria and indicators are CFItems linked by
//! `isChildOf` associations in order; criteria get CFRubrics whose levels
//! come from their scales. Everything CASE has no field for (rules, scales,
//! assessments, block texts) travels in `extensions.acquis`, so that export
//! → import → export gives the same package. Identifiers are UUID v5 of the
//! referential and entity ids: a re-export does not churn.

use acquis_ir::{AssessmentIr, DurationIr, Ir, ScaleIr, ScaleKindIr, ValueIr};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::skeleton::number;
use acquis_ir::print::{self as rule_text, value_text};

/// When the referential gives no `meta last_change`: the package must be
/// the same at every export, so the time of the export cannot be used.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// Stable identifiers: one namespace per referential, one UUID per entity.
struct Ids {
    namespace: Uuid,
}

impl Ids {
    fn new(referential: &str) -> Self {
        Ids {
            namespace: Uuid::new_v5(
                &Uuid::NAMESPACE_URL,
                format!("urn:acquis:referential:{referential}").as_bytes(),
            ),
        }
    }

    fn of(&self, kind: &str, id: &str) -> String {
        Uuid::new_v5(&self.namespace, format!("{kind}:{id}").as_bytes()).to_string()
    }
}

/// The CASE identifier of an item (`kind` `Block`, `Competency`,
/// `Criterion`) of a referential: what Open Badges alignments point to.
pub fn item_identifier(referential: &str, kind: &str, id: &str) -> String {
    Ids::new(referential).of(kind, id)
}

fn uri(identifier: &str) -> String {
    format!("urn:uuid:{identifier}")
}

fn link(title: &str, identifier: &str) -> Value {
    json!({ "title": title, "identifier": identifier, "uri": uri(identifier) })
}

pub fn export(ir: &Ir) -> Result<(String, Vec<String>), String> {
    let r = &ir.referential;
    let ids = Ids::new(&r.id);
    let mut warnings = Vec::new();
    let date = match r.meta.get("last_change") {
        None => EPOCH.to_string(),
        Some(text) => date_time::of(text).unwrap_or_else(|| {
            warnings.push(format!(
                "`meta last_change \"{text}\"` is not a date (YYYY-MM-DD) or an RFC 3339 date-time: \
                 lastChangeDateTime is {EPOCH}"
            ));
            EPOCH.to_string()
        }),
    };
    let creator = r
        .meta
        .get("creator")
        .or_else(|| r.meta.get("certificateur"))
        .cloned()
        .unwrap_or_else(|| r.id.clone());
    let doc_id = ids.of("document", &r.id);
    let mut document = Map::new();
    document.insert("identifier".into(), json!(doc_id));
    document.insert("uri".into(), json!(uri(&doc_id)));
    document.insert("creator".into(), json!(creator));
    document.insert("title".into(), json!(r.title));
    document.insert("lastChangeDateTime".into(), json!(date));
    if !r.docs.is_empty() {
        document.insert("description".into(), json!(r.docs.join("\n")));
    }
    document.insert("language".into(), json!(r.lang));
    if let Some(version) = &r.version {
        document.insert("version".into(), json!(version));
    }
    document.insert("caseVersion".into(), json!("1.1"));

    let is_criterion = |id: &str| ir.criteria.iter().any(|k| k.id == id);
    let rule = |expr| rule_text::source(expr, &is_criterion);
    let mut items = Vec::new();
    let mut associations = Vec::new();
    let mut rubrics = Vec::new();
    let mut item = |kind: &str, code: &str, statement: &str, notes: &[String], ext: Value| {
        let identifier = ids.of(kind, code);
        let mut object = Map::new();
        object.insert("identifier".into(), json!(identifier));
        object.insert("fullStatement".into(), json!(statement));
        object.insert("CFItemType".into(), json!(kind));
        object.insert("uri".into(), json!(uri(&identifier)));
        object.insert("humanCodingScheme".into(), json!(code));
        if !notes.is_empty() {
            object.insert("notes".into(), json!(notes.join("\n")));
        }
        object.insert("language".into(), json!(r.lang));
        object.insert("lastChangeDateTime".into(), json!(date));
        if ext.as_object().is_some_and(|o| !o.is_empty()) {
            object.insert("extensions".into(), json!({ "acquis": ext }));
        }
        items.push(Value::Object(object));
        identifier
    };
    let child_of = |child: (&str, &str),
                    parent: (&str, &str),
                    sequence: usize,
                    associations: &mut Vec<Value>| {
        let identifier = ids.of("isChildOf", &format!("{}>{}", child.0, parent.0));
        associations.push(json!({
            "identifier": identifier,
            "associationType": "isChildOf",
            "sequenceNumber": sequence,
            "uri": uri(&identifier),
            "originNodeURI": link(child.1, child.0),
            "destinationNodeURI": link(parent.1, parent.0),
            "lastChangeDateTime": date,
        }));
    };
    let mut emitted: Vec<String> = Vec::new();
    for (bi, block) in ir.blocks.iter().enumerate() {
        let situations: Vec<Value> = block
            .situations
            .iter()
            .map(|s| json!({ "title": s.title, "activities": s.activities, "notes": s.notes }))
            .collect();
        let mut ext = Map::new();
        if let Some(summary) = &block.summary {
            ext.insert("summary".into(), json!(summary));
        }
        if !block.missions.is_empty() {
            ext.insert("missions".into(), json!(block.missions));
        }
        if !situations.is_empty() {
            ext.insert("situations".into(), json!(situations));
        }
        ext.insert("rule".into(), json!(rule(&block.rule.expr)));
        let block_uuid = item(
            "Block",
            &block.id,
            &block.title,
            &block.docs,
            Value::Object(ext),
        );
        child_of(
            (&block_uuid, &block.title),
            (&doc_id, &r.title),
            bi + 1,
            &mut associations,
        );
        for (ci, cid) in block.competencies.iter().enumerate() {
            let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
                continue;
            };
            let c_uuid = item(
                "Competency",
                &c.id,
                &c.title,
                &c.docs,
                json!({ "rule": rule(&c.rule.expr) }),
            );
            child_of(
                (&c_uuid, &c.title),
                (&block_uuid, &block.title),
                ci + 1,
                &mut associations,
            );
            let mut rubric_criteria = Vec::new();
            for (ki, kid) in c.criteria.iter().enumerate() {
                let Some(k) = ir.criteria.iter().find(|k| &k.id == kid) else {
                    continue;
                };
                let k_uuid = ids.of("Criterion", &k.id);
                if !emitted.contains(&k.id) {
                    emitted.push(k.id.clone());
                    let scale = ir.scales.iter().find(|s| s.id == k.scale);
                    let mut ext = Map::new();
                    ext.insert("owner".into(), json!(k.owner));
                    ext.insert("scale".into(), json!(k.scale));
                    if scale.is_none_or(|s| s.pass != k.pass) {
                        ext.insert("pass".into(), json!(value_text(&k.pass)));
                    }
                    if k.weight != 1.0 {
                        ext.insert("weight".into(), json!(k.weight));
                    }
                    item("Criterion", &k.id, &k.title, &k.docs, Value::Object(ext));
                    for (ii, text) in k.indicators.iter().enumerate() {
                        let code = format!("{}#{}", k.id, ii + 1);
                        let i_uuid = item("Indicator", &code, text, &[], json!({}));
                        child_of(
                            (&i_uuid, text),
                            (&k_uuid, &k.title),
                            ii + 1,
                            &mut associations,
                        );
                    }
                }
                child_of(
                    (&k_uuid, &k.title),
                    (&c_uuid, &c.title),
                    ki + 1,
                    &mut associations,
                );
                let rc_id = ids.of("CFRubricCriterion", &format!("{}>{}", c.id, k.id));
                let levels = ir
                    .scales
                    .iter()
                    .find(|s| s.id == k.scale)
                    .map(|s| rubric_levels(s, &k.pass, &ids, &rc_id, &date))
                    .unwrap_or_default();
                rubric_criteria.push(json!({
                    "identifier": rc_id,
                    "uri": uri(&rc_id),
                    "category": k.scale,
                    "description": k.title,
                    "CFItemURI": link(&k.title, &k_uuid),
                    "weight": k.weight,
                    "position": ki + 1,
                    "rubricId": ids.of("CFRubric", &c.id),
                    "lastChangeDateTime": date,
                    "CFRubricCriterionLevels": levels,
                }));
            }
            if !rubric_criteria.is_empty() {
                let rubric_id = ids.of("CFRubric", &c.id);
                rubrics.push(json!({
                    "identifier": rubric_id,
                    "uri": uri(&rubric_id),
                    "title": format!("{} {}", c.id, c.title),
                    "lastChangeDateTime": date,
                    "CFRubricCriteria": rubric_criteria,
                }));
            }
        }
    }
    let mut referential = Map::new();
    referential.insert("id".into(), json!(r.id));
    if let Some(level) = r.level {
        referential.insert("level".into(), json!(level));
    }
    referential.insert("meta".into(), json!(r.meta));
    if let Some(text) = &r.accommodation {
        referential.insert("accommodation".into(), json!(text));
    }
    let scales: Vec<Value> = ir.scales.iter().map(scale_json).collect();
    let assessments: Vec<Value> = ir.assessments.iter().map(assessment_json).collect();
    let package = json!({
        "CFDocument": Value::Object(document),
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": rubrics,
        "extensions": { "acquis": {
            "version": 1,
            "referential": Value::Object(referential),
            "scales": scales,
            "assessments": assessments,
            "certification": { "rule": rule(&ir.certification.rule.expr) },
        } },
    });
    serde_json::to_string_pretty(&package)
        .map(|mut text| {
            text.push('\n');
            (text, warnings)
        })
        .map_err(|e| format!("cannot write the package: {e}"))
}

/// A CFRubricCriterionLevel per level of the scale (score: its rank), or for
/// a numeric range its minimum, pass mark and maximum (score: the mark).
fn rubric_levels(
    scale: &ScaleIr,
    pass: &ValueIr,
    ids: &Ids,
    parent: &str,
    date: &str,
) -> Vec<Value> {
    let marks: Vec<(String, f64, bool)> = match &scale.kind {
        ScaleKindIr::Levels { levels } => {
            let pass_rank = match pass {
                ValueIr::Level(l) => levels.iter().position(|x| x == l).unwrap_or(0),
                ValueIr::Number(_) => 0,
            };
            levels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.clone(), i as f64, i >= pass_rank))
                .collect()
        }
        ScaleKindIr::Range { min, max, .. } => {
            let p = match pass {
                ValueIr::Number(n) => *n,
                ValueIr::Level(_) => *max,
            };
            let mut marks = vec![(number(*min), *min, *min >= p)];
            if p > *min && p < *max {
                marks.push((number(p), p, true));
            }
            marks.push((number(*max), *max, true));
            marks
        }
    };
    marks
        .into_iter()
        .enumerate()
        .map(|(i, (quality, score, passing))| {
            let id =
                Uuid::new_v5(&ids.namespace, format!("level:{parent}:{i}").as_bytes()).to_string();
            json!({
                "identifier": id,
                "uri": uri(&id),
                "quality": quality,
                "score": score,
                "description": if passing { "acquired" } else { "not acquired" },
                "position": i + 1,
                "rubricCriterionId": parent,
                "lastChangeDateTime": date,
            })
        })
        .collect()
}

fn scale_json(s: &ScaleIr) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(s.id));
    if let Some(title) = &s.title {
        object.insert("title".into(), json!(title));
    }
    match &s.kind {
        ScaleKindIr::Levels { levels } => {
            object.insert("levels".into(), json!(levels));
        }
        ScaleKindIr::Range { min, max, step } => {
            object.insert("min".into(), json!(min));
            object.insert("max".into(), json!(max));
            object.insert("step".into(), json!(step));
        }
    }
    object.insert("pass".into(), json!(value_text(&s.pass)));
    Value::Object(object)
}

fn assessment_json(a: &AssessmentIr) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(a.id));
    object.insert("title".into(), json!(a.title));
    object.insert("block".into(), json!(a.block));
    object.insert("covers".into(), json!(a.covers));
    let mut put = |key: &str, v: Value| {
        if !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)) {
            object.insert(key.into(), v);
        }
    };
    put("docs", json!(a.docs));
    put("kind", json!(a.kind));
    put("description", json!(a.description));
    put("tasks", json!(a.tasks));
    put("deliverables", json!(a.deliverables));
    put("notes", json!(a.notes));
    put(
        "duration",
        match &a.duration {
            Some(DurationIr::Minutes { minutes }) => json!({ "minutes": minutes }),
            Some(DurationIr::Text { text }) => json!({ "text": text }),
            None => Value::Null,
        },
    );
    put(
        "accommodations",
        Value::Array(
            a.accommodations
                .iter()
                .map(|x| {
                    let mut o = Map::new();
                    o.insert("kind".into(), json!(x.kind));
                    for (k, v) in [
                        ("value", &x.value),
                        ("for", &x.context),
                        ("description", &x.description),
                    ] {
                        if let Some(v) = v {
                            o.insert(k.into(), json!(v));
                        }
                    }
                    Value::Object(o)
                })
                .collect(),
        ),
    );
    put("criteria", json!(a.criteria));
    Value::Object(object)
}

pub use import::import;

mod checks;
mod date_time;
mod import;
