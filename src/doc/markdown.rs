//! The referential's document in Markdown (CommonMark with GitHub tables),
//! with the structure as a Mermaid diagram. Markdown tables cannot span
//! rows: a spanned cell is written in its first row and the next rows
//! point back to it.

use std::fmt::Write as _;

use acquis_compiler::ir::{AssessmentIr, CriterionIr, ScaleKindIr};

use super::html::{counts, footer};
use super::model::{accommodation, duration, show_value, BlockDoc, CriteriaCell, Document};
use super::text::{markdown as md, paragraphs};
use acquis_compiler::describe::Lang;

pub fn render(doc: &Document<'_>) -> String {
    let ir = doc.lookup.ir;
    let lang = doc.lang;
    let r = &ir.referential;
    let mut out = String::with_capacity(128 * 1024);
    let _ = writeln!(out, "# {}\n", md(&r.title));
    let _ = writeln!(
        out,
        "- **{}{}** {}",
        lang.t("Code", "Code"),
        lang.colon(),
        md(&r.id)
    );
    if let Some(level) = r.level {
        let _ = writeln!(
            out,
            "- **{}{}** {level}",
            lang.t("Level", "Niveau"),
            lang.colon()
        );
    }
    if let Some(v) = &r.version {
        let _ = writeln!(out, "- **Version{}** {}", lang.colon(), md(v));
    }
    for (k, v) in &r.meta {
        let _ = writeln!(out, "- **{}{}** {}", md(k), lang.colon(), md(v));
    }
    let _ = writeln!(
        out,
        "- **{}{}** {}\n",
        lang.t("Contents", "Contenu"),
        lang.colon(),
        counts(lang, ir)
    );
    if let Some(policy) = &r.accommodation {
        let _ = writeln!(
            out,
            "## {}\n",
            lang.t(
                "Candidates with a disability",
                "Évaluation des candidats en situation de handicap"
            )
        );
        for p in paragraphs(policy) {
            let _ = writeln!(out, "{}\n", md(&p));
        }
    }
    structure(doc, &mut out);
    scales(doc, &mut out);
    for b in &doc.blocks {
        block(doc, b, &mut out);
    }
    let _ = writeln!(
        out,
        "## {}\n\n{}\n\n---\n\n{}",
        lang.t("Certification", "Certification"),
        md(&doc.certification),
        md(&footer(doc))
    );
    if lang.fr {
        crate::doc::text::french_spacing(&out)
    } else {
        out
    }
}

/// Mermaid node ids must be plain words: ids like `C1.1` become `n12`.
fn structure(doc: &Document<'_>, out: &mut String) {
    let lang = doc.lang;
    let _ = writeln!(
        out,
        "## {}\n\n{}\n\n```mermaid\nflowchart LR",
        lang.t("Structure", "Structure"),
        md(&super::svg::title(lang))
    );
    let node = |prefix: char, id: &str, nodes: &mut Vec<(String, String)>| -> String {
        let key = format!("{prefix}{id}");
        if let Some((_, n)) = nodes.iter().find(|(k, _)| *k == key) {
            return n.clone();
        }
        let n = format!("n{}", nodes.len());
        nodes.push((key, n.clone()));
        n
    };
    let mut nodes: Vec<(String, String)> = Vec::new();
    for b in &doc.blocks {
        let bn = node('b', &b.block.id, &mut nodes);
        let _ = writeln!(out, "  {bn}[\"{}\"]", mermaid_label(&b.block.id));
        for c in &b.block.competencies {
            let cn = node('c', c, &mut nodes);
            let _ = writeln!(out, "  {bn} --> {cn}[\"{}\"]", mermaid_label(c));
        }
        for g in &b.groups {
            let Some(a) = g.assessment else { continue };
            let an = node('a', &a.id, &mut nodes);
            // The assessment's label is declared with its first edge only.
            let mut label = format!("[\"{}\"]", mermaid_label(&a.id));
            for row in &g.rows {
                let cn = node('c', &row.competency.id, &mut nodes);
                let _ = writeln!(out, "  {cn} --> {an}{label}");
                label.clear();
            }
        }
    }
    out.push_str("```\n\n");
    for b in &doc.blocks {
        let _ = writeln!(
            out,
            "- {} {} — {}",
            lang.t("Block", "Bloc"),
            md(&b.block.id),
            md(&b.block.title)
        );
        for c in b
            .block
            .competencies
            .iter()
            .filter_map(|c| doc.lookup.competency(c))
        {
            let by = if c.assessments.is_empty() {
                lang.t("no assessment", "aucune épreuve").to_string()
            } else {
                format!(
                    "{} {}",
                    lang.t("assessed by", "évaluée par"),
                    lang.list(&c.assessments)
                )
            };
            let _ = writeln!(out, "  - {} — {} ({})", md(&c.id), md(&c.title), md(&by));
        }
    }
    out.push('\n');
}

fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;")
}

fn scales(doc: &Document<'_>, out: &mut String) {
    let lang = doc.lang;
    let _ = writeln!(
        out,
        "## {}\n\n{}\n\n| {} | {} | {} |\n| --- | --- | --- |",
        lang.t("Scales", "Échelles d'évaluation"),
        lang.t(
            "A criterion is acquired when its grade reaches its pass level.",
            "Un critère est acquis lorsque sa note atteint son seuil."
        ),
        lang.t("Scale", "Échelle"),
        lang.t(
            "Grades, lowest first",
            "Notes, de la plus basse à la plus haute"
        ),
        lang.t("Pass level", "Seuil"),
    );
    for s in &doc.scales {
        let grades = match &s.kind {
            ScaleKindIr::Levels { levels } => levels.join(" < "),
            ScaleKindIr::Range { min, max, step } => format!(
                "{} {} {} ({} {})",
                lang.number(*min),
                lang.t("to", "à"),
                lang.number(*max),
                lang.t("step", "pas de"),
                lang.number(*step)
            ),
        };
        let name = match &s.title {
            Some(t) => format!("{} ({t})", s.id),
            None => s.id.clone(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md(&name),
            md(&grades),
            md(&show_value(lang, &s.pass))
        );
    }
    out.push('\n');
}

fn block(doc: &Document<'_>, b: &BlockDoc<'_>, out: &mut String) {
    let lang = doc.lang;
    let block = b.block;
    let _ = writeln!(
        out,
        "## {} {} — {}\n",
        lang.t("Block", "Bloc"),
        md(&block.id),
        md(&block.title)
    );
    if let Some(summary) = &block.summary {
        for p in paragraphs(summary) {
            let _ = writeln!(out, "{}\n", md(&p));
        }
    }
    if !block.missions.is_empty() {
        let _ = writeln!(out, "### {}\n", lang.t("Missions", "Missions"));
        for m in &block.missions {
            let _ = writeln!(out, "- {}", md(m));
        }
        out.push('\n');
    }
    if !block.situations.is_empty() {
        let _ = writeln!(
            out,
            "### {}\n",
            lang.t(
                "Work situations and activities",
                "Situations de travail et activités"
            )
        );
        for s in &block.situations {
            let _ = writeln!(out, "#### {}\n", md(&s.title));
            for a in &s.activities {
                let _ = writeln!(out, "- {}", md(a));
            }
            if !s.activities.is_empty() {
                out.push('\n');
            }
            for n in &s.notes {
                let _ = writeln!(
                    out,
                    "**{}{}** {}\n",
                    lang.t("Note", "Nota"),
                    lang.colon(),
                    md(n)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "### {}\n\n| {} | {} | {} |\n| --- | --- | --- |",
        lang.t(
            "Competencies, assessments and criteria",
            "Compétences, modalités et critères d'évaluation"
        ),
        lang.t("Competencies", "Compétences"),
        lang.t("Assessment", "Modalités d'évaluation"),
        lang.t(
            "Criteria and indicators",
            "Critères d'évaluation et indicateurs"
        ),
    );
    for g in &b.groups {
        let first = g
            .rows
            .first()
            .map(|r| r.competency.id.as_str())
            .unwrap_or("");
        // The row whose criteria cell spans the current row.
        let mut spanning = first;
        for (ri, row) in g.rows.iter().enumerate() {
            let c = row.competency;
            let competency = format!("**{}** {}", md(&c.id), md(&c.title));
            let assessment_cell = match (ri, g.assessment) {
                (0, Some(a)) => assessment(lang, a),
                (0, None) => format!(
                    "*{}*",
                    lang.t(
                        "No assessment covers these competencies.",
                        "Aucune épreuve n'évalue ces compétences."
                    )
                ),
                (_, Some(a)) => format!(
                    "*{} {} ({} {})*",
                    lang.t("Same assessment", "Même épreuve"),
                    md(&a.id),
                    lang.t("see", "voir"),
                    md(first)
                ),
                (_, None) => format!("*{}*", lang.t("None", "Aucune")),
            };
            let criteria_cell = match &row.criteria {
                Some(cell) => {
                    spanning = &c.id;
                    criteria(doc, cell)
                }
                None => format!(
                    "*{} {}*",
                    lang.t("Same criteria as", "Mêmes critères que"),
                    md(spanning)
                ),
            };
            let _ = writeln!(
                out,
                "| {competency} | {assessment_cell} | {criteria_cell} |"
            );
        }
    }
    let _ = writeln!(
        out,
        "\n### {}\n",
        lang.t("Validation rules", "Règles de validation")
    );
    for (_, rule) in &b.competency_rules {
        let _ = writeln!(out, "- {}", md(rule));
    }
    let _ = writeln!(out, "- **{}**\n", md(&b.rule));
}

/// A table cell: lines joined with `<br>`, lists as "• " lines.
fn assessment(lang: Lang, a: &AssessmentIr) -> String {
    let mut lines = vec![format!("**{}** — {}", md(&a.id), md(&a.title))];
    if let Some(kind) = &a.kind {
        lines.push(format!(
            "{}{} {}",
            lang.t("Modality", "Modalité"),
            lang.colon(),
            md(kind)
        ));
    }
    if let Some(d) = &a.description {
        lines.extend(paragraphs(d).iter().map(|p| md(p)));
    }
    let mut labelled = |label: &str, items: &[String]| {
        if !items.is_empty() {
            lines.push(format!("**{}{}**", md(label), lang.colon()));
            lines.extend(items.iter().map(|i| format!("• {}", md(i))));
        }
    };
    labelled(lang.t("Tasks", "Le candidat doit"), &a.tasks);
    labelled(lang.t("Deliverables", "Livrables"), &a.deliverables);
    for n in &a.notes {
        lines.push(format!(
            "**{}{}** {}",
            lang.t("Note", "Nota"),
            lang.colon(),
            md(n)
        ));
    }
    if let Some(d) = &a.duration {
        lines.push(format!(
            "**{}{}** {}",
            lang.t("Duration", "Durée"),
            lang.colon(),
            md(&duration(lang, d))
        ));
    }
    let accommodations: Vec<String> = a
        .accommodations
        .iter()
        .map(|x| accommodation(lang, x))
        .collect();
    if !accommodations.is_empty() {
        lines.push(format!(
            "**{}{}**",
            lang.t("Accommodations", "Aménagements"),
            lang.colon()
        ));
        lines.extend(accommodations.iter().map(|i| format!("• {}", md(i))));
    }
    lines.join("<br>")
}

fn criteria(doc: &Document<'_>, cell: &CriteriaCell<'_>) -> String {
    let lang = doc.lang;
    let mut lines = Vec::new();
    if cell.competencies.len() > 1 {
        let names: Vec<String> = cell.competencies.iter().map(|c| c.to_string()).collect();
        lines.push(format!(
            "*{} {}{}*",
            lang.t("Criteria shared by", "Critères communs à"),
            md(&lang.list(&names)),
            lang.colon()
        ));
    }
    for k in &cell.shown {
        lines.push(criterion(doc, k, cell.competencies.len() == 1));
    }
    if !cell.see.is_empty() {
        let ids: Vec<String> = cell.see.iter().map(|(k, _)| k.id.clone()).collect();
        let mut first: Vec<String> = cell.see.iter().map(|(_, c)| c.to_string()).collect();
        first.dedup();
        lines.push(format!(
            "*{} {} {}*",
            md(&lang.list(&ids)),
            lang.t("(shared): see", "(communs)\u{202f}: voir"),
            md(&lang.list(&first))
        ));
    }
    lines.join("<br>")
}

fn criterion(doc: &Document<'_>, k: &CriterionIr, mark_shared: bool) -> String {
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
    let mut text = format!("**{}** {}", md(&k.local_id), md(&k.title));
    if !details.is_empty() {
        text.push_str(&format!(" ({})", md(&doc.details_text(&details))));
    }
    for i in &k.indicators {
        text.push_str(&format!("<br>• {}", md(i)));
    }
    text
}
