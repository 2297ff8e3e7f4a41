//! Rules from the AST to the IR's expression trees: sets are resolved to
//! qualified ids, named rules are expanded, predicates and thresholds are
//! checked against the members' scales.

use acquis_diagnostics::text;
use rustc_hash::FxHashMap as HashMap;

use acquis_grammar::ast::{
    self, Count, ExprKind, Ident, NumExpr, Predicate, Quantifier, SetBase, Span,
};

use crate::collect::{check_value, kind_name, unknown_reference, Entity, Model};
use acquis_diagnostics::codes::Code;
use acquis_diagnostics::diagnostic::{did_you_mean, Diagnostic};
use acquis_diagnostics::source::FileId;
use acquis_ir::{AggregateFn, ArithOp, CmpOp, ExprIr, NumIr, RoundMode, ScaleKindIr, TestIr};

/// The most decimals `round`, `floor` and `ceil` may keep: a mark is never
/// given to a millionth, and exact numbers stay far from their limits.
pub const MAX_DECIMALS: u32 = 6;

/// Whose rule is being lowered: this decides what `criteria`,
/// `competencies` and `blocks` mean, and which short ids are visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Competency(usize),
    /// The rule of an assessment with parts: it reads its `parts`.
    Assessment(usize),
    Block(usize),
    Certification,
}

/// A member read by a rule, and where (for the graph's cycle reports).
#[derive(Debug, Clone, Copy)]
pub struct Read {
    pub member: Entity,
    pub file: FileId,
    pub span: Span,
}

pub struct Lowered {
    pub expr: ExprIr,
    pub reads: Vec<Read>,
    /// Every name the rule resolved, for the editor's index (`analysis`).
    pub mentions: Vec<Mention>,
    /// False when the rule had a syntax error (the parser left an empty
    /// placeholder): what it reads is unknown.
    pub complete: bool,
}

/// What a name written in a rule was resolved to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Entity(Entity),
    Rule(String),
    Level {
        scale: usize,
        level: String,
    },
    /// A set (`criteria`, `{CE1, CE2}`, ...) and its number of members.
    SetSize(usize),
}

/// A name resolved while lowering: what, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub target: Resolved,
    pub file: FileId,
    pub span: Span,
}

/// Indexes of the referential's names for "did you mean", built on the
/// first unknown name and shared by every rule of a compilation: rules may
/// name thousands of unknown ids, and comparing each with every name would
/// cost their product.
#[derive(Default)]
pub struct Suggest<'m> {
    /// Every criterion's qualified id.
    qualified: std::cell::OnceCell<acquis_diagnostics::Suggestions<'m>>,
    /// Competencies and blocks, the ids a rule names outside a competency.
    entities: std::cell::OnceCell<acquis_diagnostics::Suggestions<'m>>,
    /// Each criterion's short id → the qualified id of the first with it.
    short: std::cell::OnceCell<HashMap<&'m str, &'m str>>,
}

impl<'m> Suggest<'m> {
    fn qualified(&self, model: &'m Model<'_>, wanted: &str) -> Option<&'m str> {
        self.qualified
            .get_or_init(|| {
                acquis_diagnostics::Suggestions::new(
                    model.criteria.iter().map(|c| c.qualified.as_str()),
                )
            })
            .closest(wanted)
    }

    fn entity(&self, model: &'m Model<'_>, wanted: &str) -> Option<&'m str> {
        self.entities
            .get_or_init(|| {
                acquis_diagnostics::Suggestions::new(
                    model
                        .competencies
                        .iter()
                        .map(|c| c.ast.id.name.as_str())
                        .chain(model.blocks.iter().map(|b| b.ast.id.name.as_str())),
                )
            })
            .closest(wanted)
    }

    fn short(&self, model: &'m Model<'_>, name: &str) -> Option<&'m str> {
        self.short
            .get_or_init(|| {
                let mut first: HashMap<&'m str, &'m str> = HashMap::default();
                for c in &model.criteria {
                    first
                        .entry(c.ast.id.name.as_str())
                        .or_insert(c.qualified.as_str());
                }
                first
            })
            .get(name)
            .copied()
    }
}

/// Lowers one `validated when` rule written in `file`.
pub fn lower_rule<'m>(
    model: &'m Model<'_>,
    suggest: &Suggest<'m>,
    scope: Scope,
    file: FileId,
    expr: &ast::Expr,
    diagnostics: &mut Vec<Diagnostic>,
) -> Lowered {
    let mut lowerer = Lowerer {
        model,
        suggest,
        local: std::cell::OnceCell::new(),
        scope,
        diagnostics,
        calls: Vec::new(),
        reads: Vec::new(),
        mentions: Vec::new(),
        complete: true,
        depth: 0,
        too_deep: false,
        nodes: 0,
    };
    let frame = Frame {
        file,
        bindings: HashMap::default(),
    };
    let expr = lowerer.expr(expr, &frame);
    Lowered {
        expr,
        reads: lowerer.reads,
        mentions: lowerer.mentions,
        complete: lowerer.complete,
    }
}

/// Where the expression being lowered is written, and the parameters of
/// the named rule it belongs to.
struct Frame {
    file: FileId,
    bindings: HashMap<String, (ast::Value, FileId)>,
}

struct Lowerer<'m, 'a, 'd> {
    model: &'m Model<'a>,
    suggest: &'d Suggest<'m>,
    /// The scope's own criteria, indexed for "did you mean" on the first
    /// unknown name of the rule.
    local: std::cell::OnceCell<acquis_diagnostics::Suggestions<'m>>,
    scope: Scope,
    diagnostics: &'d mut Vec<Diagnostic>,
    /// Named rules being expanded: name, and the call's file and span.
    calls: Vec<(String, FileId, Span)>,
    reads: Vec<Read>,
    mentions: Vec<Mention>,
    complete: bool,
    /// Nodes from the root to the one being lowered. A rule as parsed is
    /// at most `MAX_RULE_DEPTH` deep, but expanding named rules adds their
    /// depths: past the bound, the rule is refused (once).
    depth: usize,
    too_deep: bool,
    /// Nodes lowered so far: named rules are expanded where they are
    /// used, so a rule calling another twice, which calls another twice…
    /// doubles at each call of a 1 KB file. Past [`MAX_EXPANDED_NODES`],
    /// the rule is refused (once), as one too deep.
    nodes: usize,
}

/// The most nodes a rule may have once its named rules are expanded: far
/// more than any rule written out (a rule is at most 100 levels deep, and
/// a règlement's rule has tens of nodes), far less than a machine's memory.
pub const MAX_EXPANDED_NODES: usize = 100_000;

const FALSE: ExprIr = ExprIr::Const { value: false };

impl<'m> Lowerer<'m, '_, '_> {
    /// Reports a diagnostic, pointing also at the calls it was expanded from.
    fn report(&mut self, mut d: Diagnostic) {
        for (name, file, span) in self.calls.iter().rev() {
            d = d.with_label(*file, *span, text!("in this use of `{name}`", name = &name));
        }
        self.diagnostics.push(d);
    }

    /// Reads are attributed to the outermost call site, where the entity's
    /// own rule is written.
    fn read(&mut self, member: Entity, file: FileId, span: Span) {
        let (file, span) = match self.calls.first() {
            Some((_, f, s)) => (*f, *s),
            None => (file, span),
        };
        self.reads.push(Read { member, file, span });
    }

    fn mention(&mut self, target: Resolved, file: FileId, span: Span) {
        self.mentions.push(Mention { target, file, span });
    }

    /// Enters one level of the tree; `false` (reported once per rule) when
    /// it is deeper than [`acquis_ir::MAX_RULE_DEPTH`].
    fn enter(&mut self, span: Span, frame: &Frame) -> bool {
        self.depth += 1;
        self.nodes += 1;
        if self.depth <= acquis_ir::MAX_RULE_DEPTH && self.nodes <= MAX_EXPANDED_NODES {
            return true;
        }
        self.complete = false;
        if !self.too_deep {
            self.too_deep = true;
            let message = if self.depth > acquis_ir::MAX_RULE_DEPTH {
                text!("this rule is nested too deeply once its named rules are expanded: more than {max_rule_depth} levels", max_rule_depth = acquis_ir::MAX_RULE_DEPTH)
            } else {
                text!("this rule is too large once its named rules are expanded: more than {most} operators and values (each use of a named rule copies its body)", most = MAX_EXPANDED_NODES)
            };
            self.report(
                Diagnostic::new(Code::TooDeep, message, frame.file, span)
                    .with_help(crate::compile::too_deep_help()),
            );
        }
        false
    }

    fn expr(&mut self, expr: &ast::Expr, frame: &Frame) -> ExprIr {
        let lowered = if self.enter(expr.span, frame) {
            self.expr_inner(expr, frame)
        } else {
            FALSE
        };
        self.depth -= 1;
        lowered
    }

    fn num(&mut self, num: &NumExpr, frame: &Frame) -> Option<NumIr> {
        let lowered = if self.enter(num.span(), frame) {
            self.num_inner(num, frame)
        } else {
            None
        };
        self.depth -= 1;
        lowered
    }

    fn expr_inner(&mut self, expr: &ast::Expr, frame: &Frame) -> ExprIr {
        match &expr.kind {
            // The parser's placeholder for a rule it could not read.
            ExprKind::And(parts) if parts.is_empty() => {
                self.complete = false;
                FALSE
            }
            ExprKind::And(parts) => ExprIr::And {
                args: parts.iter().map(|p| self.expr(p, frame)).collect(),
            },
            ExprKind::Or(parts) => ExprIr::Or {
                args: parts.iter().map(|p| self.expr(p, frame)).collect(),
            },
            ExprKind::Not(inner) => ExprIr::Not {
                arg: Box::new(self.expr(inner, frame)),
            },
            ExprKind::Quantified {
                quantifier,
                set,
                predicate,
            } => self.quantified(quantifier, set, predicate.as_ref(), frame),
            ExprKind::Counted {
                at_least,
                size,
                set,
                predicate,
            } => self.counted(at_least, size, set, predicate.as_ref(), expr.span, frame),
            ExprKind::Member { target, predicate } => {
                let Some(member) = self.reference(target, frame.file) else {
                    return FALSE;
                };
                self.read(member, frame.file, target.span);
                match self.test(Some(predicate), &[member], frame) {
                    Some(test) => ExprIr::Member {
                        id: self.model.id_of(member).to_string(),
                        test,
                    },
                    None => FALSE,
                }
            }
            ExprKind::Call { name, args } => self.call(name, args, expr.span, frame),
            ExprKind::Compare { lhs, op, rhs } => {
                let (Some(l), Some(r)) = (self.num(lhs, frame), self.num(rhs, frame)) else {
                    return FALSE;
                };
                self.check_threshold(&l, &r, rhs, frame);
                self.check_threshold(&r, &l, lhs, frame);
                ExprIr::Compare {
                    lhs: l,
                    cmp: cmp_op(*op),
                    rhs: r,
                }
            }
        }
    }

    fn quantified(
        &mut self,
        quantifier: &Quantifier,
        set: &ast::SetExpr,
        predicate: Option<&Predicate>,
        frame: &Frame,
    ) -> ExprIr {
        let Some(members) = self.set(set, frame) else {
            return FALSE;
        };
        let Some(test) = self.test(predicate, &members, frame) else {
            return FALSE;
        };
        let ids = self.ids(&members);
        match quantifier {
            Quantifier::All => ExprIr::All { set: ids, test },
            Quantifier::Any => ExprIr::Any { set: ids, test },
            Quantifier::None => ExprIr::None { set: ids, test },
            Quantifier::AtLeast(count) | Quantifier::AtMost(count) => {
                let Some((n, span, count_file)) = self.count(count, frame) else {
                    return FALSE;
                };
                if n as usize > ids.len() {
                    self.report(
                        Diagnostic::new(
                            Code::CountTooLarge,
                            text!(
                                "the rule asks for {n} members of a set of {len}",
                                n = &n,
                                len = &ids.len()
                            ),
                            count_file,
                            span,
                        )
                        .with_label(
                            frame.file,
                            set.span,
                            text!("this set has {len} members", len = &ids.len()),
                        )
                        .with_help(text!("use a count between 0 and {len}", len = &ids.len())),
                    );
                    return FALSE;
                }
                if matches!(quantifier, Quantifier::AtMost(_)) {
                    ExprIr::AtMost { n, set: ids, test }
                } else {
                    ExprIr::AtLeast { n, set: ids, test }
                }
            }
        }
    }

    fn counted(
        &mut self,
        at_least: &Count,
        size: &Count,
        set: &ast::SetExpr,
        predicate: Option<&Predicate>,
        span: Span,
        frame: &Frame,
    ) -> ExprIr {
        let (Some((n, n_span, n_file)), Some((m, m_span, m_file))) =
            (self.count(at_least, frame), self.count(size, frame))
        else {
            return FALSE;
        };
        let Some(members) = self.set(set, frame) else {
            return FALSE;
        };
        let Some(test) = self.test(predicate, &members, frame) else {
            return FALSE;
        };
        let ids = self.ids(&members);
        if ids.len() != m as usize {
            let listed = ids.join(", ");
            self.report(
                Diagnostic::new(
                    Code::WrongSetSize,
                    text!(
                        "`{n} of {m}` is written, but the set has {len} members",
                        n = &n,
                        m = &m,
                        len = &ids.len()
                    ),
                    m_file,
                    m_span,
                )
                .with_label(
                    frame.file,
                    set.span,
                    text!("the members are {listed}", listed = &listed),
                )
                .with_help(if n as usize <= ids.len() {
                    text!(
                        "write `{n} of {len}`, or change the set",
                        n = &n,
                        len = &ids.len()
                    )
                } else {
                    text!(
                        "the set has only {len} members; change the count or the set",
                        len = &ids.len()
                    )
                }),
            );
            return FALSE;
        }
        if n > m {
            self.report(
                Diagnostic::new(
                    Code::CountTooLarge,
                    text!(
                        "`{n} of {m}` asks for more members than there are",
                        n = &n,
                        m = &m
                    ),
                    n_file,
                    n_span,
                )
                .with_label(frame.file, span, text!("in this rule"))
                .with_help(text!("use a count between 0 and {m}", m = &m)),
            );
            return FALSE;
        }
        ExprIr::AtLeast { n, set: ids, test }
    }

    /// A count's value and where it is written: in this rule, or, for a
    /// parameter, at the argument of the call.
    fn count(&mut self, count: &Count, frame: &Frame) -> Option<(u32, Span, FileId)> {
        match count {
            Count::Literal(n, span) => Some((*n, *span, frame.file)),
            Count::Param(id) => match frame.bindings.get(&id.name) {
                Some((ast::Value::Number(n, span), arg_file)) => {
                    if n.fract() == 0.0 && *n >= 0.0 && *n <= u32::MAX as f64 {
                        Some((*n as u32, *span, *arg_file))
                    } else {
                        let d = Diagnostic::new(
                            Code::ValueKindMismatch,
                            text!(
                                "`{id}` is used as a count, but its argument is {n}",
                                id = &id.name,
                                n = &n
                            ),
                            *arg_file,
                            *span,
                        )
                        .with_help(text!("a count is a whole number, 0 or more"));
                        self.report(d);
                        None
                    }
                }
                Some((ast::Value::Name(level), arg_file)) => {
                    let d = Diagnostic::new(
                        Code::ValueKindMismatch,
                        text!(
                            "`{id}` is used as a count, but its argument is the name `{level}`",
                            id = &id.name,
                            level = &level.name
                        ),
                        *arg_file,
                        level.span,
                    )
                    .with_help(text!("pass a whole number"));
                    self.report(d);
                    None
                }
                None => {
                    self.unknown_name(id, frame);
                    None
                }
            },
        }
    }

    fn unknown_name(&mut self, id: &Ident, frame: &Frame) {
        let mut names: Vec<&str> = frame.bindings.keys().map(String::as_str).collect();
        names.sort_unstable();
        let d = Diagnostic::new(
            Code::UnknownReference,
            text!("unknown name `{id}`", id = &id.name),
            frame.file,
            id.span,
        );
        let d = match did_you_mean(&id.name, names.iter().copied()) {
            Some(close) => d.with_help(text!(
                "did you mean the parameter `{close}`?",
                close = &close
            )),
            None => d.with_help(text!(
                "a count or threshold is a number, or a parameter of the named rule"
            )),
        };
        self.report(d);
    }

    fn ids(&self, members: &[Entity]) -> Vec<String> {
        members
            .iter()
            .map(|m| self.model.id_of(*m).to_string())
            .collect()
    }

    /// Resolves a set to its members, in declaration order.
    fn set(&mut self, set: &ast::SetExpr, frame: &Frame) -> Option<Vec<Entity>> {
        let model = self.model;
        let mut members: Vec<Entity> = match &set.base {
            SetBase::Criteria => match self.scope {
                Scope::Competency(ci) => model
                    .competencies
                    .get(ci)
                    .map(|c| c.criteria.iter().map(|&k| Entity::Criterion(k)).collect())
                    .unwrap_or_default(),
                Scope::Block(bi) => {
                    let mut out: Vec<Entity> = Vec::new();
                    for &ci in model.blocks.get(bi).map_or(&[][..], |b| &b.competencies) {
                        for &k in model.competencies.get(ci).map_or(&[][..], |c| &c.criteria) {
                            if !out.contains(&Entity::Criterion(k)) {
                                out.push(Entity::Criterion(k));
                            }
                        }
                    }
                    out
                }
                // Every criterion of a competency; parts belong to their
                // assessment, whose outcome the rule reads instead.
                Scope::Certification => (0..model.criteria.len())
                    .filter(|&k| model.criteria.get(k).is_some_and(|c| c.part_of.is_none()))
                    .map(Entity::Criterion)
                    .collect(),
                Scope::Assessment(_) => {
                    self.report(
                        Diagnostic::new(
                            Code::SetNotInScope,
                            text!("`criteria` means nothing in an assessment's rule"),
                            frame.file,
                            set.span,
                        )
                        .with_help(text!("an assessment's rule reads its `parts`: `weighted average(parts) >= 10`")),
                    );
                    return None;
                }
            },
            SetBase::Parts => match self.scope {
                Scope::Assessment(ai) => model
                    .assessments
                    .get(ai)
                    .map(|a| a.parts.iter().map(|&k| Entity::Criterion(k)).collect())
                    .unwrap_or_default(),
                _ => {
                    self.report(
                        Diagnostic::new(
                            Code::SetNotInScope,
                            text!("`parts` can only be used in an assessment's rule"),
                            frame.file,
                            set.span,
                        )
                        .with_help(text!(
                            "name a part by its qualified id elsewhere: `E2/ecrit >= 10`"
                        )),
                    );
                    return None;
                }
            },
            SetBase::Competencies => match self.scope {
                Scope::Assessment(_) => {
                    self.report(
                        Diagnostic::new(
                            Code::SetNotInScope,
                            text!("`competencies` means nothing in an assessment's rule"),
                            frame.file,
                            set.span,
                        )
                        .with_help(text!("an assessment's rule reads its `parts`; name a competency by its id for a prerequisite")),
                    );
                    return None;
                }
                Scope::Competency(_) => {
                    self.report(
                        Diagnostic::new(
                            Code::SetNotInScope,
                            text!("`competencies` means nothing in a competency's rule"),
                            frame.file,
                            set.span,
                        )
                        .with_help(text!("a competency's rule reads its `criteria`; name another competency by its id for a prerequisite")),
                    );
                    return None;
                }
                Scope::Block(bi) => model
                    .blocks
                    .get(bi)
                    .map(|b| {
                        b.competencies
                            .iter()
                            .map(|&c| Entity::Competency(c))
                            .collect()
                    })
                    .unwrap_or_default(),
                Scope::Certification => (0..model.competencies.len())
                    .map(Entity::Competency)
                    .collect(),
            },
            SetBase::Blocks => match self.scope {
                Scope::Certification => (0..model.blocks.len()).map(Entity::Block).collect(),
                _ => {
                    self.report(
                        Diagnostic::new(
                            Code::SetNotInScope,
                            text!("`blocks` can only be used in the certification rule"),
                            frame.file,
                            set.span,
                        )
                        .with_help(text!(
                            "name a block by its id for a prerequisite: `A1 validated`"
                        )),
                    );
                    return None;
                }
            },
            SetBase::Explicit(ids) => {
                let mut out = Vec::new();
                let mut failed = false;
                for id in ids {
                    match self.reference(id, frame.file) {
                        Some(e) if !out.contains(&e) => out.push(e),
                        Some(_) => {}
                        None => failed = true,
                    }
                }
                if failed {
                    return None;
                }
                out
            }
        };
        for id in &set.except {
            let e = self.reference(id, frame.file)?;
            match members.iter().position(|m| *m == e) {
                Some(i) => {
                    members.remove(i);
                }
                None => {
                    self.report(
                        Diagnostic::new(
                            Code::NotAMember,
                            text!("`{id}` is not in the set it is taken out of", id = &id.name),
                            frame.file,
                            id.span,
                        )
                        .with_label(frame.file, set.span, text!("this set"))
                        .with_help(text!("remove it from `except`")),
                    );
                }
            }
        }
        for member in &members {
            self.read(*member, frame.file, set.span);
        }
        self.mention(Resolved::SetSize(members.len()), frame.file, set.span);
        if members.is_empty() {
            self.report(
                Diagnostic::new(
                    Code::EmptySet,
                    text!("this set has no members"),
                    frame.file,
                    set.span,
                )
                .with_help(text!(
                    "a rule over an empty set decides nothing; name at least one member"
                )),
            );
            return None;
        }
        Some(members)
    }

    /// Resolves an id written in a rule, and records what it names.
    fn reference(&mut self, id: &Ident, file: FileId) -> Option<Entity> {
        let entity = self.resolve_reference(id, file)?;
        self.mention(Resolved::Entity(entity), file, id.span);
        Some(entity)
    }

    /// The criteria a rule names by their short id: a competency's own
    /// criteria, an assessment's parts; none elsewhere.
    fn local_criteria(&self) -> &'m [usize] {
        let model = self.model;
        match self.scope {
            Scope::Competency(ci) => model.competencies.get(ci).map_or(&[], |c| &c.criteria),
            Scope::Assessment(ai) => model.assessments.get(ai).map_or(&[], |a| &a.parts),
            Scope::Block(_) | Scope::Certification => &[],
        }
    }

    /// The criterion of the scope (competency or assessment) named `name`:
    /// looked up by its qualified id, as a rule may name thousands of
    /// them; the scope's list is searched only when the id names a
    /// criterion the (sorted) list does not have.
    fn local_criterion(&self, name: &str) -> Option<usize> {
        let model = self.model;
        let local = self.local_criteria();
        let owner = match self.scope {
            Scope::Competency(ci) => model.competencies.get(ci).map(|c| c.ast.id.name.as_str()),
            Scope::Assessment(ai) => model.assessments.get(ai).map(|a| a.ast.id.name.as_str()),
            Scope::Block(_) | Scope::Certification => None,
        }?;
        let named = |k: &usize| {
            model
                .criteria
                .get(*k)
                .is_some_and(|cr| cr.ast.id.name == name)
        };
        // Every criterion of the scope is under its qualified id: none
        // there, none in the scope.
        let k = *model.criterion_by_id.get(&format!("{owner}/{name}"))?;
        if named(&k) && local.binary_search(&k).is_ok() {
            Some(k)
        } else {
            local.iter().copied().find(named)
        }
    }

    /// The scope's own criterion closest to `wanted` ("did you mean").
    fn local_closest(&self, wanted: &str) -> Option<&'m str> {
        let model = self.model;
        let local = self.local_criteria();
        self.local
            .get_or_init(|| {
                acquis_diagnostics::Suggestions::new(
                    local
                        .iter()
                        .filter_map(|&k| model.criteria.get(k))
                        .map(|cr| cr.ast.id.name.as_str()),
                )
            })
            .closest(wanted)
    }

    /// Resolves an id written in a rule to the entity it names.
    fn resolve_reference(&mut self, id: &Ident, file: FileId) -> Option<Entity> {
        let model = self.model;
        if id.name.contains('/') {
            if let Some(&k) = model.criterion_by_id.get(&id.name) {
                return Some(Entity::Criterion(k));
            }
            // The close name, found in the index, is the only candidate.
            let close = self.suggest.qualified(model, &id.name);
            let d = unknown_reference(
                &id.name,
                file,
                id.span,
                close,
                acquis_diagnostics::Noun::Criterion,
            );
            self.report(d);
            return None;
        }
        if let Some(k) = self.local_criterion(&id.name) {
            return Some(Entity::Criterion(k));
        }
        match model.global.get(&id.name) {
            Some(Entity::Assessment(ai)) if crate::graph::has_outcome(model, *ai) => {
                Some(Entity::Assessment(*ai))
            }
            Some(Entity::Assessment(_)) => {
                self.report(
                    Diagnostic::new(
                        Code::NoOutcome,
                        text!("`{id}` is an assessment; it has no outcome a rule can read", id = &id.name),
                        file,
                        id.span,
                    )
                    .with_help(text!("rules read criteria, competencies, blocks and the assessments that have a rule (`validated when weighted average(parts) >= 10`)")),
                );
                None
            }
            Some(e) => Some(*e),
            None => {
                // A criterion's short id used outside its competency: the
                // qualified id is the fix, whatever else looks close.
                // The competency's own criteria come first: `CE9` is more
                // likely a typo for `CE1` than for a distant `C19`.
                let qualified = self.suggest.short(model, &id.name);
                let local = self.local_closest(&id.name);
                let d = match qualified {
                    Some(q) => Diagnostic::new(Code::UnknownReference, text!("unknown id `{id}`", id = &id.name), file, id.span)
                        .with_help(text!("outside its competency a criterion is named by its qualified id, such as `{q}`", q = &q))
                        .with_suggestion(file, id.span, q, text!("replace with `{q}`", q = &q)),
                    None => unknown_reference(
                        &id.name,
                        file,
                        id.span,
                        local.or_else(|| self.suggest.entity(model, &id.name)),
                        acquis_diagnostics::Noun::Id,
                    ),
                };
                self.report(d);
                None
            }
        }
    }

    /// Checks a predicate against the kind and scale of every member.
    fn test(
        &mut self,
        predicate: Option<&Predicate>,
        members: &[Entity],
        frame: &Frame,
    ) -> Option<TestIr> {
        let Some(predicate) = predicate else {
            return Some(TestIr::Outcome);
        };
        match predicate {
            Predicate::Acquired(span) => {
                if let Some(&wrong) = members.iter().find(|m| !matches!(m, Entity::Criterion(_))) {
                    self.wrong_predicate(wrong, "acquired", "validated", *span, frame);
                    return None;
                }
                Some(TestIr::Outcome)
            }
            Predicate::Validated(span) => {
                if let Some(&wrong) = members.iter().find(|m| matches!(m, Entity::Criterion(_))) {
                    self.wrong_predicate(wrong, "validated", "acquired", *span, frame);
                    return None;
                }
                Some(TestIr::Outcome)
            }
            Predicate::Compare(op, value, span) => {
                let (value, value_file) = self.substitute(value, frame);
                let mut checked = None;
                for member in members {
                    let Entity::Criterion(k) = member else {
                        let id = self.model.id_of(*member).to_string();
                        self.report(
                            Diagnostic::new(
                                Code::WrongPredicate,
                                text!("`{id}` is a {member} and has no grade to compare", id = &id, member = kind_name(*member)),
                                frame.file,
                                *span,
                            )
                            .with_help(text!("comparisons apply to criteria; use `validated` for competencies and blocks")),
                        );
                        return None;
                    };
                    let scale = self.model.scale_of(*k)?;
                    match check_value(scale, &value, value_file, text!("the threshold")) {
                        Ok(v) => {
                            if let (ast::Value::Name(level), Some(&index)) = (
                                &value,
                                self.model.criteria.get(*k).and_then(|c| c.scale.as_ref()),
                            ) {
                                let target = Resolved::Level {
                                    scale: index,
                                    level: level.name.clone(),
                                };
                                self.mention(target, value_file, level.span);
                            }
                            checked = Some(v)
                        }
                        Err(d) => {
                            self.report(*d);
                            return None;
                        }
                    }
                }
                checked.map(|value| TestIr::Compare {
                    cmp: cmp_op(*op),
                    value,
                })
            }
        }
    }

    fn wrong_predicate(
        &mut self,
        member: Entity,
        written: &str,
        right: &str,
        span: Span,
        frame: &Frame,
    ) {
        let id = self.model.id_of(member).to_string();
        let kind = kind_name(member);
        self.report(
            Diagnostic::new(
                Code::WrongPredicate,
                text!(
                    "`{id}` is {kind:a}: it is {right}, not {written}",
                    id = &id,
                    kind = kind,
                    right = right,
                    written = written
                ),
                frame.file,
                span,
            )
            .with_help(text!(
                "criteria are `acquired`; competencies and blocks are `validated`; write `{right}`",
                right = &right
            ))
            .with_suggestion(
                frame.file,
                span,
                right,
                text!("replace with `{right}`", right = &right),
            ),
        );
    }

    /// A named rule's parameter stands for its argument.
    fn substitute(&self, value: &ast::Value, frame: &Frame) -> (ast::Value, FileId) {
        if let ast::Value::Name(id) = value {
            if let Some((bound, file)) = frame.bindings.get(&id.name) {
                return (bound.clone(), *file);
            }
        }
        (value.clone(), frame.file)
    }

    fn call(&mut self, name: &Ident, args: &[ast::Value], span: Span, frame: &Frame) -> ExprIr {
        let Some(&(rule_file, rule)) = self.model.rules.get(&name.name) else {
            let names: Vec<&str> = self.model.rules.keys().map(String::as_str).collect();
            let d = Diagnostic::new(
                Code::UnknownRule,
                text!("unknown rule `{name}`", name = &name.name),
                frame.file,
                name.span,
            );
            let std_rules = ["all_acquired", "n_of", "majority", "compensation"];
            let d = if let Some(close) = did_you_mean(&name.name, names.iter().copied()) {
                d.with_correction(frame.file, name.span, close)
            } else if std_rules.contains(&name.name.as_str()) {
                d.with_help(text!(
                    "the standard library has it: add `use std::rules::{name}`",
                    name = &name.name
                ))
            } else {
                d.with_help(text!("declare it with `rule NAME(params) = ...` or import one with `use std::rules::NAME`"))
            };
            self.report(d);
            return FALSE;
        };
        self.mention(Resolved::Rule(name.name.clone()), frame.file, name.span);
        if let Some(position) = self.calls.iter().position(|(n, _, _)| *n == name.name) {
            let mut chain: Vec<String> = self.calls[position..]
                .iter()
                .map(|(n, _, _)| n.clone())
                .collect();
            chain.push(name.name.clone());
            self.report(
                Diagnostic::new(
                    Code::RecursiveRule,
                    text!("rule `{name}` calls itself: {join}", name = &name.name, join = chain.join(" → ")),
                    frame.file,
                    name.span,
                )
                .with_label(rule_file, rule.id.span, text!("the rule is defined here"))
                .with_help(text!("rules are expanded where they are used, so they cannot call themselves; write the condition out")),
            );
            return FALSE;
        }
        if args.len() != rule.params.len() {
            let expected = rule
                .params
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            self.report(
                Diagnostic::new(
                    Code::WrongArgumentCount,
                    text!(
                        "rule `{name}` takes {len} argument{len:s}, {given} given",
                        name = &name.name,
                        len = rule.params.len(),
                        given = args.len()
                    ),
                    frame.file,
                    span,
                )
                .with_label(
                    rule_file,
                    rule.id.span,
                    text!(
                        "defined as `{name}({expected})`",
                        name = &name.name,
                        expected = &expected
                    ),
                )
                .with_help(text!(
                    "write `{name}({expected})` with a value for each parameter",
                    name = &name.name,
                    expected = &expected
                )),
            );
            return FALSE;
        }
        let bindings = rule
            .params
            .iter()
            .zip(args)
            .map(|(p, a)| {
                let (value, file) = self.substitute(a, frame);
                (p.name.clone(), (value, file))
            })
            .collect();
        let inner = Frame {
            file: rule_file,
            bindings,
        };
        self.calls.push((name.name.clone(), frame.file, span));
        let expr = self.expr(&rule.body, &inner);
        self.calls.pop();
        expr
    }

    fn num_inner(&mut self, num: &NumExpr, frame: &Frame) -> Option<NumIr> {
        match num {
            NumExpr::Number(n, _) => Some(NumIr::Number {
                value: crate::collect::decimal(*n),
            }),
            NumExpr::Param(id) => match frame.bindings.get(&id.name) {
                Some((ast::Value::Number(n, _), _)) => Some(NumIr::Number {
                    value: crate::collect::decimal(*n),
                }),
                Some((ast::Value::Name(level), file)) => {
                    let d = Diagnostic::new(
                        Code::ValueKindMismatch,
                        text!("`{id}` is compared as a number, but its argument is the name `{level}`", id = &id.name, level = &level.name),
                        *file,
                        level.span,
                    )
                    .with_help(text!("aggregates compare with numbers"));
                    self.report(d);
                    None
                }
                None => {
                    self.unknown_name(id, frame);
                    None
                }
            },
            NumExpr::Binary { op, lhs, rhs, .. } => Some(NumIr::Arith {
                op: arith_op(*op),
                lhs: Box::new(self.num(lhs, frame)?),
                rhs: Box::new(self.num(rhs, frame)?),
            }),
            NumExpr::Round {
                function,
                arg,
                decimals,
                span,
            } => {
                // Both are checked, so that both problems are reported.
                let arg = self.num(arg, frame);
                let decimals = match decimals {
                    Some(d) => self.decimals(*function, d, frame),
                    None => {
                        self.missing_decimals(*function, *span, frame);
                        None
                    }
                };
                Some(NumIr::Round {
                    mode: round_mode(*function),
                    decimals: decimals?,
                    arg: Box::new(arg?),
                })
            }
            NumExpr::Extremum {
                function,
                args,
                span,
            } => {
                let [lhs, rhs] = args.as_slice() else {
                    self.not_two_numbers(*function, args, *span, frame);
                    return None;
                };
                let lhs = self.num(lhs, frame);
                let rhs = self.num(rhs, frame);
                let args = Box::new([lhs?, rhs?]);
                Some(match function {
                    ast::ExtremumFn::Max => NumIr::Max { args },
                    ast::ExtremumFn::Min => NumIr::Min { args },
                })
            }
            NumExpr::Aggregate {
                function,
                set,
                predicate,
                span,
            } => {
                let members = self.set(set, frame)?;
                let test = match function {
                    ast::AggregateFn::Count => {
                        Some(self.test(predicate.as_ref(), &members, frame)?)
                    }
                    ast::AggregateFn::Size => {
                        if let Some(p) = predicate {
                            self.report(
                                Diagnostic::new(
                                    Code::WrongPredicate,
                                    text!("`size` counts every member whatever its outcome"),
                                    frame.file,
                                    p.span(),
                                )
                                .with_help(text!(
                                    "use `count(S P)` to count the members that satisfy P"
                                )),
                            );
                            return None;
                        }
                        None
                    }
                    _ => {
                        if let Some(p) = predicate {
                            self.report(
                                Diagnostic::new(
                                    Code::WrongPredicate,
                                    text!(
                                        "`{function}` takes a set, not a predicate",
                                        function = &function.name()
                                    ),
                                    frame.file,
                                    p.span(),
                                )
                                .with_help(text!(
                                    "filter the set instead: `average({{CE1, CE2}})`"
                                )),
                            );
                            return None;
                        }
                        self.check_numeric(*function, &members, *span, frame)?;
                        None
                    }
                };
                Some(NumIr::Aggregate {
                    function: aggregate_fn(*function),
                    set: self.ids(&members),
                    test,
                })
            }
        }
    }

    /// `round(x)`: the number of decimals is what the rule must say.
    fn missing_decimals(&mut self, function: ast::RoundFn, span: Span, frame: &Frame) {
        let name = function.name();
        self.report(
            Diagnostic::new(
                Code::WrongArgumentCount,
                text!("`{name}` takes a number and its number of decimals, 1 argument given", name = &name),
                frame.file,
                span,
            )
            .with_help(text!("say to how many decimals: `{name}(average(criteria), 2)` keeps 2 (the hundredth), 0 a whole number", name = &name)),
        );
    }

    /// `max(CE1)` (a set without braces) or `max(a, b, c)`.
    fn not_two_numbers(
        &mut self,
        function: ast::ExtremumFn,
        args: &[NumExpr],
        span: Span,
        frame: &Frame,
    ) {
        let name = function.name();
        let help = match args {
            [NumExpr::Param(id)] => text!("over a set, write it in braces: `{name}({{{id}}})`; of two numbers: `{name}(0, sum({{UF1}}) - 10)`", name = &name, id = &id.name),
            _ => text!("`{name}` takes a set (`{name}({{CE1, CE2}})`) or two numbers (`{name}(0, sum({{UF1}}) - 10)`); nest it for more: `{name}(a, {name}(b, c))`", name = &name),
        };
        let n = args.len();
        self.report(
            Diagnostic::new(
                Code::WrongArgumentCount,
                text!(
                    "`{name}` takes a set or two numbers, {n} number{n:s} given",
                    name = &name,
                    n = n
                ),
                frame.file,
                span,
            )
            .with_help(help),
        );
    }

    /// The decimals of `round(x, n)`: a whole number from 0 to
    /// [`MAX_DECIMALS`], written or given to a named rule's parameter.
    fn decimals(
        &mut self,
        function: ast::RoundFn,
        decimals: &ast::Value,
        frame: &Frame,
    ) -> Option<u32> {
        let (value, file) = match decimals {
            ast::Value::Name(id) if !frame.bindings.contains_key(&id.name) => {
                self.unknown_name(id, frame);
                return None;
            }
            _ => self.substitute(decimals, frame),
        };
        let (n, span) = match value {
            ast::Value::Number(n, span) => (n, span),
            ast::Value::Name(id) => {
                self.report(
                    Diagnostic::new(
                        Code::ValueKindMismatch,
                        text!("`{function}` rounds to a number of decimals, but its argument is the name `{id}`", function = &function.name(), id = &id.name),
                        file,
                        id.span,
                    )
                    .with_help(text!("give a whole number of decimals from 0 to 6")),
                );
                return None;
            }
        };
        let max = f64::from(MAX_DECIMALS);
        if n.fract() == 0.0 && (0.0..=max).contains(&n) {
            // A whole number from 0 to 6: exact as a u32.
            return Some(n as u32);
        }
        let written = acquis_ir::print::number(crate::collect::decimal(n));
        self.report(
            Diagnostic::new(
                Code::BadDecimals,
                text!("`{function}` keeps a whole number of decimals from 0 to {max_decimals}, not {written}", function = &function.name(), max_decimals = &MAX_DECIMALS, written = &written),
                file,
                span,
            )
            .with_help(
                text!("2 rounds to the hundredth (`round(average(criteria), 2)`), 0 to a whole number"),
            ),
        );
        None
    }

    /// Numeric aggregates need criteria graded on one numeric scale.
    fn check_numeric(
        &mut self,
        function: ast::AggregateFn,
        members: &[Entity],
        span: Span,
        frame: &Frame,
    ) -> Option<()> {
        let mut first: Option<(usize, &str)> = None;
        for member in members {
            let Entity::Criterion(k) = member else {
                let id = self.model.id_of(*member).to_string();
                self.report(
                    Diagnostic::new(
                        Code::NonNumericAggregate,
                        text!("`{function}` needs graded criteria, but `{id}` is a {member}", function = &function.name(), id = &id, member = kind_name(*member)),
                        frame.file,
                        span,
                    )
                    .with_help(text!("numeric aggregates read the marks of criteria; count competencies with `count(S validated)`")),
                );
                return None;
            };
            let scale = self.model.scale_of(*k)?;
            if let ScaleKindIr::Levels { .. } = scale.kind {
                let id = self.model.id_of(*member).to_string();
                self.report(
                    Diagnostic::new(
                        Code::NonNumericAggregate,
                        text!("`{function}` needs numeric marks, but `{id}` is graded on the level scale `{id2}`", function = &function.name(), id = &id, id2 = &scale.id()),
                        frame.file,
                        span,
                    )
                    .with_label(scale.file, scale.ast.id.span, text!("a scale of levels"))
                    .with_help(text!("give these criteria a numeric scale (`range 0 .. 20`), or count levels with `count(S >= level)`")),
                );
                return None;
            }
            let scale_index = self.model.criteria.get(*k).and_then(|c| c.scale)?;
            match first {
                None => first = Some((scale_index, self.model.id_of(*member))),
                Some((s, first_id)) if s != scale_index => {
                    let other = self.model.scales.get(s).map_or("", |x| x.id()).to_string();
                    let id = self.model.id_of(*member).to_string();
                    let first_id = first_id.to_string();
                    self.report(
                        Diagnostic::new(
                            Code::MixedScales,
                            text!("`{function}` mixes scales: `{first_id}` is on `{other}`, `{id}` on `{id2}`", function = &function.name(), first_id = &first_id, other = &other, id = &id, id2 = &scale.id()),
                            frame.file,
                            span,
                        )
                        .with_help(text!("aggregate criteria of one scale, or split the rule per scale")),
                    );
                    return None;
                }
                Some(_) => {}
            }
        }
        Some(())
    }

    /// `average(criteria) >= 25` on a 0..20 scale can never hold.
    fn check_threshold(
        &mut self,
        aggregate: &NumIr,
        threshold: &NumIr,
        written: &NumExpr,
        frame: &Frame,
    ) {
        let (NumIr::Aggregate { function, set, .. }, NumIr::Number { value }) =
            (aggregate, threshold)
        else {
            return;
        };
        let (low, high) = match function {
            AggregateFn::Count | AggregateFn::Size => (0.0, set.len() as f64),
            AggregateFn::Sum => match self.first_scale(set) {
                Some((min, max)) => (min * set.len() as f64, max * set.len() as f64),
                None => return,
            },
            AggregateFn::Average
            | AggregateFn::WeightedAverage
            | AggregateFn::Min
            | AggregateFn::Max => match self.first_scale(set) {
                Some(b) => b,
                None => return,
            },
        };
        if value.to_f64() < low || value.to_f64() > high {
            let code = if matches!(function, AggregateFn::Count | AggregateFn::Size) {
                Code::CountTooLarge
            } else {
                Code::OutOfRange
            };
            self.report(
                Diagnostic::new(
                    code,
                    text!("`{function}` of these members lies in {low} .. {high}; the threshold {value} is outside", function = &function.name(), low = &low, high = &high, value = &value),
                    frame.file,
                    written.span(),
                )
                .with_help(text!("use a threshold between {low} and {high}", low = &low, high = &high)),
            );
        }
    }

    fn first_scale(&self, set: &[String]) -> Option<(f64, f64)> {
        let k = *self.model.criterion_by_id.get(set.first()?)?;
        Some(self.model.scale_of(k)?.bounds())
    }
}

/// The IR's comparison for the one written: one exhaustive match, so a new
/// operator in the grammar cannot be lowered to a wrong one.
fn cmp_op(op: ast::CmpOp) -> CmpOp {
    match op {
        ast::CmpOp::Ge => CmpOp::Ge,
        ast::CmpOp::Gt => CmpOp::Gt,
        ast::CmpOp::Le => CmpOp::Le,
        ast::CmpOp::Lt => CmpOp::Lt,
        ast::CmpOp::Eq => CmpOp::Eq,
        ast::CmpOp::Ne => CmpOp::Ne,
    }
}

fn arith_op(op: ast::ArithOp) -> ArithOp {
    match op {
        ast::ArithOp::Add => ArithOp::Add,
        ast::ArithOp::Sub => ArithOp::Sub,
        ast::ArithOp::Mul => ArithOp::Mul,
        ast::ArithOp::Div => ArithOp::Div,
    }
}

fn round_mode(function: ast::RoundFn) -> RoundMode {
    match function {
        ast::RoundFn::Round => RoundMode::Nearest,
        ast::RoundFn::Floor => RoundMode::Down,
        ast::RoundFn::Ceil => RoundMode::Up,
    }
}

fn aggregate_fn(function: ast::AggregateFn) -> AggregateFn {
    match function {
        ast::AggregateFn::Average => AggregateFn::Average,
        ast::AggregateFn::WeightedAverage => AggregateFn::WeightedAverage,
        ast::AggregateFn::Min => AggregateFn::Min,
        ast::AggregateFn::Max => AggregateFn::Max,
        ast::AggregateFn::Sum => AggregateFn::Sum,
        ast::AggregateFn::Count => AggregateFn::Count,
        ast::AggregateFn::Size => AggregateFn::Size,
    }
}

#[cfg(test)]
mod tests {
    /// The parser refuses a rule deeper than the IR's bound, so that every
    /// rule it reads compiles to an IR that `Ir::from_json` reads back.
    #[test]
    fn the_parser_and_the_ir_bound_rules_alike() {
        assert_eq!(acquis_grammar::MAX_RULE_DEPTH, acquis_ir::MAX_RULE_DEPTH);
    }
}
