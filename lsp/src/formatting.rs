//! Formatting and range formatting through `acquis fmt`'s engine
//! (`acquis_grammar::format`), on the text the editor has.

use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit};

use crate::context::Context;
use crate::line_index::LineIndex;

fn refuse(error: impl std::fmt::Display) -> ResponseError {
    ResponseError {
        code: ErrorCode::RequestFailed as i32,
        message: format!("cannot format: {error}"),
        data: None,
    }
}

pub fn document(
    ctx: &Context<'_>,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let Some(text) = ctx.text(&params.text_document.uri) else {
        return Ok(None);
    };
    let formatted = acquis_grammar::format::format(text).map_err(refuse)?;
    if formatted == text {
        return Ok(Some(Vec::new()));
    }
    let lines = LineIndex::new(text);
    Ok(Some(vec![TextEdit {
        range: lines.range(text, 0, text.len()),
        new_text: formatted,
    }]))
}

pub fn range(
    ctx: &Context<'_>,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>, ResponseError> {
    let Some(text) = ctx.text(&params.text_document.uri) else {
        return Ok(None);
    };
    let lines = LineIndex::new(text);
    let start = lines.offset(text, params.range.start);
    let end = lines.offset(text, params.range.end).max(start);
    let edits = acquis_grammar::format::format_range(text, start..end).map_err(refuse)?;
    Ok(Some(
        edits
            .into_iter()
            .map(|e| TextEdit {
                range: lines.range(text, e.range.start, e.range.end),
                new_text: e.text,
            })
            .collect(),
    ))
}
