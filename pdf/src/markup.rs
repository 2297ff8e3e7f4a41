//! Writing typst markup without letting the referential's text become
//! markup. Every text that comes from a referential or a grades file is
//! written as a typst *string literal* embedded in markup (`#"…";`), never
//! as markup: inside a string only `\` and `"` are special (escaped here),
//! so a title holding `#`, `*`, `$`, `[`, `]`, `@`, `<`, `=`, `//` or a URL
//! is printed as written. The `;` ends the embedded expression, so a `.`,
//! `(` or `[` written after it cannot continue it.

use acquis_ir::describe::Lang;
use acquis_publish::doc::text::french_spacing;

/// Typst markup being written, in the referential's language (French
/// texts get a narrow no-break space before `:`, `;`, `!` and `?`).
pub struct Markup {
    pub out: String,
    pub lang: Lang,
}

impl Markup {
    pub fn new(lang: Lang) -> Self {
        Markup {
            out: String::with_capacity(128 * 1024),
            lang,
        }
    }

    /// Markup written by Acquis itself (never text from the referential).
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Text, printed as written: `#"…";`.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.out.push('#');
        let literal = self.string(text);
        self.out.push_str(&literal);
        self.out.push(';');
        self
    }

    /// Text as a typst string literal, for the arguments of a function
    /// (`"…"`), with French spacing in a French document.
    pub fn string(&self, text: &str) -> String {
        if self.lang.fr {
            literal(&french_spacing(text))
        } else {
            literal(text)
        }
    }

    /// `[…]`: text as a content block, for the arguments of a function.
    pub fn content(&self, text: &str) -> String {
        format!("[#{};]", self.string(text))
    }

    /// A heading of `level` (1 is the document's title).
    pub fn heading(&mut self, level: usize, text: &str) -> &mut Self {
        self.raw(&"=".repeat(level)).raw(" ").text(text).raw("\n\n")
    }

    /// Opens a table in a figure, its caption above it (the caption names
    /// the table for screen readers: PDF/UA's `Caption` of the `Table`),
    /// its header row repeated on every page it spans. `columns` is the
    /// typst value of the table's `columns` (and any further arguments).
    pub fn open_table(&mut self, caption: &str, columns: &str, headers: &[&str]) -> &mut Self {
        let caption = self.content(caption);
        let headers: Vec<String> = headers.iter().map(|h| self.content(h)).collect();
        self.raw(&format!(
            "#figure(kind: table, caption: {caption}, table(columns: {columns},\ntable.header({}),\n",
            headers.join(", ")
        ))
    }

    pub fn close_table(&mut self) -> &mut Self {
        self.raw("))\n\n")
    }

    /// A cell that heads its row (`body` is typst content: `[…]`).
    pub fn row_header(&mut self, body: &str) -> &mut Self {
        self.raw(&format!("pdf.header-cell(scope: \"row\", {body}),\n"))
    }
}

/// A typst string literal holding exactly `text`.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            // Other control characters cannot be typeset: a space keeps
            // the words apart.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_only_backslash_and_quote() {
        assert_eq!(literal(r#"a\b"c"#), r#""a\\b\"c""#);
        assert_eq!(literal("#*$[]@<=//"), "\"#*$[]@<=//\"");
        assert_eq!(literal("l1\nl2\u{7}"), "\"l1\\nl2 \"");
    }

    #[test]
    fn french_text_gets_narrow_spaces() {
        let mut m = Markup::new(Lang { fr: true });
        m.text("Nota : oui");
        assert_eq!(m.out, "#\"Nota\u{202f}: oui\";");
    }
}
