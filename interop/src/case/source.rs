//! What a CASE package from another tool says that a referential has no
//! field for, kept so that it re-exports: the document's identifier, URI
//! and other fields, each item's identifier, URI, type, code, language,
//! education levels, abbreviated statement…, the `isChildOf` association
//! that placed it, and every association of another type (`exactMatchOf`,
//! `precedes`, `isRelatedTo`, `exemplar`…), whole.
//!
//! They travel in the referential's `meta` entries, one JSON object each,
//! the only place of the language for data it does not interpret:
//! `meta case_document "{…}"`, `meta case_item_0001 "{"id": "C1.2",
//! "item": {…}, "isChildOf": {…}}"` (keyed by the item's position in the
//! source), `meta case_association_0001 "{…}"`. `acquis export case`
//! reads them back: the entity whose id a record names gets the source's
//! identifier, URI, type and other fields; the other associations are
//! written again as they were. An entity renamed or added since the import
//! has no record and gets acquis's own identifier.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::model::{CFAssociation, CFDocument, CFItem};

/// The meta key of the document's record.
pub const DOCUMENT: &str = "case_document";
/// The prefix of an item's record key (`case_item_0001`).
pub const ITEM: &str = "case_item_";
/// The prefix of another association's key (`case_association_0001`).
pub const ASSOCIATION: &str = "case_association_";

/// An item's record: which entity it became, the item as the source wrote
/// it (without the texts the referential holds), and its `isChildOf`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ItemRecord {
    /// Our id: `B1`, `C1.2`, `C1.2/CE1`, `C1.2/CE1#1` for an indicator.
    pub id: String,
    pub item: Map<String, Value>,
    #[serde(rename = "isChildOf", default, skip_serializing_if = "Option::is_none")]
    pub is_child_of: Option<Map<String, Value>>,
}

/// The records of a referential, read back from its `meta`.
#[derive(Debug, Default)]
pub struct Source {
    pub document: Option<CFDocument>,
    /// By our id.
    pub items: BTreeMap<String, (CFItem<Option<Value>>, Option<CFAssociation>)>,
    pub associations: Vec<CFAssociation>,
}

/// Fields the referential itself holds: not kept in the records.
const OWNED: [&str; 3] = ["fullStatement", "notes", "extensions"];
const DOCUMENT_OWNED: [&str; 4] = ["title", "description", "version", "extensions"];

fn without(object: &Map<String, Value>, owned: &[&str]) -> Map<String, Value> {
    object
        .iter()
        .filter(|(k, _)| !owned.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The meta entries that keep a foreign package's data: `items` pairs each
/// source item (its index in `CFItems`) with our id and the index of the
/// association that placed it; `others` are the indices of associations
/// that are not `isChildOf`.
pub fn records(
    raw: &Value,
    items: &[(usize, String, Option<usize>)],
    others: &[usize],
) -> Vec<(String, String)> {
    let mut meta = Vec::new();
    let object = |v: Option<&Value>| v.and_then(Value::as_object).cloned();
    if let Some(document) = object(raw.get("CFDocument")) {
        meta.push((
            DOCUMENT.to_string(),
            json(&without(&document, &DOCUMENT_OWNED)),
        ));
    }
    let width = items.len().max(others.len()).to_string().len().max(4);
    let list = |key: &str| raw.get(key).and_then(Value::as_array);
    for (n, (index, id, parent)) in items.iter().enumerate() {
        let Some(item) = object(list("CFItems").and_then(|l| l.get(*index))) else {
            continue;
        };
        let record = ItemRecord {
            id: id.clone(),
            item: without(&item, &OWNED),
            is_child_of: parent.and_then(|p| object(list("CFAssociations").and_then(|l| l.get(p)))),
        };
        meta.push((format!("{ITEM}{:0width$}", n + 1), json(&record)));
    }
    for (n, index) in others.iter().enumerate() {
        if let Some(a) = object(list("CFAssociations").and_then(|l| l.get(*index))) {
            meta.push((format!("{ASSOCIATION}{:0width$}", n + 1), json(&a)));
        }
    }
    meta
}

/// The records of `meta`; an entry that does not read is left out.
pub fn read(meta: &BTreeMap<String, String>) -> Source {
    let mut source = Source::default();
    for (key, value) in meta {
        let Ok(parsed) = serde_json::from_str::<Value>(value) else {
            continue;
        };
        if key == DOCUMENT {
            let mut parsed = parsed;
            if let Some(o) = parsed.as_object_mut() {
                o.entry("title").or_insert_with(|| Value::from(""));
            }
            source.document = CFDocument::deserialize(&parsed).ok();
        } else if key.starts_with(ITEM) {
            let Ok(record) = ItemRecord::deserialize(&parsed) else {
                continue;
            };
            let mut item = record.item;
            item.entry("fullStatement")
                .or_insert_with(|| Value::from(""));
            let Ok(item) = CFItem::<Option<Value>>::deserialize(&Value::Object(item)) else {
                continue;
            };
            let parent = record
                .is_child_of
                .and_then(|a| CFAssociation::deserialize(&Value::Object(a)).ok());
            source.items.insert(record.id, (item, parent));
        } else if key.starts_with(ASSOCIATION) {
            if let Ok(a) = CFAssociation::deserialize(&parsed) {
                source.associations.push(a);
            }
        }
    }
    source
}

/// The objects of a package whose other fields are kept.
#[derive(Debug, Clone, Copy)]
pub enum Object {
    Document,
    Item,
    Association,
}

/// The fields of `object` that CASE defines and acquis has no field for,
/// by version: only those are written back, so that the package satisfies
/// the official schema (which allows no other). The source's other fields
/// (OpenSALT's `CFDocumentURI` on items, `CFItemAssociationURI`) stay in
/// the referential's records.
fn allowed(object: Object, version: super::CaseVersion) -> &'static [&'static str] {
    use super::CaseVersion::{V1_0, V1_1};
    match (object, version) {
        (Object::Document, V1_1) => &[
            "adoptionStatus",
            "frameworkType",
            "licenseURI",
            "notes",
            "officialSourceURL",
            "publisher",
            "statusEndDate",
            "statusStartDate",
            "subject",
            "subjectURI",
        ],
        (Object::Document, V1_0) => &[
            "adoptionStatus",
            "licenseURI",
            "notes",
            "officialSourceURL",
            "publisher",
            "statusEndDate",
            "statusStartDate",
            "subject",
            "subjectURI",
        ],
        (Object::Item, V1_1) => &[
            "CFItemTypeURI",
            "abbreviatedStatement",
            "alternativeLabel",
            "conceptKeywords",
            "conceptKeywordsURI",
            "educationLevel",
            "licenseURI",
            "listEnumeration",
            "statusEndDate",
            "statusStartDate",
            "subject",
            "subjectURI",
        ],
        (Object::Item, V1_0) => &[
            "CFItemTypeURI",
            "abbreviatedStatement",
            "alternativeLabel",
            "conceptKeywords",
            "conceptKeywordsURI",
            "educationLevel",
            "licenseURI",
            "listEnumeration",
            "statusEndDate",
            "statusStartDate",
        ],
        (Object::Association, V1_1) => &["CFAssociationGroupingURI", "notes"],
        (Object::Association, V1_0) => &["CFAssociationGroupingURI"],
    }
}

/// The source's other fields of `object` that a package of `version` may
/// hold. OpenSALT's `educationalLevel` (one string) is CASE's
/// `educationLevel` (a list), under that name.
pub fn fit(
    other: &BTreeMap<String, Value>,
    object: Object,
    version: super::CaseVersion,
) -> BTreeMap<String, Value> {
    let allowed = allowed(object, version);
    let mut kept: BTreeMap<String, Value> = other
        .iter()
        .filter(|(k, _)| allowed.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let (Object::Item, Some(level)) = (object, other.get("educationalLevel")) {
        let levels = match level {
            Value::String(s) => Value::Array(vec![Value::String(s.clone())]),
            other => other.clone(),
        };
        kept.entry("educationLevel".into()).or_insert(levels);
    }
    kept
}
