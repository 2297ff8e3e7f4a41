//! Hand-written HTML (the RNCP export's `LISTE_COMPETENCES` and
//! `MODALITES_EVALUATION`) to lines of plain text: one line per paragraph,
//! line break or list item, bullets and list numbers removed, entities
//! decoded. Tolerant by design: unclosed tags, stray `<`, double-escaped
//! markup and plain text with newlines all give sensible lines.

/// Tags that end a line of text.
const BREAKS: &[&str] = &[
    "p",
    "br",
    "li",
    "div",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "dd",
    "dt",
    "blockquote",
    "section",
    "hr",
];

/// Bullet characters that open a list item written by hand.
const BULLETS: &[char] = &[
    '•', '·', '-', '–', '—', '*', '▪', '■', '●', '◦', '○', '►', '▶', '➢', '✓', '\u{f0b7}',
    '\u{f0a7}', '>',
];

/// Word's symbol-font bullets as they arrive without their font (Symbol,
/// Wingdings): a bullet only at the start of a line and before a space.
const WORD_BULLETS: &[char] = &['§', 'Ø', 'ü', '·', 'o', 'v', 'Ÿ', 'è'];

/// Elements whose content is not text: Word pastes its XML settings and
/// style sheets along with the text.
const HIDDEN: &[&str] = &["style", "script", "xml"];

pub fn lines(html: &str) -> Vec<String> {
    // Markup escaped twice arrives as `&lt;p&gt;` after XML decoding.
    let decoded_first;
    let html = if !html.contains('<') && html.contains("&lt;") {
        decoded_first = decode_entities(html);
        decoded_first.as_str()
    } else {
        html
    };
    let visible = without_hidden(html);
    let html = visible.as_str();
    let has_markup = BREAKS.iter().any(|t| contains_tag(html, t));
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    // In HTML a newline in the source is a space; in plain text, a line.
    let push = |text: &mut String, raw: &str| {
        if has_markup {
            text.extend(
                raw.chars()
                    .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
            );
        } else {
            text.push_str(raw);
        }
    };
    while let Some(start) = rest.find('<') {
        push(&mut text, &rest[..start]);
        let after = &rest[start + 1..];
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        // `<![if !supportLists]>`, `<!DOCTYPE …>`: markup, not text.
        let declaration = after.starts_with('!');
        match (name.is_empty() && !declaration, after.find('>')) {
            (false, Some(end)) => {
                if BREAKS.contains(&name.as_str()) {
                    text.push('\n');
                } else {
                    // Inline tags (<strong>, <span>) separate words at most.
                    text.push('\u{200b}');
                }
                rest = &after[end + 1..];
            }
            _ => {
                // Not a tag: a literal `<` ("< 10 %").
                text.push('<');
                rest = after;
            }
        }
    }
    push(&mut text, rest);
    let mut text = decode_entities(&text).replace('\u{200b}', "");
    // France Compétences' 4.1 export writes lists as plain text on one
    // line, each line break turned into a run of spaces: `Maquetter des
    // interfaces  Réaliser des interfaces`. Without markup or newlines, two
    // spaces or more end a line.
    if !has_markup && !text.contains(['\n', '\r']) && text.contains("  ") {
        text = space_runs_as_lines(&text);
    }
    let mut out = Vec::new();
    for raw in text.split(['\n', '\r']) {
        for item in raw.split('•') {
            let line = clean(item);
            if !line.is_empty() {
                out.push(line);
            }
        }
    }
    out
}

/// Each run of two spaces or more (tabs, no-break spaces) as a newline.
fn space_runs_as_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blanks = String::new();
    for c in text.chars() {
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            blanks.push(c);
            continue;
        }
        match blanks.chars().count() {
            0 => {}
            1 => out.push_str(&blanks),
            _ => out.push('\n'),
        }
        blanks.clear();
        out.push(c);
    }
    out
}

/// `html` without comments (Word's conditional comments
/// `<!--[if gte mso 9]>…<![endif]-->` included) and without the content of
/// [`HIDDEN`] elements. An unclosed one runs to the end.
fn without_hidden(html: &str) -> String {
    // ASCII lowercasing keeps byte offsets: positions found in `lower` are
    // positions in `html`.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while at < html.len() {
        let Some(found) = next_hidden(&lower, at) else {
            break;
        };
        let (start, end) = found;
        out.push_str(html.get(at..start).unwrap_or_default());
        // Keeps the line apart from what follows.
        out.push(' ');
        at = end;
    }
    out.push_str(html.get(at..).unwrap_or_default());
    out
}

/// The next comment or hidden element from `from`: its start and end.
fn next_hidden(lower: &str, from: usize) -> Option<(usize, usize)> {
    let rest = lower.get(from..)?;
    let mut best: Option<(usize, usize)> = None;
    if let Some(i) = rest.find("<!--") {
        let start = from + i;
        let end = lower
            .get(start + 4..)
            .and_then(|r| r.find("-->"))
            .map_or(lower.len(), |j| start + 4 + j + 3);
        best = Some((start, end));
    }
    for tag in HIDDEN {
        let mut search = from;
        while let Some(i) = lower.get(search..).and_then(|r| r.find(&format!("<{tag}"))) {
            let start = search + i;
            let after = lower.as_bytes().get(start + 1 + tag.len()).copied();
            // `<xml>` or `<style type=…>`, not `<xmlns…>` or `<styles>`.
            if !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
                search = start + 1;
                continue;
            }
            if best.is_some_and(|(s, _)| s < start) {
                break;
            }
            let close = format!("</{tag}");
            let end = lower
                .get(start..)
                .and_then(|r| r.find(&close))
                .and_then(|j| {
                    lower
                        .get(start + j..)
                        .and_then(|r| r.find('>'))
                        .map(|k| start + j + k + 1)
                })
                .unwrap_or(lower.len());
            best = Some((start, end));
            break;
        }
    }
    best
}

fn contains_tag(html: &str, tag: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    [
        format!("<{tag}>"),
        format!("<{tag} "),
        format!("<{tag}/"),
        format!("</{tag}>"),
    ]
    .iter()
    .any(|p| lower.contains(p.as_str()))
}

/// Whitespace collapsed, bullets and list numbers removed.
fn clean(line: &str) -> String {
    let collapsed = line
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut s = collapsed.as_str();
    loop {
        let before = s;
        s = s.trim_start_matches(BULLETS).trim_start();
        // `§ `, `Ø `, `ü `: a Word bullet whose symbol font was lost.
        let mut chars = s.chars();
        if chars.next().is_some_and(|c| WORD_BULLETS.contains(&c)) && chars.next() == Some(' ') {
            s = chars.as_str();
        }
        // "o " and "1. ", "2) ", "3 : ", "a) ": list markers typed by hand.
        if let Some(rest) = s.strip_prefix("o ") {
            s = rest;
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        let letter =
            usize::from(digits == 0 && s.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
        let marker = digits.max(letter);
        if marker > 0 && marker <= 2 {
            let tail = &s[marker..];
            let colon = || {
                (digits > 0)
                    .then(|| tail.strip_prefix(" : ").or_else(|| tail.strip_prefix(": ")))
                    .flatten()
            };
            if let Some(rest) = tail
                .strip_prefix(". ")
                .or_else(|| tail.strip_prefix(") "))
                .or_else(colon)
            {
                s = rest;
            }
        }
        if s == before {
            break;
        }
    }
    s.trim().to_string()
}

/// Decodes `&amp;`, `&#233;`, `&#xE9;` and the named entities French text
/// uses; an unknown entity is left as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(code) = name.strip_prefix('#') {
        let value = match code.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => code.parse().ok()?,
        };
        return char::from_u32(value);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "rsquo" | "lsquo" => '\'',
        "nbsp" => ' ',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "agrave" => 'à',
        "acirc" => 'â',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "oelig" => 'œ',
        "Eacute" => 'É',
        "Egrave" => 'È',
        "Ecirc" => 'Ê',
        "Agrave" => 'À',
        "Acirc" => 'Â',
        "Ccedil" => 'Ç',
        "Ocirc" => 'Ô',
        "OElig" => 'Œ',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "euro" => '€',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 4.1 export's plain text: runs of two spaces or more are line
    /// breaks, one space is a space; text with newlines or markup keeps
    /// its own breaks.
    #[test]
    fn runs_of_spaces_are_line_breaks_in_plain_text_on_one_line() {
        assert_eq!(
            lines("Maquetter des interfaces  Réaliser des interfaces   - Tester  o sous-point"),
            [
                "Maquetter des interfaces",
                "Réaliser des interfaces",
                "Tester",
                "sous-point"
            ]
        );
        assert_eq!(
            lines("Une ligne  et deux\nune autre"),
            ["Une ligne et deux", "une autre"]
        );
        assert_eq!(lines("<p>Un  paragraphe</p>"), ["Un paragraphe"]);
    }

    #[test]
    fn paragraphs_breaks_and_bullets_become_lines() {
        let html = "<p>C1.1 Analyser&nbsp;les besoins</p><p>- Concevoir<br/>• Coder &amp; tester</p><ul><li>2) Déployer</li></ul>";
        assert_eq!(
            lines(html),
            [
                "C1.1 Analyser les besoins",
                "Concevoir",
                "Coder & tester",
                "Déployer"
            ]
        );
        // Numbers as RS6547 writes them; a year is not a list number.
        assert_eq!(
            lines("<p>3 : Animer</p><p>4: Organiser</p><p>2024 : réforme</p>"),
            ["Animer", "Organiser", "2024 : réforme"]
        );
    }

    #[test]
    fn plain_text_lines_and_stray_brackets_survive() {
        assert_eq!(
            lines("Note < 10 : rattrapage\n\no Oral de 20 min"),
            ["Note < 10 : rattrapage", "Oral de 20 min"]
        );
    }

    #[test]
    fn double_escaped_markup_is_read_as_markup() {
        assert_eq!(
            lines("&lt;p&gt;R&amp;eacute;diger&lt;/p&gt;&lt;p&gt;Pr&#233;senter&lt;/p&gt;"),
            ["Rédiger", "Présenter"]
        );
    }

    #[test]
    fn word_comments_styles_and_symbol_bullets_are_dropped() {
        let html = "<!--[if gte mso 9]><xml><w:WordDocument><w:Zoom>0</w:Zoom></w:WordDocument></xml><![endif]-->\
            <style>p.MsoNormal {margin:0cm}</style><script>alert(1)</script>\
            <p><![if !supportLists]><span style=\"font-family:Symbol\">·<span>&nbsp;&nbsp; </span></span><![endif]>C1.1 Analyser</p>\
            <p><span style=\"font-family:Wingdings\">§<span>&nbsp; </span></span>C1.2 Concevoir</p>\
            <p>Ø Tester</p><p>ü Déployer</p><p><o:p>&nbsp;</o:p></p><!-- note -->";
        assert_eq!(
            lines(html),
            ["C1.1 Analyser", "C1.2 Concevoir", "Tester", "Déployer"]
        );
    }

    #[test]
    fn unknown_entities_and_unclosed_tags_are_kept_as_text() {
        assert_eq!(lines("<p>A &foo; B<p>C <b"), ["A &foo; B", "C <b"]);
    }
}
