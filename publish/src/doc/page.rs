//! The frame shared by every HTML page Acquis writes (the referential's
//! document, candidates' results, the cohort): language, landmarks, skip
//! link, one stylesheet with visible focus, reflow down to 320 CSS pixels
//! and print rules. Pages are self-contained: no script, font or link to
//! fetch.

use super::regions::wrap_tables;
use super::text::{french_spacing, push_html};
use acquis_ir::describe::Lang;

/// Colours are chosen for at least 4.5:1 against their background (the
/// lightest pair, #595959 on white, is 7:1). Words are never cut at an
/// arbitrary letter ("Se|uil", one letter per line in a narrow column): on
/// narrow screens they are hyphenated where the language allows and broken
/// only when a single word is wider than its line; a table still wider
/// than the screen scrolls inside its own focusable region (see
/// `regions`), never the page. Below 30rem the cohort's tables of figures
/// become one card per row, each figure labelled by its column (the
/// header row stays for screen readers, visually hidden): their last
/// column is never hidden behind a scroll. Print drops the navigation.
const STYLE: &str = r#"
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;background:#fff;overflow-wrap:break-word}
.skip{position:absolute;left:.5rem;top:-4rem;padding:.5rem 1rem;background:#fff;color:#0b4f9c;border:2px solid #0b4f9c;z-index:1}
.skip:focus{top:.5rem}
header,main,footer{max-width:75rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid #767676;padding-top:.75rem;padding-bottom:.75rem}
header p{margin:0}
footer{border-top:1px solid #767676;margin-top:2rem;padding-top:.75rem;padding-bottom:1.5rem;color:#595959;font-size:.9rem}
nav ul{list-style:none;padding:0;margin:.5rem 0 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
a{color:#0b4f9c}
a:hover{color:#062e5c}
:focus-visible{outline:3px solid #b04a00;outline-offset:2px}
h1{font-size:1.75rem;line-height:1.25;margin:1.25rem 0 .75rem}
h2{font-size:1.4rem;line-height:1.3;margin:2rem 0 .5rem;border-bottom:2px solid #1f4e8c}
h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
h4{font-size:1rem;margin:1rem 0 .25rem}
table{border-collapse:collapse;width:100%;margin:.75rem 0 1.25rem}
.scroll{overflow-x:auto;max-width:100%;margin:.75rem 0 1.25rem}
.scroll>table{margin:0}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #767676;padding:.35rem .5rem;vertical-align:top;text-align:left}
thead th{background:#e3ebf6}
td ul,td ol{margin:.25rem 0;padding-left:1.1rem}
.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#595959}
.o{display:inline-block;padding:0 .4rem;border:1px solid currentColor;border-radius:.25rem;font-weight:bold;white-space:nowrap}
.p{color:#0b5d1e}
.f{color:#9b1c1c}
.w{color:#6b4500}
.e{color:#9b1c1c}
figure{margin:1rem 0}
svg{max-width:100%;height:auto}
svg.structure{max-width:min(100%,32rem)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:bold}
dd{margin:0}
ul.k{margin:0;padding-left:1.1rem}
table.referential thead th:nth-child(1){width:26%}
table.referential thead th:nth-child(2){width:34%}
table.competencies thead th:nth-child(1){width:34%}
table.competencies thead th:nth-child(2){width:10%}
table.competencies thead th:nth-child(3){width:28%}
@media (max-width:48rem){
 body{-webkit-hyphens:auto;hyphens:auto}
 .o{white-space:normal}
}
@media (max-width:30rem){
 header,main,footer{padding:0 .5rem}
 th,td{padding:.25rem}
 table{font-size:.875rem}
 td ul,td ol{padding-left:.9rem}
 dl{grid-template-columns:1fr}
 h1{font-size:1.4rem}
 table.figures thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
 table.figures tr{display:block;border:1px solid #767676;margin:0 0 .5rem}
 table.figures th,table.figures td{display:block;border:0}
 table.figures td{display:flex;justify-content:space-between;gap:1rem;text-align:right}
 table.figures td::before{content:attr(data-label) / "";font-weight:bold;text-align:left}
}
@media print{
 .skip,nav{display:none}
 body{font-size:10.5pt;color:#000}
 a{color:#000;text-decoration:none}
 header,main,footer{max-width:none;padding:0}
 h2{break-after:avoid;border-color:#000}
 h3,h4,caption{break-after:avoid}
 tr,li,figure{break-inside:avoid}
 .scroll{overflow:visible}
 thead{display:table-header-group}
 thead th{background:none}
}
"#;

/// The start of a page, up to and including `<main id="main">`.
/// `nav` is a list of (href, label) links for the navigation landmark.
pub fn open(out: &mut String, lang: Lang, title: &str, banner: &str, nav: &[(String, String)]) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang.code());
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    push_html(out, title);
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    out.push_str(lang.t("Skip to content", "Aller au contenu"));
    out.push_str("</a>\n<header>\n<p>");
    push_html(out, banner);
    out.push_str("</p>\n");
    if !nav.is_empty() {
        out.push_str("<nav aria-label=\"");
        out.push_str(lang.t("Contents", "Sommaire"));
        out.push_str("\"><ul>");
        for (href, label) in nav {
            out.push_str("<li><a href=\"");
            push_html(out, href);
            out.push_str("\">");
            push_html(out, label);
            out.push_str("</a></li>");
        }
        out.push_str("</ul></nav>\n");
    }
    out.push_str("</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

/// The end of a page: closes `main`, writes the footer, and puts every
/// table in its scrolling region.
pub fn close(out: &mut String, footer: &str) {
    out.push_str("</main>\n<footer><p>");
    push_html(out, footer);
    out.push_str("</p></footer>\n</body>\n</html>\n");
    *out = wrap_tables(out);
    if out.starts_with("<!DOCTYPE html>\n<html lang=\"fr\"") {
        *out = french_spacing(out);
    }
}
