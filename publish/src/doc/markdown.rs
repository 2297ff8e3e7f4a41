//! The referential's document in Markdown (CommonMark with GitHub tables),
//! with the structure as a Mermaid diagram. What it says comes worded from
//! `content`; this module only escapes and lays out. Markdown tables
//! cannot span rows: a spanned cell is written in its first row and the
//! next rows say what they share with it.

use std::fmt::Write as _;

use super::content::{Content, Line, Strong, Text};
use super::model::Document;
use super::table::BlockContent;
use super::text::markdown as md;

pub fn render(doc: &Document<'_>) -> String {
    let content = Content::new(doc);
    let colon = doc.lang.colon();
    let mut out = String::with_capacity(128 * 1024);
    let _ = writeln!(out, "# {}\n", md(&content.title));
    for (term, value) in &content.identity {
        let _ = writeln!(out, "- **{}{colon}** {}", md(term), md(value));
    }
    out.push('\n');
    if let Some(policy) = &content.accommodation {
        let _ = writeln!(out, "## {}\n", md(&policy.heading));
        paragraphs(&mut out, &policy.paragraphs);
    }
    structure(doc, &content, &mut out);
    scales(&content, &mut out);
    for b in &content.blocks {
        block(b, &mut out);
    }
    if let Some(r) = &content.regulation {
        let _ = writeln!(out, "## {}\n", md(&r.heading));
        let header: Vec<String> = r.columns.iter().map(|c| md(c)).collect();
        let _ = writeln!(
            out,
            "| {} |\n|{}",
            header.join(" | "),
            " --- |".repeat(r.columns.len())
        );
        for row in &r.rows {
            let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## {}\n", md(&content.certification.heading));
    paragraphs(&mut out, &content.certification.paragraphs);
    let _ = writeln!(out, "---\n\n{}", md(&content.footer));
    if doc.lang.fr {
        crate::doc::text::french_spacing(&out)
    } else {
        out
    }
}

fn paragraphs(out: &mut String, paragraphs: &[String]) {
    for p in paragraphs {
        let _ = writeln!(out, "{}\n", md(p));
    }
}

fn text(t: &Text) -> String {
    t.escaped(md)
}

/// Mermaid node ids must be plain words: ids like `C1.1` become `n12`.
fn structure(doc: &Document<'_>, content: &Content, out: &mut String) {
    let s = &content.structure;
    let _ = writeln!(
        out,
        "## {}\n\n{}\n\n```mermaid\nflowchart LR",
        md(&s.heading),
        md(&s.caption)
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
    for (b, competencies) in &s.blocks {
        let _ = writeln!(out, "- {}", text(b));
        for c in competencies {
            let _ = writeln!(out, "  - {}", text(c));
        }
    }
    out.push('\n');
}

fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;")
}

fn scales(content: &Content, out: &mut String) {
    let s = &content.scales;
    let [scale, grades, pass] = &s.columns;
    let _ = writeln!(
        out,
        "## {}\n\n{}\n\n| {} | {} | {} |\n| --- | --- | --- |",
        md(&s.heading),
        md(&s.intro),
        md(scale),
        md(grades),
        md(pass),
    );
    for row in &s.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md(&row.name),
            md(&row.grades),
            md(&row.pass)
        );
    }
    out.push('\n');
}

fn block(b: &BlockContent, out: &mut String) {
    let _ = writeln!(out, "## {}\n", text(&b.heading));
    paragraphs(out, &b.summary);
    if let Some((heading, missions)) = &b.missions {
        let _ = writeln!(out, "### {}\n", md(heading));
        for m in missions {
            let _ = writeln!(out, "- {}", md(m));
        }
        out.push('\n');
    }
    if let Some((heading, situations)) = &b.situations {
        let _ = writeln!(out, "### {}\n", md(heading));
        for s in situations {
            let _ = writeln!(out, "#### {}\n", md(&s.title));
            for a in &s.activities {
                let _ = writeln!(out, "- {}", md(a));
            }
            if !s.activities.is_empty() {
                out.push('\n');
            }
            for n in &s.notes {
                let _ = writeln!(out, "{}\n", cell(std::slice::from_ref(n)));
            }
        }
    }
    let [competencies, assessment, criteria] = &b.columns;
    let _ = writeln!(
        out,
        "### {}\n\n| {} | {} | {} |\n| --- | --- | --- |",
        md(&b.table_heading),
        md(competencies),
        md(assessment),
        md(criteria),
    );
    for g in &b.groups {
        for (ri, row) in g.rows.iter().enumerate() {
            let assessment = if ri == 0 {
                cell(&g.assessment)
            } else {
                format!("*{}*", text(&g.assessment_again))
            };
            let criteria = match &row.criteria {
                Some(c) => cell(&c.lines),
                None => format!("*{}*", text(&row.criteria_again)),
            };
            let _ = writeln!(
                out,
                "| {} | {assessment} | {criteria} |",
                strong(&row.competency)
            );
        }
    }
    let _ = writeln!(out, "\n### {}\n", md(&b.rules_heading));
    for rule in &b.competency_rules {
        let _ = writeln!(out, "- {}", md(rule));
    }
    let _ = writeln!(out, "- **{}**\n", md(&b.rule));
}

/// A table cell: lines joined with `<br>`, lists as "• " lines.
fn cell(lines: &[Line]) -> String {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        match l {
            Line::Strong(s) => out.push(strong(s)),
            Line::Plain(t) => out.push(text(t)),
            Line::Paragraph(p) => out.push(md(p)),
            Line::Muted(t) => out.push(format!("*{}*", text(t))),
            Line::List(items) => out.extend(items.iter().map(|i| format!("• {}", md(i)))),
        }
    }
    out.join("<br>")
}

fn strong(s: &Strong) -> String {
    let mut out = format!("**{}**", md(&s.strong));
    if !s.rest.is_empty() {
        out.push(' ');
        out.push_str(&text(&s.rest));
    }
    if let Some(aside) = &s.aside {
        let _ = write!(out, " ({})", md(aside));
    }
    out
}
