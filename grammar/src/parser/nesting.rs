//! A bound on nesting, and braces that are never closed, dealt with before
//! pest reads the text.
//!
//! pest's generated parser recurses once (through several calls) for each
//! `(` of a rule and each `{` of a skipped group: ten thousand `(` in a row
//! would exhaust the stack, which no error value can report. So the text
//! pest reads is the source with every `(` or `{` nested deeper than
//! [`MAX_NESTING`] replaced by a NUL byte (one byte for one byte, so every
//! offset stays right): pest cannot match it in any rule, and the parser
//! reports it as [`Code::TooDeep`](acquis_diagnostics::Code) instead of the
//! syntax error pest finds there.
//!
//! A `{` that no `}` closes is masked the same way, so pest reads it as
//! one bad character (its line is an error, the items after it are read):
//! reading it as a group would read the rest of the file, and, in every
//! enclosing rule that then fails, read it again.
//!
//! The scan reads strings, long strings and `//` comments as pest does
//! (an unclosed string is one character, as in the error productions), so
//! a brace in a title or a comment is not counted. It is one linear pass
//! over the file.

use std::borrow::Cow;

/// How many `(` (or how many `{`) may be open at once. Real referentials
/// nest braces four deep and parentheses a few levels; pest needs tens of
/// kilobytes of stack per `max(` level in a debug build, and 64 levels
/// overflow a 2 MiB thread (a test thread, a spawned thread): 32 leave
/// half of it.
pub const MAX_NESTING: usize = 32;

/// The byte that stands for a refused `(` or `{` in what pest reads.
const MASK: u8 = 0;

/// What pest reads: the source, or a copy with the refused openers masked.
#[derive(Debug, Clone)]
pub(crate) struct Input<'s> {
    pub text: Cow<'s, str>,
    /// Offsets of the openers masked for being too deep, in increasing order.
    pub masked: Vec<usize>,
    /// Offsets of the `{` that no `}` closes, masked too, in increasing
    /// order: pest would read an unclosed group to the end of the file, and
    /// every enclosing group, every later `{`, again (exponential before
    /// the grammar ended such groups at the end of the file, and the rest
    /// of the file lost to one error after). Masked, the `{` is one bad
    /// character: its line is an error, and the items after it are read.
    pub unclosed: Vec<usize>,
}

impl Input<'_> {
    /// The first masked offset in `start..end`.
    pub fn first_masked_in(&self, start: usize, end: usize) -> Option<usize> {
        let at = self.masked.partition_point(|&m| m < start);
        self.masked.get(at).copied().filter(|&m| m < end)
    }

    pub fn is_masked(&self, offset: usize) -> bool {
        self.masked.binary_search(&offset).is_ok()
    }

    pub fn is_unclosed(&self, offset: usize) -> bool {
        self.unclosed.binary_search(&offset).is_ok()
    }
}

/// The text pest reads for `source` (borrowed when nothing is too deep).
pub(crate) fn input(source: &str) -> Input<'_> {
    let structure = structural(source.as_bytes());
    let unclosed = unclosed(&structure);
    let masked = too_deep(&structure, &unclosed);
    if masked.is_empty() && unclosed.is_empty() {
        return Input {
            text: Cow::Borrowed(source),
            masked,
            unclosed,
        };
    }
    let mut bytes = source.as_bytes().to_vec();
    for &m in masked.iter().chain(&unclosed) {
        if let Some(b) = bytes.get_mut(m) {
            *b = MASK;
        }
    }
    // Only ASCII `(` and `{` were replaced by an ASCII byte: still UTF-8.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Input {
        text: Cow::Owned(text),
        masked,
        unclosed,
    }
}

/// The `{` that no `}` closes: those left open at the end of the file.
fn unclosed(structure: &[(usize, u8)]) -> Vec<usize> {
    let mut open = Vec::new();
    for &(at, b) in structure {
        match b {
            b'{' => open.push(at),
            b'}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// Offsets of the `(` and `{` nested deeper than [`MAX_NESTING`], the
/// unclosed `{` (masked already) not counted.
fn too_deep(structure: &[(usize, u8)], unclosed: &[usize]) -> Vec<usize> {
    let mut masked = Vec::new();
    let mut parens = 0usize;
    let mut braces = 0usize;
    let mut unclosed = unclosed.iter().peekable();
    for &(at, b) in structure {
        if b == b'{' && unclosed.peek() == Some(&&at) {
            unclosed.next();
            continue;
        }
        match b {
            b'(' if parens >= MAX_NESTING => masked.push(at),
            b'(' => parens += 1,
            b')' => parens = parens.saturating_sub(1),
            b'{' if braces >= MAX_NESTING => masked.push(at),
            b'{' => braces += 1,
            _ => braces = braces.saturating_sub(1),
        }
    }
    masked
}

/// The parentheses and braces of the code, with their offsets: not those
/// in strings, long strings and `//` comments.
fn structural(bytes: &[u8]) -> Vec<(usize, u8)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'(' | b')' | b'{' | b'}' => found.push((i, b)),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                if let Some(end) = long_string_end(bytes, i).or_else(|| string_end(bytes, i)) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Where a `"""` long string starting at `at` ends, if it is closed.
fn long_string_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at..at + 3) != Some(b"\"\"\"") {
        return None;
    }
    let body = bytes.get(at + 3..)?;
    body.windows(3)
        .position(|w| w == b"\"\"\"")
        .map(|p| at + 3 + p + 3)
}

/// Where a `"` string starting at `at` ends, if it is closed on its line.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' if bytes.get(i + 1).is_some_and(|&n| n != b'\n' && n != b'\r') => i += 2,
            b'\\' | b'\n' | b'\r' => return None,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_masked_in_ordinary_text() {
        let text = "block B \"t {\" { competency C \"x\" { // {{{\n } }";
        let input = input(text);
        assert!(input.masked.is_empty());
        assert!(matches!(input.text, Cow::Borrowed(_)));
    }

    #[test]
    fn openers_past_the_bound_are_masked_one_byte_each() {
        let text = format!(
            "{}x{}",
            "(".repeat(MAX_NESTING + 3),
            ")".repeat(MAX_NESTING)
        );
        let input = input(&text);
        assert_eq!(
            input.masked,
            vec![MAX_NESTING, MAX_NESTING + 1, MAX_NESTING + 2]
        );
        assert_eq!(input.text.len(), text.len());
        assert!(input.is_masked(MAX_NESTING + 1));
        assert_eq!(input.first_masked_in(0, MAX_NESTING), None);
        assert_eq!(input.first_masked_in(0, text.len()), Some(MAX_NESTING));
    }

    #[test]
    fn braces_no_brace_closes_are_masked_and_not_counted() {
        let text = "block B1 \"x\" {\n competency C { }\nblock B2 \"y\" { }\n{{";
        let input = input(text);
        let at = |needle: &str| text.find(needle).map(|i| i + needle.len() - 1);
        assert_eq!(
            input.unclosed.iter().map(|&u| Some(u)).collect::<Vec<_>>(),
            vec![at("\"x\" {"), Some(text.len() - 2), Some(text.len() - 1)]
        );
        assert!(input.masked.is_empty());
        let unclosed = "{".repeat(MAX_NESTING * 3);
        let input = super::input(&unclosed);
        assert_eq!(input.unclosed.len(), MAX_NESTING * 3);
        assert!(input.masked.is_empty());
    }

    #[test]
    fn braces_and_parentheses_are_counted_apart() {
        let text = format!(
            "{}{}{}",
            "{".repeat(MAX_NESTING),
            "(".repeat(MAX_NESTING),
            "}".repeat(MAX_NESTING)
        );
        assert!(input(&text).masked.is_empty());
    }

    #[test]
    fn strings_and_comments_hide_their_braces() {
        let deep = "{".repeat(MAX_NESTING * 2);
        for text in [
            format!("\"{deep}\""),
            format!("\"\"\"\n{deep}\n\"\"\""),
            format!("// {deep}\n"),
        ] {
            assert!(input(&text).masked.is_empty(), "{text}");
        }
        // An unclosed string is one character, as pest's error productions read it.
        let closed = "}".repeat(MAX_NESTING * 2);
        assert_eq!(
            input(&format!("\"{deep}{closed}")).masked.len(),
            MAX_NESTING
        );
    }
}
