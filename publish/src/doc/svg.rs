//! The structure picture: blocks → competencies → assessments, as inline
//! SVG. Only ids are drawn (titles are long); the list that follows the
//! picture in the document is its full text alternative.

use std::fmt::Write as _;

use super::model::Document;
use super::text::html;
use acquis_ir::describe::Lang;

const ROW: f64 = 30.0;
const BOX: f64 = 22.0;
const TOP: f64 = 40.0;
const GAP: f64 = 16.0;
/// 304 units: the width a page has at 320 CSS pixels, so the picture is
/// drawn at its own size there and its 13-unit text stays 13 px (at 420
/// units it shrank to 9 px).
const WIDTH: f64 = 304.0;
/// Left edge and width of the three columns.
const BLOCKS: (f64, f64) = (2.0, 64.0);
const COMPETENCIES: (f64, f64) = (98.0, 96.0);
const ASSESSMENTS: (f64, f64) = (226.0, 76.0);

/// The picture, labelled by a `<title>` and `<desc>` whose ids start with
/// `id` (unique in the page).
pub fn structure(doc: &Document<'_>, id: &str) -> String {
    let lang = doc.lang;
    let ir = doc.lookup.ir;
    let mut body = String::new();
    let mut y = TOP;
    for b in &doc.blocks {
        let competencies = &b.block.competencies;
        let n = competencies.len().max(1) as f64;
        let centre = |cid: &str| {
            competencies
                .iter()
                .position(|c| c == cid)
                .map(|i| y + i as f64 * ROW + ROW / 2.0)
        };
        for (i, cid) in competencies.iter().enumerate() {
            let cy = y + i as f64 * ROW + ROW / 2.0;
            line(
                &mut body,
                BLOCKS.0 + BLOCKS.1,
                y + n * ROW / 2.0,
                COMPETENCIES.0,
                cy,
            );
            rect(&mut body, COMPETENCIES, cy, BOX, "c", cid);
        }
        for g in &b.groups {
            let Some(a) = g.assessment else { continue };
            let ys: Vec<f64> = g
                .rows
                .iter()
                .filter_map(|r| centre(&r.competency.id))
                .collect();
            let ay = ys.iter().sum::<f64>() / ys.len().max(1) as f64;
            for cy in &ys {
                line(
                    &mut body,
                    COMPETENCIES.0 + COMPETENCIES.1,
                    *cy,
                    ASSESSMENTS.0,
                    ay,
                );
            }
            rect(&mut body, ASSESSMENTS, ay, BOX, "a", &a.id);
        }
        rect(
            &mut body,
            BLOCKS,
            y + n * ROW / 2.0,
            n * ROW - 8.0,
            "b",
            &b.block.id,
        );
        y += n * ROW + GAP;
    }
    let height = y + 4.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"structure\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
<style>.b{{fill:#e3ebf6;stroke:#1f4e8c}}.c{{fill:#fff;stroke:#4d4d4d}}.a{{fill:#fbeee0;stroke:#8a4b08}}text{{font:13px system-ui,sans-serif;fill:#1a1a1a}}line{{stroke:#6b6b6b}}.h{{font-weight:bold}}</style>",
        html(&title(lang)),
        html(&description(lang, ir.blocks.len(), ir.competencies.len(), ir.assessments.len())),
    );
    for (x, label) in [
        (BLOCKS, lang.t("Blocks", "Blocs")),
        (COMPETENCIES, lang.t("Competencies", "Compétences")),
        (ASSESSMENTS, lang.t("Assessments", "Épreuves")),
    ] {
        let _ = write!(
            out,
            "<text class=\"h\" x=\"{}\" y=\"22\" text-anchor=\"middle\">{}</text>",
            x.0 + x.1 / 2.0,
            html(label)
        );
    }
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

pub fn title(lang: Lang) -> String {
    lang.t(
        "Structure of the referential: blocks, competencies and assessments",
        "Structure du référentiel\u{202f}: blocs, compétences et épreuves",
    )
    .to_string()
}

fn description(lang: Lang, blocks: usize, competencies: usize, assessments: usize) -> String {
    if lang.fr {
        format!("{blocks} blocs, {competencies} compétences, {assessments} épreuves. Chaque bloc est relié à ses compétences, chaque compétence aux épreuves qui l'évaluent. La liste qui suit le schéma donne le même contenu en texte.")
    } else {
        format!("{blocks} blocks, {competencies} competencies, {assessments} assessments. Each block is linked to its competencies, each competency to the assessments that evaluate it. The list after the picture gives the same content as text.")
    }
}

fn line(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    let _ = write!(
        out,
        "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"/>"
    );
}

fn rect(out: &mut String, (x, w): (f64, f64), cy: f64, h: f64, class: &str, label: &str) {
    let _ = write!(
        out,
        "<rect class=\"{class}\" x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{h}\" rx=\"4\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        cy - h / 2.0,
        x + w / 2.0,
        cy + 4.5,
        html(label)
    );
}
