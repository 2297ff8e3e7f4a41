//! The CASE 1.1 CFPackage as Rust types, written by `acquis export case`
//! and read by `acquis import case`: one definition of each object.
//!
//! **Field order.** Packages have always been written from `serde_json`
//! maps, whose keys come out sorted; serde writes struct fields in their
//! declaration order. So every struct declares its fields in byte order of
//! their JSON names (capitals first: `CFItemType` before `extensions`), and
//! the package keeps the bytes it had. A test checks it
//! (`declared_order_is_sorted`).
//!
//! **Reading.** A package from another tool may hold anything. The import
//! checks the fields it must report on from the raw JSON first (their
//! messages name JSON paths); what it then reads through these types is
//! lenient, as it always was: a field of the wrong type reads as absent
//! (`#[serde(deserialize_with = "lenient")]`), an association that is not
//! an object as one that is not `isChildOf`. `extensions.acquis` is a type
//! parameter: our types on export, the raw JSON on import, where each of
//! its values is checked with its path.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A CFPackage. `P` is what `extensions.acquis` holds on the package, `I`
/// on each item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(
    serialize = "P: Serialize, I: Serialize",
    deserialize = "P: DeserializeOwned + Default, I: DeserializeOwned + Default"
))]
pub struct CFPackage<P = PackageExtension, I = ItemExtension> {
    #[serde(rename = "CFAssociations", default, deserialize_with = "objects")]
    pub associations: Vec<CFAssociation>,
    /// The definitions of a package from another tool (item types,
    /// subjects, licences…), written back as the source gave them; acquis
    /// writes none of its own.
    #[serde(
        rename = "CFDefinitions",
        default = "none",
        deserialize_with = "object",
        skip_serializing_if = "Option::is_none"
    )]
    pub definitions: Option<CFDefinitions>,
    #[serde(rename = "CFDocument")]
    pub document: CFDocument,
    #[serde(rename = "CFItems", default, deserialize_with = "list_or_empty")]
    pub items: Vec<CFItem<I>>,
    /// Never read by the import: unreadable rubrics read as none.
    #[serde(rename = "CFRubrics", default, deserialize_with = "lenient")]
    pub rubrics: Vec<Rubric>,
    #[serde(
        default = "none",
        deserialize_with = "object",
        skip_serializing_if = "Option::is_none"
    )]
    pub extensions: Option<Extensions<P>>,
}

/// A rubric: acquis's own (one per competency with criteria), or one a
/// package from another tool gave, as it was (its fields fitted to the
/// version written: [`super::source::fit_object`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Rubric {
    Acquis(CFRubric),
    Source(Map<String, Value>),
}

/// `CFDefinitions`: each list as the source wrote it (an empty list stays
/// an empty list), each entry an object kept as it was.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFDefinitions {
    #[serde(
        rename = "CFAssociationGroupings",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub association_groupings: Option<Vec<Map<String, Value>>>,
    #[serde(
        rename = "CFConcepts",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub concepts: Option<Vec<Map<String, Value>>>,
    #[serde(
        rename = "CFItemTypes",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub item_types: Option<Vec<Map<String, Value>>>,
    #[serde(
        rename = "CFLicenses",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub licenses: Option<Vec<Map<String, Value>>>,
    #[serde(
        rename = "CFSubjects",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub subjects: Option<Vec<Map<String, Value>>>,
    /// `extensions` and anything else the source wrote there.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// `"extensions": {"acquis": …}`: what CASE has no field for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Extensions<X> {
    #[serde(default)]
    pub acquis: X,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFDocument {
    /// `"1.1"` on export; optional in CASE 1.1 (OpenSALT never writes
    /// it), absent from CASE 1.0.
    #[serde(
        rename = "caseVersion",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub case_version: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub creator: String,
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    pub identifier: String,
    #[serde(default, deserialize_with = "lenient")]
    pub language: String,
    #[serde(rename = "lastChangeDateTime", default, deserialize_with = "lenient")]
    pub last_change: String,
    pub title: String,
    #[serde(default, deserialize_with = "lenient")]
    pub uri: String,
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<String>,
    /// What the package's author wrote that acquis has no field for
    /// (`adoptionStatus`, `CFPackageURI`, `licenseURI`…): kept as it was,
    /// written after the fields above.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A block, competency, criterion or indicator.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(bound(
    serialize = "I: Serialize",
    deserialize = "I: DeserializeOwned + Default"
))]
pub struct CFItem<I = ItemExtension> {
    /// `Block`, `Competency`, `Criterion`, `Indicator`.
    #[serde(rename = "CFItemType", default, deserialize_with = "lenient")]
    pub item_type: String,
    #[serde(
        default = "none",
        deserialize_with = "object",
        skip_serializing_if = "Option::is_none"
    )]
    pub extensions: Option<Extensions<I>>,
    #[serde(rename = "fullStatement")]
    pub full_statement: String,
    /// Our id (`C1.3/CE2`).
    #[serde(
        rename = "humanCodingScheme",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub human_coding_scheme: Option<String>,
    pub identifier: String,
    #[serde(default, deserialize_with = "lenient")]
    pub language: String,
    #[serde(rename = "lastChangeDateTime", default, deserialize_with = "lenient")]
    pub last_change: String,
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub notes: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub uri: String,
    /// The source's other fields (`abbreviatedStatement`,
    /// `educationLevel`, `CFItemTypeURI`…), kept as they were.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// An association; `isChildOf` (child → parent) is the only one written.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFAssociation {
    #[serde(rename = "associationType", default, deserialize_with = "lenient")]
    pub association_type: String,
    /// The parent of an `isChildOf`.
    #[serde(
        rename = "destinationNodeURI",
        default,
        deserialize_with = "object",
        skip_serializing_if = "Option::is_none"
    )]
    pub destination: Option<CFLink>,
    #[serde(default, deserialize_with = "lenient")]
    pub identifier: String,
    #[serde(rename = "lastChangeDateTime", default, deserialize_with = "lenient")]
    pub last_change: String,
    /// The child of an `isChildOf`.
    #[serde(
        rename = "originNodeURI",
        default,
        deserialize_with = "object",
        skip_serializing_if = "Option::is_none"
    )]
    pub origin: Option<CFLink>,
    /// The position among the siblings, from 1.
    #[serde(
        rename = "sequenceNumber",
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub sequence_number: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    pub uri: String,
    /// The source's other fields (`CFDocumentURI`…), kept as they were.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A LinkURI: the title, identifier and URI of another object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFLink {
    pub identifier: String,
    #[serde(default, deserialize_with = "lenient")]
    pub title: String,
    #[serde(default, deserialize_with = "lenient")]
    pub uri: String,
}

/// The rubric of a competency: one criterion per criterion of it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFRubric {
    #[serde(rename = "CFRubricCriteria", default)]
    pub criteria: Vec<CFRubricCriterion>,
    pub identifier: String,
    #[serde(rename = "lastChangeDateTime", default)]
    pub last_change: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub uri: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFRubricCriterion {
    /// The criterion's item.
    #[serde(rename = "CFItemURI")]
    pub item: CFLink,
    /// One per level of the criterion's scale, lowest first.
    #[serde(rename = "CFRubricCriterionLevels", default)]
    pub levels: Vec<CFRubricCriterionLevel>,
    /// The criterion's scale.
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    pub identifier: String,
    #[serde(rename = "lastChangeDateTime", default)]
    pub last_change: String,
    #[serde(default)]
    pub position: usize,
    #[serde(rename = "rubricId", default)]
    pub rubric_id: String,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CFRubricCriterionLevel {
    /// `acquired` from the pass level up, else `not acquired`.
    #[serde(default)]
    pub description: String,
    pub identifier: String,
    #[serde(rename = "lastChangeDateTime", default)]
    pub last_change: String,
    #[serde(default)]
    pub position: usize,
    /// The level (or the mark, for a numeric scale).
    #[serde(default)]
    pub quality: String,
    #[serde(rename = "rubricCriterionId", default)]
    pub rubric_criterion_id: String,
    /// The level's rank from 0 (or the mark).
    #[serde(default)]
    pub score: f64,
    #[serde(default)]
    pub uri: String,
}

/// `extensions.acquis` of the package: what makes the round trip exact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PackageExtension {
    pub assessments: Vec<AssessmentExtension>,
    pub certification: CertificationExtension,
    pub referential: ReferentialExtension,
    pub scales: Vec<ScaleExtension>,
    /// [`super::EXTENSION_VERSION`].
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CertificationExtension {
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReferentialExtension {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accommodation: Option<String>,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    pub meta: BTreeMap<String, String>,
}

/// A scale: `levels`, or `min`, `max` and `step`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScaleExtension {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// A level or a number, as source text.
    pub pass: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Every field of the IR's assessment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AssessmentExtension {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accommodations: Vec<AccommodationExtension>,
    pub block: String,
    pub covers: Vec<String>,
    /// Criteria shared in its `jointly` sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliverables: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationExtension>,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Its marked parts (`part ecrit "Écrit" { coefficient 2 … }`), in
    /// order: CASE has no object for an épreuve's marks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartExtension>,
    /// `validated when …` over its parts, as source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
    pub title: String,
}

/// A part of an assessment: its short id (`ecrit`), title, scale, pass
/// mark, coefficient, duration, form, and whether it is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PartExtension {
    pub coefficient: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationExtension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub examiners: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    pub id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    pub pass: String,
    pub scale: String,
    pub title: String,
}

/// `{"minutes": 90}` or `{"text": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DurationExtension {
    Minutes { minutes: f64 },
    Text { text: String },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AccommodationExtension {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "for", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `extensions.acquis` of an item: a block's texts and rule, a
/// competency's rule, a criterion's owner, scale, pass and weight.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemExtension {
    /// Our id, when `humanCodingScheme` is the source's code (a package
    /// imported from another tool, exported again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Our kind (`Block`, `Competency`, `Criterion`, `Indicator`), when
    /// `CFItemType` is the source's (`Standard`, `Cluster`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When the criterion's pass is not its scale's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
    /// The compiled rule, printed as source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub situations: Vec<SituationExtension>,
    /// The fields a package from another tool wrote on the item that CASE
    /// 1.1 has no place for (OpenSALT's `CFDocumentURI`,
    /// `CFItemAssociationURI`), as it wrote them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// When not 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SituationExtension {
    pub activities: Vec<String>,
    pub notes: Vec<String>,
    pub title: String,
}

/// A package as the import reads it: every `extensions.acquis` left as
/// JSON (absent or `null`: None), for the checks that name its paths.
pub type RawPackage = CFPackage<Option<Value>, Option<Value>>;

fn none<T>() -> Option<T> {
    None
}

/// The value when it has the field's type, else the default (absent).
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let value = Value::deserialize(deserializer)?;
    Ok(T::deserialize(value).unwrap_or_default())
}

/// An object read as `T` (a struct, or an option of one), anything else
/// (a list too, which serde would read field by field) as the default.
fn object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(readable_object(Value::deserialize(deserializer)?))
}

fn readable_object<T: DeserializeOwned + Default>(value: Value) -> T {
    if value.is_object() {
        T::deserialize(value).unwrap_or_default()
    } else {
        T::default()
    }
}

/// A list of objects read one by one, anything unreadable as the default
/// (so indices stay those of the JSON); anything but a list as none.
fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(values) => values.into_iter().map(readable_object).collect(),
        _ => Vec::new(),
    })
}

/// A list whose elements must read (checked before), or none when the
/// field is not a list.
fn list_or_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Value::deserialize(deserializer)? {
        Value::Array(values) => values
            .into_iter()
            .map(|v| T::deserialize(v).map_err(serde::de::Error::custom))
            .collect(),
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serialising gives the keys in the order a `serde_json::Map` would
    /// (sorted), so packages keep their bytes: every field, every option.
    #[test]
    fn declared_order_is_sorted() {
        let link = CFLink {
            identifier: "i".into(),
            title: "t".into(),
            uri: "u".into(),
        };
        let package: CFPackage = CFPackage {
            associations: vec![CFAssociation {
                association_type: "isChildOf".into(),
                destination: Some(link.clone()),
                identifier: "a".into(),
                last_change: "d".into(),
                origin: Some(link.clone()),
                sequence_number: Some(1),
                uri: "u".into(),
                other: BTreeMap::new(),
            }],
            definitions: Some(CFDefinitions {
                association_groupings: Some(Vec::new()),
                concepts: Some(Vec::new()),
                item_types: Some(vec![Map::from_iter([("title".into(), "t".into())])]),
                licenses: None,
                subjects: Some(Vec::new()),
                other: BTreeMap::from([("extensions".into(), serde_json::json!({}))]),
            }),
            document: CFDocument {
                case_version: Some("1.1".into()),
                creator: "c".into(),
                description: Some("d".into()),
                identifier: "i".into(),
                language: "fr".into(),
                last_change: "d".into(),
                title: "t".into(),
                uri: "u".into(),
                version: Some("1".into()),
                other: BTreeMap::new(),
            },
            items: vec![CFItem {
                item_type: "Block".into(),
                extensions: Some(Extensions {
                    acquis: ItemExtension {
                        id: Some("C1".into()),
                        kind: Some("Block".into()),
                        missions: vec!["m".into()],
                        owner: Some("o".into()),
                        pass: Some("p".into()),
                        rule: Some("r".into()),
                        scale: Some("s".into()),
                        situations: vec![SituationExtension {
                            activities: vec!["a".into()],
                            notes: vec!["n".into()],
                            title: "t".into(),
                        }],
                        source: Some(Map::from_iter([("CFDocumentURI".into(), "d".into())])),
                        summary: Some("s".into()),
                        weight: Some(2.0),
                    },
                }),
                full_statement: "f".into(),
                human_coding_scheme: Some("h".into()),
                identifier: "i".into(),
                language: "fr".into(),
                last_change: "d".into(),
                notes: Some("n".into()),
                uri: "u".into(),
                other: BTreeMap::new(),
            }],
            rubrics: vec![Rubric::Acquis(CFRubric {
                criteria: vec![CFRubricCriterion {
                    item: link,
                    levels: vec![CFRubricCriterionLevel {
                        description: "acquired".into(),
                        identifier: "i".into(),
                        last_change: "d".into(),
                        position: 1,
                        quality: "q".into(),
                        rubric_criterion_id: "r".into(),
                        score: 0.0,
                        uri: "u".into(),
                    }],
                    category: "c".into(),
                    description: "d".into(),
                    identifier: "i".into(),
                    last_change: "d".into(),
                    position: 1,
                    rubric_id: "r".into(),
                    uri: "u".into(),
                    weight: 1.0,
                }],
                identifier: "i".into(),
                last_change: "d".into(),
                title: "t".into(),
                uri: "u".into(),
            })],
            extensions: Some(Extensions {
                acquis: PackageExtension {
                    assessments: vec![AssessmentExtension {
                        accommodations: vec![AccommodationExtension {
                            description: Some("d".into()),
                            context: Some("c".into()),
                            kind: "k".into(),
                            value: Some("1/3".into()),
                        }],
                        block: "B1".into(),
                        covers: vec!["C1".into()],
                        criteria: vec!["E1/CE1".into()],
                        deliverables: vec!["d".into()],
                        description: Some("d".into()),
                        docs: vec!["d".into()],
                        duration: Some(DurationExtension::Minutes { minutes: 90.0 }),
                        id: "E1".into(),
                        kind: Some("k".into()),
                        notes: vec!["n".into()],
                        parts: vec![PartExtension {
                            docs: vec!["d".into()],
                            id: "ecrit".into(),
                            title: "Écrit".into(),
                            scale: "s".into(),
                            pass: "10".into(),
                            coefficient: 2.5,
                            duration: Some(DurationExtension::Text { text: "3 h".into() }),
                            examiners: Some("un jury".into()),
                            form: Some("ponctuelle".into()),
                            optional: true,
                        }],
                        rule: Some("weighted average(parts) >= 10".into()),
                        tasks: vec!["t".into()],
                        title: "t".into(),
                    }],
                    certification: CertificationExtension { rule: "r".into() },
                    referential: ReferentialExtension {
                        accommodation: Some("a".into()),
                        id: "R".into(),
                        level: Some(3),
                        meta: BTreeMap::from([("b".into(), "2".into()), ("a".into(), "1".into())]),
                    },
                    scales: vec![
                        ScaleExtension {
                            id: "s".into(),
                            levels: Some(vec!["a".into()]),
                            pass: "a".into(),
                            title: Some("t".into()),
                            ..ScaleExtension::default()
                        },
                        ScaleExtension {
                            id: "n".into(),
                            max: Some(20.0),
                            min: Some(0.0),
                            pass: "10".into(),
                            step: Some(0.5),
                            ..ScaleExtension::default()
                        },
                    ],
                    version: 1,
                },
            }),
        };
        let direct = serde_json::to_string_pretty(&package).unwrap_or_default();
        let value = serde_json::to_value(&package).unwrap_or_default();
        let sorted = serde_json::to_string_pretty(&value).unwrap_or_default();
        assert!(!direct.is_empty());
        assert_eq!(direct, sorted);
        // And the package reads back as itself.
        let back: Result<CFPackage, _> = serde_json::from_str(&direct);
        assert_eq!(back.ok().as_ref(), Some(&package));
    }

    /// Fields of the wrong type read as absent; an association that is not
    /// an object reads as one of no type.
    #[test]
    fn reading_is_lenient() {
        let json = serde_json::json!({
            "CFDocument": {"caseVersion": "1.1", "identifier": "d", "title": "T",
                           "version": 5, "language": ["fr"]},
            "CFItems": [{"identifier": "i", "fullStatement": "S", "notes": null,
                         "extensions": 3, "sequenceNumber": "x"}],
            "CFAssociations": [7, ["isChildOf"], {"associationType": "isChildOf", "sequenceNumber": 1.5,
                                   "originNodeURI": {"identifier": 4}, "destinationNodeURI": ["d"]}],
            "CFRubrics": {"not": "a list"},
        });
        let package = RawPackage::deserialize(&json);
        let package = package.ok();
        let document = package.as_ref().map(|p| &p.document);
        assert_eq!(document.and_then(|d| d.version.clone()), None);
        assert_eq!(document.map(|d| d.language.as_str()), Some(""));
        let associations = package.as_ref().map(|p| p.associations.clone());
        assert_eq!(
            associations,
            Some(vec![
                CFAssociation::default(),
                CFAssociation::default(),
                CFAssociation {
                    association_type: "isChildOf".into(),
                    ..CFAssociation::default()
                }
            ])
        );
        assert_eq!(package.map(|p| p.items[0].extensions.is_none()), Some(true));
    }
}
