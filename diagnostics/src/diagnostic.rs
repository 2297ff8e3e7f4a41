//! The one diagnostic model of the toolchain. Every check produces a
//! [`Diagnostic`]; `render` turns it into terminal, narrated or JSON text,
//! and the language server into LSP diagnostics.

use crate::Span;
use serde::Serialize;

use crate::codes::Code;
use crate::source::FileId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a file, with what to say about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A machine-applicable fix: replace `span` by `replacement`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
    /// What the fix does, for a code action title.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// One line, lowercase, no final period; user input in backticks.
    pub message: String,
    pub primary: Label,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub suggestions: Vec<Suggestion>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>, file: FileId, span: Span) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                file,
                span,
                message: String::new(),
            },
            labels: Vec::new(),
            help: None,
            suggestions: Vec::new(),
        }
    }

    /// The message under the primary span.
    pub fn with_primary_message(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_suggestion(
        mut self,
        file: FileId,
        span: Span,
        replacement: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        self.suggestions.push(Suggestion {
            file,
            span,
            replacement: replacement.into(),
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file and position, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.file, a.primary.span.start, a.code.as_str()).cmp(&(
            b.primary.file,
            b.primary.span.start,
            b.code.as_str(),
        ))
    });
}

/// "did you mean" candidates: the closest names by edit distance.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let distance = strsim::levenshtein(&wanted_lower, &c.to_lowercase());
            (distance, c)
        })
        .filter(|(d, c)| *d <= (wanted.chars().count().max(c.chars().count()) / 3).max(1))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_close_names_only() {
        let names = ["C1.3", "C1.4", "CE5", "acquis"];
        assert_eq!(did_you_mean("C13", names), Some("C1.3"));
        assert_eq!(did_you_mean("acquise", names), Some("acquis"));
        assert_eq!(did_you_mean("zzzzzz", names), None);
    }
}
