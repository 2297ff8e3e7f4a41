//! Prints a compiled rule (`ExprIr`) back as Acquis source, with every set
//! explicit and every id qualified. Named rules are already expanded in the
//! IR, so the text compiles anywhere, to the same tree: this is what lets a
//! CASE package carry rules and come back unchanged.

use crate::{AggregateFn, ArithOp, ExprIr, NumIr, TestIr, ValueIr};

/// `is_criterion` decides the predicate of a single member: `acquired` for
/// a criterion, `validated` for anything else.
pub fn source(expr: &ExprIr, is_criterion: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    write(expr, is_criterion, false, &mut out);
    out
}

fn write(expr: &ExprIr, is_criterion: &dyn Fn(&str) -> bool, nested: bool, out: &mut String) {
    match expr {
        ExprIr::And { args } | ExprIr::Or { args } => {
            let word = if matches!(expr, ExprIr::And { .. }) {
                " and "
            } else {
                " or "
            };
            if nested {
                out.push('(');
            }
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(word);
                }
                write(a, is_criterion, true, out);
            }
            if nested {
                out.push(')');
            }
        }
        ExprIr::Not { arg } => {
            out.push_str("not ");
            write(arg, is_criterion, true, out);
        }
        ExprIr::All { set, test } => quantified("all ", set, test, out),
        ExprIr::Any { set, test } => quantified("any ", set, test, out),
        ExprIr::None { set, test } => quantified("none ", set, test, out),
        ExprIr::AtLeast { n, set, test } => {
            quantified(&format!("at least {n} of "), set, test, out)
        }
        ExprIr::AtMost { n, set, test } => quantified(&format!("at most {n} of "), set, test, out),
        ExprIr::Member { id, test } => {
            out.push_str(id);
            match test {
                TestIr::Outcome if is_criterion(id) => out.push_str(" acquired"),
                TestIr::Outcome => out.push_str(" validated"),
                TestIr::Compare { .. } => predicate(test, out),
            }
        }
        ExprIr::Compare { lhs, cmp, rhs } => {
            num(lhs, out);
            out.push_str(&format!(" {} ", cmp.symbol()));
            num(rhs, out);
        }
        // Only left where a rule had errors, never in a successful build.
        ExprIr::Const { value } => out.push_str(if *value {
            "at least 0 of {}"
        } else {
            "at least 1 of {}"
        }),
    }
}

fn set(ids: &[String], out: &mut String) {
    out.push('{');
    out.push_str(&ids.join(", "));
    out.push('}');
}

fn quantified(head: &str, ids: &[String], test: &TestIr, out: &mut String) {
    out.push_str(head);
    set(ids, out);
    predicate(test, out);
}

/// Nothing for the member's own outcome, else ` >= level`.
fn predicate(test: &TestIr, out: &mut String) {
    if let TestIr::Compare { cmp, value } = test {
        out.push_str(&format!(" {} {}", cmp.symbol(), value_text(value)));
    }
}

pub fn value_text(value: &ValueIr) -> String {
    match value {
        ValueIr::Level(l) => l.clone(),
        ValueIr::Number(n) => number(*n),
    }
}

fn num(n: &NumIr, out: &mut String) {
    match n {
        NumIr::Number { value } => out.push_str(&number(*value)),
        NumIr::Aggregate {
            function,
            set: ids,
            test,
        } => {
            out.push_str(function.name());
            out.push('(');
            set(ids, out);
            if *function == AggregateFn::Count {
                if let Some(test) = test {
                    predicate(test, out);
                }
            }
            out.push(')');
        }
        NumIr::Arith { op, lhs, rhs } => {
            let own = precedence(n);
            operand(lhs, precedence(lhs) < own, out);
            out.push_str(&format!(" {} ", op.symbol()));
            operand(rhs, precedence(rhs) <= own, out);
        }
        NumIr::Round {
            mode,
            decimals,
            arg,
        } => {
            out.push_str(mode.function());
            out.push('(');
            num(arg, out);
            out.push_str(&format!(", {decimals})"));
        }
        NumIr::Max { args } | NumIr::Min { args } => {
            out.push_str(if matches!(n, NumIr::Max { .. }) {
                "max("
            } else {
                "min("
            });
            let [a, b] = &**args;
            num(a, out);
            out.push_str(", ");
            num(b, out);
            out.push(')');
        }
    }
}

/// How tightly a number binds: sums and differences, then products and
/// quotients, then the rest (numbers, aggregates, `round(…)`, `max(…)`).
fn precedence(n: &NumIr) -> u8 {
    match n {
        NumIr::Arith {
            op: ArithOp::Add | ArithOp::Sub,
            ..
        } => 1,
        NumIr::Arith {
            op: ArithOp::Mul | ArithOp::Div,
            ..
        } => 2,
        NumIr::Number { .. }
        | NumIr::Aggregate { .. }
        | NumIr::Round { .. }
        | NumIr::Max { .. }
        | NumIr::Min { .. } => 3,
    }
}

/// An operand of `+ - * /`, bracketed only where precedence and the
/// left-to-right reading need it. The grammar has no brackets in
/// arithmetic, and no tree the compiler builds needs them (`a - b - c`
/// is `(a - b) - c`, `a + b * c` is `a + (b * c)`), so compiled rules
/// print without any; only a hand-written IR such as `(a + b) * c` gets
/// brackets, which the grammar then refuses.
fn operand(n: &NumIr, bracket: bool, out: &mut String) {
    if bracket {
        out.push('(');
    }
    num(n, out);
    if bracket {
        out.push(')');
    }
}

/// A number as the language writes it: `10`, `12.5`.
pub fn number(v: crate::Decimal) -> String {
    v.to_string()
}
