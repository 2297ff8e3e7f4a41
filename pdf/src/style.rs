//! The frame every Acquis PDF shares: A4 pages, the document's title,
//! language and author in the PDF's metadata, "Page 3 sur 67" / "Page 3 of
//! 67" at the foot of every page, headings kept with what follows, table
//! headers repeated on every page a table spans, rows that break inside
//! rather than leaving a gap.

use crate::markup::Markup;

/// Opens a document: settings and show rules, before any content.
/// `author` is the certifier when the referential names one.
pub fn open(m: &mut Markup, title: &str, author: Option<&str>) {
    let lang = m.lang;
    let title = m.string(title);
    let author = author.map_or("()".to_string(), |a| m.string(a));
    // Typst keeps a heading with the block after it (headings are sticky
    // blocks), tags the document (`/StructTreeRoot`, `/MarkInfo`), writes
    // `/Lang` from `text(lang)` and `/Title` from `document(title)`; the
    // footer and repeated table headers are artifacts for screen readers.
    let region = lang.t("GB", "FR");
    let of = lang.t("of", "sur");
    m.raw(&format!(
        r##"#set document(title: {title}, author: {author}, date: none)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "{code}", region: "{region}", hyphenate: auto)
#set par(justify: true, leading: 0.62em, spacing: 0.9em)
#set page(paper: "a4", margin: (x: 2cm, top: 2cm, bottom: 2.4cm), numbering: "1", footer: context align(center, text(size: 9pt, fill: luma(60))[Page #counter(page).display() {of} #counter(page).final().first()]))
#set heading(numbering: none)
#show heading: set text(fill: rgb("#1f3a68"), hyphenate: false)
#show heading.where(level: 1): set text(size: 22pt)
#show heading.where(level: 1): set block(above: 1.2em, below: 1em)
#show heading.where(level: 2): set text(size: 15pt)
#show heading.where(level: 2): set block(above: 1.6em, below: 0.8em, stroke: (bottom: 1pt + rgb("#1f3a68")), inset: (bottom: 4pt), width: 100%)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 3): set block(above: 1.4em, below: 0.7em)
#show heading.where(level: 4): set text(size: 10.5pt)
#set list(indent: 0.4em, body-indent: 0.5em)
#set table(stroke: 0.5pt + luma(100), inset: (x: 5pt, y: 4pt), align: left + top, fill: (_, y) => if y == 0 {{ rgb("#e3ebf6") }})
#show table.cell: set par(justify: false)
#show table.cell: set text(size: 9pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show figure: set block(breakable: true)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: set text(weight: "bold")
#show figure.caption: set align(left)
#set figure(supplement: none, numbering: none)
"##,
        code = lang.code(),
    ));
}

/// A grey remark, as content.
pub fn muted(m: &Markup, text: &str) -> String {
    format!("#text(fill: luma(80), {});", m.string(text))
}
