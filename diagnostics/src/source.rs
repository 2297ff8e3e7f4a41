//! The files of one compilation and the byte-offset → line/column mapping
//! every renderer shares.

use serde::Serialize;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub usize);

impl FileId {
    /// No file of any [`SourceMap`]: the file of a label located by a
    /// [`crate::diagnostic::Position`] in a data file.
    pub const NONE: FileId = FileId(usize::MAX);
}

/// One source file: its display path, its text and where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// Characters before every [`MARK`]-th byte, so that a column is
    /// counted from the nearest mark, not from the start of its line (a
    /// line may hold a whole file, and each of thousands of diagnostics
    /// on it would count it again).
    char_marks: Vec<usize>,
}

/// Bytes between two [`SourceFile::char_marks`].
const MARK: usize = 4096;

/// Characters in `bytes`, which may start or end inside a character: the
/// bytes that are not a UTF-8 continuation byte.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b as i8) >= -0x40).count()
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut before = 0;
        let char_marks = text
            .as_bytes()
            .chunks(MARK)
            .map(|chunk| {
                let mark = before;
                before += chars_in(chunk);
                mark
            })
            .chain(std::iter::once(chars_in(text.as_bytes())))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
            char_marks,
        }
    }

    /// Characters before a byte offset (a char boundary), in at most
    /// [`MARK`] steps.
    fn chars_before(&self, offset: usize) -> usize {
        let mark = offset / MARK;
        let counted = self.char_marks.get(mark).copied().unwrap_or(0);
        counted
            + self
                .text
                .as_bytes()
                .get(mark * MARK..offset)
                .map_or(0, chars_in)
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// 1-based line and 1-based column, the column counted in Unicode
    /// scalar values (what a person counts, and what editors show).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_start(line).min(offset);
        let column = self.chars_before(offset) - self.chars_before(start);
        (line + 1, column + 1)
    }

    /// The nearest char boundary at or before `offset`, within the text.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.text
            .get(self.clamp(start)..self.clamp(end))
            .unwrap_or("")
    }
}

/// Every file of a compilation: the referential's files, imported files and
/// the standard library modules that were used.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0)
    }

    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.path.as_str())
    }

    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(FileId)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns counted from the marks are those counted from the start of
    /// the line, on lines longer than several marks, with characters of
    /// one to four bytes across the marks' boundaries.
    #[test]
    fn columns_from_the_marks_are_counted_characters() {
        let pieces = ["a", "é", "€", "𝄞", "\n", "bc"];
        let mut text = String::new();
        let mut state = 7u32;
        for _ in 0..12_000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = (state >> 16) as usize % 60;
            // Newlines are rare, so lines run over several marks.
            text.push_str(pieces.get(k).copied().unwrap_or(if k.is_multiple_of(2) {
                "x"
            } else {
                "ü"
            }));
        }
        let file = SourceFile::new("long.acquis", text.clone());
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            let line = text.get(..offset).map_or(0, |t| t.matches('\n').count());
            let start = text
                .get(..offset)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let column = text.get(start..offset).map_or(0, |t| t.chars().count());
            assert_eq!(
                file.line_col(offset),
                (line + 1, column + 1),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("a.acquis", "é\nàé x\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // `x` is after two 2-byte characters and a space.
        assert_eq!(file.line_col(8), (2, 4));
        // Past the end is clamped, never a panic.
        assert_eq!(file.line_col(99), (3, 1));
        // Inside a multi-byte character: the character's start.
        assert_eq!(file.line_col(1), (1, 1));
    }
}
