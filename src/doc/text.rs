//! Escaping for the two output languages (the small words that change with
//! the referential's language are `acquis_compiler::describe::Lang`).

/// Escapes text for HTML element content and attribute values (always
/// written between double quotes, so `'` stays as it is: French text is
/// full of apostrophes).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_html(&mut out, text);
    out
}

/// [`html`] appended to `out`, without an intermediate string: pages for
/// thousands of candidates escape a lot of text.
pub fn push_html(out: &mut String, text: &str) {
    // Runs of plain text are copied as slices: the five special characters
    // are ASCII, so a byte index after one is always a char boundary.
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or_default());
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
}

/// Escapes text for Markdown (CommonMark and GitHub tables): every ASCII
/// punctuation that can start markup is backslash-escaped, which CommonMark
/// renders as the character itself; line breaks become `<br>` so that text
/// stays inside its table cell.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Long texts (summaries, descriptions) keep their paragraphs: split on
/// blank lines, each paragraph's lines joined with single spaces.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<a href="x">O'Brien & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;O'Brien &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn markdown_escapes_table_and_emphasis_markers() {
        assert_eq!(
            markdown("a|b *c* en_cours\nd"),
            r"a\|b \*c\* en\_cours<br>d"
        );
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("  un\n  deux\n\n  trois\n"),
            vec!["un deux".to_string(), "trois".to_string()]
        );
    }
}
