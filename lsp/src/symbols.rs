//! Document symbols (blocks → competencies → criteria, assessments, …)
//! from the parsed file, and workspace symbols from the index.

use acquis_compiler::analysis::SymbolKind as Kind;
use acquis_grammar::ast::{self, Item, Span};
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolInformation, SymbolKind,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::context::Context;
use crate::snapshot::FileView;

/// Workspace symbol answers are capped: an editor shows a short list.
const WORKSPACE_LIMIT: usize = 256;

pub fn document(ctx: &Context<'_>, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let view = ctx.file(&params.text_document.uri)?;
    let ast = view.ast()?;
    let symbols = ast
        .items
        .iter()
        .filter_map(|item| item_symbol(&view, item))
        .collect();
    Some(DocumentSymbolResponse::Nested(symbols))
}

#[allow(
    deprecated,
    reason = "DocumentSymbol::deprecated must be set; it is None"
)]
fn symbol(
    view: &FileView<'_>,
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.is_empty() {
            "(unnamed)".to_string()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: view.range(span),
        selection_range: view.range(selection),
        children: (!children.is_empty()).then_some(children),
    }
}

/// An assessment with its shared criteria and its parts.
fn assessment(view: &FileView<'_>, a: &ast::Assessment) -> DocumentSymbol {
    let children = a
        .jointly
        .iter()
        .flat_map(|j| &j.criteria)
        .chain(a.parts.iter().map(|p| &p.criterion))
        .map(|k| criterion(view, k))
        .collect();
    symbol(
        view,
        a.id.name.clone(),
        Some(a.title.value.clone()),
        SymbolKind::EVENT,
        a.span,
        a.id.span,
        children,
    )
}

fn item_symbol(view: &FileView<'_>, item: &Item) -> Option<DocumentSymbol> {
    Some(match item {
        Item::Referential(r) => symbol(
            view,
            r.id.name.clone(),
            Some(r.title.value.clone()),
            SymbolKind::FILE,
            r.span,
            r.id.span,
            Vec::new(),
        ),
        Item::Scale(s) => {
            let levels = match &s.kind {
                Some(ast::ScaleKind::Levels(levels)) => levels
                    .iter()
                    .map(|l| {
                        symbol(
                            view,
                            l.name.clone(),
                            None,
                            SymbolKind::ENUM_MEMBER,
                            l.span,
                            l.span,
                            Vec::new(),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            symbol(
                view,
                s.id.name.clone(),
                s.title.as_ref().map(|t| t.value.clone()),
                SymbolKind::ENUM,
                s.span,
                s.id.span,
                levels,
            )
        }
        Item::Rule(r) => symbol(
            view,
            r.id.name.clone(),
            None,
            SymbolKind::FUNCTION,
            r.span,
            r.id.span,
            Vec::new(),
        ),
        Item::Block(b) => {
            let mut children: Vec<DocumentSymbol> = b
                .competencies
                .iter()
                .map(|c| {
                    let criteria = c.criteria.iter().map(|k| criterion(view, k)).collect();
                    symbol(
                        view,
                        c.id.name.clone(),
                        Some(c.title.value.clone()),
                        SymbolKind::CLASS,
                        c.span,
                        c.id.span,
                        criteria,
                    )
                })
                .collect();
            children.extend(b.assessments.iter().map(|a| assessment(view, a)));
            symbol(
                view,
                b.id.name.clone(),
                Some(b.title.value.clone()),
                SymbolKind::MODULE,
                b.span,
                b.id.span,
                children,
            )
        }
        Item::Assessment(a) => assessment(view, a),
        Item::Certification(c) => symbol(
            view,
            "certification".to_string(),
            None,
            SymbolKind::BOOLEAN,
            c.span,
            c.span,
            Vec::new(),
        ),
        Item::Example(e) => symbol(
            view,
            e.name.value.clone(),
            Some("example".to_string()),
            SymbolKind::METHOD,
            e.span,
            e.name.span,
            Vec::new(),
        ),
        Item::Equivalence(e) => symbol(
            view,
            e.id.name.clone(),
            Some(e.title.value.clone()),
            SymbolKind::INTERFACE,
            e.span,
            e.id.span,
            Vec::new(),
        ),
        Item::Dispensation(d) => symbol(
            view,
            d.id.name.clone(),
            Some(d.title.value.clone()),
            SymbolKind::INTERFACE,
            d.span,
            d.id.span,
            Vec::new(),
        ),
        Item::Keep(k) => symbol(
            view,
            "keep".to_string(),
            None,
            SymbolKind::PROPERTY,
            k.span,
            k.span,
            Vec::new(),
        ),
        Item::Jury(j) => symbol(
            view,
            "jury".to_string(),
            None,
            SymbolKind::PROPERTY,
            j.span,
            j.span,
            Vec::new(),
        ),
        Item::Defaults(d) => symbol(
            view,
            "defaults".to_string(),
            None,
            SymbolKind::OBJECT,
            d.span,
            d.span,
            Vec::new(),
        ),
        Item::Use(_) | Item::Import(_) => return None,
    })
}

fn criterion(view: &FileView<'_>, c: &ast::Criterion) -> DocumentSymbol {
    symbol(
        view,
        c.id.name.clone(),
        Some(c.title.value.clone()),
        SymbolKind::FIELD,
        c.span,
        c.id.span,
        Vec::new(),
    )
}

fn kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Block => SymbolKind::MODULE,
        Kind::Competency => SymbolKind::CLASS,
        Kind::Assessment => SymbolKind::EVENT,
        Kind::Criterion => SymbolKind::FIELD,
        Kind::Scale => SymbolKind::ENUM,
        Kind::Level => SymbolKind::ENUM_MEMBER,
        Kind::Rule => SymbolKind::FUNCTION,
        Kind::Parameter => SymbolKind::VARIABLE,
        Kind::File => SymbolKind::FILE,
    }
}

/// Symbols whose id or title contains the query (case-insensitive), from
/// every referential, the standard library left out.
#[allow(
    deprecated,
    reason = "SymbolInformation::deprecated must be set; it is None"
)]
pub fn workspace(
    ctx: &Context<'_>,
    params: WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let query = params.query.to_lowercase();
    let mut out: Vec<SymbolInformation> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for unit in &ctx.snapshot.units {
        let Some(analysis) = unit.analysis() else {
            continue;
        };
        for s in &analysis.symbols {
            if s.kind == Kind::File || unit.compilation.sources.path(s.file).starts_with("<std>") {
                continue;
            }
            let matches = s.name.to_lowercase().contains(&query)
                || s.title
                    .as_ref()
                    .is_some_and(|t| t.to_lowercase().contains(&query));
            if !matches || !seen.insert((unit.path(s.file).map(|p| p.to_path_buf()), s.span)) {
                continue;
            }
            let Some(location) = ctx.location(unit, s.file, s.span) else {
                continue;
            };
            out.push(SymbolInformation {
                name: s.name.clone(),
                kind: kind(s.kind),
                tags: None,
                deprecated: None,
                location,
                container_name: s
                    .parent
                    .and_then(|p| analysis.symbol(p))
                    .map(|p| p.name.clone()),
            });
            if out.len() >= WORKSPACE_LIMIT {
                return Some(WorkspaceSymbolResponse::Flat(out));
            }
        }
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}
