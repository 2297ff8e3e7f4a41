//! Pass rates as an inline SVG bar chart. Each bar carries its figures as
//! text, so nothing is said by colour alone; the page follows every chart
//! with a table of the same figures.

use std::fmt::Write as _;

use super::Tally;
use crate::doc::text::html;
use acquis_ir::describe::Lang;

// Each row puts its label and figures on one line and the bar under them,
// in a chart 300 units wide: at 320 CSS pixels the chart is drawn at
// nearly its own size, so the 13-unit text stays above 12 px (a chart
// twice as wide shrank it to 6 px).
const ROW: f64 = 40.0;
const BAR: f64 = 300.0;
const WIDTH: f64 = 300.0;
const TOP: f64 = 4.0;

/// `id` makes the ids of the chart's title and description unique.
pub fn bars(lang: Lang, id: &str, title: &str, rows: &[(String, Tally)]) -> String {
    let height = TOP * 2.0 + rows.len() as f64 * ROW;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
<style>text{{font:13px system-ui,sans-serif;fill:#1a1a1a}}.track{{fill:#f0f0f0;stroke:#767676}}.bar{{fill:#1f4e8c}}</style>",
        html(title),
        html(lang.t(
            "One bar per row: the share of evaluated candidates who validated it. The table after the chart gives the same figures.",
            "Une barre par ligne\u{202f}: la part des candidats évalués qui l'ont validé. Le tableau qui suit le graphique donne les mêmes chiffres."
        )),
    );
    for (i, (label, tally)) in rows.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let rate = tally.rate();
        let width = (BAR - 1.0) * rate / 100.0;
        let _ = write!(
            out,
            "<text x=\"0\" y=\"{}\">{}</text><text x=\"{WIDTH}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"track\" x=\"0.5\" y=\"{}\" width=\"{}\" height=\"14\"/><rect class=\"bar\" x=\"0.5\" y=\"{}\" width=\"{width:.1}\" height=\"14\"/>",
            y + 13.0,
            html(label),
            y + 13.0,
            html(&figures(lang, tally)),
            y + 19.0,
            BAR - 1.0,
            y + 19.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// "49 / 65 (75,4 %)".
pub fn figures(lang: Lang, t: &Tally) -> String {
    format!(
        "{} / {} ({})",
        t.passed,
        t.evaluated(),
        percent(lang, t.rate())
    )
}

/// A percentage with one decimal; French puts a no-break space before `%`.
pub fn percent(lang: Lang, rate: f64) -> String {
    let n = lang.number((rate * 10.0).round() / 10.0);
    if lang.fr {
        format!("{n}\u{a0}%")
    } else {
        format!("{n}%")
    }
}
