//! Byte offsets ↔ LSP positions. The protocol counts columns in UTF-16
//! code units; the compiler's spans are byte offsets. Every conversion
//! clamps, so a position past a line's end or the file's end is the end,
//! never a panic.

use lsp_types::{Position, Range};

/// Where each line starts, for one text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The byte offset of a position in `text` (the text this index was
    /// built from), clamped to the line and to the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next.saturating_sub(1));
        let line_text = text.get(start..end).unwrap_or("");
        let mut units = 0usize;
        for (i, c) in line_text.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        // A `\r` before the `\n` is not a column the cursor can be past.
        end - usize::from(line_text.ends_with('\r') && units > position.character as usize)
    }

    /// The position of a byte offset (inside a character: its start).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_after_accents_apostrophes_and_emoji() {
        // é: 2 bytes, 1 unit; ’: 3 bytes, 1 unit; 🎓: 4 bytes, 2 units.
        let text = "é’🎓x\nab";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(index.position(text, x), Position::new(0, 4));
        assert_eq!(index.offset(text, Position::new(0, 4)), x);
        // Inside the emoji's surrogate pair: the emoji's end, not a panic.
        assert_eq!(index.offset(text, Position::new(0, 3)), x);
        assert_eq!(index.offset(text, Position::new(1, 1)), x + 3);
        // Past the end of a line or of the text: clamped.
        assert_eq!(index.offset(text, Position::new(0, 99)), x + 1);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(index.position(text, 999), Position::new(1, 2));
    }
}
