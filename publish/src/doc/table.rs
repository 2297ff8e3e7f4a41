//! What a block's section says: its heading, missions, situations, the
//! table of competencies, assessments and criteria (what each cell holds)
//! and its rules, worded once for both renderers (see `content`).

use acquis_ir::{AssessmentIr, BlockIr, CriterionIr};

use super::content::{Line, Strong, Text};
use super::model::{accommodation, BlockDoc, CriteriaCell, Document, Group};
use super::text::paragraphs;
use acquis_ir::describe::duration;
use acquis_ir::describe::Lang;

pub struct BlockContent {
    pub id: String,
    pub heading: Text,
    pub summary: Vec<String>,
    /// Heading and items; absent when the block declares none.
    pub missions: Option<(String, Vec<String>)>,
    pub situations: Option<(String, Vec<Situation>)>,
    pub table_heading: String,
    pub caption: Text,
    pub columns: [String; 3],
    pub groups: Vec<GroupContent>,
    pub rules_heading: String,
    pub competency_rules: Vec<String>,
    /// The block's own rule, which decides the block (written in bold).
    pub rule: String,
}

pub struct Situation {
    pub title: String,
    pub activities: Vec<String>,
    pub notes: Vec<Line>,
}

/// The rows of one assessment (or of the competencies none evaluates).
pub struct GroupContent {
    /// The assessment cell, spanning every row of the group.
    pub assessment: Vec<Line>,
    /// What the assessment cell says in a later row, where the layout
    /// cannot span rows (Markdown).
    pub assessment_again: Text,
    pub rows: Vec<RowContent>,
}

pub struct RowContent {
    pub competency: Strong,
    /// `None` when the criteria cell of an earlier row spans this one.
    pub criteria: Option<CriteriaContent>,
    /// What the criteria cell says in this row where it cannot span rows.
    pub criteria_again: Text,
}

pub struct CriteriaContent {
    /// How many rows the cell spans (1 or more).
    pub span: usize,
    pub lines: Vec<Line>,
}

pub fn block(doc: &Document<'_>, b: &BlockDoc<'_>) -> BlockContent {
    let lang = doc.lang;
    let block = b.block;
    let word = |en, fr| lang.t(en, fr).to_string();
    let missions = (!block.missions.is_empty())
        .then(|| (word("Missions", "Missions"), block.missions.clone()));
    let situations = (!block.situations.is_empty()).then(|| {
        let heading = word(
            "Work situations and activities",
            "Situations de travail et activités",
        );
        let list = block
            .situations
            .iter()
            .map(|s| Situation {
                title: s.title.clone(),
                activities: s.activities.clone(),
                notes: notes(lang, &s.notes),
            })
            .collect();
        (heading, list)
    });
    BlockContent {
        id: block.id.clone(),
        heading: block_title(lang, block),
        summary: block.summary.as_deref().map(paragraphs).unwrap_or_default(),
        missions,
        situations,
        table_heading: word(
            "Competencies, assessments and criteria",
            "Compétences, modalités et critères d'évaluation",
        ),
        caption: Text::of([
            &format!("{} ", lang.t("Block", "Bloc")),
            &block.id,
            &format!(
                "{} {}",
                lang.colon(),
                lang.t(
                    "competencies, assessment and criteria",
                    "compétences, modalités et critères d'évaluation"
                )
            ),
        ]),
        columns: [
            word("Competencies", "Compétences"),
            word("Assessment", "Modalités d'évaluation"),
            word(
                "Criteria and indicators",
                "Critères d'évaluation et indicateurs",
            ),
        ],
        groups: b.groups.iter().map(|g| group(doc, g)).collect(),
        rules_heading: word("Validation rules", "Règles de validation"),
        competency_rules: b.competency_rules.iter().map(|(_, r)| r.clone()).collect(),
        rule: b.rule.clone(),
    }
}

/// "Bloc B1 — Title": the block's heading and its line in the structure.
pub fn block_title(lang: Lang, block: &BlockIr) -> Text {
    Text::of([
        &format!("{} ", lang.t("Block", "Bloc")),
        &block.id,
        " — ",
        &block.title,
    ])
}

fn notes(lang: Lang, notes: &[String]) -> Vec<Line> {
    notes
        .iter()
        .map(|n| Line::labelled(lang, lang.t("Note", "Nota"), n))
        .collect()
}

fn group(doc: &Document<'_>, g: &Group<'_>) -> GroupContent {
    let lang = doc.lang;
    let first = g
        .rows
        .first()
        .map(|r| r.competency.id.as_str())
        .unwrap_or("");
    let (assessment, assessment_again) = match g.assessment {
        Some(a) => (
            assessment(lang, a),
            Text::of([
                &format!("{} ", lang.t("Same assessment", "Même épreuve")),
                &a.id,
                &format!(" ({} ", lang.t("see", "voir")),
                first,
                ")",
            ]),
        ),
        None => (
            vec![Line::Muted(Text::of([lang.t(
                "No assessment covers these competencies.",
                "Aucune épreuve n'évalue ces compétences.",
            )]))],
            Text::of([lang.t("None", "Aucune")]),
        ),
    };
    // The row whose criteria cell spans the current row.
    let mut spanning = first;
    let rows = g
        .rows
        .iter()
        .map(|row| {
            let c = row.competency;
            if row.criteria.is_some() {
                spanning = &c.id;
            }
            RowContent {
                competency: Strong {
                    strong: c.id.clone(),
                    rest: Text::of([&c.title]),
                    aside: None,
                },
                criteria: row.criteria.as_ref().map(|cell| CriteriaContent {
                    span: cell.span,
                    lines: criteria(doc, cell),
                }),
                criteria_again: Text::of([
                    &format!("{} ", lang.t("Same criteria as", "Mêmes critères que")),
                    spanning,
                ]),
            }
        })
        .collect();
    GroupContent {
        assessment,
        assessment_again,
        rows,
    }
}

fn assessment(lang: Lang, a: &AssessmentIr) -> Vec<Line> {
    let mut lines = vec![Line::Strong(Strong {
        strong: a.id.clone(),
        rest: Text::of(["— ", &a.title]),
        aside: None,
    })];
    if let Some(kind) = &a.kind {
        lines.push(Line::Plain(Text::of([
            &format!("{}{} ", lang.t("Modality", "Modalité"), lang.colon()),
            kind,
        ])));
    }
    let description = a.description.as_deref().map(paragraphs).unwrap_or_default();
    // A description that ends with a colon ("…, le candidat doit :")
    // already introduces the tasks: they follow it without a label of
    // their own, which would say it twice.
    let introduces_tasks = description
        .last()
        .is_some_and(|p| p.trim_end().ends_with(':'));
    lines.extend(description.into_iter().map(Line::Paragraph));
    if introduces_tasks && !a.tasks.is_empty() {
        lines.push(Line::List(a.tasks.clone()));
    } else {
        labelled(
            &mut lines,
            lang,
            lang.t("Tasks", "Le candidat doit"),
            &a.tasks,
        );
    }
    labelled(
        &mut lines,
        lang,
        lang.t("Deliverables", "Livrables"),
        &a.deliverables,
    );
    lines.extend(notes(lang, &a.notes));
    if let Some(d) = &a.duration {
        lines.push(Line::labelled(
            lang,
            lang.t("Duration", "Durée"),
            &duration(lang, d),
        ));
    }
    let accommodations: Vec<String> = a
        .accommodations
        .iter()
        .map(|x| accommodation(lang, x))
        .collect();
    labelled(
        &mut lines,
        lang,
        lang.t("Accommodations", "Aménagements"),
        &accommodations,
    );
    lines
}

/// A bold label and its list, or nothing when the list is empty.
fn labelled(lines: &mut Vec<Line>, lang: Lang, label: &str, items: &[String]) {
    if !items.is_empty() {
        lines.push(Line::Strong(Strong {
            strong: format!("{label}{}", lang.colon()),
            rest: Text::default(),
            aside: None,
        }));
        lines.push(Line::List(items.to_vec()));
    }
}

fn criteria(doc: &Document<'_>, cell: &CriteriaCell<'_>) -> Vec<Line> {
    let lang = doc.lang;
    let mut lines = Vec::new();
    if cell.competencies.len() > 1 {
        let names: Vec<String> = cell.competencies.iter().map(|c| c.to_string()).collect();
        lines.push(Line::Muted(Text::of([
            &format!("{} ", lang.t("Criteria shared by", "Critères communs à")),
            &lang.list(&names),
            lang.colon(),
        ])));
    }
    for k in &cell.shown {
        criterion(doc, k, cell.competencies.len() == 1, &mut lines);
    }
    if !cell.see.is_empty() {
        let ids: Vec<String> = cell.see.iter().map(|(k, _)| k.id.clone()).collect();
        let mut first: Vec<String> = cell.see.iter().map(|(_, c)| c.to_string()).collect();
        first.dedup();
        lines.push(Line::Muted(Text::of([
            &lang.list(&ids),
            &format!(" {} ", lang.t("(shared): see", "(communs)\u{202f}: voir")),
            &lang.list(&first),
        ])));
    }
    lines
}

/// A criterion and its indicators. Its details say its id and the
/// competencies sharing it only where the cell does not already say so.
fn criterion(doc: &Document<'_>, k: &CriterionIr, mark_shared: bool, lines: &mut Vec<Line>) {
    let lang = doc.lang;
    let mut details = doc.criterion_details(k);
    if mark_shared && k.competencies.len() > 1 {
        details.push(format!(
            "{} {}, {} {}",
            lang.t("id", "id"),
            k.id,
            lang.t("shared by", "commun à"),
            lang.list(&k.competencies)
        ));
    }
    lines.push(Line::Strong(Strong {
        strong: k.local_id.clone(),
        rest: Text::of([&k.title]),
        aside: (!details.is_empty()).then(|| doc.details_text(&details)),
    }));
    lines.push(Line::List(k.indicators.clone()));
}
