//! Completion in context: what may be typed at the cursor, read from the
//! words before it on its line and the entity around it in the analysis.

use acquis_compiler::analysis::{Analysis, Symbol, SymbolKind};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, InsertTextFormat,
};

use crate::context::Context;
use crate::snapshot::FileView;

/// Words after which a rule expects an id, a set or a rule form.
const RULE_WORDS: &[&str] = &[
    "when", "and", "or", "not", "all", "any", "none", "of", "except", "(", "{", ",",
];
const COMPARISONS: &[&str] = &[">=", "<=", "!=", ">", "<", "="];
const RULE_FORMS: &[&str] = &[
    "all",
    "any",
    "none",
    "at least",
    "at most",
    "not",
    "criteria",
    "competencies",
    "blocks",
    "average",
    "weighted average",
    "min",
    "max",
    "sum",
    "count",
    "size",
];

/// What the cursor's context allows.
#[derive(Debug, PartialEq)]
enum Place {
    StdPath(Vec<String>),
    Use,
    Levels,
    Scales,
    Covers,
    Rule,
    Grades,
    Expect,
    Keywords,
    Nothing,
}

pub fn complete(ctx: &Context<'_>, params: CompletionParams) -> Option<CompletionResponse> {
    let at = params.text_document_position;
    let view = ctx.file(&at.text_document.uri)?;
    let offset = view.offset(at.position);
    if crate::text::in_comment_or_string(view.text, offset) {
        return Some(CompletionResponse::Array(Vec::new()));
    }
    let analysis = view.analysis()?;
    let line = crate::text::line_before(view.text, offset);
    let enclosing = enclosing(analysis, &view, offset);
    let place = place(line, view.text, offset, enclosing.map(|s| s.kind));
    let items = match place {
        Place::StdPath(path) => std_items(&path),
        Place::Use => vec![item(
            "std::",
            CompletionItemKind::MODULE,
            "the standard library",
        )],
        Place::Levels => levels(analysis),
        Place::Scales => symbols_of(analysis, SymbolKind::Scale, None),
        Place::Covers => {
            let block = enclosing.and_then(|s| match s.kind {
                SymbolKind::Block => analysis.find(SymbolKind::Block, &s.name),
                _ => s.parent,
            });
            symbols_of(analysis, SymbolKind::Competency, block)
        }
        Place::Rule => rule_items(analysis, enclosing),
        Place::Grades => symbols_of(analysis, SymbolKind::Criterion, None),
        Place::Expect => {
            let mut items = symbols_of(analysis, SymbolKind::Criterion, None);
            for kind in [SymbolKind::Competency, SymbolKind::Block] {
                items.extend(symbols_of(analysis, kind, None));
            }
            items.push(item(
                "certification",
                CompletionItemKind::KEYWORD,
                "the certification",
            ));
            items
        }
        Place::Keywords => keyword_items(enclosing.map(|s| s.kind), line),
        Place::Nothing => Vec::new(),
    };
    Some(CompletionResponse::Array(items))
}

/// The narrowest block, competency or assessment around the cursor.
fn enclosing<'a>(analysis: &'a Analysis, view: &FileView<'_>, offset: usize) -> Option<&'a Symbol> {
    analysis
        .symbols
        .iter()
        .filter(|s| {
            s.file == view.id
                && matches!(
                    s.kind,
                    SymbolKind::Block
                        | SymbolKind::Competency
                        | SymbolKind::Assessment
                        | SymbolKind::Criterion
                )
                && s.item_span.start < offset
                && offset < s.item_span.end
        })
        .min_by_key(|s| s.item_span.end - s.item_span.start)
}

fn place(line: &str, text: &str, offset: usize, enclosing: Option<SymbolKind>) -> Place {
    let trimmed = line.trim_start();
    // The word being typed does not decide the context; the ones before it do.
    let before_word = line.trim_end_matches(|c: char| crate::text::is_ident_char(c) || c == '/');
    let words: Vec<&str> = before_word.split_whitespace().collect();
    let last = words.last().copied().unwrap_or("");
    if let Some(path) = trimmed.strip_prefix("use ") {
        let segments: Vec<String> = path.split("::").map(|s| s.trim().to_string()).collect();
        return match segments.as_slice() {
            [only] if !"std::".starts_with(only.as_str()) && !only.is_empty() => Place::Nothing,
            [_] => Place::Use,
            [root, rest @ ..] if root == "std" => {
                Place::StdPath(rest[..rest.len().saturating_sub(1)].to_vec())
            }
            _ => Place::Nothing,
        };
    }
    if COMPARISONS.iter().any(|c| last.ends_with(c)) || last == "pass" {
        return Place::Levels;
    }
    if last == "scale" {
        return Place::Scales;
    }
    if words
        .first()
        .is_some_and(|w| *w == "covers" || *w == "jointly")
    {
        return Place::Covers;
    }
    let open = open_section(text, offset);
    if open == Some("grades") {
        return if last.contains('/')
            || last.parse::<f64>().is_ok()
            || last.is_empty()
            || last == "{"
            || last.ends_with(',')
        {
            Place::Grades
        } else {
            Place::Levels
        };
    }
    if words.first() == Some(&"expect") {
        return Place::Expect;
    }
    let in_rule = line.contains("validated when") || line.contains("rule ") && line.contains('=');
    if in_rule && (RULE_WORDS.iter().any(|w| last.ends_with(w)) || last == "=") {
        return Place::Rule;
    }
    if words.is_empty() {
        return Place::Keywords;
    }
    if in_rule {
        return Place::Rule;
    }
    if enclosing.is_none() && words.len() <= 1 {
        return Place::Keywords;
    }
    Place::Nothing
}

/// `grades` when the cursor is inside an example's `grades { … }`.
fn open_section(text: &str, offset: usize) -> Option<&'static str> {
    let before = text.get(..crate::text::floor_boundary(text, offset))?;
    let open = before.rfind('{')?;
    if before[open..].contains('}') {
        return None;
    }
    before[..open]
        .trim_end()
        .ends_with("grades")
        .then_some("grades")
}

fn item(label: &str, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        ..CompletionItem::default()
    }
}

fn snippet(label: &str, body: &str, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::SNIPPET),
        detail: Some(detail.to_string()),
        insert_text: Some(body.to_string()),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        ..CompletionItem::default()
    }
}

fn kind_of(kind: SymbolKind) -> CompletionItemKind {
    match kind {
        SymbolKind::Block => CompletionItemKind::MODULE,
        SymbolKind::Competency => CompletionItemKind::CLASS,
        SymbolKind::Assessment => CompletionItemKind::EVENT,
        SymbolKind::Criterion => CompletionItemKind::FIELD,
        SymbolKind::Scale => CompletionItemKind::ENUM,
        SymbolKind::Level => CompletionItemKind::ENUM_MEMBER,
        SymbolKind::Rule => CompletionItemKind::FUNCTION,
        SymbolKind::File => CompletionItemKind::FILE,
    }
}

fn symbol_item(symbol: &Symbol, label: &str) -> CompletionItem {
    let mut detail = symbol.kind.name().to_string();
    if let Some(title) = &symbol.title {
        detail = format!("{detail} — {title}");
    }
    item(label, kind_of(symbol.kind), &detail)
}

fn symbols_of(analysis: &Analysis, kind: SymbolKind, parent: Option<usize>) -> Vec<CompletionItem> {
    analysis
        .symbols
        .iter()
        .filter(|s| s.kind == kind && (parent.is_none() || s.parent == parent))
        .map(|s| symbol_item(s, &s.name))
        .collect()
}

/// Every level, once, with the scales it belongs to.
fn levels(analysis: &Analysis) -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = Vec::new();
    for level in analysis
        .symbols
        .iter()
        .filter(|s| s.kind == SymbolKind::Level)
    {
        let scale = level
            .parent
            .and_then(|p| analysis.symbol(p))
            .map_or("", |s| s.name.as_str());
        match items.iter_mut().find(|i| i.label == level.name) {
            Some(existing) => {
                if let Some(detail) = &mut existing.detail {
                    detail.push_str(&format!(", {scale}"));
                }
            }
            None => items.push(item(
                &level.name,
                CompletionItemKind::ENUM_MEMBER,
                &format!("level of {scale}"),
            )),
        }
    }
    items
}

/// Ids a rule can read here: the competency's own criteria by short id,
/// competencies, blocks, named rules, and the rule forms.
fn rule_items(analysis: &Analysis, enclosing: Option<&Symbol>) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    let competency = enclosing.and_then(|s| match s.kind {
        SymbolKind::Competency => analysis.find(SymbolKind::Competency, &s.name),
        SymbolKind::Criterion => s.parent,
        _ => None,
    });
    if let Some(competency) = competency {
        for c in analysis
            .symbols
            .iter()
            .filter(|s| s.kind == SymbolKind::Criterion && s.parent == Some(competency))
        {
            let short = c.name.rsplit('/').next().unwrap_or(&c.name);
            items.push(symbol_item(c, short));
        }
    }
    for kind in [SymbolKind::Competency, SymbolKind::Block] {
        items.extend(symbols_of(analysis, kind, None));
    }
    for rule in analysis
        .symbols
        .iter()
        .filter(|s| s.kind == SymbolKind::Rule)
    {
        let mut completion = symbol_item(rule, &rule.name);
        completion.insert_text = Some(format!("{}($1)", rule.name));
        completion.insert_text_format = Some(InsertTextFormat::SNIPPET);
        items.push(completion);
    }
    for form in RULE_FORMS {
        let help =
            crate::keywords::find(form.split(' ').next().unwrap_or(form)).map_or("", |k| k.help);
        items.push(item(form, CompletionItemKind::KEYWORD, help));
    }
    items
}

/// Keywords that may start a line where the cursor is, and snippets.
fn keyword_items(enclosing: Option<SymbolKind>, line: &str) -> Vec<CompletionItem> {
    let words: &[&str] = match enclosing {
        None => &[
            "referential",
            "use",
            "import",
            "scale",
            "rule",
            "defaults",
            "block",
            "certification",
            "example",
        ],
        Some(SymbolKind::Block) => &[
            "summary",
            "mission",
            "situation",
            "competency",
            "assessment",
            "validated",
        ],
        Some(SymbolKind::Competency) => &["criterion", "validated"],
        Some(SymbolKind::Criterion) => &["indicator", "scale", "pass", "weight"],
        Some(SymbolKind::Assessment) => &[
            "covers",
            "kind",
            "description",
            "task",
            "deliverable",
            "note",
            "duration",
            "accommodation",
            "jointly",
        ],
        Some(_) => &[],
    };
    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    let mut items: Vec<CompletionItem> = words
        .iter()
        .map(|w| {
            item(
                w,
                CompletionItemKind::KEYWORD,
                crate::keywords::find(w).map_or("", |k| k.help),
            )
        })
        .collect();
    match enclosing {
        Some(SymbolKind::Block) => items.push(snippet(
            "competency …",
            &format!("competency ${{1:C1.1}} \"${{2:title}}\" {{\n{indent}  criterion ${{3:CE1}} \"${{4:title}}\" {{\n{indent}    indicator \"${{5}}\"\n{indent}  }}\n{indent}  validated when ${{6:all criteria acquired}}\n{indent}}}"),
            "a new competency with a criterion and its rule",
        )),
        Some(SymbolKind::Competency) => items.push(snippet(
            "criterion …",
            &format!("criterion ${{1:CE1}} \"${{2:title}}\" {{\n{indent}  indicator \"${{3}}\"\n{indent}}}"),
            "a new criterion with an indicator",
        )),
        _ => {}
    }
    items
}

/// `use std::` → modules; `use std::scales::` → the module's items.
fn std_items(path: &[String]) -> Vec<CompletionItem> {
    match path {
        [] => acquis_stdlib::MODULES
            .iter()
            .map(|m| {
                item(
                    m.name,
                    CompletionItemKind::MODULE,
                    "standard library module",
                )
            })
            .collect(),
        [module] => {
            let Some(module) = acquis_stdlib::module(module) else {
                return Vec::new();
            };
            let mut items = vec![item(
                "*",
                CompletionItemKind::MODULE,
                "every item of the module",
            )];
            // The standard library's own source says what it holds.
            for parsed in acquis_grammar::parse(module.source).items {
                match parsed {
                    acquis_grammar::ast::Item::Scale(s) => items.push(item(
                        &s.id.name,
                        CompletionItemKind::ENUM,
                        &s.title.map_or_else(
                            || "scale".to_string(),
                            |t| format!("scale — {}", t.value),
                        ),
                    )),
                    acquis_grammar::ast::Item::Rule(r) => {
                        items.push(item(&r.id.name, CompletionItemKind::FUNCTION, "rule"))
                    }
                    _ => {}
                }
            }
            items
        }
        _ => Vec::new(),
    }
}
