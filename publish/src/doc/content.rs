//! What the document says, worded once for both renderers: every text,
//! label (in the referential's language), number and ordering is decided
//! here, as plain unescaped strings. The renderers only escape and lay
//! out, so the HTML page and the Markdown cannot say different things.

use acquis_ir::{Ir, ScaleKindIr, ValueIr};

use super::model::{absence_words, show_value, Document};
use super::table::{self, BlockContent};
use acquis_ir::describe::Lang;

/// Text made of pieces that are escaped one by one. Markdown escapes a
/// list marker ("1. ", "- ") only at the start of what it escapes, so a
/// title written after a label must stay its own piece to be escaped as
/// if it started a line; for HTML the split changes nothing.
#[derive(Default)]
pub struct Text(pub Vec<String>);

impl Text {
    pub fn of<const N: usize>(pieces: [&str; N]) -> Self {
        Text(pieces.iter().map(|p| p.to_string()).collect())
    }

    /// Each piece escaped by `escape`, in order.
    pub fn escaped(&self, escape: impl Fn(&str) -> String) -> String {
        self.0.iter().map(|p| escape(p)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Bold lead, then text and an optional aside in parentheses:
/// "**C1.1** Title (weight: 2)". `rest` may be absent (a list's label).
pub struct Strong {
    pub strong: String,
    pub rest: Text,
    pub aside: Option<String>,
}

/// One line (HTML: one paragraph or list) of a table cell or section.
pub enum Line {
    Strong(Strong),
    Plain(Text),
    /// A paragraph of the referential's own prose (HTML puts it on its
    /// own source line).
    Paragraph(String),
    /// A remark about the cell rather than the referential's content.
    Muted(Text),
    /// A bulleted list (written only when it has items).
    List(Vec<String>),
}

impl Line {
    /// "**Label :** text".
    pub fn labelled(lang: Lang, label: &str, text: &str) -> Self {
        Line::Strong(Strong {
            strong: format!("{label}{}", lang.colon()),
            rest: Text::of([text]),
            aside: None,
        })
    }
}

pub struct Content {
    pub title: String,
    /// (term, value) pairs that identify the referential.
    pub identity: Vec<(String, String)>,
    pub accommodation: Option<Prose>,
    pub structure: Structure,
    pub scales: Scales,
    pub blocks: Vec<BlockContent>,
    /// The règlement d'examen: one row per part of an épreuve, when the
    /// referential has parts (`None` otherwise: the document is unchanged).
    pub regulation: Option<Regulation>,
    pub certification: Prose,
    pub footer: String,
}

/// The règlement d'examen as official texts print it.
pub struct Regulation {
    pub heading: String,
    pub caption: String,
    /// Épreuve, unit, part, coefficient, form, duration, and examiners
    /// when a part names them.
    pub columns: Vec<String>,
    /// As many cells as columns; the first is the row's header.
    pub rows: Vec<Vec<String>>,
}

pub struct Prose {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// The structure as a list, after the picture that shows it.
pub struct Structure {
    pub heading: String,
    pub caption: String,
    pub blocks: Vec<(Text, Vec<Text>)>,
}

pub struct Scales {
    pub heading: String,
    pub intro: String,
    pub caption: String,
    pub columns: [String; 3],
    pub rows: Vec<ScaleRow>,
}

pub struct ScaleRow {
    /// The id, with the title in parentheses when there is one.
    pub name: String,
    pub grades: String,
    pub pass: String,
}

impl Content {
    pub fn new(doc: &Document<'_>) -> Self {
        let lang = doc.lang;
        let ir = doc.lookup.ir;
        let r = &ir.referential;
        let accommodation = r.accommodation.as_ref().map(|policy| Prose {
            heading: lang
                .t(
                    "Candidates with a disability",
                    "Évaluation des candidats en situation de handicap",
                )
                .to_string(),
            paragraphs: super::text::paragraphs(policy),
        });
        Content {
            title: r.title.clone(),
            identity: identity(lang, ir),
            accommodation,
            structure: structure(doc),
            scales: scales(doc),
            blocks: doc.blocks.iter().map(|b| table::block(doc, b)).collect(),
            regulation: regulation(lang, ir),
            certification: Prose {
                heading: lang.t("Certification", "Certification").to_string(),
                paragraphs: vec![doc.certification.clone()],
            },
            footer: footer(lang, ir),
        }
    }
}

fn regulation(lang: Lang, ir: &Ir) -> Option<Regulation> {
    let mut rows = Vec::new();
    let criteria: std::collections::HashMap<&str, &acquis_ir::CriterionIr> =
        ir.criteria.iter().map(|c| (c.id.as_str(), c)).collect();
    for a in ir.assessments.iter().filter(|a| !a.parts.is_empty()) {
        let unit = if a.block.is_empty() {
            lang.t("certification", "certification").to_string()
        } else {
            a.block.clone()
        };
        for part in &a.parts {
            let c = criteria.get(part.id.as_str()).copied();
            let mut title = c.map_or(part.id.clone(), |c| c.title.clone());
            if part.optional {
                title.push_str(lang.t(" (optional)", " (facultative)"));
            }
            rows.push(vec![
                format!("{} — {}", a.id, a.title),
                unit.clone(),
                title,
                // An épreuve facultative (its points above 10 count) and
                // a part graded on levels (a validation) have no
                // coefficient in the règlements: none is printed unless
                // one other than the default 1 is given.
                c.filter(|c| {
                    let levels =
                        ir.scales.iter().find(|s| s.id == c.scale).is_some_and(|s| {
                            matches!(s.kind, acquis_ir::ScaleKindIr::Levels { .. })
                        });
                    !((part.optional || levels) && c.weight == acquis_ir::Decimal::ONE)
                })
                .map_or(String::new(), |c| lang.decimal(c.weight)),
                part.form.clone().unwrap_or_default(),
                part.duration
                    .as_ref()
                    .map_or(String::new(), |d| acquis_ir::describe::duration(lang, d)),
                part.examiners.clone().unwrap_or_default(),
            ]);
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut columns = vec![
        lang.t("Assessment", "Épreuve").to_string(),
        lang.t("Unit", "Unité").to_string(),
        lang.t("Part", "Partie").to_string(),
        lang.t("Coefficient", "Coefficient").to_string(),
        lang.t("Form", "Forme").to_string(),
        lang.t("Duration", "Durée").to_string(),
        lang.t("Examiners", "Examinateurs").to_string(),
    ];
    // The examiners' column only when a part names them.
    if rows.iter().all(|r| r.last().is_none_or(String::is_empty)) {
        columns.pop();
        for r in &mut rows {
            r.pop();
        }
    }
    Some(Regulation {
        heading: lang
            .t("Examination rules", "Règlement d'examen")
            .to_string(),
        caption: lang
            .t(
                "Assessments, their parts and coefficients",
                "Épreuves, parties et coefficients",
            )
            .to_string(),
        columns,
        rows,
    })
}

fn identity(lang: Lang, ir: &Ir) -> Vec<(String, String)> {
    let r = &ir.referential;
    let mut rows = vec![(lang.t("Code", "Code").to_string(), r.id.clone())];
    if let Some(level) = r.level {
        rows.push((lang.t("Level", "Niveau").to_string(), level.to_string()));
    }
    if let Some(v) = &r.version {
        rows.push((lang.t("Version", "Version").to_string(), v.clone()));
    }
    rows.extend(r.meta.iter().map(|(k, v)| (k.clone(), v.clone())));
    rows.push((lang.t("Contents", "Contenu").to_string(), counts(lang, ir)));
    rows
}

fn counts(lang: Lang, ir: &Ir) -> String {
    format!(
        "{} {}, {} {}, {} {}, {} {}, {} {}",
        ir.blocks.len(),
        lang.t("blocks", "blocs"),
        ir.competencies.len(),
        lang.t("competencies", "compétences"),
        ir.assessments.len(),
        lang.t("assessments", "épreuves"),
        ir.criteria.len(),
        lang.t("criteria", "critères"),
        ir.indicator_count(),
        lang.t("indicators", "indicateurs"),
    )
}

fn footer(lang: Lang, ir: &Ir) -> String {
    let r = &ir.referential;
    let version = r
        .version
        .as_ref()
        .map_or(String::new(), |v| format!(", version {v}"));
    format!(
        "{} {}{version}.",
        lang.t(
            "Generated by Acquis from the referential",
            "Document produit par Acquis à partir du référentiel"
        ),
        r.id
    )
}

fn structure(doc: &Document<'_>) -> Structure {
    let lang = doc.lang;
    let blocks = doc
        .blocks
        .iter()
        .map(|b| {
            let line = table::block_title(lang, b.block);
            let competencies = b
                .block
                .competencies
                .iter()
                .filter_map(|c| doc.lookup.competency(c))
                .map(|c| {
                    let by = if c.assessments.is_empty() {
                        lang.t("no assessment", "aucune épreuve").to_string()
                    } else {
                        format!(
                            "{} {}",
                            lang.t("assessed by", "évaluée par"),
                            lang.list(&c.assessments)
                        )
                    };
                    Text::of([&c.id, " — ", &c.title, " (", &by, ")"])
                })
                .collect();
            (line, competencies)
        })
        .collect();
    Structure {
        heading: lang.t("Structure", "Structure").to_string(),
        caption: super::svg::title(lang),
        blocks,
    }
}

/// A level as people read it: `non_acquis` is "non acquis". The rules
/// quote levels by their names (« en_cours »), which grade files use.
pub fn level_label(level: &str) -> String {
    level.replace('_', " ")
}

/// A scale's pass level: a level by its label, a number as the language
/// writes it.
fn pass_label(lang: Lang, scale: &acquis_ir::ScaleIr, pass: &ValueIr) -> String {
    match pass {
        ValueIr::Level(l) => scale
            .label(l)
            .map_or_else(|| level_label(l), str::to_string),
        ValueIr::Number(_) => show_value(lang, pass),
    }
}

fn scales(doc: &Document<'_>) -> Scales {
    let lang = doc.lang;
    let rows = doc
        .scales
        .iter()
        .map(|s| ScaleRow {
            name: match &s.title {
                Some(t) => format!("{} ({t})", s.id),
                None => s.id.clone(),
            },
            grades: match &s.kind {
                ScaleKindIr::Levels { levels } => {
                    // A declared label (`Non acquis`), else the id as words.
                    let labels: Vec<String> = levels
                        .iter()
                        .map(|l| s.label(l).map_or_else(|| level_label(l), str::to_string))
                        .collect();
                    labels.join(", ")
                }
                ScaleKindIr::Range { min, max, step } => format!(
                    "{} {} {} ({} {})",
                    lang.decimal(*min),
                    lang.t("to", "à"),
                    lang.decimal(*max),
                    lang.t("step", "pas de"),
                    lang.decimal(*step)
                ),
            },
            pass: match &s.absent {
                None => pass_label(lang, s, &s.pass),
                Some(rule) => format!(
                    "{}{}{}",
                    pass_label(lang, s, &s.pass),
                    lang.t("; ", "\u{202f}; "),
                    absence_words(lang, rule.counts_as, rule.value.as_ref())
                ),
            },
        })
        .collect();
    Scales {
        heading: lang.t("Scales", "Échelles d'évaluation").to_string(),
        intro: lang
            .t(
                "A criterion is acquired when its grade reaches its pass level.",
                "Un critère est acquis lorsque sa note atteint son seuil.",
            )
            .to_string(),
        caption: lang
            .t(
                "Scales used by the criteria",
                "Échelles utilisées par les critères",
            )
            .to_string(),
        columns: [
            lang.t("Scale", "Échelle").to_string(),
            lang.t(
                "Grades, lowest first",
                "Notes, de la plus basse à la plus haute",
            )
            .to_string(),
            lang.t("Pass level", "Seuil").to_string(),
        ],
        rows,
    }
}
