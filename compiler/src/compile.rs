//! The compilation pipeline: load → parse → collect → lower rules → graph
//! → checks → IR. Every stage adds diagnostics and goes on, so one run
//! reports every problem it can see.

use acquis_diagnostics::text;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

use acquis_grammar::ast::{self, Span};
use acquis_grammar::format::rule_text;

use crate::analysis::{self, Analysis};
use crate::collect::{
    check_value, collect, decimal, kind_name, unknown_reference, Entity, Locator, Model,
};
use crate::graph::{self, DependencyGraph, Node};
use crate::loader::{self, Loaded, SourceProvider};
use crate::lower::{lower_rule, Lowered, Mention, Read, Scope};
use crate::records;
use acquis_diagnostics::codes::Code;
use acquis_diagnostics::diagnostic::{self, Diagnostic};
use acquis_diagnostics::source::{FileId, SourceMap};
use acquis_ir::semantics::{self as kleene, Facts, Interval, Truth};
use acquis_ir::Exact;
use acquis_ir::*;

/// The result of compiling a referential: its files, every diagnostic,
/// and the IR when the main file could be read.
pub struct Compilation {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub ir: Option<Ir>,
    /// The editor's index, from [`compile_with_analysis`] only: the command
    /// line does not pay for it.
    pub analysis: Option<Analysis>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }
}

/// Compiles the referential whose main file is `root`.
pub fn compile(root: &Path, provider: &dyn SourceProvider) -> Compilation {
    let loaded = loader::load(root, provider);
    compile_loaded(loaded, false)
}

/// Compiles like [`compile`] and also keeps the parsed files and the index
/// of definitions and references (`Compilation::analysis`), for the
/// language server.
pub fn compile_with_analysis(root: &Path, provider: &dyn SourceProvider) -> Compilation {
    let loaded = loader::load(root, provider);
    compile_loaded(loaded, true)
}

/// [`compile_with_analysis`], parsing incrementally against `caches`
/// (see [`loader::load_incremental`]): the language server's entry point.
pub fn compile_with_analysis_incremental(
    root: &Path,
    provider: &dyn SourceProvider,
    caches: &mut loader::ParseCaches,
) -> Compilation {
    let loaded = loader::load_incremental(root, provider, caches);
    compile_loaded(loaded, true)
}

/// Compiles one in-memory file (tests, benchmarks, tools).
pub fn compile_str(name: &str, text: &str) -> Compilation {
    let mut memory = loader::Memory::<loader::Disk>::default();
    memory
        .files
        .insert(loader::normalize(Path::new(name)), text.to_string());
    compile(Path::new(name), &memory)
}

fn compile_loaded(loaded: Loaded, with_analysis: bool) -> Compilation {
    let Loaded {
        sources,
        mut files,
        root,
        mut diagnostics,
    } = loaded;
    for file in &files {
        for error in &file.ast.errors {
            let mut d = Diagnostic::new(error.code, error.message.clone(), file.id, error.span);
            if error.skipped != error.span && error.skipped.end > error.span.end {
                d = d.with_label(file.id, error.skipped, text!("this part was skipped"));
            }
            d = d.with_help(match error.code {
                Code::TooDeep => too_deep_help(),
                _ => syntax_help(&error.expected),
            });
            diagnostics.push(d);
        }
    }
    let ir = root.map(|root| {
        // An empty main file was reported (A0003); its missing header and
        // certification would only repeat it.
        let root_is_empty = sources.get(root).is_none_or(|f| f.text.trim().is_empty());
        let header_root = (!root_is_empty).then_some(root);
        let model = collect(&files, header_root, &mut diagnostics);
        let locators: Vec<Locator> = model.criteria.iter().map(|c| c.locator).collect();
        let (ir, mentions) = analyse(&model, &sources, with_analysis, &mut diagnostics);
        let index = with_analysis.then(|| analysis::build(&model, &files, &sources, mentions));
        (ir, locators, index)
    });
    let (ir, index) = match ir {
        Some((ir, locators, index)) => (Some((ir, locators)), index),
        None => (None, None),
    };
    // The model borrowed the parsed files; now the IR can take their
    // indicators (most of a referential's text) instead of copying them.
    let ir = ir.map(|(mut ir, locators)| {
        for (criterion, locator) in ir.criteria.iter_mut().zip(locators) {
            if let Some(parsed) = locator.find(&mut files) {
                criterion.indicators = std::mem::take(&mut parsed.indicators)
                    .into_iter()
                    .map(|t| t.value)
                    .collect();
            }
        }
        ir
    });
    let analysis = with_analysis.then(|| {
        let mut index = index.unwrap_or_default();
        index.files = files;
        index.root = root;
        index
    });
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    Compilation {
        sources,
        diagnostics,
        ir,
        analysis,
    }
}

/// The help of every [`Code::TooDeep`], from the parser or the expansion
/// of named rules.
pub(crate) fn too_deep_help() -> acquis_diagnostics::Text {
    text!("split the rule into named rules (`rule part_a() = ...`), or use an aggregate such as `sum({{...}})` instead of a long chain of operators; docs/language.md gives the limits")
}

fn syntax_help(expected: &[acquis_diagnostics::Text]) -> acquis_diagnostics::Text {
    match expected {
        [] => text!("see docs/language.md for the syntax of each item"),
        [one] => text!(
            "write {expected} here; the rest of the item was skipped, the other items were still checked",
            expected = one.clone()
        ),
        _ => text!("the rest of the item was skipped, the other items were still checked; docs/language.md gives the syntax of each item"),
    }
}

/// Lowers the rules, builds and checks the graph, checks the examples, and
/// assembles the IR.
/// `keep_mentions`: keep the names each rule resolved, for the editor's
/// index; the command line does without them (hundreds of thousands on a
/// large referential).
fn analyse(
    model: &Model<'_>,
    sources: &SourceMap,
    keep_mentions: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Ir, Vec<Mention>) {
    let mut reads: Vec<(Node, Vec<Read>)> = Vec::new();
    let mut mentions: Vec<Mention> = Vec::new();
    let span_ir = |file: FileId, span: Span| span_ir(sources, file, span);

    // Entities whose rule could not be compiled: what they would have read
    // is unknown, so no "unread" or "no influence" warning below them.
    let mut failed: HashSet<Node> = HashSet::default();
    // A faulty default rule is reported once, not once per entity.
    let mut seen_default_errors: HashSet<(Code, FileId, Span, String)> = HashSet::default();
    // Where each compiled rule is written, for the exactness check below.
    let mut sites: Vec<(Node, FileId, Span)> = Vec::new();

    let suggest = crate::lower::Suggest::default();
    let mut rule_for = |scope: Scope,
                        own: Option<&ast::RuleDecl>,
                        own_file: FileId,
                        default: Option<(FileId, &ast::RuleDecl)>,
                        node: Node,
                        diagnostics: &mut Vec<Diagnostic>|
     -> RuleIr {
        let (origin, file, decl) = match (own, default) {
            (Some(decl), _) => (RuleOrigin::Own, own_file, decl),
            (None, Some((file, decl))) => (RuleOrigin::Default, file, decl),
            (None, None) => {
                failed.insert(node);
                return RuleIr {
                    origin: RuleOrigin::Own,
                    text: String::new(),
                    expr: ExprIr::Const { value: false },
                };
            }
        };
        let before = diagnostics.len();
        let Lowered {
            expr,
            reads: r,
            mentions: m,
            complete,
        } = lower_rule(model, &suggest, scope, file, &decl.expr, diagnostics);
        if !complete {
            failed.insert(node);
        } else if diagnostics.len() == before {
            check_constant(model, &expr, file, decl, origin, node, diagnostics);
            sites.push((node, file, decl.expr.span));
        } else {
            failed.insert(node);
            if origin == RuleOrigin::Default {
                let new = diagnostics.split_off(before);
                for d in new {
                    let key = (d.code, d.primary.file, d.primary.span, d.message.english());
                    if seen_default_errors.insert(key) {
                        let d = match node {
                            Node::Entity(e) => {
                                let (site_file, site) = model.site_of(e);
                                d.with_label(
                                    site_file,
                                    site,
                                    text!(
                                        "the default rule applied to {name:this}",
                                        name = kind_name(e)
                                    ),
                                )
                            }
                            Node::Certification => d,
                        };
                        diagnostics.push(d);
                    }
                }
            }
        }
        reads.push((node, r));
        if keep_mentions {
            mentions.extend(m);
        }
        let text = sources
            .get(file)
            .map(|f| rule_text(f.slice(decl.expr.span.start, decl.expr.span.end)))
            .unwrap_or_default();
        RuleIr { origin, text, expr }
    };

    let mut competencies = Vec::new();
    for (ci, c) in model.competencies.iter().enumerate() {
        let node = Node::Entity(Entity::Competency(ci));
        // The épreuves of its own block decide it; certification-level
        // ones (a final interview covering every block) only when its
        // block has none.
        let with_rule = |same_block: bool| -> Vec<&ast::Ident> {
            c.assessments
                .iter()
                .filter(|&&ai| graph::has_outcome(model, ai))
                .filter_map(|&ai| model.assessments.get(ai))
                .filter(|a| a.block.is_some() == same_block)
                .map(|a| &a.ast.id)
                .collect()
        };
        let mut deciders = with_rule(true);
        if deciders.is_empty() {
            deciders = with_rule(false);
        }
        let decided = c.criteria.is_empty() && !deciders.is_empty();
        if c.ast.rule.is_none() && model.defaults.competency_rule.is_none() && !decided {
            diagnostics.push(no_rule(
                acquis_diagnostics::Noun::Competency,
                &c.ast.id,
                c.file,
                "competency validated when all criteria acquired",
            ));
        }
        // A competency without criteria is decided by the assessments that
        // cover it and have a rule (`all {E2} validated` unless it says
        // otherwise); without such an assessment it was reported (A0505),
        // and its rule would only add an "empty set" error.
        let rule = if decided {
            match c.ast.rule.as_ref() {
                Some(own) => rule_for(
                    Scope::Competency(ci),
                    Some(own),
                    c.file,
                    None,
                    node,
                    diagnostics,
                ),
                None => {
                    let decl = decided_by(&deciders, c.ast.id.span);
                    let mut rule = rule_for(
                        Scope::Competency(ci),
                        Some(&decl),
                        c.file,
                        None,
                        node,
                        diagnostics,
                    );
                    rule.origin = RuleOrigin::Assessment;
                    rule.text = decided_by_text(&deciders);
                    rule
                }
            }
        } else if c.criteria.is_empty() {
            rule_for(Scope::Competency(ci), None, c.file, None, node, diagnostics)
        } else {
            rule_for(
                Scope::Competency(ci),
                c.ast.rule.as_ref(),
                c.file,
                model.defaults.competency_rule,
                node,
                diagnostics,
            )
        };
        competencies.push(CompetencyIr {
            id: c.ast.id.name.clone(),
            title: c.ast.title.value.clone(),
            docs: c.ast.docs.clone(),
            block: model
                .blocks
                .get(c.block)
                .map(|b| b.ast.id.name.clone())
                .unwrap_or_default(),
            criteria: c
                .criteria
                .iter()
                .map(|&k| model.id_of(Entity::Criterion(k)).to_string())
                .collect(),
            assessments: c
                .assessments
                .iter()
                .map(|&a| model.id_of(Entity::Assessment(a)).to_string())
                .collect(),
            rule,
            span: span_ir(c.file, c.ast.span),
        });
    }

    // An assessment with a rule over its parts has an outcome of its own.
    let mut assessment_rules: Vec<Option<RuleIr>> = Vec::with_capacity(model.assessments.len());
    for (ai, a) in model.assessments.iter().enumerate() {
        let rule = a.ast.rule.as_ref().map(|decl| {
            rule_for(
                Scope::Assessment(ai),
                Some(decl),
                a.file,
                None,
                Node::Entity(Entity::Assessment(ai)),
                diagnostics,
            )
        });
        assessment_rules.push(rule);
    }

    let mut blocks = Vec::new();
    for (bi, b) in model.blocks.iter().enumerate() {
        let node = Node::Entity(Entity::Block(bi));
        if b.ast.rule.is_none() && model.defaults.block_rule.is_none() {
            diagnostics.push(no_rule(
                acquis_diagnostics::Noun::Block,
                &b.ast.id,
                b.file,
                "block validated when all competencies validated",
            ));
        }
        let rule = rule_for(
            Scope::Block(bi),
            b.ast.rule.as_ref(),
            b.file,
            model.defaults.block_rule,
            node,
            diagnostics,
        );
        blocks.push(BlockIr {
            id: b.ast.id.name.clone(),
            title: b.ast.title.value.clone(),
            docs: b.ast.docs.clone(),
            summary: b.ast.summary.as_ref().map(|t| t.value.clone()),
            missions: b.ast.missions.iter().map(|t| t.value.clone()).collect(),
            situations: b
                .ast
                .situations
                .iter()
                .map(|s| SituationIr {
                    title: s.title.value.clone(),
                    activities: s.activities.iter().map(|t| t.value.clone()).collect(),
                    notes: s.notes.iter().map(|t| t.value.clone()).collect(),
                })
                .collect(),
            competencies: b
                .competencies
                .iter()
                .map(|&c| model.id_of(Entity::Competency(c)).to_string())
                .collect(),
            assessments: b
                .assessments
                .iter()
                .map(|&a| model.id_of(Entity::Assessment(a)).to_string())
                .collect(),
            rule,
            span: span_ir(b.file, b.ast.span),
        });
    }

    let certification = match model.certification {
        Some((file, cert)) => {
            let rule = rule_for(
                Scope::Certification,
                Some(&cert.rule),
                file,
                None,
                Node::Certification,
                diagnostics,
            );
            CertificationIr {
                blocks: model.blocks.iter().map(|b| b.ast.id.name.clone()).collect(),
                rule,
                span: span_ir(file, cert.span),
            }
        }
        None => CertificationIr {
            blocks: model.blocks.iter().map(|b| b.ast.id.name.clone()).collect(),
            rule: RuleIr {
                origin: RuleOrigin::Own,
                text: String::new(),
                expr: ExprIr::Const { value: false },
            },
            span: span_ir(FileId(0), Span::default()),
        },
    };

    let graph = DependencyGraph::build(model, &reads);
    diagnostics.extend(graph.cycles(model));
    structural_warnings(model, &graph, &failed, diagnostics);
    let examples = check_examples(model, sources, diagnostics);

    let order = match graph.order() {
        Some(nodes) => nodes.into_iter().map(|n| graph::name(model, n)).collect(),
        None => Vec::new(),
    };

    let mut ir = Ir {
        format: FORMAT.to_string(),
        version: VERSION,
        files: sources.iter().map(|(_, f)| f.path.clone()).collect(),
        referential: referential_ir(model, sources),
        scales: model
            .scales
            .iter()
            .map(|s| ScaleIr {
                id: s.id().to_string(),
                title: s.ast.title.as_ref().map(|t| t.value.clone()),
                kind: s.kind.clone(),
                pass: s.pass.clone(),
                absent: s.absent.clone(),
                labels: match &s.ast.kind {
                    Some(ast::ScaleKind::Levels(levels)) => levels
                        .iter()
                        .zip(&s.ast.labels)
                        .filter_map(|(level, label)| {
                            label
                                .as_ref()
                                .map(|l| (level.name.clone(), l.value.clone()))
                        })
                        .collect(),
                    _ => std::collections::BTreeMap::new(),
                },
                span: span_ir(s.file, s.ast.span),
            })
            .collect(),
        blocks,
        competencies,
        criteria: model
            .criteria
            .iter()
            .map(|c| CriterionIr {
                id: c.qualified.clone(),
                local_id: c.ast.id.name.clone(),
                title: c.ast.title.value.clone(),
                docs: c.ast.docs.clone(),
                owner: c.owner.clone(),
                competencies: c
                    .competencies
                    .iter()
                    .map(|&ci| model.id_of(Entity::Competency(ci)).to_string())
                    .collect(),
                scale: c
                    .scale
                    .and_then(|s| model.scales.get(s))
                    .map(|s| s.id().to_string())
                    .unwrap_or_default(),
                pass: c.pass.clone().unwrap_or(ValueIr::Number(Decimal::ZERO)),
                weight: c.ast.weight.map_or(Decimal::ONE, |w| decimal(w.0)),
                // Filled by `compile_loaded` from the parsed files.
                indicators: Vec::new(),
                absent: c.absent.clone(),
                span: span_ir(c.file, c.ast.span),
            })
            .collect(),
        assessments: model
            .assessments
            .iter()
            .zip(assessment_rules)
            .map(|(a, rule)| AssessmentIr {
                id: a.ast.id.name.clone(),
                title: a.ast.title.value.clone(),
                docs: a.ast.docs.clone(),
                // Empty for a certification-level assessment.
                block: a
                    .block
                    .and_then(|b| model.blocks.get(b))
                    .map(|b| b.ast.id.name.clone())
                    .unwrap_or_default(),
                covers: a
                    .covers
                    .iter()
                    .map(|&c| model.id_of(Entity::Competency(c)).to_string())
                    .collect(),
                kind: a.ast.kind.as_ref().map(|t| t.value.clone()),
                description: a.ast.description.as_ref().map(|t| t.value.clone()),
                tasks: a.ast.tasks.iter().map(|t| t.value.clone()).collect(),
                deliverables: a.ast.deliverables.iter().map(|t| t.value.clone()).collect(),
                notes: a.ast.notes.iter().map(|t| t.value.clone()).collect(),
                duration: a.ast.duration.as_ref().map(duration_ir),
                accommodations: {
                    let mut all: Vec<AccommodationIr> = Vec::new();
                    let own = a.ast.accommodations.iter();
                    for acc in own.chain(model.defaults.accommodations.iter().copied()) {
                        let acc = accommodation_ir(acc);
                        // An assessment may repeat a default: list it once.
                        if !all.contains(&acc) {
                            all.push(acc);
                        }
                    }
                    all
                },
                criteria: a
                    .criteria
                    .iter()
                    .map(|&k| model.id_of(Entity::Criterion(k)).to_string())
                    .collect(),
                absent: a.ast.absent.as_ref().map(|r| absent_rule_ir(&r.counts_as)),
                parts: a
                    .ast
                    .parts
                    .iter()
                    .filter_map(|p| {
                        let k = a.parts.iter().copied().find(|&k| {
                            model
                                .criteria
                                .get(k)
                                .is_some_and(|c| std::ptr::eq(c.ast, &p.criterion))
                        })?;
                        Some(PartIr {
                            id: model.id_of(Entity::Criterion(k)).to_string(),
                            duration: p.duration.as_ref().map(duration_ir),
                            form: p.form.as_ref().map(|t| t.value.clone()),
                            examiners: p.examiners.as_ref().map(|t| t.value.clone()),
                            optional: p.optional.is_some(),
                        })
                    })
                    .collect(),
                rule,
                span: span_ir(a.file, a.ast.span),
            })
            .collect(),
        certification,
        examples,
        records: RecordsIr::default(),
        order,
    };
    records::lower(model, sources, &mut ir, diagnostics);
    check_exactness(model, &ir, &sites, diagnostics);
    (ir, mentions)
}

/// The rule of a competency without criteria that assessments with a rule
/// decide: `all {E2, E3} validated`, written at the competency's id.
fn decided_by(assessments: &[&ast::Ident], at: Span) -> ast::RuleDecl {
    let ids: Vec<ast::Ident> = assessments
        .iter()
        .map(|a| ast::Ident {
            name: a.name.clone(),
            span: at,
        })
        .collect();
    ast::RuleDecl {
        expr: ast::Expr {
            kind: ast::ExprKind::Quantified {
                quantifier: ast::Quantifier::All,
                set: ast::SetExpr {
                    base: ast::SetBase::Explicit(ids),
                    except: Vec::new(),
                    span: at,
                },
                predicate: Some(ast::Predicate::Validated(at)),
            },
            span: at,
        },
        span: at,
    }
}

/// [`decided_by`] as source: `E2 validated`, `all {E2, E3} validated`.
fn decided_by_text(assessments: &[&ast::Ident]) -> String {
    match assessments {
        [one] => format!("{} validated", one.name),
        many => format!(
            "all {{{}}} validated",
            many.iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn duration_ir(d: &ast::Duration) -> DurationIr {
    match d {
        ast::Duration::Minutes(m, _) => DurationIr::Minutes {
            minutes: decimal(*m),
        },
        ast::Duration::Text(t) => DurationIr::Text {
            text: t.value.clone(),
        },
    }
}

/// A0411: a rule that reads missing grades in both directions is decided
/// exactly by trying each of their values (`semantics::case_splits`); warn
/// where that could take more than `MAX_CASES` evaluations, naming the
/// grades, since such an entity may then stay pending when every completion
/// agrees.
fn check_exactness(
    model: &Model<'_>,
    ir: &Ir,
    sites: &[(Node, FileId, Span)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let rules: HashMap<&str, &ExprIr> = ir
        .competencies
        .iter()
        .map(|c| (c.id.as_str(), &c.rule.expr))
        .chain(ir.blocks.iter().map(|b| (b.id.as_str(), &b.rule.expr)))
        .chain(
            ir.assessments
                .iter()
                .filter_map(|a| Some((a.id.as_str(), &a.rule.as_ref()?.expr))),
        )
        .chain(std::iter::once((
            "certification",
            &ir.certification.rule.expr,
        )))
        .collect();
    let sizes: HashMap<&str, u128> = ir
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), scale_size(ir, &c.scale)))
        .collect();
    let rule_of = |id: &str| rules.get(id).copied();
    // Competencies come first: an entity whose costly grades were already
    // reported at a rule it reads is not reported again.
    let mut reported: HashSet<&str> = HashSet::default();
    for &(node, file, span) in sites {
        let id = graph::name(model, node);
        let Some(expr) = rule_of(&id) else { continue };
        let splits: Vec<&str> = kleene::case_splits(expr, &rule_of)
            .into_iter()
            .map(|s| s.id())
            .collect();
        if splits.iter().all(|k| reported.contains(k)) {
            continue;
        }
        // A criterion: each grade of its scale; an entity: two outcomes.
        let cases = splits.iter().try_fold(1u128, |n, k| {
            let size = match rules.contains_key(k) {
                true => 2,
                false => sizes.get(k).copied().unwrap_or(u128::MAX),
            };
            n.checked_mul(size)
        });
        if cases.is_some_and(|n| n <= kleene::MAX_CASES as u128) {
            continue;
        }
        reported.extend(splits.iter().copied());
        diagnostics.push(
            Diagnostic::new(
                Code::CostlyExactness,
                text!("`{id}` reads {join} in both directions: deciding it exactly while they are missing would take more than {max_cases} evaluations", id = &id, join = splits.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "), max_cases = kleene::MAX_CASES),
                file,
                span,
            )
            .with_help(text!("while those grades are missing, eval may say pending where every value of them gives one outcome; read each of them once, or in one direction (raising it only helps, or only hurts)")),
        );
    }
}

/// How many grades a criterion's scale allows.
fn scale_size(ir: &Ir, scale: &str) -> u128 {
    match ir.scales.iter().find(|s| s.id == scale).map(|s| &s.kind) {
        Some(ScaleKindIr::Levels { levels }) => levels.len() as u128,
        Some(ScaleKindIr::Range { min, max, step }) if step.is_positive() => {
            let steps = max
                .exact()
                .checked_sub(min.exact())
                .and_then(|w| w.checked_div(step.exact()));
            match steps {
                Ok(n) if n.is_integer() && n >= Exact::ZERO => {
                    u128::try_from(n.numerator()).map_or(u128::MAX, |n| n.saturating_add(1))
                }
                _ => u128::MAX,
            }
        }
        _ => u128::MAX,
    }
}

fn no_rule(
    kind: acquis_diagnostics::Noun,
    id: &ast::Ident,
    file: FileId,
    default: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::NoRule,
        text!(
            "{kind} `{id}` has no rule and there is no default",
            kind = kind,
            id = &id.name
        ),
        file,
        id.span,
    )
    .with_help(text!(
        "give it `validated when ...`, or add `{default}` to `defaults`",
        default = &default
    ))
}

pub fn span_ir(sources: &SourceMap, file: FileId, span: Span) -> SpanIr {
    let (line, column) = sources.get(file).map_or((1, 1), |f| f.line_col(span.start));
    SpanIr {
        file: file.0,
        start: span.start,
        end: span.end,
        line,
        column,
    }
}

fn referential_ir(model: &Model<'_>, sources: &SourceMap) -> ReferentialIr {
    match model.header {
        Some((file, r)) => ReferentialIr {
            id: r.id.name.clone(),
            title: r.title.value.clone(),
            level: r.level.map(|l| l.0),
            version: r.version.as_ref().map(|t| t.value.clone()),
            lang: r.lang.as_ref().map_or("en".to_string(), |l| l.name.clone()),
            meta: r
                .meta
                .iter()
                .map(|(k, v)| (k.name.clone(), v.value.clone()))
                .collect::<BTreeMap<_, _>>(),
            accommodation: r.accommodation.as_ref().map(|t| t.value.clone()),
            docs: r.docs.clone(),
            span: span_ir(sources, file, r.span),
        },
        None => ReferentialIr {
            id: String::new(),
            title: String::new(),
            level: None,
            version: None,
            lang: "en".to_string(),
            meta: BTreeMap::new(),
            accommodation: None,
            docs: Vec::new(),
            span: span_ir(sources, FileId(0), Span::default()),
        },
    }
}

fn accommodation_ir(a: &ast::Accommodation) -> AccommodationIr {
    AccommodationIr {
        kind: a.kind.name.clone(),
        value: a.value.as_ref().map(|v| match v {
            ast::AccommodationValue::Fraction {
                numerator,
                denominator,
            } => format!("{numerator}/{denominator}"),
            ast::AccommodationValue::Minutes(m) => format!("{m} min"),
            ast::AccommodationValue::Number(n) => n.to_string(),
        }),
        context: a.context.as_ref().map(|c| c.name.clone()),
        description: a.description.as_ref().map(|t| t.value.clone()),
    }
}

/// Every member unknown: the rule's outcome if nothing is graded.
struct NothingKnown<'m, 'a> {
    model: &'m Model<'a>,
}

impl Facts for NothingKnown<'_, '_> {
    fn outcome(&self, _: &str) -> Truth {
        Truth::Unknown
    }

    fn grade(&self, id: &str) -> Interval {
        let bounds = self
            .model
            .criterion_by_id
            .get(id)
            .and_then(|&k| self.model.scale_of(k))
            .map(|s| s.bounds());
        match bounds.and_then(|(lo, hi)| {
            Some((Exact::from_f64_shortest(lo)?, Exact::from_f64_shortest(hi)?))
        }) {
            Some((lo, hi)) => Interval::between(lo, hi),
            None => Interval::any(),
        }
    }

    fn threshold(&self, id: &str, value: &ValueIr) -> Exact {
        match value {
            ValueIr::Number(n) => n.exact(),
            ValueIr::Level(level) => self
                .model
                .criterion_by_id
                .get(id)
                .and_then(|&k| self.model.scale_of(k))
                .and_then(|s| s.rank(level))
                .map_or(Exact::ZERO, kleene::size),
        }
    }

    fn weight(&self, id: &str) -> Exact {
        self.model
            .criterion_by_id
            .get(id)
            .and_then(|&k| self.model.criteria.get(k))
            .and_then(|c| c.ast.weight)
            .map_or(Exact::ONE, |w| decimal(w.0).exact())
    }
}

/// Kleene logic cannot see that `CE1 acquired or not CE1 acquired` always
/// holds. For rules that read only outcomes of a few members, try every
/// combination of outcomes: the rule is constant if all give one answer.
fn every_outcome(expr: &ExprIr, base: &NothingKnown<'_, '_>) -> Truth {
    const MAX_MEMBERS: usize = 12;
    if !reads_only_outcomes(expr) {
        return Truth::Unknown;
    }
    let members = expr.members();
    if members.is_empty() || members.len() > MAX_MEMBERS {
        return Truth::Unknown;
    }
    let mut seen = (false, false);
    // Nothing passed, then everything passed, first: most rules are
    // monotone and not constant, and these two settle them after two
    // evaluations instead of 2^n. The verdict does not depend on the order.
    let everything = (1u32 << members.len()) - 1;
    let masks = [0, everything].into_iter().chain(1..everything);
    for mask in masks {
        let facts = Assignment {
            members: &members,
            mask,
            base,
        };
        match kleene::eval(expr, &facts) {
            Truth::True => seen.0 = true,
            Truth::False => seen.1 = true,
            Truth::Unknown => return Truth::Unknown,
        }
        if seen.0 && seen.1 {
            return Truth::Unknown;
        }
    }
    match seen {
        (true, false) => Truth::True,
        (false, true) => Truth::False,
        _ => Truth::Unknown,
    }
}

fn reads_only_outcomes(expr: &ExprIr) -> bool {
    match expr {
        ExprIr::And { args } | ExprIr::Or { args } => args.iter().all(reads_only_outcomes),
        ExprIr::Not { arg } => reads_only_outcomes(arg),
        ExprIr::All { test, .. }
        | ExprIr::Any { test, .. }
        | ExprIr::None { test, .. }
        | ExprIr::AtLeast { test, .. }
        | ExprIr::AtMost { test, .. }
        | ExprIr::Member { test, .. } => *test == TestIr::Outcome,
        ExprIr::Compare { .. } => false,
        ExprIr::Const { .. } => true,
    }
}

/// Member `i` of `members` passes when bit `i` of `mask` is set.
struct Assignment<'m, 'b, 'x, 'a> {
    members: &'m [&'m str],
    mask: u32,
    base: &'b NothingKnown<'x, 'a>,
}

impl Facts for Assignment<'_, '_, '_, '_> {
    fn outcome(&self, id: &str) -> Truth {
        match self.members.iter().position(|m| *m == id) {
            Some(i) if self.mask & (1 << i) != 0 => Truth::True,
            Some(_) => Truth::False,
            None => Truth::Unknown,
        }
    }

    fn grade(&self, id: &str) -> Interval {
        self.base.grade(id)
    }

    fn threshold(&self, id: &str, value: &ValueIr) -> Exact {
        self.base.threshold(id, value)
    }

    fn weight(&self, id: &str) -> Exact {
        self.base.weight(id)
    }
}

fn check_constant(
    model: &Model<'_>,
    expr: &ExprIr,
    file: FileId,
    decl: &ast::RuleDecl,
    origin: RuleOrigin,
    node: Node,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let nothing_known = NothingKnown { model };
    if let Some(divisor) = zero_divisor(expr, &nothing_known) {
        let owner = graph::name(model, node);
        let rule = acquis_ir::print::source(
            &ExprIr::Compare {
                lhs: divisor.clone(),
                cmp: CmpOp::Ge,
                rhs: NumIr::Number {
                    value: Decimal::ZERO,
                },
            },
            &|_| true,
        );
        let divisor = rule.strip_suffix(" >= 0").unwrap_or(&rule).to_string();
        diagnostics.push(
            Diagnostic::new(
                Code::DivisorCanBeZero,
                text!("the rule of `{owner}` divides by `{divisor}`, which can be 0", owner = &owner, divisor = &divisor),
                file,
                decl.expr.span,
            )
            .with_primary_message(text!("the divisor can be 0"))
            .with_help(text!("a quotient by 0 has no value: a candidate whose divisor is 0 stays pending, even fully graded; divide by a number that cannot be 0 (`max(x, 1)`, the size of a set), or compare without dividing (`sum({{CE1}}) >= sum({{CE2}})` for `sum({{CE1}}) / sum({{CE2}}) >= 1`)")),
        );
    }
    if let Some(part) = too_large(expr, &nothing_known) {
        let owner = graph::name(model, node);
        let rule = acquis_ir::print::source(
            &ExprIr::Compare {
                lhs: part.clone(),
                cmp: CmpOp::Ge,
                rhs: NumIr::Number {
                    value: Decimal::ZERO,
                },
            },
            &|_| true,
        );
        let part = rule.strip_suffix(" >= 0").unwrap_or(&rule).to_string();
        diagnostics.push(
            Diagnostic::new(
                Code::NumberTooLarge,
                text!("the rule of `{owner}` computes `{part}`, which can be too large to be computed exactly", owner = &owner, part = &part),
                file,
                decl.expr.span,
            )
            .with_primary_message(text!("too large for exact arithmetic"))
            .with_help(text!("marks, weights and coefficients of real règlements stay far inside the range; look for a product or a power of ten written by mistake")),
        );
        return;
    }
    let mut truth = kleene::eval(expr, &nothing_known);
    if truth == Truth::Unknown {
        truth = every_outcome(expr, &nothing_known);
    }
    let owner = graph::name(model, node);
    let (message, label, help) = match truth {
        Truth::True => (
            text!("the rule of `{owner}` is always true, whatever the grades", owner = &owner),
            text!("always true"),
            text!("a rule that holds without any grade validates every candidate; raise the threshold or the count"),
        ),
        Truth::False => (
            text!("the rule of `{owner}` is always false, whatever the grades", owner = &owner),
            text!("always false"),
            text!("a rule that can never hold validates no candidate; lower the threshold or the count"),
        ),
        Truth::Unknown => return,
    };
    let mut d = Diagnostic::new(Code::ConstantRule, message, file, decl.expr.span)
        .with_primary_message(label)
        .with_help(help);
    if origin == RuleOrigin::Default {
        if let Node::Entity(e) = node {
            let (site_file, site) = model.site_of(e);
            d = d.with_label(
                site_file,
                site,
                text!(
                    "the default rule applies to {name:this}",
                    name = kind_name(e)
                ),
            );
        }
    }
    diagnostics.push(d);
}

/// The first divisor of a rule that can be 0, with every grade anywhere on
/// its scale ([`kleene::zero_divisor`]).
fn zero_divisor<'e>(expr: &'e ExprIr, facts: &dyn Facts) -> Option<&'e NumIr> {
    in_comparisons(expr, &|n| kleene::zero_divisor(n, facts))
}

/// The first number a rule computes that can leave exact arithmetic, with
/// every grade anywhere on its scale ([`kleene::overflow`]).
fn too_large<'e>(expr: &'e ExprIr, facts: &dyn Facts) -> Option<&'e NumIr> {
    in_comparisons(expr, &|n| kleene::overflow(n, facts))
}

/// The first number `find` gives in the sides of a rule's comparisons (the
/// only place a rule computes numbers).
fn in_comparisons<'e>(
    expr: &'e ExprIr,
    find: &dyn Fn(&'e NumIr) -> Option<&'e NumIr>,
) -> Option<&'e NumIr> {
    match expr {
        ExprIr::And { args } | ExprIr::Or { args } => {
            args.iter().find_map(|a| in_comparisons(a, find))
        }
        ExprIr::Not { arg } => in_comparisons(arg, find),
        ExprIr::Compare { lhs, rhs, .. } => find(lhs).or_else(|| find(rhs)),
        ExprIr::All { .. }
        | ExprIr::Any { .. }
        | ExprIr::None { .. }
        | ExprIr::AtLeast { .. }
        | ExprIr::AtMost { .. }
        | ExprIr::Member { .. }
        | ExprIr::Const { .. } => None,
    }
}

/// Uncovered competencies, criteria no rule reads, and entities that
/// cannot influence the certification. Each problem is reported at the
/// highest entity it concerns: a block that cannot influence the
/// certification, not also each of its competencies.
fn structural_warnings(
    model: &Model<'_>,
    graph: &DependencyGraph,
    failed: &HashSet<Node>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let read = graph.read_nodes();
    let influencing = graph.influencing();
    let check_influence = model.certification.is_some() && !failed.contains(&Node::Certification);
    let block_node = |bi: usize| Node::Entity(Entity::Block(bi));
    let competency_node = |ci: usize| Node::Entity(Entity::Competency(ci));
    // A règlement that compensates across units reads the marks of the
    // épreuves (their parts, their outcomes) and not the units' outcomes:
    // a block or competency whose marks reach the certification that way
    // is legitimate (its outcome still says whether the unit is acquired).
    let marks_influence = |assessments: &[usize], criteria: &[usize]| {
        criteria
            .iter()
            .any(|&k| influencing.contains(&Node::Entity(Entity::Criterion(k))))
            || assessments.iter().any(|&ai| {
                influencing.contains(&Node::Entity(Entity::Assessment(ai)))
                    || model.assessments.get(ai).is_some_and(|a| {
                        a.parts
                            .iter()
                            .any(|&k| influencing.contains(&Node::Entity(Entity::Criterion(k))))
                    })
            })
    };
    for (bi, b) in model.blocks.iter().enumerate() {
        let criteria: Vec<usize> = b
            .competencies
            .iter()
            .filter_map(|&ci| model.competencies.get(ci))
            .flat_map(|c| c.criteria.iter().copied())
            .collect();
        if check_influence
            && !influencing.contains(&block_node(bi))
            && !marks_influence(&b.assessments, &criteria)
        {
            diagnostics.push(no_influence(model, Entity::Block(bi)));
        }
    }
    for (ci, c) in model.competencies.iter().enumerate() {
        if c.assessments.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::UncoveredCompetency,
                    text!(
                        "no assessment covers competency `{id}`",
                        id = &c.ast.id.name
                    ),
                    c.file,
                    c.ast.id.span,
                )
                .with_help(text!(
                    "add it to the `covers` of the assessment that evaluates it"
                )),
            );
        }
        let parent = block_node(c.block);
        let parent_fine = influencing.contains(&parent) && !failed.contains(&parent);
        if check_influence
            && parent_fine
            && !influencing.contains(&competency_node(ci))
            && !marks_influence(&c.assessments, &c.criteria)
        {
            diagnostics.push(no_influence(model, Entity::Competency(ci)));
        }
    }
    // A0507: an assessment with parts, no rule of its own, and no rule
    // that reads any of its parts: its marks decide nothing. Said once
    // for the assessment instead of A0502 for each part.
    let mut silent_parts: HashSet<usize> = HashSet::default();
    for a in &model.assessments {
        let unread = a
            .parts
            .iter()
            .all(|&k| !read.contains(&Node::Entity(Entity::Criterion(k))));
        if a.parts.is_empty() || a.ast.rule.is_some() || !unread {
            continue;
        }
        silent_parts.extend(a.parts.iter().copied());
        diagnostics.push(
            Diagnostic::new(
                Code::PartsWithoutRule,
                text!("assessment `{id}` has parts, but no rule decides it and no rule reads them", id = &a.ast.id.name),
                a.file,
                a.ast.id.span,
            )
            .with_help(text!("give it `validated when weighted average(parts) >= 10`, or read its parts in a rule (`sum({{E1/ecrit}})`)")),
        );
    }
    for (k, c) in model.criteria.iter().enumerate() {
        if silent_parts.contains(&k) {
            continue;
        }
        let node = Node::Entity(Entity::Criterion(k));
        let owners_failed = c
            .competencies
            .iter()
            .any(|&ci| failed.contains(&competency_node(ci)));
        if owners_failed {
            continue;
        }
        if !read.contains(&node) {
            diagnostics.push(
                Diagnostic::new(
                    Code::UnreadCriterion,
                    text!(
                        "no rule reads criterion `{qualified}`",
                        qualified = &c.qualified
                    ),
                    c.file,
                    c.ast.id.span,
                )
                .with_help(text!(
                    "its grade decides nothing; use it in its competency's rule, or remove it"
                )),
            );
            continue;
        }
        let owners_influence = c
            .competencies
            .iter()
            .all(|&ci| influencing.contains(&competency_node(ci)));
        if check_influence && owners_influence && !influencing.contains(&node) {
            diagnostics.push(no_influence(model, Entity::Criterion(k)));
        }
    }
}

fn no_influence(model: &Model<'_>, entity: Entity) -> Diagnostic {
    let (file, span) = model.site_of(entity);
    Diagnostic::new(
        Code::NoInfluence,
        text!(
            "{entity} `{entity2}` cannot influence the certification",
            entity = kind_name(entity),
            entity2 = model.id_of(entity)
        ),
        file,
        span,
    )
    .with_help(text!(
        "no chain of rules leads from the certification to it; read it in a rule, or remove it"
    ))
}

/// A statement `absent counts as …` as the IR writes it.
fn absent_rule_ir(counts_as: &ast::AbsentValue) -> AbsentRuleIr {
    match counts_as {
        ast::AbsentValue::NotAcquired(_) => AbsentRuleIr {
            counts_as: AbsentKind::NotAcquired,
            value: None,
        },
        ast::AbsentValue::Value(ast::Value::Number(n, _)) => AbsentRuleIr {
            counts_as: AbsentKind::Value,
            value: Some(ValueIr::Number(decimal(*n))),
        },
        ast::AbsentValue::Value(ast::Value::Name(level)) => AbsentRuleIr {
            counts_as: AbsentKind::Value,
            value: Some(ValueIr::Level(level.name.clone())),
        },
    }
}

/// A0603: criterion `k` is absent in an example, and nothing says what
/// absence counts as for it.
fn absent_without_rule(
    model: &Model<'_>,
    sources: &SourceMap,
    k: usize,
    file: FileId,
    word: &ast::Ident,
) -> Diagnostic {
    let id = model.id_of(Entity::Criterion(k));
    let scale = model.scale_of(k);
    let line = match scale.map(|s| &s.kind) {
        Some(ScaleKindIr::Range { min, .. }) => format!("absent counts as {min}"),
        _ => "absent counts as not acquired".to_string(),
    };
    let assessments: Vec<&str> = model
        .assessments
        .iter()
        .filter(|a| {
            a.criteria.contains(&k)
                || model
                    .criteria
                    .get(k)
                    .is_some_and(|c| a.covers.iter().any(|ci| c.competencies.contains(ci)))
        })
        .map(|a| a.ast.id.name.as_str())
        .collect();
    let mut places: Vec<acquis_diagnostics::Text> = Vec::new();
    // The standard library's scales cannot be edited.
    let editable = |s: &&crate::collect::ScaleDef<'_>| {
        sources
            .get(s.file)
            .is_some_and(|f| !f.path.starts_with("<std>"))
    };
    if let Some(s) = scale.filter(editable) {
        places.push(text!("scale `{id}`", id = &s.id()));
    }
    places.extend(
        assessments
            .iter()
            .map(|a| text!("assessment `{id}`", id = a)),
    );
    places.push(text!("`defaults`"));
    let mut d = Diagnostic::new(
        Code::ExampleAbsentWithoutRule,
        text!("`{id}` is absent (`{word}`) in this example, but the referential does not say what absence counts as for it", id = &id, word = &word.name),
        file,
        word.span,
    )
    .with_help(text!("add `{line}` (or `absent counts as <grade>`) to {places}", line = &line, places = acquis_diagnostics::Text::list_or(places)));
    if let Some(c) = model.criteria.get(k) {
        d = d.with_label(c.file, c.ast.id.span, text!("the criterion"));
    }
    d
}

/// Checks the ids, grades and outcome words of `example` blocks.
fn check_examples(
    model: &Model<'_>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ExampleIr> {
    let mut out = Vec::new();
    for &(file, example) in &model.examples {
        let mut grades: Vec<GradeIr> = Vec::new();
        let mut graded: Vec<(&str, Span)> = Vec::new();
        for grade in &example.grades {
            let Some(&k) = model.criterion_by_id.get(&grade.criterion.name) else {
                let names: Vec<&str> = model
                    .criteria
                    .iter()
                    .map(|c| c.qualified.as_str())
                    .collect();
                diagnostics.push(unknown_reference(
                    &grade.criterion.name,
                    file,
                    grade.criterion.span,
                    names,
                    acquis_diagnostics::Noun::Criterion,
                ));
                continue;
            };
            if let Some(&(_, first)) = graded.iter().find(|(id, _)| *id == grade.criterion.name) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateGrade,
                        text!(
                            "`{criterion}` is graded twice in this example",
                            criterion = &grade.criterion.name
                        ),
                        file,
                        grade.span,
                    )
                    .with_label(file, first, text!("first grade here"))
                    .with_help(text!("keep one grade per criterion")),
                );
                continue;
            }
            graded.push((grade.criterion.name.as_str(), grade.span));
            let Some(scale) = model.scale_of(k) else {
                continue;
            };
            // `ABS`: absent, unless the scale has a level written so.
            if let ast::Value::Name(word) = &grade.value {
                if scale.rank(&word.name).is_none() && is_absent_word(&word.name) {
                    match model.criteria.get(k).and_then(|c| c.absent.as_ref()) {
                        Some(absent) => grades.push(GradeIr {
                            criterion: grade.criterion.name.clone(),
                            value: absent.value.clone(),
                            absent: true,
                        }),
                        None => {
                            diagnostics.push(absent_without_rule(model, sources, k, file, word))
                        }
                    }
                    continue;
                }
            }
            match check_value(scale, &grade.value, file, text!("the grade")) {
                Ok(value) => grades.push(GradeIr {
                    criterion: grade.criterion.name.clone(),
                    value,
                    absent: false,
                }),
                Err(d) => diagnostics.push(*d),
            }
        }
        let mut expect = Vec::new();
        for x in &example.expectations {
            use acquis_diagnostics::Noun;
            let kind = if x.target.name == "certification" {
                Some(Noun::Certification)
            } else if model.criterion_by_id.contains_key(&x.target.name) {
                Some(Noun::Criterion)
            } else {
                match model.global.get(&x.target.name) {
                    Some(Entity::Block(_)) => Some(Noun::Block),
                    Some(Entity::Competency(_)) => Some(Noun::Competency),
                    Some(Entity::Assessment(ai)) if graph::has_outcome(model, *ai) => {
                        Some(Noun::Assessment)
                    }
                    Some(Entity::Assessment(_)) => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::NoOutcome,
                                text!("`{target}` is an assessment; it has no outcome to expect", target = &x.target.name),
                                file,
                                x.target.span,
                            )
                            .with_help(text!("expect outcomes of criteria, competencies, blocks or `certification`")),
                        );
                        continue;
                    }
                    _ => None,
                }
            };
            let Some(kind) = kind else {
                let mut names: Vec<&str> = model.global.keys().map(String::as_str).collect();
                names.extend(model.criteria.iter().map(|c| c.qualified.as_str()));
                names.push("certification");
                names.sort_unstable();
                diagnostics.push(unknown_reference(
                    &x.target.name,
                    file,
                    x.target.span,
                    names,
                    acquis_diagnostics::Noun::Id,
                ));
                continue;
            };
            let allowed: &[&str] = if kind == Noun::Criterion {
                &["acquired", "not_acquired", "pending"]
            } else {
                &["validated", "not_validated", "pending"]
            };
            let outcome = OutcomeIr::ALL
                .into_iter()
                .find(|o| o.word() == x.outcome.name && allowed.contains(&o.word()));
            let Some(outcome) = outcome else {
                let mut d = Diagnostic::new(
                    Code::BadOutcome,
                    text!(
                        "`{outcome}` is not an outcome of {kind:a}",
                        outcome = &x.outcome.name,
                        kind = kind
                    ),
                    file,
                    x.outcome.span,
                );
                d = match diagnostic::did_you_mean(&x.outcome.name, allowed.iter().copied()) {
                    Some(close) => d
                        .with_help(text!(
                            "did you mean `{close}`? {kind:a} is {join}",
                            close = &close,
                            kind = kind,
                            join = allowed
                                .iter()
                                .map(|w| format!("`{w}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                        .with_suggestion(
                            file,
                            x.outcome.span,
                            close,
                            text!("replace with `{close}`", close = &close),
                        ),
                    None => d.with_help(text!(
                        "{kind:a} is {join}",
                        kind = kind,
                        join = allowed
                            .iter()
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                diagnostics.push(d);
                continue;
            };
            expect.push(ExpectationIr {
                id: x.target.name.clone(),
                outcome,
            });
        }
        out.push(ExampleIr {
            name: example.name.value.clone(),
            grades,
            expect,
            session: None,
            earlier: Vec::new(),
            holds: Vec::new(),
            dispensed: Vec::new(),
            decisions: Vec::new(),
            span: span_ir(sources, file, example.span),
        });
    }
    out
}
