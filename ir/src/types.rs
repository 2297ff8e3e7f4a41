//! The versioned JSON IR (`"format": "acquis-ir"`, `"version": 2`), as
//! documented in docs/ir.md and docs/ir.schema.json.
//!
//! Everything is held in `Vec`s in declaration order or `BTreeMap`s, so the
//! same input always serialises to byte-identical JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::number::Decimal;
use crate::records::{DecisionIr, EarlierIr, RecordsIr, Session};

pub const FORMAT: &str = "acquis-ir";
pub const VERSION: u32 = 2;

/// The deepest rule tree: nodes from the root to the deepest leaf. The
/// compiler refuses deeper rules (A0102, the grammar's `MAX_RULE_DEPTH`
/// is the same number) and [`Ir::from_json`] refuses IR files nested
/// deeper than such rules can be, so every recursive walk of a rule
/// (semantics, descriptions, printing, eval's plan, serde) stays within a
/// thread's stack.
pub const MAX_RULE_DEPTH: usize = 100;

/// How deeply an IR file's JSON may nest: two levels per level of a rule
/// (an object and its `args` array), and the referential around it.
pub const MAX_JSON_DEPTH: usize = 2 * MAX_RULE_DEPTH + 16;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ir {
    /// Always [`FORMAT`].
    pub format: String,
    pub version: u32,
    /// Paths of the source files; `span.file` indexes this list.
    pub files: Vec<String>,
    pub referential: ReferentialIr,
    pub scales: Vec<ScaleIr>,
    pub blocks: Vec<BlockIr>,
    pub competencies: Vec<CompetencyIr>,
    pub criteria: Vec<CriterionIr>,
    pub assessments: Vec<AssessmentIr>,
    pub certification: CertificationIr,
    pub examples: Vec<ExampleIr>,
    /// Equivalences, dispensations, validity of earlier results and jury
    /// decisions (docs/language.md, "Candidate records"); left out when
    /// the referential has none.
    #[serde(default, skip_serializing_if = "RecordsIr::is_empty")]
    pub records: RecordsIr,
    /// Evaluation order: every entity after the entities its rule reads.
    pub order: Vec<String>,
}

/// Where an entity is written: file index, byte range, 1-based line and
/// column (in characters) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpanIr {
    pub file: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferentialIr {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub lang: String,
    pub meta: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accommodation: Option<String>,
    pub docs: Vec<String>,
    pub span: SpanIr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleIr {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(flatten)]
    pub kind: ScaleKindIr,
    pub pass: ValueIr,
    /// What an absent candidate's grade (`ABS`) counts as on this scale,
    /// when the scale says it (`absent counts as 0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<AbsentRuleIr>,
    /// The labels people write for levels (`"non_acquis": "Non acquis"`),
    /// when the scale declares them; grade files may use them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub labels: std::collections::BTreeMap<String, String>,
    pub span: SpanIr,
}

impl ScaleIr {
    /// The label of a level, when declared.
    pub fn label(&self, level: &str) -> Option<&str> {
        self.labels.get(level).map(String::as_str)
    }

    /// How people read a level: its label when declared, else its id.
    pub fn shown(&self, level: &str) -> String {
        self.label(level)
            .map_or_else(|| level.to_string(), str::to_string)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScaleKindIr {
    /// Ordered, lowest first.
    Levels { levels: Vec<String> },
    Range {
        min: Decimal,
        max: Decimal,
        step: Decimal,
    },
}

/// What a statement `absent counts as …` says: a value of the scale
/// (`absent counts as 0`, `absent counts as non_acquis`), or
/// `absent counts as not acquired`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsentKind {
    /// The absent grade is the stated value.
    Value,
    /// The criterion is not acquired; the absent grade is its scale's
    /// lowest value wherever a rule reads it.
    NotAcquired,
}

/// A statement `absent counts as …` of a scale or an assessment, as
/// written: `{"counts_as": "value", "value": 0}` or `{"counts_as":
/// "not_acquired"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbsentRuleIr {
    pub counts_as: AbsentKind,
    /// The stated value (`counts_as` is `value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueIr>,
}

/// Where the absence rule that applies to a criterion is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AbsentOrigin {
    /// The criterion's scale.
    Scale { id: String },
    /// An assessment that evaluates the criterion (it overrides the scale).
    Assessment { id: String },
    /// `defaults` (for a criterion whose scale and assessments say nothing).
    Defaults,
}

/// The absence rule that applies to one criterion, resolved by the
/// compiler: an absent grade (`ABS`) is the known grade `value` of the
/// criterion's scale, never a missing one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbsentIr {
    pub counts_as: AbsentKind,
    /// The grade an absent candidate has: the stated value, or the
    /// scale's lowest value for `not_acquired`.
    pub value: ValueIr,
    pub from: AbsentOrigin,
}

/// The words that mark an absent candidate in grade files and `example`
/// blocks, in any case (`ABS`, `abs`, `Absent`). A level of the
/// criterion's scale written exactly so is that level instead.
pub const ABSENT_WORDS: [&str; 2] = ["ABS", "absent"];

/// Whether a grade as written (surrounding blanks ignored) marks an absent
/// candidate: one of [`ABSENT_WORDS`], in any case.
pub fn is_absent_word(text: &str) -> bool {
    let text = text.trim();
    ABSENT_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text))
}

/// A grade or threshold: a number, or a level of a scale. Both are JSON
/// strings: a number is a decimal (`"12.5"`), a level an identifier
/// (`"acquis"`), which never reads as a number (identifiers start with a
/// letter), so the number is tried first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ValueIr {
    Number(Decimal),
    Level(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockIr {
    pub id: String,
    pub title: String,
    pub docs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub missions: Vec<String>,
    pub situations: Vec<SituationIr>,
    pub competencies: Vec<String>,
    pub assessments: Vec<String>,
    pub rule: RuleIr,
    pub span: SpanIr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SituationIr {
    pub title: String,
    pub activities: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyIr {
    pub id: String,
    pub title: String,
    pub docs: Vec<String>,
    pub block: String,
    /// Own criteria, then criteria shared through `jointly`.
    pub criteria: Vec<String>,
    /// The assessments that cover it.
    pub assessments: Vec<String>,
    pub rule: RuleIr,
    pub span: SpanIr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionIr {
    /// Qualified id: `C1.3/CE2` or `E1/CE2`.
    pub id: String,
    /// The id as written inside its owner: `CE2`.
    pub local_id: String,
    pub title: String,
    pub docs: Vec<String>,
    /// The competency or assessment that declares it.
    pub owner: String,
    /// The competencies it belongs to (one, or several when shared).
    pub competencies: Vec<String>,
    pub scale: String,
    /// The criterion's own pass level, else its scale's.
    pub pass: ValueIr,
    pub weight: Decimal,
    pub indicators: Vec<String>,
    /// What an absent grade (`ABS`) counts as for this criterion; `None`
    /// when the referential does not say, and `ABS` is then refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<AbsentIr>,
    pub span: SpanIr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentIr {
    pub id: String,
    pub title: String,
    pub docs: Vec<String>,
    pub block: String,
    pub covers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub tasks: Vec<String>,
    pub deliverables: Vec<String>,
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationIr>,
    /// Its own accommodations, then the defaults'.
    pub accommodations: Vec<AccommodationIr>,
    /// Criteria shared in its `jointly` sections.
    pub criteria: Vec<String>,
    /// What an absent grade counts as for the criteria it evaluates, when
    /// it says it (`absent counts as not acquired`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<AbsentRuleIr>,
    /// Its marked parts, in declaration order. Each is also a criterion
    /// (`E2/ecrit`, owner the assessment, no competency) in `criteria`,
    /// with its coefficient as weight.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartIr>,
    /// `validated when …` over its parts: the assessment then has an
    /// outcome (validated, not validated, pending) like a competency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleIr>,
    pub span: SpanIr,
}

/// A part of an assessment: the criterion that holds its mark, and what
/// the règlement says of how it is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartIr {
    /// The qualified id of its criterion: `E2/ecrit`.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationIr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Who marks it (`examiners "…"`), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub examiners: Option<String>,
    /// An optional part (épreuve facultative): a missing mark counts as
    /// the lowest mark of its scale, so it never leaves anything pending.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DurationIr {
    Minutes { minutes: Decimal },
    Text { text: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccommodationIr {
    pub kind: String,
    /// `"1/3"`, a number, or minutes as `"45 min"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificationIr {
    pub blocks: Vec<String>,
    pub rule: RuleIr,
    pub span: SpanIr,
}

/// A `validated when` rule: where it came from, its text, and its tree with
/// named rules expanded and every set resolved to qualified ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleIr {
    /// `own`, `default` when it comes from `defaults`, `assessment` when
    /// the assessments covering a competency without criteria decide it.
    pub origin: RuleOrigin,
    /// The rule as written.
    pub text: String,
    pub expr: ExprIr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOrigin {
    Own,
    Default,
    /// A competency without criteria, decided by the assessments that
    /// cover it and have a rule over their parts (`E2 validated`).
    Assessment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ExprIr {
    And {
        args: Vec<ExprIr>,
    },
    Or {
        args: Vec<ExprIr>,
    },
    Not {
        arg: Box<ExprIr>,
    },
    All {
        set: Vec<String>,
        test: TestIr,
    },
    Any {
        set: Vec<String>,
        test: TestIr,
    },
    None {
        set: Vec<String>,
        test: TestIr,
    },
    AtLeast {
        n: u32,
        set: Vec<String>,
        test: TestIr,
    },
    AtMost {
        n: u32,
        set: Vec<String>,
        test: TestIr,
    },
    Member {
        id: String,
        test: TestIr,
    },
    Compare {
        lhs: NumIr,
        cmp: CmpOp,
        rhs: NumIr,
    },
    /// A constant, left where a rule could not be compiled.
    Const {
        value: bool,
    },
}

/// What a member must satisfy: its own outcome (acquired / validated), or a
/// comparison of its grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TestIr {
    Outcome,
    Compare { cmp: CmpOp, value: ValueIr },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NumIr {
    Number {
        value: Decimal,
    },
    Aggregate {
        function: AggregateFn,
        set: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        test: Option<TestIr>,
    },
    Arith {
        op: ArithOp,
        lhs: Box<NumIr>,
        rhs: Box<NumIr>,
    },
    /// `round(x, n)`, `floor(x, n)`, `ceil(x, n)`: `arg` at `decimals`
    /// decimals (0 to 6), rounded as `mode` says.
    Round {
        mode: RoundMode,
        decimals: u32,
        arg: Box<NumIr>,
    },
    /// `max(x, y)`: the greater of two numbers.
    Max {
        args: Box<[NumIr; 2]>,
    },
    /// `min(x, y)`: the lesser of two numbers.
    Min {
        args: Box<[NumIr; 2]>,
    },
}

/// How a number is rounded to its decimals, written by name in the IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// `round`: to the nearest, a half away from zero (9.995 → 10.00,
    /// −2.5 → −3).
    Nearest,
    /// `floor`: down, toward −∞ (9.999 → 9.99, −2.5 → −3).
    Down,
    /// `ceil`: up, toward +∞ (9.991 → 10.00, −2.5 → −2).
    Up,
}

impl RoundMode {
    /// The function that rounds this way in a rule.
    pub fn function(self) -> &'static str {
        match self {
            RoundMode::Nearest => "round",
            RoundMode::Down => "floor",
            RoundMode::Up => "ceil",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExampleIr {
    pub name: String,
    pub grades: Vec<GradeIr>,
    pub expect: Vec<ExpectationIr>,
    /// The session the example is evaluated in (`session "2026-06"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Results of earlier sessions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<EarlierIr>,
    /// Equivalences the candidate holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holds: Vec<String>,
    /// Dispensations granted to the candidate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dispensed: Vec<String>,
    /// Jury decisions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<DecisionIr>,
    pub span: SpanIr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeIr {
    pub criterion: String,
    /// The grade; for an absent candidate, what absence counts as.
    pub value: ValueIr,
    /// The grade was written `ABS` (absent): `value` is what the
    /// criterion's absence rule counts it as.
    #[serde(default, skip_serializing_if = "is_false")]
    pub absent: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectationIr {
    pub id: String,
    pub outcome: OutcomeIr,
}

/// An outcome as the IR and the results write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeIr {
    Acquired,
    NotAcquired,
    Validated,
    NotValidated,
    Pending,
}

impl OutcomeIr {
    /// The word of the IR and of results: `acquired`, `not_validated`, …
    pub fn word(self) -> &'static str {
        match self {
            OutcomeIr::Acquired => "acquired",
            OutcomeIr::NotAcquired => "not_acquired",
            OutcomeIr::Validated => "validated",
            OutcomeIr::NotValidated => "not_validated",
            OutcomeIr::Pending => "pending",
        }
    }

    /// Every outcome, for "did you mean" and documentation.
    pub const ALL: [OutcomeIr; 5] = [
        OutcomeIr::Acquired,
        OutcomeIr::NotAcquired,
        OutcomeIr::Validated,
        OutcomeIr::NotValidated,
        OutcomeIr::Pending,
    ];
}

/// A comparison, written with its symbol in the IR (`">="`, `"!="`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CmpOp {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl CmpOp {
    /// The comparison that holds exactly when this one does not.
    pub fn negated(self) -> CmpOp {
        match self {
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        }
    }

    /// The comparison that holds of `y, x` when this one holds of `x, y`
    /// (`x >= y` is `y <= x`).
    pub fn mirrored(self) -> CmpOp {
        match self {
            CmpOp::Ge => CmpOp::Le,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Eq => CmpOp::Eq,
            CmpOp::Ne => CmpOp::Ne,
        }
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

/// A function of a set of members, written with its name in the IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AggregateFn {
    #[serde(rename = "average")]
    Average,
    #[serde(rename = "weighted average")]
    WeightedAverage,
    #[serde(rename = "min")]
    Min,
    #[serde(rename = "max")]
    Max,
    #[serde(rename = "sum")]
    Sum,
    /// Members satisfying the test (their own outcome without one).
    #[serde(rename = "count")]
    Count,
    /// Members of the set, whatever their outcome.
    #[serde(rename = "size")]
    Size,
}

impl AggregateFn {
    /// The name as written in a rule and in the IR.
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

/// An arithmetic operator, written with its symbol in the IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArithOp {
    #[serde(rename = "+")]
    Add,
    #[serde(rename = "-")]
    Sub,
    #[serde(rename = "*")]
    Mul,
    #[serde(rename = "/")]
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

/// Why an IR file was refused.
#[derive(Debug)]
pub enum IrError {
    /// Not JSON, or not the IR's shape (an unknown operator included).
    Json(serde_json::Error),
    /// `format` is not [`FORMAT`].
    NotIr(String),
    /// `version` is not [`VERSION`].
    Version(u32),
    /// The JSON nests deeper than [`MAX_JSON_DEPTH`]: a rule deeper than
    /// [`MAX_RULE_DEPTH`], which no compiled referential has.
    TooDeep,
}

impl std::fmt::Display for IrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IrError::Json(e) => write!(f, "not a valid Acquis IR: {e}"),
            IrError::NotIr(format) => {
                write!(
                    f,
                    "not an Acquis IR: `format` is `{format}`, not `{FORMAT}`"
                )
            }
            IrError::Version(v) => write!(
                f,
                "IR version {v} is not supported: this toolchain reads version {VERSION}"
            ),
            IrError::TooDeep => write!(
                f,
                "not a valid Acquis IR: nested more than {MAX_JSON_DEPTH} levels deep, deeper than a rule of {MAX_RULE_DEPTH} levels can be"
            ),
        }
    }
}

impl std::error::Error for IrError {}

/// The deepest nesting of arrays and objects in a JSON text (strings
/// skipped), in one pass and without recursion.
fn json_depth(bytes: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

impl Ir {
    /// Reads an IR written by [`Ir::to_json`] or [`Ir::write_json`]. Every
    /// operator, function and outcome must be one the IR defines.
    pub fn from_json(text: &str) -> Result<Ir, IrError> {
        // serde recurses once per level: bound the levels before it reads
        // them (and lift serde_json's own bound of 128, below what a rule
        // of MAX_RULE_DEPTH levels needs).
        if json_depth(text.as_bytes()) > MAX_JSON_DEPTH {
            return Err(IrError::TooDeep);
        }
        let mut reader = serde_json::Deserializer::from_str(text);
        reader.disable_recursion_limit();
        let ir = Ir::deserialize(&mut reader).map_err(IrError::Json)?;
        reader.end().map_err(IrError::Json)?;
        if ir.format != FORMAT {
            return Err(IrError::NotIr(ir.format));
        }
        if ir.version != VERSION {
            return Err(IrError::Version(ir.version));
        }
        Ok(ir)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Serialising plain data cannot fail; keep the error visible anyway.
            format!("{{\"error\": \"{e}\"}}")
        });
        text.push('\n');
        text
    }

    /// Streams the IR as JSON without building it in memory first (the IR
    /// of a large referential is tens of megabytes): compact for tools, or
    /// indented like [`Ir::to_json`] for people.
    pub fn write_json(&self, writer: impl std::io::Write, pretty: bool) -> std::io::Result<()> {
        use std::io::Write as _;
        let mut writer = std::io::BufWriter::new(writer);
        if pretty {
            serde_json::to_writer_pretty(&mut writer, self)?;
        } else {
            serde_json::to_writer(&mut writer, self)?;
        }
        writer.write_all(b"\n")?;
        writer.flush()
    }

    /// Every rule with the entity it decides: blocks, competencies, the
    /// assessments that have a rule, then the certification.
    pub fn rules(&self) -> impl Iterator<Item = (&str, &ExprIr)> {
        self.blocks
            .iter()
            .map(|b| (b.id.as_str(), &b.rule.expr))
            .chain(
                self.competencies
                    .iter()
                    .map(|c| (c.id.as_str(), &c.rule.expr)),
            )
            .chain(
                self.assessments
                    .iter()
                    .filter_map(|a| Some((a.id.as_str(), &a.rule.as_ref()?.expr))),
            )
            .chain(std::iter::once((
                "certification",
                &self.certification.rule.expr,
            )))
    }

    /// The rule that decides `id` (`certification` included).
    pub fn rule_of(&self, id: &str) -> Option<&ExprIr> {
        self.rules().find(|(e, _)| *e == id).map(|(_, r)| r)
    }

    pub fn indicator_count(&self) -> usize {
        self.criteria.iter().map(|c| c.indicators.len()).sum()
    }
}

impl ExprIr {
    /// The ids the rule reads, in order of first mention.
    pub fn members(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.collect_members(&mut out);
        first_mentions(out)
    }

    /// Every id the rule mentions, with repeats (`members` keeps the first).
    fn collect_members<'a>(&'a self, out: &mut Vec<&'a str>) {
        let mut add = |id: &'a str| out.push(id);
        match self {
            ExprIr::And { args } | ExprIr::Or { args } => {
                for a in args {
                    a.collect_members(out);
                }
            }
            ExprIr::Not { arg } => arg.collect_members(out),
            ExprIr::All { set, .. }
            | ExprIr::Any { set, .. }
            | ExprIr::None { set, .. }
            | ExprIr::AtLeast { set, .. }
            | ExprIr::AtMost { set, .. } => set.iter().for_each(|s| add(s)),
            ExprIr::Member { id, .. } => add(id),
            ExprIr::Compare { lhs, rhs, .. } => {
                lhs.collect_members(out);
                rhs.collect_members(out);
            }
            ExprIr::Const { .. } => {}
        }
    }
}

/// `ids` without repeats, each at its first place: in linear time, as a
/// rule may read thousands of criteria.
pub fn first_mentions(mut ids: Vec<&str>) -> Vec<&str> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.retain(|id| seen.insert(*id));
    ids
}

impl NumIr {
    fn collect_members<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            NumIr::Number { .. } => {}
            NumIr::Aggregate { set, .. } => out.extend(set.iter().map(String::as_str)),
            NumIr::Arith { lhs, rhs, .. } => {
                lhs.collect_members(out);
                rhs.collect_members(out);
            }
            NumIr::Round { arg, .. } => arg.collect_members(out),
            NumIr::Max { args } | NumIr::Min { args } => {
                for a in args.iter() {
                    a.collect_members(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod first_mentions_tests {
    use super::first_mentions;

    #[test]
    fn keeps_each_id_once_at_its_first_place() {
        let ids = vec!["c3", "c1", "c3", "c2", "c1", "c4"];
        assert_eq!(first_mentions(ids), vec!["c3", "c1", "c2", "c4"]);
    }

    #[test]
    fn empty_stays_empty() {
        assert!(first_mentions(Vec::new()).is_empty());
    }
}
