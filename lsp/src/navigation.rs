//! Go to definition, find references and document highlights, all from
//! the compiler's index of occurrences.

use acquis_compiler::analysis::SymbolKind;
use acquis_grammar::ast::Span;
use lsp_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, GotoDefinitionParams,
    GotoDefinitionResponse, Location, ReferenceParams,
};

use crate::context::Context;

pub fn definition(
    ctx: &Context<'_>,
    params: GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let at = params.text_document_position_params;
    let view = ctx.file(&at.text_document.uri)?;
    let analysis = view.analysis()?;
    let occurrence = analysis.occurrence_at(view.id, view.offset(at.position))?;
    let symbol = analysis.symbol(occurrence.symbol)?;
    // A file's "definition" is its start.
    let span = match symbol.kind {
        SymbolKind::File => Span::default(),
        _ => symbol.span,
    };
    let location = ctx.location(view.unit, symbol.file, span)?;
    Some(GotoDefinitionResponse::Scalar(location))
}

pub fn references(ctx: &Context<'_>, params: ReferenceParams) -> Option<Vec<Location>> {
    let at = params.text_document_position;
    let view = ctx.file(&at.text_document.uri)?;
    let analysis = view.analysis()?;
    let occurrence = analysis.occurrence_at(view.id, view.offset(at.position))?;
    let include_declaration = params.context.include_declaration;
    Some(
        analysis
            .occurrences_of(occurrence.symbol)
            .into_iter()
            .filter(|o| include_declaration || !o.is_definition)
            .filter(|o| !(o.is_definition && o.span == Span::default()))
            .filter_map(|o| ctx.location(view.unit, o.file, o.span))
            .collect(),
    )
}

pub fn highlight(
    ctx: &Context<'_>,
    params: DocumentHighlightParams,
) -> Option<Vec<DocumentHighlight>> {
    let at = params.text_document_position_params;
    let view = ctx.file(&at.text_document.uri)?;
    let analysis = view.analysis()?;
    let occurrence = analysis.occurrence_at(view.id, view.offset(at.position))?;
    Some(
        analysis
            .occurrences_of(occurrence.symbol)
            .into_iter()
            .filter(|o| o.file == view.id && o.span != Span::default())
            .map(|o| DocumentHighlight {
                range: view.range(o.span),
                kind: Some(if o.is_definition {
                    DocumentHighlightKind::WRITE
                } else {
                    DocumentHighlightKind::READ
                }),
            })
            .collect(),
    )
}
