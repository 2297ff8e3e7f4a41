//! What an import or an export reads its own way or leaves out, as values:
//! never fatal, always shown. Each warning has its code (`A085x`) and its
//! place, and becomes one [`Diagnostic`] like every other problem of the
//! toolchain, rendered for a terminal, a screen reader or a tool.

use std::fmt;

use acquis_diagnostics::{Code, Diagnostic, Position};
use acquis_ir::{Ir, SpanIr};

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
    /// `meta last_change` is not a date: lastChangeDateTime is the epoch.
    LastChangeNotADate {
        text: String,
        epoch: &'static str,
        at: Position,
    },
    /// A Moodle scale is listed value by value: this one has too many.
    ScaleTooLarge {
        scale: String,
        values: f64,
        most: usize,
        at: Position,
    },
    /// A rule Moodle's completion rules cannot say, left out of the CSV.
    RuleNotExported {
        entity: String,
        rule: String,
        why: String,
        at: Position,
    },
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
            | InteropWarning::AssociationIgnored { file, .. } => Position::file(file.clone()),
            InteropWarning::LastChangeNotADate { at, .. }
            | InteropWarning::ScaleTooLarge { at, .. }
            | InteropWarning::RuleNotExported { at, .. } => at.clone(),
        }
    }

    /// The one diagnostic of this warning: its text, at its place.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::at(self.code(), self.to_string(), self.position())
    }
}

impl From<&InteropWarning> for Diagnostic {
    fn from(w: &InteropWarning) -> Self {
        w.to_diagnostic()
    }
}

/// The text of a warning, without its place (the position carries it).
impl fmt::Display for InteropWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InteropWarning::FicheListedTwice {
                number, first_line, ..
            } => write!(
                f,
                "fiche `{number}` appears twice in the export (first at line {first_line})"
            ),
            InteropWarning::FicheTwice {
                number, first_line, ..
            } => write!(
                f,
                "fiche `{number}` appears twice in the export; the first one (line {first_line}) is imported"
            ),
            InteropWarning::NotADate { key, text, .. } => write!(
                f,
                "`{text}` ({key}) is not a date dd/mm/yyyy: kept as written"
            ),
            InteropWarning::AssociationIgnored { index, why, .. } => {
                write!(f, "`CFAssociations[{index}]` is ignored: ")?;
                match why {
                    Ignored::UnknownOrigin(id) => {
                        write!(f, "its origin `{id}` is not an item of the package")
                    }
                    Ignored::UnknownDestination(id) => {
                        write!(f, "its destination `{id}` is not an item of the package")
                    }
                    Ignored::SecondParent(item) => write!(f, "{item} already has a parent"),
                }
            }
            InteropWarning::LastChangeNotADate { text, epoch, .. } => write!(
                f,
                "`meta last_change \"{text}\"` is not a date (YYYY-MM-DD) or an RFC 3339 date-time: \
                 lastChangeDateTime is {epoch}"
            ),
            InteropWarning::ScaleTooLarge {
                scale,
                values,
                most,
                ..
            } => write!(
                f,
                "the scale `{scale}` has {values} values, more than the {most} a Moodle scale \
                 is listed with: it is exported without scale values"
            ),
            InteropWarning::RuleNotExported {
                entity, rule, why, ..
            } => write!(f, "the rule of `{entity}` (`{rule}`) is not exported: {why}"),
        }
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
