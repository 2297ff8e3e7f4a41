//! Completion in context: what may be typed at the cursor, read from the
//! words before it on its line and the entity around it in the analysis.

use acquis_compiler::analysis::{Analysis, Symbol, SymbolKind};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, InsertTextFormat,
};

use crate::context::Context;
use crate::keywords::{
    line_starts, ABSENT, ALL, AND, ANY, AS, CERTIFICATION, COUNTS, EXCEPT, NONE, NOT, OF, OR,
    RULE_FORMS, WHEN,
};

/// Words after which a rule expects an id, a set or a rule form.
const RULE_WORDS: &[&str] = &[
    WHEN.word,
    AND.word,
    OR.word,
    NOT.word,
    ALL.word,
    ANY.word,
    NONE.word,
    OF.word,
    EXCEPT.word,
    "(",
    "{",
    ",",
];
const COMPARISONS: &[&str] = &[">=", "<=", "!=", ">", "<", "="];

/// What the cursor's context allows.
#[derive(Debug, PartialEq)]
enum Place {
    StdPath(Vec<String>),
    Use,
    /// Levels, of the scale of the id before the cursor when there is one
    /// (`CE1 >= ‸`, a grade's `C1.3/CE1 ‸`).
    Levels(Option<String>),
    /// After `absent`: `counts as`.
    AbsentCounts,
    /// After `absent counts as`: `not acquired`, and the levels of the
    /// scale being written (of every scale elsewhere).
    AbsentValue,
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
    // The member being typed is usually a syntax error the parser skipped:
    // names also come from the last analysis without one.
    let mut analyses: Vec<&Analysis> = view.analysis().into_iter().collect();
    let clean = crate::paths::to_path(&at.text_document.uri)
        .and_then(|p| ctx.clean.file(&p))
        .and_then(|v| v.analysis());
    analyses.extend(clean);
    let names = Names { analyses };
    let line = crate::text::line_before(view.text, offset);
    let open = crate::text::open_items(view.text, offset);
    let innermost = open.last().map(|(k, _)| k.as_str());
    let id_of = |keyword: &str| {
        open.iter()
            .rev()
            .find(|(k, _)| k == keyword)
            .map(|(_, id)| id.as_str())
    };
    let items = match place(line, innermost) {
        Place::StdPath(path) => std_items(&path),
        Place::Use => vec![item(
            "std::",
            CompletionItemKind::MODULE,
            "the standard library",
        )],
        Place::Levels(subject) => {
            let graded = subject.clone().filter(|_| innermost == Some("grades"));
            // The scale of that criterion (short ids are the competency's),
            // or of the scale being written, else every level.
            let scale = match (subject, id_of("scale")) {
                (_, Some(scale)) if innermost == Some("scale") => Some(scale.to_string()),
                // `pass ‸` in a criterion: its own scale.
                (None, _) if innermost == Some("criterion") => {
                    let owner = id_of("competency").or(id_of("assessment")).unwrap_or("");
                    let own = id_of("criterion").unwrap_or("");
                    criterion_scale(ctx, &view, &at.text_document.uri, &format!("{owner}/{own}"))
                }
                (Some(id), _) => {
                    let qualified = match (id.contains('/'), id_of("competency")) {
                        (false, Some(competency)) => format!("{competency}/{id}"),
                        _ => id,
                    };
                    criterion_scale(ctx, &view, &at.text_document.uri, &qualified)
                }
                _ => None,
            };
            let mut items = match scale.map(|s| names.of(SymbolKind::Level, Some(&s))) {
                Some(levels) if !levels.is_empty() => levels,
                _ => names.levels(),
            };
            // A grade of an example may be `ABS` when the referential says
            // what absence counts as for that criterion.
            if let Some(qualified) = graded {
                if let Some(absent) =
                    criterion_absence(ctx, &view, &at.text_document.uri, &qualified)
                {
                    items.push(item("ABS", CompletionItemKind::CONSTANT, &absent));
                }
            }
            items
        }
        Place::AbsentCounts => vec![item("counts as", CompletionItemKind::KEYWORD, COUNTS.help)],
        Place::AbsentValue => {
            let mut items = vec![item(
                "not acquired",
                CompletionItemKind::KEYWORD,
                "the criterion is not acquired; rules read its scale's lowest grade",
            )];
            let scale = id_of("scale").filter(|_| innermost == Some("scale"));
            items.extend(match scale {
                Some(scale) => names.of(SymbolKind::Level, Some(scale)),
                None => names.levels(),
            });
            items
        }
        Place::Scales => names.of(SymbolKind::Scale, None),
        Place::Covers => names.of(SymbolKind::Competency, id_of("block")),
        Place::Rule => rule_items(&names, id_of("competency"), id_of("assessment")),
        Place::Grades => names.of(SymbolKind::Criterion, None),
        Place::Expect => {
            let mut items = names.of(SymbolKind::Criterion, None);
            for kind in [SymbolKind::Competency, SymbolKind::Block] {
                items.extend(names.of(kind, None));
            }
            items.push(item(
                CERTIFICATION.word,
                CompletionItemKind::KEYWORD,
                "the certification",
            ));
            items
        }
        Place::Keywords => keyword_items(innermost, line),
        Place::Nothing => Vec::new(),
    };
    Some(CompletionResponse::Array(items))
}

/// The scale of a criterion, from the current compilation or the last clean one.
fn criterion_scale(
    ctx: &Context<'_>,
    view: &crate::snapshot::FileView<'_>,
    uri: &lsp_types::Uri,
    qualified: &str,
) -> Option<String> {
    let clean = crate::paths::to_path(uri).and_then(|p| ctx.clean.file(&p));
    [Some(view.unit), clean.map(|v| v.unit)]
        .into_iter()
        .flatten()
        .filter_map(|unit| unit.compilation.ir.as_ref())
        .find_map(|ir| ir.criteria.iter().find(|c| c.id == qualified))
        .map(|c| c.scale.clone())
        .filter(|s| !s.is_empty())
}

/// What an absent grade of a criterion counts as, in words, when the
/// referential says it (from the current compilation or the last clean
/// one).
fn criterion_absence(
    ctx: &Context<'_>,
    view: &crate::snapshot::FileView<'_>,
    uri: &lsp_types::Uri,
    qualified: &str,
) -> Option<String> {
    let clean = crate::paths::to_path(uri).and_then(|p| ctx.clean.file(&p));
    let absent = [Some(view.unit), clean.map(|v| v.unit)]
        .into_iter()
        .flatten()
        .filter_map(|unit| unit.compilation.ir.as_ref())
        .find_map(|ir| ir.criteria.iter().find(|c| c.id == qualified))?
        .absent
        .as_ref()?;
    Some(match (absent.counts_as, &absent.value) {
        (acquis_ir::AbsentKind::NotAcquired, _) => "absent: not acquired".to_string(),
        (acquis_ir::AbsentKind::Value, acquis_ir::ValueIr::Level(l)) => {
            format!("absent: counts as {l}")
        }
        (acquis_ir::AbsentKind::Value, acquis_ir::ValueIr::Number(n)) => {
            format!("absent: counts as {n}")
        }
    })
}

/// Names from the current analysis and the last clean one, each once.
struct Names<'a> {
    analyses: Vec<&'a Analysis>,
}

impl Names<'_> {
    /// Symbols of a kind, only those under the parent named `parent`.
    fn symbols(&self, kind: SymbolKind, parent: Option<&str>) -> Vec<(&Symbol, String)> {
        let mut out: Vec<(&Symbol, String)> = Vec::new();
        let mut seen: std::collections::HashSet<(String, String)> =
            std::collections::HashSet::new();
        for analysis in &self.analyses {
            for s in analysis.symbols.iter().filter(|s| s.kind == kind) {
                let parent_name = s
                    .parent
                    .and_then(|p| analysis.symbol(p))
                    .map(|p| p.name.as_str());
                if parent.is_some() && parent != parent_name {
                    continue;
                }
                let detail = match (s.kind, parent_name) {
                    (SymbolKind::Level, Some(scale)) => scale.to_string(),
                    _ => String::new(),
                };
                if seen.insert((s.name.clone(), detail.clone())) {
                    out.push((s, detail));
                }
            }
        }
        out
    }

    fn of(&self, kind: SymbolKind, parent: Option<&str>) -> Vec<CompletionItem> {
        self.symbols(kind, parent)
            .into_iter()
            .map(|(s, _)| symbol_item(s, &s.name))
            .collect()
    }

    /// Every level, once, with the scales it belongs to.
    fn levels(&self) -> Vec<CompletionItem> {
        let mut items: Vec<CompletionItem> = Vec::new();
        for (level, scale) in self.symbols(SymbolKind::Level, None) {
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
}

fn place(line: &str, innermost: Option<&str>) -> Place {
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
    if COMPARISONS.iter().any(|c| last.ends_with(c)) {
        // `CE1 >= ‸` or `CE1>=‸`: the id is before the operator.
        let operator = COMPARISONS
            .iter()
            .find(|c| last.ends_with(*c))
            .map_or(0, |c| c.len());
        let glued = &last[..last.len() - operator];
        let subject = if glued.is_empty() {
            words
                .len()
                .checked_sub(2)
                .and_then(|i| words.get(i))
                .copied()
        } else {
            Some(glued)
        };
        return Place::Levels(subject.map(str::to_string));
    }
    if last == "pass" {
        return Place::Levels(None);
    }
    if words.first() == Some(&ABSENT.word) {
        return match words.as_slice() {
            [_] => Place::AbsentCounts,
            [_, counts, as_] if *counts == COUNTS.word && *as_ == AS.word => Place::AbsentValue,
            _ => Place::Nothing,
        };
    }
    if last == "scale" {
        return Place::Scales;
    }
    // `covers C1.1, ‸` and `jointly C1.1, ‸`, also after `{` on one line.
    if let Some(i) = words
        .iter()
        .rposition(|w| *w == "covers" || *w == "jointly")
    {
        if !words[i..].contains(&"{") {
            return Place::Covers;
        }
    }
    if innermost == Some("grades") {
        // After an id and its space, a grade; otherwise an id.
        let after_id = last.contains('/') && before_word.ends_with(' ');
        return if after_id {
            Place::Levels(Some(last.to_string()))
        } else {
            Place::Grades
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
    Place::Nothing
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
        SymbolKind::Parameter => CompletionItemKind::VARIABLE,
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

/// Ids a rule can read here: the competency's own criteria by short id,
/// in an épreuve's rule its parts by short id (and `parts`), elsewhere
/// the épreuves' parts by qualified id (`E2/ecrit`); competencies, blocks,
/// épreuves, named rules, and the rule forms.
fn rule_items(
    names: &Names<'_>,
    competency: Option<&str>,
    assessment: Option<&str>,
) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    if let Some(owner) = competency.or(assessment) {
        for (c, _) in names.symbols(SymbolKind::Criterion, Some(owner)) {
            let short = c.name.rsplit('/').next().unwrap_or(&c.name);
            items.push(symbol_item(c, short));
        }
    }
    for kind in [SymbolKind::Competency, SymbolKind::Block] {
        items.extend(names.of(kind, None));
    }
    // Épreuves that carry marks (only they can have an outcome), then
    // their parts.
    let mut parts = Vec::new();
    for (a, _) in names.symbols(SymbolKind::Assessment, None) {
        let own = names.symbols(SymbolKind::Criterion, Some(&a.name));
        if own.is_empty() {
            continue;
        }
        items.push(symbol_item(a, &a.name));
        if Some(a.name.as_str()) != assessment {
            parts.extend(own.into_iter().map(|(p, _)| symbol_item(p, &p.name)));
        }
    }
    items.extend(parts);
    for (rule, _) in names.symbols(SymbolKind::Rule, None) {
        let mut completion = symbol_item(rule, &rule.name);
        completion.insert_text = Some(format!("{}($1)", rule.name));
        completion.insert_text_format = Some(InsertTextFormat::SNIPPET);
        items.push(completion);
    }
    for (form, keyword) in RULE_FORMS {
        // `parts` is the set of an épreuve's parts, in its own rule only.
        if *form == "parts" && assessment.is_none() {
            continue;
        }
        items.push(item(form, CompletionItemKind::KEYWORD, keyword.help));
    }
    items
}

/// Keywords that may start a line where the cursor is, and snippets.
fn keyword_items(innermost: Option<&str>, line: &str) -> Vec<CompletionItem> {
    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
    let mut items: Vec<CompletionItem> = line_starts(innermost)
        .iter()
        .map(|k| item(k.word, CompletionItemKind::KEYWORD, k.help))
        .collect();
    match innermost {
        Some("block") => items.push(snippet(
            "competency …",
            &format!("competency ${{1:C1.1}} \"${{2:title}}\" {{\n{indent}  criterion ${{3:CE1}} \"${{4:title}}\" {{\n{indent}    indicator \"${{5}}\"\n{indent}  }}\n{indent}  validated when ${{6:all criteria acquired}}\n{indent}}}"),
            "a new competency with a criterion and its rule",
        )),
        Some("competency") | Some("jointly") => items.push(snippet(
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
