//! What an import or an export reads its own way or leaves out, as values:
//! never fatal, always shown. Each warning has its code (`A085x`) and its
//! place, and becomes one [`Diagnostic`] like every other problem of the
//! toolchain, rendered for a terminal, a screen reader or a tool.

use std::fmt;

use acquis_diagnostics::{text, Code, Diagnostic, Position, Text};
use acquis_ir::{CmpOp, Ir, SpanIr};

use crate::error::ItemRef;

/// A warning of an import or an export.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InteropWarning {
    /// `--list`: a fiche number the export gives twice (line and column of
    /// the second).
    FicheListedTwice {
        file: String,
        line: usize,
        column: usize,
        number: String,
        first_line: usize,
    },
    /// The fiche imported is given twice; the first one is imported.
    FicheTwice {
        file: String,
        line: usize,
        column: usize,
        number: String,
        first_line: usize,
    },
    /// An RNCP date that is not `dd/mm/yyyy`, kept as written.
    NotADate {
        file: String,
        key: &'static str,
        text: String,
    },
    /// A CASE association that has no place in the tree.
    AssociationIgnored {
        file: String,
        index: usize,
        why: Ignored,
    },
    /// A CASE package whose language is neither French nor English, or
    /// that gives none: the referential is `lang fr`.
    CaseLanguage {
        file: String,
        /// The package's language, when it gives one.
        language: Option<String>,
    },
    /// `meta last_change` is not a date: lastChangeDateTime is the epoch.
    LastChangeNotADate {
        text: String,
        epoch: &'static str,
        at: Position,
    },
    /// A Moodle scale is listed value by value: this one has too many, and
    /// is exported as two values, below and from the pass level.
    ScaleTooLarge {
        scale: String,
        values: f64,
        most: usize,
        /// The two values written instead (`< 10`, `≥ 10`).
        below: String,
        from: String,
        at: Position,
    },
    /// A rule Moodle's completion rules cannot say, left out of the CSV.
    RuleNotExported {
        entity: String,
        rule: String,
        why: MoodleGap,
        at: Position,
    },
    /// A title longer than a Moodle short name: the short name is cut on a
    /// word, and the whole title opens the description.
    ShortNameCut {
        entity: String,
        /// The title's length, in characters.
        length: usize,
        most: usize,
        at: Position,
    },
    /// `acquis export case --case-version 1.0`: the 1.0 schema allows no
    /// `extensions`, so rules, scales, assessments and block texts are not
    /// in the package.
    CaseExtensionsLeftOut { at: Position },
}

/// Why a rule has no Moodle completion rule: what Moodle's two rules
/// ("all children proficient", "enough points, some children required")
/// cannot say.
#[derive(Debug, Clone, PartialEq)]
pub enum MoodleGap {
    /// A grade compared with a level or a mark (`CE3 >= en_cours`).
    ComparesGrades,
    /// An aggregate other than a count, or arithmetic.
    ComputesWithMarks,
    /// Two counted sets (`at least 2 of S and any T`).
    CountsTwoSets,
    /// A count compared with a number that is not a whole count.
    NotAWholeCount(acquis_ir::Decimal),
    /// A count bounded otherwise than from below (`count(S) <= 2`).
    BoundsCount(CmpOp),
    /// `or`, `not`, `none`, `at most`: a connective Moodle has not.
    NoConnective(Connective),
    /// A constant (`true`, `false`).
    Constant,
    /// A member that is not a child of the entity in Moodle's tree (a
    /// shared criterion sits under its first competency only).
    NotAChild(String),
    /// A rule that asks for no point at all (`at least 0 of S`).
    NoPoint,
    /// More points asked than the children can give (`at least 4 of
    /// {CE1, CE2, CE3}`): Moodle refuses such a rule.
    TooFewChildren { points: u32, children: u32 },
    /// A conjunction inside a conjunction, which the IR never has.
    NestedConjunction,
    /// A child without a row, which the export never makes.
    NoRow(String),
}

/// A connective of the language that Moodle's rules have not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connective {
    Or,
    Not,
    None,
    AtMost,
}

impl Connective {
    fn keyword(self) -> &'static str {
        match self {
            Connective::Or => "or",
            Connective::Not => "not",
            Connective::None => "none",
            Connective::AtMost => "at most",
        }
    }
}

impl MoodleGap {
    /// Why Moodle cannot say it, in the diagnostics' words.
    pub fn text(&self) -> Text {
        match self {
            MoodleGap::ComparesGrades => {
                text!("it compares grades; Moodle reads only whether a child is proficient")
            }
            MoodleGap::ComputesWithMarks => text!(
                "it computes with marks (an average, a sum, a comparison); Moodle rules cannot"
            ),
            MoodleGap::CountsTwoSets => {
                text!("it counts in two sets; a Moodle points rule counts one")
            }
            MoodleGap::NotAWholeCount(value) => text!(
                "it compares a count with {value}, which is not a whole number of children",
                value = value
            ),
            MoodleGap::BoundsCount(cmp) => text!(
                "it bounds a count with `{symbol}`; a Moodle points rule only sets a minimum",
                symbol = cmp.symbol()
            ),
            MoodleGap::NoConnective(c) => {
                text!("Moodle rules have no `{keyword}`", keyword = c.keyword())
            }
            MoodleGap::Constant => text!("it is a constant; Moodle rules read children"),
            MoodleGap::NotAChild(id) => text!(
                "it reads `{id}`, which is not a child of it in Moodle's tree",
                id = id
            ),
            MoodleGap::NoPoint => {
                text!("Moodle needs at least one point to complete a competency")
            }
            MoodleGap::TooFewChildren { points, children } => text!(
                "it asks for {points} children of {children}; Moodle refuses a points rule that cannot be met",
                points = *points,
                children = *children
            ),
            MoodleGap::NestedConjunction => text!("a nested conjunction (a bug)"),
            MoodleGap::NoRow(id) => text!("`{id}` has no row (a bug)", id = id),
        }
    }
}

impl fmt::Display for MoodleGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

/// Why a CASE association is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ignored {
    /// Its origin is not an item of the package.
    UnknownOrigin(String),
    /// Its destination is neither the document nor an item.
    UnknownDestination(String),
    /// The item already has a parent (a tree has one).
    SecondParent(ItemRef),
}

impl InteropWarning {
    pub fn code(&self) -> Code {
        match self {
            InteropWarning::FicheListedTwice { .. } | InteropWarning::FicheTwice { .. } => {
                Code::FicheTwice
            }
            InteropWarning::NotADate { .. } => Code::RncpNotADate,
            InteropWarning::AssociationIgnored { .. } => Code::AssociationIgnored,
            InteropWarning::LastChangeNotADate { .. } => Code::LastChangeNotADate,
            InteropWarning::ScaleTooLarge { .. } => Code::ScaleTooLargeForMoodle,
            InteropWarning::RuleNotExported { .. } => Code::RuleNotForMoodle,
            InteropWarning::ShortNameCut { .. } => Code::ShortNameCutForMoodle,
            InteropWarning::CaseExtensionsLeftOut { .. } => Code::CaseExtensionsLeftOut,
            InteropWarning::CaseLanguage { .. } => Code::CaseLanguage,
        }
    }

    /// Where the warning is: a line of the RNCP export, the CASE package,
    /// or the place of the referential an export read.
    pub fn position(&self) -> Position {
        match self {
            InteropWarning::FicheListedTwice {
                file, line, column, ..
            }
            | InteropWarning::FicheTwice {
                file, line, column, ..
            } => Position::line(file.clone(), *line, Some(*column)),
            InteropWarning::NotADate { file, .. }
            | InteropWarning::AssociationIgnored { file, .. }
            | InteropWarning::CaseLanguage { file, .. } => Position::file(file.clone()),
            InteropWarning::LastChangeNotADate { at, .. }
            | InteropWarning::ScaleTooLarge { at, .. }
            | InteropWarning::RuleNotExported { at, .. }
            | InteropWarning::ShortNameCut { at, .. }
            | InteropWarning::CaseExtensionsLeftOut { at } => at.clone(),
        }
    }

    /// The one diagnostic of this warning: its text, at its place.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::at(self.code(), self.text(), self.position())
    }
}

impl From<&InteropWarning> for Diagnostic {
    fn from(w: &InteropWarning) -> Self {
        w.to_diagnostic()
    }
}

/// The text of a warning, without its place (the position carries it).
impl InteropWarning {
    /// The warning, in the diagnostics' words.
    pub fn text(&self) -> Text {
        match self {
            InteropWarning::FicheListedTwice {
                number, first_line, ..
            } => text!(
                "fiche `{number}` appears twice in the export (first at line {first})",
                number = number,
                first = first_line
            ),
            InteropWarning::FicheTwice {
                number, first_line, ..
            } => text!(
                "fiche `{number}` appears twice in the export; the first one (line {first}) is imported",
                number = number,
                first = first_line
            ),
            InteropWarning::NotADate { key, text, .. } => text!(
                "`{text}` ({key}) is not a date dd/mm/yyyy: kept as written",
                text = text,
                key = *key
            ),
            InteropWarning::AssociationIgnored { index, why, .. } => {
                let why = match why {
                    Ignored::UnknownOrigin(id) => {
                        text!("its origin `{id}` is not an item of the package", id = id)
                    }
                    Ignored::UnknownDestination(id) => {
                        text!("its destination `{id}` is not an item of the package", id = id)
                    }
                    Ignored::SecondParent(item) => {
                        text!("{item} already has a parent", item = item)
                    }
                };
                text!(
                    "`CFAssociations[{index}]` is ignored: {why}",
                    index = index,
                    why = why
                )
            }
            InteropWarning::CaseLanguage {
                language: Some(language),
                ..
            } => text!(
                "the package's language is `{language}`, neither French nor English: the referential is written `lang fr` (its placeholders and documents in French), its texts as the package gives them, and `acquis export case` gives the package and its items `{language}` again",
                language = language
            ),
            InteropWarning::CaseLanguage { language: None, .. } => text!(
                "the package gives no language, on the document nor on its items: the referential is written `lang fr`; write `lang en` if its texts are English"
            ),
            InteropWarning::LastChangeNotADate { text, epoch, .. } => text!(
                "`meta last_change \"{text}\"` is not a date (YYYY-MM-DD) or an RFC 3339 date-time: lastChangeDateTime is {epoch}",
                text = text,
                epoch = *epoch
            ),
            InteropWarning::ScaleTooLarge {
                scale,
                values,
                most,
                below,
                from,
                ..
            } => text!(
                "the scale `{scale}` has {values} values, more than the {most} a Moodle scale is listed with: it is exported as two values, `{below}` and `{from}`",
                scale = scale,
                values = values,
                most = *most,
                below = below,
                from = from
            ),
            InteropWarning::RuleNotExported {
                entity, rule, why, ..
            } => text!(
                "the rule of `{entity}` (`{rule}`) is not exported: {why}",
                entity = entity,
                rule = rule,
                why = why.text()
            ),
            InteropWarning::ShortNameCut {
                entity,
                length,
                most,
                ..
            } => text!(
                "the title of `{entity}` has {length} characters, more than the {most} of a Moodle short name: the short name is cut at a word and ends with `…`, and the whole title opens the description",
                entity = entity,
                length = *length,
                most = *most
            ),
            InteropWarning::CaseExtensionsLeftOut { .. } => text!(
                "CASE 1.0 has no `extensions`: the rules, scales, assessments and block texts are not in the package, and importing it gives a skeleton to complete"
            ),
        }
    }
}

impl fmt::Display for InteropWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english())
    }
}

/// The place of an entity of the referential an export reads: its file,
/// line and column, as the IR records them.
pub(crate) fn place(ir: &Ir, span: &SpanIr) -> Position {
    match ir.files.get(span.file) {
        Some(path) => Position::line(path.clone(), span.line, Some(span.column)),
        None => Position::nowhere(),
    }
}
