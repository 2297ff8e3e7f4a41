//! Hover: what an id is (kind, title, its rule in plain words, where it is
//! used), a level's scale and rank, a keyword's one line of help.

use acquis_compiler::analysis::{Analysis, SymbolKind};
use acquis_diagnostics::source::FileId;
use acquis_grammar::ast::{Item, Span};
use acquis_ir::describe::{sentence, Lang, Lookup, Subject};
use acquis_ir::{Ir, RuleOrigin, ScaleKindIr, ValueIr};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::context::Context;
use crate::snapshot::Unit;

/// At most this many places are listed under "used in".
const PLACES_SHOWN: usize = 8;

pub fn hover(ctx: &Context<'_>, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let view = ctx.file(&at.text_document.uri)?;
    let offset = view.offset(at.position);
    let analysis = view.analysis()?;
    if let Some(occurrence) = analysis.occurrence_at(view.id, offset) {
        let text = describe(view.unit, analysis, occurrence.symbol);
        return Some(markdown(text, Some(view.range(occurrence.span))));
    }
    if crate::text::in_comment_or_string(view.text, offset) {
        return None;
    }
    let (word, start, end) = crate::text::word_at(view.text, offset)?;
    let keyword = crate::keywords::find(word)?;
    Some(markdown(
        format!("`{}`: {}", keyword.word, keyword.help),
        Some(view.range(Span::new(start, end))),
    ))
}

fn markdown(value: String, range: Option<lsp_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

/// The hover text of a symbol.
pub fn describe(unit: &Unit, analysis: &Analysis, index: usize) -> String {
    let Some(symbol) = analysis.symbol(index) else {
        return String::new();
    };
    let ir = unit.compilation.ir.as_ref();
    let name = &symbol.name;
    let mut out = match symbol.kind {
        // A file by its name; its folder is the editor's business.
        SymbolKind::File => {
            let file_name = std::path::Path::new(name)
                .file_name()
                .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
            match name
                .strip_prefix("<std>/")
                .and_then(|n| n.strip_suffix(".acquis"))
            {
                Some(module) => format!("**standard library module** `std::{module}`"),
                None => format!("**file** `{file_name}`"),
            }
        }
        _ => format!("**{}** `{name}`", symbol.kind.name()),
    };
    if let Some(title) = &symbol.title {
        out.push_str(&format!(" — {title}"));
    }
    match symbol.kind {
        SymbolKind::Competency | SymbolKind::Block => {
            if let Some(sentence) = ir.and_then(|ir| rule_sentence(ir, symbol.kind, name)) {
                out.push_str(&format!("\n\n{sentence}"));
            }
        }
        SymbolKind::Criterion => {
            let part = ir.and_then(|ir| {
                ir.assessments
                    .iter()
                    .find_map(|a| a.parts.iter().find(|p| &p.id == name).map(|p| (a, p)))
            });
            let c = ir.and_then(|ir| ir.criteria.iter().find(|c| &c.id == name));
            if let (Some((a, p)), Some(c), Some(ir)) = (part, c, ir) {
                // A part is graded like a criterion but read as a mark of its épreuve.
                out = format!("**part** `{name}` — {}", c.title);
                out.push_str(&format!(
                    "\n\npart of assessment `{}`, scale `{}`, pass mark `{}`, coefficient {}",
                    a.id,
                    c.scale,
                    value_text(&c.pass),
                    c.weight
                ));
                out.push_str(&part_details(ir, p));
            } else if let Some(c) = c {
                out.push_str(&format!(
                    "\n\nscale `{}`, acquired from `{}`",
                    c.scale,
                    value_text(&c.pass)
                ));
                if c.weight != acquis_ir::Decimal::ONE {
                    out.push_str(&format!(", weight {}", c.weight));
                }
            }
        }
        SymbolKind::Assessment => {
            if let Some(a) = ir.and_then(|ir| ir.assessments.iter().find(|a| &a.id == name)) {
                out.push_str(&format!("\n\ncovers {}", a.covers.join(", ")));
                if a.block.is_empty() {
                    out.push_str("; outside the blocks (certification level)");
                }
                if let Some(ir) = ir {
                    for part in &a.parts {
                        out.push_str(&format!("\n- part `{}`", part.id));
                        if let Some(c) = ir.criteria.iter().find(|c| c.id == part.id) {
                            out.push_str(&format!(", coefficient {}", c.weight));
                        }
                        out.push_str(&part_details(ir, part));
                    }
                }
                if let Some(rule) = &a.rule {
                    out.push_str(&format!("\n\nvalidated when {}", rule.text));
                }
            }
        }
        SymbolKind::Scale => {
            if let Some(s) = ir.and_then(|ir| ir.scales.iter().find(|s| &s.id == name)) {
                let kind = match &s.kind {
                    ScaleKindIr::Levels { levels } => format!(
                        "levels {}",
                        levels
                            .iter()
                            .map(|l| match s.label(l) {
                                Some(label) => format!("{l} {label:?}"),
                                None => l.clone(),
                            })
                            .collect::<Vec<_>>()
                            .join(" < ")
                    ),
                    ScaleKindIr::Range { min, max, step } => {
                        format!("range {min} .. {max} step {step}")
                    }
                };
                out.push_str(&format!("\n\n{kind}, pass `{}`", value_text(&s.pass)));
            }
        }
        SymbolKind::Level => {
            let scale = symbol.parent.and_then(|p| analysis.symbol(p));
            if let (Some(scale), Some(rank)) = (scale, symbol.rank) {
                let count = analysis
                    .symbols
                    .iter()
                    .filter(|s| s.kind == SymbolKind::Level && s.parent == symbol.parent)
                    .count();
                out.push_str(&format!(
                    "\n\nlevel of scale `{}`, rank {} of {count} (lowest is 1)",
                    scale.name,
                    rank + 1
                ));
                let scale_ir = ir.and_then(|ir| ir.scales.iter().find(|s| s.id == scale.name));
                if let Some(label) = scale_ir.and_then(|s| s.label(name)) {
                    out.push_str(&format!(", written {label:?} in grade files too"));
                }
                let pass = scale_ir.map(|s| value_text(&s.pass));
                if pass.as_deref() == Some(name.as_str()) {
                    out.push_str("; the scale's pass level");
                }
            }
        }
        SymbolKind::Rule => {
            if let Some(file) = unit.source(symbol.file) {
                let text = file.slice(symbol.item_span.start, symbol.item_span.end);
                out.push_str(&format!("\n\n```acquis\n{text}\n```"));
            }
        }
        SymbolKind::Parameter => {
            if let Some(rule) = symbol.parent.and_then(|p| analysis.symbol(p)) {
                out.push_str(&format!(
                    " of rule `{}`: stands for the number or level given where the rule is used",
                    rule.name
                ));
            }
        }
        SymbolKind::File => {}
    }
    let places = used_in(unit, analysis, index);
    if !places.is_empty() {
        let shown: Vec<&str> = places
            .iter()
            .take(PLACES_SHOWN)
            .map(String::as_str)
            .collect();
        out.push_str(&format!("\n\nused in {}", shown.join(", ")));
        let uses = analysis
            .occurrences_of(index)
            .iter()
            .filter(|o| !o.is_definition)
            .count();
        if places.len() > PLACES_SHOWN || uses > 4 * PLACES_SHOWN {
            out.push_str(&format!(" and more ({uses} uses in all)"));
        }
    }
    out
}

/// A part's duration (as `acquis doc` words it), form and whether it is
/// optional, each after a comma.
fn part_details(ir: &Ir, part: &acquis_ir::PartIr) -> String {
    let mut out = String::new();
    if let Some(d) = &part.duration {
        out.push_str(&format!(
            ", {}",
            acquis_ir::describe::duration(Lang::of(ir), d)
        ));
    }
    if let Some(form) = &part.form {
        out.push_str(&format!(", {form}"));
    }
    if let Some(examiners) = &part.examiners {
        out.push_str(&format!(", examiners: {examiners}"));
    }
    if part.optional {
        out.push_str(", optional");
    }
    out
}

/// The entity's rule in the referential's language, worded as `acquis doc`
/// words it (`acquis_ir::describe`), so the editor and the printed
/// referential agree; a default rule says so, since it is written elsewhere.
fn rule_sentence(ir: &Ir, kind: SymbolKind, name: &str) -> Option<String> {
    let (subject, rule) = match kind {
        SymbolKind::Competency => {
            let c = ir.competencies.iter().find(|c| c.id == name)?;
            (Subject::Competency(&c.id), &c.rule)
        }
        SymbolKind::Block => {
            let b = ir.blocks.iter().find(|b| b.id == name)?;
            (Subject::Block(&b.id), &b.rule)
        }
        _ => return None,
    };
    let lang = Lang::of(ir);
    let text = sentence(&Lookup::new(ir), lang, subject, &rule.expr);
    Some(match rule.origin {
        RuleOrigin::Own => text,
        // "… sont tous acquis (règle par défaut)." : the note belongs to
        // the sentence.
        RuleOrigin::Default => format!(
            "{} {}.",
            text.strip_suffix('.').unwrap_or(&text),
            lang.t("(default rule)", "(règle par défaut)")
        ),
        RuleOrigin::Assessment => format!(
            "{} {}.",
            text.strip_suffix('.').unwrap_or(&text),
            lang.t(
                "(decided by the assessments that cover it)",
                "(décidée par les épreuves qui l'évaluent)"
            )
        ),
    })
}

fn value_text(value: &ValueIr) -> String {
    match value {
        ValueIr::Level(level) => level.clone(),
        ValueIr::Number(n) => n.to_string(),
    }
}

/// Where a symbol is referenced, as places a designer knows: "the rule of
/// C1.3", "assessment E1", "example “…”". Distinct, in file order; only
/// the first references are placed, so a level used thousands of times
/// in a large referential still hovers at once.
pub fn used_in(unit: &Unit, analysis: &Analysis, index: usize) -> Vec<String> {
    let mut places: Vec<String> = Vec::new();
    let references = analysis
        .occurrences_of(index)
        .into_iter()
        .filter(|o| !o.is_definition);
    for occurrence in references.take(4 * PLACES_SHOWN) {
        let place = place_of(unit, analysis, occurrence.file, occurrence.span);
        if !places.contains(&place) {
            places.push(place);
        }
    }
    places
}

fn place_of(unit: &Unit, analysis: &Analysis, file: FileId, span: Span) -> String {
    let owner = analysis
        .symbols
        .iter()
        .filter(|s| {
            s.file == file
                && matches!(
                    s.kind,
                    SymbolKind::Block
                        | SymbolKind::Competency
                        | SymbolKind::Assessment
                        | SymbolKind::Rule
                )
                && s.item_span.start <= span.start
                && span.end <= s.item_span.end
        })
        .min_by_key(|s| s.item_span.end - s.item_span.start);
    if let Some(owner) = owner {
        return format!("{} `{}`", owner.kind.name(), owner.name);
    }
    let item = analysis.file(file).and_then(|f| {
        f.ast.items.iter().find(|item| {
            item_span(item).is_some_and(|s| s.start <= span.start && span.end <= s.end)
        })
    });
    let full = unit.compilation.sources.path(file);
    // The file's name: the whole path is noise in a tooltip.
    let path = std::path::Path::new(full)
        .file_name()
        .map_or(full.to_string(), |n| n.to_string_lossy().into_owned());
    match item {
        Some(Item::Certification(_)) => "the certification rule".to_string(),
        Some(Item::Example(e)) => format!("example “{}”", e.name.value),
        Some(Item::Defaults(_)) => "defaults".to_string(),
        Some(Item::Use(_)) => format!("a `use` in {path}"),
        Some(Item::Import(_)) => format!("an `import` in {path}"),
        Some(Item::Scale(s)) => format!("scale `{}`", s.id.name),
        _ => path,
    }
}

pub fn item_span(item: &Item) -> Option<Span> {
    Some(match item {
        Item::Referential(x) => x.span,
        Item::Use(x) => x.span,
        Item::Import(x) => x.span,
        Item::Scale(x) => x.span,
        Item::Defaults(x) => x.span,
        Item::Rule(x) => x.span,
        Item::Block(x) => x.span,
        Item::Assessment(x) => x.span,
        Item::Certification(x) => x.span,
        Item::Example(x) => x.span,
        Item::Equivalence(x) => x.span,
        Item::Dispensation(x) => x.span,
        Item::Keep(x) => x.span,
        Item::Jury(x) => x.span,
    })
}
