//! `acquis eval --format pdf -o DIR`: the results pages as PDF, one per
//! candidate (`DIR/candidates/<id>.pdf`) and the cohort's (`DIR/index.pdf`).
//! [`Pdf`] is a page format of `acquis_publish::report::Pages`, which
//! counts, names, cleans and writes the files exactly as it does for the
//! HTML pages; this module only lays each page out, with the same words
//! (outcomes, reasons, missing grades, figures) as the HTML pages.

use acquis_eval::{Outcome, Outcomes};
use acquis_ir::BlockIr;
use acquis_publish::doc::model::accommodation;
use acquis_publish::report::cohort::{counts, figure_columns, rates_note, with_titles};
use acquis_publish::report::words::Word;
use acquis_publish::report::{
    grade_words, missing, percent, Candidate, Cohort, Context, PageFormat, Tally,
};
use acquis_publish::PublishError;

use crate::markup::Markup;
use crate::style::{self, muted};

/// Results pages as tagged PDF (PDF/UA-1).
pub struct Pdf;

impl PageFormat for Pdf {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn candidate(&self, cx: &Context<'_, '_>, c: &Candidate<'_>) -> Result<Vec<u8>, PublishError> {
        let ident = format!("acquis-results-{}-{}", cx.plan.ir().referential.id, c.id);
        crate::world::typeset(candidate_markup(cx, c), &ident).map_err(|e| PublishError::Render {
            page: c.id.to_string(),
            source: Box::new(e),
        })
    }

    fn cohort(&self, c: &Cohort<'_, '_, '_>) -> Result<Vec<u8>, PublishError> {
        let ident = format!("acquis-cohort-{}", c.context.plan.ir().referential.id);
        crate::world::typeset(cohort_markup(c), &ident).map_err(|e| PublishError::Render {
            page: "index".to_string(),
            source: Box::new(e),
        })
    }
}

/// An outcome in words, bold and coloured (the word says it; the colour
/// only repeats it).
fn badge(m: &Markup, cx: &Context<'_, '_>, id: &str, outcome: Outcome) -> String {
    let colour = match outcome {
        Outcome::Passed => "#0b5d1e",
        Outcome::Failed => "#9b1c1c",
        Outcome::Pending => "#6b4500",
    };
    format!(
        "#text(weight: \"bold\", fill: rgb(\"{colour}\"), {});",
        m.string(&cx.word(id, outcome))
    )
}

fn outcome_of(cx: &Context<'_, '_>, outcomes: &Outcomes, id: &str) -> Outcome {
    outcomes.get(cx.plan, id).unwrap_or(Outcome::Pending)
}

/// "Référentiel EDL — résultats", above the page's title.
fn banner(m: &mut Markup, cx: &Context<'_, '_>) {
    let lang = cx.lang;
    let text = format!(
        "{} {} — {}",
        Word::Referential.text(lang),
        cx.plan.ir().referential.id,
        Word::Results.text(lang)
    );
    let text = muted(m, &text);
    m.raw(&text).raw("\n\n");
}

fn certifier<'a>(cx: &Context<'_, 'a>) -> Option<&'a str> {
    let meta = &cx.plan.ir().referential.meta;
    ["certificateur", "certifier", "certificatrice", "organisme"]
        .iter()
        .find_map(|k| meta.get(*k))
        .map(String::as_str)
}

/// "**Label :** value" as a paragraph, the value already markup.
fn labelled(m: &mut Markup, label: &str, value_markup: &str) {
    let label = m.string(&format!("{label}{}", m.lang.colon()));
    m.raw(&format!("#strong({label}); {value_markup}\n\n"));
}

pub fn candidate_markup(cx: &Context<'_, '_>, c: &Candidate<'_>) -> String {
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let mut m = Markup::new(lang);
    let who = format!("{} {}", Word::Candidate.text(lang), c.id);
    style::open(
        &mut m,
        &format!("{who} — {}", ir.referential.title),
        certifier(cx),
    );
    banner(&mut m, cx);
    m.heading(1, &who);
    m.text(&ir.referential.title).raw("\n\n");
    match c.outcomes {
        None => problems(&mut m, c),
        Some(outcomes) => {
            summary(&mut m, cx, c, outcomes);
            for b in &ir.blocks {
                block(&mut m, cx, c, outcomes, b);
            }
        }
    }
    if let Some(policy) = &ir.referential.accommodation {
        m.heading(
            2,
            lang.t(
                "Candidates with a disability",
                "Évaluation des candidats en situation de handicap",
            ),
        );
        for p in acquis_publish::doc::text::paragraphs(policy) {
            m.text(&p).raw("\n\n");
        }
    }
    if cx.include_metadata && !c.metadata.is_empty() {
        metadata(&mut m, c);
    }
    m.raw("#v(1em)\n");
    let footer = muted(
        &m,
        lang.t(
            "Results computed by Acquis from the referential's rules.",
            "Résultats calculés par Acquis selon les règles du référentiel.",
        ),
    );
    m.raw(&footer).raw("\n");
    m.out
}

fn summary(m: &mut Markup, cx: &Context<'_, '_>, c: &Candidate<'_>, outcomes: &Outcomes) {
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let o = outcome_of(cx, outcomes, "certification");
    m.heading(2, Word::Certification.text(lang));
    let word = badge(m, cx, "certification", o);
    labelled(m, Word::Certification.text(lang), &word);
    let reason = m.string(&cx.plan.reason("certification", c.grades, outcomes));
    labelled(m, Word::Because.text(lang), &format!("#{reason};"));
    if o == Outcome::Pending {
        let text = missing(cx, c, outcomes, "certification");
        if !text.is_empty() {
            m.text(&text).raw("\n\n");
        }
    }
    m.open_table(
        Word::BlockResults.text(lang),
        "(2fr, 1fr, 3fr)",
        &[
            Word::Block.text(lang),
            Word::Outcome.text(lang),
            Word::Reason.text(lang),
        ],
    );
    for b in &ir.blocks {
        let o = outcome_of(cx, outcomes, &b.id);
        let name = m.content(&format!("{} {}", b.id, b.title));
        m.row_header(&name);
        let word = badge(m, cx, &b.id, o);
        let reason = m.content(&cx.plan.reason(&b.id, c.grades, outcomes));
        m.raw(&format!("[{word}], {reason},\n"));
    }
    m.close_table();
}

fn block(
    m: &mut Markup,
    cx: &Context<'_, '_>,
    c: &Candidate<'_>,
    outcomes: &Outcomes,
    b: &BlockIr,
) {
    let lang = cx.lang;
    let o = outcome_of(cx, outcomes, &b.id);
    m.heading(
        2,
        &format!("{} {} — {}", Word::Block.text(lang), b.id, b.title),
    );
    let word = badge(m, cx, &b.id, o);
    labelled(m, Word::Outcome.text(lang), &word);
    let reason = m.string(&cx.plan.reason(&b.id, c.grades, outcomes));
    labelled(m, Word::Because.text(lang), &format!("#{reason};"));
    if o == Outcome::Pending {
        let text = missing(cx, c, outcomes, &b.id);
        if !text.is_empty() {
            m.text(&text).raw("\n\n");
        }
    }
    m.heading(3, Word::Competencies.text(lang));
    m.open_table(
        &format!("{} {}", Word::CompetenciesOfBlock.text(lang), b.id),
        "(28%, 13%, 27%, 32%)",
        &[
            Word::Competency.text(lang),
            Word::Outcome.text(lang),
            Word::ReasonAndWhatIsMissing.text(lang),
            lang.t(
                "Criteria: outcome and grade",
                "Critères\u{202f}: résultat et note",
            ),
        ],
    );
    for k in b
        .competencies
        .iter()
        .filter_map(|k| cx.lookup.competency(k))
    {
        let o = outcome_of(cx, outcomes, &k.id);
        let name = m.content(&format!("{} {}", k.id, k.title));
        m.row_header(&name);
        let word = badge(m, cx, &k.id, o);
        let mut reason = m.string(&cx.plan.reason(&k.id, c.grades, outcomes));
        reason = format!("#{reason};");
        if o == Outcome::Pending {
            let text = missing(cx, c, outcomes, &k.id);
            if !text.is_empty() {
                reason.push_str(&format!(" \\\n#{};", m.string(&text)));
            }
        }
        let mut criteria = String::new();
        for kid in &k.criteria {
            let Some(criterion) = cx.lookup.criterion(kid) else {
                continue;
            };
            let unique = k
                .criteria
                .iter()
                .filter_map(|s| cx.lookup.criterion(s))
                .filter(|s| s.local_id == criterion.local_id)
                .count()
                == 1;
            let name = if unique { &criterion.local_id } else { kid };
            criteria.push_str(&format!(
                "- #{}; {} #{};\n",
                m.string(name),
                badge(m, cx, kid, outcome_of(cx, outcomes, kid)),
                m.string(&grade_words(cx, c, kid))
            ));
        }
        m.raw(&format!("[{word}], [{reason}], [\n{criteria}],\n"));
    }
    m.close_table();
    m.heading(3, Word::AssessmentsAndAccommodations.text(lang));
    for a in b.assessments.iter().filter_map(|a| cx.lookup.assessment(a)) {
        let head = format!(
            "#strong({}); #{};",
            m.string(&a.id),
            m.string(&format!(
                "{} ({} {})",
                a.title,
                Word::Assesses.text(lang),
                lang.list(&a.covers)
            ))
        );
        if a.accommodations.is_empty() {
            let none = m.string(&format!(
                "{} {}",
                lang.colon(),
                Word::NoAccommodationStated.text(lang)
            ));
            m.raw(&format!("- {head}#{none};\n"));
        } else {
            m.raw(&format!("- {head}\n"));
            for x in &a.accommodations {
                m.raw("  - ").text(&accommodation(lang, x)).raw("\n");
            }
        }
    }
    m.raw("\n");
}

fn problems(m: &mut Markup, c: &Candidate<'_>) {
    let lang = m.lang;
    m.heading(2, Word::ProblemsInTheGrades.text(lang));
    m.text(lang.t(
        "This candidate's grades have problems: no outcome is given until they are corrected.",
        "Les notes de ce candidat contiennent des erreurs\u{202f}: aucun résultat n'est donné avant leur correction.",
    ))
    .raw("\n\n");
    // The grades reader's messages, in the page's language.
    for (line, message) in &c.problems {
        let label = m.string(&format!(
            "{} {line}{} ",
            Word::Line.text(lang),
            lang.colon()
        ));
        let message =
            super::markup::literal(&message.render(acquis_eval::explain::diagnostics_lang(lang)));
        m.raw(&format!("- #{label}; #{message};\n"));
    }
    m.raw("\n");
}

fn metadata(m: &mut Markup, c: &Candidate<'_>) {
    let lang = m.lang;
    m.heading(2, Word::PersonalData.text(lang));
    m.open_table(lang.t(
            "Other columns of the grades file (shown with --include-metadata; in a long CSV, every distinct value of the candidate's rows, separated by semicolons)",
            "Autres colonnes du fichier de notes (affichées avec --include-metadata\u{202f}; dans un CSV long, chaque valeur distincte des lignes du candidat, séparées par des points-virgules)",
        ),
        "(1fr, 2fr)",
        &[Word::Column.text(lang), Word::Value.text(lang)],
    );
    for (k, v) in c.metadata {
        let k = m.content(k);
        m.row_header(&k);
        let v = m.content(v);
        m.raw(&format!("{v},\n"));
    }
    m.close_table();
}

pub fn cohort_markup(c: &Cohort<'_, '_, '_>) -> String {
    let cx = c.context;
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let mut m = Markup::new(lang);
    let title = format!(
        "{} — {}",
        Word::CohortResults.text(lang),
        ir.referential.title
    );
    style::open(&mut m, &title, certifier(cx));
    banner(&mut m, cx);
    m.heading(1, &title);
    m.text(&counts(c)).raw("\n\n");
    m.text(rates_note(lang)).raw("\n\n");
    let records = !ir.records.is_empty();
    m.heading(2, Word::Certification.text(lang));
    figures(
        &mut m,
        Word::CertificationOutcomes.text(lang),
        Word::Referential.text(lang),
        &[(
            format!("{} {}", ir.referential.id, ir.referential.title),
            c.certification,
        )],
        records,
    );
    let rows: Vec<(String, Tally)> = ir
        .blocks
        .iter()
        .zip(c.blocks)
        .map(|(b, t)| (b.id.clone(), *t))
        .collect();
    m.heading(2, Word::Blocks.text(lang));
    figures(
        &mut m,
        Word::OutcomesPerBlock.text(lang),
        Word::Block.text(lang),
        &with_titles(cx, &rows),
        records,
    );
    let rows: Vec<(String, Tally)> = ir
        .competencies
        .iter()
        .zip(c.competencies)
        .map(|(k, t)| (k.id.clone(), *t))
        .collect();
    m.heading(2, Word::Competencies.text(lang));
    figures(
        &mut m,
        Word::OutcomesPerCompetency.text(lang),
        Word::Competency.text(lang),
        &with_titles(cx, &rows),
        records,
    );
    candidates(&mut m, c);
    m.raw("#v(1em)\n");
    let footer = muted(
        &m,
        lang.t(
            "Results computed by Acquis from the referential's rules. Candidates' other columns are not shown unless --include-metadata is given.",
            "Résultats calculés par Acquis selon les règles du référentiel. Les autres colonnes des candidats ne sont affichées qu'avec --include-metadata.",
        ),
    );
    m.raw(&footer).raw("\n");
    m.out
}

/// A table of figures: validated, not validated, pending, pass rate (and
/// where outcomes come from, with candidates' records).
fn figures(m: &mut Markup, caption: &str, what: &str, rows: &[(String, Tally)], records: bool) {
    let lang = m.lang;
    let columns = figure_columns(lang, records);
    let mut headers = vec![what];
    headers.extend(columns.iter().copied());
    // Figures are right-aligned, as numbers are.
    let widths = format!(
        "(3fr, {}), align: (x, _) => if x > 0 {{ right + top }} else {{ left + top }}",
        vec!["1fr"; columns.len()].join(", ")
    );
    m.open_table(caption, &widths, &headers);
    for (label, t) in rows {
        let label = m.content(label);
        m.row_header(&label);
        let mut figures = vec![
            t.passed.to_string(),
            t.failed.to_string(),
            t.pending.to_string(),
            percent(lang, t.rate()),
        ];
        if records {
            figures.extend(t.sources.iter().map(usize::to_string));
        }
        let cells: Vec<String> = figures.iter().map(|f| m.content(f)).collect();
        m.raw(&cells.join(", ")).raw(",\n");
    }
    m.close_table();
}

/// Each candidate's certification and blocks, linking to their PDF.
fn candidates(m: &mut Markup, c: &Cohort<'_, '_, '_>) {
    let cx = c.context;
    let lang = cx.lang;
    let ir = cx.plan.ir();
    m.heading(2, Word::Candidates.text(lang));
    let mut headers = vec![
        Word::Candidate.text(lang).to_string(),
        Word::Certification.text(lang).to_string(),
    ];
    headers.extend(ir.blocks.iter().map(|b| b.id.clone()));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let widths = format!("(2fr, {})", vec!["1.4fr"; ir.blocks.len() + 1].join(", "));
    m.open_table(lang.t(
            "Each candidate's certification and blocks; the link opens the candidate's results",
            "Certification et blocs de chaque candidat\u{202f}; le lien ouvre les résultats du candidat",
        ),
        &widths,
        &header_refs,
    );
    let error = Word::Error.text(lang);
    for l in c.listed {
        let link = format!(
            "[#link({}, {});]",
            super::markup::literal(&l.file),
            m.string(&l.id)
        );
        m.row_header(&link);
        match &l.outcomes {
            None => {
                let e = m.string(error);
                m.raw(&format!(
                    "table.cell(colspan: {})[#text(weight: \"bold\", fill: rgb(\"#9b1c1c\"), {e});],\n",
                    ir.blocks.len() + 1
                ));
            }
            Some(outcomes) => {
                let ids =
                    std::iter::once("certification").chain(ir.blocks.iter().map(|b| b.id.as_str()));
                let cells: Vec<String> = ids
                    .zip(outcomes)
                    .map(|(id, o)| format!("[{}]", badge(m, cx, id, *o)))
                    .collect();
                m.raw(&cells.join(", ")).raw(",\n");
            }
        }
    }
    m.close_table();
}
