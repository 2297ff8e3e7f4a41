//! The abstract syntax tree. Every node carries the byte span of its source
//! text, so diagnostics, the IR and the editor can point back at it.

use serde::Serialize;

use acquis_diagnostics::Code;
/// A half-open byte range into one source file (the diagnostic model's).
pub use acquis_diagnostics::Span;

/// An identifier as written, with its span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal after unescaping (and dedenting, for long strings).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A parsed file: whatever could be read, and every syntax error found.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct File {
    pub items: Vec<Item>,
    pub errors: Vec<SyntaxError>,
}

/// A syntax error: where, what was expected there, and what was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyntaxError {
    /// [`Code::Syntax`], or [`Code::TooDeep`] for a rule or a nesting
    /// deeper than the parser reads.
    pub code: Code,
    pub span: Span,
    pub message: acquis_diagnostics::Text,
    /// Human names of what would have been accepted at `span.start`.
    pub expected: Vec<acquis_diagnostics::Text>,
    /// The span of the whole item or member that could not be read.
    pub skipped: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Referential(Referential),
    Use(UseDecl),
    Import(Import),
    Scale(Scale),
    Defaults(Defaults),
    Rule(NamedRule),
    Block(Block),
    /// An assessment outside the blocks (entretien final, dossier
    /// professionnel): it may cover any competency, and the certification
    /// rule may require it.
    Assessment(Assessment),
    Certification(Certification),
    Example(Example),
    /// A held certification that grants members (`equivalence`).
    Equivalence(Equivalence),
    /// A named condition that dispenses from members (`dispensation`).
    Dispensation(Dispensation),
    /// How long earlier marks or outcomes stay usable (`keep`).
    Keep(Keep),
    /// What a jury decision may or must set (`jury`).
    Jury(Jury),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referential {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub level: Option<(u32, Span)>,
    pub version: Option<Text>,
    pub lang: Option<Ident>,
    pub meta: Vec<(Ident, Text)>,
    pub accommodation: Option<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UseDecl {
    /// The path segments, `["std", "scales", "acquisition"]`.
    pub path: Vec<Ident>,
    /// `use std::rules::*`
    pub glob: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Import {
    pub path: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Option<Text>,
    pub kind: Option<ScaleKind>,
    pub pass: Option<Value>,
    /// `absent counts as …`
    pub absent: Option<AbsentRule>,
    /// The label written after a level (`levels non_acquis "Non acquis" <
    /// …`): one entry per level of `kind`, `None` for a level without.
    pub labels: Vec<Option<Text>>,
    pub span: Span,
}

/// `absent counts as 0`, `absent counts as non_acquis`, `absent counts as
/// not acquired`: what the grade of an absent candidate (`ABS`) counts as.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AbsentRule {
    pub counts_as: AbsentValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AbsentValue {
    /// A number or a level of the scale.
    Value(Value),
    /// `not acquired`, its span.
    NotAcquired(Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ScaleKind {
    Levels(Vec<Ident>),
    Range {
        min: (f64, Span),
        max: (f64, Span),
        step: Option<(f64, Span)>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Defaults {
    pub criterion_scale: Option<Ident>,
    pub competency_rule: Option<RuleDecl>,
    pub block_rule: Option<RuleDecl>,
    pub accommodations: Vec<Accommodation>,
    /// `absent counts as …` for criteria whose scale and assessments say
    /// nothing (boxed: `Defaults` is the largest item already).
    pub absent: Option<Box<AbsentRule>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedRule {
    pub docs: Vec<String>,
    pub id: Ident,
    pub params: Vec<Ident>,
    pub body: Expr,
    pub span: Span,
}

/// `validated when EXPR`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleDecl {
    pub expr: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub summary: Option<Text>,
    pub missions: Vec<Text>,
    pub situations: Vec<Situation>,
    pub competencies: Vec<Competency>,
    pub assessments: Vec<Assessment>,
    pub rule: Option<RuleDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Situation {
    pub title: Text,
    pub activities: Vec<Text>,
    pub notes: Vec<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Competency {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub criteria: Vec<Criterion>,
    pub rule: Option<RuleDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub covers: Vec<Ident>,
    pub kind: Option<Text>,
    pub description: Option<Text>,
    pub tasks: Vec<Text>,
    pub deliverables: Vec<Text>,
    pub notes: Vec<Text>,
    pub duration: Option<Duration>,
    pub accommodations: Vec<Accommodation>,
    pub jointly: Vec<Jointly>,
    /// `absent counts as …` for the criteria it evaluates.
    pub absent: Option<AbsentRule>,
    /// Its marked parts (`part ecrit "Écrit" { … }`), graded like criteria
    /// of the assessment (`E2/ecrit`).
    pub parts: Vec<Part>,
    /// `validated when …` over its parts: the assessment then has an
    /// outcome of its own.
    pub rule: Option<RuleDecl>,
    pub span: Span,
}

/// A marked part of an assessment: `part ecrit "Écrit" { scale note_sur_20
/// coefficient 2 duration 3 h form "écrit ponctuel" }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The part as a criterion of its assessment (`E2/ecrit`): id, title,
    /// scale, pass, and its `coefficient` as the criterion's weight (no
    /// indicators).
    pub criterion: Criterion,
    pub duration: Option<Duration>,
    /// `form "…"`: written, oral, ponctuelle, CCF, as the règlement says.
    pub form: Option<Text>,
    /// `examiners "…"`: who marks it, verbatim.
    pub examiners: Option<Text>,
    /// `optional`: an épreuve facultative; a missing mark is the lowest
    /// mark of its scale, never pending.
    pub optional: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Duration {
    /// Total minutes, from `1 h 30 min`.
    Minutes(f64, Span),
    Text(Text),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accommodation {
    pub kind: Ident,
    pub value: Option<AccommodationValue>,
    pub context: Option<Ident>,
    pub description: Option<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AccommodationValue {
    Fraction { numerator: u32, denominator: u32 },
    Minutes(f64),
    Number(f64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jointly {
    pub competencies: Vec<Ident>,
    pub criteria: Vec<Criterion>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub indicators: Vec<Text>,
    pub scale: Option<Ident>,
    pub pass: Option<Value>,
    pub weight: Option<(f64, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certification {
    pub rule: RuleDecl,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub docs: Vec<String>,
    pub name: Text,
    pub grades: Vec<Grade>,
    pub expectations: Vec<Expectation>,
    /// `session "2026-06"`: the session the example is evaluated in.
    pub session: Option<Text>,
    /// `earlier { U3/note 12 "2024-06", CCP1 validated "2025-03" }`.
    pub earlier: Vec<Earlier>,
    /// `holds BTS_ESF`: equivalences the candidate holds.
    pub holds: Vec<Ident>,
    /// `dispensed niveau5`: dispensations granted to the candidate.
    pub dispensed: Vec<Ident>,
    /// `decision certification validated by "…" on "…" because "…"`.
    pub decisions: Vec<Decision>,
    pub span: Span,
}

/// A result of an earlier session in an example: a mark or an outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Earlier {
    pub target: Ident,
    /// A mark (`Value::Number`) or an outcome word (`Value::Name`).
    pub value: Value,
    /// The session it was obtained in, as written (`"2024-06"`).
    pub session: Text,
    pub span: Span,
}

/// A jury decision in an example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub target: Ident,
    pub outcome: Ident,
    pub author: Text,
    pub date: Text,
    pub justification: Text,
    pub span: Span,
}

/// `equivalence BTS_ESF "BTS …" { rncp "RNCP…" grants DC3, DC4 }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equivalence {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub rncp: Option<Text>,
    pub grants: Vec<Ident>,
    pub span: Span,
}

/// What a dispensation does to the members it dispenses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DispensationEffect {
    /// `effect excluded`: left out of sets and averages.
    Excluded,
    /// `effect validated`: counted as validated (acquired).
    Validated,
}

/// `dispensation niveau5 "…" { dispenses U1 effect excluded }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dispensation {
    pub docs: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub dispenses: Vec<Ident>,
    pub effect: Option<(DispensationEffect, Span)>,
    pub span: Span,
}

/// A member named by a `keep` or `jury` item: an id, or every entity of
/// a kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RecordTarget {
    Blocks(Span),
    Competencies(Span),
    Criteria(Span),
    Id(Ident),
}

impl RecordTarget {
    pub fn span(&self) -> Span {
        match self {
            RecordTarget::Blocks(s) | RecordTarget::Competencies(s) | RecordTarget::Criteria(s) => {
                *s
            }
            RecordTarget::Id(i) => i.span,
        }
    }
}

/// How long a `keep` lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeepDuration {
    Months(u32),
    Forever,
}

/// `keep U1/note, U2/note for 5 years when mark >= 10`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keep {
    pub docs: Vec<String>,
    pub targets: Vec<RecordTarget>,
    pub duration: Option<(KeepDuration, Span)>,
    /// `when mark >= 10`: the comparison and the value.
    pub condition: Option<(CmpOp, Value, Span)>,
    pub span: Span,
}

/// `jury may decide blocks`, `jury must decide certification`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jury {
    pub docs: Vec<String>,
    /// `must`: without a decision, what it names stays pending.
    pub required: bool,
    pub targets: Vec<RecordTarget>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    pub criterion: Ident,
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    pub target: Ident,
    pub outcome: Ident,
    pub span: Span,
}

// ---------------------------------------------------------------- rules

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `all S P`, `at least N of S P`, ...
    Quantified {
        quantifier: Quantifier,
        set: SetExpr,
        predicate: Option<Predicate>,
    },
    /// `N of M S P`: at least N, with S checked to have exactly M members.
    Counted {
        at_least: Count,
        size: Count,
        set: SetExpr,
        predicate: Option<Predicate>,
    },
    /// `CE5 acquired`, `C2.4 validated`, `CE3 >= en_cours`
    Member {
        target: Ident,
        predicate: Predicate,
    },
    /// A named rule, `n_of(4)`.
    Call {
        name: Ident,
        args: Vec<Value>,
    },
    /// `average(criteria) >= 10`
    Compare {
        lhs: NumExpr,
        op: CmpOp,
        rhs: NumExpr,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Quantifier {
    All,
    Any,
    None,
    AtLeast(Count),
    AtMost(Count),
}

/// A count in a rule: a literal, or a named rule's parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Count {
    Literal(u32, Span),
    Param(Ident),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Predicate {
    Acquired(Span),
    Validated(Span),
    Compare(CmpOp, Value, Span),
}

impl Predicate {
    pub fn span(&self) -> Span {
        match self {
            Predicate::Acquired(s) | Predicate::Validated(s) | Predicate::Compare(_, _, s) => *s,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

impl CmpOp {
    /// The operator written `symbol`, if it is one (`=` for equality).
    pub fn from_symbol(symbol: &str) -> Option<CmpOp> {
        Some(match symbol {
            ">=" => CmpOp::Ge,
            ">" => CmpOp::Gt,
            "<=" => CmpOp::Le,
            "<" => CmpOp::Lt,
            "=" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            _ => return None,
        })
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Lt => "<",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }
}

/// A number or a name (a level, or a named rule's parameter).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Value {
    Number(f64, Span),
    Name(Ident),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Number(_, s) => *s,
            Value::Name(i) => i.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetExpr {
    pub base: SetBase,
    pub except: Vec<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SetBase {
    Criteria,
    Competencies,
    Blocks,
    /// `parts`: the parts of the assessment whose rule it is.
    Parts,
    Explicit(Vec<Ident>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum NumExpr {
    Number(f64, Span),
    Param(Ident),
    Aggregate {
        function: AggregateFn,
        set: SetExpr,
        predicate: Option<Predicate>,
        span: Span,
    },
    Binary {
        op: ArithOp,
        lhs: Box<NumExpr>,
        rhs: Box<NumExpr>,
        span: Span,
    },
    /// `round(x, 2)`, `floor(x, 2)`, `ceil(x, 2)`: `decimals` as written (a
    /// number or a named rule's parameter; the compiler checks it, and
    /// reports it missing).
    Round {
        function: RoundFn,
        arg: Box<NumExpr>,
        decimals: Option<Value>,
        span: Span,
    },
    /// `max(x, y)`, `min(x, y)` of two numbers (`max(S)` over a set is an
    /// [`AggregateFn`]); the compiler checks there are two.
    Extremum {
        function: ExtremumFn,
        args: Vec<NumExpr>,
        span: Span,
    },
}

impl NumExpr {
    pub fn span(&self) -> Span {
        match self {
            NumExpr::Number(_, s) => *s,
            NumExpr::Param(i) => i.span,
            NumExpr::Aggregate { span, .. }
            | NumExpr::Binary { span, .. }
            | NumExpr::Round { span, .. }
            | NumExpr::Extremum { span, .. } => *span,
        }
    }
}

/// How `round`, `floor` and `ceil` round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RoundFn {
    /// `round`: to the nearest, half away from zero.
    Round,
    /// `floor`: down, toward −∞.
    Floor,
    /// `ceil`: up, toward +∞.
    Ceil,
}

impl RoundFn {
    pub fn name(self) -> &'static str {
        match self {
            RoundFn::Round => "round",
            RoundFn::Floor => "floor",
            RoundFn::Ceil => "ceil",
        }
    }
}

/// `max(x, y)` or `min(x, y)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExtremumFn {
    Max,
    Min,
}

impl ExtremumFn {
    pub fn name(self) -> &'static str {
        match self {
            ExtremumFn::Max => "max",
            ExtremumFn::Min => "min",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AggregateFn {
    Average,
    WeightedAverage,
    Min,
    Max,
    Sum,
    /// Members satisfying the predicate (their own outcome without one).
    Count,
    /// Members of the set, whatever their outcome.
    Size,
}

impl AggregateFn {
    pub fn name(self) -> &'static str {
        match self {
            AggregateFn::Average => "average",
            AggregateFn::WeightedAverage => "weighted average",
            AggregateFn::Min => "min",
            AggregateFn::Max => "max",
            AggregateFn::Sum => "sum",
            AggregateFn::Count => "count",
            AggregateFn::Size => "size",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}
