//! Small lexical helpers on source text: the word under the cursor and
//! whether an offset is in a comment or a string. They find words, they
//! do not parse: meaning comes from the compiler's analysis.

/// Characters of an identifier (ids may have dots: `C1.3`).
pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// The word (letters, digits, `_`) around a byte offset, with its span.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, usize, usize)> {
    let offset = floor_boundary(text, offset);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = text
        .get(..offset)?
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + text
            .get(offset..)?
            .char_indices()
            .find(|(_, c)| !is_word(*c))
            .map_or(text.len() - offset, |(i, _)| i);
    (end > start).then(|| (&text[start..end], start, end))
}

/// The nearest char boundary at or before `offset`.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The text of the line before `offset`.
pub fn line_before(text: &str, offset: usize) -> &str {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    &text[start..offset]
}

/// Whether `offset` is inside a `//` comment or a one-line string, by the
/// line before it (long strings are told apart by the analysis).
pub fn in_comment_or_string(text: &str, offset: usize) -> bool {
    let line = line_before(text, offset);
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek() == Some(&'/') => return true,
            _ => {}
        }
    }
    in_string
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_next_to_multibyte_characters() {
        let text = "« été » x";
        assert_eq!(word_at(text, 4).map(|w| w.0), Some("été"));
        assert_eq!(word_at(text, 3).map(|w| w.0), Some("été"));
        assert_eq!(word_at(text, 1), None);
        assert_eq!(word_at(text, text.len()).map(|w| w.0), Some("x"));
        assert!(in_comment_or_string("a // b", 5));
        assert!(in_comment_or_string("a \"b", 4));
        assert!(!in_comment_or_string("a \"b\" c", 7));
    }
}

/// The items and members open at `offset`, outermost first, read from the
/// braces: each `{` opens what its line starts with (`competency C1.2`,
/// `grades`). It works on half-typed text, where the parser had to skip
/// the member being written; strings and comments are passed over.
pub fn open_items(text: &str, offset: usize) -> Vec<(String, String)> {
    let offset = floor_boundary(text, offset);
    let bytes = text.as_bytes();
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut line_start = 0;
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'\n' => line_start = i + 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(text.len(), |n| i + n);
                continue;
            }
            b'"' if text[i..].starts_with("\"\"\"") => {
                i = text[i + 3..]
                    .find("\"\"\"")
                    .map_or(text.len(), |n| i + 3 + n + 3);
                continue;
            }
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' && bytes[j] != b'\n' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                i = j + 1;
                continue;
            }
            b'{' => {
                // The header's words: from the line start, or from the last
                // brace of the line outside strings (one-line members).
                let mut words = text[line_start..i].split_whitespace();
                let keyword = words.next().unwrap_or("").to_string();
                let id = words.next().unwrap_or("").to_string();
                stack.push((keyword, id));
                line_start = i + 1;
            }
            b'}' => {
                stack.pop();
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

#[cfg(test)]
mod open_items_tests {
    use super::*;

    #[test]
    fn braces_tell_where_the_cursor_is() {
        let text = "block B \"{\" {\n  competency C1 \"c\" { // {\n    criterion CE1 \"x\" { indicator \"i\" }\n    validated when CE1 >=";
        let open = open_items(text, text.len());
        let keywords: Vec<&str> = open.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keywords, ["block", "competency"]);
        assert_eq!(open[1].1, "C1");
    }
}
