//! Escaping for the two output languages, and the small words that change
//! with the referential's language.

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

/// English or French, chosen once per document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lang {
    pub fr: bool,
}

impl Lang {
    pub fn of(ir: &acquis_compiler::ir::Ir) -> Self {
        Lang {
            fr: ir.referential.lang == "fr",
        }
    }

    pub fn t(self, en: &'static str, fr: &'static str) -> &'static str {
        if self.fr {
            fr
        } else {
            en
        }
    }

    /// The `lang` attribute of the pages.
    pub fn code(self) -> &'static str {
        self.t("en", "fr")
    }

    /// "A, B and C" / "A, B et C".
    pub fn list(self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.t("and", "et")),
        }
    }

    /// A number as people of the language write it: `5,5` in French.
    pub fn number(self, n: f64) -> String {
        let text = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{}", (n * 1000.0).round() / 1000.0)
        };
        if self.fr {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// French puts a space before a colon.
    pub fn colon(self) -> &'static str {
        self.t(":", " :")
    }
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

    #[test]
    fn numbers_follow_the_language() {
        let fr = Lang { fr: true };
        let en = Lang { fr: false };
        assert_eq!(fr.number(5.5), "5,5");
        assert_eq!(en.number(5.5), "5.5");
        assert_eq!(fr.number(20.0), "20");
        assert_eq!(en.list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }
}
