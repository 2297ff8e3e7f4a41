//! Code actions: the compiler's machine-applicable suggestions as quick
//! fixes, and two fixes of structure: add a missing rule, cover an
//! uncovered competency in an assessment of its block.

use std::collections::HashMap;

use acquis_compiler::analysis::{Analysis, SymbolKind};
use acquis_compiler::{Code, Diagnostic};
use acquis_grammar::ast::{Item, Span};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, WorkspaceEdit,
};

use crate::context::Context;
use crate::snapshot::FileView;

pub fn actions(ctx: &Context<'_>, params: CodeActionParams) -> Option<CodeActionResponse> {
    let view = ctx.file(&params.text_document.uri)?;
    let start = view.offset(params.range.start);
    let end = view.offset(params.range.end);
    let unit = view.unit;
    let mut out = Vec::new();
    let touching = unit.compilation.diagnostics.iter().filter(|d| {
        d.primary.file == view.id && d.primary.span.start <= end && start <= d.primary.span.end
    });
    for d in touching {
        let lsp_diagnostic = crate::diagnostics::convert(unit, d, ctx.lang);
        let single = d.suggestions.len() == 1;
        for s in &d.suggestions {
            let Some(edit) = edit(ctx, &view, s.file, s.span, &s.replacement) else {
                continue;
            };
            out.push(action(
                s.message.render(ctx.lang),
                edit,
                &lsp_diagnostic,
                single,
            ));
        }
        let fixes = match d.code {
            Code::NoRule => add_rule(&view, d).into_iter().collect(),
            Code::UncoveredCompetency => add_cover(&view, d),
            Code::UnknownScale | Code::UnknownRule => add_use(&view, d).into_iter().collect(),
            _ => Vec::new(),
        };
        for (title, span, text) in fixes {
            if let Some(edit) = edit(ctx, &view, view.id, span, &text) {
                out.push(action(title, edit, &lsp_diagnostic, false));
            }
        }
    }
    Some(out)
}

fn action(
    title: String,
    edit: WorkspaceEdit,
    d: &lsp_types::Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn edit(
    ctx: &Context<'_>,
    view: &FileView<'_>,
    file: acquis_diagnostics::source::FileId,
    span: Span,
    text: &str,
) -> Option<WorkspaceEdit> {
    let uri = ctx.uri(view.unit, file)?;
    let edit = TextEdit {
        range: view.unit.range(file, span),
        new_text: text.to_string(),
    };
    Some(WorkspaceEdit {
        changes: Some(HashMap::from([(uri, vec![edit])])),
        ..WorkspaceEdit::default()
    })
}

/// The competency or block the diagnostic points at (its id).
fn entity_at<'a>(
    analysis: &'a Analysis,
    view: &FileView<'_>,
    d: &Diagnostic,
) -> Option<&'a acquis_compiler::analysis::Symbol> {
    let occurrence = analysis.occurrence_at(view.id, d.primary.span.start)?;
    analysis
        .symbol(occurrence.symbol)
        .filter(|_| occurrence.is_definition)
}

/// `validated when …` before the entity's closing brace, or a body.
fn add_rule(view: &FileView<'_>, d: &Diagnostic) -> Option<(String, Span, String)> {
    let analysis = view.analysis()?;
    let entity = entity_at(analysis, view, d)?;
    let rule = match entity.kind {
        SymbolKind::Competency => "validated when all criteria acquired",
        SymbolKind::Block => "validated when all competencies validated",
        _ => return None,
    };
    let span = entity.item_span;
    let indent = indentation(view.text, span.start);
    let title = format!("add `{rule}` to `{}`", entity.name);
    if view.text.get(span.end.saturating_sub(1)..span.end) == Some("}") {
        let close = span.end - 1;
        // Before the closing brace's line, indented one step more.
        let line_start = view.text[..close].rfind('\n').map_or(0, |i| i + 1);
        let insert = if view.text[line_start..close].trim().is_empty() {
            line_start
        } else {
            close
        };
        let text = if insert == line_start {
            format!("{indent}  {rule}\n")
        } else {
            format!("\n{indent}  {rule}\n{indent}")
        };
        return Some((title, Span::new(insert, insert), text));
    }
    Some((
        title,
        Span::new(span.end, span.end),
        format!(" {{\n{indent}  {rule}\n{indent}}}"),
    ))
}

fn indentation(text: &str, offset: usize) -> String {
    crate::text::line_before(text, offset)
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect()
}

/// `covers` the competency in each assessment of its block.
fn add_cover(view: &FileView<'_>, d: &Diagnostic) -> Vec<(String, Span, String)> {
    let Some(analysis) = view.analysis() else {
        return Vec::new();
    };
    let Some(competency) = entity_at(analysis, view, d) else {
        return Vec::new();
    };
    let Some(block) = competency.parent.and_then(|b| analysis.symbol(b)) else {
        return Vec::new();
    };
    let Some(ast) = view.ast() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in &ast.items {
        let Item::Block(b) = item else { continue };
        if b.id.name != block.name || b.span != block.item_span {
            continue;
        }
        for a in &b.assessments {
            let title = format!("cover `{}` in assessment `{}`", competency.name, a.id.name);
            match a.covers.last() {
                Some(last) => out.push((
                    title,
                    Span::new(last.span.end, last.span.end),
                    format!(", {}", competency.name),
                )),
                None => {
                    let Some(brace) = view
                        .text
                        .get(a.title.span.end..a.span.end)
                        .and_then(|t| t.find('{'))
                    else {
                        continue;
                    };
                    let at = a.title.span.end + brace + 1;
                    let indent = indentation(view.text, a.span.start);
                    out.push((
                        title,
                        Span::new(at, at),
                        format!("\n{indent}  covers {}", competency.name),
                    ));
                }
            }
        }
    }
    out
}

/// `use std::MODULE::NAME` for a scale or rule the standard library has,
/// after the last `use` (or the header), when the name is not declared.
fn add_use(view: &FileView<'_>, d: &Diagnostic) -> Option<(String, Span, String)> {
    let name = view.text.get(d.primary.span.start..d.primary.span.end)?;
    let module = acquis_stdlib::MODULES.iter().find(|m| {
        acquis_grammar::parse(m.source)
            .items
            .iter()
            .any(|item| match item {
                Item::Scale(s) => s.id.name == name && d.code == Code::UnknownScale,
                Item::Rule(r) => r.id.name == name && d.code == Code::UnknownRule,
                _ => false,
            })
    })?;
    let ast = view.ast()?;
    let after = ast
        .items
        .iter()
        .filter(|item| matches!(item, Item::Use(_) | Item::Referential(_)))
        .filter_map(crate::hover::item_span)
        .map(|s| s.end)
        .max()
        .unwrap_or(0);
    let line = format!("use std::{}::{name}", module.name);
    let (at, text) = if after == 0 {
        (0, format!("{line}\n"))
    } else {
        (after, format!("\n{line}"))
    };
    Some((format!("add `{line}`"), Span::new(at, at), text))
}
