//! The condition of a rule as a phrase: sets named the way a jury reads
//! them, French agreement ("validées", "aucune", "un"/"une"), and "dont
//! CE5" for a member a count in the same conjunction already includes.

mod compound;

use std::cell::Cell;
use std::collections::HashMap;

use crate::{AggregateFn, ArithOp, CmpOp, ExprIr, NumIr, RoundMode, TestIr, ValueIr};

use super::lookup::{Kind, Lookup};
use super::{Lang, Subject};

/// What the members of a set are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Noun {
    Criterion,
    Competency,
    Block,
    Member,
}

impl Noun {
    fn of(kind: Option<Kind>) -> Self {
        match kind {
            Some(Kind::Criterion) => Noun::Criterion,
            Some(Kind::Competency) => Noun::Competency,
            Some(Kind::Block) => Noun::Block,
            None => Noun::Member,
        }
    }

    fn word(self, lang: Lang, plural: bool) -> &'static str {
        match (self, plural) {
            (Noun::Criterion, false) => lang.t("criterion", "critère"),
            (Noun::Criterion, true) => lang.t("criteria", "critères"),
            (Noun::Competency, false) => lang.t("competency", "compétence"),
            (Noun::Competency, true) => lang.t("competencies", "compétences"),
            (Noun::Block, false) => lang.t("block", "bloc"),
            (Noun::Block, true) => lang.t("blocks", "blocs"),
            (Noun::Member, false) => lang.t("member", "élément"),
            (Noun::Member, true) => lang.t("members", "éléments"),
        }
    }

    fn feminine(self) -> bool {
        self == Noun::Competency
    }
}

/// A set named for reading.
struct SetPhrase {
    form: Form,
    /// Members in the set.
    n: usize,
    noun: Noun,
    /// " de ses compétences" when the set is every criterion of a block.
    qualifier: &'static str,
    names: Vec<String>,
}

enum Form {
    /// Every own member of the subject.
    Whole,
    /// Every own member but these.
    Except(Vec<String>),
    /// Named one by one.
    List,
}

/// A set the subject owns: its criteria, competencies or blocks.
struct Natural<'ir> {
    ids: Vec<&'ir str>,
    noun: Noun,
    qualifier: (&'static str, &'static str),
}

/// Words the conditions of one subject's rule.
pub(super) struct Describer<'a, 'ir> {
    lookup: &'a Lookup<'ir>,
    lang: Lang,
    /// The competency's criteria, each with the name it is given: its
    /// local id (`CE5`), unless two of them share it (then its full id).
    local: HashMap<&'ir str, &'ir str>,
    naturals: Vec<Natural<'ir>>,
    /// How many enumerated lists ("(a) …; (b) …") enclose the phrase being
    /// written: each depth has its own markers so a reader knows which
    /// list an item belongs to.
    depth: Cell<usize>,
    /// "the competency" / "la compétence": the subject as a noun, for
    /// "la compétence compte plus de 3 critères".
    subject: (&'static str, &'static str),
}

impl<'a, 'ir> Describer<'a, 'ir> {
    pub(super) fn new(lookup: &'a Lookup<'ir>, lang: Lang, subject: Subject<'_>) -> Self {
        let ir = lookup.ir;
        let mut local = HashMap::new();
        let mut naturals = Vec::new();
        let own = ("", "");
        match subject {
            Subject::Competency(id) => {
                if let Some(c) = lookup.competency(id) {
                    let ids: Vec<&str> = c.criteria.iter().map(String::as_str).collect();
                    // Counted once: naming each criterion must not look at
                    // all the others (thousands of criteria stay linear).
                    let mut uses: HashMap<&str, usize> = HashMap::new();
                    for k in ids.iter().filter_map(|id| lookup.criterion(id)) {
                        *uses.entry(k.local_id.as_str()).or_default() += 1;
                    }
                    local = ids
                        .iter()
                        .map(|&id| {
                            let name = lookup
                                .criterion(id)
                                .map(|k| k.local_id.as_str())
                                .filter(|l| uses.get(l) == Some(&1))
                                .unwrap_or(id);
                            (id, name)
                        })
                        .collect();
                    naturals.push(Natural {
                        ids,
                        noun: Noun::Criterion,
                        qualifier: own,
                    });
                }
            }
            Subject::Block(id) => {
                if let Some(b) = lookup.block(id) {
                    naturals.push(Natural {
                        ids: b.competencies.iter().map(String::as_str).collect(),
                        noun: Noun::Competency,
                        qualifier: own,
                    });
                    naturals.push(Natural {
                        ids: lookup.block_criteria(b),
                        noun: Noun::Criterion,
                        qualifier: (" of its competencies", " de ses compétences"),
                    });
                }
            }
            Subject::Certification => {
                naturals.push(Natural {
                    ids: ir.blocks.iter().map(|b| b.id.as_str()).collect(),
                    noun: Noun::Block,
                    qualifier: own,
                });
                naturals.push(Natural {
                    ids: ir.competencies.iter().map(|c| c.id.as_str()).collect(),
                    noun: Noun::Competency,
                    qualifier: own,
                });
                naturals.push(Natural {
                    ids: ir.criteria.iter().map(|c| c.id.as_str()).collect(),
                    noun: Noun::Criterion,
                    qualifier: own,
                });
            }
        }
        Describer {
            lookup,
            lang,
            local,
            naturals,
            depth: Cell::new(0),
            subject: match subject {
                Subject::Competency(_) => ("the competency", "la compétence"),
                Subject::Block(_) => ("the block", "le bloc"),
                Subject::Certification => ("the certification", "la certification"),
            },
        }
    }

    fn t(&self, en: &'static str, fr: &'static str) -> &'static str {
        self.lang.t(en, fr)
    }

    /// A criterion of the competency described is named by its local id
    /// (`CE5`) unless two of its criteria share that local id.
    fn name(&self, id: &str) -> String {
        self.local.get(id).copied().unwrap_or(id).to_string()
    }

    fn set(&self, set: &[String]) -> SetPhrase {
        let kinds: Vec<Option<Kind>> = set.iter().map(|id| self.lookup.kind(id)).collect();
        let noun = match kinds.first() {
            Some(first) if kinds.iter().all(|k| k == first) => Noun::of(*first),
            _ => Noun::Member,
        };
        let names: Vec<String> = set.iter().map(|id| self.name(id)).collect();
        let mut sorted: Vec<&str> = set.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        if set.len() >= 2 {
            for natural in &self.naturals {
                let mut all = natural.ids.clone();
                all.sort_unstable();
                let qualifier = self.t(natural.qualifier.0, natural.qualifier.1);
                if all == sorted {
                    return SetPhrase {
                        form: Form::Whole,
                        n: set.len(),
                        noun: natural.noun,
                        qualifier,
                        names,
                    };
                }
                let missing: Vec<&str> = natural
                    .ids
                    .iter()
                    .copied()
                    .filter(|id| sorted.binary_search(id).is_err())
                    .collect();
                let inside = sorted.iter().all(|id| all.binary_search(id).is_ok());
                // "Other than" reads better than a list only when it is
                // much shorter than the list.
                let short = missing.len() <= 2 && set.len() > 2 * missing.len();
                if inside && !missing.is_empty() && short {
                    return SetPhrase {
                        form: Form::Except(missing.iter().map(|id| self.name(id)).collect()),
                        n: set.len(),
                        noun: natural.noun,
                        qualifier,
                        names,
                    };
                }
            }
        }
        SetPhrase {
            form: Form::List,
            n: set.len(),
            noun,
            qualifier: "",
            names,
        }
    }

    /// "les 5 critères", "the 4 criteria other than CE5", "CE1 et CE2".
    fn the(&self, p: &SetPhrase) -> String {
        match &p.form {
            Form::List => self.lang.list(&p.names),
            _ => format!(
                "{} {}{}",
                self.t("the", "les"),
                self.counted(p),
                self.except(p)
            ),
        }
    }

    /// "5 critères de ses compétences", without an article.
    fn counted(&self, p: &SetPhrase) -> String {
        format!("{} {}{}", p.n, p.noun.word(self.lang, true), p.qualifier)
    }

    fn except(&self, p: &SetPhrase) -> String {
        match &p.form {
            Form::Except(names) => format!(
                " {} {}",
                self.t("other than", "autres que"),
                self.lang.list(names)
            ),
            _ => String::new(),
        }
    }

    /// "des 5 critères", "de CE1 et CE2" / "of the 5 criteria".
    fn of_the(&self, p: &SetPhrase) -> String {
        match (&p.form, self.lang.fr) {
            (Form::List, true) => format!("de {}", self.lang.list(&p.names)),
            (Form::List, false) => format!("of {}", self.lang.list(&p.names)),
            (_, true) => format!("des {}{}", self.counted(p), self.except(p)),
            (_, false) => format!("of the {}{}", self.counted(p), self.except(p)),
        }
    }

    fn among(&self, p: &SetPhrase) -> String {
        format!("{} {}", self.t("among", "parmi"), self.the(p))
    }

    /// "acquis", "validées", "noté au moins en_cours".
    fn predicate(&self, test: &TestIr, noun: Noun, plural: bool) -> String {
        match test {
            TestIr::Outcome if noun == Noun::Criterion => self.t("acquired", "acquis").to_string(),
            TestIr::Outcome => {
                if self.lang.fr {
                    let e = if noun.feminine() { "e" } else { "" };
                    let s = if plural { "s" } else { "" };
                    format!("validé{e}{s}")
                } else {
                    "validated".to_string()
                }
            }
            TestIr::Compare { cmp, value } => {
                let how = match cmp {
                    CmpOp::Ge => self.t("at least ", "au moins "),
                    CmpOp::Gt => self.t("above ", "au-dessus de "),
                    CmpOp::Le => self.t("at most ", "au plus "),
                    CmpOp::Lt => self.t("below ", "en dessous de "),
                    CmpOp::Ne => self.t("other than ", "autrement que "),
                    CmpOp::Eq => "",
                };
                let graded = if self.lang.fr {
                    if plural {
                        "notés"
                    } else {
                        "noté"
                    }
                } else {
                    "graded"
                };
                format!("{graded} {how}{}", self.value(value))
            }
        }
    }

    fn value(&self, value: &ValueIr) -> String {
        match value {
            // A level is an id of its scale, as written in the grades
            // file: quoted, so "en_cours" reads as a name (and French
            // needs no elision before it: "en dessous de « en_cours »").
            ValueIr::Level(level) if self.lang.fr => format!("«\u{202f}{level}\u{202f}»"),
            ValueIr::Level(level) => format!("“{level}”"),
            ValueIr::Number(n) => self.lang.decimal(*n),
        }
    }

    fn is_are(&self, plural: bool) -> &'static str {
        match (self.lang.fr, plural) {
            (true, true) => "sont",
            (true, false) => "est",
            (false, true) => "are",
            (false, false) => "is",
        }
    }

    /// "un" or "une" for a count of one in French, the number otherwise.
    fn count_word(&self, k: u32, noun: Noun) -> String {
        match (k, self.lang.fr) {
            (1, true) if noun.feminine() => "une".to_string(),
            (1, true) => "un".to_string(),
            (1, false) => "one".to_string(),
            _ => k.to_string(),
        }
    }

    fn member_noun(&self, id: &str) -> Noun {
        Noun::of(self.lookup.kind(id))
    }

    /// The phrase of a condition, without the subject.
    pub(super) fn expr(&self, expr: &ExprIr) -> String {
        match expr {
            ExprIr::And { args } => self.and(args),
            ExprIr::Or { args } => self.or(args),
            ExprIr::Not { arg } => self.not(arg),
            ExprIr::All { set, test } => self.all(set, test),
            // "At least one of CE1" is CE1 itself.
            ExprIr::Any { set, test } | ExprIr::AtLeast { n: 1, set, test } if set.len() == 1 => {
                self.all(set, test)
            }
            ExprIr::Any { set, test } => {
                self.quantity(self.t("at least", "au moins"), 1, set, test)
            }
            ExprIr::None { set, test } => self.none(set, test),
            // "At least 0 of …" holds whatever the grades.
            ExprIr::AtLeast { n: 0, .. } => self.t("always", "toujours").to_string(),
            ExprIr::AtLeast { n, set, test } => {
                self.quantity(self.t("at least", "au moins"), *n, set, test)
            }
            ExprIr::AtMost { n: 0, set, test } => self.none(set, test),
            ExprIr::AtMost { n, set, test } => {
                self.quantity(self.t("at most", "au plus"), *n, set, test)
            }
            ExprIr::Member { id, test } => {
                let noun = self.member_noun(id);
                format!(
                    "{} {} {}",
                    self.name(id),
                    self.is_are(false),
                    self.predicate(test, noun, false)
                )
            }
            ExprIr::Compare { lhs, cmp, rhs } => self.compare(lhs, *cmp, rhs),
            ExprIr::Const { value: true } => self.t("always", "toujours").to_string(),
            // The IR leaves `false` only where a rule could not be compiled
            // (an editor hovers over such referentials): say so.
            ExprIr::Const { value: false } => self
                .t(
                    "never (the rule could not be compiled)",
                    "jamais (la règle n'a pas pu être compilée)",
                )
                .to_string(),
        }
    }

    fn all(&self, set: &[String], test: &TestIr) -> String {
        let p = self.set(set);
        match (&p.form, set.len()) {
            (Form::List, 1) => {
                let noun = set.first().map_or(p.noun, |id| self.member_noun(id));
                format!(
                    "{} {} {}",
                    self.the(&p),
                    self.is_are(false),
                    self.predicate(test, noun, false)
                )
            }
            (Form::List, _) => format!(
                "{} {} {}",
                self.the(&p),
                self.is_are(true),
                self.predicate(test, p.noun, true)
            ),
            // Two: "both blocks are validated" / "les deux blocs sont
            // validés" rather than "all 2 blocks".
            (_, 2) if self.lang.fr => {
                format!(
                    "les deux {}{}{} sont {}",
                    p.noun.word(self.lang, true),
                    p.qualifier,
                    self.except(&p),
                    self.predicate(test, p.noun, true)
                )
            }
            (_, 2) => format!(
                "both {}{}{} are {}",
                p.noun.word(self.lang, true),
                p.qualifier,
                self.except(&p),
                self.predicate(test, p.noun, true)
            ),
            _ if self.lang.fr => {
                let all = if p.noun.feminine() { "toutes" } else { "tous" };
                format!(
                    "{} sont {all} {}",
                    self.the(&p),
                    self.predicate(test, p.noun, true)
                )
            }
            _ => format!(
                "all {}{} are {}",
                self.counted(&p),
                self.except(&p),
                self.predicate(test, p.noun, true)
            ),
        }
    }

    /// "au moins 4 des 5 critères sont acquis", "at most 1 of CE1, CE2
    /// and CE3 is acquired".
    fn quantity(&self, how: &str, k: u32, set: &[String], test: &TestIr) -> String {
        let p = self.set(set);
        let plural = k > 1;
        let count = self.count_word(k, p.noun);
        let pred = self.predicate(test, p.noun, plural);
        let verb = self.is_are(plural);
        match (&p.form, self.lang.fr) {
            (Form::List, true) => format!(
                "{how} {count} {} {} {verb} {pred}",
                p.noun.word(self.lang, plural),
                self.among(&p)
            ),
            _ => format!("{how} {count} {} {verb} {pred}", self.of_the(&p)),
        }
    }

    fn none(&self, set: &[String], test: &TestIr) -> String {
        let p = self.set(set);
        if let (Form::List, 1) = (&p.form, set.len()) {
            let noun = set.first().map_or(p.noun, |id| self.member_noun(id));
            return self.is_not(&self.the(&p), test, noun);
        }
        let pred = self.predicate(test, p.noun, false);
        if self.lang.fr {
            let none = if p.noun.feminine() { "aucune" } else { "aucun" };
            match p.form {
                Form::List => format!(
                    "{none} {} {} n'est {pred}",
                    p.noun.word(self.lang, false),
                    self.among(&p)
                ),
                _ => format!("{none} {} n'est {pred}", self.of_the(&p)),
            }
        } else {
            format!("none {} is {pred}", self.of_the(&p))
        }
    }

    fn is_not(&self, who: &str, test: &TestIr, noun: Noun) -> String {
        let pred = self.predicate(test, noun, false);
        if self.lang.fr {
            format!("{who} n'est pas {pred}")
        } else {
            format!("{who} is not {pred}")
        }
    }

    /// "la compétence compte plus de 3 critères" for `size(criteria) > 3`
    /// on the subject's own set ("5 dépasse 3" said nothing of why).
    fn size_of_subject(&self, lhs: &NumIr, cmp: CmpOp, rhs: &NumIr) -> Option<String> {
        let (NumIr::Aggregate { function, set, .. }, NumIr::Number { value }) = (lhs, rhs) else {
            return None;
        };
        if *function != AggregateFn::Size {
            return None;
        }
        let p = self.set(set);
        if !matches!(p.form, Form::Whole) {
            return None;
        }
        let n = self.lang.decimal(*value);
        let plural = if self.lang.fr {
            *value >= crate::Decimal::integer(2)
        } else {
            *value != crate::Decimal::ONE
        };
        let noun = format!("{}{}", p.noun.word(self.lang, plural), p.qualifier);
        let how = match cmp {
            CmpOp::Ge => self.t("has at least", "compte au moins"),
            CmpOp::Gt => self.t("has more than", "compte plus de"),
            CmpOp::Le => self.t("has at most", "compte au plus"),
            CmpOp::Lt => self.t("has fewer than", "compte moins de"),
            CmpOp::Eq => self.t("has exactly", "compte exactement"),
            CmpOp::Ne => self.t("does not have exactly", "ne compte pas exactement"),
        };
        Some(format!(
            "{} {how} {n} {noun}",
            self.t(self.subject.0, self.subject.1)
        ))
    }

    pub(super) fn compare(&self, lhs: &NumIr, cmp: CmpOp, rhs: &NumIr) -> String {
        if let Some(text) = self.size_of_subject(lhs, cmp, rhs) {
            return text;
        }
        let verb = match cmp {
            CmpOp::Ge => self.t("is at least", "atteint au moins"),
            CmpOp::Gt => self.t("is more than", "dépasse"),
            CmpOp::Le => self.t("is at most", "ne dépasse pas"),
            CmpOp::Lt => self.t("is less than", "reste en dessous de"),
            CmpOp::Eq => self.t("equals", "vaut"),
            CmpOp::Ne => self.t("does not equal", "ne vaut pas"),
        };
        format!("{} {verb} {}", self.num(lhs), self.num(rhs))
    }

    /// An operand of an operation: an operation inside another is put in
    /// brackets, so "(la somme … plus 2) multipliée par 2" and "la somme
    /// … plus (2 multiplié par 2)" never read alike.
    fn operand(&self, num: &NumIr) -> String {
        match num {
            NumIr::Arith { .. } | NumIr::Round { .. } | NumIr::Max { .. } | NumIr::Min { .. } => {
                format!("({})", self.num(num))
            }
            NumIr::Number { .. } | NumIr::Aggregate { .. } => self.num(num),
        }
    }

    /// "rounded up to the hundredth" / "arrondie au centième supérieur",
    /// the participle agreeing with what is rounded when `feminine`.
    fn rounded(&self, mode: RoundMode, decimals: u32, feminine: bool) -> String {
        if !self.lang.fr {
            let unit = match decimals {
                0 => None,
                1 => Some("tenth"),
                2 => Some("hundredth"),
                3 => Some("thousandth"),
                4 => Some("ten-thousandth"),
                5 => Some("hundred-thousandth"),
                6 => Some("millionth"),
                // Only in a hand-written IR: the compiler allows 0 to 6.
                n => return format!("{} to {n} decimal places", self.rounded_how(mode)),
            };
            return match (unit, mode) {
                (None, RoundMode::Nearest) => "rounded to the nearest whole number".into(),
                (None, _) => format!("{} to a whole number", self.rounded_how(mode)),
                (Some(unit), RoundMode::Nearest) => format!("rounded to the nearest {unit}"),
                (Some(unit), _) => format!("{} to the {unit}", self.rounded_how(mode)),
            };
        }
        let participle = if feminine { "arrondie" } else { "arrondi" };
        // "à l'unité inférieure": the adjective agrees with the unit.
        let (unit, unit_feminine) = match decimals {
            0 => ("à l'unité", true),
            1 => ("au dixième", false),
            2 => ("au centième", false),
            3 => ("au millième", false),
            4 => ("au dix-millième", false),
            5 => ("au cent-millième", false),
            6 => ("au millionième", false),
            n => {
                let how = match mode {
                    RoundMode::Nearest => "",
                    RoundMode::Down => " par défaut",
                    RoundMode::Up => " par excès",
                };
                return format!("{participle}{how} à {n} décimales");
            }
        };
        let side = match (mode, unit_feminine) {
            (RoundMode::Nearest, _) => "",
            (RoundMode::Down, false) => " inférieur",
            (RoundMode::Down, true) => " inférieure",
            (RoundMode::Up, false) => " supérieur",
            (RoundMode::Up, true) => " supérieure",
        };
        format!("{participle} {unit}{side}")
    }

    fn rounded_how(&self, mode: RoundMode) -> &'static str {
        match mode {
            RoundMode::Nearest => "rounded",
            RoundMode::Down => "rounded down",
            RoundMode::Up => "rounded up",
        }
    }

    fn num(&self, num: &NumIr) -> String {
        match num {
            NumIr::Number { value } => self.lang.decimal(*value),
            NumIr::Arith { op, lhs, rhs } => {
                // The participle agrees with what is multiplied: "la somme
                // … divisée par 2", "le nombre … multiplié par 2".
                let feminine = self.lang.fr && feminine_num(lhs);
                let word = match (op, feminine) {
                    (ArithOp::Add, _) => self.t("plus", "plus"),
                    (ArithOp::Sub, _) => self.t("minus", "moins"),
                    (ArithOp::Mul, false) => self.t("times", "multiplié par"),
                    (ArithOp::Mul, true) => "multipliée par",
                    (ArithOp::Div, false) => self.t("divided by", "divisé par"),
                    (ArithOp::Div, true) => "divisée par",
                };
                format!("{} {word} {}", self.operand(lhs), self.operand(rhs))
            }
            NumIr::Aggregate {
                function,
                set,
                test,
            } => {
                let p = self.set(set);
                match function {
                    AggregateFn::Average => format!(
                        "{} {}",
                        self.t("the average mark", "la moyenne des notes"),
                        self.of_the(&p)
                    ),
                    AggregateFn::WeightedAverage => format!(
                        "{} {}",
                        self.t("the weighted average mark", "la moyenne pondérée des notes"),
                        self.of_the(&p)
                    ),
                    AggregateFn::Min => format!(
                        "{} {}",
                        self.t("the lowest mark", "la note la plus basse"),
                        self.among(&p)
                    ),
                    AggregateFn::Max => format!(
                        "{} {}",
                        self.t("the best mark", "la meilleure note"),
                        self.among(&p)
                    ),
                    AggregateFn::Sum => format!(
                        "{} {}",
                        self.t("the sum of the marks", "la somme des notes"),
                        self.of_the(&p)
                    ),
                    AggregateFn::Count => {
                        let test = test.as_ref().unwrap_or(&TestIr::Outcome);
                        format!(
                            "{} {} {} {}",
                            self.t("the number", "le nombre"),
                            self.of_the(&p),
                            self.t("that are", "qui sont"),
                            self.predicate(test, p.noun, true)
                        )
                    }
                    // The size of a set is known when the rule is written.
                    AggregateFn::Size => p.n.to_string(),
                }
            }
            NumIr::Round {
                mode,
                decimals,
                arg,
            } => format!(
                "{} {}",
                self.operand(arg),
                self.rounded(*mode, *decimals, feminine_head(arg))
            ),
            NumIr::Max { args } | NumIr::Min { args } => {
                let [a, b] = &**args;
                let greater = matches!(num, NumIr::Max { .. });
                let (en, fr) = if greater {
                    ("the greater of", "la plus grande valeur entre")
                } else {
                    ("the lesser of", "la plus petite valeur entre")
                };
                format!(
                    "{} {} {} {}",
                    self.t(en, fr),
                    self.operand(a),
                    self.t("and", "et"),
                    self.operand(b)
                )
            }
        }
    }
}

/// Whether the French words of a number are feminine ("la somme", "la
/// moyenne", "la note"), for the agreement of "multipliée", "divisée".
fn feminine_num(num: &NumIr) -> bool {
    match num {
        NumIr::Aggregate { function, .. } => {
            !matches!(function, AggregateFn::Count | AggregateFn::Size)
        }
        // "la moyenne … arrondie", "la plus grande valeur entre …".
        NumIr::Round { arg, .. } => feminine_head(arg),
        NumIr::Max { .. } | NumIr::Min { .. } => true,
        NumIr::Number { .. } | NumIr::Arith { .. } => false,
    }
}

/// Whether the phrase of a number starts with a feminine noun, an
/// operation being read from its first operand: "(la somme … moins 10)
/// arrondie".
fn feminine_head(num: &NumIr) -> bool {
    match num {
        NumIr::Arith { lhs, .. } => feminine_head(lhs),
        _ => feminine_num(num),
    }
}
