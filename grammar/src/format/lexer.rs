//! A lossless lexer for the formatter. The pest grammar drops comments
//! (`COMMENT` is silent), so the formatter reads the text itself: every
//! token, comment and doc comment, with the line breaks before it. The
//! layout reprints tokens verbatim and only decides the whitespace between
//! them, so a token boundary must never fall inside one of the grammar's
//! atomic tokens (words with dots, qualified ids, numbers, fractions,
//! strings).

use pest::unicode::{XID_CONTINUE, XID_START};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An identifier or keyword, `C1.3`, `C1.3/CE2`, `très_bien`.
    Word,
    /// `12`, `-0.5`, or a fraction `1/3`.
    Number,
    /// `"..."`
    Str,
    /// `"""..."""`
    LongStr,
    /// `{`, `>=`, `::`, ... (any other character is one punctuation token).
    Punct,
    /// `// ...` to the end of the line.
    Comment,
    /// `/// ...` to the end of the line.
    Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// Line breaks in the blanks between the previous token and this one.
    pub newlines_before: usize,
}

impl Token {
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }

    pub fn is_trivia(self) -> bool {
        matches!(self.kind, Kind::Comment | Kind::Doc)
    }
}

/// Splits `source` into tokens. Never fails: a character the grammar does
/// not know is a one-character punctuation token.
pub(crate) fn lex(source: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        source,
        at: 0,
        tokens: Vec::new(),
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'s> {
    source: &'s str,
    at: usize,
    tokens: Vec<Token>,
}

/// Multi-character operators, longest first where they share a prefix.
const OPERATORS: [&str; 5] = [">=", "<=", "!=", "::", ".."];

impl Lexer<'_> {
    fn rest(&self) -> &str {
        self.source.get(self.at..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn run(&mut self) {
        loop {
            let newlines = self.skip_blanks();
            let start = self.at;
            let Some(c) = self.peek() else { break };
            let kind = self.token(c);
            if self.at == start {
                // Never loop forever: take the character as punctuation.
                self.at += c.len_utf8();
            }
            self.tokens.push(Token {
                kind,
                start,
                end: self.at,
                newlines_before: newlines,
            });
        }
    }

    /// Skips white space (Unicode White_Space and the BOM, as the grammar
    /// does) and counts line breaks: `\n`, `\r\n` and a lone `\r`.
    fn skip_blanks(&mut self) -> usize {
        let mut newlines = 0;
        while let Some(c) = self.peek() {
            if !(c.is_whitespace() || c == '\u{FEFF}') {
                break;
            }
            if c == '\n' || (c == '\r' && self.peek_second() != Some('\n')) {
                newlines += 1;
            }
            self.at += c.len_utf8();
        }
        newlines
    }

    fn token(&mut self, c: char) -> Kind {
        let rest = self.rest();
        if rest.starts_with("///") && !rest.starts_with("////") {
            self.skip_to_line_end();
            Kind::Doc
        } else if rest.starts_with("//") {
            self.skip_to_line_end();
            Kind::Comment
        } else if rest.starts_with("\"\"\"") {
            self.long_string();
            Kind::LongStr
        } else if c == '"' {
            self.string();
            Kind::Str
        } else if c.is_ascii_digit()
            || (c == '-' && self.peek_second().is_some_and(|d| d.is_ascii_digit()))
        {
            self.number();
            Kind::Number
        } else if XID_START(c) || c == '_' {
            self.qualified();
            Kind::Word
        } else {
            let len = OPERATORS
                .iter()
                .find(|op| rest.starts_with(*op))
                .map_or(c.len_utf8(), |op| op.len());
            self.at += len;
            Kind::Punct
        }
    }

    fn skip_to_line_end(&mut self) {
        let rest = self.rest();
        self.at += rest.find(['\n', '\r']).unwrap_or(rest.len());
    }

    fn long_string(&mut self) {
        let body = self.rest().get(3..).unwrap_or("");
        self.at += 3 + body.find("\"\"\"").map_or(body.len(), |end| end + 3);
    }

    /// A string ends at its closing quote, or (unterminated) at the line end.
    fn string(&mut self) {
        self.at += 1;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if c == '\n' || c == '\r' {
                return;
            }
            self.at += c.len_utf8();
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return,
                _ => {}
            }
        }
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// `-`? digits (`.` digits)?, then `/` digits for a fraction (`1/3`).
    fn number(&mut self) {
        if self.peek() == Some('-') {
            self.at += 1;
        }
        self.digits();
        if self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
            self.digits();
        }
        if self.peek() == Some('/') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
            self.digits();
        }
    }

    /// A word, then `/` and a second word for a qualified id (`C1.3/CE2`).
    fn qualified(&mut self) {
        self.word();
        if self.peek() == Some('/') && self.peek_second().is_some_and(|c| XID_START(c) || c == '_')
        {
            self.at += 1;
            self.word();
        }
    }

    /// `ident_start ident_char* ("." ident_char+)*`, as in the grammar.
    fn word(&mut self) {
        if let Some(c) = self.peek() {
            self.at += c.len_utf8();
        }
        loop {
            match self.peek() {
                Some(c) if XID_CONTINUE(c) => self.at += c.len_utf8(),
                Some('.') if self.peek_second().is_some_and(XID_CONTINUE) => self.at += 1,
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(Kind, &str, usize)> {
        lex(source)
            .into_iter()
            .map(|t| (t.kind, t.text(source), t.newlines_before))
            .collect()
    }

    #[test]
    fn atomic_tokens_stay_whole() {
        let got = kinds("C1.3/CE2 1/3 -0.5 std::rules::* 0..20 >= \"a \\\" b\"");
        let texts: Vec<&str> = got.iter().map(|(_, t, _)| *t).collect();
        assert_eq!(
            texts,
            [
                "C1.3/CE2",
                "1/3",
                "-0.5",
                "std",
                "::",
                "rules",
                "::",
                "*",
                "0",
                "..",
                "20",
                ">=",
                "\"a \\\" b\""
            ]
        );
    }

    #[test]
    fn comments_docs_and_line_breaks() {
        let got = kinds("/// doc\r\n// note\n\n\tlevel 7 // end\r////x");
        assert_eq!(
            got,
            [
                (Kind::Doc, "/// doc", 0),
                (Kind::Comment, "// note", 1),
                (Kind::Word, "level", 2),
                (Kind::Number, "7", 0),
                (Kind::Comment, "// end", 0),
                (Kind::Comment, "////x", 1),
            ]
        );
    }

    #[test]
    fn long_strings_keep_their_lines_and_accents() {
        let source = "\u{FEFF}summary \"\"\"\n  Éte 🎓 \"q\"\n\"\"\" très_bien";
        let got = kinds(source);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], (Kind::LongStr, "\"\"\"\n  Éte 🎓 \"q\"\n\"\"\"", 0));
        assert_eq!(got[2], (Kind::Word, "très_bien", 0));
    }

    #[test]
    fn unterminated_and_unknown_input_never_loops() {
        for source in ["\"abc", "\"\"\"abc", "@ # $", "-", "a.", "//", "\u{301}x"] {
            let tokens = lex(source);
            let total: usize = tokens.iter().map(|t| t.end - t.start).sum();
            assert!(total <= source.len(), "{source:?}");
            assert!(!tokens.is_empty(), "{source:?}");
        }
    }
}
