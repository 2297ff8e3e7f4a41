//! Conditions made of conditions (`and`, `or`, `not`), worded so the
//! grouping of the rule survives: conditions that are all simple are
//! joined inline ("A, B et C", "soit A, soit B"); as soon as one of them is
//! itself compound, the conditions are enumerated with markers that differ
//! at each depth ("toutes les conditions suivantes sont remplies : (a) … ;
//! (b) au moins une des conditions suivantes est remplie : (i) … ; (ii) … ;
//! (c) …"), so a reader always knows which list an item belongs to.
//! "A et soit B, soit C et D" could be read two ways; the enumeration
//! cannot. A negation is pushed into what it negates (not at least 3 is
//! at most 2), so no "il est faux que …" is left to scope over its
//! neighbours.

use crate::{ExprIr, TestIr};

use super::Describer;

/// The markers of each depth of enumeration, outermost first.
const MARKERS: [&[&str]; 3] = [
    &[
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
        "s", "t", "u", "v", "w", "x", "y", "z",
    ],
    &[
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ],
    &[],
];

/// The marker of item `i` at `depth`: letters, then roman numerals, then
/// numbers, then letters again with the depth said ("a3").
fn marker(depth: usize, i: usize) -> String {
    let level = depth % 3;
    let set = MARKERS.get(level).copied().unwrap_or(&[]);
    let base = match set.get(i) {
        Some(m) => (*m).to_string(),
        None => (i + 1).to_string(),
    };
    if depth >= 3 {
        format!("{base}.{depth}")
    } else {
        base
    }
}

/// Whether the words of `expr` need to be kept apart from the words around
/// them: a conjunction or disjunction of two or more conditions, or the
/// negation of one (an enumeration of its own).
pub(super) fn is_compound(expr: &ExprIr) -> bool {
    match expr {
        ExprIr::And { args } => {
            let mut flat = Vec::new();
            flatten_and(args, &mut flat);
            match flat.as_slice() {
                [one] => is_compound(one),
                _ => true,
            }
        }
        ExprIr::Or { args } => {
            let mut flat = Vec::new();
            flatten_or(args, &mut flat);
            match flat.as_slice() {
                [one] => is_compound(one),
                _ => true,
            }
        }
        ExprIr::Not { arg } => match arg.as_ref() {
            ExprIr::Not { arg } => is_compound(arg),
            ExprIr::And { .. } | ExprIr::Or { .. } => true,
            // Negated simple conditions are simple conditions: "CE1 n'est
            // pas acquis", "au plus 2 des 5 critères sont acquis".
            _ => false,
        },
        _ => false,
    }
}

impl Describer<'_, '_> {
    /// Conditions joined with "et"; a member that a count in the same
    /// conjunction already includes is said "dont CE5" / "including CE5".
    pub(super) fn and(&self, args: &[ExprIr]) -> String {
        let mut flat: Vec<&ExprIr> = Vec::new();
        flatten_and(args, &mut flat);
        if let [one] = flat.as_slice() {
            return self.expr(one);
        }
        let nested = flat.iter().any(|a| is_compound(a));
        let mut used = vec![false; flat.len()];
        let mut parts = Vec::new();
        let outer = self.depth.get();
        if nested {
            self.depth.set(outer + 1);
        }
        for (i, arg) in flat.iter().enumerate() {
            if used.get(i).copied().unwrap_or(false) {
                continue;
            }
            let mut text = self.expr(arg);
            if let Some(set) = counted_set(arg) {
                let mut including = Vec::new();
                for (j, other) in flat.iter().enumerate().skip(i + 1) {
                    if let ExprIr::Member {
                        id,
                        test: TestIr::Outcome,
                    } = other
                    {
                        if set.contains(id) && !used.get(j).copied().unwrap_or(true) {
                            including.push(self.name(id));
                            if let Some(u) = used.get_mut(j) {
                                *u = true;
                            }
                        }
                    }
                }
                if !including.is_empty() {
                    text.push_str(&format!(
                        ", {} {}",
                        self.t("including", "dont"),
                        self.lang.list(&including)
                    ));
                }
            }
            parts.push(text);
        }
        self.depth.set(outer);
        if nested {
            self.enumerate(
                self.t(
                    "all of the following hold",
                    "toutes les conditions suivantes sont remplies",
                ),
                &parts,
            )
        } else {
            self.lang.list(&parts)
        }
    }

    /// "soit A, soit B" / "either A or B" when A and B are simple, else an
    /// enumeration.
    pub(super) fn or(&self, args: &[ExprIr]) -> String {
        let mut flat: Vec<&ExprIr> = Vec::new();
        flatten_or(args, &mut flat);
        if let [one] = flat.as_slice() {
            return self.expr(one);
        }
        if flat.iter().any(|a| is_compound(a)) {
            let parts = self.nested(&flat);
            return self.enumerate(
                self.t(
                    "at least one of the following holds",
                    "au moins une des conditions suivantes est remplie",
                ),
                &parts,
            );
        }
        let parts: Vec<String> = flat.iter().map(|a| self.expr(a)).collect();
        if self.lang.fr {
            parts
                .iter()
                .map(|p| format!("soit {p}"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            match parts.as_slice() {
                [] => String::new(),
                [one] => one.clone(),
                [init @ .., last] => format!("either {} or {last}", init.join(", ")),
            }
        }
    }

    pub(super) fn not(&self, arg: &ExprIr) -> String {
        match arg {
            ExprIr::Member { id, test } => self.is_not(&self.name(id), test, self.member_noun(id)),
            ExprIr::Compare { lhs, cmp, rhs } => self.compare(lhs, cmp.negated(), rhs),
            ExprIr::Any { set, test } => self.none(set, test),
            ExprIr::None { set, test } => {
                self.quantity(self.t("at least", "au moins"), 1, set, test)
            }
            ExprIr::Not { arg } => self.expr(arg),
            // Counts negate into counts: not (at least 3) is at most 2.
            ExprIr::AtLeast { n: 0, .. } => self.t("never", "jamais").to_string(),
            ExprIr::AtLeast { n, set, test } => self.expr(&ExprIr::AtMost {
                n: n - 1,
                set: set.clone(),
                test: test.clone(),
            }),
            ExprIr::AtMost { n, set, test } => self.expr(&ExprIr::AtLeast {
                n: n.saturating_add(1),
                set: set.clone(),
                test: test.clone(),
            }),
            ExprIr::All { set, test } => self.not_all(set, test),
            ExprIr::Const { value: true } => self.t("never", "jamais").to_string(),
            ExprIr::Const { value: false } => self.t("always", "toujours").to_string(),
            ExprIr::And { args } => {
                let mut flat: Vec<&ExprIr> = Vec::new();
                flatten_and(args, &mut flat);
                let parts = self.nested(&flat);
                self.enumerate(
                    self.t(
                        "not all of the following hold",
                        "les conditions suivantes ne sont pas toutes remplies",
                    ),
                    &parts,
                )
            }
            ExprIr::Or { args } => {
                let mut flat: Vec<&ExprIr> = Vec::new();
                flatten_or(args, &mut flat);
                let parts = self.nested(&flat);
                self.enumerate(
                    self.t(
                        "none of the following holds",
                        "aucune des conditions suivantes n'est remplie",
                    ),
                    &parts,
                )
            }
        }
    }

    /// "les 5 critères ne sont pas tous acquis" / "not all of the 5
    /// criteria are acquired"; one member: "CE1 n'est pas acquis".
    fn not_all(&self, set: &[String], test: &TestIr) -> String {
        if let [one] = set {
            return self.is_not(&self.name(one), test, self.member_noun(one));
        }
        let p = self.set(set);
        let pred = self.predicate(test, p.noun, true);
        if self.lang.fr {
            let all = if p.noun.feminine() { "toutes" } else { "tous" };
            format!("{} ne sont pas {all} {pred}", self.the(&p))
        } else {
            match p.form {
                super::Form::List => format!("not all of {} are {pred}", self.the(&p)),
                _ => format!("not all {}{} are {pred}", self.counted(&p), self.except(&p)),
            }
        }
    }

    /// The phrases of conditions that will be enumerated one level deeper.
    fn nested(&self, args: &[&ExprIr]) -> Vec<String> {
        let outer = self.depth.get();
        self.depth.set(outer + 1);
        let parts = args.iter().map(|a| self.expr(a)).collect();
        self.depth.set(outer);
        parts
    }

    /// "intro : (a) A ; (b) B" with the markers of the current depth.
    fn enumerate(&self, intro: &str, parts: &[String]) -> String {
        let depth = self.depth.get();
        let items: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| format!("({}) {p}", marker(depth, i)))
            .collect();
        let separator = self.t("; ", "\u{202f}; ");
        format!("{intro}{} {}", self.lang.colon(), items.join(separator))
    }
}

/// The set a count in a conjunction covers, for "dont CE5".
fn counted_set(expr: &ExprIr) -> Option<&Vec<String>> {
    match expr {
        // "At least 0 of …" includes nothing: it reads "always".
        ExprIr::AtLeast { n: 0, .. } => None,
        ExprIr::AtLeast {
            set,
            test: TestIr::Outcome,
            ..
        }
        | ExprIr::Any {
            set,
            test: TestIr::Outcome,
        } => Some(set),
        _ => None,
    }
}

pub(super) fn flatten_and<'e>(args: &'e [ExprIr], out: &mut Vec<&'e ExprIr>) {
    for a in args {
        match a {
            ExprIr::And { args } => flatten_and(args, out),
            other => out.push(other),
        }
    }
}

pub(super) fn flatten_or<'e>(args: &'e [ExprIr], out: &mut Vec<&'e ExprIr>) {
    for a in args {
        match a {
            ExprIr::Or { args } => flatten_or(args, out),
            other => out.push(other),
        }
    }
}
