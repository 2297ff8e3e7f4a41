//! CASE 1.1 (1EdTech Competencies and Academic Standards Exchange): export a
//! referential as a CFPackage, import a CFPackage as a `.acquis` skeleton.
//!
//! Blocks, competencies, criteria and indicators are CFItems linked by
//! `isChildOf` associations in order; criteria get CFRubrics whose levels
//! come from their scales. Everything CASE has no field for (rules, scales,
//! assessments, block texts) travels in `extensions.acquis`, so that export
//! → import → export gives the same package. Identifiers are UUID v5 of the
//! referential and entity ids: a re-export does not churn. The package's
//! objects are the types of [`model`], for both directions.

use std::collections::{BTreeMap, HashMap};

use acquis_ir::{AssessmentIr, DurationIr, Ir, ScaleIr, ScaleKindIr, ValueIr};
use uuid::Uuid;

use source::Object;

use super::skeleton::Referential;
use crate::warning::InteropWarning;
use crate::InteropError;
use acquis_ir::print::{self as rule_text, value_text};
use model::{
    AccommodationExtension, AssessmentExtension, CFAssociation, CFDocument, CFItem, CFLink,
    CFPackage, CFRubric, CFRubricCriterion, CFRubricCriterionLevel, CertificationExtension,
    DurationExtension, Extensions, ItemExtension, PackageExtension, PartExtension,
    ReferentialExtension, Rubric, ScaleExtension, SituationExtension,
};

/// The version of `extensions.acquis` written, and the only one read.
pub const EXTENSION_VERSION: u64 = 1;

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

/// The `sequenceNumber`s of a package from another tool, written again
/// where they still say the order: for each parent, when every child's
/// `isChildOf` came from the source with a number and the numbers rise in
/// the children's order (OpenCASE numbers children across the whole
/// framework: 20, 21… under one parent). Otherwise, the children's
/// positions, 1, 2, 3….
fn keep_sequence_numbers(associations: &mut [CFAssociation], source: &source::Source) {
    let theirs: HashMap<&str, i64> = source
        .items
        .values()
        .filter_map(|(_, a)| a.as_ref())
        .filter_map(|a| Some((a.identifier.as_str(), a.sequence_number?)))
        .collect();
    if theirs.is_empty() {
        return;
    }
    let mut children: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in associations.iter().enumerate() {
        if let Some(parent) = &a.destination {
            children
                .entry(parent.identifier.clone())
                .or_default()
                .push(i);
        }
    }
    for indices in children.values() {
        let numbers: Option<Vec<i64>> = indices
            .iter()
            .map(|&i| {
                associations
                    .get(i)
                    .and_then(|a| theirs.get(a.identifier.as_str()).copied())
            })
            .collect();
        let Some(numbers) = numbers else { continue };
        if numbers.windows(2).all(|w| w[0] < w[1]) {
            for (&i, n) in indices.iter().zip(numbers) {
                if let Some(a) = associations.get_mut(i) {
                    a.sequence_number = Some(n);
                }
            }
        }
    }
}

fn link(title: &str, identifier: &str) -> CFLink {
    CFLink {
        identifier: identifier.to_string(),
        title: title.to_string(),
        uri: uri(identifier),
    }
}

/// The version of CASE a package is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseVersion {
    /// CASE 1.0, for older servers (OpenSALT 3.2 validates imports with
    /// the 1.0 schema): no `caseVersion`, no `extensions`, which the 1.0
    /// schema forbids; what travels there is lost (warning A0858).
    V1_0,
    /// CASE 1.1, the default.
    #[default]
    V1_1,
}

/// The referential as a CASE 1.1 CFPackage, with the warnings to show (a
/// `meta last_change` that is not a date).
pub fn package(ir: &Ir) -> (CFPackage, Vec<InteropWarning>) {
    package_for(ir, CaseVersion::V1_1)
}

/// The referential as a CFPackage of `version`, with the warnings to show.
pub fn package_for(ir: &Ir, version: CaseVersion) -> (CFPackage, Vec<InteropWarning>) {
    let r = &ir.referential;
    let ids = Ids::new(&r.id);
    let source = source::read(&r.meta);
    let mut warnings = Vec::new();
    let from_source = source.document.as_ref();
    // The source's date-time of an object it wrote, when it is one: a
    // package from another tool keeps its `lastChangeDateTime`s.
    let kept = |theirs: &str, ours: &str| date_time::of(theirs).unwrap_or_else(|| ours.to_string());
    let date = match r.meta.get("last_change") {
        None => from_source.map_or(EPOCH.to_string(), |d| kept(&d.last_change, EPOCH)),
        Some(text) => date_time::of(text).unwrap_or_else(|| {
            warnings.push(InteropWarning::LastChangeNotADate {
                text: text.clone(),
                epoch: EPOCH,
                at: crate::warning::place(ir, &r.span),
            });
            EPOCH.to_string()
        }),
    };
    let creator = r
        .meta
        .get("creator")
        .or_else(|| r.meta.get("certificateur"))
        .cloned()
        .unwrap_or_else(|| r.id.clone());
    let doc_id = from_source
        .map(|d| d.identifier.clone())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| ids.of("document", &r.id));
    let document = CFDocument {
        case_version: (version == CaseVersion::V1_1).then(|| "1.1".into()),
        creator,
        description: (!r.docs.is_empty()).then(|| r.docs.join("\n")),
        uri: from_source
            .map(|d| d.uri.clone())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| uri(&doc_id)),
        identifier: doc_id.clone(),
        language: from_source
            .map(|d| d.language.clone())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| r.lang.clone()),
        last_change: date.clone(),
        title: r.title.clone(),
        version: r.version.clone(),
        other: from_source
            .map(|d| {
                let mut other = source::fit(&d.other, Object::Document, version);
                let unlisted = source::unlisted(&d.other, Object::Document, version);
                if let Some(e) = source::extensions_with(None, unlisted) {
                    other.insert("extensions".into(), e);
                }
                other
            })
            .unwrap_or_default(),
    };
    // The identifier of an entity: the source's when it was imported.
    let identifier_of = |kind: &str, code: &str| {
        source
            .items
            .get(code)
            .map(|(item, _)| item.identifier.clone())
            .filter(|i| !i.is_empty())
            .unwrap_or_else(|| ids.of(kind, code))
    };

    let is_criterion = |id: &str| ir.criteria.iter().any(|k| k.id == id);
    let rule = |expr| rule_text::source(expr, &is_criterion);
    let mut items = Vec::new();
    let mut associations = Vec::new();
    let mut rubrics = Vec::new();
    let mut item = |kind: &str,
                    code: &str,
                    statement: &str,
                    notes: &[String],
                    mut ext: Option<ItemExtension>| {
        let identifier = identifier_of(kind, code);
        let mut cf = CFItem {
            item_type: kind.to_string(),
            extensions: None,
            full_statement: statement.to_string(),
            human_coding_scheme: Some(code.to_string()),
            uri: uri(&identifier),
            identifier: identifier.clone(),
            language: r.lang.clone(),
            last_change: date.clone(),
            notes: (!notes.is_empty()).then(|| notes.join("\n")),
            other: BTreeMap::new(),
        };
        if let Some((from, _)) = source.items.get(code) {
            if !from.uri.is_empty() {
                cf.uri = from.uri.clone();
            }
            cf.last_change = kept(&from.last_change, &date);
            // An indicator's notes, which only the record holds.
            if cf.notes.is_none() {
                cf.notes.clone_from(&from.notes);
            }
            if !from.language.is_empty() {
                cf.language = from.language.clone();
            }
            if !from.item_type.is_empty() && from.item_type != kind {
                cf.item_type = from.item_type.clone();
                ext.get_or_insert_with(ItemExtension::default).kind = Some(kind.to_string());
            }
            if from.human_coding_scheme.as_deref() != Some(code) {
                cf.human_coding_scheme = from.human_coding_scheme.clone();
                ext.get_or_insert_with(ItemExtension::default).id = Some(code.to_string());
            }
            cf.other = source::fit(&from.other, Object::Item, version);
            if let Some(unlisted) = source::unlisted(&from.other, Object::Item, version) {
                ext.get_or_insert_with(ItemExtension::default).source = Some(unlisted);
            }
        }
        if version == CaseVersion::V1_1 {
            cf.extensions = ext.map(|acquis| Extensions { acquis });
        }
        items.push(cf);
        identifier
    };
    let child_of = |child: (&str, &str, &str),
                    parent: (&str, &str),
                    sequence: usize,
                    associations: &mut Vec<CFAssociation>| {
        // The source's association, while it links the same two items: an
        // item placed elsewhere gets an association of its own, never the
        // source's identifier for another link.
        let from = source
            .items
            .get(child.2)
            .and_then(|(_, a)| a.as_ref())
            .filter(|a| {
                a.destination
                    .as_ref()
                    .is_some_and(|d| d.identifier == parent.0)
            });
        let identifier = from
            .map(|a| a.identifier.clone())
            .filter(|i| !i.is_empty())
            .unwrap_or_else(|| ids.of("isChildOf", &format!("{}>{}", child.0, parent.0)));
        // The source's links, as it wrote them (their `uri` may differ
        // from the item's own), while they name the same items.
        let kept_link = |ours: CFLink, theirs: Option<&CFLink>| match theirs {
            Some(t) if t.identifier == ours.identifier => t.clone(),
            _ => ours,
        };
        associations.push(CFAssociation {
            association_type: "isChildOf".into(),
            destination: Some(kept_link(
                link(parent.1, parent.0),
                from.and_then(|a| a.destination.as_ref()),
            )),
            uri: from
                .map(|a| a.uri.clone())
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| uri(&identifier)),
            identifier,
            last_change: from.map_or(date.clone(), |a| kept(&a.last_change, &date)),
            origin: Some(kept_link(
                link(child.1, child.0),
                from.and_then(|a| a.origin.as_ref()),
            )),
            sequence_number: Some(i64::try_from(sequence).unwrap_or(i64::MAX)),
            other: from
                .map(|a| association_other(a, version))
                .unwrap_or_default(),
        });
    };
    let mut emitted: Vec<String> = Vec::new();
    for (bi, block) in ir.blocks.iter().enumerate() {
        let ext = ItemExtension {
            summary: block.summary.clone(),
            missions: block.missions.clone(),
            situations: block
                .situations
                .iter()
                .map(|s| SituationExtension {
                    title: s.title.clone(),
                    activities: s.activities.clone(),
                    notes: s.notes.clone(),
                })
                .collect(),
            rule: Some(rule(&block.rule.expr)),
            ..ItemExtension::default()
        };
        let block_uuid = item("Block", &block.id, &block.title, &block.docs, Some(ext));
        child_of(
            (&block_uuid, &block.title, &block.id),
            (&doc_id, &r.title),
            bi + 1,
            &mut associations,
        );
        for (ci, cid) in block.competencies.iter().enumerate() {
            let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) else {
                continue;
            };
            let ext = ItemExtension {
                rule: Some(rule(&c.rule.expr)),
                ..ItemExtension::default()
            };
            let c_uuid = item("Competency", &c.id, &c.title, &c.docs, Some(ext));
            child_of(
                (&c_uuid, &c.title, &c.id),
                (&block_uuid, &block.title),
                ci + 1,
                &mut associations,
            );
            let mut rubric_criteria = Vec::new();
            for (ki, kid) in c.criteria.iter().enumerate() {
                let Some(k) = ir.criteria.iter().find(|k| &k.id == kid) else {
                    continue;
                };
                let k_uuid = identifier_of("Criterion", &k.id);
                if !emitted.contains(&k.id) {
                    emitted.push(k.id.clone());
                    let scale = ir.scales.iter().find(|s| s.id == k.scale);
                    let ext = ItemExtension {
                        owner: Some(k.owner.clone()),
                        scale: Some(k.scale.clone()),
                        pass: scale
                            .is_none_or(|s| s.pass != k.pass)
                            .then(|| value_text(&k.pass)),
                        weight: (k.weight != acquis_ir::Decimal::ONE).then_some(k.weight.to_f64()),
                        ..ItemExtension::default()
                    };
                    item("Criterion", &k.id, &k.title, &k.docs, Some(ext));
                    // Indicators are the criterion's children, or, as the
                    // source nested them (CASE trees deeper than four
                    // levels), children of an indicator written before.
                    let mut written: Vec<(String, &str)> = Vec::new();
                    let mut children: BTreeMap<String, usize> = BTreeMap::new();
                    for (ii, text) in k.indicators.iter().enumerate() {
                        let code = format!("{}#{}", k.id, ii + 1);
                        let i_uuid = item("Indicator", &code, text, &[], None);
                        let theirs = source
                            .items
                            .get(&code)
                            .and_then(|(_, a)| a.as_ref())
                            .and_then(|a| a.destination.as_ref());
                        let (parent, title) = theirs
                            .and_then(|d| written.iter().find(|(id, _)| *id == d.identifier))
                            .map_or((k_uuid.as_str(), k.title.as_str()), |(id, t)| {
                                (id.as_str(), *t)
                            });
                        let sequence = children.entry(parent.to_string()).or_default();
                        *sequence += 1;
                        child_of(
                            (&i_uuid, text, &code),
                            (parent, title),
                            *sequence,
                            &mut associations,
                        );
                        written.push((i_uuid, text));
                    }
                }
                child_of(
                    (&k_uuid, &k.title, &k.id),
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
                rubric_criteria.push(CFRubricCriterion {
                    item: link(&k.title, &k_uuid),
                    levels,
                    category: k.scale.clone(),
                    description: k.title.clone(),
                    uri: uri(&rc_id),
                    identifier: rc_id,
                    last_change: date.clone(),
                    position: ki + 1,
                    rubric_id: ids.of("CFRubric", &c.id),
                    weight: k.weight.to_f64(),
                });
            }
            if !rubric_criteria.is_empty() {
                let rubric_id = ids.of("CFRubric", &c.id);
                rubrics.push(Rubric::Acquis(CFRubric {
                    criteria: rubric_criteria,
                    uri: uri(&rubric_id),
                    identifier: rubric_id,
                    last_change: date.clone(),
                    title: format!("{} {}", c.id, c.title),
                }));
            }
        }
    }
    let extension = PackageExtension {
        assessments: ir.assessments.iter().map(|a| assessment(a, ir)).collect(),
        certification: CertificationExtension {
            rule: rule(&ir.certification.rule.expr),
        },
        referential: ReferentialExtension {
            accommodation: r.accommodation.clone(),
            id: r.id.clone(),
            level: r.level,
            meta: r.meta.clone(),
        },
        scales: ir.scales.iter().map(scale).collect(),
        version: EXTENSION_VERSION,
    };
    keep_sequence_numbers(&mut associations, &source);
    // The source's other associations, as they were.
    associations.extend(source.associations.iter().map(|a| CFAssociation {
        other: association_other(a, version),
        ..a.clone()
    }));
    // The source's rubrics, after acquis's own, as they were.
    rubrics.extend(
        source
            .rubrics
            .iter()
            .map(|r| Rubric::Source(source::fit_object(r, Object::Rubric, version))),
    );
    let definitions = source
        .definitions
        .as_ref()
        .map(|d| source::definitions(d, version));
    let extensions = match version {
        CaseVersion::V1_1 => Some(Extensions { acquis: extension }),
        CaseVersion::V1_0 => {
            warnings.push(InteropWarning::CaseExtensionsLeftOut {
                at: crate::warning::place(ir, &r.span),
            });
            None
        }
    };
    let package = CFPackage {
        associations,
        definitions,
        document,
        items,
        rubrics,
        extensions,
    };
    (package, warnings)
}

/// The other fields of an association from the source: those CASE
/// defines in their place, the rest (and the source's own `extensions`) in
/// `extensions` with CASE 1.1.
fn association_other(
    a: &CFAssociation,
    version: CaseVersion,
) -> BTreeMap<String, serde_json::Value> {
    let mut other = source::fit(&a.other, Object::Association, version);
    if version == CaseVersion::V1_1 {
        let unlisted = source::unlisted(&a.other, Object::Association, version);
        if let Some(e) = source::extensions_with(a.other.get("extensions"), unlisted) {
            other.insert("extensions".into(), e);
        }
    }
    other
}

/// The referential as a CASE 1.1 CFPackage in JSON (pretty, with a final
/// newline), with the warnings to show.
pub fn export(ir: &Ir) -> Result<(String, Vec<InteropWarning>), InteropError> {
    export_for(ir, CaseVersion::V1_1)
}

/// [`export`] for a version of CASE.
pub fn export_for(
    ir: &Ir,
    version: CaseVersion,
) -> Result<(String, Vec<InteropWarning>), InteropError> {
    let (package, warnings) = package_for(ir, version);
    let mut text = serde_json::to_string_pretty(&package).map_err(InteropError::WritePackage)?;
    text.push('\n');
    Ok((text, warnings))
}

/// A CFRubricCriterionLevel per level of the scale (score: its rank), or for
/// a numeric range its minimum, pass mark and maximum (score: the mark).
fn rubric_levels(
    scale: &ScaleIr,
    pass: &ValueIr,
    ids: &Ids,
    parent: &str,
    date: &str,
) -> Vec<CFRubricCriterionLevel> {
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
            let mut marks = vec![(min.to_string(), min.to_f64(), *min >= p)];
            if p > *min && p < *max {
                marks.push((p.to_string(), p.to_f64(), true));
            }
            marks.push((max.to_string(), max.to_f64(), true));
            marks
        }
    };
    marks
        .into_iter()
        .enumerate()
        .map(|(i, (quality, score, passing))| {
            let id =
                Uuid::new_v5(&ids.namespace, format!("level:{parent}:{i}").as_bytes()).to_string();
            CFRubricCriterionLevel {
                description: if passing { "acquired" } else { "not acquired" }.into(),
                uri: uri(&id),
                identifier: id,
                last_change: date.to_string(),
                position: i + 1,
                quality,
                rubric_criterion_id: parent.to_string(),
                score,
            }
        })
        .collect()
}

fn scale(s: &ScaleIr) -> ScaleExtension {
    let mut scale = ScaleExtension {
        id: s.id.clone(),
        title: s.title.clone(),
        pass: value_text(&s.pass),
        ..ScaleExtension::default()
    };
    match &s.kind {
        ScaleKindIr::Levels { levels } => scale.levels = Some(levels.clone()),
        ScaleKindIr::Range { min, max, step } => {
            scale.min = Some(min.to_f64());
            scale.max = Some(max.to_f64());
            scale.step = Some(step.to_f64());
        }
    }
    scale
}

fn duration(d: &DurationIr) -> DurationExtension {
    match d {
        DurationIr::Minutes { minutes } => DurationExtension::Minutes {
            minutes: minutes.to_f64(),
        },
        DurationIr::Text { text } => DurationExtension::Text { text: text.clone() },
    }
}

fn assessment(a: &AssessmentIr, ir: &Ir) -> AssessmentExtension {
    let parts = a
        .parts
        .iter()
        .filter_map(|p| {
            let k = ir.criteria.iter().find(|k| k.id == p.id)?;
            Some(PartExtension {
                docs: k.docs.clone(),
                id: k.local_id.clone(),
                title: k.title.clone(),
                scale: k.scale.clone(),
                pass: value_text(&k.pass),
                coefficient: k.weight.to_f64(),
                duration: p.duration.as_ref().map(duration),
                form: p.form.clone(),
                examiners: p.examiners.clone(),
                optional: p.optional,
            })
        })
        .collect();
    AssessmentExtension {
        accommodations: a
            .accommodations
            .iter()
            .map(|x| AccommodationExtension {
                description: x.description.clone(),
                context: x.context.clone(),
                kind: x.kind.clone(),
                value: x.value.clone(),
            })
            .collect(),
        block: a.block.clone(),
        covers: a.covers.clone(),
        criteria: a.criteria.clone(),
        deliverables: a.deliverables.clone(),
        description: a.description.clone(),
        docs: a.docs.clone(),
        duration: a.duration.as_ref().map(duration),
        id: a.id.clone(),
        kind: a.kind.clone(),
        notes: a.notes.clone(),
        parts,
        rule: a.rule.as_ref().map(|r| r.text.clone()),
        tasks: a.tasks.clone(),
        title: a.title.clone(),
    }
}

pub use import::import;

/// [`import`] of the package in the file at `path` (named as given in
/// messages).
pub fn import_file(
    path: &std::path::Path,
) -> Result<(Referential, Vec<InteropWarning>), InteropError> {
    let json = read_package(path)?;
    import(&json, &path.display().to_string())
}

/// The most read of a CASE package (the largest public frameworks are a
/// few tens of megabytes; a package is held as JSON in memory, several
/// times its size).
pub const PACKAGE_BYTES: u64 = 64 << 20;

/// The package's text: a regular file (refused from its metadata before
/// it is opened otherwise: a FIFO would block, `/dev/zero` never end),
/// counted while it is read.
fn read_package(path: &std::path::Path) -> Result<String, InteropError> {
    use std::io::Read as _;
    let unreadable = |source| InteropError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(InteropError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if !meta.is_file() {
        return Err(InteropError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let too_large = || InteropError::FileTooLarge {
        path: path.to_path_buf(),
        limit: PACKAGE_BYTES,
    };
    if meta.len() > PACKAGE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(PACKAGE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > PACKAGE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        unreadable(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e.utf8_error(),
        ))
    })
}

mod checks;
mod date_time;
mod import;
pub mod model;
pub mod source;
