//! Routes requests and notifications to their handlers by type. Each arm
//! names an `lsp_types` request or notification: it answers that type's
//! `METHOD` and its handler takes that type's `Params` (and, for requests,
//! gives its `Result`), so adding a capability is one typed arm and a
//! misspelt method does not compile. Unknown requests get MethodNotFound,
//! bad parameters InvalidParams; a handler that finds nothing answers null.

use lsp_server::{ErrorCode, Notification, Request, ResponseError};
use lsp_types::notification::Notification as TypedNotification;
use lsp_types::request::{self as requests, Request as TypedRequest};
use serde_json::Value;

use crate::context::Context;

/// The requests answered from a snapshot, without changing the server.
pub fn route(ctx: &Context<'_>, dispatch: Requests<'_>) -> Result<Value, ResponseError> {
    use crate::*;
    use requests::*;
    dispatch
        .on::<HoverRequest>(|p| Ok(hover::hover(ctx, p)))
        .on::<GotoDefinition>(|p| Ok(navigation::definition(ctx, p)))
        .on::<References>(|p| Ok(navigation::references(ctx, p)))
        .on::<DocumentHighlightRequest>(|p| Ok(navigation::highlight(ctx, p)))
        .on::<PrepareRenameRequest>(|p| rename::prepare(ctx, p))
        .on::<Rename>(|p| rename::rename(ctx, p))
        .on::<Completion>(|p| Ok(completion::complete(ctx, p)))
        .on::<DocumentSymbolRequest>(|p| Ok(symbols::document(ctx, p)))
        .on::<WorkspaceSymbolRequest>(|p| Ok(symbols::workspace(ctx, p)))
        .on::<FoldingRangeRequest>(|p| Ok(structure::folding(ctx, p)))
        .on::<SelectionRangeRequest>(|p| Ok(structure::selection(ctx, p)))
        .on::<SemanticTokensFullRequest>(|p| Ok(tokens::full(ctx, p)))
        .on::<SemanticTokensRangeRequest>(|p| Ok(tokens::range(ctx, p)))
        .on::<CodeActionRequest>(|p| Ok(actions::actions(ctx, p)))
        .on::<InlayHintRequest>(|p| Ok(hints::hints(ctx, p)))
        .on::<CodeLensRequest>(|p| Ok(lens::lenses(ctx, p)))
        .on::<Formatting>(|p| formatting::document(ctx, p))
        .on::<RangeFormatting>(|p| formatting::range(ctx, p))
        .finish()
}

/// Whether a request is of type `R`.
pub fn is<R: TypedRequest>(req: &Request) -> bool {
    req.method == R::METHOD
}

/// A request on its way to its handler: the first arm of its type answers.
pub struct Requests<'r> {
    req: &'r Request,
    answer: Option<Result<Value, ResponseError>>,
}

impl<'r> Requests<'r> {
    pub fn new(req: &'r Request) -> Self {
        Requests { req, answer: None }
    }

    /// Answers a request of type `R` with `handler`.
    pub fn on<R: TypedRequest>(
        mut self,
        handler: impl FnOnce(R::Params) -> Result<R::Result, ResponseError>,
    ) -> Self {
        if self.answer.is_none() && is::<R>(self.req) {
            self.answer = Some(call::<R>(self.req, handler));
        }
        self
    }

    /// The answer, or MethodNotFound when no arm took the request.
    pub fn finish(self) -> Result<Value, ResponseError> {
        self.answer.unwrap_or_else(|| {
            Err(ResponseError {
                code: ErrorCode::MethodNotFound as i32,
                message: format!("`{}` is not supported", self.req.method),
                data: None,
            })
        })
    }
}

fn call<R: TypedRequest>(
    req: &Request,
    handler: impl FnOnce(R::Params) -> Result<R::Result, ResponseError>,
) -> Result<Value, ResponseError> {
    let params: R::Params =
        serde_json::from_value(req.params.clone()).map_err(|e| ResponseError {
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

/// A notification on its way to its handler: the first arm of its type
/// takes it. Nothing answers a notification, so one whose parameters
/// cannot be read, or of a type no arm names, is dropped.
pub struct Notifications {
    pending: Option<Notification>,
}

impl Notifications {
    pub fn new(notification: Notification) -> Self {
        Notifications {
            pending: Some(notification),
        }
    }

    /// Gives a notification of type `N` to `handler` with its parameters.
    pub fn on<N: TypedNotification>(mut self, handler: impl FnOnce(N::Params)) -> Self {
        if let Some(n) = self.take::<N>() {
            if let Ok(params) = serde_json::from_value(n.params) {
                handler(params);
            }
        }
        self
    }

    /// Calls `handler` for a notification of type `N`, whose parameters
    /// it does not need (they are not read, so they cannot be wrong).
    pub fn on_any<N: TypedNotification>(mut self, handler: impl FnOnce()) -> Self {
        if self.take::<N>().is_some() {
            handler();
        }
        self
    }

    fn take<N: TypedNotification>(&mut self) -> Option<Notification> {
        match &self.pending {
            Some(n) if n.method == N::METHOD => self.pending.take(),
            _ => None,
        }
    }
}
