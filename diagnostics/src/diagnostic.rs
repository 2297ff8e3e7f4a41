//! The one diagnostic model of the toolchain. Every check produces a
//! [`Diagnostic`]; `render` turns it into terminal, narrated or JSON text,
//! and the language server into LSP diagnostics.
//!
//! A label is located in one of two ways (see [`Location`]): a span of a
//! file held in a [`crate::source::SourceMap`] (the referential's files,
//! whose text every renderer can quote), or a [`Position`] in a data file
//! whose text is not held in memory (a grade file is streamed and may be
//! gigabytes): a path, a line and a column, nothing to quote.

use crate::Span;
use serde::Serialize;

use crate::codes::Code;
use crate::source::FileId;
use crate::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file, with what to say about it.
///
/// The place is `file` and `span` unless `position` is set: then it is that
/// position, `file` is [`FileId::NONE`] and `span` is empty. Read it with
/// [`Label::location`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: Text,
    /// A place in a data file that no [`crate::source::SourceMap`] holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// A place in a data file whose text is not held in memory (grade files
/// are read as a stream): its path, a 1-based line and, where meaningful,
/// a 1-based column. Without the text there is no byte offset and no line
/// to quote.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// The path as the user wrote it; `None` for a problem that is in no
    /// file (results that cannot be written to standard output).
    pub path: Option<String>,
    /// 1-based line; `None` for the file as a whole (it cannot be opened).
    pub line: Option<usize>,
    /// 1-based column: a field of a CSV row, a character of a JSON line.
    pub column: Option<usize>,
}

impl Position {
    /// Line `line` (1-based) of `path`, at `column` (1-based) when known.
    pub fn line(path: impl Into<String>, line: usize, column: Option<usize>) -> Self {
        Position {
            path: Some(path.into()),
            line: Some(line),
            column,
        }
    }

    /// The file at `path` as a whole.
    pub fn file(path: impl Into<String>) -> Self {
        Position {
            path: Some(path.into()),
            line: None,
            column: None,
        }
    }

    /// No file at all: a problem of the run as a whole.
    pub fn nowhere() -> Self {
        Position {
            path: None,
            line: None,
            column: None,
        }
    }
}

/// Where a label points: the two ways of locating a problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Location<'a> {
    /// A byte range of a file of a [`crate::source::SourceMap`].
    Span { file: FileId, span: Span },
    /// A line and column of a data file that is not held in memory.
    Position(&'a Position),
}

impl Label {
    /// A label on a span of a file held in a source map.
    pub fn span(file: FileId, span: Span, message: Text) -> Self {
        Label {
            file,
            span,
            message,
            position: None,
        }
    }

    /// A label on a position of a data file.
    pub fn position(position: Position, message: Text) -> Self {
        Label {
            file: FileId::NONE,
            span: Span::default(),
            message,
            position: Some(position),
        }
    }

    pub fn location(&self) -> Location<'_> {
        match &self.position {
            Some(position) => Location::Position(position),
            None => Location::Span {
                file: self.file,
                span: self.span,
            },
        }
    }
}

/// A machine-applicable fix: replace `span` by `replacement`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
    /// What the fix does, for a code action title.
    pub message: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// One line, lowercase, no final period; user input in backticks.
    pub message: Text,
    pub primary: Label,
    pub labels: Vec<Label>,
    pub help: Option<Text>,
    pub suggestions: Vec<Suggestion>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: Text, file: FileId, span: Span) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message,
            primary: Label::span(file, span, Text::empty()),
            labels: Vec::new(),
            help: None,
            suggestions: Vec::new(),
        }
    }

    /// A diagnostic at a position of a data file (a grade file), with the
    /// code's default severity.
    pub fn at(code: Code, message: Text, position: Position) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message,
            primary: Label::position(position, Text::empty()),
            labels: Vec::new(),
            help: None,
            suggestions: Vec::new(),
        }
    }

    /// The message under the primary span.
    pub fn with_primary_message(mut self, message: Text) -> Self {
        self.primary.message = message;
        self
    }

    pub fn with_label(mut self, file: FileId, span: Span, message: Text) -> Self {
        self.labels.push(Label::span(file, span, message));
        self
    }

    /// A secondary label at a position of a data file.
    pub fn with_position_label(mut self, position: Position, message: Text) -> Self {
        self.labels.push(Label::position(position, message));
        self
    }

    pub fn with_help(mut self, help: Text) -> Self {
        self.help = Some(help);
        self
    }

    pub fn with_suggestion(
        mut self,
        file: FileId,
        span: Span,
        replacement: impl Into<String>,
        message: Text,
    ) -> Self {
        self.suggestions.push(Suggestion {
            file,
            span,
            replacement: replacement.into(),
            message,
        });
        self
    }

    /// "did you mean `close`?" as the help, and `close` in place of `span`
    /// as the fix an editor offers.
    pub fn with_correction(self, file: FileId, span: Span, close: &str) -> Self {
        self.with_help(crate::text!("did you mean `{close}`?", close = close))
            .with_suggestion(
                file,
                span,
                close,
                crate::text!("replace with `{close}`", close = close),
            )
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file and position, so output is stable. Positions
/// in data files come after the spans of source files.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            a.primary.file,
            a.primary.span.start,
            &a.primary.position,
            a.code.as_str(),
        )
            .cmp(&(
                b.primary.file,
                b.primary.span.start,
                &b.primary.position,
                b.code.as_str(),
            ))
    });
}

/// "did you mean" candidates: the closest names by edit distance.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(wanted, candidates, strsim::levenshtein)
}

/// Names to suggest from, indexed once for many lookups: a grades file
/// may name thousands of unknown criteria of a referential of thousands,
/// and comparing each with every name would cost their product. Up to
/// [`COMPARED_ALL`] names, a lookup compares with every name, as
/// [`did_you_mean`] does; past that, with the [`NEIGHBOURS`] names on each
/// side of it in alphabetical order and as many in the order of their
/// endings (a name mistyped keeps its beginning or its end; `CX5` finds
/// `CE5` by its end), so that each lookup costs the same whatever the
/// number of names.
pub struct Suggestions<'a> {
    /// Up to [`COMPARED_ALL`] names: the names (else empty).
    names: Vec<&'a str>,
    /// Past [`COMPARED_ALL`] names: each name in lower case, with the
    /// name, sorted; then the same with its characters reversed (else
    /// empty).
    beginnings: Vec<(String, &'a str)>,
    endings: Vec<(String, &'a str)>,
}

/// Names a [`Suggestions`] compares one by one.
const COMPARED_ALL: usize = 256;

/// Names a [`Suggestions`] compares on each side, in each order, past
/// [`COMPARED_ALL`].
const NEIGHBOURS: usize = 32;

impl<'a> Suggestions<'a> {
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<&'a str> = names.into_iter().collect();
        names.sort_unstable();
        names.dedup();
        if names.len() <= COMPARED_ALL {
            return Suggestions {
                names,
                beginnings: Vec::new(),
                endings: Vec::new(),
            };
        }
        let mut beginnings: Vec<(String, &'a str)> =
            names.iter().map(|n| (n.to_lowercase(), *n)).collect();
        let mut endings: Vec<(String, &'a str)> = beginnings
            .iter()
            .map(|(l, n)| (l.chars().rev().collect(), *n))
            .collect();
        beginnings.sort_unstable();
        endings.sort_unstable();
        Suggestions {
            names: Vec::new(),
            beginnings,
            endings,
        }
    }

    /// The known name closest to `wanted`, if one is close enough (see
    /// [`did_you_mean`]).
    pub fn closest(&self, wanted: &str) -> Option<&'a str> {
        if self.beginnings.is_empty() {
            return did_you_mean(wanted, self.names.iter().copied());
        }
        if wanted.chars().take(LONGEST_COMPARED + 1).count() > LONGEST_COMPARED {
            return None;
        }
        let lower = wanted.to_lowercase();
        let reversed: String = lower.chars().rev().collect();
        did_you_mean(
            wanted,
            neighbours(&self.beginnings, &lower).chain(neighbours(&self.endings, &reversed)),
        )
    }
}

/// The names of the [`NEIGHBOURS`] entries on each side of where `key`
/// would sort in `index`.
fn neighbours<'i, 'a: 'i>(
    index: &'i [(String, &'a str)],
    key: &str,
) -> impl Iterator<Item = &'a str> + 'i {
    let at = index.partition_point(|(k, _)| k.as_str() < key);
    let near = at.saturating_sub(NEIGHBOURS)..(at + NEIGHBOURS).min(index.len());
    index.get(near).unwrap_or_default().iter().map(|(_, n)| *n)
}

/// The longest name, in characters, for which a close one is looked for:
/// no one mistypes a name of more, and the edit distance costs the product
/// of the two lengths (two 4 MB ids would take 10^13 steps).
const LONGEST_COMPARED: usize = 256;

/// [`did_you_mean`] with the edit distance given, so that a test can count
/// the work it does.
fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    mut distance: impl FnMut(&str, &str) -> usize,
) -> Option<&'a str> {
    let wanted_len = wanted.chars().take(LONGEST_COMPARED + 1).count();
    if wanted_len > LONGEST_COMPARED {
        return None;
    }
    let wanted_lower = wanted.to_lowercase();
    // The edit distance is at least the difference of the lengths: a
    // candidate too short or too long to be close is not compared (nor is
    // its length counted past what could be close).
    let limit = |c_len: usize| (wanted_len.max(c_len) / 3).max(1);
    let longest = wanted_len + wanted_len / 2 + 1;
    candidates
        .into_iter()
        .filter_map(|c| {
            let c_len = c.chars().take(longest + 1).count();
            (c_len <= longest && wanted_len.abs_diff(c_len) <= limit(c_len)).then_some((c, c_len))
        })
        .map(|(c, c_len)| (distance(&wanted_lower, &c.to_lowercase()), c, c_len))
        .filter(|(d, _, c_len)| *d <= limit(*c_len))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past [`COMPARED_ALL`] names, a lookup compares with a bounded
    /// number of names and still finds a name mistyped at its beginning,
    /// in its middle or at its end; up to it, it finds what
    /// [`did_you_mean`] finds.
    #[test]
    fn suggestions_of_many_names_look_at_their_neighbours() {
        let many: Vec<String> = (1..=5_000).map(|k| format!("C{}/CE{k}", k % 7)).collect();
        let index = Suggestions::new(many.iter().map(String::as_str));
        assert_eq!(index.closest("C3/CX1242"), Some("C3/CE1242"));
        assert_eq!(index.closest("X3/CE1242"), Some("C3/CE1242"));
        assert_eq!(index.closest("C3/CE1242x"), Some("C3/CE1242"));
        assert_eq!(index.closest("c3/ce1242"), Some("C3/CE1242"));
        assert_eq!(index.closest("zzzzzzzzz"), None);
        assert_eq!(index.closest(&"C".repeat(1_000)), None);
        let few = ["C1.3", "C1.4", "CE5", "acquis"];
        let small = Suggestions::new(few);
        for wanted in ["C13", "acquise", "zzzzzz", "CE", "C1.5"] {
            assert_eq!(small.closest(wanted), did_you_mean(wanted, few), "{wanted}");
        }
    }

    #[test]
    fn did_you_mean_finds_close_names_only() {
        let names = ["C1.3", "C1.4", "CE5", "acquis"];
        assert_eq!(did_you_mean("C13", names), Some("C1.3"));
        assert_eq!(did_you_mean("acquise", names), Some("acquis"));
        assert_eq!(did_you_mean("zzzzzz", names), None);
        // A huge id is not compared letter by letter with every name.
        let huge = "C".repeat(4 * 1024 * 1024);
        assert_eq!(did_you_mean(&huge, names), None);
    }

    /// The work of a suggestion, counted as the letters the edit distance
    /// compares (the product of the two lengths), is bounded by the names
    /// of a plausible length, whatever the lengths of the id and the
    /// names: a 4 MB id, or 4 MB names, cost nothing.
    #[test]
    fn did_you_mean_compares_only_names_of_a_plausible_length() {
        let work = std::cell::Cell::new(0usize);
        let counted = |a: &str, b: &str| {
            work.set(work.get() + a.chars().count() * b.chars().count());
            strsim::levenshtein(a, b)
        };
        let huge = "C".repeat(4 * 1024 * 1024);
        let huge_too = format!("{huge}1");
        let names = [huge_too.as_str(), "CE1", "CE2"];
        assert_eq!(closest(&huge, names, counted), None);
        assert_eq!(closest("CE3", [huge.as_str(), "CE1"], counted), Some("CE1"));
        // Only `CE3` against `CE1`: 3 × 3 letters.
        assert_eq!(work.get(), 9);
        // At the longest compared, one name of about the same length.
        work.set(0);
        let long = "a".repeat(LONGEST_COMPARED);
        let close = format!("{long}b");
        let far = "a".repeat(4 * LONGEST_COMPARED);
        let found = closest(
            &long,
            [close.as_str(), far.as_str(), huge.as_str()],
            counted,
        );
        assert_eq!(found, Some(close.as_str()));
        assert_eq!(work.get(), LONGEST_COMPARED * (LONGEST_COMPARED + 1));
        // One letter more and nothing is compared.
        work.set(0);
        assert_eq!(closest(&close, [long.as_str()], counted), None);
        assert_eq!(work.get(), 0);
    }
}
