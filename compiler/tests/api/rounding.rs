//! `round`, `floor`, `ceil` and `max`/`min` of two numbers, lowered to the
//! IR: their trees, their decimals checked (A0412), named rules' parameters,
//! and `acquis_ir::print` giving source that compiles back to the same tree.

use acquis_compiler::{compile_str, Code, Compilation};
use acquis_ir::{print, ExprIr, NumIr, RoundMode};

/// A referential whose competency C has two criteria on 0 .. 20 (half
/// steps), CE1 of weight 2, and `rule`; `before` holds named rules.
fn source(before: &str, rule: &str) -> String {
    format!(
        r#"referential R "r" {{ lang fr }}
scale note "Note" {{ range 0 .. 20 step 0.5 pass 10 }}
defaults {{ criterion scale note }}
{before}
block B "b" {{
  competency C "c" {{
    criterion CE1 "un" {{ weight 2 }}
    criterion CE2 "deux"
    validated when {rule}
  }}
  assessment E "e" {{ covers C }}
  validated when all competencies validated
}}
certification validated when all blocks validated
"#
    )
}

fn compiled(before: &str, rule: &str) -> Compilation {
    compile_str("r.acquis", &source(before, rule))
}

/// The IR of C's rule; the rule must compile without diagnostics.
fn rule_ir(before: &str, rule: &str) -> ExprIr {
    let c = compiled(before, rule);
    assert!(c.diagnostics.is_empty(), "{rule}: {:#?}", c.diagnostics);
    let Some(ir) = c.ir else {
        unreachable!("an IR")
    };
    let Some(competency) = ir.competencies.iter().find(|c| c.id == "C") else {
        unreachable!("competency C")
    };
    competency.rule.expr.clone()
}

/// The codes of the errors, with the text each primary span covers.
fn errors(before: &str, rule: &str) -> Vec<(Code, String)> {
    let text = source(before, rule);
    let c = compile_str("r.acquis", &text);
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let span = d.primary.span;
            (
                d.code,
                text.get(span.start..span.end).unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn lhs(expr: &ExprIr) -> &NumIr {
    match expr {
        ExprIr::Compare { lhs, .. } => lhs,
        other => unreachable!("{other:?}"),
    }
}

#[test]
fn round_floor_and_ceil_become_rounding_modes() {
    for (function, mode) in [
        ("round", RoundMode::Nearest),
        ("floor", RoundMode::Down),
        ("ceil", RoundMode::Up),
    ] {
        let expr = rule_ir(
            "",
            &format!("{function}(weighted average(criteria), 2) >= 10"),
        );
        let NumIr::Round {
            mode: m,
            decimals,
            arg,
        } = lhs(&expr)
        else {
            unreachable!("{expr:?}")
        };
        assert_eq!((*m, *decimals), (mode, 2));
        assert!(matches!(**arg, NumIr::Aggregate { .. }));
    }
}

#[test]
fn the_ir_writes_rounding_and_extrema_by_name() {
    let expr = rule_ir("", "floor(max(0, sum(criteria) - 10), 0) >= 1");
    let json = serde_json::to_value(&expr).unwrap_or_default();
    assert_eq!(json["lhs"]["kind"], "round");
    assert_eq!(json["lhs"]["mode"], "down");
    assert_eq!(json["lhs"]["decimals"], 0);
    assert_eq!(json["lhs"]["arg"]["kind"], "max");
    assert_eq!(json["lhs"]["arg"]["args"][0]["kind"], "number");
    assert_eq!(json["lhs"]["arg"]["args"][1]["kind"], "arith");
    // And reads back: a third argument is refused by the type.
    let back: ExprIr =
        serde_json::from_value(json.clone()).unwrap_or(ExprIr::Const { value: false });
    assert_eq!(back, expr);
    let mut three = json;
    if let Some(args) = three["lhs"]["arg"]["args"].as_array_mut() {
        args.push(serde_json::json!({"kind": "number", "value": 1}));
    }
    assert!(serde_json::from_value::<ExprIr>(three).is_err());
}

#[test]
fn decimals_must_be_a_whole_number_from_0_to_6() {
    for n in ["0", "6"] {
        rule_ir("", &format!("round(average(criteria), {n}) >= 10"));
    }
    for n in ["7", "2.5", "-1", "100"] {
        assert_eq!(
            errors("", &format!("ceil(average(criteria), {n}) >= 10")),
            vec![(Code::BadDecimals, n.to_string())],
            "{n}"
        );
    }
    // The argument is checked too, and both problems are reported.
    assert_eq!(
        errors("", "round(average(criteria) + X, 9) >= 10"),
        vec![
            (Code::UnknownReference, "X".to_string()),
            (Code::BadDecimals, "9".to_string())
        ]
    );
}

#[test]
fn missing_decimals_and_a_set_without_braces_are_explained() {
    let text = source("", "round(average(criteria)) >= 10 and max(CE1) >= 12");
    let c = compile_str("r.acquis", &text);
    let found: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    let covered = |i: usize| {
        let span = found[i].primary.span;
        text.get(span.start..span.end).unwrap_or("")
    };
    assert_eq!(found[0].code, Code::WrongArgumentCount);
    assert_eq!(covered(0), "round(average(criteria))");
    assert_eq!(found[1].code, Code::WrongArgumentCount);
    assert_eq!(covered(1), "max(CE1)");
    assert!(
        found[1]
            .help
            .as_ref()
            .is_some_and(|h| h.english().contains("`max({CE1})`")),
        "{:?}",
        found[1].help
    );
    assert_eq!(
        errors("", "min(1, 2, sum(criteria)) >= 1"),
        vec![(
            Code::WrongArgumentCount,
            "min(1, 2, sum(criteria))".to_string()
        )]
    );
}

#[test]
fn decimals_may_be_a_named_rule_s_parameter() {
    let rule = "rule arrondi(n, seuil) = round(weighted average(criteria), n) >= seuil";
    let expr = rule_ir(rule, "arrondi(1, 12)");
    assert!(matches!(lhs(&expr), NumIr::Round { decimals: 1, .. }));
    // A bad argument is reported where it is written, at the call.
    assert_eq!(
        errors(rule, "arrondi(8, 12)"),
        vec![(Code::BadDecimals, "8".to_string())]
    );
    assert_eq!(
        errors(rule, "arrondi(acquis, 12)"),
        vec![(Code::ValueKindMismatch, "acquis".to_string())]
    );
    assert_eq!(
        errors("", "round(average(criteria), n) >= 10"),
        vec![(Code::UnknownReference, "n".to_string())]
    );
    // `floor` stays a name where it is not a function.
    let expr = rule_ir(
        "rule plancher(floor) = min(criteria) >= floor",
        "plancher(8)",
    );
    assert!(matches!(expr, ExprIr::Compare { .. }));
}

#[test]
fn max_and_min_of_two_numbers_beside_the_aggregates() {
    let expr = rule_ir("", "max(0, sum({CE1}) - 10) + min(sum({CE2}), 5) >= 3");
    let NumIr::Arith { lhs: a, rhs: b, .. } = lhs(&expr) else {
        unreachable!("{expr:?}")
    };
    assert!(matches!(**a, NumIr::Max { .. }));
    assert!(matches!(**b, NumIr::Min { .. }));
    let expr = rule_ir("", "max({CE1, CE2}) >= 15 and min(criteria) >= 8");
    let ExprIr::And { args } = &expr else {
        unreachable!("{expr:?}")
    };
    for arg in args {
        assert!(matches!(lhs(arg), NumIr::Aggregate { .. }), "{arg:?}");
    }
}

/// `print` writes source that compiles back to the same tree, the
/// criteria qualified and without brackets the grammar cannot read.
#[test]
fn printed_rules_compile_back_to_the_same_tree() {
    for rule in [
        "round(weighted average(criteria), 2) >= 10",
        "floor(average(criteria) * 2 - 1, 1) > ceil(sum({CE1}) / 3, 0)",
        "max(0, sum({CE1}) - 10) + min(sum({CE2}), 5) >= 3",
        "sum({CE1}) - sum({CE2}) - 1 >= max(1, 2) * 2 + round(min({CE1, CE2}), 0) / 4",
        "count(criteria acquired) * 2 > size(criteria) + 1",
        "min(max(sum({CE1}), 3), round(-2.5, 0) + 30) < 20 or not round(sum({CE2}), 6) = 10",
    ] {
        let tree = rule_ir("", rule);
        let printed = print::source(&tree, &|id| id.contains('/'));
        assert!(!printed.contains("(("), "{printed}");
        assert_eq!(rule_ir("", &printed), tree, "{rule} printed as {printed}");
    }
}
