//! The editor's index of a compilation: every definition and every
//! reference, with spans, built from the compiler's own resolution (the
//! collected model and the names the rule lowerer resolved). The language
//! server answers hover, definition, references, rename and highlights
//! from it; it never resolves a name itself.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use acquis_grammar::ast::{self, Ident, Item, Span, Value};

use crate::collect::{Entity, Model};
use crate::loader::ParsedFile;
use crate::lower::{Mention, Resolved};
use acquis_diagnostics::source::{FileId, SourceMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Block,
    Competency,
    Assessment,
    Criterion,
    Scale,
    Level,
    Rule,
    /// A parameter of a named rule (its parent).
    Parameter,
    /// A file of the compilation (the target of an `import`, or a `std::` module).
    File,
}

impl SymbolKind {
    pub fn name(self) -> &'static str {
        match self {
            SymbolKind::Block => "block",
            SymbolKind::Competency => "competency",
            SymbolKind::Assessment => "assessment",
            SymbolKind::Criterion => "criterion",
            SymbolKind::Scale => "scale",
            SymbolKind::Level => "level",
            SymbolKind::Rule => "rule",
            SymbolKind::Parameter => "parameter",
            SymbolKind::File => "file",
        }
    }
}

/// Something with a name that can be defined and referenced.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub kind: SymbolKind,
    /// The id everywhere else: qualified for criteria (`C1.3/CE2`), the
    /// level's name for levels, the display path for files.
    pub name: String,
    pub title: Option<String>,
    pub file: FileId,
    /// Where the name is written at the definition (empty for files).
    pub span: Span,
    /// The whole item or member.
    pub item_span: Span,
    /// The block of a competency or assessment, the owner of a criterion,
    /// the scale of a level.
    pub parent: Option<usize>,
    /// A level's rank in its scale, lowest 0.
    pub rank: Option<usize>,
}

/// A place where a symbol is named, other than its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    pub file: FileId,
    pub span: Span,
    pub symbol: usize,
}

/// An occurrence of a symbol: its definition or a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    pub file: FileId,
    pub span: Span,
    pub symbol: usize,
    pub is_definition: bool,
}

/// The index, with the parsed files it points into.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every parsed file (criteria without their indicators, which the IR
    /// took); `std_module` tells the standard library apart.
    pub files: Vec<ParsedFile>,
    pub root: Option<FileId>,
    pub symbols: Vec<Symbol>,
    /// Definitions and references, sorted by file and position.
    pub occurrences: Vec<Occurrence>,
    /// The number of members of each set written in a rule outside named
    /// rules (a named rule's sets depend on where it is used).
    pub set_sizes: HashMap<(FileId, Span), usize>,
}

impl Analysis {
    /// The occurrence under a byte offset; an offset just after a name
    /// still designates it (the cursor after the last letter).
    pub fn occurrence_at(&self, file: FileId, offset: usize) -> Option<Occurrence> {
        let first = self.occurrences.partition_point(|o| o.file < file);
        self.occurrences[first..]
            .iter()
            .take_while(|o| o.file == file && o.span.start <= offset)
            .filter(|o| o.span.end >= offset)
            // The narrowest: `C1.3` inside `C1.3/CE2`.
            .min_by_key(|o| (o.span.end - o.span.start, o.span.start))
            .copied()
    }

    /// Every occurrence of a symbol, definition first.
    pub fn occurrences_of(&self, symbol: usize) -> Vec<Occurrence> {
        let mut out: Vec<Occurrence> = self
            .occurrences
            .iter()
            .filter(|o| o.symbol == symbol)
            .copied()
            .collect();
        out.sort_by_key(|o| !o.is_definition);
        out
    }

    pub fn symbol(&self, index: usize) -> Option<&Symbol> {
        self.symbols.get(index)
    }

    /// The symbol of this kind and name.
    pub fn find(&self, kind: SymbolKind, name: &str) -> Option<usize> {
        self.symbols
            .iter()
            .position(|s| s.kind == kind && s.name == name)
    }

    pub fn file(&self, id: FileId) -> Option<&ParsedFile> {
        self.files.iter().find(|f| f.id == id)
    }
}

/// Builds the index from the model and the names the rules resolved.
pub(crate) fn build(
    model: &Model<'_>,
    files: &[ParsedFile],
    sources: &SourceMap,
    mentions: Vec<Mention>,
) -> Analysis {
    let mut b = Builder {
        model,
        sources,
        symbols: Vec::new(),
        references: Vec::new(),
        entities: HashMap::default(),
        scales: Vec::new(),
        levels: HashMap::default(),
        rules: HashMap::default(),
        file_symbols: HashMap::default(),
        set_sizes: HashMap::default(),
    };
    b.definitions();
    for mention in mentions {
        b.mention(mention);
    }
    for file in files.iter().filter(|f| f.std_module.is_none()) {
        b.file_references(file);
    }
    let Builder {
        symbols,
        references,
        set_sizes,
        ..
    } = b;
    let mut occurrences: Vec<Occurrence> = symbols
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind != SymbolKind::File)
        .map(|(i, s)| Occurrence {
            file: s.file,
            span: s.span,
            symbol: i,
            is_definition: true,
        })
        .chain(references.into_iter().map(|r| Occurrence {
            file: r.file,
            span: r.span,
            symbol: r.symbol,
            is_definition: false,
        }))
        .collect();
    occurrences.sort();
    occurrences.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.symbol == b.symbol);
    Analysis {
        files: Vec::new(),
        root: None,
        symbols,
        occurrences,
        set_sizes: set_sizes
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect(),
    }
}

struct Builder<'m, 'a> {
    model: &'m Model<'a>,
    sources: &'m SourceMap,
    symbols: Vec<Symbol>,
    references: Vec<Reference>,
    entities: HashMap<Entity, usize>,
    /// Symbol of each scale of the model, by scale index.
    scales: Vec<usize>,
    levels: HashMap<(usize, String), usize>,
    rules: HashMap<String, usize>,
    file_symbols: HashMap<FileId, usize>,
    /// `None` when one set span was seen with different sizes.
    set_sizes: HashMap<(FileId, Span), Option<usize>>,
}

impl Builder<'_, '_> {
    fn push(&mut self, symbol: Symbol) -> usize {
        self.symbols.push(symbol);
        self.symbols.len() - 1
    }

    fn definitions(&mut self) {
        let model = self.model;
        for (id, file) in self.sources.iter() {
            let index = self.push(Symbol {
                kind: SymbolKind::File,
                name: file.path.clone(),
                title: None,
                file: id,
                span: Span::default(),
                item_span: Span::new(0, file.text.len()),
                parent: None,
                rank: None,
            });
            self.file_symbols.insert(id, index);
        }
        for (i, b) in model.blocks.iter().enumerate() {
            let index = self.push(entity_symbol(
                SymbolKind::Block,
                &b.ast.id,
                &b.ast.title,
                b.file,
                b.ast.span,
                None,
            ));
            self.entities.insert(Entity::Block(i), index);
        }
        for (i, c) in model.competencies.iter().enumerate() {
            let parent = self.entities.get(&Entity::Block(c.block)).copied();
            let index = self.push(entity_symbol(
                SymbolKind::Competency,
                &c.ast.id,
                &c.ast.title,
                c.file,
                c.ast.span,
                parent,
            ));
            self.entities.insert(Entity::Competency(i), index);
        }
        for (i, a) in model.assessments.iter().enumerate() {
            let parent = a
                .block
                .and_then(|b| self.entities.get(&Entity::Block(b)))
                .copied();
            let index = self.push(entity_symbol(
                SymbolKind::Assessment,
                &a.ast.id,
                &a.ast.title,
                a.file,
                a.ast.span,
                parent,
            ));
            self.entities.insert(Entity::Assessment(i), index);
        }
        for (i, c) in model.criteria.iter().enumerate() {
            let parent = model
                .global
                .get(&c.owner)
                .and_then(|e| self.entities.get(e))
                .copied();
            let mut symbol = entity_symbol(
                SymbolKind::Criterion,
                &c.ast.id,
                &c.ast.title,
                c.file,
                c.ast.span,
                parent,
            );
            symbol.name = c.qualified.clone();
            let index = self.push(symbol);
            self.entities.insert(Entity::Criterion(i), index);
        }
        for (i, s) in model.scales.iter().enumerate() {
            let index = self.push(Symbol {
                kind: SymbolKind::Scale,
                name: s.id().to_string(),
                title: s.ast.title.as_ref().map(|t| t.value.clone()),
                file: s.file,
                span: s.ast.id.span,
                item_span: s.ast.span,
                parent: None,
                rank: None,
            });
            self.scales.push(index);
            if let Some(ast::ScaleKind::Levels(levels)) = &s.ast.kind {
                for (rank, level) in levels.iter().enumerate() {
                    let level_index = self.push(Symbol {
                        kind: SymbolKind::Level,
                        name: level.name.clone(),
                        title: None,
                        file: s.file,
                        span: level.span,
                        item_span: level.span,
                        parent: Some(index),
                        rank: Some(rank),
                    });
                    self.levels.insert((i, level.name.clone()), level_index);
                }
            }
        }
        let mut rules: Vec<_> = model.rules.iter().collect();
        rules.sort_by_key(|(_, (file, rule))| (*file, rule.span.start));
        for (name, (file, rule)) in rules {
            let index = self.push(Symbol {
                kind: SymbolKind::Rule,
                name: name.clone(),
                title: None,
                file: *file,
                span: rule.id.span,
                item_span: rule.span,
                parent: None,
                rank: None,
            });
            self.rules.insert(name.clone(), index);
            self.parameters(*file, rule, index);
        }
    }

    /// A named rule's parameters and the places its body names them: the
    /// only scope in which a bare name can be a parameter.
    fn parameters(&mut self, file: FileId, rule: &ast::NamedRule, rule_symbol: usize) {
        let mut params: HashMap<String, usize> = HashMap::default();
        for param in &rule.params {
            let index = self.push(Symbol {
                kind: SymbolKind::Parameter,
                name: param.name.clone(),
                title: None,
                file,
                span: param.span,
                item_span: param.span,
                parent: Some(rule_symbol),
                rank: None,
            });
            params.insert(param.name.clone(), index);
        }
        let mut names: Vec<&Ident> = Vec::new();
        parameter_names(&rule.body, &mut names);
        for name in names {
            if let Some(&symbol) = params.get(&name.name) {
                self.reference(symbol, file, name.span);
            }
        }
    }

    fn reference(&mut self, symbol: usize, file: FileId, span: Span) {
        self.references.push(Reference { file, span, symbol });
    }

    /// A reference to an entity; a qualified criterion id also names its
    /// owner, so renaming `C1.3` updates `C1.3/CE2`.
    fn entity_reference(&mut self, entity: Entity, file: FileId, id: &Ident) {
        let Some(&symbol) = self.entities.get(&entity) else {
            return;
        };
        match id.name.split_once('/') {
            Some((owner, local)) if matches!(entity, Entity::Criterion(_)) => {
                let owner_end = id.span.start + owner.len();
                if let Some(parent) = self.symbols.get(symbol).and_then(|s| s.parent) {
                    self.reference(parent, file, Span::new(id.span.start, owner_end));
                }
                let local_start = id.span.end.saturating_sub(local.len());
                self.reference(symbol, file, Span::new(local_start, id.span.end));
            }
            _ => self.reference(symbol, file, id.span),
        }
    }

    fn mention(&mut self, mention: Mention) {
        let Mention { target, file, span } = mention;
        match target {
            Resolved::Entity(entity) => {
                let text = self
                    .sources
                    .get(file)
                    .map(|f| f.slice(span.start, span.end).to_string())
                    .unwrap_or_default();
                let id = Ident { name: text, span };
                self.entity_reference(entity, file, &id);
            }
            Resolved::Rule(name) => {
                if let Some(&symbol) = self.rules.get(&name) {
                    self.reference(symbol, file, span);
                }
            }
            Resolved::Level { scale, level } => {
                if let Some(&symbol) = self.levels.get(&(scale, level)) {
                    self.reference(symbol, file, span);
                }
            }
            Resolved::SetSize(size) => {
                let entry = self.set_sizes.entry((file, span)).or_insert(Some(size));
                if *entry != Some(size) {
                    *entry = None;
                }
            }
        }
    }

    fn scale_reference(&mut self, file: FileId, id: &Ident) {
        if let Some(&s) = self.model.scale_by_id.get(&id.name) {
            if let Some(&symbol) = self.scales.get(s) {
                self.reference(symbol, file, id.span);
            }
        }
    }

    fn level_reference(&mut self, scale: Option<usize>, file: FileId, value: &Value) {
        if let (Some(scale), Value::Name(level)) = (scale, value) {
            if let Some(&symbol) = self.levels.get(&(scale, level.name.clone())) {
                self.reference(symbol, file, level.span);
            }
        }
    }

    /// The level of a statement `absent counts as LEVEL` that applies to
    /// the criteria `applies`: a reference to that level in the first of
    /// their scales that has it.
    fn absent_reference(
        &mut self,
        file: FileId,
        rule: Option<&ast::AbsentRule>,
        applies: impl Fn(usize, &crate::collect::CriterionDef<'_>) -> bool,
    ) {
        let Some(ast::AbsentRule {
            counts_as: ast::AbsentValue::Value(value @ Value::Name(level)),
            ..
        }) = rule
        else {
            return;
        };
        let scale = self
            .model
            .criteria
            .iter()
            .enumerate()
            .filter(|(k, c)| applies(*k, c))
            .filter_map(|(_, c)| c.scale)
            .find(|&s| self.levels.contains_key(&(s, level.name.clone())));
        self.level_reference(scale, file, value);
    }

    /// The references the collector resolved by table: covers, scales,
    /// pass levels, imports, `use`, and the ids of examples.
    fn file_references(&mut self, file: &ParsedFile) {
        let model = self.model;
        let id = file.id;
        let criteria: HashMap<(FileId, usize), usize> = model
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.file, c.ast.id.span.start), i))
            .collect();
        for item in &file.ast.items {
            match item {
                Item::Use(u) => self.use_references(id, u),
                Item::Import(import) => {
                    let base = Path::new(self.sources.path(id))
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    let target = base.join(&import.path.value);
                    let display = target.to_string_lossy();
                    if let Some(target) = self.sources.find(&display) {
                        if let Some(&symbol) = self.file_symbols.get(&target) {
                            self.reference(symbol, id, import.path.span);
                        }
                    }
                }
                Item::Defaults(d) => {
                    if let Some(scale) = &d.criterion_scale {
                        self.scale_reference(id, scale);
                    }
                    self.absent_reference(id, d.absent.as_deref(), |_, _| true);
                }
                Item::Scale(s) => {
                    let index = model.scale_by_id.get(&s.id.name).copied();
                    let own = index.filter(|&i| model.scales.get(i).is_some_and(|d| d.file == id));
                    if let Some(pass) = &s.pass {
                        self.level_reference(own, id, pass);
                    }
                    if let Some(ast::AbsentRule {
                        counts_as: ast::AbsentValue::Value(value),
                        ..
                    }) = &s.absent
                    {
                        self.level_reference(own, id, value);
                    }
                }
                Item::Block(block) => {
                    let criteria_of = block
                        .competencies
                        .iter()
                        .flat_map(|c| &c.criteria)
                        .chain(
                            block
                                .assessments
                                .iter()
                                .flat_map(|a| &a.jointly)
                                .flat_map(|j| &j.criteria),
                        )
                        .chain(
                            block
                                .assessments
                                .iter()
                                .flat_map(|a| &a.parts)
                                .map(|p| &p.criterion),
                        );
                    for criterion in criteria_of {
                        if let Some(scale) = &criterion.scale {
                            self.scale_reference(id, scale);
                        }
                        let k = criteria.get(&(id, criterion.id.span.start)).copied();
                        let scale = k.and_then(|k| model.criteria.get(k)).and_then(|c| c.scale);
                        if let Some(pass) = &criterion.pass {
                            self.level_reference(scale, id, pass);
                        }
                    }
                    for assessment in &block.assessments {
                        let def = model
                            .assessments
                            .iter()
                            .find(|a| a.file == id && a.ast.id.span == assessment.id.span);
                        if let Some(def) = def {
                            self.absent_reference(id, assessment.absent.as_ref(), |k, c| {
                                def.criteria.contains(&k)
                                    || def.covers.iter().any(|ci| c.competencies.contains(ci))
                            });
                        }
                        let named = assessment
                            .covers
                            .iter()
                            .chain(assessment.jointly.iter().flat_map(|j| &j.competencies));
                        for competency in named {
                            if let Some(&e @ Entity::Competency(_)) =
                                model.global.get(&competency.name)
                            {
                                self.entity_reference(e, id, competency);
                            }
                        }
                    }
                }
                // A certification-level assessment: its parts' scales.
                Item::Assessment(a) => {
                    for part in &a.parts {
                        if let Some(scale) = &part.criterion.scale {
                            self.scale_reference(id, scale);
                        }
                    }
                }
                Item::Example(example) => {
                    for grade in &example.grades {
                        if let Some(&k) = model.criterion_by_id.get(&grade.criterion.name) {
                            self.entity_reference(Entity::Criterion(k), id, &grade.criterion);
                            let scale = model.criteria.get(k).and_then(|c| c.scale);
                            self.level_reference(scale, id, &grade.value);
                        }
                    }
                    for x in &example.expectations {
                        let entity = match model.criterion_by_id.get(&x.target.name) {
                            Some(&k) => Some(Entity::Criterion(k)),
                            None => model.global.get(&x.target.name).copied(),
                        };
                        if let Some(entity) = entity {
                            self.entity_reference(entity, id, &x.target);
                        }
                    }
                }
                Item::Equivalence(e) => {
                    for target in &e.grants {
                        self.record_reference(id, target);
                    }
                }
                Item::Dispensation(d) => {
                    for target in &d.dispenses {
                        self.record_reference(id, target);
                    }
                }
                Item::Keep(ast::Keep { targets, .. }) | Item::Jury(ast::Jury { targets, .. }) => {
                    for target in targets {
                        if let ast::RecordTarget::Id(target) = target {
                            self.record_reference(id, target);
                        }
                    }
                }
                Item::Referential(_) | Item::Rule(_) | Item::Certification(_) => {}
            }
            if let Item::Example(example) = item {
                for target in example
                    .earlier
                    .iter()
                    .map(|x| &x.target)
                    .chain(example.decisions.iter().map(|d| &d.target))
                {
                    self.record_reference(id, target);
                }
            }
        }
    }

    /// An id named by a record item or an example's record: a criterion
    /// (qualified) or an entity.
    fn record_reference(&mut self, file: FileId, target: &ast::Ident) {
        let model = self.model;
        let entity = match model.criterion_by_id.get(&target.name) {
            Some(&k) => Some(Entity::Criterion(k)),
            None => model.global.get(&target.name).copied(),
        };
        if let Some(entity) = entity {
            self.entity_reference(entity, file, target);
        }
    }

    /// `use std::scales::acquisition`: `scales` names the module's file,
    /// `acquisition` the item defined there.
    fn use_references(&mut self, file: FileId, u: &ast::UseDecl) {
        let (Some(root), Some(module)) = (u.path.first(), u.path.get(1)) else {
            return;
        };
        if root.name != "std" {
            return;
        }
        let Some(module_file) = self
            .sources
            .find(&acquis_stdlib::display_path(&module.name))
        else {
            return;
        };
        if let Some(&symbol) = self.file_symbols.get(&module_file) {
            self.reference(symbol, file, module.span);
        }
        if let Some(item) = u.path.get(2) {
            let symbol = self.symbols.iter().position(|s| {
                s.file == module_file
                    && s.name == item.name
                    && matches!(s.kind, SymbolKind::Scale | SymbolKind::Rule)
            });
            if let Some(symbol) = symbol {
                self.reference(symbol, file, item.span);
            }
        }
    }
}

fn entity_symbol(
    kind: SymbolKind,
    id: &Ident,
    title: &ast::Text,
    file: FileId,
    item_span: Span,
    parent: Option<usize>,
) -> Symbol {
    Symbol {
        kind,
        name: id.name.clone(),
        title: Some(title.value.clone()),
        file,
        span: id.span,
        item_span,
        parent,
        rank: None,
    }
}

/// The bare names of a rule body that stand where a parameter may: counts,
/// thresholds, arguments and numbers.
fn parameter_names<'a>(expr: &'a ast::Expr, out: &mut Vec<&'a Ident>) {
    use ast::{Count, ExprKind, NumExpr, Predicate, Quantifier};
    fn count<'a>(c: &'a Count, out: &mut Vec<&'a Ident>) {
        if let Count::Param(id) = c {
            out.push(id);
        }
    }
    fn predicate<'a>(p: Option<&'a Predicate>, out: &mut Vec<&'a Ident>) {
        if let Some(Predicate::Compare(_, Value::Name(id), _)) = p {
            out.push(id);
        }
    }
    fn num<'a>(n: &'a NumExpr, out: &mut Vec<&'a Ident>) {
        match n {
            NumExpr::Param(id) => out.push(id),
            NumExpr::Aggregate { predicate: p, .. } => predicate(p.as_ref(), out),
            NumExpr::Binary { lhs, rhs, .. } => {
                num(lhs, out);
                num(rhs, out);
            }
            NumExpr::Extremum { args, .. } => args.iter().for_each(|a| num(a, out)),
            NumExpr::Round { arg, decimals, .. } => {
                num(arg, out);
                if let Some(Value::Name(id)) = decimals {
                    out.push(id);
                }
            }
            NumExpr::Number(..) => {}
        }
    }
    match &expr.kind {
        ExprKind::And(parts) | ExprKind::Or(parts) => {
            parts.iter().for_each(|p| parameter_names(p, out))
        }
        ExprKind::Not(inner) => parameter_names(inner, out),
        ExprKind::Quantified {
            quantifier,
            predicate: p,
            ..
        } => {
            if let Quantifier::AtLeast(c) | Quantifier::AtMost(c) = quantifier {
                count(c, out);
            }
            predicate(p.as_ref(), out);
        }
        ExprKind::Counted {
            at_least,
            size,
            predicate: p,
            ..
        } => {
            count(at_least, out);
            count(size, out);
            predicate(p.as_ref(), out);
        }
        ExprKind::Member { predicate: p, .. } => predicate(Some(p), out),
        ExprKind::Call { args, .. } => out.extend(args.iter().filter_map(|a| match a {
            Value::Name(id) => Some(id),
            Value::Number(..) => None,
        })),
        ExprKind::Compare { lhs, rhs, .. } => {
            num(lhs, out);
            num(rhs, out);
        }
    }
}
