//! A candidate's record besides this session's grades: results of earlier
//! sessions, held certifications (equivalences), dispensations and jury
//! decisions (docs/evaluation.md, "Candidate records").
//!
//! Facts are read as text ([`Fact`], from a history file or an example),
//! checked against the plan and the session ([`Plan::resolve_record`]),
//! and evaluated with the grades ([`Plan::evaluate_record`]): every
//! outcome that does not come from this session's grades says where it
//! comes from ([`Source`]), and, for a jury decision, what the rules alone
//! gave.

use acquis_diagnostics::{text, Code, Text};
use acquis_ir::describe::Lang;
use acquis_ir::{DispensationEffect, ExprIr, Ir, NumIr, Session, TestIr};
use rustc_hash::FxHashSet as HashSet;

use crate::batch::Problem;
use crate::plan::{Grades, Outcome, Outcomes, Plan};

/// The kind of a fact of a record, as history files write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactKind {
    /// A result of an earlier session: a mark of a criterion or part, or
    /// an outcome of another entity (`result`).
    Result,
    /// A held certification, named by its equivalence (`holds`).
    Holds,
    /// A dispensation granted (`dispensed`).
    Dispensed,
    /// A jury decision (`decision`).
    Decision,
}

impl FactKind {
    pub const ALL: [FactKind; 4] = [
        FactKind::Result,
        FactKind::Holds,
        FactKind::Dispensed,
        FactKind::Decision,
    ];

    /// The word of history files.
    pub fn word(self) -> &'static str {
        match self {
            FactKind::Result => "result",
            FactKind::Holds => "holds",
            FactKind::Dispensed => "dispensed",
            FactKind::Decision => "decision",
        }
    }

    pub fn from_word(word: &str) -> Option<FactKind> {
        FactKind::ALL
            .into_iter()
            .find(|k| k.word().eq_ignore_ascii_case(word.trim()))
    }
}

/// One fact of a record, as written, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub kind: FactKind,
    /// The entity (`U1/note`, `CCP1`, `certification`), equivalence or
    /// dispensation it names.
    pub entity: String,
    /// A mark or an outcome word (results, decisions).
    pub value: String,
    /// The session of a result, the date of a decision.
    pub date: String,
    pub author: String,
    pub justification: String,
    pub line: usize,
    pub column: Option<usize>,
    /// The history file it comes from (`None`: an example).
    pub file: Option<std::sync::Arc<str>>,
    /// Read from the results of an earlier `acquis eval` rather than
    /// stated: a result the referential does not keep is then left out
    /// silently.
    pub implied: bool,
}

/// Where an outcome comes from, when not from this session's grades.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A result of an earlier session, usable until `expires` (`None`:
    /// never expires).
    Earlier {
        session: Session,
        expires: Option<Session>,
    },
    /// An equivalence: a certification the candidate holds.
    Equivalence { id: String },
    /// A dispensation granted to the candidate.
    Dispensation {
        id: String,
        effect: DispensationEffect,
    },
    /// A jury decision; `rules` is what the rules alone gave.
    Jury {
        author: String,
        date: Session,
        justification: String,
        rules: Outcome,
    },
    /// The referential says a jury must decide, and it has not yet:
    /// pending; `rules` is what the rules alone give.
    AwaitingJury { rules: Outcome },
}

impl Source {
    /// The source in French words, for people (« équivalence »).
    pub fn french(&self) -> &'static str {
        match self {
            Source::Earlier { .. } => "session antérieure",
            Source::Equivalence { .. } => "équivalence",
            Source::Dispensation { .. } => "dispense",
            Source::Jury { .. } | Source::AwaitingJury { .. } => "jury",
        }
    }

    /// The word of results files (`source` in JSON, the CSV column).
    pub fn word(&self) -> &'static str {
        match self {
            Source::Earlier { .. } => "earlier",
            Source::Equivalence { .. } => "equivalence",
            Source::Dispensation { .. } => "dispensation",
            Source::Jury { .. } | Source::AwaitingJury { .. } => "jury",
        }
    }
}

/// The sources of a candidate's outcomes and the reasons written for
/// them, kept with the outcomes ([`Outcomes::source`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provenance {
    /// Per slot: where the outcome comes from (`None`: this session).
    pub(crate) sources: Vec<Option<Source>>,
    /// Per slot, for a candidate evaluated on a variant of the referential
    /// (dispensations `effect excluded`): the reasons written with that
    /// variant. `None`: [`Plan::reason`] writes them when asked.
    pub(crate) reasons: Option<Vec<String>>,
}

impl Outcomes {
    /// Where the outcome of `id` comes from, when not from this session's
    /// grades alone.
    pub fn source(&self, plan: &Plan<'_>, id: &str) -> Option<&Source> {
        // Grades alone (most candidates): no id looked up.
        let record = self.record.as_ref()?;
        record.sources.get(plan.slot_of(id)?)?.as_ref()
    }
}

/// A record checked against a plan and a session.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// Kept marks: criterion index, position, the session obtained.
    marks: Vec<(usize, f64, Session)>,
    /// Kept outcomes (validated): slot, the session obtained.
    outcomes: Vec<(usize, Session)>,
    /// Indices of `ir.records.equivalences` the candidate holds.
    holds: Vec<usize>,
    /// Indices of `ir.records.dispensations` granted.
    dispensed: Vec<usize>,
    /// Jury decisions: slot, outcome, author, date, justification.
    decisions: Vec<(usize, Outcome, String, Session, String)>,
}

impl Record {
    /// The dispensations with effect `excluded` the candidate has, sorted:
    /// the key of the plan they are evaluated with ([`Variants`]).
    pub fn exclusions(&self, ir: &Ir) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .dispensed
            .iter()
            .copied()
            .filter(|&d| {
                ir.records
                    .dispensations
                    .get(d)
                    .is_some_and(|d| d.effect == DispensationEffect::Excluded)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The referential with the members of some dispensations left out of
/// every set (a dispensation `effect excluded`): averages are taken over
/// the remaining coefficients, and a rule naming a dispensed member alone
/// is satisfied. One per combination of such dispensations that some
/// candidate has; the plans built on them have the same slots as the
/// referential's.
pub struct Variants {
    variants: Vec<(Vec<usize>, Ir)>,
}

impl Variants {
    /// The variants needed for these combinations of dispensations.
    pub fn new<'k>(ir: &Ir, keys: impl IntoIterator<Item = &'k Vec<usize>>) -> Variants {
        let mut variants: Vec<(Vec<usize>, Ir)> = Vec::new();
        for key in keys {
            if key.is_empty() || variants.iter().any(|(k, _)| k == key) {
                continue;
            }
            let members: HashSet<&str> = key
                .iter()
                .filter_map(|&d| ir.records.dispensations.get(d))
                .flat_map(|d| d.dispenses.iter().map(String::as_str))
                .collect();
            variants.push((key.clone(), excluding(ir, &members)));
        }
        Variants { variants }
    }

    /// The plans of the variants, in the same order as their keys.
    pub fn plans(&self) -> Vec<(Vec<usize>, Plan<'_>)> {
        self.variants
            .iter()
            .map(|(k, ir)| (k.clone(), Plan::new(ir)))
            .collect()
    }
}

/// The plan to evaluate a candidate with these exclusions: the variant
/// for them, else the referential's own.
pub fn plan_for<'p>(
    base: &'p Plan<'p>,
    variants: &'p [(Vec<usize>, Plan<'p>)],
    exclusions: &[usize],
) -> &'p Plan<'p> {
    if exclusions.is_empty() {
        return base;
    }
    variants
        .iter()
        .find(|(k, _)| k.as_slice() == exclusions)
        .map_or(base, |(_, p)| p)
}

/// `ir` with `members` left out of every set of every rule, and a test
/// of one of them alone replaced by "true".
fn excluding(ir: &Ir, members: &HashSet<&str>) -> Ir {
    let mut out = ir.clone();
    let keep = |set: &mut Vec<String>| set.retain(|m| !members.contains(m.as_str()));
    fn expr(e: &mut ExprIr, keep: &dyn Fn(&mut Vec<String>), members: &HashSet<&str>) {
        match e {
            ExprIr::And { args } | ExprIr::Or { args } => {
                args.iter_mut().for_each(|a| expr(a, keep, members))
            }
            ExprIr::Not { arg } => expr(arg, keep, members),
            ExprIr::All { set, .. }
            | ExprIr::Any { set, .. }
            | ExprIr::None { set, .. }
            | ExprIr::AtLeast { set, .. }
            | ExprIr::AtMost { set, .. } => keep(set),
            ExprIr::Member { id, .. } => {
                if members.contains(id.as_str()) {
                    *e = ExprIr::Const { value: true };
                }
            }
            ExprIr::Compare { lhs, rhs, .. } => {
                num(lhs, keep);
                num(rhs, keep);
            }
            ExprIr::Const { .. } => {}
        }
    }
    fn num(n: &mut NumIr, keep: &dyn Fn(&mut Vec<String>)) {
        match n {
            NumIr::Aggregate { set, .. } => keep(set),
            NumIr::Arith { lhs, rhs, .. } => {
                num(lhs, keep);
                num(rhs, keep);
            }
            NumIr::Round { arg, .. } => num(arg, keep),
            NumIr::Max { args } | NumIr::Min { args } => args.iter_mut().for_each(|a| num(a, keep)),
            NumIr::Number { .. } => {}
        }
    }
    for b in &mut out.blocks {
        expr(&mut b.rule.expr, &keep, members);
    }
    for c in &mut out.competencies {
        expr(&mut c.rule.expr, &keep, members);
    }
    for a in &mut out.assessments {
        if let Some(rule) = &mut a.rule {
            expr(&mut rule.expr, &keep, members);
        }
    }
    expr(&mut out.certification.rule.expr, &keep, members);
    out
}

/// A problem of a fact, for the candidate's problems.
fn problem(fact: &Fact, candidate: &str, code: Code, message: Text) -> Problem {
    Problem {
        code,
        line: fact.line,
        column: fact.column,
        candidate: Some(candidate.to_string()),
        message,
        file: fact.file.clone(),
    }
}

fn outcome_word(word: &str) -> Option<Outcome> {
    match word.trim() {
        "validated" | "acquired" => Some(Outcome::Passed),
        "not_validated" | "not_acquired" => Some(Outcome::Failed),
        _ => None,
    }
}

impl<'ir> Plan<'ir> {
    /// Checks a candidate's facts against the referential and the session
    /// (`None` when the evaluation has none: earlier results then cannot
    /// be used). Facts that cannot be used are reported and left out;
    /// results that are expired or fail their `keep` condition are
    /// warnings (A0717), the others errors.
    pub fn resolve_record(
        &self,
        candidate: &str,
        facts: &[Fact],
        session: Option<Session>,
    ) -> (Record, Vec<Problem>) {
        let ir = self.ir();
        let mut record = Record::default();
        let mut problems = Vec::new();
        let lang = self.lang();
        for fact in facts {
            let entity = fact.entity.trim();
            let mut report = |code: Code, message: Text| {
                problems.push(problem(fact, candidate, code, message));
            };
            match fact.kind {
                FactKind::Holds => {
                    match ir.records.equivalences.iter().position(|e| e.id == entity) {
                        Some(i) => record.holds.push(i),
                        None => report(
                            Code::UnknownRecordEntry,
                            unknown(
                                acquis_diagnostics::Noun::Equivalence,
                                entity,
                                ir.records.equivalences.iter().map(|e| e.id.as_str()),
                            ),
                        ),
                    }
                }
                FactKind::Dispensed => {
                    match ir.records.dispensations.iter().position(|d| d.id == entity) {
                        Some(i) => record.dispensed.push(i),
                        None => report(
                            Code::UnknownRecordEntry,
                            unknown(
                                acquis_diagnostics::Noun::Dispensation,
                                entity,
                                ir.records.dispensations.iter().map(|d| d.id.as_str()),
                            ),
                        ),
                    }
                }
                FactKind::Result => {
                    if fact.implied
                        && (self.slot_of(entity).is_none() || ir.records.keep_of(entity).is_none())
                    {
                        continue;
                    }
                    let Some(slot) = self.slot_of(entity) else {
                        report(
                            Code::UnknownRecordEntry,
                            unknown(
                                acquis_diagnostics::Noun::Entity,
                                entity,
                                self.ids().iter().copied(),
                            ),
                        );
                        continue;
                    };
                    let got = match Session::parse(&fact.date) {
                        Ok(s) => s,
                        Err(e) => {
                            report(
                                Code::RecordBadDate,
                                text!(
                                    "session of the result of `{entity}`: {why}",
                                    entity = &entity,
                                    why = not_a_date(&e)
                                ),
                            );
                            continue;
                        }
                    };
                    let Some(now) = session else {
                        report(
                            Code::SessionNeeded,
                            text!("the result of `{entity}` ({got}) cannot be used without the session being evaluated: give `--session`", entity = &entity, got = &got),
                        );
                        continue;
                    };
                    if got >= now {
                        report(
                            Code::FactNotAllowed,
                            text!("the result of `{entity}` is dated {got}, not before this session ({now})", entity = &entity, got = &got, now = &now),
                        );
                        continue;
                    }
                    let Some(keep) = ir.records.keep_of(entity) else {
                        report(
                            Code::FactNotAllowed,
                            text!("the referential does not keep results of `{entity}` from one session to the next (no `keep` names it)", entity = &entity),
                        );
                        continue;
                    };
                    if !got.usable_in(now, keep.months) {
                        let until = got
                            .expires(keep.months)
                            .map_or(String::new(), |s| s.to_string());
                        report(
                            Code::FactNotUsable,
                            text!("the result of `{entity}` obtained in {got} expired in {until}: it is not used", entity = &entity, got = &got, until = &until),
                        );
                        continue;
                    }
                    if self.is_criterion(entity) {
                        let position = match self.parse_grade(slot, &fact.value) {
                            Ok(v) => v.position(),
                            Err(e) => {
                                report(
                                    Code::FactNotAllowed,
                                    text!(
                                        "earlier mark of `{entity}`: {why}",
                                        entity = &entity,
                                        why = grade_error(&e)
                                    ),
                                );
                                continue;
                            }
                        };
                        if let Some(c) = &keep.condition {
                            if !self.meets(slot, position, c.cmp, &c.value) {
                                report(
                                    Code::FactNotUsable,
                                    text!("the mark {position} of `{entity}` ({got}) does not meet the condition to be kept (mark {symbol} {value}): it is not used", position = self.grade_text(slot, position), entity = &entity, got = &got, symbol = &c.cmp.symbol(), value = show_value(lang, &c.value)),
                                );
                                continue;
                            }
                        }
                        if let Some(previous) = record.marks.iter().position(|(i, _, _)| *i == slot)
                        {
                            // Two usable marks: the most recent counts.
                            if record.marks.get(previous).is_some_and(|(_, _, s)| *s < got) {
                                record.marks.remove(previous);
                            } else {
                                continue;
                            }
                        }
                        record.marks.push((slot, position, got));
                    } else {
                        match outcome_word(&fact.value) {
                            Some(Outcome::Passed) => {
                                if let Some(previous) = record.outcomes.iter().position(|(s, _)| *s == slot) {
                                    if record.outcomes.get(previous).is_some_and(|(_, s)| *s < got) {
                                        record.outcomes.remove(previous);
                                    } else {
                                        continue;
                                    }
                                }
                                record.outcomes.push((slot, got));
                            }
                            // An earlier failure keeps nothing.
                            Some(_) => {}
                            None => report(
                                Code::FactNotAllowed,
                                text!("`{trim}` is not an outcome of `{entity}`: write `validated` or `not_validated`", trim = &fact.value.trim(), entity = &entity),
                            ),
                        }
                    }
                }
                FactKind::Decision => {
                    let Some(slot) = self.slot_of(entity) else {
                        report(
                            Code::UnknownRecordEntry,
                            unknown(
                                acquis_diagnostics::Noun::Entity,
                                entity,
                                self.ids().iter().copied(),
                            ),
                        );
                        continue;
                    };
                    if ir.records.jury_of(entity).is_none() {
                        report(
                            Code::FactNotAllowed,
                            text!("the referential does not let a jury decide `{entity}` (no `jury may decide` names it)", entity = &entity),
                        );
                        continue;
                    }
                    let Some(outcome) = outcome_word(&fact.value) else {
                        report(
                            Code::FactNotAllowed,
                            text!("`{trim}` is not a decision: a jury decides `validated` or `not_validated`", trim = &fact.value.trim()),
                        );
                        continue;
                    };
                    let missing: Vec<Text> = [
                        (text!("an author"), fact.author.trim()),
                        (text!("a date"), fact.date.trim()),
                        (text!("a justification"), fact.justification.trim()),
                    ]
                    .into_iter()
                    .filter(|(_, v)| v.is_empty())
                    .map(|(what, _)| what)
                    .collect();
                    if !missing.is_empty() {
                        report(
                            Code::FactNotAllowed,
                            text!(
                                "the jury decision on `{entity}` needs {join}",
                                entity = &entity,
                                join = Text::list_and(missing)
                            ),
                        );
                        continue;
                    }
                    let date = match Session::parse(&fact.date) {
                        Ok(d) => d,
                        Err(e) => {
                            report(
                                Code::RecordBadDate,
                                text!(
                                    "date of the decision on `{entity}`: {why}",
                                    entity = &entity,
                                    why = not_a_date(&e)
                                ),
                            );
                            continue;
                        }
                    };
                    if let Some((_, other, author, d, _)) =
                        record.decisions.iter().find(|(s, ..)| *s == slot)
                    {
                        if *other != outcome {
                            report(
                                Code::ConflictingFacts,
                                text!("two different jury decisions on `{entity}`: {first} ({author}, {date}) and {second}", entity = &entity, first = other.word(false), author = &author, date = &d, second = outcome.word(false)),
                            );
                        }
                        continue;
                    }
                    record.decisions.push((
                        slot,
                        outcome,
                        fact.author.trim().to_string(),
                        date,
                        fact.justification.trim().to_string(),
                    ));
                }
            }
        }
        (record, problems)
    }

    /// Evaluates a candidate with a record: kept marks fill the grades
    /// this session does not give (this session's grade wins: the
    /// candidate sat the épreuve again), the record's outcomes replace
    /// the rules' (every rule reading them sees them), and each says its
    /// source. `plan` is this plan, or its variant for the candidate's
    /// dispensations ([`plan_for`]). Returns the grades as read (kept
    /// marks included) and the outcomes.
    pub fn evaluate_record(
        &self,
        plan: &Plan<'_>,
        grades: &Grades,
        record: &Record,
    ) -> (Grades, Outcomes) {
        let ir = self.ir();
        let mut merged = grades.clone();
        let mut sources: Vec<Option<Source>> = vec![None; self.ids().len()];
        for &(index, position, session) in &record.marks {
            if merged.position(index).is_none() {
                merged.set_position(index, position);
                let months = ir
                    .criteria
                    .get(index)
                    .and_then(|c| ir.records.keep_of(&c.id))
                    .and_then(|k| k.months);
                if let Some(s) = sources.get_mut(index) {
                    *s = Some(Source::Earlier {
                        session,
                        expires: session.expires(months),
                    });
                }
            }
        }
        // Overrides, weakest first: a later one replaces an earlier one.
        let mut overrides: Vec<(usize, Outcome, Source)> = Vec::new();
        let mut set = |slot: usize, outcome: Outcome, source: Source| match overrides
            .iter_mut()
            .find(|(s, ..)| *s == slot)
        {
            Some(o) => *o = (slot, outcome, source),
            None => overrides.push((slot, outcome, source)),
        };
        for &(slot, session) in &record.outcomes {
            let months = self
                .ids()
                .get(slot)
                .and_then(|id| ir.records.keep_of(id))
                .and_then(|k| k.months);
            set(
                slot,
                Outcome::Passed,
                Source::Earlier {
                    session,
                    expires: session.expires(months),
                },
            );
        }
        for &e in &record.holds {
            let Some(eq) = ir.records.equivalences.get(e) else {
                continue;
            };
            for id in &eq.grants {
                if let Some(slot) = self.slot_of(id) {
                    set(
                        slot,
                        Outcome::Passed,
                        Source::Equivalence { id: eq.id.clone() },
                    );
                }
            }
        }
        for &d in &record.dispensed {
            let Some(disp) = ir.records.dispensations.get(d) else {
                continue;
            };
            for id in &disp.dispenses {
                if let Some(slot) = self.slot_of(id) {
                    set(
                        slot,
                        Outcome::Passed,
                        Source::Dispensation {
                            id: disp.id.clone(),
                            effect: disp.effect,
                        },
                    );
                }
            }
        }
        for (slot, outcome, author, date, justification) in &record.decisions {
            set(
                *slot,
                *outcome,
                Source::Jury {
                    author: author.clone(),
                    date: *date,
                    justification: justification.clone(),
                    rules: Outcome::Pending,
                },
            );
        }
        // What a jury must decide and has not: pending.
        for j in ir.records.jury.iter().filter(|j| j.required) {
            for id in &j.members {
                let Some(slot) = self.slot_of(id) else {
                    continue;
                };
                if !record.decisions.iter().any(|(s, ..)| s == &slot) {
                    set(
                        slot,
                        Outcome::Pending,
                        Source::AwaitingJury {
                            rules: Outcome::Pending,
                        },
                    );
                }
            }
        }
        overrides.sort_by_key(|(s, ..)| *s);
        let forced: Vec<(usize, Outcome)> = overrides.iter().map(|(s, o, _)| (*s, *o)).collect();
        let mut outcomes = Outcomes::default();
        let mut rules_gave = Vec::new();
        plan.evaluate_with(&merged, &forced, &mut outcomes, &mut rules_gave);
        for (slot, _, mut source) in overrides {
            let gave = rules_gave.iter().find(|(s, _)| *s == slot).map(|(_, o)| *o);
            match &mut source {
                Source::Jury { rules, .. } | Source::AwaitingJury { rules } => {
                    *rules = gave.unwrap_or(Outcome::Pending)
                }
                _ => {}
            }
            // A refusal of the rules needs no jury: no source to say.
            if let Source::AwaitingJury {
                rules: Outcome::Failed,
            } = source
            {
                continue;
            }
            if let Some(s) = sources.get_mut(slot) {
                *s = Some(source);
            }
        }
        // A variant's reasons are written now, while the variant is at
        // hand; the others when asked for (most outputs need none).
        let reasons = (!std::ptr::eq(plan.ir(), self.ir())).then(|| {
            let lang = self.lang();
            let provisional = Outcomes {
                values: outcomes.values.clone(),
                record: None,
            };
            self.ids()
                .iter()
                .enumerate()
                .map(|(slot, id)| {
                    let rules = plan.reason(id, &merged, &provisional);
                    match sources.get(slot).and_then(Option::as_ref) {
                        None => rules,
                        Some(source) => source_reason(self, lang, source, slot, &rules),
                    }
                })
                .collect()
        });
        outcomes.record = Some(Box::new(Provenance { sources, reasons }));
        (merged, outcomes)
    }
}

/// The reason of an outcome that comes from a record.
pub(crate) fn source_reason(
    plan: &Plan<'_>,
    lang: Lang,
    source: &Source,
    slot: usize,
    rules: &str,
) -> String {
    let ir = plan.ir();
    let fr = lang.fr;
    // French agreement with the entity: « compétence acquise », « bloc
    // acquis ».
    let fem = if plan.is_feminine(plan.ids().get(slot).copied().unwrap_or_default()) {
        "e"
    } else {
        ""
    };
    match source {
        Source::Earlier { session, expires } => {
            let until = match (expires, fr) {
                (Some(e), true) => format!(", valable jusqu'à la session {e}"),
                (Some(e), false) => format!(", usable until the {e} session"),
                (None, true) => ", sans limite de durée".to_string(),
                (None, false) => ", with no time limit".to_string(),
            };
            if plan.is_criterion(plan.ids().get(slot).copied().unwrap_or_default()) {
                let mark = rules.to_string();
                if fr {
                    format!("{mark} (note conservée de la session {session}{until})")
                } else {
                    format!("{mark} (mark kept from the {session} session{until})")
                }
            } else if fr {
                format!("acquis{fem} à la session {session}{until}")
            } else {
                format!("obtained in the {session} session{until}")
            }
        }
        Source::Equivalence { id } => {
            let e = ir.records.equivalences.iter().find(|e| &e.id == id);
            let title = e.map_or(id.as_str(), |e| e.title.as_str());
            let rncp = e
                .and_then(|e| e.rncp.as_deref())
                .map_or(String::new(), |r| format!(" ({r})"));
            if fr {
                format!("acquis{fem} par équivalence : titulaire de « {title} »{rncp}")
            } else {
                format!("granted by equivalence: holds “{title}”{rncp}")
            }
        }
        Source::Dispensation { id, effect } => {
            let title = ir
                .records
                .dispensations
                .iter()
                .find(|d| &d.id == id)
                .map_or(id.as_str(), |d| d.title.as_str());
            match (effect, fr) {
                (DispensationEffect::Excluded, true) => {
                    format!("dispensé{fem} (« {title} ») : hors des ensembles et des moyennes")
                }
                (DispensationEffect::Excluded, false) => {
                    format!("dispensed (“{title}”): left out of sets and averages")
                }
                (DispensationEffect::Validated, true) => {
                    format!("dispensé{fem} (« {title} ») : compté{fem} comme validé{fem}")
                }
                (DispensationEffect::Validated, false) => {
                    format!("dispensed (“{title}”): counted as validated")
                }
            }
        }
        Source::Jury {
            author,
            date,
            justification,
            rules: gave,
        } => {
            let id = plan.ids().get(slot).copied().unwrap_or_default();
            let gave_word = plan.outcome_agreeing(id, *gave);
            if fr {
                format!("décision du jury ({author}, {date}) : {justification} — les règles seules donnaient : {gave_word} ({rules})")
            } else {
                format!("jury decision ({author}, {date}): {justification} — the rules alone gave: {gave_word} ({rules})")
            }
        }
        Source::AwaitingJury { rules: gave } => {
            let id = plan.ids().get(slot).copied().unwrap_or_default();
            let gave_word = plan.outcome_agreeing(id, *gave);
            if fr {
                format!("en attente de la décision du jury ; les règles seules donnent : {gave_word} ({rules})")
            } else {
                format!("awaiting the jury's decision; the rules alone give: {gave_word} ({rules})")
            }
        }
    }
}

fn show_value(lang: Lang, value: &acquis_ir::ValueIr) -> String {
    match value {
        acquis_ir::ValueIr::Number(d) => lang.decimal(*d),
        acquis_ir::ValueIr::Level(l) => l.clone(),
    }
}

fn grade_error(e: &crate::plan::GradeError) -> Text {
    match e {
        crate::plan::GradeError::UnknownCriterion => text!("unknown criterion"),
        crate::plan::GradeError::NotOnScale(why) | crate::plan::GradeError::NoAbsenceRule(why) => {
            why.clone()
        }
    }
}

fn unknown<'a>(
    what: acquis_diagnostics::Noun,
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Text {
    match acquis_diagnostics::did_you_mean(name, candidates) {
        Some(close) => text!(
            "unknown {what} `{name}` (did you mean `{close}`?)",
            what = what,
            name = name,
            close = close
        ),
        None => text!("unknown {what} `{name}`", what = what, name = name),
    }
}

/// Why a text is not a session date, in the catalogue's words.
fn not_a_date(e: &acquis_ir::BadSession) -> Text {
    text!(
        "`{date}` is not a date: write the year and the month (`2026-06`) or the whole date (`2026-06-15`)",
        date = &e.0
    )
}

/// Checks `TestIr`-like conditions of `keep`: whether a position meets
/// `cmp value` on criterion `index`'s scale.
impl Plan<'_> {
    fn meets(
        &self,
        index: usize,
        position: f64,
        cmp: acquis_ir::CmpOp,
        value: &acquis_ir::ValueIr,
    ) -> bool {
        let test = TestIr::Compare {
            cmp,
            value: value.clone(),
        };
        self.test_position(index, position, &test)
    }
}

/// The record of an `example` block, as facts.
pub fn example_facts(example: &acquis_ir::ExampleIr) -> Vec<Fact> {
    let fact = |kind: FactKind, entity: &str| Fact {
        kind,
        entity: entity.to_string(),
        value: String::new(),
        date: String::new(),
        author: String::new(),
        justification: String::new(),
        line: example.span.line,
        column: Some(example.span.column),
        file: None,
        implied: false,
    };
    let mut facts = Vec::new();
    for e in &example.earlier {
        facts.push(Fact {
            value: match &e.value {
                acquis_ir::EarlierValue::Mark(acquis_ir::ValueIr::Number(d)) => d.to_string(),
                acquis_ir::EarlierValue::Mark(acquis_ir::ValueIr::Level(l)) => l.clone(),
                acquis_ir::EarlierValue::Outcome(o) => o.word().to_string(),
            },
            date: e.session.to_string(),
            ..fact(FactKind::Result, &e.id)
        });
    }
    facts.extend(example.holds.iter().map(|h| fact(FactKind::Holds, h)));
    facts.extend(
        example
            .dispensed
            .iter()
            .map(|d| fact(FactKind::Dispensed, d)),
    );
    for d in &example.decisions {
        facts.push(Fact {
            value: d.outcome.word().to_string(),
            date: d.date.to_string(),
            author: d.author.clone(),
            justification: d.justification.clone(),
            ..fact(FactKind::Decision, &d.id)
        });
    }
    facts
}
