//! Items and their members: the header, `use`, `import`, scales,
//! defaults, named rules, blocks and what they hold, the certification
//! and examples.

use acquis_diagnostics::text;

use super::text::doc_text;
use super::{Lowerer, Rule, P};
use crate::ast::*;

impl Lowerer<'_> {
    pub(super) fn items(&mut self, next: P<'_>, items: &mut Vec<Item>) {
        for pair in next.into_inner() {
            let item = match pair.as_rule() {
                Rule::referential => Item::Referential(self.referential(pair)),
                Rule::use_decl => Item::Use(self.use_decl(pair)),
                Rule::import_decl => Item::Import(self.import(pair)),
                Rule::scale => Item::Scale(self.scale(pair)),
                Rule::defaults => {
                    items.extend(self.defaults(pair).into_iter().map(Item::Defaults));
                    continue;
                }
                Rule::named_rule => Item::Rule(self.named_rule(pair)),
                Rule::block => Item::Block(self.block(pair)),
                Rule::assessment => Item::Assessment(self.assessment(pair)),
                Rule::certification => Item::Certification(self.certification(pair)),
                Rule::example => Item::Example(self.example(pair)),
                Rule::equivalence => Item::Equivalence(self.equivalence(pair)),
                Rule::dispensation => Item::Dispensation(self.dispensation(pair)),
                Rule::keep => Item::Keep(self.keep(pair)),
                Rule::jury => Item::Jury(self.jury(pair)),
                Rule::bad_item => {
                    self.bad(&pair, Rule::strict_item);
                    continue;
                }
                _ => continue,
            };
            items.push(item);
        }
    }

    fn referential(&mut self, pair: P<'_>) -> Referential {
        let span = self.span_of(&pair);
        let mut r = Referential {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            level: None,
            version: None,
            lang: None,
            meta: Vec::new(),
            accommodation: None,
            span,
        };
        let mut seen_title = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => r.docs.push(doc_text(&p)),
                Rule::ident => r.id = self.ident(p),
                Rule::string if !seen_title => {
                    seen_title = true;
                    r.title = self.text(p);
                }
                Rule::ref_level => {
                    if let Some(n) = p.into_inner().find(|q| q.as_rule() == Rule::integer) {
                        r.level = Some(self.integer(&n));
                    }
                }
                Rule::ref_version => r.version = self.last_text(p),
                Rule::ref_lang => r.lang = self.last_ident(p),
                Rule::ref_meta => {
                    let mut key = None;
                    let mut value = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => key = Some(self.ident(q)),
                            Rule::string | Rule::long_string => value = Some(self.text(q)),
                            _ => {}
                        }
                    }
                    if let (Some(k), Some(v)) = (key, value) {
                        r.meta.push((k, v));
                    }
                }
                Rule::ref_accommodation => r.accommodation = self.last_text(p),
                Rule::bad_member => self.bad(&p, Rule::strict_referential_member),
                _ => {}
            }
        }
        r
    }

    fn use_decl(&mut self, pair: P<'_>) -> UseDecl {
        let span = self.span_of(&pair);
        let mut path = Vec::new();
        let mut glob = false;
        for p in pair.into_inner() {
            if p.as_rule() == Rule::use_path {
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::word => path.push(self.ident(q)),
                        Rule::use_glob => glob = true,
                        _ => {}
                    }
                }
            }
        }
        UseDecl { path, glob, span }
    }

    fn import(&mut self, pair: P<'_>) -> Import {
        let span = self.span_of(&pair);
        let path = self.last_text(pair).unwrap_or_else(|| Text::missing(span));
        Import { path, span }
    }

    fn scale(&mut self, pair: P<'_>) -> Scale {
        let span = self.span_of(&pair);
        let mut scale = Scale {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: None,
            kind: None,
            pass: None,
            absent: None,
            labels: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => scale.docs.push(doc_text(&p)),
                Rule::ident => scale.id = self.ident(p),
                Rule::string => scale.title = Some(self.text(p)),
                Rule::scale_levels => {
                    // Each level, then its label when one follows it.
                    let mut levels = Vec::new();
                    let mut labels: Vec<Option<Text>> = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => {
                                levels.push(self.ident(q));
                                labels.push(None);
                            }
                            Rule::string => {
                                let label = self.text(q);
                                if let Some(slot) = labels.last_mut() {
                                    *slot = Some(label);
                                }
                            }
                            _ => {}
                        }
                    }
                    if labels.iter().any(Option::is_some) {
                        scale.labels = labels;
                    }
                    self.set_scale_kind(&mut scale, ScaleKind::Levels(levels), span);
                }
                Rule::scale_range => {
                    let numbers: Vec<_> = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::number)
                        .map(|q| self.number(&q))
                        .collect();
                    if let [min, max, rest @ ..] = numbers.as_slice() {
                        let kind = ScaleKind::Range {
                            min: *min,
                            max: *max,
                            step: rest.first().copied(),
                        };
                        self.set_scale_kind(&mut scale, kind, span);
                    }
                }
                Rule::scale_pass => {
                    if let Some(v) = p.into_inner().find(|q| q.as_rule() != Rule::k_pass) {
                        scale.pass = Some(self.value(v));
                    }
                }
                Rule::absent_rule => {
                    let owner = text!("scale `{id}`", id = &scale.id.name);
                    self.absent_rule(p, &mut scale.absent, owner);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_scale_member),
                _ => {}
            }
        }
        scale
    }

    /// `absent counts as …`, once per scale, assessment or `defaults`.
    fn absent_rule(
        &mut self,
        pair: P<'_>,
        slot: &mut Option<AbsentRule>,
        owner: acquis_diagnostics::Text,
    ) {
        let span = self.span_of(&pair);
        let counts_as = pair.into_inner().find_map(|q| match q.as_rule() {
            Rule::absent_not_acquired => Some(AbsentValue::NotAcquired(self.span_of(&q))),
            Rule::number | Rule::ident => Some(AbsentValue::Value(self.value(q))),
            _ => None,
        });
        let Some(counts_as) = counts_as else {
            return;
        };
        if slot.is_some() {
            self.error(
                span,
                text!(
                    "{owner} already says what absence counts as; keep one `absent counts as`",
                    owner = owner
                ),
            );
        }
        *slot = Some(AbsentRule { counts_as, span });
    }

    fn set_scale_kind(&mut self, scale: &mut Scale, kind: ScaleKind, span: Span) {
        if scale.kind.is_some() {
            self.error(
                span,
                text!(
                    "scale `{id}` has both `levels` and `range`, or one twice",
                    id = &scale.id.name
                ),
            );
        }
        scale.kind = Some(kind);
    }

    /// A `defaults` block. One that sets a default twice (two `competency
    /// validated when` lines) is read as two `defaults`, from the second
    /// on, so the compiler reports it as it reports two `defaults` items
    /// that set the same default (A0201, with the first pointed at),
    /// instead of the last silently winning.
    fn defaults(&mut self, pair: P<'_>) -> Vec<Defaults> {
        let span = self.span_of(&pair);
        let empty = || Defaults {
            criterion_scale: None,
            competency_rule: None,
            block_rule: None,
            accommodations: Vec::new(),
            absent: None,
            span,
        };
        let mut done = Vec::new();
        let mut d = empty();
        for p in pair.into_inner() {
            let again = match p.as_rule() {
                Rule::default_scale => d.criterion_scale.is_some(),
                Rule::default_rule => {
                    let is_block = p.clone().into_inner().any(|q| {
                        q.as_rule() == Rule::entity_kind && q.as_str().starts_with("block")
                    });
                    if is_block {
                        d.block_rule.is_some()
                    } else {
                        d.competency_rule.is_some()
                    }
                }
                _ => false,
            };
            if again {
                done.push(std::mem::replace(&mut d, empty()));
            }
            match p.as_rule() {
                Rule::default_scale => d.criterion_scale = self.last_ident(p),
                Rule::default_rule => {
                    let mut is_block = false;
                    let mut rule = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::entity_kind => is_block = q.as_str().starts_with("block"),
                            Rule::validated_when => rule = Some(self.validated_when(q)),
                            _ => {}
                        }
                    }
                    if is_block {
                        d.block_rule = rule;
                    } else {
                        d.competency_rule = rule;
                    }
                }
                Rule::default_accommodation => {
                    if let Some(q) = p.into_inner().find(|q| q.as_rule() == Rule::accommodation) {
                        d.accommodations.push(self.accommodation(q));
                    }
                }
                Rule::absent_rule => {
                    let mut absent = d.absent.take().map(|a| *a);
                    self.absent_rule(p, &mut absent, text!("`defaults`"));
                    d.absent = absent.map(Box::new);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_default_member),
                _ => {}
            }
        }
        done.push(d);
        done
    }

    fn named_rule(&mut self, pair: P<'_>) -> NamedRule {
        let span = self.span_of(&pair);
        let mut docs = Vec::new();
        let mut id = Ident::missing(span);
        let mut params = Vec::new();
        let mut body = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => docs.push(doc_text(&p)),
                Rule::ident => id = self.ident(p),
                Rule::params => params = p.into_inner().map(|q| self.ident(q)).collect(),
                Rule::expr => body = Some(self.rule_expr(p)),
                _ => {}
            }
        }
        NamedRule {
            docs,
            id,
            params,
            body: body.unwrap_or_else(|| Expr::missing(span)),
            span,
        }
    }

    fn block(&mut self, pair: P<'_>) -> Block {
        let span = self.span_of(&pair);
        let mut b = Block {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            summary: None,
            missions: Vec::new(),
            situations: Vec::new(),
            competencies: Vec::new(),
            assessments: Vec::new(),
            rule: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => b.docs.push(doc_text(&p)),
                Rule::ident => b.id = self.ident(p),
                Rule::string => b.title = self.text(p),
                Rule::summary => {
                    let s = self.span_of(&p);
                    if b.summary.is_some() {
                        self.error(s, text!("block `{id}` has two summaries", id = &b.id.name));
                    }
                    b.summary = self.last_text(p);
                }
                Rule::mission => b.missions.extend(self.last_text(p)),
                Rule::situation => b.situations.push(self.situation(p)),
                Rule::competency => b.competencies.push(self.competency(p)),
                Rule::assessment => b.assessments.push(self.assessment(p)),
                Rule::validated_when => {
                    let rule = self.validated_when(p);
                    self.set_rule(&mut b.rule, rule, &b.id.name);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_block_member),
                _ => {}
            }
        }
        b
    }

    fn set_rule(&mut self, slot: &mut Option<RuleDecl>, rule: RuleDecl, owner: &str) {
        if slot.is_some() {
            self.error(
                rule.span,
                text!(
                    "`{owner}` already has a `validated when` rule; join them with `and`",
                    owner = owner
                ),
            );
        }
        *slot = Some(rule);
    }

    fn situation(&mut self, pair: P<'_>) -> Situation {
        let span = self.span_of(&pair);
        let mut title = Text::missing(span);
        let mut activities = Vec::new();
        let mut notes = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string | Rule::long_string => title = self.text(p),
                Rule::situation_activity => activities.extend(self.last_text(p)),
                Rule::situation_note => notes.extend(self.last_text(p)),
                Rule::bad_member => self.bad(&p, Rule::strict_situation_member),
                _ => {}
            }
        }
        Situation {
            title,
            activities,
            notes,
            span,
        }
    }

    fn competency(&mut self, pair: P<'_>) -> Competency {
        let span = self.span_of(&pair);
        let mut c = Competency {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            criteria: Vec::new(),
            rule: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => c.docs.push(doc_text(&p)),
                Rule::ident => c.id = self.ident(p),
                Rule::string => c.title = self.text(p),
                Rule::criterion => c.criteria.push(self.criterion(p)),
                Rule::validated_when => {
                    let rule = self.validated_when(p);
                    self.set_rule(&mut c.rule, rule, &c.id.name);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_competency_member),
                _ => {}
            }
        }
        // Referentials hold tens of thousands of these: no spare capacity.
        c.criteria.shrink_to_fit();
        c
    }

    fn assessment(&mut self, pair: P<'_>) -> Assessment {
        let span = self.span_of(&pair);
        let mut a = Assessment {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            covers: Vec::new(),
            kind: None,
            description: None,
            tasks: Vec::new(),
            deliverables: Vec::new(),
            notes: Vec::new(),
            duration: None,
            accommodations: Vec::new(),
            jointly: Vec::new(),
            absent: None,
            parts: Vec::new(),
            rule: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => a.docs.push(doc_text(&p)),
                Rule::ident => a.id = self.ident(p),
                Rule::string => a.title = self.text(p),
                Rule::covers => a.covers.extend(
                    p.into_inner()
                        .filter(|q| q.as_rule() == Rule::ident)
                        .map(|q| self.ident(q)),
                ),
                Rule::kind => a.kind = self.last_text(p),
                Rule::description => a.description = self.last_text(p),
                Rule::task => a.tasks.extend(self.last_text(p)),
                Rule::deliverable => a.deliverables.extend(self.last_text(p)),
                Rule::note => a.notes.extend(self.last_text(p)),
                Rule::duration => a.duration = Some(self.duration(p)),
                Rule::accommodation => a.accommodations.push(self.accommodation(p)),
                Rule::jointly => a.jointly.push(self.jointly(p)),
                Rule::part => a.parts.push(self.part(p)),
                Rule::validated_when => a.rule = Some(self.validated_when(p)),
                Rule::absent_rule => {
                    let owner = text!("assessment `{id}`", id = &a.id.name);
                    self.absent_rule(p, &mut a.absent, owner);
                }
                Rule::bad_member => self.bad(&p, Rule::strict_assessment_member),
                _ => {}
            }
        }
        a
    }

    fn duration(&mut self, pair: P<'_>) -> Duration {
        let span = self.span_of(&pair);
        let mut minutes = 0.0;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => return Duration::Text(self.text(p)),
                Rule::duration_part => minutes += self.duration_part(p),
                _ => {}
            }
        }
        Duration::Minutes(minutes, span)
    }

    fn duration_part(&mut self, pair: P<'_>) -> f64 {
        let mut amount = 0.0;
        let mut unit = "min";
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::number => amount = self.number(&q).0,
                Rule::time_unit => unit = q.as_str(),
                _ => {}
            }
        }
        match unit {
            "h" => amount * 60.0,
            "d" => amount * 60.0 * 24.0,
            _ => amount,
        }
    }

    fn accommodation(&mut self, pair: P<'_>) -> Accommodation {
        let span = self.span_of(&pair);
        let mut kind = Ident::missing(span);
        let mut value = None;
        let mut context = None;
        let mut description = None;
        let mut after_for = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if after_for => context = Some(self.ident(p)),
                Rule::ident => kind = self.ident(p),
                Rule::k_for => after_for = true,
                Rule::fraction => {
                    let ints: Vec<_> = p.into_inner().map(|q| self.integer(&q)).collect();
                    if let [(n, _), (d, ds)] = ints.as_slice() {
                        if *d == 0 {
                            self.error(*ds, text!("a fraction cannot have a zero denominator"));
                        }
                        value = Some(AccommodationValue::Fraction {
                            numerator: *n,
                            denominator: *d,
                        });
                    }
                }
                Rule::duration_part => {
                    value = Some(AccommodationValue::Minutes(self.duration_part(p)))
                }
                Rule::number => value = Some(AccommodationValue::Number(self.number(&p).0)),
                Rule::string => description = Some(self.text(p)),
                _ => {}
            }
        }
        Accommodation {
            kind,
            value,
            context,
            description,
            span,
        }
    }

    fn jointly(&mut self, pair: P<'_>) -> Jointly {
        let span = self.span_of(&pair);
        let mut competencies = Vec::new();
        let mut criteria = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => competencies.push(self.ident(p)),
                Rule::criterion => criteria.push(self.criterion(p)),
                Rule::bad_member => self.bad(&p, Rule::strict_jointly_member),
                _ => {}
            }
        }
        Jointly {
            competencies,
            criteria,
            span,
        }
    }

    fn criterion(&mut self, pair: P<'_>) -> Criterion {
        let span = self.span_of(&pair);
        let mut c = Criterion {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            indicators: Vec::new(),
            scale: None,
            pass: None,
            weight: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => c.docs.push(doc_text(&p)),
                Rule::ident => c.id = self.ident(p),
                Rule::string => c.title = self.text(p),
                Rule::indicator => c.indicators.extend(self.last_text(p)),
                Rule::criterion_scale => c.scale = self.last_ident(p),
                Rule::criterion_pass => {
                    if let Some(v) = p.into_inner().find(|q| q.as_rule() != Rule::k_pass) {
                        c.pass = Some(self.value(v));
                    }
                }
                Rule::criterion_weight => {
                    if let Some(n) = p.into_inner().find(|q| q.as_rule() == Rule::number) {
                        c.weight = Some(self.number(&n));
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_criterion_member),
                _ => {}
            }
        }
        c.indicators.shrink_to_fit();
        c
    }

    fn part(&mut self, pair: P<'_>) -> Part {
        let span = self.span_of(&pair);
        let mut part = Part {
            criterion: Criterion {
                docs: Vec::new(),
                id: Ident::missing(span),
                title: Text::missing(span),
                indicators: Vec::new(),
                scale: None,
                pass: None,
                weight: None,
                span,
            },
            duration: None,
            form: None,
            examiners: None,
            optional: None,
        };
        let c = &mut part.criterion;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => c.docs.push(doc_text(&p)),
                Rule::ident => c.id = self.ident(p),
                Rule::string => c.title = self.text(p),
                Rule::criterion_scale => c.scale = self.last_ident(p),
                Rule::criterion_pass => {
                    if let Some(v) = p.into_inner().find(|q| q.as_rule() != Rule::k_pass) {
                        c.pass = Some(self.value(v));
                    }
                }
                Rule::part_coefficient => {
                    if let Some(n) = p.into_inner().find(|q| q.as_rule() == Rule::number) {
                        c.weight = Some(self.number(&n));
                    }
                }
                Rule::duration => part.duration = Some(self.duration(p)),
                Rule::part_form => part.form = self.last_text(p),
                Rule::part_examiners => part.examiners = self.last_text(p),
                Rule::part_optional => part.optional = Some(self.span_of(&p)),
                Rule::bad_member => self.bad(&p, Rule::strict_part_member),
                _ => {}
            }
        }
        part
    }

    fn certification(&mut self, pair: P<'_>) -> Certification {
        let span = self.span_of(&pair);
        let rule = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::validated_when)
            .map(|p| self.validated_when(p))
            .unwrap_or_else(|| RuleDecl::missing(span));
        Certification { rule, span }
    }

    fn example(&mut self, pair: P<'_>) -> Example {
        let span = self.span_of(&pair);
        let mut e = Example {
            docs: Vec::new(),
            name: Text::missing(span),
            grades: Vec::new(),
            expectations: Vec::new(),
            session: None,
            earlier: Vec::new(),
            holds: Vec::new(),
            dispensed: Vec::new(),
            decisions: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => e.docs.push(doc_text(&p)),
                Rule::string => e.name = self.text(p),
                Rule::example_grades => {
                    for g in p.into_inner().filter(|q| q.as_rule() == Rule::grade) {
                        let gspan = self.span_of(&g);
                        let mut parts = g.into_inner();
                        if let (Some(c), Some(v)) = (parts.next(), parts.next()) {
                            let value = self.value(v);
                            e.grades.push(Grade {
                                criterion: self.ident(c),
                                value,
                                span: gspan,
                            });
                        }
                    }
                }
                Rule::example_expect => {
                    for x in p.into_inner().filter(|q| q.as_rule() == Rule::expectation) {
                        let xspan = self.span_of(&x);
                        let mut parts = x.into_inner();
                        if let (Some(t), Some(o)) = (parts.next(), parts.next()) {
                            e.expectations.push(Expectation {
                                target: self.ident(t),
                                outcome: self.ident(o),
                                span: xspan,
                            });
                        }
                    }
                }
                Rule::example_session => e.session = self.last_text(p),
                Rule::example_earlier => {
                    for x in p.into_inner().filter(|q| q.as_rule() == Rule::earlier) {
                        let xspan = self.span_of(&x);
                        let mut parts = x.into_inner();
                        if let (Some(t), Some(v), Some(d)) =
                            (parts.next(), parts.next(), parts.next())
                        {
                            let target = self.ident(t);
                            let value = match v.as_rule() {
                                Rule::number => {
                                    let (n, s) = self.number(&v);
                                    Value::Number(n, s)
                                }
                                _ => Value::Name(self.ident(v)),
                            };
                            e.earlier.push(Earlier {
                                target,
                                value,
                                session: self.text(d),
                                span: xspan,
                            });
                        }
                    }
                }
                Rule::example_holds => e.holds.extend(self.idents(p)),
                Rule::example_dispensed => e.dispensed.extend(self.idents(p)),
                Rule::example_decision => {
                    let dspan = self.span_of(&p);
                    let mut ids = Vec::new();
                    let mut texts = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ref_id | Rule::outcome_word => ids.push(self.ident(q)),
                            Rule::string | Rule::long_string => texts.push(self.text(q)),
                            _ => {}
                        }
                    }
                    let mut ids = ids.into_iter();
                    let mut texts = texts.into_iter();
                    if let (
                        Some(target),
                        Some(outcome),
                        Some(author),
                        Some(date),
                        Some(justification),
                    ) = (
                        ids.next(),
                        ids.next(),
                        texts.next(),
                        texts.next(),
                        texts.next(),
                    ) {
                        e.decisions.push(Decision {
                            target,
                            outcome,
                            author,
                            date,
                            justification,
                            span: dspan,
                        });
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_example_member),
                _ => {}
            }
        }
        e
    }

    /// The `ident`s of a list member (`holds A, B`).
    fn idents(&self, pair: P<'_>) -> Vec<Ident> {
        pair.into_inner()
            .filter(|q| q.as_rule() == Rule::ident)
            .map(|q| self.ident(q))
            .collect()
    }

    fn equivalence(&mut self, pair: P<'_>) -> Equivalence {
        let span = self.span_of(&pair);
        let mut e = Equivalence {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            rncp: None,
            grants: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => e.docs.push(doc_text(&p)),
                Rule::ident => e.id = self.ident(p),
                Rule::string => e.title = self.text(p),
                Rule::equivalence_rncp => e.rncp = self.last_text(p),
                Rule::equivalence_grants => e.grants.extend(self.ref_list(p)),
                Rule::bad_member => self.bad(&p, Rule::strict_equivalence_member),
                _ => {}
            }
        }
        e
    }

    fn dispensation(&mut self, pair: P<'_>) -> Dispensation {
        let span = self.span_of(&pair);
        let mut d = Dispensation {
            docs: Vec::new(),
            id: Ident::missing(span),
            title: Text::missing(span),
            dispenses: Vec::new(),
            effect: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => d.docs.push(doc_text(&p)),
                Rule::ident => d.id = self.ident(p),
                Rule::string => d.title = self.text(p),
                Rule::dispensation_dispenses => d.dispenses.extend(self.ref_list(p)),
                Rule::dispensation_effect => {
                    let espan = self.span_of(&p);
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::effect_excluded => {
                                d.effect = Some((DispensationEffect::Excluded, espan))
                            }
                            Rule::effect_validated => {
                                d.effect = Some((DispensationEffect::Validated, espan))
                            }
                            _ => {}
                        }
                    }
                }
                Rule::bad_member => self.bad(&p, Rule::strict_dispensation_member),
                _ => {}
            }
        }
        d
    }

    /// The members named by a `keep` or `jury` item.
    fn record_target(&self, pair: P<'_>) -> Option<RecordTarget> {
        let span = self.span_of(&pair);
        match pair.as_rule() {
            Rule::s_blocks => Some(RecordTarget::Blocks(span)),
            Rule::s_competencies => Some(RecordTarget::Competencies(span)),
            Rule::s_criteria => Some(RecordTarget::Criteria(span)),
            Rule::ref_id => Some(RecordTarget::Id(self.ident(pair))),
            _ => None,
        }
    }

    fn keep(&mut self, pair: P<'_>) -> Keep {
        let span = self.span_of(&pair);
        let mut k = Keep {
            docs: Vec::new(),
            targets: Vec::new(),
            duration: None,
            condition: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => k.docs.push(doc_text(&p)),
                Rule::keep_duration => {
                    let dspan = self.span_of(&p);
                    let mut amount = None;
                    let mut duration = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::integer => amount = Some(self.integer(&q).0),
                            Rule::k_years => {
                                duration =
                                    amount.map(|n| KeepDuration::Months(n.saturating_mul(12)))
                            }
                            Rule::k_months => duration = amount.map(KeepDuration::Months),
                            Rule::k_forever => duration = Some(KeepDuration::Forever),
                            _ => {}
                        }
                    }
                    k.duration = duration.map(|d| (d, dspan));
                }
                Rule::keep_condition => {
                    let cspan = self.span_of(&p);
                    let mut op = None;
                    let mut value = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::cmp_op => op = CmpOp::from_symbol(q.as_str()),
                            Rule::value => value = Some(self.value(q)),
                            _ => {}
                        }
                    }
                    if let (Some(op), Some(value)) = (op, value) {
                        k.condition = Some((op, value, cspan));
                    }
                }
                _ => k.targets.extend(self.record_target(p)),
            }
        }
        k
    }

    fn jury(&mut self, pair: P<'_>) -> Jury {
        let span = self.span_of(&pair);
        let mut j = Jury {
            docs: Vec::new(),
            required: false,
            targets: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => j.docs.push(doc_text(&p)),
                Rule::k_must => j.required = true,
                _ => j.targets.extend(self.record_target(p)),
            }
        }
        j
    }
}
