//! Escaping for the two output languages (the small words that change with
//! the referential's language are `acquis_ir::describe::Lang`).

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
///
/// `&` is escaped too, so that `&amp;` in a title reads `&amp;` as in the
/// HTML document, not `&`. A text that would start a list (`- `, `+ `,
/// `1. `, `1) `) or a heading underline (`=`) when it begins a line gets
/// its marker escaped; inside the text a line never begins (line breaks
/// are `<br>`), so only the start needs it.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    // The byte index of a character that would start a block at the
    // start of the text (digits are one byte each).
    // A list marker counts only when a space (or the end) follows it.
    let spaced = |at: usize| matches!(text.as_bytes().get(at + 1), None | Some(b' ' | b'\t'));
    let marker = match text.chars().next() {
        Some('-' | '+') if spaced(0) => Some(0),
        Some('=') if text.chars().all(|c| c == '=') => Some(0),
        Some(_)
            if digits > 0
                && matches!(text.as_bytes().get(digits), Some(b'.' | b')'))
                && spaced(digits) =>
        {
            Some(digits)
        }
        _ => None,
    };
    for (i, c) in text.char_indices() {
        if Some(i) == marker {
            out.push('\\');
            out.push(c);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
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

/// French typography: a narrow no-break space (U+202F) before `:`, `;`,
/// `!` and `?`, so the sign never starts a line. Applied to the finished
/// French page (generated words and the referential's own text alike),
/// replacing only an ordinary space already there: "10:30" or a URL keep
/// their colon as written.
pub fn french_spacing(text: &str) -> String {
    // Bytes, not chars: the four signs and the space are ASCII, so a match
    // always sits on char boundaries, and a 30 kB page is scanned at memory
    // speed (this runs on every page of a 10,000-candidate report).
    let mut out = String::with_capacity(text.len() + 64);
    let mut copied = 0;
    for (i, pair) in text.as_bytes().windows(2).enumerate() {
        if let [b' ', b':' | b';' | b'!' | b'?'] = pair {
            out.push_str(text.get(copied..i).unwrap_or_default());
            out.push('\u{202f}');
            copied = i + 1;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
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
    fn markdown_escapes_entities_and_block_starts() {
        assert_eq!(markdown("&amp; &lt;b&gt;"), r"\&amp; \&lt;b\&gt;");
        assert_eq!(markdown("- looks like a list"), r"\- looks like a list");
        assert_eq!(markdown("12. not a list"), r"12\. not a list");
        assert_eq!(markdown("3) nor this"), r"3\) nor this");
        assert_eq!(markdown("a - b 1. c"), "a - b 1. c");
        assert_eq!(markdown("2025.1 -5"), "2025.1 -5");
    }

    #[test]
    fn french_spacing_before_high_punctuation() {
        assert_eq!(
            french_spacing("Nota : oui ; non ! quoi ? 10:30 http://x"),
            "Nota\u{202f}: oui\u{202f}; non\u{202f}! quoi\u{202f}? 10:30 http://x"
        );
        assert_eq!(
            french_spacing("« é » : là ; 🎓 ?"),
            "« é »\u{202f}: là\u{202f}; 🎓\u{202f}?"
        );
        assert_eq!(french_spacing(" :"), "\u{202f}:");
        assert_eq!(french_spacing(""), "");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("  un\n  deux\n\n  trois\n"),
            vec!["un deux".to_string(), "trois".to_string()]
        );
    }
}
