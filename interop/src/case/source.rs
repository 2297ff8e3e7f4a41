//! What a CASE package from another tool says that a referential has no
//! field for, kept so that it re-exports: the document's identifier, URI
//! and other fields, each item's identifier, URI, type, code, language,
//! education levels, abbreviated statement…, an indicator's notes (an
//! indicator is a text), the `isChildOf` association
//! that placed it, and every association of another type (`exactMatchOf`,
//! `precedes`, `isRelatedTo`, `exemplar`…), whole; the package's
//! `CFDefinitions` (item types, concepts, subjects, licences, association
//! groupings) and its `CFRubrics` (criteria and levels), whole.
//!
//! They travel in the referential's `meta` entries, one JSON object each,
//! the only place of the language for data it does not interpret:
//! `meta case_document "{…}"`, `meta case_item_0001 "{"id": "C1.2",
//! "item": {…}, "isChildOf": {…}}"` (keyed by the item's position in the
//! source), `meta case_association_0001 "{…}"`, `meta case_definitions
//! "{…}"`, `meta case_rubric_0001 "{…}"`. `acquis export case` reads them
//! back: the entity whose id a record names gets the source's identifier,
//! URI, type and other fields; the other associations, the definitions and
//! the rubrics are written again as they were. An entity renamed or added
//! since the import has no record and gets acquis's own identifier.
//!
//! Only the fields the CASE schema of the version written defines are
//! written in their place ([`fit`], [`fit_object`]); with CASE 1.1 the
//! source's other fields (OpenSALT's `CFDocumentURI`, `CFPackageURI`,
//! `CFItemAssociationURI`, a `null` where CASE wants a text) go in the
//! object's `extensions.acquis.source` ([`unlisted`]), with CASE 1.0 they
//! are written in place where OpenSALT's 1.0 schema names them
//! (`CFPackageURI`, `CFDocumentURI`) and are otherwise left in the
//! records.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::model::{CFAssociation, CFDefinitions, CFDocument, CFItem};
use super::CaseVersion;

/// The meta key of the document's record.
pub const DOCUMENT: &str = "case_document";
/// The prefix of an item's record key (`case_item_0001`).
pub const ITEM: &str = "case_item_";
/// The prefix of another association's key (`case_association_0001`).
pub const ASSOCIATION: &str = "case_association_";
/// The meta key of the package's `CFDefinitions`.
pub const DEFINITIONS: &str = "case_definitions";
/// The prefix of a rubric's key (`case_rubric_0001`).
pub const RUBRIC: &str = "case_rubric_";

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
    pub definitions: Option<CFDefinitions>,
    /// Each rubric as the source wrote it.
    pub rubrics: Vec<Map<String, Value>>,
}

/// Fields the referential itself holds: not kept in the records.
const OWNED: [&str; 3] = ["fullStatement", "notes", "extensions"];
/// An indicator holds its statement only.
const INDICATOR_OWNED: [&str; 2] = ["fullStatement", "extensions"];
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
    if let Some(definitions) = object(raw.get("CFDefinitions")) {
        meta.push((DEFINITIONS.to_string(), json(&definitions)));
    }
    let list = |key: &str| raw.get(key).and_then(Value::as_array);
    let rubrics = list("CFRubrics").map_or(0, Vec::len);
    let width = items
        .len()
        .max(others.len())
        .max(rubrics)
        .to_string()
        .len()
        .max(4);
    for (n, (index, id, parent)) in items.iter().enumerate() {
        let Some(item) = object(list("CFItems").and_then(|l| l.get(*index))) else {
            continue;
        };
        // An indicator is a text: its notes have no place in the
        // referential and stay in the record.
        let owned: &[&str] = if id.contains('#') {
            &INDICATOR_OWNED
        } else {
            &OWNED
        };
        let record = ItemRecord {
            id: id.clone(),
            item: without(&item, owned),
            is_child_of: parent.and_then(|p| object(list("CFAssociations").and_then(|l| l.get(p)))),
        };
        meta.push((format!("{ITEM}{:0width$}", n + 1), json(&record)));
    }
    for (n, index) in others.iter().enumerate() {
        if let Some(a) = object(list("CFAssociations").and_then(|l| l.get(*index))) {
            meta.push((format!("{ASSOCIATION}{:0width$}", n + 1), json(&a)));
        }
    }
    let rubrics = list("CFRubrics").map_or(&[][..], Vec::as_slice);
    for (n, rubric) in rubrics.iter().filter(|r| r.is_object()).enumerate() {
        meta.push((format!("{RUBRIC}{:0width$}", n + 1), json(rubric)));
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
        } else if key == DEFINITIONS {
            if parsed.is_object() {
                source.definitions = CFDefinitions::deserialize(&parsed).ok();
            }
        } else if key.starts_with(RUBRIC) {
            if let Value::Object(rubric) = parsed {
                source.rubrics.push(rubric);
            }
        }
    }
    source
}

/// The objects of a package whose other fields are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Document,
    Item,
    Association,
    Concept,
    Subject,
    License,
    ItemType,
    AssociationGrouping,
    Rubric,
    RubricCriterion,
    RubricCriterionLevel,
}

/// The fields of `object` that CASE defines and that are written from the
/// source, by version: only those are written in their place, so that the
/// package satisfies the official schema (which allows no other). For a
/// document, an item and an association, the fields acquis writes itself
/// (identifier, title, statement…) are not listed; for the others, the
/// source's object is written, so every field the schema defines is
/// (`extensions` is fitted apart). OpenSALT's 1.0 schema names
/// `CFPackageURI` on the document and `CFDocumentURI` on items and
/// associations, which OpenSALT writes.
fn allowed(object: Object, version: CaseVersion) -> &'static [&'static str] {
    use CaseVersion::{V1_0, V1_1};
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
            "CFPackageURI",
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
            "CFDocumentURI",
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
        (Object::Association, V1_0) => &["CFAssociationGroupingURI", "CFDocumentURI"],
        (Object::Concept, _) => &[
            "description",
            "hierarchyCode",
            "identifier",
            "keywords",
            "lastChangeDateTime",
            "title",
            "uri",
        ],
        (Object::Subject, _) => &[
            "description",
            "hierarchyCode",
            "identifier",
            "lastChangeDateTime",
            "title",
            "uri",
        ],
        (Object::License, _) => &[
            "description",
            "identifier",
            "lastChangeDateTime",
            "licenseText",
            "title",
            "uri",
        ],
        (Object::ItemType, _) => &[
            "description",
            "hierarchyCode",
            "identifier",
            "lastChangeDateTime",
            "title",
            "typeCode",
            "uri",
        ],
        (Object::AssociationGrouping, _) => &[
            "description",
            "identifier",
            "lastChangeDateTime",
            "title",
            "uri",
        ],
        (Object::Rubric, _) => &[
            "CFRubricCriteria",
            "description",
            "identifier",
            "lastChangeDateTime",
            "title",
            "uri",
        ],
        (Object::RubricCriterion, _) => &[
            "CFItemURI",
            "CFRubricCriterionLevels",
            "category",
            "description",
            "identifier",
            "lastChangeDateTime",
            "position",
            "rubricId",
            "uri",
            "weight",
        ],
        (Object::RubricCriterionLevel, _) => &[
            "description",
            "feedback",
            "identifier",
            "lastChangeDateTime",
            "position",
            "quality",
            "rubricCriterionId",
            "score",
            "uri",
        ],
    }
}

/// The text fields the schema of `version` requires of a definition,
/// which the source may have left out or `null` (OpenSALT writes an item
/// type's `description` as `null`; CASE 1.1 requires a text): written
/// empty, the source's value kept in `extensions.acquis.source`.
fn required_texts(object: Object, version: CaseVersion) -> &'static [&'static str] {
    match (object, version) {
        (Object::Concept | Object::Subject, _) => &["hierarchyCode", "title"],
        (Object::License, _) => &["licenseText", "title"],
        (Object::ItemType, CaseVersion::V1_1) => &["description", "hierarchyCode", "title"],
        (Object::ItemType, CaseVersion::V1_0) => &["hierarchyCode", "title"],
        (Object::AssociationGrouping, _) => &["title"],
        _ => &[],
    }
}

/// The source's other fields of `object` that a package of `version` may
/// hold in their place (a `null` is no value: left out). OpenSALT's
/// `educationalLevel` (one string) is CASE's `educationLevel` (a list),
/// under that name.
pub fn fit(
    other: &BTreeMap<String, Value>,
    object: Object,
    version: CaseVersion,
) -> BTreeMap<String, Value> {
    let allowed = allowed(object, version);
    let mut kept: BTreeMap<String, Value> = other
        .iter()
        .filter(|(k, v)| allowed.contains(&k.as_str()) && !v.is_null())
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

/// The source's fields of `object` that are not written in their place
/// with `version` (fields CASE does not define there, and `null`s), for
/// `extensions.acquis.source` of a CASE 1.1 package; None when there are
/// none, and always with CASE 1.0, which allows no extensions.
pub fn unlisted<'a>(
    fields: impl IntoIterator<Item = (&'a String, &'a Value)>,
    object: Object,
    version: CaseVersion,
) -> Option<Map<String, Value>> {
    if version == CaseVersion::V1_0 {
        return None;
    }
    let allowed = allowed(object, version);
    let rest: Map<String, Value> = fields
        .into_iter()
        .filter(|(k, v)| {
            let k = k.as_str();
            k != "extensions"
                && !(object == Object::Item && k == "educationalLevel")
                && (v.is_null() || !allowed.contains(&k))
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (!rest.is_empty()).then_some(rest)
}

/// `extensions` of an object from the source, with `acquis.source` set
/// to `source` (when some): None when empty.
pub fn extensions_with(
    extensions: Option<&Value>,
    source: Option<Map<String, Value>>,
) -> Option<Value> {
    let mut extensions = extensions
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(source) = source {
        let acquis = extensions
            .entry("acquis")
            .or_insert_with(|| Value::Object(Map::new()));
        if !acquis.is_object() {
            *acquis = Value::Object(Map::new());
        }
        if let Some(acquis) = acquis.as_object_mut() {
            acquis.insert("source".into(), Value::Object(source));
        }
    }
    (!extensions.is_empty()).then_some(Value::Object(extensions))
}

/// A definition or a rubric of the source, as a package of `version` may
/// hold it: the fields CASE defines in their place (a rubric's criteria
/// and their levels fitted the same way), the required texts the source
/// left out written empty, and with CASE 1.1 the source's own
/// `extensions` and its other fields in `extensions.acquis.source`.
pub fn fit_object(
    source: &Map<String, Value>,
    object: Object,
    version: CaseVersion,
) -> Map<String, Value> {
    let allowed = allowed(object, version);
    let nested = match object {
        Object::Rubric => Some(("CFRubricCriteria", Object::RubricCriterion)),
        Object::RubricCriterion => Some(("CFRubricCriterionLevels", Object::RubricCriterionLevel)),
        _ => None,
    };
    let mut kept = Map::new();
    for (key, value) in source {
        if !allowed.contains(&key.as_str()) || value.is_null() {
            continue;
        }
        let value = match (nested, value) {
            (Some((list, inner)), Value::Array(entries)) if key == list => Value::Array(
                entries
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|e| Value::Object(fit_object(e, inner, version)))
                    .collect(),
            ),
            _ => value.clone(),
        };
        kept.insert(key.clone(), value);
    }
    for key in required_texts(object, version) {
        if !kept.get(*key).is_some_and(Value::is_string) {
            kept.insert((*key).to_string(), Value::from(""));
        }
    }
    if version == CaseVersion::V1_1 {
        let source_fields = unlisted(source, object, version);
        let extensions = if object == Object::RubricCriterionLevel {
            // The one `extensions` CASE 1.1 makes a list of objects.
            let mut list = match source.get("extensions") {
                Some(Value::Array(list)) => list.clone(),
                _ => Vec::new(),
            };
            list.extend(extensions_with(None, source_fields));
            (!list.is_empty()).then_some(Value::Array(list))
        } else {
            extensions_with(source.get("extensions"), source_fields)
        };
        if let Some(extensions) = extensions {
            kept.insert("extensions".into(), extensions);
        }
    }
    kept
}

/// The source's `CFDefinitions` as a package of `version` may hold them.
pub fn definitions(source: &CFDefinitions, version: CaseVersion) -> CFDefinitions {
    let list = |entries: &Option<Vec<Map<String, Value>>>, object| {
        entries.as_ref().map(|entries| {
            entries
                .iter()
                .map(|e| fit_object(e, object, version))
                .collect()
        })
    };
    CFDefinitions {
        association_groupings: list(&source.association_groupings, Object::AssociationGrouping),
        concepts: list(&source.concepts, Object::Concept),
        item_types: list(&source.item_types, Object::ItemType),
        licenses: list(&source.licenses, Object::License),
        subjects: list(&source.subjects, Object::Subject),
        other: match version {
            CaseVersion::V1_1 => source
                .other
                .iter()
                .filter(|(k, v)| k.as_str() == "extensions" && v.is_object())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            CaseVersion::V1_0 => BTreeMap::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    /// A definition: what CASE defines in place, a required text the
    /// source left null written empty, the rest in `extensions.acquis.source`
    /// with 1.1 and left out with 1.0.
    #[test]
    fn a_definition_fits_each_version() {
        let item_type = map(json!({"identifier": "i", "uri": "u", "title": "Standard",
            "description": null, "hierarchyCode": "1", "lastChangeDateTime": "d",
            "CFDocumentURI": {"identifier": "x"}}));
        let v11 = fit_object(&item_type, Object::ItemType, CaseVersion::V1_1);
        assert_eq!(v11["description"], "");
        assert_eq!(
            v11["extensions"],
            json!({"acquis": {"source": {"description": null, "CFDocumentURI": {"identifier": "x"}}}})
        );
        let v10 = fit_object(&item_type, Object::ItemType, CaseVersion::V1_0);
        assert!(v10.get("description").is_none());
        assert!(v10.get("extensions").is_none() && v10.get("CFDocumentURI").is_none());
    }

    /// A rubric's criteria and levels are fitted too; a level's
    /// `extensions` is a list in CASE 1.1, the source's kept first.
    #[test]
    fn a_rubric_fits_down_to_its_levels() {
        let rubric = map(
            json!({"identifier": "r", "uri": "u", "lastChangeDateTime": "d",
            "CFRubricCriteria": [{"identifier": "c", "uri": "u", "lastChangeDateTime": "d",
                "CFRubricCriterionLevels": [{"identifier": "l", "uri": "u",
                    "lastChangeDateTime": "d", "score": 3, "own": 1,
                    "extensions": [{"theirs": true}]}]}]}),
        );
        let v11 = fit_object(&rubric, Object::Rubric, CaseVersion::V1_1);
        let level = &v11["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0];
        assert_eq!(level["score"], json!(3));
        assert_eq!(
            level["extensions"],
            json!([{"theirs": true}, {"acquis": {"source": {"own": 1}}}])
        );
        let v10 = fit_object(&rubric, Object::Rubric, CaseVersion::V1_0);
        let level = &v10["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0];
        assert!(level.get("own").is_none() && level.get("extensions").is_none());
    }
}
