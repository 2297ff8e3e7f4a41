//! The referential's document as one self-contained HTML page. What it
//! says comes worded from `content`; this module only escapes and lays out.

use std::fmt::Write as _;

use super::content::{Content, Line, Prose, Strong, Text};
use super::model::{anchor, Document};
use super::page;
use super::svg;
use super::table::{BlockContent, GroupContent};
use super::text::{html, push_html};

pub fn render(doc: &Document<'_>) -> String {
    let ir = doc.lookup.ir;
    let lang = doc.lang;
    let r = &ir.referential;
    let content = Content::new(doc);
    let mut out = String::with_capacity(256 * 1024);
    // The navigation names sections more shortly than their headings.
    let mut nav = vec![
        (
            "#structure".to_string(),
            lang.t("Structure", "Structure").to_string(),
        ),
        (
            "#scales".to_string(),
            lang.t("Scales", "Échelles").to_string(),
        ),
    ];
    nav.extend(
        ir.blocks
            .iter()
            .map(|b| (format!("#{}", anchor("block", &b.id)), b.id.clone())),
    );
    nav.push((
        "#certification".to_string(),
        lang.t("Certification", "Certification").to_string(),
    ));
    page::open(
        &mut out,
        lang,
        &r.title,
        &format!("{} {}", lang.t("Referential", "Référentiel"), r.id),
        &nav,
    );
    out.push_str("<h1>");
    push_html(&mut out, &content.title);
    out.push_str("</h1>\n<dl>\n");
    for (term, value) in &content.identity {
        out.push_str("<dt>");
        push_html(&mut out, term);
        out.push_str("</dt><dd>");
        push_html(&mut out, value);
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n");
    if let Some(policy) = &content.accommodation {
        prose(&mut out, "accommodation", policy);
    }
    structure(doc, &content, &mut out);
    scales(&content, &mut out);
    for b in &content.blocks {
        block(b, &mut out);
    }
    if let Some(r) = &content.regulation {
        regulation(r, &mut out);
    }
    prose(&mut out, "certification", &content.certification);
    page::close(&mut out, &content.footer);
    out
}

/// A section of paragraphs under its heading.
fn prose(out: &mut String, id: &str, p: &Prose) {
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n",
        html(&p.heading)
    );
    paragraphs(out, &p.paragraphs);
    out.push_str("</section>\n");
}

fn paragraphs(out: &mut String, paragraphs: &[String]) {
    for p in paragraphs {
        out.push_str("<p>");
        push_html(out, p);
        out.push_str("</p>\n");
    }
}

fn text(t: &Text) -> String {
    t.escaped(html)
}

fn list(out: &mut String, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for i in items {
        out.push_str("<li>");
        push_html(out, i);
        out.push_str("</li>");
    }
    out.push_str("</ul>\n");
}

fn structure(doc: &Document<'_>, content: &Content, out: &mut String) {
    let s = &content.structure;
    let _ = write!(
        out,
        "<section aria-labelledby=\"structure\">\n<h2 id=\"structure\">{}</h2>\n<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        html(&s.heading),
        svg::structure(doc, "structure-picture"),
        html(&s.caption),
    );
    out.push_str("<ul>\n");
    for (b, competencies) in &s.blocks {
        let _ = write!(out, "<li>{}\n<ul>", text(b));
        for c in competencies {
            let _ = write!(out, "<li>{}</li>", text(c));
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}

/// The règlement d'examen: one row per part of an épreuve.
fn regulation(r: &super::content::Regulation, out: &mut String) {
    let _ = write!(
        out,
        "<section aria-labelledby=\"regulation\">\n<h2 id=\"regulation\">{}</h2>\n<table>\n<caption>{}</caption>\n<thead><tr>",
        html(&r.heading),
        html(&r.caption),
    );
    for c in &r.columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", html(c));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &r.rows {
        let Some((first, rest)) = row.split_first() else {
            continue;
        };
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", html(first));
        for cell in rest {
            let _ = write!(out, "<td>{}</td>", html(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn scales(content: &Content, out: &mut String) {
    let s = &content.scales;
    let [scale, grades, pass] = &s.columns;
    let _ = write!(
        out,
        "<section aria-labelledby=\"scales\">\n<h2 id=\"scales\">{}</h2>\n<p>{}</p>\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        html(&s.heading),
        html(&s.intro),
        html(&s.caption),
        html(scale),
        html(grades),
        html(pass),
    );
    for row in &s.rows {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            html(&row.name),
            html(&row.grades),
            html(&row.pass)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn block(b: &BlockContent, out: &mut String) {
    let id = anchor("block", &b.id);
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n",
        text(&b.heading)
    );
    paragraphs(out, &b.summary);
    if let Some((heading, missions)) = &b.missions {
        let _ = writeln!(out, "<h3>{}</h3>", html(heading));
        list(out, missions);
    }
    if let Some((heading, situations)) = &b.situations {
        let _ = writeln!(out, "<h3>{}</h3>", html(heading));
        for s in situations {
            out.push_str("<h4>");
            push_html(out, &s.title);
            out.push_str("</h4>\n");
            list(out, &s.activities);
            for n in &s.notes {
                line(out, n);
                out.push('\n');
            }
        }
    }
    let _ = writeln!(out, "<h3>{}</h3>", html(&b.table_heading));
    table(b, out);
    let _ = write!(out, "<h3>{}</h3>\n<ul>\n", html(&b.rules_heading));
    for rule in &b.competency_rules {
        let _ = writeln!(out, "<li>{}</li>", html(rule));
    }
    let _ = write!(
        out,
        "<li><strong>{}</strong></li>\n</ul>\n</section>\n",
        html(&b.rule)
    );
}

fn table(b: &BlockContent, out: &mut String) {
    let base = anchor("t", &b.id);
    let [competencies, assessment, criteria] = &b.columns;
    let _ = write!(
        out,
        "<table class=\"referential\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\" id=\"{base}-c\">{}</th><th scope=\"col\" id=\"{base}-a\">{}</th><th scope=\"col\" id=\"{base}-k\">{}</th></tr></thead>\n<tbody>\n",
        text(&b.caption),
        html(competencies),
        html(assessment),
        html(criteria),
    );
    for (gi, g) in b.groups.iter().enumerate() {
        group(&base, gi, g, out);
    }
    out.push_str("</tbody>\n</table>\n");
}

/// One assessment's rows. Spanning cells name their headers explicitly
/// (`headers`), because `scope="row"` covers only the first row they span.
fn group(base: &str, gi: usize, g: &GroupContent, out: &mut String) {
    let row_id = |ri: usize| format!("{base}-g{gi}r{ri}");
    for (ri, row) in g.rows.iter().enumerate() {
        let _ = write!(out, "<tr><th scope=\"row\" id=\"{}\">", row_id(ri));
        strong(out, &row.competency);
        out.push_str("</th>");
        if ri == 0 {
            let rows: Vec<String> = (0..g.rows.len()).map(row_id).collect();
            let _ = write!(
                out,
                "<td{} headers=\"{base}-a {}\">",
                rowspan(g.rows.len()),
                rows.join(" ")
            );
            lines(out, &g.assessment);
            out.push_str("</td>");
        }
        if let Some(cell) = &row.criteria {
            let rows: Vec<String> = (ri..ri + cell.span).map(row_id).collect();
            let _ = write!(
                out,
                "<td{} headers=\"{base}-k {}\">",
                rowspan(cell.span),
                rows.join(" ")
            );
            lines(out, &cell.lines);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
}

fn lines(out: &mut String, lines: &[Line]) {
    for l in lines {
        line(out, l);
    }
}

fn line(out: &mut String, l: &Line) {
    match l {
        Line::Strong(s) => {
            out.push_str("<p>");
            strong(out, s);
            out.push_str("</p>");
        }
        Line::Plain(t) => {
            let _ = write!(out, "<p>{}</p>", text(t));
        }
        Line::Paragraph(p) => paragraphs(out, std::slice::from_ref(p)),
        Line::Muted(t) => {
            let _ = write!(out, "<p class=\"muted\">{}</p>", text(t));
        }
        Line::List(items) => list(out, items),
    }
}

/// The bold lead and what follows it, without a paragraph: a
/// competency's is the whole of its row header.
fn strong(out: &mut String, s: &Strong) {
    let _ = write!(out, "<strong>{}</strong>", html(&s.strong));
    if !s.rest.is_empty() {
        let _ = write!(out, " {}", text(&s.rest));
    }
    if let Some(aside) = &s.aside {
        let _ = write!(out, " <span class=\"muted\">({})</span>", html(aside));
    }
}

/// ` rowspan="3"`, or nothing for a cell of one row (the default).
fn rowspan(rows: usize) -> String {
    if rows > 1 {
        format!(" rowspan=\"{rows}\"")
    } else {
        String::new()
    }
}
