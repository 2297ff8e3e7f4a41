//! A sentence must say exactly the rule: two rules that group their
//! conditions (or their operations) differently must never read alike.

use std::collections::HashMap;

use crate::competency_rule;
use acquis_compiler::compile_str;
use acquis_ir::describe::{condition, Lang, Lookup, Subject};
use acquis_ir::{AggregateFn, ArithOp, CmpOp, ExprIr, NumIr, TestIr};

const SOURCE: &str = "referential R \"r\" { lang en }\nuse std::scales::acquisition\n\
     defaults { criterion scale acquisition }\n\
     block B \"b\" { competency C \"c\" { criterion CE1 \"1\" criterion CE2 \"2\"\n\
     criterion CE3 \"3\" criterion CE4 \"4\"\n\
     validated when all criteria acquired }\n\
     assessment E \"e\" { covers C } validated when all competencies validated }\n\
     certification validated when all blocks validated\n";

fn leaf(id: &str) -> ExprIr {
    ExprIr::Member {
        id: id.to_string(),
        test: TestIr::Outcome,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    And,
    Or,
}

fn node(op: Op, args: Vec<ExprIr>) -> ExprIr {
    match op {
        Op::And => ExprIr::And { args },
        Op::Or => ExprIr::Or { args },
    }
}

fn op_of(e: &ExprIr) -> Option<Op> {
    match e {
        ExprIr::And { .. } => Some(Op::And),
        ExprIr::Or { .. } => Some(Op::Or),
        _ => None,
    }
}

/// Every way to cut `n` items into two or more consecutive groups.
fn splits(n: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    // Bit i set: a cut after item i.
    for mask in 1u32..(1 << (n - 1)) {
        let mut sizes = Vec::new();
        let mut size = 1;
        for i in 0..n - 1 {
            if mask & (1 << i) != 0 {
                sizes.push(size);
                size = 1;
            } else {
                size += 1;
            }
        }
        sizes.push(size);
        out.push(sizes);
    }
    out
}

/// Every rule over `leaves` (in this order) with `and`, `or` and `not`
/// nested at most `depth` deep, in canonical form: no `and` directly in an
/// `and` (nor `or` in `or`, nor `not not`), since those read — and mean —
/// the same as their flattened form.
fn trees(leaves: &[ExprIr], depth: usize) -> Vec<ExprIr> {
    let mut out = Vec::new();
    if let [one] = leaves {
        out.push(one.clone());
        out.push(ExprIr::Not {
            arg: Box::new(one.clone()),
        });
        return out;
    }
    if depth == 0 {
        return out;
    }
    for op in [Op::And, Op::Or] {
        for sizes in splits(leaves.len()) {
            let mut choices: Vec<Vec<ExprIr>> = vec![Vec::new()];
            let mut start = 0;
            for size in sizes {
                let group = leaves.get(start..start + size).unwrap_or(&[]);
                start += size;
                let options: Vec<ExprIr> = trees(group, depth - 1)
                    .into_iter()
                    .filter(|t| op_of(t) != Some(op))
                    .collect();
                let mut next = Vec::new();
                for prefix in &choices {
                    for o in &options {
                        let mut p = prefix.clone();
                        p.push(o.clone());
                        next.push(p);
                    }
                }
                choices = next;
            }
            for args in choices {
                let t = node(op, args);
                out.push(ExprIr::Not {
                    arg: Box::new(t.clone()),
                });
                out.push(t);
            }
        }
    }
    out
}

fn assert_distinct(sentences: Vec<(String, String)>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (tree, text) in sentences {
        let other = seen.insert(text.clone(), tree.clone());
        assert!(
            other.is_none(),
            "two rules read alike: {text:?}\n  {other:?}\n  {tree}"
        );
    }
}

#[test]
fn distinct_groupings_read_differently_in_both_languages() {
    let compiled = compile_str("t.acquis", SOURCE);
    let Some(ir) = compiled.ir.as_ref() else {
        unreachable!("an IR: {:#?}", compiled.diagnostics)
    };
    let lookup = Lookup::new(ir);
    let Some(c) = ir.competencies.first() else {
        unreachable!("competency C")
    };
    let subject = Subject::Competency(&c.id);
    let leaves: Vec<ExprIr> = c.criteria.iter().map(|id| leaf(id)).collect();
    for fr in [false, true] {
        let lang = Lang { fr };
        for n in 2..=4 {
            let group = leaves.get(..n).unwrap_or(&[]);
            let all = trees(group, 3);
            assert!(all.len() > n, "{n} leaves: {} trees", all.len());
            assert_distinct(
                all.iter()
                    .map(|t| (format!("{t:?}"), condition(&lookup, lang, subject, t)))
                    .collect(),
            );
        }
    }
}

fn num(value: f64) -> NumIr {
    NumIr::Number {
        value: acquis_ir::Decimal::from_f64(value).unwrap_or(acquis_ir::Decimal::ZERO),
    }
}

/// Every binary tree of `+`, `-`, `*`, `/` over the operands, in order.
fn arith(operands: &[NumIr]) -> Vec<NumIr> {
    if let [one] = operands {
        return vec![one.clone()];
    }
    let mut out = Vec::new();
    for cut in 1..operands.len() {
        let (l, r) = operands.split_at(cut);
        for lhs in arith(l) {
            for rhs in arith(r) {
                for op in [ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div] {
                    out.push(NumIr::Arith {
                        op,
                        lhs: Box::new(lhs.clone()),
                        rhs: Box::new(rhs.clone()),
                    });
                }
            }
        }
    }
    out
}

#[test]
fn arithmetic_keeps_its_grouping() {
    let compiled = compile_str("t.acquis", SOURCE);
    let Some(ir) = compiled.ir.as_ref() else {
        unreachable!("an IR: {:#?}", compiled.diagnostics)
    };
    let lookup = Lookup::new(ir);
    let Some(c) = ir.competencies.first() else {
        unreachable!("competency C")
    };
    let subject = Subject::Competency(&c.id);
    let sum = NumIr::Aggregate {
        function: AggregateFn::Sum,
        set: c.criteria.clone(),
        test: None,
    };
    for fr in [false, true] {
        let lang = Lang { fr };
        let all = arith(&[sum.clone(), num(2.0), num(3.0), num(4.0)]);
        assert_distinct(
            all.into_iter()
                .map(|lhs| {
                    let e = ExprIr::Compare {
                        lhs,
                        cmp: CmpOp::Ge,
                        rhs: num(9.0),
                    };
                    (format!("{e:?}"), condition(&lookup, lang, subject, &e))
                })
                .collect(),
        );
    }
}

/// The reviewer's rules, word for word.
#[test]
fn nested_conditions_in_both_languages() {
    let cases = [
        (
            "CE1 acquired and (CE2 acquired or CE3 acquired) and CE4 acquired",
            "C is validated when all of the following hold: (a) CE1 is acquired; (b) either CE2 is acquired or CE3 is acquired; (c) CE4 is acquired.",
            "C est validée lorsque toutes les conditions suivantes sont remplies\u{202f}: (a) CE1 est acquis\u{202f}; (b) soit CE2 est acquis, soit CE3 est acquis\u{202f}; (c) CE4 est acquis.",
        ),
        (
            "(CE1 acquired or CE2 acquired) and (CE3 acquired or CE4 acquired)",
            "C is validated when all of the following hold: (a) either CE1 is acquired or CE2 is acquired; (b) either CE3 is acquired or CE4 is acquired.",
            "C est validée lorsque toutes les conditions suivantes sont remplies\u{202f}: (a) soit CE1 est acquis, soit CE2 est acquis\u{202f}; (b) soit CE3 est acquis, soit CE4 est acquis.",
        ),
        (
            "not (CE1 acquired and CE2 acquired)",
            "C is validated when not all of the following hold: (a) CE1 is acquired; (b) CE2 is acquired.",
            "C est validée lorsque les conditions suivantes ne sont pas toutes remplies\u{202f}: (a) CE1 est acquis\u{202f}; (b) CE2 est acquis.",
        ),
        (
            "CE1 acquired or (CE2 acquired or CE3 acquired and CE5 acquired) and CE4 acquired",
            "C is validated when at least one of the following holds: (a) CE1 is acquired; (b) all of the following hold: (i) at least one of the following holds: (1) CE2 is acquired; (2) CE3 is acquired and CE5 is acquired; (ii) CE4 is acquired.",
            "C est validée lorsqu'au moins une des conditions suivantes est remplie\u{202f}: (a) CE1 est acquis\u{202f}; (b) toutes les conditions suivantes sont remplies\u{202f}: (i) au moins une des conditions suivantes est remplie\u{202f}: (1) CE2 est acquis\u{202f}; (2) CE3 est acquis et CE5 est acquis\u{202f}; (ii) CE4 est acquis.",
        ),
        (
            "sum({D/CE1, D/CE2}) + 2 * 2 >= 9",
            "C is validated when the sum of the marks of D/CE1 and D/CE2 plus (2 times 2) is at least 9.",
            "C est validée lorsque la somme des notes de D/CE1 et D/CE2 plus (2 multiplié par 2) atteint au moins 9.",
        ),
        (
            "sum({D/CE1, D/CE2}) / 2 >= 9",
            "C is validated when the sum of the marks of D/CE1 and D/CE2 divided by 2 is at least 9.",
            "C est validée lorsque la somme des notes de D/CE1 et D/CE2 divisée par 2 atteint au moins 9.",
        ),
    ];
    for (rule, en, fr) in cases {
        assert_eq!(competency_rule("en", rule), en, "{rule}");
        assert_eq!(competency_rule("fr", rule), fr, "{rule}");
    }
}

/// Degenerate counts read as what they mean.
#[test]
fn degenerate_counts_in_both_languages() {
    let cases = [
        (
            "at least 1 of {CE1} acquired",
            "C is validated when CE1 is acquired.",
            "C est validée lorsque CE1 est acquis.",
        ),
        (
            "at least 0 of criteria acquired and CE2 acquired",
            "C is validated when always and CE2 is acquired.",
            "C est validée lorsque toujours et CE2 est acquis.",
        ),
        (
            "size(criteria) > 3",
            "C is validated when the competency has more than 3 criteria.",
            "C est validée lorsque la compétence compte plus de 3 critères.",
        ),
        (
            "not (size(criteria) >= 1)",
            "C is validated when the competency has fewer than 1 criterion.",
            "C est validée lorsque la compétence compte moins de 1 critère.",
        ),
    ];
    for (rule, en, fr) in cases {
        assert_eq!(competency_rule("en", rule), en, "{rule}");
        assert_eq!(competency_rule("fr", rule), fr, "{rule}");
    }
}

/// A negated count or "all" is said as the count it amounts to.
#[test]
fn negated_quantities_in_both_languages() {
    let cases = [
        (
            "not (at least 3 of criteria acquired) and CE5 acquired",
            "C is validated when at most 2 of the 5 criteria are acquired and CE5 is acquired.",
            "C est validée lorsqu'au plus 2 des 5 critères sont acquis et CE5 est acquis.",
        ),
        (
            "not (at most 1 of criteria acquired)",
            "C is validated when at least 2 of the 5 criteria are acquired.",
            "C est validée lorsqu'au moins 2 des 5 critères sont acquis.",
        ),
        (
            "not (all criteria acquired)",
            "C is validated when not all 5 criteria are acquired.",
            "C est validée lorsque les 5 critères ne sont pas tous acquis.",
        ),
        (
            "not (all {CE1, CE3} acquired) or CE2 acquired",
            "C is validated when either not all of CE1 and CE3 are acquired or CE2 is acquired.",
            "C est validée lorsque soit CE1 et CE3 ne sont pas tous acquis, soit CE2 est acquis.",
        ),
    ];
    for (rule, en, fr) in cases {
        assert_eq!(competency_rule("en", rule), en, "{rule}");
        assert_eq!(competency_rule("fr", rule), fr, "{rule}");
    }
}
