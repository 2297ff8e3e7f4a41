//! Candidate records: `equivalence`, `dispensation`, `keep` and `jury`
//! items, resolved and checked against the lowered rules, and the record
//! facts of `example` blocks (`session`, `earlier`, `holds`, `dispensed`,
//! `decision`). docs/language.md, "Candidate records".

use acquis_diagnostics::text;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use acquis_diagnostics::codes::Code;
use acquis_diagnostics::diagnostic::Diagnostic;
use acquis_diagnostics::source::{FileId, SourceMap};
use acquis_grammar::ast::{self, Span};
use acquis_ir::*;

use crate::collect::{check_value, unknown_reference, Entity, Model};
use crate::compile::span_ir;
use crate::graph;

/// What an id of a record item names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Entity(Entity),
    Certification,
}

fn resolve(model: &Model<'_>, name: &str) -> Option<Target> {
    if name == "certification" {
        return Some(Target::Certification);
    }
    if let Some(&k) = model.criterion_by_id.get(name) {
        return Some(Target::Entity(Entity::Criterion(k)));
    }
    model.global.get(name).copied().map(Target::Entity)
}

/// Every id a record item may name, for "did you mean".
fn every_id<'m>(model: &'m Model<'_>) -> Vec<&'m str> {
    let mut names: Vec<&str> = model.global.keys().map(String::as_str).collect();
    names.extend(model.criteria.iter().map(|c| c.qualified.as_str()));
    names.push("certification");
    names.sort_unstable();
    names
}

/// Whether an entity has an outcome a grant or a decision can set:
/// blocks, competencies, assessments with a rule, the certification.
fn has_outcome(model: &Model<'_>, target: Target) -> bool {
    match target {
        Target::Certification => true,
        Target::Entity(Entity::Block(_) | Entity::Competency(_)) => true,
        Target::Entity(Entity::Assessment(a)) => graph::has_outcome(model, a),
        Target::Entity(Entity::Criterion(_)) => false,
    }
}

fn id_of(model: &Model<'_>, target: Target) -> String {
    match target {
        Target::Certification => "certification".to_string(),
        Target::Entity(e) => model.id_of(e).to_string(),
    }
}

/// The ids a rule reads as marks (in a sum, an average, a minimum or a
/// maximum, or compared with a number).
fn marks_read<'i>(expr: &'i ExprIr, out: &mut HashSet<&'i str>) {
    let test = |set: &'i [String], test: &TestIr, out: &mut HashSet<&'i str>| {
        if let TestIr::Compare { .. } = test {
            out.extend(set.iter().map(String::as_str));
        }
    };
    match expr {
        ExprIr::And { args } | ExprIr::Or { args } => args.iter().for_each(|a| marks_read(a, out)),
        ExprIr::Not { arg } => marks_read(arg, out),
        ExprIr::All { set, test: t }
        | ExprIr::Any { set, test: t }
        | ExprIr::None { set, test: t }
        | ExprIr::AtLeast { set, test: t, .. }
        | ExprIr::AtMost { set, test: t, .. } => test(set, t, out),
        ExprIr::Member { id, test: t } => test(std::slice::from_ref(id), t, out),
        ExprIr::Compare { lhs, rhs, .. } => {
            num_marks(lhs, out);
            num_marks(rhs, out);
        }
        ExprIr::Const { .. } => {}
    }
}

fn num_marks<'i>(num: &'i NumIr, out: &mut HashSet<&'i str>) {
    match num {
        NumIr::Number { .. } => {}
        NumIr::Aggregate {
            function,
            set,
            test,
        } => match function {
            AggregateFn::Count | AggregateFn::Size => {
                if let Some(TestIr::Compare { .. }) = test {
                    out.extend(set.iter().map(String::as_str));
                }
            }
            _ => out.extend(set.iter().map(String::as_str)),
        },
        NumIr::Arith { lhs, rhs, .. } => {
            num_marks(lhs, out);
            num_marks(rhs, out);
        }
        NumIr::Round { arg, .. } => num_marks(arg, out),
        NumIr::Max { args } | NumIr::Min { args } => args.iter().for_each(|a| num_marks(a, out)),
    }
}

/// The first place a rule becomes impossible once `excluded` is left out
/// of its sets: `at least N` of fewer than N members, or an average, a
/// minimum or a maximum of nothing.
fn impossible(expr: &ExprIr, excluded: &HashSet<&str>) -> Option<acquis_diagnostics::Text> {
    let left = |set: &[String]| {
        set.iter()
            .filter(|m| !excluded.contains(m.as_str()))
            .count()
    };
    match expr {
        ExprIr::And { args } | ExprIr::Or { args } => {
            args.iter().find_map(|a| impossible(a, excluded))
        }
        ExprIr::Not { arg } => impossible(arg, excluded),
        ExprIr::AtLeast { n, set, .. } if left(set) < *n as usize => Some(text!(
            "`at least {n} of` a set left with {left} member{left:s}",
            n = n,
            left = left(set)
        )),
        ExprIr::Compare { lhs, rhs, .. } => {
            num_impossible(lhs, excluded).or_else(|| num_impossible(rhs, excluded))
        }
        _ => None,
    }
}

fn num_impossible(num: &NumIr, excluded: &HashSet<&str>) -> Option<acquis_diagnostics::Text> {
    match num {
        NumIr::Aggregate { function, set, .. } => match function {
            AggregateFn::Average
            | AggregateFn::WeightedAverage
            | AggregateFn::Min
            | AggregateFn::Max
                if !set.is_empty() && set.iter().all(|m| excluded.contains(m.as_str())) =>
            {
                Some(text!(
                    "`{function}` of a set left empty",
                    function = function.name()
                ))
            }
            _ => None,
        },
        NumIr::Arith { lhs, rhs, .. } => {
            num_impossible(lhs, excluded).or_else(|| num_impossible(rhs, excluded))
        }
        NumIr::Round { arg, .. } => num_impossible(arg, excluded),
        NumIr::Max { args } | NumIr::Min { args } => {
            args.iter().find_map(|a| num_impossible(a, excluded))
        }
        NumIr::Number { .. } => None,
    }
}

/// The members a grant or a dispensation of `target` covers besides
/// itself: an assessment's parts.
fn with_parts(model: &Model<'_>, target: Target) -> Vec<String> {
    let mut out = vec![id_of(model, target)];
    if let Target::Entity(Entity::Assessment(a)) = target {
        if let Some(def) = model.assessments.get(a) {
            out.extend(
                def.parts
                    .iter()
                    .map(|&k| model.id_of(Entity::Criterion(k)).to_string()),
            );
        }
    }
    out
}

/// Whether `inner` is inside `outer` (a competency of a block, a criterion
/// of a competency, a part of an assessment, an assessment of a block).
fn contains(model: &Model<'_>, outer: Target, inner: Target) -> bool {
    match (outer, inner) {
        (Target::Certification, Target::Entity(_)) => true,
        (Target::Entity(Entity::Block(b)), Target::Entity(Entity::Competency(c))) => {
            model.competencies.get(c).is_some_and(|c| c.block == b)
        }
        (Target::Entity(Entity::Block(b)), Target::Entity(Entity::Assessment(a))) => {
            model.assessments.get(a).is_some_and(|a| a.block == Some(b))
        }
        (Target::Entity(Entity::Competency(c)), Target::Entity(Entity::Criterion(k))) => model
            .criteria
            .get(k)
            .is_some_and(|k| k.competencies.contains(&c)),
        (Target::Entity(Entity::Assessment(a)), Target::Entity(Entity::Criterion(k))) => model
            .assessments
            .get(a)
            .is_some_and(|a| a.parts.contains(&k)),
        _ => false,
    }
}

struct Lowering<'m, 'a> {
    model: &'m Model<'a>,
    sources: &'m SourceMap,
    diagnostics: &'m mut Vec<Diagnostic>,
}

impl Lowering<'_, '_> {
    fn span(&self, file: FileId, span: Span) -> SpanIr {
        span_ir(self.sources, file, span)
    }

    fn unknown(
        &mut self,
        id: &ast::Ident,
        file: FileId,
        kind: acquis_diagnostics::Noun,
        names: Vec<&str>,
    ) {
        self.diagnostics
            .push(unknown_reference(&id.name, file, id.span, names, kind));
    }

    /// Resolves the ids of a grant or a dispensation, reporting unknown
    /// ones and those `accept` refuses; warns (A0901) when one is listed
    /// twice or inside another of the same list.
    fn targets(
        &mut self,
        file: FileId,
        ids: &[ast::Ident],
        what: acquis_diagnostics::Text,
        accept: impl Fn(&Model<'_>, Target) -> Result<(), acquis_diagnostics::Text>,
    ) -> Vec<(Target, Span)> {
        let mut out: Vec<(Target, Span)> = Vec::new();
        for id in ids {
            let Some(target) = resolve(self.model, &id.name) else {
                let names = every_id(self.model);
                self.unknown(id, file, acquis_diagnostics::Noun::Id, names);
                continue;
            };
            if let Err(why) = accept(self.model, target) {
                self.diagnostics.push(
                    Diagnostic::new(Code::NoOutcome, why, file, id.span).with_help(text!(
                        "{what} names blocks, competencies or assessments that have a rule",
                        what = what.clone()
                    )),
                );
                continue;
            }
            let overlap = out.iter().find(|(t, _)| {
                *t == target || contains(self.model, *t, target) || contains(self.model, target, *t)
            });
            if let Some(&(other, at)) = overlap {
                let message = if other == target {
                    text!("`{id}` is listed twice", id = &id.name)
                } else {
                    text!(
                        "`{other}` and `{id}` overlap: one is part of the other",
                        other = id_of(self.model, other),
                        id = &id.name
                    )
                };
                self.diagnostics.push(
                    Diagnostic::new(Code::OverlappingGrants, message, file, id.span)
                        .with_label(file, at, text!("already listed here"))
                        .with_help(text!(
                            "list each member once, and not both a member and what contains it"
                        )),
                );
                continue;
            }
            out.push((target, id.span));
        }
        out
    }

    fn equivalences(&mut self, marks: &HashSet<&str>) -> Vec<EquivalenceIr> {
        let mut out = Vec::new();
        let mut seen: HashMap<&str, (FileId, Span)> = HashMap::default();
        for &(file, e) in &self.model.equivalences {
            if let Some(&(first_file, first)) = seen.get(e.id.name.as_str()) {
                self.diagnostics.push(duplicate(
                    acquis_diagnostics::Noun::Equivalence,
                    &e.id,
                    file,
                    (first_file, first),
                ));
                continue;
            }
            seen.insert(&e.id.name, (file, e.id.span));
            let grants = self.targets(file, &e.grants, text!("an equivalence"), |m, t| {
                if has_outcome(m, t) && t != Target::Certification {
                    Ok(())
                } else if t == Target::Certification {
                    Err(text!(
                        "an equivalence grants members of the referential, not the certification"
                    ))
                } else {
                    Err(text!(
                        "`{id}` has no outcome an equivalence could grant",
                        id = id_of(m, t)
                    ))
                }
            });
            let mut granted = Vec::new();
            for &(t, span) in &grants {
                if let Some(mark) = with_parts(self.model, t)
                    .into_iter()
                    .find(|m| marks.contains(m.as_str()))
                {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::ValidatedMark,
                            text!("`{mark}` is read as a mark: an equivalence cannot grant it", mark = &mark),
                            file,
                            span,
                        )
                        .with_help(text!("write a `dispensation` with `effect excluded` for it: the mark is then left out of the averages, which are taken over the remaining coefficients")),
                    );
                    continue;
                }
                granted.push(t);
            }
            out.push(EquivalenceIr {
                id: e.id.name.clone(),
                title: e.title.value.clone(),
                rncp: e.rncp.as_ref().map(|t| t.value.clone()),
                grants: granted.iter().map(|&t| id_of(self.model, t)).collect(),
                docs: e.docs.clone(),
                span: self.span(file, e.span),
            });
        }
        out
    }

    fn dispensations(&mut self, ir: &Ir, marks: &HashSet<&str>) -> Vec<DispensationIr> {
        let mut out = Vec::new();
        let mut seen: HashMap<&str, (FileId, Span)> = HashMap::default();
        for &(file, d) in &self.model.dispensations {
            if let Some(&(first_file, first)) = seen.get(d.id.name.as_str()) {
                self.diagnostics.push(duplicate(
                    acquis_diagnostics::Noun::Dispensation,
                    &d.id,
                    file,
                    (first_file, first),
                ));
                continue;
            }
            seen.insert(&d.id.name, (file, d.id.span));
            let targets = self.targets(file, &d.dispenses, text!("a dispensation"), |_, t| match t {
                Target::Certification => Err(text!(
                    "a dispensation dispenses from members of the referential, not the certification"
                )),
                Target::Entity(_) => Ok(()),
            });
            let Some((effect, _)) = d.effect else {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DispensationWithoutEffect,
                        text!("dispensation `{id}` does not say its effect", id = &d.id.name),
                        file,
                        d.id.span,
                    )
                    .with_help(
                        text!("add `effect excluded` (left out of sets and averages, which are then taken over \
                         the remaining coefficients) or `effect validated` (counted as validated)"),
                    ),
                );
                continue;
            };
            let effect = match effect {
                ast::DispensationEffect::Excluded => DispensationEffect::Excluded,
                ast::DispensationEffect::Validated => DispensationEffect::Validated,
            };
            let mut members: Vec<String> = Vec::new();
            for &(t, span) in &targets {
                let covered = with_parts(self.model, t);
                if effect == DispensationEffect::Validated {
                    if let Some(mark) = covered.iter().find(|m| marks.contains(m.as_str())) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::ValidatedMark,
                                text!("`{mark}` is read as a mark: it cannot be counted as validated", mark = &mark),
                                file,
                                span,
                            )
                            .with_help(text!("write `effect excluded`: the mark is then left out of the averages, which are taken over the remaining coefficients")),
                        );
                        continue;
                    }
                }
                members.extend(covered);
            }
            if effect == DispensationEffect::Excluded {
                let excluded: HashSet<&str> = members.iter().map(String::as_str).collect();
                for (id, expr) in ir.rules() {
                    if let Some(why) = impossible(expr, &excluded) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::ImpossibleDispensation,
                                text!("dispensation `{id}` makes the rule of `{id2}` impossible: {why}", id = &d.id.name, id2 = &id, why = why),
                                file,
                                d.id.span,
                            )
                            .with_help(text!("dispense from fewer members, or say in the rule what a dispensed candidate needs")),
                        );
                    }
                }
            }
            out.push(DispensationIr {
                id: d.id.name.clone(),
                title: d.title.value.clone(),
                dispenses: members,
                effect,
                docs: d.docs.clone(),
                span: self.span(file, d.span),
            });
        }
        out
    }

    /// The entities a `keep` or `jury` target names.
    fn expand(&mut self, file: FileId, target: &ast::RecordTarget) -> Vec<Target> {
        match target {
            ast::RecordTarget::Blocks(_) => (0..self.model.blocks.len())
                .map(|b| Target::Entity(Entity::Block(b)))
                .collect(),
            ast::RecordTarget::Competencies(_) => (0..self.model.competencies.len())
                .map(|c| Target::Entity(Entity::Competency(c)))
                .collect(),
            ast::RecordTarget::Criteria(_) => (0..self.model.criteria.len())
                .map(|k| Target::Entity(Entity::Criterion(k)))
                .collect(),
            ast::RecordTarget::Id(id) => match resolve(self.model, &id.name) {
                Some(t) => vec![t],
                None => {
                    let names = every_id(self.model);
                    self.unknown(id, file, acquis_diagnostics::Noun::Id, names);
                    Vec::new()
                }
            },
        }
    }

    fn keeps(&mut self) -> Vec<KeepIr> {
        let mut out = Vec::new();
        for &(file, k) in &self.model.keeps {
            let mut members = Vec::new();
            let mut condition = None;
            let mut ok = true;
            for target in &k.targets {
                for t in self.expand(file, target) {
                    if t == Target::Certification {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::NoOutcome,
                                text!("the certification is decided in each session: it cannot be kept"),
                                file,
                                target.span(),
                            )
                            .with_help(text!("keep the blocks, competencies, assessments or marks it is decided on")),
                        );
                        ok = false;
                        continue;
                    }
                    members.push(t);
                }
            }
            if let Some((cmp, value, span)) = &k.condition {
                for &t in &members {
                    let Target::Entity(Entity::Criterion(c)) = t else {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::KeepConditionWithoutMark,
                                text!("`{t}` has an outcome, not a mark: `when mark …` cannot apply to it", t = id_of(self.model, t)),
                                file,
                                *span,
                            )
                            .with_help(text!("keep marks (criteria and parts) with a condition, and outcomes in a `keep` of their own: an outcome is kept when it is validated")),
                        );
                        ok = false;
                        break;
                    };
                    let Some(scale) = self.model.scale_of(c) else {
                        continue;
                    };
                    match check_value(scale, value, file, text!("the condition")) {
                        Ok(v) => {
                            condition = Some(KeepCondition {
                                cmp: cmp_ir(*cmp),
                                value: v,
                            })
                        }
                        Err(d) => {
                            self.diagnostics.push(*d);
                            ok = false;
                            break;
                        }
                    }
                }
            }
            if !ok {
                continue;
            }
            out.push(KeepIr {
                members: members.iter().map(|&t| id_of(self.model, t)).collect(),
                months: match k.duration {
                    Some((ast::KeepDuration::Months(m), _)) => Some(m),
                    Some((ast::KeepDuration::Forever, _)) | None => None,
                },
                condition,
                span: self.span(file, k.span),
            });
        }
        out
    }

    fn juries(&mut self) -> Vec<JuryIr> {
        let mut out = Vec::new();
        for &(file, j) in &self.model.juries {
            let mut members = Vec::new();
            for target in &j.targets {
                for t in self.expand(file, target) {
                    if !has_outcome(self.model, t) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::NoOutcome,
                                text!("`{t}` has no outcome a jury could decide", t = id_of(self.model, t)),
                                file,
                                target.span(),
                            )
                            .with_help(text!("a jury decides the certification, blocks, competencies or assessments that have a rule")),
                        );
                        continue;
                    }
                    members.push(id_of(self.model, t));
                }
            }
            out.push(JuryIr {
                members,
                required: j.required,
                span: self.span(file, j.span),
            });
        }
        out
    }

    fn date(&mut self, file: FileId, text: &ast::Text) -> Option<Session> {
        match Session::parse(&text.value) {
            Ok(s) => Some(s),
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadDate,
                        text!(
                            "`{date}` is not a date: write the year and the month (`2026-06`) or the whole date (`2026-06-15`)",
                            date = &e.0
                        ),
                        file,
                        text.span,
                    ).with_help(
                        text!("dates are written `2026-06` (a session) or `2026-06-15` (a day)"),
                    ),
                );
                None
            }
        }
    }

    /// The record facts of one example.
    fn example(
        &mut self,
        file: FileId,
        e: &ast::Example,
        records: &RecordsIr,
        out: &mut ExampleIr,
    ) {
        if let Some(s) = &e.session {
            out.session = self.date(file, s);
        }
        let needs_session = !e.earlier.is_empty();
        if needs_session && e.session.is_none() {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::BadDate,
                    text!("an example with earlier results must say its session"),
                    file,
                    e.span,
                )
                .with_help(text!("add `session \"2026-06\"`: validity periods count from the earlier session to this one")),
            );
        }
        for x in &e.earlier {
            let Some(target) = resolve(self.model, &x.target.name) else {
                let names = every_id(self.model);
                self.unknown(&x.target, file, acquis_diagnostics::Noun::Id, names);
                continue;
            };
            let Some(session) = self.date(file, &x.session) else {
                continue;
            };
            let value = match (target, &x.value) {
                (Target::Entity(Entity::Criterion(k)), v) => {
                    let Some(scale) = self.model.scale_of(k) else {
                        continue;
                    };
                    match check_value(scale, v, file, text!("the earlier mark")) {
                        Ok(v) => EarlierValue::Mark(v),
                        Err(d) => {
                            self.diagnostics.push(*d);
                            continue;
                        }
                    }
                }
                (t, ast::Value::Name(word)) if has_outcome(self.model, t) => {
                    match OutcomeIr::ALL.into_iter().find(|o| {
                        o.word() == word.name
                            && matches!(o, OutcomeIr::Validated | OutcomeIr::NotValidated)
                    }) {
                        Some(o) => EarlierValue::Outcome(o),
                        None => {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    Code::BadOutcome,
                                    text!("`{word}` is not an earlier outcome", word = &word.name),
                                    file,
                                    word.span,
                                )
                                .with_help(text!(
                                    "an earlier outcome is `validated` or `not_validated`"
                                )),
                            );
                            continue;
                        }
                    }
                }
                (t, _) => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::BadOutcome,
                            text!("`{t}` has an outcome, not a mark", t = id_of(self.model, t)),
                            file,
                            x.value.span(),
                        )
                        .with_help(text!("write `validated` or `not_validated` for an entity, a mark for a criterion or a part")),
                    );
                    continue;
                }
            };
            out.earlier.push(EarlierIr {
                id: id_of(self.model, target),
                value,
                session,
            });
        }
        for h in &e.holds {
            if records.equivalences.iter().any(|q| q.id == h.name) {
                out.holds.push(h.name.clone());
            } else {
                let names = records.equivalences.iter().map(|q| q.id.as_str()).collect();
                self.unknown(h, file, acquis_diagnostics::Noun::Equivalence, names);
            }
        }
        for d in &e.dispensed {
            if records.dispensations.iter().any(|q| q.id == d.name) {
                out.dispensed.push(d.name.clone());
            } else {
                let names = records
                    .dispensations
                    .iter()
                    .map(|q| q.id.as_str())
                    .collect();
                self.unknown(d, file, acquis_diagnostics::Noun::Dispensation, names);
            }
        }
        for d in &e.decisions {
            let Some(target) = resolve(self.model, &d.target.name) else {
                let names = every_id(self.model);
                self.unknown(&d.target, file, acquis_diagnostics::Noun::Id, names);
                continue;
            };
            let id = id_of(self.model, target);
            if records.jury_of(&id).is_none() {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::DecisionNotAllowed,
                        text!(
                            "the referential does not let a jury decide `{id}`",
                            id = &id
                        ),
                        file,
                        d.target.span,
                    )
                    .with_help(text!(
                        "add `jury may decide {id}` to the referential, if its règlement allows it",
                        id = &id
                    )),
                );
                continue;
            }
            let Some(outcome) = OutcomeIr::ALL.into_iter().find(|o| {
                o.word() == d.outcome.name
                    && matches!(o, OutcomeIr::Validated | OutcomeIr::NotValidated)
            }) else {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadOutcome,
                        text!("`{outcome}` is not a decision", outcome = &d.outcome.name),
                        file,
                        d.outcome.span,
                    )
                    .with_help(text!("a jury decides `validated` or `not_validated`")),
                );
                continue;
            };
            let Some(date) = self.date(file, &d.date) else {
                continue;
            };
            out.decisions.push(DecisionIr {
                id,
                outcome,
                author: d.author.value.clone(),
                date,
                justification: d.justification.value.clone(),
            });
        }
    }
}

fn duplicate(
    what: acquis_diagnostics::Noun,
    id: &ast::Ident,
    file: FileId,
    first: (FileId, Span),
) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateId,
        text!("{what} `{id}` is defined twice", what = what, id = &id.name),
        file,
        id.span,
    )
    .with_primary_message(text!("defined again here"))
    .with_label(first.0, first.1, text!("first defined here"))
    .with_help(text!("rename one of them, or merge them"))
}

fn cmp_ir(op: ast::CmpOp) -> CmpOp {
    match op {
        ast::CmpOp::Ge => CmpOp::Ge,
        ast::CmpOp::Gt => CmpOp::Gt,
        ast::CmpOp::Le => CmpOp::Le,
        ast::CmpOp::Lt => CmpOp::Lt,
        ast::CmpOp::Eq => CmpOp::Eq,
        ast::CmpOp::Ne => CmpOp::Ne,
    }
}

/// Resolves and checks the record items of `model` into `ir.records`,
/// and the record facts of its examples into `ir.examples` (one per
/// example of the model, in the same order).
pub(crate) fn lower(
    model: &Model<'_>,
    sources: &SourceMap,
    ir: &mut Ir,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut l = Lowering {
        model,
        sources,
        diagnostics,
    };
    let mut marks: HashSet<&str> = HashSet::default();
    for (_, expr) in ir.rules() {
        marks_read(expr, &mut marks);
    }
    let records = RecordsIr {
        equivalences: l.equivalences(&marks),
        dispensations: l.dispensations(ir, &marks),
        keep: l.keeps(),
        jury: l.juries(),
    };
    let mut examples = std::mem::take(&mut ir.examples);
    for (&(file, e), out) in model.examples.iter().zip(examples.iter_mut()) {
        l.example(file, e, &records, out);
    }
    ir.examples = examples;
    ir.records = records;
}
