//! Code lenses on `example` blocks and the command that runs one: the
//! server runs the compiler's `run_examples` on that example alone and
//! shows the result in the lens (and as a message).

use acquis_grammar::ast::Item;
use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{
    CodeLens, CodeLensParams, Command, ExecuteCommandParams, MessageType, ShowMessageParams,
};

use crate::context::Context;
use crate::examples::{ExampleResults, ExampleRun, FailureReport};
use crate::snapshot::Snapshot;

pub const RUN_EXAMPLE: &str = "acquis.runExample";

pub fn lenses(ctx: &Context<'_>, params: CodeLensParams) -> Option<Vec<CodeLens>> {
    let uri = params.text_document.uri;
    let view = ctx.file(&uri)?;
    let path = crate::paths::to_path(&uri)?;
    let ast = view.ast()?;
    let lenses = ast
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Example(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let title = match ctx.examples.get(&path, &e.name.value) {
                None => "▶ Run example".to_string(),
                Some(run) if run.passed => {
                    format!("✓ passed ({} expectations) · run again", run.checked)
                }
                Some(run) => format!(
                    "✗ {} of {} failed · run again",
                    run.failures.len(),
                    run.checked
                ),
            };
            CodeLens {
                range: view.range(e.name.span),
                command: Some(Command {
                    title,
                    command: RUN_EXAMPLE.to_string(),
                    arguments: Some(vec![
                        serde_json::Value::String(uri.as_str().to_string()),
                        serde_json::Value::String(e.name.value.clone()),
                    ]),
                }),
                data: None,
            }
        })
        .collect();
    Some(lenses)
}

fn invalid(message: &str) -> ResponseError {
    ResponseError {
        code: ErrorCode::InvalidParams as i32,
        message: message.to_string(),
        data: None,
    }
}

/// What running an example gives the server: the answer to the command,
/// and the message to show the user.
pub struct Ran {
    pub answer: serde_json::Value,
    pub message: ShowMessageParams,
}

/// `workspace/executeCommand`: runs one example of an open file and keeps
/// its result in `examples`, for its lens.
pub fn execute(
    snapshot: &Snapshot,
    examples: &mut ExampleResults,
    params: ExecuteCommandParams,
) -> Result<Ran, ResponseError> {
    if params.command != RUN_EXAMPLE {
        return Err(invalid(&format!("unknown command `{}`", params.command)));
    }
    let (Some(uri), Some(name)) = (
        params.arguments.first().and_then(|v| v.as_str()),
        params.arguments.get(1).and_then(|v| v.as_str()),
    ) else {
        return Err(invalid("expected the file's URI and the example's name"));
    };
    let path = uri
        .parse::<lsp_types::Uri>()
        .ok()
        .and_then(|u| crate::paths::to_path(&u))
        .ok_or_else(|| invalid("not a file URI"))?;
    let view = snapshot
        .file(&path)
        .ok_or_else(|| invalid("the file is not analysed"))?;
    let ir = view
        .unit
        .compilation
        .ir
        .as_ref()
        .ok_or_else(|| invalid("the referential could not be compiled"))?;
    if view.unit.compilation.has_errors() {
        return Err(ResponseError {
            code: ErrorCode::RequestFailed as i32,
            message: "the referential has errors; fix them to run its examples".to_string(),
            data: None,
        });
    }
    let mut one = ir.clone();
    one.examples.retain(|e| e.name == name);
    if one.examples.is_empty() {
        return Err(invalid(&format!("no example named “{name}”")));
    }
    let (failures, checked) = acquis_eval::run_examples(&one);
    let run = ExampleRun {
        example: name.to_string(),
        passed: failures.is_empty(),
        checked,
        failures: failures
            .into_iter()
            .map(|f| FailureReport {
                id: f.id,
                expected: f.expected.word().to_string(),
                actual: f.actual.map_or("unknown", |o| o.word()).to_string(),
                reason: f.reason,
            })
            .collect(),
    };
    let message = if run.passed {
        format!("example “{name}”: passed ({checked} expectations)")
    } else {
        let details: Vec<String> = run
            .failures
            .iter()
            .map(|f| {
                format!(
                    "{} is {} (expected {}): {}",
                    f.id, f.actual, f.expected, f.reason
                )
            })
            .collect();
        format!(
            "example “{name}”: {} of {checked} failed — {}",
            run.failures.len(),
            details.join("; ")
        )
    };
    let typ = if run.passed {
        MessageType::INFO
    } else {
        MessageType::WARNING
    };
    let answer = serde_json::to_value(&run).unwrap_or_default();
    examples.record(path, run);
    Ok(Ran {
        answer,
        message: ShowMessageParams { typ, message },
    })
}
