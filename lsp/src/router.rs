//! Routes a request to its handler. Unknown methods get MethodNotFound,
//! bad parameters InvalidParams; a handler that finds nothing answers null.

use lsp_server::{ErrorCode, Request, ResponseError};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::context::Context;

pub fn route(ctx: &Context<'_>, req: &Request) -> Result<serde_json::Value, ResponseError> {
    use crate::*;
    match req.method.as_str() {
        "textDocument/hover" => call(req, |p| Ok(hover::hover(ctx, p))),
        "textDocument/definition" => call(req, |p| Ok(navigation::definition(ctx, p))),
        "textDocument/references" => call(req, |p| Ok(navigation::references(ctx, p))),
        "textDocument/documentHighlight" => call(req, |p| Ok(navigation::highlight(ctx, p))),
        "textDocument/prepareRename" => call(req, |p| rename::prepare(ctx, p)),
        "textDocument/rename" => call(req, |p| rename::rename(ctx, p)),
        "textDocument/completion" => call(req, |p| Ok(completion::complete(ctx, p))),
        "textDocument/documentSymbol" => call(req, |p| Ok(symbols::document(ctx, p))),
        "workspace/symbol" => call(req, |p| Ok(symbols::workspace(ctx, p))),
        "textDocument/foldingRange" => call(req, |p| Ok(structure::folding(ctx, p))),
        "textDocument/selectionRange" => call(req, |p| Ok(structure::selection(ctx, p))),
        "textDocument/semanticTokens/full" => call(req, |p| Ok(tokens::full(ctx, p))),
        "textDocument/semanticTokens/range" => call(req, |p| Ok(tokens::range(ctx, p))),
        "textDocument/codeAction" => call(req, |p| Ok(actions::actions(ctx, p))),
        "textDocument/inlayHint" => call(req, |p| Ok(hints::hints(ctx, p))),
        "textDocument/codeLens" => call(req, |p| Ok(lens::lenses(ctx, p))),
        "textDocument/formatting" => call(req, |p| formatting::document(ctx, p)),
        "textDocument/rangeFormatting" => call(req, |p| formatting::range(ctx, p)),
        method => Err(ResponseError {
            code: ErrorCode::MethodNotFound as i32,
            message: format!("`{method}` is not supported"),
            data: None,
        }),
    }
}

fn call<P: DeserializeOwned, R: Serialize>(
    req: &Request,
    handler: impl FnOnce(P) -> Result<R, ResponseError>,
) -> Result<serde_json::Value, ResponseError> {
    let params: P = serde_json::from_value(req.params.clone()).map_err(|e| ResponseError {
        code: ErrorCode::InvalidParams as i32,
        message: format!("invalid parameters for `{}`: {e}", req.method),
        data: None,
    })?;
    let result = handler(params)?;
    serde_json::to_value(result).map_err(|e| ResponseError {
        code: ErrorCode::InternalError as i32,
        message: e.to_string(),
        data: None,
    })
}
