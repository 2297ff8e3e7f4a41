//! `acquis explain --format html`: one candidate's decision for a jury as
//! an accessible page: the decision first, then what decided it as nested
//! lists (each entity with its outcome in words and its reason).

use crate::report::words::Word;
use std::fmt::Write as _;

use acquis_eval::explain::{Explained, Explanation};
use acquis_eval::Plan;

use crate::doc::page;
use crate::doc::text::{html, push_html};

use super::class;

/// The page of an explanation, self-contained (no script, font or link
/// to fetch), in the referential's language.
pub fn explanation_page(plan: &Plan<'_>, e: &Explanation) -> String {
    let lang = plan.lang();
    let ir = plan.ir();
    let who = format!("{} {}", Word::Candidate.text(lang), e.candidate);
    let mut out = String::with_capacity(16 * 1024);
    let banner = format!(
        "{} {} — {}",
        Word::Referential.text(lang),
        ir.referential.id,
        lang.t("explanation for the jury", "explication pour le jury")
    );
    page::open(
        &mut out,
        lang,
        &format!("{who} — {}", ir.referential.title),
        &banner,
        &[],
    );
    out.push_str("<h1>");
    push_html(&mut out, &who);
    out.push_str("</h1>\n<p>");
    push_html(&mut out, &ir.referential.title);
    out.push_str("</p>\n");
    match &e.decision {
        Ok(root) => {
            let _ = write!(
                out,
                "<section aria-labelledby=\"decision\">\n<h2 id=\"decision\">{}</h2>\n<p>{}{} <span class=\"o {}\">{}</span></p>\n<p>{}</p>\n</section>\n",
                lang.t("Decision", "Décision"),
                html(root.kind),
                lang.t(":", " :"),
                class(root.outcome),
                html(&root.words),
                html(&capitalized(&root.reason)),
            );
            if !root.because.is_empty() {
                let _ = write!(
                    out,
                    "<section aria-labelledby=\"why\">\n<h2 id=\"why\">{}</h2>\n",
                    lang.t("What decided it", "Ce qui a décidé")
                );
                list(&root.because, lang, &mut out);
                out.push_str("</section>\n");
            }
        }
        Err(problems) => {
            let _ = write!(
                out,
                "<section aria-labelledby=\"problems\">\n<h2 id=\"problems\">{}</h2>\n<p>{}</p>\n<ul>\n",
                lang.t("Not evaluated", "Non évalué"),
                lang.t(
                    "The candidate's grades have problems; correct them in the grades file:",
                    "Les notes du candidat comportent des erreurs ; corrigez-les dans le fichier de notes :"
                ),
            );
            for (line, message) in problems {
                let _ = writeln!(
                    out,
                    "<li>{} {line}{} {}</li>",
                    lang.t("Line", "Ligne"),
                    lang.t(":", " :"),
                    html(message)
                );
            }
            out.push_str("</ul>\n</section>\n");
        }
    }
    page::close(
        &mut out,
        lang.t(
            "Explanation computed by Acquis from the referential's rules.",
            "Explication calculée par Acquis selon les règles du référentiel.",
        ),
    );
    out
}

/// Entities as a list, each with what decided it nested below.
fn list(nodes: &[Explained], lang: acquis_ir::Lang, out: &mut String) {
    out.push_str("<ul>\n");
    for n in nodes {
        let _ = write!(
            out,
            "<li><p><strong>{} {}{}</strong> <span class=\"o {}\">{}</span></p><p>{}</p><p>{}</p>",
            html(n.kind),
            html(&n.id),
            lang.t(":", " :"),
            class(n.outcome),
            html(&n.words),
            html(&n.title),
            html(&capitalized(&n.reason)),
        );
        if !n.because.is_empty() {
            list(&n.because, lang, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The reason as a sentence of its own: its first letter capitalised.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
