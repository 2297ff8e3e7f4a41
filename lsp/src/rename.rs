//! Rename with prepareRename: every occurrence in every file of the
//! referential, refused when the new name is not an id, is a keyword, or
//! clashes with a name of the same namespace.

use std::collections::HashMap;

use acquis_compiler::analysis::{Analysis, Symbol, SymbolKind};
use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};

use crate::context::Context;
use crate::snapshot::FileView;

fn refuse(message: String) -> ResponseError {
    ResponseError {
        code: ErrorCode::RequestFailed as i32,
        message,
        data: None,
    }
}

/// The symbol under the cursor, if it may be renamed.
fn target<'a>(
    view: &FileView<'a>,
    at: lsp_types::Position,
) -> Result<Option<(&'a Analysis, usize, acquis_grammar::ast::Span)>, ResponseError> {
    let Some(analysis) = view.analysis() else {
        return Ok(None);
    };
    let Some(occurrence) = analysis.occurrence_at(view.id, view.offset(at)) else {
        return Ok(None);
    };
    let Some(symbol) = analysis.symbol(occurrence.symbol) else {
        return Ok(None);
    };
    if symbol.kind == SymbolKind::File {
        return Err(refuse(
            "a file is renamed in the file system, not here".to_string(),
        ));
    }
    let path = view.unit.compilation.sources.path(symbol.file);
    if path.starts_with("<std>") {
        return Err(refuse(format!(
            "`{}` belongs to the standard library and cannot be renamed",
            symbol.name
        )));
    }
    Ok(Some((analysis, occurrence.symbol, occurrence.span)))
}

pub fn prepare(
    ctx: &Context<'_>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, ResponseError> {
    let Some(view) = ctx.file(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some((_, _, span)) = target(&view, params.position)? else {
        return Ok(None);
    };
    let placeholder = view
        .text
        .get(span.start..span.end)
        .unwrap_or("")
        .to_string();
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: view.range(span),
        placeholder,
    }))
}

#[allow(
    clippy::mutable_key_type,
    reason = "WorkspaceEdit::changes is keyed by lsp_types::Uri, never mutated"
)]
pub fn rename(
    ctx: &Context<'_>,
    params: RenameParams,
) -> Result<Option<WorkspaceEdit>, ResponseError> {
    let at = params.text_document_position;
    let Some(view) = ctx.file(&at.text_document.uri) else {
        return Ok(None);
    };
    let Some((analysis, index, _)) = target(&view, at.position)? else {
        return Ok(None);
    };
    let Some(symbol) = analysis.symbol(index) else {
        return Ok(None);
    };
    let new_name = params.new_name.trim();
    check_name(new_name, symbol)?;
    check_clash(analysis, index, symbol, new_name)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for occurrence in analysis.occurrences_of(index) {
        let Some(uri) = ctx.uri(view.unit, occurrence.file) else {
            continue;
        };
        changes.entry(uri).or_default().push(TextEdit {
            range: view.unit.range(occurrence.file, occurrence.span),
            new_text: new_name.to_string(),
        });
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

/// An id: a letter or `_`, then letters, digits, `_`, in segments joined
/// by single dots (`C1.3`); not a keyword, which rules could not read.
pub fn is_valid_id(name: &str) -> bool {
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    let segments_ok = name.split('.').all(|segment| {
        !segment.is_empty() && segment.chars().all(|c| c.is_alphanumeric() || c == '_')
    });
    starts_well && segments_ok && crate::keywords::find(name).is_none()
}

fn check_name(name: &str, symbol: &Symbol) -> Result<(), ResponseError> {
    if !is_valid_id(name) {
        return Err(refuse(format!(
            "`{name}` is not a valid id: a letter or `_`, then letters, digits and `_`, segments joined by `.`, and not a keyword"
        )));
    }
    if symbol.kind == SymbolKind::Level && name.contains('.') {
        return Err(refuse(format!(
            "`{name}` is not a valid level name: no dots"
        )));
    }
    Ok(())
}

/// Names share a namespace when a reference could not tell them apart.
fn check_clash(
    analysis: &Analysis,
    index: usize,
    symbol: &Symbol,
    name: &str,
) -> Result<(), ResponseError> {
    let global = |k: SymbolKind| {
        matches!(
            k,
            SymbolKind::Block | SymbolKind::Competency | SymbolKind::Assessment
        )
    };
    let qualified = match (symbol.kind, symbol.name.split_once('/')) {
        (SymbolKind::Criterion, Some((owner, _))) => format!("{owner}/{name}"),
        _ => name.to_string(),
    };
    let clash = analysis.symbols.iter().enumerate().find(|(i, other)| {
        *i != index
            && match symbol.kind {
                k if global(k) => global(other.kind) && other.name == name,
                SymbolKind::Criterion => {
                    other.kind == SymbolKind::Criterion && other.name == qualified
                }
                SymbolKind::Level | SymbolKind::Parameter => {
                    other.kind == symbol.kind && other.parent == symbol.parent && other.name == name
                }
                kind => other.kind == kind && other.name == name,
            }
    });
    match clash {
        Some((_, other)) => Err(refuse(format!(
            "`{name}` is already the id of {} `{}`",
            other.kind.name(),
            other.name
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_like_the_grammar() {
        for good in ["C1.3", "CE5", "très_bien", "_x", "A1.2.3"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in [
            "",
            "1A",
            "C1..3",
            "C1.",
            "a b",
            "a/b",
            "all",
            "validated",
            "C-1",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
