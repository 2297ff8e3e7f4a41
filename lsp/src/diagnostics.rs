//! The compiler's diagnostics as LSP diagnostics: the code with a link to
//! its section of docs/diagnostics.md, labels as related information.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::OnceLock;

use acquis_compiler::{Code, Diagnostic, Severity};
use acquis_diagnostics::{text, Lang};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Uri,
};

use crate::snapshot::{Snapshot, Unit};

/// The diagnostics of one file, from the referential that has it.
pub fn for_file(snapshot: &Snapshot, path: &Path, lang: Lang) -> Vec<lsp_types::Diagnostic> {
    let Some(view) = snapshot.file(path) else {
        return Vec::new();
    };
    let unit = view.unit;
    unit.compilation
        .diagnostics
        .iter()
        .filter(|d| d.primary.file == view.id && unit.shows(d.code))
        .map(|d| convert(unit, d, lang))
        .collect()
}

/// One diagnostic for an editor, its words in `lang` (the code unchanged).
pub fn convert(unit: &Unit, d: &Diagnostic, lang: Lang) -> lsp_types::Diagnostic {
    let mut message = d.message.render(lang);
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(&text!("help: {help}", help = help.clone()).render(lang));
    }
    let mut related = Vec::new();
    // Positions in data files (grade files) are no place of an editor's
    // documents; only spans of the referential's files are related.
    let labels = std::iter::once(&d.primary)
        .filter(|l| !l.message.is_empty())
        .chain(&d.labels)
        .filter(|l| l.position.is_none());
    for label in labels {
        let uri = unit.path(label.file).and_then(crate::paths::to_uri);
        if let Some(uri) = uri {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri, unit.range(label.file, label.span)),
                message: label.message.render(lang),
            });
        }
    }
    lsp_types::Diagnostic {
        range: unit.range(d.primary.file, d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: code_link(d.code.as_str()).map(|href| CodeDescription { href }),
        source: Some("acquis".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        // Unread and uninfluential entities decide nothing: editors fade them.
        tags: matches!(d.code, Code::UnreadCriterion | Code::NoInfluence)
            .then(|| vec![lsp_types::DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// `file:///…/diagnostics.md#a0202-unknown-reference`.
fn code_link(code: &str) -> Option<Uri> {
    static BASE: OnceLock<Option<String>> = OnceLock::new();
    static ANCHORS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let base = BASE
        .get_or_init(|| crate::paths::diagnostics_doc_uri().map(|u| u.as_str().to_string()))
        .as_ref()?;
    let anchors = ANCHORS.get_or_init(|| anchors(crate::paths::DIAGNOSTICS_DOC));
    let anchor = anchors.get(code)?;
    Uri::from_str(&format!("{base}#{anchor}")).ok()
}

/// Each `## A0202: unknown reference` heading's anchor, as Markdown
/// renderers make them: lowercase, punctuation dropped, spaces as `-`.
pub fn anchors(doc: &str) -> HashMap<String, String> {
    doc.lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter_map(|heading| {
            let (code, _) = heading.split_once(':')?;
            let slug: String = heading
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            Some((code.trim().to_string(), slug))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_anchor() {
        let anchors = anchors(crate::paths::DIAGNOSTICS_DOC);
        assert_eq!(
            anchors.get("A0202").map(String::as_str),
            Some("a0202-unknown-reference")
        );
        for code in acquis_compiler::Code::every() {
            assert!(anchors.contains_key(code.as_str()), "{}", code.as_str());
        }
    }
}
