//! A compiled rule in plain words, in the referential's language, for
//! hover. It reads the IR, so it says what the compiler understood
//! (defaults applied, sets resolved), not what was typed.

use acquis_compiler::ir::{ExprIr, NumIr, TestIr, ValueIr};

/// Sets longer than this are shown by their first members and a count.
const SHOWN_MEMBERS: usize = 6;

pub fn rule(expr: &ExprIr, french: bool) -> String {
    Words { french }.expr(expr, false)
}

struct Words {
    french: bool,
}

impl Words {
    fn pick(&self, en: &'static str, fr: &'static str) -> &'static str {
        if self.french {
            fr
        } else {
            en
        }
    }

    fn expr(&self, expr: &ExprIr, nested: bool) -> String {
        let joined = |args: &[ExprIr], word: &str| {
            let parts: Vec<String> = args.iter().map(|a| self.expr(a, true)).collect();
            let text = parts.join(word);
            if nested && args.len() > 1 {
                format!("({text})")
            } else {
                text
            }
        };
        match expr {
            ExprIr::And { args } => joined(args, self.pick(" and ", " et ")),
            ExprIr::Or { args } => joined(args, self.pick(" or ", " ou ")),
            ExprIr::Not { arg } => format!("{} {}", self.pick("not", "non"), self.expr(arg, true)),
            ExprIr::All { set, test } => {
                self.quantified(self.pick("all of", "tous parmi"), set, test)
            }
            ExprIr::Any { set, test } => {
                self.quantified(self.pick("at least one of", "au moins un parmi"), set, test)
            }
            ExprIr::None { set, test } => {
                self.quantified(self.pick("none of", "aucun parmi"), set, test)
            }
            ExprIr::AtLeast { n, set, test } => {
                let head = format!(
                    "{} {n} {}",
                    self.pick("at least", "au moins"),
                    self.pick("of", "parmi")
                );
                self.quantified(&head, set, test)
            }
            ExprIr::AtMost { n, set, test } => {
                let head = format!(
                    "{} {n} {}",
                    self.pick("at most", "au plus"),
                    self.pick("of", "parmi")
                );
                self.quantified(&head, set, test)
            }
            ExprIr::Member { id, test } => format!("{id} {}", self.test(test, id.contains('/'))),
            ExprIr::Compare { lhs, cmp, rhs } => {
                format!("{} {cmp} {}", self.num(lhs), self.num(rhs))
            }
            ExprIr::Const { value } => {
                if *value {
                    self.pick("always", "toujours").to_string()
                } else {
                    self.pick(
                        "never (the rule could not be compiled)",
                        "jamais (la règle n'a pas pu être compilée)",
                    )
                    .to_string()
                }
            }
        }
    }

    fn quantified(&self, head: &str, set: &[String], test: &TestIr) -> String {
        let criteria = set.first().is_some_and(|id| id.contains('/'));
        format!("{head} {} {}", self.set(set), self.test(test, criteria))
    }

    fn set(&self, set: &[String]) -> String {
        let short: Vec<&str> = set.iter().take(SHOWN_MEMBERS).map(String::as_str).collect();
        if set.len() > SHOWN_MEMBERS {
            format!(
                "{{{}, … ({} {})}}",
                short.join(", "),
                set.len(),
                self.pick("members", "membres")
            )
        } else {
            format!("{{{}}}", short.join(", "))
        }
    }

    fn test(&self, test: &TestIr, criteria: bool) -> String {
        match test {
            TestIr::Outcome if criteria => self.pick("acquired", "acquis").to_string(),
            TestIr::Outcome => self.pick("validated", "validé").to_string(),
            TestIr::Compare { cmp, value } => format!("{cmp} {}", value_text(value)),
        }
    }

    fn num(&self, num: &NumIr) -> String {
        match num {
            NumIr::Number { value } => value.to_string(),
            NumIr::Aggregate {
                function,
                set,
                test,
            } => match test {
                Some(test) => {
                    let criteria = set.first().is_some_and(|id| id.contains('/'));
                    format!(
                        "{function}({} {})",
                        self.set(set),
                        self.test(test, criteria)
                    )
                }
                None => format!("{function}({})", self.set(set)),
            },
            NumIr::Arith { op, lhs, rhs } => format!("({} {op} {})", self.num(lhs), self.num(rhs)),
        }
    }
}

fn value_text(value: &ValueIr) -> String {
    match value {
        ValueIr::Number(n) => n.to_string(),
        ValueIr::Level(level) => level.clone(),
    }
}
