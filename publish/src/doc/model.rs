//! The document model: the compiled referential arranged as the official
//! référentiel prints it. Per block, rows of competencies grouped by the
//! assessment that evaluates them (its cell spans their rows), each with
//! its criteria (one cell spans the rows of competencies that share the
//! same criteria, as C1.1 and C1.2 of the seed do). `content` words this
//! model for both renderers (HTML, Markdown), so they cannot disagree.

use std::collections::HashMap;

use acquis_ir::{
    AbsentKind, AbsentOrigin, AssessmentIr, BlockIr, CompetencyIr, CriterionIr, Ir, ScaleIr,
    ValueIr,
};

use acquis_ir::describe::{sentence, Lang, Lookup, Subject};

pub struct Document<'ir> {
    pub lookup: Lookup<'ir>,
    pub lang: Lang,
    pub blocks: Vec<BlockDoc<'ir>>,
    /// The certification rule in plain language.
    pub certification: String,
    /// The scales criteria use, in the IR's order.
    pub scales: Vec<&'ir ScaleIr>,
    /// The scale most criteria use: criteria on another scale say theirs.
    pub usual_scale: Option<&'ir str>,
}

pub struct BlockDoc<'ir> {
    pub block: &'ir BlockIr,
    pub groups: Vec<Group<'ir>>,
    /// Each competency's rule in plain language, in order.
    pub competency_rules: Vec<(&'ir str, String)>,
    pub rule: String,
}

/// The competencies one assessment evaluates (or that no assessment
/// evaluates, when `assessment` is `None`).
pub struct Group<'ir> {
    pub assessment: Option<&'ir AssessmentIr>,
    pub rows: Vec<Row<'ir>>,
}

pub struct Row<'ir> {
    pub competency: &'ir CompetencyIr,
    /// `None` when the criteria cell of an earlier row spans this one.
    pub criteria: Option<CriteriaCell<'ir>>,
}

pub struct CriteriaCell<'ir> {
    /// How many rows the cell spans (1 or more).
    pub span: usize,
    /// The competencies of those rows.
    pub competencies: Vec<&'ir str>,
    pub shown: Vec<&'ir CriterionIr>,
    /// Shared criteria already written in an earlier row of the group, and
    /// the competency of that row.
    pub see: Vec<(&'ir CriterionIr, &'ir str)>,
}

impl<'ir> Document<'ir> {
    pub fn new(ir: &'ir Ir) -> Self {
        let lookup = Lookup::new(ir);
        let lang = Lang::of(ir);
        let blocks = ir
            .blocks
            .iter()
            .map(|b| block_doc(&lookup, lang, b))
            .collect();
        let certification = sentence(
            &lookup,
            lang,
            Subject::Certification,
            &ir.certification.rule.expr,
        );
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for c in &ir.criteria {
            *uses.entry(c.scale.as_str()).or_default() += 1;
        }
        let scales: Vec<&ScaleIr> = ir
            .scales
            .iter()
            .filter(|s| uses.contains_key(s.id.as_str()))
            .collect();
        // Ties go to the first scale declared, so the choice is stable.
        let usual_scale = scales
            .iter()
            .map(|s| (s.id.as_str(), uses.get(s.id.as_str()).copied().unwrap_or(0)))
            .fold(None::<(&str, usize)>, |best, (id, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((id, n)),
            })
            .map(|(id, _)| id);
        Document {
            lookup,
            lang,
            blocks,
            certification,
            scales,
            usual_scale,
        }
    }

    /// The details of [`Document::criterion_details`] in one parenthesis.
    pub fn details_text(&self, details: &[String]) -> String {
        details.join(self.lang.t("; ", "\u{202f}; "))
    }

    /// What a reader needs to know about a criterion beyond its title: its
    /// scale when it is not the usual one, its own pass level, its weight.
    pub fn criterion_details(&self, c: &CriterionIr) -> Vec<String> {
        let lang = self.lang;
        let mut out = Vec::new();
        let scale = self.lookup.scale(&c.scale);
        if self.usual_scale != Some(c.scale.as_str()) {
            out.push(format!(
                "{}{} {}",
                lang.t("scale", "échelle"),
                lang.colon(),
                c.scale
            ));
        }
        if scale.is_some_and(|s| s.pass != c.pass) {
            out.push(format!(
                "{}{} {}",
                lang.t("pass level", "seuil"),
                lang.colon(),
                show_value(lang, &c.pass)
            ));
        }
        // Absence as its scale says it is in the table of scales; another
        // rule (an assessment's, the default) is said here.
        if let Some(absent) = c
            .absent
            .as_ref()
            .filter(|a| !matches!(&a.from, AbsentOrigin::Scale { .. }))
        {
            out.push(absence_words(lang, absent.counts_as, Some(&absent.value)));
        }
        if c.weight != acquis_ir::Decimal::ONE {
            out.push(format!(
                "{}{} {}",
                lang.t("weight", "coefficient"),
                lang.colon(),
                lang.decimal(c.weight)
            ));
        }
        out
    }
}

/// What an absent candidate's grade counts as: "absent: counts as 0",
/// « absence : compte pour 0 », « absence : non acquis ».
pub fn absence_words(lang: Lang, counts_as: AbsentKind, value: Option<&ValueIr>) -> String {
    let what = match (counts_as, value) {
        (AbsentKind::NotAcquired, _) | (AbsentKind::Value, None) => {
            lang.t("not acquired", "non acquis").to_string()
        }
        (AbsentKind::Value, Some(v)) => format!(
            "{} {}",
            lang.t("counts as", "compte pour"),
            show_value(lang, v)
        ),
    };
    format!("{}{} {what}", lang.t("absent", "absence"), lang.colon())
}

pub fn show_value(lang: Lang, value: &ValueIr) -> String {
    match value {
        ValueIr::Level(l) => l.clone(),
        ValueIr::Number(n) => lang.decimal(*n),
    }
}

fn block_doc<'ir>(lookup: &Lookup<'ir>, lang: Lang, block: &'ir BlockIr) -> BlockDoc<'ir> {
    let position = |id: &str| block.competencies.iter().position(|c| c == id);
    let mut groups: Vec<(usize, Group<'ir>)> = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for a in block
        .assessments
        .iter()
        .filter_map(|a| lookup.assessment(a))
    {
        let competencies: Vec<&'ir CompetencyIr> = block
            .competencies
            .iter()
            .filter(|c| a.covers.contains(c))
            .filter_map(|c| lookup.competency(c))
            .collect();
        let Some(first) = competencies.first().and_then(|c| position(&c.id)) else {
            continue;
        };
        covered.extend(competencies.iter().map(|c| c.id.as_str()));
        groups.push((first, group(lookup, Some(a), &competencies)));
    }
    let uncovered: Vec<&'ir CompetencyIr> = block
        .competencies
        .iter()
        .filter(|c| !covered.contains(&c.as_str()))
        .filter_map(|c| lookup.competency(c))
        .collect();
    if let Some(first) = uncovered.first().and_then(|c| position(&c.id)) {
        groups.push((first, group(lookup, None, &uncovered)));
    }
    // The official layout reads down the competencies: an assessment's
    // rows come where its first competency is.
    groups.sort_by_key(|(first, _)| *first);
    let competency_rules = block
        .competencies
        .iter()
        .filter_map(|c| lookup.competency(c))
        .map(|c| {
            (
                c.id.as_str(),
                sentence(lookup, lang, Subject::Competency(&c.id), &c.rule.expr),
            )
        })
        .collect();
    BlockDoc {
        block,
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        competency_rules,
        rule: sentence(lookup, lang, Subject::Block(&block.id), &block.rule.expr),
    }
}

fn group<'ir>(
    lookup: &Lookup<'ir>,
    assessment: Option<&'ir AssessmentIr>,
    competencies: &[&'ir CompetencyIr],
) -> Group<'ir> {
    let mut rows: Vec<Row<'ir>> = Vec::new();
    // The row that opened the criteria cell still open, if any.
    let mut open: Option<usize> = None;
    let mut written: HashMap<&'ir str, &'ir str> = HashMap::new();
    for &c in competencies {
        let same_as_open = open
            .and_then(|i| rows.get(i))
            .is_some_and(|r| r.competency.criteria == c.criteria);
        if same_as_open {
            if let Some(cell) = open
                .and_then(|i| rows.get_mut(i))
                .and_then(|r| r.criteria.as_mut())
            {
                cell.span += 1;
                cell.competencies.push(&c.id);
            }
            rows.push(Row {
                competency: c,
                criteria: None,
            });
            continue;
        }
        let mut shown = Vec::new();
        let mut see = Vec::new();
        for k in c.criteria.iter().filter_map(|k| lookup.criterion(k)) {
            match written.get(k.id.as_str()) {
                Some(&first) if k.competencies.len() > 1 => see.push((k, first)),
                _ => {
                    written.insert(&k.id, &c.id);
                    shown.push(k);
                }
            }
        }
        open = Some(rows.len());
        rows.push(Row {
            competency: c,
            criteria: Some(CriteriaCell {
                span: 1,
                competencies: vec![&c.id],
                shown,
                see,
            }),
        });
    }
    Group { assessment, rows }
}

/// An accommodation in words: "Temps majoré 1/3 (oral) : tiers temps pour
/// les soutenances". Known kinds and contexts are translated; others are
/// written as declared.
pub fn accommodation(lang: Lang, a: &acquis_ir::AccommodationIr) -> String {
    let kind = match a.kind.as_str() {
        "extra_time" => lang.t("Extra time", "Temps majoré").to_string(),
        "adapted_workstation" => lang.t("Adapted workstation", "Poste adapté").to_string(),
        "reader" => lang.t("Reader", "Lecteur").to_string(),
        "scribe" => lang.t("Scribe", "Secrétaire").to_string(),
        "interpreter" => lang.t("Interpreter", "Interprète").to_string(),
        other => other.replace('_', " "),
    };
    let mut text = kind;
    if let Some(v) = &a.value {
        text.push(' ');
        text.push_str(v);
    }
    if let Some(context) = &a.context {
        let context = match context.as_str() {
            "oral" => lang.t("oral", "oral"),
            "written" => lang.t("written", "écrit"),
            "practical" => lang.t("practical", "pratique"),
            other => other,
        };
        text.push_str(&format!(" ({context})"));
    }
    if let Some(d) = &a.description {
        text.push_str(&format!("{} {d}", lang.colon()));
    }
    text
}

/// An id usable as an HTML id and URL fragment.
pub fn anchor(prefix: &str, id: &str) -> String {
    let mut out = String::from(prefix);
    out.push('-');
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push('-');
        }
    }
    out
}
