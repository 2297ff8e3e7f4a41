//! `acquis doc -o x.pdf`: the référentiel as a tagged PDF, from the same
//! worded content as the HTML page and the Markdown
//! (`acquis_publish::doc::content`): a title page, the contents, then the
//! sections of the HTML document in the same order, each block starting on
//! a new page.

use acquis_ir::describe::Lang;
use acquis_ir::Ir;
use acquis_publish::doc::content::{Content, Line, Prose, Regulation, Strong, Text};
use acquis_publish::doc::model::Document;
use acquis_publish::doc::table::{BlockContent, GroupContent};

use crate::markup::Markup;
use crate::style::{self, muted};
use crate::PdfError;

/// `meta` keys that name the certifier, shown first on the title page
/// (and written as the PDF's author).
const CERTIFIER_KEYS: [&str; 4] = ["certificateur", "certifier", "certificatrice", "organisme"];
/// `meta` keys that date the referential, shown on the title page.
const DATE_KEYS: [&str; 4] = [
    "date",
    "date_publication",
    "publication",
    "date_enregistrement",
];

/// The référentiel as a PDF (PDF/UA-1).
pub fn render(ir: &Ir) -> Result<Vec<u8>, PdfError> {
    let ident = format!(
        "acquis-doc-{}-{}",
        ir.referential.id,
        ir.referential.version.as_deref().unwrap_or("")
    );
    crate::world::typeset(markup(ir), &ident)
}

/// The typst markup of the référentiel's document.
pub fn markup(ir: &Ir) -> String {
    let doc = Document::new(ir);
    let content = Content::new(&doc);
    let lang = doc.lang;
    let mut m = Markup::new(lang);
    let certifier = meta(ir, &CERTIFIER_KEYS);
    style::open(&mut m, &content.title, certifier);
    title_page(&mut m, ir, &content);
    if let Some(policy) = &content.accommodation {
        prose(&mut m, policy);
    }
    structure(&mut m, &content);
    scales(&mut m, &content);
    for b in &content.blocks {
        block(&mut m, b);
    }
    if let Some(r) = &content.regulation {
        regulation(&mut m, r);
    }
    prose(&mut m, &content.certification);
    m.raw("#v(1.5em)\n");
    let footer = muted(&m, &content.footer);
    m.raw(&footer).raw("\n");
    m.out
}

/// The first `meta` value under one of `keys`.
fn meta<'ir>(ir: &'ir Ir, keys: &[&str]) -> Option<&'ir str> {
    keys.iter()
        .find_map(|k| ir.referential.meta.get(*k))
        .map(String::as_str)
}

/// The certifier (when the referential names it), the kind of document,
/// the title, its code, level and version, the date (when the referential
/// gives it), then the identity list; the contents on the next page.
fn title_page(m: &mut Markup, ir: &Ir, content: &Content) {
    let lang = m.lang;
    m.raw("#v(2.5cm)\n#align(center)[\n");
    if let Some(certifier) = meta(ir, &CERTIFIER_KEYS) {
        let s = m.string(certifier);
        m.raw(&format!("#text(size: 13pt, {s});\n\n#v(1.2cm)\n"));
    }
    let kind = m.string(lang.t("Certification referential", "Référentiel de certification"));
    m.raw(&format!(
        "#text(size: 12pt, tracking: 0.06em, upper({kind}));\n\n#v(0.4cm)\n"
    ));
    let title = m.string(&content.title);
    m.raw(&format!("#heading(level: 1, {title});\n\n"));
    let r = &ir.referential;
    let mut line = vec![r.id.clone()];
    if let Some(level) = r.level {
        line.push(format!("{} {level}", lang.t("Level", "Niveau")));
    }
    if let Some(v) = &r.version {
        line.push(format!("{} {v}", lang.t("Version", "Version")));
    }
    let line = m.string(&line.join(" — "));
    m.raw(&format!("#text(size: 12pt, {line});\n\n"));
    if let Some(date) = meta(ir, &DATE_KEYS) {
        let date = m.string(date);
        m.raw(&format!("#text(size: 12pt, {date});\n\n"));
    }
    m.raw("]\n#v(1fr)\n");
    // The identity as a two-column table (term, value).
    let items: Vec<String> = content
        .identity
        .iter()
        .map(|(term, value)| format!("terms.item({}, {})", m.string(term), m.string(value)))
        .collect();
    m.raw(&format!(
        "#block(width: 100%, inset: (x: 1cm))[#terms(separator: [#h(0.6em)], {})]\n",
        items.join(", ")
    ));
    m.raw("#v(1.5cm)\n#pagebreak()\n");
    let contents = m.string(lang.t("Contents", "Sommaire"));
    // The contents' title is a section heading (the document has one
    // `H1`, its title).
    m.raw(&format!(
        "#[#show outline: set heading(level: 2)\n#outline(title: {contents}, depth: 2)]\n#pagebreak()\n"
    ));
}

fn joined(t: &Text) -> String {
    t.0.concat()
}

fn paragraphs(m: &mut Markup, paragraphs: &[String]) {
    for p in paragraphs {
        m.text(p).raw("\n\n");
    }
}

fn prose(m: &mut Markup, p: &Prose) {
    m.heading(2, &p.heading);
    paragraphs(m, &p.paragraphs);
}

fn list(m: &mut Markup, items: &[String], indent: usize) {
    for i in items {
        m.raw(&" ".repeat(indent)).raw("- ").text(i).raw("\n");
    }
    m.raw("\n");
}

fn structure(m: &mut Markup, content: &Content) {
    let s = &content.structure;
    m.heading(2, &s.heading);
    for (b, competencies) in &s.blocks {
        m.raw("- ").text(&joined(b)).raw("\n");
        for c in competencies {
            m.raw("  - ").text(&joined(c)).raw("\n");
        }
    }
    m.raw("\n");
}

fn scales(m: &mut Markup, content: &Content) {
    let s = &content.scales;
    m.heading(2, &s.heading);
    m.text(&s.intro).raw("\n\n");
    let [scale, grades, pass] = &s.columns;
    m.open_table(&s.caption, "(1fr, 2fr, 1.4fr)", &[scale, grades, pass]);
    for row in &s.rows {
        let name = m.content(&row.name);
        m.row_header(&name);
        let (g, p) = (m.content(&row.grades), m.content(&row.pass));
        m.raw(&format!("{g}, {p},\n"));
    }
    m.close_table();
}

fn regulation(m: &mut Markup, r: &Regulation) {
    m.raw("#pagebreak(weak: true)\n");
    m.heading(2, &r.heading);
    let columns: Vec<&str> = r.columns.iter().map(String::as_str).collect();
    // The épreuve and the part are the widest columns; examiners, when a
    // part names them, make a seventh.
    let widths: Vec<&str> = ["2.2fr", "1fr", "2fr", "1fr", "1.2fr", "1fr"]
        .into_iter()
        .chain(std::iter::repeat("1.4fr"))
        .take(columns.len())
        .collect();
    m.open_table(&r.caption, &format!("({},)", widths.join(", ")), &columns);
    for row in &r.rows {
        let Some((first, rest)) = row.split_first() else {
            continue;
        };
        let name = m.content(first);
        m.row_header(&name);
        for c in rest {
            let c = m.content(c);
            m.raw(&c).raw(", ");
        }
        m.raw("\n");
    }
    m.close_table();
}

fn block(m: &mut Markup, b: &BlockContent) {
    // Each block starts a page, as in the official référentiel.
    m.raw("#pagebreak(weak: true)\n");
    m.heading(2, &joined(&b.heading));
    paragraphs(m, &b.summary);
    if let Some((heading_text, missions)) = &b.missions {
        m.heading(3, heading_text);
        list(m, missions, 0);
    }
    if let Some((heading_text, situations)) = &b.situations {
        m.heading(3, heading_text);
        for s in situations {
            m.heading(4, &s.title);
            list(m, &s.activities, 0);
            for n in &s.notes {
                line(m, n);
            }
        }
    }
    m.heading(3, &b.table_heading);
    let [competencies, assessment, criteria] = &b.columns;
    m.open_table(
        &joined(&b.caption),
        "(26%, 34%, 40%)",
        &[competencies, assessment, criteria],
    );
    for g in &b.groups {
        group(m, g);
    }
    m.close_table();
    m.heading(3, &b.rules_heading);
    list(m, &b.competency_rules, 0);
    let rule = m.string(&b.rule);
    m.raw(&format!("#strong({rule});\n\n"));
}

/// One assessment's rows: its cell spans them, as does a criteria cell
/// shared by several competencies.
fn group(m: &mut Markup, g: &GroupContent) {
    for (ri, row) in g.rows.iter().enumerate() {
        let mut competency = Markup::new(m.lang);
        strong(&mut competency, &row.competency);
        m.row_header(&format!("[{}]", competency.out));
        if ri == 0 {
            let mut cell = Markup::new(m.lang);
            lines(&mut cell, &g.assessment);
            m.raw(&format!(
                "table.cell(rowspan: {})[\n{}],\n",
                g.rows.len(),
                cell.out
            ));
        }
        if let Some(criteria) = &row.criteria {
            let mut cell = Markup::new(m.lang);
            lines(&mut cell, &criteria.lines);
            m.raw(&format!(
                "table.cell(rowspan: {})[\n{}],\n",
                criteria.span, cell.out
            ));
        }
    }
}

fn lines(m: &mut Markup, lines: &[Line]) {
    for l in lines {
        line(m, l);
    }
}

fn line(m: &mut Markup, l: &Line) {
    match l {
        Line::Strong(s) => {
            strong(m, s);
            m.raw("\n\n");
        }
        Line::Plain(t) => {
            m.text(&joined(t)).raw("\n\n");
        }
        Line::Paragraph(p) => {
            m.text(p).raw("\n\n");
        }
        Line::Muted(t) => {
            let text = muted(m, &joined(t));
            m.raw(&text).raw("\n\n");
        }
        Line::List(items) => {
            if !items.is_empty() {
                list(m, items, 0);
            }
        }
    }
}

/// "**C1.1** Title (aside)".
fn strong(m: &mut Markup, s: &Strong) {
    let lead = m.string(&s.strong);
    m.raw(&format!("#strong({lead});"));
    if !s.rest.is_empty() {
        m.raw(" ").text(&joined(&s.rest));
    }
    if let Some(aside) = &s.aside {
        let aside = muted(m, &format!("({aside})"));
        m.raw(" ").raw(&aside);
    }
}

/// "Page" and its total, as the footer says them (tests read them back).
pub fn page_words(lang: Lang) -> (&'static str, &'static str) {
    ("Page", lang.t("of", "sur"))
}
