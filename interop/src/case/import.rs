//! A CFPackage to a `.acquis` skeleton. A package written by `acquis export
//! case` comes back whole (its rules, scales and assessments are in
//! `extensions.acquis`); any other CASE package gives the tree of its items
//! (blocks, competencies, criteria, indicators, by `CFItemType` or by depth)
//! with comments where the designer must complete rules and criteria.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use super::model::{CFItem, CFLink, RawPackage};
use super::EXTENSION_VERSION;
use super::{checks, source};
use crate::error::{CaseProblem, Expected, InteropError, ItemRef};
use crate::placeholder;
use crate::skeleton::{
    self, Accommodation, Assessment, Block, Competency, Criterion, Duration, Jointly, Part,
    Referential, Rule, Scale, ScaleKind, Situation,
};
use crate::warning::{Ignored, InteropWarning};

/// An item as the import reads it: `extensions.acquis` left as JSON.
type Item = CFItem<Option<Value>>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Competency,
    Criterion,
    Indicator,
}

struct Node<'a> {
    item: &'a Item,
    index: usize,
    children: Vec<usize>,
    kind: Kind,
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn lines(v: Option<&str>) -> Vec<String> {
    v.map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// `extensions.acquis` of an item, when it has one.
fn acquis(item: &Item) -> Option<&Value> {
    item.extensions.as_ref().and_then(|e| e.acquis.as_ref())
}

/// A string field: None when absent, an error naming `at` when present but
/// not a string (a number where a text is due is not "missing").
fn string_field<'a>(v: &'a Value, key: &str, at: &str) -> Result<Option<&'a str>, CaseProblem> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(CaseProblem::WrongType {
            path: format!("{at}.{key}"),
            expected: Expected::String,
            found: Some(other.clone()),
        }),
    }
}

/// The identifier an association's end names.
fn end(link: &Option<CFLink>) -> Option<&str> {
    link.as_ref().map(|l| l.identifier.as_str())
}

fn missing(path: String) -> CaseProblem {
    CaseProblem::Missing { path }
}

/// Reads a CFPackage (`path` names it in messages) into a skeleton, with
/// the warnings to show (associations that were ignored).
pub fn import(json: &str, path: &str) -> Result<(Referential, Vec<InteropWarning>), InteropError> {
    let fail = |problem| InteropError::Case {
        file: path.to_string(),
        problem,
    };
    let mut raw: Value =
        serde_json::from_str(json).map_err(|source| InteropError::InvalidJson {
            file: path.to_string(),
            source,
        })?;
    // Some servers send the package wrapped (`{"CFPackage": {…}}`), as the
    // getCFPackage response of their API: the package is inside.
    if raw.get("CFDocument").is_none() {
        if let Some(inner) = raw.get_mut("CFPackage").filter(|p| p.is_object()) {
            raw = inner.take();
        }
    }
    check(&raw).map_err(fail)?;
    let package = RawPackage::deserialize(&raw).map_err(|e| {
        fail(CaseProblem::Unreadable {
            reason: e.to_string(),
        })
    })?;
    read(&package, &raw, path).map_err(fail)
}

/// What must hold before the package is read through its types, checked
/// on the JSON so that each message names the value and its place: a
/// CASE 1.1 document with an identifier and a title, the version of
/// `extensions.acquis`, and items with string identifiers and statements,
/// each identifier once.
fn check(package: &Value) -> Result<(), CaseProblem> {
    let document = package
        .get("CFDocument")
        .filter(|d| d.is_object())
        .ok_or(CaseProblem::NotAPackage)?;
    // Optional in both CASE 1.1 schemas (OpenSALT never writes it), and
    // absent from CASE 1.0, whose packages read the same way.
    match document.get("caseVersion") {
        None | Some(Value::Null) => {}
        Some(version) if matches!(version.as_str(), Some("1.1" | "1.0")) => {}
        Some(found) => {
            return Err(CaseProblem::CaseVersion {
                found: found.clone(),
            })
        }
    }
    if let Some(ext) = package.get("extensions").and_then(|e| e.get("acquis")) {
        if ext.get("version").and_then(Value::as_u64) != Some(EXTENSION_VERSION) {
            return Err(CaseProblem::ExtensionVersion {
                found: ext.get("version").cloned(),
            });
        }
    }
    for key in ["identifier", "title"] {
        if text(document, key).is_none() {
            return Err(missing(format!("CFDocument.{key}")));
        }
    }
    let items: &[Value] = package
        .get("CFItems")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let here = format!("CFItems[{i}]");
        let id = string_field(item, "identifier", &here)?
            .ok_or_else(|| missing(format!("{here}.identifier")))?;
        if string_field(item, "fullStatement", &here)?.is_none() {
            return Err(missing(format!("{here}.fullStatement")));
        }
        for key in ["humanCodingScheme", "notes", "CFItemType"] {
            string_field(item, key, &here)?;
        }
        if let Some(first) = by_id.insert(id, i) {
            return Err(CaseProblem::SameIdentifier {
                first,
                second: i,
                identifier: id.to_string(),
            });
        }
    }
    Ok(())
}

/// A code cut into runs of digits and of other characters, so that codes
/// sort in natural order: `L1.2` before `L1.10`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Run {
    /// Digits, by value (leading zeros left out), then by length.
    Number(usize, String),
    Text(String),
}

fn natural(code: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut rest = code;
    while let Some(first) = rest.chars().next() {
        let digit = first.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        runs.push(if digit {
            let value = run.trim_start_matches('0');
            Run::Number(value.len(), value.to_string())
        } else {
            Run::Text(run.to_string())
        });
        rest = tail;
    }
    runs
}

/// Where a child sits among its siblings: its `sequenceNumber` (none comes
/// after any), then its code in natural order, then the order of the
/// associations.
type Place = (i64, Vec<Run>, usize, usize);

/// The kind an item of our own package says it is: `extensions.acquis.kind`
/// when the source's type was kept in `CFItemType`, else `CFItemType`.
fn own_kind(item: &Item) -> Option<Kind> {
    let ext = acquis(item).and_then(|x| text(x, "kind"));
    match ext.unwrap_or(item.item_type.as_str()) {
        "Block" => Some(Kind::Block),
        "Competency" => Some(Kind::Competency),
        "Criterion" => Some(Kind::Criterion),
        "Indicator" => Some(Kind::Indicator),
        _ => None,
    }
}

/// The checked package as a skeleton, with the warnings.
fn read(
    package: &RawPackage,
    raw: &Value,
    path: &str,
) -> Result<(Referential, Vec<InteropWarning>), CaseProblem> {
    let doc_id = package.document.identifier.as_str();
    let items = package.items.as_slice();
    // `extensions.acquis` of the package: checked, so it is an object.
    let ext = package.extensions.as_ref().and_then(|e| e.acquis.as_ref());
    let mut warnings: Vec<InteropWarning> = Vec::new();
    let by_id: BTreeMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.identifier.as_str(), i))
        .collect();
    let mut children: BTreeMap<&str, Vec<Place>> = BTreeMap::new();
    // The association that placed each child, and its parent.
    let mut parent_of: BTreeMap<usize, (usize, Option<usize>)> = BTreeMap::new();
    let mut others: Vec<usize> = Vec::new();
    for (i, a) in package.associations.iter().enumerate() {
        if a.association_type != "isChildOf" {
            // Kept whole, to be written again (exactMatchOf, precedes…).
            others.push(i);
            continue;
        }
        let (Some(child), Some(parent)) = (end(&a.origin), end(&a.destination)) else {
            return Err(CaseProblem::AssociationWithoutEnds { index: i });
        };
        if child == parent {
            return Err(CaseProblem::OwnParent {
                index: i,
                identifier: child.to_string(),
            });
        }
        let Some(&child) = by_id.get(child) else {
            warnings.push(InteropWarning::AssociationIgnored {
                file: path.to_string(),
                index: i,
                why: Ignored::UnknownOrigin(child.to_string()),
            });
            continue;
        };
        if parent != doc_id && !by_id.contains_key(parent) {
            warnings.push(InteropWarning::AssociationIgnored {
                file: path.to_string(),
                index: i,
                why: Ignored::UnknownDestination(parent.to_string()),
            });
            continue;
        }
        // Our own packages give a shared criterion one parent per
        // competency; another tool's second parent has no place in a tree.
        if parent_of.contains_key(&child) && ext.is_none() {
            warnings.push(InteropWarning::AssociationIgnored {
                file: path.to_string(),
                index: i,
                why: Ignored::SecondParent(describe(items, child)),
            });
            continue;
        }
        let sequence = a.sequence_number.unwrap_or(i64::MAX);
        let code = items
            .get(child)
            .and_then(|c| c.human_coding_scheme.as_deref())
            .map(natural)
            .unwrap_or_default();
        children
            .entry(parent)
            .or_default()
            .push((sequence, code, i, child));
        parent_of
            .entry(child)
            .or_insert((i, by_id.get(parent).copied()));
    }
    for list in children.values_mut() {
        list.sort_unstable();
    }
    let kids_of = |id: &str| -> Vec<usize> {
        children
            .get(id)
            .map(|l| l.iter().map(|p| p.3).collect())
            .unwrap_or_default()
    };
    // The tree from the document; items without a parent are top-level too.
    let mut roots: Vec<usize> = kids_of(doc_id);
    roots.extend((0..items.len()).filter(|i| !parent_of.contains_key(i)));
    let mut nodes: BTreeMap<usize, Node<'_>> = BTreeMap::new();
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    let mut order: Vec<usize> = Vec::new();
    while let Some((index, depth)) = stack.pop() {
        crate::work::step();
        if nodes.contains_key(&index) {
            continue;
        }
        let Some(item) = items.get(index) else {
            continue;
        };
        // Our own kinds when the package is ours; by depth otherwise
        // (another tool's "Indicator" may sit right under a competency).
        let kind = ext.and(own_kind(item)).unwrap_or(match depth {
            0 => Kind::Block,
            1 => Kind::Competency,
            2 => Kind::Criterion,
            _ => Kind::Indicator,
        });
        let kids = kids_of(item.identifier.as_str());
        for &k in kids.iter().rev() {
            stack.push((k, depth + 1));
        }
        nodes.insert(
            index,
            Node {
                item,
                index,
                children: kids,
                kind,
            },
        );
        order.push(index);
    }
    if let Some(cycle) = find_cycle(items.len(), &nodes, &parent_of) {
        return Err(CaseProblem::Cycle {
            items: cycle.iter().map(|&i| describe(items, i)).collect(),
        });
    }
    let lang = language(package, path, &mut warnings);
    let (mut r, ids) = build(package, lang, ext, &nodes, &order)?;
    if ext.is_none() {
        // What the source says that the referential has no field for, in
        // `meta` entries that `acquis export case` writes back.
        let placed: Vec<(usize, String, Option<usize>)> = order
            .iter()
            .filter_map(|i| {
                let id = ids.get(i)?.clone();
                Some((*i, id, parent_of.get(i).map(|p| p.0)))
            })
            .collect();
        r.meta.extend(source::records(raw, &placed, &others));
    }
    Ok((r, warnings))
}

/// `CFItems[3]` (`C1.2`, "Title"): how messages name an item.
fn describe(items: &[Item], index: usize) -> ItemRef {
    let item = items.get(index);
    ItemRef {
        index,
        code: item.and_then(|i| i.human_coding_scheme.clone()),
        statement: item.map(|i| i.full_statement.clone()).unwrap_or_default(),
    }
}

/// Items the walk from the document never reached all have a parent, so
/// following parents from one of them must loop: the loop, closed (its
/// first item again at the end). Linear: each item is visited once.
fn find_cycle(
    count: usize,
    reached: &BTreeMap<usize, Node<'_>>,
    parent_of: &BTreeMap<usize, (usize, Option<usize>)>,
) -> Option<Vec<usize>> {
    let start = (0..count).find(|i| !reached.contains_key(i))?;
    let mut path = vec![start];
    let mut position: BTreeMap<usize, usize> = BTreeMap::from([(start, 0)]);
    let mut current = start;
    while let Some(&(_, Some(parent))) = parent_of.get(&current) {
        crate::work::step();
        if let Some(&first) = position.get(&parent) {
            let mut cycle = path.split_off(first);
            cycle.push(parent);
            return Some(cycle);
        }
        position.insert(parent, path.len());
        path.push(parent);
        current = parent;
    }
    None
}

/// The rule in `extensions.acquis.rule` of `ext` (found at `at`), checked.
fn checked_rule(ext: Option<&Value>, at: &str) -> Result<Option<Rule>, CaseProblem> {
    let Some(ext) = ext else { return Ok(None) };
    match string_field(ext, "rule", at)? {
        None => Ok(None),
        Some(t) => checks::rule(t, &format!("{at}.rule")).map(|text| {
            Some(Rule {
                comments: Vec::new(),
                text,
            })
        }),
    }
}

/// The referential's `lang`: the document's language, else the one most
/// items give (OpenSALT writes none on the document); English for `en…`,
/// French for `fr…`, and French with a warning for another language or
/// none.
fn language(package: &RawPackage, path: &str, warnings: &mut Vec<InteropWarning>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &package.items {
        if !item.language.is_empty() {
            *counts.entry(item.language.as_str()).or_default() += 1;
        }
    }
    let most = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(l, _)| *l)
        .unwrap_or_default();
    let language = if package.document.language.is_empty() {
        most
    } else {
        package.document.language.as_str()
    };
    let lower = language.to_ascii_lowercase();
    if lower.starts_with("en") {
        return "en".into();
    }
    if !lower.starts_with("fr") {
        warnings.push(InteropWarning::CaseLanguage {
            file: path.to_string(),
            language: (!language.is_empty()).then(|| language.to_string()),
        });
    }
    "fr".into()
}

/// The referential, and the id each item became (`B1`, `C1.2`,
/// `C1.2/CE1`, `C1.2/CE1#1` for an indicator), by index.
fn build(
    package: &RawPackage,
    lang: String,
    ext: Option<&Value>,
    nodes: &BTreeMap<usize, Node<'_>>,
    order: &[usize],
) -> Result<(Referential, BTreeMap<usize, String>), CaseProblem> {
    let mut ids: BTreeMap<usize, String> = BTreeMap::new();
    let document = &package.document;
    let title = document.title.as_str();
    let referential_ext = ext.and_then(|e| e.get("referential"));
    let mut r = Referential {
        id: referential_ext
            .and_then(|x| text(x, "id"))
            .and_then(skeleton::identifier)
            .or_else(|| skeleton::identifier(title))
            .unwrap_or_else(|| "REF".into()),
        title: title.to_string(),
        level: referential_ext
            .and_then(|x| x.get("level"))
            .and_then(Value::as_u64)
            .and_then(|l| u32::try_from(l).ok()),
        version: document.version.clone(),
        lang,
        docs: lines(document.description.as_deref()),
        accommodation: referential_ext
            .and_then(|x| text(x, "accommodation"))
            .map(str::to_string),
        ..Referential::default()
    };
    // The placeholders speak the referential's language.
    let lang = acquis_ir::describe::Lang { fr: r.lang == "fr" };
    if ext.is_none() && !document.creator.is_empty() {
        // The source's creator, which `acquis export case` writes back.
        r.meta.push(("creator".into(), document.creator.clone()));
    }
    if let Some(meta) = referential_ext
        .and_then(|x| x.get("meta"))
        .and_then(Value::as_object)
    {
        for (k, v) in meta {
            if let (Some(k), Some(v)) = (skeleton::identifier(k), v.as_str()) {
                r.meta.push((k, v.to_string()));
            }
        }
    }
    match ext.and_then(|e| e.get("scales")) {
        Some(Value::Array(list)) => {
            for (i, s) in list.iter().enumerate() {
                r.scales
                    .push(scale(s, &format!("extensions.acquis.scales[{i}]"))?);
            }
        }
        Some(other) => {
            return Err(CaseProblem::WrongType {
                path: "extensions.acquis.scales".into(),
                expected: Expected::ListOfScales,
                found: Some(other.clone()),
            })
        }
        None => {
            r.std_scales.push("acquisition".into());
            r.default_scale = Some("acquisition".into());
        }
    }
    let assessments: Vec<&Value> = match ext.and_then(|e| e.get("assessments")) {
        None => Vec::new(),
        Some(Value::Array(list)) => list.iter().collect(),
        Some(other) => {
            return Err(CaseProblem::WrongType {
                path: "extensions.acquis.assessments".into(),
                expected: Expected::List,
                found: Some(other.clone()),
            })
        }
    };

    // Ids: the package's codes, else numbered; each must be unique.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut code_of: BTreeMap<usize, String> = BTreeMap::new();
    let (mut b, mut c, mut k) = (0, 0, 0);
    for &index in order {
        let Some(node) = nodes.get(&index) else {
            continue;
        };
        // Our id when the code is the source's (a package imported from
        // another tool, exported again), else the code.
        let code = acquis(node.item)
            .and_then(|x| text(x, "id"))
            .or(node.item.human_coding_scheme.as_deref());
        let id = match node.kind {
            Kind::Block => {
                b += 1;
                c = 0;
                code.and_then(|c| skeleton::prefixed(c, "B"))
                    .unwrap_or_else(|| format!("B{b}"))
            }
            Kind::Competency => {
                c += 1;
                k = 0;
                code.and_then(|c| skeleton::prefixed(c, "C"))
                    .unwrap_or_else(|| format!("C{b}.{c}"))
            }
            Kind::Criterion => {
                k += 1;
                let local = code.map(|c| c.rsplit('/').next().unwrap_or(c));
                let local = local
                    .and_then(|c| skeleton::prefixed(c, "CE"))
                    .unwrap_or_else(|| format!("CE{k}"));
                let owner = code.and_then(|c| c.split_once('/')).map(|(o, _)| o);
                format!("{}/{local}", owner.unwrap_or(""))
            }
            Kind::Indicator => continue,
        };
        if matches!(node.kind, Kind::Block | Kind::Competency) {
            if let Some(first) = seen.insert(id.clone(), node.index) {
                return Err(CaseProblem::SameCode {
                    first,
                    second: node.index,
                    code: id,
                });
            }
        }
        code_of.insert(index, id);
    }

    let block_ids: Vec<usize> = order
        .iter()
        .copied()
        .filter(|i| nodes.get(i).is_some_and(|n| n.kind == Kind::Block))
        .collect();
    let mut placed: BTreeSet<usize> = BTreeSet::new();
    let mut placed_assessments: BTreeSet<usize> = BTreeSet::new();
    // Shared criteria (owned by an assessment) go to its `jointly` sections.
    let mut shared: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for (number, &bi) in block_ids.iter().enumerate() {
        let Some(block_node) = nodes.get(&bi) else {
            continue;
        };
        let bext = acquis(block_node.item);
        let bat = format!("CFItems[{}].extensions.acquis", block_node.index);
        let block_rule = checked_rule(bext, &bat)?;
        let block_id = code_of.get(&bi).cloned().unwrap_or_default();
        ids.insert(bi, block_id.clone());
        let mut block = Block {
            id: block_id.clone(),
            title: block_node.item.full_statement.clone(),
            docs: lines(block_node.item.notes.as_deref()),
            summary: bext.and_then(|x| text(x, "summary")).map(str::to_string),
            missions: strings(bext.and_then(|x| x.get("missions"))),
            situations: bext
                .and_then(|x| x.get("situations"))
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .map(|s| Situation {
                            title: text(s, "title").unwrap_or_default().to_string(),
                            activities: strings(s.get("activities")),
                            notes: strings(s.get("notes")),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            rule: block_rule,
            ..Block::default()
        };
        for &ci in &block_node.children {
            let Some(cn) = nodes.get(&ci).filter(|n| n.kind == Kind::Competency) else {
                continue;
            };
            let cid = code_of.get(&ci).cloned().unwrap_or_default();
            ids.insert(ci, cid.clone());
            let cat = format!("CFItems[{}].extensions.acquis", cn.index);
            let competency_rule = checked_rule(acquis(cn.item), &cat)?;
            let mut competency = Competency {
                id: cid.clone(),
                title: cn.item.full_statement.clone(),
                docs: lines(cn.item.notes.as_deref()),
                rule: competency_rule,
                ..Competency::default()
            };
            for &ki in &cn.children {
                let Some(kn) = nodes.get(&ki).filter(|n| n.kind == Kind::Criterion) else {
                    continue;
                };
                let kext = acquis(kn.item);
                let qualified = code_of.get(&ki).cloned().unwrap_or_default();
                let kat = format!("CFItems[{}].extensions.acquis", kn.index);
                let owner = match kext.and_then(|x| text(x, "owner")) {
                    Some(o) => checks::identifier(o, &format!("{kat}.owner"))?,
                    None => cid.clone(),
                };
                if owner != cid {
                    let entry = shared
                        .entry(
                            qualified
                                .rsplit('/')
                                .next()
                                .map_or(String::new(), |l| format!("{owner}/{l}")),
                        )
                        .or_insert((ki, Vec::new()));
                    entry.1.push(cid.clone());
                    continue;
                }
                if !placed.insert(ki) {
                    continue;
                }
                let (mut k, indicators) = criterion(kn, nodes, &qualified)?;
                // Two criteria with one code in a competency: number the later one.
                if competency.criteria.iter().any(|x| x.id == k.id) {
                    let n = competency.criteria.len() + 1;
                    k.id = format!("CE{n}");
                }
                let kid = format!("{cid}/{}", k.id);
                for (n, i) in indicators.iter().enumerate() {
                    ids.insert(*i, format!("{kid}#{}", n + 1));
                }
                ids.insert(ki, kid);
                competency.criteria.push(k);
            }
            if competency.rule.is_none() {
                placeholder::complete(&mut competency, lang);
            }
            block.competencies.push(competency);
        }
        if block.competencies.is_empty() && ext.is_none() {
            // A block needs a competency (an empty set decides nothing,
            // A0403): the item's statement makes one, to be completed.
            let mut competency = Competency {
                id: format!("C{}.1", number + 1),
                title: block.title.clone(),
                comments: vec![
                    "À COMPLÉTER : l'élément n'a pas d'enfant dans la source ; son intitulé fait une compétence.".into(),
                ],
                ..Competency::default()
            };
            placeholder::complete(&mut competency, lang);
            block.competencies.push(competency);
        }
        for a in assessments
            .iter()
            .filter(|a| text(a, "block") == Some(block_id.as_str()))
        {
            let index = assessments
                .iter()
                .position(|x| std::ptr::eq(*x, *a))
                .unwrap_or_default();
            let aat = format!("extensions.acquis.assessments[{index}]");
            block.assessments.push(assessment(a, &aat, &r.scales)?);
            placed_assessments.insert(index);
        }
        if block.assessments.is_empty() && !block.competencies.is_empty() {
            block
                .assessments
                .push(placeholder::assessment(&block, number + 1, lang));
        }
        if block.rule.is_none() {
            r.default_block_rule = Some(placeholder::block_rule(lang));
        }
        r.blocks.push(block);
    }
    // Assessments of no block (an entretien final, the units of a BTS) stand
    // at the top level; so does one naming a block the package lacks, which
    // the check of the written referential then reports.
    for (index, a) in assessments.iter().enumerate() {
        if !placed_assessments.contains(&index) {
            let aat = format!("extensions.acquis.assessments[{index}]");
            r.assessments.push(assessment(a, &aat, &r.scales)?);
        }
    }
    // Shared criteria into the `jointly` sections of their assessments, in
    // the order each assessment lists them.
    for a_ext in &assessments {
        let Some(aid) = text(a_ext, "id") else {
            continue;
        };
        let Some(a) = r
            .blocks
            .iter_mut()
            .flat_map(|b| b.assessments.iter_mut())
            .chain(r.assessments.iter_mut())
            .find(|a| a.id == aid)
        else {
            continue;
        };
        for qualified in strings(a_ext.get("criteria")) {
            let Some((ki, competencies)) = shared.get(&qualified) else {
                continue;
            };
            let Some(kn) = nodes.get(ki) else {
                continue;
            };
            let (k, _) = criterion(kn, nodes, &qualified)?;
            match a.jointly.last_mut() {
                Some(j) if &j.competencies == competencies => j.criteria.push(k),
                _ => a.jointly.push(Jointly {
                    competencies: competencies.clone(),
                    criteria: vec![k],
                }),
            }
        }
    }
    let certification = ext.and_then(|e| e.get("certification"));
    r.certification = checked_rule(certification, "extensions.acquis.certification")?
        .unwrap_or_else(|| placeholder::certification_rule(lang));
    if ext.is_none() {
        r.comments = placeholder::header("CASE", title, lang);
    }
    if r.blocks.is_empty() && r.assessments.is_empty() {
        return Err(CaseProblem::NoBlocks);
    }
    Ok((r, ids))
}

/// The criterion, and the items its indicators come from, in order.
fn criterion(
    node: &Node<'_>,
    nodes: &BTreeMap<usize, Node<'_>>,
    qualified: &str,
) -> Result<(Criterion, Vec<usize>), CaseProblem> {
    let ext = acquis(node.item);
    let at = format!("CFItems[{}].extensions.acquis", node.index);
    let field = |key: &str, check: fn(&str, &str) -> Result<String, CaseProblem>| {
        ext.and_then(|x| text(x, key))
            .map(|t| check(t, &format!("{at}.{key}")))
            .transpose()
    };
    let mut indicators = Vec::new();
    let mut from = Vec::new();
    // Indicators and anything deeper, in order, as indicator texts.
    let mut stack: Vec<usize> = node.children.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        if let Some(n) = nodes.get(&i) {
            indicators.push(n.item.full_statement.clone());
            from.push(i);
            stack.extend(n.children.iter().rev().copied());
        }
    }
    let criterion = Criterion {
        docs: lines(node.item.notes.as_deref()),
        id: qualified
            .rsplit('/')
            .next()
            .unwrap_or(qualified)
            .to_string(),
        title: node.item.full_statement.clone(),
        scale: field("scale", checks::identifier)?,
        pass: field("pass", checks::pass)?,
        weight: ext.and_then(|x| x.get("weight")).and_then(Value::as_f64),
        indicators,
    };
    Ok((criterion, from))
}

/// A scale of `extensions.acquis.scales` (at `at`): every field checked.
fn scale(s: &Value, at: &str) -> Result<Scale, CaseProblem> {
    let absent = |key: &str| missing(format!("{at}.{key}"));
    let id = string_field(s, "id", at)?.ok_or_else(|| absent("id"))?;
    let id = checks::identifier(id, &format!("{at}.id"))?;
    let number = |key: &str| -> Result<f64, CaseProblem> {
        s.get(key)
            .ok_or_else(|| absent(key))?
            .as_f64()
            .ok_or_else(|| CaseProblem::WrongType {
                path: format!("{at}.{key}"),
                expected: Expected::Number,
                found: None,
            })
    };
    let kind = match s.get("levels") {
        Some(Value::Array(levels)) => ScaleKind::Levels(
            levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let here = format!("{at}.levels[{i}]");
                    let l = l.as_str().ok_or_else(|| CaseProblem::WrongType {
                        path: here.clone(),
                        expected: Expected::String,
                        found: None,
                    })?;
                    checks::identifier(l, &here)
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(other) => {
            return Err(CaseProblem::WrongType {
                path: format!("{at}.levels"),
                expected: Expected::List,
                found: Some(other.clone()),
            })
        }
        None => ScaleKind::Range {
            min: number("min")?,
            max: number("max")?,
            step: match s.get("step") {
                None => 1.0,
                Some(_) => number("step")?,
            },
        },
    };
    let pass = string_field(s, "pass", at)?.ok_or_else(|| absent("pass"))?;
    Ok(Scale {
        id,
        title: string_field(s, "title", at)?.map(str::to_string),
        kind,
        pass: checks::pass(pass, &format!("{at}.pass"))?,
    })
}

/// An assessment of `extensions.acquis.assessments` (at `at`): ids and
/// values that are written as source, not as strings, are checked.
fn assessment(a: &Value, at: &str, scales: &[Scale]) -> Result<Assessment, CaseProblem> {
    let opt = |k: &str| text(a, k).map(str::to_string);
    let id = string_field(a, "id", at)?.ok_or_else(|| missing(format!("{at}.id")))?;
    let covers = strings(a.get("covers"))
        .iter()
        .enumerate()
        .map(|(i, c)| checks::qualified(c, &format!("{at}.covers[{i}]")))
        .collect::<Result<_, _>>()?;
    let mut accommodations = Vec::new();
    for (i, x) in a
        .get("accommodations")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .enumerate()
    {
        let here = format!("{at}.accommodations[{i}]");
        let kind =
            string_field(x, "kind", &here)?.ok_or_else(|| missing(format!("{here}.kind")))?;
        accommodations.push(Accommodation {
            kind: checks::identifier(kind, &format!("{here}.kind"))?,
            value: string_field(x, "value", &here)?
                .map(|v| checks::accommodation_value(v, &format!("{here}.value")))
                .transpose()?,
            context: string_field(x, "for", &here)?
                .map(|v| checks::identifier(v, &format!("{here}.for")))
                .transpose()?,
            description: string_field(x, "description", &here)?.map(str::to_string),
        });
    }
    let mut parts = Vec::new();
    for (i, p) in a
        .get("parts")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .enumerate()
    {
        parts.push(part(p, &format!("{at}.parts[{i}]"), scales)?);
    }
    Ok(Assessment {
        parts,
        rule: checked_rule(Some(a), at)?,
        docs: strings(a.get("docs")),
        id: checks::identifier(id, &format!("{at}.id"))?,
        title: opt("title").unwrap_or_default(),
        covers,
        kind: opt("kind"),
        description: opt("description"),
        tasks: strings(a.get("tasks")),
        deliverables: strings(a.get("deliverables")),
        notes: strings(a.get("notes")),
        duration: duration(a.get("duration")),
        accommodations,
        ..Assessment::default()
    })
}

/// `{"minutes": 90}` or `{"text": "…"}`.
fn duration(d: Option<&Value>) -> Option<Duration> {
    let d = d?;
    d.get("minutes")
        .and_then(Value::as_f64)
        .map(Duration::Minutes)
        .or_else(|| text(d, "text").map(|t| Duration::Text(t.to_string())))
}

/// A part of an assessment (at `at`): its id, scale and pass are checked;
/// the scale and pass are written only where they differ from what the
/// part would get anyway (its scale's pass, a coefficient of 1).
fn part(p: &Value, at: &str, scales: &[Scale]) -> Result<Part, CaseProblem> {
    let id = string_field(p, "id", at)?.ok_or_else(|| missing(format!("{at}.id")))?;
    let scale = string_field(p, "scale", at)?
        .map(|s| checks::identifier(s, &format!("{at}.scale")))
        .transpose()?;
    let pass = string_field(p, "pass", at)?
        .map(|v| checks::pass(v, &format!("{at}.pass")))
        .transpose()?;
    let scale_pass = scale
        .as_deref()
        .and_then(|s| scales.iter().find(|x| x.id == s))
        .map(|s| s.pass.as_str());
    let coefficient = match p.get("coefficient") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(c) => Some(c),
            None => {
                return Err(CaseProblem::WrongType {
                    path: format!("{at}.coefficient"),
                    expected: Expected::Number,
                    found: Some(v.clone()),
                })
            }
        },
    };
    Ok(Part {
        docs: strings(p.get("docs")),
        id: checks::identifier(id, &format!("{at}.id"))?,
        title: text(p, "title").unwrap_or_default().to_string(),
        pass: pass.filter(|v| Some(v.as_str()) != scale_pass),
        scale,
        coefficient: coefficient.filter(|c| *c != 1.0),
        duration: duration(p.get("duration")),
        form: text(p, "form").map(str::to_string),
        examiners: text(p, "examiners").map(str::to_string),
        optional: p.get("optional").and_then(Value::as_bool).unwrap_or(false),
    })
}
