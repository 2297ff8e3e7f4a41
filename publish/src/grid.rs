//! The empty grading grid of a referential (`acquis grid`): a row per
//! candidate to fill, a column per criterion or part, as a wide CSV (`,`
//! or `;`) or as an `.xlsx` workbook whose cells offer the scale's levels
//! in a drop-down list (or accept only the scale's range), with a second
//! sheet naming each criterion, its scale and what it accepts. `acquis
//! eval` reads both back as they are once filled.

use std::fmt;

use acquis_ir::describe::Lang;
use acquis_ir::{Ir, ScaleKindIr, ValueIr};

/// A column of the grid: a criterion or a part, and what it accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub id: String,
    pub title: String,
    pub scale: String,
    pub accepts: Accepts,
    /// Its pass level or mark, as written.
    pub pass: String,
}

/// The grades a column accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepts {
    /// The levels of the scale, lowest first.
    Levels(Vec<String>),
    /// Marks from `min` to `max`, by `step` (as written).
    Range {
        min: String,
        max: String,
        step: String,
    },
}

/// Why a grid cannot be made.
#[derive(Debug)]
pub enum GridError {
    /// `--assessment` names no assessment of the referential.
    UnknownAssessment {
        id: String,
        suggestion: Option<String>,
    },
    /// The assessment evaluates no criterion and has no part.
    Empty { assessment: String },
    /// The workbook cannot be made (rust_xlsxwriter's message).
    Workbook(String),
}

impl GridError {
    /// The problem in words of the diagnostics' catalogue.
    pub fn to_text(&self) -> acquis_diagnostics::Text {
        use acquis_diagnostics::text;
        match self {
            GridError::UnknownAssessment {
                id,
                suggestion: Some(close),
            } => text!(
                "unknown assessment `{id}` (did you mean `{close}`?)",
                id = id,
                close = close
            ),
            GridError::UnknownAssessment {
                id,
                suggestion: None,
            } => text!("unknown assessment `{id}`", id = id),
            GridError::Empty { assessment } => text!(
                "assessment `{id}` evaluates no criterion and has no part: its grid would be empty",
                id = assessment
            ),
            GridError::Workbook(why) => {
                text!("the workbook cannot be made: {reason}", reason = why)
            }
        }
    }
}

impl fmt::Display for GridError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text().english())
    }
}

impl std::error::Error for GridError {}

/// The columns of the grid: every criterion and part of the referential,
/// or those an assessment evaluates (the criteria of the competencies it
/// covers, its shared criteria and its parts).
pub fn columns(ir: &Ir, assessment: Option<&str>) -> Result<Vec<Column>, GridError> {
    let wanted: Option<Vec<&str>> = match assessment {
        None => None,
        Some(id) => {
            let Some(a) = ir.assessments.iter().find(|a| a.id == id) else {
                return Err(GridError::UnknownAssessment {
                    id: id.to_string(),
                    suggestion: acquis_diagnostics::did_you_mean(
                        id,
                        ir.assessments.iter().map(|a| a.id.as_str()),
                    )
                    .map(str::to_string),
                });
            };
            let mut ids: Vec<&str> = ir
                .competencies
                .iter()
                .filter(|c| a.covers.contains(&c.id))
                .flat_map(|c| c.criteria.iter().map(String::as_str))
                .collect();
            ids.extend(a.criteria.iter().map(String::as_str));
            ids.extend(a.parts.iter().map(|p| p.id.as_str()));
            let mut seen = std::collections::HashSet::new();
            ids.retain(|id| seen.insert(*id));
            if ids.is_empty() {
                return Err(GridError::Empty {
                    assessment: id.to_string(),
                });
            }
            Some(ids)
        }
    };
    let column = |c: &acquis_ir::CriterionIr| {
        let scale = ir.scales.iter().find(|s| s.id == c.scale);
        let accepts = match scale.map(|s| &s.kind) {
            // The labels people write (`Non acquis`) when the scale declares
            // them; eval reads them back as their levels.
            Some(ScaleKindIr::Levels { levels }) => Accepts::Levels(
                levels
                    .iter()
                    .map(|l| scale.map_or_else(|| l.clone(), |s| s.shown(l)))
                    .collect(),
            ),
            Some(ScaleKindIr::Range { min, max, step }) => Accepts::Range {
                min: min.to_string(),
                max: max.to_string(),
                step: step.to_string(),
            },
            None => Accepts::Levels(Vec::new()),
        };
        Column {
            id: c.id.clone(),
            title: c.title.clone(),
            scale: scale
                .and_then(|s| s.title.clone())
                .unwrap_or_else(|| c.scale.clone()),
            accepts,
            pass: match &c.pass {
                ValueIr::Number(d) => d.to_string(),
                ValueIr::Level(l) => l.clone(),
            },
        }
    };
    Ok(match wanted {
        None => ir.criteria.iter().map(column).collect(),
        Some(ids) => ids
            .iter()
            .filter_map(|id| ir.criteria.iter().find(|c| &c.id == id))
            .map(column)
            .collect(),
    })
}

/// The grid as a wide CSV: its header (`candidate`, then each column's
/// id), separated by `separator` (`,`, or `;` for a spreadsheet in French).
pub fn csv(columns: &[Column], separator: u8) -> String {
    let mut out = csv::WriterBuilder::new()
        .delimiter(separator)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header = std::iter::once("candidate").chain(columns.iter().map(|c| c.id.as_str()));
    // Writing to memory cannot fail.
    let _ = out.write_record(header);
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Rows offered for filling in the workbook (with drop-downs).
const ROWS: u32 = 1000;

/// The grid as an `.xlsx` workbook: a sheet to fill (a header row, then
/// rows whose cells offer the scale's levels or accept its range), and a
/// sheet listing each column's criterion, scale and accepted grades, in the
/// referential's language.
pub fn xlsx(ir: &Ir, columns: &[Column]) -> Result<Vec<u8>, GridError> {
    use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| GridError::Workbook(e.to_string());
    let lang = Lang::of(ir);
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let grades = workbook.add_worksheet();
    grades.set_name(lang.t("Grades", "Notes")).map_err(err)?;
    grades
        .write_string_with_format(0, 0, "candidate", &bold)
        .map_err(err)?;
    grades.set_column_width(0, 16).map_err(err)?;
    for (i, c) in columns.iter().enumerate() {
        let col =
            u16::try_from(i + 1).map_err(|_| GridError::Workbook("too many columns".into()))?;
        grades
            .write_string_with_format(0, col, &c.id, &bold)
            .map_err(err)?;
        grades.set_column_width(col, 14).map_err(err)?;
        let validation = match &c.accepts {
            Accepts::Levels(levels) if !levels.is_empty() => {
                let mut v: Vec<&str> = levels.iter().map(String::as_str).collect();
                if ir
                    .criteria
                    .iter()
                    .any(|k| k.id == c.id && k.absent.is_some())
                {
                    v.push("ABS");
                }
                // A list longer than Excel's 255 characters is not offered.
                DataValidation::new().allow_list_strings(&v).ok()
            }
            Accepts::Range { min, max, .. } => match (min.parse::<f64>(), max.parse::<f64>()) {
                (Ok(min), Ok(max)) => Some(
                    DataValidation::new()
                        .allow_decimal_number(DataValidationRule::Between(min, max)),
                ),
                _ => None,
            },
            Accepts::Levels(_) => None,
        };
        if let Some(validation) = validation {
            // The title of the criterion shows when the cell is selected
            // (Excel's limits: 32 and 255 characters).
            let title: String = c.id.chars().take(32).collect();
            let message: String = c.title.chars().take(250).collect();
            let validation = validation
                .set_input_title(title)
                .and_then(|v| v.set_input_message(message))
                .map_err(err)?;
            grades
                .add_data_validation(1, col, ROWS, col, &validation)
                .map_err(err)?;
        }
    }
    grades.set_freeze_panes(1, 1).map_err(err)?;
    let list = workbook.add_worksheet();
    list.set_name(lang.t("Criteria", "Critères")).map_err(err)?;
    let header = [
        lang.t("id", "identifiant"),
        lang.t("criterion", "critère"),
        lang.t("scale", "échelle"),
        lang.t("accepted grades", "notes acceptées"),
        lang.t("pass", "seuil"),
    ];
    for (col, h) in (0u16..).zip(header) {
        list.write_string_with_format(0, col, h, &bold)
            .map_err(err)?;
    }
    list.set_column_width(1, 60).map_err(err)?;
    list.set_column_width(3, 30).map_err(err)?;
    for (row, c) in (1u32..).zip(columns) {
        let accepts = match &c.accepts {
            Accepts::Levels(levels) => levels.join(" < "),
            Accepts::Range { min, max, step } => {
                let (min, max, step) = if lang.fr {
                    (
                        min.replace('.', ","),
                        max.replace('.', ","),
                        step.replace('.', ","),
                    )
                } else {
                    (min.clone(), max.clone(), step.clone())
                };
                format!("{min} .. {max} ({} {step})", lang.t("step", "pas"))
            }
        };
        for (col, text) in (0u16..).zip([&c.id, &c.title, &c.scale, &accepts, &c.pass]) {
            list.write_string(row, col, text.as_str()).map_err(err)?;
        }
    }
    workbook.save_to_buffer().map_err(err)
}
