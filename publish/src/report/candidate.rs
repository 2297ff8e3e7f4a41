//! One candidate's page: the certification, then each block with its
//! competencies and criteria, every outcome with its reason; what pending
//! outcomes still wait for; the accommodations of the assessments.

use crate::report::words::Word;
use std::fmt::Write as _;

use acquis_eval::{Outcome, Outcomes};
use acquis_ir::{BlockIr, ScaleKindIr};

use super::{class, Candidate, Context};
use crate::doc::model::{accommodation, anchor};
use crate::doc::page;
use crate::doc::text::{html, push_html};

/// At most this many missing grades are named; the rest are counted.
const NAMED_MISSING: usize = 12;

pub fn render(cx: &Context<'_, '_>, c: &Candidate<'_>) -> String {
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let mut out = String::with_capacity(64 * 1024);
    let who = format!("{} {}", Word::Candidate.text(lang), c.id);
    let mut nav = vec![(
        "../index.html".to_string(),
        lang.t("All candidates", "Tous les candidats").to_string(),
    )];
    if c.outcomes.is_some() {
        nav.extend(
            ir.blocks
                .iter()
                .map(|b| (format!("#{}", anchor("block", &b.id)), b.id.clone())),
        );
    }
    cx.open_page(
        &mut out,
        &format!("{who} — {}", ir.referential.title),
        &who,
        &nav,
    );
    out.push_str("<p>");
    push_html(&mut out, &ir.referential.title);
    out.push_str("</p>\n");
    match c.outcomes {
        None => problems(cx, c, &mut out),
        Some(outcomes) => {
            summary(cx, c, outcomes, &mut out);
            for b in &ir.blocks {
                block(cx, c, outcomes, b, &mut out);
            }
        }
    }
    if let Some(policy) = &ir.referential.accommodation {
        let _ = write!(
            out,
            "<section aria-labelledby=\"policy\">\n<h2 id=\"policy\">{}</h2>\n",
            lang.t(
                "Candidates with a disability",
                "Évaluation des candidats en situation de handicap"
            )
        );
        for p in crate::doc::text::paragraphs(policy) {
            let _ = writeln!(out, "<p>{}</p>", html(&p));
        }
        out.push_str("</section>\n");
    }
    if cx.include_metadata && !c.metadata.is_empty() {
        metadata(cx, c, &mut out);
    }
    page::close(
        &mut out,
        lang.t(
            "Results computed by Acquis from the referential's rules.",
            "Résultats calculés par Acquis selon les règles du référentiel.",
        ),
    );
    out
}

fn badge(cx: &Context<'_, '_>, id: &str, outcome: Outcome) -> String {
    format!(
        "<span class=\"o {}\">{}</span>",
        class(outcome),
        html(&cx.word(id, outcome))
    )
}

fn outcome_of(cx: &Context<'_, '_>, outcomes: &Outcomes, id: &str) -> Outcome {
    outcomes.get(cx.plan, id).unwrap_or(Outcome::Pending)
}

/// "Notes manquantes : C1.3/CE4, C1.3/CE5" for a pending outcome (empty
/// when nothing is missing).
pub fn missing(cx: &Context<'_, '_>, c: &Candidate<'_>, outcomes: &Outcomes, id: &str) -> String {
    let lang = cx.lang;
    let missing = cx.missing(id, c.grades, outcomes);
    if missing.is_empty() {
        return String::new();
    }
    let named: Vec<String> = missing
        .iter()
        .take(NAMED_MISSING)
        .map(|s| s.to_string())
        .collect();
    let mut text = format!(
        "{} ({}){} {}",
        lang.t("Grades still missing", "Notes manquantes"),
        missing.len(),
        lang.colon(),
        named.join(", ")
    );
    if missing.len() > NAMED_MISSING {
        let _ = write!(
            text,
            " {} {} {}",
            lang.t("and", "et"),
            missing.len() - NAMED_MISSING,
            lang.t("more", "autres")
        );
    }
    text
}

fn summary(cx: &Context<'_, '_>, c: &Candidate<'_>, outcomes: &Outcomes, out: &mut String) {
    let lang = cx.lang;
    let ir = cx.plan.ir();
    let o = outcome_of(cx, outcomes, "certification");
    let _ = write!(
        out,
        "<section aria-labelledby=\"certification\">\n<h2 id=\"certification\">{}</h2>\n<p>{} {}</p>\n<p>{}{} {}</p>\n",
        Word::Certification.text(lang),
        lang.t("Certification:", "Certification\u{202f}:"),
        badge(cx, "certification", o),
        Word::Because.text(lang),
        lang.colon(),
        html(&cx.plan.reason("certification", c.grades, outcomes))
    );
    if o == Outcome::Pending {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            html(&missing(cx, c, outcomes, "certification"))
        );
    }
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        Word::BlockResults.text(lang),
        Word::Block.text(lang),
        Word::Outcome.text(lang),
        Word::Reason.text(lang),
    );
    for b in &ir.blocks {
        let o = outcome_of(cx, outcomes, &b.id);
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a> {}</th><td>{}</td><td>{}</td></tr>",
            anchor("block", &b.id),
            html(&b.id),
            html(&b.title),
            badge(cx, &b.id, o),
            html(&cx.plan.reason(&b.id, c.grades, outcomes))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn block(
    cx: &Context<'_, '_>,
    c: &Candidate<'_>,
    outcomes: &Outcomes,
    b: &BlockIr,
    out: &mut String,
) {
    let lang = cx.lang;
    let id = anchor("block", &b.id);
    let o = outcome_of(cx, outcomes, &b.id);
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{} {} — {}</h2>\n<p>{}{} {}</p>\n<p>{}{} {}</p>\n",
        Word::Block.text(lang),
        html(&b.id),
        html(&b.title),
        Word::Outcome.text(lang),
        lang.colon(),
        badge(cx, &b.id, o),
        Word::Because.text(lang),
        lang.colon(),
        html(&cx.plan.reason(&b.id, c.grades, outcomes))
    );
    if o == Outcome::Pending {
        let _ = writeln!(out, "<p>{}</p>", html(&missing(cx, c, outcomes, &b.id)));
    }
    // Competencies, each with its criteria. The criteria are a short list
    // in the competency's row rather than a table of their own: a page of
    // the seed has 115 of them, and 10,000 pages must stay small to write.
    let _ = write!(
        out,
        "<h3>{}</h3>\n<table class=\"competencies\">\n<caption>{} {}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        Word::Competencies.text(lang),
        Word::CompetenciesOfBlock.text(lang),
        html(&b.id),
        Word::Competency.text(lang),
        Word::Outcome.text(lang),
        Word::ReasonAndWhatIsMissing.text(lang),
        lang.t("Criteria: outcome and grade", "Critères\u{202f}: résultat et note"),
    );
    for k in b
        .competencies
        .iter()
        .filter_map(|k| cx.lookup.competency(k))
    {
        let o = outcome_of(cx, outcomes, &k.id);
        out.push_str("<tr><th scope=\"row\">");
        push_html(out, &k.id);
        out.push(' ');
        push_html(out, &k.title);
        out.push_str("</th><td>");
        out.push_str(&badge(cx, &k.id, o));
        out.push_str("</td><td>");
        push_html(out, &cx.plan.reason(&k.id, c.grades, outcomes));
        if o == Outcome::Pending {
            let m = missing(cx, c, outcomes, &k.id);
            if !m.is_empty() {
                out.push_str("<br>");
                push_html(out, &m);
            }
        }
        out.push_str("</td><td><ul class=\"k\">");
        for kid in &k.criteria {
            criterion(cx, c, outcomes, &k.criteria, kid, out);
        }
        out.push_str("</ul></td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    // Assessments and their accommodations.
    let _ = writeln!(
        out,
        "<h3>{}</h3>\n<ul>",
        Word::AssessmentsAndAccommodations.text(lang)
    );
    for a in b.assessments.iter().filter_map(|a| cx.lookup.assessment(a)) {
        let _ = write!(
            out,
            "<li><strong>{}</strong> {} ({} {})",
            html(&a.id),
            html(&a.title),
            Word::Assesses.text(lang),
            html(&lang.list(&a.covers))
        );
        if a.accommodations.is_empty() {
            let _ = write!(
                out,
                "{} {}",
                lang.colon(),
                Word::NoAccommodationStated.text(lang)
            );
        } else {
            out.push_str("<ul>");
            for x in &a.accommodations {
                let _ = write!(out, "<li>{}</li>", html(&accommodation(lang, x)));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}

/// "CE2 non acquis, noté en_cours": the criterion's local id (unless two
/// criteria of the competency share it), its outcome and its grade.
fn criterion(
    cx: &Context<'_, '_>,
    c: &Candidate<'_>,
    outcomes: &Outcomes,
    siblings: &[String],
    kid: &str,
    out: &mut String,
) {
    let Some(k) = cx.lookup.criterion(kid) else {
        return;
    };
    let unique = siblings
        .iter()
        .filter_map(|s| cx.lookup.criterion(s))
        .filter(|s| s.local_id == k.local_id)
        .count()
        == 1;
    out.push_str("<li>");
    push_html(out, if unique { &k.local_id } else { kid });
    out.push(' ');
    out.push_str(&badge(cx, kid, outcome_of(cx, outcomes, kid)));
    out.push(' ');
    push_html(out, &grade_words(cx, c, kid));
    out.push_str("</li>");
}

/// A criterion's grade in words: "noté en_cours", "graded 12", "pas
/// encore noté", or what an absence counts as.
pub fn grade_words(cx: &Context<'_, '_>, c: &Candidate<'_>, kid: &str) -> String {
    let lang = cx.lang;
    let index = cx.plan.criterion_index(kid);
    let grade = index.and_then(|i| c.grades.position(i));
    let absent = index.filter(|&i| c.grades.is_absent(i));
    match (absent, grade) {
        (Some(i), _) => cx.plan.absent_words(i),
        (None, None) => lang.t("not graded yet", "pas encore noté").to_string(),
        (None, Some(position)) => {
            let levels = cx
                .lookup
                .criterion(kid)
                .and_then(|k| cx.lookup.scale(&k.scale))
                .and_then(|s| match &s.kind {
                    ScaleKindIr::Levels { levels } => Some(levels),
                    ScaleKindIr::Range { .. } => None,
                });
            let grade = match levels.and_then(|l| l.get(position as usize)) {
                Some(level) => level.clone(),
                None => lang.number(position),
            };
            format!("{}{grade}", lang.t("graded ", "noté "))
        }
    }
}

fn problems(cx: &Context<'_, '_>, c: &Candidate<'_>, out: &mut String) {
    let lang = cx.lang;
    let _ = write!(
        out,
        "<section aria-labelledby=\"problems\">\n<h2 id=\"problems\">{}</h2>\n<p>{}</p>\n<ul>\n",
        Word::ProblemsInTheGrades.text(lang),
        lang.t(
            "This candidate's grades have problems: no outcome is given until they are corrected.",
            "Les notes de ce candidat contiennent des erreurs\u{202f}: aucun résultat n'est donné avant leur correction."
        )
    );
    // The grades reader's messages, in the page's language.
    for (line, message) in &c.problems {
        let _ = writeln!(
            out,
            "<li>{} {line}{} {}</li>",
            Word::Line.text(lang),
            lang.colon(),
            html(&message.render(acquis_eval::explain::diagnostics_lang(lang)))
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn metadata(cx: &Context<'_, '_>, c: &Candidate<'_>, out: &mut String) {
    let lang = cx.lang;
    let _ = write!(
        out,
        "<section aria-labelledby=\"metadata\">\n<h2 id=\"metadata\">{}</h2>\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        Word::PersonalData.text(lang),
        lang.t(
            "Other columns of the grades file (shown with --include-metadata; in a long CSV, every distinct value of the candidate's rows, separated by semicolons)",
            "Autres colonnes du fichier de notes (affichées avec --include-metadata\u{202f}; dans un CSV long, chaque valeur distincte des lignes du candidat, séparées par des points-virgules)"
        ),
        Word::Column.text(lang),
        Word::Value.text(lang),
    );
    for (k, v) in c.metadata {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            html(k),
            html(v)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
