//! A CFPackage to a `.acquis` skeleton. A package written by `acquis export
//! case` comes back whole (its rules, scales and assessments are in
//! `extensions.acquis`); any other CASE package gives the tree of its items
//! (blocks, competencies, criteria, indicators, by `CFItemType` or by depth)
//! with comments where the designer must complete rules and criteria.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::interop::placeholder;
use crate::interop::skeleton::{
    self, Accommodation, Assessment, Block, Competency, Criterion, Duration, Jointly, Referential,
    Rule, Scale, ScaleKind, Situation,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Competency,
    Criterion,
    Indicator,
}

struct Node<'a> {
    item: &'a Value,
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

fn acquis(v: &Value) -> Option<&Value> {
    v.get("extensions").and_then(|e| e.get("acquis"))
}

/// Reads a CFPackage (`path` names it in messages) into a skeleton.
pub fn import(json: &str, path: &str) -> Result<Referential, String> {
    let package: Value = serde_json::from_str(json).map_err(|e| {
        format!(
            "{path}:{}:{}: error: not a valid JSON document: {e}",
            e.line(),
            e.column()
        )
    })?;
    let at = |what: String| format!("{path}: error: {what}");
    let document = package
        .get("CFDocument")
        .filter(|d| d.is_object())
        .ok_or_else(|| at("`CFDocument` is missing: this is not a CASE CFPackage".into()))?;
    if let Some(version) = document.get("caseVersion") {
        if version.as_str() != Some("1.1") {
            return Err(at(format!(
                "`CFDocument.caseVersion` is {version}; only CASE 1.1 packages are read"
            )));
        }
    }
    let doc_id = text(document, "identifier")
        .ok_or_else(|| at("`CFDocument.identifier` is missing".into()))?;
    let title =
        text(document, "title").ok_or_else(|| at("`CFDocument.title` is missing".into()))?;
    let items: &[Value] = package
        .get("CFItems")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let id = text(item, "identifier")
            .ok_or_else(|| at(format!("`CFItems[{i}].identifier` is missing")))?;
        if text(item, "fullStatement").is_none() {
            return Err(at(format!("`CFItems[{i}].fullStatement` is missing")));
        }
        if let Some(first) = by_id.insert(id, i) {
            return Err(at(format!(
                "`CFItems[{first}]` and `CFItems[{i}]` have the same identifier `{id}`"
            )));
        }
    }
    // Children in order: sequence number, then order of the associations.
    let mut children: BTreeMap<&str, Vec<(i64, usize, usize)>> = BTreeMap::new();
    let mut has_parent: BTreeSet<usize> = BTreeSet::new();
    let associations: &[Value] = package
        .get("CFAssociations")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    for (i, a) in associations.iter().enumerate() {
        if text(a, "associationType") != Some("isChildOf") {
            continue;
        }
        let node = |key: &str| a.get(key).and_then(|n| text(n, "identifier"));
        let (Some(child), Some(parent)) = (node("originNodeURI"), node("destinationNodeURI"))
        else {
            return Err(at(format!(
                "`CFAssociations[{i}]` has no origin or destination identifier"
            )));
        };
        let Some(&child) = by_id.get(child) else {
            continue;
        };
        let sequence = a
            .get("sequenceNumber")
            .and_then(Value::as_i64)
            .unwrap_or(i64::MAX);
        children
            .entry(parent)
            .or_default()
            .push((sequence, i, child));
        has_parent.insert(child);
    }
    for list in children.values_mut() {
        list.sort_unstable();
    }
    // The tree from the document; items without a parent are top-level too.
    let mut roots: Vec<usize> = children
        .get(doc_id)
        .map(|l| l.iter().map(|&(_, _, c)| c).collect())
        .unwrap_or_default();
    let orphans: Vec<usize> = (0..items.len())
        .filter(|i| !has_parent.contains(i) && !roots.contains(i))
        .collect();
    roots.extend(orphans);
    let mut nodes: BTreeMap<usize, Node<'_>> = BTreeMap::new();
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    let mut order: Vec<usize> = Vec::new();
    while let Some((index, depth)) = stack.pop() {
        if nodes.contains_key(&index) {
            continue;
        }
        let Some(item) = items.get(index) else {
            continue;
        };
        // Our own item types when the package is ours; by depth otherwise
        // (another tool's "Indicator" may sit right under a competency).
        let ours = acquis(&package).is_some();
        let kind = match text(item, "CFItemType").filter(|_| ours) {
            Some("Block") => Kind::Block,
            Some("Competency") => Kind::Competency,
            Some("Criterion") => Kind::Criterion,
            Some("Indicator") => Kind::Indicator,
            _ => match depth {
                0 => Kind::Block,
                1 => Kind::Competency,
                2 => Kind::Criterion,
                _ => Kind::Indicator,
            },
        };
        let own_id = text(item, "identifier").unwrap_or_default();
        let kids: Vec<usize> = children
            .get(own_id)
            .map(|l| l.iter().map(|&(_, _, c)| c).collect())
            .unwrap_or_default();
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
    let ext = acquis(&package);
    build(document, title, ext, &nodes, &order, path)
}

fn build(
    document: &Value,
    title: &str,
    ext: Option<&Value>,
    nodes: &BTreeMap<usize, Node<'_>>,
    order: &[usize],
    path: &str,
) -> Result<Referential, String> {
    let at = |what: String| format!("{path}: error: {what}");
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
        version: text(document, "version").map(str::to_string),
        lang: match text(document, "language") {
            Some(l) if l.starts_with("en") => "en".into(),
            _ => "fr".into(),
        },
        docs: lines(text(document, "description")),
        accommodation: referential_ext
            .and_then(|x| text(x, "accommodation"))
            .map(str::to_string),
        ..Referential::default()
    };
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
    let scales = ext.and_then(|e| e.get("scales")).and_then(Value::as_array);
    match scales {
        Some(list) => {
            for s in list {
                if let Some(scale) = scale(s) {
                    r.scales.push(scale);
                }
            }
        }
        None => {
            r.std_scales.push("acquisition".into());
            r.default_scale = Some("acquisition".into());
        }
    }
    let assessments: Vec<&Value> = ext
        .and_then(|e| e.get("assessments"))
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();

    // Ids: the package's codes, else numbered; each must be unique.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut code_of: BTreeMap<usize, String> = BTreeMap::new();
    let (mut b, mut c, mut k) = (0, 0, 0);
    for &index in order {
        let Some(node) = nodes.get(&index) else {
            continue;
        };
        let code = text(node.item, "humanCodingScheme");
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
                return Err(at(format!(
                    "`CFItems[{first}]` and `CFItems[{}]` have the same code `{id}`",
                    node.index
                )));
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
    // Shared criteria (owned by an assessment) go to its `jointly` sections.
    let mut shared: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    for (number, &bi) in block_ids.iter().enumerate() {
        let Some(block_node) = nodes.get(&bi) else {
            continue;
        };
        let bext = acquis(block_node.item);
        let block_id = code_of.get(&bi).cloned().unwrap_or_default();
        let mut block = Block {
            id: block_id.clone(),
            title: text(block_node.item, "fullStatement")
                .unwrap_or_default()
                .to_string(),
            docs: lines(text(block_node.item, "notes")),
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
            rule: bext.and_then(|x| text(x, "rule")).map(|t| Rule {
                comments: Vec::new(),
                text: t.to_string(),
            }),
            ..Block::default()
        };
        for &ci in &block_node.children {
            let Some(cn) = nodes.get(&ci).filter(|n| n.kind == Kind::Competency) else {
                continue;
            };
            let cid = code_of.get(&ci).cloned().unwrap_or_default();
            let mut competency = Competency {
                id: cid.clone(),
                title: text(cn.item, "fullStatement")
                    .unwrap_or_default()
                    .to_string(),
                docs: lines(text(cn.item, "notes")),
                rule: acquis(cn.item).and_then(|x| text(x, "rule")).map(|t| Rule {
                    comments: Vec::new(),
                    text: t.to_string(),
                }),
                ..Competency::default()
            };
            for &ki in &cn.children {
                let Some(kn) = nodes.get(&ki).filter(|n| n.kind == Kind::Criterion) else {
                    continue;
                };
                let kext = acquis(kn.item);
                let qualified = code_of.get(&ki).cloned().unwrap_or_default();
                let owner = kext
                    .and_then(|x| text(x, "owner"))
                    .map(str::to_string)
                    .unwrap_or_else(|| cid.clone());
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
                let mut k = criterion(kn, nodes, &qualified);
                // Two criteria with one code in a competency: number the later one.
                if competency.criteria.iter().any(|x| x.id == k.id) {
                    let n = competency.criteria.len() + 1;
                    k.id = format!("CE{n}");
                }
                competency.criteria.push(k);
            }
            if competency.rule.is_none() {
                placeholder::complete(&mut competency);
            }
            block.competencies.push(competency);
        }
        for a in assessments
            .iter()
            .filter(|a| text(a, "block") == Some(block_id.as_str()))
        {
            block.assessments.push(assessment(a));
        }
        if block.assessments.is_empty() && !block.competencies.is_empty() {
            block
                .assessments
                .push(placeholder::assessment(&block, number + 1));
        }
        if block.rule.is_none() {
            r.default_block_rule = Some(placeholder::block_rule());
        }
        r.blocks.push(block);
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
            let k = criterion(kn, nodes, &qualified);
            match a.jointly.last_mut() {
                Some(j) if &j.competencies == competencies => j.criteria.push(k),
                _ => a.jointly.push(Jointly {
                    competencies: competencies.clone(),
                    criteria: vec![k],
                }),
            }
        }
    }
    r.certification = match ext
        .and_then(|e| e.get("certification"))
        .and_then(|c| text(c, "rule"))
    {
        Some(t) => Rule {
            comments: Vec::new(),
            text: t.to_string(),
        },
        None => placeholder::certification_rule(),
    };
    if ext.is_none() {
        r.comments = placeholder::header("CASE", title);
    }
    if r.blocks.is_empty() {
        return Err(at("the package has no CFItems to make blocks of".into()));
    }
    Ok(r)
}

fn criterion(node: &Node<'_>, nodes: &BTreeMap<usize, Node<'_>>, qualified: &str) -> Criterion {
    let ext = acquis(node.item);
    let mut indicators = Vec::new();
    // Indicators and anything deeper, in order, as indicator texts.
    let mut stack: Vec<usize> = node.children.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        if let Some(n) = nodes.get(&i) {
            if let Some(t) = text(n.item, "fullStatement") {
                indicators.push(t.to_string());
            }
            stack.extend(n.children.iter().rev().copied());
        }
    }
    Criterion {
        docs: lines(text(node.item, "notes")),
        id: qualified
            .rsplit('/')
            .next()
            .unwrap_or(qualified)
            .to_string(),
        title: text(node.item, "fullStatement")
            .unwrap_or_default()
            .to_string(),
        scale: ext.and_then(|x| text(x, "scale")).map(str::to_string),
        pass: ext.and_then(|x| text(x, "pass")).map(str::to_string),
        weight: ext.and_then(|x| x.get("weight")).and_then(Value::as_f64),
        indicators,
    }
}

fn scale(s: &Value) -> Option<Scale> {
    let id = text(s, "id").and_then(skeleton::identifier)?;
    let kind = match s.get("levels").and_then(Value::as_array) {
        Some(levels) => ScaleKind::Levels(
            levels
                .iter()
                .filter_map(Value::as_str)
                .filter_map(skeleton::identifier)
                .collect(),
        ),
        None => ScaleKind::Range {
            min: s.get("min").and_then(Value::as_f64)?,
            max: s.get("max").and_then(Value::as_f64)?,
            step: s.get("step").and_then(Value::as_f64).unwrap_or(1.0),
        },
    };
    Some(Scale {
        id,
        title: text(s, "title").map(str::to_string),
        kind,
        pass: text(s, "pass")?.to_string(),
    })
}

fn assessment(a: &Value) -> Assessment {
    let opt = |k: &str| text(a, k).map(str::to_string);
    Assessment {
        docs: strings(a.get("docs")),
        id: opt("id").unwrap_or_default(),
        title: opt("title").unwrap_or_default(),
        covers: strings(a.get("covers")),
        kind: opt("kind"),
        description: opt("description"),
        tasks: strings(a.get("tasks")),
        deliverables: strings(a.get("deliverables")),
        notes: strings(a.get("notes")),
        duration: a.get("duration").and_then(|d| {
            d.get("minutes")
                .and_then(Value::as_f64)
                .map(Duration::Minutes)
                .or_else(|| text(d, "text").map(|t| Duration::Text(t.to_string())))
        }),
        accommodations: a
            .get("accommodations")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|x| {
                        Some(Accommodation {
                            kind: text(x, "kind").and_then(skeleton::identifier)?,
                            value: text(x, "value").map(str::to_string),
                            context: text(x, "for").and_then(skeleton::identifier),
                            description: text(x, "description").map(str::to_string),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ..Assessment::default()
    }
}
