//! The cohort page, `index.html`: how many candidates validated the
//! certification, each block and each competency (charts, each followed by
//! the same figures as a table), and the list of candidates with links to
//! their pages.

use crate::report::words::Word;
use std::fmt::Write as _;

use super::chart::{bars, percent};
use super::{class, Context, Listed, Tally};
use crate::doc::page;
use crate::doc::text::{html, push_html};
use acquis_ir::describe::Lang;

pub struct Cohort<'a, 'p, 'ir> {
    pub context: &'a Context<'p, 'ir>,
    pub listed: &'a [Listed],
    pub certification: Tally,
    pub blocks: &'a [Tally],
    pub competencies: &'a [Tally],
    pub errors: usize,
    pub unreadable: usize,
}

pub fn render(c: &Cohort<'_, '_, '_>) -> String {
    let cx = c.context;
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let mut out = String::with_capacity(128 + c.listed.len() * 400);
    let nav = vec![
        (
            "#certification".to_string(),
            Word::Certification.text(lang).to_string(),
        ),
        ("#blocks".to_string(), Word::Blocks.text(lang).to_string()),
        (
            "#competencies".to_string(),
            Word::Competencies.text(lang).to_string(),
        ),
        (
            "#candidates".to_string(),
            Word::Candidates.text(lang).to_string(),
        ),
    ];
    let title = format!(
        "{} — {}",
        Word::CohortResults.text(lang),
        ir.referential.title
    );
    cx.open_page(&mut out, &title, &title, &nav);
    let records = !ir.records.is_empty();
    let _ = writeln!(out, "<p>{}</p>", html(&counts(c)));
    // The denominator of every rate below, said once: pending candidates
    // count, so a rate only grows as grades come in.
    let _ = writeln!(out, "<p>{}</p>", rates_note(lang));

    // Certification.
    let _ = write!(
        out,
        "<section aria-labelledby=\"certification\">\n<h2 id=\"certification\">{}</h2>\n",
        Word::Certification.text(lang)
    );
    figures_table(
        lang,
        &mut out,
        Word::Referential.text(lang),
        Word::CertificationOutcomes.text(lang),
        &[(
            format!("{} {}", ir.referential.id, ir.referential.title),
            c.certification,
        )],
        records,
    );
    out.push_str("</section>\n");

    // Blocks.
    let rows: Vec<(String, Tally)> = ir
        .blocks
        .iter()
        .zip(c.blocks)
        .map(|(b, t)| (b.id.clone(), *t))
        .collect();
    let _ = write!(
        out,
        "<section aria-labelledby=\"blocks\">\n<h2 id=\"blocks\">{}</h2>\n<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        Word::Blocks.text(lang),
        bars(lang, "chart-blocks", lang.t("Pass rate per block", "Taux de réussite par bloc"), &rows),
        lang.t("Pass rate per block", "Taux de réussite par bloc"),
    );
    figures_table(
        lang,
        &mut out,
        Word::Block.text(lang),
        Word::OutcomesPerBlock.text(lang),
        &with_titles(cx, &rows),
        records,
    );
    out.push_str("</section>\n");

    // Competencies.
    let rows: Vec<(String, Tally)> = ir
        .competencies
        .iter()
        .zip(c.competencies)
        .map(|(k, t)| (k.id.clone(), *t))
        .collect();
    let _ = write!(
        out,
        "<section aria-labelledby=\"competencies\">\n<h2 id=\"competencies\">{}</h2>\n<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
        Word::Competencies.text(lang),
        bars(
            lang,
            "chart-competencies",
            lang.t("Pass rate per competency", "Taux de réussite par compétence"),
            &rows
        ),
        lang.t("Pass rate per competency", "Taux de réussite par compétence"),
    );
    figures_table(
        lang,
        &mut out,
        Word::Competency.text(lang),
        Word::OutcomesPerCompetency.text(lang),
        &with_titles(cx, &rows),
        records,
    );
    out.push_str("</section>\n");

    candidates(c, &mut out);
    page::close(
        &mut out,
        lang.t(
            "Results computed by Acquis from the referential's rules. Candidates' other columns are not shown unless --include-metadata is given.",
            "Résultats calculés par Acquis selon les règles du référentiel. Les autres colonnes des candidats ne sont affichées qu'avec --include-metadata.",
        ),
    );
    out
}

/// "65 candidats, dont 2 avec des erreurs dans leurs notes (non comptés
/// ci-dessous) ; 1 ligne du fichier de notes n'a pas pu être lue."
pub fn counts(c: &Cohort<'_, '_, '_>) -> String {
    let lang = c.context.lang;
    let total = c.listed.len();
    let mut out = format!(
        "{total} {}{}",
        if total == 1 {
            lang.t("candidate", "candidat")
        } else {
            lang.t("candidates", "candidats")
        },
        if c.errors > 0 {
            format!(
                ", {} {} {}",
                lang.t("of whom", "dont"),
                c.errors,
                lang.t(
                    "with errors in their grades (not counted below)",
                    "avec des erreurs dans leurs notes (non comptés ci-dessous)"
                )
            )
        } else {
            String::new()
        }
    );
    if c.unreadable > 0 {
        let _ = write!(
            out,
            "{} {} {}",
            lang.t(";", "\u{202f};"),
            c.unreadable,
            // The verb agrees with the count: "1 ligne … n'a pas pu".
            if c.unreadable == 1 {
                lang.t(
                    "line of the grades file could not be read",
                    "ligne du fichier de notes n'a pas pu être lue",
                )
            } else {
                lang.t(
                    "lines of the grades file could not be read",
                    "lignes du fichier de notes n'ont pas pu être lues",
                )
            }
        );
    }
    out.push('.');
    out
}

/// What every pass rate is a rate of.
pub fn rates_note(lang: Lang) -> &'static str {
    lang.t(
        "Pass rates are the candidates validated among all the candidates evaluated without errors, pending ones included.",
        "Les taux de réussite rapportent les candidats validés à tous les candidats évalués sans erreur, en attente compris.",
    )
}

/// The columns of a table of figures after the entity's: validated, not
/// validated, pending, pass rate, then where outcomes come from when the
/// referential has candidates' records.
pub fn figure_columns(lang: Lang, records: bool) -> Vec<&'static str> {
    let mut columns = vec![
        lang.t("Validated", "Validé"),
        lang.t("Not validated", "Non validé"),
        lang.t("Pending", "En attente"),
        lang.t("Pass rate", "Taux de réussite"),
    ];
    if records {
        columns.extend([
            lang.t("From an earlier session", "D'une session antérieure"),
            lang.t("By equivalence", "Par équivalence"),
            lang.t("By dispensation", "Par dispense"),
            lang.t("By jury decision", "Par décision du jury"),
        ]);
    }
    columns
}

/// Each row's label followed by the entity's title.
pub fn with_titles(cx: &Context<'_, '_>, rows: &[(String, Tally)]) -> Vec<(String, Tally)> {
    rows.iter()
        .map(|(id, t)| (format!("{id} {}", cx.lookup.title(id)), *t))
        .collect()
}

fn figures_table(
    lang: Lang,
    out: &mut String,
    what: &str,
    caption: &str,
    rows: &[(String, Tally)],
    records: bool,
) {
    // On a narrow screen each row becomes a card, every figure labelled
    // by its column (`data-label`, see doc::page): the table reflows
    // instead of hiding its last columns behind a scroll.
    let _ = write!(
        out,
        "<table class=\"figures\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        html(caption),
        html(what),
    );
    let columns = figure_columns(lang, records);
    for column in &columns {
        let _ = write!(out, "<th scope=\"col\" class=\"num\">{}</th>", html(column));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (label, t) in rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", html(label));
        let mut figures = vec![
            t.passed.to_string(),
            t.failed.to_string(),
            t.pending.to_string(),
            percent(lang, t.rate()),
        ];
        if records {
            figures.extend(t.sources.iter().map(usize::to_string));
        }
        for (column, figure) in columns.iter().zip(&figures) {
            let _ = write!(
                out,
                "<td class=\"num\" data-label=\"{}\">{}</td>",
                html(column),
                html(figure)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn candidates(c: &Cohort<'_, '_, '_>, out: &mut String) {
    let cx = c.context;
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let _ = write!(
        out,
        "<section aria-labelledby=\"candidates\">\n<h2 id=\"candidates\">{}</h2>\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        Word::Candidates.text(lang),
        lang.t(
            "Each candidate's certification and blocks; the link opens the candidate's page",
            "Certification et blocs de chaque candidat\u{202f}; le lien ouvre la page du candidat"
        ),
        Word::Candidate.text(lang),
        Word::Certification.text(lang),
    );
    for b in &ir.blocks {
        let _ = write!(out, "<th scope=\"col\">{}</th>", html(&b.id));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let error = Word::Error.text(lang);
    for l in c.listed {
        out.push_str("<tr><th scope=\"row\"><a href=\"");
        push_html(out, &l.file);
        out.push_str("\">");
        push_html(out, &l.id);
        out.push_str("</a></th>");
        match &l.outcomes {
            None => {
                let _ = write!(
                    out,
                    "<td colspan=\"{}\"><span class=\"o e\">{error}</span></td>",
                    ir.blocks.len() + 1
                );
            }
            Some(outcomes) => {
                let ids =
                    std::iter::once("certification").chain(ir.blocks.iter().map(|b| b.id.as_str()));
                for (id, o) in ids.zip(outcomes) {
                    let _ = write!(
                        out,
                        "<td><span class=\"o {}\">{}</span></td>",
                        class(*o),
                        html(&cx.word(id, *o))
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
