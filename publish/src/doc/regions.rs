//! Wide tables scroll inside their own region, never the page (WCAG 1.4.10
//! reflow at 320 CSS pixels): each table is wrapped in a focusable region
//! named by the table's caption, so keyboard users can scroll it and
//! screen readers announce what it holds. The table itself keeps its
//! semantics (no display or role change). Done once on the finished page,
//! so every table of every page gets it.

/// Wraps every `<table …>…</table>` of `page` in
/// `<div class="scroll" role="region" tabindex="0" aria-labelledby="…">`,
/// giving the table's caption the id the region points to. Tables are
/// never nested in the pages Acquis writes.
pub fn wrap_tables(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 1024);
    let mut rest = page;
    let mut n = 0;
    while let Some(start) = rest.find("<table") {
        let (before, from_table) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = from_table.find("</table>") else {
            out.push_str(from_table);
            return out;
        };
        let (table, after) = from_table.split_at(end + "</table>".len());
        n += 1;
        let id = format!("tcap{n}");
        if table.contains("<caption>") {
            out.push_str(&format!(
                "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}\">"
            ));
            out.push_str(&table.replacen("<caption>", &format!("<caption id=\"{id}\">"), 1));
            out.push_str("</div>");
        } else {
            // A table without a caption has no name for its region: left
            // as it is (Acquis writes none).
            out.push_str(table);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_wrapped_in_named_regions() {
        let page = "<p>a</p><table class=\"x\">\n<caption>Blocs</caption><tr><td>1</td></tr></table><table><caption>B</caption></table>";
        assert_eq!(
            wrap_tables(page),
            "<p>a</p><div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"tcap1\"><table class=\"x\">\n<caption id=\"tcap1\">Blocs</caption><tr><td>1</td></tr></table></div><div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"tcap2\"><table><caption id=\"tcap2\">B</caption></table></div>"
        );
    }
}
