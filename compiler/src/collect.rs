//! First pass over the parsed files: gather every entity, give criteria
//! their qualified ids, attach shared criteria and covers, resolve scales,
//! and report duplicates and unknown names.

use acquis_diagnostics::text;
use rustc_hash::FxHashMap as HashMap;

use acquis_grammar::ast::{self, Ident, Item, Span};

use crate::loader::ParsedFile;
use acquis_diagnostics::codes::Code;
use acquis_diagnostics::diagnostic::{did_you_mean, Diagnostic};
use acquis_diagnostics::source::FileId;
use acquis_ir::{
    AbsentIr, AbsentKind, AbsentOrigin, AbsentRuleIr, Decimal, Exact, ScaleKindIr, ValueIr,
};

/// A scale after checking, with what evaluation needs.
#[derive(Debug, Clone)]
pub struct ScaleDef<'a> {
    pub ast: &'a ast::Scale,
    pub file: FileId,
    pub kind: ScaleKindIr,
    pub pass: ValueIr,
    /// Its `absent counts as …`, checked against it: `None` when it has
    /// none, or when its value is not on the scale (reported).
    pub absent: Option<AbsentRuleIr>,
}

impl ScaleDef<'_> {
    pub fn id(&self) -> &str {
        &self.ast.id.name
    }

    pub fn levels(&self) -> Option<&[String]> {
        match &self.kind {
            ScaleKindIr::Levels { levels } => Some(levels),
            ScaleKindIr::Range { .. } => None,
        }
    }

    pub fn rank(&self, level: &str) -> Option<usize> {
        self.levels()?.iter().position(|l| l == level)
    }

    /// Its lowest grade: the first level, or the minimum.
    pub fn lowest(&self) -> ValueIr {
        match &self.kind {
            ScaleKindIr::Levels { levels } => {
                ValueIr::Level(levels.first().cloned().unwrap_or_default())
            }
            ScaleKindIr::Range { min, .. } => ValueIr::Number(*min),
        }
    }

    /// Lowest and highest value: marks for a range, ranks for levels.
    pub fn bounds(&self) -> (f64, f64) {
        match &self.kind {
            ScaleKindIr::Levels { levels } => (0.0, levels.len().saturating_sub(1) as f64),
            ScaleKindIr::Range { min, max, .. } => (min.to_f64(), max.to_f64()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Block(usize),
    Competency(usize),
    Assessment(usize),
    Criterion(usize),
}

#[derive(Debug)]
pub struct BlockDef<'a> {
    pub ast: &'a ast::Block,
    pub file: FileId,
    pub competencies: Vec<usize>,
    pub assessments: Vec<usize>,
}

#[derive(Debug)]
pub struct CompetencyDef<'a> {
    pub ast: &'a ast::Competency,
    pub file: FileId,
    pub block: usize,
    pub criteria: Vec<usize>,
    pub assessments: Vec<usize>,
}

#[derive(Debug)]
pub struct CriterionDef<'a> {
    pub ast: &'a ast::Criterion,
    pub file: FileId,
    pub qualified: String,
    pub owner: String,
    pub competencies: Vec<usize>,
    pub scale: Option<usize>,
    pub pass: Option<ValueIr>,
    /// What an absent grade counts as (`resolve_absence`).
    pub absent: Option<AbsentIr>,
    /// The assessment whose part it is (`part ecrit …`), if it is one.
    pub part_of: Option<usize>,
    /// Where the criterion is in the parsed files, so the IR can take its
    /// indicators instead of copying them.
    pub locator: Locator,
}

/// A criterion's place in `files[file].ast.items[item]` (a block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locator {
    pub file: usize,
    pub item: usize,
    pub owner: OwnerIndex,
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerIndex {
    Competency(usize),
    Jointly {
        assessment: usize,
        section: usize,
    },
    /// A part of an assessment (`part ecrit …`), a criterion of it.
    Part {
        assessment: usize,
        index: usize,
    },
}

impl Locator {
    /// The criterion it designates, mutably.
    pub fn find<'f>(&self, files: &'f mut [ParsedFile]) -> Option<&'f mut ast::Criterion> {
        let item = files.get_mut(self.file)?.ast.items.get_mut(self.item)?;
        let block = match item {
            Item::Block(block) => block,
            // A certification-level assessment: the item is the assessment.
            Item::Assessment(a) => {
                return match self.owner {
                    OwnerIndex::Part { index, .. } => {
                        a.parts.get_mut(index).map(|p| &mut p.criterion)
                    }
                    OwnerIndex::Jointly { section, .. } => {
                        a.jointly.get_mut(section)?.criteria.get_mut(self.index)
                    }
                    OwnerIndex::Competency(_) => None,
                };
            }
            _ => return None,
        };
        let criteria = match self.owner {
            OwnerIndex::Part { assessment, index } => {
                return block
                    .assessments
                    .get_mut(assessment)?
                    .parts
                    .get_mut(index)
                    .map(|p| &mut p.criterion);
            }
            OwnerIndex::Competency(c) => &mut block.competencies.get_mut(c)?.criteria,
            OwnerIndex::Jointly {
                assessment,
                section,
            } => {
                &mut block
                    .assessments
                    .get_mut(assessment)?
                    .jointly
                    .get_mut(section)?
                    .criteria
            }
        };
        criteria.get_mut(self.index)
    }
}

#[derive(Debug)]
pub struct AssessmentDef<'a> {
    pub ast: &'a ast::Assessment,
    pub file: FileId,
    /// `None` for a certification-level assessment (outside the blocks).
    pub block: Option<usize>,
    pub covers: Vec<usize>,
    pub criteria: Vec<usize>,
    /// Its parts, as criteria it owns (`E2/ecrit`), in declaration order.
    pub parts: Vec<usize>,
}

#[derive(Debug, Default)]
pub struct Defaults<'a> {
    pub scale: Option<(FileId, &'a Ident)>,
    pub competency_rule: Option<(FileId, &'a ast::RuleDecl)>,
    pub block_rule: Option<(FileId, &'a ast::RuleDecl)>,
    pub accommodations: Vec<&'a ast::Accommodation>,
    /// `absent counts as …` in `defaults`.
    pub absent: Option<(FileId, &'a ast::AbsentRule)>,
}

#[derive(Debug, Default)]
pub struct Model<'a> {
    pub header: Option<(FileId, &'a ast::Referential)>,
    pub certification: Option<(FileId, &'a ast::Certification)>,
    pub defaults: Defaults<'a>,
    pub scales: Vec<ScaleDef<'a>>,
    pub scale_by_id: HashMap<String, usize>,
    pub rules: HashMap<String, (FileId, &'a ast::NamedRule)>,
    pub blocks: Vec<BlockDef<'a>>,
    pub competencies: Vec<CompetencyDef<'a>>,
    pub criteria: Vec<CriterionDef<'a>>,
    pub assessments: Vec<AssessmentDef<'a>>,
    /// Blocks, competencies and assessments share one namespace.
    pub global: HashMap<String, Entity>,
    pub criterion_by_id: HashMap<String, usize>,
    pub examples: Vec<(FileId, &'a ast::Example)>,
    /// Candidate records: `equivalence`, `dispensation`, `keep`, `jury`
    /// items, checked by `records` once the rules are lowered.
    pub equivalences: Vec<(FileId, &'a ast::Equivalence)>,
    pub dispensations: Vec<(FileId, &'a ast::Dispensation)>,
    pub keeps: Vec<(FileId, &'a ast::Keep)>,
    pub juries: Vec<(FileId, &'a ast::Jury)>,
}

impl Model<'_> {
    /// The id of an entity, qualified for criteria.
    pub fn id_of(&self, entity: Entity) -> &str {
        match entity {
            Entity::Block(i) => self.blocks.get(i).map_or("", |b| b.ast.id.name.as_str()),
            Entity::Competency(i) => self
                .competencies
                .get(i)
                .map_or("", |c| c.ast.id.name.as_str()),
            Entity::Assessment(i) => self
                .assessments
                .get(i)
                .map_or("", |a| a.ast.id.name.as_str()),
            Entity::Criterion(i) => self.criteria.get(i).map_or("", |c| c.qualified.as_str()),
        }
    }

    /// Where an entity's id is written.
    pub fn site_of(&self, entity: Entity) -> (FileId, Span) {
        match entity {
            Entity::Block(i) => self
                .blocks
                .get(i)
                .map_or((FileId(0), Span::default()), |b| (b.file, b.ast.id.span)),
            Entity::Competency(i) => self
                .competencies
                .get(i)
                .map_or((FileId(0), Span::default()), |c| (c.file, c.ast.id.span)),
            Entity::Assessment(i) => self
                .assessments
                .get(i)
                .map_or((FileId(0), Span::default()), |a| (a.file, a.ast.id.span)),
            Entity::Criterion(i) => self
                .criteria
                .get(i)
                .map_or((FileId(0), Span::default()), |c| (c.file, c.ast.id.span)),
        }
    }

    pub fn scale_of(&self, criterion: usize) -> Option<&ScaleDef<'_>> {
        let index = self.criteria.get(criterion)?.scale?;
        self.scales.get(index)
    }
}

/// What an entity is, for diagnostics (a noun French agrees with).
pub fn kind_name(entity: Entity) -> acquis_diagnostics::Noun {
    use acquis_diagnostics::Noun;
    match entity {
        Entity::Block(_) => Noun::Block,
        Entity::Competency(_) => Noun::Competency,
        Entity::Assessment(_) => Noun::Assessment,
        Entity::Criterion(_) => Noun::Criterion,
    }
}

/// Builds the model of the referential from every parsed file.
pub fn collect<'a>(
    files: &'a [ParsedFile],
    root: Option<FileId>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Model<'a> {
    let mut c = Collector {
        model: Model::default(),
        diagnostics,
        root,
    };
    for (file_index, file) in files.iter().enumerate() {
        if file.std_module.is_some() {
            continue;
        }
        for (item_index, item) in file.ast.items.iter().enumerate() {
            c.item(file.id, item, (file_index, item_index));
        }
    }
    c.use_std_items(files);
    c.check_header_and_certification();
    c.resolve_scales();
    c.resolve_covers_and_shared();
    c.resolve_absence();
    c.model
}

struct Collector<'a, 'd> {
    model: Model<'a>,
    diagnostics: &'d mut Vec<Diagnostic>,
    root: Option<FileId>,
}

impl<'a> Collector<'a, '_> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn duplicate(
        &mut self,
        what: acquis_diagnostics::Noun,
        id: &Ident,
        file: FileId,
        first: (FileId, Span),
    ) {
        self.duplicate_named(what, &id.name, id.span, file, first);
    }

    fn duplicate_named(
        &mut self,
        what: acquis_diagnostics::Noun,
        name: &str,
        span: Span,
        file: FileId,
        first: (FileId, Span),
    ) {
        let id = Ident {
            name: name.to_string(),
            span,
        };
        self.push(
            Diagnostic::new(
                Code::DuplicateId,
                text!("{what} `{id}` is defined twice", what = what, id = &id.name),
                file,
                id.span,
            )
            .with_primary_message(text!("defined again here"))
            .with_label(first.0, first.1, text!("first defined here"))
            .with_help(text!(
                "every id must be unique in the referential; rename one of them"
            )),
        );
    }

    /// `place`: the item's index in `files` and in its file's items.
    fn item(&mut self, file: FileId, item: &'a Item, place: (usize, usize)) {
        match item {
            Item::Referential(r) => {
                if let Some((first_file, first)) = self.model.header {
                    self.push(
                        Diagnostic::new(
                            Code::MissingHeader,
                            text!("the referential header is written twice"),
                            file,
                            r.id.span,
                        )
                        .with_label(first_file, first.id.span, text!("first header here"))
                        .with_help(text!("keep one `referential` item, in the main file")),
                    );
                } else {
                    self.model.header = Some((file, r));
                }
            }
            Item::Certification(cert) => {
                if let Some((first_file, first)) = self.model.certification {
                    self.push(
                        Diagnostic::new(
                            Code::MissingCertification,
                            text!("the certification rule is written twice"),
                            file,
                            cert.span,
                        )
                        .with_label(first_file, first.span, text!("first rule here"))
                        .with_help(text!("join the conditions with `and` in one `certification validated when ...`")),
                    );
                } else {
                    self.model.certification = Some((file, cert));
                }
            }
            Item::Scale(s) => self.scale(file, s),
            Item::Rule(r) => self.named_rule(file, r),
            Item::Defaults(d) => self.defaults(file, d),
            Item::Block(b) => self.block(file, b, place),
            Item::Assessment(a) => {
                self.assessment(file, a, None, place, 0);
            }
            Item::Example(e) => self.model.examples.push((file, e)),
            Item::Equivalence(e) => self.model.equivalences.push((file, e)),
            Item::Dispensation(d) => self.model.dispensations.push((file, d)),
            Item::Keep(k) => self.model.keeps.push((file, k)),
            Item::Jury(j) => self.model.juries.push((file, j)),
            Item::Use(_) | Item::Import(_) => {}
        }
    }

    fn scale(&mut self, file: FileId, s: &'a ast::Scale) {
        if let Some(&first) = self.model.scale_by_id.get(&s.id.name) {
            let first = self
                .model
                .scales
                .get(first)
                .map_or((file, s.id.span), |f| (f.file, f.ast.id.span));
            self.duplicate(acquis_diagnostics::Noun::Scale, &s.id, file, first);
            return;
        }
        let Some(def) = self.check_scale(file, s) else {
            return;
        };
        self.model
            .scale_by_id
            .insert(s.id.name.clone(), self.model.scales.len());
        self.model.scales.push(def);
    }

    fn check_scale(&mut self, file: FileId, s: &'a ast::Scale) -> Option<ScaleDef<'a>> {
        let invalid =
            |message: acquis_diagnostics::Text, span: Span, help: acquis_diagnostics::Text| {
                Diagnostic::new(Code::InvalidScale, message, file, span).with_help(help)
            };
        let kind = match &s.kind {
            None => {
                self.push(invalid(
                    text!(
                        "scale `{id}` has neither `levels` nor `range`",
                        id = &s.id.name
                    ),
                    s.id.span,
                    text!("write `levels low < middle < high` or `range 0 .. 20 step 0.5`"),
                ));
                return None;
            }
            Some(ast::ScaleKind::Levels(levels)) => {
                let mut names: Vec<String> = Vec::new();
                for level in levels {
                    if names.contains(&level.name) {
                        self.push(invalid(
                            text!(
                                "level `{level}` appears twice in scale `{id}`",
                                level = &level.name,
                                id = &s.id.name
                            ),
                            level.span,
                            text!("each level of a scale must be distinct"),
                        ));
                        return None;
                    }
                    names.push(level.name.clone());
                }
                if names.len() < 2 {
                    self.push(invalid(
                        text!("scale `{id}` needs at least two levels", id = &s.id.name),
                        s.id.span,
                        text!("a scale orders levels from lowest to highest: `levels non_acquis < acquis`"),
                    ));
                    return None;
                }
                // Reported, the scale kept: its levels are sound, only a
                // grade written as the label would be ambiguous.
                if let Some(d) = ambiguous_label(file, s, levels) {
                    self.push(d);
                }
                ScaleKindIr::Levels { levels: names }
            }
            Some(ast::ScaleKind::Range { min, max, step }) => {
                let step_value = step.map_or(1.0, |s| s.0);
                if min.0 >= max.0 {
                    self.push(invalid(
                        text!(
                            "scale `{id}` has its minimum {min} not below its maximum {max}",
                            id = &s.id.name,
                            min = &min.0,
                            max = &max.0
                        ),
                        min.1.to(max.1),
                        text!("write the range lowest first: `range 0 .. 20`"),
                    ));
                    return None;
                }
                if step_value <= 0.0 {
                    self.push(invalid(
                        text!(
                            "scale `{id}` has a step of {step_value}; it must be positive",
                            id = &s.id.name,
                            step_value = &step_value
                        ),
                        step.map_or(s.id.span, |s| s.1),
                        text!("use a positive step such as `step 0.5`"),
                    ));
                    return None;
                }
                let (low, high, by) = (decimal(min.0), decimal(max.0), decimal(step_value));
                let span = high.exact().checked_sub(low.exact());
                if !span.is_ok_and(|w| is_multiple(w, by.exact())) {
                    self.push(invalid(
                        text!("the step {step_value} of scale `{id}` does not divide its range {min} .. {max}", step_value = &step_value, id = &s.id.name, min = &min.0, max = &max.0),
                        step.map_or(s.id.span, |s| s.1),
                        text!("choose a step that reaches the maximum from the minimum"),
                    ));
                    return None;
                }
                ScaleKindIr::Range {
                    min: low,
                    max: high,
                    step: by,
                }
            }
        };
        let mut def = ScaleDef {
            ast: s,
            file,
            kind,
            pass: ValueIr::Number(Decimal::ZERO),
            absent: None,
        };
        match &s.pass {
            None => {
                self.push(invalid(
                    text!("scale `{id}` has no pass level", id = &s.id.name),
                    s.id.span,
                    text!(
                        "add `pass LEVEL` (or `pass NUMBER` for a range): the lowest passing grade"
                    ),
                ));
                return None;
            }
            Some(value) => {
                let checked = check_value(&def, value, file, text!("the pass level"))
                    .map_err(|d| self.push(*d))
                    .ok()?;
                def.pass = checked;
            }
        }
        def.absent = match s.absent.as_ref().map(|a| &a.counts_as) {
            None => None,
            Some(ast::AbsentValue::NotAcquired(_)) => Some(AbsentRuleIr {
                counts_as: AbsentKind::NotAcquired,
                value: None,
            }),
            // A value off the scale is reported; the scale stays usable.
            Some(ast::AbsentValue::Value(value)) => {
                match check_value(&def, value, file, absence_value()) {
                    Ok(value) => Some(AbsentRuleIr {
                        counts_as: AbsentKind::Value,
                        value: Some(value),
                    }),
                    Err(d) => {
                        self.push(*d);
                        None
                    }
                }
            }
        };
        Some(def)
    }

    fn named_rule(&mut self, file: FileId, r: &'a ast::NamedRule) {
        if let Some(&(first_file, first)) = self.model.rules.get(&r.id.name) {
            self.duplicate(
                acquis_diagnostics::Noun::NamedRule,
                &r.id,
                file,
                (first_file, first.id.span),
            );
            return;
        }
        self.model.rules.insert(r.id.name.clone(), (file, r));
    }

    fn defaults(&mut self, file: FileId, d: &'a ast::Defaults) {
        let twice = |what: acquis_diagnostics::Text, span: Span| {
            Diagnostic::new(
                Code::DuplicateId,
                text!("the default {what} is set twice", what = what),
                file,
                span,
            )
            .with_help(text!(
                "keep one; a competency or block can still state its own rule"
            ))
        };
        // The first one set stays: later ones are reported, pointing at it.
        let first = |(at, span): (FileId, Span)| (at, span, text!("first set here"));
        if let Some(scale) = &d.criterion_scale {
            match self.model.defaults.scale {
                Some((at, old)) => {
                    let (at, span, label) = first((at, old.span));
                    self.push(
                        twice(text!("criterion scale"), scale.span).with_label(at, span, label),
                    );
                }
                None => self.model.defaults.scale = Some((file, scale)),
            }
        }
        if let Some(rule) = &d.competency_rule {
            match self.model.defaults.competency_rule {
                Some((at, old)) => {
                    let (at, span, label) = first((at, old.span));
                    self.push(
                        twice(text!("competency rule"), rule.span).with_label(at, span, label),
                    );
                }
                None => self.model.defaults.competency_rule = Some((file, rule)),
            }
        }
        if let Some(rule) = &d.block_rule {
            match self.model.defaults.block_rule {
                Some((at, old)) => {
                    let (at, span, label) = first((at, old.span));
                    self.push(twice(text!("block rule"), rule.span).with_label(at, span, label));
                }
                None => self.model.defaults.block_rule = Some((file, rule)),
            }
        }
        self.model
            .defaults
            .accommodations
            .extend(d.accommodations.iter());
        if let Some(absent) = &d.absent {
            if self.model.defaults.absent.is_some() {
                self.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        text!("the default absence rule is set twice"),
                        file,
                        absent.span,
                    )
                    .with_help(text!("keep one `absent counts as` in `defaults`; a scale or an assessment can still state its own")),
                );
            }
            self.model.defaults.absent = Some((file, &**absent));
        }
    }

    fn global(&mut self, file: FileId, id: &Ident, entity: Entity) -> bool {
        if let Some(&first) = self.model.global.get(&id.name) {
            let site = self.model.site_of(first);
            self.duplicate(kind_name(entity), id, file, site);
            return false;
        }
        self.model.global.insert(id.name.clone(), entity);
        true
    }

    fn block(&mut self, file: FileId, b: &'a ast::Block, (file_index, item_index): (usize, usize)) {
        let locator = |owner, index| Locator {
            file: file_index,
            item: item_index,
            owner,
            index,
        };
        let index = self.model.blocks.len();
        if !self.global(file, &b.id, Entity::Block(index)) {
            return;
        }
        self.model.blocks.push(BlockDef {
            ast: b,
            file,
            competencies: Vec::new(),
            assessments: Vec::new(),
        });
        for (c_index, c) in b.competencies.iter().enumerate() {
            let ci = self.model.competencies.len();
            if !self.global(file, &c.id, Entity::Competency(ci)) {
                continue;
            }
            self.model.competencies.push(CompetencyDef {
                ast: c,
                file,
                block: index,
                criteria: Vec::new(),
                assessments: Vec::new(),
            });
            if let Some(block) = self.model.blocks.get_mut(index) {
                block.competencies.push(ci);
            }
            for (k_index, criterion) in c.criteria.iter().enumerate() {
                let at = locator(OwnerIndex::Competency(c_index), k_index);
                if let Some(k) = self.criterion(file, criterion, &c.id.name, at) {
                    if let Some(comp) = self.model.competencies.get_mut(ci) {
                        comp.criteria.push(k);
                    }
                    if let Some(crit) = self.model.criteria.get_mut(k) {
                        crit.competencies.push(ci);
                    }
                }
            }
        }
        for (a_index, a) in b.assessments.iter().enumerate() {
            if let Some(ai) =
                self.assessment(file, a, Some(index), (file_index, item_index), a_index)
            {
                if let Some(block) = self.model.blocks.get_mut(index) {
                    block.assessments.push(ai);
                }
            }
        }
    }

    /// Registers an assessment of block `block` (`None`: outside the
    /// blocks), its shared criteria and its parts; `a_index` is its place
    /// in its block.
    fn assessment(
        &mut self,
        file: FileId,
        a: &'a ast::Assessment,
        block: Option<usize>,
        (file_index, item_index): (usize, usize),
        a_index: usize,
    ) -> Option<usize> {
        let locator = |owner, index| Locator {
            file: file_index,
            item: item_index,
            owner,
            index,
        };
        let ai = self.model.assessments.len();
        if !self.global(file, &a.id, Entity::Assessment(ai)) {
            return None;
        }
        self.model.assessments.push(AssessmentDef {
            ast: a,
            file,
            block,
            covers: Vec::new(),
            criteria: Vec::new(),
            parts: Vec::new(),
        });
        for (section, j) in a.jointly.iter().enumerate() {
            for (k_index, criterion) in j.criteria.iter().enumerate() {
                let owner = OwnerIndex::Jointly {
                    assessment: a_index,
                    section,
                };
                if let Some(k) =
                    self.criterion(file, criterion, &a.id.name, locator(owner, k_index))
                {
                    if let Some(def) = self.model.assessments.get_mut(ai) {
                        def.criteria.push(k);
                    }
                }
            }
        }
        for (p_index, part) in a.parts.iter().enumerate() {
            let owner = OwnerIndex::Part {
                assessment: a_index,
                index: p_index,
            };
            let at = locator(owner, 0);
            if let Some(k) = self.criterion(file, &part.criterion, &a.id.name, at) {
                if let Some(def) = self.model.assessments.get_mut(ai) {
                    def.parts.push(k);
                }
                if let Some(crit) = self.model.criteria.get_mut(k) {
                    crit.part_of = Some(ai);
                }
            }
        }
        Some(ai)
    }

    fn criterion(
        &mut self,
        file: FileId,
        c: &'a ast::Criterion,
        owner: &str,
        locator: Locator,
    ) -> Option<usize> {
        let qualified = format!("{owner}/{}", c.id.name);
        if let Some(&first) = self.model.criterion_by_id.get(&qualified) {
            let site = self.model.site_of(Entity::Criterion(first));
            self.duplicate_named(
                acquis_diagnostics::Noun::Criterion,
                &qualified,
                c.id.span,
                file,
                site,
            );
            return None;
        }
        let index = self.model.criteria.len();
        self.model.criterion_by_id.insert(qualified.clone(), index);
        self.model.criteria.push(CriterionDef {
            ast: c,
            file,
            qualified,
            owner: owner.to_string(),
            competencies: Vec::new(),
            scale: None,
            pass: None,
            absent: None,
            part_of: None,
            locator,
        });
        Some(index)
    }

    /// Registers the scales and rules named by `use std::module::item`.
    fn use_std_items(&mut self, files: &'a [ParsedFile]) {
        let std_files: HashMap<&str, &'a ParsedFile> = files
            .iter()
            .filter_map(|f| Some((f.std_module?, f)))
            .collect();
        for file in files.iter().filter(|f| f.std_module.is_none()) {
            for item in &file.ast.items {
                let Item::Use(u) = item else { continue };
                let (Some(module), Some(std_file)) = (
                    u.path.get(1),
                    u.path.get(1).and_then(|m| std_files.get(m.name.as_str())),
                ) else {
                    continue;
                };
                let wanted = if u.glob { None } else { u.path.get(2) };
                if !u.glob && wanted.is_none() {
                    self.push(
                        Diagnostic::new(
                            Code::UnknownStdItem,
                            text!("`use std::{module}` names a module, not an item", module = &module.name),
                            file.id,
                            u.span,
                        )
                        .with_help(text!("write `use std::{module}::NAME`, or `use std::{module}::*` for all its items", module = &module.name)),
                    );
                    continue;
                }
                let mut found = false;
                for std_item in &std_file.ast.items {
                    let name = match std_item {
                        Item::Scale(s) => &s.id.name,
                        Item::Rule(r) => &r.id.name,
                        _ => continue,
                    };
                    if wanted.is_some_and(|w| &w.name != name) {
                        continue;
                    }
                    found = true;
                    if self.is_in_scope(std_item) {
                        continue;
                    }
                    // A name the referential defines itself: `*` leaves it
                    // alone (the referential's own item wins); naming it
                    // explicitly is a clash, reported at the `use`.
                    if let Some(own) = self.own_definition(std_item) {
                        if let Some(w) = wanted {
                            self.push(
                                Diagnostic::new(
                                    Code::DuplicateId,
                                    text!("`use` brings `{name}`, which the referential already defines", name = &w.name),
                                    file.id,
                                    w.span,
                                )
                                .with_label(own.0, own.1, text!("defined here"))
                                .with_help(
                                    text!("remove the `use`, or rename the referential's own item"),
                                ),
                            );
                        }
                        continue;
                    }
                    match std_item {
                        Item::Scale(s) => self.scale(std_file.id, s),
                        Item::Rule(r) => self.named_rule(std_file.id, r),
                        _ => {}
                    }
                }
                if let (false, Some(w)) = (found, wanted) {
                    let names: Vec<&str> = std_file
                        .ast
                        .items
                        .iter()
                        .filter_map(|i| match i {
                            Item::Scale(s) => Some(s.id.name.as_str()),
                            Item::Rule(r) => Some(r.id.name.as_str()),
                            _ => None,
                        })
                        .collect();
                    let mut d = Diagnostic::new(
                        Code::UnknownStdItem,
                        text!(
                            "`std::{module}` has no item `{name}`",
                            module = &module.name,
                            name = &w.name
                        ),
                        file.id,
                        w.span,
                    );
                    d = match did_you_mean(&w.name, names.iter().copied()) {
                        Some(close) => d.with_correction(file.id, w.span, close),
                        None => {
                            d.with_help(text!("its items are: {join}", join = names.join(", ")))
                        }
                    };
                    self.push(d);
                }
            }
        }
    }

    /// Where the referential itself defines a scale or rule of this name.
    fn own_definition(&self, item: &'a Item) -> Option<(FileId, Span)> {
        match item {
            Item::Scale(s) => self
                .model
                .scale_by_id
                .get(&s.id.name)
                .and_then(|&i| self.model.scales.get(i))
                .map(|d| (d.file, d.ast.id.span)),
            Item::Rule(r) => self
                .model
                .rules
                .get(&r.id.name)
                .map(|(f, d)| (*f, d.id.span)),
            _ => None,
        }
    }

    /// A std item already registered by an earlier `use` of the same item.
    fn is_in_scope(&self, item: &'a Item) -> bool {
        match item {
            Item::Scale(s) => self
                .model
                .scale_by_id
                .get(&s.id.name)
                .and_then(|&i| self.model.scales.get(i))
                .is_some_and(|d| std::ptr::eq(d.ast, s)),
            Item::Rule(r) => self
                .model
                .rules
                .get(&r.id.name)
                .is_some_and(|(_, d)| std::ptr::eq(*d, r)),
            _ => false,
        }
    }

    fn check_header_and_certification(&mut self) {
        let Some(root) = self.root else { return };
        match self.model.header {
            None => self.push(
                Diagnostic::new(
                    Code::MissingHeader,
                    text!("the referential has no header"),
                    root,
                    Span::default(),
                )
                .with_help(text!("start the main file with `referential ID \"title\" {{ level 7 lang fr }}`")),
            ),
            Some((file, r)) if file != root => self.push(
                Diagnostic::new(
                    Code::MisplacedItem,
                    text!("the referential header is in an imported file"),
                    file,
                    r.id.span,
                )
                .with_help(text!("move the `referential` item to the main file, the one given on the command line")),
            ),
            Some(_) => {}
        }
        match self.model.certification {
            None => self.push(
                Diagnostic::new(
                    Code::MissingCertification,
                    text!("the referential has no certification rule"),
                    root,
                    Span::default(),
                )
                .with_help(text!(
                    "add `certification validated when all blocks validated` to the main file"
                )),
            ),
            Some((file, c)) if file != root => self.push(
                Diagnostic::new(
                    Code::MisplacedItem,
                    text!("the certification rule is in an imported file"),
                    file,
                    c.span,
                )
                .with_help(text!("move the `certification` item to the main file")),
            ),
            Some(_) => {}
        }
    }

    /// Gives every criterion its scale (own or default) and pass level.
    fn resolve_scales(&mut self) {
        let default = self.model.defaults.scale;
        if let Some((file, id)) = default {
            if !self.model.scale_by_id.contains_key(&id.name) {
                self.unknown_scale(file, id);
            }
        }
        for index in 0..self.model.criteria.len() {
            let Some(c) = self.model.criteria.get(index) else {
                continue;
            };
            let (ast, file, qualified) = (c.ast, c.file, c.qualified.clone());
            if let Some((weight, span)) = ast.weight {
                if weight <= 0.0 {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidWeight,
                            text!("criterion `{qualified}` has weight {weight}; a weight must be more than 0", qualified = &qualified, weight = &weight),
                            file,
                            span,
                        )
                        .with_help(text!("weights are relative importances in `weighted average`: use 1, 2, 0.5…; remove `weight` for 1")),
                    );
                }
            }
            let scale_ref = match (&ast.scale, default) {
                (Some(own), _) => Some((file, own)),
                (None, Some(d)) => Some(d),
                (None, None) => None,
            };
            let Some((ref_file, scale_id)) = scale_ref else {
                self.push(
                    Diagnostic::new(
                        Code::UnknownScale,
                        text!(
                            "criterion `{qualified}` has no scale",
                            qualified = &qualified
                        ),
                        file,
                        ast.id.span,
                    )
                    .with_help(text!(
                        "give it `scale NAME`, or set `criterion scale NAME` in `defaults`"
                    )),
                );
                continue;
            };
            let Some(&scale_index) = self.model.scale_by_id.get(&scale_id.name) else {
                if ast.scale.is_some() {
                    self.unknown_scale(ref_file, scale_id);
                }
                continue;
            };
            let pass = match (&ast.pass, self.model.scales.get(scale_index)) {
                (Some(value), Some(scale)) => {
                    match check_value(scale, value, file, text!("the pass override")) {
                        Ok(v) => Some(v),
                        Err(d) => {
                            self.push(*d);
                            None
                        }
                    }
                }
                (None, Some(scale)) => Some(scale.pass.clone()),
                _ => None,
            };
            if let Some(c) = self.model.criteria.get_mut(index) {
                c.scale = Some(scale_index);
                c.pass = pass;
            }
        }
    }

    fn unknown_scale(&mut self, file: FileId, id: &Ident) {
        let names: Vec<&str> = self.model.scale_by_id.keys().map(String::as_str).collect();
        let std_names = [
            "binary",
            "acquisition",
            "four_levels",
            "note_sur_20",
            "percentage",
        ];
        let mut d = Diagnostic::new(
            Code::UnknownScale,
            text!("unknown scale `{id}`", id = &id.name),
            file,
            id.span,
        );
        d = if let Some(close) = did_you_mean(&id.name, names.iter().copied()) {
            d.with_correction(file, id.span, close)
        } else if std_names.contains(&id.name.as_str()) {
            d.with_help(text!(
                "the standard library has it: add `use std::scales::{id}`",
                id = &id.name
            ))
        } else {
            d.with_help(text!(
                "declare it with `scale NAME {{ ... }}` or import one with `use std::scales::NAME`"
            ))
        };
        self.push(d);
    }

    /// Checks covers and `jointly` lists, and gives competencies their
    /// shared criteria and their assessments.
    fn resolve_covers_and_shared(&mut self) {
        for ai in 0..self.model.assessments.len() {
            let Some(a) = self.model.assessments.get(ai) else {
                continue;
            };
            let (ast, file, block) = (a.ast, a.file, a.block);
            let mut covers = Vec::new();
            for id in &ast.covers {
                if let Some(ci) = self.competency_ref(file, id) {
                    let other_block = self.model.competencies.get(ci).map(|c| c.block);
                    // A certification-level assessment may cover any
                    // competency (a final interview, a professional file).
                    if block.is_some() && other_block != block {
                        let owner = other_block
                            .and_then(|b| self.model.blocks.get(b))
                            .map_or(String::new(), |b| b.ast.id.name.clone());
                        self.push(
                            Diagnostic::new(
                                Code::CoverOutsideBlock,
                                text!("assessment `{id}` covers `{id2}`, a competency of block `{owner}`", id = &ast.id.name, id2 = &id.name, owner = &owner),
                                file,
                                id.span,
                            )
                            .with_help(text!("an assessment evaluates competencies of its own block; move it, or cover a competency of this block")),
                        );
                        continue;
                    }
                    if !covers.contains(&ci) {
                        covers.push(ci);
                    }
                    if let Some(c) = self.model.competencies.get_mut(ci) {
                        if !c.assessments.contains(&ai) {
                            c.assessments.push(ai);
                        }
                    }
                }
            }
            for j in &ast.jointly {
                let shared: Vec<usize> = j
                    .criteria
                    .iter()
                    .filter_map(|c| {
                        self.model
                            .criterion_by_id
                            .get(&format!("{}/{}", ast.id.name, c.id.name))
                            .copied()
                    })
                    .collect();
                for id in &j.competencies {
                    let Some(ci) = self.competency_ref(file, id) else {
                        continue;
                    };
                    if !covers.contains(&ci) {
                        self.push(
                            Diagnostic::new(
                                Code::JointlyNotCovered,
                                text!("`jointly` names `{id}`, which assessment `{id2}` does not cover", id = &id.name, id2 = &ast.id.name),
                                file,
                                id.span,
                            )
                            .with_help(text!("add `{id}` to the assessment's `covers`", id = &id.name)),
                        );
                        continue;
                    }
                    for &k in &shared {
                        if let Some(c) = self.model.competencies.get_mut(ci) {
                            c.criteria.push(k);
                        }
                        if let Some(crit) = self.model.criteria.get_mut(k) {
                            crit.competencies.push(ci);
                        }
                    }
                }
            }
            if let Some(a) = self.model.assessments.get_mut(ai) {
                a.covers = covers;
            }
        }
        for ci in 0..self.model.competencies.len() {
            let Some(c) = self.model.competencies.get(ci) else {
                continue;
            };
            // Decided by an assessment that covers it and has a rule over
            // its parts: no criteria of its own is the règlement's way.
            let decided = c
                .assessments
                .iter()
                .any(|&ai| crate::graph::has_outcome(&self.model, ai));
            if c.criteria.is_empty() && !decided {
                let (file, span, name) = (c.file, c.ast.id.span, c.ast.id.name.clone());
                self.push(
                    Diagnostic::new(
                        Code::NoCriteria,
                        text!("competency `{name}` has no criteria", name = &name),
                        file,
                        span,
                    )
                    .with_help(text!("declare criteria in its body, or share some with `jointly` in the assessment that covers it")),
                );
            }
        }
    }

    /// Gives every criterion what an absent grade counts as: the rule of
    /// the assessments that evaluate it (they must agree: A0308), else its
    /// scale's, else the default one; each checked against the criterion's
    /// scale (A0301 to A0303) and, for `not acquired`, its pass level
    /// (A0309). A faulty statement is reported once per scale and pass
    /// level, and leaves the criterion without a rule.
    fn resolve_absence(&mut self) {
        let model = &self.model;
        let diagnostics = &mut *self.diagnostics;
        let mut reported: Vec<(FileId, Span, usize, String)> = Vec::new();
        let mut conflicts: Vec<(usize, usize)> = Vec::new();
        let mut resolved: Vec<Option<AbsentIr>> = Vec::with_capacity(model.criteria.len());
        // Per criterion, the assessments that evaluate it and say what
        // absence counts as (usually none: one pass over those only).
        let mut evaluators: Vec<Vec<usize>> = vec![Vec::new(); model.criteria.len()];
        for (ai, a) in model.assessments.iter().enumerate() {
            if a.ast.absent.is_none() {
                continue;
            }
            let covered = a
                .covers
                .iter()
                .filter_map(|&ci| model.competencies.get(ci))
                .flat_map(|comp| comp.criteria.iter());
            for &k in a.criteria.iter().chain(&a.parts).chain(covered) {
                if let Some(list) = evaluators.get_mut(k) {
                    if !list.contains(&ai) {
                        list.push(ai);
                    }
                }
            }
        }
        for (k, c) in model.criteria.iter().enumerate() {
            let (Some(scale_index), Some(pass)) = (c.scale, c.pass.as_ref()) else {
                resolved.push(None);
                continue;
            };
            let Some(scale) = model.scales.get(scale_index) else {
                resolved.push(None);
                continue;
            };
            // Reports a statement's problem for this criterion, once.
            let mut report =
                |d: Box<Diagnostic>, file: FileId, span: Span, out: &mut Vec<Diagnostic>| {
                    let key = (file, span, scale_index, pass_text(pass));
                    if !reported.contains(&key) {
                        reported.push(key);
                        out.push((*d).with_label(
                            c.file,
                            c.ast.id.span,
                            text!(
                                "`{qualified}` is graded on scale `{id}`",
                                qualified = &c.qualified,
                                id = &scale.id()
                            ),
                        ));
                    }
                };
            let mut stated: Vec<(usize, FileId, &ast::AbsentRule)> = evaluators
                .get(k)
                .into_iter()
                .flatten()
                .filter_map(|&ai| {
                    let a = model.assessments.get(ai)?;
                    Some((ai, a.file, a.ast.absent.as_ref()?))
                })
                .collect();
            // In declaration order, whatever the order of the covers.
            stated.sort_by_key(|(ai, _, _)| *ai);
            let absent = if !stated.is_empty() {
                let mut found: Option<(usize, AbsentIr)> = None;
                let mut failed = false;
                for &(ai, file, rule) in &stated {
                    let id = model.id_of(Entity::Assessment(ai)).to_string();
                    match absence(
                        scale,
                        pass,
                        &c.qualified,
                        rule,
                        file,
                        AbsentOrigin::Assessment { id },
                    ) {
                        Err(d) => {
                            report(d, file, rule.span, diagnostics);
                            failed = true;
                        }
                        Ok(absent) => match &found {
                            None => found = Some((ai, absent)),
                            Some((first, kept)) => {
                                let same = kept.counts_as == absent.counts_as
                                    && kept.value == absent.value;
                                if !same && !conflicts.contains(&(*first, ai)) {
                                    conflicts.push((*first, ai));
                                    diagnostics.push(conflict(
                                        model,
                                        c,
                                        (*first, kept),
                                        (ai, &absent),
                                    ));
                                }
                                failed |= !same;
                            }
                        },
                    }
                }
                found.filter(|_| !failed).map(|(_, absent)| absent)
            } else if let Some(rule) = &scale.ast.absent {
                // A value off the scale was reported with the scale.
                let origin = AbsentOrigin::Scale {
                    id: scale.id().to_string(),
                };
                match scale.absent {
                    None => None,
                    Some(_) => match absence(scale, pass, &c.qualified, rule, scale.file, origin) {
                        Ok(absent) => Some(absent),
                        Err(d) => {
                            report(d, scale.file, rule.span, diagnostics);
                            None
                        }
                    },
                }
            } else if let Some((file, rule)) = model.defaults.absent {
                match absence(
                    scale,
                    pass,
                    &c.qualified,
                    rule,
                    file,
                    AbsentOrigin::Defaults,
                ) {
                    Ok(absent) => Some(absent),
                    Err(d) => {
                        report(d, file, rule.span, diagnostics);
                        None
                    }
                }
            } else {
                None
            };
            resolved.push(absent);
        }
        for (c, absent) in self.model.criteria.iter_mut().zip(resolved) {
            c.absent = absent;
        }
    }

    /// Resolves a competency id written in `covers` or `jointly`.
    fn competency_ref(&mut self, file: FileId, id: &Ident) -> Option<usize> {
        match self.model.global.get(&id.name) {
            Some(Entity::Competency(ci)) => Some(*ci),
            Some(other) => {
                let kind = kind_name(*other);
                self.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        text!(
                            "`{id}` is a {kind}, not a competency",
                            id = &id.name,
                            kind = kind
                        ),
                        file,
                        id.span,
                    )
                    .with_help(text!("assessments cover competencies")),
                );
                None
            }
            None => {
                let names: Vec<&str> = self
                    .model
                    .competencies
                    .iter()
                    .map(|c| c.ast.id.name.as_str())
                    .collect();
                let d = unknown_reference(
                    &id.name,
                    file,
                    id.span,
                    names.iter().copied(),
                    acquis_diagnostics::Noun::Competency,
                );
                self.push(d);
                None
            }
        }
    }
}

/// How messages name the value a statement `absent counts as …` gives.
fn absence_value() -> acquis_diagnostics::Text {
    text!("the absence value")
}

/// A pass level as messages write it, and as a key.
fn pass_text(pass: &ValueIr) -> String {
    match pass {
        ValueIr::Level(l) => l.clone(),
        ValueIr::Number(n) => n.to_string(),
    }
}

/// A level or number as messages show it: `` `acquis` ``, `10`.
fn shown(value: &ValueIr) -> String {
    match value {
        ValueIr::Level(l) => format!("`{l}`"),
        ValueIr::Number(n) => n.to_string(),
    }
}

/// What absence counts as, as messages say it: 0, `non_acquis`, not
/// acquired.
fn absence_text(counts_as: AbsentKind, value: Option<&ValueIr>) -> acquis_diagnostics::Text {
    match (counts_as, value) {
        (AbsentKind::NotAcquired, _) => text!("not acquired"),
        (AbsentKind::Value, Some(v)) => text!("{value}", value = shown(v)),
        (AbsentKind::Value, None) => acquis_diagnostics::Text::empty(),
    }
}

/// The absence rule `rule` (written in `file`) for criterion `qualified`
/// on `scale` with pass level `pass`: its value must be on the scale, and
/// `not acquired` needs a grade below the pass level.
fn absence(
    scale: &ScaleDef<'_>,
    pass: &ValueIr,
    qualified: &str,
    rule: &ast::AbsentRule,
    file: FileId,
    from: AbsentOrigin,
) -> Result<AbsentIr, Box<Diagnostic>> {
    match &rule.counts_as {
        ast::AbsentValue::Value(value) => Ok(AbsentIr {
            counts_as: AbsentKind::Value,
            value: check_value(scale, value, file, absence_value())?,
            from,
        }),
        ast::AbsentValue::NotAcquired(span) => {
            let lowest = scale.lowest();
            if lowest == *pass {
                return Err(Box::new(
                    Diagnostic::new(
                        Code::AbsenceNotFailing,
                        text!("absence cannot count as not acquired for `{qualified}`: its pass level {pass} is the lowest grade of scale `{id}`, so every grade acquires it", qualified = &qualified, pass = shown(pass), id = &scale.id()),
                        file,
                        *span,
                    )
                    .with_help(text!("say which grade absence counts as (`absent counts as {lowest}`), or give the criterion a pass level above {lowest2}", lowest = pass_text(&lowest), lowest2 = shown(&lowest))),
                ));
            }
            Ok(AbsentIr {
                counts_as: AbsentKind::NotAcquired,
                value: lowest,
                from,
            })
        }
    }
}

/// A0308: two assessments that evaluate criterion `c` count its absence
/// differently.
fn conflict(
    model: &Model<'_>,
    c: &CriterionDef<'_>,
    (first, kept): (usize, &AbsentIr),
    (second, other): (usize, &AbsentIr),
) -> Diagnostic {
    let site = |ai: usize| {
        model.assessments.get(ai).and_then(|a| {
            let rule = a.ast.absent.as_ref()?;
            Some((a.file, rule.span, a.ast.id.name.as_str()))
        })
    };
    let (Some((first_file, first_span, first_id)), Some((file, span, id))) =
        (site(first), site(second))
    else {
        return Diagnostic::new(
            Code::ConflictingAbsence,
            text!(
                "assessments count the absence of `{qualified}` differently",
                qualified = &c.qualified
            ),
            c.file,
            c.ast.id.span,
        );
    };
    let said = |a: &AbsentIr| absence_text(a.counts_as, Some(&a.value));
    Diagnostic::new(
        Code::ConflictingAbsence,
        text!("assessments `{first_id}` and `{id}` both evaluate `{qualified}`, but count absence as {kept} and as {other}", first_id = &first_id, id = &id, qualified = &c.qualified, kept = said(kept), other = said(other)),
        file,
        span,
    )
    .with_primary_message(text!("`{id}` counts it as {other}", id = &id, other = said(other)))
    .with_label(first_file, first_span, text!("`{first_id}` counts it as {kept}", first_id = &first_id, kept = said(kept)))
    .with_label(c.file, c.ast.id.span, text!("the criterion both evaluate"))
    .with_help(
        text!("write the same `absent counts as` in both assessments, or state it once in the criterion's scale"),
    )
}

/// A0310: a level's label that a grade file could not tell from another
/// level (the same label twice, or a label that reads as another level's
/// id), compared as grade files are read: case, accents and spaces aside.
fn ambiguous_label(file: FileId, s: &ast::Scale, levels: &[Ident]) -> Option<Diagnostic> {
    use acquis_ir::fold_word;
    let words: Vec<(usize, String, Span, bool)> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (i, fold_word(&l.name), l.span, false))
        .chain(s.labels.iter().enumerate().filter_map(|(i, label)| {
            label
                .as_ref()
                .map(|l| (i, fold_word(&l.value), l.span, true))
        }))
        .collect();
    for (k, (i, word, span, is_label)) in words.iter().enumerate() {
        if !is_label {
            continue;
        }
        let other = words
            .iter()
            .enumerate()
            .find(|(j, (level, w, _, _))| *j != k && level != i && w == word);
        if let Some((_, (level, _, other_span, _))) = other {
            let label = s
                .labels
                .get(*i)
                .and_then(Option::as_ref)
                .map_or("", |l| l.value.as_str());
            let this = levels.get(*i).map_or("", |l| l.name.as_str());
            let that = levels.get(*level).map_or("", |l| l.name.as_str());
            return Some(
                Diagnostic::new(
                    Code::AmbiguousLabel,
                    text!(
                        "the label \"{label}\" of level `{this}` reads as level `{that}` of scale `{id}`",
                        label = label,
                        this = this,
                        that = that,
                        id = &s.id.name
                    ),
                    file,
                    *span,
                )
                .with_label(file, *other_span, text!("level `{that}` reads the same", that = that))
                .with_help(text!(
                    "grade files may write a level's id or its label, in any case and with or without accents: give each level a label no other level reads as"
                )),
            );
        }
    }
    None
}

/// `unknown competency `C13``, with "did you mean" when a name is close.
pub fn unknown_reference<'n>(
    name: &str,
    file: FileId,
    span: Span,
    candidates: impl IntoIterator<Item = &'n str>,
    kind: acquis_diagnostics::Noun,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownReference,
        text!("unknown {kind} `{name}`", kind = kind, name = &name),
        file,
        span,
    );
    match did_you_mean(name, candidates) {
        Some(close) => d.with_correction(file, span, close),
        None => d.with_help(text!(
            "no {kind} of the referential has this id",
            kind = kind
        )),
    }
}

/// Checks a level or number against a scale, for grades and thresholds.
pub fn check_value(
    scale: &ScaleDef<'_>,
    value: &ast::Value,
    file: FileId,
    what: acquis_diagnostics::Text,
) -> Result<ValueIr, Box<Diagnostic>> {
    let result = check_value_inner(scale, value, file, what);
    result.map_err(Box::new)
}

#[allow(
    clippy::result_large_err,
    reason = "private helper; `check_value` boxes the error for its callers"
)]
fn check_value_inner(
    scale: &ScaleDef<'_>,
    value: &ast::Value,
    file: FileId,
    what: acquis_diagnostics::Text,
) -> Result<ValueIr, Diagnostic> {
    match (value, &scale.kind) {
        (ast::Value::Name(level), ScaleKindIr::Levels { levels }) => {
            if levels.contains(&level.name) {
                return Ok(ValueIr::Level(level.name.clone()));
            }
            let d = Diagnostic::new(
                Code::UnknownLevel,
                text!(
                    "`{level}` is not a level of scale `{id}`",
                    level = &level.name,
                    id = &scale.id()
                ),
                file,
                level.span,
            )
            .with_label(
                scale.file,
                scale.ast.id.span,
                text!("the scale is declared here"),
            );
            Err(
                match did_you_mean(&level.name, levels.iter().map(String::as_str)) {
                    Some(close) => d
                        .with_help(text!(
                            "did you mean `{close}`? the levels are {join}",
                            close = &close,
                            join = levels.join(" < ")
                        ))
                        .with_suggestion(
                            file,
                            level.span,
                            close,
                            text!("replace with `{close}`", close = &close),
                        ),
                    None => d.with_help(text!("the levels are {join}", join = levels.join(" < "))),
                },
            )
        }
        (ast::Value::Number(n, span), ScaleKindIr::Range { min, max, step }) => {
            let n = decimal(*n);
            if n < *min || n > *max {
                return Err(Diagnostic::new(
                    Code::OutOfRange,
                    text!(
                        "{what} {n} is outside the range {min} .. {max} of scale `{id}`",
                        what = what.clone(),
                        n = &n,
                        min = &min,
                        max = &max,
                        id = &scale.id()
                    ),
                    file,
                    *span,
                )
                .with_label(
                    scale.file,
                    scale.ast.id.span,
                    text!("the scale is declared here"),
                )
                .with_help(text!(
                    "use a number between {min} and {max}",
                    min = &min,
                    max = &max
                )));
            }
            let offset = n.exact().checked_sub(min.exact());
            if !offset.is_ok_and(|o| is_multiple(o, step.exact())) {
                return Err(Diagnostic::new(
                    Code::OutOfRange,
                    text!(
                        "{what} {n} is not on a step of {step} of scale `{id}`",
                        what = what.clone(),
                        n = &n,
                        step = &step,
                        id = &scale.id()
                    ),
                    file,
                    *span,
                )
                .with_help(text!(
                    "grades of this scale go by steps of {step} from {min}",
                    step = &step,
                    min = &min
                )));
            }
            Ok(ValueIr::Number(n))
        }
        (ast::Value::Number(n, span), ScaleKindIr::Levels { levels }) => Err(Diagnostic::new(
            Code::ValueKindMismatch,
            text!(
                "{what} is the number {n}, but scale `{id}` has levels",
                what = what.clone(),
                n = &n,
                id = &scale.id()
            ),
            file,
            *span,
        )
        .with_help(text!(
            "use one of its levels: {join}",
            join = levels.join(" < ")
        ))),
        (ast::Value::Name(level), ScaleKindIr::Range { min, max, .. }) => Err(Diagnostic::new(
            Code::ValueKindMismatch,
            text!(
                "{what} is the level `{level}`, but scale `{id}` is numeric",
                what = what.clone(),
                level = &level.name,
                id = &scale.id()
            ),
            file,
            level.span,
        )
        .with_help(text!(
            "use a number between {min} and {max}",
            min = &min,
            max = &max
        ))),
    }
}

/// `value` is a whole multiple of `step`, allowing for float noise.
/// Whether `value` is a whole number of `step`s, exactly.
fn is_multiple(value: Exact, step: Exact) -> bool {
    value.checked_div(step).is_ok_and(Exact::is_integer)
}

/// A number of the source as the decimal it was written as: the parser
/// keeps at most 15 significant digits, which the nearest double gives back
/// exactly (so this never falls back; 0 would be a parser bug).
pub(crate) fn decimal(n: f64) -> Decimal {
    Decimal::from_f64(n).unwrap_or(Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use crate::{compile_str, Code};

    /// Issue 17: two defaults of one kind in one `defaults` block were
    /// accepted, the last winning; now the second is A0201, labelled with
    /// the first, as across two `defaults` blocks.
    #[test]
    fn a_default_set_twice_is_a0201_pointing_at_the_first() {
        let text = "referential R \"R\" { lang fr }
use std::scales::acquisition
defaults {
  criterion scale acquisition
  competency validated when all criteria acquired
  competency validated when any criteria acquired
  block validated when all competencies validated
}
block B1 \"B\" {
  competency C1 \"C\" { criterion CE1 \"x\" }
  assessment E1 \"E\" { covers C1 }
}
certification validated when all blocks validated
";
        let compiled = compile_str("r.acquis", text);
        let twice: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::DuplicateId)
            .collect();
        assert_eq!(twice.len(), 1, "{:#?}", compiled.diagnostics);
        let second = text.find("validated when any criteria").unwrap_or(0);
        let first = text.find("validated when all criteria").unwrap_or(0);
        assert_eq!(twice[0].primary.span.start, second);
        assert!(twice[0].labels.iter().any(|l| l.span.start == first));
        assert!(twice[0].message.english().contains("competency rule"));
    }
}
